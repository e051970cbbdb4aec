"""The core's properties, over generated budget cases (fiscalcheck.strategies).

(That honest reports give no finding, and that a mutation is found exactly where it
was made, are the strategies' own properties: tests/test_strategies.py.)

* units (万元 ↔ 元 ↔ 亿元, restated exactly) and the order of items or
  statements are presentation: they change no verdict;
* a case written out with ``dump`` and read back is the same case;
* a binary float is refused wherever a figure enters the API.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fiscalcheck
from fiscalcheck import Figure, FigureError, Policy, Statement, to_decimal
from fiscalcheck.figures import UNITS
from fiscalcheck.strategies import mutations, reordered, restated_units

_SLOW = [HealthCheck.too_slow, HealthCheck.filter_too_much]


def verdicts(report) -> Counter:
    """What was judged and how, without wording, units or paths (a shared node's path follows order)."""
    return Counter((f.rule, f.node.rsplit("/", 1)[-1], f.measure, f.relation, f.holds) for f in report.checks)


@settings(suppress_health_check=_SLOW)
@given(mutations(), st.data())
def test_units_change_no_verdict(mutated, data):
    case = mutated.case
    restated = data.draw(restated_units(case), label="restated")
    assert verdicts(restated.check()) == verdicts(case.check())


@settings(suppress_health_check=_SLOW)
@given(mutations(), st.data())
def test_order_of_items_and_statements_changes_no_verdict(mutated, data):
    case = mutated.case
    shuffled = data.draw(reordered(case), label="reordered")
    assert verdicts(shuffled.check()) == verdicts(case.check())


def test_restating_units_keeps_the_printed_precision():
    """The transformation the property relies on: 7366.183万元 may become 0.7366183亿元,
    never 73661830元 (which would claim a precision the report did not print)."""
    node = fiscalcheck.Node("a", measures={"amount": (Statement.of("7366.183万元", line=1),),
                                           "about": (Statement.of("约8900万元", line=2),)})
    case = fiscalcheck.Case("c", {"report": fiscalcheck.Source("report", "/r")}, {"a": node})
    seen: dict[str, set[str]] = {"amount": set(), "about": set()}

    @settings(max_examples=60, database=None)
    @given(restated_units(case))
    def collect(restated):
        for measure in seen:
            seen[measure].add(restated.nodes["a"].measures[measure][0].printed)

    collect()
    assert seen["amount"] == {"7366.183万元", "0.7366183亿元"}
    assert seen["about"] == {"约8900万元", "约0.89亿元", "约89000000元"}


@settings(suppress_health_check=_SLOW)
@given(mutations())
def test_dump_then_load_gives_back_an_equal_case(mutated):
    case = mutated.case
    assert fiscalcheck.loads(fiscalcheck.dump(case)) == case
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "case.yaml")
        fiscalcheck.dump(case, path)
        assert fiscalcheck.load(path) == case


@given(st.floats())
def test_floats_are_refused_at_every_boundary(number):
    with pytest.raises(FigureError):
        to_decimal(number)
    with pytest.raises(FigureError):
        Figure(number, UNITS["万元"])
    with pytest.raises(FigureError):
        Statement.of(number, line=1)
    with pytest.raises(FigureError):
        Policy(about=number)


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_decimals_pass_the_boundary_unchanged(number):
    assert to_decimal(number) == number
    assert to_decimal(str(number)) == number
    assert Figure(number, UNITS["万元"]).value.as_tuple() == number.as_tuple()


def test_a_float_inside_text_is_still_text():
    """'7366.183' the text is exact; 7366.183 the float is not, and is refused."""
    assert Statement.of("7366.183万元", line=1).figure.value == Decimal("7366.183")
