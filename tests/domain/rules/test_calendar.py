"""Chinese working days (rule ``minutes-deadline`` counts them): the calendars shipped with the
ledger, calendars adopted on the record, and weekends alone (provisional) where none is known."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import chinese_calendar  # type: ignore[import-untyped]
import pytest
import yaml
from chinese_calendar import constants  # type: ignore[import-untyped]

from ledger.domain.calendar import CalendarAdopted
from ledger.domain.rules import calendar_shipped
from ledger.domain.rules.calendar import (
    SHIPPED,
    CalendarKind,
    WorkingCalendar,
    YearCalendar,
    shipped,
)
from ledger.domain.rules.calendar_file import CalendarFileError, parse_calendar

DATA = Path(__file__).parent / "data"


def calendar_2027() -> dict[str, Any]:
    """The tests' 2027 calendar file, as data."""
    return dict(yaml.safe_load((DATA / "calendar-2027.yaml").read_text(encoding="utf-8")))


def adopted_2027(position: int = 99) -> WorkingCalendar:
    payload = parse_calendar(calendar_2027(), source="test")
    return WorkingCalendar([YearCalendar.of(payload, CalendarKind.ADOPTED, position)])


# --- the shipped calendars ----------------------------------------------------------------------


def test_shipped_calendars_equal_chinesecalendar_day_by_day() -> None:
    """Every day of every shipped year is a working day exactly when the package says so."""
    first, last = min(constants.holidays).year, max(constants.holidays).year
    shipped_years = (min(calendar_shipped.YEARS), max(calendar_shipped.YEARS))
    assert shipped_years == (first, last), "run scripts/generate_shipped_calendars.py"
    day, end = date(first, 1, 1), date(last, 12, 31)
    while day <= end:
        assert SHIPPED.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_adjusted_working_weekend_is_a_working_day() -> None:
    assert date(2026, 2, 28).weekday() == 5  # a Saturday
    assert SHIPPED.is_working_day(date(2026, 2, 28))
    assert SHIPPED.is_working_day(date(2026, 10, 10))


def test_national_day_holiday_is_not_a_working_day() -> None:
    assert not SHIPPED.is_working_day(date(2026, 10, 1))
    assert not SHIPPED.is_working_day(date(2026, 10, 7))


def test_add_working_days_skips_national_day_2026() -> None:
    count = SHIPPED.add_working_days(date(2026, 9, 30), 1)
    assert count.day == date(2026, 10, 8)
    assert [r.cite() for r in count.calendars] == ["2026@shipped"] and not count.provisional
    assert SHIPPED.add_working_days(date(2026, 9, 30), 3).day == date(2026, 10, 10)  # a Saturday


def test_add_working_days_from_a_holiday_and_backwards() -> None:
    assert SHIPPED.add_working_days(date(2026, 10, 3), 1).day == date(2026, 10, 8)
    assert SHIPPED.add_working_days(date(2026, 10, 3), 0).day == date(2026, 10, 3)
    assert SHIPPED.add_working_days(date(2026, 10, 8), -1).day == date(2026, 9, 30)


def test_working_days_between() -> None:
    assert SHIPPED.working_days_between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert SHIPPED.working_days_between(date(2026, 2, 24), date(2026, 2, 27)) == 3
    assert SHIPPED.working_days_between(date(2026, 2, 27), date(2026, 2, 24)) == -3
    assert SHIPPED.working_days_between(date(2026, 2, 24), date(2026, 2, 24)) == 0


# --- a year no calendar knows: weekends alone, provisional -------------------------------------


def test_a_year_without_a_calendar_is_counted_on_weekends_alone() -> None:
    """No error for any date: 2027's Spring Festival is unknown without its notice, so Friday
    5 February 2027 counts as a working day, and the count says it is provisional."""
    assert shipped(2027) is None and SHIPPED.year(2027) is None
    count = SHIPPED.add_working_days(date(2027, 2, 4), 1)
    assert count.day == date(2027, 2, 5)
    assert count.provisional and count.missing_years == (2027,)
    assert [r.cite() for r in count.calendars] == ["2027@provisional"]
    assert not SHIPPED.is_working_day(date(2031, 5, 10))  # a Saturday, far ahead
    assert SHIPPED.is_working_day(date(1900, 1, 1))  # a Monday, long before any notice


def test_a_count_across_new_year_names_both_years() -> None:
    count = SHIPPED.add_working_days(date(2026, 12, 30), 3)
    assert count.day == date(2027, 1, 4)  # Thu 31st, then Fri 1st and Mon 4th (no 2027 notice)
    assert [r.cite() for r in count.calendars] == ["2026@shipped", "2027@provisional"]
    assert count.missing_years == (2027,)


# --- an adopted calendar ------------------------------------------------------------------------


def test_an_adopted_calendar_decides_its_year() -> None:
    """Spring Festival 2027 (test calendar): off 5-13 February, Saturday the 20th worked."""
    calendar = adopted_2027(position=412)
    count = calendar.add_working_days(date(2027, 2, 4), 1)
    assert count.day == date(2027, 2, 15)
    assert [r.cite() for r in count.calendars] == ["2027@adopted:412"]
    assert not count.provisional
    assert calendar.is_working_day(date(2027, 2, 20))  # an adjusted working Saturday
    assert not calendar.is_working_day(date(2027, 2, 8))  # a Monday of the holiday


def test_an_adopted_calendar_replaces_the_shipped_one_for_its_year() -> None:
    """A correction of a shipped year by an adopted notice: here 2026 with 9 October off."""
    data = {
        "year": 2026,
        "notice": "国务院办公厅关于2026年部分节假日安排的通知",
        "holidays": [{"name": "国庆节", "from": "2026-10-01", "to": "2026-10-09"}],
        "working_days": [],
    }
    calendar = WorkingCalendar([YearCalendar.of(parse_calendar(data), CalendarKind.ADOPTED, 7)])
    assert not calendar.is_working_day(date(2026, 10, 9))
    assert not calendar.is_working_day(date(2026, 10, 10))  # no longer a working Saturday
    assert calendar.ref_for(date(2026, 3, 1)).cite() == "2026@adopted:7"


def test_the_last_adoption_of_a_year_wins() -> None:
    first = parse_calendar(calendar_2027())
    second = first.model_copy(update={"working_days": ()})
    calendar = WorkingCalendar(
        [
            YearCalendar.of(first, CalendarKind.ADOPTED, 10),
            YearCalendar.of(second, CalendarKind.ADOPTED, 20),
        ]
    )
    assert not calendar.is_working_day(date(2027, 2, 20))
    assert calendar.ref_for(date(2027, 2, 20)).position == 20


def test_a_notice_may_decide_days_of_the_december_before() -> None:
    data = {
        **calendar_2027(),
        "holidays": [{"name": "元旦", "from": "2026-12-31", "to": "2027-01-03"}],
        "working_days": [],
    }
    calendar = WorkingCalendar([YearCalendar.of(parse_calendar(data), CalendarKind.ADOPTED, 5)])
    assert not calendar.is_working_day(date(2026, 12, 31))  # Thursday, off by the 2027 notice
    assert calendar.ref_for(date(2026, 12, 31)).cite() == "2027@adopted:5"
    assert calendar.is_working_day(date(2026, 12, 30))
    assert calendar.ref_for(date(2026, 12, 30)).cite() == "2026@shipped"


# --- calendar files -----------------------------------------------------------------------------


def test_a_calendar_file_parses_to_its_payload() -> None:
    adopted = parse_calendar(calendar_2027(), source="sha256:" + "0" * 64)
    assert isinstance(adopted, CalendarAdopted)
    assert adopted.year == 2027 and adopted.number == "测试〔2026〕1号"
    assert adopted.published_on == date(2026, 11, 10)
    assert [s.name for s in adopted.holidays][:2] == ["元旦", "春节"]
    assert date(2027, 2, 20) in adopted.working_days


def test_the_shipped_example_file_equals_the_shipped_2026() -> None:
    example = Path(__file__).resolve().parents[3] / "docs" / "examples" / "calendar-2026.yaml"
    adopted = parse_calendar(yaml.safe_load(example.read_text(encoding="utf-8")))
    from_file = YearCalendar.of(adopted, CalendarKind.ADOPTED, 1)
    known = shipped(2026)
    assert known is not None
    assert dict(from_file.holidays) == dict(known.holidays)
    assert from_file.working_days == known.working_days


@pytest.mark.parametrize(
    ("change", "en", "zh"),
    [
        ({"year": "2027"}, r"'year' must be a year", "应为年份"),
        ({"notice": ""}, r"'notice' names the notice", "依据的通知"),
        ({"format": "ledger.calendar/9"}, r"format must be", "format 应为"),
        ({"extra": 1}, r"unknown keys.*extra", "未知的键"),
        ({"holidays": []}, r"'holidays' lists the days off", "逐项列出放假安排"),
        (
            {"holidays": [{"name": "春节", "from": "2027-02-13", "to": "2027-02-05"}]},
            r"holidays\[1\] \(春节\): 'to' \(2027-02-05\) is before 'from'",
            "早于",
        ),
        (
            {"holidays": [{"name": "春节", "from": "2027-02-30", "to": "2027-03-01"}]},
            r"holidays\[1\]\.from: expected a date written like 2027-02-05, got '2027-02-30'",
            "应为日期",
        ),
        (
            {"holidays": [{"name": "国庆节", "from": "2028-10-01", "to": "2028-10-07"}]},
            r"holidays\[1\]\.from: 2028-10-01 is not in 2027",
            "不在 2027 年内",
        ),
        (
            {"holidays": [{"name": "国庆节", "from": "2027-10-01", "to": "2027-10-31"}]},
            r"31 days off in a row",
            "连续放假 31 天",
        ),
        (
            {
                "holidays": [
                    {"name": "中秋节", "from": "2027-09-30", "to": "2027-10-01"},
                    {"name": "国庆节", "from": "2027-10-01", "to": "2027-10-07"},
                ]
            },
            r"holidays\[2\] \(国庆节\): 2027-10-01 is already a day off under 中秋节",
            "已列在 中秋节",
        ),
        (
            {"working_days": ["2027-02-17"]},
            r"working_days\[1\]: 2027-02-17 is a weekday",
            "本是工作日",
        ),
        ({"working_days": ["2027-02-06"]}, r"2027-02-06 is also listed as a day off", "同时被列为"),
        ({"working_days": ["2027-02-20", "2027-02-20"]}, r"listed twice", "重复列出"),
    ],
)
def test_a_bad_calendar_file_is_refused_by_field_in_both_languages(
    change: dict[str, Any], en: str, zh: str
) -> None:
    with pytest.raises(CalendarFileError, match=en) as caught:
        parse_calendar({**calendar_2027(), **change})
    assert caught.value.message_zh is not None and zh in caught.value.message_zh
