"""The rule engine: the registry matches the catalogue, parameters apply, order is stable."""

from __future__ import annotations

import inspect
from datetime import datetime

import pytest

from ledger.domain.rules.catalogue import RULES
from ledger.domain.rules.checks import CHECKS, RuleParameterError
from ledger.domain.rules.engine import UnknownRuleError, evaluate, parameters_in_force
from ledger.domain.rules.facts import RuleParameterFact, RuleSetFact, World
from ledger.domain.rules.ruleset_file import parse_ruleset
from ledger.errors import InputError
from tests.domain.rules.conftest import AS_OF, CountyLedger, county_rest, edited, moment


def test_every_rule_has_one_check_citing_it() -> None:
    assert set(CHECKS) == {rule.id for rule in RULES}
    assert len(CHECKS) == len(RULES) == 31
    for rule in RULES:
        assert f"``{rule.id}``" in (inspect.getdoc(CHECKS[rule.id]) or ""), rule.id


def test_unknown_rule_is_refused() -> None:
    with pytest.raises(UnknownRuleError, match=r"no rule 'quorom' in the catalogue"):
        evaluate(World(), {}, AS_OF, ["quorom"])


def test_judging_as_of_a_time_without_zone_is_refused() -> None:
    with pytest.raises(InputError, match=r"with a zone"):
        evaluate(World(), {}, datetime(2026, 3, 1))


def test_parameters_change_the_judgement(ledger: CountyLedger) -> None:
    ledger.record_promptly(county_rest())
    world = ledger.world()
    strict = {"notice-period": {"standing_committee_days": 5}}
    found = evaluate(world, strict, AS_OF, ["notice-period"])
    assert [f.rule for f in found] == ["notice-period"]
    assert "at least 5 are required" in found[0].message
    assert evaluate(world, {}, AS_OF, ["notice-period"]) == []


def test_a_bad_parameter_is_a_clear_error() -> None:
    with pytest.raises(RuleParameterError, match=r"rule quorum: parameter 'share'"):
        evaluate(World(), {"quorum": {"share": "half"}}, AS_OF, ["quorum"])
    with pytest.raises(RuleParameterError, match=r"must be a whole number, got 'two'"):
        evaluate(World(), {"notice-period": {"plenary_days": "two"}}, AS_OF, ["notice-period"])


def test_parameters_in_force_come_from_the_adopted_rule_set() -> None:
    adopted = RuleSetFact(
        position=2,
        occurred_at=AS_OF,
        recorded_at=AS_OF,
        actor="office",
        version="2",
        parameters=(RuleParameterFact(rule="minutes-deadline", name="working_days", value="5"),),
    )
    parameters = parameters_in_force(World(rule_sets=(adopted,)))
    assert parameters["minutes-deadline"] == {"working_days": 5}
    assert parameters["quorum"]["share"] == "1/2"


def test_findings_come_in_order_of_when_then_rule(ledger: CountyLedger) -> None:
    acts = edited(county_rest(), "meeting.notice", {"at": "2026-02-23T10:00:00+08:00"})
    acts = edited(acts, "meeting.minutes", {"at": "2026-03-02T10:00:00+08:00"})
    ledger.record_promptly(acts)
    found = ledger.findings(as_of=moment("2026-03-05T00:00:00+08:00"))
    assert [f.rule for f in found] == ["notice-period", "minutes-deadline", "meeting-frequency"]
    assert [f.when for f in found] == sorted(f.when for f in found)


def test_a_breach_after_as_of_is_not_yet_a_finding(ledger: CountyLedger) -> None:
    acts = edited(county_rest(), "meeting.notice", {"at": "2026-02-23T10:00:00+08:00"})
    ledger.record_promptly(acts)
    assert ledger.findings("notice-period", as_of=moment("2026-02-23T12:00:00+08:00")) == []
    assert len(ledger.findings("notice-period")) == 1


def test_an_adopted_rule_set_judges_and_is_cited(ledger: CountyLedger) -> None:
    ledger.record_promptly(county_rest())
    adopted = parse_ruleset(
        {"version": "2026-1", "rules": {"notice-period": {"standing_committee_days": 5}}}
    )
    ledger.clock.now = moment("2026-02-28T09:00:00+08:00")
    ledger.service.adopt_ruleset(adopted, occurred_at=moment("2026-02-28T09:00:00+08:00"))
    found = ledger.findings("notice-period")
    assert [f.rule_ref for f in found] == ["notice-period@2026-1"]
    before = ledger.findings("notice-period", as_of=moment("2026-02-27T00:00:00+08:00"))
    assert before == []  # judged by the defaults in force then
