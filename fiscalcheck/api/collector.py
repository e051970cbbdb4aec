"""The cyclic garbage collector, paused while a case is read or checked.

Reading a case allocates a few objects per YAML scalar and checking it a few per
relation; reference counting frees them all, and none forms a cycle the
collector could reclaim. Its passes over a growing heap are what made a 10^5-node
case take twice as long through the API as through the command line (issue 9),
so :func:`paused` switches it off for the call and restores the caller's state
afterwards, on error too (a caller that had it off keeps it off).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused"]


@contextmanager
def paused() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
