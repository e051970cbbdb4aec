"""How long a department PDF takes to extract and audit, against plain pdfplumber text extraction of it.

The goal (issue 13): the 25-page sample extracted and audited in at most 5 s. Almost all of that is
pdfminer parsing the pages' content streams, which any reader of the PDF pays, so the anchor is
``page.extract_text()`` of every page of the same file with pdfplumber, measured in the same run;
the ratio says what fiscalcheck adds (line grouping, table finding, the case and its ~300
relations). This is a benchmark, not a test: it prints the times and the ratio, and exits 0.

    python bench/pdf.py [REPORT.pdf] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("FISCALCHECK_SHARED", ROOT.parent / "shared"))
SAMPLE = SHARED / "peers" / "shanghai-department-accounts" / "putuo-finance-bureau-2024-final-accounts.pdf"


def anchor(path: str) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()


def audit(path: str) -> tuple[int, str]:
    from fiscalcheck.api import Case
    from fiscalcheck.extract.pdf import extract_pdf

    draft = extract_pdf(path)
    report = Case.of(draft.case).check()
    return len(draft.recognized), report.summary()


def seconds(function, *args, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", nargs="?", default=str(SAMPLE))
    parser.add_argument("--repeat", type=int, default=1, help="runs of each (the median is shown; default 1)")
    args = parser.parse_args()
    import fiscalcheck.api  # noqa: F401 - imports are not what is measured
    import pdfplumber  # noqa: F401

    base, _ = seconds(anchor, args.report, repeat=args.repeat)
    run, (tables, summary) = seconds(audit, args.report, repeat=args.repeat)
    print(f"pdfplumber extract_text, every page: {base:6.2f} s (median of {args.repeat})")
    print(f"fiscalcheck extract + audit:          {run:6.2f} s (median of {args.repeat}; goal <= 5 s)")
    print(f"ratio: {run / base:.2f}")
    print(f"{tables} standard tables; {summary}")


if __name__ == "__main__":
    main()
