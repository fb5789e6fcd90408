"""Between domain events and stored records.

Writing, the mapper turns a domain event into a :class:`DraftStoredEvent`: the event's act and
body, not yet sealed; the recorder seals it at the head of the chain inside its write lock.
Reading, it decodes the record and rebuilds the domain event from its payload.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import get_topic
from pydantic import ValidationError

from ledger.domain import EVENT_TYPES
from ledger.domain.events import LedgerCreated, LedgerEvent
from ledger.errors import RecordDecodeError
from ledger.integrity.canonical import format_time, parse_time
from ledger.integrity.record import Draft, Signature, decode_record, encode_body


@dataclass(frozen=True)
class DraftStoredEvent(StoredEvent):
    """A stored event whose ``state`` the recorder fills in by sealing ``draft``."""

    draft: Draft | None = None


def draft_of(ledger_id: str, event: LedgerEvent | LedgerCreated) -> Draft:
    """The draft of a domain event: its act and canonical body."""
    payload = event.payload.model_dump(mode="json")
    body, commitment = encode_body(payload, event.salt)
    return Draft(
        ledger=ledger_id,
        stream=str(event.originator_id),
        version=event.originator_version,
        type=event.TYPE,
        occurred_at=format_time(event.occurred_at),
        actor=event.actor,
        commitment=commitment,
        endorsements=tuple(s for s in event.endorsements if isinstance(s, Signature)),
        body=body,
    )


class LedgerMapper(Mapper[UUID]):
    """Maps ledger events to draft records and sealed records back to ledger events."""

    def __init__(self, ledger_id: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ledger_id = ledger_id

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        if not isinstance(domain_event, (LedgerEvent, LedgerCreated)):
            raise TypeError(f"not a ledger event: {type(domain_event).__name__}")
        draft = draft_of(self.ledger_id, domain_event)
        return DraftStoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=draft.type,
            state=b"",
            draft=draft,
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        record = decode_record(stored_event.state)
        header = record.header
        event_type = EVENT_TYPES.get(header["type"])
        if event_type is None:
            raise RecordDecodeError(f"unknown event type {header['type']!r}")
        if record.withheld:
            raise RecordDecodeError(
                f"the payload of event {header['seq']} is withheld; its stream cannot be rebuilt"
            )
        try:
            payload_json = json.dumps(record.body["payload"])
            payload = event_type.payload_model.model_validate_json(payload_json)
        except ValidationError as e:
            raise RecordDecodeError(f"event {header['seq']}: payload does not validate: {e}") from e
        kwargs: dict[str, Any] = {
            "originator_id": UUID(header["stream"]),
            "originator_version": header["version"],
            "timestamp": parse_time(header["recorded_at"]),
            "occurred_at": parse_time(header["occurred_at"]),
            "actor": header["actor"],
            "salt": bytes.fromhex(record.body["salt"]),
            "payload": payload,
            "endorsements": tuple(s for s in record.signatures if s.role == "act"),
        }
        if event_type.starts_stream:
            kwargs["originator_topic"] = get_topic(event_type.aggregate_class)
        event: DomainEventProtocol[UUID] = event_type.event_class(**kwargs)
        return event
