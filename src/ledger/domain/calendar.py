"""A year's working-day calendar (工作日历), adopted on the record like a rule set.

Each year the State Council's General Office publishes the year's holidays and adjusted working
days (国务院办公厅关于20XX年部分节假日安排的通知). Deadlines counted in working days (rule
``minutes-deadline``) depend on it, so the ledger records the notice as data: which days are
holidays (放假), which weekend days are working days (调休上班), and which notice says so. A
finding that counted working days can then name the calendar it used; a year with no calendar
is counted on weekends alone, and the finding says that it is provisional
(``ledger.domain.rules.calendar``).

One stream per year: adopting a year again (a corrected notice) replaces that year's calendar
from then on, and both adoptions stay on the record.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.domain.events import (
    Envelope,
    LedgerCreated,
    LedgerEvent,
    Note,
    Payload,
    SafeInt,
    Text,
    envelope_kwargs,
)


class HolidaySpan(Payload):
    """Consecutive days off (放假) under one name, both ends included (``春节``,
    2027-02-05 to 2027-02-12)."""

    name: Text
    first: date
    last: date


class CalendarAdopted(Payload):
    """A year's calendar as the notice gives it. Dates may reach into the December before
    ``year`` (a notice's New Year arrangement sometimes does)."""

    year: SafeInt
    notice: Text  # the notice's title
    number: Note = ""  # its document number (文号), e.g. 国办发明电〔2026〕N号
    published_on: date | None = None
    holidays: tuple[HolidaySpan, ...]
    working_days: tuple[date, ...]  # weekend days that are working days (调休上班)
    source: Note = ""  # the calendar file's digest, when adopted from a file


class Calendar(Aggregate):
    """One year's working-day calendar; each adoption replaces the last."""

    class Adopted(LedgerCreated):
        TYPE = "calendar.adopted"
        PAYLOAD = CalendarAdopted

        def apply(self, aggregate: Calendar) -> None:
            aggregate.current = self.payload

    class Readopted(LedgerEvent):
        TYPE = "calendar.readopted"
        PAYLOAD = CalendarAdopted

        def apply(self, aggregate: Calendar) -> None:
            aggregate.current = self.payload

    current: CalendarAdopted

    def __init__(self) -> None:
        pass

    @classmethod
    def adopt_first(
        cls, calendar_id: UUID, payload: CalendarAdopted, envelope: Envelope
    ) -> Calendar:
        return cls._create(cls.Adopted, id=calendar_id, **envelope_kwargs(envelope, payload))

    def adopt(self, payload: CalendarAdopted, envelope: Envelope) -> None:
        self.trigger_event(self.Readopted, **envelope_kwargs(envelope, payload))
