"""The acts a user records, one model each. A record file (docs/record-format.md) is a list of
these; ``ledger schema`` prints their JSON Schema; the Python API takes them directly.

References (``Ref``) name something already in the ledger by its id (a UUID), or something made
earlier in the same document by its alias (the ``as`` field of the act that made it).
Materials are given by digest (``sha256:...``) or by a file path relative to the document, which
is hashed and kept in the ledger's content store.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from ledger.domain.body import BodyKind
from ledger.domain.emergency import Acknowledgement
from ledger.domain.matter import ConsultationKind, Outcome
from ledger.domain.meeting import Choice, Stance, VoteMethod
from ledger.domain.member import Post
from ledger.domain.report import ReportKind
from ledger.domain.review import Degree

Ref = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Alias = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")]
Material = Annotated[str, StringConstraints(min_length=1, max_length=4096)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]


class ActBase(BaseModel):
    """Fields every act has: when it happened (default: now) and, optionally, an alias."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    at: AwareDatetime | None = Field(
        default=None, description="When the act happened (with a time zone); default: now."
    )


class Aliased(ActBase):
    alias: Alias | None = Field(
        default=None, alias="as", description="A name for what this act creates, usable later."
    )


# --- people and bodies -------------------------------------------------------------------------


class RegisterMember(Aliased):
    act: Literal["member.register"]
    name: Text
    title: str = ""


class AssignMember(ActBase):
    act: Literal["member.assign"]
    member: Ref
    posts: tuple[Post, ...]
    in_charge: tuple[str, ...] = ()
    liaison: tuple[str, ...] = ()


class MemberLeaves(ActBase):
    act: Literal["member.leave"]
    member: Ref
    reason: Text


class EstablishBody(Aliased):
    act: Literal["body.establish"]
    kind: BodyKind
    name: Text
    members: tuple[Ref, ...] = ()


class JoinBody(ActBase):
    act: Literal["body.join"]
    body: Ref
    member: Ref


class LeaveBody(ActBase):
    act: Literal["body.leave"]
    body: Ref
    member: Ref
    reason: str = ""


class GrantDelegation(Aliased):
    act: Literal["delegation.grant"]
    grantor: Ref
    grantee: Ref
    power: str = "agenda_approval"
    valid_from: date
    valid_until: date | None = None
    note: str = ""


class WithdrawDelegation(ActBase):
    act: Literal["delegation.withdraw"]
    delegation: Ref
    reason: str = ""


# --- matters -----------------------------------------------------------------------------------


class OpenMatter(Aliased):
    act: Literal["matter.open"]
    title: Text
    body: Ref
    in_charge: Ref
    summary: str = ""
    areas: tuple[str, ...] = ()
    major: bool = False
    technical: bool = False
    public_interest: bool = False
    cadre: bool = False
    confidential: bool = False


class RecordResearch(ActBase):
    act: Literal["matter.research"]
    matter: Ref
    by: Ref
    summary: Text
    materials: tuple[Material, ...] = ()


class AddAlternative(ActBase):
    act: Literal["matter.alternative"]
    matter: Ref
    title: Text
    summary: str = ""
    material: Material | None = None


class Consult(ActBase):
    act: Literal["matter.consult"]
    matter: Ref
    kind: ConsultationKind
    party: Text
    summary: str = ""
    outcome: str = ""
    materials: tuple[Material, ...] = ()
    opened_on: date | None = None
    closed_on: date | None = None
    signed_by: tuple[str, ...] = ()


class ConsultAcrossPortfolio(ActBase):
    act: Literal["matter.cross_portfolio"]
    matter: Ref
    member: Ref
    opinion: str = ""


class Propose(ActBase):
    act: Literal["matter.propose"]
    matter: Ref
    by: Ref


class Coordinate(ActBase):
    act: Literal["matter.coordinate"]
    matter: Ref
    by: Ref
    note: str = ""


class ApproveAgenda(ActBase):
    act: Literal["matter.approve_agenda"]
    matter: Ref
    by: Ref
    delegation: Ref | None = None


class AssignTask(Aliased):
    act: Literal["matter.assign"]
    matter: Ref
    to: Ref
    task: Text
    deadline: date | None = None


class ReportProgress(ActBase):
    act: Literal["matter.progress"]
    matter: Ref
    assignment: Ref
    by: Ref
    summary: Text
    completed: bool = False


class Supervise(ActBase):
    act: Literal["matter.supervise"]
    matter: Ref
    by: Ref
    summary: Text
    satisfactory: bool = True


class Reconsider(ActBase):
    act: Literal["matter.reconsider"]
    matter: Ref
    meeting: Ref
    votes_for: int = Field(ge=0)
    reason: Text


class ChangeDecision(ActBase):
    act: Literal["matter.change"]
    matter: Ref
    body: Ref
    meeting: Ref | None = None
    summary: Text
    material: Material | None = None
    major: bool = True


class RevokeDecision(ActBase):
    act: Literal["matter.revoke"]
    matter: Ref
    body: Ref
    meeting: Ref | None = None
    reason: Text


class PublishDecision(ActBase):
    act: Literal["matter.publish"]
    matter: Ref
    channel: Text


# --- meetings ----------------------------------------------------------------------------------


class ScheduleMeeting(Aliased):
    act: Literal["meeting.schedule"]
    body: Ref
    title: Text
    scheduled_for: AwareDatetime
    chair: Ref
    agenda: tuple[Ref, ...] = ()
    place: str = ""


class AddItem(ActBase):
    act: Literal["meeting.add_item"]
    meeting: Ref
    matter: Ref


class SendNotice(ActBase):
    act: Literal["meeting.notice"]
    meeting: Ref
    materials: tuple[Material, ...] = ()


class AbsenceEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    member: Ref
    reason: str = ""
    on_leave: bool = False


class OpenMeeting(ActBase):
    act: Literal["meeting.open"]
    meeting: Ref
    present: tuple[Ref, ...]
    absent: tuple[AbsenceEntry, ...] = ()


class DeclareInterest(ActBase):
    act: Literal["meeting.interest"]
    meeting: Ref
    item: Ref
    member: Ref
    interest: Text


class Withdraw(ActBase):
    act: Literal["meeting.withdraw"]
    meeting: Ref
    item: Ref
    member: Ref
    reason: Text


class Present(ActBase):
    act: Literal["meeting.present"]
    meeting: Ref
    item: Ref
    by: Ref
    materials: tuple[Material, ...] = ()


class StateOpinion(ActBase):
    act: Literal["meeting.opinion"]
    meeting: Ref
    item: Ref
    member: Ref
    stance: Stance
    summary: str = ""


class SubmitWrittenView(ActBase):
    act: Literal["meeting.written_view"]
    meeting: Ref
    item: Ref
    member: Ref
    stance: Stance
    summary: str = ""


class DeferItem(ActBase):
    act: Literal["meeting.defer"]
    meeting: Ref
    item: Ref
    reason: Text


class BallotEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    member: Ref
    choice: Choice


class TakeVote(ActBase):
    act: Literal["meeting.vote"]
    meeting: Ref
    item: Ref
    method: VoteMethod
    votes_for: int = Field(ge=0, alias="for")
    votes_against: int = Field(ge=0, alias="against")
    abstentions: int = Field(default=0, ge=0, alias="abstain")
    invalid: int = Field(default=0, ge=0)
    ballots_cast: int | None = Field(default=None, ge=0)
    ballots: tuple[BallotEntry, ...] = ()
    bundled_with: tuple[Ref, ...] = Field(
        default=(), description="Other items decided by this same vote (recorded, and flagged)."
    )


class Announce(ActBase):
    act: Literal["meeting.announce"]
    meeting: Ref
    item: Ref
    outcome: Outcome
    by: Ref
    reasons: str = ""


class CloseMeeting(ActBase):
    act: Literal["meeting.close"]
    meeting: Ref


class IssueMinutes(ActBase):
    act: Literal["meeting.minutes"]
    meeting: Ref
    by: Ref
    material: Material | None = None


# --- emergencies, reports, reviews, rules -----------------------------------------------------


class TakeEmergencyAction(Aliased):
    act: Literal["emergency.act"]
    by: Ref
    summary: Text
    matter: Ref | None = None
    materials: tuple[Material, ...] = ()


class ReportEmergency(ActBase):
    act: Literal["emergency.report"]
    action: Ref
    meeting: Ref
    by: Ref


class AcknowledgeEmergency(ActBase):
    act: Literal["emergency.acknowledge"]
    action: Ref
    meeting: Ref
    outcome: Acknowledgement
    note: str = ""


class DeliverReport(Aliased):
    act: Literal["report.deliver"]
    kind: ReportKind
    by: Ref
    to_body: Ref
    meeting: Ref | None = None
    period_start: date
    period_end: date
    summary: str = ""
    material: Material | None = None


class ResponsibilityEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    member: Ref
    role: Text
    degree: Degree
    reason: str = ""


class OpenReview(Aliased):
    act: Literal["review.open"]
    matter: Ref
    reason: Text
    opened_by: Ref


class ConcludeReview(ActBase):
    act: Literal["review.conclude"]
    review: Ref
    failed: bool
    conclusion: Text
    responsible: tuple[ResponsibilityEntry, ...] = ()
    material: Material | None = None


Act = Annotated[
    RegisterMember
    | AssignMember
    | MemberLeaves
    | EstablishBody
    | JoinBody
    | LeaveBody
    | GrantDelegation
    | WithdrawDelegation
    | OpenMatter
    | RecordResearch
    | AddAlternative
    | Consult
    | ConsultAcrossPortfolio
    | Propose
    | Coordinate
    | ApproveAgenda
    | AssignTask
    | ReportProgress
    | Supervise
    | Reconsider
    | ChangeDecision
    | RevokeDecision
    | PublishDecision
    | ScheduleMeeting
    | AddItem
    | SendNotice
    | OpenMeeting
    | DeclareInterest
    | Withdraw
    | Present
    | StateOpinion
    | SubmitWrittenView
    | DeferItem
    | TakeVote
    | Announce
    | CloseMeeting
    | IssueMinutes
    | TakeEmergencyAction
    | ReportEmergency
    | AcknowledgeEmergency
    | DeliverReport
    | OpenReview
    | ConcludeReview,
    Field(discriminator="act"),
]


class RecordDocument(BaseModel):
    """A record file: a batch of acts recorded atomically, all or none."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["ledger.record/1"] = "ledger.record/1"
    acts: tuple[Act, ...] = Field(min_length=1)


def act_time(act: ActBase, now: datetime) -> datetime:
    """When an act happened: as given, or ``now``."""
    return act.at or now
