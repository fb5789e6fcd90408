"""``ledger findings``: the procedural breaches on the record (docs/rules.md), as of a moment."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING
from uuid import UUID

import click

from ledger import vocabulary
from ledger.beijing_time import say_time
from ledger.cli.context import CliContext, pass_cli
from ledger.cli.options import at_option, parse_moment
from ledger.cli.render import Column, emit_json, say, table
from ledger.vocabulary import person

if TYPE_CHECKING:
    from ledger.domain.rules.facts import World
    from ledger.domain.rules.finding import Finding


@click.command()
@click.option(
    "--rule",
    "rules",
    multiple=True,
    metavar="ID",
    help="Only this rule (repeatable); ids as in docs/rules.md.",
)
@click.option("--member", metavar="ID", help="Only findings naming this member responsible.")
@click.option("--body", metavar="ID", help="Only findings about this body.")
@click.option(
    "--matter",
    metavar="MATTER",
    help="Only the findings that belong to this matter (its id or exact title): those its "
    "trace shows.",
)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="DATE",
    help="Only breaches that became a fact on or after this date (China time).",
)
@click.option(
    "--until",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="DATE",
    help="Only breaches that became a fact on or before this date (China time).",
)
@click.option(
    "--as-of",
    "as_of",
    metavar="TIME",
    callback=parse_moment,
    help="Judge as of this time (ISO 8601 with a zone); default: now. Deadlines not yet "
    "passed then are not findings.",
)
@at_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_cli
def findings(
    cli: CliContext,
    rules: tuple[str, ...],
    member: str | None,
    body: str | None,
    matter: str | None,
    since: datetime | None,
    until: datetime | None,
    as_of: datetime | None,
    at: datetime | None,
    as_json: bool,
) -> None:
    """List procedural breaches found on the record: late notice, no quorum, late minutes ...

    Breaches are never refused when recorded; they are computed here from the events alone,
    with the rule set adopted on the record (or the catalogue's defaults).

    \b
    Examples:
      ledger findings
      ledger findings --rule minutes-deadline --as-of 2026-03-01T00:00:00+08:00
      ledger findings --member 5f0c... --json
      ledger findings --matter 县城供水管网改造方案
      ledger findings --at 2025-12-31    # a year entered later from paper
    """
    from ledger.domain.rules.calendar import local_date
    from ledger.projections.findings import judged, of_matter

    recorded_by = as_of or datetime.now(UTC)
    service = cli.open()
    world, found = judged(service.app.rows(), recorded_by, rules, at)
    moment = min(recorded_by, at) if at is not None else recorded_by
    if matter is not None:  # what its trace shows: the same judgement, the same choice
        found = of_matter(found, service.reader().matter_file(matter, recorded_by).scope)
    found = [
        f
        for f in found
        if (member is None or f.responsible == member)
        and (body is None or str(f.body) == body)
        and (since is None or local_date(f.when) >= since.date())
        and (until is None or local_date(f.when) <= until.date())
    ]
    if as_json:
        emit_json(
            {
                "as_of": recorded_by.isoformat(),
                "at": at.isoformat() if at is not None else None,
                "findings": [{**f.to_json(), **_names(world, f)} for f in found],
            }
        )
        return
    if not found:
        say(cli.t("findings.none", moment=say_time(cli.lang, moment)))
        return
    say(cli.t("findings.count", count=len(found), moment=say_time(cli.lang, moment)))
    table(
        [
            Column(cli.t("col.rule"), style="cyan"),
            Column(cli.t("col.when")),
            Column(cli.t("col.subject")),
            Column(cli.t("col.responsible"), style="bold"),
            Column(cli.t("col.message")),
        ],
        [_row(cli, world, f, moment) for f in found],
    )


def _row(cli: CliContext, world: World, finding: Finding, moment: datetime) -> tuple[str, ...]:
    """A finding as people read it: its message in their language (findings carry both)."""
    names = _names(world, finding)
    subject = names["subject_name"]
    if finding.subject_kind.value == "event":
        subject = cli.t("findings.event", id=finding.subject_id)
    return (
        vocabulary.rule(cli.lang, finding.rule),
        say_time(cli.lang, finding.when, zone=False),
        _clip(subject, 28),
        _clip(person(cli.lang, names["responsible_name"]), 12),
        finding.message_zh if cli.lang == "zh" else finding.message,
    )


def _names(world: World, finding: Finding) -> dict[str, str]:
    """Readable names for a finding's subject and the person or body answerable."""
    titles: dict[UUID, str] = {
        **{k: v.name for k, v in world.members.items()},
        **{k: v.name for k, v in world.bodies.items()},
        **{k: v.title for k, v in world.matters.items()},
        **{k: v.title for k, v in world.meetings.items()},
        **{k: v.summary for k, v in world.emergencies.items()},
    }

    def name(text: str) -> str:
        try:
            return titles.get(UUID(text), text)
        except ValueError:
            return text

    subject = name(finding.subject_id)
    if finding.subject_kind.value == "event":
        subject = f"event {finding.subject_id}"
    return {"subject_name": subject, "responsible_name": name(finding.responsible)}


def _clip(text: str, width: int) -> str:
    """At most ``width`` terminal cells (a Chinese character takes two), ellipsis included."""
    from rich.cells import cell_len, set_cell_size

    return text if cell_len(text) <= width else set_cell_size(text, width - 1) + "…"
