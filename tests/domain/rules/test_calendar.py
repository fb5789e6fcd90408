"""Chinese working days (rule ``minutes-deadline`` counts them)."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.domain.rules.calendar import (
    CalendarRangeError,
    add_working_days,
    is_working_day,
    working_days_between,
)
from ledger.errors import InputError


def test_adjusted_working_weekend_is_a_working_day() -> None:
    assert date(2026, 2, 28).weekday() == 5  # a Saturday
    assert is_working_day(date(2026, 2, 28))
    assert is_working_day(date(2026, 10, 10))


def test_national_day_holiday_is_not_a_working_day() -> None:
    assert date(2026, 10, 1).weekday() == 3  # a Thursday
    assert not is_working_day(date(2026, 10, 1))
    assert not is_working_day(date(2026, 10, 7))


def test_ordinary_weekend_is_not_a_working_day() -> None:
    assert not is_working_day(date(2026, 3, 7))


def test_add_working_days_skips_the_national_day_holiday() -> None:
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)  # a working Saturday


def test_add_working_days_counts_from_a_holiday() -> None:
    assert add_working_days(date(2026, 10, 3), 1) == date(2026, 10, 8)


def test_add_zero_and_negative_working_days() -> None:
    assert add_working_days(date(2026, 10, 3), 0) == date(2026, 10, 3)
    assert add_working_days(date(2026, 10, 8), -1) == date(2026, 9, 30)


def test_working_days_between() -> None:
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert working_days_between(date(2026, 2, 24), date(2026, 2, 27)) == 3
    assert working_days_between(date(2026, 2, 27), date(2026, 2, 24)) == -3
    assert working_days_between(date(2026, 2, 24), date(2026, 2, 24)) == 0


def test_year_beyond_the_calendar_is_a_clear_error() -> None:
    with pytest.raises(CalendarRangeError, match=r"covers 2004-2026; update chinesecalendar"):
        is_working_day(date(2031, 5, 6))
    with pytest.raises(InputError, match=r"asked about 2031-01-0"):
        add_working_days(date(2030, 12, 31), 1)


def test_counting_into_an_unknown_year_is_a_clear_error() -> None:
    with pytest.raises(CalendarRangeError, match=r"asked about 2027-01-01"):
        working_days_between(date(2026, 12, 30), date(2027, 1, 4))
