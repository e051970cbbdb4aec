"""Long lists composed in batches (inputs/batches.py) read exactly as the whole file composed at once.

The batched path is taken only by files of a megabyte and more; here both sizes are made
small, so that a case of a few nodes is cut into many pieces, and every load is made twice:
batched and whole. The two must give equal cases, or the same problems, byte for byte:
each problem's line and column is where a whole-file compose puts it, including problems
inside the Nth item of a list, on the first line of a batch, and YAML that does not parse.
"""

from __future__ import annotations

import weakref
from contextlib import contextmanager

from hypothesis import given, settings
from hypothesis import strategies as st

import fiscalcheck.inputs.batches as batches
import fiscalcheck.inputs.casefile as casefile
from fiscalcheck.errors import CaseError
from fiscalcheck.inputs import loads


@contextmanager
def sizes(batch: int, least: int):
    saved = batches.BATCH, casefile.BATCHED_FROM
    batches.BATCH, casefile.BATCHED_FROM = batch, least
    try:
        yield
    finally:
        batches.BATCH, casefile.BATCHED_FROM = saved


def outcome(text: str, batch: int | None) -> object:
    """The case, or the problem lines, of ``text`` loaded batched (``batch`` characters) or whole (None)."""
    with sizes(batch or 1, 0 if batch else 10**12):
        try:
            return loads(text, "/tmp/case.yaml")
        except CaseError as error:
            return [str(p) for p in error.problems]


def batched_pieces(text: str, batch: int) -> int:
    """How many pieces the batched path cuts ``text`` into (0: it composes the whole file)."""
    with sizes(batch, 0):
        plan = batches._plan(text, batch)
        if plan is None or not batches._valid(plan):
            return 0

        def count(cut) -> int:
            return sum(1 + (count(p.children) if isinstance(p, batches._Node) else 0) for p in cut.parts)
        return sum(count(cut) for cut in plan.lists)


# -- a generator of block-style case files -------------------------------------------------
MISTAKES = (
    "  labl: typo",  # an unknown key
    "  measures: {budget: 12x万元 @1}",  # a figure that does not parse
    "  measures: {budget: 12万元 @0}",  # a line number out of range
    "  label: \"an unclosed quote",  # YAML that does not parse
    "  label: [an, unclosed, flow",
    "  - stray: item",  # a sequence where a key belongs
    "  id: dup",  # a duplicate key (with the id above)
    "\tlabel: tab",  # a tab where YAML forbids it
    "  children: []",  # a second children key
    "  label: &anchor x",  # an anchor
    "  label: '*not an alias'",
    "---",  # a document marker
)


@st.composite
def case_texts(draw) -> str:
    """A case file whose nodes are nested block lists, with comments, blank lines, keys after
    ``children:``, flow items, statements and relations, and sometimes one mistake in some item."""
    step = draw(st.sampled_from([2, 4]))
    count = draw(st.integers(1, 30))
    parents = [None] + [draw(st.integers(0, i - 1)) for i in range(1, count)]
    kids: dict[int, list[int]] = {i: [] for i in range(count)}
    for index, parent in enumerate(parents):
        if parent is not None:
            kids[parent].append(index)
    mistake_at = draw(st.none() | st.integers(0, count - 1))
    mistake = draw(st.sampled_from(MISTAKES))
    lines = ["case: gen", "sources:", "  r: {path: report.txt, text: none}", "nodes:"]
    if draw(st.booleans()):
        lines.append("# the funds")
    line_no = [0]

    def figure() -> str:
        line_no[0] += 1
        return f"{draw(st.integers(1, 999))}万元 @{line_no[0]}"

    def write(index: int, indent: int) -> None:
        pad = " " * indent
        if draw(st.integers(0, 9)) == 0 and not kids[index]:  # a flow item
            lines.append(f"{pad}- {{id: n{index}, measures: {{budget: {figure()}}}}}")
            return
        lines.append(f"{pad}- id: n{index}")
        inner = pad + "  "
        if draw(st.booleans()):
            lines.append(f"{inner}label: 项目{index}")
        lines.append(f"{inner}measures:")
        lines.append(f"{inner}  budget: {figure()}")
        if index == mistake_at:
            lines.append(mistake.replace("  ", inner, 1) if not mistake.startswith(("\t", "---")) else mistake)
        if kids[index]:
            lines.append(f"{inner}children:")
            below = indent + draw(st.sampled_from([2, step, step + 2]))  # at the key's column or deeper
            for kid in kids[index]:
                if draw(st.integers(0, 5)) == 0:
                    lines.append(draw(st.sampled_from(["", f"{inner}# a comment", "# a comment at column 0"])))
                write(kid, below)
            if draw(st.booleans()):
                lines.append(f"{inner}partial: true")

    write(0, step)
    if draw(st.booleans()):
        lines.append("statements:")
        for index in draw(st.lists(st.integers(0, count - 1), max_size=5)):
            lines.append(f"  - {{node: n{index}, measure: executed, printed: {draw(st.integers(1, 99))}万元, line: 1}}")
    if draw(st.booleans()):
        lines.append("relations:")
        for index in draw(st.lists(st.integers(0, count + 2), max_size=8)):
            lines.append(f"  - {{le: [n{index}.budget, n0.budget]}}")
    lines.append(draw(st.sampled_from(["", "title: after the lists"])))
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None)
@given(case_texts(), st.integers(20, 400))
def test_a_case_read_in_batches_is_the_case_read_whole(text, batch):
    assert outcome(text, batch) == outcome(text, None)


def test_the_batched_path_is_taken_and_cuts_nested_children():
    text = "\n".join(["case: c", "sources:", "  r: {path: report.txt, text: none}", "nodes:", "  - id: top",
                      "    measures: {budget: 1万元 @1}", "    children:",
                      *(f"      - id: n{i}\n        measures: {{budget: 1万元 @{i + 2}}}" for i in range(40)),
                      "    partial: true", "relations:",
                      *(f"  - {{le: [n{i}.budget, top.budget]}}" for i in range(40))]) + "\n"
    assert batched_pieces(text, 100) > 20  # the top node's children cut, and the relations
    assert outcome(text, 100) == outcome(text, None)


def test_a_problem_on_the_first_line_of_a_batch_is_located_in_the_file():
    items = [f"  - id: n{i}\n    measures: {{budget: 1万元 @{i + 1}}}" for i in range(30)]
    items[17] = "  - id: n17\n    measures: {budget: 1万元 @0}"
    text = "\n".join(["case: c", "sources:", "  r: {path: report.txt, text: none}", "nodes:", *items]) + "\n"
    line = 4 + 2 * 17 + 2  # the measures line of the 18th item
    for batch in (40, 50, 60, 70, 80, 200):  # item 17 first, last or inside its batch
        assert batched_pieces(text, batch) > 1
        problems = outcome(text, batch)
        assert problems == outcome(text, None)
        assert problems == [f"/tmp/case.yaml:{line}:24: expected a line number after '@' (1 to 999999999), got '0'"]


def test_yaml_that_does_not_parse_gets_the_whole_file_error():
    items = [f"  - id: n{i}\n    label: ok" for i in range(30)]
    items[12] = '  - id: n12\n    label: "unclosed'
    text = "\n".join(["case: c", "sources:", "  r: {path: report.txt, text: none}", "nodes:", *items]) + "\n"
    assert batched_pieces(text, 60) == 0  # refused by the check before reading: composed whole
    problems = outcome(text, 60)
    assert problems == outcome(text, None) and len(problems) == 1 and "not valid YAML" in problems[0]


def test_each_batch_is_composed_when_reached_and_each_item_freed_once_read(monkeypatch):
    items = [f"  - id: n{i}\n    measures: {{budget: 1万元 @{i + 1}}}" for i in range(60)]
    text = "\n".join(["case: c", "sources:", "  r: {path: report.txt, text: none}", "nodes:", *items]) + "\n"
    composed = []
    compose = batches._compose
    monkeypatch.setattr(batches, "_compose", lambda piece, place: composed.append(piece) or compose(piece, place))
    with sizes(100, 0):
        ok, root = batches.compose_case(text, "/tmp/case.yaml", [])
    (nodes,) = [value for key, value in root.value if key.value == "nodes"]
    assert ok and isinstance(nodes, batches.Batched) and len(composed) == 1  # the head only
    read = iter(nodes.value)
    item = next(read)
    assert len(composed) == 2 and composed[-1].count("\n  - ") < 5  # and the first batch
    first = weakref.ref(item)
    del item
    assert first() is None  # nothing but the reader holds an item: no whole node tree
    assert len(list(read)) == 59 and len(composed) > 10


def test_the_loader_reads_a_file_in_batches_from_its_size_on(monkeypatch):
    """casefile.BATCHED_FROM decides: a file that long goes to the batched reader, one character
    shorter is composed whole (and the batched reader is not needed)."""
    text = "\n".join(["case: c", "sources:", "  r: {path: report.txt, text: none}", "nodes:",
                      *(f"  - id: n{i}\n    measures: {{budget: 1万元 @{i + 1}}}" for i in range(30))]) + "\n"
    batched = []
    real = batches.compose_case
    monkeypatch.setattr(batches, "compose_case", lambda *args: batched.append(len(args[0])) or real(*args))
    monkeypatch.setattr(batches, "BATCH", 100)
    monkeypatch.setattr(casefile, "BATCHED_FROM", len(text))
    read_batched = loads(text, "/tmp/case.yaml")
    assert batched == [len(text)]
    monkeypatch.setattr(casefile, "BATCHED_FROM", len(text) + 1)
    assert loads(text, "/tmp/case.yaml") == read_batched
    assert batched == [len(text)]
