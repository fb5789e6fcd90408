"""Rendering results: JSON for scripts, plain lines for people (rich tables come later)."""

from __future__ import annotations

import json
from typing import Any

import click


def emit_json(document: Any) -> None:
    """Print a JSON document (UTF-8, readable, stable key order)."""
    click.echo(json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True, default=str))


def say(text: str = "", *, err: bool = False) -> None:
    click.echo(text, err=err)


def ok(text: str) -> None:
    click.echo(click.style("✓ ", fg="green") + text)


def bad(text: str) -> None:
    click.echo(click.style("✗ ", fg="red") + text)
