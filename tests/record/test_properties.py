"""Property tests: random valid proceedings never raise; random invalid ones never write."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.errors import LedgerError
from ledger.record.acts import RecordDocument
from ledger.store.home import LedgerHome
from ledger.store.service import LedgerService

METHODS = ("oral", "show_of_hands", "secret_ballot", "named_ballot")


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LedgerService]:
    home = LedgerHome(Path(tmp_path_factory.mktemp("props")) / "ledger")
    service = LedgerService.create(home, "Property County", passphrase=None)
    yield service
    service.app.close()


@st.composite
def proceedings(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A whole meeting: roster, matters, attendance, withdrawals, opinions, votes, results."""
    size = draw(st.integers(3, 9))
    members = [f"p{i}" for i in range(size)]
    acts: list[dict[str, Any]] = [
        {"act": "member.register", "as": m, "name": f"委员{i}𠀀"} for i, m in enumerate(members)
    ]
    acts.append({"act": "member.assign", "member": "p0", "posts": ["secretary"]})
    acts.append(
        {
            "act": "body.establish",
            "as": "sc",
            "kind": "standing_committee",
            "name": "常委会",
            "members": members,
        }
    )
    items = [f"i{k}" for k in range(draw(st.integers(1, 3)))]
    flags = st.booleans()
    for item in items:
        acts.append(
            {
                "act": "matter.open",
                "as": item,
                "title": f"议题{item}",
                "body": "sc",
                "in_charge": draw(st.sampled_from(members)),
                "major": draw(flags),
                "cadre": draw(flags),
            }
        )
    acts.append(
        {
            "act": "meeting.schedule",
            "as": "m",
            "body": "sc",
            "title": "会议",
            "scheduled_for": "2026-03-05T09:00:00+08:00",
            "chair": "p0",
            "agenda": items,
        }
    )
    present = draw(st.lists(st.sampled_from(members), min_size=1, unique=True))
    absent = [m for m in members if m not in present]
    acts.append(
        {
            "act": "meeting.open",
            "meeting": "m",
            "present": present,
            "absent": [{"member": m, "reason": "请假", "on_leave": draw(flags)} for m in absent],
        }
    )
    for item in items:
        withdrawn = draw(st.lists(st.sampled_from(present), max_size=1, unique=True))
        for m in withdrawn:
            acts.append(
                {
                    "act": "meeting.withdraw",
                    "meeting": "m",
                    "item": item,
                    "member": m,
                    "reason": "回避",
                }
            )
        eligible = [m for m in present if m not in withdrawn]
        for m in draw(st.lists(st.sampled_from(eligible), unique=True)) if eligible else []:
            acts.append(
                {
                    "act": "meeting.opinion",
                    "meeting": "m",
                    "item": item,
                    "member": m,
                    "stance": draw(st.sampled_from(["agree", "disagree", "abstain"])),
                }
            )
        if draw(st.booleans()) and eligible:
            acts.append({"act": "meeting.defer", "meeting": "m", "item": item, "reason": "分歧"})
            continue
        voters = draw(st.lists(st.sampled_from(eligible), unique=True)) if eligible else []
        choices = [draw(st.sampled_from(["for", "against", "abstain"])) for _ in voters]
        method = draw(st.sampled_from(METHODS))
        vote: dict[str, Any] = {
            "act": "meeting.vote",
            "meeting": "m",
            "item": item,
            "method": method,
            "for": choices.count("for"),
            "against": choices.count("against"),
            "abstain": choices.count("abstain"),
        }
        if method == "named_ballot" or (method != "secret_ballot" and draw(st.booleans())):
            vote["ballots"] = [
                {"member": m, "choice": c} for m, c in zip(voters, choices, strict=True)
            ]
        acts.append(vote)
        acts.append(
            {
                "act": "meeting.announce",
                "meeting": "m",
                "item": item,
                "outcome": draw(st.sampled_from(["adopted", "rejected"])),
                "by": "p0",
            }
        )
    acts.append({"act": "meeting.close", "meeting": "m"})
    acts.append({"act": "meeting.minutes", "meeting": "m", "by": "p0"})
    return acts


def _record(service: LedgerService, acts: list[dict[str, Any]]) -> int:
    return service.record(RecordDocument.model_validate({"acts": acts}).acts).events


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(acts=proceedings())
def test_valid_proceedings_never_raise(ledger: LedgerService, acts: list[dict[str, Any]]) -> None:
    before = ledger.app.count_rows()
    events = _record(ledger, acts)
    # an announcement or deferral also writes the matter's event; a body one event per member
    decisions = sum(1 for a in acts if a["act"] in ("meeting.announce", "meeting.defer"))
    joined = sum(len(a.get("members", ())) for a in acts if a["act"] == "body.establish")
    assert events == len(acts) + decisions + joined
    assert ledger.app.count_rows() == before + events


def _break(acts: list[dict[str, Any]], how: int) -> list[dict[str, Any]] | None:
    """Make one act impossible; None when this proceeding offers no place for it."""
    acts = [dict(a) for a in acts]
    votes = [i for i, a in enumerate(acts) if a["act"] == "meeting.vote"]
    opening = next(a for a in acts if a["act"] == "meeting.open")
    if how == 0 and votes:  # a tally that does not add up
        acts[votes[0]]["ballots_cast"] = acts[votes[0]]["for"] + acts[votes[0]]["against"] + 7
    elif how == 1 and votes:  # a secret ballot with names
        acts[votes[0]] |= {
            "method": "secret_ballot",
            "for": 1,
            "against": 0,
            "abstain": 0,
            "ballots": [{"member": opening["present"][0], "choice": "for"}],
        }
    elif how == 2 and votes and opening["absent"]:  # a vote by an absent member
        acts[votes[0]] |= {
            "method": "named_ballot",
            "for": 1,
            "against": 0,
            "abstain": 0,
            "ballots": [{"member": opening["absent"][0]["member"], "choice": "for"}],
        }
    elif how == 3 and votes:  # an item voted twice
        acts.insert(votes[0] + 1, dict(acts[votes[0]]))
    elif how == 4:  # a reference to nobody
        acts.append(
            {
                "act": "meeting.opinion",
                "meeting": "m",
                "item": "i0",
                "member": "ghost",
                "stance": "agree",
            }
        )
    elif how == 5:  # minutes before closing
        acts.insert(len(acts) - 2, {"act": "meeting.minutes", "meeting": "m", "by": "p0"})
    else:
        return None
    return acts


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(acts=proceedings(), how=st.integers(0, 5))
def test_invalid_proceedings_never_write(
    ledger: LedgerService, acts: list[dict[str, Any]], how: int
) -> None:
    broken = _break(acts, how)
    if broken is None:
        return
    before = ledger.app.count_rows()
    with pytest.raises(LedgerError):
        _record(ledger, broken)
    assert ledger.app.count_rows() == before
