"""Coverage-guided fuzzing of the ledger's parsers of hostile input with atheris (libFuzzer).

Not run by the test suite (tests/fuzz/ holds the hypothesis tests that are). Each target feeds
the fuzzer's bytes to one parser; a ``LedgerError`` is the expected refusal, any other exception
is a crash that libFuzzer reports and saves (``crash-<sha1>``). Run it, in a venv that has the
project and atheris (a CPython 3.11 wheel exists for Linux x86-64: ``pip install atheris``):

    python fuzz/ledger_fuzz.py TARGET [CORPUS_DIR] [libFuzzer options]
    python fuzz/ledger_fuzz.py record_yaml fuzz/corpus/record_yaml -max_total_time=600 \\
        -rss_limit_mb=2048 -timeout=20

Targets: record_yaml, record_json (``ledger.record.document.parse_document``), record
(``decode_record`` and ``head_of`` on stored bytes), verify (the verifier over a small log whose
row 3 is replaced by the input), checkpoint (``parse_checkpoint`` and ``verify_checkpoint``),
proof (``witness.parse_proof``) and cosign (``Witness.cosign`` of the input as a checkpoint).
``-rss_limit_mb`` makes a memory blow-up a finding too. ``fuzz/README.md`` says more.
"""

from __future__ import annotations

import contextlib
import hashlib
import sys
from collections.abc import Callable
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from ledger.errors import LedgerError
    from ledger.integrity.checkpoint import parse_checkpoint, sign_checkpoint, verify_checkpoint
    from ledger.integrity.keys import SigningKey
    from ledger.integrity.merkle import MemoryTree
    from ledger.integrity.record import decode_record, head_of
    from ledger.integrity.verify import StoredRow, Verifier
    from ledger.integrity.witness import Witness, new_state, parse_proof
    from ledger.record.document import parse_document

ORIGIN = "ledger/5a0e3c8e-2f4b-4d6a-9c1e-7b3d2a1f0e95"
LOG_KEY = SigningKey.generate()
TREE = MemoryTree(hashlib.sha256(b"\x00" + bytes([i])).digest() for i in range(40))


def record_yaml(data: bytes) -> None:
    parse_document(data, "fuzz", is_json=False)


def record_json(data: bytes) -> None:
    parse_document(data, "fuzz", is_json=True)


def record(data: bytes) -> None:
    with contextlib.suppress(LedgerError):
        decode_record(data)
    head_of(data)


def _small_log() -> tuple[str, list[StoredRow]]:
    """A ledger of five events, made once in a temporary home."""
    import tempfile

    from ledger.store.home import LedgerHome
    from ledger.store.service import LedgerService

    home = LedgerHome(Path(tempfile.mkdtemp(prefix="ledger-fuzz-")) / "ledger")
    service = LedgerService.create(home, "Fuzz", passphrase=None)
    for name in ("张三", "李四", "王五", "赵六"):
        service.register_member(name)
    rows = [row for page in service.app.rows() for row in page]
    service.app.close()
    return service.config.genesis_key, rows


ANCHOR, ROWS = "", []  # filled by main() for the verify target


def verify(data: bytes) -> None:
    rows = [*ROWS[:2], StoredRow(3, ROWS[2].stream, 1, ROWS[2].topic, data), *ROWS[3:]]
    report = Verifier(anchor=ANCHOR, workers=1).verify(rows)
    if report.ok and data != ROWS[2].state:
        raise AssertionError("a changed row verified")


def checkpoint(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    verify_checkpoint(parse_checkpoint(text), LOG_KEY.key_id)


def proof(data: bytes) -> None:
    parse_proof(data.decode("utf-8", errors="replace"))


def cosign(data: bytes) -> None:
    witness_key = SigningKey.generate()
    witness = Witness(witness_key, new_state("w", witness_key.key_id, ORIGIN, LOG_KEY.key_id))
    witness.cosign(sign_checkpoint(ORIGIN, 9, TREE.root(9), LOG_KEY).text(), timestamp=1)
    witness.cosign(data.decode("utf-8", errors="replace"), timestamp=2)


TARGETS: dict[str, Callable[[bytes], None]] = {
    "record_yaml": record_yaml,
    "record_json": record_json,
    "record": record,
    "verify": verify,
    "checkpoint": checkpoint,
    "proof": proof,
    "cosign": cosign,
}


def main() -> None:
    global ANCHOR, ROWS
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(TARGETS)}}} [CORPUS] [libFuzzer options]")
    target = TARGETS[sys.argv.pop(1)]
    if target is verify:
        ANCHOR, ROWS = _small_log()

    def one_input(data: bytes) -> None:
        with contextlib.suppress(LedgerError):  # refused, as it should be
            target(data)

    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
