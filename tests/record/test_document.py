"""Record files: parsing, errors that point at the field and line, hostile YAML, the schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ledger.errors import InputError
from ledger.record.document import (
    MAX_DOCUMENT_BYTES,
    RecordFormatError,
    parse_document,
    read_document,
    schema,
)
from ledger.store.service import LedgerService

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "county.yaml"


def test_the_documented_example_records_and_verifies(service: LedgerService) -> None:
    document = read_document(EXAMPLE)
    result = service.record(document.acts, base_dir=EXAMPLE.parent)
    assert result.events == 42
    assert set(result.aliases) >= {"wang", "sc", "water", "m1", "task1"}
    assert service.verify().ok


def test_errors_name_the_field_and_the_line() -> None:
    text = b"""acts:
  - act: member.register
    name: Wang
  - act: meeting.vote
    meeting: m
    item: x
    method: secret
    for: 3
"""
    with pytest.raises(RecordFormatError) as caught:
        parse_document(text)
    problems = caught.value.problems
    assert "acts[1].method (line 7): Input should be 'oral'" in problems[0]
    assert any(p.startswith("acts[1].against (line 4): Field required") for p in problems)


def test_unknown_act_is_named() -> None:
    with pytest.raises(RecordFormatError, match="acts\\[0\\]"):
        parse_document(b"acts:\n  - act: matter.bribe\n")


def test_unknown_field_is_refused() -> None:
    with pytest.raises(RecordFormatError, match=r"acts\[0\].nickname.*Extra inputs"):
        parse_document(b"acts:\n  - {act: member.register, name: Wang, nickname: W}\n")


def test_time_without_a_zone_is_refused() -> None:
    with pytest.raises(RecordFormatError, match="timezone"):
        parse_document(b'acts:\n  - {act: member.register, name: W, at: "2026-03-02T09:00:00"}\n')


def test_yaml_aliases_are_refused_before_they_expand() -> None:
    bomb = b'a: &a ["x","x","x"]\nb: &b [*a,*a,*a]\nacts: [*b]\n'
    with pytest.raises(RecordFormatError, match="line 1: YAML anchors and aliases"):
        parse_document(bomb)


def test_yaml_tags_that_run_code_are_refused() -> None:
    with pytest.raises(RecordFormatError, match="not YAML"):
        parse_document(b"acts: !!python/object/apply:os.system ['true']\n")


def test_oversized_document_is_refused() -> None:
    with pytest.raises(InputError, match="larger than"):
        parse_document(b" " * (MAX_DOCUMENT_BYTES + 1))


def test_not_utf8_is_refused() -> None:
    with pytest.raises(RecordFormatError, match="not UTF-8"):
        parse_document(b"acts: [\xff]\n")


def test_json_documents_are_read_by_suffix(tmp_path: Path) -> None:
    path = tmp_path / "acts.json"
    path.write_text(json.dumps({"acts": [{"act": "member.register", "name": "王"}]}))
    assert read_document(path).acts[0].act == "member.register"


def test_an_empty_batch_is_refused() -> None:
    with pytest.raises(RecordFormatError, match="acts"):
        parse_document(b"acts: []\n")


def test_schema_names_every_act() -> None:
    document = schema()
    assert document["$schema"].endswith("2020-12/schema")
    text = json.dumps(document)
    for act in ("member.register", "meeting.vote", "emergency.act", "review.conclude"):
        assert act in text


def test_materials_given_as_files_are_kept_only_when_the_batch_lands(
    service: LedgerService, tmp_path: Path
) -> None:
    (tmp_path / "report.txt").write_text("调研报告全文")
    good = parse_document(
        b"acts:\n"
        b"  - {act: member.register, as: li, name: Li}\n"
        b"  - {act: body.establish, as: sc, kind: standing_committee, name: SC, members: [li]}\n"
        b"  - {act: matter.open, as: m, title: T, body: sc, in_charge: li}\n"
        b"  - {act: matter.research, matter: m, by: li, summary: S, materials: [report.txt]}\n"
    )
    bad = parse_document(
        b"acts:\n"
        b"  - {act: member.register, as: li, name: Li}\n"
        b"  - {act: matter.research, matter: m, by: li, summary: S, materials: [report.txt]}\n"
    )
    content = service.home.content_dir
    with pytest.raises(InputError):
        service.record(bad.acts, base_dir=tmp_path)
    assert not content.exists() or not any(content.rglob("*"))
    service.record(good.acts, base_dir=tmp_path)
    kept = [p for p in content.rglob("*") if p.is_file()]
    assert len(kept) == 1
    assert kept[0].read_text() == "调研报告全文"
