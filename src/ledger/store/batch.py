"""A batch of acts, applied in order to the aggregates they touch and saved as one atomic write.

Every act is checked by its aggregate before its event is triggered; the first act that cannot be
(an unknown member, a vote by someone absent, a tally that does not add up ...) stops the batch
with a clear error naming the act, and nothing at all is written. Events are saved in the order
the acts were given, so the log reads as the proceedings happened.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from ledger.domain import EVENT_TYPES
from ledger.domain.body import Body, BodyEstablished
from ledger.domain.correction import (
    CORRECTION_FORMAT,
    Correction,
    CorrectionRecorded,
    FieldChange,
    check_change,
    describe,
)
from ledger.domain.delegation import Delegation, DelegationWithdrawn
from ledger.domain.emergency import EmergencyAction
from ledger.domain.events import OFFICE, Payload
from ledger.domain.matter import STATE_ZH as MATTER_STATE_ZH
from ledger.domain.matter import (
    Assignment,
    Decision,
    DecisionBasis,
    Matter,
    MatterDeferral,
    MatterState,
    Outcome,
    Reconsideration,
)
from ledger.domain.meeting import (
    Absence,
    Announcement,
    Ballot,
    Deferral,
    Meeting,
    MeetingOpened,
    Vote,
)
from ledger.domain.member import Member
from ledger.domain.report import Report
from ledger.domain.review import Responsibility, Review, ReviewConcluded
from ledger.domain.rules.catalogue import RULES_BY_ID
from ledger.domain.rules.thresholds import Share
from ledger.domain.transcription import Transcription, TranscriptionRecorded
from ledger.errors import (
    CorrectionFieldError,
    DomainRuleError,
    InputError,
    LedgerError,
    MatterStateError,
    UnknownBodyError,
    UnknownMatterError,
    UnknownMeetingError,
    UnknownMemberError,
    UnknownRecordError,
    zh_text,
)
from ledger.i18n import term
from ledger.integrity.keys import SigningKey
from ledger.record import acts as a
from ledger.store.application import LedgerApplication

A = TypeVar("A", bound=Aggregate)

_KIND_OF_CLASS = {"emergencyaction": "emergency action"}
"""A refusal names what an id is by its aggregate's class name; the catalogue's word for it."""


def _kind_zh(kind: str) -> str:
    """What a reference names, in Chinese: the catalogue's ``kind.*`` word (ledger/i18n.py)."""
    return term("zh", "kind", _KIND_OF_CLASS.get(kind, kind))


class ActError(InputError):
    """An act in a batch was refused; carries its index (0-based) in the batch."""

    def __init__(self, index: int, act: str, cause: LedgerError) -> None:
        super().__init__(
            f"act {index + 1} ({act}): {cause}",
            zh=f"第 {index + 1} 项行为（{act}）：{zh_text(cause)}",
        )
        self.index = index
        self.cause = cause


class Batch:
    """Applies acts in order; :meth:`commit` saves everything, or nothing."""

    def __init__(
        self,
        app: LedgerApplication,
        *,
        resolve_material: Callable[[str], str],
        parameters: Mapping[str, Mapping[str, Any]],
        ruleset_version: str = "default",
        now: datetime | None = None,
        signers: Mapping[UUID, SigningKey] | None = None,
    ) -> None:
        self.app = app
        self.resolve_material = resolve_material
        self.parameters = parameters
        self.ruleset_version = ruleset_version
        self.now = now or datetime.now(UTC)
        self.signers = dict(signers or {})
        self.aliases: dict[str, UUID] = {}
        self.loaded: dict[UUID, Aggregate] = {}
        self.events: list[Any] = []
        self.created: list[tuple[str, UUID]] = []
        self.signed_by: set[UUID] = set()
        self.transcription: a.TranscriptionSource | None = None

    # --- running --------------------------------------------------------------------------

    def apply_all(self, acts: tuple[a.Act, ...] | list[a.Act]) -> None:
        """Apply every act, naming the first that is refused."""
        for index, act in enumerate(acts):
            try:
                self.apply(act)
            except LedgerError as e:
                raise ActError(index, act.act, e) from e

    def apply(self, act: a.Act) -> None:
        """Apply one act."""
        handler = _HANDLERS[type(act)]
        touched: list[Aggregate] = handler(self, act)
        for aggregate in touched:
            self.events.extend(aggregate.collect_events())

    def transcribe(self, source: a.TranscriptionSource) -> None:
        """Mark the batch a transcription of ``source``: one ``transcription.recorded`` event,
        saying how many events follow it, is saved first, in the same transaction."""
        self.transcription = source

    def commit(self) -> int:
        """Save all events of the batch in one transaction; returns how many."""
        events = list(self.events)
        if events and self.transcription is not None:
            events.insert(0, self._transcription_event(self.transcription, len(events)))
        if events:
            self.app.store(*events)
        self.events = []
        return len(events)

    def _transcription_event(self, source: a.TranscriptionSource, count: int) -> Any:
        payload = TranscriptionRecorded(
            source=source.source,
            reference=source.reference,
            scan=self.resolve_material(source.scan) if source.scan else None,
            clerk=source.clerk,
            events=count,
        )
        stream = uuid4()
        envelope = self.app.envelope(
            stream, Transcription.Recorded, payload, actor=OFFICE, occurred_at=self.now
        )
        transcription = Transcription.record(stream, payload, envelope)
        self.created.append(("transcription", stream))
        return transcription.collect_events()[0]

    # --- helpers --------------------------------------------------------------------------

    def at(self, act: a.ActBase) -> datetime:
        return act.at or self.now

    def envelope(
        self, act: a.ActBase, stream: UUID, event_class: type[Any], payload: Payload, actor: str
    ) -> Any:
        signer = None
        try:
            signer = self.signers.get(UUID(actor))
        except ValueError:
            signer = None
        if signer is not None:
            self.signed_by.add(UUID(actor))
        return self.app.envelope(
            stream, event_class, payload, actor=actor, occurred_at=self.at(act), signer=signer
        )

    def name(self, alias: str | None, new_id: UUID, kind: str) -> None:
        if alias is not None:
            if alias in self.aliases:
                raise DomainRuleError(
                    f"the alias {alias!r} is used twice in this document",
                    zh=f"别名 {alias!r} 在本文档中用了两次",
                )
            self.aliases[alias] = new_id
        self.created.append((kind, new_id))

    def ident(self, ref: str, what: str, error: type[LedgerError]) -> UUID:
        if ref in self.aliases:
            return self.aliases[ref]
        try:
            return UUID(ref)
        except ValueError:
            raise error(
                f"unknown {what} {ref!r}: it is not an id, and no earlier act in this document "
                f"is named so (name one with `as: {ref}`)",
                zh=f"未知的{_kind_zh(what)} {ref!r}：它不是标识，本文档中此前也没有"
                f"以此命名的行为（用 `as: {ref}` 给行为命名）",
            ) from None

    def get(self, cls: type[A], ref: str, what: str, error: type[LedgerError]) -> A:
        ident = self.ident(ref, what, error)
        aggregate = self.loaded.get(ident)
        if aggregate is None:
            try:
                aggregate = self.app.repository.get(ident)
            except AggregateNotFoundError:
                raise error(
                    f"no {what} {ref!r} in this ledger",
                    zh=f"本台账中没有{_kind_zh(what)} {ref!r}",
                ) from None
            self.loaded[ident] = aggregate
        if not isinstance(aggregate, cls):
            kind = type(aggregate).__name__.lower()
            raise error(
                f"{ref!r} is a {kind}, not a {what}",
                zh=f"{ref!r} 是{_kind_zh(kind)}，不是{_kind_zh(what)}",
            )
        return aggregate

    def new(self, aggregate: A) -> A:
        self.loaded[aggregate.id] = aggregate
        return aggregate

    def member(self, ref: str) -> UUID:
        member = self.get(Member, ref, "member", UnknownMemberError)
        if not member.active:
            raise UnknownMemberError(
                f"member {member.name} ({ref}) has left the committee",
                zh=f"委员{member.name}（{ref}）已离任",
            )
        return member.id

    def body(self, ref: str) -> Body:
        return self.get(Body, ref, "body", UnknownBodyError)

    def matter(self, ref: str) -> Matter:
        return self.get(Matter, ref, "matter", UnknownMatterError)

    def meeting(self, ref: str) -> Meeting:
        return self.get(Meeting, ref, "meeting", UnknownMeetingError)

    def materials(self, items: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(self.resolve_material(m) for m in items)

    def material(self, item: str | None) -> str | None:
        return self.resolve_material(item) if item is not None else None

    def param(self, rule: str, name: str) -> Any:
        return self.parameters.get(rule, {}).get(name, RULES_BY_ID[rule].parameters[name])


# --- handlers: one per act, each returns the aggregates it touched, in order ----------------

Handler = Callable[[Batch, Any], list[Aggregate]]
_HANDLERS: dict[type[Any], Handler] = {}


def handles(act_class: type[Any]) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        _HANDLERS[act_class] = function
        return function

    return register


# --- plain acts: one route each -----------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """How a plain act becomes its event: resolve the act's references (in the order given, so
    the first bad one is the one refused), copy its other fields into the event's payload by
    name, and call one verb of the aggregate the act names (``target``) or creates."""

    event: type[Any]
    """The event class; its ``PAYLOAD`` is built, its aggregate is acted on or created."""
    verb: str
    """The aggregate method called with ``(payload, envelope)`` (a classmethod when creating,
    called with the new id first)."""
    target: str | None = None
    """The act field naming the aggregate acted on; ``None``: the act creates one."""
    refs: tuple[tuple[str, str], ...] = ()
    """``(field, kind)`` of each reference, resolved in this order (kinds: ``_RESOLVE``)."""
    actor: str | None = None
    """The payload field naming who acted; ``None``: the general office."""
    at: tuple[str, ...] = ()
    """Payload fields that take the act's time."""
    target_last: bool = False
    """Load the target after the references (the matter's preparatory acts)."""
    alias: str | None = None
    """When creating: what the act's alias names (``member``, ``meeting`` ...)."""
    name_first: bool = False
    """When creating: take the alias before the aggregate's own checks."""


_RESOLVE: dict[str, Callable[[Batch, Any], Any]] = {
    "member": lambda b, ref: b.member(ref),
    "body": lambda b, ref: b.body(ref).id,
    "matter": lambda b, ref: b.matter(ref).id,
    "matters": lambda b, refs: tuple(b.matter(ref).id for ref in refs),
    "meeting": lambda b, ref: b.meeting(ref).id,
    "delegation": lambda b, ref: b.get(Delegation, ref, "delegation", UnknownRecordError).id,
    "assignment": lambda b, ref: b.ident(ref, "assignment", UnknownRecordError),
    "material": lambda b, ref: b.material(ref),
    "materials": lambda b, refs: b.materials(refs),
}
"""How a reference of each kind is resolved (an absent optional reference stays ``None``)."""

_TARGETS: dict[type[Aggregate], tuple[str, type[LedgerError]]] = {
    Member: ("member", UnknownMemberError),
    Matter: ("matter", UnknownMatterError),
    Meeting: ("meeting", UnknownMeetingError),
    EmergencyAction: ("emergency action", UnknownRecordError),
}
"""What an act's target is called in a refusal, and the error naming an unknown one."""


def follow(b: Batch, act: a.ActBase, route: Route) -> list[Aggregate]:
    """Apply a plain act by its route."""
    aggregate_class = EVENT_TYPES[route.event.TYPE].aggregate_class
    target: Aggregate | None = None
    if route.target is not None and not route.target_last:
        target = _target(b, act, route, aggregate_class)
    values: dict[str, Any] = {}
    for field, kind in route.refs:
        ref = getattr(act, field)
        values[field] = None if ref is None else _RESOLVE[kind](b, ref)
    for field in route.at:
        values[field] = b.at(act)
    for field in route.event.PAYLOAD.model_fields:
        if field not in values and field in type(act).model_fields:
            values[field] = getattr(act, field)
    payload = route.event.PAYLOAD(**values)
    actor = OFFICE if route.actor is None else str(values[route.actor])
    if route.target is not None:
        if target is None:
            target = _target(b, act, route, aggregate_class)
        envelope = b.envelope(act, target.id, route.event, payload, actor)
        getattr(target, route.verb)(payload, envelope)
        return [target]
    new_id = uuid4()
    envelope = b.envelope(act, new_id, route.event, payload, actor)
    alias = getattr(act, "alias", None)
    if route.name_first:
        b.name(alias, new_id, route.alias or "")
    created = getattr(aggregate_class, route.verb)(new_id, payload, envelope)
    if not route.name_first:
        b.name(alias, new_id, route.alias or "")
    return [b.new(created)]


def _target(b: Batch, act: a.ActBase, route: Route, aggregate_class: type[Aggregate]) -> Aggregate:
    what, error = _TARGETS[aggregate_class]
    return b.get(aggregate_class, getattr(act, str(route.target)), what, error)


_BY = (("by", "member"),)
_MEMBER_ITEM = (("member", "member"), ("item", "matter"))

ROUTES: dict[type[a.ActBase], Route] = {
    a.RegisterMember: Route(Member.Registered, "register", alias="member", name_first=True),
    a.AssignMember: Route(Member.Assigned, "assign", target="member"),
    a.GrantDelegation: Route(
        Delegation.Granted,
        "grant",
        refs=(("grantor", "member"), ("grantee", "member")),
        actor="grantor",
        alias="delegation",
        name_first=True,
    ),
    a.OpenMatter: Route(
        Matter.Opened,
        "open",
        refs=(("body", "body"), ("in_charge", "member")),
        actor="in_charge",
        alias="matter",
        name_first=True,
    ),
    # the matter's preparation (Matter.record): references first, then the matter
    a.RecordResearch: Route(
        Matter.ResearchRecorded,
        "record",
        "matter",
        (*_BY, ("materials", "materials")),
        "by",
        target_last=True,
    ),
    a.AddAlternative: Route(
        Matter.AlternativeAdded, "record", "matter", (("material", "material"),), target_last=True
    ),
    a.Consult: Route(
        Matter.Consulted, "record", "matter", (("materials", "materials"),), target_last=True
    ),
    a.ConsultAcrossPortfolio: Route(
        Matter.CrossPortfolioConsulted,
        "record",
        "matter",
        (("member", "member"),),
        "member",
        target_last=True,
    ),
    a.Propose: Route(Matter.Proposed, "record", "matter", _BY, "by", target_last=True),
    a.Coordinate: Route(Matter.Coordinated, "record", "matter", _BY, "by", target_last=True),
    a.ApproveAgenda: Route(
        Matter.AgendaApproved,
        "record",
        "matter",
        (*_BY, ("delegation", "delegation"), ("meeting", "meeting")),
        "by",
        target_last=True,
    ),
    # the matter after its decision
    a.ReportProgress: Route(
        Matter.ProgressReported,
        "report_progress",
        "matter",
        (*_BY, ("assignment", "assignment")),
        "by",
    ),
    a.Supervise: Route(Matter.SupervisionChecked, "check_supervision", "matter", _BY, "by"),
    a.ChangeDecision: Route(
        Matter.Changed,
        "change",
        "matter",
        (("body", "body"), ("meeting", "meeting"), ("material", "material")),
    ),
    a.RevokeDecision: Route(
        Matter.Revoked, "revoke", "matter", (("body", "body"), ("meeting", "meeting"))
    ),
    a.PublishDecision: Route(Matter.Published, "publish", "matter"),
    # meetings
    a.ScheduleMeeting: Route(
        Meeting.Scheduled,
        "schedule",
        refs=(("body", "body"), ("chair", "member"), ("agenda", "matters")),
        alias="meeting",
    ),
    a.AddItem: Route(Meeting.ItemAdded, "add_item", "meeting", (("matter", "matter"),)),
    a.SendNotice: Route(
        Meeting.NoticeSent,
        "send_notice",
        "meeting",
        (("materials", "materials"),),
        at=("sent_at",),
    ),
    a.DeclareInterest: Route(
        Meeting.InterestDeclared, "declare_interest", "meeting", _MEMBER_ITEM, "member"
    ),
    a.Withdraw: Route(
        Meeting.WithdrawalDeclared, "declare_withdrawal", "meeting", _MEMBER_ITEM, "member"
    ),
    a.Present: Route(
        Meeting.Presented,
        "present_item",
        "meeting",
        (*_BY, ("item", "matter"), ("materials", "materials")),
        "by",
    ),
    a.StateOpinion: Route(
        Meeting.OpinionStated, "state_opinion", "meeting", _MEMBER_ITEM, "member"
    ),
    a.SubmitWrittenView: Route(
        Meeting.WrittenViewSubmitted, "submit_written_view", "meeting", _MEMBER_ITEM, "member"
    ),
    a.CloseMeeting: Route(Meeting.Closed, "close", "meeting", at=("closed_at",)),
    a.IssueMinutes: Route(
        Meeting.MinutesIssued,
        "issue_minutes",
        "meeting",
        (*_BY, ("material", "material")),
        "by",
        at=("issued_at",),
    ),
    # emergencies, reports, reviews
    a.TakeEmergencyAction: Route(
        EmergencyAction.Taken,
        "take",
        refs=(*_BY, ("matter", "matter"), ("materials", "materials")),
        actor="by",
        at=("taken_at",),
        alias="emergency action",
    ),
    a.ReportEmergency: Route(
        EmergencyAction.Reported,
        "report",
        "action",
        (*_BY, ("meeting", "meeting")),
        "by",
        at=("reported_at",),
    ),
    a.AcknowledgeEmergency: Route(
        EmergencyAction.Acknowledged, "acknowledge", "action", (("meeting", "meeting"),)
    ),
    a.DeliverReport: Route(
        Report.Delivered,
        "deliver",
        refs=(*_BY, ("to_body", "body"), ("meeting", "meeting"), ("material", "material")),
        actor="by",
        alias="report",
    ),
    a.OpenReview: Route(
        Review.Opened,
        "open",
        refs=(("opened_by", "member"), ("matter", "matter")),
        actor="opened_by",
        alias="review",
    ),
}
"""Every plain act's route; acts with logic of their own (votes, announcements, deferrals,
corrections ...) have a handler below instead (a handler may check, then follow its route)."""


def _routed(route: Route) -> Handler:
    def handle(b: Batch, act: Any) -> list[Aggregate]:
        return follow(b, act, route)

    return handle


# --- acts with logic of their own ------------------------------------------------------------


@handles(a.MemberLeaves)
def _member_leaves(b: Batch, act: a.MemberLeaves) -> list[Aggregate]:
    member = b.get(Member, act.member, "member", UnknownMemberError)
    member.leave(act.reason, b.envelope(act, member.id, Member.Left, _Empty(), OFFICE))
    return [member]


@handles(a.EstablishBody)
def _establish_body(b: Batch, act: a.EstablishBody) -> list[Aggregate]:
    new_id = uuid4()
    payload = BodyEstablished(kind=act.kind, name=act.name)
    body = Body.establish(
        new_id, payload, b.envelope(act, new_id, Body.Established, payload, OFFICE)
    )
    b.name(act.alias, new_id, "body")
    for ref in act.members:
        member = b.member(ref)
        body.add_member(member, b.envelope(act, new_id, Body.MemberJoined, _Empty(), OFFICE))
    return [b.new(body)]


@handles(a.JoinBody)
def _join_body(b: Batch, act: a.JoinBody) -> list[Aggregate]:
    body = b.body(act.body)
    body.add_member(
        b.member(act.member), b.envelope(act, body.id, Body.MemberJoined, _Empty(), OFFICE)
    )
    return [body]


@handles(a.LeaveBody)
def _leave_body(b: Batch, act: a.LeaveBody) -> list[Aggregate]:
    body = b.body(act.body)
    member = b.get(Member, act.member, "member", UnknownMemberError).id
    body.remove_member(
        member, act.reason, b.envelope(act, body.id, Body.MemberLeft, _Empty(), OFFICE)
    )
    return [body]


@handles(a.WithdrawDelegation)
def _withdraw_delegation(b: Batch, act: a.WithdrawDelegation) -> list[Aggregate]:
    delegation = b.get(Delegation, act.delegation, "delegation", UnknownRecordError)
    payload = DelegationWithdrawn(reason=act.reason)
    delegation.withdraw(
        payload,
        b.envelope(
            act, delegation.id, Delegation.Withdrawn, payload, str(delegation.granted.grantor)
        ),
    )
    return [delegation]


@handles(a.Consult)
def _consult(b: Batch, act: a.Consult) -> list[Aggregate]:
    if act.opened_on and act.closed_on and act.closed_on < act.opened_on:
        raise DomainRuleError(
            f"the consultation closes ({act.closed_on}) before it opens ({act.opened_on})",
            zh=f"咨询的截止日期（{act.closed_on}）早于开始日期（{act.opened_on}）",
        )
    return follow(b, act, ROUTES[a.Consult])


@handles(a.AssignTask)
def _assign_task(b: Batch, act: a.AssignTask) -> list[Aggregate]:
    matter = b.matter(act.matter)
    new_id = uuid4()
    payload = Assignment(
        assignment=new_id, to=b.member(act.to), task=act.task, deadline=act.deadline
    )
    matter.assign(payload, b.envelope(act, matter.id, Matter.AssignmentMade, payload, OFFICE))
    b.name(act.alias, new_id, "assignment")
    return [matter]


@handles(a.Reconsider)
def _reconsider(b: Batch, act: a.Reconsider) -> list[Aggregate]:
    matter = b.matter(act.matter)
    meeting = b.meeting(act.meeting)
    payload = Reconsideration(
        meeting=meeting.id,
        body=meeting.body,
        votes_for=act.votes_for,
        roster_size=len(meeting.roster),
        reason=act.reason,
    )
    matter.reconsider(
        payload, b.envelope(act, matter.id, Matter.ReconsiderationAgreed, payload, OFFICE)
    )
    return [matter]


@handles(a.OpenMeeting)
def _open_meeting(b: Batch, act: a.OpenMeeting) -> list[Aggregate]:
    meeting = b.meeting(act.meeting)
    body = b.get(Body, str(meeting.body), "body", UnknownBodyError)
    payload = MeetingOpened(
        opened_at=b.at(act),
        roster=tuple(body.members),
        present=tuple(b.member(ref) for ref in act.present),
        absent=tuple(
            Absence(member=b.member(x.member), reason=x.reason, on_leave=x.on_leave)
            for x in act.absent
        ),
    )
    meeting.open(payload, b.envelope(act, meeting.id, Meeting.Opened, payload, OFFICE))
    return [meeting]


@handles(a.DeferItem)
def _defer(b: Batch, act: a.DeferItem) -> list[Aggregate]:
    meeting = b.meeting(act.meeting)
    matter = b.matter(act.item)
    payload = Deferral(item=matter.id, reason=act.reason)
    meeting.defer_item(payload, b.envelope(act, meeting.id, Meeting.ItemDeferred, payload, OFFICE))
    deferral = MatterDeferral(meeting=meeting.id, reason=act.reason)
    matter.defer(deferral, b.envelope(act, matter.id, Matter.Deferred, deferral, OFFICE))
    return [meeting, matter]


@handles(a.TakeVote)
def _vote(b: Batch, act: a.TakeVote) -> list[Aggregate]:
    meeting = b.meeting(act.meeting)
    items = [b.matter(ref) for ref in (act.item, *act.bundled_with)]
    for matter in items:
        if matter.state is not MatterState.OPEN:
            raise MatterStateError(
                f"matter {matter.title!r} is already {matter.state.value}; "
                "a new vote needs a reconsideration (复议) first",
                zh=f"议题《{matter.title}》{MATTER_STATE_ZH[matter.state]}；"
                "须先同意复议，才能重新表决",
            )
    counted = act.votes_for + act.votes_against + act.abstentions + act.invalid
    payload = Vote(
        item=items[0].id,
        method=act.method,
        ballots_cast=act.ballots_cast if act.ballots_cast is not None else counted,
        votes_for=act.votes_for,
        votes_against=act.votes_against,
        abstentions=act.abstentions,
        invalid=act.invalid,
        ballots=tuple(Ballot(member=b.member(x.member), choice=x.choice) for x in act.ballots),
        bundled_with=tuple(m.id for m in items[1:]),
    )
    meeting.take_vote(payload, b.envelope(act, meeting.id, Meeting.VoteTaken, payload, OFFICE))
    return [meeting]


@handles(a.Announce)
def _announce(b: Batch, act: a.Announce) -> list[Aggregate]:
    meeting = b.meeting(act.meeting)
    matter = b.matter(act.item)
    by = b.member(act.by)
    payload = Announcement(item=matter.id, outcome=act.outcome, by=by, reasons=act.reasons)
    meeting.announce(
        payload, b.envelope(act, meeting.id, Meeting.ResultAnnounced, payload, str(by))
    )
    decision = Decision(
        meeting=meeting.id,
        body=meeting.body,
        outcome=act.outcome,
        basis=decision_basis(b, meeting, matter.id),
    )
    matter.decide(decision, b.envelope(act, matter.id, Matter.Decided, decision, str(by)))
    return [meeting, matter]


def decision_basis(b: Batch, meeting: Meeting, item: UUID) -> DecisionBasis:
    """Rule ``majority``: the count needed from the frozen roster, and what the vote gives."""
    vote = meeting.votes[item]
    share = Share.parse(str(b.param("majority", "share")), bool(b.param("majority", "strict")))
    withdrawn = meeting.withdrawn_from(item)
    count_withdrawn = bool(b.param("majority", "count_withdrawn"))
    base = [m for m in meeting.roster if count_withdrawn or m not in withdrawn]
    needed = share.needed(len(base))
    computed = Outcome.ADOPTED if vote.votes_for >= needed else Outcome.REJECTED
    return DecisionBasis(
        method=vote.method.value,
        roster=meeting.roster,
        present=tuple(m for m in meeting.roster if m in meeting.present),
        absent=tuple(x.member for x in meeting.absences if not x.on_leave),
        on_leave=tuple(x.member for x in meeting.absences if x.on_leave),
        withdrawn=tuple(m for m in meeting.roster if m in withdrawn),
        ballots_cast=vote.ballots_cast,
        votes_for=vote.votes_for,
        votes_against=vote.votes_against,
        abstentions=vote.abstentions,
        invalid=vote.invalid,
        threshold_numerator=share.numerator,
        threshold_denominator=share.denominator,
        strict=share.strict,
        base_size=len(base),
        votes_needed=needed,
        rule=f"majority@{b.ruleset_version}",
        computed_outcome=computed.value,
    )


@handles(a.ConcludeReview)
def _conclude(b: Batch, act: a.ConcludeReview) -> list[Aggregate]:
    review = b.get(Review, act.review, "review", UnknownRecordError)
    payload = ReviewConcluded(
        failed=act.failed,
        conclusion=act.conclusion,
        responsible=tuple(
            Responsibility(
                member=b.get(Member, x.member, "member", UnknownMemberError).id,
                role=x.role,
                degree=x.degree,
                reason=x.reason,
            )
            for x in act.responsible
        ),
        material=b.material(act.material),
    )
    review.conclude(payload, b.envelope(act, review.id, Review.Concluded, payload, OFFICE))
    return [review]


@handles(a.CorrectRecord)
def _correct(b: Batch, act: a.CorrectRecord) -> list[Aggregate]:
    found = b.app.event_at(act.corrects)
    if found is None:
        raise UnknownRecordError(
            f"no event at log position {act.corrects}",
            zh=f"日志中没有序号为 {act.corrects} 的事件",
        )
    event_type = found.header["type"]
    changes = tuple(
        FieldChange(
            field=c.field,
            value=check_change(
                event_type, act.corrects, c.field, c.value, member, found.body.get("payload")
            ),
            member=member,
        )
        for c in act.changes
        for member in [
            b.get(Member, c.member, "member", UnknownMemberError).id if c.member else None
        ]
    )
    if act.correction is None and not changes:
        raise CorrectionFieldError(
            "a correction says what the record should have said: give `correction` (words), "
            "`changes` (fields), or both",
            zh="更正须说明记录应为何：请给出 correction（文字）或 changes（字段），或两者都给",
        )
    new_id = uuid4()
    payload = CorrectionRecorded(
        corrects=act.corrects,
        corrects_hash=found.hash,
        corrects_type=event_type,
        reason=act.reason,
        correction=act.correction or describe(changes),
        material=b.material(act.material),
        changes=changes,
        format=CORRECTION_FORMAT if changes else None,
    )
    correction = Correction.record(
        new_id, payload, b.envelope(act, new_id, Correction.Recorded, payload, OFFICE)
    )
    b.name(act.alias, new_id, "correction")
    return [b.new(correction)]


class _Empty(Payload):
    """No payload needed to build the envelope (the domain method makes the payload)."""


for _act_class, _route in ROUTES.items():
    _HANDLERS.setdefault(_act_class, _routed(_route))

_missing = set(a.Act.__args__[0].__args__) - set(_HANDLERS)
if _missing:  # pragma: no cover - a programming error caught at import
    raise RuntimeError(f"acts without a handler: {sorted(c.__name__ for c in _missing)}")
