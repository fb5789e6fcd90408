"""Moving a ledger to another store (the home's SQLite file, or a PostgreSQL database), keeping
every stored byte: ``ledger migrate --to URL``.

The rows are sealed records (docs/format.md): their hashes and signatures cover the bytes as
stored, so they are copied, never recorded again. In order:

1. the target is looked at without writing anything: if it already holds events, it is refused
   (:class:`StoreNotEmptyError`);
2. the source's write lock is taken and held to the end (writers wait), and its head must be the
   home's signed checkpoint: the copy is checked against that checkpoint, so it must cover the
   whole log (sign one first with ``ledger checkpoint`` when it does not);
3. in **one transaction** on the target, every row goes in byte for byte with its storage id
   (the read index and the checkpoint's compact range name rows by id), is read back through the
   same transaction and verified by the ledger's verifier (``integrity/verify.py``) against the
   genesis key and the checkpoint; only a copy that verifies, whose head equals the checkpoint,
   is committed. A crash before the commit leaves the target empty; one after it leaves a full
   copy, which a retry refuses as not empty (drop it, then retry);
4. ``ledger.json`` is replaced (atomically) to name the new store;
5. the old store is retired, then the lock released: its rows stay as they were, and a trigger
   refuses any insert into it, so a command that read the old ``ledger.json`` before step 4 fails
   (as a conflict to retry) instead of appending to a log nobody reads any more. The old store is
   left in place for the operator to remove.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from uuid import UUID

from eventsourcing.persistence import PersistenceError

from ledger.errors import (
    CheckpointMismatchError,
    InputError,
    StoreUnavailableError,
    StoreURLError,
    zh_text,
)
from ledger.integrity.checkpoint import Checkpoint, origin_of
from ledger.integrity.digest import to_digest
from ledger.integrity.verify import Report, Verifier
from ledger.store.application import LedgerApplication
from ledger.store.home import LedgerHome
from ledger.store.location import ensure_postgres_schema, postgres_env, sqlite_env
from ledger.store.recorders import RETIRE_TRIGGER, StoreNotEmptyError
from ledger.store.service import LedgerService, read_checkpoint

SQLITE_TARGET = "sqlite"
"""``--to sqlite``: the home's own SQLite file."""

POSTGRES_EVENTS_TABLE = "ledger_events"
"""eventsourcing's table for the application named ``Ledger`` (``<name>_events``)."""

PAGE = 1000

Progress = Callable[[int], None]


class SameStoreError(InputError):
    """The ledger already lives in the store it was asked to move to."""


class CopyNotVerifiedError(CheckpointMismatchError):
    """The copy, read back from the target, does not verify, or its head is not the signed
    checkpoint; it was rolled back, and the ledger stays where it was."""


@dataclass(frozen=True)
class Store:
    """Where a ledger's events are: the home's SQLite file (``url`` ``None``) or a PostgreSQL
    database (the ledger's schema in it)."""

    url: str | None
    env: dict[str, str]

    @property
    def is_sqlite(self) -> bool:
        return self.url is None

    def identity(self) -> tuple[str, ...]:
        """What makes two stores the same place."""
        if self.is_sqlite:
            return ("sqlite", str(Path(self.env["SQLITE_DBNAME"]).resolve()))
        env = self.env
        return ("postgresql", env["POSTGRES_HOST"], env["POSTGRES_PORT"], env["POSTGRES_DBNAME"])

    def describe(self) -> str:
        """The store for people: the file, or the URL without its password and the schema."""
        if self.is_sqlite:
            return self.env["SQLITE_DBNAME"]
        return f"{display_url(self.url or '')}, schema {self.env['POSTGRES_SCHEMA']}"

    def removal_hint(self) -> str:
        """How to remove this store once it is no longer wanted."""
        if self.is_sqlite:
            return f"rm {self.env['SQLITE_DBNAME']}*"
        return f'DROP SCHEMA "{self.env["POSTGRES_SCHEMA"]}" CASCADE'


def display_url(url: str) -> str:
    """A store URL with its password hidden."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rpartition("@")
    user = netloc[0].partition(":")[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[2]}"))


def store_at(home: LedgerHome, ledger_id: UUID, url: str | None) -> Store:
    """The store a ledger's events are in: a PostgreSQL URL, or ``None`` for the home's SQLite
    file (as ``--store`` and ``ledger.json`` name it)."""
    if url:
        return Store(url, postgres_env(url, ledger_id))
    return Store(None, sqlite_env(home.sqlite_path))


def target_store(home: LedgerHome, ledger_id: UUID, target: str) -> Store:
    """The store ``--to`` names: ``sqlite`` (the home's file) or a ``postgresql://`` URL."""
    if target.strip().lower() == SQLITE_TARGET:
        return store_at(home, ledger_id, None)
    try:
        return store_at(home, ledger_id, target)
    except StoreURLError as e:
        raise StoreURLError(
            f"{e}; or 'sqlite' for the home's SQLite file",
            zh=f"{zh_text(e)}；或用 'sqlite' 表示本目录的 SQLite 文件",
        ) from None


@dataclass(frozen=True)
class Contents:
    """What a store holds of a ledger: its highest storage row (0: no events), and whether a
    ledger moved away from it (it refuses inserts)."""

    highest_row: int
    retired: bool


def contents(store: Store) -> Contents:
    """What ``store`` holds, found without creating anything (no file, schema or table)."""
    if store.is_sqlite:
        return _sqlite_contents(Path(store.env["SQLITE_DBNAME"]))
    return _postgres_contents(store.env)


def _sqlite_contents(path: Path) -> Contents:
    if not path.exists():
        return Contents(0, retired=False)
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=60)
        try:
            names = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
            if "stored_events" not in names:
                return Contents(0, retired=False)
            (highest,) = db.execute("SELECT max(rowid) FROM stored_events").fetchone()
        finally:
            db.close()
    except sqlite3.Error as e:
        raise StoreUnavailableError(
            f"cannot read {path} as a ledger's SQLite file: {e}",
            zh=f"无法把 {path} 作为台账的 SQLite 文件读取：{e}",
        ) from e
    return Contents(int(highest or 0), retired=RETIRE_TRIGGER in names)


def _postgres_contents(env: dict[str, str]) -> Contents:
    import psycopg
    from psycopg import sql

    table = sql.Identifier(env["POSTGRES_SCHEMA"], POSTGRES_EVENTS_TABLE)
    try:
        with psycopg.connect(
            dbname=env["POSTGRES_DBNAME"],
            host=env["POSTGRES_HOST"],
            port=int(env["POSTGRES_PORT"]),
            user=env["POSTGRES_USER"],
            password=env["POSTGRES_PASSWORD"] or None,
            connect_timeout=10,
        ) as conn:
            name = table.as_string(conn)
            found = conn.execute("SELECT to_regclass(%s)::oid", (name,)).fetchone()
            if found is None or found[0] is None:
                return Contents(0, retired=False)
            retired = conn.execute(
                "SELECT 1 FROM pg_trigger WHERE tgrelid = %s AND tgname = %s",
                (found[0], RETIRE_TRIGGER),
            ).fetchone()
            row = conn.execute(
                sql.SQL("SELECT max(notification_id) FROM {}").format(table)
            ).fetchone()
    except psycopg.Error as e:
        where = f"{env['POSTGRES_HOST']}:{env['POSTGRES_PORT']}/{env['POSTGRES_DBNAME']}"
        raise StoreUnavailableError(
            f"cannot reach PostgreSQL at {where}: {str(e).strip()}",
            zh=f"无法连接 PostgreSQL（{where}）：{str(e).strip()}",
        ) from e
    return Contents(int(row[0] or 0) if row else 0, retired=retired is not None)


@dataclass(frozen=True)
class MigrationResult:
    """What ``migrate`` did: how many events went where, and where the old store is."""

    ledger_id: str
    events: int
    source: Store
    target: Store
    head_hash: str
    tree_head: str
    checkpoint_size: int


def migrate(
    service: LedgerService,
    source: Store,
    target: Store,
    *,
    workers: int | None = None,
    on_copy: Progress | None = None,
    on_verify: Progress | None = None,
) -> MigrationResult:
    """Copy the ledger ``service`` reads (in ``source``) into ``target``, verify the copy, and
    make the home's ``ledger.json`` name it (the steps are in the module docstring). ``on_copy``
    and ``on_verify`` are called with the rows copied and the events verified so far."""
    home, config = service.home, service.config
    # 1. A different store, holding no events (looked at without writing anything).
    if source.identity() == target.identity():
        raise SameStoreError(
            f"the ledger already lives in {target.describe()}",
            zh=f"台账已在 {target.describe()} 中",
        )
    held = contents(target)
    if held.highest_row:
        where, row, hint = target.describe(), held.highest_row, target.removal_hint()
        if held.retired:
            how = "It is a store a ledger moved away from; move it aside or remove it"
            how_zh = "这是台账已迁出的原存储；请移开或删除"
        else:
            how = (
                "If an earlier 'ledger migrate' stopped after its copy was committed, "
                "remove that copy"
            )
            how_zh = "如果此前的 'ledger migrate' 在副本提交后中断，请删除该副本"
        raise StoreNotEmptyError(
            f"{where} already holds events (up to storage row {row}); nothing was written. "
            f"{how} ({hint}), then run 'ledger migrate' again",
            zh=f"{where} 中已有事件（直到存储行 {row}）；未写入任何内容。{how_zh}（{hint}），"
            "然后重新运行 'ledger migrate'",
        )
    if not home.checkpoint_path.exists():
        raise InputError(
            f"no signed checkpoint in {home.path}: sign one with 'ledger checkpoint', "
            "then migrate (the copy is checked against it)",
            zh=f"{home.path} 中没有已签名的检查点：请先用 'ledger checkpoint' 签署一个再迁移"
            "（副本要对照它核验）",
        )
    checkpoint = read_checkpoint(home.checkpoint_path)
    if checkpoint.origin != origin_of(config.ledger_id):
        expected = origin_of(config.ledger_id)
        raise InputError(
            f"the home's checkpoint is of {checkpoint.origin!r}, expected {expected!r}",
            zh=f"本目录的检查点属于 {checkpoint.origin!r}，应为 {expected!r}",
        )
    try:
        with service.app.recorder.writes_held() as retire:  # type: ignore[attr-defined]
            # 2. The head, read under the lock, is the signed checkpoint.
            head = service.app.head()
            size = head.seq if head else 0
            if size != checkpoint.size:
                raise InputError(
                    f"the log holds {size} events, but the home's signed checkpoint covers "
                    f"{checkpoint.size}: sign a checkpoint of the head with 'ledger checkpoint', "
                    "then migrate (run 'ledger verify' first if the log is the shorter)",
                    zh=f"日志有 {size} 个事件，而本目录已签名的检查点覆盖 {checkpoint.size} 个："
                    "请先用 'ledger checkpoint' 为链头签署检查点再迁移"
                    "（若日志较短，请先运行 'ledger verify'）",
                )
            # 3. Copy, read back and verify in one transaction on the target.
            report = _copy(service, target, checkpoint, workers, on_copy, on_verify)
            # 4. The home names the new store.
            home.save_config(config.model_copy(update={"store": target.url}))
            service.config = home.config()
            # 5. The old store refuses inserts from now on.
            moment = datetime.now(UTC).isoformat(timespec="seconds")
            retire(
                f"this ledger moved to {target.describe()} at {moment} (ledger migrate); "
                "its home's ledger.json names the new store: run the command again"
            )
    except PersistenceError as e:
        raise StoreUnavailableError(
            f"the store failed during the move: {e}", zh=f"迁移过程中存储出错：{e}"
        ) from e
    return MigrationResult(
        ledger_id=config.ledger_id,
        events=report.events,
        source=source,
        target=target,
        head_hash=report.head_hash,
        tree_head=to_digest(report.tree_head),
        checkpoint_size=checkpoint.size,
    )


def _copy(
    service: LedgerService,
    target: Store,
    checkpoint: Checkpoint,
    workers: int | None,
    on_copy: Progress | None,
    on_verify: Progress | None,
) -> Report:
    if not target.is_sqlite:
        ensure_postgres_schema(target.env)
    app = LedgerApplication(service.ledger_id, target.env, None)
    try:
        if not target.is_sqlite:
            table = app.recorder.events_table_name  # type: ignore[attr-defined]
            if table != POSTGRES_EVENTS_TABLE:
                raise RuntimeError(f"expected the table {POSTGRES_EVENTS_TABLE}, got {table}")
        with app.recorder.sealed_load() as load:  # type: ignore[attr-defined]
            copied = 0
            for page in service.app.rows(page=PAGE):
                load.insert(page)
                copied += len(page)
                if on_copy is not None:
                    on_copy(copied)
            verifier = Verifier(
                anchor=service.config.genesis_key,
                checkpoints=[checkpoint],
                workers=workers,
                on_progress=on_verify,
            )
            report = verifier.verify(load.rows(PAGE), expected_rows=copied)
            _check_copy(report, checkpoint, target)
    finally:
        app.close()
    return report


def _check_copy(report: Report, checkpoint: Checkpoint, target: Store) -> None:
    where = target.describe()
    if report.failure is not None:
        f = report.failure
        raise CopyNotVerifiedError(
            f"the copy in {where} does not verify at position {f.position}: {f.problem}; "
            "it was rolled back and the ledger stays where it was",
            zh=f"{where} 中的副本在序号 {f.position} 核验不通过：{f.problem_zh}；"
            "副本已回滚，台账仍在原处",
        )
    if report.events != checkpoint.size or report.tree_head != checkpoint.root:
        got, expected = to_digest(report.tree_head), to_digest(checkpoint.root)
        raise CopyNotVerifiedError(
            f"the copy in {where} ends at {report.events} events with tree head {got}, "
            f"expected the signed checkpoint's {checkpoint.size} and {expected}; "
            "it was rolled back",
            zh=f"{where} 中的副本止于 {report.events} 个事件，树根哈希 {got}；已签名的检查点为 "
            f"{checkpoint.size} 个事件、{expected}；副本已回滚",
        )
