"""``manifest.json``: what an archive holds and why (docs/archive-format.md, "manifest.json").

The manifest is not signed: every statement in it that matters is checked against the signed
content (the ledger, origin, checkpoint, counts and withheld positions against the records and
the checkpoint; every other member against its SHA-256). The rest (``created_at``, ``name``,
``generator``) is description.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ledger.archive.layout import ARCHIVE_FORMAT, MANIFEST
from ledger.archive.read import ArchiveFormatError

WHOLE = "whole"
MATTER = "matter"
PERIOD = "period"
SCOPES = (WHOLE, MATTER, PERIOD)
CONFIDENTIAL = "confidential"  # withheld: the matter is marked confidential (保密事项)
NAMED = "named"  # withheld: the exporter named the matter (--withhold MATTER)
REASONS = (CONFIDENTIAL, NAMED)
_FIELDS = {
    "format",
    "generator",
    "ledger",
    "name",
    "origin",
    "created_at",
    "as_of",
    "scope",
    "checkpoint",
    "counts",
    "withheld",
    "members",
}
_COUNTS = {"events", "withheld", "matters", "decision_proofs"}


@dataclass(frozen=True)
class Scope:
    """What part of the ledger an archive holds."""

    kind: str  # WHOLE, MATTER or PERIOD
    matters: tuple[str, ...] = ()  # matter ids (MATTER)
    since: str | None = None  # canonical times (PERIOD)
    until: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "matters": list(self.matters),
            "from": self.since,
            "until": self.until,
        }


@dataclass(frozen=True)
class MemberDigest:
    """A member's SHA-256 and size, as the manifest lists it."""

    name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    """The manifest's content."""

    generator: str
    ledger: str
    name: str
    origin: str
    created_at: str
    as_of: str
    scope: Scope
    tree_size: int
    tree_head: str
    events: int
    matters: int  # matters rendered in html/
    decision_proofs: int
    withheld: tuple[tuple[int, str], ...]  # (position, reason)
    members: tuple[MemberDigest, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "format": ARCHIVE_FORMAT,
            "generator": self.generator,
            "ledger": self.ledger,
            "name": self.name,
            "origin": self.origin,
            "created_at": self.created_at,
            "as_of": self.as_of,
            "scope": self.scope.to_json(),
            "checkpoint": {"size": self.tree_size, "root": self.tree_head},
            "counts": {
                "events": self.events,
                "withheld": len(self.withheld),
                "matters": self.matters,
                "decision_proofs": self.decision_proofs,
            },
            "withheld": [{"position": p, "reason": r} for p, r in self.withheld],
            "members": [{"name": m.name, "sha256": m.sha256, "size": m.size} for m in self.members],
        }

    def to_bytes(self) -> bytes:
        return (json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n").encode()


def parse_manifest(document: Any) -> Manifest:
    """The manifest from its parsed JSON; :class:`ArchiveFormatError` when malformed."""
    try:
        return _parse(document)
    except (KeyError, TypeError, ValueError) as e:
        raise ArchiveFormatError(
            f"{MANIFEST} is malformed: {e}", zh=f"{MANIFEST} 格式有误：{e}"
        ) from e


def _parse(d: Any) -> Manifest:
    if not isinstance(d, dict) or set(d) != _FIELDS:
        got = sorted(d) if isinstance(d, dict) else type(d).__name__
        raise ValueError(f"expected the fields {sorted(_FIELDS)}, got {got}")
    if d["format"] != ARCHIVE_FORMAT:
        raise ValueError(f"expected format {ARCHIVE_FORMAT!r}, got {d['format']!r}")
    scope, checkpoint, counts = d["scope"], d["checkpoint"], d["counts"]
    if not isinstance(scope, dict) or set(scope) != {"kind", "matters", "from", "until"}:
        raise ValueError("scope must hold kind, matters, from and until")
    if scope["kind"] not in SCOPES:
        raise ValueError(f"scope kind must be one of {SCOPES}, got {scope['kind']!r}")
    if not isinstance(checkpoint, dict) or set(checkpoint) != {"size", "root"}:
        raise ValueError("checkpoint must hold size and root")
    if not isinstance(counts, dict) or set(counts) != _COUNTS:
        raise ValueError(f"counts must hold {sorted(_COUNTS)}")
    withheld = []
    for item in _list(d["withheld"], "withheld"):
        if not isinstance(item, dict) or set(item) != {"position", "reason"}:
            raise ValueError("each withheld entry holds position and reason")
        if item["reason"] not in REASONS:
            raise ValueError(f"a withheld reason is one of {REASONS}, got {item['reason']!r}")
        withheld.append((_int(item["position"], "withheld position"), item["reason"]))
    members = []
    for item in _list(d["members"], "members"):
        if not isinstance(item, dict) or set(item) != {"name", "sha256", "size"}:
            raise ValueError("each member entry holds name, sha256 and size")
        members.append(
            MemberDigest(
                _str(item["name"], "member name"),
                _str(item["sha256"], "member sha256"),
                _int(item["size"], "member size"),
            )
        )
    manifest = Manifest(
        generator=_str(d["generator"], "generator"),
        ledger=_str(d["ledger"], "ledger"),
        name=_str(d["name"], "name"),
        origin=_str(d["origin"], "origin"),
        created_at=_str(d["created_at"], "created_at"),
        as_of=_str(d["as_of"], "as_of"),
        scope=Scope(
            kind=scope["kind"],
            matters=tuple(_str(m, "scope matter") for m in _list(scope["matters"], "matters")),
            since=_optional_str(scope["from"], "scope from"),
            until=_optional_str(scope["until"], "scope until"),
        ),
        tree_size=_int(checkpoint["size"], "checkpoint size"),
        tree_head=_str(checkpoint["root"], "checkpoint root"),
        events=_int(counts["events"], "events"),
        matters=_int(counts["matters"], "matters"),
        decision_proofs=_int(counts["decision_proofs"], "decision_proofs"),
        withheld=tuple(withheld),
        members=tuple(members),
    )
    if _int(counts["withheld"], "withheld count") != len(withheld):
        raise ValueError("the withheld count differs from the withheld list")
    return manifest


def _list(value: Any, name: str) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError(f"{name} must be a list")
    return value


def _str(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string")
    return value


def _optional_str(value: Any, name: str) -> str | None:
    return None if value is None else _str(value, name)


def _int(value: Any, name: str) -> int:
    if type(value) is not int or value < 0:
        raise TypeError(f"{name} must be an integer >= 0")
    return value
