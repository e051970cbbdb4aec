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

from ..errors import Location, suggest
from ..model import Statement
from ..numbers import Interval
from ..record import Record
from .messages import Message

__all__ = ["Finding", "SEVERITIES", "severity_rank", "severity_problem"]

#: Severities, most severe first.
SEVERITIES = ("error", "warning", "info")


def severity_problem(value: object, also: tuple[str, ...] = (), what: str = "") -> str | None:
    """What is wrong with ``value`` as a severity (or one of ``also``, such as ``off``); ``None`` when nothing.

    The one check of a severity, wherever one is written: a relation, an invariant, a pack
    (``what`` says whose, `` for rule 'share'``).
    """
    if value in SEVERITIES or value in also:
        return None
    choices = (*SEVERITIES, *also)
    wanted = f"{', '.join(SEVERITIES)} or {' or '.join(also)}" if also else f"severity {', '.join(SEVERITIES)}"
    return f"expected {wanted}{what}, got {value!r}{suggest(str(value), choices)}"


def severity_rank(severity: str) -> int:
    """0 for error, 1 for warning, 2 for info: sort key, most severe first."""
    return SEVERITIES.index(severity)


@attrs.frozen(repr=False, eq=False)
class Finding(Record):
    """The outcome of one relation.

    ``printed`` is the checked figure as printed (the total, the rate, the
    executed amount), ``expected`` what the other figures make of it at their
    printed values, ``expected_range`` every value they allow. ``difference``
    is ``|printed − expected|`` and ``tolerance`` what the printed precision of
    all the figures involved allows (``None`` when a figure is a one-sided bound
    such as 超过3亿元). ``statements`` are every printing the relation rests on.

    ``node`` is the node's path (``industry/hitech/hitech-fees``) and ``node_id``
    its id. The sentence is written on demand from a template
    (:mod:`fiscalcheck.findings.messages`): ``message`` in English, ``text("zh")``
    in Chinese; built with plain text, it is that text in every language.
    """

    rule: str
    severity: str
    node: str
    label: str
    measure: str
    relation: str
    holds: bool
    exact: bool
    _message: "str | Message" = attrs.field(alias="message")
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
    node_id: str = ""

    @property
    def message(self) -> str:
        """The finding's sentence, in English."""
        return self.text("en")

    @property
    def sentence(self) -> "str | Message":
        """The sentence not yet written: a :class:`~fiscalcheck.findings.messages.Message` (or plain text)."""
        return self._message

    def text(self, lang: str = "en") -> str:
        """The finding's sentence in ``lang`` (``en`` or ``zh``)."""
        message = self._message
        return message if isinstance(message, str) else message.render(lang)
    #: What a failing relation is consistent with, most likely first: :class:`fiscalcheck.diagnosis.Cause`
    #: records, filled in by the runner (:func:`fiscalcheck.diagnosis.diagnose_checks`).
    causes: tuple = ()

    @property
    def lines(self) -> str:
        """The printed statements, ``text (source:line)``, joined for a table cell."""
        return "; ".join(map(str, self.statements))

    def to_record(self, lang: str = "en") -> dict[str, object]:
        """A plain dict; figures stay Decimal (call ``str`` for JSON); the sentence in ``lang``."""
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
                {"printed": s.printed, "source": s.source, "line": s.line,
                 **({"cell": {"file": s.cell.file, "page": s.cell.page, "table": s.cell.table, "row": s.cell.row,
                             "column": s.cell.column}} if s.cell is not None else {})}
                for s in self.statements
            ],
            "case_file": None if self.origin is None else str(self.origin),
            "message": self.text(lang),
            "causes": [cause.to_record() for cause in self.causes],
        }
