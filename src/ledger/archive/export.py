"""Export a verifiable archive of the whole ledger, some matters or a period
(docs/archive-format.md).

The archive holds the stored bytes of the events it covers, unchanged but for withheld bodies;
the signed checkpoint they are proved against; for a partial archive an RFC 9162 inclusion proof
of every event; the key history; a trust policy template; a C2SP tlog-proof of each decision;
readable pages of each matter in Chinese and English; the standalone verifier; a manifest.

Withholding (``withhold_confidential``, ``withhold_matters``): every event of a withheld matter's
own stream, every other event naming it except the whole-meeting events (calling, notice,
attendance, closing, minutes: they name every item by id only), and every event of an emergency
action or review about it keep their header and seal and lose their body, which becomes
``{"withheld":"<reason>"}``. The header still commits to the payload through its salted hash,
so hashes, signatures and proofs verify, and the 256-bit salt, withheld with the payload, keeps
the payload from being guessed from its commitment. The pages are drawn from the archived
events, so they cannot show what is withheld; withheld matters get no page.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any
from uuid import UUID

from ledger.archive import html, layout
from ledger.archive.evidence import (
    KEY_TYPES,
    Proofs,
    TlogProof,
    header_of,
    key_history,
    keys_bytes,
    record_lines,
)
from ledger.archive.manifest import (
    CONFIDENTIAL,
    MATTER,
    NAMED,
    PERIOD,
    WHOLE,
    Manifest,
    MemberDigest,
    Scope,
)
from ledger.archive.trust import template
from ledger.domain.ledger import DEFAULT_LEVEL
from ledger.domain.meeting import WHOLE_MEETING
from ledger.errors import CheckpointMismatchError, InputError, RecordDecodeError, zh_text
from ledger.integrity.canonical import canonical_bytes, format_time, parse_time
from ledger.integrity.checkpoint import Checkpoint, origin_of, verify_checkpoint
from ledger.integrity.digest import leaf_hash, sha256
from ledger.integrity.merkle import ProofError, TreeAccumulator
from ledger.integrity.record import decode_record, head_of, read_record
from ledger.integrity.verify import StoredRow
from ledger.projections.facts import WorldFold, build_world
from ledger.projections.findings import judge
from ledger.projections.index import CONTEXT_KINDS, LedgerIndex
from ledger.projections.trace import MatterFile
from ledger.projections.tree import prove_consistency, prove_inclusion
from ledger.projections.views import Reader
from ledger.store.service import LedgerService, read_checkpoint

DECIDED = "matter.decided"
LINKED_OPENINGS = ("emergency.action_taken", "review.opened")
README_SOURCE = "archive_readme.txt"  # package data, written as README.txt
ROW_CACHE = 100_000  # rows kept while rendering pages: the context they all read


class ExportRangeError(InputError):
    """The export asked for cannot be made (an empty period, a size beyond the checkpoint)."""


@dataclass(frozen=True)
class ExportRequest:
    """What to export."""

    matters: tuple[str, ...] = ()  # ids or exact titles: a matter archive
    since: datetime | None = None  # a period archive (either bound may be open)
    until: datetime | None = None
    withhold_confidential: bool = False
    withhold_matters: tuple[str, ...] = ()
    checkpoint: Checkpoint | None = None  # default: the newest the home keeps
    consistency_from: tuple[int, ...] = ()  # sizes an auditor may hold (partial archives)
    pages: bool = True  # the html/ renderings

    @property
    def kind(self) -> str:
        if self.matters:
            return MATTER
        if self.since is not None or self.until is not None:
            return PERIOD
        return WHOLE


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    path: Path
    size: int  # bytes
    members: int
    scope: Scope
    tree_size: int
    events: int
    withheld: tuple[tuple[int, str], ...]
    withheld_matters: int
    pages: int  # matters rendered
    decision_proofs: int

    def to_json(self) -> dict[str, Any]:
        return {
            "archive": str(self.path),
            "bytes": self.size,
            "members": self.members,
            "scope": self.scope.to_json(),
            "tree_size": self.tree_size,
            "events": self.events,
            "withheld": [{"position": p, "reason": r} for p, r in self.withheld],
            "withheld_matters": self.withheld_matters,
            "matters": self.pages,
            "decision_proofs": self.decision_proofs,
        }


@dataclass
class _Collected:
    """What writing records.txt learns on the way."""

    events: int = 0
    positions: list[int] = field(default_factory=list)
    rows: set[int] = field(default_factory=set)  # storage rows archived
    facts: WorldFold | None = None  # the archived records folded, when pages are drawn
    keys: list[tuple[int, str, Any]] = field(default_factory=list)
    headers: dict[int, bytes] = field(default_factory=dict)  # of decisions, by position
    inclusion: dict[int, tuple[bytes, ...]] = field(default_factory=dict)
    genesis: dict[str, Any] = field(default_factory=dict)


def export_archive(
    service: LedgerService,
    request: ExportRequest,
    out: Path,
    *,
    now: datetime | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ExportResult:
    """Write the archive ``request`` asks for to ``out`` (replaced atomically when complete).
    ``on_progress(done)`` counts from 0 to twice the checkpoint's size: the records, then the
    pages."""
    checkpoint = request.checkpoint or read_checkpoint(service.home.checkpoint_path)
    index = service.index()
    try:
        return _Export(service, index, request, checkpoint, on_progress).write(
            out, now or datetime.now(UTC)
        )
    finally:
        index.close()


class _Export:
    def __init__(
        self,
        service: LedgerService,
        index: LedgerIndex,
        request: ExportRequest,
        checkpoint: Checkpoint,
        on_progress: Callable[[int], None] | None,
    ) -> None:
        self.service = service
        self.app = service.app
        self.index = index
        self.request = request
        self.checkpoint = checkpoint
        self.size = checkpoint.size
        self.on_progress = on_progress
        self.reader = Reader(index, service.app.rows_at, service.app.rows)
        self._check_checkpoint()
        self.as_of = self._recorded_at(self.size)
        self.scope, self.window = self._scope()
        self.withheld_matters = self._withheld_matters()
        self.withheld = self._withheld_positions()

    # --- what to export ------------------------------------------------------------------------

    def _check_checkpoint(self) -> None:
        origin = origin_of(str(self.service.ledger_id))
        if self.checkpoint.origin != origin:
            raise InputError(
                f"the checkpoint is of {self.checkpoint.origin!r}, this ledger is {origin!r}",
                zh=f"检查点属于 {self.checkpoint.origin!r}，本台账是 {origin!r}",
            )
        if self.size == 0:
            raise ExportRangeError(
                "the checkpoint covers no event: nothing to export",
                zh="检查点不涵盖任何事件：没有可导出的内容",
            )
        events = self.index.tree.size
        if events < self.size:
            raise CheckpointMismatchError(
                f"the log holds {events} events, but its checkpoint covers {self.size}: run "
                "`ledger verify`",
                zh=f"日志只有 {events} 个事件，但其检查点涵盖 {self.size} 个：请运行 "
                "`ledger verify`",
            )
        if self.index.tree.root(self.size) != self.checkpoint.root:
            raise CheckpointMismatchError(
                f"the log's first {self.size} events do not match the checkpoint: run "
                "`ledger verify`",
                zh=f"日志的前 {self.size} 个事件与检查点不符：请运行 `ledger verify`",
            )

    def _check_signed(self, history: list[dict[str, Any]]) -> None:
        """The checkpoint must carry a signature by a key the log registered for checkpoints
        and that was valid after its last event (a retired key still counts), the rule
        ``ledger verify`` and ``verify-archive`` apply: an archive is not built on a forged or
        unsigned checkpoint."""
        after = self.size + 1
        signers = [
            str(k["key"])
            for k in history
            if "checkpoint" in k["purposes"]
            and k["registered"] < after
            and (k["retired"] is None or after <= k["retired"])
            and (k["revoked"] is None or after <= k["revoked"])
        ]
        if not any(verify_checkpoint(self.checkpoint, key) for key in signers):
            raise CheckpointMismatchError(
                f"the checkpoint of {self.size} events is not signed by any key this ledger "
                "registered for checkpoints at that size: export from a checkpoint the ledger "
                "signed (by default the newest the home keeps)",
                zh=f"涵盖 {self.size} 个事件的检查点没有本台账在该位置登记用于检查点的任一密钥"
                "的签名：请用台账签署的检查点导出（默认使用本地保存的最新检查点）",
            )

    def _recorded_at(self, position: int) -> str:
        record = self.app.event_at(position)
        if record is None:
            raise CheckpointMismatchError(
                f"the log has no event at position {position}",
                zh=f"日志中没有序号为 {position} 的事件",
            )
        return str(record.header["recorded_at"])

    def _scope(self) -> tuple[Scope, tuple[int, int]]:
        request = self.request
        if request.kind == MATTER:
            if request.since is not None or request.until is not None:
                raise InputError(
                    "export either matters (--matter) or a period (--from/--until)",
                    zh="只能导出议题（--matter）或一个期间（--from/--until），不能两者兼有",
                )
            ids = tuple(dict.fromkeys(self.reader.resolve(m, "matter") for m in request.matters))
            for matter in ids:
                if self._opened_at(matter) > self.size:
                    raise ExportRangeError(
                        f"matter {matter} was opened after the checkpoint's {self.size} events",
                        zh=f"议题 {matter} 是在检查点的 {self.size} 个事件之后才立项的",
                    )
            return Scope(MATTER, matters=ids), (1, self.size)
        if request.kind == PERIOD:
            since = request.since
            until = request.until
            if since is not None and until is not None and until < since:
                raise ExportRangeError("--until is before --from", zh="--until 早于 --from")
            start = 1
            if since is not None:
                start = self.index.position_at(format_time(since - timedelta(microseconds=1))) + 1
            end = self.size
            if until is not None:
                end = min(end, self.index.position_at(format_time(until)))
            if start > end:
                raise ExportRangeError(
                    "no event of the checkpoint's "
                    f"{self.size} was recorded in that period: nothing to export",
                    zh=f"检查点的 {self.size} 个事件中没有一个记录于该期间：没有可导出的内容",
                )
            scope = Scope(
                PERIOD,
                since=format_time(since) if since else None,
                until=format_time(until) if until else None,
            )
            return scope, (start, end)
        if request.consistency_from:
            raise InputError(
                "--consistency-from is for partial archives: a whole archive proves its "
                "consistency with any earlier checkpoint by itself",
                zh="--consistency-from 只用于部分档案：完整档案本身就能证明它与任何更早的"
                "检查点一致",
            )
        return Scope(WHOLE), (1, self.size)

    def _opened_at(self, matter: str) -> int:
        events = self.index.events_of(matter)
        return events[0].position if events else self.size + 1

    def _withheld_matters(self) -> dict[str, str]:
        matters: dict[str, str] = {}
        if self.request.withhold_confidential:
            for page in self.app.rows(types=("matter.opened",)):
                for row in page:
                    record = decode_record(row.state)
                    if record.seq > self.size or record.withheld:
                        continue
                    payload = record.body["payload"]
                    if isinstance(payload, dict) and payload.get("confidential") is True:
                        matters[record.header["stream"]] = CONFIDENTIAL
        for ref in self.request.withhold_matters:
            matters.setdefault(self.reader.resolve(ref, "matter"), NAMED)
        return matters

    def _withheld_positions(self) -> dict[int, str]:
        """The positions whose bodies are withheld (module docstring)."""
        withheld: dict[int, str] = {}
        for matter, reason in self.withheld_matters.items():
            linked: set[str] = set()
            for e in self.index.events_of(matter):
                if e.position > self.size or e.type in WHOLE_MEETING:
                    continue
                withheld.setdefault(e.position, reason)
                if e.type in LINKED_OPENINGS:
                    linked.add(e.stream)
            for stream in sorted(linked):
                for e in self.index.events_of(stream):
                    if e.position <= self.size and e.type not in WHOLE_MEETING:
                        withheld.setdefault(e.position, reason)
        return withheld

    def _rows(self) -> Iterator[tuple[int, StoredRow]]:
        """The rows to archive with their positions, in log order, up to the checkpoint. Every
        archive ends with the checkpoint's last event (its head), whose recording time is the
        archive's ``as_of``: so that time too is proved."""
        if self.scope.kind == MATTER:
            ids: set[int] = set()
            for matter in self.scope.matters:
                ids.update(self.index.rows_for(matter))
            last = 0
            for position, row in self._fetch(sorted(ids)):
                last = position
                yield position, row
            if last < self.size:
                yield self.size, self._head()
            return
        if self.scope.kind == PERIOD:
            chosen = self._period_rows()
            for position, row in self._scan():
                if row.row in chosen:
                    yield position, row
            return
        yield from self._scan()

    def _fetch(self, ids: Sequence[int]) -> Iterator[tuple[int, StoredRow]]:
        """The rows of these storage ids (sorted), with their positions, up to the checkpoint."""
        for start in range(0, len(ids), 2000):
            for row in self.app.rows_at(ids[start : start + 2000]):
                position = _position(row)
                if position <= self.size:
                    yield position, row

    def _head(self) -> StoredRow:
        """The row of the checkpoint's last event (storage ids never run behind positions)."""
        for page in self.app.rows(after=self.size - 1, page=64):
            for row in page:
                if _position(row) == self.size:
                    return row
        raise CheckpointMismatchError(
            f"the store has no event at position {self.size}",
            zh=f"存储中没有序号为 {self.size} 的事件",
        )

    def _scan(self) -> Iterator[tuple[int, StoredRow]]:
        for page in self.app.rows():
            for row in page:
                position = _position(row)
                if position > self.size:
                    return
                yield position, row

    def _period_rows(self) -> set[int]:
        """The period's events; the context every question needs (members, bodies, keys ...)
        up to the checkpoint; and the opening event of every stream the period's events
        belong to (the matter or meeting they are about); and the checkpoint's head."""
        start, end = self.window
        chosen: set[int] = set()
        first_of: dict[str, int] = {}
        touched: set[str] = set()
        for position, row in self._scan():
            first_of.setdefault(row.stream, row.row)
            in_window = start <= position <= end
            head = position == self.size
            if in_window or head or row.topic.split(".", 1)[0] in CONTEXT_KINDS:
                chosen.add(row.row)
            if in_window:
                touched.add(row.stream)
        chosen.update(first_of[stream] for stream in touched)
        return chosen

    # --- writing -------------------------------------------------------------------------------

    def write(self, out: Path, now: datetime) -> ExportResult:
        temporary = out.with_name(f".{out.name}.{os.getpid()}.tmp")
        try:
            with open(temporary, "wb") as f:
                writer = layout.ArchiveWriter(f)
                result = self._members(writer, out, now)
                size = writer.close()
            os.replace(temporary, out)
        finally:
            temporary.unlink(missing_ok=True)
        return replace(result, size=size)

    def _members(self, writer: layout.ArchiveWriter, out: Path, now: datetime) -> ExportResult:
        digests: list[MemberDigest] = []

        def add(name: str, data: bytes) -> None:
            writer.add(name, data)
            digests.append(MemberDigest(name, sha256(data), len(data)))

        matters = self._rendered_matters()
        decisions = self._decisions(matters)
        collected = self._write_records(writer, digests, {p for _, p in decisions})
        add(layout.CHECKPOINT, self.checkpoint.text().encode())
        if self.scope.kind != WHOLE:
            add(layout.PROOFS, self._proofs(collected).to_bytes())
        history = key_history(collected.keys)
        self._check_signed(history)
        add(layout.KEYS, keys_bytes(history))
        genesis_key = str(collected.genesis.get("ledger_key", ""))
        in_use = {
            purpose: [
                str(k["key"])
                for k in history
                if purpose in k["purposes"] and k["retired"] is None and k["revoked"] is None
            ]
            for purpose in ("record", "checkpoint")
        }
        policy = template(
            self.checkpoint.origin, genesis_key, in_use["record"], in_use["checkpoint"]
        )
        add(layout.TRUST, policy.to_text().encode())
        proofs = 0
        for matter, position in decisions:
            if position not in collected.headers:
                continue
            add(f"proofs/{matter}-{position}.tlog-proof", self._tlog_proof(collected, position))
            proofs += 1
        pages = self._pages(add, matters, collected) if self.request.pages else 0
        package = resources.files("ledger.archive")
        add(layout.VERIFIER, package.joinpath(layout.VERIFIER).read_bytes())
        add(layout.README, package.joinpath(README_SOURCE).read_bytes())
        withheld = tuple((p, self.withheld[p]) for p in collected.positions if p in self.withheld)
        manifest = Manifest(
            generator=_generator(),
            ledger=str(self.service.ledger_id),
            name=str(collected.genesis.get("name", "")),
            origin=self.checkpoint.origin,
            created_at=format_time(now),
            as_of=self.as_of,
            scope=self.scope,
            tree_size=self.size,
            tree_head="sha256:" + self.checkpoint.root.hex(),
            events=collected.events,
            matters=pages,
            decision_proofs=proofs,
            withheld=withheld,
            members=tuple(digests),
        )
        writer.add(layout.MANIFEST, manifest.to_bytes())
        return ExportResult(
            path=out,
            size=0,  # known once the archive is closed
            members=writer.count,
            scope=self.scope,
            tree_size=self.size,
            events=collected.events,
            withheld=withheld,
            withheld_matters=len(self.withheld_matters),
            pages=pages,
            decision_proofs=proofs,
        )

    def _write_records(
        self, writer: layout.ArchiveWriter, digests: list[MemberDigest], decisions: set[int]
    ) -> _Collected:
        collected = _Collected(facts=WorldFold() if self.request.pages else None)
        tree = TreeAccumulator() if self.scope.kind == WHOLE else None
        digest = hashlib.sha256()
        with writer.stream(layout.RECORDS) as write:
            for position, row in self._rows():
                state = self._archived(position, row).state
                header = header_of(state)
                leaf = leaf_hash(header)
                data = record_lines(state)
                write(data)
                digest.update(data)
                collected.events += 1
                collected.positions.append(position)
                collected.rows.add(row.row)
                if collected.facts is not None:
                    collected.facts.add(read_record(state))
                if tree is not None:
                    if tree.size + 1 != position:
                        raise CheckpointMismatchError(
                            f"the store has no event at position {tree.size + 1}: run "
                            "`ledger verify`",
                            zh=f"存储中没有序号为 {tree.size + 1} 的事件：请运行 `ledger verify`",
                        )
                    tree.append(leaf)
                else:
                    collected.inclusion[position] = self._inclusion(position, leaf)
                if row.topic in KEY_TYPES:
                    record = decode_record(state)
                    collected.keys.append((position, row.topic, record.body.get("payload")))
                    if position == 1:
                        collected.genesis = dict(record.body.get("payload") or {})
                if position in decisions:
                    collected.headers[position] = header
                if self.on_progress is not None and collected.events % 500 == 0:
                    self.on_progress(collected.events)
        digests.append(
            MemberDigest(layout.RECORDS, "sha256:" + digest.hexdigest(), writer.last_size)
        )
        if tree is not None and (tree.size != self.size or tree.root() != self.checkpoint.root):
            raise CheckpointMismatchError(
                f"the store's first {self.size} events do not match the checkpoint: run "
                "`ledger verify`",
                zh=f"存储的前 {self.size} 个事件与检查点不符：请运行 `ledger verify`",
            )
        if self.on_progress is not None:
            self.on_progress(collected.events)
        return collected

    def _archived(self, position: int, row: StoredRow) -> StoredRow:
        """The row as the archive holds it: its body replaced when withheld."""
        reason = self.withheld.get(position)
        if reason is None:
            return row
        header, seal, _ = row.state.split(b"\n")
        state = header + b"\n" + seal + b"\n" + canonical_bytes({"withheld": reason})
        return StoredRow(row.row, row.stream, row.version, row.topic, state)

    def _inclusion(self, position: int, leaf: bytes) -> tuple[bytes, ...]:
        proof = prove_inclusion(self.index.tree, position - 1, self.size)
        if proof.leaf_hash != leaf:
            raise CheckpointMismatchError(
                f"the read index's tree differs from the store at position {position}: run "
                "`ledger rebuild`, then `ledger verify`",
                zh=f"读索引的树在序号 {position} 处与存储不一致：请先运行 `ledger rebuild`，"
                "再运行 `ledger verify`",
            )
        try:
            proof.verify()
        except ProofError as e:
            raise CheckpointMismatchError(
                f"position {position}: {e}", zh=f"序号 {position}：{zh_text(e)}"
            ) from e
        return proof.path

    def _proofs(self, collected: _Collected) -> Proofs:
        consistency: dict[int, tuple[bytes, tuple[bytes, ...]]] = {}
        for old in sorted(set(self.request.consistency_from)):
            if not 0 < old < self.size:
                raise ExportRangeError(
                    f"--consistency-from takes a size from 1 to {self.size - 1} (below the "
                    f"checkpoint's {self.size}), got {old}",
                    zh=f"--consistency-from 的规模应在 1 至 {self.size - 1} 之间（小于检查点的 "
                    f"{self.size}），而不是 {old}",
                )
            proof = prove_consistency(self.index.tree, old, self.size)
            proof.verify()
            consistency[old] = (proof.old_root, proof.path)
        return Proofs(self.size, self.checkpoint.root, collected.inclusion, consistency)

    def _tlog_proof(self, collected: _Collected, position: int) -> bytes:
        header = collected.headers[position]
        path = collected.inclusion.get(position) or self._inclusion(position, leaf_hash(header))
        return (
            TlogProof(position - 1, tuple(path), self.checkpoint.text(), header).to_text().encode()
        )

    # --- decisions and pages -------------------------------------------------------------------

    def _rendered_matters(self) -> list[str]:
        """The matters of the scope, in the order they were opened, less those withheld."""
        if self.scope.kind == MATTER:
            chosen = list(self.scope.matters)
        else:
            start, end = self.window
            chosen = []
            for matter, _, opened in self.index.subjects("matter"):
                if opened > self.size:
                    continue
                if self.scope.kind == PERIOD and not any(
                    start <= e.position <= end for e in self.index.events_of(matter)
                ):
                    continue
                chosen.append(matter)
        return [m for m in chosen if m not in self.withheld_matters]

    def _decisions(self, matters: Sequence[str]) -> list[tuple[str, int]]:
        """(matter, position) of each decision of the matters up to the checkpoint, in log
        order."""
        found = [
            (matter, e.position)
            for matter in matters
            for e in self.index.events_of(matter)
            if e.type == DECIDED and e.stream == matter and e.position <= self.size
        ]
        return sorted(found, key=lambda decision: decision[1])

    def _pages(
        self, add: Callable[[str, bytes], None], matters: list[str], collected: _Collected
    ) -> int:
        start, end = self.window
        context = html.PageContext(
            ledger_name=str(collected.genesis.get("name", "")),
            level=str(collected.genesis.get("level") or DEFAULT_LEVEL.value),
            origin=self.checkpoint.origin,
            tree_size=self.size,
            as_of=self.as_of,
            period=(
                (self._recorded_at(start), self._recorded_at(end))
                if self.scope.kind == PERIOD
                else None
            ),
        )
        as_of = parse_time(self.as_of)
        # every page's findings come from one judgement of what the archive holds, as
        # `ledger findings` judges a ledger; each page keeps those of its matter
        facts = collected.facts.world() if collected.facts is not None else build_world([])
        found = judge(facts, as_of)
        lines = []
        cache: dict[int, tuple[int, StoredRow]] = {}  # the context every matter's file reads
        for done, matter in enumerate(matters, 1):
            wanted = [r for r in self.index.rows_for(matter) if r in collected.rows]
            missing = [r for r in wanted if r not in cache]
            fetched = {row.row: (p, row) for p, row in self._fetch(missing)}
            if len(cache) < ROW_CACHE:
                cache.update(fetched)
            rows = [
                self._archived(*(cache.get(r) or fetched[r]))
                for r in wanted
                if r in cache or r in fetched
            ]
            file = MatterFile(UUID(matter), rows, as_of, judged=found)
            if self.on_progress is not None and done % 20 == 0:
                self.on_progress(self.size + self.size * done // len(matters))
            if not file.exists:
                continue  # its opening is not in the archive (a period that begins later)
            line, pages = html.matter_pages(file, context)
            for lang, page in pages.items():
                add(f"html/{matter}.{lang}.html", page)
            lines.append(line)
        withheld = sum(1 for p in collected.positions if p in self.withheld)
        for lang, page in html.index_pages(lines, context, withheld_events=withheld).items():
            add(f"html/index.{lang}.html", page)
        return len(lines)


def _generator() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"ledger {version('ledger')}"
    except PackageNotFoundError:
        return "ledger"


def _position(row: StoredRow) -> int:
    try:
        return head_of(row.state).seq
    except RecordDecodeError as e:
        raise RecordDecodeError(
            f"storage row {row.row}: {e}; run `ledger verify`",
            zh=f"存储行 {row.row}：{zh_text(e)}；请运行 `ledger verify`",
        ) from e
