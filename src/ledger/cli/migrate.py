"""``ledger migrate``: move a ledger to another store, keeping every stored byte."""

from __future__ import annotations

from contextlib import nullcontext

import click

from ledger.cli.context import CliContext, pass_cli
from ledger.cli.options import json_option
from ledger.cli.render import emit_json, fields, ok, progress, say


@click.command()
@click.option(
    "--to",
    "target",
    required=True,
    metavar="URL",
    help="The new store: postgresql://user@host:port/database (the ledger gets a schema of "
    "its own there), or 'sqlite' for the home's SQLite file. It must hold no events.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes for the signature checks of the copy (default: all cores).",
)
@click.option("--no-progress", is_flag=True, help="Do not show progress.")
@json_option
@pass_cli
def migrate(
    cli: CliContext, target: str, workers: int | None, no_progress: bool, as_json: bool
) -> None:
    """Move the ledger to another store: SQLite file to PostgreSQL, or back.

    Copies every stored row byte for byte (hashes and signatures are of the stored bytes, so
    nothing is recorded again), reads the copy back and verifies it against the genesis key and
    the home's signed checkpoint, in one transaction that commits only if it verifies; then
    ledger.json names the new store. The old store is left in place, its rows untouched, and
    refuses new writes. Writers wait while the copy runs.

    Exit 0 when moved; 1 when the copy does not verify (nothing changed); 2 when the target
    already holds events, is the current store, or the checkpoint does not cover the head.

    \b
    Examples:
      ledger migrate --to postgresql://ledger@db.example:5432/ledgers
      ledger --store postgresql://ledger@db.example:5432/ledgers migrate --to sqlite
    """
    from ledger.store.migration import migrate as move
    from ledger.store.migration import store_at, target_store

    service = cli.open()
    home, ledger_id = service.home, service.ledger_id
    source = store_at(home, ledger_id, cli.store or service.config.store)
    destination = target_store(home, ledger_id, target)
    total = service.app.count_rows()
    show = not no_progress and not as_json
    try:
        with progress(cli.t("migrate.progress"), 2 * total) if show else nullcontext() as bar:
            result = move(
                service,
                source,
                destination,
                workers=workers,
                on_copy=bar,
                on_verify=None if bar is None else (lambda done: bar(total + done)),
            )
    finally:
        service.app.close()
    if as_json:
        emit_json(
            {
                "ledger": result.ledger_id,
                "events": result.events,
                "head_hash": result.head_hash,
                "tree_head": result.tree_head,
                "checkpoint_size": result.checkpoint_size,
                "store": result.target.describe(),
                "old_store": result.source.describe(),
                "old_store_removal": result.source.removal_hint(),
            }
        )
        return
    ok(cli.t("migrate.done", ledger=result.ledger_id, events=result.events))
    fields(
        [
            (cli.t("field.store"), result.target.describe()),
            (cli.t("field.head_hash"), result.head_hash),
            (cli.t("field.checkpoint"), cli.t("migrate.checkpoint", size=result.checkpoint_size)),
            (cli.t("field.old_store"), result.source.describe()),
        ],
        colon=cli.colon,
    )
    say(cli.t("migrate.old_store", hint=result.source.removal_hint()))
