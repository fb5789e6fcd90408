"""Reports to the plenary: each standing committee member's half-yearly duty report (述职), and
the standing committee's work report (常委会工作报告)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.domain.events import (
    Envelope,
    LedgerCreated,
    MaterialDigest,
    Note,
    Payload,
    envelope_kwargs,
)
from ledger.errors import DomainRuleError


class ReportKind(StrEnum):
    DUTY = "duty"  # 述职 by a member
    WORK = "work"  # the standing committee's work report


class ReportDelivered(Payload):
    """A report delivered to a body at a meeting, covering a period."""

    kind: ReportKind
    by: UUID  # the member reporting (for a work report: who presented it)
    to_body: UUID
    meeting: UUID | None = None
    period_start: date
    period_end: date
    summary: Note = ""
    material: MaterialDigest | None = None


class Report(Aggregate):
    """A delivered report (a member's own act: it may carry the member's signature)."""

    class Delivered(LedgerCreated):
        TYPE = "report.delivered"
        PAYLOAD = ReportDelivered

        def apply(self, aggregate: Report) -> None:
            aggregate.delivered = self.payload

    delivered: ReportDelivered

    def __init__(self) -> None:
        pass

    @classmethod
    def deliver(cls, report_id: UUID, payload: ReportDelivered, envelope: Envelope) -> Report:
        if payload.period_end < payload.period_start:
            raise DomainRuleError(
                f"the period ends ({payload.period_end}) before it starts ({payload.period_start})",
                zh=f"报告期的截止日期（{payload.period_end}）早于起始日期（{payload.period_start}）",
            )
        return cls._create(cls.Delivered, id=report_id, **envelope_kwargs(envelope, payload))
