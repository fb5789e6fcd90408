"""One small check per rule of the catalogue (``catalogue.py``), each citing its rule id.

A check reads facts only (:class:`~ledger.domain.rules.facts.World`), takes the rule's
parameters and the moment it judges as of, and returns findings; it never refuses anything.
Deadline rules (``minutes-deadline``, ``emergency-report``, ``implementation-deadline``,
``duty-report``, ``meeting-frequency``) find nothing while a deadline has not yet passed at
``as_of``. Dates are China's calendar dates (UTC+8); "before" means "no later than".
"""

from __future__ import annotations

import calendar as _gregorian
import dataclasses
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any, TypeVar
from uuid import UUID

from ledger.beijing_time import Lang, say_date, say_time
from ledger.domain.body import DECISION_BODIES, BodyKind
from ledger.domain.delegation import AGENDA_APPROVAL
from ledger.domain.events import OFFICE
from ledger.domain.matter import ConsultationKind, Outcome
from ledger.domain.meeting import Choice, Stance, VoteMethod
from ledger.domain.member import Post
from ledger.domain.report import ReportKind
from ledger.domain.review import Degree
from ledger.domain.rules.calendar import (
    CHINA_TIME,
    end_of_day,
    local_date,
)
from ledger.domain.rules.catalogue import RULES_BY_ID
from ledger.domain.rules.facts import (
    ApprovalFact,
    ChangeFact,
    DecisionFact,
    FieldChangeFact,
    MatterFacts,
    MeetingFacts,
    OpinionFact,
    Recorded,
    ReviewFacts,
    RevocationFact,
    VoteFact,
    World,
    WrittenViewFact,
)
from ledger.domain.rules.finding import Finding, SubjectKind, responsible
from ledger.domain.rules.thresholds import Share
from ledger.errors import InputError, zh_text
from ledger.i18n import term

Check = Callable[[World, Mapping[str, Any], datetime], list[Finding]]
_R = TypeVar("_R", bound=Recorded)

CHECKS: dict[str, Check] = {}
"""Every rule's check, by rule id (the same ids as ``catalogue.RULES``)."""


class RuleParameterError(InputError):
    """A rule parameter has a value the rule cannot use."""


def _check(rule: str) -> Callable[[Check], Check]:
    if rule not in RULES_BY_ID:  # pragma: no cover - a programming error caught at import
        raise RuntimeError(f"no rule {rule!r} in the catalogue")

    def register(function: Check) -> Check:
        CHECKS[rule] = function
        return function

    return register


# --- parameters ---------------------------------------------------------------------------------


class _Params:
    """A rule's parameters, read with the type the rule needs."""

    def __init__(self, rule: str, values: Mapping[str, Any]) -> None:
        self.rule = rule
        self.values = values

    def _get(self, name: str) -> Any:
        if name in self.values:
            return self.values[name]
        default = RULES_BY_ID[self.rule].parameters
        if name in default:
            return default[name]
        raise RuleParameterError(
            f"rule {self.rule}: parameter {name!r} is missing",
            zh=f"规则 {self.rule}：缺少参数 {name!r}",
        )

    def number(self, name: str) -> int:
        value = self._get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        raise RuleParameterError(
            f"rule {self.rule}: parameter {name!r} must be a whole number, got {value!r}",
            zh=f"规则 {self.rule}：参数 {name!r} 应为整数，收到的是 {value!r}",
        )

    def flag(self, name: str) -> bool:
        value = self._get(name)
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return bool(value == "true")
        raise RuleParameterError(
            f"rule {self.rule}: parameter {name!r} must be true or false, got {value!r}",
            zh=f"规则 {self.rule}：参数 {name!r} 应为 true 或 false，收到的是 {value!r}",
        )

    def fraction(self, name: str) -> Fraction:
        """A fraction from 0 to 1, written like ``0``, ``1/10`` or ``0.1``."""
        value = self._get(name)
        try:
            fraction = Fraction(str(value)) if not isinstance(value, bool) else None
        except (ValueError, ZeroDivisionError):
            fraction = None
        if fraction is None or not 0 <= fraction <= 1:
            raise RuleParameterError(
                f"rule {self.rule}: parameter {name!r} must be a fraction from 0 to 1 "
                f"(like 1/10), got {value!r}",
                zh=f"规则 {self.rule}：参数 {name!r} 应为 0 到 1 之间的分数（如 1/10），"
                f"收到的是 {value!r}",
            )
        return fraction

    def share(self, name: str, strict: str) -> Share:
        try:
            return Share.parse(str(self._get(name)), self.flag(strict))
        except ValueError as e:
            raise RuleParameterError(
                f"rule {self.rule}: parameter {name!r}: {e}",
                zh=f"规则 {self.rule}：参数 {name!r}：{zh_text(e)}",
            ) from e


# --- shared reading of the facts ------------------------------------------------------------


def _major_decision(matter: MatterFacts) -> bool:
    """A major decision (重大决策), judged by the major-matter rules (``alternatives``,
    ``legality-review``, ``risk-assessment``): a matter flagged major that is not a cadre item.
    A cadre item (干部任免) may be flagged major (三重一大) and is judged by the cadre rules
    (``reconsideration``, the quorum of a cadre vote) instead: it has no alternative plans or
    legality review to demand."""
    return matter.major and not matter.cadre


def _finding(
    rule: str,
    kind: SubjectKind,
    subject: UUID | str,
    positions: Iterable[int],
    who: str,
    body: UUID | None,
    message: str,
    message_zh: str,
    when: datetime,
) -> Finding:
    return Finding(
        rule=rule,
        subject_kind=kind,
        subject_id=str(subject),
        positions=tuple(sorted(set(positions))),
        responsible=who,
        body=body,
        message=message,
        message_zh=message_zh,
        when=when,
    )


def _name(world: World, member: UUID | None) -> str:
    if member is None:
        return OFFICE
    known = world.members.get(member)
    return known.name if known else str(member)


def _body_kind(world: World, body: UUID) -> BodyKind | None:
    known = world.bodies.get(body)
    return known.kind if known else None


def _body_name(world: World, body: UUID) -> str:
    known = world.bodies.get(body)
    return known.name if known else str(body)


def _holder(world: World, post: Post, moment: datetime) -> str:
    member = world.holder(post, moment)
    return responsible(member.id if member else None)


def _chair(world: World, meeting: UUID | None) -> UUID | None:
    known = world.meetings.get(meeting) if meeting else None
    return known.chair if known else None


def _decisions(world: World) -> Iterable[tuple[MatterFacts, DecisionFact]]:
    for matter in world.matters.values():
        for decision in matter.decisions:
            yield matter, decision


def _meeting_start(world: World, decision: DecisionFact) -> datetime:
    """When the meeting that decided opened (the decision's own time if unknown)."""
    meeting = world.meetings.get(decision.meeting)
    if meeting is not None and meeting.opening is not None:
        return meeting.opening.opened_at
    return decision.occurred_at


def _by(acts: Iterable[_R], moment: datetime) -> list[_R]:
    """The acts that had happened by ``moment``."""
    return [a for a in acts if a.occurred_at <= moment]


def _day(moment: datetime, lang: Lang = "en") -> str:
    """The Beijing day of ``moment`` as a person reads it (``beijing_time.say_date``)."""
    return say_date(lang, local_date(moment))


def _by_day(day: date, lang: Lang = "en") -> str:
    """A deadline day, said inclusively: the rules count the day itself as in time."""
    return say_date(lang, day, deadline=True)


def _share_zh(share: Share) -> str:
    if share.strict and (share.numerator, share.denominator) == (1, 2):
        return "过半数"
    return f"{'超过' if share.strict else '至少'}{share.numerator}/{share.denominator}"


def _missing_preparation(
    rule: str,
    world: World,
    matter: MatterFacts,
    decision: DecisionFact,
    what: str,
    what_zh: str,
    kinds: tuple[ConsultationKind, ...],
    *,
    by_meeting: bool,
) -> Finding | None:
    """A finding when no consultation of ``kinds`` happened by the time the deciding meeting
    opened (``by_meeting``) or the decision was made; the member in charge answers for it."""
    cutoff = _meeting_start(world, decision) if by_meeting else decision.occurred_at
    if _by(matter.consulted(*kinds), cutoff):
        return None
    before, before_zh = ("before the deciding meeting", "决策会议前") if by_meeting else ("", "")
    return _finding(
        rule,
        SubjectKind.MATTER,
        matter.id,
        (matter.opened.position, decision.position),
        str(matter.in_charge),
        decision.body,
        f"matter {matter.title!r} was decided on {_day(decision.occurred_at)} with no {what} "
        f"on record {before}".rstrip(),
        f"事项《{matter.title}》于{_day(decision.occurred_at, 'zh')}作出决策，"
        f"{before_zh}没有{what_zh}",
        decision.occurred_at,
    )


# --- preparation: research, consultation, openness -----------------------------------------------


@_check("alternatives")
def check_alternatives(world: World, params: Mapping[str, Any], as_of: datetime) -> list[Finding]:
    """Rule ``alternatives``: a major matter has at least ``minimum`` alternative plans on record
    when it is decided. Answerable: the member in charge."""
    minimum = _Params("alternatives", params).number("minimum")
    found = []
    for matter, decision in _decisions(world):
        if not _major_decision(matter):
            continue
        plans = _by(matter.alternatives, decision.occurred_at)
        if len(plans) >= minimum:
            continue
        found.append(
            _finding(
                "alternatives",
                SubjectKind.MATTER,
                matter.id,
                (matter.opened.position, decision.position, *(p.position for p in plans)),
                str(matter.in_charge),
                decision.body,
                f"major matter {matter.title!r} was decided with {len(plans)} alternative "
                f"plan(s) on record; at least {minimum} are required",
                f"重大事项《{matter.title}》决策时仅有{len(plans)}个备选方案，应至少{minimum}个",
                decision.occurred_at,
            )
        )
    return found


@_check("expert-review")
def check_expert_review(world: World, params: Mapping[str, Any], as_of: datetime) -> list[Finding]:
    """Rule ``expert-review``: a professional or technical matter has an expert review on record
    by the time the deciding meeting opens; with ``signed``, one names the experts who signed
    it. Answerable: the member in charge."""
    signed = _Params("expert-review", params).flag("signed")
    found = []
    for matter, decision in _decisions(world):
        if not matter.technical:
            continue
        cutoff = _meeting_start(world, decision)
        missing = _missing_preparation(
            "expert-review",
            world,
            matter,
            decision,
            "expert review",
            "专家论证",
            (ConsultationKind.EXPERT_REVIEW,),
            by_meeting=True,
        )
        if missing is not None:
            found.append(missing)
            continue
        reviews = _by(matter.consulted(ConsultationKind.EXPERT_REVIEW), cutoff)
        if signed and not any(r.signed_by for r in reviews):
            found.append(
                _finding(
                    "expert-review",
                    SubjectKind.MATTER,
                    matter.id,
                    (decision.position, *(r.position for r in reviews)),
                    str(matter.in_charge),
                    decision.body,
                    f"the expert review of matter {matter.title!r} names no expert who signed it",
                    f"事项《{matter.title}》的专家论证意见没有专家签名",
                    decision.occurred_at,
                )
            )
    return found


@_check("risk-assessment")
def check_risk_assessment(
    world: World, params: Mapping[str, Any], as_of: datetime
) -> list[Finding]:
    """Rule ``risk-assessment``: a professional or technical matter, or a major matter touching
    the public's interest, has a risk assessment on record by the time the deciding meeting
    opens. Answerable: the member in charge."""
    found = []
    for matter, decision in _decisions(world):
        if not (matter.technical or (_major_decision(matter) and matter.public_interest)):
            continue
        missing = _missing_preparation(
            "risk-assessment",
            world,
            matter,
            decision,
            "risk assessment",
            "决策风险评估",
            (ConsultationKind.RISK_ASSESSMENT,),
            by_meeting=True,
        )
        if missing is not None:
            found.append(missing)
    return found


@_check("public-notice")
def check_public_notice(world: World, params: Mapping[str, Any], as_of: datetime) -> list[Finding]:
    """Rule ``public-notice``: a matter closely touching the public's interest has a public
    notice or a public comment on record when it is decided. Answerable: the member in
    charge."""
    found = []
    for matter, decision in _decisions(world):
        if not matter.public_interest:
            continue
        missing = _missing_preparation(
            "public-notice",
            world,
            matter,
            decision,
            "public notice or public comment",
            "公示或公开征求意见",
            (ConsultationKind.PUBLIC_NOTICE, ConsultationKind.PUBLIC_COMMENT),
            by_meeting=False,
        )
        if missing is not None:
            found.append(missing)
    return found


@_check("public-comment-period")
def check_public_comment_period(
    world: World, params: Mapping[str, Any], as_of: datetime
) -> list[Finding]:
    """Rule ``public-comment-period``: each public notice or public comment on record when a
    matter is decided gives its dates, was open at least ``minimum_days`` calendar days (both
    ends counted) and closed on a day before the decision's. Answerable: the member in
    charge."""
    minimum = _Params("public-comment-period", params).number("minimum_days")
    kinds = (ConsultationKind.PUBLIC_NOTICE, ConsultationKind.PUBLIC_COMMENT)
    found = []
    for matter, decision in _decisions(world):
        decided_on = local_date(decision.occurred_at)
        for c in _by(matter.consulted(*kinds), decision.occurred_at):
            problems: list[tuple[str, str]] = []
            if c.opened_on is None or c.closed_on is None:
                problems.append(
                    ("its opening and closing dates are not on record", "未记录起止日期")
                )
            else:
                days = (c.closed_on - c.opened_on).days + 1
                if days < minimum:
                    problems.append(
                        (
                            f"it was open {days} days, less than {minimum}",
                            f"仅{days}天，少于{minimum}天",
                        )
                    )
                if c.closed_on >= decided_on:
                    problems.append(
                        (
                            f"it closed on {c.closed_on}, not before the decision on {decided_on}",
                            f"{c.closed_on}截止，决策（{decided_on}）时尚未结束",
                        )
                    )
            if not problems:
                continue
            found.append(
                _finding(
                    "public-comment-period",
                    SubjectKind.MATTER,
                    matter.id,
                    (decision.position, c.position),
                    str(matter.in_charge),
                    decision.body,
                    f"the {c.kind.value.replace('_', ' ')} on matter {matter.title!r} "
                    f"({c.party}): " + "; ".join(p[0] for p in problems),
                    f"事项《{matter.title}》的公开征求意见（{c.party}）"
                    + "，".join(p[1] for p in problems),
                    decision.occurred_at,
                )
            )
    return found


@_check("cross-portfolio")
def check_cross_portfolio(
    world: World, params: Mapping[str, Any], as_of: datetime
) -> list[Finding]:
    """Rule ``cross-portfolio``: a matter touching areas that another member is in charge of
    (负责/分管) was discussed with that member by the time its agenda was first approved or it
    was first decided, whichever came first. Areas compare without regard to case.
    Answerable: the member in charge of the matter."""
    found = []
    for matter in world.matters.values():
        if not matter.areas:
            continue
        first: list[Recorded] = sorted(
            [*matter.approvals[:1], *matter.decisions[:1]], key=lambda a: a.position
        )
        if not first:
            continue
        cutoff_act = first[0]
        cutoff = cutoff_act.occurred_at
        areas = {a.casefold() for a in matter.areas}
        consulted = {c.member for c in _by(matter.cross_portfolio, cutoff)}
        for member in world.members.values():
            held = member.portfolio_at(cutoff)
            if member.id == matter.in_charge or member.id in consulted or held is None:
                continue
            touched = [a for a in held.in_charge if a.casefold() in areas]
            if not touched:
                continue
            found.append(
                _finding(
                    "cross-portfolio",
                    SubjectKind.MATTER,
                    matter.id,
                    (matter.opened.position, cutoff_act.position, held.position),
                    str(matter.in_charge),
                    matter.body,
                    f"matter {matter.title!r} touches {', '.join(touched)}, in the portfolio of "
                    f"{member.name}, who was not consulted before the matter went forward",
                    f"事项《{matter.title}》涉及{member.name}分管的{'、'.join(touched)}，"
                    "审定议题或决策前未与其沟通",
                    cutoff,
                )
            )
    return found


def _placements(world: World) -> dict[UUID, list[tuple[Recorded, str]]]:
    """For each matter, the acts that placed it on a meeting's agenda (the meeting called with
    it, or the item added), each with the meeting's title."""
    placed: dict[UUID, list[tuple[Recorded, str]]] = {}
    for meeting in world.meetings.values():
        added = {a.matter: a for a in meeting.items_added}
        for item in meeting.agenda:
            act = added.get(item, meeting.scheduled)
            placed.setdefault(item, []).append((act, meeting.title))
    return placed


def _put_forward(
    matter: MatterFacts,
    placements: Iterable[tuple[Recorded, str]],
    *,
    proposal: bool,
) -> tuple[Recorded, str, str] | None:
    """The first act (by claimed time) that put the matter forward, with what it was in
    English and Chinese: proposed (with ``proposal``), approved for the agenda, placed on a
    meeting's agenda, or decided. None while none has happened."""
    acts: list[tuple[Recorded, str, str]] = [
        *((a, "proposed", "提出议题") for a in matter.proposals[:1] if proposal),
        *((a, "approved for the agenda", "审定议题") for a in matter.approvals[:1]),
        *(
            (a, f"placed on the agenda of {title!r}", f"列入会议《{title}》议程")
            for a, title in placements
        ),
        *((a, "decided", "作出决策") for a in matter.decisions[:1]),
    ]
    return min(acts, key=lambda x: (x[0].occurred_at, x[0].position), default=None)


@_check("research")
def check_research(world: World, params: Mapping[str, Any], as_of: datetime) -> list[Finding]:
    """Rule ``research`` (提出议题前必须深入开展调查研究): a matter has research on record
    (``matter.research_recorded``) by the time it is first put forward: proposed, approved for
    the agenda, placed on a meeting's agenda or decided, whichever happened first. Research
    after that does not cure it. Answerable: the member in charge."""
    placements = _placements(world)
    found = []
    for matter in world.matters.values():
        first = _put_forward(matter, placements.get(matter.id, ()), proposal=True)
        if first is None:
            continue
        act, what, what_zh = first
        if _by(matter.research, act.occurred_at):
            continue
        found.append(
            _finding(
                "research",
                SubjectKind.MATTER,
                matter.id,
                (matter.opened.position, act.position),
                str(matter.in_charge),
                matter.body,
                f"matter {matter.title!r} was {what} on {_day(act.occurred_at)} with no research "
                "on record",
                f"事项《{matter.title}》于{_day(act.occurred_at, 'zh')}{what_zh}，"
                "此前没有调查研究的记录",
                act.occurred_at,
            )
        )
    return found


@_check("wide-consultation")
def check_wide_consultation(
    world: World, params: Mapping[str, Any], as_of: datetime
) -> list[Finding]:
    """Rule ``wide-consultation``: a matter whose ``areas`` name at least ``minimum_areas``
    distinct areas (compared without regard to case) concerns several departments, and has
    their opinions on record, a consultation of kind ``department`` or ``wide``, by the time
    it is first put on the agenda: approved for it, placed on a meeting's agenda or decided.
    Which department answered for which area is not judged: the record names both in free
    text. Answerable: the member in charge."""
    minimum = _Params("wide-consultation", params).number("minimum_areas")
    kinds = (ConsultationKind.DEPARTMENT, ConsultationKind.WIDE)
    placements = _placements(world)
    found = []
    for matter in world.matters.values():
        areas = list(dict.fromkeys(a.casefold() for a in matter.areas))
        if len(areas) < minimum:
            continue
        first = _put_forward(matter, placements.get(matter.id, ()), proposal=False)
        if first is None:
            continue
        act, what, what_zh = first
        if _by(matter.consulted(*kinds), act.occurred_at):
            continue
        found.append(
            _finding(
                "wide-consultation",
                SubjectKind.MATTER,
                matter.id,
                (matter.opened.position, act.position),
                str(matter.in_charge),
                matter.body,
                f"matter {matter.title!r}, touching {len(areas)} areas "
                f"({', '.join(matter.areas)}), was {what} on {_day(act.occurred_at)} with no "
                "opinion of the departments concerned on record",
                f"事项《{matter.title}》涉及{'、'.join(matter.areas)}共{len(areas)}个方面，"
                f"于{_day(act.occurred_at, 'zh')}{what_zh}，此前未征求相关部门和单位的意见",
                act.occurred_at,
            )
        )
    return found


@_check("legality-review")
def check_legality_review(
    world: World, params: Mapping[str, Any], as_of: datetime
) -> list[Finding]:
    """Rule ``legality-review``: a major matter has a legality review on record by the time the
    deciding meeting opens. Answerable: the member in charge."""
    found = []
    for matter, decision in _decisions(world):
        if not _major_decision(matter):
            continue
        missing = _missing_preparation(
            "legality-review",
            world,
            matter,
            decision,
            "legality review",
            "合法性审查",
            (ConsultationKind.LEGALITY_REVIEW,),
            by_meeting=True,
        )
        if missing is not None:
            found.append(missing)
    return found


# --- agenda and notice ----------------------------------------------------------------------


def _may_approve(world: World, approval: ApprovalFact) -> bool:
    """The approver was the secretary then, or held a delegation of agenda approval valid
    then."""
    member = world.members.get(approval.by)
    if member is not None and member.holds(Post.SECRETARY, approval.occurred_at):
        return True
    return any(
        d.grantee == approval.by and d.power == AGENDA_APPROVAL and d.valid_at(approval.occurred_at)
        for d in world.delegations.values()
    )


@_check("agenda-approval")
def check_agenda_approval(
    world: World, params: Mapping[str, Any], as_of: datetime
) -> list[Finding]:
    """Rule ``agenda-approval``: an item the standing committee decides was approved for the
    agenda by the time the meeting opened, by the member holding the post ``secretary`` then or
    by the grantee of a delegation of agenda approval valid that day. Answerable: the approver;
    where there was no approval, the secretary (``office`` if there was none)."""
    found = []
    for matter, decision in _decisions(world):
        if _body_kind(world, decision.body) is not BodyKind.STANDING_COMMITTEE:
            continue
        opened = _meeting_start(world, decision)
        approvals = [
            a for a in _by(matter.approvals, opened) if a.meeting in (None, decision.meeting)
        ]
        if not approvals:
            found.append(
                _finding(
                    "agenda-approval",
                    SubjectKind.MATTER,
                    matter.id,
                    (matter.opened.position, decision.position),
                    _holder(world, Post.SECRETARY, opened),
                    decision.body,
                    f"matter {matter.title!r} was decided by the standing committee without its "
                    "agenda being approved before the meeting",
                    f"常委会决定的事项《{matter.title}》会前未经审定议题",
                    decision.occurred_at,
                )
            )
        elif not any(_may_approve(world, a) for a in approvals):
            approver = approvals[-1].by
            found.append(
                _finding(
                    "agenda-approval",
                    SubjectKind.MATTER,
                    matter.id,
                    (decision.position, *(a.position for a in approvals)),
                    str(approver),
                    decision.body,
                    f"the agenda item {matter.title!r} was approved by {_name(world, approver)}, "
                    "who was neither the secretary nor held a delegation of agenda approval "
                    "valid that day",
                    f"事项《{matter.title}》由{_name(world, approver)}审定议题，"
                    "其既非书记，也没有当日有效的委托",
                    decision.occurred_at,
                )
            )
    return found


@_check("notice-period")
def check_notice_period(world: World, params: Mapping[str, Any], as_of: datetime) -> list[Finding]:
    """Rule ``notice-period``: members of the standing committee were notified at least
    ``standing_committee_days``, of the plenary at least ``plenary_days``, calendar days before
    the meeting opened (counted between China's calendar dates, from the earliest notice); no
    notice at all is a breach too. Answerable: the secretary-general then, else ``office``."""
    p = _Params("notice-period", params)
    needed = {
        BodyKind.STANDING_COMMITTEE: p.number("standing_committee_days"),
        BodyKind.PLENARY: p.number("plenary_days"),
    }
    found = []
    for meeting in world.meetings.values():
        kind = _body_kind(world, meeting.body)
        if meeting.opening is None or kind not in needed:
            continue
        days = needed[kind]
        opened = meeting.opening.opened_at
        notices = [n for n in meeting.notices if n.sent_at <= opened]
        first = min(notices, key=lambda n: n.sent_at, default=None)
        if first is None:
            message = f"meeting {meeting.title!r} opened on {_day(opened)} without notice"
            message_zh = f"会议《{meeting.title}》（{_day(opened, 'zh')}）未提前通知"
        else:
            gap = (local_date(opened) - local_date(first.sent_at)).days
            if gap >= days:
                continue
            message = (
                f"meeting {meeting.title!r} was noticed {gap} day(s) before it opened on "
                f"{_day(opened)}; at least {days} are required"
            )
            message_zh = f"会议《{meeting.title}》仅提前{gap}天通知，应至少提前{days}天"
        found.append(
            _finding(
                "notice-period",
                SubjectKind.MEETING,
                meeting.id,
                (meeting.opening.position, *(n.position for n in notices)),
                _holder(world, Post.SECRETARY_GENERAL, opened),
                meeting.body,
                message,
                message_zh,
                opened,
            )
        )
    return found


@_check("notice-materials")
def check_notice_materials(
    world: World, params: Mapping[str, Any], as_of: datetime
) -> list[Finding]:
    """Rule ``notice-materials`` (送达会议有关材料): an opened plenary or standing committee
    meeting with items on its agenda, noticed before it opened, had materials delivered by at
    least one of those notices (a notice naming at least one material digest). A meeting with
    no notice at all is rule ``notice-period``'s finding, not this one's. Who received which
    materials is not on the record, so each member's delivery is not judged. Answerable: the
    secretary-general when the meeting opened, else ``office``."""
    found = []
    for meeting in _deciding_meetings(world):
        opening = meeting.opening
        if opening is None or not meeting.agenda:
            continue
        notices = [n for n in meeting.notices if n.sent_at <= opening.opened_at]
        if not notices or any(n.materials for n in notices):
            continue
        opened = opening.opened_at
        found.append(
            _finding(
                "notice-materials",
                SubjectKind.MEETING,
                meeting.id,
                (opening.position, *(n.position for n in notices)),
                _holder(world, Post.SECRETARY_GENERAL, opened),
                meeting.body,
                f"meeting {meeting.title!r} opened on {_day(opened)} with "
                f"{len(meeting.agenda)} item(s) on its agenda; its {len(notices)} notice(s) "
                "delivered no meeting materials",
                f"会议《{meeting.title}》于{_day(opened, 'zh')}召开，"
                f"议程有{len(meeting.agenda)}个议题，"
                "会前通知未送达会议有关材料",
                opened,
            )
        )
    return found


# --- the meeting: attendance, deliberation, vote ------------------------------------------------


def _deciding_meetings(world: World) -> Iterable[MeetingFacts]:
    """Opened meetings of the plenary or the standing committee."""
    for meeting in world.meetings.values():
        kind = _body_kind(world, meeting.body)
        if meeting.opening is not None and kind in (BodyKind.PLENARY, BodyKind.STANDING_COMMITTEE):
            yield meeting


@_check("quorum")
def check_quorum(world: World, params: Mapping[str, Any], as_of: datetime) -> list[Finding]:
    """Rule ``quorum``: a plenary or standing committee meeting that votes has ``share`` of its
    frozen roster present (``strict``: more than, else at least), and also ``cadre_share`` when
    it votes on the appointment or removal of cadres. Answerable: the chair."""
    p = _Params("quorum", params)
    base, cadre = p.share("share", "strict"), p.share("cadre_share", "cadre_strict")
    found = []
    for meeting in _deciding_meetings(world):
        opening = meeting.opening
        if opening is None or not meeting.votes:
            continue
        roster = set(opening.roster)
        present = len(set(opening.present) & roster)
        items = [i for v in meeting.votes for i in v.items]
        shares = [base]
        if any(world.matters[i].cadre for i in items if i in world.matters):
            shares.append(cadre)
        failed = [s for s in shares if not s.met(present, len(roster))]
        if not failed:
            continue
        share = failed[-1]
        needed = share.needed(len(roster))
        found.append(
            _finding(
                "quorum",
                SubjectKind.MEETING,
                meeting.id,
                (opening.position, *(v.position for v in meeting.votes)),
                str(meeting.chair),
                meeting.body,
                f"meeting {meeting.title!r} voted with {present} of {len(roster)} members "
                f"present; {share} ({needed}) must be present",
                f"会议《{meeting.title}》应到{len(roster)}人、实到{present}人，"
                f"须{_share_zh(share)}（{needed}人）到会，却进行了表决",
                meeting.votes[0].occurred_at,
            )
        )
    return found


@_check("majority")
def check_majority(world: World, params: Mapping[str, Any], as_of: datetime) -> list[Finding]:
    """Rule ``majority``: the announced result matches the count recomputed from the decision's
    basis: votes in favour against the threshold recorded in the basis, taken of the frozen
    roster less those who withdrew (unless ``count_withdrawn``). Answerable: the chair."""
    count_withdrawn = _Params("majority", params).flag("count_withdrawn")
    found = []
    for matter, decision in _decisions(world):
        basis = decision.basis
        if basis.threshold_denominator <= 0 or basis.threshold_numerator <= 0:
            share = _Params("majority", params).share("share", "strict")
        else:
            share = Share(basis.threshold_numerator, basis.threshold_denominator, basis.strict)
        withdrawn = set(basis.withdrawn)
        base = [m for m in basis.roster if count_withdrawn or m not in withdrawn]
        size = basis.base_size or len(base)  # the base as recorded, when the basis has it
        needed = share.needed(size)
        computed = Outcome.ADOPTED if basis.votes_for >= needed else Outcome.REJECTED
        if decision.outcome is computed:
            continue
        meeting = world.meetings.get(decision.meeting)
        positions = [decision.position]
        if meeting is not None:
            vote = meeting.vote_on(matter.id)
            positions += [a.position for a in meeting.on(matter.id).announcements]
            positions += [vote.position] if vote else []
        found.append(
            _finding(
                "majority",
                SubjectKind.MATTER,
                matter.id,
                positions,
                responsible(_chair(world, decision.meeting) or _actor_member(decision)),
                decision.body,
                f"matter {matter.title!r} was announced {decision.outcome.value} with "
                f"{basis.votes_for} votes for; {share} of the {size} who should attend "
                f"needs {needed}, so it is {computed.value}",
                f"事项《{matter.title}》赞成{basis.votes_for}票，应到会{size}人"
                f"需{needed}票，结果应为{_outcome_zh(computed)}，却宣布为"
                f"{_outcome_zh(decision.outcome)}",
                decision.occurred_at,
            )
        )
    return found


def _outcome_zh(outcome: Outcome) -> str:
    return "通过" if outcome is Outcome.ADOPTED else "未通过"


def _actor_member(act: Recorded) -> UUID | None:
    try:
        return UUID(act.actor)
    except ValueError:
        return None


@_check("item-by-item")
def check_item_by_item(world: World, params: Mapping[str, Any], as_of: datetime) -> list[Finding]:
    """Rule ``item-by-item``: each vote decides exactly one item; a vote that bundles others
    (``bundled_with``) is a breach. Answerable: the chair."""
    found = []
    for meeting in world.meetings.values():
        for vote in meeting.votes:
            if not vote.bundled_with:
                continue
            titles = [_title(world, i) for i in vote.items]
            found.append(
                _finding(
                    "item-by-item",
                    SubjectKind.MEETING,
                    meeting.id,
                    (vote.position,),
                    str(meeting.chair),
                    meeting.body,
                    f"meeting {meeting.title!r} decided {len(titles)} items by one vote: "
                    + ", ".join(repr(t) for t in titles),
                    f"会议《{meeting.title}》将{len(titles)}个议题合并一次表决："
                    + "、".join(f"《{t}》" for t in titles),
                    vote.occurred_at,
                )
            )
    return found


def _title(world: World, matter: UUID) -> str:
    known = world.matters.get(matter)
    return known.title if known else str(matter)


@_check("recusal")
def check_recusal(world: World, params: Mapping[str, Any], as_of: datetime) -> list[Finding]:
    """Rule ``recusal``: a member who declared a conflict of interest in an item at a meeting
    neither stated an opinion on it nor appears among its individual ballots there (a secret
    ballot or an unlisted tally shows no one). Answerable: that member."""
    found = []
    for meeting in world.meetings.values():
        for interest in meeting.interests:
            item, member = interest.item, interest.member
            on = meeting.on(item)
            spoke = [o for o in on.opinions if o.member == member]
            voted = [v for v in on.votes if any(b.member == member for b in v.ballots)]
            acts: list[Recorded] = sorted([*spoke, *voted], key=lambda a: a.position)
            if not acts:
                continue
            did_en = " and ".join(
                x for x, y in (("stated an opinion", spoke), ("voted", voted)) if y
            )
            did_zh = "并".join(x for x, y in (("发表意见", spoke), ("参加表决", voted)) if y)
            found.append(
                _finding(
                    "recusal",
                    SubjectKind.MATTER,
                    item,
                    (interest.position, *(a.position for a in acts)),
                    str(member),
                    meeting.body,
                    f"{_name(world, member)} declared an interest in {_title(world, item)!r} "
                    f"at {meeting.title!r} and still {did_en} on it instead of withdrawing",
                    f"{_name(world, member)}在会议《{meeting.title}》上申报了与事项"
                    f"《{_title(world, item)}》的利益关系，却未回避而{did_zh}",
                    acts[0].occurred_at,
                )
            )
    return found


@_check("chair-speaks-last")
def check_chair_speaks_last(
    world: World, params: Mapping[str, Any], as_of: datetime
) -> list[Finding]:
    """Rule ``chair-speaks-last`` (末位表态), at plenary and standing committee meetings: on each
    item, the chair states no view before another member's (in speaking order); states one at
    all where others did (judged once the item is voted or deferred, or the meeting closes);
    and where the announced result goes against the majority of stated views (each member's
    last view, agree against disagree), the announcement gives reasons. Answerable: the
    chair."""
    found = []
    for meeting in _deciding_meetings(world):
        items = dict.fromkeys(
            [o.item for o in meeting.opinions] + [a.item for a in meeting.announcements]
        )
        for item in items:
            found += _chair_order(world, meeting, item)
            found += _against_majority(world, meeting, item)
    return found


def _chair_order(world: World, meeting: MeetingFacts, item: UUID) -> list[Finding]:
    opinions = list(meeting.on(item).opinions)
    chair = [o for o in opinions if o.member == meeting.chair]
    others = [o for o in opinions if o.member != meeting.chair]
    chair_name, title = _name(world, meeting.chair), _title(world, item)
    if chair:
        after = [o for o in others if o.position > chair[0].position]
        if not after:
            return []
        message = (
            f"the chair {chair_name} stated a view on {title!r} before "
            f"{_name(world, after[0].member)} did, instead of speaking last"
        )
        message_zh = (
            f"会议主持人{chair_name}在{_name(world, after[0].member)}之前就事项《{title}》表态，"
            "未末位表态"
        )
        return [
            _finding(
                "chair-speaks-last",
                SubjectKind.MATTER,
                item,
                (chair[0].position, after[0].position),
                str(meeting.chair),
                meeting.body,
                message,
                message_zh,
                after[0].occurred_at,
            )
        ]
    if not others:
        return []
    vote = meeting.vote_on(item)
    ends: list[Recorded] = [
        *([vote] if vote else []),
        *meeting.on(item).deferrals,
        *([meeting.closing] if meeting.closing else []),
    ]
    if not ends:
        return []  # the item is still under discussion: the chair may yet speak
    end = min(ends, key=lambda a: a.position)
    return [
        _finding(
            "chair-speaks-last",
            SubjectKind.MATTER,
            item,
            (*(o.position for o in others), end.position),
            str(meeting.chair),
            meeting.body,
            f"the chair {chair_name} stated no view on {title!r} while {len(others)} other "
            "member(s) did",
            f"会议主持人{chair_name}未就事项《{title}》表态，而其他{len(others)}名成员已表态",
            end.occurred_at,
        )
    ]


def _against_majority(world: World, meeting: MeetingFacts, item: UUID) -> list[Finding]:
    on = meeting.on(item)
    announcement = on.announcements[0] if on.announcements else None
    if announcement is None or announcement.reasons.strip():
        return []
    views = {o.member: o.stance for o in on.opinions}
    agree = sum(1 for s in views.values() if s is Stance.AGREE)
    disagree = sum(1 for s in views.values() if s is Stance.DISAGREE)
    adopted = announcement.outcome is Outcome.ADOPTED
    if not ((adopted and disagree > agree) or (not adopted and agree > disagree)):
        return []
    title = _title(world, item)
    return [
        _finding(
            "chair-speaks-last",
            SubjectKind.MATTER,
            item,
            (announcement.position, *(o.position for o in on.opinions)),
            str(meeting.chair),
            meeting.body,
            f"{title!r} was announced {announcement.outcome.value} against the stated views "
            f"({agree} agree, {disagree} disagree) with no reasons given",
            f"事项《{title}》宣布{_outcome_zh(announcement.outcome)}，与多数意见相反"
            f"（同意{agree}，不同意{disagree}），却未说明理由",
            announcement.occurred_at,
        )
    ]


def _divided(one: int, other: int, base: int, margin: Fraction) -> bool:
    """Both sides taken, and the difference between them within ``margin`` of ``base``."""
    return one > 0 and other > 0 and abs(one - other) <= margin * base


@_check("defer-divided")
def check_defer_divided(world: World, params: Mapping[str, Any], as_of: datetime) -> list[Finding]:
    """Rule ``defer-divided`` (意见分歧较大的暂缓作出决定), at plenary and standing committee
    meetings: an item put to the vote there was not sharply divided. It is sharply divided
    when, with someone on each side, the difference between the sides is within ``margin`` of
    those counted: in the views stated there (each member's last view, ``agree`` against
    ``disagree``, of every member who stated one), or in the vote (votes for against votes
    against, of the ballots cast). ``margin`` 0 means a tie only. The announcement of the
    result may give reasons (the regulations let the majority view be carried out where
    urgency demands it); then there is no finding. Each item a vote decided (a bundled vote
    decides several) is judged. Answerable: the chair."""
    margin = _Params("defer-divided", params).fraction("margin")
    found = []
    for meeting in _deciding_meetings(world):
        for vote, item in ((v, i) for v in meeting.votes for i in v.items):
            on = meeting.on(item)
            if any(a.reasons.strip() for a in on.announcements):
                continue
            views = {o.member: o.stance for o in on.opinions}
            agree = sum(1 for s in views.values() if s is Stance.AGREE)
            disagree = sum(1 for s in views.values() if s is Stance.DISAGREE)
            split: list[tuple[str, str]] = []
            if _divided(agree, disagree, len(views), margin):
                split.append(
                    (
                        f"views stated {agree} agree, {disagree} disagree of {len(views)}",
                        f"{len(views)}人表态，同意{agree}人、不同意{disagree}人",
                    )
                )
            if _divided(vote.votes_for, vote.votes_against, vote.ballots_cast, margin):
                split.append(
                    (
                        f"votes {vote.votes_for} for, {vote.votes_against} against of "
                        f"{vote.ballots_cast}",
                        f"投票{vote.ballots_cast}张，赞成{vote.votes_for}票、"
                        f"反对{vote.votes_against}票",
                    )
                )
            if not split:
                continue
            title = _title(world, item)
            found.append(
                _finding(
                    "defer-divided",
                    SubjectKind.MATTER,
                    item,
                    (vote.position, *(o.position for o in on.opinions)),
                    str(meeting.chair),
                    meeting.body,
                    f"{title!r} was put to the vote at {meeting.title!r} although views were "
                    f"sharply divided ({'; '.join(x[0] for x in split)}; margin {margin}); "
                    "it should have been deferred",
                    f"会议《{meeting.title}》上对事项《{title}》意见分歧较大"
                    f"（{'；'.join(x[1] for x in split)}），未暂缓作出决定而付诸表决",
                    vote.occurred_at,
                )
            )
    return found


@_check("plenary-vote-method")
def check_plenary_vote_method(
    world: World, params: Mapping[str, Any], as_of: datetime
) -> list[Finding]:
    """Rule ``plenary-vote-method``: a plenary vote is taken by show of hands or secret ballot.
    Answerable: the chair."""
    allowed = (VoteMethod.SHOW_OF_HANDS, VoteMethod.SECRET_BALLOT)
    found = []
    for meeting in world.meetings.values():
        if _body_kind(world, meeting.body) is not BodyKind.PLENARY:
            continue
        for vote in meeting.votes:
            if vote.method in allowed:
                continue
            title = _title(world, vote.item)
            method_zh = term("zh", "method", vote.method.value)
            found.append(
                _finding(
                    "plenary-vote-method",
                    SubjectKind.MATTER,
                    vote.item,
                    (vote.position,),
                    str(meeting.chair),
                    meeting.body,
                    f"the plenary meeting {meeting.title!r} voted on {title!r} by "
                    f"{vote.method.value.replace('_', ' ')}; only show of hands or secret ballot "
                    "is allowed",
                    f"全委会会议《{meeting.title}》以{method_zh}方式表决事项《{title}》，"
                    "应采用举手表决或无记名投票",
                    vote.occurred_at,
                )
            )
    return found


@_check("non-decision-body")
def check_non_decision_body(
    world: World, params: Mapping[str, Any], as_of: datetime
) -> list[Finding]:
    """Rule ``non-decision-body``: a meeting of a body that may not decide (a preparatory
    meeting, or an organ outside the committee such as the county government) neither votes on
    nor announces a result for a major matter. Answerable: the chair."""
    found = []
    for meeting in world.meetings.values():
        kind = _body_kind(world, meeting.body)
        if kind is None or kind in DECISION_BODIES:
            continue
        acts: dict[UUID, list[Recorded]] = {}
        for vote in meeting.votes:
            for item in vote.items:
                acts.setdefault(item, []).append(vote)
        for announcement in meeting.announcements:
            acts.setdefault(announcement.item, []).append(announcement)
        for item, shown in acts.items():
            matter = world.matters.get(item)
            if matter is None or not matter.major:
                continue
            first = min(shown, key=lambda a: a.position)
            what, what_zh = (
                ("preparatory", "酝酿会")
                if kind is BodyKind.PREPARATORY
                else (
                    f"{_body_name(world, meeting.body)}'s",
                    f"{_body_name(world, meeting.body)}会议",
                )
            )
            found.append(
                _finding(
                    "non-decision-body",
                    SubjectKind.MATTER,
                    item,
                    (a.position for a in shown),
                    str(meeting.chair),
                    meeting.body,
                    f"the {what} meeting {meeting.title!r} voted on or announced a result "
                    f"for the major matter {matter.title!r}; only the plenary or the standing "
                    "committee decides",
                    f"{what_zh}《{meeting.title}》对重大事项《{matter.title}》进行了表决或宣布了结果，"
                    "重大问题只能由全委会或常委会决定",
                    first.occurred_at,
                )
            )
    return found


# --- after the meeting ----------------------------------------------------------------------


@_check("minutes-deadline")
def check_minutes_deadline(
    world: World, params: Mapping[str, Any], as_of: datetime
) -> list[Finding]:
    """Rule ``minutes-deadline``: a plenary or standing committee meeting's minutes are issued
    by the end of the ``working_days``-th Chinese working day after the day it closed, counted
    by the working-day calendar of each year (adopted, shipped, or weekends alone: then the
    finding is provisional and says which year's calendar is missing). Judged once that day
    has ended at ``as_of``. Answerable: the secretary-general at the close, else ``office``."""
    days = _Params("minutes-deadline", params).number("working_days")
    calendar = world.working_calendar
    found = []
    for meeting in _deciding_meetings(world):
        closing = meeting.closing
        if closing is None:
            continue
        closed_on = local_date(closing.closed_at)
        if as_of < end_of_day(closed_on + timedelta(days=days)):
            continue  # N working days never end sooner than N calendar days: not yet due
        count = calendar.add_working_days(closed_on, days)
        deadline = count.day
        due = end_of_day(deadline)
        if as_of < due:
            continue
        issued = sorted(meeting.minutes, key=lambda m: m.issued_at)
        if issued and issued[0].issued_at < due:
            continue
        if issued:
            late_en = f"they were issued on {_day(issued[0].issued_at)}"
            late_zh = f"实际于{_day(issued[0].issued_at, 'zh')}印发"
        else:
            late_en, late_zh = "none are on record", "至今未印发"
        caveat_en, caveat_zh = _provisional_text(count.missing_years)
        finding = _finding(
            "minutes-deadline",
            SubjectKind.MEETING,
            meeting.id,
            (closing.position, *(m.position for m in issued[:1])),
            _holder(world, Post.SECRETARY_GENERAL, closing.closed_at),
            meeting.body,
            f"the minutes of meeting {meeting.title!r} (closed {_day(closing.closed_at)}) "
            f"were due within {days} working days, {_by_day(deadline)}; {late_en}{caveat_en}",
            f"会议《{meeting.title}》于{_day(closing.closed_at, 'zh')}结束，会议纪要应在"
            f"{days}个工作日内印发，期限{_by_day(deadline, 'zh')}，{late_zh}{caveat_zh}",
            due,
        )
        found.append(
            dataclasses.replace(finding, calendars=tuple(r.cite() for r in count.calendars))
        )
    return found


def _provisional_text(missing: tuple[int, ...]) -> tuple[str, str]:
    """What a finding counted on weekends alone says of it (nothing when no year is missing)."""
    if not missing:
        return "", ""
    years = ", ".join(map(str, missing))
    years_zh = "、".join(map(str, missing))
    return (
        f" (provisional: no working-day calendar of {years} is on record, so the deadline "
        "was counted on weekends alone; adopt the State Council's holiday notice with "
        "`ledger calendar adopt`)",
        f"（暂定：本台账尚无 {years_zh} 年的工作日历，截止日期仅按周末推算；"
        "请用 ledger calendar adopt 采用国务院办公厅当年的节假日安排通知）",
    )


@_check("emergency-report")
def check_emergency_report(
    world: World, params: Mapping[str, Any], as_of: datetime
) -> list[Finding]:
    """Rule ``emergency-report``: an emergency action is reported, at a standing committee
    meeting, by the end of the ``days``-th calendar day after the day it was taken. Judged once
    that day has ended at ``as_of``. Answerable: whoever took the action."""
    days = _Params("emergency-report", params).number("days")
    found = []
    for action in world.emergencies.values():
        deadline = local_date(action.taken_at) + timedelta(days=days)
        due = end_of_day(deadline)
        if as_of < due:
            continue
        reports = [
            r
            for r in action.reports
            if r.reported_at < due
            and _body_kind(world, _meeting_body(world, r.meeting)) is BodyKind.STANDING_COMMITTEE
        ]
        if reports:
            continue
        found.append(
            _finding(
                "emergency-report",
                SubjectKind.EMERGENCY_ACTION,
                action.id,
                (action.taken.position, *(r.position for r in action.reports)),
                str(action.by),
                None,
                f"the emergency action taken by {_name(world, action.by)} on "
                f"{_day(action.taken_at)} was not reported to the standing committee within "
                f"{days} days, {_by_day(deadline)}",
                f"{_name(world, action.by)}于{_day(action.taken_at, 'zh')}采取的临机处置，"
                f"未在{days}日内向常委会报告，期限{_by_day(deadline, 'zh')}",
                due,
            )
        )
    return found


def _meeting_body(world: World, meeting: UUID) -> UUID:
    known = world.meetings.get(meeting)
    return known.body if known else meeting


@_check("change-authority")
def check_change_authority(
    world: World, params: Mapping[str, Any], as_of: datetime
) -> list[Finding]:
    """Rule ``change-authority``: a major change (``major``) or a revocation of a decision is
    made by the body that made the decision in force then. Answerable: the chair of the meeting
    that changed it, else the changing body."""
    found = []
    for matter in world.matters.values():
        acts: list[ChangeFact | RevocationFact] = [c for c in matter.changes if c.major]
        acts += matter.revocations
        for act in sorted(acts, key=lambda a: a.position):
            decided = [d for d in matter.decisions if d.position < act.position]
            if not decided or decided[-1].body == act.body:
                continue
            decision = decided[-1]
            changed = isinstance(act, ChangeFact)
            verb, verb_zh = ("changed", "重大调整") if changed else ("revoked", "撤销")
            chair = _chair(world, act.meeting)
            found.append(
                _finding(
                    "change-authority",
                    SubjectKind.MATTER,
                    matter.id,
                    (decision.position, act.position),
                    str(chair) if chair else str(act.body),
                    act.body,
                    f"matter {matter.title!r}, decided by {_body_name(world, decision.body)}, was "
                    f"{verb} by {_body_name(world, act.body)}",
                    f"事项《{matter.title}》由{_body_name(world, decision.body)}作出决策，"
                    f"却由{_body_name(world, act.body)}进行了{verb_zh}",
                    act.occurred_at,
                )
            )
    return found


@_check("implementation-deadline")
def check_implementation_deadline(
    world: World, params: Mapping[str, Any], as_of: datetime
) -> list[Finding]:
    """Rule ``implementation-deadline``: an assignment with a deadline is reported completed by
    the end of its deadline day. Judged once that day has ended at ``as_of``. Answerable: the
    assignee."""
    found = []
    for matter in world.matters.values():
        for task in matter.assignments:
            if task.deadline is None:
                continue
            due = end_of_day(task.deadline)
            if as_of < due:
                continue
            done = [p for p in matter.progress if p.assignment == task.assignment and p.completed]
            if any(p.occurred_at < due for p in done):
                continue
            found.append(
                _finding(
                    "implementation-deadline",
                    SubjectKind.MATTER,
                    matter.id,
                    (task.position, *(p.position for p in done)),
                    str(task.to),
                    matter.body,
                    f"the task {task.task!r} on matter {matter.title!r}, given to "
                    f"{_name(world, task.to)}, was not completed {_by_day(task.deadline)}",
                    f"事项《{matter.title}》的落实任务“{task.task}”（{_name(world, task.to)}）"
                    f"未按期完成，期限{_by_day(task.deadline, 'zh')}",
                    due,
                )
            )
    return found


@_check("reconsideration")
def check_reconsideration(
    world: World, params: Mapping[str, Any], as_of: datetime
) -> list[Finding]:
    """Rule ``reconsideration``: reconsidering (复议) a decision on cadres is agreed by
    ``share`` of the body's members (the meeting's roster). Answerable: the chair of the
    meeting that agreed it."""
    share = _Params("reconsideration", params).share("share", "strict")
    found = []
    for matter in world.matters.values():
        if not matter.cadre:
            continue
        for r in matter.reconsiderations:
            if share.met(r.votes_for, r.roster_size):
                continue
            found.append(
                _finding(
                    "reconsideration",
                    SubjectKind.MATTER,
                    matter.id,
                    (r.position,),
                    responsible(_chair(world, r.meeting)),
                    r.body,
                    f"reconsidering the cadre matter {matter.title!r} was agreed by "
                    f"{r.votes_for} of {r.roster_size} members; {share} "
                    f"({share.needed(r.roster_size)}) is required",
                    f"干部任免事项《{matter.title}》的复议仅{r.votes_for}人同意（共"
                    f"{r.roster_size}人），须{_share_zh(share)}（{share.needed(r.roster_size)}人）同意",
                    r.occurred_at,
                )
            )
    return found


_LIGHT = (Degree.WAIVED, Degree.REDUCED)
"""The degrees lighter than full responsibility, lightest first; every other degree (direct,
leading, important, or any added later) is full."""


def _lightness(degree: Degree) -> int:
    """0 waived, 1 reduced, 2 any full degree."""
    return _LIGHT.index(degree) if degree in _LIGHT else len(_LIGHT)


def _sides(meeting: MeetingFacts, item: UUID) -> dict[UUID, tuple[bool, Recorded]]:
    """Who dissented (True) and who supported (False) the item at the meeting, with the act
    that shows it: a member's ballot where the vote names it (``against`` / ``for``); else
    their last stated view, else their written view (``disagree`` / ``agree``)."""
    sides: dict[UUID, tuple[bool, Recorded]] = {}
    views: list[OpinionFact | WrittenViewFact] = [*meeting.written_views, *meeting.opinions]
    for view in (v for v in views if v.item == item):  # a stated view overrides a written one
        if view.stance in (Stance.AGREE, Stance.DISAGREE):
            sides[view.member] = (view.stance is Stance.DISAGREE, view)
        else:
            sides.pop(view.member, None)
    for vote in meeting.on(item).votes:
        for ballot in vote.ballots:
            if ballot.choice is Choice.ABSTAIN:
                sides.pop(ballot.member, None)
            else:
                sides[ballot.member] = (ballot.choice is Choice.AGAINST, vote)
    return sides


@_check("dissent-responsibility")
def check_dissent_responsibility(
    world: World, params: Mapping[str, Any], as_of: datetime
) -> list[Finding]:
    """Rule ``dissent-responsibility``: a concluded accountability review holds a member who
    dissented on the decision reviewed (the matter's last decision before the review opened,
    at the meeting that made it) no heavier than the regulations allow, unless it states a
    reason for that member: a dissenter held at a full degree is a finding, and so is one
    held ``reduced`` while a member who supported the decision is held ``reduced`` or
    ``waived`` in the same review. ``waived`` is never a finding. Answerable: the member who
    opened the review."""
    found = []
    for review in world.reviews.values():
        found += _review_dissent(world, review)
    return found


def _review_dissent(world: World, review: ReviewFacts) -> list[Finding]:
    conclusion = review.conclusion
    matter = world.matters.get(review.matter)
    if conclusion is None or matter is None:
        return []
    decided = [d for d in matter.decisions if d.occurred_at <= review.opened.occurred_at]
    meeting = world.meetings.get(decided[-1].meeting) if decided else None
    if meeting is None:
        return []
    decision = decided[-1]
    sides = _sides(meeting, matter.id)
    held = {r.member: r for r in conclusion.responsible}
    supporters = [r for m, r in held.items() if m in sides and not sides[m][0]]
    lightest = min((_lightness(r.degree) for r in supporters), default=None)
    found = []
    for member, (dissented, shown) in sides.items():
        r = held.get(member)
        if not dissented or r is None or r.reason.strip() or r.degree is Degree.WAIVED:
            continue
        level = _lightness(r.degree)
        if level < len(_LIGHT) and (lightest is None or level < lightest):
            continue
        name, degree_zh = _name(world, member), term("zh", "degree", r.degree.value)
        how, how_zh = (
            ("voted against", "投了反对票")
            if isinstance(shown, VoteFact)
            else ("stated disagreement", "表示不同意")
        )
        than, than_zh = ("", "")
        if level < len(_LIGHT):
            than = ", no lighter than a member who supported the decision"
            than_zh = "，不轻于支持该决策的成员"
        found.append(
            _finding(
                "dissent-responsibility",
                SubjectKind.MATTER,
                matter.id,
                (decision.position, shown.position, conclusion.position),
                str(review.opened_by),
                decision.body,
                f"the review of matter {matter.title!r} holds {name}, who {how} at "
                f"{meeting.title!r}, at {r.degree.value} responsibility{than}, with no reason "
                "stated; dissent on the record reduces or waives responsibility",
                f"对事项《{matter.title}》的决策失误责任追究将{name}的责任认定为“{degree_zh}”"
                f"{than_zh}，但其在会议《{meeting.title}》上{how_zh}，且未说明理由；"
                "对决策表示异议的应当减轻或免除责任",
                conclusion.occurred_at,
            )
        )
    return found


# --- over time ------------------------------------------------------------------------------


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` later in China (the month's last day where it is
    shorter)."""
    local = moment.astimezone(CHINA_TIME)
    years, month0 = divmod(local.month - 1 + months, 12)
    year, month = local.year + years, month0 + 1
    day = min(local.day, _gregorian.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


@_check("duty-report")
def check_duty_report(world: World, params: Mapping[str, Any], as_of: datetime) -> list[Finding]:
    """Rule ``duty-report``: each member of a standing committee at ``as_of``, who has been one
    without a break for at least ``months`` months, delivered a duty report (述职) to a plenary
    within the last ``months`` months. Judged as of ``as_of`` only (earlier gaps that were
    later made good are not findings). Answerable: that member."""
    months = _Params("duty-report", params).number("months")
    plenaries = {b.id for b in world.bodies.values() if b.kind is BodyKind.PLENARY}
    found = []
    for body in world.bodies.values():
        if body.kind is not BodyKind.STANDING_COMMITTEE:
            continue
        for member_id in sorted(body.members_at(as_of)):
            since = body.member_since(member_id, as_of)
            if since is None or add_months(since, months) > as_of:
                continue
            reports = [
                r
                for r in world.reports
                if r.kind is ReportKind.DUTY
                and r.by == member_id
                and r.to_body in plenaries
                and r.occurred_at <= as_of
            ]
            last = max(reports, key=lambda r: r.occurred_at, default=None)
            start = max(since, last.occurred_at) if last else since
            due = add_months(start, months)
            if due > as_of:
                continue
            joined = [
                c.position
                for c in body.changes
                if c.member == member_id and c.joined and c.occurred_at == since
            ]
            name = _name(world, member_id)
            found.append(
                _finding(
                    "duty-report",
                    SubjectKind.MEMBER,
                    member_id,
                    (*joined, *([last.position] if last else [])),
                    str(member_id),
                    body.id,
                    f"{name}, on {body.name} since {_day(since)}, has made no duty report to the "
                    f"plenary since {_day(start)}; one is due every {months} months",
                    f"{name}自{_day(since, 'zh')}起任{body.name}成员，{_day(start, 'zh')}以来"
                    "未向全委会述职，"
                    f"应每{months}个月述职一次",
                    due,
                )
            )
    return found


def _periods(start: datetime, as_of: datetime, months: int) -> Iterable[tuple[datetime, datetime]]:
    """Whole calendar periods of ``months`` months (aligned to January) lying inside
    ``[start, as_of]`` in China."""
    local = start.astimezone(CHINA_TIME)
    first_month = (local.month - 1) // months * months + 1
    begin = local.replace(month=first_month, day=1, hour=0, minute=0, second=0, microsecond=0)
    if begin < local:
        begin = add_months(begin, months)
    while (end := add_months(begin, months)) <= as_of:
        yield begin, end
        begin = end


@_check("meeting-frequency")
def check_meeting_frequency(
    world: World, params: Mapping[str, Any], as_of: datetime
) -> list[Finding]:
    """Rule ``meeting-frequency``: a standing committee opens at least
    ``standing_committee_per_month`` meetings in each calendar month, a plenary at least
    ``plenary_per_quarter`` in each calendar quarter, counting only months and quarters that lie
    wholly between the body's establishment and ``as_of`` (China time). Answerable: the
    secretary at the period's end, else ``office``."""
    p = _Params("meeting-frequency", params)
    rules = {
        BodyKind.STANDING_COMMITTEE: (1, p.number("standing_committee_per_month")),
        BodyKind.PLENARY: (3, p.number("plenary_per_quarter")),
    }
    found = []
    for body in world.bodies.values():
        if body.kind not in rules:
            continue
        months, needed = rules[body.kind]
        openings = [
            m.opening
            for m in world.meetings.values()
            if m.body == body.id and m.opening is not None
        ]
        for begin, end in _periods(body.established.occurred_at, as_of, months):
            held = [o for o in openings if begin <= o.opened_at < end]
            if len(held) >= needed:
                continue
            period, period_zh = _period_names(begin, months)
            found.append(
                _finding(
                    "meeting-frequency",
                    SubjectKind.BODY,
                    body.id,
                    (body.established.position, *(o.position for o in held)),
                    _holder(world, Post.SECRETARY, end - timedelta(microseconds=1)),
                    body.id,
                    f"{body.name} met {len(held)} time(s) in {period}; at least {needed} "
                    "are required",
                    f"{body.name}在{period_zh}仅召开{len(held)}次会议，应至少{needed}次",
                    end,
                )
            )
    return found


def _period_names(begin: datetime, months: int) -> tuple[str, str]:
    if months == 1:
        return begin.strftime("%Y-%m"), f"{begin.year}年{begin.month}月"
    quarter = (begin.month - 1) // 3 + 1
    return f"{begin.year} Q{quarter}", f"{begin.year}年第{quarter}季度"


@_check("late-record")
def check_late_record(world: World, params: Mapping[str, Any], as_of: datetime) -> list[Finding]:
    """Rule ``late-record``: every event is recorded no more than ``hours`` hours after it
    occurred (as claimed). Answerable: ``office``, which records."""
    hours = _Params("late-record", params).number("hours")
    limit = timedelta(hours=hours)
    found = []
    for event in world.events:
        delay = event.recorded_at - event.occurred_at
        if delay <= limit or world.transcription_of(event.position) is not None:
            continue  # on time, or entered from paper (noted once: rule ``transcription``)
        hours_late = delay.total_seconds() / 3600
        late, late_zh = (
            (f"{hours_late:.0f} hours", f"{hours_late:.0f}小时")
            if hours_late < 240
            else (f"{hours_late / 24:.0f} days", f"{hours_late / 24:.0f}天")
        )
        found.append(
            _finding(
                "late-record",
                SubjectKind.EVENT,
                str(event.position),
                (event.position,),
                OFFICE,
                None,
                f"event {event.position} ({event.type}) occurred {_stamp(event.occurred_at)} and "
                f"was recorded {late} later; at most {hours} hours are allowed",
                f"第{event.position}号事件发生于{_stamp(event.occurred_at, 'zh')}，"
                f"{late_zh}后才记录，超过{hours}小时",
                event.occurred_at + limit,
            )
        )
    return found


@_check("transcription")
def check_transcription(world: World, params: Mapping[str, Any], as_of: datetime) -> list[Finding]:
    """Rule ``transcription``: each batch transcribed from a paper record is noted once (its
    acts are not each flagged ``late-record``), naming the source, its reference, the scan's
    digest (or that there is none), the clerk, how many acts, and when they happened.
    Answerable: ``office``, which entered them."""
    found = []
    for t in world.transcriptions:
        happened = [e.occurred_at for e in world.events if t.covers(e.position)]
        span_en = span_zh = ""
        if happened:
            first, last = min(happened), max(happened)
            span_en = f" of acts that happened {_day(first)} to {_day(last)}"
            span_zh = f"（所涉行为发生于{_day(first, 'zh')}至{_day(last, 'zh')}）"
        reference = f" ({t.reference})" if t.reference else ""
        scan_en = f"scan {t.scan}" if t.scan else "no scan given"
        scan_zh = f"扫描件 {t.scan}" if t.scan else "未附扫描件"
        count = t.last - t.first + 1
        found.append(
            _finding(
                "transcription",
                SubjectKind.EVENT,
                str(t.position),
                (t.position,),
                OFFICE,
                None,
                f"{count} events{span_en} were transcribed from the paper record "
                f"{t.source!r}{reference} by {t.clerk} on {_day(t.recorded_at)}; {scan_en}",
                f"{t.clerk}于{_day(t.recorded_at, 'zh')}据纸质记录《{t.source}》{reference}补录"
                f"{count}个事件{span_zh}；{scan_zh}",
                t.recorded_at,
            )
        )
    return found


@_check("outcome-correction")
def check_outcome_correction(
    world: World, params: Mapping[str, Any], as_of: datetime
) -> list[Finding]:
    """Rule ``outcome-correction``: a structured correction that changes a field bearing on an
    outcome (``ledger.domain.correction.CORRECTABLE``) is put up for review, citing the
    correction and the act it corrected. Answerable: whoever recorded the correction."""
    found = []
    for correction in world.corrections:
        changed = [c for c in correction.changes if c.outcome and c.value != c.original]
        if not changed:
            continue
        listed = "; ".join(_change_en(world, c) for c in changed)
        listed_zh = "；".join(_change_zh(world, c) for c in changed)
        found.append(
            _finding(
                "outcome-correction",
                SubjectKind.EVENT,
                str(correction.corrects),
                (correction.corrects, correction.position),
                correction.actor,
                None,
                f"event {correction.position} corrects event {correction.corrects} in a way "
                f"that bears on an outcome ({listed}); reason given: {correction.reason}; "
                "review the correction",
                f"第{correction.position}号事件更正了第{correction.corrects}号事件，涉及表决"
                f"结果（{listed_zh}），所述理由：{correction.reason}；须审查此更正",
                correction.recorded_at,
            )
        )
    return found


def _stamp(moment: datetime, lang: Lang = "en") -> str:
    return say_time(lang, moment)


_FIELD_ZH = {
    "votes_for": "赞成票",
    "votes_against": "反对票",
    "abstentions": "弃权票",
    "invalid": "无效票",
    "ballots_cast": "投票数",
    "ballot": "投票",
    "attendance": "出席",
    "outcome": "结果",
}
_VALUE_ZH = {
    "for": "赞成",
    "against": "反对",
    "abstain": "弃权",
    "present": "出席",
    "absent": "缺席",
    "adopted": "通过",
    "rejected": "未通过",
}


def _change_en(world: World, change: FieldChangeFact) -> str:
    member = world.members.get(change.member) if change.member else None
    whose = f" of {member.name if member else change.member}" if change.member else ""
    return f"{change.field}{whose} {change.original} -> {change.value}"


def _change_zh(world: World, change: FieldChangeFact) -> str:
    member = world.members.get(change.member) if change.member else None
    whose = f"{member.name if member else change.member}的" if change.member else ""

    def said(value: str | int | None) -> str:
        return _VALUE_ZH.get(str(value), str(value))

    field = _FIELD_ZH.get(change.field, change.field)
    return f"{whose}{field}由{said(change.original)}改为{said(change.value)}"
