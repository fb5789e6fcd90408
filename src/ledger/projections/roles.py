"""Who held which part in an event: the one reading of roles that both a matter's trace and the
read index's ``roles`` table use, so a person's view and a matter's trace cannot disagree.

Each role-bearing event gives its parts in payload order. A part names the matters it concerns
when the event is about particular items (an opinion, a vote, an announcement at a meeting); a
part without items concerns every matter whose file holds the event (the opening of a matter,
the attendance at a meeting, the minutes, an emergency action, a review).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Part:
    """Someone's part in one event."""

    role: str
    person: str  # a member id, the party consulted, or "" for a tally without names
    detail: str
    items: tuple[str, ...] | None = None  # the matters it concerns; None: the event's files


def _tally(p: dict[str, Any]) -> str:
    return (
        f"{p['votes_for']} for, {p['votes_against']} against, {p.get('abstentions', 0)} abstaining"
    )


def _item(p: dict[str, Any]) -> tuple[str, ...]:
    return (p["item"],)


def _vote(p: dict[str, Any]) -> list[Part]:
    items = (p["item"], *p.get("bundled_with", ()))
    if p["method"] == "secret_ballot":
        return [Part("voted (secret ballot: tally only)", "", _tally(p), items)]
    ballots = p.get("ballots", [])
    if not ballots:
        return [Part(f"voted ({p['method']}: tally only)", "", _tally(p), items)]
    return [Part("voted", b["member"], f"{b['choice']} ({p['method']})", items) for b in ballots]


def _opened(p: dict[str, Any]) -> list[Part]:
    parts = [Part("attended", member, "") for member in p["present"]]
    for absence in p.get("absent", []):
        why = ("on leave: " if absence.get("on_leave") else "") + absence.get("reason", "")
        parts.append(Part("absent", absence["member"], why))
    return parts


_PARTS: dict[str, Callable[[dict[str, Any]], list[Part]]] = {
    "matter.opened": lambda p: [Part("in charge", p["in_charge"], "")],
    "matter.research_recorded": lambda p: [Part("researched", p["by"], p.get("summary", ""))],
    "matter.consulted": lambda p: [
        Part("consulted", p["party"], f"{p['kind']}: {p.get('outcome', '')}".strip())
    ],
    "matter.cross_portfolio_consulted": lambda p: [
        Part("consulted (portfolio)", p["member"], p.get("opinion", ""))
    ],
    "matter.proposed": lambda p: [Part("proposed", p["by"], "")],
    "matter.coordinated": lambda p: [Part("coordinated", p["by"], p.get("note", ""))],
    "matter.agenda_approved": lambda p: [
        Part("approved the agenda", p["by"], "under delegation" if p.get("delegation") else "")
    ],
    "meeting.scheduled": lambda p: [Part("chaired", p["chair"], p["title"])],
    "meeting.opened": _opened,
    "meeting.interest_declared": lambda p: [
        Part("declared an interest", p["member"], p["interest"], _item(p))
    ],
    "meeting.withdrawal_declared": lambda p: [Part("withdrew", p["member"], p["reason"], _item(p))],
    "meeting.presented": lambda p: [Part("presented", p["by"], "", _item(p))],
    "meeting.opinion_stated": lambda p: [
        Part("stated an opinion", p["member"], p["stance"], _item(p))
    ],
    "meeting.written_view_submitted": lambda p: [
        Part("written view (not counted)", p["member"], p["stance"], _item(p))
    ],
    "meeting.vote_taken": _vote,
    "meeting.result_announced": lambda p: [Part("announced", p["by"], p["outcome"], _item(p))],
    "meeting.minutes_issued": lambda p: [Part("issued the minutes", p["by"], "")],
    "matter.assignment_made": lambda p: [Part("carries out", p["to"], p["task"])],
    "matter.progress_reported": lambda p: [
        Part("reported progress", p["by"], "completed" if p.get("completed") else "")
    ],
    "matter.supervision_checked": lambda p: [
        Part(
            "supervised",
            p["by"],
            "satisfactory" if p.get("satisfactory", True) else "unsatisfactory",
        )
    ],
    "emergency.action_taken": lambda p: [Part("acted in an emergency", p["by"], p["summary"])],
    "emergency.reported": lambda p: [Part("reported the emergency action", p["by"], "")],
    "review.opened": lambda p: [Part("opened a review", p["opened_by"], p["reason"])],
    "review.concluded": lambda p: [
        Part("found responsible", item["member"], item["degree"])
        for item in p.get("responsible", [])
    ],
}

ROLE_TYPES = frozenset(_PARTS)
"""The event types that give anyone a part."""


def parts_of(event_type: str, payload: Any) -> list[Part]:
    """The parts people held in an event (none for a withheld payload or a type without)."""
    make = _PARTS.get(event_type)
    if make is None or not isinstance(payload, dict):
        return []
    return make(payload)
