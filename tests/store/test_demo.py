"""The demo ledger (ledger.store.demo, ledger.demo.generator): a county committee's year that
verifies, is the same for the same seed, holds every element of the domain, and breaks exactly
the rules it breaks on purpose, each once, with the right person answerable."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from ledger.demo.generator import ActBatch, CountyYear
from ledger.domain.rules.engine import evaluate, parameters_in_force
from ledger.domain.rules.facts import World
from ledger.domain.rules.finding import Finding
from ledger.integrity.record import decode_record
from ledger.projections.facts import build_world
from ledger.projections.trace import Trace
from ledger.record.acts import RecordDocument
from ledger.store.demo import build_demo, build_ledger
from ledger.store.home import LedgerHome
from ledger.store.service import LedgerService

AS_OF = datetime.fromisoformat("2026-12-31T23:00:00+08:00")

DELIBERATE = {
    "alternatives": 1,  # a major matter decided with a single plan
    "chair-speaks-last": 1,  # announced against the majority of views, no reasons
    "defer-divided": 1,  # the same item: views split six to five, put to the vote anyway
    "change-authority": 1,  # the standing committee changes a plenary decision
    "emergency-report": 1,  # an emergency action never reported
    "item-by-item": 1,  # two items decided by one vote
    "late-record": 2,  # one batch of two acts recorded six days late
    "minutes-deadline": 1,  # minutes six working days after the meeting
    "non-decision-body": 1,  # a preparatory meeting decides a major matter
    "notice-period": 1,  # members notified the day before
    "quorum": 1,  # a vote with 5 of 11 present
    "recusal": 1,  # an interest declared, no withdrawal
}


class Demo:
    """The default demo, built once for the module, and ways to read it."""

    def __init__(self, directory: Path, summary: dict[str, Any]) -> None:
        self.directory = directory
        self.summary = summary
        self.service = LedgerService.open(LedgerHome(directory))
        self.world: World = build_world(self.service.app.rows())
        self.findings: list[Finding] = evaluate(
            self.world, parameters_in_force(self.world, AS_OF), AS_OF
        )
        self.reader = self.service.reader()

    def trace(self, key: str) -> Trace:
        return self.reader.matter_file(self.summary["highlights"][key], AS_OF).trace()

    def member(self, name: str) -> UUID:
        return next(m.id for m in self.world.members.values() if m.name == name)

    def matter(self, title: str) -> UUID:
        return next(m.id for m in self.world.matters.values() if m.title == title)

    def found(self, rule: str) -> list[Finding]:
        return [f for f in self.findings if f.rule == rule]

    def records(self) -> Iterator[Any]:
        for page in self.service.app.rows():
            for row in page:
                yield decode_record(row.state)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    directory = tmp_path_factory.mktemp("demo") / "demo-ledger"
    built = Demo(directory, build_demo(directory))
    yield built
    built.service.app.close()


def _payloads(directory: Path) -> list[tuple[str, Any]]:
    """Every event's type and payload, with ids replaced by their order of first appearance
    and key material left out: what must not change between two builds with one seed."""
    service = LedgerService.open(LedgerHome(directory))
    ids: dict[str, str] = {}

    def plain(value: Any) -> Any:
        if isinstance(value, str):
            try:
                UUID(value)
            except ValueError:
                return value
            return ids.setdefault(value, f"id{len(ids)}")
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    events = []
    try:
        for page in service.app.rows():
            for row in page:
                record = decode_record(row.state)
                kind = record.header["type"]
                payload = None if kind.startswith(("key.", "ledger.")) else record.body["payload"]
                events.append((kind, plain(payload)))
    finally:
        service.app.close()
    return events


# --- it builds, verifies, and is the same for the same seed ---------------------------------


def test_the_default_demo_builds_and_verifies(demo: Demo) -> None:
    assert demo.summary["verified"] is True
    report = demo.service.verify()
    assert report.ok, report
    assert report.events == demo.summary["events"] > 1500
    assert demo.summary["members"] == 28
    assert demo.summary["meetings"] >= 30
    assert demo.summary["matters"] >= 50


def test_the_generator_gives_the_same_acts_for_a_seed() -> None:
    def acts(seed: int) -> list[Any]:
        return [
            (s.acts, s.signers) if isinstance(s, ActBatch) else s
            for s in CountyYear(seed=seed).steps()
        ]

    assert acts(7) == acts(7)
    assert acts(7) != acts(8)


def test_every_generated_batch_is_a_valid_record_document() -> None:
    for step in CountyYear(seed=3).steps():
        if isinstance(step, ActBatch):
            RecordDocument.model_validate({"acts": list(step.acts)})
            assert all(a["at"].endswith("+08:00") for a in step.acts)


def test_two_builds_with_one_seed_hold_the_same_events(demo: Demo, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build_ledger(again)
    assert _payloads(again) == _payloads(demo.directory)


# --- the findings are exactly the deliberate breaches ------------------------------------------


def test_the_findings_are_exactly_the_deliberate_breaches(demo: Demo) -> None:
    assert Counter(f.rule for f in demo.findings) == DELIBERATE
    assert demo.summary["findings"] == DELIBERATE


def test_late_record_is_found_for_the_late_batch_and_nothing_else(demo: Demo) -> None:
    late = demo.found("late-record")
    assert sorted(p for f in late for p in f.positions) == demo.summary["late_positions"]
    assert all(f.responsible == "office" for f in late)


def test_the_unreported_emergency_gives_emergency_report(demo: Demo) -> None:
    (finding,) = demo.found("emergency-report")
    action = demo.world.emergencies[UUID(finding.subject_id)]
    assert action.reports == ()
    assert finding.responsible == str(demo.member("孙强"))


def test_the_wrong_body_change_gives_change_authority(demo: Demo) -> None:
    trace = demo.trace("wrong_body")
    assert [c["type"] for c in trace.changes] == ["matter.changed"]
    assert [f["rule"] for f in trace.findings] == ["change-authority"]
    (finding,) = demo.found("change-authority")
    assert finding.subject_id == trace.matter


def test_each_breach_names_the_one_answerable(demo: Demo) -> None:
    answerable = {f.rule: f.responsible for f in demo.findings if f.rule != "late-record"}
    secretary, general = str(demo.member("王建国")), str(demo.member("周洁"))
    assert answerable == {
        "quorum": secretary,
        "notice-period": general,
        "non-decision-body": secretary,
        "minutes-deadline": general,
        "alternatives": str(demo.member("李明")),
        "item-by-item": secretary,
        "change-authority": secretary,
        "chair-speaks-last": secretary,
        "defer-divided": secretary,
        "recusal": str(demo.member("陈刚")),
        "emergency-report": str(demo.member("孙强")),
    }


# --- the elements of the domain -------------------------------------------------------------


def test_the_roster_has_every_post_and_a_reshuffle(demo: Demo) -> None:
    posts = {
        p.value for m in demo.world.members.values() for held in m.assignments for p in held.posts
    }
    assert posts >= {
        "secretary",
        "deputy_secretary",
        "head_of_government",
        "full_time_deputy_secretary",
        "discipline_secretary",
        "organisation_head",
        "propaganda_head",
        "political_legal_secretary",
        "secretary_general",
        "united_front_head",
        "executive_deputy_head",
        "standing_member",
        "member",
    }
    left = [m for m in demo.world.members.values() if m.left is not None]
    assert [m.name for m in left] == ["刘芳"]
    newcomer = demo.member("林𠀀")
    assert any(ord(c) > 0xFFFF for c in demo.world.members[newcomer].name)
    standing = next(b for b in demo.world.bodies.values() if b.kind.value == "standing_committee")
    assert newcomer in standing.members_at(AS_OF)
    assert demo.member("刘芳") not in standing.members_at(AS_OF)
    gao = demo.world.members[demo.member("高峰")]
    assert len(gao.assignments) == 2 and "教育" in gao.assignments[-1].in_charge


def test_members_sign_some_of_their_own_acts(demo: Demo) -> None:
    signed = Counter(
        r.header["type"]
        for r in demo.records()
        if any(s.role == "act" for s in r.signatures) and not r.header["type"].startswith("key.")
    )
    assert signed["meeting.opinion_stated"] > 50
    assert signed["report.delivered"] >= 20
    assert signed["meeting.opinion_stated"] < sum(
        len(m.opinions) for m in demo.world.meetings.values()
    )


def test_the_rule_set_is_adopted_early_in_the_year(demo: Demo) -> None:
    assert demo.world.rule_set is not None
    assert demo.world.rule_set.version == "2026-1"
    decisions = [d for m in demo.world.matters.values() for d in m.decisions]
    assert {d.basis.rule for d in decisions} == {"majority@2026-1"}


def test_meetings_follow_the_calendar_and_the_procedure(demo: Demo) -> None:
    kinds = {b.id: b.kind.value for b in demo.world.bodies.values()}
    by_kind = Counter(kinds[m.body] for m in demo.world.meetings.values())
    assert by_kind["standing_committee"] >= 24 and by_kind["plenary"] == 4
    assert by_kind["preparatory"] == 2
    methods = Counter(
        (kinds[m.body], v.method.value) for m in demo.world.meetings.values() for v in m.votes
    )
    assert {k for k, _ in methods} == {"standing_committee", "plenary", "preparatory"}
    assert {v for k, v in methods if k == "plenary"} == {"show_of_hands", "secret_ballot"}
    assert {"named_ballot", "secret_ballot", "show_of_hands"} <= {
        v for k, v in methods if k == "standing_committee"
    }
    absences = [a for m in demo.world.meetings.values() if m.opening for a in m.opening.absences]
    assert any(a.on_leave for a in absences) and any(not a.on_leave for a in absences)
    assert all(a.reason for a in absences)
    assert any(m.written_views for m in demo.world.meetings.values())


def test_matters_of_every_category_are_fully_prepared(demo: Demo) -> None:
    matters = list(demo.world.matters.values())
    for category in ("major", "technical", "public_interest", "cadre", "confidential"):
        assert any(getattr(m, category) for m in matters), category
    kinds = {c.kind.value for m in matters for c in m.consultations}
    assert kinds >= {
        "department",
        "peoples_congress",
        "cppcc",
        "expert_review",
        "risk_assessment",
        "public_comment",
        "public_notice",
        "legality_review",
    }
    assert any(m.cross_portfolio for m in matters)
    comments = [c for m in matters for c in m.consultations if c.kind.value == "public_comment"]
    assert all(c.opened_on and c.closed_on for c in comments)
    assert (
        min((c.closed_on - c.opened_on).days + 1 for c in comments if c.opened_on and c.closed_on)
        >= 30
    )
    majors = [m for m in matters if m.major and m.decisions]
    assert sum(len(m.alternatives) < 2 for m in majors) == 1


def test_the_failed_decision_is_traced_with_its_dissenter(demo: Demo) -> None:
    trace = demo.trace("failed")
    assert trace.state == "adopted"
    assert trace.categories == ("major", "technical")
    assert [d["name"] for d in trace.dissenters] == ["吴涛"]
    roles = {r.role for r in trace.roles}
    assert {"proposed", "approved the agenda", "voted", "carries out", "opened a review"} <= roles
    assert any(r.role == "supervised" and r.detail == "unsatisfactory" for r in trace.roles)
    (concluded,) = [r for r in demo.records() if r.header["type"] == "review.concluded"]
    payload = concluded.body["payload"]
    assert payload["failed"] is True
    degrees = {
        demo.world.members[UUID(x["member"])].name: x["degree"] for x in payload["responsible"]
    }
    assert degrees["郑伟"] == "direct" and degrees["吴涛"] == "waived"
    assert "dissent-responsibility" not in {f["rule"] for f in trace.findings}


def test_the_deferred_item_is_decided_later(demo: Demo) -> None:
    trace = demo.trace("deferred")
    stances = Counter(r.detail for r in trace.roles if r.role == "stated an opinion")
    assert stances["disagree"] == 5
    assert len(trace.decisions) == 1 and trace.state == "adopted"
    assert demo.world.matters[UUID(trace.matter)].deferrals
    assert "defer-divided" not in {f["rule"] for f in trace.findings}


def test_the_divided_item_put_to_the_vote_gives_defer_divided(demo: Demo) -> None:
    (finding,) = demo.found("defer-divided")
    (against_views,) = demo.found("chair-speaks-last")
    assert finding.subject_id == against_views.subject_id
    assert "views stated 5 agree, 6 disagree of 11" in finding.message


def test_the_decision_changed_by_its_own_body_is_no_breach(demo: Demo) -> None:
    trace = demo.trace("changed")
    assert [c["type"] for c in trace.changes] == ["matter.changed"]
    assert "change-authority" not in {f["rule"] for f in trace.findings}


def test_an_agenda_is_approved_under_a_delegation(demo: Demo) -> None:
    (delegation,) = demo.world.delegations.values()
    assert demo.world.members[delegation.grantee].name == "张华"
    approvals = [
        a for m in demo.world.matters.values() for a in m.approvals if a.delegation is not None
    ]
    assert approvals and all(a.by == delegation.grantee for a in approvals)


def test_an_emergency_is_reported_and_ratified(demo: Demo) -> None:
    ratified = [
        e
        for e in demo.world.emergencies.values()
        if e.reports and [a.outcome.value for a in e.acknowledgements] == ["ratified"]
    ]
    assert len(ratified) == 1
    assert (ratified[0].reports[0].reported_at - ratified[0].taken_at).days < 7


def test_duty_reports_each_half_year_and_a_work_report(demo: Demo) -> None:
    kinds = Counter(r.kind.value for r in demo.world.reports)
    assert kinds["work"] == 2
    assert kinds["duty"] == 22  # eleven standing members, twice


def test_carrying_out_is_assigned_reported_and_supervised(demo: Demo) -> None:
    matters = list(demo.world.matters.values())
    assert sum(len(m.assignments) for m in matters) > 30
    assert sum(p.completed for m in matters for p in m.progress) > 20
    assert sum(len(m.supervisions) for m in matters) > 20
    assert any(m.publications for m in matters)
    assert any(m.reconsiderations for m in matters)


# --- sizes and seeds ----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 5])
def test_other_seeds_break_the_same_rules(tmp_path: Path, seed: int) -> None:
    summary = build_demo(tmp_path / "demo", seed=seed)
    assert summary["verified"] is True
    assert summary["findings"] == DELIBERATE


@pytest.mark.slow
def test_a_larger_size_scales_the_routine_work_only(tmp_path: Path, demo: Demo) -> None:
    summary = build_demo(tmp_path / "demo", size=3)
    assert summary["verified"] is True
    assert summary["findings"] == DELIBERATE
    assert summary["events"] > 3 * demo.summary["events"]
    assert summary["meetings"] > demo.summary["meetings"] + 20
    shutil.rmtree(tmp_path / "demo")
