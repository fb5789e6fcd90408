"""The stores a benchmark writes to, created fresh for each run and removed afterwards.

SQLite: a file in a temporary directory. PostgreSQL: a schema of its own in the given database,
dropped when the run ends. The bare eventsourcing baseline gets exactly the settings the ledger
gets from ``ledger.store.location`` (same ``PERSISTENCE_MODULE``, lock timeouts and database),
minus the ledger's sealing recorder.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from uuid import uuid4

import psycopg
from psycopg import sql

from ledger.store.home import LedgerHome
from ledger.store.location import ensure_postgres_schema, postgres_env, schema_of, sqlite_env
from ledger.store.service import LedgerService

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
SQLITE = "sqlite"
POSTGRESQL = "postgresql"


@dataclass(frozen=True)
class Backend:
    """Where events go: ``sqlite`` (a temporary file) or ``postgresql`` at ``url``."""

    name: str
    url: str | None = None


def postgres_unreachable(url: str) -> str | None:
    """Why PostgreSQL at ``url`` cannot be used, or ``None`` when it can."""
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as e:
        return str(e).strip().splitlines()[0]
    return None


def backends(choice: str, url: str) -> list[Backend]:
    """The backends to run, skipping PostgreSQL (with a message) when it is unreachable."""
    chosen = []
    if choice in (SQLITE, "both"):
        chosen.append(Backend(SQLITE))
    if choice in (POSTGRESQL, "both"):
        reason = postgres_unreachable(url)
        if reason is None:
            chosen.append(Backend(POSTGRESQL, url))
        else:
            print(f"PostgreSQL at {url} is unreachable, skipping it: {reason}\n")
    return chosen


def _drop_schema(url: str, schema: str) -> None:
    with psycopg.connect(url, connect_timeout=5, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@contextmanager
def bare_env(backend: Backend) -> Iterator[dict[str, str]]:
    """eventsourcing settings for a fresh, empty store, as the ledger would have them."""
    workdir = Path(tempfile.mkdtemp(prefix="ledger-bench-"))
    schema = None
    try:
        if backend.url is None:
            env = sqlite_env(workdir / "bare.sqlite")
        else:
            env = postgres_env(backend.url, uuid4())
            schema = env["POSTGRES_SCHEMA"] = f"bench_{uuid4().hex}"
            ensure_postgres_schema(env)
        del env["APPLICATION_RECORDER_TOPIC"]
        yield env
    finally:
        if schema is not None and backend.url is not None:
            _drop_schema(backend.url, schema)
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def new_ledger(backend: Backend, name: str = "bench") -> Iterator[LedgerService]:
    """A freshly created ledger (genesis written, unencrypted key) on ``backend``."""
    workdir = Path(tempfile.mkdtemp(prefix="ledger-bench-"))
    service = None
    try:
        service = LedgerService.create(
            LedgerHome(workdir / "home"), name, passphrase=None, store_url=backend.url
        )
        yield service
    finally:
        if service is not None:
            service.app.close()
            if backend.url is not None:
                _drop_schema(backend.url, schema_of(service.ledger_id))
        shutil.rmtree(workdir, ignore_errors=True)
