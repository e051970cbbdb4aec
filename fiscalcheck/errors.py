"""Places in files, and problems found there.

A problem is a value: where (file, line, column) and what was expected. Loading
a case collects every problem it can before giving up, so an auditor fixes a
file in one pass instead of one error per run. :class:`CaseError` carries them
across the API boundary; the command line prints one line per problem.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import attrs

__all__ = ["Location", "Problem", "CaseError", "suggest"]


@attrs.frozen
class Location:
    """A place in a case file. Lines and columns count from 1, as editors do."""

    file: str
    line: int
    column: int = 1

    def __str__(self) -> str:
        if self.line < 1:  # the file as a whole (it cannot be read)
            return self.file
        return f"{self.file}:{self.line}:{self.column}"


@attrs.frozen
class Problem:
    """One thing wrong with the input, at one place."""

    location: Location | None
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class CaseError(Exception):
    """The case could not be loaded; ``problems`` says every reason found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(map(str, self.problems)))


def suggest(word: str, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for a near miss among ``known``, else ``""``."""
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
