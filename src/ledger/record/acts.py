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
from ledger.domain.review import DegreeValue

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
    """Enter a member on the roster (委员)."""

    act: Literal["member.register"]
    name: Text
    title: str = ""


class AssignMember(ActBase):
    """Give a member posts and a portfolio (分工): areas in charge and areas to liaise with."""

    act: Literal["member.assign"]
    member: Ref
    posts: tuple[Post, ...]
    in_charge: tuple[str, ...] = ()
    liaison: tuple[str, ...] = ()


class MemberLeaves(ActBase):
    """A member leaves the committee."""

    act: Literal["member.leave"]
    member: Ref
    reason: Text


class EstablishBody(Aliased):
    """Set up a body: plenary (全委会), standing committee (常委会), preparatory (酝酿会), or an
    organ outside the committee such as the county government (县人民政府, ``government``)."""

    act: Literal["body.establish"]
    kind: BodyKind
    name: Text
    members: tuple[Ref, ...] = ()


class JoinBody(ActBase):
    """A member joins a body."""

    act: Literal["body.join"]
    body: Ref
    member: Ref


class LeaveBody(ActBase):
    """A member leaves a body."""

    act: Literal["body.leave"]
    body: Ref
    member: Ref
    reason: str = ""


class GrantDelegation(Aliased):
    """The secretary delegates a power (agenda approval) to another member for a period."""

    act: Literal["delegation.grant"]
    grantor: Ref
    grantee: Ref
    power: str = "agenda_approval"
    valid_from: date
    valid_until: date | None = None
    note: str = ""


class WithdrawDelegation(ActBase):
    """Withdraw a delegation."""

    act: Literal["delegation.withdraw"]
    delegation: Ref
    reason: str = ""


# --- matters -----------------------------------------------------------------------------------


class OpenMatter(Aliased):
    """Raise a matter for decision (议题): deciding body, member in charge, categories."""

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
    """Record research (调查研究) on a matter."""

    act: Literal["matter.research"]
    matter: Ref
    by: Ref
    summary: Text
    materials: tuple[Material, ...] = ()


class AddAlternative(ActBase):
    """Add an alternative plan (比较方案) to a matter."""

    act: Literal["matter.alternative"]
    matter: Ref
    title: Text
    summary: str = ""
    material: Material | None = None


class Consult(ActBase):
    """Record a consultation: departments, 人大, 政协, experts (专家论证), risk, 公示 ..."""

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
    """Record that a matter was discussed with a member whose portfolio it touches."""

    act: Literal["matter.cross_portfolio"]
    matter: Ref
    member: Ref
    opinion: str = ""


class Propose(ActBase):
    """The member in charge proposes the matter for the agenda."""

    act: Literal["matter.propose"]
    matter: Ref
    by: Ref


class Coordinate(ActBase):
    """The secretary-general coordinates the item (统一协调)."""

    act: Literal["matter.coordinate"]
    matter: Ref
    by: Ref
    note: str = ""


class ApproveAgenda(ActBase):
    """The item is approved for the agenda (审定), by the secretary or under a delegation."""

    act: Literal["matter.approve_agenda"]
    matter: Ref
    by: Ref
    delegation: Ref | None = None
    meeting: Ref | None = Field(
        default=None, description="The meeting the item is approved for (optional)."
    )


class AssignTask(Aliased):
    """Give a task carrying out an adopted decision, with a deadline."""

    act: Literal["matter.assign"]
    matter: Ref
    to: Ref
    task: Text
    deadline: date | None = None


class ReportProgress(ActBase):
    """Report progress on (or completion of) an assignment."""

    act: Literal["matter.progress"]
    matter: Ref
    assignment: Ref
    by: Ref
    summary: Text
    completed: bool = False


class Supervise(ActBase):
    """Record a supervision check (督查) of how a decision is carried out."""

    act: Literal["matter.supervise"]
    matter: Ref
    by: Ref
    summary: Text
    satisfactory: bool = True


class Reconsider(ActBase):
    """Record that a body agreed to reconsider (复议) a decision."""

    act: Literal["matter.reconsider"]
    matter: Ref
    meeting: Ref
    votes_for: int = Field(ge=0)
    reason: Text


class ChangeDecision(ActBase):
    """Record a change of a decision (调整或变更), by a body."""

    act: Literal["matter.change"]
    matter: Ref
    body: Ref
    meeting: Ref | None = None
    summary: Text
    material: Material | None = None
    major: bool = True


class RevokeDecision(ActBase):
    """Record the revocation of a decision, by a body."""

    act: Literal["matter.revoke"]
    matter: Ref
    body: Ref
    meeting: Ref | None = None
    reason: Text


class PublishDecision(ActBase):
    """Record that a decision was made public."""

    act: Literal["matter.publish"]
    matter: Ref
    channel: Text


# --- meetings ----------------------------------------------------------------------------------


class ScheduleMeeting(Aliased):
    """Call a meeting of a body, with its agenda."""

    act: Literal["meeting.schedule"]
    body: Ref
    title: Text
    scheduled_for: AwareDatetime
    chair: Ref
    agenda: tuple[Ref, ...] = ()
    place: str = ""


class AddItem(ActBase):
    """Add an item to a meeting's agenda."""

    act: Literal["meeting.add_item"]
    meeting: Ref
    matter: Ref


class SendNotice(ActBase):
    """Record the notice of a meeting, with its materials (提前通知)."""

    act: Literal["meeting.notice"]
    meeting: Ref
    materials: tuple[Material, ...] = ()


class AbsenceEntry(BaseModel):
    """Someone on the roster who is absent, and why."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    member: Ref
    reason: str = ""
    on_leave: bool = False


class OpenMeeting(ActBase):
    """Open a meeting: who is present, who is absent and why (the roster is frozen now)."""

    act: Literal["meeting.open"]
    meeting: Ref
    present: tuple[Ref, ...]
    absent: tuple[AbsenceEntry, ...] = ()


class DeclareInterest(ActBase):
    """A member declares a conflict of interest in an item."""

    act: Literal["meeting.interest"]
    meeting: Ref
    item: Ref
    member: Ref
    interest: Text


class Withdraw(ActBase):
    """A member withdraws from an item (回避)."""

    act: Literal["meeting.withdraw"]
    meeting: Ref
    item: Ref
    member: Ref
    reason: Text


class Present(ActBase):
    """The member in charge presents an item."""

    act: Literal["meeting.present"]
    meeting: Ref
    item: Ref
    by: Ref
    materials: tuple[Material, ...] = ()


class StateOpinion(ActBase):
    """A member states a view on an item (in speaking order)."""

    act: Literal["meeting.opinion"]
    meeting: Ref
    item: Ref
    member: Ref
    stance: Stance
    summary: str = ""


class SubmitWrittenView(ActBase):
    """An absent member's written view: recorded, never counted."""

    act: Literal["meeting.written_view"]
    meeting: Ref
    item: Ref
    member: Ref
    stance: Stance
    summary: str = ""


class DeferItem(ActBase):
    """Defer a sharply divided item instead of voting."""

    act: Literal["meeting.defer"]
    meeting: Ref
    item: Ref
    reason: Text


class BallotEntry(BaseModel):
    """One member's vote."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    member: Ref
    choice: Choice


class TakeVote(ActBase):
    """Record a vote on an item: the tally, and individual votes where the method reveals them."""

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
    """Announce the result of a vote on the spot (当场宣布); records the decision and its basis."""

    act: Literal["meeting.announce"]
    meeting: Ref
    item: Ref
    outcome: Outcome
    by: Ref
    reasons: str = ""


class CloseMeeting(ActBase):
    """Close a meeting."""

    act: Literal["meeting.close"]
    meeting: Ref


class IssueMinutes(ActBase):
    """Issue a meeting's minutes (纪要)."""

    act: Literal["meeting.minutes"]
    meeting: Ref
    by: Ref
    material: Material | None = None


# --- emergencies, reports, reviews, rules -----------------------------------------------------


class TakeEmergencyAction(Aliased):
    """Record an emergency action (临机处置) taken at once."""

    act: Literal["emergency.act"]
    by: Ref
    summary: Text
    matter: Ref | None = None
    materials: tuple[Material, ...] = ()


class ReportEmergency(ActBase):
    """Record that an emergency action was reported to the standing committee."""

    act: Literal["emergency.report"]
    action: Ref
    meeting: Ref
    by: Ref


class AcknowledgeEmergency(ActBase):
    """The standing committee took note of, ratified or overturned an emergency action."""

    act: Literal["emergency.acknowledge"]
    action: Ref
    meeting: Ref
    outcome: Acknowledgement
    note: str = ""


class DeliverReport(Aliased):
    """Record a duty report (述职) or the standing committee's work report to the plenary."""

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
    """One person's responsibility found by a review."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    member: Ref
    role: Text
    degree: DegreeValue
    reason: str = ""


class OpenReview(Aliased):
    """Open an accountability review (责任追究) of a decision."""

    act: Literal["review.open"]
    matter: Ref
    reason: Text
    opened_by: Ref


class ConcludeReview(ActBase):
    """Conclude an accountability review: failed or not, and who is responsible."""

    act: Literal["review.conclude"]
    review: Ref
    failed: bool
    conclusion: Text
    responsible: tuple[ResponsibilityEntry, ...] = ()
    material: Material | None = None


class ChangeEntry(BaseModel):
    """One field of the corrected event and the value it should have had (docs/record-format.md,
    "Corrections", lists the fields that may be corrected)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field: Text
    value: int | Text
    member: Ref | None = None


class CorrectRecord(Aliased):
    """Correct a recorded act: a new event pointing at the event it corrects (never an edit)."""

    act: Literal["record.correct"]
    corrects: int = Field(ge=1, description="The log position of the event being corrected.")
    reason: Text
    correction: Text | None = Field(
        default=None,
        description="What the record should have said, in words (default: the changes).",
    )
    changes: tuple[ChangeEntry, ...] = Field(
        default=(),
        description="Fields of the corrected event and their right values; the rules and "
        "every view then read the corrected act.",
    )
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
    | ConcludeReview
    | CorrectRecord,
    Field(discriminator="act"),
]


class TranscriptionSource(BaseModel):
    """The paper record a document transcribes (补录): its acts are marked transcribed from it
    wherever they show, and are not each flagged as recorded late (docs/record-format.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Text = Field(
        description="The paper document's title, e.g. 县委常委会2025年第12次会议纪要."
    )
    reference: str = Field(
        default="", max_length=2000, description="Its document number or archive reference (档号)."
    )
    scan: Material | None = Field(
        default=None, description="A scan of it: a file path (kept in the content store) or digest."
    )
    clerk: Text = Field(description="Who entered it (the clerk's name).")


class RecordDocument(BaseModel):
    """A record file: a batch of acts recorded atomically, all or none."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["ledger.record/1"] = "ledger.record/1"
    transcription: TranscriptionSource | None = Field(
        default=None, description="Set when the acts are transcribed from a paper record."
    )
    acts: tuple[Act, ...] = Field(min_length=1)


def act_time(act: ActBase, now: datetime) -> datetime:
    """When an act happened: as given, or ``now``."""
    return act.at or now
