"""Notebook and page views: reports and cases as HTML (the same renderer for every HTML view).

Why a module of its own: auditors work in notebooks, where an object that shows
itself as a table is read, and one that shows ``Report(case='…', checks=(…))`` is
not. ``fiscalcheck.Case`` and ``fiscalcheck.Report`` keep only thin ``_repr_html_``
methods that call here, so rendering never leaks into the data's path.

Every piece of text that comes from a case (labels, ids, printed figures,
messages) goes through :func:`html.escape`: a case file is input, and a label
such as ``<script>`` must print as text. Figures are shown as printed or as the
exact decimals the finding holds; a long quotient (a recomputed rate) is cut to
six decimals *for display only*, marked with "≈".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING

from ..numbers import show
from ..numbers.contexts import NOMINAL
from .page import STYLE, causes_html, tree_html

if TYPE_CHECKING:  # pragma: no cover
    from ..findings import Finding
    from ..model import Case

__all__ = ["report_html", "case_html"]
_SHOWN = Decimal("0.000001")
_STYLE = (
    "<style>"
    ".fc-report td,.fc-report th,.fc-case td,.fc-case th{text-align:left;vertical-align:top;padding:2px 8px}"
    ".fc-error{color:#b00020;font-weight:bold}.fc-warning{color:#a15c00;font-weight:bold}.fc-info{color:#555}"
    ".fc-flag{background:#fde8e8}.fc-num{font-family:monospace;white-space:nowrap}"
    "</style>"
)


def _number(value: Decimal | None, unit: str = "") -> str:
    """A Decimal for display: plain digits, never an exponent; ≈ when cut to six decimals."""
    if value is None:
        return ""
    shown, mark = value, ""
    if value.as_tuple().exponent < -6:
        shown = NOMINAL.quantize(value, _SHOWN)
        mark = "≈" if shown != value else ""
    return escape(f"{mark}{show(shown)}{unit}")


def _statements(finding: "Finding") -> str:
    """Each printing with its line; with its source too when the finding draws on several reports."""
    several = len({s.source for s in finding.statements}) > 1
    return "<br>".join(
        f"{escape(s.printed)} <small>({escape(s.source) + ' ' if several else ''}line {s.line})</small>"
        for s in finding.statements
    )


def _finding_row(finding: "Finding", extra: str = "") -> str:
    unit = finding.unit
    tolerance = ("no bound" if finding.tolerance is None and finding.expected is not None
                 else _number(finding.tolerance, unit))
    cells = [
        f'<td class="fc-{escape(finding.severity)}">{escape(finding.severity)}</td>',
        f"<td>{escape(finding.node)}<br><small>{escape(finding.label)}</small></td>",
        f"<td>{escape(finding.rule)}<br><small>{escape(finding.relation)}</small></td>",
        f"<td>{_statements(finding)}</td>",
        f'<td class="fc-num">{_number(finding.expected, unit)}</td>',
        f'<td class="fc-num">{_number(finding.difference, unit)}</td>',
        f'<td class="fc-num">{tolerance}</td>',
        f"<td>{escape(finding.message)}</td>",
    ]
    cells.append(f"<td>{causes_html(finding)}</td>")
    if extra:
        cells.append(f"<td>{extra}</td>")
    return "<tr>" + "".join(cells) + "</tr>"


_HEAD = ("severity", "node", "rule", "printed (line)", "recomputed", "difference", "tolerance", "message",
         "likely causes")


def _table(rows: Sequence[str], head: Iterable[str]) -> str:
    header = "".join(f"<th>{escape(h)}</th>" for h in head)
    return f'<table class="fc-report"><thead><tr>{header}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def report_html(report) -> str:
    """The report as HTML: its one-line summary, then a table of findings, then waived ones."""
    parts = [_STYLE, f"<p><b>{escape(report.summary())}</b></p>"]
    findings = report.findings
    if findings:
        parts.append(_table([_finding_row(f) for f in findings], _HEAD))
    else:
        parts.append("<p>No findings.</p>")
    waived = getattr(report, "waived", ())
    if waived:
        parts.append(f"<p>Waived ({len(waived)}): accepted findings, listed with their reasons.</p>")
        parts.append(_table([_finding_row(w.finding, escape(w.waiver.reason)) for w in waived],
                            (*_HEAD, "reason")))
    return "".join(parts)


def case_html(case: "Case", report) -> str:
    """The case as the standalone page shows it (:func:`fiscalcheck.render.page.tree_html`): a
    collapsible tree, every measure with all its printings, budget against executed as a bar, nodes
    with findings (of ``report``, the case's checked report) marked ⚠ and open, disputed figures marked.
    """
    title = escape(f"{case.id}" + (f" — {case.title}" if case.title else ""))
    summary = escape(f"{len(case.nodes)} nodes; {report.summary()}")
    return (f'{STYLE}<div class="fc"><p><b>{title}</b><br>{summary}</p>'
            f"{tree_html(case, report, buttons=False)}</div>")
