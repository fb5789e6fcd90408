"""Print the act tables of docs/record-format.md from the act models (keeps the doc true).

Run: .venv/bin/python docs/tools/record_format_tables.py > /tmp/acts.md, then paste between the
markers in docs/record-format.md. tests/record/test_record_format_doc.py checks they agree.
"""

from __future__ import annotations

import enum
import types
import typing
from typing import Any, Union, get_args, get_origin

from ledger.record import acts

REFERENCE_FIELDS = {
    "member",
    "body",
    "matter",
    "meeting",
    "item",
    "by",
    "in_charge",
    "chair",
    "to",
    "grantor",
    "grantee",
    "delegation",
    "action",
    "review",
    "assignment",
    "opened_by",
    "to_body",
    "members",
    "present",
    "agenda",
    "bundled_with",
}
NAMES = {
    "str": "text",
    "int": "integer",
    "bool": "true/false",
    "date": "date (YYYY-MM-DD)",
    "datetime": "time with zone",
    "AwareDatetime": "time with zone",
}


def type_name(annotation: Any, key: str) -> str:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return type_name(args[0], key)
        return " or ".join(type_name(a, key) for a in args)
    if origin is tuple:
        return "list of " + type_name(get_args(annotation)[0], key)
    if origin is typing.Annotated:
        return type_name(get_args(annotation)[0], key)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return " / ".join(f"`{m.value}`" for m in annotation)
    if isinstance(annotation, type) and issubclass(annotation, acts.BaseModel):
        return f"{annotation.__name__} (below)"
    name = getattr(annotation, "__name__", str(annotation))
    if name == "str" and key in REFERENCE_FIELDS:
        return "reference"
    if name == "str" and key in ("material", "materials"):
        return "material"
    return NAMES.get(name, name)


def tables() -> str:
    lines: list[str] = []
    nested: dict[str, type[acts.BaseModel]] = {}
    for model in acts.Act.__args__[0].__args__:  # type: ignore[attr-defined]
        name = model.model_fields["act"].annotation.__args__[0]
        lines += [f"#### `{name}`", "", (model.__doc__ or "").strip(), ""]
        lines += ["| field | type | required |", "|---|---|---|"]
        for field, info in model.model_fields.items():
            if field == "act":
                continue
            key = info.alias or field
            annotation = info.annotation
            inner = get_args(annotation)[0] if get_origin(annotation) is tuple else annotation
            if isinstance(inner, type) and issubclass(inner, acts.BaseModel):
                nested[inner.__name__] = inner
            required = "yes" if info.is_required() else "no"
            lines.append(f"| `{key}` | {type_name(annotation, key)} | {required} |")
        lines.append("")
    for name, model in nested.items():
        lines += [f"#### {name}", "", (model.__doc__ or "").strip(), ""]
        lines += ["| field | type | required |", "|---|---|---|"]
        for field, info in model.model_fields.items():
            required = "yes" if info.is_required() else "no"
            lines.append(f"| `{field}` | {type_name(info.annotation, field)} | {required} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(tables())
