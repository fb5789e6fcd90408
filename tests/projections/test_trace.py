"""Projections: the read index (exactly once, rebuildable), archives, traces, history, person
views and replay, checked on hand-built cases against what a person reading the events would
conclude."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from ledger.projections.index import LedgerIndex
from ledger.record.acts import RecordDocument
from ledger.store.home import LedgerHome
from ledger.store.service import LedgerService

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def county(tmp_path: Path, clock: Clock) -> Iterator[LedgerService]:
    service = LedgerService.create(
        LedgerHome(tmp_path / "ledger"), "Trace County", passphrase=None, clock=clock
    )
    yield service
    service.app.close()


def at(hours: float) -> str:
    return (START + timedelta(hours=hours)).isoformat()


def record(service: LedgerService, clock: Clock, acts: list[dict[str, Any]]) -> dict[str, str]:
    """Record ``acts`` with the office's clock at the time of the last act."""
    clock.now = max(datetime.fromisoformat(a["at"]) for a in acts) + timedelta(minutes=5)
    result = service.record(RecordDocument.model_validate({"acts": acts}).acts)
    return {alias: str(ident) for alias, ident in result.aliases.items()}


PEOPLE = [
    {"act": "member.register", "as": "wang", "name": "王建国", "at": at(0)},
    {"act": "member.register", "as": "li", "name": "李明", "at": at(0)},
    {"act": "member.register", "as": "zhang", "name": "张华", "at": at(0)},
    {"act": "member.register", "as": "zhao", "name": "赵敏", "at": at(0)},
    {"act": "member.register", "as": "zhou", "name": "周洁", "at": at(0)},
    {"act": "member.assign", "member": "wang", "posts": ["secretary"], "at": at(0)},
    {
        "act": "member.assign",
        "member": "li",
        "posts": ["head_of_government"],
        "at": at(0),
        "in_charge": ["government"],
    },
    {"act": "member.assign", "member": "zhou", "posts": ["secretary_general"], "at": at(0)},
    {
        "act": "body.establish",
        "as": "sc",
        "kind": "standing_committee",
        "name": "常委会",
        "members": ["wang", "li", "zhang", "zhao", "zhou"],
        "at": at(0),
    },
]


def meeting(
    vote: dict[str, Any], opinions: list[tuple[str, str]], outcome: str, reasons: str = ""
) -> list[dict[str, Any]]:
    acts: list[dict[str, Any]] = [
        *PEOPLE,
        {
            "act": "matter.open",
            "as": "x",
            "title": "新区规划",
            "body": "sc",
            "in_charge": "li",
            "at": at(1),
        },
        {"act": "matter.propose", "matter": "x", "by": "li", "at": at(2)},
        {"act": "matter.coordinate", "matter": "x", "by": "zhou", "at": at(3)},
        {"act": "matter.approve_agenda", "matter": "x", "by": "wang", "at": at(4)},
        {
            "act": "meeting.schedule",
            "as": "m",
            "body": "sc",
            "title": "第1次会议",
            "scheduled_for": at(60),
            "chair": "wang",
            "agenda": ["x"],
            "at": at(5),
        },
        {"act": "meeting.notice", "meeting": "m", "at": at(6)},
        {
            "act": "meeting.open",
            "meeting": "m",
            "present": ["wang", "li", "zhang", "zhou"],
            "absent": [{"member": "zhao", "reason": "出差", "on_leave": True}],
            "at": at(60),
        },
        {"act": "meeting.present", "meeting": "m", "item": "x", "by": "li", "at": at(60.1)},
    ]
    for i, (member, stance) in enumerate(opinions):
        acts.append(
            {
                "act": "meeting.opinion",
                "meeting": "m",
                "item": "x",
                "member": member,
                "stance": stance,
                "at": at(60.2 + i / 100),
            }
        )
    acts += [
        {"act": "meeting.vote", "meeting": "m", "item": "x", **vote, "at": at(60.5)},
        {
            "act": "meeting.announce",
            "meeting": "m",
            "item": "x",
            "outcome": outcome,
            "by": "wang",
            "reasons": reasons,
            "at": at(60.6),
        },
        {"act": "meeting.close", "meeting": "m", "at": at(61)},
        {"act": "meeting.minutes", "meeting": "m", "by": "zhou", "at": at(62)},
    ]
    return acts


NAMED = {
    "method": "named_ballot",
    "for": 3,
    "against": 1,
    "ballots": [
        {"member": "wang", "choice": "for"},
        {"member": "li", "choice": "for"},
        {"member": "zhang", "choice": "against"},
        {"member": "zhou", "choice": "for"},
    ],
}
OPINIONS = [("zhang", "disagree"), ("zhou", "agree"), ("li", "agree"), ("wang", "agree")]


def roles(trace: Any) -> list[tuple[str, str, str]]:
    return [(r.role, r.name, r.detail) for r in trace.roles]


def test_trace_names_every_role_holder(county: LedgerService, clock: Clock) -> None:
    record(county, clock, meeting(NAMED, OPINIONS, "adopted"))
    trace = county.reader().matter_file("新区规划").trace()
    assert trace.state == "adopted"
    assert roles(trace) == [
        ("in charge", "李明", ""),
        ("proposed", "李明", ""),
        ("coordinated", "周洁", ""),
        ("approved the agenda", "王建国", ""),
        ("chaired", "王建国", "第1次会议"),
        ("attended", "王建国", ""),
        ("attended", "李明", ""),
        ("attended", "张华", ""),
        ("attended", "周洁", ""),
        ("absent", "赵敏", "on leave: 出差"),
        ("presented", "李明", ""),
        ("stated an opinion", "张华", "disagree"),
        ("stated an opinion", "周洁", "agree"),
        ("stated an opinion", "李明", "agree"),
        ("stated an opinion", "王建国", "agree"),
        ("voted", "王建国", "for (named_ballot)"),
        ("voted", "李明", "for (named_ballot)"),
        ("voted", "张华", "against (named_ballot)"),
        ("voted", "周洁", "for (named_ballot)"),
        ("announced", "王建国", "adopted"),
        ("issued the minutes", "周洁", ""),
    ]
    posts = {r.name: r.posts for r in trace.roles}
    assert posts["王建国"] == ("secretary",) and posts["周洁"] == ("secretary_general",)
    assert [d["name"] for d in trace.dissenters] == ["张华"]
    assert trace.dissenters[0]["how"] == "stated an opinion, voted"
    assert trace.chair_against_majority == []
    assert trace.decisions[0]["votes_needed"] == 3 and trace.decisions[0]["computed"] == "adopted"
    assert not any(r.signed_by_person for r in trace.roles)  # all recorded by the office


def test_secret_ballot_shows_only_the_tally(county: LedgerService, clock: Clock) -> None:
    secret = {"method": "secret_ballot", "for": 3, "against": 1}
    record(county, clock, meeting(secret, OPINIONS, "adopted"))
    trace = county.reader().matter_file("新区规划").trace()
    votes = [r for r in trace.roles if r.role.startswith("voted")]
    assert [(r.role, r.person, r.detail) for r in votes] == [
        ("voted (secret ballot: tally only)", "", "3 for, 1 against, 0 abstaining")
    ]
    # dissent is known only from what was said, never from a secret ballot
    assert [d["how"] for d in trace.dissenters] == ["stated an opinion"]


def test_chair_deciding_against_the_majority_without_reasons_is_found(
    county: LedgerService, clock: Clock
) -> None:
    against = [
        ("zhang", "disagree"),
        ("zhou", "disagree"),
        ("li", "agree"),
        ("wang", "agree"),
        ("li", "disagree"),
    ]
    vote = {"method": "show_of_hands", "for": 3, "against": 1}
    record(county, clock, meeting(vote, against, "adopted"))
    trace = county.reader().matter_file("新区规划").trace()
    assert trace.chair_against_majority == [
        {
            "meeting": trace.decisions[0]["meeting"],
            "announced": "adopted",
            "views_for": 2,
            "views_against": 3,
            "reasons": "",
            "position": trace.chair_against_majority[0]["position"],
        }
    ]
    assert "chair-speaks-last" in {f["rule"] for f in trace.findings}


def test_as_of_shows_the_record_before_and_after_a_change(
    county: LedgerService, clock: Clock
) -> None:
    ids = record(county, clock, meeting(NAMED, OPINIONS, "adopted"))
    decided = clock.now
    record(
        county,
        clock,
        [
            {
                "act": "matter.change",
                "matter": ids["x"],
                "body": ids["sc"],
                "summary": "扩大规划范围",
                "at": at(200),
            }
        ],
    )
    record(
        county,
        clock,
        [
            {
                "act": "matter.revoke",
                "matter": ids["x"],
                "body": ids["sc"],
                "reason": "上级规划调整",
                "at": at(400),
            }
        ],
    )
    reader = county.reader()
    before = reader.matter_file(ids["x"], decided).trace()
    middle = reader.matter_file(ids["x"], START + timedelta(hours=300)).trace()
    after = reader.matter_file(ids["x"]).trace()
    assert (before.state, before.changes) == ("adopted", [])
    assert middle.state == "adopted"
    assert [c["type"] for c in middle.changes] == ["matter.changed"]
    assert after.state == "revoked"
    assert [c["type"] for c in after.changes] == ["matter.changed", "matter.revoked"]
    with pytest.raises(Exception, match="not yet on the record"):
        reader.matter_file(ids["x"], START)


def test_archive_holds_every_event_with_its_position_and_materials(
    county: LedgerService, clock: Clock
) -> None:
    digest = "sha256:" + "ab" * 32
    acts = meeting(NAMED, OPINIONS, "adopted")
    acts.insert(
        10,
        {
            "act": "matter.research",
            "matter": "x",
            "by": "li",
            "summary": "调研",
            "materials": [digest],
            "at": at(1.5),
        },
    )
    record(county, clock, acts)
    entries = county.reader().matter_file("新区规划").archive()
    positions = [e.position for e in entries]
    assert positions == sorted(positions)
    assert {e.section for e in entries} >= {
        "opening",
        "research",
        "agenda",
        "notice",
        "attendance",
        "deliberation",
        "vote",
        "decision",
        "minutes",
    }
    research = next(e for e in entries if e.type == "matter.research_recorded")
    assert research.payload["materials"] == [digest]
    assert all(e.type != "member.registered" for e in entries)


def test_person_view_lists_roles_with_posts_and_findings(
    county: LedgerService, clock: Clock
) -> None:
    acts = [a for a in meeting(NAMED, OPINIONS, "adopted") if a["act"] != "meeting.minutes"]
    record(county, clock, acts)
    clock.now = START + timedelta(days=30)
    view = county.reader().person("周洁", START + timedelta(days=30))
    assert view["name"] == "周洁"
    assert view["posts"][0]["posts"] == ["secretary_general"]
    (matter,) = view["matters"]
    assert [r["role"] for r in matter["roles"]] == [
        "coordinated",
        "attended",
        "stated an opinion",
        "voted",
    ]
    assert all(r["posts"] == ["secretary_general"] for r in matter["roles"])
    assert "minutes-deadline" in {f["rule"] for f in view["findings"]}


def test_history_reads_step_by_step(county: LedgerService, clock: Clock) -> None:
    record(county, clock, meeting(NAMED, OPINIONS, "adopted"))
    steps = county.reader().timeline("新区规划")
    summaries = [s["summary"] for s in steps]
    assert summaries[0] == "matter opened: 新区规划 (in charge: 李明)"
    assert "张华: disagree" in summaries
    assert "vote (named_ballot): 3 for, 1 against, 0 abstaining" in summaries
    assert summaries[-1] == "minutes issued by 周洁"


def test_index_applies_each_event_once_and_a_rebuild_equals_it(
    county: LedgerService, clock: Clock
) -> None:
    county.index_on_write = False  # follow the log by hand here
    acts = meeting(NAMED, OPINIONS, "adopted")
    ids = record(county, clock, acts[:9])
    live = county.index()
    before = len(live.dump()["events"])
    record(county, clock, [_with_ids(a, ids) for a in acts[9:]])
    applied = live.catch_up(lambda after: county.app.rows(after=after))
    assert applied == county.app.count_rows() - before
    assert live.catch_up(lambda after: county.app.rows(after=after)) == 0  # nothing twice
    other = LedgerIndex(county.home.index_path)  # a second reader of the same index
    assert other.catch_up(lambda after: county.app.rows(after=after)) == 0
    incremental = live.dump()
    rebuilt = county.rebuild_index().dump()
    assert rebuilt == incremental
    assert len(rebuilt["events"]) == county.app.count_rows()


def test_the_index_follows_each_write_without_a_read(county: LedgerService, clock: Clock) -> None:
    acts = meeting(NAMED, OPINIONS, "adopted")
    ids = record(county, clock, acts[:9])
    index = LedgerIndex(county.home.index_path)  # opened directly: no catch-up on reading
    try:
        assert index.tracked == max(r.row for page in county.app.rows() for r in page)
        record(county, clock, [_with_ids(a, ids) for a in acts[9:]])
        assert index.tracked == max(r.row for page in county.app.rows() for r in page)
        assert len(index.dump()["events"]) == county.app.count_rows()
        assert county.index_problem is None
    finally:
        index.close()


def test_a_write_stands_when_the_index_cannot_follow(county: LedgerService, clock: Clock) -> None:
    acts = meeting(NAMED, OPINIONS, "adopted")
    path = county.home.index_path
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.mkdir()  # something in the way: SQLite cannot open a directory
    before = county.app.count_rows()
    record(county, clock, acts[:9])
    assert county.app.count_rows() > before
    assert county.index_problem and "unable to open" in county.index_problem
    path.rmdir()
    assert len(county.index().dump()["events"]) == county.app.count_rows()  # the next read


def test_a_rebuild_cut_short_leaves_the_old_index(
    county: LedgerService, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    record(county, clock, meeting(NAMED, OPINIONS, "adopted")[:9])
    before = county.index().dump()
    from ledger.projections import index as index_module

    def fail(*args: Any) -> Any:
        raise OSError("disk full")

    monkeypatch.setattr(index_module, "_entries", fail)
    with pytest.raises(OSError):
        county.rebuild_index()
    monkeypatch.undo()
    assert county.index().dump() == before
    leftovers = [p.name for p in county.home.path.iterdir() if p.name.endswith(".rebuild")]
    assert leftovers == []


def test_a_rebuild_clears_what_a_killed_one_left(county: LedgerService, clock: Clock) -> None:
    record(county, clock, meeting(NAMED, OPINIONS, "adopted")[:9])
    killed = county.home.path / ".index.sqlite.0123abcd.rebuild"  # as SIGKILL leaves them
    for suffix in ("", "-wal", "-shm"):
        Path(str(killed) + suffix).write_bytes(b"half an index")
    county.rebuild_index().close()
    left = [p.name for p in county.home.path.iterdir() if ".rebuild" in p.name]
    assert left == [".index.rebuild.lock"]


def _with_ids(act: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    def swap(value: Any) -> Any:
        if isinstance(value, str):
            return ids.get(value, value)
        if isinstance(value, list):
            return [swap(v) for v in value]
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        return value

    return {k: v if k in ("act", "as", "at") else swap(v) for k, v in act.items()}


def test_an_accountability_review_belongs_to_the_matters_file(
    county: LedgerService, clock: Clock
) -> None:
    acts = meeting(NAMED, OPINIONS, "adopted")
    acts += [
        {
            "act": "review.open",
            "as": "r",
            "matter": "x",
            "reason": "项目失败",
            "opened_by": "zhao",
            "at": at(300),
        },
        {
            "act": "review.conclude",
            "review": "r",
            "failed": True,
            "conclusion": "决策失误",
            "responsible": [
                {"member": "wang", "role": "主持决策", "degree": "leading"},
                {"member": "zhang", "role": "反对者", "degree": "waived", "reason": "表决时反对"},
            ],
            "at": at(301),
        },
    ]
    record(county, clock, acts)
    trace = county.reader().matter_file("新区规划").trace()
    found = [(r.name, r.detail) for r in trace.roles if r.role == "found responsible"]
    # "leading", the degree's name before it took the regulations' term, reads as "principal"
    assert found == [("王建国", "principal"), ("张华", "waived")]
    assert ("opened a review", "赵敏") in {(r.role, r.name) for r in trace.roles}
    assert any(
        e.type == "review.concluded" for e in county.reader().matter_file("新区规划").archive()
    )


# --- a trace's findings are those of `ledger findings` for the matter (issue #11, part 4) -------


def findings_of(county: LedgerService, as_of: datetime) -> tuple[list[Any], list[Any]]:
    """The findings the trace of 新区规划 shows, and those of ``ledger findings`` (the whole
    record judged) that belong to it."""
    reader = county.reader()
    trace = reader.matter_file("新区规划", as_of).trace()
    whole = reader.matter_findings("新区规划", as_of)
    return [(f["rule"], f["subject"]["id"]) for f in trace.findings], [
        (f.rule, f.subject_id) for f in whole
    ]


def emergency_reported(body: str) -> list[dict[str, Any]]:
    """An emergency action on 新区规划, reported within the week at a meeting of ``body`` whose
    agenda does not list the matter."""
    return [
        {"act": "matter.open", "as": "y", "title": "其他事项", "body": "sc", "in_charge": "li",
         "at": at(90)},
        {"act": "emergency.act", "as": "e", "by": "li", "summary": "暴雨抢险", "matter": "x",
         "at": at(100)},
        {"act": "meeting.schedule", "as": "m2", "body": body, "title": "第2次会议",
         "scheduled_for": at(120), "chair": "wang", "agenda": ["y"], "at": at(101)},
        {"act": "emergency.report", "action": "e", "meeting": "m2", "by": "li", "at": at(121)},
    ]  # fmt: skip


def test_an_emergency_reported_at_another_meeting_is_judged_as_findings_judges_it(
    county: LedgerService, clock: Clock
) -> None:
    """The issue's example: the trace used to miss the meeting where the report was made, so
    the body's kind was unknown and it found a late report that `ledger findings` did not."""
    record(county, clock, [*meeting(NAMED, OPINIONS, "adopted"), *emergency_reported("sc")])
    trace, whole = findings_of(county, START + timedelta(days=30))
    assert trace == whole
    assert "emergency-report" not in {rule for rule, _ in trace}


def test_an_emergency_reported_to_the_wrong_body_is_found_in_the_trace(
    county: LedgerService, clock: Clock
) -> None:
    plenary = {
        "act": "body.establish",
        "as": "pl",
        "kind": "plenary",
        "name": "全委会",
        "members": ["wang", "li", "zhang", "zhao", "zhou"],
        "at": at(0),
    }
    acts = meeting(NAMED, OPINIONS, "adopted")
    record(county, clock, [*acts, plenary, *emergency_reported("pl")])
    trace, whole = findings_of(county, START + timedelta(days=30))
    assert trace == whole
    assert "emergency-report" in {rule for rule, _ in trace}


def test_a_quorum_that_a_cadre_item_raises_is_found_in_every_items_trace(
    county: LedgerService, clock: Clock
) -> None:
    """Three of five present meet the half a meeting needs but not the two thirds a cadre
    item needs: the meeting's breach shows in the trace of its other item too, which the trace
    used to judge without knowing the cadre item."""
    three = {
        "method": "named_ballot",
        "for": 3,
        "against": 0,
        "ballots": [{"member": m, "choice": "for"} for m in ("wang", "li", "zhang")],
    }
    acts = [
        {
            **a,
            "present": ["wang", "li", "zhang"],
            "absent": [{"member": m, "reason": "出差", "on_leave": True} for m in ("zhao", "zhou")],
        }
        if a["act"] == "meeting.open"
        else a
        for a in meeting(three, [("li", "agree"), ("wang", "agree")], "adopted")
    ]
    closing = next(i for i, a in enumerate(acts) if a["act"] == "meeting.close")
    acts[closing:closing] = [
        {"act": "matter.open", "as": "c", "title": "干部任免", "body": "sc", "in_charge": "wang",
         "cadre": True, "at": at(1)},
        {"act": "meeting.add_item", "meeting": "m", "matter": "c", "at": at(60.7)},
        {"act": "meeting.vote", "meeting": "m", "item": "c", **three, "at": at(60.8)},
    ]  # fmt: skip
    record(county, clock, acts)
    trace, whole = findings_of(county, START + timedelta(days=30))
    assert trace == whole
    assert ("quorum", county.reader().resolve("第1次会议", "meeting")) in trace
