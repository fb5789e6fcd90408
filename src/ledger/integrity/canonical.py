"""Canonical JSON (RFC 8785, the JSON Canonicalization Scheme) for everything the ledger hashes.

The ledger's values are JSON objects, arrays, strings, booleans, null and integers within the
I-JSON safe range (|n| <= 2**53 - 1). Floats are never used: decimals travel as strings, so a
number's canonical form never depends on binary floating point. Times are strings (see
:func:`format_time`).

Two implementations produce the same bytes:

* :func:`canonical_bytes` runs the ``rfc8785`` library, the reference used for arbitrary values.
* The fast path is the standard library encoder with sorted keys. It equals RFC 8785 whenever
  no character at or above U+E000 occurs (only then can code-point order, which Python sorts by,
  differ from the UTF-16 code-unit order that RFC 8785 section 3.2.3 requires) and the value holds
  no float and no out-of-range integer. :func:`canonical_bytes` takes it when the output shows it
  may, after the value's numbers were checked. A property test holds the two equal.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import rfc8785

from ledger.errors import CanonicalEncodingError

MAX_SAFE_INTEGER = 2**53 - 1
_FAST = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
).encode
_FIRST_RISKY_CHAR = "\ue000"


def _check_numbers(value: Any) -> None:
    """Refuse floats and integers outside the I-JSON range, anywhere in ``value``."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            for key, sub in item.items():
                if type(key) is not str:
                    raise CanonicalEncodingError(
                        f"object keys must be strings, got {key!r}",
                        zh=f"对象的键必须是字符串，而不是 {key!r}",
                    )
                stack.append(sub)
        elif kind is list or kind is tuple:
            stack.extend(item)
        elif kind is int:
            if not -MAX_SAFE_INTEGER <= item <= MAX_SAFE_INTEGER:
                raise CanonicalEncodingError(
                    f"integer {item} is outside the canonical range ±(2**53 - 1); "
                    "write it as a decimal string",
                    zh=f"整数 {item} 超出规范范围 ±(2**53 - 1)；请写成十进制字符串",
                )
        elif kind is float:
            raise CanonicalEncodingError(
                f"float {item!r} has no canonical form here; write it as a decimal string",
                zh=f"浮点数 {item!r} 在此没有规范形式；请写成十进制字符串",
            )
        elif kind not in (str, bool, type(None)):
            raise CanonicalEncodingError(
                f"{kind.__name__} is not a JSON value: {item!r}",
                zh=f"{kind.__name__} 不是 JSON 值：{item!r}",
            )


def canonical_bytes(value: Any) -> bytes:
    """Return the RFC 8785 canonical UTF-8 bytes of ``value``.

    Raises :class:`CanonicalEncodingError` for floats, integers outside ±(2**53 - 1), lone
    surrogates and anything that is not a JSON value.
    """
    _check_numbers(value)
    try:
        text = _FAST(value)
    except (TypeError, ValueError) as e:  # pragma: no cover - guarded by _check_numbers
        raise CanonicalEncodingError(str(e), zh=f"没有规范形式：{e}") from e
    if not text or text.isascii() or max(text) < _FIRST_RISKY_CHAR:
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError as e:
            raise CanonicalEncodingError(
                f"text is not valid Unicode: {e.reason}", zh=f"文本不是有效的 Unicode：{e.reason}"
            ) from e
    return reference_canonical_bytes(value)


def reference_canonical_bytes(value: Any) -> bytes:
    """RFC 8785 bytes by the ``rfc8785`` library alone (the reference the fast path must match)."""
    try:
        return rfc8785.dumps(value)
    except rfc8785.CanonicalizationError as e:
        raise CanonicalEncodingError(f"no canonical form: {e}", zh=f"没有规范形式：{e}") from e
    except UnicodeEncodeError as e:  # a lone surrogate in an object key, met while sorting keys
        raise CanonicalEncodingError(
            f"text is not valid Unicode: {e.reason}", zh=f"文本不是有效的 Unicode：{e.reason}"
        ) from e


def parse_json(data: bytes) -> Any:
    """Parse JSON bytes, refusing duplicate object keys (they make a document ambiguous)."""
    return json.loads(data, object_pairs_hook=_no_duplicates)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"duplicate key {key!r}")
            seen.add(key)
    return result


def format_time(moment: datetime) -> str:
    """The one text form of a time: UTC, microseconds, ``Z`` (``2026-03-12T01:30:00.000000Z``).

    Naive datetimes are refused: a time without a zone cannot be placed on the record.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise CanonicalEncodingError(
            f"time {moment.isoformat()} has no time zone",
            zh=f"时间 {moment.isoformat()} 没有时区",
        )
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> datetime:
    """Parse the canonical time form written by :func:`format_time` (and only that form)."""
    try:
        if len(text) != 27 or text[-1] != "Z" or text[10] != "T" or text[19] != ".":
            raise ValueError(text)
        moment = datetime.fromisoformat(text)  # the exact form is checked above
    except (TypeError, ValueError) as e:
        raise CanonicalEncodingError(
            f"time {text!r} is not in the form YYYY-MM-DDTHH:MM:SS.ffffffZ",
            zh=f"时间 {text!r} 不符合 YYYY-MM-DDTHH:MM:SS.ffffffZ 格式",
        ) from e
    return moment
