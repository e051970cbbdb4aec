"""The budget model's records: sources, statements (one printing each), nodes, references, relations, transfers.

A *statement* is one printing of one figure, and knows where it was printed
(source and line) and where the case file wrote it down. A *measure* of a node
(its budget, its executed amount, its project count) is the tuple of all its
statements: the summary, the annex and next year's report each print the same
figure with their own precision, and all of them must agree.

Nodes form a tree by their ``children``; a child may appear under two parents
(an item charged to one fund but reported under another is one shared node,
not a copy). Relations the tree does not imply are declared explicitly, and
transfers record money moved between funds.

Everything here is frozen: a check never changes a figure of the report.
Locations in the case file are kept for messages but ignored by equality, so a
case written out and loaded back is equal to the original.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping, Sequence

import attrs

from ..errors import Location
from ..figures import Figure, parse_figure, to_decimal, unit_named
from ..record import Record

__all__ = [
    "Source", "Statement", "Cell", "Node", "Ref", "Relation", "Transfer",
    "RELATION_KINDS", "COMPARISONS", "ID_PATTERN", "MEASURE_PATTERN",
]

ID_PATTERN = re.compile(r"[A-Za-z0-9_-]+")
MEASURE_PATTERN = re.compile(r"[a-z][a-z0-9_]*")

#: Explicit relation kinds: comparisons of two references, and computed values.
COMPARISONS = {"eq": "=", "le": "<=", "ge": ">=", "lt": "<", "gt": ">"}
RELATION_KINDS = ("sum", *COMPARISONS, "rate", "share", "growth", "diff")


@attrs.frozen(repr=False, eq=False)
class Cell(Record):
    """Where in a table a figure was printed: a file's row and column, and for a PDF its page and table.

    Rows count from 1 as a spreadsheet shows them; ``column`` is the header as
    printed (or a letter) so a reader finds the cell without counting.
    """

    file: str
    row: int
    column: str
    page: int | None = None
    table: int | None = None

    def __str__(self) -> str:
        where = [f"page {self.page}"] if self.page is not None else []
        if self.table is not None:
            where.append(f"table {self.table}")
        where += [f"row {self.row}", f"column {self.column}"]
        return f"{self.file} " + ", ".join(where)


@attrs.frozen(repr=False, eq=False)
class Source(Record):
    """A printed document: the report a statement was read from.

    ``encoding`` is how its text file is written (``utf-8`` unless the case says
    otherwise); ``has_text`` is false for a source with no text file to read (a
    paper copy: ``text: none``). ``lines`` are the report's lines (index 0 is
    line 1) as the inputs step read them at load (a :class:`~fiscalcheck.model.lines.Lines`), so the
    provenance rule stays a pure function of the case; ``None`` when there is no text.
    """

    id: str
    path: str
    title: str = ""
    encoding: str = "utf-8"
    has_text: bool = True
    lines: Sequence[str] | None = attrs.field(default=None, eq=False, repr=False)  # a Lines


@attrs.frozen(repr=False, eq=False)
class Statement(Record):
    """One printing of a figure: its text, and where it stands in the source.

    ``exact`` is ``True`` when the case declares the figure exact (an approved
    allocation), ``False`` when it declares it not exact, ``None`` to follow
    the case policy. ``rounding`` overrides the policy's rounding mode.
    """

    printed: str
    figure: Figure
    source: str
    line: int
    exact: bool | None = None
    rounding: str | None = None
    origin: Location | None = attrs.field(default=None, eq=False, repr=False)
    #: The table cell it was read from (a CSV/Excel/Parquet row and column, a PDF page's table), if any.
    cell: Cell | None = None

    @classmethod
    def of(
        cls,
        printed: str,
        *,
        line: int,
        source: str = "report",
        unit: str | None = None,
        exact: bool | None = None,
        rounding: str | None = None,
    ) -> "Statement":
        """Build a statement in code: ``Statement.of("7366.183万元", line=218)``.

        A float where printed text belongs is refused, as everywhere.
        """
        if not isinstance(printed, str):
            if isinstance(printed, float):
                to_decimal(printed)  # raises the one message for floats everywhere
            raise TypeError(f"printed text must be a str, got {type(printed).__name__}")
        figure = parse_figure(printed, unit_named(unit) if unit else None)
        return cls(printed, figure, source, line, exact, rounding)

    @property
    def place(self) -> str:
        return f"{self.source}:{self.line}"

    def __str__(self) -> str:
        return f"{self.printed} ({self.place})"


@attrs.frozen(repr=False, eq=False)
class Ref(Record):
    """``node.measure``: a measure of a node, as relations name it."""

    node: str
    measure: str

    @classmethod
    def parse(cls, text: str) -> "Ref":
        node, dot, measure = text.rpartition(".")
        if not dot or not ID_PATTERN.fullmatch(node) or not MEASURE_PATTERN.fullmatch(measure):
            raise ValueError(f"expected a reference 'node-id.measure', got {text!r}")
        return cls(sys.intern(node), sys.intern(measure))  # a case names each id many times: one string each

    def __str__(self) -> str:
        return f"{self.node}.{self.measure}"


@attrs.frozen(repr=False, eq=False)
class Node(Record):
    """A fund, an item, a project, a table or a row.

    ``children`` are ids (a shared child is listed under each parent);
    ``outside`` names the children printed after the total but not part of it
    (此外/另有). ``partial`` marks a "其中" list that is not exhaustive.
    """

    id: str
    label: str = ""
    kind: str = "item"
    tags: tuple[str, ...] = ()
    unit: str | None = None
    measures: Mapping[str, tuple[Statement, ...]] = attrs.field(factory=dict)
    children: tuple[str, ...] = ()
    outside: tuple[str, ...] = ()
    partial: bool = False
    sums: tuple[str, ...] | None = None
    origin: Location | None = attrs.field(default=None, eq=False, repr=False)
    #: The children a total counts (all but ``outside``): worked out once, as the rules ask for it per relation.
    _counted: tuple[str, ...] = attrs.field(init=False, default=(), eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        outside = set(self.outside)
        object.__setattr__(self, "_counted", tuple(c for c in self.children if c not in outside) if outside
                           else self.children)

    @property
    def counted_children(self) -> tuple[str, ...]:
        return self._counted


@attrs.frozen(repr=False, eq=False)
class Relation(Record):
    """A relation declared in the case: ``target`` against ``operands``.

    ``sum``: target = sum(operands) (>= when ``partial``); comparisons
    (``eq le ge lt gt``): target op operands[0]; ``rate``/``share``: target =
    a / b; ``growth``: target = a / b − 1 (with ``change``: b / (a − b), b the printed change);
    ``diff``: target = a − b.
    """

    kind: str
    target: Ref
    operands: tuple[Ref, ...]
    partial: bool = False
    note: str = ""
    severity: str | None = None
    origin: Location | None = attrs.field(default=None, eq=False, repr=False)
    #: Proposed by ``fiscalcheck extract`` from the report's text rather than declared by an
    #: auditor; ``because`` is the evidence (``"其中" at 246:12 (adjacent, high confidence)``).
    proposed: bool = False
    because: str = ""
    #: The second operand is the printed change from the base, not the base itself: on a
    #: ``growth`` ("增加X万元，增长Y%") growth = change / (this − change); on a ``rate``
    #: ("超预算X万元，为预算的Y%") rate = executed / (executed − overrun); a shortfall (短收) is negative.
    change: bool = False


@attrs.frozen(repr=False, eq=False)
class Transfer(Record):
    """Money moved from one fund to cover another's spending (超出预算部分…通过 Y 列支)."""

    source_fund: str
    target_fund: str
    amount: tuple[Statement, ...]
    origin: Location | None = attrs.field(default=None, eq=False, repr=False)


