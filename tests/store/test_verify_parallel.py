"""Verification on all cores names the same first failure as verification on one."""

from __future__ import annotations

import base64
import sqlite3
from uuid import uuid4

import pytest

from ledger.domain.events import OFFICE
from ledger.domain.member import Member, MemberRegistered
from ledger.integrity.verify import PARALLEL_THRESHOLD
from ledger.store.service import LedgerService


def add_members(service: LedgerService, count: int, batch: int = 200) -> None:
    app = service.app
    for start in range(0, count, batch):
        members = []
        for n in range(start, min(start + batch, count)):
            member_id = uuid4()
            payload = MemberRegistered(name=f"member {n}")
            envelope = app.envelope(
                member_id, Member.Registered, payload, actor=OFFICE, occurred_at=None
            )
            members.append(Member.register(member_id, payload, envelope))
        app.store(*members)


def corrupt_signature(service: LedgerService, rowid: int) -> None:
    path = service.home.sqlite_path
    with sqlite3.connect(path) as db:
        (state,) = db.execute(
            "SELECT state FROM stored_events WHERE rowid = ?", (rowid,)
        ).fetchone()
        header, seal, body = state.split(b"\n")
        start = seal.index(b'"sig":"') + len(b'"sig":"')
        raw = bytearray(base64.b64decode(seal[start : start + 88]))
        raw[10] ^= 0x01
        seal = seal[:start] + base64.b64encode(bytes(raw)) + seal[start + 88 :]
        db.execute(
            "UPDATE stored_events SET state = ? WHERE rowid = ?",
            (b"\n".join((header, seal, body)), rowid),
        )


@pytest.mark.slow
def test_parallel_and_serial_verification_name_the_same_bad_signature(
    sqlite_service: LedgerService,
) -> None:
    service = sqlite_service
    add_members(service, PARALLEL_THRESHOLD + 1500)
    assert service.verify(workers=2).ok
    corrupt_signature(service, 3001)
    corrupt_signature(service, 5001)
    parallel = service.verify(workers=2)
    serial = service.verify(workers=1)
    for report in (parallel, serial):
        assert report.failure is not None
        assert report.failure.position == 3001
        assert report.failure.row == 3001
        assert report.failure.type == "member.registered"
        assert report.failure.problem == "signature does not verify"
