"""A one-line progress display for long table checks, on standard error.

Reading and checking a million-row table takes seconds; a terminal user sees
which step it is at. Only when asked (the command line asks when standard error
is a terminal, the output is not JSON and ``--quiet`` is not given), and only on
the one line it rewrites, so nothing of it reaches a pipe or a file.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress", "QUIET"]


class Progress:
    """``step("reading t")`` shows ``t: reading… 1.2 s``; ``done()`` clears the line."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream
        self.start = time.perf_counter()
        self.shown = False

    @classmethod
    def on_terminal(cls, enabled: bool = True, stream: TextIO | None = None) -> "Progress":
        stream = sys.stderr if stream is None else stream
        return cls(stream if enabled and stream.isatty() else None)

    def step(self, text: str) -> None:
        if self.stream is None:
            return
        elapsed = time.perf_counter() - self.start
        self.stream.write(f"\r{text}… {elapsed:.1f} s\x1b[K")
        self.stream.flush()
        self.shown = True

    def done(self) -> None:
        if self.stream is not None and self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


#: Shows nothing: the default everywhere but an interactive command line.
QUIET = Progress(None)
