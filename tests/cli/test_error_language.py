"""A refused act in the reader's language: ``ledger record`` and ``ledger act`` print the
domain's refusal in Chinese with ``--lang zh`` and in English with ``--lang en``, exit 2, and
write nothing; JSON output and exit codes do not change with the language (docs/cli.md,
"Language")."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from uuid import UUID

import click
import pytest
from click.testing import CliRunner, Result

from ledger.cli.main import cli

REFUSED = """\
format: ledger.record/1
acts:
  - {act: member.register, as: wang, name: 王建国}
  - {act: member.register, as: li, name: 李明}
  - {act: body.establish, as: sc, kind: standing_committee, name: 常委会, members: [wang, li]}
  - {act: matter.open, as: water, title: 县城供水管网改造方案, body: sc, in_charge: li}
  - act: meeting.schedule
    as: m
    body: sc
    title: 第5次常委会会议
    scheduled_for: "2026-03-05T09:00:00+08:00"
    chair: wang
    agenda: [water]
  - {act: meeting.open, meeting: m, present: [wang, li]}
  - {act: meeting.vote, meeting: m, item: water, method: show_of_hands, for: 1, against: 0,
     ballots_cast: 2}
"""


def run(home: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["--home", str(home), *args])
    assert "Traceback" not in result.stdout + result.stderr
    return result


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "county"
    assert run(path, "init", "--name", "XX县委", "--unencrypted").exit_code == 0
    return path


@pytest.fixture
def refused(tmp_path: Path) -> Path:
    path = tmp_path / "refused.yaml"
    path.write_text(REFUSED, encoding="utf-8")
    return path


def events(home: Path) -> int:
    return len(json.loads(run(home, "log", "--json").stdout))


def test_a_refused_record_speaks_chinese(home: Path, refused: Path) -> None:
    before = events(home)
    result = run(home, "--lang", "zh", "record", str(refused))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "错误：第 7 项行为（meeting.vote）：计票合计 1 票（赞成 1、反对 0、弃权 0、无效 0），"
        "与收回的 2 票不符\n"
    )
    assert events(home) == before


def test_a_refused_record_speaks_english(home: Path, refused: Path) -> None:
    result = run(home, "--lang", "en", "record", str(refused))
    assert result.exit_code == 2
    assert result.stderr == (
        "error: act 7 (meeting.vote): the tally adds up to 1 (for 1, against 0, abstaining 0, "
        "invalid 0), but 2 ballots were cast\n"
    )


def test_a_refused_record_with_json_keeps_its_exit_code_in_both_languages(
    home: Path, refused: Path
) -> None:
    chinese = run(home, "--lang", "zh", "record", str(refused), "--json")
    english = run(home, "--lang", "en", "record", str(refused), "--json")
    assert chinese.exit_code == english.exit_code == 2
    assert chinese.stdout == english.stdout == ""
    assert chinese.stderr.startswith("错误：第 7 项行为（meeting.vote）：计票合计 1 票")
    assert english.stderr.startswith("error: act 7 (meeting.vote): the tally adds up to 1")


def test_a_refused_act_speaks_the_readers_language(home: Path) -> None:
    registered = run(home, "act", "member.register", "--name", "钱多", "--json")
    member = json.loads(registered.stdout)["created"][0]["id"]
    assert run(home, "act", "member.leave", "--member", member, "--reason", "调任").exit_code == 0
    again = ("act", "member.leave", "--member", member, "--reason", "调任")

    chinese = run(home, "--lang", "zh", *again)
    english = run(home, "--lang", "en", *again)

    assert chinese.exit_code == english.exit_code == 2
    assert chinese.stderr == f"错误：第 1 项行为（member.leave）：委员钱多（{member}）已离任\n"
    assert english.stderr == (
        f"error: act 1 (member.leave): member 钱多 ({member}) has left the committee\n"
    )


def test_an_unknown_reference_in_an_act_speaks_the_readers_language(home: Path) -> None:
    chinese = run(home, "--lang", "zh", "act", "meeting.close", "--meeting", "第5次")
    english = run(home, "--lang", "en", "act", "meeting.close", "--meeting", "第5次")
    assert chinese.exit_code == english.exit_code == 2
    assert chinese.stderr.startswith(
        "错误：第 1 项行为（meeting.close）：未知的会议 '第5次'：它不是标识，"
    )
    assert "`as: 第5次`" in chinese.stderr
    assert english.stderr.startswith("error: act 1 (meeting.close): unknown meeting '第5次'")


def test_an_error_without_chinese_falls_back_to_its_english() -> None:
    from ledger.cli.main import LedgerCLI
    from ledger.errors import InputError

    @click.group(cls=LedgerCLI)
    def root() -> None:
        """A root with the ledger's error handling and one failing command."""

    @root.command()
    def fail() -> None:
        raise InputError("no such thing (English only)")

    chinese = CliRunner().invoke(root, ["fail"], env={"LEDGER_LANG": "zh"})
    assert chinese.exit_code == 2
    assert chinese.stderr == "错误：no such thing (English only)\n"


# --- reads, verification, archives and the home (the second pass) -------------------------------

MATTER = "县城供水管网改造方案"


def test_an_unknown_matter_in_a_trace_speaks_the_readers_language(home: Path) -> None:
    chinese = run(home, "--lang", "zh", "trace", MATTER)
    english = run(home, "--lang", "en", "trace", MATTER)
    assert chinese.exit_code == english.exit_code == 2
    assert chinese.stdout == english.stdout == ""
    assert chinese.stderr == (
        f"错误：本台账中没有议题 '{MATTER}'（请给出其标识，或其完整且唯一的标题）\n"
    )
    assert english.stderr == (
        f"error: no matter '{MATTER}' in this ledger (give its id, or its exact and unique title)\n"
    )


def test_a_member_named_where_a_matter_is_asked_speaks_the_readers_language(home: Path) -> None:
    assert run(home, "member", "add", "王建国").exit_code == 0
    chinese = run(home, "--lang", "zh", "history", "王建国")
    english = run(home, "--lang", "en", "history", "王建国")
    assert chinese.exit_code == english.exit_code == 2
    assert chinese.stderr == "错误：'王建国' 是委员，不是议题\n"
    assert english.stderr == "error: '王建国' is a member, not a matter\n"


def _tamper_with_a_name(home: Path) -> None:
    """Change a member's name in the stored bytes, as someone with write access to the database
    would (tests/store/test_tamper.py): the payload no longer matches its commitment."""
    assert run(home, "member", "add", "王建国").exit_code == 0
    with sqlite3.connect(home / "ledger.sqlite") as db:
        (state,) = db.execute("SELECT state FROM stored_events WHERE rowid = 2").fetchone()
        db.execute(
            "UPDATE stored_events SET state = ? WHERE rowid = 2",
            (state.replace("王建国".encode(), "王建军".encode()),),
        )


def test_a_tampered_ledger_fails_verification_in_the_readers_language(home: Path) -> None:
    _tamper_with_a_name(home)
    chinese = run(home, "--lang", "zh", "verify")
    english = run(home, "--lang", "en", "verify")
    assert chinese.exit_code == english.exit_code == 1
    assert "完整性校验失败：序号 2（存储行 2）" in chinese.stdout
    assert re.search(r"^  原因：\s+事件内容与其承诺值不符$", chinese.stdout, re.MULTILINE)
    assert "payload" not in chinese.stdout
    assert re.search(
        r"^  problem:\s+payload does not match its commitment$", english.stdout, re.MULTILINE
    )
    assert "承诺" not in english.stdout


def test_a_tampered_ledgers_json_report_is_the_same_in_both_languages(home: Path) -> None:
    _tamper_with_a_name(home)
    chinese = run(home, "--lang", "zh", "verify", "--json")
    english = run(home, "--lang", "en", "verify", "--json")
    assert chinese.exit_code == english.exit_code == 1
    assert chinese.stdout == english.stdout
    failure = json.loads(chinese.stdout)["failure"]
    assert set(failure) == {"position", "row", "stream", "version", "type", "problem"}
    assert failure["problem"] == "payload does not match its commitment"


def test_a_removed_tail_fails_verification_in_the_readers_language(home: Path) -> None:
    for name in ("王建国", "李明", "张华"):
        assert run(home, "member", "add", name).exit_code == 0
    with sqlite3.connect(home / "ledger.sqlite") as db:
        db.execute("DELETE FROM stored_events WHERE rowid >= 3")
    chinese = run(home, "--lang", "zh", "verify")
    english = run(home, "--lang", "en", "verify")
    assert chinese.exit_code == english.exit_code == 1
    assert "日志只有 2 个事件，但签名检查点涵盖 4 个：事件 3 至 4 已被删除" in chinese.stdout
    assert "the log ends at 2 events, but a signed checkpoint covers 4" in english.stdout


@pytest.mark.parametrize(
    ("data", "zh", "en"),
    [
        (b"", "不是台账档案：文件是空的", "not a ledger archive: the file is empty"),
        (
            b"%PDF-1.7\n" + b"x" * 100,
            "不是台账档案：最后 22 字节中没有 ZIP 结尾记录（不是 ZIP 文件，或 ZIP 带有注释，"
            "或其后还有数据）",
            "not a ledger archive: no ZIP end record in its last 22 bytes (not a ZIP, or a ZIP "
            "with a comment or data after it)",
        ),
    ],
    ids=["empty", "not_a_zip"],
)
def test_a_malformed_archive_is_refused_in_the_readers_language(
    tmp_path: Path, data: bytes, zh: str, en: str
) -> None:
    archive = tmp_path / "archive.zip"
    archive.write_bytes(data)
    chinese = run(tmp_path, "--lang", "zh", "verify-archive", str(archive))
    english = run(tmp_path, "--lang", "en", "verify-archive", str(archive))
    assert chinese.exit_code == english.exit_code == 2
    assert chinese.stdout == english.stdout == ""
    assert chinese.stderr == f"错误：{zh}\n"
    assert english.stderr == f"error: {en}\n"


def test_a_tampered_archive_fails_in_the_readers_language(home: Path, tmp_path: Path) -> None:
    from tests.archive.conftest import rebuild

    assert run(home, "member", "add", "王建国").exit_code == 0
    archive = tmp_path / "whole.zip"
    assert run(home, "export", "--out", str(archive)).exit_code == 0

    def rename(content: dict[str, bytes]) -> dict[str, bytes]:
        content["records.txt"] = content["records.txt"].replace(
            "王建国".encode(), "王建军".encode()
        )
        return content

    tampered = rebuild(archive, tmp_path / "tampered.zip", rename, fix_manifest=True)
    chinese = run(tmp_path, "--lang", "zh", "verify-archive", str(tampered))
    english = run(tmp_path, "--lang", "en", "verify-archive", str(tampered))
    assert chinese.exit_code == english.exit_code == 1
    assert "完整性校验失败：records.txt，序号 2" in chinese.stdout
    assert re.search(r"^  原因：\s+事件内容与其承诺值不符$", chinese.stdout, re.MULTILINE)
    assert "payload" not in chinese.stdout
    assert "integrity failure in records.txt at position 2" in english.stdout
    assert "payload does not match its commitment" in english.stdout
    as_json = [
        run(tmp_path, "--lang", lang, "verify-archive", str(tampered), "--json").stdout
        for lang in ("zh", "en")
    ]
    assert as_json[0] == as_json[1]
    assert json.loads(as_json[0])["failure"]["problem"] == "payload does not match its commitment"


def test_a_home_without_a_ledger_speaks_the_readers_language(tmp_path: Path) -> None:
    nowhere = tmp_path / "nowhere"
    chinese = run(nowhere, "--lang", "zh", "log")
    english = run(nowhere, "--lang", "en", "log")
    assert chinese.exit_code == english.exit_code == 2
    assert chinese.stderr == (
        f"错误：{nowhere} 中没有台账（没有 ledger.json）：请在该目录运行 'ledger init'，"
        "或用 --home / LEDGER_HOME 指向已有的台账\n"
    )
    assert english.stderr == (
        f"error: no ledger in {nowhere} (no ledger.json): run 'ledger init' there, or point "
        "--home / LEDGER_HOME at an existing ledger\n"
    )


def test_a_damaged_home_configuration_speaks_the_readers_language(home: Path) -> None:
    (home / "ledger.json").write_text("{}", encoding="utf-8")
    chinese = run(home, "--lang", "zh", "log")
    english = run(home, "--lang", "en", "log")
    assert chinese.exit_code == english.exit_code == 2
    assert chinese.stderr.startswith(f"错误：{home / 'ledger.json'} 不是有效的台账配置：")
    assert english.stderr.startswith(
        f"error: {home / 'ledger.json'} is not a valid ledger configuration:"
    )


# --- record files, checkpoints, keys, the witness and migration (the third pass) ----------------

BAD_FIELDS = """\
format: ledger.record/1
acts:
  - {act: member.register, as: wang, name: 王建国}
  - act: meeting.schedule
    as: m
    body: wang
    title: 第5次常委会会议
    scheduled_for: "2026-03-05 上午"
    chair: wang
    agenda: [wang]
    room: 3
"""


def test_a_record_file_with_bad_fields_names_field_and_line_in_the_readers_language(
    home: Path, tmp_path: Path
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_FIELDS, encoding="utf-8")
    before = events(home)
    chinese = run(home, "--lang", "zh", "record", str(path))
    english = run(home, "--lang", "en", "record", str(path))
    assert chinese.exit_code == english.exit_code == 2
    assert chinese.stdout == english.stdout == ""
    assert chinese.stderr == (
        f"错误：{path} 不是有效的记录文档：\n"
        "  第 8 行，字段 acts[1].scheduled_for：应为有效的日期时间，如 2026-03-05T09:00:00+08:00\n"
        "  第 11 行，字段 acts[1].room：多余的字段：记录格式中没有此字段\n"
    )
    assert english.stderr.startswith(f"error: {path} is not a valid record document:\n")
    assert "  acts[1].scheduled_for (line 8): Input should be a valid datetime" in english.stderr
    assert "  acts[1].room (line 11): Extra inputs are not permitted\n" in english.stderr
    assert events(home) == before


def test_a_record_file_with_a_key_twice_speaks_the_readers_language(
    home: Path, tmp_path: Path
) -> None:
    path = tmp_path / "twice.yaml"
    path.write_text("acts:\n  - act: member.register\n    name: 王建国\n    name: 王建军\n")
    chinese = run(home, "--lang", "zh", "record", str(path))
    english = run(home, "--lang", "en", "record", str(path))
    assert chinese.exit_code == english.exit_code == 2
    assert chinese.stderr == f"错误：{path} 不是有效的记录文档：\n  第 4 行：'name' 出现了两次\n"
    assert english.stderr == (
        f"error: {path} is not a valid record document:\n  line 4: 'name' appears twice\n"
    )


def test_a_malformed_checkpoint_to_verify_speaks_the_readers_language(
    home: Path, tmp_path: Path
) -> None:
    path = tmp_path / "held.txt"
    path.write_text("ledger/x\n3\nAAAA\n\n— ledger/x AAAA\n", encoding="utf-8")
    chinese = run(home, "--lang", "zh", "verify", "--checkpoint", str(path))
    english = run(home, "--lang", "en", "verify", "--checkpoint", str(path))
    assert chinese.exit_code == english.exit_code == 2
    assert chinese.stdout == english.stdout == ""
    assert chinese.stderr == f"错误：{path} 不是签名检查点：根哈希应为 32 字节，而不是 3 字节\n"
    assert english.stderr == (
        f"error: {path} is not a signed checkpoint: root hash has 32 bytes, got 3\n"
    )


def test_a_file_that_is_not_a_key_speaks_the_readers_language(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "member.key"
    path.write_text("not a key\n", encoding="utf-8")
    act = ("act", "member.register", "--name", "李明", "--sign-with", str(path))
    chinese = run(home, "--lang", "zh", *act)
    english = run(home, "--lang", "en", *act)
    assert chinese.exit_code == english.exit_code == 2
    assert chinese.stderr.startswith("错误：不是 PEM 格式的私钥：")
    assert english.stderr.startswith("error: not a PEM private key: ")


def test_a_missing_key_file_speaks_the_readers_language(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "nowhere.key"
    act = ("act", "member.register", "--name", "李明", "--sign-with", str(path))
    chinese = run(home, "--lang", "zh", *act)
    english = run(home, "--lang", "en", *act)
    assert chinese.exit_code == english.exit_code == 2
    assert chinese.stderr == f"错误：无法读取密钥文件 {path}：No such file or directory\n"
    assert english.stderr == f"error: cannot read key file {path}: No such file or directory\n"


def test_a_checkpoint_the_witness_refuses_speaks_the_readers_language(
    home: Path, tmp_path: Path
) -> None:
    config = json.loads((home / "ledger.json").read_text(encoding="utf-8"))
    origin = f"ledger/{config['ledger_id']}"
    wdir = tmp_path / "jw"
    made = run(
        home, "witness", "init", "--dir", str(wdir), "--name", "jw", "--origin", origin,
        "--log-key", config["checkpoint_key"], "--unencrypted",
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    older = tmp_path / "older.txt"
    assert run(home, "checkpoint", "--out", str(older)).exit_code == 0
    for name in ("王建国", "李明"):
        assert run(home, "member", "add", name).exit_code == 0
    newer = tmp_path / "newer.txt"
    assert run(home, "checkpoint", "--out", str(newer)).exit_code == 0
    assert run(home, "witness", "cosign", "--dir", str(wdir), str(newer)).exit_code == 0

    cosign = ("witness", "cosign", "--dir", str(wdir), str(older))
    chinese = run(home, "--lang", "zh", *cosign)
    english = run(home, "--lang", "en", *cosign)

    assert chinese.exit_code == english.exit_code == 1
    assert chinese.stdout == english.stdout == ""
    assert chinese.stderr.endswith(
        f"错误：检查点应至少含 3 个事件（本见证方为 '{origin}' 最近见证签名的规模），"
        "而这里只有 1 个\n"
    )
    assert "已作为证据保存在" in chinese.stderr
    assert english.stderr.endswith(
        f"error: expected a checkpoint of at least 3 events (the last this witness cosigned "
        f"for '{origin}'), got 1\n"
    )


def test_migrating_to_a_store_that_holds_events_speaks_the_readers_language(
    home: Path, tmp_path: Path
) -> None:
    import shutil

    import psycopg

    from ledger.store.location import schema_of
    from tests.store.backends import POSTGRES_URL, PostgresBackend

    PostgresBackend().require()
    config = json.loads((home / "ledger.json").read_text(encoding="utf-8"))
    assert run(home, "checkpoint").exit_code == 0
    twin = tmp_path / "twin"
    shutil.copytree(home, twin)  # the same ledger in a second home
    try:
        assert run(home, "migrate", "--to", POSTGRES_URL).exit_code == 0
        chinese = run(twin, "--lang", "zh", "migrate", "--to", POSTGRES_URL)
        english = run(twin, "--lang", "en", "migrate", "--to", POSTGRES_URL)
    finally:
        schema = schema_of(UUID(config["ledger_id"]))
        with psycopg.connect(POSTGRES_URL, autocommit=True) as db:
            db.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'.encode())
    assert chinese.exit_code == english.exit_code == 2
    assert "中已有事件（直到存储行 1）；未写入任何内容。" in chinese.stderr
    assert "请删除该副本" in chinese.stderr and "然后重新运行 'ledger migrate'" in chinese.stderr
    assert "already holds events (up to storage row 1); nothing was written." in english.stderr
    assert json.loads((twin / "ledger.json").read_text(encoding="utf-8"))["store"] is None


def test_an_act_option_the_record_format_refuses_speaks_the_readers_language(home: Path) -> None:
    act = ("act", "member.register", "--name", "")
    chinese = run(home, "--lang", "zh", *act)
    english = run(home, "--lang", "en", *act)
    assert chinese.exit_code == english.exit_code == 2
    assert chinese.stderr == "错误：member.register：--name：至少应有 1 个字符\n"
    assert (
        english.stderr
        == "error: member.register: --name: String should have at least 1 character\n"
    )
