"""Rules before the meeting: agenda-approval (the secretary, or a delegate, approves each item the
standing committee decides), notice-period (members notified in time) and notice-materials
(the notice delivers the meeting materials)."""

from __future__ import annotations

from ledger.domain.rules.finding import SubjectKind
from tests.domain.rules.conftest import AS_OF, CountyLedger, county_rest, edited, without

DELEGATION = {
    "act": "delegation.grant",
    "as": "d1",
    "grantor": "wang",
    "grantee": "zhang",
    "valid_from": "2026-02-01",
    "at": "2026-02-01T09:00:00+08:00",
}


def approved_by_zhang(delegation: str | None = None) -> list[dict[str, object]]:
    changes: dict[str, object] = {"by": "zhang"}
    if delegation:
        changes["delegation"] = delegation
    return edited(county_rest(), "matter.approve_agenda", changes)


def test_agenda_approval_missing(ledger: CountyLedger) -> None:
    acts = without(county_rest(), "matter.approve_agenda")
    found = ledger.found("agenda-approval", acts)
    assert found.subject_kind is SubjectKind.MATTER and found.subject_id == ledger.id("water")
    assert found.responsible == ledger.id("wang")  # the secretary
    assert "without its agenda being approved" in found.message


def test_agenda_approval_by_someone_without_delegation(ledger: CountyLedger) -> None:
    found = ledger.found("agenda-approval", approved_by_zhang())
    assert found.responsible == ledger.id("zhang")
    assert "张华" in found.message


def test_agenda_approval_under_expired_delegation(ledger: CountyLedger) -> None:
    expired = {**DELEGATION, "valid_until": "2026-02-10"}
    found = ledger.found("agenda-approval", [expired, *approved_by_zhang("d1")])
    assert found.responsible == ledger.id("zhang")


def test_agenda_approval_under_withdrawn_delegation(ledger: CountyLedger) -> None:
    withdrawn = {
        "act": "delegation.withdraw",
        "delegation": "d1",
        "at": "2026-02-15T09:00:00+08:00",
    }
    found = ledger.found("agenda-approval", [DELEGATION, withdrawn, *approved_by_zhang("d1")])
    assert found.responsible == ledger.id("zhang")


def test_agenda_approval_by_the_secretary_is_compliant(ledger: CountyLedger) -> None:
    assert ledger.clean("agenda-approval", county_rest())


def test_agenda_approval_by_delegate_is_compliant(ledger: CountyLedger) -> None:
    assert ledger.clean("agenda-approval", [DELEGATION, *approved_by_zhang("d1")])


def test_agenda_approval_after_the_meeting_opened_does_not_count(ledger: CountyLedger) -> None:
    late = edited(county_rest(), "matter.approve_agenda", {"at": "2026-02-24T09:01:00+08:00"})
    assert ledger.found("agenda-approval", late).responsible == ledger.id("wang")


def test_notice_period_one_day_for_the_standing_committee(ledger: CountyLedger) -> None:
    acts = edited(county_rest(), "meeting.notice", {"at": "2026-02-23T10:00:00+08:00"})
    found = ledger.found("notice-period", acts)
    assert found.subject_kind is SubjectKind.MEETING and found.subject_id == ledger.id("m1")
    assert found.responsible == ledger.id("zhou")  # the secretary-general
    assert "noticed 1 day(s) before" in found.message
    assert found.when.date().isoformat() == "2026-02-24"


def test_notice_period_no_notice_at_all(ledger: CountyLedger) -> None:
    found = ledger.found("notice-period", without(county_rest(), "meeting.notice"))
    assert "without notice" in found.message and found.responsible == ledger.id("zhou")


def test_notice_period_no_secretary_general_names_the_office(ledger: CountyLedger) -> None:
    reassign = {
        "act": "member.assign",
        "member": "zhou",
        "posts": ["standing_member"],
        "at": "2026-02-01T09:00:00+08:00",
    }
    acts = [reassign, *without(county_rest(), "meeting.notice")]
    assert ledger.found("notice-period", acts).responsible == "office"


def test_notice_period_four_days_is_compliant(ledger: CountyLedger) -> None:
    assert ledger.clean("notice-period", county_rest(), as_of=AS_OF)


def test_agenda_approval_for_another_meeting_does_not_count(ledger: CountyLedger) -> None:
    acts = edited(county_rest(), "matter.approve_agenda", {"meeting": "m0"})
    approval = next(i for i, a in enumerate(acts) if a["act"] == "matter.approve_agenda")
    earlier = {
        "act": "meeting.schedule",
        "as": "m0",
        "body": "sc",
        "title": "县委常委会第2次会议",
        "scheduled_for": "2026-02-10T09:00:00+08:00",
        "chair": "wang",
        "at": "2026-02-09T09:00:00+08:00",
    }
    found = ledger.found("agenda-approval", [*acts[:approval], earlier, *acts[approval:]])
    assert found.subject_id == ledger.id("water")
    assert "without its agenda being approved" in found.message


def test_agenda_approval_naming_the_meeting_is_compliant(ledger: CountyLedger) -> None:
    acts = county_rest()
    approval = next(i for i, a in enumerate(acts) if a["act"] == "matter.approve_agenda")
    schedule = next(i for i, a in enumerate(acts) if a["act"] == "meeting.schedule")
    later = {**acts[approval], "meeting": "m1", "at": "2026-02-18T11:00:00+08:00"}
    moved = [*acts[:approval], acts[schedule], later]
    moved += [a for i, a in enumerate(acts) if i > approval and i != schedule]
    assert ledger.clean("agenda-approval", moved)


def test_notice_materials_not_delivered(ledger: CountyLedger) -> None:
    acts = edited(county_rest(), "meeting.notice", {"materials": []})
    found = ledger.found("notice-materials", acts)
    assert found.subject_kind is SubjectKind.MEETING and found.subject_id == ledger.id("m1")
    assert found.responsible == ledger.id("zhou")  # the secretary-general
    assert "1 item(s) on its agenda; its 1 notice(s) delivered no meeting materials" in (
        found.message
    )
    assert "会前通知未送达会议有关材料" in found.message_zh


def test_notice_materials_sent_after_the_opening_do_not_count(ledger: CountyLedger) -> None:
    acts = edited(county_rest(), "meeting.notice", {"materials": []})
    late = {
        "act": "meeting.notice",
        "meeting": "m1",
        "materials": ["sha256:" + "0" * 64],
        "at": "2026-02-24T10:00:00+08:00",
    }
    assert ledger.found("notice-materials", [*acts, late]).subject_id == ledger.id("m1")


def test_notice_materials_delivered_is_compliant(ledger: CountyLedger) -> None:
    assert ledger.clean("notice-materials", county_rest())


def test_notice_materials_leaves_a_meeting_without_notice_to_notice_period(
    ledger: CountyLedger,
) -> None:
    acts = without(county_rest(), "meeting.notice")
    assert ledger.clean("notice-materials", acts)
    assert [f.rule for f in ledger.findings("notice-period")] == ["notice-period"]
