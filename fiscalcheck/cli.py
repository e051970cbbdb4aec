"""The command line: ``fiscalcheck run CASE...``, ``fiscalcheck rules [PACK]``, ``fiscalcheck coverage CASE...``.

Exit status: 0 when nothing at or above ``--fail-on`` is found, 1 when something
is, 2 for bad input or usage. Bad input prints one line per problem,
``file:line:column: message``, on standard error, and never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .casefile import load
from .errors import CaseError
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
        "coverage", help="count the report's money, count and percentage figures the cases cite")
    from .coverage import add_arguments

    add_arguments(coverage)
    return parser


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
    """Console-script entry point."""
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)
    except BrokenPipeError:  # pragma: no cover - e.g. `fiscalcheck run ... | head`
        sys.exit(0)
