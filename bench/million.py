"""Verify and rebuild at a million events on both stores, against bare eventsourcing reading the
same events on the same store in the same run (issue #7's load figures).

Takes a ledger already built on SQLite (``bench/projections.py --keep DIR --events 1000000``
builds one), copies its home, moves the copy to PostgreSQL with ``ledger migrate`` (timed), then
on each store times: eventsourcing's own read of every row (``select_notifications``, the
baseline), ``LedgerService.verify`` on every core, and ``rebuild_index``; and, for scale, the raw
SHA-256 + Ed25519 cost on a sample of the rows.

    .venv/bin/python bench/million.py --home DIR [--postgres-url URL] [--sample 50000]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stores import DEFAULT_POSTGRES_URL
from timing import print_machine
from verify import bare_read, crypto_inputs, raw_crypto

from ledger.store.home import LedgerHome
from ledger.store.service import LedgerService


def figures(label: str, home: Path, sample: int) -> None:
    service = LedgerService.open(LedgerHome(home))
    n = service.app.count_rows()
    started = time.perf_counter()
    read = bare_read(service)
    bare = read / (time.perf_counter() - started)
    rows = []
    for page in service.app.rows():
        rows += page
        if len(rows) >= sample:
            break
    inputs = crypto_inputs(rows[:sample])
    started = time.perf_counter()
    raw_crypto(inputs)
    raw = len(inputs) / (time.perf_counter() - started)
    started = time.perf_counter()
    report = service.verify()
    verified = n / (time.perf_counter() - started)
    if not report.ok:
        raise SystemExit(f"{label}: verification failed: {report.to_json()['failure']}")
    started = time.perf_counter()
    service.rebuild_index().close()
    rebuilt = n / (time.perf_counter() - started)
    service.app.close()
    print(f"\n{label}: {n:,} events")
    print(f"  {'bare eventsourcing read':<34} {bare:>10,.0f} events/s")
    print(f"  {'raw SHA-256 + Ed25519, 1 core':<34} {raw:>10,.0f} events/s  (sample {sample:,})")
    print(
        f"  {'verify, every core':<34} {verified:>10,.0f} events/s  "
        f"{verified / raw:.2f} of raw, {verified / bare:.3f} of the bare read"
    )
    print(
        f"  {'rebuild of the read index':<34} {rebuilt:>10,.0f} events/s  "
        f"{rebuilt / bare:.3f} of the bare read"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--sample", type=int, default=50_000)
    args = parser.parse_args(argv)
    print_machine()
    figures("SQLite", args.home, args.sample)
    with tempfile.TemporaryDirectory(dir=args.home.parent) as tmp:
        copy = Path(tmp) / "home"
        shutil.copytree(args.home, copy)
        ledger = Path(sys.executable).parent / "ledger"
        started = time.perf_counter()
        subprocess.run(
            [str(ledger), "--home", str(copy), "migrate", "--to", args.postgres_url],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(
            f"\nmigrated to PostgreSQL (copy, read back, verify) in "
            f"{time.perf_counter() - started:.0f} s"
        )
        figures("PostgreSQL", copy, args.sample)


if __name__ == "__main__":
    main()
