"""The budget model: a case of nodes, each with measures printed as statements.

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
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from .errors import Location
from .figure import Figure, parse_figure, to_decimal, unit_named

if TYPE_CHECKING:  # pragma: no cover
    from .custom import Invariant
    from .report import Report
    from .rulepack import RulePack
    from .waivers import Waiver

__all__ = [
    "Source",
    "Statement",
    "Node",
    "Ref",
    "Relation",
    "Transfer",
    "Policy",
    "Case",
    "RELATION_KINDS",
    "ID_PATTERN",
    "MEASURE_PATTERN",
]

ID_PATTERN = re.compile(r"[A-Za-z0-9_-]+")
MEASURE_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
ROUNDINGS = ("nearest", "truncate")

#: Explicit relation kinds: comparisons of two references, and computed values.
COMPARISONS = {"eq": "=", "le": "<=", "ge": ">=", "lt": "<", "gt": ">"}
RELATION_KINDS = ("sum", *COMPARISONS, "rate", "share", "growth", "diff")


@attrs.frozen
class Source:
    """A printed document: the report a statement was read from."""

    id: str
    path: str
    title: str = ""


@attrs.frozen
class Statement:
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


@attrs.frozen
class Ref:
    """``node.measure``: a measure of a node, as relations name it."""

    node: str
    measure: str

    @classmethod
    def parse(cls, text: str) -> "Ref":
        node, dot, measure = text.rpartition(".")
        if not dot or not ID_PATTERN.fullmatch(node) or not MEASURE_PATTERN.fullmatch(measure):
            raise ValueError(f"expected a reference 'node-id.measure', got {text!r}")
        return cls(node, measure)

    def __str__(self) -> str:
        return f"{self.node}.{self.measure}"


@attrs.frozen
class Node:
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

    @property
    def counted_children(self) -> tuple[str, ...]:
        return tuple(c for c in self.children if c not in self.outside)


@attrs.frozen
class Relation:
    """A relation declared in the case: ``target`` against ``operands``.

    ``sum``: target = sum(operands) (>= when ``partial``); comparisons
    (``eq le ge lt gt``): target op operands[0]; ``rate``/``share``: target =
    a / b; ``growth``: target = a / b − 1; ``diff``: target = a − b.
    """

    kind: str
    target: Ref
    operands: tuple[Ref, ...]
    partial: bool = False
    note: str = ""
    severity: str | None = None
    origin: Location | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Transfer:
    """Money moved from one fund to cover another's spending (超出预算部分…通过 Y 列支)."""

    source_fund: str
    target_fund: str
    amount: tuple[Statement, ...]
    origin: Location | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Policy:
    """How printed figures are read: see :mod:`fiscalcheck.tolerance`.

    ``floor`` is the least half-width, in 元, of every yuan figure (0: none):
    an audit office that does not pursue differences below 1元 says so once,
    here, instead of in every relation. ``declared`` names the keys the case
    file wrote, so a rule pack's policy fills in only what the case left open
    (the case knows how its report prints; the pack, what the office tolerates).
    """

    rounding: str = "nearest"
    about: Decimal = attrs.field(default=Decimal("0.5"), converter=to_decimal)
    exact: tuple[str, ...] = ()
    floor: Decimal = attrs.field(default=Decimal(0), converter=to_decimal)
    declared: tuple[str, ...] = attrs.field(default=(), eq=False, repr=False)

    @floor.validator
    def _floor_not_negative(self, attribute: object, value: Decimal) -> None:
        if value < 0:
            raise ValueError(f"policy floor must be 0 or more (元), got {value}")


@attrs.frozen
class Case:
    """A whole case: sources, the node tree, relations, transfers and the policy.

    ``nodes`` is ordered as the case file wrote them.
    """

    id: str
    sources: Mapping[str, Source]
    nodes: Mapping[str, Node]
    relations: tuple[Relation, ...] = ()
    transfers: tuple[Transfer, ...] = ()
    policy: Policy = Policy()
    title: str = ""
    files: tuple[str, ...] = attrs.field(default=(), eq=False, repr=False)
    #: The rule pack the case names (``rules: strict``), its own invariants, and the
    #: findings it accepts: see docs/rules.md, :mod:`fiscalcheck.rulepack`, :mod:`fiscalcheck.waivers`.
    rules: "RulePack | None" = None
    invariants: "tuple[Invariant, ...]" = ()
    waivers: "tuple[Waiver, ...]" = ()
    _parents: dict[str, tuple[str, ...]] = attrs.field(init=False, factory=dict, eq=False, repr=False)
    _paths: dict[str, str] = attrs.field(init=False, factory=dict, eq=False, repr=False)

    def parents(self, node_id: str) -> tuple[str, ...]:
        """Every node that lists ``node_id`` among its children."""
        if not self._parents and self.nodes:  # an index, built once: the case never changes
            index: dict[str, list[str]] = {}
            for node in self.nodes.values():
                for child in node.children:
                    index.setdefault(child, []).append(node.id)
            self._parents.update({child: tuple(ids) for child, ids in index.items()})
            self._parents.setdefault("", ())  # marks the index as built
        return self._parents.get(node_id, ())

    @property
    def roots(self) -> tuple[str, ...]:
        children = {c for n in self.nodes.values() for c in n.children}
        return tuple(i for i in self.nodes if i not in children)

    def path(self, node_id: str) -> str:
        """``parent/child`` path of a node, through its first parent.

        Every finding names its node's path: each is worked out once (the case never changes).
        """
        path = self._paths.get(node_id)
        if path is not None:
            return path
        parts = [node_id]
        seen = {node_id}
        while True:
            parents = self.parents(parts[-1])
            if not parents or parents[0] in seen:
                path = self._paths[node_id] = "/".join(reversed(parts))
                return path
            parts.append(parents[0])
            seen.add(parents[0])

    def statements(self) -> Iterable[tuple[Node, str, Statement]]:
        """Every statement of the case, with its node and measure name."""
        for node in self.nodes.values():
            for measure, statements in node.measures.items():
                for statement in statements:
                    yield node, measure, statement
        for transfer in self.transfers:
            for statement in transfer.amount:
                yield self.nodes[transfer.source_fund], "transfer", statement

    def check(self, rules: object = None) -> "Report":
        """Run the rules and return a :class:`Report`.

        ``rules``: a rule pack (a :class:`~fiscalcheck.rulepack.RulePack`, a shipped
        pack's name or a path), a tuple of rules, or None for the pack the case
        names (the built-ins when it names none). See :func:`fiscalcheck.engine.check`.
        """
        from .engine import check

        return check(self, rules)

    def _repr_html_(self) -> str:
        """In a notebook: the node tree with budget, adjusted, executed and rate, findings marked."""
        from .notebook import case_html

        return case_html(self)
