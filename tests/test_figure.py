"""Printed figures → exact decimals with units (fiscalcheck.figures)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fiscalcheck.figures import UNITS, FigureError, parse_figure, to_decimal


@pytest.mark.parametrize(
    "text, value, unit, qualifier",
    [
        ("7366.183万元", "7366.183", "万元", None),  # line 218
        ("8.475亿元", "8.475", "亿元", None),  # line 60
        ("36628.24元", "36628.24", "元", None),  # line 519
        ("约7885万元", "7885", "万元", "about"),  # line 474
        ("约7.3亿元", "7.3", "亿元", "about"),  # line 62
        ("99.6%", "99.6", "%", None),
        ("121个", "121", "个", None),  # line 218
        ("近50%", "50", "%", "nearly"),  # line 118
        ("100余次", "100", "次", "over"),  # line 190
        ("不超过2000万元", "2000", "万元", "at-most"),  # line 789
        ("３８０余条", "380", "条", "over"),  # full-width digits
        ("１２１个", "121", "个", None),
        ("44.7亿美元", "44.7", "亿美元", None),  # line 118: never summed with yuan
        ("26.76公里", "26.76", "公里", None),
        ("-5.2%", "-5.2", "%", None),  # a decline printed with its sign
        ("−3万元", "-3", "万元", None),  # U+2212, the typographic minus
    ],
)
def test_parses_printed_forms(text, value, unit, qualifier):
    figure = parse_figure(text)
    assert figure.value == Decimal(value)
    assert str(figure.value) == value  # the printed exponent is kept: 7366.183 knows its 3 places
    assert figure.unit.symbol == unit
    assert figure.qualifier == qualifier


def test_conversions_are_exact():
    assert parse_figure("8.475亿元").base_value == Decimal("847500000")
    assert parse_figure("7366.183万元").base_value == Decimal("73661830")
    assert parse_figure("36628.24元").base_value == parse_figure("3.662824万元").base_value
    assert parse_figure("99.6%").base_value == Decimal("0.996")


@pytest.mark.parametrize("text", ["12.5万圆", "abc", "", "约", "7.3亿元元"])
def test_unreadable_figures_are_errors(text):
    with pytest.raises(FigureError):
        parse_figure(text)


def test_unknown_unit_suggests_a_near_miss():
    with pytest.raises(FigureError, match="did you mean"):
        parse_figure("12.5万园")
    with pytest.raises(FigureError, match="did you mean '万元'"):  # money wins a tie with 万方
        parse_figure("12万圆")


def test_bare_number_needs_a_unit():
    with pytest.raises(FigureError, match="no unit"):
        parse_figure("96490")
    assert parse_figure("96490", UNITS["万元"]).base_value == Decimal("964900000")


@pytest.mark.parametrize("bad", [0.1, 7366.183, float("nan"), True])
def test_floats_are_refused(bad):
    with pytest.raises(FigureError):
        to_decimal(bad)
    with pytest.raises((FigureError, TypeError)):
        parse_figure(bad)


@pytest.mark.parametrize("bad", ["", " ", "NaN", "Infinity", "1.2.3"])
def test_no_silent_defaults(bad):
    with pytest.raises(FigureError):
        to_decimal(bad)


@given(st.decimals(min_value=0, max_value=10**12, places=4, allow_nan=False, allow_infinity=False),
       st.sampled_from(["元", "万元", "亿元", "个", "%", "公里"]))
def test_printing_then_parsing_keeps_the_value_exactly(value, unit):
    figure = parse_figure(f"{value}{unit}")
    assert figure.value == value
    assert figure.base_value == value * UNITS[unit].scale
