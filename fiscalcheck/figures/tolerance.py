"""The one place that decides what interval a printed figure stands for.

Order of decision, as in beancount's tolerance inference: what the statement
declares (``exact``, ``rounding``) first, then the case policy, then the
printed digits. Nothing else in fiscalcheck widens a figure; every finding
prints the tolerance that came out of here.

=============================  =============================================
printed                        interval (``place`` = last printed digit)
=============================  =============================================
``7.3亿元``, nearest            [7.25, 7.35]亿元: ± half a place
``7.3亿元``, truncate           [7.3, 7.4]亿元: up to one place more
declared exact, or a count     the point itself
``约8900万元``                  8900 ± about × 100 (its last significant digit)
``约6.19亿元``, truncate        [6.19, 6.19 + 2 × about × 0.01]亿元
``近50%``                       [50 − 10, 50]%: up to one significant place less
``超过3亿元``, ``100余次``       [figure, +∞)
``不超过2000万元``              (−∞, figure]
=============================  =============================================

Last, the policy's ``floor`` (in 元, default 0) widens every yuan figure to at
least ± floor around its printed value, exact figures included: an audit office
that does not pursue differences of a few 元 sets it once (a rule pack's
``policy: {floor: "1"}``). A relation over n figures then tolerates n × floor
more; the floor never narrows a figure, so it can only remove findings.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from ..errors import suggest

from ..numbers import EXACT, Interval, to_decimal
from ..record import Record
from .grammar import Figure

__all__ = ["Policy", "ROUNDINGS", "rounding_problem", "interval", "printed_interval", "is_exact", "with_floor", "reach"]

#: How a printed figure was rounded: to the nearest value of its last place, or cut off.
ROUNDINGS = ("nearest", "truncate")
_ONE, _TWO = Decimal(1), Decimal(2)


def rounding_problem(value: object) -> str | None:
    """What is wrong with ``value`` as a rounding mode; ``None`` when nothing. The one check of one."""
    if value in ROUNDINGS:
        return None
    return f"expected rounding {' or '.join(ROUNDINGS)}, got {value!r}{suggest(str(value), ROUNDINGS)}"


def _rounding(policy: object, attribute: object, value: str) -> None:
    problem = rounding_problem(value)
    if problem:
        raise ValueError(problem)


def _not_negative(what: str):
    def check(policy: object, attribute: object, value: Decimal) -> None:
        if value < 0:
            raise ValueError(f"policy {what} must be 0 or more, got {value}")
    return check


@attrs.frozen(repr=False, eq=False)
class Policy(Record):
    """How printed figures are read: see :mod:`fiscalcheck.tolerance`.

    ``floor`` is the least half-width, in 元, of every yuan figure (0: none):
    an audit office that does not pursue differences below 1元 says so once,
    here, instead of in every relation. ``declared`` names the keys the case
    file wrote, so a rule pack's policy fills in only what the case left open
    (the case knows how its report prints; the pack, what the office tolerates).
    """

    rounding: str = attrs.field(default="nearest", validator=_rounding)
    about: Decimal = attrs.field(default=Decimal("0.5"), converter=to_decimal, validator=_not_negative("'about'"))
    exact: tuple[str, ...] = ()
    floor: Decimal = attrs.field(default=Decimal(0), converter=to_decimal, validator=_not_negative("'floor' (元)"))
    declared: tuple[str, ...] = attrs.field(default=(), eq=False, repr=False)




def is_exact(statement, measure: str, policy: Policy) -> bool:
    """Whether a statement is read as an exact figure."""
    if statement.figure.qualifier is not None:
        return False
    if statement.exact is not None:
        return statement.exact
    if measure in policy.exact:
        return True
    figure = statement.figure
    return figure.unit.dimension == "count" and figure.value == figure.value.to_integral_value()


def printed_interval(figure: Figure, *, exact: bool, rounding: str, about: Decimal) -> Interval:
    """The interval of values, in the figure's own unit, that print as ``figure``."""
    return Interval(*_bounds(figure, exact, rounding, about))


def _bounds(figure: Figure, exact: bool, rounding: str, about: Decimal) -> tuple[Decimal | None, Decimal | None]:
    """:func:`printed_interval`'s bounds, made into an Interval once by whoever scales them."""
    value = figure.value
    qualifier = figure.qualifier
    if qualifier is not None:
        if qualifier == "about":
            half = EXACT.multiply(about, figure.significant_place)
            if rounding == "truncate":  # 约 a truncated figure: the whole width lies above it
                return value, EXACT.add(value, EXACT.add(half, half))
            return EXACT.subtract(value, half), EXACT.add(value, half)
        if qualifier == "nearly":
            return EXACT.subtract(value, figure.significant_place), value
        if qualifier == "over":
            return value, None
        if qualifier == "at-most":
            return None, value
    if exact:
        return value, value
    place = figure.place
    if rounding == "truncate":  # digits cut off, toward zero: the true value lies further out
        if value < 0:
            return EXACT.subtract(value, place), value
        return value, EXACT.add(value, place)
    half = EXACT.divide(place, _TWO)
    return EXACT.subtract(value, half), EXACT.add(value, half)


def interval(statement, measure: str, policy: Policy) -> Interval:
    """The interval a statement stands for, in the base unit of its dimension (元 for yuan).

    Computed on bounds and made an Interval once: the rules and the diagnosis ask this
    some 1,200 times for the 2020 case, and each Interval built is a validated record.
    """
    figure = statement.figure
    lo, hi = _bounds(figure, is_exact(statement, measure, policy), statement.rounding or policy.rounding, policy.about)
    scale = figure.unit.scale  # positive, a power of ten: the bounds keep their order
    lo = None if lo is None else EXACT.multiply(lo, scale)
    hi = None if hi is None else EXACT.multiply(hi, scale)
    if policy.floor and figure.unit.dimension == "CNY":
        lo, hi = _floored(lo, hi, figure.base_value, policy.floor)
    return Interval(lo, hi)


def reach(figure: Figure, policy: Policy) -> Decimal:
    """How far from ``figure``'s value, in base units, a statement printing it can stand for,
    whatever it declares (exact, rounding) and whatever it measures: with this, a search over
    candidate figures passes over one that cannot meet an interval before writing its text
    (the diagnosis' corrections do).

    Each row of the table above lies within one significant place of the value, or within
    2 × about of one (约, truncated); the last printed digit is never above the last significant
    one. The floor adds to that. Not for one-sided figures (超过, 不超过): they reach without bound.
    """
    far = EXACT.multiply(EXACT.multiply(figure.significant_place, max(_ONE, EXACT.add(policy.about, policy.about))),
                         figure.unit.scale)
    return EXACT.add(far, policy.floor) if figure.unit.dimension == "CNY" else far


def with_floor(interval: Interval, value: Decimal, floor: Decimal) -> Interval:
    """``interval`` widened to contain ``[value − floor, value + floor]`` (unbounded sides stay so)."""
    return Interval(*_floored(interval.lo, interval.hi, value, floor))


def _floored(lo: Decimal | None, hi: Decimal | None, value: Decimal,
             floor: Decimal) -> tuple[Decimal | None, Decimal | None]:
    return (None if lo is None else min(lo, EXACT.subtract(value, floor)),
            None if hi is None else max(hi, EXACT.add(value, floor)))
