"""The pages of a PDF as text lines and ruled tables, each piece with its place.

pdfplumber reads the characters; this module turns them into what an auditor
cites: narrative lines numbered over the whole document (with their page), and
tables with a title, the unit of their "单位：" line, named columns and rows of
printed text, every row knowing its page, the table's number on that page and
its row number there. Nothing here reads a figure: cells stay the text printed,
so :mod:`fiscalcheck.figures` (via :mod:`.case`) reads every digit exactly.

Why lines are grouped by overlap rather than by pdfplumber's ``extract_text``:
department reports set digits in a Latin font whose baseline sits a few points
below the Chinese text, so the figure of "总计 2995.39 万元" lands on a line of its
own under a fixed tolerance; a word joins the line whose vertical extent it
overlaps by more than half its height.

Why several table settings: ruled tables are found from their lines, which is
exact when the PDF draws them; a page that prints a "单位：" line but has no
ruled table is tried again with text alignment, and the candidate with the
most figures wins (the peer tool merges three settings the same way).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import attrs

from ...record import Record

__all__ = ["TextLine", "Row", "Table", "Document", "read_pages", "clean", "MissingExtra"]

#: pdfplumber settings tried in turn on a page whose ruled lines give no table.
SETTINGS = (
    {"vertical_strategy": "lines", "horizontal_strategy": "lines"},
    {"vertical_strategy": "text", "horizontal_strategy": "lines"},
    {"vertical_strategy": "text", "horizontal_strategy": "text"},
)
UNIT_LINE = re.compile(r"(?:金额)?单位\s*[:：]\s*(\S+)")
NUMBER = re.compile(r"[-−]?[0-9][0-9,]*(?:\.[0-9]+)?%?")
_SPACE = re.compile(r"\s+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9.,%]")


class MissingExtra(ImportError):
    """pdfplumber is not installed: reading PDFs is the optional extra ``fiscalcheck[pdf]``."""


def clean(text: str | None, *, digits_apart: bool = False) -> str:
    """A cell's text as one line: wrapped label lines joined, the spaces of spaced-out CJK removed.

    Spaces stay only between two Latin words; digits printed apart in one cell
    (a code ``201 06 01``) are one code, while in running text (``digits_apart``)
    two numbers stay two.
    """
    if not text:
        return ""
    parts = _SPACE.split(text.strip())
    out = parts[0]
    for part in parts[1:]:
        if out and part and _ASCII_WORD.match(out[-1]) and _ASCII_WORD.match(part[0]) and (
            digits_apart or not (out[-1].isdigit() and part[0].isdigit())
        ):
            out += " "
        out += part
    return out


@attrs.frozen(repr=False, eq=False)
class TextLine(Record):
    """A line of running text: its number over the whole document (from 1) and its page."""

    number: int
    page: int
    text: str


@attrs.frozen(repr=False, eq=False)
class Row(Record):
    """One printed row of a table: its page, the table's number on the page, its row there (from 1)."""

    page: int
    table: int
    number: int
    cells: tuple[str, ...]


@attrs.frozen(repr=False, eq=False)
class Table(Record):
    """A table as printed on one page (or, after :mod:`.join`, over several).

    ``columns`` holds, per column, the header texts above it from the top
    (merged header cells repeated under every column they span); ``rows`` are
    the rows below the header. ``title`` and ``unit`` come from the lines just
    above the table; a table without either at the top of a page is a
    candidate continuation of the one before.
    """

    page: int
    index: int
    title: str | None
    unit: str | None
    columns: tuple[tuple[str, ...], ...]
    rows: tuple[Row, ...]
    title_line: int | None = None
    unit_line: int | None = None
    pages: tuple[int, ...] = ()

    @property
    def width(self) -> int:
        return len(self.columns)

    @property
    def place(self) -> str:
        pages = self.pages or (self.page,)
        span = f"pages {pages[0]}-{pages[-1]}" if len(pages) > 1 else f"page {pages[0]}"
        return f"{span}, table {self.index}"


@attrs.frozen(repr=False, eq=False)
class Document(Record):
    """A PDF read: its path, page count, narrative lines and tables (in page order)."""

    path: str
    pages: int
    lines: tuple[TextLine, ...]
    tables: tuple[Table, ...]

    def line(self, number: int) -> TextLine:
        return self.lines[number - 1]


def _pdfplumber():
    try:
        import pdfplumber
    except ImportError as error:  # pragma: no cover - exercised by a test that hides the module
        raise MissingExtra(
            "reading a PDF needs pdfplumber, the optional extra: pip install \"fiscalcheck[pdf]\" "
            "(or, in a checkout, pip install \".[pdf]\")"
        ) from error
    return pdfplumber


def read_pages(path: str) -> Document:
    """Read every page of ``path``: narrative lines, and tables with their headers and rows."""
    pdfplumber = _pdfplumber()
    lines: list[TextLine] = []
    tables: list[Table] = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            found = _tables(page)
            boxes = [t.bbox for t, _ in found]
            page_lines = _lines(page, boxes)
            first = len(lines) + 1
            lines.extend(TextLine(first + i, number, text) for i, (_top, _bottom, text) in enumerate(page_lines))
            placed = [(first + i, top, bottom, text) for i, (top, bottom, text) in enumerate(page_lines)]
            previous_bottom = None
            for index, (table, extracted) in enumerate(found, start=1):
                read = _table(number, index, table, extracted, placed, previous_bottom)
                previous_bottom = table.bbox[3]
                if read is not None:
                    tables.append(read)
        pages = len(pdf.pages)
    return Document(str(path), pages, tuple(lines), tuple(tables))


def _figures(rows: Sequence[Sequence[str | None]]) -> int:
    return sum(1 for row in rows for cell in row if cell and NUMBER.fullmatch(clean(cell)))


def _tables(page) -> list:
    """The tables of a page, each with its cells' text: ruled lines first; text alignment when the page
    looks tabular but has none. (Each table's text is extracted once: it is most of the cost after parsing.)
    """
    best: list = []
    best_score = 0
    for i, settings in enumerate(SETTINGS):
        candidates = [(t, t.extract()) for t in page.find_tables(settings)]
        found = [(t, rows) for t, rows in candidates if any(any(c for c in r) for r in rows)]
        if i == 0 and found:
            return found  # ruled tables: exact when the PDF draws its lines
        if i == 0 and not _has_unit_line(page):
            return []  # no ruled table and no unit line: running text
        score = sum(_figures(rows) for _, rows in found)
        if score > best_score:
            best, best_score = found, score
    return best


def _has_unit_line(page) -> bool:
    text = "".join(c["text"] for c in page.chars)
    return "单位:" in text or "单位：" in text


def _inside(word: dict, boxes: Iterable[tuple]) -> bool:
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    return any(x0 - 1 <= x <= x1 + 1 and top - 1 <= y <= bottom + 1 for x0, top, x1, bottom in boxes)


def _lines(page, boxes: Sequence[tuple]) -> list[tuple[object, object, str]]:
    """Running text outside the tables, as (top, bottom, text) lines in reading order."""
    words = [w for w in page.extract_words(keep_blank_chars=False, use_text_flow=False) if not _inside(w, boxes)]
    words.sort(key=lambda w: (w["top"], w["x0"]))
    grouped: list[list[dict]] = []
    for word in words:
        height = max(word["bottom"] - word["top"], 1)
        for line in reversed(grouped[-3:]):  # a word belongs to one of the last few lines, or starts one
            anchor = line[0]
            overlap = min(anchor["bottom"], word["bottom"]) - max(anchor["top"], word["top"])
            if overlap > height / 2:
                line.append(word)
                break
        else:
            grouped.append([word])
    out = []
    for line in grouped:
        line.sort(key=lambda w: w["x0"])
        out.append((line[0]["top"], max(w["bottom"] for w in line), clean(" ".join(w["text"] for w in line), digits_apart=True)))
    return out


def _columns(table) -> list[tuple[object, object]]:
    """Each column's x-range: from its narrowest cell (a merged cell spans several columns)."""
    width = max(len(r.cells) for r in table.rows)
    spans: list[tuple[object, object] | None] = [None] * width
    for row in table.rows:
        for j, box in enumerate(row.cells):
            if box is None:
                continue
            if spans[j] is None or box[2] - box[0] < spans[j][1] - spans[j][0]:
                spans[j] = (box[0], box[2])
    return [s if s is not None else (0, 0) for s in spans]


CODE_HEADERS = ("类", "款", "项")


def _is_data(cells: Sequence[str]) -> bool:
    """A row below the header: it prints a figure or a classification code."""
    return any(NUMBER.fullmatch(c) and not c.endswith("%") for c in cells if c)


def _table(page: int, index: int, table, extracted, placed, previous_bottom) -> Table | None:
    texts = [[clean(c) for c in row] for row in extracted]
    if not any(any(row) for row in texts):
        return None
    width = max(len(r) for r in texts)
    texts = [row + [""] * (width - len(row)) for row in texts]
    spans = _columns(table)
    top = table.bbox[1]
    above = [p for p in placed if p[2] <= top + 2 and (previous_bottom is None or p[1] >= previous_bottom - 2)]
    title = unit = None
    title_line = unit_line = None
    for number, _top, _bottom, text in reversed(above[-5:]):
        match = UNIT_LINE.search(text)
        if match and unit is None:
            unit, unit_line = match.group(1), number
            rest = text[: match.start()].strip()
            if rest and "表" in rest and title is None:
                title, title_line = rest, number
            continue
        if title is None and "表" in text:
            title, title_line = text, number
            break
    header_rows = 0
    if title is not None or unit is not None:  # a table without either is a continuation: no header of its own
        while header_rows < len(texts) and not _is_data(texts[header_rows]):
            header_rows += 1
        if header_rows == len(texts):  # an empty form: its header ends at its 合计 row
            header_rows = next((i for i, r in enumerate(texts) if r and r[0] in ("合计", "总计")), len(texts))
    parts: list[list[str]] = [[] for _ in range(width)]
    for r in range(header_rows):
        for j, box in enumerate(table.rows[r].cells[:width]):
            text = texts[r][j]
            if box is None or not text:
                continue
            for k, (x0, x1) in enumerate(spans):
                centre = (x0 + x1) / 2
                if box[0] - 1 <= centre <= box[2] + 1 and (not parts[k] or parts[k][-1] != text):
                    parts[k].append(text)
    rows = []
    for r in range(header_rows, len(texts)):
        cells = texts[r]
        if r == header_rows:
            for j, text in enumerate(cells):
                if text in CODE_HEADERS:  # 类/款/项 printed in the first data row (the 合计 row) are header
                    parts[j].append(text)
            cells = ["" if c in CODE_HEADERS else c for c in cells]
        if any(cells):
            rows.append(Row(page, index, r + 1, tuple(cells)))
    return Table(page, index, title, unit, tuple(tuple(p) for p in parts), tuple(rows),
                 title_line, unit_line, (page,))
