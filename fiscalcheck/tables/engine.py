"""The columnar engine: a case's tables checked by SQL over DuckDB, the rest by the tree engine.

Each table is read once (:func:`.sql.load_sql`), its nodes aggregated in one
table (:func:`.sql.nodes_sql`), and the built-in relations decided by one query
(:func:`.sql.checks_sql`) that returns the relations that fail and counts those
that hold. A failing relation is then described by the tree engine's own rule
over just the nodes it involves, read back from the table with their every
printing: the :class:`~fiscalcheck.findings.Finding` is the one the tree engine
would give, word for word and digit for digit, and only the few failing
relations are ever made into Python objects. So are their likely causes: the
nodes around each failing relation (:func:`_neighbourhood`) are read back as a
small case, where diagnosis sees every other relation a suspect figure enters.

What is not a table (prose nodes, declared relations, transfers, custom
invariants) runs on the tree engine as before; a table's top level that sums
into a node of the case (``under``) is checked here, against that node.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from decimal import Decimal

import attrs

from ..errors import CaseError, Location, Problem
from ..findings import Finding
from ..model import Case, Cell, Node, Source, Statement
from ..model.table import Table
from ..numbers import EXACT, Interval
from ..record import Record
from ..rules import Context
from .progress import QUIET, Progress
from .read import cell_figure, excel_rows, header
from .sql import (SETTINGS, SQL_RULES, Layout, bad_code_sql, cell_sql, checks_sql, children_sql, describe_sql, extremes_sql,
                  first_row_sql, layout as make_layout, load_sql, near_has_sql, near_lacks_sql, near_sql, node_sql,
                  nodes_sql, orphan_sql, parent_key_sql, printed_on_sql, rows_sql, scan_sql, top_count_sql,
                  top_items_sql, top_sql, totals_sql, unique_sql)
from .tree import node_id

__all__ = ["Outcome", "check_tables", "check_table", "merge"]

#: DuckDB's own memory, at most: past it, it spills to disk (a 10^6-row table needs far less).
MEMORY_LIMIT = "256MB"


@attrs.frozen(repr=False, eq=False)
class Outcome(Record):
    """What the columnar engine found in a case's tables."""

    #: The failing relations, described by the tree engine's rules (their causes not yet filled in).
    findings: tuple[Finding, ...] = ()
    #: How many relations hold, and how many of those only within the printed precision.
    held: int = 0
    held_within: int = 0
    #: Around the failing relations, for their likely causes: small cases of the nodes those relations
    #: read, with the nodes each of their figures enters any other relation with, and every relation
    #: the columnar rules judge among them (holding and failing). Diagnosis ranks a suspect figure by
    #: what else it enters (:func:`fiscalcheck.diagnosis.diagnose_checks`), so the causes are the ones
    #: the tree engine gives over the whole table.
    neighbourhoods: tuple[tuple[Case, tuple[Finding, ...]], ...] = ()

    def __add__(self, other: "Outcome") -> "Outcome":
        return Outcome((*self.findings, *other.findings), self.held + other.held,
                       self.held_within + other.held_within, (*self.neighbourhoods, *other.neighbourhoods))


def check_tables(case: Case, rules: Iterable, progress: Progress = QUIET, nearby: int = 0) -> Outcome:
    """What ``case.tables`` hold: the failing relations as findings, how many hold, and the
    neighbourhoods of the failing ones (see :class:`Outcome`).

    ``case`` is the whole case as the rules see it (a rule pack's policy applied);
    ``rules`` the rules chosen for it: each built-in rule the SQL knows runs over each table.
    ``nearby``: how many rows around a failing relation's own the diagnosis reads for an item left
    out of a total (:data:`fiscalcheck.diagnosis.items.NEARBY`); their nodes join its neighbourhood.
    """
    sources = dict(case.sources)
    for table in case.tables:
        sources.setdefault(table.source, Source(table.source, table.file, os.path.basename(table.file)))
    whole = attrs.evolve(case, sources=sources)
    chosen = tuple(rules)
    outcome = Outcome()
    try:
        for table in case.tables:
            outcome += check_table(whole, table, chosen, progress, nearby)
    finally:
        progress.done()
    return outcome


def merge(tree: Iterable[Finding], tables: Iterable[Finding], rules: Iterable) -> list[Finding]:
    """Both engines' findings in the tree engine's order: rule by rule, the case's own nodes first."""
    order = {rule.id: i for i, rule in enumerate(rules)}
    pairs = sorted(enumerate([*tree, *tables]), key=lambda pair: (order.get(pair[1].rule, len(order)), pair[0]))
    return [finding for _, finding in pairs]


def _connect():
    import duckdb

    con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT})
    for setting in SETTINGS:
        con.execute(setting)
    return con


def _problem(table: Table, message: str, row: int = 0, column: int = 0) -> CaseError:
    where = Location(table.file, row, column) if row else (table.origin or Location(table.file, 0, 0))
    return CaseError([Problem(where, message)])


def check_table(case: Case, table: Table, rules: Iterable, progress: Progress = QUIET, nearby: int = 0) -> Outcome:
    """What one table holds (see :class:`Outcome`)."""
    import duckdb

    con = _connect()
    try:
        progress.step(f"table {table.id}: reading {os.path.basename(table.file)}")
        table_layout = _load(con, case, table)
        progress.step(f"table {table.id}: grouping its rows into nodes")
        unique = bool(con.execute(unique_sql(table_layout, quick=True)).fetchone()[0]
                      or con.execute(unique_sql(table_layout)).fetchone()[0])
        statements = nodes_sql(table_layout, unique)
        for statement in statements:
            con.execute(statement)
        if len(statements) > 1:  # the line items are a view: parents are found among the stored levels
            table_layout = attrs.evolve(table_layout, parents="nu")
        _check_parents(con, table_layout)
        findings: list[Finding] = []
        held = within = 0
        wanted = []
        judging = [rule for rule in rules if rule.id in SQL_RULES]
        progress.step(f"table {table.id}: {', '.join(rule.id for rule in judging)}")
        found = con.execute(checks_sql(table_layout, [rule.id for rule in judging])).fetchone() if judging else ()
        for i, rule in enumerate(judging):  # three columns a rule: see sql.checks_sql
            holding, rounding, failing = found[3 * i: 3 * i + 3]
            held += holding
            within += rounding
            wanted.extend((rule, level, key, first, measure) for level, key, first, measure in failing)
        if table.under is not None and any(r.id == "parts-sum" for r in rules):
            rule = next(r for r in rules if r.id == "parts-sum")
            described, counted, rounded = _under(con, case, table_layout, rule)
            held += counted
            within += rounded
            findings.extend(described)
        progress.step(f"table {table.id}: describing {len(wanted)} failing relations")
        described, counted, rounded, around = _describe(con, case, table_layout, wanted, judging, nearby)
        # the case node `under` before the table's own (its causes are read in the case's tree)
        return Outcome((*findings, *described), held + counted, within + rounded, around)
    except duckdb.Error as error:
        raise _problem(table, f"table {table.id!r}: {str(error).splitlines()[0]}") from None
    finally:
        con.close()


def _load(con, case: Case, table: Table) -> Layout:
    """Read the table into ``src`` and find each measure column's decimals; refuse cells that are not numbers.

    A Parquet DECIMAL or integer column is exact as it is, every cell printed to
    the column's scale; a float column is refused; text is read as a CSV cell is.
    """
    import re

    measure_columns = list(dict.fromkeys(
        c.name for measures in ([level.measures for level in table.levels] or [table.measures])
        for c in measures.values()
    ))
    scales: dict[str, int] = {}
    digits: dict[str, int] = {}
    if table.format == "parquet":
        described = con.execute(describe_sql(table)).fetchall()
        names = [row[0] for row in described]
        positions = header(table, names)
        for name, kind, *_ in described:
            if name not in positions:
                continue
            kind = kind.upper()
            if kind in ("FLOAT", "DOUBLE", "REAL"):
                raise _problem(table, f"column {name!r} holds binary floats ({kind}): their printed digits are "
                                      "lost; write it as DECIMAL or text", 1, names.index(name) + 1)
            decimal = re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", kind)
            integers = {"TINYINT": 3, "SMALLINT": 5, "INTEGER": 10, "BIGINT": 19, "HUGEINT": 39,
                        "UTINYINT": 3, "USMALLINT": 5, "UINTEGER": 10, "UBIGINT": 20}
            if name in measure_columns and decimal:
                scales[name] = int(decimal[2])
            elif name in measure_columns and kind in integers:
                scales[name] = 0
    elif table.format == "xlsx":
        names = _register_sheet(con, table)
    else:
        names = [row[0] for row in con.execute(describe_sql(table)).fetchall()]
        header(table, names)
    typed = frozenset(scales)
    for statement in load_sql(table, typed):
        con.execute(statement)
    if typed:  # the digits the cells use, not the type's: a narrower decimal computes faster
        aliases = [f"c{table.columns.index(name)}" for name in typed]
        found = con.execute(extremes_sql(aliases)).fetchone()
        digits.update({name: len(str(int(max(abs(hi or 0), abs(lo or 0)))))
                       for name, hi, lo in zip(typed, found[::2], found[1::2])})
    text_columns = [name for name in measure_columns if name not in typed]
    if text_columns:
        found = con.execute(scan_sql(table, text_columns)).fetchone()
        n = len(text_columns)
        scales.update({k: int(v or 0) for k, v in zip(text_columns, found[:n])})
        digits.update({k: int(v or 0) for k, v in zip(text_columns, found[n: 2 * n])})
        for name, bad in zip(text_columns, found[2 * n:]):
            if bad is not None:
                alias = f"c{table.columns.index(name)}"
                text = con.execute(cell_sql(alias, bad)).fetchone()[0]
                raise _problem(table, f"expected a number in column {name!r}, got {text.strip()!r}", int(bad),
                               names.index(name) + 1)
    return make_layout(table, case.policy, scales, typed, digits)


def _register_sheet(con, table: Table) -> list[str]:
    """An Excel sheet's cells, as its number formats print them (:mod:`.excel`), as the relation
    ``sheet``: a ``#row`` column (the sheet's row numbers) and each column the spec names, as text."""
    import pyarrow as pa

    names, records = excel_rows(table)
    numbers: list[int] = []
    columns: dict[str, list[str]] = {name: [] for name in table.columns}
    for number, cells in records:
        numbers.append(number)
        for name, text in cells.items():
            columns[name].append(text)
    con.register("sheet", pa.table({"#row": pa.array(numbers, pa.int64()),
                                    **{name: pa.array(values, pa.string()) for name, values in columns.items()}}))
    return names


def _check_parents(con, layout: Layout) -> None:
    """Every parent a code or parent column names exists (as the tree engine requires)."""
    table = layout.table
    if table.shape == "levels":
        return
    if table.shape == "prefix":
        bad = con.execute(bad_code_sql(layout)).fetchone()[0]
        if bad is not None:
            text = con.execute(cell_sql(f"trim({layout.keys[0]})", bad)).fetchone()[0]
            raise _problem(table, f"code {text!r} has {len(text)} characters; the table's levels have "
                                  f"{', '.join(map(str, table.lengths))}", bad, table.columns.index(table.code) + 1)
    orphan = con.execute(orphan_sql()).fetchone()
    if orphan is not None:
        what = "code prefix" if table.shape == "prefix" else f"{table.parent!r}"
        raise _problem(table, f"row {orphan[0]}: no row has the parent {what} {orphan[1]!r}", orphan[0], 1)


# -- describing failing relations with the tree engine's rules --------------------


@attrs.frozen(repr=False, eq=False)
class _Ref(Record):
    level: int
    key: str
    first: int
    total: bool = False


class _Nodes:
    """Nodes of one table read back from ``src``, with every printing, for the relations to describe."""

    def __init__(self, con, case: Case, layout: Layout):
        self.con = con
        self.case = case
        self.layout = layout
        self.table = layout.table
        self.file = os.path.basename(self.table.file)
        self.built: dict[tuple[int, str], Node] = {}
        self.known: dict[tuple[int, str], _Ref] = {}  # nodes whose first row is known: no query for their paths

    def ident(self, ref: _Ref) -> str:
        return node_id(self.table, ref.first, ref.level if self.layout.shape == "levels" else None)

    def fetch(self, refs: Iterable[_Ref], thin: frozenset[int] | None = None) -> None:
        """Build the nodes ``refs`` (their measures, no children yet), a query per level.

        With ``thin`` (row numbers), a node gets, of each measure, its first printing of each text and
        every printing on those rows, not all of them: a total repeated on each of its line items'
        rows would otherwise bring thousands of copies of one figure into a neighbourhood. The
        copies dropped change no relation's verdict (they print the same interval) and no suspect
        (the rows near a finding are kept), so it is only for nodes whose figures are not suspects:
        those the relations to describe are built first, whole."""
        pending: dict[tuple[int, bool], list[_Ref]] = {}
        for ref in refs:
            if (ref.level, ref.key) not in self.built:
                pending.setdefault((ref.level, ref.total), []).append(ref)
        for (level, total), group in pending.items():
            by_key = {ref.key: ref for ref in group}
            measures = self.layout.levels[level]
            codes_at = self.layout.keys[level]
            label_name = (self.table.levels[level].label if self.table.levels else
                          (self.table.label or (self.table.totals.column if total else None)))
            label_alias = self.layout.aliases[label_name] if label_name else None
            statements: dict[str, dict[str, list[Statement]]] = {k: {} for k in by_key}
            labels: dict[str, str] = {}
            seen: set[tuple[str, str, str]] = set()
            for chunk in _chunks(list(by_key), 500):
                rows = self.con.execute(rows_sql(self.layout, level, chunk, total)).fetchall()
                for r, *cells in rows:
                    values = dict(zip(self.layout.aliases.values(), cells))
                    key = ("#" + str(r)) if total else self._key(values, level)
                    if key not in statements:
                        continue
                    if key not in labels:
                        code = (values[codes_at] or "").strip()
                        text = (values[label_alias] or "").strip() if label_alias else None
                        labels[key] = f"{code} {text}".strip() if text else code
                    for name, m in measures.items():
                        cell = values[m.alias] or ""
                        if thin is not None and r not in thin:
                            if (key, name, cell) in seen:
                                continue
                            seen.add((key, name, cell))
                        figure = cell_figure(cell, m.column)
                        if figure is not None:
                            statements[key].setdefault(name, []).append(Statement(
                                cell.strip(), figure, self.table.source, r, m.column.exact,
                                cell=Cell(self.file, r, m.column.name)))
            for key, ref in by_key.items():
                self.built[(level, key)] = Node(
                    self.ident(ref), labels.get(key, ""),
                    # in the spec's order, as the tree engine's nodes (tables.tree): not the order of the
                    # first row printing each, which would list a node's findings in another order
                    measures={m: tuple(statements[key][m]) for m in measures if m in statements[key]})

    def _key(self, values: dict[str, str | None], level: int) -> str:
        if self.layout.shape != "levels":
            return (values[self.layout.keys[0]] or "").strip()
        return chr(31).join((values[a] or "").strip() for a in self.layout.keys[: level + 1])

    def node(self, ref: _Ref) -> Node:
        return self.built[(ref.level, ref.key)]

    def children(self, refs: Iterable[_Ref]) -> dict[_Ref, list[_Ref]]:
        """Each node's children, in row order: a query per level (and one for the totals), not per node."""
        found: dict[_Ref, list[_Ref]] = {}
        by_level: dict[int, dict[str, _Ref]] = {}
        for ref in dict.fromkeys(refs):
            found[ref] = []
            if self.layout.shape == "levels" and not ref.total and ref.level + 1 >= len(self.layout.levels):
                continue  # a line item
            if ref.total:
                rows = self.con.execute(top_items_sql()).fetchall()
                found[ref] = [_Ref(level, key, first) for level, key, first in rows]
            else:
                by_level.setdefault(ref.level, {})[ref.key] = ref
        for level, parents in by_level.items():
            for chunk in _chunks(list(parents), 500):
                for below, parent, key, first in self.con.execute(children_sql(self.layout, level, chunk)).fetchall():
                    found[parents[parent]].append(_Ref(below, key, first))
        return found

    def ancestors(self, ref: _Ref) -> list[_Ref]:
        """From the top of the table down to ``ref``'s parent, through first parents (as paths go)."""
        chain: list[_Ref] = []
        if self.layout.shape == "levels":
            codes = ref.key.split(chr(31))
            for level in range(ref.level):
                key = chr(31).join(codes[: level + 1])
                known = self.known.get((level, key))
                if known is None:
                    first = self.con.execute(first_row_sql(level, key)).fetchone()[0]
                    known = self.known[(level, key)] = _Ref(level, key, first)
                chain.append(known)
        else:
            current = ref
            while not current.total:
                row = self.con.execute(parent_key_sql(current.key)).fetchone()
                if row is None or row[0] is None:
                    break
                parent = self.con.execute(node_sql(row[0])).fetchone()
                current = _Ref(*parent)
                chain.insert(0, current)
        top = chain[0] if chain else ref
        if self.table.totals is not None and not top.total:
            total = self.con.execute(totals_sql(first_only=True)).fetchone()
            if total is not None:
                chain.insert(0, _Ref(*total, total=True))
        return chain


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _outer_chain(case: Case, table: Table) -> list[Node]:
    """The case's nodes from a root down to the table's ``under`` node, bare: they only give the path."""
    if table.under is None:
        return []
    return [Node(i) for i in case.path(table.under).split("/")]


def _mini_case(case: Case, chain: list[Node], judged: Node, children: list[Node]) -> Case:
    """A case of just the nodes one relation needs, with the whole case's path to them."""
    nodes: dict[str, Node] = {}
    line = [*chain, judged]
    for above, below in zip(line, line[1:]):
        nodes[above.id] = attrs.evolve(above, measures={}, children=(below.id,), sums=None)
    nodes[judged.id] = attrs.evolve(judged, children=tuple(c.id for c in children))
    for child in children:
        nodes[child.id] = child
    return attrs.evolve(case, nodes=nodes, relations=(), transfers=(), tables=(), invariants=(), waivers=(),
                        rules=None)


def _describe(con, case: Case, layout: Layout, wanted: list, judging: list,
              nearby: int = 0) -> tuple[list[Finding], int, int, tuple]:
    """The findings of the relations the SQL found failing, from the tree engine's rules (and how
    many of them hold after all, how many of those only within the printed precision, and the
    neighbourhood of those that fail, where the rules ``judging`` are judged: see :func:`_neighbourhood`)."""
    if not wanted:
        return [], 0, 0, ()
    refs = {}
    for rule, level, key, first, measure in wanted:
        total = isinstance(key, str) and key.startswith("#") and layout.table.totals is not None
        ref = _Ref(level, key, first, total)
        refs[(rule.id, level, key, measure)] = ref
    table = layout.table
    if layout.shape == "levels" and table.totals is None and table.under is None:
        # every node read from here on shares a top code with a failing relation's (see near_sql;
        # a table summing into a case node needs all its top level, and is read whole); when the
        # failures are under much of the top level, a copy of most of the file would cost more
        # memory than it saves time
        tops = {ref.key.split(chr(31))[0] for ref in refs.values()}
        (top_level,) = con.execute(top_count_sql(layout)).fetchone()
        if 4 * len(tops) <= top_level:
            con.execute(near_sql(layout, tops))
            layout = attrs.evolve(layout, rows="near")
    reader = _Nodes(con, case, layout)
    plans = []
    needed: list[_Ref] = []
    kids_of = reader.children([ref for (rule_id, *_), ref in refs.items() if rule_id == "parts-sum"])
    for (rule_id, level, key, measure), ref in refs.items():
        children = kids_of[ref] if rule_id == "parts-sum" else []
        chain = reader.ancestors(ref)
        needed += [ref, *children]  # ancestors only give the path: bare nodes, nothing to read
        plans.append((rule_id, measure, ref, children, chain))
    reader.fetch(needed)
    rules = {rule.id: rule for rule, *_ in wanted}
    outer = _outer_chain(case, layout.table)
    order = []
    mini_paths: dict[tuple[str, str, _Ref], str] = {}
    held = within = 0
    for rule_id, measure, ref, children, chain in plans:
        judged = reader.node(ref)
        kids = [reader.node(c) for c in children]
        if rule_id in ("parts-sum", "statements-agree"):  # the rule reads this one measure only
            judged = _only(judged, measure)
            kids = [_only(k, measure) for k in kids]
        mini = _mini_case(case, [*outer, *(Node(reader.ident(a)) for a in chain)], judged, kids)
        rule = rules[rule_id]
        path = mini_paths[(rule_id, measure, ref)] = mini.path(judged.id)
        produced = [f for f in rule.check(mini, Context(mini).for_rule(rule.severity))
                    if f.node == path and f.measure == measure]
        for finding in produced:
            if finding.holds:
                held += 1
                within += not finding.exact
            else:
                order.append(((_RULE_ORDER.get(rule_id, 99), ref.first, ref.level,
                               list(layout.levels[ref.level]).index(measure)), finding))
    order.sort(key=lambda pair: pair[0])
    failing = {(f.rule, f.node, f.measure): f for _, f in order}
    judged = [(rule_id, ref, failing[key]) for rule_id, measure, ref, *_ in plans
              if (key := (rule_id, mini_paths[(rule_id, measure, ref)], measure)) in failing]
    around = (_neighbourhood(case, reader, outer, judged, judging, nearby),) if judged else ()
    return [f for _, f in order], held, within, around


def _neighbourhood(case: Case, reader: "_Nodes", outer: list[Node], judged: list[tuple[str, _Ref, Finding]],
                   rules: list, nearby: int = 0) -> tuple[Case, tuple[Finding, ...]]:
    """The nodes around the failing relations ``judged`` ((rule id, node, finding)), as a case, with
    every relation the columnar rules judge in it.

    A cause is ranked by the other relations its figure enters (a suspect figure that would break a
    relation that holds is less likely). A figure of node X enters X's own relations, the sum of
    X's parent (with X's siblings) and X's sum of its children. So the case holds, for each failing
    relation's node X: X's parent, the parent's children, X's children and, for a sum, their
    children. A node's parents are all of them: a table's total rows are each a parent of its top
    level. Each node in it has all its children or none, so every relation judged in it is one
    the whole table has; the nodes above give the paths only (no measures, no relation).
    """
    full: set[_Ref] = set()
    complete: dict[_Ref, list[_Ref]] = {}
    chains: dict[_Ref, list[_Ref]] = {}  # a node's ancestors, from the top down to its parent

    def read_children(refs: Iterable[_Ref]) -> None:  # before each step: a query per level, not per node
        complete.update(reader.children(ref for ref in refs if ref not in complete))

    totals: list[_Ref] = []  # every total row, read when the first comes in

    def with_children(ref: _Ref, above: list[_Ref]) -> list[_Ref]:
        chains[ref] = above
        full.add(ref)
        for kid in complete[ref]:
            chains.setdefault(kid, [*above, ref])
            full.add(kid)
        if ref.total and not totals:
            # each total row is a parent of every top item, and a figure of one enters every total's
            # sum: the others come in too, with the same children (paths go through the first only)
            totals.extend(_Ref(level, key, first, True) for level, key, first in reader.con.execute(
                totals_sql()).fetchall())
            for other in totals:
                complete.setdefault(other, complete[ref])
                chains.setdefault(other, [])
                full.add(other)
        return complete[ref]

    aboves = [reader.ancestors(ref) for _, ref, _ in judged]
    read_children([*(above[-1] for above in aboves if above), *(ref for _, ref, _ in judged)])
    read_children(child for rule_id, ref, _ in judged if rule_id == "parts-sum" for child in complete[ref])
    for (rule_id, ref, _), above in zip(judged, aboves):
        if above:
            with_children(above[-1], above[:-1])
        for child in with_children(ref, above):
            if rule_id == "parts-sum":
                with_children(child, [*above, ref])
    # an item left out of a total is looked for among the figures printed near the relation's own
    # (``nearby`` rows): the nodes printing them, each with its path
    rows = {row + step for *_, finding in judged for s in finding.statements if s.cell is not None
            for row in (s.line,) for step in range(-nearby, nearby + 1)}
    if rows and reader.layout.rows == "near":
        _widen(reader, rows)
    if rows:
        near = [_Ref(level, key, first, total) for level, key, first, total in
                reader.con.execute(printed_on_sql(reader.layout, sorted(rows))).fetchall()]
        reader.known.update({(ref.level, ref.key): ref for ref in near if not ref.total})
        for ref in near:
            if ref not in chains:
                chains[ref] = reader.ancestors(ref)
            full.add(ref)
    # the top level of a table that sums into a case node (``under``) enters that node's sum: all of
    # it, with the node and its own children in the case
    table = reader.table
    under = case.nodes.get(table.under) if table.under is not None else None
    if under is not None and any(not chains[ref] for ref in full):
        for first, level, key, *_ in reader.con.execute(top_sql(reader.layout)).fetchall():
            top = _Ref(level, key, first, table.totals is not None)
            chains.setdefault(top, [])
            full.add(top)
    else:
        under = None
    # a node with measures that another's path runs through gets all its children, not only that one;
    # until none is left, since the children so added may themselves be on a path (a top level under
    # a total row, both printed near the finding)
    while True:
        through: dict[_Ref, list[_Ref]] = {}  # each such node with its path, as first met
        for ref in list(full):
            for depth, link in enumerate(chains[ref]):
                if link in full and link not in complete:
                    through.setdefault(link, chains[ref][:depth])
        if not through:
            break
        read_children(through)
        for link, above in through.items():
            with_children(link, above)
    reader.fetch(full, thin=frozenset(rows))
    links: dict[_Ref, dict[_Ref, None]] = {}
    tops: dict[_Ref, None] = {}
    for ref in full:
        line = chains[ref]
        for above, below in zip(line, [*line[1:], ref]):
            links.setdefault(above, {})[below] = None
        tops[line[0] if line else ref] = None
    nodes: dict[str, Node] = {}
    for above, below in zip(outer, outer[1:]):
        nodes[above.id] = attrs.evolve(above, measures={}, children=(below.id,), sums=None)
    for ref in sorted(full | set(links), key=_order):  # the tree engine's order: row by row, level by level
        if ref in full:
            kids = complete.get(ref, ())
            nodes[reader.ident(ref)] = attrs.evolve(reader.node(ref), children=tuple(reader.ident(k) for k in kids))
        else:  # on a path only
            nodes[reader.ident(ref)] = Node(reader.ident(ref), children=tuple(reader.ident(b) for b in links[ref]))
    if under is not None:  # the node with its measures; its children in the case without theirs
        for child in under.children:
            nodes[child] = attrs.evolve(case.nodes[child], children=())
        nodes[under.id] = attrs.evolve(under, children=(*under.children,
                                                        *(reader.ident(t) for t in sorted(tops, key=_order))))
    elif outer:
        last = outer[-1]
        nodes[last.id] = attrs.evolve(last, measures={}, sums=None,
                                      children=tuple(reader.ident(t) for t in sorted(tops, key=_order)))
    near = attrs.evolve(case, nodes=nodes, relations=(), transfers=(), tables=(), invariants=(), waivers=(),
                        rules=None)
    context = Context(near)
    checks = [f for rule in rules for f in rule.check(near, context.for_rule(rule.severity))]
    return near, tuple(checks)


def _widen(reader: "_Nodes", rows: set[int]) -> None:
    """Add to ``near`` the rows under the top codes that ``rows`` print and it lacks: the rows
    near a failing relation's may cross into the next top code."""
    listed = sorted(r for r in rows if r >= 2)  # row 1 is the header
    if not listed or reader.con.execute(near_has_sql(listed)).fetchone()[0] == len(listed):
        return
    tops = [top for (top,) in reader.con.execute(near_lacks_sql(reader.layout, listed)).fetchall()]
    if tops:
        reader.con.execute(near_sql(reader.layout, tops, extend=True))


def _order(ref: _Ref) -> tuple:
    return (ref.first, ref.level)


def _only(node: Node, measure: str) -> Node:
    return attrs.evolve(node, measures={measure: node.measures[measure]} if measure in node.measures else {})


_RULE_ORDER = {rule: i for i, rule in enumerate(("statements-agree", "parts-sum", "within-budget", "rate", "remainder"))}


def _under(con, case: Case, layout: Layout, rule) -> tuple[list[Finding], int, int]:
    """The ``under`` node against the table's top level (and its own children in the case)."""
    table = layout.table
    under = case.nodes[table.under]
    context = Context(case)
    tops = con.execute(top_sql(layout)).fetchall()
    names = layout.measure_names
    yaml_children = [case.nodes[c] for c in under.counted_children]
    if under.sums is not None:
        measures = under.sums
    else:
        measures = tuple(
            m for m, statements in under.measures.items()
            if statements[0].figure.unit.additive and m in names
            and all(m in c.measures for c in yaml_children)
        )
    failing, held, within = [], 0, 0
    for measure in measures:
        index = names.index(measure)
        columns = [row[3 + 5 * index: 8 + 5 * index] for row in tops]
        if not tops or not all(has for has, *_ in columns):
            continue
        target = context.quantity(under.id, measure)
        if target is None:
            continue
        lo, hi, nominal = Decimal(0), Decimal(0), Decimal(0)
        parts = [context.quantity(c.id, measure) for c in yaml_children]
        for part in parts:
            lo, hi, nominal = _add(lo, part.interval.lo), _add(hi, part.interval.hi), _add(nominal, part.nominal)
        for _, part_lo, part_hi, _, part_v in columns:  # the SQL's common unit, back to the base unit
            lo, hi = _add(lo, _base(part_lo, layout.base)), _add(hi, _base(part_hi, layout.base))
            nominal = _add(nominal, _base(part_v, layout.base))
        total = Interval(lo, hi)
        if under.partial:
            holds = target.interval.hi is None or total.lo is None or target.interval.hi >= total.lo
        else:
            holds = target.interval.intersects(total)
        if holds and not target.alternatives:
            held += 1
            within += nominal is not None and not (target.nominal >= nominal if under.partial
                                                   else target.nominal == nominal)
        else:
            failing.append(measure)
    if not failing:
        return [], held, within
    reader = _Nodes(con, case, layout)
    top_refs = [_Ref(level, key, first, table.totals is not None) for first, level, key, *_ in tops]
    reader.fetch(top_refs)
    nodes = dict(case.nodes)
    nodes[under.id] = attrs.evolve(under, children=(*under.children, *(reader.ident(r) for r in top_refs)))
    for ref in top_refs:
        nodes[reader.ident(ref)] = reader.node(ref)
    mini = attrs.evolve(case, nodes=nodes, relations=(), transfers=(), tables=(), invariants=(), waivers=(),
                        rules=None)
    path = mini.path(under.id)
    found = []
    for finding in rule.check(mini, Context(mini).for_rule(rule.severity)):
        if finding.node == path and finding.measure in failing:
            if finding.holds:
                held += 1
                within += not finding.exact
            else:
                found.append(finding)
    return found, held, within


def _base(value, exponent: int):
    return None if value is None else EXACT.scaleb(Decimal(value), exponent)


def _add(a, b):
    if a is None or b is None:
        return None
    return EXACT.add(a, Decimal(b) if not isinstance(b, Decimal) else b)
