"""``ledger witness``: a witness (见证方) that cosigns the ledger's checkpoints, C2SP
tlog-witness style, and keeps its own key and state in a directory of its own (docs/witnesses.md).

The witness needs no ledger: it reads a checkpoint file and a consistency proof (the output of
``ledger consistency OLD NEW --json``, or tlog-witness proof lines) and answers with the
checkpoint carrying its cosignature, or refuses (exit 1) and keeps the refused checkpoint as
evidence, with a misbehaviour report when it proves the ledger signed two histories (the report
``ledger verify-archive`` writes, docs/archive-format.md section 12). Its key's passphrase comes
from LEDGER_KEY_PASSPHRASE or a prompt, as a member's key's.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ledger.beijing_time import say_time
from ledger.cli.context import CliContext, pass_cli
from ledger.cli.options import json_option
from ledger.cli.render import emit_json, fields, ok, say
from ledger.i18n import message

if TYPE_CHECKING:
    from ledger.integrity.misbehaviour import Misbehaviour
    from ledger.integrity.witness import WitnessState

F = TypeVar("F", bound=Callable[..., Any])

STATE_FILE = "witness.json"
KEY_FILE = "witness.key"
LOCK_FILE = "witness.lock"
EVIDENCE_DIR = "evidence"
MAX_INPUT_BYTES = 1024 * 1024  # a checkpoint is a few hundred bytes; a proof, 63 hashes at most


def dir_option(function: F) -> F:
    """``--dir WDIR``: the witness's own directory (its key, state and evidence)."""
    return click.option(
        "--dir",
        "wdir",
        required=True,
        envvar="LEDGER_WITNESS_DIR",
        type=click.Path(file_okay=False, path_type=Path),
        help="The witness's directory: its key, its state and kept evidence. "
        "Also LEDGER_WITNESS_DIR.",
    )(function)


@click.group()
def witness() -> None:
    """Witness the ledger: cosign its checkpoints only when they extend what was cosigned.

    A witness (for example the discipline inspection commission) keeps its own key and, for
    each ledger, the last checkpoint it cosigned (C2SP tlog-witness). It cosigns a new one only
    when the ledger's key signed it and a consistency proof shows it extends, unchanged, the
    last: a ledger cannot rewrite its past, or show readers another log, past its witnesses.

    \b
    Set up:  ledger witness init --dir jw --name jw.example/w1 \\
                 --origin ledger/<id> --log-key ed25519:...
    Ledger:  ledger checkpoint --out cp.txt
             ledger consistency LAST SIZE --json > proof.json
    Cosign:  ledger witness cosign --dir jw cp.txt --proof proof.json --out cp-cosigned.txt
    """


@witness.command()
@dir_option
@click.option(
    "--name",
    required=True,
    help="The witness's name in its signature lines, a URL without scheme "
    "(e.g. jw.example.gov.cn/witness); no spaces or '+'.",
)
@click.option(
    "--origin",
    required=True,
    help="The ledger to witness: the first line of its checkpoints, ledger/<ledger id>.",
)
@click.option(
    "--log-key",
    required=True,
    metavar="KEY",
    help="The ledger's checkpoint key (ed25519:...), which must sign every checkpoint.",
)
@click.option("--unencrypted", is_flag=True, help="No passphrase (demos and tests only).")
@json_option
@pass_cli
def init(
    cli: CliContext,
    wdir: Path,
    name: str,
    origin: str,
    log_key: str,
    unencrypted: bool,
    as_json: bool,
) -> None:
    """Create a witness: its key, and its state for one ledger (nothing cosigned yet).

    The key's passphrase comes from LEDGER_KEY_PASSPHRASE or a prompt.
    """
    from ledger.cli.key import _key_passphrase
    from ledger.integrity.keys import SigningKey
    from ledger.integrity.witness import WitnessInputError, new_state

    if (wdir / STATE_FILE).exists() or (wdir / KEY_FILE).exists():
        raise WitnessInputError(
            message("en", "witness.exists", path=wdir),
            zh=message("zh", "witness.exists", path=wdir),
        )
    key = SigningKey.generate()
    state = new_state(name, key.key_id, origin, log_key)  # checked before anything is written
    wdir.mkdir(parents=True, exist_ok=True)
    key.save(wdir / KEY_FILE, None if unencrypted else _key_passphrase(wdir / KEY_FILE))
    state.save(wdir / STATE_FILE)
    if as_json:
        emit_json(_document(state))
        return
    ok(cli.t("witness.created", name=name, path=wdir))
    _show(cli, state)
    say(cli.t("witness.publish_key"))


@witness.command()
@dir_option
@click.argument("checkpoint_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--proof",
    "proof_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The consistency proof from the witness's last size to the checkpoint's: the output "
    "of `ledger consistency LAST SIZE --json`, or tlog-witness proof lines ('old N', then one "
    "base64 hash a line). Not needed for the first checkpoint, or one already cosigned.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the cosigned checkpoint to this file instead of printing it.",
)
@pass_cli
def cosign(
    cli: CliContext, wdir: Path, checkpoint_file: Path, proof_file: Path | None, out: Path | None
) -> None:
    """Check CHECKPOINT_FILE and cosign it (C2SP cosignature/v1).

    Refuses (exit 1) a checkpoint not signed by the ledger's key, smaller than the last one
    cosigned, of the same size with another root, or not proved to extend it; a refused
    checkpoint that the ledger did sign is kept under WDIR/evidence, with a misbehaviour report
    (misbehaviour-*.json) when it and the last one cosigned prove two histories. Exit 2 for a
    file that is missing or malformed, or a proof from another size than the witness's last.
    """
    from ledger.cli.key import load_key_file
    from ledger.integrity.witness import (
        CheckpointRefusedError,
        SubmittedProof,
        Witness,
        locked,
        parse_proof,
    )

    text = _read(cli, checkpoint_file)
    proof = parse_proof(_read(cli, proof_file)) if proof_file is not None else SubmittedProof()
    _load_state(cli, wdir)  # a clear error before the lock file is made in a wrong directory
    with locked(wdir / LOCK_FILE):
        witness = Witness(load_key_file(wdir / KEY_FILE), _load_state(cli, wdir))
        timestamp = int(time.time())
        try:
            cosigned = witness.cosign(text, proof, timestamp=timestamp)
        except CheckpointRefusedError as e:
            if e.evidence is not None:
                kept = _keep_evidence(wdir, e.evidence, timestamp)
                say(cli.t("witness.evidence", path=kept), err=True)
            if e.misbehaviour is not None:
                report = _keep_report(wdir, e.misbehaviour)
                say(cli.t("witness.misbehaviour", path=report), err=True)
            raise
        witness.state.save(wdir / STATE_FILE)  # persisted before the cosignature is handed out
    if out is None:
        say(cosigned.text().rstrip("\n"))
        return
    out.write_text(cosigned.text(), encoding="utf-8")
    ok(cli.t("witness.cosigned", size=cosigned.size, origin=cosigned.origin, path=out))


@witness.command()
@dir_option
@json_option
@pass_cli
def show(cli: CliContext, wdir: Path, as_json: bool) -> None:
    """Show the witness: its name, key and verifier key, and for each ledger the last checkpoint
    it cosigned."""
    state = _load_state(cli, wdir)
    if as_json:
        emit_json(_document(state))
        return
    _show(cli, state)


def _load_state(cli: CliContext, wdir: Path) -> WitnessState:
    from ledger.integrity.witness import WitnessInputError, WitnessState

    path = wdir / STATE_FILE
    if not path.is_file():
        raise WitnessInputError(
            message("en", "witness.none", path=wdir), zh=message("zh", "witness.none", path=wdir)
        )
    return WitnessState.load(path)


def _read(cli: CliContext, path: Path) -> str:
    """A file's text; a missing, unreadable, oversized or non-UTF-8 file is bad input (exit 2)."""
    from ledger.integrity.witness import WitnessInputError

    try:
        with open(path, "rb") as f:
            data = f.read(MAX_INPUT_BYTES + 1)  # bounded: these files may come from the log
    except OSError as e:
        raise WitnessInputError(
            message("en", "error.cannot_read", path=path, reason=e.strerror),
            zh=message("zh", "error.cannot_read", path=path, reason=e.strerror),
        ) from e
    if len(data) > MAX_INPUT_BYTES:
        raise WitnessInputError(
            message("en", "error.too_large", path=path, limit=MAX_INPUT_BYTES),
            zh=message("zh", "error.too_large", path=path, limit=MAX_INPUT_BYTES),
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise WitnessInputError(
            message("en", "error.not_valid", path=path, format="UTF-8 text", error=e),
            zh=message("zh", "error.not_valid", path=path, format="UTF-8 文本", error=e),
        ) from e


def _keep_evidence(wdir: Path, note: str, timestamp: int) -> Path:
    """Keep a refused, log-signed checkpoint: with the one the state holds, it shows what the
    ledger claimed (two roots for one size, signed by the same key, prove a split view)."""
    return _keep(wdir, (f"refused-{timestamp}-{n}.txt" for n in _counting()), note)


def _keep_report(wdir: Path, misbehaviour: Misbehaviour) -> Path:
    """Keep the misbehaviour report of a refusal, as ``ledger verify-archive`` writes it
    (docs/archive-format.md section 12), under its standard name, numbered if taken."""
    stem = misbehaviour.file_name().removesuffix(".json")
    names = (f"{stem}.json" if n == 0 else f"{stem}-{n}.json" for n in _counting())
    document = json.dumps(misbehaviour.to_json(), ensure_ascii=False, indent=2) + "\n"
    return _keep(wdir, names, document)


def _counting() -> Iterator[int]:
    n = 0
    while True:
        yield n
        n += 1


def _keep(wdir: Path, names: Iterator[str], text: str) -> Path:
    """Write ``text`` to the first of ``names`` not taken in WDIR/evidence, whole or not at
    all: written beside, then linked under its name (which fails, rather than replaces, when
    the name is taken), so kept evidence is never overwritten or left half-written."""
    directory = wdir / EVIDENCE_DIR
    directory.mkdir(exist_ok=True)
    temporary = directory / f".keep.{os.getpid()}.tmp"
    try:
        with open(temporary, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        for name in names:
            path = directory / name
            try:
                os.link(temporary, path)
            except FileExistsError:
                continue
            return path
        raise AssertionError("unreachable: the names never run out")
    finally:
        temporary.unlink(missing_ok=True)


def _document(state: WitnessState) -> dict[str, Any]:
    from ledger.integrity.digest import to_digest
    from ledger.integrity.witness import cosignature_verifier_key

    return {
        "name": state.name,
        "key": state.key_id,
        "verifier_key": cosignature_verifier_key(state.name, state.key_id),
        "logs": [
            {
                "origin": log.origin,
                "log_key": log.log_key,
                "size": log.size,
                "root": to_digest(log.root),
                "cosigned_at": log.cosigned_at,
            }
            for log in state.logs
        ],
    }


def _show(cli: CliContext, state: WitnessState) -> None:
    document = _document(state)
    rows = [
        (cli.t("field.witness"), state.name),
        (cli.t("field.key"), state.key_id),
        (cli.t("field.verifier_key"), document["verifier_key"]),
    ]
    for log in document["logs"]:
        cosigned_at = log["cosigned_at"]
        rows += [
            (cli.t("field.log"), log["origin"]),
            (cli.t("field.log_key"), log["log_key"]),
            (cli.t("field.size"), str(log["size"])),
            (cli.t("field.tree_head"), log["root"]),
            (
                cli.t("field.cosigned_at"),
                cli.t("witness.never") if cosigned_at is None else _utc(cli, cosigned_at),
            ),
        ]
    fields(rows, colon=cli.colon)


def _utc(cli: CliContext, seconds: int) -> str:
    """POSIX seconds as a time for people (Beijing time, the zone said), or as the number when
    no calendar date has it."""
    try:
        return say_time(cli.lang, datetime.fromtimestamp(seconds, UTC))
    except (OverflowError, ValueError, OSError):
        return str(seconds)
