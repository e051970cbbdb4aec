"""The command line: ``fiscalcheck run CASE...``, ``fiscalcheck rules [PACK]``, ``fiscalcheck coverage CASE...``.

Exit status: 0 when nothing at or above ``--fail-on`` is found, 1 when something
is, 2 for bad input or usage. Bad input prints one line per problem,
``file:line:column: message``, on standard error, and never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import re
import sys
from collections.abc import Sequence
from decimal import Decimal

from .casefile import load
from .errors import CaseError
from .figure import FigureError, to_decimal
from .output import FORMATS, render

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fiscalcheck",
        description="Audit the arithmetic of a published budget report, from a case file.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser("run", help="check case files and print the findings")
    run.add_argument("cases", nargs="+", metavar="CASE", help="case file(s) (YAML); each is checked on its own")
    run.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    run.add_argument("--fail-on", choices=("error", "warning", "info", "never"), default="error",
                     help="lowest severity that makes the exit status 1 (default: error)")
    run.add_argument("--all", action="store_true", dest="include_passed",
                     help="with --format json: also list the relations that hold")
    run.add_argument("--rules", metavar="PACK",
                     help="rule pack: a shipped pack's name (default, strict) or a path to a YAML file; "
                          "overrides the case's own 'rules:' (docs/rules.md)")
    rules = commands.add_parser("rules", help="list the rules of a rule pack: id, severity, description")
    rules.add_argument("pack", nargs="?", default="default", metavar="PACK",
                       help="a shipped pack's name or a path to a YAML file (default: default)")
    coverage = commands.add_parser(
        "coverage", help="count the report's money, count and percentage figures the cases cite",
        description="Count the money, count and percentage figures of the report(s) the cases cite, "
                    "and how many of them the cases reference.")
    coverage.add_argument("cases", nargs="+", metavar="CASE", help="case file(s) (YAML); their statements are pooled")
    coverage.add_argument("--lines", action="append", type=_line_range, default=[], metavar="A-B",
                          help="only figures on these lines (repeatable)")
    coverage.add_argument("--missing", action="store_true", help="list the figures no statement references")
    coverage.add_argument("--physical", action="store_true",
                          help="also count lengths, areas and volumes (米, 公顷, 平方米, 万方 ...)")
    coverage.add_argument("--fail-under", type=_threshold, default=None, metavar="PCT",
                          help="exit 1 when the share referenced (of the selected lines) is below PCT")
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


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "run":
        return _run(args)
    if args.command == "rules":
        return _rules(args)
    if args.command == "coverage":
        from .coverage import run

        return run(args)
    return 2  # pragma: no cover - argparse refuses unknown commands


def _rules(args: argparse.Namespace) -> int:
    from .rulepack import load_pack, render_rules

    try:
        pack = load_pack(args.pack, ".")
    except CaseError as error:
        for problem in error.problems:
            print(f"{problem}", file=sys.stderr)
        return 2
    sys.stdout.write(render_rules(pack))
    return 0


def _run(args: argparse.Namespace) -> int:
    reports = []
    problems = []
    pack = None
    if getattr(args, "rules", None):
        from .rulepack import load_pack

        try:
            pack = load_pack(args.rules, ".")
        except CaseError as error:
            problems.extend(error.problems)
    for path in args.cases:
        try:
            case = load(path)
            reports.append(case.check(pack))
        except CaseError as error:
            problems.extend(error.problems)
            continue
    if problems:
        for problem in problems:
            print(f"{problem}", file=sys.stderr)
        return 2
    sys.stdout.write(render(reports, args.format, args.include_passed))
    return 1 if any(not r.ok(args.fail_on) for r in reports) else 0


def entry() -> None:
    """Console-script entry point.

    The cyclic garbage collector is switched off for the run: reading a case
    allocates thousands of small objects that reference counting frees, and the
    collector's passes over them found nothing but cost the run ~2 ms of its
    budget (bench/startup.py). The process ends when the run does.
    """
    gc.disable()
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)
    except BrokenPipeError:  # pragma: no cover - e.g. `fiscalcheck run ... | head`
        sys.exit(0)
