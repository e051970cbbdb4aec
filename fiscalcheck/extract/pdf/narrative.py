"""The 情况说明 against the tables: its figures as more printings of the tables' figures.

The narrative of a department's accounts follows a prescribed wording: "本年收入合计
X万元，其中：财政拨款收入 Y万元，占 Z%", "年初预算为 A万元，支出决算为 B万元，完成年初
预算的 R%", "X（类）Y（款）Z（项）… 决算数小于预算数", "减少 C万元，下降 P%". Each money
figure is attached by the words just before it to the table figure it restates
(a second statement of the same measure, so ``statements-agree`` compares them
across units: the narrative prints 万元 where tables may print 元), and the
words around percentages and comparisons become relations:

* ``占 Z%`` — a share of the sentence's first figure (or of the figure it names: 占本年支出合计的);
* ``完成(年初)预算的 R%`` — a rate, executed / budget, of the subject;
* ``决算数小于/大于预算数``, ``基本持平`` — a comparison of the subject's two figures;
* ``增加/减少 C万元，增长/下降 P%`` — P = C / (this year ∓ C), an invariant over the printed figures
  (last year's figure is not printed: it is this year's minus the change).

Everything is matched on the words of the forms (``SUBJECTS``), never on a report's figures.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import attrs

from ...record import Record
from ...rules import Invariant
from ...figures import FigureError
from ...model import Node, Ref, Relation, Statement
from .pages import Document
from .standard import bare_label

__all__ = ["narrate", "SUBJECTS"]

SOURCE = "pdf"


@attrs.frozen(repr=False, eq=False)
class Subject(Record):
    """What a phrase names: a node, and the measures of its executed figure, budget and rate."""

    node: str
    executed: str
    budget: str = "budget"
    rate: str = "rate"


#: Phrases of the forms and the figure each names (the longest phrase that ends the clause wins).
SUBJECTS: tuple[tuple[str, Subject], ...] = (
    ("财政拨款收入支出总计", Subject("fiscal-grand-in", "amount")),
    ("收入支出总计", Subject("summary-grand-in", "amount")),
    ("本年收入合计", Subject("summary-income-total", "amount")),
    ("本年支出合计", Subject("summary-spending-total", "amount")),
    ("年初结转和结余", Subject("summary-opening", "amount")),
    ("年末结转和结余", Subject("summary-closing", "amount")),
    ("一般公共预算财政拨款基本支出", Subject("general-total", "basic")),
    ("一般公共预算财政拨款项目支出", Subject("general-total", "project")),
    ("一般公共预算财政拨款支出", Subject("general-total", "total")),
    ("财政拨款收入", Subject("income-total", "fiscal")),
    ("上级补助收入", Subject("income-total", "higher")),
    ("事业收入", Subject("income-total", "business")),
    ("经营收入", Subject("income-total", "operating")),
    ("附属单位上缴收入", Subject("income-total", "affiliated")),
    ("其他收入", Subject("income-total", "other")),
    ("基本支出", Subject("spending-total", "basic")),
    ("项目支出", Subject("spending-total", "project")),
    ("上缴上级支出", Subject("spending-total", "remit")),
    ("经营支出", Subject("spending-total", "operating")),
    ("对附属单位补助支出", Subject("spending-total", "subsidy")),
    ("人员经费", Subject("basic-personnel", "amount")),
    ("公用经费", Subject("basic-public", "amount")),
    ("三公经费财政拨款支出", Subject("sanggong", "total_executed", "total_budget", "total_rate")),
    ("三公经费", Subject("sanggong", "total_executed", "total_budget", "total_rate")),
    ("因公出国（境）费", Subject("sanggong", "abroad_executed", "abroad_budget", "abroad_rate")),
    ("公务用车购置及运行维护费", Subject("sanggong", "vehicles_executed", "vehicles_budget", "vehicles_rate")),
    ("公务用车购置及运行费", Subject("sanggong", "vehicles_executed", "vehicles_budget", "vehicles_rate")),
    ("公务用车购置费", Subject("sanggong", "purchase_executed", "purchase_budget", "purchase_rate")),
    ("公务用车运行维护费", Subject("sanggong", "running_executed", "running_budget", "running_rate")),
    ("公务接待费", Subject("sanggong", "reception_executed", "reception_budget", "reception_rate")),
)
_SUBJECTS = sorted(SUBJECTS, key=lambda s: -len(s[0]))

MONEY = re.compile(r"(?<![0-9.])([0-9][0-9,]*(?:\.[0-9]+)?)(万元|亿元|千元|元)")
PERCENT = re.compile(r"(?<![0-9.])(-?[0-9]+(?:\.[0-9]+)?)%")
CLAUSE_END = re.compile(r"[，,。；;：:、]")
PATH = re.compile(r"([^，。；：、（）0-9]+)（类）([^，。；：、（）0-9]+)（款）([^，。；：、（）0-9]+)（项）")
BUDGET_WORDS = ("年初预算数为", "年初预算为", "预算数为", "预算为", "年初预算")
EXECUTED_WORDS = ("支出决算数为", "支出决算为", "决算数为", "决算为", "支出决算")
CHANGE_WORDS = {"增加": 1, "增长": 1, "减少": -1, "下降": -1}
COMPARISONS = (("决算数小于预算数", "lt"), ("决算数大于预算数", "gt"), ("决算数与预算数基本持平", "eq"),
               ("决算数与预算数持平", "eq"), ("决算数等于预算数", "eq"))
HEADING = re.compile(r"(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
_QUOTES = re.compile(r"[“”\"‘’]")


@attrs.frozen(repr=False, eq=False)
class _Stream(Record):
    """The narrative as one string, and the line each character was printed on."""

    text: str
    lines: tuple[int, ...]

    def line(self, offset: int) -> int:
        return self.lines[min(offset, len(self.lines) - 1)]


def _stream(document: Document) -> _Stream:
    text: list[str] = []
    lines: list[int] = []
    for line in document.lines:
        body = _QUOTES.sub("", line.text)
        if text and HEADING.match(body):  # a heading ends the sentence before it, printed 。 or not
            text.append("。")
            lines.append(line.number)
        if text and body and text[-1][-1:].isdigit() and body[0].isdigit():
            text.append(" ")
            lines.append(line.number)
        text.append(body)
        lines.extend([line.number] * len(body))
    return _Stream("".join(text), tuple(lines))


class _Narrator:
    def __init__(self, document: Document, nodes: Mapping[str, Node], relations: Sequence[Relation]):
        self.nodes = dict(nodes)
        self.relations = list(relations)
        self.invariants: list[Invariant] = []
        self.problems: list[str] = []
        self.file = document.path
        self.document = document

    def has(self, node: str, measure: str) -> bool:
        return node in self.nodes and measure in self.nodes[node].measures

    def attach(self, node: str, measure: str, printed: str, line: int) -> Ref | None:
        """One more printing of ``node.measure``: the narrative's, with its line."""
        if node not in self.nodes:
            return None
        try:
            statement = Statement.of(printed, line=line, source=SOURCE)
        except FigureError as error:
            self.problems.append(f"{self.file} line {line}: {error}")
            return None
        target = self.nodes[node]
        measures = dict(target.measures)
        measures[measure] = measures.get(measure, ()) + (statement,)
        self.nodes[node] = attrs.evolve(target, measures=measures)
        return Ref(node, measure)

    def own(self, printed: str, line: int, measure: str, label: str) -> Ref:
        """A narrative figure no table prints: a node of its own, so relations can name it."""
        node_id, n = f"narrative-{line}", 2
        while node_id in self.nodes and measure in self.nodes[node_id].measures:
            node_id, n = f"narrative-{line}-{n}", n + 1
        if node_id not in self.nodes:
            self.nodes[node_id] = Node(node_id, label=label, kind="narrative", tags=("department", "narrative"))
        self.attach(node_id, measure, printed, line)
        return Ref(node_id, measure)

    def relate(self, kind: str, target: Ref, operands: Sequence[Ref], note: str, severity: str | None = None) -> None:
        if all(self.has(r.node, r.measure) for r in (target, *operands)):
            self.relations.append(Relation(kind, target, tuple(operands), note=note, severity=severity))


def _subject(clause: str, nodes: Mapping[str, Node]) -> Subject | None:
    clause = clause.strip()
    for phrase, subject in _SUBJECTS:
        if clause.endswith(phrase) and subject.node in nodes:
            return subject
    if clause.endswith("（类）"):
        label = clause[: -len("（类）")]
        for prefix in ("general-", "spending-"):
            for node_id, node in nodes.items():
                if node_id.startswith(prefix) and "class" in node.tags and bare_label(node.label) == label:
                    return Subject(node_id, "total")
    return None


def _item(match: re.Match, nodes: Mapping[str, Node]) -> Subject | None:
    """The row of table 5 (or 3) that a "X（类）Y（款）Z（项）" path names."""
    names = [g.strip() for g in match.groups()]
    for prefix in ("general-", "spending-"):
        for node_id, node in nodes.items():
            if not node_id.startswith(prefix) or "item" not in node.tags or node.label != names[2]:
                continue
            code = node_id[len(prefix):]
            section = nodes.get(prefix + code[:5])
            klass = nodes.get(prefix + code[:3])
            if section and klass and section.label == names[1] and bare_label(klass.label) == names[0]:
                return Subject(node_id, "total")
    return None


def narrate(document: Document, nodes: Mapping[str, Node], relations: Sequence[Relation]):
    """The nodes with the narrative's printings added, the relations and invariants its words state."""
    narrator = _Narrator(document, nodes, relations)
    stream = _stream(document)
    text = stream.text
    tokens = sorted([(m.start(), "money", m) for m in MONEY.finditer(text)]
                    + [(m.start(), "percent", m) for m in PERCENT.finditer(text)]
                    + [(m.start(), "path", m) for m in PATH.finditer(text)], key=lambda t: t[0])
    current: Subject | None = None   # the subject of 年初预算为/支出决算为 and of 完成预算的
    sentence_start = 0
    head: Ref | None = None          # the first figure of the sentence: what 占 X% is a share of
    last: Ref | None = None          # the figure just before: the part of 占 X%, the base of a change
    change: tuple[Ref, int, Ref | None] | None = None
    for start, what, match in tokens:
        sentence = text.rfind("。", 0, start) + 1
        if sentence != sentence_start:
            sentence_start, head, last, change = sentence, None, None, None
        clause_from = max(sentence, max((m.end() for m in CLAUSE_END.finditer(text, sentence, start)), default=sentence))
        clause = text[clause_from:start]
        line = stream.line(start)
        if what == "path":
            current = _item(match, narrator.nodes)
            continue
        if what == "money":
            printed = match.group(0).replace(",", "")
            ref = None
            words = clause.rstrip()
            kind = None
            for word in BUDGET_WORDS:
                if words.endswith(word):
                    kind, words = "budget", words[: -len(word)]
                    break
            else:
                for word in EXECUTED_WORDS:
                    if words.endswith(word):
                        kind, words = "executed", words[: -len(word)]
                        break
                else:
                    for word, sign in CHANGE_WORDS.items():
                        if words.endswith(word):
                            kind = "change"
                            ref = narrator.own(printed, line, "change", clause.strip())
                            named = _subject(words[: -len(word)], narrator.nodes)
                            base = Ref(named.node, named.executed) if named is not None else last
                            change = (ref, sign, base)
                            break
            if kind in ("budget", "executed"):
                subject = _subject(words, narrator.nodes) if words.strip() else None
                if subject is not None:
                    current = subject
                if current is not None:
                    measure = current.budget if kind == "budget" else current.executed
                    ref = narrator.attach(current.node, measure, printed, line)
            elif kind is None:
                subject = _subject(words, narrator.nodes)
                if subject is not None:
                    ref = narrator.attach(subject.node, subject.executed, printed, line)
                else:
                    ref = narrator.own(printed, line, "amount", clause.strip())
            if kind != "change":
                last = ref
                if head is None:
                    head = ref
            continue
        # a percentage: a share, a rate of execution, or a growth rate
        printed = match.group(0)
        words = clause.rstrip()
        if words.endswith(("增长", "下降", "增加", "减少")) and change is not None:
            amount, sign, base = change
            rate = narrator.own(printed, line, "rate", clause.strip())
            if base is not None:
                op = "-" if sign > 0 else "+"
                expr = (f"${rate.node}.rate == ${amount.node}.change / "
                        f"(${base.node}.{base.measure} {op} ${amount.node}.change)")
                narrator.invariants.append(Invariant.of(
                    f"growth-{line}", expr,
                    description=f"{words[-2:]} {printed}: the change over last year's figure "
                                f"(this year's {'minus' if sign > 0 else 'plus'} the change), line {line}",
                    severity="warning"))
            continue
        if "预算的" in words or words.endswith("完成"):
            if current is not None and narrator.has(current.node, current.budget):
                ref = narrator.own(printed, line, "rate", clause.strip())
                budget = narrator.nodes[current.node].measures[current.budget]
                blank = all(s.printed == "" for s in budget)  # no budget printed: a rate of nothing
                narrator.relate("rate", ref, [Ref(current.node, current.executed), Ref(current.node, current.budget)],
                                f"完成预算的 {printed}, line {line}: executed / budget"
                                + (" (the table leaves the budget blank)" if blank else ""),
                                severity="info" if blank else None)
            continue
        if "占" in words:
            base = head
            named = re.search(r"占(.+?)的?$", words)
            if named and named.group(1).rstrip("的"):
                subject = _subject(named.group(1).rstrip("的"), narrator.nodes)
                if subject is not None:
                    base = Ref(subject.node, subject.executed)
            if last is not None and base is not None and base != last:
                ref = narrator.own(printed, line, "share", clause.strip())
                narrator.relate("share", ref, [last, base], f"占 {printed}, line {line}: a share of the sentence's total")
            continue
    # 决算数小于/大于预算数, 基本持平: the comparison the words make of the item named before them
    current = None
    for start, what, match in sorted([(m.start(), "path", m) for m in PATH.finditer(text)]
                                     + [(i, phrase, op) for phrase, op in COMPARISONS
                                        for i in _all(text, phrase)], key=lambda t: t[0]):
        if what == "path":
            current = _item(match, narrator.nodes)
            continue
        if current is None:
            sentence = text.rfind("。", 0, text.rfind("。", 0, start)) + 1
            clause = text[sentence:start]
            if "三公" in clause and "sanggong" in narrator.nodes:
                current = Subject("sanggong", "total_executed", "total_budget")
            elif "一般公共预算财政拨款支出" in clause:
                current = Subject("general-total", "total")
        if current is not None:
            op = match
            narrator.relate(op, Ref(current.node, current.executed), [Ref(current.node, current.budget)],
                            f"“{what}”, line {stream.line(start)}")
            current = None
    return narrator.nodes, narrator.relations, narrator.invariants, narrator.problems


def _all(text: str, phrase: str) -> list[int]:
    found, i = [], text.find(phrase)
    while i >= 0:
        found.append(i)
        i = text.find(phrase, i + 1)
    return found
