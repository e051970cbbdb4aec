"""Writing a case back as one YAML case file (includes flattened) that loads to an equal case."""

from __future__ import annotations

import os
from typing import Any

import yaml

from ..model import COMPARISONS, Case, Ref, Statement

__all__ = ["dump"]


def dump(case: Case, path: str | os.PathLike[str] | None = None) -> str:
    """The case as one YAML text (includes flattened); written to ``path`` when given.

    Source paths are written relative to ``path``'s folder (or the current
    folder), so :func:`load` of the written file gives back an equal case.
    """
    base = os.path.dirname(os.path.abspath(os.fspath(path))) if path else os.getcwd()

    def statement(s: Statement) -> str:
        flags = []
        if s.exact is not None:
            flags.append("exact" if s.exact else "inexact")
        if s.rounding:
            flags.append(s.rounding)
        flags.append(f"source={s.source}")
        if s.figure.unit.symbol not in s.printed.replace(" ", ""):
            flags.append(f"unit={s.figure.unit.symbol}")
        return " ".join([f"{s.printed} @{s.line}", *flags])

    def ref(r: Ref) -> str:
        return str(r)

    data: dict[str, Any] = {"case": case.id}
    if case.title:
        data["title"] = case.title
    data["sources"] = {
        s.id: {"path": os.path.relpath(s.path, base), **({"title": s.title} if s.title else {}),
               **({"encoding": s.encoding} if s.encoding != "utf-8" else {}),
               **({"text": "none"} if not s.has_text else {})}
        for s in case.sources.values()
    }
    data["policy"] = {
        "rounding": case.policy.rounding,
        "about": str(case.policy.about),
        "exact": list(case.policy.exact),
        **({"floor": str(case.policy.floor)} if case.policy.floor else {}),
    }
    if case.rules is not None:
        spec = case.rules.spec
        data["rules"] = os.path.relpath(spec, base) if os.path.isabs(spec) else spec
    nodes = []
    for node in case.nodes.values():
        entry: dict[str, Any] = {"id": node.id}
        if node.label:
            entry["label"] = node.label
        entry["kind"] = node.kind
        if node.tags:
            entry["tags"] = list(node.tags)
        if node.unit:
            entry["unit"] = node.unit
        if node.measures:
            entry["measures"] = {m: [statement(s) for s in ss] for m, ss in node.measures.items()}
        if node.children:
            entry["children"] = [
                {"ref": c, **({"outside": True} if c in node.outside else {})} for c in node.children
            ]
        if node.partial:
            entry["partial"] = True
        if node.sums is not None:
            entry["sums"] = list(node.sums)
        nodes.append(entry)
    data["nodes"] = nodes
    if case.relations:
        relations = []
        for r in case.relations:
            if r.kind in COMPARISONS:
                entry = {r.kind: [ref(r.target), *map(ref, r.operands)]}
            else:
                entry = {r.kind: ref(r.target), "of": [ref(o) for o in r.operands]}
            if r.partial:
                entry["partial"] = True
            if r.note:
                entry["note"] = r.note
            if r.severity:
                entry["severity"] = r.severity
            if r.change:
                entry["change"] = True
            if r.proposed:
                entry["proposed"] = True
            if r.because:
                entry["because"] = r.because
            relations.append(entry)
        data["relations"] = relations
    if case.transfers:
        data["transfers"] = [
            {"from": t.source_fund, "to": t.target_fund, "amount": [statement(s) for s in t.amount]}
            for t in case.transfers
        ]
    if case.invariants:
        data["invariants"] = [i.to_yaml() for i in case.invariants]
    if case.waivers:
        data["waivers"] = [w.to_yaml() for w in case.waivers]
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    if path is not None:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    return text

