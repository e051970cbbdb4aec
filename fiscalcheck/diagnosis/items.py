"""Mistakes in a list rather than in a figure: an item left out of a total, or counted twice.

Auditors' rule of thumb: when a total exceeds its parts by exactly a figure
printed nearby (an item of the same section, a 此外 item outside the total, or
the sum of a few such items), that item was most likely left out of the parts
or wrongly kept in the total; when the parts exceed the total by one of the
parts, that part was counted twice. A list that lost an item with all its
figures shows the same gap in each of its sums (executed, budget, count): one
omission then explains every one of them.

The difference of a relation is an interval (``target − parts`` over the printed
intervals); a printed item matches it when their intervals meet.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from itertools import combinations

import attrs

from ..figures import UNITS
from ..findings import Finding
from ..model import Case, Statement
from ..numbers import EXACT, Interval
from ..record import Record
from .edits import shown
from .equations import Equation, Reader, Term, difference, nominal_difference

__all__ = ["ItemEdit", "item_edits", "loose_item_edits"]

#: How many lines around a relation's own printings count as "printed nearby".
NEARBY = 2
_SUBSET = 3  # items summed when looking for the sum of a few outside items


@attrs.frozen(repr=False, eq=False)
class ItemEdit(Record):
    """An item to add to, or remove from, the list behind ``node``'s ``measure``."""

    kind: str  # omitted-item or double-counted
    node: str
    measure: str
    item: Statement | None  # the printed item that matches, None for an unprinted omission
    value: Decimal | None  # the gap, in the unit of the total as printed
    prior: int
    fixes: frozenset[int]
    params: tuple[tuple[str, str], ...] = ()


def _amount(value: Decimal, symbol: str) -> str:
    return f"{shown(EXACT.normalize(value)) if value != 0 else '0'}{symbol}"


def _gap_text(gap: Decimal, statement: Statement) -> tuple[Decimal, str]:
    unit = statement.figure.unit
    own = EXACT.divide(gap, unit.scale)
    return own, _amount(own, unit.symbol)


def item_edits(case: Case, checks: Sequence[Finding], equations: Sequence[Equation | None],
               failing: Sequence[int], reader: Reader) -> Iterator[ItemEdit]:
    """Omitted and double-counted items for every failing relation of a known equation."""
    gaps: dict[int, tuple[Interval, Decimal]] = {}
    for i in failing:
        equation = equations[i]
        if equation is None or equation.kind != "linear" or equation.op not in ("=", ">="):
            continue
        gap, nominal = difference(equation, reader), nominal_difference(equation, reader)
        if gap is not None and nominal is not None:
            gaps[i] = (gap, nominal)
    # the sums of one list (same target node, same children) that fail: one item may explain them all
    siblings: dict[tuple[str, tuple[Term, ...]], list[int]] = {}
    for i in gaps:
        equation = equations[i]
        if equation.sums:
            key = (equation.target.node, tuple(t.node for _, t in equation.terms))
            siblings.setdefault(key, []).append(i)
    for i, (gap, nominal) in gaps.items():
        equation = equations[i]
        target = reader.statements(equation.target)
        if not target:
            continue
        shown_in = target[0]
        if gap.lo is not None and gap.lo > 0:
            yield from _omitted(case, checks[i], equation, i, gap, nominal, shown_in, reader, equations,
                                siblings, gaps)
        elif gap.hi is not None and gap.hi < 0 and equation.sums:
            yield from _double(case, equation, i, gap, nominal, shown_in, reader, equations, siblings, gaps)


def _group(equation: Equation, siblings, i: int) -> list[int]:
    if not equation.sums:
        return [i]
    key = (equation.target.node, tuple(t.node for _, t in equation.terms))
    return siblings.get(key, [i])


def _sharp(gap: Interval, nominal: Decimal) -> bool:
    """Whether a printed figure matching ``gap`` would be a coincidence worth reporting: the gap
    must be at least twice as large as the width of its own tolerance, or almost any figure would match it."""
    if gap.lo is None or gap.hi is None:
        return False
    return EXACT.abs(nominal) >= EXACT.multiply(Decimal(2), EXACT.subtract(gap.hi, gap.lo))


def _omitted(case, finding, equation, i, gap, nominal, shown_in, reader, equations, siblings, gaps):
    group = _group(equation, siblings, i)
    weak = not _sharp(gap, nominal)
    found = False
    node = case.nodes.get(equation.target.node)
    dimension = shown_in.figure.unit.dimension
    used = {id(s) for t in equation.all_terms for s in reader.statements(t)}
    # 1. an item printed outside the total (此外), or the sum of a few of them
    outside = [c for c in (node.outside if node else ()) if c in case.nodes]
    for size in range(1, min(_SUBSET, len(outside)) + 1):
        for chosen in combinations(outside, size):
            terms = [Term(c, equation.target.measure) for c in chosen]
            values = [reader.value(t) for t in terms]
            if any(v is None for v in values):
                continue
            total = values[0][0]
            for v in values[1:]:
                total = total + v[0]
            if not total.intersects(gap):
                continue
            fixes = _fixes_by_nodes(chosen, group, equations, reader, gaps)
            first = reader.statements(terms[0])[0]
            label = " + ".join(reader.statements(t)[0].printed for t in terms)
            found = True
            own, text = _gap_text(nominal, shown_in)
            yield ItemEdit("omitted-item", equation.target.node, equation.target.measure, first, own, 2 if weak else 7,
                           frozenset(fixes | {i}), (("difference", text), ("item", label),
                                                    ("line", str(first.line))))
    # 2. a figure printed on the relation's own lines, or next to them
    for other, measure, statement in _nearby(case, finding, dimension, used):
        value = reader.one(statement, measure)
        if value.intersects(gap):
            found = True
            own, text = _gap_text(nominal, shown_in)
            yield ItemEdit("omitted-item", equation.target.node, equation.target.measure, statement, own, 2 if weak else 6,
                           frozenset({i}), (("difference", text), ("item", statement.printed),
                                            ("line", str(statement.line))))
    # 3. none printed: an item of the gap's size, for a sum of listed parts
    if equation.sums and not found:
        fixes = {j for j in group if gaps[j][0].lo is not None and gaps[j][0].lo > 0}
        own, text = _gap_text(nominal, shown_in)
        yield ItemEdit("omitted-item", equation.target.node, equation.target.measure, None, own, 3,
                       frozenset(fixes | {i}), (("difference", text),))


def _double(case, equation, i, gap, nominal, shown_in, reader, equations, siblings, gaps):
    group = _group(equation, siblings, i)
    excess = -gap
    parts = [t for _, t in equation.terms]
    for term in dict.fromkeys(parts):
        value = reader.value(term)
        if value is None or not value[0].intersects(excess):
            continue
        printed = reader.statements(term)
        twins = [t for t in parts if t != term and tuple(s.printed for s in reader.statements(t))
                 == tuple(s.printed for s in printed)]
        shared = len(case.parents(term.node)) > 1
        prior = 8 if twins else 6 if shared else 5
        fixes = _fixes_by_nodes((term.node,), group, equations, reader, gaps, sign=-1)
        own, text = _gap_text(EXACT.minus(nominal), shown_in)
        duplicate = "duplicate" if twins else "shared-item" if shared else ""
        yield ItemEdit("double-counted", equation.target.node, equation.target.measure, printed[0], own, prior,
                       frozenset(fixes | {i}), (("difference", text), ("duplicate", duplicate),
                                                ("item", printed[0].printed), ("line", str(printed[0].line))))


def _fixes_by_nodes(nodes, group, equations, reader, gaps, sign: int = 1) -> set[int]:
    """The relations of one list that adding (``sign`` 1) or removing (−1) these nodes' items would mend."""
    fixes = set()
    for j in group:
        measure = equations[j].target.measure
        values = [reader.value(Term(n, measure)) for n in nodes]
        if any(v is None for v in values):
            continue
        total = values[0][0]
        for v in values[1:]:
            total = total + v[0]
        if total.intersects(gaps[j][0] if sign > 0 else -gaps[j][0]):
            fixes.add(j)
    return fixes


def _nearby(case: Case, finding: Finding, dimension: str, used: set[int]):
    """Statements of ``dimension`` printed within :data:`NEARBY` lines of the finding's own printings."""
    places = {(s.source, s.line) for s in finding.statements}
    if not places:
        return
    for node, measure, statement in case.statements():
        if id(statement) in used or statement.figure.unit.dimension != dimension:
            continue
        if statement.figure.qualifier in ("over", "at-most"):
            continue
        if any(statement.source == source and abs(statement.line - line) <= NEARBY for source, line in places):
            yield node, measure, statement


def loose_item_edits(finding: Finding, case: Case, index: int) -> Iterator[ItemEdit]:
    """For a relation of unknown structure: the gap matched against figures printed nearby."""
    if finding.printed is None or finding.expected is None or not finding.statements:
        return
    unit = UNITS.get(finding.unit)
    if unit is None or unit.dimension == "ratio":
        return
    nominal = EXACT.multiply(EXACT.subtract(finding.printed, finding.expected), unit.scale)
    tolerance = EXACT.multiply(finding.tolerance or Decimal(0), unit.scale)
    gap = Interval(EXACT.subtract(nominal, tolerance), EXACT.add(nominal, tolerance))
    size = gap if nominal > 0 else -gap
    kind = "omitted-item" if nominal > 0 else "double-counted"
    used = {id(s) for s in finding.statements}
    reader = Reader(case)
    text = _amount(EXACT.abs(EXACT.divide(nominal, unit.scale)), unit.symbol)
    weak = not _sharp(gap, nominal)
    for node, measure, statement in _nearby(case, finding, unit.dimension, used):
        if reader.one(statement, measure).intersects(size):
            params = (("difference", text), ("duplicate", ""), ("item", statement.printed),
                      ("line", str(statement.line)))
            yield ItemEdit(kind, finding.node.rsplit("/", 1)[-1], finding.measure, statement,
                           EXACT.abs(EXACT.divide(nominal, unit.scale)), 2 if weak else 5, frozenset({index}), params)
