"""Read commands through the CLI: trace, archive, history, person, replay, rebuild."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ledger.cli.main import cli

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "county.yaml"
MATTER = "县城供水管网改造方案"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("read") / "county"
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["--home", str(path), "init", "--name", "X", "--unencrypted"]).exit_code
        == 0
    )
    assert runner.invoke(cli, ["--home", str(path), "record", str(EXAMPLE)]).exit_code == 0
    return path


def run(home: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["--home", str(home), *args])
    assert "Traceback" not in result.output + result.stderr
    return result


def test_trace_as_json_and_text(home: Path) -> None:
    document = json.loads(run(home, "trace", MATTER, "--json").stdout)
    assert document["title"] == MATTER and document["state"] == "adopted"
    assert {r["name"] for r in document["roles"] if r["role"] == "voted"} == {
        "王建国",
        "李明",
        "张华",
        "周洁",
    }
    text = run(home, "trace", MATTER).stdout
    assert "approved the agenda" in text and "赵敏" in text


def test_trace_of_an_unknown_matter_is_a_usage_error(home: Path) -> None:
    result = run(home, "trace", "没有这个议题")
    assert result.exit_code == 2
    assert "no matter '没有这个议题'" in result.stderr


def test_trace_as_of_before_the_matter_existed(home: Path) -> None:
    result = run(home, "trace", MATTER, "--as-of", "2026-01-01")
    assert result.exit_code == 2
    assert "not yet on the record" in result.stderr


def test_as_of_needs_a_zone(home: Path) -> None:
    result = run(home, "trace", MATTER, "--as-of", "2026-01-01T09:00:00")
    assert result.exit_code == 2
    assert "no time zone" in result.stderr


def test_archive_history_and_person(home: Path) -> None:
    archive = json.loads(run(home, "archive", MATTER, "--json").stdout)
    assert archive[0]["type"] == "matter.opened"
    history = run(home, "history", MATTER).stdout.splitlines()
    assert "  matter opened: 县城供水管网改造方案 (in charge: 李明)" in history[0]
    assert history[0].endswith("(Beijing time)]")  # recorded today, not on the day it happened
    assert "2026-02-24 09:40" in "\n".join(history)  # China time for people
    person = json.loads(run(home, "person", "王建国", "--json").stdout)
    assert [m["title"] for m in person["matters"]] == [MATTER]
    quick = json.loads(run(home, "person", "王建国", "--no-findings", "--json").stdout)
    assert {**quick, "as_of": None} == {**person, "findings": None, "as_of": None}
    table = run(home, "person", "王建国", "--no-findings")
    assert table.exit_code == 0 and "findings not judged (--no-findings)" in table.stdout


def test_replay_and_rebuild(home: Path) -> None:
    empty = json.loads(run(home, "replay", "--until", "2026-01-01", "--json").stdout)
    assert (empty["events"], empty["matters"]) == (0, [])
    now = json.loads(run(home, "replay", "--until", "2099-01-01", "--json").stdout)
    assert now["events"] == 43 and now["matters"][0]["state"] == "adopted"
    rebuilt = run(home, "rebuild")
    assert rebuilt.exit_code == 0 and "rebuilt from 43 events" in rebuilt.stdout
    as_json = json.loads(run(home, "rebuild", "--json").stdout)
    assert as_json["events"] == 43 and as_json["seconds"] >= 0


def test_prove_a_position_and_each_decision_of_a_matter(home: Path) -> None:
    from ledger.integrity.digest import digest_bytes as from_digest
    from ledger.integrity.merkle import verify_inclusion

    trace = json.loads(run(home, "trace", MATTER, "--json").stdout)
    decided = [d["position"] for d in trace["decisions"]]
    assert decided
    proofs = json.loads(run(home, "prove", MATTER, "--json").stdout)
    assert [p["position"] for p in proofs] == decided
    single = json.loads(run(home, "prove", str(decided[0]), "--json").stdout)
    assert single == proofs[0]
    for p in proofs:
        verify_inclusion(
            from_digest(p["leaf_hash"]),
            p["leaf_index"],
            p["tree_size"],
            [from_digest(h) for h in p["inclusion_path"]],
            from_digest(p["root_hash"]),
        )
    text = run(home, "prove", MATTER)
    assert text.exit_code == 0 and f"position {decided[0]} is in the tree" in text.stdout
    assert run(home, "prove", "没有这个议题").exit_code == 2
    assert run(home, "prove", "999999").exit_code == 2
