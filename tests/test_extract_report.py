"""`fiscalcheck extract` and `fiscalcheck audit` on the real report, and on the fixtures.

The real report lives beside the repository (../shared/reports/); these tests skip, saying
so, when it is absent. Expected values are read off the report by hand (docs/findings-2020.md),
never computed by the extractor.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import fiscalcheck
from fiscalcheck.cli import main
from fiscalcheck.api import Case
from fiscalcheck.extract import extract
from fiscalcheck.extract.draft import draft_case, proposed_relations

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def audited(report_lines, report_path):
    extraction = extract(report_lines, str(report_path))
    case = Case.of(draft_case(extraction, str(report_path.parent / "draft.yaml")))
    return extraction, case, case.check()


def test_the_culture_zone_totals_disagree_with_both_lines(audited):
    """Finding 1 of the memo: 9970万元 (line 371) and 8889万元 (line 375), one label, one node."""
    _, _, report = audited
    agree = [f for f in report.findings if f.rule == "statements-agree"]
    assert [sorted((s.printed, s.line) for s in f.statements) for f in agree] == [
        [("8889万元", 375), ("9970万元", 371)]]


def test_the_hitech_split_is_proposed_and_holds(audited):
    """Line 246: 支持金额7303.583万元；另有…其他费用62.6万元。故安排资金共计7366.183万元."""
    extraction, case, report = audited
    (split,) = [p for p in extraction.proposals if p.total.line == 246 and p.total.printed == "7366.183万元"
                and p.kind == "sum"]
    assert [f.printed for f in split.parts] == ["7303.583万元", "62.6万元"]
    assert '"共计" at 246:' in split.because()
    proposed = proposed_relations(case)
    (checked,) = [f for f in report.checks if f.origin in proposed and f.rule == "parts-sum"
                  and sorted(s.printed for s in f.statements) == ["62.6万元", "7303.583万元", "7366.183万元"]]
    assert checked.holds and checked.exact


def test_no_false_alarm(audited):
    """Every finding of the audit is a discrepancy of docs/findings-2020.md (1, 3, 4 and 6)."""
    _, _, report = audited
    assert sorted((f.rule, min(s.line for s in f.statements)) for f in report.findings) == [
        ("growth", 374), ("parts-sum", 80), ("remainder", 519), ("statements-agree", 371)]


def test_the_summary_names_the_annex_items_that_do_not_add_up(audited):
    """Finding 3: line 80 约590万元 for 高成长企业培育计划、中小企业服务工作、中小企业数据库建设,
    which annex 7 (line 474) prints as 341.88 + 187.2437 + 75 = 604.1237万元."""
    _, _, report = audited
    (finding,) = [f for f in report.findings if f.rule == "parts-sum"]
    assert sorted((s.line, s.printed) for s in finding.statements) == [
        (80, "约590万元"), (474, "187.2437万元"), (474, "341.88万元"), (474, "75万元")]


def test_the_refund_is_checked_against_the_round_figure_the_sum_uses(audited):
    """Finding 4: 3044.3 = 2800 + 44.3 + 200 (line 519) reads 200万元 as printed, and then
    200万元 − 196.352176万元 = 36478.24元, not the printed 36628.24元."""
    extraction, _, report = audited
    assert any(p.total.printed == "3044.3万元" and [f.printed for f in p.parts] == ["2800万元", "44.3万元", "200万元"]
               for p in extraction.proposals)
    (finding,) = [f for f in report.findings if f.rule == "remainder"]
    assert sorted(s.printed for s in finding.statements) == ["196.352176万元", "200万元", "36628.24元"]


def test_every_proposal_says_why(audited):
    extraction, case, _ = audited
    assert extraction.proposals and all(p.evidence or p.method == "adjacent" for p in extraction.proposals)
    assert all(r.proposed and "confidence" in r.because for r in case.relations)


def test_figures_on_the_cited_lines(report_lines):
    found = {(f.line, f.printed) for f in extract(report_lines).found}
    assert {(371, "9970万元"), (375, "8889万元"), (72, "约8900万元"), (519, "36628.24元"), (936, "19.2%"),
            (932, "96490"), (62, "758个"), (374, "30.9%")} <= found
    assert not any(line == 13 and "2020" in printed for line, printed in found)  # 〔2020〕5号, 2020年


def test_extract_writes_a_draft_that_loads_and_runs(report_path, tmp_path, capsys):
    output = tmp_path / "draft.yaml"
    assert main(["extract", str(report_path), "-o", str(output)]) == 0
    case = fiscalcheck.load(output)
    assert len(case.nodes) > 500 and case.relations
    assert main(["run", str(output)]) == 1  # the two findings above
    capsys.readouterr()


def test_audit_says_which_relations_were_proposed(report_path, capsys):
    assert main(["audit", str(report_path)]) == 1
    out = capsys.readouterr().out
    assert "9970万元 @371, 8889万元 @375" in out
    assert "proposed relation, because:" in out
    assert "holds         sum 7366.183万元 @246" in out


def test_audit_of_the_fixtures_as_json(capsys):
    assert main(["audit", str(FIXTURES / "county-general-budget.txt"), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []


def test_extract_to_standard_output(capsys):
    assert main(["extract", str(FIXTURES / "annex-table.txt")]) == 0
    text = capsys.readouterr().out
    assert "proposed: true" in text and "12500 @10 unit=万元" in text


def test_a_missing_report_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["audit", str(tmp_path / "absent.txt")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "absent.txt: cannot read the report" in err
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("预算\n".encode() + b"\xff\xfe\n")
    assert main(["extract", str(bad)]) == 2
    assert capsys.readouterr().err.startswith(f"{bad}:2:1: expected UTF-8 text")
