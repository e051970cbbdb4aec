"""What interval a printed figure stands for (fiscalcheck.figures.tolerance), as GLOSSARY.md says."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fiscalcheck import Policy, Statement
from fiscalcheck.figures import parse_figure
from fiscalcheck.figures.tolerance import interval, is_exact, printed_interval, reach, with_floor
from fiscalcheck.numbers import Interval


def own(text, exact=False, rounding="nearest", about="0.5"):
    return printed_interval(parse_figure(text), exact=exact, rounding=rounding, about=D(about))


@pytest.mark.parametrize(
    "text, kwargs, lo, hi",
    [
        ("7.3亿元", {}, "7.25", "7.35"),  # GLOSSARY: round-to-nearest
        ("7.3亿元", {"rounding": "truncate"}, "7.3", "7.4"),
        ("200万元", {}, "199.5", "200.5"),
        ("200万元", {"exact": True}, "200", "200"),
        ("99.6%", {}, "99.55", "99.65"),
        ("约8900万元", {}, "8850", "8950"),  # trailing zeros of 约 are rounding, not precision
        ("约7.3亿元", {}, "7.25", "7.35"),
        ("约8900万元", {"about": "1"}, "8800", "9000"),  # the policy, stated
        ("约6.19亿元", {"rounding": "truncate"}, "6.19", "6.20"),
        ("近50%", {}, "40", "50"),
        ("-5.2%", {"rounding": "truncate"}, "-5.3", "-5.2"),  # cut toward zero: the truth lies further out
    ],
)
def test_intervals(text, kwargs, lo, hi):
    assert own(text, **kwargs) == Interval(D(lo), D(hi))


def test_bounds_are_one_sided():
    assert own("超过3亿元") == Interval(D(3), None)
    assert own("100余次") == Interval(D(100), None)
    assert own("不超过2000万元") == Interval(None, D(2000))


@given(st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False, allow_infinity=False))
def test_a_printed_figure_lies_in_its_own_interval(value):
    text = f"{value}万元"
    for rounding in ("nearest", "truncate"):
        assert value in own(text, rounding=rounding)


@given(st.decimals(min_value=0, max_value=10**9, places=6, allow_nan=False, allow_infinity=False),
       st.integers(min_value=0, max_value=4))
def test_every_value_that_rounds_to_a_print_lies_in_its_interval(true, places):
    printed = round(true, places)  # Decimal rounding: ROUND_HALF_EVEN, to nearest
    assert true in own(f"{printed}万元")


@given(st.sampled_from(["", "约", "近", "超过", "不超过"]), st.sampled_from(["", "-"]),
       st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False),
       st.sampled_from(["万元", "亿元", "元", "个", "%", "万人"]),
       st.sampled_from([None, True, False]), st.sampled_from([None, "nearest", "truncate"]),
       st.sampled_from(["nearest", "truncate"]), st.sampled_from(["0.5", "1", "0"]),
       st.sampled_from(["0", "1", "100"]))
def test_a_statements_interval_is_its_printed_interval_scaled_and_floored(
        qualifier, sign, value, unit, exact, rounding, policy_rounding, about, floor):
    """interval() works on bounds and builds one Interval: it must agree with the composition
    it stands for, printed_interval() in the figure's unit, scaled to the base, widened by the floor."""
    text = f"{qualifier}{sign}{value}{unit}"
    statement = Statement(printed=text, figure=parse_figure(text), source="r", line=1, exact=exact,
                          rounding=rounding)
    policy = Policy(rounding=policy_rounding, about=D(about), floor=D(floor))
    figure = statement.figure
    composed = printed_interval(figure, exact=is_exact(statement, "budget", policy),
                                rounding=rounding or policy_rounding, about=D(about)).scale(figure.unit.scale)
    if D(floor) and figure.unit.dimension == "CNY":
        composed = with_floor(composed, figure.base_value, D(floor))
    assert interval(statement, "budget", policy) == composed


@given(st.sampled_from(["", "约", "近"]), st.sampled_from(["", "-"]),
       st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False),
       st.sampled_from(["万元", "亿元", "元", "个", "%", "万人"]),
       st.sampled_from([None, True, False]), st.sampled_from([None, "nearest", "truncate"]),
       st.sampled_from(["nearest", "truncate"]), st.sampled_from(["0.5", "2", "0.1", "0"]),
       st.sampled_from(["0", "1", "100"]), st.sampled_from(["budget", "count"]))
def test_a_statement_stands_for_values_within_its_figures_reach(
        qualifier, sign, value, unit, exact, rounding, policy_rounding, about, floor, measure):
    """The diagnosis passes over a candidate farther than reach() from what a relation needs
    (diagnosis/edits.py): so no statement printing a figure may stand for a value farther out."""
    text = f"{qualifier}{sign}{value}{unit}"
    statement = Statement(printed=text, figure=parse_figure(text), source="r", line=1, exact=exact,
                          rounding=rounding)
    policy = Policy(rounding=policy_rounding, about=D(about), floor=D(floor), exact=("count",))
    base, far = statement.figure.base_value, reach(statement.figure, policy)
    span = interval(statement, measure, policy)
    assert base - far <= span.lo and span.hi <= base + far
