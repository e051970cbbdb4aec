"""The figure grammar learns the words of issue 10: units, qualifiers, sign words, Chinese numerals.

The case format reads statements with the same grammar, so a case file may write them too
(``下降1.9% @12`` is a growth of −1.9%).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import fiscalcheck
from fiscalcheck import FigureError, parse_figure
from fiscalcheck.figures.numerals import to_numeral


@pytest.mark.parametrize("printed, value, unit, qualifier", [
    ("3.5百万元", "3.5", "百万元", None),
    ("2千万元", "2", "千万元", None),
    ("120萬元", "120", "萬元", None),
    ("1.2億元", "1.2", "億元", None),
    ("逾3亿元", "3", "亿元", "over"),
    ("500多家", "500", "家", "over"),
    ("50万元以内", "50", "万元", "at-most"),
    ("不足50万元", "50", "万元", "at-most"),
    ("接近30%", "30", "%", "nearly"),
    ("下降1.9%", "-1.9", "%", None),
    ("减少了3.2亿元", "-3.2", "亿元", None),
    ("增长5.2%", "5.2", "%", None),
    ("持平", "0", "%", None),
    ("两家", "2", "家", None),
    ("十二个", "12", "个", None),
    ("约两千家", "2000", "家", "about"),
    ("七成", "7", "成", None),
])
def test_the_words_read(printed, value, unit, qualifier):
    figure = parse_figure(printed)
    assert (str(figure.value), figure.unit.symbol, figure.qualifier) == (value, unit, qualifier)


def test_scales():
    assert parse_figure("3.5百万元").base_value == Decimal("3500000")
    assert parse_figure("1.2億元").base_value == parse_figure("1.2亿元").base_value
    assert parse_figure("七成").base_value == parse_figure("70%").base_value


def test_a_sign_and_a_sign_word_are_refused():
    with pytest.raises(FigureError, match="a sign and a sign word"):
        parse_figure("下降-1.9%")


@given(st.integers(min_value=2, max_value=99999), st.sampled_from(["个", "家", "项", "人"]))
def test_chinese_numeral_counts_read_as_their_arabic_twins(number, unit):
    assert parse_figure(to_numeral(number) + unit) == parse_figure(f"{number}{unit}")


def test_a_case_file_may_write_a_decline():
    case = fiscalcheck.loads(
        "case: c\nsources: {r: {path: r.txt, text: none}}\nnodes:\n"
        "  - id: tax\n    measures: {this: 9.8亿元 @1, last: 11.2亿元 @1, growth: 下降12.5% @1}\n"
        "relations:\n  - growth: tax.growth\n    of: [tax.this, tax.last]\n    proposed: true\n"
        "    because: 'because: \"较上年\" at 1:5'\n")
    (relation,) = case.relations
    assert relation.proposed and relation.because.startswith("because:")
    assert case.check().findings == ()
    wrong = fiscalcheck.loads(fiscalcheck.dump(case).replace("下降12.5%", "增长12.5%"), "<case>")
    assert [f.rule for f in wrong.check().findings] == ["growth"]


def test_revenue_is_inherited_by_children_written_inside():
    """税收收入 under 一般公共预算收入: collected above its budget, it is not an overspend."""
    text = (
        "case: c\nsources: {r: {path: r.txt, text: none}}\nnodes:\n"
        "  - id: revenue\n    kind: revenue\n    measures: {budget: 12.21亿元 @1, executed: 12.36亿元 @1}\n"
        "    children:\n"
        "      - id: tax\n        measures: {budget: 8.20亿元 @1, executed: 8.37亿元 @1}\n"
        "      - id: fees\n        kind: item\n        measures: {budget: 4.01亿元 @1, executed: 3.99亿元 @1}\n"
    )
    case = fiscalcheck.loads(text)
    assert (case.nodes["tax"].kind, case.nodes["fees"].kind) == ("revenue", "item")
    assert [f.rule for f in case.check().findings] == []
    spending = fiscalcheck.loads(text.replace("    kind: revenue\n", ""))
    assert sorted(f.node for f in spending.check().findings if f.rule == "within-budget") == ["revenue", "revenue/tax"]


def test_a_growth_against_a_printed_change():
    """完成9.8亿元，比上年增加1.4亿元，增长16.7%: last year is 9.8 − 1.4 = 8.4, and 1.4 / 8.4 = 16.67%."""
    text = (
        "case: c\nsources: {r: {path: r.txt, text: none}}\nnodes:\n"
        "  - id: tax\n    measures: {executed: 9.8亿元 @1, change: 增加1.4亿元 @1, growth: 增长16.7% @1}\n"
        "relations:\n  - growth: tax.growth\n    of: [tax.executed, tax.change]\n    change: true\n")
    case = fiscalcheck.loads(text)
    assert case.relations[0].change and case.check().findings == ()
    assert fiscalcheck.loads(fiscalcheck.dump(case)).relations == case.relations
    wrong = fiscalcheck.loads(text.replace("增长16.7%", "增长14.3%"))  # 1.4 / 9.8: the change over this year
    (finding,) = wrong.check().findings
    assert finding.rule == "growth" and "1.4亿元 / (9.8亿元 − 1.4亿元)" in finding.message


def test_a_rate_against_a_printed_overrun():
    text = (
        "case: c\nsources: {r: {path: r.txt, text: none}}\nnodes:\n"
        "  - id: soe\n    kind: revenue\n    measures: {executed: 56000万元 @1, overrun: 6000万元 @1, rate: 112% @1}\n"
        "relations:\n  - rate: soe.rate\n    of: [soe.executed, soe.overrun]\n    change: true\n")
    assert fiscalcheck.loads(text).check().findings == ()
    (finding,) = fiscalcheck.loads(text.replace("112%", "110.7%")).check().findings
    assert finding.rule == "rate" and "56000万元 / (56000万元 − 6000万元)" in finding.message


def test_change_is_only_for_growth():
    with pytest.raises(fiscalcheck.CaseError, match="'change' is for a growth or rate relation"):
        fiscalcheck.loads("case: c\nsources: {r: {path: r.txt, text: none}}\nnodes:\n  - id: a\n    measures: {x: 1元 @1, y: 2元 @1}\n"
                          "relations:\n  - le: [a.x, a.y]\n    change: true\n")
