"""A trace judges what ``ledger findings`` judges (issue #11, part 4).

Over demo ledgers of several sizes and seeds, for every matter on the record, as of the end of
the year and as of a day in the middle of it: the findings a trace shows (judged from the
matter's scope, ``LedgerIndex.scope_rows``) equal the findings of the whole record judged once,
as ``ledger findings`` judges it, that belong to the matter (``findings.belongs``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from ledger.domain.rules.finding import Finding, SubjectKind
from ledger.projections.findings import judged, of_matter
from ledger.projections.views import Reader, UnknownSubjectError
from ledger.store.demo import build_ledger
from ledger.store.home import LedgerHome
from ledger.store.service import LedgerService

END = datetime.fromisoformat("2026-12-31T23:00:00+08:00")
MIDYEAR = datetime.fromisoformat("2026-07-15T12:00:00+08:00")

LEDGERS = [(1, 2026), (1, 7), (2, 11)]
"""(size, seed) of each demo ledger: about 1,900 events at size 1, 4,000 at size 2."""


@pytest.fixture(scope="module", params=LEDGERS, ids=[f"size{s}-seed{n}" for s, n in LEDGERS])
def service(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LedgerService]:
    size, seed = request.param
    home = tmp_path_factory.mktemp(f"demo-{size}-{seed}") / "ledger"
    build_ledger(home, size=size, seed=seed)
    opened = LedgerService.open(LedgerHome(home))
    yield opened
    opened.app.close()


def _row(finding: Finding | dict[str, Any]) -> dict[str, Any]:
    """A finding as the trace prints it, without the responsible person's name."""
    shown = finding.to_json() if isinstance(finding, Finding) else dict(finding)
    shown.pop("responsible_name", None)
    return shown


@pytest.mark.parametrize("as_of", [END, MIDYEAR], ids=["year-end", "midyear"])
def test_every_traces_findings_are_the_records_findings_on_its_matter(
    service: LedgerService, as_of: datetime
) -> None:
    reader: Reader = service.reader()
    _, whole = judged(service.app.rows(), as_of)
    traced = 0
    shown: list[dict[str, Any]] = []
    for matter, _, _ in reader.index.subjects("matter"):
        try:
            file = reader.matter_file(matter, as_of)
        except UnknownSubjectError:
            continue  # opened after the moment
        trace = file.trace()
        assert [_row(f) for f in trace.findings] == [
            _row(f) for f in of_matter(whole, file.scope)
        ], trace.title
        # the archive and history read only the file: the same entries as the scope gives
        assert reader.matter_file(matter, as_of, judging=False).archive() == file.archive()
        traced += 1
        shown += [_row(f) for f in trace.findings]
    assert traced > 25
    # every breach found on a matter is in that matter's trace
    assert all(_row(f) in shown for f in whole if f.subject_kind is SubjectKind.MATTER)
    if as_of == END:
        assert len(shown) >= 8  # the demo's deliberate breaches are among them
