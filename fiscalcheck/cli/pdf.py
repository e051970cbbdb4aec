"""``fiscalcheck extract REPORT.pdf`` and ``fiscalcheck audit REPORT.pdf``: a department's accounts from PDF.

``extract`` prints the draft case (YAML, every statement with its page, table,
row and column or its narrative line), or with ``--text`` the pages as read;
``audit`` extracts and checks with the ``department`` pack, printing the
findings in the usual formats, then the narrative lines they cite with their
page. Reading PDFs needs the optional extra ``fiscalcheck[pdf]`` (pdfplumber);
without it both commands say so in one line and exit 2.

:data:`EXTRACT` and :data:`AUDIT` are command objects for :data:`fiscalcheck.cli.main.COMMANDS`;
:func:`run_extract` and :func:`run_audit` are what a text-report ``extract``/``audit``
command calls for a path ending in ``.pdf``.
"""

from __future__ import annotations

import argparse
import os
import sys

import attrs

from ..api import Case
from ..errors import CaseError
from ..findings.messages import LANGUAGES
from ..render import FORMATS, render
from .problems import report_problems
from .run import FAIL_LEVELS, exit_status

__all__ = ["EXTRACT", "AUDIT", "run_extract", "run_audit", "is_pdf"]


def is_pdf(path: str) -> bool:
    return path.lower().endswith(".pdf")


def _draft(path: str):
    """The draft of ``path``, or the one-line problem that stops it (missing file, missing extra, bad PDF)."""
    from ..extract.pdf import MissingExtra, extract_pdf  # the PDF reader is an optional extra

    if not os.path.exists(path):
        return None, f"{path}:1:1: no such file"
    try:
        return extract_pdf(path), None
    except MissingExtra as error:
        return None, f"{path}:1:1: {error}"
    except Exception as error:  # noqa: BLE001 - pdfminer's many errors for a damaged file: one line, not a traceback
        return None, f"{path}:1:1: expected a readable PDF ({type(error).__name__}: {error})"


def run_extract(args: argparse.Namespace) -> int:
    from ..extract.pdf.draft import draft_yaml, text_of

    draft, problem = _draft(args.report)
    if problem:
        return report_problems([problem])
    text = text_of(draft) if args.text else draft_yaml(draft)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)
    for p in draft.problems:
        print(f"{args.report}: {p}", file=sys.stderr)
    return 0


def _cited_lines(draft, reports) -> str:
    """The narrative lines the findings cite, with their page: what a reader opens the PDF at."""
    numbers = sorted({s.line for r in reports for f in r.findings for s in f.statements if s.cell is None and s.line})
    if not numbers:
        return ""
    lines = [f"line {n} (page {draft.document.line(n).page}): {draft.document.line(n).text}" for n in numbers
             if 0 < n <= len(draft.document.lines)]
    return "\nNarrative lines cited:\n" + "\n".join(lines) + "\n"


def run_audit(args: argparse.Namespace) -> int:
    draft, problem = _draft(args.report)
    if problem:
        return report_problems([problem])
    case = Case.of(draft.case)
    try:
        report = case.check(args.rules) if args.rules else case.check()
    except CaseError as error:
        return report_problems(error.problems)
    recognized = ", ".join(f"{r.kind.number} {r.kind.name}" for r in draft.recognized)
    out = render([report], args.format, args.include_passed, args.lang)
    if args.format == "table":
        out = (f"{args.report}: {len(draft.recognized)} standard tables recognized ({recognized})\n\n" + out
               + _cited_lines(draft, [report]))
    sys.stdout.write(out)
    for p in draft.problems:
        print(f"{args.report}: {p}", file=sys.stderr)
    return exit_status([report], args.fail_on)


@attrs.frozen
class _Command:
    """A command for ``COMMANDS``: its name, how it adds its parser, and what it runs."""

    NAME: str
    build: object
    run: object

    def add_parser(self, commands) -> argparse.ArgumentParser:
        return self.build(commands)


def _extract_parser(commands) -> argparse.ArgumentParser:
    parser = commands.add_parser("extract", help="read a department's budget or final-accounts PDF into a draft case")
    parser.add_argument("report", metavar="REPORT.pdf")
    parser.add_argument("--text", action="store_true", help="print the pages as read (lines, tables) instead")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    return parser


def _audit_parser(commands) -> argparse.ArgumentParser:
    parser = commands.add_parser("audit", help="extract a department's PDF and check it with the department pack")
    parser.add_argument("report", metavar="REPORT.pdf")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    parser.add_argument("--fail-on", choices=FAIL_LEVELS, default="error",
                        help="lowest severity that makes the exit status 1 (default: error)")
    parser.add_argument("--all", action="store_true", dest="include_passed",
                        help="with --format json: also list the relations that hold")
    parser.add_argument("--rules", metavar="PACK", help="rule pack instead of the draft's own (department)")
    parser.add_argument("--lang", choices=LANGUAGES, default="en",
                        help="the language findings are written in: en (default) or zh (中文)")
    return parser


EXTRACT = _Command("extract", _extract_parser, run_extract)
AUDIT = _Command("audit", _audit_parser, run_audit)
