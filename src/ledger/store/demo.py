"""The demo ledger: a county committee's roster and keys (the decision lifecycle comes next).

Members and posts follow ../shared/domain.md; every member holds a personal key that signs its
own registration. One office clerk's key is registered and later revoked; the ledger key is
rotated once. Keys are unencrypted: this ledger is for trying the tool.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ledger.integrity.keys import SigningKey
from ledger.store.home import LedgerHome
from ledger.store.service import LedgerService

ROSTER = (
    ("王建国", "书记 (secretary)"),
    ("李明", "县长 (county head, deputy secretary)"),
    ("张华", "专职副书记 (full-time deputy secretary)"),
    ("赵敏", "纪委书记 (discipline inspection)"),
    ("陈刚", "组织部长 (organisation)"),
    ("刘芳", "宣传部长 (propaganda)"),
    ("孙强", "政法委书记 (political-legal affairs)"),
    ("周洁", "秘书长 (secretary-general)"),
    ("吴涛", "统战部长 (united front)"),
    ("郑伟", "常务副县长 (executive deputy county head)"),
    ("𠀀林", "常委 (member, a rare character in the name)"),
)


def build_demo(directory: Path) -> dict[str, Any]:
    """Build the demo ledger in ``directory`` and verify it."""
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    home = LedgerHome(directory)
    service = LedgerService.create(
        home, "示范县委员会 (Demo County Committee)", passphrase=None, occurred_at=start
    )
    keys = 1
    for index, (name, title) in enumerate(ROSTER):
        when = start + timedelta(hours=index + 1)
        member = service.register_member(name, title, occurred_at=when)
        member_key = SigningKey.generate()
        member_key.save(directory / "member-keys" / f"{index + 1:02d}.key", None)
        service.register_key(member_key, holder=str(member.id), purposes=("act",), occurred_at=when)
        keys += 1
    clerk = SigningKey.generate()
    service.register_key(clerk, holder="office", purposes=("record",), label="office clerk")
    service.revoke_key(clerk.key_id, "clerk left the general office")
    service.rotate_office_key(None)
    keys += 2
    report = service.verify()
    return {
        "events": report.events,
        "members": len(ROSTER),
        "keys": keys,
        "verified": report.ok,
    }
