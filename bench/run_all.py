"""Every benchmark at modest sizes, then one summary table (``make bench``).

    .venv/bin/python bench/run_all.py [--store both|sqlite|postgresql] [--runs 3]

Also runs bench/merkle.py, bench/projections.py (at 20,000 events) and bench/startup.py, each
printing its own figures and ratios. For the documented figures run the scripts at their own
defaults or sizes (docs/performance.md says what each figure means and how it was run).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

import append
import merkle
import projections
import startup
import verify
from stores import DEFAULT_POSTGRES_URL
from timing import print_machine


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--append-events", type=int, default=1000, help="events at 1 per save")
    parser.add_argument("--batch-events", type=int, default=5000, help="events at 10 per save")
    parser.add_argument("--verify-events", type=int, default=10000)
    parser.add_argument("--store", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the best is kept")
    args = parser.parse_args(argv)
    print(f"bench/run_all.py, {datetime.now(UTC):%Y-%m-%d}")
    print_machine()

    print("== append ==\n")
    appends = append.run(
        args.append_events,
        args.batch_events,
        args.store,
        args.postgres_url,
        args.runs,
        service_events=0,
        sized_baseline=False,
    )
    print("== verify ==\n")
    verifies = verify.run(args.verify_events, "sqlite", args.postgres_url, args.runs)

    print("== merkle tree and proofs, against pymerkle ==\n")
    merkle.main([])
    print("\n== reading: rebuild, trace, person (a 20,000-event demo ledger) ==\n")
    projections.main(["--events", "20000", "--traces", "10"])
    print("\n== start-up ==\n")
    startup.main([])

    print("== summary (append and verify) ==\n")
    print(f"  {'benchmark':34} {'ledger ev/s':>12} {'reference ev/s':>15} {'ratio':>6}  target")
    for c in appends:
        label = f"append {c.backend}, {c.per_save}/save"
        met = "met" if c.ratio <= append.TARGET else "MISSED"
        print(
            f"  {label:34} {c.ledger.rate:12,.0f} {c.bare.rate:15,.0f} {c.ratio:5.2f}x"
            f"  <= {append.TARGET}x bare: {met}"
        )
    for v in verifies:
        for label, m in (
            (f"verify {v.backend}, workers=1", v.one_worker),
            (f"verify {v.backend}, workers={v.cores}", v.all_workers),
        ):
            ratio = m.rate / v.raw.rate
            met = "met" if ratio >= verify.TARGET else "MISSED"
            target = f">= {verify.TARGET} raw: {met}" if m is v.all_workers else "(context)"
            print(f"  {label:34} {m.rate:12,.0f} {v.raw.rate:15,.0f} {ratio:6.2f}  {target}")
    print(
        "\n  reference: bare eventsourcing on the same backend (append); SHA-256 + Ed25519 "
        "on one core (verify)."
    )
    print("  ratio: ledger cost / bare cost (append); verify rate / raw rate (verify).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
