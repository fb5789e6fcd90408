"""Preparation rules: alternatives, research, wide-consultation, expert-review, risk-assessment,
public-notice, public-comment-period, cross-portfolio, legality-review. The member in charge
answers for each; the example's water-supply matter (major, technical, touching the public) is
compliant, and each breach takes one act away from it or changes one field."""

from __future__ import annotations

from datetime import date

from ledger.domain.rules.finding import Finding, SubjectKind
from tests.domain.rules.conftest import CountyLedger, county_rest, edited, without


def assert_on_water(ledger: CountyLedger, found: Finding) -> None:
    """The finding is about the water matter, and 李明 (li), in charge of it, answers."""
    assert found.subject_kind is SubjectKind.MATTER
    assert found.subject_id == ledger.id("water")
    assert found.responsible == ledger.id("li")
    assert str(found.body) == ledger.id("sc")


def test_alternatives_major_matter_decided_with_one_plan(ledger: CountyLedger) -> None:
    acts = without(county_rest(), "matter.alternative", title="方案二：一次性改造")
    found = ledger.found("alternatives", acts)
    assert_on_water(ledger, found)
    assert "1 alternative plan(s)" in found.message and "备选方案" in found.message_zh
    assert found.rule_ref == "alternatives@default"


def test_alternatives_two_plans_is_compliant(ledger: CountyLedger) -> None:
    assert ledger.clean("alternatives", county_rest())


def test_expert_review_missing_for_technical_matter(ledger: CountyLedger) -> None:
    acts = without(county_rest(), "matter.consult", kind="expert_review")
    found = ledger.found("expert-review", acts)
    assert_on_water(ledger, found)
    assert "no expert review" in found.message


def test_expert_review_without_signatures(ledger: CountyLedger) -> None:
    acts = edited(county_rest(), "matter.consult", {"signed_by": []}, kind="expert_review")
    found = ledger.found("expert-review", acts)
    assert_on_water(ledger, found)
    assert "signed" in found.message


def test_expert_review_signed_before_the_meeting_is_compliant(ledger: CountyLedger) -> None:
    assert ledger.clean("expert-review", county_rest())


def test_expert_review_after_the_meeting_opened_does_not_count(ledger: CountyLedger) -> None:
    late = {"at": "2026-02-24T09:10:00+08:00"}
    acts = edited(county_rest(), "matter.consult", late, kind="expert_review")
    assert_on_water(ledger, ledger.found("expert-review", acts))


def test_risk_assessment_missing(ledger: CountyLedger) -> None:
    acts = without(county_rest(), "matter.consult", kind="risk_assessment")
    found = ledger.found("risk-assessment", acts)
    assert_on_water(ledger, found)
    assert "风险评估" in found.message_zh


def test_risk_assessment_on_record_is_compliant(ledger: CountyLedger) -> None:
    assert ledger.clean("risk-assessment", county_rest())


def test_public_notice_missing_for_matter_touching_the_public(ledger: CountyLedger) -> None:
    acts = without(county_rest(), "matter.consult", kind="public_comment")
    found = ledger.found("public-notice", acts)
    assert_on_water(ledger, found)


def test_public_notice_by_public_comment_is_compliant(ledger: CountyLedger) -> None:
    assert ledger.clean("public-notice", county_rest())


def test_public_comment_period_too_short(ledger: CountyLedger) -> None:
    acts = edited(
        county_rest(), "matter.consult", {"opened_on": date(2026, 1, 20)}, kind="public_comment"
    )
    found = ledger.found("public-comment-period", acts)
    assert_on_water(ledger, found)
    assert "open 24 days, less than 30" in found.message


def test_public_comment_period_still_open_when_decided(ledger: CountyLedger) -> None:
    acts = edited(
        county_rest(), "matter.consult", {"closed_on": date(2026, 2, 24)}, kind="public_comment"
    )
    found = ledger.found("public-comment-period", acts)
    assert "not before the decision" in found.message


def test_public_comment_period_without_dates(ledger: CountyLedger) -> None:
    acts = edited(
        county_rest(),
        "matter.consult",
        {"opened_on": None, "closed_on": None},
        kind="public_comment",
    )
    assert "dates are not on record" in ledger.found("public-comment-period", acts).message


def test_public_comment_period_of_33_days_is_compliant(ledger: CountyLedger) -> None:
    assert ledger.clean("public-comment-period", county_rest())


def touching_the_general_office() -> list[dict[str, object]]:
    """The water matter also touches the general office, in 周洁's (zhou's) portfolio."""
    return edited(county_rest(), "matter.open", {"areas": ["government", "General Office"]})


def test_cross_portfolio_member_not_consulted(ledger: CountyLedger) -> None:
    found = ledger.found("cross-portfolio", touching_the_general_office())
    assert_on_water(ledger, found)
    assert "周洁" in found.message and "general office" in found.message


def test_cross_portfolio_consulted_before_approval_is_compliant(ledger: CountyLedger) -> None:
    consult = {
        "act": "matter.cross_portfolio",
        "matter": "water",
        "member": "zhou",
        "opinion": "同意",
        "at": "2026-02-17T11:00:00+08:00",
    }
    assert ledger.clean("cross-portfolio", [*touching_the_general_office(), consult])


def test_cross_portfolio_consulted_after_approval_is_too_late(ledger: CountyLedger) -> None:
    consult = {
        "act": "matter.cross_portfolio",
        "matter": "water",
        "member": "zhou",
        "at": "2026-02-19T11:00:00+08:00",
    }
    found = ledger.found("cross-portfolio", [*touching_the_general_office(), consult])
    assert_on_water(ledger, found)


def test_legality_review_missing_for_major_matter(ledger: CountyLedger) -> None:
    acts = without(county_rest(), "matter.consult", kind="legality_review")
    found = ledger.found("legality-review", acts)
    assert_on_water(ledger, found)
    assert "合法性审查" in found.message_zh


def test_legality_review_on_record_is_compliant(ledger: CountyLedger) -> None:
    assert ledger.clean("legality-review", county_rest())


def test_research_missing_when_the_matter_is_proposed(ledger: CountyLedger) -> None:
    found = ledger.found("research", without(county_rest(), "matter.research"))
    assert_on_water(ledger, found)
    assert "proposed on 17 February 2026 with no research" in found.message
    assert "2026年2月17日提出议题，此前没有调查研究的记录" in found.message_zh
    assert found.when.isoformat() == "2026-02-17T01:00:00+00:00"


def test_research_after_the_proposal_does_not_count(ledger: CountyLedger) -> None:
    late = {"at": "2026-02-17T16:00:00+08:00"}
    found = ledger.found("research", edited(county_rest(), "matter.research", late))
    assert "proposed on 17 February 2026" in found.message


def test_research_missing_on_a_matter_put_on_the_agenda_unproposed(
    ledger: CountyLedger,
) -> None:
    acts = without(without(county_rest(), "matter.research"), "matter.propose")
    found = ledger.found("research", acts)
    assert "approved for the agenda on 18 February 2026" in found.message
    assert "审定议题" in found.message_zh


def test_research_before_the_proposal_is_compliant(ledger: CountyLedger) -> None:
    assert ledger.clean("research", county_rest())


def touching_two_areas() -> list[dict[str, object]]:
    """The water matter also touches finance: two areas, so several departments."""
    return edited(county_rest(), "matter.open", {"areas": ["government", "finance"]})


DEPARTMENTS = {
    "act": "matter.consult",
    "matter": "water",
    "kind": "department",
    "party": "县水务局、县财政局",
    "outcome": "无不同意见",
    "at": "2026-02-16T15:00:00+08:00",
}


def test_wide_consultation_missing_for_a_matter_of_two_areas(ledger: CountyLedger) -> None:
    found = ledger.found("wide-consultation", touching_two_areas())
    assert_on_water(ledger, found)
    assert "touching 2 areas (government, finance)" in found.message
    assert "approved for the agenda on 18 February 2026" in found.message
    assert "未征求相关部门和单位的意见" in found.message_zh


def test_wide_consultation_after_approval_is_too_late(ledger: CountyLedger) -> None:
    late = {**DEPARTMENTS, "at": "2026-02-19T10:00:00+08:00"}
    assert_on_water(ledger, ledger.found("wide-consultation", [*touching_two_areas(), late]))


def test_wide_consultation_of_the_departments_is_compliant(ledger: CountyLedger) -> None:
    assert ledger.clean("wide-consultation", [*touching_two_areas(), DEPARTMENTS])


def test_wide_consultation_not_asked_of_a_matter_of_one_area(ledger: CountyLedger) -> None:
    """The example's matter touches one area (government), the same written twice counting
    once, and consulted no department: not a matter of several departments."""
    acts = edited(county_rest(), "matter.open", {"areas": ["government", "Government"]})
    assert ledger.clean("wide-consultation", acts)


def test_a_cadre_item_flagged_major_is_not_judged_as_a_major_decision(
    ledger: CountyLedger,
) -> None:
    """A cadre item (干部任免) flagged major (三重一大) has no alternative plans or legality
    review to demand: the cadre rules judge it, not the major-decision rules."""
    acts = edited(county_rest(), "matter.open", {"cadre": True, "technical": False})
    acts = without(acts, "matter.alternative", title="方案二：一次性改造")
    acts = without(acts, "matter.consult", kind="legality_review")
    ledger.record_promptly(acts)
    assert ledger.findings("alternatives") == []
    assert ledger.findings("legality-review") == []


def test_a_major_matter_that_is_not_a_cadre_item_still_needs_its_plans(
    ledger: CountyLedger,
) -> None:
    acts = edited(county_rest(), "matter.open", {"cadre": False})
    acts = without(acts, "matter.alternative", title="方案二：一次性改造")
    assert ledger.found("alternatives", acts).subject_id == ledger.id("water")
