"""``ledger act``: every act of the record language from the command line, with signatures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ledger.cli.main import cli


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "county"
    result = CliRunner().invoke(cli, ["--home", str(path), "init", "--name", "XX", "--unencrypted"])
    assert result.exit_code == 0, result.stderr
    return path


def act(home: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["--home", str(home), "act", *args])
    assert "Traceback" not in result.output + result.stderr
    return result


def created(result: Result) -> str:
    assert result.exit_code == 0, result.stderr
    return str(json.loads(result.stdout)["created"][0]["id"])


def test_a_meeting_from_the_command_line_with_a_signed_opinion(home: Path, tmp_path: Path) -> None:
    key_file = tmp_path / "li.key"
    runner = CliRunner()
    generated = runner.invoke(
        cli, ["--home", str(home), "key", "generate", "--out", str(key_file), "--unencrypted"]
    )
    assert generated.exit_code == 0
    added = runner.invoke(
        cli, ["--home", str(home), "member", "add", "李明", "--key-file", str(key_file), "--json"]
    )
    li = json.loads(added.stdout)["member"]
    wang = created(act(home, "member.register", "--name", "王建国", "--json"))
    assert act(home, "member.assign", "--member", wang, "--posts", "secretary").exit_code == 0
    sc = created(
        act(
            home,
            "body.establish",
            "--kind",
            "standing_committee",
            "--name",
            "常委会",
            "--members",
            wang,
            "--members",
            li,
            "--json",
        )
    )
    matter = created(
        act(
            home,
            "matter.open",
            "--title",
            "供水改造",
            "--body",
            sc,
            "--in-charge",
            li,
            "--major",
            "--json",
        )
    )
    meeting = created(
        act(
            home,
            "meeting.schedule",
            "--body",
            sc,
            "--title",
            "常委会第1次会议",
            "--scheduled-for",
            "2026-03-05T09:00:00+08:00",
            "--chair",
            wang,
            "--agenda",
            matter,
            "--json",
        )
    )
    assert (
        act(
            home, "meeting.open", "--meeting", meeting, "--present", wang, "--present", li
        ).exit_code
        == 0
    )
    signed = act(
        home,
        "meeting.opinion",
        "--meeting",
        meeting,
        "--item",
        matter,
        "--member",
        li,
        "--stance",
        "agree",
        "--sign-with",
        str(key_file),
    )
    assert signed.exit_code == 0, signed.stderr
    vote = act(
        home,
        "meeting.vote",
        "--meeting",
        meeting,
        "--item",
        matter,
        "--method",
        "named_ballot",
        "--for",
        "2",
        "--against",
        "0",
        "--ballots",
        json.dumps({"member": wang, "choice": "for"}),
        "--ballots",
        json.dumps({"member": li, "choice": "for"}),
    )
    assert vote.exit_code == 0, vote.stderr
    log = json.loads(CliRunner().invoke(cli, ["--home", str(home), "log", "--json"]).stdout)
    opinion = next(e for e in log if e["type"] == "meeting.opinion_stated")
    assert opinion["actor"] == li
    assert {s["role"] for s in opinion["signed_by"]} == {"record", "act"}
    assert CliRunner().invoke(cli, ["--home", str(home), "verify"]).exit_code == 0


def test_a_key_that_signs_nothing_is_refused(home: Path, tmp_path: Path) -> None:
    key_file = tmp_path / "li.key"
    runner = CliRunner()
    runner.invoke(
        cli, ["--home", str(home), "key", "generate", "--out", str(key_file), "--unencrypted"]
    )
    runner.invoke(cli, ["--home", str(home), "member", "add", "李明", "--key-file", str(key_file)])
    result = act(home, "member.register", "--name", "王", "--sign-with", str(key_file))
    assert result.exit_code == 2
    assert "no act in the batch is its holder's own act" in result.stderr


def test_bad_values_are_named_by_option(home: Path) -> None:
    result = act(
        home,
        "meeting.vote",
        "--meeting",
        "m",
        "--item",
        "i",
        "--method",
        "secret",
        "--for",
        "1",
        "--against",
        "0",
    )
    assert result.exit_code == 2
    assert "--method" in result.stderr


def test_missing_option_is_a_usage_error(home: Path) -> None:
    result = act(home, "matter.open", "--title", "x")
    assert result.exit_code == 2
    assert "Missing option" in result.stderr


def test_unknown_reference_is_refused(home: Path) -> None:
    result = act(home, "matter.open", "--title", "x", "--body", "sc", "--in-charge", "li")
    assert result.exit_code == 2
    assert "unknown body 'sc'" in result.stderr
