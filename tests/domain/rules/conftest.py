"""A county ledger for the rule tests, recorded as the office would record it: promptly.

The office's clock is the test's: each batch is sealed at the time of its last act, so
``recorded_at`` is deterministic and no event is late unless a test makes it so. The fixture
records docs/examples/county.yaml's people and bodies; ``county_rest()`` gives the rest of the
example (a matter's preparation, the meeting that decides it, the carrying out), which is
compliant with every rule, and tests change one act of it to build a breach.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml

from ledger.domain.rules.engine import evaluate, parameters_in_force
from ledger.domain.rules.facts import World
from ledger.domain.rules.finding import Finding
from ledger.projections.facts import build_world
from ledger.record.acts import RecordDocument
from ledger.store.home import LedgerHome
from ledger.store.service import LedgerService, RecordResult

CST = timezone(timedelta(hours=8))
AS_OF = datetime(2026, 3, 1, tzinfo=CST)
COUNTY = Path(__file__).resolve().parents[3] / "docs" / "examples" / "county.yaml"

Act = dict[str, Any]


def county_acts() -> list[Act]:
    """Every act of docs/examples/county.yaml, as dicts."""
    acts: list[Act] = yaml.safe_load(COUNTY.read_text(encoding="utf-8"))["acts"]
    return acts


def _split() -> tuple[list[Act], list[Act]]:
    acts = county_acts()
    first_matter = next(i for i, a in enumerate(acts) if a["act"] == "matter.open")
    return acts[:first_matter], acts[first_matter:]


def county_people() -> list[Act]:
    """The example's members, posts and standing committee."""
    return copy.deepcopy(_split()[0])


def county_rest() -> list[Act]:
    """The example after its people: the water-supply matter, meeting m1, the assignment."""
    return copy.deepcopy(_split()[1])


def without(acts: list[Act], act: str, **match: Any) -> list[Act]:
    """``acts`` less those of type ``act`` whose fields equal ``match``."""
    return [a for a in acts if not _matches(a, act, match)]


def edited(acts: list[Act], act: str, changes: dict[str, Any], **match: Any) -> list[Act]:
    """``acts`` with ``changes`` applied to those of type ``act`` matching ``match``."""
    hits = [a for a in acts if _matches(a, act, match)]
    assert hits, f"no {act} act matches {match}"
    return [{**a, **changes} if _matches(a, act, match) else a for a in acts]


def _matches(a: Act, act: str, match: dict[str, Any]) -> bool:
    return a["act"] == act and all(a.get(k) == v for k, v in match.items())


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


class Clock:
    """The office's clock, set by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class CountyLedger:
    """A ledger under test: records acts (by alias across batches), rebuilds the world, and
    evaluates rules."""

    def __init__(self, service: LedgerService, clock: Clock) -> None:
        self.service = service
        self.clock = clock
        self.ids: dict[str, str] = {}

    def record(self, *acts: Act, sealed_at: str | None = None) -> RecordResult:
        """Record ``acts`` as one batch, sealed at the time of the latest of them (or at
        ``sealed_at``)."""
        self.clock.now = moment(sealed_at) if sealed_at else max(moment(a["at"]) for a in acts)
        document = RecordDocument.model_validate({"acts": [self._with_ids(a) for a in acts]})
        result = self.service.record(document.acts)
        self.ids.update({alias: str(ident) for alias, ident in result.aliases.items()})
        return result

    def record_promptly(self, acts: list[Act]) -> None:
        """Record ``acts`` in the order they happened (document order among equal times), in
        batches of acts less than a day apart, as an office recording daily would."""
        batch: list[Act] = []
        for act in sorted(acts, key=lambda a: moment(a["at"])):
            if batch and moment(act["at"]) - moment(batch[0]["at"]) >= timedelta(days=1):
                self.record(*batch)
                batch = []
            batch.append(act)
        if batch:
            self.record(*batch)

    def world(self, until: datetime | None = None) -> World:
        return build_world(self.service.app.rows(), until)

    def findings(self, rule: str | None = None, as_of: datetime = AS_OF) -> list[Finding]:
        world = self.world()
        rules = None if rule is None else [rule]
        return evaluate(world, parameters_in_force(world, as_of), as_of, rules)

    def found(self, rule: str, acts: list[Act], as_of: datetime = AS_OF) -> Finding:
        """Record ``acts`` promptly and return the one finding of ``rule``."""
        self.record_promptly(acts)
        findings = self.findings(rule, as_of)
        assert len(findings) == 1, findings
        assert findings[0].rule == rule and findings[0].positions
        return findings[0]

    def clean(self, rule: str, acts: list[Act], as_of: datetime = AS_OF) -> bool:
        """Record ``acts`` promptly; whether ``rule`` finds nothing."""
        self.record_promptly(acts)
        findings = self.findings(rule, as_of)
        assert findings == [], findings
        return True

    def id(self, alias: str) -> str:
        return self.ids[alias]

    def _with_ids(self, act: Act) -> Act:
        def swap(value: Any) -> Any:
            if isinstance(value, str):
                return self.ids.get(value, value)
            if isinstance(value, list):
                return [swap(v) for v in value]
            if isinstance(value, dict):
                return {k: swap(v) for k, v in value.items()}
            return value

        return {k: v if k in ("act", "as", "at") else swap(v) for k, v in act.items()}


@pytest.fixture
def clock() -> Clock:
    """The office's clock, handed to the ledger."""
    return Clock(moment("2026-01-05T09:00:00+08:00"))


@pytest.fixture
def ledger(tmp_path: Path, clock: Clock) -> Iterator[CountyLedger]:
    """A new ledger holding the example's people and standing committee (alias ``sc``)."""
    service = LedgerService.create(
        LedgerHome(tmp_path / "ledger"),
        "Rules County",
        passphrase=None,
        occurred_at=clock.now,
        clock=clock,
    )
    county = CountyLedger(service, clock)
    county.record(*county_people())
    yield county
    service.app.close()
