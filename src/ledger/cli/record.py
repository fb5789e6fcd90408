"""``ledger record`` and ``ledger schema``: record a batch of acts from a file; print its schema."""

from __future__ import annotations

from pathlib import Path

import click

from ledger.cli.context import CliContext, pass_cli
from ledger.cli.render import emit_json, ok, say


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_cli
def record(cli: CliContext, file: Path, as_json: bool) -> None:
    """Record the acts in a YAML or JSON record file, all of them or none.

    The format is in docs/record-format.md; `ledger schema` prints its JSON Schema. Materials
    named by file path are read relative to FILE and kept in the ledger's content store.

    \b
    Example:
      ledger record meeting-2026-03.yaml
    """
    from ledger.record.document import read_document

    document = read_document(file)
    service = cli.open(writable=True)
    result = service.record(
        document.acts, base_dir=file.parent, transcription=document.transcription
    )
    if service.index_problem:
        say(cli.t("record.index_behind", problem=service.index_problem), err=True)
    if as_json:
        emit_json(
            {
                "events": result.events,
                "first_position": result.first_position,
                "last_position": result.last_position,
                "aliases": {k: str(v) for k, v in result.aliases.items()},
            }
        )
        return
    ok(
        cli.t(
            "record.recorded",
            acts=len(document.acts),
            events=result.events,
            first=result.first_position,
            last=result.last_position,
        )
    )
    for alias, ident in result.aliases.items():
        say(f"  {alias:<16} {ident}")


@click.command()
def schema() -> None:
    """Print the JSON Schema of a record file."""
    from ledger.record.document import schema as record_schema

    emit_json(record_schema())
