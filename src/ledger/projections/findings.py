"""Findings as every read shows them: one judgement of the record, and one answer to which of
its findings belong to a matter.

``ledger findings`` judges the whole record; a matter's trace, history page and archive page
judge the facts of its scope (``LedgerIndex.scope_rows``: complete for the findings on the
matter's streams) with the same :func:`judge`, and keep what :func:`belongs` says is the
matter's. So a trace shows exactly ``ledger findings --matter`` (tests/projections/
test_trace_findings_match.py checks it over demo ledgers, every matter, two moments).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from ledger.domain.rules.engine import evaluate, parameters_in_force
from ledger.domain.rules.facts import World
from ledger.domain.rules.finding import Finding, SubjectKind
from ledger.integrity.verify import StoredRow
from ledger.projections.facts import build_world


def judge(world: World, moment: datetime, rules: Sequence[str] = ()) -> list[Finding]:
    """Every finding on ``world`` judged as of ``moment`` (only ``rules`` if given), with the
    parameters of the rule set in force then."""
    return evaluate(world, parameters_in_force(world, moment), moment, rules or None)


def judged(
    rows: Iterable[Sequence[StoredRow]],
    moment: datetime,
    rules: Sequence[str] = (),
    at: datetime | None = None,
) -> tuple[World, list[Finding]]:
    """The facts of ``rows`` (pages in log order) as recorded by ``moment``, and the findings on
    them judged as of ``moment`` (only ``rules`` if given). With ``at``: only the acts that had
    happened by ``at``, judged as of ``at`` (or ``moment``, if earlier)."""
    world = build_world(rows, moment, at)
    return world, judge(world, min(moment, at) if at is not None else moment, rules)


@dataclass(frozen=True)
class MatterScope:
    """What a matter's findings may be about: the matter, its emergency actions, the meetings
    that took it up, and the log positions of the events of its file."""

    matter: str
    emergencies: frozenset[str]
    meetings: frozenset[str]
    positions: frozenset[int]


def belongs(finding: Finding, scope: MatterScope) -> bool:
    """Whether a finding is the matter's: about the matter or one of its emergency actions;
    about an event of its file; or about one of its meetings and citing an event of the file
    (or none): a breach on another item of the same meeting, such as a vote that bundled other
    items, is that item's."""
    kind, subject = finding.subject_kind, finding.subject_id
    if kind is SubjectKind.MATTER:
        return subject == scope.matter
    if kind is SubjectKind.EMERGENCY_ACTION:
        return subject in scope.emergencies
    if kind is SubjectKind.EVENT:
        return subject.isdigit() and int(subject) in scope.positions
    if kind is SubjectKind.MEETING:
        cited = scope.positions.intersection(finding.positions)
        return subject in scope.meetings and (bool(cited) or not finding.positions)
    return False  # a member's or a body's: nobody's matter


def of_matter(found: Iterable[Finding], scope: MatterScope) -> list[Finding]:
    """The findings that belong to the matter of ``scope``, in their order."""
    return [f for f in found if belongs(f, scope)]
