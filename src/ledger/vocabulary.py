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

from ledger.beijing_time import say_date, say_time
from ledger.i18n import CATALOGUE, Lang, message, term, terms

_TALLY_ONLY = re.compile(r"voted \((\w+): tally only\)")
_TALLY = re.compile(r"(\d+) for, (\d+) against, (\d+) abstaining")
_BALLOT = re.compile(r"(\w+) \((\w+)\)")
_CONSULTED = re.compile(r"(\w+):\s?(.*)", re.DOTALL)
_ON_LEAVE = "on leave: "
_OFFICE = "office"  # ledger.domain.events.OFFICE, without importing the domain at start-up
_COUNTY = "county"  # ledger.domain.ledger.DEFAULT_LEVEL, likewise
_DEGREE_RENAMED = {"leading": "principal"}  # ledger.domain.review.RENAMED_DEGREES, likewise


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
    if role_name == "found responsible":
        return degree(lang, text)
    if lang == "en" or not text:
        return text
    if role_name in ("stated an opinion", "written view (not counted)"):
        return term(lang, "stance", text)
    if role_name == "announced":
        return term(lang, "outcome", text)
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


def post(lang: Lang, value: str, level: str = _COUNTY) -> str:
    """A post (a ``Post`` value) as the reader names it at the ledger's ``level``
    (``ledger.domain.ledger.Level``): 县长 in a county, 市长 in a city."""
    leveled = CATALOGUE.get(f"post.{level}.{value}") or CATALOGUE.get(f"post.{_COUNTY}.{value}")
    if leveled is not None:
        return leveled.zh if lang == "zh" else leveled.en
    return term(lang, "post", value)


def posts(lang: Lang, values: list[str] | tuple[str, ...], level: str = _COUNTY) -> str:
    """A member's posts (``Post`` values), as the reader names them at the ledger's level."""
    return ("、" if lang == "zh" else ", ").join(post(lang, str(v), level) for v in values)


def degree(lang: Lang, value: str) -> str:
    """A degree of responsibility (``ledger.domain.review.Degree``) in the terms of the
    accountability regulations; a value stored before the degrees were renamed reads as the
    degree it now is (``leading`` is ``principal``: 主要领导责任)."""
    return term(lang, "degree", _DEGREE_RENAMED.get(value, value))


def rule(lang: Lang, rule_id: str) -> str:
    """A rule as the reader names it: its id in English (what docs and rule-set files cite),
    its Chinese title (``catalogue.py`` ``title_zh``) in Chinese; an unknown id as is."""
    if lang == "en":
        return rule_id
    from ledger.domain.rules.catalogue import RULES_BY_ID

    known = RULES_BY_ID.get(rule_id)
    return known.title_zh if known is not None else rule_id


def event(lang: Lang, event_type: str) -> str:
    """An event type as the reader names it: the type itself in English (what the record
    format and ``ledger log --json`` say), its name (``event.<type>``) in Chinese."""
    if lang == "en":
        return event_type
    return term(lang, "event", event_type)


_VALUE_GROUPS = {"stance": "stance", "ballot": "choice", "outcome": "outcome"}


def corrected_value(lang: Lang, field: str, value: object) -> str:
    """A corrected field's value as the reader says it (a stance, a choice, an outcome, an
    attendance in their words; counts, times and text as recorded)."""
    if value is None:
        return "—"
    group = _VALUE_GROUPS.get(field, "attendance" if field == "attendance" else "")
    return term(lang, group, str(value)) if group else str(value)


def correction_change(lang: Lang, change: dict[str, Any], names: dict[str, str]) -> str:
    """One change of a correction: which field (of whom), from what, to what."""
    field = change["field"]
    values = {
        "field": term(lang, "corrected_field", field),
        "was": corrected_value(lang, field, change.get("original")),
        "now": corrected_value(lang, field, change["value"]),
    }
    member = change.get("member")
    if member:
        return message(
            lang, "trace.correction_change_of", member=names.get(member, member), **values
        )
    return message(lang, "trace.correction_change", **values)


def correction(lang: Lang, c: dict[str, Any], names: dict[str, str]) -> str:
    """A correction as the trace lists it: where, what it changed, why, who recorded it, when."""
    separator = "；" if lang == "zh" else "; "
    changes = separator.join(correction_change(lang, x, names) for x in c["changes"])
    return message(
        lang,
        "trace.correction",
        position=c["position"],
        corrects=c["corrects"],
        changes=changes or message(lang, "trace.correction_words", text=c["correction"]),
        reason=c["reason"],
        actor=person(lang, names.get(c["actor"], c["actor"])),
        at=say_time(lang, c["recorded_at"]),
    )


def corrected_detail(
    lang: Lang, role_name: str, text: str, was_role: str, was: str, by: tuple[int, ...]
) -> str:
    """A role's detail that a correction changed, beside the detail first recorded."""
    now = detail(lang, role_name, text)
    if not by:
        return now
    first = detail(lang, was_role, was) if was_role == role_name else role(lang, was_role)
    joined = ", ".join(map(str, by))
    return message(lang, "trace.corrected", now=now, by=joined, was=first or "—")


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


def history_line(lang: Lang, e: Any, names: dict[str, str]) -> str:
    """One event of a matter's history (``e``, a ``projections.trace.ArchiveEntry``): as
    corrected, with the line first recorded, the correction's position, reason and author
    beside it."""
    payload = e.corrected if e.corrected is not None else e.payload
    line = summary(lang, e.type, payload, names)
    line += " ✍" if e.signed_by_actor else ""
    for c in e.corrections:
        if not c["changes"]:
            continue
        actor = person(lang, names.get(c["actor"], c["actor"]))
        was = summary(lang, e.type, e.payload, names)
        line += message(
            lang,
            "history_note.corrected",
            by=c["position"],
            reason=c["reason"],
            actor=actor,
            was=was,
        )
    return line + times_note(lang, e.occurred_at, e.recorded_at, e.transcribed)


def times_note(
    lang: Lang, occurred_at: str, recorded_at: str, transcribed: dict[str, Any] | None
) -> str:
    """What a reader should know of an act's two times: that it was transcribed from paper
    (from which record, entered when and by whom), or when it was recorded, if not the day it
    happened (Beijing days); nothing otherwise."""
    if transcribed:
        reference = f"（{transcribed['reference']}）" if transcribed.get("reference") else ""
        return message(
            lang,
            "history_note.transcribed",
            source=transcribed["source"],
            reference=reference,
            recorded=say_time(lang, recorded_at),
            clerk=transcribed["clerk"],
        )
    if recorded_at and say_date(lang, recorded_at) != say_date(lang, occurred_at):
        return message(lang, "history_note.recorded", recorded=say_time(lang, recorded_at))
    return ""
