"""Delegation (委托): the secretary may delegate agenda approval to the full-time deputy
secretary. The delegation is on the record, so an approval under it can be checked."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.domain.events import (
    Envelope,
    LedgerCreated,
    LedgerEvent,
    Note,
    Payload,
    Text,
    envelope_kwargs,
)
from ledger.errors import DomainRuleError

AGENDA_APPROVAL = "agenda_approval"


class DelegationGranted(Payload):
    grantor: UUID
    grantee: UUID
    power: Text = AGENDA_APPROVAL
    valid_from: date
    valid_until: date | None = None
    note: Note = ""


class DelegationWithdrawn(Payload):
    reason: Note = ""


class Delegation(Aggregate):
    """A delegated power and its period."""

    class Granted(LedgerCreated):
        TYPE = "delegation.granted"
        PAYLOAD = DelegationGranted

        def apply(self, aggregate: Delegation) -> None:
            aggregate.granted = self.payload
            aggregate.withdrawn = False

    class Withdrawn(LedgerEvent):
        TYPE = "delegation.withdrawn"
        PAYLOAD = DelegationWithdrawn

        def apply(self, aggregate: Delegation) -> None:
            aggregate.withdrawn = True

    granted: DelegationGranted
    withdrawn: bool

    def __init__(self) -> None:
        pass

    @classmethod
    def grant(
        cls, delegation_id: UUID, payload: DelegationGranted, envelope: Envelope
    ) -> Delegation:
        if payload.valid_until is not None and payload.valid_until < payload.valid_from:
            raise DomainRuleError(
                "a delegation cannot end before it starts", zh="委托的终止时间不能早于起始时间"
            )
        return cls._create(cls.Granted, id=delegation_id, **envelope_kwargs(envelope, payload))

    def withdraw(self, payload: DelegationWithdrawn, envelope: Envelope) -> None:
        if self.withdrawn:
            raise DomainRuleError("this delegation was already withdrawn", zh="该委托已经撤回")
        self.trigger_event(self.Withdrawn, **envelope_kwargs(envelope, payload))
