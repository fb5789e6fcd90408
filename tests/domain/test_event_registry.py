"""Event classes register themselves where they are declared (style rule 16): no hand-kept list."""

from __future__ import annotations

from typing import Any

import pytest
from eventsourcing.domain import Aggregate

from ledger.domain import EVENT_TYPES, Member
from ledger.domain.events import LedgerCreated, LedgerEvent, Payload, registered_event_types

# The catalogue names every registered type: tests/cli/test_words.py,
# test_every_event_type_has_a_name_in_both_languages.


def _declared(base: type[Any]) -> list[type[Any]]:
    """Every subclass of ``base`` that declares a TYPE of its own (not eventsourcing's copies)."""
    found: list[type[Any]] = []
    for sub in base.__subclasses__():
        if sub.__dict__.get("TYPE"):
            found.append(sub)
        found.extend(_declared(sub))
    return found


def test_every_declared_event_type_is_registered_exactly_once() -> None:
    declared = _declared(LedgerEvent) + _declared(LedgerCreated)
    names = [cls.TYPE for cls in declared]
    assert sorted(names) == sorted(set(names)), "an event type is declared twice"
    assert set(names) == set(EVENT_TYPES)


def test_each_registered_type_is_the_class_its_aggregate_triggers() -> None:
    for name, event_type in EVENT_TYPES.items():
        owner, attribute = event_type.event_class.__qualname__.split(".")
        aggregate = event_type.aggregate_class
        assert aggregate.__name__ == owner and issubclass(aggregate, Aggregate), name
        assert getattr(aggregate, attribute) is event_type.event_class, name
        assert name == event_type.event_class.TYPE
        assert event_type.payload_model is event_type.event_class.PAYLOAD
        assert event_type.starts_stream == issubclass(event_type.event_class, LedgerCreated)
    assert EVENT_TYPES["member.registered"].starts_stream
    assert not EVENT_TYPES["member.left"].starts_stream
    assert EVENT_TYPES["member.left"].aggregate_class is Member


def test_declaring_a_type_twice_is_refused_where_it_is_declared() -> None:
    with pytest.raises(TypeError, match=r"event type 'member.left' is declared twice"):

        class Again(LedgerEvent):
            TYPE = "member.left"
            PAYLOAD = Payload

    assert EVENT_TYPES["member.left"].event_class is Member.Left


def test_a_type_without_a_payload_is_refused() -> None:
    with pytest.raises(TypeError, match=r"declares TYPE 'nothing.happened' without a PAYLOAD"):

        class Nothing(LedgerEvent):
            TYPE = "nothing.happened"

    assert "nothing.happened" not in registered_event_types()


def test_a_subclass_that_would_share_a_type_is_refused() -> None:
    with pytest.raises(TypeError, match=r"inherits the event type 'member.left' of Member.Left"):

        class Departed(Member.Left):
            pass

    assert EVENT_TYPES["member.left"].event_class is Member.Left
    assert registered_event_types()["member.left"].event_class is Member.Left
