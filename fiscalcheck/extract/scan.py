"""Figures with their places: every number a report line prints, and what it is.

A report is read one line at a time (the shared reports print a paragraph a
line; a table prints one cell a line, rows parted by blank lines). Each digit
run ends up in exactly one of three lists, so nothing is silently dropped:

* :class:`Found`: a figure, read with the project's own grammar (``parse_figure``):
  money, counts, ratios and physical quantities with their qualifier (约, 近,
  超过 …), the sign words around them (下降1.9% is a change of −1.9%), counts in
  Chinese numerals (两家, 四个), bare table cells under a declared unit;
* :class:`NotFigure`: numbers that are not figures, each with its kind —
  ``date`` (2020年, 4月23日, 1-10月份), ``document`` (〔2020〕62号, 23号地),
  ``ordinal`` (第三, 第12次), ``phone``, ``marker`` (list markers 1. （一） (3)),
  ``duration`` (12个月, 3个工作日, 5年), ``name`` (5G, pm2.5), ``serial``
  (a table's 序号 cell);
* :class:`Unread`: numbers that look like figures but cannot be read ("seen,
  not read": ``超过100万的`` with a bare 万, ``600路``), with their place, so recall
  can be measured and a reviewer can see what was passed over.

Columns are 0-based offsets into the line as printed (full-width digits are
read as their ASCII twins character by character, so columns never shift).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

import attrs

from ..figures import PREFIX_PATTERN, SUFFIX_PATTERN, UNIT_PATTERN, UNITS, Figure, FigureError, Unit, parse_figure
from ..figures.grammar import SIGN_PATTERN, SIGN_WORDS
from ..figures.numerals import NUMERAL_CHARS
from ..record import Record

__all__ = [
    "Found",
    "NotFigure",
    "Unread",
    "Scan",
    "NOT_FIGURE_KINDS",
    "normalize",
    "scan_line",
    "scan",
]

#: The kinds of number that are not figures (see the module docstring).
NOT_FIGURE_KINDS = ("date", "document", "ordinal", "phone", "marker", "duration", "name", "serial")

_SIGN_BEFORE = re.compile(f"(?:{SIGN_PATTERN})了?$")

# the units and qualifier words are the figure grammar's own (fiscalcheck.figures), longest first
_UNIT_SYMBOLS = sorted(UNITS, key=len, reverse=True)
_UNIT = UNIT_PATTERN
_PREFIX = PREFIX_PATTERN
_SUFFIX = SUFFIX_PATTERN
_NUMBER = r"[0-9](?:[0-9]|,(?=[0-9]{3}))*(?:\.[0-9]+)?"

#: A figure in Arabic digits: qualifier, sign, number (or a range low-high), qualifier, unit, qualifier.
_FIGURE = re.compile(
    rf"(?P<prefix>{_PREFIX})?"
    rf"(?P<sign>[-−](?=[0-9]))?"
    rf"(?:(?<![0-9.A-Za-z])(?P<low>{_NUMBER})\s*[-~～—–至到]\s*)?"
    rf"(?<![0-9.A-Za-z])(?P<number>{_NUMBER})"
    rf"(?P<mid>{_SUFFIX})?"
    rf"\s*(?P<unit>{_UNIT})"
    rf"(?P<suffix>{_SUFFIX})?"
)
#: Counts in Chinese numerals: 两家, 十二个, 四项 (only units of the count dimension).
#: Only units that follow a Chinese-numeral count; 台 (三台山), 期 (三期 is a phase) and 万… are names too often.
_COUNT_UNITS = "|".join(
    re.escape(u) for u in _UNIT_SYMBOLS
    if UNITS[u].dimension == "count" and not u.startswith("万") and u not in ("台", "期", "场", "株", "棵")
)
_NUMERAL_COUNT = re.compile(
    rf"(?P<prefix>{_PREFIX})?(?<![{NUMERAL_CHARS}第届前])(?P<numeral>[{NUMERAL_CHARS}]+)(?P<mid>余|多)?(?P<unit>{_COUNT_UNITS})"
    r"(?![一二三四五六七八九十分门期山])"
    r"|(?<![一二三四五六七八九十百千万亿第])(?P<tenths>[二三四五六七八九])成(?![为立果本员功就效绩都型品交])"
)
_CELL = re.compile(rf"^\t\s*(?P<number>{_NUMBER})\s*$")
_DIGITS = re.compile(r"[0-9][0-9.,]*")
_ANY_DIGIT = re.compile(r"[0-9]")

# Numbers that are not figures, by kind; matched first, on the normalized line.
_NOT_FIGURES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("document", re.compile(r"[〔\[［(（【]\s*(?:19|20)[0-9]{2}\s*[〕\]］)）】]\s*[0-9]*\s*号?(?:文)?")),
    ("phone", re.compile(r"(?<![0-9])(?:0[0-9]{2,3}-[0-9]{7,8}|1[3-9][0-9]{9})(?![0-9])")),
    ("ordinal", re.compile(rf"第\s*(?:[0-9]+|[{NUMERAL_CHARS}]+)|(?:前|届)\s*(?:[0-9]+|[{NUMERAL_CHARS}]+)(?=名|位|的|强|届|次)")),
    ("date", re.compile(r"(?<![0-9.])(?:19|20)[0-9]{2}(?=\s*[、，和及与至]\s*(?:19|20)[0-9]{2})|[0-9](?:\s*[-—–~至到]\s*[0-9])?\s*季度")),
    ("date", re.compile(
        r"(?<![0-9.])(?:[0-9]{1,4}(?:[-—–~至到][0-9]{1,4})?\s*年(?:度|份)?"
        r"(?:\s*[0-9]{1,2}(?:[-—–~至到][0-9]{1,2})?\s*月(?:份)?)?(?:\s*[0-9]{1,2}\s*日)?"
        r"|[0-9]{1,2}(?:[-—–~至到][0-9]{1,2})?\s*月(?:份)?(?:\s*[0-9]{1,2}\s*日)?(?:\s*[0-9]{1,2}\s*时)?"
        r"|[0-9]{1,2}\s*日)"
        r"|(?<![0-9.])(?:19|20)[0-9]{2}\s*[-—–~]\s*(?:19|20)[0-9]{2}(?![0-9])"
    )),
    ("duration", re.compile(
        r"(?<![0-9.])[0-9]+(?:\.[0-9]+)?\s*(?:个)?(?:月|工作日|自然日|小时|季度|星期|周|天|分钟|秒)"
    )),
    ("document", re.compile(r"(?<![0-9.])[0-9]+\s*号")),
    ("name", re.compile(r"[A-Za-z]+[0-9]+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?[A-Za-z]+")),
)
_MARKER = re.compile(
    rf"^\s*(?:[0-9]+\s*[.、．](?![0-9])|[(（]\s*[0-9]+\s*[)）]|[{NUMERAL_CHARS}]+\s*、|[(（]\s*[{NUMERAL_CHARS}]+\s*[)）]|附件\s*[0-9]+)"
)
_INLINE_MARKER = re.compile(r"[(（]\s*[0-9]+\s*[)）]|(?<=[。；：])\s*[0-9]+\s*[.、．](?![0-9])")


#: Full-width digits, letters and the signs a figure is written with (０-９, Ａ-Ｚ, ％, ．, －, ～, ＋)
#: to ASCII, one character for one, as NFKC would; the Chinese marks （），：；！？ stay as printed,
#: since clauses are cut at them. Most lines have none of these: they are returned as they are.
_SIGNS = "％．－～＋／＜＞＝"
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)
               if chr(code).isalnum() or chr(code) in _SIGNS}
_HALF_WIDTH[0x3000] = 0x20  # the ideographic space
_FULL_WIDTH = re.compile("[" + "".join(map(chr, _HALF_WIDTH)) + "]")


def normalize(text: str) -> str:
    """``text`` with full-width digits, letters and signs as ASCII, one character for one.

    Columns never shift, so a column in the normalized line is a column of the printed one.
    """
    if _FULL_WIDTH.search(text) is None:  # the usual line: nothing to do
        return text
    return text.translate(_HALF_WIDTH)


@attrs.frozen(repr=False, eq=False)
class Found(Record):
    """A figure printed in the report: where, as printed, and as read.

    ``printed`` is the text as on the line (what a case statement writes). ``sign`` is −1
    when a sign word (下降, 减少 …) just before it makes it a decline (the word is then part
    of ``printed`` and the figure is negative: 下降1.9% is −1.9%), +1 for 增长/增加, 0 when
    none. ``numeral`` marks a count written in Chinese numerals (两家; 七成, seven tenths).
    ``cell`` marks a table cell; ``low`` the lower bound of a range such as 50-150家.
    """

    line: int
    column: int
    end: int
    printed: str
    figure: Figure
    sign: int = 0
    numeral: bool = False
    cell: bool = False
    low: Decimal | None = None

    @property
    def unit(self) -> Unit:
        return self.figure.unit

    @property
    def place(self) -> str:
        return f"{self.line}:{self.column + 1}"

    @property
    def signed_value(self) -> Decimal:
        """The value with its sign (a decline printed 下降1.9% is −1.9)."""
        return self.figure.value


@attrs.frozen(repr=False, eq=False)
class NotFigure(Record):
    """A number that is not a figure: a date, a document number, an ordinal …"""

    line: int
    column: int
    end: int
    text: str
    kind: str


@attrs.frozen(repr=False, eq=False)
class Unread(Record):
    """A number that looks like a figure but could not be read ("seen, not read"), and why."""

    line: int
    column: int
    end: int
    text: str
    why: str


@attrs.frozen(repr=False, eq=False)
class Scan(Record):
    """Everything :func:`scan` saw, in the order of the text."""

    found: tuple[Found, ...]
    not_figures: tuple[NotFigure, ...]
    unread: tuple[Unread, ...]


def _taken(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in spans)


def _sign_word(normal: str, start: int) -> tuple[int, int]:
    """The sign of the change a figure at ``start`` is (−1, +1, 0 when no word), and where its word starts."""
    match = _SIGN_BEFORE.search(normal, max(0, start - 5), start)
    if match is None:
        return 0, start
    return SIGN_WORDS[match[0].rstrip("了")], match.start()


def scan_line(text: str, line: int = 0, previous: str | None = None,
              cell_unit: Unit | None = None) -> Scan:
    """What one line prints (see the module docstring).

    ``previous`` is the line before (a bare cell after a non-cell line is the row's 序号);
    ``cell_unit`` the unit a table declared for its bare cells (单位：万元, 总投资（万元）).
    """
    normal = normalize(text)
    found: list[Found] = []
    skipped: list[NotFigure] = []
    unread: list[Unread] = []
    cell = _CELL.match(normal)
    if cell:
        span = (cell.start("number"), cell.end("number"))
        if previous is None or not previous.startswith("\t") or not previous.strip():
            return Scan((), (NotFigure(line, *span, text[slice(*span)], "serial"),), ())
        if cell_unit is None:
            return Scan((), (), (Unread(line, *span, text[slice(*span)], "a bare table cell with no declared unit"),))
        figure = parse_figure(cell["number"], cell_unit)
        return Scan((Found(line, *span, text[slice(*span)], figure, cell=True),), (), ())
    spans: list[tuple[int, int]] = []
    marker = _MARKER.match(normal)
    if marker:
        skipped.append(NotFigure(line, marker.start(), marker.end(), text[marker.start():marker.end()].strip(), "marker"))
        spans.append((marker.start(), marker.end()))
    for match in _INLINE_MARKER.finditer(normal):
        if not _taken(spans, *match.span()):
            skipped.append(NotFigure(line, match.start(), match.end(), text[match.start():match.end()].strip(), "marker"))
            spans.append(match.span())
    has_digits = _ANY_DIGIT.search(normal) is not None  # most prose lines print none
    for kind, pattern in _NOT_FIGURES:
        if not has_digits and kind != "ordinal":
            continue
        for match in pattern.finditer(normal):
            if not any(c.isdigit() for c in match[0]) and kind != "ordinal":
                continue
            if _taken(spans, *match.span()):
                continue
            skipped.append(NotFigure(line, match.start(), match.end(), text[match.start():match.end()], kind))
            spans.append(match.span())
    for match in _FIGURE.finditer(normal) if has_digits else ():
        start, end = match.span()
        if _taken(spans, match.start("number"), match.end("number")):
            continue
        if match["low"] is not None and _taken(spans, match.start("low"), match.end("low")):
            start = match.start("number")
        printed_start = start if match["low"] is None else match.start("low")
        if match["prefix"] and printed_start > match.start("low" if match["low"] else "number"):
            pass
        piece = normal[start:end]
        low = None
        try:
            if match["low"] is not None and start <= match.start("low"):
                low = Decimal(match["low"].replace(",", ""))
                figure = parse_figure(normal[start:match.start("low")] + normal[match.start("number"):end])
            else:
                figure = parse_figure(piece)
        except FigureError as error:
            unread.append(Unread(line, start, end, text[start:end], str(error)))
            spans.append((start, end))
            continue
        sign, word_start = (0, start) if match["sign"] else _sign_word(normal, start)
        if sign < 0 and low is None:  # a decline: the word is part of what is printed (下降1.9%)
            start = word_start
            figure = parse_figure(normal[start:end])
        found.append(Found(line, start, end, text[start:end], figure, sign, low=low))
        spans.append((start, end))
    for match in _NUMERAL_COUNT.finditer(normal):
        start, end = match.span()
        if _taken(spans, start, end):
            continue
        numeral = match["numeral"] or match["tenths"]
        if match["numeral"] and (numeral in ("一", "二") or set(numeral) <= set("十百千万亿")):
            continue  # 一个/一批 is "a", 二次 "secondary", 千家万户 an idiom: never a count on its own
        try:  # the grammar reads Chinese-numeral counts too
            figure = parse_figure(normal[start:end])
        except FigureError:  # 十十个: not a numeral after all
            continue
        found.append(Found(line, start, end, text[start:end], figure, numeral=True))
        spans.append((start, end))
    for match in _DIGITS.finditer(normal):
        start, end = match.span()
        if _taken(spans, start, end):
            continue
        unread.append(Unread(line, start, end, text[start:end], _why_unread(normal, end)))
        spans.append((start, end))
    found.sort(key=lambda f: f.column)
    return Scan(tuple(found), tuple(sorted(skipped, key=lambda s: s.column)), tuple(unread))


def _why_unread(normal: str, end: int) -> str:
    after = normal[end:end + 2]
    if after.startswith("万") or after.startswith("亿"):
        return f"a number with a bare {after[0]} and no unit"
    if not after.strip():
        return "a bare number with no unit"
    return f"no known unit after the number (followed by {after!r})"


_TABLE_UNIT = re.compile(rf"(?:单位[:：]\s*|[(（])(?P<unit>{_UNIT})[)）]?")


def declared_unit(text: str) -> Unit | None:
    """The unit a header or a note declares for bare numbers: 单位：万元, 总投资（万元）."""
    match = _TABLE_UNIT.search(normalize(text))
    if match is None or UNITS[match["unit"]].dimension == "ratio":
        return None
    return UNITS[match["unit"]]


def scan(lines: Sequence[str] | Iterable[str]) -> Scan:
    """Every figure of a report given as its lines (index 0 is line 1).

    A declared unit (单位：万元 on its own line, or a header cell 总投资（万元）) serves the
    bare cells of the table that follows, until the next line that is neither a cell nor blank.
    """
    lines = list(lines)
    found: list[Found] = []
    skipped: list[NotFigure] = []
    unread: list[Unread] = []
    unit: Unit | None = None
    for index, text in enumerate(lines):
        stripped = text.strip()
        is_cell = text.startswith("\t") and bool(stripped)
        if not is_cell and stripped and not _TABLE_UNIT.fullmatch(normalize(stripped)):
            unit = declared_unit(stripped) if stripped.startswith("单位") else None
        elif stripped and (is_cell or stripped.startswith("单位")):
            declared = declared_unit(stripped)
            if declared is not None and not _CELL.match(normalize(text)):
                unit = declared
        previous = lines[index - 1] if index else None
        result = scan_line(text, index + 1, previous, unit)
        found.extend(result.found)
        skipped.extend(result.not_figures)
        unread.extend(result.unread)
    return Scan(tuple(found), tuple(skipped), tuple(unread))
