"""From report text to a draft case: figures with places, what each is, relations proposed.

The path of the data inside this step::

    report text ─ scan.py       every number of a line: a figure (Found), not a figure, or seen not read
                ─ numerals.py   counts in Chinese numerals (两家, 四个)
                ─ sections.py   the outline: 附件, 一、 （一） 1. （1）
                ─ labels.py     what each figure is: its label and its measure, from its clause
                ─ propose.py    relations the text suggests, each with its evidence and confidence
                ─ draft.py      a Case and its YAML draft, every relation marked proposed

``extract(lines)`` runs the whole step; the commands ``fiscalcheck extract`` and
``fiscalcheck audit`` are :mod:`fiscalcheck.cli.extract` and :mod:`fiscalcheck.cli.audit`.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ..record import Record
from .labels import Label, label_of
from .propose import Proposal, propose
from .scan import Found, Scan, scan
from .sections import Outline, outline

__all__ = ["Extraction", "extract", "Found", "Label", "Proposal", "Scan", "Outline"]


@attrs.frozen(repr=False, eq=False)
class Extraction(Record):
    """Everything read from one report: its lines, figures, outline, labels and proposals."""

    path: str
    lines: tuple[str, ...]
    scan: Scan
    outline: Outline
    labels: dict[Found, Label] = attrs.field(eq=False)
    proposals: tuple[Proposal, ...]

    @property
    def found(self) -> tuple[Found, ...]:
        return self.scan.found


def extract(lines: Sequence[str] | str, path: str = "<report>") -> Extraction:
    """Read a report (its text, or its lines with index 0 as line 1)."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    lines = tuple(lines)
    result = scan(lines)
    labels: dict[Found, Label] = {}
    previous: Found | None = None
    for found in result.found:
        end = previous.end if previous is not None and previous.line == found.line else 0
        labels[found] = label_of(found, lines[found.line - 1], end)
        previous = found
    shape = outline(lines)
    proposals = propose(lines, result.found, labels, shape)
    return Extraction(path, lines, result, shape, labels, tuple(proposals))
