"""``ledger checkpoint``: sign and hand out a checkpoint of the log head."""

from __future__ import annotations

from pathlib import Path

import click

from ledger.cli.context import CliContext, pass_cli
from ledger.cli.render import ok, say


@click.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the checkpoint to this file (for an auditor to keep).",
)
@pass_cli
def checkpoint(cli: CliContext, out: Path | None) -> None:
    """Sign a checkpoint of the log head (C2SP tlog-checkpoint) and print it.

    Whoever keeps a checkpoint can later prove, with `ledger verify --checkpoint FILE`, that
    the log still holds every event it covered, unchanged.
    """
    service = cli.open(writable=True)
    signed = service.publish_checkpoint()
    text = signed.text()
    if out is not None:
        out.write_text(text, encoding="utf-8")
        ok(cli.t("checkpoint.written", size=signed.size, path=out))
    else:
        say(text.rstrip("\n"))
