"""``ledger export`` and ``ledger verify-archive``: a verifiable archive for auditors, and its
offline verification (docs/archive-format.md, docs/verification.md)."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ledger.beijing_time import say_time
from ledger.cli.context import CliContext, pass_cli
from ledger.cli.options import json_option, parse_moment
from ledger.cli.render import bad, emit_json, fields, ok, progress, say
from ledger.i18n import message

if TYPE_CHECKING:
    from ledger.archive.export import ExportResult
    from ledger.archive.verify import ArchiveReport

PROGRESS_FROM = 5000  # events: below this an export or a verification is over in moments
CONFIDENTIAL = "confidential"


def _until(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    """``--until``: a time, or a date meaning the whole of that day (China time)."""
    moment = parse_moment(ctx, param, value)
    if moment is not None and value is not None and len(value.strip()) == 10:
        return moment + timedelta(days=1) - timedelta(microseconds=1)
    return moment


@click.command()
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The archive file to write (a ZIP).",
)
@click.option(
    "--matter",
    "matters",
    multiple=True,
    metavar="MATTER",
    help="Export only this matter (id or exact title; repeatable), with the context its "
    "signatures and pages need.",
)
@click.option(
    "--from",
    "since",
    callback=parse_moment,
    metavar="TIME",
    help="Export only the events recorded from this time (ISO 8601 with a zone, or a date).",
)
@click.option(
    "--until",
    "until",
    callback=_until,
    metavar="TIME",
    help="Export only the events recorded until this time (a date: to the end of that day).",
)
@click.option(
    "--withhold",
    "withhold",
    multiple=True,
    metavar="confidential|MATTER",
    help="Withhold the content of every matter marked confidential, or of this matter (id or "
    "exact title; repeatable). The archive still verifies, and lists what it withholds.",
)
@click.option(
    "--checkpoint",
    "checkpoint_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Prove the archive against this signed (or cosigned) checkpoint instead of the "
    "newest one the home keeps.",
)
@click.option(
    "--consistency-from",
    "consistency_from",
    multiple=True,
    type=click.IntRange(min=1),
    metavar="SIZE",
    help="For a partial archive: include a consistency proof from a checkpoint of this size "
    "(one the auditor holds; repeatable).",
)
@click.option("--no-html", is_flag=True, help="Leave out the readable pages (html/).")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@click.option("--no-progress", is_flag=True, help="Do not show progress.")
@json_option
@pass_cli
def export(
    cli: CliContext,
    out: Path,
    matters: tuple[str, ...],
    since: datetime | None,
    until: datetime | None,
    withhold: tuple[str, ...],
    checkpoint_file: Path | None,
    consistency_from: tuple[int, ...],
    no_html: bool,
    force: bool,
    no_progress: bool,
    as_json: bool,
) -> None:
    """Export a verifiable archive: the events as stored, the signed checkpoint, proofs, the key
    history, a trust policy template, each decision's proof, readable pages in Chinese and
    English, and a standalone verifier, in one ZIP file.

    Without --matter or --from/--until, the whole ledger up to its checkpoint.

    \b
    Examples:
      ledger export --out ledger-2026.zip --withhold confidential
      ledger export --out plant.zip --matter 县经济开发区标准厂房二期建设项目
      ledger export --out q2.zip --from 2026-04-01 --until 2026-06-30
    """
    from ledger.archive.export import ExportRequest, export_archive
    from ledger.errors import InputError
    from ledger.store.service import read_checkpoint

    if out.exists() and not force:
        raise InputError(
            message("en", "export.exists", path=out), zh=message("zh", "export.exists", path=out)
        )
    request = ExportRequest(
        matters=matters,
        since=since,
        until=until,
        withhold_confidential=CONFIDENTIAL in withhold,
        withhold_matters=tuple(w for w in withhold if w != CONFIDENTIAL),
        checkpoint=read_checkpoint(checkpoint_file) if checkpoint_file else None,
        consistency_from=consistency_from,
        pages=not no_html,
    )
    service = cli.open()
    total = service.app.count_rows()
    show = not no_progress and not as_json and total > PROGRESS_FROM
    # the records, then the pages: export_archive counts to twice the log's size
    with progress(cli.t("export.progress"), 2 * total) if show else nullcontext() as on_progress:
        result = export_archive(service, request, out, on_progress=on_progress)
    if as_json:
        emit_json(result.to_json())
        return
    _show_export(cli, result, service.config.genesis_key)


def _show_export(cli: CliContext, result: ExportResult, key: str) -> None:
    ok(cli.t("export.written", path=result.path, size=_size(result.size), members=result.members))
    scope = result.scope
    if scope.kind == "matter":
        described = cli.t("export.scope_matter", count=len(scope.matters))
    elif scope.kind == "period":
        described = cli.t(
            "export.scope_period",
            since=say_time(cli.lang, scope.since) if scope.since else cli.t("export.open_start"),
            until=say_time(cli.lang, scope.until) if scope.until else cli.t("export.open_end"),
        )
    else:
        described = cli.t("export.scope_whole")
    withheld = (
        cli.t("export.withheld", events=len(result.withheld), matters=result.withheld_matters)
        if result.withheld
        else cli.t("export.none")
    )
    fields(
        [
            (cli.t("field.scope"), described),
            (
                cli.t("field.events"),
                cli.t("export.events", events=result.events, size=result.tree_size),
            ),
            (cli.t("field.withheld"), withheld),
            (cli.t("field.matters"), cli.t("export.pages", count=result.pages)),
            (
                cli.t("field.decision_proofs"),
                cli.t("export.decision_proofs", count=result.decision_proofs),
            ),
            (
                cli.t("field.verify_with"),
                f"ledger verify-archive {result.path} --trusted-key {key}",
            ),
        ],
        colon=cli.colon,
    )


def _size(count: int) -> str:
    value = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{count} B"  # pragma: no cover


@click.command("verify-archive")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--trusted-key",
    metavar="KEY",
    help="The ledger key you trust (ed25519:...), obtained out of band.",
)
@click.option(
    "--trust",
    "trust_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A trust policy (the archive's trust.json, checked and edited): the ledger key, "
    "checkpoint keys, witnesses and how many must have cosigned.",
)
@click.option(
    "--checkpoint",
    "checkpoint_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A signed checkpoint you already hold (repeatable): the archive's log must extend it.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write a misbehaviour report (default: misbehaviour-<origin>-<sizes>.json "
    "in the current directory).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes for signature checks (default: all cores).",
)
@click.option("--no-progress", is_flag=True, help="Do not show progress.")
@json_option
@click.pass_context
@pass_cli
def verify_archive(
    cli: CliContext,
    ctx: click.Context,
    archive: Path,
    trusted_key: str | None,
    trust_file: Path | None,
    checkpoint_files: tuple[Path, ...],
    report_path: Path | None,
    workers: int | None,
    no_progress: bool,
    as_json: bool,
) -> None:
    """Verify an archive offline: no database, no network, only the file and public keys.

    Checks every byte of the file's layout, the events' hashes, payload commitments (or that a
    withheld payload is listed), signatures and key validity, the chain or the inclusion
    proofs, the checkpoint's signature and the witnesses the trust policy requires, the
    manifest, the key history, each decision's proof, and that the archive's log extends every
    checkpoint you hold. Two signed checkpoints that cannot both be true give a misbehaviour
    report.

    Exit 0 when verified; 1 on an integrity failure, naming the first break; 2 for a malformed
    archive or bad input.

    \b
    Example:
      ledger verify-archive ledger-2026.zip --trusted-key ed25519:... --checkpoint held.txt
    """
    from ledger.archive.verify import read_policy
    from ledger.archive.verify import verify_archive as verify
    from ledger.integrity.keys import public_key_bytes
    from ledger.store.service import read_checkpoint

    if trusted_key is not None:
        try:
            public_key_bytes(trusted_key)
        except ValueError as e:
            raise click.BadParameter(str(e), param_hint="--trusted-key") from None
    policy = read_policy(trust_file) if trust_file else None
    held = [read_checkpoint(path) for path in checkpoint_files]
    # about 1 kB an event: the number of events is known only once the archive is read
    estimate = archive.stat().st_size // 1000 if archive.is_file() else 0
    show = not no_progress and not as_json and estimate > PROGRESS_FROM
    with progress(cli.t("verify.progress"), estimate) if show else nullcontext() as bar:
        report = verify(
            archive,
            trusted_key=trusted_key,
            policy=policy,
            held=held,
            report_path=report_path,
            workers=workers,
            on_progress=bar,
        )
    if as_json:
        emit_json(report.to_json())
    elif report.ok:
        _show_verified(cli, report)
    else:
        _show_broken(cli, report)
    ctx.exit(0 if report.ok else 1)


def _show_verified(cli: CliContext, report: ArchiveReport) -> None:
    from ledger.archive.verify import ANCHOR_ARCHIVE, ANCHOR_POLICY
    from ledger.integrity.digest import to_digest

    manifest = report.manifest
    assert manifest is not None
    kind = manifest.scope.kind
    scope = (
        cli.t("verify_archive.scope_matter", count=len(manifest.scope.matters))
        if kind == "matter"
        else cli.t(f"verify_archive.scope_{kind}")
    )
    ok(cli.t("verify_archive.ok", scope=scope, events=report.events))
    signed = cli.t(
        "verify_archive.checkpoint", size=report.tree_size, root=to_digest(report.tree_head)
    )
    if report.witnesses:
        signed += "; " + cli.t("verify_archive.cosigned", names=", ".join(report.witnesses))
    withheld = (
        cli.t("verify_archive.withheld", count=len(report.withheld))
        if report.withheld
        else cli.t("verify_archive.none")
    )
    anchor = str(report.anchor)
    if report.anchor_source == ANCHOR_ARCHIVE:
        anchor += "  " + cli.t("verify_archive.anchor_archive")
    elif report.anchor_source == ANCHOR_POLICY:
        anchor += "  " + cli.t("verify_archive.anchor_policy")
    rows = [
        (cli.t("field.ledger"), f"{manifest.name} ({report.ledger_id})"),
        (cli.t("field.checkpoint"), signed),
        (cli.t("field.withheld"), withheld),
    ]
    rows += [
        (cli.t("field.held"), cli.t("verify_archive.held_ok", size=h["size"])) for h in report.held
    ]
    rows += [
        (cli.t("field.trusted_key"), anchor),
        (
            cli.t("field.decision_proofs"),
            cli.t("verify_archive.proofs", proofs=report.decision_proofs, matters=report.pages),
        ),
    ]
    fields(rows, colon=cli.colon)


def _show_broken(cli: CliContext, report: ArchiveReport) -> None:
    f = report.failure
    assert f is not None
    if f.position is None:
        bad(cli.t("verify_archive.failed", member=f.member))
    else:
        bad(cli.t("verify_archive.failed_at", member=f.member, position=f.position))
    rows = []
    if f.type is not None:
        rows.append((cli.t("field.event"), f.type))
    # The verifier's own words in the reader's language (JSON keeps the English ``problem``).
    rows.append((cli.t("field.problem"), f.problem_zh if cli.lang == "zh" else f.problem))
    fields(rows, colon=cli.colon)
    if report.report_path is not None:
        say("  " + cli.t("verify_archive.report", path=report.report_path))
