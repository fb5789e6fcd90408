"""The RFC 9162 (Certificate Transparency v2) Merkle tree head over the ledger's event hashes.

Leaves are the event hashes, which already are RFC 9162 leaf hashes (``SHA-256(0x00 || header)``,
section 2.1.1). The tree head of n leaves is MTH(D[n]) of section 2.1.1; :class:`TreeAccumulator`
keeps only the roots of the perfect subtrees (a compact range), so appending is O(1) amortised and
the head is O(log n).
"""

from __future__ import annotations

import hashlib

from ledger.integrity.digest import node_hash

EMPTY_TREE_HASH = hashlib.sha256(b"").digest()  # RFC 9162 section 2.1.1: MTH({}) = HASH()


class TreeAccumulator:
    """Incremental RFC 9162 tree head: append leaf hashes, read the head at any size."""

    def __init__(self) -> None:
        self.size = 0
        self._peaks: list[bytes] = []  # roots of perfect subtrees, largest first

    @classmethod
    def resume(cls, size: int, peaks: list[bytes]) -> TreeAccumulator:
        """Continue from a saved compact range (one peak per 1-bit of ``size``)."""
        if size < 0 or bin(size).count("1") != len(peaks) or any(len(p) != 32 for p in peaks):
            raise ValueError(f"{len(peaks)} peaks do not make a compact range of {size} leaves")
        tree = cls()
        tree.size = size
        tree._peaks = list(peaks)
        return tree

    @property
    def peaks(self) -> list[bytes]:
        """The roots of the perfect subtrees, largest first (the compact range)."""
        return list(self._peaks)

    def append(self, leaf: bytes) -> None:
        """Add the next leaf hash."""
        node = leaf
        size = self.size
        while size & 1:  # merge with equal-sized subtrees, as a binary counter carries
            node = node_hash(self._peaks.pop(), node)
            size >>= 1
        self._peaks.append(node)
        self.size += 1

    def root(self) -> bytes:
        """MTH of the leaves appended so far (section 2.1.1)."""
        if not self._peaks:
            return EMPTY_TREE_HASH
        node = self._peaks[-1]
        for peak in reversed(self._peaks[:-1]):
            node = node_hash(peak, node)
        return node


def tree_head(leaves: list[bytes]) -> bytes:
    """MTH(D[n]) by the recursive definition of RFC 9162 section 2.1.1 (for tests and audits)."""
    n = len(leaves)
    if n == 0:
        return EMPTY_TREE_HASH
    if n == 1:
        return leaves[0]
    k = 1 << ((n - 1).bit_length() - 1)  # largest power of two smaller than n
    return node_hash(tree_head(leaves[:k]), tree_head(leaves[k:]))
