"""Read-side speed: rebuilding the read index, and answering trace and person questions.

Builds a ledger with the demo's generator (a realistic mix: meetings, matters, votes, opinions,
reports ...), then measures, in the same run:

* a bare read of the same events: eventsourcing's ``select_notifications`` in pages, nothing
  decoded (the floor), and the same with each record's three JSON lines parsed;
* a rebuild of the read index from scratch (``LedgerService.rebuild_index``): events/s and the
  ratio to each bare read (target: at least 50% of the bare read rate);
* ``trace`` of matters (the median and worst of several, in process; target under 50 ms), with
  the rows its findings are judged from, and ``person`` of the secretary.

Usage: .venv/bin/python bench/projections.py [--events N]   (default 50,000; the issue's figure
is --events 1000000, which takes a long while to build on two cores)
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import print_machine

from ledger.integrity.canonical import format_time
from ledger.store.demo import build_ledger
from ledger.store.home import LedgerHome
from ledger.store.service import LedgerService

EVENTS_PER_SIZE = 2200


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--traces", type=int, default=20)
    parser.add_argument(
        "--keep",
        type=Path,
        help="build the ledger in this directory and keep it; reuse it if it is already there",
    )
    args = parser.parse_args(argv)
    print_machine()
    size = max(1, math.ceil(args.events / EVENTS_PER_SIZE))
    with tempfile.TemporaryDirectory() as tmp:
        home = args.keep or Path(tmp) / "ledger"
        summary = home / "bench-summary.json"
        if summary.exists():
            built = json.loads(summary.read_text())
            print(f"reusing {built['events']:,} events in {home}")
        else:
            started = time.perf_counter()
            built = build_ledger(home, size=size)
            print(
                f"built {built['events']:,} events (size {size}) in "
                f"{time.perf_counter() - started:.0f} s"
            )
            summary.write_text(json.dumps(built, default=str))
        service = LedgerService.open(LedgerHome(home))
        n = service.app.count_rows()

        started = time.perf_counter()
        count = sum(len(page) for page in service.app.rows(page=5000))
        bare = count / (time.perf_counter() - started)

        started = time.perf_counter()
        for page in service.app.rows(page=5000):
            for row in page:
                for line in row.state.split(b"\n"):
                    json.loads(line)
        parsed = count / (time.perf_counter() - started)

        # what a projection written with bare eventsourcing reads: the application's
        # notifications, each made into a domain event by its mapper
        started = time.perf_counter()
        recorder, mapper, start = service.app.recorder, service.app.mapper, None
        while notifications := recorder.select_notifications(start, 5000, inclusive_of_start=False):
            for notification in notifications:
                mapper.to_domain_event(notification)
            start = notifications[-1].id
        mapped = count / (time.perf_counter() - started)

        started = time.perf_counter()
        index = service.rebuild_index()
        rebuild = n / (time.perf_counter() - started)

        reader = service.reader()
        from datetime import datetime

        as_of = datetime.fromisoformat(built["as_of"])  # the demo's year is recorded ahead
        matters = [m for m, _, _ in index.subjects("matter")]
        step = max(1, len(matters) // args.traces)
        times = []
        fetched = []
        for matter in matters[::step][: args.traces]:
            started = time.perf_counter()
            reader.matter_file(matter, as_of).trace()
            times.append((time.perf_counter() - started) * 1000)
            fetched.append(len(index.scope_rows(matter, format_time(as_of))))
        secretary = reader.resolve(built["highlights"]["secretary"], "member")
        started = time.perf_counter()
        held = index.roles_of(secretary, format_time(as_of))
        roles_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        reader.person(secretary, as_of)
        person_ms = (time.perf_counter() - started) * 1000

        print()
        print(f"{'bare read (rows, not decoded)':<40} {bare:>12,.0f} events/s")
        print(f"{'bare read + JSON of each record':<40} {parsed:>12,.0f} events/s")
        print(f"{'bare eventsourcing read (mapper)':<40} {mapped:>12,.0f} events/s")
        print(f"{'rebuild of the read index':<40} {rebuild:>12,.0f} events/s")
        print(f"{'  ratio to the bare read':<40} {rebuild / bare:>12.2f}   (target >= 0.50)")
        print(f"{'  ratio to the bare read + JSON':<40} {rebuild / parsed:>12.2f}")
        print(f"{'  ratio to the eventsourcing read':<40} {rebuild / mapped:>12.2f}")
        print(
            f"{'trace, median of ' + str(len(times)):<40} {statistics.median(times):>12.1f} ms"
            "   (target < 50 ms)"
        )
        print(f"{'trace, worst':<40} {max(times):>12.1f} ms")
        print(
            f"{'  rows a trace judges, median':<40} {statistics.median(fetched):>12,.0f}"
            "   (its scope: whole meetings, so it grows with the agenda)"
        )
        print(
            f"{'person: roles from the index':<40} {roles_ms:>12.1f} ms"
            f"   ({len(held):,} roles of the secretary)"
        )
        print(
            f"{'person: whole view with findings':<40} {person_ms:>12.1f} ms"
            "   (judging every event: a full replay)"
        )


if __name__ == "__main__":
    main()
