"""The RFC 9162 tree head: the accumulator against the recursive definition, against an
independent implementation written here from RFC 9162 section 2.1.1, and against the published
Certificate Transparency test vectors."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.integrity.merkle import EMPTY_TREE_HASH, TreeAccumulator, tree_head

# The Certificate Transparency reference data (RFC 6962 test vectors, as used by
# certificate-transparency and transparency-dev/merkle): eight leaf inputs ...
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
# ... and the published tree heads of their first n leaves, n = 0 .. 8.
CT_ROOTS = {
    0: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}


# --- an independent implementation, straight from RFC 9162 section 2.1.1 ---------------------


def _rfc_leaf_hash(data: bytes) -> bytes:
    """MTH({d(0)}) = HASH(0x00 || d(0))."""
    return hashlib.sha256(b"\x00" + data).digest()


def _rfc_mth(entries: list[bytes]) -> bytes:
    """MTH(D[n]) over raw entries: HASH() for n = 0; else split at k, the largest power of two
    smaller than n, and HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n]))."""
    n = len(entries)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return _rfc_leaf_hash(entries[0])
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + _rfc_mth(entries[:k]) + _rfc_mth(entries[k:])).digest()


def _leaves(n: int, salt: int = 0) -> list[bytes]:
    """``n`` distinct leaf hashes."""
    return [_rfc_leaf_hash(f"{salt}/{i}".encode()) for i in range(n)]


def _accumulate(leaves: list[bytes]) -> TreeAccumulator:
    tree = TreeAccumulator()
    for leaf in leaves:
        tree.append(leaf)
    return tree


# --- known answers ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", sorted(CT_ROOTS))
def test_independent_implementation_gives_published_roots(size: int) -> None:
    assert _rfc_mth(CT_LEAF_INPUTS[:size]).hex() == CT_ROOTS[size]


@pytest.mark.parametrize("size", sorted(CT_ROOTS))
def test_tree_head_gives_published_roots(size: int) -> None:
    leaves = [_rfc_leaf_hash(data) for data in CT_LEAF_INPUTS[:size]]
    assert tree_head(leaves).hex() == CT_ROOTS[size]


def test_accumulator_gives_published_roots_at_every_size() -> None:
    tree = TreeAccumulator()
    assert tree.root().hex() == CT_ROOTS[0]
    for size, data in enumerate(CT_LEAF_INPUTS, 1):
        tree.append(_rfc_leaf_hash(data))
        assert tree.size == size
        assert tree.root().hex() == CT_ROOTS[size], f"size {size}"


def test_empty_tree_hash_is_hash_of_nothing() -> None:
    assert hashlib.sha256(b"").digest() == EMPTY_TREE_HASH
    assert EMPTY_TREE_HASH.hex() == CT_ROOTS[0]


# --- the accumulator against the definitions -------------------------------------------------


def test_accumulator_equals_recursive_definition_up_to_70_leaves() -> None:
    leaves = _leaves(70)
    tree = TreeAccumulator()
    for size in range(71):
        assert tree.root() == tree_head(leaves[:size]), f"size {size}"
        assert len(tree.peaks) == bin(size).count("1")
        if size < 70:
            tree.append(leaves[size])


def test_recursive_definition_equals_independent_implementation_up_to_70_leaves() -> None:
    entries = [f"entry {i}".encode() for i in range(70)]
    leaves = [_rfc_leaf_hash(e) for e in entries]
    for size in range(71):
        assert tree_head(leaves[:size]) == _rfc_mth(entries[:size]), f"size {size}"


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 1100), st.integers(0, 2**32))
def test_accumulator_equals_recursive_definition_at_random_sizes(size: int, salt: int) -> None:
    leaves = _leaves(size, salt)
    assert _accumulate(leaves).root() == tree_head(leaves)


def test_leaf_order_matters() -> None:
    leaves = _leaves(5)
    swapped = [leaves[1], leaves[0], *leaves[2:]]
    assert tree_head(leaves) != tree_head(swapped)


# --- resuming from a saved compact range -----------------------------------------------------


@pytest.mark.parametrize("split", [0, 1, 2, 3, 7, 8, 13, 32, 33, 63])
def test_resume_from_peaks_continues_the_same_tree(split: int) -> None:
    leaves = _leaves(70)
    saved = _accumulate(leaves[:split])
    tree = TreeAccumulator.resume(saved.size, saved.peaks)
    assert tree.root() == saved.root()
    for leaf in leaves[split:]:
        tree.append(leaf)
    assert tree.size == 70
    assert tree.root() == tree_head(leaves)
    assert tree.peaks == _accumulate(leaves).peaks


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 300), st.integers(0, 300))
def test_resume_at_any_split_gives_the_full_tree(split: int, more: int) -> None:
    leaves = _leaves(split + more)
    saved = _accumulate(leaves[:split])
    tree = TreeAccumulator.resume(split, saved.peaks)
    for leaf in leaves[split:]:
        tree.append(leaf)
    assert tree.root() == tree_head(leaves)


def test_peaks_are_a_copy() -> None:
    tree = _accumulate(_leaves(3))
    tree.peaks.clear()
    assert len(tree.peaks) == 2


def test_resume_refuses_too_few_peaks() -> None:
    with pytest.raises(ValueError, match="1 peaks do not make a compact range of 3 leaves"):
        TreeAccumulator.resume(3, _accumulate(_leaves(2)).peaks)


def test_resume_refuses_too_many_peaks() -> None:
    with pytest.raises(ValueError, match="2 peaks do not make a compact range of 4 leaves"):
        TreeAccumulator.resume(4, _accumulate(_leaves(3)).peaks)


def test_resume_refuses_short_peak() -> None:
    with pytest.raises(ValueError, match="1 peaks do not make a compact range of 1 leaves"):
        TreeAccumulator.resume(1, [b"\x00" * 31])


def test_resume_refuses_negative_size() -> None:
    with pytest.raises(ValueError, match="0 peaks do not make a compact range of -1 leaves"):
        TreeAccumulator.resume(-1, [])


def test_resume_of_empty_range_is_empty_tree() -> None:
    tree = TreeAccumulator.resume(0, [])
    assert tree.root() == EMPTY_TREE_HASH
