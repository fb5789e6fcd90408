"""A later archive proves the earlier history was not rewritten: verified against a checkpoint
the auditor already holds, an archive of a forked or rewritten ledger is caught, and because
both checkpoints are validly signed, a self-contained misbehaviour report is written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from ledger.integrity.checkpoint import parse_checkpoint, verify_checkpoint
from ledger.integrity.digest import digest_bytes
from ledger.integrity.merkle import verify_consistency
from ledger.store.home import LedgerHome
from ledger.store.service import LedgerService
from tests.archive.conftest import County, run, standalone

MATTER = "县城供水管网改造方案"


def _grow(home: Path, *names: str) -> Path:
    """Record members in the ledger at ``home``; returns its (new) checkpoint file."""
    service = LedgerService.open(LedgerHome(home), writable=True)
    try:
        for name in names:
            service.register_member(name)
    finally:
        service.app.close()
    return home / "checkpoint.txt"


@pytest.fixture
def fork(county: County, tmp_path: Path) -> tuple[Path, Path, Path]:
    """Two copies of the county ledger that share their first events and then diverge, each
    signed with the same keys: ``(a, b, held)``, where ``held`` is a checkpoint of ``a``."""
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(county.home, a)
    shutil.copytree(county.home, b)
    held = tmp_path / "held.txt"
    shutil.copy(_grow(a, "甲"), held)
    _grow(b, "乙", "丙")
    return a, b, held


def _export(home: Path, out: Path, *args: str) -> Path:
    result = run("--home", str(home), "export", "--out", str(out), *args)
    assert result.exit_code == 0, result.stdout + result.stderr
    return out


def _check_report(report: dict[str, Any], held: Path, key: str) -> None:
    """Anyone can check the report with nothing but the key: both notes are signed, and the
    proof shows the newer log had another head at the older size."""
    assert report["format"] == "ledger.misbehaviour/1"
    older, newer = report["checkpoints"]
    assert older["note"] == held.read_text()
    for note in (older, newer):
        assert verify_checkpoint(parse_checkpoint(note["note"]), key)
        assert note["signed_by"] == key
    proof = report["proof"]
    assert report["kind"] == "inconsistent"
    verify_consistency(
        proof["old_size"],
        proof["new_size"],
        digest_bytes(proof["old_root"]),
        digest_bytes(proof["new_root"]),
        [digest_bytes(h) for h in proof["consistency_path"]],
    )
    assert proof["old_root"] != older["root"] and proof["old_size"] == older["size"]
    assert (
        "Both cannot be true" in report["statement"]
        and "二者不可能同时为真" in report["statement_zh"]
    )


def test_a_forked_ledger_is_caught_against_a_held_checkpoint(
    county: County, fork: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, b, held = fork
    archive = _export(b, tmp_path / "b.zip")
    report_path = tmp_path / "report.json"
    result = run(
        "verify-archive", str(archive), "--trusted-key", county.key,
        "--checkpoint", str(held), "--report", str(report_path),
    )  # fmt: skip
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "integrity failure in checkpoint.txt" in result.stdout
    assert f"misbehaviour report written to {report_path}" in result.stdout
    _check_report(json.loads(report_path.read_text()), held, county.key)
    done = standalone(archive, "--trusted-key", county.key, "--checkpoint", str(held),
                      workdir=tmp_path / "sa")  # fmt: skip
    assert done.returncode == 1 and "MISBEHAVIOUR" in done.stdout


def test_the_report_has_its_standard_name(
    county: County, fork: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, b, held = fork
    archive = _export(b, tmp_path / "b.zip")
    monkeypatch.chdir(tmp_path)
    result = run("verify-archive", str(archive), "--checkpoint", str(held), "--json")
    assert result.exit_code == 1
    name = json.loads(result.stdout)["misbehaviour_report"]
    origin = parse_checkpoint(held.read_text()).origin.replace("/", "_")
    assert Path(name).name.startswith(f"misbehaviour-{origin}-")
    assert (tmp_path / Path(name).name).exists()


def test_two_heads_for_one_size_are_reported(county: County, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(county.home, a)
    shutil.copytree(county.home, b)
    held = tmp_path / "held.txt"
    shutil.copy(_grow(a, "甲"), held)
    _grow(b, "乙")
    archive = _export(b, tmp_path / "b.zip")
    report_path = tmp_path / "report.json"
    result = run("verify-archive", str(archive), "--trusted-key", county.key,
                 "--checkpoint", str(held), "--report", str(report_path))  # fmt: skip
    assert result.exit_code == 1
    report = json.loads(report_path.read_text())
    assert report["kind"] == "same-size" and report["proof"] is None
    older, newer = report["checkpoints"]
    assert older["size"] == newer["size"] and older["root"] != newer["root"]


def test_a_partial_archive_proves_consistency_from_the_size_asked(
    county: County, fork: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    a, b, held = fork
    size = parse_checkpoint(held.read_text()).size
    # the honest ledger: a later matter archive extends the held checkpoint
    _grow(a, "丁")
    honest = _export(a, tmp_path / "a.zip", "--matter", MATTER, "--consistency-from", str(size))
    result = run("verify-archive", str(honest), "--trusted-key", county.key,
                 "--checkpoint", str(held), "--json")  # fmt: skip
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout)["held_checkpoints"] == [{"size": size, "ok": True}]
    # the fork: its proof from that size leads to another head
    forked = _export(b, tmp_path / "b.zip", "--matter", MATTER, "--consistency-from", str(size))
    report_path = tmp_path / "report.json"
    result = run("verify-archive", str(forked), "--trusted-key", county.key,
                 "--checkpoint", str(held), "--report", str(report_path))  # fmt: skip
    assert result.exit_code == 1
    _check_report(json.loads(report_path.read_text()), held, county.key)
    done = standalone(forked, "--trusted-key", county.key, "--checkpoint", str(held),
                      workdir=tmp_path / "sa")  # fmt: skip
    assert done.returncode == 1 and "MISBEHAVIOUR" in done.stdout


def test_a_partial_archive_without_the_proof_cannot_be_checked(
    county: County, fork: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, b, held = fork
    archive = _export(b, tmp_path / "b.zip", "--matter", MATTER)
    result = run("verify-archive", str(archive), "--checkpoint", str(held))
    assert result.exit_code == 2
    assert "--consistency-from" in result.stderr


def test_an_honest_later_archive_extends_the_held_checkpoint(
    county: County, tmp_path: Path
) -> None:
    home = tmp_path / "a"
    shutil.copytree(county.home, home)
    held = tmp_path / "held.txt"
    shutil.copy(home / "checkpoint.txt", held)
    _grow(home, "甲", "乙")
    archive = _export(home, tmp_path / "later.zip")
    result = run("verify-archive", str(archive), "--trusted-key", county.key,
                 "--checkpoint", str(held))  # fmt: skip
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "the archive's log extends it unchanged" in result.stdout
    done = standalone(archive, "--trusted-key", county.key, "--checkpoint", str(held),
                      workdir=tmp_path / "sa")  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_held_checkpoint_newer_than_the_archive(county: County, tmp_path: Path) -> None:
    home = tmp_path / "a"
    shutil.copytree(county.home, home)
    later = _grow(home, "甲")
    result = run("verify-archive", str(county.whole), "--checkpoint", str(later))
    assert result.exit_code == 2 and "newer archive" in result.stderr


def test_export_refuses_a_log_changed_after_its_checkpoint(county: County, tmp_path: Path) -> None:
    """Someone with write access to the database rewrites an early event and recomputes
    nothing: the export finds the log no longer matches its signed checkpoint."""
    import sqlite3

    home = tmp_path / "a"
    shutil.copytree(county.home, home)
    with sqlite3.connect(home / "ledger.sqlite") as db:
        (state,) = db.execute("SELECT state FROM stored_events WHERE rowid = 2").fetchone()
        db.execute(
            "UPDATE stored_events SET state = ? WHERE rowid = 2",
            (state.replace(b'"occurred_at":"2026', b'"occurred_at":"2025', 1),),
        )
    result = run("--home", str(home), "export", "--out", str(tmp_path / "x.zip"))
    assert result.exit_code == 1
    assert "do not match the checkpoint" in result.stderr
    assert not (tmp_path / "x.zip").exists()
