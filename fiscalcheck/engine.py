"""Running rules over a case: the registry of rules and the loop that never stops early.

A rule is a pure function ``(case, context) -> Iterable[Finding]`` with an id, a
one-line description and a default severity. The registry is an immutable tuple;
a rule set is chosen by passing another tuple, not by mutating a global.

A rule that raises does not crash the run: it becomes one ``rule-error`` finding
naming the rule and the exception, and every other rule still runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import attrs

from .findings import SEVERITIES, Finding
from .invariants import BUILTIN_CHECKS, Context
from .model import Case

if TYPE_CHECKING:  # pragma: no cover
    from .report import Report
    from .rulepack import RulePack

__all__ = ["Rule", "BUILTIN_RULES", "check", "rule_by_id"]


@attrs.frozen
class Rule:
    """A named check over a case."""

    id: str
    description: str
    severity: str = attrs.field(validator=attrs.validators.in_(SEVERITIES))
    check: Callable[[Case, Context], Iterable[Finding]] = attrs.field(eq=False, repr=False)


#: The built-in rules, in the order their findings are listed.
BUILTIN_RULES: tuple[Rule, ...] = tuple(Rule(*spec) for spec in BUILTIN_CHECKS)


def rule_by_id(rule_id: str, rules: Iterable[Rule] = BUILTIN_RULES) -> Rule:
    for rule in rules:
        if rule.id == rule_id:
            return rule
    raise KeyError(rule_id)


def check(case: Case, rules: "Iterable[Rule] | RulePack | str | None" = None) -> "Report":
    """Run ``rules`` over ``case``; every finding, never the first only.

    ``rules`` is a rule pack (a :class:`~fiscalcheck.rulepack.RulePack`, a shipped
    pack's name or a path), a tuple of rules run as given, or None: the pack the
    case names, else the built-ins. With a pack, the case's own invariants run too.
    The case's waivers then move the findings they accept to ``Report.waived``.
    """
    from .report import Report

    if rules is None and case.rules is None:  # the built-ins and the case's own invariants
        chosen = (*BUILTIN_RULES, *(invariant.rule for invariant in case.invariants))
    else:
        from .rulepack import select  # packs are built from this module's rules

        case, chosen = select(case, rules)
    context = Context(case)
    findings: list[Finding] = []
    for rule in chosen:
        try:
            produced = list(rule.check(case, context.for_rule(rule.severity)))
        except Exception as error:  # a broken rule is a finding, not a crash
            findings.append(Finding(
                rule="rule-error", severity="error", node="", label="", measure="",
                relation=rule.id, holds=False, exact=False, case=case.id,
                message=f"rule {rule.id!r} failed: {type(error).__name__}: {error}",
            ))
            continue
        # the built-in rules and invariants already gave each finding the rule's severity
        # (see Context.for_rule); a rule written elsewhere may leave it to the engine
        findings.extend(
            f if f.severity else attrs.evolve(f, severity=rule.severity) for f in produced
        )
    report = Report(case=case.id, checks=tuple(findings), rules=tuple(r.id for r in chosen))
    if not case.waivers:
        return report
    from .waivers import apply_waivers

    return apply_waivers(report, case.waivers)
