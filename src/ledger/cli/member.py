"""``ledger member``: the roster."""

from __future__ import annotations

from pathlib import Path

import click

from ledger.cli.context import CliContext, pass_cli
from ledger.cli.render import Column, emit_json, fields, ok, say, table


@click.group()
def member() -> None:
    """Members of the committee (委员)."""


@member.command("add")
@click.argument("name")
@click.option("--title", default="", help="Post, e.g. 书记 (secretary).")
@click.option(
    "--key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The member's private key file (from `ledger key generate`): registers its public key "
    "for the member's own acts, signed by the key itself.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_cli
def add(cli: CliContext, name: str, title: str, key_file: Path | None, as_json: bool) -> None:
    """Enter a member on the roster.

    \b
    Example:
      ledger member add "Zhang San" --title 书记 --key-file zhang.key
    """
    from ledger.cli.key import load_key_file

    member_key = load_key_file(key_file) if key_file else None
    service = cli.open(writable=True)
    added = service.register_member(name, title)
    if member_key is not None:
        service.register_key(member_key, holder=str(added.id), purposes=("act",))
    if as_json:
        emit_json(
            {
                "member": str(added.id),
                "name": name,
                "title": title,
                "key": member_key.key_id if member_key else None,
            }
        )
        return
    if title:
        ok(cli.t("member.added_with_title", member=added.id, name=name, title=title))
    else:
        ok(cli.t("member.added", member=added.id, name=name))
    if member_key is not None:
        fields([(cli.t("field.key"), member_key.key_id)], colon=cli.colon)


@member.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_cli
def list_(cli: CliContext, as_json: bool) -> None:
    """List the members on the roster."""
    from ledger.projections.roster import members

    service = cli.open()
    rows = members(service.app.rows(types=("member.registered",)))
    if as_json:
        emit_json(rows)
        return
    if not rows:
        say(cli.t("member.none"))
        return
    table(
        [
            Column(cli.t("col.member"), style="dim"),
            Column(cli.t("col.name"), style="bold"),
            Column(cli.t("col.title")),
        ],
        [(row["member"], row["name"], row["title"]) for row in rows],
    )
