"""The domain: aggregates and their events, by noun. Imports nothing from the edges."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eventsourcing.domain import Aggregate

from ledger.domain.events import LedgerCreated, LedgerEvent, Payload
from ledger.domain.key import Key
from ledger.domain.ledger import Ledger
from ledger.domain.member import Member


@dataclass(frozen=True)
class EventType:
    """One event type on the record: its stable name, class, aggregate and payload model."""

    name: str
    event_class: type[Any]
    aggregate_class: type[Aggregate]
    payload_model: type[Payload]
    starts_stream: bool


def _types(aggregate: type[Aggregate], *events: type[Any]) -> list[EventType]:
    return [
        EventType(e.TYPE, e, aggregate, e.PAYLOAD, issubclass(e, LedgerCreated)) for e in events
    ]


EVENT_TYPES: dict[str, EventType] = {
    t.name: t
    for t in (
        *_types(Ledger, Ledger.Initialised),
        *_types(Key, Key.Registered, Key.Revoked),
        *_types(Member, Member.Registered),
    )
}
"""Every event type on the record, by its stable name."""

__all__ = ["EVENT_TYPES", "EventType", "Key", "Ledger", "LedgerCreated", "LedgerEvent", "Member"]
