"""The trust policy an auditor passes back (``--trust``): the ledger key, and the witnesses that
must have cosigned the archive's checkpoint (C2SP tlog-cosignature)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.integrity.checkpoint import parse_checkpoint
from ledger.integrity.keys import SigningKey
from ledger.integrity.witness import Witness, new_state
from tests.archive.conftest import County, members, run, standalone

WITNESS = "jw.example.gov.cn/witness"
OTHER = "sj.example.gov.cn/witness"
T = 1_773_279_000


def _witness_key(seed: int) -> SigningKey:
    return SigningKey(Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32))


@pytest.fixture
def cosigned(county: County, tmp_path: Path) -> Path:
    """The county ledger exported against its checkpoint as the witness cosigned it."""
    text = (county.home / "checkpoint.txt").read_text()
    checkpoint = parse_checkpoint(text)
    key = _witness_key(7)
    config = json.loads((county.home / "ledger.json").read_text())
    witness = Witness(
        key, new_state(WITNESS, key.key_id, checkpoint.origin, config["checkpoint_key"])
    )
    note = tmp_path / "cosigned.txt"
    note.write_text(witness.cosign(text, timestamp=T).text())
    archive = tmp_path / "cosigned.zip"
    result = run("--home", str(county.home), "export", "--out", str(archive),
                 "--checkpoint", str(note))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return archive


def _policy(archive: Path, target: Path, **changes: object) -> Path:
    policy = json.loads(members(archive)["trust.json"])
    policy.update(changes)
    target.write_text(json.dumps(policy, ensure_ascii=False))
    return target


def test_the_witnesses_the_policy_requires_have_cosigned(
    county: County, cosigned: Path, tmp_path: Path
) -> None:
    policy = _policy(
        cosigned,
        tmp_path / "trust.json",
        witnesses=[{"name": WITNESS, "key": _witness_key(7).key_id}],
        witnesses_required=1,
    )
    result = run("verify-archive", str(cosigned), "--trust", str(policy), "--json")
    report = json.loads(result.stdout)
    assert result.exit_code == 0, report["failure"]
    assert report["witnesses"] == [WITNESS] and report["anchor_source"] == "trust policy"
    done = standalone(cosigned, "--trust", str(policy), workdir=tmp_path / "sa")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "witnesses: 1 of the trusted witnesses cosigned" in done.stdout


def test_a_checkpoint_without_the_required_cosignatures(
    county: County, cosigned: Path, tmp_path: Path
) -> None:
    policy = _policy(
        cosigned,
        tmp_path / "trust.json",
        witnesses=[
            {"name": WITNESS, "key": _witness_key(7).key_id},
            {"name": OTHER, "key": _witness_key(8).key_id},
        ],
        witnesses_required=2,
    )
    result = run("verify-archive", str(cosigned), "--trust", str(policy))
    assert result.exit_code == 1
    assert "integrity failure in checkpoint.txt" in result.stdout
    assert "expected cosignatures by 2 of 2 trusted witnesses" in result.stdout
    done = standalone(cosigned, "--trust", str(policy), workdir=tmp_path / "sa")
    assert done.returncode == 1


def test_a_policy_for_another_ledger(county: County, tmp_path: Path) -> None:
    policy = _policy(county.whole, tmp_path / "trust.json", origin="ledger/another")
    result = run("verify-archive", str(county.whole), "--trust", str(policy))
    assert result.exit_code == 1 and "the trust policy is for 'ledger/another'" in result.stdout
    done = standalone(county.whole, "--trust", str(policy), workdir=tmp_path / "sa")
    assert done.returncode == 1


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"format": "x"}, "expected format 'ledger.trust/1'"),
        ({"witnesses_required": 1}, "witnesses_required must be an integer from 0 to 0"),
        ({"ledger_key": "ed25519:nope"}, "ledger_key"),
        ({"extra": 1}, "['extra']"),
    ],
)
def test_a_malformed_policy_is_bad_input(
    county: County, tmp_path: Path, changes: dict[str, object], words: str
) -> None:
    policy = _policy(county.whole, tmp_path / "trust.json", **changes)
    result = run("verify-archive", str(county.whole), "--trust", str(policy))
    assert result.exit_code == 2 and words in result.stderr


def test_the_template_is_the_ledgers(county: County) -> None:
    policy = json.loads(members(county.whole)["trust.json"])
    assert policy["ledger_key"] == county.key and policy["witnesses"] == []
    assert policy["origin"].startswith("ledger/") and policy["note"]
