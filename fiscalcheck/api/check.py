"""Running rules over a case: the loop that never stops early, and never hides a crash.

A rule that raises does not end the run: the findings it produced before the
error are kept, and one ``rule-error`` finding names the rule and the exception,
with the traceback in its ``details`` (``fiscalcheck run --debug`` prints it).
No waiver accepts a ``rule-error``, and the command line exits 3 for one, so CI
can tell "the checker failed" from "discrepancies found" (1).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator

import attrs

from ..collector import paused
from ..diagnosis import diagnose_checks, suspects
from ..diagnosis.items import NEARBY
from ..findings import RULE_ERROR, Finding, apply_waivers
from ..findings.messages import Message
from ..inputs import load_pack
from ..model import Case
from ..rules import BUILTIN_RULES, Context, Rule, RulePack, select
from ..tables import Progress, plan
from .report import Report

__all__ = ["check", "ON_DEMAND"]

#: ``check(passed=ON_DEMAND)``, the default: the relations that hold counted, and found again when read.
ON_DEMAND = "on-demand"

#: A run that counts the relations that hold keeps them all up to this many findings, so that
#: diagnosis reads them rather than running the rules again: a small case pays the rules once,
#: and a case of 10^5 relations still holds only the failing ones and their neighbours.
KEPT_FOR_DIAGNOSIS = 5_000


def check(case: Case, rules: "Iterable[Rule] | RulePack | str | os.PathLike[str] | None" = None, *,
          engine: str = "auto", progress: Progress | None = None, passed: "bool | str" = ON_DEMAND) -> Report:
    """Run ``rules`` over ``case``; every finding, never the first only.

    ``rules`` is a rule pack (a :class:`~fiscalcheck.rules.RulePack`, a shipped
    pack's name or a path), a tuple of rules run as given, or None: the pack the
    case names, else the built-ins. With a pack, the case's own invariants run too.
    The case's waivers then move the findings they accept to ``Report.waived``.
    A case's tables run on the tree engine or, when large (or ``engine="duckdb"``),
    on the columnar one (:func:`fiscalcheck.tables.plan`); ``engine="tree"`` forces the tree.
    ``progress`` (a :class:`fiscalcheck.tables.Progress`) shows the columnar engine's steps.

    ``passed`` says what becomes of the relations that hold. A case of 10^5 nodes judges some
    220,000 of them, and keeping each as a finding is most of the memory of a check, so:

    * ``"on-demand"`` (the default): they are counted, and ``Report.checks`` (``passed``,
      ``by_rounding``, ``to_records(include_passed=True)``) finds them again when first read, by
      running the rules once more: the findings and their order are those of ``passed=True``.
      ``findings``, ``counts()`` and ``summary()`` never need them found. The report holds on to
      the case (as read) to do that.
    * ``True``: they are kept as findings now (for a reader that will list them all anyway).
    * ``False``: they are counted (``Report.held``, ``held_within``) and never kept, as the
      columnar engine does for a large table: what a command that prints only the findings needs.

    The likely causes of the failing relations are the same in all three.
    The cyclic collector is paused for the run (:mod:`fiscalcheck.collector`).
    """
    if passed not in (True, False, ON_DEMAND):
        raise ValueError(f"passed must be True, False or {ON_DEMAND!r}, not {passed!r}")
    with paused():
        return _check(case, rules, engine, progress, passed)


def _check(case: Case, rules: "Iterable[Rule] | RulePack | str | os.PathLike[str] | None",
           engine: str, progress: Progress | None, passed: "bool | str") -> Report:
    if isinstance(rules, (str, os.PathLike)):
        rules = load_pack(rules)
    columnar = None
    if case.tables:
        case, columnar = plan(case, engine)  # the small tables read into the case's nodes, once
    if rules is None and case.rules is None:  # the built-ins and the case's own invariants
        chosen = (*BUILTIN_RULES, *(invariant.rule for invariant in case.invariants))
    else:
        case, chosen = select(case, rules)
    findings, held, held_within = _tree(case, chosen, passed is True)
    tables = None
    if columnar is not None:  # the large tables: failing relations described, the rest counted
        from ..tables.engine import check_tables  # the SQL is built only for a large table

        selected = columnar if rules is None and columnar.rules is None else select(columnar, rules)[0]
        outcome = check_tables(selected, chosen, progress or Progress(None), NEARBY)
        tables = (_diagnosed(case, outcome), outcome.held, outcome.held_within)
    report = _report(case, chosen, findings, tables)
    if passed is False:
        return attrs.evolve(report, held=report.held + held, held_within=report.held_within + held_within)
    if not held:  # kept (passed=True), or none to find again
        return report
    # found again from the case as read (its small tables in its nodes) and the large tables'
    # findings as they are: no file is read twice, and what is found is what was counted
    return attrs.evolve(report, deferred=(held, held_within), again=functools.partial(_again, case, chosen, tables))


def _again(case: Case, chosen: tuple, tables) -> tuple[Finding, ...]:
    """Every finding of the run, the relations that hold kept: what ``Report.checks`` finds again."""
    with paused():
        return _report(case, chosen, _tree(case, chosen, True)[0], tables).checks


def _tree(case: Case, chosen: tuple, keep: bool) -> tuple[list[Finding], int, int]:
    """The tree engine's findings, diagnosed, and how many relations that hold it counted, not
    kept (all of them unless ``keep``), and how many of those hold only within the printed precision."""
    context = Context(case)
    findings: list[Finding] = []
    everything: list[Finding] | None = None if keep else []  # every finding in order, while the run is small
    held = held_within = 0
    for rule in chosen:
        for finding in _run(rule, case, context):
            if keep or not finding.holds:
                findings.append(finding)
            else:
                held += 1
                held_within += not finding.exact
            if everything is not None:
                everything.append(finding)
                if len(everything) > KEPT_FOR_DIAGNOSIS:
                    everything = None
    if not all(f.holds for f in findings):  # the likely causes of each discrepancy (issue 12)
        findings = _diagnose(case, chosen, context, findings, keep, everything)
    return findings, held, held_within


def _report(case: Case, chosen: tuple, findings: list[Finding], tables) -> Report:
    """The report of the tree's ``findings`` and the large tables' (``tables``: their diagnosed
    findings and counts, or None), the case's waivers applied."""
    held = held_within = 0
    if tables is not None:
        from ..tables.engine import merge

        described, held, held_within = tables
        findings = merge(findings, described, chosen)
    report = Report(case=case.id, checks=tuple(findings), rules=tuple(r.id for r in chosen), held=held,
                    held_within=held_within)
    if case.waivers:
        report = apply_waivers(report, case.waivers)
    return report


def _diagnose(case: Case, chosen, context: Context, findings: list[Finding], passed: bool,
              everything: list[Finding] | None = None) -> list[Finding]:
    """``findings`` with the likely causes of those that fail.

    A cause is ranked by the other relations its figure enters, holding ones included. When those
    were counted, not kept (``passed=False``), diagnosis reads, of the relations that hold, those
    resting on a printing a cause may change (:func:`~fiscalcheck.diagnosis.suspects`): the only
    ones it reads (a relation that holds lists every printing of each measure it reads). They are
    taken from ``everything`` the run found, kept while the run was small; past that the rules run
    again and keep only those, so the memory stays that of the failing relations and their neighbours.
    """
    if passed:
        return list(diagnose_checks(case, findings))
    shared = suspects(case, (f for f in findings if not f.holds))
    if everything is None:
        everything = (f for rule in chosen for f in _run(rule, case, context))  # in the order of a full run
    again = [f for f in everything if not f.holds or any(id(s) in shared for s in f.statements)]
    return [f for f in diagnose_checks(case, again) if not f.holds]


def _diagnosed(case: Case, outcome) -> list[Finding]:
    """A table's findings with their likely causes, each read among the relations around it (the
    neighbourhoods of :class:`fiscalcheck.tables.engine.Outcome`); a finding of a case node that a
    table sums into (``under``) is read in the case's tree, like the tree engine's own."""
    causes: dict[tuple, tuple] = {}
    for near, checks in outcome.neighbourhoods:
        for finding in diagnose_checks(near, checks):
            if not finding.holds:
                causes[(finding.rule, finding.node, finding.measure, finding.relation)] = finding.causes
    found = [attrs.evolve(f, causes=causes[key]) if (key := (f.rule, f.node, f.measure, f.relation)) in causes
             else f for f in outcome.findings]
    rest = [i for i, f in enumerate(found) if (f.rule, f.node, f.measure, f.relation) not in causes]
    if rest:
        diagnosed = diagnose_checks(case, [found[i] for i in rest])
        for i, finding in zip(rest, diagnosed):
            found[i] = finding
    return found


def _run(rule: Rule, case: Case, context: Context) -> Iterator[Finding]:
    """The findings of one rule as it gives them; those before a crash, then the crash itself as a
    finding. A stream, not a list: a rule over 10^5 nodes gives as many relations that hold, and
    a run that only counts them (``passed=False``) need never hold them all at once."""
    try:
        for finding in rule.check(case, context.for_rule(rule.severity)):
            # the built-in rules and invariants already gave each finding the rule's severity
            # (see Context.for_rule); a rule written elsewhere may leave it to the runner
            yield finding if finding.severity else attrs.evolve(finding, severity=rule.severity)
    except Exception as error:  # a broken rule is a finding, not a crash
        import traceback  # imported here: only a crash pays for it (bench/startup.py)

        yield Finding(
            rule=RULE_ERROR, severity="error", node="", label="", measure="",
            relation=rule.id, holds=False, exact=False, case=case.id,
            message=Message.of("rule-error", rule=repr(rule.id), error=f"{type(error).__name__}: {error}"),
            details="".join(traceback.format_exception(error)),
        )
