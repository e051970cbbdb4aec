"""Diagnosis (fiscalcheck.diagnosis): every cause is sound, an injected mistake is found as itself,
and the sentences say what the figures are consistent with, in English and Chinese.

Soundness is judged by the engine itself, never by the diagnosis: the corrected figure of a cause
is put into the case and the case is checked again.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from unittest import mock

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from fiscalcheck import Case, Node, Source, Statement, load, loads, parse_figure
from fiscalcheck.diagnosis import CAUSE_KINDS, Cause, diagnose, diagnose_checks
from fiscalcheck.strategies import mutations

check_module = importlib.import_module("fiscalcheck.api.check")  # the module, not the function it exports

ROOT = Path(__file__).resolve().parent.parent
_SLOW = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]
#: What each injected mistake is called as a cause (changed-figure: see _injected_kind).
_NAMES = {"swapped-digits": "transposition", "unit-slip": "unit-slip"}


def _key(finding) -> tuple[str, str, str, str]:
    return finding.rule, finding.node, finding.measure, finding.relation


def _with_corrected(case: Case, cause: Cause) -> Case:
    """``case`` with the cause's suspect printing replaced by its corrected text."""
    nodes = dict(case.nodes)
    node = nodes[cause.node]
    measures = {m: tuple(attrs.evolve(s, printed=cause.corrected, figure=parse_figure(cause.corrected, s.figure.unit))
                         if s is cause.statement else s for s in statements)
                for m, statements in node.measures.items()}
    nodes[cause.node] = attrs.evolve(node, measures=measures)
    return attrs.evolve(case, nodes=nodes)


@settings(max_examples=12, deadline=None, suppress_health_check=_SLOW)
@given(mutations())
def test_every_corrected_figure_makes_its_relation_hold_by_the_engine(mutated):
    report = mutated.case.check()
    for finding in report.findings:
        for cause in finding.causes:
            assert cause.kind in CAUSE_KINDS
            assert "consistent with" in cause.evidence
            if cause.statement is None or cause.corrected is None or cause.measure == "transfer":
                continue  # an item to add to or take from a list: no one printing to replace
            again = {_key(f): f for f in _with_corrected(mutated.case, cause).check().checks}
            assert again[_key(finding)].holds, (cause.evidence, finding.message)


def _digits(text: str) -> str:
    return re.search(r"[0-9][0-9,]*(?:\.[0-9]+)?", text).group(0).replace(",", "")


def _injected_kind(mutation) -> str | None:
    if parse_figure(mutation.before).qualifier in ("over", "at-most"):
        return None  # a bound (超过480个) has no digit to get wrong in this sense: edits() proposes none
    if mutation.kind in _NAMES:
        return _NAMES[mutation.kind]
    if mutation.kind == "changed-figure":
        a, b = _digits(mutation.before), _digits(mutation.after)
        if len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1:
            return "digit-typo"
    return None


@settings(max_examples=12, deadline=None, suppress_health_check=_SLOW)
@given(mutations(kinds=["swapped-digits", "unit-slip", "changed-figure"]))
def test_an_injected_typo_is_diagnosed_as_such_and_its_undoing_ranks_first(mutated):
    """Undoing the injected mistake mends every failing relation and breaks none: no cause can rank
    above it on that count, and it is named with the injected kind on the changed printing."""
    m = mutated.mutation
    kind = _injected_kind(m)
    report = mutated.case.check()
    if kind is None or not report.findings:
        return
    checks = diagnose_checks(mutated.case, report.checks, limit=None)
    failing = [f for f in checks if not f.holds]
    for finding in failing:
        if not any(s.line == m.line for s in finding.statements):
            continue
        undo = [c for c in finding.causes if c.kind == kind and c.statement is not None
                and c.statement.line == m.line and c.node == m.node and c.measure == m.measure
                and parse_figure(c.corrected).base_value == parse_figure(m.before).base_value]
        assert undo, (m, [c.evidence for c in finding.causes])
        best = undo[0]
        assert best.breaks == 0 and best.fixes_all
        top = finding.causes[0]
        assert top.fixes - 2 * top.breaks <= best.fixes - 2 * best.breaks or top.fixes_all


def fund(rate: str = "95.0%", item_b: str = "50万元", outside: bool = False, total: str = "110万元") -> Case:
    s = Statement.of
    nodes = {
        "fund": Node("fund", label="引导资金", kind="fund",
                     measures={"budget": (s("1000万元", line=1),), "adjusted": (s("800万元", line=2),),
                               "executed": (s("760万元", line=3),), "rate": (s(rate, line=4),)}),
        "list": Node("list", label="支持项目", measures={"executed": (s(total, line=5),)},
                     children=("item-a", "item-b", *(("extra",) if outside else ())),
                     outside=("extra",) if outside else ()),
        "item-a": Node("item-a", label="房租补贴", measures={"executed": (s("60万元", line=6),)}),
        "item-b": Node("item-b", label="贷款贴息", measures={"executed": (s(item_b, line=7),)}),
    }
    if outside:
        nodes["extra"] = Node("extra", label="评审费", measures={"executed": (s("10万元", line=7),)})
    return Case("fund-case", {"report": Source("report", "/r.txt")}, nodes)


def _causes(case: Case, rule: str) -> tuple[Cause, ...]:
    (finding,) = [f for f in case.check().findings if f.rule == rule]
    return finding.causes


def test_golden_unit_slip():
    (top, *_) = _causes(fund(item_b="50元"), "parts-sum")
    assert top.sentence() == "consistent with a slip by a factor of 10^4 in 50元 (line 7): 50万元 would make it hold"
    assert top.sentence("zh") == "可能是50元（第7行）错了10^4倍：改为50万元则成立"
    assert (top.kind, top.node, top.measure, top.corrected, str(top.value)) == (
        "unit-slip", "item-b", "executed", "50万元", "50")


def test_golden_wrong_base():
    (top, *_) = _causes(fund(rate="76.0%"), "rate")
    assert top.sentence() == ("consistent with 76.0% (line 4) computed on the budget instead of the adjusted budget: "
                              "76.00% rounds to 76.0%; on the adjusted budget it would be 95.0%")
    assert top.sentence("zh") == "可能是76.0%（第4行）按年初预算而非调整预算计算：76.00% rounds to 76.0%；按调整预算应为95.0%"


def test_golden_omitted_item_printed_nearby():
    (top, *_) = _causes(fund(outside=True, total="120万元"), "parts-sum")
    assert top.sentence() == "consistent with an item left out: the difference 10万元 matches 10万元 (line 7)"
    assert top.sentence("zh") == "可能漏计了一项：差额10万元与10万元（第7行）相符"


def test_golden_transposition_in_a_figure_two_relations_share():
    s = Statement.of
    nodes = {
        "total": Node("total", measures={"executed": (s("1234万元", line=1),)}, children=("a", "b")),
        "a": Node("a", measures={"executed": (s("1000万元", line=2),)}),
        "b": Node("b", measures={"executed": (s("243万元", line=3),), "budget": (s("240万元", line=3),)}),
    }
    case = Case("t", {"report": Source("report", "/r.txt")}, nodes)
    findings = case.check().findings
    assert {f.rule for f in findings} == {"parts-sum", "within-budget"}
    for finding in findings:  # the figure both failing relations share is named in each
        top = finding.causes[0]
        assert top.sentence() == ("consistent with two adjacent digits swapped in 243万元 (line 3): 234万元 would make "
                                  "it hold (the two differ by 9, a multiple of 9); this one edit makes all 2 failing "
                                  "relations it enters hold")


def test_a_finding_alone_is_diagnosed_with_the_others_given():
    case = fund(item_b="50元")
    report = case.check()
    (finding,) = report.findings
    bare = attrs.evolve(finding, causes=())
    assert diagnose(bare, case, report.checks) == finding.causes


def test_cause_records_carry_exact_figures():
    (top, *_) = _causes(fund(item_b="50元"), "parts-sum")
    record = top.to_record()
    assert record["kind"] == "unit-slip" and record["statement"] == {"printed": "50元", "source": "report", "line": 7}
    assert type(record["value"]).__name__ == "Decimal"


@pytest.mark.needs_report
def test_the_2020_report_findings_and_their_causes():
    """docs/findings-2020.md, *What the diagnosis says*: the causes of the six findings."""
    report = load(ROOT / "cases" / "2020.yaml").check()
    by_node = {(f.rule, f.node.rsplit("/", 1)[-1]): f for f in report.findings}
    culture = by_node[("statements-agree", "culture-zone")].causes[0]
    assert (culture.kind, culture.statement.line, culture.corrected) == ("wrong-figure", 371, "8889万元")
    refund = by_node[("remainder", "listing-accel")].causes[0]
    assert (refund.kind, refund.statement.printed, refund.corrected) == ("wrong-figure", "36628.24元", "36478.24元")
    growth = by_node[("growth", "culture-zone-intake")].causes
    assert [(c.statement.printed, c.corrected) for c in growth] == [("30.9%", "38.4%"), ("297个", "314个")]
    assert all(c.kind == "wrong-figure" for c in growth)  # no typo, swap or slip of one figure fits
    sme = by_node[("statements-agree", "sme")].causes[0]
    assert (sme.statement.printed, sme.corrected) == ("约7885万元", "约7300万元")


def _same_when_counted(case):
    kept, counted, later = case.check(passed=True), case.check(passed=False), case.check()
    with mock.patch.object(check_module, "KEPT_FOR_DIAGNOSIS", 0):  # as a large run: the rules run again
        again = case.check(passed=False)
    for report in (counted, later, again):
        assert report.findings == kept.findings  # each with its causes, in the same order
        assert report.counts() == kept.counts()
        assert report.summary() == kept.summary()
        assert report.within_precision == kept.within_precision == len(kept.by_rounding)
    for report in (counted, again):
        assert report.passed == () and report.held == len(kept.passed)
    # on demand (the default): the relations that hold found again, as a full check keeps them
    assert later.checks == kept.checks and later.passed == kept.passed and later.by_rounding == kept.by_rounding
    assert later.to_records(include_passed=True) == kept.to_records(include_passed=True)


@settings(max_examples=12, deadline=None, suppress_health_check=_SLOW)
@given(mutations())
def test_the_relations_that_hold_counted_not_kept_give_the_same_findings_and_causes(mutated):
    """``check(passed=False)`` (what ``fiscalcheck run`` does) keeps of the relations that hold only
    those diagnosis reads: the findings, their causes and the summary are those of a full check. The
    default finds them again when asked: then they are the full check's, in its order."""
    _same_when_counted(mutated.case)


def test_a_rate_that_cannot_be_computed_keeps_the_relations_its_causes_would_break():
    """Found by the engines' property: the rate 0.001% over 0元 / 0元 rests on its own printing
    alone, but its causes change the 0元 it divides by, which the parent's sum reads too. Counting
    the relations that hold must keep that sum, or a cause that would break it breaks nothing."""
    case = loads("case: zero\nsources:\n  r: {path: r.txt, text: none}\nnodes:\n"
                 "  - id: program\n    measures: {adjusted: 0元 @1, executed: 0元 @1}\n    children:\n"
                 "      - {id: line, measures: {adjusted: 0元 @2, executed: 0元 @2, rate: 0.001% @2}}\n")
    (rate,) = [f for f in case.check(passed=True).findings if f.rule == "rate"]
    # 2元 would make the rate hold (0/2) and break the parent's 0元 = 2元 (each ±0.5元)
    assert ("2元", 1) in [(c.corrected, c.breaks) for c in rate.causes]
    _same_when_counted(case)


@pytest.mark.needs_report
def test_the_2020_report_counted_not_kept():
    _same_when_counted(load(ROOT / "cases" / "2020.yaml"))
