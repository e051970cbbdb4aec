"""``fiscalcheck extract REPORT.txt [-o draft.yaml]``: a report's figures as a draft case, for review.

Every figure of the report with its line, the relations its text suggests marked
``proposed: true`` with their evidence: :mod:`fiscalcheck.extract`. Without ``-o``
the draft goes to standard output. Exit status 0, or 2 for a report that cannot be
read (one line ``file:line:column: what was expected``).
"""

from __future__ import annotations

import argparse
import sys

from . import pdf
from .problems import report_problems

__all__ = ["add_parser", "run", "read_report"]


def read_report(path: str):
    """The extraction of the report at ``path`` (an :class:`~fiscalcheck.extract.Extraction`), or
    the one-line problem that stops it."""
    from ..extract import extract  # the CLI's lazy path: `fiscalcheck run` must not pay for the extractor

    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except UnicodeDecodeError as error:
        line = error.object[:error.start].count(b"\n") + 1
        return f"{path}:{line}:1: expected UTF-8 text ({error.reason})"
    except OSError as error:
        return f"{path}: cannot read the report: {error.strerror or error}"
    return extract(text.splitlines(), path)


#: The command's name, and its line in ``fiscalcheck --help``.
NAME, HELP = "extract", "read a report's figures and write a draft case (relations proposed, for review)"


def add_parser(commands) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        NAME, help=HELP,
        description="Find every figure of a report text with its line, propose the relations its text "
                    "suggests, and write a draft case file.")
    parser.add_argument("report", metavar="REPORT",
                        help="the report as UTF-8 text, one paragraph a line, or a department's PDF "
                             "(REPORT.pdf, with the pdf extra)")
    parser.add_argument("-o", "--output", metavar="DRAFT", help="write the draft here (default: standard output)")
    parser.add_argument("--text", action="store_true", help="for a PDF: print the pages as read (lines, tables)")
    return parser


def run(args: argparse.Namespace) -> int:
    if pdf.is_pdf(args.report):
        return pdf.run_extract(args)
    from ..extract.draft import draft_yaml  # the CLI's lazy path: `fiscalcheck run` must not pay for the extractor

    extraction = read_report(args.report)
    if isinstance(extraction, str):
        return report_problems([extraction])
    text = draft_yaml(extraction, args.output)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
        print(f"{args.output}: {len(extraction.found)} figures, {len(extraction.proposals)} relations proposed",
              file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
