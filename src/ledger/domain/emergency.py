"""Emergency action (临机处置): the secretary, a deputy secretary or the member in charge may act
at once in a sudden emergency, but must report to the standing committee promptly afterwards. The
action stays provisional until the standing committee takes note of it or ratifies it."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.domain.events import (
    Envelope,
    LedgerCreated,
    LedgerEvent,
    MaterialDigest,
    Moment,
    Note,
    Payload,
    Text,
    envelope_kwargs,
)
from ledger.errors import DomainRuleError


class Acknowledgement(StrEnum):
    NOTED = "noted"  # 听取报告
    RATIFIED = "ratified"  # 追认
    OVERTURNED = "overturned"  # 不予追认


_ACKNOWLEDGED_ZH = {
    Acknowledgement.NOTED: "常委会已听取该临机处置的报告",
    Acknowledgement.RATIFIED: "该临机处置已经追认",
    Acknowledgement.OVERTURNED: "该临机处置已决定不予追认",
}
"""What the standing committee already did with an action, as a refusal says it in Chinese."""


class EmergencyActionTaken(Payload):
    """What was done, by whom, when, and on which matter if any."""

    by: UUID
    summary: Text
    taken_at: Moment
    matter: UUID | None = None
    materials: tuple[MaterialDigest, ...] = ()


class EmergencyReported(Payload):
    """The action was reported to the standing committee, at a meeting."""

    meeting: UUID
    reported_at: Moment
    by: UUID


class EmergencyAcknowledged(Payload):
    """The standing committee took note of, ratified or overturned the action."""

    meeting: UUID
    outcome: Acknowledgement
    note: Note = ""


class EmergencyAction(Aggregate):
    """An emergency action and its after-the-fact report."""

    class Taken(LedgerCreated):
        TYPE = "emergency.action_taken"
        PAYLOAD = EmergencyActionTaken

        def apply(self, aggregate: EmergencyAction) -> None:
            aggregate.by = self.payload.by
            aggregate.reported = False
            aggregate.acknowledged = None

    class Reported(LedgerEvent):
        TYPE = "emergency.reported"
        PAYLOAD = EmergencyReported

        def apply(self, aggregate: EmergencyAction) -> None:
            aggregate.reported = True

    class Acknowledged(LedgerEvent):
        TYPE = "emergency.acknowledged"
        PAYLOAD = EmergencyAcknowledged

        def apply(self, aggregate: EmergencyAction) -> None:
            aggregate.acknowledged = self.payload.outcome

    by: UUID
    reported: bool
    acknowledged: Acknowledgement | None

    def __init__(self) -> None:
        pass

    @property
    def provisional(self) -> bool:
        """Provisional until the standing committee took note of or ratified it."""
        return self.acknowledged is None

    @classmethod
    def take(
        cls, action_id: UUID, payload: EmergencyActionTaken, envelope: Envelope
    ) -> EmergencyAction:
        return cls._create(cls.Taken, id=action_id, **envelope_kwargs(envelope, payload))

    def report(self, payload: EmergencyReported, envelope: Envelope) -> None:
        if self.reported:
            raise DomainRuleError(
                "this emergency action was already reported", zh="该临机处置已经报告"
            )
        self.trigger_event(self.Reported, **envelope_kwargs(envelope, payload))

    def acknowledge(self, payload: EmergencyAcknowledged, envelope: Envelope) -> None:
        if not self.reported:
            raise DomainRuleError(
                "an emergency action is acknowledged after it is reported",
                zh="临机处置须先向常委会报告，常委会才能听取报告或决定是否追认",
            )
        if self.acknowledged is not None:
            raise DomainRuleError(
                f"this action was already {self.acknowledged.value}",
                zh=_ACKNOWLEDGED_ZH[self.acknowledged],
            )
        self.trigger_event(self.Acknowledged, **envelope_kwargs(envelope, payload))
