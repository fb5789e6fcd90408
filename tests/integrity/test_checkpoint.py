"""Signed checkpoints (https://c2sp.org/tlog-checkpoint, https://c2sp.org/signed-note): the exact
note text, the round trip, and one named test per way a note can be wrong."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import re

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.errors import CheckpointFormatError
from ledger.integrity.checkpoint import (
    Checkpoint,
    NoteSignature,
    key_hash,
    origin_of,
    parse_checkpoint,
    sign_checkpoint,
    verifier_key,
    verify_checkpoint,
)
from ledger.integrity.keys import SigningKey, public_key_bytes

ORIGIN = "ledger/5a0e3c8e-2f4b-4d6a-9c1e-7b3d2a1f0e95"
ROOT = hashlib.sha256(b"a tree head").digest()


def _key(seed: int) -> SigningKey:
    return SigningKey(Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32))


KEY = _key(1)
OTHER_KEY = _key(2)


def _note(size: int = 7, root: bytes = ROOT, origin: str = ORIGIN) -> str:
    return sign_checkpoint(origin, size, root, KEY).text()


def _replace_line(text: str, index: int, line: str) -> str:
    lines = text.split("\n")
    lines[index] = line
    return "\n".join(lines)


# --- the note text ---------------------------------------------------------------------------


def test_note_text_is_origin_size_root_blank_line_signature() -> None:
    text = _note()
    lines = text.split("\n")
    assert lines[:4] == [ORIGIN, "7", base64.b64encode(ROOT).decode(), ""]
    assert lines[5:] == [""]  # the note ends with a newline
    prefix = f"\u2014 {ORIGIN} "
    assert lines[4].startswith(prefix)
    blob = base64.b64decode(lines[4][len(prefix) :], validate=True)
    assert len(blob) == 4 + 64


def test_signature_line_carries_signed_note_key_hash() -> None:
    blob = base64.b64decode(_note().split("\n")[4].rsplit(" ", 1)[1])
    raw = public_key_bytes(KEY.key_id)
    # signed-note: key hash = first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key)
    expected = hashlib.sha256(ORIGIN.encode() + b"\n\x01" + raw).digest()[:4]
    assert blob[:4] == expected == key_hash(ORIGIN, KEY.key_id)


def test_signature_is_ed25519_over_the_body_with_its_final_newline() -> None:
    text = _note()
    body = text.split("\n\n", 1)[0] + "\n"
    signature = base64.b64decode(text.split("\n")[4].rsplit(" ", 1)[1])[4:]
    public = Ed25519PublicKey.from_public_bytes(public_key_bytes(KEY.key_id))
    public.verify(signature, body.encode())  # raises if not


def test_origin_of_a_ledger() -> None:
    assert origin_of("5a0e3c8e-2f4b-4d6a-9c1e-7b3d2a1f0e95") == ORIGIN


def test_verifier_key_format() -> None:
    text = verifier_key(ORIGIN, KEY.key_id)
    name, hash_hex, encoded = text.split("+")
    assert name == ORIGIN
    assert re.fullmatch(r"[0-9a-f]{8}", hash_hex)
    assert bytes.fromhex(hash_hex) == key_hash(ORIGIN, KEY.key_id)
    assert base64.b64decode(encoded) == b"\x01" + public_key_bytes(KEY.key_id)


# --- round trip ------------------------------------------------------------------------------


def test_sign_parse_verify_round_trip() -> None:
    signed = sign_checkpoint(ORIGIN, 7, ROOT, KEY)
    parsed = parse_checkpoint(signed.text())
    assert parsed == signed
    assert (parsed.origin, parsed.size, parsed.root) == (ORIGIN, 7, ROOT)
    assert parsed.text() == signed.text()
    assert verify_checkpoint(parsed, KEY.key_id)


def test_empty_tree_checkpoint_round_trips() -> None:
    empty = hashlib.sha256(b"").digest()
    parsed = parse_checkpoint(_note(size=0, root=empty))
    assert (parsed.size, parsed.root) == (0, empty)
    assert verify_checkpoint(parsed, KEY.key_id)


def test_extension_lines_are_kept_and_signed() -> None:
    body = f"{ORIGIN}\n7\n{base64.b64encode(ROOT).decode()}\nextension line\n"
    signature = NoteSignature(ORIGIN, key_hash(ORIGIN, KEY.key_id), KEY.sign(body.encode()))
    text = Checkpoint(ORIGIN, 7, ROOT, body, (signature,)).text()
    parsed = parse_checkpoint(text)
    assert parsed.body == body
    assert verify_checkpoint(parsed, KEY.key_id)
    changed = parse_checkpoint(text.replace("extension line", "extension lime"))
    assert not verify_checkpoint(changed, KEY.key_id)


def test_unknown_cosignature_is_ignored() -> None:
    ours = sign_checkpoint(ORIGIN, 7, ROOT, KEY)
    foreign = NoteSignature("witness.example", b"\xaa" * 4, b"\xbb" * 64)
    text = Checkpoint(ORIGIN, 7, ROOT, ours.body, (foreign, *ours.signatures)).text()
    parsed = parse_checkpoint(text)
    assert len(parsed.signatures) == 2
    assert verify_checkpoint(parsed, KEY.key_id)


# --- verification fails ----------------------------------------------------------------------


def test_wrong_key_fails_verification() -> None:
    assert not verify_checkpoint(parse_checkpoint(_note()), OTHER_KEY.key_id)


def test_signature_under_another_name_fails_verification() -> None:
    text = _note().replace(f"\u2014 {ORIGIN} ", "\u2014 ledger/another ")
    assert not verify_checkpoint(parse_checkpoint(text), KEY.key_id)


def test_checkpoint_of_another_origin_fails_verification() -> None:
    # Signed as ledger A, then the origin line changed to ledger B (and the signature's name too).
    text = _note().replace(ORIGIN, "ledger/another")
    assert not verify_checkpoint(parse_checkpoint(text), KEY.key_id)


def test_changed_size_fails_verification() -> None:
    text = _replace_line(_note(size=7), 1, "6")
    assert not verify_checkpoint(parse_checkpoint(text), KEY.key_id)


def test_changed_root_fails_verification() -> None:
    other = base64.b64encode(hashlib.sha256(b"another head").digest()).decode()
    text = _replace_line(_note(), 2, other)
    assert not verify_checkpoint(parse_checkpoint(text), KEY.key_id)


def test_changed_signature_fails_verification() -> None:
    text = _note()
    prefix, encoded = text.split("\n")[4].rsplit(" ", 1)
    blob = bytearray(base64.b64decode(encoded))
    blob[-1] ^= 1
    text = _replace_line(text, 4, f"{prefix} {base64.b64encode(bytes(blob)).decode()}")
    assert not verify_checkpoint(parse_checkpoint(text), KEY.key_id)


# --- malformed notes -------------------------------------------------------------------------


def test_note_without_blank_line_is_refused() -> None:
    text = _note().replace("\n\n", "\n")
    with pytest.raises(
        CheckpointFormatError, match="no blank line between the checkpoint body and signatures"
    ):
        parse_checkpoint(text)


def test_body_of_two_lines_is_refused() -> None:
    text = _note().split("\n", 1)[1]  # drop the origin line
    with pytest.raises(
        CheckpointFormatError, match="a checkpoint body has at least 3 lines, got 2"
    ):
        parse_checkpoint(text)


@pytest.mark.parametrize("size", ["01", "-1", "+7", "7.0", " 7", "0x7", "²", "\u0667"])
def test_size_not_in_decimal_is_refused(size: str) -> None:
    text = _replace_line(_note(), 1, size)
    expected = f"tree size must be a decimal integer, got {re.escape(repr(size))}"
    with pytest.raises(CheckpointFormatError, match=expected):
        parse_checkpoint(text)


def test_root_not_base64_is_refused() -> None:
    text = _replace_line(_note(), 2, "not base64!")
    with pytest.raises(CheckpointFormatError, match="root hash is not base64: 'not base64!'"):
        parse_checkpoint(text)


def test_root_with_non_ascii_is_refused() -> None:
    text = _replace_line(_note(), 2, "根哈希")
    with pytest.raises(CheckpointFormatError, match="root hash is not base64"):
        parse_checkpoint(text)


def test_short_root_is_refused() -> None:
    text = _replace_line(_note(), 2, base64.b64encode(ROOT[:31]).decode())
    with pytest.raises(CheckpointFormatError, match="root hash has 32 bytes, got 31"):
        parse_checkpoint(text)


def test_line_without_em_dash_is_refused() -> None:
    text = _note().replace("\u2014 ", "- ")
    with pytest.raises(CheckpointFormatError, match="not a signature line: '- ledger/"):
        parse_checkpoint(text)


def test_signature_not_base64_is_refused() -> None:
    text = _replace_line(_note(), 4, f"\u2014 {ORIGIN} ***")
    with pytest.raises(CheckpointFormatError, match=r"signature is not base64: '\*\*\*'"):
        parse_checkpoint(text)


def test_signature_of_wrong_length_is_refused() -> None:
    text = _replace_line(_note(), 4, f"\u2014 {ORIGIN} {base64.b64encode(bytes(67)).decode()}")
    with pytest.raises(CheckpointFormatError, match=r"an Ed25519 note signature has 4 \+ 64 bytes"):
        parse_checkpoint(text)


def test_note_without_signature_is_refused() -> None:
    text = _note().split("\n\n", 1)[0] + "\n\n"
    with pytest.raises(CheckpointFormatError, match="the checkpoint carries no signature"):
        parse_checkpoint(text)


# --- the parser never fails any other way ----------------------------------------------------

_FRAGMENTS = st.sampled_from(
    [
        ORIGIN,
        "7",
        "0",
        "01",
        "²",
        base64.b64encode(ROOT).decode(),
        "",
        f"\u2014 {ORIGIN} " + base64.b64encode(bytes(68)).decode(),
        "\u2014 ",
        "\u2014",
        "=",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_FRAGMENTS | st.text(max_size=8), max_size=8))
def test_parser_refuses_only_with_checkpoint_format_error(lines: list[str]) -> None:
    with contextlib.suppress(CheckpointFormatError):
        parse_checkpoint("\n".join(lines))
