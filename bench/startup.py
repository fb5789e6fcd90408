"""Start-up: the wall time of `ledger --help` and of `ledger trace` on the demo ledger, against a
bare `python -c pass` measured in the same run (heavy imports load only when a command needs
them; this shows what that buys).

Usage: .venv/bin/python bench/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import print_machine

BIN = Path(sys.executable).parent


def wall(command: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append((time.perf_counter() - started) * 1000)
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    print_machine()
    ledger = str(BIN / "ledger")
    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp) / "demo"
        built = subprocess.run(
            [ledger, "demo", "--dir", str(demo)], check=True, capture_output=True, text=True
        )
        title = next(
            line.split(" trace ", 1)[1].split(" --as-of")[0]
            for line in built.stdout.splitlines()
            if " trace " in line
        )
        cases = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "ledger --help": [ledger, "--help"],
            "ledger trace (demo)": [
                ledger,
                "--home",
                str(demo),
                "trace",
                title,
                "--as-of",
                "2026-12-31T23:00:00+08:00",
            ],
        }
        results = {name: wall(command, args.runs) for name, command in cases.items()}
    base = statistics.median(results["python -c pass"])
    print(f"{'command':<24} {'median ms':>10} {'best ms':>9} {'vs python':>10}")
    for name, times in results.items():
        median = statistics.median(times)
        print(f"{name:<24} {median:>10.0f} {min(times):>9.0f} {median / base:>9.1f}x")


if __name__ == "__main__":
    main()
