"""Reads answered from the index equal the same questions answered by replaying the whole log.

The index fetches only the events a question needs (docs/architecture.md, "Reading"); these tests
replay every event of the demo ledger instead and check that nothing the index leaves out changes
an answer: each matter's archive and trace with its findings, as of the end of the year and as of
a day in the middle of it, and each member's person view.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from uuid import UUID

import pytest

from ledger.integrity.canonical import format_time
from ledger.integrity.record import decode_record
from ledger.integrity.verify import StoredRow
from ledger.projections.trace import MatterFile, Shared
from ledger.projections.views import Reader
from ledger.store.demo import build_ledger
from ledger.store.home import LedgerHome
from ledger.store.service import LedgerService

END = datetime.fromisoformat("2026-12-31T23:00:00+08:00")
MIDYEAR = datetime.fromisoformat("2026-07-15T12:00:00+08:00")


class Ledger:
    def __init__(self, service: LedgerService) -> None:
        self.service = service
        self.reader: Reader = service.reader()
        self.rows = [row for page in service.app.rows() for row in page]
        self._shared: dict[datetime, Shared] = {}

    def replayed(self, matter: str, as_of: datetime) -> MatterFile:
        """The matter's file from every event in the log, not just those the index picks."""
        rows = self.rows_until(as_of)
        if as_of not in self._shared:
            self._shared[as_of] = Shared(rows, as_of)
        return MatterFile(UUID(matter), rows, as_of, self._shared[as_of])

    def rows_until(self, as_of: datetime) -> list[StoredRow]:
        """Every row recorded by ``as_of`` (recording times never decrease along the log)."""
        moment = format_time(as_of)
        return [r for r in self.rows if decode_record(r.state).header["recorded_at"] <= moment]

    def matters(self, as_of: datetime) -> list[str]:
        moment = format_time(as_of)
        return [m for m, _, _ in self.reader.index.subjects("matter") if self._opened(m, moment)]

    def _opened(self, matter: str, moment: str) -> bool:
        events = self.reader.index.events_of(matter)
        return bool(events) and events[0].recorded_at <= moment


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ledger]:
    home = tmp_path_factory.mktemp("reads") / "ledger"
    build_ledger(home, size=2)  # two routine items a meeting and more: agendas of several items
    service = LedgerService.open(LedgerHome(home))
    yield Ledger(service)
    service.app.close()


@pytest.mark.parametrize("as_of", [END, MIDYEAR], ids=["year-end", "midyear"])
def test_every_trace_and_archive_equals_a_full_replay(ledger: Ledger, as_of: datetime) -> None:
    matters = ledger.matters(as_of)
    assert len(matters) > 40
    with_findings = 0
    for matter in matters:
        indexed = ledger.reader.matter_file(matter, as_of)
        replayed = ledger.replayed(matter, as_of)
        assert indexed.archive() == replayed.archive(), matter
        trace = indexed.trace().to_json()
        assert trace == replayed.trace().to_json(), matter
        with_findings += bool(trace["findings"])
    if as_of == END:
        assert with_findings >= 8  # the demo's deliberate breaches are among them


def test_the_index_reads_fewer_events_than_a_meeting_holds(ledger: Ledger) -> None:
    """A matter's question does not fetch the other items of its meetings."""
    index = ledger.reader.index
    matter = ledger.matters(END)[-1]
    needed = set(index.rows_for(matter, format_time(END)))
    meetings = {e.stream for e in index.events_of(matter) if e.type.startswith("meeting.")}
    assert meetings
    whole = {e.row for m in meetings for e in index.events_of(m) if e.stream == m}
    assert whole - needed, "other items' events of the meeting were fetched"


def test_a_person_view_equals_one_from_every_event(ledger: Ledger) -> None:
    members = [m for m, _, _ in ledger.reader.index.subjects("member")]
    assert len(members) > 20
    for member in members[:: max(1, len(members) // 6)]:
        indexed = ledger.reader.person(member, END)
        replayed = _person_by_replay(ledger, member, END)
        assert indexed["matters"] == replayed["matters"], member
        assert indexed["findings"] == replayed["findings"], member


def _person_by_replay(ledger: Ledger, member: str, as_of: datetime) -> dict[str, Any]:
    """A member's roles in every matter and the findings naming them, from every event."""
    rows = ledger.rows_until(as_of)
    shared = Shared(rows, as_of)
    matters = []
    findings: list[dict[str, Any]] = []
    for matter in ledger.matters(as_of):
        trace = MatterFile(UUID(matter), rows, as_of, shared).trace(with_findings=False)
        roles = [r for r in trace.roles if r.person == member]
        if roles:
            matters.append((matter, trace.title, roles))
    from ledger.domain.rules.engine import evaluate, parameters_in_force

    world = shared.world
    findings = [
        f.to_json()
        for f in evaluate(world, parameters_in_force(world, as_of), as_of)
        if f.responsible == member
    ]
    return {
        "matters": [
            {
                "matter": m,
                "title": t,
                "roles": [
                    {
                        "matter": m,
                        "title": t,
                        "role": r.role,
                        "detail": r.detail,
                        "position": r.position,
                        "occurred_at": r.occurred_at,
                        "posts": list(r.posts),
                        "in_charge": list(r.in_charge),
                        "signed_by_person": r.signed_by_person,
                        "transcribed_from": r.transcribed["source"] if r.transcribed else None,
                    }
                    for r in roles
                ],
            }
            for m, t, roles in matters
        ],
        "findings": findings,
    }


def test_findings_as_of_a_moment_judge_only_what_was_recorded_by_then(ledger: Ledger) -> None:
    """A day after the deadline of the late minutes, none were on the record: the finding then
    says so, where a judge who also read the later events would already know the day they were
    issued."""
    from datetime import timedelta

    from ledger.domain.rules.engine import evaluate, parameters_in_force
    from ledger.projections.facts import build_world
    from ledger.projections.findings import judged

    _, at_end = judged(ledger.service.app.rows(), END)
    late = next(f for f in at_end if f.rule == "minutes-deadline")
    assert "issued on" in late.message
    moment = late.when + timedelta(days=1)
    _, found = judged(ledger.service.app.rows(), moment)
    then = build_world([ledger.rows_until(moment)])
    assert found == evaluate(then, parameters_in_force(then, moment), moment)
    (missing,) = [f for f in found if f.subject_id == late.subject_id]
    assert "issued on" not in missing.message
    everything = build_world([ledger.rows])
    hindsight = evaluate(everything, parameters_in_force(everything, moment), moment)
    assert any(f.subject_id == late.subject_id and "issued on" in f.message for f in hindsight)


def test_a_person_view_without_findings_reads_only_the_index_and_the_context(
    ledger: Ledger,
) -> None:
    members = [m for m, _, _ in ledger.reader.index.subjects("member")]
    for member in members[:: max(1, len(members) // 4)]:
        full = ledger.reader.person(member, END)
        quick = ledger.reader.person(member, END, with_findings=False)
        assert quick == {**full, "findings": None}, member
