"""A county's words (issue 11, part 8): posts named by the ledger's level, degrees of
responsibility in the terms of the accountability regulations, no rule id or event type inside
Chinese text, and times in Beijing time with the zone said, on every read command."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from click.testing import CliRunner, Result

from ledger import vocabulary
from ledger.cli.main import cli
from ledger.domain import EVENT_TYPES
from ledger.domain.events import Envelope
from ledger.domain.ledger import DEFAULT_LEVEL, Ledger, LedgerInitialised, Level
from ledger.domain.member import Post
from ledger.domain.review import Degree, Responsibility
from ledger.domain.rules.catalogue import RULES
from ledger.i18n import CATALOGUE
from ledger.store.demo import build_demo
from ledger.store.home import LedgerHome
from ledger.store.service import LedgerService

AS_OF = "2026-12-31T23:00:00+08:00"
ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
VECTORS = Path(__file__).parents[1] / "vectors" / "record.json"


def run(home: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["--home", str(home), *args])
    assert "Traceback" not in result.output + result.stderr
    assert result.exit_code == 0, result.output + result.stderr
    return result


# --- the demo ledger, every read command in both languages -------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any]]]:
    directory = tmp_path_factory.mktemp("words") / "demo"
    yield directory, build_demo(directory)


def read_commands(summary: dict[str, Any]) -> list[tuple[str, ...]]:
    """Every read command a person runs on the demo, with the arguments the demo suggests."""
    highlights = summary["highlights"]
    kinds = ("failed", "deferred", "wrong_body", "changed", "preparatory", "plenary")
    matters = [highlights[kind] for kind in kinds]
    commands: list[tuple[str, ...]] = [
        ("findings", "--as-of", AS_OF),
        ("person", highlights["secretary"], "--as-of", AS_OF),
        ("person", highlights["newcomer"], "--as-of", AS_OF),
        ("replay", "--until", "2026-07-01"),
        ("log",),
        ("member", "list"),
        ("key", "list"),
        ("verify",),
    ]
    for matter in matters:
        for command in ("trace", "history", "archive"):
            commands.append((command, matter, "--as-of", AS_OF))
    return commands


def _without_payloads(command: tuple[str, ...], text: str) -> str:
    """``archive`` prints each event's payload as recorded (docs/cli.md, "Language"): its keys
    and values are the record format's, so only the rest of the line is read here."""
    if command[0] != "archive":
        return text
    return "\n".join(re.sub(r"\{.*\}$", "", line) for line in text.splitlines())


def test_no_rule_id_event_type_or_machine_time_in_chinese_output(
    demo: tuple[Path, dict[str, Any]],
) -> None:
    home, summary = demo
    rule_ids = [rule.id for rule in RULES]
    for command in read_commands(summary):
        text = _without_payloads(command, run(home, "--lang", "zh", *command).stdout)
        assert text.strip(), command
        for event_type in EVENT_TYPES:
            assert event_type not in text, (command, event_type)
        for rule_id in rule_ids:
            assert not re.search(rf"(?<![\w-]){re.escape(rule_id)}(?![\w-])", text), (
                command,
                rule_id,
            )
        assert not ISO_TIME.search(text), (command, ISO_TIME.search(text))
        assert "市(县)" not in text and "市长" not in text, command


def test_english_output_says_beijing_time_and_no_machine_time(
    demo: tuple[Path, dict[str, Any]],
) -> None:
    home, summary = demo
    for command in read_commands(summary):
        text = _without_payloads(command, run(home, "--lang", "en", *command).stdout)
        assert not ISO_TIME.search(text), (command, ISO_TIME.search(text))
    findings = run(home, "--lang", "en", "findings", "--as-of", AS_OF).stdout.splitlines()
    assert findings[0].endswith("as of 2026-12-31 23:00 (Beijing time)")
    assert "when (Beijing time)" in findings[1]
    chinese = run(home, "--lang", "zh", "findings", "--as-of", AS_OF).stdout.splitlines()
    assert chinese[0].startswith("截至 2026-12-31 23:00（北京时间）")


def test_an_unreported_emergency_action_names_its_deadline_inclusively(
    demo: tuple[Path, dict[str, Any]],
) -> None:
    home, _ = demo
    args = ("findings", "--as-of", AS_OF, "--rule", "emergency-report")
    found = json.loads(run(home, *args, "--json").stdout)["findings"]
    assert len(found) == 1
    assert re.search(r"within 7 days, by \d+ \w+ 2026 \(inclusive\)$", found[0]["message"])
    assert re.search(
        r"未在7日内向常委会报告，期限至2026年\d+月\d+日（含）$", found[0]["message_zh"]
    )
    chinese = run(home, "--lang", "zh", *args).stdout
    assert found[0]["message_zh"] in chinese
    assert (
        vocabulary.rule("zh", "emergency-report") in chinese and "emergency-report" not in chinese
    )


def test_the_json_keeps_the_machine_forms(demo: tuple[Path, dict[str, Any]]) -> None:
    home, _ = demo
    english = run(home, "--lang", "en", "findings", "--as-of", AS_OF, "--json").stdout
    chinese = run(home, "--lang", "zh", "findings", "--as-of", AS_OF, "--json").stdout
    assert english == chinese
    document = json.loads(chinese)
    assert document["findings"][0]["rule"] == "quorum"
    assert ISO_TIME.match(document["findings"][0]["when"])


def test_a_county_demo_names_its_posts_as_a_county_does(
    demo: tuple[Path, dict[str, Any]],
) -> None:
    home, summary = demo
    matter = summary["highlights"]["failed"]  # the failed decision and its review
    chinese = run(home, "--lang", "zh", "trace", matter, "--as-of", AS_OF).stdout
    english = run(home, "--lang", "en", "trace", matter, "--as-of", AS_OF).stdout
    assert "县委副书记、县长" in chinese and "常务副县长、县委常委" in chinese
    assert "county head" in english and "executive deputy county head" in english
    assert "mayor" not in english
    # the review's degrees, in the regulations' terms
    assert "县委书记                主要领导责任" in chinese
    assert "县委副书记、县长        重要领导责任" in chinese
    assert "直接责任" in chinese and "免予问责" in chinese


# --- the ledger's level --------------------------------------------------------------------


def _head_of_government(tmp_path: Path, *init: str) -> Path:
    home = tmp_path / "ledger"
    run(home, "init", "--name", "XX委", "--unencrypted", *init)
    member = json.loads(run(home, "act", "member.register", "--name", "李明", "--json").stdout)
    member_id = member["created"][0]["id"]
    posts = ("--posts", "deputy_secretary", "--posts", "head_of_government")
    run(home, "act", "member.assign", "--member", member_id, *posts)
    run(home, "act", "member.assign", "--member", member_id, *posts, "--posts", "standing_member")
    return home


def test_a_city_ledger_says_mayor(tmp_path: Path) -> None:
    home = _head_of_government(tmp_path, "--level", "city")
    chinese = run(home, "--lang", "zh", "person", "李明").stdout
    english = run(home, "--lang", "en", "person", "李明").stdout
    assert "市委副书记、市长、市委常委" in chinese and "县" not in chinese
    assert "deputy secretary, mayor, standing committee member" in english


def test_a_ledger_is_a_county_unless_told(tmp_path: Path) -> None:
    home = _head_of_government(tmp_path)
    assert "县委副书记、县长" in run(home, "--lang", "zh", "person", "李明").stdout
    assert "county head" in run(home, "--lang", "en", "person", "李明").stdout


def test_init_records_the_level_in_the_genesis_event(tmp_path: Path) -> None:
    home = tmp_path / "ledger"
    created = json.loads(
        run(home, "init", "--name", "X市委", "--unencrypted", "--level", "city", "--json").stdout
    )
    assert created["level"] == "city"
    service = LedgerService.open(LedgerHome(home))
    try:
        genesis = service.app.event_at(1)
        assert genesis is not None and genesis.body["payload"]["level"] == "city"
        assert service.app.level() is Level.CITY
    finally:
        service.app.close()
    chinese = run(tmp_path / "zh", "--lang", "zh", "init", "--name", "Y", "--unencrypted")
    assert re.search(r"层级：\s+县委", chinese.stdout)


def test_a_genesis_written_before_levels_keeps_its_bytes_and_reads_as_a_county() -> None:
    """The test vectors' genesis payload has no level: it still validates, re-encodes to the
    same fields (nothing stored is rewritten), and its ledger is a county's."""
    vectors = json.loads(VECTORS.read_text(encoding="utf-8"))
    stored = next(v for v in vectors["records"] if v["type"] == "ledger.initialised")
    body = json.loads(stored["expected"]["stored"].splitlines()[2])["payload"]
    assert "level" not in body
    payload = LedgerInitialised.model_validate_json(json.dumps(body))
    assert payload.model_dump(mode="json") == body
    assert payload.level is None and DEFAULT_LEVEL is Level.COUNTY
    envelope = Envelope(datetime.now(UTC), "ledger", bytes(32))
    assert Ledger.initialise(uuid4(), payload, envelope).level is Level.COUNTY
    city = LedgerInitialised(name="X", ledger_key="k", level=Level.CITY)
    assert city.model_dump(mode="json")["level"] == "city"


# --- degrees -----------------------------------------------------------------------------------


def test_a_degree_stored_as_leading_reads_as_principal() -> None:
    """``leading`` (领导责任) was the value before the degrees took the regulations' terms."""
    member = "9f067cc1-424a-48b6-aef4-15f29fb1ea63"
    old = Responsibility.model_validate_json(
        json.dumps({"member": member, "role": "主持", "degree": "leading"})
    )
    assert old.degree is Degree.PRINCIPAL
    assert vocabulary.degree("zh", "leading") == "主要领导责任"
    assert vocabulary.detail("zh", "found responsible", "leading") == "主要领导责任"
    assert vocabulary.detail("en", "found responsible", "leading") == "principal"


@pytest.mark.parametrize(
    ("degree", "chinese"),
    [
        (Degree.DIRECT, "直接责任"),
        (Degree.PRINCIPAL, "主要领导责任"),
        (Degree.IMPORTANT, "重要领导责任"),
        (Degree.REDUCED, "从轻或者减轻问责"),
        (Degree.WAIVED, "免予问责"),
    ],
)
def test_degrees_are_named_in_the_regulations_terms(degree: Degree, chinese: str) -> None:
    assert vocabulary.degree("zh", degree.value) == chinese
    assert vocabulary.degree("en", degree.value) == degree.value


# --- the catalogue names everything it is asked to name ----------------------------------------


def test_every_event_type_has_a_name_in_both_languages() -> None:
    for event_type in EVENT_TYPES:
        text = CATALOGUE.get(f"event.{event_type}")
        assert text is not None, f"add event.{event_type} to i18n.py"
        assert re.search(r"[\u4e00-\u9fff]", text.zh) and text.en
        assert vocabulary.event("zh", event_type) == text.zh
        assert vocabulary.event("en", event_type) == event_type


@pytest.mark.parametrize("level", list(Level))
def test_every_post_has_a_name_at_every_level(level: Level) -> None:
    for post in Post:
        chinese = vocabulary.post("zh", post.value, level.value)
        english = vocabulary.post("en", post.value, level.value)
        assert re.search(r"[\u4e00-\u9fff]", chinese), post
        assert english and english != post.value, post
        other = "市" if level is Level.COUNTY else "县"
        assert other not in chinese and "(" not in chinese, (post, chinese)


def test_posts_that_differ_by_level() -> None:
    county, city = Level.COUNTY.value, Level.CITY.value
    assert vocabulary.post("zh", "head_of_government", county) == "县长"
    assert vocabulary.post("zh", "head_of_government", city) == "市长"
    assert vocabulary.post("zh", "executive_deputy_head", county) == "常务副县长"
    assert vocabulary.post("zh", "executive_deputy_head", city) == "常务副市长"
    assert vocabulary.post("zh", "secretary", county) == "县委书记"
    assert vocabulary.post("en", "head_of_government", county) == "county head"
    assert vocabulary.post("en", "head_of_government", city) == "mayor"


def test_every_rule_is_named_by_its_chinese_title_in_chinese() -> None:
    for rule in RULES:
        assert vocabulary.rule("zh", rule.id) == rule.title_zh
        assert vocabulary.rule("en", rule.id) == rule.id


# --- pages ----------------------------------------------------------------------------------


def _page_text(html: str) -> str:
    """A page's text as a person reads it: no tags, no style sheet."""
    html = re.sub(r"<style>.*?</style>", "", html, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", " ", html)


def _assert_reads_as_people_say_it(text: str, where: str) -> None:
    for event_type in EVENT_TYPES:
        assert event_type not in text, (where, event_type)
    for rule in RULES:
        assert not re.search(rf"(?<![\w-]){re.escape(rule.id)}(?![\w-])", text), (where, rule.id)
    assert not ISO_TIME.search(text), (where, ISO_TIME.search(text))


def test_chinese_pages_of_a_trace_and_of_an_export_read_as_people_say_it(
    demo: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    home, summary = demo
    highlights = summary["highlights"]
    for kind in ("failed", "changed", "preparatory"):
        page = tmp_path / f"{kind}.html"
        run(home, "--lang", "zh", "trace", highlights[kind], "--as-of", AS_OF, "--html", str(page))
        text = _page_text(page.read_text(encoding="utf-8"))
        _assert_reads_as_people_say_it(text, kind)
        assert "（北京时间）" in text
    failed = _page_text((tmp_path / "failed.html").read_text(encoding="utf-8"))
    assert "县委副书记、县长" in failed and "主要领导责任" in failed
    archive = tmp_path / "failed.zip"
    run(home, "export", "--out", str(archive), "--matter", highlights["failed"])
    with zipfile.ZipFile(archive) as z:
        pages = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("html/")}
    for name, html in pages.items():
        if name.endswith(".zh.html"):
            _assert_reads_as_people_say_it(_page_text(html), name)
    matter_zh = next(v for k, v in pages.items() if k.endswith(".zh.html") and "index" not in k)
    matter_en = next(v for k, v in pages.items() if k.endswith(".en.html") and "index" not in k)
    assert "常务副县长" in matter_zh and "记录截至" in matter_zh and "（北京时间）" in matter_zh
    assert "executive deputy county head" in matter_en and "(Beijing time)" in matter_en
