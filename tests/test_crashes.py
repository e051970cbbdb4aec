"""A crash is never silent or waivable: a rule that raises keeps what it found, says why, exits 3."""

from __future__ import annotations

import textwrap

import fiscalcheck
from fiscalcheck import BUILTIN_RULES, Rule
from fiscalcheck.api import check
from fiscalcheck.cli import main
from fiscalcheck.findings import Waiver, apply_waivers
from fiscalcheck.rules import Invariant

CASE = textwrap.dedent("""\
    case: crash
    sources: {r: {path: r.txt, text: none}}
    nodes:
      - id: fund
        measures: {budget: 100万元 @1, executed: 120万元 @2}
    """)


def half_broken(case, context):
    """Finds one thing, then crashes: what it found before the crash must survive."""
    (within,) = [rule for rule in BUILTIN_RULES if rule.id == "within-budget"]
    for finding in within.check(case, context):
        yield finding
    raise KeyError("no such table")


def test_a_crashing_rule_keeps_the_findings_it_made_and_records_the_traceback():
    case = fiscalcheck.loads(CASE, "crash.yaml")
    report = check(case, (Rule("half", "finds, then crashes", "error", half_broken),))
    rules = [f.rule for f in report.findings]
    assert "within-budget" in rules and "rule-error" in rules
    (crash,) = [f for f in report.findings if f.rule == "rule-error"]
    assert "KeyError" in crash.message and "'half'" in crash.message
    assert "Traceback" in crash.details and "half_broken" in crash.details


def test_no_waiver_hides_a_rule_error():
    case = fiscalcheck.loads(CASE, "crash.yaml")
    report = check(case, (Rule("half", "finds, then crashes", "error", half_broken),))
    waived = apply_waivers(report, [Waiver("*", "*", "accept everything")])
    assert [f.rule for f in waived.findings] == ["rule-error"]  # the within-budget finding is waived, not this
    assert all(w.finding.rule != "rule-error" for w in waived.waived)


def test_the_command_line_exits_3_for_a_crash_and_prints_the_traceback_with_debug(tmp_path, capsys, monkeypatch):
    # an invariant whose evaluation raises deep inside: division of intervals is patched to fail
    monkeypatch.setattr(Invariant, "evaluate", lambda self, case, ctx, node: 1 / 0)
    (tmp_path / "crash.yaml").write_text(CASE + "invariants:\n  - {id: cap, expr: executed <= budget}\n",
                                         encoding="utf-8")
    assert main(["run", str(tmp_path / "crash.yaml")]) == 3
    captured = capsys.readouterr()
    assert "rule-error" in captured.out and "Traceback" not in captured.err
    assert main(["run", "--debug", str(tmp_path / "crash.yaml")]) == 3
    assert "ZeroDivisionError" in capsys.readouterr().err


def test_bad_input_still_exits_2():
    assert main(["run", "--fail-on", "error", "/dev/null"]) == 2  # bad input stays 2
