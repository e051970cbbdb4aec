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
from ..model import Case, Node, Statement
from ..numbers import EXACT
from .context import Quantity, display, fmt

__all__ = ["judge", "unique", "expression_of"]


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
        alt, best = min(tried, key=lambda pair: (not pair[1].holds, pair[1].difference is None, EXACT.abs(pair[1].difference or Decimal(0))))
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
            holds=False, exact=False, printed=display(target.nominal, unit),
            message=f"{measure} {_shown(target)}: {expression} cannot be computed (a divisor may be zero)",
            statements=unique(target.statements + extra), **common,
        )
    if expected.unit.dimension != unit.dimension:
        return Finding(
            holds=False, exact=False, printed=display(target.nominal, unit),
            message=f"cannot compare {unit.symbol} with {expected.unit.symbol}: units of different kinds",
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


def _shown(target: Quantity) -> str:
    """A figure as the report printed it (约7.3亿元), a computed one in digits."""
    return target.statements[0].printed if len(target.statements) == 1 else fmt(target.nominal, target.unit)


def _sentence(target: Quantity, op: str, expected: Quantity, expression: str, holds: bool, exact: bool,
              difference: Decimal, tolerance: Decimal | None) -> str:
    """The one sentence of a finding; difference and tolerance are shown only when they matter."""
    unit = target.unit
    place = _message_place(target, expected)
    shown_expected = fmt(expected.nominal, unit, place)
    computed = expression if expression == shown_expected else f"{expression} = {shown_expected}"
    if holds and exact:
        return f"{_shown(target)} {op} {computed}"
    shown_difference = fmt(EXACT.abs(difference), unit, place)
    shown_tolerance = "no bound (a one-sided figure)" if tolerance is None else fmt(tolerance, unit, place)
    if holds:
        return (f"{_shown(target)} {op} {computed} within the printed precision "
                f"(difference {shown_difference}, tolerance {shown_tolerance})")
    if op == "=":
        return (f"{_shown(target)} should equal {computed}: difference {shown_difference}, "
                f"more than the {shown_tolerance} the printed precision allows")
    return (f"{_shown(target)} should {_WORDS[op]} {computed}: off by {shown_difference}, "
            f"more than the {shown_tolerance} the printed precision allows")


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


def expression_of(parts: Sequence[Quantity], unit: Unit, joiner: str = " + ", limit: int = 6) -> str:
    if len(parts) > limit:
        return f"the sum of its {len(parts)} parts"
    return joiner.join(fmt(p.nominal, unit) for p in parts)


