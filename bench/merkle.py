"""Merkle tree and RFC 9162 proofs: ours against pymerkle's in-memory tree, in the same run.

Three trees over the same entries: ``MemoryTree`` (integrity/merkle.py), the stored node table of
the read index (projections/tree.py, in a SQLite file in WAL mode with synchronous=NORMAL, as the
index runs, read through a plain sqlite3 connection: one read transaction per statement), and
``pymerkle.InmemoryTree`` with RFC 9162 hashing (sha256, 0x00/0x01 prefixes, its default).

* append: hash each entry into a leaf and add it, then read the head (so work a tree defers to
  its first read is counted); the store writes pages of 5,000 leaves, a transaction each, as the
  index does;
* root: the head of the first ``size`` leaves, at random sizes;
* inclusion / consistency proof: random (index, size) and (old, new) pairs, the path alone, as
  pymerkle gives it. Beside it, ``prove_inclusion`` / ``prove_consistency`` on the store (what
  ``ledger prove`` calls: also the leaf and the roots). The store keeps nodes of 64 leaves and
  more in memory once read (``EventTree``), so its figures are for many proofs from one open
  index; pymerkle's tree holds every node in memory;
* verification of those proofs: ours by RFC 9162 sections 2.1.3.2 / 2.1.4.2, pymerkle's by its
  own ``verify_inclusion`` / ``verify_consistency``.

Each figure is the CPU time of this process per operation, in the best of ``--runs`` runs, the
implementations taking turns within each run (the machine is shared: CPU time moves less than
wall time under others' load, and SQLite runs in this process; wall time is shown beside it).

    .venv/bin/python bench/merkle.py [--leaves 100000] [--proofs 2000] [--runs 5]

Target: each of ours at least as fast as pymerkle's (ratio pymerkle / ours >= 1).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pymerkle
from timing import print_machine, timed_cpu

from ledger.integrity.digest import leaf_hash
from ledger.integrity.merkle import (
    MemoryTree,
    TreeAccumulator,
    verify_consistency,
    verify_inclusion,
)
from ledger.projections.tree import (
    EventTree,
    create_table_statements,
    prove_consistency,
    prove_inclusion,
    write,
)

PAGE = 5000  # leaves per stored page, as the index's catch-up pages
THEIRS = "pymerkle InmemoryTree"


class Store:
    """The index's node table in a fresh SQLite file."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None)
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute("PRAGMA synchronous=NORMAL")
        for statement in create_table_statements():
            self.connection.execute(statement)
        self.tree = EventTree(self.query)

    def query(self, statement: str, params: Sequence[Any]) -> list[Any]:
        return self.connection.execute(statement, params).fetchall()

    def append(self, entries: Sequence[bytes]) -> None:
        c = self.connection.cursor()
        for first in range(0, len(entries), PAGE):
            c.execute("BEGIN")
            write(c, first, [leaf_hash(e) for e in entries[first : first + PAGE]])
            c.execute("COMMIT")

    def close(self) -> None:
        self.connection.close()


@dataclass
class Figure:
    """One implementation's best CPU and wall microseconds per operation."""

    label: str
    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)


def race(runs: int, calls: int, works: dict[str, Callable[[], object]]) -> list[Figure]:
    """Time each work (``calls`` operations) ``runs`` times, taking turns, in rotating order."""
    figures = {label: Figure(label) for label in works}
    labels = list(works)
    for run in range(runs):
        for label in labels[run % len(labels) :] + labels[: run % len(labels)]:
            timing = timed_cpu(works[label])
            figures[label].cpu.append(timing.cpu / calls * 1e6)
            figures[label].wall.append(timing.wall / calls * 1e6)
    return list(figures.values())


def report(title: str, figures: list[Figure]) -> None:
    """Each figure, and pymerkle's CPU time over ours (>= 1: ours at least as fast)."""
    print(f"{title}  (us per operation: CPU, best of {len(figures[0].cpu)}; wall)")
    theirs = min(next(f for f in figures if f.label.startswith("pymerkle")).cpu)
    for f in figures:
        cpu, wall = min(f.cpu), min(f.wall)
        line = f"  {f.label:46} {cpu:>9,.2f} {wall:>9,.2f}"
        if not f.label.startswith("pymerkle"):
            ratio = theirs / cpu
            verdict = "" if f.label.startswith("(") else ("  met" if ratio >= 1 else "  MISSED")
            line += f"   x{ratio:,.2f} vs pymerkle{verdict}"
        print(line)
    print()


def appends(entries: list[bytes], runs: int, tmp: Path) -> list[Figure]:
    """Append every entry to an empty tree, then read its head."""
    counter = iter(range(10**6))

    def memory() -> None:
        tree = MemoryTree()
        for e in entries:
            tree.append(leaf_hash(e))
        tree.root()

    def stored() -> None:
        store = Store(tmp / f"append-{next(counter)}.sqlite")
        store.append(entries)
        store.tree.root()
        store.close()

    def theirs() -> None:
        tree = pymerkle.InmemoryTree(algorithm="sha256")
        for e in entries:
            tree.append_entry(e)
        tree.get_root()

    def accumulator() -> None:
        tree = TreeAccumulator()
        for e in entries:
            tree.append(leaf_hash(e))
        tree.root()

    return race(
        runs,
        len(entries),
        {
            "ours, MemoryTree": memory,
            "ours, SQLite node store": stored,
            THEIRS: theirs,
            "(ours, TreeAccumulator: the head alone)": accumulator,
        },
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leaves", type=int, default=100_000)
    parser.add_argument("--proofs", type=int, default=2000, help="random operations per figure")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure; the best is kept")
    parser.add_argument("--seed", type=int, default=9162)
    args = parser.parse_args(argv)
    print_machine()
    print(f"{'pymerkle:':15}{version('pymerkle')}")
    print(f"{'leaves:':15}{args.leaves:,} entries of 0..199 random bytes")
    print(f"{'operations:':15}{args.proofs:,} random ones per figure")
    print()

    rng = random.Random(args.seed)
    entries = [rng.randbytes(rng.randrange(200)) for _ in range(args.leaves)]
    n, p, runs = len(entries), args.proofs, args.runs
    sizes = [rng.randrange(1, n + 1) for _ in range(p)]
    pairs = [(rng.randrange(size), size) for size in sizes]
    grows = [(rng.randrange(1, size + 1), size) for size in sizes]

    with tempfile.TemporaryDirectory() as tmp:
        report(f"append {n:,} leaves, then read the head", appends(entries, runs, Path(tmp)))

        memory = MemoryTree(leaf_hash(e) for e in entries)
        store = Store(Path(tmp) / "proofs.sqlite")
        store.append(entries)
        stored = store.tree
        theirs = pymerkle.InmemoryTree(algorithm="sha256")
        for e in entries:
            theirs.append_entry(e)
        assert theirs.get_root() == memory.root() == stored.root()

        report(
            "root at a random size",
            race(
                runs,
                p,
                {
                    "ours, MemoryTree": lambda: [memory.root(s) for s in sizes],
                    "ours, SQLite node store": lambda: [stored.root(s) for s in sizes],
                    THEIRS: lambda: [theirs.get_root(s) for s in sizes],
                },
            ),
        )
        report(
            "inclusion proof, random leaf and size",
            race(
                runs,
                p,
                {
                    "ours, MemoryTree": lambda: [memory.inclusion_proof(i, s) for i, s in pairs],
                    "ours, SQLite node store": lambda: [
                        stored.inclusion_proof(i, s) for i, s in pairs
                    ],
                    "(ours, SQLite: prove_inclusion, + leaf, root)": lambda: [
                        prove_inclusion(stored, i, s) for i, s in pairs
                    ],
                    THEIRS: lambda: [theirs.prove_inclusion(i + 1, s) for i, s in pairs],
                },
            ),
        )
        report(
            "consistency proof, random old and new sizes",
            race(
                runs,
                p,
                {
                    "ours, MemoryTree": lambda: [memory.consistency_proof(m, s) for m, s in grows],
                    "ours, SQLite node store": lambda: [
                        stored.consistency_proof(m, s) for m, s in grows
                    ],
                    "(ours, SQLite: prove_consistency, + roots)": lambda: [
                        prove_consistency(stored, m, s) for m, s in grows
                    ],
                    THEIRS: lambda: [theirs.prove_consistency(m, s) for m, s in grows],
                },
            ),
        )

        ours_in = [prove_inclusion(memory, i, s) for i, s in pairs]
        theirs_in = [
            (theirs.prove_inclusion(i + 1, s), memory.node(0, i), memory.root(s)) for i, s in pairs
        ]
        report(
            "verify an inclusion proof",
            race(
                runs,
                p,
                {
                    "ours, RFC 9162 section 2.1.3.2": lambda: [
                        verify_inclusion(x.leaf_hash, x.index, x.size, x.path, x.root)
                        for x in ours_in
                    ],
                    "pymerkle verify_inclusion": lambda: [
                        pymerkle.verify_inclusion(leaf, root, proof)
                        for proof, leaf, root in theirs_in
                    ],
                },
            ),
        )
        ours_con = [prove_consistency(memory, m, s) for m, s in grows]
        theirs_con = [
            (theirs.prove_consistency(m, s), memory.root(m), memory.root(s)) for m, s in grows
        ]
        report(
            "verify a consistency proof",
            race(
                runs,
                p,
                {
                    "ours, RFC 9162 section 2.1.4.2": lambda: [
                        verify_consistency(x.old_size, x.new_size, x.old_root, x.new_root, x.path)
                        for x in ours_con
                    ],
                    "pymerkle verify_consistency": lambda: [
                        pymerkle.verify_consistency(old, new, proof)
                        for proof, old, new in theirs_con
                    ],
                },
            ),
        )
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
