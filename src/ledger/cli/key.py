"""``ledger key``: generate, register, rotate, revoke and list keys."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ledger.cli.context import CliContext, lang_of, pass_cli
from ledger.cli.render import Column, emit_json, ok, table
from ledger.i18n import message, term, terms

if TYPE_CHECKING:
    from ledger.integrity.keys import SigningKey

KEY_PASSPHRASE_ENV = "LEDGER_KEY_PASSPHRASE"


def _key_passphrase(path: Path) -> bytes:
    """A personal key's passphrase: LEDGER_KEY_PASSPHRASE, else asked on the terminal."""
    from ledger.errors import PassphraseError

    value = os.environ.get(KEY_PASSPHRASE_ENV)
    if value:
        return value.encode("utf-8")
    lang = lang_of(click.get_current_context(silent=True))
    if not sys.stdin.isatty():
        raise PassphraseError(
            message("en", "passphrase.key_missing", path=path, env=KEY_PASSPHRASE_ENV),
            zh=message("zh", "passphrase.key_missing", path=path, env=KEY_PASSPHRASE_ENV),
        )
    prompt = message(lang, "passphrase.key_prompt", path=path)
    return click.prompt(prompt, hide_input=True).encode("utf-8")


def load_key_file(path: Path) -> SigningKey:
    """Load a personal key file, asking for its passphrase (LEDGER_KEY_PASSPHRASE) if needed."""
    from ledger.integrity.keys import SigningKey

    try:
        encrypted = b"ENCRYPTED" in path.read_bytes().split(b"\n", 1)[0]
    except OSError as e:
        from ledger.errors import KeyFileError

        raise KeyFileError(
            message("en", "key.cannot_read", path=path, reason=e.strerror),
            zh=message("zh", "key.cannot_read", path=path, reason=e.strerror),
        ) from e
    return SigningKey.load(path, _key_passphrase(path) if encrypted else None)


@click.group()
def key() -> None:
    """Signing keys: the office's, the ledger's and members' own."""


@key.command()
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the new private key (refuses to overwrite).",
)
@click.option("--unencrypted", is_flag=True, help="No passphrase (demos and tests only).")
@pass_cli
def generate(cli: CliContext, out: Path, unencrypted: bool) -> None:
    """Make a new Ed25519 key pair for a member, kept by the member.

    The passphrase comes from LEDGER_KEY_PASSPHRASE or a prompt.
    """
    from ledger.errors import KeyFileError
    from ledger.integrity.keys import SigningKey

    if out.exists():
        raise KeyFileError(
            message("en", "key.exists", path=out), zh=message("zh", "key.exists", path=out)
        )
    new = SigningKey.generate()
    new.save(out, None if unencrypted else _key_passphrase(out))
    ok(cli.t("key.generated", key=new.key_id, path=out))


@key.command()
@click.option("--holder", required=True, help="Member id, or 'office'.")
@click.option(
    "--key-file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The private key to register (it signs its own registration).",
)
@click.option(
    "--purpose",
    "purposes",
    multiple=True,
    default=("act",),
    show_default=True,
    type=click.Choice(["record", "act", "checkpoint"]),
    help="What the key may sign (repeatable).",
)
@click.option("--label", default="", help="A note, e.g. 'office clerk 2'.")
@pass_cli
def register(
    cli: CliContext, holder: str, key_file: Path, purposes: tuple[str, ...], label: str
) -> None:
    """Register a public key for a holder, as an event."""
    new = load_key_file(key_file)
    service = cli.open(writable=True)
    service.register_key(new, holder=holder, purposes=tuple(purposes), label=label)
    ok(
        cli.t(
            "key.registered",
            key=new.key_id,
            holder=term(cli.lang, "holder", holder),
            purposes=terms(cli.lang, "purpose", purposes),
        )
    )


@key.command()
@click.option("--unencrypted", is_flag=True, help="Store the new key without a passphrase.")
@pass_cli
def rotate(cli: CliContext, unencrypted: bool) -> None:
    """Replace the office key by a new one (the old one signs nothing after this)."""
    service = cli.open(writable=True)
    new = service.rotate_office_key(None if unencrypted else cli.passphrase("new office key"))
    ok(cli.t("key.rotated", key=new.key_id))


@key.command()
@click.argument("key_id")
@click.option("--reason", required=True, help="Why (lost, compromised, holder left).")
@pass_cli
def revoke(cli: CliContext, key_id: str, reason: str) -> None:
    """Revoke a key: every later signature by it is invalid."""
    service = cli.open(writable=True)
    service.revoke_key(key_id, reason)
    ok(cli.t("key.revoked", key=key_id))


@key.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_cli
def list_(cli: CliContext, as_json: bool) -> None:
    """List every key the ledger has known, with its history."""
    from ledger.projections.roster import keys

    service = cli.open()
    rows = keys(
        service.app.rows(types=("key.registered", "key.revoked")), service.config.genesis_key
    )
    if as_json:
        emit_json(rows)
        return
    table(
        [
            Column(cli.t("col.key"), style="dim"),
            Column(cli.t("col.holder"), style="bold"),
            Column(cli.t("col.purposes")),
            Column(cli.t("col.state"), style="cyan"),
        ],
        [
            (
                row["key"],
                term(cli.lang, "holder", row["holder"]),
                terms(cli.lang, "purpose", row["purposes"]),
                term(cli.lang, "key_state", _state(row)),
            )
            for row in rows
        ],
    )


def _state(row: dict[str, object]) -> str:
    return "revoked" if row["revoked_at"] else "retired" if row["retired_at"] else "valid"
