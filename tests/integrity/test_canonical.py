"""Canonical JSON (RFC 8785) and canonical times: the fast path equals the reference, and every
value without a canonical form is refused by name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.errors import CanonicalEncodingError
from ledger.integrity.canonical import (
    MAX_SAFE_INTEGER,
    canonical_bytes,
    format_time,
    parse_json,
    parse_time,
    reference_canonical_bytes,
)

# Characters where implementations go wrong: controls, escapes, line separators, CJK, the first
# private-use character (where code-point and UTF-16 order start to differ), the last BMP
# character, and non-BMP characters (surrogate pairs in UTF-16).
AWKWARD = (
    "\x00",
    "\x1f",
    '"',
    "\\",
    "/",
    "\x7f",
    "\u2028",
    "张",
    "\ud7ff",
    "\ue000",
    "\uff01",
    "\uffff",
    "\U00010000",
    "😀",
    "𠀀",
    "𪚥",
    "\U0010ffff",
)
CHARACTERS = st.characters(codec="utf-8") | st.sampled_from(AWKWARD)
TEXT = st.text(CHARACTERS, max_size=12)
SAFE_INTEGERS = st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER) | st.sampled_from(
    [MAX_SAFE_INTEGER, -MAX_SAFE_INTEGER, 0, -1]
)
SCALARS = st.none() | st.booleans() | SAFE_INTEGERS | TEXT
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(TEXT, children, max_size=6),
    max_leaves=30,
)
ZONES = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))
MOMENTS = st.datetimes(
    min_value=datetime(1900, 1, 2), max_value=datetime(9999, 12, 30), timezones=ZONES
)


# --- the fast path against the reference -----------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(JSON_VALUES)
def test_canonical_bytes_equal_rfc8785_reference(value: Any) -> None:
    assert canonical_bytes(value) == reference_canonical_bytes(value)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(TEXT, SAFE_INTEGERS, min_size=2, max_size=8))
def test_object_keys_sort_as_rfc8785_requires(value: dict[str, int]) -> None:
    assert canonical_bytes(value) == reference_canonical_bytes(value)


@settings(max_examples=200, deadline=None)
@given(JSON_VALUES)
def test_canonical_bytes_parse_back_to_the_value(value: Any) -> None:
    encoded = canonical_bytes(value)
    assert parse_json(encoded) == value
    assert canonical_bytes(parse_json(encoded)) == encoded


def test_tuples_encode_as_arrays() -> None:
    assert canonical_bytes(("a", 1)) == canonical_bytes(["a", 1]) == b'["a",1]'


# --- key order: UTF-16 code units, not code points (RFC 8785 section 3.2.3) ------------------


def test_non_bmp_key_sorts_before_private_use_key() -> None:
    value = {"\ue000": 1, "𠀀": 2}
    # Python sorts by code point (U+E000 < U+20000); RFC 8785 by UTF-16 code units
    # (0xD840 0xDC00 < 0xE000), so the two orders differ here.
    assert sorted(value) == ["\ue000", "𠀀"]
    expected = '{"𠀀":2,"\ue000":1}'.encode()
    assert canonical_bytes(value) == expected
    assert reference_canonical_bytes(value) == expected


def test_keys_below_private_use_sort_by_code_point() -> None:
    value = {"张": 1, "a": 2, "é": 3, "Z": 4}
    assert canonical_bytes(value) == '{"Z":4,"a":2,"é":3,"张":1}'.encode()


# --- values with no canonical form -----------------------------------------------------------


def test_float_is_refused() -> None:
    with pytest.raises(CanonicalEncodingError, match=r"float 1\.5 has no canonical form here"):
        canonical_bytes({"amount": 1.5})


def test_integral_float_is_refused() -> None:
    with pytest.raises(CanonicalEncodingError, match=r"float 1\.0 has no canonical form here"):
        canonical_bytes([1.0])


def test_integer_above_safe_range_is_refused() -> None:
    with pytest.raises(
        CanonicalEncodingError, match=r"integer 9007199254740992 is outside the canonical range"
    ):
        canonical_bytes({"n": 2**53})


def test_integer_below_safe_range_is_refused() -> None:
    with pytest.raises(
        CanonicalEncodingError, match=r"integer -9007199254740992 is outside the canonical range"
    ):
        canonical_bytes([-(2**53)])


def test_safe_range_bounds_are_accepted() -> None:
    assert canonical_bytes([2**53 - 1, -(2**53 - 1)]) == b"[9007199254740991,-9007199254740991]"


def test_lone_surrogate_in_value_is_refused() -> None:
    with pytest.raises(CanonicalEncodingError, match="text is not valid Unicode"):
        canonical_bytes({"name": "\ud800"})


def test_lone_surrogate_in_key_is_refused() -> None:
    with pytest.raises(CanonicalEncodingError, match="text is not valid Unicode"):
        canonical_bytes({"\udc00": 1})


def test_lone_surrogate_in_key_beside_private_use_key_is_refused() -> None:
    # Takes the reference path, where rfc8785 meets the surrogate while sorting keys as UTF-16.
    with pytest.raises(CanonicalEncodingError, match="text is not valid Unicode"):
        canonical_bytes({"\ud800": 1, "\ue000": 2})


def test_lone_surrogate_beside_private_use_value_is_refused() -> None:
    with pytest.raises(CanonicalEncodingError, match="no canonical form"):
        canonical_bytes(["\ud800", "\ue000"])


def test_datetime_value_is_refused() -> None:
    with pytest.raises(CanonicalEncodingError, match="datetime is not a JSON value"):
        canonical_bytes({"at": datetime(2026, 3, 12, tzinfo=UTC)})


def test_non_string_key_is_refused() -> None:
    with pytest.raises(CanonicalEncodingError, match="object keys must be strings, got 1"):
        canonical_bytes({1: "one"})


# --- times -----------------------------------------------------------------------------------


def test_format_time_normalises_offset_to_utc_with_microseconds() -> None:
    beijing = timezone(timedelta(hours=8))
    moment = datetime(2026, 3, 12, 9, 30, tzinfo=beijing)
    assert format_time(moment) == "2026-03-12T01:30:00.000000Z"


def test_format_time_keeps_microseconds() -> None:
    moment = datetime(2026, 3, 11, 20, 30, 0, 123456, tzinfo=timezone(timedelta(hours=-5)))
    assert format_time(moment) == "2026-03-12T01:30:00.123456Z"


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(CanonicalEncodingError, match=r"time 2026-03-12T09:30:00 has no time zone"):
        format_time(datetime(2026, 3, 12, 9, 30))


def test_parse_time_refuses_other_forms() -> None:
    with pytest.raises(
        CanonicalEncodingError, match=r"is not in the form YYYY-MM-DDTHH:MM:SS\.ffffffZ"
    ):
        parse_time("2026-03-12T09:30:00+08:00")


def test_parse_time_refuses_missing_fraction() -> None:
    with pytest.raises(CanonicalEncodingError, match="'2026-03-12T01:30:00Z' is not in the form"):
        parse_time("2026-03-12T01:30:00Z")


@settings(max_examples=200, deadline=None)
@given(MOMENTS)
def test_format_time_round_trips(moment: datetime) -> None:
    text = format_time(moment)
    assert parse_time(text) == moment
    assert format_time(parse_time(text)) == text


@settings(max_examples=200, deadline=None)
@given(MOMENTS, MOMENTS)
def test_time_text_order_is_time_order(a: datetime, b: datetime) -> None:
    # The verifier compares recording times as text (chain rule: recorded_at never decreases).
    assert (format_time(a) < format_time(b)) == (a < b)


# --- parsing ---------------------------------------------------------------------------------


def test_parse_json_refuses_duplicate_keys() -> None:
    with pytest.raises(ValueError, match="duplicate key 'a'"):
        parse_json(b'{"a":1,"b":2,"a":3}')


def test_parse_json_refuses_nested_duplicate_keys() -> None:
    with pytest.raises(ValueError, match="duplicate key 'x'"):
        parse_json(b'{"outer":[{"x":1,"x":1}]}')


def test_parse_json_keeps_distinct_keys() -> None:
    assert parse_json('{"a":1,"张":[true,null]}'.encode()) == {"a": 1, "张": [True, None]}


def test_parse_json_reads_escaped_non_bmp_as_one_character() -> None:
    assert parse_json(b'"\\ud840\\udc00"') == "𠀀"
    assert canonical_bytes(parse_json(b'"\\ud840\\udc00"')) == '"𠀀"'.encode()
