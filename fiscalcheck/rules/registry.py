"""The registry of rules: each an id, a description, a default severity and a pure function.

A rule is a pure function ``(case, context) -> Iterable[Finding]``. The registry
is an immutable tuple; a rule set is chosen by passing another tuple (or a
pack), never by mutating a global. Running them is :func:`fiscalcheck.api.check`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from ..findings import Finding, severity_problem
from ..model import Case
from ..record import Record
from .builtin import BUILTIN_CHECKS
from .context import Context
from .provenance import provenance

__all__ = ["Rule", "BUILTIN_RULES", "BUILTIN_IDS", "rule_by_id"]


def _severity(rule: object, attribute: object, value: str) -> None:
    problem = severity_problem(value)
    if problem:
        raise ValueError(problem)


@attrs.frozen(repr=False, eq=False)
class Rule(Record):
    """A named check over a case."""

    id: str
    description: str
    severity: str = attrs.field(validator=_severity)
    check: Callable[[Case, Context], Iterable[Finding]] = attrs.field(eq=False, repr=False)


#: The built-in rules, in the order their findings are listed: first, whether each figure is
#: printed where the case says (a relation over a mis-cited figure audits the case, not the report).
BUILTIN_RULES: tuple[Rule, ...] = (
    Rule("provenance", "each cited figure is printed on its cited line of the report", "error", provenance),
    *(Rule(*spec) for spec in BUILTIN_CHECKS),
)
#: Their ids: taken, so a case's or pack's invariant cannot use one.
BUILTIN_IDS: tuple[str, ...] = tuple(rule.id for rule in BUILTIN_RULES)


def rule_by_id(rule_id: str, rules: Iterable[Rule] = BUILTIN_RULES) -> Rule:
    for rule in rules:
        if rule.id == rule_id:
            return rule
    raise KeyError(rule_id)
