"""Read commands for investigators: trace, archive, history, person, replay, rebuild."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ledger import vocabulary
from ledger.beijing_time import say_date, say_time
from ledger.cli.context import CliContext, pass_cli
from ledger.cli.options import as_of_option, at_option, json_option, parse_moment
from ledger.cli.render import Column, emit_json, ok, say, table
from ledger.i18n import term, terms

if TYPE_CHECKING:
    from ledger.projections.trace import MatterFile, Trace
    from ledger.store.service import LedgerService


@click.command()
@click.argument("matter")
@as_of_option
@at_option
@json_option
@click.option(
    "--html",
    "html_out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    metavar="FILE",
    help="Also write the decision's page (timeline, trace, findings) as self-contained HTML "
    "that prints well, in the output language.",
)
@pass_cli
def trace(
    cli: CliContext,
    matter: str,
    as_of: datetime | None,
    at: datetime | None,
    as_json: bool,
    html_out: Path | None,
) -> None:
    """Who is accountable for a decision: every role and who held it, how each voted (or only
    the tally, for a secret ballot), who dissented, and every finding.

    MATTER is the matter's id or its exact title.

    \b
    Examples:
      ledger trace 县城供水管网改造方案
      ledger trace 3f76fffc-... --as-of 2026-03-01 --json
      ledger --lang zh trace 县城供水管网改造方案 --html 供水管网.html
    """
    service = cli.open()
    file = service.reader().matter_file(matter, as_of, at=at)
    result = file.trace()
    level = service.app.level().value
    if html_out is not None:
        _write_page(cli, service, file, html_out)
    if as_json:
        emit_json(result.to_json())
        return
    _show_trace(cli, result, level)


def _write_page(cli: CliContext, service: LedgerService, file: MatterFile, out: Path) -> None:
    from ledger.archive.html import PageContext, matter_page
    from ledger.errors import InputError
    from ledger.integrity.canonical import format_time
    from ledger.integrity.checkpoint import origin_of
    from ledger.store.service import read_checkpoint

    held = read_checkpoint(service.home.checkpoint_path)
    context = PageContext(
        ledger_name=service.config.name,
        origin=origin_of(str(service.ledger_id)),
        tree_size=held.size,
        as_of=format_time(file.as_of),
        in_archive=False,
        level=service.app.level().value,
    )
    try:
        out.write_bytes(matter_page(file, context, cli.lang))
    except OSError as e:
        reason = e.strerror or e
        raise InputError(f"cannot write {out}: {reason}", zh=f"无法写入 {out}：{reason}") from e
    ok(cli.t("trace.page_written", path=out), err=True)


def _show_trace(cli: CliContext, result: Trace, level: str) -> None:
    lang = cli.lang
    state = term(lang, "state", result.state)
    as_of = say_time(lang, result.as_of)
    say(cli.t("trace.heading", title=result.title, state=state, as_of=as_of))
    if result.at is not None:
        say(cli.t("trace.at", at=say_time(lang, result.at)))
    if result.categories:
        say(cli.t("trace.categories", categories=terms(lang, "category", result.categories)))
    for d in result.decisions:
        mismatch = ""
        if d["announced"] != d["computed"]:
            mismatch = cli.t("trace.count_differs", computed=term(lang, "outcome", d["computed"]))
        if d.get("corrected_by"):
            by = ", ".join(map(str, d["corrected_by"]))
            mismatch += cli.t("trace.decision_corrected", by=by)
        say(
            cli.t(
                "trace.decision",
                position=d["position"],
                announced=term(lang, "outcome", d["announced"]),
                mismatch=mismatch,
                votes_for=d["votes_for"],
                votes_against=d["votes_against"],
                abstentions=d["abstentions"],
                method=term(lang, "method", d["method"]),
                needed=d["votes_needed"],
                roster=d["roster"],
            )
        )
    say("")
    table(
        [
            Column(cli.t("col.position"), justify="right"),
            Column(cli.t("col.role"), style="cyan"),
            Column(cli.t("col.who"), style="bold"),
            Column(cli.t("col.posts")),
            Column(cli.t("col.detail")),
        ],
        [
            (
                r.position,
                vocabulary.role(lang, r.role),
                vocabulary.person(lang, r.name or "—"),
                vocabulary.posts(lang, r.posts, level),
                vocabulary.corrected_detail(
                    lang, r.role, r.detail, r.original_role, r.original_detail, r.corrected_by
                )
                + (" ✍" if r.signed_by_person else "")
                + vocabulary.times_note(lang, r.occurred_at, r.recorded_at, r.transcribed),
            )
            for r in result.roles
        ],
    )
    if result.dissenters:
        say("")
        listed = [
            cli.t("trace.dissenter", name=d["name"], how=vocabulary.roles(lang, d["how"]))
            for d in result.dissenters
        ]
        say(cli.t("trace.dissent", dissenters=("；" if lang == "zh" else "; ").join(listed)))
    for c in result.chair_against_majority:
        reasons = c["reasons"] or cli.t("trace.no_reasons")
        announced = term(lang, "outcome", c["announced"])
        say(cli.t("trace.chair_against", announced=announced, reasons=reasons))
    for change in result.changes:
        change_type = vocabulary.event(lang, change["type"])
        say(cli.t("trace.change", position=change["position"], type=change_type))
    if result.corrections:
        names = {r.person: r.name for r in result.roles if r.name}
        say("")
        say(cli.t("trace.corrections"))
        for c in result.corrections:
            say("  " + vocabulary.correction(lang, c, names))
    say("")
    if result.findings:
        say(cli.t("trace.findings", count=len(result.findings)))
        _findings_table(cli, result.findings, with_responsible=True)
    else:
        say(cli.t("trace.no_findings"))
    say(cli.t("trace.legend"))


def _findings_table(
    cli: CliContext, findings: list[dict[str, Any]], *, with_responsible: bool
) -> None:
    """Findings (as JSON documents) in the reader's language: they carry both messages."""
    columns = [Column(cli.t("col.rule"), style="cyan")]
    if with_responsible:
        columns.append(Column(cli.t("col.responsible"), style="bold"))
    columns.append(Column(cli.t("col.message")))
    rows = []
    for f in findings:
        text = f["message_zh"] if cli.lang == "zh" else f["message"]
        who = vocabulary.person(cli.lang, f.get("responsible_name", f["responsible"]))
        rule = vocabulary.rule(cli.lang, f["rule"])
        rows.append((rule, who, text) if with_responsible else (rule, text))
    table(columns, rows, indent=2)


@click.command()
@click.argument("matter")
@as_of_option
@at_option
@json_option
@pass_cli
def archive(
    cli: CliContext, matter: str, as_of: datetime | None, at: datetime | None, as_json: bool
) -> None:
    """A decision's complete file (档案): every event with its position, times, actor,
    signature, and payload (with the digest of every material)."""
    entries = cli.open().reader().matter_file(matter, as_of, judging=False, at=at).archive()
    if as_json:
        emit_json([asdict(e) for e in entries])
        return
    section = ""
    for e in entries:
        if e.section != section:
            section = e.section
            say(f"\n[{term(cli.lang, 'section', section)}]")
        when = say_time(cli.lang, e.occurred_at, zone=False)
        say(f"{e.position:>6}  {when}  {vocabulary.event(cli.lang, e.type):<32} {e.payload}")
        note = vocabulary.times_note(cli.lang, e.occurred_at, e.recorded_at, e.transcribed)
        if note:
            say(f"{'':>6}  {'':16}  {'':<32}{note}")
        if e.corrected is not None:
            say(f"{'':>6}  {'':16}  {'→':<32} {e.corrected}")
        for c in e.corrections:
            say(f"{'':>6}  {'':16}  {'':<32} {vocabulary.correction(cli.lang, c, {})}")


@click.command()
@click.argument("matter")
@as_of_option
@at_option
@json_option
@pass_cli
def history(
    cli: CliContext, matter: str, as_of: datetime | None, at: datetime | None, as_json: bool
) -> None:
    """A decision's history as a timeline, step by step."""
    reader = cli.open().reader()
    if as_json:
        emit_json(reader.timeline(matter, as_of, at))
        return
    file = reader.matter_file(matter, as_of, judging=False, at=at)
    names = file.names()
    for e in file.archive():
        line = vocabulary.history_line(cli.lang, e, names)
        say(f"{e.position:>6}  {say_time(cli.lang, e.occurred_at, zone=False)}  {line}")


@click.command()
@click.argument("member")
@as_of_option
@at_option
@json_option
@click.option(
    "--no-findings",
    is_flag=True,
    help="Leave out the findings: they are judged over the whole record (a minute at a "
    "million events); the roles come from the index.",
)
@pass_cli
def person(
    cli: CliContext,
    member: str,
    as_of: datetime | None,
    at: datetime | None,
    as_json: bool,
    no_findings: bool,
) -> None:
    """Every decision in which a member held a role, with their posts at the time, and the
    findings that name them. MEMBER is the member's id or exact name.

    \b
    Examples:
      ledger person 王建国
      ledger person 王建国 --as-of 2026-07-01 --no-findings --json
    """
    service = cli.open()
    result = service.reader().person(member, as_of, with_findings=not no_findings, at=at)
    if as_json:
        emit_json(result)
        return
    _show_person(cli, result, service.app.level().value)


def _show_person(cli: CliContext, result: dict[str, Any], level: str) -> None:
    lang = cli.lang
    as_of = say_time(lang, result["as_of"])
    say(cli.t("person.heading", name=result["name"], member=result["member"], as_of=as_of))
    for p in result["posts"]:
        posts = vocabulary.posts(lang, p["posts"], level)
        since = say_date(lang, p["from"])
        if p["in_charge"]:
            areas = terms(lang, "area", p["in_charge"])
            say("  " + cli.t("person.posts_in_charge", since=since, posts=posts, areas=areas))
        else:
            say("  " + cli.t("person.posts", since=since, posts=posts))
    rows = []
    for m in result["matters"]:
        for i, r in enumerate(m["roles"]):
            rows.append(
                (
                    m["title"] if i == 0 else "",
                    r["position"],
                    vocabulary.role(lang, r["role"]),
                    vocabulary.corrected_detail(
                        lang,
                        r["role"],
                        r["detail"],
                        r.get("original_role", ""),
                        r.get("original_detail", ""),
                        tuple(c["position"] for c in r.get("corrections", ())),
                    )
                    + (
                        cli.t("person.transcribed", source=r["transcribed_from"])
                        if r.get("transcribed_from")
                        else ""
                    ),
                )
            )
    if rows:
        say("")
        table(
            [
                Column(cli.t("col.matter"), style="bold"),
                Column(cli.t("col.position"), justify="right"),
                Column(cli.t("col.role"), style="cyan"),
                Column(cli.t("col.detail")),
            ],
            rows,
        )
    corrections = {
        c["position"]: c
        for m in result["matters"]
        for r in m["roles"]
        for c in r.get("corrections", ())
    }
    if corrections:
        names = {result["member"]: result["name"]}
        say("")
        say(cli.t("trace.corrections"))
        for position in sorted(corrections):
            say("  " + vocabulary.correction(lang, corrections[position], names))
    say("")
    if result["findings"] is None:
        say(cli.t("person.findings_left_out"))
        return
    say(cli.t("person.findings", count=len(result["findings"])))
    if result["findings"]:
        _findings_table(cli, result["findings"], with_responsible=False)


@click.command()
@click.option(
    "--until",
    "until",
    required=True,
    metavar="TIME",
    help="The moment to replay to (ISO 8601 with a zone, or a date).",
)
@json_option
@pass_cli
def replay(cli: CliContext, until: str, as_json: bool) -> None:
    """The ledger exactly as it stood at a past moment (by recording time): how many events,
    the head, the matters and their states, and the findings then."""
    from ledger.domain.rules.engine import evaluate, parameters_in_force
    from ledger.integrity.canonical import format_time
    from ledger.projections.facts import build_world

    moment = parse_moment(click.get_current_context(), None, until)
    assert moment is not None
    service = cli.open()
    index = service.index()
    position = index.position_at(format_time(moment))
    world = build_world(service.app.rows(), moment)
    found = evaluate(world, parameters_in_force(world, moment), moment)
    matters = [
        {
            "matter": str(m.id),
            "title": m.title,
            "state": (
                "revoked"
                if m.revocations
                else m.decisions[-1].outcome.value
                if m.decisions
                else "open"
            ),
        }
        for m in world.matters.values()
    ]
    document = {
        "until": format_time(moment),
        "events": position,
        "members": len(world.members),
        "meetings": len(world.meetings),
        "matters": matters,
        "findings": [f.to_json() for f in found],
    }
    if as_json:
        emit_json(document)
        return
    say(
        cli.t(
            "replay.summary",
            until=say_time(cli.lang, moment),
            events=position,
            members=len(world.members),
            meetings=len(world.meetings),
            matters=len(matters),
            findings=len(found),
        )
    )
    if matters:
        table(
            [Column(cli.t("col.state"), style="cyan"), Column(cli.t("col.matter"))],
            [(term(cli.lang, "state", m["state"]), m["title"]) for m in matters],
            indent=2,
        )


@click.command()
@click.option("--no-progress", is_flag=True, help="Do not show progress.")
@json_option
@pass_cli
def rebuild(cli: CliContext, no_progress: bool, as_json: bool) -> None:
    """Throw the read index away and build it again from the events alone.

    The new index is built beside the old one and replaces it only once complete.

    \b
    Example:
      ledger rebuild
    """
    from contextlib import nullcontext

    from ledger.cli.render import progress

    service = cli.open()
    total = service.app.count_rows()
    show = not no_progress and not as_json and total > 5000
    started = datetime.now(UTC)
    with progress(cli.t("rebuild.progress"), total) if show else nullcontext() as on_progress:
        index = service.rebuild_index(on_progress)
    seconds = (datetime.now(UTC) - started).total_seconds()
    events = index.count()
    index.close()
    if as_json:
        emit_json({"events": events, "seconds": round(seconds, 3)})
        return
    ok(cli.t("rebuild.done", events=events, seconds=seconds))
