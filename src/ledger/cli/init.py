"""``ledger init``: create a ledger, its ledger key and its genesis event."""

from __future__ import annotations

import click

from ledger.cli.context import CliContext, pass_cli
from ledger.cli.render import emit_json, fields, ok, say


@click.command()
@click.option("--name", required=True, help="The organisation whose decisions this ledger keeps.")
@click.option(
    "--level",
    type=click.Choice(["county", "city"]),
    default="county",
    show_default=True,
    help="The level of the committee: posts are named by it (county: 县长, 常务副县长; "
    "city: 市长, 常务副市长). Recorded in the genesis event.",
)
@click.option(
    "--unencrypted",
    is_flag=True,
    help="Store the ledger key without a passphrase (demos and tests only).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_cli
def init(cli: CliContext, name: str, level: str, unencrypted: bool, as_json: bool) -> None:
    """Create a new ledger in the home directory.

    Generates the ledger key (Ed25519), stores it encrypted with the passphrase from
    LEDGER_PASSPHRASE or a prompt, and records the genesis event naming it and the level of
    the committee.

    \b
    Example:
      LEDGER_PASSPHRASE=... ledger --home county init --name "XX County Committee"
    """
    from ledger.domain.ledger import Level
    from ledger.store.home import LedgerHome
    from ledger.store.service import LedgerService

    passphrase = None if unencrypted else cli.passphrase("new ledger key")
    service = LedgerService.create(
        LedgerHome(cli.home), name, store_url=cli.store, passphrase=passphrase, level=Level(level)
    )
    config = service.config
    if as_json:
        emit_json(
            {
                "ledger": config.ledger_id,
                "name": config.name,
                "level": level,
                "home": str(cli.home),
                "ledger_key": config.genesis_key,
                "store": config.store or str(service.home.sqlite_path),
                "encrypted": not unencrypted,
            }
        )
        return
    ok(cli.t("init.created", ledger=config.ledger_id, name=name))
    rows = [
        (cli.t("field.level"), cli.t(f"level.{level}")),
        (cli.t("field.home"), str(cli.home)),
        (cli.t("field.store"), str(config.store or service.home.sqlite_path)),
        (cli.t("field.ledger_key"), config.genesis_key),
    ]
    if unencrypted:
        rows.append((cli.t("field.warning"), cli.t("init.unencrypted")))
    fields(rows, colon=cli.colon)
    say(cli.t("init.keep_key"))
