"""What the src changes proposed in docs/performance.md would buy, measured before they are made.

Each change is applied by patching the imported ``ledger`` modules in this process only (src is
not touched), and timed against the code as it is in alternating rounds on the same data. The
patches produce the same stored bytes and the same verdicts as the code they stand in for; they
are diagnostics, not fixes.

1. ``keys`` (verify): ``verify_signature`` loads each public key once (``functools.cache`` on
   ``load_public_key``) instead of once per signature.
2. ``pg-pipeline`` (append, PostgreSQL): ``SealingPostgresRecorder.insert_events`` sends its
   statements in one psycopg pipeline, synced twice (lock and head read; notify and insert) and
   committed: 3 round trips instead of 7.
3. ``pg-3-statements`` (append, PostgreSQL): the same recorder sends three statements instead
   of seven: one simple query ``BEGIN; SET LOCAL lock_timeout; LOCK TABLE; NOTIFY; SELECT`` the
   head, then the ``INSERT``, then ``COMMIT``.

Measured here earlier and since applied in src: ``canonical_bytes`` skipping ``max(text)`` for
ASCII text (e6bc194), and the verifier parsing stored lines without the duplicate-key hook
(e066092).

    .venv/bin/python bench/what_if.py [--append-events 1000] [--verify-events 10000] [--rounds 7]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import append
import verify
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder
from psycopg.pq import TransactionStatus
from psycopg.sql import SQL, Identifier
from stores import DEFAULT_POSTGRES_URL, SQLITE, Backend, backends, bare_env, new_ledger
from timing import Timing, print_machine, timed_cpu

import ledger.integrity.keys as keys
import ledger.store.recorders as recorders


def _pipelined_insert_events(
    self: recorders.SealingPostgresRecorder, stored_events: Sequence[StoredEvent], **_: Any
) -> Sequence[int] | None:
    """``SealingPostgresRecorder.insert_events`` with its statements pipelined."""
    if not stored_events:
        return []
    select_head = SQL("SELECT state FROM {0}.{1} ORDER BY notification_id DESC LIMIT 1").format(
        Identifier(self.datastore.schema), Identifier(self.events_table_name)
    )
    with self.datastore.get_connection() as conn:
        with conn.pipeline() as pipeline, conn.transaction():
            with conn.cursor() as curs:
                self._lock_table(curs)
            with conn.cursor() as curs:
                curs.execute(select_head)
                pipeline.sync()  # round trip 1: BEGIN, SET LOCAL, LOCK, SELECT
                row = curs.fetchone()
            head = bytes(row["state"]) if row else None
            sealed = recorders._seal(self.sealer, head, stored_events)
            with conn.cursor() as curs:
                self._notify_channel(curs)
            with conn.cursor() as curs:
                PostgresAggregateRecorder._insert_stored_events(self, curs, sealed)
                pipeline.sync()  # round trip 2: NOTIFY, INSERT
                ids = [r["notification_id"] for r in curs.fetchall()]
        return ids  # round trip 3: COMMIT, on leaving the transaction


def _fewer_statements_insert_events(
    self: recorders.SealingPostgresRecorder, stored_events: Sequence[StoredEvent], **_: Any
) -> Sequence[int] | None:
    """``SealingPostgresRecorder.insert_events`` in three statements: one simple query for
    BEGIN, the lock, NOTIFY and the head read; the INSERT; COMMIT."""
    if not stored_events:
        return []
    table = (Identifier(self.datastore.schema), Identifier(self.events_table_name))
    begin_lock_head = SQL("; ").join(
        [
            SQL("BEGIN"),
            *self.lock_table_statements,
            SQL("NOTIFY {0}").format(Identifier(self.channel_name)),
            SQL("SELECT state FROM {0}.{1} ORDER BY notification_id DESC LIMIT 1").format(*table),
        ]
    )
    with self.datastore.get_connection() as conn, conn.cursor() as curs:
        try:
            curs.execute(begin_lock_head, prepare=False)
            while curs.nextset():
                pass
            row = curs.fetchone()
            head = bytes(row["state"]) if row else None
            sealed = recorders._seal(self.sealer, head, stored_events)
            PostgresAggregateRecorder._insert_stored_events(self, curs, sealed)
            ids = [r["notification_id"] for r in curs.fetchall()]
            curs.execute(SQL("COMMIT"), prepare=False)
        except BaseException:
            if conn.info.transaction_status != TransactionStatus.IDLE:
                conn.execute("ROLLBACK")
            raise
    return ids


@contextlib.contextmanager
def patched(changes: tuple[str, ...]) -> Iterator[None]:
    """Apply the named changes for the duration of the block."""
    undo: list[Callable[[], None]] = []

    def put(owner: Any, name: str, value: Any) -> None:
        had = name in vars(owner)
        old = vars(owner).get(name)
        setattr(owner, name, value)
        undo.append(lambda: setattr(owner, name, old) if had else delattr(owner, name))

    if "keys" in changes:
        put(keys, "load_public_key", functools.cache(keys.load_public_key))
    if "pg-pipeline" in changes:
        put(recorders.SealingPostgresRecorder, "insert_events", _pipelined_insert_events)
    if "pg-3-statements" in changes:
        put(recorders.SealingPostgresRecorder, "insert_events", _fewer_statements_insert_events)
    try:
        yield
    finally:
        for step in reversed(undo):
            step()


VERIFY_CHANGES: list[tuple[str, ...]] = [(), ("keys",)]
BARE = ("bare eventsourcing",)  # the baseline, run in the same rounds (no patch applies)


def _name(changes: tuple[str, ...]) -> str:
    return " + ".join(changes) if changes else "as is"


def _rounds(
    variants: list[tuple[str, ...]], rounds: int, once: Callable[[tuple[str, ...]], Timing]
) -> dict[tuple[str, ...], list[Timing]]:
    """Alternate the variants round by round, so a burst of load hits them all alike."""
    results: dict[tuple[str, ...], list[Timing]] = {v: [] for v in variants}
    for _ in range(rounds):
        for variant in variants:
            with patched(variant):
                results[variant].append(once(variant))
    return results


def _report(results: dict[tuple[str, ...], list[Timing]], events: int, what: str) -> None:
    base_cpu = min(t.cpu for t in results[()]) / events * 1e6
    base_wall = min(t.wall for t in results[()]) / events * 1e6
    bare = results.get(BARE)
    for variant, timings in results.items():
        cpu = min(t.cpu for t in timings) / events * 1e6
        wall = min(t.wall for t in timings) / events * 1e6
        ratio = ""
        if bare is not None and variant != BARE:
            ratio = f"   ratio to bare {wall / (min(t.wall for t in bare) / events * 1e6):.2f}x"
        print(
            f"  {what:30} {_name(variant):22} CPU {cpu:6.1f} us/event ({cpu - base_cpu:+6.1f})"
            f"   wall {1e6 / wall:7,.0f} events/s ({wall - base_wall:+7.1f} us){ratio}"
        )


def append_what_if(
    backend: Backend, per_save: int, events: int, rounds: int, changes: list[tuple[str, ...]]
) -> None:
    """Bare, ledger as is and ledger changed, alternating, each on a store of its own."""
    variants = [BARE, *changes]
    with contextlib.ExitStack() as stack:
        saves: dict[tuple[str, ...], Callable[[int, int], None]] = {}
        ledgers = {}
        for variant in variants:
            if variant == BARE:
                env = stack.enter_context(bare_env(backend))
                bare = append.BareApplication(env)
                stack.callback(bare.close)
                saves[variant] = functools.partial(append.save_bare, bare)
            else:
                ledgers[variant] = stack.enter_context(new_ledger(backend))
                saves[variant] = functools.partial(append.save_ledger, ledgers[variant].app)
        counters = dict.fromkeys(variants, 0)

        def once(variant: tuple[str, ...]) -> Timing:
            save, first = saves[variant], counters[variant]
            counters[variant] += events

            def run() -> None:
                for start in range(first, first + events, per_save):
                    save(start, per_save)

            return timed_cpu(run)

        for variant in variants:  # warm up
            with patched(variant):
                saves[variant](-per_save, per_save)
        label = f"append, {backend.name}, {per_save}/save"
        _report(_rounds(variants, rounds, once), events, label)
        for variant, service in ledgers.items():  # the changed code must write a valid ledger
            report = service.verify()
            if not report.ok:
                raise SystemExit(f"{_name(variant)}: the ledger does not verify: {report.failure}")


def verify_what_if(events: int, rounds: int) -> None:
    """verify on one ledger, as is and changed, alternating; workers=1 and every core."""
    cores = os.cpu_count() or 1
    with new_ledger(Backend(SQLITE)) as service:
        verify.build(service, events)
        for workers in sorted({1, cores}):
            results = _rounds(
                VERIFY_CHANGES, rounds, lambda _, w=workers: verify.verify_once(service, w, events)
            )
            _report(results, events, f"verify, sqlite, workers={workers}")
    print(
        "  (with workers > 1, CPU is the main process's: the sequential walk that bounds "
        "throughput)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--append-events", type=int, default=1000, help="events per round")
    parser.add_argument("--verify-events", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=7, help="rounds; the best is kept")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    args = parser.parse_args(argv)
    print(f"bench/what_if.py, {datetime.now(UTC):%Y-%m-%d}")
    print_machine()
    print(f"Best of {args.rounds} alternating rounds; differences against 'as is' in brackets.")
    for backend in backends("postgresql", args.postgres_url):
        for per_save in (1, 10):
            append_what_if(
                backend,
                per_save,
                args.append_events,
                args.rounds,
                [(), ("pg-pipeline",), ("pg-3-statements",)],
            )
    verify_what_if(args.verify_events, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
