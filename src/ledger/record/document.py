"""Reading a record file (YAML or JSON) into a :class:`RecordDocument`, with errors that point
at the field and, for YAML, the line.

Record files may come from other hands, so reading one is bounded before anything is built from
it (docs/record-format.md, "Hostile files"):

* at most ``MAX_DOCUMENT_BYTES`` (16 MiB) are read;
* YAML is read with the safe loader (no code, no custom tags; libyaml's when PyYAML has it,
  which reads ten times faster and the same) and its tokens are checked first, in one pass
  that builds nothing: anchors and aliases (which can expand a small file into an enormous one)
  and merge keys are refused;
* in both formats a key may appear once in a mapping (a reader of the file must see the value
  that is recorded, not one that a later duplicate overrides), lists and mappings may nest at
  most ``MAX_DEPTH`` deep (the format needs five; deeper input would exhaust the parser's stack),
  and a document may hold at most ``MAX_VALUES`` values (a county's whole year is about 15,000):
  every value can produce a validation error, so this bounds the memory a bad file costs;
* whatever the parser or a YAML constructor refuses (a 5,000-digit integer, the 13th month)
  is a :class:`RecordFormatError`, never another exception.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ledger.errors import InputError
from ledger.record.acts import RecordDocument

MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 32
MAX_VALUES = 100_000
MAX_SHOWN = 20  # problems listed in a refusal; the rest are counted

# libyaml's loader when PyYAML was built with it: the same safe constructors, a C scanner.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPENERS = (
    yaml.BlockSequenceStartToken,
    yaml.BlockMappingStartToken,
    yaml.FlowSequenceStartToken,
    yaml.FlowMappingStartToken,
)
_MAPPING_OPENERS = (yaml.BlockMappingStartToken, yaml.FlowMappingStartToken)
_CLOSERS = (yaml.BlockEndToken, yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)


class RecordFormatError(InputError):
    """A record file is not a valid record document; ``problems`` lists each, by field (and,
    for YAML, line), and ``zh`` the same problems in Chinese, one for one (``problems_zh``)."""

    def __init__(self, source: str, problems: list[str], *, zh: list[str]) -> None:
        more = len(problems) - MAX_SHOWN
        super().__init__(
            f"{source} is not a valid record document:\n  "
            + "\n  ".join(problems[:MAX_SHOWN])
            + (f"\n  … and {more} more" if more > 0 else ""),
            zh=f"{source} 不是有效的记录文档：\n  "
            + "\n  ".join(zh[:MAX_SHOWN])
            + (f"\n  …… 另有 {more} 项" if more > 0 else ""),
        )
        self.problems = problems
        self.problems_zh = zh


def read_document(path: Path) -> RecordDocument:
    """Read and validate a record file."""
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise InputError(
                f"{path} is {size} bytes; a record file may have {MAX_DOCUMENT_BYTES}",
                zh=f"{path} 有 {size} 字节，而记录文件至多 {MAX_DOCUMENT_BYTES} 字节",
            )
        with open(path, "rb") as f:
            raw = f.read(MAX_DOCUMENT_BYTES + 1)  # the file may have grown since
    except OSError as e:
        raise InputError(
            f"cannot read {path}: {e.strerror}", zh=f"无法读取 {path}：{e.strerror}"
        ) from e
    return parse_document(raw, str(path), is_json=path.suffix.lower() == ".json")


def parse_document(
    raw: bytes, source: str = "document", *, is_json: bool = False
) -> RecordDocument:
    """Parse YAML or JSON bytes into a validated document."""
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise InputError(
            f"{source} is larger than {MAX_DOCUMENT_BYTES} bytes",
            zh=f"{source} 超过 {MAX_DOCUMENT_BYTES} 字节",
        )
    data = parse_data(raw, source, is_json=is_json)
    text = raw.decode("utf-8")
    try:
        return RecordDocument.model_validate(data)
    except ValidationError as e:
        node = None if is_json else _compose(text)
        errors = e.errors()
        raise RecordFormatError(
            source,
            [_describe(err, node) for err in errors],
            zh=[_describe_zh(err, node) for err in errors],
        ) from e


def parse_data(raw: bytes, source: str = "document", *, is_json: bool = False) -> Any:
    """YAML or JSON bytes as plain data, read as a record file is (UTF-8; no anchors, aliases
    or duplicate keys; bounded in depth and values), before any schema is applied."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise RecordFormatError(
            source,
            [f"not UTF-8 text (byte {e.start})"],
            zh=[f"不是 UTF-8 文本（字节位置 {e.start}）"],
        ) from e
    return _parse_json(text, source) if is_json else _parse_yaml(text, source)


def _parse_json(text: str, source: str) -> Any:
    # Before parsing: every value but the first follows a '[', ':' or ',' outside strings, so
    # their count bounds the values (at most twice over) without building anything.
    bare = _JSON_STRING.sub("", text)
    if sum(bare.count(c) for c in "[:,") + 1 > 2 * MAX_VALUES:
        raise RecordFormatError(
            source, [f"more than {MAX_VALUES} values"], zh=[f"值超过 {MAX_VALUES} 个"]
        )
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except _DuplicateKeyError as e:
        key = e.args[0]
        raise RecordFormatError(
            source,
            [f"{key!r} appears twice in one object"],
            zh=[f"{key!r} 在同一个对象中出现了两次"],
        ) from e
    except RecursionError as e:
        raise RecordFormatError(
            source, [f"nested more than {MAX_DEPTH} deep"], zh=[f"嵌套超过 {MAX_DEPTH} 层"]
        ) from e
    except ValueError as e:
        raise RecordFormatError(source, [f"not JSON: {e}"], zh=[f"不是 JSON：{e}"]) from e
    _check_size(data, source)
    return data


# A JSON string, or an unterminated one to the end of the text (so the scan stays linear:
# no string is tried again from a later quote). Possessive: no backtracking.
_JSON_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+(?:"|\\?\Z)', re.DOTALL)


class _DuplicateKeyError(ValueError):
    """A JSON object names a key twice."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document = dict(pairs)
    if len(document) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(key)
            seen.add(key)
    return document


def _check_size(data: Any, source: str) -> None:
    """At most ``MAX_DEPTH`` levels and ``MAX_VALUES`` values, counted without recursion."""
    values = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        values += 1
        if values > MAX_VALUES:
            raise RecordFormatError(
                source, [f"more than {MAX_VALUES} values"], zh=[f"值超过 {MAX_VALUES} 个"]
            )
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise RecordFormatError(
                    source, [f"nested more than {MAX_DEPTH} deep"], zh=[f"嵌套超过 {MAX_DEPTH} 层"]
                )
            items = value.values() if isinstance(value, dict) else value
            stack.extend((item, depth + 1) for item in items)


def _parse_yaml(text: str, source: str) -> Any:
    try:
        _check_tokens(text, source)
        return yaml.load(text, Loader=_Loader)  # a safe loader: no code, no custom tags
    except yaml.YAMLError as e:
        raise RecordFormatError(source, [f"not YAML: {e}"], zh=[f"不是 YAML：{e}"]) from e
    except (ValueError, OverflowError) as e:  # a constructor's: int("9" * 5000), month 13
        raise RecordFormatError(source, [f"not YAML: {e}"], zh=[f"不是 YAML：{e}"]) from e


def _check_tokens(text: str, source: str) -> None:
    """One pass over the YAML tokens, building nothing: no anchors, aliases or merge keys, no
    key twice in a mapping, at most ``MAX_DEPTH`` levels and ``MAX_VALUES`` values."""
    # For each open collection: the keys seen so far (a mapping), or None (a sequence).
    open_collections: list[set[str] | None] = []
    values = 0
    after_key = False
    for token in _tokens(text):
        line = token.start_mark.line + 1
        if isinstance(token, yaml.AnchorToken | yaml.AliasToken):
            raise RecordFormatError(
                source,
                [f"line {line}: YAML anchors and aliases are not allowed"],
                zh=[f"第 {line} 行：不允许使用 YAML 锚点和别名"],
            )
        if isinstance(token, _OPENERS):
            values += 1
            open_collections.append(set() if isinstance(token, _MAPPING_OPENERS) else None)
            if len(open_collections) > MAX_DEPTH:
                raise RecordFormatError(
                    source,
                    [f"line {line}: nested more than {MAX_DEPTH} deep"],
                    zh=[f"第 {line} 行：嵌套超过 {MAX_DEPTH} 层"],
                )
        elif isinstance(token, _CLOSERS) and open_collections:
            open_collections.pop()
        elif isinstance(token, yaml.ScalarToken):
            values += 1
            keys = open_collections[-1] if open_collections else None
            if after_key and keys is not None:
                _check_key(token, keys, source, line)
        if values > MAX_VALUES:
            raise RecordFormatError(
                source,
                [f"line {line}: more than {MAX_VALUES} values"],
                zh=[f"第 {line} 行：值超过 {MAX_VALUES} 个"],
            )
        after_key = isinstance(token, yaml.KeyToken)


def _check_key(token: Any, keys: set[str], source: str, line: int) -> None:
    if token.plain and token.value == "<<":
        raise RecordFormatError(
            source,
            [f"line {line}: YAML merge keys are not allowed"],
            zh=[f"第 {line} 行：不允许使用 YAML 合并键"],
        )
    if token.value in keys:
        raise RecordFormatError(
            source,
            [f"line {line}: {token.value!r} appears twice"],
            zh=[f"第 {line} 行：{token.value!r} 出现了两次"],
        )
    keys.add(token.value)


def _tokens(text: str) -> Iterator[Any]:
    loader = _Loader(text)
    try:
        while loader.check_token():
            yield loader.get_token()
    finally:
        loader.dispose()


def _compose(text: str) -> Any:
    """The YAML node tree, for the lines of validation errors (the text already loaded)."""
    try:
        return yaml.compose(text, Loader=_Loader)
    except (yaml.YAMLError, ValueError, RecursionError):
        return None


def _describe(error: Any, node: Any) -> str:
    location = error["loc"]
    path = _path_text(location, node)
    line = _line(location, node)
    where = f"{path} (line {line})" if line else path
    return f"{where}: {error['msg']}"


def _describe_zh(error: Any, node: Any) -> str:
    """:func:`_describe` in Chinese: ``第 7 行，字段 acts[3].at：……``."""
    location = error["loc"]
    path = _path_text(location, node)
    line = _line(location, node)
    where = "文档" if path == "document" else f"字段 {path}"
    if line:
        where = f"第 {line} 行，{where}"
    return f"{where}：{problem_zh(error)}"


def problem_zh(error: Any) -> str:
    """A pydantic validation error's own text (``error["msg"]``) in Chinese, for the kinds a
    record file meets (a missing or extra field, a wrong type, a bad time, a value outside a
    list); any other kind keeps pydantic's English text."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in _PHRASES_ZH:
        return _PHRASES_ZH[kind]
    if kind in ("enum", "literal_error"):
        return f"应为 {_choices_zh(str(ctx.get('expected', '')))}"
    if kind == "union_tag_invalid":
        return (
            f"act 的值 {ctx.get('tag')!r} 不是已知的行为；应为以下之一："
            f"{_choices_zh(str(ctx.get('expected_tags', '')))}"
        )
    if kind == "too_short" and "min_length" in ctx:
        return f"校验后至少应有 {ctx['min_length']} 项，实有 {ctx.get('actual_length', 0)} 项"
    if kind == "too_long" and "max_length" in ctx:
        return f"至多应有 {ctx['max_length']} 项"
    if kind == "string_too_short" and "min_length" in ctx:
        return f"至少应有 {ctx['min_length']} 个字符"
    if kind == "string_too_long" and "max_length" in ctx:
        return f"至多应有 {ctx['max_length']} 个字符"
    if kind in _BOUNDS_ZH and _BOUNDS_ZH[kind][0] in ctx:
        bound, phrase = _BOUNDS_ZH[kind]
        return f"{phrase} {ctx[bound]}"
    return str(error["msg"])


_BOUNDS_ZH = {
    "greater_than_equal": ("ge", "应大于或等于"),
    "greater_than": ("gt", "应大于"),
    "less_than_equal": ("le", "应小于或等于"),
    "less_than": ("lt", "应小于"),
}
_DATETIME_ZH = "应为有效的日期时间，如 2026-03-05T09:00:00+08:00"
_PHRASES_ZH = {
    "missing": "缺少此字段",
    "extra_forbidden": "多余的字段：记录格式中没有此字段",
    "union_tag_not_found": "缺少 act 字段，无法判断是哪种行为",
    "string_type": "应为字符串",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "tuple_type": "应为列表",
    "list_type": "应为列表",
    "dict_type": "应为映射（键: 值）",
    "model_type": "应为映射（键: 值）",
    "model_attributes_type": "应为映射（键: 值）",
    "uuid_type": "应为 UUID",
    "uuid_parsing": "应为 UUID",
    "datetime_type": _DATETIME_ZH,
    "datetime_parsing": _DATETIME_ZH,
    "datetime_from_date_parsing": _DATETIME_ZH,
    "date_type": "应为有效的日期，如 2026-03-05",
    "date_parsing": "应为有效的日期，如 2026-03-05",
    "date_from_datetime_parsing": "应为有效的日期，如 2026-03-05",
    "timezone_aware": "时间须带时区，如 +08:00 或 Z",
}


def _choices_zh(expected: str) -> str:
    """pydantic's list of allowed values (``'a', 'b' or 'c'``) as Chinese lists them."""
    return expected.replace(" or ", "、").replace(", ", "、")


def _path_text(location: tuple[Any, ...], node: Any) -> str:
    parts: list[str] = []
    for item in location:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif item in _ACT_NAMES:
            continue  # the discriminator's branch name, not a field
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "document"


def _line(location: tuple[Any, ...], node: Any) -> int | None:
    if node is None:
        return None
    current = node
    best = getattr(current, "start_mark", None)
    for item in location:
        if isinstance(current, yaml.SequenceNode) and isinstance(item, int):
            if item >= len(current.value):
                break
            current = current.value[item]
        elif isinstance(current, yaml.MappingNode) and isinstance(item, str):
            match = next((v for k, v in current.value if k.value == item), None)
            if match is None:
                if item in _ACT_NAMES:
                    continue
                break
            current = match
        else:
            break
        best = current.start_mark
    return best.line + 1 if best is not None else None


def _act_names() -> set[str]:
    from ledger.record import acts

    names = set()
    for model in acts.Act.__args__[0].__args__:
        names.add(model.model_fields["act"].annotation.__args__[0])
    return names


_ACT_NAMES = _act_names()


def schema() -> dict[str, Any]:
    """The JSON Schema of a record document."""
    document = RecordDocument.model_json_schema(by_alias=True)
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["$id"] = "https://ledger.invalid/schema/record-1.json"
    return document
