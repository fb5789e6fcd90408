"""``ledger checkpoint``: sign and hand out a checkpoint of the log head."""

from __future__ import annotations

import base64
from pathlib import Path

import click

from ledger.cli.context import CliContext, pass_cli
from ledger.cli.options import json_option
from ledger.cli.render import emit_json, ok, say


@click.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the checkpoint to this file (for an auditor to keep).",
)
@json_option
@pass_cli
def checkpoint(cli: CliContext, out: Path | None, as_json: bool) -> None:
    """Sign a checkpoint of the log head (C2SP tlog-checkpoint) and print it.

    Whoever keeps a checkpoint can later prove, with `ledger verify --checkpoint FILE`, that
    the log still holds every event it covered, unchanged. `--json` adds what a witness or
    another signed-note tool needs: the origin, the checkpoint key and its verifier key.

    \b
    Examples:
      ledger checkpoint --out audited.txt
      ledger checkpoint --json
    """
    from ledger.integrity.checkpoint import verifier_key

    service = cli.open(writable=True)
    signed = service.publish_checkpoint()
    text = signed.text()
    if out is not None:
        out.write_text(text, encoding="utf-8")
    if as_json:
        key = service.config.checkpoint_key
        emit_json(
            {
                "origin": signed.origin,
                "size": signed.size,
                "root": base64.b64encode(signed.root).decode(),
                "key": key,
                "verifier_key": verifier_key(signed.origin, key),
                "note": text,
            }
        )
        return
    if out is not None:
        ok(cli.t("checkpoint.written", size=signed.size, path=out))
    else:
        say(text.rstrip("\n"))
