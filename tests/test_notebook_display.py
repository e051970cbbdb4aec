"""Notebook views (fiscalcheck.render.html): Report and Case as HTML, Report as a DataFrame."""

from __future__ import annotations

import html
import re
import sys
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings

from fiscalcheck import Case, Node, Source, Statement
from fiscalcheck.strategies import mutations


def fund_case(b: str = "50万元", label: str = "引导资金") -> Case:
    s = Statement.of
    nodes = {
        "fund": Node("fund", label=label, kind="fund",
                     measures={"budget": (s("120万元", line=1, exact=True),), "executed": (s("100万元", line=2),),
                               "rate": (s("83.3%", line=2),)},
                     children=("item-a", "item-b")),
        "item-a": Node("item-a", label="房租补贴", measures={"executed": (s("60万元", line=3),)}),
        "item-b": Node("item-b", label="贷款贴息", measures={"executed": (s(b, line=4),)}),
    }
    return Case("fund-case", {"report": Source("report", "/r.txt")}, nodes)


def test_report_html_puts_the_summary_first_then_one_row_per_finding():
    report = fund_case().check()
    page = report._repr_html_()
    assert page.index(html.escape(report.summary())) < page.index("<table")
    assert page.count("<tr>") == 1 + len(report.findings)  # the header and one row each
    for heading in ("severity", "node", "rule", "printed (line)", "recomputed", "difference", "tolerance"):
        assert f"<th>{heading}</th>" in page
    row = page[page.index("<tbody>"):]
    assert "parts-sum" in row and "50万元 <small>(line 4)</small>" in row
    assert "110万元" in row and "10万元" in row  # recomputed 60 + 50, and the difference


def test_report_html_says_so_when_nothing_is_found():
    page = fund_case("40万元").check()._repr_html_()
    assert "No findings." in page and "<tbody>" not in page


def test_every_text_is_escaped():
    case = fund_case(label="<script>alert(1)</script>")
    for page in (case.check()._repr_html_(), case._repr_html_()):
        assert "<script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_case_html_shows_the_tree_with_every_printing_and_marks_the_nodes_with_findings():
    """The notebook's case view is the standalone page's tree (fiscalcheck.render.page.tree_html)."""
    page = fund_case()._repr_html_()
    nodes = re.findall(r'<details class="node" data-node="([^"]+)"( open)?><summary>(.*?)</summary>', page)
    assert [n for n, _, _ in nodes] == ["fund", "item-a", "item-b"]  # nested in this order
    (_, fund_open, fund), (_, a_open, item_a), (_, _, item_b) = nodes
    assert "⚠" in fund and fund_open  # the parts-sum finding is the fund's, and its node is open
    assert "⚠" not in item_a and "⚠" not in item_b and not a_open
    assert 'class="bar"' in fund  # 100万元 executed of 120万元 budget
    for printed in ("120万元", "100万元", "83.3%", "60万元"):
        assert printed in page  # every measure, with all its printings
    assert '<span class="num disputed">50万元</span>' in page  # the figures the finding rests on
    assert page.index('data-node="item-b"') > page.index('data-node="fund"')


def test_a_shared_node_appears_under_each_parent():
    case = fund_case()
    nodes = dict(case.nodes)
    nodes["other"] = Node("other", kind="fund", children=("item-b",))
    page = Case(case.id, case.sources, nodes)._repr_html_()
    assert page.count("贷款贴息") == 2 and "shared" in page


def test_to_dataframe_keeps_figures_exact():
    pytest.importorskip("pandas")
    frame = fund_case().check().to_dataframe()
    assert len(frame) == 1
    for column in ("printed", "expected", "difference", "tolerance"):
        assert frame[column].dtype == object
        assert all(isinstance(v, Decimal) for v in frame[column] if v is not None)
    assert frame.loc[0, "expected"] == Decimal("110")
    assert frame.loc[0, "printed"] == Decimal("100")


def test_to_dataframe_of_a_clean_report_has_the_columns_and_no_rows():
    pytest.importorskip("pandas")
    frame = fund_case("40万元").check().to_dataframe()
    assert len(frame) == 0 and "difference" in frame.columns
    assert len(fund_case("40万元").check().to_dataframe(include_passed=True)) > 0


@settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow])
@given(mutations())
def test_no_float_ever_reaches_the_dataframe(mutated):
    pandas = pytest.importorskip("pandas")
    frame = mutated.case.check().to_dataframe(include_passed=True)
    for column in ("printed", "expected", "difference", "tolerance"):
        assert not pandas.api.types.is_float_dtype(frame[column])
        assert not any(isinstance(v, float) for v in frame[column])


def test_to_dataframe_without_pandas_says_how_to_get_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(ImportError, match=r"pip install 'fiscalcheck\[pandas\]'"):
        fund_case().check().to_dataframe()
