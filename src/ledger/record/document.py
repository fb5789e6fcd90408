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
    """A record file is not a valid record document; ``problems`` lists each, by field."""

    def __init__(self, source: str, problems: list[str]) -> None:
        shown = problems[:20]
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(
            f"{source} is not a valid record document:\n  " + "\n  ".join(shown) + more
        )
        self.problems = problems


def read_document(path: Path) -> RecordDocument:
    """Read and validate a record file."""
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise InputError(f"{path} is {size} bytes; a record file may have {MAX_DOCUMENT_BYTES}")
        with open(path, "rb") as f:
            raw = f.read(MAX_DOCUMENT_BYTES + 1)  # the file may have grown since
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror}") from e
    return parse_document(raw, str(path), is_json=path.suffix.lower() == ".json")


def parse_document(
    raw: bytes, source: str = "document", *, is_json: bool = False
) -> RecordDocument:
    """Parse YAML or JSON bytes into a validated document."""
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise InputError(f"{source} is larger than {MAX_DOCUMENT_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise RecordFormatError(source, [f"not UTF-8 text (byte {e.start})"]) from e
    data = _parse_json(text, source) if is_json else _parse_yaml(text, source)
    try:
        return RecordDocument.model_validate(data)
    except ValidationError as e:
        node = None if is_json else _compose(text)
        raise RecordFormatError(source, [_describe(err, node) for err in e.errors()]) from e


def _parse_json(text: str, source: str) -> Any:
    # Before parsing: every value but the first follows a '[', ':' or ',' outside strings, so
    # their count bounds the values (at most twice over) without building anything.
    bare = _JSON_STRING.sub("", text)
    if sum(bare.count(c) for c in "[:,") + 1 > 2 * MAX_VALUES:
        raise RecordFormatError(source, [f"more than {MAX_VALUES} values"])
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except _DuplicateKeyError as e:
        raise RecordFormatError(source, [f"{e.args[0]!r} appears twice in one object"]) from e
    except RecursionError as e:
        raise RecordFormatError(source, [f"nested more than {MAX_DEPTH} deep"]) from e
    except ValueError as e:
        raise RecordFormatError(source, [f"not JSON: {e}"]) from e
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
            raise RecordFormatError(source, [f"more than {MAX_VALUES} values"])
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise RecordFormatError(source, [f"nested more than {MAX_DEPTH} deep"])
            items = value.values() if isinstance(value, dict) else value
            stack.extend((item, depth + 1) for item in items)


def _parse_yaml(text: str, source: str) -> Any:
    try:
        _check_tokens(text, source)
        return yaml.load(text, Loader=_Loader)  # a safe loader: no code, no custom tags
    except yaml.YAMLError as e:
        raise RecordFormatError(source, [f"not YAML: {e}"]) from e
    except (ValueError, OverflowError) as e:  # a constructor's: int("9" * 5000), month 13
        raise RecordFormatError(source, [f"not YAML: {e}"]) from e


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
                source, [f"line {line}: YAML anchors and aliases are not allowed"]
            )
        if isinstance(token, _OPENERS):
            values += 1
            open_collections.append(set() if isinstance(token, _MAPPING_OPENERS) else None)
            if len(open_collections) > MAX_DEPTH:
                raise RecordFormatError(source, [f"line {line}: nested more than {MAX_DEPTH} deep"])
        elif isinstance(token, _CLOSERS) and open_collections:
            open_collections.pop()
        elif isinstance(token, yaml.ScalarToken):
            values += 1
            keys = open_collections[-1] if open_collections else None
            if after_key and keys is not None:
                _check_key(token, keys, source, line)
        if values > MAX_VALUES:
            raise RecordFormatError(source, [f"line {line}: more than {MAX_VALUES} values"])
        after_key = isinstance(token, yaml.KeyToken)


def _check_key(token: Any, keys: set[str], source: str, line: int) -> None:
    if token.plain and token.value == "<<":
        raise RecordFormatError(source, [f"line {line}: YAML merge keys are not allowed"])
    if token.value in keys:
        raise RecordFormatError(source, [f"line {line}: {token.value!r} appears twice"])
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
