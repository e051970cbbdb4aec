"""Places in files, and problems found there.

A problem is a value: where (file, line, column) and what was expected. Loading
a case collects every problem it can before giving up, so an auditor fixes a
file in one pass instead of one error per run. :class:`CaseError` carries them
across the API boundary; the command line prints one line per problem.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable

import attrs

from .record import Record

__all__ = ["Location", "Problem", "CaseError", "closest", "suggest"]


@attrs.frozen(repr=False, eq=False)
class Location(Record):
    """A place in a case file. Lines and columns count from 1, as editors do."""

    file: str
    line: int
    column: int = 1

    def __str__(self) -> str:
        if self.line < 1:  # the file as a whole (it cannot be read)
            return self.file
        return f"{self.file}:{self.line}:{self.column}"


@attrs.frozen(repr=False, eq=False)
class Problem(Record):
    """One thing wrong with the input, at one place."""

    location: Location | None
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class CaseError(Exception):
    """The case could not be loaded; ``problems`` says every reason found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = ordered(problems)
        super().__init__("\n".join(map(str, self.problems)))


def ordered(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """Problems file by file (in the order the files were first met), then by line and column."""
    problems = tuple(problems)
    files: dict[str, int] = {}
    for problem in problems:
        if problem.location is not None:
            files.setdefault(problem.location.file, len(files))

    def key(problem: Problem) -> tuple[int, int, int]:
        where = problem.location
        return (-1, 0, 0) if where is None else (files[where.file], where.line, where.column)

    return tuple(sorted(problems, key=key))


def closest(word: str, known: Iterable[str], *, cutoff: float = 0.6,  # float-ok: difflib's similarity ratio, not a figure
            prefer: Callable[[str], bool] | None = None) -> str | None:
    """The entry of ``known`` most like ``word`` (difflib's ratio, at least ``cutoff``), or ``None``.

    On a tie, an entry ``prefer`` likes wins (a unit of money over a unit of
    volume: 万圆 is a slip for 万元 far more often than for 万方), then the
    first in ``known``'s order. The one "did you mean" of fiscalcheck.
    """
    matcher = difflib.SequenceMatcher(b=word)
    best: tuple | None = None
    for order, candidate in enumerate(known):
        matcher.set_seq1(candidate)
        ratio = matcher.ratio()
        if ratio < cutoff:
            continue
        key = (ratio, bool(prefer and prefer(candidate)), -order)
        if best is None or key > best[0]:
            best = (key, candidate)
    return None if best is None else best[1]


def suggest(word: str, known: Iterable[str], *, cutoff: float = 0.6) -> str:  # float-ok: difflib's ratio
    """`` (did you mean 'x'?)`` for a near miss among ``known``, else ``""``."""
    close = closest(word, known, cutoff=cutoff)
    return f" (did you mean {close!r}?)" if close else ""
