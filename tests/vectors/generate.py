"""Write the format test vectors in this folder from fixed inputs, with the project's own code.

The vectors let an auditor test an independent verifier (docs/format.md):

* ``canonical.json``: canonical JSON (RFC 8785 profile) and canonical times, accepted and refused;
* ``record.json``: a three-event chain (genesis, a member, a key registration with its
  proof-of-possession act signature) made with fixed Ed25519 keys, salts and clocks, with every
  intermediate value (commitment, event hash, signed messages, signatures);
* ``checkpoint.json``: a C2SP checkpoint of that chain, signed by the ledger key.

Ed25519 (RFC 8032) is deterministic, so every signature is reproducible. The keys are the secret
keys of RFC 8032 section 7.1, TEST 1 and TEST 2: public, never to be used for anything real.

Run ``.venv/bin/python tests/vectors/generate.py`` after a deliberate format change. The tests
(tests/integrity/test_vectors.py) compare the stored files with what this module produces, so
the files cannot drift from the code silently.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.domain.key import KeyRegistered, key_stream_id
from ledger.domain.ledger import LedgerInitialised
from ledger.domain.member import MemberRegistered
from ledger.errors import CanonicalEncodingError
from ledger.integrity.canonical import canonical_bytes, format_time, parse_json, parse_time
from ledger.integrity.checkpoint import key_hash, origin_of, sign_checkpoint, verifier_key
from ledger.integrity.digest import leaf_hash, sha256, to_digest
from ledger.integrity.keys import SigningKey, public_key_bytes
from ledger.integrity.merkle import tree_head
from ledger.integrity.record import (
    ROLE_ACT,
    ROLE_RECORD,
    ChainHead,
    Draft,
    Sealer,
    act_message,
    act_of_header,
    decode_record,
    encode_body,
    endorse,
    head_of,
    record_message,
)

HERE = Path(__file__).parent

# RFC 8032 section 7.1: TEST 1 and TEST 2 secret keys (public test data).
SEEDS = {
    "ledger": "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
    "member": "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
}
LEDGER_ID = "5a0e3c8e-2f4b-4d6a-9c1e-7b3d2a1f0e95"
MEMBER_ID = "c7d4e2b1-8a3f-4e5d-b6c9-1f2a3b4c5d6e"
LEDGER_NAME = "Example County Committee (某县委常委会)"


def signing_key(name: str) -> SigningKey:
    """The fixed Ed25519 key ``name`` (``ledger`` or ``member``), from its 32-byte seed."""
    return SigningKey(Ed25519PrivateKey.from_private_bytes(bytes.fromhex(SEEDS[name])))


# --- canonical.json --------------------------------------------------------------------------

CANONICAL_INPUTS: list[tuple[str, str, Any]] = [
    (
        "chinese-text",
        "Chinese text is written as UTF-8, never escaped; keys sort by UTF-16 code units",
        {"title": "书记", "name": "张三", "组织": "某县委常委会", "议题": "关于2026年预算的决定"},
    ),
    (
        "non-bmp-names",
        "characters outside the BMP (four UTF-8 bytes) are written as they are",
        {"names": ["𠀀", "𪚥", "王𪚥"], "note": "CJK Extension B characters in personal names"},
    ),
    (
        "key-order-utf16",
        "keys sort by UTF-16 code units (RFC 8785 section 3.2.3), not by code points: non-BMP "
        "keys (surrogates D800-DBFF) come before BMP keys at or above U+E000",
        {
            "\ue000": "private use",
            "\uff01": "fullwidth exclamation mark",
            "𠀀": "U+20000",
            "𪚥": "U+2A6A5",
            "😀": "U+1F600",
            "张": "U+5F20",
            "é": "U+00E9",
            "z": "z",
            "a": "a",
        },
    ),
    (
        "control-characters-and-escapes",
        "U+0000-U+001F are escaped (\\b \\t \\n \\f \\r by name, the rest as lowercase \\u00xx); "
        "quote and backslash are escaped; '/', U+007F and U+2028 are not",
        {"text": '\u0000\u0001\b\t\n\u000b\f\r\u001f"\\/\u007f\u2028 end'},
    ),
    (
        "safe-integer-bounds",
        "integers within ±(2**53 - 1) are written in plain decimal",
        [9007199254740991, -9007199254740991, 0, -1, 1000000],
    ),
    (
        "decimals-as-strings",
        "decimal amounts travel as strings, so no binary float is ever involved",
        {"amount": "1234.50", "currency": "CNY", "ratio": "0.3333"},
    ),
    (
        "literals-and-nesting",
        "true, false, null, empty containers, no insignificant whitespace",
        {"b": [True, False, None, [], {}], "a": {"": "empty key", "nested": {"y": 2, "x": 1}}},
    ),
    (
        "times-are-strings",
        "times are strings in the one canonical form (see 'times' below)",
        {"occurred_at": "2026-03-12T01:30:00.000000Z"},
    ),
]

TIME_INPUTS: list[tuple[str, str]] = [
    ("china-standard-time", "2026-03-12T09:30:00+08:00"),
    ("utc-with-z", "2026-03-12T01:30:00Z"),
    ("fraction-and-negative-offset", "2026-03-11T20:30:00.123456-05:00"),
    ("date-changes-in-utc", "2026-01-01T07:59:59.999999+08:00"),
]

REJECTED_INPUTS: list[tuple[str, str, str, str]] = [
    # name, JSON text, stage at which it is refused, why
    ("integer-above-range", "9007199254740992", "encode", "2**53 is outside ±(2**53 - 1)"),
    ("integer-below-range", "-9007199254740992", "encode", "-(2**53) is outside ±(2**53 - 1)"),
    ("float", "1.5", "encode", "no floats: write decimals as strings"),
    ("integral-float", "1.0", "encode", "a fraction or exponent makes a float, even when integral"),
    ("exponent", "1e3", "encode", "a fraction or exponent makes a float, even when integral"),
    ("float-in-object", '{"amount":1234.5}', "encode", "no floats anywhere in a value"),
    ("lone-surrogate", '["\\ud800"]', "encode", "a lone surrogate is not Unicode text"),
    ("duplicate-key", '{"a":1,"a":2}', "parse", "duplicate object keys make a document ambiguous"),
]

REJECTED_TIMES: list[tuple[str, str, str]] = [
    ("no-time-zone", "2026-03-12T09:30:00", "a time without a zone cannot be placed on the record"),
]


def canonical_vectors() -> dict[str, Any]:
    """The canonical-JSON and canonical-time vectors."""
    cases = []
    for name, about, value in CANONICAL_INPUTS:
        encoded = canonical_bytes(value)
        cases.append(
            {
                "name": name,
                "about": about,
                "input": value,
                "canonical": encoded.decode("utf-8"),
                "canonical_utf8_hex": encoded.hex(),
                "sha256": sha256(encoded),
            }
        )
    times = [
        {"name": name, "input": text, "canonical": format_time(datetime.fromisoformat(text))}
        for name, text in TIME_INPUTS
    ]
    rejected = []
    for name, text, stage, why in REJECTED_INPUTS:
        _expect_refused(text, stage)
        rejected.append({"name": name, "input_json": text, "refused_at": stage, "why": why})
    rejected_times = []
    for name, text, why in REJECTED_TIMES:
        try:
            format_time(datetime.fromisoformat(text))
        except CanonicalEncodingError:
            rejected_times.append({"name": name, "input": text, "why": why})
        else:
            raise AssertionError(f"time {text!r} was accepted")
    return {
        "about": "Canonical JSON (RFC 8785, ledger profile) and canonical times; docs/format.md",
        "cases": cases,
        "times": times,
        "rejected": rejected,
        "rejected_times": rejected_times,
    }


def _expect_refused(text: str, stage: str) -> None:
    """Check that JSON ``text`` is refused at ``stage`` (``parse`` or ``encode``)."""
    try:
        value = parse_json(text.encode())
    except ValueError:
        if stage == "parse":
            return
        raise
    try:
        canonical_bytes(value)
    except CanonicalEncodingError:
        if stage == "encode":
            return
        raise
    raise AssertionError(f"{text!r} was accepted")


# --- record.json -----------------------------------------------------------------------------


def record_inputs() -> list[dict[str, Any]]:
    """The fixed inputs of the three vector records, in log order."""
    ledger_key = signing_key("ledger")
    member_key = signing_key("member")
    genesis = LedgerInitialised(name=LEDGER_NAME, ledger_key=ledger_key.key_id)
    member = MemberRegistered(name="张𪚥", title="书记")
    key = KeyRegistered(
        public_key=member_key.key_id,
        holder=MEMBER_ID,
        purposes=("act",),
        label="张𪚥's signing key",
    )
    return [
        {
            "name": "genesis",
            "stream": LEDGER_ID,
            "version": 1,
            "type": "ledger.initialised",
            "occurred_at": "2026-03-12T01:30:00.000000Z",
            "recorded_at": "2026-03-12T01:30:00.250000Z",
            "actor": "ledger",
            "payload": genesis.model_dump(mode="json"),
            "salt": "11" * 32,
            "record_key": "ledger",
            "act_key": None,
        },
        {
            "name": "member-registered",
            "stream": MEMBER_ID,
            "version": 1,
            "type": "member.registered",
            "occurred_at": "2026-03-12T01:31:00.000000Z",
            "recorded_at": "2026-03-12T01:31:05.500000Z",
            "actor": "office",
            "payload": member.model_dump(mode="json"),
            "salt": "22" * 32,
            "record_key": "ledger",
            "act_key": None,
        },
        {
            "name": "key-registered",
            "stream": key_stream_id_of(member_key.key_id),
            "version": 1,
            "type": "key.registered",
            "occurred_at": "2026-03-12T01:32:00.000000Z",
            "recorded_at": "2026-03-12T01:32:00.750000Z",
            "actor": MEMBER_ID,
            "payload": key.model_dump(mode="json"),
            "salt": "33" * 32,
            "record_key": "ledger",
            "act_key": "member",
        },
    ]


def key_stream_id_of(key_id: str) -> str:
    """The stream of a key in the vector ledger (as the application derives it)."""
    return str(key_stream_id(UUID(LEDGER_ID), key_id))


def seal_inputs(inputs: dict[str, Any], head: ChainHead | None) -> bytes:
    """Seal one vector record after ``head`` with the project's code, as the store does."""
    body, commitment = encode_body(inputs["payload"], bytes.fromhex(inputs["salt"]))
    act = {
        "ledger": LEDGER_ID,
        "stream": inputs["stream"],
        "type": inputs["type"],
        "occurred_at": inputs["occurred_at"],
        "actor": inputs["actor"],
        "payload": commitment,
    }
    endorsements = (endorse(signing_key(inputs["act_key"]), act),) if inputs["act_key"] else ()
    draft = Draft(
        ledger=LEDGER_ID,
        stream=inputs["stream"],
        version=inputs["version"],
        type=inputs["type"],
        occurred_at=inputs["occurred_at"],
        actor=inputs["actor"],
        commitment=commitment,
        endorsements=endorsements,
        body=body,
    )
    recorded_at = parse_time(inputs["recorded_at"])
    sealer = Sealer(LEDGER_ID, signing_key(inputs["record_key"]), clock=lambda: recorded_at)
    [stored] = sealer.seal(head, [draft])
    return stored


def sealed_chain() -> list[bytes]:
    """The stored bytes of the three vector records, chained."""
    chain: list[bytes] = []
    head = None
    for inputs in record_inputs():
        stored = seal_inputs(inputs, head)
        chain.append(stored)
        head = head_of(stored)
    return chain


def _expected(stored: bytes) -> dict[str, Any]:
    """Every intermediate value of one sealed record, for an independent verifier to reproduce."""
    record = decode_record(stored)
    header_bytes, _, body_bytes = stored.split(b"\n")
    payload_bytes = canonical_bytes(record.body["payload"])
    act = act_of_header(record.header)
    act_bytes = canonical_bytes(act)
    event_hash = leaf_hash(header_bytes)
    by_role = {s.role: s for s in record.signatures}
    expected: dict[str, Any] = {
        "payload_canonical": payload_bytes.decode("utf-8"),
        "commitment": record.header["payload"],
        "header": header_bytes.decode("utf-8"),
        "event_hash": to_digest(event_hash),
        "record_message_hex": record_message(event_hash).hex(),
        "record_signature": base64.b64encode(by_role[ROLE_RECORD].sig).decode(),
        "act": act,
        "act_canonical": act_bytes.decode("utf-8"),
        "act_hash": sha256(act_bytes),
        "act_message_hex": act_message(act).hex(),
    }
    if ROLE_ACT in by_role:
        expected["act_signature"] = base64.b64encode(by_role[ROLE_ACT].sig).decode()
    expected["body"] = body_bytes.decode("utf-8")
    expected["stored"] = stored.decode("utf-8")
    expected["stored_sha256"] = sha256(stored)
    return expected


def record_vectors() -> dict[str, Any]:
    """The key and record vectors."""
    keys = {}
    for name in SEEDS:
        key_id = signing_key(name).key_id
        keys[name] = {
            "seed_hex": SEEDS[name],
            "public_key_hex": public_key_bytes(key_id).hex(),
            "key_id": key_id,
        }
    chain = sealed_chain()
    records = [
        {**inputs, "seq": seq, "expected": _expected(stored)}
        for seq, (inputs, stored) in enumerate(zip(record_inputs(), chain, strict=True), 1)
    ]
    hashes = [leaf_hash(stored.split(b"\n", 1)[0]) for stored in chain]
    return {
        "about": "A three-event chain with fixed keys, salts and clocks; docs/format.md",
        "ledger": LEDGER_ID,
        "keys": keys,
        "records": records,
        "tree_size": len(chain),
        "tree_head": to_digest(tree_head(hashes)),
    }


# --- checkpoint.json -------------------------------------------------------------------------


def checkpoint_vectors() -> dict[str, Any]:
    """A checkpoint of the vector chain, signed by the ledger key."""
    key = signing_key("ledger")
    chain = sealed_chain()
    root = tree_head([leaf_hash(stored.split(b"\n", 1)[0]) for stored in chain])
    origin = origin_of(LEDGER_ID)
    checkpoint = sign_checkpoint(origin, len(chain), root, key)
    [signature] = checkpoint.signatures
    return {
        "about": "A C2SP tlog-checkpoint with a signed-note Ed25519 signature; docs/format.md",
        "key": "ledger",
        "key_id": key.key_id,
        "origin": origin,
        "size": checkpoint.size,
        "root_base64": base64.b64encode(root).decode(),
        "tree_head": to_digest(root),
        "key_hash_hex": key_hash(origin, key.key_id).hex(),
        "verifier_key": verifier_key(origin, key.key_id),
        "signed_text": checkpoint.body,
        "signature_base64": base64.b64encode(signature.signature).decode(),
        "note": checkpoint.text(),
    }


# --- files -----------------------------------------------------------------------------------

VECTORS = {
    "canonical.json": canonical_vectors,
    "record.json": record_vectors,
    "checkpoint.json": checkpoint_vectors,
}


def render(data: dict[str, Any]) -> str:
    """The text of a vector file: readable JSON (UTF-8, not ASCII-escaped), one final newline."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def main() -> None:
    """(Re)write every vector file."""
    for name, build in VECTORS.items():
        (HERE / name).write_text(render(build()), encoding="utf-8")
        print(f"wrote {HERE / name}")


if __name__ == "__main__":
    main()
