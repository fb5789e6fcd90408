"""Evidence that a log signed two histories: two checkpoints of one origin, both validly signed,
that cannot both be true (a fork, a split view, or a past rewritten after it was signed).

Two cases, from C2SP tlog-witness ("a witness ... MUST NOT cosign two checkpoints of the same
size with different roots", and consistency between the sizes it cosigns):

* **the same size, different tree heads**: the two signed notes are the whole evidence;
* **different sizes**: the newer checkpoint (size n) commits to a tree whose first m leaves have
  some head R'. An RFC 9162 consistency proof (section 2.1.4.2) from (m, R') to (n, root_n)
  proves R' from the newer checkpoint alone. If R' differs from the head the older checkpoint
  signs for size m, the log signed a history of its first m events and later another.

:func:`find_misbehaviour` decides which case holds (or that the two agree) and returns a
:class:`Misbehaviour` whose :meth:`~Misbehaviour.to_json` is a self-contained report: both
signed notes verbatim, the proof, and what they show in plain words. It is pure: a verifier of
an archive and a witness refusing a checkpoint use it alike. Report format:
docs/archive-format.md, "Misbehaviour report".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ledger.errors import InputError, zh_text
from ledger.integrity.checkpoint import Checkpoint, verifier_key, verify_checkpoint
from ledger.integrity.digest import to_digest
from ledger.integrity.merkle import ProofError, verify_consistency

MISBEHAVIOUR_FORMAT = "ledger.misbehaviour/1"
SAME_SIZE = "same-size"  # one size, two tree heads
REWRITTEN = "inconsistent"  # the newer tree does not extend the older one


class UnprovenMisbehaviourError(InputError):
    """The two checkpoints cannot be compared as given: another origin, a note not signed by the
    keys given, or (for two sizes) no consistency proof from the newer checkpoint."""


@dataclass(frozen=True, slots=True)
class Misbehaviour:
    """Two signed checkpoints of one origin that cannot both be true, and the proof why."""

    kind: str  # SAME_SIZE or REWRITTEN
    older: Checkpoint  # the smaller (for SAME_SIZE: the one held first)
    newer: Checkpoint
    older_key: str  # the key whose signature on each note verified
    newer_key: str
    implied_root: bytes | None = None  # the newer tree's head at the older size (REWRITTEN)
    proof: tuple[bytes, ...] = ()  # consistency proof from (older.size, implied_root)

    @property
    def origin(self) -> str:
        return self.older.origin

    def statement(self) -> str:
        """What the evidence shows, in plain English."""
        m, n = self.older.size, self.newer.size
        if self.kind == SAME_SIZE:
            return (
                f"Two checkpoints of the log {self.origin!r}, both validly signed by the log's "
                f"key, give two different tree heads for the same {m} events "
                f"({to_digest(self.older.root)} and {to_digest(self.newer.root)}). A log has one "
                "history; this one signed two, so it showed at least one reader a history that "
                "is not the one it showed others."
            )
        return (
            f"The checkpoint of {n} events of the log {self.origin!r}, validly signed by the "
            f"log's key, commits to a history whose first {m} events have the tree head "
            f"{to_digest(self.implied_root or b'')} (the RFC 9162 consistency proof in this "
            f"report proves it from that checkpoint alone). The checkpoint of {m} events, also "
            f"validly signed by the log's key, says their tree head is "
            f"{to_digest(self.older.root)}. Both cannot be true: after signing the earlier "
            f"checkpoint, the log changed, removed, inserted or reordered some of its first {m} "
            "events, or it keeps two histories for two audiences."
        )

    def statement_zh(self) -> str:
        """What the evidence shows, in plain Chinese."""
        m, n = self.older.size, self.newer.size
        if self.kind == SAME_SIZE:
            return (
                f"台账 {self.origin} 的两份检查点均经台账密钥有效签名，"
                f"却对同样的 {m} 个事件给出两个不同的树根（{to_digest(self.older.root)} 与 "
                f"{to_digest(self.newer.root)}）。"
                "一本台账只有一种历史；它签署了两种，说明它向部分读者出示的历史与向其他人出示的不同。"
            )
        return (
            f"台账 {self.origin} 含 {n} 个事件的检查点经台账密钥有效签名，它所承诺的历史中前 {m} "
            f"个事件的树根为 {to_digest(self.implied_root or b'')}（本报告所附 RFC 9162 一致性证明"
            f"仅凭该检查点即可证实）。含 {m} 个事件的检查点同样经台账密钥有效签名，却称其树根为 "
            f"{to_digest(self.older.root)}。二者不可能同时为真：台账在签署较早的检查点之后，"
            f"修改、删除、插入或调换了前 {m} 个事件中的某些事件，或为不同对象保存了两种历史。"
        )

    def file_name(self) -> str:
        """``misbehaviour-<origin>-<size>-<size>.json``, safe as a file name."""
        origin = re.sub(r"[^A-Za-z0-9._-]", "_", self.origin)
        return f"misbehaviour-{origin}-{self.older.size}-{self.newer.size}.json"

    def to_json(self) -> dict[str, Any]:
        """The self-contained report (docs/archive-format.md, "Misbehaviour report")."""
        proof: dict[str, Any] | None = None
        if self.kind == REWRITTEN:
            proof = {
                "algorithm": "RFC 9162 section 2.1.4.2",
                "old_size": self.older.size,
                "old_root": to_digest(self.implied_root or b""),
                "new_size": self.newer.size,
                "new_root": to_digest(self.newer.root),
                "consistency_path": [to_digest(h) for h in self.proof],
            }
        return {
            "format": MISBEHAVIOUR_FORMAT,
            "origin": self.origin,
            "kind": self.kind,
            "statement": self.statement(),
            "statement_zh": self.statement_zh(),
            "checkpoints": [
                _note(self.older, self.older_key),
                _note(self.newer, self.newer_key),
            ],
            "proof": proof,
            "how_to_check": _how_to_check(self.kind),
        }


def _note(checkpoint: Checkpoint, key_id: str) -> dict[str, Any]:
    return {
        "size": checkpoint.size,
        "root": to_digest(checkpoint.root),
        "signed_by": key_id,
        "verifier_key": verifier_key(checkpoint.origin, key_id),
        "note": checkpoint.text(),
    }


def _how_to_check(kind: str) -> list[str]:
    steps = [
        "1. Check the signature on each note ('checkpoints[].note') with the log's key "
        "('signed_by'; signed-note Ed25519, docs/format.md section 10).",
        "2. Check that both notes name the same origin (their first line).",
    ]
    if kind == SAME_SIZE:
        return [*steps, "3. Both notes give the same tree size and different tree heads."]
    return [
        *steps,
        "3. Run the RFC 9162 section 2.1.4.2 consistency check from ('proof.old_size', "
        "'proof.old_root') to the newer note's size and tree head with 'proof.consistency_path'"
        ": it succeeds, so the newer note's tree had 'proof.old_root' at the older size.",
        "4. 'proof.old_root' differs from the tree head the older note signs for that size.",
    ]


def _signer(checkpoint: Checkpoint, keys: Sequence[str], which: str, which_zh: str) -> str:
    for key in keys:
        if verify_checkpoint(checkpoint, key):
            return key
    raise UnprovenMisbehaviourError(
        f"the {which} checkpoint ({checkpoint.size} events) is not signed by any of the "
        f"{len(keys)} keys given for {checkpoint.origin!r}; an unsigned note proves nothing",
        zh=f"{which_zh}检查点（{checkpoint.size} 个事件）没有用为 {checkpoint.origin!r} 给出的 "
        f"{len(keys)} 个密钥中的任何一个签名；未签名的注记什么也证明不了",
    )


def find_misbehaviour(
    held: Checkpoint,
    other: Checkpoint,
    keys: Sequence[str],
    *,
    implied_root: bytes | None = None,
    proof: Sequence[bytes] = (),
) -> Misbehaviour | None:
    """Compare two checkpoints of one origin, each signed by one of ``keys``; return the
    evidence that they conflict, or ``None`` when the larger extends the smaller.

    For two sizes, ``implied_root`` and ``proof`` are the head of the newer tree at the older
    size and the RFC 9162 consistency proof from there to the newer checkpoint (as an archive
    or the log hands them over). :class:`ProofError` when that proof does not verify against
    the newer checkpoint (it proves nothing); :class:`UnprovenMisbehaviourError` when the
    checkpoints cannot be compared as given."""
    if held.origin != other.origin:
        raise UnprovenMisbehaviourError(
            f"expected two checkpoints of one log, got {held.origin!r} and {other.origin!r}",
            zh=f"应为同一日志的两个检查点，而这里是 {held.origin!r} 和 {other.origin!r}",
        )
    held_key = _signer(held, keys, "held", "所持")
    other_key = _signer(other, keys, "other", "另一")
    if held.size == other.size:
        if held.root == other.root:
            return None
        return Misbehaviour(SAME_SIZE, held, other, held_key, other_key)
    older, newer = (held, other) if held.size < other.size else (other, held)
    older_key, newer_key = (held_key, other_key) if older is held else (other_key, held_key)
    if older.size == 0:
        return None  # every tree extends the empty one
    if implied_root is None:
        raise UnprovenMisbehaviourError(
            f"to compare checkpoints of {older.size} and {newer.size} events, a consistency "
            f"proof from {older.size} to {newer.size} is needed",
            zh=f"要比较含 {older.size} 个和 {newer.size} 个事件的检查点，需要从 {older.size} 到 "
            f"{newer.size} 的一致性证明",
        )
    try:
        verify_consistency(older.size, newer.size, implied_root, newer.root, proof)
    except ProofError as e:
        raise ProofError(
            f"the consistency proof from {older.size} to {newer.size} events does not verify "
            f"against the checkpoint of {newer.size}: {e}",
            zh=f"从 {older.size} 到 {newer.size} 个事件的一致性证明与含 {newer.size} 个事件的"
            f"检查点核验不符：{zh_text(e)}",
        ) from e
    if implied_root == older.root:
        return None
    return Misbehaviour(REWRITTEN, older, newer, older_key, newer_key, implied_root, tuple(proof))
