"""The rules' facts (:class:`ledger.domain.rules.facts.World`), rebuilt from stored rows alone.

Each row is decoded (``read_record``) and its payload validated against its event type's
payload model, exactly as it was written; nothing is read from the aggregates or the store's
other tables. With ``until``, replay stops before the first event recorded after that moment,
so the world is the record as it stood then (recording times never decrease along the log).

A withheld payload (confidential content left out of an export) gives no facts: its position is
listed in ``World.withheld``, and later acts on a stream whose opening was withheld are skipped.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from ledger.domain import EVENT_TYPES
from ledger.domain.correction import CORRECTABLE
from ledger.domain.matter import Outcome
from ledger.domain.meeting import Choice, Stance
from ledger.domain.rules import facts as f
from ledger.errors import RecordDecodeError
from ledger.integrity.canonical import format_time, parse_time
from ledger.integrity.record import Record, read_record
from ledger.integrity.verify import StoredRow

ABOUT_THE_RECORD = frozenset(
    {"calendar.adopted", "calendar.readopted", "transcription.recorded", "correction.recorded"}
)
"""Events that say something about the record rather than being acts of the procedure (which
days were holidays, which acts were entered from paper, what an act should have said): a world
of what had happened by a moment (``happened_by``) keeps them whenever they were made."""

Stamp = dict[str, Any]
"""The :class:`~ledger.domain.rules.facts.Recorded` fields of one event, as keyword arguments."""


def build_world(
    rows: Iterable[Sequence[StoredRow]],
    until: datetime | None = None,
    happened_by: datetime | None = None,
) -> f.World:
    """The world of facts from ``rows`` (pages of stored rows in log order, as
    ``LedgerApplication.rows()`` yields them), as recorded up to ``until`` if given, and of the
    acts that had happened (as claimed) by ``happened_by`` if given."""
    # the record as stored: judging its bytes is the verifier's work
    records = (read_record(row.state) for page in rows for row in page)
    return world_of(records, until, happened_by)


def world_of(
    records: Iterable[Record],
    until: datetime | None = None,
    happened_by: datetime | None = None,
) -> f.World:
    """The world of facts from records already decoded, in log order: those recorded by
    ``until`` (recording times never decrease along the log, so reading stops there), less
    those that happened (as claimed) after ``happened_by``."""
    builder = _Builder()
    for record in records:
        recorded_at = parse_time(record.header["recorded_at"])
        if until is not None and recorded_at > until:
            break
        if (
            happened_by is not None
            and record.header["type"] not in ABOUT_THE_RECORD
            and parse_time(record.header["occurred_at"]) > happened_by
        ):
            continue
        builder.add(record, recorded_at)
    return builder.world()


class WorldFold:
    """A world folded one record at a time, in log order (an export folds the records it
    archives as it writes them, instead of reading them twice)."""

    def __init__(self) -> None:
        self._builder = _Builder()

    def add(self, record: Record) -> None:
        """Fold the next record of the log."""
        self._builder.add(record, parse_time(record.header["recorded_at"]))

    def world(self) -> f.World:
        """The facts of every record folded so far."""
        return self._builder.world()


class _Builder:
    """Collects each aggregate's facts in mutable drafts, then freezes them into a World."""

    def __init__(self) -> None:
        self.drafts: dict[str, dict[UUID, dict[str, Any]]] = {kind: {} for kind in _KINDS}
        self.reports: list[f.ReportFact] = []
        self.rule_sets: list[f.RuleSetFact] = []
        self.calendars: list[f.CalendarFact] = []
        self.transcriptions: list[f.TranscriptionFact] = []
        self.corrections: list[f.CorrectionFact] = []
        self.events: list[f.EventFact] = []
        self.withheld: list[int] = []
        # the stream of each act a correction may change (few types), to find its fact again
        self.correctable: dict[int, UUID] = {}

    def add(self, record: Record, recorded_at: datetime) -> None:
        header = record.header
        event_type = header["type"]
        known = EVENT_TYPES.get(event_type)
        if known is None:
            raise RecordDecodeError(
                f"event {record.seq} has type {event_type!r}, which this ledger does not know",
                zh=f"事件 {record.seq} 的类型 {event_type!r} 不是本台账认识的事件类型",
            )
        try:
            stream = UUID(header["stream"])
        except ValueError as e:
            raise RecordDecodeError(
                f"event {record.seq}: stream is not a UUID",
                zh=f"事件 {record.seq}：流标识不是 UUID",
            ) from e
        stamp: Stamp = {
            "position": record.seq,
            "occurred_at": parse_time(header["occurred_at"]),
            "recorded_at": recorded_at,
            "actor": header["actor"],
        }
        self.events.append(f.EventFact(**stamp, type=event_type, stream=stream))
        if record.withheld:
            self.withheld.append(record.seq)
            return
        try:
            raw = record.payload_bytes()
            payload = known.payload_model.model_validate_json(
                raw if raw is not None else json.dumps(record.body["payload"])
            )
        except ValidationError as e:
            raise RecordDecodeError(
                f"event {record.seq} ({event_type}): the payload does not match its type: {e}",
                zh=f"事件 {record.seq}（{event_type}）：内容与其事件类型不符：{e}",
            ) from e
        handler = _HANDLERS.get(event_type)
        if handler is not None:
            handler(self, stream, stamp, payload)
        if event_type in CORRECTABLE:
            self.correctable[record.seq] = stream

    def start(self, kind: str, stream: UUID, fields: dict[str, Any]) -> None:
        self.drafts[kind][stream] = {"id": stream, **fields}

    def append(self, kind: str, stream: UUID, name: str, fact: Any) -> None:
        draft = self.drafts[kind].get(stream)
        if draft is not None:  # skipped when the stream's opening was withheld
            draft.setdefault(name, []).append(fact)

    def set(self, kind: str, stream: UUID, name: str, value: Any) -> None:
        draft = self.drafts[kind].get(stream)
        if draft is not None:
            draft[name] = value

    def world(self) -> f.World:
        frozen = {kind: _freeze(cls, self.drafts[kind]) for kind, cls in _KINDS.items()}
        return f.World(
            members=frozen["members"],
            bodies=frozen["bodies"],
            matters=frozen["matters"],
            meetings=frozen["meetings"],
            emergencies=frozen["emergencies"],
            delegations=frozen["delegations"],
            reviews=frozen["reviews"],
            reports=tuple(self.reports),
            rule_sets=tuple(self.rule_sets),
            calendars=tuple(self.calendars),
            transcriptions=tuple(self.transcriptions),
            corrections=tuple(self.corrections),
            events=tuple(self.events),
            withheld=tuple(self.withheld),
        )


_KINDS: dict[str, type[Any]] = {
    "members": f.MemberFacts,
    "bodies": f.BodyFacts,
    "matters": f.MatterFacts,
    "meetings": f.MeetingFacts,
    "emergencies": f.EmergencyFacts,
    "delegations": f.DelegationFacts,
    "reviews": f.ReviewFacts,
}


def _freeze(cls: type[Any], drafts: dict[UUID, dict[str, Any]]) -> dict[UUID, Any]:
    return {
        ident: cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in draft.items()})
        for ident, draft in drafts.items()
    }


# --- handlers: one per event type that carries facts --------------------------------------------

Handler = Callable[[_Builder, UUID, Stamp, Any], None]
_HANDLERS: dict[str, Handler] = {}


def _on(event_type: str) -> Callable[[Handler], Handler]:
    if event_type not in EVENT_TYPES:  # pragma: no cover - a programming error caught at import
        raise RuntimeError(f"no event type {event_type!r}")

    def register(handler: Handler) -> Handler:
        _HANDLERS[event_type] = handler
        return handler

    return register


_PLACES: dict[str, tuple[str, str]] = {
    "meeting.opened": ("meetings", "opening"),
    "meeting.closed": ("meetings", "closing"),
}
"""Where each event type's fact lives in a draft: (kind, name); a list, unless set once."""


def _appends(event_type: str, kind: str, name: str, make: Callable[[Stamp, Any], Any]) -> None:
    """Register a handler that appends ``make(stamp, payload)`` to a draft's list ``name``."""
    _PLACES[event_type] = (kind, name)

    def handler(b: _Builder, stream: UUID, stamp: Stamp, p: Any) -> None:
        b.append(kind, stream, name, make(stamp, p))

    _on(event_type)(handler)


_STAMP = frozenset(field.name for field in dataclasses.fields(f.Recorded))


def _copies(event_type: str, kind: str, name: str, fact: type[Any]) -> None:
    """Register a handler that appends a ``fact`` whose fields (besides the stamp) are copied
    by name from the payload: a fact and its payload name their fields alike (style rule 16)."""
    payload_fields = EVENT_TYPES[event_type].payload_model.model_fields
    names = tuple(x.name for x in dataclasses.fields(fact) if x.name not in _STAMP)
    missing = [n for n in names if n not in payload_fields]
    if missing:  # pragma: no cover - a programming error caught at import
        raise RuntimeError(f"{fact.__name__} fields not in {event_type}'s payload: {missing}")

    def make(stamp: Stamp, p: Any) -> Any:
        return fact(**stamp, **{n: getattr(p, n) for n in names})

    _appends(event_type, kind, name, make)


def _recorded(stamp: Stamp) -> f.Recorded:
    return f.Recorded(**stamp)


@_on("member.registered")
def _member_registered(b: _Builder, stream: UUID, stamp: Stamp, p: Any) -> None:
    b.start("members", stream, {"name": p.name, "title": p.title, "registered": _recorded(stamp)})


_copies("member.assigned", "members", "assignments", f.PostsHeld)


@_on("member.left")
def _member_left(b: _Builder, stream: UUID, stamp: Stamp, p: Any) -> None:
    b.set("members", stream, "left", _recorded(stamp))


@_on("body.established")
def _body_established(b: _Builder, stream: UUID, stamp: Stamp, p: Any) -> None:
    b.start("bodies", stream, {"kind": p.kind, "name": p.name, "established": _recorded(stamp)})


_appends(
    "body.member_joined",
    "bodies",
    "changes",
    lambda s, p: f.MembershipChange(**s, member=p.member, joined=True),
)
_appends(
    "body.member_left",
    "bodies",
    "changes",
    lambda s, p: f.MembershipChange(**s, member=p.member, joined=False),
)


@_on("matter.opened")
def _matter_opened(b: _Builder, stream: UUID, stamp: Stamp, p: Any) -> None:
    b.start(
        "matters",
        stream,
        {
            "opened": _recorded(stamp),
            "title": p.title,
            "body": p.body,
            "in_charge": p.in_charge,
            "areas": p.areas,
            "major": p.major,
            "technical": p.technical,
            "public_interest": p.public_interest,
            "cadre": p.cadre,
            "confidential": p.confidential,
        },
    )


_MATTER_ACTS: dict[str, tuple[str, type[Any]]] = {
    "matter.research_recorded": ("research", f.ResearchFact),
    "matter.alternative_added": ("alternatives", f.AlternativeFact),
    "matter.consulted": ("consultations", f.ConsultationFact),
    "matter.cross_portfolio_consulted": ("cross_portfolio", f.CrossPortfolioFact),
    "matter.proposed": ("proposals", f.ProposalFact),
    "matter.coordinated": ("coordinations", f.CoordinationFact),
    "matter.agenda_approved": ("approvals", f.ApprovalFact),
    "matter.decided": ("decisions", f.DecisionFact),
    "matter.deferred": ("deferrals", f.MatterDeferralFact),
    "matter.assignment_made": ("assignments", f.AssignmentFact),
    "matter.progress_reported": ("progress", f.ProgressFact),
    "matter.supervision_checked": ("supervisions", f.SupervisionFact),
    "matter.reconsideration_agreed": ("reconsiderations", f.ReconsiderationFact),
    "matter.changed": ("changes", f.ChangeFact),
    "matter.revoked": ("revocations", f.RevocationFact),
    "matter.published": ("publications", f.PublicationFact),
}
"""A matter's acts: event type -> (the draft's list, the fact copied from the payload)."""
for _type, (_name, _fact) in _MATTER_ACTS.items():
    _copies(_type, "matters", _name, _fact)


@_on("meeting.scheduled")
def _meeting_scheduled(b: _Builder, stream: UUID, stamp: Stamp, p: Any) -> None:
    b.start(
        "meetings",
        stream,
        {
            "scheduled": _recorded(stamp),
            "body": p.body,
            "title": p.title,
            "chair": p.chair,
            "scheduled_for": p.scheduled_for,
            "agenda": list(p.agenda),
        },
    )


@_on("meeting.item_added")
def _item_added(b: _Builder, stream: UUID, stamp: Stamp, p: Any) -> None:
    b.append("meetings", stream, "agenda", p.matter)
    b.append("meetings", stream, "items_added", f.ItemAddedFact(**stamp, matter=p.matter))


@_on("meeting.opened")
def _meeting_opened(b: _Builder, stream: UUID, stamp: Stamp, p: Any) -> None:
    absences = tuple(
        f.AbsenceFact(member=a.member, reason=a.reason, on_leave=a.on_leave) for a in p.absent
    )
    opening = f.OpeningFact(
        **stamp, opened_at=p.opened_at, roster=p.roster, present=p.present, absences=absences
    )
    b.set("meetings", stream, "opening", opening)


@_on("meeting.closed")
def _meeting_closed(b: _Builder, stream: UUID, stamp: Stamp, p: Any) -> None:
    b.set("meetings", stream, "closing", f.ClosingFact(**stamp, closed_at=p.closed_at))


_MEETING_ACTS: dict[str, tuple[str, type[Any]]] = {
    "meeting.notice_sent": ("notices", f.NoticeFact),
    "meeting.interest_declared": ("interests", f.InterestFact),
    "meeting.withdrawal_declared": ("withdrawals", f.WithdrawalFact),
    "meeting.presented": ("presentations", f.PresentationFact),
    "meeting.opinion_stated": ("opinions", f.OpinionFact),
    "meeting.written_view_submitted": ("written_views", f.WrittenViewFact),
    "meeting.item_deferred": ("deferrals", f.ItemDeferralFact),
    "meeting.result_announced": ("announcements", f.AnnouncementFact),
    "meeting.minutes_issued": ("minutes", f.MinutesFact),
}
"""A meeting's acts: event type -> (the draft's list, the fact copied from the payload)."""
for _type, (_name, _fact) in _MEETING_ACTS.items():
    _copies(_type, "meetings", _name, _fact)
_appends(
    "meeting.vote_taken",
    "meetings",
    "votes",
    lambda s, p: f.VoteFact(
        **s,
        item=p.item,
        method=p.method,
        ballots_cast=p.ballots_cast,
        votes_for=p.votes_for,
        votes_against=p.votes_against,
        abstentions=p.abstentions,
        invalid=p.invalid,
        ballots=tuple(f.BallotFact(member=x.member, choice=x.choice) for x in p.ballots),
        bundled_with=p.bundled_with,
    ),
)


@_on("emergency.action_taken")
def _emergency_taken(b: _Builder, stream: UUID, stamp: Stamp, p: Any) -> None:
    b.start(
        "emergencies",
        stream,
        {
            "taken": _recorded(stamp),
            "by": p.by,
            "summary": p.summary,
            "taken_at": p.taken_at,
            "matter": p.matter,
        },
    )


_copies("emergency.reported", "emergencies", "reports", f.EmergencyReportFact)
_copies("emergency.acknowledged", "emergencies", "acknowledgements", f.AcknowledgementFact)


@_on("report.delivered")
def _report_delivered(b: _Builder, stream: UUID, stamp: Stamp, p: Any) -> None:
    b.reports.append(
        f.ReportFact(
            **stamp,
            id=stream,
            kind=p.kind,
            by=p.by,
            to_body=p.to_body,
            meeting=p.meeting,
            period_start=p.period_start,
            period_end=p.period_end,
        )
    )


@_on("delegation.granted")
def _delegation_granted(b: _Builder, stream: UUID, stamp: Stamp, p: Any) -> None:
    b.start(
        "delegations",
        stream,
        {
            "granted": _recorded(stamp),
            "grantor": p.grantor,
            "grantee": p.grantee,
            "power": p.power,
            "valid_from": p.valid_from,
            "valid_until": p.valid_until,
        },
    )


@_on("delegation.withdrawn")
def _delegation_withdrawn(b: _Builder, stream: UUID, stamp: Stamp, p: Any) -> None:
    b.set("delegations", stream, "withdrawn", _recorded(stamp))


@_on("review.opened")
def _review_opened(b: _Builder, stream: UUID, stamp: Stamp, p: Any) -> None:
    b.start(
        "reviews",
        stream,
        {
            "opened": _recorded(stamp),
            "matter": p.matter,
            "reason": p.reason,
            "opened_by": p.opened_by,
        },
    )


@_on("review.concluded")
def _review_concluded(b: _Builder, stream: UUID, stamp: Stamp, p: Any) -> None:
    held = tuple(
        f.ResponsibilityFact(member=r.member, role=r.role, degree=r.degree, reason=r.reason)
        for r in p.responsible
    )
    conclusion = f.ReviewConclusionFact(**stamp, failed=p.failed, responsible=held)
    b.set("reviews", stream, "conclusion", conclusion)


def _rule_set(b: _Builder, stream: UUID, stamp: Stamp, p: Any) -> None:
    parameters = tuple(
        f.RuleParameterFact(rule=x.rule, name=x.name, value=x.value) for x in p.parameters
    )
    b.rule_sets.append(
        f.RuleSetFact(**stamp, version=p.version, parameters=parameters, source=p.source)
    )


_on("ruleset.adopted")(_rule_set)
_on("ruleset.readopted")(_rule_set)


def _calendar(b: _Builder, stream: UUID, stamp: Stamp, p: Any) -> None:
    b.calendars.append(f.CalendarFact(**stamp, calendar=p))


_on("calendar.adopted")(_calendar)
_on("calendar.readopted")(_calendar)


@_on("transcription.recorded")
def _transcription(b: _Builder, stream: UUID, stamp: Stamp, p: Any) -> None:
    b.transcriptions.append(
        f.TranscriptionFact(
            **stamp,
            source=p.source,
            reference=p.reference,
            scan=p.scan,
            clerk=p.clerk,
            first=stamp["position"] + 1,
            last=stamp["position"] + p.events,
        )
    )


@_on("correction.recorded")
def _correction(b: _Builder, stream: UUID, stamp: Stamp, p: Any) -> None:
    changes = tuple(
        f.FieldChangeFact(
            field=c.field,
            value=c.value,
            original=None,
            member=c.member,
            outcome=CORRECTABLE.get(p.corrects_type, {}).get(c.field, _NOT).outcome,
        )
        for c in p.changes
    )
    if changes:
        changes = _apply_correction(b, stamp["position"], p.corrects, p.corrects_type, changes)
    b.corrections.append(
        f.CorrectionFact(
            **stamp,
            corrects=p.corrects,
            corrects_type=p.corrects_type,
            reason=p.reason,
            correction=p.correction,
            changes=changes,
        )
    )


# --- corrections: the corrected act's fact takes the corrected values ---------------------------


class _NotCorrectable:
    outcome = False


_NOT = _NotCorrectable()


def _apply_correction(
    b: _Builder,
    position: int,
    corrects: int,
    event_type: str,
    changes: tuple[f.FieldChangeFact, ...],
) -> tuple[f.FieldChangeFact, ...]:
    """Replace the fact of the act at ``corrects`` by its corrected form; the changes with the
    values they replaced (unchanged when the act is not here: withheld, or not yet recorded)."""
    stream = b.correctable.get(corrects)
    place = _PLACES.get(event_type)
    if stream is None or place is None:
        return changes
    kind, name = place
    draft = b.drafts[kind].get(stream)
    if draft is None:
        return changes
    held: Any = draft.get(name)
    facts: list[Any] = held if isinstance(held, list) else [held]
    index = next((i for i, x in enumerate(facts) if getattr(x, "position", None) == corrects), None)
    if index is None:
        return changes
    fact = facts[index]
    noted = []
    for change in changes:
        original, fact = _change_fact(fact, change)
        noted.append(dataclasses.replace(change, original=original))
    fact = dataclasses.replace(fact, corrected_by=(*fact.corrected_by, position))
    if isinstance(held, list):
        held[index] = fact
    else:
        draft[name] = fact
    if event_type in ("meeting.vote_taken", "meeting.opened"):
        _correct_bases(b, stream, fact, position)
    return tuple(noted)


_CONVERT: dict[str, Callable[[Any], Any]] = {
    "stance": Stance,
    "outcome": Outcome,
    "opened_at": parse_time,
    "sent_at": parse_time,
    "closed_at": parse_time,
    "issued_at": parse_time,
}


def _json(value: Any) -> str | int:
    if isinstance(value, datetime):
        return format_time(value)
    return value.value if hasattr(value, "value") else value  # type: ignore[no-any-return]


def _change_fact(fact: Any, change: f.FieldChangeFact) -> tuple[str | int | None, Any]:
    """The value a change replaces (JSON form), and the fact with the change made."""
    member = change.member
    if change.field == "ballot":
        ballots = fact.ballots
        before = next((x.choice.value for x in ballots if x.member == member), None)
        after = tuple(
            f.BallotFact(member=x.member, choice=Choice(str(change.value)))
            if x.member == member
            else x
            for x in ballots
        )
        return before, dataclasses.replace(fact, ballots=after)
    if change.field == "attendance":
        before = "present" if member in fact.present else "absent"
        present = tuple(m for m in fact.present if m != member)
        absences = tuple(a for a in fact.absences if a.member != member)
        if change.value == "present" and member is not None:
            present = (*present, member)
        elif member is not None:
            absences = (*absences, f.AbsenceFact(member=member))
        return before, dataclasses.replace(fact, present=present, absences=absences)
    before = _json(getattr(fact, change.field))
    value = _CONVERT.get(change.field, lambda v: v)(change.value)
    return before, dataclasses.replace(fact, **{change.field: value})


def _correct_bases(b: _Builder, meeting: UUID, fact: Any, position: int) -> None:
    """A decision's basis (its count, as frozen when announced) follows a corrected vote or
    attendance of the meeting that took it."""
    for draft in b.drafts["matters"].values():
        decisions = draft.get("decisions", [])
        for i, decision in enumerate(decisions):
            if decision.meeting != meeting:
                continue
            if isinstance(fact, f.VoteFact):
                if draft["id"] not in fact.items:
                    continue
                update: dict[str, Any] = {
                    "votes_for": fact.votes_for,
                    "votes_against": fact.votes_against,
                    "abstentions": fact.abstentions,
                    "invalid": fact.invalid,
                    "ballots_cast": fact.ballots_cast,
                }
            else:
                update = {
                    "present": fact.present,
                    "absent": tuple(a.member for a in fact.absences if not a.on_leave),
                    "on_leave": tuple(a.member for a in fact.absences if a.on_leave),
                }
            basis = decision.basis.model_copy(update=update)
            computed = "adopted" if basis.votes_for >= basis.votes_needed else "rejected"
            basis = basis.model_copy(update={"computed_outcome": computed})
            decisions[i] = dataclasses.replace(
                decision, basis=basis, corrected_by=(*decision.corrected_by, position)
            )
