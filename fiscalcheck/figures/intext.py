"""Figures as they stand in a report's text: where each printed figure is on its line.

The coverage count (:mod:`fiscalcheck.inputs.coverage`) and the provenance
check both ask one question of a line of text: where do printed figures stand
on it, and does a statement's printed text stand there? This module answers it
with the units and qualifiers of the one figure grammar (:mod:`.grammar`).
What counts as a figure, and what does not, is set out in
:mod:`fiscalcheck.inputs.coverage`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import attrs

from ..record import Record
from .grammar import PREFIX_PATTERN, SUFFIX_PATTERN
from .units import UNIT_PATTERN, UNITS

__all__ = ["ReportFigure", "DIGIT", "DIMENSIONS", "PHYSICAL", "line_figures", "report_figures", "occurrences"]

#: The dimensions the issue counts: money, counts and percentages.
DIMENSIONS: tuple[str, ...] = ("CNY", "USD", "ratio", "count")
#: Physical quantities, counted only on request (``--physical``).
PHYSICAL: tuple[str, ...] = ("length", "area", "volume")

_NUMBER = r"[0-9０-９][0-9０-９]*(?:[.．][0-9０-９]+)?"
DIGIT = re.compile(r"[0-9０-９]")
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


@attrs.frozen(repr=False, eq=False)
class ReportFigure(Record):
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
        inside = bool(before) and (before.isdigit() or before in ".．") and bool(DIGIT.match(printed))
        longer = printed[-1].isdigit() and (
            after.isdigit() or (after in (".", "．") and text[at + len(printed) + 1:at + len(printed) + 2].isdigit()))
        if not inside and not longer:
            starts.append(at)
        at = text.find(printed, at + 1)
    return starts


