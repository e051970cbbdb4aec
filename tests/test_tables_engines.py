"""The columnar engine and the tree engine give the same findings, to the last digit.

Hypothesis draws small budget tables (a ``levels`` table whose rows repeat their
program's and body's totals, or a ``code`` table with a 合计 row), printed with
mixed precision, with totals that are right, right only within rounding, or
wrong; with disagreeing repeated totals, zero bases, empty cells, truncation and
a floor. Both engines check the same file; every failing finding (rule,
node, printed, expected, difference, tolerance, message, statements) and the
counts of relations checked and held must be equal.
"""

from __future__ import annotations

import os
import tempfile
from decimal import Decimal

import attrs
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fiscalcheck import loads

duckdb = pytest.importorskip("duckdb", reason='the columnar engine needs pip install ".[tables]"')

MEASURES = ("budget", "adjusted", "executed")


def printed(value: Decimal, places: int) -> str:
    """``value`` (in hundredths, exact) printed to ``places`` decimals, rounding half even."""
    return str(value.quantize(Decimal(1).scaleb(-places)))


@st.composite
def amounts(draw):
    budget = Decimal(draw(st.integers(0, 50_000))).scaleb(-2)
    adjusted = budget + Decimal(draw(st.integers(-2_000, 2_000))).scaleb(-2)
    executed = adjusted - Decimal(draw(st.integers(-500, 5_000))).scaleb(-2)
    if draw(st.integers(0, 9)) == 0:
        adjusted = Decimal(0)
    return [budget, adjusted, executed]


@st.composite
def cell(draw, value: Decimal, wrong_ok: bool = True) -> str:
    """A printing of ``value``: 0-2 decimals, sometimes off by a little or a lot, sometimes empty."""
    kind = draw(st.integers(0, 19))
    if kind == 0 and wrong_ok:
        value += Decimal(draw(st.sampled_from([1, 5, 10, 250, -7]))).scaleb(-1)
    if kind == 1:
        return ""
    return printed(value, draw(st.integers(0, 2)))


@st.composite
def rate_cell(draw, executed: Decimal, base: Decimal) -> str:
    if base == 0 or draw(st.integers(0, 9)) == 0:
        return printed(Decimal(draw(st.integers(0, 1500))).scaleb(-3), 3)
    value = executed / base
    if draw(st.integers(0, 7)) == 0:
        value += Decimal("0.01")
    return str(value.quantize(Decimal("0.001")))


@st.composite
def levels_table(draw) -> tuple[str, str]:
    rows = []
    for body in range(draw(st.integers(1, 3))):
        programs = []
        for program in range(draw(st.integers(1, 3))):
            lines = [draw(amounts()) for _ in range(draw(st.integers(1, 4)))]
            programs.append((program, lines))
        body_total = [sum(a[k] for _, lines in programs for a in lines) for k in range(3)]
        for program, lines in programs:
            program_total = [sum(a[k] for a in lines) for k in range(3)]
            for line, values in enumerate(lines):
                cells = [f"B{body}", f"P{body}{program}", f"L{body}{program}{line}"]
                for total in (body_total, program_total, values):
                    cells += [draw(cell(v)) for v in total]
                    cells.append(draw(rate_cell(total[2], total[1])))
                rows.append(",".join(cells))
                if draw(st.integers(0, 9)) == 0:  # a line item printed twice: grouped, not taken row by row
                    rows.append(",".join(cells))
    header = ["body", "program", "line"] + [f"{lv}_{m}" for lv in ("b", "p", "l") for m in (*MEASURES, "rate")]
    levels = "\n".join(
        f"      - code: {code}\n        measures: {{budget: {lv}_budget, adjusted: {lv}_adjusted, "
        f"executed: {lv}_executed, rate: {{column: {lv}_rate, unit: '%', factor: 100}}}}"
        for code, lv in (("body", "b"), ("program", "p"), ("line", "l"))
    )
    spec = f"    levels:\n{levels}\n"
    return ",".join(header) + "\n" + "\n".join(rows) + "\n", spec


@st.composite
def code_table(draw) -> tuple[str, str]:
    rows = []
    total = [Decimal(0)] * 3
    for top in range(1, draw(st.integers(1, 3)) + 1):
        top_rows = []
        top_sum = [Decimal(0)] * 3
        for mid in range(1, draw(st.integers(1, 3)) + 1):
            leaves = [draw(amounts()) for _ in range(draw(st.integers(0, 3)))]
            mid_values = [sum(a[k] for a in leaves) for k in range(3)] if leaves else draw(amounts())
            code = f"{top}{mid:02d}"
            top_rows.append((code, mid_values))
            top_rows += [(f"{code}{leaf:02d}", values) for leaf, values in enumerate(leaves, 1)]
            top_sum = [top_sum[k] + mid_values[k] for k in range(3)]
        rows.append((str(top), top_sum))
        rows += top_rows
        total = [total[k] + top_sum[k] for k in range(3)]
    if draw(st.booleans()):
        rows.insert(0, ("", total)) if draw(st.booleans()) else rows.append(("", total))
    if draw(st.integers(0, 4)) == 0 and len(rows) > 1:  # a code printed on two rows
        rows.append(rows[-1])
    lines = []
    for code, values in rows:
        name = "合计" if code == "" else f"item {code}"
        lines.append(",".join([code, name, *(draw(cell(v)) for v in values), draw(rate_cell(values[2], values[1]))]))
    spec = ("    code: code\n    lengths: [1, 3, 5]\n    label: name\n    totals: {column: name, values: [合计]}\n"
            "    measures: {budget: budget, adjusted: adjusted, executed: executed, "
            "rate: {column: rate, unit: '%', factor: 100}}\n")
    return "code,name,budget,adjusted,executed,rate\n" + "\n".join(lines) + "\n", spec


POLICIES = ("", "policy: {rounding: truncate}\n", "policy: {floor: '0.5'}\n")


def _write_parquet(text: str, path: str) -> None:
    """The CSV's cells as Parquet string columns: the columnar engine scans the file in place
    (its line items a view, not a stored table), the tree engine reads the same texts."""
    import csv
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    header, *records = list(csv.reader(io.StringIO(text)))
    columns = {name: [r[i] if i < len(r) else "" for r in records] for i, name in enumerate(header)}
    pq.write_table(pa.table({name: pa.array(values, pa.string()) for name, values in columns.items()}), path)


def run_both(text: str, spec: str, policy: str, fmt: str = "csv"):
    with tempfile.TemporaryDirectory() as folder:
        name = f"table.{fmt}"
        path = os.path.join(folder, name)
        if fmt == "parquet":
            _write_parquet(text, path)
        else:
            with open(path, "w", encoding="utf-8") as out:
                out.write(text)
        case_text = (f"case: drawn\n{policy}sources:\n  t: {{path: {name}}}\ntables:\n"
                     f"  - id: t\n    file: {name}\n    source: t\n    unit: 元\n{spec}")
        case = loads(case_text, os.path.join(folder, "case.yaml"))
        return case.check(engine="tree"), case.check(engine="duckdb")


def _verdicts(report):
    """The findings, each with its likely causes (compared as records: a cause's edit holds the
    statement it changes, and a columnar statement is read back from the file, not the tree's own)."""
    return [f.to_record() for f in report.findings]


def assert_same(tree, columnar):
    assert _verdicts(columnar) == _verdicts(tree)
    for key in ("checked", "passed", "error", "warning", "info"):
        assert columnar.counts()[key] == tree.counts()[key], key
    # those that hold only within the printed precision: described by the tree, counted by the SQL
    assert len(columnar.by_rounding) + columnar.held_within == len(tree.by_rounding)
    assert columnar.summary() == tree.summary()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# found by this property: body B1 sums to -0.1 against its printed -0 (rows 13-14); under truncation
# the figures printed 0 on rows 11-15 match the difference, each a candidate item left out, so its
# causes are only the tree engine's when the columnar one reads the nodes printed near the relation
@example(table=(
    "body,program,line,b_budget,b_adjusted,b_executed,b_rate,p_budget,p_adjusted,p_executed,p_rate,"
    "l_budget,l_adjusted,l_executed,l_rate\n" + "".join(row + "\n" + row + "\n" for row in (
        "B0,P00,L000,,,,0.000,,,,0.000,,,,0.000", "B0,P00,L001,,,,0.000,,,0,0.000,0,0,0,0.000",
        "B0,P00,L002,0,-5,,0.000,0,,0,0.000,0,,0,0.000", "B0,P01,L010,,-4,-5,0.000,0,-5,-5,0.000,0,0,0,0.000",
        "B0,P01,L011,0,-5,-5,0.000,0,-5,-5,0.000,0,0,0,0.000")) + "B0,P01,L012,0,-5,-5,0.000,0,-5,-5,0.000,0,-5,-5,0.000\n"
    + "".join(row + "\n" + row + "\n" for row in (
        "B1,P10,L100,0,0,-0,0.000,0,0,-0.1,0.000,0,,-0,0.000", "B2,P20,L200,0,,,0.000,,,0,0.000,,1,,0.000")),
    "    levels:\n" + "".join(
        f"      - code: {code}\n        measures: {{budget: {p}_budget, adjusted: {p}_adjusted, executed: {p}_executed, "
        f"rate: {{column: {p}_rate, unit: '%', factor: 100}}}}\n" for code, p in (("body", "b"), ("program", "p"), ("line", "l")))),
    policy="policy: {rounding: truncate}\n", fmt="csv")
@given(levels_table(), st.sampled_from(POLICIES), st.sampled_from(("csv", "parquet")))
def test_levels_tables_same_findings_on_both_engines(table, policy, fmt):
    assert_same(*run_both(*table, policy, fmt))


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# found by this property: item 10202's rate fails; the total row and the top item 1 are printed near
# it, and item 1, on the path to 10202, came in as the total's child without its own children, so the
# finding's path lost its top (and its causes were looked for in the case, not around it)
@example(table=(
    "code,name,budget,adjusted,executed,rate\n1,item 1,0,,,0.000\n101,item 101,0,,,0.000\n102,item 102,0,,,0.000\n"
    "10201,item 10201,0,0,0,0.000\n10202,item 10202,0,1,1,0.000\n103,item 103,,,0,0.000\n,合计,0,1,,0.000\n"
    ",合计,0,1,1,1.010\n",
    "    code: code\n    lengths: [1, 3, 5]\n    label: name\n    totals: {column: name, values: [合计]}\n"
    "    measures: {budget: budget, adjusted: adjusted, executed: executed, rate: {column: rate, unit: '%', factor: 100}}\n"),
    policy="")
# found by this property: a table with two total rows, each a parent of every top item; a neighbourhood
# that took only a node's first parent lost the second total's sum, which the suspect figure enters too,
# so a cause broke one relation fewer than on the tree engine
@example(table=(
    "code,name,budget,adjusted,executed,rate\n1,item 1,0,,0,0.000\n101,item 101,0,,,0.000\n"
    "10101,item 10101,,,,0.000\n10102,item 10102,,,,0.000\n102,item 102,,,,0.000\n10201,item 10201,,,0,0.000\n"
    "10202,item 10202,,0,,0.000\n103,item 103,0,,0,0.000\n2,item 2,0,,0,0.000\n201,item 201,0,,0,0.000\n"
    "20101,item 20101,0,,0,0.000\n20102,item 20102,0,0,0,0.000\n3,item 3,6,6,-8,0.000\n301,item 301,6,6,6,0.000\n"
    "302,item 302,0,-0,-14,0.000\n30201,item 30201,0,0,-14,0.000\n30202,item 30202,0,-0,-0,0.000\n"
    "30203,item 30203,0,0,0,0.000\n,合计,6,6,-8,0.000\n,合计,6,7,-8,-1.306\n",
    "    code: code\n    lengths: [1, 3, 5]\n    label: name\n    totals: {column: name, values: [合计]}\n"
    "    measures: {budget: budget, adjusted: adjusted, executed: executed, rate: {column: rate, unit: '%', factor: 100}}\n"),
    policy="")
@given(code_table(), st.sampled_from(POLICIES))
def test_code_tables_same_findings_on_both_engines(table, policy):
    assert_same(*run_both(*table, policy))


def test_a_total_repeated_on_many_rows_keeps_the_printings_that_are_suspects():
    """P2 (printed on rows 8-9) is 30 more than its items: the sibling P1's 30, printed on rows 2-7,
    is a candidate item left out only where it stands within two rows of P2's own. The columnar
    engine reads each repeated total of a neighbourhood once, plus its printings near the
    relation; the failing relation's own nodes it reads whole (each printing is a suspect)."""
    rows = [f"B1,P1,L{i},100,30,5" for i in range(1, 7)] + ["B1,P2,L7,100,70,20", "B1,P2,L8,100,70,20"]
    text = "body,program,line,b,p,l\n" + "\n".join(rows) + "\n"
    spec = "    levels:\n" + "".join(f"      - code: {code}\n        measures: {{budget: {column}}}\n"
                                     for code, column in (("body", "b"), ("program", "p"), ("line", "l")))
    tree, columnar = run_both(text, spec, "", "parquet")
    (finding,) = tree.findings
    cited = {(cause.kind, cause.statement.line) for cause in finding.causes if cause.statement is not None}
    assert ("omitted-item", 6) in cited and ("omitted-item", 7) in cited  # P1's 30 on rows 6 and 7
    assert {line for kind, line in cited if kind == "digit-typo"} == {8, 9}  # each of P2's printings
    assert_same(tree, columnar)


def _bodies_table(bodies: int = 8) -> str:
    """A levels table of ``bodies`` state bodies, two programs each, two lines each, every total
    right but one: program P31, last of body B3, prints 7 more than its lines, and 7 is the budget
    of line L400, the next row's, in body B4: an item left out that only the rows near it show."""
    header = ("body,program,line,b_budget,b_adjusted,b_executed,b_rate,p_budget,p_adjusted,p_executed,p_rate,"
              "l_budget,l_adjusted,l_executed,l_rate\n")
    lines = {(b, p, n): (7 if (b, p, n) == (4, 0, 0) else 10 * b + 3 * p + n + 1)
             for b in range(bodies) for p in range(2) for n in range(2)}
    program = {(b, p): lines[(b, p, 0)] + lines[(b, p, 1)] + (7 if (b, p) == (3, 1) else 0)
               for b in range(bodies) for p in range(2)}
    rows = []
    for (b, p, n), amount in lines.items():
        body = program[(b, 0)] + program[(b, 1)]
        rows.append(f"B{b},P{b}{p},L{b}{p}{n},{body},,,,{program[(b, p)]},,,,{amount},,,")
    return header + "\n".join(rows) + "\n"


_BODIES_SPEC = "    levels:\n" + "".join(
    f"      - code: {code}\n        measures: {{budget: {p}_budget, adjusted: {p}_adjusted, executed: {p}_executed, "
    f"rate: {{column: {p}_rate, unit: '%', factor: 100}}}}\n" for code, p in (("body", "b"), ("program", "p"), ("line", "l")))


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_the_rows_near_a_failure_in_another_top_code_are_read(fmt):
    """The columnar engine reads a failing relation's neighbourhood from the rows under its top
    code (``near``); the rows printed near it may lie under the next one, and must be read too."""
    tree, columnar = run_both(_bodies_table(), _BODIES_SPEC, "", fmt)
    (finding,) = tree.findings
    assert (finding.rule, finding.label, finding.printed, finding.expected) == ("parts-sum", "P31", 76, 69)  # 34 + 35, and 7 more
    first = finding.causes[0]  # the 7 printed on row 18, L400's, the row after P31's two (16, 17)
    assert (first.kind, first.statement.printed, first.statement.line) == ("omitted-item", "7", 18)
    assert_same(tree, columnar)
