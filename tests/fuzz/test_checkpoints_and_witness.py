"""Hostile checkpoints and witness requests: the checkpoint parser (C2SP tlog-checkpoint) and the
witness's cosign input (a checkpoint and a consistency proof, tlog-witness) take random text,
random bytes and random edits of valid notes and proofs. Each is parsed, or refused with a
``LedgerError`` that says why; a witness that refuses keeps its state as it was, and one that
cosigns has been shown a checkpoint the log signed, of the tree it signed, extending the last
one it cosigned. ``ledger witness cosign`` exits 0, 1 or 2, never with a traceback.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ledger.cli.main import cli
from ledger.errors import CheckpointFormatError, KeyFileError, LedgerError
from ledger.integrity.checkpoint import parse_checkpoint, sign_checkpoint, verify_checkpoint
from ledger.integrity.keys import SigningKey
from ledger.integrity.merkle import MemoryTree
from ledger.integrity.witness import (
    SubmittedProof,
    Witness,
    WitnessInputError,
    WitnessState,
    new_state,
    parse_proof,
)
from ledger.store.service import read_checkpoint
from tests.fuzz.strategies import byte_edits, json_values

ORIGIN = "ledger/5a0e3c8e-2f4b-4d6a-9c1e-7b3d2a1f0e95"
NAME = "jw.example.gov.cn/witness"
T = 1_773_279_000
LOG_KEY = SigningKey(Ed25519PrivateKey.from_private_bytes(bytes([1]) * 32))
WITNESS_KEY = SigningKey(Ed25519PrivateKey.from_private_bytes(bytes([3]) * 32))
TREE = MemoryTree(hashlib.sha256(b"\x00" + bytes([i])).digest() for i in range(40))
COSIGNED = 9  # the size the fuzzed witness last cosigned
FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def note(size: int) -> str:
    return sign_checkpoint(ORIGIN, size, TREE.root(size), LOG_KEY).text()


def proof_json(old: int, new: int) -> str:
    return json.dumps(
        {
            "old_size": old,
            "old_root": "sha256:" + TREE.root(old).hex(),
            "new_size": new,
            "new_root": "sha256:" + TREE.root(new).hex(),
            "consistency_path": ["sha256:" + h.hex() for h in TREE.consistency_proof(old, new)],
        }
    )


def proof_lines(old: int, new: int) -> str:
    hashes = [base64.b64encode(h).decode() for h in TREE.consistency_proof(old, new)]
    return "\n".join([f"old {old}", *hashes]) + "\n"


NOTES = [note(size) for size in (1, COSIGNED, COSIGNED + 1, 17, 40)]
PROOFS = [proof_json(COSIGNED, 17), proof_lines(COSIGNED, 17), proof_json(COSIGNED, 40)]


def witness() -> Witness:
    state = new_state(NAME, WITNESS_KEY.key_id, ORIGIN, LOG_KEY.key_id)
    fresh = Witness(WITNESS_KEY, state)
    fresh.cosign(note(COSIGNED), timestamp=T)
    return fresh


def texts() -> st.SearchStrategy[str]:
    """Random text, valid notes, and valid notes edited as bytes (kept when still UTF-8)."""
    edited = st.sampled_from(NOTES).flatmap(lambda n: byte_edits(n.encode()))
    return st.one_of(
        st.text(max_size=400),
        st.sampled_from(NOTES),
        edited.map(lambda raw: raw.decode("utf-8", errors="replace")),
        st.sampled_from(NOTES).map(lambda n: n.replace("\n\n", "\n", 1)),
        st.builds(lambda size: f"{ORIGIN}\n{size}\n{'A' * 43}=\n\n", st.text(max_size=5000)),
    )


# --- the checkpoint parser ----------------------------------------------------------------------


@FUZZ
@given(texts())
@example(f"{ORIGIN}\n{'9' * 5000}\n{base64.b64encode(bytes(32)).decode()}\n\n— x {'A' * 92}\n")
def test_a_checkpoint_is_parsed_or_refused(text: str) -> None:
    try:
        checkpoint = parse_checkpoint(text)
    except CheckpointFormatError as e:
        assert str(e).strip()
        return
    assert isinstance(verify_checkpoint(checkpoint, LOG_KEY.key_id), bool)


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=600), st.sampled_from(NOTES).flatmap(lambda n: byte_edits(n.encode()))
    )
)
def test_a_checkpoint_file_is_read_or_refused(
    tmp_path_factory: pytest.TempPathFactory, raw: bytes
) -> None:
    path = tmp_path_factory.mktemp("checkpoint") / "checkpoint.txt"
    path.write_bytes(raw)
    try:
        read_checkpoint(path)
    except (CheckpointFormatError, KeyFileError) as e:
        assert str(e).strip()


# --- the witness's input --------------------------------------------------------------------------


def proofs() -> st.SearchStrategy[str]:
    edited = st.sampled_from(PROOFS).flatmap(lambda p: byte_edits(p.encode()))
    return st.one_of(
        st.text(max_size=300),
        st.sampled_from(PROOFS),
        edited.map(lambda raw: raw.decode("utf-8", errors="replace")),
        json_values.map(json.dumps),
        st.builds(lambda n: "[" * n + "]" * n, st.integers(0, 100_000)),
        st.builds(lambda d: f"old {d}\n", st.text(alphabet="0123456789", max_size=5000)),
    )


@FUZZ
@given(proofs())
def test_a_proof_is_parsed_or_refused(text: str) -> None:
    try:
        parse_proof(text)
    except WitnessInputError as e:
        assert str(e).strip()


@FUZZ
@given(texts(), st.one_of(st.none(), proofs()))
def test_the_witness_cosigns_only_what_extends_what_it_cosigned(
    text: str, proof: str | None
) -> None:
    fresh = witness()
    before = fresh.state
    try:
        submitted = parse_proof(proof) if proof is not None else SubmittedProof()
        cosigned = fresh.cosign(text, submitted, timestamp=T + 1)
    except LedgerError as e:
        assert str(e).strip()
        assert fresh.state == before
        return
    assert verify_checkpoint(cosigned, LOG_KEY.key_id)
    assert cosigned.origin == ORIGIN and cosigned.size >= COSIGNED
    assert cosigned.root == TREE.root(cosigned.size)
    assert fresh.state.log(ORIGIN).size == cosigned.size


@FUZZ
@given(
    st.one_of(
        st.text(max_size=300),
        json_values.map(json.dumps),
        st.builds(lambda n: "[" * n, st.integers(0, 100_000)),
    )
)
def test_a_witness_state_file_is_read_or_refused(text: str) -> None:
    try:
        WitnessState.from_json(text)
    except WitnessInputError as e:
        assert str(e).strip()


# --- ledger witness cosign ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("witness") / "w"
    args = ["witness", "init", "--dir", str(path), "--name", NAME, "--origin", ORIGIN]
    result = CliRunner().invoke(cli, [*args, "--log-key", LOG_KEY.key_id, "--unencrypted"])
    assert result.exit_code == 0, result.stderr
    first = path.parent / "first.txt"
    first.write_text(note(COSIGNED))
    assert (
        CliRunner().invoke(cli, ["witness", "cosign", "--dir", str(path), str(first)]).exit_code
        == 0
    )
    return path


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.one_of(st.binary(max_size=500), texts().map(str.encode)),
    st.one_of(st.none(), st.binary(max_size=300), proofs().map(str.encode)),
)
def test_ledger_witness_cosign_refuses_hostile_files(
    wdir: Path, tmp_path_factory: pytest.TempPathFactory, checkpoint: bytes, proof: bytes | None
) -> None:
    files = tmp_path_factory.mktemp("request")
    (files / "checkpoint.txt").write_bytes(checkpoint)
    args = ["witness", "cosign", "--dir", str(wdir), str(files / "checkpoint.txt")]
    if proof is not None:
        (files / "proof").write_bytes(proof)
        args += ["--proof", str(files / "proof")]
    state = (wdir / "witness.json").read_bytes()
    result = CliRunner().invoke(cli, args)
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "internal error" not in output, output
    assert result.exit_code in (0, 1, 2), (result.exit_code, output)
    if result.exit_code:
        assert result.stderr.splitlines()[-1].startswith("error: ")  # after an evidence note
        assert (wdir / "witness.json").read_bytes() == state


def test_an_oversized_request_file_is_refused_unread(wdir: Path, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(64 * 1024 * 1024)
    result = CliRunner().invoke(cli, ["witness", "cosign", "--dir", str(wdir), str(path)])
    assert result.exit_code == 2
    assert "has more than 1048576 bytes" in result.stderr
