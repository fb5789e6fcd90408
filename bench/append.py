"""Append throughput: the ledger (canonical encoding, hashing, Ed25519 signing, the head read
inside the write lock) against bare eventsourcing on the same backend, in the same run.

The baseline is a plain eventsourcing ``Application`` with a minimal aggregate whose creation
event carries a name and a title, the same ``PERSISTENCE_MODULE`` and store settings
(``ledger.store.location``), and the default recorder. The ledger side is
``LedgerApplication.register_member`` (1 event per save) and ten ``Member.register`` aggregates
saved by one ``LedgerApplication.store`` call (10 events per save). Each run gets a fresh store;
bare and ledger runs alternate, and the best of ``--runs`` is the figure.

    .venv/bin/python bench/append.py [--events 3000] [--batch-events 10000] [--store both]
    .venv/bin/python bench/append.py --profile      # where the time goes, ledger and bare

Target: ledger cost / bare cost <= 1.5 (docs/performance.md).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
from stores import DEFAULT_POSTGRES_URL, SQLITE, Backend, backends, bare_env, new_ledger
from timing import Measurement, Timing, best_of, print_machine, row, timed_cpu

from ledger.domain.events import OFFICE
from ledger.domain.member import Member, MemberRegistered
from ledger.integrity.canonical import canonical_bytes
from ledger.integrity.digest import leaf_hash
from ledger.integrity.record import FORMAT, head_of, record_message
from ledger.store.application import LedgerApplication

TARGET = 1.5  # ledger cost per event / bare eventsourcing cost per event
WARM_UP_SAVES = 20
TITLE = "Deputy Director of the General Office"


class Person(Aggregate):
    """The baseline's aggregate: a person with a name and a title, created by one event."""

    class Registered(Aggregate.Created):
        name: str
        title: str

    def __init__(self, name: str, title: str) -> None:
        self.name = name
        self.title = title

    @classmethod
    def register(cls, name: str, title: str) -> Person:
        return cls._create(cls.Registered, id=uuid4(), name=name, title=title)


class BareApplication(Application[UUID]):
    """Plain eventsourcing: default mapper, JSON transcoder and recorder."""

    name = "Bare"


def save_bare(app: BareApplication, start: int, per_save: int, pad: str = "") -> None:
    app.save(*[Person.register(f"Member {start + i}", TITLE + pad) for i in range(per_save)])


def save_ledger(app: LedgerApplication, start: int, per_save: int) -> None:
    if per_save == 1:
        app.register_member(f"Member {start}", TITLE)
        return
    members = []
    for i in range(per_save):
        member_id = uuid4()
        payload = MemberRegistered(name=f"Member {start + i}", title=TITLE)
        envelope = app.envelope(
            member_id, Member.Registered, payload, actor=OFFICE, occurred_at=None
        )
        members.append(Member.register(member_id, payload, envelope))
    app.store(*members)


def _timed_saves(save: Callable[[int, int], None], events: int, per_save: int) -> Timing:
    for i in range(WARM_UP_SAVES):
        save(-(i + 1) * per_save, per_save)

    def saves() -> None:
        for first in range(0, events, per_save):
            save(first, per_save)

    return timed_cpu(saves)


def time_bare(backend: Backend, events: int, per_save: int, pad: str = "") -> Timing:
    """Time appending ``events`` events with bare eventsourcing, ``per_save`` per save
    (``pad`` lengthens each title, to store rows the size of the ledger's)."""
    with bare_env(backend) as env:
        app = BareApplication(env)
        try:
            return _timed_saves(lambda s, n: save_bare(app, s, n, pad), events, per_save)
        finally:
            app.close()


def time_ledger(backend: Backend, events: int, per_save: int) -> Timing:
    """Time appending ``events`` ledger events, ``per_save`` per save."""
    with new_ledger(backend) as service:
        app = service.app
        return _timed_saves(lambda s, n: save_ledger(app, s, n), events, per_save)


def time_ledger_service(backend: Backend, events: int) -> Timing:
    """Time ``LedgerService.register_member``: one save plus a checkpoint per write."""
    with new_ledger(backend) as service:
        for i in range(WARM_UP_SAVES):
            service.register_member(f"Warm-up {i}", TITLE)

        def registrations() -> None:
            for i in range(events):
                service.register_member(f"Member {i}", TITLE)

        return timed_cpu(registrations)


def ledger_sized_pad() -> str:
    """Padding that makes a bare row as long as a ledger row of the same member."""
    sqlite = Backend(SQLITE)
    with new_ledger(sqlite) as service:
        service.app.register_member("Member 1", TITLE)
        ledger_size = len(service.app.recorder.select_notifications(2, 1)[0].state)
    with bare_env(sqlite) as env:
        app = BareApplication(env)
        try:
            save_bare(app, 1, 1)
            bare_size = len(app.recorder.select_notifications(1, 1)[0].state)
        finally:
            app.close()
    return "x" * max(0, ledger_size - bare_size)


@dataclass
class Comparison:
    """Ledger against bare eventsourcing for one backend and batch size."""

    backend: str
    per_save: int
    bare: Measurement
    ledger: Measurement
    sized: Measurement | None = None  # bare, with rows as long as the ledger's

    @property
    def ratio(self) -> float:
        """Ledger cost per event over bare cost per event."""
        return self.bare.rate / self.ledger.rate


def compare(
    backend: Backend, events: int, per_save: int, runs: int, pad: str | None = None
) -> Comparison:
    """Alternate bare and ledger runs (each on a fresh store); keep the best of each."""
    events -= events % per_save
    comparison = Comparison(
        backend.name,
        per_save,
        Measurement("bare eventsourcing", events),
        Measurement("ledger", events),
        Measurement("bare, ledger-sized rows", events) if pad is not None else None,
    )
    for _ in range(runs):
        comparison.bare.add(time_bare(backend, events, per_save))
        comparison.ledger.add(time_ledger(backend, events, per_save))
        if comparison.sized is not None:
            comparison.sized.add(time_bare(backend, events, per_save, pad or ""))
    return comparison


def print_comparison(c: Comparison) -> None:
    print(
        f"{c.backend}, {c.per_save} event{'s' if c.per_save > 1 else ''} per save, "
        f"{c.ledger.events} events, best of {len(c.ledger.seconds)}:"
    )
    print(row("bare eventsourcing", c.bare.rate, c.bare.spread()))
    if c.sized is not None:
        print(row("bare, rows padded to the ledger's size", c.sized.rate, c.sized.spread()))
    print(row("ledger (hash + sign + head read)", c.ledger.rate, c.ledger.spread()))
    extra_us = (1 / c.ledger.rate - 1 / c.bare.rate) * 1e6
    verdict = "met" if c.ratio <= TARGET else "MISSED"
    print(
        f"  ratio ledger/bare cost: {c.ratio:.2f}x (target <= {TARGET}x: {verdict}); "
        f"ledger adds {extra_us:,.0f} us per event"
    )
    if c.ledger.cpu_us is not None and c.bare.cpu_us is not None:
        print(
            f"  CPU in this process: ledger {c.ledger.cpu_us:,.0f} us/event, bare "
            f"{c.bare.cpu_us:,.0f} us/event ({c.ledger.cpu_us / c.bare.cpu_us:.2f}x)"
        )
    print()


def run(
    events: int,
    batch_events: int,
    store: str,
    url: str,
    runs: int,
    service_events: int,
    sized_baseline: bool = True,
) -> list[Comparison]:
    """Every comparison, printed as it completes."""
    results = []
    pad = ledger_sized_pad() if sized_baseline else None
    for backend in backends(store, url):
        for per_save, count in ((1, events), (10, batch_events)):
            comparison = compare(backend, count, per_save, runs, pad)
            print_comparison(comparison)
            results.append(comparison)
        if service_events:
            service = best_of(
                "service",
                service_events,
                runs,
                lambda b=backend: time_ledger_service(b, service_events),
            )
            print(
                f"{backend.name}, context: LedgerService.register_member (the CLI's path: "
                f"one save, then a signed checkpoint written to the home), "
                f"{service_events} events:"
            )
            print(row("ledger service, 1 per save + checkpoint", service.rate, service.spread()))
            print()
    return results


# --- where the time goes --------------------------------------------------------------------


def _per_call_us(work: Callable[[], Any], n: int) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(n):
            work()
        best = min(best, time.perf_counter() - start)
    return best / n * 1e6


def component_costs(n: int = 2000) -> None:
    """Microseconds per event of each step the ledger adds, timed in isolation (SQLite)."""
    with new_ledger(Backend(SQLITE)) as service:
        app = service.app
        sealer = app.recorder.sealer  # type: ignore[attr-defined]
        for i in range(50):
            app.register_member(f"Member {i}", TITLE)
        member_id = uuid4()
        payload = MemberRegistered(name="Member 1", title=TITLE)
        envelope = app.envelope(
            member_id, Member.Registered, payload, actor=OFFICE, occurred_at=None
        )
        member = Member.register(member_id, payload, envelope)
        event = member.collect_events()[0]
        stored = app.mapper.to_stored_event(event)
        draft = stored.draft  # type: ignore[attr-defined]
        head = app.head()
        header = {
            "format": FORMAT,
            "ledger": sealer.ledger_id,
            "seq": 51,
            "prev": "sha256:" + "ab" * 32,
            "stream": draft.stream,
            "version": 1,
            "type": draft.type,
            "occurred_at": draft.occurred_at,
            "recorded_at": draft.occurred_at,
            "actor": OFFICE,
            "payload": draft.commitment,
            "signers": [],
        }
        header_bytes = canonical_bytes(header)
        message = record_message(leaf_hash(header_bytes))
        raw = app.recorder.datastore.pool.get_connection(is_writer=False)
        try:
            conn = raw._sqlite_conn

            def head_read() -> None:
                state = conn.execute(
                    "SELECT state FROM stored_events ORDER BY rowid DESC LIMIT 1"
                ).fetchone()[0]
                head_of(state)

            costs = [
                (
                    "envelope: clock + salt",
                    lambda: app.envelope(
                        member_id, Member.Registered, payload, actor=OFFICE, occurred_at=None
                    ),
                ),
                (
                    "pydantic payload MemberRegistered(...)",
                    lambda: MemberRegistered(name="Member 1", title=TITLE),
                ),
                (
                    "Member.register (aggregate + event)",
                    lambda: Member.register(member_id, payload, envelope),
                ),
                (
                    "mapper: draft (model_dump + body + commit)",
                    lambda: app.mapper.to_stored_event(event),
                ),
                (
                    "  of which payload.model_dump(mode='json')",
                    lambda: payload.model_dump(mode="json"),
                ),
                ("head read in lock (SELECT + head_of)", head_read),
                ("Sealer.seal, one draft", lambda: sealer.seal(head, [draft])),
                ("  of which canonical_bytes(header)", lambda: canonical_bytes(header)),
                ("  of which Ed25519 sign", lambda: sealer.key.sign(message)),
                ("bare: Person.register", lambda: Person.register("Member 1", TITLE)),
            ]
            bare_event = Person.register("Member 1", TITLE).collect_events()[0]
            with bare_env(Backend(SQLITE)) as env:
                bare = BareApplication(env)
                try:
                    costs.append(
                        (
                            "bare: mapper.to_stored_event (JSON transcoder)",
                            lambda: bare.mapper.to_stored_event(bare_event),
                        )
                    )
                    print(f"Component costs, microseconds per event (best of 3 x {n} calls):")
                    for label, work in costs:
                        print(f"  {label:48} {_per_call_us(work, n):8.1f} us")
                finally:
                    bare.close()
        finally:
            app.recorder.datastore.pool.put_connection(raw)
    print()


def _profiled(save: Callable[[int, int], None], events: int, per_save: int) -> pstats.Stats:
    for i in range(WARM_UP_SAVES):
        save(-(i + 1) * per_save, per_save)
    profiler = cProfile.Profile()
    profiler.enable()
    for first in range(0, events, per_save):
        save(first, per_save)
    profiler.disable()
    return pstats.Stats(profiler)


def profile(backend: Backend, events: int, per_save: int = 1, top: int = 25) -> None:
    """cProfile of ledger appends, then of bare eventsourcing for comparison."""
    with new_ledger(backend) as service:
        app = service.app
        stats = _profiled(lambda s, n: save_ledger(app, s, n), events, per_save)
    total = stats.total_tt  # type: ignore[attr-defined]
    print(
        f"cProfile, ledger append, {per_save} per save, {backend.name}, {events} events "
        f"({total / events * 1e6:.0f} us per event under the profiler):"
    )
    print_profile(stats, events, top)
    print_selected(stats, events, SELECTED_APPEND)
    with bare_env(backend) as env:
        bare = BareApplication(env)
        try:
            stats = _profiled(lambda s, n: save_bare(bare, s, n), events, per_save)
        finally:
            bare.close()
    total = stats.total_tt  # type: ignore[attr-defined]
    print(
        f"cProfile, bare eventsourcing append, {per_save} per save, {backend.name}, "
        f"{events} events ({total / events * 1e6:.0f} us per event under the profiler):"
    )
    print_profile(stats, events, 8)


SELECTED_APPEND = [
    ("application.py", "save", "eventsourcing Application.save (everything below)"),
    ("application.py", "envelope", "LedgerApplication.envelope"),
    ("member.py", "register", "Member.register"),
    ("mapper.py", "to_stored_event", "LedgerMapper.to_stored_event"),
    ("recorders.py", "insert_events", "Sealing*Recorder.insert_events"),
    ("recorders.py", "_seal", "  _seal (Sealer.seal + StoredEvent)"),
    ("record.py", "head_of", "  head_of (parse the head's header)"),
    ("canonical.py", "canonical_bytes", "canonical_bytes (all callers)"),
    ("canonical.py", "_check_numbers", "  of which _check_numbers"),
    ("keys.py", "sign", "SigningKey.sign (Ed25519)"),
    ("~", "<method 'commit' of 'sqlite3.Connection' objects>", "sqlite3 commit"),
    ("~", "<method 'execute' of 'sqlite3.Cursor' objects>", "sqlite3 execute (all)"),
    ("psycopg/cursor.py", "execute", "psycopg Cursor.execute (all)"),
    ("psycopg/connection.py", "wait", "psycopg Connection.wait (round trips)"),
    ("psycopg/transaction.py", "__exit__", "psycopg transaction exit (COMMIT)"),
]


def _short(path: str) -> str:
    for marker in ("site-packages/", "src/", "lib/python3"):
        if marker in path:
            return path.split(marker, 1)[1]
    return Path(path).name


def print_profile(stats: pstats.Stats, events: int, top: int) -> None:
    """The ``top`` functions by own time, in microseconds per event."""
    entries = sorted(
        stats.stats.items(),  # type: ignore[attr-defined]
        key=lambda item: item[1][2],
        reverse=True,
    )
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"  {'own us/ev':>9} {'cum us/ev':>9} {'own %':>6}  function")
    for (path, line, name), (_, calls, own, cum, _) in entries[:top]:
        where = name if path == "~" else f"{_short(path)}:{line} {name}"
        print(
            f"  {own / events * 1e6:9.1f} {cum / events * 1e6:9.1f} "
            f"{own / total * 100:5.1f}%  {where}  [{calls / events:.1f} calls/ev]"
        )
    print()


def print_selected(stats: pstats.Stats, events: int, selected: list[tuple[str, str, str]]) -> None:
    """Cumulative time of named functions, in microseconds per event."""
    print("  cumulative time of selected functions (us per event, under the profiler):")
    for path_end, name, label in selected:
        cum = sum(
            value[3]
            for (path, _, fn), value in stats.stats.items()  # type: ignore[attr-defined]
            if fn == name and path.endswith(path_end)
        )
        print(f"    {label:52} {cum / events * 1e6:8.1f}")
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=3000, help="events at 1 per save")
    parser.add_argument("--batch-events", type=int, default=10000, help="events at 10 per save")
    parser.add_argument("--store", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the best is kept")
    parser.add_argument(
        "--service-events",
        type=int,
        default=500,
        help="events through LedgerService.register_member, for context (0 to skip)",
    )
    parser.add_argument(
        "--sized-baseline",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also time bare eventsourcing with rows as long as the ledger's (isolates the "
        "cost of bigger rows from the cost of hashing and signing)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="profile the ledger's append on SQLite instead"
    )
    args = parser.parse_args(argv)
    print(f"bench/append.py, {datetime.now(UTC):%Y-%m-%d}")
    print_machine()
    if args.profile:
        component_costs()
        for backend in backends(args.store, args.postgres_url):
            for per_save in (1, 10):
                profile(backend, args.events, per_save)
        return 0
    run(
        args.events,
        args.batch_events,
        args.store,
        args.postgres_url,
        args.runs,
        args.service_events,
        args.sized_baseline,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
