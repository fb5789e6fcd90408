"""Witness cosignatures (https://c2sp.org/tlog-cosignature) and the witness's checks
(https://c2sp.org/tlog-witness): the exact bytes, the happy path, one named test per checkpoint a
witness must refuse, verifying cosignatures and counting a quorum, and the state file."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import struct
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.errors import InputError, IntegrityError
from ledger.integrity.checkpoint import (
    Checkpoint,
    NoteSignature,
    key_hash,
    parse_checkpoint,
    sign_checkpoint,
    signature_line,
    verify_checkpoint,
)
from ledger.integrity.digest import digest_bytes
from ledger.integrity.keys import SigningKey, public_key_bytes
from ledger.integrity.merkle import EMPTY_TREE_HASH, MemoryTree, verify_consistency
from ledger.integrity.misbehaviour import REWRITTEN, SAME_SIZE
from ledger.integrity.witness import (
    CheckpointForkError,
    CheckpointRefusedError,
    CheckpointRollbackError,
    CosignatureInvalidError,
    InconsistentCheckpointError,
    LogSignatureError,
    OldSizeMismatchError,
    SubmittedProof,
    TrustedWitness,
    UnknownLogError,
    Witness,
    WitnessInputError,
    WitnessQuorumError,
    WitnessState,
    cosign,
    cosignature_key_hash,
    cosignature_verifier_key,
    cosignatures,
    cosigned_message,
    implied_old_root,
    locked,
    new_state,
    parse_proof,
    require_witnesses,
    verify_cosignature,
)

ORIGIN = "ledger/5a0e3c8e-2f4b-4d6a-9c1e-7b3d2a1f0e95"
NAME = "jw.example.gov.cn/witness"
T = 1_773_279_000  # 2026-03-12T01:30:00Z


def _key(seed: int) -> SigningKey:
    return SigningKey(Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32))


LOG_KEY = _key(1)
OTHER_LOG_KEY = _key(2)
WITNESS_KEY = _key(3)
SECOND_WITNESS_KEY = _key(4)
TREE = MemoryTree(hashlib.sha256(b"\x00" + bytes([i])).digest() for i in range(40))


def _note(size: int, root: bytes | None = None, key: SigningKey = LOG_KEY) -> str:
    """A checkpoint of the first ``size`` leaves of TREE, signed by ``key``."""
    return sign_checkpoint(ORIGIN, size, TREE.root(size) if root is None else root, key).text()


def _proof(old: int, new: int) -> SubmittedProof:
    return SubmittedProof(hashes=tuple(TREE.consistency_proof(old, new)), old_size=old)


def _witness(cosigned: int = 0) -> Witness:
    """A witness of ORIGIN that has cosigned the checkpoint of ``cosigned`` leaves (if any)."""
    witness = Witness(WITNESS_KEY, new_state(NAME, WITNESS_KEY.key_id, ORIGIN, LOG_KEY.key_id))
    if cosigned:
        witness.cosign(_note(cosigned), timestamp=T)
    return witness


def _line(checkpoint: Checkpoint, name: str = NAME) -> NoteSignature:
    (line,) = [s for s in checkpoint.signatures if s.name == name]
    return line


# --- the bytes (tlog-cosignature) ----------------------------------------------------------


def test_cosignature_key_hash_uses_algorithm_byte_0x04() -> None:
    raw = public_key_bytes(WITNESS_KEY.key_id)
    expected = hashlib.sha256(NAME.encode() + b"\n\x04" + raw).digest()[:4]
    assert cosignature_key_hash(NAME, WITNESS_KEY.key_id) == expected
    # not the signed-note Ed25519 key hash (0x01) of the same name and key
    assert expected != key_hash(NAME, WITNESS_KEY.key_id)


def test_cosigned_message_is_header_time_line_and_body() -> None:
    body = f"{ORIGIN}\n7\n{base64.b64encode(TREE.root(7)).decode()}\n"
    assert cosigned_message(body, T) == b"cosignature/v1\ntime 1773279000\n" + body.encode()
    assert cosigned_message(body, 0).startswith(b"cosignature/v1\ntime 0\n")


def test_cosignature_line_is_key_hash_big_endian_time_and_signature() -> None:
    checkpoint = parse_checkpoint(_note(7))
    line = signature_line(cosign(checkpoint, WITNESS_KEY, NAME, T))
    prefix = f"\u2014 {NAME} "
    assert line.startswith(prefix) and line.endswith("\n")
    blob = base64.b64decode(line[len(prefix) : -1], validate=True)
    assert len(blob) == 4 + 8 + 64
    raw = public_key_bytes(WITNESS_KEY.key_id)
    assert blob[:4] == hashlib.sha256(NAME.encode() + b"\n\x04" + raw).digest()[:4]
    assert blob[4:12] == struct.pack(">Q", T) == bytes.fromhex("0000000069b21718")
    message = b"cosignature/v1\ntime 1773279000\n" + checkpoint.body.encode()
    public = Ed25519PublicKey.from_public_bytes(public_key_bytes(WITNESS_KEY.key_id))
    public.verify(blob[12:], message)  # raises if not


def test_cosignature_verifier_key_carries_type_0x04() -> None:
    name, hash_hex, encoded = cosignature_verifier_key(NAME, WITNESS_KEY.key_id).split("+", 2)
    assert name == NAME
    assert bytes.fromhex(hash_hex) == cosignature_key_hash(NAME, WITNESS_KEY.key_id)
    assert base64.b64decode(encoded) == b"\x04" + public_key_bytes(WITNESS_KEY.key_id)


def test_timestamp_above_2_to_the_63_is_refused() -> None:
    with pytest.raises(WitnessInputError, match=r"expected a cosignature time from 0 to 9223"):
        cosign(parse_checkpoint(_note(7)), WITNESS_KEY, NAME, 2**63)


@pytest.mark.parametrize("name", ["", "has space", "a+b", "tab\there"])
def test_witness_name_must_be_a_signed_note_key_name(name: str) -> None:
    with pytest.raises(WitnessInputError, match="a witness name is non-empty"):
        new_state(name, WITNESS_KEY.key_id, ORIGIN, LOG_KEY.key_id)


# --- cosigning: the happy path -------------------------------------------------------------


def test_first_checkpoint_is_cosigned_without_proof() -> None:
    witness = _witness()
    cosigned = witness.cosign(_note(5), timestamp=T)
    assert verify_cosignature(cosigned, NAME, WITNESS_KEY.key_id) == T
    assert verify_checkpoint(cosigned, LOG_KEY.key_id)  # the log's signature is kept
    log = witness.state.log(ORIGIN)
    assert (log.size, log.root, log.cosigned_at) == (5, TREE.root(5), T)
    assert log.checkpoint == _note(5)


def test_extension_with_consistency_proof_is_cosigned() -> None:
    witness = _witness(cosigned=5)
    cosigned = witness.cosign(_note(13), _proof(5, 13), timestamp=T + 60)
    assert verify_cosignature(cosigned, NAME, WITNESS_KEY.key_id) == T + 60
    assert witness.state.log(ORIGIN).size == 13


def test_bare_proof_hashes_are_taken_as_from_the_witness_size() -> None:
    witness = _witness(cosigned=5)
    cosigned = witness.cosign(_note(13), TREE.consistency_proof(5, 13), timestamp=T)
    assert verify_cosignature(cosigned, NAME, WITNESS_KEY.key_id) == T


def test_same_checkpoint_is_cosigned_again_with_one_line_of_ours() -> None:
    witness = _witness(cosigned=5)
    first = witness.cosign(_note(5), timestamp=T + 1)
    again = witness.cosign(first.text(), timestamp=T + 2)
    assert [s.name for s in again.signatures] == [ORIGIN, NAME]
    assert verify_cosignature(again, NAME, WITNESS_KEY.key_id) == T + 2


def test_other_signature_lines_are_kept_and_ignored() -> None:
    foreign = NoteSignature("other.example/w", b"\xaa" * 4, b"\xbb" * 72)
    text = _note(5) + signature_line(foreign)
    cosigned = _witness().cosign(text, timestamp=T)
    assert [s.name for s in cosigned.signatures] == [ORIGIN, "other.example/w", NAME]


def test_cosignature_covers_extension_lines() -> None:
    body = f"{ORIGIN}\n5\n{base64.b64encode(TREE.root(5)).decode()}\nextension\n"
    log_line = NoteSignature(ORIGIN, key_hash(ORIGIN, LOG_KEY.key_id), LOG_KEY.sign(body.encode()))
    text = Checkpoint(ORIGIN, 5, TREE.root(5), body, (log_line,)).text()
    cosigned = _witness().cosign(text, timestamp=T)
    assert verify_cosignature(cosigned, NAME, WITNESS_KEY.key_id) == T
    changed = parse_checkpoint(cosigned.text().replace("extension", "extensiom"))
    with pytest.raises(CosignatureInvalidError):
        verify_cosignature(changed, NAME, WITNESS_KEY.key_id)


def test_empty_log_is_cosigned() -> None:
    cosigned = _witness().cosign(_note(0, EMPTY_TREE_HASH), timestamp=T)
    assert verify_cosignature(cosigned, NAME, WITNESS_KEY.key_id) == T


# --- cosigning: the witness refuses --------------------------------------------------------


def test_refuses_a_smaller_checkpoint() -> None:
    witness = _witness(cosigned=13)
    with pytest.raises(
        CheckpointRollbackError, match=r"expected a checkpoint of at least 13 events .* got 5"
    ) as refused:
        witness.cosign(_note(5), timestamp=T)
    assert refused.value.evidence == _note(5)
    assert witness.state.log(ORIGIN).size == 13


def test_refuses_the_same_size_with_another_root() -> None:
    witness = _witness(cosigned=13)
    forged = hashlib.sha256(b"another history").digest()
    with pytest.raises(CheckpointForkError, match="the log shows two histories") as refused:
        witness.cosign(_note(13, forged), timestamp=T)
    assert isinstance(refused.value, IntegrityError)
    assert refused.value.evidence == _note(13, forged)
    assert witness.state.log(ORIGIN).root == TREE.root(13)


def test_refuses_a_bad_consistency_proof() -> None:
    witness = _witness(cosigned=5)
    hashes = list(TREE.consistency_proof(5, 13))
    hashes[0] = hashlib.sha256(hashes[0]).digest()
    with pytest.raises(
        InconsistentCheckpointError,
        match="the checkpoint of 13 events is not proved to extend the 5 events",
    ):
        witness.cosign(_note(13), SubmittedProof(tuple(hashes), old_size=5), timestamp=T)
    assert witness.state.log(ORIGIN).size == 5


def test_refuses_a_rewritten_log_even_with_its_own_valid_proof() -> None:
    """The log rewrote event 3 and proves its new tree consistent with its new past: the proof
    is valid for the new history, not for the one the witness cosigned."""
    witness = _witness(cosigned=5)
    leaves = [TREE.node(0, i) for i in range(13)]
    leaves[2] = hashlib.sha256(b"rewritten").digest()
    rewritten = MemoryTree(leaves)
    proof = SubmittedProof(tuple(rewritten.consistency_proof(5, 13)), old_size=5)
    with pytest.raises(InconsistentCheckpointError, match="expected old root"):
        witness.cosign(_note(13, rewritten.root(13)), proof, timestamp=T)


def test_refuses_a_proof_claiming_another_old_root() -> None:
    witness = _witness(cosigned=5)
    claimed = replace(_proof(5, 13), old_root=hashlib.sha256(b"other").digest())
    with pytest.raises(CheckpointForkError, match="the log's proof starts from sha256:"):
        witness.cosign(_note(13), claimed, timestamp=T)


def test_refuses_a_checkpoint_signed_by_another_key() -> None:
    witness = _witness()
    with pytest.raises(LogSignatureError, match="expected a signature by the log key") as refused:
        witness.cosign(_note(5, key=OTHER_LOG_KEY), timestamp=T)
    assert refused.value.evidence is None  # not signed by the log: proves nothing about it
    assert witness.state.log(ORIGIN).size == 0


def test_refuses_a_checkpoint_whose_body_was_changed() -> None:
    text = _note(5).replace(f"{ORIGIN}\n5\n", f"{ORIGIN}\n6\n", 1)
    with pytest.raises(LogSignatureError, match="found none that verifies"):
        _witness().cosign(text, timestamp=T)


def test_refuses_a_log_it_does_not_witness() -> None:
    text = sign_checkpoint("ledger/another", 5, TREE.root(5), LOG_KEY).text()
    with pytest.raises(UnknownLogError, match="does not witness the log 'ledger/another'"):
        _witness().cosign(text, timestamp=T)


def test_a_proof_from_another_size_names_the_size_to_prove_from() -> None:
    witness = _witness(cosigned=5)
    with pytest.raises(
        OldSizeMismatchError, match=r"from 5 events .* got one from 8: .*consistency 5 13"
    ) as mismatch:
        witness.cosign(_note(13), _proof(8, 13), timestamp=T)
    assert mismatch.value.size == 5
    assert isinstance(mismatch.value, InputError)


def test_a_missing_proof_is_bad_input_not_a_refusal() -> None:
    witness = _witness(cosigned=5)
    with pytest.raises(OldSizeMismatchError, match="got none: make it with"):
        witness.cosign(_note(13), timestamp=T)


def test_a_proof_for_another_checkpoint_is_bad_input() -> None:
    witness = _witness(cosigned=5)
    proof = replace(_proof(5, 13), new_size=12)
    with pytest.raises(WitnessInputError, match="expected a proof to the checkpoint's 13 events"):
        witness.cosign(_note(13), proof, timestamp=T)


def test_a_proof_of_64_hashes_is_refused() -> None:
    proof = SubmittedProof(tuple([bytes(32)] * 64), old_size=5)
    with pytest.raises(WitnessInputError, match="expected at most 63 proof hashes, got 64"):
        _witness(cosigned=5).cosign(_note(13), proof, timestamp=T)


def test_a_garbage_checkpoint_is_bad_input() -> None:
    with pytest.raises(WitnessInputError, match="not a checkpoint: no blank line"):
        _witness().cosign("garbage", timestamp=T)


def test_the_witness_key_must_match_its_state() -> None:
    state = new_state(NAME, WITNESS_KEY.key_id, ORIGIN, LOG_KEY.key_id)
    with pytest.raises(WitnessInputError, match="expected the witness key"):
        Witness(SECOND_WITNESS_KEY, state)


def test_every_refusal_is_an_integrity_error() -> None:
    for error in (
        LogSignatureError,
        CheckpointRollbackError,
        CheckpointForkError,
        InconsistentCheckpointError,
    ):
        assert issubclass(error, CheckpointRefusedError)
        assert error("x").exit_code == 1
    assert OldSizeMismatchError("x", 0).exit_code == UnknownLogError("x").exit_code == 2


# --- the misbehaviour report a refusal carries --------------------------------------------


def _rewritten(old: int, new: int) -> tuple[MemoryTree, SubmittedProof]:
    """A log that rewrote its third event after the witness cosigned ``old`` of them, and its
    own valid consistency proof from ``old`` to ``new`` (tlog-witness lines: no old root)."""
    leaves = [TREE.node(0, i) for i in range(new)]
    leaves[2] = hashlib.sha256(b"rewritten").digest()
    rewritten = MemoryTree(leaves)
    return rewritten, SubmittedProof(tuple(rewritten.consistency_proof(old, new)), old_size=old)


def _check_report(document: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check a report with nothing but its own contents and the log's key, as its
    ``how_to_check`` says: both notes signed by the log key, of one origin. Returns them."""
    assert document["format"] == "ledger.misbehaviour/1"
    older, newer = document["checkpoints"]
    for entry in (older, newer):
        note = parse_checkpoint(entry["note"])
        assert entry["signed_by"] == LOG_KEY.key_id
        assert verify_checkpoint(note, LOG_KEY.key_id)
        assert (note.origin, note.size, note.root) == (
            document["origin"],
            entry["size"],
            digest_bytes(entry["root"]),
        )
    assert json.loads(json.dumps(document)) == document  # plain JSON, self-contained
    return older, newer


def test_a_fork_at_the_same_size_carries_a_misbehaviour_report() -> None:
    witness = _witness(cosigned=13)
    forged = hashlib.sha256(b"another history").digest()
    with pytest.raises(CheckpointForkError, match="the log shows two histories") as refused:
        witness.cosign(_note(13, forged), timestamp=T)
    found = refused.value.misbehaviour
    assert found is not None and found.kind == SAME_SIZE
    document = found.to_json()
    older, newer = _check_report(document)
    assert older["size"] == newer["size"] == 13
    assert older["note"] == _note(13) and newer["note"] == _note(13, forged)
    assert older["root"] != newer["root"] and document["proof"] is None
    assert witness.state.log(ORIGIN).root == TREE.root(13)


def test_a_rewritten_past_carries_a_misbehaviour_report() -> None:
    """The rewritten log's own proof verifies to its new root and implies another head for the
    5 events the witness cosigned: with the two signed notes, that proves the rewrite."""
    witness = _witness(cosigned=5)
    rewritten, proof = _rewritten(5, 13)
    with pytest.raises(InconsistentCheckpointError, match="expected old root") as refused:
        witness.cosign(_note(13, rewritten.root(13)), proof, timestamp=T)
    found = refused.value.misbehaviour
    assert found is not None and found.kind == REWRITTEN
    document = found.to_json()
    older, newer = _check_report(document)
    step = document["proof"]
    assert isinstance(step, dict)
    assert (step["old_size"], step["new_size"]) == (older["size"], newer["size"]) == (5, 13)
    assert step["new_root"] == newer["root"]
    path = [digest_bytes(h) for h in step["consistency_path"]]
    old_root, new_root = digest_bytes(step["old_root"]), digest_bytes(step["new_root"])
    verify_consistency(5, 13, old_root, new_root, path)  # the proof holds for the newer note
    assert old_root == rewritten.root(5) != digest_bytes(older["root"])  # not for the older
    assert witness.state.log(ORIGIN).size == 5


def test_a_rewritten_past_proved_from_a_claimed_old_root_carries_a_report() -> None:
    """From a power-of-two size the proof omits the old head; the log's JSON proof names the
    head it starts from, and the proof verifies from it to the rewritten root."""
    witness = _witness(cosigned=8)
    rewritten, proof = _rewritten(8, 13)
    claimed = replace(proof, old_root=rewritten.root(8), new_size=13, new_root=rewritten.root(13))
    with pytest.raises(CheckpointForkError, match="the log's proof starts from") as refused:
        witness.cosign(_note(13, rewritten.root(13)), claimed, timestamp=T)
    found = refused.value.misbehaviour
    assert found is not None and found.kind == REWRITTEN
    assert found.implied_root == rewritten.root(8) != TREE.root(8)
    _check_report(found.to_json())


def test_a_rewritten_past_from_a_power_of_two_without_old_root_proves_nothing() -> None:
    """tlog-witness proof lines from size 8 carry no head for the 8 events: refused, evidence
    kept, but no report (nothing shows which other head the log had at 8)."""
    witness = _witness(cosigned=8)
    rewritten, proof = _rewritten(8, 13)
    with pytest.raises(InconsistentCheckpointError) as refused:
        witness.cosign(_note(13, rewritten.root(13)), proof, timestamp=T)
    assert refused.value.evidence == _note(13, rewritten.root(13))
    assert refused.value.misbehaviour is None


def test_a_fork_not_signed_by_the_log_key_carries_no_report() -> None:
    witness = _witness(cosigned=13)
    forged = hashlib.sha256(b"another history").digest()
    with pytest.raises(LogSignatureError) as refused:
        witness.cosign(_note(13, forged, key=OTHER_LOG_KEY), timestamp=T)
    assert refused.value.evidence is None and refused.value.misbehaviour is None


def test_a_bad_proof_of_an_honest_checkpoint_carries_no_report() -> None:
    """A damaged proof leads to no root: it proves nothing against the log."""
    witness = _witness(cosigned=5)
    hashes = list(TREE.consistency_proof(5, 13))
    hashes[-1] = hashlib.sha256(hashes[-1]).digest()
    with pytest.raises(InconsistentCheckpointError) as refused:
        witness.cosign(_note(13), SubmittedProof(tuple(hashes), old_size=5), timestamp=T)
    assert refused.value.misbehaviour is None


def test_a_smaller_checkpoint_carries_no_report() -> None:
    with pytest.raises(CheckpointRollbackError) as refused:
        _witness(cosigned=13).cosign(_note(5), timestamp=T)
    assert refused.value.misbehaviour is None


def test_an_honest_larger_checkpoint_is_cosigned() -> None:
    witness = _witness(cosigned=5)
    witness.cosign(_note(13), _proof(5, 13), timestamp=T)
    assert witness.state.log(ORIGIN).size == 13


@pytest.mark.parametrize(("old", "new"), [(3, 4), (5, 13), (6, 7), (7, 40), (12, 13), (31, 33)])
def test_implied_old_root_is_the_head_the_proof_verifies_from(old: int, new: int) -> None:
    proof = TREE.consistency_proof(old, new)
    assert implied_old_root(old, new, TREE.root(new), proof) == TREE.root(old)
    assert implied_old_root(old, new, TREE.root(old), proof) is None  # not to that root
    assert implied_old_root(old, new, TREE.root(new), [*proof, bytes(32)]) is None
    assert implied_old_root(old, new, TREE.root(new), proof[:-1]) is None


@pytest.mark.parametrize(("old", "new"), [(0, 5), (1, 5), (8, 13), (5, 5), (6, 5)])
def test_implied_old_root_is_none_where_the_proof_omits_or_needs_no_head(
    old: int, new: int
) -> None:
    assert implied_old_root(old, new, TREE.root(5), [bytes(32)] * 3) is None


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 39).flatmap(lambda old: st.tuples(st.just(old), st.integers(old + 1, 40))),
    st.lists(st.binary(min_size=32, max_size=32), max_size=8),
)
def test_implied_old_root_agrees_with_verify_consistency(
    sizes: tuple[int, int], proof: list[bytes]
) -> None:
    """Whatever it returns, the RFC 9162 verifier accepts: one verification path decides."""
    old, new = sizes
    for path in (proof, TREE.consistency_proof(old, new)):
        implied = implied_old_root(old, new, TREE.root(new), path)
        if implied is not None:
            verify_consistency(old, new, implied, TREE.root(new), path)
        elif old & (old - 1) and path == TREE.consistency_proof(old, new):
            pytest.fail("an honest proof from a size not a power of two implies its head")


# --- verifying cosignatures ----------------------------------------------------------------


def test_cosignature_by_another_key_does_not_verify() -> None:
    cosigned = _witness().cosign(_note(5), timestamp=T)
    with pytest.raises(CosignatureInvalidError, match=f"by witness {NAME!r} with key"):
        verify_cosignature(cosigned, NAME, SECOND_WITNESS_KEY.key_id)


def test_cosignature_under_another_name_does_not_verify() -> None:
    cosigned = _witness().cosign(_note(5), timestamp=T)
    with pytest.raises(CosignatureInvalidError, match="found none that verifies"):
        verify_cosignature(cosigned, "other.example/w", WITNESS_KEY.key_id)


def test_cosignature_with_a_changed_timestamp_does_not_verify() -> None:
    cosigned = _witness().cosign(_note(5), timestamp=T)
    line = _line(cosigned)
    moved = replace(line, signature=struct.pack(">Q", T + 1) + line.signature[8:])
    tampered = replace(cosigned, signatures=(cosigned.signatures[0], moved))
    with pytest.raises(CosignatureInvalidError):
        verify_cosignature(parse_checkpoint(tampered.text()), NAME, WITNESS_KEY.key_id)


def test_cosignature_of_another_checkpoint_does_not_verify() -> None:
    line = _line(_witness().cosign(_note(5), timestamp=T))
    moved = parse_checkpoint(_note(6) + signature_line(line))
    with pytest.raises(CosignatureInvalidError):
        verify_cosignature(moved, NAME, WITNESS_KEY.key_id)


def test_a_note_signature_is_not_a_cosignature() -> None:
    """The log's own key signs with key hash 0x01 and no timestamp: it is no cosignature,
    even when the witness's name and key are the log's."""
    checkpoint = parse_checkpoint(_note(5))
    with pytest.raises(CosignatureInvalidError):
        verify_cosignature(checkpoint, ORIGIN, LOG_KEY.key_id)


# --- require_witnesses ---------------------------------------------------------------------

SECOND = "cz.example.gov.cn/witness"


def _cosigned_by(*keys: tuple[str, SigningKey]) -> Checkpoint:
    checkpoint = parse_checkpoint(_note(5))
    lines = [cosign(checkpoint, key, name, T + i) for i, (name, key) in enumerate(keys)]
    return replace(checkpoint, signatures=(*checkpoint.signatures, *lines))


TRUSTED = [(NAME, WITNESS_KEY.key_id), TrustedWitness(SECOND, SECOND_WITNESS_KEY.key_id)]


def test_require_witnesses_counts_valid_cosignatures() -> None:
    both = _cosigned_by((NAME, WITNESS_KEY), (SECOND, SECOND_WITNESS_KEY))
    found = require_witnesses(both, TRUSTED, 2)
    assert [(c.name, c.timestamp) for c in found] == [(NAME, T), (SECOND, T + 1)]


def test_require_witnesses_refuses_too_few() -> None:
    one = _cosigned_by((NAME, WITNESS_KEY))
    assert [c.name for c in require_witnesses(one, TRUSTED, 1)] == [NAME]
    with pytest.raises(WitnessQuorumError, match=rf"by 2 of 2 trusted .* got 1 \({NAME}\)"):
        require_witnesses(one, TRUSTED, 2)


def test_require_witnesses_ignores_untrusted_and_invalid_lines() -> None:
    stranger = _key(9)
    checkpoint = _cosigned_by((NAME, stranger), (SECOND, SECOND_WITNESS_KEY))
    assert [c.name for c in cosignatures(checkpoint, TRUSTED)] == [SECOND]
    with pytest.raises(WitnessQuorumError, match="got 1"):
        require_witnesses(checkpoint, TRUSTED, 2)


def test_one_key_listed_under_two_names_counts_once() -> None:
    """cosignature/v1 does not sign the name: one signature, copied under a second name with
    that name's key hash, verifies for both; it is still one witness."""
    checkpoint = _cosigned_by((NAME, WITNESS_KEY))
    copied = replace(
        _line(checkpoint), name=SECOND, key_hash=cosignature_key_hash(SECOND, WITNESS_KEY.key_id)
    )
    doubled = replace(checkpoint, signatures=(*checkpoint.signatures, copied))
    assert verify_cosignature(doubled, SECOND, WITNESS_KEY.key_id) == T  # the copy verifies
    same_key = [(NAME, WITNESS_KEY.key_id), (SECOND, WITNESS_KEY.key_id)]
    with pytest.raises(WitnessInputError, match=r"expected a quorum from 1 to 1 \("):
        require_witnesses(doubled, same_key, 2)
    assert len(require_witnesses(doubled, same_key, 1)) == 1


def test_a_malformed_trusted_key_is_bad_input() -> None:
    with pytest.raises(WitnessInputError, match="not a witness key id: key id must start with"):
        require_witnesses(_cosigned_by(), [(NAME, "rsa:AAAA")], 1)
    with pytest.raises(WitnessInputError, match="not a witness key id"):
        verify_cosignature(_cosigned_by(), NAME, "ed25519:AAAA")


def test_require_witnesses_refuses_a_quorum_of_zero() -> None:
    with pytest.raises(WitnessInputError, match=r"expected a quorum from 1 to 2 \(.*\), got 0"):
        require_witnesses(_cosigned_by(), TRUSTED, 0)


def test_a_cosigned_checkpoint_still_parses_and_verifies_as_a_checkpoint() -> None:
    text = _cosigned_by((NAME, WITNESS_KEY)).text()
    parsed = parse_checkpoint(text)
    assert parsed.text() == text
    assert verify_checkpoint(parsed, LOG_KEY.key_id)


# --- the proof file ------------------------------------------------------------------------


def _digest(raw: bytes) -> str:
    return "sha256:" + raw.hex()


def test_proof_from_ledger_consistency_json() -> None:
    document = {
        "old_size": 5,
        "old_root": _digest(TREE.root(5)),
        "new_size": 13,
        "new_root": _digest(TREE.root(13)),
        "consistency_path": [_digest(h) for h in TREE.consistency_proof(5, 13)],
    }
    proof = parse_proof(json.dumps(document, indent=2))
    assert proof == SubmittedProof(
        tuple(TREE.consistency_proof(5, 13)), 5, TREE.root(5), 13, TREE.root(13)
    )


def test_proof_from_tlog_witness_lines() -> None:
    hashes = TREE.consistency_proof(5, 13)
    text = "old 5\n" + "".join(base64.b64encode(h).decode() + "\n" for h in hashes) + "\n"
    assert parse_proof(text) == SubmittedProof(tuple(hashes), old_size=5)
    assert parse_proof("old 0\n") == SubmittedProof((), old_size=0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "expected a proof beginning 'old <size>'"),
        ("garbage", "expected a proof beginning 'old <size>'"),
        ("old 05\n", "old size must be a decimal integer, got '05'"),
        ("old 5\nnot base64!\n", "proof line 2 is not base64"),
        ("old 5\nAAAA\n", "proof line 2 has 3 bytes, expected 32"),
        ("{", "the proof is not valid JSON"),
        ('{"old_size": 5}', "expected the fields"),
        ("[1]", r"expected the fields .* got list"),
    ],
)
def test_malformed_proofs_are_bad_input(text: str, message: str) -> None:
    with pytest.raises(WitnessInputError, match=message):
        parse_proof(text)


def test_proof_json_with_a_bad_digest_is_bad_input() -> None:
    document = {
        "old_size": 5,
        "old_root": "sha256:XYZ",
        "new_size": 13,
        "new_root": _digest(TREE.root(13)),
        "consistency_path": [],
    }
    with pytest.raises(WitnessInputError, match="old_root: expected 'sha256:'"):
        parse_proof(json.dumps(document))


_PROOF_FRAGMENTS = st.sampled_from(
    ["old 5", "old 0", "old 05", "", "{", "}", "[]", '"consistency_path"', "sha256:", "AAAA", "="]
    + [base64.b64encode(h).decode() for h in TREE.consistency_proof(5, 13)]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PROOF_FRAGMENTS | st.text(max_size=8), max_size=6))
def test_proof_parser_refuses_only_with_witness_input_error(lines: list[str]) -> None:
    with contextlib.suppress(WitnessInputError):
        parse_proof("\n".join(lines))


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=6),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(
                st.sampled_from(
                    ["format", "name", "key", "logs", "size", "root", "origin", "log_key"]
                ),
                inner,
                max_size=4,
            )
        ),
        max_leaves=12,
    )
)
def test_state_reader_refuses_only_with_witness_input_error(document: object) -> None:
    with contextlib.suppress(WitnessInputError):
        WitnessState.from_json(json.dumps(document))


# --- the state file ------------------------------------------------------------------------


def test_state_survives_a_save_and_a_load(tmp_path: Path) -> None:
    witness = _witness(cosigned=5)
    path = tmp_path / "witness.json"
    witness.state.save(path)
    loaded = WitnessState.load(path)
    assert loaded == witness.state
    # A new run from the saved state refuses what the first run would have.
    again = Witness(WITNESS_KEY, loaded)
    with pytest.raises(CheckpointRollbackError, match="at least 5 events"):
        again.cosign(_note(4), timestamp=T)
    again.cosign(_note(13), _proof(5, 13), timestamp=T)
    again.state.save(path)
    assert WitnessState.load(path).log(ORIGIN).size == 13
    assert not (tmp_path / "witness.json.tmp").exists()


def test_state_file_keeps_roots_as_digests(tmp_path: Path) -> None:
    path = tmp_path / "witness.json"
    _witness(cosigned=5).state.save(path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format"] == "ledger.witness/1"
    (log,) = document["logs"]
    assert log["root"] == _digest(TREE.root(5)) and log["size"] == 5
    assert log["cosigned_at"] == T and log["checkpoint"] == _note(5)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(format="ledger.witness/0"),
        lambda d: d.update(key="ed25519:short"),
        lambda d: d["logs"][0].update(size=-1),
        lambda d: d["logs"][0].update(root="sha256:00"),
        lambda d: d["logs"][0].pop("log_key"),
        lambda d: d["logs"].append(dict(d["logs"][0])),
        lambda d: d.update(logs="nope"),
    ],
)
def test_a_damaged_state_file_is_refused(tmp_path: Path, change: object) -> None:
    document = json.loads(_witness(cosigned=5).state.to_json())
    change(document)  # type: ignore[operator]
    path = tmp_path / "witness.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(WitnessInputError, match=r"not a witness state file \(ledger.witness/1\)"):
        WitnessState.load(path)


def test_a_missing_state_file_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(WitnessInputError, match="cannot read witness state"):
        WitnessState.load(tmp_path / "absent.json")


def test_lock_is_exclusive(tmp_path: Path) -> None:
    import fcntl

    lock = tmp_path / "witness.lock"
    with locked(lock), open(lock, "a") as other, pytest.raises(BlockingIOError):
        fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    with open(lock, "a") as other:
        fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # free again


# --- the worked example of docs/witnesses.md -----------------------------------------------

DOCS = Path(__file__).parents[2] / "docs" / "witnesses.md"
VECTORS = Path(__file__).parents[1] / "vectors" / "checkpoint.json"
RFC8032_TEST_3 = "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7"


def test_worked_example_in_the_docs_is_what_the_code_makes() -> None:
    vector = json.loads(VECTORS.read_text(encoding="utf-8"))
    docs = DOCS.read_text(encoding="utf-8")
    key = SigningKey(Ed25519PrivateKey.from_private_bytes(bytes.fromhex(RFC8032_TEST_3)))
    name = "jw.example.gov.cn/witness"
    witness = Witness(key, new_state(name, key.key_id, vector["origin"], vector["key_id"]))
    cosigned = witness.cosign(vector["note"], timestamp=T)
    line = _line(cosigned, name)
    message = cosigned_message(parse_checkpoint(vector["note"]).body, T)
    assert public_key_bytes(key.key_id).hex() in docs  # RFC 8032 TEST 3's public key
    for value in (
        key.key_id,
        cosignature_key_hash(name, key.key_id).hex(),
        cosignature_verifier_key(name, key.key_id),
        line.signature[8:].hex(),
        "```\n" + cosigned.text() + "```",
        witness.state.to_json(),
    ):
        assert value in docs, value
    assert message.hex() in "".join(docs.split()), "the signed message's hex"
