"""``ledger migrate --to URL``: a ledger moves between the home's SQLite file and PostgreSQL with
every stored byte kept, the copy verified before the home names it; refused targets, a copy that
does not verify, a writer left on the old store, and a process killed in the middle of the copy.

The ledger is the demo county's year (``build_ledger(size=1)``, about 1,900 events), built once
and copied for each test. Tests that need PostgreSQL skip, with the reason, when the server at
127.0.0.1:5432 cannot be reached; each drops the ledger's schema afterwards.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
import pytest
from click.testing import CliRunner, Result

from ledger.cli.main import cli
from ledger.errors import ConcurrentWriteError
from ledger.store.demo import build_ledger
from ledger.store.home import LedgerHome
from ledger.store.location import schema_of
from ledger.store.migration import contents, migrate, store_at, target_store
from ledger.store.service import LedgerService
from tests.store.backends import (
    POSTGRES_URL,
    PostgresBackend,
    PostgresRawStore,
    RawRow,
    SQLiteRawStore,
    postgres_problem,
)

EVENTS_TABLE = "ledger_events"  # eventsourcing's PostgreSQL table of the application "Ledger"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The demo year, built once: its home and what was built."""
    path = tmp_path_factory.mktemp("migrate") / "demo"
    summary = build_ledger(path, size=1)
    return path, summary


@pytest.fixture
def home(demo: tuple[Path, dict[str, Any]], tmp_path: Path) -> Iterator[Path]:
    """A copy of the demo home for this test; its PostgreSQL schema is dropped afterwards."""
    path = tmp_path / "home"
    shutil.copytree(demo[0], path)
    yield path
    if postgres_problem() is None:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as db:
            db.execute(f'DROP SCHEMA IF EXISTS "{schema_of(ledger_id(path))}" CASCADE'.encode())


@pytest.fixture
def postgres() -> str:
    """The test database's URL; skips the test when it cannot be reached."""
    PostgresBackend().require()
    return POSTGRES_URL


def run(home: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["--home", str(home), *args])
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


def sqlite_rows(home: Path, name: str = "ledger.sqlite") -> list[RawRow]:
    raw = SQLiteRawStore(home / name, "stored_events")
    try:
        return raw.rows()
    finally:
        raw.close()


def postgres_rows(home: Path) -> list[RawRow]:
    raw = PostgresRawStore(POSTGRES_URL, schema_of(ledger_id(home)), EVENTS_TABLE)
    try:
        return raw.rows()
    finally:
        raw.close()


def ledger_id(home: Path) -> UUID:
    return UUID(json.loads((home / "ledger.json").read_text())["ledger_id"])


def store_of(home: Path) -> str | None:
    store: str | None = json.loads((home / "ledger.json").read_text())["store"]
    return store


def move_aside(home: Path) -> None:
    """What the migrate message tells the operator to do with the old SQLite file."""
    for suffix in ("", "-wal", "-shm"):
        path = home / f"ledger.sqlite{suffix}"
        if path.exists():
            path.rename(home / f"old.sqlite{suffix}")


def answers(home: Path, failed: str) -> list[str]:
    """What investigators read: the failed decision's trace, history and archive, a person,
    the findings and the log, as JSON."""
    later = "2026-12-31T23:00:00+08:00"
    outputs = []
    for args in (
        ("trace", failed, "--as-of", later, "--json"),
        ("history", failed, "--as-of", later, "--json"),
        ("archive", failed, "--as-of", later, "--json"),
        ("person", "王建国", "--as-of", later, "--json"),
        ("findings", "--as-of", later, "--json"),
        ("log", "--json"),
    ):
        result = run(home, *args)
        assert result.exit_code == 0, (args, result.stderr)
        outputs.append(result.stdout)
    return outputs


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- the round trip ---------------------------------------------------------------------------


def test_sqlite_to_postgres_and_back_keeps_every_byte(
    home: Path, postgres: str, demo: tuple[Path, dict[str, Any]]
) -> None:
    failed = demo[1]["highlights"]["failed"]
    before = sqlite_rows(home)
    read_before = answers(home, failed)

    moved = run(home, "migrate", "--to", postgres)
    assert moved.exit_code == 0, moved.stderr
    assert f"{len(before)} events copied and verified" in moved.stdout
    assert f"old store:   {home / 'ledger.sqlite'}" in moved.stdout
    assert store_of(home) == postgres
    assert postgres_rows(home) == before  # ids, streams, versions, topics, state bytes
    verified = run(home, "verify", "--json")
    assert verified.exit_code == 0 and json.loads(verified.stdout)["events"] == len(before)
    assert answers(home, failed) == read_before
    assert sqlite_rows(home) == before  # the old store, untouched

    move_aside(home)
    back = run(home, "migrate", "--to", "sqlite", "--json")
    assert back.exit_code == 0, back.stderr
    document = json.loads(back.stdout)
    assert document["events"] == len(before)
    assert document["old_store"].startswith("postgresql://postgres@127.0.0.1:5432/test, schema")
    assert store_of(home) is None
    assert sqlite_rows(home) == before
    assert run(home, "verify").exit_code == 0
    assert answers(home, failed) == read_before

    service = LedgerService.open(LedgerHome(home))
    try:
        assert service.index().dump() == service.rebuild_index().dump()
    finally:
        service.app.close()


def test_the_moved_ledger_goes_on_recording(home: Path, postgres: str) -> None:
    """New events land in the new store after the copied ones (the id sequence moved on),
    and the chain and checkpoints go on from the copied head."""
    assert run(home, "migrate", "--to", postgres).exit_code == 0
    count = len(postgres_rows(home))
    assert run(home, "member", "add", "迁移后").exit_code == 0
    rows = postgres_rows(home)
    assert len(rows) == count + 1 and rows[-1].row > rows[-2].row
    assert run(home, "verify").exit_code == 0


# --- refusals ---------------------------------------------------------------------------------


def test_a_target_that_holds_events_is_refused_and_nothing_is_written(
    home: Path, postgres: str, tmp_path: Path
) -> None:
    twin = tmp_path / "twin"
    shutil.copytree(home, twin)  # the same ledger in a second home
    assert run(home, "migrate", "--to", postgres).exit_code == 0
    held = postgres_rows(home)
    config = (twin / "ledger.json").read_bytes()
    result = run(twin, "migrate", "--to", postgres)
    assert result.exit_code == 2
    assert f"already holds events (up to storage row {held[-1].row}); nothing was written" in (
        result.stderr
    )
    assert postgres_rows(home) == held
    assert (twin / "ledger.json").read_bytes() == config
    assert run(twin, "verify").exit_code == 0  # still on its SQLite file, still writable
    assert run(twin, "member", "add", "未迁移").exit_code == 0


def test_the_store_a_ledger_left_is_refused_as_a_target(home: Path, postgres: str) -> None:
    assert run(home, "migrate", "--to", postgres).exit_code == 0
    old = file_digest(home / "ledger.sqlite")
    result = run(home, "migrate", "--to", "sqlite")
    assert result.exit_code == 2
    assert "It is a store a ledger moved away from; move it aside or remove it" in result.stderr
    assert store_of(home) == postgres
    assert file_digest(home / "ledger.sqlite") == old


def test_the_current_store_is_refused(home: Path) -> None:
    result = run(home, "migrate", "--to", "sqlite")
    assert result.exit_code == 2
    assert f"the ledger already lives in {home / 'ledger.sqlite'}" in result.stderr


def test_a_store_url_of_another_kind_is_refused(home: Path) -> None:
    result = run(home, "migrate", "--to", "mysql://root@localhost/ledger")
    assert result.exit_code == 2
    assert "unsupported store 'mysql://root@localhost/ledger'" in result.stderr
    assert "or 'sqlite' for the home's SQLite file" in result.stderr


def test_a_head_beyond_the_signed_checkpoint_is_refused(home: Path, postgres: str) -> None:
    service = LedgerService.open(LedgerHome(home), writable=True)
    try:
        service.app.register_member("no checkpoint after me")  # the app, not the service
    finally:
        service.app.close()
    result = run(home, "migrate", "--to", postgres)
    assert result.exit_code == 2
    assert "the log holds 1923 events, but the home's signed checkpoint covers 1922" in (
        result.stderr
    )
    target = target_store(LedgerHome(home), ledger_id(home), postgres)
    assert contents(target).highest_row == 0
    assert store_of(home) is None
    assert run(home, "checkpoint").exit_code == 0  # what the message says to do
    assert run(home, "migrate", "--to", postgres).exit_code == 0


def test_a_copy_that_does_not_verify_is_rolled_back(home: Path, postgres: str) -> None:
    rows = sqlite_rows(home)
    victim = rows[100]
    with sqlite3.connect(home / "ledger.sqlite") as db:
        db.execute(
            "UPDATE stored_events SET state = ? WHERE rowid = ?",
            (victim.state.replace(b'"seq":101', b'"seq":102'), victim.row),
        )
    result = run(home, "migrate", "--to", postgres)
    assert result.exit_code == 1
    assert "does not verify at position 101" in result.stderr
    assert "it was rolled back and the ledger stays where it was" in result.stderr
    target = target_store(LedgerHome(home), ledger_id(home), postgres)
    assert contents(target).highest_row == 0
    assert store_of(home) is None
    assert run(home, "member", "add", "仍可写入").exit_code == 0  # the source was not retired


# --- writers and crashes ----------------------------------------------------------------------


def test_a_writer_still_on_the_old_store_is_refused_and_its_retry_lands(
    home: Path, postgres: str
) -> None:
    stale = LedgerService.open(LedgerHome(home), writable=True)  # read ledger.json before
    try:
        assert run(home, "migrate", "--to", postgres).exit_code == 0
        with pytest.raises(ConcurrentWriteError, match="run the command again"):
            stale.register_member("写到旧存储")
    finally:
        stale.app.close()
    again = LedgerService.open(LedgerHome(home), writable=True)
    try:
        again.register_member("写到新存储")
        assert again.verify().ok
    finally:
        again.app.close()
    assert len(postgres_rows(home)) == len(sqlite_rows(home)) + 1


def _migrate_and_die(home: str, target: str, phase: str, at: int) -> None:
    """In a forked process: migrate, and SIGKILL this process when ``phase`` (copy or verify)
    reaches ``at`` rows."""
    service = LedgerService.open(LedgerHome(Path(home)))
    source = store_at(service.home, service.ledger_id, service.config.store)
    destination = target_store(service.home, service.ledger_id, target)

    def die_at(done: int) -> None:
        if done >= at:
            os.kill(os.getpid(), signal.SIGKILL)

    migrate(
        service,
        source,
        destination,
        workers=1,
        on_copy=die_at if phase == "copy" else None,
        on_verify=die_at if phase == "verify" else None,
    )


@pytest.mark.parametrize(("phase", "at"), [("copy", 1000), ("verify", 1000)])
def test_a_process_killed_during_the_move_leaves_the_target_empty(
    home: Path, postgres: str, phase: str, at: int
) -> None:
    there = target_store(LedgerHome(home), ledger_id(home), postgres)
    config = (home / "ledger.json").read_bytes()
    process = multiprocessing.get_context("fork").Process(
        target=_migrate_and_die, args=(str(home), postgres, phase, at)
    )
    process.start()
    process.join(60)
    assert process.exitcode == -signal.SIGKILL
    assert contents(there).highest_row == 0
    assert (home / "ledger.json").read_bytes() == config
    assert run(home, "member", "add", "中断之后").exit_code == 0  # not retired, writable
    moved = run(home, "migrate", "--to", postgres)  # and the retry goes through
    assert moved.exit_code == 0, moved.stderr
    assert postgres_rows(home) == sqlite_rows(home)


def test_a_process_killed_while_copying_to_sqlite_leaves_no_events(
    home: Path, postgres: str
) -> None:
    assert run(home, "migrate", "--to", postgres).exit_code == 0
    move_aside(home)
    process = multiprocessing.get_context("fork").Process(
        target=_migrate_and_die, args=(str(home), "sqlite", "copy", 1000)
    )
    process.start()
    process.join(60)
    assert process.exitcode == -signal.SIGKILL
    there = target_store(LedgerHome(home), ledger_id(home), "sqlite")
    assert contents(there).highest_row == 0
    assert store_of(home) == postgres
    assert run(home, "migrate", "--to", "sqlite").exit_code == 0
    assert sqlite_rows(home) == postgres_rows(home)
