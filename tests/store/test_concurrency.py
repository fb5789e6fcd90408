"""Several real processes append to one ledger at the same time; the chain never forks.

Each writer is its own operating-system process with its own connection, started with the
``spawn`` method (nothing shared but the store and the home). The sealing recorder reads the head
and inserts under the store's write lock (SQLite ``BEGIN IMMEDIATE``, PostgreSQL ``LOCK TABLE``),
so however the writers interleave, every event must attach to the one before it, and every
member a writer was told about must be on the record.
"""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
from itertools import pairwise
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import pytest

from ledger.integrity.digest import ZERO_DIGEST, leaf_hash, to_digest
from ledger.store.home import LedgerHome
from ledger.store.service import LedgerService
from tests.store.backends import PostgresBackend, RawStore, SQLiteBackend, StoreContract

WRITERS = 4
MEMBERS_EACH = 25
CLI_WRITERS = 4
WAIT_SECONDS = 120
LEDGER_CLI = Path(sys.executable).with_name("ledger")


def append_members(home: str, writer: int, count: int, start: Barrier, results: Queue[Any]) -> None:
    """In a spawned process: open the ledger for writing, wait for every writer, then register
    ``count`` members one save at a time; report the ids acknowledged (or the error)."""
    try:
        service = LedgerService.open(LedgerHome(Path(home)), writable=True)
        try:
            start.wait(timeout=WAIT_SECONDS)
            ids = [
                str(service.register_member(f"writer {writer} member {n}").id) for n in range(count)
            ]
        finally:
            service.app.close()
    except BaseException as e:
        start.abort()  # the others need not wait for a writer that will never come
        results.put((writer, [], f"{type(e).__name__}: {e}"))
        raise
    results.put((writer, ids, None))


def assert_one_chain(raw: RawStore, events: int) -> list[dict[str, Any]]:
    """The stored headers, in storage order, are positions 1 to ``events``, each naming the
    hash of the one before: one chain, no fork, no gap. Returns the headers."""
    headers: list[dict[str, Any]] = []
    prev = ZERO_DIGEST
    for row in raw.rows():
        header_bytes = row.state.split(b"\n", 1)[0]
        header = json.loads(header_bytes)
        assert header["seq"] == len(headers) + 1, f"row {row.row}: {header['seq']}"
        assert header["prev"] == prev, f"position {header['seq']} does not chain"
        prev = to_digest(leaf_hash(header_bytes))
        headers.append(header)
    assert len(headers) == events
    return headers


def members_on_record(service: LedgerService) -> list[str]:
    """Stream ids of every member.registered event, in log order."""
    return [row.stream for page in service.app.rows(types=("member.registered",)) for row in page]


class ConcurrencyContract(StoreContract):
    """Concurrent writers, on any store."""

    @pytest.mark.slow
    def test_concurrent_processes_append_one_unforked_chain(
        self, service: LedgerService, raw: RawStore
    ) -> None:
        context = multiprocessing.get_context("spawn")
        start = context.Barrier(WRITERS)
        results: Queue[Any] = context.Queue()
        processes = [
            context.Process(
                target=append_members,
                args=(str(service.home.path), writer, MEMBERS_EACH, start, results),
            )
            for writer in range(WRITERS)
        ]
        for process in processes:
            process.start()
        reports = [results.get(timeout=WAIT_SECONDS) for _ in processes]
        for process in processes:
            process.join(timeout=WAIT_SECONDS)

        assert [error for _, _, error in reports if error] == []
        assert [process.exitcode for process in processes] == [0] * WRITERS
        total = WRITERS * MEMBERS_EACH
        headers = assert_one_chain(raw, 1 + total)
        report = service.verify()
        assert report.ok, report.failure
        assert report.events == 1 + total
        on_record = members_on_record(service)
        assert len(on_record) == total
        for writer, ids, _ in reports:
            assert len(ids) == MEMBERS_EACH
            assert set(ids) <= set(on_record), f"writer {writer} lost acknowledged members"
        # The writers really overlapped: the log is not four blocks, one per writer.
        writers_in_order = [h["stream"] for h in headers[1:]]
        owner = {member: writer for writer, ids, _ in reports for member in ids}
        switches = sum(owner[a] != owner[b] for a, b in pairwise(writers_in_order))
        assert switches > WRITERS - 1

    @pytest.mark.slow
    def test_concurrent_cli_commands_append_one_unforked_chain(
        self, service: LedgerService, raw: RawStore
    ) -> None:
        home = str(service.home.path)
        commands = [
            subprocess.Popen(
                [str(LEDGER_CLI), "--home", home, "member", "add", f"writer {n}", "--json"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for n in range(CLI_WRITERS)
        ]
        acknowledged = []
        for command in commands:
            stdout, stderr = command.communicate(timeout=WAIT_SECONDS)
            assert command.returncode == 0, stderr.decode()
            acknowledged.append(json.loads(stdout)["member"])

        assert_one_chain(raw, 1 + CLI_WRITERS)
        report = service.verify()
        assert report.ok, report.failure
        assert sorted(members_on_record(service)) == sorted(acknowledged)


class TestConcurrencySQLite(ConcurrencyContract):
    backend = SQLiteBackend()


@pytest.mark.postgres
class TestConcurrencyPostgres(ConcurrencyContract):
    backend = PostgresBackend()
