"""fiscalcheck: audit the arithmetic of published budget reports.

The path of the data, one module a step::

    printed text ─ figure.py      "约7.3亿元" → Figure(Decimal("7.3"), 亿元, about)
                 ─ tolerance.py   Figure → Interval of values that print that way
    case file    ─ casefile.py    YAML → Case (nodes, statements with their lines)
    model        ─ model.py       Case, Node, Statement, Relation, Transfer
    rules        ─ invariants.py  pure functions Case → Findings; engine.py runs them
                 ─ expression.py, custom.py   an auditor's invariants, parsed (never eval'd)
                 ─ rulepack.py    rule packs (rules/*.yaml): which rules, severities, policy
                 ─ waivers.py     findings accepted with a reason, still listed
    findings     ─ findings.py    Finding: one relation judged, as data
    output       ─ report.py, output.py, cli.py

In a notebook::

    import fiscalcheck
    case = fiscalcheck.load("cases/2020.yaml")
    report = case.check()
    report.findings
"""

from .casefile import dump, load, loads
from .engine import BUILTIN_RULES, Rule
from .errors import CaseError, Location, Problem
from .figure import Figure, FigureError, parse_figure, to_decimal
from .findings import Finding
from .interval import Interval
from .model import Case, Node, Policy, Ref, Relation, Source, Statement, Transfer
from .report import Report

__all__ = [
    "load", "loads", "dump", "Case", "Node", "Statement", "Source", "Relation", "Ref", "Transfer",
    "Policy", "Report", "Finding", "Rule", "BUILTIN_RULES", "CaseError", "Problem", "Location",
    "Figure", "FigureError", "parse_figure", "to_decimal", "Interval",
    "RulePack", "load_pack", "shipped_packs", "Invariant", "ExpressionError", "Waiver", "Waived",
]
__version__ = "0.1.0"

#: Names whose modules load on first use: a run with no invariants, packs or waivers
#: never pays for the expression parser or the pack loader (see bench/startup.py).
_LAZY = {
    "Invariant": "custom", "ExpressionError": "expression", "RulePack": "rulepack",
    "load_pack": "rulepack", "shipped_packs": "rulepack", "Waiver": "waivers", "Waived": "waivers",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'fiscalcheck' has no attribute {name!r}")
