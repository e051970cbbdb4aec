"""The case a user holds: the model's data, plus the two things one asks of it.

``fiscalcheck.load(...)`` gives a :class:`Case`, and ``case.check()`` a report;
in a notebook the case shows itself as its node tree. The model's
:class:`fiscalcheck.model.Case` is the same data without these methods: it sits
below the rules and renderers, which it must not call, so they are added here,
in the step that sits above both.
"""

from __future__ import annotations

import attrs

from ..model import Case as CaseData
from .check import ON_DEMAND, check
from .report import Report

__all__ = ["Case"]


@attrs.frozen(repr=False, eq=False)
class Case(CaseData):
    """A whole case (see :class:`fiscalcheck.model.Case`), checkable and showable."""

    @classmethod
    def of(cls, data: CaseData) -> "Case":
        """The user-facing case holding ``data``'s fields (``data`` itself if it is one already)."""
        if isinstance(data, cls):
            return data
        fields = {a.name.lstrip("_"): getattr(data, a.name) for a in attrs.fields(CaseData) if a.init}
        return cls(**fields)

    def check(self, rules: object = None, *, engine: str = "auto", progress: object = None,
              passed: "bool | str" = ON_DEMAND) -> Report:
        """Run the rules and return a :class:`~fiscalcheck.api.report.Report`.

        ``rules``: a rule pack (a :class:`~fiscalcheck.rules.RulePack`, a shipped
        pack's name or a path), a tuple of rules, or None for the pack the case
        names (the built-ins when it names none). ``engine``: ``auto``, ``tree`` or
        ``duckdb``, for the case's tables. ``passed``: the relations that hold are counted and
        found again when ``Report.checks`` is read (``"on-demand"``), kept now (``True``) or only
        counted (``False``). See :func:`fiscalcheck.api.check`.
        """
        return check(self, rules, engine=engine, progress=progress, passed=passed)

    def _repr_html_(self) -> str:
        """In a notebook: the node tree with budget, adjusted, executed and rate, findings marked."""
        from ..render.html import case_html  # only in a notebook: a run need not import the HTML views

        return case_html(self, self.check())
