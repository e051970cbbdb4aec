"""What users hold: ``load`` a case, ``Case.check()`` it, read the ``Report``.

This is the step above the rules and the renderers: it ties them to the data
(a case that checks itself, a report that shows itself in a notebook).
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from ..collector import paused
from ..inputs import dump
from ..inputs import load as _load_data
from ..inputs import loads as _loads_data
from .case import Case
from .check import check
from .report import Report

__all__ = ["Case", "Report", "check", "load", "loads", "dump"]


def load(path: str | os.PathLike[str], *, allow: Iterable[str | os.PathLike[str]] = (),
         max_size: int | None = None) -> Case:
    """Load a case file and everything it includes.

    Includes and ``rules:`` files must lie in the tree of the case file's folder,
    among the shipped packs, or in a folder of ``allow``; every file read is a
    regular file of at most ``max_size`` bytes (default 64 MiB). The reports the
    case cites are read too (their lines are what the ``provenance`` rule checks).
    Raises :class:`~fiscalcheck.errors.CaseError` listing every problem found,
    each with its file, line and column.
    """
    with paused():
        return Case.of(_load_data(path, allow=allow, max_size=max_size))


def loads(text: str, path: str = "<case>", *, allow: Iterable[str | os.PathLike[str]] = (),
          max_size: int | None = None) -> Case:
    """Load a case from YAML text; relative paths (sources, includes) resolve against ``path``'s folder."""
    with paused():
        return Case.of(_loads_data(text, path, allow=allow, max_size=max_size))
