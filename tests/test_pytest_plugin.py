"""The pytest plugin (fiscalcheck.testing.pytest_plugin): case files as test items, run in pytester."""

from __future__ import annotations

import importlib.metadata
import textwrap

import pytest

pytest_plugins = ["pytester"]

SOURCES = "sources:\n  r: {path: report.txt, text: none}\n"


def case_text(case_id: str, parts: tuple[str, str] = ("60万元", "40万元"), extra: str = "") -> str:
    a, b = parts
    return textwrap.dedent(f"""\
        case: {case_id}
        {SOURCES.rstrip().replace(chr(10), chr(10) + '        ')}
        nodes:
          - id: fund
            label: 引导资金
            measures: {{amount: 100万元 @1}}
            children:
              - id: item-a
                measures: {{amount: {a} @2}}
              - id: item-b
                measures: {{amount: {b} @3}}
        """) + extra


def _installed() -> bool:
    """Whether pytest loads the plugin by itself (the pytest11 entry point of an installed fiscalcheck)."""
    return any(e.value == "fiscalcheck.testing.pytest_plugin" for e in importlib.metadata.entry_points(group="pytest11"))


@pytest.fixture
def run(pytester: pytest.Pytester):
    """``run(*args)``: pytest in-process in a fresh folder, with the fiscalcheck plugin (installed or not)."""
    load = () if _installed() else ("-p", "fiscalcheck.testing.pytest_plugin")

    def go(*args: str) -> pytest.RunResult:
        return pytester.runpytest(*load, *args)

    return go


def test_a_consistent_case_passes_as_one_item_named_after_the_case(pytester, run):
    pytester.makefile(".yaml", fund=case_text("small-fund"))
    result = run("fund.yaml", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*fund.yaml::small-fund PASSED*"])


def test_a_case_with_findings_fails_with_the_findings_table_and_no_traceback(pytester, run):
    pytester.makefile(".yaml", fund=case_text("bad-sum", ("60万元", "50万元")))
    result = run("fund.yaml")
    result.assert_outcomes(failed=1)
    output = result.stdout.str()
    assert "case 'bad-sum' has 1 finding at or above 'error'" in output
    assert "parts-sum" in output and "should equal 60万元 + 50万元" in output
    assert "50万元 @3" in output  # the printed statements, with their lines
    assert "Traceback" not in output and "runtest" not in output


def test_the_fail_level_is_an_option(pytester, run):
    pytester.makefile(".yaml", fund=case_text("bad-sum", ("60万元", "50万元")))
    run("fund.yaml", "--fiscalcheck-fail-on", "never").assert_outcomes(passed=1)
    pytester.makeini("[pytest]\nfiscalcheck_fail_on = never\n")
    run("fund.yaml").assert_outcomes(passed=1)


def test_a_waived_case_passes_and_says_what_it_waived(pytester, run):
    waiver = textwrap.dedent("""\
        waivers:
          - {rule: parts-sum, node: fund, reason: the office confirmed item-b's figure}
        """)
    pytester.makefile(".yaml", fund=case_text("waived-sum", ("60万元", "50万元"), waiver))
    result = run("fund.yaml", "-rA")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*waived-sum: * 1 waived*"])


def test_a_malformed_case_is_a_collection_error_naming_file_line_and_column(pytester, run):
    pytester.makefile(".yaml", broken=case_text("broken", ("60万元", "40万圆")))
    result = run("broken.yaml")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["broken.yaml:12:28: cannot read '40万圆'*"])
    assert "Traceback" not in result.stdout.str()


def test_a_folder_collects_each_case_once_and_not_the_files_it_includes(pytester, run):
    folder = pytester.mkdir("cases")
    (folder / "part.yaml").write_text(case_text("part"), encoding="utf-8")
    (folder / "whole.yaml").write_text(
        f"case: whole\n{SOURCES}include: [part.yaml]\nnodes: []\n", encoding="utf-8")
    (folder / "notes.yaml").write_text("title: not a case\n", encoding="utf-8")
    result = run("cases", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*whole.yaml::whole PASSED*"])
    run("cases/part.yaml").assert_outcomes(passed=1)  # named on its own, it is audited


def test_case_files_are_not_collected_unless_asked_for(pytester, run):
    """A project's own `pytest` (testpaths = tests) never starts auditing."""
    pytester.makeini("[pytest]\ntestpaths = tests\n")
    tests = pytester.mkdir("tests")
    (tests / "test_one.py").write_text("def test_one():\n    pass\n", encoding="utf-8")
    (tests / "fixture_case.yaml").write_text(case_text("fixture", ("1万元", "1万元")), encoding="utf-8")
    pytester.makefile(".yaml", fund=case_text("small-fund"))
    run().assert_outcomes(passed=1)  # testpaths: the test only
    run("tests").assert_outcomes(passed=1)  # a test folder's fixtures are not audited
    run(".").assert_outcomes(passed=2)  # the folder named: its case (tests/ is still a test suite)
    run("--fiscalcheck").assert_outcomes(passed=1, failed=1)  # every case file visited, fixtures too
    run("tests/fixture_case.yaml").assert_outcomes(failed=1)  # named one by one: audited


def test_a_rule_pack_is_passed_through(pytester, run):
    pytester.makefile(".yaml", fund=case_text("small-fund"))
    run("fund.yaml", "--fiscalcheck-rules", "strict").assert_outcomes(passed=1)
    result = run("fund.yaml", "--fiscalcheck-rules", "no-such-pack")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*no-such-pack*"])
