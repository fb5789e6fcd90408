"""Chinese working days (工作日) and China's day boundaries, for deadlines counted in working days
(rule ``minutes-deadline``: minutes within 3 working days) and calendar dates.

Working days come from the ``chinesecalendar`` package, which knows the State Council's yearly
holiday arrangements, adjusted working weekends (调休上班) included. It covers a fixed range of
years; a date outside it is refused with :class:`CalendarRangeError` rather than guessed, since a
guessed holiday would turn a compliant record into a finding or hide a breach.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import chinese_calendar  # type: ignore[import-untyped]
from chinese_calendar import constants as _known

from ledger.errors import InputError

CHINA_TIME = timezone(timedelta(hours=8), "China Standard Time")
"""UTC+8, the time of every date a rule counts (China has no daylight saving time)."""

FIRST_YEAR: int = min(_known.holidays).year
LAST_YEAR: int = max(_known.holidays).year


class CalendarRangeError(InputError):
    """A working-day count reaches a year the installed Chinese calendar does not know."""


def local_date(moment: datetime) -> date:
    """The calendar date in China of a zone-aware moment."""
    return moment.astimezone(CHINA_TIME).date()


def start_of_day(day: date) -> datetime:
    """Midnight at the start of ``day`` in China."""
    return datetime.combine(day, time(0), tzinfo=CHINA_TIME)


def end_of_day(day: date) -> datetime:
    """Midnight at the end of ``day`` in China: the moment a deadline on ``day`` has passed."""
    return start_of_day(day + timedelta(days=1))


def is_working_day(day: date) -> bool:
    """Whether ``day`` is a working day in China (weekends off, holidays off, adjusted working
    weekends on)."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError as e:
        raise CalendarRangeError(
            f"the Chinese working-day calendar known here covers {FIRST_YEAR}-{LAST_YEAR}; "
            f"update chinesecalendar (asked about {day.isoformat()})",
            zh=f"此处的中国工作日日历只涵盖 {FIRST_YEAR}—{LAST_YEAR} 年；"
            f"请更新 chinesecalendar（所查日期：{day.isoformat()}）",
        ) from e


def add_working_days(day: date, n: int) -> date:
    """The ``n``-th working day after ``day`` (before it, for negative ``n``); ``day`` itself
    for 0. A deadline of "3 working days after the meeting" is ``add_working_days(meeting, 3)``,
    whether or not the meeting day is itself a working day."""
    step = timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    current = day
    while remaining:
        current += step
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """How many working days lie after ``start`` up to and including ``end`` (negative when
    ``end`` is before ``start``), so that ``working_days_between(d, add_working_days(d, n))``
    is ``n`` for ``n >= 0``."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
