"""A writer that waits too long for the write lock is told the ledger was busy, and writes nothing.

Another process holds the store's write lock the way ``ledger migrate`` or a long batch does
(SQLite ``BEGIN IMMEDIATE`` on the home's file; PostgreSQL ``LOCK TABLE ... IN EXCLUSIVE MODE``
on the ledger's table) and sleeps. The writer waits the store's lock timeout, here one second
(``LEDGER_SQLITE_LOCK_TIMEOUT`` / ``LEDGER_POSTGRES_LOCK_TIMEOUT``, see ``store/location.py``),
and must fail with :class:`WriteLockTimeoutError` (retryable, exit 2), not eventsourcing's raw
``OperationalError`` (which the CLI would call an internal error, exit 3), with the row count
unchanged; once the lock is released the same write lands and the chain verifies.
"""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.synchronize import Event
from pathlib import Path

import psycopg
import pytest
from eventsourcing.persistence import OperationalError

from ledger.errors import ConcurrentWriteError, LedgerError, WriteLockTimeoutError
from ledger.store.location import schema_of
from ledger.store.service import LedgerService
from tests.store.backends import (
    POSTGRES_URL,
    PostgresBackend,
    RawStore,
    SQLiteBackend,
    StoreContract,
    events_table,
)

LOCK_TIMEOUT = "1"
SHORT_WAIT = {
    "LEDGER_SQLITE_LOCK_TIMEOUT": LOCK_TIMEOUT,
    "LEDGER_POSTGRES_LOCK_TIMEOUT": LOCK_TIMEOUT,
}
HOLD_SECONDS = 60
WAIT_SECONDS = 30
LEDGER_CLI = Path(sys.executable).with_name("ledger")
BUSY = rf"busy for {LOCK_TIMEOUT} second:.* write lock; nothing was written, run the command again"


def hold_write_lock(kind: str, where: str, table: str, ready: Event, release: Event) -> None:
    """In a spawned process: take the store's write lock as a migration does, say so, and keep
    it until told to let go (or ``HOLD_SECONDS`` pass); then roll back."""
    if kind == "sqlite":
        connection = sqlite3.connect(where, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        ready.set()
        release.wait(HOLD_SECONDS)
        connection.execute("ROLLBACK")
        connection.close()
        return
    with psycopg.connect(POSTGRES_URL) as pg:
        pg.execute(f"LOCK TABLE {where}.{table} IN EXCLUSIVE MODE".encode())
        ready.set()
        release.wait(HOLD_SECONDS)
        pg.rollback()


class LockTimeoutContract(StoreContract):
    """A write blocked past the lock timeout, on any store."""

    @contextmanager
    def write_lock_held(self, service: LedgerService) -> Iterator[None]:
        """Another process holds the store's write lock while the block runs."""
        if isinstance(self.backend, SQLiteBackend):
            kind, where = "sqlite", str(service.home.sqlite_path)
        else:
            kind, where = "postgres", f'"{schema_of(service.ledger_id)}"'
        context = multiprocessing.get_context("spawn")
        ready, release = context.Event(), context.Event()
        holder = context.Process(
            target=hold_write_lock,
            args=(kind, where, f'"{events_table(service)}"', ready, release),
        )
        holder.start()
        try:
            assert ready.wait(WAIT_SECONDS), "the lock holder never took the lock"
            yield
        finally:
            release.set()
            holder.join(WAIT_SECONDS)
        assert holder.exitcode == 0

    @pytest.mark.slow
    def test_a_writer_blocked_past_the_lock_timeout_is_told_to_retry_and_writes_nothing(
        self, service: LedgerService, raw: RawStore, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        for name, value in SHORT_WAIT.items():
            monkeypatch.setenv(name, value)
        writer = LedgerService.open(service.home, writable=True)  # reads the short timeout
        try:
            before = raw.rows()
            with self.write_lock_held(service):
                with pytest.raises(WriteLockTimeoutError, match=BUSY) as caught:
                    writer.register_member("等锁的人")
                assert raw.rows() == before
            assert isinstance(caught.value, ConcurrentWriteError)  # retryable, like a conflict
            assert caught.value.exit_code == 2
            assert caught.value.message_zh is not None
            assert f"{LOCK_TIMEOUT} 秒" in caught.value.message_zh
            assert "未写入任何内容" in caught.value.message_zh

            writer.register_member("等锁的人")  # the retry, once the lock is free, lands
            assert len(raw.rows()) == len(before) + 1
            report = writer.verify()
            assert report.ok, report.failure
        finally:
            writer.app.close()

    @pytest.mark.slow
    def test_ledger_record_blocked_past_the_lock_timeout_exits_2_without_a_traceback(
        self, service: LedgerService, raw: RawStore, tmp_path: Path
    ) -> None:
        record_file = tmp_path / "acts.yaml"
        record_file.write_text(
            "acts:\n  - {act: member.register, as: wang, name: 王建国}\n", encoding="utf-8"
        )
        env = {**os.environ, **SHORT_WAIT}
        before = raw.rows()
        home = str(service.home.path)
        with self.write_lock_held(service):
            english = subprocess.run(
                [str(LEDGER_CLI), "--home", home, "--lang", "en", "record", str(record_file)],
                capture_output=True,
                text=True,
                env=env,
                timeout=WAIT_SECONDS,
            )
            chinese = subprocess.run(
                [str(LEDGER_CLI), "--home", home, "--lang", "zh", "record", str(record_file)],
                capture_output=True,
                text=True,
                env=env,
                timeout=WAIT_SECONDS,
            )
            assert raw.rows() == before

        assert english.returncode == WriteLockTimeoutError.exit_code == 2, english.stderr
        assert "Traceback" not in english.stderr
        assert "internal error" not in english.stderr.lower()
        assert f"the ledger was busy for {LOCK_TIMEOUT} second:" in english.stderr
        assert "nothing was written, run the command again" in english.stderr
        assert chinese.returncode == 2, chinese.stderr
        assert "Traceback" not in chinese.stderr
        assert f"台账忙，已等待 {LOCK_TIMEOUT} 秒" in chinese.stderr

        again = subprocess.run(
            [str(LEDGER_CLI), "--home", home, "record", str(record_file)],
            capture_output=True,
            text=True,
            env=env,
            timeout=WAIT_SECONDS,
        )
        assert again.returncode == 0, again.stderr
        assert len(raw.rows()) == len(before) + 1


class TestLockTimeoutSQLite(LockTimeoutContract):
    backend = SQLiteBackend()

    def test_a_store_failure_that_is_not_a_lock_wait_is_not_called_busy(
        self, service: LedgerService
    ) -> None:
        with sqlite3.connect(service.home.sqlite_path, isolation_level=None) as connection:
            connection.execute("ALTER TABLE stored_events RENAME TO elsewhere")
        connection.close()
        with pytest.raises(OperationalError, match="no such table") as caught:
            service.register_member("无处可写")
        assert not isinstance(caught.value, LedgerError)


@pytest.mark.postgres
class TestLockTimeoutPostgres(LockTimeoutContract):
    backend = PostgresBackend()
