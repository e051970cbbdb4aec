"""``fiscalcheck audit REPORT.txt``: extract a report and check it in one step.

As ``fiscalcheck extract`` then ``fiscalcheck run`` on the draft: the findings,
each saying whether its relation was proposed from the text (and the words that
made it) or is one label printed twice whose printings must agree, then every
proposed relation with its verdict. Exit status as ``fiscalcheck run``.
"""

from __future__ import annotations

import argparse
import os
import sys

from ..api import Case
from ..errors import CaseError
from ..render import render
from . import pdf
from .extract import read_report
from .problems import report_problems
from .run import add_report_options, exit_status

__all__ = ["add_parser", "run"]

_PRINTED_TWICE = "one label printed twice in one document: its printings must agree"


#: The command's name, and its line in ``fiscalcheck --help``.
NAME, HELP = "audit", "extract a report's figures and check them in one step"


def add_parser(commands) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        NAME, help=HELP,
        description="Extract a report (as 'fiscalcheck extract') and run the draft (as 'fiscalcheck run'); "
                    "each finding says whether its relation was proposed from the text.")
    parser.add_argument("report", metavar="REPORT",
                        help="the report as UTF-8 text, one paragraph a line, or a department's PDF "
                             "(REPORT.pdf, with the pdf extra: checked with the department pack)")
    add_report_options(parser, "instead of the draft's own")
    return parser


def run(args: argparse.Namespace) -> int:
    if pdf.is_pdf(args.report):
        return pdf.run_audit(args)
    from ..extract.draft import draft_case, proposed_relations  # the CLI's lazy path: `fiscalcheck run` must not pay for the extractor

    extraction = read_report(args.report)
    if isinstance(extraction, str):
        return report_problems([extraction])
    # the draft stands beside the report, so its source path is the report's own name
    where = os.path.join(os.path.dirname(os.path.abspath(args.report)), "<audit draft>.yaml")
    try:
        case = Case.of(draft_case(extraction, where))
    except CaseError as error:  # pragma: no cover - a draft the loader refuses is a bug of extract
        return report_problems(error.problems)
    try:
        report = case.check(args.rules or None, passed=True)  # every verdict is listed
    except CaseError as error:  # a pack that cannot be read
        return report_problems(error.problems)
    proposed = proposed_relations(case)
    if args.format == "json":
        import json  # imported here, as by the renderer: `fiscalcheck run` never needs it

        data = json.loads(render([report], "json", args.include_passed, args.lang))
        for record, finding in zip(data["findings"], report.findings):
            relation = proposed.get(finding.origin)
            record["proposed"] = relation is not None
            record["because"] = relation.because if relation is not None else _PRINTED_TWICE
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return exit_status([report], args.fail_on)
    out = [render([report], args.format, False, args.lang), "", "Where each finding comes from (nothing here was typed by hand):"]
    for number, finding in enumerate(report.findings, 1):
        relation = proposed.get(finding.origin)
        lines = ", ".join(f"{s.printed} @{s.line}" for s in finding.statements)
        source = f"proposed relation, {relation.because}" if relation is not None else _PRINTED_TWICE
        out.append(f"  {number}. {finding.rule} {finding.label}: {lines} — {source}")
    by_origin = {f.origin: f for f in report.checks if f.origin in proposed}
    out += ["", f"Relations proposed from the text ({len(proposed)}):"]
    for origin, relation in proposed.items():
        finding = by_origin.get(origin)
        verdict = "not checked" if finding is None else "holds" if finding.holds else "DOES NOT HOLD"
        figures = "" if finding is None else ", ".join(f"{s.printed} @{s.line}" for s in finding.statements)
        out.append(f"  {verdict:<13} {relation.kind} {figures} — {relation.because}")
    out += ["", f"{len(extraction.found)} figures found, {len(extraction.scan.unread)} seen but not read; "
                f"{report.summary(args.lang)}"]
    sys.stdout.write("\n".join(out) + "\n")
    return exit_status([report], args.fail_on)
