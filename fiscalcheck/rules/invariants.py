"""Custom invariants: an auditor's own relations, judged exactly like the built-ins.

An invariant is an id, an expression (parsed by :mod:`fiscalcheck.expression`)
and a ``where:`` selector. It is a rule like any other — a pure function
``(case, context) -> findings`` — and it reads figures through the same
:class:`~fiscalcheck.invariants.Context` and judges with the same
:func:`~fiscalcheck.invariants.judge`: each side is computed as an
:class:`~fiscalcheck.interval.Interval` of every value the printed figures
allow, so a rounded figure never raises a false alarm and a custom
``arranged == sum(children.arranged)`` gives the verdict ``parts-sum`` gives.

What cannot be evaluated on a node it applies to — a measure the node does not
print, a divisor that may be zero, money compared with a count — is a finding
that says so, never an exception.

Where it applies:

* without ``where:``, to every node that prints every measure the expression
  names of it (its own, ``parent.x``, ``children.x``): "wherever it can be checked";
* with ``where:``, to the nodes selected (``kind``, ``tag``, ``id`` and ``path``
  globs, ``has``), and a selected node that lacks a measure is a finding;
* an expression that names only ``$node.measure`` figures is checked once.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Iterator
from decimal import Decimal, DecimalException

import attrs

from ..errors import Location, Problem, closest, suggest
from ..figures import UNITS, Unit
from ..findings import RULE_ERROR, STALE, Finding, severity_problem
from ..model import MEASURE_PATTERN, Case, Node, Statement
from ..numbers import EXACT, Interval
from ..numbers.contexts import NOMINAL
from ..findings.messages import Amount, Amounts, Message
from ..record import Record
from .context import Context, Quantity
from .dimensions import KINDS, DimensionMismatch, join, over, times
from .expression import (
    Binary,
    Call,
    Children,
    Comparison,
    Expression,
    Measure,
    Negate,
    Number,
    parse,
)
from .judge import judge
from .registry import Rule

__all__ = ["Invariant", "Selector", "validate_invariants", "parse_reference", "INVARIANT_KEYS", "WHERE_KEYS", "RESERVED_IDS"]

INVARIANT_KEYS = ("id", "expr", "description", "severity", "where")
WHERE_KEYS = ("kind", "tag", "id", "path", "has")
#: Ids findings already use for themselves; an invariant may not take them.
RESERVED_IDS = (RULE_ERROR, STALE)

PLAIN = Unit("", "ratio", Decimal(1))
_PERCENT = UNITS["%"]
_ATOM, _PRODUCT, _SUM = 3, 2, 1


class Unevaluable(Exception):
    """Why an invariant cannot be evaluated on one node; becomes a finding, never escapes."""

    def __init__(self, message: str, statements: tuple[Statement, ...] = ()):
        super().__init__(message)
        self.message = message
        self.statements = statements


@attrs.frozen(repr=False, eq=False)  # the evaluator's working values, never shown or compared
class Value:
    """One side (or part) of an expression: interval and nominal value in base units.

    ``dimension`` is ``None`` only for the literal 0, which is zero in every unit;
    ``text`` shows the computation with the printed values (``1% * 8500万元``).
    """

    interval: Interval
    nominal: Decimal
    dimension: str | None
    unit: Unit
    statements: tuple[Statement, ...]
    text: object  # plain text, or a message (the sum of 12 figures) written in the reader's language
    precedence: int = _ATOM

    def quantity(self, unit: Unit) -> Quantity:
        return Quantity(self.interval, self.nominal, unit, self.statements)


def _describe(value: Value) -> str:
    return f"{value.text} is {KINDS.get(value.dimension, value.dimension)}" + (
        f" ({value.unit.symbol})" if value.unit.symbol else "")


def _dimension(rule, a: Value, b: Value, op: str) -> str | None:
    """``rule`` of :mod:`.dimensions` on two values; a mismatch becomes :class:`Unevaluable`."""
    try:
        return rule(a.dimension, b.dimension, op) if rule is join else rule(a.dimension, b.dimension)
    except DimensionMismatch:
        raise _mismatch(a, b, op) from None


def _mismatch(a: Value, b: Value, op: str) -> Unevaluable:
    bare = any(v.unit is PLAIN and not v.statements for v in (a, b))
    hint = "; write the unit after a number (5家, 2000万元)" if bare else ""
    return Unevaluable(f"unit mismatch in '{op}': {_describe(a)}, {_describe(b)}{hint}", a.statements + b.statements)


def _same(a: Value, b: Value, op: str) -> str | None:
    return _dimension(join, a, b, op)


def _wrap(value: Value, least: int) -> str:
    return Message.of("parens", inner=value.text) if value.precedence < least else value.text


def _joined(*parts: object) -> Amounts:
    """Pieces of an expression's text, written in the reader's language when it is read."""
    return Amounts(parts, "")


# -- selection ------------------------------------------------------------------


@attrs.frozen(repr=False, eq=False)
class Selector(Record):
    """``where:``: which nodes an invariant applies to. Every key given must match;
    a list within a key matches any of its entries. ``has`` lists measures the
    node must print: ``budget``, ``parent.budget``, ``children.amount``."""

    kinds: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    has: tuple[Measure | Children, ...] = ()

    @classmethod
    def of(cls, *, kind=(), tag=(), id=(), path=(), has=()) -> "Selector":  # noqa: A002 - the YAML key
        """Build a selector in code, each key a string or a tuple: ``Selector.of(kind="fund", has="budget")``."""
        def many(value) -> tuple[str, ...]:
            return (value,) if isinstance(value, str) else tuple(value)

        refs = []
        for text in many(has):
            ref = parse_reference(text)
            if ref is None:
                raise ValueError(f"expected name, parent.name or children.name in has, got {text!r}")
            refs.append(ref)
        return cls(many(kind), many(tag), many(id), many(path), tuple(refs))

    def to_yaml(self) -> dict[str, list[str]]:
        pairs = (("kind", self.kinds), ("tag", self.tags), ("id", self.ids), ("path", self.paths),
                 ("has", tuple(map(str, self.has))))
        return {key: list(values) for key, values in pairs if values}

    def selects(self, case: Case, node: Node) -> bool:
        if self.kinds and node.kind not in self.kinds:
            return False
        if self.tags and not set(self.tags) & set(node.tags):
            return False
        if self.ids and not any(fnmatch.fnmatchcase(node.id, g) for g in self.ids):
            return False
        if self.paths and not any(fnmatch.fnmatchcase(case.path(node.id), g) for g in self.paths):
            return False
        return all(_present(case, node, ref) for ref in self.has)


def _parent(case: Case, node: Node) -> Node | None:
    """The first parent: the one the node's path goes through."""
    parents = case.parents(node.id)
    return case.nodes.get(parents[0]) if parents else None


def _present(case: Case, node: Node, ref: Measure | Children) -> bool:
    if isinstance(ref, Children):
        children = node.counted_children
        return bool(children) and all(ref.name in case.nodes[c].measures for c in children if c in case.nodes)
    if ref.scope == "parent":
        parent = _parent(case, node)
        return parent is not None and ref.name in parent.measures
    if ref.scope == "node":
        target = case.nodes.get(ref.node or "")
        return target is not None and ref.name in target.measures
    return ref.name in node.measures


# -- evaluation -----------------------------------------------------------------


class _Evaluator:
    """Computes an expression on one node (or none, for a global invariant)."""

    def __init__(self, case: Case, ctx: Context, node: Node | None):
        self.case = case
        self.ctx = ctx
        self.node = node

    def measure(self, owner: Node, name: str) -> Value:
        quantity = self.ctx.quantity(owner.id, name)
        if quantity is None:
            raise Unevaluable(f"{owner.id} prints no measure {name!r}{suggest(name, owner.measures)}"
                              + (f" (it prints {', '.join(owner.measures)})" if owner.measures else ""))
        return Value(quantity.interval, quantity.nominal, quantity.unit.dimension, quantity.unit,
                     quantity.statements, Amount(quantity.nominal, quantity.unit))

    def value(self, tree: object) -> Value:
        if isinstance(tree, Number):
            unit = tree.unit or PLAIN
            base = EXACT.multiply(tree.value, unit.scale)
            dimension = None if tree.unit is None and tree.value == 0 else unit.dimension
            return Value(Interval.point(base), base, dimension, unit, (), tree.text)
        if isinstance(tree, Measure):
            return self.measure(self.owner(tree), tree.name)
        if isinstance(tree, Negate):
            inner = self.value(tree.operand)
            return attrs.evolve(inner, interval=-inner.interval, nominal=EXACT.minus(inner.nominal),
                                text=_joined("-", _wrap(inner, _ATOM)), precedence=_PRODUCT)
        if isinstance(tree, Binary):
            return self.binary(tree.op, self.value(tree.left), self.value(tree.right))
        if isinstance(tree, Call):
            return self.call(tree)
        raise Unevaluable(f"cannot evaluate {tree!r}")  # pragma: no cover - the parser builds no other node

    def owner(self, ref: Measure) -> Node:
        if ref.scope == "node":
            target = self.case.nodes.get(ref.node or "")
            if target is None:
                raise Unevaluable(f"no node {ref.node!r} in case {self.case.id}{suggest(ref.node or '', self.case.nodes)}")
            return target
        if self.node is None:  # pragma: no cover - a global invariant names only $nodes
            raise Unevaluable(f"{ref} needs a node")
        if ref.scope == "parent":
            parent = _parent(self.case, self.node)
            if parent is None:
                raise Unevaluable(f"{self.node.id} has no parent")
            return parent
        return self.node

    def children(self, ref: Children) -> list[Value]:
        node = self.node
        if node is None:  # pragma: no cover - a global invariant names only $nodes
            raise Unevaluable("children.x needs a node")
        ids = [c for c in node.counted_children if c in self.case.nodes]
        if not ids:
            raise Unevaluable(f"{node.id} has no children to aggregate")
        return [self.measure(self.case.nodes[c], ref.name) for c in ids]

    def binary(self, op: str, a: Value, b: Value) -> Value:
        statements = a.statements + b.statements
        if op in "+-":
            dimension = _same(a, b, op)
            interval = a.interval + b.interval if op == "+" else a.interval - b.interval
            nominal = EXACT.add(a.nominal, b.nominal) if op == "+" else EXACT.subtract(a.nominal, b.nominal)
            unit = a.unit if a.dimension is not None else b.unit
            text = _joined(_wrap(a, _SUM), f" {op} ", _wrap(b, _PRODUCT if op == '-' else _SUM))
            return Value(interval, nominal, dimension, unit, statements, text, _SUM)
        text = _joined(_wrap(a, _PRODUCT), f" {op} ", _wrap(b, _PRODUCT if op == '*' else _ATOM))
        if op == "*":
            dimension, unit = _times(a, b)
            return Value(a.interval * b.interval, EXACT.multiply(a.nominal, b.nominal), dimension, unit,
                         statements, text, _PRODUCT)
        quotient = a.interval.quotient(b.interval)
        if quotient is None:
            raise Unevaluable(f"division by zero: {b.text} may be 0 (it stands for {b.interval.unscale(b.unit.scale)}"
                              f"{b.unit.symbol})", statements)
        dimension, unit = _over(a, b)
        nominal = NOMINAL.divide(a.nominal, b.nominal) if b.nominal != 0 else (quotient.lo or quotient.hi or Decimal(0))
        return Value(quotient, nominal, dimension, unit, statements, text, _PRODUCT)

    def call(self, tree: Call) -> Value:
        values: list[Value] = []
        for arg in tree.args:
            if isinstance(arg, Children):
                values.extend(self.children(arg))
            else:
                values.append(self.value(arg))
        if tree.function == "abs":
            (inner,) = values
            return attrs.evolve(inner, interval=_abs(inner.interval), nominal=EXACT.abs(inner.nominal),
                                text=_joined("|", inner.text, "|"), precedence=_ATOM)
        statements = tuple(s for v in values for s in v.statements)
        first = values[0]
        dimension = first.dimension
        for other in values[1:]:
            dimension = _same(attrs.evolve(first, dimension=dimension), other, tree.function)
        unit = next((v.unit for v in values if v.dimension is not None), first.unit)
        shown = [v.text for v in values]
        if tree.function == "sum":
            interval = values[0].interval
            nominal = values[0].nominal
            for v in values[1:]:
                interval = interval + v.interval
                nominal = EXACT.add(nominal, v.nominal)
            text = (Amounts(tuple(_wrap(v, _SUM) for v in values), " + ") if len(values) <= 6
                    else Message.of("sum-of-figures", count=len(values)))
            return Value(interval, nominal, dimension, unit, statements, text, _SUM if len(values) > 1 else _ATOM)
        pick = min if tree.function == "min" else max
        interval = _extreme([v.interval for v in values], tree.function)
        text = (_joined(f"{tree.function}(", Amounts(tuple(shown), ", "), ")") if len(values) <= 6
                else Message.of(f"{tree.function}-of-figures", count=len(values)))
        return Value(interval, pick(v.nominal for v in values), dimension, unit, statements, text, _ATOM)


def _times(a: Value, b: Value) -> tuple[str | None, Unit]:
    """Dimension (:func:`.dimensions.times`) and display unit of a product: the scaled side's unit."""
    dimension = _dimension(times, a, b, "*")
    if a.dimension is None or b.dimension is None:
        return dimension, b.unit if a.dimension is None and b.dimension is not None else a.unit
    if a.dimension == b.dimension == "ratio":
        return dimension, _PERCENT if _PERCENT in (a.unit, b.unit) else PLAIN
    scaled = b if a.dimension in ("ratio", "count") and (a.dimension == "ratio" or b.dimension != "ratio") else a
    return dimension, scaled.unit


def _over(a: Value, b: Value) -> tuple[str | None, Unit]:
    """Dimension (:func:`.dimensions.over`) and display unit of a quotient: like over like in %."""
    dimension = _dimension(over, a, b, "/")
    return dimension, _PERCENT if dimension == "ratio" and b.dimension != "ratio" else a.unit


def _abs(interval: Interval) -> Interval:
    lo, hi = interval.lo, interval.hi
    if lo is not None and lo >= 0:
        return interval
    if hi is not None and hi <= 0:
        return -interval
    return Interval(Decimal(0), None if lo is None or hi is None else max(EXACT.minus(lo), hi))


def _extreme(intervals: list[Interval], function: str) -> Interval:
    """min or max of values each somewhere in its interval: the interval of possible results."""
    los = [i.lo for i in intervals]
    his = [i.hi for i in intervals]
    if function == "min":
        lo = None if None in los else min(los)
        bounded = [h for h in his if h is not None]
        return Interval(lo, min(bounded) if bounded else None)
    bounded = [lo for lo in los if lo is not None]
    return Interval(max(bounded) if bounded else None, None if None in his else max(his))


# -- the invariant --------------------------------------------------------------


_OPS = {"==": "="}


@attrs.frozen(repr=False, eq=False)
class Invariant(Record):
    """A custom rule: ``id``, an expression, where it applies, how severe a failure is.

    ``in_case`` marks an invariant declared in the case file: its findings then
    point at the invariant's line; a pack's point at the node's.
    """

    id: str
    expression: Expression
    description: str = ""
    severity: str = "error"
    where: Selector | None = None
    origin: Location | None = attrs.field(default=None, eq=False, repr=False)
    in_case: bool = attrs.field(default=False, eq=False, repr=False)

    @classmethod
    def of(cls, id: str, expr: str, *, description: str = "", severity: str = "error",  # noqa: A002
           where: Selector | None = None) -> "Invariant":
        """Build an invariant in code: ``Invariant.of("fee-cap", "arranged <= 1% * parent.budget")``.

        The expression is parsed here; :class:`~fiscalcheck.expression.ExpressionError` if it is not one.
        """
        problem = severity_problem(severity)
        if problem:
            raise ValueError(problem)
        expression = parse(expr)
        if where is not None and expression.is_global:
            raise ValueError(f"{expr!r} names only $node measures: it is checked once, and 'where' selects nothing")
        return cls(id, expression, description, severity, where)

    def to_yaml(self) -> dict[str, object]:
        """The invariant as a case file or pack writes it (for :func:`fiscalcheck.dump`)."""
        data: dict[str, object] = {"id": self.id, "expr": self.expression.source}
        if self.description:
            data["description"] = self.description
        if self.severity != "error":
            data["severity"] = self.severity
        if self.where is not None:
            data["where"] = self.where.to_yaml()
        return data

    @property
    def rule(self):
        """This invariant as a :class:`~fiscalcheck.engine.Rule`."""
        return Rule(self.id, self.description or self.expression.source, self.severity, self)

    def applies(self, case: Case, node: Node) -> bool:
        if self.where is not None:
            return self.where.selects(case, node)
        return all(_present(case, node, ref) for ref in self.expression.references
                   if not (isinstance(ref, Measure) and ref.scope == "node"))

    def __call__(self, case: Case, ctx: Context) -> Iterator[Finding]:
        if self.expression.is_global:
            yield self.evaluate(case, ctx, None)
            return
        applied = False
        for node in case.nodes.values():
            if self.applies(case, node):
                applied = True
                yield self.evaluate(case, ctx, node)
        if not applied:
            yield from self._near_misses(case)

    def _near_misses(self, case: Case) -> Iterator[Finding]:
        """An info finding when a measure it names is printed nowhere but a very near name is: a likely typo.

        Only very near names count: a generic pack rule that finds nothing to check
        in a case is normal and must not be noise.
        """
        printed = {m for n in case.nodes.values() for m in n.measures}
        for ref in self.expression.references:
            if ref.name in printed:
                continue
            close = closest(ref.name, sorted(printed), cutoff=0.8)  # float-ok: difflib's ratio; budgt, not count/cost
            if close:
                yield Finding(
                    rule=self.id, severity="info", node="", label="", measure=ref.name,
                    relation=self.expression.source, holds=False, exact=False, case=case.id, origin=self.origin,
                    message=Message.of("invariant-unused", id=repr(self.id), name=repr(ref.name), close=repr(close)),
                )
                return

    def evaluate(self, case: Case, ctx: Context, node: Node | None) -> Finding:
        tree: Comparison = self.expression.tree
        left_text = self.expression.side("left")
        anchor = node or self._anchor(case)
        origin = self.origin if self.in_case or anchor is None else anchor.origin
        try:
            evaluator = _Evaluator(case, ctx, node)
            left = evaluator.value(tree.left)
            right = evaluator.value(tree.right)
            _same(left, right, tree.op)
            unit = left.unit if left.dimension is not None else right.unit
            if anchor is None:  # pragma: no cover - evaluation found every named node
                raise Unevaluable("no node to report on")
            return judge(self.id, case, anchor, left_text, left.quantity(unit), _OPS.get(tree.op, tree.op),
                         right.quantity(unit), right.text, relation=self.expression.source,
                         severity=ctx.severity, origin=origin)
        except Unevaluable as why:
            return self._unevaluable(ctx, anchor, left_text, why.message, why.statements, origin)
        except (DecimalException, ArithmeticError) as error:
            return self._unevaluable(ctx, anchor, left_text, f"arithmetic failed ({type(error).__name__})", (), origin)

    def _anchor(self, case: Case) -> Node | None:
        for ref in self.expression.references:
            if isinstance(ref, Measure) and ref.node in case.nodes:
                return case.nodes[ref.node]
        return None

    def _unevaluable(self, ctx: Context, node: Node | None, measure: str, why: str,
                     statements: tuple[Statement, ...], origin: Location | None) -> Finding:
        case = ctx.case
        return Finding(
            rule=self.id, severity=ctx.severity, node=case.path(node.id) if node else "", label=node.label if node else "",
            measure=measure, relation=self.expression.source, holds=False, exact=False, case=case.id,
            message=Message.of("not-evaluable", source=self.expression.source, why=why), statements=statements,
            origin=origin, node_id=node.id if node else "",
        )


def parse_reference(text: str) -> Measure | Children | None:
    scope, dot, name = text.rpartition(".")
    if not MEASURE_PATTERN.fullmatch(name) or scope not in ("", "parent", "children") or (dot and not scope):
        return None
    if scope == "children":
        return Children(name)
    return Measure(name, "parent" if scope else "self")


def validate_invariants(invariants: Iterable[Invariant], nodes: dict[str, Node]) -> list[Problem]:
    """Problems with a case's own invariants: every name must be one the case prints.

    A case file knows its nodes and measures, so a typo in its invariants is a
    load error with a suggestion (a pack's invariants meet many cases and are
    judged per case instead).
    """
    problems = []
    printed = {m for n in nodes.values() for m in n.measures}
    for invariant in invariants:
        where = invariant.origin
        refs = list(invariant.expression.references) + list(invariant.where.has if invariant.where else ())
        for ref in refs:
            at = f"invariant {invariant.id!r}" + (f": at column {ref.column} of the expression" if ref.column else "")
            if isinstance(ref, Measure) and ref.scope == "node":
                target = nodes.get(ref.node or "")
                if target is None:
                    problems.append(Problem(where, f"{at}: no node {ref.node!r}{suggest(ref.node or '', nodes)}"))
                elif ref.name not in target.measures:
                    problems.append(Problem(where, f"{at}: node {ref.node!r} prints no measure {ref.name!r}"
                                                   f"{suggest(ref.name, target.measures)}"))
            elif ref.name not in printed:
                problems.append(Problem(where, f"{at}: no node of the case prints a measure {ref.name!r}"
                                               f"{suggest(ref.name, printed)}"))
    return problems
