"""Where the time of `fiscalcheck run` goes, phase by phase, in fresh processes.

bench/startup.py gives the ratio the issue sets a goal for; this splits our share of it:
importing fiscalcheck (with argparse, as the command line does), loading the case (which
imports the expression parser when the case declares invariants), checking it, and
rendering the table. Medians over fresh processes, since the first run of each step is
the one a user waits for. A benchmark, not a test: it prints and exits 0.

    python bench/phases.py [CASE] [--repeat N]

Run it with PYTHONDONTWRITEBYTECODE unset: without .pyc files every import is compiled anew.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_ONE_RUN = """
import sys, time
sys.path.insert(0, {root!r})
import yaml, attrs, tabulate  # the baseline's imports: not ours to count
t0 = time.perf_counter()
import argparse
import fiscalcheck.cli
from fiscalcheck import load
from fiscalcheck.render import render
t1 = time.perf_counter()
case = load({case!r})
t2 = time.perf_counter()
report = case.check()
t3 = time.perf_counter()
render([report], "table", False)
t4 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2, t4 - t3)
"""
PHASES = ("import", "load", "check", "render")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case", nargs="?", default="cases/2020.yaml")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    code = _ONE_RUN.format(root=str(ROOT), case=str((ROOT / args.case).resolve()))
    runs = []
    for _ in range(args.repeat):
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
        runs.append([float(x) for x in out.stdout.split()])
    for i, phase in enumerate(PHASES):
        print(f"{phase:7s} {statistics.median(r[i] for r in runs) * 1000:6.1f} ms")
    print(f"{'total':7s} {statistics.median(sum(r) for r in runs) * 1000:6.1f} ms (median of {args.repeat})")


if __name__ == "__main__":
    main()
