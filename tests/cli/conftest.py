"""The county ledger fixtures of the rule tests, shared with the CLI tests; and an English
environment for every CLI test, whatever the locale of the machine running them (a test of
another language sets its own)."""

from collections.abc import Iterator

import pytest

from tests.domain.rules.conftest import clock, ledger  # noqa: F401


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("LEDGER_LANG", "LC_ALL", "LC_MESSAGES", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    yield
