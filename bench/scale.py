"""How fiscalcheck scales: cases of 10^3, 10^4 and 10^5 nodes, against a plain YAML load (issue 9).

    python bench/scale.py [--sizes 1000,10000,100000] [--shape tree|chain|missing] [--keep DIR]

For each size it generates a case file (a tree of funds, fan-out 10, each node with a budget
and an executed figure, each figure printed on its own line of a generated report, plus a
declared ``le`` relation per node) and measures, each in a fresh child process:

* ``anchor``: ``yaml.load`` of the file with PyYAML's CSafeLoader, floats read as Decimal:
  the least any YAML case reader must do (timed as a user runs it, collector on; the same load
  with the collector off is printed too, as the stricter anchor);
* ``cli``: ``python -m fiscalcheck run CASE --fail-on never`` (wall time, the whole process);
* ``api``: ``fiscalcheck.load(CASE).check()`` in a Python whose collector is on, as a user's is;
* ``load``: ``fiscalcheck.load(CASE)`` alone, the same way: what reading the case costs, apart
  from checking it (the report's findings, one or two per relation, are the rest of ``api``).
  The reader composes a large file's long lists in batches (fiscalcheck/inputs/batches.py),
  so its peak is the case's model, not PyYAML's node tree of the whole file.

It prints times, the peak resident memory of each child (its ``ru_maxrss``), and the ratios
the goals name. Goals (issue 9), for the tree shape: at 10^5 nodes, cli and api each <= 2x
the anchor and <= 400 MiB; time(10^5) / time(10^4) <= 11. The other shapes are the worst
cases the issue found (a chain of shared nodes linked by ``ref``; every node naming a missing
child, a load error), for the growth ratio only. A benchmark, not a test: it exits 0.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ANCHOR = """
import gc, sys, time
if len(sys.argv) > 2:
    gc.disable()
from decimal import Decimal
import yaml
class Loader(yaml.CSafeLoader):
    pass
Loader.add_constructor("tag:yaml.org,2002:float", lambda loader, node: Decimal(loader.construct_scalar(node)))
start = time.perf_counter()
with open(sys.argv[1], encoding="utf-8") as handle:
    yaml.load(handle.read(), Loader=Loader)
print(time.perf_counter() - start)
"""

LOAD = """
import sys, time
import fiscalcheck
start = time.perf_counter()
try:
    fiscalcheck.load(sys.argv[1])
except fiscalcheck.CaseError as error:
    len(error.problems)
print(time.perf_counter() - start)
"""

API = """
import sys, time
import fiscalcheck
start = time.perf_counter()
try:
    fiscalcheck.load(sys.argv[1]).check()
except fiscalcheck.CaseError as error:
    len(error.problems)
print(time.perf_counter() - start)
"""


def generate(folder: Path, size: int, shape: str = "tree") -> Path:
    """A case of ``size`` nodes and its report, written to ``folder``; the case file's path."""
    report: list[str] = []
    out = ["case: scale", "sources:", f"  r: {{path: report-{shape}-{size}.txt, title: generated}}", "nodes:"]

    def figure(node_id: str, what: str, amount: int) -> str:
        report.append(f"{node_id}{what}{amount}万元。")
        return f"{amount}万元 @{len(report)}"

    if shape == "tree":
        # ids n0 (the root), n1..n10 its children, ...: a heap layout, fan-out 10
        budgets: dict[int, int] = {}
        executed: dict[int, int] = {}
        for index in range(size - 1, -1, -1):
            kids = [k for k in range(10 * index + 1, 10 * index + 11) if k < size]
            if kids:
                budgets[index] = sum(budgets[k] for k in kids)
                executed[index] = sum(executed[k] for k in kids)
            else:
                budgets[index] = 100 + index % 97
                executed[index] = budgets[index] - index % 13

        # an explicit stack, in the same order as the recursion would write
        pending = [(0, 2)]
        while pending:
            index, indent = pending.pop()
            pad = " " * indent
            out.append(f"{pad}- id: n{index}")
            out.append(f"{pad}  label: 项目{index}")
            out.append(f"{pad}  measures:")
            out.append(f"{pad}    budget: {figure(f'n{index}', '预算', budgets[index])}")
            out.append(f"{pad}    executed: {figure(f'n{index}', '执行', executed[index])}")
            kids = [k for k in range(10 * index + 1, 10 * index + 11) if k < size]
            if kids:
                out.append(f"{pad}  children:")
                pending.extend((k, indent + 4) for k in reversed(kids))
        out.append("relations:")
        out.extend(f"  - {{le: [n{i}.executed, n{i}.budget]}}" for i in range(size))
    elif shape == "chain":
        for index in range(size):
            out.append(f"  - id: n{index}")
            out.append(f"    measures: {{budget: {figure(f'n{index}', '预算', 100 + index % 7)}}}")
            if index + 1 < size:
                out.append(f"    children: [{{ref: n{index + 1}}}]")
            out.append("    partial: true")
    elif shape == "missing":
        for index in range(size):
            out.append(f"  - id: n{index}")
            out.append(f"    measures: {{budget: {figure(f'n{index}', '预算', 100)}}}")
            out.append(f"    children: [{{ref: gone{index}}}]")
    else:
        raise SystemExit(f"unknown shape {shape!r}")
    folder.joinpath(f"report-{shape}-{size}.txt").write_text("\n".join(report) + "\n", encoding="utf-8")
    path = folder / f"scale-{shape}-{size}.yaml"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def measure(command: list[str]) -> tuple[float, float, float]:
    """(wall seconds, seconds the child printed or wall, peak MiB) of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = child.stdout.read() if child.stdout else b""
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    try:
        inner = float(out.decode().strip().splitlines()[-1])  # float-ok: a benchmark's timing, not a figure
    except (ValueError, IndexError):
        inner = wall
    return wall, inner, usage.ru_maxrss / 1024  # Linux: KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--shape", choices=("tree", "chain", "missing"), default="tree")
    parser.add_argument("--keep", metavar="DIR", help="write the generated cases here and keep them")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="fiscalcheck-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    python = sys.executable
    rows = {}
    bares = {}
    print(f"shape {args.shape}; times in s, peak resident memory in MiB; each a fresh child process")
    print(f"{'nodes':>7} {'MB':>6} | {'anchor':>7} {'MiB':>5} | {'cli':>7} {'MiB':>5} {'x':>5} | {'api':>7} {'MiB':>5} {'x':>5} | {'load':>6} {'MiB':>5}")
    for size in sizes:
        path = generate(folder, size, args.shape)
        anchor_wall, anchor, anchor_mib = measure([python, "-c", ANCHOR, str(path)])
        _, bare, _ = measure([python, "-c", ANCHOR, str(path), "gc-off"])
        cli, _, cli_mib = measure([python, "-m", "fiscalcheck", "run", "--fail-on", "never", str(path)])
        _, api, api_mib = measure([python, "-c", API, str(path)])
        _, load, load_mib = measure([python, "-c", LOAD, str(path)])
        rows[size] = (anchor, cli, api)
        bares[size] = bare
        megabytes = path.stat().st_size / 1e6  # float-ok: a file size shown to the reader
        # the cli is timed as a whole process: compare it with the anchor's whole process
        print(f"{size:>7} {megabytes:>6.1f} | {anchor:>7.2f} {anchor_mib:>5.0f} | {cli:>7.2f} {cli_mib:>5.0f} "
              f"{cli / anchor_wall:>5.2f} | {api:>7.2f} {api_mib:>5.0f} {api / anchor:>5.2f} | {load:>6.2f} {load_mib:>5.0f}")
    for small, large in zip(sizes, sizes[1:]):
        a0, c0, p0 = rows[small]
        a1, c1, p1 = rows[large]
        print(f"time({large})/time({small}): anchor {a1 / a0:.1f}, cli {c1 / c0:.1f}, api {p1 / p0:.1f} "
              f"(goal <= {1.1 * large / small:.0f})")
    for size in sizes:
        anchor, cli, api = rows[size]
        print(f"{size:>7} nodes: the anchor with its collector off takes {bares[size]:.2f} s; "
              f"api / that = {api / bares[size]:.2f}")
    print("goals at 10^5 nodes (tree): cli and api x <= 2.00, MiB <= 400; growth 10^4 -> 10^5 <= 11")
    if not args.keep:
        for file in folder.iterdir():
            file.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
