"""Hostile stored bytes: the record decoder takes random and mutated rows and either decodes them
or refuses them with a ``RecordDecodeError``; the verifier walks a log with one row changed
(a byte, a JSON value, a storage column, a row removed, repeated or moved) and reports a failure,
never an exception and never "intact".

The seal line is not hashed; since ``ledger.event/2`` the header's ``signers`` (hashed, and
signed by the record signature) says which act signatures it holds and in which order, so a
reordered, repeated or removed signature (a member's own signature taken off their vote or
opinion) is reported, as the last test pins (format 1 let all three pass).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from ledger.errors import LedgerError, RecordDecodeError
from ledger.integrity.canonical import canonical_bytes
from ledger.integrity.keys import SigningKey
from ledger.integrity.record import decode_record, head_of, read_record
from ledger.integrity.verify import Report, StoredRow, Verifier
from ledger.record.acts import RecordDocument
from ledger.store.home import LedgerHome
from ledger.store.service import LedgerService, read_checkpoint
from tests.fuzz.strategies import byte_edits, json_values

Draw = Callable[[st.SearchStrategy[Any]], Any]
FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LedgerService, list[Any]]]:
    """A small ledger and its rows: genesis, members, a member's act key (its registration
    carries two signatures), a second key revoked, and a body, a matter and research on it
    that the member signed (two signatures: the office's and the member's own)."""
    home = LedgerHome(Path(tmp_path_factory.mktemp("decoder")) / "ledger")
    service = LedgerService.create(home, "Fuzz County", passphrase=None)
    zhang = service.register_member("张三", "书记")
    key = SigningKey.generate()
    service.register_key(key, holder=str(zhang.id), purposes=("act",))
    spare = SigningKey.generate()
    service.register_key(spare, holder=str(zhang.id), purposes=("act",))
    service.revoke_key(spare.key_id, "lost")
    acts = [
        {
            "act": "body.establish",
            "as": "sc",
            "kind": "standing_committee",
            "name": "常委会",
            "members": [str(zhang.id)],
        },
        {
            "act": "matter.open",
            "as": "m",
            "title": "议题",
            "body": "sc",
            "in_charge": str(zhang.id),
        },
        {"act": "matter.research", "matter": "m", "by": str(zhang.id), "summary": "调研"},
    ]
    document = RecordDocument.model_validate({"acts": acts})
    service.record(document.acts, signers={zhang.id: key})
    rows = [row for page in service.app.rows() for row in page]
    yield service, rows
    service.app.close()


def decoded_or_refused(state: bytes) -> None:
    for decode in (decode_record, read_record):
        try:
            decode(state)
        except RecordDecodeError as e:
            assert str(e).strip()
    try:
        head_of(state)
    except RecordDecodeError as e:
        assert str(e).strip()


# --- the decoder ------------------------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=2000))
@example(b"[" * 100_000 + b"\n{}\n{}")
@example(b'{"seq":' + b"9" * 5000 + b"}\n{}\n{}")
@example(b"\n\n")
def test_random_bytes_decode_or_are_refused(state: bytes) -> None:
    decoded_or_refused(state)


@FUZZ
@given(st.data())
def test_edited_rows_decode_or_are_refused(
    ledger: tuple[LedgerService, list[StoredRow]], data: st.DataObject
) -> None:
    _, rows = ledger
    row = data.draw(st.sampled_from(rows))
    decoded_or_refused(data.draw(byte_edits(row.state)))


@FUZZ
@given(st.data())
def test_rows_with_a_changed_json_value_decode_or_are_refused(
    ledger: tuple[LedgerService, list[StoredRow]], data: st.DataObject
) -> None:
    _, rows = ledger
    row = data.draw(st.sampled_from(rows))
    decoded_or_refused(json_edit(row.state, data.draw))


# --- the verifier ---------------------------------------------------------------------------------


def json_edit(state: bytes, draw: Draw) -> bytes:
    """``state`` with one JSON value of one line replaced by a random value (or removed),
    written back canonically when it has a canonical form, else as ``json.dumps`` writes it."""
    lines = state.split(b"\n")
    which = draw(st.integers(0, 2))
    document = json.loads(lines[which])
    parent, key = _pick(document, draw)
    if draw(st.booleans()) and isinstance(parent, dict):
        del parent[key]
    else:
        parent[key] = draw(json_values)
    try:
        lines[which] = canonical_bytes(document)
    except LedgerError:
        lines[which] = json.dumps(document).encode()
    return b"\n".join(lines)


def _pick(document: Any, draw: Draw) -> tuple[Any, Any]:
    """A random (container, key or index) inside ``document``."""
    parent, key = document, draw(st.sampled_from(sorted(document)))
    while isinstance(parent[key], dict | list) and parent[key] and draw(st.booleans()):
        parent = parent[key]
        keys = sorted(parent) if isinstance(parent, dict) else list(range(len(parent)))
        key = draw(st.sampled_from(keys))
    return parent, key


def verify(service: LedgerService, rows: list[StoredRow]) -> Report:
    checkpoint = read_checkpoint(service.home.checkpoint_path)
    verifier = Verifier(anchor=service.config.genesis_key, checkpoints=[checkpoint], workers=1)
    return verifier.verify(rows)


def content(rows: list[StoredRow]) -> list[tuple[str, int, str, bytes]]:
    """What the log says, without the storage ids (which may have gaps)."""
    return [(r.stream, r.version, r.topic, r.state) for r in rows]


@st.composite
def changed_logs(draw: st.DrawFn, rows: list[StoredRow]) -> list[StoredRow]:
    """``rows`` with one change anywhere."""
    changed = list(rows)
    at = draw(st.integers(0, len(rows) - 1))
    row = rows[at]
    kind = draw(
        st.sampled_from(
            ["bytes", "json", "topic", "version", "stream", "delete", "repeat", "move", "tail"]
        )
    )
    if kind == "bytes":
        changed[at] = replace(row, state=draw(byte_edits(row.state)))
    elif kind == "json":
        changed[at] = replace(row, state=json_edit(row.state, draw))
    elif kind == "topic":
        changed[at] = replace(row, topic=draw(st.text(max_size=20)))
    elif kind == "version":
        changed[at] = replace(row, version=draw(st.integers(-5, 50)))
    elif kind == "stream":
        changed[at] = replace(row, stream=str(uuid4()))
    elif kind == "delete":
        del changed[at]
    elif kind == "repeat":
        changed.insert(at, row)
    elif kind == "move":
        to = draw(st.integers(0, len(rows) - 1))
        changed.insert(to, changed.pop(at))
    else:
        del changed[at:]
    return changed


@FUZZ
@given(st.data())
def test_a_log_with_any_change_is_reported_not_intact(
    ledger: tuple[LedgerService, list[StoredRow]], data: st.DataObject
) -> None:
    service, rows = ledger
    assert verify(service, rows).ok
    changed = data.draw(changed_logs(rows))
    assume(content(changed) != content(rows))
    report = verify(service, changed)
    assert not report.ok, "a changed log verified"
    assert report.failure is not None and report.failure.problem.strip()


# --- the seal's signature list, committed to by the header's signers (ledger.event/2) ----------


def _with_sigs(row: StoredRow, edit: Any) -> StoredRow:
    header, seal, body = row.state.split(b"\n")
    document = json.loads(seal)
    document["sigs"] = edit(document["sigs"])
    return replace(row, state=header + b"\n" + canonical_bytes(document) + b"\n" + body)


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        pytest.param(
            lambda sigs: sigs[::-1],
            r"^the record signature is signature 2 of the seal, expected first$",
            id="signatures reordered",
        ),
        pytest.param(
            lambda sigs: [*sigs, sigs[0]],
            r"^the seal holds 2 record signatures, expected one$",
            id="a signature repeated",
        ),
        pytest.param(
            lambda sigs: sigs[:1],
            r"^the header lists signer ed25519:\S+, but the seal has no act signature by it$",
            id="the actor's own signature removed",
        ),
    ],
)
def test_a_change_to_the_seals_signature_list_is_reported(
    ledger: tuple[LedgerService, list[StoredRow]], edit: Any, problem: str
) -> None:
    service, rows = ledger
    at = next(i for i, r in enumerate(rows) if r.topic == "matter.research_recorded")
    assert len(json.loads(rows[at].state.split(b"\n")[1])["sigs"]) == 2
    changed = [*rows[:at], _with_sigs(rows[at], edit), *rows[at + 1 :]]
    assert content(changed) != content(rows)
    report = verify(service, changed)
    assert report.failure is not None, "a changed signature list verified"
    assert report.failure.position == json.loads(rows[at].state.split(b"\n")[0])["seq"]
    assert re.match(problem, report.failure.problem), report.failure.problem
