"""eventsourcing's recorders, sealing each batch at the head of the chain inside the write lock.

eventsourcing serialises writers (SQLite: one writer; PostgreSQL: ``LOCK TABLE ... IN EXCLUSIVE
MODE``), but it reads nothing back inside that lock. A hash chain needs exactly that: the head as
it is when the batch is written. These subclasses take the lock first, read the newest record,
seal the drafts after it, and insert, all in one transaction. Two writers therefore never attach
to the same head: the chain cannot fork, and a batch lands whole or not at all.

Moving a ledger to another store (``ledger.store.migration``) needs three more things of a
recorder, each in the store's own dialect: to hold the write lock while the rows are read
(:meth:`writes_held`), and then to refuse every later insert into the old store
(``retire``); and to take **already-sealed** rows byte for byte, with their storage ids, into an
empty store in one transaction, reading them back before it commits (:meth:`sealed_load`).
Sealing them again would give them new recording times, hashes and signatures: a different log.

A writer waits for the write lock at most the store's lock timeout (``location.py``); past it,
the transaction is rolled back and :class:`WriteLockTimeoutError` says the ledger was busy and
the command may be run again. Only a lock wait is turned into it: SQLite's ``SQLITE_BUSY``
("database is locked") and PostgreSQL's SQLSTATE 55P03 ``lock_not_available``.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.persistence import IntegrityError as StoreIntegrityError
from eventsourcing.persistence import Notification, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder, PostgresApplicationRecorder
from eventsourcing.sqlite import (
    SQLITE3_DEFAULT_LOCK_TIMEOUT,
    SQLiteApplicationRecorder,
    SQLiteCursor,
)
from psycopg import Cursor
from psycopg.errors import LockNotAvailable
from psycopg.rows import DictRow
from psycopg.sql import SQL, Composed, Identifier, Literal

from ledger.errors import InputError, WriteLockTimeoutError
from ledger.integrity.record import ChainHead, Sealer, head_of
from ledger.integrity.verify import StoredRow
from ledger.store.mapper import DraftStoredEvent

RETIRE_TRIGGER = "ledger_moved"
"""The trigger that refuses inserts into a store a ledger has moved away from."""


class ReadOnlyLedgerError(InputError):
    """A write was attempted without the office's signing key loaded."""


class StoreNotEmptyError(InputError):
    """A store asked to receive a copy of a ledger already holds events; nothing was written."""


class SealedLoad(Protocol):
    """Already-sealed rows going into an empty store, inside one transaction (see
    :meth:`SealingSQLiteRecorder.sealed_load`)."""

    def insert(self, rows: Sequence[StoredRow]) -> None:
        """Insert rows exactly as given: storage id, stream, version, topic and state bytes."""

    def rows(self, page: int = 1000) -> Iterator[list[StoredRow]]:
        """The rows inserted so far, read back through the same transaction, in log order."""


Retire = Callable[[str], None]
"""Given a message, makes the store refuse every later insert with it (once committed)."""


def _busy(seconds: int) -> tuple[str, str]:
    """What :class:`WriteLockTimeoutError` says (English, Chinese) to a writer that waited
    ``seconds`` for the write lock and gave up."""
    unit = "second" if seconds == 1 else "seconds"
    return (
        f"the ledger was busy for {seconds} {unit}: another writer (such as a migration or a "
        "long batch) held the store's write lock; nothing was written, run the command again",
        f"台账忙，已等待 {seconds} 秒：另一写入方（如迁移或长批次）占用着存储的写锁；"
        "未写入任何内容，请重新运行该命令",
    )


def _sqlite_busy(error: sqlite3.OperationalError) -> bool:
    """SQLite gave up waiting for a lock (primary result code ``SQLITE_BUSY``, "database is
    locked"; its extended codes keep 5 in the low byte)."""
    return error.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY


def _seal(
    sealer: Sealer | None, head_state: bytes | None, stored_events: Sequence[StoredEvent]
) -> list[StoredEvent]:
    if sealer is None:
        raise ReadOnlyLedgerError(
            "this ledger was opened without a signing key; nothing can be recorded",
            zh="打开台账时没有加载签名密钥，不能记录任何内容",
        )
    drafts = []
    for s in stored_events:
        if not isinstance(s, DraftStoredEvent) or s.draft is None:
            raise TypeError("the ledger stores only sealed ledger events")
        drafts.append(s.draft)
    head: ChainHead | None = head_of(head_state) if head_state is not None else None
    states = sealer.seal(head, drafts)
    return [
        StoredEvent(s.originator_id, s.originator_version, s.topic, state)
        for s, state in zip(stored_events, states, strict=True)
    ]


class SealingSQLiteRecorder(SQLiteApplicationRecorder):
    """SQLite recorder that seals under ``BEGIN IMMEDIATE`` (the database's write lock)."""

    sealer: Sealer | None = None

    def select_rows(self, ids: Sequence[int]) -> list[Notification]:
        """The stored rows with these storage ids, in log order (for the read index)."""
        found: list[Notification] = []
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            statement = (
                f"SELECT rowid, * FROM {self.events_table_name} "
                f"WHERE rowid IN ({','.join('?' * len(chunk))})"
            )
            with self.datastore.transaction(commit=False) as c:
                c.execute(statement, chunk)
                found += [
                    Notification(
                        id=row["rowid"],
                        originator_id=self.convert_originator_id(row["originator_id"]),
                        originator_version=row["originator_version"],
                        topic=row["topic"],
                        state=row["state"],
                    )
                    for row in c.fetchall()
                ]
        return sorted(found, key=lambda n: n.id)

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if not stored_events:
            return []
        with self.datastore.get_connection(commit=True) as connection:
            # eventsourcing's own transaction starts with a deferred BEGIN, which lets two
            # writers read the same head; IMMEDIATE takes the write lock before the read.
            raw: sqlite3.Connection = connection._sqlite_conn
            cursor = raw.cursor()
            try:
                cursor.execute("BEGIN IMMEDIATE")
                try:
                    cursor.execute(
                        f"SELECT state FROM {self.events_table_name} ORDER BY rowid DESC LIMIT 1"
                    )
                    row = cursor.fetchone()
                    sealed = _seal(self.sealer, row[0] if row else None, stored_events)
                    ids = self._insert_events(SQLiteCursor(cursor), sealed)
                    raw.commit()
                except BaseException:
                    if raw.in_transaction:
                        raw.rollback()
                    raise
            except sqlite3.IntegrityError as e:
                raise StoreIntegrityError(e) from e
            except sqlite3.OperationalError as e:
                if _sqlite_busy(e):
                    english, chinese = _busy(self._lock_timeout)
                    raise WriteLockTimeoutError(english, zh=chinese) from e
                raise OperationalError(e) from e
        return ids

    @property
    def _lock_timeout(self) -> int:
        """Seconds a writer waits for the lock (``SQLITE_LOCK_TIMEOUT``, else eventsourcing's
        default), as the connections were made with it."""
        return self.datastore.pool.lock_timeout or SQLITE3_DEFAULT_LOCK_TIMEOUT

    @contextmanager
    def writes_held(self) -> Iterator[Retire]:
        """Hold the database's write lock (``BEGIN IMMEDIATE``) while the block runs: other
        writers wait, readers go on. The function yielded retires the store: a trigger that
        refuses every insert with the message given, committed when the block ends."""
        table = self.events_table_name
        with self._immediate() as cursor:

            def retire(message: str) -> None:
                quoted = message.replace("'", "''")
                cursor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {RETIRE_TRIGGER} BEFORE INSERT ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{quoted}'); END"
                )

            yield retire

    @contextmanager
    def sealed_load(self) -> Iterator[SealedLoad]:
        """One transaction under the write lock on a store that must be empty
        (:class:`StoreNotEmptyError` otherwise): rows go in with their own rowids, and are
        committed only if the block ends without an exception. A process killed inside the
        block leaves the store as empty as it found it."""
        table = self.events_table_name
        with self._immediate() as cursor:
            cursor.execute(f"SELECT max(rowid) FROM {table}")
            (highest,) = cursor.fetchone()
            if highest is not None:
                raise StoreNotEmptyError(
                    f"the target store already holds events (up to storage row {highest}); "
                    "nothing was written",
                    zh=f"目标存储中已有事件（直到存储行 {highest}）；未写入任何内容",
                )
            yield _SQLiteLoad(cursor, table)

    @contextmanager
    def _immediate(self) -> Iterator[sqlite3.Cursor]:
        with self.datastore.get_connection(commit=True) as connection:
            raw: sqlite3.Connection = connection._sqlite_conn
            cursor = raw.cursor()
            try:
                cursor.execute("BEGIN IMMEDIATE")
                try:
                    yield cursor
                    raw.commit()
                except BaseException:
                    if raw.in_transaction:
                        raw.rollback()
                    raise
            except sqlite3.OperationalError as e:
                if _sqlite_busy(e):
                    english, chinese = _busy(self._lock_timeout)
                    raise WriteLockTimeoutError(english, zh=chinese) from e
                raise OperationalError(e) from e


class _SQLiteLoad:
    """Sealed rows into eventsourcing's SQLite table: stream ids as hex text (as eventsourcing
    writes them), rowids given explicitly (notification ids are rowids)."""

    def __init__(self, cursor: sqlite3.Cursor, table: str) -> None:
        self.cursor = cursor
        self.table = table

    def insert(self, rows: Sequence[StoredRow]) -> None:
        self.cursor.executemany(
            f"INSERT INTO {self.table} (rowid, originator_id, originator_version, topic, state) "
            "VALUES (?, ?, ?, ?, ?)",
            [(r.row, UUID(r.stream).hex, r.version, r.topic, r.state) for r in rows],
        )

    def rows(self, page: int = 1000) -> Iterator[list[StoredRow]]:
        after = 0
        while True:
            self.cursor.execute(
                f"SELECT rowid, originator_id, originator_version, topic, state "
                f"FROM {self.table} WHERE rowid > ? ORDER BY rowid LIMIT ?",
                (after, page),
            )
            found = self.cursor.fetchall()
            if not found:
                return
            yield [StoredRow(r[0], str(UUID(r[1])), r[2], r[3], bytes(r[4])) for r in found]
            after = found[-1][0]


class SealingPostgresRecorder(PostgresApplicationRecorder):
    """PostgreSQL recorder that seals after taking eventsourcing's table lock."""

    sealer: Sealer | None = None

    def select_rows(self, ids: Sequence[int]) -> list[Notification]:
        """The stored rows with these storage ids, in log order (for the read index)."""
        statement = SQL(
            "SELECT * FROM {0}.{1} WHERE notification_id = ANY(%s) ORDER BY notification_id"
        ).format(Identifier(self.datastore.schema), Identifier(self.events_table_name))
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, (list(ids),))
            return [
                Notification(
                    id=row["notification_id"],
                    originator_id=row["originator_id"],
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=bytes(row["state"]),
                )
                for row in curs.fetchall()
            ]

    def create_table(self) -> None:
        """eventsourcing's CREATE statements, run as each application starts; a wait for a
        lock among them past the lock timeout is :class:`WriteLockTimeoutError`."""
        with self._lock_wait():
            super().create_table()

    def _create_table(self, curs: Cursor[DictRow]) -> None:
        # eventsourcing runs its CREATE statements (and CREATE OR REPLACE FUNCTION) each time
        # an application starts; two processes doing so at once fail with PostgreSQL's "tuple
        # concurrently updated". A transaction-scoped advisory lock lets one at a time through.
        # Even when the index exists, CREATE INDEX IF NOT EXISTS first takes a SHARE lock on
        # the table, which waits behind a writer's EXCLUSIVE lock (a migration, a long batch);
        # without the store's lock timeout here that wait has no end (PostgreSQL's default).
        curs.execute(
            SQL("SET LOCAL lock_timeout = '{0}s'").format(self.datastore.lock_timeout),
            prepare=False,
        )
        schema = self.datastore.schema.encode()
        key = int.from_bytes(hashlib.sha256(b"ledger.ddl/" + schema).digest()[:8], signed=True)
        curs.execute(SQL("SELECT pg_advisory_xact_lock(%s)"), (key,), prepare=False)
        super()._create_table(curs)

    @contextmanager
    def _lock_wait(self) -> Iterator[None]:
        """Turn a lock wait past ``SET LOCAL lock_timeout`` (SQLSTATE 55P03,
        ``lock_not_available``, which eventsourcing wraps in its OperationalError after the
        transaction has rolled back) into :class:`WriteLockTimeoutError`."""
        try:
            yield
        except OperationalError as e:
            if isinstance(e.__cause__, LockNotAvailable):
                english, chinese = _busy(self.datastore.lock_timeout)
                raise WriteLockTimeoutError(english, zh=chinese) from e.__cause__
            raise

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if not stored_events:
            return []
        select_head = SQL("SELECT state FROM {0}.{1} ORDER BY notification_id DESC LIMIT 1").format(
            Identifier(self.datastore.schema), Identifier(self.events_table_name)
        )
        with (
            self._lock_wait(),
            self.datastore.get_connection() as conn,
            conn.transaction(),
            conn.cursor() as curs,
        ):
            self._lock_table(curs)
            curs.execute(select_head)
            row = curs.fetchone()
            sealed = _seal(self.sealer, bytes(row["state"]) if row else None, stored_events)
            self._notify_channel(curs)
            PostgresAggregateRecorder._insert_stored_events(self, curs, sealed)
            return [r["notification_id"] for r in curs.fetchall()]

    @contextmanager
    def writes_held(self) -> Iterator[Retire]:
        """Hold eventsourcing's table lock (``LOCK TABLE ... IN EXCLUSIVE MODE``) while the
        block runs: other writers wait, readers go on. The function yielded retires the store:
        a trigger that refuses every insert with the message given (SQLSTATE 23000, which
        writers report as a conflict to retry), committed when the block ends."""
        schema = Identifier(self.datastore.schema)
        table = Identifier(self.events_table_name)
        name = Identifier(RETIRE_TRIGGER)
        with (
            self._lock_wait(),
            self.datastore.get_connection() as conn,
            conn.transaction(),
            conn.cursor() as curs,
        ):
            self._lock_table(curs)

            def retire(message: str) -> None:
                curs.execute(
                    SQL(
                        "CREATE OR REPLACE FUNCTION {0}.{1}() RETURNS trigger LANGUAGE plpgsql "
                        "AS $ledger$BEGIN RAISE EXCEPTION USING "
                        "ERRCODE = 'integrity_constraint_violation', MESSAGE = {2}; END$ledger$"
                    ).format(schema, name, Literal(message)),
                    prepare=False,
                )
                curs.execute(
                    SQL("DROP TRIGGER IF EXISTS {0} ON {1}.{2}").format(name, schema, table),
                    prepare=False,
                )
                curs.execute(
                    SQL(
                        "CREATE TRIGGER {2} BEFORE INSERT ON {0}.{1} "
                        "FOR EACH STATEMENT EXECUTE FUNCTION {0}.{2}()"
                    ).format(schema, table, name),
                    prepare=False,
                )

            yield retire

    @contextmanager
    def sealed_load(self) -> Iterator[SealedLoad]:
        """One transaction under the table lock on a store that must be empty
        (:class:`StoreNotEmptyError` otherwise): rows go in by ``COPY`` with their own
        notification ids, the id sequence is moved past them, and all is committed only if the
        block ends without an exception. A process killed inside the block leaves the store as
        empty as it found it (PostgreSQL rolls back a transaction whose client went away)."""
        qualified = SQL("{0}.{1}").format(
            Identifier(self.datastore.schema), Identifier(self.events_table_name)
        )
        with (
            self._lock_wait(),
            self.datastore.get_connection() as conn,
            conn.transaction(),
            conn.cursor() as curs,
        ):
            self._lock_table(curs)
            curs.execute(SQL("SELECT max(notification_id) AS highest FROM {0}").format(qualified))
            row = curs.fetchone()
            highest = row["highest"] if row else None
            if highest is not None:
                raise StoreNotEmptyError(
                    f"the target store already holds events (up to notification id {highest}); "
                    "nothing was written",
                    zh=f"目标存储中已有事件（直到通知编号 {highest}）；未写入任何内容",
                )
            yield _PostgresLoad(curs, qualified)
            # notification_id is a bigserial: its sequence must go on after the copied ids.
            curs.execute(
                SQL(
                    "SELECT setval(pg_get_serial_sequence(%s, 'notification_id'), "
                    "(SELECT max(notification_id) FROM {0}))"
                ).format(qualified),
                (qualified.as_string(curs),),
            )


class _PostgresLoad:
    """Sealed rows into eventsourcing's PostgreSQL table by ``COPY``, notification ids given."""

    def __init__(self, cursor: Cursor[DictRow], qualified: Composed) -> None:
        self.cursor = cursor
        self.qualified = qualified

    def insert(self, rows: Sequence[StoredRow]) -> None:
        statement = SQL(
            "COPY {0} (notification_id, originator_id, originator_version, topic, state) FROM STDIN"
        ).format(self.qualified)
        with self.cursor.copy(statement) as copy:
            for r in rows:
                copy.write_row((r.row, UUID(r.stream), r.version, r.topic, r.state))

    def rows(self, page: int = 1000) -> Iterator[list[StoredRow]]:
        statement = SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state FROM {0} "
            "WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
        ).format(self.qualified)
        after = 0
        while True:
            self.cursor.execute(statement, (after, page))
            found = self.cursor.fetchall()
            if not found:
                return
            yield [
                StoredRow(
                    r["notification_id"],
                    str(r["originator_id"]),
                    r["originator_version"],
                    r["topic"],
                    bytes(r["state"]),
                )
                for r in found
            ]
            after = found[-1]["notification_id"]
