"""``ledger verify``: check the whole ledger."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ledger import vocabulary
from ledger.cli.context import CliContext, pass_cli
from ledger.cli.render import bad, emit_json, fields, ok, progress, say

if TYPE_CHECKING:
    from ledger.integrity.verify import Report


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
    show = not no_progress and not as_json and total > 5000
    with progress(cli.t("verify.progress"), total) if show else nullcontext() as on_progress:
        report = service.verify(
            checkpoints=held,
            use_home_checkpoint=not no_home_checkpoint,
            trusted_key=trusted_key,
            workers=workers,
            on_progress=on_progress,
        )
    if as_json:
        emit_json(report.to_json())
    elif report.failure is None:
        _show_intact(cli, report, pinned=trusted_key is not None)
    else:
        _show_failure(cli, report)
    ctx.exit(0 if report.ok else 1)


def _show_intact(cli: CliContext, report: Report, *, pinned: bool) -> None:
    ok(cli.t("verify.ok", ledger=report.ledger_id, events=report.events))
    rows = [
        (cli.t("field.head_hash"), report.head_hash),
        (cli.t("field.tree_head"), f"sha256:{report.tree_head.hex()}"),
    ]
    for c in report.checkpoints:
        rows.append((cli.t("field.checkpoint"), cli.t("verify.checkpoint_ok", size=c["size"])))
    if not report.checkpoints:
        rows.append((cli.t("field.checkpoint"), cli.t("verify.no_checkpoint")))
    anchor = str(report.anchor)
    rows.append(
        (
            cli.t("field.trusted_key"),
            anchor if pinned else f"{anchor}  {cli.t('verify.key_from_config')}",
        )
    )
    fields(rows, colon=cli.colon)


def _show_failure(cli: CliContext, report: Report) -> None:
    f = report.failure
    assert f is not None
    if f.row is None:
        bad(cli.t("verify.failed", position=f.position))
    else:
        bad(cli.t("verify.failed_row", position=f.position, row=f.row))
    rows = []
    if f.stream is not None:
        kind = vocabulary.event(cli.lang, f.type) if f.type else f.type
        event = cli.t("verify.event", type=kind, stream=f.stream, version=f.version)
        rows.append((cli.t("field.event"), event))
    # The verifier's own words in the reader's language (JSON keeps the English ``problem``).
    rows.append((cli.t("field.problem"), f.problem_zh if cli.lang == "zh" else f.problem))
    fields(rows, colon=cli.colon)
    say("  " + cli.t("verify.verified_before", count=report.events))
