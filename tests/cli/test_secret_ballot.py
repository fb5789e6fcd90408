"""A secret ballot (无记名投票) keeps only the tally: no output of the ledger, in any form or
language, ties a member to a choice.

The county example's meeting votes by secret ballot, recorded from record files with every
detail the format allows for it (method, for, against, abstain, invalid, ballots cast, the
announcement's reasons, the minutes). Before that, the office tries to record the same vote with
each member's choice (``ballots``): refused, nothing written, and the refusal does not repeat
the choices. Then every output is searched for a member named beside a choice: the stored rows,
the read index, and ``log``, ``trace``, ``archive``, ``history``, ``person`` (every member),
``findings`` and ``replay``, as JSON and as tables, in English and Chinese.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from ledger.cli.main import cli

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "county.yaml"
MATTER = "县城供水管网改造方案"
LATER = "2099-01-01"
MEMBERS = {"wang": "王建国", "li": "李明", "zhang": "张华", "zhao": "赵敏", "zhou": "周洁"}
# What each member "really" chose, as the refused attempt tried to record it.
CHOICES = {"wang": "for", "li": "for", "zhou": "for", "zhang": "against", "zhao": "abstain"}
CHOICE_WORDS = {
    "for": (r"\bfor\b", "赞成"),
    "against": (r"\bagainst\b", "反对"),
    "abstain": (r"\babstain", "弃权"),
}


def run(home: Path, *args: str, lang: str = "en") -> Result:
    result = CliRunner().invoke(
        cli, ["--home", str(home), "--lang", lang, *args], env={"LANG": "C.UTF-8"}
    )
    assert "Traceback" not in result.stdout + result.stderr
    return result


def rows(home: Path) -> list[bytes]:
    with sqlite3.connect(home / "ledger.sqlite") as db:
        return [bytes(r[0]) for r in db.execute("SELECT state FROM stored_events ORDER BY rowid")]


class Secret:
    """The ledger, the ids of its members, and the refused attempt's outputs."""

    def __init__(self, home: Path, ids: dict[str, str], refused: list[tuple[str, Result]]) -> None:
        self.home = home
        self.ids = ids
        self.refused = refused

    def names(self, alias: str) -> list[str]:
        """How an output may name a member: name, id, and the alias used in the files."""
        return [MEMBERS[alias], self.ids[alias], alias]


@pytest.fixture(scope="module")
def secret(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Secret]:
    tmp = tmp_path_factory.mktemp("secret")
    home = tmp / "county"
    assert run(home, "init", "--name", "XX县委", "--unencrypted").exit_code == 0
    acts = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["acts"]
    cut = next(i for i, act in enumerate(acts) if act["act"] == "meeting.vote")
    before = [a for a in acts[:cut] if a["act"] not in ("meeting.opinion", "meeting.written_view")]
    for act in before:
        if act["act"] == "meeting.open":  # all five present, so five ballots are cast
            act["present"] = list(MEMBERS)
            act.pop("absent")
    first = tmp / "before.yaml"
    first.write_text(yaml.safe_dump({"acts": before}, allow_unicode=True), encoding="utf-8")
    recorded = run(home, "record", str(first), "--json")
    assert recorded.exit_code == 0, recorded.stderr
    aliases = json.loads(recorded.stdout)["aliases"]
    ids = {alias: aliases[alias] for alias in MEMBERS}
    vote = {
        "act": "meeting.vote",
        "meeting": aliases["m1"],
        "item": aliases["water"],
        "method": "secret_ballot",
        "for": 3,
        "against": 1,
        "abstain": 1,
        "invalid": 0,
        "ballots_cast": 5,
        "at": "2026-02-24T09:40:00+08:00",
    }
    ballots = [{"member": ids[m], "choice": c} for m, c in CHOICES.items()]

    # The attempt to record who voted how: by record file (YAML and JSON), and by `ledger act`.
    count = len(rows(home))
    refused: list[tuple[str, Result]] = []
    attempt = tmp / "attempt.yaml"
    attempt.write_text(yaml.safe_dump({"acts": [{**vote, "ballots": ballots}]}), encoding="utf-8")
    as_json = tmp / "attempt.json"
    as_json.write_text(json.dumps({"acts": [{**vote, "ballots": ballots}]}), encoding="utf-8")
    for lang in ("en", "zh"):
        refused.append((lang, run(home, "record", str(attempt), lang=lang)))
        refused.append((lang, run(home, "record", str(as_json), "--json", lang=lang)))
        refused.append(
            (
                lang,
                run(
                    home,
                    "act",
                    "meeting.vote",
                    *("--meeting", aliases["m1"], "--item", aliases["water"]),
                    *(
                        "--method",
                        "secret_ballot",
                        "--for",
                        "3",
                        "--against",
                        "1",
                        "--abstain",
                        "1",
                    ),
                    *(arg for b in ballots for arg in ("--ballots", json.dumps(b))),
                    lang=lang,
                ),
            )
        )
    assert len(rows(home)) == count

    rest = [
        vote,
        {"act": "meeting.announce", "meeting": aliases["m1"], "item": aliases["water"],
         "outcome": "adopted", "by": ids["wang"], "reasons": "票数超过应到会成员半数，当场宣布通过",
         "at": "2026-02-24T09:41:00+08:00"},
        {"act": "meeting.close", "meeting": aliases["m1"], "at": "2026-02-24T11:00:00+08:00"},
        {"act": "meeting.minutes", "meeting": aliases["m1"], "by": ids["zhou"],
         "at": "2026-02-26T16:00:00+08:00"},
    ]  # fmt: skip
    second = tmp / "vote.yaml"
    second.write_text(yaml.safe_dump({"acts": rest}, allow_unicode=True), encoding="utf-8")
    assert run(home, "record", str(second)).exit_code == 0
    yield Secret(home, ids, refused)


def leaks(secret: Secret, text: str) -> list[str]:
    """Lines of ``text`` that name a member beside the choice the attempt gave them."""
    found = []
    for line in text.splitlines():
        for alias, choice in CHOICES.items():
            english, chinese = CHOICE_WORDS[choice]
            named = any(name in line for name in secret.names(alias))
            if named and (re.search(english, line) or chinese in line):
                found.append(line)
    return found


def json_leaks(secret: Secret, document: Any) -> list[Any]:
    """Objects in a JSON document that name a member and carry their choice, or any ballots."""
    found: list[Any] = []
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if value.get("ballots") or "choice" in value:
                found.append(value)
            words = [v for v in value.values() if isinstance(v, str)]
            text = " | ".join(words)
            for alias, choice in CHOICES.items():
                english, chinese = CHOICE_WORDS[choice]
                named = any(name in words for name in secret.names(alias))
                if named and (re.search(english, text) or chinese in text):
                    found.append(value)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return found


def parts_voted(text: str, lang: str) -> list[str]:
    """Lines of a person's parts (the table before their findings) that say they voted."""
    from ledger.i18n import message

    parts = re.split(r"finding\(s\) naming them|个问题", text)[0]
    return [line for line in parts.splitlines() if message(lang, "role.voted") in line]


# --- the refused attempt ----------------------------------------------------------------------


REFUSAL = {
    "en": "a secret ballot (无记名投票) records the tally only, never who voted how",
    "zh": "无记名投票只记录计票结果，不记录每人如何投票",
}


def test_recording_who_voted_how_in_a_secret_ballot_is_refused(secret: Secret) -> None:
    for lang, result in secret.refused:
        assert result.exit_code == 2, result.stdout + result.stderr
        assert REFUSAL[lang] in result.stderr


def test_the_refusal_does_not_repeat_the_choices(secret: Secret) -> None:
    for _, result in secret.refused:
        output = result.stdout + result.stderr
        for alias in CHOICES:
            for name in secret.names(alias):
                assert name not in output, (name, output)
        for choice in ("against", "abstain", '"for"', "反对", "弃权", "赞成"):
            assert choice not in output, (choice, output)


# --- what is kept -----------------------------------------------------------------------------


def test_the_stored_rows_hold_the_tally_and_no_ballot(secret: Secret) -> None:
    stored = rows(secret.home)
    votes = [state for state in stored if b'"type":"meeting.vote_taken"' in state]
    assert len(votes) == 1
    payload = json.loads(votes[0].split(b"\n")[2])["payload"]
    assert payload["method"] == "secret_ballot" and payload["ballots"] == []
    assert (payload["votes_for"], payload["votes_against"], payload["abstentions"]) == (3, 1, 1)
    for alias in CHOICES:
        assert secret.ids[alias].encode() not in votes[0]
    assert not [state for state in stored if b'"choice"' in state]


def test_the_read_index_holds_no_choice(secret: Secret) -> None:
    run(secret.home, "log")  # the index is up to date
    raw = b"".join(
        path.read_bytes() for path in secret.home.iterdir() if path.name.startswith("index.sqlite")
    )
    assert b'"choice"' not in raw and b"ballots" not in raw
    with sqlite3.connect(secret.home / "index.sqlite") as db:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in names:
            for row in db.execute(f'SELECT * FROM "{table}"'):
                text = " ".join(str(cell) for cell in row)
                assert not leaks(secret, text), (table, row)


OUTPUTS = [
    ("log",),
    ("trace", MATTER, "--as-of", LATER),
    ("archive", MATTER, "--as-of", LATER),
    ("history", MATTER, "--as-of", LATER),
    ("findings", "--as-of", "2099-01-01T00:00:00+08:00"),
    ("replay", "--until", LATER),
    *[("person", name, "--as-of", LATER) for name in MEMBERS.values()],
]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("args", OUTPUTS, ids=lambda args: " ".join(args[:2]))
def test_no_output_ties_a_member_to_a_choice(secret: Secret, args: tuple[str, ...], lang: str):
    table = run(secret.home, *args, lang=lang)
    assert table.exit_code == 0, table.stderr
    assert not leaks(secret, table.stdout + table.stderr)
    if args[0] == "person":  # the member's own view names them once, in its heading
        assert not parts_voted(table.stdout, lang)
    document = run(secret.home, *args, "--json", lang=lang)
    assert document.exit_code == 0, document.stderr
    assert not json_leaks(secret, json.loads(document.stdout))
    assert not leaks(secret, document.stdout)


def test_the_trace_shows_the_tally_and_no_voter(secret: Secret) -> None:
    trace = json.loads(run(secret.home, "trace", MATTER, "--as-of", LATER, "--json").stdout)
    (decision,) = trace["decisions"]
    assert decision["method"] == "secret_ballot"
    assert (decision["votes_for"], decision["votes_against"], decision["abstentions"]) == (3, 1, 1)
    voted = [r for r in trace["roles"] if r["role"].startswith("voted")]
    assert [r["role"] for r in voted] == ["voted (secret ballot: tally only)"]
    assert not voted[0].get("member") and voted[0]["detail"] == "3 for, 1 against, 1 abstaining"
    for name in MEMBERS.values():
        person = json.loads(run(secret.home, "person", name, "--as-of", LATER, "--json").stdout)
        assert not json_leaks(secret, person)
        assert "voted" not in json.dumps(person)
