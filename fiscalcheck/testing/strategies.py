"""Hypothesis strategies: budget cases that are consistent, and cases with one known mistake.

Why this module exists: a rule is only trustworthy when it stays silent on every
honest report and speaks on every dishonest one. Honest reports are easy to
generate if we do it the way a report is made: choose the *true* values first,
exactly, from the leaves up (draw each item's figures, compute every parent as
the exact sum of its children), and only then *print* them the way reports do —
in 元, 万元 or 亿元, rounded to several precisions, as "约" figures, as "超过"
bounds, the same figure printed twice (an exact annex figure and a rounded
summary figure), items shared by two funds, budgets, adjusted budgets, executed
amounts, rates and remainders. Every printing is then consistent with the truth
by construction, and no example is ever filtered away (pandera's
``specs/optimized-strategies.md`` explains why filtering fails for data with
cross-field invariants).

Each generated case also carries its own *oracle*: the list of relations the
engine is expected to judge (:class:`Check`) and the interval each printing
stands for, worked out here from how the strategy printed it, with exact
rational arithmetic. A mutation (:func:`mutations`) changes one figure or one
list of items and says, from that oracle, which relations can no longer hold —
so a test can demand that the engine finds exactly those, no more, no less.

Public strategies:

* :func:`cases` — :class:`~fiscalcheck.model.Case` objects (also what
  ``st.from_type(Case)`` gives, through the ``hypothesis`` entry point);
* :func:`generated_cases` — :class:`GeneratedCase`: a case with its true values
  and the checks it implies;
* :func:`mutations` — :class:`MutatedCase`: a generated case with one injected
  discrepancy and a :class:`Mutation` describing it;
* :func:`restated_units` and :func:`reordered` — the same case printed in other
  units (exactly, keeping each figure's precision) or listed in another order:
  transformations that must change no verdict.

hypothesis is an optional dependency: ``import fiscalcheck`` never imports this
module, and importing this module imports hypothesis.
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

import attrs


def _hypothesis_setup_hook() -> None:
    """Run by hypothesis at import (the ``hypothesis`` entry point): ``st.from_type(Case)`` works.

    Defined before this module imports hypothesis, on purpose: when this module
    is imported first, importing hypothesis runs its entry points, which find
    this module half-initialized. The hook then does nothing, and the
    registration at the end of the module does the work.
    """
    register = globals().get("_register")
    if register is not None:
        register()


from hypothesis import reject  # noqa: E402 - after the hook, see above
from hypothesis import strategies as st  # noqa: E402
from hypothesis.errors import InvalidArgument  # noqa: E402

from ..api import Case  # noqa: E402
from ..figures import UNITS, Policy, parse_figure  # noqa: E402
from ..model import Node, Ref, Relation, Source, Statement  # noqa: E402
from ..numbers import EXACT  # noqa: E402
from ..record import Record  # noqa: E402

__all__ = [
    "cases",
    "generated_cases",
    "mutations",
    "restated_units",
    "reordered",
    "GeneratedCase",
    "MutatedCase",
    "Mutation",
    "Check",
    "MUTATION_KINDS",
]

#: What :func:`mutations` can inject, each a mistake seen in real reports.
MUTATION_KINDS = (
    "changed-figure",    # a figure printed with other digits (a typo, a stale number)
    "dropped-item",      # an item missing from a list its total still counts
    "duplicated-item",   # an item listed twice
    "unit-slip",         # 万元 printed as 元 or 亿元: a factor of 10^4
    "swapped-digits",    # two adjacent digits swapped: 7366 → 7636
    "wrong-base-rate",   # an execution rate computed on the budget instead of the adjusted budget
)

_MONEY = ("元", "万元", "亿元")
_COUNTS = ("个", "家", "项")
#: Places (as powers of ten, in the printed unit) a plain figure is rounded to.
_PLAIN_PLACES = {"元": (0, -2), "万元": (0, -1, -2, -4, -6), "亿元": (-1, -2, -4)}
#: Places a "约" figure is rounded to: coarser, often above the unit (约8900万元).
_ABOUT_PLACES = {"元": (4, 3, 2), "万元": (2, 1, 0, -1), "亿元": (-1, -2)}
_TEN = Fraction(10)
_SOURCE = "report"
_SOURCE_PATH = os.path.join(os.path.abspath(os.sep), "generated", "report.txt")
_LABELS = (
    "产业发展引导资金", "支持项目", "评审费、审计费等其他费用", "房租补贴", "贷款贴息", "上市奖励",
    "人才奖励", "研发补助", "展会补贴", "老旧小区综合整治", "增设电梯", "文化产业项目",
)

_Span = tuple  # (lo, hi): Fraction bounds, None for an unbounded side


# -- printing: exact true values → the text a report prints -----------------


@attrs.frozen(repr=False, eq=False)
class Printing(Record):
    """One planned statement: its pieces of text and how it must be read.

    ``before + number + between + unit + after`` is the printed text
    (``约`` ``8900`` ``""`` ``万元`` ``""``; ``""`` ``100`` ``余`` ``个`` ``""``).
    """

    number: str
    unit: str
    qualifier: str | None = None
    before: str = ""
    between: str = ""
    after: str = ""
    exact: bool | None = None
    rounding: str | None = None
    line: int = 1

    @property
    def text(self) -> str:
        return f"{self.before}{self.number}{self.between}{self.unit}{self.after}"

    @property
    def value(self) -> Decimal:
        return Decimal(self.number.replace(",", ""))


def _pow10(exponent: int) -> Fraction:
    return _TEN ** exponent


def _rounded(x: Fraction, exponent: int, mode: str) -> Decimal:
    """``x`` rounded to a multiple of 10**exponent, exactly, as a Decimal with that exponent."""
    q = x / _pow10(exponent)
    if mode == "floor":
        n = math.floor(q)
    elif mode == "ceiling":
        n = math.ceil(q)
    else:  # half up, as printed reports round
        n = math.floor(q + Fraction(1, 2))
    return EXACT.scaleb(Decimal(n), exponent)


def _exact_decimal(x: Fraction) -> Decimal | None:
    """``x`` as an exact Decimal when its denominator is 2^a·5^b (it always is for money here)."""
    for k in range(0, 13):
        scaled = x * _pow10(k)
        if scaled.denominator == 1:
            return EXACT.scaleb(Decimal(scaled.numerator), -k)
    return None


def _digits(value: Decimal, commas: bool = False) -> str:
    return f"{value:,f}" if commas else f"{value:f}"


def _plain_text(value: Decimal) -> str:
    """The shortest plain text of an exact value: 8500, 7366.183 (never 8.5E+3)."""
    return f"{value.normalize():f}" if value != 0 else "0"


def _roll(draw, percent: int) -> bool:
    """True with about ``percent``% chance; shrinks toward False (the simpler case)."""
    return draw(st.integers(0, 99)) >= 100 - percent


def _fits(truth: Fraction, scale: Fraction, exponent: int) -> bool:
    """A place that leaves at least two significant digits of ``truth`` (no '0.00亿元')."""
    return _pow10(exponent) * scale * 10 <= truth


def _scale(unit: str) -> Fraction:
    return Fraction(UNITS[unit].scale)


def _print_money(draw, truth: Fraction, *, rounding: str, one_sided: bool, exact_policy: bool) -> Printing:
    """A money figure printed as a report would, consistent with ``truth`` (in 元)."""
    plain = [(u, p) for u in _MONEY for p in _PLAIN_PLACES[u] if _fits(truth, _scale(u), p)]
    about = [(u, p) for u in _MONEY for p in _ABOUT_PLACES[u] if _fits(truth, _scale(u), p)]
    roll = draw(st.integers(0, 99))
    style = ("plain" if roll < 45 else "exact" if roll < 70 else "about" if roll < 88
             else ("nearly" if roll < 94 else "over") if one_sided else "plain")
    if style == "about" and not about or style != "exact" and not plain:
        style = "exact"  # too small a figure to round (a remainder of a few yuan)
    if style == "exact":
        units = [u for u in _MONEY if (e := _exact_decimal(truth / _scale(u))) is not None
                 and -e.as_tuple().exponent <= 6 and (truth == 0 or truth / _scale(u) >= Fraction(1, 100))]
        unit = draw(st.sampled_from(units))
        value = _exact_decimal(truth / _scale(unit))
        declared = draw(st.sampled_from((None, True))) if not exact_policy else None
        return Printing(_plain_text(value), unit, exact=declared)
    if style == "about":
        unit, place = draw(st.sampled_from(about))
        value = _rounded(truth / _scale(unit), place, "floor" if rounding == "truncate" else "nearest")
        if draw(st.booleans()):
            return Printing(_digits(value), unit, "about", after="左右")
        return Printing(_digits(value), unit, "about", before="约")
    unit, place = draw(st.sampled_from(plain))
    if style == "nearly":
        value = _rounded(truth / _scale(unit), place, "ceiling")
        return Printing(_digits(value), unit, "nearly", before="近")
    if style == "over":
        value = _rounded(truth / _scale(unit), place, "floor")
        if draw(st.booleans()):
            return Printing(_digits(value), unit, "over", before="超过")
        return Printing(_digits(value), unit, "over", between="余")
    mode = rounding
    flag = None
    if _roll(draw, 10):  # this figure rounded the other way, and says so
        mode = flag = "truncate" if rounding == "nearest" else "nearest"
    value = _rounded(truth / _scale(unit), place, "floor" if mode == "truncate" else "nearest")
    commas = abs(value) >= 10000 and _roll(draw, 15)
    exact = False if exact_policy and Fraction(value) * _scale(unit) != truth else None
    return Printing(_digits(value, commas), unit, exact=exact, rounding=flag)


def _print_count(draw, truth: Fraction, *, rounding: str, one_sided: bool) -> Printing:
    unit = draw(st.sampled_from(_COUNTS))
    if one_sided and truth >= 20 and _roll(draw, 15):
        value = _rounded(truth, 1, "floor")
        if draw(st.booleans()):
            return Printing(_digits(value), unit, "over", between="余")
        return Printing(_digits(value), unit, "over", before="超过")
    if truth >= 100 and _roll(draw, 10):
        value = _rounded(truth, 1, "floor" if rounding == "truncate" else "nearest")
        return Printing(_digits(value), unit, "about", before="约")
    return Printing(str(truth.numerator), unit)


def _print_ratio(draw, truth: Fraction, *, rounding: str) -> Printing:
    """A rate or share, printed in %: 99.6%, 99.63%, 100%, 约99.6%, 近50%."""
    percent = truth * 100
    roll = draw(st.integers(0, 99))
    places = [p for p in (-1, -2, 0) if _pow10(p) * 10 <= percent]
    finest = -2
    while not places:  # a tiny share, 0.0012%: two significant digits
        finest -= 1
        places = [finest] if _pow10(finest) * 10 <= percent else []
    place = draw(st.sampled_from(places))
    if roll >= 90:
        return Printing(_digits(_rounded(percent, place, "ceiling")), "%", "nearly", before="近")
    if roll >= 80:
        value = _rounded(percent, place, "floor" if rounding == "truncate" else "nearest")
        return Printing(_digits(value), "%", "about", before="约")
    mode = rounding
    flag = None
    if _roll(draw, 10):
        mode = flag = "truncate" if rounding == "nearest" else "nearest"
    value = _rounded(percent, place, "floor" if mode == "truncate" else "nearest")
    return Printing(_digits(value), "%", rounding=flag)


# -- the plan: nodes and their printings, before they become a Case -----------


@attrs.frozen(repr=False, eq=False)
class _PNode(Record):
    id: str
    label: str
    kind: str
    children: tuple[str, ...]
    measures: tuple[tuple[str, tuple[Printing, ...]], ...]

    def measure(self, name: str) -> tuple[Printing, ...]:
        for key, printings in self.measures:
            if key == name:
                return printings
        return ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.measures)


@attrs.frozen(repr=False, eq=False)
class _Plan(Record):
    nodes: tuple[_PNode, ...]
    shares: tuple[tuple[str, str], ...]  # (child, parent): child.share = child.executed / parent.executed
    policy: Policy

    def node(self, node_id: str) -> _PNode:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def replace(self, node: _PNode) -> "_Plan":
        return attrs.evolve(self, nodes=tuple(node if n.id == node.id else n for n in self.nodes))


@attrs.frozen(repr=False, eq=False)
class Check(Record):
    """A relation the engine is expected to judge: its rule, where, and the figures it rests on.

    ``uses`` are the ``(node, measure)`` pairs whose printings enter the
    relation; a mistake in any of them can make it fail, and nothing else can.
    """

    rule: str
    node: str
    measure: str
    uses: frozenset = attrs.field(eq=False, repr=False, default=frozenset())

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.rule, self.node, self.measure)


def _significant_exponent(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    if value == 0:
        return exponent
    return max(value.normalize().as_tuple().exponent, exponent)


def _printed_interval(p: Printing, measure: str, policy: Policy) -> _Span:
    """What a printing stands for, in base units, as docs/case-format.md's *Precision* table says.

    Restated here on purpose rather than imported from fiscalcheck.tolerance:
    the oracle must be an independent reading of the spec, or it checks nothing.
    """
    value = Fraction(p.value)
    scale = _scale(p.unit)
    sig = _pow10(_significant_exponent(p.value))
    place = _pow10(p.value.as_tuple().exponent)
    if p.qualifier == "about":
        half = Fraction(policy.about) * sig
        if (p.rounding or policy.rounding) == "truncate":  # 约 a truncated figure: all the width above
            lo, hi = value, value + 2 * half
        else:
            lo, hi = value - half, value + half
    elif p.qualifier == "nearly":
        lo, hi = value - sig, value
    elif p.qualifier == "over":
        return (value * scale, None)
    else:
        if p.exact is not None:
            exact = p.exact
        else:
            exact = measure in policy.exact or (
                UNITS[p.unit].dimension == "count" and value.denominator == 1)
        if exact:
            lo = hi = value
        elif (p.rounding or policy.rounding) == "truncate":
            lo, hi = value, value + place
        else:
            lo, hi = value - place / 2, value + place / 2
    return (lo * scale, hi * scale)


def _joint(intervals: Sequence[_Span]) -> _Span:
    """The values every printing allows; their hull when they disagree (as the engine reads them)."""
    lo = max((i[0] for i in intervals if i[0] is not None), default=None)
    his = [i[1] for i in intervals if i[1] is not None]
    hi = min(his) if his else None
    if lo is not None and hi is not None and lo > hi:
        los = [i[0] for i in intervals]
        his = [i[1] for i in intervals]
        return (None if None in los else min(los), None if None in his else max(his))
    return (lo, hi)


def _add(a: _Span, b: _Span) -> _Span:
    return (None if a[0] is None or b[0] is None else a[0] + b[0],
            None if a[1] is None or b[1] is None else a[1] + b[1])


def _sub(a: _Span, b: _Span) -> _Span:
    return (None if a[0] is None or b[1] is None else a[0] - b[1],
            None if a[1] is None or b[0] is None else a[1] - b[0])


def _div(a: _Span, b: _Span) -> _Span | None:
    if b[0] is None or b[1] is None or b[0] <= 0:
        return None
    return (None if a[0] is None else min(a[0] / b[0], a[0] / b[1]),
            None if a[1] is None else max(a[1] / b[0], a[1] / b[1]))


def _meet(a: _Span, b: _Span | None) -> bool:
    if b is None:
        return False
    return not ((a[1] is not None and b[0] is not None and a[1] < b[0])
                or (b[1] is not None and a[0] is not None and b[1] < a[0]))


def _at_most(a: _Span, b: _Span) -> bool:
    return a[0] is None or b[1] is None or a[0] <= b[1]


def _base_name(node: _PNode) -> str | None:
    for name in ("adjusted", "budget"):
        if node.measure(name):
            return name
    return None


_ADDITIVE = ("executed", "budget", "adjusted", "remainder", "count")


def _judged(plan: _Plan) -> list[tuple[Check, bool]]:
    """Every relation the plan implies, and whether the printed intervals let it hold.

    Mirrors the built-in rules (docs/case-format.md, *Roll-ups* and *Built-in
    relations on one node*) in exact rational arithmetic.
    """
    by_id = {n.id: n for n in plan.nodes}
    cache: dict[tuple[str, str], _Span] = {}

    def q(node_id: str, measure: str) -> _Span:
        key = (node_id, measure)
        if key not in cache:
            printings = by_id[node_id].measure(measure)
            cache[key] = _joint([_printed_interval(p, measure, plan.policy) for p in printings])
        return cache[key]

    out: list[tuple[Check, bool]] = []
    for node in plan.nodes:
        for measure, printings in node.measures:
            if len(printings) > 1:
                intervals = [_printed_interval(p, measure, plan.policy) for p in printings]
                holds = all(_meet(a, b) for a in intervals for b in intervals)
                out.append((Check("statements-agree", node.id, measure, frozenset({(node.id, measure)})), holds))
    for node in plan.nodes:
        children = [by_id[c] for c in node.children]
        if not children:
            continue
        for measure in node.names:
            if measure not in _ADDITIVE or not all(c.measure(measure) for c in children):
                continue
            total = q(children[0].id, measure)
            for child in children[1:]:
                total = _add(total, q(child.id, measure))
            uses = frozenset({(node.id, measure), *((c.id, measure) for c in children)})
            out.append((Check("parts-sum", node.id, measure, uses), _meet(q(node.id, measure), total)))
    for node in plan.nodes:
        base = _base_name(node)
        if not node.measure("executed") or base is None:
            continue
        uses = frozenset({(node.id, "executed"), (node.id, base)})
        out.append((Check("within-budget", node.id, "executed", uses),
                    _at_most(q(node.id, "executed"), q(node.id, base))))
    for node in plan.nodes:
        base = _base_name(node)
        if node.measure("rate") and node.measure("executed") and base:
            uses = frozenset({(node.id, "rate"), (node.id, "executed"), (node.id, base)})
            out.append((Check("rate", node.id, "rate", uses),
                        _meet(q(node.id, "rate"), _div(q(node.id, "executed"), q(node.id, base)))))
    for node in plan.nodes:
        base = _base_name(node)
        if node.measure("remainder") and node.measure("executed") and base:
            uses = frozenset({(node.id, "remainder"), (node.id, "executed"), (node.id, base)})
            out.append((Check("remainder", node.id, "remainder", uses),
                        _meet(q(node.id, "remainder"), _sub(q(node.id, base), q(node.id, "executed")))))
    for child, parent in plan.shares:
        uses = frozenset({(child, "share"), (child, "executed"), (parent, "executed")})
        out.append((Check("share", child, "share", uses),
                    _meet(q(child, "share"), _div(q(child, "executed"), q(parent, "executed")))))
    return out


def _without_unknowable_quotients(plan: _Plan) -> _Plan:
    """Drop a printed rate or share whose divisor, as printed, may be zero (约1万元 with ``about: 1``
    stands for [0, 2]万元): no report's figures can confirm it, and the engine says so."""
    for check, holds in _judged(plan):
        if holds or check.rule not in ("rate", "share"):
            continue
        node = plan.node(check.node)
        plan = plan.replace(attrs.evolve(node, measures=tuple(m for m in node.measures if m[0] != check.measure)))
        if check.rule == "share":
            plan = attrs.evolve(plan, shares=tuple(s for s in plan.shares if s[0] != check.node))
    return plan


def _build(plan: _Plan, case_id: str = "generated") -> Case:
    nodes = {}
    for n in plan.nodes:
        measures = {
            name: tuple(
                Statement(p.text, parse_figure(p.text), _SOURCE, p.line, p.exact, p.rounding)
                for p in printings
            )
            for name, printings in n.measures
        }
        nodes[n.id] = Node(id=n.id, label=n.label, kind=n.kind, measures=measures, children=n.children)
    relations = tuple(
        Relation("share", Ref(child, "share"), (Ref(child, "executed"), Ref(parent, "executed")))
        for child, parent in plan.shares
    )
    return Case(
        id=case_id, title="生成的预算执行情况",
        sources={_SOURCE: Source(_SOURCE, _SOURCE_PATH, "generated report", has_text=False)},
        nodes=nodes, relations=relations, policy=plan.policy,
    )


# -- generated cases -------------------------------------------------------


@attrs.frozen(repr=False, eq=False)
class GeneratedCase(Record):
    """A consistent case, with the truth it was printed from and the checks it implies.

    ``truth`` maps ``(node, measure)`` to the exact true value in base units
    (元, a count, a ratio), as a :class:`fractions.Fraction`: a rate such as
    2/3 has no exact Decimal, and nothing here may round. ``checks`` is every
    relation the built-in rules judge on ``case``, each expected to hold.
    """

    case: Case
    truth: Mapping[tuple[str, str], Fraction] = attrs.field(repr=False)
    checks: tuple[Check, ...] = attrs.field(repr=False)
    plan: _Plan = attrs.field(repr=False, eq=False)


@attrs.frozen(repr=False, eq=False)
class Mutation(Record):
    """One injected discrepancy, described so a test can hold the engine to it.

    ``node`` and ``measure`` name the figure changed (``measure`` is ``None``
    for an item dropped from, or duplicated in, ``node``'s list of children);
    ``line`` is the printed line of the changed statement, ``before``/``after``
    its text. ``moved`` says whether the printing no longer stands for the true
    value. ``beyond_tolerance`` whether the change is larger than the printed
    precision of some relation it enters allows: then ``expected`` lists the
    relations that must fail, and a sound engine finds exactly those. A
    mutation with ``beyond_tolerance`` false cannot be detected from the
    printed figures; ``relations`` (how many relations the figure enters)
    tells why: 0 means no relation involves it at all.
    """

    kind: str
    node: str
    measure: str | None
    line: int | None
    before: str
    after: str
    moved: bool
    beyond_tolerance: bool
    expected: tuple[Check, ...] = ()
    relations: int = 0


@attrs.frozen(repr=False, eq=False)
class MutatedCase(Record):
    """A generated case after one :class:`Mutation`; ``original`` is the consistent case."""

    case: Case
    original: GeneratedCase = attrs.field(repr=False)
    mutation: Mutation


def _check_size(name: str, low: int, high: int, floor: int) -> None:
    if not (isinstance(low, int) and isinstance(high, int)) or low < floor or high < low:
        raise InvalidArgument(f"{name}: expected whole numbers {floor} <= min <= max, got {low}, {high}")


@st.composite
def _shape(draw, min_size: int, max_size: int, min_depth: int, max_depth: int, shared: bool):
    """Parents and children of ``size`` nodes, the deepest leaf exactly ``depth`` levels down."""
    depth = draw(st.integers(min_depth, max_depth))
    size = draw(st.integers(max(min_size, depth + 1), max_size))
    parent: list[int | None] = [None]
    level = [0]
    for i in range(1, depth + 1):  # a chain to the requested depth
        parent.append(i - 1)
        level.append(i)
    for _ in range(depth + 1, size):
        open_nodes = [j for j in range(len(level)) if level[j] < depth]
        if not open_nodes or _roll(draw, 10):
            parent.append(None)
            level.append(0)
        else:
            j = draw(st.sampled_from(open_nodes))
            parent.append(j)
            level.append(level[j] + 1)
    children: list[list[int]] = [[] for _ in range(size)]
    for i, p in enumerate(parent):
        if p is not None:
            children[p].append(i)
    if shared and _roll(draw, 30):
        def ancestors(i: int) -> set[int]:
            found = set()
            while parent[i] is not None:
                i = parent[i]
                found.add(i)
            return found

        pairs = [(leaf, p) for leaf in range(size) if not children[leaf] and parent[leaf] is not None
                 for p in range(size) if children[p] and p not in ancestors(leaf) and p != leaf]
        if pairs:
            leaf, p = draw(st.sampled_from(pairs))
            children[p].append(leaf)  # one item counted under two funds: a shared node
    return children, parent


@st.composite
def _leaf_amount(draw) -> tuple[Fraction, int]:
    """An executed amount in 元 between 1万元 and 100亿元, and its granularity (a power of ten)."""
    magnitude = draw(st.integers(4, 9))
    grain = draw(st.sampled_from([g for g in (-2, 0, 2, 4, 6) if g <= magnitude - 1]))
    k = draw(st.integers(10 ** (magnitude - grain), 10 ** (magnitude + 1 - grain) - 1))
    return Fraction(k) * _pow10(grain), grain


@st.composite
def _generated(draw, min_size, max_size, min_depth, max_depth, shared, one_sided):
    children_idx, parent_idx = draw(_shape(min_size, max_size, min_depth, max_depth, shared))
    size = len(children_idx)
    ids = [f"n{i}" for i in range(size)]
    truth: dict[tuple[str, str], Fraction] = {}
    # leaves first: executed, budget, adjusted, count
    for i in range(size):
        if children_idx[i]:
            continue
        executed, grain = draw(_leaf_amount())
        step = _pow10(grain)
        k = executed / step
        budget_mode = draw(st.integers(0, 2))
        if budget_mode == 0:
            budget = executed + step * draw(st.integers(0, int(3 * k)))
        elif budget_mode == 1:  # an approved allocation, a round number
            big = _pow10(draw(st.sampled_from([g for g in (4, 5, 6) if _pow10(g) <= executed])
                               if executed >= 10000 else st.just(grain)))
            budget = Fraction(math.ceil(executed / big)) * big
        else:
            budget = executed
        adjusted = budget if _roll(draw, 40) else executed + step * draw(st.integers(0, int(k)))
        truth[(ids[i], "executed")] = executed
        truth[(ids[i], "budget")] = budget
        truth[(ids[i], "adjusted")] = adjusted
        truth[(ids[i], "count")] = Fraction(draw(st.integers(1, 300)))

    # then every parent, exactly, as the sum of its children (a DAG: memoized)
    def total(i: int, measure: str) -> Fraction:
        key = (ids[i], measure)
        if key not in truth:
            truth[key] = sum((total(c, measure) for c in children_idx[i]), Fraction(0))
        return truth[key]

    for i in range(size):
        for measure in ("executed", "budget", "adjusted", "count"):
            total(i, measure)

    rounding = "truncate" if _roll(draw, 15) else "nearest"
    about = Decimal("1") if _roll(draw, 15) else Decimal("0.5")
    exact_policy = ("budget",) if _roll(draw, 20) else ()
    policy = Policy(rounding=rounding, about=about, exact=exact_policy)

    tree_measures = ["executed"]
    if _roll(draw, 80):
        tree_measures.append("budget")
    if _roll(draw, 30):
        tree_measures.append("adjusted")
    if _roll(draw, 50):
        tree_measures.append("count")
    present: dict[str, list[str]] = {}
    for i in range(size):
        present[ids[i]] = [m for m in tree_measures if not _roll(draw, 10)]
    line = 0

    def statements(draw_one) -> tuple[Printing, ...]:
        nonlocal line
        count = 1 + (1 if _roll(draw, 25) else 0) + (1 if _roll(draw, 5) else 0)
        out = []
        for _ in range(count):
            line += 1 + draw(st.integers(0, 3))
            out.append(attrs.evolve(draw_one(), line=line))
        return tuple(out)

    def money(node_id: str, measure: str, one: bool) -> tuple[Printing, ...]:
        value = truth[(node_id, measure)]
        return statements(lambda: _print_money(
            draw, value, rounding=rounding, one_sided=one, exact_policy=measure in exact_policy))

    nodes: list[_PNode] = []
    shares: list[tuple[str, str]] = []
    base_of: dict[str, str | None] = {}
    for i in range(size):
        node_id = ids[i]
        leaf = not children_idx[i]
        measures: list[tuple[str, tuple[Printing, ...]]] = []
        for measure in present[node_id]:
            if measure == "count":
                measures.append((measure, statements(lambda: _print_count(
                    draw, truth[(node_id, "count")], rounding=rounding, one_sided=one_sided))))
            else:
                one = one_sided and leaf and measure == "executed"
                measures.append((measure, money(node_id, measure, one)))
        names = [m for m, _ in measures]
        base = "adjusted" if "adjusted" in names else "budget" if "budget" in names else None
        base_of[node_id] = base
        if "executed" in names and base:
            ratio = truth[(node_id, "executed")] / truth[(node_id, base)]
            truth[(node_id, "rate")] = ratio
            if _roll(draw, 40):
                measures.append(("rate", statements(lambda: _print_ratio(draw, ratio, rounding=rounding))))
            rest = truth[(node_id, base)] - truth[(node_id, "executed")]
            truth[(node_id, "remainder")] = rest
            if _roll(draw, 20):
                measures.append(("remainder", statements(lambda: _print_money(
                    draw, rest, rounding=rounding, one_sided=False, exact_policy=False))))
        kind = "fund" if parent_idx[i] is None else draw(st.sampled_from(("item", "project")))
        label = draw(st.sampled_from(_LABELS))
        nodes.append(_PNode(node_id, label, kind, tuple(ids[c] for c in children_idx[i]), tuple(measures)))

    # shares: 占X% of a child in its parent's executed amount
    by_id = {n.id: n for n in nodes}
    for n in nodes:
        if not n.measure("executed"):
            continue
        for c in n.children:
            child = by_id[c]
            if child.measure("executed") and not child.measure("share") and _roll(draw, 15):
                ratio = truth[(c, "executed")] / truth[(n.id, "executed")]
                truth[(c, "share")] = ratio
                by_id[c] = child = attrs.evolve(child, measures=(*child.measures, (
                    "share", statements(lambda: _print_ratio(draw, ratio, rounding=rounding)))))
                shares.append((c, n.id))
    # a remainder rolls up only when the parent and its children measure it from the same base
    for n in list(by_id.values()):
        kids = [by_id[c] for c in n.children]
        if n.measure("remainder") and kids and all(k.measure("remainder") for k in kids) \
                and any(base_of[k.id] != base_of[n.id] for k in kids):
            by_id[n.id] = attrs.evolve(n, measures=tuple(m for m in n.measures if m[0] != "remainder"))
    plan = _Plan(tuple(by_id[i] for i in ids), tuple(shares), policy)
    plan = _without_unknowable_quotients(plan)
    checks = tuple(check for check, _ in _judged(plan))
    return GeneratedCase(_build(plan), truth, checks, plan)


# -- mutations: one known mistake -------------------------------------------

#: A unit printed 10^4 too small or too large: the slips reports make.
_SLIPS = {"元": ("万元",), "万元": ("元", "亿元"), "亿元": ("万元",), "个": ("万个",), "家": ("万家",)}


def _swappable(number: str) -> list[int]:
    """Positions i where digits i and i+1 differ and swapping them leaves no leading zero."""
    return [i for i in range(len(number) - 1)
            if number[i].isdigit() and number[i + 1].isdigit() and number[i] != number[i + 1]
            and not (i == 0 and number[1] == "0")]


def _statement_targets(plan: _Plan) -> list[tuple[str, str, int, Printing]]:
    return [(n.id, m, i, p) for n in plan.nodes for m, ps in n.measures for i, p in enumerate(ps)]


def _item_targets(plan: _Plan) -> list[tuple[str, str]]:
    by_id = {n.id: n for n in plan.nodes}
    return [(n.id, c) for n in plan.nodes for c in n.children if not by_id[c].children]


def _with_printing(plan: _Plan, node_id: str, measure: str, index: int, printing: Printing) -> _Plan:
    node = plan.node(node_id)
    measures = tuple(
        (m, tuple(printing if (m == measure and i == index) else p for i, p in enumerate(ps)))
        for m, ps in node.measures
    )
    return plan.replace(attrs.evolve(node, measures=measures))


def _rounding_mode(p: Printing, policy: Policy) -> str:
    if p.qualifier == "nearly":
        return "ceiling"
    if p.qualifier == "over":
        return "floor"
    if p.qualifier in (None, "about") and (p.rounding or policy.rounding) == "truncate":
        return "floor"
    return "nearest"


def _figure_mutation(draw, kind: str, plan: _Plan, generated: GeneratedCase, target) -> tuple[_Plan, Printing, Printing]:
    node_id, measure, index, printing = target
    number = printing.number.replace(",", "")
    if kind == "changed-figure":
        value = printing.value
        exponent = value.as_tuple().exponent
        delta = Decimal(draw(st.integers(1, 9))).scaleb(exponent + draw(st.integers(0, 6)))
        down = draw(st.booleans()) and value - delta > 0
        new = attrs.evolve(printing, number=f"{(value - delta) if down else (value + delta):f}")
    elif kind == "unit-slip":
        new = attrs.evolve(printing, number=number, unit=draw(st.sampled_from(_SLIPS[printing.unit])))
    elif kind == "swapped-digits":
        i = draw(st.sampled_from(_swappable(number)))
        new = attrs.evolve(printing, number=number[:i] + number[i + 1] + number[i] + number[i + 2:])
    else:  # wrong-base-rate: executed / budget where the adjusted budget is the base, or the reverse
        base = _base_name(plan.node(node_id))
        wrong = "budget" if base == "adjusted" else "adjusted"
        ratio = generated.truth[(node_id, "executed")] / generated.truth[(node_id, wrong)]
        exponent = printing.value.as_tuple().exponent
        value = _rounded(ratio * 100, exponent, _rounding_mode(printing, plan.policy))
        new = attrs.evolve(printing, number=_digits(value))
    return _with_printing(plan, node_id, measure, index, new), printing, new


def _item_mutation(kind: str, plan: _Plan, parent: str, child: str) -> _Plan:
    node = plan.node(parent)
    if kind == "dropped-item":
        children = list(node.children)
        children.remove(child)
        plan = plan.replace(attrs.evolve(node, children=tuple(children)))
        if not any(child in n.children for n in plan.nodes):  # no other fund lists it: it is gone
            plan = attrs.evolve(
                plan, nodes=tuple(n for n in plan.nodes if n.id != child),
                shares=tuple(s for s in plan.shares if child not in s))
        return plan
    copy_id = f"{child}-dup"
    while any(n.id == copy_id for n in plan.nodes):
        copy_id += "-dup"
    last = max((p.line for n in plan.nodes for _, ps in n.measures for p in ps), default=0)
    original = plan.node(child)
    lines = iter(range(last + 1, last + 1000))
    copy = attrs.evolve(original, id=copy_id, measures=tuple(
        (m, tuple(attrs.evolve(p, line=next(lines)) for p in ps)) for m, ps in original.measures))
    children = list(node.children)
    children.insert(children.index(child) + 1, copy_id)
    plan = plan.replace(attrs.evolve(node, children=tuple(children)))
    return attrs.evolve(plan, nodes=(*plan.nodes, copy))


@st.composite
def _mutated(draw, generated: GeneratedCase, kinds: tuple[str, ...]) -> MutatedCase:
    plan = generated.plan
    statements = _statement_targets(plan)
    targets = {
        "changed-figure": statements,
        "unit-slip": [t for t in statements if t[3].unit in _SLIPS],
        "swapped-digits": [t for t in statements if _swappable(t[3].number.replace(",", ""))],
        "wrong-base-rate": [t for t in statements if t[1] == "rate"
                            and (t[0], "adjusted") in generated.truth],
        "dropped-item": _item_targets(plan),
        "duplicated-item": _item_targets(plan),
    }
    available = [k for k in kinds if targets[k]]
    if not available:
        reject()  # e.g. swapped digits asked of a case whose figures are all 100, 200, …
    kind = draw(st.sampled_from(available))
    target = draw(st.sampled_from(targets[kind]))
    if kind in ("dropped-item", "duplicated-item"):
        parent, child = target
        mutated = _item_mutation(kind, plan, parent, child)
        node, measure, line = parent, None, None
        before = f"{parent} lists {child}"
        after = f"{child} missing" if kind == "dropped-item" else f"{child} listed twice"
        moved = True
        involved = [c for c, _ in _judged(mutated) if c.rule == "parts-sum" and c.node == parent]
    else:
        mutated, old, new = _figure_mutation(draw, kind, plan, generated, target)
        node, measure, line = target[0], target[1], old.line
        before, after = old.text, new.text
        lo, hi = _printed_interval(new, measure, plan.policy)
        true = generated.truth[(node, measure)]
        moved = not ((lo is None or lo <= true) and (hi is None or true <= hi))
        involved = [c for c, _ in _judged(mutated) if (node, measure) in c.uses]
    failing = tuple(c for c, holds in _judged(mutated) if not holds)
    mutation = Mutation(kind, node, measure, line, before, after, moved, bool(failing), failing, len(involved))
    return MutatedCase(_build(mutated), generated, mutation)


# -- public strategies ---------------------------------------------------------


def generated_cases(
    *,
    min_size: int = 1,
    max_size: int = 12,
    min_depth: int = 0,
    max_depth: int = 3,
    shared: bool = True,
    one_sided: bool = True,
) -> st.SearchStrategy[GeneratedCase]:
    """Consistent cases of ``min_size``–``max_size`` nodes whose deepest leaf is
    ``min_depth``–``max_depth`` levels below a root, with their true values and checks.

    ``shared`` allows an item listed under two funds; ``one_sided`` allows
    bounds such as 超过3亿元 and 100余个 (figures that no equality can fail).
    """
    _check_size("size", min_size, max_size, 1)
    _check_size("depth", min_depth, max_depth, 0)
    if max_size < min_depth + 1:
        raise InvalidArgument(f"a tree {min_depth} levels deep needs at least {min_depth + 1} nodes; max_size={max_size}")
    return _generated(min_size, max_size, min_depth, max_depth, shared, one_sided)


def cases(**options: object) -> st.SearchStrategy[Case]:
    """Consistent :class:`~fiscalcheck.model.Case` objects; options as :func:`generated_cases`.

    This is what ``st.from_type(fiscalcheck.Case)`` draws from.
    """
    return generated_cases(**options).map(lambda generated: generated.case)


def mutations(*, kinds: Iterable[str] = MUTATION_KINDS, **options: object) -> st.SearchStrategy[MutatedCase]:
    """Generated cases with one discrepancy of one of ``kinds`` injected, described by a :class:`Mutation`."""
    chosen = tuple(kinds)
    unknown = [k for k in chosen if k not in MUTATION_KINDS]
    if unknown or not chosen:
        raise InvalidArgument(f"unknown mutation kinds {unknown}; expected some of {', '.join(MUTATION_KINDS)}")
    return generated_cases(**options).flatmap(lambda generated: _mutated(generated, chosen))


def _restate(statement: Statement, unit: str) -> Statement | None:
    """``statement`` printed in ``unit`` with the same interval, or ``None`` when no text can say it."""
    text = unicodedata.normalize("NFKC", statement.printed)
    figure = statement.figure
    found = re.search(r"[0-9][0-9,]*(?:\.[0-9]+)?", text)
    at = text.find(figure.unit.symbol, found.end()) if found else -1
    if at < 0 or text.find(figure.unit.symbol, at + 1) >= 0:
        return None  # the unit comes from a flag or the node, not from the text
    shift = EXACT.divide(figure.unit.scale, UNITS[unit].scale).adjusted()
    value = EXACT.scaleb(figure.value, shift)
    digits = f"{value:f}" if figure.qualifier is None else _plain_text(value)  # 约0.89亿元, not 约0.8900亿元
    if figure.qualifier is None and Decimal(digits).as_tuple().exponent != figure.value.as_tuple().exponent + shift:
        return None  # 0.89亿元 is not 8900万元: that would claim a precision the report did not print
    if figure.qualifier in ("about", "nearly") and figure.value == 0:
        return None
    printed = text[:found.start()] + digits + text[found.end():at] + unit + text[at + len(figure.unit.symbol):]
    return attrs.evolve(statement, printed=printed, figure=parse_figure(printed))


@st.composite
def restated_units(draw, case: Case) -> Case:
    """``case`` with some statements printed in another unit — 万元 ↔ 元 ↔ 亿元, 个 ↔ 家 ↔ 项 —
    exactly and keeping each one's precision, so every interval is unchanged.

    A verdict that changes under this transformation is a bug: units are
    presentation, not arithmetic.
    """
    nodes = {}
    for node in case.nodes.values():
        measures = {}
        for measure, statements in node.measures.items():
            out = []
            for statement in statements:
                family = _MONEY if statement.figure.unit.symbol in _MONEY else (
                    _COUNTS if statement.figure.unit.symbol in _COUNTS else ())
                options = [r for u in family if u != statement.figure.unit.symbol
                           if (r := _restate(statement, u)) is not None]
                out.append(draw(st.sampled_from(options)) if options and draw(st.booleans()) else statement)
            measures[measure] = tuple(out)
        nodes[node.id] = attrs.evolve(node, measures=measures)
    return attrs.evolve(case, nodes=nodes)


@st.composite
def reordered(draw, case: Case) -> Case:
    """``case`` with its nodes, children, measures, statements and relations listed in another order."""
    nodes = {}
    for node in draw(st.permutations(list(case.nodes.values()))):
        measures = dict(draw(st.permutations([
            (m, tuple(draw(st.permutations(list(ss))))) for m, ss in node.measures.items()])))
        nodes[node.id] = attrs.evolve(node, measures=measures,
                                      children=tuple(draw(st.permutations(list(node.children)))))
    return attrs.evolve(case, nodes=nodes, relations=tuple(draw(st.permutations(list(case.relations)))))


def _register() -> None:
    st.register_type_strategy(Case, cases())


_register()  # also when this module is imported first, or from a source tree that is not installed
