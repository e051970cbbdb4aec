"""Tables in a case: the documented example, exact cells, places, and bad input located.

The expected figures are worked out by hand from the example's CSV
(cases/examples/tables/expenditure.csv), not by the code under test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from fiscalcheck import BUILTIN_RULES, CaseError, load, loads
from fiscalcheck.model import Cell
from fiscalcheck.tables import run as engines

from columnar import COLUMNAR, ENGINES

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "cases" / "examples" / "tables"


def test_the_case_format_shows_the_example_as_it_is():
    doc = (ROOT / "docs" / "case-format.md").read_text(encoding="utf-8")
    for name in ("expenditure.csv", "county-2024.yaml"):
        assert (EXAMPLE / name).read_text(encoding="utf-8") in doc


@pytest.mark.parametrize("engine", ENGINES)
def test_the_worked_example_finds_its_three_errors(engine):
    report = load(EXAMPLE / "county-2024.yaml").check(engine=engine)
    found = {(f.rule, f.label, f.measure): f for f in report.findings}
    assert set(found) == {
        ("parts-sum", "20502 普通教育", "executed"),
        ("within-budget", "20101 人大事务", "executed"),
        ("rate", "2050202 小学教育", "rate"),
    }
    parts = found[("parts-sum", "20502 普通教育", "executed")]
    assert (parts.printed, parts.expected) == (Decimal("675.2"), Decimal("685.1"))  # 290.1 + 395.0
    assert parts.tolerance == Decimal("0.15")  # three figures printed to 0.1: 3 × 0.05
    spent = found[("within-budget", "20101 人大事务", "executed")]
    assert spent.difference == Decimal("4.1")  # 214.1 − 210.0
    assert [s.cell for s in spent.statements] == [Cell("expenditure.csv", 4, "决算数"),
                                                  Cell("expenditure.csv", 4, "调整预算数")]
    assert report.counts()["checked"] == 29 and report.counts()["passed"] == 26


@COLUMNAR
@pytest.mark.parametrize("chosen, found", [
    (("within-budget", "rate"), [("within-budget", "20101 人大事务"), ("rate", "2050202 小学教育")]),
    (("parts-sum",), [("parts-sum", "20502 普通教育")]),
    (("rate", "parts-sum"), [("rate", "2050202 小学教育"), ("parts-sum", "20502 普通教育")]),
    (("remainder", "within-budget"), [("within-budget", "20101 人大事务")]),  # no remainder column
    (("statements-agree",), []),  # every figure printed once
])
def test_a_pack_of_some_of_the_rules_gets_the_same_findings_on_both_engines(chosen, found):
    """The columnar engine decides the rules it is given in one query, the relations judged on
    each row counted in parts-sum's pass when it runs (sql.checks_sql): any subset of them, in any
    order, must give the tree engine's findings, and the example's errors are the hand-worked ones."""
    rules = [next(r for r in BUILTIN_RULES if r.id == rule) for rule in chosen]
    case = load(EXAMPLE / "county-2024.yaml")
    tree, columnar = case.check(rules, engine="tree", passed=True), case.check(rules, engine="duckdb", passed=True)
    assert [(f.rule, f.label) for f in tree.findings] == found
    assert [f.to_record() for f in columnar.findings] == [f.to_record() for f in tree.findings]
    assert columnar.counts() == tree.counts()


def test_prose_and_table_describe_one_total():
    """The report's 1180.5万元 and the table's 合计 row: one relation, and it holds."""
    report = load(EXAMPLE / "county-2024.yaml").check(engine="tree")
    total = [f for f in report.checks if f.node == "general-budget" and f.rule == "parts-sum"]
    assert [(f.measure, f.holds, f.exact) for f in total] == [("executed", True, True)]


def _case(tmp_path: Path, csv_text: str, spec: str = "", policy: str = "") -> object:
    (tmp_path / "t.csv").write_text(csv_text, encoding="utf-8")
    text = (f"case: t\n{policy}sources:\n  t: {{path: t.csv}}\ntables:\n  - id: t\n    file: t.csv\n"
            f"    source: t\n    unit: 万元\n    code: code\n    lengths: [1, 3]\n"
            f"    measures: {{budget: budget, executed: executed}}\n{spec}")
    return loads(text, str(tmp_path / "case.yaml"))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_cell_stands_for_its_own_printed_precision(tmp_path, engine):
    """1.25 + 2.5 against 3.8: the parts' intervals [1.245, 1.255] + [2.45, 2.55] meet [3.75, 3.85]."""
    case = _case(tmp_path, "code,budget,executed\n1,3.8,1\n101,1.25,0.5\n102,2.5,0.5\n")
    report = case.check(engine=engine)
    assert report.findings == ()
    case = _case(tmp_path, "code,budget,executed\n1,3.9,1\n101,1.25,0.5\n102,2.5,0.5\n")
    (finding,) = case.check(engine=engine).findings
    assert (finding.rule, finding.expected, finding.difference, finding.tolerance) == (
        "parts-sum", Decimal("3.75"), Decimal("0.15"), Decimal("0.105"))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_cell_that_is_not_a_number_is_an_error_at_its_place(tmp_path, engine):
    case = _case(tmp_path, "code,budget,executed\n1,3.8,1\n101,1.2.5,0.5\n")
    with pytest.raises(CaseError) as error:
        case.check(engine=engine)
    assert str(error.value).endswith("t.csv:3:2: expected a number in column 'budget', got '1.2.5'")


def test_a_missing_column_is_named_with_a_suggestion(tmp_path):
    case = _case(tmp_path, "code,budgte,executed\n1,3.8,1\n")
    with pytest.raises(CaseError, match="has no column 'budget' \\(did you mean 'budgte'\\?\\)"):
        case.check(engine="tree")


def test_the_case_file_locates_a_bad_table_spec(tmp_path):
    (tmp_path / "t.csv").write_text("code,budget\n1,2\n", encoding="utf-8")
    text = "case: t\nsources:\n  t: {path: t.csv}\ntables:\n  - id: t\n    file: t.csv\n    unit: 万元\n    factor: 3\n    code: code\n    lengths: [1]\n    measures: {budget: budget}\n"
    with pytest.raises(CaseError, match=r"case.yaml:8:13: expected a factor that is a power of ten"):
        loads(text, str(tmp_path / "case.yaml"))


def test_without_the_extra_a_large_table_names_it(tmp_path, monkeypatch):
    monkeypatch.setattr(engines, "columnar_available", lambda: False)
    monkeypatch.setattr(engines, "THRESHOLD", 1)
    case = _case(tmp_path, "code,budget,executed\n1,3.8,1\n101,1.25,0.5\n102,2.5,0.5\n")
    with pytest.raises(CaseError, match=r'more than 1 rows: it needs the optional columnar engine .*'
                                        r'pip install "fiscalcheck\[tables\]"'):
        case.check()
    assert case.check(engine="tree").findings == ()  # the tree engine still takes it when asked


def test_the_command_line_without_the_extra_says_what_to_install(tmp_path):
    """Run in a process where duckdb cannot be imported: one line, exit 2, no traceback."""
    (tmp_path / "block").mkdir()
    (tmp_path / "block" / "duckdb.py").write_text("raise ImportError('blocked for the test')\n")
    _case(tmp_path, "code,budget,executed\n1,3.8,1\n")
    (tmp_path / "case.yaml").write_text(
        "case: t\nsources:\n  t: {path: t.csv}\ntables:\n  - id: t\n    file: t.csv\n    source: t\n"
        "    unit: 万元\n    code: code\n    lengths: [1, 3]\n    measures: {budget: budget, executed: executed}\n",
        encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "block"), str(ROOT)])}
    done = subprocess.run([sys.executable, "-m", "fiscalcheck", "run", str(tmp_path / "case.yaml"), "--engine", "duckdb"],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 2
    assert 'needs the optional columnar engine (duckdb, pyarrow): pip install "fiscalcheck[tables]"' in done.stderr
    assert "Traceback" not in done.stderr


def test_a_parquet_float_column_is_refused(tmp_path):
    pa = pytest.importorskip("pyarrow", reason='Parquet tables need pip install ".[tables]"')
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"code": ["1"], "budget": [3.8], "executed": [1.0]}), tmp_path / "t.parquet")
    text = ("case: t\nsources:\n  t: {path: t.parquet}\ntables:\n  - id: t\n    file: t.parquet\n    source: t\n"
            "    unit: 万元\n    code: code\n    lengths: [1]\n    measures: {budget: budget, executed: executed}\n")
    case = loads(text, str(tmp_path / "case.yaml"))
    for engine in ("tree", "duckdb") if engines.columnar_available() else ("tree",):
        with pytest.raises(CaseError, match="holds binary floats"):
            case.check(engine=engine)


@COLUMNAR
def test_a_parquet_decimal_table_gives_what_its_csv_gives(tmp_path):
    import duckdb

    csv_path = EXAMPLE / "expenditure.csv"
    columns = "预算数, 调整预算数, 决算数"
    casts = ", ".join(f"CAST({c} AS DECIMAL(18,1)) AS {c}" for c in columns.split(", "))
    parquet = tmp_path / "expenditure.parquet"
    duckdb.execute(f"COPY (SELECT 科目编码, 科目名称, {casts}, 执行率 FROM read_csv('{csv_path}', all_varchar = true)) "
                   f"TO '{parquet}' (FORMAT parquet)")
    text = (EXAMPLE / "county-2024.yaml").read_text(encoding="utf-8").replace("expenditure.csv", str(parquet))
    text = text.replace("path: report.txt", f"path: {EXAMPLE / 'report.txt'}")
    from_csv = load(EXAMPLE / "county-2024.yaml").check(engine="tree").findings
    from_parquet = loads(text, str(tmp_path / "case.yaml")).check(engine="duckdb").findings
    assert [(f.rule, f.node, f.printed, f.expected, f.difference) for f in from_parquet] == \
           [(f.rule, f.node, f.printed, f.expected, f.difference) for f in from_csv]


@COLUMNAR
def test_a_parquet_column_whose_largest_figure_is_negative_is_computed_wide_enough(tmp_path):
    """The cells' digits are read from the column's max and min (the file's statistics): a column
    whose largest magnitude is its most negative figure needs 18 digits here, not the 1 of its max."""
    import duckdb

    parquet = tmp_path / "t.parquet"
    rows = [("1", "-123456789012345678.9"), ("101", "-123456789012345683.9"), ("102", "5.0")]
    values = ", ".join(f"('{code}', CAST('{amount}' AS DECIMAL(38,1)))" for code, amount in rows)
    duckdb.execute(f"COPY (SELECT * FROM (VALUES {values}) AS t(code, budget)) TO '{parquet}' (FORMAT parquet)")
    case = loads("case: t\nsources:\n  t: {path: t.parquet}\ntables:\n  - id: t\n    file: t.parquet\n"
                 "    source: t\n    unit: 元\n    code: code\n    lengths: [1, 3]\n    measures: {budget: budget}\n",
                 str(tmp_path / "case.yaml"))
    report = case.check(engine="duckdb")
    # -123456789012345683.9 + 5.0 = -123456789012345678.9: the one sum holds, exactly
    assert report.findings == () and report.counts()["checked"] == 1 == report.counts()["passed"]


class _Terminal:
    def __init__(self, tty: bool):
        self.tty, self.text = tty, ""

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


@COLUMNAR
def test_the_progress_line_shows_on_a_terminal_only():
    from fiscalcheck.tables import Progress

    for tty, asked in ((True, True), (False, True), (True, False)):
        stream = _Terminal(tty)
        load(EXAMPLE / "county-2024.yaml").check(engine="duckdb", progress=Progress.on_terminal(asked, stream))
        if tty and asked:
            assert "table expenditure: reading expenditure.csv…" in stream.text
            assert stream.text.endswith("\r\x1b[K")  # the line is cleared: nothing is left behind
        else:
            assert stream.text == ""
