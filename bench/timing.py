"""How the benchmarks time things, and the machine they ran on.

Every script prints the machine first: figures without it mean nothing. Short measurements are
repeated and the best run is kept (the one least disturbed by other load on a shared machine);
the spread is printed beside it, so a noisy run shows itself. Scripts print figures and never
assert on them.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path


def cpu_model() -> str:
    """The CPU's model name, where the system says it."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def source_revision() -> str:
    """The commit benchmarked, and whether ``src/`` had uncommitted changes (read-only git)."""
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "--no-optional-locks", "status", "--porcelain", "--", "src"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{head} + {len(changed)} uncommitted files in src/" if changed else head


def machine() -> dict[str, str]:
    """What a figure depends on: platform, CPU, Python and the libraries doing the work."""
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "platform": platform.platform(),
        "cpu": f"{cpu_model()}, {os.cpu_count()} logical CPUs",
        "python": f"{platform.python_implementation()} {sys.version.split()[0]}",
        "eventsourcing": version("eventsourcing"),
        "cryptography": f"{version('cryptography')}",
        "pydantic": version("pydantic"),
        "source": source_revision(),
    }


def print_machine() -> None:
    """Print the machine block that heads every benchmark's output."""
    for name, value in machine().items():
        print(f"{name + ':':15}{value}")
    try:
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"{'load average:':15}{load} (shared machine: expect noise)")
    except OSError:
        pass
    print()


@dataclass(frozen=True)
class Timing:
    """Wall-clock and this process's CPU seconds of one run."""

    wall: float
    cpu: float


@dataclass
class Measurement:
    """Repeated timings of the same work on ``events`` events; the best run is the figure.

    ``cpu`` holds this process's CPU time per run, where the caller measured it: on a shared
    machine it moves less than wall time, so it shows what the code costs when others' load or
    a slow disk blurs the wall-clock figure. (It leaves out database servers and worker
    processes, and time spent waiting for the disk.)
    """

    label: str
    events: int
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def best(self) -> float:
        return min(self.seconds)

    @property
    def rate(self) -> float:
        """Events per second of the best run."""
        return self.events / self.best

    @property
    def cpu_us(self) -> float | None:
        """This process's CPU microseconds per event, in the run that used least."""
        return min(self.cpu) / self.events * 1e6 if self.cpu else None

    def add(self, result: float | Timing) -> None:
        """Record one run: wall seconds, or a :class:`Timing`."""
        if isinstance(result, Timing):
            self.seconds.append(result.wall)
            self.cpu.append(result.cpu)
        else:
            self.seconds.append(result)

    def spread(self) -> str:
        """Slowest and fastest run, as events per second; CPU per event when measured."""
        rates = sorted(self.events / s for s in self.seconds)
        text = "1 run" if len(rates) == 1 else f"runs {rates[0]:,.0f}..{rates[-1]:,.0f}"
        cpu = self.cpu_us
        return text if cpu is None else f"{text}; CPU here {cpu:,.0f} us/event"


def best_of(label: str, events: int, runs: int, once: Callable[[], float | Timing]) -> Measurement:
    """Call ``once`` (which times itself) ``runs`` times."""
    measurement = Measurement(label, events)
    for _ in range(runs):
        measurement.add(once())
    return measurement


def timed(work: Callable[[], object]) -> float:
    """Seconds taken by ``work()``, by ``time.perf_counter``."""
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def timed_cpu(work: Callable[[], object]) -> Timing:
    """Wall-clock and CPU seconds taken by ``work()``."""
    cpu = time.process_time()
    start = time.perf_counter()
    work()
    wall = time.perf_counter() - start
    return Timing(wall, time.process_time() - cpu)


def row(label: str, rate: float, note: str = "") -> str:
    """One line of a figures table."""
    return f"  {label:44} {rate:>10,.0f} events/s  {note}"
