"""The ledger application: eventsourcing's ``Application`` with the sealing recorder, and the use
cases that write (``initialise``, ``register_member``, ``register_key``, ``revoke_key``) and read
the log in order (``rows``) for verification and checkpoints.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError as StoreIntegrityError
from eventsourcing.persistence import JSONTranscoder, Mapper

from ledger.domain.events import LEDGER, OFFICE, Envelope, Payload
from ledger.domain.key import Key, KeyRegistered, key_stream_id
from ledger.domain.ledger import DEFAULT_LEVEL, Ledger, LedgerInitialised, Level
from ledger.domain.member import Member, MemberRegistered
from ledger.errors import ConcurrentWriteError, InputError, UnknownKeyError, UnknownMemberError
from ledger.integrity.canonical import format_time
from ledger.integrity.checkpoint import Checkpoint, origin_of, sign_checkpoint
from ledger.integrity.digest import new_salt
from ledger.integrity.keys import SigningKey
from ledger.integrity.merkle import TreeAccumulator
from ledger.integrity.record import (
    ChainHead,
    Record,
    Sealer,
    decode_record,
    encode_body,
    endorse,
    head_of,
)
from ledger.integrity.verify import StoredRow
from ledger.store.mapper import LedgerMapper

PAGE = 1000


class LedgerApplication(Application[UUID]):
    """One ledger's event store and use cases."""

    name = "Ledger"

    def __init__(self, ledger_id: UUID, env: dict[str, str], sealer: Sealer | None) -> None:
        self.ledger_id = ledger_id
        super().__init__(env)
        self.recorder.sealer = sealer  # type: ignore[attr-defined]

    def construct_mapper(self) -> Mapper[UUID]:
        return LedgerMapper(str(self.ledger_id), transcoder=JSONTranscoder())

    # --- writing -----------------------------------------------------------------------------

    def envelope(
        self,
        stream: UUID,
        event_class: type[Any],
        payload: Payload | None = None,
        *,
        actor: str,
        occurred_at: datetime | None,
        signer: SigningKey | None = None,
    ) -> Envelope:
        """The envelope of an act; with ``signer``, the actor's own signature over it."""
        moment = occurred_at or datetime.now(UTC)
        salt = new_salt()
        endorsements: tuple[Any, ...] = ()
        if signer is not None:
            if payload is None:
                raise ValueError("an endorsed act needs its payload")
            _, commitment = encode_body(payload.model_dump(mode="json"), salt)
            act = {
                "ledger": str(self.ledger_id),
                "stream": str(stream),
                "type": event_class.TYPE,
                "occurred_at": format_time(moment),
                "actor": actor,
                "payload": commitment,
            }
            endorsements = (endorse(signer, act),)
        return Envelope(moment, actor, salt, endorsements)

    def store(self, *aggregates: Any) -> None:
        """Save aggregates' new events as one atomic batch."""
        try:
            self.save(*aggregates)
        except StoreIntegrityError as e:
            raise ConcurrentWriteError(
                "another writer changed the same record first; nothing was written, "
                "run the command again",
                zh="另一写入方先修改了同一记录；未写入任何内容，请重新运行该命令",
            ) from e

    def initialise(
        self,
        name: str,
        ledger_key: SigningKey,
        occurred_at: datetime | None,
        level: Level = DEFAULT_LEVEL,
    ) -> None:
        """Genesis: the ledger names itself, its level and its ledger key (self-signed)."""
        payload = LedgerInitialised(name=name, ledger_key=ledger_key.key_id, level=level)
        envelope = self.envelope(
            self.ledger_id, Ledger.Initialised, payload, actor=LEDGER, occurred_at=occurred_at
        )
        self.store(Ledger.initialise(self.ledger_id, payload, envelope))

    def register_key(
        self,
        key: SigningKey,
        *,
        holder: str,
        purposes: tuple[str, ...],
        replaces: str | None = None,
        label: str = "",
        occurred_at: datetime | None = None,
    ) -> Key:
        """Register ``key`` (its own signature proves possession); optionally replacing one."""
        if holder not in (OFFICE, LEDGER):
            self.member(holder)
        old = self.key(replaces) if replaces and replaces != self.genesis_key() else None
        if old is not None and old.revoked:
            raise InputError(f"key {replaces} is revoked; register a new key without --replaces")
        payload = KeyRegistered(
            public_key=key.key_id, holder=holder, purposes=purposes, replaces=replaces, label=label
        )
        stream = key_stream_id(self.ledger_id, key.key_id)
        try:
            self.repository.get(stream)
        except AggregateNotFoundError:
            pass
        else:
            raise InputError(f"key {key.key_id} is already registered")
        envelope = self.envelope(
            stream, Key.Registered, payload, actor=holder, occurred_at=occurred_at, signer=key
        )
        registered = Key.register(self.ledger_id, payload, envelope)
        self.store(registered)
        return registered

    def revoke_key(self, key_id: str, reason: str, occurred_at: datetime | None = None) -> None:
        """Revoke a key from this position on."""
        key = self.key(key_id)
        envelope = self.envelope(key.id, Key.Revoked, actor=OFFICE, occurred_at=occurred_at)
        key.revoke(reason, envelope)
        self.store(key)

    def register_member(
        self, name: str, title: str = "", occurred_at: datetime | None = None
    ) -> Member:
        """Enter a member on the roster."""
        member_id = uuid4()
        payload = MemberRegistered(name=name, title=title)
        envelope = self.envelope(
            member_id, Member.Registered, payload, actor=OFFICE, occurred_at=occurred_at
        )
        member = Member.register(member_id, payload, envelope)
        self.store(member)
        return member

    # --- reading -----------------------------------------------------------------------------

    def genesis_key(self) -> str:
        """The ledger key named by the genesis event."""
        ledger: Ledger = self.repository.get(self.ledger_id)
        return ledger.ledger_key

    def level(self) -> Level:
        """The level of the committee the ledger records (genesis; a county when it names none)."""
        ledger: Ledger = self.repository.get(self.ledger_id)
        return ledger.level

    def key(self, key_id: str) -> Key:
        """The key aggregate of ``key_id``."""
        try:
            key: Key = self.repository.get(key_stream_id(self.ledger_id, key_id))
        except AggregateNotFoundError:
            raise UnknownKeyError(f"no key {key_id} is registered in this ledger") from None
        return key

    def member(self, member_id: str) -> Member:
        """The member aggregate of ``member_id``."""
        try:
            member: Member = self.repository.get(UUID(member_id))
        except (ValueError, AggregateNotFoundError):
            raise UnknownMemberError(f"no member {member_id} in this ledger") from None
        return member

    def rows(
        self, after: int | None = None, page: int = PAGE, types: Sequence[str] = ()
    ) -> Iterator[list[StoredRow]]:
        """Stored rows in log order (after storage row ``after``; only ``types`` if given),
        a page at a time."""
        start = after
        while True:
            notifications = self.recorder.select_notifications(
                start, page, topics=types, inclusive_of_start=False
            )
            if not notifications:
                return
            yield [
                StoredRow(n.id, str(n.originator_id), n.originator_version, n.topic, n.state)
                for n in notifications
            ]
            start = notifications[-1].id

    def rows_at(self, ids: Sequence[int]) -> list[StoredRow]:
        """The stored rows with these storage ids, in log order."""
        return [
            StoredRow(n.id, str(n.originator_id), n.originator_version, n.topic, n.state)
            for n in self.recorder.select_rows(ids)  # type: ignore[attr-defined]
        ]

    def event_at(self, position: int) -> Record | None:
        """The decoded record at log ``position`` (storage ids never run behind positions)."""
        for page in self.rows(after=position - 1, page=64):
            for row in page:
                record = decode_record(row.state)
                if record.seq == position:
                    return record
                if record.seq > position:
                    return None
        return None

    def count_rows(self) -> int:
        """The storage's highest row number (an upper bound on the count)."""
        return self.recorder.max_notification_id() or 0

    def head(self) -> ChainHead | None:
        """The newest event's position and hash, as stored."""
        maximum = self.count_rows()
        last = self.recorder.select_notifications(maximum, 1) if maximum else []
        return head_of(last[0].state) if last else None

    def checkpoint(
        self, key: SigningKey, resume: TreeState | None = None
    ) -> tuple[Checkpoint, TreeState]:
        """Sign a checkpoint of the whole log, extending a saved compact range if given."""
        tree = TreeAccumulator.resume(resume.size, resume.peaks) if resume else TreeAccumulator()
        last_row = resume.row if resume else None
        for page in self.rows(after=last_row):
            for row in page:
                tree.append(head_of(row.state).hash)
                last_row = row.row
        checkpoint = sign_checkpoint(origin_of(str(self.ledger_id)), tree.size, tree.root(), key)
        return checkpoint, TreeState(tree.size, last_row or 0, tree.peaks)


@dataclass(frozen=True)
class TreeState:
    """Where a checkpoint's Merkle compact range ends: size, storage row and peaks."""

    size: int
    row: int
    peaks: list[bytes]
