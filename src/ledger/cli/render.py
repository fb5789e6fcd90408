"""Rendering results: JSON for scripts; lines, key-value blocks and tables for people.

Tables are drawn by rich, which measures wide (CJK) characters, so Chinese names line up. rich
is imported inside these functions, never at start-up (``ledger --help`` stays fast). Colour
only on a terminal, and never with NO_COLOR set (https://no-color.org); when stdout is not a
terminal (a pipe, a file, the tests) a table is plain text: no colour, no box, no wrapping,
one line per row, trailing spaces trimmed, so its lines are stable to read with grep and diff.
Progress is drawn on stderr only, and only when stderr is a terminal.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import click

if TYPE_CHECKING:
    from rich.console import Console

# Wide enough that no table of the ledger wraps when written to a pipe.
PLAIN_WIDTH = 100_000


def emit_json(document: Any) -> None:
    """Print a JSON document (UTF-8, readable, stable key order), the same in every language."""
    click.echo(json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True, default=str))


def say(text: str = "", *, err: bool = False) -> None:
    """Print a line as it is."""
    click.echo(text, err=err)


def _colour() -> bool:
    return not os.environ.get("NO_COLOR")


def ok(text: str, *, err: bool = False) -> None:
    """A success line, ticked (green on a terminal); on stderr with ``err`` (beside a document
    on stdout)."""
    mark = click.style("✓ ", fg="green") if _colour() else "✓ "
    click.echo(mark + text, err=err)


def bad(text: str) -> None:
    """A failure line, crossed (red on a terminal)."""
    mark = click.style("✗ ", fg="red") if _colour() else "✗ "
    click.echo(mark + text)


def fields(rows: Sequence[tuple[str, str]], *, colon: str = ":", indent: int = 2) -> None:
    """A block of ``label: value`` lines, the values aligned whatever the labels' script."""
    from rich.cells import cell_len

    labels = [label + colon for label, _ in rows]
    width = max((cell_len(label) for label in labels), default=0) + 2
    for label, (_, value) in zip(labels, rows, strict=True):
        click.echo(" " * indent + label + " " * (width - cell_len(label)) + value)


@dataclass(frozen=True)
class Column:
    """A table column: its header, its alignment, and its style on a terminal."""

    header: str
    justify: Literal["left", "right"] = "left"
    style: str | None = None


def table(columns: Sequence[Column], rows: Iterable[Sequence[object]], *, indent: int = 0) -> None:
    """Print a table: boxed and coloured on a terminal, plain and unwrapped elsewhere."""
    console = _stdout()
    plain = not console.is_terminal
    grid = _grid(columns, rows, plain=plain)
    if plain:
        for line in _plain_lines(grid):
            click.echo(" " * indent + line if line else "")
        return
    from rich.padding import Padding

    console.print(Padding(grid, (0, 0, 0, indent)) if indent else grid)


def _stdout() -> Console:
    from rich.console import Console

    return Console(highlight=False, emoji=False)


def _grid(columns: Sequence[Column], rows: Iterable[Sequence[object]], *, plain: bool) -> Any:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    grid = Table(
        box=None if plain else box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1),
        header_style="" if plain else "bold",
    )
    for column in columns:
        grid.add_column(
            column.header,
            justify=column.justify,
            style=None if plain else column.style,
            no_wrap=plain,
            overflow="fold",
        )
    for row in rows:
        # Text, not markup: a value like "[record]" is shown as it is.
        grid.add_row(*(Text(str(cell)) for cell in row))
    return grid


def _plain_lines(grid: Any) -> list[str]:
    from io import StringIO

    from rich.console import Console

    buffer = StringIO()
    Console(
        file=buffer,
        width=PLAIN_WIDTH,
        color_system=None,
        force_terminal=False,
        no_color=True,
        highlight=False,
        emoji=False,
    ).print(grid)
    return [line.rstrip() for line in buffer.getvalue().splitlines()]


@contextmanager
def progress(label: str, total: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr while the block runs, or ``None`` when stderr is not a terminal.

    The bar is redrawn by the caller's updates, not by a thread of its own, so work that forks
    processes (signature checks on all cores) never forks a threaded process.
    """
    from rich.console import Console

    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        auto_refresh=False,
    ) as bar:
        task = bar.add_task(label, total=total)

        def update(done: int) -> None:
            bar.update(task, completed=min(done, total), refresh=True)

        yield update
