"""eventsourcing's recorders, sealing each batch at the head of the chain inside the write lock.

eventsourcing serialises writers (SQLite: one writer; PostgreSQL: ``LOCK TABLE ... IN EXCLUSIVE
MODE``), but it reads nothing back inside that lock. A hash chain needs exactly that: the head as
it is when the batch is written. These subclasses take the lock first, read the newest record,
seal the drafts after it, and insert, all in one transaction. Two writers therefore never attach
to the same head: the chain cannot fork, and a batch lands whole or not at all.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import IntegrityError as StoreIntegrityError
from eventsourcing.persistence import Notification, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder, PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from ledger.errors import InputError
from ledger.integrity.record import ChainHead, Sealer, head_of
from ledger.store.mapper import DraftStoredEvent


class ReadOnlyLedgerError(InputError):
    """A write was attempted without the office's signing key loaded."""


def _seal(
    sealer: Sealer | None, head_state: bytes | None, stored_events: Sequence[StoredEvent]
) -> list[StoredEvent]:
    if sealer is None:
        raise ReadOnlyLedgerError(
            "this ledger was opened without a signing key; nothing can be recorded"
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
                except BaseException:
                    raw.rollback()
                    raise
                raw.commit()
            except sqlite3.IntegrityError as e:
                raise StoreIntegrityError(e) from e
            except sqlite3.OperationalError as e:
                raise OperationalError(e) from e
        return ids


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

    def _create_table(self, curs: Cursor[DictRow]) -> None:
        # eventsourcing runs its CREATE statements (and CREATE OR REPLACE FUNCTION) each time
        # an application starts; two processes doing so at once fail with PostgreSQL's "tuple
        # concurrently updated". A transaction-scoped advisory lock lets one at a time through.
        schema = self.datastore.schema.encode()
        key = int.from_bytes(hashlib.sha256(b"ledger.ddl/" + schema).digest()[:8], signed=True)
        curs.execute(SQL("SELECT pg_advisory_xact_lock(%s)"), (key,), prepare=False)
        super()._create_table(curs)

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if not stored_events:
            return []
        select_head = SQL("SELECT state FROM {0}.{1} ORDER BY notification_id DESC LIMIT 1").format(
            Identifier(self.datastore.schema), Identifier(self.events_table_name)
        )
        with (
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
