"""The command line, end to end through click's runner: exit codes, stdout and stderr apart."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ledger.cli.main import cli


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "county"


def run(runner: CliRunner, home: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    result = runner.invoke(cli, ["--home", str(home), *args], env=env or {})
    assert "Traceback" not in result.output + result.stderr
    return result


def init(runner: CliRunner, home: Path) -> None:
    result = run(runner, home, "init", "--name", "XX County Committee", "--unencrypted")
    assert result.exit_code == 0, result.stderr


def test_init_creates_a_ledger_that_verifies(runner: CliRunner, home: Path) -> None:
    result = run(runner, home, "init", "--name", "XX County", "--unencrypted", "--json")
    assert result.exit_code == 0, result.stderr
    created = json.loads(result.stdout)
    assert created["ledger_key"].startswith("ed25519:")
    assert (home / "ledger.sqlite").exists() and (home / "checkpoint.txt").exists()
    verified = run(runner, home, "verify", "--json")
    assert verified.exit_code == 0
    assert json.loads(verified.stdout)["events"] == 1


def test_init_twice_is_refused(runner: CliRunner, home: Path) -> None:
    init(runner, home)
    again = run(runner, home, "init", "--name", "Other", "--unencrypted")
    assert again.exit_code == 2
    assert "already lives" in again.stderr


def test_missing_ledger_is_a_usage_error(runner: CliRunner, home: Path) -> None:
    result = run(runner, home, "verify")
    assert result.exit_code == 2
    assert "no ledger in" in result.stderr and "ledger init" in result.stderr


def test_unknown_option_is_a_usage_error(runner: CliRunner, home: Path) -> None:
    assert run(runner, home, "verify", "--bogus").exit_code == 2


def test_encrypted_ledger_key_needs_its_passphrase(runner: CliRunner, home: Path) -> None:
    secret = {"LEDGER_PASSPHRASE": "correct horse"}
    assert run(runner, home, "init", "--name", "XX", env=secret).exit_code == 0
    pem = next((home / "keys").glob("*.key")).read_bytes()
    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    missing = run(runner, home, "member", "add", "王建国")
    assert missing.exit_code == 2
    assert "LEDGER_PASSPHRASE" in missing.stderr
    wrong = run(runner, home, "member", "add", "王建国", env={"LEDGER_PASSPHRASE": "wrong"})
    assert wrong.exit_code == 2
    assert "wrong passphrase" in wrong.stderr
    right = run(runner, home, "member", "add", "王建国", "--title", "书记", env=secret)
    assert right.exit_code == 0, right.stderr
    assert run(runner, home, "verify").exit_code == 0


def test_member_with_own_key_signs_its_registration(
    runner: CliRunner, home: Path, tmp_path: Path
) -> None:
    init(runner, home)
    key_file = tmp_path / "wang.key"
    assert (
        run(runner, home, "key", "generate", "--out", str(key_file), "--unencrypted").exit_code == 0
    )
    added = run(
        runner,
        home,
        "member",
        "add",
        "王建国",
        "--title",
        "书记",
        "--key-file",
        str(key_file),
        "--json",
    )
    assert added.exit_code == 0, added.stderr
    member = json.loads(added.stdout)
    keys = json.loads(run(runner, home, "key", "list", "--json").stdout)
    mine = [k for k in keys if k["holder"] == member["member"]]
    assert [k["key"] for k in mine] == [member["key"]]
    log = json.loads(run(runner, home, "log", "--json").stdout)
    registration = log[-1]
    assert registration["type"] == "key.registered"
    assert {s["role"] for s in registration["signed_by"]} == {"record", "act"}
    members = json.loads(run(runner, home, "member", "list", "--json").stdout)
    assert [m["name"] for m in members] == ["王建国"]
    newest = json.loads(run(runner, home, "log", "--limit", "2", "--json").stdout)
    assert newest == log[-2:]
    first = log[0]["recorded_at"]
    then = json.loads(run(runner, home, "log", "--as-of", first, "--json").stdout)
    assert then == [e for e in log if e["recorded_at"] <= first] and len(then) < len(log)
    before = json.loads(run(runner, home, "log", "--as-of", "2000-01-01", "--json").stdout)
    assert before == []


def test_tampered_ledger_fails_with_exit_1_naming_the_event(runner: CliRunner, home: Path) -> None:
    init(runner, home)
    run(runner, home, "member", "add", "王建国")
    run(runner, home, "member", "add", "李明")
    with sqlite3.connect(home / "ledger.sqlite") as db:
        (state,) = db.execute("SELECT state FROM stored_events WHERE rowid = 2").fetchone()
        db.execute(
            "UPDATE stored_events SET state = ? WHERE rowid = 2",
            (state.replace("王建国".encode(), "王建军".encode()),),
        )
    result = run(runner, home, "verify")
    assert result.exit_code == 1
    assert "integrity failure at position 2" in result.stdout
    assert "payload does not match its commitment" in result.stdout
    report = json.loads(run(runner, home, "verify", "--json").stdout)
    assert report["ok"] is False
    assert report["failure"]["position"] == 2
    assert report["failure"]["type"] == "member.registered"


def test_removed_tail_is_caught_by_a_held_checkpoint(
    runner: CliRunner, home: Path, tmp_path: Path
) -> None:
    init(runner, home)
    for name in ("王建国", "李明", "张华"):
        run(runner, home, "member", "add", name)
    held = tmp_path / "held.txt"
    assert run(runner, home, "checkpoint", "--out", str(held)).exit_code == 0
    with sqlite3.connect(home / "ledger.sqlite") as db:
        db.execute("DELETE FROM stored_events WHERE rowid >= 3")
    unchecked = run(runner, home, "verify", "--no-home-checkpoint")
    assert unchecked.exit_code == 0  # without a checkpoint a clean cut cannot be seen
    caught = run(runner, home, "verify", "--no-home-checkpoint", "--checkpoint", str(held))
    assert caught.exit_code == 1
    assert "were removed" in caught.stdout


def test_checkpoint_as_json_names_what_a_witness_needs(
    runner: CliRunner, home: Path, tmp_path: Path
) -> None:
    from ledger.integrity.checkpoint import parse_checkpoint, verify_checkpoint

    init(runner, home)
    run(runner, home, "member", "add", "王建国")
    held = tmp_path / "held.txt"
    result = run(runner, home, "checkpoint", "--json", "--out", str(held))
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    note = parse_checkpoint(document["note"])
    assert held.read_text(encoding="utf-8") == document["note"]
    assert (note.origin, note.size) == (document["origin"], document["size"])
    assert verify_checkpoint(note, document["key"])
    name, key_hash, _ = document["verifier_key"].split("+", 2)
    assert name == document["origin"] and bytes.fromhex(key_hash) == note.signatures[0].key_hash


def test_rotation_and_revocation(runner: CliRunner, home: Path, tmp_path: Path) -> None:
    init(runner, home)
    clerk = tmp_path / "clerk.key"
    run(runner, home, "key", "generate", "--out", str(clerk), "--unencrypted")
    registered = run(
        runner,
        home,
        "key",
        "register",
        "--holder",
        "office",
        "--key-file",
        str(clerk),
        "--purpose",
        "record",
    )
    assert registered.exit_code == 0, registered.stderr
    old_office = json.loads((home / "ledger.json").read_text())["office_key"]
    assert run(runner, home, "key", "rotate", "--unencrypted").exit_code == 0
    new_office = json.loads((home / "ledger.json").read_text())["office_key"]
    assert new_office != old_office
    refused = run(runner, home, "key", "revoke", new_office, "--reason", "test")
    assert refused.exit_code == 2
    assert "rotate it first" in refused.stderr
    clerk_id = next(
        k["key"]
        for k in json.loads(run(runner, home, "key", "list", "--json").stdout)
        if k["label"] == ""
    )
    assert run(runner, home, "key", "revoke", clerk_id, "--reason", "left").exit_code == 0
    keys = {k["key"]: k for k in json.loads(run(runner, home, "key", "list", "--json").stdout)}
    assert keys[old_office]["retired_at"] is not None
    assert keys[clerk_id]["revoked_at"] is not None
    assert run(runner, home, "member", "add", "王建国").exit_code == 0
    assert run(runner, home, "verify").exit_code == 0


def test_bad_store_url_is_a_usage_error(runner: CliRunner, home: Path) -> None:
    result = runner.invoke(
        cli, ["--home", str(home), "--store", "mysql://x/y", "init", "--name", "X", "--unencrypted"]
    )
    assert result.exit_code == 2
    assert "unsupported store" in result.stderr


def test_demo_builds_a_verifying_ledger_and_can_be_rebuilt(
    runner: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "demo"
    first = runner.invoke(cli, ["demo", "--dir", str(target)])
    assert first.exit_code == 0, first.stderr
    assert "verify:  ok" in first.stdout
    second = runner.invoke(cli, ["demo", "--dir", str(target)])
    assert second.exit_code == 0
    other = tmp_path / "not-a-demo"
    other.mkdir()
    refused = runner.invoke(cli, ["demo", "--dir", str(other)])
    assert refused.exit_code == 2
    assert "not a demo ledger" in refused.stderr


def test_help_lists_the_commands(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("init", "member", "key", "log", "verify", "checkpoint", "demo"):
        assert command in result.stdout
