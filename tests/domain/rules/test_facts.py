"""The rules' facts, rebuilt from stored rows alone (ledger.projections.facts)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from ledger.domain.body import BodyKind
from ledger.domain.matter import ConsultationKind, Outcome
from ledger.domain.member import Post
from ledger.domain.review import Degree
from ledger.domain.rules.engine import evaluate, parameters_in_force
from ledger.errors import RecordDecodeError
from ledger.integrity.verify import StoredRow
from ledger.projections.facts import build_world
from tests.domain.rules.conftest import CountyLedger, county_rest, moment


def test_world_holds_the_example(ledger: CountyLedger) -> None:
    ledger.record_promptly(county_rest())
    world = ledger.world()
    water = world.matters[UUID(ledger.id("water"))]
    assert water.major and water.technical and water.public_interest
    assert [a.title for a in water.alternatives] == ["方案一：分期改造", "方案二：一次性改造"]
    assert water.consulted(ConsultationKind.EXPERT_REVIEW)[0].signed_by == ("陈工程师", "林教授")
    decision = water.decisions[0]
    assert decision.outcome is Outcome.ADOPTED and decision.basis.votes_needed == 3
    meeting = world.meetings[UUID(ledger.id("m1"))]
    assert meeting.opening is not None and len(meeting.opening.roster) == 5
    assert [_name(ledger, o.member) for o in meeting.opinions] == ["zhang", "zhou", "li", "wang"]
    assert meeting.vote_on(water.id) is meeting.votes[0]
    sc = world.bodies[UUID(ledger.id("sc"))]
    assert sc.kind is BodyKind.STANDING_COMMITTEE and len(sc.members_at(moment(_T))) == 5
    assert world.holder(Post.SECRETARY, moment(_T)) == world.members[UUID(ledger.id("wang"))]
    positions = [e.position for e in world.events]
    assert positions == list(range(1, len(positions) + 1))
    assert all(e.recorded_at >= e.occurred_at for e in world.events[1:])


_T = "2026-02-24T09:00:00+08:00"


def _name(ledger: CountyLedger, member: UUID) -> str:
    return next(alias for alias, ident in ledger.ids.items() if ident == str(member))


def test_until_replays_the_record_as_it_stood(ledger: CountyLedger) -> None:
    ledger.record_promptly(county_rest())
    before = ledger.world(until=moment("2026-02-20T00:00:00+08:00"))
    water = before.matters[UUID(ledger.id("water"))]
    assert water.approvals and not water.decisions
    meeting = before.meetings[UUID(ledger.id("m1"))]
    assert meeting.opening is None and meeting.notices == ()
    assert max(e.recorded_at for e in before.events) <= moment("2026-02-20T00:00:00+08:00")
    after = ledger.world()
    assert len(after.events) > len(before.events)
    assert after.events[: len(before.events)] == before.events


def test_until_changes_what_a_rule_can_see(ledger: CountyLedger) -> None:
    """As recorded by 25 February the minutes were not yet on record; by 28 February they
    were. Judged as of 1 March, only the first replay finds the minutes missing."""
    ledger.record_promptly(county_rest())
    as_of = moment("2026-03-01T00:00:00+08:00")
    for until, expected in (("2026-02-25T00:00:00+08:00", 1), ("2026-02-28T00:00:00+08:00", 0)):
        world = ledger.world(until=moment(until))
        found = evaluate(world, parameters_in_force(world), as_of, ["minutes-deadline"])
        assert len(found) == expected


def test_posts_and_membership_follow_time(ledger: CountyLedger) -> None:
    acts: list[dict[str, Any]] = [
        {"act": "member.assign", "member": "zhang", "posts": ["secretary"],
         "at": "2026-03-10T09:00:00+08:00"},
        {"act": "body.leave", "body": "sc", "member": "zhao", "reason": "调任",
         "at": "2026-03-11T09:00:00+08:00"},
    ]  # fmt: skip
    ledger.record_promptly(acts)
    world = ledger.world()
    zhang = world.members[UUID(ledger.id("zhang"))]
    assert not zhang.holds(Post.SECRETARY, moment("2026-03-09T09:00:00+08:00"))
    assert zhang.holds(Post.SECRETARY, moment("2026-03-10T09:00:00+08:00"))
    sc = world.bodies[UUID(ledger.id("sc"))]
    zhao = UUID(ledger.id("zhao"))
    assert zhao in sc.members_at(moment("2026-03-10T09:00:00+08:00"))
    assert zhao not in sc.members_at(moment("2026-03-11T09:00:00+08:00"))
    assert sc.member_since(zhao, moment("2026-03-11T09:00:00+08:00")) is None


def test_reviews_are_facts(ledger: CountyLedger) -> None:
    ledger.record_promptly(county_rest())
    ledger.record(
        {"act": "review.open", "as": "rev", "matter": "water", "reason": "漏损率上升",
         "opened_by": "zhao", "at": "2026-03-02T09:00:00+08:00"},
    )  # fmt: skip
    (opened,) = ledger.world().reviews.values()
    assert opened.matter == UUID(ledger.id("water")) and opened.conclusion is None
    ledger.record(
        {"act": "review.conclude", "review": "rev", "failed": True, "conclusion": "决策失误",
         "responsible": [{"member": "li", "role": "分管负责人", "degree": "direct"}],
         "at": "2026-03-03T09:00:00+08:00"},
    )  # fmt: skip
    (review,) = ledger.world().reviews.values()
    assert review.opened_by == UUID(ledger.id("zhao")) and review.reason == "漏损率上升"
    assert review.conclusion is not None and review.conclusion.failed
    (held,) = review.conclusion.responsible
    assert held.member == UUID(ledger.id("li")) and held.degree is Degree.DIRECT
    assert held.reason == "" and review.conclusion.position > review.opened.position


def test_a_payload_that_does_not_match_its_type_is_refused(ledger: CountyLedger) -> None:
    rows = [row for page in ledger.service.app.rows() for row in page]
    row = next(r for r in rows if b'"member.registered"' in r.state)
    forged = row.state.replace(b'"name":"', b'"nom":"')
    bad = StoredRow(row.row, row.stream, row.version, row.topic, forged)
    with pytest.raises(RecordDecodeError, match=r"payload does not match its type"):
        build_world([[bad]])


def test_corrections_are_facts(ledger: CountyLedger) -> None:
    result = ledger.record(
        {"act": "member.assign", "member": "zhao", "posts": ["discipline_secretary"],
         "at": "2026-03-02T09:00:00+08:00"},
    )  # fmt: skip
    ledger.record(
        {"act": "record.correct", "corrects": result.first_position, "reason": "录入错误",
         "correction": "赵敏仍为常委", "at": "2026-03-02T10:00:00+08:00"},
    )  # fmt: skip
    (correction,) = ledger.world().corrections
    assert correction.corrects == result.first_position
    assert correction.corrects_type == "member.assigned" and correction.reason == "录入错误"
