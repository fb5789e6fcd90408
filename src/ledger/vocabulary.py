"""The record's words as the reader says them: trace roles and their details, archive sections,
posts, and one line per event of a matter's history.

The projections name roles and sections in English (``projections/trace.py``) and summarise
events in English for JSON (``projections/views.py``); they stay as they are. This is the CLI
edge's mapping of those names to catalogue entries (``i18n.py``). Free text of the record (a
research summary, a reason, a party consulted) is shown as recorded; values of the record
(a stance, a vote method, an outcome, a post) in the reader's language.
"""

from __future__ import annotations

import re
from typing import Any

from ledger.i18n import CATALOGUE, Lang, message, term, terms

_TALLY_ONLY = re.compile(r"voted \((\w+): tally only\)")
_TALLY = re.compile(r"(\d+) for, (\d+) against, (\d+) abstaining")
_BALLOT = re.compile(r"(\w+) \((\w+)\)")
_CONSULTED = re.compile(r"(\w+):\s?(.*)", re.DOTALL)
_ON_LEAVE = "on leave: "
_OFFICE = "office"  # ledger.domain.events.OFFICE, without importing the domain at start-up


def person(lang: Lang, name: str) -> str:
    """A person's name; the office in the reader's language."""
    return message(lang, "person.office") if name == _OFFICE else name


def role(lang: Lang, name: str) -> str:
    """A trace role (``Role.role``) in the reader's language."""
    tally = _TALLY_ONLY.fullmatch(name)
    if tally is not None:
        return message(lang, "role.voted (tally only)", method=term(lang, "method", tally[1]))
    return term(lang, "role", name)


def roles(lang: Lang, names: str) -> str:
    """Several roles as the trace joins them (``"stated an opinion, voted"``)."""
    return terms(lang, "role", names.split(", ")) if names else names


def detail(lang: Lang, role_name: str, text: str) -> str:
    """A role's detail: values of the record translated, free text as recorded."""
    if lang == "en" or not text:
        return text
    if role_name in ("stated an opinion", "written view (not counted)"):
        return term(lang, "stance", text)
    if role_name == "announced":
        return term(lang, "outcome", text)
    if role_name == "found responsible":
        return term(lang, "degree", text)
    if role_name == "voted" and (ballot := _BALLOT.fullmatch(text)) is not None:
        return message(
            lang,
            "detail.ballot",
            choice=term(lang, "choice", ballot[1]),
            method=term(lang, "method", ballot[2]),
        )
    if role_name.startswith("voted (") and (tally := _TALLY.fullmatch(text)) is not None:
        return message(
            lang, "detail.tally", votes_for=tally[1], votes_against=tally[2], abstentions=tally[3]
        )
    if role_name == "consulted" and (consulted := _CONSULTED.fullmatch(text)) is not None:
        kind = term(lang, "consultation", consulted[1])
        if kind != consulted[1]:
            return message(lang, "detail.consulted", kind=kind, outcome=consulted[2])
    if role_name == "absent" and text.startswith(_ON_LEAVE):
        return message(lang, "detail.on_leave", reason=text.removeprefix(_ON_LEAVE))
    return term(lang, "detail", text)


def posts(lang: Lang, values: list[str] | tuple[str, ...]) -> str:
    """A member's posts (``Post`` values), as the reader names them."""
    return terms(lang, "post", values)


def summary(lang: Lang, event_type: str, payload: Any, names: dict[str, str]) -> str:
    """One readable line for an event of a matter's history (the catalogue's ``history.*``;
    in English the same line as ``projections.views.summarise``, which the JSON carries)."""
    key = f"history.{event_type}"
    if key not in CATALOGUE:
        return event_type  # an event type the history has no line for: its name
    p = payload if isinstance(payload, dict) else {}

    def who(field: str) -> str:
        value = p.get(field, "")
        return names.get(str(value), str(value))

    def text(field: str) -> str:
        value = p.get(field)
        return "" if value is None else str(value)

    values: dict[str, object] = {
        field: text(field)
        for field in (
            "title",
            "summary",
            "party",
            "reason",
            "task",
            "conclusion",
            "corrects",
            "channel",
        )
    }
    values |= {field: who(field) for field in ("by", "member", "chair", "to", "in_charge")}
    values |= {
        "kind": term(lang, "consultation", text("kind")),
        "stance": term(lang, "stance", text("stance")),
        "method": term(lang, "method", text("method")),
        "outcome": term(lang, "outcome", text("outcome")),
        "present": len(p.get("present", [])),
        "roster": len(p.get("roster", [])),
        "votes_for": p.get("votes_for"),
        "votes_against": p.get("votes_against"),
        "abstentions": p.get("abstentions", 0),
    }
    return message(lang, key, **values)
