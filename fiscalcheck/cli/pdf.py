"""``fiscalcheck extract REPORT.pdf`` and ``fiscalcheck audit REPORT.pdf``: a department's accounts from PDF.

``extract`` prints the draft case (YAML, every statement with its page, table,
row and column or its narrative line), or with ``--text`` the pages as read;
``audit`` extracts and checks with the ``department`` pack, printing the
findings in the usual formats, then the narrative lines they cite with their
page. Reading PDFs needs the optional extra ``fiscalcheck[pdf]`` (pdfplumber);
without it both commands say so in one line and exit 2.

:mod:`fiscalcheck.cli.extract` and :mod:`fiscalcheck.cli.audit` call :func:`run_extract`
and :func:`run_audit` for a path ending in ``.pdf``.
"""

from __future__ import annotations

import argparse
import os
import sys

from ..api import Case
from ..errors import CaseError
from ..render import render
from .problems import report_problems
from .run import exit_status

__all__ = ["run_extract", "run_audit", "is_pdf"]


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
        report = case.check(args.rules or None, passed=bool(args.include_passed))
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
