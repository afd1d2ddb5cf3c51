// RFC 9162 (Certificate Transparency 2.0) inclusion proofs, checked in the citizen's own browser with
// WebCrypto's SHA-256: the leaf is hashed (0x00 || leaf), the audit path is followed to a root (0x01 || left
// || right at each step, section 2.1.3.2's algorithm), and that root must be the one the signed checkpoint
// names for the same tree size. Nothing here trusts the portal: it gets bytes and recomputes.

function fromBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

function equal(a, b) {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/** The checkpoint note's body (c2sp.org/tlog-checkpoint): origin, tree size, base64 root hash. */
export function checkpointOf(note) {
  const lines = String(note ?? '').split('\n');
  if (lines.length < 3 || !/^[0-9]{1,18}$/.test(lines[1]) || !/^[A-Za-z0-9+/]{43}=$/.test(lines[2])) {
    return null;
  }
  return { origin: lines[0], size: Number(lines[1]), root: fromBase64(lines[2]) };
}

/**
 * Recomputes the root from the leaf and its audit path (RFC 9162 section 2.1.3.2) and compares it with the
 * checkpoint's. Answers {verified, reason}; never throws on bad input.
 */
export async function verifyInclusion(receipt) {
  try {
    const checkpoint = checkpointOf(receipt.checkpoint);
    if (!checkpoint) {
      return { verified: false, reason: 'checkpoint-malformed' };
    }
    if (checkpoint.size !== receipt.treeSize) {
      return { verified: false, reason: 'tree-size-differs' };
    }
    let index = receipt.logIndex;
    let last = receipt.treeSize - 1;
    if (!Number.isSafeInteger(index) || index < 0 || index > last) {
      return { verified: false, reason: 'index-outside-tree' };
    }
    let hash = await sha256(concat(new Uint8Array([0]), fromBase64(receipt.leaf)));
    if (receipt.leafHash && !equal(hash, fromBase64(receipt.leafHash))) {
      return { verified: false, reason: 'leaf-hash-differs' };
    }
    for (const step of receipt.inclusionProof ?? []) {
      const sibling = fromBase64(step);
      if (sibling.length !== 32 || last === 0) {
        return { verified: false, reason: 'path-malformed' };
      }
      if (index % 2 === 1 || index === last) {
        hash = await sha256(concat(new Uint8Array([1]), sibling, hash));
        if (index % 2 === 0) {
          while (index % 2 === 0 && index !== 0) {
            index = Math.floor(index / 2);
            last = Math.floor(last / 2);
          }
        }
      } else {
        hash = await sha256(concat(new Uint8Array([1]), hash, sibling));
      }
      index = Math.floor(index / 2);
      last = Math.floor(last / 2);
    }
    if (last !== 0) {
      return { verified: false, reason: 'path-too-short' };
    }
    return equal(hash, checkpoint.root) ? { verified: true, reason: null } : { verified: false, reason: 'root-differs' };
  } catch {
    return { verified: false, reason: 'malformed' };
  }
}

