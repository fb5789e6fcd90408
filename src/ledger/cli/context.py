"""State every command shares: where the ledger lives and how to get passphrases.

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

    def passphrase(self, label: str) -> bytes | None:
        """The passphrase for a key: from LEDGER_PASSPHRASE, else asked on the terminal."""
        from ledger.errors import PassphraseError

        value = os.environ.get(PASSPHRASE_ENV)
        if value:
            return value.encode("utf-8")
        if not sys.stdin.isatty():
            raise PassphraseError(
                f"the {label} is encrypted: set {PASSPHRASE_ENV} or run on a terminal to be asked"
            )
        return click.prompt(f"Passphrase for the {label}", hide_input=True).encode("utf-8")

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
