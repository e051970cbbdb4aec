"""The cyclic garbage collector, paused while the package is imported and a case is read or checked.

Reading a case allocates a few objects per YAML scalar and checking it a few per
relation; reference counting frees them all, and none forms a cycle the
collector could reclaim. Its passes over a growing heap are what made a 10^5-node
case take twice as long through the API as through the command line (issue 9),
so :func:`paused` switches it off for the call and restores the caller's state
afterwards, on error too (a caller that had it off keeps it off).

Switching it back on is not enough: every object the call made is still in the
youngest generation (no pass ran to move it on), so the first pass after the call
would walk them all (millions, for a case of 10^5 nodes), and the next generation's
pass again. So the objects are moved to the oldest generation first, unexamined
(``gc.freeze()`` then ``gc.unfreeze()``, which is what those two do together), where
only a full collection looks at them. This is skipped when the caller has frozen
objects of its own: unfreezing would hand them back to the collector.

Importing the package is paused too (``fiscalcheck/__init__.py``): its modules build
some fifty attrs classes, each a few compiled functions, and some thirty compiled
patterns, all living as long as the process. The collector's passes over them during
the import found nothing to free and cost 6-7 ms of the 2020 case's 160 ms run
(bench/startup.py). This module sits below every layer so the package can pause the
collector before it imports any of them.
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
            if not gc.get_freeze_count():
                gc.freeze()  # every tracked object to the permanent generation,
                gc.unfreeze()  # and back to the oldest one: the young ones unexamined
            gc.enable()
