"""Hostile record files: random structures and bytes, deep nesting, huge strings and integers,
anchors and aliases, duplicate keys, invalid UTF-8, and random edits of the documented example,
in YAML and JSON. Each is either a valid document or refused with a ``LedgerError`` that says
why; ``ledger record`` on one exits 2 (or 1) with the message, writes nothing, and a file built
to exhaust memory or time is refused within bounds (docs/record-format.md, "Hostile files").
"""

from __future__ import annotations

import json
import sqlite3
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ledger.cli.main import cli
from ledger.errors import InputError, LedgerError
from ledger.record.acts import RecordDocument
from ledger.record.document import (
    MAX_DEPTH,
    MAX_DOCUMENT_BYTES,
    MAX_VALUES,
    RecordFormatError,
    parse_document,
    read_document,
)
from tests.fuzz.strategies import byte_edits, documents

EXAMPLE = (Path(__file__).parents[2] / "docs" / "examples" / "county.yaml").read_bytes()
EXAMPLE_JSON = json.dumps(yaml.safe_load(EXAMPLE), ensure_ascii=False, default=str).encode()
MIB = 1024 * 1024
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parsed_or_refused(raw: bytes, *, is_json: bool) -> RecordDocument | LedgerError:
    """The document, or the LedgerError refusing it; any other exception fails the test."""
    try:
        return parse_document(raw, "fuzz", is_json=is_json)
    except LedgerError as e:
        assert str(e).strip(), f"{type(e).__name__} without a message"
        return e


def yaml_text(value: object) -> bytes:
    return yaml.safe_dump(value, allow_unicode=True).encode()


# --- the parser ---------------------------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=3000), st.booleans())
@example(b"[" * 100_000 + b"]" * 100_000, True)
@example(b"acts: " + b"9" * 5000, False)
@example(b"acts: 2026-13-01", False)
@example(b"acts: [\xff\xfe]", False)
def test_random_bytes_are_parsed_or_refused(raw: bytes, is_json: bool) -> None:
    parsed_or_refused(raw, is_json=is_json)


@FUZZ
@given(documents, st.booleans())
def test_random_structures_are_parsed_or_refused(document: object, is_json: bool) -> None:
    raw = json.dumps(document).encode() if is_json else yaml_text(document)
    parsed_or_refused(raw, is_json=is_json)


@FUZZ
@given(st.data())
def test_random_edits_of_the_example_are_parsed_or_refused(data: st.DataObject) -> None:
    is_json = data.draw(st.booleans())
    raw = data.draw(byte_edits(EXAMPLE_JSON if is_json else EXAMPLE))
    parsed_or_refused(raw, is_json=is_json)


def nesting(shape: str, depth: int) -> bytes:
    """A document nested ``depth`` deep, in one of five shapes."""
    if shape == "JSON arrays":
        return b"[" * depth + b"]" * depth
    if shape == "JSON objects":
        return b'{"a":' * depth + b"1" + b"}" * depth
    if shape == "YAML flow":
        return b"{a: " * depth + b"1" + b"}" * depth
    if shape == "YAML block sequences":
        return "\n".join("  " * i + "-" for i in range(depth)).encode()
    return "\n".join("  " * i + "a:" for i in range(depth)).encode()  # block mappings


@pytest.mark.parametrize("depth", [1, 31, 32, 33, 100, 999, 1000, 1001, 5000, 100_000])
@pytest.mark.parametrize(
    "shape",
    ["JSON arrays", "JSON objects", "YAML flow", "YAML block sequences", "YAML block mappings"],
)
def test_deep_nesting_is_refused_not_a_crash(shape: str, depth: int) -> None:
    if shape.startswith("YAML block") and depth > 5000:
        pytest.skip("over 16 MiB of indentation")
    result = parsed_or_refused(nesting(shape, depth), is_json=shape.startswith("JSON"))
    if depth > MAX_DEPTH:
        assert isinstance(result, InputError), result


@FUZZ
@given(
    st.text(alphabet="abcxyz", min_size=1, max_size=4),
    st.lists(st.sampled_from(["anchor", "alias", "both"]), min_size=1, max_size=3),
)
def test_anchors_and_aliases_are_refused(name: str, places: list[str]) -> None:
    lines = ["acts:", "  - act: member.register", "    name: n"]
    for place in places:
        if place in ("anchor", "both"):
            lines.insert(1, f"  - &{name} {{act: member.register, name: x}}")
        if place in ("alias", "both"):
            lines.append(f"  - *{name}")
    result = parsed_or_refused("\n".join(lines).encode(), is_json=False)
    assert isinstance(result, RecordFormatError)
    assert "anchors and aliases are not allowed" in str(result)


def test_a_billion_laughs_is_refused_before_it_expands() -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    lines.append("acts: [*a9]")
    with pytest.raises(RecordFormatError, match="line 1: YAML anchors and aliases"):
        parse_document("\n".join(lines).encode())


@pytest.mark.parametrize(
    ("raw", "is_json", "problem"),
    [
        (b'{"acts": [], "acts": [{"act": "member.register", "name": "x"}]}', True, "'acts'"),
        (b"acts:\n- {act: meeting.vote, for: 3, for: 4}\n", False, "line 2: 'for'"),
        (b"acts:\n- act: member.register\n  name: a\n  name: b\n", False, "line 4: 'name'"),
    ],
)
def test_a_key_given_twice_is_refused(raw: bytes, is_json: bool, problem: str) -> None:
    """A reader of the file must see the value recorded, not one a later duplicate overrides."""
    with pytest.raises(RecordFormatError, match=f"{problem}.* appears twice"):
        parse_document(raw, is_json=is_json)


def test_a_merge_key_is_refused() -> None:
    raw = b"acts:\n- <<: {act: member.register, name: a}\n  name: b\n"
    with pytest.raises(RecordFormatError, match="line 2: YAML merge keys are not allowed"):
        parse_document(raw)


@pytest.mark.parametrize(
    ("raw", "is_json", "problem"),
    [
        (b"acts: " + b"9" * 5000, False, "not YAML: Exceeds the limit"),
        (b'{"acts": ' + b"9" * 5000 + b"}", True, "not JSON: Exceeds the limit"),
        (b"acts: 2026-13-01", False, "not YAML: month must be in 1..12"),
        (b"acts: [\xff]", False, "not UTF-8 text"),
        (b'{"acts": [{"act": "member.register", "name": "\\ud800"}]}', True, "valid string"),
    ],
)
def test_values_no_model_can_hold_are_refused(raw: bytes, is_json: bool, problem: str) -> None:
    with pytest.raises(RecordFormatError, match=problem):
        parse_document(raw, is_json=is_json)


# --- bounds: memory and time ------------------------------------------------------------------


HOSTILE = {
    "a 16 MiB YAML string": (
        b"acts:\n- {act: member.register, name: '" + b"x" * (16 * MIB - 64) + b"'}\n",
        False,
    ),
    "16 MiB of YAML flow values": (b"acts: [" + b"1," * (8 * MIB - 8) + b"1]", False),
    "16 MiB of YAML block values": (b"acts:\n" + b"- 1\n" * (4 * MIB - 4), False),
    "16 MiB of JSON values": (b'{"acts":[' + b"1," * (8 * MIB - 8) + b"1]}", True),
    "16 MiB of JSON objects": (b'{"acts":[' + b"{}," * (5 * MIB) + b"{}]}", True),
    "a 16 MiB JSON string": (b'{"acts":["' + b"x" * (16 * MIB - 16) + b'"]}', True),
    "an unterminated JSON string of escapes": (b'["' + b'\\"' * (8 * MIB - 4), True),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_file_built_to_exhaust_memory_is_refused_within_bounds(name: str) -> None:
    raw, is_json = HOSTILE[name]
    assert len(raw) <= MAX_DOCUMENT_BYTES
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(RecordFormatError):
            parse_document(raw, is_json=is_json)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 20
    assert peak < 6 * len(raw), f"{peak / MIB:.0f} MiB for a {len(raw) / MIB:.0f} MiB file"


def test_errors_at_the_value_limit_cost_bounded_memory() -> None:
    """Every value can be a validation error: at the limit, a file of nothing but errors."""
    raw = b'{"acts":[' + b"1," * (MAX_VALUES - 3) + b"1]}"
    tracemalloc.start()
    try:
        with pytest.raises(RecordFormatError, match=r"(?s)acts\[0\].*and \d+ more"):
            parse_document(raw, is_json=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 256 * MIB


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with open(path, "wb") as f:
        f.truncate(MAX_DOCUMENT_BYTES + 1)  # sparse: nothing to read if it were read
    with pytest.raises(InputError, match=f"a record file may have {MAX_DOCUMENT_BYTES}"):
        read_document(path)


# --- ledger record: exit codes, and nothing written ---------------------------------------------


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A ledger holding the documented example."""
    home = tmp_path_factory.mktemp("fuzz") / "county"
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["--home", str(home), "init", "--name", "X", "--unencrypted"]).exit_code
        == 0
    )
    example = home.parent / "county.yaml"
    example.write_bytes(EXAMPLE)
    assert runner.invoke(cli, ["--home", str(home), "record", str(example)]).exit_code == 0
    yield home


def rows(home: Path) -> int:
    with sqlite3.connect(home / "ledger.sqlite") as db:
        (count,) = db.execute("SELECT count(*) FROM stored_events").fetchone()
    return int(count)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.data())
def test_ledger_record_refuses_hostile_files_and_writes_nothing(
    county: Path, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    kind = data.draw(st.sampled_from(["bytes", "structure", "edit"]))
    is_json = data.draw(st.booleans())
    if kind == "bytes":
        raw = data.draw(st.binary(max_size=2000))
    elif kind == "structure":
        document = data.draw(documents)
        raw = json.dumps(document).encode() if is_json else yaml_text(document)
    else:
        raw = data.draw(byte_edits(EXAMPLE_JSON if is_json else EXAMPLE))
    path = tmp_path_factory.mktemp("doc") / ("doc.json" if is_json else "doc.yaml")
    path.write_bytes(raw)
    before = rows(county)
    result = CliRunner().invoke(cli, ["--home", str(county), "record", str(path), "--json"])
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "internal error" not in output, output
    if result.exit_code == 0:  # a valid document that the ledger accepted
        assert rows(county) == before + json.loads(result.stdout)["events"]
        return
    assert result.exit_code in (1, 2), (result.exit_code, output)
    assert result.stderr.startswith("error: ") and len(result.stderr.strip()) > len("error: ")
    assert rows(county) == before


def test_the_ledger_still_verifies_after_the_fuzzing(county: Path) -> None:
    result = CliRunner().invoke(cli, ["--home", str(county), "verify"])
    assert result.exit_code == 0, result.stdout
