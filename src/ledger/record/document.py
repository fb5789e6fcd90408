"""Reading a record file (YAML or JSON) into a :class:`RecordDocument`, with errors that point
at the field and, for YAML, the line.

Record files may come from other hands: the reader takes at most ``MAX_DOCUMENT_BYTES``, uses
YAML's safe loader (no code, no custom tags) and refuses anchors and aliases, which can expand a
small file into an enormous one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ledger.errors import InputError
from ledger.record.acts import RecordDocument

MAX_DOCUMENT_BYTES = 16 * 1024 * 1024


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
        raw = path.read_bytes()
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
    node = None
    if is_json:
        try:
            data = json.loads(text)
        except ValueError as e:
            raise RecordFormatError(source, [f"not JSON: {e}"]) from e
    else:
        try:
            for token in yaml.scan(text, Loader=yaml.SafeLoader):
                if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                    line = token.start_mark.line + 1
                    raise RecordFormatError(
                        source, [f"line {line}: YAML anchors and aliases are not allowed"]
                    )
            node = yaml.compose(text, Loader=yaml.SafeLoader)
            data = yaml.safe_load(text)
        except yaml.YAMLError as e:
            raise RecordFormatError(source, [f"not YAML: {e}"]) from e
    try:
        return RecordDocument.model_validate(data)
    except ValidationError as e:
        raise RecordFormatError(source, [_describe(err, node) for err in e.errors()]) from e


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
