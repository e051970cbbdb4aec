"""``fiscalcheck coverage CASE...``: how many of a report's figures the cases cite, per section.

What counts as a figure, and when one is referenced: :mod:`fiscalcheck.inputs.coverage`.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from ..api import load
from ..errors import CaseError
from ..figures import FigureError, to_decimal
from ..numbers.contexts import NOMINAL
from .access import add_options, options
from .problems import report_problems

if TYPE_CHECKING:  # the figure scanner is imported by run() alone: its patterns cost other commands' startup
    from ..figures.intext import ReportFigure

__all__ = ["add_parser", "run", "render", "NOT_RELATIONS"]

#: Findings that judge no relation: a figure they name is not thereby checked.
NOT_RELATIONS = frozenset({"provenance", "rule-error", "stale-waiver"})


#: The command's name, and its line in ``fiscalcheck --help``.
NAME, HELP = "coverage", "count the report's money, count and percentage figures the cases cite"


def add_parser(commands) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        NAME, help=HELP,
        description="Count the money, count and percentage figures of the report(s) the cases cite, "
                    "and how many of them the cases reference.")
    parser.add_argument("cases", nargs="+", metavar="CASE", help="case file(s) (YAML); their statements are pooled")
    parser.add_argument("--lines", action="append", type=_line_range, default=[], metavar="A-B",
                        help="only figures on these lines (repeatable)")
    parser.add_argument("--missing", action="store_true", help="list the figures no statement references")
    parser.add_argument("--physical", action="store_true",
                        help="also count lengths, areas and volumes (米, 公顷, 平方米, 万方 ...)")
    parser.add_argument("--sections", action="append", default=[], metavar="FILE",
                        help="a sections file naming the report's sections (cases/sections/chaoyang-2020.yaml); repeatable")
    parser.add_argument("--fail-under", type=_threshold, default=None, metavar="PCT",
                        help="exit 1 when the share referenced (of the selected lines) is below PCT")
    add_options(parser)
    return parser


def _line_range(text: str) -> tuple[int, int]:
    """``--lines 52-87`` (or one line, ``--lines 371``)."""
    match = re.fullmatch(r"\s*([0-9]+)\s*(?:-\s*([0-9]+))?\s*", text)
    if match is None:
        raise argparse.ArgumentTypeError(f"expected a line range A-B (or one line), got {text!r}")
    first, last = int(match[1]), int(match[2] or match[1])
    if last < first:
        raise argparse.ArgumentTypeError(f"empty line range {text!r}")
    return first, last


def _threshold(text: str) -> Decimal:
    """``--fail-under 90`` as an exact Decimal: a threshold compares exactly, like every figure."""
    try:
        return to_decimal(text)
    except FigureError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _percent(hit: int, total: int) -> str:
    if not total:
        return "    -"
    share = NOMINAL.quantize(NOMINAL.divide(Decimal(100 * hit), Decimal(total)), Decimal("0.1"))  # no float, even for a share
    return f"{share:>5}%"


def render(result, ranges: Sequence[tuple[int, int]] = (), missing: bool = False,
           lines: Sequence[str] | None = None) -> str:
    """The per-section table of one report (and the missing figures when asked)."""
    chosen = result.select(ranges)
    out = [f"report: {result.path}"]
    rows = []
    groups: dict[str, list] = defaultdict(list)
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
    cited_only = result.cited_only(ranges)
    out.append(f"{'checked':<{width}}  {'':>9}  {hit - len(cited_only):>10}  of the referenced: checked by a relation; "
               f"cited only: {len(cited_only)}")
    out.append(f"{'total':<{width}}  {'':>9}  {hit:>10}  {total:>7}  {_percent(hit, total)}")
    if result.unplaced:
        out.append("")
        out.append(f"{len(result.unplaced)} statement text(s) not found on their cited line (see tests/test_provenance.py):")
        out.extend(f"  line {line}: {printed!r}" for printed, line, _ in result.unplaced)

    def listed(figures: Sequence[ReportFigure]) -> None:
        for figure in figures:
            context = ""
            if lines:
                text = lines[figure.line - 1]
                context = text[max(0, figure.start - 14):figure.end + 8].strip()
            out.append(f"  {figure.line:>5}  {figure.text:<14}  {context}")

    if missing:
        absent = result.missing(ranges)
        out.append("")
        out.append(f"figures not referenced ({len(absent)}):")
        listed(absent)
        out.append("")
        out.append(f"figures cited only, unchecked by any relation ({len(cited_only)}):")
        listed(cited_only)
    return "\n".join(out) + "\n"


def run(args: argparse.Namespace) -> int:
    """Run the command on options parsed by :mod:`fiscalcheck.cli.main`; the exit status."""
    # the CLI's lazy path: the figure scanner's patterns cost `fiscalcheck run` time it never uses
    from ..inputs.coverage import DIMENSIONS, PHYSICAL, coverage, read_sections
    cases = []
    problems = []
    checked: set[int] = set()  # ids of the statements some relation checks (not only cites)
    for path in args.cases:
        try:
            case = load(path, **options(args))
        except CaseError as error:
            problems.extend(error.problems)
            continue
        cases.append(case)
        report = case.check(passed=True)  # the statements every relation rests on, holding ones too
        judged = (*report.checks, *(w.finding for w in report.waived))
        checked.update(id(s) for f in judged if f.rule not in NOT_RELATIONS for s in f.statements)
    sections: dict = {}
    for path in args.sections:
        sections.update(read_sections(path, problems))
    if problems:
        return report_problems(problems)
    dimensions = (*DIMENSIONS, *PHYSICAL) if args.physical else DIMENSIONS
    results = coverage(cases, dimensions, sections, lambda statement: id(statement) in checked)
    if not results:
        for path in args.cases:  # one line per case, in the format of every bad input
            print(f"{path}:1:1: no statement of this case cites a report with text to count "
                  f"(sources with 'text: none' are not counted)", file=sys.stderr)
        return 2
    status = 0
    for result in results:
        sys.stdout.write(render(result, args.lines, args.missing, result.lines))
        hit, total = result.count(result.select(args.lines))
        if args.fail_under is not None and total and 100 * hit < args.fail_under * total:
            status = 1
    return status


