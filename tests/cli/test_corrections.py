"""A corrected opinion and vote read corrected in every view and page: ``trace`` (text, JSON and
its HTML page), ``history``, ``archive``, ``person``, ``findings`` and an exported archive's
pages, on both stores; the original is shown beside the corrected value, with the correction's
position, reason and author. The correction is made as a user would: ``ledger act
record.correct`` with structured changes."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from ledger.cli.main import cli
from ledger.projections.facts import build_world
from ledger.record.acts import RecordDocument
from ledger.store.home import LedgerHome
from tests.cli.test_html_page import CHROMIUM, browser, text_of

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "county.yaml"
MATTER = "县城供水管网改造方案"
ZHOU = "周洁"
REASON = "会议记录核对：周洁当场表示反对"


@dataclass(frozen=True)
class Corrected:
    home: Path
    opinion: int  # the position of 周洁's opinion, first recorded as agree
    vote: int  # the position of the vote, first recorded 4 for, 0 against
    opinion_fix: int  # the corrections' positions
    vote_fix: int


def run(home: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["--home", str(home), *args])
    assert "Traceback" not in result.output + result.stderr, result.output + result.stderr
    return result


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def corrected(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Corrected]:
    """The example county, recorded, then 周洁's opinion and the vote corrected by the office."""
    from tests.store.backends import PostgresBackend, SQLiteBackend

    backend = SQLiteBackend() if request.param == "sqlite" else PostgresBackend()
    backend.require()
    home = tmp_path_factory.mktemp(f"corrected-{request.param}") / "county"
    service = backend.create(LedgerHome(home), "Correction County")
    acts = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["acts"]
    service.record(RecordDocument.model_validate({"acts": acts}).acts)
    world = build_world(service.app.rows())
    ids = {m.name: str(m.id) for m in world.members.values()}
    (meeting,) = world.meetings.values()
    opinion = next(o.position for o in meeting.opinions if str(o.member) == ids[ZHOU])
    vote = meeting.votes[0].position
    try:
        fixes = []
        for position, changes in (
            (opinion, [{"field": "stance", "value": "disagree"}]),
            (
                vote,
                [
                    {"field": "ballot", "member": ids[ZHOU], "value": "against"},
                    {"field": "votes_for", "value": 3},
                    {"field": "votes_against", "value": 1},
                ],
            ),
        ):
            options = [f"--changes={json.dumps(c, ensure_ascii=False)}" for c in changes]
            result = run(
                home, "act", "record.correct", "--corrects", str(position), "--reason", REASON,
                *options, "--json",
            )  # fmt: skip
            assert result.exit_code == 0, result.output + result.stderr
            fixes.append(json.loads(result.stdout)["first_position"])
        yield Corrected(home, opinion, vote, *fixes)
    finally:
        backend.discard(service)


def test_the_trace_judges_and_shows_the_corrected_record(corrected: Corrected) -> None:
    trace = json.loads(run(corrected.home, "trace", MATTER, "--json").stdout)
    opinion = next(
        r for r in trace["roles"] if r["name"] == ZHOU and r["role"] == "stated an opinion"
    )
    assert opinion["detail"] == "disagree" and opinion["original_detail"] == "agree"
    assert opinion["corrected_by"] == [corrected.opinion_fix]
    ballot = next(r for r in trace["roles"] if r["name"] == ZHOU and r["role"] == "voted")
    assert ballot["detail"].startswith("against") and ballot["original_detail"].startswith("for")
    (dissenter,) = trace["dissenters"]
    assert dissenter["name"] == ZHOU and dissenter["how"] == "stated an opinion, voted"
    (decision,) = trace["decisions"]
    assert (decision["votes_for"], decision["votes_against"]) == (3, 1)
    assert decision["corrected_by"] == [corrected.vote_fix]
    fixes = {c["position"]: c for c in trace["corrections"]}
    assert set(fixes) == {corrected.opinion_fix, corrected.vote_fix}
    assert all(c["reason"] == REASON and c["actor"] == "office" for c in fixes.values())
    assert fixes[corrected.opinion_fix]["corrects"] == corrected.opinion
    review = [f for f in trace["findings"] if f["rule"] == "outcome-correction"]
    assert [f["positions"] for f in review] == [[corrected.vote, corrected.vote_fix]]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_trace_text_shows_the_original_the_reason_and_the_position(
    corrected: Corrected, lang: str
) -> None:
    text = run(corrected.home, "--lang", lang, "trace", MATTER).stdout
    if lang == "zh":
        assert f"不同意（经第 {corrected.opinion_fix} 号事件更正；原记录：同意）" in text
        assert f"第 {corrected.vote_fix} 号事件更正第 {corrected.vote} 号事件" in text
        assert "周洁的投票由赞成改为反对" in text and "记录人：办公室" in text
        assert f"按第 {corrected.vote_fix} 号事件更正后的计票" in text
    else:
        assert f"disagree (corrected by event {corrected.opinion_fix}; first recorded: agree)" in (
            text
        )
        assert f"event {corrected.vote_fix} corrects event {corrected.vote}" in text
        assert "vote of 周洁 for → against" in text and "votes for 4 → 3" in text
    assert REASON in text
    assert ZHOU in text.split("dissent" if lang == "en" else "反对意见", 1)[1]


def test_history_shows_the_corrected_line_beside_the_first(corrected: Corrected) -> None:
    lines = run(corrected.home, "history", MATTER).stdout.splitlines()
    (opinion,) = [line for line in lines if line.split()[0] == str(corrected.opinion)]
    assert "周洁: disagree" in opinion
    assert f"corrected by event {corrected.opinion_fix}" in opinion
    assert "first recorded: 周洁: agree" in opinion and "by office" in opinion
    document = json.loads(run(corrected.home, "history", MATTER, "--json").stdout)
    (vote,) = [e for e in document if e["position"] == corrected.vote]
    assert "3 for, 1 against" in vote["summary"] and "4 for, 0 against" in vote["original_summary"]
    assert vote["corrections"][0]["position"] == corrected.vote_fix
    assert {e["position"] for e in document} >= {corrected.opinion_fix, corrected.vote_fix}


def test_the_archive_holds_the_original_the_correction_and_the_corrected_act(
    corrected: Corrected,
) -> None:
    entries = json.loads(run(corrected.home, "archive", MATTER, "--json").stdout)
    by_position = {e["position"]: e for e in entries}
    opinion = by_position[corrected.opinion]
    assert opinion["payload"]["stance"] == "agree" and opinion["corrected"]["stance"] == "disagree"
    assert opinion["corrections"][0]["reason"] == REASON
    assert by_position[corrected.opinion_fix]["section"] == "corrections"
    text = run(corrected.home, "archive", MATTER).stdout
    assert f"event {corrected.opinion_fix} corrects event {corrected.opinion}" in text


def test_person_shows_the_corrected_part(corrected: Corrected) -> None:
    for findings in ([], ["--no-findings"]):
        document = json.loads(run(corrected.home, "person", ZHOU, "--json", *findings).stdout)
        roles = document["matters"][0]["roles"]
        opinion = next(r for r in roles if r["position"] == corrected.opinion)
        assert opinion["detail"] == "disagree" and opinion["original_detail"] == "agree"
        assert opinion["corrections"][0]["position"] == corrected.opinion_fix
    text = run(corrected.home, "--lang", "zh", "person", ZHOU).stdout
    assert f"不同意（经第 {corrected.opinion_fix} 号事件更正；原记录：同意）" in text
    assert f"第 {corrected.opinion_fix} 号事件更正第 {corrected.opinion} 号事件" in text
    assert REASON in text and "记录人：办公室" in text


def test_findings_name_the_correction_for_review(corrected: Corrected) -> None:
    found = json.loads(run(corrected.home, "findings", "--json").stdout)
    review = [f for f in found["findings"] if f["rule"] == "outcome-correction"]
    assert len(review) == 1 and REASON in review[0]["message"]


def _page_text(corrected: Corrected, tmp_path: Path, lang: str) -> str:
    out = tmp_path / f"corrected.{lang}.html"
    result = run(corrected.home, "--lang", lang, "trace", MATTER, "--html", str(out))
    assert result.exit_code == 0, result.output + result.stderr
    if CHROMIUM is None:  # the page as written; with chromium, as the browser renders it
        return text_of(out.read_text(encoding="utf-8"))
    return text_of(browser("--dump-dom", out.resolve().as_uri()).stdout.decode("utf-8"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_html_page_shows_the_correction(
    corrected: Corrected, tmp_path: Path, lang: str
) -> None:
    rendered = _page_text(corrected, tmp_path, lang)
    assert REASON in rendered
    if lang == "zh":
        assert f"不同意（经第 {corrected.opinion_fix} 号事件更正；原记录：同意）" in rendered
        assert "赞成 3、反对 1" in rendered and "周洁的投票由赞成改为反对" in rendered
        assert f"经第 {corrected.opinion_fix} 号事件更正" in rendered
    else:
        assert f"corrected by event {corrected.opinion_fix}; first recorded: agree" in rendered
        assert "3 for, 1 against" in rendered
        assert f"event {corrected.vote_fix} corrects event {corrected.vote}" in rendered


def test_the_exported_archive_pages_show_the_correction(
    corrected: Corrected, tmp_path: Path
) -> None:
    out = tmp_path / "county.zip"
    result = run(corrected.home, "export", "--out", str(out))
    assert result.exit_code == 0, result.output + result.stderr
    with zipfile.ZipFile(out) as archive:
        names = [n for n in archive.namelist() if n.endswith(".zh.html") and "index" not in n]
        pages = [archive.read(n).decode("utf-8") for n in names]
    (page,) = [p for p in pages if MATTER in p]
    text = text_of(page)
    assert f"不同意（经第 {corrected.opinion_fix} 号事件更正；原记录：同意）" in text
    assert REASON in text and "周洁的投票由赞成改为反对" in text
    verified = run(corrected.home, "verify-archive", str(out))
    assert verified.exit_code == 0, verified.output + verified.stderr


def test_a_correction_of_a_field_that_may_not_be_corrected_is_refused(
    corrected: Corrected,
) -> None:
    before = run(corrected.home, "log", "--json").stdout
    result = run(
        corrected.home, "--lang", "zh", "act", "record.correct", "--corrects",
        str(corrected.vote), "--reason", "x", '--changes={"field": "method", "value": "oral"}',
    )  # fmt: skip
    assert result.exit_code == 2
    assert "不可更正" in result.stderr and "votes_for" in result.stderr
    assert run(corrected.home, "log", "--json").stdout == before
