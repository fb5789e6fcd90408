"""Digests carry their algorithm: ``sha256:<64 lowercase hex>``.

The event hash is the RFC 9162 (Certificate Transparency v2) leaf hash of the event's canonical
header: ``SHA-256(0x00 || header)`` (RFC 9162 section 2.1.1). So one hash both chains the events
and forms the leaves of the Merkle tree. A payload is committed by ``SHA-256(salt || payload)``
with a fresh 256-bit salt, so a withheld low-entropy payload (a yes/no vote) cannot be guessed
from its commitment.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import NewType

Digest = NewType("Digest", str)
"""``sha256:`` followed by 64 lowercase hex digits."""

SALT_BYTES = 32
LEAF_PREFIX = b"\x00"  # RFC 9162 section 2.1.1: leaf hash prefix
NODE_PREFIX = b"\x01"  # RFC 9162 section 2.1.1: interior node prefix
ZERO_DIGEST = Digest("sha256:" + "0" * 64)
_DIGEST_RE = re.compile(r"sha256:[0-9a-f]{64}\Z")


def to_digest(raw: bytes) -> Digest:
    """Name 32 raw SHA-256 bytes as a :data:`Digest`."""
    return Digest("sha256:" + raw.hex())


def digest_bytes(digest: str) -> bytes:
    """The 32 raw bytes of a :data:`Digest`; ``ValueError`` if it is not one."""
    if not _DIGEST_RE.match(digest):
        raise ValueError(f"expected 'sha256:' and 64 lowercase hex digits, got {digest!r}")
    return bytes.fromhex(digest[7:])


def is_digest(text: object) -> bool:
    """Whether ``text`` is a well-formed :data:`Digest`."""
    return isinstance(text, str) and _DIGEST_RE.match(text) is not None


def sha256(data: bytes) -> Digest:
    """The plain SHA-256 digest of ``data`` (materials, files)."""
    return to_digest(hashlib.sha256(data).digest())


def leaf_hash(header: bytes) -> bytes:
    """RFC 9162 section 2.1.1 leaf hash: the event hash of a canonical header."""
    return hashlib.sha256(LEAF_PREFIX + header).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 section 2.1.1 interior node hash."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def new_salt() -> bytes:
    """A fresh 256-bit salt for a payload commitment."""
    return secrets.token_bytes(SALT_BYTES)


def commit_payload(salt: bytes, payload: bytes) -> Digest:
    """The salted commitment to a payload's canonical bytes: ``SHA-256(salt || payload)``."""
    return to_digest(hashlib.sha256(salt + payload).digest())
