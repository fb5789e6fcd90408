"""The one verification walk, over any source of stored rows (a live store or an archive).

For every row, in log order, numbered steps (docs/format.md, "Verifying a log"):

1. the stored bytes decode as a record, and its three lines (header, seal, body) are each in
   their one canonical JSON form;
2. the storage columns (stream, version, type) agree with the header;
3. the header names this ledger and the next sequence number, and chains to the previous hash;
4. the event hash is the RFC 9162 leaf hash of the stored header bytes;
5. the stream's versions run 1, 2, 3 ... without a gap;
6. the recording time never goes backwards;
7. the payload matches its salted commitment (or is withheld, where the caller allows it);
8. the seal holds one record signature, then one act signature per key of the header's
   ``signers``, in that order; the record signature is by a key valid for recording at this
   position, and each act signature by a key of the actor valid for acts at this position;
9. key events update the key registry (genesis, registration, rotation, revocation);
10. each held checkpoint matches the tree head at its size, and is signed by a checkpoint key.

Signatures (step 8) are checked in worker processes on all cores; everything else runs in order.
The report names the *first* bad event: the lowest position at which any step failed, and
says what is wrong in English (``problem``: docs/format.md cites these words) and in Chinese
(``problem_zh``: the same facts, for ``ledger --lang zh verify``).

:meth:`Verifier.verify_included` runs the same steps over *some* events of a log (a partial
archive, docs/archive-format.md): positions increase but may skip, versions increase, the chain
is checked where two neighbours are both present, and step 10 becomes an RFC 9162 inclusion
proof of each event against one signed checkpoint.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

from ledger.errors import LedgerError, zh_text
from ledger.integrity.canonical import canonical_bytes
from ledger.integrity.checkpoint import Checkpoint, origin_of, verify_checkpoint
from ledger.integrity.digest import ZERO_DIGEST, commit_payload, leaf_hash, to_digest
from ledger.integrity.keys import KeyId, public_key_bytes, verify_signature
from ledger.integrity.merkle import ProofError, TreeAccumulator, verify_inclusion
from ledger.integrity.record import (
    FORMAT,
    ROLE_ACT,
    ROLE_RECORD,
    Record,
    Signature,
    act_message,
    act_of_header,
    decode_record,
    record_message,
)

GENESIS_TYPE = "ledger.initialised"
KEY_REGISTERED = "key.registered"
KEY_REVOKED = "key.revoked"
PURPOSE_RECORD = "record"
PURPOSE_ACT = "act"
PURPOSE_CHECKPOINT = "checkpoint"
PARALLEL_THRESHOLD = 4000  # below this many rows, worker start-up costs more than it saves
CHUNK = 2000


@dataclass(frozen=True, slots=True)
class StoredRow:
    """One row as a store or an archive holds it."""

    row: int  # the storage's own position (notification id); may have gaps
    stream: str
    version: int
    topic: str
    state: bytes


@dataclass(frozen=True, slots=True)
class Failure:
    """The first thing found wrong, with where it is: ``problem`` in English, ``problem_zh``
    the same in Chinese (for a Chinese reader; JSON carries ``problem`` only)."""

    position: int  # ledger sequence number where the problem is (expected one if undecodable)
    row: int | None
    stream: str | None
    version: int | None
    type: str | None
    problem: str
    problem_zh: str = field(kw_only=True)

    def to_json(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "row": self.row,
            "stream": self.stream,
            "version": self.version,
            "type": self.type,
            "problem": self.problem,
        }


@dataclass(slots=True)
class KeyState:
    """What the log says about one key."""

    key_id: KeyId
    holder: str
    purposes: frozenset[str]
    registered: int
    retired: int | None = None
    revoked: int | None = None

    def valid_at(self, position: int, purpose: str) -> bool:
        """May this key sign, for ``purpose``, the event at ``position``?"""
        return (
            purpose in self.purposes
            and self.registered < position
            and (self.retired is None or position <= self.retired)
            and (self.revoked is None or position <= self.revoked)
        )

    def problem_at(self, position: int, purpose: str) -> str:
        """Why this key may not sign at ``position`` (for the report)."""
        return self.problems_at(position, purpose)[0]

    def problems_at(self, position: int, purpose: str) -> tuple[str, str]:
        """Why this key may not sign at ``position``, in English and in Chinese."""
        key = self.key_id
        if purpose not in self.purposes:
            return (
                f"key {key} is not registered for {purpose!r}",
                f"密钥 {key} 未登记用于 {purpose!r}",
            )
        if self.registered >= position:
            return _registered_only_at(key, self.registered)
        if self.revoked is not None and position > self.revoked:
            return (
                f"key {key} was revoked at position {self.revoked}",
                f"密钥 {key} 已于序号 {self.revoked} 吊销",
            )
        return (
            f"key {key} was retired at position {self.retired}",
            f"密钥 {key} 已于序号 {self.retired} 停用",
        )


def signature_list_problem(
    signatures: Sequence[Signature], signers: Sequence[str]
) -> tuple[str, str] | None:
    """What is wrong with a seal's list of signatures, in English and in Chinese, or None.

    The list must be exactly one ``record`` signature, then one ``act`` signature per key of
    the header's ``signers``, in that order (docs/format.md, "Seal"). The header is hashed and
    the list is not, so this is what makes a removed, added, repeated or reordered signature
    a failure rather than a silent change of who signed."""
    records = [i for i, s in enumerate(signatures) if s.role == ROLE_RECORD]
    if not records:
        return "no record signature", "没有记录签名"
    if len(records) > 1:
        return (
            f"the seal holds {len(records)} record signatures, expected one",
            f"封签中有 {len(records)} 个记录签名，应为一个",
        )
    if records[0] != 0:
        return (
            f"the record signature is signature {records[0] + 1} of the seal, expected first",
            f"记录签名是封签中的第 {records[0] + 1} 个签名，应为第一个",
        )
    acts = [s.key for s in signatures[1:]]
    if acts == list(signers):
        return None
    for key in signers:
        if key not in acts:
            return (
                f"the header lists signer {key}, but the seal has no act signature by it",
                f"事件头列出签名人 {key}，但封签中没有其本人行为签名",
            )
    for key in acts:
        if key not in signers:
            return (
                f"act signature by {key}, which the header's signers do not list",
                f"封签中有 {key} 的本人行为签名，但事件头的签名人未列出该密钥",
            )
        if acts.count(key) > 1:
            return (
                f"act signature by {key} appears {acts.count(key)} times, expected once",
                f"{key} 的本人行为签名出现 {acts.count(key)} 次，应为一次",
            )
    return (
        f"act signatures are in the order {acts}, expected the header's signers {list(signers)}",
        f"本人行为签名的顺序为 {acts}，应与事件头的签名人 {list(signers)} 一致",
    )


def _registered_only_at(key: str, position: int) -> tuple[str, str]:
    return (
        f"key {key} is registered only at position {position}",
        f"密钥 {key} 到序号 {position} 才登记",
    )


@dataclass
class Report:
    """The result of a verification; ``ok`` when nothing failed."""

    ledger_id: str | None = None
    events: int = 0
    head_hash: str = ZERO_DIGEST
    tree_head: bytes = b""
    failure: Failure | None = None
    checkpoints: list[dict[str, Any]] = field(default_factory=list)
    keys: dict[str, KeyState] = field(default_factory=dict)
    withheld: list[int] = field(default_factory=list)
    anchor: str | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "ledger": self.ledger_id,
            "events": self.events,
            "head_hash": self.head_hash,
            "tree_head": to_digest(self.tree_head) if self.tree_head else None,
            "anchor": self.anchor,
            "failure": self.failure.to_json() if self.failure else None,
            "checkpoints": self.checkpoints,
            "withheld": self.withheld,
            "keys": [
                {
                    "key": k.key_id,
                    "holder": k.holder,
                    "purposes": sorted(k.purposes),
                    "registered": k.registered,
                    "retired": k.retired,
                    "revoked": k.revoked,
                }
                for k in self.keys.values()
            ],
        }


class _Stop(Exception):
    def __init__(self, failure: Failure, unknown_key: str | None = None) -> None:
        self.failure = failure
        self.unknown_key = unknown_key  # a signing key not registered before the failure


_BODY_START = b'{"payload":'
_BODY_END = b',"salt":"' + b"0" * 64 + b'"}'  # its length: the salt's value differs
SignatureTask = tuple[int, str, bytes, bytes]  # position, key id, signature, message


def check_signatures(tasks: list[SignatureTask]) -> list[int]:
    """Positions whose signature does not verify (runs in a worker process)."""
    return [pos for pos, key, sig, message in tasks if not verify_signature(key, sig, message)]


class Verifier:
    """Walks rows in log order and checks everything in the module docstring."""

    def __init__(
        self,
        *,
        anchor: str | None,
        checkpoints: Iterable[Checkpoint] = (),
        trusted_checkpoint_keys: Iterable[str] = (),
        allow_withheld: bool = False,
        workers: int | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> None:
        self.anchor = anchor
        self.checkpoints = sorted(checkpoints, key=lambda c: c.size)
        self.trusted_checkpoint_keys = set(trusted_checkpoint_keys)
        self.allow_withheld = allow_withheld
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self.on_progress = on_progress

    def verify(self, rows: Iterable[RowsOrRow], expected_rows: int | None = None) -> Report:
        """Verify every row; return a report naming the first failure, if any."""
        report = Report(anchor=self.anchor)
        return self._run(_Walk(self, report), rows, expected_rows)

    def verify_included(
        self,
        rows: Iterable[RowsOrRow],
        checkpoint: Checkpoint,
        proofs: Mapping[int, Sequence[bytes]],
        expected_rows: int | None = None,
    ) -> Report:
        """Verify *some* events of a log, in log order (an archive of one matter or one
        period): each as :meth:`verify` does, except that instead of being chained to the
        event before it, each is proved by its RFC 9162 inclusion proof (``proofs``, by
        position) to be in the tree that ``checkpoint`` signs. The first event must be the
        genesis, and every key event up to the checkpoint must be among ``rows``: validity of
        keys is read from them. The checkpoint must be signed by a checkpoint key."""
        report = Report(anchor=self.anchor)
        return self._run(_SparseWalk(self, report, checkpoint, proofs), rows, expected_rows)

    def _run(self, walk: _Walk, rows: Iterable[RowsOrRow], expected_rows: int | None) -> Report:
        report = walk.report
        parallel = self.workers > 1 and (expected_rows or 0) >= PARALLEL_THRESHOLD
        pool: Executor | None = ProcessPoolExecutor(self.workers) if parallel else None
        pending: deque[tuple[Future[list[int]], int]] = deque()
        bad: list[Failure] = []

        def settle(failed: list[int], upto: int) -> None:
            # Describe failed positions while their rows are still remembered, then forget.
            bad.extend(
                walk.describe(p, "signature does not verify", zh="签名核验不通过") for p in failed
            )
            walk.forget(upto)

        try:
            try:
                stream = _flatten(rows)
                for row in stream:
                    walk.step(row)
                    if len(walk.tasks) >= CHUNK:
                        tasks = walk.take_tasks()
                        if pool is None:
                            settle(check_signatures(tasks), tasks[-1][0])
                        else:
                            pending.append((pool.submit(check_signatures, tasks), tasks[-1][0]))
                            while len(pending) > 2 * self.workers:
                                future, upto = pending.popleft()
                                settle(future.result(), upto)
                    if self.on_progress and report.events % 1000 == 0:
                        self.on_progress(report.events)
                walk.finish()
            except _Stop as stop:
                report.failure = stop.failure
                if stop.unknown_key is not None:
                    report.failure = _registered_later(stop.failure, stop.unknown_key, stream)
            while pending:
                future, upto = pending.popleft()
                settle(future.result(), upto)
            tasks = walk.take_tasks()
            settle(check_signatures(tasks), tasks[-1][0] if tasks else 0)
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        if self.on_progress:
            self.on_progress(report.events)
        if bad:
            first = min(bad, key=lambda f: f.position)
            if report.failure is None or first.position < report.failure.position:
                report.failure = first
        return report


RowsOrRow = StoredRow | list[StoredRow]


def _registered_later(failure: Failure, key_id: str, rest: Iterator[StoredRow]) -> Failure:
    """A key unknown where it signed may be registered further on (a later key back-dating
    an event): then say where, reading on only past the failure."""
    for row in rest:
        if row.topic != KEY_REGISTERED:
            continue
        try:
            record = decode_record(row.state)
        except LedgerError:
            continue
        payload = record.body.get("payload")
        if isinstance(payload, dict) and payload.get("public_key") == key_id:
            problem, problem_zh = _registered_only_at(key_id, record.seq)
            return replace(failure, problem=problem, problem_zh=problem_zh)
    return failure


def _flatten(rows: Iterable[RowsOrRow]) -> Iterator[StoredRow]:
    for item in rows:
        if isinstance(item, list):
            yield from item
        else:
            yield item


class _Walk:
    """The sequential part of the walk (steps 1 to 7, 9 and 10), queueing step 8's signatures."""

    def __init__(self, verifier: Verifier, report: Report) -> None:
        self.v = verifier
        self.report = report
        self.expected_seq = 1
        self.prev = ZERO_DIGEST
        self.recorded_at = ""
        self.versions: dict[str, int] = {}
        self.tree = TreeAccumulator()
        self.tasks: list[SignatureTask] = []
        # position -> (row, stream, version, type), kept only until its signatures are checked
        self.where: dict[int, tuple[int, str, int, str]] = {}
        self.forgotten = 0
        self.checkpoints = list(verifier.checkpoints)
        self.checkpoint_index = 0

    def take_tasks(self) -> list[SignatureTask]:
        tasks, self.tasks = self.tasks, []
        return tasks

    def forget(self, upto: int) -> None:
        """Drop what is remembered of positions up to ``upto`` (their signatures are settled)."""
        for position in range(self.forgotten + 1, upto + 1):
            self.where.pop(position, None)
        self.forgotten = max(self.forgotten, upto)

    def describe(self, position: int, problem: str, *, zh: str) -> Failure:
        """A failure at ``position``, where the walk remembers it; ``zh``: the problem in
        Chinese."""
        row, stream, version, type_ = self.where.get(position, (None, None, None, None))
        return Failure(position, row, stream, version, type_, problem, problem_zh=zh)

    def fail(
        self, row: StoredRow, problem: str, header: dict[str, Any] | None = None, *, zh: str
    ) -> _Stop:
        """Stop the walk at ``row``; ``zh``: the problem in Chinese."""
        return _Stop(
            Failure(
                self.expected_seq,
                row.row,
                row.stream,
                row.version,
                header["type"] if header else row.topic,
                problem,
                problem_zh=zh,
            )
        )

    def step(self, row: StoredRow) -> None:
        # 1. Decode; every line must be canonical (so a duplicate key is caught below).
        try:
            record = decode_record(row.state, strict_keys=False)
        except LedgerError as e:
            raise self.fail(
                row, f"stored bytes do not decode: {e}", zh=f"存储的字节无法解码：{zh_text(e)}"
            ) from None
        header = record.header
        try:
            canonical = canonical_bytes(header) == record.header_bytes
        except LedgerError:
            canonical = False
        if not canonical:
            raise self.fail(
                row, "header is not in canonical JSON form", header, zh="事件头不是规范 JSON 形式"
            )
        # The seal and body lines are not hashed, so they too must be in their one canonical
        # form: a second spelling of the same values (base64 with non-zero pad bits, an
        # upper-case \u escape) would be a change of stored bytes that no other step sees.
        _, seal_bytes, body_bytes = row.state.split(b"\n")
        seal = {"hash": record.hash, "sigs": [s.to_json() for s in record.signatures]}
        if canonical_bytes(seal) != seal_bytes:
            raise self.fail(
                row, "seal is not in canonical JSON form", header, zh="封签行不是规范 JSON 形式"
            )
        try:
            body_canonical = canonical_bytes(record.body) == body_bytes
            body_proven = body_canonical
        except LedgerError:
            body_canonical, body_proven = True, False  # step 7 names what has no canonical form
        if not body_canonical:
            raise self.fail(
                row, "body is not in canonical JSON form", header, zh="正文行不是规范 JSON 形式"
            )
        # 2. Storage columns agree with the header.
        if header["stream"] != row.stream or header["version"] != row.version:
            raise self.fail(
                row,
                f"storage says stream {row.stream} version {row.version}, header says "
                f"stream {header['stream']} version {header['version']}",
                header,
                zh=f"存储列为流 {row.stream} 版本 {row.version}，事件头为流 {header['stream']} "
                f"版本 {header['version']}",
            )
        if header["type"] != row.topic:
            raise self.fail(
                row,
                f"storage says type {row.topic!r}, header says {header['type']!r}",
                header,
                zh=f"存储列的类型为 {row.topic!r}，事件头为 {header['type']!r}",
            )
        # 3. Ledger, sequence and chain.
        if header["format"] != FORMAT:
            raise self.fail(
                row,
                f"format {header['format']!r}, expected {FORMAT!r}",
                header,
                zh=f"格式为 {header['format']!r}，应为 {FORMAT!r}",
            )
        if self.report.ledger_id is None:
            self.report.ledger_id = header["ledger"]
        elif header["ledger"] != self.report.ledger_id:
            raise self.fail(
                row,
                f"event of ledger {header['ledger']}, expected {self.report.ledger_id}",
                header,
                zh=f"事件属于台账 {header['ledger']}，应为 {self.report.ledger_id}",
            )
        self._check_position(row, header)
        # 4. Event hash over the stored header bytes.
        event_hash = leaf_hash(record.header_bytes)
        digest = to_digest(event_hash)
        if record.hash != digest:
            raise self.fail(
                row,
                f"stored hash {record.hash}, computed {digest}",
                header,
                zh=f"存储的哈希为 {record.hash}，计算得 {digest}",
            )
        # 5. Stream versions.
        self._check_version(row, header)
        # 6. Recording time.
        if header["recorded_at"] < self.recorded_at:
            raise self.fail(
                row,
                f"recorded at {header['recorded_at']}, before the event before it "
                f"({self.recorded_at})",
                header,
                zh=f"记录时间 {header['recorded_at']} 早于前一事件的记录时间（{self.recorded_at}）",
            )
        # 7. Payload commitment.
        if record.withheld:
            if not self.v.allow_withheld:
                raise self.fail(
                    row,
                    "payload is missing (withheld without authority)",
                    header,
                    zh="事件内容缺失（未经授权隐去）",
                )
            self.report.withheld.append(header["seq"])
        else:
            if body_proven:
                # The body line is canonical, so it is exactly {"payload":P,"salt":"<64 hex>"}:
                # the commitment is checked over the stored bytes of P, not a re-encoding.
                payload_bytes = body_bytes[len(_BODY_START) : -len(_BODY_END)]
            else:
                try:
                    payload_bytes = canonical_bytes(record.body["payload"])
                except LedgerError as e:
                    raise self.fail(
                        row,
                        f"payload has no canonical form: {e}",
                        header,
                        zh=f"事件内容没有规范形式：{zh_text(e)}",
                    ) from None
            if (
                commit_payload(bytes.fromhex(record.body["salt"]), payload_bytes)
                != header["payload"]
            ):
                raise self.fail(
                    row,
                    "payload does not match its commitment",
                    header,
                    zh="事件内容与其承诺值不符",
                )
        position = header["seq"]
        self.where[position] = (row.row, row.stream, row.version, header["type"])
        # 8 and 9. Keys and signatures.
        self._signatures(row, record, event_hash)
        # Accept the event.
        self.versions[row.stream] = row.version
        self.prev = digest
        self.recorded_at = header["recorded_at"]
        self.expected_seq = position + 1
        self.report.events += 1
        self.report.head_hash = digest
        # 10. The tree: checkpoints at this size (or, for some events only, inclusion proofs).
        self._include(row, position, event_hash)

    def _check_position(self, row: StoredRow, header: dict[str, Any]) -> None:
        """Step 3: the next sequence number, chained to the previous event's hash."""
        seq = header["seq"]
        if seq != self.expected_seq:
            if seq > self.expected_seq:
                problem = f"event {self.expected_seq} is missing (found {seq} next)"
                zh = f"缺少事件 {self.expected_seq}（接下来是 {seq}）"
            else:
                problem = f"position {seq} appears again or out of order here"
                zh = f"序号 {seq} 在此重复出现或顺序错乱"
            raise self.fail(row, problem, header, zh=zh)
        if header["prev"] != self.prev:
            english, chinese = _prev_mismatch(header["prev"], self.prev)
            raise self.fail(row, english, header, zh=chinese)

    def _check_version(self, row: StoredRow, header: dict[str, Any]) -> None:
        """Step 5: the stream's versions run 1, 2, 3 ... without a gap."""
        last = self.versions.get(row.stream, 0)
        if row.version != last + 1:
            raise self.fail(
                row,
                f"stream version {row.version} follows {last}, expected {last + 1}",
                header,
                zh=f"流版本 {row.version} 接在 {last} 之后，应为 {last + 1}",
            )

    def _include(self, row: StoredRow, position: int, event_hash: bytes) -> None:
        """Step 10: the event joins the tree; check each held checkpoint of this size."""
        self.tree.append(event_hash)
        while (
            self.checkpoint_index < len(self.checkpoints)
            and self.checkpoints[self.checkpoint_index].size == self.tree.size
        ):
            self._check_checkpoint(self.checkpoints[self.checkpoint_index], row)
            self.checkpoint_index += 1

    def _signatures(self, row: StoredRow, record: Record, event_hash: bytes) -> None:
        header = record.header
        position = header["seq"]
        keys = self.report.keys
        if position == 1:
            self._genesis(row, record)
        # 8a. The seal's list of signatures is not hashed; the header's signers (hashed, signed
        # by the record signature) says what it must hold (docs/format.md, "Seal").
        listed = signature_list_problem(record.signatures, header["signers"])
        if listed is not None:
            problem, zh = listed
            raise self.fail(row, problem, header, zh=zh)
        records = [s for s in record.signatures if s.role == ROLE_RECORD]
        acts = [s for s in record.signatures if s.role == ROLE_ACT]
        for sig in records:
            key = keys.get(sig.key)
            if key is None:
                stop = self.fail(
                    row,
                    f"signed with unregistered key {sig.key}",
                    header,
                    zh=f"签名所用的密钥 {sig.key} 未登记",
                )
                stop.unknown_key = sig.key
                raise stop
            if not key.valid_at(position, PURPOSE_RECORD):
                problem, zh = key.problems_at(position, PURPOSE_RECORD)
                raise self.fail(row, problem, header, zh=zh)
            self.tasks.append((position, sig.key, sig.sig, record_message(event_hash)))
        registering = header["type"] == KEY_REGISTERED
        if registering:
            self._register(row, record)
        for sig in acts:
            key = keys.get(sig.key)
            if key is None:
                stop = self.fail(
                    row,
                    f"act signed with unregistered key {sig.key}",
                    header,
                    zh=f"本人行为签名所用的密钥 {sig.key} 未登记",
                )
                stop.unknown_key = sig.key
                raise stop
            if key.holder != header["actor"]:
                raise self.fail(
                    row,
                    f"act signed by {sig.key} of {key.holder}, but the actor is {header['actor']}",
                    header,
                    zh=f"本人行为由 {key.holder} 的密钥 {sig.key} 签名，但行为人是 "
                    f"{header['actor']}",
                )
            own_registration = registering and key.registered == position
            if not own_registration and not key.valid_at(position, PURPOSE_ACT):
                problem, zh = key.problems_at(position, PURPOSE_ACT)
                raise self.fail(row, problem, header, zh=zh)
            self.tasks.append((position, sig.key, sig.sig, act_message(act_of_header(header))))
        if registering and not any(keys[s.key].registered == position for s in acts):
            raise self.fail(
                row,
                "key registration lacks the new key's own signature",
                header,
                zh="密钥登记缺少新密钥本身的签名",
            )
        if header["type"] == KEY_REVOKED:
            self._revoke(row, record)

    def _payload(self, row: StoredRow, record: Record) -> dict[str, Any]:
        if record.withheld or not isinstance(record.body["payload"], dict):
            raise self.fail(
                row,
                "a key event's payload must be present",
                record.header,
                zh="密钥事件必须带有内容",
            )
        payload: dict[str, Any] = record.body["payload"]
        return payload

    def _genesis(self, row: StoredRow, record: Record) -> None:
        header = record.header
        if header["type"] != GENESIS_TYPE:
            raise self.fail(
                row,
                f"the first event must be {GENESIS_TYPE!r}",
                header,
                zh=f"第一个事件必须是 {GENESIS_TYPE!r}",
            )
        if header["stream"] != header["ledger"]:
            raise self.fail(
                row,
                "the genesis event's stream must be the ledger id",
                header,
                zh="创世事件的流必须是台账标识",
            )
        key_id = self._payload(row, record).get("ledger_key")
        if not isinstance(key_id, str) or not _is_key_id(key_id):
            raise self.fail(
                row,
                "genesis names no valid ledger key",
                header,
                zh="创世事件没有给出有效的台账密钥",
            )
        if self.v.anchor is not None and key_id != self.v.anchor:
            raise self.fail(
                row,
                f"genesis ledger key is {key_id}, but the trusted key is {self.v.anchor}",
                header,
                zh=f"创世事件的台账密钥是 {key_id}，但信任的密钥是 {self.v.anchor}",
            )
        self.report.keys[key_id] = KeyState(
            KeyId(key_id),
            "ledger",
            frozenset({PURPOSE_RECORD, PURPOSE_CHECKPOINT, PURPOSE_ACT}),
            registered=0,
        )

    def _register(self, row: StoredRow, record: Record) -> None:
        header = record.header
        payload = self._payload(row, record)
        key_id = payload.get("public_key")
        purposes = payload.get("purposes")
        replaces = payload.get("replaces")
        if not isinstance(key_id, str) or not _is_key_id(key_id):
            raise self.fail(
                row,
                "key registration names no valid public key",
                header,
                zh="密钥登记没有给出有效的公钥",
            )
        if key_id in self.report.keys:
            raise self.fail(
                row, f"key {key_id} is registered twice", header, zh=f"密钥 {key_id} 登记了两次"
            )
        if (
            not isinstance(purposes, list)
            or not purposes
            or not all(isinstance(purpose, str) for purpose in purposes)
        ):
            raise self.fail(
                row, "key registration names no purposes", header, zh="密钥登记没有给出用途"
            )
        holder = payload.get("holder")
        if not isinstance(holder, str) or not holder:
            raise self.fail(
                row, "key registration names no holder", header, zh="密钥登记没有给出持有人"
            )
        position = header["seq"]
        if replaces is not None:
            old = self.report.keys.get(replaces) if isinstance(replaces, str) else None
            if old is None:
                raise self.fail(
                    row,
                    f"key registration replaces unknown key {replaces}",
                    header,
                    zh=f"密钥登记所替换的密钥 {replaces} 未知",
                )
            old.retired = position if old.retired is None else old.retired
        self.report.keys[key_id] = KeyState(
            KeyId(key_id), holder, frozenset(purposes), registered=position
        )

    def _revoke(self, row: StoredRow, record: Record) -> None:
        payload = self._payload(row, record)
        key_id = payload.get("key")
        key = self.report.keys.get(key_id) if isinstance(key_id, str) else None
        if key is None:
            raise self.fail(
                row,
                f"revocation of unknown key {payload.get('key')}",
                record.header,
                zh=f"所吊销的密钥 {payload.get('key')} 未知",
            )
        key.revoked = record.header["seq"] if key.revoked is None else key.revoked

    def _check_checkpoint(self, checkpoint: Checkpoint, row: StoredRow) -> None:
        root = self.tree.root()
        entry: dict[str, Any] = {"size": checkpoint.size, "origin": checkpoint.origin}
        self.report.checkpoints.append(entry)
        expected_origin = origin_of(self.report.ledger_id or "")
        if checkpoint.origin != expected_origin:
            entry["ok"] = False
            raise _Stop(
                self.describe(
                    checkpoint.size,
                    f"checkpoint is of {checkpoint.origin!r}, not of {expected_origin!r}",
                    zh=f"检查点属于 {checkpoint.origin!r}，而不是 {expected_origin!r}",
                )
            )
        if checkpoint.root != root:
            entry["ok"] = False
            raise _Stop(
                self.describe(
                    checkpoint.size,
                    f"the log's first {checkpoint.size} events do not match the signed "
                    f"checkpoint (tree head {to_digest(root)}, checkpoint says "
                    f"{to_digest(checkpoint.root)})",
                    zh=f"日志的前 {checkpoint.size} 个事件与签名检查点不符（树根为 "
                    f"{to_digest(root)}，检查点记为 {to_digest(checkpoint.root)}）",
                )
            )
        self._check_signed(checkpoint, entry)

    def _check_signed(self, checkpoint: Checkpoint, entry: dict[str, Any]) -> None:
        """A checkpoint of n events is signed after event n: by a key valid for checkpoints
        at position n + 1 (a retired key still counts), or by a key trusted out of band."""
        signers = [
            k.key_id
            for k in self.report.keys.values()
            if k.valid_at(checkpoint.size + 1, PURPOSE_CHECKPOINT)
        ] + sorted(self.v.trusted_checkpoint_keys)
        if not any(verify_checkpoint(checkpoint, key) for key in signers):
            entry["ok"] = False
            raise _Stop(
                self.describe(
                    checkpoint.size,
                    f"checkpoint at size {checkpoint.size} is not signed by a checkpoint key",
                    zh=f"规模为 {checkpoint.size} 的检查点不是由检查点密钥签名的",
                )
            )
        entry["ok"] = True

    def finish(self) -> None:
        """After the last row: checkpoints beyond the end mean the tail was removed."""
        events = self.report.events
        for checkpoint in self.checkpoints[self.checkpoint_index :]:
            if checkpoint.size == 0:
                continue
            self.report.checkpoints.append(
                {"size": checkpoint.size, "origin": checkpoint.origin, "ok": False}
            )
            raise _Stop(
                Failure(
                    events + 1,
                    None,
                    None,
                    None,
                    None,
                    f"the log ends at {events} events, but a signed checkpoint "
                    f"covers {checkpoint.size}: events {events + 1} to "
                    f"{checkpoint.size} were removed",
                    problem_zh=f"日志只有 {events} 个事件，但签名检查点涵盖 {checkpoint.size} "
                    f"个：事件 {events + 1} 至 {checkpoint.size} 已被删除",
                )
            )
        if events == 0:
            raise _Stop(
                Failure(
                    1,
                    None,
                    None,
                    None,
                    None,
                    "the log is empty: no genesis event",
                    problem_zh="日志为空：没有创世事件",
                )
            )
        self.report.tree_head = self.tree.root()


class _SparseWalk(_Walk):
    """The walk over some events of a log: positions increase but may skip; each event is
    proved to be in the tree the checkpoint signs (step 10) instead of chained to the one
    before it (step 3 checks the chain only where two neighbours are both present)."""

    def __init__(
        self,
        verifier: Verifier,
        report: Report,
        checkpoint: Checkpoint,
        proofs: Mapping[int, Sequence[bytes]],
    ) -> None:
        super().__init__(verifier, report)
        self.checkpoint = checkpoint
        self.proofs = proofs
        self.checkpoints = []  # the one checkpoint is checked by its proofs and at the end
        self.last = 0  # the position of the last event accepted

    def fail(
        self, row: StoredRow, problem: str, header: dict[str, Any] | None = None, *, zh: str
    ) -> _Stop:
        stop = super().fail(row, problem, header, zh=zh)
        seq = header.get("seq") if header is not None else None
        if type(seq) is int:  # name the event's own position, not "the one after the last"
            stop.failure = replace(stop.failure, position=seq)
        return stop

    def _check_position(self, row: StoredRow, header: dict[str, Any]) -> None:
        seq = header["seq"]
        if self.last == 0 and seq != 1:
            raise self.fail(
                row,
                f"the first event must be the genesis at position 1, got {seq}",
                header,
                zh=f"第一个事件必须是序号 1 的创世事件，而不是序号 {seq}",
            )
        if seq <= self.last:
            raise self.fail(
                row,
                f"position {seq} appears again or out of order here (after {self.last})",
                header,
                zh=f"序号 {seq} 在此重复出现或顺序错乱（在 {self.last} 之后）",
            )
        if seq > self.checkpoint.size:
            raise self.fail(
                row,
                f"position {seq} is beyond the checkpoint's {self.checkpoint.size} events",
                header,
                zh=f"序号 {seq} 超出检查点的 {self.checkpoint.size} 个事件",
            )
        if seq == self.last + 1 and header["prev"] != self.prev:
            english, chinese = _prev_mismatch(header["prev"], self.prev)
            raise self.fail(row, english, header, zh=chinese)

    def _check_version(self, row: StoredRow, header: dict[str, Any]) -> None:
        last = self.versions.get(row.stream, 0)
        if row.version <= last:
            raise self.fail(
                row,
                f"stream version {row.version} follows {last}: versions must increase",
                header,
                zh=f"流版本 {row.version} 接在 {last} 之后：版本必须递增",
            )

    def _include(self, row: StoredRow, position: int, event_hash: bytes) -> None:
        proof = self.proofs.get(position)
        if proof is None:
            raise _Stop(
                self.describe(
                    position,
                    f"no inclusion proof for position {position}",
                    zh=f"没有序号 {position} 的包含证明",
                )
            )
        try:
            verify_inclusion(
                event_hash, position - 1, self.checkpoint.size, proof, self.checkpoint.root
            )
        except ProofError as e:
            raise _Stop(
                self.describe(
                    position,
                    f"not in the log the checkpoint signs: {e}",
                    zh=f"不在检查点所签署的日志中：{zh_text(e)}",
                )
            ) from None
        self.last = position

    def finish(self) -> None:
        """After the last row: the checkpoint is of this ledger and signed by a key the
        included key events show valid for checkpoints at its size."""
        checkpoint = self.checkpoint
        if self.report.events == 0:
            raise _Stop(
                Failure(
                    1,
                    None,
                    None,
                    None,
                    None,
                    "no event: the genesis is missing",
                    problem_zh="没有事件：缺少创世事件",
                )
            )
        entry: dict[str, Any] = {"size": checkpoint.size, "origin": checkpoint.origin}
        self.report.checkpoints.append(entry)
        expected_origin = origin_of(self.report.ledger_id or "")
        if checkpoint.origin != expected_origin:
            entry["ok"] = False
            raise _Stop(
                self.describe(
                    checkpoint.size,
                    f"checkpoint is of {checkpoint.origin!r}, not of {expected_origin!r}",
                    zh=f"检查点属于 {checkpoint.origin!r}，而不是 {expected_origin!r}",
                )
            )
        self._check_signed(checkpoint, entry)
        self.report.tree_head = checkpoint.root


def _prev_mismatch(stored: str, expected: str) -> tuple[str, str]:
    """The problem, in English and Chinese, of a ``prev`` that is not the hash before it."""
    return (
        f"previous hash is {stored}, expected {expected} "
        "(the event before was changed, removed or replaced)",
        f"前一事件的哈希记为 {stored}，应为 {expected}（前一事件被修改、删除或替换）",
    )


def _is_key_id(text: str) -> bool:
    try:
        public_key_bytes(text)
    except ValueError:
        return False
    return True
