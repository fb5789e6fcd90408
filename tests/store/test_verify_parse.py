"""The verifier parses stored lines without a duplicate-key hook; re-encoding catches them."""

from __future__ import annotations

import sqlite3

from ledger.store.service import LedgerService


def test_a_duplicate_key_in_a_stored_header_is_caught(sqlite_service: LedgerService) -> None:
    sqlite_service.register_member("王建国")
    with sqlite3.connect(sqlite_service.home.sqlite_path) as db:
        (state,) = db.execute("SELECT state FROM stored_events WHERE rowid = 2").fetchone()
        header, seal, body = state.split(b"\n")
        doubled = header.replace(b'{"actor":"office"', b'{"actor":"x","actor":"office"')
        db.execute(
            "UPDATE stored_events SET state = ? WHERE rowid = 2",
            (b"\n".join((doubled, seal, body)),),
        )
    report = sqlite_service.verify()
    assert report.failure is not None
    assert (report.failure.position, report.failure.problem) == (
        2,
        "header is not in canonical JSON form",
    )


def test_a_duplicate_key_in_a_stored_body_is_caught(sqlite_service: LedgerService) -> None:
    sqlite_service.register_member("王建国")
    with sqlite3.connect(sqlite_service.home.sqlite_path) as db:
        (state,) = db.execute("SELECT state FROM stored_events WHERE rowid = 2").fetchone()
        header, seal, body = state.split(b"\n")
        doubled = body.replace(b'{"payload":', b'{"payload":{"name":"x"},"payload":', 1)
        db.execute(
            "UPDATE stored_events SET state = ? WHERE rowid = 2",
            (b"\n".join((header, seal, doubled)),),
        )
    report = sqlite_service.verify()
    assert report.failure is not None
    assert (report.failure.position, report.failure.problem) == (
        2,
        "body is not in canonical JSON form",
    )
