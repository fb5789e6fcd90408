"""Times and dates as people read them: in Beijing time, with the zone said, and deadlines said
inclusively.

The record keeps every time in UTC (``2026-12-31T15:00:00.000000Z``); that form stays in JSON,
in the record format and in identifiers. Everything a person reads (table cells, lines, HTML
pages, the findings' messages) goes through the two functions here, so a time is said one way
everywhere:

* :func:`say_time`: ``2026-12-31 23:00（北京时间）`` / ``2026-12-31 23:00 (Beijing time)``; in a
  table column whose header already says the zone (``记录时间（北京时间）``), without the suffix;
* :func:`say_date`: ``2026年11月10日`` / ``10 November 2026``; a deadline, which includes its
  last day (a deadline day ends at 24:00 Beijing time, ``rules/calendar.py`` ``end_of_day``),
  ``至2026年11月10日（含）`` / ``by 10 November 2026 (inclusive)``.

The committee works in Beijing time (UTC+8, no daylight saving): a day, a deadline and a
meeting's hour are Beijing's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Literal

Lang = Literal[
    "en", "zh"
]  # ledger.i18n.Lang, repeated so the domain need not import the CLI's catalogue

BEIJING = timezone(timedelta(hours=8), "Beijing time")
"""Beijing time (北京时间, UTC+8): the time the committee lives by."""

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def in_beijing(moment: datetime | str) -> datetime | None:
    """A zone-aware time (or an ISO 8601 text of one, ``Z`` allowed) in Beijing time; ``None``
    for a text that is not such a time. A time without a zone is taken as UTC, the record's."""
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BEIJING)


def say_time(lang: Lang, moment: datetime | str, *, zone: bool = True) -> str:
    """A time for a person: Beijing time to the minute, the zone said unless ``zone`` is false
    (a table cell under a header that says it). A text that is not a time is returned as is."""
    local = in_beijing(moment)
    if local is None:
        return str(moment)
    text = local.strftime("%Y-%m-%d %H:%M")
    if not zone:
        return text
    return f"{text}（北京时间）" if lang == "zh" else f"{text} (Beijing time)"


def say_date(lang: Lang, day: date | datetime | str, *, deadline: bool = False) -> str:
    """A calendar day (of a time: its Beijing day) for a person; a ``deadline`` day said
    inclusively, as the rules count it: the deadline day itself is still in time."""
    if isinstance(day, (str, datetime)):
        local = in_beijing(day)
        if local is None:
            try:
                day = date.fromisoformat(str(day))
            except ValueError:
                return str(day)
        else:
            day = local.date()
    if lang == "zh":
        text = f"{day.year}年{day.month}月{day.day}日"
        return f"至{text}（含）" if deadline else text
    text = f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    return f"by {text} (inclusive)" if deadline else text
