"""``ledger rules``: the rule catalogue, the parameters in force, and adopting a rule set."""

from __future__ import annotations

from pathlib import Path

import click

from ledger.cli.context import CliContext, pass_cli
from ledger.cli.render import Column, emit_json, ok, say, table


@click.group()
def rules() -> None:
    """Procedural rules: list them with their parameters; adopt a rule-set file."""


@rules.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_cli
def list_(cli: CliContext, as_json: bool) -> None:
    """Every rule with its source and the parameters in force in this ledger."""
    from ledger.domain.rules.catalogue import RULES

    service = cli.open()
    parameters = service.rule_parameters()
    version = service.ruleset_version()
    if as_json:
        emit_json(
            {
                "version": version,
                "rules": [
                    {
                        "id": r.id,
                        "title": r.title,
                        "title_zh": r.title_zh,
                        "source": r.source,
                        "checks": r.checks,
                        "parameters": parameters.get(r.id, {}),
                    }
                    for r in RULES
                ],
            }
        )
        return
    say(cli.t("rules.in_force", version=version))
    table(
        [
            Column(cli.t("col.rule"), style="cyan"),
            Column(cli.t("col.rule_title")),
            Column(cli.t("col.parameters"), style="dim"),
        ],
        [
            (
                r.id,
                r.title_zh if cli.lang == "zh" else r.title,
                ", ".join(f"{k}={v}" for k, v in parameters.get(r.id, {}).items()),
            )
            for r in RULES
        ],
        indent=2,
    )


@rules.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_cli
def adopt(cli: CliContext, file: Path) -> None:
    """Adopt a rule-set file (YAML or JSON) as the rules in force, recorded as an event.

    \b
    Example file:
      format: ledger.rules/1
      version: "2026-1"
      rules:
        notice-period: {standing_committee_days: 3}
    """
    import json

    import yaml

    from ledger.domain.rules.ruleset_file import RuleSetError, parse_ruleset
    from ledger.errors import InputError
    from ledger.integrity.digest import sha256

    try:
        raw = file.read_bytes()
    except OSError as e:
        raise InputError(cli.t("error.cannot_read", path=file, reason=e.strerror)) from e
    try:
        data = json.loads(raw) if file.suffix == ".json" else yaml.safe_load(raw)
    except (ValueError, yaml.YAMLError) as e:
        kind = "JSON" if file.suffix == ".json" else "YAML"
        raise RuleSetError(cli.t("error.not_valid", path=file, format=kind, error=e)) from e
    adopted = parse_ruleset(data, source=sha256(raw))
    service = cli.open(writable=True)
    service.adopt_ruleset(adopted)
    ok(cli.t("rules.adopted", version=adopted.version, count=len(adopted.parameters)))
