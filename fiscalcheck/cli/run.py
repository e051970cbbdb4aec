"""``fiscalcheck run CASE...``: check case files and print the findings."""

from __future__ import annotations

import argparse
import sys

from ..api import load
from ..errors import CaseError
from ..findings import RULE_ERROR
from ..findings.messages import LANGUAGES
from ..inputs import load_pack
from ..render import FORMATS, render
from ..tables import ENGINES, Progress
from .access import add_options, options
from .problems import report_problems

__all__ = ["add_parser", "add_report_options", "run", "exit_status", "FAIL_LEVELS"]

FAIL_LEVELS = ("error", "warning", "info", "never")


def add_report_options(parser: argparse.ArgumentParser, rules_note: str) -> None:
    """The options of every command that checks and prints a report: run and audit."""
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    parser.add_argument("--fail-on", choices=FAIL_LEVELS, default="error",
                        help="lowest severity that makes the exit status 1 (default: error)")
    parser.add_argument("--all", action="store_true", dest="include_passed",
                        help="with --format json: also list the relations that hold")
    parser.add_argument("--rules", metavar="PACK",
                        help=f"rule pack: a shipped pack's name (default, strict) or a path to a YAML file; {rules_note}")
    parser.add_argument("--lang", choices=LANGUAGES, default="en",
                        help="the language findings are written in: en (default) or zh (中文)")


#: The command's name, and its line in ``fiscalcheck --help``.
NAME, HELP = "run", "check case files and print the findings"


def add_parser(commands) -> argparse.ArgumentParser:
    parser = commands.add_parser(NAME, help=HELP)
    parser.add_argument("cases", nargs="+", metavar="CASE", help="case file(s) (YAML); each is checked on its own")
    add_report_options(parser, "overrides the case's own 'rules:' (docs/rules.md)")
    parser.add_argument("--engine", choices=ENGINES, default="auto",
                        help="how a case's tables are checked: auto (DuckDB above 20 000 rows), tree, or duckdb "
                             '(needs pip install "fiscalcheck[tables]")')
    parser.add_argument("--quiet", action="store_true",
                        help="no progress line on standard error while a large table is checked")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="write the output to FILE (UTF-8) instead of standard output")
    parser.add_argument("--debug", action="store_true",
                        help="print the traceback of a rule that crashed (a rule-error finding) on standard error")
    add_options(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    reports = []
    cases = []
    problems = []
    pack = None
    if args.rules:
        try:
            pack = load_pack(args.rules, ".", **options(args))
        except CaseError as error:
            problems.extend(error.problems)
    for path in args.cases:
        try:
            case = load(path, **options(args))
            progress = Progress.on_terminal(not args.quiet and args.format != "json")
            # the relations that hold are counted, not kept, unless the output lists them
            listed = args.include_passed or args.format == "junit"
            reports.append(case.check(pack, engine=args.engine, progress=progress, passed=listed))
            cases.append(case)
        except CaseError as error:
            problems.extend(error.problems)
    if problems:
        return report_problems(problems)
    text = render(reports, args.format, args.include_passed, args.lang, cases=cases)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
    return exit_status(reports, args.fail_on, args.debug)


def exit_status(reports, fail_on: str, debug: bool = False) -> int:
    """3 when a rule crashed (its traceback on standard error with ``debug``), 1 for findings, else 0."""
    crashed = [f for r in reports for f in r.findings if f.rule == RULE_ERROR]
    if debug:
        for finding in crashed:
            sys.stderr.write(finding.details)
    if crashed:
        return 3
    return 1 if any(not r.ok(fail_on) for r in reports) else 0
