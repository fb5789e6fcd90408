"""The stored record: the exact bytes of one ledger event, and how they are sealed.

A record is three lines of canonical JSON (RFC 8785), separated by ``0x0A``. Canonical JSON never
contains a raw line feed, so the split is unambiguous (docs/format.md, "Record"):

1. the **header**: what is chained, hashed and signed;
2. the **seal**: the event hash and the signatures;
3. the **body**: the payload and its salt, or a note that the payload is withheld.

The event hash is the RFC 9162 leaf hash of line 1 exactly as stored. The header commits to the
payload only through its salted commitment, so a body can be withheld or erased (under a signed
redaction event) while every hash and signature still verifies.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from ledger.errors import RecordDecodeError
from ledger.integrity.canonical import canonical_bytes, format_time, parse_json
from ledger.integrity.digest import (
    ZERO_DIGEST,
    Digest,
    commit_payload,
    is_digest,
    leaf_hash,
    to_digest,
)
from ledger.integrity.keys import KeyId, SigningKey

FORMAT = "ledger.event/2"
RECORD_SIGNATURE_CONTEXT = b"ledger.event.v1\n"
ACT_SIGNATURE_CONTEXT = b"ledger.act.v1\n"
ROLE_RECORD = "record"
ROLE_ACT = "act"
HEADER_FIELDS = frozenset(
    {
        "format",
        "ledger",
        "seq",
        "prev",
        "signers",
        "stream",
        "version",
        "type",
        "occurred_at",
        "recorded_at",
        "actor",
        "payload",
    }
)
ACT_FIELDS = ("ledger", "stream", "type", "occurred_at", "actor", "payload")


@dataclass(frozen=True, slots=True)
class Signature:
    """One Ed25519 signature on a record: by the recording office (``record``) over the event
    hash, or by the actor (``act``) over the act they performed."""

    role: str
    key: KeyId
    sig: bytes

    def to_json(self) -> dict[str, str]:
        return {"role": self.role, "key": self.key, "sig": base64.b64encode(self.sig).decode()}


@dataclass(frozen=True, slots=True)
class Draft:
    """An event as the application hands it to the store, before the chain is known."""

    ledger: str
    stream: str
    version: int
    type: str
    occurred_at: str
    actor: str
    commitment: Digest
    endorsements: tuple[Signature, ...]
    body: bytes

    def act(self) -> dict[str, Any]:
        """The act the actor signs: the header without chain position, recording time or
        signers (members sign before the office seals, so before ``signers`` is written)."""
        return {
            "ledger": self.ledger,
            "stream": self.stream,
            "type": self.type,
            "occurred_at": self.occurred_at,
            "actor": self.actor,
            "payload": self.commitment,
        }


@dataclass(frozen=True, slots=True)
class Record:
    """A decoded record. ``header_bytes`` are the stored bytes of line 1, never re-encoded."""

    header_bytes: bytes
    header: dict[str, Any]
    hash: str
    signatures: tuple[Signature, ...]
    body: dict[str, Any]
    body_bytes: bytes = b""

    @property
    def seq(self) -> int:
        return int(self.header["seq"])

    def payload_bytes(self) -> bytes | None:
        """The payload's JSON as stored, cut from a canonical body
        ``{"payload":…,"salt":"<64 hex>"}`` (no re-encoding); None if the body has another
        form (withheld, or not canonical)."""
        raw = self.body_bytes
        if raw.startswith(_PAYLOAD_OPEN) and raw[-75:-66] == _SALT_OPEN and raw.endswith(b'"}'):
            return raw[len(_PAYLOAD_OPEN) : -75]
        return None

    @property
    def withheld(self) -> bool:
        return "payload" not in self.body


@dataclass(frozen=True, slots=True)
class ChainHead:
    """Where the next event attaches: the last sequence number, its hash and recording time."""

    seq: int
    hash: bytes
    recorded_at: str


def act_message(act: dict[str, Any]) -> bytes:
    """The bytes an actor signs: context, then SHA-256 of the canonical act."""
    return ACT_SIGNATURE_CONTEXT + hashlib.sha256(canonical_bytes(act)).digest()


def act_of_header(header: dict[str, Any]) -> dict[str, Any]:
    """The act contained in a header (the fields an actor's signature covers)."""
    return {name: header[name] for name in ACT_FIELDS}


def record_message(event_hash: bytes) -> bytes:
    """The bytes the recording office signs: context, then the 32-byte event hash."""
    return RECORD_SIGNATURE_CONTEXT + event_hash


def encode_body(payload: Any, salt: bytes) -> tuple[bytes, Digest]:
    """Canonical body bytes and the payload's salted commitment."""
    payload_bytes = canonical_bytes(payload)
    commitment = commit_payload(salt, payload_bytes)
    body = b'{"payload":' + payload_bytes + b',"salt":"' + salt.hex().encode() + b'"}'
    return body, commitment


def endorse(key: SigningKey, act: dict[str, Any]) -> Signature:
    """The actor's own signature over an act."""
    return Signature(ROLE_ACT, key.key_id, key.sign(act_message(act)))


class Sealer:
    """Turns drafts into sealed records at the head of the chain, signing with the office key.

    Runs inside the store's write lock, so the head it is given is the true head.
    """

    def __init__(
        self,
        ledger_id: str,
        key: SigningKey,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.ledger_id = ledger_id
        self.key = key
        self.clock = clock

    def seal(self, head: ChainHead | None, drafts: Sequence[Draft]) -> list[bytes]:
        """Sealed record bytes for ``drafts``, in order, following ``head``."""
        seq = head.seq if head else 0
        prev = head.hash if head else bytes(32)
        now = format_time(self.clock())
        recorded_at = max(now, head.recorded_at) if head else now
        sealed = []
        for draft in drafts:
            if draft.ledger != self.ledger_id:
                raise ValueError(f"draft for ledger {draft.ledger}, sealer of {self.ledger_id}")
            seq += 1
            endorsements = _in_signer_order(draft.endorsements)
            header = {
                "format": FORMAT,
                "ledger": self.ledger_id,
                "seq": seq,
                "prev": to_digest(prev) if seq > 1 else ZERO_DIGEST,
                "stream": draft.stream,
                "version": draft.version,
                "type": draft.type,
                "occurred_at": draft.occurred_at,
                "recorded_at": recorded_at,
                "actor": draft.actor,
                "payload": draft.commitment,
                "signers": [s.key for s in endorsements],
            }
            header_bytes = canonical_bytes(header)
            event_hash = leaf_hash(header_bytes)
            signatures = (
                Signature(ROLE_RECORD, self.key.key_id, self.key.sign(record_message(event_hash))),
                *endorsements,
            )
            seal = {"hash": to_digest(event_hash), "sigs": [s.to_json() for s in signatures]}
            sealed.append(header_bytes + b"\n" + canonical_bytes(seal) + b"\n" + draft.body)
            prev = event_hash
        return sealed


def _in_signer_order(endorsements: Sequence[Signature]) -> tuple[Signature, ...]:
    """Act signatures in the order the header's ``signers`` lists their keys: sorted by key id,
    one per key (docs/format.md, "Seal")."""
    ordered = tuple(sorted(endorsements, key=lambda s: s.key))
    if any(s.role != ROLE_ACT for s in ordered):
        raise ValueError("a draft's endorsements must be act signatures")
    if len({s.key for s in ordered}) != len(ordered):
        raise ValueError("a draft carries two act signatures by one key")
    return ordered


def head_of(state: bytes) -> ChainHead:
    """The chain head described by a stored record (reads line 1 only)."""
    header_bytes = state.split(b"\n", 1)[0]
    try:
        header = parse_json(header_bytes)
        _check_format(header)
        return ChainHead(int(header["seq"]), leaf_hash(header_bytes), str(header["recorded_at"]))
    except (ValueError, KeyError, TypeError, RecursionError) as e:  # too deep: RecursionError
        raise RecordDecodeError(f"the newest stored record does not decode: {e}") from e


def decode_record(state: bytes, *, strict_keys: bool = True) -> Record:
    """Decode stored bytes into a :class:`Record`, checking its shape (not its hashes).

    ``strict_keys`` refuses duplicate object keys while parsing. The verifier turns it off:
    it re-encodes every line and compares it with the stored bytes, which a duplicate key can
    never pass, and the hook costs more than the rest of the parse."""
    return _decode(state, parse_json if strict_keys else json.loads)


def read_record(state: bytes) -> Record:
    """Decode stored bytes as the projections read them: as stored, with orjson's faster parse
    and no check for duplicate keys (judging the bytes is the verifier's work, and it parses
    with the standard library, as docs/format.md describes)."""
    return _decode(state, orjson.loads)


def _decode(state: bytes, parse: Callable[[bytes], Any]) -> Record:
    lines = state.split(b"\n")
    if len(lines) != 3:
        raise RecordDecodeError(f"a record has 3 lines, this one has {len(lines)}")
    header_bytes, seal_bytes, body_bytes = lines
    try:
        header = parse(header_bytes)
        seal = parse(seal_bytes)
        body = parse(body_bytes)
    except (ValueError, UnicodeDecodeError, RecursionError) as e:  # too deep: RecursionError
        raise RecordDecodeError(f"not canonical JSON: {e}") from e
    _check_format(header)
    if not isinstance(header, dict) or set(header) != HEADER_FIELDS:
        got = sorted(header) if isinstance(header, dict) else type(header).__name__
        raise RecordDecodeError(f"header fields: expected {sorted(HEADER_FIELDS)}, got {got}")
    _check_header_types(header)
    if not isinstance(seal, dict) or set(seal) != {"hash", "sigs"}:
        raise RecordDecodeError("seal must be an object with exactly 'hash' and 'sigs'")
    if not is_digest(seal["hash"]) or not isinstance(seal["sigs"], list):
        raise RecordDecodeError("seal 'hash' must be a digest and 'sigs' a list")
    signatures = tuple(_decode_signature(s) for s in seal["sigs"])
    if not isinstance(body, dict) or not (
        set(body) == {"payload", "salt"} or set(body) == {"withheld"}
    ):
        raise RecordDecodeError("body must hold 'payload' and 'salt', or 'withheld'")
    if "salt" in body and not _is_salt(body["salt"]):
        raise RecordDecodeError("body 'salt' must be 64 lowercase hex digits")
    return Record(header_bytes, header, seal["hash"], signatures, body, body_bytes)


_SALT = re.compile(r"[0-9a-f]{64}")
_PAYLOAD_OPEN = b'{"payload":'
_SALT_OPEN = b',"salt":"'


def _is_salt(value: object) -> bool:
    return isinstance(value, str) and _SALT.fullmatch(value) is not None


def _check_format(header: object) -> None:
    """A record of an earlier format is named as such, not as a header with a missing field:
    ``ledger.event/1`` had no ``signers``, so its signature list was covered by nothing; this
    version does not read it (docs/format.md, "Format versions"). A header with this format's
    fields and another ``format`` value decodes, and the verifier names it (step 3)."""
    if isinstance(header, dict) and set(header) != HEADER_FIELDS and header.get("format") != FORMAT:
        fmt = header.get("format")
        if isinstance(fmt, str) and fmt.startswith("ledger.event/"):
            raise RecordDecodeError(
                f"record format {fmt!r} is not readable by this version, which reads {FORMAT!r}; "
                "rebuild the ledger (the demo: ledger demo)",
                zh=f"记录格式 {fmt!r} 不能由本版本读取（本版本读取 {FORMAT!r}）；"
                "请重建台账（演示台账：ledger demo）",
            )


def _check_header_types(header: dict[str, Any]) -> None:
    for name in ("seq", "version"):
        if type(header[name]) is not int or header[name] < 1:
            raise RecordDecodeError(f"header {name!r} must be a positive integer")
    for name in ("format", "ledger", "stream", "type", "occurred_at", "recorded_at", "actor"):
        if not isinstance(header[name], str):
            raise RecordDecodeError(f"header {name!r} must be a string")
    for name in ("prev", "payload"):
        if not is_digest(header[name]):
            raise RecordDecodeError(f"header {name!r} must be a sha256 digest")
    signers = header["signers"]
    if not isinstance(signers, list) or not all(isinstance(k, str) for k in signers):
        raise RecordDecodeError("header 'signers' must be a list of key ids")
    if signers != sorted(set(signers)):
        raise RecordDecodeError("header 'signers' must be sorted, without repetition")


def _decode_signature(item: object) -> Signature:
    if not isinstance(item, dict) or set(item) != {"role", "key", "sig"}:
        raise RecordDecodeError("a signature is an object with 'role', 'key' and 'sig'")
    if item["role"] not in (ROLE_RECORD, ROLE_ACT) or not isinstance(item["key"], str):
        raise RecordDecodeError(f"unknown signature role {item['role']!r}")
    try:
        sig = base64.b64decode(item["sig"], validate=True)
    except (ValueError, TypeError) as e:  # binascii.Error, or non-ASCII text
        raise RecordDecodeError("signature is not base64") from e
    if len(sig) != 64:
        raise RecordDecodeError(f"an Ed25519 signature has 64 bytes, got {len(sig)}")
    return Signature(item["role"], KeyId(item["key"]), sig)
