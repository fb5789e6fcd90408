"""Chinese working days (工作日) and China's day boundaries, for deadlines counted in working days
(rule ``minutes-deadline``: minutes within 3 working days) and calendar dates.

Which days are working days is data: the State Council's yearly notice of holidays and adjusted
working days (国务院办公厅关于20XX年部分节假日安排的通知). A year's calendar comes, in this order,
from

1. the calendar adopted on the record for that year (``calendar.adopted``, the last adoption
   wins: ``ledger calendar adopt FILE``), else
2. the calendars shipped with the ledger (``calendar_shipped.py``, generated from the
   ``chinesecalendar`` package: 2004 to its last year), else
3. weekends alone: the count is **provisional**, and says which year had no calendar.

A count never fails because of a date: it returns the deadline together with the calendars it
used (:class:`CalendarRef`), so a finding can say which calendar judged it and whether the
judgement is provisional.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from enum import StrEnum
from functools import cache

from ledger.domain.calendar import CalendarAdopted, HolidaySpan
from ledger.domain.rules import calendar_shipped

CHINA_TIME = timezone(timedelta(hours=8), "China Standard Time")
"""UTC+8, the time of every date a rule counts (China has no daylight saving time)."""

SHIPPED_SOURCE = calendar_shipped.SOURCE
FIRST_SHIPPED_YEAR: int = min(calendar_shipped.YEARS)
LAST_SHIPPED_YEAR: int = max(calendar_shipped.YEARS)


def local_date(moment: datetime) -> date:
    """The calendar date in China of a zone-aware moment."""
    return moment.astimezone(CHINA_TIME).date()


def start_of_day(day: date) -> datetime:
    """Midnight at the start of ``day`` in China."""
    return datetime.combine(day, time(0), tzinfo=CHINA_TIME)


def end_of_day(day: date) -> datetime:
    """Midnight at the end of ``day`` in China: the moment a deadline on ``day`` has passed."""
    return start_of_day(day + timedelta(days=1))


class CalendarKind(StrEnum):
    """Where a year's calendar came from."""

    ADOPTED = "adopted"  # adopted on the record (calendar.adopted)
    SHIPPED = "shipped"  # shipped with the ledger (calendar_shipped.py)
    PROVISIONAL = "provisional"  # none known: weekends alone


@dataclass(frozen=True)
class CalendarRef:
    """Which calendar decided the days of one year."""

    year: int
    kind: CalendarKind
    source: str = ""  # the notice's number or title (adopted); the package (shipped)
    position: int | None = None  # the adoption's log position (adopted)

    @property
    def provisional(self) -> bool:
        return self.kind is CalendarKind.PROVISIONAL

    def cite(self) -> str:
        """How a finding cites it: ``2027@adopted:412``, ``2026@shipped``, ``2028@provisional``."""
        if self.kind is CalendarKind.ADOPTED:
            return f"{self.year}@adopted:{self.position}"
        return f"{self.year}@{self.kind.value}"


@dataclass(frozen=True)
class YearCalendar:
    """One year's days off and adjusted working days, and where they came from."""

    ref: CalendarRef
    holidays: Mapping[date, str]  # day off -> the holiday's name
    working_days: frozenset[date]  # weekend days worked (调休上班)
    spans: tuple[HolidaySpan, ...] = ()
    notice: str = ""
    number: str = ""
    published_on: date | None = None

    def decides(self, day: date) -> bool:
        """Whether this calendar says something about ``day`` (its year, or a day it names)."""
        return day.year == self.ref.year or day in self.holidays or day in self.working_days

    def is_working_day(self, day: date) -> bool:
        if day in self.working_days:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    @classmethod
    def of(
        cls, adopted: CalendarAdopted, kind: CalendarKind, position: int | None = None
    ) -> YearCalendar:
        """The calendar a notice (adopted or shipped) gives."""
        holidays: dict[date, str] = {}
        for span in adopted.holidays:
            day = span.first
            while day <= span.last:
                holidays[day] = span.name
                day += timedelta(days=1)
        adopted_source = adopted.number or adopted.notice
        source = adopted_source if kind is CalendarKind.ADOPTED else SHIPPED_SOURCE
        return cls(
            ref=CalendarRef(adopted.year, kind, source, position),
            holidays=holidays,
            working_days=frozenset(adopted.working_days),
            spans=adopted.holidays,
            notice=adopted.notice,
            number=adopted.number,
            published_on=adopted.published_on,
        )


@dataclass(frozen=True)
class Count:
    """A day counted in working days, with the calendars the count went through."""

    day: date
    calendars: tuple[CalendarRef, ...]

    @property
    def provisional(self) -> bool:
        """Counted, for some year, on weekends alone."""
        return any(ref.provisional for ref in self.calendars)

    @property
    def missing_years(self) -> tuple[int, ...]:
        return tuple(ref.year for ref in self.calendars if ref.provisional)


class WorkingCalendar:
    """Working days as the record knows them: adopted calendars over shipped ones, weekends
    alone where neither knows the year."""

    def __init__(self, adopted: Iterable[YearCalendar] = ()) -> None:
        self._adopted: dict[int, YearCalendar] = {}
        for calendar in adopted:  # in log order: a later adoption of a year replaces it
            self._adopted[calendar.ref.year] = calendar

    def year(self, year: int) -> YearCalendar | None:
        """The calendar of ``year`` (adopted, else shipped), or None: weekends alone."""
        return self._adopted.get(year) or shipped(year)

    def calendar_for(self, day: date) -> YearCalendar | None:
        """The calendar that decides ``day``: the next year's, when its notice names a day of
        this December; else this year's."""
        if day.month == 12:
            following = self.year(day.year + 1)
            if following is not None and following.decides(day):
                return following
        return self.year(day.year)

    def ref_for(self, day: date) -> CalendarRef:
        calendar = self.calendar_for(day)
        return calendar.ref if calendar else CalendarRef(day.year, CalendarKind.PROVISIONAL)

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working day in China (weekends off, holidays off, adjusted
        working weekends on); weekends alone in a year no calendar knows."""
        calendar = self.calendar_for(day)
        return calendar.is_working_day(day) if calendar else day.weekday() < 5

    def add_working_days(self, day: date, n: int) -> Count:
        """The ``n``-th working day after ``day`` (before it, for negative ``n``); ``day``
        itself for 0. A deadline of "3 working days after the meeting" is
        ``add_working_days(meeting, 3)``, whether or not the meeting day is a working day."""
        step = timedelta(days=1 if n >= 0 else -1)
        remaining = abs(n)
        current = day
        used: dict[int, CalendarRef] = {}
        while remaining:
            current += step
            ref = self.ref_for(current)
            used.setdefault(ref.year, ref)
            if self.is_working_day(current):
                remaining -= 1
        return Count(current, tuple(used[y] for y in sorted(used)))

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days lie after ``start`` up to and including ``end`` (negative
        when ``end`` is before ``start``), so that ``working_days_between(d,
        add_working_days(d, n).day)`` is ``n`` for ``n >= 0``."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        current = start
        while current < end:
            current += timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count


@cache
def shipped(year: int) -> YearCalendar | None:
    """The calendar shipped with the ledger for ``year``, if any."""
    data = calendar_shipped.YEARS.get(year)
    if data is None:
        return None
    spans, worked = data
    adopted = CalendarAdopted(
        year=year,
        notice=f"国务院办公厅关于{year}年部分节假日安排的通知",
        holidays=tuple(
            HolidaySpan(name=n, first=date.fromisoformat(a), last=date.fromisoformat(b))
            for n, a, b in spans
        ),
        working_days=tuple(date.fromisoformat(d) for d in worked),
        source=SHIPPED_SOURCE,
    )
    return YearCalendar.of(adopted, CalendarKind.SHIPPED)


SHIPPED = WorkingCalendar()
"""Working days by the shipped calendars alone (no calendar adopted on a record)."""
