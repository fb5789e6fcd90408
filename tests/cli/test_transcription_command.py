"""Back-filling a year from paper with ``ledger record``, and asking about it by when things
happened (``--at``) rather than when they were recorded (``--as-of``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import time_machine
import yaml
from click.testing import CliRunner, Result

from ledger.cli.main import cli
from tests.domain.rules.conftest import CountyLedger, county_rest, moment

TODAY = "2026-03-20T10:00:00+08:00"
WATER = "县城供水管网改造方案"


def run(ledger: CountyLedger, *args: str) -> Result:
    home = ledger.service.home.path
    return CliRunner().invoke(cli, ["--home", str(home), *args])


@pytest.fixture
def back_filled(ledger: CountyLedger, tmp_path: Path) -> CountyLedger:
    """January's meeting, entered on 20 March 2026 from its paper minutes, which were issued
    late (closed Wednesday 14 January; due Monday the 19th; issued the 23rd)."""
    t = "2026-01-{}T{}:00+08:00".format
    ids = ledger.ids
    members = [ids[m] for m in ("wang", "li", "zhang", "zhao", "zhou")]
    acts: list[dict[str, Any]] = [
        {"act": "meeting.schedule", "as": "old", "body": ids["sc"], "title": "县委常委会第1次会议",
         "scheduled_for": t("14", "09:00"), "chair": ids["wang"], "at": t("09", "09:00")},
        {"act": "meeting.notice", "meeting": "old", "at": t("09", "10:00")},
        {"act": "meeting.open", "meeting": "old", "present": members, "at": t("14", "09:00")},
        {"act": "meeting.close", "meeting": "old", "at": t("14", "11:00")},
        {"act": "meeting.minutes", "meeting": "old", "by": ids["zhou"], "at": t("23", "17:00")},
    ]  # fmt: skip
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 the paper minutes")
    document = {
        "transcription": {
            "source": "县委常委会2026年第1次会议纪要",
            "reference": "档号 WS·2026-Y-001",
            "scan": "scan.pdf",
            "clerk": "办公室 刘敏",
        },
        "acts": acts,
    }
    path = tmp_path / "2025-12.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    with time_machine.travel(moment(TODAY), tick=False):  # the office's clock: 20 March
        result = run(ledger, "record", str(path))
    assert result.exit_code == 0, result.output
    return ledger


def rules_of(result: Result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [f["rule"] for f in json.loads(result.stdout)["findings"]]


def test_a_back_filled_year_is_invisible_by_recording_time(back_filled: CountyLedger) -> None:
    assert "minutes-deadline" not in rules_of(
        run(back_filled, "findings", "--as-of", "2026-01-31", "--json")
    )


def test_a_back_filled_year_is_judged_by_when_it_happened(back_filled: CountyLedger) -> None:
    found = rules_of(run(back_filled, "findings", "--at", "2026-01-31", "--json"))
    assert "minutes-deadline" in found
    assert "late-record" not in found  # transcribed: no flood
    assert "transcription" not in found  # entered in March: not yet a fact on 31 January
    assert "minutes-deadline" not in rules_of(
        run(back_filled, "findings", "--at", "2026-01-19T12:00:00+08:00", "--json")
    )  # the deadline had not passed then


def test_today_the_transcription_is_one_note(back_filled: CountyLedger) -> None:
    found = rules_of(run(back_filled, "findings", "--as-of", "2026-03-21", "--json"))
    assert found.count("transcription") == 1 and "late-record" not in found


def test_log_at_lists_what_had_happened_by_then(back_filled: CountyLedger) -> None:
    result = run(back_filled, "log", "--at", "2026-01-31", "--json")
    assert result.exit_code == 0, result.output
    types = [e["type"] for e in json.loads(result.stdout)]
    assert "meeting.minutes_issued" in types and "transcription.recorded" not in types
    by_recording = json.loads(run(back_filled, "log", "--as-of", "2026-01-31", "--json").stdout)
    assert "meeting.minutes_issued" not in [e["type"] for e in by_recording]


@pytest.fixture
def water_transcribed(ledger: CountyLedger, tmp_path: Path) -> CountyLedger:
    """The example's water-supply matter (prepared and decided in February 2026) entered on 20
    March from its paper file."""
    document = {
        "transcription": {
            "source": "县城供水管网改造方案决策档案",
            "reference": "档号 JC·2026-003",
            "clerk": "办公室 刘敏",
        },
        "acts": [ledger._with_ids(a) for a in county_rest()],
    }
    path = tmp_path / "water.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    with time_machine.travel(moment(TODAY), tick=False):
        result = run(ledger, "record", str(path))
    assert result.exit_code == 0, result.output
    return ledger


def test_history_marks_every_transcribed_act_with_its_source(
    water_transcribed: CountyLedger,
) -> None:
    zh = run(water_transcribed, "--lang", "zh", "history", WATER, "--at", "2026-03-01")
    assert zh.exit_code == 0, zh.output
    lines = [line for line in zh.stdout.splitlines() if line.strip()]
    assert lines and all("据纸质记录《县城供水管网改造方案决策档案》" in line for line in lines)
    assert "办公室 刘敏于 2026-03-20 10:00（北京时间） 录入" in lines[0]
    document = json.loads(run(water_transcribed, "history", WATER, "--json").stdout)
    assert {e["transcribed"]["source"] for e in document} == {"县城供水管网改造方案决策档案"}


def test_trace_as_it_happened_before_it_was_recorded(water_transcribed: CountyLedger) -> None:
    by_recording = run(water_transcribed, "trace", WATER, "--as-of", "2026-03-01")
    assert by_recording.exit_code == 2 and "not yet on the record" in by_recording.output
    by_occurrence = run(water_transcribed, "trace", WATER, "--at", "2026-03-01", "--json")
    assert by_occurrence.exit_code == 0, by_occurrence.output
    trace = json.loads(by_occurrence.stdout)
    assert trace["at"].startswith("2026-02-28T16:00:00") and trace["state"] == "adopted"
    assert all(r["transcribed"] for r in trace["roles"])
    text = run(water_transcribed, "trace", WATER, "--at", "2026-03-01")
    assert "only what had happened by 2026-03-01 00:00 (Beijing time)" in text.stdout
    before = json.loads(
        run(water_transcribed, "trace", WATER, "--at", "2026-02-20", "--json").stdout
    )
    assert before["state"] == "open"  # decided on the 24th, as the paper file says


def test_person_at_lists_the_transcribed_parts(water_transcribed: CountyLedger) -> None:
    result = run(water_transcribed, "--lang", "zh", "person", "王建国", "--at", "2026-03-01")
    assert result.exit_code == 0, result.output
    assert "据纸质记录《县城供水管网改造方案决策档案》补录" in result.stdout
    document = json.loads(
        run(water_transcribed, "person", "王建国", "--at", "2026-02-01", "--json").stdout
    )
    assert all(r["occurred_at"] <= "2026-02-01" for m in document["matters"] for r in m["roles"])


def test_the_trace_page_marks_transcribed_acts(
    water_transcribed: CountyLedger, tmp_path: Path
) -> None:
    page = tmp_path / "water.html"
    result = run(water_transcribed, "--lang", "zh", "trace", WATER, "--html", str(page))
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert html.count("据纸质记录《县城供水管网改造方案决策档案》") >= 10  # timeline and roles


def test_history_shows_when_an_act_was_recorded_if_not_the_day_it_happened(
    ledger: CountyLedger,
) -> None:
    acts = county_rest()
    ledger.record_promptly(acts[:-3])
    ledger.record(*acts[-3:], sealed_at="2026-03-10T09:00:00+08:00")  # the last three, late
    result = run(ledger, "history", WATER)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    late = [line for line in lines if "[recorded 2026-03-10 09:00 (Beijing time)]" in line]
    assert 1 <= len(late) <= 3 and "[recorded" not in lines[0]
