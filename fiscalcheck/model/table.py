"""What a case says about a table: its file, its hierarchy, which columns are which measures.

A budget table is rows of cells; the case says how the rows form the node tree
and which columns print which measure. Three shapes of hierarchy are read:

* ``levels``: each row repeats its ancestors' codes and totals (a row per
  subprogram that also prints its program's and its state body's totals);
* ``code`` with prefix ``lengths``: a classification code whose prefix is its
  parent's code (政府收支分类科目: 类 3 digits, 款 5, 项 7);
* ``key`` and ``parent``: an id column and a column naming the parent's id.

``totals`` names the rows that are the table's total (合计/总计): they become
the parent of every top-level row. ``under`` names a node of the case (a total
printed in prose, or in another document) that the table's top level sums into.

This is data, part of the model; :mod:`fiscalcheck.inputs.tables` reads it from a case
file and :mod:`fiscalcheck.tables` checks it.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from ..errors import Location
from ..figures import Unit
from ..record import Record

__all__ = ["Column", "Level", "Totals", "Table", "TABLE_FORMATS"]

#: Table file formats, by the name a case gives (or the file's extension).
TABLE_FORMATS = ("csv", "tsv", "parquet", "xlsx")


@attrs.frozen(repr=False, eq=False)
class Column(Record):
    """A column that prints one measure: ``shift`` is the factor as a power of ten.

    A cell ``0.963`` with factor 100 and unit ``%`` is the figure 96.3%, printed to
    0.1%: scaling by a power of ten moves the printed place with the digits, so the
    cell's precision survives the factor exactly. Any other factor would not.
    """

    name: str
    unit: Unit
    shift: int = 0
    exact: bool | None = None


@attrs.frozen(repr=False, eq=False)
class Level(Record):
    """One level of a ``levels`` hierarchy: its code column, label column and measure columns."""

    code: str
    label: str | None
    measures: Mapping[str, Column]


@attrs.frozen(repr=False, eq=False)
class Totals(Record):
    """Rows whose ``column`` holds one of ``values`` are the table's total rows."""

    column: str
    values: tuple[str, ...]


@attrs.frozen(repr=False, eq=False)
class Table(Record):
    """A table of a case. ``file`` is absolute; ``source`` the id its statements cite."""

    id: str
    file: str
    format: str
    source: str
    levels: tuple[Level, ...] = ()
    code: str | None = None
    lengths: tuple[int, ...] = ()
    key: str | None = None
    parent: str | None = None
    label: str | None = None
    measures: Mapping[str, Column] = attrs.field(factory=dict)
    totals: Totals | None = None
    under: str | None = None
    #: An Excel table's sheet (the first when None) and the row of its column names (rows above
    #: it are the title and the 单位 line a sheet prints).
    sheet: str | None = None
    header: int = 1
    origin: Location | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def shape(self) -> str:
        """``levels``, ``prefix`` or ``parent``: how the rows form the tree."""
        if self.levels:
            return "levels"
        return "prefix" if self.code is not None else "parent"

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the table's checks read, each once."""
        names: list[str] = []
        if self.levels:
            for level in self.levels:
                names += [level.code, *([level.label] if level.label else []),
                          *(c.name for c in level.measures.values())]
        else:
            names += [n for n in (self.code, self.key, self.parent, self.label) if n]
            names += [c.name for c in self.measures.values()]
        if self.totals is not None:
            names.append(self.totals.column)
        return tuple(dict.fromkeys(names))


