"""The built-in invariants: pure functions from a case to findings.

Each rule reads the case through a :class:`~fiscalcheck.rules.context.Context`
and judges one relation with :func:`~fiscalcheck.rules.judge.judge`. A relation
fails only when no values inside the intervals satisfy it.

A measure whose printings disagree is reported once, by ``statements-agree``;
elsewhere it takes the hull of its printings, so one typo is one finding, not
a cascade.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from ..findings import Finding
from ..findings.messages import Amount, Amounts, Message, place
from ..model import COMPARISONS, Case, Relation
from ..numbers import EXACT, Interval
from .context import Context, Quantity, max_bound, min_bound
from .judge import amount, expression_of, judge

__all__ = ["BUILTIN_CHECKS"]

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

                def agree(exact: bool, difference: Decimal, tolerance: Decimal | None) -> Message:
                    return Message.of("agree" if exact else "agree-within", measure=measure, printings=printings)

                yield judge("statements-agree", case, node, measure, quantities[0], "=", _common(quantities[1:]), None,
                            relation=relation, severity=ctx.severity, extra=statements, describe=agree)
                continue
            a, b = low.statements[0], high.statements[0]
            symbol = low.unit.symbol

            def disagree(exact: bool, difference: Decimal, tolerance: Decimal | None) -> Message:
                shown_tolerance = Message("no-bound-short") if tolerance is None else Amount(tolerance, symbol=symbol)
                return Message.of("disagree", measure=measure, a=a.printed, a_where=place(a), b=b.printed,
                                  b_where=place(b),
                                  difference=Amount(difference, symbol=symbol), tolerance=shown_tolerance)

            yield judge("statements-agree", case, node, measure, low, "=", high, None,
                        relation=relation, severity=ctx.severity, extra=statements, describe=disagree)


def _common(quantities: Sequence[Quantity]) -> Quantity:
    lo = quantities[0].interval.lo
    hi = quantities[0].interval.hi
    for q in quantities[1:]:
        lo = max_bound(lo, q.interval.lo)
        hi = min_bound(hi, q.interval.hi)
    first = quantities[0]
    return Quantity(Interval(lo, hi), first.nominal, first.unit,
                    tuple(s for q in quantities for s in q.statements), first.alternatives)


def _printings(quantities: Sequence[Quantity]) -> Amounts:
    return Amounts(tuple(Message.of("printing", printed=q.statements[0].printed, where=place(q.statements[0]))
                         for q in quantities), ", ")


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
            yield judge(rule, case, node, measure, target, op, total, expression_of(parts, target.unit),
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
                    target, op, _total(parts), expression_of(parts, target.unit), relation=text,
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
                    Amounts((amount(executed, executed.unit), amount(denominator, executed.unit)), " / "),
                    relation=f"rate = executed / {name}", severity=ctx.severity)
    yield from _quotients(case, ctx, "rate")


def share(case: Case, ctx: Context) -> Iterator[Finding]:
    """A printed share equals part / whole."""
    yield from _quotients(case, ctx, "share")


def growth(case: Case, ctx: Context) -> Iterator[Finding]:
    """A printed growth rate equals this / last − 1."""
    yield from _quotients(case, ctx, "growth")


def _over_difference(top: object, a: object, b: object) -> Amounts:
    """``top / (a − b)``, for a message."""
    return Amounts((top, Amounts((Amounts((a, b), " − "), ")"), "")), " / (")


def _quotients(case: Case, ctx: Context, kind: str) -> Iterator[Finding]:
    for relation in _declared(case, kind):
        target = ctx.ref(relation.target)
        a, b = (ctx.ref(o) for o in relation.operands)
        if kind == "growth" and relation.change:  # 增加X，增长Y%: last year = this − change
            quotient = b.over(a - b)
            expression = _over_difference(amount(b, b.unit), amount(a, a.unit), amount(b, b.unit))
            text = f"{relation.target} = {relation.operands[1]} / ({relation.operands[0]} − {relation.operands[1]})"
            yield judge(kind, case, case.nodes[relation.target.node], relation.target.measure, target, "=",
                        quotient, expression, relation=text, severity=relation.severity or ctx.severity,
                        origin=relation.origin)
            continue
        if kind == "rate" and relation.change:  # 超预算X，为预算的Y%: the budget = executed − overrun
            quotient = a.over(a - b)
            expression = _over_difference(amount(a, a.unit), amount(a, a.unit), amount(b, b.unit))
            text = f"{relation.target} = {relation.operands[0]} / ({relation.operands[0]} − {relation.operands[1]})"
            yield judge(kind, case, case.nodes[relation.target.node], relation.target.measure, target, "=",
                        quotient, expression, relation=text, severity=relation.severity or ctx.severity,
                        origin=relation.origin)
            continue
        quotient = a.over(b)
        if kind == "growth" and quotient is not None:
            quotient = quotient.minus_one()
        expression = Amounts((amount(a, a.unit), amount(b, b.unit)), " / ")
        if kind == "growth":
            expression = Amounts((expression, "1"), " − ")
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
            expression = Message.of("parens", inner=expression)
        yield judge("remainder", case, node, "remainder", printed, "=", total - executed,
                    Amounts((expression, amount(executed, printed.unit)), " − "),
                    relation=f"remainder = {name} − executed", severity=ctx.severity)
    for relation in _declared(case, "diff"):
        target = ctx.ref(relation.target)
        a, b = (ctx.ref(o) for o in relation.operands)
        yield judge("remainder", case, case.nodes[relation.target.node], relation.target.measure, target,
                    "=", a - b, Amounts((amount(a, target.unit), amount(b, target.unit)), " − "),
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
                    op, other, amount(other, target.unit),
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
