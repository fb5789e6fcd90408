"""Sustained load: several processes recording at once on one store, for a fixed time, against
bare eventsourcing with the same processes on the same kind of store in the same run; then how
fast the ledger they wrote verifies and rebuilds its read index, at a configurable size.

Each writer is its own process (forked, so it starts at once), with its own connections; all
start together at a barrier and record for ``--seconds``. Three kinds of writer, each on a fresh
store, one after the other:

* **bare eventsourcing**: a plain ``Application`` saving ``--per-save`` new ``Person``
  aggregates per save (bench/append.py's baseline, same settings as the ledger's store);
* **ledger, application**: ``LedgerApplication.store`` of ``--per-save`` new members per save
  (the sealing recorder: canonical encoding, hash chain, Ed25519 signature, head read in the
  write lock), as bench/append.py times it in one process;
* **ledger, service**: ``LedgerService.record`` of a record document of ``--per-save``
  ``member.register`` acts: what ``ledger record`` does, the batch and the save, then a signed
  checkpoint written to the home and the read index brought up to date, every time.

The figure is events written by all processes over the wall time from the barrier to the last
one done. The ratio is bare events/s over ledger events/s (the cost of the ledger per event
against the cost of storing the event at all). The ledger the service writers wrote is then
verified; it is filled up to ``--verify-events`` first (100 members per save), and
``LedgerService.verify`` (every core) and ``rebuild_index`` are timed on it.

    .venv/bin/python bench/load.py [--processes 4] [--seconds 20] [--per-save 10]
        [--store both] [--verify-events 20000] [--postgres-url URL]

No target: these figures say what several writers get from one store, and where it saturates.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

from append import TITLE, BareApplication, save_bare, save_ledger
from stores import DEFAULT_POSTGRES_URL, Backend, backends, bare_env, new_ledger
from timing import print_machine, row, timed
from verify import build

from ledger.record.acts import RecordDocument
from ledger.store.home import LedgerHome
from ledger.store.service import LedgerService

FORK = multiprocessing.get_context("fork")
WARM_UP_SAVES = 2
WAIT = 600  # seconds any process may take to start or finish before the run is abandoned
KINDS = ("bare", "ledger", "service")
LABELS = {
    "bare": "bare eventsourcing",
    "ledger": "ledger, LedgerApplication.store",
    "service": "ledger service (record, checkpoint, index)",
}


@dataclass
class Load:
    """What every writer of one kind did: events, and when each started and stopped."""

    kind: str
    processes: int
    events: list[int] = field(default_factory=list)
    starts: list[float] = field(default_factory=list)
    ends: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return max(self.ends) - min(self.starts)

    @property
    def rate(self) -> float:
        return sum(self.events) / self.seconds

    def spread(self) -> str:
        per = sorted(self.events)
        return (
            f"{sum(self.events):,} events in {self.seconds:.1f} s; per process "
            f"{per[0]:,}..{per[-1]:,}"
        )


def member_document(per_save: int, writer: int, batch: int) -> RecordDocument:
    acts = [
        {"act": "member.register", "name": f"w{writer} b{batch} m{i}", "title": TITLE}
        for i in range(per_save)
    ]
    return RecordDocument.model_validate({"acts": acts})


def writer(
    kind: str,
    where: dict[str, Any],
    number: int,
    per_save: int,
    seconds: float,
    start: Barrier,
    results: Queue[Any],
) -> None:
    """One writing process: open the store, warm up, wait for the others, write until time."""
    try:
        if kind == "bare":
            app = BareApplication({**where["env"], "CREATE_TABLE": "n"})

            def save(n: int) -> None:
                save_bare(app, number * 10**9 + n, per_save)

        else:
            service = LedgerService.open(LedgerHome(Path(where["home"])), writable=True)
            if kind == "ledger":

                def save(n: int) -> None:
                    save_ledger(service.app, number * 10**9 + n, per_save)

            else:

                def save(n: int) -> None:
                    service.record(member_document(per_save, number, n).acts)

        for i in range(WARM_UP_SAVES):
            save(-(i + 1))
        start.wait(timeout=WAIT)
        began = time.monotonic()
        saves = 0
        while time.monotonic() - began < seconds:
            save(saves)
            saves += 1
        results.put((number, saves * per_save, began, time.monotonic(), None))
    except BaseException as e:
        start.abort()
        results.put((number, 0, 0.0, 0.0, f"{type(e).__name__}: {e}"))


def run_writers(
    kind: str, where: dict[str, Any], processes: int, per_save: int, seconds: float
) -> Load:
    """Start ``processes`` writers of ``kind`` together; collect what each did."""
    start = FORK.Barrier(processes)
    results: Queue[Any] = FORK.Queue()
    workers = [
        FORK.Process(target=writer, args=(kind, where, n, per_save, seconds, start, results))
        for n in range(processes)
    ]
    for process in workers:
        process.start()
    load = Load(kind, processes)
    for _ in workers:
        _, events, began, ended, error = results.get(timeout=WAIT + seconds)
        if error:
            load.errors.append(error)
        else:
            load.events.append(events)
            load.starts.append(began)
            load.ends.append(ended)
    for process in workers:
        process.join(WAIT)
    if load.errors:
        raise SystemExit(f"{kind} writers failed: {load.errors}")
    return load


def measure(
    backend: Backend, processes: int, per_save: int, seconds: float, verify_events: int
) -> dict[str, Load]:
    """The three kinds of writer on fresh stores of ``backend``; then verify and rebuild."""
    loads: dict[str, Load] = {}
    with bare_env(backend) as env:
        BareApplication(env).close()  # creates the table once, before the writers start
        loads["bare"] = run_writers("bare", {"env": env}, processes, per_save, seconds)
    with new_ledger(backend) as service:
        service.app.close()
        where = {"home": str(service.home.path)}
        loads["ledger"] = run_writers("ledger", where, processes, per_save, seconds)
    with new_ledger(backend) as service:
        service.app.close()
        where = {"home": str(service.home.path)}
        loads["service"] = run_writers("service", where, processes, per_save, seconds)
        print_loads(backend.name, loads, per_save)
        check_and_time(service.home, verify_events)
    print()
    return loads


def check_and_time(home: LedgerHome, verify_events: int) -> None:
    """Verify the ledger the service writers wrote; fill it up to ``verify_events``, then time
    verify on every core and a rebuild of the read index."""
    cores = os.cpu_count() or 1
    service = LedgerService.open(home, writable=True)
    try:
        written = service.app.count_rows()
        report = service.verify()
        state = "ok" if report.ok else f"FAILED: {report.failure}"
        print(f"  the ledger the service writers wrote: {report.events:,} events, verify {state}")
        if written < verify_events:
            build(service, verify_events)
        events = service.app.count_rows()
        reports = []
        seconds = timed(lambda: reports.append(service.verify(workers=cores)))
        if not reports[0].ok or reports[0].events != events:
            raise SystemExit(f"verification failed: {reports[0].to_json()['failure']}")
        print(row(f"verify, {events:,} events, workers={cores}", events / seconds))
        seconds = timed(lambda: service.rebuild_index().close())
        print(row(f"rebuild_index, {events:,} events", events / seconds))
        size = Path(service.home.index_path).stat().st_size
        print(f"  read index: {size / events:,.0f} bytes per event")
        if service.home.sqlite_path.exists():
            size = service.home.sqlite_path.stat().st_size
            print(f"  SQLite store: {size / events:,.0f} bytes per event")
    finally:
        service.app.close()


def print_loads(backend: str, loads: dict[str, Load], per_save: int) -> None:
    bare = loads["bare"]
    print(f"{backend}, {bare.processes} processes, {per_save} events per save:")
    for kind in KINDS:
        load = loads[kind]
        ratio = "" if kind == "bare" else f"ratio {bare.rate / load.rate:.2f}x; "
        print(row(LABELS[kind], load.rate, ratio + load.spread()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=4, help="writing processes at once")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long each kind writes")
    parser.add_argument("--per-save", type=int, default=10, help="events per save (or batch)")
    parser.add_argument("--store", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument(
        "--verify-events", type=int, default=20000, help="fill the ledger to this, then time"
    )
    args = parser.parse_args(argv)
    print(f"bench/load.py, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print_machine()
    for backend in backends(args.store, args.postgres_url):
        measure(backend, args.processes, args.per_save, args.seconds, args.verify_events)
    return 0


if __name__ == "__main__":
    sys.exit(main())
