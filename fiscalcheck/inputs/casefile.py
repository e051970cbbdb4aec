"""Case files: YAML text → :class:`~fiscalcheck.model.Case`, with every part located.

A case file (docs/case-format.md) is read with the located reader
(:mod:`fiscalcheck.inputs.located`): every scalar stays the text the auditor
typed, with its file, line and column. ``include:`` builds one case of several
files with shared node ids, each file read once. Every problem of every file is
collected and raised together as one :class:`~fiscalcheck.errors.CaseError`.
Writing a case back is :mod:`fiscalcheck.inputs.dump`.
"""

from __future__ import annotations

import codecs
import os
import sys
from collections.abc import Iterable, Iterator
from typing import Any

import attrs
import yaml

from ..errors import CaseError, Location, Problem, suggest
from ..findings import severity_problem
from ..figures import FigureError, unit_named
from ..model import (
    COMPARISONS, MEASURE_PATTERN, RELATION_KINDS, Case, Lines, Node, Policy, Relation, Source, Statement, Transfer,
)
from ..rules import BUILTIN_IDS
from ..rules.invariants import validate_invariants
from .invariants import read_invariant
from .files import MAX_DEPTH, Access, chain_text, read_text
from .located import STATEMENT_KEYS, Reader, compose
from .packs import read_case_rules, shipped_folders
from .policy import read_policy
from .tables import read_table
from .waivers import baseline_path, read_baseline, read_waiver

__all__ = ["load", "loads", "Builder", "TOP_KEYS"]


TOP_KEYS = ("case", "title", "sources", "policy", "include", "nodes", "statements", "relations", "transfers",
            "rules", "invariants", "waivers", "tables")
NODE_KEYS = ("id", "label", "kind", "tags", "unit", "measures", "children", "partial", "sums", "outside")
REF_KEYS = ("ref", "outside")
TOP_STATEMENT_KEYS = ("node", "measure", *STATEMENT_KEYS)
RELATION_KEYS = (*RELATION_KINDS, "of", "partial", "note", "severity", "proposed", "because", "change")
TRANSFER_KEYS = ("from", "to", "amount")
SOURCE_KEYS = ("path", "title", "encoding", "text")
#: Files of this many characters or more are composed a batch of list items at a time (inputs/batches.py);
#: shorter ones whole, their node tree being small. The batched reader is imported only for such a file:
#: most case files are far smaller, and importing it was ~1 ms of a run's start (bench/startup.py).
BATCHED_FROM = 1024 * 1024
#: How many unknown node ids of one load get a "did you mean" (see Builder.near_id).
SUGGESTIONS = 20


class Builder:
    """Collects the parts of every file of an include set into one case."""

    def __init__(self, access: Access | None = None) -> None:
        self.access = access or Access()
        self.reports: dict[tuple[str, str], tuple[str, ...] | None] = {}
        self.suggested = 0
        self.problems: list[Problem] = []
        self.nodes: dict[str, Node] = {}
        self.node_where: dict[str, Location] = {}
        self.sources: dict[str, Source] = {}
        self.unread: dict[str, Location] = {}  # source id -> where its path is written, until finish() reads it
        self.relations: list[Relation] = []
        self.transfers: list[Transfer] = []
        self.extra: list[tuple[str, Location, str, Location, Statement]] = []
        self.policy: Policy | None = None
        self.policy_where: Location | None = None
        self.files: list[str] = []
        self.case_id: str | None = None
        self.title = ""
        self.invariants: list = []  # custom.Invariant, docs/rules.md
        self.waivers: list = []  # waivers.Waiver
        self.pack = None  # rulepack.RulePack named by 'rules:'
        self.pack_where: Location | None = None
        self.tables: list = []  # model.table.Table, docs/case-format.md "Tables"

    def load_file(self, path: str, text: str | None = None) -> None:
        """Read the top file (or ``text`` in its name) and every file it includes, in the order written.

        Includes are walked with an explicit stack, never by recursion: each file's
        reading is a generator that stops at an include until the included file is
        read (its nodes come first, and its sources serve as defaults), so a chain of
        any length gives a located problem at :data:`~.files.MAX_DEPTH`, not a RecursionError.
        """
        from_file = text is None
        if text is None:
            text = read_text(path, None, "case file", self.access.max_size, self.problems)
            if text is None:
                return
        elif len(text) > self.access.max_size:
            self.problems.append(Problem(Location(path, 1, 1), f"case text is longer than the maximum of "
                                                                f"{self.access.max_size} characters"))
            return
        real = os.path.realpath(path)
        if from_file:
            self.files.append(real)
        stack: list[tuple[Iterator[tuple[str, Location]], str, str | None]] = [
            (self.read_file(text, path, True), real, path if from_file else None)]
        while stack:
            try:
                name, via = next(stack[-1][0])
            except StopIteration:
                _, _, done = stack.pop()
                if done is not None and os.path.isfile(baseline_path(done)):  # <case>.waivers.yaml beside it
                    self.waivers.extend(read_baseline(done, self.problems))
                continue
            chain = [entry[1] for entry in stack]
            included = os.path.realpath(name)
            if included in chain:
                self.problems.append(Problem(via, f"include cycle: {' -> '.join((*chain, included))}"))
                continue
            if included in self.files:
                continue  # included twice: its nodes are already here, once
            if not self.access.permits(name):
                self.problems.append(Problem(via, self.access.refusal(name, "included file")))
                continue
            if len(stack) >= MAX_DEPTH:
                self.problems.append(Problem(via, f"includes nested too deep (more than {MAX_DEPTH} files): "
                                                  f"{chain_text((*chain, included))}"))
                continue
            self.files.append(included)
            text = read_text(name, via, "case file", self.access.max_size, self.problems)
            if text is not None:
                stack.append((self.read_file(text, name, False), included, name))

    def read_file(self, text: str, path: str, top: bool) -> Iterator[tuple[str, Location]]:
        """Read one file's parts; yields ``(path, where)`` for each include, to be read before going on."""
        reader = Reader(path, self.problems, text)
        if len(text) < BATCHED_FROM:
            ok, root = compose(text, path, self.problems)
        else:
            from .batches import compose_case  # imported for a large file only (BATCHED_FROM says why)

            ok, root = compose_case(text, path, self.problems)
        if not ok:
            return
        if root is None:
            self.problems.append(Problem(Location(path, 1, 1), "empty case file: expected a mapping with 'case', 'sources' and 'nodes'"))
            return
        keys = reader.mapping(root, "a case file", TOP_KEYS)
        if keys is None:
            return
        base = os.path.dirname(path)
        if "case" not in keys:
            reader.fail(root, "case file needs 'case: <id>'")
        else:
            case_id = reader.ident(keys["case"][1], "a case id")
            if top:
                self.case_id = case_id
                if "title" in keys:
                    self.title = reader.text(keys["title"][1], "a title") or ""
        default_source = None
        if "sources" in keys:
            default_source = self.read_sources(reader, keys["sources"][1], base)
        elif top and "include" not in keys:
            reader.fail(root, "case file needs 'sources:' naming the report(s) its statements cite")
        if "policy" in keys:
            self.read_policy(reader, keys["policy"][1])
        if "include" in keys:
            for item in reader.sequence(keys["include"][1], "case files to include"):
                name = reader.text(item, "a case file path")
                if name:
                    yield os.path.join(base, name), reader.at(item)
                    if default_source is None and self.sources:
                        default_source = next(iter(self.sources))
        if "nodes" in keys:
            for item in reader.sequence(keys["nodes"][1], "nodes"):
                self.read_node(reader, item, default_source, None)
        if "statements" in keys:
            for item in reader.sequence(keys["statements"][1], "statements"):
                statement, extra = reader.statement(item, default_source, None, TOP_STATEMENT_KEYS)
                if statement is None:
                    continue
                if "node" not in extra or "measure" not in extra:
                    reader.fail(item, "a top-level statement needs 'node' and 'measure'")
                    continue
                (node_id, node_where), (measure, measure_where) = extra["node"], extra["measure"]
                if node_id and measure:
                    self.extra.append((node_id, reader.at(node_where), measure, reader.at(measure_where), statement))
        if "relations" in keys:
            for item in reader.sequence(keys["relations"][1], "relations"):
                self.read_relation(reader, item)
        if "transfers" in keys:
            for item in reader.sequence(keys["transfers"][1], "transfers"):
                self.read_transfer(reader, item, default_source)
        if "invariants" in keys:
            for item in reader.sequence(keys["invariants"][1], "invariants"):
                taken = (*BUILTIN_IDS, *(i.id for i in self.invariants))
                invariant = read_invariant(reader, item, taken=taken, in_case=True)
                if invariant is not None:
                    self.invariants.append(invariant)
        if "waivers" in keys:
            found = (read_waiver(reader, item) for item in reader.sequence(keys["waivers"][1], "waivers"))
            self.waivers.extend(w for w in found if w is not None)
        if "rules" in keys:
            self.read_rules(reader, keys["rules"][1], base)
        if "tables" in keys:
            for item in reader.sequence(keys["tables"][1], "tables"):
                table = read_table(reader, item, base, self.sources)
                if table is None:
                    continue
                if any(t.id == table.id for t in self.tables):
                    reader.fail(item, f"duplicate table id {table.id!r}")
                    continue
                self.tables.append(table)

    def read_rules(self, reader: Reader, node: yaml.Node, base: str) -> None:
        """``rules: strict``: the case's rule pack, loaded now so a bad name stops the load."""
        pack = read_case_rules(reader, node, base, self.access)
        if pack is None:
            return
        if self.pack is not None and pack != self.pack:
            reader.fail(node, f"the case set already names rule pack {self.pack.name!r} at {self.pack_where}: one case, one pack")
            return
        self.pack, self.pack_where = pack, reader.at(node)

    def read_sources(self, reader: Reader, node: yaml.Node, base: str) -> str | None:
        if not isinstance(node, yaml.MappingNode) or not reader.visit(node):
            reader.fail(node, "expected sources as a mapping 'id: {path: ..., title: ...}'")
            return None
        first = None
        for key, value in node.value:
            source_id = reader.ident(key, "a source id")
            fields = reader.mapping(value, f"source {source_id!r}", SOURCE_KEYS)
            if source_id is None or fields is None:
                continue
            if "path" not in fields:
                reader.fail(value, f"source {source_id!r} needs a 'path'")
                continue
            raw = reader.text(fields["path"][1], "a path") or ""
            title = reader.text(fields["title"][1], "a title") if "title" in fields else ""
            encoding = self.read_encoding(reader, fields["encoding"][1]) if "encoding" in fields else "utf-8"
            has_text = True
            if "text" in fields:
                declared = reader.text(fields["text"][1], "'none' (the source has no text file)")
                if declared != "none":
                    reader.fail(fields["text"][1], f"expected 'text: none' (a source with no text file, such as a "
                                                   f"paper copy), got {declared!r}")
                    continue
                has_text = False
            if encoding is None:
                continue
            path = os.path.normpath(os.path.abspath(os.path.join(base, raw)))
            known = self.sources.get(source_id)
            if known is not None and known.path != path:
                reader.fail(key, f"source {source_id!r} is already defined with another path ({known.path})")
                continue
            if known is None:
                self.sources[source_id] = Source(source_id, path, title or "", encoding, has_text)
                if has_text:  # read in finish(), once it is known that some statement cites a line of it
                    self.unread[source_id] = reader.at(fields["path"][1])
            first = first or source_id
        return first

    def read_reports(self, nodes: dict[str, Node]) -> None:
        """Read the text of every source a statement cites by line, for the provenance rule.

        A source only cited by table cells (a CSV, a Parquet file, a PDF's tables) is
        placed by its cells, not its lines, so it is not read as text: a binary table
        is not a report with an unknown encoding.
        """
        cited = {s.source for node in nodes.values() for statements in node.measures.values()
                 for s in statements if s.cell is None}
        cited.update(s.source for transfer in self.transfers for s in transfer.amount if s.cell is None)
        for source_id, where in self.unread.items():
            if source_id in cited:
                source = self.sources[source_id]
                lines = self.report_lines(source.path, source.encoding, where)
                self.sources[source_id] = attrs.evolve(source, lines=lines)

    def read_encoding(self, reader: Reader, node: yaml.Node) -> str | None:
        """``encoding: gb18030``: a codec Python knows, or a problem."""
        name = reader.text(node, "an encoding (utf-8, gb18030, utf-16 ...)")
        if name is None:
            return None
        try:
            codecs.lookup(name)
        except LookupError:
            reader.fail(node, f"unknown encoding {name[:40]!r}; expected one such as utf-8, gb18030, gbk, big5 or utf-16")
            return None
        return name.lower()

    def report_lines(self, path: str, encoding: str, where: Location) -> Lines | None:
        """The lines of a report, read once per load however many sources and files name it."""
        key = (os.path.realpath(path), encoding)
        if key not in self.reports:
            problems: list[Problem] = []
            text = read_text(path, where, "report", self.access.max_size, problems, encoding)
            if problems:
                message = problems[0].message
                if text is None and "not a regular file" not in message and "encoding" not in message \
                        and "binary" not in message and "maximum" not in message:
                    message += " (a source with no text file to read, such as a paper copy, is declared 'text: none')"
                self.problems.append(Problem(problems[0].location, message))
            self.reports[key] = Lines(text) if text is not None else None
        return self.reports[key]

    def read_policy(self, reader: Reader, node: yaml.Node) -> None:
        policy = read_policy(reader, node)
        if policy is None:
            return
        if self.policy is None:
            self.policy, self.policy_where = policy, reader.at(node)
        elif policy != self.policy:
            reader.fail(node, f"policy differs from the one declared at {self.policy_where}: one case reads all its figures one way")

    def read_node(self, reader: Reader, item: yaml.Node, default_source: str | None, unit: str | None,
                  parent_kind: str = "item") -> tuple[str, bool] | None:
        """Read a node (and its children); return (id, outside) for the parent's list.

        A child written inside a ``kind: revenue`` node is revenue too unless it says otherwise:
        税收收入 under 一般公共预算收入 is not spending, and should not need saying so twice.
        """
        if isinstance(item, yaml.MappingNode) and any(k.value == "ref" for k, _ in item.value if isinstance(k, yaml.ScalarNode)):
            fields = reader.mapping(item, "a reference to a shared node", REF_KEYS)
            if fields is None:
                return None
            target = reader.ident(fields["ref"][1], "a node id")
            outside = reader.boolean(fields["outside"][1], "outside") if "outside" in fields else False
            return (target, bool(outside)) if target else None
        fields = reader.mapping(item, "a node", NODE_KEYS)
        if fields is None:
            return None
        if "id" not in fields:
            reader.fail(item, "node needs an 'id'")
            return None
        node_id = reader.ident(fields["id"][1], "a node id")
        if node_id is None:
            return None
        label = reader.text(fields["label"][1], "a label") or "" if "label" in fields else ""
        inherited = "revenue" if parent_kind == "revenue" else "item"
        kind = reader.text(fields["kind"][1], "a kind") or "item" if "kind" in fields else inherited
        tags = reader.texts(fields["tags"][1], "tags") if "tags" in fields else ()
        if "unit" in fields:
            unit_text = reader.text(fields["unit"][1], "a unit")
            try:
                unit = unit_named(unit_text).symbol if unit_text else unit
            except FigureError as error:
                reader.fail(fields["unit"][1], str(error))
        measures: dict[str, tuple[Statement, ...]] = {}
        if "measures" in fields:
            measures_node = fields["measures"][1]
            if not isinstance(measures_node, yaml.MappingNode) or not reader.visit(measures_node):
                reader.fail(measures_node, "expected measures as a mapping 'name: statement' or 'name: [statements]'")
            else:
                for key, value in measures_node.value:
                    name = reader.text(key, "a measure name")
                    if name is None:
                        continue
                    if not MEASURE_PATTERN.fullmatch(name):
                        reader.fail(key, f"expected a measure name in lowercase letters, digits and '_', got {name!r}")
                        continue
                    if name in measures:
                        reader.fail(key, f"duplicate measure {name!r} in node {node_id!r}: list all its statements under one key")
                        continue
                    measures[sys.intern(name)] = reader.statements(value, default_source, unit)
        children: list[str] = []
        outside: list[str] = []
        if "children" in fields:
            for child in reader.sequence(fields["children"][1], "child nodes"):
                link = self.read_node(reader, child, default_source, unit, kind)
                if link is None:
                    continue
                children.append(link[0])
                if link[1]:
                    outside.append(link[0])
        partial = bool(reader.boolean(fields["partial"][1], "partial")) if "partial" in fields else False
        sums = reader.texts(fields["sums"][1], "measure names") if "sums" in fields else None
        where = reader.at(item)
        if node_id in self.nodes:
            reader.fail(fields["id"][1], f"duplicate node id {node_id!r}: first defined at {self.node_where[node_id]}")
            return None
        self.nodes[node_id] = Node(
            id=node_id, label=label, kind=kind, tags=tags, unit=unit, measures=measures,
            children=tuple(children), outside=tuple(outside), partial=partial, sums=sums, origin=where,
        )
        self.node_where[node_id] = where
        is_outside = reader.boolean(fields["outside"][1], "outside") if "outside" in fields else False
        return node_id, bool(is_outside)

    def read_relation(self, reader: Reader, item: yaml.Node) -> None:
        fields = reader.mapping(item, "a relation", RELATION_KEYS)
        if fields is None:
            return
        kinds = [k for k in fields if k in RELATION_KINDS]
        if len(kinds) != 1:
            reader.fail(item, f"a relation needs exactly one of {', '.join(RELATION_KINDS)}")
            return
        kind = sys.intern(kinds[0])
        if kind in COMPARISONS:
            refs = [reader.ref(n) for n in reader.sequence(fields[kind][1], "two references")]
            if len(refs) != 2:
                reader.fail(fields[kind][1], f"'{kind}' compares two references: [{'a.measure'}, {'b.measure'}]")
                return
            target, operands = refs[0], refs[1:]
            if "of" in fields:
                reader.fail(fields["of"][0], f"'{kind}' takes its two references in one list; 'of' is for sum, rate, share, growth and diff")
                return
        else:
            target = reader.ref(fields[kind][1])
            if "of" not in fields:
                reader.fail(item, f"'{kind}' needs 'of: [...]'")
                return
            operands = [reader.ref(n) for n in reader.sequence(fields["of"][1], "references")]
            wanted = None if kind == "sum" else 2
            if wanted and len(operands) != wanted:
                reader.fail(fields["of"][1], f"'{kind}' needs exactly two references in 'of'")
                return
            if kind == "sum" and not operands:
                reader.fail(fields["of"][1], "'sum' needs at least one reference in 'of'")
                return
        if target is None or any(o is None for o in operands):
            return
        partial = bool(reader.boolean(fields["partial"][1], "partial")) if "partial" in fields else False
        note = reader.text(fields["note"][1], "a note") or "" if "note" in fields else ""
        severity = None
        if "severity" in fields:
            severity = reader.text(fields["severity"][1], "a severity")
            problem = severity_problem(severity)
            if problem:
                reader.fail(fields["severity"][1], problem)
                return
        # a relation `fiscalcheck extract` proposed from the text, and the words that made it
        proposed = bool(reader.boolean(fields["proposed"][1], "proposed")) if "proposed" in fields else False
        because = reader.text(fields["because"][1], "the evidence") or "" if "because" in fields else ""
        change = bool(reader.boolean(fields["change"][1], "change")) if "change" in fields else False
        if change and kind not in ("growth", "rate"):
            reader.fail(fields["change"][0], f"'change' is for a growth or rate relation (of: [this, change]), not '{kind}'")
            return
        self.relations.append(Relation(kind, target, tuple(operands), partial, note, severity, reader.at(item),
                                       proposed=proposed, because=because, change=change))

    def read_transfer(self, reader: Reader, item: yaml.Node, default_source: str | None) -> None:
        fields = reader.mapping(item, "a transfer", TRANSFER_KEYS)
        if fields is None:
            return
        missing = [k for k in TRANSFER_KEYS if k not in fields]
        if missing:
            reader.fail(item, f"transfer needs {', '.join(missing)}")
            return
        source = reader.ident(fields["from"][1], "the paying fund's id")
        target = reader.ident(fields["to"][1], "the receiving fund's id")
        amount = reader.statements(fields["amount"][1], default_source, None)
        if source and target and amount:
            self.transfers.append(Transfer(source, target, amount, reader.at(item)))

    # -- the whole set ------------------------------------------------------
    def near_id(self, word: str, nodes: dict[str, Node]) -> str:
        """`` (did you mean 'x'?)`` among the node ids, for the first :data:`SUGGESTIONS` unknown ids only.

        A near-miss search compares with every id: one per problem made N problems cost N²
        (5,000 nodes naming missing children took 31 s). A file with that many slips gets
        the first few suggested, and the rest located; the first fix usually shows the pattern.
        """
        self.suggested += 1
        return suggest(word, nodes) if self.suggested <= SUGGESTIONS else ""

    def finish(self) -> Case:
        nodes = dict(self.nodes)
        added: dict[str, dict[str, list[Statement]]] = {}  # node id -> measure -> the top-level statements of it
        for node_id, node_where, measure, measure_where, statement in self.extra:
            node = nodes.get(node_id)
            if node is None:
                self.problems.append(Problem(node_where, f"statement of unknown node {node_id!r}{self.near_id(node_id, nodes)}"))
                continue
            if not MEASURE_PATTERN.fullmatch(measure):
                self.problems.append(Problem(measure_where, f"expected a measure name, got {measure!r}"))
                continue
            added.setdefault(node_id, {}).setdefault(measure, []).append(statement)
        for node_id, extra in added.items():  # one new node per node, not per statement
            measures = dict(nodes[node_id].measures)
            for measure, statements in extra.items():
                measures[measure] = (*measures.get(measure, ()), *statements)
            nodes[node_id] = _evolve(nodes[node_id], measures=measures)
        self.validate(nodes)
        self.read_reports(nodes)
        for table in self.tables:
            if table.under is not None and table.under not in nodes:
                self.problems.append(Problem(table.origin, f"table {table.id!r} sums into unknown node "
                                                           f"{table.under!r}{suggest(table.under, nodes)}"))
        if self.invariants:
            self.problems.extend(validate_invariants(self.invariants, nodes))
        if self.problems:
            raise CaseError(self.problems)
        return Case(
            id=self.case_id or "case", sources=self.sources, nodes=nodes,
            relations=tuple(self.relations), transfers=tuple(self.transfers),
            policy=self.policy or Policy(), title=self.title, files=tuple(self.files),
            rules=self.pack, invariants=tuple(self.invariants), waivers=tuple(self.waivers),
            tables=tuple(self.tables),
        )

    def validate(self, nodes: dict[str, Node]) -> None:
        fail = self.problems.append
        for node in nodes.values():
            for child in node.children:
                if child not in nodes:
                    fail(Problem(node.origin, f"node {node.id!r} lists unknown child {child!r}{self.near_id(child, nodes)}"))
            for measure, statements in node.measures.items():
                dimensions = {s.figure.unit.dimension for s in statements}
                if len(dimensions) > 1:
                    fail(Problem(statements[-1].origin, f"measure {node.id}.{measure} is printed in units of different kinds ({', '.join(sorted(dimensions))})"))
                for statement in statements:
                    if statement.source not in self.sources:
                        fail(Problem(statement.origin, f"unknown source {statement.source!r}{suggest(statement.source, self.sources)}"))
            if node.sums is not None:
                for measure in node.sums:
                    for child in node.counted_children:
                        if child in nodes and measure not in nodes[child].measures:
                            fail(Problem(node.origin, f"node {node.id!r} sums {measure!r} but its child {child!r} has no such measure"))
        cycle = _find_cycle(nodes)
        if cycle:
            fail(Problem(nodes[cycle[0]].origin, f"cycle of shared nodes: {' -> '.join(cycle)}"))
        for relation in self.relations:
            for ref in (relation.target, *relation.operands):
                node = nodes.get(ref.node)
                if node is None:
                    fail(Problem(relation.origin, f"relation refers to unknown node {ref.node!r}{self.near_id(ref.node, nodes)}"))
                elif ref.measure not in node.measures:
                    fail(Problem(relation.origin, f"relation refers to {ref}, but node {ref.node!r} has no measure {ref.measure!r}{suggest(ref.measure, node.measures)}"))
        for transfer in self.transfers:
            for fund in (transfer.source_fund, transfer.target_fund):
                if fund not in nodes:
                    fail(Problem(transfer.origin, f"transfer names unknown fund {fund!r}{self.near_id(fund, nodes)}"))
            for statement in transfer.amount:
                if statement.source not in self.sources:
                    fail(Problem(statement.origin, f"unknown source {statement.source!r}{suggest(statement.source, self.sources)}"))


def _evolve(node: Node, **changes: Any) -> Node:
    return attrs.evolve(node, **changes)


def _find_cycle(nodes: dict[str, Node]) -> list[str] | None:
    """A cycle in the children graph, as a path of ids; ``None`` when it is a DAG."""
    state: dict[str, int] = {}
    for start in nodes:
        if state.get(start):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(nodes[start].children))]
        path = [start]
        state[start] = 1
        while stack:
            current, children = stack[-1]
            for child in children:
                if child not in nodes:
                    continue
                if state.get(child) == 1:
                    return path[path.index(child):] + [child]
                if not state.get(child):
                    state[child] = 1
                    path.append(child)
                    stack.append((child, iter(nodes[child].children)))
                    break
            else:
                state[current] = 2
                stack.pop()
                path.pop()
    return None


def load(path: str | os.PathLike[str], *, allow: Iterable[str | os.PathLike[str]] = (),
         max_size: int | None = None) -> Case:
    """Load a case file and everything it includes.

    Includes and ``rules:`` files must lie in the tree of ``path``'s folder or of a
    folder in ``allow``; every file read is a regular file of at most ``max_size``
    bytes (default :data:`~.files.MAX_SIZE`). Raises :class:`~fiscalcheck.errors.CaseError`
    listing every problem found, each with its file, line and column.
    """
    path = os.fspath(path)
    builder = Builder(Access.for_file(path, allow, max_size, shipped_folders()))
    builder.load_file(path)
    if builder.problems:
        raise CaseError(builder.problems)
    return builder.finish()


def loads(text: str, path: str = "<case>", *, allow: Iterable[str | os.PathLike[str]] = (),
          max_size: int | None = None) -> Case:
    """Load a case from YAML text; relative paths (sources, includes) resolve against ``path``'s folder,
    and includes are confined to that folder's tree (and ``allow``) as :func:`load` confines them."""
    builder = Builder(Access.for_file(path, allow, max_size, shipped_folders()))
    builder.load_file(path, text)
    if builder.problems:
        raise CaseError(builder.problems)
    return builder.finish()
