"""ledger: a tamper-evident, event-sourced ledger of collective decisions.

The public Python API is these few names; everything else is internal. They load lazily, so
importing :mod:`ledger` (and starting the CLI) stays fast.

>>> from ledger import LedgerHome, LedgerService          # doctest: +SKIP
>>> service = LedgerService.create(LedgerHome(path), "XX County Committee", passphrase=None)
>>> service.register_member("王建国", "书记")
>>> service.verify().ok
True
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ledger.errors import InputError as InputError
    from ledger.errors import IntegrityError as IntegrityError
    from ledger.errors import LedgerError as LedgerError
    from ledger.integrity.verify import Report as Report
    from ledger.store.home import LedgerHome as LedgerHome
    from ledger.store.service import LedgerService as LedgerService

_EXPORTS = {
    "LedgerService": "ledger.store.service",
    "LedgerHome": "ledger.store.home",
    "Report": "ledger.integrity.verify",
    "LedgerError": "ledger.errors",
    "InputError": "ledger.errors",
    "IntegrityError": "ledger.errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ledger' has no attribute {name!r}")
    return getattr(import_module(module), name)
