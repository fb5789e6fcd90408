"""Rules at the meeting: quorum, majority, item-by-item, recusal, chair-speaks-last,
defer-divided, plenary-vote-method, non-decision-body. The chair answers, except for recusal
(the member)."""

from __future__ import annotations

from typing import Any

import pytest

from ledger.domain.rules.checks import RuleParameterError
from ledger.domain.rules.engine import evaluate
from ledger.domain.rules.finding import SubjectKind
from tests.domain.rules.conftest import AS_OF, CountyLedger, county_rest, edited, without

Acts = list[dict[str, Any]]
MEMBERS = ("wang", "li", "zhang", "zhao", "zhou")


def ballots(*members: str, choice: str = "for") -> list[dict[str, str]]:
    return [{"member": m, "choice": choice} for m in members]


def attended_by(acts: Acts, *present: str) -> Acts:
    """The example's meeting attended by ``present`` only; the others' opinions go, and the
    vote lists the present members' ballots, all in favour."""
    absent = [{"member": m, "reason": "出差"} for m in MEMBERS if m not in present]
    acts = edited(acts, "meeting.open", {"present": list(present), "absent": absent})
    for member in MEMBERS:
        if member not in present:
            acts = without(acts, "meeting.opinion", member=member)
    return edited(acts, "meeting.vote", {"for": len(present), "ballots": ballots(*present)})


def test_quorum_two_of_five_present(ledger: CountyLedger) -> None:
    found = ledger.found("quorum", attended_by(county_rest(), "wang", "li"))
    assert found.subject_kind is SubjectKind.MEETING and found.subject_id == ledger.id("m1")
    assert found.responsible == ledger.id("wang")
    assert "2 of 5 members present; more than 1/2 (3)" in found.message


def test_quorum_cadre_matter_needs_two_thirds(ledger: CountyLedger) -> None:
    acts = edited(county_rest(), "matter.open", {"cadre": True})
    found = ledger.found("quorum", attended_by(acts, "wang", "li", "zhou"))
    assert "at least 2/3 (4)" in found.message and "须至少2/3（4人）到会" in found.message_zh


def test_quorum_three_of_five_is_compliant_for_other_matters(ledger: CountyLedger) -> None:
    assert ledger.clean("quorum", attended_by(county_rest(), "wang", "li", "zhou"))


def test_quorum_four_of_five_is_compliant(ledger: CountyLedger) -> None:
    assert ledger.clean("quorum", county_rest())


def test_majority_announced_adopted_without_enough_votes(ledger: CountyLedger) -> None:
    split = ballots("wang", "li") + ballots("zhang", "zhou", choice="against")
    acts = edited(county_rest(), "meeting.vote", {"for": 2, "against": 2, "ballots": split})
    found = ledger.found("majority", without(acts, "matter.assign"))
    assert found.subject_kind is SubjectKind.MATTER and found.subject_id == ledger.id("water")
    assert found.responsible == ledger.id("wang")
    assert "needs 3, so it is rejected" in found.message


def test_majority_counts_the_roster_not_those_present(ledger: CountyLedger) -> None:
    """3 of the 3 present voted for: more than half of the 5 who should attend, so adopted."""
    assert ledger.clean("majority", attended_by(county_rest(), "wang", "li", "zhou"))


def test_majority_two_of_two_present_is_not_a_majority_of_five(ledger: CountyLedger) -> None:
    found = ledger.found(
        "majority", without(attended_by(county_rest(), "wang", "li"), "matter.assign")
    )
    assert "2 votes for" in found.message


def test_majority_four_of_five_is_compliant(ledger: CountyLedger) -> None:
    assert ledger.clean("majority", county_rest())


def with_second_item(acts: Acts) -> Acts:
    roads = {
        "act": "matter.open",
        "as": "roads",
        "title": "乡村道路养护",
        "body": "sc",
        "in_charge": "li",
        "at": "2026-02-03T10:00:00+08:00",
    }
    return [roads, *edited(acts, "meeting.schedule", {"agenda": ["water", "roads"]})]


def test_item_by_item_one_vote_for_two_items(ledger: CountyLedger) -> None:
    acts = edited(with_second_item(county_rest()), "meeting.vote", {"bundled_with": ["roads"]})
    found = ledger.found("item-by-item", acts)
    assert found.subject_kind is SubjectKind.MEETING and found.subject_id == ledger.id("m1")
    assert found.responsible == ledger.id("wang")
    assert "2 items by one vote" in found.message and "合并" in found.message_zh


def test_item_by_item_separate_votes_are_compliant(ledger: CountyLedger) -> None:
    second = {
        "act": "meeting.vote",
        "meeting": "m1",
        "item": "roads",
        "method": "show_of_hands",
        "for": 4,
        "against": 0,
        "at": "2026-02-24T10:00:00+08:00",
    }
    assert ledger.clean("item-by-item", [*with_second_item(county_rest()), second])


INTEREST = {
    "act": "meeting.interest",
    "meeting": "m1",
    "item": "water",
    "member": "zhang",
    "interest": "亲属在中标企业任职",
    "at": "2026-02-24T09:02:00+08:00",
}


def test_recusal_member_with_interest_speaks_and_votes(ledger: CountyLedger) -> None:
    found = ledger.found("recusal", [*county_rest(), INTEREST])
    assert found.subject_kind is SubjectKind.MATTER and found.subject_id == ledger.id("water")
    assert found.responsible == ledger.id("zhang")
    assert "stated an opinion and voted" in found.message and "未回避" in found.message_zh


def test_recusal_member_who_withdraws_is_compliant(ledger: CountyLedger) -> None:
    withdraw = {
        "act": "meeting.withdraw",
        "meeting": "m1",
        "item": "water",
        "member": "zhang",
        "reason": "回避",
        "at": "2026-02-24T09:03:00+08:00",
    }
    acts = without(county_rest(), "meeting.opinion", member="zhang")
    acts = edited(acts, "meeting.vote", {"for": 3, "ballots": ballots("wang", "li", "zhou")})
    assert ledger.clean("recusal", [*acts, INTEREST, withdraw])


def test_chair_speaks_first(ledger: CountyLedger) -> None:
    early = {"at": "2026-02-24T09:10:00+08:00"}
    acts = edited(county_rest(), "meeting.opinion", early, member="wang")
    found = ledger.found("chair-speaks-last", acts)
    assert found.subject_kind is SubjectKind.MATTER and found.subject_id == ledger.id("water")
    assert found.responsible == ledger.id("wang")
    assert "before 张华 did" in found.message and "末位表态" in found.message_zh


def test_chair_states_no_view(ledger: CountyLedger) -> None:
    found = ledger.found(
        "chair-speaks-last", without(county_rest(), "meeting.opinion", member="wang")
    )
    assert "stated no view" in found.message and found.responsible == ledger.id("wang")


def against_the_stated_views(reasons: str = "") -> Acts:
    acts = edited(county_rest(), "meeting.opinion", {"stance": "disagree"}, member="zhang")
    acts = edited(acts, "meeting.opinion", {"stance": "disagree"}, member="zhou")
    acts = edited(acts, "meeting.opinion", {"stance": "reserved"}, member="li")
    return edited(acts, "meeting.announce", {"reasons": reasons})


def test_chair_announces_against_the_majority_without_reasons(ledger: CountyLedger) -> None:
    found = ledger.found("chair-speaks-last", against_the_stated_views())
    assert "(1 agree, 2 disagree) with no reasons" in found.message
    assert found.responsible == ledger.id("wang")


def test_chair_against_the_majority_with_reasons_is_compliant(ledger: CountyLedger) -> None:
    acts = against_the_stated_views(reasons="供水安全刻不容缓，分期实施可控制风险")
    assert ledger.clean("chair-speaks-last", acts)


def test_chair_speaking_last_is_compliant(ledger: CountyLedger) -> None:
    assert ledger.clean("chair-speaks-last", county_rest())


PLENARY = {
    "act": "body.establish",
    "as": "pl",
    "kind": "plenary",
    "name": "县委全委会",
    "members": list(MEMBERS),
    "at": "2026-01-05T10:00:00+08:00",
}


def plenary_vote(method: str) -> Acts:
    """A plenary meeting deciding a (non-major) plan by ``method``."""
    t = "2026-02-{}T{}:00+08:00".format
    return [
        PLENARY,
        {"act": "matter.open", "as": "plan", "title": "年度工作要点", "body": "pl",
         "in_charge": "wang", "at": t("02", "10:00")},
        {"act": "meeting.schedule", "as": "p1", "body": "pl", "title": "县委全会",
         "scheduled_for": t("25", "09:00"), "chair": "wang", "agenda": ["plan"],
         "at": t("10", "11:00")},
        {"act": "meeting.notice", "meeting": "p1", "at": t("10", "12:00")},
        {"act": "meeting.open", "meeting": "p1", "present": list(MEMBERS), "at": t("25", "09:00")},
        {"act": "meeting.vote", "meeting": "p1", "item": "plan", "method": method, "for": 5,
         "against": 0, "ballots": ballots(*MEMBERS) if method == "named_ballot" else [],
         "at": t("25", "09:30")},
        {"act": "meeting.announce", "meeting": "p1", "item": "plan", "outcome": "adopted",
         "by": "wang", "at": t("25", "09:31")},
    ]  # fmt: skip


def test_plenary_votes_by_named_ballot(ledger: CountyLedger) -> None:
    found = ledger.found("plenary-vote-method", plenary_vote("named_ballot"))
    assert found.subject_kind is SubjectKind.MATTER and found.subject_id == ledger.id("plan")
    assert found.responsible == ledger.id("wang")
    assert str(found.body) == ledger.id("pl")
    assert "named ballot" in found.message and "记名投票" in found.message_zh


def test_plenary_votes_by_show_of_hands_is_compliant(ledger: CountyLedger) -> None:
    assert ledger.clean("plenary-vote-method", plenary_vote("show_of_hands"))


def preparatory_meeting(*, votes: bool) -> Acts:
    """A preparatory meeting (酝酿会) chaired by the secretary on the major water matter."""
    t = "2026-02-{}T{}:00+08:00".format
    acts: Acts = [
        {"act": "body.establish", "as": "prep", "kind": "preparatory", "name": "书记酝酿会",
         "members": ["wang", "li", "zhang"], "at": t("02", "09:00")},
        {"act": "matter.open", "as": "water", "title": "县城供水管网改造方案", "body": "sc",
         "in_charge": "li", "major": True, "at": t("02", "10:00")},
        {"act": "meeting.schedule", "as": "r1", "body": "prep", "title": "酝酿会",
         "scheduled_for": t("09", "09:00"), "chair": "wang", "agenda": ["water"],
         "at": t("05", "10:00")},
        {"act": "meeting.open", "meeting": "r1", "present": ["wang", "li", "zhang"],
         "at": t("09", "09:00")},
        {"act": "meeting.opinion", "meeting": "r1", "item": "water", "member": "li",
         "stance": "agree", "at": t("09", "09:10")},
    ]  # fmt: skip
    if votes:
        acts += [
            {"act": "meeting.vote", "meeting": "r1", "item": "water", "method": "show_of_hands",
             "for": 3, "against": 0, "at": t("09", "09:30")},
            {"act": "meeting.announce", "meeting": "r1", "item": "water", "outcome": "adopted",
             "by": "wang", "at": t("09", "09:31")},
        ]  # fmt: skip
    return acts


def test_non_decision_body_votes_on_a_major_matter(ledger: CountyLedger) -> None:
    found = ledger.found("non-decision-body", preparatory_meeting(votes=True))
    assert found.subject_kind is SubjectKind.MATTER and found.subject_id == ledger.id("water")
    assert found.responsible == ledger.id("wang")
    assert str(found.body) == ledger.id("prep")
    assert len(found.positions) == 2  # the vote and the announcement


def test_non_decision_body_that_only_discusses_is_compliant(ledger: CountyLedger) -> None:
    assert ledger.clean("non-decision-body", preparatory_meeting(votes=False))


def divided(*, announce: str = "rejected", reasons: str = "") -> Acts:
    """Two of the four present disagree, two agree, and the vote splits the same way: a tie,
    put to the vote and announced (``announce``) with ``reasons``."""
    acts = edited(county_rest(), "meeting.opinion", {"stance": "disagree"}, member="zhang")
    acts = edited(acts, "meeting.opinion", {"stance": "disagree"}, member="zhou")
    split = ballots("wang", "li") + ballots("zhang", "zhou", choice="against")
    acts = edited(acts, "meeting.vote", {"for": 2, "against": 2, "ballots": split})
    acts = edited(acts, "meeting.announce", {"outcome": announce, "reasons": reasons})
    return without(acts, "matter.assign")


def test_defer_divided_a_tie_put_to_the_vote(ledger: CountyLedger) -> None:
    found = ledger.found("defer-divided", divided())
    assert found.subject_kind is SubjectKind.MATTER and found.subject_id == ledger.id("water")
    assert found.responsible == ledger.id("wang")  # the chair
    assert "views stated 2 agree, 2 disagree of 4; votes 2 for, 2 against of 4" in found.message
    assert "意见分歧较大" in found.message_zh and "未暂缓作出决定" in found.message_zh


def test_defer_divided_views_split_though_the_vote_is_not(ledger: CountyLedger) -> None:
    """Secret ballot, 3 for and 1 against: the vote is not split within 1/10, but the views
    stated (2 against 2) were."""
    acts = edited(county_rest(), "meeting.opinion", {"stance": "disagree"}, member="zhang")
    acts = edited(acts, "meeting.opinion", {"stance": "disagree"}, member="zhou")
    secret = {"method": "secret_ballot", "for": 3, "against": 1, "ballots": []}
    found = ledger.found("defer-divided", edited(acts, "meeting.vote", secret))
    assert "views stated 2 agree, 2 disagree of 4;" in found.message
    assert "votes" not in found.message


def test_defer_divided_margin_is_a_parameter(ledger: CountyLedger) -> None:
    """One of four disagrees: 3 against 1 is no split within 1/10 of 4, but is within 1/2."""
    acts = edited(county_rest(), "meeting.opinion", {"stance": "disagree"}, member="zhou")
    ledger.record_promptly(acts)
    world = ledger.world()
    assert evaluate(world, {}, AS_OF, ["defer-divided"]) == []
    wide = evaluate(world, {"defer-divided": {"margin": "1/2"}}, AS_OF, ["defer-divided"])
    assert [f.rule for f in wide] == ["defer-divided"] and "margin 1/2" in wide[0].message
    with pytest.raises(RuleParameterError, match=r"'margin' must be a fraction from 0 to 1"):
        evaluate(world, {"defer-divided": {"margin": "2"}}, AS_OF, ["defer-divided"])


def test_defer_divided_item_deferred_is_compliant(ledger: CountyLedger) -> None:
    acts = [a for a in divided() if a["act"] not in ("meeting.vote", "meeting.announce")]
    defer = {
        "act": "meeting.defer",
        "meeting": "m1",
        "item": "water",
        "reason": "意见分歧较大，暂缓作出决定",
        "at": "2026-02-24T09:40:00+08:00",
    }
    assert ledger.clean("defer-divided", [*acts, defer])


def test_defer_divided_decided_with_reasons_is_compliant(ledger: CountyLedger) -> None:
    acts = divided(reasons="汛期临近，供水安全刻不容缓，按多数意见先行实施方案一")
    assert ledger.clean("defer-divided", acts)


def test_defer_divided_unanimous_vote_is_compliant(ledger: CountyLedger) -> None:
    assert ledger.clean("defer-divided", county_rest())


def test_a_government_meeting_that_decides_a_major_matter_is_no_decision_body(
    ledger: CountyLedger,
) -> None:
    """The county government (县人民政府, a body of kind ``government``) is not a committee
    body: its meeting may discuss the committee's major matter but not decide it."""
    acts = edited(
        preparatory_meeting(votes=True),
        "body.establish",
        {"kind": "government", "name": "县人民政府"},
        kind="preparatory",
    )
    found = ledger.found("non-decision-body", acts)
    assert "the 县人民政府's meeting" in found.message
    assert found.message_zh.startswith("县人民政府会议《酝酿会》")
