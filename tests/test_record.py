"""The one ``__repr__``, ``__eq__`` and ``__hash__`` the package's records share (fiscalcheck/record.py)."""

from __future__ import annotations

import importlib
import pkgutil

import attrs
from hypothesis import given
from hypothesis import strategies as st

import fiscalcheck
from fiscalcheck import Location, Statement, parse_figure
from fiscalcheck.numbers import Interval
from fiscalcheck.record import Record


def test_a_record_prints_as_attrs_would():
    assert repr(Location("case.yaml", 3, 7)) == "Location(file='case.yaml', line=3, column=7)"


def test_fields_declared_repr_false_are_left_out_and_a_callable_repr_is_used():
    @attrs.frozen(repr=False, eq=False)
    class Shown(Record):
        name: str
        hidden: int = attrs.field(default=0, repr=False)
        amount: int = attrs.field(default=5, repr=lambda value: f"<{value}>")

    assert repr(Shown("a", 1)) == "Shown(name='a', amount=<5>)"


def test_nested_records_print_their_own_fields():
    statement = Statement(printed="7.3亿元", figure=parse_figure("7.3亿元"), source="report", line=12,
                          origin=Location("case.yaml", 4, 1))
    shown = repr(statement)
    assert shown.startswith("Statement(printed='7.3亿元', figure=Figure(")
    assert "origin=" not in shown  # declared repr=False: where the case says it, not what it says
    assert repr(Interval.point(fiscalcheck.to_decimal("1.5"))).startswith("Interval(lo=Decimal('1.5'), hi=Decimal('1.5')")


def _records() -> list[type]:
    found = []
    for module in pkgutil.walk_packages(fiscalcheck.__path__, "fiscalcheck."):
        if module.name.endswith("__main__"):
            continue  # running it is the command line
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, type) and attrs.has(value) and value.__module__ == module.name:
                found.append(value)
    return found


def test_no_record_has_a_repr_written_by_attrs():
    """Each one attrs writes costs the import 120 µs (bench/startup.py): a record derives from
    Record, or writes its own, or declares repr=False as a working value never shown."""
    records = _records()
    assert len(records) > 50
    written = [cls.__qualname__ for cls in records
               if getattr(getattr(cls.__repr__, "__code__", None), "co_filename", "").startswith("<attrs generated")]
    assert written == []


def test_no_record_has_equality_written_by_attrs():
    """Each ``__eq__`` and ``__hash__`` attrs writes costs the import 150 µs more (bench/startup.py):
    a record declares eq=False and derives from Record, which compares its fields."""
    records = [cls for cls in _records() if issubclass(cls, Record)]
    assert len(records) > 50
    written = [cls.__qualname__ for cls in records
               if cls.__eq__ is not Record.__eq__ or cls.__hash__ is not Record.__hash__]
    assert written == []


@attrs.frozen(repr=False, eq=False)
class _Shared(Record):
    name: str
    amount: object = 0
    note: str = attrs.field(default="", eq=False)
    parts: tuple = ()


@attrs.frozen(repr=False)
class _Written:
    """The same fields, with the equality and hash attrs writes: what the shared ones must agree with."""

    name: str
    amount: object = 0
    note: str = attrs.field(default="", eq=False)
    parts: tuple = ()


@attrs.frozen(repr=False, eq=False)
class _Other(_Shared):
    """Another class with the same fields: its records are never equal to a _Shared's."""


_VALUES = st.tuples(st.sampled_from(["a", "b"]),
                    st.one_of(st.integers(-2, 2), st.decimals(allow_nan=False, places=1, min_value=-1, max_value=1)),
                    st.sampled_from(["", "x"]), st.lists(st.integers(0, 1), max_size=2).map(tuple))


@given(_VALUES, _VALUES)
def test_records_compare_and_hash_as_attrs_would(left, right):
    assert (_Shared(*left) == _Shared(*right)) == (_Written(*left) == _Written(*right))
    assert (_Shared(*left) != _Shared(*right)) == (_Written(*left) != _Written(*right))
    if _Shared(*left) == _Shared(*right):
        assert hash(_Shared(*left)) == hash(_Shared(*right))
    assert _Shared(*left) != _Other(*left)  # another class, the same fields: not equal, as in attrs


def test_fields_declared_eq_false_are_left_out_of_equality_and_hash():
    one, two = _Shared("a", 1, note="printed here"), _Shared("a", 1, note="printed there")
    assert one == two and hash(one) == hash(two)
    assert _Shared("a", 1) != _Shared("a", 2)
    assert len({_Shared("a", 1), _Shared("a", 1, note="x"), _Shared("b", 1)}) == 2


def test_records_of_one_field_and_of_none_compare():
    @attrs.frozen(repr=False, eq=False)
    class One(Record):
        value: int

    @attrs.frozen(repr=False, eq=False)
    class Empty(Record):
        pass

    assert One(1) == One(1) != One(2) and hash(One(1)) == hash(One(1))
    assert Empty() == Empty() and hash(Empty()) == hash(Empty())
    assert One(1) != 1 and (One(1) == 1) is False  # NotImplemented both ways: not equal
