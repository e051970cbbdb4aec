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

import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

import attrs

from ..errors import Location, Problem
from ..figures.intext import DIGIT, DIMENSIONS, PHYSICAL, ReportFigure, occurrences, report_figures
from ..model import Case, Statement
from ..record import Record
from .located import Reader, compose

__all__ = ["Coverage", "Section", "coverage", "sections_for", "read_sections", "DIMENSIONS", "PHYSICAL"]


@attrs.frozen(repr=False, eq=False)
class Section(Record):
    """A stretch of the report, lines ``first``..``last`` inclusive."""

    key: str
    first: int
    last: int
    title: str
    group: str

    def __contains__(self, line: int) -> bool:
        return self.first <= line <= self.last


def sections_for(path: str, line_count: int, known: Sequence[Section] | None = None) -> tuple[Section, ...]:
    """The sections of the report at ``path`` (``known``, from a sections file); lines outside every
    section form ``other``. With no sections given, the report is one section."""
    if not known:
        return (Section("report", 1, max(line_count, 1), os.path.basename(path), "report"),)
    covered = {n for s in known for n in range(s.first, s.last + 1)}
    rest = [n for n in range(1, line_count + 1) if n not in covered]
    if rest:
        return (*known, Section("other", min(rest), max(rest), "lines outside the known sections", "other"))
    return known


@attrs.frozen(repr=False, eq=False)
class Coverage(Record):
    """The figures of one report file, and which of them the cases reference."""

    path: str
    figures: tuple[ReportFigure, ...]
    referenced: frozenset[tuple[int, int]]  # (line, start) of referenced figures
    unplaced: tuple[tuple[str, int, str], ...]  # statements whose text is not on their line
    sections: tuple[Section, ...]
    #: (line, start) of the referenced figures some checked statement references (see :func:`coverage`)
    checked: frozenset[tuple[int, int]] = frozenset()
    #: The report's lines, as the case's load read them (in the source's declared encoding).
    lines: tuple[str, ...] = attrs.field(default=(), eq=False, repr=False)

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

    def is_checked(self, figure: ReportFigure) -> bool:
        """Whether a statement citing ``figure`` is checked by some relation (not only cited)."""
        return (figure.line, figure.start) in self.checked

    def cited_only(self, ranges: Sequence[tuple[int, int]] | None = None) -> list[ReportFigure]:
        """The referenced figures no relation checks: cited, but audited by nothing."""
        return [f for f in self.select(ranges) if self.is_referenced(f) and not self.is_checked(f)]


def coverage(cases: Case | Iterable[Case], dimensions: Iterable[str] = DIMENSIONS,
             sections: dict[str, tuple[Section, ...]] | None = None,
             checked: Callable[[Statement], bool] | None = None) -> list[Coverage]:
    """The coverage of every report file the statements of ``cases`` cite.

    ``sections`` maps a report's file name to its sections (:func:`read_sections`).
    ``checked`` says whether a statement is checked by some relation (the command
    line runs the rules and asks their findings); a figure is *checked* when one
    of the statements referencing it is. The reports' lines are those the load
    read (:attr:`~fiscalcheck.model.Source.lines`); a source without text is skipped.
    """
    if isinstance(cases, Case):
        cases = [cases]
    dimensions = tuple(dimensions)
    # statements by report file and line, one entry per statement written in a
    # case file: a file included by two of the cases gives its statements once.
    by_file: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    checked_texts: dict[str, set[tuple[int, str]]] = defaultdict(set)
    texts: dict[str, tuple[str, ...]] = {}
    seen: set[tuple] = set()
    for case in cases:
        for node, measure, statement in case.statements():
            source = case.sources.get(statement.source)
            if source is None or source.lines is None:
                continue
            path = os.path.realpath(source.path)
            texts.setdefault(path, source.lines)
            if checked is not None and checked(statement):
                checked_texts[path].add((statement.line, statement.printed))
            origin = statement.origin
            where = (origin.file and os.path.realpath(origin.file), origin.line, origin.column) if origin else id(statement)
            key = (path, statement.line, statement.printed, node.id, measure, where)
            if key in seen:
                continue
            seen.add(key)
            by_file[path][statement.line].append(statement.printed)
    results = []
    for path in sorted(by_file):
        lines = texts[path]
        figures = report_figures(lines, dimensions)
        anchors: dict[tuple[int, int], ReportFigure] = {}
        for figure in figures:
            for column in figure.anchors:
                anchors[(figure.line, column)] = figure
        referenced: set[tuple[int, int]] = set()
        checked_figures: set[tuple[int, int]] = set()
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
                digit = DIGIT.search(printed)
                offset = digit.start() if digit else 0
                used = 0
                for start in starts:
                    figure = anchors.get((line, start + offset))
                    if figure is None or (figure.line, figure.start) in referenced:
                        continue
                    referenced.add((figure.line, figure.start))
                    if (line, printed) in checked_texts[path]:
                        checked_figures.add((figure.line, figure.start))
                    used += 1
                    if used == k:
                        break
        results.append(Coverage(path, tuple(figures), frozenset(referenced), tuple(unplaced),
                                sections_for(path, len(lines), (sections or {}).get(os.path.basename(path))),
                                frozenset(checked_figures), lines))
    return results




SECTION_KEYS = ("key", "lines", "title", "group")


def read_sections(path: str, problems: list[Problem]) -> dict[str, tuple[Section, ...]]:
    """A sections file: ``report: <file name>`` and ``sections:``, a list of ``{key, lines: A-B, title, group}``.

    A report's sections are the reader's knowledge of that report, not the
    library's: they live in a file beside the cases (``cases/sections/chaoyang-2020.yaml``).
    """
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(Location(path, 0, 0), f"cannot read the sections file: {error}"))
        return {}
    ok, root = compose(text, path, problems)
    reader = Reader(path, problems)
    fields = reader.mapping(root, "a sections file", ("report", "sections")) if ok and root is not None else None
    if fields is None or "report" not in fields or "sections" not in fields:
        if ok:
            problems.append(Problem(Location(path, 1, 1), "a sections file needs 'report: <file name>' and 'sections:'"))
        return {}
    report = reader.text(fields["report"][1], "the report's file name") or ""
    found = []
    for item in reader.sequence(fields["sections"][1], "sections"):
        entry = reader.mapping(item, "a section", SECTION_KEYS)
        if entry is None or any(k not in entry for k in SECTION_KEYS):
            reader.fail(item, f"a section needs {', '.join(SECTION_KEYS)}")
            continue
        span = reader.text(entry["lines"][1], "lines A-B") or ""
        first, dash, last = span.partition("-")
        if not (first.strip().isdigit() and last.strip().isdigit() and dash):
            reader.fail(entry["lines"][1], f"expected lines as A-B, got {span!r}")
            continue
        found.append(Section(reader.text(entry["key"][1], "a key") or "", int(first), int(last),
                             reader.text(entry["title"][1], "a title") or "",
                             reader.text(entry["group"][1], "a group") or ""))
    return {report: tuple(found)}
