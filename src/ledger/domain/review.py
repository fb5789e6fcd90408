"""Accountability review of a failed decision (决策失误责任追究): opened on a matter, concluded
with who is responsible and how far. Dissent on the record reduces or waives responsibility."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.domain.events import (
    Envelope,
    LedgerCreated,
    LedgerEvent,
    MaterialDigest,
    Note,
    Payload,
    Text,
    envelope_kwargs,
)
from ledger.errors import DomainRuleError


class Degree(StrEnum):
    """How far a person is responsible."""

    DIRECT = "direct"  # 直接责任
    LEADING = "leading"  # 领导责任
    IMPORTANT = "important"  # 重要领导责任
    REDUCED = "reduced"  # 从轻
    WAIVED = "waived"  # 免责 (for example, opposed on the record)


class Responsibility(Payload):
    member: UUID
    role: Text
    degree: Degree
    reason: Note = ""


class ReviewOpened(Payload):
    matter: UUID
    reason: Text
    opened_by: UUID


class ReviewConcluded(Payload):
    failed: bool  # whether the decision is found to have failed
    conclusion: Text
    responsible: tuple[Responsibility, ...] = ()
    material: MaterialDigest | None = None


class Review(Aggregate):
    """An accountability review."""

    class Opened(LedgerCreated):
        TYPE = "review.opened"
        PAYLOAD = ReviewOpened

        def apply(self, aggregate: Review) -> None:
            aggregate.matter = self.payload.matter
            aggregate.concluded = False

    class Concluded(LedgerEvent):
        TYPE = "review.concluded"
        PAYLOAD = ReviewConcluded

        def apply(self, aggregate: Review) -> None:
            aggregate.concluded = True

    matter: UUID
    concluded: bool

    def __init__(self) -> None:
        pass

    @classmethod
    def open(cls, review_id: UUID, payload: ReviewOpened, envelope: Envelope) -> Review:
        return cls._create(cls.Opened, id=review_id, **envelope_kwargs(envelope, payload))

    def conclude(self, payload: ReviewConcluded, envelope: Envelope) -> None:
        if self.concluded:
            raise DomainRuleError("this review is already concluded", zh="该责任追究已经作出结论")
        self.trigger_event(self.Concluded, **envelope_kwargs(envelope, payload))
