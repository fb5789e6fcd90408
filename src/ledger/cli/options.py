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
    return parse_time(ctx, text, value)


def parse_time(ctx: click.Context | None, text: str, value: str | None = None) -> datetime:
    """An ISO 8601 time that must carry its zone; a usage error, in the reader's language,
    naming ``value`` (what the user wrote) otherwise."""
    from ledger.cli.context import lang_of
    from ledger.i18n import message

    lang = lang_of(ctx or click.get_current_context(silent=True))
    written = text if value is None else value
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(message(lang, "error.time_format", value=written)) from None
    if moment.tzinfo is None:
        raise click.BadParameter(message(lang, "error.time_zone", value=written))
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


def at_option(function: F) -> F:
    """``--at TIME``: what had happened by then (by when acts happened, as claimed), as the
    record now stands (or as it stood at ``--as-of``)."""
    return click.option(
        "--at",
        "at",
        callback=parse_moment,
        metavar="TIME",
        help="Only what had happened by this time (when the acts happened, as claimed; ISO "
        "8601 with a zone, or a date), as the record stands now or at --as-of. A year entered "
        "later from paper is seen here, not with --as-of.",
    )(function)


def json_option(function: F) -> F:
    """``--json``: a document for scripts instead of text for people."""
    return click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")(
        function
    )
