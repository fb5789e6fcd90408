"""State every command shares: where the ledger lives, how to get passphrases, and the
language people read (``lang``: docs/cli.md, "Language").

Heavy modules (eventsourcing, cryptography) are imported only when a command opens a ledger,
so ``ledger --help`` starts fast.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ledger.i18n import LANG_ENV, LANGUAGES, Lang, detect, message, parse, term

if TYPE_CHECKING:
    from ledger.store.service import LedgerService

PASSPHRASE_ENV = "LEDGER_PASSPHRASE"


@dataclass
class CliContext:
    """Global options, resolved."""

    home: Path
    store: str | None
    debug: bool
    as_json: bool = False
    lang: Lang = "en"

    @property
    def colon(self) -> str:
        """The colon after a label: full-width in Chinese."""
        return "：" if self.lang == "zh" else ":"

    def t(self, key: str, /, **values: object) -> str:
        """The catalogue's message ``key`` in this command's language (``i18n.message``)."""
        return message(self.lang, key, **values)

    def passphrase(self, label: str) -> bytes | None:
        """The passphrase for a key: from LEDGER_PASSPHRASE, else asked on the terminal.

        ``label`` names the key in English, as the store and the commands do ("office key");
        it is shown in the reader's language where the catalogue knows it.
        """
        from ledger.errors import PassphraseError

        value = os.environ.get(PASSPHRASE_ENV)
        if value:
            return value.encode("utf-8")
        named = term(self.lang, "key_label", label)
        if not sys.stdin.isatty():
            raise PassphraseError(self.t("passphrase.missing", label=named, env=PASSPHRASE_ENV))
        prompt = self.t("passphrase.prompt", label=named)
        return click.prompt(prompt, hide_input=True).encode("utf-8")

    def open(self, *, writable: bool = False) -> LedgerService:
        """Open the ledger in the home."""
        from ledger.store.home import LedgerHome
        from ledger.store.service import LedgerService

        return LedgerService.open(
            LedgerHome(self.home),
            store_url=self.store,
            passphrase=self.passphrase,
            writable=writable,
        )


pass_cli = click.make_pass_decorator(CliContext)


def lang_of(ctx: click.Context | None) -> Lang:
    """The language of the running command: the CliContext's, or, before the root command has
    made one (a usage error in the global options), the environment's."""
    if ctx is not None:
        found = ctx.find_object(CliContext)
        if found is not None:
            return found.lang
    return language_from_env()


def language_from_env() -> Lang:
    """LEDGER_LANG when it names a language, else the locale's (``i18n.detect``)."""
    chosen = os.environ.get(LANG_ENV, "").lower()
    return parse(chosen) if chosen in LANGUAGES else detect(os.environ)
