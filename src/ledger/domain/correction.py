"""Corrections: nothing on the record is ever edited or deleted. A mistake in a recorded act is
corrected by a new event that points at the event it corrects (by log position and hash) and
says what the record should have said, and why."""

from __future__ import annotations

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


class CorrectionRecorded(Payload):
    """A correction of the event at log position ``corrects`` (whose hash is ``corrects_hash``)."""

    corrects: SafeInt
    corrects_hash: MaterialDigest
    corrects_type: Text
    reason: Text
    correction: Text
    material: MaterialDigest | None = None


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
