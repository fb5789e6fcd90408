"""The evidence members of an archive, written and read: ``records.txt`` (framing), ``proofs.json``
(RFC 9162 inclusion and consistency proofs), ``keys.json`` (the key history) and the C2SP
tlog-proof files of decisions (docs/archive-format.md, sections 4 to 7).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ledger.archive.layout import KEYS_FORMAT, PROOFS, PROOFS_FORMAT, TLOG_PROOF_HEADER
from ledger.archive.read import ArchiveFormatError
from ledger.integrity.digest import digest_bytes, to_digest
from ledger.integrity.merkle import HASH_SIZE
from ledger.integrity.verify import GENESIS_TYPE, KEY_REGISTERED, KEY_REVOKED, StoredRow

MAX_PATH = 64  # hashes in one RFC 9162 proof: a tree of 2**63 leaves needs 63
KEY_TYPES = (GENESIS_TYPE, KEY_REGISTERED, KEY_REVOKED)

# --- records.txt: each record's three lines, each ending in 0x0A --------------------------


def record_lines(state: bytes) -> bytes:
    """A stored record as records.txt holds it: its three lines, each followed by 0x0A."""
    return state + b"\n"


def rows_of(lines: Iterator[bytes]) -> Iterator[StoredRow]:
    """Records.txt's lines as rows for the verifier, three lines a record. The archive has no
    storage columns: they are read from the header (the verifier then finds them equal) or,
    when the header does not decode, left empty for the verifier to report the record."""
    for header in lines:
        try:
            seal = next(lines)
            body = next(lines)
        except StopIteration:
            raise ArchiveFormatError(
                "records.txt ends inside a record: its lines are not a multiple of 3",
                zh="records.txt 在一条记录中间结束：其行数不是 3 的倍数",
            ) from None
        seq, stream, version, topic = _columns(header)
        yield StoredRow(seq, stream, version, topic, header + b"\n" + seal + b"\n" + body)


def _columns(header: bytes) -> tuple[int, str, int, str]:
    try:
        h = json.loads(header)
        seq, stream, version, topic = h["seq"], h["stream"], h["version"], h["type"]
    except (ValueError, TypeError, KeyError, RecursionError):
        return 0, "", 0, ""
    if not (type(seq) is int and type(version) is int and isinstance(stream, str)):
        return 0, "", 0, ""
    return seq, stream, version, topic if isinstance(topic, str) else ""


# --- proofs.json ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Proofs:
    """The proofs of a partial archive against its checkpoint of ``tree_size`` events."""

    tree_size: int
    root: bytes
    inclusion: dict[int, tuple[bytes, ...]]  # position -> audit path (leaf index position - 1)
    consistency: dict[int, tuple[bytes, tuple[bytes, ...]]]  # old size -> (old root, path)

    def to_bytes(self) -> bytes:
        document = {
            "format": PROOFS_FORMAT,
            "tree_size": self.tree_size,
            "root": to_digest(self.root),
            "inclusion": [
                {"position": p, "path": [to_digest(h) for h in path]}
                for p, path in sorted(self.inclusion.items())
            ],
            "consistency": [
                {
                    "old_size": size,
                    "old_root": to_digest(root),
                    "path": [to_digest(h) for h in path],
                }
                for size, (root, path) in sorted(self.consistency.items())
            ],
        }
        return (json.dumps(document, indent=1) + "\n").encode()


def parse_proofs(document: Any) -> Proofs:
    """proofs.json from its parsed JSON; :class:`ArchiveFormatError` when malformed."""
    try:
        if not isinstance(document, dict) or set(document) != {
            "format",
            "tree_size",
            "root",
            "inclusion",
            "consistency",
        }:
            raise ValueError("expected format, tree_size, root, inclusion and consistency")
        if document["format"] != PROOFS_FORMAT:
            raise ValueError(f"expected format {PROOFS_FORMAT!r}, got {document['format']!r}")
        inclusion: dict[int, tuple[bytes, ...]] = {}
        for item in document["inclusion"]:
            if set(item) != {"position", "path"}:
                raise ValueError("an inclusion proof holds position and path")
            position = _size(item["position"], "position")
            if position in inclusion:
                raise ValueError(f"two inclusion proofs for position {position}")
            inclusion[position] = _path(item["path"])
        consistency: dict[int, tuple[bytes, tuple[bytes, ...]]] = {}
        for item in document["consistency"]:
            if set(item) != {"old_size", "old_root", "path"}:
                raise ValueError("a consistency proof holds old_size, old_root and path")
            size = _size(item["old_size"], "old_size")
            if size in consistency:
                raise ValueError(f"two consistency proofs from size {size}")
            consistency[size] = (digest_bytes(item["old_root"]), _path(item["path"]))
        return Proofs(
            _size(document["tree_size"], "tree_size"),
            digest_bytes(document["root"]),
            inclusion,
            consistency,
        )
    except (ValueError, TypeError, KeyError) as e:
        raise ArchiveFormatError(f"{PROOFS} is malformed: {e}", zh=f"{PROOFS} 格式有误：{e}") from e


def _size(value: Any, name: str) -> int:
    if type(value) is not int or value < 0:
        raise ValueError(f"{name} must be an integer >= 0, got {value!r}")
    return value


def _path(value: Any) -> tuple[bytes, ...]:
    if not isinstance(value, list) or len(value) > MAX_PATH:
        raise ValueError(f"a proof path is a list of at most {MAX_PATH} digests")
    return tuple(digest_bytes(h) for h in value)


# --- keys.json: the key history, read from the key events ------------------------------------


def key_history(events: Iterable[tuple[int, str, Any]]) -> list[dict[str, Any]]:
    """Every key the key events (position, type, payload; in log order) register: holder,
    purposes, label, where registered, which key it replaces, where retired and revoked (the
    first retirement and revocation count, docs/format.md section 5). The genesis key is
    registered at position 0."""
    keys: dict[str, dict[str, Any]] = {}
    for position, event_type, payload in events:
        p = payload if isinstance(payload, dict) else {}
        if event_type == GENESIS_TYPE:
            keys[str(p.get("ledger_key"))] = _key_entry(
                p.get("ledger_key"), "ledger", ["act", "checkpoint", "record"], "ledger key", 0
            )
        elif event_type == KEY_REGISTERED:
            replaces = p.get("replaces")
            keys[str(p.get("public_key"))] = _key_entry(
                p.get("public_key"),
                p.get("holder"),
                sorted(p.get("purposes") or []),
                p.get("label", ""),
                position,
                replaces,
            )
            old = keys.get(str(replaces)) if replaces is not None else None
            if old is not None and old["retired"] is None:
                old["retired"] = position
        elif event_type == KEY_REVOKED:
            key = keys.get(str(p.get("key")))
            if key is not None and key["revoked"] is None:
                key["revoked"] = position
                key["revocation_reason"] = p.get("reason")
    return list(keys.values())


def _key_entry(
    key: Any, holder: Any, purposes: list[str], label: Any, registered: int, replaces: Any = None
) -> dict[str, Any]:
    return {
        "key": key,
        "holder": holder,
        "purposes": purposes,
        "label": label,
        "registered": registered,
        "replaces": replaces,
        "retired": None,
        "revoked": None,
        "revocation_reason": None,
    }


def keys_document(history: list[dict[str, Any]]) -> dict[str, Any]:
    """keys.json's document."""
    return {"format": KEYS_FORMAT, "keys": history}


def keys_bytes(history: list[dict[str, Any]]) -> bytes:
    return (json.dumps(keys_document(history), ensure_ascii=False, indent=1) + "\n").encode()


# --- C2SP tlog-proof (https://c2sp.org/tlog-proof) -------------------------------------------


@dataclass(frozen=True)
class TlogProof:
    """A tlog-proof: the entry's index, its audit path, the checkpoint, and as extra data the
    event's header line (the leaf is its RFC 9162 leaf hash, ``SHA-256(0x00 || header)``)."""

    index: int
    path: tuple[bytes, ...]
    checkpoint: str
    extra: bytes | None

    def to_text(self) -> str:
        lines = [TLOG_PROOF_HEADER]
        if self.extra is not None:
            lines.append("extra " + base64.b64encode(self.extra).decode())
        lines.append(f"index {self.index}")
        lines += [base64.b64encode(h).decode() for h in self.path]
        return "\n".join(lines) + "\n\n" + self.checkpoint


def parse_tlog_proof(text: str, name: str) -> TlogProof:
    """Read a tlog-proof; :class:`ArchiveFormatError` when malformed (its content is checked by
    the verifier)."""
    head, sep, checkpoint = text.partition("\n\n")
    lines = head.split("\n")
    if not sep or lines[0] != TLOG_PROOF_HEADER:
        raise ArchiveFormatError(
            f"{name} is not a {TLOG_PROOF_HEADER} proof", zh=f"{name} 不是 {TLOG_PROOF_HEADER} 证明"
        )
    rest = lines[1:]
    extra = None
    try:
        if rest and rest[0].startswith("extra "):
            extra = base64.b64decode(rest.pop(0)[6:], validate=True)
        if not rest or not rest[0].startswith("index "):
            raise ValueError("no index line")
        number = rest.pop(0)[6:]
        if not (number.isascii() and number.isdigit()) or (number != "0" and number[0] == "0"):
            raise ValueError(f"index {number!r} is not a decimal without leading zeros")
        path = tuple(base64.b64decode(line, validate=True) for line in rest)
    except (ValueError, binascii.Error) as e:
        raise ArchiveFormatError(f"{name} is malformed: {e}", zh=f"{name} 格式有误：{e}") from e
    if len(path) > MAX_PATH or any(len(h) != HASH_SIZE for h in path):
        raise ArchiveFormatError(
            f"{name}: an inclusion path of at most {MAX_PATH} SHA-256 hashes",
            zh=f"{name}：包含证明的路径应由至多 {MAX_PATH} 个 SHA-256 哈希组成",
        )
    return TlogProof(int(number), path, checkpoint, extra)


def header_of(state: bytes) -> bytes:
    """A stored record's first line."""
    return state.split(b"\n", 1)[0]
