"""Options shared by several commands, defined once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def parse_moment(
    ctx: click.Context | None, param: click.Parameter | None, value: str | None
) -> datetime | None:
    """An ISO 8601 time with its zone (``2026-03-01T00:00:00+08:00``), or a date (midnight UTC+8
    at the end of that day is not assumed: a date means its start, China time)."""
    if value is None:
        return None
    text = value.strip()
    if len(text) == 10:
        text += "T00:00:00+08:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not an ISO 8601 time, like 2026-03-01T09:00:00+08:00"
        ) from None
    if moment.tzinfo is None:
        raise click.BadParameter(f"{value!r} has no time zone; add one, like +08:00 or Z")
    return moment


def as_of_option(function: F) -> F:
    """``--as-of TIME``: the ledger exactly as it stood then (by recording time)."""
    return click.option(
        "--as-of",
        "as_of",
        callback=parse_moment,
        metavar="TIME",
        help="Show the record as it stood at this time (ISO 8601 with a zone, or a date): "
        "only events recorded by then count. Default: now.",
    )(function)


def json_option(function: F) -> F:
    """``--json``: a document for scripts instead of text for people."""
    return click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")(
        function
    )
