"""Findings: what a rule concluded about one relation, as data.

Every relation a rule evaluates gives a :class:`Finding`; ``holds`` says
whether some values consistent with every printed figure satisfy it, and
``exact`` whether the printed values satisfy it as printed (a relation can hold
only thanks to rounding, and an auditor wants to know which). A report's
*findings* in the everyday sense are the ones that do not hold.

Figures are Decimals in the display unit named by ``unit``; nothing is
rounded except where a quotient must be (rates), and then only for display.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from ..errors import Location
from ..model import Statement
from ..numbers import Interval

__all__ = ["Finding", "SEVERITIES", "severity_rank"]

#: Severities, most severe first.
SEVERITIES = ("error", "warning", "info")


def severity_rank(severity: str) -> int:
    """0 for error, 1 for warning, 2 for info: sort key, most severe first."""
    return SEVERITIES.index(severity)


@attrs.frozen
class Finding:
    """The outcome of one relation.

    ``printed`` is the checked figure as printed (the total, the rate, the
    executed amount), ``expected`` what the other figures make of it at their
    printed values, ``expected_range`` every value they allow. ``difference``
    is ``|printed − expected|`` and ``tolerance`` what the printed precision of
    all the figures involved allows (``None`` when a figure is a one-sided bound
    such as 超过3亿元). ``statements`` are every printing the relation rests on.
    """

    rule: str
    severity: str
    node: str
    label: str
    measure: str
    relation: str
    holds: bool
    exact: bool
    message: str
    unit: str = ""
    printed: Decimal | None = None
    expected: Decimal | None = None
    expected_range: Interval | None = None
    difference: Decimal | None = None
    tolerance: Decimal | None = None
    statements: tuple[Statement, ...] = ()
    origin: Location | None = attrs.field(default=None, eq=False)
    case: str = ""
    #: More than the sentence says: for a ``rule-error``, the traceback of the crash.
    details: str = attrs.field(default="", eq=False, repr=False)
    #: What a failing relation is consistent with, most likely first: :class:`fiscalcheck.diagnosis.Cause`
    #: records, filled in by the runner (:func:`fiscalcheck.diagnosis.diagnose_checks`).
    causes: tuple = ()

    @property
    def lines(self) -> str:
        """The printed statements, ``text (source:line)``, joined for a table cell."""
        return "; ".join(map(str, self.statements))

    def to_record(self) -> dict[str, object]:
        """A plain dict; figures stay Decimal (call ``str`` for JSON)."""
        return {
            "case": self.case,
            "rule": self.rule,
            "severity": self.severity,
            "holds": self.holds,
            "exact": self.exact,
            "node": self.node,
            "label": self.label,
            "measure": self.measure,
            "relation": self.relation,
            "unit": self.unit,
            "printed": self.printed,
            "expected": self.expected,
            "expected_range": None if self.expected_range is None else str(self.expected_range),
            "difference": self.difference,
            "tolerance": self.tolerance,
            "statements": [
                {"printed": s.printed, "source": s.source, "line": s.line} for s in self.statements
            ],
            "case_file": None if self.origin is None else str(self.origin),
            "message": self.message,
            "causes": [cause.to_record() for cause in self.causes],
        }
