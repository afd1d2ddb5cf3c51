#!/usr/bin/env python3
"""Verifies an export of the NHI opt-out registry's transparency log without the registry's code.

    python3 docs/verify-registry-log.py EXPORT_DIR [--remember FILE] [--witness-key VKEY]

EXPORT_DIR is what `./optout registry export-log --out DIR` writes (see its FORMAT.md). Every checkpoint's
Ed25519 signature is checked with the openssl command (Python's standard library has no Ed25519), and
the root of the first `size` leaves, hashed as RFC 9162 prescribes, must equal the root each checkpoint
signs. Exit 0 when everything verifies, 1 otherwise. Only the standard library and openssl are used.

With --remember FILE the verifier holds the registry to what it was shown before: FILE keeps the newest
checkpoint of the last export that verified, and a later export must extend it (hold at least its leaves,
and hash to its root), or it does not verify: a registry that lost signed events or shows this verifier
another history is caught although its export agrees with itself. Then FILE gets the export's newest.

With --witness-key VKEY (the witness's cosignature key, `<name>+<key ID>+<base64(0x04 || key)>`, taken from
the witness, not from the export) every cosignature by that witness must verify (C2SP tlog-cosignature,
cosignature/v1), at least one checkpoint must carry one, and the newest cosigned checkpoint is the one
trusted: with --remember, FILE keeps that one, and the remembered checkpoint must be cosigned too.
"""
import base64
import hashlib
import os
import subprocess
import sys
import tempfile


def leaf_hash(leaf):
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def root(hashes):
    """RFC 9162 Merkle Tree Hash of a list of leaf hashes (iteratively, right edge carried up)."""
    if not hashes:
        return hashlib.sha256(b"").digest()
    level = list(hashes)
    while len(level) > 1:
        nxt = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


def parse_verifier_key(text):
    name, key_id, key = text.strip().split("+", 2)
    raw = base64.b64decode(key, validate=True)
    if raw[0] != 1 or len(raw) != 33:
        raise ValueError("not an Ed25519 verifier key")
    public = raw[1:]
    expected = hashlib.sha256(name.encode() + b"\n" + b"\x01" + public).digest()[:4]
    if expected.hex() != key_id:
        raise ValueError("the key ID does not match the key")
    return name, expected, public


def parse_witness_key(text):
    name, key_id, key = text.strip().split("+", 2)
    raw = base64.b64decode(key, validate=True)
    if raw[0] != 4 or len(raw) != 33:
        raise ValueError("not a witness's Ed25519 cosignature key (type 0x04)")
    public = raw[1:]
    expected = hashlib.sha256(name.encode() + b"\n" + b"\x04" + public).digest()[:4]
    if expected.hex() != key_id:
        raise ValueError("the witness key ID does not match the key")
    return name, expected, public


def check_cosignature(note, witness):
    """True if the witness cosigned the checkpoint in this note, False if it did not; ValueError if its line is wrong."""
    name, key_id, public = witness
    text, _, signatures = note.partition("\n\n")
    text += "\n"
    cosigned = False
    for line in signatures.strip().split("\n"):
        dash, line_name, sig = line.split(" ")
        raw = base64.b64decode(sig, validate=True)
        if dash != "\u2014" or line_name != name or raw[:4] != key_id:
            continue
        timestamp = int.from_bytes(raw[4:12], "big")
        if len(raw) != 4 + 8 + 64 or timestamp >= 2 ** 63:
            raise ValueError("the witness's cosignature is malformed")
        message = b"cosignature/v1\ntime %d\n" % timestamp + text.encode()
        if not verify_ed25519(public, message, raw[12:]):
            raise ValueError("the witness's cosignature does not verify")
        cosigned = True
    return cosigned


def verify_ed25519(public, message, signature):
    spki = bytes.fromhex("302a300506032b6570032100") + public  # SubjectPublicKeyInfo of an Ed25519 key
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for name, data in (("key.der", spki), ("message", message), ("signature", signature)):
            paths[name] = os.path.join(tmp, name)
            with open(paths[name], "wb") as f:
                f.write(data)
        result = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-keyform", "DER", "-inkey", paths["key.der"],
                                 "-rawin", "-in", paths["message"], "-sigfile", paths["signature"]],
                                capture_output=True)
        return result.returncode == 0


def check_checkpoint(note, origin, key_name, key_id, public):
    text, _, signatures = note.partition("\n\n")
    text += "\n"
    lines = text.split("\n")
    if lines[0] != origin:
        raise ValueError("origin is " + lines[0])
    size = int(lines[1])
    signed_root = base64.b64decode(lines[2], validate=True)
    for line in signatures.strip().split("\n"):
        dash, name, sig = line.split(" ")
        raw = base64.b64decode(sig, validate=True)
        if dash == "\u2014" and name == key_name and raw[:4] == key_id:
            if verify_ed25519(public, text.encode(), raw[4:]):
                return size, signed_root
            raise ValueError("the signature does not verify")
    raise ValueError("no signature by the verifier key")


def main(directory, remember=None, witness=None):
    origin = open(os.path.join(directory, "origin")).read().strip()
    key_name, key_id, public = parse_verifier_key(open(os.path.join(directory, "verifier-key")).read())
    with open(os.path.join(directory, "leaves")) as f:
        hashes = [leaf_hash(base64.b64decode(line.strip(), validate=True)) for line in f if line.strip()]
    problems = 0
    checkpoints = sorted(int(n) for n in os.listdir(os.path.join(directory, "checkpoints")))
    cosigned = []
    for size in checkpoints:
        note = open(os.path.join(directory, "checkpoints", str(size)), encoding="utf-8").read()
        try:
            signed_size, signed_root = check_checkpoint(note, origin, key_name, key_id, public)
            if witness and check_cosignature(note, witness):
                cosigned.append(size)
        except ValueError as e:
            print("checkpoint %d: %s" % (size, e))
            problems += 1
            continue
        if signed_size != size or signed_size > len(hashes):
            print("checkpoint %d: signs %d leaves, the export holds %d" % (size, signed_size, len(hashes)))
            problems += 1
        elif root(hashes[:signed_size]) != signed_root:
            print("checkpoint %d: the leaves do not hash to its signed root" % size)
            problems += 1
    if witness and not cosigned:
        print("no checkpoint is cosigned by the witness %s" % witness[0])
        problems += 1
    remembered_size = -1
    if remember and os.path.exists(remember):
        try:
            remembered = open(remember, encoding="utf-8").read()
            remembered_size, remembered_root = check_checkpoint(remembered, origin, key_name, key_id, public)
            if witness and not check_cosignature(remembered, witness):
                raise ValueError("it is not cosigned by the witness %s" % witness[0])
        except ValueError as e:
            print("the remembered checkpoint in %s: %s" % (remember, e))
            problems += 1
        else:
            if remembered_size > len(hashes):
                print("the export holds %d leaves, fewer than the checkpoint of %d remembered in %s: the registry lost signed events"
                      % (len(hashes), remembered_size, remember))
                problems += 1
            elif root(hashes[:remembered_size]) != remembered_root:
                print("the export's first %d leaves do not hash to the checkpoint remembered in %s: the registry shows another history"
                      % (remembered_size, remember))
                problems += 1
    if problems:
        print("NOT VERIFIED: %d problem(s)" % problems)
        return 1
    trusted = cosigned if witness else checkpoints
    if remember and trusted and trusted[-1] >= remembered_size:
        newest = open(os.path.join(directory, "checkpoints", str(trusted[-1])), encoding="utf-8").read()
        partial = remember + ".partial"
        with open(partial, "w", encoding="utf-8") as f:
            f.write(newest)
        os.replace(partial, remember)
    print("OK: %d leaves, %d checkpoints verified" % (len(hashes), len(checkpoints))
          + (", %d cosigned by the witness %s (the newest: %d)" % (len(cosigned), witness[0], cosigned[-1]) if witness else ""))
    return 0


if __name__ == "__main__":
    arguments, options = sys.argv[1:2], dict(zip(sys.argv[2::2], sys.argv[3::2]))
    if len(arguments) != 1 or len(sys.argv) % 2 != 0 or not set(options) <= {"--remember", "--witness-key"}:
        print(__doc__)
        sys.exit(2)
    try:
        witness_key = parse_witness_key(options["--witness-key"]) if "--witness-key" in options else None
    except ValueError as e:
        print("--witness-key: %s" % e)
        sys.exit(2)
    sys.exit(main(arguments[0], options.get("--remember"), witness_key))
