"""Reading a table's cells exactly: as text, never through a binary float.

A CSV cell ``1476241.9`` is the figure 1476241.9 printed to 0.1; read as a
float it would already be 1476241.899999999906867742538452148... Every cell is
read here as the text it is (Python's csv module, DuckDB ``all_varchar``, a
Parquet DECIMAL or string column) and turned into a :class:`~fiscalcheck.figure.Figure`
by :func:`cell_figure`. A Parquet column of binary floats is refused: it has
lost the printed digits before we see it.

Rows are numbered as a spreadsheet numbers them: the header is row 1, the
first data row 2 (for a CSV without line breaks inside cells, its line).
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator
from decimal import Decimal

from ..errors import CaseError, Location, Problem, suggest
from ..figures import Figure
from ..model.table import Column, Table
from ..numbers import EXACT

__all__ = ["NUMBER", "cell_figure", "rows", "excel_rows", "excel_error", "header", "missing_extra", "EXTRA"]

#: A cell that prints a number: a sign, digits (thousands may be grouped by commas), a fraction.
NUMBER = r"-?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?"
_NUMBER = re.compile(NUMBER)
#: How to install the columnar engine, named in every message that needs it.
EXTRA = 'pip install "fiscalcheck[tables]"'


def missing_extra(what: str) -> str:
    return f"{what} needs the optional columnar engine (duckdb, pyarrow): {EXTRA}"


def cell_figure(text: str, column: Column) -> Figure | None:
    """The figure a cell prints, in its column's unit; ``None`` for an empty cell.

    Raises ``ValueError`` for a cell that is not a number (the caller knows where it is).
    """
    text = text.strip()
    if not text:
        return None
    if not _NUMBER.fullmatch(text):
        raise ValueError(f"expected a number in column {column.name!r}, got {text!r}")
    value = Decimal(text.replace(",", ""))
    return Figure(EXACT.scaleb(value, column.shift) if column.shift else value, column.unit)


def _fail(table: Table, row: int, column: int, message: str) -> CaseError:
    return CaseError([Problem(Location(table.file, row, column), message)])


def header(table: Table, names: list[str]) -> dict[str, int]:
    """Each column the table spec names, with its position; every missing one is a problem."""
    index = {name.strip(): i for i, name in enumerate(names)}
    problems = [
        Problem(table.origin or Location(table.file, 1, 1),
                f"table {table.id!r}: {os.path.basename(table.file)} has no column {name!r}{suggest(name, index)}")
        for name in table.columns if name not in index
    ]
    if problems:
        raise CaseError(problems)
    return {name: index[name] for name in table.columns}


def rows(table: Table) -> Iterator[tuple[int, dict[str, str]]]:
    """``(row number, {column: cell text})`` for every data row, the columns the spec names only."""
    if table.format == "parquet":
        yield from _parquet_rows(table)
        return
    if table.format == "xlsx":
        yield from excel_rows(table)[1]
        return
    delimiter = "\t" if table.format == "tsv" else ","
    try:
        handle = open(table.file, encoding="utf-8-sig", newline="")
    except OSError as error:
        raise _fail(table, 0, 0, f"cannot read table file: {error.strerror}") from None
    with handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            names = next(reader)
        except StopIteration:
            raise _fail(table, 1, 1, "empty table file: expected a header row") from None
        except (UnicodeDecodeError, csv.Error) as error:
            raise _fail(table, 1, 1, f"cannot read the header row: {error}") from None
        positions = header(table, names)
        number = 1
        try:
            for record in reader:
                number += 1
                if not record:
                    continue
                yield number, {name: record[i] if i < len(record) else "" for name, i in positions.items()}
        except (UnicodeDecodeError, csv.Error) as error:
            raise _fail(table, number + 1, 1, f"cannot read the row: {error}") from None


def _parquet_rows(table: Table) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        import pyarrow.parquet as pq
        import pyarrow.types as pt
    except ImportError:
        raise _fail(table, 0, 0, missing_extra("a Parquet table")) from None
    parquet = pq.ParquetFile(table.file)
    schema = parquet.schema_arrow
    positions = header(table, list(schema.names))
    for name in positions:
        kind = schema.field(name).type
        if pt.is_floating(kind):
            raise _fail(table, 1, positions[name] + 1,
                        f"column {name!r} holds binary floats ({kind}): their printed digits are lost; "
                        "write it as DECIMAL or text")
    number = 1
    for batch in parquet.iter_batches(columns=list(positions)):
        columns = {name: batch.column(name).to_pylist() for name in positions}
        for i in range(batch.num_rows):
            number += 1
            yield number, {name: "" if values[i] is None else str(values[i]) for name, values in columns.items()}


def excel_error(table: Table, error: Exception) -> CaseError:
    """A workbook that cannot be read (no openpyxl, no such sheet, not xlsx), at the table in the case."""
    return CaseError([Problem(table.origin or Location(table.file, 0, 0), f"table {table.id!r}: {error}")])


def excel_rows(table: Table) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """An Excel table's column names (its ``header`` row) and its data rows below, as printed:
    ``(row number, {column: cell text})`` for the columns the spec names, as :func:`rows` gives."""
    from .excel import sheet_rows

    try:
        found = sheet_rows(table.file, table.sheet)
        for number, texts in found:
            if number == table.header:
                names = [t.strip() for t in texts]
                return names, _mapped(table, header(table, names), found)
            if number > table.header:
                break
    except (ImportError, LookupError, ValueError) as error:
        raise excel_error(table, error) from None
    raise _fail(table, table.header, 1, f"row {table.header} of the sheet is empty: expected the column names "
                                        "(give the table 'header:' the row that holds them)")


def _mapped(table: Table, positions: dict[str, int],
            found: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        for number, texts in found:
            yield number, {name: texts[i] if i < len(texts) else "" for name, i in positions.items()}
    except (LookupError, ValueError) as error:
        raise excel_error(table, error) from None
