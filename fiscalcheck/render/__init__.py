"""Rendering: reports and cases for people (tables, markdown, HTML) and machines (JSON).

Renderers read reports and cases; they never check anything themselves.
"""

from .text import FORMATS, render

__all__ = ["FORMATS", "render"]
