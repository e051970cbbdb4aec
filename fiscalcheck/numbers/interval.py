"""Closed intervals of exact decimals, with outward rounding where division needs it.

A printed figure stands for every value that prints that way; relations between
figures are then relations between intervals, in the manner of XBRL Calculations
1.1. Addition, subtraction and multiplication of decimals are exact here (the
context traps :class:`decimal.Inexact`, so a sum that would need rounding is a
loud error rather than a quiet one). Division rounds each bound outward, so the
computed interval always contains the true quotient: never a false alarm from
arithmetic.

A bound of ``None`` is unbounded: ``超过3亿元`` is ``[3亿, None]``.
"""

from __future__ import annotations

from decimal import Decimal, Inexact

import attrs

from ..record import Record
from .contexts import DOWN, EXACT, PRODUCT_DOWN, PRODUCT_UP, UP

__all__ = ["Interval"]

_INFINITY = Decimal("Infinity")


def _extended(interval: "Interval") -> tuple[Decimal, Decimal]:
    """Bounds with ``None`` read as -∞ / +∞, for corner products and quotients."""
    return (-_INFINITY if interval.lo is None else interval.lo,
            _INFINITY if interval.hi is None else interval.hi)


def _bounded(lo: Decimal, hi: Decimal) -> "Interval":
    return Interval(None if lo.is_infinite() else lo, None if hi.is_infinite() else hi)


def _divide_exactly(value: Decimal, factor: Decimal, outward) -> Decimal:
    """``value / factor`` exactly when it fits the exact context, else rounded by ``outward``."""
    try:
        return EXACT.divide(value, factor)
    except Inexact:
        return outward.divide(value, factor)


def _add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else EXACT.add(a, b)


def _ordered(interval: "Interval", attribute: object, hi: Decimal | None) -> None:
    if interval.lo is not None and hi is not None and interval.lo > hi:
        raise ValueError(f"an interval needs lo <= hi, got [{interval.lo}, {hi}]")


@attrs.frozen(repr=False, eq=False)
class Interval(Record):
    """``[lo, hi]`` with ``lo <= hi``; ``None`` for an unbounded side."""

    lo: Decimal | None
    hi: Decimal | None = attrs.field(validator=_ordered)

    @classmethod
    def point(cls, value: Decimal) -> "Interval":
        return cls(value, value)

    @property
    def is_point(self) -> bool:
        return self.lo is not None and self.lo == self.hi

    @property
    def radius(self) -> Decimal | None:
        """Half the width; ``None`` when unbounded."""
        if self.lo is None or self.hi is None:
            return None
        return EXACT.divide(EXACT.subtract(self.hi, self.lo), Decimal(2))

    def __add__(self, other: "Interval") -> "Interval":
        return Interval(_add(self.lo, other.lo), _add(self.hi, other.hi))

    def __neg__(self) -> "Interval":
        return Interval(None if self.hi is None else EXACT.minus(self.hi), None if self.lo is None else EXACT.minus(self.lo))

    def __sub__(self, other: "Interval") -> "Interval":
        return self + (-other)

    def scale(self, factor: Decimal) -> "Interval":
        """Multiply by a non-negative exact factor (a unit conversion)."""
        lo = None if self.lo is None else EXACT.multiply(self.lo, factor)
        hi = None if self.hi is None else EXACT.multiply(self.hi, factor)
        return Interval(lo, hi) if factor >= 0 else Interval(hi, lo)

    def unscale(self, factor: Decimal) -> "Interval":
        """Divide by a positive factor: exact for a unit's power of ten, else rounded outward."""
        return Interval(None if self.lo is None else _divide_exactly(self.lo, factor, DOWN),
                        None if self.hi is None else _divide_exactly(self.hi, factor, UP))

    def divide(self, other: "Interval") -> "Interval | None":
        """``self / other`` for a strictly positive, bounded divisor; ``None`` otherwise.

        Bounds are rounded outward, so the result contains every true quotient.
        """
        if other.lo is None or other.hi is None or other.lo <= 0:
            return None
        return self.quotient(other)  # one implementation of division; this only narrows what it accepts

    def __mul__(self, other: "Interval") -> "Interval":
        """``self × other``: the hull of the corner products, each rounded outward.

        Exact whenever the product fits 80 digits. A zero bound times an
        unbounded side contributes 0 (the unbounded side is never reached).
        """
        corners = [(a, b) for a in _extended(self) for b in _extended(other)]

        def product(context, a: Decimal, b: Decimal) -> Decimal:
            return Decimal(0) if a == 0 or b == 0 else context.multiply(a, b)

        return _bounded(min(product(PRODUCT_DOWN, a, b) for a, b in corners),
                        max(product(PRODUCT_UP, a, b) for a, b in corners))

    def contains_zero(self) -> bool:
        return (self.lo is None or self.lo <= 0) and (self.hi is None or self.hi >= 0)

    def quotient(self, other: "Interval") -> "Interval | None":
        """``self / other`` for any divisor that cannot be zero (of either sign); ``None`` when it can.

        Unlike :meth:`divide` (the built-in rules' entry, for positive bounded
        divisors only), the divisor may be negative or one-sided: x / +∞ counts
        as 0. Bounds are rounded outward; :meth:`divide` is this same
        computation, so a custom invariant and a built-in rule agree to the last digit.
        """
        if other.contains_zero():
            return None
        if (self.lo is None or self.hi is None) and (other.lo is None or other.hi is None):
            return Interval(None, None)  # ∞ / ∞ has no bound: the widest, never a false alarm
        corners = [(a, b) for a in _extended(self) for b in _extended(other)]
        return _bounded(min(DOWN.divide(a, b) for a, b in corners),
                        max(UP.divide(a, b) for a, b in corners))

    def intersects(self, other: "Interval") -> bool:
        return not self.below(other) and not other.below(self)

    def below(self, other: "Interval") -> bool:
        """Every value of ``self`` is strictly less than every value of ``other``."""
        return self.hi is not None and other.lo is not None and self.hi < other.lo

    def gap(self, other: "Interval") -> Decimal:
        """The distance between two intervals; 0 when they meet."""
        if self.below(other):
            return EXACT.subtract(other.lo, self.hi)
        if other.below(self):
            return EXACT.subtract(self.lo, other.hi)
        return Decimal(0)

    def __contains__(self, value: Decimal) -> bool:
        return (self.lo is None or self.lo <= value) and (self.hi is None or value <= self.hi)

    def __str__(self) -> str:
        lo = "-∞" if self.lo is None else f"{EXACT.normalize(self.lo):f}"
        hi = "+∞" if self.hi is None else f"{EXACT.normalize(self.hi):f}"
        return lo if self.is_point else f"[{lo}, {hi}]"
