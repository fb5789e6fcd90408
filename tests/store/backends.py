"""The stores a ledger can live in, for contract tests: how to make a ledger in each, and raw SQL
on the rows eventsourcing wrote (SQLite: table ``stored_events``; PostgreSQL: ``ledger_events``
in the ledger's schema), so tamper tests edit the real bytes.

Rows are addressed by the storage's own position: SQLite's ``rowid``, PostgreSQL's
``notification_id``. Every statement commits as it runs (autocommit), so nothing a helper does
is hidden in a transaction the ledger cannot see.
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, ClassVar
from uuid import UUID

import psycopg
import pytest

from ledger.integrity.keys import SigningKey
from ledger.integrity.record import Sealer
from ledger.store.application import LedgerApplication
from ledger.store.home import LedgerHome
from ledger.store.location import postgres_env, schema_of, sqlite_env
from ledger.store.service import LedgerService

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
POSTGRES_WHERE = "127.0.0.1:5432"


@dataclass(frozen=True)
class RawRow:
    """One row of the events table exactly as stored."""

    row: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes


class RawStore(ABC):
    """Raw SQL on one ledger's events table."""

    table: str  # the table, qualified where the store needs it
    key: str  # the column that addresses a row
    mark: str  # the driver's parameter marker

    @abstractmethod
    def _execute(self, statement: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        """Run and commit one statement; return any rows it returns."""

    @abstractmethod
    def close(self) -> None:
        """Close the connection."""

    @abstractmethod
    def _id(self, originator_id: UUID) -> Any:
        """A stream id as this store keeps it."""

    def rows(self) -> list[RawRow]:
        """Every row, in storage order."""
        found = self._execute(
            f"SELECT {self.key}, originator_id, originator_version, topic, state "
            f"FROM {self.table} ORDER BY {self.key}",
            (),
        )
        return [RawRow(int(r[0]), UUID(str(r[1])), r[2], r[3], bytes(r[4])) for r in found]

    def row(self, row: int) -> RawRow:
        """The row at storage position ``row``."""
        for raw in self.rows():
            if raw.row == row:
                return raw
        raise LookupError(f"no row {row} in {self.table}")

    def insert(self, originator_id: UUID, version: int, topic: str, state: bytes) -> int:
        """Append a row as a forger would; return its storage position."""
        m = self.mark
        found = self._execute(
            f"INSERT INTO {self.table} (originator_id, originator_version, topic, state) "
            f"VALUES ({m}, {m}, {m}, {m}) RETURNING {self.key}",
            (self._id(originator_id), version, topic, state),
        )
        return int(found[0][0])

    def set_state(self, row: int, state: bytes) -> None:
        """Overwrite the state bytes of one row."""
        self._update(row, "state", state)

    def set_topic(self, row: int, topic: str) -> None:
        """Overwrite the topic column of one row."""
        self._update(row, "topic", topic)

    def set_version(self, row: int, version: int) -> None:
        """Overwrite the originator_version column of one row."""
        self._update(row, "originator_version", version)

    def delete(self, *rows: int) -> None:
        """Delete rows."""
        for row in rows:
            self._execute(f"DELETE FROM {self.table} WHERE {self.key} = {self.mark}", (row,))

    def swap(self, a: int, b: int) -> None:
        """Exchange the whole contents (stream, version, topic, state) of two rows."""
        first, second = self.row(a), self.row(b)
        # The primary key (originator_id, originator_version) must hold after every
        # statement, so row ``a`` is first parked on a version no event has.
        self._update(a, "originator_version", -1)
        self._fill(b, first)
        self._fill(a, second)

    def _fill(self, row: int, content: RawRow) -> None:
        m = self.mark
        self._execute(
            f"UPDATE {self.table} SET originator_id = {m}, originator_version = {m}, "
            f"topic = {m}, state = {m} WHERE {self.key} = {m}",
            (
                self._id(content.originator_id),
                content.originator_version,
                content.topic,
                content.state,
                row,
            ),
        )

    def _update(self, row: int, column: str, value: Any) -> None:
        self._execute(
            f"UPDATE {self.table} SET {column} = {self.mark} WHERE {self.key} = {self.mark}",
            (value, row),
        )


class SQLiteRawStore(RawStore):
    """Raw SQL on a home's SQLite file: rows by ``rowid``, stream ids kept as hex text."""

    key = "rowid"
    mark = "?"

    def __init__(self, path: Path, table: str) -> None:
        self.path = path
        self.table = f'"{table}"'
        self.connection = sqlite3.connect(path, timeout=60, isolation_level=None)

    def _execute(self, statement: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        return self.connection.execute(statement, params).fetchall()

    def close(self) -> None:
        self.connection.close()

    def _id(self, originator_id: UUID) -> Any:
        return originator_id.hex


class PostgresRawStore(RawStore):
    """Raw SQL on a ledger's schema: rows by ``notification_id``."""

    key = "notification_id"
    mark = "%s"

    def __init__(self, url: str, schema: str, table: str) -> None:
        self.schema = schema
        self.table = f'"{schema}"."{table}"'
        self.connection = psycopg.connect(url, autocommit=True)

    def _execute(self, statement: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        cursor = self.connection.execute(statement.encode(), params)
        return cursor.fetchall() if cursor.description else []

    def close(self) -> None:
        self.connection.close()

    def _id(self, originator_id: UUID) -> Any:
        return originator_id

    def drop(self) -> None:
        """Drop the ledger's schema and everything in it, then close."""
        try:
            self._execute(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE', ())
        finally:
            self.close()


class Backend(ABC):
    """A kind of store: where a new ledger's events go, and raw access to them."""

    name: str

    @property
    @abstractmethod
    def store_url(self) -> str | None:
        """The ``--store`` URL (``None``: the home's SQLite file)."""

    @abstractmethod
    def require(self) -> None:
        """Skip the calling test when this store cannot be reached."""

    def create(
        self, home: LedgerHome, name: str, occurred_at: datetime | None = None
    ) -> LedgerService:
        """A new ledger in ``home`` on this store (its ledger key unencrypted)."""
        return LedgerService.create(
            home, name, store_url=self.store_url, passphrase=None, occurred_at=occurred_at
        )

    @abstractmethod
    def raw(self, service: LedgerService) -> RawStore:
        """Raw SQL on ``service``'s stored events."""

    @abstractmethod
    def env(self, service: LedgerService) -> dict[str, str]:
        """The eventsourcing settings of ``service``'s store (to open a second writer on it)."""

    @contextmanager
    def writer(self, service: LedgerService, key: SigningKey) -> Iterator[LedgerApplication]:
        """A second application on ``service``'s store whose sealer signs with ``key``: how a
        holder of some other key (or a forger) would append to the same log."""
        app = LedgerApplication(
            service.ledger_id, self.env(service), Sealer(str(service.ledger_id), key)
        )
        try:
            yield app
        finally:
            app.close()

    def discard(self, service: LedgerService) -> None:
        """Close the ledger and remove what it left in the store."""
        service.app.close()


class SQLiteBackend(Backend):
    name = "sqlite"

    @property
    def store_url(self) -> str | None:
        return None

    def require(self) -> None:
        """A file in the test's own directory: always at hand."""

    def raw(self, service: LedgerService) -> SQLiteRawStore:
        return SQLiteRawStore(service.home.sqlite_path, events_table(service))

    def env(self, service: LedgerService) -> dict[str, str]:
        return sqlite_env(service.home.sqlite_path)


class PostgresBackend(Backend):
    name = "postgres"

    @property
    def store_url(self) -> str | None:
        return POSTGRES_URL

    def require(self) -> None:
        problem = postgres_problem()
        if problem:
            pytest.skip(f"PostgreSQL not reachable at {POSTGRES_WHERE}: {problem}")

    def raw(self, service: LedgerService) -> PostgresRawStore:
        return PostgresRawStore(POSTGRES_URL, schema_of(service.ledger_id), events_table(service))

    def env(self, service: LedgerService) -> dict[str, str]:
        return postgres_env(POSTGRES_URL, service.ledger_id)

    def discard(self, service: LedgerService) -> None:
        try:
            super().discard(service)
        finally:
            self.raw(service).drop()


def events_table(service: LedgerService) -> str:
    """The table eventsourcing keeps the ledger's events in (``stored_events`` on SQLite,
    ``<application name>_events`` on PostgreSQL)."""
    name: str = service.app.recorder.events_table_name  # type: ignore[attr-defined]
    return name


@cache
def postgres_problem() -> str | None:
    """Why the test database cannot be used, or ``None`` when it can (asked once a session)."""
    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as e:
        return " ".join(str(e).split()) or type(e).__name__
    return None


class StoreContract:
    """Base of the store contract tests: each store subclasses it, naming its ``backend``.

    Gives every test a new ledger on that store (``service``) and raw SQL on its rows
    (``raw``); afterwards the ledger is closed and, on PostgreSQL, its schema dropped.
    """

    backend: ClassVar[Backend]

    @pytest.fixture
    def service(self, home: LedgerHome) -> Iterator[LedgerService]:
        self.backend.require()
        created = self.backend.create(home, "Test County Committee")
        try:
            yield created
        finally:
            self.backend.discard(created)

    @pytest.fixture
    def raw(self, service: LedgerService) -> Iterator[RawStore]:
        store = self.backend.raw(service)
        try:
            yield store
        finally:
            store.close()
