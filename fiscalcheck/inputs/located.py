"""The located YAML reader: YAML text → nodes that know their file, line and column.

The reader works on PyYAML's *node tree*, never its resolved values: PyYAML
would turn ``7366.183`` into a binary float and ``2020-05-20`` into a date.
Every scalar is kept as the text the auditor typed, with its place, and
converted by rules we state. Case files, rule packs and waiver baselines are
all read with it.

Problems are collected, not raised one by one: a file with three mistakes gives
three lines, each ``file:line:column: what was expected``. Anchors and aliases
are refused (a case file has no use for them, and they are how an alias bomb
multiplies a small file into a huge one); duplicate keys are refused (PyYAML
silently keeps the last).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from typing import Any

import yaml

from ..errors import Location, Problem, suggest
from ..figures import Figure, FigureError, parse_figure, to_decimal, unit_named
from ..figures.tolerance import rounding_problem
from ..model import ID_PATTERN, ROUNDINGS, Cell, Ref, Statement

__all__ = ["Reader", "compose", "STATEMENT_KEYS"]

STATEMENT_KEYS = ("printed", "line", "source", "exact", "rounding", "unit", "cell")
CELL_KEYS = ("page", "table", "row", "column")
_SHORT = re.compile(r"^(?P<printed>.+?)\s+@(?P<line>\S+)(?P<flags>(?:\s+\S+)*)\s*$")
_LINE = re.compile(r"[1-9][0-9]{0,8}")  # a line number: a whole number from 1, nine digits at most
#: What YAML 1.1 refuses in a stream (C0 controls but tab and line breaks, DEL, C1 controls but NEL, lone
#: surrogates, U+FFFE/U+FFFF), found before PyYAML sees the text so the problem is where the character stands.
_BAD_CHARACTER = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader with no implicit tags: every scalar stays text, and resolving is cheap."""


_Loader.yaml_implicit_resolvers = {}
_KIND_TAGS = {
    yaml.ScalarNode: yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG,
    yaml.SequenceNode: yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
    yaml.MappingNode: yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
}


def _resolve(self: object, kind: type, value: object, implicit: object) -> str:
    """Every node gets its kind's plain tag: we read scalars as text, never as typed values."""
    return _KIND_TAGS[kind]


def _no_path_resolvers(self: object, *node_and_index: object) -> None:
    """Path resolvers would tag a node by its place in the tree; a case file has none to consult."""


_Loader.resolve = _resolve  # the C composer calls this once per node: keep it trivial
_Loader.descend_resolver = _Loader.ascend_resolver = _no_path_resolvers  # and these twice per node


class Reader:
    """Turns one file's YAML nodes into model parts, collecting problems."""

    def __init__(self, file: str, problems: list[Problem], text: str | None = None):
        self.file = file
        self.problems = problems
        # ids of the nodes read so far, to refuse aliases (see visit). An alias is a '*' naming an
        # anchor set by a '&': a ``text`` without both characters has none, and nothing to track.
        self.seen: set[int] | None = None if text is not None and ("&" not in text or "*" not in text) else set()

    # -- primitives -------------------------------------------------------
    def at(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        if mark.name.__class__ is str:
            return Location(self.file, mark.line + 1, mark.column + 1)
        return Location(self.file, mark.name.line(mark.line) + 1, mark.column + 1)  # a piece (see batches.py)

    def fail(self, node: yaml.Node | Location, message: str) -> None:
        where = node if isinstance(node, Location) else self.at(node)
        self.problems.append(Problem(where, message))

    def visit(self, node: yaml.Node) -> bool:
        """False (and a problem) when a node is reached twice: an alias."""
        if self.seen is None:
            return True
        if id(node) in self.seen:
            self.fail(node, "YAML anchors and aliases are not allowed in case files (write the value out)")
            return False
        self.seen.add(id(node))
        return True

    def mapping(self, node: yaml.Node, what: str, keys: tuple[str, ...]) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        if not self.visit(node):  # first: a node reached twice is an alias, whatever its kind
            return None
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"expected {what} (a mapping with keys {', '.join(keys)})")
            return None
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                self.fail(key, f"expected a plain key in {what}")
                continue
            if key.value == "<<":
                self.fail(key, "YAML merge keys are not allowed in case files")
                continue
            if key.value in out:
                self.fail(key, f"duplicate key {key.value!r} in {what}")
                continue
            if key.value not in keys:
                self.fail(key, f"unknown key {key.value!r} in {what}{suggest(key.value, keys)}; expected one of {', '.join(keys)}")
                continue
            out[key.value] = (key, value)
        return out

    def sequence(self, node: yaml.Node, what: str) -> Iterable[yaml.Node]:
        """The items of a list, to iterate once (a :class:`~.batches.Batched` list composes them as it goes)."""
        if isinstance(node, yaml.ScalarNode) and node.value == "" and node.style is None:
            return []
        if not self.visit(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"expected a list of {what}")
            return []
        return node.value

    def text(self, node: yaml.Node, what: str) -> str | None:
        if not self.visit(node):
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, f"expected {what} (text)")
            return None
        return node.value

    def ident(self, node: yaml.Node, what: str) -> str | None:
        value = self.text(node, what)
        if value is not None and not ID_PATTERN.fullmatch(value):
            self.fail(node, f"expected {what}: letters, digits, '-' or '_', got {value!r}")
            return None
        return value if value is None else sys.intern(value)  # one string per id, however often named

    def boolean(self, node: yaml.Node, what: str) -> bool | None:
        value = self.text(node, what)
        if value is None:
            return None
        if value.lower() in ("true", "yes"):
            return True
        if value.lower() in ("false", "no"):
            return False
        self.fail(node, f"expected true or false for {what}, got {value!r}")
        return None

    def integer(self, node: yaml.Node, what: str) -> int | None:
        value = self.text(node, what)
        if value is None:
            return None
        if not _LINE.fullmatch(value):
            self.fail(node, f"expected {what} (a whole number from 1 to 999999999), got {_clip(value)!r}")
            return None
        return int(value)

    def texts(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        if isinstance(node, yaml.ScalarNode):
            one = self.text(node, what)
            return (one,) if one else ()
        return tuple(t for t in (self.text(n, what) for n in self.sequence(node, what)) if t is not None)

    # -- statements -------------------------------------------------------
    def statement(self, node: yaml.Node, default_source: str | None, unit: str | None,
                  allowed: tuple[str, ...] = STATEMENT_KEYS) -> tuple[Statement | None, dict]:
        """A statement from its short form (``"7366.183万元 @218 exact"``) or a mapping."""
        fields: dict[str, Any] = {"source": default_source, "unit": unit, "exact": None, "rounding": None}
        extra: dict[str, Any] = {}
        where = self.at(node)
        if isinstance(node, yaml.ScalarNode):
            raw = self.text(node, "a statement")
            if raw is None:
                return None, extra
            match = _SHORT.match(raw)
            if match is None:
                self.fail(node, f"expected a statement '<printed> @<line> [flags]' such as '7366.183万元 @218', got {raw!r}")
                return None, extra
            fields["printed"] = match["printed"].strip()
            if not _LINE.fullmatch(match["line"]):
                self.fail(node, f"expected a line number after '@' (1 to 999999999), got {_clip(match['line'])!r}")
                return None, extra
            fields["line"] = int(match["line"])
            for flag in match["flags"].split():
                name, eq, value = flag.partition("=")
                if not eq and name in ("exact", "inexact"):
                    fields["exact"] = name == "exact"
                elif not eq and name in ROUNDINGS:
                    fields["rounding"] = name
                elif eq and name in ("source", "unit"):
                    fields[name] = value
                else:
                    known = ("exact", "inexact", *ROUNDINGS, "source=", "unit=")
                    self.fail(node, f"unknown flag {flag!r} in statement{suggest(flag, known)}; expected one of {', '.join(known)}")
                    return None, extra
        else:
            keys = self.mapping(node, "a statement", allowed)
            if keys is None:
                return None, extra
            for name in ("printed", "line"):
                if name not in keys and not (name == "line" and "cell" in keys):  # a table cell has a place
                    self.fail(node, f"statement needs '{name}'")
                    return None, extra
            fields["printed"] = self.text(keys["printed"][1], "the printed text")
            fields["line"] = self.integer(keys["line"][1], "a line number") if "line" in keys else 0
            if "cell" in keys:
                fields["cell"] = self.cell(keys["cell"][1])
                if fields["cell"] is None:
                    return None, extra
            for name in ("source", "unit"):
                if name in keys:
                    fields[name] = self.text(keys[name][1], name)
            if "exact" in keys:
                fields["exact"] = self.boolean(keys["exact"][1], "exact")
            if "rounding" in keys:
                value = self.text(keys["rounding"][1], "rounding")
                problem = rounding_problem(value)
                if problem:
                    self.fail(keys["rounding"][1], problem)
                    return None, extra
                fields["rounding"] = value
            for name in ("node", "measure"):
                if name in keys:
                    extra[name] = (self.text(keys[name][1], name), keys[name][1])
            if fields["printed"] is None or fields["line"] is None:
                return None, extra
        if fields["source"] is None:
            self.fail(node, "statement has no source, and the file declares none")
            return None, extra
        try:
            default_unit = unit_named(fields["unit"]) if fields["unit"] else None
            if fields["printed"] == "" and fields.get("cell") and fields["exact"] and default_unit:
                figure = Figure(to_decimal("0"), default_unit)  # a blank cell read as zero, as the forms mean it
            else:
                figure = parse_figure(fields["printed"], default_unit)
        except FigureError as error:
            self.fail(node, str(error))
            return None, extra
        cell = fields.get("cell")
        if cell is not None:
            cell = Cell(fields["source"], cell.row, cell.column, cell.page, cell.table)
        statement = Statement(
            printed=fields["printed"], figure=figure, source=fields["source"], line=fields["line"],
            exact=fields["exact"], rounding=fields["rounding"], origin=where, cell=cell,
        )
        return statement, extra

    def cell(self, node: yaml.Node) -> Cell | None:
        """A table cell's place: ``{page: 8, table: 1, row: 4, column: 本年收入合计}`` (page and table optional)."""
        keys = self.mapping(node, "a cell", CELL_KEYS)
        if keys is None:
            return None
        if "row" not in keys or "column" not in keys:
            self.fail(node, "a cell needs 'row' and 'column'")
            return None
        numbers = {k: self.integer(keys[k][1], f"a {k} number") for k in ("page", "table", "row") if k in keys}
        column = self.text(keys["column"][1], "a column")
        if None in numbers.values() or column is None:
            return None
        return Cell("", numbers["row"], column, numbers.get("page"), numbers.get("table"))

    def statements(self, node: yaml.Node, default_source: str | None, unit: str | None) -> tuple[Statement, ...]:
        items = node.value if isinstance(node, yaml.SequenceNode) and self.visit(node) else [node]
        found = (self.statement(item, default_source, unit)[0] for item in items)
        return tuple(s for s in found if s is not None)

    def ref(self, node: yaml.Node) -> Ref | None:
        value = self.text(node, "a reference 'node-id.measure'")
        if value is None:
            return None
        try:
            return Ref.parse(value)
        except ValueError as error:
            self.fail(node, str(error))
            return None


def _clip(text: str, limit: int = 40) -> str:
    """``text`` for a message, cut when long: a 5,000-digit number is not worth echoing."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


def bad_character(text: str, path: str) -> Problem | None:
    """The first character YAML refuses, at its line and column (a lone surrogate named as one)."""
    match = _BAD_CHARACTER.search(text)
    if match is None:
        return None
    at = match.start()
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    code = ord(match[0])
    kind = "a lone surrogate" if 0xD800 <= code <= 0xDFFF else "a control character" if code < 0xA0 else "a non-character"
    return Problem(Location(path, line, column), f"not valid YAML: {kind} U+{code:04X} is not allowed in a YAML file "
                                                 f"(write it as an escape in a double-quoted string, or remove it)")


def compose(text: str, path: str, problems: list[Problem]) -> tuple[bool, yaml.Node | None]:
    """The YAML node tree of ``text`` (``None`` for an empty file), read with a loader that resolves no tag.

    ``(False, None)`` when the text is not YAML, with the problem, located, added to
    ``problems``. Case files, rule packs and waiver baselines are all read here.
    """
    refused = bad_character(text, path)
    if refused is not None:
        problems.append(refused)
        return False, None
    try:
        return True, yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path, 1, 1)
        problems.append(Problem(where, f"not valid YAML: {_one_line(error.problem or error.context)}"))
    except yaml.YAMLError as error:  # a reader error: the characters were checked above
        problems.append(Problem(Location(path, 1, 1), f"not valid YAML: {_one_line(str(error))}"))
    except RecursionError:
        problems.append(Problem(Location(path, 1, 1), "not valid YAML here: nested too deep"))
    return False, None


def _one_line(message: object) -> str:
    return " ".join(str(message).split())
