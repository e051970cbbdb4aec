"""A report's lines, kept as its text and where each line starts.

The provenance rule reads the cited line of every statement, so a case keeps its
reports' lines (:attr:`~fiscalcheck.model.Source.lines`). A report of 10^5 lines as
a tuple of strings costs a string object per line, some 100 bytes each; as one
string and two arrays of offsets it costs the characters and 16 bytes a line.
A line is cut out of the text when it is read, as ``str.splitlines`` would give it.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence

__all__ = ["Lines"]

_ENDINGS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")  # what str.splitlines splits on


class Lines(Sequence[str]):
    """``text.splitlines()``, line by line on demand: ``lines[0]`` is line 1."""

    __slots__ = ("_text", "_starts", "_ends")

    def __init__(self, text: str):
        starts, ends = array("Q"), array("Q")
        at = 0
        for piece in text.splitlines(keepends=True):
            size = len(piece)
            ending = 2 if piece.endswith("\r\n") else 1 if piece[-1] in _ENDINGS else 0
            starts.append(at)
            ends.append(at + size - ending)
            at += size
        self._text, self._starts, self._ends = text, starts, ends

    def __len__(self) -> int:
        return len(self._starts)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self._text[self._starts[index]:self._ends[index]]

    def __iter__(self) -> Iterator[str]:
        text = self._text
        return (text[a:b] for a, b in zip(self._starts, self._ends))

    def __repr__(self) -> str:
        return f"Lines({len(self)} lines)"

