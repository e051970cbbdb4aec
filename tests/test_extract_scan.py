"""fiscalcheck.extract.scan: figures with their places, and the numbers that are not figures."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fiscalcheck.figures.numerals import NumeralError, parse_numeral, to_numeral
from fiscalcheck.extract.scan import scan, scan_line


def figures(text: str) -> list[tuple[str, str, str]]:
    return [(f.printed, str(f.figure.value), f.unit.symbol) for f in scan_line(text, 1).found]


def kinds(text: str) -> dict[str, str]:
    return {n.text: n.kind for n in scan_line(text, 1).not_figures}


# -- one test per kind of number that is not a figure -------------------------------

def test_dates_are_not_figures():
    line = "2020年4月23日至5月9日，1-10月份收入2.5亿元，2018-2020年项目。"
    assert figures(line) == [("2.5亿元", "2.5", "亿元")]
    assert {"2020年4月23日", "1-10月份", "2018-2020年"} <= set(kinds(line))


def test_document_numbers_are_not_figures():
    line = "根据京朝阳发改（审）〔2020〕62号文，东坝23号地项目总投资55071.72万元。"
    assert figures(line) == [("55071.72万元", "55071.72", "万元")]
    assert kinds(line)["〔2020〕62号文"] == "document" and kinds(line)["23号"] == "document"


def test_ordinals_are_not_figures():
    line = "第三批资金于第12次区长办公会审定，共3个项目。"
    assert figures(line) == [("3个", "3", "个")]
    assert kinds(line)["第三"] == "ordinal" and kinds(line)["第12"] == "ordinal"


def test_phone_numbers_are_not_figures():
    line = "咨询电话：010-65099999，手机13812345678，补助20万元。"
    assert figures(line) == [("20万元", "20", "万元")]
    assert sorted(k for k in kinds(line).values()) == ["phone", "phone"]


def test_list_markers_are_not_figures():
    assert figures("（3）精品园区类。给予250万元资金支持。") == [("250万元", "250", "万元")]
    assert kinds("（3）精品园区类。")["（3）"] == "marker"
    assert kinds("1. 2020年资金执行情况。")["1."] == "marker"
    assert figures("一、基本情况") == []


def test_durations_are_not_figures():
    line = "建设周期12个月，3个工作日内拨付5个项目。"
    assert figures(line) == [("5个", "5", "个")]
    assert set(kinds(line).values()) == {"duration"}


def test_names_touching_latin_letters_are_not_figures():
    line = "5G基站和PM2.5监测，补助30万元。"
    assert figures(line) == [("30万元", "30", "万元")]
    assert set(kinds(line).values()) == {"name"}


def test_a_table_serial_cell_is_not_a_figure():
    lines = ["单位：万元", "\t项目", "\t预算数", "", "\t1", "\t教育支出", "\t45600"]
    result = scan(lines)
    assert [(f.line, f.printed, f.unit.symbol) for f in result.found] == [(7, "45600", "万元")]
    assert [(n.line, n.kind) for n in result.not_figures] == [(5, "serial")]


# -- what is a figure -----------------------------------------------------------------

def test_qualifiers_sign_words_and_columns():
    text = "安排资金约8900万元，税收收入下降1.9%，超过3亿元，100余家，持平。"
    found = scan_line(text, 7).found
    assert [(f.printed, f.figure.qualifier, f.sign) for f in found] == [
        ("约8900万元", "about", 0), ("下降1.9%", None, -1), ("超过3亿元", "over", 0), ("100余家", "over", 0)]
    assert [text[f.column:f.end] for f in found] == [f.printed for f in found]
    assert found[1].signed_value == Decimal("-1.9") == found[1].figure.value


def test_full_width_digits_keep_their_columns():
    text = "执行率为９９.６％，共１２１个项目"
    found = scan_line(text, 1).found
    assert [(text[f.column:f.end], str(f.figure.value), f.unit.symbol) for f in found] == [
        ("９９.６％", "99.6", "%"), ("１２１个", "121", "个")]


def test_counts_in_chinese_numerals():
    found = scan_line("开展了两批征集，从四个方面推进，支持十二家企业，一次性奖励。", 1).found
    assert [(f.printed, int(f.figure.value), f.numeral) for f in found] == [
        ("两批", 2, True), ("四个", 4, True), ("十二家", 12, True)]


def test_tenths_in_chinese_numerals():
    (found,) = scan_line("占全市总额的七成，已经完成建成", 1).found
    assert (found.printed, found.figure.base_value) == ("七成", Decimal("0.7"))


def test_numerals_that_are_words_are_not_counts():
    assert figures("一个重要抓手，千家万户受益，五个一工程奖，三部分组成") == []


def test_seen_not_read():
    unread = scan_line("涉及金额超过100万的项目，建设600路高点", 3).unread
    assert [(u.text, u.line) for u in unread] == [("100", 3), ("600", 3)]
    assert "bare 万" in unread[0].why


def test_a_range_is_one_figure_with_its_low_bound():
    (found,) = scan_line("扶持企业数量50-150家", 1).found
    assert (found.printed, found.low, found.figure.value) == ("50-150家", Decimal(50), Decimal(150))


# -- properties -----------------------------------------------------------------------

@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_numerals_round_trip(number):
    assert parse_numeral(to_numeral(number)) == number


def test_malformed_numerals_are_refused():
    for text in ("", "十十", "一二", "万万"):
        with pytest.raises(NumeralError):
            parse_numeral(text)


_FILLER = st.text(alphabet="区县镇街道建设发展管理服务改革创新推进资金政策", min_size=1, max_size=12)
_UNITS = st.sampled_from(["元", "万元", "亿元", "千元", "%", "个", "家", "项", "人", "美元", "公里"])
_VALUES = st.builds(lambda n, places: Decimal(n).scaleb(-places),
                    st.integers(min_value=1, max_value=10**9), st.integers(min_value=0, max_value=4))


@given(st.lists(st.tuples(_FILLER, _VALUES, _UNITS), min_size=1, max_size=6))
def test_figures_rendered_into_sentences_are_found(parts):
    text = ""
    expected = []
    for filler, value, unit in parts:
        text += filler
        digits = format(value, "f")
        expected.append((len(text), digits, unit))
        text += digits + unit + "，"
    found = scan_line(text, 1).found
    assert [(f.column, format(f.figure.value, "f"), f.unit.symbol) for f in found] == expected
