"""Units as reports print them, with their dimension and exact scale.

Figures of different dimensions (yuan, US dollars, counts, ratios, lengths,
areas) are never added or compared: a unit slip between 元 and 美元 is an
error in the case, not a number to convert.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

import attrs

from ..numbers import FigureError
from ..record import Record

__all__ = ["Unit", "UNITS", "UNIT_PATTERN", "unit_named"]


@attrs.frozen(repr=False, eq=False)
class Unit(Record):
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
        # 百万元/千万元 head many tables; 萬元/億元 are the traditional characters (Hong Kong, Taiwan)
        "CNY": {"元": "1", "万元": "1E4", "亿元": "1E8", "千元": "1E3", "百万元": "1E6", "千万元": "1E7",
                "萬元": "1E4", "億元": "1E8"},
        "USD": {"美元": "1", "万美元": "1E4", "亿美元": "1E8", "萬美元": "1E4", "億美元": "1E8"},
        "AMD": {"AMD": "1", "thousand AMD": "1E3", "million AMD": "1E6"},
        # 成 is a tenth: 七成 is 70%
        "ratio": {"%": "0.01", "个百分点": "0.01", "成": "0.1"},
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

def unit_named(symbol: str) -> Unit:
    """The unit printed as ``symbol``; :class:`FigureError` naming the near misses otherwise."""
    symbol = unicodedata.normalize("NFKC", symbol).strip()
    try:
        return UNITS[symbol]
    except KeyError:
        raise FigureError(f"unknown unit {symbol!r}; known units: {', '.join(UNITS)}") from None
