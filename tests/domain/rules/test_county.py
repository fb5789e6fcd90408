"""The example document, docs/examples/county.yaml, judged by every rule.

Recorded promptly, as the office would record it day by day, it breaks one rule only: the
standing committee met once in February 2026 (the Spring Festival month), and rule
``meeting-frequency`` asks for two meetings in each whole calendar month. The example is left
as it is; this test pins that single finding so any other breach shows up.
"""

from __future__ import annotations

from tests.domain.rules.conftest import AS_OF, CountyLedger, county_rest


def test_county_example_breaks_only_the_meeting_frequency_rule(ledger: CountyLedger) -> None:
    ledger.record_promptly(county_rest())
    found = ledger.findings(as_of=AS_OF)
    assert [(f.rule, f.subject_id) for f in found] == [("meeting-frequency", ledger.id("sc"))]
    assert "met 1 time(s) in 2026-02" in found[0].message


def test_county_example_recorded_late_is_flagged_event_by_event(ledger: CountyLedger) -> None:
    """The whole document recorded in one batch on 1 March: every act older than 72 hours is
    a late record, answerable by the office."""
    result = ledger.record(*county_rest(), sealed_at="2026-03-01T00:00:00+08:00")
    late = ledger.findings("late-record", as_of=AS_OF)
    assert late and all(f.responsible == "office" for f in late)
    assert {f.positions[0] for f in late} <= set(
        range(result.first_position or 0, (result.last_position or 0) + 1)
    )
