"""Examples from the real report (../shared/reports/chaoyang-2020-budget-report.txt).

Each test names the report lines it rests on. The inline cases are typed from
those lines, and a test checks that each printed text really stands there.
"""

from pathlib import Path

import pytest

import fiscalcheck
from fiscalcheck.cli import main

ROOT = Path(__file__).resolve().parent.parent

# Annex 3 (high-tech fund), lines 216-246: 7303.583 + 62.6 = 7366.183, printed twice.
HITECH = """\
case: hitech-lines-216-246
sources:
  r2020: {path: %(report)s}
nodes:
  - id: hitech
    kind: fund
    measures:
      budget: 8500万元 @216 exact
      arranged: [7366.183万元 @218, 7366.183万元 @246]
      count: 121个 @218
    children:
      - {id: grants, measures: {arranged: 7303.583万元 @246, count: 121个 @246}}
      - {id: fees, measures: {arranged: 62.6万元 @246}}
relations:
  - le: [hitech.arranged, hitech.budget]
"""

# Annex 5 (cultural-innovation zone), lines 371 and 375: the same 176 projects with 9970 and 8889万元.
CULTURE_ZONE = """\
case: culture-zone-lines-371-375
sources:
  r2020: {path: %(report)s}
nodes:
  - id: culture-zone
    kind: fund
    measures:
      budget: 1亿元 @371 exact
      arranged: [9970万元 @371, 8889万元 @375, 约8900万元 @72]
      count: [176个 @371, 176个 @375]
"""


def inline(text, report_path):
    case = fiscalcheck.loads(text % {"report": report_path}, "inline.yaml")
    return case


def printed_where_cited(case, report_lines):
    for node, measure, statement in case.statements():
        assert statement.printed in report_lines[statement.line - 1], (node.id, measure, statement)


def test_hitech_split_lines_216_246_holds_exactly(report_path, report_lines):
    case = inline(HITECH, report_path)
    printed_where_cited(case, report_lines)
    report = case.check()
    assert report.findings == ()
    split = [f for f in report.checks if f.rule == "parts-sum" and f.measure == "arranged"]
    assert len(split) == 1 and split[0].holds and split[0].exact
    assert "7303.583万元 + 62.6万元" in split[0].message


def test_culture_zone_9970_vs_8889_lines_371_375_is_flagged(report_path, report_lines):
    case = inline(CULTURE_ZONE, report_path)
    printed_where_cited(case, report_lines)
    (finding,) = case.check().findings
    assert finding.rule == "statements-agree" and finding.severity == "error"
    assert {(s.printed, s.line) for s in finding.statements} >= {("9970万元", 371), ("8889万元", 375)}
    assert str(finding.difference) == "1081"
    assert "line 371" in finding.message and "line 375" in finding.message


def test_culture_zone_fails_on_a_typo_fixed_it_would_pass(report_path):
    """The finding rests on the printed 9970: had line 371 printed 8889, nothing would be found."""
    fixed = CULTURE_ZONE.replace("9970万元 @371", "8889万元 @371")
    findings = inline(fixed, report_path).check().findings
    assert [f for f in findings if f.rule != "provenance"] == []
    # and "fixing" the case's figure is itself caught: line 371 does not print 8889万元
    (retyped,) = findings
    assert retyped.rule == "provenance" and "line 371" in retyped.message


@pytest.fixture(scope="module")
def report_2020():
    return fiscalcheck.load(ROOT / "cases" / "2020.yaml").check()


def check_on(report, node, rule, measure):
    found = [f for f in report.checks if f.node.split("/")[-1] == node and f.rule == rule and f.measure == measure]
    assert found, (node, rule, measure)
    return found


@pytest.mark.needs_report
def test_case_2020_flags_line_371_against_375(report_2020):
    (finding,) = [f for f in report_2020.findings if f.node.endswith("culture-zone") and f.rule == "statements-agree"]
    lines = {s.line for s in finding.statements}
    assert {371, 375} <= lines


@pytest.mark.needs_report
def test_case_2020_accepts_the_7366_183_split_line_246(report_2020):
    (split,) = check_on(report_2020, "hitech", "parts-sum", "arranged")
    assert split.holds and split.exact


@pytest.mark.needs_report
def test_case_2020_eight_fund_budgets_sum_to_8_475_yi_line_60(report_2020):
    (total,) = check_on(report_2020, "industry-2020", "parts-sum", "budget")
    assert total.holds and total.exact


@pytest.mark.needs_report
def test_case_2020_rates_hold_within_printed_precision(report_2020):
    (culture,) = check_on(report_2020, "culture", "rate", "rate")  # 99.6%, line 408
    (table,) = check_on(report_2020, "inv-table-2020", "rate", "rate")  # 81.4%, line 979
    for finding in (culture, table):
        assert finding.holds and not finding.exact


@pytest.mark.needs_report
def test_run_2020_exits_1_with_both_printed_statements(capsys):
    assert main(["run", str(ROOT / "cases" / "2020.yaml")]) == 1
    out = capsys.readouterr().out
    assert "9970万元 @371" in out and "8889万元 @375" in out
