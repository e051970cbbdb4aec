"""The draft of a PDF as text: a case file (YAML) with every statement's place, and a reading of the pages.

A table cell's statement is written in the long form with its place,
``{printed: "2,940.05", unit: 万元, cell: {page: 8, table: 1, row: 4, column: 本年收入合计}}``;
a blank cell read as zero says so (``printed: ""``, ``exact: true``); a narrative
figure is the short form ``2995.39万元 @103``, its line that of :func:`text_of`.
"""

from __future__ import annotations

from typing import Any

import yaml

from ...model import Relation, Statement
from .case import Draft

__all__ = ["draft_yaml", "text_of"]


def _statement(s: Statement) -> Any:
    if s.cell is None:
        return f"{s.printed} @{s.line}"
    entry: dict[str, Any] = {"printed": s.printed, "unit": s.figure.unit.symbol}
    if s.exact:
        entry["exact"] = True
    entry["cell"] = {"page": s.cell.page, "table": s.cell.table, "row": s.cell.row, "column": s.cell.column}
    return entry


def _relation(r: Relation) -> dict[str, Any]:
    if r.kind == "sum":
        entry: dict[str, Any] = {"sum": str(r.target), "of": [str(o) for o in r.operands]}
    elif r.kind in ("rate", "share", "growth", "diff"):
        entry = {r.kind: str(r.target), "of": [str(o) for o in r.operands]}
    else:
        entry = {r.kind: [str(r.target), *(str(o) for o in r.operands)]}
    if r.note:
        entry["note"] = r.note
    if r.severity:
        entry["severity"] = r.severity
    return entry


def draft_yaml(draft: Draft) -> str:
    """The draft case as a case file, with a comment per recognized table."""
    case = draft.case
    head = [f"# {r.kind.number}. {r.kind.name} ({r.phase}): {r.table.title} — {r.table.place}, unit {r.table.unit}"
            for r in draft.recognized]
    head += [f"# not read: {p}" for p in draft.problems]
    data: dict[str, Any] = {
        "case": case.id,
        "title": case.title,
        "sources": {s.id: {"path": s.path, "title": s.title, **({} if s.has_text else {"text": "none"})}
                    for s in case.sources.values()},
        "rules": case.rules.name if case.rules is not None else "department",
        "nodes": [],
    }
    for node in case.nodes.values():
        entry: dict[str, Any] = {"id": node.id, "label": node.label, "kind": node.kind, "tags": list(node.tags)}
        entry["measures"] = {m: [_statement(s) for s in ss] for m, ss in node.measures.items()}
        if node.children:
            entry["children"] = [{"ref": c} for c in node.children]
        if node.sums is not None:
            entry["sums"] = list(node.sums)
        data["nodes"].append(entry)
    if case.relations:
        data["relations"] = [_relation(r) for r in case.relations]
    if case.invariants:
        data["invariants"] = [i.to_yaml() for i in case.invariants]
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120, default_flow_style=None)
    return "\n".join(head) + ("\n" if head else "") + body


def text_of(draft: Draft) -> str:
    """The pages as read: numbered narrative lines with their page, then each table row with its place."""
    out = []
    for line in draft.document.lines:
        out.append(f"{line.number:5d}  p{line.page:<3d} {line.text}")
    known = {id(r.table): r for r in draft.recognized}
    for table in draft.tables:
        found = known.get(id(table))
        name = f"{found.kind.number}. {found.kind.name} ({found.phase})" if found else "not a standard table"
        out.append("")
        out.append(f"== {table.place}: {table.title or '(no title)'} [{name}], unit {table.unit or '?'}")
        out.append("   columns: " + " | ".join("/".join(c) or "?" for c in table.columns))
        for row in table.rows:
            out.append(f"   p{row.page} t{row.table} r{row.number:<3d} " + " | ".join(row.cells))
    return "\n".join(out) + "\n"
