"""A finding: a procedural breach found on the record (never a refusal). It names the rule and
its version, what it is about, the log positions of the events that show it, who is answerable,
and when the breach became a fact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from ledger.domain.events import OFFICE
from ledger.integrity.canonical import format_time


class SubjectKind(StrEnum):
    """What a finding is about."""

    MATTER = "matter"
    MEETING = "meeting"
    MEMBER = "member"
    BODY = "body"
    EMERGENCY_ACTION = "emergency_action"
    EVENT = "event"


@dataclass(frozen=True)
class Finding:
    """A breach of one rule.

    ``responsible`` is a member's id; ``office`` for a recording problem or when no member held
    the post answerable; a body's id where the rule names a body (rule ``change-authority``).
    ``subject_id`` is the matter, meeting, member, body or emergency action id, or the log
    position of an event. ``rule_ref`` cites the rule with the version of the rule set that
    judged it (``majority@2026-1``; ``majority@default`` under the catalogue's defaults), as a
    decision's basis cites the rule set it was counted by. ``calendars`` cites the working-day
    calendar of each year a deadline was counted through (``2027@adopted:412``, ``2026@shipped``,
    ``2028@provisional``: no calendar known, weekends alone); a finding counted on weekends alone
    for some year is ``provisional`` and may change once that year's calendar is adopted.
    ``corrected_by`` lists the corrections (更正) that changed an act it cites: it was judged on
    the corrected record, and its messages say so.
    """

    rule: str
    subject_kind: SubjectKind
    subject_id: str
    positions: tuple[int, ...]
    responsible: str
    body: UUID | None
    message: str
    message_zh: str
    when: datetime
    rule_ref: str = ""  # ``rule@version`` of the rule set that judged it (set by the engine)
    calendars: tuple[str, ...] = ()  # the working-day calendars a deadline was counted by
    corrected_by: tuple[int, ...] = ()  # corrections of the acts it cites (set by the engine)

    @property
    def provisional(self) -> bool:
        """Counted, for some year, without that year's working-day calendar."""
        return any(c.endswith("@provisional") for c in self.calendars)

    @property
    def sort_key(self) -> tuple[datetime, str, str, tuple[int, ...]]:
        return (self.when, self.rule, self.subject_id, self.positions)

    def to_json(self) -> dict[str, Any]:
        """The finding as a JSON document."""
        return {
            "rule": self.rule,
            "rule_ref": self.rule_ref,
            "subject": {"kind": self.subject_kind.value, "id": self.subject_id},
            "positions": list(self.positions),
            "responsible": self.responsible,
            "body": str(self.body) if self.body else None,
            "message": self.message,
            "message_zh": self.message_zh,
            "when": format_time(self.when),
            "calendars": list(self.calendars),
            "provisional": self.provisional,
            "corrected_by": list(self.corrected_by),
        }


def responsible(member: UUID | None) -> str:
    """A member's id as a finding names them; ``office`` when there is nobody."""
    return str(member) if member is not None else OFFICE
