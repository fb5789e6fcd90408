"""The domain: aggregates and their events, by noun. Imports nothing from the edges."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eventsourcing.domain import Aggregate

from ledger.domain.body import Body
from ledger.domain.calendar import Calendar
from ledger.domain.correction import Correction
from ledger.domain.delegation import Delegation
from ledger.domain.emergency import EmergencyAction
from ledger.domain.events import LedgerCreated, LedgerEvent, Payload
from ledger.domain.key import Key
from ledger.domain.ledger import Ledger
from ledger.domain.matter import Matter
from ledger.domain.meeting import Meeting
from ledger.domain.member import Member
from ledger.domain.report import Report
from ledger.domain.review import Review
from ledger.domain.ruleset import RuleSet
from ledger.domain.transcription import Transcription


@dataclass(frozen=True)
class EventType:
    """One event type on the record: its stable name, class, aggregate and payload model."""

    name: str
    event_class: type[Any]
    aggregate_class: type[Aggregate]
    payload_model: type[Payload]
    starts_stream: bool


def _types(aggregate: type[Aggregate], *events: type[Any]) -> list[EventType]:
    return [
        EventType(e.TYPE, e, aggregate, e.PAYLOAD, issubclass(e, LedgerCreated)) for e in events
    ]


EVENT_TYPES: dict[str, EventType] = {
    t.name: t
    for t in (
        *_types(Ledger, Ledger.Initialised),
        *_types(Key, Key.Registered, Key.Revoked),
        *_types(Member, Member.Registered, Member.Assigned, Member.Left),
        *_types(Body, Body.Established, Body.MemberJoined, Body.MemberLeft),
        *_types(
            Matter,
            Matter.Opened,
            Matter.ResearchRecorded,
            Matter.AlternativeAdded,
            Matter.Consulted,
            Matter.CrossPortfolioConsulted,
            Matter.Proposed,
            Matter.Coordinated,
            Matter.AgendaApproved,
            Matter.Decided,
            Matter.Deferred,
            Matter.AssignmentMade,
            Matter.ProgressReported,
            Matter.SupervisionChecked,
            Matter.ReconsiderationAgreed,
            Matter.Changed,
            Matter.Revoked,
            Matter.Published,
        ),
        *_types(
            Meeting,
            Meeting.Scheduled,
            Meeting.ItemAdded,
            Meeting.NoticeSent,
            Meeting.Opened,
            Meeting.InterestDeclared,
            Meeting.WithdrawalDeclared,
            Meeting.Presented,
            Meeting.OpinionStated,
            Meeting.WrittenViewSubmitted,
            Meeting.ItemDeferred,
            Meeting.VoteTaken,
            Meeting.ResultAnnounced,
            Meeting.Closed,
            Meeting.MinutesIssued,
        ),
        *_types(
            EmergencyAction,
            EmergencyAction.Taken,
            EmergencyAction.Reported,
            EmergencyAction.Acknowledged,
        ),
        *_types(Report, Report.Delivered),
        *_types(Review, Review.Opened, Review.Concluded),
        *_types(Delegation, Delegation.Granted, Delegation.Withdrawn),
        *_types(RuleSet, RuleSet.Adopted, RuleSet.Readopted),
        *_types(Calendar, Calendar.Adopted, Calendar.Readopted),
        *_types(Correction, Correction.Recorded),
        *_types(Transcription, Transcription.Recorded),
    )
}
"""Every event type on the record, by its stable name."""

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
