"""A refused act in the reader's language: ``ledger record`` and ``ledger act`` print the
domain's refusal in Chinese with ``--lang zh`` and in English with ``--lang en``, exit 2, and
write nothing; JSON output and exit codes do not change with the language (docs/cli.md,
"Language")."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from ledger.cli.main import cli

REFUSED = """\
format: ledger.record/1
acts:
  - {act: member.register, as: wang, name: 王建国}
  - {act: member.register, as: li, name: 李明}
  - {act: body.establish, as: sc, kind: standing_committee, name: 常委会, members: [wang, li]}
  - {act: matter.open, as: water, title: 县城供水管网改造方案, body: sc, in_charge: li}
  - act: meeting.schedule
    as: m
    body: sc
    title: 第5次常委会会议
    scheduled_for: "2026-03-05T09:00:00+08:00"
    chair: wang
    agenda: [water]
  - {act: meeting.open, meeting: m, present: [wang, li]}
  - {act: meeting.vote, meeting: m, item: water, method: show_of_hands, for: 1, against: 0,
     ballots_cast: 2}
"""


def run(home: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["--home", str(home), *args])
    assert "Traceback" not in result.stdout + result.stderr
    return result


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "county"
    assert run(path, "init", "--name", "XX县委", "--unencrypted").exit_code == 0
    return path


@pytest.fixture
def refused(tmp_path: Path) -> Path:
    path = tmp_path / "refused.yaml"
    path.write_text(REFUSED, encoding="utf-8")
    return path


def events(home: Path) -> int:
    return len(json.loads(run(home, "log", "--json").stdout))


def test_a_refused_record_speaks_chinese(home: Path, refused: Path) -> None:
    before = events(home)
    result = run(home, "--lang", "zh", "record", str(refused))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "错误：第 7 项行为（meeting.vote）：计票合计 1 票（赞成 1、反对 0、弃权 0、无效 0），"
        "与收回的 2 票不符\n"
    )
    assert events(home) == before


def test_a_refused_record_speaks_english(home: Path, refused: Path) -> None:
    result = run(home, "--lang", "en", "record", str(refused))
    assert result.exit_code == 2
    assert result.stderr == (
        "error: act 7 (meeting.vote): the tally adds up to 1 (for 1, against 0, abstaining 0, "
        "invalid 0), but 2 ballots were cast\n"
    )


def test_a_refused_record_with_json_keeps_its_exit_code_in_both_languages(
    home: Path, refused: Path
) -> None:
    chinese = run(home, "--lang", "zh", "record", str(refused), "--json")
    english = run(home, "--lang", "en", "record", str(refused), "--json")
    assert chinese.exit_code == english.exit_code == 2
    assert chinese.stdout == english.stdout == ""
    assert chinese.stderr.startswith("错误：第 7 项行为（meeting.vote）：计票合计 1 票")
    assert english.stderr.startswith("error: act 7 (meeting.vote): the tally adds up to 1")


def test_a_refused_act_speaks_the_readers_language(home: Path) -> None:
    registered = run(home, "act", "member.register", "--name", "钱多", "--json")
    member = json.loads(registered.stdout)["created"][0]["id"]
    assert run(home, "act", "member.leave", "--member", member, "--reason", "调任").exit_code == 0
    again = ("act", "member.leave", "--member", member, "--reason", "调任")

    chinese = run(home, "--lang", "zh", *again)
    english = run(home, "--lang", "en", *again)

    assert chinese.exit_code == english.exit_code == 2
    assert chinese.stderr == f"错误：第 1 项行为（member.leave）：委员钱多（{member}）已离任\n"
    assert english.stderr == (
        f"error: act 1 (member.leave): member 钱多 ({member}) has left the committee\n"
    )


def test_an_unknown_reference_in_an_act_speaks_the_readers_language(home: Path) -> None:
    chinese = run(home, "--lang", "zh", "act", "meeting.close", "--meeting", "第5次")
    english = run(home, "--lang", "en", "act", "meeting.close", "--meeting", "第5次")
    assert chinese.exit_code == english.exit_code == 2
    assert chinese.stderr.startswith(
        "错误：第 1 项行为（meeting.close）：未知的会议 '第5次'：它不是标识，"
    )
    assert "`as: 第5次`" in chinese.stderr
    assert english.stderr.startswith("error: act 1 (meeting.close): unknown meeting '第5次'")


def test_an_error_without_chinese_falls_back_to_its_english() -> None:
    from ledger.cli.main import LedgerCLI
    from ledger.errors import InputError

    @click.group(cls=LedgerCLI)
    def root() -> None:
        """A root with the ledger's error handling and one failing command."""

    @root.command()
    def fail() -> None:
        raise InputError("no such thing (English only)")

    chinese = CliRunner().invoke(root, ["fail"], env={"LEDGER_LANG": "zh"})
    assert chinese.exit_code == 2
    assert chinese.stderr == "错误：no such thing (English only)\n"
