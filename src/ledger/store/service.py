"""The service layer: create or open a ledger in its home, and the use cases the CLI and the
Python API call. Each write lands as one atomic batch and is followed by a fresh signed
checkpoint in the home."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import PersistenceError

from ledger.domain.calendar import Calendar, CalendarAdopted
from ledger.domain.events import OFFICE
from ledger.domain.ledger import DEFAULT_LEVEL, Level
from ledger.domain.member import Member
from ledger.domain.rules.ruleset_file import parameters_of
from ledger.domain.ruleset import RuleSet, RuleSetAdopted
from ledger.errors import (
    CheckpointFormatError,
    InputError,
    KeyFileError,
    LedgerError,
    LedgerExistsError,
    zh_text,
)
from ledger.integrity.checkpoint import Checkpoint, parse_checkpoint
from ledger.integrity.keys import SigningKey
from ledger.integrity.record import Sealer
from ledger.integrity.verify import Report, Verifier
from ledger.projections.index import LedgerIndex
from ledger.projections.tree import MissingNodeError
from ledger.projections.views import Reader
from ledger.record.acts import Act, TranscriptionSource
from ledger.store.application import LedgerApplication, TreeState
from ledger.store.batch import Batch
from ledger.store.content import ContentStore
from ledger.store.home import LedgerConfig, LedgerHome
from ledger.store.location import ensure_postgres_schema, postgres_env, sqlite_env

Clock = Callable[[], datetime]
"""The ledger's clock: when an event is recorded."""

PassphraseSource = Callable[[str], bytes | None]
"""Asked for a passphrase by a label (which key); returns it, or ``None`` for none."""


def _sealer(ledger_id: UUID, key: SigningKey, clock: Clock | None) -> Sealer:
    if clock is None:
        return Sealer(str(ledger_id), key)
    return Sealer(str(ledger_id), key, clock=clock)


def _env(home: LedgerHome, ledger_id: UUID, store_url: str | None) -> dict[str, str]:
    if store_url:
        env = postgres_env(store_url, ledger_id)
        ensure_postgres_schema(env)
        return env
    return sqlite_env(home.sqlite_path)


class LedgerService:
    """An open ledger: its home, configuration, application and (when writable) signing keys."""

    def __init__(
        self,
        home: LedgerHome,
        config: LedgerConfig,
        app: LedgerApplication,
        office_key: SigningKey | None,
        checkpoint_key: SigningKey | None,
        clock: Clock | None = None,
    ) -> None:
        self.clock = clock
        self.home = home
        self.config = config
        self.app = app
        self.office_key = office_key
        self.checkpoint_key = checkpoint_key
        self.index_on_write = True
        """Bring the read index up to date after each write (a bulk loader turns it off and
        rebuilds the index once at the end)."""
        self.index_problem: str | None = None
        """Why the read index could not follow the last write, if it could not (the events
        landed; the next read or ``ledger rebuild`` brings the index up to date)."""

    @property
    def ledger_id(self) -> UUID:
        return UUID(self.config.ledger_id)

    # --- opening -----------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        home: LedgerHome,
        name: str,
        *,
        store_url: str | None = None,
        passphrase: bytes | None,
        occurred_at: datetime | None = None,
        clock: Clock | None = None,
        settings: Mapping[str, str] | None = None,
        level: Level = DEFAULT_LEVEL,
    ) -> LedgerService:
        """Create a ledger in ``home``: its ledger key, its store and its genesis event, which
        records the ``level`` of the committee (post names follow it).

        ``clock`` is the ledger's clock (the recording time of every event); default: now.
        ``settings`` are eventsourcing application settings for this process (for example
        ``AGGREGATE_CACHE_MAXSIZE`` for a long-running writer).
        """
        if home.exists():
            raise LedgerExistsError(
                f"a ledger already lives in {home.path}", zh=f"{home.path} 中已有台账"
            )
        if home.path.exists() and not home.path.is_dir():
            raise InputError(f"{home.path} is not a directory", zh=f"{home.path} 不是目录")
        if not name.strip():
            raise InputError("a ledger needs a name (--name)", zh="台账须有名称（--name）")
        ledger_id = uuid4()
        key = SigningKey.generate()
        if not store_url and home.sqlite_path.exists():
            raise LedgerExistsError(
                f"{home.sqlite_path} already exists; remove it or pick a home",
                zh=f"{home.sqlite_path} 已存在：请删除它，或另选目录",
            )
        home.path.mkdir(parents=True, exist_ok=True)
        env = {**_env(home, ledger_id, store_url), **(settings or {})}
        config = LedgerConfig(
            ledger_id=str(ledger_id),
            name=name,
            genesis_key=key.key_id,
            office_key=key.key_id,
            checkpoint_key=key.key_id,
            store=store_url,
            created_at=datetime.now(UTC),
        )
        app = LedgerApplication(ledger_id, env, _sealer(ledger_id, key, clock))
        if app.count_rows():
            raise LedgerExistsError(
                "the store already holds events; refusing to start a ledger",
                zh="存储中已有事件，不能在其中新建台账",
            )
        home.save_key(key, passphrase)
        app.initialise(name, key, occurred_at, level)
        home.create(config)
        service = cls(home, config, app, key, key, clock)
        service._written()
        return service

    @classmethod
    def open(
        cls,
        home: LedgerHome,
        *,
        store_url: str | None = None,
        passphrase: PassphraseSource | None = None,
        writable: bool = False,
        clock: Clock | None = None,
        settings: Mapping[str, str] | None = None,
    ) -> LedgerService:
        """Open the ledger in ``home``; with ``writable``, load its signing keys."""
        config = home.config()
        ledger_id = UUID(config.ledger_id)
        env = {**_env(home, ledger_id, store_url or config.store), **(settings or {})}
        office_key = checkpoint_key = None
        if writable:
            office_key = cls._load(home, config.office_key, "office key", passphrase)
            checkpoint_key = (
                office_key
                if config.checkpoint_key == config.office_key
                else cls._load(home, config.checkpoint_key, "checkpoint key", passphrase)
            )
        sealer = _sealer(ledger_id, office_key, clock) if office_key else None
        app = LedgerApplication(ledger_id, env, sealer)
        return cls(home, config, app, office_key, checkpoint_key, clock)

    @staticmethod
    def _load(
        home: LedgerHome, key_id: str, label: str, passphrase: PassphraseSource | None
    ) -> SigningKey:
        secret = None
        if home.key_is_encrypted(key_id):
            secret = passphrase(label) if passphrase else None
        return home.load_key(key_id, secret)

    # --- writing -----------------------------------------------------------------------------

    def publish_checkpoint(self) -> Checkpoint:
        """Sign a checkpoint of the log head and keep it in the home."""
        if self.checkpoint_key is None:
            raise InputError(
                "open the ledger for writing to sign a checkpoint",
                zh="须以写入方式打开台账，才能签署检查点",
            )
        saved = self.home.read_tree()
        resume = TreeState(saved[0], saved[1], saved[2]) if saved else None
        try:
            checkpoint, tree = self.app.checkpoint(self.checkpoint_key, resume)
        except ValueError:
            checkpoint, tree = self.app.checkpoint(self.checkpoint_key, None)
        self.home.write_checkpoint(checkpoint.text(), tree.size, tree.row, tree.peaks)
        return checkpoint

    def _written(self) -> None:
        """After a write has landed: sign a checkpoint of the new head, and bring the read index
        up to date (unless :attr:`index_on_write` is off). The index is a cache: if it cannot
        follow, the write stands and :attr:`index_problem` says why."""
        self.publish_checkpoint()
        self.index_problem = None
        if not self.index_on_write:
            return
        try:
            self.index().close()
        except (LedgerError, sqlite3.Error, PersistenceError, OSError) as e:
            self.index_problem = f"{type(e).__name__}: {e}"

    def register_member(
        self, name: str, title: str = "", occurred_at: datetime | None = None
    ) -> Member:
        """Enter a member on the roster."""
        member = self.app.register_member(name, title, occurred_at)
        self._written()
        return member

    def register_key(
        self,
        key: SigningKey,
        *,
        holder: str,
        purposes: tuple[str, ...],
        label: str = "",
        occurred_at: datetime | None = None,
    ) -> None:
        """Register a public key whose private half is at hand (it signs its own registration)."""
        self.app.register_key(
            key, holder=holder, purposes=purposes, label=label, occurred_at=occurred_at
        )
        self._written()

    def rotate_office_key(
        self, passphrase: bytes | None, occurred_at: datetime | None = None
    ) -> SigningKey:
        """Replace the office key (and the checkpoint key, where it is the same) by a new one."""
        old = self.config.office_key
        current = self.app.key(old) if old != self.config.genesis_key else None
        purposes = current.purposes if current else ("record", "checkpoint", "act")
        new = SigningKey.generate()
        self.home.save_key(new, passphrase)
        holder = current.holder if current else OFFICE
        self.app.register_key(
            new,
            holder=holder,
            purposes=purposes,
            replaces=old,
            label="rotation",
            occurred_at=occurred_at,
        )
        same = self.config.checkpoint_key == old
        self.config = self.config.model_copy(
            update={
                "office_key": new.key_id,
                "checkpoint_key": new.key_id if same else self.config.checkpoint_key,
            }
        )
        self.home.save_config(self.config)
        self.office_key = new
        if same:
            self.checkpoint_key = new
        self.app.recorder.sealer = _sealer(self.ledger_id, new, self.clock)  # type: ignore[attr-defined]
        self._written()
        return new

    def revoke_key(self, key_id: str, reason: str, occurred_at: datetime | None = None) -> None:
        """Revoke a key; the office key in use cannot revoke itself here."""
        if key_id == self.config.office_key:
            raise InputError(
                "this is the office key in use: rotate it first ('ledger key rotate'), "
                "then revoke the old one",
                zh="这是正在使用的办公室密钥：请先轮换（'ledger key rotate'），再吊销旧密钥",
            )
        self.app.revoke_key(key_id, reason, occurred_at)
        self._written()

    def record(
        self,
        acts: Sequence[Act],
        *,
        base_dir: Path | None = None,
        now: datetime | None = None,
        signers: Mapping[UUID, SigningKey] | None = None,
        transcription: TranscriptionSource | None = None,
    ) -> RecordResult:
        """Record a batch of acts atomically: all of them, or (on the first refusal) none.
        With ``transcription``, the batch is marked transcribed from that paper record.

        Materials given as file paths (relative to ``base_dir``) are kept in the content store
        once the batch has landed.
        """
        content = ContentStore(self.home.content_dir)
        staged: dict[str, bytes] = {}

        def resolve(material: str) -> str:
            digest, data = content.stage(material, base_dir)
            if data is not None:
                staged[digest] = data
            return digest

        batch = Batch(
            self.app,
            resolve_material=resolve,
            parameters=self.rule_parameters(),
            ruleset_version=self.ruleset_version(),
            now=now,
            signers=signers,
        )
        batch.apply_all(list(acts))
        if transcription is not None:
            batch.transcribe(transcription)
        idle = set(signers or {}) - batch.signed_by
        if idle:
            raise InputError(
                "a personal key was given, but no act in the batch is its holder's own act "
                f"(holder {', '.join(sorted(map(str, idle)))}); nothing was written",
                zh="给出了个人密钥，但本批中没有其持有人本人的行为"
                f"（持有人 {'、'.join(sorted(map(str, idle)))}）；未写入任何内容",
            )
        head_before = self.app.head()
        count = batch.commit()
        for data in staged.values():
            content.put(data)
        if count:
            self._written()
        first = (head_before.seq if head_before else 0) + 1
        return RecordResult(
            events=count,
            first_position=first if count else None,
            last_position=first + count - 1 if count else None,
            aliases=dict(batch.aliases),
            created=list(batch.created),
        )

    def signers_for(self, keys: Sequence[SigningKey]) -> dict[UUID, SigningKey]:
        """Personal keys by the member who holds them (as registered in the ledger)."""
        signers: dict[UUID, SigningKey] = {}
        for key in keys:
            holder = self.app.key(key.key_id).holder
            try:
                signers[UUID(holder)] = key
            except ValueError:
                raise InputError(
                    f"key {key.key_id} is held by {holder}, not by a member",
                    zh=f"密钥 {key.key_id} 的持有人是 {holder}，不是委员",
                ) from None
        return signers

    def ruleset(self) -> RuleSetAdopted | None:
        """The rule set adopted in this ledger, if any (else the catalogue's defaults apply)."""
        try:
            ruleset: RuleSet = self.app.repository.get(ruleset_id(self.ledger_id))
        except AggregateNotFoundError:
            return None
        return ruleset.current

    def rule_parameters(self) -> dict[str, dict[str, Any]]:
        """The parameters of the rule set in force: the adopted one, else the defaults."""
        return parameters_of(self.ruleset())

    def ruleset_version(self) -> str:
        """The version of the rule set in force (``default`` when none was adopted)."""
        adopted = self.ruleset()
        return adopted.version if adopted else "default"

    def adopt_ruleset(self, adopted: RuleSetAdopted, occurred_at: datetime | None = None) -> None:
        """Record a rule set as the one in force."""
        self._adopt(RuleSet, ruleset_id(self.ledger_id), adopted, occurred_at)

    def adopt_calendar(self, adopted: CalendarAdopted, occurred_at: datetime | None = None) -> int:
        """Record a year's working-day calendar (the last adoption of a year is the one used);
        the new event's log position."""
        return self._adopt(
            Calendar, calendar_id(self.ledger_id, adopted.year), adopted, occurred_at
        )

    def _adopt(
        self,
        kind: type[RuleSet] | type[Calendar],
        stream: UUID,
        adopted: RuleSetAdopted | CalendarAdopted,
        occurred_at: datetime | None,
    ) -> int:
        """Adopt a document (a rule set, a year's calendar) on its stream: the first adoption
        starts the stream, a later one replaces it. The new event's log position."""
        try:
            current: Any = self.app.repository.get(stream)
        except AggregateNotFoundError:
            current = None
        event = kind.Adopted if current is None else kind.Readopted
        envelope = self.app.envelope(stream, event, adopted, actor=OFFICE, occurred_at=occurred_at)
        if current is None:
            self.app.store(kind.adopt_first(stream, adopted, envelope))  # type: ignore[arg-type]
        else:
            current.adopt(adopted, envelope)
            self.app.store(current)
        self._written()
        head = self.app.head()
        return head.seq if head is not None else 0

    # --- reading -----------------------------------------------------------------------------

    def index(self, on_progress: Callable[[int], None] | None = None) -> LedgerIndex:
        """The read index, brought up to date with the log (each event applied once)."""
        index = LedgerIndex(self.home.index_path)
        if index.outdated:
            index.close()  # made by another version of the index: make it again
            return self.rebuild_index(on_progress)
        try:
            self._catch_up(index, on_progress)
        except MissingNodeError:
            index.close()  # an index from before the tree was kept: make it again
            return self.rebuild_index(on_progress)
        return index

    def reader(self) -> Reader:
        """Answers to read questions (trace, archive, history, person) from the index."""
        return Reader(self.index(), self.app.rows_at, self.app.rows)

    def rebuild_index(self, on_progress: Callable[[int], None] | None = None) -> LedgerIndex:
        """Build the read index again from the events alone, into a new file that replaces the
        old one only once it is complete (a rebuild cut short leaves the old index in place).
        Rebuilds take turns; each first clears what a rebuild killed earlier left behind."""
        import fcntl

        final = self.home.index_path
        with open(self.home.path / ".index.rebuild.lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or the process dies
            for leftover in self.home.path.glob(f".{final.name}.*.rebuild*"):
                leftover.unlink(missing_ok=True)
            building = final.with_name(f".{final.name}.{uuid4().hex}.rebuild")
            try:
                index = LedgerIndex(building, bulk=True)
                try:
                    self._catch_up(index, on_progress)
                    index.finish_bulk()
                finally:
                    index.close()
                for suffix in ("-wal", "-shm"):
                    Path(str(final) + suffix).unlink(missing_ok=True)
                os.replace(building, final)
            finally:
                for suffix in ("", "-wal", "-shm"):
                    Path(str(building) + suffix).unlink(missing_ok=True)
        return LedgerIndex(final)

    def _catch_up(self, index: LedgerIndex, on_progress: Callable[[int], None] | None) -> None:
        index.catch_up(lambda after: self.app.rows(after=after, page=5000), on_progress)

    def verify(
        self,
        *,
        checkpoints: Iterable[Checkpoint] = (),
        use_home_checkpoint: bool = True,
        trusted_key: str | None = None,
        workers: int | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> Report:
        """Verify the whole log against the anchor key and the checkpoints held."""
        held = list(checkpoints)
        if use_home_checkpoint and self.home.checkpoint_path.exists():
            held.append(read_checkpoint(self.home.checkpoint_path))
        verifier = Verifier(
            anchor=trusted_key or self.config.genesis_key,
            checkpoints=held,
            workers=workers,
            on_progress=on_progress,
        )
        return verifier.verify(self.app.rows(), expected_rows=self.app.count_rows())


@dataclass(frozen=True)
class RecordResult:
    """What a recorded batch produced."""

    events: int
    first_position: int | None
    last_position: int | None
    aliases: dict[str, UUID]
    created: list[tuple[str, UUID]]


def ruleset_id(ledger_id: UUID) -> UUID:
    """The stream of a ledger's rule set."""
    return uuid5(NAMESPACE_URL, f"ledger:{ledger_id}/ruleset")


def calendar_id(ledger_id: UUID, year: int) -> UUID:
    """The stream of a ledger's working-day calendar for ``year``."""
    return uuid5(NAMESPACE_URL, f"ledger:{ledger_id}/calendar/{year}")


def read_checkpoint(path: Path) -> Checkpoint:
    """Read and parse a checkpoint file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise KeyFileError(
            f"cannot read checkpoint {path}: {e}", zh=f"无法读取检查点 {path}：{e}"
        ) from e
    try:
        return parse_checkpoint(text)
    except CheckpointFormatError as e:
        raise CheckpointFormatError(
            f"{path} is not a signed checkpoint: {e}", zh=f"{path} 不是签名检查点：{zh_text(e)}"
        ) from e
