"""A writer killed with SIGKILL at random moments, many times: every batch is all there or not
there at all, the ledger verifies, and the read index catches up with nothing applied twice;
a rebuild of the index killed midway leaves the old index in use.

The writer is a real process (forked from the test, so it starts in milliseconds): it opens the
ledger for writing and records batches of ``BATCH`` member registrations through
``LedgerService.record`` in a loop, each batch's names carrying its number (``crash-0007-123``),
and announces on a pipe when it begins and when it has finished each batch. The test kills it
after a random pause, reads what it announced, and checks the log: a batch it finished is all
there; a batch it was in the middle of is all there or absent, never partly. The kill lands
anywhere: in the save's transaction, signing the checkpoint into the home, or following the
write in the read index. Random pauses come from a seeded generator (the seed is in the
failure message).
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from collections import Counter
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pytest

from ledger.integrity.record import read_record
from ledger.record.acts import RecordDocument
from ledger.store.home import LedgerHome
from ledger.store.service import LedgerService
from tests.store.backends import PostgresBackend, SQLiteBackend, StoreContract

BATCH = 150  # acts (and events) per batch
KILLS = 12  # writer processes killed, per store
PAUSE = (0.02, 0.7)  # seconds between the writer's start and its kill
MARK = "crash-"
FORK = multiprocessing.get_context("fork")
WAIT = 60  # seconds: the most any step may take before the test gives up


def batch_document(number: int) -> RecordDocument:
    """Batch ``number``: ``BATCH`` members named ``crash-<number>-<i>``."""
    acts = [{"act": "member.register", "name": f"{MARK}{number:04d}-{i:03d}"} for i in range(BATCH)]
    return RecordDocument.model_validate({"acts": acts})


def write_batches(home: str, pipe: Connection, first: int) -> None:
    """In the forked writer: record batch after batch until killed, announcing each."""
    service = LedgerService.open(LedgerHome(Path(home)), writable=True)
    pipe.send(("ready", first))
    number = first
    while True:
        document = batch_document(number)
        pipe.send(("begin", number))
        service.record(document.acts)
        pipe.send(("done", number))
        number += 1


def announcements(pipe: Connection) -> list[tuple[str, int]]:
    """Everything the killed writer announced (a message cut by the kill is dropped)."""
    messages = []
    try:
        while pipe.poll():
            messages.append(pipe.recv())
    except (EOFError, OSError):
        pass
    return messages


class BatchCounts:
    """How many members of each batch are on the record, read incrementally from the log."""

    def __init__(self) -> None:
        self.counts: Counter[int] = Counter()
        self.after: int | None = None

    def update(self, service: LedgerService) -> Counter[int]:
        for page in service.app.rows(after=self.after, types=("member.registered",)):
            for row in page:
                name = read_record(row.state).body["payload"]["name"]
                if name.startswith(MARK):
                    self.counts[int(name[len(MARK) : len(MARK) + 4])] += 1
                self.after = row.row
        return self.counts


def kill_writer_once(home: Path, first: int, pause: float) -> list[tuple[str, int]]:
    """Start a writer at batch ``first``, let it write for ``pause`` seconds, SIGKILL it;
    return what it announced."""
    reader, writer = FORK.Pipe(duplex=False)
    process = FORK.Process(target=write_batches, args=(str(home), writer, first))
    process.start()
    writer.close()  # ours: the pipe reaches EOF when the writer dies
    try:
        assert reader.poll(WAIT), "the writer did not start"
        assert reader.recv() == ("ready", first)
        time.sleep(pause)
        os.kill(process.pid or 0, signal.SIGKILL)
        process.join(WAIT)
        assert process.exitcode == -signal.SIGKILL, f"the writer ended on its own: {process}"
        return announcements(reader)
    finally:
        reader.close()


class CrashContract(StoreContract):
    """A killed writer, on any store."""

    @pytest.mark.slow
    def test_a_writer_killed_in_mid_batch_leaves_whole_batches(
        self, service: LedgerService, home: LedgerHome
    ) -> None:
        seed = random.randrange(2**32)
        rng = random.Random(seed)
        service.app.close()  # the writers open their own; the test reads with a fresh one
        counts = BatchCounts()
        first = 0
        cut_short = []  # batches the writer was recording when it was killed
        for _ in range(KILLS):
            said = kill_writer_once(home.path, first, rng.uniform(*PAUSE))
            begun = [n for kind, n in said if kind == "begin"]
            done = {n for kind, n in said if kind == "done"}
            reader = LedgerService.open(home)
            try:
                found = counts.update(reader)
            finally:
                reader.app.close()
            for number in begun:
                expected = {BATCH} if number in done else {0, BATCH}
                assert found[number] in expected, (
                    f"batch {number}: {found[number]} of {BATCH} events on the record "
                    f"(finished: {number in done}; seed {seed})"
                )
            cut_short += [n for n in begun if n not in done]
            first = max(begun, default=first - 1) + 1
        # Most kills land while a batch is being recorded (that is where the writer spends its
        # time), and some of those batches landed before the kill while others did not.
        assert len(cut_short) >= KILLS // 2, f"only {len(cut_short)} kills mid-batch (seed {seed})"

        final = LedgerService.open(home)
        try:
            report = final.verify()
            assert report.ok, f"{report.failure} (seed {seed})"
            assert report.events == 1 + BATCH * sum(1 for c in counts.counts.values() if c)
            followed = final.index().dump()  # catches up after the last kill
            assert followed == final.rebuild_index().dump(), f"index differs (seed {seed})"
        finally:
            final.app.close()


class TestSQLiteCrash(CrashContract):
    backend = SQLiteBackend()


class TestPostgresCrash(CrashContract):
    backend = PostgresBackend()


# --- a rebuild of the read index, killed ----------------------------------------------------


def rebuild_and_die(home: str, at_page: bool) -> None:
    """In a forked process: rebuild the read index; with ``at_page``, SIGKILL this process once
    the first page of events is in the new file (otherwise the parent kills it at random)."""
    service = LedgerService.open(LedgerHome(Path(home)))

    def die(applied: int) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    service.rebuild_index(on_progress=die if at_page else None)


@pytest.fixture
def filled(sqlite_service: LedgerService) -> LedgerService:
    """A SQLite ledger of a little over two pages of the index's rebuild (5,000 rows a page)."""
    for number in range(70):
        sqlite_service.app.store(*_members(sqlite_service, number))
    sqlite_service.publish_checkpoint()
    return sqlite_service


def _members(service: LedgerService, number: int) -> list[Any]:
    from uuid import uuid4

    from ledger.domain.events import OFFICE
    from ledger.domain.member import Member, MemberRegistered

    members = []
    for i in range(BATCH):
        member_id = uuid4()
        payload = MemberRegistered(name=f"{MARK}{number:04d}-{i:03d}")
        envelope = service.app.envelope(
            member_id, Member.Registered, payload, actor=OFFICE, occurred_at=None
        )
        members.append(Member.register(member_id, payload, envelope))
    return members


@pytest.mark.slow
def test_a_rebuild_killed_midway_leaves_the_old_index_in_use(filled: LedgerService) -> None:
    home = filled.home
    expected = filled.rebuild_index().dump()
    filled.app.close()
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    for kill in range(6):
        at_page = kill < 2  # twice exactly after the first page; then at random moments
        process = FORK.Process(target=rebuild_and_die, args=(str(home.path), at_page))
        process.start()
        if not at_page:
            time.sleep(rng.uniform(0.0, 0.6))
            os.kill(process.pid or 0, signal.SIGKILL)
        process.join(WAIT)
        assert process.exitcode in (-signal.SIGKILL, 0), process
        service = LedgerService.open(home)
        try:
            index = service.index()
            try:
                assert index.dump() == expected, f"kill {kill} (seed {seed})"
            finally:
                index.close()
        finally:
            service.app.close()
