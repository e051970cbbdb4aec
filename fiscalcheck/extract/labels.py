"""What each figure is: the label it belongs to and its measure, from its clause.

The clause of a figure is the text from the last clause mark (，。；：、 or a
bracket) before it. Its *label* is what the clause says the figure is about,
with the words that only say how (years, 其中/共/合计, 约/为/达 …) taken off:
"其中，税收收入8.37亿元" gives 税收收入; "支持资金额度为9970万元" gives 支持资金额度.
Its *measure* comes from the nearest vocabulary word before it (GLOSSARY.md):
调整预算 → adjusted, 预算 → budget, 完成/执行/支出/拨付 → executed, 安排 → arranged,
增长/下降/比上年 with a ratio → growth, with an amount → change, 占 → share,
完成…% / 执行率 → rate, 结余/剩余/结转 → remainder, a count unit → count.

A list item (（1）品牌提升类。…) names its figures by the item's title.
"""

from __future__ import annotations

import re

import attrs

from ..figures.numerals import NUMERAL_CHARS
from ..record import Record
from .scan import Found, normalize

__all__ = ["Label", "label_of", "MEASURE_WORDS", "TOTAL_WORDS", "LIST_WORDS"]

#: Words that name a total (the figure after them is the whole of what follows or precedes).
TOTAL_WORDS = ("合计", "总计", "共计", "累计", "小计", "共", "总额", "总数", "总量", "总费", "总金额",
               "总投资", "总规模", "总面积", "总建筑面积")
#: Words that open a list of parts of the figure before them.
LIST_WORDS = ("其中", "包括", "分别", "主要", "具体如下", "具体为")

#: Measure words, searched nearest first; each with the dimensions it applies to.
MEASURE_WORDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("调整预算", "adjusted", ("CNY", "USD")),
    ("调整后", "adjusted", ("CNY", "USD")),
    ("年初预算", "budget", ("CNY", "USD")),
    ("预算数", "budget", ("CNY", "USD")),
    ("预算", "budget", ("CNY", "USD")),
    ("执行率", "rate", ("ratio",)),
    ("执行进度", "rate", ("ratio",)),
    ("完成率", "rate", ("ratio",)),
    ("预算的", "rate", ("ratio",)),
    ("占比", "share", ("ratio",)),
    ("占", "share", ("ratio",)),
    ("同比", "growth", ("ratio",)),
    ("增长", "growth", ("ratio",)),
    ("下降", "growth", ("ratio",)),
    ("比上年", "growth", ("ratio",)),
    ("增加", "change", ("CNY", "USD", "count")),
    ("减少", "change", ("CNY", "USD", "count")),
    ("结余", "remainder", ("CNY", "USD")),
    ("剩余", "remainder", ("CNY", "USD")),
    ("结转", "remainder", ("CNY", "USD")),
    ("安排", "arranged", ("CNY", "USD")),
    ("完成", "executed", ("CNY", "USD")),
    ("执行", "executed", ("CNY", "USD")),
    ("支出", "executed", ("CNY", "USD")),
    ("拨付", "executed", ("CNY", "USD")),
    ("列支", "executed", ("CNY", "USD")),
)
_DEFAULT_MEASURE = {"CNY": "amount", "USD": "amount", "ratio": "ratio", "count": "count",
                    "length": "length", "area": "area", "volume": "volume"}

_CLAUSE_MARK = re.compile(r"[，。；：、,;:!?！？（）()“”《》\[\]【】]")
_NOISE = re.compile(
    r"(?:19|20)[0-9]{2}\s*年(?:度|底|初|末)?|[0-9]{1,2}\s*月(?:份)?(?:[0-9]{1,2}\s*日)?|截至目前|截止目前|目前|"
    r"其中|包括|分别|主要|具体如下|此外|另有|另外|以及|和|及|"
    r"合计|总计|共计|累计|小计|共|"
    r"约为|约|近|超过|逾|达到|达|为|是|了|拟|对|给予|已"
)
_ITEM = re.compile(rf"^\s*(?:[(（]\s*(?:[0-9]+|[{NUMERAL_CHARS}]+)\s*[)）]|[0-9]+\s*[.、．](?![0-9])|[{NUMERAL_CHARS}]+\s*、)"
                   r"\s*(?P<title>[^。：:；;，,]{2,30}?)[。：:；;]")


@attrs.frozen(repr=False, eq=False)
class Label(Record):
    """What a figure is: the label as printed, its node key, its measure, and the words around it."""

    label: str
    key: str
    measure: str
    clause: str
    item: str = ""


def _measure(before: str, dimension: str, sign: int) -> str:
    if dimension == "ratio" and sign:
        return "growth"
    best: tuple[int, str] | None = None
    for word, measure, dimensions in MEASURE_WORDS:
        if dimension not in dimensions:
            continue
        at = before.rfind(word)
        if at >= 0 and (best is None or at + len(word) > best[0]):
            best = (at + len(word), measure)
    if best is not None:
        return best[1]
    return _DEFAULT_MEASURE.get(dimension, "amount")


def item_title(text: str) -> str:
    """The title of a list item line, ``（1）品牌提升类。…`` -> 品牌提升类; else ``""``."""
    match = _ITEM.match(normalize(text))
    return match["title"].strip() if match else ""


def label_of(found: Found, text: str, previous_end: int = 0) -> Label:
    """The label and measure of ``found`` on its line ``text``.

    ``previous_end`` is where the figure before it on the line ends: a clause never
    reaches back over another figure.
    """
    normal = normalize(text)
    start = found.column
    marks = [m.end() for m in _CLAUSE_MARK.finditer(normal, 0, start)]
    clause_start = max([previous_end, *marks[-1:]] if marks else [previous_end])
    before = normal[clause_start:start]
    # the measure may sit one clause back: "安排资金约2亿元，支持项目163个" is fine; "…预算的96%" too
    wide = normal[max(0, clause_start - 12):start]
    measure = _measure(before or wide, found.unit.dimension, found.sign)
    core = _NOISE.sub("", before).strip(" \t　-—")
    core = re.sub(r"[0-9.]+", "", core)
    item = item_title(text)
    label = core or item
    key = re.sub(r"\s+", "", label)
    return Label(label, key, measure, before.strip(), item)
