"""Hostile inputs for the fuzz tests: random structures, bytes, deep nesting, huge strings and
integers, anchors and aliases, invalid UTF-8, and random edits of valid inputs."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from ledger.record.document import schema

ACT_NAMES = sorted(
    branch["properties"]["act"]["const"]
    for branch in schema()["$defs"].values()
    if "act" in branch.get("properties", {}) and "const" in branch["properties"]["act"]
)

# Scalars a parser or a model may trip on: huge and negative integers, floats of every kind,
# text with astral characters, controls, NUL and right-to-left marks, empty strings.
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["", "\x00", "\u202e", "𠀀", "2026-13-01", "sha256:", "-1", "1e999"]),
    st.sampled_from(ACT_NAMES),
)

json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=6),
        st.dictionaries(st.text(max_size=12), children, max_size=6),
    ),
    max_leaves=40,
)


@st.composite
def act_like(draw: st.DrawFn) -> dict[str, Any]:
    """A mapping that looks like an act: a real act name and fields of real and random names."""
    fields = ["as", "at", "name", "title", "member", "meeting", "item", "matter", "method", "for"]
    fields += ["against", "ballots", "members", "posts", "body", "by", "outcome", "kind", "title"]
    act: dict[str, Any] = {"act": draw(st.sampled_from(ACT_NAMES))}
    for name in draw(st.lists(st.sampled_from(fields), max_size=6, unique=True)):
        act[name] = draw(json_values)
    return act


documents = st.one_of(
    json_values,
    st.fixed_dictionaries({"acts": st.lists(act_like(), max_size=5)}),
    st.fixed_dictionaries(
        {"format": st.one_of(st.just("ledger.record/1"), st.text(max_size=10))},
        optional={"acts": st.lists(st.one_of(act_like(), json_values), max_size=4)},
    ),
)


@st.composite
def byte_edits(draw: st.DrawFn, original: bytes) -> bytes:
    """``original`` with a few random byte-level edits: replace, insert, delete, truncate."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["replace", "insert", "delete", "truncate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "replace" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete" and data:
            del data[at : at + draw(st.integers(1, 8))]
        elif kind == "truncate":
            del data[at:]
    return bytes(data)
