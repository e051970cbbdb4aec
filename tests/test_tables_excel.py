"""Excel tables: each cell read as its number format prints it, on both engines.

The expected texts below are what Excel shows for the stored value under the
format, worked out by hand (not by the code under test).
"""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fiscalcheck import load
from fiscalcheck.tables.excel import places, printed

openpyxl = pytest.importorskip("openpyxl", reason='Excel tables need pip install ".[tables]" (openpyxl)')


@pytest.mark.parametrize("value, number_format, shown", [
    (1476241.9, "0.0", "1476241.9"),
    (1476241.9, "#,##0.00", "1476241.90"),
    (0.1 + 0.2, "General", "0.30000000000000004"),  # General: the double's shortest decimal, all of it
    (0.1 + 0.2, "0.00", "0.30"),
    (0.953, "0.0%", "95.3"),
    (0.9535, "0.00%", "95.35"),
    (1234567, "#,##0,", "1235"),  # a trailing comma prints thousands
    (2.5, "0", "3"),  # half away from zero, as Excel rounds for display
    (-2.5, "0", "-3"),
    (1.005, "0.00", "1.00"),  # the stored double is 1.00499999999999989...: below the half
    (12, "0.0", "12.0"),
    (7366.183, '"¥"#,##0.000;[Red]-#,##0.000', "7366.183"),  # quoted text and a colour ignored
    ("合计", "General", "合计"),
    (None, "0.0", ""),
])
def test_a_cell_prints_as_its_number_format_shows_it(value, number_format, shown):
    assert printed(value, number_format) == shown


def test_number_formats_give_places_percent_and_thousands():
    assert places("General") == (None, False, 0)
    assert places("0.0%") == (1, True, 0)
    assert places("#,##0.00_);(#,##0.00)") == (2, False, 0)
    assert places("0,,") == (0, False, 2)
    assert places("@") == (None, False, 0)


@settings(max_examples=200)
@given(st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=3, allow_nan=False,
                   allow_infinity=False), st.integers(0, 3))
def test_a_typed_figure_prints_back_as_typed(figure, decimals):
    """Excel stores the double nearest a typed figure; rounded to the places typed (at most 15
    significant digits), it prints that figure again: no digit is lost or invented."""
    typed = figure.quantize(Decimal(1).scaleb(-decimals))
    stored = float(str(typed))  # what the file holds: the test stands in for Excel here
    number_format = "0." + "0" * decimals if decimals else "0"
    assert printed(stored, number_format) == format(typed, "f")


def _workbook(folder: str, rows, formats=("0.0", "0.0", "0.0")) -> str:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "决算"
    sheet.append(["2024年一般公共预算支出决算表"])
    sheet.append(["单位：万元"])
    sheet.append(["科目编码", "科目名称", "预算数", "决算数"])
    for row in rows:
        sheet.append(list(row))
    for cells in sheet.iter_rows(min_row=4):
        cells[2].number_format, cells[3].number_format = formats[0], formats[1]
    book.create_sheet("说明").append(["无"])
    path = os.path.join(folder, "annex.xlsx")
    book.save(path)
    with open(os.path.join(folder, "case.yaml"), "w", encoding="utf-8") as out:
        out.write("case: excel\nsources:\n  annex: {path: annex.xlsx}\ntables:\n"
                  "  - id: t\n    file: annex.xlsx\n    sheet: 决算\n    header: 3\n    source: annex\n"
                  "    unit: 万元\n    code: 科目编码\n    lengths: [3, 5]\n    label: 科目名称\n"
                  "    measures: {budget: 预算数, executed: 决算数}\n")
    return os.path.join(folder, "case.yaml")


ROWS = [
    ("201", "一般公共服务支出", 1476.3, 1300.0),
    ("20101", "人大事务", 1000.1, 900.0),
    ("20102", "政协事务", 476.2, 400.3),  # 900.0 + 400.3 = 1300.3, printed 1300.0: off by 0.3
]


def test_an_excel_table_is_checked_on_both_engines_alike(tmp_path):
    case = load(_workbook(str(tmp_path), ROWS))
    tree, columnar = case.check(engine="tree"), case.check(engine="duckdb")
    failing = [f for f in tree.findings if not f.holds]
    assert [(f.rule, f.measure) for f in failing] == [("parts-sum", "executed")]
    assert [(s.cell.row, s.cell.column) for s in failing[0].statements][0] == (4, "决算数")  # the sheet's row
    assert failing[0].statements[0].printed == "1300.0"
    assert [(f.rule, f.node, f.printed, f.expected) for f in columnar.findings if not f.holds] == \
        [(f.rule, f.node, f.printed, f.expected) for f in failing]


def test_the_number_format_is_the_printed_precision(tmp_path):
    """The same stored values under 0.00 print to 0.01 (three figures: ±0.015), under 0 to whole
    万元: 1300 = 900 + 400 holds; the 0.3 gap is a rounding of the stored values there."""
    two = load(_workbook(str(tmp_path), ROWS, formats=("0.00", "0.00"))).check()
    assert [f.tolerance for f in two.findings if not f.holds] == [Decimal("0.015")]
    (tmp_path / "whole").mkdir()
    whole = load(_workbook(str(tmp_path / "whole"), ROWS, formats=("0", "0"))).check()
    assert [f for f in whole.findings if not f.holds] == []


def _run(case: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fiscalcheck", "run", case], capture_output=True, text=True)


@pytest.mark.parametrize("change, expected", [
    (("sheet: 决算", "sheet: 收入"), "case.yaml:5:5: table 't': no sheet '收入'; the workbook has '决算', '说明'"),
    (("header: 3", "header: 40"), "annex.xlsx:40:1: row 40 of the sheet is empty: expected the column names"),
    (("file: annex.xlsx", "file: annex.xls"), "case.yaml:6:11: the old Excel format (.xls) is not read"),
])
def test_a_bad_excel_table_is_one_located_line(tmp_path, change, expected):
    path = _workbook(str(tmp_path), ROWS)
    text = open(path, encoding="utf-8").read().replace(*change)
    if change[1].endswith(".xls"):
        os.rename(tmp_path / "annex.xlsx", tmp_path / "annex.xls")
    with open(path, "w", encoding="utf-8") as out:
        out.write(text)
    result = _run(path)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and expected in result.stderr, result.stderr


def test_sheet_belongs_to_an_excel_table(tmp_path):
    (tmp_path / "t.csv").write_text("code,budget\n201,1.0\n", encoding="utf-8")
    (tmp_path / "case.yaml").write_text(
        "case: c\nsources:\n  t: {path: t.csv, text: none}\ntables:\n  - id: t\n    file: t.csv\n    sheet: 一\n"
        "    unit: 万元\n    code: code\n    lengths: [3]\n    measures: {budget: budget}\n", encoding="utf-8")
    result = _run(str(tmp_path / "case.yaml"))
    assert result.returncode == 2
    assert result.stderr.strip().endswith("case.yaml:7:5: 'sheet' belongs to an Excel (xlsx) table"), result.stderr


def test_a_cause_names_the_cell_not_a_line(tmp_path):
    """A likely cause points at a table cell as the finding does: its row and column, in both languages."""
    report = load(_workbook(str(tmp_path), ROWS)).check(engine="tree")
    (finding,) = [f for f in report.findings if not f.holds]
    sentences = [c.sentence("en") for c in finding.causes if c.statement is not None]
    assert sentences and all("(row " in s and ", column 决算数)" in s for s in sentences), sentences
    assert not any("(line " in s for s in sentences)
    assert all("行“决算数”栏）" in c.sentence("zh") for c in finding.causes if c.statement is not None)


def test_the_example_sheet_gives_the_findings_of_its_csv():
    """cases/examples/tables: the same table as CSV and as an Excel sheet (title and 单位 rows above its
    header, rates stored as fractions under 0.0%) gives the same findings, two rows down."""
    examples = os.path.join(os.path.dirname(__file__), "..", "cases", "examples", "tables")
    sheet = load(os.path.join(examples, "county-2024-excel.yaml")).check()
    text = load(os.path.join(examples, "county-2024.yaml")).check()

    def verdicts(report):
        return [(f.rule, f.measure, f.printed, f.expected, f.difference, f.tolerance, f.holds) for f in report.checks]

    assert verdicts(sheet) == verdicts(text)
    assert len([f for f in sheet.findings if not f.holds]) == 3
    rows = [[s.cell.row for s in f.statements] for f in sheet.findings]
    assert rows == [[r + 2 for r in row] for row in ([s.cell.row for s in f.statements] for f in text.findings)]


def test_without_openpyxl_an_excel_table_says_what_to_install(tmp_path):
    path = _workbook(str(tmp_path), ROWS)
    code = ("import sys; sys.modules['openpyxl'] = None\n"  # as if the tables extra were not installed
            "from fiscalcheck.cli import main\n"
            f"sys.exit(main(['run', {path!r}]))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().endswith("an Excel table needs openpyxl: pip install \"fiscalcheck[tables]\""), result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_a_cell_prints_the_same_under_any_caller_context():
    from decimal import ROUND_FLOOR, Inexact, localcontext

    with localcontext() as context:
        context.prec, context.rounding, context.Emin = 2, ROUND_FLOOR, -3
        context.traps[Inexact] = True
        assert printed(1476241.9, "#,##0.00") == "1476241.90"
        assert printed(0.0001234, "0.0000000") == "0.0001234"
        assert printed(0.1 + 0.2, "General") == "0.30000000000000004"


@pytest.mark.parametrize("engine", ["tree", "duckdb"])
def test_a_missing_sheet_is_located_at_the_table_on_either_engine(tmp_path, engine):
    """Forcing an engine skips the row estimate that reads the sheet first: the reader itself says where."""
    path = _workbook(str(tmp_path), ROWS)
    text = open(path, encoding="utf-8").read().replace("sheet: 决算", "sheet: 收入")
    with open(path, "w", encoding="utf-8") as out:
        out.write(text)
    result = subprocess.run([sys.executable, "-m", "fiscalcheck", "run", path, "--engine", engine],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip().endswith("case.yaml:5:5: table 't': no sheet '收入'; the workbook has '决算', '说明'"), \
        result.stderr
