"""How long `fiscalcheck run` takes on the report's case, against importing its dependencies.

The goal (issue 2): the whole run takes no more than 1.5x the time of
``python -c "import yaml, attrs, tabulate"`` in the same environment. This is a
benchmark, not a test: it prints the ratio and the medians, and exits 0.

The package's byte-code is compiled first (``compileall``), as ``pip install``
does for an installed package: an editable checkout under
``PYTHONDONTWRITEBYTECODE`` would otherwise compile every module from source on
every run, and the bench would time the compiler, not fiscalcheck.

    python bench/startup.py [CASE] [--repeat N]
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def timings(commands: list[list[str]], repeat: int) -> list[list[float]]:
    """Each command's times, the commands taken in turn ``repeat`` times: interleaved, so a spell
    of load on a shared machine slows both sides of the ratio alike, not one block of runs."""
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(repeat):
        for command, spent in zip(commands, times):
            spent.append(seconds(command))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case", nargs="?", default="cases/2020.yaml")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    compileall.compile_dir(str(ROOT / "fiscalcheck"), quiet=1)
    base_times, run_times = timings([[sys.executable, "-c", "import yaml, attrs, tabulate"],
                                     [sys.executable, "-m", "fiscalcheck", "run", args.case]], args.repeat)
    baseline, run = statistics.median(base_times), statistics.median(run_times)
    print(f"import yaml, attrs, tabulate: {baseline * 1000:7.1f} ms (median of {args.repeat})")
    print(f"fiscalcheck run {args.case}: {run * 1000:7.1f} ms (median of {args.repeat})")
    print(f"ratio: {run / baseline:.2f} (goal: <= 1.50)")
    # each round's run over the baseline timed just before it: how much the ratio itself moves
    # with the machine's load, so one reading near the goal is read as what it is
    paired = [r / b for r, b in zip(run_times, base_times)]
    if len(paired) >= 4:
        low, middle, high = statistics.quantiles(paired, n=4)
        print(f"ratio of each round: median {middle:.2f}, middle half {low:.2f}-{high:.2f}")


if __name__ == "__main__":
    main()
