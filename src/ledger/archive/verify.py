"""Offline verification of an archive: no database, no network; the file and public keys only
(docs/archive-format.md section 9, docs/verification.md).

The records are checked by the one verification walk (:mod:`ledger.integrity.verify`): a whole
archive as ``ledger verify`` checks a live log, its checkpoint at its size; a partial one with
:meth:`~ledger.integrity.verify.Verifier.verify_included`, each event proved to be in the tree
the checkpoint signs. Then, in order (the report names the first break):

1. the walk over ``records.txt`` (decoding, hashes, payload commitments or listed withholding,
   signatures and key validity, the chain or the inclusion proofs, the checkpoint's signature);
2. the witnesses the trust policy requires have cosigned the checkpoint;
3. the manifest agrees with the content (ledger, origin, checkpoint, counts, withheld positions);
4. every member has the SHA-256 and size the manifest lists, and none is unlisted;
5. ``keys.json`` is the key history the key events say;
6. each decision's tlog-proof holds the archive's checkpoint and proves that decision's event;
7. each checkpoint the auditor holds agrees with the archive: the archive's log extends it. When
   it does not and both are validly signed, that is proof the log signed two histories: a
   misbehaviour report is written (:mod:`ledger.integrity.misbehaviour`).

A malformed archive (the layout, a member's form) is :class:`~ledger.archive.read.
ArchiveFormatError`, raised (exit 2); an integrity break is a :class:`ArchiveFailure` in the
report (exit 1), saying what is wrong in English and in Chinese (``problem``, ``problem_zh``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ledger.archive import layout
from ledger.archive.evidence import (
    KEY_TYPES,
    Proofs,
    header_of,
    key_history,
    keys_document,
    parse_proofs,
    parse_tlog_proof,
    rows_of,
)
from ledger.archive.manifest import MATTER, WHOLE, Manifest, parse_manifest
from ledger.archive.read import Archive, ArchiveFormatError, open_archive
from ledger.archive.trust import TrustPolicy, parse_policy
from ledger.errors import InputError, zh_text
from ledger.integrity.checkpoint import Checkpoint, parse_checkpoint
from ledger.integrity.digest import leaf_hash, to_digest
from ledger.integrity.merkle import MemoryTree, ProofError, verify_inclusion
from ledger.integrity.misbehaviour import Misbehaviour, find_misbehaviour
from ledger.integrity.verify import PURPOSE_CHECKPOINT, Report, StoredRow, Verifier
from ledger.integrity.witness import WitnessQuorumError, require_witnesses

DECIDED = "matter.decided"
ANCHOR_GIVEN = "given"  # --trusted-key
ANCHOR_POLICY = "trust policy"  # --trust FILE
ANCHOR_ARCHIVE = "archive"  # the archive's own trust.json: self-consistency only


class HeldCheckpointError(InputError):
    """A checkpoint the auditor holds cannot be compared with the archive as given."""


_MANIFEST_FIELD_ZH = {
    "ledger": "台账",
    "origin": "日志标识（origin）",
    "checkpoint size": "检查点规模",
    "checkpoint root": "检查点树根",
    "events": "事件数",
    "name": "台账名称",
    "as_of": "截止时间（as_of）",
    "withheld positions": "隐去内容的序号",
    "decision proofs": "决策证明数",
    "matters rendered": "呈现的议题数",
}
"""What the manifest says, as a Chinese reader names it (for a failure's ``problem_zh``)."""


@dataclass(frozen=True)
class ArchiveFailure:
    """The first break found: in which member, at which position (for an event), and what:
    ``problem`` in English, ``problem_zh`` the same in Chinese (JSON carries ``problem`` only)."""

    member: str
    problem: str
    position: int | None = None
    type: str | None = None
    problem_zh: str = field(kw_only=True)

    def to_json(self) -> dict[str, Any]:
        return {
            "member": self.member,
            "position": self.position,
            "type": self.type,
            "problem": self.problem,
        }


@dataclass
class ArchiveReport:
    """What verifying an archive found."""

    path: Path
    anchor: str | None = None
    anchor_source: str = ANCHOR_ARCHIVE
    manifest: Manifest | None = None
    ledger_id: str | None = None
    events: int = 0
    tree_size: int = 0
    tree_head: bytes = b""
    withheld: list[tuple[int, str]] = field(default_factory=list)
    witnesses: list[str] = field(default_factory=list)
    held: list[dict[str, Any]] = field(default_factory=list)
    keys: int = 0
    decision_proofs: int = 0
    pages: int = 0
    failure: ArchiveFailure | None = None
    misbehaviour: Misbehaviour | None = None
    report_path: Path | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None

    @property
    def scope(self) -> str | None:
        return self.manifest.scope.kind if self.manifest else None

    def to_json(self) -> dict[str, Any]:
        manifest = self.manifest
        return {
            "ok": self.ok,
            "archive": str(self.path),
            "ledger": self.ledger_id,
            "name": manifest.name if manifest else None,
            "origin": manifest.origin if manifest else None,
            "scope": manifest.scope.to_json() if manifest else None,
            "events": self.events,
            "tree_size": self.tree_size,
            "tree_head": to_digest(self.tree_head) if self.tree_head else None,
            "anchor": self.anchor,
            "anchor_source": self.anchor_source,
            "withheld": [{"position": p, "reason": r} for p, r in self.withheld],
            "witnesses": self.witnesses,
            "held_checkpoints": self.held,
            "keys": self.keys,
            "decision_proofs": self.decision_proofs,
            "matters": self.pages,
            "failure": self.failure.to_json() if self.failure else None,
            "misbehaviour_report": str(self.report_path) if self.report_path else None,
        }


class _Broken(Exception):
    def __init__(self, failure: ArchiveFailure) -> None:
        self.failure = failure


def verify_archive(
    path: Path,
    *,
    trusted_key: str | None = None,
    policy: TrustPolicy | None = None,
    held: Sequence[Checkpoint] = (),
    report_path: Path | None = None,
    report_dir: Path | None = None,
    workers: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ArchiveReport:
    """Verify the archive at ``path`` (module docstring). The ledger key is ``trusted_key``,
    else the policy's, else (checking the archive only for consistency with itself) the one
    its own trust.json names. A misbehaviour report goes to ``report_path``, else to its
    standard name in ``report_dir`` (default: the current directory)."""
    report = ArchiveReport(path)
    with open_archive(path) as archive:
        check = _Check(archive, report, policy or TrustPolicy(ledger_key=None), workers)
        try:
            check.run(trusted_key, held, on_progress)
        except _Broken as broken:
            report.failure = broken.failure
        if report.misbehaviour is not None:
            target = report_path or (report_dir or Path.cwd()) / report.misbehaviour.file_name()
            _write_report(target, report.misbehaviour.to_json())
            report.report_path = target
    return report


def read_policy(path: Path) -> TrustPolicy:
    """A trust policy file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(
            f"cannot read trust policy {path}: {e}", zh=f"无法读取信任策略 {path}：{e}"
        ) from e
    return parse_policy(text, str(path))


def _write_report(path: Path, document: dict[str, Any]) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(
            json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


class _Check:
    def __init__(
        self, archive: Archive, report: ArchiveReport, policy: TrustPolicy, workers: int | None
    ) -> None:
        self.archive = archive
        self.report = report
        self.policy = policy
        self.workers = workers
        self.leaves: list[bytes] = []
        self.positions: list[int] = []
        self.streams: set[str] = set()
        self.key_events: list[tuple[int, str, Any]] = []
        self.headers: dict[int, bytes] = {}
        self.wanted_headers: set[int] = set()
        self.genesis_name: object = None
        self.head_recorded_at: object = None
        self.head_size = 0

    def run(
        self,
        trusted_key: str | None,
        held: Sequence[Checkpoint],
        on_progress: Callable[[int], None] | None,
    ) -> None:
        archive, report = self.archive, self.report
        manifest = parse_manifest(archive.json(layout.MANIFEST))
        report.manifest = manifest
        checkpoint = parse_checkpoint(archive.text(layout.CHECKPOINT))
        report.tree_size, report.tree_head = checkpoint.size, checkpoint.root
        self._anchor(trusted_key)
        if self.policy.origin is not None and self.policy.origin != checkpoint.origin:
            raise _Broken(
                ArchiveFailure(
                    layout.CHECKPOINT,
                    f"the archive is of {checkpoint.origin!r}, the trust policy is for "
                    f"{self.policy.origin!r}",
                    problem_zh=f"档案属于 {checkpoint.origin!r}，信任策略却是针对 "
                    f"{self.policy.origin!r} 的",
                )
            )
        decision_proofs = [n for n in archive.names if layout.DECISION_PROOF_NAME.match(n)]
        for name in decision_proofs:
            match = layout.DECISION_PROOF_NAME.match(name)
            assert match is not None
            self.wanted_headers.add(int(match[2]))
        proofs = self._proofs(manifest, checkpoint)
        self.head_size = checkpoint.size
        # 1. The walk over the records.
        walked = self._walk(checkpoint, proofs, manifest, on_progress)
        report.ledger_id = walked.ledger_id
        report.events = walked.events
        report.keys = len(walked.keys)
        report.withheld = [(p, _reason(manifest, p)) for p in walked.withheld]
        # 2. Witnesses.
        self._witnesses(checkpoint)
        # 3. The manifest against the content.
        self._manifest(manifest, checkpoint, walked, decision_proofs)
        # 4. Every member's digest.
        self._members(manifest)
        # 5. The key history.
        self._keys(walked)
        # 6. The decisions' tlog-proofs.
        for name in decision_proofs:
            self._decision_proof(name, checkpoint)
        report.decision_proofs = len(decision_proofs)
        report.pages = manifest.matters
        # 7. The checkpoints the auditor holds.
        for older in sorted(held, key=lambda c: c.size):
            self._held(older, checkpoint, proofs, walked)

    def _anchor(self, trusted_key: str | None) -> None:
        report = self.report
        if trusted_key is not None:
            report.anchor, report.anchor_source = trusted_key, ANCHOR_GIVEN
        elif self.policy.ledger_key is not None:
            report.anchor, report.anchor_source = self.policy.ledger_key, ANCHOR_POLICY
        else:
            own = parse_policy(self.archive.text(layout.TRUST), layout.TRUST)
            report.anchor, report.anchor_source = own.ledger_key, ANCHOR_ARCHIVE

    def _proofs(self, manifest: Manifest, checkpoint: Checkpoint) -> Proofs | None:
        whole = manifest.scope.kind == WHOLE
        if whole and self.archive.has(layout.PROOFS):
            raise ArchiveFormatError(
                f"a whole archive holds no {layout.PROOFS}",
                zh=f"完整档案不应包含 {layout.PROOFS}",
            )
        if whole:
            return None
        if not self.archive.has(layout.PROOFS):
            raise ArchiveFormatError(
                f"a partial archive needs {layout.PROOFS}", zh=f"部分档案须包含 {layout.PROOFS}"
            )
        proofs = parse_proofs(self.archive.json(layout.PROOFS))
        if proofs.tree_size != checkpoint.size or proofs.root != checkpoint.root:
            raise _Broken(
                ArchiveFailure(
                    layout.PROOFS,
                    f"the proofs are against a tree of {proofs.tree_size} events with head "
                    f"{to_digest(proofs.root)}, the checkpoint is of {checkpoint.size} with "
                    f"head {to_digest(checkpoint.root)}",
                    problem_zh=f"证明针对的是含 {proofs.tree_size} 个事件、树根为 "
                    f"{to_digest(proofs.root)} 的树，检查点却是 {checkpoint.size} 个事件、树根为 "
                    f"{to_digest(checkpoint.root)}",
                )
            )
        return proofs

    def _rows(self) -> Iterator[StoredRow]:
        """The records as rows, noting what the later checks need on the way."""
        for row in rows_of(self.archive.lines(layout.RECORDS)):
            header = header_of(row.state)
            self.leaves.append(leaf_hash(header))
            self.positions.append(row.row)
            self.streams.add(row.stream)
            if row.row in self.wanted_headers:
                self.headers[row.row] = header
            if row.row == self.head_size:
                self.head_recorded_at = _field(header, "recorded_at")
            if row.topic in KEY_TYPES:
                try:
                    payload = json.loads(row.state.rsplit(b"\n", 1)[1]).get("payload")
                except (ValueError, AttributeError, RecursionError):
                    payload = None  # the walk reports the record
                self.key_events.append((row.row, row.topic, payload))
                if row.row == 1 and isinstance(payload, dict):
                    self.genesis_name = payload.get("name")
            yield row

    def _walk(
        self,
        checkpoint: Checkpoint,
        proofs: Proofs | None,
        manifest: Manifest,
        on_progress: Callable[[int], None] | None,
    ) -> Report:
        verifier = Verifier(
            anchor=self.report.anchor,
            checkpoints=[checkpoint] if proofs is None else [],
            trusted_checkpoint_keys=self.policy.checkpoint_keys,
            allow_withheld=True,
            workers=self.workers,
            on_progress=on_progress,
        )
        if proofs is None:
            walked = verifier.verify(self._rows(), expected_rows=manifest.events)
        else:
            walked = verifier.verify_included(
                self._rows(), checkpoint, proofs.inclusion, expected_rows=manifest.events
            )
        if walked.failure is not None:
            f = walked.failure
            raise _Broken(
                ArchiveFailure(
                    layout.RECORDS, f.problem, f.position, f.type, problem_zh=f.problem_zh
                )
            )
        if proofs is None and walked.events != checkpoint.size:
            raise _Broken(
                ArchiveFailure(
                    layout.RECORDS,
                    f"a whole archive holds every event of its checkpoint: {checkpoint.size}, "
                    f"but the records continue to {walked.events}",
                    checkpoint.size + 1,
                    problem_zh=f"完整档案应包含其检查点的全部事件（{checkpoint.size} 个），"
                    f"但记录一直延续到 {walked.events}",
                )
            )
        if not self.positions or self.positions[-1] != checkpoint.size:
            raise _Broken(
                ArchiveFailure(
                    layout.RECORDS,
                    f"the archive does not end with the checkpoint's last event "
                    f"(position {checkpoint.size}), which dates it",
                    checkpoint.size,
                    problem_zh=f"档案没有以检查点的最后一个事件（序号 {checkpoint.size}）结尾，"
                    "而档案的日期由该事件确定",
                )
            )
        if proofs is not None:
            extra = sorted(set(proofs.inclusion) - set(self.positions))
            if extra:
                raise _Broken(
                    ArchiveFailure(
                        layout.PROOFS,
                        f"proofs for positions the records do not hold: {extra[:5]}",
                        extra[0],
                        problem_zh=f"证明所针对的序号不在记录中：{extra[:5]}",
                    )
                )
        return walked

    def _witnesses(self, checkpoint: Checkpoint) -> None:
        policy = self.policy
        if not policy.witnesses_required:
            return
        try:
            found = require_witnesses(checkpoint, policy.witnesses, policy.witnesses_required)
        except WitnessQuorumError as e:
            raise _Broken(
                ArchiveFailure(layout.CHECKPOINT, str(e), problem_zh=zh_text(e))
            ) from None
        self.report.witnesses = [c.name for c in found]

    def _manifest(
        self,
        manifest: Manifest,
        checkpoint: Checkpoint,
        walked: Report,
        decision_proofs: list[str],
    ) -> None:
        pages = {n.split("/")[1].split(".")[0] for n in self.archive.names if n.startswith("html/")}
        checks = [
            ("ledger", manifest.ledger, walked.ledger_id),
            ("origin", manifest.origin, checkpoint.origin),
            ("checkpoint size", manifest.tree_size, checkpoint.size),
            ("checkpoint root", manifest.tree_head, to_digest(checkpoint.root)),
            ("events", manifest.events, walked.events),
            ("name", manifest.name, self.genesis_name),
            ("as_of", manifest.as_of, self.head_recorded_at),
            ("withheld positions", [p for p, _ in manifest.withheld], walked.withheld),
            ("decision proofs", manifest.decision_proofs, len(decision_proofs)),
            ("matters rendered", manifest.matters, len(pages - {"index"})),
        ]
        for what, says, found in checks:
            if says != found:
                raise _Broken(
                    ArchiveFailure(
                        layout.MANIFEST,
                        f"the manifest says {what} {says!r}, the archive {found!r}",
                        problem_zh=f"manifest 中的{_MANIFEST_FIELD_ZH[what]}为 {says!r}，"
                        f"档案中为 {found!r}",
                    )
                )
        if manifest.scope.kind == MATTER:
            for matter in manifest.scope.matters:
                if matter not in self.streams:
                    raise _Broken(
                        ArchiveFailure(
                            layout.MANIFEST,
                            f"the manifest names matter {matter}, whose events the records "
                            "do not hold",
                            problem_zh=f"manifest 列出了议题 {matter}，但记录中没有它的事件",
                        )
                    )

    def _members(self, manifest: Manifest) -> None:
        listed = {m.name: m for m in manifest.members}
        if len(listed) != len(manifest.members):
            raise ArchiveFormatError(
                f"{layout.MANIFEST} lists a member twice",
                zh=f"{layout.MANIFEST} 把一个成员列了两次",
            )
        present = [n for n in self.archive.names if n != layout.MANIFEST]
        for name in present:
            entry = listed.get(name)
            if entry is None:
                raise _Broken(
                    ArchiveFailure(
                        name, "is not listed in the manifest", problem_zh="未列入 manifest"
                    )
                )
            size = self.archive.members[name].size
            digest = self.archive.sha256(name)
            if (digest, size) != (entry.sha256, entry.size):
                raise _Broken(
                    ArchiveFailure(
                        name,
                        f"has SHA-256 {digest} ({size} bytes), the manifest says {entry.sha256} "
                        f"({entry.size} bytes)",
                        problem_zh=f"SHA-256 为 {digest}（{size} 字节），manifest 记为 "
                        f"{entry.sha256}（{entry.size} 字节）",
                    )
                )
        missing = sorted(set(listed) - set(present))
        if missing:
            raise _Broken(
                ArchiveFailure(
                    missing[0],
                    "is listed in the manifest but missing",
                    problem_zh="已列入 manifest，但档案中没有",
                )
            )

    def _keys(self, walked: Report) -> None:
        history = key_history(self.key_events)
        if self.archive.json(layout.KEYS) != keys_document(history):
            raise _Broken(
                ArchiveFailure(
                    layout.KEYS,
                    "differs from the key history the key events give",
                    problem_zh="与密钥事件所示的密钥历史不符",
                )
            )
        states = {k.key_id: (k.registered, k.retired, k.revoked) for k in walked.keys.values()}
        listed = {k["key"]: (k["registered"], k["retired"], k["revoked"]) for k in history}
        if states != listed:
            raise _Broken(
                ArchiveFailure(
                    layout.KEYS,
                    "differs from the key validity the walk found",
                    problem_zh="与核验得出的密钥有效期不符",
                )
            )

    def _decision_proof(self, name: str, checkpoint: Checkpoint) -> None:
        match = layout.DECISION_PROOF_NAME.match(name)
        assert match is not None
        matter, position = match[1], int(match[2])
        proof = parse_tlog_proof(self.archive.text(name), name)

        def broken(problem: str, *, zh: str) -> _Broken:
            return _Broken(ArchiveFailure(name, problem, position, DECIDED, problem_zh=zh))

        if proof.checkpoint != self.archive.text(layout.CHECKPOINT):
            raise broken(
                "holds another checkpoint than checkpoint.txt",
                zh="所含检查点与 checkpoint.txt 不同",
            )
        if proof.index != position - 1:
            raise broken(
                f"is for leaf index {proof.index}, its name says {position - 1}",
                zh=f"针对的是叶子索引 {proof.index}，而其文件名表明应为 {position - 1}",
            )
        header = self.headers.get(position)
        if header is None or proof.extra != header:
            raise broken(
                f"does not carry the header of the event at position {position}",
                zh=f"没有携带序号 {position} 处事件的事件头",
            )
        try:
            fields = json.loads(header)
        except ValueError:
            fields = {}
        if fields.get("stream") != matter or fields.get("type") != DECIDED:
            raise broken(
                f"position {position} is not a decision of matter {matter}",
                zh=f"序号 {position} 不是议题 {matter} 的决策",
            )
        try:
            verify_inclusion(
                leaf_hash(header), proof.index, checkpoint.size, proof.path, checkpoint.root
            )
        except ProofError as e:
            raise broken(
                f"does not prove the decision: {e}", zh=f"不能证明该决策：{zh_text(e)}"
            ) from None

    def _held(
        self, held: Checkpoint, checkpoint: Checkpoint, proofs: Proofs | None, walked: Report
    ) -> None:
        """Step 7: the archive's log extends the checkpoint the auditor holds."""
        if held.origin != checkpoint.origin:
            raise HeldCheckpointError(
                f"the checkpoint you hold is of {held.origin!r}, the archive of "
                f"{checkpoint.origin!r}",
                zh=f"所持检查点属于 {held.origin!r}，档案却属于 {checkpoint.origin!r}",
            )
        m, n = held.size, checkpoint.size
        if m > n:
            raise HeldCheckpointError(
                f"the checkpoint you hold covers {m} events, more than this archive's {n}: "
                "check it against a newer archive, or this archive against an older checkpoint",
                zh=f"所持检查点涵盖 {m} 个事件，多于本档案的 {n} 个：请用更新的档案核对它，"
                "或用更早的检查点核对本档案",
            )
        keys = [k for k in (self.report.anchor, *self.policy.checkpoint_keys) if k]
        keys += [k.key_id for k in walked.keys.values() if k.valid_at(m + 1, PURPOSE_CHECKPOINT)]
        implied: bytes | None = None
        path: tuple[bytes, ...] = ()
        if 0 < m < n:
            if proofs is None:
                tree = MemoryTree(self.leaves)
                implied, path = tree.root(m), tuple(tree.consistency_proof(m, n))
            elif m in proofs.consistency:
                implied, path = proofs.consistency[m]
            else:
                raise HeldCheckpointError(
                    f"this partial archive carries no consistency proof from {m} events (the "
                    f"checkpoint you hold): ask for an export with --consistency-from {m}",
                    zh=f"本部分档案没有从 {m} 个事件（所持检查点的规模）起的一致性证明："
                    f"请要求加 --consistency-from {m} 重新导出",
                )
        try:
            found = find_misbehaviour(held, checkpoint, keys, implied_root=implied, proof=path)
        except ProofError as e:
            self.report.held.append({"size": m, "ok": False})
            raise _Broken(ArchiveFailure(layout.PROOFS, str(e), problem_zh=zh_text(e))) from None
        self.report.held.append({"size": m, "ok": found is None})
        if found is not None:
            self.report.misbehaviour = found
            raise _Broken(
                ArchiveFailure(
                    layout.CHECKPOINT, found.statement(), problem_zh=found.statement_zh()
                )
            )


def _field(header: bytes, name: str) -> object:
    try:
        return json.loads(header).get(name)
    except (ValueError, AttributeError, RecursionError):
        return None


def _reason(manifest: Manifest, position: int) -> str:
    for p, reason in manifest.withheld:
        if p == position:
            return reason
    return ""
