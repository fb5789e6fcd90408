"""A calendar file: one year's holidays and adjusted working days, as the State Council's notice
(国务院办公厅关于20XX年部分节假日安排的通知) gives them, checked before it is adopted.

::

    format: ledger.calendar/1
    year: 2027
    notice: 国务院办公厅关于2027年部分节假日安排的通知
    number: 国办发明电〔2026〕N号        # optional: the document number
    published_on: 2026-11-10             # optional
    holidays:                            # days off, both ends included
      - {name: 元旦, from: 2027-01-01, to: 2027-01-01}
      - {name: 春节, from: 2027-02-05, to: 2027-02-12}
    working_days: [2027-02-14]           # weekend days worked (调休上班)

Adopting it records an event (``calendar.adopted``; ``ledger calendar adopt FILE``), so every
finding that counts working days in that year can name the calendar it used.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from ledger.domain.calendar import CalendarAdopted, HolidaySpan
from ledger.errors import InputError

FORMAT = "ledger.calendar/1"
MAX_SPAN_DAYS = 15  # the longest arrangement ever announced is 8-9 days; more is a typo
_KEYS = {"format", "year", "notice", "number", "published_on", "holidays", "working_days"}


class CalendarFileError(InputError):
    """A calendar file is not a valid year's calendar; the message names the field."""


def parse_calendar(data: Any, source: str = "") -> CalendarAdopted:
    """Check a calendar document and turn it into the payload that records it."""
    if not isinstance(data, Mapping):
        raise CalendarFileError(
            "a calendar file is a mapping with 'year', 'notice', 'holidays' and 'working_days'",
            zh="工作日历文件应是含 'year'、'notice'、'holidays' 和 'working_days' 的映射",
        )
    unknown = sorted(set(map(str, data)) - _KEYS)
    if unknown:
        raise CalendarFileError(
            f"unknown keys in the calendar file: {unknown} (known: {sorted(_KEYS)})",
            zh=f"工作日历文件中有未知的键：{unknown}（可用的键：{sorted(_KEYS)}）",
        )
    if data.get("format", FORMAT) != FORMAT:
        raise CalendarFileError(
            f"format must be {FORMAT!r}, got {data.get('format')!r}",
            zh=f"format 应为 {FORMAT!r}，收到的是 {data.get('format')!r}",
        )
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1949 <= year <= 9998:
        raise CalendarFileError(
            f"'year' must be a year such as 2027, got {year!r}",
            zh=f"'year' 应为年份，如 2027，收到的是 {year!r}",
        )
    notice = data.get("notice")
    if not isinstance(notice, str) or not notice.strip():
        raise CalendarFileError(
            f"'notice' names the notice this calendar comes from, e.g. "
            f"国务院办公厅关于{year}年部分节假日安排的通知",
            zh="'notice' 应写明本日历所依据的通知，如："
            f"国务院办公厅关于{year}年部分节假日安排的通知",
        )
    number = data.get("number", "")
    if not isinstance(number, str):
        raise CalendarFileError(
            f"'number' is the notice's document number as text, got {number!r}",
            zh=f"'number' 应为通知的文号（文本），收到的是 {number!r}",
        )
    published = data.get("published_on")
    if published is not None:
        published = _day(published, "published_on")
    holidays = _holidays(data.get("holidays"), year)
    working = _working_days(data.get("working_days"), year, holidays)
    return CalendarAdopted(
        year=year,
        notice=notice.strip(),
        number=number.strip(),
        published_on=published,
        holidays=holidays,
        working_days=working,
        source=source,
    )


def _day(value: Any, where: str) -> date:
    """A date from YAML (already a date) or text (``2027-02-05``)."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise CalendarFileError(
        f"{where}: expected a date written like 2027-02-05, got {value!r}",
        zh=f"{where}：应为日期，写作 2027-02-05 这样的形式，收到的是 {value!r}",
    )


def _in_year(day: date, year: int, where: str) -> None:
    """A notice covers its year, and may reach into the December before it."""
    if day.year == year or (day.year == year - 1 and day.month == 12):
        return
    raise CalendarFileError(
        f"{where}: {day} is not in {year} (a {year} notice may only reach back into "
        f"December {year - 1})",
        zh=f"{where}：{day} 不在 {year} 年内（{year} 年的通知最多只能涉及 {year - 1} 年 12 月）",
    )


def _holidays(value: Any, year: int) -> tuple[HolidaySpan, ...]:
    if not isinstance(value, list) or not value:
        raise CalendarFileError(
            "'holidays' lists the days off, each as {name: 春节, from: 2027-02-05, to: 2027-02-12}",
            zh="'holidays' 应逐项列出放假安排，每项如 "
            "{name: 春节, from: 2027-02-05, to: 2027-02-12}",
        )
    spans: list[HolidaySpan] = []
    taken: dict[date, str] = {}
    for number, item in enumerate(value, start=1):
        where = f"holidays[{number}]"
        where_zh = f"holidays 第 {number} 项"
        if not isinstance(item, Mapping) or set(map(str, item)) - {"name", "from", "to"}:
            raise CalendarFileError(
                f"{where}: each holiday has exactly 'name', 'from' and 'to', got {item!r}",
                zh=f"{where_zh}：每项放假安排只含 'name'、'from'、'to'，收到的是 {item!r}",
            )
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            raise CalendarFileError(
                f"{where}: 'name' is the holiday's name, e.g. 春节",
                zh=f"{where_zh}：'name' 应为节日名称，如 春节",
            )
        first = _day(item.get("from"), f"{where}.from")
        last = _day(item.get("to", item.get("from")), f"{where}.to")
        _in_year(first, year, f"{where}.from")
        _in_year(last, year, f"{where}.to")
        if last < first:
            raise CalendarFileError(
                f"{where} ({name}): 'to' ({last}) is before 'from' ({first})",
                zh=f"{where_zh}（{name}）：'to'（{last}）早于 'from'（{first}）",
            )
        if (last - first).days + 1 > MAX_SPAN_DAYS:
            raise CalendarFileError(
                f"{where} ({name}): {(last - first).days + 1} days off in a row; a notice never "
                f"gives more than {MAX_SPAN_DAYS}: check the dates",
                zh=f"{where_zh}（{name}）：连续放假 {(last - first).days + 1} 天，"
                f"通知从未超过 {MAX_SPAN_DAYS} 天，请核对日期",
            )
        day = first
        while day <= last:
            if day in taken:
                raise CalendarFileError(
                    f"{where} ({name}): {day} is already a day off under {taken[day]}",
                    zh=f"{where_zh}（{name}）：{day} 已列在 {taken[day]} 的放假安排中",
                )
            taken[day] = name
            day += timedelta(days=1)
        spans.append(HolidaySpan(name=name.strip(), first=first, last=last))
    return tuple(sorted(spans, key=lambda s: s.first))


def _working_days(value: Any, year: int, holidays: tuple[HolidaySpan, ...]) -> tuple[date, ...]:
    if value is None:
        value = []
    if not isinstance(value, list):
        raise CalendarFileError(
            "'working_days' lists the weekend days worked (调休上班), e.g. [2027-02-14]",
            zh="'working_days' 应列出调休上班的周末日期，如 [2027-02-14]",
        )
    days: list[date] = []
    for number, item in enumerate(value, start=1):
        where = f"working_days[{number}]"
        where_zh = f"working_days 第 {number} 项"
        day = _day(item, where)
        _in_year(day, year, where)
        if day.weekday() < 5:
            raise CalendarFileError(
                f"{where}: {day} is a weekday; list only the Saturdays and Sundays that are "
                "worked (调休上班)",
                zh=f"{where_zh}：{day} 本是工作日；这里只列调休上班的周六、周日",
            )
        if any(span.first <= day <= span.last for span in holidays):
            raise CalendarFileError(
                f"{where}: {day} is also listed as a day off",
                zh=f"{where_zh}：{day} 同时被列为放假日",
            )
        if day in days:
            raise CalendarFileError(
                f"{where}: {day} is listed twice", zh=f"{where_zh}：{day} 重复列出"
            )
        days.append(day)
    return tuple(sorted(days))
