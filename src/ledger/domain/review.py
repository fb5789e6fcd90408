"""Accountability review of a failed decision (决策失误责任追究): opened on a matter, concluded
with who is responsible and how far. Dissent on the record reduces or waives responsibility."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated
from uuid import UUID

from eventsourcing.domain import Aggregate
from pydantic import BeforeValidator

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
    """How far a person is responsible, in the terms of the Party's accountability regulations
    (中国共产党问责条例, 2019 revision, art. 6: the principal leader and the member directly in
    charge bear 主要领导责任, the other members who took part in the decision 重要领导责任; the
    leading body as a whole bears 全面领导责任) and of the disciplinary regulations (直接责任者:
    the one whose act decided the harm). Article numbers to be checked against the text in force.
    """

    DIRECT = "direct"  # 直接责任
    PRINCIPAL = "principal"  # 主要领导责任
    IMPORTANT = "important"  # 重要领导责任
    REDUCED = "reduced"  # 从轻或者减轻问责
    WAIVED = "waived"  # 免予问责 (for example, opposed on the record)


RENAMED_DEGREES: dict[str, Degree] = {"leading": Degree.PRINCIPAL}
"""Degree values written before the degrees took the regulations' terms, and what they are now:
``leading`` (领导责任, the principal leader's) is :attr:`Degree.PRINCIPAL`. Stored records keep
their bytes; they read as the degree named here."""


def _renamed(value: object) -> object:
    return RENAMED_DEGREES.get(value, value) if isinstance(value, str) else value


DegreeValue = Annotated[Degree, BeforeValidator(_renamed)]
"""A degree as a payload or a record file holds it: the current values, and the renamed ones
(:data:`RENAMED_DEGREES`) read as their new degree."""


class Responsibility(Payload):
    member: UUID
    role: Text
    degree: DegreeValue
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
