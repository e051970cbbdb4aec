"""The strategies keep their promises (fiscalcheck.strategies).

Generated cases are consistent by the engine, every printing stands for its
true value, parents are exact sums, sizes and depths are as asked; every
mutation the strategy calls "beyond tolerance" is found exactly where it says,
and every one it calls "within tolerance" gives no finding at all.
"""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from collections import Counter

import pytest
from hypothesis import HealthCheck, Phase, event, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from fiscalcheck import Case
from fiscalcheck.strategies import (
    MUTATION_KINDS,
    generated_cases,
    mutations,
)
from fiscalcheck.figures.tolerance import interval

_SLOW = [HealthCheck.too_slow, HealthCheck.filter_too_much]


def _key(finding) -> tuple[str, str, str]:
    """(rule, node id, measure)."""
    return finding.rule, finding.node_id, finding.measure


@settings(suppress_health_check=_SLOW)
@given(generated_cases())
def test_every_generated_case_is_consistent_by_the_engine(generated):
    report = generated.case.check()
    assert report.findings == ()
    # and the engine judged exactly the relations the generator says the case implies
    assert Counter(map(_key, report.checks)) == Counter(c.key for c in generated.checks)
    event(f"{len(report.checks) // 10 * 10}+ relations")


@settings(suppress_health_check=_SLOW)
@given(generated_cases())
def test_every_printing_stands_for_its_true_value(generated):
    """Printed after the truth was chosen, each statement's interval holds the true value."""
    case = generated.case
    for node, measure, statement in case.statements():
        span = interval(statement, measure, case.policy)
        assert _contains(span, generated.truth[(node.id, measure)]), (node.id, measure, statement.printed, str(span))


def _contains(span, truth) -> bool:
    from fractions import Fraction

    return ((span.lo is None or Fraction(span.lo) <= truth) and (span.hi is None or truth <= Fraction(span.hi)))


@settings(suppress_health_check=_SLOW)
@given(generated_cases())
def test_parents_are_exact_sums_of_their_children(generated):
    for node in generated.case.nodes.values():
        if node.children:
            for measure in ("executed", "budget", "adjusted", "count"):
                assert generated.truth[(node.id, measure)] == sum(
                    generated.truth[(c, measure)] for c in node.children)


def _depth(case: Case) -> int:
    def down(node_id: str) -> int:
        children = case.nodes[node_id].children
        return 1 + max(map(down, children)) if children else 0

    return max(down(r) for r in case.roots)


@given(st.data())
def test_size_and_depth_are_as_requested(data):
    size = data.draw(st.integers(1, 10), label="size")
    depth = data.draw(st.integers(0, size - 1), label="depth")
    case = data.draw(generated_cases(min_size=size, max_size=size, min_depth=depth, max_depth=depth)).case
    assert len(case.nodes) == size
    assert _depth(case) == depth


def test_impossible_sizes_are_refused_up_front():
    with pytest.raises(InvalidArgument):
        generated_cases(min_size=3, max_size=2)
    with pytest.raises(InvalidArgument):
        generated_cases(max_size=2, min_depth=4, max_depth=4)
    with pytest.raises(InvalidArgument):
        mutations(kinds=["typo"])


@settings(suppress_health_check=_SLOW)
@given(mutations())
def test_each_mutation_is_found_exactly_where_the_strategy_says(mutated):
    mutation = mutated.mutation
    report = mutated.case.check()
    found = Counter(map(_key, report.findings))
    assert found == Counter(c.key for c in mutation.expected)
    event(f"{mutation.kind}: {'beyond' if mutation.beyond_tolerance else 'within'} tolerance")
    if not mutation.beyond_tolerance:
        assert report.findings == ()  # the strategy said it could not be detected: no false alarm
        return
    if mutation.line is not None:  # a changed figure: some finding rests on that very printing
        assert any(s.line == mutation.line for f in report.findings for s in f.statements)
        assert all(any(s.line == mutation.line for s in f.statements) for f in report.findings)
    else:  # an item dropped or listed twice: the parent's roll-up fails
        assert any(f.rule == "parts-sum" and _key(f)[1] == mutation.node for f in report.findings)


@pytest.mark.filterwarnings("ignore:Generating overly large repr")  # find() shows each whole case it tries
def test_every_kind_of_mutation_is_detectable_and_some_are_not():
    """Each kind of mistake can move a figure beyond its tolerance (and is then found); a
    changed figure and a rate on the wrong base can also stay within it (and are then not).

    For each outcome, generation (no shrinking) runs until an example of it turns up: a
    sweep of a fixed size would depend on the hash seed of the process that draws it.
    """
    search = settings(max_examples=400, phases=[Phase.generate], database=None, suppress_health_check=_SLOW)
    wanted = [(kind, True) for kind in MUTATION_KINDS] + [("changed-figure", False), ("wrong-base-rate", False)]
    for kind, beyond in wanted:
        found = find(mutations(kinds=(kind,)), lambda m, beyond=beyond: m.mutation.beyond_tolerance == beyond,
                     settings=search)
        assert bool(found.case.check().findings) == beyond, (kind, found.mutation)


def test_the_hypothesis_entry_point_is_installed():
    try:
        importlib.metadata.distribution("fiscalcheck")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - a bare source tree
        pytest.skip("fiscalcheck is not installed (pip install -e '.[test]')")
    hooks = [e.value for e in importlib.metadata.entry_points(group="hypothesis")]
    assert "fiscalcheck.testing.strategies:_hypothesis_setup_hook" in hooks


def test_importing_fiscalcheck_does_not_import_hypothesis():
    code = "import sys, fiscalcheck; sys.exit('hypothesis' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_strategies_can_be_imported_before_hypothesis():
    """Importing hypothesis runs its entry points, which then meet this module half-initialized."""
    code = ("import fiscalcheck.strategies, fiscalcheck\n"
            "from hypothesis import strategies as st\n"
            "assert 'generated' in repr(st.from_type(fiscalcheck.Case))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
