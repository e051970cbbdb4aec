"""Reading a case file's ``tables:``: each table's file, hierarchy and measure columns, located.

See :mod:`fiscalcheck.model.table` for what is read, and docs/case-format.md ("Tables").
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from decimal import Decimal

import yaml

from ..figures import FigureError, Unit, to_decimal, unit_named
from ..model import MEASURE_PATTERN
from ..model.table import TABLE_FORMATS, Column, Level, Table, Totals

__all__ = ["read_table", "TABLE_KEYS"]

TABLE_KEYS = ("id", "file", "format", "source", "unit", "factor", "levels", "code", "lengths", "key",
              "parent", "label", "measures", "totals", "under", "sheet", "header")
LEVEL_KEYS = ("code", "label", "measures")
COLUMN_KEYS = ("column", "unit", "factor", "exact")
TOTALS_KEYS = ("column", "values")


def _shift(factor: Decimal) -> int | None:
    """The exponent of a power of ten (1000 -> 3, 0.01 -> -2); None for any other factor."""
    normal = factor.normalize()
    digits = normal.as_tuple()
    if factor <= 0 or digits.digits != (1,):
        return None
    return int(digits.exponent)


def read_table(reader, node, base: str, sources: Mapping[str, object]) -> "Table | None":
    """A table of a case file's ``tables:`` list, every problem reported at its place.

    ``reader`` is the located YAML reader (:class:`fiscalcheck.inputs.Reader`);
    ``base`` the case file's folder.
    """
    fields = reader.mapping(node, "a table", TABLE_KEYS)
    if fields is None:
        return None
    ok = True
    for required in ("id", "file"):
        if required not in fields:
            reader.fail(node, f"a table needs '{required}'")
            ok = False
    if not ok:
        return None
    table_id = reader.ident(fields["id"][1], "a table id")
    raw_file = reader.text(fields["file"][1], "a table file path")
    if table_id is None or raw_file is None:
        return None
    path = os.path.normpath(os.path.abspath(os.path.join(base, raw_file)))
    fmt = os.path.splitext(raw_file)[1].lstrip(".").lower()
    if "format" in fields:
        fmt = (reader.text(fields["format"][1], "a table format") or "").lower()
    if fmt == "xls":
        reader.fail(fields["file"][1], "the old Excel format (.xls) is not read: save the workbook as .xlsx "
                                       "(or the sheet as CSV)")
        return None
    if fmt not in TABLE_FORMATS:
        where = fields["format"][1] if "format" in fields else fields["file"][1]
        reader.fail(where, f"expected a table format ({', '.join(TABLE_FORMATS)}), got {fmt!r}")
        return None
    if not os.path.isfile(path):
        reader.fail(fields["file"][1], f"cannot read table file {raw_file!r}: no such file")
        return None
    source = table_id
    if "source" in fields:
        source = reader.ident(fields["source"][1], "a source id") or table_id
        if source not in sources:
            reader.fail(fields["source"][1], f"unknown source {source!r}")
    unit, shift = _unit_and_shift(reader, fields, None, 0)
    exact_default = None

    def column(value_node, what: str) -> Column | None:
        if isinstance(value_node, yaml.ScalarNode):
            name = reader.text(value_node, what)
            if name is None:
                return None
            if unit is None:
                reader.fail(value_node, f"{what} needs a unit: give the table 'unit:' or the column one")
                return None
            return Column(name, unit, shift, exact_default)
        spec = reader.mapping(value_node, what, COLUMN_KEYS)
        if spec is None:
            return None
        if "column" not in spec:
            reader.fail(value_node, f"{what} needs 'column'")
            return None
        name = reader.text(spec["column"][1], "a column name")
        own_unit, own_shift = _unit_and_shift(reader, spec, unit, shift)
        exact = reader.boolean(spec["exact"][1], "exact") if "exact" in spec else exact_default
        if name is None or own_unit is None:
            if name is not None:
                reader.fail(value_node, f"{what} needs a unit: give the table 'unit:' or the column one")
            return None
        return Column(name, own_unit, own_shift, exact)

    def measures(value_node) -> dict[str, Column]:
        if not isinstance(value_node, yaml.MappingNode) or not reader.visit(value_node):
            reader.fail(value_node, "expected measures as a mapping 'measure: column'")
            return {}
        out: dict[str, Column] = {}
        for key, value in value_node.value:
            name = reader.text(key, "a measure name")
            if name is None:
                continue
            if not MEASURE_PATTERN.fullmatch(name):
                reader.fail(key, f"expected a measure name (lower-case letters, digits, '_'), got {name!r}")
                continue
            found = column(value, f"the column of measure {name!r}")
            if found is not None:
                out[name] = found
        return out

    shapes = [k for k in ("levels", "code", "key") if k in fields]
    if len(shapes) != 1:
        reader.fail(node, "a table needs exactly one hierarchy: 'levels' (codes repeated per row), "
                          "'code' with 'lengths' (code prefixes), or 'key' with 'parent' (a parent column)")
        return None
    options: dict[str, object] = {}
    if "levels" in fields:
        levels = []
        for item in reader.sequence(fields["levels"][1], "levels"):
            spec = reader.mapping(item, "a level", LEVEL_KEYS)
            if spec is None:
                continue
            if "code" not in spec or "measures" not in spec:
                reader.fail(item, "a level needs 'code' (its code column) and 'measures'")
                continue
            code = reader.text(spec["code"][1], "a code column")
            label = reader.text(spec["label"][1], "a label column") if "label" in spec else None
            if code is not None:
                levels.append(Level(code, label, measures(spec["measures"][1])))
        if not levels:
            reader.fail(fields["levels"][1], "expected at least one level")
            return None
        options["levels"] = tuple(levels)
        for extra in ("measures", "lengths", "parent", "label"):
            if extra in fields:
                reader.fail(fields[extra][0], f"'{extra}' belongs to each level of a 'levels' table")
    else:
        if "measures" not in fields:
            reader.fail(node, "a table needs 'measures': which column prints which measure")
            return None
        options["measures"] = measures(fields["measures"][1])
        if "label" in fields:
            options["label"] = reader.text(fields["label"][1], "a label column")
        if "code" in fields:
            options["code"] = reader.text(fields["code"][1], "a code column")
            if "lengths" not in fields:
                reader.fail(node, "a 'code' table needs 'lengths': the code length of each level, e.g. [3, 5, 7]")
                return None
            lengths = tuple(n for n in (reader.integer(n, "a code length")
                                        for n in reader.sequence(fields["lengths"][1], "code lengths")) if n)
            if list(lengths) != sorted(set(lengths)):
                reader.fail(fields["lengths"][1], "expected code lengths in increasing order, e.g. [3, 5, 7]")
                return None
            options["lengths"] = lengths
        else:
            options["key"] = reader.text(fields["key"][1], "a key column")
            if "parent" not in fields:
                reader.fail(node, "a 'key' table needs 'parent': the column naming each row's parent")
                return None
            options["parent"] = reader.text(fields["parent"][1], "a parent column")
    if "totals" in fields:
        spec = reader.mapping(fields["totals"][1], "total rows", TOTALS_KEYS)
        if spec is not None and "column" in spec and "values" in spec:
            options["totals"] = Totals(reader.text(spec["column"][1], "a column name") or "",
                                       reader.texts(spec["values"][1], "total-row values"))
        elif spec is not None:
            reader.fail(fields["totals"][1], "total rows need 'column' and 'values' (e.g. [合计])")
    if "under" in fields:
        options["under"] = reader.ident(fields["under"][1], "a node id")
    for key in ("sheet", "header"):
        if key in fields and fmt != "xlsx":
            reader.fail(fields[key][0], f"'{key}' belongs to an Excel (xlsx) table")
    if "sheet" in fields and fmt == "xlsx":
        options["sheet"] = reader.text(fields["sheet"][1], "a sheet name")
    if "header" in fields and fmt == "xlsx":
        header = reader.integer(fields["header"][1], "the row of the column names")
        if header is not None:
            options["header"] = header
    return Table(table_id, path, fmt, source, origin=reader.at(node), **options)


def _unit_and_shift(reader, fields, unit: Unit | None, shift: int) -> tuple[Unit | None, int]:
    if "unit" in fields:
        text = reader.text(fields["unit"][1], "a unit")
        try:
            unit = unit_named(text or "")
        except FigureError as error:
            reader.fail(fields["unit"][1], str(error))
    if "factor" in fields:
        text = reader.text(fields["factor"][1], "a factor")
        try:
            found = _shift(to_decimal(text or ""))
        except FigureError as error:
            reader.fail(fields["factor"][1], str(error))
            found = 0
        if found is None:
            reader.fail(fields["factor"][1], f"expected a factor that is a power of ten (1000, 0.01), got {text!r}: "
                                             "only then does a cell keep its printed precision exactly")
            found = 0
        shift = found
    return unit, shift
