"""Rendering: reports and cases for people (tables, markdown, HTML) and machines (JSON, SARIF, JUnit).

Renderers read reports and cases; they never check anything themselves. One
module per format: :mod:`.text` (table, markdown, JSON), :mod:`.page` (the
standalone HTML report), :mod:`.sarif`, :mod:`.junit`; :mod:`.html` holds the
notebook views, built from the page's pieces. Each format is a function
``(reports, include_passed, cases, lang) -> str`` in :data:`RENDERERS`; the
command line's ``--format`` offers exactly these.
"""

from __future__ import annotations

from collections.abc import Sequence

from .text import json_text, markdown, table

__all__ = ["FORMATS", "RENDERERS", "render"]


# The page, SARIF and JUnit writers import what only they need (the diagnosis's words, json,
# hashlib): each is imported when its format is asked for, so a plain run does not pay for them.
def _page(reports, include_passed, cases, lang):
    from .page import render_page

    return render_page(reports, cases, lang)


def _sarif(reports, include_passed, cases, lang):
    from .sarif import render_sarif

    return render_sarif(reports, cases, lang)


def _junit(reports, include_passed, cases, lang):
    from .junit import render_junit

    return render_junit(reports, lang)


#: Output formats by name, in the order ``--help`` lists them. ``cases`` (the checked cases, in
#: the reports' order) give the HTML page its tree and quoted source lines and SARIF its rules.
RENDERERS = {
    "table": lambda reports, include_passed, cases, lang: table(reports, include_passed, lang),
    "json": lambda reports, include_passed, cases, lang: json_text(reports, include_passed, lang),
    "markdown": lambda reports, include_passed, cases, lang: markdown(reports, include_passed, lang),
    "html": _page,
    "sarif": _sarif,
    "junit": _junit,
}
FORMATS = tuple(RENDERERS)


def render(reports: Sequence, fmt: str = "table", include_passed: bool = False, lang: str = "en", *,
           cases: Sequence = ()) -> str:
    """Reports as text in one of :data:`FORMATS`, findings written in ``lang`` (``en`` or ``zh``)."""
    if fmt not in RENDERERS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return RENDERERS[fmt](reports, include_passed, cases, lang)
