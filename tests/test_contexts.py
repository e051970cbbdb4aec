"""Exactness no caller can disturb: every decimal operation names a context of the library's own.

A notebook that sets ``decimal.getcontext().prec = 6``, a rounding mode or an ``Inexact`` trap
must not change one digit of one result: the real cases and generated ones are checked under
random caller contexts and their JSON output compared byte for byte with the output under the
default context.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fiscalcheck
from fiscalcheck.render import render
from fiscalcheck.strategies import cases, mutations

ROOT = Path(__file__).resolve().parent.parent
REAL_CASES = [ROOT / "cases" / "2020.yaml", ROOT / "cases" / "2021.yaml"]
_ROUNDINGS = [decimal.ROUND_DOWN, decimal.ROUND_HALF_UP, decimal.ROUND_HALF_EVEN, decimal.ROUND_CEILING,
              decimal.ROUND_FLOOR, decimal.ROUND_UP, decimal.ROUND_HALF_DOWN, decimal.ROUND_05UP]
_SIGNALS = [decimal.Inexact, decimal.Rounded, decimal.Subnormal, decimal.Underflow, decimal.Overflow,
            decimal.DivisionByZero, decimal.InvalidOperation, decimal.Clamped]

caller_contexts = st.builds(
    lambda prec, rounding, traps, emax: decimal.Context(prec=prec, rounding=rounding, traps=traps,
                                                        Emax=emax, Emin=-emax),
    st.integers(1, 80), st.sampled_from(_ROUNDINGS), st.lists(st.sampled_from(_SIGNALS), unique=True),
    st.sampled_from([999999, 99, 30]),
)


def _output(path_or_case, fmt: str = "json") -> str:
    case = fiscalcheck.load(path_or_case) if isinstance(path_or_case, Path) else path_or_case
    report = case.check()
    return render([report], fmt, include_passed=True) + "\n".join(f.message for f in report.checks)


def _under(context: decimal.Context, function, *args) -> str:
    with decimal.localcontext(context):
        return function(*args)


@pytest.fixture(scope="module")
def real_outputs() -> dict[Path, tuple[str, str]]:
    return {p: (_output(p), _output(p, "table")) for p in REAL_CASES}


@pytest.mark.needs_report
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(caller_contexts)
def test_the_real_cases_give_the_same_bytes_under_any_caller_context(real_outputs, context):
    for path, (json_out, table_out) in real_outputs.items():
        assert _under(context, _output, path) == json_out
        assert _under(context, _output, path, "table") == table_out


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.one_of(cases(), mutations().map(lambda m: m.case)), caller_contexts)
def test_generated_cases_give_the_same_bytes_under_any_caller_context(case, context):
    assert _under(context, _output, case) == _output(case)


@pytest.mark.needs_report
def test_a_tiny_caller_precision_raises_no_false_alarm():
    """The issue's reproducer: prec 6 turned a holding remainder into "20.932万元 should equal 5000 − 4979.07"."""
    with decimal.localcontext(decimal.Context(prec=6, traps=[decimal.Inexact])):
        report = fiscalcheck.load(REAL_CASES[0]).check()
    assert [f for f in report.findings if f.rule == "rule-error"] == []
    assert len(report.findings) == 6


def test_a_negative_figure_keeps_every_printed_digit():
    digits = "1234567890123456789012345678901"  # 31 digits: more than the default precision of 28
    with decimal.localcontext(decimal.Context(prec=28)):
        figure = fiscalcheck.parse_figure(f"-{digits}万元")
    assert figure.value == Decimal(f"-{digits}")
    assert str(figure.value) == f"-{digits}"
