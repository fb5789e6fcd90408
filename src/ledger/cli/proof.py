"""``ledger prove`` and ``ledger consistency``: RFC 9162 Merkle proofs over the log's events.

An inclusion proof shows that one event is in the tree whose head a checkpoint of that size
signs; a consistency proof, that the log of a later checkpoint extends that of an earlier one,
unchanged. Both are computed from the read index's tree (``projections/tree.py``), checked by the
RFC's own verification algorithms before they are printed, and printed as ``sha256:<hex>``
digests (docs/format.md: digests carry their algorithm; a checkpoint's base64 root is the same
32 bytes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from ledger.cli.context import CliContext, pass_cli
from ledger.cli.options import json_option
from ledger.cli.render import emit_json, fields, ok, say

if TYPE_CHECKING:
    from ledger.projections.tree import ConsistencyProof, InclusionProof


def _digest(raw: bytes) -> str:
    from ledger.integrity.digest import to_digest

    return str(to_digest(raw))


@click.command()
@click.argument("target", metavar="POSITION|MATTER")
@click.option(
    "--size",
    type=click.IntRange(min=1),
    default=None,
    help="Prove against the tree of the first N events (a checkpoint's size). "
    "Default: every event.",
)
@json_option
@pass_cli
def prove(cli: CliContext, target: str, size: int | None, as_json: bool) -> None:
    """Prove that an event is in the log (an RFC 9162 inclusion proof): the event at POSITION,
    or each decision of MATTER (its id or exact title).

    Prints the event hash (the leaf), its leaf index (POSITION - 1), the tree size, the root hash
    and the audit path, leaf to root. Whoever holds a checkpoint of that size checks the path
    against its root (RFC 9162 section 2.1.3.2) without the rest of the log.

    \b
    Examples:
      ledger prove 42 --size 1000
      ledger prove 县城供水管网改造方案 --json
    """
    from ledger.integrity.merkle import ProofRangeError
    from ledger.projections.tree import prove_inclusion

    service = cli.open()
    index = service.index()
    try:
        events = index.tree.size
        size = events if size is None else size
        if size > events:
            raise ProofRangeError(
                f"expected --size from 1 to {events} (the log), got {size}",
                zh=f"--size 应在 1 至 {events}（日志的规模）之间，而不是 {size}",
            )
        if target.isascii() and target.isdigit():
            positions = [int(target)]
        else:
            from ledger.projections.views import Reader

            matter = Reader(index, service.app.rows_at, service.app.rows).resolve(target, "matter")
            positions = [e.position for e in index.events_of(matter) if e.type == "matter.decided"]
            if not positions:
                raise ProofRangeError(
                    f"matter {target!r} has no decision on the record to prove",
                    zh=f"议题 {target!r} 尚无可证明的决定记录",
                )
        for position in positions:
            if not 1 <= position <= size:
                raise ProofRangeError(
                    f"expected a position from 1 to {size}, got {position}",
                    zh=f"序号应在 1 至 {size} 之间，而不是 {position}",
                )
        proofs = [prove_inclusion(index.tree, position - 1, size) for position in positions]
    finally:
        index.close()
    for proof in proofs:
        proof.verify()
    if as_json:
        documents = [_inclusion_document(p) for p in proofs]
        emit_json(documents[0] if target.isascii() and target.isdigit() else documents)
        return
    for proof in proofs:
        _show_inclusion(cli, proof)


@click.command()
@click.argument("old", type=click.IntRange(min=0))
@click.argument("new", type=click.IntRange(min=0))
@json_option
@pass_cli
def consistency(cli: CliContext, old: int, new: int, as_json: bool) -> None:
    """Prove that the log of NEW events extends the log of OLD events (RFC 9162 consistency).

    Prints both root hashes and the proof. Whoever holds checkpoints of both sizes checks the
    proof against their roots (RFC 9162 section 2.1.4.2): nothing in the first OLD events was
    changed, removed or reordered.
    """
    from ledger.projections.tree import prove_consistency

    index = cli.open().index()
    try:
        proof = prove_consistency(index.tree, old, new)
    finally:
        index.close()
    proof.verify()
    _show_consistency(cli, proof, as_json)


def _inclusion_document(proof: InclusionProof) -> dict[str, Any]:
    return {
        "position": proof.index + 1,
        "leaf_index": proof.index,
        "leaf_hash": _digest(proof.leaf_hash),
        "tree_size": proof.size,
        "root_hash": _digest(proof.root),
        "inclusion_path": [_digest(p) for p in proof.path],
    }


def _show_inclusion(cli: CliContext, proof: InclusionProof) -> None:
    document = _inclusion_document(proof)
    fields(
        [
            (cli.t("proof.leaf_hash"), document["leaf_hash"]),
            (
                cli.t("proof.leaf_index"),
                cli.t("proof.leaf_at", index=proof.index, position=proof.index + 1),
            ),
            (cli.t("proof.tree_size"), str(proof.size)),
            (cli.t("proof.root_hash"), document["root_hash"]),
            (cli.t("proof.audit_path"), cli.t("proof.hashes_leaf_to_root", count=len(proof.path))),
        ],
        colon=cli.colon,
    )
    for p in document["inclusion_path"]:
        say(f"  {p}")
    ok(cli.t("proof.included", position=proof.index + 1, size=proof.size))


def _show_consistency(cli: CliContext, proof: ConsistencyProof, as_json: bool) -> None:
    document: dict[str, Any] = {
        "old_size": proof.old_size,
        "old_root": _digest(proof.old_root),
        "new_size": proof.new_size,
        "new_root": _digest(proof.new_root),
        "consistency_path": [_digest(p) for p in proof.path],
    }
    if as_json:
        emit_json(document)
        return
    fields(
        [
            (cli.t("proof.old_size"), str(proof.old_size)),
            (cli.t("proof.old_root"), document["old_root"]),
            (cli.t("proof.new_size"), str(proof.new_size)),
            (cli.t("proof.new_root"), document["new_root"]),
            (cli.t("proof.proof"), cli.t("proof.hashes", count=len(proof.path))),
        ],
        colon=cli.colon,
    )
    for p in document["consistency_path"]:
        say(f"  {p}")
    ok(cli.t("proof.consistent", old=proof.old_size, new=proof.new_size))
