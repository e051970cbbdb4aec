"""``fiscalcheck extract REPORT.txt [-o draft.yaml]`` and ``fiscalcheck audit REPORT.txt``.

Each command is ``add_parser(subparsers)`` plus ``run(args) -> int``, so the
command line registers it with one line. ``extract`` writes the draft case
(standard output without ``-o``); ``audit`` extracts and runs in one step, and
says of each finding whether its relation was proposed from the text (and why)
or is a figure printed twice under one label.

Exit status as ``fiscalcheck run``: 0 nothing found at or above ``--fail-on``,
1 something found, 2 bad input (one line ``file:line:column: what was expected``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from ..errors import CaseError
from ..output import FORMATS, render
from . import Extraction, extract
from .draft import draft_case, draft_yaml, proposed_relations

__all__ = ["add_extract_parser", "run_extract", "add_audit_parser", "run_audit", "read_report"]


def read_report(path: str) -> Extraction | str:
    """The extraction of the report at ``path``, or the one-line problem that stops it."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as error:
        return f"{path}: cannot read the report: {error.strerror or error}"
    except UnicodeDecodeError as error:
        line = error.object[:error.start].count(b"\n") + 1
        return f"{path}:{line}:1: expected UTF-8 text ({error.reason})"
    return extract(text.splitlines(), path)


def add_extract_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "extract", help="read a report's figures and write a draft case (relations proposed, for review)",
        description="Find every figure of a report text with its line, propose the relations its text "
                    "suggests, and write a draft case file.")
    parser.add_argument("report", metavar="REPORT", help="the report as UTF-8 text, one paragraph a line")
    parser.add_argument("-o", "--output", metavar="DRAFT", help="write the draft here (default: standard output)")
    return parser


def run_extract(args: argparse.Namespace) -> int:
    extraction = read_report(args.report)
    if isinstance(extraction, str):
        print(extraction, file=sys.stderr)
        return 2
    text = draft_yaml(extraction, args.output)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
        print(f"{args.output}: {len(extraction.found)} figures, {len(extraction.proposals)} relations proposed",
              file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def add_audit_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "audit", help="extract a report's figures and check them in one step",
        description="Extract a report (as 'fiscalcheck extract') and run the draft (as 'fiscalcheck run'); "
                    "each finding says whether its relation was proposed from the text.")
    parser.add_argument("report", metavar="REPORT", help="the report as UTF-8 text, one paragraph a line")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    parser.add_argument("--fail-on", choices=("error", "warning", "info", "never"), default="error",
                        help="lowest severity that makes the exit status 1 (default: error)")
    return parser


def run_audit(args: argparse.Namespace) -> int:
    extraction = read_report(args.report)
    if isinstance(extraction, str):
        print(extraction, file=sys.stderr)
        return 2
    # the draft stands beside the report, so its source path is the report's own name
    where = os.path.join(os.path.dirname(os.path.abspath(args.report)), "<audit draft>.yaml")
    try:
        case = draft_case(extraction, where)
    except CaseError as error:  # pragma: no cover - a draft the loader refuses is a bug of extract
        for problem in error.problems:
            print(f"{problem}", file=sys.stderr)
        return 2
    report = case.check()
    proposed = proposed_relations(case)
    if args.format == "json":
        data = json.loads(render([report], "json"))
        for record, finding in zip(data["findings"], report.findings):
            relation = proposed.get(finding.origin)
            record["proposed"] = relation is not None
            record["because"] = relation.because if relation is not None else _printed_twice(finding)
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render([report], args.format))
        sys.stdout.write("\nWhere each finding comes from (nothing here was typed by hand):\n")
        for number, finding in enumerate(report.findings, 1):
            relation = proposed.get(finding.origin)
            lines = ", ".join(f"{s.printed} @{s.line}" for s in finding.statements)
            if relation is not None:
                source = f"proposed relation, {relation.because}"
            else:
                source = _printed_twice(finding)
            sys.stdout.write(f"  {number}. {finding.rule} {finding.label}: {lines} — {source}\n")
        by_origin = {f.origin: f for f in report.checks if f.origin in proposed}
        sys.stdout.write(f"\nRelations proposed from the text ({len(proposed)}):\n")
        for origin, relation in proposed.items():
            finding = by_origin.get(origin)
            verdict = "not checked" if finding is None else "holds" if finding.holds else "DOES NOT HOLD"
            figures = "" if finding is None else ", ".join(f"{s.printed} @{s.line}" for s in finding.statements)
            sys.stdout.write(f"  {verdict:<13} {relation.kind} {figures} — {relation.because}\n")
        sys.stdout.write(f"\n{len(extraction.found)} figures found, {len(extraction.scan.unread)} seen but not read; "
                         f"{report.summary()}\n")
    return 1 if not report.ok(args.fail_on) else 0


def _printed_twice(finding: object) -> str:
    del finding
    return "one label printed twice in one document: its printings must agree"
