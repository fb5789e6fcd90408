"""The rule set in force is itself on the record: each adoption names its version and every
parameter, so a finding can always say which rule version judged it."""

from __future__ import annotations

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


class RuleParameter(Payload):
    rule: Text
    name: Text
    value: Text  # canonical text of the value (numbers as decimal strings)


class RuleSetAdopted(Payload):
    version: Text
    parameters: tuple[RuleParameter, ...]
    source: str = ""  # the rule-set file's digest, when adopted from a file


class RuleSet(Aggregate):
    """The ledger's rule set; one stream, each adoption replacing the last."""

    class Adopted(LedgerCreated):
        TYPE = "ruleset.adopted"
        PAYLOAD = RuleSetAdopted

        def apply(self, aggregate: RuleSet) -> None:
            aggregate.current = self.payload

    class Readopted(LedgerEvent):
        TYPE = "ruleset.readopted"
        PAYLOAD = RuleSetAdopted

        def apply(self, aggregate: RuleSet) -> None:
            aggregate.current = self.payload

    current: RuleSetAdopted

    def __init__(self) -> None:
        pass

    @classmethod
    def adopt_first(cls, ruleset_id: UUID, payload: RuleSetAdopted, envelope: Envelope) -> RuleSet:
        return cls._create(cls.Adopted, id=ruleset_id, **envelope_kwargs(envelope, payload))

    def adopt(self, payload: RuleSetAdopted, envelope: Envelope) -> None:
        self.trigger_event(self.Readopted, **envelope_kwargs(envelope, payload))
