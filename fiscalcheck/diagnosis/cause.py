"""A likely cause of a failing relation, as data: what kind of mistake, in which figure, and the fix.

Why a record and not a sentence: the same cause is shown in a table, a JSON
record, an HTML page, a SARIF result and in Chinese; each renders it from these
fields (see :mod:`fiscalcheck.diagnosis.messages`). A cause is never a verdict:
it says what the printed figures are *consistent with*; ``fixes`` counts the
failing relations the one edit would make hold and ``breaks`` the holding
relations it would make fail, so a reader can weigh it.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from ..model import Statement
from ..record import Record

__all__ = ["Cause", "CAUSE_KINDS"]

#: The kinds of mistake the diagnosis recognises, each a rule of thumb of auditors.
CAUSE_KINDS = (
    "unit-slip",        # the figure off by a power of ten: 元 printed for 万元, a decimal point moved
    "transposition",    # two adjacent digits swapped (the difference is divisible by 9)
    "digit-typo",       # one digit wrong
    "wrong-base",       # a rate on the budget instead of the adjusted budget; growth on this year
    "double-rounding",  # a figure rounded twice (99.649 → 99.65 → 99.7)
    "truncation",       # truncated where the report rounds to nearest, or the reverse
    "omitted-item",     # an item left out of a total: the difference equals a printed figure, or none
    "double-counted",   # an item counted twice: the excess equals one of the parts
    "wrong-figure",     # none of the above: the figure that would make the relation hold
)


@attrs.frozen(repr=False, eq=False)
class Cause(Record):
    """One explanation of a failing relation that the printed figures are consistent with.

    ``statement`` is the suspect printing (``None`` for an item left out of a
    list, which was never printed there); ``node``/``measure`` name its place.
    ``corrected`` is the printed text that would make the relation hold
    (``"8889万元"``), ``value`` the same figure as an exact Decimal in the
    suspect's unit. ``params`` are the strings the sentence templates fill in;
    ``evidence`` is the English sentence. ``fixes`` and ``breaks`` count the
    relations the edit makes hold and fail; ``shared`` the failing relations
    the suspect figure enters.
    """

    kind: str
    node: str
    measure: str
    evidence: str
    statement: Statement | None = None
    corrected: str | None = None
    value: Decimal | None = None
    fixes: int = 1
    breaks: int = 0
    shared: int = 1
    fixes_all: bool = False
    params: tuple[tuple[str, str], ...] = ()

    def sentence(self, lang: str = "en") -> str:
        """The cause in words, in ``lang`` (``en`` or ``zh``)."""
        from .messages import cause_sentence

        return cause_sentence(self, lang)

    def to_record(self) -> dict[str, object]:
        """A plain dict; the corrected value stays a Decimal (``str`` it for JSON)."""
        s = self.statement
        return {
            "kind": self.kind,
            "node": self.node,
            "measure": self.measure,
            "statement": None if s is None else {"printed": s.printed, "source": s.source, "line": s.line},
            "corrected": self.corrected,
            "value": self.value,
            "fixes": self.fixes,
            "breaks": self.breaks,
            "fixes_all": self.fixes_all,
            "evidence": self.evidence,
        }
