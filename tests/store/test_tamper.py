"""Named attacks on the stored bytes, each done with raw SQL on a real store, each one detected.

One contract (:class:`TamperContract`), run on SQLite and on PostgreSQL. Every test starts from
the same small ledger (:func:`fill`) and edits ``stored_events`` the way someone with write access
to the database would: a byte, a column, a whole row, the order of rows, the tail. The report must
name the first bad event (its position and storage row) and say what is wrong with it.
"""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from ledger.domain.events import OFFICE
from ledger.domain.member import Member, MemberRegistered
from ledger.errors import ConcurrentWriteError
from ledger.integrity.canonical import canonical_bytes
from ledger.integrity.digest import leaf_hash
from ledger.integrity.keys import SigningKey
from ledger.integrity.verify import Report
from ledger.store.service import LedgerService, read_checkpoint
from tests.store.backends import (
    PostgresBackend,
    RawRow,
    RawStore,
    SQLiteBackend,
    StoreContract,
)

SIZE = 6  # events in the filled ledger
BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
RECORD_CONTEXT = b"ledger.event.v1\n"  # docs/format.md: what the recording office signs


@dataclass(frozen=True)
class Filled:
    """What :func:`fill` recorded: positions 1 to 6 of the log."""

    member_id: UUID  # position 2, member.registered "张三"
    member_key: SigningKey  # position 3, key.registered for acts (two signatures)


def fill(service: LedgerService) -> Filled:
    """Genesis (1), four members (2, 4, 5, 6) and a member's act key (3), each with a
    checkpoint published to the home."""
    zhang = service.register_member("张三", "书记")
    member_key = SigningKey.generate()
    service.register_key(member_key, holder=str(zhang.id), purposes=("act",))
    for name in ("李四", "王五", "赵六"):
        service.register_member(name)
    return Filled(zhang.id, member_key)


def at_position(raw: RawStore, position: int) -> RawRow:
    """The stored row whose header says ``seq`` is ``position``."""
    for row in raw.rows():
        if json.loads(row.state.split(b"\n", 1)[0])["seq"] == position:
            return row
    raise LookupError(f"no stored event at position {position}")


def resealed(state: bytes, key: SigningKey) -> bytes:
    """``state`` with its record signature replaced by ``key``'s, made the way the recording
    office makes one: Ed25519 over the context and the 32-byte event hash. Act signatures stay."""
    header, seal_line, body = state.split(b"\n")
    seal = json.loads(seal_line)
    signature = key.sign(RECORD_CONTEXT + leaf_hash(header))
    seal["sigs"] = [
        {"role": "record", "key": key.key_id, "sig": base64.b64encode(signature).decode()},
        *(s for s in seal["sigs"] if s["role"] != "record"),
    ]
    return header + b"\n" + canonical_bytes(seal) + b"\n" + body


def with_sigs(state: bytes, edit: Callable[[list[Any]], list[Any]]) -> bytes:
    """``state`` with its seal's list of signatures edited; header and body as stored."""
    header, seal_line, body = state.split(b"\n")
    seal = json.loads(seal_line)
    seal["sigs"] = edit(seal["sigs"])
    return header + b"\n" + canonical_bytes(seal) + b"\n" + body


def with_signers(state: bytes, signers: list[str], key: SigningKey | None = None) -> bytes:
    """``state`` with its header's ``signers`` replaced, the seal as stored; with ``key``, the
    event hash recomputed and the record signature remade by ``key`` (an insider holding the
    office key), the act signatures kept."""
    header_line, seal_line, body = state.split(b"\n")
    header = json.loads(header_line)
    header["signers"] = signers
    header_line = canonical_bytes(header)
    if key is None:
        return header_line + b"\n" + seal_line + b"\n" + body
    seal = json.loads(seal_line)
    seal["hash"] = "sha256:" + leaf_hash(header_line).hex()
    return resealed(header_line + b"\n" + canonical_bytes(seal) + b"\n" + body, key)


def failed(report: Report) -> tuple[int, int | None, str]:
    """Position, row and problem of a report's failure (the test fails if there is none)."""
    assert not report.ok, "tampering went undetected"
    assert report.failure is not None
    return report.failure.position, report.failure.row, report.failure.problem


def one_byte_edits(state: bytes, rng: random.Random) -> Iterator[tuple[str, int, int]]:
    """(line, offset, new byte) edits of one stored record: sampled offsets in each of its three
    lines, first and last byte included, two replacements each; and, in every base64 signature,
    each of its last characters moved to the next in the alphabet (where the unused low bits of
    the final character sit, so a lax decoder reads the same signature)."""
    start = 0
    for name, line in zip(("header", "seal", "body"), state.split(b"\n"), strict=True):
        offsets = {0, len(line) - 1, *rng.sample(range(len(line)), min(12, len(line)))}
        for offset in sorted(offsets):
            old = state[start + offset]
            yield name, start + offset, old ^ 0x01
            yield name, start + offset, rng.choice([b for b in range(256) if b != old])
        start += len(line) + 1
    seal_start = state.index(b"\n") + 1
    seal = json.loads(state.split(b"\n")[1])
    for sig in seal["sigs"]:
        end = state.index(sig["sig"].encode(), seal_start) + len(sig["sig"].rstrip("="))
        for offset in range(end - 3, end):
            char = chr(state[offset])
            yield "seal", offset, ord(BASE64[(BASE64.index(char) + 1) % 64])


class TamperContract(StoreContract):
    """Every attack on the stored bytes is detected and located, on any store."""

    @pytest.fixture
    def filled(self, service: LedgerService) -> Filled:
        return fill(service)

    # --- the untouched log -------------------------------------------------------------------

    def test_filled_ledger_verifies(self, service: LedgerService, filled: Filled) -> None:
        report = service.verify()
        assert report.ok, report.failure
        assert report.events == SIZE
        assert [c["size"] for c in report.checkpoints] == [SIZE]

    # --- changed bytes -----------------------------------------------------------------------

    def test_any_one_byte_change_is_detected_at_or_before_its_event(
        self, service: LedgerService, raw: RawStore, filled: Filled
    ) -> None:
        rng = random.Random(20260312)
        missed: list[str] = []
        late: list[str] = []
        edits = 0
        for position in (1, 3, 4, SIZE):  # genesis, two signatures, plain, newest
            row = at_position(raw, position)
            for line, offset, new in one_byte_edits(row.state, rng):
                edited = bytearray(row.state)
                edited[offset] = new
                raw.set_state(row.row, bytes(edited))
                report = service.verify()
                raw.set_state(row.row, row.state)
                edits += 1
                what = f"event {position} {line} byte {offset} {row.state[offset]:#04x}->{new:#04x}"
                if report.ok:
                    missed.append(what)
                elif report.failure is not None and report.failure.position > position:
                    late.append(f"{what}: reported at {report.failure.position}")
        assert edits > 300
        assert not missed, f"{len(missed)} of {edits} one-byte changes went undetected: {missed}"
        assert not late, f"reported after the changed event: {late}"
        assert service.verify().ok

    def test_changed_payload_field_breaks_its_commitment(
        self, service: LedgerService, raw: RawStore, filled: Filled
    ) -> None:
        row = at_position(raw, 2)
        header, seal, body_line = row.state.split(b"\n")
        body = json.loads(body_line)
        body["payload"]["name"] = "李鬼"
        raw.set_state(row.row, header + b"\n" + seal + b"\n" + canonical_bytes(body))

        position, stored_row, problem = failed(service.verify())

        assert (position, stored_row) == (2, row.row)
        assert problem == "payload does not match its commitment"

    def test_changed_topic_column_is_detected(
        self, service: LedgerService, raw: RawStore, filled: Filled
    ) -> None:
        row = at_position(raw, 4)
        raw.set_topic(row.row, "key.revoked")

        position, stored_row, problem = failed(service.verify())

        assert (position, stored_row) == (4, row.row)
        assert problem == "storage says type 'key.revoked', header says 'member.registered'"

    def test_changed_version_column_is_detected(
        self, service: LedgerService, raw: RawStore, filled: Filled
    ) -> None:
        row = at_position(raw, 4)
        raw.set_version(row.row, 2)

        position, stored_row, problem = failed(service.verify())

        assert (position, stored_row) == (4, row.row)
        assert problem == (
            f"storage says stream {row.originator_id} version 2, "
            f"header says stream {row.originator_id} version 1"
        )

    def test_state_that_does_not_decode_is_named_by_position_and_row(
        self, service: LedgerService, raw: RawStore, filled: Filled
    ) -> None:
        row = at_position(raw, 4)
        raw.set_state(row.row, random.Random(4).randbytes(300))

        report = service.verify()
        position, stored_row, problem = failed(report)

        assert (position, stored_row) == (4, row.row)
        assert report.failure is not None
        assert report.failure.stream == str(row.originator_id)
        assert problem.startswith("stored bytes do not decode: ")

    # --- removed, added and reordered rows ---------------------------------------------------

    def test_deleted_middle_event_is_missing(
        self, service: LedgerService, raw: RawStore, filled: Filled
    ) -> None:
        gone, next_row = at_position(raw, 4), at_position(raw, 5)
        raw.delete(gone.row)

        position, stored_row, problem = failed(service.verify(use_home_checkpoint=False))

        assert (position, stored_row) == (4, next_row.row)
        assert problem == "event 4 is missing (found 5 next)"

    def test_copied_row_appended_at_the_end_is_detected(
        self, service: LedgerService, raw: RawStore, filled: Filled
    ) -> None:
        original = at_position(raw, 4)
        forged = raw.insert(original.originator_id, 2, original.topic, original.state)

        position, stored_row, problem = failed(service.verify())

        assert (position, stored_row) == (SIZE + 1, forged)
        assert problem == (
            f"storage says stream {original.originator_id} version 2, "
            f"header says stream {original.originator_id} version 1"
        )

    def test_record_appended_by_a_forger_with_an_unregistered_key(
        self, service: LedgerService, raw: RawStore, filled: Filled
    ) -> None:
        forger = SigningKey.generate()
        with self.backend.writer(service, forger) as app:
            app.register_member("冒名者")
        forged = at_position(raw, SIZE + 1)

        position, stored_row, problem = failed(service.verify())

        assert (position, stored_row) == (SIZE + 1, forged.row)
        assert problem == f"signed with unregistered key {forger.key_id}"

    def test_swapped_events_are_detected(
        self, service: LedgerService, raw: RawStore, filled: Filled
    ) -> None:
        fourth, fifth = at_position(raw, 4), at_position(raw, 5)
        raw.swap(fourth.row, fifth.row)

        position, stored_row, problem = failed(service.verify())

        assert (position, stored_row) == (4, fourth.row)
        assert problem == "event 4 is missing (found 5 next)"

    def test_truncated_tail_passes_without_a_checkpoint(
        self, service: LedgerService, raw: RawStore, filled: Filled
    ) -> None:
        raw.delete(at_position(raw, 5).row, at_position(raw, 6).row)

        report = service.verify(use_home_checkpoint=False)

        assert report.ok, report.failure
        assert report.events == 4

    def test_truncated_tail_is_detected_against_the_home_checkpoint(
        self, service: LedgerService, raw: RawStore, filled: Filled
    ) -> None:
        raw.delete(at_position(raw, 5).row, at_position(raw, 6).row)

        position, stored_row, problem = failed(service.verify())

        assert (position, stored_row) == (5, None)
        assert problem == (
            "the log ends at 4 events, but a signed checkpoint covers 6: events 5 to 6 were removed"
        )

    def test_truncated_tail_is_detected_against_a_checkpoint_the_verifier_holds(
        self, service: LedgerService, raw: RawStore, filled: Filled, tmp_path: Path
    ) -> None:
        held = tmp_path / "held-checkpoint.txt"
        held.write_bytes(service.home.checkpoint_path.read_bytes())
        raw.delete(at_position(raw, 5).row, at_position(raw, 6).row)
        service.home.checkpoint_path.unlink()  # the intruder removes the home's evidence too

        assert service.verify().ok
        report = service.verify(checkpoints=[read_checkpoint(held)])
        position, stored_row, problem = failed(report)

        assert (position, stored_row) == (5, None)
        assert problem.endswith("events 5 to 6 were removed")

    # --- the seal's list of signatures (committed to by the header's signers) ----------------

    def test_removed_act_signature_is_detected(
        self, service: LedgerService, raw: RawStore, filled: Filled
    ) -> None:
        row = at_position(raw, 3)
        raw.set_state(row.row, with_sigs(row.state, lambda sigs: sigs[:1]))

        position, stored_row, problem = failed(service.verify())

        assert (position, stored_row) == (3, row.row)
        assert problem == (
            f"the header lists signer {filled.member_key.key_id}, "
            "but the seal has no act signature by it"
        )

    def test_duplicated_act_signature_is_detected(
        self, service: LedgerService, raw: RawStore, filled: Filled
    ) -> None:
        row = at_position(raw, 3)
        raw.set_state(row.row, with_sigs(row.state, lambda sigs: [*sigs, sigs[1]]))

        position, stored_row, problem = failed(service.verify())

        assert (position, stored_row) == (3, row.row)
        assert problem == (
            f"act signature by {filled.member_key.key_id} appears 2 times, expected once"
        )

    def test_record_signature_moved_after_the_act_signature_is_detected(
        self, service: LedgerService, raw: RawStore, filled: Filled
    ) -> None:
        row = at_position(raw, 3)
        raw.set_state(row.row, with_sigs(row.state, lambda sigs: [sigs[1], sigs[0]]))

        position, stored_row, problem = failed(service.verify())

        assert (position, stored_row) == (3, row.row)
        assert problem == "the record signature is signature 2 of the seal, expected first"

    def test_signer_listed_in_the_header_without_a_signature_is_detected(
        self, service: LedgerService, raw: RawStore, filled: Filled
    ) -> None:
        # An insider with the office key claims that the member signed an act of the office:
        # header, hash and record signature all agree, but no act signature is there.
        office_key = service.app.recorder.sealer.key  # type: ignore[attr-defined]
        row = at_position(raw, SIZE)
        raw.set_state(row.row, with_signers(row.state, [filled.member_key.key_id], office_key))

        position, stored_row, problem = failed(service.verify(use_home_checkpoint=False))

        assert (position, stored_row) == (SIZE, row.row)
        assert problem == (
            f"the header lists signer {filled.member_key.key_id}, "
            "but the seal has no act signature by it"
        )

    def test_edited_signers_in_the_header_break_the_event_hash(
        self, service: LedgerService, raw: RawStore, filled: Filled
    ) -> None:
        # The act signature and its key leave both the seal and the header's signers, so the
        # list agrees with the header; the header's bytes no longer give the stored hash.
        row = at_position(raw, 3)
        edited = with_signers(with_sigs(row.state, lambda sigs: sigs[:1]), [])
        raw.set_state(row.row, edited)

        position, stored_row, problem = failed(service.verify())

        assert (position, stored_row) == (3, row.row)
        stored = json.loads(row.state.split(b"\n")[1])["hash"]
        computed = "sha256:" + leaf_hash(edited.split(b"\n")[0]).hex()
        assert problem == f"stored hash {stored}, computed {computed}"

    # --- keys --------------------------------------------------------------------------------

    def test_event_resealed_by_a_never_registered_key(
        self, service: LedgerService, raw: RawStore, filled: Filled
    ) -> None:
        stranger = SigningKey.generate()
        row = at_position(raw, 4)
        raw.set_state(row.row, resealed(row.state, stranger))

        position, stored_row, problem = failed(service.verify())

        assert (position, stored_row) == (4, row.row)
        assert problem == f"signed with unregistered key {stranger.key_id}"

    def test_event_resealed_by_a_key_registered_only_later(
        self, service: LedgerService, raw: RawStore, filled: Filled
    ) -> None:
        clerk = SigningKey.generate()
        service.register_key(clerk, holder=OFFICE, purposes=("record",))  # position 7
        row = at_position(raw, 2)
        raw.set_state(row.row, resealed(row.state, clerk))

        position, stored_row, problem = failed(service.verify())

        assert (position, stored_row) == (2, row.row)
        assert problem == f"key {clerk.key_id} is registered only at position {SIZE + 1}"

    def test_event_sealed_by_a_revoked_key(
        self, service: LedgerService, raw: RawStore, filled: Filled
    ) -> None:
        clerk = SigningKey.generate()
        service.register_key(clerk, holder=OFFICE, purposes=("record",))  # position 7
        with self.backend.writer(service, clerk) as app:
            app.register_member("钱七")  # position 8: valid, the clerk is in office
            service.revoke_key(clerk.key_id, "the clerk left the office")  # position 9
            app.register_member("孙八")  # position 10: after the revocation
        late = at_position(raw, SIZE + 4)

        position, stored_row, problem = failed(service.verify())

        assert (position, stored_row) == (SIZE + 4, late.row)
        assert problem == f"key {clerk.key_id} was revoked at position {SIZE + 3}"

    def test_event_sealed_by_a_member_key_without_the_record_purpose(
        self, service: LedgerService, raw: RawStore, filled: Filled
    ) -> None:
        with self.backend.writer(service, filled.member_key) as app:
            app.register_member("周九")
        forged = at_position(raw, SIZE + 1)

        position, stored_row, problem = failed(service.verify())

        assert (position, stored_row) == (SIZE + 1, forged.row)
        assert problem == f"key {filled.member_key.key_id} is not registered for 'record'"

    def test_different_trusted_key_rejects_the_genesis(
        self, service: LedgerService, raw: RawStore, filled: Filled
    ) -> None:
        trusted = SigningKey.generate().key_id

        position, stored_row, problem = failed(service.verify(trusted_key=trusted))

        assert (position, stored_row) == (1, at_position(raw, 1).row)
        assert problem == (
            f"genesis ledger key is {service.config.genesis_key}, but the trusted key is {trusted}"
        )

    # --- atomic batches ----------------------------------------------------------------------

    def test_batch_with_a_failing_event_writes_nothing(
        self, service: LedgerService, raw: RawStore, filled: Filled
    ) -> None:
        app = service.app
        before = raw.rows()
        payload = MemberRegistered(name="吴十")
        fresh_id = uuid4()
        fresh = Member.register(
            fresh_id,
            payload,
            app.envelope(fresh_id, Member.Registered, payload, actor=OFFICE, occurred_at=None),
        )
        # The second aggregate claims version 1 of a stream that already has it.
        clash = Member.register(
            filled.member_id,
            payload,
            app.envelope(
                filled.member_id, Member.Registered, payload, actor=OFFICE, occurred_at=None
            ),
        )

        with pytest.raises(ConcurrentWriteError, match="nothing was written"):
            app.store(fresh, clash)

        assert raw.rows() == before
        assert service.verify().ok
        service.register_member("郑十一")  # the next write attaches to the unchanged head
        report = service.verify()
        assert report.ok, report.failure
        assert report.events == SIZE + 1


class TestTamperSQLite(TamperContract):
    backend = SQLiteBackend()


@pytest.mark.postgres
class TestTamperPostgres(TamperContract):
    backend = PostgresBackend()
