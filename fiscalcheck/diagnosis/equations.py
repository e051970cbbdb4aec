"""A judged relation as an equation over the case's measures, to be re-solved for one figure.

Why: to say which figure is likely wrong, and what it would have to be, the
diagnosis needs each relation in a form it can solve for any one of its figures
and re-evaluate with one printing replaced. A :class:`~fiscalcheck.findings.Finding`
says which rule judged what (its rule, node, measure and relation text); this
module rebuilds the relation's structure from that and the case, the same way
the built-in rules wire it (fiscalcheck/invariants.py):

* ``linear``: ``target op Σ sign·term`` (parts-sum, table-total, within-budget,
  remainder, declared sums, differences and comparisons);
* ``ratio``: ``target = numerator / denominator + offset`` (rate, share; growth with offset −1);
* ``agree``: every printing of one measure (statements-agree).

A relation this module cannot rebuild (a custom invariant, a rule-error) gives
``None``: the diagnosis then reasons from the finding's difference alone.

Values are intervals in the base unit of their dimension, read through
:func:`fiscalcheck.tolerance.interval`, the one place tolerance lives; several
printings of one measure combine as the engine combines them (their common part,
or their hull with one alternative per printing when they disagree).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import attrs

from ..figures.tolerance import interval as statement_interval
from ..findings import Finding
from ..model import COMPARISONS, Case, Statement
from ..numbers import EXACT, Interval
from ..record import Record
from ..rules.context import max_bound, min_bound

__all__ = ["Term", "Equation", "Reader", "equation_of", "holds", "needed"]

_ONE = Interval.point(Decimal(1))
_ZERO = Interval.point(Decimal(0))


@attrs.frozen(repr=False, eq=False)
class Term(Record):
    """A measure of a node (``node``, ``measure``) or, with ``transfer`` set, a transfer's amount."""

    node: str
    measure: str
    transfer: int | None = None


@attrs.frozen(repr=False, eq=False)
class Equation(Record):
    """One relation: ``kind`` is ``linear``, ``ratio`` or ``agree`` (see the module docstring)."""

    kind: str
    target: Term
    op: str = "="
    terms: tuple[tuple[int, Term], ...] = ()  # linear: (sign, term); ratio: (1, numerator), (1, denominator)
    offset: Decimal = Decimal(0)  # ratio: −1 for growth
    sums: bool = False  # a sum of listed parts (an item can be left out of it, or counted twice)
    rule: str = ""

    @property
    def all_terms(self) -> tuple[Term, ...]:
        return (self.target, *(t for _, t in self.terms))


class Reader:
    """The case's printings as intervals, with some statements replaced (by identity).

    ``replaced`` maps ``id(statement)`` to the statement printed instead: a
    candidate correction is judged without building a new case.

    A diagnosis judges thousands of candidate corrections, each against every
    relation that reads its figure, and a parts-sum of 300 items reads 300
    intervals for each: the intervals of the case's own printings, and the value
    of each measure none of whose printings is replaced, are computed once and
    shared by every reader made with :meth:`replacing` (a national execution
    table's diagnosis went from minutes to seconds).
    """

    def __init__(self, case: Case, replaced: Mapping[int, Statement] | None = None):
        self.case = case
        self.replaced = dict(replaced or {})
        self._intervals: dict[tuple[int, str], Interval] = {}  # the case's own printings only
        self._values: dict[Term, tuple[Interval, tuple[Interval, ...]] | None] = {}  # no printing replaced
        self._pieces: dict[Term, tuple] = {}  # a measure's printings, their prefix and suffix runs
        self._ids: dict[Term, frozenset[int]] = {}  # the ids of a measure's printings
        self._runs: dict[int, tuple] = {}  # a linear equation's sums before and after each term, as printed

    def replacing(self, replaced: Mapping[int, Statement]) -> "Reader":
        """A reader of the same case with ``replaced`` printed instead, sharing what this one computed."""
        trial = Reader(self.case, replaced)
        trial._intervals = self._intervals
        trial._values = self._values
        trial._pieces = self._pieces
        trial._ids = self._ids
        trial._runs = self._runs
        return trial

    def _printed(self, term: Term) -> tuple[Statement, ...]:
        if term.transfer is not None:
            return self.case.transfers[term.transfer].amount
        node = self.case.nodes.get(term.node)
        return node.measures.get(term.measure, ()) if node else ()

    def statements(self, term: Term) -> tuple[Statement, ...]:
        return tuple(self.replaced.get(id(s), s) for s in self._printed(term))

    def one(self, statement: Statement, measure: str) -> Interval:
        if self.replaced and any(new is statement for new in self.replaced.values()):
            return statement_interval(statement, measure, self.case.policy)  # a candidate: not the case's
        key = (id(statement), measure)  # the case's statements live as long as the case, and this reader
        found = self._intervals.get(key)
        if found is None:
            found = self._intervals[key] = statement_interval(statement, measure, self.case.policy)
        return found

    def touches(self, term: Term) -> bool:
        """Whether one of ``term``'s printings is replaced."""
        if not self.replaced:
            return False
        ids = self._ids.get(term)
        if ids is None:
            ids = self._ids[term] = frozenset(id(s) for s in self._printed(term))
        return not ids.isdisjoint(self.replaced)

    def runs(self, equation: Equation) -> tuple[list, list]:
        """A linear equation's right-hand side summed, as printed, over the terms before each term
        (``before[k]``: terms 0..k-1) and after it (``after[k]``: terms k..), ``None`` once a term is
        not printed. Worked out once per equation for every reader of a diagnosis: a candidate
        correction that replaces one term's printing then costs one addition, not a pass over
        300 items (see :func:`holds`)."""
        found = self._runs.get(id(equation))
        if found is None or found[0] is not equation:  # keyed by identity, held with the equation
            base = self.replacing({}) if self.replaced else self
            values = [None if (v := base.value(term)) is None else _scaled(v[0], sign) for sign, term in equation.terms]
            before, after = [_ZERO], [_ZERO]
            for value in values:
                before.append(None if before[-1] is None or value is None else before[-1] + value)
            for value in reversed(values):
                after.append(None if after[-1] is None or value is None else value + after[-1])
            found = self._runs[id(equation)] = (equation, before, after[::-1])
        return found[1], found[2]

    def value(self, term: Term) -> tuple[Interval, tuple[Interval, ...]] | None:
        """The interval of a measure and, when its printings disagree, one interval per printing."""
        if self.touches(term):
            return self._value(term)
        if term not in self._values:
            self._values[term] = self._value(term)
        return self._values[term]

    def _value(self, term: Term) -> tuple[Interval, tuple[Interval, ...]] | None:
        measure = "transfer" if term.transfer is not None else term.measure
        printed = self._printed(term)
        at = [i for i, s in enumerate(printed) if id(s) in self.replaced] if self.replaced else []
        if len(at) != 1 or len(printed) < 3:
            return _combined([self.one(s, measure) for s in self.statements(term)])
        # One printing of a total repeated on many rows replaced: the others' common part and hull
        # come from the prefixes and suffixes computed once for the measure (no pass over the rest).
        k = at[0]
        pieces = self._pieces.get(term)
        if pieces is None:
            base = [self.one(s, measure) for s in printed]
            before, after = [None], [None]
            for interval in base:
                before.append(_merge(before[-1], _piece(interval)))
            for interval in reversed(base):
                after.append(_merge(after[-1], _piece(interval)))
            pieces = self._pieces[term] = (base, before, after[::-1])
        base, before, after = pieces
        new = self.one(self.replaced[id(printed[k])], measure)
        lo, hi, hull_lo, hull_hi = _merge(_merge(before[k], _piece(new)), after[k + 1])
        if lo is not None and hi is not None and lo > hi:
            return Interval(hull_lo, hull_hi), (*base[:k], new, *base[k + 1:])
        return Interval(lo, hi), ()


def _piece(interval: Interval) -> tuple:
    return interval.lo, interval.hi, interval.lo, interval.hi


def _merge(a: tuple | None, b: tuple | None) -> tuple | None:
    """Two runs of printings as one: (common lo, common hi, hull lo, hull hi); ``None`` is no printing."""
    if a is None or b is None:
        return b if a is None else a
    return (max_bound(a[0], b[0]), min_bound(a[1], b[1]),
            min_bound(a[2], b[2], True), max_bound(a[3], b[3], True))


def _combined(intervals: list[Interval]) -> tuple[Interval, tuple[Interval, ...]] | None:
    """Printings of one measure as the engine combines them: their common part, or their hull
    with one alternative per printing when they disagree."""
    if not intervals:
        return None
    run = None
    for interval in intervals:
        run = _merge(run, _piece(interval))
    lo, hi, hull_lo, hull_hi = run
    if lo is not None and hi is not None and lo > hi:
        return Interval(hull_lo, hull_hi), tuple(intervals)
    return Interval(lo, hi), ()


def _scaled(interval: Interval, sign: int) -> Interval:
    return interval if sign > 0 else -interval


_HOLDS = {
    "=": lambda t, e: t.intersects(e),
    "<=": lambda t, e: t.lo is None or e.hi is None or t.lo <= e.hi,
    "<": lambda t, e: t.lo is None or e.hi is None or t.lo < e.hi,
    ">=": lambda t, e: t.hi is None or e.lo is None or t.hi >= e.lo,
    ">": lambda t, e: t.hi is None or e.lo is None or t.hi > e.lo,
}


def expected(equation: Equation, reader: Reader, skip: Term | None = None) -> Interval | None:
    """The right-hand side's interval (for ``linear``, without ``skip`` when given)."""
    if equation.kind == "linear":
        total = Interval.point(Decimal(0))
        for sign, term in equation.terms:
            if term == skip:
                continue
            value = reader.value(term)
            if value is None:
                return None
            total = total + _scaled(value[0], sign)
        return total
    if equation.kind == "ratio":
        (_, a), (_, b) = equation.terms
        va, vb = reader.value(a), reader.value(b)
        if va is None or vb is None:
            return None
        quotient = va[0].divide(vb[0])
        if quotient is None:
            return None
        return quotient + Interval.point(equation.offset) if equation.offset else quotient
    return None


def _replaced_sum(equation: Equation, reader: Reader) -> Interval | None:
    """:func:`expected` of a linear equation under a reader that replaces the printings of at most
    one of its terms, from the sums of the others as printed (:meth:`Reader.runs`); ``None`` when
    that does not apply (or a term is not printed), for :func:`expected` to decide. The sums are
    exact (the context traps any rounding), so their order does not change them."""
    changed = [k for k, (_, term) in enumerate(equation.terms) if reader.touches(term)]
    if len(changed) > 1:
        return None
    before, after = reader.runs(equation)
    if not changed:
        return before[-1]
    k = changed[0]
    sign, term = equation.terms[k]
    value = reader.value(term)
    if before[k] is None or after[k + 1] is None or value is None:
        return None
    return before[k] + _scaled(value[0], sign) + after[k + 1]


def holds(equation: Equation, reader: Reader) -> bool | None:
    """Whether the relation holds under ``reader``'s printings, judged as the engine judges it."""
    target = reader.value(equation.target)
    if target is None:
        return None
    if equation.kind == "agree":
        measure = equation.target.measure
        intervals = [reader.one(s, measure) for s in reader.statements(equation.target)]
        lo = max((i.lo for i in intervals if i.lo is not None), default=None)
        hi = min((i.hi for i in intervals if i.hi is not None), default=None)
        return lo is None or hi is None or lo <= hi
    right = _replaced_sum(equation, reader) if equation.kind == "linear" and reader.replaced else None
    right = right if right is not None else expected(equation, reader)
    if right is None:
        return False
    test = _HOLDS[equation.op]
    options = target[1] or (target[0],)
    return any(test(option, right) for option in options)


def needed(equation: Equation, reader: Reader, term: Term, statement: Statement) -> Interval | None:
    """The values of ``term`` (in base units) for which the relation would hold, the others as printed.

    ``statement`` is the printing of ``term`` being re-solved; the measure's
    other printings are left out, so the interval says what this one printing
    would have to stand for. ``None`` when no value would do (or none can be worked out).
    """
    if equation.kind == "agree":
        measure = term.measure
        others = [reader.one(s, measure) for s in reader.statements(term) if s is not statement]
        lo = hi = None
        for other in others:
            lo, hi = max_bound(lo, other.lo), min_bound(hi, other.hi)
        if lo is not None and hi is not None and lo > hi:
            return None
        return Interval(lo, hi)
    if equation.kind == "linear":
        if term == equation.target:
            right = expected(equation, reader)
            return None if right is None else _side(equation.op, right, target=True)
        signs = [s for s, t in equation.terms if t == term]
        if len(signs) != 1:
            return None
        target = reader.value(equation.target)
        rest = expected(equation, reader, skip=term)
        if target is None or rest is None:
            return None
        free = _side(equation.op, target[0] - rest, target=False)  # sign · term must lie here
        return _scaled(free, signs[0])
    (_, a), (_, b) = equation.terms
    target = reader.value(equation.target)
    if target is None:
        return None
    if term == equation.target:
        return expected(equation, reader)
    ratio = target[0] - Interval.point(equation.offset) if equation.offset else target[0]
    if term == a:
        vb = reader.value(b)
        return None if vb is None else ratio * vb[0]
    if term == b:
        va = reader.value(a)
        if va is None or ratio.contains_zero():
            return None
        return va[0].quotient(ratio)
    return None


def _side(op: str, interval: Interval, *, target: bool) -> Interval:
    """Where the free side must lie for ``target op right``.

    For the target: ``=`` → the interval, ``<=`` → at most its top, ``>=`` → at
    least its bottom. For a term of the right-hand side the comparison turns round.
    """
    if op == "=":
        return interval
    at_most = op in ("<=", "<")
    if not target:
        at_most = not at_most
    return Interval(None, interval.hi) if at_most else Interval(interval.lo, None)


# -- rebuilding the equation a finding was judged by ------------------------------


def equation_of(finding: Finding, case: Case) -> Equation | None:
    """The equation behind ``finding``, or ``None`` for a relation this module does not know."""
    node_id = finding.node.rsplit("/", 1)[-1]
    node = case.nodes.get(node_id)
    rule, text, measure = finding.rule, finding.relation, finding.measure
    if node is None:
        return None
    if rule == "statements-agree":
        return Equation("agree", Term(node_id, measure), rule=rule)
    if rule in ("parts-sum", "table-total"):
        for op in ("=", ">="):
            if text == f"{measure} {op} sum(children.{measure})":
                terms = tuple((1, Term(c, measure)) for c in node.counted_children)
                return Equation("linear", Term(node_id, measure), op, terms, sums=True, rule=rule)
        return _declared(finding, case, "sum")
    if rule == "within-budget" and text.startswith("executed <= "):
        terms = _available(case, node_id, text[len("executed <= "):])
        if terms is None:
            return None
        return Equation("linear", Term(node_id, "executed"), "<=", terms, rule=rule)
    if rule == "rate" and text.startswith("rate = executed / "):
        base = text[len("rate = executed / "):]
        return Equation("ratio", Term(node_id, "rate"), "=",
                        ((1, Term(node_id, "executed")), (1, Term(node_id, base))), rule=rule)
    if rule == "remainder" and text.startswith("remainder = ") and text.endswith(" − executed"):
        terms = _available(case, node_id, text[len("remainder = "):-len(" − executed")])
        if terms is None:
            return None
        return Equation("linear", Term(node_id, "remainder"), "=",
                        (*terms, (-1, Term(node_id, "executed"))), rule=rule)
    kinds = {"rate": ("rate",), "share": ("share",), "growth": ("growth",), "remainder": ("diff",),
             "comparison": tuple(COMPARISONS)}
    for kind in kinds.get(rule, ()):
        found = _declared(finding, case, kind)
        if found is not None:
            return found
    return None


def _available(case: Case, node_id: str, name: str) -> tuple[tuple[int, Term], ...] | None:
    """What a fund may spend, as the rules word it: ``adjusted``, ``budget`` or ``budget ± transfers``."""
    if name in ("adjusted", "budget"):
        return ((1, Term(node_id, name)),)
    if name != "budget ± transfers":
        return None
    terms = [(1, Term(node_id, "budget"))]
    for i, transfer in enumerate(case.transfers):
        if transfer.target_fund == node_id:
            terms.append((1, Term(node_id, "transfer", i)))
        if transfer.source_fund == node_id:
            terms.append((-1, Term(node_id, "transfer", i)))
    return tuple(terms)


def _declared(finding: Finding, case: Case, kind: str) -> Equation | None:
    """A declared relation of the case, found by the text the rule wrote for it."""
    for relation in case.relations:
        if relation.kind != kind:
            continue
        target = Term(relation.target.node, relation.target.measure)
        operands = [Term(o.node, o.measure) for o in relation.operands]
        names = [str(o) for o in relation.operands]
        if kind == "sum":
            op = ">=" if relation.partial else "="
            if finding.relation == f"{relation.target} {op} {' + '.join(names)}":
                return Equation("linear", target, op, tuple((1, t) for t in operands), sums=True, rule=finding.rule)
        elif kind in ("rate", "share", "growth"):
            tail = " − 1" if kind == "growth" else ""
            if finding.relation == f"{relation.target} = {names[0]} / {names[1]}{tail}":
                offset = Decimal(-1) if kind == "growth" else Decimal(0)
                return Equation("ratio", target, "=", ((1, operands[0]), (1, operands[1])), offset,
                                rule=finding.rule)
        elif kind == "diff":
            if finding.relation == f"{relation.target} = {names[0]} − {names[1]}":
                return Equation("linear", target, "=", ((1, operands[0]), (-1, operands[1])), rule=finding.rule)
        else:
            op = COMPARISONS[kind]
            if finding.relation == f"{relation.target} {op} {names[0]}":
                return Equation("linear", target, op, ((1, operands[0]),), rule=finding.rule)
    return None


def difference(equation: Equation, reader: Reader) -> Interval | None:
    """``target − right-hand side`` as an interval (linear equations): what is missing or too much."""
    if equation.kind != "linear":
        return None
    target = reader.value(equation.target)
    right = expected(equation, reader)
    if target is None or right is None:
        return None
    return target[0] - right


def nominal_difference(equation: Equation, reader: Reader) -> Decimal | None:
    """``target − right-hand side`` at the printed values (the most precise printing of each measure)."""
    if equation.kind != "linear":
        return None

    def nominal(term: Term) -> Decimal | None:
        printed = reader.statements(term)
        if not printed:
            return None
        return min(printed, key=lambda s: EXACT.multiply(s.figure.place, s.figure.unit.scale)).figure.base_value

    total = nominal(equation.target)
    if total is None:
        return None
    for sign, term in equation.terms:
        value = nominal(term)
        if value is None:
            return None
        total = EXACT.subtract(total, value) if sign > 0 else EXACT.add(total, value)
    return total
