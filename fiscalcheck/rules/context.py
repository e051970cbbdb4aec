"""What the rules read: a case's measures as quantities (intervals with nominal values).

A :class:`Context` turns a measure's statements into a :class:`Quantity` — the
interval every printing allows, in the base unit of its dimension, decided by
:mod:`fiscalcheck.figures.tolerance` — once per measure, and keeps the
transfers between funds at hand. Rules never read a statement's figure
themselves: tolerance lives in one place.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from decimal import Decimal

import attrs

from ..figures import UNITS, Unit
from ..findings.messages import Amount, Amounts, Message
from ..figures.tolerance import interval as statement_interval
from ..model import Case, Node, Ref, Statement
from ..numbers import EXACT, Interval
from ..numbers.contexts import NOMINAL

__all__ = ["Quantity", "Context", "display"]

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
    #: One quantity per printing, when the printings disagree (see :func:`~fiscalcheck.rules.judge.judge`).
    alternatives: tuple["Quantity", ...] = ()
    #: True when ``nominal`` is a rounded quotient (a recomputed rate), not an exact sum of figures.
    rounded: bool = False

    def __add__(self, other: "Quantity") -> "Quantity":
        return Quantity(self.interval + other.interval, EXACT.add(self.nominal, other.nominal),
                        self.unit, self.statements + other.statements, rounded=self.rounded or other.rounded)

    def __sub__(self, other: "Quantity") -> "Quantity":
        return Quantity(self.interval - other.interval, EXACT.subtract(self.nominal, other.nominal),
                        self.unit, self.statements + other.statements, rounded=self.rounded or other.rounded)

    def over(self, other: "Quantity") -> "Quantity | None":
        """``self / other`` as a ratio; ``None`` when the divisor may be zero."""
        quotient = self.interval.divide(other.interval)
        if quotient is None or other.nominal == 0:
            return None
        return Quantity(quotient, NOMINAL.divide(self.nominal, other.nominal), _PERCENT,
                        self.statements + other.statements, rounded=True)

    def minus_one(self) -> "Quantity":
        one = Interval.point(Decimal(1))
        return Quantity(self.interval - one, EXACT.subtract(self.nominal, Decimal(1)), self.unit, self.statements,
                        rounded=self.rounded)


def _printed(statements: Sequence[Statement], measure: str, policy) -> Quantity:
    """The quantity of one printing (``statements`` holds it alone: a measure's own tuple is reused)."""
    statement = statements[0]
    figure = statement.figure
    return Quantity(statement_interval(statement, measure, policy), figure.base_value, figure.unit,
                    statements if isinstance(statements, tuple) else (statement,))


def display(value: Decimal, unit: Unit) -> Decimal:
    """A base-unit value in ``unit`` (元 → 万元): exact, since a unit's scale is a power of ten."""
    return EXACT.divide(value, unit.scale)


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
        self._cache: dict[str, dict[str, Quantity | None]] = {}  # measure -> node id -> quantity
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
            quantity = self._printings[key] = _printed((statement,), measure, self.case.policy)
        return quantity

    def statements_quantity(self, statements: Sequence[Statement], measure: str) -> Quantity:
        if len(statements) == 1:
            return _printed(statements, measure, self.case.policy)
        intervals = [self.printing(s, measure).interval for s in statements]
        lo, hi = intervals[0].lo, intervals[0].hi  # the common part, while there is one
        hull = intervals[0]
        for other in intervals[1:]:
            lo, hi = max_bound(lo, other.lo), min_bound(hi, other.hi)
            hull = Interval(min_bound(hull.lo, other.lo, none_wins=True), max_bound(hull.hi, other.hi, none_wins=True))
        best = min(range(len(statements)), key=lambda i: _width(intervals[i]))
        unit = statements[0].figure.unit
        if lo is not None and hi is not None and lo > hi:  # the printings disagree: no common part
            alternatives = tuple(
                Quantity(i, s.figure.base_value, unit, (s,)) for i, s in zip(intervals, statements)
            )
            return Quantity(hull, statements[best].figure.base_value, unit, tuple(statements), alternatives)
        return Quantity(Interval(lo, hi), statements[best].figure.base_value, unit, tuple(statements))

    def quantity(self, node_id: str, measure: str) -> Quantity | None:
        known = self._cache.setdefault(measure, {})
        if node_id not in known:
            node = self.case.nodes.get(node_id)
            statements = node.measures.get(measure) if node else None
            known[node_id] = self.statements_quantity(statements, measure) if statements else None
        return known[node_id]

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

    def available(self, node: Node, unit: Unit) -> tuple[str, Quantity, object] | None:
        """What a fund may spend: its adjusted budget, or its budget plus transfers in, minus out.

        Returns the relation's name for the base, the quantity, and the
        expression a message shows (in ``unit``), as a message value.
        """
        base = self.base(node)
        if base is None:
            return None
        name, total = base
        pieces: list[object] = [Amount(total.nominal, unit)]
        if name == "budget":
            incoming, outgoing = self.transfers(node.id)
            for transfer in incoming:
                amount = self.statements_quantity(transfer.amount, "transfer")
                total = total + amount
                pieces += [" + ", Message.of("transfer-in", amount=Amount(amount.nominal, unit), fund=transfer.source_fund)]
            for transfer in outgoing:
                amount = self.statements_quantity(transfer.amount, "transfer")
                total = total - amount
                pieces += [" − ", Message.of("transfer-out", amount=Amount(amount.nominal, unit), fund=transfer.target_fund)]
            if incoming or outgoing:
                name = "budget ± transfers"
        return name, total, pieces[0] if len(pieces) == 1 else Amounts(tuple(pieces), "")


def _width(interval: Interval) -> Decimal:
    radius = interval.radius
    return Decimal("Infinity") if radius is None else radius


def max_bound(a, b, none_wins=False):
    if a is None or b is None:
        return None if none_wins else (b if a is None else a)
    return max(a, b)


def min_bound(a, b, none_wins=False):
    if a is None or b is None:
        return None if none_wins else (b if a is None else a)
    return min(a, b)


