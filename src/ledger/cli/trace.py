"""Read commands for investigators: trace, archive, history, person, replay, rebuild."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime

import click

from ledger.cli.context import CliContext, pass_cli
from ledger.cli.options import as_of_option, json_option, parse_moment
from ledger.cli.render import emit_json, ok, say


@click.command()
@click.argument("matter")
@as_of_option
@json_option
@pass_cli
def trace(cli: CliContext, matter: str, as_of: datetime | None, as_json: bool) -> None:
    """Who is accountable for a decision: every role and who held it, how each voted (or only
    the tally, for a secret ballot), who dissented, and every finding.

    MATTER is the matter's id or its exact title.

    \b
    Examples:
      ledger trace 县城供水管网改造方案
      ledger trace 3f76fffc-... --as-of 2026-03-01 --json
    """
    result = cli.open().reader().matter_file(matter, as_of).trace()
    if as_json:
        emit_json(result.to_json())
        return
    say(f"{result.title}  [{result.state}]  as of {result.as_of}")
    if result.categories:
        say(f"categories: {', '.join(result.categories)}")
    for d in result.decisions:
        agree = "" if d["announced"] == d["computed"] else f"  (count says {d['computed']}!)"
        say(
            f"decision at position {d['position']}: {d['announced']}{agree}; "
            f"{d['votes_for']} for / {d['votes_against']} against / {d['abstentions']} abstaining "
            f"({d['method']}), {d['votes_needed']} needed of {d['roster']} who should attend"
        )
    say("")
    say(f"{'pos':>5}  {'role':<28} {'who':<14} {'posts':<34} detail")
    for r in result.roles:
        mark = " ✍" if r.signed_by_person else ""
        say(
            f"{r.position:>5}  {r.role:<28} {(r.name or '—')[:14]:<14} "
            f"{','.join(r.posts)[:34]:<34} {r.detail}{mark}"
        )
    if result.dissenters:
        say("")
        say(
            "dissent (reduces or waives responsibility): "
            + "; ".join(f"{d['name']} ({d['how']})" for d in result.dissenters)
        )
    for c in result.chair_against_majority:
        reasons = c["reasons"] or "NO REASONS GIVEN"
        say(f"chair announced {c['announced']} against the majority of views: {reasons}")
    for change in result.changes:
        say(f"change at position {change['position']}: {change['type']}")
    say("")
    if result.findings:
        say(f"{len(result.findings)} finding(s):")
        for f in result.findings:
            say(f"  {f['rule']:<22} {f['responsible_name']:<10} {f['message']}")
    else:
        say("no findings")
    say("✍ = signed by the person themself; otherwise recorded by the office")


@click.command()
@click.argument("matter")
@as_of_option
@json_option
@pass_cli
def archive(cli: CliContext, matter: str, as_of: datetime | None, as_json: bool) -> None:
    """A decision's complete file (档案): every event with its position, times, actor,
    signature, and payload (with the digest of every material)."""
    entries = cli.open().reader().matter_file(matter, as_of).archive()
    if as_json:
        emit_json([asdict(e) for e in entries])
        return
    section = ""
    for e in entries:
        if e.section != section:
            section = e.section
            say(f"\n[{section}]")
        say(f"{e.position:>6}  {e.occurred_at[:19]}  {e.type:<32} {e.payload}")


@click.command()
@click.argument("matter")
@as_of_option
@json_option
@pass_cli
def history(cli: CliContext, matter: str, as_of: datetime | None, as_json: bool) -> None:
    """A decision's history as a timeline, step by step."""
    steps = cli.open().reader().timeline(matter, as_of)
    if as_json:
        emit_json(steps)
        return
    for s in steps:
        mark = " ✍" if s["signed_by_actor"] else ""
        say(f"{s['position']:>6}  {_china(s['occurred_at'])}  {s['summary']}{mark}")


def _china(text: str) -> str:
    """A recorded UTC time as China time, for people (``2026-02-24 09:41``)."""
    from datetime import timedelta, timezone

    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.astimezone(timezone(timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")


@click.command()
@click.argument("member")
@as_of_option
@json_option
@pass_cli
def person(cli: CliContext, member: str, as_of: datetime | None, as_json: bool) -> None:
    """Every decision in which a member held a role, with their posts at the time, and the
    findings that name them. MEMBER is the member's id or exact name."""
    result = cli.open().reader().person(member, as_of)
    if as_json:
        emit_json(result)
        return
    say(f"{result['name']}  ({result['member']})  as of {result['as_of']}")
    for p in result["posts"]:
        say(
            f"  from {p['from'][:10]}: {', '.join(p['posts'])}"
            + (f"; in charge of {', '.join(p['in_charge'])}" if p["in_charge"] else "")
        )
    for m in result["matters"]:
        say(f"\n{m['title']}")
        for r in m["roles"]:
            say(f"  {r['position']:>6}  {r['role']:<28} {r['detail']}")
    say("")
    say(f"{len(result['findings'])} finding(s) naming them")
    for f in result["findings"]:
        say(f"  {f['rule']:<22} {f['message']}")


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

    moment = parse_moment(None, None, until)
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
        f"as of {document['until']}: {position} events, {len(world.members)} members, "
        f"{len(world.meetings)} meetings, {len(matters)} matters, {len(found)} findings"
    )
    for m in matters:
        say(f"  [{m['state']:<8}] {m['title']}")


@click.command()
@pass_cli
def rebuild(cli: CliContext) -> None:
    """Throw the read index away and build it again from the events alone."""
    started = datetime.now(UTC)
    index = cli.open().rebuild_index()
    seconds = (datetime.now(UTC) - started).total_seconds()
    ok(
        f"read index rebuilt from {index.tracked and len(index.dump()['events'])} events "
        f"in {seconds:.1f} s"
    )
