"""Line-item tables of 10^4 .. 10^6 rows: fiscalcheck's columnar engine against a plain DuckDB sum check.

    python bench/tables.py                 # 10^4 and 10^5 rows (a few seconds)
    python bench/tables.py --rows 1000000  # add sizes; run 10^6 sparingly (2 shared cores)

For each size it writes a three-level line-item table (state body → program →
line; each row repeats its program's and body's totals, as execution reports
do) with budget, adjusted and executed columns to 0.1, as CSV and as Parquet
(DECIMAL columns), with three injected errors:

* one line's budget changed, so its program's budget no longer sums (parts-sum);
* one line's adjusted budget below what it executed, the difference moved to a
  sibling so every sum still holds (within-budget);
* one row printing its program's executed total wrongly (statements-agree).

Then, in the same run, each in a fresh process (interpreter start and imports
included on both sides, peak memory from the OS):

* the anchor: a plain DuckDB query over the same file (Parquet DECIMAL columns;
  CSV read with DECIMAL column types) that checks, exactly, that every program
  and body total equals the sum of its parts, for the three measures (what one
  would write by hand, without intervals, repeated totals or descriptions);
* the floor: one hand-written query over the same file that decides exactly the
  relations fiscalcheck's rules decide on this table (each cell's interval from
  its printed precision, line keys unique, repeated totals agreeing, sums with
  intervals, within-budget) and nothing else: the cost of the work itself;
* ``fiscalcheck run`` on a case over the file: every rule (statements-agree,
  parts-sum with intervals, within-budget), findings described.

It prints each time, peak memory and the ratios, checks that fiscalcheck finds
exactly the injected errors, and exits 1 when a goal is missed: at 10^6 rows
≤ 1.5× the anchor and ≤ 400 MiB; time(10^6)/time(10^5) ≤ 12.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import subprocess
import sys
import tempfile
import time

MEASURES = ("budget", "adjusted", "executed")
LEVELS = ("body", "program", "line")

ANCHOR = r"""
import sys, duckdb
path = sys.argv[1]
m = ("budget", "adjusted", "executed")
programs = ", ".join(f"any_value(program_{x}) AS p_{x}, sum(line_{x}) AS s_{x}, any_value(body_{x}) AS b_{x}" for x in m)
bodies = ", ".join(f"any_value(b_{x}) AS b_{x}, sum(p_{x}) AS t_{x}" for x in m)
off = " + ".join(f"count(*) FILTER (WHERE p_{x} <> s_{x})" for x in m)
off_bodies = " + ".join(f"count(*) FILTER (WHERE b_{x} <> t_{x})" for x in m)
columns = ", ".join(f"'{level}_{x}': 'DECIMAL(18,1)'" for level in ("body", "program", "line") for x in m)
source = (f"read_parquet('{path}')" if path.endswith(".parquet")
          else f"read_csv('{path}', header = true, types = {{{columns}}})")
query = (f"WITH p AS (SELECT body, program, {programs} FROM {source} GROUP BY body, program), "
         f"b AS (SELECT body, {bodies} FROM p GROUP BY body) "
         f"SELECT (SELECT {off} FROM p) + (SELECT {off_bodies} FROM b)")
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
print(con.execute(query).fetchone()[0])
"""

# The floor: one query, written by hand for this table's shape alone, that decides exactly what
# fiscalcheck's rules decide on it and nothing more. Each cell's interval from its printed precision
# (a Parquet column's scale; a CSV cell's own text), the line keys unique within their program (a
# repeated line would be one line item printed twice, counted once), each repeated total's printings
# agreeing, each total against its parts' interval sum (the hull where its printings disagree), and
# executed within adjusted. No descriptions, no general hierarchy, no case file. What it costs over
# the anchor is the work the relations need; what fiscalcheck costs over it is fiscalcheck's own.
FLOOR = r"""
import sys, duckdb
path = sys.argv[1]
m = ("budget", "adjusted", "executed")
levels = ("body", "program", "line")
if path.endswith(".parquet"):  # the bench writes DECIMAL(18,1) columns: 0.05 either side of each cell
    source = f"read_parquet('{path}')"
    cells = ", ".join(f"{lv}_{x} AS {lv}_{x}_v, CAST(0.05 AS DECIMAL(18,3)) AS {lv}_{x}_h" for lv in levels for x in m)
else:  # each cell's precision read from its text, as the rules need it (three places hold the bench's)
    source = f"read_csv('{path}', header = true, all_varchar = true)"
    cells = ", ".join(
        f"CAST({lv}_{x} AS DECIMAL(18,3)) AS {lv}_{x}_v, "
        f"CAST(CASE WHEN strpos({lv}_{x}, '.') = 0 THEN 0.5 ELSE 0.5 / 10 ** (length({lv}_{x}) - strpos({lv}_{x}, '.')) END"
        f" AS DECIMAL(18,3)) AS {lv}_{x}_h" for lv in levels for x in m)
rows = f"SELECT body, program, line, {cells} FROM {source}"
p = ["count(*) AS k", "count(DISTINCT line) AS d",
     "count(*) FILTER (WHERE line_executed_v - line_executed_h > line_adjusted_v + line_adjusted_h) AS over"]
for x in m:
    for lv in ("program", "body"):
        # the values all its printings allow; when they disagree (lo > hi), the hull of them, as the rules do
        p += [f"max({lv}_{x}_v - {lv}_{x}_h) AS {lv}_{x}_lo", f"min({lv}_{x}_v + {lv}_{x}_h) AS {lv}_{x}_hi",
              f"min({lv}_{x}_v - {lv}_{x}_h) AS {lv}_{x}_hlo", f"max({lv}_{x}_v + {lv}_{x}_h) AS {lv}_{x}_hhi"]
    p += [f"sum(line_{x}_v - line_{x}_h) AS s_{x}_lo", f"sum(line_{x}_v + line_{x}_h) AS s_{x}_hi"]
b = ["count(*) AS k"]
for x in m:
    b += [f"max(body_{x}_lo) AS body_{x}_lo", f"min(body_{x}_hi) AS body_{x}_hi",
          f"min(body_{x}_hlo) AS body_{x}_hlo", f"max(body_{x}_hhi) AS body_{x}_hhi",
          f"sum(CASE WHEN program_{x}_lo <= program_{x}_hi THEN program_{x}_lo ELSE program_{x}_hlo END) AS s_{x}_lo",
          f"sum(CASE WHEN program_{x}_lo <= program_{x}_hi THEN program_{x}_hi ELSE program_{x}_hhi END) AS s_{x}_hi"]
def fails(level):
    out = []
    for x in m:
        out.append(f"count(*) FILTER (WHERE {level}_{x}_lo > {level}_{x}_hi)")  # its printings disagree
        lo = f"(CASE WHEN {level}_{x}_lo <= {level}_{x}_hi THEN {level}_{x}_lo ELSE {level}_{x}_hlo END)"
        hi = f"(CASE WHEN {level}_{x}_lo <= {level}_{x}_hi THEN {level}_{x}_hi ELSE {level}_{x}_hhi END)"
        out.append(f"count(*) FILTER (WHERE {lo} > s_{x}_hi OR s_{x}_lo > {hi})")  # parts-sum
    out.append(f"count(*) FILTER (WHERE {level}_executed_lo > {level}_adjusted_hi)")  # within-budget
    return out
query = (f"WITH r AS ({rows}), p AS (SELECT body, program, {', '.join(p)} FROM r GROUP BY body, program), "
         f"b AS (SELECT body, {', '.join(b)} FROM p GROUP BY body) "
         f"SELECT (SELECT [count(*) FILTER (WHERE d <> k), sum(over), {', '.join(fails('program'))}] FROM p), "
         f"(SELECT [{', '.join(fails('body'))}] FROM b)")
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
print(sum(map(sum, con.execute(query).fetchone())))
"""


def tenths(value: int) -> str:
    """A figure to 0.1 from a whole number of tenths: exact text, no float."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    return f"{sign}{value // 10}.{value % 10}"


def generate(rows: int, folder: str) -> tuple[str, str, dict]:
    """Write the table as CSV and Parquet; return their paths and the injected errors' places."""
    import random

    rng = random.Random(rows)
    per_program = 50
    programs = max(rows // per_program, 2)
    per_body = 20
    # line values in tenths
    body_of = [p // per_body for p in range(programs)]
    values = []  # (body, program, line, budget, adjusted, executed)
    for i in range(rows):
        program = min(i // per_program, programs - 1)
        budget = rng.randrange(1_000, 10_000_000)
        adjusted = budget + rng.randrange(-budget // 10, budget // 10)
        executed = adjusted - rng.randrange(0, adjusted // 5 + 1)
        values.append([body_of[program], program, i, budget, adjusted, executed])
    # within-budget: line 7's adjusted drops below its executed; the difference goes to line 8
    shortfall = values[7][4] - values[7][5] + 1234
    values[7][4] -= shortfall
    values[8][4] += shortfall
    program_sum: dict[int, list[int]] = {}
    body_sum: dict[int, list[int]] = {}
    for body, program, _, *amounts in values:
        program_sum.setdefault(program, [0, 0, 0])
        body_sum.setdefault(body, [0, 0, 0])
        for k in range(3):
            program_sum[program][k] += amounts[k]
            body_sum[body][k] += amounts[k]
    # parts-sum: a line's budget changes after the totals were made
    broken_line = rows // 2
    values[broken_line][3] += 5_000
    # statements-agree: one row prints its program's executed total 100.0 too high
    wrong_row = rows // 3
    header = ["body", "program", "line", *(f"{level}_{m}" for level in LEVELS for m in MEASURES)]
    csv_path = os.path.join(folder, f"lines-{rows}.csv")
    with open(csv_path, "w", encoding="utf-8") as out:
        out.write(",".join(header) + "\n")
        for index, (body, program, line, *amounts) in enumerate(values):
            p = list(program_sum[program])
            if index == wrong_row:
                p[2] += 1000
            b = body_sum[body]
            cells = [f"B{body:03d}", f"P{program:05d}", f"L{line:07d}",
                     *map(tenths, b), *map(tenths, p), *map(tenths, amounts)]
            out.write(",".join(cells) + "\n")
    parquet_path = os.path.join(folder, f"lines-{rows}.parquet")
    import duckdb

    decimals = ", ".join(f"CAST({name} AS DECIMAL(18,1)) AS {name}" for name in header[3:])
    duckdb.execute(f"COPY (SELECT body, program, line, {decimals} FROM read_csv('{csv_path}', all_varchar = true)) "
                   f"TO '{parquet_path}' (FORMAT parquet)")
    expected = {
        ("parts-sum", "budget", f"P{values[broken_line][1]:05d}"),
        ("within-budget", "executed", "L0000007"),
        ("statements-agree", "executed", f"P{values[wrong_row][1]:05d}"),
    }
    return csv_path, parquet_path, {"expected": expected}


CASE = """case: bench-{rows}
sources:
  lines: {{path: {file}}}
tables:
  - id: lines
    file: {file}
    source: lines
    unit: 万元
    levels:
      - code: body
        measures: {{budget: body_budget, adjusted: body_adjusted, executed: body_executed}}
      - code: program
        measures: {{budget: program_budget, adjusted: program_adjusted, executed: program_executed}}
      - code: line
        measures: {{budget: line_budget, adjusted: line_adjusted, executed: line_executed}}
"""


def measure(command: list[str]) -> tuple[float, float, str]:
    """Like :func:`timed`, with the child's peak memory from wait4 (Linux reports KiB)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    chunks = []
    while True:
        chunk = process.stdout.read(1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, b"".join(chunks).decode("utf-8", "replace")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="table sizes (default 10^4 and 10^5)")
    parser.add_argument("--keep", metavar="DIR", help="write the tables here and keep them")
    parser.add_argument("--generate", type=int, metavar="ROWS", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:  # in a child process, so that the measured processes do not inherit its memory
        csv_path, parquet_path, info = generate(args.generate, args.keep)
        print(json.dumps([csv_path, parquet_path, sorted(info["expected"])]))
        return 0
    # byte-code compiled first, as an installed package has it (see bench/startup.py)
    compileall.compile_dir(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fiscalcheck"), quiet=1)
    sizes = args.rows or [10_000, 100_000]
    if args.rows and 100_000 not in sizes and max(sizes) >= 1_000_000:
        sizes = sorted({100_000, *sizes})
    folder = args.keep or tempfile.mkdtemp(prefix="fiscalcheck-bench-")
    os.makedirs(folder, exist_ok=True)
    ok = True
    times = {}
    print(f"{'rows':>9} {'format':>7} {'anchor s':>9} {'MiB':>6} {'floor s':>8} {'×anchor':>8} "
          f"{'fiscalcheck s':>14} {'MiB':>6} {'ratio':>6} {'×floor':>7}  findings")
    for rows in sorted(sizes):
        made = subprocess.run([sys.executable, __file__, "--generate", str(rows), "--keep", folder],
                              capture_output=True, text=True, check=True)
        csv_path, parquet_path, expected = json.loads(made.stdout)
        info = {"expected": {tuple(e) for e in expected}}
        for fmt, path in (("parquet", parquet_path), ("csv", csv_path)):
            case_path = os.path.join(folder, f"case-{rows}-{fmt}.yaml")
            with open(case_path, "w", encoding="utf-8") as out:
                out.write(CASE.format(rows=rows, file=os.path.basename(path)))
            anchor_s, anchor_mib, anchor_out = measure([sys.executable, "-c", ANCHOR, path])
            floor_s, _, floor_out = measure([sys.executable, "-c", FLOOR, path])
            run_s, run_mib, run_out = measure([sys.executable, "-m", "fiscalcheck", "run", case_path,
                                               "--engine", "duckdb", "--format", "json", "--fail-on", "never"])
            try:
                report = json.loads(run_out)
            except json.JSONDecodeError:
                print(run_out[-2000:])
                return 1
            found = {(f["rule"], f["measure"], f["label"]) for f in report["findings"]}
            exact = found == info["expected"]
            ok &= exact
            ratio = run_s / anchor_s
            times[(rows, fmt)] = run_s
            print(f"{rows:>9} {fmt:>7} {anchor_s:>9.2f} {anchor_mib:>6.0f} {floor_s:>8.2f} {floor_s / anchor_s:>8.2f} "
                  f"{run_s:>14.2f} {run_mib:>6.0f} {ratio:>6.2f} {run_s / floor_s:>7.2f}  "
                  f"{len(found)} {'= the injected errors' if exact else f'!= injected: {sorted(found)}'}"
                  f" (anchor: {anchor_out.strip()} sums off; floor: {floor_out.strip()} relations fail)")
            ok &= floor_out.strip() == str(len(info["expected"]))
            if rows >= 1_000_000 and fmt == "parquet":
                if ratio > 1.5:
                    print(f"  goal missed: {ratio:.2f}× the anchor (goal ≤ 1.5×)")
                    ok = False
                if floor_s / anchor_s > 1.5:
                    print(f"  the floor itself takes {floor_s / anchor_s:.2f}× the anchor: the work the relations "
                          f"need is over the goal before fiscalcheck adds any")
                if run_mib > 400:
                    print(f"  goal missed: {run_mib:.0f} MiB peak (goal ≤ 400 MiB)")
                    ok = False
    for fmt in ("parquet", "csv"):
        if (1_000_000, fmt) in times and (100_000, fmt) in times:
            growth = times[(1_000_000, fmt)] / times[(100_000, fmt)]
            print(f"time(10^6)/time(10^5), {fmt}: {growth:.1f} (goal ≤ 12)")
            ok &= growth <= 12
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
