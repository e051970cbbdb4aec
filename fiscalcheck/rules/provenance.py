"""Provenance: every cited figure stands on the line the case says it was printed on.

The third principle (traceable) checked where the audit happens: a case citing
``72.3亿元 @1`` where line 1 of the report prints 72.1亿元 would otherwise be
audited as if it were the report. For every statement whose source has text
(the inputs step read its lines at load: :attr:`~fiscalcheck.model.Source.lines`),
the printed text must occur on the cited line, as the coverage count matches it
(:func:`~fiscalcheck.figures.intext.occurrences`: verbatim, and not inside a
longer number). A mismatch is an error finding that names the line, the figures
that line prints instead, and the nearby line that prints the text, if one does.

Only figures of the line are quoted, never the line itself: a case file may name
any file as its report, and a message must not become a way to print it.
Statements read from a table cell (``Statement.cell``) are placed by their cell,
not by a line, and are not checked here. Only mismatches give findings: a case of
10^5 statements does not carry 10^5 findings that say "printed where cited".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..figures.intext import PHYSICAL, DIMENSIONS, line_figures, occurrences
from ..findings import Finding
from ..model import Case
from .context import Context

__all__ = ["provenance", "NEARBY"]

#: How many lines before and after the cited one are searched for a suggestion.
NEARBY = 5
_SHOWN = 6  # figures of a line named in a message, at most


def provenance(case: Case, ctx: Context) -> Iterator[Finding]:
    """A finding for each statement whose printed text is not on its cited line."""
    for node, measure, statement in case.statements():
        if statement.cell is not None:
            continue
        source = case.sources.get(statement.source)
        lines = source.lines if source is not None else None
        if lines is None:
            continue
        cited = statement.line
        if 0 < cited <= len(lines) and occurrences(lines[cited - 1], statement.printed):
            continue
        if 0 < cited <= len(lines):
            text = lines[cited - 1]
            shown = _figures(text)
            what = f"that line prints {shown}" if shown else "that line prints no figure"
            message = f"{statement.printed} is not printed on line {cited} of {source.id}: {what}"
        else:
            message = f"{statement.printed} is cited at line {cited}, but {source.id} has {len(lines)} lines"
        near = _nearby(lines, cited, statement.printed)
        if near is not None:
            message += f"; it is printed on line {near} (did you mean @{near}?)"
        yield Finding(
            rule="provenance", severity=ctx.severity, node=case.path(node.id), label=node.label, measure=measure,
            relation=f"{measure} printed on line {cited}", holds=False, exact=False, message=message,
            unit=statement.figure.unit.symbol, statements=(statement,), origin=statement.origin or node.origin,
            case=case.id,
        )


def _figures(text: str) -> str:
    found = [f.text for f in line_figures(text, dimensions=(*DIMENSIONS, *PHYSICAL))]
    if len(found) > _SHOWN:
        return ", ".join(found[:_SHOWN]) + f" and {len(found) - _SHOWN} more"
    return ", ".join(found)


def _nearby(lines: Sequence[str], cited: int, printed: str) -> int | None:
    """The closest line within :data:`NEARBY` of ``cited`` that prints ``printed`` (the earlier on a tie).

    A citation past the end of the report is searched for among its last lines.
    """
    count = len(lines)
    centre = cited if 0 < cited <= count else count
    for distance in range(0 if centre != cited else 1, 2 * NEARBY + 1 if centre != cited else NEARBY + 1):
        for line in (centre - distance, centre + distance):
            if 0 < line <= count and line != cited and occurrences(lines[line - 1], printed):
                return line
    return None
