"""Relations proposed from the text's own structure, each with its evidence.

Precision first: a false alarm costs an auditor more than a missed proposal,
so when the text does not say enough, nothing is proposed.

* **Adjacent sums** (after AggreCol, lanchiang/AggreCol): on one line, among the
  figures of one dimension in printed order, a run of neighbours right before or
  right after a candidate total is grown one figure at a time until its sum,
  within the printed precision of every figure, meets the total (or passes it).
  A run after the total needs a list word (其中/包括/分别/主要) or a total word
  (共/合计/总计/共计/累计/小计) to name the total; a run before it needs a total
  word, or an exact sum of money printed to at least three significant digits.
  Counts always need a word: small counts add up by chance. "加上…收入总计" chains
  are proposed apart (below), before the adjacent runs.
* **Chains**: "A。加上B、C，收入总计T": T = A + B + C, where A is the one figure before
  加上 that makes the sum meet T (of two candidates, the one whose sum is exact as printed;
  otherwise nothing is proposed).
* **Brackets**: a total and its breakdown in the bracket right after it
  (1530人（初中720人、高中810人）): every figure of its dimension in the bracket.
* **其中 with some parts**: "X，其中Y": Y (and the figures of X's dimension after it in
  the sentence) are some of X, proposed as X >= Y when they do not exceed it.
* **Lists over lines**: a line that ends by opening a list (其中：, 具体如下：, 如下：)
  and the item lines that follow (1. / （1） / 一是 …), within the same section:
  the item figures of the total's dimension and measure must add up. If the first
  figure of each item does not, a subset search runs *inside the list only*
  (one figure per item) and is kept when exactly one choice adds up. A count over items
  that do not all print one (an item naming one firm prints none) is a partial of the counts
  printed; an item whose figures add up exactly to another figure of the opening line itemises it;
  an item's title opening a clause of a later paragraph breaks the item's count down again.
* **其中 opening a sentence**: its figures break down a figure of the sentence before (money: an
  exact sum to exactly one figure; counts: a partial of the one count whose noun it repeats).
* **Narrowing 超过 parts**: 其中 parts that are lower bounds of the total's own measure, named with
  its label, each smaller than the last: each is part of the one before (partials), not siblings.
* **Removals** (剔除/扣除/核减): "将B…剔除，实际C": C = A − B for the one A before that makes it exact.
* **Runs of lines**: a money total named by 共/合计 and the lines after it in its document that
  each name one figure (金额合计X, or a line's only figure): consecutive lines grown one at a time
  until their sum meets the total exactly as printed (AggreCol over lines; exact sums only).
* **Table totals**: a table's 合计/总计 row against the sum of the rows above it,
  column by column (columns aligned from the right; only when every row aligns).
* **Remainders and overruns** (结余/剩余/结转, 超出预算/超支/短收): R = A − B for two figures
  before it on the line (the larger less the smaller), kept only when it holds and exactly one
  pair fits (a remainder's text rarely says which two).
* **Growth**: "A，较去年（B）增长C%" / "比上年(B)下降C%": C = A / B − 1, with the sign word;
  proposed whether or not it holds, the pattern names all three figures.
* **Growth against a printed change**: "A，比上年增加X，增长C%": C = X / (A − X) (last year is
  not printed: it is A − X); proposed whether or not it holds, as above.
* **Rates against a printed overrun**: "完成A，超预算X，为预算的R%": R = A / (A − X);
  proposed whether or not it holds.
* **Rates**: a rate word (执行率, 执行进度, 完成…预算的) and, in the same sentence, a
  budget and an executed figure: rate = executed / budget, kept only when it holds
  (reports print rates of other bases as well).

Each proposal says why (``because: "其中" at 246:12``) and how sure it is.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from decimal import Decimal

import attrs

from ..figures.tolerance import printed_interval
from ..numbers import EXACT, Interval
from ..record import Record
from .labels import LIST_WORDS, TOTAL_WORDS, Label, item_title
from .scan import Found, normalize
from .sections import Outline, heading_level

__all__ = ["Evidence", "Proposal", "figure_interval", "propose"]

CONFIDENCES = ("high", "medium", "low")
_ABOUT = Decimal("0.5")


@attrs.frozen(repr=False, eq=False)
class Evidence(Record):
    """A word of the text that made a proposal, and where it stands (1-based column)."""

    word: str
    line: int
    column: int

    def __str__(self) -> str:
        return f'"{self.word}" at {self.line}:{self.column}'


@attrs.frozen(repr=False, eq=False)
class Proposal(Record):
    """A relation the text suggests: ``total`` against ``parts``.

    ``kind``: ``sum`` (total = Σ parts), ``partial`` (total >= Σ parts), ``diff`` (total = parts[0] − parts[1]),
    ``growth`` (total = parts[0] / parts[1] − 1), ``growth-change`` (total = parts[1] / (parts[0] −
    parts[1]), parts[1] the printed change), ``rate-change`` (total = parts[0] / (parts[0] − parts[1]),
    parts[1] a printed overrun), ``rate`` (total = parts[0] / parts[1]).
    ``holds`` is whether it holds within printed precision (worked out here, so a
    reviewer sees it at once; the run decides again from the case file).
    """

    kind: str
    total: Found
    parts: tuple[Found, ...]
    method: str
    evidence: tuple[Evidence, ...]
    confidence: str
    holds: bool

    @property
    def figures(self) -> tuple[Found, ...]:
        return (self.total, *self.parts)

    @property
    def same_line(self) -> bool:
        return len({f.line for f in self.figures}) == 1

    def because(self) -> str:
        words = "; ".join(map(str, self.evidence)) or "no keyword"
        return f"because: {words} ({self.method}, {self.confidence} confidence)"


def figure_interval(found: Found) -> Interval:
    """The values, in the base unit, that print as ``found`` (counts are exact).

    Kept while :func:`propose` runs, which asks of one figure many times."""
    known = _INTERVALS.get(found)
    if known is not None:
        return known
    figure = found.figure
    exact = figure.unit.dimension == "count" and figure.qualifier is None
    own = printed_interval(figure, exact=exact, rounding="nearest", about=_ABOUT).scale(figure.unit.scale)
    _INTERVALS[found] = own
    return own


_INTERVALS: dict[Found, Interval] = {}  # emptied by each propose(): one report's figures at a time


def _sum(figures: Sequence[Found]) -> Interval:
    total = Interval.point(Decimal(0))
    for f in figures:
        total = total + figure_interval(f)
    return total


def _exact_sum(figures: Sequence[Found]) -> Decimal:
    total = Decimal(0)
    for f in figures:
        total = EXACT.add(total, f.figure.base_value)
    return total


def _usable(found: Found) -> bool:
    return not found.numeral and found.low is None and found.figure.unit.additive


def _word_near(normal: str, start: int, end: int, words: Sequence[str]) -> tuple[str, int] | None:
    """The last of ``words`` in ``normal[start:end]``, and its column (0-based)."""
    best = None
    for word in words:
        at = normal.rfind(word, start, end)
        if at >= 0 and (best is None or at > best[1]):
            best = (word, at)
    return best


def _clause_before(normal: str, column: int) -> int:
    """Where the clause of the text at ``column`` starts: after the last clause mark before it."""
    return max(normal.rfind(mark, 0, column) for mark in "，。；：,;:（(") + 1


def _top_level(normal: str, figures: list[Found]) -> list[Found]:
    """The figures outside every bracket: 其中教学楼26234.31（地上…，地下…），风雨操场10425.40（…）."""
    marks = [(m.start(), m[0] in "（(") for m in re.finditer(r"[（()）]", normal)]
    if not marks:
        return figures
    depth_at = []  # (column, depth from there on)
    depth = 0
    for column, opens in marks:
        depth = depth + 1 if opens else max(depth - 1, 0)
        depth_at.append((column, depth))
    kept = []
    for f in figures:
        depth = 0
        for column, after in depth_at:
            if column >= f.column:
                break
            depth = after
        if depth == 0:
            kept.append(f)
    return kept


def _adjacent(line: int, text: str, figures: list[Found], labels: dict[Found, Label]) -> list[Proposal]:
    normal = normalize(text)
    proposals = _adjacent_runs(line, normal, figures)
    top = _top_level(normal, figures)
    if len(top) != len(figures):
        # the top-level run is another breakdown of the same total (地上 + 地下, and 教学楼 + 风雨操场 + 传达室)
        found = {(p.total.column, frozenset(f.column for f in p.parts)) for p in proposals}
        proposals += [p for p in _adjacent_runs(line, normal, top)
                      if (p.total.column, frozenset(f.column for f in p.parts)) not in found]
    return proposals


_WHOLLY = re.compile(r"[（(][^（()）]{0,6}?(?:全部|均|全)为([^（()）、，,；;]{1,6}?)[）)]")


def _parallel(line: int, text: str, figures: list[Found], labels: dict[Found, Label],
              brackets: list[Proposal]) -> list[Proposal]:
    """Parallel breakdowns: "总面积T（地上A，地下B），其中楼1 T1（地上A1…地下B1…），楼2 T2（地上A2…地下B2…）；
    楼3 T3（全部为地上）": a total broken down by some labels in its bracket, and the items after it
    broken down by the same labels: each of the total's parts is the sum of the items' parts of its label
    (A = A1 + A2 + T3). An item whose bracket says 全部为<label> counts whole under that label.
    Kept when each label's sum holds within the printed precision."""
    normal = normalize(text)
    proposals = []

    def by_label(p: Proposal) -> dict[str, Found] | None:
        named = {labels[f].key: f for f in p.parts}
        return named if len(named) == len(p.parts) and all(named) else None

    for head in brackets:
        names = by_label(head)
        if names is None:
            continue
        items = [p for p in brackets if p.total.column > head.parts[-1].column and by_label(p) is not None
                 and set(by_label(p)) == set(names) and p.total.unit.dimension == head.total.unit.dimension]
        if len(items) < 2:
            continue
        last = items[-1].parts[-1].end
        whole: dict[str, list[Found]] = {}
        for match in _WHOLLY.finditer(normal, last):
            before = [f for f in figures if f.end <= match.start() and f.column >= last and _usable(f)
                      and f.unit.dimension == head.total.unit.dimension]
            name = match[1].strip()
            if before and name in names:
                whole.setdefault(name, []).append(before[-1])
        for name, total in names.items():
            parts = [by_label(p)[name] for p in items] + whole.get(name, [])
            if not _sum(parts).intersects(figure_interval(total)):
                continue
            exact = _exact_sum(parts) == total.figure.base_value
            proposals.append(Proposal("sum", total, tuple(parts), "parallel breakdown",
                                      (Evidence(name, line, parts[0].column - len(name) + 1),),
                                      "high" if exact else "medium", True))
    return proposals


def _adjacent_runs(line: int, normal: str, figures: list[Found]) -> list[Proposal]:
    proposals = []
    by_dimension: dict[str, list[Found]] = {}
    for f in figures:
        if _usable(f) and f.sign >= 0:
            by_dimension.setdefault(f.unit.dimension, []).append(f)
    used: set[int] = set()
    for dimension, run in by_dimension.items():
        if len(run) < 3:
            continue
        for t_index, total in enumerate(run):
            if total.figure.qualifier in ("over", "at-most"):
                continue
            target = figure_interval(total)
            clause = _clause_before(normal, total.column)
            total_word = _word_near(normal, clause, total.column, TOTAL_WORDS)
            for direction in (-1, 1):
                run_parts = _grow(run, t_index, direction, total, target)
                if run_parts is None:
                    continue
                proposal = _judge_adjacent(line, normal, total, run_parts, direction, total_word, dimension)
                if proposal is not None and id(total) not in used:
                    proposals.append(proposal)
                    used.add(id(total))
    return proposals


def _grow(run: list[Found], t_index: int, direction: int, total: Found, target: Interval) -> list[Found] | None:
    """The run of neighbours of ``run[t_index]`` (toward ``direction``) whose sum meets the total.

    The run grows one figure at a time while its sum can still meet the total; of the runs that
    meet it within printed precision, the one whose sum as printed is the total, else the nearest
    (3万元 is 1 + 1 + 1, not 1 + 1, though 1 + 1 is within the rounding of three coarse figures).
    Two runs equally near: no proposal.
    """
    parts: list[Found] = []
    fits: list[tuple[Decimal, list[Found]]] = []
    value = total.figure.base_value
    index = t_index + direction
    while 0 <= index < len(run):
        part = run[index]
        if part.figure.qualifier in ("over", "at-most") or part.figure.base_value <= 0:
            break
        if part.figure.base_value >= value:
            break
        parts.append(part)
        if len(parts) >= 2:
            interval = _sum(parts)
            if interval.lo is not None and target.hi is not None and interval.lo > target.hi:
                break
            if interval.intersects(target):
                fits.append((abs(EXACT.subtract(_exact_sum(parts), value)), list(parts)))
        index += direction
    if not fits:
        return None
    fits.sort(key=lambda fit: fit[0])
    if len(fits) > 1 and fits[0][0] == fits[1][0]:
        return None
    return fits[0][1]


_AMONG = re.compile(r"[^，。；：,;:（()）0-9]{0,6}?中[，,：:]")


def _judge_adjacent(line: int, normal: str, total: Found, parts: list[Found], direction: int,
                    total_word: tuple[str, int] | None, dimension: str) -> Proposal | None:
    ordered = tuple(sorted(parts, key=lambda f: f.column))
    evidence = []
    if total_word:
        evidence.append(Evidence(total_word[0], line, total_word[1] + 1))
    if direction > 0:  # total first, parts after: 共X，其中A、B; 64个项目中，A…B…
        list_word = _word_near(normal, total.end, ordered[0].column, LIST_WORDS)
        among = _AMONG.match(normal, total.end)
        if list_word:
            evidence.append(Evidence(list_word[0], line, list_word[1] + 1))
        elif among:
            evidence.append(Evidence("中", line, among.end() - 1))
    exact = _exact_sum(ordered) == total.figure.base_value
    rounded = any(f.figure.qualifier for f in (total, *ordered))
    if not evidence:
        digits = len(EXACT.normalize(total.figure.value).as_tuple().digits)
        if dimension == "count" or not exact or rounded or digits < 3 or direction > 0:
            return None
    confidence = "high" if exact and evidence else "medium" if exact or not rounded else "low"
    return Proposal("sum", total, ordered, "adjacent", tuple(evidence), confidence, True)


def _restated(line: int, text: str, figures: list[Found]) -> list[Proposal]:
    """"共T。…A；B；C项目（含…）X。其中C项目…兑现Y": a total named by a total word, the run of
    figures after it, and one of them printed again later on the line under the same words (C项目):
    the report's own sum may hold with the item as restated (T = A + B + Y) where it does not with X.
    Only exact sums as printed, of a total of three significant digits or more, and one choice only."""
    normal = normalize(text)
    money = [f for f in figures if _usable(f) and f.sign >= 0 and not f.figure.qualifier]
    if len(money) < 4:
        return []
    leads = {}
    start = 0
    for f in figures:
        sentence = max(normal.rfind("。", 0, f.column), normal.rfind("；", 0, f.column)) + 1
        leads[id(f)] = normal[max(start, sentence):f.column]
        start = f.end
    proposals = []
    for total in money:
        if _digits(total) < 3:
            continue
        same = [f for f in money if f.unit.dimension == total.unit.dimension]
        t_index = same.index(total)
        clause = _clause_before(normal, total.column)
        word = _word_near(normal, clause, total.column, TOTAL_WORDS)
        if word is None:
            continue
        value = total.figure.base_value
        fits = []
        for end in range(t_index + 3, len(same)):
            parts = same[t_index + 1:end]
            for j, part in enumerate(parts):
                name = re.sub(r"[（(][^（()）]*[)）]", "", leads[id(part)])
                if len(name) < 4:
                    continue
                for again in same[end:]:
                    if _shared(name, leads[id(again)]) < 4:
                        continue
                    trial = [*parts[:j], again, *parts[j + 1:]]
                    if _exact_sum(trial) == value:
                        fits.append(tuple(trial))
        if len(fits) == 1:
            proposals.append(Proposal("sum", total, fits[0], "an item as restated",
                                      (Evidence(word[0], line, word[1] + 1),), "medium", True))
    return proposals


_CHAIN = re.compile(r"加上|加")
_CHAIN_TOTAL = ("收入总计", "支出总计", "资金总计", "总计", "合计", "共计")


def _chains(line: int, text: str, figures: list[Found]) -> list[Proposal]:
    """"A…。加上B、C…，收入总计T": T = A + B + C …, where A is the one figure before 加上
    that makes the sum meet T (none, or more than one: no proposal)."""
    normal = normalize(text)
    proposals = []
    for match in _CHAIN.finditer(normal):
        after = [f for f in figures if f.column > match.end() and _usable(f)]
        for index, total in enumerate(after):
            word = _word_near(normal, after[index - 1].end if index else match.end(), total.column, _CHAIN_TOTAL)
            if word is None:
                continue
            dimension = total.unit.dimension
            terms = [f for f in after[:index] if f.unit.dimension == dimension and f.sign >= 0]
            if not terms or re.search(r"[。；;]", normal[match.end():total.column]):
                break
            heads = [f for f in figures if f.end <= match.start() and _usable(f)
                     and f.unit.dimension == dimension and f.sign >= 0]
            target = figure_interval(total)
            fits = [h for h in heads if _sum([h, *terms]).intersects(target)]
            exact_fits = [h for h in fits if _exact_sum([h, *terms]) == total.figure.base_value]
            if len(fits) > 1 and len(exact_fits) == 1:  # a coarse total: the one exact head decides
                fits = exact_fits
            if len(fits) == 1:
                parts = (fits[0], *terms)
                exact = _exact_sum(parts) == total.figure.base_value
                evidence = (Evidence(match[0], line, match.start() + 1), Evidence(word[0], line, word[1] + 1))
                proposals.append(Proposal("sum", total, parts, "chain", evidence, "high" if exact else "medium", True))
            break
    return proposals


def _brackets(line: int, text: str, figures: list[Found]) -> list[Proposal]:
    """A total and its breakdown in the bracket right after it: 1530人（初中720人、高中810人）."""
    normal = normalize(text)
    proposals = []
    for index, total in enumerate(figures):
        gap = re.match(r"[^，。；：、,;:（()）0-9]{0,4}?[（(]", normal[total.end:total.end + 6])
        if not _usable(total) or gap is None:
            continue
        opening = gap[0][-1]
        start = total.end + gap.end()
        close = min((normal.find(c, start) for c in "）)" if normal.find(c, start) > 0), default=-1)
        if close < 0:
            continue
        depth_break = normal.find("（", start, close)
        end = close if depth_break < 0 else depth_break
        parts = [f for f in figures[index + 1:] if f.end <= end]
        same = [f for f in parts if _usable(f) and f.unit.dimension == total.unit.dimension and f.sign >= 0]
        if len(same) < 2 or len(same) != len([f for f in parts if f.unit.dimension == total.unit.dimension]):
            continue
        if _sum(same).intersects(figure_interval(total)):
            exact = _exact_sum(same) == total.figure.base_value
            proposals.append(Proposal("sum", total, tuple(same), "bracket", (Evidence(opening, line, start),),
                                      "high" if exact else "medium", True))
    return proposals


_CAP = re.compile(r"最高|不超过|最多|上限|每家|每个|每项|单个|单笔")


def _partial(line: int, text: str, figures: list[Found]) -> list[Proposal]:
    """"X，其中Y（、Z）": the parts after 其中, in the same sentence, are some of X (X >= Y + Z)."""
    normal = normalize(text)
    proposals = []
    for index, total in enumerate(figures):
        if not _usable(total) or total.figure.qualifier in ("over", "at-most"):
            continue
        following = figures[index + 1:]
        if not following:
            continue
        gap = normal[total.end:following[0].column]
        word = re.match(r"^[^。；;，,]{0,4}?[。，,]?(其中)", gap)
        if word is None:
            continue
        after = total.end + word.end(1)
        stop = min([i for i in (normal.find("。", after), normal.find("；", after)) if i > 0] or [len(normal)])
        parts = [f for f in following if f.end <= stop and f.unit.dimension == total.unit.dimension]
        if not parts or not all(_usable(f) and f.sign >= 0 for f in parts):
            continue
        if any(f.figure.qualifier == "at-most" for f in parts):
            continue
        if any(_CAP.search(normal, _clause_before(normal, f.column), f.column) for f in parts):
            continue  # 其中单个企业最高奖励50万元: a cap, not a part
        parts_sum = _sum(parts)
        target = figure_interval(total)
        if parts_sum.lo is None or target.hi is None or parts_sum.lo > target.hi:
            continue  # the parts exceed the total: not what 其中 says; no proposal rather than an alarm
        if parts_sum.intersects(target) and len(parts) >= 2:
            continue  # exhaustive: the adjacent sums propose it
        proposals.append(Proposal("partial", total, tuple(parts), "其中, some of the parts",
                                  (Evidence("其中", line, total.end + word.start(1) + 1),), "medium", True))
    return proposals


def _chains_of_partials(line: int, text: str, figures: list[Found], labels: dict[Found, Label]) -> list[Proposal]:
    """"完成投资19.41亿元，其中通过评审项目完成投资总额超过3亿元，拟支持…项目共认定完成投资超过7800万元":
    the parts after 其中 are lower bounds (超过/逾/以上) of the total's own measure, each named with the
    total's label (完成投资; four characters of it at least), each smaller than the one before: a narrowing, each a part of the one before
    (19.41亿 >= 3亿 >= 7800万), not siblings to add up. Kept when every link holds."""
    normal = normalize(text)
    proposals = []
    for index, total in enumerate(figures):
        if not _usable(total) or total.figure.qualifier:
            continue
        name = labels[total].key
        following = figures[index + 1:]
        if len(name) < 3 or not following:
            continue
        word = re.match(r"^[^。；;，,]{0,4}?[。，,]?(其中)", normal[total.end:following[0].column])
        if word is None:
            continue
        after = total.end + word.end(1)
        stop = min([i for i in (normal.find("。", after), normal.find("；", after)) if i > 0] or [len(normal)])
        parts = [f for f in following if f.end <= stop and f.unit.dimension == total.unit.dimension]
        if len(parts) < 2 or not all(_usable(f) and f.sign >= 0 and f.figure.qualifier == "over"
                                     and _shared(name, labels[f].key) >= min(len(name), 4) for f in parts):
            continue
        chain = [total, *parts]
        if any(b.figure.base_value >= a.figure.base_value for a, b in zip(chain, chain[1:])):
            continue  # (a lower bound below the figure before it: each link holds)
        evidence = (Evidence("其中", line, total.end + word.start(1) + 1),)
        for a, b in zip(chain, chain[1:]):
            proposals.append(Proposal("partial", a, (b,), "其中, a narrowing of lower bounds", evidence, "low", True))
    return proposals


_OPENS_AMONG = re.compile(r"(?<=[。；;])\s*其中[，,：:]?")


def _noun_after(normal: str, found: Found) -> str:
    """What a count counts: the words right after it, to the clause's end (12家服务包企业进行了申报)."""
    return re.split(r"[，。；：、,;:（()）0-9]", normal[found.end:found.end + 12])[0]


def _among_before(line: int, text: str, figures: list[Found]) -> list[Proposal]:
    """"…已执行金额4979.068万元，结余20.932万元。其中，支持…4409万元，列支…282.5万元，列支…287.568万元。":
    a sentence that opens with 其中 breaks down a figure of the sentence before it, which it does not name.
    Money: all the figures of one kind at the sentence's top level add up, exactly as printed, to exactly
    one figure of the sentence before (three significant digits or more): a sum. Counts, which add up by
    chance: the count of the sentence before whose noun the parts repeat (12家服务包企业 … 其中…3家重点
    服务包企业; three characters or more, and only one such count): some of it (a partial)."""
    normal = normalize(text)
    proposals = []
    top = _top_level(normal, figures)
    for match in _OPENS_AMONG.finditer(normal):
        opening = match.start()
        previous = max(normal.rfind(mark, 0, opening - 1) for mark in "。；;") + 1
        stop = min([i for i in (normal.find("。", match.end()), normal.find("；", match.end())) if i > 0]
                   or [len(normal)])
        before = [f for f in figures if f.column >= previous and f.end <= opening and _usable(f)
                  and f.sign >= 0 and not f.figure.qualifier]
        inside = [f for f in top if f.column >= match.end() and f.end <= stop]
        evidence = (Evidence("其中", line, normal.index("其中", opening) + 1),)
        for dimension in dict.fromkeys(f.unit.dimension for f in inside):
            parts = [f for f in inside if f.unit.dimension == dimension]
            if not all(_usable(f) and f.sign >= 0 and not f.figure.qualifier for f in parts):
                continue
            candidates = [t for t in before if t.unit.dimension == dimension]
            if dimension != "count":
                value = _exact_sum(parts)
                fits = [t for t in candidates if t.figure.base_value == value and _digits(t) >= 3]
                if len(parts) >= 2 and len(fits) == 1:
                    proposals.append(Proposal("sum", fits[0], tuple(parts), "其中 after the sentence of its total",
                                              evidence, "high", True))
                continue
            totals = set()
            for part in parts:
                scored = sorted(((_shared(_noun_after(normal, part), _noun_after(normal, t)), i)
                                 for i, t in enumerate(candidates)), reverse=True)
                if not scored or scored[0][0] < 3 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
                    break
                totals.add(scored[0][1])
            else:
                if len(totals) != 1:
                    continue
                total = candidates[totals.pop()]
                if total.figure.base_value > _exact_sum(parts):
                    proposals.append(Proposal("partial", total, tuple(parts), "其中 after the sentence of its total, "
                                              "the same noun", evidence, "medium", True))
    return proposals


_REMOVAL = re.compile(r"剔除|扣除|减除|核减|除去|调出")


def _removals(line: int, text: str, figures: list[Found]) -> list[Proposal]:
    """"对128座垃圾楼进行改造，…将5座垃圾楼从本次改造中剔除，故本项目实际共改造123座垃圾楼": a figure
    the text takes out (剔除/扣除/核减, the figure in the word's own clause) and the first figure of its kind
    after the word, in the same sentence, what is left: left = whole − taken, the whole being a figure of
    that kind before it on the line. Kept when it holds exactly as printed and one whole only fits."""
    normal = normalize(text)
    proposals = []
    for match in _REMOVAL.finditer(normal):
        clause = _clause_before(normal, match.start())
        taken = [f for f in figures if f.column >= clause and f.end <= match.start() and _usable(f)]
        if len(taken) != 1 or taken[0].figure.qualifier or taken[0].sign < 0:
            continue
        b = taken[0]
        stop = min([i for i in (normal.find("。", match.end()), normal.find("；", match.end())) if i > 0]
                   or [len(normal)])
        after = [f for f in figures if f.column >= match.end() and f.end <= stop and f.unit.dimension == b.unit.dimension]
        if not after or not _usable(after[0]) or after[0].figure.qualifier:
            continue
        left = after[0]
        wholes = [a for a in figures if a.end <= b.column and _usable(a) and not a.figure.qualifier
                  and a.unit.dimension == b.unit.dimension
                  and EXACT.subtract(a.figure.base_value, b.figure.base_value) == left.figure.base_value]
        if len(wholes) == 1:
            proposals.append(Proposal("diff", left, (wholes[0], b), "removal",
                                      (Evidence(match[0], line, match.start() + 1),), "high", True))
    return proposals


_ENUMERATION = re.compile(r"[一二三四五六七八九十]+是")


def _enumerations(line: int, text: str, figures: list[Found]) -> list[Proposal]:
    """"共163个。一是…14家…二是…63家…": a total named by 共/合计, then items 一是, 二是 … on the line;
    each item gives its figure of the total's dimension (the one after 共 if it has one, else its
    first; an item with none adds nothing). Kept when the items add up to the total."""
    normal = normalize(text)
    markers = list(_ENUMERATION.finditer(normal))
    if len(markers) < 2:
        return []
    proposals = []
    for total in figures:
        if not _usable(total) or total.column > markers[0].start():
            continue
        word = _word_near(normal, _clause_before(normal, total.column), total.column, TOTAL_WORDS)
        if word is None:
            continue
        ends = [m.start() for m in markers[1:]] + [len(normal)]
        parts = []
        for marker, end in zip(markers, ends):
            same = [f for f in figures if marker.end() <= f.column < end and _usable(f)
                    and f.unit.dimension == total.unit.dimension and f.sign >= 0]
            if not same:  # an item of another kind (六是…评审费用): it adds nothing to this total
                continue
            named = [f for f in same if _word_near(normal, _clause_before(normal, f.column), f.column, TOTAL_WORDS)]
            parts.append(named[-1] if named else same[0])
        if len(parts) >= 2 and _sum(parts).intersects(figure_interval(total)):
            exact = _exact_sum(parts) == total.figure.base_value
            evidence = (Evidence(word[0], line, word[1] + 1), Evidence(markers[0][0], line, markers[0].start() + 1))
            proposals.append(Proposal("sum", total, tuple(parts), "enumeration", evidence,
                                      "high" if exact else "medium", True))
    return proposals


_LABEL_LIST = re.compile(r"([^\s，。；：、,;:（）()0-9]{2,12})中[，,：:]")


def _label_lists(line: int, text: str, figures: list[Found], labels: dict[Found, Label]) -> list[Proposal]:
    """"…持牌金融机构1635家；…持牌金融机构中，银行业1036家，保险业195家…": a label printed
    again with 中 opens the list of its figure's parts, to the end of the sentence."""
    normal = normalize(text)
    proposals = []
    for match in _LABEL_LIST.finditer(normal):
        name = match[1]
        before = [f for f in figures if f.end <= match.start() and _usable(f) and labels[f].key
                  and (labels[f].key.endswith(name) or (len(labels[f].key) >= 2 and name.endswith(labels[f].key)))]
        if not before:
            continue
        total = before[-1]
        stop = min([i for i in (normal.find("。", match.end()), normal.find("；", match.end())) if i > 0]
                   or [len(normal)])
        parts = [f for f in figures if match.end() <= f.column < stop and f.unit.dimension == total.unit.dimension]
        if len(parts) < 2 or not all(_usable(f) and f.sign >= 0 for f in parts):
            continue
        if _sum(parts).intersects(figure_interval(total)):
            exact = _exact_sum(parts) == total.figure.base_value
            proposals.append(Proposal("sum", total, tuple(parts), "label list",
                                      (Evidence(name + "中", line, match.start() + 1),), "high" if exact else "medium", True))
    return proposals


_LIST_OPEN = re.compile(r"(其中|具体如下|具体情况如下|如下|分别为|包括)\s*[:：]\s*$")
_ITEM_LINE = re.compile(r"^\s*(?:[(（]\s*[0-9]+\s*[)）]|[0-9]+\s*[.、．](?![0-9])|[一二三四五六七八九十]+是|[(（][一二三四五六七八九十]+[)）])")


def _lists(lines: Sequence[str], by_line: dict[int, list[Found]], outline: Outline) -> list[Proposal]:
    proposals = []
    for number, text in enumerate(lines, 1):
        normal = normalize(text).rstrip()
        opening = _LIST_OPEN.search(normal)
        if opening is None:
            continue
        # the total: the last usable figure before the list word on the opening line
        candidates = [f for f in by_line.get(number, []) if _usable(f) and f.column < opening.start()]
        if not candidates:
            continue
        items = _items(lines, number, by_line, outline)
        if len(items) < 2:
            continue
        done: set[str] = set()  # one total a dimension: the money and the count of one list
        for total in reversed(candidates):
            if total.unit.dimension in done:
                continue
            proposal = _list_sum(number, opening, total, items)
            if proposal is not None:
                proposals.append(proposal)
                done.add(total.unit.dimension)
        proposals.extend(_itemised(number, opening, candidates, items))
    return proposals


def _itemised(number: int, opening: re.Match[str], candidates: list[Found],
              items: list[tuple[int, list[Found]]]) -> list[Proposal]:
    """"支持金额7303.583万元；另有评审费、审计费等其他费用62.6万元…具体如下：…（10）其它费用：评审19.6万元；
    审计13万元；审计30万元": one item of the list itemises another money figure of its opening line: all
    the item's figures of that kind add up to it exactly as printed (three significant digits or more),
    and that item only."""
    proposals = []
    for total in candidates:
        if total.unit.dimension == "count" or total.figure.qualifier or _digits(total) < 3:
            continue
        fits = []
        for _, figures in items:
            same = [f for f in figures if f.unit.dimension == total.unit.dimension]
            if len(same) >= 2 and all(_usable(f) and f.sign >= 0 and not f.figure.qualifier for f in same) \
                    and _exact_sum(same) == total.figure.base_value:
                fits.append(same)
        if len(fits) == 1:
            proposals.append(Proposal("sum", total, tuple(fits[0]), "list, an item itemising a figure",
                                      (Evidence(opening[1], number, opening.start(1) + 1),), "medium", True))
    return proposals


_LIST_END = re.compile(r"共计|合计|总计|整体来看|总体来看|综上")


def _items(lines: Sequence[str], number: int, by_line: dict[int, list[Found]],
           outline: Outline) -> list[tuple[int, list[Found]]]:
    """The item lines of the list the line ``number`` opens: marked ones (1. （1） 一是 …), or, when
    the first is unmarked, the paragraphs that follow, each printing a figure, up to a heading, a
    line that names a total of its own (共计, 合计, 整体来看 …), or a line without a figure."""
    items: list[tuple[int, list[Found]]] = []
    marked: bool | None = None
    for later in range(number + 1, min(len(lines), number + 40) + 1):
        line_text = lines[later - 1]
        if not line_text.strip():
            continue
        normal = normalize(line_text)
        is_marked = bool(_ITEM_LINE.match(normal))
        if not outline_ok(outline, number, later) or (not is_marked and heading_level(line_text) is not None):
            break
        if marked is None:
            marked = is_marked
        if marked != is_marked or (not marked and (not by_line.get(later) or _LIST_END.search(normal))):
            break
        items.append((later, by_line.get(later, [])))
    return items


def outline_ok(outline: Outline, opening: int, item: int) -> bool:
    """An item belongs to the list when it lies in the opening line's document and in its section or below."""
    a, b = outline.section_of(opening), outline.section_of(item)
    return a.document == b.document and b.key[:len(a.key)] == a.key


def _list_sum(number: int, opening: re.Match[str], total: Found,
              items: list[tuple[int, list[Found]]]) -> Proposal | None:
    """The list's items as the parts of ``total``: the first figure of each item of the total's kind;
    else one figure an item, when exactly one choice adds up; else the first items only, grown one
    at a time until they meet the total (the rest of the list is another part: 支持金额 and 其他费用)."""
    dimension = total.unit.dimension
    choices = []
    for _, figures in items:
        same = [f for f in figures if _usable(f) and f.unit.dimension == dimension and f.sign >= 0]
        choices.append(same)
    target = figure_interval(total)
    evidence = (Evidence(opening[1], number, opening.start(1) + 1),)
    if all(choices):
        first = [c[0] for c in choices]
        if _sum(first).intersects(target):
            exact = _exact_sum(first) == total.figure.base_value
            return Proposal("sum", total, tuple(first), "list", evidence, "high" if exact else "medium", True)
        size = 1
        for c in choices:
            size *= len(c)
        if size <= 4096:
            fits = [combo for combo in itertools.product(*choices) if _sum(combo).intersects(target)]
            if len(fits) == 1:
                return Proposal("sum", total, tuple(fits[0]), "list, one figure an item", evidence, "medium", True)
    if dimension == "count" and not all(choices) and any(choices):
        return _list_partial(total, choices, [line for line, _ in items], evidence)
    prefix: list[Found] = []
    for same in choices:
        if not same:
            return None
        prefix.append(same[0])
        interval = _sum(prefix)
        if len(prefix) >= 2 and _exact_sum(prefix) == total.figure.base_value:
            return Proposal("sum", total, tuple(prefix), "list, its first items", evidence, "high", True)
        if interval.lo is not None and target.hi is not None and interval.lo > target.hi:
            return None
    return None


def _list_partial(total: Found, choices: list[list[Found]], item_lines: list[int],
                  evidence: tuple[Evidence, ...]) -> Proposal | None:
    """"支持项目121个…具体如下：（1）…等18家单位…（2）对某公司予以支持…": a count over a list whose
    items do not all print one (an item that names one unit prints no count): the items that print
    one, by their first count, are some of the total (a partial). Kept when they fall short of it."""
    parts = [same[0] for same in choices if same]
    if _exact_sum(parts) >= total.figure.base_value or any(f.figure.qualifier for f in parts):
        return None
    silent = item_lines[[bool(same) for same in choices].index(False)]  # the first item without a count
    return Proposal("partial", total, tuple(parts), "list, the items that print a count",
                    (*evidence, Evidence("(no count)", silent, 1)), "medium", True)



def _titles_again(lines: Sequence[str], by_line: dict[int, list[Found]], outline: Outline) -> list[Proposal]:
    """"（8）文化科技类。拟对…等16家企业…" and, in a later paragraph of the document, "…；文化科技类大力推动…，
    15家高新技术企业…，1个重大研发平台项目…；": a list item's title opening a clause of a later line is the
    item again, and that clause's counts break down the item's count: a sum when two or more add up to
    it exactly, a partial for one after 其中 that is smaller. Titles of three characters or more, with no
    digit, each printed once in the list."""
    proposals = []
    for number, text in enumerate(lines, 1):
        opening = _LIST_OPEN.search(normalize(text).rstrip())
        if opening is None:
            continue
        items = _items(lines, number, by_line, outline)
        titled: dict[str, Found] = {}
        seen: set[str] = set()
        for item_line, figures in items:
            title = item_title(lines[item_line - 1])
            counts = [f for f in figures if f.unit.dimension == "count" and _usable(f) and not f.figure.qualifier]
            if title in seen:
                titled.pop(title, None)
            seen.add(title)
            if 3 <= len(title) <= 12 and not re.search(r"[0-9]", title) and counts:
                titled[title] = counts[0]
        if not titled or not items:
            continue
        document = outline.document_of(number)
        for later in range(items[-1][0] + 1, min(len(lines), items[-1][0] + 60) + 1):
            if outline.document_of(later) != document:
                break
            figures = by_line.get(later)
            if not figures or lines[later - 1].startswith("\t"):
                continue
            normal = normalize(lines[later - 1])
            for title, total in titled.items():
                for match in re.finditer(rf"(?:^|[。；;])\s*({re.escape(title)})", normal):
                    stop = min([i for i in (normal.find("。", match.end()), normal.find("；", match.end())) if i > 0]
                               or [len(normal)])
                    parts = [f for f in figures if match.end() <= f.column and f.end <= stop
                             and f.unit.dimension == "count" and not f.numeral]
                    if not parts or not all(_usable(f) and not f.figure.qualifier for f in parts):
                        continue
                    evidence = (Evidence(title, later, match.start(1) + 1),)
                    value = total.figure.base_value
                    if len(parts) >= 2 and _exact_sum(parts) == value:
                        proposals.append(Proposal("sum", total, tuple(parts), "a list item's title again", evidence,
                                                  "medium", True))
                    elif len(parts) == 1 and parts[0].figure.base_value < value and \
                            "其中" in normal[match.end():parts[0].column]:
                        proposals.append(Proposal("partial", total, tuple(parts), "a list item's title again, 其中",
                                                  (*evidence, Evidence("其中", later, normal.rfind("其中", 0, parts[0].column) + 1)),
                                                  "medium", True))
    return proposals

def _line_runs(lines: Sequence[str], by_line: dict[int, list[Found]], outline: Outline) -> list[Proposal]:
    """A total named by 共/合计 and the lines after it that each name one figure of its kind (金额合计X,
    总计奖励金额X, or a line's only figure): a run of consecutive such lines, in the same document,
    grown line by line until its sum meets the total exactly as printed (AggreCol over lines).
    Only exact sums, of money printed to at least three significant digits, or of counts from the
    very next line on: over lines, coincidences are too easy otherwise."""
    proposals = []
    own: dict[tuple[int, str], Found | None | bool] = {}  # each line's own figure of a kind, once
    for number in sorted(by_line):
        text = lines[number - 1]
        if text.startswith("\t"):
            continue
        normal = normalize(text)
        for total in by_line[number]:
            if not _usable(total) or total.figure.qualifier:
                continue
            counts = total.unit.dimension == "count"
            coarse = not counts and len(EXACT.normalize(total.figure.value).as_tuple().digits) < 3
            word = _word_near(normal, _clause_before(normal, total.column), total.column, TOTAL_WORDS)
            if word is None:
                continue
            run = _run_after(lines, by_line, outline, number, total, Evidence(word[0], number, word[1] + 1), own,
                             named_only=coarse)
            if run is not None:
                proposals.append(run)
    return proposals


def _named(text: str, found: Found) -> bool:
    """Whether a total word (合计, 总计, 共计, 小计) names ``found`` in its clause."""
    normal = normalize(text)
    return _word_near(normal, _clause_before(normal, found.column), found.column,
                      ("合计", "总计", "共计", "小计")) is not None


def _own_figure(text: str, figures: list[Found], dimension: str) -> Found | None | bool:
    """The one figure a line names of ``dimension``: its last after a total word, else its only one;
    False when it prints several and names none; None when it prints none."""
    normal = normalize(text)
    same = [f for f in figures if f.unit.dimension == dimension]
    if not same:
        return None
    named = [f for f in same if _word_near(normal, _clause_before(normal, f.column), f.column, ("合计", "总计", "共计", "小计"))]
    if named:
        return named[-1]
    return same[0] if len(same) == 1 else False


def _run_after(lines: Sequence[str], by_line: dict[int, list[Found]], outline: Outline, number: int,
               total: Found, evidence: Evidence, cache: dict, named_only: bool = False) -> Proposal | None:
    """The run of lines after ``number`` that adds up to ``total``. A coarse total (2800万元: two
    significant digits) is met by chance too easily, so it takes a run of at least three lines that
    each name their figure with a total word (总计奖励金额300万元), as the items of a breakdown do."""
    document = outline.document_of(number)
    value = total.figure.base_value
    sequence: list[Found] = []
    for later in range(number + 1, min(len(lines), number + 60) + 1):
        if outline.document_of(later) != document:
            break
        figures = by_line.get(later)
        if not figures or lines[later - 1].startswith("\t"):
            continue
        key = (later, total.unit.dimension)
        if key not in cache:
            cache[key] = _own_figure(lines[later - 1], figures, total.unit.dimension)
        own = cache[key]
        if own is None:
            continue
        if own is False or not _usable(own) or own.figure.qualifier or own.sign < 0:
            sequence.append(None)  # a line of several figures, none named: a run cannot pass it
            continue
        if named_only and not _named(lines[later - 1], own):
            sequence.append(None)
            continue
        sequence.append(own)
    # counts add up by chance: their run must start at the first line after the total
    for start in range(1 if total.unit.dimension == "count" else len(sequence)):
        running = Decimal(0)
        for end in range(start, len(sequence)):
            part = sequence[end]
            if part is None:
                break
            running = EXACT.add(running, part.figure.base_value)
            if running == value and end > start and (not named_only or end - start >= 2):
                parts = tuple(f for f in sequence[start:end + 1] if f is not None)
                return Proposal("sum", total, parts, "run of lines", (evidence,), "medium", True)
            if running > value:
                break
    return None


def _digits(found: Found) -> int:
    """How many significant digits ``found`` is printed with: zeros after the decimal point count
    (3.00万元 is printed to three), those of a whole number do not (300万元 may be a round figure)."""
    value = found.figure.value
    if value.as_tuple().exponent >= 0:
        value = EXACT.normalize(value)
    return len(value.as_tuple().digits)


_BESIDES = re.compile(r"另有|此外|另外|还有")


def _besides(lines: Sequence[str], by_line: dict[int, list[Found]], outline: Outline) -> list[Proposal]:
    """"共T，其中A…；另有B…" and "…A。此外…B。…合计T": a figure B that the text adds with 另有/此外
    completes a part A to a total T (T = A + B), both printed in B's document: near B (four lines, same
    section), or, for a total far from B, with its part A on the total's line or near B.
    Over lines coincidences are cheap: only exact sums as printed count (or, every figure printed to
    five digits or more, sums within printed precision: 3818.39万元 is 3818.385 to 3818.395); money
    totals need four significant digits (five when far from B); a count total needs its part after
    其中 on its own line; and the pair (A, T) must be the only one that fits."""
    proposals = []
    documents: dict[tuple[int, str], list[Found]] = {}  # a document's figures of a kind, once
    for number, figures in by_line.items():
        text = lines[number - 1]
        if text.startswith("\t"):
            continue
        normal = normalize(text)
        for b in figures:
            if not _usable(b) or b.figure.qualifier or b.sign < 0:
                continue
            sentence = max(normal.rfind("。", 0, b.column), normal.rfind("；", 0, b.column)) + 1
            word = _BESIDES.search(normal, sentence, b.column)
            if word is None:
                continue
            dimension = b.unit.dimension
            document = outline.document_of(number)
            near = documents.get((document, dimension))
            if near is None:
                near = documents[(document, dimension)] = [
                    f for n, fs in by_line.items() if outline.document_of(n) == document
                    and not lines[n - 1].startswith("\t") for f in fs
                    if _usable(f) and not f.figure.qualifier and f.sign >= 0 and f.unit.dimension == dimension]
            value = b.figure.base_value
            fits = []
            for t in near:
                if t is b or t.figure.base_value <= value:
                    continue
                close = abs(t.line - number) <= 4 and outline.same_section(t.line, number)
                if dimension == "count":
                    t_normal = normalize(lines[t.line - 1])
                    options = [a for a in by_line[t.line] if a.column > t.column and a.unit.dimension == dimension
                               and _usable(a) and "其中" in t_normal[t.end:a.column]]
                else:  # far apart in the document, a coincidence of five digits is not to be feared
                    if len(EXACT.normalize(t.figure.value).as_tuple().digits) < (4 if close else 5):
                        continue
                    options = [a for a in near if a is not t and a is not b and (close or a.line == t.line
                               or abs(a.line - number) <= 4)]
                for a in options:
                    if EXACT.add(a.figure.base_value, value) == t.figure.base_value or (
                            dimension != "count" and min(_digits(a), _digits(b), _digits(t)) >= 5
                            and _sum((a, b)).intersects(figure_interval(t))):
                        fits.append((t, a))
            if len(fits) == 1:
                t, a = fits[0]
                proposals.append(Proposal("sum", t, (a, b), "besides", (Evidence(word[0], number, word.start() + 1),),
                                          "medium", True))
    return proposals


_NAMED_LIST = re.compile(r"(?:列支|用于|包括|含)([^。；;：:，,（()）]+?)(等)?(?:各项|相关)?(?:费用|经费|项目|资金)?"
                         r"(?:共计|合计|总计|共)?(?:约|近|达)?$")


def _annexes(outline: Outline, document: int) -> set[int]:
    """The documents bound after ``document`` as its annexes (附件1, 附件2 … up to the next document
    that is no annex): where a summary's figures are itemised."""
    titles = {s.document: s.title for s in outline.sections if s.level == 0}
    out = set()
    for later in sorted(d for d in titles if d > document):
        if "附件" not in titles[later]:
            break
        out.add(later)
    return out


def _shared(name: str, text: str) -> int:
    """The length of the longest stretch of ``name`` that ``text`` contains (3 characters at least, else 0)."""
    for size in range(len(name), 2, -1):
        if any(name[i:i + size] in text for i in range(len(name) - size + 1)):
            return size
    return 0


def _named_items(lines: Sequence[str], by_line: dict[int, list[Found]], outline: Outline,
                 proposals: Sequence[Proposal]) -> list[Proposal]:
    """A summary figure after a list of names, "…资金列支A、B、C约S" ("A、B等共计约S"), and the annex
    (a document bound after the summary's) that prints a figure for each name: S is their sum,
    or, with 等 (the names are only some), at least their sum; when the annex itself totals exactly
    those figures (T = A + B), S is that total T printed again.

    Names match the text just before an annex figure by their longest shared stretch (three
    characters at least, and half the name unless 等 says the names are only some: a wrong match
    then proposes no more than "at least", which raises no alarm); every name must find its own
    figure, best by a clear margin, within three lines of one annex. Without 等 the sum is proposed whether or not
    it holds (the names say item for item what it is made of); with 等 only when it does."""
    out = []
    totals = {frozenset(id(f) for f in p.parts): p.total for p in proposals if p.kind == "sum"}
    leads: dict[int, list[tuple[Found, str]]] = {}

    def lead_texts(number: int) -> list[tuple[Found, str]]:
        if number not in leads:
            normal = normalize(lines[number - 1])
            row, start = [], 0
            for f in by_line.get(number, ()):
                sentence = max(normal.rfind("。", 0, f.column), normal.rfind("；", 0, f.column)) + 1
                row.append((f, normal[max(start, sentence):f.column]))
                start = f.end
            leads[number] = row
        return leads[number]

    for number, figures in by_line.items():
        if lines[number - 1].startswith("\t"):
            continue
        normal = normalize(lines[number - 1])
        for total in figures:
            if not _usable(total) or total.figure.qualifier in ("over", "at-most"):
                continue
            sentence = max(normal.rfind("。", 0, total.column), normal.rfind("；", 0, total.column),
                           normal.rfind("：", 0, total.column)) + 1
            match = _NAMED_LIST.search(normal, sentence, total.column)
            if match is None or match.end() != total.column:
                continue
            names = [n.strip() for n in match[1].split("、")]
            if len(names) < 2 or any(len(n) < 2 for n in names):
                continue
            some = bool(match[2])
            annexes = _annexes(outline, outline.document_of(number))
            best: list[tuple[int, tuple[Found, ...]]] = []
            candidates = sorted(n for n in by_line if outline.document_of(n) in annexes)
            for anchor in candidates:
                window = [(f, text) for n in range(anchor, anchor + 3) if n in by_line
                          and outline.document_of(n) == outline.document_of(anchor)
                          for f, text in lead_texts(n)
                          if _usable(f) and f.unit.dimension == total.unit.dimension and f.sign >= 0]
                chosen, score = [], 0
                for name in names:
                    scored = sorted(((_shared(name, text), f) for f, text in window), key=lambda x: -x[0])
                    least = 3 if some else max(3, (len(name) + 1) // 2)  # with 等 a wrong match raises no alarm
                    if not scored or scored[0][0] < least:
                        break
                    if len(scored) > 1 and scored[1][0] == scored[0][0]:
                        break  # two figures fit the name as well: which is meant is not said
                    chosen.append(scored[0][1])
                    score += scored[0][0]
                else:
                    if len({id(f) for f in chosen}) == len(chosen) and min(f.line for f in chosen) == anchor:
                        best.append((score, tuple(chosen)))
            if not best:
                continue
            best.sort(key=lambda b: -b[0])
            if len(best) > 1 and best[1][0] == best[0][0] and set(best[1][1]) != set(best[0][1]):
                continue
            parts = tuple(sorted(best[0][1], key=lambda f: (f.line, f.column)))
            evidence = (Evidence(match[0][:2], number, match.start() + 1),)
            restated = totals.get(frozenset(id(f) for f in parts))
            if restated is not None:
                holds = figure_interval(restated).intersects(figure_interval(total))
                out.append(Proposal("sum", total, (restated,), "summary restates an annex total", evidence,
                                    "medium", holds))
                continue
            holds = _sum(parts).intersects(figure_interval(total))
            if match[2]:  # 等: only some of the items are named
                below = _sum(parts).lo is not None and figure_interval(total).hi is not None \
                    and _sum(parts).lo <= figure_interval(total).hi
                if below:
                    out.append(Proposal("partial", total, parts, "summary names some annex items", evidence,
                                        "low", True))
                continue
            out.append(Proposal("sum", total, parts, "summary names the annex items", evidence,
                                "medium", holds))
    return out


_ROW_TOTAL = re.compile(r"^\s*(?:合计|总计|小计|总额)\s*$")


def _tables(lines: Sequence[str], by_line: dict[int, list[Found]], outline: Outline) -> list[Proposal]:
    """Table totals: rows are runs of cell lines parted by blank lines."""
    proposals = []
    rows: list[list[int]] = []
    current: list[int] = []
    for number, text in enumerate([*lines, ""], 1):
        if text.startswith("\t") and text.strip():
            current.append(number)
            continue
        if current:
            rows.append(current)
            current = []
        if text.strip() and rows:  # a line that is no cell ends the table
            proposals.extend(_table_total(rows, lines, by_line, outline))
            rows = []
    if rows:
        proposals.extend(_table_total(rows, lines, by_line, outline))
    return proposals


def _table_total(rows: list[list[int]], lines: Sequence[str], by_line: dict[int, list[Found]],
                 outline: Outline) -> list[Proposal]:
    def cells(row: list[int]) -> list[Found]:
        return [f for n in row for f in by_line.get(n, []) if f.cell or lines[n - 1].strip() == f.printed.strip()]

    proposals = []
    body: list[list[Found]] = []
    for row in rows:
        found = cells(row)
        label = next((lines[n - 1] for n in row if _ROW_TOTAL.match(lines[n - 1])), None)
        if label is None:
            if found:
                body.append(found)
            continue
        width = len(found)
        if not found or len(body) < 2 or any(len(r) != width for r in body):
            body = []
            continue
        word_line = next(n for n in row if _ROW_TOTAL.match(lines[n - 1]))
        evidence = (Evidence(lines[word_line - 1].strip(), word_line, lines[word_line - 1].index(lines[word_line - 1].strip()) + 1),)
        for column in range(width):
            total = found[column]
            parts = tuple(r[column] for r in body)
            if not all(_usable(p) and p.unit.dimension == total.unit.dimension for p in (total, *parts)):
                continue
            holds = _sum(parts).intersects(figure_interval(total))
            exact = _exact_sum(parts) == total.figure.base_value
            proposals.append(Proposal("sum", total, parts, "table", evidence,
                                      "high" if exact else "medium", holds))
        body = []
    return proposals


_REMAINDER = re.compile(r"(结余|剩余|结转|尚余|余额)")


#: Words before a difference of two figures printed before it: what is left (结余, 剩余), or what
#: a budget was overrun or missed by (超出预算部分2743.8256万元: executed − budget).
_DIFFERENCE_WORDS = ("结余", "剩余", "结转", "尚余", "余额", "超出预算", "超预算", "超支", "超收", "短收", "差额")


def _remainders(line: int, text: str, figures: list[Found]) -> list[Proposal]:
    normal = normalize(text)
    proposals = []
    for index, r in enumerate(figures):
        if not _usable(r):
            continue
        word = _word_near(normal, max(0, r.column - 8), r.column, _DIFFERENCE_WORDS)
        if word is None:
            continue
        before = [f for f in figures[:index] if _usable(f) and f.unit.dimension == r.unit.dimension][-4:]
        fits = []
        for a, b in itertools.permutations(before, 2):  # the larger less the smaller, in either order
            if a.figure.base_value <= b.figure.base_value:
                continue
            if (figure_interval(a) - figure_interval(b)).intersects(figure_interval(r)):
                fits.append((a, b))
        if len(fits) == 1:
            a, b = fits[0]
            exact = EXACT.subtract(a.figure.base_value, b.figure.base_value) == r.figure.base_value
            proposals.append(Proposal("diff", r, (a, b), "remainder", (Evidence(word[0], line, word[1] + 1),),
                                      "high" if exact else "medium", True))
    return proposals


_LAST_YEAR = re.compile(r"(?:较|比|与)?(?:去年|上年|上一年|2[0-9]{3}年)(?:同期)?[(（]?$")


def _growths(line: int, text: str, figures: list[Found]) -> list[Proposal]:
    """A, 较去年（B） 增长C%: every figure of the pattern printed, in this order, in one clause run."""
    normal = normalize(text)
    proposals = []
    for index in range(2, len(figures)):
        a, b, c = figures[index - 2], figures[index - 1], figures[index]
        if c.unit.dimension != "ratio" or c.sign == 0 or b.sign != 0 or not (_usable(a) and _usable(b)):
            continue  # last year's figure carries no 增加/减少: that is a change (below)
        if a.unit.dimension != b.unit.dimension or a.unit.dimension == "ratio":
            continue
        between_ab = normal[a.end:b.column]
        between_bc = normal[b.end:c.column]
        if not _LAST_YEAR.search(between_ab.rstrip()) or len(between_ab) > 12 or len(between_bc) > 10:
            continue
        if re.search(r"[。；;]", between_ab + between_bc):
            continue
        word = _LAST_YEAR.search(between_ab.rstrip())
        evidence = (Evidence(word[0].strip("（("), line, a.end + word.start() + 1),)
        holds = _growth_holds(c, a, b)
        proposals.append(Proposal("growth", c, (a, b), "growth", evidence, "high", holds))
    return proposals


def _growths_by_change(line: int, text: str, figures: list[Found]) -> list[Proposal]:
    """"A，比上年增加X，增长C%": C = X / (A − X), last year being A − X (it is not printed)."""
    normal = normalize(text)
    proposals = []
    for index in range(2, len(figures)):
        a, x, c = figures[index - 2], figures[index - 1], figures[index]
        if c.unit.dimension != "ratio" or c.sign == 0 or x.sign == 0 or not (_usable(a) and _usable(x)):
            continue
        if a.unit.dimension != x.unit.dimension or a.unit.dimension == "ratio":
            continue
        between_ax, between_xc = normal[a.end:x.column], normal[x.end:c.column]
        if len(between_ax) > 10 or len(between_xc) > 6 or re.search(r"[。；;]", between_ax + between_xc):
            continue
        word = re.search(r"比上年|较上年|比去年|较去年|同比|增加|减少|增收|减收|增支|减支", normal[a.end:x.end])
        if word is None or not re.fullmatch(r"[，,]?\s*(?:(?:增长|提高|上升|提升)了?)?", between_xc):
            continue
        quotient = figure_interval(x).quotient(figure_interval(a) - figure_interval(x))
        holds = quotient is None or quotient.intersects(figure_interval(c))
        evidence = (Evidence(word[0], line, a.end + word.start() + 1),)
        proposals.append(Proposal("growth-change", c, (a, x), "growth against a printed change", evidence,
                                  "high", holds))
    return proposals


def _growth_holds(c: Found, a: Found, b: Found) -> bool:
    quotient = figure_interval(a).quotient(figure_interval(b))
    if quotient is None:
        return True
    growth = quotient - Interval.point(Decimal(1))
    return growth.intersects(figure_interval(c))


def _rates(line: int, text: str, figures: list[Found], labels: dict[Found, Label]) -> list[Proposal]:
    normal = normalize(text)
    proposals = []
    for index, r in enumerate(figures):
        if r.unit.dimension != "ratio" or r.sign:
            continue
        sentence = max(normal.rfind("。", 0, r.column), normal.rfind("；", 0, r.column)) + 1
        if labels[r].measure != "rate":
            proposals.extend(_count_rate(line, normal, r, figures[:index], sentence))
            continue
        before = [f for f in figures[:index] if f.column >= sentence and _usable(f) and f.unit.dimension in ("CNY", "USD")]
        budgets = [f for f in before if labels[f].measure in ("budget", "adjusted")]
        executed = [f for f in before if labels[f].measure in ("executed", "arranged", "amount")]
        if not budgets or not executed:
            proposals.extend(_count_rate(line, normal, r, figures[:index], sentence))
            continue
        b, e = budgets[-1], executed[-1]
        if b is e or e.unit.dimension != b.unit.dimension:
            continue
        quotient = figure_interval(e).quotient(figure_interval(b))
        if quotient is None or not quotient.intersects(figure_interval(r)):
            continue
        word = _word_near(normal, sentence, r.column, ("执行率", "执行进度", "完成率", "预算的", "完成"))
        if word is None:
            continue
        proposals.append(Proposal("rate", r, (e, b), "rate", (Evidence(word[0], line, word[1] + 1),), "medium", True))
    return proposals


_OVERRUN = re.compile(r"(超出预算|超预算|超收|短收|少收)(?:部分)?了?$")


def _rates_by_overrun(line: int, text: str, figures: list[Found]) -> list[Proposal]:
    """"完成A，超预算X，为预算的R%": R = A / (A − X), the budget (not printed) being A − X;
    a shortfall (短收X) is a negative X. Proposed whether or not it holds: the words name all three."""
    normal = normalize(text)
    proposals = []
    for index in range(2, len(figures)):
        a, x, r = figures[index - 2], figures[index - 1], figures[index]
        if r.unit.dimension != "ratio" or r.sign or not (_usable(a) and _usable(x)):
            continue
        if a.unit.dimension != x.unit.dimension or a.unit.dimension not in ("CNY", "USD"):
            continue
        word = _OVERRUN.search(normal[_clause_before(normal, x.column):x.column])
        rate_word = re.search(r"预算的|执行率|完成率", normal[x.end:r.column])
        if word is None or rate_word is None or re.search(r"[。；;]", normal[a.end:r.column]):
            continue
        if len(normal[a.end:x.column]) > 12 or len(normal[x.end:r.column]) > 12:
            continue
        change = x
        if word[1] in ("短收", "少收") and x.sign == 0:
            continue  # a shortfall the grammar does not read as negative: let a reviewer write it
        quotient = figure_interval(a).quotient(figure_interval(a) - figure_interval(change))
        holds = quotient is None or quotient.intersects(figure_interval(r))
        column = _clause_before(normal, x.column) + word.start() + 1
        proposals.append(Proposal("rate-change", r, (a, x), "rate against a printed overrun",
                                  (Evidence(word[1], line, column),), "high", holds))
    return proposals


def _count_rate(line: int, normal: str, r: Found, before: list[Found], sentence: int) -> list[Proposal]:
    """"12家企业申报，8家企业获得支持，支持率超过66.6%": a 率 of the two figures of one kind before it."""
    word = re.search(r"[^，,。；;]*率", normal[_clause_before(normal, r.column):r.column])
    same = [f for f in before if f.column >= sentence and _usable(f)]
    if word is None or len(same) != 2 or same[0].unit.dimension != same[1].unit.dimension:
        return []
    whole, part = same
    if part.figure.base_value > whole.figure.base_value:
        return []
    quotient = figure_interval(part).quotient(figure_interval(whole))
    if quotient is None or not quotient.intersects(figure_interval(r)):
        return []
    column = _clause_before(normal, r.column) + word.end()
    return [Proposal("rate", r, (part, whole), "rate of two counts", (Evidence("率", line, column),), "medium", True)]


def propose(lines: Sequence[str], found: Sequence[Found], labels: dict[Found, Label],
            outline: Outline) -> list[Proposal]:
    """Every relation the text of ``lines`` suggests among the figures ``found``."""
    _INTERVALS.clear()
    by_line: dict[int, list[Found]] = {}
    for f in found:
        by_line.setdefault(f.line, []).append(f)
    proposals: list[Proposal] = []
    for number, figures in by_line.items():
        text = lines[number - 1]
        if text.startswith("\t"):
            continue
        proposals.extend(_chains(number, text, figures))
        proposals.extend(_restated(number, text, figures))
        proposals.extend(_adjacent(number, text, figures, labels))
        brackets = _brackets(number, text, figures)
        proposals.extend(brackets)
        proposals.extend(_parallel(number, text, figures, labels, brackets))
        proposals.extend(_enumerations(number, text, figures))
        proposals.extend(_label_lists(number, text, figures, labels))
        proposals.extend(_partial(number, text, figures))
        proposals.extend(_chains_of_partials(number, text, figures, labels))
        proposals.extend(_among_before(number, text, figures))
        proposals.extend(_removals(number, text, figures))
        proposals.extend(_remainders(number, text, figures))
        proposals.extend(_growths(number, text, figures))
        proposals.extend(_growths_by_change(number, text, figures))
        proposals.extend(_rates_by_overrun(number, text, figures))
        proposals.extend(_rates(number, text, figures, labels))
    proposals.extend(_lists(lines, by_line, outline))
    proposals.extend(_titles_again(lines, by_line, outline))
    proposals.extend(_tables(lines, by_line, outline))
    proposals.extend(_line_runs(lines, by_line, outline))
    proposals.extend(_besides(lines, by_line, outline))
    proposals.extend(_named_items(lines, by_line, outline, proposals))
    # one proposal per total and parts: the first method that found it (same-line structure first);
    # a total may have two breakdowns (地上 + 地下, and 教学楼 + 风雨操场 + 传达室)
    seen: set[tuple] = set()
    kept = []
    for p in proposals:
        key = (p.total.line, p.total.column, frozenset((f.line, f.column) for f in p.parts))
        if key in seen:
            continue
        seen.add(key)
        kept.append(p)
    _INTERVALS.clear()
    return sorted(kept, key=lambda p: (p.total.line, p.total.column))
