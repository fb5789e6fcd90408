"""The decision archive (档案) and the accountability trace of one matter, as of any moment.

Both are read from the events alone: the read index says which events concern the matter (its
own, its meetings', emergencies' and reviews' that name it, and the context of members, bodies and
rule sets); only those, and what judging the matter needs besides (its scope:
``LedgerIndex.scope_rows``), are fetched from the store and folded here.

* The **archive** is the complete file: every such event in log order, with its position, times,
  actor, whether the actor signed it, and its payload (so the digest of every material).
* The **trace** names every role and who held it: proposed, researched, consulted, coordinated,
  approved the agenda, presented, attended or was absent (with the reason), declared an interest,
  withdrew, stated which opinion, voted how (or only the tally, for a secret ballot), announced,
  chaired, issued the minutes, carried it out, supervised, changed or revoked it, acted in an
  emergency, reviewed it; with each person's posts at the time, who dissented (which reduces or
  waives their responsibility should the decision fail), whether the chair announced against the
  majority of the views stated, and the findings of ``ledger findings`` that belong to the
  matter (``ledger.projections.findings``: one judgement, one choice).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from ledger.domain.correction import corrected_payload
from ledger.domain.meeting import WHOLE_MEETING
from ledger.domain.rules.facts import CorrectionFact, World
from ledger.domain.rules.finding import Finding
from ledger.integrity.canonical import format_time, parse_time
from ledger.integrity.verify import StoredRow
from ledger.projections.facts import ABOUT_THE_RECORD, world_of
from ledger.projections.findings import MatterScope, judge, of_matter
from ledger.projections.roles import parts_of

SECTIONS = {
    "matter.opened": "opening",
    "matter.research_recorded": "research",
    "matter.alternative_added": "alternatives",
    "matter.consulted": "consultation",
    "matter.cross_portfolio_consulted": "consultation",
    "matter.proposed": "agenda",
    "matter.coordinated": "agenda",
    "matter.agenda_approved": "agenda",
    "meeting.scheduled": "meeting",
    "meeting.item_added": "meeting",
    "meeting.notice_sent": "notice",
    "meeting.opened": "attendance",
    "meeting.interest_declared": "deliberation",
    "meeting.withdrawal_declared": "deliberation",
    "meeting.presented": "deliberation",
    "meeting.opinion_stated": "deliberation",
    "meeting.written_view_submitted": "deliberation",
    "meeting.item_deferred": "decision",
    "meeting.vote_taken": "vote",
    "meeting.result_announced": "decision",
    "matter.decided": "decision",
    "matter.deferred": "decision",
    "meeting.closed": "meeting",
    "meeting.minutes_issued": "minutes",
    "matter.assignment_made": "carrying out",
    "matter.progress_reported": "carrying out",
    "matter.supervision_checked": "supervision",
    "matter.reconsideration_agreed": "changes",
    "matter.changed": "changes",
    "matter.revoked": "changes",
    "matter.published": "publication",
    "emergency.action_taken": "emergency",
    "emergency.reported": "emergency",
    "emergency.acknowledged": "emergency",
    "review.opened": "review",
    "review.concluded": "review",
    "correction.recorded": "corrections",
}


@dataclass(frozen=True)
class ArchiveEntry:
    """One event of a matter's file."""

    position: int
    section: str
    type: str
    stream: str
    occurred_at: str
    recorded_at: str
    actor: str
    signed_by_actor: bool
    payload: Any  # as first recorded
    corrected: Any = None  # the payload with its structured corrections applied, if any
    corrections: tuple[dict[str, Any], ...] = ()  # the corrections of this event (see below)
    transcribed: dict[str, Any] | None = None  # the paper record it was entered from (补录)


@dataclass(frozen=True)
class Role:
    """Someone's part in a decision."""

    role: str
    person: str  # member id, or the party consulted, or "office"
    name: str
    detail: str
    position: int
    occurred_at: str
    signed_by_person: bool
    posts: tuple[str, ...] = ()  # the person's posts at the time
    in_charge: tuple[str, ...] = ()  # their portfolio at the time
    # when a correction changed this part: the part as first recorded, and the correction
    original_role: str = ""
    original_detail: str = ""
    corrected_by: tuple[int, ...] = ()
    recorded_at: str = ""  # when the act was recorded (``occurred_at`` is when it happened)
    transcribed: dict[str, Any] | None = None  # the paper record it was entered from (补录)


@dataclass
class Trace:
    """Who is accountable for a matter, as the record stood at ``as_of``."""

    matter: str
    title: str
    as_of: str
    state: str
    categories: tuple[str, ...]
    at: str | None = None  # with ``--at``: only what had happened by then
    roles: list[Role] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    dissenters: list[dict[str, str]] = field(default_factory=list)
    chair_against_majority: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    corrections: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return json.loads(json.dumps(asdict(self), default=str))  # type: ignore[no-any-return]


class MatterFile:
    """A matter's events and facts as of a moment: the source of its archive and trace."""

    def __init__(
        self,
        matter: UUID,
        rows: Sequence[StoredRow],
        as_of: datetime,
        shared: Shared | None = None,
        *,
        judged: Sequence[Finding] | None = None,
        at: datetime | None = None,
    ) -> None:
        """``judged``: the findings of a larger record judged as of ``as_of`` (an export judges
        everything it holds once); by default, those of the rows given, which must then hold
        the matter's scope (``LedgerIndex.scope_rows``). ``at``: only the acts that had
        happened (as claimed) by then, judged as of then (``--at``)."""
        self.matter = matter
        self.as_of = as_of
        self.at = at
        self.moment = min(as_of, at) if at is not None else as_of
        self.judged = judged
        self.shared = shared or Shared(rows, as_of, at)
        self.records = self.shared.records
        self.world: World = self.shared.world
        mine = [self.records[i] for i in self.shared.about.get(str(matter), [])]
        self.meetings = {
            UUID(r.header["stream"]) for r in mine if r.header["type"].startswith("meeting.")
        }
        # reviews and emergency actions about the matter: every event of theirs belongs to its file
        self.linked = {
            r.header["stream"]
            for r in mine
            if r.header["type"] in ("review.opened", "emergency.action_taken")
        }

    def names(self) -> dict[str, str]:
        """Member ids to names, as known to this file."""
        return {str(m.id): m.name for m in self.world.members.values()}

    @property
    def exists(self) -> bool:
        return self.matter in self.world.matters

    def archive(self) -> list[ArchiveEntry]:
        """The complete file of the matter, in log order."""
        matter = str(self.matter)
        meetings = {str(m) for m in self.meetings}
        entries = []
        about = self.shared.about
        wanted = sorted(
            {i for ident in (matter, *meetings, *self.linked) for i in about.get(ident, [])}
        )
        for i in wanted:
            record, named = self.records[i], self.shared.mentions[i]
            header = record.header
            event_type = header["type"]
            stream = header["stream"]
            payload = record.body.get("payload")
            concerns = (
                stream == matter
                or stream in self.linked
                or (stream in meetings and (event_type in WHOLE_MEETING or matter in named))
                or (
                    event_type in SECTIONS
                    and not event_type.startswith("meeting.")
                    and matter in named
                )
            )
            if not concerns or event_type not in SECTIONS:
                continue
            entries.append(self._entry(record, payload))
        return self._with_corrections(entries)

    def _entry(self, record: Any, payload: Any) -> ArchiveEntry:
        header = record.header
        corrections = self.shared.corrections.get(record.seq, ())
        changes = tuple(c for correction in corrections for c in correction["changes"])
        return ArchiveEntry(
            position=record.seq,
            section=SECTIONS[header["type"]],
            type=header["type"],
            stream=header["stream"],
            occurred_at=header["occurred_at"],
            recorded_at=header["recorded_at"],
            actor=header["actor"],
            signed_by_actor=bool(header["signers"]),
            payload=payload if payload is not None else {"withheld": True},
            corrected=corrected_payload(payload, changes) if changes and payload else None,
            corrections=corrections,
            transcribed=self.shared.transcribed(record.seq),
        )

    def _with_corrections(self, entries: list[ArchiveEntry]) -> list[ArchiveEntry]:
        """The file's events and the corrections of any of them, in log order."""
        positions = {e.position for e in entries}
        added = [
            self._entry(self.records[i], self.records[i].body.get("payload"))
            for corrected, indexes in self.shared.correction_records.items()
            if corrected in positions
            for i in indexes
            if self.records[i].seq not in positions  # a correction naming the matter is in
        ]
        return sorted([*entries, *added], key=lambda e: e.position) if added else entries

    def trace(self, with_findings: bool = True) -> Trace:
        """Every role and who held it, dissent, the chair's call, changes and (unless
        ``with_findings`` is false) the findings."""
        facts = self.world.matters[self.matter]
        trace = Trace(
            matter=str(self.matter),
            title=facts.title,
            as_of=format_time(self.as_of),
            at=format_time(self.at) if self.at is not None else None,
            state=_state(facts),
            categories=tuple(
                c
                for c in ("major", "technical", "public_interest", "cadre", "confidential")
                if getattr(facts, c)
            ),
        )
        names = {str(m.id): m.name for m in self.world.members.values()}
        entries = self.archive()

        def add(role: str, person: str, detail: str, entry: ArchiveEntry) -> None:
            member = self.world.members.get(UUID(person)) if _is_uuid(person) else None
            moment = datetime.fromisoformat(entry.occurred_at.replace("Z", "+00:00"))
            held = member.portfolio_at(moment) if member is not None else None
            trace.roles.append(
                Role(
                    role=role,
                    person=person,
                    name=names.get(person, person),
                    detail=detail,
                    position=entry.position,
                    occurred_at=entry.occurred_at,
                    signed_by_person=entry.signed_by_actor and entry.actor == person,
                    posts=tuple(p.value for p in held.posts) if held is not None else (),
                    in_charge=held.in_charge if held is not None else (),
                    recorded_at=entry.recorded_at,
                    transcribed=entry.transcribed,
                )
            )

        matter = str(self.matter)
        for e in entries:
            for part in _parts(e):
                if part.items is None or matter in part.items:
                    add(part.role, part.person, part.detail, e)
            if e.corrections:
                _note_original(trace.roles, e)
                trace.corrections += [
                    {**c, "actor_name": names.get(c["actor"], c["actor"])} for c in e.corrections
                ]
            if e.type in ("matter.changed", "matter.revoked", "matter.reconsideration_agreed"):
                p = e.payload if isinstance(e.payload, dict) else {}
                trace.changes.append({"position": e.position, "type": e.type, **p})
        for decision in facts.decisions:
            basis = decision.basis
            trace.decisions.append(
                {
                    "position": decision.position,
                    "meeting": str(decision.meeting),
                    "announced": decision.outcome.value,
                    "computed": basis.computed_outcome,
                    "method": basis.method,
                    "votes_for": basis.votes_for,
                    "votes_against": basis.votes_against,
                    "abstentions": basis.abstentions,
                    "votes_needed": basis.votes_needed,
                    "roster": len(basis.roster),
                    "present": len(basis.present),
                    "rule": basis.rule,
                    "corrected_by": list(decision.corrected_by),
                }
            )
        self._dissent_and_chair(trace, names)
        if with_findings:
            trace.findings = [
                {**f.to_json(), "responsible_name": names.get(f.responsible, f.responsible)}
                for f in self.findings()
            ]
        return trace

    def _dissent_and_chair(self, trace: Trace, names: dict[str, str]) -> None:
        opposed: dict[str, set[str]] = {}
        for role in trace.roles:
            if (role.role == "stated an opinion" and role.detail == "disagree") or (
                role.role == "voted" and role.detail.startswith("against")
            ):
                opposed.setdefault(role.person, set()).add(role.role)
        trace.dissenters = [
            {"member": m, "name": names.get(m, m), "how": ", ".join(sorted(how))}
            for m, how in opposed.items()
        ]
        for meeting_id in self.meetings:
            meeting = self.world.meetings.get(meeting_id)
            if meeting is None:
                continue
            stances = [o.stance.value for o in meeting.opinions if o.item == self.matter]
            agree = stances.count("agree")
            disagree = stances.count("disagree")
            for announcement in meeting.announcements:
                if announcement.item != self.matter or agree == disagree:
                    continue
                majority_view = "adopted" if agree > disagree else "rejected"
                if announcement.outcome.value != majority_view:
                    trace.chair_against_majority.append(
                        {
                            "meeting": str(meeting_id),
                            "announced": announcement.outcome.value,
                            "views_for": agree,
                            "views_against": disagree,
                            "reasons": announcement.reasons,
                            "position": announcement.position,
                        }
                    )

    @property
    def scope(self) -> MatterScope:
        """What the matter's findings may be about (``ledger.projections.findings.belongs``)."""
        return MatterScope(
            matter=str(self.matter),
            emergencies=frozenset(
                str(e.id) for e in self.world.emergencies.values() if e.matter == self.matter
            ),
            meetings=frozenset(str(m) for m in self.meetings),
            positions=frozenset(e.position for e in self.archive()),
        )

    def findings(self) -> list[Finding]:
        """The findings of ``ledger findings`` that belong to the matter, judged as of the
        moment: the same judgement and the same choice, over the facts of the rows it was made
        from (a matter's scope, ``LedgerIndex.scope_rows``, or the whole log), or the findings
        it was given."""
        found = self.judged if self.judged is not None else judge(self.world, self.moment)
        return of_matter(found, self.scope)


def _parts(entry: ArchiveEntry) -> list[Any]:
    """The parts people held in an event, as corrected."""
    return parts_of(entry.type, entry.corrected if entry.corrected is not None else entry.payload)


def _note_original(roles: list[Role], entry: ArchiveEntry) -> None:
    """Mark the roles of a corrected event whose part the correction changed, with the part as
    first recorded (matched by person: an attendance correction moves a member from
    ``attended`` to ``absent``)."""
    first = {p.person: p for p in parts_of(entry.type, entry.payload)}
    by = tuple(c["position"] for c in entry.corrections)
    for i, role in enumerate(roles):
        if role.position != entry.position:
            continue
        was = first.get(role.person)
        if was is None or (was.role, was.detail) == (role.role, role.detail):
            continue
        roles[i] = Role(
            **{
                **asdict(role),
                "original_role": was.role,
                "original_detail": was.detail,
                "corrected_by": by,
            }
        )


def _state(facts: Any) -> str:
    if facts.revocations:
        return "revoked"
    if facts.decisions and (
        not facts.reconsiderations
        or facts.decisions[-1].position > facts.reconsiderations[-1].position
    ):
        return str(facts.decisions[-1].outcome.value)
    return "open"


def _is_uuid(text: str) -> bool:
    try:
        UUID(text)
    except ValueError:
        return False
    return True


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class Shared:
    """Decoded records, the ids each body names, and their facts: made once, shared by the files
    of several matters (a person's view reads many)."""

    def __init__(
        self, rows: Sequence[StoredRow], as_of: datetime, at: datetime | None = None
    ) -> None:
        from ledger.integrity.record import read_record

        records = [read_record(r.state) for r in rows]
        if at is not None:  # only what had happened by then (the record's own notes stay)
            kept = [i for i, r in enumerate(records) if _happened_by(r, at)]
            records, rows = [records[i] for i in kept], [rows[i] for i in kept]
        self.records = records
        self.mentions = [
            frozenset(_UUID.findall(r.state.rsplit(b"\n", 1)[-1].decode())) for r in rows
        ]
        # which records name an id, or belong to its stream: a file reads only its own
        self.about: dict[str, list[int]] = {}
        for i, (record, named) in enumerate(zip(self.records, self.mentions, strict=True)):
            for ident in {record.header["stream"], *named}:
                self.about.setdefault(ident, []).append(i)
        self.world: World = world_of(self.records, as_of)
        # the corrections of each corrected position, recorded by the moment (log order)
        self.correction_records: dict[int, list[int]] = {}
        self.corrections: dict[int, tuple[dict[str, Any], ...]] = {}
        for c in self.world.corrections:
            self.corrections[c.corrects] = (
                *self.corrections.get(c.corrects, ()),
                said_correction(c),
            )
        known = {c.position: c.corrects for c in self.world.corrections}
        for i, record in enumerate(self.records):
            if record.seq in known:
                self.correction_records.setdefault(known[record.seq], []).append(i)

    def transcribed(self, position: int) -> dict[str, Any] | None:
        """The paper record the event at ``position`` was entered from, if it was (补录)."""
        t = self.world.transcription_of(position)
        if t is None:
            return None
        return {
            "position": t.position,
            "source": t.source,
            "reference": t.reference,
            "scan": t.scan,
            "clerk": t.clerk,
        }


def said_correction(c: CorrectionFact) -> dict[str, Any]:
    """A correction as the views show it: where it is, whose it is, why, and what it changed."""
    return {
        "position": c.position,
        "corrects": c.corrects,
        "type": c.corrects_type,
        "recorded_at": format_time(c.recorded_at),
        "actor": c.actor,
        "reason": c.reason,
        "correction": c.correction,
        "changes": tuple(
            {
                "field": x.field,
                "member": str(x.member) if x.member else None,
                "original": x.original,
                "value": x.value,
                "outcome": x.outcome,
            }
            for x in c.changes
        ),
    }


def _happened_by(record: Any, at: datetime) -> bool:
    """Whether a record's act had happened (as claimed) by ``at``; the record's own notes
    (calendars, transcriptions, corrections) count whenever they were made."""
    if record.header["type"] in ABOUT_THE_RECORD:
        return True
    return bool(parse_time(record.header["occurred_at"]) <= at)
