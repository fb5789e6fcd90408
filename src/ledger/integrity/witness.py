"""Witness cosignatures of checkpoints: C2SP tlog-cosignature (https://c2sp.org/tlog-cosignature,
``cosignature/v1``) and the witness behaviour of C2SP tlog-witness (https://c2sp.org/tlog-witness).

A **witness** (见证方), for example the discipline inspection commission (纪委), holds its own
Ed25519 key and cosigns a checkpoint of the ledger only after checking that it extends, unchanged,
the last checkpoint it cosigned for that log. A reader who requires the witness's cosignature
then knows the ledger showed the witness the history it shows the reader: it cannot rewrite its
past, or keep two logs for two audiences (a split view), without the witness refusing.

Formats (tlog-cosignature, "Format" and "Ed25519 signed message"):

* key hash: ``SHA-256(name || 0x0A || 0x04 || 32-byte public key)[:4]`` (0x04, not signed-note's
  0x01: a cosignature key can never pass as a note key, nor the reverse);
* signed message: ``"cosignature/v1" 0x0A "time " <decimal T> 0x0A`` || the checkpoint body;
* signature line: ``— <name> base64(key hash || u64 big-endian T || 64-byte Ed25519 signature)``.

The witness keeps, per origin, the log's key and the size and root of the last checkpoint it
cosigned (:class:`WitnessState`, a JSON file it owns, replaced atomically); :meth:`Witness.cosign`
runs the checks of tlog-witness ``add-checkpoint`` in order. Time is a parameter throughout.
When it refuses a log-signed checkpoint that contradicts the one it cosigned last, the refusal
carries a :class:`~ledger.integrity.misbehaviour.Misbehaviour`: the self-contained report
``ledger verify-archive`` writes (docs/archive-format.md section 12).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import struct
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

from ledger.errors import CheckpointFormatError, InputError, IntegrityError, zh_text
from ledger.integrity.checkpoint import (
    MAX_TREE_SIZE,
    Checkpoint,
    NoteSignature,
    parse_checkpoint,
    verify_checkpoint,
)
from ledger.integrity.digest import digest_bytes, to_digest
from ledger.integrity.keys import SigningKey, public_key_bytes, verify_signature
from ledger.integrity.merkle import (
    EMPTY_TREE_HASH,
    HASH_SIZE,
    ProofError,
    implied_old_root,
    verify_consistency,
)
from ledger.integrity.misbehaviour import (
    Misbehaviour,
    UnprovenMisbehaviourError,
    find_misbehaviour,
)

COSIGNATURE_ALGORITHM = b"\x04"  # tlog-cosignature: key ID algorithm byte of Ed25519 cosignatures
COSIGNATURE_HEADER = b"cosignature/v1\n"  # tlog-cosignature: the signed message's header line
TIMESTAMP_SIZE = 8  # tlog-cosignature: timestamped_signature.timestamp, a u64, big-endian
ED25519_SIGNATURE_SIZE = 64
MAX_TIMESTAMP = 2**63 - 1  # tlog-cosignature: the timestamp MUST NOT exceed 2^63 - 1
MAX_PROOF_HASHES = 63  # tlog-witness: a client MUST NOT send more than 63 consistency proof lines
STATE_FORMAT = "ledger.witness/1"


# --- errors --------------------------------------------------------------------------------


class WitnessInputError(InputError):
    """A request to the witness, or one of its files, is malformed; nothing was cosigned."""


class UnknownLogError(WitnessInputError):
    """The checkpoint's origin is not a log this witness serves (tlog-witness: 404)."""


class OldSizeMismatchError(WitnessInputError):
    """The consistency proof starts from another size than the witness's last cosigned
    checkpoint (tlog-witness: 409 with that size); ``size`` is the one to prove from."""

    def __init__(self, message: str, size: int, *, zh: str | None = None) -> None:
        super().__init__(message, zh=zh)
        self.size = size


class CheckpointRefusedError(IntegrityError):
    """The witness refuses to cosign: the checkpoint is not signed by the log, or does not extend
    what the witness cosigned before. ``evidence`` is the checkpoint as received when the log's
    signature on it verified (then it proves what the log claimed), else ``None``;
    ``misbehaviour`` the proof, from that checkpoint and the one last cosigned, that the log
    signed two histories (a fork, or a rewritten past), else ``None``."""

    def __init__(
        self,
        message: str,
        evidence: str | None = None,
        *,
        zh: str | None = None,
        misbehaviour: Misbehaviour | None = None,
    ) -> None:
        super().__init__(message, zh=zh)
        self.evidence = evidence
        self.misbehaviour = misbehaviour


class LogSignatureError(CheckpointRefusedError):
    """No signature on the checkpoint verifies against the log key (tlog-witness: 403)."""


class CheckpointRollbackError(CheckpointRefusedError):
    """The checkpoint is smaller than the last one the witness cosigned: a log only grows."""


class CheckpointForkError(CheckpointRefusedError):
    """The log now shows another tree for a size the witness cosigned (tlog-witness: 409)."""


class InconsistentCheckpointError(CheckpointRefusedError):
    """The consistency proof does not prove the checkpoint extends the last cosigned one
    (tlog-witness: 422)."""


class CosignatureInvalidError(IntegrityError):
    """A checkpoint carries no valid cosignature by the witness asked about."""


class WitnessQuorumError(IntegrityError):
    """Fewer trusted witnesses than required cosigned a checkpoint."""


# --- cosignatures (tlog-cosignature) -------------------------------------------------------


def cosignature_key_hash(name: str, key_id: str) -> bytes:
    """tlog-cosignature key ID: ``SHA-256(name || 0x0A || 0x04 || public key)[:4]``."""
    material = name.encode() + b"\n" + COSIGNATURE_ALGORITHM + _raw_key(key_id)
    return hashlib.sha256(material).digest()[:4]


def cosignature_verifier_key(name: str, key_id: str) -> str:
    """The witness's signed-note verifier key, ``<name>+<hex key ID>+<base64(0x04 || key)>``, as
    tlog-cosignature says Ed25519 cosigner keys MAY be encoded for other tools."""
    encoded = base64.b64encode(COSIGNATURE_ALGORITHM + _raw_key(key_id)).decode()
    return f"{name}+{cosignature_key_hash(name, key_id).hex()}+{encoded}"


def cosigned_message(body: str, timestamp: int) -> bytes:
    """tlog-cosignature "Ed25519 signed message": the header line, the time line, the body."""
    _check_timestamp(timestamp)
    return COSIGNATURE_HEADER + f"time {timestamp}\n".encode() + body.encode()


def cosign(checkpoint: Checkpoint, key: SigningKey, name: str, timestamp: int) -> NoteSignature:
    """The signature line by which witness ``name`` with ``key`` cosigns ``checkpoint`` at
    ``timestamp`` (POSIX seconds). Checks nothing: :meth:`Witness.cosign` decides whether to."""
    _check_name(name)
    signature = key.sign(cosigned_message(checkpoint.body, timestamp))
    stamped = struct.pack(">Q", timestamp) + signature
    return NoteSignature(name, cosignature_key_hash(name, key.key_id), stamped)


def cosignature_time(checkpoint: Checkpoint, name: str, key_id: str) -> int | None:
    """The timestamp of the first valid cosignature of ``checkpoint`` by witness ``name`` with
    ``key_id``, or ``None`` when it carries none (lines of other names or keys are ignored)."""
    expected = cosignature_key_hash(name, key_id)
    for line in checkpoint.signatures:
        if line.name != name or line.key_hash != expected:
            continue
        if len(line.signature) != TIMESTAMP_SIZE + ED25519_SIGNATURE_SIZE:
            continue
        (timestamp,) = struct.unpack(">Q", line.signature[:TIMESTAMP_SIZE])
        if timestamp > MAX_TIMESTAMP:
            continue
        message = cosigned_message(checkpoint.body, timestamp)
        if verify_signature(key_id, line.signature[TIMESTAMP_SIZE:], message):
            return int(timestamp)
    return None


def verify_cosignature(checkpoint: Checkpoint, name: str, key_id: str) -> int:
    """The timestamp of the valid cosignature of ``checkpoint`` by witness ``name`` with
    ``key_id``; :class:`CosignatureInvalidError` when there is none."""
    timestamp = cosignature_time(checkpoint, name, key_id)
    if timestamp is None:
        raise CosignatureInvalidError(
            f"expected a cosignature/v1 by witness {name!r} with key {key_id} on the checkpoint "
            f"of {checkpoint.size} events of {checkpoint.origin!r}, found none that verifies",
            zh=f"{checkpoint.origin!r} 含 {checkpoint.size} 个事件的检查点上，应有见证方 {name!r} "
            f"用密钥 {key_id} 所做的 cosignature/v1 见证签名，但没有一个能通过核验",
        )
    return timestamp


class TrustedWitness(NamedTuple):
    """A witness a verifier trusts: its name and its key id (a plain ``(name, key_id)`` tuple
    will do)."""

    name: str
    key_id: str


@dataclass(frozen=True, slots=True)
class WitnessCosignature:
    """A valid cosignature found on a checkpoint."""

    name: str
    key_id: str
    timestamp: int


def cosignatures(
    checkpoint: Checkpoint, witnesses: Sequence[tuple[str, str]]
) -> tuple[WitnessCosignature, ...]:
    """Which of ``witnesses`` validly cosigned ``checkpoint``, in the order given; a key counts
    once, whatever names it is listed under (cosignature/v1 does not sign the name, so one
    signature could be copied under a second name)."""
    found: list[WitnessCosignature] = []
    keys: set[bytes] = set()
    for name, key_id in witnesses:
        raw = _raw_key(key_id)
        if raw in keys:
            continue
        timestamp = cosignature_time(checkpoint, name, key_id)
        if timestamp is not None:
            keys.add(raw)
            found.append(WitnessCosignature(name, key_id, timestamp))
    return tuple(found)


def require_witnesses(
    checkpoint: Checkpoint, witnesses: Sequence[tuple[str, str]], n: int
) -> tuple[WitnessCosignature, ...]:
    """The valid cosignatures of ``checkpoint`` by ``witnesses``, when at least ``n`` distinct
    witnesses made one; :class:`WitnessQuorumError` naming who did otherwise."""
    distinct = len({_raw_key(key_id) for _, key_id in witnesses})
    if not 1 <= n <= distinct:
        raise WitnessInputError(
            f"expected a quorum from 1 to {distinct} (the distinct witnesses trusted), got {n}",
            zh=f"法定人数应在 1 至 {distinct}（所信任的不同见证方数）之间，而不是 {n}",
        )
    found = cosignatures(checkpoint, witnesses)
    if len(found) < n:
        names = ", ".join(c.name for c in found) or "none"
        names_zh = "、".join(c.name for c in found) or "无"
        raise WitnessQuorumError(
            f"expected cosignatures by {n} of {distinct} trusted witnesses on the checkpoint of "
            f"{checkpoint.size} events of {checkpoint.origin!r}, got {len(found)} ({names})",
            zh=f"{checkpoint.origin!r} 含 {checkpoint.size} 个事件的检查点应有 {distinct} 个所信任"
            f"见证方中 {n} 个的见证签名，实有 {len(found)} 个（{names_zh}）",
        )
    return found


def _raw_key(key_id: str) -> bytes:
    """The 32 public-key bytes of ``key_id``; a malformed id is bad input."""
    try:
        return public_key_bytes(key_id)
    except ValueError as e:
        raise WitnessInputError(
            f"not a witness key id: {e}", zh=f"不是见证方的密钥标识：{e}"
        ) from e


def _check_timestamp(timestamp: int) -> None:
    if not 0 <= timestamp <= MAX_TIMESTAMP:
        raise WitnessInputError(
            f"expected a cosignature time from 0 to {MAX_TIMESTAMP} (POSIX seconds), "
            f"got {timestamp}",
            zh=f"见证签名时间应在 0 至 {MAX_TIMESTAMP}（POSIX 秒）之间，而不是 {timestamp}",
        )


def _check_name(name: str) -> None:
    """signed-note: a key name is non-empty and holds no whitespace and no ``+``."""
    if not name or "+" in name or any(c.isspace() for c in name):
        raise WitnessInputError(
            f"a witness name is non-empty, without spaces or '+' (signed-note), got {name!r}",
            zh=f"见证方名称不能为空，也不能含空白或 '+'（signed-note），而这里是 {name!r}",
        )


# --- the consistency proof a log submits ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class SubmittedProof:
    """A consistency proof the log hands the witness with a checkpoint: from ``old_size`` to
    the checkpoint's size. ``old_size`` ``None`` means "from the witness's last size"; the
    roots and new size are the log's claims, present in ``ledger consistency --json``."""

    hashes: tuple[bytes, ...] = ()
    old_size: int | None = None
    old_root: bytes | None = None
    new_size: int | None = None
    new_root: bytes | None = None


_PROOF_FIELDS = {"old_size", "old_root", "new_size", "new_root", "consistency_path"}


def parse_proof(text: str) -> SubmittedProof:
    """Read a consistency proof: either the JSON of ``ledger consistency OLD NEW --json``, or
    the proof part of a tlog-witness ``add-checkpoint`` body (``old <size>`` then one base64
    hash a line); :class:`WitnessInputError` when it is neither."""
    if text.lstrip()[:1] in ("{", "["):
        return _proof_from_json(text)
    return _proof_from_lines(text)


def _proof_from_json(text: str) -> SubmittedProof:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as e:  # nested too deep: RecursionError
        raise WitnessInputError(
            f"the proof is not valid JSON: {e}", zh=f"证明不是有效的 JSON：{e}"
        ) from e
    if not isinstance(document, dict) or set(document) != _PROOF_FIELDS:
        got = sorted(document) if isinstance(document, dict) else type(document).__name__
        raise WitnessInputError(
            f"expected the fields {sorted(_PROOF_FIELDS)} of `ledger consistency --json`, "
            f"got {got}",
            zh=f"应为 `ledger consistency --json` 的字段 {sorted(_PROOF_FIELDS)}，实为 {got}",
        )
    path = document["consistency_path"]
    if not isinstance(path, list):
        raise WitnessInputError(
            "consistency_path must be a list of sha256: digests",
            zh="consistency_path 必须是 sha256: 摘要的列表",
        )
    return SubmittedProof(
        hashes=tuple(_digest(f"consistency_path[{i}]", h) for i, h in enumerate(path)),
        old_size=_size("old_size", document["old_size"]),
        old_root=_digest("old_root", document["old_root"]),
        new_size=_size("new_size", document["new_size"]),
        new_root=_digest("new_root", document["new_root"]),
    )


def _size(field: str, value: Any) -> int:
    if type(value) is not int or not 0 <= value <= MAX_TREE_SIZE:
        shown = repr(value)[:40]
        raise WitnessInputError(
            f"{field} must be a tree size (an integer from 0 to {MAX_TREE_SIZE}), got {shown}",
            zh=f"{field} 应为树的规模（0 至 {MAX_TREE_SIZE} 的整数），而不是 {shown}",
        )
    return value


def _digest(field: str, value: Any) -> bytes:
    try:
        return digest_bytes(value if isinstance(value, str) else repr(value))
    except ValueError as e:
        raise WitnessInputError(f"{field}: {e}", zh=f"{field}：{e}") from e


def _proof_from_lines(text: str) -> SubmittedProof:
    """tlog-witness add-checkpoint: an old size line, proof lines, then (optionally) the empty
    line that precedes the checkpoint in a request body."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # each line ends in a newline
    if lines and lines[-1] == "":
        lines.pop()  # the empty line before the checkpoint
    if not lines or not lines[0].startswith("old "):
        first = lines[0] if lines else ""
        raise WitnessInputError(
            f"expected a proof beginning 'old <size>' (tlog-witness) or the JSON of "
            f"`ledger consistency --json`, got {first[:40]!r}",
            zh="证明应以 'old <规模>' 开头（tlog-witness），或是 `ledger consistency --json` 的 "
            f"JSON，而这里是 {first[:40]!r}",
        )
    size_text = lines[0][4:]
    if not (size_text.isascii() and size_text.isdigit()) or (
        size_text != "0" and size_text.startswith("0")
    ):
        raise WitnessInputError(
            f"old size must be a decimal integer, got {size_text[:40]!r}",
            zh=f"原规模必须是十进制整数，而不是 {size_text[:40]!r}",
        )
    if len(size_text) > len(str(MAX_TREE_SIZE)) or int(size_text) > MAX_TREE_SIZE:
        raise WitnessInputError(
            f"old size must be at most {MAX_TREE_SIZE}, got {len(size_text)} digits",
            zh=f"原规模至多为 {MAX_TREE_SIZE}，而这里有 {len(size_text)} 位数字",
        )
    hashes = []
    for i, line in enumerate(lines[1:], start=2):
        try:
            raw = base64.b64decode(line, validate=True)
        except (binascii.Error, ValueError) as e:
            raise WitnessInputError(
                f"proof line {i} is not base64: {line[:60]!r}",
                zh=f"证明第 {i} 行不是 base64：{line[:60]!r}",
            ) from e
        if len(raw) != HASH_SIZE:
            raise WitnessInputError(
                f"proof line {i} has {len(raw)} bytes, expected {HASH_SIZE}",
                zh=f"证明第 {i} 行有 {len(raw)} 字节，应为 {HASH_SIZE} 字节",
            )
        hashes.append(raw)
    return SubmittedProof(hashes=tuple(hashes), old_size=int(size_text))


# --- the witness's state -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LogState:
    """What a witness knows of one log: the key its checkpoints must be signed with, and the
    last checkpoint it cosigned (size 0 and the empty tree's root before the first)."""

    origin: str
    log_key: str
    size: int = 0
    root: bytes = EMPTY_TREE_HASH
    cosigned_at: int | None = None
    checkpoint: str | None = None  # the last cosigned note as the log signed it: evidence


@dataclass(frozen=True, slots=True)
class WitnessState:
    """A witness's name, public key and logs: everything it must remember between requests."""

    name: str
    key_id: str
    logs: tuple[LogState, ...]

    def log(self, origin: str) -> LogState:
        """The state of the log ``origin``; :class:`UnknownLogError` if the witness has none."""
        for log in self.logs:
            if log.origin == origin:
                return log
        served = ", ".join(repr(log.origin) for log in self.logs) or "none"
        served_zh = "、".join(repr(log.origin) for log in self.logs) or "无"
        raise UnknownLogError(
            f"witness {self.name!r} does not witness the log {origin!r} (it witnesses {served})",
            zh=f"见证方 {self.name!r} 不见证日志 {origin!r}（它见证的是：{served_zh}）",
        )

    def updated(self, log: LogState) -> WitnessState:
        """This state with ``log`` in place of the log of the same origin."""
        return replace(self, logs=tuple(log if s.origin == log.origin else s for s in self.logs))

    def to_json(self) -> str:
        """The state file's text: canonical enough to diff (sorted keys), versioned."""
        document = {
            "format": STATE_FORMAT,
            "name": self.name,
            "key": self.key_id,
            "logs": [
                {
                    "origin": log.origin,
                    "log_key": log.log_key,
                    "size": log.size,
                    "root": to_digest(log.root),
                    "cosigned_at": log.cosigned_at,
                    "checkpoint": log.checkpoint,
                }
                for log in self.logs
            ],
        }
        return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> WitnessState:
        """Read a state file; :class:`WitnessInputError` saying what is wrong with it."""
        try:
            document = json.loads(text)
            if document.get("format") != STATE_FORMAT:
                raise ValueError(
                    f"expected format {STATE_FORMAT!r}, got {document.get('format')!r}"
                )
            state = cls(
                name=_text(document["name"]),
                key_id=_key(document["key"]),
                logs=tuple(_log_state(entry) for entry in document["logs"]),
            )
            origins = [log.origin for log in state.logs]
            if len(set(origins)) != len(origins):
                raise ValueError(f"a log is listed twice: {origins}")
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as e:
            raise WitnessInputError(
                f"not a witness state file ({STATE_FORMAT}): {e}",
                zh=f"不是见证方状态文件（{STATE_FORMAT}）：{e}",
            ) from e
        return state

    def save(self, path: Path) -> None:
        """Replace ``path`` atomically: write a temporary file beside it, flush it to disk, and
        rename it over the old one (a crash leaves the old state or the new, never half)."""
        temporary = path.with_name(path.name + ".tmp")
        with open(temporary, "w", encoding="utf-8") as f:
            f.write(self.to_json())
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    @classmethod
    def load(cls, path: Path) -> WitnessState:
        """Read the state file at ``path``."""
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            reason = e.strerror if isinstance(e, OSError) else str(e)
            raise WitnessInputError(
                f"cannot read witness state {path}: {reason}",
                zh=f"无法读取见证方状态 {path}：{reason}",
            ) from e
        return cls.from_json(text)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {value!r}")
    return value


def _key(value: Any) -> str:
    public_key_bytes(_text(value))  # ValueError if malformed
    return str(value)


def _log_state(entry: Any) -> LogState:
    size, cosigned_at, checkpoint = entry["size"], entry["cosigned_at"], entry["checkpoint"]
    if type(size) is not int or size < 0:
        raise ValueError(f"size must be an integer >= 0, got {size!r}")
    if cosigned_at is not None and type(cosigned_at) is not int:
        raise ValueError(f"cosigned_at must be an integer or null, got {cosigned_at!r}")
    return LogState(
        origin=_text(entry["origin"]),
        log_key=_key(entry["log_key"]),
        size=size,
        root=digest_bytes(_text(entry["root"])),
        cosigned_at=cosigned_at,
        checkpoint=None if checkpoint is None else _text(checkpoint),
    )


def new_state(name: str, key_id: str, origin: str, log_key: str) -> WitnessState:
    """The state of a new witness of one log, which has cosigned nothing yet."""
    _check_name(name)
    if not origin or "\n" in origin:
        raise WitnessInputError(
            f"an origin is one non-empty line (tlog-checkpoint), got {origin!r}",
            zh=f"origin 应为非空的一行（tlog-checkpoint），而不是 {origin!r}",
        )
    try:
        public_key_bytes(log_key)
    except ValueError as e:
        raise WitnessInputError(f"log key: {e}", zh=f"日志密钥：{e}") from e
    return WitnessState(name, key_id, (LogState(origin, log_key),))


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if absent) while the block runs, so that
    checking a request against the state and saving the new state are one step: tlog-witness
    warns that two interleaved requests could otherwise roll the witness back."""
    import fcntl

    with open(path, "a", encoding="utf-8") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


# --- the witness ---------------------------------------------------------------------------


class Witness:
    """A witness's key and state, and the one decision it makes: whether to cosign."""

    def __init__(self, key: SigningKey, state: WitnessState) -> None:
        if key.key_id != state.key_id:
            raise WitnessInputError(
                f"expected the witness key {state.key_id}, got the key {key.key_id}",
                zh=f"应为见证方密钥 {state.key_id}，而给出的是密钥 {key.key_id}",
            )
        self._key = key
        self.state = state

    def cosign(
        self,
        checkpoint_text: str,
        proof: SubmittedProof | Sequence[bytes] = (),
        *,
        timestamp: int,
    ) -> Checkpoint:
        """Check ``checkpoint_text`` as tlog-witness ``add-checkpoint`` says, and return it
        with this witness's cosignature at ``timestamp``; :attr:`state` then records it. The
        caller persists :attr:`state` before handing the cosignature out."""
        if not isinstance(proof, SubmittedProof):
            proof = SubmittedProof(hashes=tuple(proof))
        _check_timestamp(timestamp)
        # 1. A well-formed checkpoint note.
        try:
            checkpoint = parse_checkpoint(checkpoint_text)
        except CheckpointFormatError as e:
            raise WitnessInputError(f"not a checkpoint: {e}", zh=f"不是检查点：{zh_text(e)}") from e
        # 2. Of a log this witness serves (404).
        log = self.state.log(checkpoint.origin)
        # 3. Signed by that log's key; other signature lines are ignored (403).
        if not verify_checkpoint(checkpoint, log.log_key):
            raise LogSignatureError(
                f"expected a signature by the log key {log.log_key} on the checkpoint of "
                f"{checkpoint.size} events of {checkpoint.origin!r}, found none that verifies",
                zh=f"{checkpoint.origin!r} 含 {checkpoint.size} 个事件的检查点上，应有日志密钥 "
                f"{log.log_key} 的签名，但没有一个能通过核验",
            )
        evidence = checkpoint.text()
        # 4. Not smaller than the checkpoint last cosigned: a log only grows.
        if checkpoint.size < log.size:
            raise CheckpointRollbackError(
                f"expected a checkpoint of at least {log.size} events (the last this witness "
                f"cosigned for {log.origin!r}), got {checkpoint.size}",
                evidence,
                zh=f"检查点应至少含 {log.size} 个事件（本见证方为 {log.origin!r} 最近见证签名的"
                f"规模），而这里只有 {checkpoint.size} 个",
            )
        # 5. A proof that fits: from the witness's size (409), to this checkpoint (400).
        _check_proof_fits(proof, log, checkpoint, evidence)
        # 6. The same size must have the same root (409).
        if checkpoint.size == log.size and checkpoint.root != log.root:
            raise CheckpointForkError(
                f"expected root {to_digest(log.root)} for the {log.size} events this witness "
                f"cosigned, got {to_digest(checkpoint.root)}: the log shows two histories",
                evidence,
                zh=f"本见证方已见证签名的 {log.size} 个事件的根哈希应为 {to_digest(log.root)}，"
                f"而这里是 {to_digest(checkpoint.root)}：日志呈现了两种历史",
                misbehaviour=_misbehaviour(log, checkpoint, proof),
            )
        # 7. The consistency proof from the last cosigned tree to this one (422).
        try:
            verify_consistency(log.size, checkpoint.size, log.root, checkpoint.root, proof.hashes)
        except ProofError as e:
            raise InconsistentCheckpointError(
                f"the checkpoint of {checkpoint.size} events is not proved to extend the "
                f"{log.size} events this witness cosigned: {e}",
                evidence,
                zh=f"未能证明含 {checkpoint.size} 个事件的检查点是本见证方已见证签名的 "
                f"{log.size} 个事件的延续：{zh_text(e)}",
                misbehaviour=_misbehaviour(log, checkpoint, proof),
            ) from e
        # 8. Cosign (replacing an earlier cosignature of ours on the note) and remember it.
        line = cosign(checkpoint, self._key, self.state.name, timestamp)
        others = tuple(
            s for s in checkpoint.signatures if (s.name, s.key_hash) != (line.name, line.key_hash)
        )
        cosigned = replace(checkpoint, signatures=(*others, line))
        self.state = self.state.updated(
            replace(
                log,
                size=checkpoint.size,
                root=checkpoint.root,
                cosigned_at=timestamp,
                checkpoint=checkpoint_text,
            )
        )
        return cosigned


def _check_proof_fits(
    proof: SubmittedProof, log: LogState, checkpoint: Checkpoint, evidence: str
) -> None:
    """The proof is from the witness's last size and root to the checkpoint's (tlog-witness
    add-checkpoint: the old size is at most the checkpoint's, 400, and the witness's, 409)."""
    if len(proof.hashes) > MAX_PROOF_HASHES:
        raise WitnessInputError(
            f"expected at most {MAX_PROOF_HASHES} proof hashes, got {len(proof.hashes)}",
            zh=f"证明至多有 {MAX_PROOF_HASHES} 个哈希，而这里有 {len(proof.hashes)} 个",
        )
    if not proof.hashes and proof.old_size is None and 0 < log.size < checkpoint.size:
        raise OldSizeMismatchError(
            f"expected a consistency proof from the {log.size} events this witness cosigned for "
            f"{log.origin!r} to the checkpoint's {checkpoint.size}, got none: make it with "
            f"`ledger consistency {log.size} {checkpoint.size} --json`",
            log.size,
            zh=f"应有从本见证方为 {log.origin!r} 已见证签名的 {log.size} 个事件到检查点的 "
            f"{checkpoint.size} 个事件的一致性证明，但没有给出：请用 "
            f"`ledger consistency {log.size} {checkpoint.size} --json` 生成",
        )
    if proof.old_size is not None and proof.old_size > checkpoint.size:
        raise WitnessInputError(
            f"expected a proof from a size up to {checkpoint.size} (the checkpoint's), "
            f"got one from {proof.old_size}",
            zh=f"证明的起点规模至多为 {checkpoint.size}（检查点的规模），而这里是 {proof.old_size}",
        )
    if proof.old_size is not None and proof.old_size != log.size:
        raise OldSizeMismatchError(
            f"expected a consistency proof from {log.size} events (the last this witness "
            f"cosigned for {log.origin!r}), got one from {proof.old_size}: make it with "
            f"`ledger consistency {log.size} {checkpoint.size} --json`",
            log.size,
            zh=f"一致性证明应从 {log.size} 个事件（本见证方为 {log.origin!r} 最近见证签名的规模）"
            f"起，而这里从 {proof.old_size} 起：请用 "
            f"`ledger consistency {log.size} {checkpoint.size} --json` 生成",
        )
    if proof.new_size is not None and proof.new_size != checkpoint.size:
        raise WitnessInputError(
            f"expected a proof to the checkpoint's {checkpoint.size} events, got one to "
            f"{proof.new_size}",
            zh=f"证明应到检查点的 {checkpoint.size} 个事件为止，而这里到 {proof.new_size}",
        )
    if proof.new_root is not None and proof.new_root != checkpoint.root:
        raise WitnessInputError(
            f"expected a proof to the checkpoint's root {to_digest(checkpoint.root)}, got "
            f"one to {to_digest(proof.new_root)}",
            zh=f"证明应到检查点的根哈希 {to_digest(checkpoint.root)} 为止，而这里到 "
            f"{to_digest(proof.new_root)}",
        )
    if proof.old_root is not None and proof.old_root != log.root:
        raise CheckpointForkError(
            f"expected root {to_digest(log.root)} for the {log.size} events this witness "
            f"cosigned, but the log's proof starts from {to_digest(proof.old_root)}: the log "
            "shows two histories",
            evidence,
            zh=f"本见证方已见证签名的 {log.size} 个事件的根哈希应为 {to_digest(log.root)}，"
            f"但日志的证明从 {to_digest(proof.old_root)} 开始：日志呈现了两种历史",
            misbehaviour=_misbehaviour(log, checkpoint, proof),
        )


# --- the evidence a refusal carries --------------------------------------------------------


def _misbehaviour(
    log: LogState, checkpoint: Checkpoint, proof: SubmittedProof
) -> Misbehaviour | None:
    """The proof that ``checkpoint`` (its log signature verified) and the last checkpoint this
    witness cosigned cannot both be true (tlog-witness: a witness MUST NOT cosign two such), or
    ``None`` when the refusal does not prove it: nothing held yet, a held note not signed by
    the log key now configured, or (for a larger size) a proof that proves no other old head.

    At the same size, the two notes are the evidence. At a larger size, the head of the new
    tree at the witness's size is the one the proof implies (:func:`implied_old_root`), else,
    when the old size is a power of two, the one the log's proof says it starts from."""
    if log.checkpoint is None:
        return None
    try:
        held = parse_checkpoint(log.checkpoint)
    except CheckpointFormatError:
        return None
    if (held.size, held.root) != (log.size, log.root):
        return None  # a state edited by hand: the note is not what the witness cosigned
    implied: bytes | None = None
    if log.size < checkpoint.size:
        implied = implied_old_root(log.size, checkpoint.size, checkpoint.root, proof.hashes)
        if implied is None:
            implied = proof.old_root
        if implied is None:
            return None
    try:
        return find_misbehaviour(
            held, checkpoint, [log.log_key], implied_root=implied, proof=proof.hashes
        )
    except (UnprovenMisbehaviourError, ProofError):
        return None
