"""What every ledger event carries, whatever it records.

Each event is an eventsourcing aggregate event (a frozen dataclass) with an envelope and a payload:

* ``occurred_at``: when the act happened, as claimed by whoever records it;
* ``actor``: who performed the act (a member id, ``office`` or ``ledger``);
* ``salt``: 256 random bits that make the payload's commitment unguessable;
* ``payload``: a strict, frozen pydantic model: the facts of the act;
* ``endorsements``: the actor's own signatures over the act, when the actor signed it.

``TYPE`` is the event's stable name on the record (``member.registered``); Python class paths
may move, record types never do.

An event class registers itself where it is declared (``__init_subclass__`` below): declaring
``TYPE`` and ``PAYLOAD`` on a class nested in its aggregate is all it takes for the mapper, the
facts and the catalogue test to know it (``registered_event_types``).
"""

from __future__ import annotations

import sys
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


@dataclass(frozen=True)
class EventType:
    """One event type on the record: its stable name, class, aggregate and payload model."""

    name: str
    event_class: type[Any]
    aggregate_class: type[Aggregate]
    payload_model: type[Payload]
    starts_stream: bool


_DECLARED: dict[str, type[Any]] = {}
"""Every event class by its ``TYPE``, in the order declared (filled by ``_register``)."""


def _register(cls: type[Any]) -> None:
    """Record ``cls`` under its ``TYPE``: once where it is declared, and again (replacing it) when
    eventsourcing redefines it as a subclass of its aggregate's base event (same ``TYPE``)."""
    name = cls.__dict__.get("TYPE", "")
    if name:
        if name in _DECLARED:
            raise TypeError(
                f"event type {name!r} is declared twice: "
                f"{_DECLARED[name].__qualname__} and {cls.__qualname__}"
            )
        if "PAYLOAD" not in cls.__dict__:
            raise TypeError(f"{cls.__qualname__} declares TYPE {name!r} without a PAYLOAD")
        _DECLARED[name] = cls
        return
    inherited = getattr(cls, "TYPE", "")
    if not inherited:
        return  # a base of other events, with no type of its own
    declared = _DECLARED[inherited]
    if cls.__qualname__ != declared.__qualname__ or cls.__module__ != declared.__module__:
        raise TypeError(
            f"{cls.__qualname__} inherits the event type {inherited!r} of "
            f"{declared.__qualname__}; declare a TYPE of its own"
        )
    _DECLARED[inherited] = cls  # eventsourcing's redefinition, under the same name


def _aggregate_of(cls: type[Any]) -> type[Aggregate]:
    """The aggregate an event class is declared in: the owner named by its ``__qualname__``,
    unless the class names one explicitly (``AGGREGATE``)."""
    explicit = getattr(cls, "AGGREGATE", None)
    if explicit is not None:
        return explicit  # type: ignore[no-any-return]
    owner: Any = sys.modules[cls.__module__]
    for part in cls.__qualname__.split(".")[:-1]:
        owner = getattr(owner, part)
    if not (isinstance(owner, type) and issubclass(owner, Aggregate)):
        raise TypeError(f"{cls.__qualname__} is not declared inside an aggregate; set AGGREGATE")
    return owner


def registered_event_types() -> dict[str, EventType]:
    """Every event type declared so far, by its stable name, in the order declared."""
    return {
        name: EventType(name, cls, _aggregate_of(cls), cls.PAYLOAD, issubclass(cls, LedgerCreated))
        for name, cls in _DECLARED.items()
    }


class LedgerEvent(Aggregate.Event):
    """Base of every event on the ledger."""

    TYPE: ClassVar[str] = ""
    PAYLOAD: ClassVar[type[Payload]]
    occurred_at: datetime
    actor: str
    salt: bytes
    payload: Any
    endorsements: tuple[Any, ...]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _register(cls)


class LedgerCreated(Aggregate.Created):
    """Base of every event that starts a stream."""

    TYPE: ClassVar[str] = ""
    PAYLOAD: ClassVar[type[Payload]]
    occurred_at: datetime
    actor: str
    salt: bytes
    payload: Any
    endorsements: tuple[Any, ...]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _register(cls)


def envelope_kwargs(envelope: Envelope, payload: Payload) -> dict[str, Any]:
    """Keyword arguments for triggering an event with ``envelope`` and ``payload``."""
    return {
        "occurred_at": envelope.occurred_at,
        "actor": envelope.actor,
        "salt": envelope.salt,
        "endorsements": envelope.endorsements,
        "payload": payload,
    }
