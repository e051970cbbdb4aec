"""``check()`` counts the relations that hold and finds them again when they are read.

What is found again must be what a check that keeps them (``passed=True``) keeps, in its order,
with the same waivers and the same large-table findings, even when the files the case read are
gone; and reading the counts, the summary or the findings must not run the rules again.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import attrs
import pytest

from fiscalcheck import BUILTIN_RULES, load, loads
from columnar import ENGINES

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "cases" / "examples" / "tables"

# a fund whose parts do not sum (budget 60 + 30 against 100, waived; executed 50 + 10 against 90), and
# two relations that hold only within the printed precision: the rate 33.3% (10/30 is 33.33...%) and
# other's 4.5万元 executed against its 4万元 adjusted (4万元 stands for 3.5 to 4.5)
CASE = """\
case: fund
sources:
  r: {path: r.txt, text: none}
nodes:
  - id: fund
    measures: {budget: 100万元 @1, executed: 90万元 @1}
    children:
      - {id: a, measures: {budget: 60万元 @2, executed: 50万元 @2}}
      - {id: b, measures: {budget: 30万元 @3, executed: 10万元 @3, rate: 33.3% @3}}
  - id: other
    measures: {budget: 5万元 @4, adjusted: 4万元 @4, executed: 4.5万元 @4}
waivers:
  - {rule: parts-sum, node: fund, measure: budget, reason: known}
"""


def counted_rules(calls: list[str]) -> tuple:
    """The built-in rules, each noting in ``calls`` when it runs."""
    def counting(rule):
        def check(case, context):
            calls.append(rule.id)
            return rule.check(case, context)
        return attrs.evolve(rule, check=check)
    return tuple(counting(rule) for rule in BUILTIN_RULES)


def test_counts_summary_and_findings_do_not_run_the_rules_again():
    calls: list[str] = []
    case = loads(CASE)
    report = case.check(counted_rules(calls))
    ran = len(calls)
    assert ran >= len(BUILTIN_RULES)
    report.summary(), report.counts(), report.findings, report.ok(), report.messages(), report.within_precision
    assert len(calls) == ran
    kept = case.check(BUILTIN_RULES, passed=True)
    assert report.checks == kept.checks  # read: the rules ran once more ...
    assert len(calls) == ran + len(BUILTIN_RULES)
    assert report.passed == kept.passed and report.by_rounding == kept.by_rounding
    assert len(calls) == ran + len(BUILTIN_RULES)  # ... and once only


def test_a_report_echoed_in_a_console_is_its_summary_and_runs_no_rule_again():
    """Its fields hold every finding; echoing a report shows what it found. Here: four
    executed-within-budget relations hold (other's 4.5万元 against 4万元 only within the printed
    precision), and the rate 33.3% (10/30) within it too; fund's executed parts do not sum; its
    budget's waived."""
    calls: list[str] = []
    report = loads(CASE).check(counted_rules(calls))
    ran = len(calls)
    assert repr(report) == ("<Report fund: 7 relations checked, 5 hold (2 only within printed precision); "
                            "1 error, 0 warnings, 0 infos, 1 waived>")
    assert len(calls) == ran


def test_found_again_with_the_waivers_as_a_full_check():
    case = loads(CASE)
    later, kept = case.check(), case.check(passed=True)
    assert [w.finding.rule for w in kept.waived] == ["parts-sum"]
    assert later.waived == kept.waived
    assert later.checks == kept.checks
    assert later.counts() == kept.counts() and later.summary() == kept.summary()
    assert kept.within_precision == 2 == later.within_precision


@pytest.mark.parametrize("engine", ENGINES)
def test_found_again_from_the_case_as_read_when_its_table_file_is_gone(tmp_path, engine):
    for name in ("county-2024.yaml", "expenditure.csv", "report.txt"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    case = load(tmp_path / "county-2024.yaml")
    kept = case.check(engine=engine, passed=True)
    later = case.check(engine=engine)
    (tmp_path / "expenditure.csv").unlink()
    assert later.checks == kept.checks  # neither the table nor the report read again
    assert later.counts() == kept.counts()


def test_passed_takes_three_values():
    with pytest.raises(ValueError, match="passed must be True, False or 'on-demand'"):
        loads(CASE).check(passed="yes")
