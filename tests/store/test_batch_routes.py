"""The batch's route table (store/batch.py, ROUTES): each plain act declared once, and declared
so that every field of its event's payload is filled from the act."""

from __future__ import annotations

import pytest

from ledger.i18n import CATALOGUE
from ledger.record import acts as a
from ledger.store.batch import _HANDLERS, _RESOLVE, ROUTES, Route, _kind_zh


@pytest.mark.parametrize("act_class", list(ROUTES), ids=lambda c: c.__name__)
def test_every_payload_field_comes_from_the_act(act_class: type[a.ActBase]) -> None:
    route: Route = ROUTES[act_class]
    payload = route.event.PAYLOAD.model_fields
    refs = dict(route.refs)
    for field, info in payload.items():
        given = field in refs or field in route.at or field in act_class.model_fields
        assert given or not info.is_required(), f"{act_class.__name__}: nothing fills {field}"
    for field, kind in route.refs:
        assert field in act_class.model_fields and field in payload, (act_class, field)
        assert kind in _RESOLVE, (act_class, kind)
    assert route.actor is None or route.actor in payload
    assert route.target is None or route.target in act_class.model_fields
    assert (route.target is None) == (route.alias is not None), act_class


def test_every_act_is_routed_or_handled() -> None:
    union = set(a.Act.__args__[0].__args__)  # type: ignore[attr-defined]
    assert union == set(_HANDLERS)
    assert len(ROUTES) >= 30  # the plain acts are most of them


def test_a_refusal_names_a_kind_in_the_catalogues_words() -> None:
    for key, text in CATALOGUE.items():
        if key.startswith("kind."):
            assert _kind_zh(key.removeprefix("kind.")) == text.zh
    assert _kind_zh("emergencyaction") == "临机处置"  # an aggregate's class name
