"""The standard tables as a case: a node per printed row, a statement per printed cell.

Each recognized table gives nodes whose ids say what they are, the same in
every department's report, so the ``department`` rule pack can name them:
``spending-2010601`` (a row of the 支出表 by its classification code),
``spending-total`` (its 合计 row), ``summary-income-total`` (本年收入合计 of the
收入支出总表), ``basic-personnel`` (人员经费合计), ``sanggong`` (the one row of
the 三公 table). Measures are named from the column headers
(:func:`.standard.column_role`): ``total``, ``basic``, ``project``, ``amount``…

The forms' arithmetic becomes the tree and relations, generated from what the
tables print, never from figures known in advance:

* classification codes: a 类 (3 digits) is the sum of its 款 (5), a 款 of its 项
  (7); the 合计 row of the sum of the 类 rows (the built-in ``parts-sum``);
* economic classes: 人员经费 = 301 + 303, 公用经费 = the other classes;
* summary tables: 本年收入合计 = Σ income rows, 总计 = 本年 + 结转结余 (+ what else
  the side lists below its 本年 row), the two 总计 equal;
* a row's 合计 column = Σ its other figure columns, where the column set varies
  by province (收入表, 支出表, 财政拨款总表); fixed-shape identities (三公, the
  一般公共预算 table's 合计 = 基本 + 项目, 年末 = 年初 + 收入 − 支出) are the pack's;
* across tables: table 1's 本年收入/支出合计 = table 2's / 3's 合计, table 1's
  支出 by 类 = table 3's, table 4's 一般公共预算 = table 5's 合计 (and by 类),
  table 5's 基本支出 = table 6's 人员经费 + 公用经费, a row of table 5 within
  the same code's row of table 3, table 6's 三公 items within table 7's.

A blank cell in a column that prints a figure somewhere in its table is read
as an exact zero — the forms' convention — and keeps an empty printed text, so
a finding shows it as blank; a column blank throughout is not read at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

import attrs

from ...figures import Figure, FigureError, parse_figure, unit_named
from ...model import Case, Cell, Node, Policy, Ref, Relation, Source, Statement
from ...record import Record
from .join import join_tables
from .pages import NUMBER, Document, Row, Table
from .standard import ECONOMIC_PERSONNEL, Kind, bare_label, column_role, recognize, row_role

__all__ = ["Recognized", "Draft", "build_case", "SOURCE", "problem_text"]

SOURCE = "pdf"
#: The rule pack a draft names: the forms' fixed identities (rules/department.yaml).
PACK = "department"


@attrs.frozen(repr=False, eq=False)
class Recognized(Record):
    """A standard table found in the document: which one, in which set, and the table as joined."""

    kind: Kind
    phase: str
    table: Table


@attrs.frozen(repr=False, eq=False)
class Draft(Record):
    """The draft case of a PDF, the tables it rests on, and what could not be read (errors as values)."""

    case: Case
    document: Document
    tables: tuple[Table, ...]
    recognized: tuple[Recognized, ...]
    problems: tuple[str, ...] = ()


def problem_text(table: Table, message: str) -> str:
    return f"{table.place}: {message}"


@attrs.frozen(repr=False, eq=False)
class _Side(Record):
    codes: tuple[int, ...]
    label: int | None
    figures: tuple[tuple[int, str], ...]  # (column, measure)


def _sides(recognized: Recognized, read: set[int]) -> list[_Side]:
    """The column groups of a table: a two-sided table (收入 | 支出) prints two."""
    table = recognized.table
    roles = [column_role(recognized.kind, recognized.phase, parts) for parts in table.columns]
    sides: list[_Side] = []
    codes: list[int] = []
    label: int | None = None
    figures: list[tuple[int, str]] = []
    for j, (role, what) in enumerate(roles):
        if role in ("code", "label") and figures:
            sides.append(_Side(tuple(codes), label, tuple(figures)))
            codes, label, figures = [], None, []
        if role == "code":
            codes.append(j)
        elif role == "label":
            label = j
        elif j in read:
            name = what or f"c{j + 1}"
            taken = {m for _, m in figures}
            figures.append((j, name if name not in taken else f"{name}_c{j + 1}"))
    if codes or label is not None or figures:
        sides.append(_Side(tuple(codes), label, tuple(figures)))
    return sides


def _column_name(table: Table, j: int) -> str:
    parts = table.columns[j] if j < len(table.columns) else ()
    return "/".join(parts) if parts else f"column {j + 1}"


class _Builder:
    def __init__(self, path: str):
        self.path = path
        self.file = Path(path).name
        self.nodes: dict[str, Node] = {}
        self.relations: list[Relation] = []
        self.problems: list[str] = []

    # -- statements and nodes --------------------------------------------------------

    def statement(self, table: Table, row: Row, j: int, unit, text: str) -> Statement | None:
        cell = Cell(self.file, row.number, _column_name(table, j), row.page, row.table)
        if not text:
            return Statement("", Figure(Decimal(0), unit), SOURCE, 0, exact=True, cell=cell)
        try:
            figure = parse_figure(text, unit)
        except FigureError as error:
            self.problems.append(f"{self.file} page {row.page}, table {row.table}, row {row.number}, "
                                 f"column {_column_name(table, j)}: {error}")
            return None
        return Statement(text, figure, SOURCE, 0, cell=cell)

    def add(self, node: Node) -> str:
        node_id, n = node.id, 2
        while node_id in self.nodes:
            node_id, n = f"{node.id}-{n}", n + 1
        self.nodes[node_id] = attrs.evolve(node, id=node_id)
        return node_id

    def relate(self, kind: str, target: tuple[str, str], operands: Iterable[tuple[str, str]], note: str,
               severity: str | None = None) -> None:
        refs = [target, *operands]
        if any(n not in self.nodes or m not in self.nodes[n].measures for n, m in refs):
            return
        if len(refs) < 2:
            return
        self.relations.append(Relation(kind, Ref(*target), tuple(Ref(*r) for r in refs[1:]), note=note,
                                       severity=severity))

    def set_children(self, parent: str, children: Sequence[str], sums: tuple[str, ...]) -> None:
        node = self.nodes[parent]
        self.nodes[parent] = attrs.evolve(node, children=node.children + tuple(children), sums=sums)

    # -- one table -------------------------------------------------------------------

    def table(self, recognized: Recognized) -> None:
        table, kind = recognized.table, recognized.kind
        unit = unit_named(table.unit) if table.unit and _known_unit(table.unit) else None
        if unit is None:
            self.problems.append(problem_text(table, f"expected a unit line such as 单位：万元 above "
                                                     f"{table.title}, got {table.unit or 'none'}"))
            return
        read = {j for row in table.rows for j, text in enumerate(row.cells) if text and NUMBER.fullmatch(text)}
        if kind.key == "sanggong" and read:  # its one row is the whole table: every column of it is read
            read = set(range(table.width))
        sides = _sides(recognized, read)
        classes: dict[str, str] = {}
        for s, side in enumerate(sides):
            rows = []
            for row in table.rows:
                label = row.cells[side.label] if side.label is not None and side.label < len(row.cells) else ""
                code = "".join(row.cells[j] for j in side.codes if j < len(row.cells))
                if not side.figures or not (label or code or kind.key == "sanggong"):
                    continue
                measures = {}
                for j, measure in side.figures:
                    statement = self.statement(table, row, j, unit, row.cells[j] if j < len(row.cells) else "")
                    if statement is not None:
                        measures[measure] = (statement,)
                if not measures:
                    continue
                rows.append((row, code, label, measures))
            sums = tuple(m for _, m in side.figures)
            if kind.key == "sanggong":
                self.sanggong(recognized, rows)
            elif any(code.isdigit() for _, code, _, _ in rows):
                classes.update(self.coded(recognized, rows, sums))
            else:
                self.summary(recognized, s, len(sides), rows, sums)
        key = kind.key
        for role, chosen in (("personnel", lambda c: c in ECONOMIC_PERSONNEL),
                             ("public", lambda c: c not in ECONOMIC_PERSONNEL)):
            if f"{key}-{role}" in self.nodes and classes:
                parts = [node_id for code, node_id in classes.items() if chosen(code)]
                if parts:
                    self.set_children(f"{key}-{role}", parts, tuple(self.nodes[f"{key}-{role}"].measures))

    def node(self, recognized: Recognized, node_id: str, label: str, measures, row: Row, tags=()) -> str:
        kind = recognized.kind
        return self.add(Node(node_id, label=label, kind="row", unit=None, measures=measures,
                             tags=("department", kind.key, recognized.phase, f"table{kind.number}", *tags)))

    def coded(self, recognized: Recognized, rows, sums: tuple[str, ...]) -> dict[str, str]:
        """Rows by classification code: 类 = Σ款, 款 = Σ项, 合计 = Σ类. Gives the 类 rows by code."""
        key = recognized.kind.key
        ids: dict[str, str] = {}
        totals: dict[str, str] = {}
        for row, code, label, measures in rows:
            if code.isdigit():
                level = {3: "class", 5: "section", 7: "item"}.get(len(code), "code")
                ids[code] = self.node(recognized, f"{key}-{code}", label, measures, row, (level,))
            else:
                label = label or code
                role = row_role(label) or "total"
                totals[role] = self.node(recognized, f"{key}-{role}", label, measures, row, (role,))
        for code, node_id in ids.items():
            children = [ids[c] for c in ids if len(c) == len(code) + 2 and c.startswith(code)]
            if children:
                self.set_children(node_id, children, sums)
        classes = {c: ids[c] for c in ids if len(c) == 3}
        if "total" in totals and classes:
            self.set_children(totals["total"], list(classes.values()), sums)
        self.row_sums(recognized, [*ids.values(), *totals.values()], sums)
        return classes

    def summary(self, recognized: Recognized, side: int, sides: int, rows, sums: tuple[str, ...]) -> None:
        """A side of a summary table: 本年合计 = Σ items; 总计 = 本年合计 + what follows it; 年初 = Σ its parts."""
        key = recognized.kind.key
        name = ("in", "out")[side] if sides == 2 and side < 2 else f"s{side + 1}"
        items: list[str] = []
        total = grand = block = None
        after: list[str] = []
        blocks: dict[str, list[str]] = {}
        for n, (row, _code, label, measures) in enumerate(rows, start=1):
            role = row_role(label)
            if role in ("income-total", "spending-total", "total"):
                total = self.node(recognized, f"{key}-{role if role != 'total' else name + '-total'}",
                                  label, measures, row, (role,))
            elif role == "grand":
                grand = self.node(recognized, f"{key}-grand-{name}", label, measures, row, (role,))
            elif total is None:
                items.append(self.node(recognized, f"{key}-{name}{len(items) + 1}", label, measures, row, ("item",)))
            elif role is not None:
                block = self.node(recognized, f"{key}-{role}", label, measures, row, (role,))
                after.append(block)
                blocks[block] = []
            elif block is not None and label != bare_label(label):  # 一、… under 年初结转和结余: its parts
                blocks[block].append(self.node(recognized, f"{block}{len(blocks[block]) + 1}", label, measures,
                                               row, ("part",)))
            else:
                after.append(self.node(recognized, f"{key}-{name}-after{n}", label, measures, row, ("item",)))
        if total is not None and items:
            self.set_children(total, items, sums)
        if grand is not None and total is not None:
            self.set_children(grand, [total, *after], sums)
        for parent, parts in blocks.items():
            if parts:
                self.set_children(parent, parts, sums)
        self.row_sums(recognized, [*items, *(x for x in (total, grand) if x), *after], sums)

    def sanggong(self, recognized: Recognized, rows) -> None:
        """The 三公 table's one row of figures: its identities are the pack's (they have a fixed shape)."""
        for n, (row, _code, label, measures) in enumerate(rows):
            self.node(recognized, "sanggong" if n == 0 else f"sanggong-{n + 1}", label or "“三公”经费",
                      measures, row)

    def row_sums(self, recognized: Recognized, node_ids: Sequence[str], sums: tuple[str, ...]) -> None:
        """合计 column = Σ the other figure columns, where the set of columns varies by province."""
        if recognized.kind.key not in ("income", "spending", "fiscal") or "total" not in sums:
            return
        parts = [m for m in sums if m != "total"]  # a column blank throughout is zero: not a part
        if not parts:
            return
        for node_id in node_ids:
            self.relate("sum", (node_id, "total"), [(node_id, m) for m in parts],
                        f"{recognized.kind.name}: a row's 合计 is the sum of its other columns")

    # -- across tables ---------------------------------------------------------------

    def across(self, found: dict[str, Recognized]) -> None:
        def by_label(prefix: str) -> dict[str, str]:
            return {bare_label(n.label): i for i, n in self.nodes.items()
                    if i.startswith(prefix) and "class" in n.tags}

        def items(prefix: str) -> dict[str, str]:
            return {bare_label(n.label): i for i, n in self.nodes.items()
                    if i.startswith(prefix) and "item" in n.tags}

        note = "table {} and table {} print the same figure"
        for key in ("summary", "fiscal"):
            out = self.nodes.get(f"{key}-grand-out")
            if out is not None:
                self.relate("eq", (f"{key}-grand-in", "amount"), [(out.id, "total" if "total" in out.measures
                                                                   else "amount")],
                            "the two 总计 of a summary table are one figure")
        self.relate("eq", ("summary-income-total", "amount"), [("income-total", "total")], note.format(1, 2))
        self.relate("eq", ("summary-spending-total", "amount"), [("spending-total", "total")], note.format(1, 3))
        summary_in = {k: v for k, v in items("summary-in").items()}
        for column, measure in (("上级补助收入", "higher"), ("事业收入", "business"), ("经营收入", "operating"),
                                ("附属单位上缴收入", "affiliated"), ("其他收入", "other")):
            if column in summary_in:
                self.relate("eq", (summary_in[column], "amount"), [("income-total", measure)], note.format(1, 2))
        fiscal_rows = [i for label, i in summary_in.items() if "财政拨款" in label]
        self.relate("sum", ("income-total", "fiscal"), [(i, "amount") for i in fiscal_rows],
                    "table 2's 财政拨款收入 is table 1's 财政拨款 income rows together")
        spending_classes = by_label("spending-")
        for label, node_id in items("summary-out").items():
            if label in spending_classes:
                self.relate("eq", (node_id, "amount"), [(spending_classes[label], "total")], note.format(1, 3))
        general_classes = by_label("general-")
        for label, node_id in items("fiscal-out").items():
            if label in general_classes:
                self.relate("eq", (node_id, "general"), [(general_classes[label], "total")], note.format(4, 5))
        fiscal_in = items("fiscal-in")
        for label, node_id in fiscal_in.items():
            if label.startswith("一般公共预算"):
                self.relate("eq", (node_id, "amount"), [("general-total", "total")],
                            "table 4's 一般公共预算财政拨款 income is table 5's 合计")
                for other, summary_id in summary_in.items():
                    if other.startswith("一般公共预算"):
                        self.relate("eq", (node_id, "amount"), [(summary_id, "amount")], note.format(4, 1))
        self.relate("eq", ("fiscal-spending-total", "general"), [("general-total", "total")], note.format(4, 5))
        self.relate("sum", ("general-total", "basic"), [("basic-personnel", "amount"), ("basic-public", "amount")],
                    "table 5's 基本支出 is table 6's 人员经费 + 公用经费")
        for node_id in list(self.nodes):
            if node_id.startswith("general-") and node_id[8:].isdigit():
                other = "spending-" + node_id[8:]
                self.relate("le", (node_id, "total"), [(other, "total")],
                            "一般公共预算 spending (table 5) is part of all spending (table 3) on its code")
        for code, measure in (("30212", "abroad_executed"), ("30231", "running_executed"),
                              ("30217", "reception_executed"), ("31013", "purchase_executed")):
            self.relate("le", (f"basic-{code}", "amount"), [("sanggong", measure)],
                        "三公 spent from 基本支出 (table 6) is part of the 三公 table's (table 7)")


def _known_unit(text: str) -> bool:
    try:
        unit_named(text)
    except (FigureError, KeyError, ValueError):
        return False
    return True


def build_case(document: Document, *, case_id: str | None = None) -> Draft:
    """The draft case of a read PDF: its standard tables joined, recognized and related, and its narrative."""
    from .narrative import narrate

    tables = join_tables(document.tables)
    recognized = []
    for table in tables:
        found = recognize(table.title)
        if found is not None:
            recognized.append(Recognized(found[0], found[1], table))
    builder = _Builder(document.path)
    seen: dict[str, Recognized] = {}
    for item in recognized:
        if item.kind.key in seen:
            builder.problems.append(problem_text(item.table, f"a second {item.kind.name}: only the first is read"))
            continue
        seen[item.kind.key] = item
        builder.table(item)
    builder.across(seen)
    nodes, relations, invariants, problems = narrate(document, builder.nodes, builder.relations)
    from ...inputs import load_pack

    stem = Path(document.path).stem
    case = Case(
        id=case_id or "".join(ch if ch.isalnum() and ch.isascii() or ch in "-_" else "-" for ch in stem) or "pdf",
        # has_text=False: a PDF is not a text file; its statements stand at a page/table/row/column or on a
        # line of the narrative pdfplumber extracted, checked here as it is read, not re-read by `run`
        sources={SOURCE: Source(SOURCE, document.path, Path(document.path).name, has_text=False)},
        nodes=nodes,
        relations=tuple(relations),
        policy=Policy(),
        title=Path(document.path).name,
        invariants=tuple(invariants),
        rules=load_pack(PACK),
    )
    return Draft(case, document, tables, tuple(recognized), tuple(builder.problems) + tuple(problems))
