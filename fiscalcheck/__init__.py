"""fiscalcheck: audit the arithmetic of published budget reports.

The package reads as the path of the data, one subpackage a step, each
importing only from the steps below it (import-linter checks this in CI)::

    record      the one __repr__, __eq__ and __hash__ of the frozen records
    errors      places in files, and the problems found there
    collector   the cyclic collector paused while the package imports, loads and checks
    numbers     the library's own decimal contexts, exact conversion, intervals
    figures     units, the figure grammar, the interval a printing stands for
    model       Case, Node, Statement, Relation, Transfer: frozen data
    findings    Finding, waivers
    rules       quantities, judge, the built-in rules, invariants, packs
    inputs      case files, packs and baselines read from YAML, every part located
    render      tables, markdown, JSON, HTML
    api         load(), Case.check(), Report: what users hold
    testing     hypothesis strategies, the pytest plugin
    cli         the commands

In a notebook::

    import fiscalcheck
    case = fiscalcheck.load("cases/2020.yaml")
    report = case.check()
    report.findings
"""

from . import collector

# The collector is paused while the package imports its modules: everything they make lives as long
# as the process, and its passes over it found nothing to free (why and what it cost: fiscalcheck.collector).
with collector.paused():
    from .api import Case, Report, check, dump, load, loads
    from .errors import CaseError, Location, Problem
    from .figures import Figure, FigureError, Policy, parse_figure, to_decimal
    from .findings import Finding, Waived, Waiver
    from .inputs import load_pack, shipped_packs
    from .model import Ref, Relation, Source, Statement, Transfer
    from .model import Node
    from .numbers import Interval
    from .rules import BUILTIN_RULES, ExpressionError, Invariant, Rule, RulePack

__all__ = [
    "load", "loads", "dump", "check", "Case", "Node", "Statement", "Source", "Relation", "Ref", "Transfer",
    "Policy", "Report", "Finding", "Rule", "BUILTIN_RULES", "CaseError", "Problem", "Location",
    "Figure", "FigureError", "parse_figure", "to_decimal", "Interval",
    "RulePack", "load_pack", "shipped_packs", "Invariant", "ExpressionError", "Waiver", "Waived",
]
__version__ = "0.1.0"
