"""``ledger demo``: build a small demo ledger and show what to try next."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from ledger.cli.context import CliContext, pass_cli
from ledger.cli.render import ok, say

DEMO_MARKER = ".ledger-demo"


@click.command()
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-ledger"),
    show_default=True,
    help="Where to build the demo ledger (a previous demo there is replaced).",
)
@pass_cli
def demo(cli: CliContext, directory: Path) -> None:
    """Build a demo ledger of a county committee on the embedded default (SQLite).

    Its keys are stored UNENCRYPTED: it is for trying the tool, not for real records.
    """
    from ledger.store.demo import build_demo

    if directory.exists():
        if not (directory / DEMO_MARKER).exists():
            from ledger.errors import InputError

            raise InputError(f"{directory} exists and is not a demo ledger; choose another --dir")
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    (directory / DEMO_MARKER).write_text("built by `ledger demo`; safe to delete\n")
    summary = build_demo(directory)
    ok(
        f"demo ledger built in {directory}: {summary['events']} events, "
        f"{summary['members']} members, {summary['keys']} keys"
    )
    say("  warning: demo keys are stored unencrypted")
    say(f"  verify:  {'ok' if summary['verified'] else 'FAILED'}")
    say("")
    say("Try next:")
    home = str(directory)
    for line in (
        f"ledger --home {home} verify",
        f"ledger --home {home} log",
        f"ledger --home {home} member list",
        f"ledger --home {home} key list",
        f"ledger --home {home} checkpoint --out held.txt",
    ):
        say(f"  {line}")
