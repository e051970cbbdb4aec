"""Department budgets and final accounts from PDF: the nine standard tables and their identities.

The path of the data inside this step::

    PDF ─ pages.py      narrative lines (numbered, with their page) and ruled tables (title, unit, header, rows)
        ─ join.py       a table continued on the next page joined to its first part
        ─ standard.py   the nine standard tables recognized by title; column headers → measures
        ─ case.py       a node per row, a statement per cell (Cell: page, table, row, column), the tables'
                        identities as the tree and relations
        ─ narrative.py  the 情况说明's figures as more printings of the tables', its 占/完成/增减 as relations
        ─ draft.py      the draft as a case file (YAML, every statement with its place)

``extract_pdf(path)`` runs it all and gives a :class:`~.case.Draft`; ``draft.case.check("department")``
audits it. pdfplumber is the optional extra ``fiscalcheck[pdf]``: without it, :class:`.pages.MissingExtra`
names the extra.
"""

from __future__ import annotations

import os

from .case import Draft, Recognized, build_case
from .pages import Document, MissingExtra, read_pages

__all__ = ["extract_pdf", "Draft", "Recognized", "Document", "MissingExtra", "read_pages", "build_case"]


def extract_pdf(path: str | os.PathLike[str], *, case_id: str | None = None) -> Draft:
    """Read a department's budget or final-accounts PDF into a draft case with every figure's place."""
    return build_case(read_pages(os.fspath(path)), case_id=case_id)
