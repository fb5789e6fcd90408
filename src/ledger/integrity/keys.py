"""Ed25519 keys (RFC 8032) through ``cryptography``: ids, signing, verifying and key files.

A key's id *is* its public key: ``ed25519:`` followed by the standard base64 of the 32 raw
public-key bytes. An id therefore never needs a lookup to be verified against, and two keys can
never share one. Whether a key may sign a given event is a separate question answered from the
key events in the log (see :mod:`ledger.integrity.verify`).

Private keys are kept as PKCS#8 PEM files, encrypted with a passphrase
(``BestAvailableEncryption``) unless the caller explicitly asks for an unencrypted demo key.
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path
from typing import NewType

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from ledger.errors import KeyFileError, PassphraseError

KeyId = NewType("KeyId", str)
"""``ed25519:`` + base64 of the raw 32-byte public key."""

KEY_ID_PREFIX = "ed25519:"


def key_id_of(public_key: Ed25519PublicKey) -> KeyId:
    """The id of a public key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return KeyId(KEY_ID_PREFIX + base64.b64encode(raw).decode("ascii"))


def public_key_bytes(key_id: str) -> bytes:
    """The 32 raw public-key bytes named by ``key_id``; ``ValueError`` if malformed."""
    if not key_id.startswith(KEY_ID_PREFIX):
        raise ValueError(f"key id must start with {KEY_ID_PREFIX!r}, got {key_id!r}")
    try:
        raw = base64.b64decode(key_id[len(KEY_ID_PREFIX) :], validate=True)
    except binascii.Error as e:
        raise ValueError(f"key id {key_id!r} is not base64") from e
    if len(raw) != 32:
        raise ValueError(f"an Ed25519 public key has 32 bytes, {key_id!r} has {len(raw)}")
    if base64.b64encode(raw).decode("ascii") != key_id[len(KEY_ID_PREFIX) :]:
        # one key, one id: base64 with non-zero padding bits would be a second spelling
        raise ValueError(f"key id {key_id!r} is not in canonical base64")
    return raw


def load_public_key(key_id: str) -> Ed25519PublicKey:
    """The public key named by ``key_id``."""
    return Ed25519PublicKey.from_public_bytes(public_key_bytes(key_id))


def verify_signature(key_id: str, signature: bytes, message: bytes) -> bool:
    """Whether ``signature`` is a valid Ed25519 signature of ``message`` by ``key_id``."""
    try:
        load_public_key(key_id).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def fingerprint(key_id: str) -> str:
    """A short, file-name-safe label of a key (first 16 hex digits of its public key)."""
    return public_key_bytes(key_id).hex()[:16]


class SigningKey:
    """An Ed25519 private key with its id."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private_key = private_key
        self.key_id: KeyId = key_id_of(private_key.public_key())

    @classmethod
    def generate(cls) -> SigningKey:
        """A new random key."""
        return cls(Ed25519PrivateKey.generate())

    def sign(self, message: bytes) -> bytes:
        """The 64-byte Ed25519 signature of ``message``."""
        return self._private_key.sign(message)

    def to_pem(self, passphrase: bytes | None) -> bytes:
        """PKCS#8 PEM, encrypted with ``passphrase`` unless it is ``None``."""
        encryption: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(passphrase)
            if passphrase
            else serialization.NoEncryption()
        )
        return self._private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )

    @classmethod
    def from_pem(cls, pem: bytes, passphrase: bytes | None) -> SigningKey:
        """Load a PKCS#8 PEM key, decrypting it with ``passphrase`` when it is encrypted."""
        encrypted = b"ENCRYPTED" in pem.split(b"\n", 1)[0]
        if encrypted and not passphrase:
            raise PassphraseError(
                "this private key is encrypted: give its passphrase "
                "(prompt, or the LEDGER_PASSPHRASE environment variable)",
                zh="此私钥已加密：请给出其口令（在提示时输入，或设置环境变量 LEDGER_PASSPHRASE）",
            )
        try:
            key = serialization.load_pem_private_key(
                pem, password=passphrase if encrypted else None
            )
        except (ValueError, TypeError) as e:
            if encrypted:
                raise PassphraseError(
                    "wrong passphrase for this private key", zh="此私钥的口令不对"
                ) from e
            raise KeyFileError(f"not a PEM private key: {e}", zh=f"不是 PEM 格式的私钥：{e}") from e
        if not isinstance(key, Ed25519PrivateKey):
            raise KeyFileError(
                f"expected an Ed25519 key, got {type(key).__name__}",
                zh=f"应为 Ed25519 密钥，而不是 {type(key).__name__}",
            )
        return cls(key)

    def save(self, path: Path, passphrase: bytes | None) -> None:
        """Write the key to ``path`` (mode 0600), refusing to overwrite an existing file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(self.to_pem(passphrase))

    @classmethod
    def load(cls, path: Path, passphrase: bytes | None) -> SigningKey:
        """Read a key written by :meth:`save`."""
        try:
            pem = path.read_bytes()
        except OSError as e:
            raise KeyFileError(
                f"cannot read private key {path}: {e.strerror}",
                zh=f"无法读取私钥 {path}：{e.strerror}",
            ) from e
        return cls.from_pem(pem, passphrase)
