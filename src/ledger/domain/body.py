"""Bodies of the organisation: the plenary (全委会), the standing committee (常委会), and
non-decision meetings such as preparatory meetings (酝酿会), which must not decide major matters.

A body's membership changes over time; a meeting freezes the roster of who should attend
(应到会) when it opens, so every threshold can be re-checked later from the record.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.domain.events import (
    Envelope,
    LedgerCreated,
    LedgerEvent,
    Payload,
    Text,
    envelope_kwargs,
)
from ledger.errors import DomainRuleError


class BodyKind(StrEnum):
    """What kind of body, which says whether it may decide."""

    PLENARY = "plenary"  # 全委会
    STANDING_COMMITTEE = "standing_committee"  # 常委会
    PREPARATORY = "preparatory"  # 酝酿会 and other non-decision meetings
    GOVERNMENT = "government"  # 县(市)人民政府 and other organs outside the committee: they carry
    # out its decisions, and a change or revocation by one is judged by rule change-authority


DECISION_BODIES = frozenset({BodyKind.PLENARY, BodyKind.STANDING_COMMITTEE})


class BodyEstablished(Payload):
    """A body is set up."""

    kind: BodyKind
    name: Text


class BodyMemberJoined(Payload):
    """A member joins a body (from now on they should attend its meetings)."""

    member: UUID


class BodyMemberLeft(Payload):
    """A member leaves a body."""

    member: UUID
    reason: str = ""


class Body(Aggregate):
    """A body of the organisation and who belongs to it."""

    class Established(LedgerCreated):
        TYPE = "body.established"
        PAYLOAD = BodyEstablished

        def apply(self, aggregate: Body) -> None:
            aggregate.kind = self.payload.kind
            aggregate.name = self.payload.name
            aggregate.members = []

    class MemberJoined(LedgerEvent):
        TYPE = "body.member_joined"
        PAYLOAD = BodyMemberJoined

        def apply(self, aggregate: Body) -> None:
            aggregate.members.append(self.payload.member)

    class MemberLeft(LedgerEvent):
        TYPE = "body.member_left"
        PAYLOAD = BodyMemberLeft

        def apply(self, aggregate: Body) -> None:
            aggregate.members.remove(self.payload.member)

    kind: BodyKind
    name: str
    members: list[UUID]

    def __init__(self) -> None:
        pass

    @property
    def decides(self) -> bool:
        """Whether this body may decide (only the plenary and the standing committee)."""
        return self.kind in DECISION_BODIES

    @classmethod
    def establish(cls, body_id: UUID, payload: BodyEstablished, envelope: Envelope) -> Body:
        """Set up a body."""
        return cls._create(cls.Established, id=body_id, **envelope_kwargs(envelope, payload))

    def add_member(self, member: UUID, envelope: Envelope) -> None:
        """A member joins this body."""
        if member in self.members:
            raise DomainRuleError(
                f"member {member} already belongs to {self.name}",
                zh=f"委员 {member} 已是{self.name}成员",
            )
        self.trigger_event(
            self.MemberJoined, **envelope_kwargs(envelope, BodyMemberJoined(member=member))
        )

    def remove_member(self, member: UUID, reason: str, envelope: Envelope) -> None:
        """A member leaves this body."""
        if member not in self.members:
            raise DomainRuleError(
                f"member {member} does not belong to {self.name}",
                zh=f"委员 {member} 不是{self.name}成员",
            )
        self.trigger_event(
            self.MemberLeft,
            **envelope_kwargs(envelope, BodyMemberLeft(member=member, reason=reason)),
        )
