#!/usr/bin/env python3
"""Verify a ledger archive (ledger.archive/1) with nothing but Python 3.10+ and `cryptography`.

    python3 verify_archive.py ARCHIVE.zip --trusted-key ed25519:... [--trust trust.json]
                              [--checkpoint HELD.txt ...]

Exit 0: verified. Exit 1: an integrity failure (the first break is named). Exit 2: a malformed
archive or bad input. Nothing is extracted, written or run; the archive is read as hostile.

This file is a second implementation, written from the specifications (docs/format.md and
docs/archive-format.md of the ledger; RFC 8785, RFC 8032, RFC 9162; C2SP signed-note,
tlog-checkpoint, tlog-cosignature, tlog-proof; PKWARE APPNOTE), not from the ledger's code, so
that an auditor need not trust the ledger's own verifier. Read it: it is meant to be read.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import stat
import struct
import sys
import zlib
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


class BadInput(Exception):
    """Exit 2: the archive is malformed, or the input is wrong."""


class Broken(Exception):
    """Exit 1: the archive is not what it claims."""


# --- 1. The file: a ZIP of stored members in one canonical layout (archive-format.md s. 2) ---

MAX_FILE = 0xFFFFFFFF
MAX_MEMBERS = 50_000
MAX_SMALL = 64 << 20
MAX_PROOFS = 1 << 30
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
FIXED = {"manifest.json", "records.txt", "checkpoint.txt", "proofs.json", "keys.json",
         "trust.json", "verify_archive.py", "README.txt"}  # fmt: skip
LIMITS = {"records.txt": MAX_FILE, "proofs.json": MAX_PROOFS}
CENTRAL = ("signature", "made_by", "version", "flags", "method", "time", "date", "crc",
           "stored_size", "plain_size", "name_length", "extra_length", "comment_length", "disk",
           "internal", "external", "offset")  # fmt: skip
CANONICAL = {"signature": 0x02014B50, "made_by": 0x0314, "version": 20, "flags": 0, "time": 0,
             "date": 0x21, "extra_length": 0, "comment_length": 0, "disk": 0, "internal": 0,
             "external": 0o100644 << 16}  # fmt: skip
HTML = re.compile(rf"html/(index|{UUID})\.(zh|en)\.html\Z")
DECISION = re.compile(rf"proofs/({UUID})-([1-9][0-9]{{0,15}})\.tlog-proof\Z")


def read_zip(data: bytes) -> dict[str, bytes]:
    """The members of a ledger archive, by name, after checking every byte of its layout."""
    if len(data) < 22:
        raise BadInput("not a ledger archive: too short for a ZIP")
    if len(data) > MAX_FILE:
        raise BadInput("the file is larger than a ledger archive may be")
    sig, disk, cd_disk, here, count, cd_size, cd_at, comment = struct.unpack(
        "<IHHHHIIH", data[-22:]
    )
    if sig != 0x06054B50 or disk or cd_disk or here != count or comment:
        raise BadInput("not a ledger archive: no plain ZIP end record at the end of the file")
    if not 0 < count <= MAX_MEMBERS or cd_at + cd_size != len(data) - 22:
        raise BadInput("not a ledger archive: bad member count or central directory")
    members: dict[str, bytes] = {}
    at, expected = cd_at, 0
    for _ in range(count):
        if at + 46 > len(data) - 22:
            raise BadInput("the ZIP central directory is cut short")
        e = dict(zip(CENTRAL, struct.unpack("<IHHHHHHIIIHHHHHII", data[at : at + 46]), strict=True))
        raw = data[at + 46 : at + 46 + e["name_length"]]
        at += 46 + e["name_length"]
        name = member_name(raw)
        if stat.S_IFMT(e["external"] >> 16) == stat.S_IFLNK:
            raise BadInput(f"member {name!r} is a symbolic link")
        if e["method"] != 0:
            raise BadInput(f"member {name!r} is compressed; members are stored")
        if any(e[field] != value for field, value in CANONICAL.items()):
            raise BadInput(f"member {name!r}: ZIP header fields not in the canonical layout")
        size, offset, crc = e["plain_size"], e["offset"], e["crc"]
        if e["stored_size"] != size or size > LIMITS.get(name, MAX_SMALL):
            raise BadInput(f"member {name!r}: size {size} above its limit, or sizes differ")
        if name in members:
            raise BadInput(f"member {name!r} appears twice")
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0x21, crc, size, size,
                            len(raw), 0) + raw  # fmt: skip
        if offset != expected or data[offset : offset + len(local)] != local:
            raise BadInput(f"member {name!r}: local header misplaced or unlike its directory entry")
        start = offset + len(local)
        expected = start + size
        if expected > cd_at:
            raise BadInput(f"member {name!r} runs into the central directory")
        content = data[start:expected]
        if zlib.crc32(content) != crc:
            raise BadInput(f"member {name!r} is damaged (CRC-32)")
        members[name] = content
    if at != len(data) - 22 or expected != cd_at:
        raise BadInput("the ZIP central directory does not account for the whole file")
    for name in ("manifest.json", "records.txt", "checkpoint.txt", "keys.json", "trust.json"):
        if name not in members:
            raise BadInput(f"not a ledger archive: no {name}")
    return members


def member_name(raw: bytes) -> str:
    try:
        name = raw.decode("ascii")
    except UnicodeDecodeError:
        raise BadInput(f"member name {raw!r} is not ASCII") from None
    if "\\" in name or name.startswith("/") or ".." in name.split("/"):
        raise BadInput(f"member name {name!r} is a path outside the archive")
    if not (name in FIXED or HTML.match(name) or DECISION.match(name)):
        raise BadInput(f"unexpected member {name!r}")
    return name


def strict_json(data: bytes, what: str) -> Any:
    """JSON with no duplicate key, no float, no NaN."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        if len({k for k, _ in items}) != len(items):
            raise ValueError("duplicate key")
        return dict(items)

    def no_float(text: str) -> Any:
        raise ValueError(f"non-integer number {text}")

    try:
        return json.loads(
            data.decode("utf-8"),
            object_pairs_hook=pairs,
            parse_float=no_float,
            parse_constant=no_float,
        )
    except (ValueError, RecursionError) as e:
        raise BadInput(f"{what} is not valid JSON: {e}") from None


# --- 2. Canonical JSON: RFC 8785 with integers only (format.md s. 1) -------------------------

ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
           "\r": "\\r"}  # fmt: skip


def canonical(value: Any) -> bytes:
    return encode(value).encode("utf-8")  # a lone surrogate raises UnicodeEncodeError


def encode(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        if abs(value) > 2**53 - 1:
            raise ValueError("integer out of range")
        return str(value)
    if isinstance(value, str):
        out = []
        for c in value:
            if c in ESCAPES:
                out.append(ESCAPES[c])
            elif ord(c) < 0x20:
                out.append(f"\\u{ord(c):04x}")
            else:
                out.append(c)
        return '"' + "".join(out) + '"'
    if isinstance(value, list):
        return "[" + ",".join(encode(v) for v in value) + "]"
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: k.encode("utf-16-be", "surrogatepass"))
        return "{" + ",".join(encode(k) + ":" + encode(value[k]) for k in keys) + "}"
    raise ValueError(f"not a canonical JSON value: {type(value).__name__}")


# --- 3. Hashes, keys and signatures (format.md s. 3-5, RFC 9162 s. 2.1.1, RFC 8032) ----------

DIGEST = re.compile(r"sha256:[0-9a-f]{64}\Z")
ZERO = "sha256:" + "0" * 64


def sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def leaf(header: bytes) -> bytes:
    return sha(b"\x00" + header)


def node(left: bytes, right: bytes) -> bytes:
    return sha(b"\x01" + left + right)


def raw_key(key_id: Any) -> bytes:
    if not isinstance(key_id, str) or not key_id.startswith("ed25519:"):
        raise ValueError(f"not a key id: {key_id!r}")
    raw = base64.b64decode(key_id[8:], validate=True)
    if len(raw) != 32 or base64.b64encode(raw).decode() != key_id[8:]:
        raise ValueError(f"not a key id: {key_id!r}")
    return raw


def ed25519_ok(key_id: str, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(raw_key(key_id)).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


# --- 4. Merkle proofs: RFC 9162 sections 2.1.3.2 and 2.1.4.2 --------------------------------


def root_of(leaves: list[bytes]) -> bytes:
    """MTH(D[n]) by the recursive definition."""
    if not leaves:
        return sha(b"")
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return node(root_of(leaves[:k]), root_of(leaves[k:]))


def inclusion_ok(hash_: bytes, index: int, size: int, path: list[bytes], root: bytes) -> bool:
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, hash_
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def consistency_ok(m: int, n: int, old: bytes, new: bytes, path: list[bytes]) -> bool:
    if m == n:
        return not path and old == new
    if not 0 < m < n or not path:
        return False
    if m & (m - 1) == 0:
        path = [old, *path]
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node(c, fr), node(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == old and sr == new


# --- 5. Checkpoints and cosignatures (C2SP signed-note, tlog-checkpoint, tlog-cosignature) ---


def parse_note(text: str) -> dict[str, Any]:
    body, sep, sigs = text.partition("\n\n")
    lines = body.split("\n")
    if not sep or len(lines) < 3 or not re.fullmatch(r"0|[1-9][0-9]*", lines[1]):
        raise BadInput("not a checkpoint")
    try:
        root = base64.b64decode(lines[2], validate=True)
        signatures = []
        for line in sigs.split("\n"):
            if line:
                if not line.startswith("\u2014 "):
                    raise ValueError(line)
                name, _, blob = line[2:].rpartition(" ")
                signatures.append((name, base64.b64decode(blob, validate=True)))
                if len(signatures[-1][1]) not in (68, 76):
                    raise ValueError(line)
    except ValueError:
        raise BadInput("not a checkpoint: bad base64 or signature line") from None
    if len(root) != 32 or not signatures:
        raise BadInput("not a checkpoint: bad root or no signature")
    return {
        "origin": lines[0],
        "size": int(lines[1]),
        "root": root,
        "body": (body + "\n").encode(),
        "sigs": signatures,
        "text": text,
    }


def note_signed_by(note: dict[str, Any], key_id: str) -> bool:
    want = sha(note["origin"].encode() + b"\n\x01" + raw_key(key_id))[:4]
    return any(
        name == note["origin"]
        and len(b) == 68
        and b[:4] == want
        and ed25519_ok(key_id, b[4:], note["body"])
        for name, b in note["sigs"]
    )


def cosigned_by(note: dict[str, Any], name: str, key_id: str) -> bool:
    want = sha(name.encode() + b"\n\x04" + raw_key(key_id))[:4]
    for line_name, b in note["sigs"]:
        if line_name == name and len(b) == 76 and b[:4] == want:
            (t,) = struct.unpack(">Q", b[4:12])
            message = b"cosignature/v1\ntime " + str(t).encode() + b"\n" + note["body"]
            if t < 2**63 and ed25519_ok(key_id, b[12:], message):
                return True
    return False


# --- 6. The records (format.md s. 2-8) --------------------------------------------------------

FORMAT = "ledger.event/2"
HEADER = {"format", "ledger", "seq", "prev", "stream", "version", "type", "occurred_at",
          "recorded_at", "actor", "payload", "signers"}  # fmt: skip


class Key:
    def __init__(self, holder: str, purposes: list[str], registered: int) -> None:
        self.holder, self.purposes, self.registered = holder, purposes, registered
        self.retired: int | None = None
        self.revoked: int | None = None

    def valid(self, position: int, purpose: str) -> bool:
        return (
            purpose in self.purposes
            and self.registered < position
            and (self.retired is None or position <= self.retired)
            and (self.revoked is None or position <= self.revoked)
        )


class Walk:
    """Checks the records in order; ``proofs`` (position -> path) for a partial archive."""

    def __init__(
        self, anchor: str | None, note: dict[str, Any], proofs: dict[int, list[bytes]] | None
    ) -> None:
        self.anchor, self.note, self.proofs = anchor, note, proofs
        self.keys: dict[str, Key] = {}
        self.ledger: str | None = None
        self.last, self.prev, self.recorded = 0, ZERO, ""
        self.versions: dict[str, int] = {}
        self.leaves: list[bytes] = []
        self.headers: dict[int, bytes] = {}
        self.withheld: list[int] = []
        self.key_events: list[tuple[int, str, Any]] = []

    def record(self, lines: list[bytes]) -> None:
        where = f"records.txt, the record after position {self.last}"
        try:
            header, seal, body = (strict_json(line, "a record line") for line in lines)
        except BadInput as e:
            raise Broken(f"{where}: {e}") from None
        if isinstance(header, dict) and header.get("format") not in (FORMAT, None):
            raise Broken(f"{where}: record format {header.get('format')!r}, expected {FORMAT!r}")
        if not isinstance(header, dict) or set(header) != HEADER:
            raise Broken(f"{where}: the header does not have the 12 fields")
        pos = header["seq"]
        if type(pos) is not int or pos < 1:
            raise Broken(f"{where}: bad seq")
        where = f"records.txt, position {pos}"
        try:
            ok = (
                canonical(header) == lines[0]
                and canonical(seal) == lines[1]
                and canonical(body) == lines[2]
            )
        except (ValueError, UnicodeEncodeError, TypeError):
            ok = False
        if not ok:
            raise Broken(f"{where}: a line is not in canonical JSON form")
        self.check(header, seal, body, lines[0], pos, where)

    def check(
        self, h: dict[str, Any], seal: Any, body: Any, raw: bytes, pos: int, where: str
    ) -> None:
        for f in ("format", "ledger", "stream", "type", "occurred_at", "recorded_at", "actor"):
            if not isinstance(h[f], str):
                raise Broken(f"{where}: header {f} is not a string")
        if (
            type(h["version"]) is not int
            or h["version"] < 1
            or not all(isinstance(h[f], str) and DIGEST.match(h[f]) for f in ("prev", "payload"))
        ):
            raise Broken(f"{where}: bad header version or digests")
        signers = h["signers"]
        if (
            not isinstance(signers, list)
            or not all(isinstance(k, str) for k in signers)
            or signers != sorted(set(signers))
        ):
            raise Broken(f"{where}: header signers is not a sorted list of distinct key ids")
        if h["format"] != FORMAT or (self.ledger or h["ledger"]) != h["ledger"]:
            raise Broken(f"{where}: another format or another ledger")
        self.ledger = h["ledger"]
        # The chain (whole) or the order (partial).
        if self.proofs is None and pos != self.last + 1:
            raise Broken(f"{where}: expected position {self.last + 1}")
        if pos <= self.last or pos > self.note["size"] or (self.last == 0 and pos != 1):
            raise Broken(f"{where}: out of order, beyond the checkpoint, or no genesis first")
        if pos == self.last + 1 and h["prev"] != self.prev:
            raise Broken(f"{where}: previous hash {h['prev']}, expected {self.prev}")
        digest = leaf(raw)
        if (
            not isinstance(seal, dict)
            or set(seal) != {"hash", "sigs"}
            or seal["hash"] != "sha256:" + digest.hex()
        ):
            raise Broken(f"{where}: the stored event hash is not SHA-256(0x00 || header)")
        last_version = self.versions.get(h["stream"], 0)
        if (self.proofs is None and h["version"] != last_version + 1) or h[
            "version"
        ] <= last_version:
            raise Broken(f"{where}: stream version {h['version']} after {last_version}")
        if h["recorded_at"] < self.recorded:
            raise Broken(f"{where}: recorded before the event before it")
        # The payload: present and committed, or withheld.
        if isinstance(body, dict) and set(body) == {"withheld"}:
            self.withheld.append(pos)
            payload: Any = None
        elif (
            isinstance(body, dict)
            and set(body) == {"payload", "salt"}
            and isinstance(body["salt"], str)
            and re.fullmatch(r"[0-9a-f]{64}", body["salt"])
        ):
            payload = body["payload"]
            commitment = sha(bytes.fromhex(body["salt"]) + canonical(payload))
            if "sha256:" + commitment.hex() != h["payload"]:
                raise Broken(f"{where}: payload does not match its commitment")
        else:
            raise Broken(f"{where}: the body is neither a payload with its salt nor withheld")
        self.signatures(h, seal["sigs"], payload, digest, pos, where)
        if self.proofs is not None:
            path = self.proofs.get(pos)
            if path is None or not inclusion_ok(
                digest, pos - 1, self.note["size"], path, self.note["root"]
            ):
                raise Broken(f"{where}: no inclusion proof, or it does not reach the checkpoint")
        self.versions[h["stream"]] = h["version"]
        self.last, self.prev, self.recorded = pos, "sha256:" + digest.hex(), h["recorded_at"]
        self.leaves.append(digest)
        self.headers[pos] = raw

    def signatures(
        self, h: dict[str, Any], sigs: Any, payload: Any, digest: bytes, pos: int, where: str
    ) -> None:
        if not isinstance(sigs, list):
            raise Broken(f"{where}: signatures are not a list")
        kind = h["type"]
        if kind in ("ledger.initialised", "key.registered", "key.revoked"):
            if not isinstance(payload, dict):
                raise Broken(f"{where}: a key event's payload must be present")
            self.key_events.append((pos, kind, payload))
        if pos == 1:
            key = payload.get("ledger_key") if isinstance(payload, dict) else None
            if kind != "ledger.initialised" or h["stream"] != h["ledger"] or not valid_id(key):
                raise Broken(f"{where}: the first event is not a genesis naming a ledger key")
            if self.anchor is not None and key != self.anchor:
                raise Broken(f"{where}: the genesis names {key}, you trust {self.anchor}")
            self.keys[str(key)] = Key("ledger", ["record", "act", "checkpoint"], 0)
        new = None
        if kind == "key.registered":
            assert isinstance(payload, dict)
            new, purposes = payload.get("public_key"), payload.get("purposes")
            holder, replaces = payload.get("holder"), payload.get("replaces")
            if (
                not valid_id(new)
                or new in self.keys
                or not isinstance(holder, str)
                or not holder
                or not isinstance(purposes, list)
                or not purposes
                or not all(isinstance(p, str) for p in purposes)
                or (replaces is not None and str(replaces) not in self.keys)
            ):
                raise Broken(f"{where}: a malformed key registration")
        # The list itself (not hashed): one record signature, then one act signature per key
        # of the header's signers, in that order (format.md s. 2.2).
        roles = [s.get("role") if isinstance(s, dict) else None for s in sigs]
        keys = [s.get("key") if isinstance(s, dict) else None for s in sigs]
        if roles != ["record"] + ["act"] * len(h["signers"]) or keys[1:] != h["signers"]:
            raise Broken(
                f"{where}: the signatures are not one record signature then one act signature "
                f"per header signer {h['signers']} in order (roles {roles}, keys {keys[1:]})"
            )
        records = acts = 0
        message_act = b"ledger.act.v1\n" + sha(
            canonical(
                {f: h[f] for f in ("ledger", "stream", "type", "occurred_at", "actor", "payload")}
            )
        )
        for s in sigs:
            if (
                not isinstance(s, dict)
                or set(s) != {"key", "role", "sig"}
                or not all(isinstance(v, str) for v in s.values())
            ):
                raise Broken(f"{where}: a malformed signature")
            try:
                sig = base64.b64decode(s["sig"], validate=True)
            except (ValueError, TypeError):
                raise Broken(f"{where}: a signature is not base64") from None
            if len(sig) != 64 or base64.b64encode(sig).decode() != s["sig"]:
                raise Broken(f"{where}: a signature is not 64 bytes in canonical base64")
            key = self.keys.get(s["key"])
            if s["role"] == "record":
                records += 1
                if key is None or not key.valid(pos, "record"):
                    raise Broken(f"{where}: record signature by {s['key']}, not valid here")
                message = b"ledger.event.v1\n" + digest
            elif s["role"] == "act":
                acts += s["key"] == new
                own = (
                    s["key"] == new
                    and isinstance(payload, dict)
                    and payload.get("holder") == h["actor"]
                )
                if not own and (
                    key is None or key.holder != h["actor"] or not key.valid(pos, "act")
                ):
                    raise Broken(f"{where}: act signature by {s['key']}, not valid here")
                message = message_act
            else:
                raise Broken(f"{where}: unknown signature role")
            if not ed25519_ok(s["key"], sig, message):
                raise Broken(f"{where}: signature by {s['key']} does not verify")
        if not records:
            raise Broken(f"{where}: no record signature")
        if kind == "key.registered":
            assert isinstance(payload, dict)
            if not acts:
                raise Broken(f"{where}: the new key did not sign its own registration")
            old = self.keys.get(str(payload.get("replaces")))
            if old is not None and old.retired is None:
                old.retired = pos
            self.keys[str(new)] = Key(payload["holder"], payload["purposes"], pos)
        if kind == "key.revoked":
            assert isinstance(payload, dict)
            target = self.keys.get(str(payload.get("key")))
            if target is None:
                raise Broken(f"{where}: revocation of an unknown key")
            if target.revoked is None:
                target.revoked = pos

    def checkpoint_signed(self, note: dict[str, Any], extra: list[str]) -> bool:
        signers = [k for k, key in self.keys.items() if key.valid(note["size"] + 1, "checkpoint")]
        return any(note_signed_by(note, k) for k in signers + extra)


def valid_id(key: Any) -> bool:
    try:
        raw_key(key)
    except ValueError:
        return False
    return True


def key_history(events: list[tuple[int, str, Any]]) -> list[dict[str, Any]]:
    """keys.json's list, as archive-format.md section 6 derives it."""
    keys: dict[str, dict[str, Any]] = {}
    for pos, kind, p in events:
        if kind == "ledger.initialised":
            keys[str(p.get("ledger_key"))] = entry(
                p.get("ledger_key"),
                "ledger",
                ["act", "checkpoint", "record"],
                "ledger key",
                0,
                None,
            )
        elif kind == "key.registered":
            keys[str(p.get("public_key"))] = entry(
                p.get("public_key"),
                p.get("holder"),
                sorted(p.get("purposes") or []),
                p.get("label", ""),
                pos,
                p.get("replaces"),
            )
            old = keys.get(str(p.get("replaces")))
            if p.get("replaces") is not None and old is not None and old["retired"] is None:
                old["retired"] = pos
        elif kind == "key.revoked":
            k = keys.get(str(p.get("key")))
            if k is not None and k["revoked"] is None:
                k["revoked"], k["revocation_reason"] = pos, p.get("reason")
    return list(keys.values())


def entry(
    key: Any, holder: Any, purposes: list[str], label: Any, at: int, replaces: Any
) -> dict[str, Any]:
    return {
        "key": key,
        "holder": holder,
        "purposes": purposes,
        "label": label,
        "registered": at,
        "replaces": replaces,
        "retired": None,
        "revoked": None,
        "revocation_reason": None,
    }


# --- 7. The archive (archive-format.md s. 9) ---------------------------------------------------


def digests(items: Any) -> list[bytes]:
    if (
        not isinstance(items, list)
        or len(items) > 64
        or not all(isinstance(i, str) and DIGEST.match(i) for i in items)
    ):
        raise BadInput("a proof path is a list of at most 64 sha256 digests")
    return [bytes.fromhex(i[7:]) for i in items]


def verify(
    path: str, trusted_key: str | None, policy: dict[str, Any] | None, held: list[str]
) -> list[str]:
    """Verify; returns lines to print; raises Broken or BadInput."""
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE + 1)
    except OSError as e:
        raise BadInput(f"cannot read {path}: {e}") from None
    members = read_zip(data)
    manifest = strict_json(members["manifest.json"], "manifest.json")
    note = parse_note(text(members, "checkpoint.txt"))
    policy = policy or {}
    anchor = (
        trusted_key
        or policy.get("ledger_key")
        or strict_json(members["trust.json"], "trust.json").get("ledger_key")
    )
    if policy.get("origin") not in (None, note["origin"]):
        raise Broken(f"the archive is of {note['origin']}, the trust policy of {policy['origin']}")
    check_manifest(manifest)
    kind = manifest["scope"]["kind"]
    listed = {m["name"]: (m["sha256"], m["size"]) for m in manifest["members"]}
    withheld = [w["position"] for w in manifest["withheld"]]
    if len(listed) != len(manifest["members"]):
        raise BadInput("manifest.json lists a member twice")
    proofs: dict[int, list[bytes]] | None = None
    consistency: dict[int, tuple[bytes, list[bytes]]] = {}
    if kind != "whole":
        if "proofs.json" not in members:
            raise BadInput("a partial archive needs proofs.json")
        doc = strict_json(members["proofs.json"], "proofs.json")
        try:
            proofs = {p["position"]: digests(p["path"]) for p in doc["inclusion"]}
            for c in doc["consistency"]:
                consistency[c["old_size"]] = (digests([c["old_root"]])[0], digests(c["path"]))
            if doc["tree_size"] != note["size"] or digests([doc["root"]])[0] != note["root"]:
                raise Broken("proofs.json is against another tree than the checkpoint's")
        except (TypeError, KeyError):
            raise BadInput("proofs.json is malformed") from None
    elif "proofs.json" in members:
        raise BadInput("a whole archive holds no proofs.json")
    # 1. The records, in order.
    walk = Walk(anchor, note, proofs)
    lines = members["records.txt"].split(b"\n")
    for i in range(0, len(lines) - 3, 3):
        walk.record(lines[i : i + 3])
    if lines[-1] != b"" or len(lines) % 3 != 1:
        raise BadInput("records.txt is not whole records, each line ending in a line feed")
    if walk.last == 0:
        raise Broken("records.txt: no event")
    if proofs is None and walk.last != note["size"]:
        raise Broken(f"records.txt holds {walk.last} events, the checkpoint {note['size']}")
    if proofs is None and root_of(walk.leaves) != note["root"]:
        raise Broken("checkpoint.txt: its tree head is not that of the records")
    if proofs is not None and set(proofs) != set(walk.headers):
        raise Broken("proofs.json: proofs and records are not for the same positions")
    if note["origin"] != "ledger/" + str(walk.ledger):
        raise Broken(f"checkpoint.txt: origin {note['origin']} is not this ledger's")
    if not walk.checkpoint_signed(note, list(policy.get("checkpoint_keys", []))):
        raise Broken("checkpoint.txt: not signed by a checkpoint key valid at its size")
    out = [
        f"records: {len(walk.headers)} events of {note['origin']} verified against the "
        f"checkpoint of {note['size']} ({len(walk.withheld)} withheld)"
    ]
    # 2. Witnesses the policy requires.
    needed = policy.get("witnesses_required", 0)
    if needed:
        seen = {
            raw_key(w["key"]) for w in policy["witnesses"] if cosigned_by(note, w["name"], w["key"])
        }
        if len(seen) < needed:
            raise Broken(f"checkpoint.txt: {len(seen)} trusted witnesses cosigned, {needed} needed")
        out.append(f"witnesses: {len(seen)} of the trusted witnesses cosigned")
    # 3. The manifest against the content; 4. every member's digest.
    pages = {n.split("/")[1].split(".")[0] for n in members if n.startswith("html/")} - {"index"}
    decisions = [n for n in members if DECISION.match(n)]
    if walk.last != note["size"]:
        raise Broken(f"records.txt does not end with the checkpoint's last event ({note['size']})")
    genesis = walk.key_events[0][2] if walk.key_events else {}
    expected = {
        "ledger": walk.ledger,
        "origin": note["origin"],
        "checkpoint": {"size": note["size"], "root": "sha256:" + note["root"].hex()},
        "name": genesis.get("name"),
        "as_of": json.loads(walk.headers[walk.last])["recorded_at"],
    }
    for field, value in expected.items():
        if manifest.get(field) != value:
            raise Broken(f"manifest.json: {field} differs from the archive's content")
    counts = manifest.get("counts", {})
    if withheld != walk.withheld or counts != {
        "events": len(walk.headers),
        "withheld": len(withheld),
        "matters": len(pages),
        "decision_proofs": len(decisions),
    }:
        raise Broken("manifest.json: counts or withheld positions differ from the content")
    if set(listed) != set(members) - {"manifest.json"}:
        raise Broken("manifest.json: does not list exactly the other members")
    for name, (digest, size) in listed.items():
        if ("sha256:" + hashlib.sha256(members[name]).hexdigest(), len(members[name])) != (
            digest,
            size,
        ):
            raise Broken(f"{name}: its SHA-256 or size is not the manifest's")
    # 5. The key history.
    if strict_json(members["keys.json"], "keys.json") != {
        "format": "ledger.keys/1",
        "keys": key_history(walk.key_events),
    }:
        raise Broken("keys.json: not the key history the key events give")
    # 6. Each decision's tlog-proof.
    for name in decisions:
        match = DECISION.match(name)
        assert match is not None
        pos = int(match[2])
        proof_text = text(members, name)
        head, _, cp = proof_text.partition("\n\n")
        parts = head.split("\n")
        header = walk.headers.get(pos, b"")
        try:
            ok = (
                parts[0] == "c2sp.org/tlog-proof@v1"
                and cp == note["text"]
                and base64.b64decode(parts[1].removeprefix("extra "), validate=True) == header
                and parts[2] == f"index {pos - 1}"
                and json.loads(header)["stream"] == match[1]
                and json.loads(header)["type"] == "matter.decided"
                and inclusion_ok(
                    leaf(header),
                    pos - 1,
                    note["size"],
                    [base64.b64decode(p, validate=True) for p in parts[3:]],
                    note["root"],
                )
            )
        except (ValueError, IndexError, KeyError, TypeError):
            ok = False
        if not ok:
            raise Broken(f"{name}: does not prove the decision at position {pos}")
    out.append(
        f"manifest, {len(listed)} members, keys.json and {len(decisions)} decision "
        "proofs agree with the records"
    )
    # 7. Checkpoints the auditor holds: the archive's log must extend each one.
    for held_path in held:
        try:
            with open(held_path, encoding="utf-8") as f:
                older = parse_note(f.read())
        except (OSError, UnicodeDecodeError) as e:
            raise BadInput(f"cannot read {held_path}: {e}") from None
        m, n = older["size"], note["size"]
        if older["origin"] != note["origin"] or m > n:
            raise BadInput(f"{held_path}: another ledger, or newer than the archive")
        signers = [k for k, key in walk.keys.items() if key.valid(m + 1, "checkpoint")]
        signers += [anchor or "", *policy.get("checkpoint_keys", [])]
        if not any(note_signed_by(older, k) for k in signers if valid_id(k)):
            raise BadInput(f"{held_path}: not signed by a checkpoint key of this ledger")
        if m == 0:
            implied = older["root"]  # every log extends the empty one
        elif proofs is None:
            implied = root_of(walk.leaves[:m])
        elif m == n:
            implied = note["root"]
        elif m in consistency:
            implied, steps = consistency[m]
            if not consistency_ok(m, n, implied, note["root"], steps):
                raise Broken(f"proofs.json: the consistency proof from {m} events fails")
        else:
            raise BadInput(f"{held_path}: the archive proves no consistency from {m} events")
        if implied != older["root"]:
            raise Broken(
                f"MISBEHAVIOUR: the archive's log had another tree head at {m} events "
                f"than the checkpoint you hold ({held_path}): the log signed two "
                "histories"
            )
        out.append(f"held checkpoint of {m} events: the archive's log extends it unchanged")
    return out


def check_manifest(m: Any) -> None:
    """manifest.json's shape (archive-format.md section 3); its values are checked later."""
    shape = {"format": str, "generator": str, "ledger": str, "name": str, "origin": str,
             "created_at": str, "as_of": str, "scope": dict, "checkpoint": dict,
             "counts": dict, "withheld": list, "members": list}  # fmt: skip
    ok = (
        isinstance(m, dict)
        and set(m) == set(shape)
        and all(isinstance(m[k], t) for k, t in shape.items())
        and m["format"] == "ledger.archive/1"
        and set(m["scope"]) == {"kind", "matters", "from", "until"}
        and m["scope"]["kind"] in ("whole", "matter", "period")
        and isinstance(m["scope"]["matters"], list)
        and all(isinstance(x, str) for x in m["scope"]["matters"])
        and all(m["scope"][k] is None or isinstance(m["scope"][k], str) for k in ("from", "until"))
        and set(m["checkpoint"]) == {"size", "root"}
        and isinstance(m["checkpoint"]["root"], str)
        and set(m["counts"]) == {"events", "withheld", "matters", "decision_proofs"}
        and all(count(v) for v in (m["checkpoint"]["size"], *m["counts"].values()))
        and all(
            isinstance(w, dict)
            and set(w) == {"position", "reason"}
            and count(w["position"])
            and w["reason"] in ("confidential", "named")
            for w in m["withheld"]
        )
        and m["counts"]["withheld"] == len(m["withheld"])
        and all(
            isinstance(e, dict)
            and set(e) == {"name", "sha256", "size"}
            and isinstance(e["name"], str)
            and isinstance(e["sha256"], str)
            and count(e["size"])
            for e in m["members"]
        )
    )
    if not ok:
        raise BadInput("manifest.json is malformed")


POLICY_FIELDS = {"format", "origin", "ledger_key", "checkpoint_keys", "witnesses",
                 "witnesses_required", "note"}  # fmt: skip


def check_policy(p: Any, source: str) -> None:
    """A trust policy's shape (archive-format.md section 8)."""
    ok = (
        isinstance(p, dict)
        and p.get("format") == "ledger.trust/1"
        and set(p) <= POLICY_FIELDS
        and (p.get("origin") is None or isinstance(p["origin"], str))
        and (p.get("ledger_key") is None or valid_id(p["ledger_key"]))
        and isinstance(p.get("checkpoint_keys", []), list)
        and all(valid_id(k) for k in p.get("checkpoint_keys", []))
        and isinstance(p.get("witnesses", []), list)
        and all(
            isinstance(w, dict)
            and set(w) == {"name", "key"}
            and isinstance(w["name"], str)
            and valid_id(w["key"])
            for w in p.get("witnesses", [])
        )
        and count(p.get("witnesses_required", 0))
        and p.get("witnesses_required", 0) <= len({w["key"] for w in p.get("witnesses", [])})
    )
    if not ok:
        raise BadInput(f"{source} is not a well-formed ledger.trust/1 policy")


def count(value: Any) -> bool:
    return type(value) is int and value >= 0


def text(members: dict[str, bytes], name: str) -> str:
    try:
        return members[name].decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput(f"{name} is not UTF-8") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Verify a ledger archive (ledger.archive/1).")
    parser.add_argument("archive")
    parser.add_argument("--trusted-key", help="the ledger key you trust (ed25519:...)")
    parser.add_argument("--trust", help="a trust policy file (trust.json, edited)")
    parser.add_argument(
        "--checkpoint",
        action="append",
        default=[],
        help="a signed checkpoint you hold (repeatable)",
    )
    args = parser.parse_args(argv)
    try:
        policy = None
        if args.trust:
            with open(args.trust, "rb") as f:
                policy = strict_json(f.read(MAX_SMALL), args.trust)
            check_policy(policy, args.trust)
        if args.trusted_key and not valid_id(args.trusted_key):
            raise BadInput("--trusted-key is not an ed25519: key id")
        lines = verify(args.archive, args.trusted_key, policy, args.checkpoint)
    except BadInput as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except Broken as e:
        print(f"INTEGRITY FAILURE: {e}")
        return 1
    except OSError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for line in lines:
        print("ok  " + line)
    if not (args.trusted_key or (policy or {}).get("ledger_key")):
        print(
            "note: no --trusted-key or --trust given: the ledger key was taken from the "
            "archive itself, which shows only that the archive agrees with itself"
        )
    print("VERIFIED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
