"""The stored record: three lines of canonical JSON. One named test per malformed shape, each
built by changing one thing in a valid record; and the sealer's chain and clock rules."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from itertools import pairwise
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.errors import RecordDecodeError
from ledger.integrity.canonical import canonical_bytes, parse_json
from ledger.integrity.digest import ZERO_DIGEST, leaf_hash, to_digest
from ledger.integrity.keys import SigningKey, verify_signature
from ledger.integrity.record import (
    ACT_SIGNATURE_CONTEXT,
    FORMAT,
    HEADER_FIELDS,
    RECORD_SIGNATURE_CONTEXT,
    ChainHead,
    Draft,
    Sealer,
    act_message,
    act_of_header,
    decode_record,
    encode_body,
    endorse,
    head_of,
    read_record,
    record_message,
)

LEDGER = "5a0e3c8e-2f4b-4d6a-9c1e-7b3d2a1f0e95"
OFFICE_KEY = SigningKey(Ed25519PrivateKey.from_private_bytes(b"\x01" * 32))
MEMBER_KEY = SigningKey(Ed25519PrivateKey.from_private_bytes(b"\x02" * 32))
T0 = datetime(2026, 3, 12, 1, 30, tzinfo=UTC)
SALT = bytes(range(32))
BODY_SHAPE = "body must hold 'payload' and 'salt', or 'withheld'"


def _draft(
    version: int = 1, payload: Any = None, signer: SigningKey | None = None, ledger: str = LEDGER
) -> Draft:
    body, commitment = encode_body(payload if payload is not None else {"name": "张三"}, SALT)
    act = {
        "ledger": ledger,
        "stream": "stream-1",
        "type": "member.registered",
        "occurred_at": "2026-03-12T01:29:00.000000Z",
        "actor": "office",
        "payload": commitment,
    }
    endorsements = (endorse(signer, act),) if signer else ()
    return Draft(
        ledger=ledger,
        stream="stream-1",
        version=version,
        type="member.registered",
        occurred_at="2026-03-12T01:29:00.000000Z",
        actor="office",
        commitment=commitment,
        endorsements=endorsements,
        body=body,
    )


def _clock(*moments: datetime) -> Callable[[], datetime]:
    """A clock that tells the given times, one per call."""
    times = iter(moments)
    return lambda: next(times)


def _sealer(*moments: datetime) -> Sealer:
    return Sealer(LEDGER, OFFICE_KEY, clock=_clock(*(moments or (T0,))))


VALID = _sealer().seal(None, [_draft(signer=MEMBER_KEY)])[0]


def _lines(state: bytes = VALID) -> list[Any]:
    return [parse_json(line) for line in state.split(b"\n")]


def _with(
    header: Callable[[dict[str, Any]], object] | None = None,
    seal: Callable[[dict[str, Any]], object] | None = None,
    body: Callable[[dict[str, Any]], object] | None = None,
) -> bytes:
    """The valid record with one line changed by a function of its decoded value; the line is
    re-encoded canonically, so only the change itself can make the record fail."""
    values = _lines()
    for index, change in enumerate((header, seal, body)):
        if change is not None:
            values[index] = change(values[index])
    return b"\n".join(canonical_bytes(v) for v in values)


def _set(name: str, value: object) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda d: {**d, name: value}


def _drop(name: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda d: {k: v for k, v in d.items() if k != name}


def _set_signature(name: str, value: object) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda seal: {**seal, "sigs": [{**seal["sigs"][0], name: value}]}


# --- a valid record --------------------------------------------------------------------------


def test_valid_record_decodes() -> None:
    record = decode_record(VALID)
    header_line = VALID.split(b"\n")[0]
    assert record.header_bytes == header_line
    assert record.hash == to_digest(leaf_hash(header_line))
    assert record.seq == 1
    assert set(record.header) == HEADER_FIELDS
    assert record.header["format"] == FORMAT
    assert [s.role for s in record.signatures] == ["record", "act"]
    assert not record.withheld


def test_every_line_is_canonical_json() -> None:
    for line in VALID.split(b"\n"):
        assert canonical_bytes(parse_json(line)) == line


def test_withheld_body_decodes() -> None:
    record = decode_record(_with(body=lambda _: {"withheld": "erased under decision 12"}))
    assert record.withheld


def test_the_payload_is_cut_from_the_stored_body_as_it_is() -> None:
    record = decode_record(VALID)
    assert record.payload_bytes() == canonical_bytes(record.body["payload"])
    assert read_record(VALID) == record  # the projections' faster reading agrees
    withheld = decode_record(_with(body=lambda _: {"withheld": "erased under decision 12"}))
    assert withheld.payload_bytes() is None
    spaced = VALID.replace(b'{"payload":', b'{ "payload":')  # not the canonical shape: no cut
    assert decode_record(spaced).payload_bytes() is None


def test_head_of_reads_the_chain_head() -> None:
    head = head_of(VALID)
    assert head == ChainHead(1, leaf_hash(VALID.split(b"\n")[0]), "2026-03-12T01:30:00.000000Z")


def test_head_of_refuses_garbage() -> None:
    with pytest.raises(RecordDecodeError, match="the newest stored record does not decode"):
        head_of(b"{}\n{}\n{}")


# --- malformed shapes ------------------------------------------------------------------------


def test_two_lines_are_refused() -> None:
    state = b"\n".join(VALID.split(b"\n")[:2])
    with pytest.raises(RecordDecodeError, match="a record has 3 lines, this one has 2"):
        decode_record(state)


def test_four_lines_are_refused() -> None:
    with pytest.raises(RecordDecodeError, match="a record has 3 lines, this one has 4"):
        decode_record(VALID + b"\n")


def test_non_json_line_is_refused() -> None:
    state = b"not json\n" + VALID.split(b"\n", 1)[1]
    with pytest.raises(RecordDecodeError, match="not canonical JSON: Expecting value"):
        decode_record(state)


def test_invalid_utf8_is_refused() -> None:
    header, seal, body = VALID.split(b"\n")
    with pytest.raises(RecordDecodeError, match="not canonical JSON"):
        decode_record(header + b"\n" + seal + b"\n" + body.replace("张".encode(), b"\xff\xfe\xfd"))


def test_too_deeply_nested_line_is_refused() -> None:
    state = b"[" * 100_000 + b"\n" + VALID.split(b"\n", 1)[1]
    with pytest.raises(RecordDecodeError, match="not canonical JSON: maximum recursion depth"):
        decode_record(state)


def test_duplicate_header_key_is_refused() -> None:
    header, rest = VALID.split(b"\n", 1)
    state = header[:-1] + b',"seq":2}\n' + rest
    with pytest.raises(RecordDecodeError, match="not canonical JSON: duplicate key 'seq'"):
        decode_record(state)


def test_missing_header_field_is_refused() -> None:
    with pytest.raises(
        RecordDecodeError,
        match=r"header fields: expected \['actor', 'format', .*\], got \['format', 'ledger'",
    ):
        decode_record(_with(header=_drop("actor")))


def test_extra_header_field_is_refused() -> None:
    with pytest.raises(RecordDecodeError, match=r"header fields: expected .*got .*'signer'"):
        decode_record(_with(header=_set("signer", "office")))


def test_header_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(RecordDecodeError, match=r"header fields: expected .*, got list"):
        decode_record(_with(header=lambda h: list(h)))


@pytest.mark.parametrize("value", [0, -1, "1", True, None])
def test_sequence_number_that_is_not_a_positive_integer_is_refused(value: object) -> None:
    with pytest.raises(RecordDecodeError, match="header 'seq' must be a positive integer"):
        decode_record(_with(header=_set("seq", value)))


def test_stream_version_zero_is_refused() -> None:
    with pytest.raises(RecordDecodeError, match="header 'version' must be a positive integer"):
        decode_record(_with(header=_set("version", 0)))


def test_non_string_actor_is_refused() -> None:
    with pytest.raises(RecordDecodeError, match="header 'actor' must be a string"):
        decode_record(_with(header=_set("actor", 7)))


@pytest.mark.parametrize(
    "value", ["sha256:" + "A" * 64, "sha256:" + "0" * 63, "sha512:" + "0" * 64, "0" * 64]
)
def test_bad_previous_digest_is_refused(value: str) -> None:
    with pytest.raises(RecordDecodeError, match="header 'prev' must be a sha256 digest"):
        decode_record(_with(header=_set("prev", value)))


def test_bad_payload_digest_is_refused() -> None:
    with pytest.raises(RecordDecodeError, match="header 'payload' must be a sha256 digest"):
        decode_record(_with(header=_set("payload", "sha256:xyz")))


def test_seal_without_signatures_is_refused() -> None:
    with pytest.raises(
        RecordDecodeError, match="seal must be an object with exactly 'hash' and 'sigs'"
    ):
        decode_record(_with(seal=_drop("sigs")))


def test_bad_seal_digest_is_refused() -> None:
    with pytest.raises(RecordDecodeError, match="seal 'hash' must be a digest and 'sigs' a list"):
        decode_record(_with(seal=_set("hash", "sha256:" + "G" * 64)))


def test_seal_signatures_not_a_list_are_refused() -> None:
    with pytest.raises(RecordDecodeError, match="seal 'hash' must be a digest and 'sigs' a list"):
        decode_record(_with(seal=lambda s: {**s, "sigs": s["sigs"][0]}))


def test_signature_without_key_is_refused() -> None:
    with pytest.raises(
        RecordDecodeError, match="a signature is an object with 'role', 'key' and 'sig'"
    ):
        decode_record(_with(seal=lambda s: {**s, "sigs": [_drop("key")(s["sigs"][0])]}))


def test_unknown_signature_role_is_refused() -> None:
    with pytest.raises(RecordDecodeError, match="unknown signature role 'witness'"):
        decode_record(_with(seal=_set_signature("role", "witness")))


def test_signature_not_base64_is_refused() -> None:
    with pytest.raises(RecordDecodeError, match="signature is not base64"):
        decode_record(_with(seal=_set_signature("sig", "not base64!")))


def test_signature_with_non_ascii_text_is_refused() -> None:
    with pytest.raises(RecordDecodeError, match="signature is not base64"):
        decode_record(_with(seal=_set_signature("sig", "签名")))


def test_signature_that_is_not_text_is_refused() -> None:
    with pytest.raises(RecordDecodeError, match="signature is not base64"):
        decode_record(_with(seal=_set_signature("sig", 12)))


def test_short_signature_is_refused() -> None:
    short = base64.b64encode(bytes(63)).decode()
    with pytest.raises(RecordDecodeError, match="an Ed25519 signature has 64 bytes, got 63"):
        decode_record(_with(seal=_set_signature("sig", short)))


def test_body_without_salt_is_refused() -> None:
    with pytest.raises(RecordDecodeError, match=BODY_SHAPE):
        decode_record(_with(body=_drop("salt")))


def test_body_both_present_and_withheld_is_refused() -> None:
    with pytest.raises(RecordDecodeError, match=BODY_SHAPE):
        decode_record(_with(body=_set("withheld", "yes")))


@pytest.mark.parametrize("salt", ["AB" * 32, "ab" * 31, "ab" * 33, "zz" * 32, 7])
def test_bad_salt_is_refused(salt: object) -> None:
    with pytest.raises(RecordDecodeError, match="body 'salt' must be 64 lowercase hex digits"):
        decode_record(_with(body=_set("salt", salt)))


@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(VALID) - 1), st.integers(0, 255))
def test_a_changed_byte_decodes_or_is_refused_as_record_decode_error(
    index: int, value: int
) -> None:
    state = VALID[:index] + bytes([value]) + VALID[index + 1 :]
    with contextlib.suppress(RecordDecodeError):
        decode_record(state)


# --- messages and signatures -----------------------------------------------------------------


def test_record_signature_covers_context_and_event_hash() -> None:
    record = decode_record(VALID)
    event_hash = leaf_hash(record.header_bytes)
    message = record_message(event_hash)
    assert message == b"ledger.event.v1\n" + event_hash == RECORD_SIGNATURE_CONTEXT + event_hash
    assert record.signatures[0].key == OFFICE_KEY.key_id
    assert verify_signature(OFFICE_KEY.key_id, record.signatures[0].sig, message)


def test_act_signature_covers_context_and_hash_of_canonical_act() -> None:
    record = decode_record(VALID)
    act = act_of_header(record.header)
    assert act == _draft().act()
    expected = b"ledger.act.v1\n" + hashlib.sha256(canonical_bytes(act)).digest()
    assert act_message(act) == expected
    assert act_message(act).startswith(ACT_SIGNATURE_CONTEXT)
    assert record.signatures[1].key == MEMBER_KEY.key_id
    assert verify_signature(MEMBER_KEY.key_id, record.signatures[1].sig, expected)


def test_body_is_canonical_and_commits_with_salt() -> None:
    body, commitment = encode_body({"vote": "yes"}, SALT)
    assert body == b'{"payload":{"vote":"yes"},"salt":"' + SALT.hex().encode() + b'"}'
    assert canonical_bytes(parse_json(body)) == body
    assert commitment == to_digest(hashlib.sha256(SALT + b'{"vote":"yes"}').digest())


def test_same_payload_with_another_salt_commits_differently() -> None:
    assert encode_body({"vote": "yes"}, SALT)[1] != encode_body({"vote": "yes"}, bytes(32))[1]


# --- the sealer ------------------------------------------------------------------------------


def test_sealer_chains_sequence_and_previous_hash() -> None:
    batch = _sealer().seal(None, [_draft(1), _draft(2), _draft(3)])
    headers = [decode_record(state).header for state in batch]
    assert [h["seq"] for h in headers] == [1, 2, 3]
    assert headers[0]["prev"] == ZERO_DIGEST
    for before, after in pairwise(batch):
        assert decode_record(after).header["prev"] == decode_record(before).hash
    more = _sealer(T0 + timedelta(minutes=1)).seal(head_of(batch[-1]), [_draft(4)])
    header = decode_record(more[0]).header
    assert header["seq"] == 4
    assert header["prev"] == decode_record(batch[-1]).hash


def test_sealer_signs_with_its_key_first() -> None:
    record = decode_record(VALID)
    assert record.signatures[0].role == "record"
    assert record.signatures[0].key == OFFICE_KEY.key_id
    assert record.signatures[1:] == _draft(signer=MEMBER_KEY).endorsements


def test_batch_shares_one_recording_time() -> None:
    batch = _sealer(T0).seal(None, [_draft(1), _draft(2)])
    times = {decode_record(state).header["recorded_at"] for state in batch}
    assert times == {"2026-03-12T01:30:00.000000Z"}


def test_recording_time_never_goes_backwards_when_clock_does() -> None:
    first = _sealer(T0).seal(None, [_draft(1)])[0]
    behind = _sealer(T0 - timedelta(hours=1)).seal(head_of(first), [_draft(2)])[0]
    assert decode_record(behind).header["recorded_at"] == "2026-03-12T01:30:00.000000Z"


def test_recording_time_follows_clock_forwards() -> None:
    first = _sealer(T0).seal(None, [_draft(1)])[0]
    later = _sealer(T0 + timedelta(seconds=1.5)).seal(head_of(first), [_draft(2)])[0]
    assert decode_record(later).header["recorded_at"] == "2026-03-12T01:30:01.500000Z"


def test_recording_time_is_utc_with_microseconds() -> None:
    beijing = datetime(2026, 3, 12, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    state = _sealer(beijing).seal(None, [_draft(1)])[0]
    assert decode_record(state).header["recorded_at"] == "2026-03-12T01:30:00.000000Z"


def test_sealer_refuses_draft_of_another_ledger() -> None:
    with pytest.raises(ValueError, match=f"draft for ledger other, sealer of {LEDGER}"):
        _sealer().seal(None, [_draft(ledger="other")])


# --- signers: the header's list of the act signatures (ledger.event/2) -------------------------


def test_header_lists_the_act_signers_the_seal_carries() -> None:
    record = decode_record(VALID)
    assert record.header["signers"] == [MEMBER_KEY.key_id]
    assert [s.key for s in record.signatures[1:]] == record.header["signers"]
    assert "signers" not in act_of_header(record.header)  # members sign before it is written


def test_unsigned_act_lists_no_signers() -> None:
    record = decode_record(_sealer().seal(None, [_draft()])[0])
    assert record.header["signers"] == []
    assert [s.role for s in record.signatures] == ["record"]


def test_sealer_refuses_two_act_signatures_by_one_key() -> None:
    draft = _draft(signer=MEMBER_KEY)
    twice = replace(draft, endorsements=draft.endorsements * 2)
    with pytest.raises(ValueError, match="two act signatures by one key"):
        _sealer().seal(None, [twice])


@pytest.mark.parametrize(
    ("signers", "problem"),
    [
        ("ed25519:x", "header 'signers' must be a list of key ids"),
        ([1], "header 'signers' must be a list of key ids"),
        (["b", "a"], "header 'signers' must be sorted, without repetition"),
        (["a", "a"], "header 'signers' must be sorted, without repetition"),
    ],
)
def test_malformed_signers_are_refused(signers: object, problem: str) -> None:
    with pytest.raises(RecordDecodeError, match=re.escape(problem)):
        decode_record(_with(header=_set("signers", signers)))


def test_a_format_1_record_is_refused_naming_its_format() -> None:
    old = _with(header=lambda h: {**_drop("signers")(h), "format": "ledger.event/1"})
    expected = "record format 'ledger.event/1' is not readable by this version"
    with pytest.raises(RecordDecodeError, match=re.escape(expected)):
        decode_record(old)
    with pytest.raises(RecordDecodeError, match=re.escape(expected)):
        head_of(old)  # nothing is appended to a ledger of format 1
