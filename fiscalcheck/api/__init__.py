"""What users hold: ``load`` a case, ``Case.check()`` it, read the ``Report``.

This is the step above the rules and the renderers: it ties them to the data
(a case that checks itself, a report that shows itself in a notebook).
"""

from __future__ import annotations

import os

from ..inputs import dump
from ..inputs import load as _load_data
from ..inputs import loads as _loads_data
from .case import Case
from .check import check
from .report import Report

__all__ = ["Case", "Report", "check", "load", "loads", "dump"]


def load(path: str | os.PathLike[str]) -> Case:
    """Load a case file and everything it includes.

    Raises :class:`~fiscalcheck.errors.CaseError` listing every problem found,
    each with its file, line and column.
    """
    return Case.of(_load_data(path))


def loads(text: str, path: str = "<case>") -> Case:
    """Load a case from YAML text; relative paths (sources, includes) resolve against ``path``'s folder."""
    return Case.of(_loads_data(text, path))
