#!/usr/bin/env python3
"""Verifies an evidence bundle of a research extract offline, without the platform's code.

    python3 verify-evidence-bundle.py BUNDLE [--witness-key VKEY]

BUNDLE is the zip the research portal's oversight console gives an auditor for one extract (or the directory
it was unpacked into). Next to this script in the bundle's verify/ directory are docs/verify-registry-log.py
and docs/recompute-snapshot.py, whose functions this uses; only Python's standard library and the openssl
command are needed. VKEY is the witness's cosignature key (`<name>+<key ID>+<base64(0x04 || key)>`): take it
from the witness, not from the bundle. Without it the bundle's own witness-key file is used, and the result
says so. Likewise the registry's verifier key and the warehouse's manifest key in the bundle should be
compared with the ones the registry and the warehouse publish.

What is checked:
  1. the registry's log (log/): every checkpoint's signature, the witness's cosignature, and that the leaves
     hash to each checkpoint's root (verify-registry-log.py);
  2. the exclusion snapshot (snapshot/): its signed manifest, every opening of the leaves below its checkpoint,
     and the set recomputed from the log is the signed one (recompute-snapshot.py); the pseudonym list is that set;
  3. the extract's manifest (extract/): the warehouse's Ed25519 signature over its exact bytes, and that it
     names the same registry checkpoint (origin, size, root) and the same exclusion snapshot (purpose, count,
     set hash, warehouse key version) as the signed snapshot.
The report (extract/report.json) is carried for reading; no signature covers it.
Prints what was checked and OK, or each problem and NOT VERIFIED. Exit 0 when everything verifies, 1 otherwise,
2 on usage errors.
"""
import base64
import contextlib
import importlib.util
import io
import json
import os
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name, filename):
    spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, filename))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


log = load("verify_registry_log", "verify-registry-log.py")
snapshot = load("recompute_snapshot", "recompute-snapshot.py")


def unpack(bundle, into):
    with zipfile.ZipFile(bundle) as archive:
        for member in archive.namelist():
            target = os.path.realpath(os.path.join(into, member))
            if not target.startswith(os.path.realpath(into) + os.sep):
                raise ValueError("the bundle holds a path outside itself: " + member)
        archive.extractall(into)


def pem_public_key(text):
    body = "".join(line for line in text.strip().split("\n") if not line.startswith("-----"))
    der = base64.b64decode(body, validate=True)
    prefix = bytes.fromhex("302a300506032b6570032100")
    if len(der) != 44 or not der.startswith(prefix):
        raise ValueError("the manifest key is not an Ed25519 public key")
    return der[len(prefix):]


def quietly(function, *arguments):
    """Runs a verifier's main, answering its exit code and what it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = function(*arguments)
    return code, out.getvalue().strip()


def check(directory, witness_key):
    problems = []
    read = lambda *path: open(os.path.join(directory, *path), encoding="utf-8").read()
    log_dir = os.path.join(directory, "log")
    witness_text = witness_key
    if witness_text is None and os.path.exists(os.path.join(directory, "witness-key")):
        witness_text = read("witness-key")
        print("note: the witness's key was taken from the bundle; give --witness-key from the witness to rely on it")
    witness = log.parse_witness_key(witness_text) if witness_text else None
    if witness is None:
        problems.append("no witness key: the checkpoint's cosignature cannot be checked")

    code, said = quietly(log.main, log_dir, None, witness)
    print("registry log: " + said.replace("\n", "\n  "))
    if code != 0:
        problems.append("the registry log does not verify")

    manifest_path = os.path.join(directory, "snapshot", "manifest")
    pseudonyms_path = os.path.join(directory, "snapshot", "pseudonyms.txt")
    code, said = quietly(snapshot.main, log_dir, manifest_path, pseudonyms_path)
    print("exclusion snapshot: " + said.replace("\n", "\n  "))
    if code != 0:
        problems.append("the exclusion snapshot is not the log's")
    signed_snapshot = None
    try:
        key = log.parse_verifier_key(read("log", "verifier-key"))
        signed_snapshot = snapshot.parse_manifest(snapshot.signed_text(read("snapshot", "manifest"), *key))
        if snapshot.set_hash(snapshot.read_pseudonyms(pseudonyms_path)) != signed_snapshot["set"]:
            problems.append("snapshot/pseudonyms.txt is not the signed set")
    except (snapshot.Problem, ValueError, OSError) as e:
        problems.append("the snapshot's manifest: %s" % e)

    try:
        manifest_bytes = open(os.path.join(directory, "extract", "manifest.json"), "rb").read()
        signature = base64.b64decode(read("extract", "manifest.json.sig").strip(), validate=True)
        if not log.verify_ed25519(pem_public_key(read("extract", "manifest-key.pub")), manifest_bytes, signature):
            problems.append("the extract manifest's signature does not verify with the warehouse's key")
        else:
            print("extract manifest: the warehouse's signature verifies")
        manifest = json.loads(manifest_bytes.decode("utf-8"))
        registry = manifest.get("registry", {})
        named = registry.get("checkpoint", {})
        exclusion = registry.get("exclusionSnapshot", {})
        if signed_snapshot is not None:
            same = [
                ("checkpoint origin", named.get("origin"), signed_snapshot["origin"]),
                ("checkpoint size", named.get("size"), signed_snapshot["size"]),
                ("checkpoint root", named.get("rootHash"), base64.b64encode(signed_snapshot["root"]).decode()),
                ("snapshot purpose", exclusion.get("purpose"), signed_snapshot["purpose"]),
                ("snapshot count", exclusion.get("count"), signed_snapshot["count"]),
                ("snapshot set-sha256", exclusion.get("setSha256"), signed_snapshot["set"]),
            ]
            if signed_snapshot["version"]:
                same.append(("warehouse key version", manifest.get("keys", {}).get("warehouseKeyVersion"), signed_snapshot["version"]))
            for what, extract_says, snapshot_says in same:
                if extract_says != snapshot_says:
                    problems.append("the extract manifest's %s is %s, the signed snapshot's %s" % (what, extract_says, snapshot_says))
            if not any(what for what, a, b in same if a != b):
                print("extract manifest: names the signed snapshot's checkpoint and set (%s@%d, %d pseudonyms)"
                      % (signed_snapshot["purpose"], signed_snapshot["size"], signed_snapshot["count"]))
    except (ValueError, OSError, AttributeError) as e:
        problems.append("the extract manifest: %s" % e)

    for problem in problems:
        print(problem)
    if problems:
        print("NOT VERIFIED: %d problem(s)" % len(problems))
        return 1
    print("OK: the extract, its exclusion snapshot and the registry log up to its checkpoint verify")
    return 0


def main(arguments):
    if len(arguments) not in (1, 3) or (len(arguments) == 3 and arguments[1] != "--witness-key"):
        print(__doc__)
        return 2
    bundle, witness_key = arguments[0], arguments[2] if len(arguments) == 3 else None
    try:
        if witness_key:
            log.parse_witness_key(witness_key)
    except ValueError as e:
        print("--witness-key: %s" % e)
        return 2
    if os.path.isdir(bundle):
        return checked(bundle, witness_key)
    with tempfile.TemporaryDirectory() as directory:
        try:
            unpack(bundle, directory)
        except (ValueError, zipfile.BadZipFile, OSError) as e:
            print("the bundle cannot be unpacked: %s" % e)
            print("NOT VERIFIED")
            return 1
        return checked(directory, witness_key)


def checked(directory, witness_key):
    try:
        return check(directory, witness_key)
    except Exception as e:  # a damaged bundle may break any parser: it does not verify
        print("the bundle is damaged: %s: %s" % (type(e).__name__, e))
        print("NOT VERIFIED")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
