"""Hostile inputs for the fuzz suite (tests/test_fuzz.py) and its long run (bench/fuzz.py).

One place says what a fuzzed input is and what a correct outcome is, so the test
(a bounded number of examples) and the benchmark (10^5 inputs) judge alike:

* an outcome is *clean* when it is a :class:`~fiscalcheck.CaseError` (or a
  ``FigureError`` from ``parse_figure``, or exit 2 from the command line) whose
  every problem is one line ``file:line:column: message``; or a result;
* anything else (another exception, a problem off the format, a traceback on
  stderr) is a *crash*.

The seeds are small valid case files exercising every key; the mutations are the
ones that found the crashes of issue 9: characters inserted, deleted or replaced
(control characters, lone surrogates, quotes, brackets, digits, CJK), lines
duplicated or swapped, numbers stretched to thousands of digits.
"""

from __future__ import annotations

import io
import os
import random
import re
import tempfile
from contextlib import redirect_stderr, redirect_stdout

import fiscalcheck
from fiscalcheck import CaseError, FigureError

ONE_LINE = re.compile(r"^[^\n]+:[0-9]+:[0-9]+: [^\n]+$")

REPORT = "全年收入72.1亿元，比上年增长5.2%。\n支出50亿元，约占69.3%。\n结余22.1亿元，共支持企业163家。\n"

SEEDS = (
    """\
case: fuzz
title: 模糊测试
sources:
  r: {path: report.txt, title: 报告}
policy: {rounding: nearest, about: "0.5", exact: [budget], floor: "1"}
nodes:
  - id: total
    label: 全年
    kind: fund
    tags: [a, b]
    measures:
      income: 72.1亿元 @1
      spent: {printed: 50亿元, line: 2, exact: false}
      left: 22.1亿元 @3 inexact
      rate: 69.3% @2
    children:
      - {id: part-a, measures: {spent: 30亿元 @2}}
      - {id: part-b, measures: {spent: 20亿元 @2}, outside: false}
    sums: [spent]
relations:
  - {diff: total.left, of: [total.income, total.spent]}
  - {rate: total.rate, of: [total.spent, total.income], note: 占比}
  - {le: [total.spent, total.income], severity: warning}
statements:
  - {node: total, measure: count, printed: 163家, line: 3}
""",
    """\
case: fuzz2
sources:
  r: {path: report.txt}
nodes:
  - id: fund
    unit: 万元
    measures: {budget: [1亿元 @1 exact, 10000 @1], arranged: 约7.3亿元 @1}
    children:
      - id: x
        measures: {arranged: 超过3亿元 @2}
      - {ref: fund2, outside: true}
  - id: fund2
    partial: true
    measures: {arranged: 100余家 @3}
transfers:
  - {from: fund, to: fund2, amount: 2亿元 @2}
invariants:
  - id: cap
    description: 上限
    where: {id: "fund*", has: [arranged]}
    expr: arranged <= 2 * budget + 1% * 3亿元
waivers:
  - {rule: parts-sum, node: fund, reason: 报告未列明细}
rules: default
""",
)

_ALPHABET = (
    "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\u2028\ufeff\ud800\udfff\U0001f600"
    ":,-[]{}&*!|>'\"#%@?\n\t  \\$.()<=+/^"
    "0123456789" "约近超过不余多以上亿万元%家个" "abcxyz"
)
_EXPRESSION_TOKENS = (
    "arranged", "budget", "parent", "children", "sum", "min", "max", "abs", "count", "$fund.budget",
    "$nowhere.x", "1%", "2", "0", "3亿元", "7.3", "(", ")", "+", "-", "*", "/", "<=", ">=", "==", "<",
    ">", "!=", "and", "or", "not", ".", ",", "__import__", "'os'", "lambda", "[", "]", "9" * 50,
    "1e999999", "%", "$", "if", "else",
)


def mutate(text: str, rng: random.Random) -> str:
    """A few random edits of ``text``: characters, lines, or a number made huge."""
    for _ in range(rng.randint(1, 4)):
        choice = rng.random()
        at = rng.randrange(len(text) + 1)
        if choice < 0.3:
            text = text[:at] + rng.choice(_ALPHABET) * rng.choice((1, 1, 1, 2, 40)) + text[at:]
        elif choice < 0.5:
            text = text[:at] + text[at + rng.randint(1, 8):]
        elif choice < 0.65:
            text = text[:at] + rng.choice(_ALPHABET) + text[at + 1:]
        elif choice < 0.8:
            lines = text.split("\n")
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            if rng.random() < 0.5:
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif choice < 0.9:
            digits = [m.start() for m in re.finditer(r"[0-9]", text)]
            if digits:
                at = rng.choice(digits)
                text = text[:at] + "9" * rng.choice((20, 400, 5000)) + text[at:]
        else:
            expression = " ".join(rng.choice(_EXPRESSION_TOKENS) for _ in range(rng.randint(1, 12)))
            text = text.replace("arranged <= 2 * budget + 1% * 3亿元", expression.replace("\n", " "), 1)
    return text


def random_case(rng: random.Random) -> str:
    return mutate(rng.choice(SEEDS), rng)


def random_figure(rng: random.Random) -> str:
    seeds = ("7366.183万元", "约7.3亿元", "超过66.6%", "100余次", "1,234,567元", "-5.2%", "不超过500万元", "９９.６％")
    return mutate(rng.choice(seeds), rng)[:200]


def check_case_text(text: str, folder: str) -> str:
    """``"ok"`` or ``"error"`` for a clean outcome of loading and checking ``text``; raises otherwise."""
    path = os.path.join(folder, "case.yaml")
    try:
        case = fiscalcheck.loads(text, path)
    except CaseError as error:
        assert_one_line(error)
        return "error"
    report = case.check()
    for finding in report.findings:
        str(finding.message)
    return "ok"


def check_figure_text(text: str) -> str:
    """``"ok"`` when ``text`` reads as a figure that prints back as itself; ``"error"`` for a clean refusal."""
    try:
        figure = fiscalcheck.parse_figure(text)
    except FigureError as error:
        message = str(error)
        assert "\n" not in message and message, f"a figure error off one line: {message!r}"
        return "error"
    again = fiscalcheck.parse_figure(str(figure))
    assert again == figure, f"{text!r} reads as {figure!r}, which prints as {str(figure)!r} and reads back as {again!r}"
    return "ok"


def check_cli(text: str, folder: str, command: str = "run") -> str:
    """Run ``fiscalcheck <command>`` on ``text`` written to a file: exit 0/1, or 2 with clean lines."""
    from fiscalcheck.cli import main

    path = os.path.join(folder, "case.yaml")
    with open(path, "w", encoding="utf-8", errors="surrogatepass") as handle:
        handle.write(text)
    err, out = io.StringIO(), io.StringIO()
    with redirect_stderr(err), redirect_stdout(out):
        try:
            status = main([command, path])
        except SystemExit as exit:  # argparse
            status = exit.code
    assert status in (0, 1, 2), f"exit status {status!r}"
    if status == 2:
        lines = err.getvalue().strip().splitlines()
        assert lines, "exit 2 with nothing on stderr"
        for line in lines:
            assert ONE_LINE.match(line), f"not one 'file:line:column: message' line: {line!r}"
        return "error"
    return "ok"


def assert_one_line(error: CaseError) -> None:
    assert error.problems, "a CaseError with no problem"
    for problem in error.problems:
        line = str(problem)
        assert ONE_LINE.match(line), f"not one 'file:line:column: message' line: {line!r}"


def workspace() -> tempfile.TemporaryDirectory:
    """A folder holding the report every seed cites."""
    folder = tempfile.TemporaryDirectory(prefix="fiscalcheck-fuzz-")
    with open(os.path.join(folder.name, "report.txt"), "w", encoding="utf-8") as handle:
        handle.write(REPORT)
    return folder
