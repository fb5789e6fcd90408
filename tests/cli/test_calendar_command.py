"""``ledger calendar`` and ``ledger findings`` in 2027 and after, with the clock frozen: the
findings answer (never exit 2 because of a date), say when they are provisional, and follow a
calendar once it is adopted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from click.testing import CliRunner, Result

from ledger.cli.main import cli
from tests.domain.rules.conftest import CountyLedger

CALENDAR_2027 = Path(__file__).resolve().parents[1] / "domain/rules/data/calendar-2027.yaml"
NOW = datetime.fromisoformat("2027-11-20T10:00:00+08:00")


def run(ledger: CountyLedger, *args: str, lang: str = "en") -> Result:
    home = ledger.service.home.path
    return CliRunner().invoke(cli, ["--home", str(home), "--lang", lang, *args])


@pytest.fixture
def frozen() -> Iterator[None]:
    """The clock of the command line, frozen in November 2027."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def november_2027(ledger: CountyLedger) -> CountyLedger:
    """A standing committee meeting closing Friday 5 November 2027, with no minutes."""
    t = "2027-11-{}T{}:00+08:00".format
    ledger.record_promptly(
        [
            {"act": "meeting.schedule", "as": "m0", "body": "sc", "title": "县委常委会第30次会议",
             "scheduled_for": t("05", "09:00"), "chair": "wang", "at": t("01", "09:00")},
            {"act": "meeting.notice", "meeting": "m0", "at": t("01", "10:00")},
            {"act": "meeting.open", "meeting": "m0",
             "present": ["wang", "li", "zhang", "zhao", "zhou"], "at": t("05", "09:00")},
            {"act": "meeting.close", "meeting": "m0", "at": t("05", "11:00")},
        ]
    )  # fmt: skip
    return ledger


def minutes_findings(ledger: CountyLedger) -> list[dict[str, Any]]:
    result = run(ledger, "findings", "--rule", "minutes-deadline", "--json")
    assert result.exit_code == 0, result.output
    found: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return found


@pytest.mark.usefixtures("frozen")
def test_findings_in_2027_answer_and_say_they_are_provisional(november_2027: CountyLedger) -> None:
    [finding] = minutes_findings(november_2027)
    assert finding["provisional"] is True and finding["calendars"] == ["2027@provisional"]
    assert "by 10 November 2027 (inclusive)" in finding["message"]
    table = run(november_2027, "findings", "--rule", "minutes-deadline", lang="zh")
    assert table.exit_code == 0, table.output
    assert "暂定" in table.stdout and "2027 年的工作日历" in table.stdout


@pytest.mark.usefixtures("frozen")
def test_adopting_2027_makes_the_findings_cite_it(november_2027: CountyLedger) -> None:
    adopted = run(november_2027, "calendar", "adopt", str(CALENDAR_2027))
    assert adopted.exit_code == 0, adopted.output
    assert "working-day calendar of 2027 adopted at position" in adopted.stdout
    position = int(adopted.stdout.split("at position ")[1].split()[0])
    [finding] = minutes_findings(november_2027)
    assert finding["provisional"] is False
    assert finding["calendars"] == [f"2027@adopted:{position}"]
    assert "provisional" not in finding["message"]


@pytest.mark.usefixtures("frozen")
def test_calendar_show_a_year_without_a_calendar(november_2027: CountyLedger) -> None:
    result = run(november_2027, "calendar", "show", "2027", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "year": 2027,
        "kind": "provisional",
        "provisional": True,
        "working_day_count": 261,
    }
    zh = run(november_2027, "calendar", "show", "2027", lang="zh")
    assert "本台账尚无 2027 年的工作日历" in zh.stdout and "ledger calendar adopt" in zh.stdout


def test_calendar_show_a_shipped_year(ledger: CountyLedger) -> None:
    result = run(ledger, "calendar", "show", "2026", lang="zh")
    assert result.exit_code == 0, result.output
    assert "2026 年工作日历：随本软件提供（chinesecalendar" in result.stdout
    assert "国庆节  2026-10-01  2026-10-07" in result.stdout
    assert "2026-10-10（周六）" in result.stdout
    document = json.loads(run(ledger, "calendar", "show", "2026", "--json").stdout)
    assert document["kind"] == "shipped" and document["cite"] == "2026@shipped"
    assert {"name": "春节", "from": "2026-02-15", "to": "2026-02-23", "days": 9} in document[
        "holidays"
    ]


@pytest.mark.usefixtures("frozen")
def test_calendar_show_and_list_an_adopted_year(ledger: CountyLedger) -> None:
    assert run(ledger, "calendar", "adopt", str(CALENDAR_2027)).exit_code == 0
    shown = run(ledger, "calendar", "show", "2027", lang="zh")
    assert "2027 年工作日历：已在台账第" in shown.stdout
    assert "记录于 2027-11-20 10:00（北京时间）" in shown.stdout
    assert "测试〔2026〕1号" in shown.stdout
    listed = json.loads(run(ledger, "calendar", "list", "--json").stdout)
    assert [a["year"] for a in listed["adopted"]] == [2027]
    assert listed["shipped"]["to"] == 2026
    before = run(ledger, "calendar", "show", "2027", "--as-of", "2027-11-19", "--json")
    assert json.loads(before.stdout)["kind"] == "provisional"  # not yet on record then


def test_a_bad_calendar_file_is_refused_and_nothing_is_written(
    ledger: CountyLedger, tmp_path: Path
) -> None:
    count = ledger.service.app.count_rows()
    bad = tmp_path / "2027.yaml"
    bad.write_text(
        CALENDAR_2027.read_text(encoding="utf-8").replace("2027-02-20,", "2027-02-17,"),
        encoding="utf-8",
    )
    result = run(ledger, "calendar", "adopt", str(bad), lang="zh")
    assert result.exit_code == 2
    assert "working_days 第 1 项：2027-02-17 本是工作日" in result.output
    duplicated = tmp_path / "twice.yaml"
    duplicated.write_text("year: 2027\nyear: 2028\n", encoding="utf-8")
    result = run(ledger, "calendar", "adopt", str(duplicated))
    assert result.exit_code == 2 and "is not a valid calendar file" in result.output
    assert "Traceback" not in result.output
    assert ledger.service.app.count_rows() == count
