"""Coverage: how many of a report's figures the case files reference.

``python -m fiscalcheck.coverage CASE... [--lines A-B ...] [--missing] [--physical]
[--fail-under PCT]`` loads the case files, reads the report file(s) their
statements cite, finds every money, count and percentage figure printed there,
and reports per section of the report (and in total) how many of them some
statement references; ``--missing`` lists the others with their line numbers.
The statements of all the cases named are pooled (give ``cases/2020.yaml
cases/2021.yaml`` for the whole Chaoyang report).

What counts as a figure
-----------------------
A number in Arabic digits followed by a unit, on any line:

* money: 元, 千元, 万元, 亿元, 美元, 万美元, 亿美元;
* ratios: %, 个百分点;
* counts: 个, 家, 家次, 项, 部, 栋, 座, 条, 人, 次, 所, 班/个班, 名, 户, 处, 件, 万家,
  万人 … (every unit of the ``count`` dimension of :data:`fiscalcheck.figure.UNITS`);

with the qualifiers printed around it (约, 约为, 近, 超过, 逾, 不超过, 最高 … before;
余, 多, 以上, 左右, 以内 … after: those of :mod:`fiscalcheck.figure`), and a
range ``50-150家`` as one figure. On table-cell lines (a line that is a
tab-indented cell, as in the investment tables) a bare number is a figure too
(``\\t96490``), except the first cell of a row (the 序号 column: a bare cell
whose previous line is not a cell).

What does not count, and why
----------------------------
The issue counts "money, count and percentage figures". These are not:

* dates and periods: 2020年, 4月23日, 1-10月份, 2016-2035 (年/月/日 are not units);
* ordinals: 第12次, 第2批 (a unit preceded by 第), and 序号 table cells;
* durations: 12个月, 3个工作日 (个 followed by 月/工作日/小时/季度/星期/周);
* document numbers and names: 〔2020〕5号, 23号地, 5G, 4K, pm2.5, SO2
  (号 is not a unit; a number touching a Latin letter is a name);
* list markers: 1. 2、（3）;
* physical quantities: lengths, areas, volumes (米, 公里, 公顷, 平方米, 万方 …) — they are
  not money, counts or percentages (``--physical``, or ``dimensions=`` in the API, adds them);
* figures without a unit of the format: ``超过100万的项目``, ``500万以上`` (a bare 万),
  ``600路``; and figures in Chinese numerals (两家, 七成, 近五分之一).

When a figure is referenced
---------------------------
A report figure on line L is referenced when a statement of the loaded case(s)
cites line L of that report and its printed text occurs on the line at that
figure (the first digit of the printed text falls on the first digit of the
figure, or of either bound of a range). The printed text is matched verbatim
(the provenance test checks that it occurs at all); an occurrence inside a
longer number (``5亿元`` in ``2.5亿元``) does not count. When one text occurs
several times on a line, k statements of it reference at most k of the
occurrences, in order: one statement never covers two printings.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

import attrs

from .casefile import load
from .errors import CaseError
from .figure import PREFIX_PATTERN, SUFFIX_PATTERN, UNIT_PATTERN, UNITS
from .model import Case

__all__ = [
    "ReportFigure",
    "Section",
    "SECTIONS",
    "DIMENSIONS",
    "PHYSICAL",
    "line_figures",
    "occurrences",
    "report_figures",
    "sections_for",
    "Coverage",
    "coverage",
    "render",
    "run",
    "main",
]

#: The dimensions the issue counts: money, counts and percentages.
DIMENSIONS: tuple[str, ...] = ("CNY", "USD", "ratio", "count")
#: Physical quantities, counted only on request (``--physical``).
PHYSICAL: tuple[str, ...] = ("length", "area", "volume")

_NUMBER = r"[0-9０-９][0-9０-９]*(?:[.．][0-9０-９]+)?"
_DIGIT = re.compile(r"[0-9０-９]")
_FIGURE = re.compile(
    rf"(?P<prefix>{PREFIX_PATTERN})?"
    rf"(?:(?<![0-9０-９.．A-Za-z])(?P<low>{_NUMBER})\s*[-－~～—–至到]\s*)?"
    rf"(?<![0-9０-９.．A-Za-z])(?P<number>{_NUMBER})"
    rf"\s*(?P<mid>{SUFFIX_PATTERN})?"
    rf"\s*(?P<unit>{UNIT_PATTERN})"
    rf"(?P<suffix>{SUFFIX_PATTERN})?"
)
_CELL = re.compile(rf"^\t\s*(?P<number>{_NUMBER})\s*$")
_DURATION_AFTER_GE = re.compile(r"月|工作日|小时|季度|星期|周|自然日")


@attrs.frozen
class ReportFigure:
    """One figure printed in the report: its line, its place on the line, its text.

    ``anchors`` are the columns (0-based) of the first digit of its number(s):
    a statement references the figure when its printed number starts at one.
    ``cell`` is true for a bare number in a table cell.
    """

    line: int
    start: int
    end: int
    text: str
    anchors: tuple[int, ...]
    unit: str | None
    cell: bool = False


@attrs.frozen
class Section:
    """A stretch of the report, lines ``first``..``last`` inclusive."""

    key: str
    first: int
    last: int
    title: str
    group: str

    def __contains__(self, line: int) -> bool:
        return self.first <= line <= self.last


#: The sections of the Chaoyang report (shared/reports/chaoyang-2020-budget-report.txt).
#: Groups: ``housing`` (the old-housing programme, 2020 and 2021 mixed), ``2020``
#: (execution in 2020: the industry funds and the 2020 investment table and texts),
#: ``2021`` (plans for 2021).
CHAOYANG_2020 = (
    Section("housing", 1, 51, "老旧小区综合整治及增设电梯", "housing"),
    Section("summary-2020", 52, 87, "重点产业政策资金 2020 汇报", "2020"),
    Section("commerce-2020", 88, 123, "附件1 商务经济", "2020"),
    Section("finance-2020", 124, 196, "附件2 金融产业", "2020"),
    Section("hitech-2020", 197, 290, "附件3 高新技术产业", "2020"),
    Section("infoserv-2020", 291, 337, "附件4 信息服务业", "2020"),
    Section("culture-zone-2020", 338, 399, "附件5 国家文创实验区", "2020"),
    Section("culture-2020", 400, 424, "附件6 文化产业", "2020"),
    Section("sme-2020", 425, 500, "附件7 中小企业", "2020"),
    Section("listing-2020", 501, 557, "附件8 上市和并购重组", "2020"),
    Section("plans-2021", 558, 917, "重点产业政策资金 2021 预算编制", "2021"),
    Section("investment-table-2020", 918, 981, "2020年重大投资项目 表", "2020"),
    Section("investment-text-2020", 982, 1148, "2020年重大投资项目 说明", "2020"),
    Section("investment-table-2021", 1149, 1187, "2021年重大投资项目 表", "2021"),
    Section("investment-text-2021", 1188, 1493, "2021年重大投资项目 说明", "2021"),
)

#: Section tables by report file name; any other report is one section.
SECTIONS: dict[str, tuple[Section, ...]] = {"chaoyang-2020-budget-report.txt": CHAOYANG_2020}


def sections_for(path: str, line_count: int) -> tuple[Section, ...]:
    """The sections of the report at ``path``; lines outside every section form ``other``."""
    known = SECTIONS.get(os.path.basename(path))
    if known is None:
        return (Section("report", 1, max(line_count, 1), os.path.basename(path), "report"),)
    covered = {n for s in known for n in range(s.first, s.last + 1)}
    rest = [n for n in range(1, line_count + 1) if n not in covered]
    if rest:
        return (*known, Section("other", min(rest), max(rest), "lines outside the known sections", "other"))
    return known


def _dimension_units(dimensions: Iterable[str]) -> frozenset[str]:
    chosen = set(dimensions)
    return frozenset(symbol for symbol, unit in UNITS.items() if unit.dimension in chosen)


def line_figures(text: str, line: int = 0, previous: str | None = None,
                 dimensions: Iterable[str] = DIMENSIONS) -> list[ReportFigure]:
    """The figures printed on one line of a report (see the module docstring).

    ``previous`` is the line before (for a table cell: a bare first cell of a row,
    after a line that is not a cell, is the 序号 column and not a figure).
    """
    units = _dimension_units(dimensions)
    cell = _CELL.match(text)
    if cell:
        if previous is None or not previous.startswith("\t") or not previous.strip():
            return []  # the first cell of a row: 序号
        return [ReportFigure(line, cell.start("number"), cell.end("number"), cell["number"],
                             (cell.start("number"),), None, cell=True)]
    found = []
    for match in _FIGURE.finditer(text):
        unit = match["unit"]
        if unit not in units:
            continue
        start = match.start()
        if text[max(0, start - 1):start] == "第":
            continue  # an ordinal: 第12次
        if unit == "个" and _DURATION_AFTER_GE.match(text, match.end("unit")):
            continue  # a duration: 12个月
        anchors = tuple(match.start(g) for g in ("low", "number") if match[g] is not None)
        found.append(ReportFigure(line, start, match.end(), match[0], anchors, unit))
    return found


def report_figures(lines: Sequence[str], dimensions: Iterable[str] = DIMENSIONS) -> list[ReportFigure]:
    """Every figure of a report given as its lines (index 0 is line 1)."""
    dimensions = tuple(dimensions)
    found = []
    for index, text in enumerate(lines):
        previous = lines[index - 1] if index else None
        found.extend(line_figures(text, index + 1, previous, dimensions))
    return found


def occurrences(text: str, printed: str) -> list[int]:
    """Starts of ``printed`` in ``text``, not inside a longer number (``5亿元`` in ``2.5亿元``)."""
    if not printed:
        return []
    starts = []
    at = text.find(printed)
    while at >= 0:
        before = text[at - 1:at]
        after = text[at + len(printed):at + len(printed) + 1]
        inside = bool(before) and (before.isdigit() or before in ".．") and bool(_DIGIT.match(printed))
        longer = printed[-1].isdigit() and (
            after.isdigit() or (after in (".", "．") and text[at + len(printed) + 1:at + len(printed) + 2].isdigit()))
        if not inside and not longer:
            starts.append(at)
        at = text.find(printed, at + 1)
    return starts


@attrs.frozen
class Coverage:
    """The figures of one report file, and which of them the cases reference."""

    path: str
    figures: tuple[ReportFigure, ...]
    referenced: frozenset[tuple[int, int]]  # (line, start) of referenced figures
    unplaced: tuple[tuple[str, int, str], ...]  # statements whose text is not on their line
    sections: tuple[Section, ...]

    def is_referenced(self, figure: ReportFigure) -> bool:
        return (figure.line, figure.start) in self.referenced

    def select(self, ranges: Sequence[tuple[int, int]] | None = None) -> list[ReportFigure]:
        if not ranges:
            return list(self.figures)
        return [f for f in self.figures if any(a <= f.line <= b for a, b in ranges)]

    def count(self, figures: Iterable[ReportFigure]) -> tuple[int, int]:
        """(referenced, all) of ``figures``."""
        figures = list(figures)
        return sum(self.is_referenced(f) for f in figures), len(figures)

    def missing(self, ranges: Sequence[tuple[int, int]] | None = None) -> list[ReportFigure]:
        return [f for f in self.select(ranges) if not self.is_referenced(f)]


def coverage(cases: Case | Iterable[Case], dimensions: Iterable[str] = DIMENSIONS) -> list[Coverage]:
    """The coverage of every report file the statements of ``cases`` cite."""
    if isinstance(cases, Case):
        cases = [cases]
    dimensions = tuple(dimensions)
    # statements by report file and line, one entry per statement written in a
    # case file: a file included by two of the cases gives its statements once.
    by_file: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    seen: set[tuple] = set()
    for case in cases:
        for node, measure, statement in case.statements():
            source = case.sources.get(statement.source)
            if source is None:
                continue
            path = os.path.realpath(source.path)
            origin = statement.origin
            where = (origin.file and os.path.realpath(origin.file), origin.line, origin.column) if origin else id(statement)
            key = (path, statement.line, statement.printed, node.id, measure, where)
            if key in seen:
                continue
            seen.add(key)
            by_file[path][statement.line].append(statement.printed)
    results = []
    for path in sorted(by_file):
        try:
            with open(path, encoding="utf-8") as handle:
                lines = handle.read().splitlines()
        except OSError:
            continue
        figures = report_figures(lines, dimensions)
        anchors: dict[tuple[int, int], ReportFigure] = {}
        for figure in figures:
            for column in figure.anchors:
                anchors[(figure.line, column)] = figure
        referenced: set[tuple[int, int]] = set()
        unplaced = []
        for line, printed_texts in sorted(by_file[path].items()):
            text = lines[line - 1] if 0 < line <= len(lines) else ""
            counts: dict[str, int] = defaultdict(int)
            for printed in printed_texts:
                counts[printed] += 1
            for printed, k in counts.items():
                starts = occurrences(text, printed)
                if not starts:
                    unplaced.append((printed, line, path))
                    continue
                digit = _DIGIT.search(printed)
                offset = digit.start() if digit else 0
                used = 0
                for start in starts:
                    figure = anchors.get((line, start + offset))
                    if figure is None or (figure.line, figure.start) in referenced:
                        continue
                    referenced.add((figure.line, figure.start))
                    used += 1
                    if used == k:
                        break
        results.append(Coverage(path, tuple(figures), frozenset(referenced), tuple(unplaced),
                                sections_for(path, len(lines))))
    return results


# -- the command line ------------------------------------------------------------

def _percent(hit: int, total: int) -> str:
    if not total:
        return "    -"
    share = (Decimal(100 * hit) / Decimal(total)).quantize(Decimal("0.1"))  # no float, even for a share
    return f"{share:>5}%"


def render(result: Coverage, ranges: Sequence[tuple[int, int]] = (), missing: bool = False,
           lines: Sequence[str] | None = None) -> str:
    """The per-section table of one report (and the missing figures when asked)."""
    chosen = result.select(ranges)
    out = [f"report: {result.path}"]
    rows = []
    groups: dict[str, list[ReportFigure]] = defaultdict(list)
    for section in result.sections:
        figures = [f for f in chosen if f.line in section]
        if not figures and ranges:
            continue
        hit, total = result.count(figures)
        rows.append((section.key, f"{section.first}-{section.last}", hit, total, _percent(hit, total), section.title))
        groups[section.group].extend(figures)
    width = max([len(r[0]) for r in rows] + [len("section")])
    out.append(f"{'section':<{width}}  {'lines':>9}  {'referenced':>10}  {'figures':>7}  {'share':>6}")
    for key, span, hit, total, share, title in rows:
        out.append(f"{key:<{width}}  {span:>9}  {hit:>10}  {total:>7}  {share}  {title}")
    if len(groups) > 1:
        out.append("")
        for group, figures in groups.items():
            hit, total = result.count(figures)
            out.append(f"{'group ' + group:<{width}}  {'':>9}  {hit:>10}  {total:>7}  {_percent(hit, total)}")
    hit, total = result.count(chosen)
    out.append(f"{'total':<{width}}  {'':>9}  {hit:>10}  {total:>7}  {_percent(hit, total)}")
    if result.unplaced:
        out.append("")
        out.append(f"{len(result.unplaced)} statement text(s) not found on their cited line (see tests/test_provenance.py):")
        out.extend(f"  line {line}: {printed!r}" for printed, line, _ in result.unplaced)
    if missing:
        absent = result.missing(ranges)
        out.append("")
        out.append(f"figures not referenced ({len(absent)}):")
        for figure in absent:
            context = ""
            if lines is not None:
                text = lines[figure.line - 1]
                context = text[max(0, figure.start - 14):figure.end + 8].strip()
            out.append(f"  {figure.line:>5}  {figure.text:<14}  {context}")
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m fiscalcheck.coverage CASE...``: the same as ``fiscalcheck coverage CASE...``.

    Exit status 0, 1 when ``--fail-under`` is not met, 2 for bad input.
    """
    from .cli import main as cli_main  # the options are declared once, with the other commands'

    return cli_main(["coverage", *(sys.argv[1:] if argv is None else argv)])


def run(args: argparse.Namespace) -> int:
    """Run the command on options parsed by :mod:`fiscalcheck.cli`; the exit status."""
    cases = []
    problems = []
    for path in args.cases:
        try:
            cases.append(load(path))
        except CaseError as error:
            problems.extend(error.problems)
    if problems:
        for problem in problems:
            print(f"{problem}", file=sys.stderr)
        return 2
    dimensions = (*DIMENSIONS, *PHYSICAL) if args.physical else DIMENSIONS
    results = coverage(cases, dimensions)
    if not results:
        print("no report file cited by these cases could be read", file=sys.stderr)
        return 2
    status = 0
    for result in results:
        with open(result.path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
        sys.stdout.write(render(result, args.lines, args.missing, lines))
        hit, total = result.count(result.select(args.lines))
        if args.fail_under is not None and total and 100 * hit < args.fail_under * total:
            status = 1
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
