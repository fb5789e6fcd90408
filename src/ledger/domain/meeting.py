"""A meeting of a body: notice, attendance, withdrawals, presentations, opinions, votes item by
item, announcements, closing and minutes.

Hard invariants live here, because only the meeting knows who is present and what is on its
agenda: a vote by someone not on the roster, absent, or withdrawn from the item; a second vote by
the same member; individual votes in a secret ballot (无记名投票); a vote on an item not on the
agenda, or already voted; a tally that does not add up. Each is refused, nothing is written.
Late notice, no quorum, the secretary not speaking last and the like are breaches: recorded, and
found by the rules.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.domain.events import (
    Envelope,
    LedgerCreated,
    LedgerEvent,
    MaterialDigest,
    Moment,
    Note,
    Payload,
    SafeInt,
    Text,
    envelope_kwargs,
)
from ledger.domain.matter import Outcome
from ledger.errors import (
    DuplicateVoteError,
    MeetingStateError,
    NotEligibleError,
    NotOnAgendaError,
    SecretBallotError,
    TallyError,
)


class VoteMethod(StrEnum):
    """How a vote is taken (表决方式)."""

    ORAL = "oral"  # 口头表决
    SHOW_OF_HANDS = "show_of_hands"  # 举手表决
    SECRET_BALLOT = "secret_ballot"  # 无记名投票
    NAMED_BALLOT = "named_ballot"  # 记名投票


class Choice(StrEnum):
    """One member's vote."""

    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


class Stance(StrEnum):
    """The view a member states in deliberation (表态)."""

    AGREE = "agree"
    DISAGREE = "disagree"
    ABSTAIN = "abstain"
    RESERVED = "reserved"  # 保留意见


WHOLE_MEETING = frozenset(
    {
        "meeting.scheduled",
        "meeting.notice_sent",
        "meeting.opened",
        "meeting.closed",
        "meeting.minutes_issued",
    }
)
"""Event types that concern every item of a meeting (calling it, the notice, attendance, closing,
the minutes). Every other meeting event names the item it is about, so a matter's file needs only
these and the events naming it, however many items the meeting had."""


class MeetingState(StrEnum):
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"


_STATE_ZH = {
    MeetingState.SCHEDULED: "尚未开始",
    MeetingState.OPEN: "已经开始",
    MeetingState.CLOSED: "已经结束",
}
"""A meeting's state as a refusal says it in Chinese (会议《…》尚未开始)."""


class Absence(Payload):
    """Someone on the roster who is not present, and why."""

    member: UUID
    reason: Note = ""
    on_leave: bool = False  # 请假


class MeetingScheduled(Payload):
    """A meeting of a body is called, with its agenda (items are matters)."""

    body: UUID
    title: Text
    scheduled_for: Moment
    chair: UUID
    agenda: tuple[UUID, ...] = ()
    place: Note = ""


class AgendaItem(Payload):
    """An item added to the agenda after the meeting was called."""

    matter: UUID


class Notice(Payload):
    """Members were notified (提前通知), with the materials."""

    sent_at: Moment
    materials: tuple[MaterialDigest, ...] = ()


class MeetingOpened(Payload):
    """The meeting opens: the roster of who should attend is frozen, with who is present."""

    opened_at: Moment
    roster: tuple[UUID, ...]
    present: tuple[UUID, ...]
    absent: tuple[Absence, ...] = ()


class Interest(Payload):
    """A member declares a conflict of interest in an item (they should then withdraw)."""

    item: UUID
    member: UUID
    interest: Text


class Withdrawal(Payload):
    """A member declares a conflict of interest and withdraws (回避) from an item."""

    item: UUID
    member: UUID
    reason: Text


class Presentation(Payload):
    """The member in charge presents the item (介绍情况、作出说明)."""

    item: UUID
    by: UUID
    materials: tuple[MaterialDigest, ...] = ()


class Opinion(Payload):
    """A member states a view on an item; the order on the record is the speaking order."""

    item: UUID
    member: UUID
    stance: Stance
    summary: Note = ""


class WrittenView(Payload):
    """An absent member's written view: recorded, never counted (no proxy voting)."""

    item: UUID
    member: UUID
    stance: Stance
    summary: Note = ""


class Deferral(Payload):
    """A sharply divided item is deferred (暂缓), not forced to a vote."""

    item: UUID
    reason: Text


class Ballot(Payload):
    """One member's vote, where the method reveals it."""

    member: UUID
    choice: Choice


class Vote(Payload):
    """A vote on one item: the tally always; individual votes only where the method reveals
    them (never for a secret ballot)."""

    item: UUID
    method: VoteMethod
    ballots_cast: SafeInt
    votes_for: SafeInt
    votes_against: SafeInt
    abstentions: SafeInt = 0
    invalid: SafeInt = 0
    ballots: tuple[Ballot, ...] = ()
    bundled_with: tuple[UUID, ...] = ()  # other items decided by this same vote (a breach)


class Announcement(Payload):
    """The chair announces the result on the spot (当场宣布)."""

    item: UUID
    outcome: Outcome
    by: UUID
    reasons: Note = ""  # required by the rules when the chair decides against the majority view


class Closing(Payload):
    closed_at: Moment


class Minutes(Payload):
    """Minutes (纪要) issued, by whom, and which text."""

    issued_at: Moment
    by: UUID
    material: MaterialDigest | None = None


class Meeting(Aggregate):
    """A meeting and everything that happened at it."""

    class Scheduled(LedgerCreated):
        TYPE = "meeting.scheduled"
        PAYLOAD = MeetingScheduled

        def apply(self, aggregate: Meeting) -> None:
            p = self.payload
            aggregate.body = p.body
            aggregate.title = p.title
            aggregate.chair = p.chair
            aggregate.agenda = list(p.agenda)
            aggregate.state = MeetingState.SCHEDULED
            aggregate.roster = ()
            aggregate.present = set()
            aggregate.withdrawn = {}
            aggregate.voters = {}
            aggregate.votes = {}
            aggregate.announced = set()
            aggregate.deferred = set()

    class ItemAdded(LedgerEvent):
        TYPE = "meeting.item_added"
        PAYLOAD = AgendaItem

        def apply(self, aggregate: Meeting) -> None:
            aggregate.agenda.append(self.payload.matter)

    class NoticeSent(LedgerEvent):
        TYPE = "meeting.notice_sent"
        PAYLOAD = Notice

    class Opened(LedgerEvent):
        TYPE = "meeting.opened"
        PAYLOAD = MeetingOpened

        def apply(self, aggregate: Meeting) -> None:
            aggregate.state = MeetingState.OPEN
            aggregate.opened_at = self.payload.opened_at
            aggregate.absences = self.payload.absent
            aggregate.roster = self.payload.roster
            aggregate.present = set(self.payload.present)

    class InterestDeclared(LedgerEvent):
        TYPE = "meeting.interest_declared"
        PAYLOAD = Interest

    class WithdrawalDeclared(LedgerEvent):
        TYPE = "meeting.withdrawal_declared"
        PAYLOAD = Withdrawal

        def apply(self, aggregate: Meeting) -> None:
            aggregate.withdrawn.setdefault(self.payload.item, set()).add(self.payload.member)

    class Presented(LedgerEvent):
        TYPE = "meeting.presented"
        PAYLOAD = Presentation

    class OpinionStated(LedgerEvent):
        TYPE = "meeting.opinion_stated"
        PAYLOAD = Opinion

    class WrittenViewSubmitted(LedgerEvent):
        TYPE = "meeting.written_view_submitted"
        PAYLOAD = WrittenView

    class ItemDeferred(LedgerEvent):
        TYPE = "meeting.item_deferred"
        PAYLOAD = Deferral

        def apply(self, aggregate: Meeting) -> None:
            aggregate.deferred.add(self.payload.item)

    class VoteTaken(LedgerEvent):
        TYPE = "meeting.vote_taken"
        PAYLOAD = Vote

        def apply(self, aggregate: Meeting) -> None:
            for item in (self.payload.item, *self.payload.bundled_with):
                aggregate.votes[item] = self.payload
                aggregate.voters[item] = {b.member for b in self.payload.ballots}

    class ResultAnnounced(LedgerEvent):
        TYPE = "meeting.result_announced"
        PAYLOAD = Announcement

        def apply(self, aggregate: Meeting) -> None:
            aggregate.announced.add(self.payload.item)

    class Closed(LedgerEvent):
        TYPE = "meeting.closed"
        PAYLOAD = Closing

        def apply(self, aggregate: Meeting) -> None:
            aggregate.state = MeetingState.CLOSED

    class MinutesIssued(LedgerEvent):
        TYPE = "meeting.minutes_issued"
        PAYLOAD = Minutes

    body: UUID
    title: str
    chair: UUID
    agenda: list[UUID]
    state: MeetingState
    roster: tuple[UUID, ...]
    opened_at: datetime
    absences: tuple[Absence, ...]
    present: set[UUID]
    withdrawn: dict[UUID, set[UUID]]
    voters: dict[UUID, set[UUID]]
    votes: dict[UUID, Vote]
    announced: set[UUID]
    deferred: set[UUID]

    def __init__(self) -> None:
        pass

    # --- commands: check, then trigger --------------------------------------------------------

    @classmethod
    def schedule(cls, meeting_id: UUID, payload: MeetingScheduled, envelope: Envelope) -> Meeting:
        """Call a meeting."""
        if len(set(payload.agenda)) != len(payload.agenda):
            raise NotOnAgendaError(
                "an item appears twice on the agenda", zh="同一议题在议程中列了两次"
            )
        return cls._create(cls.Scheduled, id=meeting_id, **envelope_kwargs(envelope, payload))

    def add_item(self, payload: AgendaItem, envelope: Envelope) -> None:
        """Add an item to the agenda."""
        if self.state is MeetingState.CLOSED:
            raise MeetingStateError(
                f"meeting {self.title!r} is closed", zh=f"会议《{self.title}》已经结束"
            )
        if payload.matter in self.agenda:
            raise NotOnAgendaError(
                f"matter {payload.matter} is already on the agenda",
                zh=f"议题 {payload.matter} 已在议程中",
            )
        self.trigger_event(self.ItemAdded, **envelope_kwargs(envelope, payload))

    def send_notice(self, payload: Notice, envelope: Envelope) -> None:
        """Record the notice to members."""
        if self.state is MeetingState.CLOSED:
            raise MeetingStateError(
                f"meeting {self.title!r} is closed", zh=f"会议《{self.title}》已经结束"
            )
        self.trigger_event(self.NoticeSent, **envelope_kwargs(envelope, payload))

    def open(self, payload: MeetingOpened, envelope: Envelope) -> None:
        """Open the meeting with its frozen roster and attendance."""
        if self.state is not MeetingState.SCHEDULED:
            raise MeetingStateError(
                f"meeting {self.title!r} is already {self.state.value}",
                zh=f"会议《{self.title}》{_STATE_ZH[self.state]}",
            )
        roster = set(payload.roster)
        absent = {a.member for a in payload.absent}
        strangers = (set(payload.present) | absent) - roster
        if strangers:
            listed = sorted(map(str, strangers))
            raise NotEligibleError(
                f"not on the roster of this meeting: {', '.join(listed)}",
                zh=f"以下人员不在本次会议的应到会名单上：{'、'.join(listed)}",
            )
        if set(payload.present) & absent:
            raise NotEligibleError(
                "a member cannot be both present and absent",
                zh="同一名委员不能既列为出席又列为缺席",
            )
        if len(set(payload.present)) != len(payload.present):
            raise NotEligibleError(
                "a member is listed as present twice", zh="有委员在出席名单中重复列出"
            )
        unaccounted = roster - set(payload.present) - absent
        if unaccounted:
            missing = sorted(map(str, unaccounted))
            raise NotEligibleError(
                "every member on the roster must be present or absent (with a reason); "
                f"missing: {', '.join(missing)}",
                zh="应到会的每名委员都须列为出席或缺席（缺席须注明原因）；"
                f"未列出：{'、'.join(missing)}",
            )
        self.trigger_event(self.Opened, **envelope_kwargs(envelope, payload))

    def declare_interest(self, payload: Interest, envelope: Envelope) -> None:
        """A member declares a conflict of interest in an item."""
        self._require_open()
        self._require_item(payload.item)
        if payload.member not in self.roster:
            raise NotEligibleError(
                f"member {payload.member} is not on this meeting's roster",
                zh=f"委员 {payload.member} 不在本次会议的应到会名单上",
            )
        self.trigger_event(self.InterestDeclared, **envelope_kwargs(envelope, payload))

    def declare_withdrawal(self, payload: Withdrawal, envelope: Envelope) -> None:
        """A member withdraws from an item (回避)."""
        self._require_open()
        self._require_item(payload.item)
        if payload.member not in self.roster:
            raise NotEligibleError(
                f"member {payload.member} is not on this meeting's roster",
                zh=f"委员 {payload.member} 不在本次会议的应到会名单上",
            )
        if payload.item in self.votes:
            raise MeetingStateError(
                "the item was already voted; withdrawal comes before the vote",
                zh="该议题已经表决；回避应在表决之前",
            )
        self.trigger_event(self.WithdrawalDeclared, **envelope_kwargs(envelope, payload))

    def present_item(self, payload: Presentation, envelope: Envelope) -> None:
        """The member in charge presents an item."""
        self._require_open()
        self._require_item(payload.item)
        self._require_participant(payload.item, payload.by, "present the item", "汇报议题")
        self.trigger_event(self.Presented, **envelope_kwargs(envelope, payload))

    def state_opinion(self, payload: Opinion, envelope: Envelope) -> None:
        """A present member states a view on an item."""
        self._require_open()
        self._require_item(payload.item)
        self._require_participant(payload.item, payload.member, "state an opinion", "发表意见")
        self.trigger_event(self.OpinionStated, **envelope_kwargs(envelope, payload))

    def submit_written_view(self, payload: WrittenView, envelope: Envelope) -> None:
        """An absent member's written view (recorded, not counted)."""
        self._require_item(payload.item)
        if payload.member not in self.roster and self.state is not MeetingState.SCHEDULED:
            raise NotEligibleError(
                f"member {payload.member} is not on this meeting's roster",
                zh=f"委员 {payload.member} 不在本次会议的应到会名单上",
            )
        if payload.member in self.present:
            raise NotEligibleError(
                "a member who is present states their view in the meeting, not in writing",
                zh="出席会议的委员在会上发表意见，不提交书面意见",
            )
        self.trigger_event(self.WrittenViewSubmitted, **envelope_kwargs(envelope, payload))

    def defer_item(self, payload: Deferral, envelope: Envelope) -> None:
        """Defer an item instead of voting on it."""
        self._require_open()
        self._require_item(payload.item)
        if payload.item in self.votes:
            raise MeetingStateError(
                "the item was already voted; it cannot be deferred now",
                zh="该议题已经表决，不能再暂缓表决",
            )
        self.trigger_event(self.ItemDeferred, **envelope_kwargs(envelope, payload))

    def take_vote(self, payload: Vote, envelope: Envelope) -> None:
        """Record a vote on one item."""
        self._require_open()
        items = (payload.item, *payload.bundled_with)
        if len(set(items)) != len(items):
            raise DuplicateVoteError(
                "an item appears twice in one vote", zh="同一议题在一次表决中出现了两次"
            )
        for item in items:
            self._require_item(item)
            if item in self.votes:
                raise DuplicateVoteError(
                    f"item {item} was already voted at this meeting",
                    zh=f"议题 {item} 已在本次会议上表决",
                )
            if item in self.deferred:
                raise MeetingStateError(
                    f"item {item} was deferred at this meeting",
                    zh=f"议题 {item} 已在本次会议上暂缓表决",
                )
        counted = payload.votes_for + payload.votes_against + payload.abstentions + payload.invalid
        if min(payload.votes_for, payload.votes_against, payload.abstentions, payload.invalid) < 0:
            raise TallyError("a tally cannot be negative", zh="票数不能为负数")
        if counted != payload.ballots_cast:
            raise TallyError(
                f"the tally adds up to {counted} (for {payload.votes_for}, against "
                f"{payload.votes_against}, abstaining {payload.abstentions}, invalid "
                f"{payload.invalid}), but {payload.ballots_cast} ballots were cast",
                zh=f"计票合计 {counted} 票（赞成 {payload.votes_for}、反对 "
                f"{payload.votes_against}、弃权 {payload.abstentions}、无效 {payload.invalid}），"
                f"与收回的 {payload.ballots_cast} 票不符",
            )
        eligible = self.eligible(payload.item)
        if payload.ballots_cast > len(eligible):
            raise TallyError(
                f"{payload.ballots_cast} ballots cast, but only {len(eligible)} members present "
                "and not withdrawn could vote",
                zh=f"收回 {payload.ballots_cast} 票，但到会且未回避、有权表决的委员只有 "
                f"{len(eligible)} 名",
            )
        if payload.method is VoteMethod.SECRET_BALLOT:
            if payload.ballots:
                raise SecretBallotError(
                    "a secret ballot (无记名投票) records the tally only, never who voted how",
                    zh="无记名投票只记录计票结果，不记录每人如何投票",
                )
        else:
            self._check_ballots(payload)
        self.trigger_event(self.VoteTaken, **envelope_kwargs(envelope, payload))

    def announce(self, payload: Announcement, envelope: Envelope) -> None:
        """Announce the result of a voted item."""
        self._require_open()
        self._require_item(payload.item)
        if payload.item not in self.votes:
            raise MeetingStateError(
                f"item {payload.item} has not been voted at this meeting",
                zh=f"议题 {payload.item} 尚未在本次会议上表决",
            )
        if payload.item in self.announced:
            raise DuplicateVoteError(
                f"the result of item {payload.item} was already announced",
                zh=f"议题 {payload.item} 的表决结果已经宣布",
            )
        self.trigger_event(self.ResultAnnounced, **envelope_kwargs(envelope, payload))

    def close(self, payload: Closing, envelope: Envelope) -> None:
        """Close the meeting."""
        self._require_open()
        self.trigger_event(self.Closed, **envelope_kwargs(envelope, payload))

    def issue_minutes(self, payload: Minutes, envelope: Envelope) -> None:
        """Issue the minutes (after the meeting closed)."""
        if self.state is not MeetingState.CLOSED:
            raise MeetingStateError(
                "minutes are issued after the meeting closes", zh="纪要在会议结束后印发"
            )
        self.trigger_event(self.MinutesIssued, **envelope_kwargs(envelope, payload))

    # --- queries ------------------------------------------------------------------------------

    def eligible(self, item: UUID) -> set[UUID]:
        """Who may vote on ``item``: present, on the roster, not withdrawn from it."""
        return (self.present & set(self.roster)) - self.withdrawn.get(item, set())

    def withdrawn_from(self, item: UUID) -> set[UUID]:
        return set(self.withdrawn.get(item, set()))

    # --- checks -------------------------------------------------------------------------------

    def _check_ballots(self, payload: Vote) -> None:
        seen: set[UUID] = set()
        for ballot in payload.ballots:
            if ballot.member in seen:
                raise DuplicateVoteError(
                    f"member {ballot.member} voted twice on this item",
                    zh=f"委员 {ballot.member} 对该议题投了两次票",
                )
            seen.add(ballot.member)
            self._require_participant(payload.item, ballot.member, "vote", "表决")
        if payload.method is VoteMethod.NAMED_BALLOT and len(payload.ballots) != (
            payload.ballots_cast - payload.invalid
        ):
            raise TallyError(
                f"a named ballot (记名投票) lists every valid vote: {len(payload.ballots)} "
                f"listed, {payload.ballots_cast - payload.invalid} valid ballots cast",
                zh=f"记名投票须逐一列明每张有效票：列明 {len(payload.ballots)} 票，"
                f"有效票 {payload.ballots_cast - payload.invalid} 张",
            )
        if payload.ballots:
            counts = {c: sum(1 for b in payload.ballots if b.choice is c) for c in Choice}
            expected = {
                Choice.FOR: payload.votes_for,
                Choice.AGAINST: payload.votes_against,
                Choice.ABSTAIN: payload.abstentions,
            }
            if counts != expected and len(payload.ballots) == payload.ballots_cast:
                raise TallyError(
                    f"the individual votes ({counts[Choice.FOR]} for, {counts[Choice.AGAINST]} "
                    f"against, {counts[Choice.ABSTAIN]} abstaining) differ from the tally",
                    zh=f"逐人表决情况（赞成 {counts[Choice.FOR]}、反对 {counts[Choice.AGAINST]}、"
                    f"弃权 {counts[Choice.ABSTAIN]}）与计票结果不符",
                )

    def _require_open(self) -> None:
        if self.state is not MeetingState.OPEN:
            raise MeetingStateError(
                f"meeting {self.title!r} is {self.state.value}; this happens while it is open",
                zh=f"会议《{self.title}》{_STATE_ZH[self.state]}；此项须在会议进行中记录",
            )

    def _require_item(self, item: UUID) -> None:
        if item not in self.agenda:
            raise NotOnAgendaError(
                f"matter {item} is not on the agenda of {self.title!r}",
                zh=f"议题 {item} 不在会议《{self.title}》的议程中",
            )

    def _require_participant(self, item: UUID, member: UUID, act: str, act_zh: str) -> None:
        """``act`` and ``act_zh``: what the member would do, in English and in Chinese."""
        if member not in self.roster:
            raise NotEligibleError(
                f"member {member} is not on the roster of {self.title!r} and cannot {act}",
                zh=f"委员 {member} 不在会议《{self.title}》的应到会名单上，不能{act_zh}",
            )
        if member not in self.present:
            raise NotEligibleError(
                f"member {member} is absent and cannot {act}",
                zh=f"委员 {member} 缺席，不能{act_zh}",
            )
        if member in self.withdrawn.get(item, set()):
            raise NotEligibleError(
                f"member {member} withdrew from this item and cannot {act}",
                zh=f"委员 {member} 已回避该议题，不能{act_zh}",
            )
