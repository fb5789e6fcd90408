"""The trust policy (``trust.json``): which keys and witnesses an auditor trusts, and how many
witnesses must have cosigned (docs/archive-format.md, "trust.json").

An export writes a template filled from the ledger (its origin and ledger key); the auditor
checks the ledger key against one obtained out of band, adds the witnesses they rely on and
the number required, and passes the file back to ``ledger verify-archive --trust``. The copy
inside an archive is only a template: whoever made the archive wrote it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ledger.archive.layout import TRUST_FORMAT
from ledger.archive.read import ArchiveFormatError, parse_strict_json
from ledger.errors import InputError, zh_text
from ledger.integrity.keys import public_key_bytes

_FIELDS = {"format", "origin", "ledger_key", "checkpoint_keys", "witnesses", "witnesses_required"}
_NOTE_FIELD = "note"


class TrustPolicyError(InputError):
    """A trust policy file is malformed."""


@dataclass(frozen=True)
class TrustPolicy:
    """Keys and witnesses trusted, and the number of witnesses required."""

    ledger_key: str | None  # the trust anchor: the genesis must name it
    origin: str | None = None  # the log the policy is for (``ledger/<id>``), if it says
    checkpoint_keys: tuple[str, ...] = ()  # keys trusted out of band to sign checkpoints
    witnesses: tuple[tuple[str, str], ...] = ()  # (name, key id)
    witnesses_required: int = 0
    notes: tuple[str, ...] = field(default=(), compare=False)

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "format": TRUST_FORMAT,
            "origin": self.origin,
            "ledger_key": self.ledger_key,
            "checkpoint_keys": list(self.checkpoint_keys),
            "witnesses": [{"name": name, "key": key} for name, key in self.witnesses],
            "witnesses_required": self.witnesses_required,
        }
        if self.notes:
            document[_NOTE_FIELD] = list(self.notes)
        return document

    def to_text(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n"


def template(
    origin: str, ledger_key: str, office_keys: list[str], checkpoint_keys: list[str]
) -> TrustPolicy:
    """The template an export writes: this ledger's origin and ledger key, no witnesses; the
    office and checkpoint keys in use at the checkpoint are named in the notes, for the auditor
    to compare with what the office says (keys.json has every key's history)."""
    return TrustPolicy(
        ledger_key=ledger_key,
        origin=origin,
        notes=(
            "Keys in use at the checkpoint (keys.json has every key's history): office "
            f"(records) {', '.join(office_keys) or 'none'}; checkpoints "
            f"{', '.join(checkpoint_keys) or 'none'}.",
            "A template written by whoever made this archive: do not trust it as it is.",
            "ledger_key: compare it with the ledger key you obtained from the ledger's office "
            "out of band (ledger init prints it); verify-archive refuses a genesis naming "
            "another key.",
            "checkpoint_keys: keys you trust to sign checkpoints besides those the log itself "
            "registers (usually none).",
            'witnesses: [{"name": ..., "key": "ed25519:..."}] of the witnesses you rely '
            "on (ledger witness show prints them); witnesses_required: how many of them must "
            "have cosigned the archive's checkpoint.",
            "Then: ledger verify-archive ARCHIVE --trust trust.json",
        ),
    )


def parse_policy(text: str, source: str) -> TrustPolicy:
    """Read a trust policy; :class:`TrustPolicyError` naming what is wrong."""
    try:
        document = parse_strict_json(text, source)
    except ArchiveFormatError as e:
        raise TrustPolicyError(str(e), zh=zh_text(e)) from e
    if not isinstance(document, dict):
        raise TrustPolicyError(
            f"{source} must be a JSON object", zh=f"{source} 必须是一个 JSON 对象"
        )
    unknown = set(document) - _FIELDS - {_NOTE_FIELD}
    if document.get("format") != TRUST_FORMAT or unknown:
        raise TrustPolicyError(
            f"{source}: expected format {TRUST_FORMAT!r} with fields {sorted(_FIELDS)}, got "
            f"format {document.get('format')!r}" + (f" and {sorted(unknown)}" if unknown else ""),
            zh=f"{source}：格式应为 {TRUST_FORMAT!r}，字段应为 {sorted(_FIELDS)}，实为格式 "
            f"{document.get('format')!r}" + (f"，另有 {sorted(unknown)}" if unknown else ""),
        )
    origin = document.get("origin")
    if origin is not None and not isinstance(origin, str):
        raise TrustPolicyError(
            f"{source}: origin must be a string or null",
            zh=f"{source}：origin 必须是字符串或 null",
        )
    ledger_key = document.get("ledger_key")
    if ledger_key is not None:
        ledger_key = _key(ledger_key, source, "ledger_key")
    keys = document.get("checkpoint_keys", [])
    if not isinstance(keys, list):
        raise TrustPolicyError(
            f"{source}: checkpoint_keys must be a list of key ids",
            zh=f"{source}：checkpoint_keys 必须是密钥标识的列表",
        )
    witnesses = document.get("witnesses", [])
    if not isinstance(witnesses, list):
        raise TrustPolicyError(
            f"{source}: witnesses must be a list", zh=f"{source}：witnesses 必须是列表"
        )
    listed = []
    for i, w in enumerate(witnesses):
        if not isinstance(w, dict) or set(w) != {"name", "key"} or not isinstance(w["name"], str):
            raise TrustPolicyError(
                f'{source}: witnesses[{i}] must be {{"name": ..., "key": ...}}',
                zh=f'{source}：witnesses[{i}] 必须形如 {{"name": ..., "key": ...}}',
            )
        listed.append((w["name"], _key(w["key"], source, f"witnesses[{i}].key")))
    required = document.get("witnesses_required", 0)
    distinct = len({key for _, key in listed})
    if type(required) is not int or not 0 <= required <= distinct:
        raise TrustPolicyError(
            f"{source}: witnesses_required must be an integer from 0 to {distinct} (the "
            f"distinct witness keys listed), got {required!r}",
            zh=f"{source}：witnesses_required 必须是 0 至 {distinct}（所列见证方中不同密钥的"
            f"个数）之间的整数，而不是 {required!r}",
        )
    return TrustPolicy(
        ledger_key=ledger_key,
        origin=origin,
        checkpoint_keys=tuple(_key(k, source, "checkpoint_keys") for k in keys),
        witnesses=tuple(listed),
        witnesses_required=required,
    )


def _key(value: object, source: str, name: str) -> str:
    """``value`` of the policy's field ``name``, checked to be a key id."""
    if not isinstance(value, str):
        raise TrustPolicyError(
            f"{source}: {name} must be a key id (ed25519:...), got {value!r}",
            zh=f"{source}：{name} 必须是密钥标识（ed25519:...），而不是 {value!r}",
        )
    try:
        public_key_bytes(value)
    except ValueError as e:
        raise TrustPolicyError(
            f"{source}: {name}: {e}",
            zh=f"{source}：{name} 不是有效的密钥标识（{e}）",
        ) from e
    return value
