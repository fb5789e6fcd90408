"""Rules over time: duty-report (half-yearly 述职), meeting-frequency, late-record."""

from __future__ import annotations

from typing import Any

from ledger.domain.rules.finding import SubjectKind
from tests.domain.rules.conftest import AS_OF, CountyLedger, county_rest, moment

Acts = list[dict[str, Any]]
SC_MEMBERS = ("wang", "li", "zhang", "zhao", "zhou")
SUMMER = moment("2026-07-06T00:00:00+08:00")

PLENARY = {
    "act": "body.establish",
    "as": "pl",
    "kind": "plenary",
    "name": "县委全委会",
    "members": list(SC_MEMBERS),
    "at": "2026-01-05T10:00:00+08:00",
}


def duty_reports(*members: str, to_body: str = "pl") -> Acts:
    return [
        {
            "act": "report.deliver",
            "kind": "duty",
            "by": member,
            "to_body": to_body,
            "period_start": "2026-01-05",
            "period_end": "2026-06-30",
            "at": "2026-06-30T10:00:00+08:00",
        }
        for member in members
    ]


def test_duty_report_missing_after_six_months(ledger: CountyLedger) -> None:
    acts = [PLENARY, *duty_reports("wang", "li", "zhang", "zhao")]
    found = ledger.found("duty-report", acts, as_of=SUMMER)
    assert found.subject_kind is SubjectKind.MEMBER and found.subject_id == ledger.id("zhou")
    assert found.responsible == ledger.id("zhou")
    assert str(found.body) == ledger.id("sc")
    assert found.when == moment("2026-07-05T09:00:00+08:00")  # six months after joining


def test_duty_report_to_the_standing_committee_does_not_count(ledger: CountyLedger) -> None:
    acts = [
        PLENARY,
        *duty_reports("wang", "li", "zhang", "zhao"),
        *duty_reports("zhou", to_body="sc"),
    ]
    assert ledger.found("duty-report", acts, as_of=SUMMER).subject_id == ledger.id("zhou")


def test_duty_reports_by_everyone_are_compliant(ledger: CountyLedger) -> None:
    assert ledger.clean("duty-report", [PLENARY, *duty_reports(*SC_MEMBERS)], as_of=SUMMER)


def test_duty_report_not_due_in_the_first_six_months(ledger: CountyLedger) -> None:
    assert ledger.clean("duty-report", [PLENARY], as_of=moment("2026-07-05T08:00:00+08:00"))


def test_meeting_frequency_one_standing_committee_meeting_in_february(
    ledger: CountyLedger,
) -> None:
    found = ledger.found("meeting-frequency", county_rest())
    assert found.subject_kind is SubjectKind.BODY and found.subject_id == ledger.id("sc")
    assert found.responsible == ledger.id("wang")  # the secretary
    assert "met 1 time(s) in 2026-02; at least 2" in found.message
    assert found.when == AS_OF


def test_meeting_frequency_two_meetings_in_february_is_compliant(ledger: CountyLedger) -> None:
    t = "2026-02-{}T{}:00+08:00".format
    second: Acts = [
        {"act": "meeting.schedule", "as": "m2", "body": "sc", "title": "县委常委会第4次会议",
         "scheduled_for": t("27", "09:00"), "chair": "wang", "at": t("24", "12:00")},
        {"act": "meeting.open", "meeting": "m2", "present": list(SC_MEMBERS),
         "at": t("27", "09:00")},
    ]  # fmt: skip
    assert ledger.clean("meeting-frequency", [*county_rest(), *second])


def test_meeting_frequency_counts_only_whole_months(ledger: CountyLedger) -> None:
    """Established on 5 January: January is not a whole month of the body; February is not over
    on 28 February."""
    assert ledger.clean(
        "meeting-frequency", county_rest(), as_of=moment("2026-02-28T23:00:00+08:00")
    )


def test_meeting_frequency_plenary_quarter_without_meeting(ledger: CountyLedger) -> None:
    """Established on 5 January: the first whole quarter is the second."""
    ledger.record_promptly([PLENARY])
    quarters = [
        f
        for f in ledger.findings("meeting-frequency", as_of=moment("2026-07-01T00:00:00+08:00"))
        if f.subject_id == ledger.id("pl")
    ]
    assert [f.message for f in quarters] == [
        "县委全委会 met 0 time(s) in 2026 Q2; at least 1 are required"
    ]


def test_late_record_act_recorded_four_days_later(ledger: CountyLedger) -> None:
    ledger.record_promptly(county_rest())
    supervise = {
        "act": "matter.supervise",
        "matter": "water",
        "by": "zhao",
        "summary": "督查进度",
        "at": "2026-02-27T10:00:00+08:00",
    }
    result = ledger.record(supervise, sealed_at="2026-03-03T10:00:00+08:00")
    found = ledger.findings("late-record", as_of=moment("2026-03-05T00:00:00+08:00"))
    assert len(found) == 1
    assert found[0].subject_kind is SubjectKind.EVENT
    assert found[0].positions == (result.first_position,)
    assert found[0].subject_id == str(result.first_position)
    assert found[0].responsible == "office"
    assert "recorded 96 hours later; at most 72 hours" in found[0].message


def test_late_record_prompt_recording_is_compliant(ledger: CountyLedger) -> None:
    assert ledger.clean("late-record", county_rest())
