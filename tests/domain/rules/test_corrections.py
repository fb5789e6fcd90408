"""Corrections (更正) the rules read: a structured correction ("field X of the event at position
P becomes V") is checked when written, applied where the corrected act's facts are built, and
judged (rule ``outcome-correction``); a correction in words changes no fact."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from ledger.domain.correction import CORRECTABLE, CorrectionRecorded
from ledger.domain.meeting import Stance
from ledger.domain.rules.facts import MeetingFacts, World
from ledger.errors import CorrectionFieldError
from ledger.store.batch import ActError
from tests.domain.rules.conftest import CountyLedger, county_rest, moment

LATER = "2026-02-27T10:00:00+08:00"  # the office corrects after the minutes were issued
AS_OF = moment("2026-03-01T00:00:00+08:00")


def _meeting(ledger: CountyLedger, world: World | None = None) -> MeetingFacts:
    return (world or ledger.world()).meetings[UUID(ledger.id("m1"))]


def _opinion_of(ledger: CountyLedger, alias: str) -> int:
    member = UUID(ledger.id(alias))
    return next(o.position for o in _meeting(ledger).opinions if o.member == member)


def _correct(ledger: CountyLedger, corrects: int, *changes: dict[str, Any], **more: Any) -> int:
    act = {"act": "record.correct", "corrects": corrects, "reason": "录入错误", "at": LATER}
    if changes:
        act["changes"] = list(changes)
    return ledger.record({**act, **more}).first_position


@pytest.fixture
def county(ledger: CountyLedger) -> CountyLedger:
    ledger.record_promptly(county_rest())
    return ledger


def test_a_corrected_stance_is_the_stance_the_rules_read(county: CountyLedger) -> None:
    position = _opinion_of(county, "zhou")
    fixed = _correct(county, position, {"field": "stance", "value": "disagree"})
    opinion = next(o for o in _meeting(county).opinions if o.position == position)
    assert opinion.stance is Stance.DISAGREE and opinion.corrected_by == (fixed,)
    (correction,) = county.world().corrections
    (change,) = correction.changes
    assert (change.field, change.original, change.value) == ("stance", "agree", "disagree")
    assert not correction.changes_outcome


def test_as_recorded_before_the_correction_the_act_reads_as_first_recorded(
    county: CountyLedger,
) -> None:
    position = _opinion_of(county, "zhou")
    _correct(county, position, {"field": "stance", "value": "disagree"})
    before = county.world(until=moment("2026-02-27T00:00:00+08:00"))
    opinion = next(o for o in _meeting(county, before).opinions if o.position == position)
    assert opinion.stance is Stance.AGREE and opinion.corrected_by == ()


def test_a_corrected_vote_changes_the_count_and_the_finding_says_so(county: CountyLedger) -> None:
    """Four for became two for, two against: the decision's basis follows the corrected vote,
    so rule ``majority`` finds the announced 'adopted' wrong, and says it read the correction."""
    assert county.findings("majority") == []
    vote = _meeting(county).votes[0]
    fixed = _correct(
        county,
        vote.position,
        {"field": "ballot", "member": "zhou", "value": "against"},
        {"field": "ballot", "member": "zhang", "value": "against"},
        {"field": "votes_for", "value": 2},
        {"field": "votes_against", "value": 2},
    )
    corrected = _meeting(county).votes[0]
    assert (corrected.votes_for, corrected.votes_against) == (2, 2)
    assert corrected.corrected_by == (fixed,)
    decision = county.world().matters[UUID(county.id("water"))].decisions[0]
    assert decision.basis.votes_for == 2 and decision.basis.computed_outcome == "rejected"
    (finding,) = county.findings("majority", AS_OF)
    assert finding.corrected_by == (fixed,)
    assert f"as corrected by event {fixed}" in finding.message
    assert f"按第{fixed}号事件更正后的记录判定" in finding.message_zh


def test_a_correction_that_changes_a_vote_is_a_finding_for_review(county: CountyLedger) -> None:
    vote = _meeting(county).votes[0]
    fixed = _correct(
        county,
        vote.position,
        {"field": "ballot", "member": "zhou", "value": "against"},
        {"field": "votes_for", "value": 3},
        {"field": "votes_against", "value": 1},
        reason="计票错误",
    )
    (finding,) = county.findings("outcome-correction", AS_OF)
    assert finding.positions == (vote.position, fixed)
    assert finding.subject_id == str(vote.position) and finding.responsible == "office"
    assert "ballot of 周洁 for -> against" in finding.message and "计票错误" in finding.message
    assert "周洁的投票由赞成改为反对" in finding.message_zh
    assert "赞成票由4改为3" in finding.message_zh


def test_a_correction_of_attendance_is_a_finding_and_moves_the_member(
    county: CountyLedger,
) -> None:
    opening = _meeting(county).opening
    assert opening is not None
    fixed = _correct(
        county, opening.position, {"field": "attendance", "member": "li", "value": "absent"}
    )
    opening = _meeting(county).opening
    assert opening is not None and UUID(county.id("li")) not in opening.present
    assert UUID(county.id("li")) in {a.member for a in opening.absences}
    decision = county.world().matters[UUID(county.id("water"))].decisions[0]
    assert UUID(county.id("li")) not in decision.basis.present
    assert decision.corrected_by == (fixed,)
    (finding,) = county.findings("outcome-correction", AS_OF)
    assert "李明的出席由出席改为缺席" in finding.message_zh


def test_a_correction_of_a_stance_or_in_words_is_no_outcome_finding(
    county: CountyLedger,
) -> None:
    _correct(county, _opinion_of(county, "zhou"), {"field": "stance", "value": "reserved"})
    vote = _meeting(county).votes[0]
    _correct(county, vote.position, correction="票数应为4比0，无误")  # words only
    _correct(county, vote.position, {"field": "votes_for", "value": 4})  # the same value
    assert county.findings("outcome-correction", AS_OF) == []
    assert _meeting(county).votes[0].votes_for == 4


def test_a_corrected_time_is_the_time_a_deadline_reads(county: CountyLedger) -> None:
    """The minutes were issued on 26 February (in time); corrected to 3 March, they are late."""
    (minutes,) = _meeting(county).minutes
    as_of = moment("2026-03-10T00:00:00+08:00")
    assert county.findings("minutes-deadline", as_of) == []
    _correct(county, minutes.position, {"field": "issued_at", "value": "2026-03-03T10:00:00+08:00"})
    (finding,) = county.findings("minutes-deadline", as_of)
    assert finding.corrected_by


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"field": "method", "value": "secret_ballot"}, r"field 'method' may not be corrected"),
        ({"field": "votes_for", "value": "four"}, r"votes_for takes a count"),
        ({"field": "votes_for", "value": -1}, r"votes_for takes a count"),
        ({"field": "ballot", "member": "zhao", "value": "for"}, r"has no ballot entry"),
        ({"field": "ballot", "value": "for"}, r"a change of ballot names the member"),
        ({"field": "ballot", "member": "zhou", "value": "maybe"}, r"takes a choice"),
    ],
)
def test_a_change_that_cannot_be_made_is_refused_and_nothing_is_written(
    county: CountyLedger, change: dict[str, Any], expected: str
) -> None:
    vote = _meeting(county).votes[0]
    before = len(county.world().events)
    with pytest.raises(ActError, match=expected) as refused:
        _correct(county, vote.position, change)
    assert isinstance(refused.value.cause, CorrectionFieldError)
    assert refused.value.cause.message_zh
    assert len(county.world().events) == before


def test_a_stance_of_the_wrong_kind_is_refused_in_both_languages(county: CountyLedger) -> None:
    with pytest.raises(ActError, match=r"stance takes a stance") as refused:
        _correct(county, _opinion_of(county, "zhou"), {"field": "stance", "value": "maybe"})
    assert refused.value.message_zh and "应为表态" in refused.value.message_zh


def test_a_correction_says_something(county: CountyLedger) -> None:
    vote = _meeting(county).votes[0]
    with pytest.raises(ActError, match=r"give `correction`"):
        _correct(county, vote.position)


def test_a_free_text_correction_as_stored_before_the_format_still_reads() -> None:
    """Records written before ``ledger.correction/1`` carry neither ``changes`` nor ``format``."""
    old = (
        '{"corrects":7,"corrects_hash":"sha256:' + "0" * 64 + '","corrects_type":'
        '"meeting.opinion_stated","reason":"录入错误","correction":"应为不同意","material":null}'
    )
    payload = CorrectionRecorded.model_validate_json(old)
    assert payload.changes == () and payload.format is None


def test_every_correctable_field_names_a_field_of_its_payload() -> None:
    from ledger.domain import EVENT_TYPES

    for event_type, fields in CORRECTABLE.items():
        model = EVENT_TYPES[event_type].payload_model
        for field, spec in fields.items():
            if spec.per_member:
                continue
            assert field in model.model_fields, (event_type, field)


def test_the_record_format_lists_every_correctable_field() -> None:
    from pathlib import Path

    doc = (Path(__file__).parents[3] / "docs" / "record-format.md").read_text(encoding="utf-8")
    section = doc.split("## Corrections", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    listed = {
        (row.split("|")[1].strip(" `"), field.strip(" `").split("`")[0])
        for row in rows
        for field in row.split("|")[2].split(",")
    }
    table = {(t, f) for t, fields in CORRECTABLE.items() for f in fields}
    assert listed == table
