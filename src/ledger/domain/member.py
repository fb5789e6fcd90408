"""Members of the committee: the people who propose, deliberate, vote and carry out."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.domain.events import Envelope, LedgerCreated, Payload, envelope_kwargs
from ledger.errors import DomainRuleError


class MemberRegistered(Payload):
    """A person enters the ledger's roster (委员). Roles and portfolios follow as their own acts."""

    name: str
    title: str = ""


class Member(Aggregate):
    """A member (委员) of the committee."""

    class Registered(LedgerCreated):
        TYPE = "member.registered"
        PAYLOAD = MemberRegistered

        def apply(self, aggregate: Member) -> None:
            aggregate.name = self.payload.name
            aggregate.title = self.payload.title

    name: str
    title: str

    def __init__(self) -> None:
        pass

    @classmethod
    def register(cls, member_id: UUID, payload: MemberRegistered, envelope: Envelope) -> Member:
        """Register a member."""
        if not payload.name.strip():
            raise DomainRuleError("a member needs a name")
        return cls._create(cls.Registered, id=member_id, **envelope_kwargs(envelope, payload))
