"""Shared fixtures: a fresh ledger in a temporary home, on SQLite (and PostgreSQL when running)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ledger.store.home import LedgerHome
from ledger.store.service import LedgerService

T0 = datetime(2026, 3, 12, 1, 30, tzinfo=UTC)


def at(minutes: int) -> datetime:
    """A fixed time, ``minutes`` after T0."""
    return T0 + timedelta(minutes=minutes)


@pytest.fixture
def home(tmp_path: Path) -> LedgerHome:
    return LedgerHome(tmp_path / "ledger")


@pytest.fixture(params=["sqlite", "postgres"])
def service(request: pytest.FixtureRequest, home: LedgerHome) -> Iterator[LedgerService]:
    """A new ledger, once on each store: the home's SQLite file, and PostgreSQL (skipped with the
    reason when the server at 127.0.0.1:5432 cannot be reached)."""
    from tests.store.backends import PostgresBackend, SQLiteBackend

    backend = SQLiteBackend() if request.param == "sqlite" else PostgresBackend()
    backend.require()
    created = backend.create(home, "Test County Committee", occurred_at=T0)
    yield created
    backend.discard(created)


@pytest.fixture
def sqlite_service(home: LedgerHome) -> Iterator[LedgerService]:
    """A new ledger on the home's SQLite file (for tests that edit that file directly)."""
    created = LedgerService.create(home, "Test County Committee", passphrase=None, occurred_at=T0)
    yield created
    created.app.close()
