"""``fiscalcheck run CASE...``: check case files and print the findings."""

from __future__ import annotations

import argparse
import sys

from ..api import load
from ..errors import CaseError
from ..findings import RULE_ERROR
from ..inputs import load_pack
from ..render import FORMATS, render
from .access import add_options, options
from .problems import report_problems

__all__ = ["add_parser", "run", "FAIL_LEVELS"]

FAIL_LEVELS = ("error", "warning", "info", "never")


def add_parser(commands) -> argparse.ArgumentParser:
    parser = commands.add_parser("run", help="check case files and print the findings")
    parser.add_argument("cases", nargs="+", metavar="CASE", help="case file(s) (YAML); each is checked on its own")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    parser.add_argument("--fail-on", choices=FAIL_LEVELS, default="error",
                        help="lowest severity that makes the exit status 1 (default: error)")
    parser.add_argument("--all", action="store_true", dest="include_passed",
                        help="with --format json: also list the relations that hold")
    parser.add_argument("--rules", metavar="PACK",
                        help="rule pack: a shipped pack's name (default, strict) or a path to a YAML file; "
                             "overrides the case's own 'rules:' (docs/rules.md)")
    parser.add_argument("--debug", action="store_true",
                        help="print the traceback of a rule that crashed (a rule-error finding) on standard error")
    add_options(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    reports = []
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
            reports.append(case.check(pack))
        except CaseError as error:
            problems.extend(error.problems)
    if problems:
        return report_problems(problems)
    sys.stdout.write(render(reports, args.format, args.include_passed))
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
