"""The Merkle tree of the event hashes, kept in the read index as its perfect subtrees.

Each row of ``tree_nodes`` is one perfect subtree the events so far have completed: level 0 holds
the event hashes themselves (RFC 9162 section 2.1.1 leaf hashes, docs/format.md section 3.1),
level l the hash of the 2**l events from ``start``, a multiple of 2**l. Appending an event
completes at most log2(n) of them and one on average, and every inclusion or consistency proof
(RFC 9162 sections 2.1.3 and 2.1.4) reads O(log n) rows, in one query.

The rows are written with each page of the index, through the index's cursor and inside its
transaction, beside the tracking row that makes the page apply exactly once; a page written twice
is refused by the primary key, a page that skips leaves by :func:`write`. Like the rest of the
index, the table is a cache: ``ledger rebuild`` makes it again from the events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ledger.errors import IntegrityError
from ledger.integrity.digest import node_hash
from ledger.integrity.merkle import (
    ProofRangeError,
    consistency_ranges,
    inclusion_ranges,
    perfect_subtrees,
    subtree,
    verify_consistency,
    verify_inclusion,
)

TABLE = "tree_nodes"
_BATCH = 400  # nodes per query: below SQLite's default limits of 500 compound SELECTs and
# 999 parameters (in SQLite before 3.32)
_SELECT_NODE = f"SELECT level, start, hash FROM {TABLE} WHERE level = ? AND start = ?"
CACHED_LEVEL = 6
"""Stored nodes of 2**6 = 64 leaves and more are kept in memory once read (see EventTree)."""


class MissingNodeError(IntegrityError):
    """The index lacks a tree node it should hold (a page was skipped, or the file was damaged);
    ``ledger rebuild`` makes the index again from the events."""


class Cursor(Protocol):
    """What :func:`write` needs of a cursor: ``sqlite3.Cursor`` and eventsourcing's
    ``SQLiteCursor`` (the index's) both have it."""

    def execute(self, statement: str, parameters: Sequence[Any], /) -> object: ...

    def executemany(self, statement: str, parameters: Iterable[Sequence[Any]], /) -> object: ...

    def fetchall(self) -> Any: ...


Query = Callable[[str, Sequence[Any]], list[Any]]
"""Runs one read statement and returns its rows (``IndexRecorder.query``)."""


def create_table_statements() -> list[str]:
    """The table of perfect subtrees, for ``IndexRecorder.construct_create_table_statements``."""
    return [
        f"CREATE TABLE IF NOT EXISTS {TABLE} ("
        "level INTEGER NOT NULL, start INTEGER NOT NULL, hash BLOB NOT NULL, "
        "PRIMARY KEY (level, start)) WITHOUT ROWID"
    ]


def _fetch(query: Query, keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """The stored hashes of the nodes ``keys`` (those present), one primary-key look-up each,
    in one statement: a UNION ALL, which SQLite runs about twice as fast as the same look-ups
    joined by OR (a multi-index OR collects the keys first)."""
    found: dict[tuple[int, int], bytes] = {}
    for i in range(0, len(keys), _BATCH):
        chunk = keys[i : i + _BATCH]
        params = [n for key in chunk for n in key]
        for row in query(" UNION ALL ".join([_SELECT_NODE] * len(chunk)), params):
            found[(row[0], row[1])] = bytes(row[2])
    return found


def _size(query: Query) -> int:
    rows = query(f"SELECT MAX(start) FROM {TABLE} WHERE level = 0", ())
    return 0 if rows[0][0] is None else int(rows[0][0]) + 1


def _through(c: Cursor) -> Query:
    """A :data:`Query` that runs on cursor ``c`` (inside its transaction)."""

    def query(statement: str, params: Sequence[Any]) -> list[Any]:
        c.execute(statement, params)
        return list(c.fetchall())

    return query


def write(c: Cursor, first_index: int, leaf_hashes: Sequence[bytes]) -> None:
    """Store leaves ``first_index``, ``first_index + 1``, ... and every perfect subtree they
    complete, through the index's cursor ``c`` (so in the page's transaction).

    The tree continues from the peaks of its first ``first_index`` leaves, read from the table;
    if one is missing the page would leave a gap, and :class:`MissingNodeError` is raised. A
    page already stored fails on the primary key, which rolls the whole transaction back.
    """
    if not leaf_hashes:
        return
    query = _through(c)
    wanted = perfect_subtrees(0, first_index)
    found = _fetch(query, wanted)
    if len(found) != len(wanted):
        held = _size(query)
        raise MissingNodeError(
            f"expected the tree to hold {first_index} leaves before this page, got "
            f"{held}: the index skipped events; run `ledger rebuild`",
            zh=f"读索引的树在这批事件之前应有 {first_index} 个叶子，实有 {held} 个："
            "读索引漏记了事件；请运行 `ledger rebuild`",
        )
    peaks = [(level, start, found[(level, start)]) for level, start in wanted]
    rows: list[tuple[int, int, bytes]] = []
    for position, leaf in enumerate(leaf_hashes, first_index):
        level, start, digest = 0, position, leaf
        rows.append((level, start, digest))
        while peaks and peaks[-1][0] == level:  # equal-sized neighbours merge, as a carry
            _, start, left = peaks.pop()
            level, digest = level + 1, node_hash(left, digest)
            rows.append((level, start, digest))
        peaks.append((level, start, digest))
    c.executemany(f"INSERT INTO {TABLE} (level, start, hash) VALUES (?, ?, ?)", rows)


class EventTree:
    """The stored tree, read through ``query`` (a read statement per call).

    Nodes of :data:`CACHED_LEVEL` and above, once read, are kept: a perfect subtree never
    changes once complete, they are few (one per 64 events), and proofs for many events at one
    size (an archive's) all climb through them.
    """

    def __init__(self, query: Query) -> None:
        self._query = query
        self._cache: dict[tuple[int, int], bytes] = {}

    @property
    def size(self) -> int:
        """How many leaves (events) the tree holds."""
        return _size(self._query)

    def append(self, leaf_hashes: Sequence[bytes], c: Cursor) -> None:
        """Store the next leaves after those already stored, through cursor ``c``."""
        write(c, _size(_through(c)), leaf_hashes)

    def node(self, level: int, start: int) -> bytes:
        """The hash of the perfect subtree of ``2**level`` leaves from leaf ``start``."""
        return self.nodes([(level, start)])[0]

    def nodes(self, keys: Sequence[tuple[int, int]]) -> list[bytes]:
        """The hashes of the nodes ``keys`` (``(level, start)`` pairs), in one query per 400."""
        cache = self._cache
        missing = [key for key in keys if key not in cache]
        found = _fetch(self._query, missing) if missing else {}
        for level, start in missing:
            if (level, start) not in found:
                raise MissingNodeError(
                    f"expected the node of {2**level} leaves from {start} in the index's tree "
                    f"of {self.size} leaves, got none; run `ledger rebuild`",
                    zh=f"读索引的树（{self.size} 个叶子）中缺少自叶子 {start} 起、含 "
                    f"{2**level} 个叶子的节点；请运行 `ledger rebuild`",
                )
        cache.update((key, found[key]) for key in missing if key[0] >= CACHED_LEVEL)
        return [found[key] if key in found else cache[key] for key in keys]

    def peaks(self, size: int | None = None) -> list[bytes]:
        """The compact range of the first ``size`` leaves (default: all), largest first: what
        ``TreeAccumulator.resume`` continues from."""
        size = _resolve(self, size, 0)
        return _nodes_within(self, size, 0, perfect_subtrees(0, size))

    def root(self, size: int | None = None) -> bytes:
        """MTH of the first ``size`` leaves (default: all), RFC 9162 section 2.1.1."""
        size = _resolve(self, size, 0)
        (root,) = _hashes(self, size, 0, [(0, size)])
        return root

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """The audit path of leaf ``index`` in the first ``size`` leaves (default: all)."""
        size = _resolve(self, size, 1)
        return _hashes(self, size, 1, inclusion_ranges(index, size))

    def consistency_proof(self, old: int, new: int | None = None) -> list[bytes]:
        """The consistency proof from the first ``old`` to the first ``new`` leaves."""
        new = _resolve(self, new, 0)
        return _hashes(self, new, 0, consistency_ranges(old, new))


# --- proofs for the CLI and the archive --------------------------------------------------------


class NodeSource(Protocol):
    """A tree proofs can be read from: :class:`EventTree`, or ``merkle.MemoryTree``."""

    @property
    def size(self) -> int: ...

    def nodes(self, keys: Sequence[tuple[int, int]]) -> list[bytes]: ...


@dataclass(frozen=True)
class InclusionProof:
    """The audit path of leaf ``index`` in the tree of ``size`` leaves (RFC 9162 2.1.3)."""

    leaf_hash: bytes
    index: int
    size: int
    root: bytes
    path: tuple[bytes, ...]

    def verify(self) -> None:
        """Check the path against the leaf and root (section 2.1.3.2); raise ``ProofError``."""
        verify_inclusion(self.leaf_hash, self.index, self.size, self.path, self.root)


@dataclass(frozen=True)
class ConsistencyProof:
    """That the tree of ``old_size`` leaves is a prefix of that of ``new_size`` (2.1.4)."""

    old_size: int
    new_size: int
    old_root: bytes
    new_root: bytes
    path: tuple[bytes, ...]

    def verify(self) -> None:
        """Check the path against both roots (section 2.1.4.2); raise ``ProofError``."""
        verify_consistency(self.old_size, self.new_size, self.old_root, self.new_root, self.path)


def _resolve(tree: NodeSource, size: int | None, least: int) -> int:
    """``size``, or by default the tree's current size; one below ``least`` is refused here,
    one beyond the tree when its nodes are read (:func:`_nodes_within`): a query saved."""
    size = tree.size if size is None else size
    if size < least:
        raise ProofRangeError(
            f"expected a tree size of at least {least}, got {size}",
            zh=f"树的规模至少应为 {least}，而不是 {size}",
        )
    return size


def _nodes_within(
    tree: NodeSource, size: int, least: int, keys: Sequence[tuple[int, int]]
) -> list[bytes]:
    """The nodes ``keys`` of the tree of ``size`` leaves; if one is missing because ``size``
    is beyond the tree, :class:`ProofRangeError` says so."""
    try:
        return tree.nodes(keys)
    except (MissingNodeError, ProofRangeError):
        current = tree.size
        if size > current:
            raise ProofRangeError(
                f"expected a tree size from {least} to {current}, got {size}",
                zh=f"树的规模应在 {least} 至 {current} 之间，而不是 {size}",
            ) from None
        raise


def _hashes(
    tree: NodeSource, size: int, least: int, ranges: Sequence[tuple[int, int]]
) -> list[bytes]:
    """The tree head of each range D[start:end] of the first ``size`` leaves, from one batch
    of node reads: which perfect subtrees a proof needs depends on the sizes alone
    (``merkle.inclusion_ranges``), so they are all known before any is read."""
    keys = list(dict.fromkeys(key for start, end in ranges for key in perfect_subtrees(start, end)))
    found = dict(zip(keys, _nodes_within(tree, size, least, keys), strict=True))

    def node(level: int, start: int) -> bytes:
        return found[level, start]

    return [subtree(start, end, node) for start, end in ranges]


def prove_inclusion(tree: NodeSource, index: int, size: int | None = None) -> InclusionProof:
    """Leaf ``index``'s inclusion proof in the first ``size`` leaves (default: all)."""
    size = _resolve(tree, size, 1)
    ranges = [(index, index + 1), (0, size), *inclusion_ranges(index, size)]
    leaf, root, *path = _hashes(tree, size, 1, ranges)
    return InclusionProof(leaf, index, size, root, tuple(path))


def prove_consistency(tree: NodeSource, old: int, new: int | None = None) -> ConsistencyProof:
    """The consistency proof from the first ``old`` to the first ``new`` leaves (default: all)."""
    new = _resolve(tree, new, 0)
    ranges = [(0, old), (0, new), *consistency_ranges(old, new)]
    old_root, new_root, *path = _hashes(tree, new, 0, ranges)
    return ConsistencyProof(old, new, old_root, new_root, tuple(path))
