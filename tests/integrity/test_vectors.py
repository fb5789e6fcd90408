"""The format test vectors (tests/vectors/*.json) are what the code writes, say what
docs/format.md says, and verify.

Each vector is checked three ways: the file equals what ``tests/vectors/generate.py`` produces
now (so it cannot drift); its values are recomputed here from its own inputs with nothing but
``hashlib`` and ``cryptography`` (so it says what the spec says); and the project's ``Verifier``
accepts the chain it describes (so an independent verifier that agrees with the vectors agrees
with this one).
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from ledger.errors import CanonicalEncodingError
from ledger.integrity.canonical import (
    canonical_bytes,
    format_time,
    parse_json,
    parse_time,
    reference_canonical_bytes,
)
from ledger.integrity.checkpoint import parse_checkpoint, verifier_key, verify_checkpoint
from ledger.integrity.record import head_of
from ledger.integrity.verify import Report, StoredRow, Verifier
from tests.vectors import generate

VECTORS = Path(generate.__file__).parent


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((VECTORS / name).read_text(encoding="utf-8"))
    return data


CANONICAL = _load("canonical.json")
RECORDS = _load("record.json")
CHECKPOINT = _load("checkpoint.json")

# RFC 8032 section 7.1, TEST 1 and TEST 2: the published public keys of the vector seeds.
RFC8032_PUBLIC_KEYS = {
    "ledger": "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
    "member": "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
}


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _private(name: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(RECORDS["keys"][name]["seed_hex"]))


def _public(name: str) -> Ed25519PublicKey:
    raw = bytes.fromhex(RECORDS["keys"][name]["public_key_hex"])
    return Ed25519PublicKey.from_public_bytes(raw)


def _rows(states: list[bytes] | None = None) -> list[StoredRow]:
    records = RECORDS["records"]
    if states is None:
        states = [r["expected"]["stored"].encode("utf-8") for r in records]
    return [
        StoredRow(position, r["stream"], r["version"], r["type"], state)
        for position, (r, state) in enumerate(zip(records, states, strict=True), 1)
    ]


def _verify(rows: list[StoredRow], *, with_checkpoint: bool = True) -> Report:
    checkpoints = [parse_checkpoint(CHECKPOINT["note"])] if with_checkpoint else []
    anchor = RECORDS["keys"]["ledger"]["key_id"]
    return Verifier(anchor=anchor, checkpoints=checkpoints, workers=1).verify(rows)


# --- the files are what the generator writes -------------------------------------------------


@pytest.mark.parametrize("name", sorted(generate.VECTORS))
def test_vector_file_matches_generator(name: str) -> None:
    stored = (VECTORS / name).read_text(encoding="utf-8")
    assert stored == generate.render(generate.VECTORS[name]()), (
        f"{name} is stale: run .venv/bin/python tests/vectors/generate.py and review the diff"
    )


# --- canonical.json --------------------------------------------------------------------------


@pytest.mark.parametrize("case", CANONICAL["cases"], ids=lambda c: c["name"])
def test_canonical_case(case: dict[str, Any]) -> None:
    expected = case["canonical"].encode("utf-8")
    assert bytes.fromhex(case["canonical_utf8_hex"]) == expected
    assert canonical_bytes(case["input"]) == expected
    assert reference_canonical_bytes(case["input"]) == expected
    assert _sha256(expected) == case["sha256"]


def test_canonical_key_order_case_is_utf16_order() -> None:
    [case] = [c for c in CANONICAL["cases"] if c["name"] == "key-order-utf16"]
    keys = list(parse_json(case["canonical"].encode()))
    assert keys == sorted(case["input"], key=lambda k: k.encode("utf-16-be"))
    assert keys != sorted(case["input"])  # code-point order differs, which is the point


@pytest.mark.parametrize("case", CANONICAL["times"], ids=lambda c: c["name"])
def test_time_case(case: dict[str, str]) -> None:
    assert format_time(datetime.fromisoformat(case["input"])) == case["canonical"]
    assert parse_time(case["canonical"]) == datetime.fromisoformat(case["input"])


def test_time_cases_include_china_standard_time() -> None:
    pairs = {c["input"]: c["canonical"] for c in CANONICAL["times"]}
    assert pairs["2026-03-12T09:30:00+08:00"] == "2026-03-12T01:30:00.000000Z"


REFUSALS = {
    "integer-above-range": (CanonicalEncodingError, "integer 9007199254740992 is outside"),
    "integer-below-range": (CanonicalEncodingError, "integer -9007199254740992 is outside"),
    "float": (CanonicalEncodingError, r"float 1\.5 has no canonical form"),
    "integral-float": (CanonicalEncodingError, r"float 1\.0 has no canonical form"),
    "exponent": (CanonicalEncodingError, r"float 1000\.0 has no canonical form"),
    "float-in-object": (CanonicalEncodingError, r"float 1234\.5 has no canonical form"),
    "lone-surrogate": (CanonicalEncodingError, "text is not valid Unicode"),
    "duplicate-key": (ValueError, "duplicate key 'a'"),
}


@pytest.mark.parametrize("case", CANONICAL["rejected"], ids=lambda c: c["name"])
def test_rejected_case(case: dict[str, str]) -> None:
    error, message = REFUSALS[case["name"]]
    with pytest.raises(error, match=message):
        canonical_bytes(parse_json(case["input_json"].encode()))


@pytest.mark.parametrize("case", CANONICAL["rejected_times"], ids=lambda c: c["name"])
def test_rejected_time_case(case: dict[str, str]) -> None:
    with pytest.raises(CanonicalEncodingError, match="has no time zone"):
        format_time(datetime.fromisoformat(case["input"]))


# --- record.json: keys -----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(RFC8032_PUBLIC_KEYS))
def test_vector_key_is_rfc8032_test_key(name: str) -> None:
    key = RECORDS["keys"][name]
    raw = _private(name).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert raw.hex() == key["public_key_hex"] == RFC8032_PUBLIC_KEYS[name]
    assert key["key_id"] == "ed25519:" + base64.b64encode(raw).decode()


# --- record.json: each record recomputed independently ---------------------------------------


RECORD_CASES = pytest.mark.parametrize("record", RECORDS["records"], ids=lambda r: r["name"])


def _lines(record: dict[str, Any]) -> list[bytes]:
    stored: str = record["expected"]["stored"]
    lines = stored.encode("utf-8").split(b"\n")
    assert len(lines) == 3
    return lines


@RECORD_CASES
def test_record_header_holds_inputs_and_position(record: dict[str, Any]) -> None:
    header = _lines(record)[0]
    assert header == record["expected"]["header"].encode("utf-8")
    assert canonical_bytes(json.loads(header)) == header
    fields = json.loads(header)
    for name in ("stream", "version", "type", "occurred_at", "recorded_at", "actor", "seq"):
        assert fields[name] == record[name]
    assert fields["format"] == "ledger.event/2"
    # signers: the key ids of the act signatures the seal carries, sorted (docs/format.md 2.1).
    act_key = record["act_key"]
    assert fields["signers"] == ([RECORDS["keys"][act_key]["key_id"]] if act_key else [])
    assert fields["ledger"] == RECORDS["ledger"]
    assert fields["payload"] == record["expected"]["commitment"]


@RECORD_CASES
def test_record_body_and_salted_commitment(record: dict[str, Any]) -> None:
    expected = record["expected"]
    payload = expected["payload_canonical"].encode("utf-8")
    assert payload == canonical_bytes(record["payload"])
    # Commitment: SHA-256(salt || canonical payload).
    assert _sha256(bytes.fromhex(record["salt"]) + payload) == expected["commitment"]
    body = b'{"payload":' + payload + b',"salt":"' + record["salt"].encode() + b'"}'
    assert _lines(record)[2] == body == expected["body"].encode("utf-8")


@RECORD_CASES
def test_record_event_hash_and_record_signature(record: dict[str, Any]) -> None:
    expected = record["expected"]
    # Event hash: the RFC 9162 leaf hash SHA-256(0x00 || header line).
    event_hash = hashlib.sha256(b"\x00" + _lines(record)[0]).digest()
    assert "sha256:" + event_hash.hex() == expected["event_hash"]
    # Record signature: Ed25519 over "ledger.event.v1\n" || 32-byte event hash.
    message = b"ledger.event.v1\n" + event_hash
    assert message.hex() == expected["record_message_hex"]
    signature = base64.b64decode(expected["record_signature"])
    _public(record["record_key"]).verify(signature, message)
    assert _private(record["record_key"]).sign(message) == signature  # RFC 8032: deterministic


@RECORD_CASES
def test_record_act_hash_and_act_signature(record: dict[str, Any]) -> None:
    expected = record["expected"]
    fields = json.loads(_lines(record)[0])
    act = {k: fields[k] for k in ("ledger", "stream", "type", "occurred_at", "actor", "payload")}
    assert act == expected["act"]
    act_bytes = canonical_bytes(act)
    assert act_bytes == expected["act_canonical"].encode("utf-8")
    act_hash = hashlib.sha256(act_bytes).digest()
    assert "sha256:" + act_hash.hex() == expected["act_hash"]
    # Act signature: Ed25519 over "ledger.act.v1\n" || SHA-256(canonical act).
    message = b"ledger.act.v1\n" + act_hash
    assert message.hex() == expected["act_message_hex"]
    if record["act_key"]:
        signature = base64.b64decode(expected["act_signature"])
        _public(record["act_key"]).verify(signature, message)
        assert _private(record["act_key"]).sign(message) == signature
    else:
        assert "act_signature" not in expected


@RECORD_CASES
def test_record_seal_holds_hash_and_signatures_record_first(record: dict[str, Any]) -> None:
    expected = record["expected"]
    roles = [("record", record["record_key"], expected["record_signature"])]
    if record["act_key"]:
        roles.append(("act", record["act_key"], expected["act_signature"]))
    sigs = [
        {"key": RECORDS["keys"][key]["key_id"], "role": role, "sig": sig}
        for role, key, sig in roles
    ]
    seal = _lines(record)[1]
    assert json.loads(seal) == {"hash": expected["event_hash"], "sigs": sigs}
    # After the record signature, one act signature per key of the header's signers, in order.
    assert [s["key"] for s in sigs[1:]] == json.loads(_lines(record)[0])["signers"]
    assert canonical_bytes(json.loads(seal)) == seal
    assert _sha256(expected["stored"].encode("utf-8")) == expected["stored_sha256"]


def test_records_chain() -> None:
    records = RECORDS["records"]
    assert [json.loads(r["expected"]["header"])["seq"] for r in records] == [1, 2, 3]
    previous = "sha256:" + "0" * 64
    for record in records:
        assert json.loads(record["expected"]["header"])["prev"] == previous
        previous = record["expected"]["event_hash"]


def test_tree_head_over_event_hashes() -> None:
    h1, h2, h3 = (bytes.fromhex(r["expected"]["event_hash"][7:]) for r in RECORDS["records"])
    # RFC 9162 section 2.1.1 for three leaves: split at k = 2.
    node = hashlib.sha256(b"\x01" + h1 + h2).digest()
    root = hashlib.sha256(b"\x01" + node + h3).digest()
    assert RECORDS["tree_size"] == 3
    assert "sha256:" + root.hex() == RECORDS["tree_head"] == CHECKPOINT["tree_head"]


# --- record.json: regenerated from the file's own inputs -------------------------------------


@pytest.mark.parametrize("index", range(len(RECORDS["records"])))
def test_record_regenerates_from_its_inputs(index: int) -> None:
    records = RECORDS["records"]
    previous = records[index - 1]["expected"]["stored"].encode() if index else None
    head = head_of(previous) if previous else None
    stored = generate.seal_inputs(records[index], head)
    assert stored == records[index]["expected"]["stored"].encode("utf-8")


# --- the project's verifier accepts the vector chain -----------------------------------------


def test_verifier_accepts_vector_chain() -> None:
    report = _verify(_rows())
    assert report.ok, report.failure
    assert report.events == 3
    assert report.ledger_id == RECORDS["ledger"]
    assert report.head_hash == RECORDS["records"][-1]["expected"]["event_hash"]
    assert "sha256:" + report.tree_head.hex() == RECORDS["tree_head"]
    assert report.checkpoints == [{"size": 3, "origin": CHECKPOINT["origin"], "ok": True}]
    member_key = report.keys[RECORDS["keys"]["member"]["key_id"]]
    assert (member_key.holder, member_key.purposes, member_key.registered) == (
        RECORDS["records"][1]["stream"],
        frozenset({"act"}),
        3,
    )


def _states() -> list[bytes]:
    return [r["expected"]["stored"].encode("utf-8") for r in RECORDS["records"]]


def test_verifier_refuses_key_registration_without_proof_of_possession() -> None:
    states = _states()
    header, seal, body = states[2].split(b"\n")
    sealed = parse_json(seal)
    sealed["sigs"] = [s for s in sealed["sigs"] if s["role"] == "record"]
    states[2] = b"\n".join([header, canonical_bytes(sealed), body])
    report = _verify(_rows(states))
    assert report.failure is not None
    # The header lists the new key among its signers, so the removed signature is named as
    # such before the proof-of-possession rule is reached.
    assert (report.failure.position, report.failure.problem) == (
        3,
        f"the header lists signer {RECORDS['keys']['member']['key_id']}, "
        "but the seal has no act signature by it",
    )


def test_verifier_refuses_changed_payload() -> None:
    states = _states()
    states[1] = states[1].replace("书记".encode(), "副书记".encode())
    report = _verify(_rows(states))
    assert report.failure is not None
    assert (report.failure.position, report.failure.problem) == (
        2,
        "payload does not match its commitment",
    )


def test_verifier_refuses_removed_tail_under_checkpoint() -> None:
    report = _verify(_rows()[:2])
    assert report.failure is not None
    assert report.failure.problem.startswith("the log ends at 2 events, but a signed checkpoint")


# --- the verifier reports, never crashes, on payloads of the wrong shape ---------------------


def _resealed(index: int, **changes: Any) -> list[StoredRow]:
    """The vector chain with record ``index`` re-made from changed inputs and properly signed
    (a malformed event signed by the office key: the verifier must still report, not crash)."""
    records = [dict(r) for r in RECORDS["records"]]
    records[index].update(changes)
    states: list[bytes] = []
    for record in records:
        states.append(generate.seal_inputs(record, head_of(states[-1]) if states else None))
    return [
        StoredRow(position, r["stream"], r["version"], r["type"], state)
        for position, (r, state) in enumerate(zip(records, states, strict=True), 1)
    ]


def _problem(rows: list[StoredRow]) -> str:
    report = _verify(rows, with_checkpoint=False)
    assert report.failure is not None
    return report.failure.problem


def test_key_purposes_that_are_not_text_are_reported() -> None:
    payload = {**RECORDS["records"][2]["payload"], "purposes": [["act"]]}
    assert _problem(_resealed(2, payload=payload)) == "key registration names no purposes"


def test_replaced_key_that_is_not_text_is_reported() -> None:
    payload = {**RECORDS["records"][2]["payload"], "replaces": ["x"]}
    assert _problem(_resealed(2, payload=payload)) == (
        "key registration replaces unknown key ['x']"
    )


def test_revoked_key_that_is_not_text_is_reported() -> None:
    rows = _resealed(
        1, type="key.revoked", payload={"key": ["x"], "reason": "lost"}, actor="office"
    )
    assert _problem(rows) == "revocation of unknown key ['x']"


def test_payload_with_lone_surrogate_key_is_reported() -> None:
    states = _states()
    header, seal, _ = states[1].split(b"\n")
    body = b'{"payload":{"\\ud800":1,"\\ue000":2},"salt":"' + b"2" * 64 + b'"}'
    states[1] = b"\n".join([header, seal, body])
    problem = _problem(_rows(states))
    assert problem.startswith("payload has no canonical form: text is not valid Unicode")


# --- checkpoint.json -------------------------------------------------------------------------


def test_checkpoint_note_text() -> None:
    root = base64.b64decode(CHECKPOINT["root_base64"])
    assert "sha256:" + root.hex() == CHECKPOINT["tree_head"]
    body = f"{CHECKPOINT['origin']}\n{CHECKPOINT['size']}\n{CHECKPOINT['root_base64']}\n"
    assert CHECKPOINT["signed_text"] == body
    assert CHECKPOINT["origin"] == "ledger/" + RECORDS["ledger"]
    blob = bytes.fromhex(CHECKPOINT["key_hash_hex"]) + base64.b64decode(
        CHECKPOINT["signature_base64"]
    )
    line = f"\u2014 {CHECKPOINT['origin']} {base64.b64encode(blob).decode()}\n"
    assert CHECKPOINT["note"] == body + "\n" + line


def test_checkpoint_key_hash_and_signature_follow_signed_note() -> None:
    raw = bytes.fromhex(RECORDS["keys"]["ledger"]["public_key_hex"])
    name = CHECKPOINT["origin"].encode()
    key_hash = hashlib.sha256(name + b"\n\x01" + raw).digest()[:4]
    assert key_hash.hex() == CHECKPOINT["key_hash_hex"]
    signature = base64.b64decode(CHECKPOINT["signature_base64"])
    message = CHECKPOINT["signed_text"].encode()
    _public("ledger").verify(signature, message)
    assert _private("ledger").sign(message) == signature
    encoded = base64.b64encode(b"\x01" + raw).decode()
    assert CHECKPOINT["verifier_key"] == f"{CHECKPOINT['origin']}+{key_hash.hex()}+{encoded}"


def test_checkpoint_verifies_with_project_code() -> None:
    key_id = CHECKPOINT["key_id"]
    checkpoint = parse_checkpoint(CHECKPOINT["note"])
    assert verify_checkpoint(checkpoint, key_id)
    assert verifier_key(CHECKPOINT["origin"], key_id) == CHECKPOINT["verifier_key"]
    assert checkpoint.size == CHECKPOINT["size"] == RECORDS["tree_size"]
