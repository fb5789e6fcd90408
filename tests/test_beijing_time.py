"""Times and dates as people read them (ledger/beijing_time.py): Beijing time with the zone
said, deadlines inclusive, in both languages."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from ledger.beijing_time import say_date, say_time

LAST_HOUR_UTC = datetime(2026, 12, 31, 15, 0, tzinfo=UTC)  # 23:00 in Beijing


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh", "2026-12-31 23:00（北京时间）"), ("en", "2026-12-31 23:00 (Beijing time)")],
)
def test_a_time_is_said_in_beijing_time_with_the_zone(lang: str, expected: str) -> None:
    assert say_time(lang, LAST_HOUR_UTC) == expected  # type: ignore[arg-type]
    assert say_time(lang, "2026-12-31T15:00:00.000000Z") == expected  # type: ignore[arg-type]


def test_a_time_given_in_another_zone_is_said_in_beijing_time() -> None:
    new_york = datetime(2026, 12, 31, 10, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert say_time("en", new_york) == "2026-12-31 23:00 (Beijing time)"


def test_a_table_cell_leaves_the_zone_to_its_header() -> None:
    assert say_time("zh", LAST_HOUR_UTC, zone=False) == "2026-12-31 23:00"


def test_a_text_that_is_not_a_time_is_shown_as_it_is() -> None:
    assert say_time("zh", "not a time") == "not a time"


def test_a_utc_time_after_four_pm_is_the_next_day_in_beijing() -> None:
    late = datetime(2026, 11, 9, 16, 30, tzinfo=UTC)
    assert say_date("zh", late) == "2026年11月10日"
    assert say_date("en", late) == "10 November 2026"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh", "至2026年11月10日（含）"), ("en", "by 10 November 2026 (inclusive)")],
)
def test_a_deadline_is_said_inclusively(lang: str, expected: str) -> None:
    assert say_date(lang, date(2026, 11, 10), deadline=True) == expected  # type: ignore[arg-type]


def test_a_date_text_is_said_as_a_date() -> None:
    assert say_date("zh", "2026-01-05") == "2026年1月5日"
    assert say_date("en", "2026-01-05T00:00:00.000000Z") == "5 January 2026"
