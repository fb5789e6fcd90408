"""Public keys, registered, rotated and revoked as events.

Verification at any position uses the keys valid there (docs/format.md, "Keys"). A key is
registered for purposes: ``record`` (the office signs events), ``act`` (a member signs their own
acts), ``checkpoint`` (signs checkpoints of the log head). Registering a key that ``replaces``
another retires the old one from that position on (rotation); revoking a key makes every later
signature by it invalid, while what it signed before stays valid.
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from ledger.domain.events import Envelope, LedgerCreated, LedgerEvent, Payload, envelope_kwargs
from ledger.errors import KeyStateError

PURPOSES = ("record", "act", "checkpoint")


class KeyRegistered(Payload):
    """A public key enters the ledger, for a holder and purposes."""

    public_key: str
    holder: str
    purposes: tuple[str, ...]
    replaces: str | None = None
    label: str = ""


class KeyRevoked(Payload):
    """A key may sign nothing from here on (lost, compromised, holder left)."""

    key: str
    reason: str


def key_stream_id(ledger_id: UUID, key_id: str) -> UUID:
    """The stream of a key: derived from the ledger and the public key, so it is unique."""
    return uuid5(NAMESPACE_URL, f"ledger:{ledger_id}/key/{key_id}")


class Key(Aggregate):
    """A registered public key and its state."""

    class Registered(LedgerCreated):
        TYPE = "key.registered"
        PAYLOAD = KeyRegistered

        def apply(self, aggregate: Key) -> None:
            aggregate.key_id = self.payload.public_key
            aggregate.holder = self.payload.holder
            aggregate.purposes = self.payload.purposes
            aggregate.replaces = self.payload.replaces
            aggregate.revoked = False

    class Revoked(LedgerEvent):
        TYPE = "key.revoked"
        PAYLOAD = KeyRevoked

        def apply(self, aggregate: Key) -> None:
            aggregate.revoked = True

    key_id: str
    holder: str
    purposes: tuple[str, ...]
    replaces: str | None
    revoked: bool

    def __init__(self) -> None:
        pass

    @classmethod
    def register(cls, ledger_id: UUID, payload: KeyRegistered, envelope: Envelope) -> Key:
        """Register a public key (the envelope carries the key's own proof-of-possession)."""
        unknown = set(payload.purposes) - set(PURPOSES)
        if unknown or not payload.purposes:
            raise KeyStateError(
                f"key purposes must be among {', '.join(PURPOSES)}; "
                f"got {sorted(unknown) or 'none'}",
                zh=f"密钥用途只能取 {', '.join(PURPOSES)} 中的一项或几项；"
                f"收到的是 {sorted(unknown) or '无'}",
            )
        return cls._create(
            cls.Registered,
            id=key_stream_id(ledger_id, payload.public_key),
            **envelope_kwargs(envelope, payload),
        )

    def revoke(self, reason: str, envelope: Envelope) -> None:
        """Revoke this key."""
        if self.revoked:
            raise KeyStateError(
                f"key {self.key_id} is already revoked", zh=f"密钥 {self.key_id} 已经吊销"
            )
        self.trigger_event(
            self.Revoked, **envelope_kwargs(envelope, KeyRevoked(key=self.key_id, reason=reason))
        )
