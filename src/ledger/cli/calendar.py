"""``ledger calendar``: the working-day calendars deadlines are counted by; adopting a year's
State Council holiday notice (docs/calendar.md)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ledger.cli.context import CliContext, pass_cli
from ledger.cli.options import as_of_option, json_option
from ledger.cli.render import Column, emit_json, fields, ok, say, table
from ledger.i18n import term

if TYPE_CHECKING:
    from ledger.domain.rules.calendar import WorkingCalendar, YearCalendar
    from ledger.domain.rules.facts import World


@click.group()
def calendar() -> None:
    """Working-day calendars: show a year's, list the years known, adopt a year's notice."""


@calendar.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_cli
def adopt(cli: CliContext, file: Path) -> None:
    """Adopt a year's calendar file (YAML or JSON): the State Council's notice of holidays and
    adjusted working days, recorded as an event.

    \b
    Example file (docs/calendar.md):
      format: ledger.calendar/1
      year: 2027
      notice: 国务院办公厅关于2027年部分节假日安排的通知
      holidays:
        - {name: 元旦, from: 2027-01-01, to: 2027-01-01}
      working_days: []
    """
    from ledger.domain.rules.calendar_file import CalendarFileError, parse_calendar
    from ledger.errors import InputError, zh_text
    from ledger.integrity.digest import sha256
    from ledger.record.document import RecordFormatError, parse_data

    try:
        raw = file.read_bytes()
    except OSError as e:
        raise InputError(cli.t("error.cannot_read", path=file, reason=e.strerror)) from e
    try:
        data = parse_data(raw, str(file), is_json=file.suffix.lower() == ".json")
    except RecordFormatError as e:
        raise CalendarFileError(
            f"{file} is not a valid calendar file:\n  " + "\n  ".join(e.problems),
            zh=f"{file} 不是有效的工作日历文件：\n  " + "\n  ".join(e.problems_zh),
        ) from e
    try:
        adopted = parse_calendar(data, source=sha256(raw))
    except CalendarFileError as e:
        raise CalendarFileError(f"{file}: {e}", zh=f"{file}：{zh_text(e)}") from e
    service = cli.open(writable=True)
    position = service.adopt_calendar(adopted)
    ok(
        cli.t(
            "calendar.adopted",
            year=adopted.year,
            notice=adopted.number or adopted.notice,
            holidays=len(adopted.holidays),
            working=len(adopted.working_days),
            position=position,
        )
    )


@calendar.command()
@click.argument("year", type=click.IntRange(1, 9999))
@as_of_option
@json_option
@pass_cli
def show(cli: CliContext, year: int, as_of: datetime | None, as_json: bool) -> None:
    """A year's working-day calendar: its holidays, adjusted working days and where it came
    from (adopted on the record, shipped with the ledger, or none: weekends alone)."""
    world = cli.open().reader().context(as_of)
    known = world.working_calendar.year(year)
    document = _document(world, year, known)
    if as_json:
        emit_json(document)
        return
    if known is None:
        say(cli.t("calendar.none", year=year))
        return
    say(cli.t(f"calendar.kind.{known.ref.kind.value}", year=year, **_origin(cli, world, known)))
    fields([(cli.t("calendar.notice"), known.notice)], colon=cli.colon)
    table(
        [
            Column(cli.t("col.holiday")),
            Column(cli.t("col.from")),
            Column(cli.t("col.to")),
            Column(cli.t("col.days"), justify="right"),
        ],
        [
            (term(cli.lang, "holiday", s.name), s.first, s.last, (s.last - s.first).days + 1)
            for s in known.spans
        ],
        indent=2,
    )
    brackets = "（{}）" if cli.lang == "zh" else " ({})"
    worked = ("、" if cli.lang == "zh" else ", ").join(
        f"{d}" + brackets.format(term(cli.lang, "weekday", str(d.weekday())))
        for d in sorted(known.working_days)
    )
    fields([(cli.t("calendar.working_days"), worked or cli.t("calendar.no_days"))], colon=cli.colon)
    say(f"  {cli.t('calendar.count', count=document['working_day_count'])}")


@calendar.command("list")
@as_of_option
@json_option
@pass_cli
def list_(cli: CliContext, as_of: datetime | None, as_json: bool) -> None:
    """The years whose working days are known: shipped with the ledger, or adopted on the
    record (each adoption with its log position)."""
    from ledger.domain.rules.calendar import FIRST_SHIPPED_YEAR, LAST_SHIPPED_YEAR, SHIPPED_SOURCE

    world = cli.open().reader().context(as_of)
    adopted = [
        {
            "year": c.calendar.year,
            "notice": c.calendar.notice,
            "number": c.calendar.number,
            "position": c.position,
        }
        for c in world.calendars
    ]
    if as_json:
        emit_json(
            {
                "shipped": {
                    "from": FIRST_SHIPPED_YEAR,
                    "to": LAST_SHIPPED_YEAR,
                    "source": SHIPPED_SOURCE,
                },
                "adopted": adopted,
            }
        )
        return
    say(
        cli.t(
            "calendar.shipped_years",
            first=FIRST_SHIPPED_YEAR,
            last=LAST_SHIPPED_YEAR,
            source=SHIPPED_SOURCE,
        )
    )
    if not adopted:
        say(cli.t("calendar.none_adopted"))
        return
    say(cli.t("calendar.adopted_years"))
    table(
        [
            Column(cli.t("col.year"), justify="right"),
            Column(cli.t("col.position"), justify="right"),
            Column(cli.t("calendar.notice")),
        ],
        [(a["year"], a["position"], a["number"] or a["notice"]) for a in adopted],
        indent=2,
    )


def _origin(cli: CliContext, world: World, known: YearCalendar) -> dict[str, Any]:
    """Where an adopted calendar is on the record (position and recording time)."""
    from ledger.beijing_time import say_time

    ref = known.ref
    adoption = next((c for c in world.calendars if c.position == ref.position), None)
    return {
        "source": ref.source,
        "position": ref.position,
        "recorded": say_time(cli.lang, adoption.recorded_at) if adoption else "",
    }


def _document(world: World, year: int, known: YearCalendar | None) -> dict[str, Any]:
    """A year's calendar as JSON (and the year's count of working days)."""
    count = _working_days(world.working_calendar, year)
    if known is None:
        return {
            "year": year,
            "kind": "provisional",
            "provisional": True,
            "working_day_count": count,
        }
    return {
        "year": year,
        "kind": known.ref.kind.value,
        "provisional": False,
        "cite": known.ref.cite(),
        "source": known.ref.source,
        "position": known.ref.position,
        "notice": known.notice,
        "number": known.number,
        "published_on": known.published_on.isoformat() if known.published_on else None,
        "holidays": [
            {
                "name": s.name,
                "from": s.first.isoformat(),
                "to": s.last.isoformat(),
                "days": (s.last - s.first).days + 1,
            }
            for s in known.spans
        ],
        "working_days": [d.isoformat() for d in sorted(known.working_days)],
        "working_day_count": count,
    }


def _working_days(calendar: WorkingCalendar, year: int) -> int:
    """How many working days ``year`` has by ``calendar``."""
    from datetime import date

    return calendar.working_days_between(date(year - 1, 12, 31), date(year, 12, 31))
