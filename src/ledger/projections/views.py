"""Read questions answered from the index and the few events each needs: a matter's archive,
trace and history, a person's record, the ledger as it stood at a moment."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from ledger.domain.correction import corrected_payload
from ledger.domain.rules.facts import World
from ledger.domain.rules.finding import Finding
from ledger.errors import InputError
from ledger.integrity.canonical import format_time
from ledger.integrity.record import read_record
from ledger.integrity.verify import StoredRow
from ledger.projections.facts import build_world
from ledger.projections.findings import judged, of_matter
from ledger.projections.index import LedgerIndex
from ledger.projections.roles import parts_of
from ledger.projections.trace import MatterFile
from ledger.projections.trace import said_correction as _said

RowsAt = Callable[[Sequence[int]], list[StoredRow]]


class UnknownSubjectError(InputError):
    """A read command names something the index does not know."""


_KIND_ZH = {
    "member": "委员",
    "body": "机构",
    "matter": "议题",
    "meeting": "会议",
    "emergency": "临机处置",
    "review": "责任追究",
    "report": "报告",
    "delegation": "委托",
    "correction": "更正",
}
"""The index's kinds of subject (``index.LABELS``) as a Chinese reader names them (the CLI
catalogue's ``kind.*`` words)."""


@dataclass
class Reader:
    """Answers read questions from the index, fetching events by storage row."""

    index: LedgerIndex
    rows_at: RowsAt
    rows: Callable[[], Iterable[Sequence[StoredRow]]]  # every row, a page at a time

    def resolve(self, ref: str, kind: str) -> str:
        """A subject's id, from its id or its unique label (a matter's title, a member's name)."""
        found = self.index.subject(ref)
        if found is None:
            matter = kind == "matter"
            raise UnknownSubjectError(
                f"no {kind} {ref!r} in this ledger (give its id, or its exact and unique "
                f"{'title' if matter else 'name'})",
                zh=f"本台账中没有{_KIND_ZH.get(kind, kind)} {ref!r}（请给出其标识，或其完整且唯一的"
                f"{'标题' if matter else '姓名'}）",
            )
        if found[1] != kind:
            raise UnknownSubjectError(
                f"{ref!r} is a {found[1]}, not a {kind}",
                zh=f"{ref!r} 是{_KIND_ZH.get(found[1], found[1])}，不是{_KIND_ZH.get(kind, kind)}",
            )
        return found[0]

    def matter_file(
        self,
        ref: str,
        as_of: datetime | None = None,
        *,
        judging: bool = True,
        at: datetime | None = None,
    ) -> MatterFile:
        """A matter's events and facts as the record stood at ``as_of`` (default: now), and,
        with ``at``, only the acts that had happened by then (judged as of then).
        Judging its findings reads its scope (``LedgerIndex.scope_rows``: every event of its
        meetings); with ``judging=False`` only its file is read (``rows_for``: enough for its
        archive and history, and its trace then shows no findings)."""
        moment = as_of or datetime.now(UTC)
        matter = self.resolve(ref, "matter")
        until = format_time(moment)
        if judging:
            rows = self.rows_at(self.index.scope_rows(matter, until))
            file = MatterFile(UUID(matter), rows, moment, at=at)
        else:
            rows = self.rows_at(self.index.rows_for(matter, until))
            file = MatterFile(UUID(matter), rows, moment, judged=(), at=at)
        if not file.exists:
            when = format_time(moment)
            raise UnknownSubjectError(
                f"matter {ref!r} was not yet on the record at {when}",
                zh=f"截至 {when}，议题 {ref!r} 尚未记入台账",
            )
        return file

    def context(self, as_of: datetime | None = None) -> World:
        """The facts every question may need (members, bodies, rule sets, calendars, keys ...)
        as recorded by ``as_of`` (default: now), without any matter or meeting."""
        moment = as_of or datetime.now(UTC)
        rows = self.rows_at(self.index.context_rows(format_time(moment)))
        return build_world([rows], moment)

    def matter_findings(self, ref: str, as_of: datetime | None = None) -> list[Finding]:
        """``ledger findings`` restricted to one matter: every finding on the whole record as
        of ``as_of`` (default: now) that belongs to it (``findings.belongs``). A trace shows the
        same findings, judged from the matter's scope alone."""
        moment = as_of or datetime.now(UTC)
        scope = self.matter_file(ref, moment).scope
        return of_matter(self.judged(moment)[1], scope)

    def judged(self, as_of: datetime | None = None) -> tuple[World, list[Finding]]:
        """The whole record's facts as they stood at ``as_of`` (default: now), and every
        finding on it judged as of that moment. A rule may make anyone answerable for anything
        (the holder of a post for a deadline nobody kept), so this reads every event."""
        return judged(self.rows(), as_of or datetime.now(UTC))

    def person(
        self,
        ref: str,
        as_of: datetime | None = None,
        *,
        with_findings: bool = True,
        at: datetime | None = None,
    ) -> dict[str, Any]:
        """Every matter in which a member held a role, the roles (with their posts and
        portfolio at the time), and the findings that name them. Judging the findings reads the
        whole record; without them (``with_findings=False``, ``findings`` is None) the view reads
        only the index and the context events. With ``at``: only the parts played by then."""
        moment = as_of or datetime.now(UTC)
        member = self.resolve(ref, "member")
        until = format_time(moment)
        if with_findings:
            world, found = judged(self.rows(), moment, (), at)
        else:
            world, found = self.context(moment), []
        facts = world.members.get(UUID(member))
        matters: dict[str, dict[str, Any]] = {}
        corrected = self._corrected_parts(world, member)
        happened_by = format_time(at) if at is not None else None
        for held in self.index.roles_of(member, until):
            if happened_by is not None and held.occurred_at > happened_by:
                continue
            transcription = world.transcription_of(held.position)
            entry = matters.setdefault(
                held.matter, {"matter": held.matter, "title": held.title, "roles": []}
            )
            when = datetime.fromisoformat(held.occurred_at.replace("Z", "+00:00"))
            posts = facts.portfolio_at(when) if facts is not None else None
            entry["roles"].append(
                {
                    "matter": held.matter,
                    "title": held.title,
                    "role": held.role,
                    "detail": held.detail,
                    "position": held.position,
                    "occurred_at": held.occurred_at,
                    "posts": [p.value for p in posts.posts] if posts is not None else [],
                    "in_charge": list(posts.in_charge) if posts is not None else [],
                    "signed_by_person": held.signed_by_person,
                    "transcribed_from": transcription.source if transcription else None,
                    **corrected.get((held.position, held.role, held.detail), {}),
                }
            )
        return {
            "member": member,
            "name": facts.name if facts else "",
            "as_of": until,
            "at": happened_by,
            "posts": [
                {
                    "from": format_time(a.occurred_at),
                    "posts": [p.value for p in a.posts],
                    "in_charge": list(a.in_charge),
                    "liaison": list(a.liaison),
                }
                for a in (facts.assignments if facts else ())
            ],
            "matters": list(matters.values()),
            "findings": (
                [f.to_json() for f in found if f.responsible == member] if with_findings else None
            ),
        }

    def _corrected_parts(
        self, world: World, member: str
    ) -> dict[tuple[int, str, str], dict[str, Any]]:
        """For each part of ``member`` (as the index holds it: position, role, detail) that a
        structured correction changed: the part as corrected, and the corrections (few: only
        the corrected events are read)."""
        by_position: dict[int, list[dict[str, Any]]] = {}
        for c in world.corrections:
            if c.changes:
                by_position.setdefault(c.corrects, []).append(_said(c))
        if not by_position:
            return {}
        out: dict[tuple[int, str, str], dict[str, Any]] = {}
        for row in self.rows_at(self.index.rows_at_positions(sorted(by_position))):
            record = read_record(row.state)
            payload = record.body.get("payload")
            corrections = by_position.get(record.seq, [])
            changes = tuple(x for c in corrections for x in c["changes"])
            now = parts_of(record.header["type"], corrected_payload(payload, changes))
            mine = [p for p in now if p.person == member]
            for was in parts_of(record.header["type"], payload):
                if was.person != member:
                    continue
                part = next(iter(mine), None)
                if part is None or (part.role, part.detail) == (was.role, was.detail):
                    continue
                out[(record.seq, was.role, was.detail)] = {
                    "role": part.role,
                    "detail": part.detail,
                    "original_role": was.role,
                    "original_detail": was.detail,
                    "corrections": corrections,
                }
        return out

    def timeline(
        self, ref: str, as_of: datetime | None = None, at: datetime | None = None
    ) -> list[dict[str, Any]]:
        """A matter's history, step by step: when each act happened and when it was recorded,
        and the paper record it was transcribed from, if it was."""
        file = self.matter_file(ref, as_of, judging=False, at=at)
        return [
            {
                "position": e.position,
                "occurred_at": e.occurred_at,
                "recorded_at": e.recorded_at,
                "transcribed": e.transcribed,
                "section": e.section,
                "type": e.type,
                "actor": e.actor,
                "signed_by_actor": e.signed_by_actor,
                "summary": summarise(
                    e.type, e.corrected if e.corrected is not None else e.payload, file.names()
                ),
                **(
                    {
                        "original_summary": summarise(e.type, e.payload, file.names()),
                        "corrections": list(e.corrections),
                    }
                    if e.corrections
                    else {}
                ),
            }
            for e in file.archive()
        ]


def summarise(event_type: str, payload: Any, names: dict[str, str]) -> str:
    """One readable line for an event of a matter's history."""
    p = payload if isinstance(payload, dict) else {}

    def who(key: str) -> str:
        value = p.get(key, "")
        return names.get(str(value), str(value))

    lines: dict[str, Callable[[], str]] = {
        "matter.opened": lambda: f"matter opened: {p.get('title')} (in charge: {who('in_charge')})",
        "matter.research_recorded": lambda: f"research by {who('by')}: {p.get('summary', '')}",
        "matter.alternative_added": lambda: f"alternative plan: {p.get('title')}",
        "matter.consulted": lambda: f"{p.get('kind')} by {p.get('party')}: {p.get('outcome', '')}",
        "matter.cross_portfolio_consulted": lambda: f"discussed with {who('member')}",
        "matter.proposed": lambda: f"proposed by {who('by')}",
        "matter.coordinated": lambda: f"coordinated by {who('by')}",
        "matter.agenda_approved": lambda: f"agenda approved by {who('by')}",
        "meeting.scheduled": lambda: f"meeting called: {p.get('title')}, chair {who('chair')}",
        "meeting.notice_sent": lambda: "members notified",
        "meeting.opened": lambda: (
            f"meeting opened: {len(p.get('present', []))} present of {len(p.get('roster', []))}"
        ),
        "meeting.interest_declared": lambda: f"{who('member')} declared an interest",
        "meeting.withdrawal_declared": lambda: f"{who('member')} withdrew (回避)",
        "meeting.presented": lambda: f"presented by {who('by')}",
        "meeting.opinion_stated": lambda: f"{who('member')}: {p.get('stance')}",
        "meeting.written_view_submitted": lambda: (
            f"written view of {who('member')}: {p.get('stance')}"
        ),
        "meeting.item_deferred": lambda: f"deferred: {p.get('reason')}",
        "matter.deferred": lambda: f"deferred: {p.get('reason')}",
        "matter.published": lambda: f"made public: {p.get('channel')}",
        "meeting.vote_taken": lambda: (
            f"vote ({p.get('method')}): {p.get('votes_for')} for, {p.get('votes_against')} "
            f"against, {p.get('abstentions', 0)} abstaining"
        ),
        "meeting.result_announced": lambda: f"{who('by')} announced: {p.get('outcome')}",
        "matter.decided": lambda: f"decided: {p.get('outcome')}",
        "meeting.closed": lambda: "meeting closed",
        "meeting.minutes_issued": lambda: f"minutes issued by {who('by')}",
        "matter.assignment_made": lambda: f"assigned to {who('to')}: {p.get('task')}",
        "matter.progress_reported": lambda: f"progress by {who('by')}: {p.get('summary')}",
        "matter.supervision_checked": lambda: f"supervision by {who('by')}: {p.get('summary')}",
        "matter.changed": lambda: f"changed: {p.get('summary')}",
        "matter.revoked": lambda: f"revoked: {p.get('reason')}",
        "matter.reconsideration_agreed": lambda: f"reconsideration agreed: {p.get('reason')}",
        "emergency.action_taken": lambda: f"emergency action by {who('by')}: {p.get('summary')}",
        "emergency.reported": lambda: f"emergency action reported by {who('by')}",
        "review.opened": lambda: f"accountability review opened: {p.get('reason')}",
        "review.concluded": lambda: f"review concluded: {p.get('conclusion')}",
        "correction.recorded": lambda: (
            f"correction of event {p.get('corrects')}: {p.get('reason')}"
        ),
    }
    make = lines.get(event_type)
    return make() if make else event_type
