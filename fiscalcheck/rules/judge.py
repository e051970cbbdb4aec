"""Judging one relation over intervals, and the sentence that says how it came out.

A relation ``target op expected`` holds when some values inside the intervals
satisfy it (XBRL Calculations 1.1 in spirit); ``exact`` says whether the printed
values satisfy it as printed. Every failure names the difference and the
tolerance the printed precision allowed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

import attrs

from ..figures import Unit
from ..findings import Finding
from ..findings.messages import Amount, Amounts, Computed, Message, place
from ..model import Case, Node, Statement
from ..numbers import EXACT
from .context import Quantity, display

__all__ = ["judge", "unique", "expression_of", "amount"]


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


def judge(
    rule: str,
    case: Case,
    node: Node,
    measure: str,
    target: Quantity,
    op: str,
    expected: Quantity | None,
    expression: object,
    *,
    relation: str,
    severity: str = "",
    origin=None,
    extra: tuple[Statement, ...] = (),
    describe: Callable[[bool, Decimal, Decimal | None], Message] | None = None,
) -> Finding:
    """Judge ``target op expected`` over the intervals; the finding's sentence is a :class:`Message`.

    ``expression`` says how ``expected`` was computed, as a message value (an
    :class:`~fiscalcheck.findings.messages.Amounts` of the parts, say): it is
    written only if someone reads the sentence.

    When the target's own printings disagree, the relation is judged against
    each printing and the one that fits best is reported, naming its line: the
    disagreement itself is the business of ``statements-agree``, and the
    reader learns which printing the other figures support.

    ``describe``, when given, words the sentence instead, from whether the
    relation holds as printed, the difference and the tolerance (in the
    display unit, as the finding holds them): ``statements-agree`` speaks of
    printings, not of a sum.
    """
    if target.alternatives:
        arguments = (rule, case, node, measure)
        options = dict(relation=relation, severity=severity, origin=origin, extra=extra + target.statements,
                       describe=describe)
        tried = [(alt, judge(*arguments, alt, op, expected, expression, **options)) for alt in target.alternatives]
        alt, best = min(tried, key=lambda pair: (not pair[1].holds, pair[1].difference is None,
                                                 EXACT.abs(pair[1].difference or Decimal(0))))
        return attrs.evolve(best, message=Message.of("judged-on", message=best.sentence, where=place(alt.statements[0])))
    unit = target.unit
    common = dict(
        rule=rule, severity=severity, node=case.path(node.id), node_id=node.id, label=node.label, measure=measure,
        relation=relation, unit=unit.symbol, origin=origin if origin is not None else node.origin, case=case.id,
    )
    if expected is None:
        return Finding(
            holds=False, exact=False, printed=display(target.nominal, unit),
            message=Message.of("not-computable", measure=measure, target=_shown(target), expression=expression),
            statements=unique(target.statements + extra), **common,
        )
    if expected.unit.dimension != unit.dimension:
        return Finding(
            holds=False, exact=False, printed=display(target.nominal, unit),
            message=Message.of("units-differ", unit=unit.symbol, other=expected.unit.symbol),
            statements=unique(target.statements + expected.statements + extra), **common,
        )
    holds = _HOLDS[op](target.interval, expected.interval)
    exact = _EXACTLY[op](target.nominal, expected.nominal)
    radii = (target.interval.radius, expected.interval.radius)
    tolerance = None if None in radii else EXACT.add(*radii)
    if op == "=":
        difference = EXACT.abs(EXACT.subtract(target.nominal, expected.nominal))
    elif op in ("<=", "<"):
        difference = EXACT.subtract(target.nominal, expected.nominal)
    else:
        difference = EXACT.subtract(expected.nominal, target.nominal)
    shown_difference = display(difference, unit)
    shown_tolerance = None if tolerance is None else display(tolerance, unit)
    if describe is not None:
        message = describe(exact, shown_difference, shown_tolerance)
    else:
        message = _sentence(target, op, expected, expression, holds, exact, difference, tolerance)
    return Finding(
        holds=holds, exact=exact, message=message,
        printed=display(target.nominal, unit), expected=display(expected.nominal, unit),
        expected_range=expected.interval.unscale(unit.scale),
        difference=shown_difference, tolerance=shown_tolerance,
        statements=unique(target.statements + expected.statements + extra), **common,
    )


def _shown(target: Quantity) -> object:
    """A figure as the report printed it (约7.3亿元), a computed one in digits."""
    return target.statements[0].printed if len(target.statements) == 1 else Amount(target.nominal, target.unit)


def _sentence(target: Quantity, op: str, expected: Quantity, expression: object, holds: bool, exact: bool,
              difference: Decimal, tolerance: Decimal | None) -> Message:
    """The one sentence of a finding; difference and tolerance are shown only when they matter."""
    unit = target.unit
    place = _message_place(target, expected)
    computed = Computed(expression, Amount(expected.nominal, unit, place))
    if holds and exact:
        return Message.of("holds", target=_shown(target), op=op, computed=computed)
    shown_difference = Amount(EXACT.abs(difference), unit, place)
    shown_tolerance = Message("no-bound") if tolerance is None else Amount(tolerance, unit, place)
    key = "holds-within" if holds else f"fails-{op}"
    return Message.of(key, target=_shown(target), op=op, computed=computed,
                      difference=shown_difference, tolerance=shown_tolerance)


def _message_place(target: Quantity, expected: Quantity) -> Decimal | None:
    """Where a recomputed quotient is rounded for a message: two digits finer than the printing.

    An exact value (a sum or difference of printed figures) is never rounded: it is
    shown to its last digit (``None`` here), so a message and a table agree.
    """
    if not expected.rounded:
        return None
    places = [s.figure.place for s in target.statements if s.figure.unit == target.unit]
    return EXACT.scaleb(min(places), -2) if places else None


def unique(statements: Iterable[Statement]) -> tuple[Statement, ...]:
    """Each statement once, in order of first appearance; by identity, not equality
    (the same text printed on two lines is two statements)."""
    return tuple({id(s): s for s in statements}.values())


def expression_of(parts: Sequence[Quantity], unit: Unit, joiner: str = " + ", limit: int = 6) -> object:
    """The parts of a sum as a message value: ``a + b + c``, or "the sum of its 8 parts"."""
    if len(parts) > limit:
        return Message.of("sum-of-parts", count=len(parts))
    return Amounts(tuple(Amount(p.nominal, unit) for p in parts), joiner)


def amount(quantity: Quantity, unit: Unit) -> Amount:
    """A quantity's nominal value, for an expression, in ``unit``."""
    return Amount(quantity.nominal, unit)
