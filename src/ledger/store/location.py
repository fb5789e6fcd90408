"""Which database a ledger's events go to: its home's SQLite file, or a PostgreSQL URL.

Many ledgers share one PostgreSQL database, each in its own schema (``ledger_<ledger id hex>``),
because eventsourcing keeps one ``stored_events`` table per schema.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit
from uuid import UUID

from ledger.errors import StoreUnavailableError, StoreURLError

LOCK_TIMEOUT_SECONDS = "60"
"""How long a writer waits for the store's write lock (SQLite ``BEGIN IMMEDIATE``, PostgreSQL
``LOCK TABLE``) before it gives up with ``WriteLockTimeoutError``: eventsourcing's
``SQLITE_LOCK_TIMEOUT`` and ``POSTGRES_LOCK_TIMEOUT``. eventsourcing looks a setting up under the
application's name first, and the process environment is merged in, so an operator can change
the wait per process with ``LEDGER_SQLITE_LOCK_TIMEOUT`` or ``LEDGER_POSTGRES_LOCK_TIMEOUT``
(whole seconds)."""


def schema_of(ledger_id: UUID) -> str:
    """The PostgreSQL schema of a ledger."""
    return f"ledger_{ledger_id.hex}"


def sqlite_env(path: Path) -> dict[str, str]:
    """eventsourcing settings for the SQLite file at ``path``."""
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": LOCK_TIMEOUT_SECONDS,
        "APPLICATION_RECORDER_TOPIC": "ledger.store.recorders:SealingSQLiteRecorder",
    }


def postgres_env(url: str, ledger_id: UUID) -> dict[str, str]:
    """eventsourcing settings for a ``postgresql://user[:password]@host[:port]/database`` URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise StoreURLError(
            f"unsupported store {url!r}: give a postgresql://user@host:port/database URL, "
            "or no --store for the home's SQLite file",
            zh=f"不支持的存储 {url!r}：请给出 postgresql://user@host:port/database 形式的 URL，"
            "或不加 --store，使用目录中的 SQLite 文件",
        )
    database = parts.path.lstrip("/")
    if not database or not parts.hostname:
        raise StoreURLError(
            f"store URL {url!r} needs a host and a database name",
            zh=f"存储 URL {url!r} 须包含主机和数据库名",
        )
    try:
        port = parts.port or 5432
    except ValueError as e:
        raise StoreURLError(
            f"store URL {url!r} has a bad port", zh=f"存储 URL {url!r} 的端口无效"
        ) from e
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": database,
        "POSTGRES_HOST": parts.hostname,
        "POSTGRES_PORT": str(port),
        "POSTGRES_USER": unquote(parts.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        "POSTGRES_SCHEMA": schema_of(ledger_id),
        "POSTGRES_LOCK_TIMEOUT": LOCK_TIMEOUT_SECONDS,
        "APPLICATION_RECORDER_TOPIC": "ledger.store.recorders:SealingPostgresRecorder",
    }


def ensure_postgres_schema(env: dict[str, str]) -> None:
    """Create the ledger's schema if it is not there yet."""
    import psycopg
    from psycopg import sql

    try:
        with psycopg.connect(
            dbname=env["POSTGRES_DBNAME"],
            host=env["POSTGRES_HOST"],
            port=int(env["POSTGRES_PORT"]),
            user=env["POSTGRES_USER"],
            password=env["POSTGRES_PASSWORD"] or None,
            connect_timeout=10,
            autocommit=True,
        ) as conn:
            conn.execute(
                sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(
                    sql.Identifier(env["POSTGRES_SCHEMA"])
                )
            )
    except psycopg.Error as e:
        where = f"{env['POSTGRES_HOST']}:{env['POSTGRES_PORT']}/{env['POSTGRES_DBNAME']}"
        raise StoreUnavailableError(
            f"cannot reach PostgreSQL at {where}: {str(e).strip()}",
            zh=f"无法连接 {where} 上的 PostgreSQL：{str(e).strip()}",
        ) from e
