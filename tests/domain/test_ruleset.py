"""The rule set in force is configurable per ledger and recorded as an event."""

from __future__ import annotations

from typing import Any

import pytest

from ledger.domain.rules.catalogue import RULES
from ledger.domain.rules.ruleset_file import RuleSetError, parse_ruleset
from ledger.record.acts import RecordDocument
from ledger.store.service import LedgerService

T = "2026-03-02T09:00:00+08:00"


def test_defaults_apply_until_a_rule_set_is_adopted(service: LedgerService) -> None:
    assert service.ruleset_version() == "default"
    assert service.rule_parameters()["notice-period"]["standing_committee_days"] == 2


def test_adopting_a_rule_set_records_it_and_changes_parameters(service: LedgerService) -> None:
    before = service.app.count_rows()
    service.adopt_ruleset(
        parse_ruleset({"version": "2026-1", "rules": {"majority": {"share": "2/3"}}})
    )
    assert service.app.count_rows() == before + 1
    assert service.ruleset_version() == "2026-1"
    assert service.rule_parameters()["majority"]["share"] == "2/3"
    assert service.rule_parameters()["majority"]["strict"] is True  # untouched default
    service.adopt_ruleset(parse_ruleset({"version": "2026-2", "rules": {}}))
    assert service.ruleset_version() == "2026-2"
    assert service.rule_parameters()["majority"]["share"] == "1/2"
    assert service.verify().ok


def _decide(service: LedgerService, votes_for: int) -> Any:
    acts: list[dict[str, Any]] = [
        *({"act": "member.register", "as": f"p{i}", "name": f"p{i}", "at": T} for i in range(6)),
        {
            "act": "body.establish",
            "as": "sc",
            "kind": "standing_committee",
            "name": "SC",
            "members": [f"p{i}" for i in range(6)],
            "at": T,
        },
        {"act": "matter.open", "as": "x", "title": "X", "body": "sc", "in_charge": "p1", "at": T},
        {
            "act": "meeting.schedule",
            "as": "m",
            "body": "sc",
            "title": "M",
            "chair": "p0",
            "scheduled_for": "2026-03-05T09:00:00+08:00",
            "agenda": ["x"],
            "at": T,
        },
        {"act": "meeting.open", "meeting": "m", "present": [f"p{i}" for i in range(6)]},
        {
            "act": "meeting.vote",
            "meeting": "m",
            "item": "x",
            "method": "show_of_hands",
            "for": votes_for,
            "against": 6 - votes_for,
        },
        {"act": "meeting.announce", "meeting": "m", "item": "x", "outcome": "adopted", "by": "p0"},
    ]
    result = service.record(RecordDocument.model_validate({"acts": acts}).acts)
    return service.app.repository.get(result.aliases["x"]).decisions[-1].basis


def test_the_decision_basis_names_the_rule_set_and_computes_the_threshold(
    service: LedgerService,
) -> None:
    basis = _decide(service, 4)
    assert (basis.votes_needed, basis.computed_outcome, basis.rule) == (
        4,
        "adopted",
        "majority@default",
    )
    service.adopt_ruleset(parse_ruleset({"version": "v2", "rules": {"majority": {"share": "2/3"}}}))
    basis = _decide(service, 4)
    assert (basis.votes_needed, basis.computed_outcome, basis.rule) == (
        5,
        "rejected",
        "majority@v2",
    )
    assert (basis.threshold_numerator, basis.threshold_denominator, basis.strict) == (2, 3, True)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"rules": {}}, "needs a 'version'"),
        ({"version": "1", "rules": {"no-such-rule": {}}}, "unknown rule 'no-such-rule'"),
        ({"version": "1", "rules": {"quorum": {"size": 3}}}, "has no parameter 'size'"),
        ({"version": "1", "rules": {"notice-period": {"plenary_days": "5"}}}, "expected int"),
        (
            {"version": "1", "rules": {"notice-period": {"plenary_days": -1}}},
            "must not be negative",
        ),
        ({"version": "1", "rules": {"majority": {"share": "3/2"}}}, "a share lies in"),
        ({"version": "1", "extra": 1}, "unknown keys"),
    ],
)
def test_bad_rule_sets_are_refused(document: dict[str, Any], message: str) -> None:
    with pytest.raises(RuleSetError, match=message):
        parse_ruleset(document)


def test_every_rule_has_an_id_source_and_description() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert rule.source and rule.checks and rule.title_zh
