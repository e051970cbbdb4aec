"""One ``__repr__``, ``__eq__`` and ``__hash__`` for the package's frozen records, written once.

attrs writes and compiles these methods for every class it builds, and compiling is most
of the time it takes to build one: of 450 µs a record here, 120 went to the repr and 150
to equality and its hash. The command line builds some fifty records as it imports, so
that was 15 ms of a run of the 2020 case that takes ~60 ms more than importing the
libraries it uses (bench/startup.py). A record declares ``@attrs.frozen(repr=False,
eq=False)`` and derives from :class:`Record`, whose methods do what attrs' would, read
from the fields when called (the fields' names for equality once per class):

* ``repr``: ``Location(file='case.yaml', line=3, column=7)``, the fields declared
  ``repr=False`` left out, a field's own ``repr=`` callable used for it;
* ``==``: the same class, and equal fields, the fields declared ``eq=False`` left out;
  another class is ``NotImplemented``, as attrs has it;
* ``hash``: of the class and the same fields, so that records equal are hashed alike.

A working value compared by identity (the rules' ``Quantity``) declares ``eq=False``
and does not derive from Record. This module sits below every step, ``errors`` included
(whose records use it too).
"""

from __future__ import annotations

import operator
from collections.abc import Callable

import attrs

__all__ = ["Record"]

#: Each record class's fields compared by ``==``, as one getter: built when first compared.
_COMPARED: dict[type, Callable[[object], object]] = {}


def _compared(cls: type) -> Callable[[object], object]:
    names = [field.name for field in attrs.fields(cls) if field.eq]
    if not names:
        getter: Callable[[object], object] = lambda record: ()  # noqa: E731 - no field: all are equal
    elif len(names) == 1:
        single = operator.attrgetter(names[0])
        getter = lambda record: (single(record),)  # noqa: E731 - one field: a tuple all the same
    else:
        getter = operator.attrgetter(*names)
    _COMPARED[cls] = getter
    return getter


class Record:
    """A base for attrs records: the shared ``__repr__``, ``__eq__`` and ``__hash__`` (and no slot)."""

    __slots__ = ()

    def __repr__(self) -> str:
        shown = []
        for field in attrs.fields(type(self)):
            if field.repr is False:
                continue
            value = getattr(self, field.name)
            shown.append(f"{field.name}={field.repr(value) if callable(field.repr) else repr(value)}")
        return f"{type(self).__qualname__.rsplit('>.', 1)[-1]}({', '.join(shown)})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        cls = self.__class__
        fields = _COMPARED.get(cls) or _compared(cls)
        return fields(self) == fields(other)

    def __hash__(self) -> int:
        cls = self.__class__
        fields = _COMPARED.get(cls) or _compared(cls)
        return hash((cls, fields(self)))
