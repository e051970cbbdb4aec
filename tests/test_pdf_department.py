"""Department budgets and final accounts from PDF: tables joined, recognized, related; defects caught in place.

Two kinds of test. Tables built here by hand (the shape pdfplumber gives, with figures chosen by
hand) test the case builder without the PDF extra. The real Putuo 2024 final accounts
(../shared/peers/shanghai-department-accounts/, or $FISCALCHECK_SHARED) test the whole path and three
defective copies of its extracted pages: one cell changed, one row dropped, one unit line swapped.
"""

from __future__ import annotations

import os
import sys
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fiscalcheck.api import Case
from fiscalcheck.extract.pdf import build_case
from fiscalcheck.extract.pdf.join import join_tables
from fiscalcheck.extract.pdf.pages import Document, Row, Table, TextLine, clean
from fiscalcheck.extract.pdf.standard import recognize

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("FISCALCHECK_SHARED", ROOT.parent / "shared"))
SAMPLE = SHARED / "peers" / "shanghai-department-accounts" / "putuo-finance-bureau-2024-final-accounts.pdf"

CODED = (("项目", "科目编码", "类"), ("项目", "科目编码", "款"), ("项目", "科目编码", "项"), ("项目", "科目名称"))
SPENDING = CODED + (("本年支出合计",), ("基本支出",), ("项目支出",))
GENERAL = CODED + (("合计",), ("基本支出",), ("项目支出",))


def table(page, title, unit, columns, rows, first_row=4):
    return Table(page, 1, title, unit, columns,
                 tuple(Row(page, 1, first_row + i, tuple(r)) for i, r in enumerate(rows)))


def spending_pages(unit="万元"):
    """A 支出决算表 over two pages (the second without title or unit: a continuation), and table 5."""
    first = table(3, "支出决算表", unit, SPENDING, [
        ("", "", "", "合计", "30.00", "20.00", "10.00"),
        ("201", "", "", "一般公共服务支出", "30.00", "20.00", "10.00"),
        ("201", "06", "", "财政事务", "30.00", "20.00", "10.00"),
        ("201", "06", "01", "行政运行", "20.00", "20.00", ""),
    ])
    rest = table(4, None, None, (), [("201", "06", "02", "一般行政管理事务", "10.00", "", "10.00")], first_row=1)
    general = table(5, "一般公共预算财政拨款支出决算表", unit, GENERAL, [
        ("201", "", "", "一般公共服务支出", "30.00", "20.00", "10.00"),
        ("201", "06", "", "财政事务", "30.00", "20.00", "10.00"),
        ("201", "06", "01", "行政运行", "20.00", "20.00", ""),
        ("201", "06", "02", "一般行政管理事务", "10.00", "", "10.00"),
        ("合计", "", "", "", "30.00", "20.00", "10.00"),
    ])
    # a continuation has no header of its own: it takes the width of the table it continues
    rest = attrs.evolve(rest, columns=((),) * len(SPENDING))
    return first, rest, general


NARRATIVE = ("五、一般公共预算财政拨款支出决算情况说明",
             "一般公共预算财政拨款支出30.00万元，其中：基本支出20.00万元。")


def document(tables, lines=NARRATIVE):
    return Document("dept.pdf", 6, tuple(TextLine(i + 1, 6, t) for i, t in enumerate(lines)), tuple(tables))


def audit(doc):
    draft = build_case(doc)
    return draft, Case.of(draft.case).check()


def places(finding):
    return {(s.cell.page, s.cell.row, s.cell.column) for s in finding.statements if s.cell is not None}


# -- recognition and joining --------------------------------------------------------------------


@pytest.mark.parametrize("title, key, phase", [
    ("收入支出决算总表", "summary", "final"),
    ("部门收支总表", None, None),                          # neither 决算 nor 预算: not a standard title
    ("2025年部门财务收支预算总表", "summary", "budget"),
    ("收入决算表", "income", "final"),
    ("部门支出预算表", "spending", "budget"),
    ("财政拨款收支预算总表", "fiscal", "budget"),
    ("财政拨款收入支出决算总表", "fiscal", "final"),
    ("一般公共预算财政拨款支出决算表", "general", "final"),
    ("一般公共预算基本支出部门预算经济分类预算表", "basic", "budget"),
    ("财政拨款“三公”经费支出决算表", "sanggong", "final"),
    ("一般公共预算\"三公\"经费支出预算表", "sanggong", "budget"),
    ("政府性基金预算财政拨款收入支出决算表", "govfund", "final"),
    ("国有资本经营预算财政拨款支出决算表", "soe", "final"),
    ("第二部分 上海市普陀区财政局2024年度部门决算表", None, None),  # a part heading, not a table
])
def test_the_standard_titles_are_recognized_with_their_variants(title, key, phase):
    found = recognize(title)
    assert (None if found is None else (found[0].key, found[1])) == (None if key is None else (key, phase))


def test_a_headless_table_on_the_next_page_is_joined_with_its_rows_in_place():
    first, rest, general = spending_pages()
    joined = join_tables([first, rest, general])
    assert [t.place for t in joined] == ["pages 3-4, table 1", "page 5, table 1"]
    assert [(r.page, r.number) for r in joined[0].rows][-2:] == [(3, 7), (4, 1)]


def test_a_cell_keeps_its_printed_text_spaced_cjk_joined_and_codes_whole():
    assert clean("因 公 出 国 （ 境 ） 费\n用") == "因公出国（境）费用"
    assert clean("201 06 01") == "2010601"
    assert clean("2024 12", digits_apart=True) == "2024 12"


# -- identities on tables built by hand -------------------------------------------------------------


def test_the_hand_built_department_holds_and_sums_across_the_page_break():
    draft, report = audit(document(spending_pages()))
    assert report.findings == ()
    relations = {(f.rule, f.node.rsplit("/", 1)[-1], f.measure) for f in report.passed}
    assert ("parts-sum", "spending-20106", "total") in relations   # 2010601 (page 3) + 2010602 (page 4)
    assert ("comparison", "spending-total", "basic") not in relations
    assert ("general-row-total", "general-2010602", "total") in relations
    assert ("statements-agree", "general-total", "total") in relations   # the narrative's 30.00万元


def test_without_joining_the_continued_row_is_missing_from_its_sum():
    first, rest, general = spending_pages()
    titled = attrs.evolve(rest, title="支出决算表", unit="万元", columns=SPENDING)  # read as a table of its own
    _, report = audit(document([first, titled, general]))
    failing = {(f.rule, f.node.rsplit("/", 1)[-1], f.measure) for f in report.findings}
    assert ("parts-sum", "spending-20106", "total") in failing


def test_a_changed_cell_is_caught_at_its_page_row_and_column():
    first, rest, general = spending_pages()
    rows = list(first.rows)
    rows[3] = attrs.evolve(rows[3], cells=("201", "06", "01", "行政运行", "20.00", "20.30", ""))  # 基本支出
    _, report = audit(document([attrs.evolve(first, rows=tuple(rows)), rest, general]))
    assert report.findings
    cited = set().union(*(places(f) for f in report.findings))
    assert (3, 7, "基本支出") in cited
    rules = {f.rule for f in report.findings}
    assert "parts-sum" in rules   # 20.30 under 财政事务's 20.00


def test_a_dropped_row_is_caught_at_the_total_it_leaves_short():
    first, rest, general = spending_pages()
    rows = tuple(r for r in general.rows if "一般行政管理事务" not in r.cells)
    _, report = audit(document([first, rest, attrs.evolve(general, rows=rows)]))
    short = [f for f in report.findings if f.rule == "parts-sum" and f.node.endswith("general-20106")]
    assert short and (5, 5, "合计") in places(short[0])


def test_a_swapped_unit_line_is_caught_against_the_narrative():
    first, rest, general = spending_pages()
    _, report = audit(document([first, rest, attrs.evolve(general, unit="元")]))
    agree = [f for f in report.findings if f.rule == "statements-agree" and f.node == "general-total"]
    assert agree, [f.message for f in report.findings]
    assert {s.line for s in agree[0].statements if s.cell is None} == {2}
    assert (5, 8, "合计") in places(agree[0])


def test_a_table_without_a_unit_line_is_a_problem_not_a_guess():
    first, rest, general = spending_pages()
    draft = build_case(document([first, rest, attrs.evolve(general, unit=None)]))
    assert any("unit line" in p and "page 5" in p for p in draft.problems)
    assert not any(n.startswith("general-") for n in draft.case.nodes)


cents = st.integers(min_value=0, max_value=10**7)


@given(items=st.lists(st.lists(cents, min_size=1, max_size=4), min_size=1, max_size=4),
       pick=st.integers(min_value=0), bump=st.integers(min_value=1, max_value=10**6))
def test_code_sums_hold_exactly_and_any_bump_beyond_rounding_is_caught(items, pick, bump):
    """项 amounts in fen; 款, 类 and 合计 summed here; a bump of more than the printed precision allows fails."""
    def show(fen: int) -> str:
        return f"{Decimal(fen).scaleb(-2):,.2f}"

    rows = []
    sections = [sum(section) for section in items]
    rows.append(("", "", "", "合计", show(sum(sections)), show(sum(sections)), ""))
    rows.append(("201", "", "", "一般公共服务支出", show(sum(sections)), show(sum(sections)), ""))
    leaves = []
    for s, section in enumerate(items, start=1):
        rows.append(("201", f"{s:02d}", "", f"款{s}", show(sections[s - 1]), show(sections[s - 1]), ""))
        for i, fen in enumerate(section, start=1):
            leaves.append(len(rows))
            rows.append(("201", f"{s:02d}", f"{i:02d}", f"项{s}{i}", show(fen), show(fen), ""))
    spending = table(3, "支出决算表", "万元", SPENDING, rows)
    _, report = audit(document([spending], lines=()))
    assert report.findings == ()
    index = leaves[pick % len(leaves)]
    old = rows[index]
    # each figure is ± half a fen; a sum of n parts against its total tolerates (n + 1) half-fen: 6 fen covers
    # the largest section here (4 items), so a bump of 6 fen or more cannot be rounding
    bumped = old[:4] + (show(int(old[4].replace(",", "").replace(".", "")) + bump + 5),) + old[5:]
    rows[index] = bumped
    _, report = audit(document([table(3, "支出决算表", "万元", SPENDING, rows)], lines=()))
    cited = set().union(*(places(f) for f in report.findings)) if report.findings else set()
    assert (3, 4 + index, "本年支出合计") in cited


# -- the real sample ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sample_document():
    pytest.importorskip("pdfplumber", reason='reading PDFs needs the extra: pip install ".[pdf]"')
    if not SAMPLE.exists():
        pytest.skip(f"the sample is not at {SAMPLE} (../shared/peers/ beside the repository, or $FISCALCHECK_SHARED)")
    from fiscalcheck.extract.pdf import read_pages

    return read_pages(str(SAMPLE))


def test_the_sample_gives_the_nine_standard_tables_joined_across_pages(sample_document):
    draft = build_case(sample_document)
    found = [(r.kind.number, r.phase, r.table.place) for r in draft.recognized]
    assert found == [
        (1, "final", "pages 6-7, table 1"), (2, "final", "pages 8-9, table 1"), (3, "final", "pages 10-11, table 1"),
        (4, "final", "pages 12-13, table 1"), (5, "final", "page 15, table 1"), (6, "final", "pages 16-17, table 1"),
        (7, "final", "page 18, table 1"), (8, "final", "page 19, table 1"), (9, "final", "page 20, table 1"),
    ]
    assert draft.problems == ()
    assert draft.case.nodes["spending-2080599"].measures["total"][0].cell.page == 11   # the continued row
    assert draft.case.nodes["sanggong"].measures["total_budget"][0].printed == "0.95"


def test_the_sample_audit_finds_the_two_misprints_of_its_narrative(sample_document):
    _, report = audit(sample_document)
    errors = [f for f in report.findings if f.severity == "error"]
    assert [(f.rule, f.node) for f in errors] == [("statements-agree", "fiscal-grand-in"), ("share", "narrative-123")]
    total, share = errors
    assert (13, 19, "收入/决算数") in places(total)                      # 总计 2,961.68 of table 4
    assert {s.printed for s in total.statements if s.cell is None} == {"0.3万元"}
    assert sample_document.line(total.statements[-1].line).page == 21
    assert share.statements[0].printed == "71.73%"
    # the code sums the peer tool fails on, all rows continued on the next page, hold once joined
    held = {f.node.rsplit("/", 1)[-1] for f in report.passed if f.rule == "parts-sum"}
    assert {"income-21011", "income-221", "spending-20805", "spending-210", "spending-221"} <= held


def _edit(document, page, row_number, change):
    tables = []
    for t in document.tables:
        if t.page == page:
            rows = tuple(change(r) if r.number == row_number else r for r in t.rows if change(r) is not None
                         or r.number != row_number)
            t = attrs.evolve(t, rows=rows)
        tables.append(t)
    return attrs.evolve(document, tables=tuple(tables))


def test_defective_copy_one_cell_changed(sample_document):
    """行政运行's 基本支出 in table 3 (page 10, row 7) printed 1,503.25 instead of what the sample prints."""
    def change(row):
        cells = list(row.cells)
        cells[5] = "1,503.25"
        return attrs.evolve(row, cells=tuple(cells))

    _, report = audit(_edit(sample_document, 10, 7, change))
    cited = set().union(*(places(f) for f in report.findings))
    assert (10, 7, "基本支出") in cited
    assert any(f.rule == "parts-sum" and f.node.endswith("spending-2010601") for f in report.findings)  # its row


def test_defective_copy_one_row_dropped(sample_document):
    """The continued row 2080599 (page 11, row 1) dropped: 行政事业单位养老支出 is short by it."""
    _, report = audit(_edit(sample_document, 11, 1, lambda row: None))
    short = [f for f in report.findings if f.rule == "parts-sum" and f.node.endswith("spending-20805")]
    assert short and (10, 14, "本年支出合计") in places(short[0])


def test_defective_copy_unit_line_swapped(sample_document):
    """Table 5 read in 元 (its 单位 line swapped): every narrative printing of its figures disagrees."""
    tables = tuple(attrs.evolve(t, unit="元") if t.page == 15 else t for t in sample_document.tables)
    _, report = audit(attrs.evolve(sample_document, tables=tables))
    agree = [f for f in report.findings if f.rule == "statements-agree" and f.node == "general-total"]
    assert agree and (15, 24, "合计") in places(agree[0])


def test_the_cli_audits_a_pdf_citing_page_table_row_and_column(sample_document, monkeypatch, capsys):
    import fiscalcheck.extract.pdf as pdf
    from fiscalcheck.cli.main import main

    monkeypatch.setattr(pdf, "read_pages", lambda path: sample_document)   # read once per session
    assert main(["audit", str(SAMPLE)]) == 1
    out = capsys.readouterr().out
    assert "9 standard tables recognized" in out
    assert "2,961.68 @p13 t1 r19" in out and "0.3万元 @112" in out
    assert "line 112 (page 21)" in out


def test_without_the_extra_the_message_names_it(monkeypatch, capsys, tmp_path):
    from fiscalcheck.cli.main import main

    fake = tmp_path / "report.pdf"
    fake.write_bytes(b"%PDF-1.4\n")
    monkeypatch.setitem(sys.modules, "pdfplumber", None)   # import pdfplumber now raises ImportError
    assert main(["audit", str(fake)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and 'fiscalcheck[pdf]' in err[0] and err[0].startswith(f"{fake}:1:1:")


def test_the_draft_yaml_loads_back_to_the_same_audit(sample_document, tmp_path):
    from fiscalcheck.api import load
    from fiscalcheck.extract.pdf.draft import draft_yaml

    draft, report = audit(sample_document)
    path = tmp_path / "putuo.yaml"
    path.write_text(draft_yaml(draft), encoding="utf-8")
    loaded = load(path)
    again = loaded.check()
    assert again.summary() == report.summary()
    cell = loaded.nodes["fiscal-grand-in"].measures["amount"][0].cell
    assert (cell.page, cell.table, cell.row, cell.column) == (13, 1, 19, "收入/决算数")
    blank = loaded.nodes["summary-in2"].measures["amount"][0]
    assert blank.printed == "" and blank.exact and blank.figure.value == 0


def test_the_memo_shows_the_summary_the_audit_prints(sample_document):
    _, report = audit(sample_document)
    memo = (ROOT / "docs" / "findings-putuo-2024.md").read_text(encoding="utf-8")
    assert report.summary() in memo


# -- a PDF written here (reportlab, the test extra), read back with pdfplumber ---------------------------


@pytest.fixture
def written(tmp_path):
    pytest.importorskip("pdfplumber", reason='reading PDFs needs the extra: pip install ".[pdf]"')
    pytest.importorskip("reportlab", reason='the PDF fixtures need reportlab: pip install ".[test]"')
    from department_pdf import department_pdf
    from fiscalcheck.extract.pdf import extract_pdf

    def make(**defect):
        draft = extract_pdf(department_pdf(tmp_path / "dept.pdf", **defect))
        return draft, Case.of(draft.case).check()

    return make


def test_a_written_pdf_is_read_joined_and_holds(written):
    draft, report = written()
    assert [(r.kind.key, r.table.place, r.table.unit) for r in draft.recognized] == [
        ("spending", "pages 1-2, table 1", "万元"), ("general", "page 3, table 1", "万元")]
    assert report.findings == ()
    held = {(f.rule, f.node.rsplit("/", 1)[-1]) for f in report.passed}
    assert {("parts-sum", "spending-20106"), ("statements-agree", "general-total"), ("share", "narrative-6")} <= held


def test_a_written_pdf_with_one_cell_changed(written):
    _, report = written(change=(1, 5, 5, "20.30"))   # 行政运行's 基本支出 on page 1, row 5
    cited = set().union(*(places(f) for f in report.findings))
    assert (1, 5, "基本支出") in cited


def test_a_written_pdf_with_one_row_dropped(written):
    _, report = written(drop=(3, 5))                  # 一般行政管理事务 left out of table 5
    short = [f for f in report.findings if f.rule == "parts-sum" and f.node.endswith("general-20106")]
    assert short and (3, 3, "合计") in places(short[0])


def test_a_written_pdf_with_its_unit_line_swapped(written):
    _, report = written(unit="元")
    agree = [f for f in report.findings if f.rule == "statements-agree" and f.node == "general-total"]
    assert agree and (3, 6, "合计") in places(agree[0])
    assert {s.line for s in agree[0].statements if s.cell is None} == {6}   # page 4, after 4 title and unit lines


def test_an_unruled_table_is_found_by_text_alignment_but_a_one_row_continuation_is_not(written):
    """Without table lines: table 5 (it prints a 单位 line) is read by text alignment and holds; the
    one-row continuation of table 3 on page 2 cannot be aligned, so table 3's 20106 is reported short —
    a known limit, reported, never a silent pass."""
    draft, report = written(ruled=False)
    assert [(r.kind.key, r.table.place) for r in draft.recognized] == [("spending", "page 1, table 1"),
                                                                        ("general", "page 3, table 1")]
    assert not [f for f in report.findings if f.node.split("/")[-1].startswith("general-")]
    assert {f.node.rsplit("/", 1)[-1] for f in report.findings} == {"spending-20106"}


def test_a_file_that_is_not_a_pdf_is_one_line_and_exit_2(tmp_path, capsys):
    pytest.importorskip("pdfplumber", reason='reading PDFs needs the extra: pip install ".[pdf]"')
    from fiscalcheck.cli.main import main

    bad = tmp_path / "report.pdf"
    bad.write_text("not a pdf", encoding="utf-8")
    assert main(["extract", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"{bad}:1:1: expected a readable PDF")
