"""Bad input on the command line: one line per problem on standard error, exit status 2."""

from __future__ import annotations

import sys
from collections.abc import Iterable

__all__ = ["report_problems", "BAD_INPUT"]

#: The exit status for bad input or usage.
BAD_INPUT = 2


def report_problems(problems: Iterable[object]) -> int:
    """Print each problem (``file:line:column: message``) on its own line; :data:`BAD_INPUT`."""
    for problem in problems:
        print(f"{problem}", file=sys.stderr)
    return BAD_INPUT
