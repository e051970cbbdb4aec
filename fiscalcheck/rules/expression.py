"""The language of custom invariants: text → a small syntax tree, never code.

An auditor writes ``arranged <= 1% * parent.budget`` in a rule pack or a case
file. This module reads it with a hand-written tokenizer and a recursive-descent
parser into frozen nodes (:class:`Number`, :class:`Measure`, :class:`Children`,
:class:`Call`, :class:`Negate`, :class:`Binary`, :class:`Comparison`); nothing
here, or anywhere else, hands the text to ``eval``, ``exec`` or ``ast``. What
the grammar does not describe is refused at load time, with the column where
reading stopped and, for a near miss, a suggestion::

    invariant  := sum COMPARATOR sum                  exactly one of == <= >= < >
    sum        := product (("+" | "-") product)*
    product    := unary (("*" | "/") unary)*
    unary      := "-" unary | primary
    primary    := NUMBER [UNIT]                       1%  2000万元  5家  0.5
                | NAME                                a measure of the node checked
                | "parent" "." NAME                   a measure of its parent
                | "$" NODE-ID "." NAME                a measure of a named node
                | FUNCTION "(" argument ("," argument)* ")"   sum min max abs
                | "(" sum ")"
    argument   := "children" "." NAME | sum           children.x: one value per child

Evaluation lives in :mod:`fiscalcheck.custom`; it follows the tree, so the
meaning of an invariant is exactly what this grammar says and no more.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from decimal import Decimal
from types import MappingProxyType

import attrs

from ..errors import closest, suggest
from ..figures import UNITS, Unit
from ..figures.grammar import is_money
from ..model import ID_PATTERN
from ..record import Record
from .dimensions import KINDS, UNKNOWN, DimensionMismatch, join, over, times

__all__ = [
    "ExpressionError",
    "Expression",
    "Number",
    "Measure",
    "Children",
    "Call",
    "Negate",
    "Binary",
    "Comparison",
    "parse",
    "FUNCTIONS",
    "COMPARATORS",
]

#: Functions of the language, and how many arguments each takes (None: one or more).
FUNCTIONS = MappingProxyType({"sum": None, "min": None, "max": None, "abs": 1})
COMPARATORS = ("==", "<=", ">=", "<", ">")
#: Python's keywords and its doors to code, refused as names: a measure is never called
#: ``lambda``, and refusing them keeps the language visibly apart from Python.
RESERVED = frozenset(k for k in keyword.kwlist if k.islower()) | frozenset(
    "exec eval compile open getattr setattr delattr globals locals vars breakpoint".split()
)
#: Longer texts and deeper nesting than any invariant needs are refused, not recursed into.
MAX_LENGTH = 1000
MAX_DEPTH = 40

_NAME = re.compile(r"[a-z][a-z0-9_]*")
_WORD = re.compile(r"[A-Za-z0-9_]+")
_NODE_ID = re.compile(r"[A-Za-z0-9_-]+")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_UNIT_TEXT = re.compile(r"[^\s0-9+\-*/(),.<>=!$]+")
_UNITS_LONGEST_FIRST = sorted(UNITS, key=len, reverse=True)


class ExpressionError(ValueError):
    """Text outside the grammar; ``column`` counts from 1 within the expression."""

    def __init__(self, message: str, column: int):
        self.message = message
        self.column = column
        super().__init__(f"column {column}: {message}")


# -- the syntax tree ------------------------------------------------------------
#
# The inner nodes (Number, Call, Negate, Binary, Comparison) are walked by the evaluator and
# never shown: an expression shows itself as its source text, so they skip the generated
# __repr__ (compiled at import, on every run that reads an invariant). Measure and Children
# keep theirs: a Selector's ``has`` shows them.


@attrs.frozen(repr=False, eq=False)
class Number:
    """A literal: ``1%``, ``2000万元``, ``5家`` or a plain ``0.5`` (``unit`` None)."""

    value: Decimal
    unit: Unit | None
    text: str
    column: int = attrs.field(eq=False, default=0)


@attrs.frozen(repr=False, eq=False)
class Measure(Record):
    """A measure of the node checked (``scope`` "self"), its parent, or a named node."""

    name: str
    scope: str = "self"  # "self", "parent" or "node"
    node: str | None = None
    column: int = attrs.field(eq=False, default=0)

    def __str__(self) -> str:
        return {"self": self.name, "parent": f"parent.{self.name}"}.get(self.scope, f"${self.node}.{self.name}")


@attrs.frozen(repr=False, eq=False)
class Children(Record):
    """``children.x``: the measure of every counted child (not those printed 此外/另有)."""

    name: str
    column: int = attrs.field(eq=False, default=0)

    def __str__(self) -> str:
        return f"children.{self.name}"


@attrs.frozen(repr=False, eq=False)
class Call:
    function: str
    args: tuple[object, ...]
    column: int = attrs.field(eq=False, default=0)


@attrs.frozen(repr=False, eq=False)
class Negate:
    operand: object
    column: int = attrs.field(eq=False, default=0)


@attrs.frozen(repr=False, eq=False)
class Binary:
    op: str  # + - * /
    left: object
    right: object
    column: int = attrs.field(eq=False, default=0)


@attrs.frozen(repr=False, eq=False)
class Comparison:
    op: str  # one of COMPARATORS
    left: object
    right: object
    at: int = attrs.field(eq=False, default=0)  # 0-based index of the comparator in the text


@attrs.frozen(repr=False, eq=False)
class Expression(Record):
    """A parsed invariant: its text (for messages) and its tree (for evaluation).

    Both equality and repr go by the text: the tree is what the text says.
    """

    source: str
    tree: Comparison = attrs.field(eq=False, repr=False)

    @property
    def references(self) -> tuple[object, ...]:
        """Every :class:`Measure` and :class:`Children` in the tree, left to right."""
        found: list[object] = []

        def walk(node: object) -> None:
            if isinstance(node, (Measure, Children)):
                if node not in found:
                    found.append(node)
            elif isinstance(node, Call):
                for arg in node.args:
                    walk(arg)
            elif isinstance(node, Negate):
                walk(node.operand)
            elif isinstance(node, (Binary, Comparison)):
                walk(node.left)
                walk(node.right)

        walk(self.tree)
        return tuple(found)

    @property
    def is_global(self) -> bool:
        """True when it names no measure of "the node checked": it is checked once, not per node."""
        return all(isinstance(r, Measure) and r.scope == "node" for r in self.references)

    def side(self, which: str) -> str:
        """The text of the left or right side, as written."""
        at = self.tree.at
        return (self.source[:at] if which == "left" else self.source[at + len(self.tree.op):]).strip()

    def __str__(self) -> str:
        return self.source


# -- reading --------------------------------------------------------------------


@attrs.frozen(repr=False, eq=False)  # the tokenizer's output, private to the parser
class _Token:
    kind: str  # number, name, node, op, cmp, end
    text: str
    index: int  # 0-based position in the original text
    unit: Unit | None = None


def _normalize(text: str) -> str:
    """Full-width digits and operators (１％, （, ＜) read as their ASCII forms, one for one.

    A character whose compatibility form is longer than one character is kept as
    it is (and refused later), so columns always match what the auditor typed.
    """
    out = []
    for char in text:
        normal = unicodedata.normalize("NFKC", char)
        out.append(normal if len(normal) == 1 else char)
    return "".join(out)


def _suggest_unit(word: str) -> str:
    """A near unit for a mistyped one; money first, since ``2000万`` most often means 万元."""
    close = closest(word, UNITS, prefer=is_money)
    return f" (did you mean {close!r}?)" if close else ""


def _tokens(text: str) -> list[_Token]:
    source = _normalize(text)
    tokens: list[_Token] = []
    i = 0
    n = len(source)
    while i < n:
        char = source[i]
        if char.isspace():
            i += 1
            continue
        if char.isdigit() and char.isascii():
            match = _NUMBER.match(source, i)
            end = match.end()
            if end < n and source[end] == "." and not source[end + 1:end + 2].isdigit():
                raise ExpressionError(f"expected digits after the decimal point in {source[i:end + 1]!r}", end + 1)
            number = match.group()
            j = end
            while j < n and source[j] == " ":
                j += 1
            unit = None
            for symbol in _UNITS_LONGEST_FIRST:
                if source.startswith(symbol, j):
                    unit = UNITS[symbol]
                    end = j + len(symbol)
                    break
            else:
                stray = _UNIT_TEXT.match(source, end)
                if stray:
                    word = stray.group()
                    if re.match(r"[eE][+-]?[0-9]", source[end:end + 3]):
                        raise ExpressionError("numbers are written out in full: 100000, not 1e5", end + 1)
                    hint = _suggest_unit(word)
                    raise ExpressionError(
                        f"unknown unit {word!r} after {number}{hint}; units are those of the case file "
                        f"(元 万元 亿元 % 个 家 …), written right after the number", end + 1)
            tokens.append(_Token("number", source[i:end], i, unit))
            i = end
            continue
        if char == "$":
            match = _NODE_ID.match(source, i + 1)
            if match is None:
                raise ExpressionError("expected a node id after '$', as in $hitech.budget", i + 2)
            if "__" in match.group():
                raise ExpressionError(f"double underscores are not allowed in names: {match.group()!r}", i + 2)
            tokens.append(_Token("node", match.group(), i))
            i = match.end()
            continue
        if char == "_":
            word = _WORD.match(source, i).group()
            raise ExpressionError(f"names cannot start with '_': {word!r} is not a measure name", i + 1)
        if char.isascii() and char.isalpha():
            word = _WORD.match(source, i).group()
            if "__" in word:
                raise ExpressionError(f"double underscores are not allowed in names: {word!r}", i + 1)
            if not _NAME.fullmatch(word):
                lower = word.lower()
                hint = f" (did you mean {lower!r}?)" if _NAME.fullmatch(lower) else ""
                raise ExpressionError(f"names are lowercase letters, digits and '_': {word!r}{hint}", i + 1)
            if word in RESERVED:
                raise ExpressionError(f"{word!r} is a reserved word, not a measure or function name", i + 1)
            tokens.append(_Token("name", word, i))
            i += len(word)
            continue
        two = source[i:i + 2]
        if two in ("==", "<=", ">="):
            tokens.append(_Token("cmp", two, i))
            i += 2
            continue
        if two in ("**", "//"):
            what = "powers" if two == "**" else "floor division"
            raise ExpressionError(f"{two!r} ({what}) is not part of the language; use + - * /", i + 1)
        if two == "!=":
            raise ExpressionError("'!=' is not supported: state what must hold, with == <= >= < >", i + 1)
        if char in "<>":
            tokens.append(_Token("cmp", char, i))
            i += 1
            continue
        if char == "=":
            raise ExpressionError("use '==' to compare ('=' alone assigns nothing here)", i + 1)
        if char in "+-*/(),.":
            tokens.append(_Token("op", char, i))
            i += 1
            continue
        if char == "%":
            raise ExpressionError("'%' is a unit: write it right after a number, as in 1%", i + 1)
        if any(source.startswith(symbol, i) for symbol in _UNITS_LONGEST_FIRST):
            raise ExpressionError("a unit must follow a number, as in 2000万元", i + 1)
        if not char.isascii() and char.isalpha():
            raise ExpressionError(
                f"unexpected {char!r}: measures are named in lowercase latin letters "
                f"(budget, executed, arranged …) as in the case file", i + 1)
        raise ExpressionError(f"unexpected character {char!r}", i + 1)
    tokens.append(_Token("end", "", n))
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.tokens = _tokens(text)
        self.at = 0
        self.depth = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.at]

    def peek(self, offset: int = 1) -> _Token:
        return self.tokens[min(self.at + offset, len(self.tokens) - 1)]

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def fail(self, message: str, token: _Token | None = None) -> ExpressionError:
        token = token or self.token
        return ExpressionError(message, token.index + 1)

    def expect(self, text: str, what: str) -> _Token:
        if self.token.text != text or self.token.kind not in ("op", "cmp"):
            raise self.fail(f"expected {what}, found {self._shown()}")
        return self.take()

    def _shown(self) -> str:
        return "the end of the expression" if self.token.kind == "end" else repr(self.token.text)

    # invariant := sum COMPARATOR sum
    def invariant(self) -> Comparison:
        left = self.sum()
        if self.token.kind != "cmp":
            if self.token.kind == "end":
                raise self.fail("an invariant compares two sides: expected one of == <= >= < > before the end")
            raise self.fail(f"expected an operator (+ - * /) or a comparison (== <= >= < >), found {self._shown()}")
        comparator = self.take()
        op = comparator.text
        right = self.sum()
        if self.token.kind == "cmp":
            raise self.fail("one comparison per invariant: write two invariants for a range")
        if self.token.kind != "end":
            raise self.fail(f"expected an operator (+ - * /) or the end, found {self._shown()}")
        return Comparison(op, left, right, comparator.index)

    def nested(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(f"nested more than {MAX_DEPTH} deep")
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.depth -= 1

    def sum(self) -> object:
        with self.nested():
            node = self.product()
            while self.token.kind == "op" and self.token.text in "+-":
                token = self.take()
                node = Binary(token.text, node, self.product(), token.index + 1)
            return node

    def product(self) -> object:
        node = self.unary()
        while self.token.kind == "op" and self.token.text in "*/":
            token = self.take()
            node = Binary(token.text, node, self.unary(), token.index + 1)
        return node

    def unary(self) -> object:
        if self.token.kind == "op" and self.token.text == "-":
            token = self.take()
            with self.nested():
                return Negate(self.unary(), token.index + 1)
        if self.token.kind == "op" and self.token.text == "+":
            raise self.fail("a leading '+' is not needed: write the figure alone")
        return self.primary()

    def primary(self) -> object:
        token = self.token
        if token.kind == "number":
            self.take()
            digits = _NUMBER.match(token.text).group()
            return Number(Decimal(digits), token.unit, token.text, token.index + 1)
        if token.kind == "node":
            self.take()
            if not ID_PATTERN.fullmatch(token.text):  # pragma: no cover - the tokenizer admits only ids
                raise self.fail(f"expected a node id, got {token.text!r}", token)
            self.expect(".", f"'.' and a measure after ${token.text}, as in ${token.text}.budget")
            name = self.measure_name(f"${token.text}.")
            return Measure(name, "node", token.text, token.index + 1)
        if token.kind == "name":
            self.take()
            if self.token.kind == "op" and self.token.text == "(":
                return self.call(token)
            if token.text == "children":
                if self.token.text == ".":
                    raise self.fail("children.x gives one value per child: wrap it in sum(...), min(...) or max(...)", token)
                raise self.fail("expected 'children.<measure>' inside sum(...), min(...) or max(...)", token)
            if token.text == "parent":
                self.expect(".", "'.' and a measure after parent, as in parent.budget")
                return Measure(self.measure_name("parent."), "parent", None, token.index + 1)
            if self.token.kind == "op" and self.token.text == ".":
                raise self.fail(f"'.' may follow only parent, children or a $node-id; {token.text!r} is a measure of the node checked")
            return Measure(token.text, "self", None, token.index + 1)
        if token.kind == "op" and token.text == "(":
            self.take()
            with self.nested():
                inner = self.sum()
            self.expect(")", "')'")
            return inner
        if token.kind == "end":
            raise self.fail("the expression ends where a figure, a measure or '(' was expected")
        raise self.fail(f"expected a figure, a measure, a function or '(', found {self._shown()}")

    def measure_name(self, after: str) -> str:
        token = self.token
        if token.kind != "name" or token.text in FUNCTIONS and self.peek().text == "(":
            raise self.fail(f"expected a measure name after {after!r}, found {self._shown()}")
        self.take()
        return token.text

    def call(self, name: _Token) -> Call:
        if name.text not in FUNCTIONS:
            raise self.fail(f"unknown function {name.text!r}{suggest(name.text, FUNCTIONS)}; "
                            f"functions are {', '.join(FUNCTIONS)}", name)
        self.take()  # (
        args: list[object] = []
        with self.nested():
            while True:
                if self.token.kind == "op" and self.token.text == ")" and not args:
                    raise self.fail(f"{name.text}() needs at least one argument")
                if self.token.kind == "name" and self.token.text == "children":
                    start = self.take()
                    self.expect(".", "'.' and a measure after children, as in children.amount")
                    if name.text == "abs":
                        raise self.fail("abs() takes one value; children.x is one value per child", start)
                    args.append(Children(self.measure_name("children."), start.index + 1))
                else:
                    args.append(self.sum())
                if self.token.kind == "op" and self.token.text == ",":
                    self.take()
                    continue
                self.expect(")", f"',' or ')' in {name.text}(...)")
                break
        wanted = FUNCTIONS[name.text]
        if wanted is not None and len(args) != wanted:
            raise self.fail(f"{name.text}() takes exactly {wanted} argument, got {len(args)}", name)
        return Call(name.text, tuple(args), name.index + 1)


def _static_dimension(node: object) -> str | None:
    """The kind of unit of a subtree, as far as its literals tell; refuses what can never match.

    ``None`` is the literal 0 (any unit), ``UNKNOWN`` a value whose unit depends on the
    case. ``2000万元 + 5家`` is refused here, at load time; ``budget + 5家`` can only be
    judged on a node, and is a finding there. The rules are :mod:`.dimensions`, the
    same the evaluator uses.
    """
    if isinstance(node, Number):
        return None if node.unit is None and node.value == 0 else (node.unit.dimension if node.unit else "ratio")
    if isinstance(node, (Measure, Children)):
        return UNKNOWN
    if isinstance(node, Negate):
        return _static_dimension(node.operand)
    if isinstance(node, Call):
        kinds = [_static_dimension(a) for a in node.args]
        kind = kinds[0]
        for other in kinds[1:]:
            kind = _checked(join, node.column, kind, other, node.function)
        return kind
    if isinstance(node, (Binary, Comparison)):
        a, b = _static_dimension(node.left), _static_dimension(node.right)
        column = node.at + 1 if isinstance(node, Comparison) else node.column
        if node.op in ("+", "-") or isinstance(node, Comparison):
            return _checked(join, column, a, b, node.op)
        if node.op == "/" and b is None:
            raise ExpressionError("division by zero: the divisor is 0", column)
        return _checked(times if node.op == "*" else over, column, a, b)
    return UNKNOWN  # pragma: no cover - the parser builds no other node


def _checked(rule, column: int, *args):
    """``rule(*args)``, a unit mismatch turned into an :class:`ExpressionError` at ``column``."""
    try:
        return rule(*args)
    except DimensionMismatch as mismatch:
        a, b = KINDS.get(mismatch.a, mismatch.a), KINDS.get(mismatch.b, mismatch.b)
        if mismatch.op in ("*", "/"):
            raise ExpressionError(f"unit mismatch in '{mismatch.op}': {a} {mismatch.op} {b} "
                                  f"has no unit fiscalcheck compares", column) from None
        raise ExpressionError(f"unit mismatch in '{mismatch.op}': {a} and {b} never compare", column) from None


def parse(text: str) -> Expression:
    """Read an invariant; :class:`ExpressionError` (with the column) for anything outside the grammar."""
    if not isinstance(text, str):
        raise ExpressionError(f"expected the invariant as text, got {type(text).__name__}", 1)
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"longer than {MAX_LENGTH} characters: split it into several invariants", MAX_LENGTH + 1)
    source = text.strip()
    if not source:
        raise ExpressionError("empty invariant: expected a comparison such as 'executed <= budget'", 1)
    lead = len(text) - len(text.lstrip())
    try:
        tree = _Parser(source).invariant()
        _static_dimension(tree)
        return Expression(source, tree)
    except ExpressionError as error:
        if lead:
            raise ExpressionError(error.message, error.column + lead) from None
        raise
