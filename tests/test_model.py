"""Building cases in code, the engine's guarantees, and reports (model, engine, report)."""

import decimal
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fiscalcheck import BUILTIN_RULES, Case, FigureError, Node, Policy, Rule, Source, Statement, Transfer
from fiscalcheck.api import check
from fiscalcheck.model import Lines
from fiscalcheck.model.case import PATH_DEPTH
from fiscalcheck.numbers import Interval


def s(text, line=1, **kw):
    return Statement.of(text, line=line, **kw)


def finance_case(executed="21993.8256万元"):
    """Annex 2, lines 153: the finance fund overspends 2743.8256万元, covered by the listing fund."""
    nodes = {
        "finance": Node("finance", "金融产业发展引导资金", "fund",
                        measures={"budget": (s("19250万元", 153, exact=True),), "executed": (s(executed, 153),)}),
        "listing": Node("listing", "推动企业上市和并购重组专项资金", "fund",
                        measures={"budget": (s("7000万元", 519, exact=True),), "executed": (s("3044.3万元", 519),)}),
    }
    transfer = Transfer("listing", "finance", (s("2743.8256万元", 153),))
    return Case("finance", {"report": Source("report", "report.txt")}, nodes, transfers=(transfer,))


def test_a_case_built_in_code_checks_like_a_loaded_one():
    report = finance_case().check()
    assert report.findings == ()
    within = [f for f in report.checks if f.rule == "within-budget"]
    assert {f.node for f in within} == {"finance", "listing"}
    assert all(f.holds for f in within)


def test_without_the_transfer_the_overspend_is_a_finding():
    case = finance_case()
    bare = Case(case.id, case.sources, case.nodes)
    (finding,) = bare.check().findings
    assert finding.rule == "within-budget" and finding.node == "finance"
    assert finding.difference == Decimal("2743.8256")


def test_floats_are_refused_at_the_api_boundary():
    with pytest.raises(FigureError, match="float"):
        Statement.of(7366.183, line=1)
    with pytest.raises(FigureError, match="float"):
        Policy(about=0.5)


def test_a_rule_that_crashes_becomes_a_finding_and_the_run_goes_on():
    def broken(case, context):
        raise ZeroDivisionError("boom")
        yield  # pragma: no cover

    rules = (Rule("broken", "always crashes", "warning", broken), *BUILTIN_RULES)
    report = check(finance_case(), rules)
    (error,) = report.findings
    assert error.rule == "rule-error" and "boom" in error.message
    assert any(f.rule == "within-budget" for f in report.checks)


def test_fail_on_levels():
    case = finance_case()
    report = Case(case.id, case.sources, case.nodes).check()
    assert not report.ok("error") and not report.ok("info") and report.ok("never")
    assert report.counts()["error"] == 1


def test_interval_division_rounds_outward():
    """Each bound is rounded away from the true quotient: checked with exact products, not the
    default 28-digit context (in which a bound rounded inward, times 3, still rounds to 1)."""
    wide = decimal.Context(prec=200, traps=[decimal.Inexact])
    third = Interval(Decimal(1), Decimal(1)).divide(Interval(Decimal(3), Decimal(3)))
    assert wide.multiply(third.lo, 3) < 1 < wide.multiply(third.hi, 3)
    negative = Interval(Decimal(-2), Decimal(-1)).quotient(Interval(Decimal(3), Decimal(7)))
    assert wide.multiply(negative.lo, 3) < -2 and wide.multiply(negative.hi, 7) > -1
    assert Interval(Decimal(1), Decimal(2)).divide(Interval(Decimal(0), Decimal(1))) is None


@given(st.text(alphabet="ab 元\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029", max_size=40))
def test_a_reports_lines_are_those_splitlines_gives(text):
    """A report's lines are kept as its text and offsets (model/lines.py), never by hand-split rules that
    differ from str.splitlines on \\r\\n, \\x85 or \\u2028: provenance cites line numbers as the loader counted."""
    lines = Lines(text)
    expected = text.splitlines()
    assert len(lines) == len(expected)
    assert list(lines) == expected
    assert [lines[i] for i in range(-len(expected), len(expected))] == expected + expected
    assert lines[1:3] == expected[1:3]


def _naive_path(case, node_id):
    """A node's path by walking its first parents to the top, then cutting it as PATH_DEPTH says."""
    ids = [node_id]
    while case.parents(ids[-1]):
        ids.append(case.parents(ids[-1])[0])
    ids.reverse()
    return "/".join(ids) if len(ids) <= PATH_DEPTH else f"{ids[0]}/…/{'/'.join(ids[-PATH_DEPTH:])}"


@given(st.lists(st.integers(1, 3), min_size=1, max_size=30), st.randoms(use_true_random=False))
def test_a_paths_are_the_first_parents_walked_to_the_top(steps, rng):
    """Node i's first parent is node i - step (so the graph has no cycle, and is often deeper than
    PATH_DEPTH), a step of 3 also listing i under i - 1 (a shared child); Case.path, which places each
    node once from its parent's place, names what walking up the first parents names, whatever order
    the paths are asked in."""
    count = len(steps) + 1
    children: dict[int, list[str]] = {i: [] for i in range(count)}
    for child, step in enumerate(steps, 1):
        children[max(child - step, 0)].append(f"n{child}")
        if step == 3:
            children[child - 1].append(f"n{child}")
    case = Case("paths", {}, {f"n{i}": Node(f"n{i}", children=tuple(children[i])) for i in range(count)})
    asked = list(case.nodes)
    rng.shuffle(asked)
    assert {i: case.path(i) for i in asked} == {i: _naive_path(case, i) for i in asked}


def test_a_cycle_of_children_ends_a_path_where_it_closes():
    case = Case("loop", {}, {"a": Node("a", children=("b",)), "b": Node("b", children=("a",))})
    assert case.path("a") == "b/a"  # a's parent is b, whose parent a is already on the path
    assert case.path("b") == "b"
