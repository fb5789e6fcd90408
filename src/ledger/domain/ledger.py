"""The ledger itself: its genesis event names it and its ledger key."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.domain.events import Envelope, LedgerCreated, Payload, envelope_kwargs


class LedgerInitialised(Payload):
    """Genesis: the ledger's name, the organisation it records, and its ledger key."""

    name: str
    ledger_key: str


class Ledger(Aggregate):
    """A ledger (one organisation's record). Its id is the ledger id; its first event is the
    first event of the log."""

    class Initialised(LedgerCreated):
        TYPE = "ledger.initialised"
        PAYLOAD = LedgerInitialised

        def apply(self, aggregate: Ledger) -> None:
            aggregate.name = self.payload.name
            aggregate.ledger_key = self.payload.ledger_key

    name: str
    ledger_key: str

    def __init__(self) -> None:
        pass

    @classmethod
    def initialise(cls, ledger_id: UUID, payload: LedgerInitialised, envelope: Envelope) -> Ledger:
        """Start a ledger (genesis)."""
        return cls._create(cls.Initialised, id=ledger_id, **envelope_kwargs(envelope, payload))
