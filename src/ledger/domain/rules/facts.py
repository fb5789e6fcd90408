"""The facts the procedural rules judge: plain frozen values, read from the events alone
(``ledger.projections.facts`` builds them), with no store, no clock and no aggregate behind them.

Every act carries where and when it is on the record (:class:`Recorded`): its log position, when
it happened as claimed (``occurred_at``), when the office recorded it (``recorded_at``) and who
did it (``actor``). A finding cites the positions of the acts that show it. Questions that
depend on time ("who was secretary then?", "who sat on the standing committee then?") are
answered from the acts' ``occurred_at``, in China's calendar where a date is asked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import TypeVar
from uuid import UUID

from ledger.domain.body import BodyKind
from ledger.domain.calendar import CalendarAdopted
from ledger.domain.emergency import Acknowledgement
from ledger.domain.matter import ConsultationKind, DecisionBasis, Outcome
from ledger.domain.meeting import Choice, Stance, VoteMethod
from ledger.domain.member import Post
from ledger.domain.report import ReportKind
from ledger.domain.review import Degree
from ledger.domain.rules.calendar import CalendarKind, WorkingCalendar, YearCalendar, local_date


@dataclass(frozen=True, kw_only=True)
class Recorded:
    """An act on the record: log position, claimed time, recording time, actor, and the
    corrections (更正) that the facts of this act already apply, if any."""

    position: int
    occurred_at: datetime
    recorded_at: datetime
    actor: str
    corrected_by: tuple[int, ...] = ()  # positions of the corrections applied to this act


@dataclass(frozen=True, kw_only=True)
class EventFact(Recorded):
    """Any event, by type and stream (rule ``late-record`` reads these)."""

    type: str
    stream: UUID


R = TypeVar("R", bound=Recorded)


def latest(acts: Iterable[R], moment: datetime) -> R | None:
    """The act in force at ``moment``: the last one (by claimed time, then position) that had
    happened by then."""
    happened = [a for a in acts if a.occurred_at <= moment]
    return max(happened, key=lambda a: (a.occurred_at, a.position), default=None)


# --- members and bodies -------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class PostsHeld(Recorded):
    """A member's posts and portfolio (分工) from this act on."""

    posts: tuple[Post, ...]
    in_charge: tuple[str, ...] = ()
    liaison: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class MemberFacts:
    """A member (委员): registration, every assignment of posts, and leaving."""

    id: UUID
    name: str
    title: str
    registered: Recorded
    assignments: tuple[PostsHeld, ...] = ()
    left: Recorded | None = None

    def active_at(self, moment: datetime) -> bool:
        """On the committee at ``moment``."""
        return self.registered.occurred_at <= moment and (
            self.left is None or self.left.occurred_at > moment
        )

    def portfolio_at(self, moment: datetime) -> PostsHeld | None:
        """The posts and portfolio held at ``moment`` (None before any assignment or after
        leaving)."""
        if not self.active_at(moment):
            return None
        return latest(self.assignments, moment)

    def holds(self, post: Post, moment: datetime) -> bool:
        """Whether the member held ``post`` at ``moment``."""
        held = self.portfolio_at(moment)
        return held is not None and post in held.posts


@dataclass(frozen=True, kw_only=True)
class MembershipChange(Recorded):
    """A member joined (``joined``) or left a body."""

    member: UUID
    joined: bool


@dataclass(frozen=True, kw_only=True)
class BodyFacts:
    """A body (plenary, standing committee, preparatory meeting) and its membership history."""

    id: UUID
    kind: BodyKind
    name: str
    established: Recorded
    changes: tuple[MembershipChange, ...] = ()

    def members_at(self, moment: datetime) -> frozenset[UUID]:
        """Who belonged to the body at ``moment``."""
        members: set[UUID] = set()
        for change in self._happened(moment):
            if change.joined:
                members.add(change.member)
            else:
                members.discard(change.member)
        return frozenset(members)

    def member_since(self, member: UUID, moment: datetime) -> datetime | None:
        """When the member's unbroken membership that includes ``moment`` began; None if they
        were not a member then."""
        since: datetime | None = None
        for change in self._happened(moment):
            if change.member != member:
                continue
            if change.joined and since is None:
                since = change.occurred_at
            elif not change.joined:
                since = None
        return since

    def _happened(self, moment: datetime) -> list[MembershipChange]:
        happened = [c for c in self.changes if c.occurred_at <= moment]
        return sorted(happened, key=lambda c: (c.occurred_at, c.position))


# --- matters ------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ResearchFact(Recorded):
    by: UUID
    summary: str


@dataclass(frozen=True, kw_only=True)
class AlternativeFact(Recorded):
    title: str


@dataclass(frozen=True, kw_only=True)
class ConsultationFact(Recorded):
    """A consultation of any kind (expert review, risk assessment, legality review, public
    notice or comment with its dates, departments ...)."""

    kind: ConsultationKind
    party: str
    opened_on: date | None = None
    closed_on: date | None = None
    signed_by: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class CrossPortfolioFact(Recorded):
    member: UUID


@dataclass(frozen=True, kw_only=True)
class ProposalFact(Recorded):
    by: UUID


@dataclass(frozen=True, kw_only=True)
class CoordinationFact(Recorded):
    by: UUID


@dataclass(frozen=True, kw_only=True)
class ApprovalFact(Recorded):
    """The item approved for the agenda (审定), by whom, under which delegation if any."""

    by: UUID
    delegation: UUID | None = None
    meeting: UUID | None = None  # the meeting it was approved for, when named


@dataclass(frozen=True, kw_only=True)
class DecisionFact(Recorded):
    """A result announced at a meeting, with the basis of its count."""

    meeting: UUID
    body: UUID
    outcome: Outcome
    basis: DecisionBasis


@dataclass(frozen=True, kw_only=True)
class MatterDeferralFact(Recorded):
    meeting: UUID
    reason: str


@dataclass(frozen=True, kw_only=True)
class AssignmentFact(Recorded):
    """A task to carry out the decision, given to a member, with its deadline."""

    assignment: UUID
    to: UUID
    task: str
    deadline: date | None = None


@dataclass(frozen=True, kw_only=True)
class ProgressFact(Recorded):
    assignment: UUID
    by: UUID
    completed: bool


@dataclass(frozen=True, kw_only=True)
class SupervisionFact(Recorded):
    by: UUID
    satisfactory: bool


@dataclass(frozen=True, kw_only=True)
class ReconsiderationFact(Recorded):
    """A reconsideration (复议) agreed at a meeting, with the votes for it and the roster size."""

    meeting: UUID
    body: UUID
    votes_for: int
    roster_size: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class ChangeFact(Recorded):
    body: UUID
    meeting: UUID | None
    summary: str
    major: bool


@dataclass(frozen=True, kw_only=True)
class RevocationFact(Recorded):
    body: UUID
    meeting: UUID | None
    reason: str


@dataclass(frozen=True, kw_only=True)
class PublicationFact(Recorded):
    channel: str


@dataclass(frozen=True, kw_only=True)
class MatterFacts:
    """A matter (议题) and its whole file, each act in log order."""

    id: UUID
    opened: Recorded
    title: str
    body: UUID
    in_charge: UUID
    areas: tuple[str, ...] = ()
    major: bool = False
    technical: bool = False
    public_interest: bool = False
    cadre: bool = False
    confidential: bool = False
    research: tuple[ResearchFact, ...] = ()
    alternatives: tuple[AlternativeFact, ...] = ()
    consultations: tuple[ConsultationFact, ...] = ()
    cross_portfolio: tuple[CrossPortfolioFact, ...] = ()
    proposals: tuple[ProposalFact, ...] = ()
    coordinations: tuple[CoordinationFact, ...] = ()
    approvals: tuple[ApprovalFact, ...] = ()
    decisions: tuple[DecisionFact, ...] = ()
    deferrals: tuple[MatterDeferralFact, ...] = ()
    assignments: tuple[AssignmentFact, ...] = ()
    progress: tuple[ProgressFact, ...] = ()
    supervisions: tuple[SupervisionFact, ...] = ()
    reconsiderations: tuple[ReconsiderationFact, ...] = ()
    changes: tuple[ChangeFact, ...] = ()
    revocations: tuple[RevocationFact, ...] = ()
    publications: tuple[PublicationFact, ...] = ()

    def consulted(self, *kinds: ConsultationKind) -> tuple[ConsultationFact, ...]:
        """The consultations of the given kinds."""
        return tuple(c for c in self.consultations if c.kind in kinds)


# --- meetings -----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AbsenceFact:
    member: UUID
    reason: str = ""
    on_leave: bool = False


@dataclass(frozen=True, kw_only=True)
class ItemAddedFact(Recorded):
    matter: UUID


@dataclass(frozen=True, kw_only=True)
class NoticeFact(Recorded):
    sent_at: datetime
    materials: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class OpeningFact(Recorded):
    """The meeting opened: the roster who should attend (应到会), frozen, and who was present."""

    opened_at: datetime
    roster: tuple[UUID, ...]
    present: tuple[UUID, ...]
    absences: tuple[AbsenceFact, ...] = ()


@dataclass(frozen=True, kw_only=True)
class InterestFact(Recorded):
    item: UUID
    member: UUID
    interest: str


@dataclass(frozen=True, kw_only=True)
class WithdrawalFact(Recorded):
    item: UUID
    member: UUID


@dataclass(frozen=True, kw_only=True)
class PresentationFact(Recorded):
    item: UUID
    by: UUID


@dataclass(frozen=True, kw_only=True)
class OpinionFact(Recorded):
    """A view stated at the meeting; log order is speaking order."""

    item: UUID
    member: UUID
    stance: Stance


@dataclass(frozen=True, kw_only=True)
class WrittenViewFact(Recorded):
    item: UUID
    member: UUID
    stance: Stance


@dataclass(frozen=True, kw_only=True)
class ItemDeferralFact(Recorded):
    item: UUID
    reason: str


@dataclass(frozen=True, kw_only=True)
class BallotFact:
    member: UUID
    choice: Choice


@dataclass(frozen=True, kw_only=True)
class VoteFact(Recorded):
    """A vote: the tally, individual ballots where the method reveals them, and the other items
    it bundled (a breach of rule ``item-by-item``)."""

    item: UUID
    method: VoteMethod
    ballots_cast: int
    votes_for: int
    votes_against: int
    abstentions: int = 0
    invalid: int = 0
    ballots: tuple[BallotFact, ...] = ()
    bundled_with: tuple[UUID, ...] = ()

    @property
    def items(self) -> tuple[UUID, ...]:
        """Every item this vote decided."""
        return (self.item, *self.bundled_with)


@dataclass(frozen=True, kw_only=True)
class AnnouncementFact(Recorded):
    item: UUID
    outcome: Outcome
    by: UUID
    reasons: str = ""


@dataclass(frozen=True, kw_only=True)
class ClosingFact(Recorded):
    closed_at: datetime


@dataclass(frozen=True, kw_only=True)
class MinutesFact(Recorded):
    issued_at: datetime
    by: UUID


@dataclass(frozen=True, kw_only=True)
class MeetingFacts:
    """A meeting and everything that happened at it, each act in log order."""

    id: UUID
    scheduled: Recorded
    body: UUID
    title: str
    chair: UUID
    scheduled_for: datetime
    agenda: tuple[UUID, ...] = ()  # as scheduled, then items added, in order
    items_added: tuple[ItemAddedFact, ...] = ()
    notices: tuple[NoticeFact, ...] = ()
    opening: OpeningFact | None = None
    interests: tuple[InterestFact, ...] = ()
    withdrawals: tuple[WithdrawalFact, ...] = ()
    presentations: tuple[PresentationFact, ...] = ()
    opinions: tuple[OpinionFact, ...] = ()
    written_views: tuple[WrittenViewFact, ...] = ()
    deferrals: tuple[ItemDeferralFact, ...] = ()
    votes: tuple[VoteFact, ...] = ()
    announcements: tuple[AnnouncementFact, ...] = ()
    closing: ClosingFact | None = None
    minutes: tuple[MinutesFact, ...] = ()

    def vote_on(self, item: UUID) -> VoteFact | None:
        """The vote that decided ``item`` at this meeting, alone or bundled."""
        votes = self.on(item).votes
        return votes[0] if votes else None

    def on(self, item: UUID) -> ItemActs:
        """What was done on one item at this meeting (a look-up: agendas run to hundreds of
        items, and the rules ask about each)."""
        return self._by_item.get(item, _NO_ACTS)

    @cached_property
    def _by_item(self) -> dict[UUID, ItemActs]:
        acts: dict[UUID, dict[str, list[Recorded]]] = {}

        def add(item: UUID, name: str, fact: Recorded) -> None:
            acts.setdefault(item, {}).setdefault(name, []).append(fact)

        for o in self.opinions:
            add(o.item, "opinions", o)
        for d in self.deferrals:
            add(d.item, "deferrals", d)
        for a in self.announcements:
            add(a.item, "announcements", a)
        for v in self.votes:
            for item in v.items:
                add(item, "votes", v)
        return {
            item: ItemActs(**{name: tuple(facts) for name, facts in found.items()})  # type: ignore[arg-type]
            for item, found in acts.items()
        }


@dataclass(frozen=True)
class ItemActs:
    """The acts on one item at one meeting, each in log order."""

    opinions: tuple[OpinionFact, ...] = ()
    deferrals: tuple[ItemDeferralFact, ...] = ()
    announcements: tuple[AnnouncementFact, ...] = ()
    votes: tuple[VoteFact, ...] = ()


_NO_ACTS = ItemActs()


# --- emergencies, reports, delegations, rule sets ------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class EmergencyReportFact(Recorded):
    meeting: UUID
    reported_at: datetime
    by: UUID


@dataclass(frozen=True, kw_only=True)
class AcknowledgementFact(Recorded):
    meeting: UUID
    outcome: Acknowledgement


@dataclass(frozen=True, kw_only=True)
class EmergencyFacts:
    """An emergency action (临机处置) and its report to the standing committee."""

    id: UUID
    taken: Recorded
    by: UUID
    summary: str
    taken_at: datetime
    matter: UUID | None = None
    reports: tuple[EmergencyReportFact, ...] = ()
    acknowledgements: tuple[AcknowledgementFact, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ReportFact(Recorded):
    """A duty report (述职) or work report delivered to a body."""

    id: UUID
    kind: ReportKind
    by: UUID
    to_body: UUID
    meeting: UUID | None
    period_start: date
    period_end: date


@dataclass(frozen=True, kw_only=True)
class DelegationFacts:
    """A delegated power (委托), its period and its withdrawal."""

    id: UUID
    granted: Recorded
    grantor: UUID
    grantee: UUID
    power: str
    valid_from: date
    valid_until: date | None = None
    withdrawn: Recorded | None = None

    def valid_at(self, moment: datetime) -> bool:
        """In force at ``moment``: granted, within its dates (China's calendar), not withdrawn."""
        day = local_date(moment)
        return (
            self.granted.occurred_at <= moment
            and self.valid_from <= day
            and (self.valid_until is None or day <= self.valid_until)
            and (self.withdrawn is None or self.withdrawn.occurred_at > moment)
        )


@dataclass(frozen=True, kw_only=True)
class RuleParameterFact:
    rule: str
    name: str
    value: str  # canonical JSON text of the value


@dataclass(frozen=True, kw_only=True)
class RuleSetFact(Recorded):
    """A rule set adopted (each adoption replaces the last)."""

    version: str
    parameters: tuple[RuleParameterFact, ...]
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class CalendarFact(Recorded):
    """A year's working-day calendar adopted on the record (the last adoption of a year wins)."""

    calendar: CalendarAdopted


@dataclass(frozen=True, kw_only=True)
class TranscriptionFact(Recorded):
    """A batch transcribed from a paper record (补录): the events at ``first`` to ``last``."""

    source: str
    reference: str
    scan: str | None
    clerk: str
    first: int
    last: int

    def covers(self, position: int) -> bool:
        return self.first <= position <= self.last


@dataclass(frozen=True, kw_only=True)
class FieldChangeFact:
    """One field a correction changed: its value as first recorded (``original``, in its JSON
    form; None when the corrected act was not found) and as corrected, and whether it bears on
    an outcome (``ledger.domain.correction.CORRECTABLE``)."""

    field: str
    value: str | int
    original: str | int | None
    member: UUID | None = None
    outcome: bool = False


@dataclass(frozen=True, kw_only=True)
class CorrectionFact(Recorded):
    """A correction of the event at log position ``corrects``. A correction in words only
    (``changes`` empty) changes no fact: a finding citing that position should be read with it.
    A structured correction's ``changes`` are already applied to the corrected act's facts (whose
    ``corrected_by`` names this correction), so the rules judge the corrected record."""

    corrects: int
    corrects_type: str
    reason: str
    correction: str
    changes: tuple[FieldChangeFact, ...] = ()

    @property
    def changes_outcome(self) -> bool:
        """Whether a change alters a field that bears on an outcome (a vote, an attendance,
        an announced result)."""
        return any(c.outcome and c.value != c.original for c in self.changes)


# --- accountability reviews ---------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ResponsibilityFact:
    """One person held responsible by a review, at a degree, with the review's reason."""

    member: UUID
    role: str
    degree: Degree
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class ReviewConclusionFact(Recorded):
    """A review's conclusion: whether the decision failed, and who is responsible how far."""

    failed: bool
    responsible: tuple[ResponsibilityFact, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ReviewFacts:
    """An accountability review (决策失误责任追究) of a matter's decision, and its conclusion."""

    id: UUID
    opened: Recorded
    matter: UUID
    reason: str
    opened_by: UUID
    conclusion: ReviewConclusionFact | None = None


# --- the world ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    """Everything on the record that the rules judge, keyed by id where things have one."""

    members: Mapping[UUID, MemberFacts] = field(default_factory=dict)
    bodies: Mapping[UUID, BodyFacts] = field(default_factory=dict)
    matters: Mapping[UUID, MatterFacts] = field(default_factory=dict)
    meetings: Mapping[UUID, MeetingFacts] = field(default_factory=dict)
    emergencies: Mapping[UUID, EmergencyFacts] = field(default_factory=dict)
    reports: tuple[ReportFact, ...] = ()
    delegations: Mapping[UUID, DelegationFacts] = field(default_factory=dict)
    reviews: Mapping[UUID, ReviewFacts] = field(default_factory=dict)
    rule_sets: tuple[RuleSetFact, ...] = ()
    calendars: tuple[CalendarFact, ...] = ()
    transcriptions: tuple[TranscriptionFact, ...] = ()
    corrections: tuple[CorrectionFact, ...] = ()
    events: tuple[EventFact, ...] = ()
    withheld: tuple[int, ...] = ()  # positions whose payload is withheld: facts unknown

    def holder(self, post: Post, moment: datetime) -> MemberFacts | None:
        """The member holding ``post`` at ``moment`` (the first registered, if several)."""
        return next((m for m in self.members.values() if m.holds(post, moment)), None)

    @property
    def rule_set(self) -> RuleSetFact | None:
        """The rule set in force: the last adopted."""
        return self.rule_sets[-1] if self.rule_sets else None

    def corrections_of(self, position: int) -> tuple[CorrectionFact, ...]:
        """The corrections of the act at ``position``, in log order."""
        return tuple(c for c in self.corrections if c.corrects == position)

    def rule_set_at(self, moment: datetime) -> RuleSetFact | None:
        """The rule set in force at ``moment``: the last adopted by then."""
        return latest(self.rule_sets, moment)

    def transcription_of(self, position: int) -> TranscriptionFact | None:
        """The transcription that covers the event at ``position``, if it was entered from
        paper."""
        return next((t for t in self.transcriptions if t.covers(position)), None)

    @cached_property
    def working_calendar(self) -> WorkingCalendar:
        """Working days as this record knows them: every calendar adopted on it (whenever it
        says it was adopted: a calendar is knowledge of which days were holidays, not a rule
        that comes into force), over the shipped ones."""
        return WorkingCalendar(
            YearCalendar.of(c.calendar, CalendarKind.ADOPTED, c.position) for c in self.calendars
        )
