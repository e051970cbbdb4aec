"""Custom invariants: the expression language (fiscalcheck.rules.expression) and its evaluation
(fiscalcheck.rules.invariants), held to the built-ins' interval semantics."""

from __future__ import annotations

import builtins
import re
import json
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal
from decimal import Context as DecimalContext
from unittest import mock

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from fiscalcheck import CaseError, Case, Node, Policy, Source, Statement, loads
from fiscalcheck.rules.invariants import Invariant, Selector
from fiscalcheck.api import check
from fiscalcheck.rules import rule_by_id
from fiscalcheck.rules.expression import ExpressionError, parse
from fiscalcheck.numbers import Interval
from fiscalcheck.inputs import loads_pack

SOURCES = {"report": Source("report", "report.txt")}


def s(text, line=1, **kw):
    return Statement.of(text, line=line, **kw)


def run(case, *invariants):
    """Every check the given invariants make on ``case``, without the built-ins."""
    return check(case, tuple(i.rule for i in invariants)).checks


def by_node(findings):
    return {f.node: f for f in findings}


def verdicts(findings):
    return {f.node: (f.holds, f.exact, f.difference, f.tolerance) for f in findings}


# -- strategies ------------------------------------------------------------------

QUALIFIERS = ("", "", "", "约", "近")
POLICIES = st.builds(
    Policy,
    rounding=st.sampled_from(["nearest", "truncate"]),
    about=st.sampled_from(["0.5", "1", "0.2"]),
)


@st.composite
def printed(draw, value: Decimal, unit: str = "万元", qualifiers=QUALIFIERS, exact=True):
    """``value`` as a report might print it: rounded to some places, sometimes with 约/近, maybe exact."""
    places = draw(st.integers(0, 3))
    mode = draw(st.sampled_from([ROUND_HALF_EVEN, ROUND_DOWN]))
    shown = value.quantize(Decimal(1).scaleb(-places), rounding=mode)
    qualifier = draw(st.sampled_from(qualifiers))
    flag = draw(st.sampled_from([None, True, False])) if exact and not qualifier else None
    return s(f"{qualifier}{shown:f}{unit}", draw(st.integers(1, 999)), exact=flag)


AMOUNTS = st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False)
POSITIVE = st.decimals(min_value=1, max_value=10**6, places=3, allow_nan=False, allow_infinity=False)
#: Small slips a printed total may carry: none, within rounding, a little beyond.
SLIPS = st.sampled_from(["0", "0", "0.001", "-0.004", "0.05", "-0.5", "0.6", "3", "-12.5"]).map(Decimal)


@st.composite
def rollup_case(draw, partial=False):
    """A fund of 1-5 children (the first sometimes with children of its own); totals near their sums."""
    policy = draw(POLICIES)
    leaves = draw(st.lists(AMOUNTS, min_size=1, max_size=5))
    nodes = {}
    children = []
    for i, amount in enumerate(leaves):
        child = f"item-{i}"
        grandchildren = ()
        if i == 0 and draw(st.booleans()):
            parts = draw(st.lists(AMOUNTS, min_size=1, max_size=3))
            for j, part in enumerate(parts):
                nodes[f"item-0-{j}"] = Node(f"item-0-{j}", measures={"arranged": (draw(printed(part)),)})
            grandchildren = tuple(f"item-0-{j}" for j in range(len(parts)))
            amount = sum(parts) + draw(SLIPS)
        nodes[child] = Node(child, measures={"arranged": (draw(printed(abs(amount))),)}, children=grandchildren)
        children.append(child)
    total = abs(sum(leaves) + draw(SLIPS))
    nodes["fund"] = Node("fund", kind="fund", measures={"arranged": (draw(printed(total)),)},
                         children=tuple(children), partial=partial)
    return Case("rollup", SOURCES, nodes, policy=policy)


@st.composite
def execution_case(draw):
    """Funds printing budget, executed, rate and remainder, each near what the others make of it."""
    policy = draw(POLICIES)
    nodes = {}
    for i in range(draw(st.integers(1, 4))):
        budget = draw(POSITIVE)
        executed = abs(budget * draw(st.sampled_from(["0.5", "0.996", "1", "1.0004", "1.2"]).map(Decimal)) + draw(SLIPS))
        rate = (executed / budget * 100 + draw(SLIPS)).quantize(Decimal("0.1"))
        remainder = abs(budget - executed + draw(SLIPS))
        bounded = ("", "", "约")  # a one-sided budget has no rate: see test_rate_and_its_expression_agree
        nodes[f"fund-{i}"] = Node(f"fund-{i}", kind="fund", measures={
            "budget": (draw(printed(budget, qualifiers=bounded)),),
            "executed": (draw(printed(executed)),),
            "rate": (s(f"{abs(rate):f}%", 9),),
            "remainder": (draw(printed(remainder)),),
        })
    return Case("execution", SOURCES, nodes, policy=policy)


# -- a custom expression gives the built-in rule's verdict -----------------------


@given(rollup_case())
def test_parts_sum_and_its_expression_agree(case):
    builtin = check(case, (rule_by_id("parts-sum"),)).checks
    custom = run(case, Invariant.of("sum-of-parts", "arranged == sum(children.arranged)"))
    assert verdicts(custom) == verdicts(builtin)


@given(rollup_case(partial=True))
def test_a_partial_list_and_its_expression_agree(case):
    builtin = [f for f in check(case, (rule_by_id("parts-sum"),)).checks if f.node == "fund"]
    custom = run(case, Invariant.of("at-least-parts", "arranged >= sum(children.arranged)",
                                    where=Selector.of(kind="fund")))
    assert verdicts(custom) == verdicts(builtin)


@given(execution_case())
def test_within_budget_and_its_expression_agree(case):
    builtin = check(case, (rule_by_id("within-budget"),)).checks
    custom = run(case, Invariant.of("spent-within", "executed <= budget"))
    assert verdicts(custom) == verdicts(builtin)


@given(execution_case())
def test_rate_and_its_expression_agree(case):
    """Budgets are bounded here: the built-in refuses a one-sided divisor, the expression can bound it."""
    builtin = check(case, (rule_by_id("rate"),)).checks
    custom = run(case, Invariant.of("rate-as-printed", "rate == executed / budget"))
    assert {n: v[0] for n, v in verdicts(custom).items()} == {n: v[0] for n, v in verdicts(builtin).items()}
    assert verdicts(custom) == verdicts(builtin)


@given(execution_case())
def test_remainder_and_its_expression_agree(case):
    builtin = check(case, (rule_by_id("remainder"),)).checks
    custom = run(case, Invariant.of("what-is-left", "remainder == budget - executed"))
    assert verdicts(custom) == verdicts(builtin)


# -- a rounded printed figure never raises a false alarm -------------------------


def rounded(draw, true: Decimal, unit: str) -> Statement:
    """Print a true value the way reports do: to some places, by rounding or truncation."""
    places = draw(st.integers(0, 2))
    truncate = draw(st.booleans())
    shown = true.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN if truncate else ROUND_HALF_EVEN)
    return s(f"{shown:f}{unit}", 1, rounding="truncate" if truncate else "nearest")


@given(st.data(), st.lists(AMOUNTS, min_size=1, max_size=4), POSITIVE,
       st.decimals(min_value=0, max_value=1, places=6, allow_nan=False, allow_infinity=False))
def test_true_relations_hold_on_their_rounded_printings(data, parts, budget, fee_share):
    """Whatever the true values, if the relation is true of them it holds of any rounded printing."""
    fees = (budget * fee_share / 100)  # at most 1% of the budget, exactly
    total = sum(parts)
    executed = total + fees
    nodes = {f"p{i}": Node(f"p{i}", measures={"arranged": (rounded(data.draw, p, "万元"),)}) for i, p in enumerate(parts)}
    nodes["fees"] = Node("fees", measures={"arranged": (rounded(data.draw, fees, "万元"),)})
    nodes["fund"] = Node("fund", kind="fund", children=(*(f"p{i}" for i in range(len(parts))), "fees"), measures={
        "arranged": (rounded(data.draw, executed, "万元"),),
        "budget": (rounded(data.draw, budget, "万元"),),
        "rate": (rounded(data.draw, executed / budget * 100, "%"),),
    })
    case = Case("true", SOURCES, nodes)
    invariants = [
        Invariant.of("sum", "arranged == sum(children.arranged)"),
        Invariant.of("fee-cap", "arranged <= 1% * parent.budget", where=Selector.of(id="fees")),
        Invariant.of("rate", "rate == arranged / budget"),
        Invariant.of("parts", "max(children.arranged) <= arranged"),
    ]
    findings = run(case, *invariants)
    assert findings and all(f.holds for f in findings), [f.message for f in findings if not f.holds]


# -- units: the verdict does not depend on the unit a report prints in -----------


SCALES = {"元": 0, "万元": -4, "亿元": -8}
EXPRESSIONS = (
    "arranged == sum(children.arranged)",
    "fees <= 1% * budget",
    "arranged <= 2000万元",
    "arranged / budget >= 95%",
    "abs(arranged - budget) <= 10万元",
    "max(children.arranged) * 2 <= arranged + 1元",
    "budget - arranged >= 0",
)


@given(st.data(), POLICIES, st.sampled_from(["0", "0", "1", "500"]))
def test_a_verdict_is_the_same_in_yuan_wan_and_yi(data, policy, floor):
    yuan = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
    values = {name: data.draw(yuan) for name in ("budget", "arranged", "fees", "a", "b")}
    values["arranged"] = data.draw(st.sampled_from([values["arranged"], values["a"] + values["b"], values["budget"]]))
    qualifiers = {name: data.draw(st.sampled_from(QUALIFIERS + ("超过", "不超过"))) for name in values}
    flags = {name: data.draw(st.sampled_from([None, True])) for name in values}

    def case_in(unit):
        def st_(name):
            value = values[name].scaleb(SCALES[unit])
            exact = None if qualifiers[name] else flags[name]
            return (s(f"{qualifiers[name]}{value:f}{unit}", 1, exact=exact),)

        nodes = {
            "a": Node("a", measures={"arranged": st_("a")}),
            "b": Node("b", measures={"arranged": st_("b")}),
            "fund": Node("fund", kind="fund", children=("a", "b"),
                         measures={"budget": st_("budget"), "arranged": st_("arranged"), "fees": st_("fees")}),
        }
        return Case("units", SOURCES, nodes, policy=Policy(policy.rounding, policy.about, floor=floor))

    invariants = [Invariant.of(f"x{i}", text, where=Selector.of(id="fund")) for i, text in enumerate(EXPRESSIONS)]
    outcomes = {unit: [(f.rule, f.holds) for f in run(case_in(unit), *invariants)] for unit in SCALES}
    assert outcomes["元"] == outcomes["万元"] == outcomes["亿元"]


# -- the parser refuses what is not the language, and never runs it --------------

DANGEROUS = (
    "__import__('os')", "x.__class__", "().__class__.__bases__", "lambda x: x", "[x for x in y]",
    "{k: v for k in y}", "(x for x in y)", ";", "`", "__dict__", "__builtins__", "import os",
    "exec('1')", "eval('1')", "open('/etc/passwd')", "getattr(x, 'y')", "a if b else c", "**",
    "\\", "'s'", '"s"', "#", "@", ":", "os.system('ls')", "x[0]", "!", "f'{x}'", "globals()",
    "sum.__call__", "budget.real", "budget()", "`id`", "__", "del x", "yield", "not x", "x or y",
)
VALID = ("executed <= budget", "arranged <= 1% * parent.budget", "sum(children.amount) == amount",
         "$hitech.budget >= 2000万元", "abs(a - b) <= 1万元")


@st.composite
def dangerous_text(draw):
    fragments = draw(st.lists(st.sampled_from(DANGEROUS), min_size=1, max_size=3))
    how = draw(st.sampled_from(["alone", "joined", "inserted"]))
    if how == "alone":
        return fragments[0]
    if how == "joined":
        joiner = draw(st.sampled_from(["", " ", " <= ", " + ", "."]))
        return joiner.join(fragments)
    text = draw(st.sampled_from(VALID))
    for fragment in fragments:
        at = draw(st.integers(0, len(text)))
        if fragment.replace(" ", "").isalnum():
            fragment = f" {fragment} "  # a bare word glued to a name is only a longer name (yieldexecuted)
        text = text[:at] + fragment + text[at:]
    return text


def _never(*args, **kwargs):  # pragma: no cover - reaching it is the failure
    raise AssertionError("the expression parser must never evaluate code")


@given(dangerous_text())
def test_dangerous_text_is_refused_at_load_time_and_never_evaluated(text):
    with mock.patch.object(builtins, "eval", _never), mock.patch.object(builtins, "exec", _never), \
            mock.patch.object(builtins, "compile", _never), mock.patch.object(builtins, "__import__", _never):
        with pytest.raises(ExpressionError):
            parse(text)
    pack = f"pack: p\ninvariants:\n  - id: x\n    expr: {json.dumps(text)}\n"
    with pytest.raises(CaseError) as caught:
        loads_pack(pack, "p.yaml")
    (problem,) = caught.value.problems
    assert str(problem).startswith("p.yaml:4:11: invariant 'x': at column ")


@given(st.sampled_from(VALID))
def test_the_valid_expressions_beside_the_fragments_do_parse(text):
    assert parse(text).source == text


@pytest.mark.parametrize("text, column, words", [
    ("arranged <= 1% * summ(children.arranged)", 18, "unknown function 'summ' (did you mean 'sum'?)"),
    ("Budget >= executed", 1, "(did you mean 'budget'?)"),
    ("support <= 2000万", 16, "unknown unit '万' after 2000 (did you mean '万元'?)"),
    ("executed = budget", 10, "use '=='"),
    ("0 <= remainder <= budget", 16, "one comparison per invariant"),
    ("children.amount == amount", 1, "wrap it in sum(...)"),
    ("budget.real >= 0", 7, "'.' may follow only parent, children or a $node-id"),
    ("amount >= 1e5", 12, "numbers are written out in full"),
    ("executed <= budget + ", 21, "the expression ends"),
    ("预算 >= 0", 1, "lowercase latin letters"),
    ("abs(children.x) <= 1", 5, "abs() takes one value"),
    ("x <= ((((((((((((((((((((((((((((((((((((((((((y))))))))))))))))))))))))))))))))))))))))))", 26, "nested"),
])
def test_refusals_name_the_column_and_a_suggestion(text, column, words):
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert caught.value.column == column
    assert words in caught.value.message


def test_full_width_digits_and_operators_read_as_ascii():
    tree = parse("ａｒｒａｎｇｅｄ　＜＝　１％ ＊ parent.budget".replace("ａｒｒａｎｇｅｄ", "arranged")).tree
    assert tree.op == "<=" and tree.right.left.text == "1%"


# -- evaluation: what cannot be computed is a finding, never a crash --------------


CASE = """\
case: fees
sources:
  r: {path: report.txt, text: none}
nodes:
  - id: hitech
    label: 高新技术产业发展引导资金
    kind: fund
    measures: {budget: 8500万元 @216 exact, arranged: 7366.183万元 @218, count: 121个 @218}
    children:
      - {id: hitech-grants, measures: {arranged: 7303.583万元 @246}}
      - {id: hitech-fees, measures: {arranged: 62.6万元 @246}}
invariants:
"""


def load_with(*invariants):
    text = CASE + ("".join(f"  - {{id: i{n}, expr: {json.dumps(e)}}}\n" for n, e in enumerate(invariants)) or "  []\n")
    return loads(text, "fees.yaml")


def test_the_review_fee_cap_of_the_cultural_zone_plan():
    """Line 837: 评审等费用严格控制在1%以内. 62.6万元 is 0.74% of 8500万元."""
    (finding,) = load_with("arranged <= 1% * parent.budget").check().checks[-1:]
    assert finding.holds and finding.exact and finding.rule == "i0"
    assert finding.node == "hitech/hitech-fees" and finding.measure == "arranged"
    assert finding.expected == Decimal("85") and finding.unit == "万元"
    assert [st.line for st in finding.statements] == [246, 216]


@pytest.mark.parametrize("expr, words", [
    ("arranged / (budget - 8500万元) <= 1%", "division by zero"),
    ("count <= budget", "unit mismatch in '<='"),
    ("count >= 100", "write the unit after a number"),
    ("arranged * budget >= 0", "unit mismatch in '*'"),
])
def test_what_cannot_be_evaluated_is_a_finding(expr, words):
    case = load_with(expr)
    (finding,) = [f for f in case.check().checks if f.rule == "i0"]
    assert not finding.holds and words in finding.message
    assert finding.statements  # the figures it tried, for the reader


def test_a_selected_node_without_the_measure_is_a_finding_and_has_skips_it():
    from fiscalcheck.api import check as run_rules

    case = load_with()
    strict = Invariant.of("budgeted", "budget >= 1万元", where=Selector.of(id="hitech*"))
    lenient = Invariant.of("budgeted-where-printed", "budget >= 1万元", where=Selector.of(id="hitech*", has="budget"))
    findings = run_rules(case, (strict.rule, lenient.rule)).checks
    missing = [f for f in findings if f.rule == "budgeted" and not f.holds]
    assert {f.node for f in missing} == {"hitech/hitech-grants", "hitech/hitech-fees"}
    assert all("prints no measure 'budget'" in f.message for f in missing)
    assert [f.node for f in findings if f.rule == "budgeted-where-printed"] == ["hitech"]


def test_a_case_invariant_with_a_typo_is_a_load_error_with_a_suggestion():
    with pytest.raises(CaseError) as caught:
        load_with("arranged <= 1% * parent.budgt", "$hitek.count >= 100个")
    lines = [str(p) for p in caught.value.problems]
    assert lines == [
        "fees.yaml:13:20: invariant 'i0': at column 18 of the expression: no node of the case prints a measure 'budgt' (did you mean 'budget'?)",
        "fees.yaml:14:20: invariant 'i1': at column 1 of the expression: no node 'hitek' (did you mean 'hitech'?)",
    ]


def test_a_global_invariant_is_checked_once():
    findings = [f for f in load_with("$hitech.arranged <= $hitech.budget").check().checks if f.rule == "i0"]
    assert len(findings) == 1 and findings[0].holds and findings[0].node == "hitech"


# -- the interval arithmetic the expressions add ---------------------------------

BOUNDS = st.one_of(st.none(), st.decimals(min_value=-10**6, max_value=10**6, places=3,
                                          allow_nan=False, allow_infinity=False))


@st.composite
def intervals(draw):
    a, b = draw(BOUNDS), draw(BOUNDS)
    if a is not None and b is not None and a > b:
        a, b = b, a
    return Interval(a, b)


@st.composite
def point_in(draw, interval):
    lo = interval.lo if interval.lo is not None else Decimal(-10**7)
    hi = interval.hi if interval.hi is not None else Decimal(10**7)
    return draw(st.decimals(min_value=lo, max_value=hi, places=3, allow_nan=False, allow_infinity=False))


@given(st.data(), intervals(), intervals())
def test_a_product_interval_holds_every_product(data, a, b):
    x, y = data.draw(point_in(a)), data.draw(point_in(b))
    assert x * y in a * b


@given(st.data(), intervals(), intervals())
def test_a_quotient_interval_holds_every_quotient_or_refuses_a_zero_divisor(data, a, b):
    quotient = a.quotient(b)
    if b.contains_zero():
        assert quotient is None
        return
    x, y = data.draw(point_in(a)), data.draw(point_in(b))
    assume(y != 0)
    assert DecimalContext(prec=100).divide(x, y) in quotient


FINITE = st.decimals(min_value=-10**6, max_value=10**6, places=3, allow_nan=False, allow_infinity=False)
POSITIVE_BOUNDS = st.decimals(min_value="0.001", max_value=10**6, places=3, allow_nan=False, allow_infinity=False)


@given(st.tuples(FINITE, FINITE).map(sorted), st.tuples(POSITIVE_BOUNDS, POSITIVE_BOUNDS).map(sorted))
def test_for_a_positive_divisor_quotient_is_the_built_in_division(a, b):
    """So a custom rate and the built-in ``rate`` rule agree to the last digit."""
    a, b = Interval(*a), Interval(*b)
    assert a.quotient(b) == a.divide(b)


# -- units are checked at load time where the literals already tell -----------------

LITERAL_UNITS = ("", "", "%", "万元", "元", "家", "美元", "公里")


@st.composite
def literal_side(draw, depth=0):
    """A side built of literals only: its units are all known when the file is loaded."""
    if depth > 2 or draw(st.integers(0, 2)) == 0:
        return f"{draw(st.sampled_from(['0', '1', '2.5', '100']))}{draw(st.sampled_from(LITERAL_UNITS))}"
    kind = draw(st.sampled_from(["+", "-", "*", "/", "min", "abs", "neg"]))
    a, b = draw(literal_side(depth + 1)), draw(literal_side(depth + 1))
    if kind == "min":
        return f"min({a}, {b})"
    if kind == "abs":
        return f"abs({a})"
    if kind == "neg":
        return f"-({a})"
    return f"({a} {kind} {b})"


@given(literal_side(), st.sampled_from(["==", "<=", ">"]), literal_side())
def test_load_time_unit_checks_agree_with_evaluation(left, op, right):
    """A unit mismatch the literals make is refused at load time exactly when evaluation would find it."""
    from fiscalcheck.rules.invariants import Unevaluable, _Evaluator, _same
    from fiscalcheck.rules.expression import _Parser
    from fiscalcheck.rules.context import Context

    text = f"{left} {op} {right}"
    tree = _Parser(text).invariant()  # the grammar alone, without the unit check
    empty = Case("empty", SOURCES, {})
    try:
        evaluator = _Evaluator(empty, Context(empty), None)
        _same(evaluator.value(tree.left), evaluator.value(tree.right), op)
        evaluated = None
    except Unevaluable as why:
        evaluated = why.message
    try:
        parse(text)
        refused = None
    except ExpressionError as error:
        refused = error.message
    if refused is not None:
        assert evaluated is not None, (text, refused)
    if evaluated is not None and evaluated.startswith("unit mismatch"):
        assert refused is not None and "unit mismatch" in refused, (text, evaluated)


@pytest.mark.parametrize("text, words", [
    ("arranged <= 2000万元 + 5家", "unit mismatch in '+': money in 元 and a count never compare"),
    ("1万元 * 1万元 <= arranged", "money in 元 * money in 元 has no unit"),
    ("arranged / 0 <= 1", "division by zero"),
])
def test_literals_that_never_match_are_load_errors(text, words):
    with pytest.raises(ExpressionError, match=re.escape(words)):
        parse(text)
