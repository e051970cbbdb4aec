"""Hostile input (issue 9): every reproducer of the fuzzing run, as a regression test.

Each input of the issue either gives one line ``file:line:column: what was expected``
per problem (``CaseError`` through the API, exit 2 through the command line), or a
correct result. Never a traceback, never a silent wrong answer, never a read of a
file the case has no business reading. Timing goals live in bench/scale.py and
bench/fuzz.py; here a bound is only a guard against a hang (a FIFO read forever).
"""

from __future__ import annotations

import gc
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import fiscalcheck
from fiscalcheck import CaseError, FigureError, parse_figure
from fiscalcheck.cli import main

ROOT = Path(__file__).resolve().parent.parent
ONE_LINE = re.compile(r"^[^\n]+:[0-9]+:[0-9]+: [^\n]+$")


def _report_path() -> Path | None:
    """The shared Chaoyang report: beside the repository, or beside its worktree folder."""
    for folder in (ROOT.parent, *ROOT.parents):
        candidate = folder / "shared" / "reports" / "chaoyang-2020-budget-report.txt"
        if candidate.exists():
            return candidate
    return None


def problems_of(call) -> list[str]:
    """The problem lines of a load that must fail; each is checked for the one-line format."""
    with pytest.raises(CaseError) as caught:
        call()
    lines = [str(p) for p in caught.value.problems]
    assert lines, "a CaseError with no problem"
    for line in lines:
        assert ONE_LINE.match(line), f"not one 'file:line:column: message' line: {line!r}"
    return lines


def cli_errors(argv, capsys) -> str:
    """Run the command line; it must exit 2 with every stderr line in the one-line format."""
    status = main(argv)
    err = capsys.readouterr().err
    assert status == 2, err
    lines = err.strip().splitlines()
    assert lines
    for line in lines:
        assert ONE_LINE.match(line), f"not one 'file:line:column: message' line: {line!r}"
    return err


@pytest.fixture
def report(tmp_path) -> Path:
    path = tmp_path / "report.txt"
    path.write_text("第一行：全年收入72.1亿元。\n第二行：支出50亿元。\n第三行：结余22.1亿元。\n", encoding="utf-8")
    return path


def case_text(measure: str = "72.1亿元 @1", extra: str = "", source: str = "report.txt") -> str:
    return (f"case: t\nsources:\n  r: {{path: {source}}}\n{extra}"
            f"nodes:\n  - id: a\n    measures: {{budget: {measure}}}\n")


# -- crashes --------------------------------------------------------------------------------

def test_lone_surrogate_in_loads_text(report):
    text = case_text() + "title: \ud800\n"
    (line,) = problems_of(lambda: fiscalcheck.loads(text, str(report.parent / "case.yaml")))
    assert "surrogate" in line
    assert ":7:8:" in line  # where it stands: line 7, column 8


@pytest.mark.parametrize("form", ["72.1亿元 @{n}", "{{printed: 72.1亿元, line: {n}}}"])
def test_line_number_of_5000_digits(report, form):
    text = case_text(form.format(n="9" * 5000))
    (line,) = problems_of(lambda: fiscalcheck.loads(text, str(report.parent / "case.yaml")))
    assert "line number" in line and len(line) < 400  # the digits are not echoed


def _chain(folder: Path, n: int, key: str, last: str, name: str = "c{}.yaml") -> Path:
    for i in range(n):
        body = f"include: [{name.format(i + 1)}]\n" if key == "include" else f"extends: {name.format(i + 1)}\n"
        if key == "include":
            folder.joinpath(name.format(i)).write_text(f"case: c{i}\nsources:\n  r: {{path: report.txt}}\n{body}nodes: []\n")
        else:
            folder.joinpath(name.format(i)).write_text(f"pack: p{i}\n{body}")
    folder.joinpath(name.format(n)).write_text(last)
    return folder / name.format(0)


def test_include_chain_of_500_files(tmp_path, report):
    top = _chain(tmp_path, 500, "include", "case: last\nnodes: []\n")
    (line,) = problems_of(lambda: fiscalcheck.load(top))
    assert "include" in line and "deep" in line and "c0.yaml" in line


def test_include_chain_within_the_limit_loads(tmp_path, report):
    last = "case: last\nsources:\n  r: {path: report.txt}\nnodes: [{id: z, measures: {budget: 50亿元 @2}}]\n"
    top = _chain(tmp_path, 10, "include", last)
    assert "z" in fiscalcheck.load(top).nodes


def test_pack_extends_chain_of_500_files(tmp_path, report):
    top = _chain(tmp_path, 500, "extends", "pack: last\nrules: {parts-sum: error}\n", "p{}.yaml")
    tmp_path.joinpath("case.yaml").write_text(case_text(extra="rules: p0.yaml\n"))
    (line,) = problems_of(lambda: fiscalcheck.load(tmp_path / "case.yaml"))
    assert "extends" in line and "deep" in line and top.name in line


def test_include_of_dev_zero_is_refused(tmp_path, report):
    tmp_path.joinpath("case.yaml").write_text(case_text(extra="include: [/dev/zero]\n"))
    (line,) = problems_of(lambda: fiscalcheck.load(tmp_path / "case.yaml", allow=["/dev"]))
    assert "regular file" in line


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_include_of_a_fifo_is_refused_without_blocking(tmp_path, report):
    os.mkfifo(tmp_path / "pipe.yaml")
    tmp_path.joinpath("case.yaml").write_text(case_text(extra="include: [pipe.yaml]\n"))
    done = subprocess.run([sys.executable, "-m", "fiscalcheck", "run", str(tmp_path / "case.yaml")],
                          capture_output=True, text=True, timeout=15, cwd=ROOT)
    assert done.returncode == 2, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert ONE_LINE.match(line) and "regular file" in line


def test_top_case_file_that_is_not_a_regular_file(tmp_path, capsys):
    err = cli_errors(["run", str(tmp_path)], capsys)
    assert "regular file" in err


def test_size_cap_is_checked_before_reading(tmp_path, report):
    big = tmp_path / "case.yaml"
    big.write_text(case_text() + "#" * 5000 + "\n")
    (line,) = problems_of(lambda: fiscalcheck.load(big, max_size=1000))
    assert "1000" in line and "max" in line
    assert fiscalcheck.load(big, max_size=10_000).nodes["a"]


def test_size_cap_of_the_command_line_can_be_raised(tmp_path, report, capsys):
    big = tmp_path / "case.yaml"
    big.write_text(case_text() + "#" * 3000 + "\n")
    cli_errors(["run", "--max-size", "1K", str(big)], capsys)
    assert main(["run", "--max-size", "1M", str(big)]) == 0


@pytest.mark.parametrize("encoding, data", [("gbk", "全年收入72.1亿元。\n".encode("gbk")),
                                            ("binary", bytes(range(256)) * 4)])
def test_coverage_on_a_report_that_is_not_utf8(tmp_path, capsys, encoding, data):
    tmp_path.joinpath("report.txt").write_bytes(data)
    tmp_path.joinpath("case.yaml").write_text(case_text())
    err = cli_errors(["coverage", str(tmp_path / "case.yaml")], capsys)
    assert "UTF-8" in err and "encoding" in err
    if encoding == "gbk":
        assert "gb18030" in err  # the encoding it looks like


# -- wrong results with no error -----------------------------------------------------------

def test_negative_policy_about_is_refused(report):
    text = case_text(extra="policy: {about: '-1'}\n")
    (line,) = problems_of(lambda: fiscalcheck.loads(text, str(report.parent / "case.yaml")))
    assert "about" in line and ":4:" in line


@pytest.mark.parametrize("printed", ["7,2,6,6亿元", "72,66亿元", "7266,0亿元", "1,23,456元", ",5亿元", "5,亿元",
                                     "1,2345.6元"])
def test_irregular_digit_grouping_is_refused(printed):
    with pytest.raises(FigureError, match="group"):
        parse_figure(printed)


@pytest.mark.parametrize("printed, value", [("7,266亿元", "7266"), ("1,234,567.89元", "1234567.89"),
                                            ("7266亿元", "7266")])
def test_regular_digit_grouping_is_read(printed, value):
    assert str(parse_figure(printed).value) == value


@pytest.mark.parametrize("printed", ["约7.3亿元", "近3000万元", "超过66.6%", "不超过500万元"])
def test_the_figure_printer_keeps_the_qualifier(printed):
    figure = parse_figure(printed)
    assert str(figure) == printed
    assert parse_figure(str(figure)) == figure


@pytest.mark.parametrize("printed", ["100余次", "500万元以上", "3亿元左右", "2000万元以内"])
def test_every_qualified_figure_round_trips(printed):
    figure = parse_figure(printed)
    assert parse_figure(str(figure)) == figure


# -- messages off the one-line format --------------------------------------------------------

def test_control_character_is_located_where_it_stands(report):
    text = case_text() + "title: ab\x07c\n"
    (line,) = problems_of(lambda: fiscalcheck.loads(text, str(report.parent / "case.yaml")))
    assert ":7:10:" in line and "control character" in line


def test_unreadable_top_file_has_a_line_and_column(tmp_path, capsys):
    err = cli_errors(["run", str(tmp_path / "missing.yaml")], capsys)
    assert "missing.yaml:1:1:" in err


def test_unreadable_include_has_a_line_and_column(tmp_path, report):
    tmp_path.joinpath("case.yaml").write_text(case_text(extra="include: [gone.yaml]\n"))
    (line,) = problems_of(lambda: fiscalcheck.load(tmp_path / "case.yaml"))
    assert "case.yaml:4:" in line and "gone.yaml" in line


# -- confinement -----------------------------------------------------------------------------

@pytest.fixture
def outside(tmp_path) -> Path:
    """A file outside the case's tree whose content must never reach a message."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    secret = folder / "secret.yaml"
    secret.write_text("root:SECRET-TOKEN-42:0:0:root:/root:/bin/bash\n  - [unbalanced\n")
    return secret


def _case_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir()
    folder.joinpath("report.txt").write_text("全年收入72.1亿元。\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("how", ["absolute", "relative"])
def test_include_outside_the_tree_is_refused_without_quoting(tmp_path, outside, how):
    folder = _case_dir(tmp_path)
    name = str(outside) if how == "absolute" else "../elsewhere/secret.yaml"
    folder.joinpath("case.yaml").write_text(case_text(extra=f"include: [{name}]\n"))
    (line,) = problems_of(lambda: fiscalcheck.load(folder / "case.yaml"))
    assert "outside" in line and "--allow-path" in line
    assert "SECRET" not in line


def test_include_through_a_symlink_out_of_the_tree_is_refused(tmp_path, outside):
    folder = _case_dir(tmp_path)
    (folder / "link.yaml").symlink_to(outside)
    folder.joinpath("case.yaml").write_text(case_text(extra="include: [link.yaml]\n"))
    (line,) = problems_of(lambda: fiscalcheck.load(folder / "case.yaml"))
    assert "outside" in line and "SECRET" not in line


def test_etc_shadow_is_not_quoted(tmp_path, capsys):
    folder = _case_dir(tmp_path)
    folder.joinpath("case.yaml").write_text(case_text(extra="include: [/etc/shadow, /etc/passwd]\n"))
    err = cli_errors(["run", str(folder / "case.yaml")], capsys)
    assert "root:" not in err and "outside" in err


def test_allowed_path_is_read_and_its_errors_located(tmp_path, outside, capsys):
    folder = _case_dir(tmp_path)
    folder.joinpath("case.yaml").write_text(case_text(extra=f"include: [{outside}]\n"))
    lines = problems_of(lambda: fiscalcheck.load(folder / "case.yaml", allow=[outside.parent]))
    assert all("outside" not in line for line in lines) and any("secret.yaml:" in line for line in lines)
    err = cli_errors(["run", "--allow-path", str(outside.parent), str(folder / "case.yaml")], capsys)
    assert "secret.yaml:" in err


def test_rule_pack_outside_the_tree_is_refused(tmp_path, outside):
    folder = _case_dir(tmp_path)
    pack = outside.parent / "pack.yaml"
    pack.write_text("pack: far\nrules: {parts-sum: error}\n")
    folder.joinpath("case.yaml").write_text(case_text(extra="rules: ../elsewhere/pack.yaml\n"))
    (line,) = problems_of(lambda: fiscalcheck.load(folder / "case.yaml"))
    assert "outside" in line
    assert fiscalcheck.load(folder / "case.yaml", allow=[outside.parent]).rules.name == "far"


def test_shipped_packs_stay_available(tmp_path):
    folder = _case_dir(tmp_path)
    folder.joinpath("case.yaml").write_text(case_text(extra="rules: strict\n"))
    assert fiscalcheck.load(folder / "case.yaml").rules.name == "strict"


def test_pack_extending_a_path_outside_is_refused(tmp_path, outside):
    folder = _case_dir(tmp_path)
    folder.joinpath("mine.yaml").write_text(f"pack: mine\nextends: {outside}\n")
    folder.joinpath("case.yaml").write_text(case_text(extra="rules: mine.yaml\n"))
    (line,) = problems_of(lambda: fiscalcheck.load(folder / "case.yaml"))
    assert "outside" in line and "SECRET" not in line


# -- provenance checked by run -----------------------------------------------------------------

def _provenance(report) -> list:
    return [f for f in report.findings if f.rule == "provenance"]


def test_run_flags_a_figure_not_printed_on_its_line(tmp_path, report, capsys):
    tmp_path.joinpath("case.yaml").write_text(case_text("72.3亿元 @1"))
    (finding,) = _provenance(fiscalcheck.load(tmp_path / "case.yaml").check())
    assert finding.severity == "error" and not finding.holds
    assert "line 1" in finding.message and "72.1亿元" in finding.message
    assert main(["run", str(tmp_path / "case.yaml")]) == 1
    assert "provenance" in capsys.readouterr().out


def test_provenance_suggests_the_nearby_line(tmp_path, report):
    tmp_path.joinpath("case.yaml").write_text(case_text("50亿元 @3"))
    (finding,) = _provenance(fiscalcheck.load(tmp_path / "case.yaml").check())
    assert "line 2" in finding.message


def test_a_figure_printed_where_cited_passes(tmp_path, report):
    tmp_path.joinpath("case.yaml").write_text(case_text("72.1亿元 @1"))
    assert not [f for f in _provenance(fiscalcheck.load(tmp_path / "case.yaml").check()) if not f.holds]


def test_a_line_past_the_end_of_the_report(tmp_path, report):
    tmp_path.joinpath("case.yaml").write_text(case_text("72.1亿元 @99"))
    (finding,) = _provenance(fiscalcheck.load(tmp_path / "case.yaml").check())
    assert "3 lines" in finding.message and "line 1" in finding.message


def test_an_unreadable_source_is_a_load_error(tmp_path):
    tmp_path.joinpath("case.yaml").write_text(case_text(source="nowhere.txt"))
    (line,) = problems_of(lambda: fiscalcheck.load(tmp_path / "case.yaml"))
    assert "nowhere.txt" in line and "text: none" in line and "case.yaml:3:" in line


def test_a_paper_source_declared_text_none(tmp_path):
    tmp_path.joinpath("case.yaml").write_text(
        "case: t\nsources:\n  r: {path: paper-copy.pdf, text: none}\nnodes:\n  - id: a\n    measures: {budget: 7亿元 @1}\n")
    report = fiscalcheck.load(tmp_path / "case.yaml").check()
    assert not _provenance(report)


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8"])
def test_declared_encodings_are_read(tmp_path, encoding):
    tmp_path.joinpath("report.txt").write_bytes("全年收入72.1亿元。\n".encode(encoding))
    tmp_path.joinpath("case.yaml").write_text(
        f"case: t\nsources:\n  r: {{path: report.txt, encoding: {encoding}}}\nnodes:\n"
        f"  - id: a\n    measures: {{budget: 72.1亿元 @1}}\n")
    report = fiscalcheck.load(tmp_path / "case.yaml").check()
    assert not [f for f in _provenance(report) if not f.holds]


def test_undeclared_gbk_report_suggests_its_encoding(tmp_path):
    tmp_path.joinpath("report.txt").write_bytes("全年收入72.1亿元，比上年增长百分之五。\n".encode("gbk"))
    tmp_path.joinpath("case.yaml").write_text(case_text())
    (line,) = problems_of(lambda: fiscalcheck.load(tmp_path / "case.yaml"))
    assert "UTF-8" in line and "encoding: gb18030" in line


def test_unknown_encoding_is_refused(tmp_path, report):
    tmp_path.joinpath("case.yaml").write_text(
        "case: t\nsources:\n  r: {path: report.txt, encoding: klingon}\nnodes: []\n")
    (line,) = problems_of(lambda: fiscalcheck.load(tmp_path / "case.yaml"))
    assert "klingon" in line and ":3:" in line


def test_coverage_tells_checked_from_cited_only(tmp_path, report, capsys):
    tmp_path.joinpath("case.yaml").write_text(
        "case: t\nsources:\n  r: {path: report.txt}\nnodes:\n"
        "  - id: a\n    measures: {income: 72.1亿元 @1, spent: 50亿元 @2, left: 22.1亿元 @3}\n"
        "relations:\n  - {diff: a.left, of: [a.income, a.spent]}\n"
        "  - {eq: [a.left, a.left]}\n")
    assert main(["coverage", "--missing", str(tmp_path / "case.yaml")]) == 0
    out = capsys.readouterr().out
    assert "checked" in out and "cited only" in out


def test_coverage_lists_a_figure_cited_by_no_relation_as_unchecked(tmp_path, report, capsys):
    tmp_path.joinpath("case.yaml").write_text(
        "case: t\nsources:\n  r: {path: report.txt}\nnodes:\n"
        "  - id: a\n    measures: {income: 72.1亿元 @1, spent: 50亿元 @2, left: 22.1亿元 @3}\n"
        "  - id: b\n    measures: {spent: 50亿元 @2}\n"
        "relations:\n  - {eq: [a.spent, b.spent]}\n")
    assert main(["coverage", "--missing", str(tmp_path / "case.yaml")]) == 0
    out = capsys.readouterr().out
    unchecked = out.split("unchecked", 1)[1]
    assert "72.1亿元" in unchecked and "22.1亿元" in unchecked and "50亿元" not in unchecked


def test_run_flags_a_mistyped_citation_in_the_2020_case(tmp_path):
    report = _report_path()
    if report is None:
        pytest.skip("the shared report chaoyang-2020-budget-report.txt is not beside the repository")
    shutil.copytree(ROOT / "cases", tmp_path / "x" / "cases")
    (tmp_path / "shared" / "reports").mkdir(parents=True)
    shutil.copy(report, tmp_path / "shared" / "reports" / report.name)
    commerce = tmp_path / "x" / "cases" / "2020" / "commerce.yaml"
    text = commerce.read_text(encoding="utf-8")
    assert "2.5亿元 @109 exact" in text
    commerce.write_text(text.replace("2.5亿元 @109 exact", "2.5亿元 @110 exact"), encoding="utf-8")
    result = fiscalcheck.load(tmp_path / "x" / "cases" / "2020.yaml").check()
    (finding,) = [f for f in _provenance(result) if not f.holds]
    assert "line 110" in finding.message and "line 109" in finding.message


# -- the collector ------------------------------------------------------------------------------

@pytest.mark.parametrize("enabled", [True, False])
def test_load_and_check_restore_the_callers_collector(tmp_path, report, enabled):
    tmp_path.joinpath("case.yaml").write_text(case_text())
    tmp_path.joinpath("bad.yaml").write_text("case: [\n")
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        fiscalcheck.load(tmp_path / "case.yaml").check()
        assert gc.isenabled() is enabled
        with pytest.raises(CaseError):
            fiscalcheck.load(tmp_path / "bad.yaml")
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()



@pytest.mark.parametrize("enabled", [True, False])
def test_importing_the_package_restores_the_callers_collector(enabled):
    """The import runs with the collector paused (fiscalcheck/__init__.py); a fresh interpreter
    shows it leaves the caller's choice as it found it, and what it made in the oldest generation."""
    switch = "gc.enable()" if enabled else "gc.disable()"
    code = (f"import gc; {switch}; import fiscalcheck; "
            "young = {id(o) for o in gc.get_objects(generation=0) + gc.get_objects(generation=1)}; "
            "print(gc.isenabled(), id(fiscalcheck.Finding) in young, id(fiscalcheck.load) in young)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    state, *young = done.stdout.split()
    assert state == str(enabled)
    if enabled:  # a caller that had it off is left with its own generations untouched
        assert young == ["False", "False"]


def test_what_load_made_is_not_left_to_the_young_generations(tmp_path, report):
    """After a paused load, the case's objects are in the oldest generation: a pass of the young
    ones does not walk them (for 10^5 nodes that pass cost as much as the pause saved)."""
    tmp_path.joinpath("case.yaml").write_text(case_text())
    was = gc.isenabled()
    try:
        gc.enable()
        case = fiscalcheck.load(tmp_path / "case.yaml")
        node = next(iter(case.nodes.values()))
        young = gc.get_objects(generation=0) + gc.get_objects(generation=1)
        assert not any(o is case or o is node for o in young)
        assert any(o is node for o in gc.get_objects(generation=2))
    finally:
        gc.enable() if was else gc.disable()
