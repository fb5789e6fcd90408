"""Back-filling from paper (补录): a record file that declares itself a transcription of a named
source gives one ``transcription`` note instead of a ``late-record`` finding per act; a live act
entered late is still flagged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ledger.domain.rules.engine import evaluate, parameters_in_force
from ledger.domain.rules.finding import Finding
from ledger.record.acts import RecordDocument
from ledger.record.document import RecordFormatError, parse_document
from ledger.store.batch import ActError
from ledger.store.content import ContentStore
from tests.domain.rules.conftest import CountyLedger, moment

AS_OF = moment("2026-03-01T00:00:00+08:00")

MEETING_2025: list[dict[str, Any]] = [
    {"act": "meeting.schedule", "as": "old", "body": "sc", "title": "县委常委会2025年第12次会议",
     "scheduled_for": "2025-12-10T09:00:00+08:00", "chair": "wang",
     "at": "2025-12-05T09:00:00+08:00"},
    {"act": "meeting.notice", "meeting": "old", "at": "2025-12-05T10:00:00+08:00"},
    {"act": "meeting.open", "meeting": "old", "present": ["wang", "li", "zhang", "zhao", "zhou"],
     "at": "2025-12-10T09:00:00+08:00"},
    {"act": "meeting.close", "meeting": "old", "at": "2025-12-10T11:00:00+08:00"},
    {"act": "meeting.minutes", "meeting": "old", "by": "zhou", "at": "2025-12-11T17:00:00+08:00"},
]  # fmt: skip

SOURCE = {
    "source": "县委常委会2025年第12次会议纪要",
    "reference": "档号 WS·2025-Y-012",
    "clerk": "办公室 刘敏",
}


def transcribe(ledger: CountyLedger, acts: list[dict[str, Any]], **source: Any) -> None:
    """Record ``acts`` today (2026-02-20) as a transcription of ``source``."""
    ledger.clock.now = moment("2026-02-20T10:00:00+08:00")
    document = RecordDocument.model_validate(
        {"transcription": source, "acts": [ledger._with_ids(a) for a in acts]}
    )
    result = ledger.service.record(document.acts, transcription=document.transcription)
    ledger.ids.update({alias: str(ident) for alias, ident in result.aliases.items()})


def findings(ledger: CountyLedger, *rules: str) -> list[Finding]:
    world = ledger.world()
    return evaluate(world, parameters_in_force(world, AS_OF), AS_OF, list(rules))


def test_a_transcribed_year_gives_one_note_and_no_late_record_flood(
    ledger: CountyLedger,
) -> None:
    transcribe(ledger, MEETING_2025, **SOURCE)
    assert findings(ledger, "late-record") == []
    [note] = findings(ledger, "transcription")
    assert note.responsible == "office" and note.subject_kind.value == "event"
    assert "5 events of acts that happened 5 December 2025 to 11 December 2025" in note.message
    assert "'县委常委会2025年第12次会议纪要' (档号 WS·2025-Y-012) by 办公室 刘敏" in note.message
    assert "no scan given" in note.message
    assert "据纸质记录《县委常委会2025年第12次会议纪要》" in note.message_zh
    assert "未附扫描件" in note.message_zh
    world = ledger.world()
    transcription = world.transcriptions[0]
    assert [e.position for e in world.events if transcription.covers(e.position)] == list(
        range(transcription.position + 1, transcription.position + 6)
    )


def test_the_same_acts_entered_live_are_each_flagged_late(ledger: CountyLedger) -> None:
    ledger.record(*MEETING_2025, sealed_at="2026-02-20T10:00:00+08:00")
    assert len(findings(ledger, "late-record")) == 5
    assert findings(ledger, "transcription") == []


def test_a_live_act_entered_late_after_a_transcription_is_still_flagged(
    ledger: CountyLedger,
) -> None:
    transcribe(ledger, MEETING_2025, **SOURCE)
    ledger.record(
        {"act": "meeting.schedule", "as": "late", "body": "sc", "title": "县委常委会第2次会议",
         "scheduled_for": "2026-02-24T09:00:00+08:00", "chair": "wang",
         "at": "2026-02-10T09:00:00+08:00"},
        sealed_at="2026-02-21T09:00:00+08:00",
    )  # fmt: skip
    [late] = findings(ledger, "late-record")
    assert "meeting.scheduled" in late.message or "会议" in late.message_zh


def test_a_scan_given_by_path_is_kept_and_cited(ledger: CountyLedger, tmp_path: Path) -> None:
    scan = tmp_path / "minutes-2025-12.pdf"
    scan.write_bytes(b"%PDF-1.4 scan of the paper minutes")
    ledger.clock.now = moment("2026-02-20T10:00:00+08:00")
    document = RecordDocument.model_validate(
        {
            "transcription": {**SOURCE, "scan": scan.name},
            "acts": [ledger._with_ids(a) for a in MEETING_2025],
        }
    )
    ledger.service.record(document.acts, base_dir=tmp_path, transcription=document.transcription)
    [note] = findings(ledger, "transcription")
    digest = ledger.world().transcriptions[0].scan
    assert digest is not None and digest.startswith("sha256:") and digest in note.message
    assert ContentStore(ledger.service.home.content_dir).path_of(digest).read_bytes() == (
        scan.read_bytes()
    )


def test_a_refused_act_writes_no_transcription(ledger: CountyLedger) -> None:
    count = ledger.service.app.count_rows()
    bad = [*MEETING_2025, {"act": "meeting.minutes", "meeting": "nowhere", "by": "zhou"}]
    with pytest.raises(ActError, match=r"act 6 \(meeting.minutes\)"):
        transcribe(ledger, bad, **SOURCE)
    assert ledger.service.app.count_rows() == count


def test_a_transcription_without_its_clerk_is_refused_by_field() -> None:
    text = "transcription:\n  source: 纪要\nacts:\n  - {act: member.register, name: 王五}\n"
    with pytest.raises(RecordFormatError, match=r"transcription\.clerk") as caught:
        parse_document(text.encode(), "old.yaml")
    assert caught.value.message_zh is not None and "transcription.clerk" in caught.value.message_zh
