"""Coverage of a report's figures by the case files (fiscalcheck.inputs.coverage, fiscalcheck coverage)."""

from __future__ import annotations

from pathlib import Path

import pytest

import fiscalcheck
from fiscalcheck import loads
from fiscalcheck.cli.main import main as cli_main
from fiscalcheck.figures.intext import line_figures, occurrences, report_figures
from fiscalcheck.inputs.coverage import coverage, read_sections


def main(argv):
    return cli_main(["coverage", *argv])

ROOT = Path(__file__).resolve().parent.parent


def texts(line: str, previous: str | None = None) -> list[str]:
    return [f.text for f in line_figures(line, 1, previous)]


# -- the extractor ----------------------------------------------------------------

@pytest.mark.parametrize(
    "line, expected",
    [
        # money, in every unit of the format, with the qualifiers printed around it
        ("安排资金约7.3亿元，支持项目758个。", ["约7.3亿元", "758个"]),
        ("已执行金额4979.068万元，剩余36628.24元将退回", ["4979.068万元", "36628.24元"]),
        ("实际利用外资44.7亿美元，新设1000万美元以上外资企业21家", ["44.7亿美元", "1000万美元以上", "21家"]),
        ("完成投资总额超过3亿元，其中超过7800万元", ["超过3亿元", "超过7800万元"]),
        ("给予最高不超过100万元的一次性补助", ["最高不超过100万元"]),
        ("获得投资500万元及以上的", ["500万元及以上"]),
        # ratios
        ("预算执行率达到99.6%，占全市比重近50%，占全国的1.57 %。", ["99.6%", "近50%", "1.57 %"]),
        ("超全区增速20.1个百分点", ["20.1个百分点"]),
        ("约占全部支持项目的70%以上", ["70%以上"]),
        # counts
        ("支持49家次，共改造123座，6个班，701人，65项，146处", ["49家次", "123座", "6个班", "701人", "65项", "146处"]),
        ("登记注册文化企业达到3.48万家，走访100余次，落实380余条", ["3.48万家", "100余次", "380余条"]),
        ("举办了2场线上政策宣讲会，伐移300株", ["2场", "300株"]),
        # a range is one figure
        ("扶持数量50-150家", ["50-150家"]),
    ],
)
def test_the_extractor_counts_money_counts_and_percentages(line, expected):
    assert texts(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "2020年4月23日-5月20日，2020年1-10月份，2020年度",   # dates and periods
        "经第12次区长办公会审定，第2批",                      # ordinals
        "〔2020〕5号文件，东坝23号地，1号线",                  # document numbers, plot names
        "用时12个月，3个工作日内",                            # durations
        "5G、4K/8K、pm2.5、SO2",                             # names touching Latin letters
        "1. 品牌提升类。2、融资补贴类（3）",                   # list markers
        "全长5.575公里，面积192.68公顷，64.09万平方米，2万方",   # physical quantities
        "立项金额超过100万的项目，600路视频",                   # no unit of the format
        "支持两家企业，占七成，近五分之一",                     # Chinese numerals
    ],
)
def test_the_extractor_leaves_out_what_is_not_a_figure(line):
    assert texts(line) == []


def test_physical_quantities_can_be_asked_for():
    found = line_figures("全长5.575公里，约64.09万平方米，支持3家", dimensions=("length", "area", "count"))
    assert [f.text for f in found] == ["5.575公里", "约64.09万平方米", "3家"]


def test_table_cells_are_figures_except_the_serial_number():
    table = ["\t序号", "\t项目名称", "\t总投资（万元）", "", "\t1", "\t某项目", "\t96490", "\t19.2%", "",
             "\t合计", "\t295418"]
    found = report_figures(table)
    assert [(f.line, f.text) for f in found] == [(7, "96490"), (8, "19.2%"), (11, "295418")]
    assert found[0].cell and not found[1].cell
    # a bare number in prose is not a cell
    assert texts("96490") == []


def test_anchors_point_at_the_digits():
    (figure,) = line_figures("共安排约7885万元（含")
    assert figure.text == "约7885万元"
    assert "共安排约7885万元（含"[figure.anchors[0]:].startswith("7885")


def test_occurrences_are_not_inside_longer_numbers():
    assert occurrences("预算2.5亿元，另5亿元", "5亿元") == [9]
    assert occurrences("12.5亿元", "5亿元") == []
    assert occurrences("\t96490", "9649") == []
    assert occurrences("5.5万元", "5") == []
    assert occurrences("5万元，5.5万元", "5万元") == [0]


# -- coverage of a tiny case over a tiny report ----------------------------------

REPORT = "\n".join([
    "标题",                                                   # 1
    "安排资金约7.3亿元，支持项目758个，同比增长17.7%。",          # 2
    "对2家企业分别给予100万元，对1家企业给予100万元，第3次会议。",  # 3
    "\t合计",                                                 # 4
    "\t295418",                                               # 5
]) + "\n"


def tiny_case(tmp_path: Path, statements: str):
    (tmp_path / "report.txt").write_text(REPORT, encoding="utf-8")
    text = "case: t\nsources:\n  r: {path: report.txt}\nnodes:\n  - id: a\n    measures:\n" + statements
    return loads(text, str(tmp_path / "case.yaml"))


def test_coverage_of_a_tiny_case(tmp_path):
    case = tiny_case(tmp_path, "      amount: 约7.3亿元 @2\n      count: 758个 @2\n      each: 100万元 @3\n"
                               "      total: 295418 @5 unit=万元\n")
    (result,) = coverage(case)
    assert result.path == str((tmp_path / "report.txt").resolve())
    assert [f.text for f in result.figures] == ["约7.3亿元", "758个", "17.7%", "2家", "100万元", "1家", "100万元", "295418"]
    assert result.count(result.figures) == (4, 8)
    # one statement of 100万元 references one of its two printings, not both
    assert [(f.line, f.text) for f in result.missing()] == [(2, "17.7%"), (3, "2家"), (3, "1家"), (3, "100万元")]
    assert result.count(result.select([(3, 3)])) == (1, 4)
    assert result.unplaced == ()
    # any other report is one section
    assert [s.key for s in result.sections] == ["report"]


def test_two_statements_of_one_text_reference_two_printings(tmp_path):
    case = tiny_case(tmp_path, "      each: [100万元 @3, 100万元 @3]\n")
    (result,) = coverage(case)
    assert [f.text for f in result.figures if result.is_referenced(f)] == ["100万元", "100万元"]


def test_a_statement_without_its_qualifier_still_references_the_figure(tmp_path):
    case = tiny_case(tmp_path, "      amount: 7.3亿元 @2\n")
    (result,) = coverage(case)
    assert [f.text for f in result.figures if result.is_referenced(f)] == ["约7.3亿元"]


def test_statements_not_on_their_line_reference_nothing(tmp_path):
    case = tiny_case(tmp_path, "      amount: 约7.3亿元 @3\n      part: 3亿元 @2\n")
    (result,) = coverage(case)
    assert result.count(result.figures) == (0, 8)
    assert [(printed, line) for printed, line, _ in result.unplaced] == [("3亿元", 2), ("约7.3亿元", 3)]


def test_a_file_included_by_two_cases_counts_once(tmp_path):
    (tmp_path / "report.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "part.yaml").write_text(
        "case: p\nsources:\n  r: {path: report.txt}\nnodes:\n  - id: a\n    measures: {each: 100万元 @3}\n",
        encoding="utf-8")
    top = "case: {}\nsources:\n  r: {{path: report.txt}}\ninclude: [part.yaml]\nnodes: []\n"
    one = loads(top.format("one"), str(tmp_path / "one.yaml"))
    two = loads(top.format("two"), str(tmp_path / "two.yaml"))
    (result,) = coverage([one, two])
    assert result.count(result.figures) == (1, 8)


def test_the_command_line(tmp_path, capsys):
    case = "case: t\nsources:\n  r: {path: report.txt}\nnodes:\n  - id: a\n    measures: {count: 758个 @2}\n"
    (tmp_path / "report.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "case.yaml").write_text(case, encoding="utf-8")
    assert main([str(tmp_path / "case.yaml"), "--missing", "--lines", "2-3"]) == 0
    out = capsys.readouterr().out
    assert "total" in out and " 1 " in out
    assert "figures not referenced (6)" in out
    assert "17.7%" in out and "295418" not in out
    assert main([str(tmp_path / "case.yaml"), "--fail-under", "50"]) == 1
    assert main([str(tmp_path / "case.yaml"), "--fail-under", "10"]) == 0
    (tmp_path / "bad.yaml").write_text("case: t\nnodes: [{id: a, labl: x}]\n", encoding="utf-8")
    assert main([str(tmp_path / "bad.yaml")]) == 2
    assert "unknown key 'labl'" in capsys.readouterr().err


def test_the_module_runs_as_a_script(tmp_path):
    import os
    import subprocess
    import sys

    (tmp_path / "report.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "case.yaml").write_text(
        "case: t\nsources:\n  r: {path: report.txt}\nnodes:\n  - id: a\n    measures: {count: 758个 @2}\n",
        encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "fiscalcheck", "coverage", str(tmp_path / "case.yaml")],
                         capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1].split() == ["total", "1", "8", "12.5%"]


# -- the real report -------------------------------------------------------------

def test_the_sections_cover_the_real_report_once(report_path):
    lines = report_path.read_text(encoding="utf-8").splitlines()
    problems = []
    sections = read_sections(str(ROOT / "cases" / "sections" / "chaoyang-2020.yaml"), problems)[report_path.name]
    assert not problems
    assert sections[0].first == 1 and sections[-1].last == len(lines)
    assert all(a.last + 1 == b.first for a, b in zip(sections, sections[1:]))


def test_figures_of_the_real_report(report_path):
    figures = report_figures(report_path.read_text(encoding="utf-8").splitlines())
    on = lambda a, b: [f for f in figures if a <= f.line <= b]  # noqa: E731
    assert len(on(918, 981)) == 30   # 5 rows x 5 money/rate columns + the 合计 row; 序号 excluded
    assert len(on(1149, 1187)) == 10  # 5 rows x 2 money columns
    assert [f.text for f in on(374, 374)] == ["411个", "297个", "30.9%"]  # 第12次, dates excluded


def test_the_cases_reference_the_2020_execution_and_every_table_figure(report_path):
    cases = [fiscalcheck.load(ROOT / "cases" / "2020.yaml"), fiscalcheck.load(ROOT / "cases" / "2021.yaml")]
    (result,) = [r for r in coverage(cases) if Path(r.path).name == report_path.name]
    execution = result.select([(52, 557), (918, 1148)])
    hit, total = result.count(execution)
    assert hit >= 0.9 * total, f"{hit}/{total} figures of the 2020 execution are referenced"
    tables = result.select([(918, 980), (1149, 1186)])
    assert result.missing([(918, 980), (1149, 1186)]) == [], "every investment-table figure is referenced"
    assert len(tables) == 40


def test_physical_quantities_on_the_command_line(tmp_path, capsys):
    (tmp_path / "report.txt").write_text("全长5.575公里，支持3家\n", encoding="utf-8")
    (tmp_path / "case.yaml").write_text(
        "case: t\nsources:\n  r: {path: report.txt}\nnodes:\n  - id: a\n    measures: {count: 3家 @1}\n",
        encoding="utf-8")
    assert main([str(tmp_path / "case.yaml")]) == 0
    assert capsys.readouterr().out.splitlines()[-1].split() == ["total", "1", "1", "100.0%"]
    assert main([str(tmp_path / "case.yaml"), "--physical"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].split() == ["total", "1", "2", "50.0%"]
