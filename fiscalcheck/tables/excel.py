"""Reading an Excel sheet's cells as the sheet prints them.

An xlsx file stores a number as a binary double (``<v>1476241.9</v>`` is read
back as 1476241.899999999906867742538452148...); what the reader of the sheet
sees, and what the report printed, is that value rounded by the cell's number
format: ``0.0`` prints one decimal, ``#,##0.00`` two, ``0.0%`` the value
times 100 to one decimal. So each cell is turned into the text its format
prints — the stored double taken exactly (``Decimal(value)``, never rounded
through another float), then rounded half away from zero to the format's
places, as Excel displays it — and from there on it is a cell like a CSV's:
its printed places are its precision. A cell in the ``General`` format prints
the shortest decimal that is its double (what Excel wrote into the file).
Text cells stay as they are; dates are written as ISO dates, which no measure
column accepts.

openpyxl (the ``tables`` extra) reads the workbook; rows keep the sheet's own
numbers, so a finding's ``row 12`` is the row Excel shows.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from decimal import Decimal

from ..numbers.contexts import SPREADSHEET

__all__ = ["printed", "places", "sheet_rows", "sheet_size", "EXCEL_EXTRA"]

EXCEL_EXTRA = 'pip install "fiscalcheck[tables]"'

_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')


def places(number_format: str | None) -> tuple[int | None, bool, int]:
    """``(decimals, percent, thousands)`` of a number format: the places it prints (``None`` for
    ``General``, or a format without digits), whether it prints a percentage, and how many
    times it divides by 1000 (``#,##0,`` prints thousands)."""
    if not number_format or number_format.strip().lower() == "general":
        return None, False, 0
    section = _QUOTED.sub("", number_format.split(";")[0])
    if not re.search(r"[0#?]", section):
        return None, False, 0
    percent = "%" in section
    digits = re.search(r"\.([0#?]*)", section)
    decimals = len(digits[1]) if digits else 0
    last = max(section.rfind(c) for c in "0#?")
    thousands = len(re.match(r",*", section[last + 1:])[0])
    return decimals, percent, thousands


def printed(value: object, number_format: str | None = None) -> str:
    """The text a cell prints: a number rounded by its format; text as it is; nothing for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, float):
        exact = Decimal(value)  # the stored double, every binary digit: no rounding yet
        shortest = Decimal(repr(value))  # the shortest decimal that is this double
    elif isinstance(value, (int, Decimal)):
        exact = shortest = Decimal(value)
    else:
        return str(value)
    decimals, percent, thousands = places(number_format)
    if decimals is None:
        return format(shortest, "f")
    scaled = SPREADSHEET.scaleb(exact, 2 * percent - 3 * thousands)
    return format(SPREADSHEET.quantize(scaled, SPREADSHEET.scaleb(Decimal(1), -decimals)), "f")


def _open(path: str):
    try:
        import openpyxl
    except ImportError:
        raise ImportError(f"an Excel table needs openpyxl: {EXCEL_EXTRA}") from None
    from zipfile import BadZipFile

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as error:
        raise ValueError(f"not an xlsx workbook ({error})") from None


def _sheet(book, sheet: str | None):
    if sheet is None:
        return book.worksheets[0]
    if sheet in book.sheetnames:
        return book[sheet]
    raise LookupError(f"no sheet {sheet!r}; the workbook has {', '.join(map(repr, book.sheetnames))}")


def sheet_size(path: str, sheet: str | None = None) -> int:
    """The rows a sheet declares (its dimension), without reading its cells; counted when undeclared."""
    book = _open(path)
    try:
        worksheet = _sheet(book, sheet)
        return worksheet.max_row or sum(1 for _ in worksheet.iter_rows())
    finally:
        book.close()


def sheet_rows(path: str, sheet: str | None = None) -> Iterator[tuple[int, list[str]]]:
    """``(row number, cell texts)`` of every non-empty row of a sheet (the first, unless named).

    Raises ``LookupError`` for an unknown sheet, ``ImportError`` without openpyxl, and
    ``ValueError`` for a file that is not an xlsx workbook.
    """
    book = _open(path)
    try:
        worksheet = _sheet(book, sheet)
        for cells in worksheet.iter_rows():
            texts = [printed(getattr(c, "value", None), getattr(c, "number_format", None)) for c in cells]
            row = next((c.row for c in cells if getattr(c, "row", None) is not None), None)
            if row is not None and any(t.strip() for t in texts):
                yield row, texts
    finally:
        book.close()
