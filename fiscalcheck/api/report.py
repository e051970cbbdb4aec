"""Reports: every finding of a run, with the counts a reader wants first.

A report is data, not an exception: ``findings`` (what does not hold),
``passed`` (what holds, and whether only thanks to rounding), counts, and
``to_records()`` for anything tabular. Rendering lives in :mod:`fiscalcheck.render`.

The relations that hold are most of a report and most of a check's memory (a
case of 10^5 nodes judges some 220,000 of them, about 2 KB each as findings),
and most readers want only their number. So by default a report counts them and
finds them again, by running the rules once more, when ``checks``, ``passed``
or ``by_rounding`` is first read (see :func:`fiscalcheck.api.check`). The rules
are pure functions of the case, so what is found again is what a run that kept
them would have kept, in the same order.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from ..findings import SEVERITIES, Finding, Waived, severity_rank
from ..findings.messages import Amounts, Message
from ..render.frame import to_dataframe

__all__ = ["Report"]


@attrs.frozen(repr=False, eq=False)
class Report:
    """The outcome of checking one case.

    Its ``repr`` is its summary line: the fields hold every finding (at 10^5 nodes, hundreds of
    thousands), and a report echoed in a console should say what it found, not print them all.
    ``findings``, ``checks`` and ``to_records()`` are there for the rest.
    """

    case: str
    #: The findings kept: every relation's (``check(passed=True)``), or the failing ones only (the
    #: default, whose ``checks`` finds the rest again when read, and ``passed=False``).
    _kept: tuple[Finding, ...] = attrs.field(default=(), alias="checks")
    rules: tuple[str, ...] = ()
    #: Findings a waiver accepts (:class:`fiscalcheck.waivers.Waived`: the finding and its reason).
    #: Listed apart and never in ``findings``, so they do not set the exit status.
    waived: tuple[Waived, ...] = ()
    #: Relations that hold but were counted, not described: the columnar engine
    #: (:mod:`fiscalcheck.tables`) makes findings of the failing relations of a table only.
    #: They count as checked and passed; ``by_rounding`` is of the described ones.
    held: int = 0
    #: Of the ``held`` relations, those that hold only within the printed precision, not as printed.
    held_within: int = 0
    #: Relations that hold, counted and not kept, that ``checks`` finds again when first read: how
    #: many, and how many of them hold only within the printed precision.
    _deferred: tuple[int, int] = attrs.field(default=(0, 0), alias="deferred")
    #: What finds them: every finding of the run as a run that keeps them all gives it.
    _again: "Callable[[], tuple[Finding, ...]] | None" = attrs.field(default=None, alias="again", eq=False,
                                                                     repr=False)
    _found: list = attrs.field(factory=list, init=False, eq=False, repr=False)  # ``again``'s, once

    @property
    def checks(self) -> tuple[Finding, ...]:
        """Every relation's finding, in rule order (the relations that hold found again if need be)."""
        if self._again is None:  # set only when some relation that holds was counted, not kept
            return self._kept
        if not self._found:
            self._found.append(self._again())
        return self._found[0]

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The relations that do not hold, most severe first, in rule order within a severity."""
        failed = [f for f in self._kept if not f.holds]  # always kept: nothing to find again
        return tuple(sorted(failed, key=lambda f: severity_rank(f.severity)))

    @property
    def passed(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.checks if f.holds)

    @property
    def by_rounding(self) -> tuple[Finding, ...]:
        """Relations that hold only within the printed precision, not as printed."""
        return tuple(f for f in self.checks if f.holds and not f.exact)

    def counts(self) -> dict[str, int]:
        """Findings per severity, plus relations checked and passed."""
        counts = {s: 0 for s in SEVERITIES}
        for finding in self.findings:
            counts[finding.severity] += 1
        kept_passed = sum(f.holds for f in self._kept)
        counted = self.held + self._deferred[0]
        return {"checked": len(self._kept) + len(self.waived) + counted, "passed": kept_passed + counted,
                **counts,
                "waived": len(self.waived)}

    @property
    def within_precision(self) -> int:
        """How many relations hold only within the printed precision (``by_rounding`` and those counted)."""
        return sum(f.holds and not f.exact for f in self._kept) + self._deferred[1] + self.held_within

    def failing(self, fail_on: str = "error") -> tuple[Finding, ...]:
        """Findings at or above ``fail_on`` (``error``, ``warning``, ``info``; ``never`` for none)."""
        if fail_on == "never":
            return ()
        limit = severity_rank(fail_on)
        return tuple(f for f in self.findings if severity_rank(f.severity) <= limit)

    def ok(self, fail_on: str = "error") -> bool:
        return not self.failing(fail_on)

    def summary(self, lang: str = "en") -> str:
        """One line: what was checked and what was found (in ``lang``: ``en`` or ``zh``)."""
        c = self.counts()
        found = Amounts(tuple(Message.of(f"count-{s}-{'one' if c[s] == 1 else 'many'}", count=c[s])
                              for s in SEVERITIES), {"en": ", ", "zh": "，"}.get(lang, ", "))
        waived = Message.of("summary-waived", count=c["waived"]) if c["waived"] else ""
        return Message.of("summary", case=self.case, checked=c["checked"], passed=c["passed"],
                          within=self.within_precision, found=found, waived=waived).render(lang)

    def messages(self, lang: str = "en") -> list[str]:
        """The sentences of the findings, most severe first, in ``lang`` (``en`` or ``zh``)."""
        return [finding.text(lang) for finding in self.findings]

    def to_records(self, include_passed: bool = False, lang: str = "en") -> list[dict[str, object]]:
        """Plain dicts, one per finding (and per passed check when asked); figures stay Decimal."""
        chosen = self.checks if include_passed else self.findings
        return [f.to_record(lang) for f in chosen]

    def to_dataframe(self, include_passed: bool = False):
        """The records as a pandas DataFrame (``pip install 'fiscalcheck[pandas]'``); figures stay Decimal."""
        return to_dataframe(self, include_passed)

    def __repr__(self) -> str:
        """``<Report chaoyang-2020: 198 relations checked, 192 hold (...); 5 errors, ...>``: never
        finds the relations that hold again (see :attr:`checks`)."""
        return f"<Report {self.summary()}>"

    def _repr_html_(self) -> str:
        """In a notebook: the summary line, then the findings as a table (see :mod:`fiscalcheck.render.html`)."""
        from ..render.html import report_html  # only in a notebook: a run need not import the HTML views

        return report_html(self)
