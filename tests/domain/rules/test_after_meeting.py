"""Rules after the meeting: minutes-deadline, implementation-deadline, change-authority,
reconsideration, and emergency-report. Deadline rules find nothing before the deadline."""

from __future__ import annotations

from typing import Any

from ledger.domain.rules.finding import SubjectKind
from tests.domain.rules.conftest import (
    AS_OF,
    CountyLedger,
    county_rest,
    edited,
    moment,
    without,
)

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
