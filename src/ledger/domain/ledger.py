"""The ledger itself: its genesis event names it, the level of the committee it records, and
its ledger key."""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from pydantic import SerializerFunctionWrapHandler, model_serializer

from ledger.domain.events import Envelope, LedgerCreated, Payload, envelope_kwargs


class Level(StrEnum):
    """The level of the Party committee a ledger records. Posts are named by it: a county's
    head of government is the county head (县长), a city's the mayor (市长)."""

    COUNTY = "county"  # 县委
    CITY = "city"  # 市委


DEFAULT_LEVEL = Level.COUNTY
"""The level of a ledger whose genesis names none (made before the level was recorded): the
ledger was written for a county committee."""


class LedgerInitialised(Payload):
    """Genesis: the ledger's name, the organisation it records, its level and its ledger key.

    ``level`` is absent from the genesis of ledgers made before it was recorded, and is then
    left out of the payload (not written as ``null``), so those genesis records keep their
    bytes and a reader takes :data:`DEFAULT_LEVEL`.
    """

    name: str
    ledger_key: str
    level: Level | None = None

    @model_serializer(mode="wrap")
    def _without_absent_level(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if self.level is None and isinstance(data, dict):
            data.pop("level", None)
        return data


class Ledger(Aggregate):
    """A ledger (one organisation's record). Its id is the ledger id; its first event is the
    first event of the log."""

    class Initialised(LedgerCreated):
        TYPE = "ledger.initialised"
        PAYLOAD = LedgerInitialised

        def apply(self, aggregate: Ledger) -> None:
            aggregate.name = self.payload.name
            aggregate.ledger_key = self.payload.ledger_key
            aggregate.level = self.payload.level or DEFAULT_LEVEL

    name: str
    ledger_key: str
    level: Level

    def __init__(self) -> None:
        pass

    @classmethod
    def initialise(cls, ledger_id: UUID, payload: LedgerInitialised, envelope: Envelope) -> Ledger:
        """Start a ledger (genesis)."""
        return cls._create(cls.Initialised, id=ledger_id, **envelope_kwargs(envelope, payload))
