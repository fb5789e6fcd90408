"""What every ledger event carries, whatever it records.

Each event is an eventsourcing aggregate event (a frozen dataclass) with an envelope and a payload:

* ``occurred_at``: when the act happened, as claimed by whoever records it;
* ``actor``: who performed the act (a member id, ``office`` or ``ledger``);
* ``salt``: 256 random bits that make the payload's commitment unguessable;
* ``payload``: a strict, frozen pydantic model: the facts of the act;
* ``endorsements``: the actor's own signatures over the act, when the actor signed it.

``TYPE`` is the event's stable name on the record (``member.registered``); Python class paths
may move, record types never do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, ClassVar, get_args, get_origin

from eventsourcing.domain import Aggregate
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, StringConstraints

from ledger.integrity.canonical import MAX_SAFE_INTEGER, format_time

Moment = Annotated[datetime, PlainSerializer(format_time, return_type=str, when_used="json")]
"""A time in a payload: zone-aware, written as UTC with microseconds."""

SafeInt = Annotated[int, Field(ge=-MAX_SAFE_INTEGER, le=MAX_SAFE_INTEGER)]
"""An integer with a canonical JSON form."""

Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
"""Free text on the record (a title, a summary, a reason): never empty."""

Note = Annotated[str, StringConstraints(max_length=20_000)]
"""Optional free text; may be empty."""

MaterialDigest = Annotated[str, StringConstraints(pattern=r"^sha256:[0-9a-f]{64}$")]
"""A material (a report, a plan, minutes) by its SHA-256 digest: the record proves which text."""

OFFICE = "office"
"""The actor name of the committee's general office (办公室), which records proceedings."""

LEDGER = "ledger"
"""The actor name of the ledger itself (genesis, its own key)."""


class Payload(BaseModel):
    """Base of every event payload: strict, frozen, no unknown fields, no floats."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        for name, info in cls.model_fields.items():
            if _mentions_float(info.annotation):
                raise TypeError(
                    f"{cls.__name__}.{name}: floats have no canonical form; use Decimal or str"
                )


def _mentions_float(annotation: Any) -> bool:
    if annotation is float:
        return True
    return get_origin(annotation) is not None and any(
        _mentions_float(arg) for arg in get_args(annotation)
    )


@dataclass(frozen=True)
class Envelope:
    """The envelope fields of an event about to be triggered (built by the application)."""

    occurred_at: datetime
    actor: str
    salt: bytes
    endorsements: tuple[Any, ...] = ()


class LedgerEvent(Aggregate.Event):
    """Base of every event on the ledger."""

    TYPE: ClassVar[str] = ""
    PAYLOAD: ClassVar[type[Payload]]
    occurred_at: datetime
    actor: str
    salt: bytes
    payload: Any
    endorsements: tuple[Any, ...]


class LedgerCreated(Aggregate.Created):
    """Base of every event that starts a stream."""

    TYPE: ClassVar[str] = ""
    PAYLOAD: ClassVar[type[Payload]]
    occurred_at: datetime
    actor: str
    salt: bytes
    payload: Any
    endorsements: tuple[Any, ...]


def envelope_kwargs(envelope: Envelope, payload: Payload) -> dict[str, Any]:
    """Keyword arguments for triggering an event with ``envelope`` and ``payload``."""
    return {
        "occurred_at": envelope.occurred_at,
        "actor": envelope.actor,
        "salt": envelope.salt,
        "endorsements": envelope.endorsements,
        "payload": payload,
    }
