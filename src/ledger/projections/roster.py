"""Who is on the roster and which keys the ledger has known, read from the events alone."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ledger.integrity.record import decode_record
from ledger.integrity.verify import StoredRow


def members(rows: Iterable[list[StoredRow]]) -> list[dict[str, Any]]:
    """Every registered member, in order of registration."""
    result = []
    for page in rows:
        for row in page:
            record = decode_record(row.state)
            payload = record.body.get("payload") or {}
            result.append(
                {
                    "member": record.header["stream"],
                    "name": payload.get("name", ""),
                    "title": payload.get("title", ""),
                    "position": record.seq,
                    "occurred_at": record.header["occurred_at"],
                }
            )
    return result


def keys(rows: Iterable[list[StoredRow]], genesis_key: str) -> list[dict[str, Any]]:
    """Every key with its holder, purposes, and the positions where it was registered,
    retired (replaced) and revoked. The genesis key is registered at position 1."""
    found: dict[str, dict[str, Any]] = {
        genesis_key: {
            "key": genesis_key,
            "holder": "ledger",
            "purposes": ["act", "checkpoint", "record"],
            "registered_at": 1,
            "retired_at": None,
            "revoked_at": None,
            "reason": None,
            "label": "genesis",
        }
    }
    for page in rows:
        for row in page:
            record = decode_record(row.state)
            payload = record.body.get("payload") or {}
            if record.header["type"] == "key.registered":
                found[payload["public_key"]] = {
                    "key": payload["public_key"],
                    "holder": payload["holder"],
                    "purposes": sorted(payload["purposes"]),
                    "registered_at": record.seq,
                    "retired_at": None,
                    "revoked_at": None,
                    "reason": None,
                    "label": payload.get("label", ""),
                }
                old = found.get(payload.get("replaces") or "")
                if old is not None and old["retired_at"] is None:
                    old["retired_at"] = record.seq
            elif record.header["type"] == "key.revoked" and payload.get("key") in found:
                entry = found[payload["key"]]
                entry["revoked_at"] = record.seq
                entry["reason"] = payload.get("reason")
    return list(found.values())
