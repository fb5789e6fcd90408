"""Rules after the meeting: minutes-deadline, implementation-deadline, change-authority,
reconsideration, emergency-report, and dissent-responsibility (an accountability review).
Deadline rules find nothing before the deadline."""

from __future__ import annotations

from typing import Any

from ledger.domain.rules.calendar_file import parse_calendar
from ledger.domain.rules.engine import evaluate, parameters_in_force
from ledger.domain.rules.finding import SubjectKind
from tests.domain.rules.conftest import (
    AS_OF,
    CountyLedger,
    county_rest,
    edited,
    moment,
    without,
)
from tests.domain.rules.test_calendar import calendar_2027

Acts = list[dict[str, Any]]


def test_minutes_deadline_missed(ledger: CountyLedger) -> None:
    """Closed Tuesday 24 February 2026; three working days run to Friday the 27th. Saturday
    the 28th is an adjusted working day (调休), but the deadline had passed."""
    late = edited(county_rest(), "meeting.minutes", {"at": "2026-02-28T10:00:00+08:00"})
    found = ledger.found("minutes-deadline", late)
    assert found.subject_kind is SubjectKind.MEETING and found.subject_id == ledger.id("m1")
    assert found.responsible == ledger.id("zhou")  # the secretary-general
    assert "by 27 February 2026 (inclusive)" in found.message
    assert "issued on 28 February 2026" in found.message
    assert (
        "期限至2026年2月27日（含）" in found.message_zh and "2026年2月28日印发" in found.message_zh
    )
    assert found.when == moment("2026-02-28T00:00:00+08:00")


def test_minutes_deadline_no_minutes(ledger: CountyLedger) -> None:
    found = ledger.found("minutes-deadline", without(county_rest(), "meeting.minutes"))
    assert "none are on record" in found.message and "至今未印发" in found.message_zh


def test_minutes_deadline_not_yet_passed_is_no_finding(ledger: CountyLedger) -> None:
    acts = without(county_rest(), "meeting.minutes")
    assert ledger.clean("minutes-deadline", acts, as_of=moment("2026-02-27T23:00:00+08:00"))


def test_minutes_within_three_working_days_is_compliant(ledger: CountyLedger) -> None:
    assert ledger.clean("minutes-deadline", county_rest())


def test_minutes_deadline_skips_the_spring_festival(ledger: CountyLedger) -> None:
    """A meeting closing Friday 13 February 2026: Saturday the 14th is a working day, the 15th
    to the 23rd are the Spring Festival holiday, so the third working day is the 25th."""
    t = "2026-02-{}T{}:00+08:00".format
    acts: Acts = [
        {"act": "meeting.schedule", "as": "m0", "body": "sc", "title": "节前常委会",
         "scheduled_for": t("13", "09:00"), "chair": "wang", "at": t("10", "09:00")},
        {"act": "meeting.notice", "meeting": "m0", "at": t("10", "10:00")},
        {"act": "meeting.open", "meeting": "m0",
         "present": ["wang", "li", "zhang", "zhao", "zhou"], "at": t("13", "09:00")},
        {"act": "meeting.close", "meeting": "m0", "at": t("13", "11:00")},
        {"act": "meeting.minutes", "meeting": "m0", "by": "zhou", "at": t("25", "17:00")},
    ]  # fmt: skip
    assert ledger.clean("minutes-deadline", acts)


def _meeting_before_spring_festival_2027(minutes_on: str) -> Acts:
    """A standing committee meeting closing Thursday 4 February 2027, the day before the
    Spring Festival holiday of the tests' 2027 calendar (5 to 13 February)."""
    t = "2027-02-{}T{}:00+08:00".format
    return [
        {"act": "meeting.schedule", "as": "m0", "body": "sc", "title": "节前常委会",
         "scheduled_for": t("04", "09:00"), "chair": "wang", "at": t("01", "09:00")},
        {"act": "meeting.notice", "meeting": "m0", "at": t("01", "10:00")},
        {"act": "meeting.open", "meeting": "m0",
         "present": ["wang", "li", "zhang", "zhao", "zhou"], "at": t("04", "09:00")},
        {"act": "meeting.close", "meeting": "m0", "at": t("04", "11:00")},
        {"act": "meeting.minutes", "meeting": "m0", "by": "zhou", "at": t(minutes_on, "17:00")},
    ]  # fmt: skip


def _adopt_2027(ledger: CountyLedger) -> int:
    ledger.clock.now = moment("2026-11-20T09:00:00+08:00")
    return ledger.service.adopt_calendar(parse_calendar(calendar_2027()))


AS_OF_2027 = moment("2027-03-01T00:00:00+08:00")


def test_minutes_deadline_in_a_year_without_a_calendar_is_provisional(
    ledger: CountyLedger,
) -> None:
    """No 2027 calendar on record: the deadline is counted on weekends alone (Fri 5, Mon 8,
    Tue 9 February), and the finding says it is provisional and which year is missing."""
    found = ledger.found(
        "minutes-deadline", _meeting_before_spring_festival_2027("15"), as_of=AS_OF_2027
    )
    assert found.provisional and found.calendars == ("2027@provisional",)
    assert "by 9 February 2027 (inclusive)" in found.message
    assert "provisional: no working-day calendar of 2027" in found.message
    assert "暂定" in found.message_zh and "2027 年的工作日历" in found.message_zh
    assert found.to_json()["provisional"] is True


def test_minutes_deadline_counts_by_the_adopted_calendar(ledger: CountyLedger) -> None:
    """The same minutes, with the 2027 calendar adopted: the Spring Festival holiday is
    skipped, the third working day is Wednesday 17 February, and the minutes of the 15th are
    on time."""
    _adopt_2027(ledger)
    assert ledger.clean(
        "minutes-deadline", _meeting_before_spring_festival_2027("15"), as_of=AS_OF_2027
    )


def test_minutes_deadline_missed_under_the_adopted_calendar_cites_it(
    ledger: CountyLedger,
) -> None:
    position = _adopt_2027(ledger)
    found = ledger.found(
        "minutes-deadline", _meeting_before_spring_festival_2027("18"), as_of=AS_OF_2027
    )
    assert "by 17 February 2027 (inclusive)" in found.message and "provisional" not in found.message
    assert found.calendars == (f"2027@adopted:{position}",) and not found.provisional


def test_a_calendar_adopted_later_is_unknown_to_a_judgement_as_of_before(
    ledger: CountyLedger,
) -> None:
    """As of a moment before the calendar was recorded, the record did not know it: the
    finding of that moment stays provisional (what the ledger knew then)."""
    ledger.record_promptly(_meeting_before_spring_festival_2027("15"))
    ledger.clock.now = moment("2027-02-20T09:00:00+08:00")
    ledger.service.adopt_calendar(parse_calendar(calendar_2027()))
    before = moment("2027-02-19T12:00:00+08:00")
    world = ledger.world(until=before)
    earlier = evaluate(world, parameters_in_force(world, before), before, ["minutes-deadline"])
    assert [f.calendars for f in earlier] == [("2027@provisional",)]
    assert ledger.findings("minutes-deadline", AS_OF_2027) == []


def test_minutes_deadline_across_the_new_year_names_both_calendars(
    ledger: CountyLedger,
) -> None:
    """Closed Wednesday 30 December 2026: counted through 2026 (shipped) and 2027 (none)."""
    t = "{}T{}:00+08:00".format
    acts: Acts = [
        {"act": "meeting.schedule", "as": "m0", "body": "sc", "title": "年末常委会",
         "scheduled_for": t("2026-12-30", "09:00"), "chair": "wang",
         "at": t("2026-12-25", "09:00")},
        {"act": "meeting.notice", "meeting": "m0", "at": t("2026-12-25", "10:00")},
        {"act": "meeting.open", "meeting": "m0",
         "present": ["wang", "li", "zhang", "zhao", "zhou"], "at": t("2026-12-30", "09:00")},
        {"act": "meeting.close", "meeting": "m0", "at": t("2026-12-30", "11:00")},
    ]  # fmt: skip
    found = ledger.found("minutes-deadline", acts, as_of=AS_OF_2027)
    assert found.calendars == ("2026@shipped", "2027@provisional")
    assert "by 4 January 2027 (inclusive)" in found.message


def test_implementation_deadline_missed(ledger: CountyLedger) -> None:
    acts = edited(county_rest(), "matter.assign", {"deadline": "2026-02-28"})
    found = ledger.found("implementation-deadline", acts)
    assert found.subject_kind is SubjectKind.MATTER and found.subject_id == ledger.id("water")
    assert found.responsible == ledger.id("li")  # the assignee
    assert "not completed by 28 February 2026 (inclusive)" in found.message
    assert "未按期完成，期限至2026年2月28日（含）" in found.message_zh


def test_implementation_completed_on_time_is_compliant(ledger: CountyLedger) -> None:
    done = {
        "act": "matter.progress",
        "matter": "water",
        "assignment": "task1",
        "by": "li",
        "summary": "一期工程完工",
        "completed": True,
        "at": "2026-02-28T16:00:00+08:00",
    }
    acts = edited(county_rest(), "matter.assign", {"deadline": "2026-02-28"})
    assert ledger.clean("implementation-deadline", [*acts, done])


def test_implementation_deadline_not_yet_passed_is_no_finding(ledger: CountyLedger) -> None:
    assert ledger.clean("implementation-deadline", county_rest())  # due 2026-12-31


PLENARY = {
    "act": "body.establish",
    "as": "pl",
    "kind": "plenary",
    "name": "县委全委会",
    "members": ["wang", "li", "zhang", "zhao", "zhou"],
    "at": "2026-01-05T10:00:00+08:00",
}


def changed_by(body: str, meeting: str | None = None) -> Acts:
    change: dict[str, Any] = {
        "act": "matter.change",
        "matter": "water",
        "body": body,
        "summary": "改为一次性改造",
        "at": "2026-02-27T15:00:00+08:00",
    }
    if meeting:
        change["meeting"] = meeting
    return [PLENARY, *county_rest(), change]


def test_change_authority_changed_by_another_body(ledger: CountyLedger) -> None:
    found = ledger.found("change-authority", changed_by("pl"))
    assert found.subject_kind is SubjectKind.MATTER and found.subject_id == ledger.id("water")
    assert found.responsible == ledger.id("pl")  # no meeting: the body answers
    assert "decided by 县委常委会, was changed by 县委全委会" in found.message


def test_change_authority_changed_at_another_bodys_meeting_names_its_chair(
    ledger: CountyLedger,
) -> None:
    meeting = {
        "act": "meeting.schedule",
        "as": "p1",
        "body": "pl",
        "title": "县委全会",
        "scheduled_for": "2026-02-27T14:00:00+08:00",
        "chair": "zhang",
        "at": "2026-02-20T09:00:00+08:00",
    }
    found = ledger.found("change-authority", [meeting, *changed_by("pl", "p1")])
    assert found.responsible == ledger.id("zhang")


def test_change_authority_revoked_by_another_body(ledger: CountyLedger) -> None:
    revoke = {
        "act": "matter.revoke",
        "matter": "water",
        "body": "pl",
        "reason": "资金未落实",
        "at": "2026-02-27T15:00:00+08:00",
    }
    found = ledger.found("change-authority", [PLENARY, *county_rest(), revoke])
    assert "was revoked by 县委全委会" in found.message


def test_change_by_the_deciding_body_is_compliant(ledger: CountyLedger) -> None:
    assert ledger.clean("change-authority", changed_by("sc"))


def reconsidered(votes_for: int) -> Acts:
    acts = edited(county_rest(), "matter.open", {"cadre": True, "major": False})
    reconsider = {
        "act": "matter.reconsider",
        "matter": "water",
        "meeting": "m1",
        "votes_for": votes_for,
        "reason": "人选情况有变化",
        "at": "2026-02-28T10:00:00+08:00",
    }
    return [*acts, reconsider]


def test_reconsideration_of_cadre_matter_without_majority(ledger: CountyLedger) -> None:
    found = ledger.found("reconsideration", reconsidered(2))
    assert found.subject_kind is SubjectKind.MATTER and found.subject_id == ledger.id("water")
    assert found.responsible == ledger.id("wang")  # chair of m1
    assert "2 of 5 members; more than 1/2 (3)" in found.message


def test_reconsideration_with_majority_is_compliant(ledger: CountyLedger) -> None:
    assert ledger.clean("reconsideration", reconsidered(3))


def emergency(report_at: str | None, meeting_body: str = "sc") -> Acts:
    t = "2026-02-{}T{}:00+08:00".format
    acts: Acts = [
        {"act": "emergency.act", "as": "e1", "by": "li", "summary": "暴雨抢险，紧急调拨物资",
         "at": t("20", "03:00")},
        {"act": "meeting.schedule", "as": "m9", "body": meeting_body, "title": "常委会",
         "scheduled_for": t("24", "09:00"), "chair": "wang", "at": t("20", "09:00")},
    ]  # fmt: skip
    if report_at:
        acts.append(
            {"act": "emergency.report", "action": "e1", "meeting": "m9", "by": "li",
             "at": report_at}
        )  # fmt: skip
    return acts


def test_emergency_action_not_reported(ledger: CountyLedger) -> None:
    found = ledger.found("emergency-report", emergency(None))
    assert found.subject_kind is SubjectKind.EMERGENCY_ACTION
    assert found.subject_id == ledger.id("e1")
    assert found.responsible == ledger.id("li")
    assert found.when == moment("2026-02-28T00:00:00+08:00")  # end of the 7th day


def test_emergency_action_reported_late(ledger: CountyLedger) -> None:
    found = ledger.found("emergency-report", emergency("2026-02-28T09:00:00+08:00"))
    assert len(found.positions) == 2  # the action and the late report


def test_emergency_reported_to_another_body_does_not_count(ledger: CountyLedger) -> None:
    acts = [PLENARY, *emergency("2026-02-24T10:00:00+08:00", meeting_body="pl")]
    assert ledger.found("emergency-report", acts).responsible == ledger.id("li")


def test_emergency_report_not_yet_due_is_no_finding(ledger: CountyLedger) -> None:
    assert ledger.clean(
        "emergency-report", emergency(None), as_of=moment("2026-02-27T20:00:00+08:00")
    )


def test_emergency_reported_within_seven_days_is_compliant(ledger: CountyLedger) -> None:
    assert ledger.clean("emergency-report", emergency("2026-02-24T10:00:00+08:00"), as_of=AS_OF)


def zhou_against() -> Acts:
    """周洁 (zhou) disagrees and votes against; the water matter passes 3 to 1."""
    acts = edited(county_rest(), "meeting.opinion", {"stance": "disagree"}, member="zhou")
    named = [
        {"member": m, "choice": "against" if m == "zhou" else "for"}
        for m in ("wang", "li", "zhang", "zhou")
    ]
    return edited(acts, "meeting.vote", {"for": 3, "against": 1, "ballots": named})


def reviewed(*held: tuple[str, str, str]) -> Acts:
    """An accountability review of the water matter, opened by 赵敏 (zhao), holding each
    ``(member, degree, reason)``."""
    return [
        {
            "act": "review.open",
            "as": "rev",
            "matter": "water",
            "reason": "管网改造后漏损率不降反升",
            "opened_by": "zhao",
            "at": "2026-02-27T10:00:00+08:00",
        },
        {
            "act": "review.conclude",
            "review": "rev",
            "failed": True,
            "conclusion": "前期论证不充分，决策失误",
            "responsible": [
                {"member": m, "role": "参与表决", "degree": d, "reason": r} for m, d, r in held
            ],
            "at": "2026-02-28T10:00:00+08:00",
        },
    ]


def test_dissent_responsibility_dissenter_held_at_a_full_degree(ledger: CountyLedger) -> None:
    held = (("li", "direct", "分管负责人"), ("zhang", "important", ""), ("zhou", "important", ""))
    found = ledger.found("dissent-responsibility", [*zhou_against(), *reviewed(*held)])
    assert found.subject_kind is SubjectKind.MATTER and found.subject_id == ledger.id("water")
    assert found.responsible == ledger.id("zhao")  # who opened the review
    assert "holds 周洁, who voted against at '县委常委会第3次会议', at important" in found.message
    assert "no lighter" not in found.message
    assert "周洁的责任认定为“重要领导责任”" in found.message_zh
    assert "投了反对票" in found.message_zh
    assert found.when == moment("2026-02-28T10:00:00+08:00")


def test_dissent_responsibility_reduced_like_a_supporter(ledger: CountyLedger) -> None:
    held = (("li", "direct", "分管负责人"), ("zhang", "reduced", ""), ("zhou", "reduced", ""))
    found = ledger.found("dissent-responsibility", [*zhou_against(), *reviewed(*held)])
    assert "at reduced responsibility, no lighter than a member who supported" in found.message


def test_dissent_responsibility_seen_in_the_views_of_a_secret_ballot(
    ledger: CountyLedger,
) -> None:
    acts = edited(county_rest(), "meeting.opinion", {"stance": "disagree"}, member="zhou")
    secret = {"method": "secret_ballot", "for": 3, "against": 1, "ballots": []}
    acts = edited(acts, "meeting.vote", secret)
    found = ledger.found("dissent-responsibility", [*acts, *reviewed(("zhou", "direct", ""))])
    assert "who stated disagreement" in found.message and "表示不同意" in found.message_zh


def test_dissent_responsibility_waived_is_compliant(ledger: CountyLedger) -> None:
    held = (("li", "direct", "分管负责人"), ("zhang", "important", ""), ("zhou", "waived", ""))
    assert ledger.clean("dissent-responsibility", [*zhou_against(), *reviewed(*held)])


def test_dissent_responsibility_reduced_below_the_supporters_is_compliant(
    ledger: CountyLedger,
) -> None:
    held = (("li", "direct", "分管负责人"), ("zhang", "important", ""), ("zhou", "reduced", ""))
    assert ledger.clean("dissent-responsibility", [*zhou_against(), *reviewed(*held)])


def test_dissent_responsibility_with_a_stated_reason_is_compliant(ledger: CountyLedger) -> None:
    held = (("li", "direct", ""), ("zhou", "direct", "会后擅自改变实施方案，造成损失"))
    assert ledger.clean("dissent-responsibility", [*zhou_against(), *reviewed(*held)])


def test_dissent_responsibility_holds_supporters_as_it_likes(ledger: CountyLedger) -> None:
    """Everyone voted for: the rule has nothing to say about the degrees of supporters."""
    held = (("li", "direct", ""), ("zhou", "direct", ""))
    assert ledger.clean("dissent-responsibility", [*county_rest(), *reviewed(*held)])


GOVERNMENT = {
    "act": "body.establish",
    "as": "gov",
    "kind": "government",
    "name": "县人民政府",
    "members": ["zhang"],
    "at": "2026-01-05T10:00:00+08:00",
}


def test_change_authority_changed_by_the_county_government(ledger: CountyLedger) -> None:
    """A body of another kind (the county government) changing the standing committee's
    decision: recorded, and judged by change-authority."""
    acts = [GOVERNMENT, *changed_by("gov")[1:]]
    found = ledger.found("change-authority", acts)
    assert "decided by 县委常委会, was changed by 县人民政府" in found.message
    assert "却由县人民政府进行了重大调整" in found.message_zh
    assert found.responsible == ledger.id("gov")
