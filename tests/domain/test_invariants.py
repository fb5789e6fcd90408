"""Hard invariants: structurally impossible acts are refused with a clear error, and the whole
batch writes nothing. (Procedural breaches are not refused: see tests/domain/rules/.)"""

from __future__ import annotations

from typing import Any

import pytest

from ledger.errors import (
    DomainRuleError,
    DuplicateVoteError,
    MatterStateError,
    MeetingStateError,
    NotEligibleError,
    NotOnAgendaError,
    SecretBallotError,
    TallyError,
    UnknownBodyError,
    UnknownMatterError,
    UnknownMeetingError,
    UnknownMemberError,
    UnknownRecordError,
)
from ledger.record.acts import RecordDocument
from ledger.store.batch import ActError
from ledger.store.service import LedgerService

T = "2026-03-02T09:00:00+08:00"

SETUP: list[dict[str, Any]] = [
    {"act": "member.register", "as": "wang", "name": "王建国", "at": T},
    {"act": "member.register", "as": "li", "name": "李明", "at": T},
    {"act": "member.register", "as": "zhang", "name": "张华", "at": T},
    {"act": "member.register", "as": "zhao", "name": "赵敏", "at": T},
    {"act": "member.register", "as": "outsider", "name": "钱多", "at": T},
    {"act": "member.assign", "member": "wang", "posts": ["secretary"], "at": T},
    {
        "act": "body.establish",
        "as": "sc",
        "kind": "standing_committee",
        "name": "常委会",
        "members": ["wang", "li", "zhang", "zhao"],
        "at": T,
    },
    {"act": "matter.open", "as": "a", "title": "议题甲", "body": "sc", "in_charge": "li", "at": T},
    {"act": "matter.open", "as": "b", "title": "议题乙", "body": "sc", "in_charge": "li", "at": T},
    {"act": "matter.open", "as": "c", "title": "议题丙", "body": "sc", "in_charge": "li", "at": T},
    {
        "act": "meeting.schedule",
        "as": "m",
        "body": "sc",
        "title": "常委会",
        "scheduled_for": "2026-03-05T09:00:00+08:00",
        "chair": "wang",
        "agenda": ["a", "b"],
        "at": T,
    },
]

OPEN = {
    "act": "meeting.open",
    "meeting": "m",
    "present": ["wang", "li", "zhang"],
    "absent": [{"member": "zhao", "reason": "出差"}],
    "at": "2026-03-05T09:00:00+08:00",
}


def vote(**fields: Any) -> dict[str, Any]:
    base = {"act": "meeting.vote", "meeting": "m", "item": "a", "method": "show_of_hands"}
    return {**base, "for": 3, "against": 0, **fields}


def record(service: LedgerService, acts: list[dict[str, Any]]) -> Any:
    return service.record(RecordDocument.model_validate({"acts": acts}).acts)


@pytest.fixture
def ids(service: LedgerService) -> dict[str, str]:
    result = record(service, SETUP)
    return {alias: str(ident) for alias, ident in result.aliases.items()}


def refused(
    service: LedgerService, acts: list[dict[str, Any]], error: type[Exception], match: str
) -> ActError:
    """Record ``acts`` expecting the last one refused with ``error``; check nothing landed."""
    before = service.app.count_rows()
    with pytest.raises(ActError, match=match) as caught:
        record(service, acts)
    assert isinstance(caught.value.cause, error)
    assert caught.value.index == len(acts) - 1
    assert service.app.count_rows() == before
    assert service.verify().ok
    return caught.value


def with_ids(ids: dict[str, str], act: dict[str, Any]) -> dict[str, Any]:
    """Replace aliases from the setup batch by ids (a new document cannot see old aliases)."""

    def swap(value: Any) -> Any:
        if isinstance(value, str):
            return ids.get(value, value)
        if isinstance(value, list):
            return [swap(v) for v in value]
        if isinstance(value, dict):
            return {k: (swap(v) if k not in ("act", "as") else v) for k, v in value.items()}
        return value

    return {k: (swap(v) if k not in ("act", "as", "at") else v) for k, v in act.items()}


def acts_after_open(ids: dict[str, str], *acts: dict[str, Any]) -> list[dict[str, Any]]:
    return [with_ids(ids, OPEN), *(with_ids(ids, a) for a in acts)]


def test_unknown_member_is_refused(service: LedgerService, ids: dict[str, str]) -> None:
    act = {"act": "matter.open", "title": "x", "body": ids["sc"], "in_charge": "nobody"}
    refused(service, [act], UnknownMemberError, "unknown member 'nobody'")


def test_member_id_that_is_not_in_the_ledger_is_refused(
    service: LedgerService, ids: dict[str, str]
) -> None:
    act = {
        "act": "matter.open",
        "title": "x",
        "body": ids["sc"],
        "in_charge": "00000000-0000-4000-8000-000000000000",
    }
    refused(service, [act], UnknownMemberError, "no member")


def test_unknown_body_is_refused(service: LedgerService, ids: dict[str, str]) -> None:
    act = {"act": "matter.open", "title": "x", "body": ids["wang"], "in_charge": ids["li"]}
    refused(service, [act], UnknownBodyError, "is a member, not a body")


def test_unknown_matter_is_refused(service: LedgerService, ids: dict[str, str]) -> None:
    act = {"act": "matter.propose", "matter": "nothing", "by": ids["li"]}
    refused(service, [act], UnknownMatterError, "unknown matter 'nothing'")


def test_unknown_meeting_is_refused(service: LedgerService, ids: dict[str, str]) -> None:
    act = {"act": "meeting.close", "meeting": ids["a"]}
    refused(service, [act], UnknownMeetingError, "is a matter, not a meeting")


def test_vote_by_a_non_member_of_the_body_is_refused(
    service: LedgerService, ids: dict[str, str]
) -> None:
    acts = acts_after_open(
        ids,
        vote(
            method="named_ballot",
            **{"for": 1},
            ballots=[{"member": "outsider", "choice": "for"}],
            ballots_cast=1,
        ),
    )
    refused(service, acts, NotEligibleError, "not on the roster")


def test_vote_by_an_absent_member_is_refused(service: LedgerService, ids: dict[str, str]) -> None:
    acts = acts_after_open(
        ids,
        vote(method="named_ballot", **{"for": 1}, ballots=[{"member": "zhao", "choice": "for"}]),
    )
    refused(service, acts, NotEligibleError, "is absent and cannot vote")


def test_vote_by_a_member_who_withdrew_is_refused(
    service: LedgerService, ids: dict[str, str]
) -> None:
    acts = acts_after_open(
        ids,
        {
            "act": "meeting.withdraw",
            "meeting": "m",
            "item": "a",
            "member": "zhang",
            "reason": "亲属关系",
        },
        vote(method="named_ballot", **{"for": 1}, ballots=[{"member": "zhang", "choice": "for"}]),
    )
    refused(service, acts, NotEligibleError, "withdrew from this item")


def test_second_vote_by_the_same_member_is_refused(
    service: LedgerService, ids: dict[str, str]
) -> None:
    ballots = [{"member": "li", "choice": "for"}, {"member": "li", "choice": "for"}]
    acts = acts_after_open(ids, vote(method="named_ballot", **{"for": 2}, ballots=ballots))
    refused(service, acts, DuplicateVoteError, "voted twice")


def test_second_vote_on_the_same_item_is_refused(
    service: LedgerService, ids: dict[str, str]
) -> None:
    refused(service, acts_after_open(ids, vote(), vote()), DuplicateVoteError, "already voted")


def test_individual_votes_in_a_secret_ballot_are_refused(
    service: LedgerService, ids: dict[str, str]
) -> None:
    acts = acts_after_open(
        ids, vote(method="secret_ballot", **{"for": 1}, ballots=[{"member": "li", "choice": "for"}])
    )
    refused(service, acts, SecretBallotError, "never who voted how")


def test_vote_on_an_item_not_on_the_agenda_is_refused(
    service: LedgerService, ids: dict[str, str]
) -> None:
    refused(service, acts_after_open(ids, vote(item="c")), NotOnAgendaError, "not on the agenda")


def test_tally_that_does_not_add_up_is_refused(service: LedgerService, ids: dict[str, str]) -> None:
    acts = acts_after_open(ids, vote(**{"for": 2, "against": 0}, ballots_cast=3))
    refused(service, acts, TallyError, "adds up to 2")


def test_more_ballots_than_members_who_could_vote_is_refused(
    service: LedgerService, ids: dict[str, str]
) -> None:
    refused(service, acts_after_open(ids, vote(**{"for": 4})), TallyError, "only 3 members")


def test_named_ballot_must_list_every_vote(service: LedgerService, ids: dict[str, str]) -> None:
    acts = acts_after_open(
        ids, vote(method="named_ballot", **{"for": 2}, ballots=[{"member": "li", "choice": "for"}])
    )
    refused(service, acts, TallyError, "lists every valid vote")


def test_vote_on_a_decided_item_is_refused(service: LedgerService, ids: dict[str, str]) -> None:
    record(
        service,
        acts_after_open(
            ids,
            vote(),
            {
                "act": "meeting.announce",
                "meeting": "m",
                "item": "a",
                "outcome": "adopted",
                "by": "wang",
            },
            {"act": "meeting.close", "meeting": "m"},
        ),
    )
    second = {
        "act": "meeting.schedule",
        "as": "m2",
        "body": ids["sc"],
        "title": "第二次",
        "scheduled_for": "2026-03-09T09:00:00+08:00",
        "chair": ids["wang"],
        "agenda": [ids["a"]],
    }
    reopen = {**with_ids(ids, OPEN), "meeting": "m2"}
    again = {**with_ids(ids, vote()), "meeting": "m2"}
    refused(service, [second, reopen, again], MatterStateError, "already adopted")


def test_carrying_out_a_rejected_matter_is_refused(
    service: LedgerService, ids: dict[str, str]
) -> None:
    record(
        service,
        acts_after_open(
            ids,
            vote(**{"for": 1, "against": 2}),
            {
                "act": "meeting.announce",
                "meeting": "m",
                "item": "a",
                "outcome": "rejected",
                "by": "wang",
            },
        ),
    )
    task = {"act": "matter.assign", "matter": ids["a"], "to": ids["li"], "task": "实施"}
    refused(service, [task], MatterStateError, "only an adopted matter can be carried out")


def test_written_view_from_a_present_member_is_refused(
    service: LedgerService, ids: dict[str, str]
) -> None:
    view = {
        "act": "meeting.written_view",
        "meeting": "m",
        "item": "a",
        "member": "li",
        "stance": "agree",
    }
    refused(service, acts_after_open(ids, view), NotEligibleError, "not in writing")


def test_opinion_before_the_meeting_opens_is_refused(
    service: LedgerService, ids: dict[str, str]
) -> None:
    opinion = {
        "act": "meeting.opinion",
        "meeting": ids["m"],
        "item": ids["a"],
        "member": ids["li"],
        "stance": "agree",
    }
    refused(service, [opinion], MeetingStateError, "while it is open")


def test_minutes_before_the_meeting_closes_are_refused(
    service: LedgerService, ids: dict[str, str]
) -> None:
    minutes = {"act": "meeting.minutes", "meeting": "m", "by": "wang"}
    refused(service, acts_after_open(ids, minutes), MeetingStateError, "after the meeting closes")


def test_roster_member_unaccounted_for_at_opening_is_refused(
    service: LedgerService, ids: dict[str, str]
) -> None:
    opening = {**with_ids(ids, OPEN), "absent": []}
    refused(service, [opening], NotEligibleError, "must be present or absent")


def test_an_alias_used_twice_is_refused(service: LedgerService, ids: dict[str, str]) -> None:
    acts = [
        {"act": "member.register", "as": "x", "name": "甲"},
        {"act": "member.register", "as": "x", "name": "乙"},
    ]
    refused(service, acts, DomainRuleError, "alias 'x' is used twice")


def test_a_refused_act_late_in_a_batch_writes_nothing_before_it(
    service: LedgerService, ids: dict[str, str]
) -> None:
    acts = [*acts_after_open(ids, vote()), with_ids(ids, vote())]
    error = refused(service, acts, DuplicateVoteError, "act 3 \\(meeting.vote\\)")
    assert error.index == 2


def test_a_correction_points_at_the_event_it_corrects(
    service: LedgerService, ids: dict[str, str]
) -> None:
    target = service.app.event_at(2)
    assert target is not None
    result = record(
        service,
        [
            {
                "act": "record.correct",
                "as": "c",
                "corrects": 2,
                "reason": "笔误",
                "correction": "姓名应为王建军",
            }
        ],
    )
    correction = service.app.repository.get(result.aliases["c"]).recorded
    assert (correction.corrects, correction.corrects_hash) == (2, target.hash)
    assert correction.corrects_type == "member.registered"
    assert service.app.event_at(2) == target  # nothing was edited
    assert service.verify().ok


def test_a_correction_of_no_event_is_refused(service: LedgerService, ids: dict[str, str]) -> None:
    act = {"act": "record.correct", "corrects": 9999, "reason": "x", "correction": "y"}
    refused(service, [act], UnknownRecordError, "no event at log position 9999")
