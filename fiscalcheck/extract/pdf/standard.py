"""The nine standard tables of a department's budget or final accounts, recognized by title.

Every department prints the same nine tables (财政部's prescribed forms), in a
budget set (部门预算, "…预算表") and a final-accounts set (部门决算, "…决算表"),
with small variations of wording from province to province: "收入支出决算总表"
or "收支决算总表", "财政拨款收入支出决算表" with or without "收入", quotes round
三公 or not. A title is recognized by the words that tell the tables apart,
tried from the most specific (三公, 政府性基金, …) to the least (收入, 支出).

The vocabulary of the columns lives here too: the printed header of a column
("本年收入合计", "基本支出", "年末结转和结余") names the measure its figures
become, so the same measure name means the same thing in every department's
tables and the ``department`` rule pack can name it.
"""

from __future__ import annotations

import re

import attrs

from ...record import Record

__all__ = ["Kind", "KINDS", "recognize", "column_role", "row_role", "bare_label", "ECONOMIC_PERSONNEL"]


@attrs.frozen(repr=False, eq=False)
class Kind(Record):
    """One of the nine tables: a short key (node ids and tags use it), its number and its name."""

    key: str
    number: int
    name: str


KINDS = (
    Kind("summary", 1, "收入支出总表"),
    Kind("income", 2, "收入表"),
    Kind("spending", 3, "支出表"),
    Kind("fiscal", 4, "财政拨款收入支出总表"),
    Kind("general", 5, "一般公共预算财政拨款支出表"),
    Kind("basic", 6, "一般公共预算财政拨款基本支出表"),
    Kind("sanggong", 7, "财政拨款“三公”经费支出表"),
    Kind("govfund", 8, "政府性基金预算财政拨款收入支出表"),
    Kind("soe", 9, "国有资本经营预算财政拨款收入支出表"),
)
_BY_KEY = {k.key: k for k in KINDS}
_NOISE = re.compile(r"[\s\"'“”‘’「」()（）]|[0-9]{4}年?度?|部门")

#: Economic classes (类) of personnel funds (人员经费): 工资福利支出, 对个人和家庭的补助.
#: The rest of basic expenditure (商品和服务支出 302, 资本性支出 310, …) is 公用经费.
ECONOMIC_PERSONNEL = ("301", "303")


def _normal(title: str) -> str:
    return _NOISE.sub("", title)


def recognize(title: str | None) -> tuple[Kind, str] | None:
    """The standard table a title names and its set (``final`` or ``budget``), or None.

    ``recognize("财政拨款“三公”经费支出决算表")`` is (三公, final).
    """
    if not title:
        return None
    text = _normal(title)
    if not text.endswith("表"):
        return None
    if "决算" in text:
        phase = "final"
    elif re.search(r"预算(总)?表$|预算表", text):
        phase = "budget"
    else:
        return None
    both = ("收入支出" in text or "收支" in text) and "总表" in text
    if "三公" in text:
        key = "sanggong"
    elif "政府性基金" in text:
        key = "govfund"
    elif "国有资本经营" in text:
        key = "soe"
    elif "基本支出" in text:
        key = "basic"
    elif "一般公共预算" in text and "支出" in text:
        key = "general"
    elif "财政拨款" in text and both:
        key = "fiscal"
    elif both:
        key = "summary"
    elif "收入" in text:
        key = "income"
    elif "支出" in text:
        key = "spending"
    else:
        return None
    return _BY_KEY[key], phase


#: A figure column's measure, by its last header text.
_FIGURES = {
    "本年收入合计": "total", "本年支出合计": "total", "合计": "total", "总计": "total",
    "财政拨款收入": "fiscal", "财政拨款": "fiscal", "上级补助收入": "higher", "事业收入": "business",
    "经营收入": "operating", "事业单位经营收入": "operating", "附属单位上缴收入": "affiliated",
    "其他收入": "other", "用事业基金弥补收支差额": "fund_used", "上年结转": "carried",
    "基本支出": "basic", "项目支出": "project", "上缴上级支出": "remit", "经营支出": "operating",
    "事业单位经营支出": "operating", "对附属单位补助支出": "subsidy",
    "一般公共预算财政拨款": "general", "政府性基金预算财政拨款": "govfund",
    "国有资本经营预算财政拨款": "soe",
    "年初结转和结余": "opening", "本年收入": "income", "本年支出": "spent", "年末结转和结余": "closing",
    "决算数": "amount", "预算数": "amount", "金额": "amount",
}
#: The parts of the 三公 table, by their header.
_SANGGONG = {
    "合计": "total", "因公出国（境）费": "abroad", "因公出国(境)费": "abroad", "小计": "vehicles",
    "公务用车购置及运行费": "vehicles", "公务用车购置及运行维护费": "vehicles", "公务用车购置费": "purchase",
    "公务用车运行费": "running", "公务用车运行维护费": "running", "公务接待费": "reception",
}
_LABELS = ("项目", "科目名称", "单位名称", "名称")
_CODES = ("类", "款", "项", "科目编码", "编码")


def column_role(kind: Kind, phase: str, parts: tuple[str, ...]) -> tuple[str, str | None]:
    """What a column holds, from its header texts: ("code", level), ("label", None) or ("figure", measure).

    An unknown header gives ("figure", None): the column's figures are read but
    named by position.
    """
    last = parts[-1] if parts else ""
    if last in _CODES or last.endswith("编码") or (last and all(ch in "类款项" for ch in last)):  # 款项: merged
        return "code", last
    if last in _LABELS or last.endswith("名称"):
        return "label", None
    if kind.key == "sanggong":
        side = "budget" if last == "预算数" else "executed" if last == "决算数" else (
            "budget" if phase == "budget" else "executed")
        named = [p for p in parts if p in _SANGGONG]
        part = _SANGGONG[named[-1]] if named else "total"
        return "figure", f"{part}_{side}"
    if last == "小计" and "本年支出" in parts:
        return "figure", "spent"
    return "figure", _FIGURES.get(last)


_ORDINAL = re.compile(r"^[一二三四五六七八九十]+[、.．]")


def bare_label(label: str) -> str:
    """A row label without its ordinal (一、) and bracketed remarks: what other tables print for it."""
    text = _ORDINAL.sub("", label)
    return re.sub(r"（[^）]*）|\([^)]*\)", "", text).strip()


#: Summary rows named by their role: what the identities of the summary tables are about.
_ROLES = (
    ("本年收入合计", "income-total"), ("本年支出合计", "spending-total"),
    ("收入合计", "income-total"), ("支出合计", "spending-total"),
    ("年初", "opening"), ("年末", "closing"), ("上年结转", "opening"),
    ("使用非财政拨款结余", "reserve-used"), ("用事业基金弥补", "fund-used"),
    ("结余分配", "distribution"), ("总计", "grand"),
    ("人员经费合计", "personnel"), ("公用经费合计", "public"), ("合计", "total"),
)


def row_role(label: str) -> str | None:
    """The role of a summary row (``income-total``, ``opening``, ``grand``, …), None for an item."""
    text = bare_label(label)
    for words, role in _ROLES:
        if text.startswith(words) or (role in ("grand", "total") and text == words):
            return role
    return None
