"""The one ``__repr__`` the package's records share (fiscalcheck/record.py)."""

from __future__ import annotations

import importlib
import pkgutil

import attrs

import fiscalcheck
from fiscalcheck import Location, Statement, parse_figure
from fiscalcheck.numbers import Interval
from fiscalcheck.record import Record


def test_a_record_prints_as_attrs_would():
    assert repr(Location("case.yaml", 3, 7)) == "Location(file='case.yaml', line=3, column=7)"


def test_fields_declared_repr_false_are_left_out_and_a_callable_repr_is_used():
    @attrs.frozen(repr=False)
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
