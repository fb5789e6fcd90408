"""Verification throughput: ``LedgerService.verify`` on one worker and on every core, against the
raw cryptography the verification cannot avoid, measured in the same run on one core.

Raw cost: one SHA-256 leaf hash over each stored header and one Ed25519 verification per stored
signature, in a tight loop over bytes read beforehand (public keys loaded once; act-signature
messages prepared outside the timed loop). For context, the bare eventsourcing read of the same
rows (``select_notifications``, 1,000 per page) is timed too.

    .venv/bin/python bench/verify.py [--events 20000] [--postgres-url URL]
    .venv/bin/python bench/verify.py --profile     # where verify's time goes (workers=1)

Target: verify on every core >= 0.6 x the raw rate on one core (docs/performance.md).
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import hashlib
import json
import os
import pstats
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import uuid4

from append import print_profile, print_selected
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from stores import DEFAULT_POSTGRES_URL, SQLITE, Backend, backends, new_ledger
from timing import Measurement, Timing, best_of, print_machine, row, timed, timed_cpu

from ledger.domain.events import OFFICE
from ledger.domain.member import Member, MemberRegistered
from ledger.integrity.canonical import canonical_bytes, parse_json
from ledger.integrity.digest import commit_payload, leaf_hash
from ledger.integrity.keys import load_public_key, verify_signature
from ledger.integrity.record import (
    ROLE_RECORD,
    act_message,
    act_of_header,
    decode_record,
    record_message,
)
from ledger.integrity.verify import CHUNK, PARALLEL_THRESHOLD, StoredRow
from ledger.store.service import LedgerService

TARGET = 0.6  # verify rate on every core / raw crypto rate on one core
BATCH = 100
PAGE = 1000
TITLE = "Deputy Director of the General Office"


def build(service: LedgerService, events: int) -> None:
    """Fill a new ledger up to ``events`` events (genesis included), 100 per save."""
    app = service.app
    count = app.count_rows()
    while count < events:
        members = []
        for i in range(min(BATCH, events - count)):
            member_id = uuid4()
            payload = MemberRegistered(name=f"Member {count + i}", title=TITLE)
            envelope = app.envelope(
                member_id, Member.Registered, payload, actor=OFFICE, occurred_at=None
            )
            members.append(Member.register(member_id, payload, envelope))
        app.store(*members)
        count += len(members)
    service.publish_checkpoint()


def read_rows(service: LedgerService) -> list[StoredRow]:
    return [r for page in service.app.rows() for r in page]


SignatureCheck = tuple[Ed25519PublicKey, bytes, bytes | None]  # key, signature, act message


def crypto_inputs(rows: list[StoredRow]) -> list[tuple[bytes, list[SignatureCheck]]]:
    """Per event: the stored header bytes and its signatures (record messages are computed in
    the timed loop from the hash; act messages need canonical JSON, so they are made here)."""
    keys: dict[str, Ed25519PublicKey] = {}
    inputs = []
    for r in rows:
        header_bytes, seal_bytes, _ = r.state.split(b"\n")
        checks: list[SignatureCheck] = []
        for s in json.loads(seal_bytes)["sigs"]:
            key = keys.get(s["key"]) or keys.setdefault(s["key"], load_public_key(s["key"]))
            message = None
            if s["role"] != ROLE_RECORD:
                message = act_message(act_of_header(json.loads(header_bytes)))
            checks.append((key, base64.b64decode(s["sig"]), message))
        inputs.append((header_bytes, checks))
    return inputs


def raw_crypto(inputs: list[tuple[bytes, list[SignatureCheck]]]) -> int:
    """The loop that is timed: SHA-256 leaf hash and Ed25519 verifications, nothing else."""
    signatures = 0
    for header_bytes, checks in inputs:
        event_hash = hashlib.sha256(b"\x00" + header_bytes).digest()
        for key, sig, message in checks:
            key.verify(sig, message if message is not None else record_message(event_hash))
            signatures += 1
    return signatures


def bare_read(service: LedgerService) -> int:
    """eventsourcing's own read of every row, a page at a time."""
    recorder = service.app.recorder
    start, count = None, 0
    while True:
        page = recorder.select_notifications(start, PAGE, inclusive_of_start=False)
        if not page:
            return count
        count += len(page)
        start = page[-1].id


def verify_once(service: LedgerService, workers: int, events: int) -> Timing:
    """Time one full verification (the home checkpoint included); CPU is this process's only,
    so with workers > 1 it is the sequential walk without the signature checks."""
    reports = []
    timing = timed_cpu(lambda: reports.append(service.verify(workers=workers)))
    report = reports[0]
    if not report.ok or report.events != events:
        raise SystemExit(f"verification failed or incomplete: {report.to_json()['failure']}")
    return timing


@dataclass
class VerifyFigures:
    """One ledger's verification figures."""

    backend: str
    events: int
    cores: int
    one_worker: Measurement
    all_workers: Measurement
    raw: Measurement
    read: Measurement

    @property
    def ratio(self) -> float:
        return self.all_workers.rate / self.raw.rate


def measure(backend: Backend, events: int, runs: int) -> VerifyFigures:
    cores = os.cpu_count() or 1
    with new_ledger(backend) as service:
        build_seconds = timed(lambda: build(service, events))
        print(
            f"{backend.name}, {events} events (built in {build_seconds:.1f} s, "
            f"{BATCH} per save), best of {runs}:"
        )
        rows = read_rows(service)
        inputs = crypto_inputs(rows)
        signatures = sum(len(c) for _, c in inputs)
        figures = VerifyFigures(
            backend.name,
            events,
            cores,
            one_worker=best_of(
                "verify, workers=1", events, runs, lambda: verify_once(service, 1, events)
            ),
            all_workers=best_of(
                f"verify, workers={cores}",
                events,
                runs,
                lambda: verify_once(service, cores, events),
            ),
            raw=best_of("raw", events, runs, lambda: timed_cpu(lambda: raw_crypto(inputs))),
            read=best_of("read", events, runs, lambda: timed_cpu(lambda: bare_read(service))),
        )
    f = figures
    print(row("bare eventsourcing read (select_notifications)", f.read.rate, f.read.spread()))
    print(row(f"raw crypto, 1 core ({signatures} signatures)", f.raw.rate, f.raw.spread()))
    print(row("LedgerService.verify(workers=1)", f.one_worker.rate, f.one_worker.spread()))
    print(row(f"LedgerService.verify(workers={cores})", f.all_workers.rate, f.all_workers.spread()))
    verdict = "met" if f.ratio >= TARGET else "MISSED"
    walk = f.all_workers.cpu_us
    if walk is not None and cores > 1 and events >= PARALLEL_THRESHOLD:
        print(
            f"  with workers={cores} the main process spends {walk:,.0f} us CPU per event "
            f"(read + sequential walk): at most {1e6 / walk:,.0f} events/s however many cores"
        )
    print(
        f"  ratio verify/raw: workers=1 {f.one_worker.rate / f.raw.rate:.2f}, "
        f"workers={cores} {f.ratio:.2f} (target >= {TARGET}: {verdict})"
    )
    if events < PARALLEL_THRESHOLD:
        print(f"  note: below {PARALLEL_THRESHOLD} rows verify does not start worker processes")
    print()
    return figures


def run(events: int, store: str, url: str, runs: int) -> list[VerifyFigures]:
    return [measure(backend, events, runs) for backend in backends(store, url)]


# --- where the time goes --------------------------------------------------------------------


def _per_event_us(label: str, rows: list[StoredRow], work: Callable[[StoredRow], object]) -> None:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for r in rows:
            work(r)
        best = min(best, time.perf_counter() - start)
    print(f"  {label:58} {best / len(rows) * 1e6:8.1f} us")


def component_costs(rows: list[StoredRow]) -> None:
    """Microseconds per event of each step of the walk, timed in isolation over the rows."""
    records = {r.row: decode_record(r.state) for r in rows}
    keys: dict[str, Ed25519PublicKey] = {}

    def cached_verify(r: StoredRow) -> None:
        rec = records[r.row]
        s = rec.signatures[0]
        key = keys.get(s.key) or keys.setdefault(s.key, load_public_key(s.key))
        key.verify(s.sig, record_message(leaf_hash(rec.header_bytes)))

    def seal_of(r: StoredRow) -> dict[str, object]:
        rec = records[r.row]
        return {"hash": rec.hash, "sigs": [s.to_json() for s in rec.signatures]}

    steps: list[tuple[str, Callable[[StoredRow], object]]] = [
        ("decode_record (3 JSON parses + shape checks)", lambda r: decode_record(r.state)),
        (
            "  of which parse_json of the 3 lines (duplicate-key hook)",
            lambda r: [parse_json(line) for line in r.state.split(b"\n")],
        ),
        (
            "  for scale: json.loads of the 3 lines, no hook",
            lambda r: [json.loads(line) for line in r.state.split(b"\n")],
        ),
        (
            "canonical_bytes(header) (re-encode check)",
            lambda r: canonical_bytes(records[r.row].header),
        ),
        ("canonical_bytes(seal) (re-encode check)", lambda r: canonical_bytes(seal_of(r))),
        ("canonical_bytes(body) (re-encode check)", lambda r: canonical_bytes(records[r.row].body)),
        (
            "payload: canonical_bytes + commit_payload",
            lambda r: commit_payload(
                bytes.fromhex(records[r.row].body["salt"]),
                canonical_bytes(records[r.row].body["payload"]),
            ),
        ),
        ("leaf_hash(header bytes)", lambda r: leaf_hash(records[r.row].header_bytes)),
        (
            "verify_signature(key id, ...) (loads the key each time)",
            lambda r: verify_signature(
                records[r.row].signatures[0].key,
                records[r.row].signatures[0].sig,
                record_message(leaf_hash(records[r.row].header_bytes)),
            ),
        ),
        ("Ed25519 verify with the key loaded once", cached_verify),
        (
            "  for scale: load_public_key(key id) alone",
            lambda r: load_public_key(records[r.row].signatures[0].key),
        ),
    ]
    print(f"Component costs of verify, microseconds per event ({len(rows)} events, best of 3):")
    for label, work in steps:
        _per_event_us(label, rows, work)
    print()


SELECTED_VERIFY = [
    ("verify.py", "verify", "Verifier.verify (everything)"),
    ("application.py", "rows", "LedgerApplication.rows (the read)"),
    ("verify.py", "step", "_Walk.step (sequential checks)"),
    ("record.py", "decode_record", "  decode_record"),
    ("canonical.py", "parse_json", "    parse_json"),
    ("canonical.py", "canonical_bytes", "  canonical_bytes (header, seal, body, payload)"),
    ("canonical.py", "_check_numbers", "    of which _check_numbers"),
    ("verify.py", "_signatures", "  _signatures (key rules, queue tasks)"),
    ("verify.py", "check_signatures", "check_signatures (step 8)"),
    ("keys.py", "load_public_key", "  load_public_key (per signature)"),
    (
        "~",
        "<method 'verify' of 'cryptography.hazmat.bindings._rust.openssl.ed25519."
        "Ed25519PublicKey' objects>",
        "  Ed25519 verify",
    ),
]


def profile(events: int) -> None:
    """Component costs, then cProfile of verify with workers=1 (all in this process)."""
    with new_ledger(Backend(SQLITE)) as service:
        build(service, events)
        rows = read_rows(service)
        component_costs(rows)
        profiler = cProfile.Profile()
        profiler.enable()
        service.verify(workers=1)
        profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    print(
        f"cProfile, LedgerService.verify(workers=1), SQLite, {events} events "
        f"({total / events * 1e6:.0f} us per event under the profiler):"
    )
    print_profile(stats, events, 20)
    print_selected(stats, events, SELECTED_VERIFY)
    print(
        f"With workers > 1 (and >= {PARALLEL_THRESHOLD} rows) this process does everything but "
        f"check_signatures, which goes to the pool in chunks of {CHUNK} tasks."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--events", type=int, default=20000, help="events in the ledger (genesis included)"
    )
    parser.add_argument("--store", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the best is kept")
    parser.add_argument(
        "--profile", action="store_true", help="profile verify (workers=1, SQLite) instead"
    )
    args = parser.parse_args(argv)
    print(f"bench/verify.py, {datetime.now(UTC):%Y-%m-%d}")
    print_machine()
    if args.profile:
        profile(args.events)
        return 0
    run(args.events, args.store, args.postgres_url, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
