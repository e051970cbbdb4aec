"""The built-in invariants: pure functions from a case to findings.

Each rule reads the case through a :class:`Context`, which turns a measure's
statements into a :class:`Quantity` (the interval every printing allows, in the
base unit of its dimension) and judges one relation with :func:`judge`. A
relation fails only when no values inside the intervals satisfy it.

A measure whose printings disagree is reported once, by ``statements-agree``;
elsewhere it takes the hull of its printings, so one typo is one finding, not
a cascade.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Context as DecimalContext
from decimal import Decimal

import attrs

from .figure import UNITS, Unit
from .findings import Finding
from .interval import EXACT, Interval
from .model import COMPARISONS, Case, Node, Ref, Relation, Statement
from .tolerance import interval as statement_interval

__all__ = ["Quantity", "Context", "judge", "BUILTIN_CHECKS"]

_DISPLAY = DecimalContext(prec=40)
_SHORT = DecimalContext(prec=12)  # for showing computed values only; judging uses intervals
_PERCENT = UNITS["%"]


@attrs.frozen(repr=False, eq=False)  # working values of the rules, never shown or compared: identity will do
class Quantity:
    """What the printed figures say of one value: an interval and a nominal value.

    Both are in the base unit of ``unit``'s dimension. ``nominal`` is the value
    as printed by the most precise statement (or as computed from nominal values).
    """

    interval: Interval
    nominal: Decimal
    unit: Unit
    statements: tuple[Statement, ...]
    #: One quantity per printing, when the printings disagree (see :func:`judge`).
    alternatives: tuple["Quantity", ...] = ()

    def __add__(self, other: "Quantity") -> "Quantity":
        return Quantity(self.interval + other.interval, EXACT.add(self.nominal, other.nominal),
                        self.unit, self.statements + other.statements)

    def __sub__(self, other: "Quantity") -> "Quantity":
        return Quantity(self.interval - other.interval, EXACT.subtract(self.nominal, other.nominal),
                        self.unit, self.statements + other.statements)

    def over(self, other: "Quantity") -> "Quantity | None":
        """``self / other`` as a ratio; ``None`` when the divisor may be zero."""
        quotient = self.interval.divide(other.interval)
        if quotient is None or other.nominal == 0:
            return None
        return Quantity(quotient, _DISPLAY.divide(self.nominal, other.nominal), _PERCENT,
                        self.statements + other.statements)

    def minus_one(self) -> "Quantity":
        one = Interval.point(Decimal(1))
        return Quantity(self.interval - one, self.nominal - 1, self.unit, self.statements)


def _display(value: Decimal, unit: Unit) -> Decimal:
    return _DISPLAY.divide(value, unit.scale)


def fmt(value: Decimal | None, unit: Unit | None = None, place: Decimal | None = None) -> str:
    """A figure for a message: plain digits, no exponent, in ``unit`` when given."""
    if value is None:
        return "∞"
    shown = _display(value, unit) if unit is not None else value
    if place is not None and shown.as_tuple().exponent < place.as_tuple().exponent:
        shown = shown.quantize(place)
    elif len(shown.as_tuple().digits) > 12:  # a computed quotient: 12 digits say enough
        shown = _SHORT.plus(shown)
    text = f"{shown.normalize():f}" if shown != 0 else "0"
    return f"{text}{unit.symbol}" if unit is not None else text


class Context:
    """Read-only access to a case's measures as quantities, computed once each.

    ``severity`` is the default severity of the rule being run: the engine hands
    each rule :meth:`for_rule`'s view, so a finding is built with its severity
    once rather than rebuilt by the engine. ``""`` (a context made outside the
    engine) leaves it to the engine.
    """

    def __init__(self, case: Case, severity: str = ""):
        self.case = case
        self.severity = severity
        self._cache: dict[tuple[str, str], Quantity | None] = {}
        self._printings: dict[tuple[int, str], Quantity] = {}
        self._transfers_in: dict[str, list] = {}
        self._transfers_out: dict[str, list] = {}
        for transfer in case.transfers:
            self._transfers_in.setdefault(transfer.target_fund, []).append(transfer)
            self._transfers_out.setdefault(transfer.source_fund, []).append(transfer)

    def for_rule(self, severity: str) -> "Context":
        """This context for a rule whose findings default to ``severity``: the same case and caches."""
        view = copy.copy(self)
        view.severity = severity
        return view

    def printing(self, statement: Statement, measure: str) -> Quantity:
        """One printing of ``measure`` as a quantity, computed once per statement.

        ``statements-agree`` reads a measure's printings one by one and the other
        rules read them together: both start from here. The key is the statement's
        identity (hashing a statement would hash its every field); the cached
        quantity holds the statement, so the identity is never reused while cached.
        """
        key = (id(statement), measure)
        quantity = self._printings.get(key)
        if quantity is None:
            figure = statement.figure
            interval = statement_interval(statement, measure, self.case.policy)
            quantity = self._printings[key] = Quantity(interval, figure.base_value, figure.unit, (statement,))
        return quantity

    def statements_quantity(self, statements: Sequence[Statement], measure: str) -> Quantity:
        if len(statements) == 1:
            return self.printing(statements[0], measure)
        intervals = [self.printing(s, measure).interval for s in statements]
        joint = intervals[0]
        hull = intervals[0]
        for other in intervals[1:]:
            joint = Interval(_max(joint.lo, other.lo), _min(joint.hi, other.hi))
            hull = Interval(_min(hull.lo, other.lo, none_wins=True), _max(hull.hi, other.hi, none_wins=True))
        best = min(range(len(statements)), key=lambda i: _width(intervals[i]))
        unit = statements[0].figure.unit
        if joint.lo is not None and joint.hi is not None and joint.lo > joint.hi:
            alternatives = tuple(
                Quantity(i, s.figure.base_value, unit, (s,)) for i, s in zip(intervals, statements)
            )
            return Quantity(hull, statements[best].figure.base_value, unit, tuple(statements), alternatives)
        return Quantity(joint, statements[best].figure.base_value, unit, tuple(statements))

    def quantity(self, node_id: str, measure: str) -> Quantity | None:
        key = (node_id, measure)
        if key not in self._cache:
            node = self.case.nodes.get(node_id)
            statements = node.measures.get(measure) if node else None
            self._cache[key] = self.statements_quantity(statements, measure) if statements else None
        return self._cache[key]

    def ref(self, ref: Ref) -> Quantity | None:
        return self.quantity(ref.node, ref.measure)

    def transfers(self, node_id: str) -> tuple[list, list]:
        return self._transfers_in.get(node_id, []), self._transfers_out.get(node_id, [])

    def base(self, node: Node) -> tuple[str, Quantity] | None:
        """The base of a node's execution: its adjusted budget if printed, else its budget."""
        for name in ("adjusted", "budget"):
            quantity = self.quantity(node.id, name)
            if quantity is not None:
                return name, quantity
        return None

    def available(self, node: Node, unit: Unit) -> tuple[str, Quantity, str] | None:
        """What a fund may spend: its adjusted budget, or its budget plus transfers in, minus out.

        Returns the relation's name for the base, the quantity, and the
        expression a message shows (in ``unit``).
        """
        base = self.base(node)
        if base is None:
            return None
        name, total = base
        expression = fmt(total.nominal, unit)
        if name == "budget":
            incoming, outgoing = self.transfers(node.id)
            for transfer in incoming:
                amount = self.statements_quantity(transfer.amount, "transfer")
                total = total + amount
                expression += f" + {fmt(amount.nominal, unit)} from {transfer.source_fund}"
            for transfer in outgoing:
                amount = self.statements_quantity(transfer.amount, "transfer")
                total = total - amount
                expression += f" − {fmt(amount.nominal, unit)} to {transfer.target_fund}"
            if incoming or outgoing:
                name = "budget ± transfers"
        return name, total, expression


def _width(interval: Interval) -> Decimal:
    radius = interval.radius
    return Decimal("Infinity") if radius is None else radius


def _max(a, b, none_wins=False):
    if a is None or b is None:
        return None if none_wins else (b if a is None else a)
    return max(a, b)


def _min(a, b, none_wins=False):
    if a is None or b is None:
        return None if none_wins else (b if a is None else a)
    return min(a, b)


_HOLDS = {
    "=": lambda t, e: t.intersects(e),
    "<=": lambda t, e: t.lo is None or e.hi is None or t.lo <= e.hi,
    "<": lambda t, e: t.lo is None or e.hi is None or t.lo < e.hi,
    ">=": lambda t, e: t.hi is None or e.lo is None or t.hi >= e.lo,
    ">": lambda t, e: t.hi is None or e.lo is None or t.hi > e.lo,
}
_EXACTLY = {
    "=": lambda t, e: t == e,
    "<=": lambda t, e: t <= e,
    "<": lambda t, e: t < e,
    ">=": lambda t, e: t >= e,
    ">": lambda t, e: t > e,
}
_WORDS = {"=": "equal", "<=": "be at most", "<": "be less than", ">=": "be at least", ">": "be more than"}


def judge(
    rule: str,
    case: Case,
    node: Node,
    measure: str,
    target: Quantity,
    op: str,
    expected: Quantity | None,
    expression: str,
    *,
    relation: str,
    severity: str = "",
    origin=None,
    extra: tuple[Statement, ...] = (),
    describe: Callable[[bool, Decimal, Decimal | None], str] | None = None,
) -> Finding:
    """Judge ``target op expected`` over the intervals and describe it in one sentence.

    When the target's own printings disagree, the relation is judged against
    each printing and the one that fits best is reported, naming its line: the
    disagreement itself is the business of ``statements-agree``, and the
    reader learns which printing the other figures support.

    ``describe``, when given, words the sentence instead, from whether the
    relation holds as printed, the difference and the tolerance (in the
    display unit, as the finding holds them): ``statements-agree`` speaks of
    printings, not of a sum, and so no sentence is built only to be replaced.
    """
    if target.alternatives:
        arguments = (rule, case, node, measure)
        options = dict(relation=relation, severity=severity, origin=origin, extra=extra + target.statements,
                       describe=describe)
        tried = [(alt, judge(*arguments, alt, op, expected, expression, **options)) for alt in target.alternatives]
        alt, best = min(tried, key=lambda pair: (not pair[1].holds, pair[1].difference is None, abs(pair[1].difference or 0)))
        line = alt.statements[0].line
        return attrs.evolve(best, message=f"{best.message} [judged on the printing at line {line}; "
                                          f"its other printings disagree, see statements-agree]")
    unit = target.unit
    common = dict(
        rule=rule, severity=severity, node=case.path(node.id), label=node.label, measure=measure,
        relation=relation, unit=unit.symbol, origin=origin if origin is not None else node.origin, case=case.id,
    )
    if expected is None:
        return Finding(
            holds=False, exact=False, printed=_display(target.nominal, unit),
            message=f"{measure} {_shown(target)}: {expression} cannot be computed (a divisor may be zero)",
            statements=_unique(target.statements + extra), **common,
        )
    if expected.unit.dimension != unit.dimension:
        return Finding(
            holds=False, exact=False, printed=_display(target.nominal, unit),
            message=f"cannot compare {unit.symbol} with {expected.unit.symbol}: units of different kinds",
            statements=_unique(target.statements + expected.statements + extra), **common,
        )
    holds = _HOLDS[op](target.interval, expected.interval)
    exact = _EXACTLY[op](target.nominal, expected.nominal)
    radii = (target.interval.radius, expected.interval.radius)
    tolerance = None if None in radii else EXACT.add(*radii)
    if op == "=":
        difference = abs(target.nominal - expected.nominal)
    elif op in ("<=", "<"):
        difference = target.nominal - expected.nominal
    else:
        difference = expected.nominal - target.nominal
    shown_difference = _display(abs(difference) if op == "=" else difference, unit)
    shown_tolerance = None if tolerance is None else _display(tolerance, unit)
    if describe is not None:
        message = describe(exact, shown_difference, shown_tolerance)
    else:
        message = _sentence(target, op, expected, expression, holds, exact, difference, tolerance)
    return Finding(
        holds=holds, exact=exact, message=message,
        printed=_display(target.nominal, unit), expected=_display(expected.nominal, unit),
        expected_range=expected.interval.unscale(unit.scale),
        difference=shown_difference, tolerance=shown_tolerance,
        statements=_unique(target.statements + expected.statements + extra), **common,
    )


def _shown(target: Quantity) -> str:
    """A figure as the report printed it (约7.3亿元), a computed one in digits."""
    return target.statements[0].printed if len(target.statements) == 1 else fmt(target.nominal, target.unit)


def _sentence(target: Quantity, op: str, expected: Quantity, expression: str, holds: bool, exact: bool,
              difference: Decimal, tolerance: Decimal | None) -> str:
    """The one sentence of a finding; difference and tolerance are shown only when they matter."""
    unit = target.unit
    place = _message_place(target)
    shown_expected = fmt(expected.nominal, unit, place)
    computed = expression if expression == shown_expected else f"{expression} = {shown_expected}"
    if holds and exact:
        return f"{_shown(target)} {op} {computed}"
    shown_difference = fmt(abs(difference), unit, place)
    shown_tolerance = "no bound (a one-sided figure)" if tolerance is None else fmt(tolerance, unit, place)
    if holds:
        return (f"{_shown(target)} {op} {computed} within the printed precision "
                f"(difference {shown_difference}, tolerance {shown_tolerance})")
    if op == "=":
        return (f"{_shown(target)} should equal {computed}: difference {shown_difference}, "
                f"more than the {shown_tolerance} the printed precision allows")
    return (f"{_shown(target)} should {_WORDS[op]} {computed}: off by {shown_difference}, "
            f"more than the {shown_tolerance} the printed precision allows")


def _message_place(target: Quantity) -> Decimal | None:
    """Computed values are shown two digits finer than the most precise printing."""
    places = [s.figure.place for s in target.statements if s.figure.unit == target.unit]
    return min(places) / 100 if places else None


def _unique(statements: Iterable[Statement]) -> tuple[Statement, ...]:
    """Each statement once, in order of first appearance; by identity, not equality
    (the same text printed on two lines is two statements)."""
    return tuple({id(s): s for s in statements}.values())


def _expression(parts: Sequence[Quantity], unit: Unit, joiner: str = " + ", limit: int = 6) -> str:
    if len(parts) > limit:
        return f"the sum of its {len(parts)} parts"
    return joiner.join(fmt(p.nominal, unit) for p in parts)


# -- the rules ---------------------------------------------------------------


def statements_agree(case: Case, ctx: Context) -> Iterator[Finding]:
    """All printings of one figure agree within their precision."""
    for node in case.nodes.values():
        for measure, statements in node.measures.items():
            if len(statements) < 2:
                continue
            quantities = [ctx.printing(s, measure) for s in statements]
            if len({q.unit.dimension for q in quantities}) > 1:
                continue  # reported by the loader
            low = max(quantities, key=lambda q: (q.interval.lo is not None, q.interval.lo or 0))
            high = min(quantities, key=lambda q: (q.interval.hi is None, q.interval.hi or 0))
            relation = f"{measure}: all {len(statements)} printings agree"
            if low is high or not high.interval.below(low.interval):
                printings = _printings(quantities)

                def agree(exact: bool, difference: Decimal, tolerance: Decimal | None) -> str:
                    return f"{measure}: {printings} agree {'as printed' if exact else 'within their printed precision'}"

                yield judge("statements-agree", case, node, measure, quantities[0], "=", _common(quantities[1:]), "",
                            relation=relation, severity=ctx.severity, extra=statements, describe=agree)
                continue
            a, b = low.statements[0], high.statements[0]
            symbol = low.unit.symbol

            def disagree(exact: bool, difference: Decimal, tolerance: Decimal | None) -> str:
                shown_tolerance = f"{fmt(tolerance)}{symbol}" if tolerance is not None else "no bound"
                return (f"{measure} is printed as {a.printed} (line {a.line}) and as {b.printed} (line {b.line}): "
                        f"they cannot both hold; difference {fmt(difference, None)}{symbol}, "
                        f"more than the {shown_tolerance} their printed precision allows")

            yield judge("statements-agree", case, node, measure, low, "=", high, "",
                        relation=relation, severity=ctx.severity, extra=statements, describe=disagree)


def _common(quantities: Sequence[Quantity]) -> Quantity:
    lo = quantities[0].interval.lo
    hi = quantities[0].interval.hi
    for q in quantities[1:]:
        lo = _max(lo, q.interval.lo)
        hi = _min(hi, q.interval.hi)
    first = quantities[0]
    return Quantity(Interval(lo, hi), first.nominal, first.unit,
                    tuple(s for q in quantities for s in q.statements), first.alternatives)


def _printings(quantities: Sequence[Quantity]) -> str:
    return ", ".join(f"{q.statements[0].printed} (line {q.statements[0].line})" for q in quantities)


def _rollups(case: Case, ctx: Context, tables: bool) -> Iterator[Finding]:
    rule = "table-total" if tables else "parts-sum"
    for node in case.nodes.values():
        if (node.kind == "table") != tables or not node.counted_children:
            continue
        children = [case.nodes[c] for c in node.counted_children]
        if node.sums is not None:
            measures = node.sums
        else:
            measures = tuple(
                m for m, statements in node.measures.items()
                if statements[0].figure.unit.additive and all(m in c.measures for c in children)
            )
        for measure in measures:
            target = ctx.quantity(node.id, measure)
            parts = [ctx.quantity(c.id, measure) for c in children]
            if target is None or any(p is None for p in parts):
                continue
            total = _total(parts)
            op = ">=" if node.partial else "="
            relation = f"{measure} {op} sum(children.{measure})"
            yield judge(rule, case, node, measure, target, op, total, _expression(parts, target.unit),
                        relation=relation, severity=ctx.severity)


def _total(parts: Sequence[Quantity]) -> Quantity:
    """``parts[0] + parts[1] + ...`` in one pass: the same exact sums, in the same order,
    without a quantity (and a longer tuple of statements) for every partial sum."""
    first = parts[0]
    lo, hi, nominal = first.interval.lo, first.interval.hi, first.nominal
    for part in parts[1:]:
        lo = None if lo is None or part.interval.lo is None else EXACT.add(lo, part.interval.lo)
        hi = None if hi is None or part.interval.hi is None else EXACT.add(hi, part.interval.hi)
        nominal = EXACT.add(nominal, part.nominal)
    return Quantity(Interval(lo, hi), nominal, first.unit, tuple(s for part in parts for s in part.statements))


def parts_sum(case: Case, ctx: Context) -> Iterator[Finding]:
    """Parts add up to their total: amounts and counts, "其中" lists, declared sums."""
    yield from _rollups(case, ctx, tables=False)
    for relation in _declared(case, "sum"):
        target = ctx.ref(relation.target)
        parts = [ctx.ref(o) for o in relation.operands]
        op = ">=" if relation.partial else "="
        text = f"{relation.target} {op} {' + '.join(map(str, relation.operands))}"
        yield judge("parts-sum", case, case.nodes[relation.target.node], relation.target.measure,
                    target, op, _total(parts), _expression(parts, target.unit), relation=text,
                    severity=relation.severity or ctx.severity, origin=relation.origin)


def table_total(case: Case, ctx: Context) -> Iterator[Finding]:
    """Each column of a table sums to its total row."""
    yield from _rollups(case, ctx, tables=True)


def within_budget(case: Case, ctx: Context) -> Iterator[Finding]:
    """Spending stays within the adjusted budget (budget plus transfers in, minus out)."""
    for node in case.nodes.values():
        executed = ctx.quantity(node.id, "executed")
        if executed is None or node.kind == "revenue":
            continue
        available = ctx.available(node, executed.unit)
        if available is None:
            continue
        name, ceiling, expression = available
        yield judge("within-budget", case, node, "executed", executed, "<=", ceiling, expression,
                    relation=f"executed <= {name}", severity=ctx.severity)


def rate(case: Case, ctx: Context) -> Iterator[Finding]:
    """A printed execution rate equals executed / (adjusted or budget), as rounded."""
    for node in case.nodes.values():
        printed = ctx.quantity(node.id, "rate")
        if printed is None:  # most nodes print no rate: nothing more to read
            continue
        executed = ctx.quantity(node.id, "executed")
        base = ctx.base(node)
        if executed is None or base is None:
            continue
        name, denominator = base
        yield judge("rate", case, node, "rate", printed, "=", executed.over(denominator),
                    f"{fmt(executed.nominal, executed.unit)} / {fmt(denominator.nominal, executed.unit)}",
                    relation=f"rate = executed / {name}", severity=ctx.severity)
    yield from _quotients(case, ctx, "rate")


def share(case: Case, ctx: Context) -> Iterator[Finding]:
    """A printed share equals part / whole."""
    yield from _quotients(case, ctx, "share")


def growth(case: Case, ctx: Context) -> Iterator[Finding]:
    """A printed growth rate equals this / last − 1."""
    yield from _quotients(case, ctx, "growth")


def _quotients(case: Case, ctx: Context, kind: str) -> Iterator[Finding]:
    for relation in _declared(case, kind):
        target = ctx.ref(relation.target)
        a, b = (ctx.ref(o) for o in relation.operands)
        quotient = a.over(b)
        if kind == "growth" and quotient is not None:
            quotient = quotient.minus_one()
        expression = f"{fmt(a.nominal, a.unit)} / {fmt(b.nominal, b.unit)}" + (" − 1" if kind == "growth" else "")
        shown = " − 1" if kind == "growth" else ""
        text = f"{relation.target} = {relation.operands[0]} / {relation.operands[1]}{shown}"
        yield judge(kind, case, case.nodes[relation.target.node], relation.target.measure, target, "=",
                    quotient, expression, relation=text, severity=relation.severity or ctx.severity,
                    origin=relation.origin)


def remainder(case: Case, ctx: Context) -> Iterator[Finding]:
    """A printed remainder equals (adjusted or budget) − executed; declared differences likewise."""
    for node in case.nodes.values():
        printed = ctx.quantity(node.id, "remainder")
        if printed is None:  # most nodes print no remainder: nothing more to read
            continue
        executed = ctx.quantity(node.id, "executed")
        available = ctx.available(node, printed.unit)
        if executed is None or available is None:
            continue
        name, total, expression = available
        if "±" in name:
            expression = f"({expression})"
        yield judge("remainder", case, node, "remainder", printed, "=", total - executed,
                    f"{expression} − {fmt(executed.nominal, printed.unit)}",
                    relation=f"remainder = {name} − executed", severity=ctx.severity)
    for relation in _declared(case, "diff"):
        target = ctx.ref(relation.target)
        a, b = (ctx.ref(o) for o in relation.operands)
        yield judge("remainder", case, case.nodes[relation.target.node], relation.target.measure, target,
                    "=", a - b, f"{fmt(a.nominal, target.unit)} − {fmt(b.nominal, target.unit)}",
                    relation=f"{relation.target} = {relation.operands[0]} − {relation.operands[1]}",
                    severity=relation.severity or ctx.severity, origin=relation.origin)


def comparison(case: Case, ctx: Context) -> Iterator[Finding]:
    """Declared comparisons between two figures (eq, le, ge, lt, gt)."""
    for relation in case.relations:
        if relation.kind not in COMPARISONS:
            continue
        op = COMPARISONS[relation.kind]
        target = ctx.ref(relation.target)
        other = ctx.ref(relation.operands[0])
        yield judge("comparison", case, case.nodes[relation.target.node], relation.target.measure, target,
                    op, other, fmt(other.nominal, target.unit),
                    relation=f"{relation.target} {op} {relation.operands[0]}",
                    severity=relation.severity or ctx.severity, origin=relation.origin)


def _declared(case: Case, kind: str) -> Iterator[Relation]:
    return (r for r in case.relations if r.kind == kind)


#: (id, description, default severity, function), in the order findings are listed.
BUILTIN_CHECKS = (
    ("statements-agree", "all printings of one figure agree within their precision", "error", statements_agree),
    ("parts-sum", "parts add up to their total (amounts and counts; >= for a partial 其中 list)", "error", parts_sum),
    ("table-total", "each table column sums to its total row", "error", table_total),
    ("within-budget", "executed <= adjusted budget (budget plus transfers in, minus out)", "error", within_budget),
    ("rate", "a printed rate = executed / adjusted (or budget), as rounded", "error", rate),
    ("remainder", "a printed remainder = budget − executed; declared differences", "error", remainder),
    ("share", "a printed share = part / whole, as rounded", "warning", share),
    ("growth", "a printed growth rate = this / last − 1, as rounded", "warning", growth),
    ("comparison", "declared comparisons between figures hold", "error", comparison),
)
