"""Printed figures: the text of a report turned into exact decimals with units.

This is the first step of the data's path. ``parse_figure("约7.3亿元")`` gives a
:class:`Figure` holding the digits exactly as printed (``Decimal("7.3")``), the
unit (亿元), and the qualifier (约). Nothing here passes through a binary float:
:func:`to_decimal` refuses floats outright, because ``Decimal(0.1)`` is already
wrong in its 18th digit and a budget audit must never start from a wrong digit.

How wide a figure is (its interval) is not decided here but in
:mod:`fiscalcheck.tolerance`, the one place tolerance lives.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from decimal import Decimal, InvalidOperation

import attrs

__all__ = [
    "Unit",
    "UNITS",
    "Figure",
    "FigureError",
    "parse_figure",
    "to_decimal",
    "unit_named",
]


class FigureError(ValueError):
    """A printed figure, or a value handed to the API, that cannot be read exactly."""


@attrs.frozen
class Unit:
    """A unit as printed, with its dimension and its exact size in the dimension's base.

    Figures of different dimensions (yuan, US dollars, counts, ratios, lengths,
    areas) are never added or compared: a unit slip between 元 and 美元 is an
    error in the case, not a number to convert.
    """

    symbol: str
    dimension: str
    scale: Decimal

    @property
    def additive(self) -> bool:
        """Whether parts in this unit add up to a whole (rates and shares do not)."""
        return self.dimension != "ratio"


def _units() -> dict[str, Unit]:
    table = {
        "CNY": {"元": "1", "万元": "1E4", "亿元": "1E8", "千元": "1E3"},
        "USD": {"美元": "1", "万美元": "1E4", "亿美元": "1E8"},
        "ratio": {"%": "0.01", "个百分点": "0.01"},
        "count": {
            u: "1"
            for u in "个 家 家次 项 部 栋 座 条 人 次 所 班 个班 名 户 处 件 辆 台 场 期 批 类 株 棵".split()
        }
        | {"万家": "1E4", "万人": "1E4", "万个": "1E4", "万户": "1E4", "万件": "1E4"},
        "length": {"米": "1", "公里": "1E3", "千米": "1E3"},
        "area": {"平方米": "1", "平米": "1", "万平方米": "1E4", "公顷": "1E4", "平方公里": "1E6"},
        "volume": {"立方米": "1", "方": "1", "万立方米": "1E4", "万方": "1E4"},
    }
    return {
        symbol: Unit(symbol, dimension, Decimal(scale))
        for dimension, units in table.items()
        for symbol, scale in units.items()
    }


#: Every unit fiscalcheck reads, by printed symbol.
UNITS: dict[str, Unit] = _units()
#: Regular-expression alternations of every unit, prefix and suffix, longest first
#: (so 万元 wins over 元): shared with :mod:`fiscalcheck.coverage`, which finds figures in text.
UNIT_PATTERN = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))

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
PREFIX_PATTERN = "|".join(sorted(map(re.escape, PREFIXES), key=len, reverse=True))
SUFFIX_PATTERN = "|".join(sorted(map(re.escape, SUFFIXES), key=len, reverse=True))
_FIGURE = re.compile(
    rf"^(?P<prefix>{PREFIX_PATTERN})?\s*"
    rf"(?P<sign>[-−])?(?P<number>[0-9][0-9,]*(?:\.[0-9]+)?)\s*"
    rf"(?P<mid>{SUFFIX_PATTERN})?\s*"
    rf"(?P<unit>{UNIT_PATTERN})?\s*"
    rf"(?P<suffix>{SUFFIX_PATTERN})?$"
)


def unit_named(symbol: str) -> Unit:
    """The unit printed as ``symbol``; :class:`FigureError` naming the near misses otherwise."""
    symbol = unicodedata.normalize("NFKC", symbol).strip()
    try:
        return UNITS[symbol]
    except KeyError:
        raise FigureError(f"unknown unit {symbol!r}; known units: {', '.join(UNITS)}") from None


def to_decimal(value: object) -> Decimal:
    """``value`` as an exact Decimal: from a Decimal, an int, or the text of a number.

    A float is refused: it has already lost the printed digits (``0.1`` is
    0.1000000000000000055511151231257827...). The empty string is refused too,
    rather than read as 0, and so are NaN and infinities.
    """
    if isinstance(value, bool):
        raise FigureError(f"expected a number, got the boolean {value!r}")
    if isinstance(value, float):
        raise FigureError(
            f"refusing the float {value!r}: binary floats cannot hold printed decimals exactly; "
            f"pass the text '{value!r}' or a decimal.Decimal instead"
        )
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().replace(",", "")
        if not re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?", text):
            raise FigureError(f"expected a number, got {value!r}")
        try:
            number = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the regex admits only valid text
            raise FigureError(f"expected a number, got {value!r}") from None
    else:
        raise FigureError(f"expected a number as text, int or Decimal, got {type(value).__name__}")
    if not number.is_finite():
        raise FigureError(f"expected a finite number, got {value!r}")
    return number


@attrs.frozen
class Figure:
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
        return Decimal(1).scaleb(self.value.as_tuple().exponent)

    @property
    def significant_place(self) -> Decimal:
        """The place of the last non-zero digit: 100 for 8900, 0.1 for 7.3.

        Used for 约 figures, whose trailing zeros are rounding, not precision.
        """
        if self.value == 0:
            return self.place
        normal = self.value.normalize()
        return Decimal(1).scaleb(max(normal.as_tuple().exponent, self.value.as_tuple().exponent))

    @property
    def base_value(self) -> Decimal:
        """The value in the base unit of its dimension (元 for yuan), exactly."""
        return self.value * self.unit.scale

    def __str__(self) -> str:
        return f"{self.value}{self.unit.symbol}"


def _near_miss(word: str) -> list[str]:
    """The known unit or qualifier closest to ``word``; on a tie, a unit of money.

    万圆 is a slip for 万元 far more often than for 万方, though both are one character off.
    """
    matcher = difflib.SequenceMatcher(b=word)
    scored = []
    for known in (*UNITS, *SUFFIXES):
        matcher.set_seq1(known)
        ratio = matcher.ratio()
        if ratio >= 0.5:
            scored.append((ratio, known in UNITS and UNITS[known].dimension == "CNY", known))
    return [max(scored)[2]] if scored else []


def parse_figure(text: str, default_unit: Unit | None = None) -> Figure:
    """Read a figure as reports print it: ``7366.183万元``, ``约7.3亿元``, ``99.6%``,
    ``121个``, ``超过3亿元``, ``100余次``, full-width ``９９.６％``.

    ``default_unit`` serves a bare number (a table cell under a 万元 header); with
    none, a bare number is an error, never a silent 元.
    """
    if not isinstance(text, str):
        to_decimal(text)  # raises the right message for floats and other types
        raise FigureError(f"expected printed text, got {text!r}")
    normal = unicodedata.normalize("NFKC", text).strip()
    match = _FIGURE.match(normal)
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
    prefix, sign, digits, mid, symbol, suffix = match.groups()
    qualifiers = [q for q in (PREFIXES.get(prefix), SUFFIXES.get(mid), SUFFIXES.get(suffix)) if q]
    if len(qualifiers) > 1:
        raise FigureError(f"{text!r} has more than one qualifier")
    if symbol:
        unit = UNITS[symbol]
    elif default_unit is not None:
        unit = default_unit
    else:
        raise FigureError(f"{text!r} has no unit; give one (unit=万元) or a node unit")
    number = Decimal(digits.replace(",", ""))  # the pattern admits only plain digits
    if sign:  # a decline printed with its sign: -5.2%
        number = -number
    return Figure(number, unit, qualifiers[0] if qualifiers else None)
