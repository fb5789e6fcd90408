"""Signed checkpoints of the log head, in the C2SP ``tlog-checkpoint`` format with ``signed-note``
Ed25519 signatures (https://c2sp.org/tlog-checkpoint, https://c2sp.org/signed-note).

A checkpoint body is three lines: the origin (``ledger/<ledger id>``), the tree size in decimal,
and the base64 RFC 9162 tree head over the first ``size`` event hashes. The tree head commits to
the count and to every event hash, the newest included, so a verifier holding a checkpoint detects
a removed tail as surely as a changed event.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from ledger.errors import CheckpointFormatError
from ledger.integrity.keys import SigningKey, public_key_bytes, verify_signature

ED25519_ALGORITHM = b"\x01"  # signed-note: signature type identifier for Ed25519
SIGNATURE_LINE_PREFIX = "\u2014 "  # signed-note: an em dash and a space
# The signature lines a checkpoint may carry: the log's Ed25519 note signature (key hash ||
# signature), and a witness's Ed25519 cosignature (key hash || timestamp || signature, C2SP
# tlog-cosignature, checked by ledger.integrity.witness); other lines are ignored when verifying.
SIGNATURE_BLOB_SIZES = (4 + 64, 4 + 8 + 64)
MAX_TREE_SIZE = 2**64 - 1  # tree sizes are uint64 (tlog-tiles, tlog-witness): at most 20 digits


@dataclass(frozen=True, slots=True)
class NoteSignature:
    """One signature line of a signed note."""

    name: str
    key_hash: bytes
    signature: bytes


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A parsed checkpoint: its body, fields and signature lines."""

    origin: str
    size: int
    root: bytes
    body: str
    signatures: tuple[NoteSignature, ...]

    def text(self) -> str:
        """The full signed note."""
        return self.body + "\n" + "".join(signature_line(s) for s in self.signatures)


def signature_line(signature: NoteSignature) -> str:
    """signed-note: one signature line, ``— <name> base64(key hash || signature)`` and 0x0A."""
    encoded = base64.b64encode(signature.key_hash + signature.signature).decode()
    return f"{SIGNATURE_LINE_PREFIX}{signature.name} {encoded}\n"


def origin_of(ledger_id: str) -> str:
    """The checkpoint origin line of a ledger."""
    return f"ledger/{ledger_id}"


def key_hash(name: str, key_id: str) -> bytes:
    """signed-note key hash: the first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key)."""
    return hashlib.sha256(
        name.encode() + b"\n" + ED25519_ALGORITHM + public_key_bytes(key_id)
    ).digest()[:4]


def verifier_key(name: str, key_id: str) -> str:
    """The note verifier key string ``<name>+<hex key hash>+<base64(0x01 || public key)>``,
    as other signed-note implementations take it."""
    encoded = base64.b64encode(ED25519_ALGORITHM + public_key_bytes(key_id)).decode()
    return f"{name}+{key_hash(name, key_id).hex()}+{encoded}"


def sign_checkpoint(origin: str, size: int, root: bytes, key: SigningKey) -> Checkpoint:
    """A checkpoint of ``size`` events with tree head ``root``, signed under the name ``origin``."""
    body = f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"
    signature = NoteSignature(origin, key_hash(origin, key.key_id), key.sign(body.encode()))
    return Checkpoint(origin, size, root, body, (signature,))


def parse_checkpoint(text: str) -> Checkpoint:
    """Parse a signed checkpoint note (signatures are checked by :func:`verify_checkpoint`)."""
    # 1. A note is a body, a blank line, then one or more signature lines.
    body, sep, sig_block = text.partition("\n\n")
    if not sep:
        raise CheckpointFormatError(
            "no blank line between the checkpoint body and signatures",
            zh="检查点正文与签名之间没有空行",
        )
    body += "\n"
    # 2. The body: origin, size, base64 root hash (extension lines are allowed and ignored).
    lines = body.split("\n")[:-1]
    if len(lines) < 3:
        raise CheckpointFormatError(
            f"a checkpoint body has at least 3 lines, got {len(lines)}",
            zh=f"检查点正文至少有 3 行，而这里只有 {len(lines)} 行",
        )
    origin, size_text, root_text = lines[:3]
    if not (size_text.isascii() and size_text.isdigit()) or (
        size_text != "0" and size_text.startswith("0")
    ):
        raise CheckpointFormatError(
            f"tree size must be a decimal integer, got {size_text!r}",
            zh=f"树的规模必须是十进制整数，而不是 {size_text!r}",
        )
    if len(size_text) > len(str(MAX_TREE_SIZE)) or int(size_text) > MAX_TREE_SIZE:
        raise CheckpointFormatError(
            f"tree size must be at most {MAX_TREE_SIZE}, got {len(size_text)} digits",
            zh=f"树的规模至多为 {MAX_TREE_SIZE}，而这里有 {len(size_text)} 位数字",
        )
    try:
        root = base64.b64decode(root_text, validate=True)
    except ValueError as e:  # binascii.Error, or non-ASCII text
        raise CheckpointFormatError(
            f"root hash is not base64: {root_text!r}", zh=f"根哈希不是 base64：{root_text!r}"
        ) from e
    if len(root) != 32:
        raise CheckpointFormatError(
            f"root hash has 32 bytes, got {len(root)}",
            zh=f"根哈希应为 32 字节，而不是 {len(root)} 字节",
        )
    # 3. Signature lines: "— <name> <base64(key hash || signature)>".
    signatures = []
    for line in sig_block.split("\n"):
        if not line:
            continue
        if not line.startswith(SIGNATURE_LINE_PREFIX):
            raise CheckpointFormatError(
                f"not a signature line: {line!r}", zh=f"不是签名行：{line!r}"
            )
        name, _, encoded = line[len(SIGNATURE_LINE_PREFIX) :].rpartition(" ")
        try:
            blob = base64.b64decode(encoded, validate=True)
        except ValueError as e:  # binascii.Error, or non-ASCII text
            raise CheckpointFormatError(
                f"signature is not base64: {encoded!r}", zh=f"签名不是 base64：{encoded!r}"
            ) from e
        if len(blob) not in SIGNATURE_BLOB_SIZES:
            raise CheckpointFormatError(
                "an Ed25519 note signature has 4 + 64 bytes "
                f"(a cosignature/v1 4 + 8 + 64), got {len(blob)}",
                zh="Ed25519 注记签名应为 4 + 64 字节（cosignature/v1 为 4 + 8 + 64），"
                f"而不是 {len(blob)} 字节",
            )
        signatures.append(NoteSignature(name, blob[:4], blob[4:]))
    if not signatures:
        raise CheckpointFormatError("the checkpoint carries no signature", zh="检查点上没有签名")
    return Checkpoint(origin, int(size_text), root, body, tuple(signatures))


def verify_checkpoint(checkpoint: Checkpoint, key_id: str) -> bool:
    """Whether ``checkpoint`` carries a valid signature by ``key_id`` under its origin's name."""
    expected = key_hash(checkpoint.origin, key_id)
    return any(
        s.name == checkpoint.origin
        and s.key_hash == expected
        and verify_signature(key_id, s.signature, checkpoint.body.encode())
        for s in checkpoint.signatures
    )
