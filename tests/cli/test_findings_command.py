"""``ledger findings`` through click's runner and the root command."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner, Result

from ledger.cli.main import cli
from tests.domain.rules.conftest import CountyLedger, county_rest, edited

AS_OF = "2026-03-01T00:00:00+08:00"


@pytest.fixture
def recorded(ledger: CountyLedger) -> CountyLedger:
    acts = edited(county_rest(), "meeting.notice", {"at": "2026-02-23T10:00:00+08:00"})
    ledger.record_promptly(acts)
    return ledger


def run(ledger: CountyLedger, *args: str) -> Result:
    home = ledger.service.home.path
    return CliRunner().invoke(cli, ["--home", str(home), "findings", *args])


def test_findings_as_json(recorded: CountyLedger) -> None:
    result = run(recorded, "--as-of", AS_OF, "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert [f["rule"] for f in document["findings"]] == ["notice-period", "meeting-frequency"]
    notice = document["findings"][0]
    assert notice["responsible"] == recorded.id("zhou")
    assert notice["responsible_name"] == "周洁"
    assert notice["subject"] == {"kind": "meeting", "id": recorded.id("m1")}
    assert notice["rule_ref"] == "notice-period@default" and notice["positions"]


def test_findings_table_for_people(recorded: CountyLedger) -> None:
    result = run(recorded, "--as-of", AS_OF, "--rule", "notice-period")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("1 finding(s) as of 2026-03-01 00:00 (Beijing time)")
    assert "notice-period" in lines[2] and "2026-02-24 09:00" in lines[2]
    assert "县委常委会第3次会议" in lines[2] and "周洁" in lines[2]


def test_findings_filtered_by_member_and_dates(recorded: CountyLedger) -> None:
    by_wang = run(recorded, "--as-of", AS_OF, "--member", recorded.id("wang"), "--json")
    assert [f["rule"] for f in json.loads(by_wang.stdout)["findings"]] == ["meeting-frequency"]
    in_february = run(recorded, "--as-of", AS_OF, "--until", "2026-02-28", "--json")
    assert [f["rule"] for f in json.loads(in_february.stdout)["findings"]] == ["notice-period"]
    since_march = run(recorded, "--as-of", AS_OF, "--since", "2026-03-01")
    assert "meeting-frequency" in since_march.stdout and "notice-period" not in since_march.stdout


def test_findings_of_a_matter_are_those_its_trace_shows(recorded: CountyLedger) -> None:
    """The late notice of its meeting is the matter's; the body's missed quarter is nobody's
    matter: `--matter` keeps what the trace shows, and nothing else."""
    water = "县城供水管网改造方案"
    result = run(recorded, "--as-of", AS_OF, "--matter", water, "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)["findings"]
    assert [f["rule"] for f in found] == ["notice-period"]
    home = str(recorded.service.home.path)
    traced = CliRunner().invoke(cli, ["--home", home, "trace", water, "--as-of", AS_OF, "--json"])
    shown = json.loads(traced.stdout)["findings"]
    assert shown == [{k: v for k, v in f.items() if k != "subject_name"} for f in found]


def test_findings_of_an_unknown_matter_are_refused(recorded: CountyLedger) -> None:
    result = run(recorded, "--as-of", AS_OF, "--matter", "没有这个议题")
    assert result.exit_code == 2
    assert "no matter '没有这个议题'" in result.stderr


def test_findings_as_of_without_zone_is_a_usage_error(recorded: CountyLedger) -> None:
    result = run(recorded, "--as-of", "2026-03-01T00:00:00")
    assert result.exit_code == 2
    assert "has no time zone" in result.stderr
