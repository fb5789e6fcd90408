"""The demo ledger: a county committee's year (``ledger.demo.generator``) recorded as the office
would record it, day by day, with the office's clock set just after each batch's last act.

``build_ledger`` records the year and says what it built (the benchmarks use it at large
sizes); ``build_demo`` also verifies the ledger and judges it by the rules as of the end of the
year. Personal keys are kept unencrypted under ``member-keys/``: this ledger is for trying the
tool, not for real records.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from ledger.demo.generator import (
    YEAR_END,
    Act,
    ActBatch,
    CountyYear,
    KeyRegistration,
    KeyRevocation,
    RuleSetAdoption,
    Step,
)
from ledger.domain.events import OFFICE
from ledger.domain.rules.ruleset_file import parse_ruleset
from ledger.integrity.keys import SigningKey
from ledger.record.acts import RecordDocument
from ledger.store.home import LedgerHome
from ledger.store.service import LedgerService

NAME = "示范县委员会 (Demo County Committee)"

Progress = Callable[[int, date], None]
"""Called after each recorded step with the events recorded so far and the day reached."""


class OfficeClock:
    """The office's clock during the build: set by the recorder, never moving backwards."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, to: datetime) -> None:
        self.now = max(self.now, to)


class _Recorder:
    """Records the generator's steps, swapping each alias for the id the ledger gave it."""

    def __init__(self, service: LedgerService, clock: OfficeClock, key_dir: Path) -> None:
        self.service = service
        self.clock = clock
        self.key_dir = key_dir
        self.ids: dict[str, str] = {}
        self.keys: dict[str, SigningKey] = {}  # by holder alias, or by label
        self.events = 1  # the genesis event
        self.late_positions: list[int] = []

    def apply(self, step: Step) -> date:
        """Record one step; returns the day it happened."""
        if isinstance(step, ActBatch):
            return self._batch(step)
        self.clock.advance(step.at + timedelta(minutes=1))
        if isinstance(step, KeyRegistration):
            self._register(step)
        elif isinstance(step, KeyRevocation):
            key = self.keys[step.label]
            self.service.app.revoke_key(key.key_id, step.reason, occurred_at=step.at)
            self.service.publish_checkpoint()
        elif isinstance(step, RuleSetAdoption):
            adopted = parse_ruleset(step.document, source="ledger demo")
            self.service.adopt_ruleset(adopted, occurred_at=step.at)
        self.events += 1
        return step.at.date()

    def _register(self, step: KeyRegistration) -> None:
        key = SigningKey.generate()
        if step.holder == OFFICE:
            holder, purposes = OFFICE, ("record",)
        else:
            holder, purposes = self.ids[step.holder], ("act",)
            key.save(self.key_dir / f"{step.holder.removeprefix('p.')}.key", None)
            self.keys[step.holder] = key
        self.keys[step.label] = key
        self.service.register_key(
            key, holder=holder, purposes=purposes, label=step.label, occurred_at=step.at
        )

    def _batch(self, batch: ActBatch) -> date:
        self.clock.advance(batch.record_at)
        acts = [self._resolve(act) for act in batch.acts]
        signers = {UUID(self.ids[alias]): self.keys[alias] for alias in batch.signers}
        document = RecordDocument.model_validate({"acts": acts})
        result = self.service.record(document.acts, now=self.clock.now, signers=signers)
        self.ids.update({alias: str(ident) for alias, ident in result.aliases.items()})
        self.events += result.events
        if batch.late and result.first_position is not None and result.last_position:
            self.late_positions += range(result.first_position, result.last_position + 1)
        return batch.acts[-1]["at"][:10] and date.fromisoformat(batch.acts[-1]["at"][:10])

    def _resolve(self, act: Act) -> Act:
        """The act with every alias of an earlier batch replaced by its id."""
        ids = self.ids

        def swap(value: Any) -> Any:
            if isinstance(value, str):
                return ids.get(value, value)
            if isinstance(value, list):
                return [swap(v) for v in value]
            if isinstance(value, dict):
                return {k: swap(v) for k, v in value.items()}
            return value

        return {k: v if k in ("act", "as", "at") else swap(v) for k, v in act.items()}


# eventsourcing's aggregate cache for the build. Each ``record`` call loads the aggregates its
# acts touch; without a cache every batch replays their events again (about five event decodes
# per event recorded). The builder is the ledger's only writer and stops at the first refused
# batch, so aggregates may stay in memory without being copied on every load (an aggregate left
# half-changed by a refused batch dies with the build). Not for general use: a writer that goes
# on after a refused batch must keep the copy (the default).
BUILD_SETTINGS = {"AGGREGATE_CACHE_MAXSIZE": "1000000", "DEEPCOPY_FROM_AGGREGATE_CACHE": "n"}


def build_ledger(
    directory: Path, *, size: int = 1, seed: int = 2026, on_progress: Progress | None = None
) -> dict[str, Any]:
    """Record a county committee's year in a new ledger in ``directory``.

    ``size`` scales the routine work (about 2,600 events per unit); ``seed`` fixes every
    choice. Returns what was built: events, members, meetings, matters, decisions, keys, the
    seconds it took, the log positions of the deliberately late batch and the story's
    highlights (titles and names for trying the read commands).
    """
    started = time.perf_counter()
    year = CountyYear(size=size, seed=seed)
    clock = OfficeClock(year.start)
    service = LedgerService.create(
        LedgerHome(directory),
        NAME,
        passphrase=None,
        occurred_at=year.start,
        clock=clock,
        settings=BUILD_SETTINGS,
    )
    service.index_on_write = False  # one rebuild at the end is faster than following each batch
    try:
        recorder = _Recorder(service, clock, directory / "member-keys")
        for step in year.steps():
            day = recorder.apply(step)
            if on_progress is not None:
                on_progress(recorder.events, day)
        service.rebuild_index().close()
    finally:
        service.app.close()
    return {
        "events": recorder.events,
        "members": year.stats["members"],
        "meetings": year.stats["meetings"],
        "matters": year.stats["matters"],
        "decisions": year.stats["decisions"],
        "keys": len({k.key_id for k in recorder.keys.values()}) + 1,
        "seconds": time.perf_counter() - started,
        "late_positions": recorder.late_positions,
        "highlights": dict(year.highlights),
        "as_of": YEAR_END.isoformat(),
    }


def build_demo(
    directory: Path, *, size: int = 1, seed: int = 2026, on_progress: Progress | None = None
) -> dict[str, Any]:
    """Build the demo ledger in ``directory``, verify it and judge it by the rules as of the
    end of the year; returns :func:`build_ledger`'s summary with ``verified`` and
    ``findings`` (counts by rule). ``on_progress`` is called as the year is recorded, then
    once more with the year's last day when verifying begins."""
    from ledger.domain.rules.engine import evaluate, parameters_in_force
    from ledger.projections.facts import build_world

    summary = build_ledger(directory, size=size, seed=seed, on_progress=on_progress)
    if on_progress is not None:
        on_progress(summary["events"], YEAR_END.date())
    service = LedgerService.open(LedgerHome(directory))
    try:
        report = service.verify()
        world = build_world(service.app.rows())
        found = evaluate(world, parameters_in_force(world, YEAR_END), YEAR_END)
    finally:
        service.app.close()
    summary["events"] = report.events
    summary["verified"] = report.ok
    summary["findings"] = dict(sorted(Counter(f.rule for f in found).items()))
    return summary
