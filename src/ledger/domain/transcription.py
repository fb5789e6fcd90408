"""Transcriptions (补录): acts entered from paper records after the fact.

A county that adopts the ledger first enters last year's paper minutes. Those acts happened long
before they were recorded, and saying so act by act (rule ``late-record``) would bury the real
late records. Instead, a record file declares itself a transcription of a named source (the
document's title, its number or archive reference, the digest of a scan) entered by a named
clerk; the batch records one ``transcription.recorded`` event first, saying how many events of
the batch follow it, and every one of those is marked transcribed from that source wherever it
shows. The transcription itself is noted once (rule ``transcription``), so back-filling is
visible without flooding the findings; a live act entered late is still flagged.

The events a transcription covers are the ``events`` that follow it in the log: a batch is
sealed in one transaction at consecutive positions, so they are exactly the rest of its batch.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.domain.events import (
    Envelope,
    LedgerCreated,
    MaterialDigest,
    Note,
    Payload,
    SafeInt,
    Text,
    envelope_kwargs,
)


class TranscriptionRecorded(Payload):
    """The batch that follows is a transcription of ``source``, entered by ``clerk``."""

    source: Text  # the paper document's title (县委常委会2025年第12次会议纪要)
    reference: Note = ""  # its document number or archive reference (档号)
    scan: MaterialDigest | None = None  # the digest of a scan of it, kept in the content store
    clerk: Text  # who entered it
    events: SafeInt  # how many events of this batch follow (all of it)


class Transcription(Aggregate):
    """A transcription on the record."""

    class Recorded(LedgerCreated):
        TYPE = "transcription.recorded"
        PAYLOAD = TranscriptionRecorded

        def apply(self, aggregate: Transcription) -> None:
            aggregate.recorded = self.payload

    recorded: TranscriptionRecorded

    def __init__(self) -> None:
        pass

    @classmethod
    def record(
        cls, transcription_id: UUID, payload: TranscriptionRecorded, envelope: Envelope
    ) -> Transcription:
        return cls._create(cls.Recorded, id=transcription_id, **envelope_kwargs(envelope, payload))
