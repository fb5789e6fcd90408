"""Corrections (更正): nothing on the record is ever edited or deleted. A mistake in a recorded act
is corrected by a new event that points at the event it corrects (by log position and hash) and
says what the record should have said, and why.

A correction says it in words (``correction``, free text, as every correction before format
``ledger.correction/1`` did), and, from that format on, also as structured changes: "field X of
the event at position P becomes V" (:class:`FieldChange`). Which fields of which acts may be
corrected is the table :data:`CORRECTABLE`, and nothing else; a change is checked against it when
written (:func:`check_change`), and the rules and every view read the corrected act
(:func:`corrected_payload`) beside the original. A free-text correction changes no fact.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.domain.events import (
    Envelope,
    LedgerCreated,
    MaterialDigest,
    Payload,
    SafeInt,
    Text,
    envelope_kwargs,
)
from ledger.domain.matter import Outcome
from ledger.domain.meeting import Choice, Stance
from ledger.errors import CorrectionFieldError
from ledger.integrity.canonical import format_time

CORRECTION_FORMAT: Literal["ledger.correction/1"] = "ledger.correction/1"
"""The version of structured corrections (:class:`FieldChange`) written from now on."""

ValueKind = Literal["stance", "choice", "outcome", "count", "time", "text", "attendance"]


@dataclass(frozen=True)
class Correctable:
    """A field that a correction may change: the kind of value it takes, whether it is one
    member's entry in a list (a ballot, an attendance: the change names the member), and whether
    it bears on an outcome (a vote, an attendance, an announced result: rule
    ``outcome-correction`` puts such a change up for review)."""

    kind: ValueKind
    outcome: bool = False
    per_member: bool = False


_COUNT = Correctable("count", outcome=True)

CORRECTABLE: Mapping[str, Mapping[str, Correctable]] = {
    "meeting.opinion_stated": {"stance": Correctable("stance")},
    "meeting.written_view_submitted": {"stance": Correctable("stance")},
    "meeting.vote_taken": {
        "votes_for": _COUNT,
        "votes_against": _COUNT,
        "abstentions": _COUNT,
        "invalid": _COUNT,
        "ballots_cast": _COUNT,
        "ballot": Correctable("choice", outcome=True, per_member=True),
    },
    "meeting.opened": {
        "attendance": Correctable("attendance", outcome=True, per_member=True),
        "opened_at": Correctable("time"),
    },
    "meeting.result_announced": {
        "outcome": Correctable("outcome", outcome=True),
        "reasons": Correctable("text"),
    },
    "matter.decided": {"outcome": Correctable("outcome", outcome=True)},
    "meeting.notice_sent": {"sent_at": Correctable("time")},
    "meeting.closed": {"closed_at": Correctable("time")},
    "meeting.minutes_issued": {"issued_at": Correctable("time")},
    "meeting.item_deferred": {"reason": Correctable("text")},
    "matter.research_recorded": {"summary": Correctable("text")},
}
"""Which fields of which acts may be corrected (event type -> field -> what it takes). A field
named here by its payload name takes the place of that field; ``ballot`` is one member's choice
in a vote's ballots, ``attendance`` one member's ``present`` or ``absent`` at a meeting's
opening. docs/record-format.md lists this table."""

_KIND_VALUES: dict[str, tuple[str, ...]] = {
    "stance": tuple(s.value for s in Stance),
    "choice": tuple(c.value for c in Choice),
    "outcome": tuple(o.value for o in Outcome),
    "attendance": ("present", "absent"),
}
_KIND_ZH = {
    "stance": "表态",
    "choice": "投票选择",
    "outcome": "表决结果",
    "count": "非负整数",
    "time": "带时区的时间",
    "text": "非空文字",
    "attendance": "出席情况",
}


class FieldChange(Payload):
    """One change of a structured correction: ``field`` of the corrected event becomes
    ``value`` (for a per-member field, the entry of ``member``)."""

    field: Text
    value: SafeInt | Text
    member: UUID | None = None


class CorrectionRecorded(Payload):
    """A correction of the event at log position ``corrects`` (whose hash is ``corrects_hash``)."""

    corrects: SafeInt
    corrects_hash: MaterialDigest
    corrects_type: Text
    reason: Text
    correction: Text
    material: MaterialDigest | None = None
    changes: tuple[FieldChange, ...] = ()  # from format ledger.correction/1 on
    format: Literal["ledger.correction/1"] | None = None  # set when ``changes`` are given


class Correction(Aggregate):
    """A correction on the record."""

    class Recorded(LedgerCreated):
        TYPE = "correction.recorded"
        PAYLOAD = CorrectionRecorded

        def apply(self, aggregate: Correction) -> None:
            aggregate.recorded = self.payload

    recorded: CorrectionRecorded

    def __init__(self) -> None:
        pass

    @classmethod
    def record(
        cls, correction_id: UUID, payload: CorrectionRecorded, envelope: Envelope
    ) -> Correction:
        return cls._create(cls.Recorded, id=correction_id, **envelope_kwargs(envelope, payload))


# --- checking a change when it is written --------------------------------------------------------


def correctable_fields(event_type: str) -> Mapping[str, Correctable]:
    """The fields of an event type that a correction may change (none for most types)."""
    return CORRECTABLE.get(event_type, {})


def check_change(
    event_type: str, position: int, field: str, value: Any, member: UUID | None, payload: Any
) -> str | int:
    """The canonical value of one change of the event at ``position`` (of ``event_type``, whose
    payload as recorded is ``payload``), or :class:`CorrectionFieldError` saying why it cannot
    be corrected so."""
    fields = correctable_fields(event_type)
    spec = fields.get(field)
    if spec is None:
        allowed = ", ".join(fields) or "none"
        raise CorrectionFieldError(
            f"event {position} ({event_type}): field {field!r} may not be corrected; "
            f"fields that may: {allowed} (docs/record-format.md, 'Corrections')",
            zh=f"第{position}号事件（{event_type}）的字段 {field!r} 不可更正；"
            f"可更正的字段：{'、'.join(fields) or '无'}（见 docs/record-format.md「更正」）",
        )
    canonical = _canonical(spec, value)
    if canonical is None:
        expected = "/".join(_KIND_VALUES.get(spec.kind, ())) or spec.kind
        raise CorrectionFieldError(
            f"event {position} ({event_type}): {field} takes a {spec.kind} ({expected}), "
            f"got {value!r}",
            zh=f"第{position}号事件（{event_type}）：字段 {field} 应为{_KIND_ZH[spec.kind]}"
            f"（{expected}），收到的是 {value!r}",
        )
    if spec.per_member != (member is not None):
        need = "names the member" if spec.per_member else "names no member"
        raise CorrectionFieldError(
            f"event {position} ({event_type}): a change of {field} {need}",
            zh=f"第{position}号事件（{event_type}）：更正 {field} "
            + ("须指明委员" if spec.per_member else "不应指明委员"),
        )
    if member is not None and str(member) not in _members_of(field, payload):
        raise CorrectionFieldError(
            f"event {position} ({event_type}): member {member} has no {field} entry there",
            zh=f"第{position}号事件（{event_type}）中没有委员 {member} 的{field}记录",
        )
    return canonical


def _canonical(spec: Correctable, value: Any) -> str | int | None:
    if spec.kind == "count":
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        return value if ok else None
    if not isinstance(value, str) or not value:
        return None
    if spec.kind == "text":
        return value
    if spec.kind == "time":
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return None
        return format_time(moment) if moment.utcoffset() is not None else None
    return value if value in _KIND_VALUES[spec.kind] else None


def _members_of(field: str, payload: Any) -> set[str]:
    p = payload if isinstance(payload, dict) else {}
    if field == "ballot":
        return {str(b.get("member")) for b in p.get("ballots", [])}
    if field == "attendance":
        return {str(m) for m in p.get("roster", [])}
    return set()


def describe(changes: tuple[FieldChange, ...]) -> str:
    """The changes in words (the ``correction`` text of a structured correction given none)."""
    return "; ".join(
        f"{c.field}{f' of {c.member}' if c.member else ''} becomes {c.value}" for c in changes
    )


# --- reading the corrected act ------------------------------------------------------------------


def corrected_payload(payload: Any, changes: tuple[Mapping[str, Any], ...]) -> Any:
    """The payload (as JSON) of an act with ``changes`` applied, each ``{"field", "value",
    "member"}`` as recorded: the act as the record now says it happened. A withheld payload
    stays withheld."""
    if not isinstance(payload, dict):
        return payload
    out = dict(payload)
    for change in changes:
        field, value, member = change["field"], change["value"], change.get("member")
        if field == "ballot":
            out["ballots"] = [
                {**b, "choice": value} if str(b.get("member")) == str(member) else b
                for b in out.get("ballots", [])
            ]
        elif field == "attendance":
            out.update(_attendance(out, str(member), value == "present"))
        else:
            out[field] = value
    return out


def _attendance(payload: dict[str, Any], member: str, present: bool) -> dict[str, Any]:
    here = [m for m in payload.get("present", []) if str(m) != member]
    away = [a for a in payload.get("absent", []) if str(a.get("member")) != member]
    if present:
        here.append(member)
    else:
        away.append({"member": member, "reason": "", "on_leave": False})
    return {"present": here, "absent": away}
