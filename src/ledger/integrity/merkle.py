"""The RFC 9162 (Certificate Transparency v2) Merkle tree head over the ledger's event hashes.

Leaves are the event hashes, which already are RFC 9162 leaf hashes (``SHA-256(0x00 || header)``,
section 2.1.1). The tree head of n leaves is MTH(D[n]) of section 2.1.1; :class:`TreeAccumulator`
keeps only the roots of the perfect subtrees (a compact range), so appending is O(1) amortised and
the head is O(log n).

Inclusion and consistency proofs follow RFC 9162 sections 2.1.3 and 2.1.4: generated from the
hashes of perfect subtrees (O(log n) of them per proof), and verified by the RFC's own
algorithms (sections 2.1.3.2 and 2.1.4.2), which raise :class:`ProofError` saying what was
expected and what was found. :class:`MemoryTree` keeps a tree in memory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

from ledger.errors import InputError, IntegrityError
from ledger.integrity.digest import node_hash, to_digest

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


# --- proofs: RFC 9162 sections 2.1.3 (inclusion) and 2.1.4 (consistency) ---------------------
#
# Proofs are generated from the hashes of *perfect* subtrees only: ``node(level, start)`` is
# MTH(D[start:start + 2**level]), with ``start`` a multiple of ``2**level`` (level 0: the leaf
# hashes). Every range the RFC's recursions visit is aligned that way, so a proof costs
# O(log n) node look-ups, whatever keeps the nodes (a list, a cache, a database table).

HASH_SIZE = 32  # RFC 9162 section 2.1.1: SHA-256 output, the size of every node
NodeReader = Callable[[int, int], bytes]
"""``node(level, start)``: the hash of the perfect subtree of ``2**level`` leaves at ``start``."""


class ProofError(IntegrityError):
    """An inclusion or consistency proof does not verify (RFC 9162 sections 2.1.3.2, 2.1.4.2)."""


class ProofRangeError(InputError):
    """A proof was asked for a leaf or tree size that the tree does not have."""


def _split(n: int) -> int:
    """k, the largest power of two smaller than n (n > 1): RFC 9162 section 2.1.1's split."""
    return 1 << ((n - 1).bit_length() - 1)


def perfect_subtrees(start: int, end: int) -> list[tuple[int, int]]:
    """(level, start) of the perfect subtrees that make up D[start:end], largest first.

    RFC 9162 section 2.1.1 splits n leaves at k, the largest power of two smaller than n, so
    the left part is perfect and the range is its binary decomposition. ``start`` must be a
    multiple of the largest power of two not above ``end - start``: true of every range the
    RFC's recursions visit, and what makes each part a node of the tree."""
    width = end - start
    top = width.bit_length() - 1
    if width <= 0 or start & ((1 << top) - 1):
        if width == 0:
            return []
        raise ValueError(
            f"expected start <= end, got [{start}, {end})"
            if width < 0
            else f"[{start}, {end}) is not a range of the tree: start is misaligned"
        )
    if width == 1 << top:  # one perfect subtree: most ranges of a proof
        return [(top, start)]
    keys = []
    for level in range(top, -1, -1):
        if width >> level & 1:
            keys.append((level, start))
            start += 1 << level
    return keys


def subtree(start: int, end: int, node: NodeReader) -> bytes:
    """MTH(D[start:end]) (RFC 9162 section 2.1.1): its :func:`perfect_subtrees`, folded from
    the right, as the section's split nests them."""
    keys = perfect_subtrees(start, end)
    if not keys:
        return EMPTY_TREE_HASH
    result = node(*keys.pop())
    while keys:
        result = node_hash(node(*keys.pop()), result)
    return result


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The ranges D[start:end] whose tree heads make up PATH(m, D[n]) (RFC 9162 section
    2.1.3.1) for leaf ``index`` of the first ``size`` leaves, innermost first. Descends from the
    root: at each split k the sibling is D[k:n] when m < k (the one range that may be imperfect:
    all below it are perfect) or D[0:k] when m >= k. Depends on the sizes alone."""
    if not 0 <= index < size:
        raise ProofRangeError(
            f"expected a leaf index from 0 to {size - 1}, got {index}",
            zh=f"叶子序号应在 0 至 {size - 1} 之间，而不是 {index}",
        )
    ranges = []
    start, end = 0, size  # the range D[start:end] holding the leaf
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:  # m < k: PATH(m, D[0:k]) : MTH(D[k:n])
            ranges.append((start + k, end))
            end = start + k
        else:  # m >= k: PATH(m - k, D[k:n]) : MTH(D[0:k])
            ranges.append((start, start + k))
            start += k
    ranges.reverse()
    return ranges


def consistency_ranges(old: int, new: int) -> list[tuple[int, int]]:
    """The ranges whose tree heads make up PROOF(m, D[n]) = SUBPROOF(m, D[n], true) (RFC 9162
    section 2.1.4.1) from the first ``old`` to the first ``new`` leaves, innermost first. Empty
    for ``old`` 0 or ``old == new``: the section defines PROOF for 0 < m < n, and any tree
    extends the empty one and itself."""
    if not 0 <= old <= new:
        raise ProofRangeError(
            f"expected an old size from 0 to {new}, got {old}",
            zh=f"原规模应在 0 至 {new} 之间，而不是 {old}",
        )
    if old in (0, new):
        return []
    ranges = []
    start, end, m = 0, new, old  # the range D[start:end] and how many old leaves it holds
    whole = True  # SUBPROOF's b: the range so far is the old tree's own left edge
    while m != end - start:
        k = _split(end - start)
        if m <= k:  # SUBPROOF(m, D[0:k], b) : MTH(D[k:n])
            ranges.append((start + k, end))
            end = start + k
        else:  # SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])
            ranges.append((start, start + k))
            start, m, whole = start + k, m - k, False
    if not whole:  # SUBPROOF(m, D[m], false) = {MTH(D[m])}; with b true it is {}
        ranges.append((start, end))
    ranges.reverse()
    return ranges


def inclusion_proof(index: int, size: int, node: NodeReader) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 section 2.1.3.1: the audit path of leaf ``index`` in the tree
    of the first ``size`` leaves, innermost sibling first, in O(log n) node look-ups."""
    return [subtree(start, end, node) for start, end in inclusion_ranges(index, size)]


def consistency_proof(old: int, new: int, node: NodeReader) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 section 2.1.4.1: that the tree of the first ``old`` leaves is
    a prefix of the tree of the first ``new``, innermost first, in O(log n) node look-ups."""
    return [subtree(start, end, node) for start, end in consistency_ranges(old, new)]


def _check_hash(name: str, name_zh: str, value: bytes) -> None:
    if not isinstance(value, bytes) or len(value) != HASH_SIZE:
        got = f"{len(value)} bytes" if isinstance(value, bytes) else type(value).__name__
        got_zh = f"{len(value)} 字节" if isinstance(value, bytes) else type(value).__name__
        raise ProofError(
            f"expected {name} of {HASH_SIZE} bytes, got {got}",
            zh=f"{name_zh}应为 {HASH_SIZE} 字节，而这里是 {got_zh}",
        )


def _check_path(proof: Sequence[bytes]) -> None:
    for i, p in enumerate(proof):
        if not isinstance(p, bytes) or len(p) != HASH_SIZE:
            _check_hash(f"proof hash {i}", f"证明的第 {i} 个哈希", p)


def _path_length(fn: int, sn: int) -> int:
    """How many proof hashes the loop of RFC 9162 section 2.1.3.2 step 4 (and 2.1.4.2 step 6)
    consumes from (fn, sn) before sn is 0: the length a well-formed path has."""
    count = 0
    while sn:
        if fn & 1 or fn == sn:
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        fn, sn = fn >> 1, sn >> 1
        count += 1
    return count


def _inclusion_length_error(index: int, size: int, proof: Sequence[bytes]) -> ProofError:
    expected = _path_length(index, size - 1)
    return ProofError(
        f"expected {expected} hashes in the inclusion proof of leaf "
        f"{index} in a tree of {size}, got {len(proof)}",
        zh=f"规模为 {size} 的树中叶子 {index} 的包含证明应有 {expected} 个哈希，"
        f"而这里有 {len(proof)} 个",
    )


def _consistency_length_error(old: int, new: int, proof: Sequence[bytes]) -> ProofError:
    """For 0 < old < new: PROOF(old, D[new]) has one hash per step of section 2.1.4.2's loop,
    plus the first unless ``old`` is a power of two (then the verifier supplies it)."""
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    expected = _path_length(fn, sn) + (0 if old & (old - 1) == 0 else 1)
    return ProofError(
        f"expected {expected} hashes in the consistency proof from {old} to {new}, "
        f"got {len(proof)}",
        zh=f"从 {old} 到 {new} 的一致性证明应有 {expected} 个哈希，而这里有 {len(proof)} 个",
    )


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that ``proof`` proves leaf ``leaf_hash`` at ``index`` in the tree of ``size``
    leaves with head ``root``, by the algorithm of RFC 9162 section 2.1.3.2; raise
    :class:`ProofError` saying what was expected and what was found."""
    _check_hash("a leaf hash", "叶子哈希", leaf_hash)
    _check_hash("a root hash", "根哈希", root)
    _check_path(proof)
    # 1. leaf_index must be below tree_size.
    if not 0 <= index < size:
        raise ProofError(
            f"expected a leaf index from 0 to {size - 1}, got {index}",
            zh=f"叶子序号应在 0 至 {size - 1} 之间，而不是 {index}",
        )
    # 2. fn = leaf_index, sn = tree_size - 1.
    fn, sn = index, size - 1
    # 3. r = hash.
    r = leaf_hash
    # 4. For each p in inclusion_path:
    for p in proof:
        # 4a. A hash left over once sn is 0: the path is too long.
        if sn == 0:
            raise _inclusion_length_error(index, size, proof)
        # 4b. A left sibling when fn is odd, or fn is the last node of its level ...
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:  # ... then skip the levels where the node has no right sibling.
                while not fn & 1 and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:  # ... otherwise a right sibling.
            r = node_hash(r, p)
        # 4c. Up one level.
        fn, sn = fn >> 1, sn >> 1
    # 5. sn must be 0 and r the root.
    if sn != 0:
        raise _inclusion_length_error(index, size, proof)
    if r != root:
        raise ProofError(
            f"expected root {to_digest(root)}, got {to_digest(r)} from the inclusion proof of "
            f"leaf {index} in a tree of {size}",
            zh=f"根哈希应为 {to_digest(root)}，而规模为 {size} 的树中叶子 {index} 的包含证明"
            f"得出的是 {to_digest(r)}",
        )


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Check that ``proof`` proves the tree of ``old_size`` leaves with head ``old_root`` a
    prefix of the tree of ``new_size`` leaves with head ``new_root``, by the algorithm of
    RFC 9162 section 2.1.4.2 (for 0 < old < new; equal sizes need equal heads and an empty
    proof, and size 0 the empty tree's head and an empty proof); raise :class:`ProofError`."""
    _check_hash("an old root hash", "原根哈希", old_root)
    _check_hash("a new root hash", "新根哈希", new_root)
    _check_path(proof)
    if not 0 <= old_size <= new_size:
        raise ProofError(
            f"expected an old size from 0 to {new_size}, got {old_size}",
            zh=f"原规模应在 0 至 {new_size} 之间，而不是 {old_size}",
        )
    if old_size in (0, new_size):
        expected_old = EMPTY_TREE_HASH if old_size == 0 else new_root
        if proof:
            raise ProofError(
                f"expected 0 hashes in the consistency proof from {old_size} to {new_size}, "
                f"got {len(proof)}",
                zh=f"从 {old_size} 到 {new_size} 的一致性证明应有 0 个哈希，"
                f"而这里有 {len(proof)} 个",
            )
        if old_root != expected_old:
            raise ProofError(
                f"expected old root {to_digest(expected_old)} for size {old_size}, "
                f"got {to_digest(old_root)}",
                zh=f"规模 {old_size} 的原根哈希应为 {to_digest(expected_old)}，"
                f"而这里是 {to_digest(old_root)}",
            )
        return
    # 1. An empty consistency_path fails.
    if not proof:
        raise _consistency_length_error(old_size, new_size, proof)
    # 2. If first is an exact power of 2, prepend first_hash.
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fr, sr = _consistency_roots(old_size, new_size, path, proof)
    # 7. fr must be the old root and sr the new root.
    if fr != old_root:
        raise ProofError(
            f"expected old root {to_digest(old_root)}, got {to_digest(fr)} from the consistency "
            f"proof from {old_size} to {new_size}",
            zh=f"原根哈希应为 {to_digest(old_root)}，而从 {old_size} 到 {new_size} 的一致性证明"
            f"得出的是 {to_digest(fr)}",
        )
    if sr != new_root:
        raise ProofError(
            f"expected new root {to_digest(new_root)}, got {to_digest(sr)} from the consistency "
            f"proof from {old_size} to {new_size}",
            zh=f"新根哈希应为 {to_digest(new_root)}，而从 {old_size} 到 {new_size} 的一致性证明"
            f"得出的是 {to_digest(sr)}",
        )


def _consistency_roots(
    old_size: int, new_size: int, path: list[bytes], proof: Sequence[bytes]
) -> tuple[bytes, bytes]:
    """Steps 3 to 7 of RFC 9162 section 2.1.4.2: the old and new roots (``fr``, ``sr``) that
    a consistency path computes (``path`` with the old head prepended when ``old_size`` is a
    power of two); raise :class:`ProofError` for a path of the wrong length."""
    # 3. fn = first - 1, sn = second - 1.
    fn, sn = old_size - 1, new_size - 1
    # 4. If LSB(fn) is set, right-shift both until it is not.
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    # 5. fr = sr = the first value of the path.
    fr = sr = path[0]
    # 6. For each subsequent value c:
    for c in path[1:]:
        # 6a. A hash left over once sn is 0: the proof is too long.
        if sn == 0:
            raise _consistency_length_error(old_size, new_size, proof)
        # 6b. A left sibling (in both trees) when fn is odd or the last node of its level ...
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:  # ... otherwise a right sibling, in the new tree only.
            sr = node_hash(sr, c)
        # 6c. Up one level.
        fn, sn = fn >> 1, sn >> 1
    # 7. sn must be 0.
    if sn != 0:
        raise _consistency_length_error(old_size, new_size, proof)
    return fr, sr


def implied_old_root(
    old_size: int, new_size: int, new_root: bytes, proof: Sequence[bytes]
) -> bytes | None:
    """The head of the first ``old_size`` leaves that a consistency proof to the tree of
    ``new_size`` leaves with head ``new_root`` implies (``fr`` of RFC 9162 section 2.1.4.2,
    when ``sr`` is ``new_root``), or ``None`` when it implies none: when ``old_size`` is a power
    of two the proof leaves that head out (the verifier supplies it), and a proof of the wrong
    shape, or one that does not lead to ``new_root``, proves nothing."""
    if not 0 < old_size < new_size or old_size & (old_size - 1) == 0 or not proof:
        return None
    if any(len(p) != HASH_SIZE for p in proof):
        return None
    try:
        fr, sr = _consistency_roots(old_size, new_size, list(proof), proof)
    except ProofError:
        return None
    return fr if sr == new_root else None


class MemoryTree:
    """The tree of a list of leaf hashes in memory, for tests and small archives.

    ``node(level, start)`` is computed on first use and kept: level by level, each a list of
    the perfect subtree hashes completed so far, so n leaves cost at most n - 1 node hashes
    however the nodes are asked for, and appending costs nothing until a node is read."""

    def __init__(self, leaves: Iterable[bytes] = ()) -> None:
        self._levels: list[list[bytes]] = [list(leaves)]

    @property
    def size(self) -> int:
        """How many leaves the tree holds."""
        return len(self._levels[0])

    def append(self, leaf: bytes) -> None:
        """Add the next leaf hash."""
        self._levels[0].append(leaf)

    def extend(self, leaves: Iterable[bytes]) -> None:
        """Add leaf hashes in order."""
        self._levels[0].extend(leaves)

    def node(self, level: int, start: int) -> bytes:
        """The hash of the perfect subtree of ``2**level`` leaves from leaf ``start``."""
        width = 1 << level if level >= 0 else 0
        if not width or start < 0 or start % width or start + width > self.size:
            raise ProofRangeError(
                f"expected a perfect subtree within {self.size} leaves, got {width} "
                f"leaves from {start}",
                zh=f"完美子树应在 {self.size} 个叶子之内，而这里是自 {start} 起的 {width} 个叶子",
            )
        index = start >> level
        self._fill(level, index + 1)
        return self._levels[level][index]

    def nodes(self, keys: Iterable[tuple[int, int]]) -> list[bytes]:
        """:meth:`node` of each ``(level, start)``."""
        return [self.node(level, start) for level, start in keys]

    def _fill(self, level: int, count: int) -> None:
        """Compute level ``level`` up to ``count`` nodes (the level below first)."""
        while len(self._levels) <= level:
            self._levels.append([])
        nodes = self._levels[level]
        if len(nodes) >= count:
            return
        self._fill(level - 1, 2 * count)
        below = self._levels[level - 1]
        for i in range(len(nodes), count):
            nodes.append(node_hash(below[2 * i], below[2 * i + 1]))

    def root(self, size: int | None = None) -> bytes:
        """MTH of the first ``size`` leaves (default: all)."""
        size = self.size if size is None else size
        if not 0 <= size <= self.size:
            raise ProofRangeError(
                f"expected a tree size from 0 to {self.size}, got {size}",
                zh=f"树的规模应在 0 至 {self.size} 之间，而不是 {size}",
            )
        return subtree(0, size, self.node)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """:func:`inclusion_proof` of leaf ``index`` in the first ``size`` leaves."""
        size = self.size if size is None else size
        if size > self.size:
            raise ProofRangeError(
                f"expected a tree size from 1 to {self.size}, got {size}",
                zh=f"树的规模应在 1 至 {self.size} 之间，而不是 {size}",
            )
        return inclusion_proof(index, size, self.node)

    def consistency_proof(self, old: int, new: int | None = None) -> list[bytes]:
        """:func:`consistency_proof` from the first ``old`` to the first ``new`` leaves."""
        new = self.size if new is None else new
        if new > self.size:
            raise ProofRangeError(
                f"expected a tree size from 0 to {self.size}, got {new}",
                zh=f"树的规模应在 0 至 {self.size} 之间，而不是 {new}",
            )
        return consistency_proof(old, new, self.node)
