"""Every sentence a finding says, as templates: one table per language, English and Chinese.

A finding does not carry its sentence as text: it carries a :class:`Message` — a
template key and the values to fill in — and the sentence is written when someone
reads it (``Finding.message``, ``Finding.text("zh")``, an output format). A check of
10^5 relations that hold then writes no sentence it is never asked for, and a
translation is a second table here, not a second code path (frictionless'
``errors/*.py`` templates in spirit).

Values in a message are plain text, integers, :class:`Amount` (a decimal with its unit,
written with :func:`fiscalcheck.numbers.show` — every digit an exact value has),
:class:`Amounts` (figures joined by ``+``), :class:`Computed` (an expression and its
value) and other messages, rendered in the same language.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from decimal import Decimal

import attrs

from ..figures import Unit
from ..numbers import EXACT, show
from ..record import Record

__all__ = ["Message", "Amount", "Amounts", "Computed", "LANGUAGES", "TEMPLATES", "render", "place"]

#: Languages a finding can be read in; English is the default everywhere.
LANGUAGES = ("en", "zh")

_EN: Mapping[str, str] = {
    # judging a relation (fiscalcheck.rules.judge)
    "holds": "{target} {op} {computed}",
    "holds-within": "{target} {op} {computed} within the printed precision "
                    "(difference {difference}, tolerance {tolerance})",
    "fails-=": "{target} should equal {computed}: difference {difference}, "
               "more than the {tolerance} the printed precision allows",
    "fails-<=": "{target} should be at most {computed}: off by {difference}, "
                "more than the {tolerance} the printed precision allows",
    "fails-<": "{target} should be less than {computed}: off by {difference}, "
               "more than the {tolerance} the printed precision allows",
    "fails->=": "{target} should be at least {computed}: off by {difference}, "
                "more than the {tolerance} the printed precision allows",
    "fails->": "{target} should be more than {computed}: off by {difference}, "
               "more than the {tolerance} the printed precision allows",
    "no-bound": "no bound (a one-sided figure)",
    "judged-on": "{message} [judged on the printing at {where}; "
                 "its other printings disagree, see statements-agree]",
    "not-computable": "{measure} {target}: {expression} cannot be computed (a divisor may be zero)",
    "units-differ": "cannot compare {unit} with {other}: units of different kinds",
    # statements-agree
    "printing": "{printed} ({where})",
    "at-line": "line {line}",
    "at-cell": "page {page}, table {table}, row {row}, column {column}",
    "at-row": "row {row}, column {column}",
    "agree": "{measure}: {printings} agree as printed",
    "agree-within": "{measure}: {printings} agree within their printed precision",
    "disagree": "{measure} is printed as {a} ({a_where}) and as {b} ({b_where}): they cannot both hold; "
                "difference {difference}, more than the {tolerance} their printed precision allows",
    "no-bound-short": "no bound",
    # pieces of expressions
    "sum-of-parts": "the sum of its {count} parts",
    "sum-of-figures": "the sum of {count} figures",
    "min-of-figures": "the min of {count} figures",
    "max-of-figures": "the max of {count} figures",
    "parens": "({inner})",
    "transfer-in": "{amount} from {fund}",
    "transfer-out": "{amount} to {fund}",
    # the runner, waivers, custom invariants
    "rule-error": "rule {rule} failed: {error}",
    "stale-waiver": "waiver for {waiver}{where} {why}; its reason was: {reason}",
    "stale-unmatched": "matches no finding any more: remove it (or correct it if the finding moved)",
    "stale-not-run": "names rule {rule}, which did not run in this check",
    "invariant-unused": "invariant {id} applies to no node: no node prints {name} (did you mean {close}?)",
    "not-evaluable": "{source} cannot be evaluated: {why}",
    # a report's summary line
    "summary": "{case}: {checked} relations checked, {passed} hold ({within} only within printed precision); "
               "{found}{waived}",
    "summary-waived": ", {count} waived",
    "count-error-one": "{count} error", "count-error-many": "{count} errors",
    "count-warning-one": "{count} warning", "count-warning-many": "{count} warnings",
    "count-info-one": "{count} info", "count-info-many": "{count} infos",
}

_ZH: Mapping[str, str] = {
    "holds": "{target} {op} {computed}",
    "holds-within": "{target} {op} {computed}，在印刷精度之内（相差{difference}，容差{tolerance}）",
    "fails-=": "{target}应等于{computed}：相差{difference}，超出印刷精度允许的{tolerance}",
    "fails-<=": "{target}应不超过{computed}：超出{difference}，多于印刷精度允许的{tolerance}",
    "fails-<": "{target}应小于{computed}：超出{difference}，多于印刷精度允许的{tolerance}",
    "fails->=": "{target}应不少于{computed}：少{difference}，多于印刷精度允许的{tolerance}",
    "fails->": "{target}应大于{computed}：少{difference}，多于印刷精度允许的{tolerance}",
    "no-bound": "无界（单侧数字）",
    "judged-on": "{message}〔按{where}的印刷数判断；该数的其他印刷互不一致，见 statements-agree〕",
    "not-computable": "{measure} {target}：{expression}无法计算（除数可能为零）",
    "units-differ": "{unit}与{other}无法比较：单位种类不同",
    "printing": "{printed}（{where}）",
    "at-line": "第{line}行",
    "at-cell": "第{page}页表{table}第{row}行“{column}”栏",
    "at-row": "第{row}行“{column}”栏",
    "agree": "{measure}：{printings}按印刷数一致",
    "agree-within": "{measure}：{printings}在印刷精度内一致",
    "disagree": "{a}（{a_where}）与{b}（{b_where}）不能同时成立："
                "相差{difference}，超出印刷精度允许的{tolerance}",
    "no-bound-short": "无界",
    "sum-of-parts": "其{count}个组成部分之和",
    "sum-of-figures": "{count}个数之和",
    "min-of-figures": "{count}个数中的最小值",
    "max-of-figures": "{count}个数中的最大值",
    "parens": "（{inner}）",
    "transfer-in": "{amount}（由{fund}调入）",
    "transfer-out": "{amount}（调出至{fund}）",
    "rule-error": "规则{rule}运行失败：{error}",
    "stale-waiver": "豁免 {waiver}{where}{why}；其理由为：{reason}",
    "stale-unmatched": "已不匹配任何发现：请删除（发现若已移动，请更正）",
    "stale-not-run": "所指规则{rule}本次未运行",
    "invariant-unused": "不变式{id}不适用于任何节点：没有节点印有{name}（是否应为{close}？）",
    "not-evaluable": "{source}无法计算：{why}",
    "summary": "{case}：检查关系{checked}项，成立{passed}项（其中{within}项仅在印刷精度内成立）；{found}{waived}",
    "summary-waived": "，豁免{count}项",
    "count-error-one": "错误{count}项", "count-error-many": "错误{count}项",
    "count-warning-one": "警告{count}项", "count-warning-many": "警告{count}项",
    "count-info-one": "提示{count}项", "count-info-many": "提示{count}项",
}

#: The templates, by language and key. Both tables have the same keys (tests/test_messages.py).
TEMPLATES: Mapping[str, Mapping[str, str]] = {"en": _EN, "zh": _ZH}


@attrs.frozen(repr=False, eq=False)
class Amount(Record):
    """A decimal for a sentence: ``value`` in the base unit of ``unit`` (元 for yuan), shown in ``unit``.

    ``place`` is for a rounded quotient only (see :func:`fiscalcheck.numbers.show`);
    with no unit, ``value`` is shown as it is, ``symbol`` after it.
    """

    value: Decimal | None
    unit: Unit | None = None
    place: Decimal | None = None
    symbol: str = ""

    def __str__(self) -> str:
        return self.render("en")

    def render(self, lang: str = "en") -> str:
        if self.unit is None or self.value is None:
            return show(self.value, self.symbol, self.place)
        return show(EXACT.divide(self.value, self.unit.scale), self.unit.symbol, self.place)


@attrs.frozen(repr=False, eq=False)
class Amounts(Record):
    """Figures joined by ``separator`` (``a + b + c``), each an :class:`Amount` or a message."""

    items: tuple[object, ...]
    separator: str = " + "

    def __str__(self) -> str:
        return self.render("en")

    def render(self, lang: str = "en") -> str:
        return self.separator.join(_text(item, lang) for item in self.items)


@attrs.frozen(repr=False, eq=False)
class Computed(Record):
    """An expression and the value it comes to: ``a + b = c``, or just ``a`` when that is the value."""

    expression: object
    value: object

    def __str__(self) -> str:
        return self.render("en")

    def render(self, lang: str = "en") -> str:
        expression, value = _text(self.expression, lang), _text(self.value, lang)
        return expression if expression == value else f"{expression} = {value}"


@attrs.frozen(repr=False, eq=False)
class Message(Record):
    """A template key and its values: a sentence not yet written (see the module docstring)."""

    key: str
    fields: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, key: str, **fields: object) -> "Message":
        return cls(key, tuple(fields.items()))

    def get(self, name: str) -> object:
        """The value given for ``name`` (``None`` when there is none)."""
        return dict(self.fields).get(name)

    def render(self, lang: str = "en") -> str:
        return render(self, lang)

    def __str__(self) -> str:
        return render(self, "en")


def _text(value: object, lang: str) -> str:
    if isinstance(value, (Message, Amount, Amounts, Computed)):
        return value.render(lang)
    if isinstance(value, Decimal):
        return show(value)
    return str(value)


def render(message: Message, lang: str = "en") -> str:
    """``message`` written in ``lang`` (``en`` or ``zh``)."""
    if lang not in TEMPLATES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    template = TEMPLATES[lang][message.key]
    values = {name: _text(value, lang) for name, value in message.fields}
    return _FORMATTER.vformat(template, (), values)


class _Formatter(string.Formatter):
    """``str.format`` that never reads an attribute or an index of a value: templates only fill in."""

    def get_field(self, field_name: str, args: object, kwargs: Mapping[str, object]):
        if not field_name.isidentifier():
            raise ValueError(f"template field {field_name!r} is not a plain name")
        return kwargs[field_name], field_name


_FORMATTER = _Formatter()


def place(statement) -> "Message":
    """Where a statement was printed, for a sentence: its line, or a table cell's page, table, row and column."""
    cell = statement.cell
    if cell is None:
        return Message.of("at-line", line=statement.line)
    if cell.page is None or cell.table is None:
        return Message.of("at-row", row=cell.row, column=cell.column)
    return Message.of("at-cell", page=cell.page, table=cell.table, row=cell.row, column=cell.column)
