"""A matter for decision (议题), from research to decision, carrying out, change and revocation.

Preparation (research, alternative plans, consultations of every kind, cross-portfolio
consultation, proposal, coordination, agenda approval) is recorded as it happens; the rules find
what is missing, the domain never refuses it. What the domain refuses is what cannot be: a
decision on a matter already decided (reconsider it first), carrying out a decision that was not
adopted, changing or revoking a matter that was never decided.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.domain.events import (
    Envelope,
    LedgerCreated,
    LedgerEvent,
    MaterialDigest,
    Note,
    Payload,
    SafeInt,
    Text,
    envelope_kwargs,
)
from ledger.errors import MatterStateError


class ConsultationKind(StrEnum):
    """Whom a matter was put to before deliberation (咨询 and 征求意见)."""

    DEPARTMENT = "department"  # 相关部门和单位
    PEOPLES_CONGRESS = "peoples_congress"  # 人大
    CPPCC = "cppcc"  # 政协
    MASS_ORGANISATION = "mass_organisation"  # 人民团体
    OTHER_PARTY = "other_party"  # 民主党派
    NON_PARTY = "non_party"  # 党外人士
    WIDE = "wide"  # 广泛征询意见
    EXPERT_REVIEW = "expert_review"  # 专家论证
    RISK_ASSESSMENT = "risk_assessment"  # 决策评估 / 风险评估
    PUBLIC_NOTICE = "public_notice"  # 公示
    PUBLIC_COMMENT = "public_comment"  # 公开征求意见
    LEGALITY_REVIEW = "legality_review"  # 合法性审查


class Outcome(StrEnum):
    """What a vote decided."""

    ADOPTED = "adopted"  # 通过
    REJECTED = "rejected"  # 否决


class MatterState(StrEnum):
    """Where a matter stands."""

    OPEN = "open"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    REVOKED = "revoked"


STATE_ZH = {
    MatterState.OPEN: "尚未作出决策",
    MatterState.ADOPTED: "已通过",
    MatterState.REJECTED: "已被否决",
    MatterState.REVOKED: "已撤销",
}
"""A matter's state as a refusal says it in Chinese (议题《…》已通过)."""


class MatterOpened(Payload):
    """A matter is raised: its title, deciding body, member in charge and category flags."""

    title: Text
    body: UUID
    in_charge: UUID
    summary: Note = ""
    areas: tuple[str, ...] = ()  # portfolio areas the matter touches (for cross-portfolio)
    major: bool = False  # 重大事项
    technical: bool = False  # 专业性、技术性较强
    public_interest: bool = False  # 同群众利益密切相关
    cadre: bool = False  # 干部任免
    confidential: bool = False  # 保密事项


class Research(Payload):
    """Research (调查研究) by the member in charge with the departments concerned."""

    by: UUID
    summary: Text
    materials: tuple[MaterialDigest, ...] = ()


class Alternative(Payload):
    """An alternative plan (可供比较的方案) put forward for comparison."""

    title: Text
    summary: Note = ""
    material: MaterialDigest | None = None


class Consultation(Payload):
    """A consultation of any kind; a public notice or comment period gives its dates."""

    kind: ConsultationKind
    party: Text
    summary: Note = ""
    outcome: Note = ""
    materials: tuple[MaterialDigest, ...] = ()
    opened_on: date | None = None
    closed_on: date | None = None
    signed_by: tuple[str, ...] = ()  # experts who signed their opinion


class CrossPortfolioConsultation(Payload):
    """The matter was discussed with another member whose portfolio it touches."""

    member: UUID
    opinion: Note = ""


class Proposal(Payload):
    """The member in charge proposes the matter for the agenda (提出议题)."""

    by: UUID


class Coordination(Payload):
    """The secretary-general coordinates the item (统一协调)."""

    by: UUID
    note: Note = ""


class AgendaApproval(Payload):
    """The item is approved for the agenda (审定): by the secretary, or by the full-time deputy
    secretary under a recorded delegation."""

    by: UUID
    delegation: UUID | None = None
    meeting: UUID | None = None  # the meeting the item is approved for, when named


class DecisionBasis(Payload):
    """Everything needed to re-check a decision's count later, by anyone."""

    method: str
    roster: tuple[UUID, ...]  # who should attend (应到会), frozen when the meeting opened
    present: tuple[UUID, ...]
    absent: tuple[UUID, ...]
    on_leave: tuple[UUID, ...]
    withdrawn: tuple[UUID, ...]
    ballots_cast: SafeInt
    votes_for: SafeInt
    votes_against: SafeInt
    abstentions: SafeInt
    invalid: SafeInt
    threshold_numerator: SafeInt  # the share of the roster needed: 1/2, or 2/3 ...
    threshold_denominator: SafeInt
    strict: bool  # "more than" (True) or "at least" (False)
    base_size: SafeInt  # how many the share is of: the roster, less withdrawn unless counted
    votes_needed: SafeInt
    rule: str  # the rule id and version the threshold came from, e.g. "majority@1"
    computed_outcome: str


class Decision(Payload):
    """The result announced at a meeting, with the basis to re-check it."""

    meeting: UUID
    body: UUID
    outcome: Outcome  # as announced
    basis: DecisionBasis


class MatterDeferral(Payload):
    """A sharply divided item is deferred rather than forced (暂缓表决)."""

    meeting: UUID
    reason: Text


class Assignment(Payload):
    """Carrying out: a task given to a member, with a deadline (督查落实)."""

    assignment: UUID
    to: UUID
    task: Text
    deadline: date | None = None


class Progress(Payload):
    """Progress on an assignment; ``completed`` closes it."""

    assignment: UUID
    by: UUID
    summary: Text
    completed: bool = False


class Supervision(Payload):
    """A supervision check (督查) of how the decision is carried out."""

    by: UUID
    summary: Text
    satisfactory: bool = True


class Reconsideration(Payload):
    """The body agreed to reconsider (复议) a decision: the matter may be decided again."""

    meeting: UUID
    body: UUID
    votes_for: SafeInt
    roster_size: SafeInt
    reason: Text


class Change(Payload):
    """A later adjustment or change of the decision (调整或变更), by a body at a meeting."""

    body: UUID
    meeting: UUID | None = None
    summary: Text
    material: MaterialDigest | None = None
    major: bool = True


class Revocation(Payload):
    """The decision is revoked, by a body at a meeting."""

    body: UUID
    meeting: UUID | None = None
    reason: Text


class Publication(Payload):
    """The decision was made public (向社会公布)."""

    channel: Text


class Matter(Aggregate):
    """A matter for decision (议题) and its whole file."""

    class Opened(LedgerCreated):
        TYPE = "matter.opened"
        PAYLOAD = MatterOpened

        def apply(self, aggregate: Matter) -> None:
            aggregate.opened = self.payload
            aggregate.state = MatterState.OPEN
            aggregate.decisions = []
            aggregate.assignments = {}
            aggregate.open_assignments = set()

    class ResearchRecorded(LedgerEvent):
        TYPE = "matter.research_recorded"
        PAYLOAD = Research

    class AlternativeAdded(LedgerEvent):
        TYPE = "matter.alternative_added"
        PAYLOAD = Alternative

    class Consulted(LedgerEvent):
        TYPE = "matter.consulted"
        PAYLOAD = Consultation

    class CrossPortfolioConsulted(LedgerEvent):
        TYPE = "matter.cross_portfolio_consulted"
        PAYLOAD = CrossPortfolioConsultation

    class Proposed(LedgerEvent):
        TYPE = "matter.proposed"
        PAYLOAD = Proposal

    class Coordinated(LedgerEvent):
        TYPE = "matter.coordinated"
        PAYLOAD = Coordination

    class AgendaApproved(LedgerEvent):
        TYPE = "matter.agenda_approved"
        PAYLOAD = AgendaApproval

    class Decided(LedgerEvent):
        TYPE = "matter.decided"
        PAYLOAD = Decision

        def apply(self, aggregate: Matter) -> None:
            aggregate.state = MatterState(self.payload.outcome.value)
            aggregate.decisions.append(self.payload)

    class Deferred(LedgerEvent):
        TYPE = "matter.deferred"
        PAYLOAD = MatterDeferral

    class AssignmentMade(LedgerEvent):
        TYPE = "matter.assignment_made"
        PAYLOAD = Assignment

        def apply(self, aggregate: Matter) -> None:
            aggregate.assignments[self.payload.assignment] = self.payload
            aggregate.open_assignments.add(self.payload.assignment)

    class ProgressReported(LedgerEvent):
        TYPE = "matter.progress_reported"
        PAYLOAD = Progress

        def apply(self, aggregate: Matter) -> None:
            if self.payload.completed:
                aggregate.open_assignments.discard(self.payload.assignment)

    class SupervisionChecked(LedgerEvent):
        TYPE = "matter.supervision_checked"
        PAYLOAD = Supervision

    class ReconsiderationAgreed(LedgerEvent):
        TYPE = "matter.reconsideration_agreed"
        PAYLOAD = Reconsideration

        def apply(self, aggregate: Matter) -> None:
            aggregate.state = MatterState.OPEN

    class Changed(LedgerEvent):
        TYPE = "matter.changed"
        PAYLOAD = Change

    class Revoked(LedgerEvent):
        TYPE = "matter.revoked"
        PAYLOAD = Revocation

        def apply(self, aggregate: Matter) -> None:
            aggregate.state = MatterState.REVOKED

    class Published(LedgerEvent):
        TYPE = "matter.published"
        PAYLOAD = Publication

    opened: MatterOpened
    state: MatterState
    decisions: list[Decision]
    assignments: dict[UUID, Assignment]
    open_assignments: set[UUID]

    def __init__(self) -> None:
        pass

    @property
    def title(self) -> str:
        return self.opened.title

    @classmethod
    def open(cls, matter_id: UUID, payload: MatterOpened, envelope: Envelope) -> Matter:
        """Raise a matter."""
        return cls._create(cls.Opened, id=matter_id, **envelope_kwargs(envelope, payload))

    def record(self, payload: Payload, envelope: Envelope) -> None:
        """Record a preparation act (research, alternative, consultation, proposal, ...)."""
        event_class = _PREPARATION.get(type(payload))
        if event_class is None:
            raise TypeError(f"{type(payload).__name__} is not a preparation act")
        if self.state is MatterState.REVOKED:
            raise MatterStateError(
                f"matter {self.title!r} was revoked; open a new matter",
                zh=f"议题《{self.title}》已撤销；请另立新议题",
            )
        self.trigger_event(event_class, **envelope_kwargs(envelope, payload))

    def decide(self, payload: Decision, envelope: Envelope) -> None:
        """Record the announced result of a vote."""
        if self.state is not MatterState.OPEN:
            raise MatterStateError(
                f"matter {self.title!r} is already {self.state.value}; "
                "it can only be decided again after a reconsideration (复议) is agreed",
                zh=f"议题《{self.title}》{STATE_ZH[self.state]}；须经同意复议，才能再次作出决策",
            )
        self.trigger_event(self.Decided, **envelope_kwargs(envelope, payload))

    def defer(self, payload: MatterDeferral, envelope: Envelope) -> None:
        """Defer a sharply divided item."""
        self._require(MatterState.OPEN, "deferred", "暂缓表决")
        self.trigger_event(self.Deferred, **envelope_kwargs(envelope, payload))

    def assign(self, payload: Assignment, envelope: Envelope) -> None:
        """Give a task to carry out the adopted decision."""
        self._require(MatterState.ADOPTED, "carried out", "落实")
        if payload.assignment in self.assignments:
            raise MatterStateError(
                f"assignment {payload.assignment} already exists",
                zh=f"落实任务 {payload.assignment} 已经存在",
            )
        self.trigger_event(self.AssignmentMade, **envelope_kwargs(envelope, payload))

    def report_progress(self, payload: Progress, envelope: Envelope) -> None:
        """Report progress on an assignment."""
        if payload.assignment not in self.assignments:
            raise MatterStateError(
                f"no assignment {payload.assignment} on matter {self.title!r}",
                zh=f"议题《{self.title}》没有落实任务 {payload.assignment}",
            )
        if payload.assignment not in self.open_assignments:
            raise MatterStateError(
                f"assignment {payload.assignment} was already completed",
                zh=f"落实任务 {payload.assignment} 已经完成",
            )
        self.trigger_event(self.ProgressReported, **envelope_kwargs(envelope, payload))

    def check_supervision(self, payload: Supervision, envelope: Envelope) -> None:
        """Record a supervision check."""
        self._require(MatterState.ADOPTED, "supervised", "督查")
        self.trigger_event(self.SupervisionChecked, **envelope_kwargs(envelope, payload))

    def reconsider(self, payload: Reconsideration, envelope: Envelope) -> None:
        """Reopen a decided matter for a new decision (复议)."""
        if self.state not in (MatterState.ADOPTED, MatterState.REJECTED):
            raise MatterStateError(
                f"matter {self.title!r} is {self.state.value}: only a decision can be reconsidered",
                zh=f"议题《{self.title}》{STATE_ZH[self.state]}：只有已作出的决策才能复议",
            )
        self.trigger_event(self.ReconsiderationAgreed, **envelope_kwargs(envelope, payload))

    def change(self, payload: Change, envelope: Envelope) -> None:
        """Adjust or change the adopted decision."""
        self._require(MatterState.ADOPTED, "changed", "调整或变更")
        self.trigger_event(self.Changed, **envelope_kwargs(envelope, payload))

    def revoke(self, payload: Revocation, envelope: Envelope) -> None:
        """Revoke the adopted decision."""
        self._require(MatterState.ADOPTED, "revoked", "撤销")
        self.trigger_event(self.Revoked, **envelope_kwargs(envelope, payload))

    def publish(self, payload: Publication, envelope: Envelope) -> None:
        """Make the decision public."""
        if self.state not in (MatterState.ADOPTED, MatterState.REVOKED):
            raise MatterStateError(
                f"matter {self.title!r} has no decision to publish",
                zh=f"议题《{self.title}》没有可以公开的决策",
            )
        self.trigger_event(self.Published, **envelope_kwargs(envelope, payload))

    def _require(self, state: MatterState, verb: str, verb_zh: str) -> None:
        """Refuse unless the matter is in ``state``; ``verb`` and ``verb_zh`` say what the act
        would do, in English and in Chinese."""
        if self.state is not state:
            raise MatterStateError(
                f"matter {self.title!r} is {self.state.value}; only an {state.value} matter "
                f"can be {verb}",
                zh=f"议题《{self.title}》{STATE_ZH[self.state]}；只有{STATE_ZH[state]}的议题"
                f"才能{verb_zh}",
            )


_PREPARATION: dict[type[Payload], type[LedgerEvent]] = {
    Research: Matter.ResearchRecorded,
    Alternative: Matter.AlternativeAdded,
    Consultation: Matter.Consulted,
    CrossPortfolioConsultation: Matter.CrossPortfolioConsulted,
    Proposal: Matter.Proposed,
    Coordination: Matter.Coordinated,
    AgendaApproval: Matter.AgendaApproved,
}
