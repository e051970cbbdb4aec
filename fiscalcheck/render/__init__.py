"""Rendering: reports and cases for people (tables, markdown, HTML) and machines (JSON).

Renderers read reports and cases; they never check anything themselves. Each
output format is a function ``(reports, include_passed, lang) -> str`` listed in
:data:`RENDERERS`; the command line's ``--format`` offers exactly these.
"""

from __future__ import annotations

from collections.abc import Sequence

from .text import json_text, markdown, table

__all__ = ["FORMATS", "RENDERERS", "render"]

#: Output formats by name, in the order ``--help`` lists them.
RENDERERS = {"table": table, "json": json_text, "markdown": markdown}
FORMATS = tuple(RENDERERS)


def render(reports: Sequence, fmt: str = "table", include_passed: bool = False, lang: str = "en") -> str:
    """Reports as text in one of :data:`FORMATS`, findings written in ``lang`` (``en`` or ``zh``)."""
    if fmt not in RENDERERS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return RENDERERS[fmt](reports, include_passed, lang)
