"""``ledger log``: the events in log order."""

from __future__ import annotations

from collections import deque
from datetime import datetime
from typing import Any

import click

from ledger import vocabulary
from ledger.beijing_time import say_time
from ledger.cli.context import CliContext, pass_cli
from ledger.cli.options import as_of_option, at_option
from ledger.cli.render import Column, emit_json, table
from ledger.i18n import term, terms


@click.command()
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show the newest N only.")
@as_of_option
@at_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_cli
def log(
    cli: CliContext,
    limit: int | None,
    as_of: datetime | None,
    at: datetime | None,
    as_json: bool,
) -> None:
    """List the events: position, recording time, type, actor and stream.

    Read from the store itself, not the read index.

    \b
    Examples:
      ledger log --limit 20
      ledger log --as-of 2026-03-01 --limit 5 --json
    """
    from ledger.integrity.canonical import format_time
    from ledger.integrity.record import decode_record

    service = cli.open()
    until = format_time(as_of) if as_of is not None else None
    happened_by = format_time(at) if at is not None else None
    entries: deque[dict[str, Any]] = deque(maxlen=limit)
    for row in (row for page in service.app.rows() for row in page):
        record = decode_record(row.state)
        header = record.header
        if until is not None and header["recorded_at"] > until:
            break  # recording times never decrease along the log
        if happened_by is not None and header["occurred_at"] > happened_by:
            continue  # claimed times may: every event is looked at
        entries.append(
            {
                "position": header["seq"],
                "recorded_at": header["recorded_at"],
                "occurred_at": header["occurred_at"],
                "type": header["type"],
                "actor": header["actor"],
                "stream": header["stream"],
                "version": header["version"],
                "hash": record.hash,
                "signed_by": [{"role": s.role, "key": s.key} for s in record.signatures],
            }
        )
    if as_json:
        emit_json(list(entries))
        return
    table(
        [
            Column(cli.t("col.position"), justify="right"),
            Column(cli.t("col.recorded")),
            Column(cli.t("col.type"), style="cyan"),
            Column(cli.t("col.actor")),
            Column(cli.t("col.signatures"), style="green"),
        ],
        [
            (
                e["position"],
                say_time(cli.lang, e["recorded_at"], zone=False),
                vocabulary.event(cli.lang, e["type"]),
                term(cli.lang, "holder", e["actor"][:36]),
                terms(cli.lang, "signer", sorted({s["role"] for s in e["signed_by"]})),
            )
            for e in entries
        ],
    )
