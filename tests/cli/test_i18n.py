"""Chinese and English output: the same command in both languages, how the language is chosen,
JSON that never changes with it, and the catalogue's own consistency."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rich.cells import cell_len

from ledger.beijing_time import say_date, say_time
from ledger.cli.main import cli
from ledger.i18n import CATALOGUE, detect, message, placeholders
from tests.domain.rules.conftest import CountyLedger, county_rest, edited

SRC = Path(__file__).parents[2] / "src" / "ledger" / "cli"
EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "county.yaml"
MATTER = "县城供水管网改造方案"
LATER = "2099-01-01"  # after the example was recorded, whenever the tests run
ANSI = "\x1b["


def run(home: Path, *args: str, env: dict[str, str | None] | None = None) -> Result:
    result = CliRunner().invoke(cli, ["--home", str(home), *args], env=env)
    assert "Traceback" not in result.stdout + result.stderr
    assert ANSI not in result.stdout + result.stderr  # not a terminal: plain text
    return result


def zh(home: Path, *args: str) -> Result:
    return run(home, "--lang", "zh", *args)


def en(home: Path, *args: str) -> Result:
    return run(home, "--lang", "en", *args)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "county"
    assert run(path, "init", "--name", "XX县委", "--unencrypted").exit_code == 0
    return path


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example county ledger (docs/examples/county.yaml): one matter, decided."""
    path = tmp_path_factory.mktemp("i18n") / "county"
    runner = CliRunner()
    init = ["--home", str(path), "init", "--name", "X", "--unencrypted"]
    assert runner.invoke(cli, init, env={"LEDGER_LANG": "en"}).exit_code == 0
    record = ["--home", str(path), "record", str(EXAMPLE)]
    assert runner.invoke(cli, record, env={"LEDGER_LANG": "en"}).exit_code == 0
    return path


# --- the same command in both languages -----------------------------------------------------


def test_init_in_both_languages(tmp_path: Path) -> None:
    english = en(tmp_path / "a", "init", "--name", "XX县委", "--unencrypted")
    chinese = zh(tmp_path / "b", "init", "--name", "XX县委", "--unencrypted")
    assert english.exit_code == chinese.exit_code == 0
    assert "created for 'XX县委'" in english.stdout and "ledger key:" in english.stdout
    assert "已为「XX县委」创建台账" in chinese.stdout and "台账密钥：" in chinese.stdout
    assert "仅供演示" in chinese.stdout


def test_member_add_in_both_languages(home: Path) -> None:
    english = en(home, "member", "add", "王建国", "--title", "书记")
    chinese = zh(home, "member", "add", "李明")
    assert "added: 王建国 (书记)" in english.stdout
    assert re.search(r"委员 [0-9a-f-]{36} 已登记：李明", chinese.stdout)
    listed = zh(home, "member", "list").stdout.splitlines()
    assert listed[0].split() == ["委员", "姓名", "职务"]


def test_verify_intact_in_both_languages(home: Path) -> None:
    english = en(home, "verify")
    chinese = zh(home, "verify")
    assert english.exit_code == chinese.exit_code == 0
    assert "1 events verified" in english.stdout and "head hash:" in english.stdout
    assert "1 个事件核验无误" in chinese.stdout and "链头哈希：" in chinese.stdout


def test_verify_failure_in_both_languages(home: Path) -> None:
    run(home, "member", "add", "王建国")
    with sqlite3.connect(home / "ledger.sqlite") as db:
        (state,) = db.execute("SELECT state FROM stored_events WHERE rowid = 2").fetchone()
        db.execute(
            "UPDATE stored_events SET state = ? WHERE rowid = 2",
            (state.replace("王建国".encode(), "王建军".encode()),),
        )
    english = en(home, "verify")
    chinese = zh(home, "verify")
    assert english.exit_code == chinese.exit_code == 1
    assert "integrity failure at position 2" in english.stdout
    assert "完整性校验失败：序号 2" in chinese.stdout
    # The verifier's own words for the failure, in the reader's language.
    assert "payload does not match its commitment" in english.stdout
    assert "事件内容与其承诺值不符" in chinese.stdout


def test_trace_in_both_languages(county: Path) -> None:
    english = en(county, "trace", MATTER).stdout
    chinese = zh(county, "trace", MATTER).stdout
    assert "approved the agenda" in english and "issued the minutes" in english
    assert "decision at position 40: adopted" in english
    for term in ("确定议题", "表决", "印发纪要", "记名投票", "秘书长", "书记"):
        assert term in chinese, term
    assert "决策（序号 40）：通过" in chinese and "[通过]" in chinese
    assert "approved the agenda" not in chinese and "named_ballot" not in chinese


def test_history_and_archive_in_both_languages(county: Path) -> None:
    chinese = zh(county, "history", MATTER).stdout
    assert "议题立项：县城供水管网改造方案（分管负责：李明）" in chinese
    assert "表决（记名投票）：赞成 4、反对 0、弃权 0" in chinese and "印发纪要" in chinese
    sections = re.findall(r"^\[(.+)\]$", zh(county, "archive", MATTER).stdout, re.MULTILINE)
    assert {"表决", "纪要", "确定议题"} <= set(sections)


def test_history_in_english_is_the_summary_the_json_carries(county: Path) -> None:
    steps = json.loads(en(county, "history", MATTER, "--json").stdout)
    lines = en(county, "history", MATTER).stdout.splitlines()
    assert len(lines) == len(steps)
    for line, step in zip(lines, steps, strict=True):
        # the summary, then the signature mark, then when it was recorded if on another day
        recorded = f"  [recorded {say_time('en', step['recorded_at'])}]"
        late = say_date("en", step["recorded_at"]) != say_date("en", step["occurred_at"])
        body = line.removesuffix(recorded) if late else line
        assert late == line.endswith(recorded), line
        assert body.removesuffix(" ✍").endswith("  " + step["summary"]), line


def test_person_in_both_languages(county: Path) -> None:
    english = en(county, "person", "王建国").stdout
    chinese = zh(county, "person", "王建国").stdout
    assert "from 5 January 2026: county Party secretary" in english and "announced" in english
    assert "自 2026年1月5日 起：县委书记" in chinese and "宣布结果" in chinese


@pytest.fixture
def recorded(ledger: CountyLedger) -> Path:
    ledger.record_promptly(
        edited(county_rest(), "meeting.notice", {"at": "2026-02-23T10:00:00+08:00"})
    )
    return ledger.service.home.path


def test_findings_show_the_message_of_the_language(recorded: Path) -> None:
    args = ("findings", "--as-of", "2026-03-01T00:00:00+08:00", "--rule", "notice-period")
    english = en(recorded, *args).stdout.splitlines()
    chinese = zh(recorded, *args).stdout.splitlines()
    document = json.loads(en(recorded, *args, "--json").stdout)["findings"][0]
    assert english[0].startswith("1 finding(s) as of")
    assert chinese[0].startswith("截至 2026-03-01 00:00（北京时间） 发现 1 个问题")
    assert chinese[1].split() == ["规则", "时间（北京时间）", "对象", "责任人", "说明"]
    assert chinese[2].startswith("提前通知") and english[2].startswith("notice-period")
    assert document["message"] in english[2] and document["message_zh"] in chinese[2]
    assert document["message"] not in chinese[2]


def test_an_error_in_both_languages(home: Path) -> None:
    english = en(home, "trace", "没有这个议题")
    chinese = zh(home, "trace", "没有这个议题")
    assert english.exit_code == chinese.exit_code == 2
    assert english.stderr.startswith("error: no matter '没有这个议题'")
    # The error's own Chinese, behind the CLI's prefix in the reader's language.
    assert chinese.stderr.startswith("错误：本台账中没有议题 '没有这个议题'")


def test_an_error_the_cli_makes_is_translated(home: Path) -> None:
    english = en(home, "trace", MATTER, "--as-of", "2026-01-01T09:00:00")
    chinese = zh(home, "trace", MATTER, "--as-of", "2026-01-01T09:00:00")
    assert english.exit_code == chinese.exit_code == 2
    assert "Error: " in english.stderr and "has no time zone" in english.stderr
    assert "错误：" in chinese.stderr and "没有时区" in chinese.stderr
    assert "trace --help' 查看帮助。" in chinese.stderr


def test_a_usage_error_keeps_its_exit_code_in_chinese(home: Path) -> None:
    result = zh(home, "verify", "--bogus")
    assert result.exit_code == 2
    assert "错误：No such option" in result.stderr


def test_a_missing_passphrase_is_explained_in_chinese(tmp_path: Path) -> None:
    secret = {"LEDGER_PASSPHRASE": "correct horse"}
    assert run(tmp_path / "c", "init", "--name", "XX", env=secret).exit_code == 0
    result = zh(tmp_path / "c", "member", "add", "王建国")
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：办公室密钥已加密：请设置 LEDGER_PASSPHRASE")


# --- choosing the language ------------------------------------------------------------------


def test_english_without_a_chinese_locale(home: Path) -> None:
    assert "events verified" in run(home, "verify").stdout


def test_ledger_lang_selects_chinese(home: Path) -> None:
    assert "核验无误" in run(home, "verify", env={"LEDGER_LANG": "zh"}).stdout


def test_a_chinese_locale_selects_chinese(home: Path) -> None:
    assert "核验无误" in run(home, "verify", env={"LANG": "zh_CN.UTF-8"}).stdout
    result = run(home, "trace", "x", env={"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"})
    assert result.stderr.startswith("错误：")


def test_lang_overrides_the_environment(home: Path) -> None:
    chinese_env = {"LEDGER_LANG": "zh", "LANG": "zh_CN.UTF-8"}
    assert "events verified" in run(home, "--lang", "en", "verify", env=chinese_env).stdout
    assert "核验无误" in run(home, "--lang", "ZH", "verify", env={"LANG": "en_US"}).stdout


def test_an_unknown_language_is_a_usage_error(home: Path) -> None:
    result = run(home, "verify", env={"LEDGER_LANG": "fr"})
    assert result.exit_code == 2
    assert "LEDGER_LANG takes en or zh, got 'fr'" in result.stderr


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_TW"}, "zh"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh"),
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LC_ALL": "C"}, "en"),
        ({"LC_ALL": "", "LANG": "zh_CN.UTF-8"}, "zh"),
    ],
)
def test_the_locale_decides_by_posix_precedence(environ: dict[str, str], expected: str) -> None:
    assert detect(environ) == expected


# --- JSON never changes with the language ---------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("trace", MATTER, "--as-of", LATER, "--json"),
        ("history", MATTER, "--as-of", LATER, "--json"),
        ("archive", MATTER, "--as-of", LATER, "--json"),
        ("person", "王建国", "--as-of", LATER, "--json"),
        ("findings", "--as-of", "2099-01-01T00:00:00+08:00", "--json"),
        ("replay", "--until", LATER, "--json"),
        ("verify", "--json"),
        ("log", "--json"),
        ("member", "list", "--json"),
        ("key", "list", "--json"),
        ("rules", "list", "--json"),
    ],
    ids=lambda args: " ".join(a for a in args if not a.startswith(("-", "2", "县", "王"))),
)
def test_json_is_the_same_in_both_languages(county: Path, args: tuple[str, ...]) -> None:
    english = en(county, *args)
    chinese = zh(county, *args)
    assert english.exit_code == 0, english.stderr
    assert chinese.stdout == english.stdout
    json.loads(chinese.stdout)


def test_json_of_a_write_is_the_same_in_both_languages(home: Path) -> None:
    english = json.loads(en(home, "member", "add", "王建国", "--json").stdout)
    chinese = json.loads(zh(home, "member", "add", "王建国", "--json").stdout)
    assert english.keys() == chinese.keys()
    assert (english["name"], english["title"]) == (chinese["name"], chinese["title"])


# --- tables for people ----------------------------------------------------------------------


def test_chinese_columns_line_up(county: Path) -> None:
    """rich measures a Chinese character as two cells: each column starts at one cell offset."""
    lines = zh(county, "member", "list").stdout.splitlines()
    titles = ["职务", "书记", "县长", "专职副书记", "纪委书记", "秘书长"]
    offsets = {cell_len(line[: line.index(t)]) for line, t in zip(lines, titles, strict=True)}
    assert len(offsets) == 1
    roles = zh(county, "trace", MATTER).stdout.splitlines()
    header = next(i for i, line in enumerate(roles) if line.startswith("序号"))
    table = roles[header : header + 5]
    starts = {cell_len(line[: line.index(line.split()[2])]) for line in table}
    assert len(starts) == 1, table


def test_rich_is_not_imported_at_start_up() -> None:
    code = (
        "import sys\n"
        "from ledger.cli.main import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'pydantic')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_help_keeps_its_examples_and_names_the_language_option() -> None:
    runner = CliRunner()
    root = runner.invoke(cli, ["--help"], env={"LEDGER_LANG": "zh"}).stdout
    assert "Start:" in root and "--lang [en|zh]" in root and "LEDGER_LANG" in root
    for command in (["init"], ["member", "add"], ["verify"], ["trace"], ["findings"]):
        helped = runner.invoke(cli, [*command, "--help"], env={"LEDGER_LANG": "zh"})
        assert "Example" in helped.stdout, command


def test_progress_is_not_drawn_when_stderr_is_not_a_terminal() -> None:
    from ledger.cli.render import progress

    with progress("verifying", 10_000) as update:
        assert update is None


# --- the catalogue --------------------------------------------------------------------------


def test_every_message_has_both_languages_with_the_same_placeholders() -> None:
    for key, text in CATALOGUE.items():
        assert text.en.strip() and text.zh.strip(), key
        assert placeholders(text.en) == placeholders(text.zh), key


def test_every_message_the_cli_looks_up_is_in_the_catalogue() -> None:
    used: set[str] = set()
    for module in SRC.glob("*.py"):
        source = module.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bt\(\s*\"([^\"]+)\"", source))
        used |= set(re.findall(r"\bmessage\(\s*[\w.]+,\s*\"([^\"]+)\"", source))
    assert len(used) > 80
    assert not used - CATALOGUE.keys()


def test_the_users_terms_are_used_as_they_say_them() -> None:
    """The glossary's Chinese terms (议题, 表决, 纪要, 档案 ...), verbatim."""
    assert message("zh", "col.matter") == "议题"
    assert message("zh", "section.vote") == "表决"
    assert message("zh", "section.minutes") == "纪要"
    assert message("zh", "method.secret_ballot") == "无记名投票"
    assert message("zh", "method.named_ballot") == "记名投票"
    assert message("zh", "role.withdrew") == "回避"
    assert message("zh", "section.changes") == "调整或变更"
    assert message("zh", "post.county.head_of_government") == "县长"
    assert message("zh", "consultation.expert_review") == "专家论证"


@pytest.mark.parametrize(
    ("role", "detail", "role_zh", "detail_zh"),
    [
        ("voted", "against (named_ballot)", "表决", "反对（记名投票）"),
        (
            "voted (secret ballot: tally only)",
            "3 for, 1 against, 0 abstaining",
            "表决（无记名投票：仅有计票结果）",
            "赞成 3、反对 1、弃权 0",
        ),
        ("voted (show_of_hands: tally only)", "4 for, 0 against, 1 abstaining", None, None),
        ("consulted", "expert_review: 方案一技术可行", "咨询", "专家论证：方案一技术可行"),
        ("consulted", "县水务局的意见: 同意", "咨询", "县水务局的意见: 同意"),
        ("absent", "on leave: 出差", "缺席", "请假：出差"),
        ("approved the agenda", "under delegation", "确定议题", "受委托"),
        ("found responsible", "principal", "被认定负有责任", "主要领导责任"),
        ("researched", "与水务局联合调研", "调查研究", "与水务局联合调研"),
    ],
)
def test_trace_roles_and_details_in_chinese(
    role: str, detail: str, role_zh: str | None, detail_zh: str | None
) -> None:
    from ledger import vocabulary

    assert vocabulary.role("en", role) == role
    assert vocabulary.detail("en", role, detail) == detail
    if role_zh is None:
        assert vocabulary.role("zh", role) == "表决（举手表决：仅有计票结果）"
        assert vocabulary.detail("zh", role, detail) == "赞成 4、反对 0、弃权 1"
    else:
        assert vocabulary.role("zh", role) == role_zh
        assert vocabulary.detail("zh", role, detail) == detail_zh


def test_every_trace_role_and_section_has_a_chinese_name() -> None:
    """The roles projections/roles.py can name (read from its source) and the sections of
    projections/trace.py."""
    from ledger.projections.trace import SECTIONS

    source = (SRC.parent / "projections" / "roles.py").read_text(encoding="utf-8")
    roles = set(re.findall(r'\bPart\(\s*"([^"]+)"', source))
    assert len(roles) > 20
    for name in roles:
        assert f"role.{name}" in CATALOGUE, name
    for section in set(SECTIONS.values()):
        assert f"section.{section}" in CATALOGUE, section


def test_history_has_a_line_for_every_event_the_json_summarises() -> None:
    """The same event types as projections/views.py ``summarise`` (read from its source)."""
    source = (SRC.parent / "projections" / "views.py").read_text(encoding="utf-8")
    summarised = set(re.findall(r'"([a-z_]+\.[a-z_]+)": lambda', source))
    assert len(summarised) > 30
    assert summarised == {k.removeprefix("history.") for k in CATALOGUE if k.startswith("history.")}
