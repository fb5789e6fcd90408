"""The ledger's checkpoints, consistency proofs and witness cosignatures, checked by code that is
not the ledger's.

* **metamorphic-log** (PyPI, in the dev extra: a Rust implementation of C2SP signed-note and
  tlog-checkpoint verification and of RFC 6962 consistency proofs, behind Python bindings)
  verifies real checkpoints of a ledger with the verifier key string the ledger prints, refuses
  tampered ones, and verifies the ledger's consistency proof between two of its checkpoints.
  It does not implement cosignature/v1 (signature type 0x04), and no other package installable
  here for Python 3.11 does; so
* **cosignatures** are checked by a second implementation written below from the text of
  https://c2sp.org/tlog-cosignature with nothing but hashlib, struct, base64 and the
  ``cryptography`` Ed25519 primitive: none of the ledger's parsing, hashing or signing helpers.
  It verifies the witness's cosignatures, and the witness verifies its signatures.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from ledger.integrity.checkpoint import Checkpoint, origin_of, parse_checkpoint, verifier_key
from ledger.integrity.keys import SigningKey
from ledger.integrity.witness import Witness, new_state, verify_cosignature
from ledger.projections.tree import prove_consistency
from ledger.store.service import LedgerService
from tests.conftest import at

WITNESS = "jw.example.gov.cn/witness"
T = 1_773_279_000


def _metamorphic_log() -> Any:
    return pytest.importorskip(
        "metamorphic_log",
        reason="metamorphic-log is not installed (pip install -e '.[dev]' installs it)",
    )


def _grow(service: LedgerService, members: int) -> Checkpoint:
    for i in range(members):
        service.register_member(f"委员 {i}", occurred_at=at(i))
    return service.publish_checkpoint()


def _log_vkey(service: LedgerService) -> str:
    return verifier_key(origin_of(service.config.ledger_id), service.config.checkpoint_key)


def _witness(service: LedgerService) -> tuple[Witness, SigningKey]:
    key = SigningKey(Ed25519PrivateKey.from_private_bytes(bytes([7]) * 32))
    origin = origin_of(service.config.ledger_id)
    state = new_state(WITNESS, key.key_id, origin, service.config.checkpoint_key)
    return Witness(key, state), key


# --- metamorphic-log: checkpoints and consistency proofs -----------------------------------


def test_ledger_checkpoint_verifies_with_metamorphic_log(service: LedgerService) -> None:
    ml = _metamorphic_log()
    checkpoint = _grow(service, 5)
    head = ml.checkpoint_verify(checkpoint.text(), [_log_vkey(service)])
    assert (head.origin, head.size, bytes(head.root)) == (
        origin_of(service.config.ledger_id),
        checkpoint.size,
        checkpoint.root,
    )
    assert ml.verify_signed_note(checkpoint.text(), [_log_vkey(service)]) == 1


def test_metamorphic_log_refuses_a_tampered_ledger_checkpoint(service: LedgerService) -> None:
    ml = _metamorphic_log()
    text = _grow(service, 3).text()
    lines = text.split("\n")
    lines[1] = str(int(lines[1]) - 1)  # claim a shorter log
    with pytest.raises(ml.VerifyError):
        ml.checkpoint_verify("\n".join(lines), [_log_vkey(service)])
    stranger = SigningKey(Ed25519PrivateKey.from_private_bytes(bytes([8]) * 32))
    other_vkey = verifier_key(origin_of(service.config.ledger_id), stranger.key_id)
    with pytest.raises(ml.VerifyError):
        ml.checkpoint_verify(text, [other_vkey])


def test_cosigned_checkpoint_still_verifies_with_metamorphic_log(service: LedgerService) -> None:
    """A reader without witness support still accepts the ledger's signature on a cosigned
    checkpoint: the cosignature line is one it ignores (signed-note: unknown keys)."""
    ml = _metamorphic_log()
    witness, _ = _witness(service)
    cosigned = witness.cosign(_grow(service, 4).text(), timestamp=T)
    head = ml.checkpoint_verify(cosigned.text(), [_log_vkey(service)])
    assert head.size == cosigned.size


def test_ledger_consistency_proof_verifies_with_metamorphic_log(service: LedgerService) -> None:
    ml = _metamorphic_log()
    old = _grow(service, 4)
    new = _grow(service, 9)
    index = service.index()
    try:
        proof = prove_consistency(index.tree, old.size, new.size)
    finally:
        index.close()
    assert (proof.old_root, proof.new_root) == (old.root, new.root)
    vkeys = [_log_vkey(service)]
    ml.checkpoint_verify_consistency(old.text(), new.text(), vkeys, list(proof.path))
    ml.verify_consistency(old.size, new.size, list(proof.path), old.root, new.root)
    bent = [hashlib.sha256(proof.path[0]).digest(), *proof.path[1:]]
    with pytest.raises(ml.VerifyError):
        ml.checkpoint_verify_consistency(old.text(), new.text(), vkeys, bent)


# --- cosignature/v1: a second implementation, from the spec's text -------------------------


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def independent_cosignature_time(note: str, name: str, public: Ed25519PublicKey) -> int | None:
    """tlog-cosignature, Ed25519: the timestamp of a valid cosignature/v1 of ``note`` by the
    cosigner (``name``, ``public``), else ``None``. Written from the spec, not the ledger."""
    # signed-note: the text up to and including the first blank line's preceding newline is
    # the body; each following line is "— <name> <base64>".
    split = note.index("\n\n")
    body, signature_lines = note[: split + 1], note[split + 2 :].split("\n")
    # "SHA-256(<name> || "\n" || 0x04 || 32-byte Ed25519 cosigner public key)[:4]"
    key_id = hashlib.sha256(name.encode("utf-8") + b"\n" + b"\x04" + _raw(public)).digest()[:4]
    for line in signature_lines:
        if not line.startswith("\u2014 " + name + " "):
            continue
        blob = base64.b64decode(line.rsplit(" ", 1)[1])
        # "base64(32-bit key ID || signature)", the signature a timestamped_signature:
        # u64 timestamp, big-endian, then the 64-byte Ed25519 signature.
        if len(blob) != 4 + 8 + 64 or blob[:4] != key_id:
            continue
        (timestamp,) = struct.unpack(">Q", blob[4:12])
        # "cosignature/v1\n", "time <decimal>\n", then the whole note body.
        message = b"cosignature/v1\n" + b"time " + str(timestamp).encode() + b"\n"
        try:
            public.verify(blob[12:], message + body.encode("utf-8"))
        except InvalidSignature:
            continue
        return int(timestamp)
    return None


def independent_cosignature_line(
    note: str, name: str, private: Ed25519PrivateKey, timestamp: int
) -> str:
    """The spec's cosignature/v1 signature line for ``note``, made without the ledger."""
    body = note[: note.index("\n\n") + 1]
    key_id = hashlib.sha256(name.encode() + b"\n\x04" + _raw(private.public_key())).digest()[:4]
    message = b"cosignature/v1\ntime %d\n" % timestamp + body.encode()
    blob = key_id + struct.pack(">Q", timestamp) + private.sign(message)
    return f"\u2014 {name} {base64.b64encode(blob).decode()}\n"


def test_witness_cosignature_verifies_with_the_independent_implementation(
    service: LedgerService,
) -> None:
    witness, key = _witness(service)
    first = witness.cosign(_grow(service, 3).text(), timestamp=T).text()
    public = Ed25519PrivateKey.from_private_bytes(bytes([7]) * 32).public_key()
    assert independent_cosignature_time(first, WITNESS, public) == T
    # The second checkpoint, after a consistency proof, too.
    new = _grow(service, 4)
    index = service.index()
    try:
        path = prove_consistency(index.tree, 4, new.size).path
    finally:
        index.close()
    second = witness.cosign(new.text(), path, timestamp=T + 600).text()
    assert independent_cosignature_time(second, WITNESS, public) == T + 600
    assert key.key_id.endswith(base64.b64encode(_raw(public)).decode())


def test_the_independent_implementation_refuses_what_it_should(service: LedgerService) -> None:
    """The second implementation is no rubber stamp: it refuses a changed body, another name,
    another key, and a changed timestamp."""
    witness, _ = _witness(service)
    note = witness.cosign(_grow(service, 3).text(), timestamp=T).text()
    public = Ed25519PrivateKey.from_private_bytes(bytes([7]) * 32).public_key()
    lines = note.split("\n")
    lines[1] = str(int(lines[1]) + 1)
    assert independent_cosignature_time("\n".join(lines), WITNESS, public) is None
    assert independent_cosignature_time(note, "other.example/w", public) is None
    other = Ed25519PrivateKey.from_private_bytes(bytes([8]) * 32).public_key()
    assert independent_cosignature_time(note, WITNESS, other) is None
    line = note.rstrip("\n").split("\n")[-1]
    blob = bytearray(base64.b64decode(line.rsplit(" ", 1)[1]))
    blob[11] ^= 1  # the timestamp's last byte
    moved = note.replace(line, f"\u2014 {WITNESS} {base64.b64encode(bytes(blob)).decode()}")
    assert independent_cosignature_time(moved, WITNESS, public) is None


def test_independently_made_cosignature_verifies_with_the_ledger(service: LedgerService) -> None:
    note = _grow(service, 3).text()
    private = Ed25519PrivateKey.from_private_bytes(bytes([9]) * 32)
    cosigned = note + independent_cosignature_line(note, WITNESS, private, T)
    key_id = SigningKey(private).key_id
    assert verify_cosignature(parse_checkpoint(cosigned), WITNESS, key_id) == T
