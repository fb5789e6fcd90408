"""``ledger verify``: check the whole ledger."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ledger.cli.context import CliContext, pass_cli
from ledger.cli.render import bad, emit_json, ok, say


@click.command()
@click.option(
    "--checkpoint",
    "checkpoint_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A signed checkpoint you hold (repeatable); the log must match it and reach its size.",
)
@click.option(
    "--no-home-checkpoint",
    is_flag=True,
    help="Ignore the checkpoint kept in the home directory.",
)
@click.option(
    "--trusted-key",
    metavar="KEY",
    help="The ledger key you trust (ed25519:...); default: the one in ledger.json.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes for signature checks (default: all cores).",
)
@click.option("--no-progress", is_flag=True, help="Do not show progress.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
@pass_cli
def verify(
    cli: CliContext,
    ctx: click.Context,
    checkpoint_files: tuple[Path, ...],
    no_home_checkpoint: bool,
    trusted_key: str | None,
    workers: int | None,
    no_progress: bool,
    as_json: bool,
) -> None:
    """Verify the whole ledger: chain, hashes, payload commitments, signatures, key validity and
    checkpoints.

    Exit 0 when intact; 1 on an integrity failure, naming the first bad event; 2 on bad usage.

    \b
    Example:
      ledger verify --checkpoint audited-2026-06.txt --trusted-key ed25519:...
    """
    from ledger.store.service import read_checkpoint

    held = [read_checkpoint(path) for path in checkpoint_files]
    service = cli.open()
    total = service.app.count_rows()
    show = not no_progress and not as_json and sys.stderr.isatty() and total > 5000

    def progress(done: int) -> None:
        click.echo(f"\rverifying … {done:,} / ~{total:,} events", err=True, nl=False)

    report = service.verify(
        checkpoints=held,
        use_home_checkpoint=not no_home_checkpoint,
        trusted_key=trusted_key,
        workers=workers,
        on_progress=progress if show else None,
    )
    if show:
        click.echo("", err=True)
    if as_json:
        emit_json(report.to_json())
    elif report.failure is None:
        ok(f"ledger {report.ledger_id}: {report.events} events verified")
        say(f"  head hash:    {report.head_hash}")
        say(f"  tree head:    sha256:{report.tree_head.hex()}")
        for c in report.checkpoints:
            say(f"  checkpoint:   size {c['size']} matches and is signed")
        if not report.checkpoints:
            say("  checkpoint:   none held (a removed tail can only be caught against one)")
        say(
            f"  trusted key:  {report.anchor}"
            + ("" if trusted_key else "  (from ledger.json; pin it with --trusted-key)")
        )
    else:
        f = report.failure
        bad(
            f"integrity failure at position {f.position}"
            + (f" (storage row {f.row})" if f.row is not None else "")
        )
        if f.stream is not None:
            say(f"  event:   {f.type} in stream {f.stream}, version {f.version}")
        say(f"  problem: {f.problem}")
        say(f"  events verified before it: {report.events}")
    ctx.exit(0 if report.ok else 1)
