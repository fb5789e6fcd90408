"""RFC 9162 inclusion and consistency proofs (sections 2.1.3 and 2.1.4).

Proof generation is checked against the published Certificate Transparency proofs of the 8-leaf
reference tree, against an independent implementation written here straight from the RFC's
recursive definitions (PATH, PROOF and SUBPROOF), and against pymerkle, an independent library;
verification is checked to accept every honest proof and to refuse, with a pinned message, every
single-hash change, wrong index, wrong size and wrong root.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.errors import InputError, IntegrityError
from ledger.integrity.digest import leaf_hash, node_hash
from ledger.integrity.merkle import (
    EMPTY_TREE_HASH,
    MemoryTree,
    ProofError,
    ProofRangeError,
    TreeAccumulator,
    consistency_proof,
    inclusion_proof,
    subtree,
    tree_head,
    verify_consistency,
    verify_inclusion,
)

# --- the Certificate Transparency reference tree ----------------------------------------------
# (RFC 6962 test data, as in certificate-transparency and transparency-dev/merkle)

CT_LEAF_INPUTS = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
CT_ROOTS = {
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}
# (leaf index, tree size) -> PATH, the published audit paths (transparency-dev lists them by
# 1-based leaf number: leaf 1 in 8, leaf 6 in 8, leaf 3 in 3, leaf 2 in 5).
CT_INCLUSION = {
    (0, 1): [],
    (0, 8): [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    (5, 8): [
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
    (2, 3): ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
    (1, 5): [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
}
# (old size, new size) -> PROOF, the published consistency proofs.
CT_CONSISTENCY = {
    (1, 1): [],
    (1, 8): [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    (6, 8): [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
    (2, 5): [
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
    (6, 7): [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
}
# Every perfect subtree of the 8 leaves, level by level, left to right (transparency-dev/merkle
# testonly.NodeHashes).
CT_NODES = [
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
    ],
    [
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    ],
    [
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    ["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
]
CT_LEAVES = [hashlib.sha256(b"\x00" + data).digest() for data in CT_LEAF_INPUTS]
CT_TREE = MemoryTree(CT_LEAVES)


def _root(size: int) -> bytes:
    return bytes.fromhex(CT_ROOTS[size])


def _hex(path: list[bytes]) -> list[str]:
    return [p.hex() for p in path]


# --- an independent implementation, straight from RFC 9162 sections 2.1.1, 2.1.3.1, 2.1.4.1 ----


def _rfc_k(n: int) -> int:
    """The largest power of two smaller than n."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def _rfc_mth(d: list[bytes]) -> bytes:
    """MTH over leaf hashes: HASH() for none, the leaf for one, else the split at k."""
    if not d:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return d[0]
    k = _rfc_k(len(d))
    return hashlib.sha256(b"\x01" + _rfc_mth(d[:k]) + _rfc_mth(d[k:])).digest()


def _rfc_path(m: int, d: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]): {} for n = 1; else PATH(m, D[0:k]) : MTH(D[k:n]) for m < k, and
    PATH(m - k, D[k:n]) : MTH(D[0:k]) for m >= k."""
    n = len(d)
    if n == 1:
        return []
    k = _rfc_k(n)
    if m < k:
        return [*_rfc_path(m, d[:k]), _rfc_mth(d[k:])]
    return [*_rfc_path(m - k, d[k:]), _rfc_mth(d[:k])]


def _rfc_subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b): for m = n, {} if b else {MTH(D[m])}; else, for m <= k,
    SUBPROOF(m, D[0:k], b) : MTH(D[k:n]), and for m > k, SUBPROOF(m - k, D[k:n], false) :
    MTH(D[0:k])."""
    n = len(d)
    if m == n:
        return [] if b else [_rfc_mth(d)]
    k = _rfc_k(n)
    if m <= k:
        return [*_rfc_subproof(m, d[:k], b), _rfc_mth(d[k:])]
    return [*_rfc_subproof(m - k, d[k:], False), _rfc_mth(d[:k])]


def _rfc_proof(m: int, d: list[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) = SUBPROOF(m, D[n], true)."""
    return _rfc_subproof(m, d, True)


def _leaves(n: int, salt: int = 0) -> list[bytes]:
    return [hashlib.sha256(b"\x00" + f"{salt}/{i}".encode()).digest() for i in range(n)]


LEAVES_64 = _leaves(64)
TREE_64 = MemoryTree(LEAVES_64)
ROOTS_64 = [TREE_64.root(n) for n in range(65)]
SMALL_PAIRS = [(i, n) for n in range(1, 65) for i in range(n)]
SMALL_SIZES = [(m, n) for n in range(1, 65) for m in range(1, n)]
CROSS_PAIRS = 32 * 33 // 2  # the pairs up to 32 leaves, each tried against every other
CROSS_SIZES = 32 * 31 // 2

LEAVES_BIG = _leaves(5000, salt=1)
TREE_BIG = MemoryTree(LEAVES_BIG)


def _flip(value: bytes, bit: int = 0) -> bytes:
    return bytes([value[0] ^ (1 << bit)]) + value[1:]


def _changed(path: list[bytes], i: int) -> list[bytes]:
    return [*path[:i], _flip(path[i]), *path[i + 1 :]]


# --- published test vectors ---------------------------------------------------------------------


def test_reference_tree_has_published_roots() -> None:
    for size, root in CT_ROOTS.items():
        assert CT_TREE.root(size).hex() == root
        assert _rfc_mth(CT_LEAVES[:size]).hex() == root


@pytest.mark.parametrize(("index", "size"), sorted(CT_INCLUSION))
def test_inclusion_proofs_are_the_published_ones(index: int, size: int) -> None:
    assert _hex(CT_TREE.inclusion_proof(index, size)) == CT_INCLUSION[index, size]
    assert _hex(_rfc_path(index, CT_LEAVES[:size])) == CT_INCLUSION[index, size]


@pytest.mark.parametrize(("index", "size"), sorted(CT_INCLUSION))
def test_published_inclusion_proofs_verify(index: int, size: int) -> None:
    path = [bytes.fromhex(h) for h in CT_INCLUSION[index, size]]
    verify_inclusion(CT_LEAVES[index], index, size, path, _root(size))


@pytest.mark.parametrize(("old", "new"), sorted(CT_CONSISTENCY))
def test_consistency_proofs_are_the_published_ones(old: int, new: int) -> None:
    assert _hex(CT_TREE.consistency_proof(old, new)) == CT_CONSISTENCY[old, new]
    assert _hex(_rfc_proof(old, CT_LEAVES[:new])) == CT_CONSISTENCY[old, new]


@pytest.mark.parametrize(("old", "new"), sorted(CT_CONSISTENCY))
def test_published_consistency_proofs_verify(old: int, new: int) -> None:
    path = [bytes.fromhex(h) for h in CT_CONSISTENCY[old, new]]
    verify_consistency(old, new, _root(old), _root(new), path)


def test_reference_tree_nodes_are_the_published_ones() -> None:
    assert [
        [CT_TREE.node(level, start).hex() for start in range(0, 8, 2**level)] for level in range(4)
    ] == CT_NODES


# --- generation against the RFC's definitions ---------------------------------------------------


def test_inclusion_proofs_equal_the_rfc_definition_up_to_64_leaves() -> None:
    for index, size in SMALL_PAIRS:
        expected = _rfc_path(index, LEAVES_64[:size])
        assert TREE_64.inclusion_proof(index, size) == expected, (index, size)


def test_consistency_proofs_equal_the_rfc_definition_up_to_64_leaves() -> None:
    for n in range(1, 65):
        for m in range(1, n + 1):
            expected = _rfc_proof(m, LEAVES_64[:n])
            assert TREE_64.consistency_proof(m, n) == expected, (m, n)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_inclusion_proofs_equal_the_rfc_definition_at_random_sizes(data: st.DataObject) -> None:
    size = data.draw(st.integers(65, len(LEAVES_BIG)))
    index = data.draw(st.integers(0, size - 1))
    assert TREE_BIG.inclusion_proof(index, size) == _rfc_path(index, LEAVES_BIG[:size])


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_consistency_proofs_equal_the_rfc_definition_at_random_sizes(
    data: st.DataObject,
) -> None:
    new = data.draw(st.integers(65, len(LEAVES_BIG)))
    old = data.draw(st.integers(1, new))
    assert TREE_BIG.consistency_proof(old, new) == _rfc_proof(old, LEAVES_BIG[:new])


def test_roots_equal_the_accumulator_and_recursive_definition() -> None:
    accumulator = TreeAccumulator()
    for size in range(65):
        assert TREE_64.root(size) == accumulator.root() == tree_head(LEAVES_64[:size])
        if size < 64:
            accumulator.append(LEAVES_64[size])


class _Counting:
    """A node reader that counts its look-ups."""

    def __init__(self, tree: MemoryTree) -> None:
        self.tree = tree
        self.reads = 0

    def node(self, level: int, start: int) -> bytes:
        self.reads += 1
        return self.tree.node(level, start)


def test_proofs_read_log_n_nodes() -> None:
    """O(log n): at most two look-ups per level, whatever the index and size."""
    for size in (1000, 4095, 4096, 4097, 5000):
        for index in (0, 1, size // 2, size - 2, size - 1):
            counting = _Counting(TREE_BIG)
            inclusion_proof(index, size, counting.node)
            assert counting.reads <= 2 * size.bit_length(), (index, size, counting.reads)
            counting = _Counting(TREE_BIG)
            consistency_proof(max(index, 1), size, counting.node)
            assert counting.reads <= 2 * size.bit_length(), (index, size, counting.reads)


def test_subtree_is_mth_of_any_aligned_range() -> None:
    for start in range(0, 64, 8):
        for end in range(start, 65):
            if end - start <= 8 or start % (1 << ((end - start).bit_length() - 1)) == 0:
                expected = _rfc_mth(LEAVES_64[start:end])
                assert subtree(start, end, TREE_64.node) == expected, (start, end)


def test_subtree_refuses_a_misaligned_range() -> None:
    with pytest.raises(ValueError, match=r"\[1, 3\) is not a range of the tree"):
        subtree(1, 3, TREE_64.node)


# --- honest proofs verify -----------------------------------------------------------------------


def test_every_inclusion_proof_up_to_64_leaves_verifies() -> None:
    for index, size in SMALL_PAIRS:
        proof = TREE_64.inclusion_proof(index, size)
        verify_inclusion(LEAVES_64[index], index, size, proof, ROOTS_64[size])


def test_every_consistency_proof_up_to_64_leaves_verifies() -> None:
    for n in range(65):
        for m in range(n + 1):
            verify_consistency(m, n, ROOTS_64[m], ROOTS_64[n], TREE_64.consistency_proof(m, n))


BIG = MemoryTree(_leaves(2**17 + 3, salt=2))


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_random_inclusion_proofs_in_a_large_tree_verify(data: st.DataObject) -> None:
    size = data.draw(st.integers(1, BIG.size))
    index = data.draw(st.integers(0, size - 1))
    proof = BIG.inclusion_proof(index, size)
    assert len(proof) <= size.bit_length()
    verify_inclusion(BIG.node(0, index), index, size, proof, BIG.root(size))


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_random_consistency_proofs_in_a_large_tree_verify(data: st.DataObject) -> None:
    new = data.draw(st.integers(0, BIG.size))
    old = data.draw(st.integers(0, new))
    proof = BIG.consistency_proof(old, new)
    assert len(proof) <= 2 * new.bit_length()
    verify_consistency(old, new, BIG.root(old), BIG.root(new), proof)


# --- inclusion: one named test per way a proof can be wrong -------------------------------------

CT_5_IN_8 = [bytes.fromhex(h) for h in CT_INCLUSION[5, 8]]


def _verify_5_in_8(**changes: Any) -> None:
    arguments: dict[str, Any] = {
        "leaf_hash": CT_LEAVES[5],
        "index": 5,
        "size": 8,
        "proof": CT_5_IN_8,
        "root": _root(8),
    }
    verify_inclusion(**{**arguments, **changes})


def test_proof_error_is_an_integrity_error() -> None:
    assert issubclass(ProofError, IntegrityError)
    assert ProofError.exit_code == 1
    assert issubclass(ProofRangeError, InputError)
    assert ProofRangeError.exit_code == 2


@pytest.mark.parametrize("position", [0, 1, 2])
def test_inclusion_refuses_a_changed_path_hash(position: int) -> None:
    with pytest.raises(
        ProofError,
        match=f"expected root sha256:{CT_ROOTS[8]}, got sha256:[0-9a-f]{{64}} from the "
        "inclusion proof of leaf 5 in a tree of 8",
    ):
        _verify_5_in_8(proof=_changed(CT_5_IN_8, position))


def test_inclusion_refuses_a_changed_leaf() -> None:
    with pytest.raises(ProofError, match=f"expected root sha256:{CT_ROOTS[8]}, got sha256:"):
        _verify_5_in_8(leaf_hash=CT_LEAVES[4])


def test_inclusion_refuses_a_wrong_index() -> None:
    with pytest.raises(
        ProofError,
        match=f"expected root sha256:{CT_ROOTS[8]}, got sha256:[0-9a-f]{{64}} from the "
        "inclusion proof of leaf 4 in a tree of 8",
    ):
        _verify_5_in_8(index=4)


def test_inclusion_refuses_an_index_beyond_the_tree() -> None:
    with pytest.raises(ProofError, match="expected a leaf index from 0 to 7, got 8"):
        _verify_5_in_8(index=8)


def test_inclusion_refuses_a_negative_index() -> None:
    with pytest.raises(ProofError, match="expected a leaf index from 0 to 7, got -1"):
        _verify_5_in_8(index=-1)


def test_inclusion_refuses_a_wrong_size_with_its_root() -> None:
    with pytest.raises(
        ProofError,
        match=f"expected root sha256:{CT_ROOTS[7]}, got sha256:{CT_ROOTS[8]} from the "
        "inclusion proof of leaf 5 in a tree of 7",
    ):
        _verify_5_in_8(size=7, root=_root(7))


def test_inclusion_refuses_a_size_whose_path_is_shorter() -> None:
    with pytest.raises(
        ProofError, match="expected 2 hashes in the inclusion proof of leaf 5 in a tree of 6, got 3"
    ):
        _verify_5_in_8(size=6, root=_root(6))


def test_inclusion_refuses_a_wrong_root() -> None:
    with pytest.raises(
        ProofError, match=f"expected root sha256:{CT_ROOTS[7]}, got sha256:{CT_ROOTS[8]}"
    ):
        _verify_5_in_8(root=_root(7))


def test_inclusion_refuses_an_extra_hash() -> None:
    with pytest.raises(
        ProofError, match="expected 3 hashes in the inclusion proof of leaf 5 in a tree of 8, got 4"
    ):
        _verify_5_in_8(proof=[*CT_5_IN_8, CT_5_IN_8[0]])


def test_inclusion_refuses_a_missing_hash() -> None:
    with pytest.raises(
        ProofError, match="expected 3 hashes in the inclusion proof of leaf 5 in a tree of 8, got 2"
    ):
        _verify_5_in_8(proof=CT_5_IN_8[:2])


def test_inclusion_refuses_swapped_hashes() -> None:
    with pytest.raises(ProofError, match=f"expected root sha256:{CT_ROOTS[8]}, got sha256:"):
        _verify_5_in_8(proof=[CT_5_IN_8[1], CT_5_IN_8[0], CT_5_IN_8[2]])


def test_inclusion_refuses_a_short_hash() -> None:
    with pytest.raises(ProofError, match="expected proof hash 1 of 32 bytes, got 31 bytes"):
        _verify_5_in_8(proof=[CT_5_IN_8[0], CT_5_IN_8[1][:31], CT_5_IN_8[2]])


def test_inclusion_refuses_a_short_root() -> None:
    with pytest.raises(ProofError, match="expected a root hash of 32 bytes, got 0 bytes"):
        _verify_5_in_8(root=b"")


def test_inclusion_refuses_a_leaf_that_is_not_bytes() -> None:
    with pytest.raises(ProofError, match="expected a leaf hash of 32 bytes, got str"):
        _verify_5_in_8(leaf_hash=CT_LEAVES[5].hex())


def test_single_leaf_tree_needs_an_empty_path() -> None:
    verify_inclusion(CT_LEAVES[0], 0, 1, [], _root(1))
    with pytest.raises(
        ProofError, match="expected 0 hashes in the inclusion proof of leaf 0 in a tree of 1, got 1"
    ):
        verify_inclusion(CT_LEAVES[0], 0, 1, [CT_LEAVES[1]], _root(1))


def test_every_changed_inclusion_hash_up_to_64_leaves_fails() -> None:
    for index, size in SMALL_PAIRS:
        proof = TREE_64.inclusion_proof(index, size)
        expected = re.escape(f"expected root sha256:{ROOTS_64[size].hex()}, got sha256:")
        for i in range(len(proof)):
            for bit in (0, 7):
                changed = [*proof[:i], _flip(proof[i], bit), *proof[i + 1 :]]
                with pytest.raises(ProofError, match=expected):
                    verify_inclusion(LEAVES_64[index], index, size, changed, ROOTS_64[size])


def test_every_wrong_index_up_to_32_leaves_fails() -> None:
    for index, size in SMALL_PAIRS[:CROSS_PAIRS]:
        proof = TREE_64.inclusion_proof(index, size)
        for other in range(size):
            if other != index:
                with pytest.raises(ProofError, match=r"expected (root sha256:|\d+ hashes)"):
                    verify_inclusion(LEAVES_64[index], other, size, proof, ROOTS_64[size])


def test_every_wrong_size_up_to_32_leaves_fails() -> None:
    """A proof checked against another size's (size, root) pair, as a checkpoint binds them."""
    for index, size in SMALL_PAIRS[:CROSS_PAIRS]:
        proof = TREE_64.inclusion_proof(index, size)
        for other in range(index + 1, 33):
            if other != size:
                with pytest.raises(ProofError, match=r"expected (root sha256:|\d+ hashes)"):
                    verify_inclusion(LEAVES_64[index], index, other, proof, ROOTS_64[other])


def test_every_wrong_length_up_to_64_leaves_names_the_right_length() -> None:
    for index, size in SMALL_PAIRS:
        proof = TREE_64.inclusion_proof(index, size)
        message = f"expected {len(proof)} hashes in the inclusion proof of leaf {index} in a tree"
        with pytest.raises(ProofError, match=message):
            verify_inclusion(
                LEAVES_64[index],
                index,
                size,
                [*proof, proof[0] if proof else LEAVES_64[0]],
                ROOTS_64[size],
            )
        if proof:
            with pytest.raises(ProofError, match=message):
                verify_inclusion(LEAVES_64[index], index, size, proof[:-1], ROOTS_64[size])


# --- consistency: one named test per way a proof can be wrong -----------------------------------

CT_6_TO_8 = [bytes.fromhex(h) for h in CT_CONSISTENCY[6, 8]]


def _verify_6_to_8(**changes: Any) -> None:
    arguments: dict[str, Any] = {
        "old_size": 6,
        "new_size": 8,
        "old_root": _root(6),
        "new_root": _root(8),
        "proof": CT_6_TO_8,
    }
    verify_consistency(**{**arguments, **changes})


@pytest.mark.parametrize(("position", "which"), [(0, "old"), (1, "new"), (2, "old")])
def test_consistency_refuses_a_changed_proof_hash(position: int, which: str) -> None:
    """The first hash seeds both roots, the second is a right sibling (new tree only), the third
    a left sibling (both trees)."""
    root = CT_ROOTS[6] if which == "old" else CT_ROOTS[8]
    with pytest.raises(
        ProofError,
        match=f"expected {which} root sha256:{root}, got sha256:[0-9a-f]{{64}} from the "
        "consistency proof from 6 to 8",
    ):
        _verify_6_to_8(proof=_changed(CT_6_TO_8, position))


@pytest.mark.parametrize("position", [0, 1, 2])
def test_consistency_from_a_power_of_two_refuses_a_changed_hash(position: int) -> None:
    """From size 1 the old root is the seed, so every proof hash is a right sibling."""
    proof = [bytes.fromhex(h) for h in CT_CONSISTENCY[1, 8]]
    with pytest.raises(ProofError, match=f"expected new root sha256:{CT_ROOTS[8]}, got sha256:"):
        verify_consistency(1, 8, _root(1), _root(8), _changed(proof, position))


def test_consistency_refuses_a_wrong_old_root() -> None:
    with pytest.raises(
        ProofError, match=f"expected old root sha256:{CT_ROOTS[5]}, got sha256:{CT_ROOTS[6]}"
    ):
        _verify_6_to_8(old_root=_root(5))


def test_consistency_refuses_a_wrong_new_root() -> None:
    with pytest.raises(
        ProofError, match=f"expected new root sha256:{CT_ROOTS[7]}, got sha256:{CT_ROOTS[8]}"
    ):
        _verify_6_to_8(new_root=_root(7))


def test_consistency_refuses_swapped_roots() -> None:
    with pytest.raises(ProofError, match=f"expected old root sha256:{CT_ROOTS[8]}"):
        _verify_6_to_8(old_root=_root(8), new_root=_root(6))


def test_consistency_refuses_a_wrong_old_size() -> None:
    with pytest.raises(
        ProofError,
        match="expected 4 hashes in the consistency proof from 5 to 8, got 3",
    ):
        _verify_6_to_8(old_size=5, old_root=_root(5))


def test_consistency_refuses_a_wrong_new_size() -> None:
    with pytest.raises(
        ProofError,
        match=f"expected new root sha256:{CT_ROOTS[7]}, got sha256:{CT_ROOTS[8]} from the "
        "consistency proof from 6 to 7",
    ):
        _verify_6_to_8(new_size=7, new_root=_root(7))


def test_consistency_refuses_an_old_size_beyond_the_new() -> None:
    with pytest.raises(ProofError, match="expected an old size from 0 to 8, got 9"):
        _verify_6_to_8(old_size=9)


def test_consistency_refuses_an_empty_proof() -> None:
    with pytest.raises(
        ProofError, match="expected 3 hashes in the consistency proof from 6 to 8, got 0"
    ):
        _verify_6_to_8(proof=[])


def test_consistency_refuses_an_extra_hash() -> None:
    with pytest.raises(
        ProofError, match="expected 3 hashes in the consistency proof from 6 to 8, got 4"
    ):
        _verify_6_to_8(proof=[*CT_6_TO_8, CT_6_TO_8[0]])


def test_consistency_refuses_a_missing_hash() -> None:
    with pytest.raises(
        ProofError, match="expected 3 hashes in the consistency proof from 6 to 8, got 2"
    ):
        _verify_6_to_8(proof=CT_6_TO_8[:2])


def test_consistency_refuses_a_short_hash() -> None:
    with pytest.raises(ProofError, match="expected proof hash 2 of 32 bytes, got 16 bytes"):
        _verify_6_to_8(proof=[*CT_6_TO_8[:2], CT_6_TO_8[2][:16]])


def test_consistency_of_equal_sizes_needs_equal_roots_and_no_proof() -> None:
    verify_consistency(8, 8, _root(8), _root(8), [])
    with pytest.raises(ProofError, match=f"expected old root sha256:{CT_ROOTS[8]} for size 8"):
        verify_consistency(8, 8, _root(7), _root(8), [])
    with pytest.raises(
        ProofError, match="expected 0 hashes in the consistency proof from 8 to 8, got 1"
    ):
        verify_consistency(8, 8, _root(8), _root(8), [_root(8)])


def test_consistency_from_the_empty_tree_needs_its_root_and_no_proof() -> None:
    verify_consistency(0, 8, EMPTY_TREE_HASH, _root(8), [])
    with pytest.raises(
        ProofError, match=f"expected old root sha256:{EMPTY_TREE_HASH.hex()} for size 0"
    ):
        verify_consistency(0, 8, _root(1), _root(8), [])
    with pytest.raises(
        ProofError, match="expected 0 hashes in the consistency proof from 0 to 8, got 1"
    ):
        verify_consistency(0, 8, EMPTY_TREE_HASH, _root(8), [_root(8)])


def test_every_changed_consistency_hash_up_to_64_leaves_fails() -> None:
    for old, new in SMALL_SIZES:
        proof = TREE_64.consistency_proof(old, new)
        for i in range(len(proof)):
            with pytest.raises(ProofError, match=r"expected (old|new) root sha256:"):
                verify_consistency(old, new, ROOTS_64[old], ROOTS_64[new], _changed(proof, i))


def test_every_wrong_size_pair_up_to_32_leaves_fails() -> None:
    """A proof checked against other sizes, each with its own root."""
    for old, new in SMALL_SIZES[:CROSS_SIZES]:
        proof = TREE_64.consistency_proof(old, new)
        for other in range(1, new):
            if other != old:
                with pytest.raises(ProofError, match=r"expected (old root|new root|\d+ hashes)"):
                    verify_consistency(other, new, ROOTS_64[other], ROOTS_64[new], proof)
        for other in range(old + 1, 33):
            if other != new:
                with pytest.raises(ProofError, match=r"expected (old root|new root|\d+ hashes)"):
                    verify_consistency(old, other, ROOTS_64[old], ROOTS_64[other], proof)


def test_every_wrong_consistency_length_up_to_64_leaves_names_the_right_length() -> None:
    for old, new in SMALL_SIZES:
        proof = TREE_64.consistency_proof(old, new)
        message = f"expected {len(proof)} hashes in the consistency proof from {old} to {new}"
        with pytest.raises(ProofError, match=message):
            verify_consistency(old, new, ROOTS_64[old], ROOTS_64[new], [*proof, proof[0]])
        with pytest.raises(ProofError, match=message):
            verify_consistency(old, new, ROOTS_64[old], ROOTS_64[new], proof[:-1])


# --- asking for a proof the tree cannot give ----------------------------------------------------


def test_inclusion_proof_refuses_an_index_beyond_the_size() -> None:
    with pytest.raises(ProofRangeError, match="expected a leaf index from 0 to 4, got 5"):
        inclusion_proof(5, 5, TREE_64.node)


def test_consistency_proof_refuses_an_old_size_beyond_the_new() -> None:
    with pytest.raises(ProofRangeError, match="expected an old size from 0 to 5, got 6"):
        consistency_proof(6, 5, TREE_64.node)


def test_memory_tree_refuses_a_size_beyond_its_leaves() -> None:
    with pytest.raises(ProofRangeError, match="expected a tree size from 1 to 8, got 9"):
        CT_TREE.inclusion_proof(0, 9)
    with pytest.raises(ProofRangeError, match="expected a tree size from 0 to 8, got 9"):
        CT_TREE.consistency_proof(1, 9)
    with pytest.raises(ProofRangeError, match="expected a tree size from 0 to 8, got 9"):
        CT_TREE.root(9)


def test_memory_tree_refuses_a_node_it_has_not_completed() -> None:
    with pytest.raises(
        ProofRangeError, match="expected a perfect subtree within 8 leaves, got 16 leaves from 0"
    ):
        CT_TREE.node(4, 0)
    with pytest.raises(
        ProofRangeError, match="expected a perfect subtree within 8 leaves, got 2 leaves from 3"
    ):
        CT_TREE.node(1, 3)


def test_memory_tree_grows_and_keeps_earlier_proofs() -> None:
    tree = MemoryTree()
    assert tree.root() == EMPTY_TREE_HASH
    for size, leaf in enumerate(LEAVES_64, 1):
        tree.append(leaf)
        assert tree.root() == ROOTS_64[size]
        assert tree.inclusion_proof(size // 2) == TREE_64.inclusion_proof(size // 2, size)
    tree.extend(_leaves(3, salt=9))
    assert tree.size == 67
    assert tree.root(64) == ROOTS_64[64]


# --- against pymerkle, an independent implementation --------------------------------------------


def _pymerkle_tree() -> Callable[[list[bytes]], Any]:
    """A maker of pymerkle in-memory trees with RFC 9162 hashing, or a skip saying why not."""
    try:
        import pymerkle
    except ImportError:
        pytest.skip("pymerkle is not installed (pip install pymerkle: the dev extras)")

    def make(entries: list[bytes]) -> Any:
        # sha256 with its default "security" on: leaves SHA-256(0x00 || entry), nodes
        # SHA-256(0x01 || left || right), RFC 9162 section 2.1.1.
        tree = pymerkle.InmemoryTree(algorithm="sha256")
        for entry in entries:
            tree.append_entry(entry)
        return tree

    try:
        reference = make(CT_LEAF_INPUTS)
        compatible = reference.get_root(8).hex() == CT_ROOTS[8]
    except (AttributeError, TypeError) as e:
        pytest.skip(f"pymerkle {pymerkle.__version__} has another API: {e}")
    if not compatible:
        pytest.skip(f"pymerkle {pymerkle.__version__} does not hash as RFC 9162 by default")
    return make


def _entries(n: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    return [rng.randbytes(rng.randrange(0, 40)) for _ in range(n)]


@pytest.mark.parametrize("seed", range(4))
def test_roots_and_inclusion_paths_equal_pymerkle(seed: int) -> None:
    make = _pymerkle_tree()
    rng = random.Random(seed)
    entries = _entries(rng.randrange(1, 700), seed)
    theirs = make(entries)
    ours = MemoryTree(leaf_hash(e) for e in entries)
    for _ in range(100):
        size = rng.randrange(1, ours.size + 1)
        index = rng.randrange(size)
        assert ours.root(size) == theirs.get_root(size)
        proof = theirs.prove_inclusion(index + 1, size)  # pymerkle counts leaves from 1
        # pymerkle's path is the leaf, then RFC 9162's PATH.
        assert proof.path[0] == ours.node(0, index)
        assert proof.path[1:] == ours.inclusion_proof(index, size)


@pytest.mark.parametrize("seed", range(4))
def test_consistency_paths_agree_with_pymerkle(seed: int) -> None:
    """pymerkle's consistency proof is not RFC 9162's PROOF (from 1 to 2 it gives two hashes,
    the RFC one), so paths cannot be compared directly. Instead: (1) pymerkle accepts its own
    proof against our roots; (2) our proof equals the RFC path rebuilt from pymerkle's inclusion
    path of the old tree's last leaf m - 1: the node of the 2**L leaves ending at m (L the
    trailing zero bits of m; omitted when m is a power of two, as the verifier knows it), then
    that leaf's siblings above level L."""
    make = _pymerkle_tree()
    import pymerkle

    rng = random.Random(100 + seed)
    entries = _entries(rng.randrange(2, 700), seed)
    theirs = make(entries)
    ours = MemoryTree(leaf_hash(e) for e in entries)
    for _ in range(100):
        new = rng.randrange(2, ours.size + 1)
        old = rng.randrange(1, new)
        pymerkle.verify_consistency(
            ours.root(old), ours.root(new), theirs.prove_consistency(old, new)
        )
        leaf, *siblings = theirs.prove_inclusion(old, new).path
        level = (old & -old).bit_length() - 1
        node = leaf
        for sibling in siblings[:level]:  # all left siblings: m - 1 ends its subtree
            node = node_hash(sibling, node)
        rebuilt = ([] if old & (old - 1) == 0 else [node]) + siblings[level:]
        assert ours.consistency_proof(old, new) == rebuilt, (old, new)


def test_pymerkle_refuses_what_we_refuse() -> None:
    make = _pymerkle_tree()
    import pymerkle

    theirs = make(CT_LEAF_INPUTS)
    proof = theirs.prove_inclusion(6, 8)
    proof.path[2] = _flip(proof.path[2])
    with pytest.raises(pymerkle.InvalidProof):
        pymerkle.verify_inclusion(CT_LEAVES[5], _root(8), proof)
    with pytest.raises(ProofError, match=f"expected root sha256:{CT_ROOTS[8]}"):
        verify_inclusion(CT_LEAVES[5], 5, 8, proof.path[1:], _root(8))
