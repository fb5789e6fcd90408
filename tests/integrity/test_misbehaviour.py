"""Misbehaviour evidence (integrity/misbehaviour.py) and the verification of some events of a log
against one checkpoint (``Verifier.verify_included``), on in-memory logs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.errors import InputError
from ledger.integrity.checkpoint import Checkpoint, origin_of, sign_checkpoint
from ledger.integrity.digest import leaf_hash
from ledger.integrity.keys import SigningKey
from ledger.integrity.merkle import MemoryTree, ProofError
from ledger.integrity.misbehaviour import (
    REWRITTEN,
    SAME_SIZE,
    UnprovenMisbehaviourError,
    find_misbehaviour,
)
from ledger.integrity.verify import StoredRow, Verifier
from ledger.store.home import LedgerHome
from ledger.store.service import LedgerService
from tests.conftest import T0, at

ORIGIN = origin_of("5a0e3c8e-2f4b-4d6a-9c1e-7b3d2a1f0e95")
KEY = SigningKey(Ed25519PrivateKey.from_private_bytes(bytes([9]) * 32))


def _leaves(tag: bytes, n: int) -> list[bytes]:
    return [leaf_hash(tag + bytes([i])) for i in range(n)]


def _signed(leaves: list[bytes], size: int | None = None) -> Checkpoint:
    size = len(leaves) if size is None else size
    return sign_checkpoint(ORIGIN, size, MemoryTree(leaves).root(size), KEY)


def test_a_grown_log_is_no_misbehaviour() -> None:
    leaves = _leaves(b"a", 9)
    tree = MemoryTree(leaves)
    older, newer = _signed(leaves, 5), _signed(leaves)
    found = find_misbehaviour(
        older, newer, [KEY.key_id], implied_root=tree.root(5), proof=tree.consistency_proof(5)
    )
    assert found is None


def test_a_rewritten_past_is_proved_from_the_newer_checkpoint() -> None:
    honest, rewritten = _leaves(b"a", 9), _leaves(b"a", 9)
    rewritten[2] = leaf_hash(b"changed")
    older, newer = _signed(honest, 5), _signed(rewritten)
    tree = MemoryTree(rewritten)
    found = find_misbehaviour(
        older, newer, [KEY.key_id], implied_root=tree.root(5), proof=tree.consistency_proof(5)
    )
    assert found is not None and found.kind == REWRITTEN
    report = found.to_json()
    assert report["checkpoints"][0]["note"] == older.text()
    assert report["proof"]["old_root"] != report["checkpoints"][0]["root"]
    assert found.file_name() == f"misbehaviour-{ORIGIN.replace('/', '_')}-5-9.json"


def test_two_heads_for_one_size() -> None:
    one, two = _signed(_leaves(b"a", 4)), _signed(_leaves(b"b", 4))
    found = find_misbehaviour(one, two, [KEY.key_id])
    assert found is not None and found.kind == SAME_SIZE and found.to_json()["proof"] is None


def test_a_proof_that_does_not_reach_the_newer_checkpoint_proves_nothing() -> None:
    leaves = _leaves(b"a", 9)
    other = MemoryTree(_leaves(b"b", 9))
    with pytest.raises(ProofError, match="does not verify against the checkpoint of 9"):
        find_misbehaviour(
            _signed(leaves, 5),
            _signed(leaves),
            [KEY.key_id],
            implied_root=other.root(5),
            proof=other.consistency_proof(5),
        )


def test_an_unsigned_note_proves_nothing() -> None:
    stranger = SigningKey.generate()
    forged = sign_checkpoint(ORIGIN, 4, MemoryTree(_leaves(b"b", 4)).root(), stranger)
    with pytest.raises(UnprovenMisbehaviourError, match="not signed by any of the 1 keys"):
        find_misbehaviour(_signed(_leaves(b"a", 4)), forged, [KEY.key_id])


def test_two_sizes_need_a_proof() -> None:
    leaves = _leaves(b"a", 9)
    with pytest.raises(InputError, match="a consistency proof from 5 to 9 is needed"):
        find_misbehaviour(_signed(leaves, 5), _signed(leaves), [KEY.key_id])


# --- verify_included: some events of a log against one checkpoint ----------------------------


@pytest.fixture
def log(tmp_path: Path) -> Iterator[tuple[LedgerService, list[StoredRow], Checkpoint]]:
    service = LedgerService.create(
        LedgerHome(tmp_path / "ledger"), "X", passphrase=None, occurred_at=T0
    )
    for i in range(6):
        service.register_member(f"委员 {i}", occurred_at=at(i))
    rows = [row for page in service.app.rows() for row in page]
    yield service, rows, service.publish_checkpoint()
    service.app.close()


def _proofs(rows: list[StoredRow], size: int) -> dict[int, list[bytes]]:
    tree = MemoryTree(leaf_hash(r.state.split(b"\n", 1)[0]) for r in rows)
    return {i + 1: tree.inclusion_proof(i, size) for i in range(len(rows))}


def test_some_events_verify_by_their_inclusion_proofs(
    log: tuple[LedgerService, list[StoredRow], Checkpoint],
) -> None:
    service, rows, checkpoint = log
    chosen = [rows[0], rows[3], rows[6]]
    report = Verifier(anchor=service.config.genesis_key).verify_included(
        chosen, checkpoint, _proofs(rows, checkpoint.size)
    )
    assert report.ok, report.failure
    assert report.events == 3 and report.tree_head == checkpoint.root


@pytest.mark.parametrize(
    ("chosen", "position", "problem"),
    [
        ([3, 6], 4, "the first event must be the genesis at position 1, got 4"),
        ([0, 6, 3], 4, "position 4 appears again or out of order here (after 7)"),
        ([0, 2, 2], 3, "position 3 appears again or out of order here (after 3)"),
    ],
)
def test_events_out_of_order_or_without_genesis(
    log: tuple[LedgerService, list[StoredRow], Checkpoint],
    chosen: list[int],
    position: int,
    problem: str,
) -> None:
    service, rows, checkpoint = log
    report = Verifier(anchor=service.config.genesis_key).verify_included(
        [rows[i] for i in chosen], checkpoint, _proofs(rows, checkpoint.size)
    )
    assert report.failure is not None
    assert (report.failure.position, report.failure.problem) == (position, problem)


def test_an_event_not_in_the_signed_tree(
    log: tuple[LedgerService, list[StoredRow], Checkpoint],
) -> None:
    service, rows, checkpoint = log
    proofs = _proofs(rows, checkpoint.size)
    proofs[4] = proofs[5]
    report = Verifier(anchor=service.config.genesis_key).verify_included(
        [rows[0], rows[3]], checkpoint, proofs
    )
    assert report.failure is not None and report.failure.position == 4
    assert report.failure.problem.startswith("not in the log the checkpoint signs: expected root")


def test_an_event_without_its_proof(
    log: tuple[LedgerService, list[StoredRow], Checkpoint],
) -> None:
    service, rows, checkpoint = log
    proofs = _proofs(rows, checkpoint.size)
    del proofs[4]
    report = Verifier(anchor=service.config.genesis_key).verify_included(
        [rows[0], rows[3]], checkpoint, proofs
    )
    assert report.failure is not None
    assert report.failure.problem == "no inclusion proof for position 4"


def test_a_checkpoint_signed_by_a_stranger(
    log: tuple[LedgerService, list[StoredRow], Checkpoint],
) -> None:
    service, rows, checkpoint = log
    forged = sign_checkpoint(checkpoint.origin, checkpoint.size, checkpoint.root, KEY)
    report = Verifier(anchor=service.config.genesis_key).verify_included(
        rows[:2], forged, _proofs(rows, checkpoint.size)
    )
    assert report.failure is not None
    assert report.failure.problem == "checkpoint at size 7 is not signed by a checkpoint key"
