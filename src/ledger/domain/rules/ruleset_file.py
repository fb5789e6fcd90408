"""A rule-set file: the parameters a ledger's rules use, checked against the catalogue.

::

    format: ledger.rules/1
    version: "2026-1"
    rules:
      notice-period: {standing_committee_days: 2, plenary_days: 5}
      majority: {share: "1/2", strict: true}

Parameters not named keep their defaults. Adopting a file records it as an event
(``ruleset.adopted``), so every later finding and decision can name the version it was judged by.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ledger.domain.rules.catalogue import RULES_BY_ID
from ledger.domain.rules.thresholds import Share
from ledger.domain.ruleset import RuleParameter, RuleSetAdopted
from ledger.errors import InputError, zh_text

FORMAT = "ledger.rules/1"


class RuleSetError(InputError):
    """A rule-set file names an unknown rule or parameter, or a value of the wrong kind."""


def parse_ruleset(data: Any, source: str = "") -> RuleSetAdopted:
    """Check a rule-set document and turn it into the payload that records it."""
    if not isinstance(data, Mapping):
        raise RuleSetError(
            "a rule-set file is a mapping with 'version' and 'rules'",
            zh="规则集文件应是含 'version' 和 'rules' 的映射",
        )
    unknown_keys = set(data) - {"format", "version", "rules"}
    if unknown_keys:
        raise RuleSetError(
            f"unknown keys in the rule-set file: {sorted(unknown_keys)}",
            zh=f"规则集文件中有未知的键：{sorted(unknown_keys)}",
        )
    if data.get("format", FORMAT) != FORMAT:
        raise RuleSetError(
            f"format must be {FORMAT!r}, got {data.get('format')!r}",
            zh=f"format 应为 {FORMAT!r}，收到的是 {data.get('format')!r}",
        )
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        raise RuleSetError(
            "the rule set needs a 'version' (text, e.g. \"2026-1\")",
            zh="规则集须有 'version'（文本，如 \"2026-1\"）",
        )
    rules = data.get("rules") or {}
    if not isinstance(rules, Mapping):
        raise RuleSetError(
            "'rules' maps rule ids to their parameters", zh="'rules' 应是从规则标识到其参数的映射"
        )
    parameters = []
    for rule_id, values in rules.items():
        rule = RULES_BY_ID.get(rule_id)
        if rule is None:
            raise RuleSetError(
                f"unknown rule {rule_id!r}; see docs/rules.md for the ids",
                zh=f"未知的规则 {rule_id!r}；规则标识见 docs/rules.md",
            )
        if not isinstance(values, Mapping):
            raise RuleSetError(
                f"rule {rule_id}: parameters are a mapping", zh=f"规则 {rule_id}：参数应是映射"
            )
        for name, value in values.items():
            if name not in rule.parameters:
                known = ", ".join(sorted(rule.parameters))
                raise RuleSetError(
                    f"rule {rule_id} has no parameter {name!r} (it has: {known or 'none'})",
                    zh=f"规则 {rule_id} 没有参数 {name!r}（它的参数：{known or '无'}）",
                )
            _check_value(rule_id, name, rule.parameters[name], value)
            parameters.append(RuleParameter(rule=rule_id, name=name, value=json.dumps(value)))
    return RuleSetAdopted(version=version, parameters=tuple(parameters), source=source)


def _check_value(rule_id: str, name: str, default: Any, value: Any) -> None:
    if type(value) is not type(default):
        raise RuleSetError(
            f"rule {rule_id}, {name}: expected {type(default).__name__} like {default!r}, "
            f"got {value!r}",
            zh=f"规则 {rule_id} 的参数 {name}：应为 {type(default).__name__} 类型，"
            f"如 {default!r}，收到的是 {value!r}",
        )
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        raise RuleSetError(
            f"rule {rule_id}, {name}: must not be negative, got {value}",
            zh=f"规则 {rule_id} 的参数 {name}：不能为负数，收到的是 {value}",
        )
    if name.endswith("share"):
        try:
            Share.parse(value, True)
        except ValueError as e:
            raise RuleSetError(
                f"rule {rule_id}, {name}: {e}", zh=f"规则 {rule_id} 的参数 {name}：{zh_text(e)}"
            ) from e


def parameters_of(adopted: RuleSetAdopted | None) -> dict[str, dict[str, Any]]:
    """Every rule's parameters: defaults, overridden by an adopted rule set."""
    result = {rule_id: dict(rule.parameters) for rule_id, rule in RULES_BY_ID.items()}
    if adopted is not None:
        for item in adopted.parameters:
            result.setdefault(item.rule, {})[item.name] = json.loads(item.value)
    return result
