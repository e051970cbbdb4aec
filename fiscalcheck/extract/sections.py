"""Sections of a report, from its headings: 附件, 一、 （一） 1. （1）.

Chinese budget reports number their headings in a fixed order of styles. A
report file may also bind several documents together (a summary report and its
annexes), each opening with 附件N or a title line (…的汇报, …情况说明, …情况表).
Level 0 is such a document; levels 1-4 are 一、, （一）, 1., （1）. A heading
often runs on into its paragraph on the same line ("1. 2020年资金执行情况。2020年…"):
the title is the text up to the first full stop.

Relations are proposed only inside one section (and totals over lists only
inside the list's own section); the same label in one document is one node.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from ..figures.numerals import NUMERAL_CHARS
from ..record import Record
from .scan import normalize

__all__ = ["Section", "Outline", "heading_level", "outline"]

_CN = f"[{NUMERAL_CHARS}]+"
_LEVELS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (0, re.compile(r"^附件\s*[0-9]*\s*[:：]?\s*$")),
    (1, re.compile(rf"^{_CN}\s*、")),
    (2, re.compile(rf"^[(（]\s*{_CN}\s*[)）]")),
    (3, re.compile(r"^[0-9]+\s*[.、．](?![0-9])")),
    (4, re.compile(r"^[(（]\s*[0-9]+\s*[)）]")),
)
_TITLE_END = re.compile(r"(?:汇报|报告|情况说明|的说明|情况表|明细表|一览表|决算表|预算表)\s*$")
_SENTENCE = re.compile(r"[。；;，,：:]")
_TABLE_TITLE = re.compile(r"(?:情况表|明细表|一览表|决算表|预算表|汇总表)\s*$")


def heading_level(text: str) -> int | None:
    """The level of a heading line (0 document, 1 一、 … 4 （1）), or None for a body line."""
    stripped = normalize(text).strip()
    if not stripped:
        return None
    if text.startswith("\t"):  # a table cell: only a table's own title heads a section
        return 0 if _TABLE_TITLE.search(stripped) and not _SENTENCE.search(stripped) else None
    for level, pattern in _LEVELS:
        if pattern.match(stripped):
            return level
    if len(stripped) <= 60 and _TITLE_END.search(stripped) and not _SENTENCE.search(stripped):
        return 0
    return None


@attrs.frozen(repr=False, eq=False)
class Section(Record):
    """A stretch of lines under one heading: ``first``..``last`` inclusive.

    ``key`` is the path of heading numbers from the document down, e.g. ``(3, 1, 2)``:
    the third document, its first 一、 section, its second （一） part.
    """

    key: tuple[int, ...]
    level: int
    title: str
    first: int
    last: int

    @property
    def document(self) -> int:
        return self.key[0]

    def __contains__(self, line: int) -> bool:
        return self.first <= line <= self.last


@attrs.frozen(repr=False, eq=False)
class Outline(Record):
    """Every section of a report, and for each line its innermost section."""

    sections: tuple[Section, ...]
    innermost: tuple[int, ...]  # index into sections, per line (index 0 is line 1)

    def section_of(self, line: int) -> Section:
        return self.sections[self.innermost[line - 1]]

    def document_of(self, line: int) -> int:
        return self.section_of(line).document

    def same_section(self, a: int, b: int) -> bool:
        """Whether lines ``a`` and ``b`` lie under the same innermost heading."""
        return self.innermost[a - 1] == self.innermost[b - 1]


def _title(text: str) -> str:
    stripped = text.strip()
    cut = re.search(r"[。；;]", stripped)
    return (stripped[:cut.start()] if cut else stripped)[:60]


def outline(lines: Sequence[str]) -> Outline:
    """The outline of a report given as its lines (index 0 is line 1)."""
    opened: list[list] = [[(0,), 0, "", 1, len(lines)]]  # the preamble before any heading  # key, level, title, first, last
    stack = [0]  # indexes into opened, one per open level
    counters = [0] * 5
    innermost: list[int] = []
    for number, text in enumerate(lines, 1):
        level = heading_level(text)
        top = opened[stack[-1]]
        if level == 0 and len(stack) == 2 and number - top[3] <= 6:
            # 附件N, then its title over one or two lines: one heading, one document
            top[2] += text.strip()
            innermost.append(stack[-1])
            continue
        start = number
        if level == 0:  # a title whose first line lacks the ending: 区发改委关于…资金 / …的汇报
            back = number - 1
            while back >= 1 and not lines[back - 1].strip() and number - back < 3:
                back -= 1
            head = normalize(lines[back - 1]).strip() if back >= 1 and not lines[back - 1].startswith("\t") else ""
            if head and len(head) <= 60 and not _SENTENCE.search(head) and heading_level(head) is None \
                    and number - back <= 3:
                start = back
                text = head + text.strip()
                del innermost[start - 1:]
        if level is not None:
            while len(stack) > 1 and opened[stack[-1]][1] >= level:
                opened[stack.pop()][4] = start - 1
            if level == 0:
                while len(stack) > 1:
                    opened[stack.pop()][4] = start - 1
                counters = [counters[0] + 1, 0, 0, 0, 0]
                key: tuple[int, ...] = (counters[0],)
            else:
                counters[level] += 1
                for deeper in range(level + 1, 5):
                    counters[deeper] = 0
                parent_key = opened[stack[-1]][0]
                key = (*parent_key, counters[level])
            opened.append([key, level, _title(text), start, len(lines)])
            stack.append(len(opened) - 1)
        innermost.extend([stack[-1]] * (number - start + 1))
    sections = tuple(Section(tuple(k), lv, t, f, la) for k, lv, t, f, la in opened)
    return Outline(sections, tuple(innermost))
