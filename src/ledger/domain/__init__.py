"""The domain: aggregates and their events, by noun. Imports nothing from the edges."""

from __future__ import annotations

from ledger.domain.body import Body
from ledger.domain.calendar import Calendar
from ledger.domain.correction import Correction
from ledger.domain.delegation import Delegation
from ledger.domain.emergency import EmergencyAction
from ledger.domain.events import (
    EventType,
    LedgerCreated,
    LedgerEvent,
    registered_event_types,
)
from ledger.domain.key import Key
from ledger.domain.ledger import Ledger
from ledger.domain.matter import Matter
from ledger.domain.meeting import Meeting
from ledger.domain.member import Member
from ledger.domain.report import Report
from ledger.domain.review import Review
from ledger.domain.ruleset import RuleSet
from ledger.domain.transcription import Transcription

EVENT_TYPES: dict[str, EventType] = registered_event_types()
"""Every event type on the record, by its stable name: each event class registers itself where
it is declared (``ledger.domain.events``), so importing the aggregates above is all it takes."""

__all__ = [
    "EVENT_TYPES",
    "Body",
    "Calendar",
    "Correction",
    "Delegation",
    "EmergencyAction",
    "EventType",
    "Key",
    "Ledger",
    "LedgerCreated",
    "LedgerEvent",
    "Matter",
    "Meeting",
    "Member",
    "Report",
    "Review",
    "RuleSet",
    "Transcription",
]
