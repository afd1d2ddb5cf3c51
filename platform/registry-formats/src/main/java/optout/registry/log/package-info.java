/**
 * The registry's transparency log, in plain Java: RFC 9162 Merkle hashing and proofs over a node
 * store, and checkpoints signed as C2SP signed notes. No Spring, no JDBC, no JSON here; the service
 * wires it to PostgreSQL. Everything below is specified precisely enough for an outsider to check our
 * log with their own code.
 *
 * <h2>Hashing (RFC 9162 section 2.1.1 = RFC 6962 section 2.1)</h2>
 *
 * <pre>
 * leaf hash   = SHA-256(0x00 || leaf bytes)
 * node hash   = SHA-256(0x01 || left hash || right hash)
 * MTH({})     = SHA-256()                        (e3b0c442...b855)
 * MTH({d0})   = leaf hash(d0)
 * MTH(D[n])   = node hash(MTH(D[0:k]), MTH(D[k:n]))   for n &gt; 1, k = largest power of two &lt; n
 * </pre>
 *
 * Proofs are RFC 9162's: the inclusion proof PATH(m, D[n]) (section 2.1.3.1) lists sibling hashes
 * from the leaf up; the consistency proof PROOF(m, D[n]) (section 2.1.4.1) is empty for m = 0 or m = n.
 * {@link optout.registry.log.ProofVerifier} verifies both by sections 2.1.3.2 and 2.1.4.2.
 *
 * <h2>The node store</h2>
 *
 * A node (level, index) is the complete subtree over leaves [index * 2^level, (index + 1) * 2^level);
 * level 0 holds the leaf hashes. A tree of n leaves stores exactly the nodes with
 * (index + 1) * 2^level &le; n, about 2n in all; the right edge of a tree whose size is not a power of
 * two is computed, never stored. Nodes are write-once. {@link optout.registry.log.NodeStore} states
 * the contract: exact contents, write-once, atomic compare-and-set append, ordered batch reads that
 * fail on a missing node. {@link optout.registry.log.MerkleLog} makes one batch read per root, proof
 * or append (O(log n) ids) and one write per append batch.
 *
 * <h2>Checkpoints (c2sp.org/tlog-checkpoint)</h2>
 *
 * <pre>
 * &lt;origin&gt;\n                       non-empty, no control characters
 * &lt;tree size&gt;\n                    ASCII decimal, "0" or no leading zero, no sign, at most 2^63-1
 * &lt;root hash&gt;\n                    standard base64 (RFC 4648 section 4) with padding of the 32-byte MTH
 * [&lt;extension line&gt;\n ...]        optional, non-empty, opaque
 * </pre>
 *
 * The parser accepts exactly what the formatter writes: no CR, no blank lines, canonical numbers and
 * base64 (unused bits zero).
 *
 * <h2>Signed notes (c2sp.org/signed-note; golang.org/x/mod/sumdb/note)</h2>
 *
 * <pre>
 * &lt;note text, ending in \n&gt;
 * \n
 * — &lt;key name&gt; &lt;base64(key ID (4 bytes, big-endian) || signature)&gt;\n     (one or more; "—" is U+2014)
 * </pre>
 *
 * The whole note is UTF-8 without control characters other than newline. The text is everything up
 * to and including the newline before the last blank line. Key names are non-empty, without Unicode
 * white space or {@code +}. Ed25519 (signature type 0x01): the signature is RFC 8032 Ed25519 over the
 * text's bytes (final newline included, blank line not), and
 *
 * <pre>
 * key ID = first 4 bytes, big-endian, of SHA-256(key name || 0x0A || 0x01 || 32-byte public key)
 * </pre>
 *
 * A verifier ignores lines by unknown keys (name and key ID both must match a trusted key), rejects
 * the note if a trusted key's line does not verify, and requires at least one trusted signature. At
 * most {@value optout.registry.log.SignedNote#MAX_SIGNATURES} lines are accepted.
 *
 * <h2>Key strings (as golang.org/x/mod/sumdb/note writes them)</h2>
 *
 * <pre>
 * verifier key: &lt;name&gt;+&lt;key ID, 8 lower-case hex digits&gt;+&lt;base64(0x01 || 32-byte public key)&gt;
 * signer key:   PRIVATE+KEY+&lt;name&gt;+&lt;key ID&gt;+&lt;base64(0x01 || 32-byte Ed25519 seed)&gt;
 * </pre>
 *
 * Example (the Go package's test key): {@code PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW}.
 *
 * <h2>Witness cosignatures (c2sp.org/tlog-cosignature, cosignature/v1)</h2>
 *
 * A witness that checked a checkpoint's consistency with the last one it cosigned adds a signature
 * line of type 0x04 to the same note:
 *
 * <pre>
 * — &lt;witness name&gt; &lt;base64(key ID || timestamp (8 bytes, big-endian POSIX seconds) || Ed25519 signature)&gt;
 * key ID         = first 4 bytes of SHA-256(witness name || 0x0A || 0x04 || 32-byte public key)
 * signed message = "cosignature/v1\n" "time " &lt;timestamp, decimal&gt; "\n" &lt;checkpoint note text&gt;
 * verifier key   = &lt;witness name&gt;+&lt;key ID&gt;+&lt;base64(0x04 || public key)&gt;
 * signer key     = PRIVATE+KEY+&lt;witness name&gt;+&lt;key ID&gt;+&lt;base64(0x04 || seed)&gt;
 * </pre>
 *
 * {@link optout.registry.log.Ed25519CosignatureVerifier} is a {@link optout.registry.log.NoteVerifier}
 * like the log's key, so {@link optout.registry.log.SignedNote#verify} takes it;
 * {@link optout.registry.log.CheckpointVerifier#requiringCosignatures} demands the log's signature and
 * each named witness's cosignature. Cosignatures live in this package, not a witness package, because
 * they are one more signature type of the same signed notes and share its strict encodings; the witness
 * protocol (HTTP, state) is the {@code registry-witness} module's.
 */
package optout.registry.log;
