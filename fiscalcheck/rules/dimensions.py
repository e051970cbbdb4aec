"""The unit algebra of custom invariants: what kind of quantity a sum, product or quotient is.

One set of rules, used twice: when an invariant is parsed (``2000万元 + 5家`` is refused at
load time, whatever the case) and when it is evaluated on a node (``budget + count`` is a
finding there). A dimension is a unit's kind (``CNY``, ``count``, ``ratio`` …), ``None`` for
the literal 0 (zero in every unit) and, when parsing only, :data:`UNKNOWN` for a measure
whose unit only a node can tell.
"""

from __future__ import annotations

__all__ = ["UNKNOWN", "KINDS", "DimensionMismatch", "join", "times", "over"]

#: A measure's dimension before a node prints it (parsing only).
UNKNOWN = "?"
#: How a message names each dimension.
KINDS = {"CNY": "money in 元", "USD": "money in US dollars", "ratio": "a plain number or ratio",
         "count": "a count", "length": "a length", "area": "an area", "volume": "a volume"}


class DimensionMismatch(Exception):
    """Two quantities that no operation of the language combines: money plus a count, say."""

    def __init__(self, op: str, a: str | None, b: str | None):
        super().__init__(f"{a} {op} {b}")
        self.op, self.a, self.b = op, a, b


def join(a: str | None, b: str | None, op: str) -> str | None:
    """The common dimension of two values added, subtracted, compared or aggregated."""
    if a is None or a == UNKNOWN:
        return b if b is not None else a
    if b is None or b == UNKNOWN or a == b:
        return a
    raise DimensionMismatch(op, a, b)


def times(a: str | None, b: str | None) -> str | None:
    """The dimension of a product: a ratio or a count scales the other side (1% × budget, 100万元 × count)."""
    if UNKNOWN in (a, b):
        return UNKNOWN
    if a is None or b is None:
        return None
    for scale in ("ratio", "count"):
        if a == scale:
            return b
        if b == scale:
            return a
    raise DimensionMismatch("*", a, b)


def over(a: str | None, b: str | None) -> str | None:
    """The dimension of a quotient: like over like is a ratio; dividing by a ratio or a count keeps the kind."""
    if UNKNOWN in (a, b):
        return UNKNOWN
    if b == "ratio" or a is None:
        return a
    if a == b:
        return "ratio"
    if b == "count":
        return a
    raise DimensionMismatch("/", a, b)
