#!/usr/bin/env python3
"""Recomputes a signed exclusion snapshot of the NHI opt-out registry from an export of its log.

    python3 docs/recompute-snapshot.py EXPORT_DIR MANIFEST [--pseudonyms FILE]

EXPORT_DIR is what `./optout registry export-log --out DIR` writes, with its openings.jsonl and rekeys.jsonl
(auditors only).
MANIFEST is the snapshot's signed manifest as the registry serves it (GET /api/v1/snapshots/{id}/manifest).
FILE is the snapshot's pseudonyms, one decimal a line, ascending (GET /api/v1/snapshots/{id}/pseudonyms, the
same values as its Parquet file); it is only needed to name which pseudonyms differ, and is itself checked
against the signed set hash.

What is checked, with Python's standard library and the openssl command only (as docs/verify-registry-log.py,
whose functions this uses):
  1. the manifest's signature, by the export's verifier key;
  2. the checkpoint the manifest names: the export holds it, signed, and its first `size` leaves hash to its root;
  3. every opening: SHA-256("nhi-optout-person/1" 0x00 salt person-as-8-bytes-big-endian) is its leaf's
     `person`, and every event leaf below the checkpoint has one;
  4. the set: the leaves below the checkpoint folded as optout-registry/README.md ("Recomputing a snapshot")
     specifies, each event's person taken under the warehouse key version the manifest names (an event filed
     under another version counts for the person rekeys.jsonl maps it to, the registry's statement), with the scope rules and exemption decisions logged by then, hashed as the registry does
     (SHA-256 over the ascending pseudonyms, 8 bytes big-endian each), must be the manifest's set-sha256 and count.
Prints OK, or each problem; when the set differs and FILE is given, exactly which pseudonyms the snapshot misses
and which it holds without reason. Exit 0 when the snapshot is what the log says, 1 otherwise, 2 on usage errors.
"""
import base64
import hashlib
import importlib.util
import json
import os
import struct
import sys

_spec = importlib.util.spec_from_file_location(
    "verify_registry_log", os.path.join(os.path.dirname(os.path.abspath(__file__)), "verify-registry-log.py"))
log = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(log)

EVENT_FORMATS = ("nhi-optout-registry-event/1", "nhi-optout-registry-event/2")
RULES_FORMAT = "nhi-optout-registry-scope-rules/1"
DECISION_FORMAT = "nhi-optout-registry-exemption-decision/1"
MANIFEST_FORMATS = ("nhi-optout-registry/exclusion-snapshot/1", "nhi-optout-registry/exclusion-snapshot/2")
PERSON_CONTEXT = b"nhi-optout-person/1\x00"


class Problem(Exception):
    pass


def signed_text(note, key_name, key_id, public):
    """The text of a C2SP signed note that the verifier key signed."""
    text, _, signatures = note.partition("\n\n")
    text += "\n"
    for line in signatures.strip().split("\n"):
        parts = line.split(" ")
        if len(parts) != 3:
            continue
        dash, name, sig = parts
        raw = base64.b64decode(sig, validate=True)
        if dash == "\u2014" and name == key_name and raw[:4] == key_id:
            if log.verify_ed25519(public, text.encode(), raw[4:]):
                return text
            raise Problem("the manifest's signature does not verify with the log's key")
    raise Problem("the manifest carries no signature by the log's key")


def parse_manifest(text):
    """Format 1, or format 2 with the warehouse key version of its pseudonyms (0: format 1 does not say)."""
    lines = text[:-1].split("\n")
    keys = ["purpose", "exemption", "checkpoint", "count", "set-sha256", "file-sha256", "created"]
    if lines[0] == MANIFEST_FORMATS[1]:
        keys.insert(3, "warehouse-key-version")
    if lines[0] not in MANIFEST_FORMATS or len(lines) != len(keys) + 1:
        raise Problem("the manifest is not " + " or ".join(MANIFEST_FORMATS))
    values = {}
    for key, line in zip(keys, lines[1:]):
        if not line.startswith(key + " "):
            raise Problem("the manifest's line for %s is missing" % key)
        values[key] = line[len(key) + 1:]
    origin, size, root = values["checkpoint"].rsplit(" ", 2)
    return {"purpose": values["purpose"], "exemption": values["exemption"], "origin": origin, "size": int(size),
            "root": base64.b64decode(root, validate=True), "count": int(values["count"]), "set": values["set-sha256"],
            "version": int(values.get("warehouse-key-version", "0"))}


def fields(leaf):
    """A leaf's `name value` lines (the first line, its format, under "format")."""
    lines = leaf.decode("utf-8").split("\n")
    out = {"format": lines[0]}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(" ")
            out.setdefault(name, value)
    return out


def parse_rules(leaf):
    """Scope rules: {purpose: set of scopes whose opt-out excludes from it}, {exemption: set of purposes it overrides}."""
    excluded_by, overrides = {}, {}
    for line in leaf.decode("utf-8").split("\n")[1:]:
        if not line:
            continue
        kind, code, relation, codes = line.split(" ")
        if (kind, relation) == ("scope", "excluded-by"):
            excluded_by[code] = set(codes.split(","))
        elif (kind, relation) == ("exemption", "overrides"):
            overrides[code] = set(codes.split(","))
        else:
            raise Problem("a scope rules leaf has the line " + line)
    return excluded_by, overrides


def commitment(salt, person):
    return hashlib.sha256(PERSON_CONTEXT + salt + struct.pack(">q", person)).hexdigest()


def set_hash(values):
    digest = hashlib.sha256()
    for value in values:
        digest.update(struct.pack(">q", value))
    return digest.hexdigest()


def read_export(directory):
    origin = open(os.path.join(directory, "origin")).read().strip()
    key = log.parse_verifier_key(open(os.path.join(directory, "verifier-key")).read())
    with open(os.path.join(directory, "leaves")) as f:
        leaves = [base64.b64decode(line.strip(), validate=True) for line in f if line.strip()]
    openings = {}
    with open(os.path.join(directory, "openings.jsonl")) as f:
        for number, line in enumerate(f, 1):
            if line.strip():
                opening = json.loads(line)
                if opening["index"] in openings:
                    raise Problem("openings.jsonl line %d: a second opening of leaf %d" % (number, opening["index"]))
                openings[opening["index"]] = (opening["person"], bytes.fromhex(opening["salt"]), opening.get("keyVersion", 0))
    rekeys = {}
    path = os.path.join(directory, "rekeys.jsonl")
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    rekeys[(r["toVersion"], r["fromVersion"], r["fromPerson"])] = r["toPerson"]
    return origin, key, leaves, openings, rekeys


def check_checkpoint(directory, manifest, origin, key, leaves):
    size = manifest["size"]
    if manifest["origin"] != origin:
        raise Problem("the manifest names the log %s, the export is of %s" % (manifest["origin"], origin))
    path = os.path.join(directory, "checkpoints", str(size))
    if not os.path.exists(path):
        raise Problem("the export holds no signed checkpoint of size %d" % size)
    try:
        signed_size, signed_root = log.check_checkpoint(open(path, encoding="utf-8").read(), origin, *key)
    except ValueError as e:
        raise Problem("checkpoint %d: %s" % (size, e))
    if signed_size != size or signed_root != manifest["root"]:
        raise Problem("the manifest names another root for size %d than the signed checkpoint" % size)
    if size > len(leaves) or log.root([log.leaf_hash(leaf) for leaf in leaves[:size]]) != signed_root:
        raise Problem("the export's first %d leaves do not hash to checkpoint %d's root" % (size, size))


def check_openings(leaves, openings, size, version, rekeys):
    """Every event leaf below size opened correctly; answers the person of each event leaf by index, under the
    warehouse key version (0: as filed)."""
    problems = []
    persons = {}
    for index, leaf in enumerate(leaves):
        f = fields(leaf)
        if f["format"] not in EVENT_FORMATS:
            if index in openings:
                problems.append("leaf %d is not an event, yet openings.jsonl opens it" % index)
            continue
        if index not in openings:
            if index < size:
                problems.append("event leaf %d has no opening" % index)
            continue
        person, salt, filed_under = openings[index]
        if len(salt) != 16 or commitment(salt, person) != f.get("person"):
            problems.append("the opening of leaf %d does not open its person commitment" % index)
            continue
        if version and filed_under != version:
            if (version, filed_under, person) not in rekeys:
                if index < size:
                    problems.append("leaf %d was filed under warehouse key version %d and rekeys.jsonl does not map it to version %d"
                                    % (index, filed_under, version))
                continue
            person = rekeys[(version, filed_under, person)]
        persons[index] = person
    for index in openings:
        if index >= len(leaves):
            problems.append("openings.jsonl opens leaf %d, the export holds %d leaves" % (index, len(leaves)))
    return persons, problems


def fold(leaves, persons, size):
    """Each person's opted-out scopes, the last scope rules and the exemption grants in force, after leaves [0, size)."""
    scopes, rules, grants, events_before_rules = {}, None, {}, False
    for index, leaf in enumerate(leaves[:size]):
        f = fields(leaf)
        if f["format"] in EVENT_FORMATS:
            events_before_rules |= rules is None
            person, named = persons[index], set(f["scopes"].split(","))
            state = scopes.setdefault(person, set())
            if f["type"] == "opt-out-filed":
                state |= named
            elif f["type"] == "opt-out-withdrawn":
                state -= named
            elif f["type"] == "scopes-changed":
                state.clear()
                state |= named
            else:
                raise Problem("leaf %d has the unknown event type %s" % (index, f["type"]))
        elif f["format"] == RULES_FORMAT:
            rules = parse_rules(leaf)
        elif f["format"] == DECISION_FORMAT:
            grants.setdefault(f["exemption"], {})[f["grantee"]] = f["action"] == "grant"
        else:
            raise Problem("leaf %d has the unknown format %s" % (index, f["format"]))
    return scopes, rules, grants, events_before_rules


def recompute(manifest, scopes, rules, events_before_rules):
    purpose, exemption = manifest["purpose"], manifest["exemption"]
    if rules is None:
        if events_before_rules:
            raise Problem("events precede the first scope rules in the log: no snapshot at checkpoint %d is defined" % manifest["size"])
        return []
    excluded_by, overrides = rules
    if purpose not in excluded_by:
        raise Problem("the scope rules in force at checkpoint %d have no purpose %s" % (manifest["size"], purpose))
    if exemption != "none":
        if purpose not in overrides.get(exemption, set()):
            raise Problem("the scope rules in force at checkpoint %d do not let exemption %s override %s"
                          % (manifest["size"], exemption, purpose))
        return []
    return sorted(person for person, opted_out in scopes.items() if opted_out & excluded_by[purpose])


def read_pseudonyms(path):
    with open(path) as f:
        values = [int(line) for line in f if line.strip()]
    if any(b <= a for a, b in zip(values, values[1:])):
        raise Problem("the pseudonym list is not ascending and distinct")
    return values


def main(directory, manifest_path, pseudonyms_path=None):
    try:
        origin, key, leaves, openings, rekeys = read_export(directory)
        manifest = parse_manifest(signed_text(open(manifest_path, encoding="utf-8").read(), *key))
        check_checkpoint(directory, manifest, origin, key, leaves)
        persons, problems = check_openings(leaves, openings, manifest["size"], manifest["version"], rekeys)
        if problems:
            for problem in problems:
                print(problem)
            print("NOT VERIFIED: %d opening problem(s); the set cannot be recomputed" % len(problems))
            return 1
        scopes, rules, grants, events_before_rules = fold(leaves, persons, manifest["size"])
        recomputed = recompute(manifest, scopes, rules, events_before_rules)
    except Problem as e:
        print(e)
        print("NOT VERIFIED")
        return 1
    name = "%s%s@%d" % (manifest["purpose"], "" if manifest["exemption"] == "none" else "+" + manifest["exemption"], manifest["size"])
    if manifest["exemption"] != "none":
        holders = sorted(g for g, held in grants.get(manifest["exemption"], {}).items() if held)
        print("exemption %s was granted at checkpoint %d to: %s" % (manifest["exemption"], manifest["size"], ", ".join(holders) or "nobody"))
    if set_hash(recomputed) == manifest["set"] and len(recomputed) == manifest["count"]:
        print("OK: snapshot %s recomputed from %d leaves: %d pseudonyms%s, the signed set-sha256 matches"
              % (name, manifest["size"], len(recomputed),
                 " under warehouse key version %d" % manifest["version"] if manifest["version"] else ""))
        return 0
    print("the snapshot %s is not the log's: the signed manifest says %d pseudonyms, set-sha256 %s; the log gives %d, set-sha256 %s"
          % (name, manifest["count"], manifest["set"], len(recomputed), set_hash(recomputed)))
    if pseudonyms_path is None:
        print("give --pseudonyms FILE (GET /api/v1/snapshots/%s/pseudonyms) to name the pseudonyms that differ" % name)
    else:
        try:
            served = read_pseudonyms(pseudonyms_path)
        except (Problem, ValueError) as e:
            print("%s: %s" % (pseudonyms_path, e))
            served = None
        if served is not None and set_hash(served) != manifest["set"]:
            print("%s is not the signed set either (its set-sha256 is %s): it cannot say which differ" % (pseudonyms_path, set_hash(served)))
        elif served is not None:
            for value in sorted(set(recomputed) - set(served)):
                print("missing from the snapshot: %d" % value)
            for value in sorted(set(served) - set(recomputed)):
                print("in the snapshot without reason: %d" % value)
    print("NOT VERIFIED")
    return 1


if __name__ == "__main__":
    if len(sys.argv) == 3:
        sys.exit(main(sys.argv[1], sys.argv[2]))
    if len(sys.argv) == 5 and sys.argv[3] == "--pseudonyms":
        sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[4]))
    print(__doc__)
    sys.exit(2)
