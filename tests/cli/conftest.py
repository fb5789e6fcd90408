"""The county ledger fixtures of the rule tests, shared with the CLI tests."""

from tests.domain.rules.conftest import clock, ledger  # noqa: F401
