"""Rendering: reports and cases for people (tables, markdown, HTML) and machines (JSON, SARIF, JUnit).

Renderers read reports and cases; they never check anything themselves. One
module per format: :mod:`.text` (table, markdown, JSON), :mod:`.page` (the
standalone HTML report), :mod:`.sarif`, :mod:`.junit`; :mod:`.html` holds the
notebook views, built from the page's pieces.
"""

from collections.abc import Sequence

from . import text

__all__ = ["FORMATS", "render"]

#: Every output format of ``fiscalcheck run --format``.
FORMATS = (*text.FORMATS, "html", "sarif", "junit")


def render(reports: Sequence, fmt: str = "table", include_passed: bool = False, *,
           cases: Sequence = (), lang: str = "en") -> str:
    """Reports as text in one of :data:`FORMATS`; ``cases`` (the checked cases) give the HTML page its
    tree and quoted source lines and SARIF its rules and report paths; ``lang`` words the causes."""
    if fmt == "html":
        from .page import render_page

        return render_page(reports, cases, lang)
    if fmt == "sarif":
        from .sarif import render_sarif

        return render_sarif(reports, cases, lang)
    if fmt == "junit":
        from .junit import render_junit

        return render_junit(reports, lang)
    return text.render(reports, fmt, include_passed, lang=lang)
