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


@pytest.fixture
def service(home: LedgerHome) -> Iterator[LedgerService]:
    created = LedgerService.create(home, "Test County Committee", passphrase=None, occurred_at=T0)
    yield created
    created.app.close()
