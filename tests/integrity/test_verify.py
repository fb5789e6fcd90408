"""The verifier's rule for the seal's list of signatures (docs/format.md section 2.2): one record
signature first, then one act signature per key of the header's ``signers``, in that order.
Every other list is named; the walks over real stores are in tests/store/test_tamper.py."""

from __future__ import annotations

import pytest

from ledger.integrity.keys import KeyId
from ledger.integrity.record import ROLE_ACT, ROLE_RECORD, Signature
from ledger.integrity.verify import signature_list_problem

OFFICE, A, B = KeyId("ed25519:office"), KeyId("ed25519:a"), KeyId("ed25519:b")
SIG = bytes(64)


def _sigs(*spec: tuple[str, KeyId]) -> list[Signature]:
    return [Signature(role, key, SIG) for role, key in spec]


RECORD = (ROLE_RECORD, OFFICE)


@pytest.mark.parametrize(
    ("sigs", "signers"),
    [
        (_sigs(RECORD), []),
        (_sigs(RECORD, (ROLE_ACT, A)), [A]),
        (_sigs(RECORD, (ROLE_ACT, A), (ROLE_ACT, B)), [A, B]),
    ],
)
def test_the_list_the_header_describes_passes(sigs: list[Signature], signers: list[str]) -> None:
    assert signature_list_problem(sigs, signers) is None


@pytest.mark.parametrize(
    ("sigs", "signers", "problem"),
    [
        (_sigs((ROLE_ACT, A)), [A], "no record signature"),
        (_sigs(RECORD, RECORD), [], "the seal holds 2 record signatures, expected one"),
        (
            _sigs((ROLE_ACT, A), RECORD),
            [A],
            "the record signature is signature 2 of the seal, expected first",
        ),
        (
            _sigs(RECORD),
            [A],
            f"the header lists signer {A}, but the seal has no act signature by it",
        ),
        (
            _sigs(RECORD, (ROLE_ACT, A)),
            [],
            f"act signature by {A}, which the header's signers do not list",
        ),
        (
            _sigs(RECORD, (ROLE_ACT, A), (ROLE_ACT, A)),
            [A],
            f"act signature by {A} appears 2 times, expected once",
        ),
        (
            _sigs(RECORD, (ROLE_ACT, B), (ROLE_ACT, A)),
            [A, B],
            f"act signatures are in the order {[B, A]}, expected the header's signers {[A, B]}",
        ),
    ],
)
def test_any_other_list_is_named(sigs: list[Signature], signers: list[str], problem: str) -> None:
    found = signature_list_problem(sigs, signers)
    assert found is not None
    assert found[0] == problem
    assert found[1]  # and in Chinese
