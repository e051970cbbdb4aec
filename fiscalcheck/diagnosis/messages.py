"""The sentences of causes, in English and Chinese, as templates over a cause's fields.

Why templates: every output (table, JSON, HTML, SARIF, JUnit) shows the same
sentence, and ``--lang zh`` the same sentence in Chinese; one table per
language keeps the two in step (a golden test covers each kind). Every sentence
says what the figures are *consistent with*, never that the mistake happened.

When the restructure's message module (``fiscalcheck/findings/messages.py``)
lands, these tables move there; :func:`cause_sentence` keeps its signature.
"""

from __future__ import annotations

from ..findings.messages import Message, place

__all__ = ["CAUSE_TEMPLATES", "LANGUAGES", "cause_sentence", "label"]

LANGUAGES = ("en", "zh")

CAUSE_TEMPLATES: dict[str, dict[str, str]] = {
    "en": {
        "unit-slip": "consistent with a slip by a factor of 10^{power} in {printed} ({where}): "
                     "{corrected} would make it hold",
        "transposition": "consistent with two adjacent digits swapped in {printed} ({where}): "
                         "{corrected} would make it hold (the two differ by {change}, a multiple of 9)",
        "digit-typo": "consistent with one wrong digit in {printed} ({where}): {corrected} would make it hold",
        "wrong-base": "consistent with {printed} ({where}) computed on {wrong} instead of {right}: "
                      "{computation}; on {right} it would be {corrected}",
        "double-rounding": "consistent with {printed} ({where}) rounded twice (first to {intermediate}): "
                           "rounded once it is {corrected}",
        "truncation": "consistent with {printed} ({where}) rounded by {mode} where the case reads it by "
                      "{policy}: by {policy} it would print {corrected}",
        "omitted-item": "consistent with an item left out: the difference {difference} matches {item} ({where})",
        "omitted-unprinted": "consistent with an item of {difference} left out of the parts; "
                             "no figure printed nearby matches it",
        "double-counted": "consistent with {item} ({where}) counted twice: the parts exceed the total by "
                          "{difference}{duplicate}",
        "wrong-figure": "consistent with a wrong figure in {printed} ({where}): {corrected} would make it hold; "
                        "no one-digit typo, adjacent transposition or power-of-ten slip fits",
        "fixes-all": "; this one edit makes all {fixes} failing relations it enters hold",
        "fixes-some": "; this one edit makes {fixes} of the {shared} failing relations it enters hold",
        "breaks": "; but it would break {breaks} relation(s) that hold now",
        "duplicate": ", and it is printed twice in the list",
        "shared-item": ", and it is also listed under another total",
        "rounding-nearest": "rounding to nearest",
        "rounding-truncate": "truncation",
        "base-budget": "the budget",
        "base-adjusted": "the adjusted budget",
        "base-this-year": "this year's figure",
        "base-last-year": "last year's figure",
    },
    "zh": {
        "unit-slip": "可能是{printed}（{where}）错了10^{power}倍：改为{corrected}则成立",
        "transposition": "可能是{printed}（{where}）相邻两位数字颠倒：改为{corrected}则成立（两者相差{change}，是9的倍数）",
        "digit-typo": "可能是{printed}（{where}）有一位数字写错：改为{corrected}则成立",
        "wrong-base": "可能是{printed}（{where}）按{wrong}而非{right}计算：{computation}；按{right}应为{corrected}",
        "double-rounding": "可能是{printed}（{where}）经过两次四舍五入（先到{intermediate}）：只舍入一次应为{corrected}",
        "truncation": "可能是{printed}（{where}）采用了{mode}，而本案按{policy}读数：按{policy}应印为{corrected}",
        "omitted-item": "可能漏计了一项：差额{difference}与{item}（{where}）相符",
        "omitted-unprinted": "可能漏计了一项{difference}；附近没有印出与之相符的数字",
        "double-counted": "可能{item}（{where}）被重复计算：各项之和比合计多{difference}{duplicate}",
        "wrong-figure": "可能{printed}（{where}）数字有误：改为{corrected}则成立；一位笔误、相邻颠倒或十的幂次错位均不相符",
        "fixes-all": "；这一处修改可使其涉及的全部{fixes}项不成立的关系成立",
        "fixes-some": "；这一处修改可使其涉及的{shared}项不成立关系中的{fixes}项成立",
        "breaks": "；但会使{breaks}项现已成立的关系不再成立",
        "duplicate": "，且该项在清单中出现两次",
        "shared-item": "，且该项也列在另一合计之下",
        "rounding-nearest": "四舍五入",
        "rounding-truncate": "截尾",
        "base-budget": "年初预算",
        "base-adjusted": "调整预算",
        "base-this-year": "本年数",
        "base-last-year": "上年数",
    },
}

#: Headings and words the renderers show around causes, per language.
LABELS: dict[str, dict[str, str]] = {
    "en": {"causes": "likely causes", "none": "no cause found among the known kinds of mistake",
           "findings": "Findings", "case": "The case", "summary": "Summary", "holds": "holds",
           "fails": "fails", "source": "source"},
    "zh": {"causes": "可能原因", "none": "已知的错误类型均不相符", "findings": "发现的问题", "case": "案例结构",
           "summary": "概要", "holds": "成立", "fails": "不成立", "source": "原文"},
}


def place_of_line(line: str) -> Message:
    return Message.of("at-line", line=line)


def label(key: str, lang: str = "en") -> str:
    return LABELS.get(lang, LABELS["en"]).get(key, LABELS["en"][key])


class _Fields(dict):
    def __missing__(self, key: str) -> str:  # a template word the cause does not fill stays visible
        return "{" + key + "}"


def cause_sentence(cause, lang: str = "en") -> str:
    """A :class:`~fiscalcheck.diagnosis.Cause` as one sentence in ``lang``; unknown languages fall back to English."""
    table = CAUSE_TEMPLATES.get(lang, CAUSE_TEMPLATES["en"])
    fields = _Fields(cause.params)
    for word in ("wrong", "right"):
        if word in fields:
            fields[word] = table.get(f"base-{fields[word]}", fields[word])
    for word in ("mode", "policy"):
        if word in fields:
            fields[word] = table.get(f"rounding-{fields[word]}", fields[word])
    if "duplicate" in fields:
        fields["duplicate"] = table[fields["duplicate"]] if fields["duplicate"] else ""
    fields.update(fixes=str(cause.fixes), shared=str(cause.shared), breaks=str(cause.breaks))
    # where the suspect figure stands, as findings say it: a report's line, or a table cell's row and column
    if cause.statement is not None:
        fields["where"] = place(cause.statement).render(lang if lang in CAUSE_TEMPLATES else "en")
    elif "line" in fields:
        fields["where"] = place_of_line(fields["line"]).render(lang if lang in CAUSE_TEMPLATES else "en")
    key = cause.kind
    if key == "omitted-item" and cause.statement is None:
        key = "omitted-unprinted"
    text = table[key].format_map(fields)
    if cause.shared > 1:
        text += table["fixes-all" if cause.fixes_all else "fixes-some"].format_map(fields)
    if cause.breaks:
        text += table["breaks"].format_map(fields)
    return text
