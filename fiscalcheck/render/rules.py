"""``fiscalcheck rules``: a rule pack as a table of its rules, with its policy."""

from __future__ import annotations

from collections.abc import Iterable

from tabulate import tabulate

from ..rules import BUILTIN_RULES, Invariant, RulePack
from ..rules.packs import POLICY_FIELDS

__all__ = ["describe", "policy_text", "render_rules"]


def describe(pack: RulePack | None, extra: Iterable[Invariant] = ()) -> list[list[str]]:
    """Rows ``[rule, severity, kind, what it checks]`` for ``fiscalcheck rules``."""
    rules = BUILTIN_RULES if pack is None else pack.rules
    rows = []
    for rule in (*rules, *(i.rule for i in extra)):
        if isinstance(rule.check, Invariant):
            text = rule.check.expression.source
            where = _where_text(rule.check)
            what = "\n".join(t for t in (rule.check.description, f"{text}{where}") if t)
            rows.append([rule.id, rule.severity, "custom", what])
        else:
            rows.append([rule.id, rule.severity, "built-in", rule.description])
    return rows


def _where_text(invariant: Invariant) -> str:
    where = invariant.where
    if where is None:
        return ""
    parts = [f"{key}: {', '.join(map(str, values))}" for key, values in
             (("kind", where.kinds), ("tag", where.tags), ("id", where.ids), ("path", where.paths), ("has", where.has))
             if values]
    return f"  (where {'; '.join(parts)})"


def policy_text(pack: RulePack) -> str:
    """The policy keys a pack sets, ``rounding nearest, floor 1元``; ``""`` when it sets none."""
    shown = []
    for key in POLICY_FIELDS:
        if key in pack.policy.declared:
            value = getattr(pack.policy, key)
            value = ", ".join(value) if isinstance(value, tuple) else str(value)
            shown.append(f"{key} {value}{'元' if key == 'floor' else ''}")
    return ", ".join(shown)


def render_rules(pack: RulePack) -> str:
    """``fiscalcheck rules``: the pack, its policy, and one row per rule."""
    where = f" ({pack.path})" if pack.path else ""
    lines = [f"pack {pack.name}{where}: {len(pack.rules)} rules"]
    if pack.description:
        lines.append(pack.description)
    policy = policy_text(pack)
    if policy:
        lines.append(f"policy: {policy}")
    table = tabulate(describe(pack), headers=("rule", "severity", "kind", "what it checks"),
                     tablefmt="simple", disable_numparse=True, maxcolwidths=[None, None, None, 72])
    return "\n".join(lines) + "\n\n" + table + "\n"
