"""The stored Merkle tree of the read index (projections/tree.py), driven through a plain sqlite3
connection as the index drives it through its own cursor: pages written in transactions, the file
reopened and continued, every node equal to the in-memory tree's, proofs read in one query."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError as RecorderIntegrityError
from eventsourcing.sqlite import SQLiteDatastore

from ledger.errors import IntegrityError
from ledger.integrity.merkle import (
    EMPTY_TREE_HASH,
    MemoryTree,
    ProofError,
    ProofRangeError,
    TreeAccumulator,
    perfect_subtrees,
    verify_consistency,
    verify_inclusion,
)
from ledger.projections.tree import (
    CACHED_LEVEL,
    TABLE,
    EventTree,
    MissingNodeError,
    create_table_statements,
    prove_consistency,
    prove_inclusion,
    write,
)


def _leaves(n: int, salt: int = 0) -> list[bytes]:
    return [hashlib.sha256(b"\x00" + f"{salt}/{i}".encode()).digest() for i in range(n)]


LEAVES = _leaves(300)
MEMORY = MemoryTree(LEAVES)


class Index:
    """A stand-in for the index file: a sqlite3 connection, its tables, and a query function."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.connection = sqlite3.connect(path, isolation_level=None)
        self.queries = 0
        for statement in create_table_statements():
            self.connection.execute(statement)
        self.tree = EventTree(self.query)

    def query(self, statement: str, params: Sequence[Any]) -> list[Any]:
        self.queries += 1
        return self.connection.execute(statement, params).fetchall()

    def page(self, first: int, leaves: Sequence[bytes]) -> None:
        """Write one page in its own transaction, as ``IndexRecorder.write`` does."""
        c = self.connection.cursor()
        c.execute("BEGIN")
        try:
            write(c, first, leaves)
        except BaseException:
            c.execute("ROLLBACK")
            raise
        c.execute("COMMIT")

    def close(self) -> None:
        self.connection.close()


@pytest.fixture
def index(tmp_path: Path) -> Iterator[Index]:
    opened = Index(tmp_path / "index.sqlite")
    yield opened
    opened.close()


def _fill(index: Index, leaves: Sequence[bytes], page: int) -> None:
    for first in range(0, len(leaves), page):
        index.page(first, leaves[first : first + page])


def _all_nodes(tree: EventTree | MemoryTree, size: int) -> dict[tuple[int, int], bytes]:
    return {
        (level, start): tree.node(level, start)
        for level in range(size.bit_length())
        for start in range(0, size - 2**level + 1, 2**level)
    }


# --- storing --------------------------------------------------------------------------------------


def test_the_table_is_keyed_by_level_and_start_without_rowid(index: Index) -> None:
    (sql,) = index.connection.execute(
        "SELECT sql FROM sqlite_master WHERE name = ?", [TABLE]
    ).fetchone()
    assert "PRIMARY KEY (level, start)) WITHOUT ROWID" in sql


@pytest.mark.parametrize("page", [1, 2, 3, 7, 64, 100, 300])
def test_every_node_equals_the_memory_tree(index: Index, page: int) -> None:
    _fill(index, LEAVES, page)
    assert index.tree.size == 300
    assert _all_nodes(index.tree, 300) == _all_nodes(MEMORY, 300)


def test_every_completed_perfect_subtree_is_stored_once(index: Index) -> None:
    """n leaves complete sum(n // 2**l) perfect subtrees = 2n - popcount(n): one per leaf on
    average."""
    for size in (1, 2, 3, 64, 65, 127, 300):
        index.connection.execute(f"DELETE FROM {TABLE}")
        _fill(index, LEAVES[:size], 10)
        (count,) = index.connection.execute(f"SELECT COUNT(*) FROM {TABLE}").fetchone()
        assert count == 2 * size - bin(size).count("1"), size


@pytest.mark.parametrize("split", [0, 1, 2, 3, 5, 8, 13, 31, 32, 33, 63, 64, 65, 200, 299])
def test_a_page_may_end_anywhere(index: Index, split: int) -> None:
    index.page(0, LEAVES[:split])
    index.page(split, LEAVES[split:])
    assert _all_nodes(index.tree, 300) == _all_nodes(MEMORY, 300)


def test_reopened_file_continues_the_same_tree(tmp_path: Path) -> None:
    first = Index(tmp_path / "index.sqlite")
    _fill(first, LEAVES[:77], 20)
    first.close()
    second = Index(tmp_path / "index.sqlite")
    assert second.tree.size == 77
    assert second.tree.root() == MEMORY.root(77)
    c = second.connection.cursor()
    c.execute("BEGIN")
    second.tree.append(LEAVES[77:200], c)
    c.execute("COMMIT")
    second.close()
    third = Index(tmp_path / "index.sqlite")
    third.page(200, LEAVES[200:])
    assert _all_nodes(third.tree, 300) == _all_nodes(MEMORY, 300)
    third.close()


def test_an_empty_page_writes_nothing(index: Index) -> None:
    index.page(0, [])
    assert index.tree.size == 0
    assert index.tree.root() == EMPTY_TREE_HASH


# --- exactly once, in the index's transaction ---------------------------------------------------


def test_a_page_written_twice_is_refused_by_the_primary_key(index: Index) -> None:
    index.page(0, LEAVES[:10])
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE constraint failed"):
        index.page(0, LEAVES[:10])
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE constraint failed"):
        index.page(5, LEAVES[5:15])
    assert index.tree.size == 10
    assert _all_nodes(index.tree, 10) == _all_nodes(MEMORY, 10)


def test_a_page_that_skips_leaves_is_refused(index: Index) -> None:
    index.page(0, LEAVES[:10])
    with pytest.raises(
        MissingNodeError,
        match="expected the tree to hold 12 leaves before this page, got 10: the index skipped "
        "events; run `ledger rebuild`",
    ):
        index.page(12, LEAVES[12:20])
    assert issubclass(MissingNodeError, IntegrityError)
    assert index.tree.size == 10


def test_nodes_roll_back_with_the_rest_of_the_page(index: Index) -> None:
    """Written in the same transaction as the index's own rows: a page that fails later (its
    tracking row refused) leaves no node behind."""
    index.connection.execute("CREATE TABLE tracking (notification_id INTEGER PRIMARY KEY)")
    index.connection.execute("INSERT INTO tracking VALUES (10)")
    c = index.connection.cursor()
    c.execute("BEGIN")
    write(c, 0, LEAVES[:10])
    with pytest.raises(sqlite3.IntegrityError):
        c.execute("INSERT INTO tracking VALUES (10)")
    c.execute("ROLLBACK")
    assert index.tree.size == 0


def test_eventsourcing_cursor_writes_and_refuses_a_repeat(tmp_path: Path) -> None:
    """Through the index's own datastore and cursor, a repeated page is the recorder's
    IntegrityError, which ``LedgerIndex.catch_up`` reads as "another process indexed it"."""
    datastore = SQLiteDatastore(str(tmp_path / "index.sqlite"))
    try:
        with datastore.transaction(commit=True) as c:
            for statement in create_table_statements():
                c.execute(statement)

        def query(statement: str, params: Sequence[Any]) -> list[Any]:
            with datastore.transaction(commit=False) as c:
                c.execute(statement, params)
                return list(c.fetchall())

        tree = EventTree(query)
        with datastore.transaction(commit=True) as c:
            write(c, 0, LEAVES[:50])
        with datastore.transaction(commit=True) as c:
            tree.append(LEAVES[50:60], c)
        with (
            pytest.raises(RecorderIntegrityError, match="UNIQUE constraint failed"),
            datastore.transaction(commit=True) as c,
        ):
            write(c, 50, LEAVES[50:60])
        assert tree.size == 60
        assert tree.root() == MEMORY.root(60)
    finally:
        datastore.close()


# --- reading ------------------------------------------------------------------------------------


def test_roots_at_every_size_equal_the_accumulator(index: Index) -> None:
    _fill(index, LEAVES[:70], 9)
    accumulator = TreeAccumulator()
    for size in range(71):
        assert index.tree.root(size) == accumulator.root(), size
        if size < 70:
            accumulator.append(LEAVES[size])


def test_peaks_continue_an_accumulator(index: Index) -> None:
    _fill(index, LEAVES[:77], 30)
    assert perfect_subtrees(0, 77) == [(6, 0), (3, 64), (2, 72), (0, 76)]
    resumed = TreeAccumulator.resume(77, index.tree.peaks())
    for leaf in LEAVES[77:]:
        resumed.append(leaf)
    assert resumed.root() == MEMORY.root()
    assert index.tree.peaks(64) == [MEMORY.node(6, 0)]


def test_a_missing_node_names_itself_and_the_fix(index: Index) -> None:
    _fill(index, LEAVES[:8], 8)
    index.connection.execute(f"DELETE FROM {TABLE} WHERE level = 1 AND start = 2")
    with pytest.raises(
        MissingNodeError,
        match=r"expected the node of 2 leaves from 2 in the index's tree of 8 leaves, got none; "
        r"run `ledger rebuild`",
    ):
        prove_inclusion(index.tree, 0, 8)


def test_a_size_beyond_the_tree_is_refused(index: Index) -> None:
    _fill(index, LEAVES[:8], 8)
    with pytest.raises(ProofRangeError, match="expected a tree size from 0 to 8, got 9"):
        index.tree.root(9)
    with pytest.raises(ProofRangeError, match="expected a tree size from 1 to 8, got 9"):
        prove_inclusion(index.tree, 0, 9)
    with pytest.raises(ProofRangeError, match="expected a leaf index from 0 to 7, got 8"):
        prove_inclusion(index.tree, 8)
    with pytest.raises(ProofRangeError, match="expected a tree size from 0 to 8, got 9"):
        prove_consistency(index.tree, 1, 9)
    with pytest.raises(ProofRangeError, match="expected an old size from 0 to 5, got 6"):
        prove_consistency(index.tree, 6, 5)


# --- proofs through the store -------------------------------------------------------------------


def test_inclusion_proofs_equal_the_memory_trees_and_verify(index: Index) -> None:
    _fill(index, LEAVES, 64)
    for size in (1, 2, 3, 64, 65, 200, 300):
        for i in sorted({0, size // 3, size // 2, size - 1}):
            proof = prove_inclusion(index.tree, i, size)
            assert list(proof.path) == MEMORY.inclusion_proof(i, size)
            assert proof.leaf_hash == LEAVES[i]
            assert proof.root == MEMORY.root(size)
            proof.verify()
            verify_inclusion(LEAVES[i], i, size, proof.path, MEMORY.root(size))


def test_consistency_proofs_equal_the_memory_trees_and_verify(index: Index) -> None:
    _fill(index, LEAVES, 64)
    for new in (1, 2, 3, 64, 65, 200, 300):
        for old in sorted({0, 1, new // 3, new // 2, new - 1, new}):
            proof = prove_consistency(index.tree, old, new)
            assert list(proof.path) == MEMORY.consistency_proof(old, new)
            assert (proof.old_root, proof.new_root) == (MEMORY.root(old), MEMORY.root(new))
            proof.verify()
            verify_consistency(old, new, MEMORY.root(old), MEMORY.root(new), proof.path)


def test_a_proof_reads_its_nodes_in_one_query(index: Index) -> None:
    _fill(index, LEAVES, 100)
    index.queries = 0
    prove_inclusion(index.tree, 123, 300)
    assert index.queries == 1  # every node, size, leaf, root and path, at once
    index.queries = 0
    prove_consistency(index.tree, 123, 300)
    assert index.queries == 1
    index.queries = 0
    prove_inclusion(index.tree, 123)
    assert index.queries == 2  # the current size first


def test_large_nodes_are_read_once(index: Index) -> None:
    _fill(index, LEAVES, 100)
    prove_inclusion(index.tree, 5, 300)
    index.connection.execute(f"DELETE FROM {TABLE} WHERE level >= {CACHED_LEVEL}")
    assert prove_inclusion(index.tree, 5, 300).root == MEMORY.root(300)  # kept in memory
    with pytest.raises(MissingNodeError, match="expected the node of 64 leaves from 0 in"):
        prove_inclusion(index.tree, 100, 300)  # never read before


def test_path_only_proofs_equal_the_memory_trees(index: Index) -> None:
    _fill(index, LEAVES, 128)
    for size in (1, 5, 64, 300):
        assert index.tree.inclusion_proof(size - 1, size) == MEMORY.inclusion_proof(size - 1, size)
        assert index.tree.consistency_proof(size // 2, size) == MEMORY.consistency_proof(
            size // 2, size
        )
    assert index.tree.inclusion_proof(7) == MEMORY.inclusion_proof(7)
    with pytest.raises(ProofRangeError, match="expected a tree size from 1 to 300, got 301"):
        index.tree.inclusion_proof(7, 301)
    with pytest.raises(ProofRangeError, match="expected a tree size of at least 1, got 0"):
        index.tree.inclusion_proof(0, 0)


def test_the_same_proofs_come_from_a_memory_tree() -> None:
    proof = prove_inclusion(MEMORY, 7, 9)
    assert list(proof.path) == MEMORY.inclusion_proof(7, 9)
    proof.verify()
    prove_consistency(MEMORY, 7, 9).verify()


def test_a_tampered_node_fails_the_proofs_own_check(index: Index) -> None:
    """What ``ledger prove`` relies on to refuse printing a proof from a damaged index."""
    _fill(index, LEAVES[:8], 8)
    index.connection.execute(
        f"UPDATE {TABLE} SET hash = ? WHERE level = 0 AND start = 3", [bytes(32)]
    )
    prove_inclusion(index.tree, 0, 8).verify()  # leaf 3 is not on leaf 0's path
    with pytest.raises(
        ProofError,
        match=f"expected root sha256:{MEMORY.root(8).hex()}, got sha256:[0-9a-f]{{64}} from "
        "the inclusion proof of leaf 2 in a tree of 8",
    ):
        prove_inclusion(index.tree, 2, 8).verify()  # leaf 3 is leaf 2's sibling
