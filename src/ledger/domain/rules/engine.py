"""The rule engine: run the checks of the catalogue over a world of facts, as of a moment.

Findings are computed, never stored and never refusals: the same record judged as of the same
moment with the same parameters gives the same findings, in the same order. A breach that
became a fact after ``as_of`` is not yet a finding.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from ledger.domain.rules.catalogue import RULES, default_parameters
from ledger.domain.rules.checks import CHECKS, RuleParameterError
from ledger.domain.rules.facts import RuleSetFact, World
from ledger.domain.rules.finding import Finding
from ledger.domain.rules.ruleset_file import parameters_of
from ledger.domain.ruleset import RuleParameter, RuleSetAdopted
from ledger.errors import InputError, zh_text

DEFAULT_VERSION = "default"
"""The version a finding cites when no rule set was adopted (as a decision's basis does)."""


class UnknownRuleError(InputError):
    """A rule id that the catalogue does not have."""


def _in_force(world: World, as_of: datetime | None) -> RuleSetFact | None:
    return world.rule_set if as_of is None else world.rule_set_at(as_of)


def parameters_in_force(world: World, as_of: datetime | None = None) -> dict[str, dict[str, Any]]:
    """Every rule's parameters: the defaults, overridden by the rule set adopted on the record
    (the last one, or the last one by ``as_of``)."""
    adopted = _in_force(world, as_of)
    if adopted is None:
        return parameters_of(None)
    payload = RuleSetAdopted(
        version=adopted.version,
        parameters=tuple(
            RuleParameter(rule=p.rule, name=p.name, value=p.value) for p in adopted.parameters
        ),
        source=adopted.source,
    )
    try:
        return parameters_of(payload)
    except ValueError as e:  # a value that is not JSON text
        raise RuleParameterError(
            f"rule set {adopted.version}: a parameter is not JSON: {e}",
            zh=f"规则集 {adopted.version}：有参数不是 JSON：{zh_text(e)}",
        ) from e


def ruleset_version(world: World, as_of: datetime | None = None) -> str:
    """The version of the rule set in force (``default`` when none was adopted)."""
    adopted = _in_force(world, as_of)
    return adopted.version if adopted else DEFAULT_VERSION


def evaluate(
    world: World,
    parameters: Mapping[str, Mapping[str, Any]],
    as_of: datetime,
    rules: Iterable[str] | None = None,
    *,
    version: str | None = None,
) -> list[Finding]:
    """The findings of ``rules`` (default: every rule of the catalogue) on ``world`` as of
    ``as_of``, sorted by when each breach became a fact, then rule. Parameters not given take
    the catalogue's defaults; findings cite ``rule@version`` (default: the version of the rule
    set in force at ``as_of``)."""
    if as_of.tzinfo is None or as_of.utcoffset() is None:
        raise InputError(
            f"judge as of a time with a zone, got {as_of.isoformat()}",
            zh=f"判定时点须带时区，收到的是 {as_of.isoformat()}",
        )
    chosen = [rule.id for rule in RULES] if rules is None else list(dict.fromkeys(rules))
    unknown = [rule for rule in chosen if rule not in CHECKS]
    if unknown:
        raise UnknownRuleError(
            f"no rule {', '.join(map(repr, unknown))} in the catalogue; "
            f"known rules: {', '.join(rule.id for rule in RULES)}",
            zh=f"规则目录中没有规则 {'、'.join(map(repr, unknown))}；"
            f"已有的规则：{', '.join(rule.id for rule in RULES)}",
        )
    cited = version or ruleset_version(world, as_of)
    defaults = default_parameters()
    findings: list[Finding] = []
    for rule in chosen:
        merged = {**defaults.get(rule, {}), **parameters.get(rule, {})}
        findings += [
            dataclasses.replace(f, rule_ref=f"{rule}@{cited}")
            for f in CHECKS[rule](world, merged, as_of)
            if f.when <= as_of
        ]
    return sorted(_say_corrected(world, findings), key=lambda f: f.sort_key)


_NOT_ON_CONTENT = frozenset({"late-record", "outcome-correction"})
"""Rules a correction of an act's content cannot change: ``late-record`` reads when an act was
recorded, ``outcome-correction`` is about the correction itself."""


def _say_corrected(world: World, findings: list[Finding]) -> list[Finding]:
    """Each finding that cites an act a correction changed says so (it was judged on the
    corrected record)."""
    changed: dict[int, list[int]] = {}
    for correction in world.corrections:
        if correction.changes:
            changed.setdefault(correction.corrects, []).append(correction.position)
    if not changed:
        return findings
    out = []
    for f in findings:
        by = sorted({c for p in f.positions for c in changed.get(p, ())})
        if not by or f.rule in _NOT_ON_CONTENT:
            out.append(f)
            continue
        listed = ", ".join(map(str, by))
        out.append(
            dataclasses.replace(
                f,
                corrected_by=tuple(by),
                message=f"{f.message} (judged on the record as corrected by event {listed})",
                message_zh=f"{f.message_zh}（按第{'、'.join(map(str, by))}号事件更正后的记录判定）",
            )
        )
    return out
