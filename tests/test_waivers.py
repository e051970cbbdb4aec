"""Waivers (fiscalcheck.findings.waivers): accepted findings stay in sight, and a waiver that accepts nothing says so."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fiscalcheck import CaseError, Finding, Report, load, loads
from fiscalcheck.cli import main
from fiscalcheck.findings import STALE, Waiver, apply_waivers

# The cultural-zone fund of annex 5 (lines 371-389) and its 2021 plan (lines 576, 837).
CASE = """\
case: culture-zone
sources:
  r2020: {path: chaoyang-2020-budget-report.txt, text: none}
nodes:
  - id: culture-zone
    label: 国家文化产业创新实验区建设发展引导资金
    kind: fund
    measures:
      budget: [1亿元 @349 exact, 1亿元 @371 exact]
      arranged: [9970万元 @371, 8889万元 @375]
    children:
      - {id: culture-zone-brand, measures: {arranged: 650万元 @376}}
      - {id: culture-zone-financing, measures: {arranged: 5042万元 @377}}
      - {id: culture-zone-platforms, measures: {arranged: 1520万元 @387}}
      - {id: culture-zone-fees, label: 评审等费用, measures: {arranged: FEES @371}}
  - id: culture-zone-2021
    kind: fund
    measures: {budget: [1亿元 @576 exact, 1亿元 @823 exact]}
waivers:
  - rule: statements-agree
    node: culture-zone
    measure: arranged
    reason: lines 371 and 375 print two totals for the same 176 projects; reported to the office
  - rule: review-fee-cap
    node: "*-fees"
    reason: the 1% cap of line 837 binds the 2021 plan, not the 2020 execution
"""

PACK = """\
pack: office
extends: default
rules: {parts-sum: off}
invariants:
  - id: review-fee-cap
    description: 评审等费用严格控制在1%以内 (line 837)
    where: {id: "*-fees"}
    expr: arranged <= 1% * parent.budget
  - id: plan-covers-execution
    severity: warning
    expr: $culture-zone-2021.budget >= $culture-zone.arranged
"""


def flat(table: str) -> str:
    """A table's text with its borders and line breaks gone, so wrapped cells read as one."""
    return " ".join(table.replace("|", " ").split())


@pytest.fixture
def audit(tmp_path):
    def write(fees="120万元"):
        (tmp_path / "case.yaml").write_text(CASE.replace("FEES", fees), encoding="utf-8")
        (tmp_path / "office.yaml").write_text(PACK, encoding="utf-8")
        return str(tmp_path / "case.yaml"), str(tmp_path / "office.yaml")

    return write


def test_an_auditor_s_pack_waiver_and_stale_waiver_through_the_cli(audit, capsys):
    case, pack = audit(fees="120万元")  # 1.2% of 1亿元: over the cap
    assert main(["run", "--rules", pack, "--format", "json", "--all", case]) == 0
    document = json.loads(capsys.readouterr().out)
    custom = {f["rule"]: f for f in document["findings"] if f["rule"] in ("review-fee-cap", "plan-covers-execution")}
    assert custom["plan-covers-execution"]["holds"] and custom["plan-covers-execution"]["node"] == "culture-zone-2021"
    waived = {w["rule"]: w for w in document["waived"]}
    assert set(waived) == {"statements-agree", "review-fee-cap"}
    assert waived["review-fee-cap"]["reason"] == "the 1% cap of line 837 binds the 2021 plan, not the 2020 execution"
    assert waived["review-fee-cap"]["node"] == "culture-zone/culture-zone-fees" and not waived["review-fee-cap"]["holds"]
    assert waived["statements-agree"]["waiver"].endswith("case.yaml:20:5")
    assert not [f for f in document["findings"] if not f["holds"]]

    assert main(["run", "--rules", pack, "--format", "markdown", case]) == 0
    table = capsys.readouterr().out  # markdown cells do not wrap: each waived finding is one row
    rows = [line for line in table.splitlines() if line.startswith("| review-fee-cap") or line.startswith("| statements-agree")]
    assert len(rows) == 2 and any(row.rstrip(" |").endswith("reported to the office") for row in rows)
    assert table.index("No findings.") < table.index("## WAIVED (2)")

    case, pack = audit(fees="80万元")  # the case changes: 0.8%, within the cap
    assert main(["run", "--rules", pack, "--fail-on", "warning", case]) == 1
    out = capsys.readouterr().out
    assert "WARNING (1)" in out and "WAIVED (1)" in out
    stale = flat(out[out.index("WARNING (1)"):out.index("WAIVED (1)")])
    assert f"{STALE} *-fees" in stale
    assert "waiver for review-fee-cap at *-fees" in stale and "matches no finding any more" in stale


def test_waived_findings_leave_findings_and_the_exit_status_but_not_the_report(audit):
    case, pack = audit()
    plain = load(case)
    report = plain.check(pack)
    assert all(w.finding.rule != "rule-error" for w in report.waived)
    assert {w.finding.rule for w in report.waived} == {"statements-agree", "review-fee-cap"}
    assert not report.findings and report.ok()
    assert report.counts()["waived"] == 2 and report.summary().endswith("2 waived")


def test_markdown_shows_waived_findings_in_their_own_section(audit, capsys):
    case, pack = audit()
    main(["run", "--rules", pack, "--format", "markdown", case])
    out = capsys.readouterr().out
    assert "## WAIVED (2)" in out


def test_a_baseline_beside_the_case_is_read(tmp_path):
    (tmp_path / "c.yaml").write_text(CASE.replace("FEES", "120万元").split("waivers:")[0], encoding="utf-8")
    assert [f.rule for f in load(tmp_path / "c.yaml").check().findings] == ["statements-agree", "parts-sum"]
    (tmp_path / "c.waivers.yaml").write_text(
        "waivers:\n  - {rule: statements-*, node: culture-zone, reason: known misprint}\n"
        "  - {rule: parts-sum, node: nowhere, reason: an old one}\n", encoding="utf-8")
    report = load(tmp_path / "c.yaml").check()
    assert [w.reason for w in report.waived] == ["known misprint"]
    assert [(f.rule, f.severity) for f in report.findings] == [("parts-sum", "error"), (STALE, "warning")]
    stale = report.findings[-1]
    assert str(stale.origin) == f"{tmp_path / 'c.waivers.yaml'}:3:5"


@pytest.mark.parametrize("waiver, words", [
    ("{rule: parts-sum, node: x}", "a waiver needs reason (the reason is mandatory"),
    ("{rule: parts-sum, node: x, reason: '  '}", "a waiver's reason cannot be empty"),
    ("{rule: stale-waiver, node: x, reason: r}", "'stale-waiver' cannot be waived"),
    ("{rule: parts-sum, nod: x, reason: r}", "unknown key 'nod' in a waiver (did you mean 'node'?)"),
])
def test_a_bad_waiver_is_a_load_error_at_its_place(waiver, words):
    text = CASE.replace("FEES", "1万元").split("waivers:")[0] + f"waivers:\n  - {waiver}\n"
    with pytest.raises(CaseError) as caught:
        loads(text, "c.yaml")
    assert any(str(p).startswith("c.yaml:20:") and words in p.message for p in caught.value.problems), \
        caught.value.problems


# -- applying waivers, as a property ----------------------------------------------

NODES = ("fund", "fund/a", "fund/b", "other/a", "other/c")
RULES = ("parts-sum", "rate", "review-fee-cap", "within-budget")


def finding(rule, node, measure, holds):
    return Finding(rule=rule, severity="error", node=node, label="", measure=measure, relation="",
                   holds=holds, exact=holds, message="m")


FINDINGS = st.lists(st.builds(finding, st.sampled_from(RULES), st.sampled_from(NODES),
                              st.sampled_from(["arranged", "budget"]), st.booleans()), max_size=12)
WAIVERS = st.lists(st.builds(Waiver, rule=st.sampled_from(RULES + ("*", "r*", "*-cap", "nothing")),
                             node=st.sampled_from(("fund", "a", "fund/*", "*", "c", "x", "other/a")),
                             reason=st.just("because"), measure=st.sampled_from([None, "arranged", "b*"])),
                   max_size=5)


@given(FINDINGS, WAIVERS)
def test_waivers_move_failing_findings_and_flag_the_ones_that_match_nothing(findings, waivers):
    report = Report("c", tuple(findings), RULES)
    applied = apply_waivers(report, waivers)
    failing = [f for f in findings if not f.holds]
    waived = [w.finding for w in applied.waived]
    kept = [f for f in applied.checks if f.rule != STALE]
    # nothing is lost or duplicated: every check is either kept or waived
    assert sorted(map(id, kept + waived)) == sorted(map(id, findings))
    # only failing findings are waived, each by a waiver that matches it
    assert all(not w.finding.holds and w.waiver.matches(w.finding) for w in applied.waived)
    # a failing finding is kept only when no waiver matches it
    assert all(not any(w.matches(f) for w in waivers) for f in kept if not f.holds)
    # one stale warning per waiver that matched no failing finding
    unused = [w for w in waivers if not any(w.matches(f) for f in failing)]
    stale = [f for f in applied.checks if f.rule == STALE]
    assert len(stale) == len(unused) and all(f.severity == "warning" and not f.holds for f in stale)
    assert applied.ok() == (not [f for f in kept if not f.holds])


@pytest.mark.parametrize("node, matches", [
    ("culture-zone-fees", True), ("culture-zone/culture-zone-fees", True), ("*-fees", True),
    ("culture-zone/*", True), ("culture", False), ("*/brand", False),
])
def test_a_waiver_matches_a_node_by_id_or_path(node, matches):
    f = finding("review-fee-cap", "culture-zone/culture-zone-fees", "arranged", False)
    assert Waiver("review-fee-cap", node, "r").matches(f) is matches
