"""Members of the committee (委员): the people who propose, deliberate, vote and carry out.

A member's posts and portfolio (分工) change over time: each assignment is an event, so the
portfolio a member held when they acted can always be read back.
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


class Post(StrEnum):
    """Posts a member may hold (several at once: the county head is also deputy secretary)."""

    SECRETARY = "secretary"  # 书记
    DEPUTY_SECRETARY = "deputy_secretary"  # 副书记
    HEAD_OF_GOVERNMENT = "head_of_government"  # 市(县)长
    FULL_TIME_DEPUTY_SECRETARY = "full_time_deputy_secretary"  # 专职副书记
    DISCIPLINE_SECRETARY = "discipline_secretary"  # 纪委书记
    ORGANISATION_HEAD = "organisation_head"  # 组织部长
    PROPAGANDA_HEAD = "propaganda_head"  # 宣传部长
    POLITICAL_LEGAL_SECRETARY = "political_legal_secretary"  # 政法委书记
    SECRETARY_GENERAL = "secretary_general"  # 秘书长
    UNITED_FRONT_HEAD = "united_front_head"  # 统战部长
    EXECUTIVE_DEPUTY_HEAD = "executive_deputy_head"  # 常务副市(县)长
    STANDING_MEMBER = "standing_member"  # 常委
    MEMBER = "member"  # 委员


class MemberRegistered(Payload):
    """A person enters the ledger's roster."""

    name: Text
    title: str = ""


class MemberAssigned(Payload):
    """A member's posts and portfolio (分工) from now on: areas in charge (负责/分管) and areas
    they liaise with (联系)."""

    posts: tuple[Post, ...]
    in_charge: tuple[str, ...] = ()
    liaison: tuple[str, ...] = ()


class MemberLeft(Payload):
    """A member leaves the committee."""

    reason: Text


class Member(Aggregate):
    """A member (委员) of the committee."""

    class Registered(LedgerCreated):
        TYPE = "member.registered"
        PAYLOAD = MemberRegistered

        def apply(self, aggregate: Member) -> None:
            aggregate.name = self.payload.name
            aggregate.title = self.payload.title
            aggregate.posts = ()
            aggregate.in_charge = ()
            aggregate.liaison = ()
            aggregate.active = True

    class Assigned(LedgerEvent):
        TYPE = "member.assigned"
        PAYLOAD = MemberAssigned

        def apply(self, aggregate: Member) -> None:
            aggregate.posts = self.payload.posts
            aggregate.in_charge = self.payload.in_charge
            aggregate.liaison = self.payload.liaison

    class Left(LedgerEvent):
        TYPE = "member.left"
        PAYLOAD = MemberLeft

        def apply(self, aggregate: Member) -> None:
            aggregate.active = False

    name: str
    title: str
    posts: tuple[Post, ...]
    in_charge: tuple[str, ...]
    liaison: tuple[str, ...]
    active: bool

    def __init__(self) -> None:
        pass

    @classmethod
    def register(cls, member_id: UUID, payload: MemberRegistered, envelope: Envelope) -> Member:
        """Register a member."""
        if not payload.name.strip():
            raise DomainRuleError("a member needs a name", zh="登记委员须填写姓名")
        return cls._create(cls.Registered, id=member_id, **envelope_kwargs(envelope, payload))

    def assign(self, payload: MemberAssigned, envelope: Envelope) -> None:
        """Give the member posts and a portfolio (replacing the previous ones)."""
        self._check_active()
        self.trigger_event(self.Assigned, **envelope_kwargs(envelope, payload))

    def leave(self, reason: str, envelope: Envelope) -> None:
        """The member leaves the committee."""
        self._check_active()
        self.trigger_event(self.Left, **envelope_kwargs(envelope, MemberLeft(reason=reason)))

    def _check_active(self) -> None:
        if not self.active:
            raise DomainRuleError(
                f"member {self.name} ({self.id}) has left the committee",
                zh=f"委员{self.name}（{self.id}）已离任",
            )
