"""A table as ordinary nodes and statements, for the tree engine.

Small tables (and every table when the columnar engine is not installed) become
nodes of the case, one statement per printed cell, each carrying its
:class:`~fiscalcheck.model.Cell`. The built-in rules then run over them as over
any report: a total repeated on each row of its group is one measure printed
many times (``statements-agree`` checks the printings agree), and the rows
below it are its children (``parts-sum``).

The columnar engine (:mod:`fiscalcheck.tables.engine`) builds the same nodes,
with the same ids, for the few relations it must describe: both engines name a
node ``<table>-<row>`` (a row of a ``code`` or ``key`` table) or
``<table>-L<level>-<row>`` (a level of a ``levels`` table), by the row that
first prints it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

import attrs

from ..errors import CaseError, Location, Problem, suggest
from ..model import Case, Cell, Node, Source, Statement
from .read import cell_figure, rows
from ..model.table import Column, Table

__all__ = ["expand", "table_nodes", "count_rows", "node_id"]


def node_id(table: Table, row: int, depth: int | None = None) -> str:
    return f"{table.id}-{row}" if depth is None else f"{table.id}-L{depth + 1}-{row}"


class _Building:
    """Nodes of one table as they are read: ids, labels, children and statements, in row order."""

    def __init__(self, table: Table, keep: "set[str] | None" = None):
        self.table = table
        self.file = os.path.basename(table.file)
        self.order: list[str] = []
        self.labels: dict[str, str] = {}
        self.children: dict[str, list[str]] = {}
        self.measures: dict[str, dict[str, list[Statement]]] = {}
        self.names: dict[str, tuple[str, ...]] = {}  # each node's measures in the spec's order
        self.keep = keep  # only these nodes' statements (None: every node's)

    def node(self, ident: str, label: str) -> None:
        self.order.append(ident)
        self.labels[ident] = label
        self.children[ident] = []
        self.measures[ident] = {}

    def cells(self, ident: str, row: int, cells: dict[str, str], columns: dict[str, Column]) -> None:
        if self.keep is not None and ident not in self.keep:
            return
        measures = self.measures[ident]
        self.names[ident] = tuple(columns)
        for measure, column in columns.items():
            text = cells[column.name]
            try:
                figure = cell_figure(text, column)
            except ValueError as error:
                position = self.table.columns.index(column.name) + 1
                raise CaseError([Problem(Location(self.table.file, row, position), str(error))]) from None
            if figure is None:
                continue
            statement = Statement(text.strip(), figure, self.table.source, row, column.exact,
                                  cell=Cell(self.file, row, column.name))
            measures.setdefault(measure, []).append(statement)

    def nodes(self) -> Iterator[Node]:
        for ident in self.order:
            # in the spec's order, not the order of the first row that prints each: the rules
            # list a node's findings measure by measure, and both engines must list them alike
            printed = self.measures[ident]
            measures = {m: tuple(printed[m]) for m in self.names.get(ident, ()) if m in printed}
            yield Node(ident, self.labels[ident], measures=measures, children=tuple(self.children[ident]))


def _label(code: str, label: str | None) -> str:
    return f"{code} {label}".strip() if label else code


def table_nodes(table: Table, keep: "set[str] | None" = None) -> tuple[list[Node], list[str]]:
    """The table's nodes in row order, and the ids of its top level (what sums into ``under``).

    ``keep``: only these nodes carry statements (the columnar engine describing a few relations).
    """
    built = _Building(table, keep)
    tops: list[str] = []
    totals = table.totals
    total_ids: list[str] = []
    if table.shape == "levels":
        keys: dict[tuple[str, ...], str] = {}
        for row, cells in rows(table):
            key: tuple[str, ...] = ()
            parent = None
            for depth, level in enumerate(table.levels):
                code = cells[level.code].strip()
                if not code:
                    break
                key = (*key, code)
                ident = keys.get(key)
                if ident is None:
                    ident = keys[key] = node_id(table, row, depth)
                    built.node(ident, _label(code, cells[level.label].strip() if level.label else None))
                    (built.children[parent] if parent is not None else tops).append(ident)
                built.cells(ident, row, cells, dict(level.measures))
                parent = ident
        return list(built.nodes()), tops
    by_code: dict[str, str] = {}
    parents: list[tuple[str, str, int]] = []
    for row, cells in rows(table):
        code = cells[table.code if table.shape == "prefix" else table.key].strip()
        if totals is not None and cells[totals.column].strip() in totals.values:
            ident = node_id(table, row)
            built.node(ident, _label(code, cells[table.label].strip() if table.label else cells[totals.column].strip()))
            total_ids.append(ident)
            built.cells(ident, row, cells, dict(table.measures))
            continue
        ident = by_code.get(code)
        if ident is None:
            ident = by_code[code] = node_id(table, row)
            built.node(ident, _label(code, cells[table.label].strip() if table.label else None))
            if table.shape == "prefix":
                parent_code = _prefix_parent(table, row, code)
            else:
                parent_code = cells[table.parent].strip() or None
            parents.append((ident, parent_code or "", row))
        built.cells(ident, row, cells, dict(table.measures))
    for ident, parent_code, row in parents:
        if not parent_code:
            tops.append(ident)
            continue
        parent = by_code.get(parent_code)
        if parent is None:
            what = "code prefix" if table.shape == "prefix" else f"{table.parent!r}"
            raise CaseError([Problem(Location(table.file, row, 1),
                                     f"row {row}: no row has the parent {what} {parent_code!r}{suggest(parent_code, by_code)}")])
        built.children[parent].append(ident)
    if total_ids:
        for total in total_ids:
            built.children[total].extend(tops)
        tops = total_ids
    return list(built.nodes()), tops


def _prefix_parent(table: Table, row: int, code: str) -> str | None:
    lengths = table.lengths
    if len(code) not in lengths:
        raise CaseError([Problem(Location(table.file, row, table.columns.index(table.code) + 1),
                                 f"code {code!r} has {len(code)} characters; the table's levels have "
                                 f"{', '.join(map(str, lengths))}")])
    level = lengths.index(len(code))
    return code[:lengths[level - 1]] if level else None


def count_rows(table: Table) -> int:
    """Data rows of a table file, counted without reading its cells as figures."""
    if table.format == "parquet":
        try:
            import pyarrow.parquet as pq
        except ImportError:
            return sum(1 for _ in rows(table))
        return pq.ParquetFile(table.file).metadata.num_rows
    return sum(1 for _ in rows(table))


def expand(case: Case, tables: Iterable[Table] | None = None) -> Case:
    """``case`` with its tables (or the ``tables`` given) as nodes: what the tree engine checks."""
    chosen = tuple(case.tables if tables is None else tables)
    if not chosen:
        return case
    nodes = dict(case.nodes)
    sources = dict(case.sources)
    problems = []
    for table in chosen:
        sources.setdefault(table.source, Source(table.source, table.file, os.path.basename(table.file)))
        made, tops = table_nodes(table)
        for node in made:
            if node.id in nodes:
                problems.append(Problem(table.origin, f"table {table.id!r} makes node {node.id!r}, "
                                                      "which the case already has"))
            nodes[node.id] = node
        if table.under is not None:
            under = nodes.get(table.under)
            if under is None:
                problems.append(Problem(table.origin, f"table {table.id!r} sums into unknown node "
                                                      f"{table.under!r}{suggest(table.under, nodes)}"))
                continue
            nodes[under.id] = attrs.evolve(under, children=(*under.children, *tops))
    if problems:
        raise CaseError(problems)
    remaining = tuple(t for t in case.tables if t not in chosen)
    return attrs.evolve(case, nodes=nodes, sources=sources, tables=remaining)
