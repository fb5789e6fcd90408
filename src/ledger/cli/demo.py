"""``ledger demo``: build a demo ledger of a county committee's year and show what to try next."""

from __future__ import annotations

import re
import shlex
import shutil
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click

from ledger.cli.context import CliContext, pass_cli
from ledger.cli.render import ok, say

DEMO_MARKER = ".ledger-demo"
_LAST_DAY = date(2026, 12, 31)  # build_demo reports this day when it starts verifying


@click.command()
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-ledger"),
    show_default=True,
    help="Where to build the demo ledger (a previous demo there is replaced).",
)
@click.option(
    "--size",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Scale the routine work: N times as many matters, more meetings a month "
    "(about 2,200 events per unit; 450 gives about a million).",
)
@click.option(
    "--seed",
    type=int,
    default=2026,
    show_default=True,
    help="Every choice is drawn from this seed: the same seed builds the same record.",
)
@pass_cli
def demo(cli: CliContext, directory: Path, size: int, seed: int) -> None:
    """Build a demo ledger of a county committee's year (2026) on the embedded default (SQLite).

    Members and posts, a mid-year reshuffle, standing committee meetings twice a month and a
    plenary a quarter, every step of each matter, an emergency, a failed decision and its
    review, and a handful of deliberate breaches for `ledger findings` to find.

    Its keys are stored UNENCRYPTED: it is for trying the tool, not for real records.
    """
    from ledger.store.demo import build_demo

    if directory.exists():
        if not (directory / DEMO_MARKER).exists():
            from ledger.errors import InputError

            raise InputError(
                f"{directory} exists and is not a demo ledger; choose another --dir",
                zh=f"{directory} 已存在，且不是演示台账；请用 --dir 另选目录",
            )
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    (directory / DEMO_MARKER).write_text("built by `ledger demo`; safe to delete\n")
    progress = _Progress() if size > 1 and sys.stderr.isatty() else None
    summary = build_demo(directory, size=size, seed=seed, on_progress=progress)
    if progress is not None:
        progress.done()
    _report(cli, directory, summary)


class _Progress:
    """One line on the terminal's stderr: the day reached and the events recorded, redrawn
    when the day changes or a quarter of a second has passed."""

    def __init__(self) -> None:
        self.shown = ""
        self.day: date | None = None
        self.drawn = 0.0

    def __call__(self, events: int, day: date) -> None:
        now = time.monotonic()
        if day == self.day and now - self.drawn < 0.25:
            return
        self.day, self.drawn = day, now
        self._show(f"  recording {day.isoformat()}: {events:,} events")
        if day >= _LAST_DAY:
            self._show(f"  verifying and judging {events:,} events")

    def _show(self, line: str) -> None:
        padding = " " * max(len(self.shown) - len(line), 0)
        click.echo(f"\r{line}{padding}", nl=False, err=True)
        self.shown = line

    def done(self) -> None:
        click.echo("\r" + " " * len(self.shown) + "\r", nl=False, err=True)


def _report(cli: CliContext, directory: Path, summary: dict[str, Any]) -> None:
    from rich.cells import cell_len

    from ledger import vocabulary
    from ledger.beijing_time import say_time

    findings: dict[str, int] = summary["findings"]
    ok(
        cli.t(
            "demo.built",
            directory=directory,
            seconds=summary["seconds"],
            events=summary["events"],
            members=summary["members"],
            meetings=summary["meetings"],
            matters=summary["matters"],
            decisions=summary["decisions"],
            keys=summary["keys"],
        )
    )
    as_of = say_time(cli.lang, summary["as_of"])
    say("  " + cli.t("demo.findings", as_of=as_of, count=sum(findings.values())))
    names = {rule: vocabulary.rule(cli.lang, rule) for rule in findings}
    width = max((cell_len(name) for name in names.values()), default=0)
    for rule, count in findings.items():
        say(f"    {names[rule]}{' ' * (max(width, 24) - cell_len(names[rule]))} {count}")
    say("  " + cli.t("demo.unencrypted"))
    say("  " + cli.t("demo.verify_ok" if summary["verified"] else "demo.verify_failed"))
    say("")
    say(cli.t("demo.try_next"))
    for line in next_commands(directory, summary):
        say(f"  {line}")


def next_commands(directory: Path, summary: dict[str, Any]) -> list[str]:
    """Commands worth trying on the built ledger, with its real names and titles.

    The demo year is recorded with the office's clock of 2026; where that lies ahead of this
    machine's clock, the read commands get ``--as-of`` the end of the year, or they would show
    the record as it stands today.
    """
    as_of = summary["as_of"]
    ahead = datetime.now(UTC) < datetime.fromisoformat(as_of)
    moment = f" --as-of {as_of}" if ahead else ""
    highlights: dict[str, str] = summary["highlights"]
    ledger = f"ledger --home {_quote(str(directory))}"
    return [
        f"{ledger} verify",
        f"{ledger} findings --as-of {as_of}",
        f"{ledger} trace {_quote(highlights['failed'])}{moment}",
        f"{ledger} history {_quote(highlights['deferred'])}{moment}",
        f"{ledger} person {_quote(highlights['secretary'])}{moment}",
        f"{ledger} trace {_quote(highlights['wrong_body'])}{moment}",
        f"{ledger} replay --until 2026-07-01",
        f"{ledger} log",
    ]


_SHELL_SPECIAL = re.compile(r"[\s'\"\\$`!*?()<>|;&{}\[\]#~]")


def _quote(text: str) -> str:
    """Quote for a POSIX shell only where needed (Chinese titles stay readable)."""
    return shlex.quote(text) if not text or _SHELL_SPECIAL.search(text) else text
