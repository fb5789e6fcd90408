"""Which keys may sign a checkpoint: one valid for checkpoints after the events it covers."""

from __future__ import annotations

import base64

import pytest

from ledger.integrity.keys import KEY_ID_PREFIX, public_key_bytes
from ledger.store.service import LedgerService


def test_a_rotated_out_key_cannot_sign_a_later_checkpoint(service: LedgerService) -> None:
    old = service.home.load_key(service.config.genesis_key, None)
    service.rotate_office_key(None)
    service.register_member("王建国")
    forged, _ = service.app.checkpoint(old)
    report = service.verify(checkpoints=[forged], use_home_checkpoint=False)
    assert report.failure is not None
    assert report.failure.problem == (
        f"checkpoint at size {forged.size} is not signed by a checkpoint key"
    )
    assert service.verify().ok  # the home checkpoint, signed by the new key, is fine


def test_a_checkpoint_the_old_key_signed_before_rotation_stays_valid(
    service: LedgerService, tmp_path: object
) -> None:
    service.register_member("王建国")
    old = service.home.load_key(service.config.genesis_key, None)
    earlier, _ = service.app.checkpoint(old)
    service.rotate_office_key(None)
    service.register_member("李明")
    assert service.verify(checkpoints=[earlier]).ok


def test_a_key_id_has_one_spelling() -> None:
    raw = bytes(range(32))
    canonical = KEY_ID_PREFIX + base64.b64encode(raw).decode()
    assert public_key_bytes(canonical) == raw
    # the last base64 character carries 2 unused bits: flip one for a second spelling
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    body = canonical[len(KEY_ID_PREFIX) :].rstrip("=")
    other = body[:-1] + alphabet[alphabet.index(body[-1]) ^ 1] + "="
    assert base64.b64decode(other) == raw
    with pytest.raises(ValueError, match="not in canonical base64"):
        public_key_bytes(KEY_ID_PREFIX + other)


def test_the_home_checkpoint_never_moves_backwards(service: LedgerService) -> None:
    service.register_member("王建国")
    older, older_tree = service.app.checkpoint(service.checkpoint_key)  # type: ignore[arg-type]
    service.register_member("李明")
    newest = service.home.checkpoint_path.read_text()
    stored = service.home.write_checkpoint(
        older.text(), older_tree.size, older_tree.row, older_tree.peaks
    )
    assert stored is False
    assert service.home.checkpoint_path.read_text() == newest
