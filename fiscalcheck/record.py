"""One ``__repr__`` for the package's frozen records, written once instead of per class.

attrs writes and compiles a ``__repr__`` for every class it builds, a third of the
time it takes to build one (120 of 350 µs here). The command line builds some
fifty records as it imports, so that was 5-6 ms of the 2020 case's 160 ms run
(bench/startup.py). A record declares ``@attrs.frozen(repr=False)`` and derives
from :class:`Record`, whose one method prints what attrs' would, read from the
fields when called: ``Location(file='case.yaml', line=3, column=7)``, the fields
declared ``repr=False`` left out, a field's own ``repr=`` callable used for it.

It sits below every step, ``errors`` included (whose records use it too).
"""

from __future__ import annotations

import attrs

__all__ = ["Record"]


class Record:
    """A base for attrs records, adding nothing but the shared ``__repr__`` (and no slot)."""

    __slots__ = ()

    def __repr__(self) -> str:
        shown = []
        for field in attrs.fields(type(self)):
            if field.repr is False:
                continue
            value = getattr(self, field.name)
            shown.append(f"{field.name}={field.repr(value) if callable(field.repr) else repr(value)}")
        return f"{type(self).__qualname__.rsplit('>.', 1)[-1]}({', '.join(shown)})"
