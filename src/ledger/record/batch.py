"""A batch of acts, applied in order to the aggregates they touch and saved as one atomic write.

Every act is checked by its aggregate before its event is triggered; the first act that cannot be
(an unknown member, a vote by someone absent, a tally that does not add up ...) stops the batch
with a clear error naming the act, and nothing at all is written. Events are saved in the order
the acts were given, so the log reads as the proceedings happened.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from ledger.domain.body import Body, BodyEstablished
from ledger.domain.correction import (
    CORRECTION_FORMAT,
    Correction,
    CorrectionRecorded,
    FieldChange,
    check_change,
    describe,
)
from ledger.domain.delegation import Delegation, DelegationGranted, DelegationWithdrawn
from ledger.domain.emergency import (
    EmergencyAcknowledged,
    EmergencyAction,
    EmergencyActionTaken,
    EmergencyReported,
)
from ledger.domain.events import OFFICE, Payload
from ledger.domain.matter import STATE_ZH as MATTER_STATE_ZH
from ledger.domain.matter import (
    AgendaApproval,
    Alternative,
    Assignment,
    Change,
    Consultation,
    Coordination,
    CrossPortfolioConsultation,
    Decision,
    DecisionBasis,
    Matter,
    MatterDeferral,
    MatterOpened,
    MatterState,
    Outcome,
    Progress,
    Proposal,
    Publication,
    Reconsideration,
    Research,
    Revocation,
    Supervision,
)
from ledger.domain.meeting import (
    Absence,
    AgendaItem,
    Announcement,
    Ballot,
    Closing,
    Deferral,
    Interest,
    Meeting,
    MeetingOpened,
    MeetingScheduled,
    Minutes,
    Notice,
    Opinion,
    Presentation,
    Vote,
    Withdrawal,
    WrittenView,
)
from ledger.domain.member import Member, MemberAssigned, MemberRegistered
from ledger.domain.report import Report, ReportDelivered
from ledger.domain.review import Responsibility, Review, ReviewConcluded, ReviewOpened
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
from ledger.integrity.keys import SigningKey
from ledger.record import acts as a
from ledger.store.application import LedgerApplication

A = TypeVar("A", bound=Aggregate)

_KIND_ZH = {
    "member": "委员",
    "body": "机构",
    "matter": "议题",
    "meeting": "会议",
    "delegation": "委托",
    "assignment": "落实任务",
    "emergency action": "临机处置",
    "emergencyaction": "临机处置",  # the class name, as a refusal names what an id is
    "report": "报告",
    "review": "责任追究",
    "correction": "更正",
    "key": "密钥",
    "ledger": "台账",
    "ruleset": "规则集",
}
"""What a reference names, in Chinese (the CLI catalogue's ``kind.*`` words)."""


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
                zh=f"未知的{_KIND_ZH.get(what, what)} {ref!r}：它不是标识，本文档中此前也没有"
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
                    zh=f"本台账中没有{_KIND_ZH.get(what, what)} {ref!r}",
                ) from None
            self.loaded[ident] = aggregate
        if not isinstance(aggregate, cls):
            kind = type(aggregate).__name__.lower()
            raise error(
                f"{ref!r} is a {kind}, not a {what}",
                zh=f"{ref!r} 是{_KIND_ZH.get(kind, kind)}，不是{_KIND_ZH.get(what, what)}",
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


@handles(a.RegisterMember)
def _register_member(b: Batch, act: a.RegisterMember) -> list[Aggregate]:
    new_id = uuid4()
    payload = MemberRegistered(name=act.name, title=act.title)
    env = b.envelope(act, new_id, Member.Registered, payload, OFFICE)
    b.name(act.alias, new_id, "member")
    return [b.new(Member.register(new_id, payload, env))]


@handles(a.AssignMember)
def _assign_member(b: Batch, act: a.AssignMember) -> list[Aggregate]:
    member = b.get(Member, act.member, "member", UnknownMemberError)
    payload = MemberAssigned(posts=act.posts, in_charge=act.in_charge, liaison=act.liaison)
    member.assign(payload, b.envelope(act, member.id, Member.Assigned, payload, OFFICE))
    return [member]


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


@handles(a.GrantDelegation)
def _grant(b: Batch, act: a.GrantDelegation) -> list[Aggregate]:
    new_id = uuid4()
    payload = DelegationGranted(
        grantor=b.member(act.grantor),
        grantee=b.member(act.grantee),
        power=act.power,
        valid_from=act.valid_from,
        valid_until=act.valid_until,
        note=act.note,
    )
    env = b.envelope(act, new_id, Delegation.Granted, payload, str(payload.grantor))
    b.name(act.alias, new_id, "delegation")
    return [b.new(Delegation.grant(new_id, payload, env))]


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


@handles(a.OpenMatter)
def _open_matter(b: Batch, act: a.OpenMatter) -> list[Aggregate]:
    new_id = uuid4()
    payload = MatterOpened(
        title=act.title,
        body=b.body(act.body).id,
        in_charge=b.member(act.in_charge),
        summary=act.summary,
        areas=act.areas,
        major=act.major,
        technical=act.technical,
        public_interest=act.public_interest,
        cadre=act.cadre,
        confidential=act.confidential,
    )
    env = b.envelope(act, new_id, Matter.Opened, payload, str(payload.in_charge))
    b.name(act.alias, new_id, "matter")
    return [b.new(Matter.open(new_id, payload, env))]


def _prepare(
    b: Batch, act: a.ActBase, matter_ref: str, payload: Payload, event: type[Any], actor: str
) -> list[Aggregate]:
    matter = b.matter(matter_ref)
    matter.record(payload, b.envelope(act, matter.id, event, payload, actor))
    return [matter]


@handles(a.RecordResearch)
def _research(b: Batch, act: a.RecordResearch) -> list[Aggregate]:
    by = b.member(act.by)
    payload = Research(by=by, summary=act.summary, materials=b.materials(act.materials))
    return _prepare(b, act, act.matter, payload, Matter.ResearchRecorded, str(by))


@handles(a.AddAlternative)
def _alternative(b: Batch, act: a.AddAlternative) -> list[Aggregate]:
    payload = Alternative(title=act.title, summary=act.summary, material=b.material(act.material))
    return _prepare(b, act, act.matter, payload, Matter.AlternativeAdded, OFFICE)


@handles(a.Consult)
def _consult(b: Batch, act: a.Consult) -> list[Aggregate]:
    if act.opened_on and act.closed_on and act.closed_on < act.opened_on:
        raise DomainRuleError(
            f"the consultation closes ({act.closed_on}) before it opens ({act.opened_on})",
            zh=f"咨询的截止日期（{act.closed_on}）早于开始日期（{act.opened_on}）",
        )
    payload = Consultation(
        kind=act.kind,
        party=act.party,
        summary=act.summary,
        outcome=act.outcome,
        materials=b.materials(act.materials),
        opened_on=act.opened_on,
        closed_on=act.closed_on,
        signed_by=act.signed_by,
    )
    return _prepare(b, act, act.matter, payload, Matter.Consulted, OFFICE)


@handles(a.ConsultAcrossPortfolio)
def _cross(b: Batch, act: a.ConsultAcrossPortfolio) -> list[Aggregate]:
    member = b.member(act.member)
    payload = CrossPortfolioConsultation(member=member, opinion=act.opinion)
    return _prepare(b, act, act.matter, payload, Matter.CrossPortfolioConsulted, str(member))


@handles(a.Propose)
def _propose(b: Batch, act: a.Propose) -> list[Aggregate]:
    by = b.member(act.by)
    return _prepare(b, act, act.matter, Proposal(by=by), Matter.Proposed, str(by))


@handles(a.Coordinate)
def _coordinate(b: Batch, act: a.Coordinate) -> list[Aggregate]:
    by = b.member(act.by)
    payload = Coordination(by=by, note=act.note)
    return _prepare(b, act, act.matter, payload, Matter.Coordinated, str(by))


@handles(a.ApproveAgenda)
def _approve(b: Batch, act: a.ApproveAgenda) -> list[Aggregate]:
    by = b.member(act.by)
    delegation = None
    if act.delegation is not None:
        delegation = b.get(Delegation, act.delegation, "delegation", UnknownRecordError).id
    meeting = b.meeting(act.meeting).id if act.meeting is not None else None
    payload = AgendaApproval(by=by, delegation=delegation, meeting=meeting)
    return _prepare(b, act, act.matter, payload, Matter.AgendaApproved, str(by))


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


@handles(a.ReportProgress)
def _progress(b: Batch, act: a.ReportProgress) -> list[Aggregate]:
    matter = b.matter(act.matter)
    by = b.member(act.by)
    assignment = b.ident(act.assignment, "assignment", UnknownRecordError)
    payload = Progress(assignment=assignment, by=by, summary=act.summary, completed=act.completed)
    matter.report_progress(
        payload, b.envelope(act, matter.id, Matter.ProgressReported, payload, str(by))
    )
    return [matter]


@handles(a.Supervise)
def _supervise(b: Batch, act: a.Supervise) -> list[Aggregate]:
    matter = b.matter(act.matter)
    by = b.member(act.by)
    payload = Supervision(by=by, summary=act.summary, satisfactory=act.satisfactory)
    matter.check_supervision(
        payload, b.envelope(act, matter.id, Matter.SupervisionChecked, payload, str(by))
    )
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


@handles(a.ChangeDecision)
def _change(b: Batch, act: a.ChangeDecision) -> list[Aggregate]:
    matter = b.matter(act.matter)
    payload = Change(
        body=b.body(act.body).id,
        meeting=b.meeting(act.meeting).id if act.meeting else None,
        summary=act.summary,
        material=b.material(act.material),
        major=act.major,
    )
    matter.change(payload, b.envelope(act, matter.id, Matter.Changed, payload, OFFICE))
    return [matter]


@handles(a.RevokeDecision)
def _revoke(b: Batch, act: a.RevokeDecision) -> list[Aggregate]:
    matter = b.matter(act.matter)
    payload = Revocation(
        body=b.body(act.body).id,
        meeting=b.meeting(act.meeting).id if act.meeting else None,
        reason=act.reason,
    )
    matter.revoke(payload, b.envelope(act, matter.id, Matter.Revoked, payload, OFFICE))
    return [matter]


@handles(a.PublishDecision)
def _publish(b: Batch, act: a.PublishDecision) -> list[Aggregate]:
    matter = b.matter(act.matter)
    payload = Publication(channel=act.channel)
    matter.publish(payload, b.envelope(act, matter.id, Matter.Published, payload, OFFICE))
    return [matter]


@handles(a.ScheduleMeeting)
def _schedule(b: Batch, act: a.ScheduleMeeting) -> list[Aggregate]:
    new_id = uuid4()
    payload = MeetingScheduled(
        body=b.body(act.body).id,
        title=act.title,
        scheduled_for=act.scheduled_for,
        chair=b.member(act.chair),
        agenda=tuple(b.matter(ref).id for ref in act.agenda),
        place=act.place,
    )
    meeting = Meeting.schedule(
        new_id, payload, b.envelope(act, new_id, Meeting.Scheduled, payload, OFFICE)
    )
    b.name(act.alias, new_id, "meeting")
    return [b.new(meeting)]


@handles(a.AddItem)
def _add_item(b: Batch, act: a.AddItem) -> list[Aggregate]:
    meeting = b.meeting(act.meeting)
    payload = AgendaItem(matter=b.matter(act.matter).id)
    meeting.add_item(payload, b.envelope(act, meeting.id, Meeting.ItemAdded, payload, OFFICE))
    return [meeting]


@handles(a.SendNotice)
def _notice(b: Batch, act: a.SendNotice) -> list[Aggregate]:
    meeting = b.meeting(act.meeting)
    payload = Notice(sent_at=b.at(act), materials=b.materials(act.materials))
    meeting.send_notice(payload, b.envelope(act, meeting.id, Meeting.NoticeSent, payload, OFFICE))
    return [meeting]


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


def _item(b: Batch, ref: str) -> UUID:
    return b.matter(ref).id


@handles(a.DeclareInterest)
def _interest(b: Batch, act: a.DeclareInterest) -> list[Aggregate]:
    meeting = b.meeting(act.meeting)
    member = b.member(act.member)
    payload = Interest(item=_item(b, act.item), member=member, interest=act.interest)
    meeting.declare_interest(
        payload, b.envelope(act, meeting.id, Meeting.InterestDeclared, payload, str(member))
    )
    return [meeting]


@handles(a.Withdraw)
def _withdraw(b: Batch, act: a.Withdraw) -> list[Aggregate]:
    meeting = b.meeting(act.meeting)
    member = b.member(act.member)
    payload = Withdrawal(item=_item(b, act.item), member=member, reason=act.reason)
    meeting.declare_withdrawal(
        payload, b.envelope(act, meeting.id, Meeting.WithdrawalDeclared, payload, str(member))
    )
    return [meeting]


@handles(a.Present)
def _present(b: Batch, act: a.Present) -> list[Aggregate]:
    meeting = b.meeting(act.meeting)
    by = b.member(act.by)
    payload = Presentation(item=_item(b, act.item), by=by, materials=b.materials(act.materials))
    meeting.present_item(payload, b.envelope(act, meeting.id, Meeting.Presented, payload, str(by)))
    return [meeting]


@handles(a.StateOpinion)
def _opinion(b: Batch, act: a.StateOpinion) -> list[Aggregate]:
    meeting = b.meeting(act.meeting)
    member = b.member(act.member)
    payload = Opinion(
        item=_item(b, act.item), member=member, stance=act.stance, summary=act.summary
    )
    meeting.state_opinion(
        payload, b.envelope(act, meeting.id, Meeting.OpinionStated, payload, str(member))
    )
    return [meeting]


@handles(a.SubmitWrittenView)
def _written(b: Batch, act: a.SubmitWrittenView) -> list[Aggregate]:
    meeting = b.meeting(act.meeting)
    member = b.member(act.member)
    payload = WrittenView(
        item=_item(b, act.item), member=member, stance=act.stance, summary=act.summary
    )
    meeting.submit_written_view(
        payload, b.envelope(act, meeting.id, Meeting.WrittenViewSubmitted, payload, str(member))
    )
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


@handles(a.CloseMeeting)
def _close(b: Batch, act: a.CloseMeeting) -> list[Aggregate]:
    meeting = b.meeting(act.meeting)
    payload = Closing(closed_at=b.at(act))
    meeting.close(payload, b.envelope(act, meeting.id, Meeting.Closed, payload, OFFICE))
    return [meeting]


@handles(a.IssueMinutes)
def _minutes(b: Batch, act: a.IssueMinutes) -> list[Aggregate]:
    meeting = b.meeting(act.meeting)
    by = b.member(act.by)
    payload = Minutes(issued_at=b.at(act), by=by, material=b.material(act.material))
    meeting.issue_minutes(
        payload, b.envelope(act, meeting.id, Meeting.MinutesIssued, payload, str(by))
    )
    return [meeting]


@handles(a.TakeEmergencyAction)
def _emergency(b: Batch, act: a.TakeEmergencyAction) -> list[Aggregate]:
    new_id = uuid4()
    by = b.member(act.by)
    payload = EmergencyActionTaken(
        by=by,
        summary=act.summary,
        taken_at=b.at(act),
        matter=b.matter(act.matter).id if act.matter else None,
        materials=b.materials(act.materials),
    )
    action = EmergencyAction.take(
        new_id, payload, b.envelope(act, new_id, EmergencyAction.Taken, payload, str(by))
    )
    b.name(act.alias, new_id, "emergency action")
    return [b.new(action)]


@handles(a.ReportEmergency)
def _report_emergency(b: Batch, act: a.ReportEmergency) -> list[Aggregate]:
    action = b.get(EmergencyAction, act.action, "emergency action", UnknownRecordError)
    by = b.member(act.by)
    payload = EmergencyReported(meeting=b.meeting(act.meeting).id, reported_at=b.at(act), by=by)
    action.report(payload, b.envelope(act, action.id, EmergencyAction.Reported, payload, str(by)))
    return [action]


@handles(a.AcknowledgeEmergency)
def _acknowledge(b: Batch, act: a.AcknowledgeEmergency) -> list[Aggregate]:
    action = b.get(EmergencyAction, act.action, "emergency action", UnknownRecordError)
    payload = EmergencyAcknowledged(
        meeting=b.meeting(act.meeting).id, outcome=act.outcome, note=act.note
    )
    action.acknowledge(
        payload, b.envelope(act, action.id, EmergencyAction.Acknowledged, payload, OFFICE)
    )
    return [action]


@handles(a.DeliverReport)
def _deliver(b: Batch, act: a.DeliverReport) -> list[Aggregate]:
    new_id = uuid4()
    by = b.member(act.by)
    payload = ReportDelivered(
        kind=act.kind,
        by=by,
        to_body=b.body(act.to_body).id,
        meeting=b.meeting(act.meeting).id if act.meeting else None,
        period_start=act.period_start,
        period_end=act.period_end,
        summary=act.summary,
        material=b.material(act.material),
    )
    report = Report.deliver(
        new_id, payload, b.envelope(act, new_id, Report.Delivered, payload, str(by))
    )
    b.name(act.alias, new_id, "report")
    return [b.new(report)]


@handles(a.OpenReview)
def _open_review(b: Batch, act: a.OpenReview) -> list[Aggregate]:
    new_id = uuid4()
    by = b.member(act.opened_by)
    payload = ReviewOpened(matter=b.matter(act.matter).id, reason=act.reason, opened_by=by)
    review = Review.open(new_id, payload, b.envelope(act, new_id, Review.Opened, payload, str(by)))
    b.name(act.alias, new_id, "review")
    return [b.new(review)]


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


_missing = set(a.Act.__args__[0].__args__) - set(_HANDLERS)
if _missing:  # pragma: no cover - a programming error caught at import
    raise RuntimeError(f"acts without a handler: {sorted(c.__name__ for c in _missing)}")
