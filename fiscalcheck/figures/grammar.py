"""The figure grammar: the text of a report turned into exact decimals with units.

``parse_figure("约7.3亿元")`` gives a :class:`Figure` holding the digits exactly as
printed (``Decimal("7.3")``), the unit (亿元), and the qualifier (约). Nothing
here passes through a binary float (:func:`fiscalcheck.numbers.to_decimal`
refuses them). How wide a figure is (its interval) is decided in
:mod:`fiscalcheck.figures.tolerance`, the one place tolerance lives.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

import attrs

from ..errors import closest
from ..numbers import EXACT, MAX_DIGITS, FigureError, check_digits, to_decimal
from ..record import Record
from .numerals import NUMERAL_CHARS, NumeralError, parse_numeral
from .units import UNIT_PATTERN, UNITS, Unit

__all__ = ["Figure", "parse_figure", "PREFIXES", "SUFFIXES", "PREFIX_PATTERN", "SUFFIX_PATTERN",
           "SIGN_WORDS", "SIGN_PATTERN", "LEVEL_WORD"]


#: Qualifiers before the number, and what they mean (see GLOSSARY.md).
PREFIXES = {
    "约": "about",
    "约为": "about",
    "大约": "about",
    "近": "nearly",
    "将近": "nearly",
    "超过": "over",
    "超": "over",
    "逾": "over",
    "不少于": "over",
    "不低于": "over",
    "不超过": "at-most",
    "最高": "at-most",
    "最高不超过": "at-most",
    "不高于": "at-most",
    "不足": "at-most",
    "接近": "nearly",
}
#: Qualifiers after the number (or after the unit).
SUFFIXES = {
    "余": "over",
    "多": "over",
    "以上": "over",
    "及以上": "over",
    "左右": "about",
    "以下": "at-most",
    "以内": "at-most",
}
#: Words before a change that give it its sign: 下降1.9% is a change of −1.9%, 增长5.2% of +5.2%.
SIGN_WORDS = {
    "下降": -1, "减少": -1, "降低": -1, "减收": -1, "减支": -1, "下滑": -1, "回落": -1, "缩减": -1, "短收": -1,
    "增长": 1, "增加": 1, "提高": 1, "上升": 1, "增收": 1, "增支": 1, "提升": 1, "超收": 1,
}
#: A change of zero, printed with no digits: 与上年持平.
LEVEL_WORD = "持平"
#: The word :meth:`Figure.__str__` prints for each qualifier.
QUALIFIER_WORDS = {"about": "约", "nearly": "近", "over": "超过", "at-most": "不超过"}
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
PREFIX_PATTERN = "|".join(sorted(map(re.escape, PREFIXES), key=len, reverse=True))
SUFFIX_PATTERN = "|".join(sorted(map(re.escape, SUFFIXES), key=len, reverse=True))
SIGN_PATTERN = "|".join(sorted(map(re.escape, SIGN_WORDS), key=len, reverse=True))
_COUNT_UNITS = "|".join(sorted((re.escape(u) for u, unit in UNITS.items() if unit.dimension == "count" or u == "成"),
                               key=len, reverse=True))
#: A count in Chinese numerals: tried only when the figure is not in digits, so compiled there, when first
#: needed (``re`` keeps it): most runs never read one, and compiling it was 0.5 ms of the command line's start.
_NUMERAL = (
    rf"^(?:(?P<word>{SIGN_PATTERN})了?)?\s*(?P<prefix>{PREFIX_PATTERN})?\s*(?P<numeral>[{NUMERAL_CHARS}]+)\s*"
    rf"(?P<mid>{SUFFIX_PATTERN})?\s*(?P<unit>{_COUNT_UNITS})\s*(?P<suffix>{SUFFIX_PATTERN})?$"
)
_FIGURE = re.compile(
    rf"^(?:(?P<word>{SIGN_PATTERN})了?)?\s*"
    rf"(?P<prefix>{PREFIX_PATTERN})?\s*"
    rf"(?P<sign>[-−])?(?P<number>,?[0-9][0-9,]*(?:\.[0-9]+)?)\s*"
    rf"(?P<mid>{SUFFIX_PATTERN})?\s*"
    rf"(?P<unit>{UNIT_PATTERN})?\s*"
    rf"(?P<suffix>{SUFFIX_PATTERN})?$"
)


@attrs.frozen(repr=False, eq=False)
class Figure(Record):
    """A figure as printed: exact digits, a unit, and an optional qualifier.

    ``value`` keeps the printed exponent: ``Decimal("7366.183")`` knows it was
    printed to three places, ``Decimal("8900")`` that it was printed to units.
    ``qualifier`` is ``None`` (a plain figure), ``"about"`` (约/左右),
    ``"nearly"`` (近), ``"over"`` (超过/余/以上) or ``"at-most"`` (不超过/最高).
    """

    value: Decimal = attrs.field(converter=to_decimal)
    unit: Unit
    qualifier: str | None = None

    @property
    def place(self) -> Decimal:
        """The place of the last printed digit: 0.001 for 7366.183, 1 for 8900."""
        return EXACT.scaleb(Decimal(1), self.value.as_tuple().exponent)

    @property
    def significant_place(self) -> Decimal:
        """The place of the last non-zero digit: 100 for 8900, 0.1 for 7.3.

        Used for 约 figures, whose trailing zeros are rounding, not precision.
        """
        if self.value == 0:
            return self.place
        normal = EXACT.normalize(self.value)
        return EXACT.scaleb(Decimal(1), max(normal.as_tuple().exponent, self.value.as_tuple().exponent))

    @property
    def base_value(self) -> Decimal:
        """The value in the base unit of its dimension (元 for yuan), exactly."""
        return EXACT.multiply(self.value, self.unit.scale)

    def __str__(self) -> str:
        """The figure as a report would print it, qualifier first: ``约7.3亿元``, ``超过100次``.

        Each qualifier prints as its plainest word (余, 以上 and 超过 all mean *over*), so
        ``parse_figure(str(f)) == f`` for every figure ``parse_figure`` gives.
        """
        word = QUALIFIER_WORDS.get(self.qualifier, "") if self.qualifier else ""
        return f"{word}{self.value:f}{self.unit.symbol}"


def is_money(symbol: str) -> bool:
    """Whether ``symbol`` is a unit of yuan: the likelier meaning of a mistyped unit (万圆 → 万元, not 万方)."""
    return symbol in UNITS and UNITS[symbol].dimension == "CNY"


def _near_miss(word: str) -> list[str]:
    """The known unit or qualifier closest to ``word``; on a tie, a unit of money."""
    close = closest(word, (*UNITS, *SUFFIXES), cutoff=0.5, prefer=is_money)  # float-ok: difflib's ratio
    return [close] if close else []


def parse_figure(text: str, default_unit: Unit | None = None) -> Figure:
    """Read a figure as reports print it: ``7366.183万元``, ``约7.3亿元``, ``99.6%``,
    ``121个``, ``超过3亿元``, ``100余次``, full-width ``９９.６％``; a change with its
    sign word, ``下降1.9%`` (−1.9%) or ``增长5.2%``, and ``持平`` (0%); a count in
    Chinese numerals, ``两家``, ``十二个``, ``七成`` (7 tenths).

    ``default_unit`` serves a bare number (a table cell under a 万元 header); with
    none, a bare number is an error, never a silent 元.
    """
    if not isinstance(text, str):
        to_decimal(text)  # raises the right message for floats and other types
        raise FigureError(f"expected printed text, got {text!r}")
    normal = unicodedata.normalize("NFKC", text).strip()
    if normal == LEVEL_WORD:  # 持平: no change
        return Figure(Decimal(0), UNITS["%"])
    match = _FIGURE.match(normal)
    numeral = re.match(_NUMERAL, normal) if match is None else None
    if numeral is not None:
        return _numeral_figure(numeral, text)
    if match is None:
        number = re.search(r"[0-9][0-9,]*(?:\.[0-9]+)?", normal)
        if number is None:
            raise FigureError(f"expected a printed figure such as '7366.183万元', got {text!r}")
        rest = normal[number.end():].strip()
        if not rest:
            raise FigureError(f"cannot read {text!r}")
        close = _near_miss(rest)
        if close and close[0] == rest:  # the unit is fine: the number before it is not
            raise FigureError(f"cannot read {text!r}: expected a number such as 7366.183 before {rest!r}")
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise FigureError(f"cannot read {text!r}: unknown unit or qualifier {rest!r}{hint}")
    word, prefix, sign, digits, mid, symbol, suffix = match.groups()
    qualifiers = [q for q in (PREFIXES.get(prefix), SUFFIXES.get(mid), SUFFIXES.get(suffix)) if q]
    if len(qualifiers) > 1:
        raise FigureError(f"{text!r} has more than one qualifier")
    if symbol:
        unit = UNITS[symbol]
    elif default_unit is not None:
        unit = default_unit
    else:
        raise FigureError(f"{text!r} has no unit; give one (unit=万元) or a node unit")
    if "," in digits and not _GROUPED.fullmatch(digits):
        raise FigureError(f"cannot read {text!r}: irregular digit grouping {digits!r}; commas must separate "
                          f"groups of three digits before the decimal point, as in 7,266 or 1,234,567.89")
    number = Decimal(digits.replace(",", ""))  # the pattern admits only plain digits
    if len(digits) > MAX_DIGITS:  # fewer characters than that are fewer digits: the check could not fail
        check_digits(number, text)
    if sign and word:
        raise FigureError(f"{text!r} has a sign and a sign word; write one of them")
    if sign or (word and SIGN_WORDS[word] < 0):  # a decline: -5.2%, 下降5.2%
        number = EXACT.minus(number)
    return Figure(number, unit, qualifiers[0] if qualifiers else None)


def _numeral_figure(match: re.Match[str], text: str) -> Figure:
    """A count in Chinese numerals (两家, 十二个, 七成): an exact integer."""
    qualifiers = [q for q in (PREFIXES.get(match["prefix"]), SUFFIXES.get(match["mid"]),
                              SUFFIXES.get(match["suffix"])) if q]
    if len(qualifiers) > 1:
        raise FigureError(f"{text!r} has more than one qualifier")
    try:
        number = Decimal(parse_numeral(match["numeral"]))
    except NumeralError as error:
        raise FigureError(f"cannot read {text!r}: {error}") from None
    if match["word"] and SIGN_WORDS[match["word"]] < 0:
        number = EXACT.minus(number)
    return Figure(number, UNITS[match["unit"]], qualifiers[0] if qualifiers else None)
