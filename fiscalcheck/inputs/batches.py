"""A large case file's long lists composed a batch at a time, so its YAML node tree is never whole.

PyYAML composes a file into nodes that each hold two marks: a 26 MB case of 10^5 nodes
makes ~600 MiB of them, all alive while the file is read (issue 9). A case file's bulk
is in a few block lists read one item at a time: ``nodes:`` (and the ``children:`` of a
large node), ``statements:``, ``relations:`` and ``transfers:``. This module cuts those
lists out of the text by lines and composes their items in batches of about
:data:`BATCH` characters, each read and dropped before the next is composed. The rest
of the file, its *head*, is composed once, with each list's value replaced by a
:class:`Batched` sequence that composes its items as they are iterated.

A piece of text composed alone is named by a :class:`Place` (PyYAML puts the stream's
name in every mark), which maps the piece's lines back to the file's: ``Reader.at``
gives the line and column a whole-file compose gives.

A cut is made only where it cannot change what the file means: no tabs, other line
breaks, byte-order mark, document markers, directives, anchors or aliases in the file;
each list a block sequence whose items start ``- `` at one column. And before anything
is read, every piece is parsed (events only: cheap) and checked to be exactly what the
cut assumed: a block sequence with one item per ``- `` line, a head whose cut keys each
have an empty value, no nesting near libyaml's limit. Otherwise, or when a piece does
not parse, the file is composed whole as before, so a file that is not valid YAML gets
exactly the error a whole-file compose gives.
"""

from __future__ import annotations

import io
import re
from bisect import bisect_right, insort
from collections.abc import Iterator

import attrs
import yaml

from ..errors import Problem
from ..record import Record
from .located import _Loader, bad_character, compose

__all__ = ["compose_case", "Batched", "Place", "BATCH"]

#: About how many characters of list items are composed at once (~12 MiB of nodes).
BATCH = 512 * 1024
#: The top-level lists read one item at a time; and the lists whose large items are nodes with children.
TOP_LISTS = ("nodes", "statements", "relations", "transfers")
NODE_LISTS = ("nodes", "children")
#: How many levels of ``children:`` are cut out of large nodes, and how deep a piece may nest: together
#: far below libyaml's limit (1000), so no piece parses where the whole file would not.
MAX_LEVELS = 32
MAX_DEPTH = 400

_REFUSED = re.compile("[\t\r\x85\u2028\u2029\ufeff&*]")
_MARKERS = re.compile(r"^(?:---|\.\.\.|%)", re.M)
_TOP_KEY = re.compile(rf"\n({'|'.join(TOP_LISTS)}):[ ]*\n")  # each pattern begins with a line break, which
_CONTENT = re.compile(r"\n( *)([^ \n#])")  # re finds fast: the next line neither blank nor a comment
_ITEMS: dict[int, re.Pattern[str]] = {}
_ENDS: dict[int, re.Pattern[str]] = {}
_CHILDREN: dict[int, re.Pattern[str]] = {}


class Place:
    """Where the lines of a piece composed alone stand in the file (the name of every mark of the piece)."""

    __slots__ = ("starts", "lines")

    def __init__(self, starts: list[int], lines: list[int]):
        self.starts = starts  # the piece line each run of file lines begins at
        self.lines = lines  # the file line (from 0) it is

    def line(self, line: int) -> int:
        """The file line (from 0) of the piece's ``line``."""
        run = bisect_right(self.starts, line) - 1
        return self.lines[run] + line - self.starts[run]


class _Lines:
    """Line numbers of offsets in a text, counted once from the nearest offset already known."""

    def __init__(self, text: str):
        self.text = text
        self.offsets = [0]
        self.numbers = {0: 0}

    def of(self, offset: int) -> int:
        known = self.offsets[bisect_right(self.offsets, offset) - 1]
        number = self.numbers[known] + self.text.count("\n", known, offset)
        if offset not in self.numbers:
            insort(self.offsets, offset)
            self.numbers[offset] = number
        return number


@attrs.frozen(repr=False, eq=False)
class _Batch(Record):
    """Items of a list composed together: ``count`` ``- `` lines at ``column`` from ``start`` to ``end``."""

    start: int
    end: int
    column: int
    count: int


@attrs.frozen(repr=False, eq=False)
class _List(Record):
    """A block list cut out of the text, as batches and large nodes, in the order written."""

    column: int
    start: int
    parts: tuple  # of _Batch and _Node


@attrs.frozen(repr=False, eq=False)
class _Node(Record):
    """A large node item: its lines but those of its ``children:`` list (at ``key``), composed alone."""

    ranges: tuple[tuple[int, int], ...]
    column: int
    key: int  # the offset of the 'children:' line
    key_column: int
    children: _List


@attrs.frozen(repr=False, eq=False)
class _Plan(Record):
    text: str
    lines: _Lines
    head: tuple[tuple[int, int], ...]
    keys: tuple[tuple[int, str], ...]  # (offset of the key line, key) of each list cut from the head
    lists: tuple[_List, ...]


def compose_case(text: str, path: str, problems: list[Problem]) -> tuple[bool, yaml.Node | None]:
    """The node tree of a large case file, as :func:`~.located.compose` gives it, with long lists :class:`Batched`.

    The loader calls this for a file of :data:`~.casefile.BATCHED_FROM` characters or more. One
    whose lists cannot be cut safely (see the module's docstring) is composed whole.
    (:data:`BATCH` is read here, so a test can make it small.)
    """
    batch = BATCH
    if not hasattr(yaml, "CSafeLoader") or _REFUSED.search(text) or _MARKERS.search(text):
        return compose(text, path, problems)
    refused = bad_character(text, path)
    if refused is not None:
        problems.append(refused)
        return False, None
    plan = _plan(text, batch)
    if plan is None or not _valid(plan):
        return compose(text, path, problems)
    return True, _head(plan)


# -- cutting ---------------------------------------------------------------
def _plan(text: str, batch: int) -> _Plan | None:
    lines = _Lines(text)
    lists: list[_List] = []
    keys: list[tuple[int, str]] = []
    head: list[tuple[int, int]] = []
    at = 0
    for line, key, after in _top_keys(text):
        if line < at:
            continue
        found = _list(text, after, 0, batch, key in NODE_LISTS, 0)
        if found is None:
            continue
        cut, end = found
        head.append((at, cut.start))
        keys.append((line, key))
        lists.append(cut)
        at = end
    if not lists:
        return None
    head.append((at, len(text)))
    return _Plan(text, lines, tuple(head), tuple(keys), tuple(lists))


def _top_keys(text: str) -> Iterator[tuple[int, str, int]]:
    """(offset of the line, key, offset of its line break) of each top-level ``nodes:`` line and the like."""
    first = _TOP_KEY.match("\n" + text[:64])
    if first is not None:
        yield 0, first[1], first.end() - 2
    for match in _TOP_KEY.finditer(text):
        yield match.start() + 1, match[1], match.end() - 1


def _list(text: str, after: int, least: int, batch: int, nodes: bool, level: int) -> tuple[_List, int] | None:
    """The block list whose first item follows the line break at ``after``, at a column from ``least``; and its end."""
    first = _CONTENT.search(text, after)
    if first is None or first[2] != "-" or not text.startswith("- ", first.start(2)) \
            or text[first.end(2) + 1:first.end(2) + 2] in ("", " ", "\n"):
        return None
    column = len(first[1])
    if column < least:
        return None
    start = first.start() + 1
    ends = _ENDS.get(column) or _ENDS.setdefault(column, re.compile(
        rf"\n(?! *(?:#|\n|$))(?! {{{column + 1}}})(?! {{{column}}}- )"))
    stop = ends.search(text, start)
    end = stop.start() + 1 if stop else len(text)
    items = _ITEMS.get(column) or _ITEMS.setdefault(column, re.compile(rf"\n {{{column}}}- "))
    starts = [start, *(m.start() + 1 for m in items.finditer(text, start, end))]
    starts.append(end)
    parts: list = []
    first_item, count = start, 0
    for index, (item, following) in enumerate(zip(starts, starts[1:])):
        large = nodes and following - item > batch and level < MAX_LEVELS
        node = _node(text, item, following, column, batch, level) if large else None
        if node is None:
            count += 1
            if starts[index + 1] - first_item >= batch or index + 2 == len(starts):
                parts.append(_Batch(first_item, following, column, count))
                first_item, count = following, 0
            continue
        if count:
            parts.append(_Batch(first_item, item, column, count))
        parts.append(node)
        first_item, count = following, 0
    return _List(column, start, tuple(parts)), end


def _node(text: str, start: int, end: int, column: int, batch: int, level: int) -> _Node | None:
    """A large item cut around its block ``children:`` list; ``None`` when it has none to cut."""
    inner = column + 2
    while text[start + inner:start + inner + 1] == " ":
        inner += 1
    pattern = _CHILDREN.get(inner) or _CHILDREN.setdefault(inner, re.compile(rf"\n {{{inner}}}children:[ ]*\n"))
    key = pattern.search(text, start, end)
    if key is None:
        return None
    found = _list(text, key.end() - 1, inner, batch, True, level + 1)
    if found is None:
        return None
    children, stop = found
    if stop > end:
        return None
    ranges = ((start, children.start), (stop, end)) if stop < end else ((start, children.start),)
    return _Node(ranges, column, key.start() + 1, inner, children)


# -- checking -----------------------------------------------------------------
def _piece(plan: _Plan, ranges: tuple[tuple[int, int], ...]) -> tuple[str, Place]:
    text = "".join(plan.text[a:b] for a, b in ranges)
    starts, lines, at = [], [], 0
    for a, b in ranges:
        starts.append(at)
        lines.append(plan.lines.of(a))
        at += plan.text.count("\n", a, b)
    return text, Place(starts, lines)


def _relative(plan: _Plan, place: Place, offset: int, ranges: tuple[tuple[int, int], ...]) -> int:
    """The piece line of the file offset ``offset`` (within one of ``ranges``)."""
    line = plan.lines.of(offset)
    for start, number in zip(reversed(place.starts), reversed(place.lines)):
        if line >= number:
            return start + line - number
    return line


def _valid(plan: _Plan) -> bool:
    """Whether every piece parses to what the cut assumed (a whole-file compose is used otherwise)."""
    text, place = _piece(plan, plan.head)
    keys = {(_relative(plan, place, offset, plan.head), 0): key for offset, key in plan.keys}
    if not _agrees(text, mapping=True, column=0, count=0, keys=keys, key_depth=1):
        return False
    return all(_list_valid(plan, cut) for cut in plan.lists)


def _list_valid(plan: _Plan, cut: _List) -> bool:
    for part in cut.parts:
        if isinstance(part, _Batch):
            text = plan.text[part.start:part.end]
            if not _agrees(text, mapping=False, column=part.column, count=part.count, keys={}, key_depth=0):
                return False
            continue
        text, place = _piece(plan, part.ranges)
        keys = {(_relative(plan, place, part.key, part.ranges), part.key_column): "children"}
        if not _agrees(text, mapping=False, column=part.column, count=1, keys=keys, key_depth=2, items_mapping=True):
            return False
        if not _list_valid(plan, part.children):
            return False
    return True


def _agrees(text: str, *, mapping: bool, column: int, count: int, keys: dict[tuple[int, int], str],
            key_depth: int, items_mapping: bool = False) -> bool:
    """Whether ``text`` parses as one block mapping or sequence at ``column`` with ``count`` items,
    ``keys`` (at (line, column), ``key_depth`` collections deep) each followed by an empty value."""
    depth = deepest = items = found = documents = 0
    expect_empty = False
    try:
        for event in yaml.parse(text, Loader=_Loader):
            kind = event.__class__
            if expect_empty:
                if kind is not yaml.ScalarEvent or event.value != "" or event.style:
                    return False
                expect_empty = False
                found += 1
            elif kind is yaml.ScalarEvent:
                if depth == 1:
                    items += 1
                    if items_mapping:
                        return False
                if depth == key_depth:
                    mark = event.start_mark
                    key = keys.get((mark.line, mark.column))
                    if key is not None:
                        if event.value != key or event.style:
                            return False
                        expect_empty = True
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if depth == 0:
                    if (kind is yaml.MappingStartEvent) != mapping or event.flow_style \
                            or event.start_mark.column != column or event.start_mark.line != 0:
                        return False
                elif depth == 1:
                    items += 1
                    if items_mapping and (kind is not yaml.MappingStartEvent or event.flow_style):
                        return False
                depth += 1
                if depth > deepest:
                    deepest = depth
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                depth -= 1
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if event.explicit:
                    return False
            elif kind is yaml.AliasEvent:
                return False
    except yaml.YAMLError:
        return False
    return (documents == 1 and found == len(keys) and deepest <= MAX_DEPTH and not expect_empty
            and (mapping or items == count))


# -- composing ------------------------------------------------------------------
def _compose(text: str, place: Place) -> yaml.Node:
    stream = io.StringIO(text)
    stream.name = place  # PyYAML names every mark of the piece by it
    return yaml.compose(stream, Loader=_Loader)


def _head(plan: _Plan) -> yaml.Node:
    text, place = _piece(plan, plan.head)
    root = _compose(text, place)
    lines = {_relative(plan, place, offset, plan.head): cut for (offset, _), cut in zip(plan.keys, plan.lists)}
    _swap(root, lines, 0, lambda cut: Batched(plan, cut))
    return root


def _swap(mapping: yaml.MappingNode, lines: dict, column: int, make) -> None:
    """Each key of ``mapping`` at a line of ``lines`` (and ``column``) gets its list, to be composed in batches."""
    for index, (key, value) in enumerate(mapping.value):
        mark = key.start_mark
        cut = lines.get(mark.line) if mark.column == column else None
        if cut is not None:
            mapping.value[index] = (key, make(cut))


class Batched(yaml.SequenceNode):
    """A block list of the file whose items are composed a batch at a time as it is iterated (once)."""

    def __init__(self, plan: _Plan, cut: _List):
        line = plan.lines.of(cut.start)
        self.tag = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG
        self.start_mark = self.end_mark = yaml.Mark(Place([0], [line]), cut.start, 0, cut.column, None, None)
        self.flow_style = False
        self.plan = plan
        self.cut = cut

    @property
    def value(self) -> Iterator[yaml.Node]:  # type: ignore[override]
        return self.items()

    def items(self) -> Iterator[yaml.Node]:
        plan = self.plan
        for part in self.cut.parts:
            if isinstance(part, _Batch):
                root = _compose(plan.text[part.start:part.end], Place([0], [plan.lines.of(part.start)]))
                items = root.value
                del root
                items.reverse()
                while items:  # each item freed once it is read
                    yield items.pop()
                continue
            text, place = _piece(plan, part.ranges)
            item = _compose(text, place).value[0]
            line = _relative(plan, place, part.key, part.ranges)
            _swap(item, {line: part.children}, part.key_column, lambda cut: Batched(plan, cut))
            yield item

    def __repr__(self) -> str:
        return f"Batched(line {self.start_mark.name.line(0) + 1}, {len(self.cut.parts)} parts)"
