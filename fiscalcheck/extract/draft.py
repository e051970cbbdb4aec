"""A reviewable draft: the figures of a report as a case file, relations marked proposed.

Every figure the case format can read becomes a statement with its line. Figures
are grouped into nodes by what they are (:mod:`fiscalcheck.extract.labels`):
within one 一、 part of a document, figures with the same label and measure are one
node with several statements, so ``statements-agree`` checks a figure printed
twice (the rules of 一、政策主要内容 are not the payments of 二、资金执行情况, even
under one label). Two printings that *disagree* are one node only when their
sentences corroborate it (both follow the same figure under the same label:
"共支持项目176个，…9970万元" and "共支持项目176个，…8889万元"); otherwise a
coincidence of words would raise a false alarm, and they stay apart.

Each node carries one measure, so no built-in rule fires by accident (a node with
``budget`` and ``executed`` would be checked ``within-budget``): every relation
the run checks is either a printed figure's own agreement or a proposal written
out under ``relations:`` with ``proposed: true`` and ``because:``.
"""

from __future__ import annotations

import os
from decimal import Decimal

import yaml

from ..inputs import loads
from ..model import Case
from ..numbers import EXACT
from . import Extraction
from .labels import Label
from .propose import Proposal, figure_interval
from .scan import Found

__all__ = ["Group", "groups", "draft_yaml", "draft_case", "writable", "written", "proposed_relations"]


def writable(found: Found) -> bool:
    """Whether the case format can read this printing as one figure (a range 50-150家 it cannot)."""
    return found.low is None


class Group:
    """The printings of one node's one measure."""

    def __init__(self, first: Found, label: Label):
        self.id = f"L{first.line}-{first.column + 1}"
        self.label = label
        self.members: list[Found] = [first]


def _agree(a: Found, b: Found) -> bool:
    return a.unit.dimension == b.unit.dimension and figure_interval(a).intersects(figure_interval(b))


def _suffix_match(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    return len(short) >= 4 and long.endswith(short)


def _lead(found: Found, by_line: dict[int, list[Found]]) -> Found | None:
    """The figure printed just before ``found`` in its sentence (ratios in brackets aside)."""
    before = [x for x in by_line[found.line] if x.end <= found.column and x.unit.dimension != "ratio"]
    return before[-1] if before else None


def _corroborated(a: Found, b: Found, by_line: dict[int, list[Found]], labels: dict[Found, Label]) -> bool:
    """Both printings follow the same figure under the same label ("共支持项目176个，…9970万元")."""
    if a.line == b.line:
        return False
    x, y = _lead(a, by_line), _lead(b, by_line)
    if x is None or y is None or x.printed != y.printed or labels[x].measure != labels[y].measure:
        return False
    return bool(labels[x].key) and _suffix_match(labels[x].key, labels[y].key)


def groups(extraction: Extraction) -> dict[Found, Group]:
    """The node of each writable figure."""
    labels = extraction.labels
    by_line: dict[int, list[Found]] = {}
    for f in extraction.found:
        by_line.setdefault(f.line, []).append(f)
    open_groups: dict[tuple, list[Group]] = {}
    assigned: dict[Found, Group] = {}
    for f in extraction.found:
        if not writable(f):
            continue
        label = labels[f]
        group = None
        if len(label.key) >= 2 and not f.cell and f.figure.qualifier not in ("over", "at-most"):
            part = extraction.outline.section_of(f.line).key[:2]  # the document and its 一、 part
            key = (part, label.key, label.measure, f.unit.dimension)
            for candidate in open_groups.get(key, []):
                if any(m.line == f.line for m in candidate.members):
                    continue  # one line prints one figure once: a second one is another thing
                if all(_agree(m, f) for m in candidate.members) or all(
                        _corroborated(m, f, by_line, labels) for m in candidate.members):
                    group = candidate
                    break
            if group is None:
                group = Group(f, label)
                open_groups.setdefault(key, []).append(group)
            else:
                group.members.append(f)
        else:
            group = Group(f, label)
        assigned[f] = group
    return assigned


def written(extraction: Extraction, assigned: dict[Found, Group] | None = None) -> list[Proposal]:
    """The proposals the draft writes under ``relations:``, in its order (one relation each)."""
    assigned = groups(extraction) if assigned is None else assigned
    return [p for p in extraction.proposals if _relation(p, assigned) is not None]


def _place(found: Found) -> int:
    """The power of ten of a figure's last printed digit, in its dimension's base unit."""
    return found.figure.value.as_tuple().exponent + found.unit.scale.adjusted()


def exact_by_sum(extraction: Extraction) -> set[Found]:
    """Round parts the report's own sums read as exact: in a sum that holds exactly as printed
    (3044.3 = 2800 + 44.3 + 200), a part printed coarser than its total (200万元 beside 3044.3万元)
    is the amount the report adds to the total's last digit, not "anything that rounds to 200":
    an allocation printed round. Read it as printed, as an auditor would (the draft says so with
    ``exact``, for a reviewer to strike), so that a remainder taken from it is checked to the 元."""
    out: set[Found] = set()
    for p in extraction.proposals:
        if p.kind != "sum" or not p.holds or len(p.parts) < 2 or p.total.figure.qualifier:
            continue
        total = EXACT.add(Decimal(0), Decimal(0))
        for part in p.parts:
            total = EXACT.add(total, part.figure.base_value)
        if total != p.total.figure.base_value:
            continue
        out.update(part for part in p.parts if part.unit.dimension != "count" and not part.figure.qualifier
                   and _place(part) > _place(p.total))
    return out


def _statement(found: Found, exact: bool = False) -> str:
    text = f"{found.printed} @{found.line}"
    if found.cell:
        text += f" unit={found.unit.symbol}"
    if exact:
        text += " exact"
    return text


def _ref(group: Group) -> str:
    return f"{group.id}.{group.label.measure}"


def _relation(proposal: Proposal, assigned: dict[Found, Group]) -> dict | None:
    if not all(f in assigned for f in proposal.figures):
        return None
    refs = [_ref(assigned[f]) for f in proposal.figures]
    if len(set(refs)) != len(refs):
        return None  # a figure and its part on one node: not a relation the format can say
    kind = _KINDS.get(proposal.kind, proposal.kind)
    entry = {kind: refs[0], "of": refs[1:], "proposed": True, "because": proposal.because()}
    if proposal.kind == "partial":
        entry["partial"] = True
    if proposal.kind in ("growth-change", "rate-change"):
        entry["change"] = True
    return entry


#: Proposal kinds written as a relation kind of the case format, with a flag.
_KINDS = {"partial": "sum", "growth-change": "growth", "rate-change": "rate"}


def draft_yaml(extraction: Extraction, output: str | None = None) -> str:
    """The draft case file as YAML text. ``output`` is where it will be written (for the source path)."""
    assigned = groups(extraction)
    base = os.path.dirname(os.path.abspath(output)) if output else os.getcwd()
    path = os.path.relpath(os.path.abspath(extraction.path), base)
    stem = os.path.splitext(os.path.basename(extraction.path))[0]
    case_id = "draft-" + "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in stem)
    title = next((s.title for s in extraction.outline.sections if s.level == 0 and s.title), stem)
    out = [
        f"# Draft written by `fiscalcheck extract` from {extraction.path}: review it like any case.",
        "# Every statement cites its line; every relation under 'relations:' was proposed from the",
        "# text (proposed: true) with the words that made it (because: ...). Figures printed twice",
        "# under one label are one node: the run checks that their printings agree.",
        f"# {len(extraction.found)} figures found, {len(extraction.scan.unread)} seen but not read, "
        f"{len(extraction.proposals)} relations proposed.",
        yaml.safe_dump({"case": case_id, "title": title}, allow_unicode=True, sort_keys=False, width=1000).rstrip(),
        "sources:",
        "  report:",
        f"    path: {yaml.safe_dump(path, allow_unicode=True).splitlines()[0]}",
        "nodes:",
    ]
    seen: set[int] = set()
    exact = exact_by_sum(extraction)
    for f in extraction.found:
        group = assigned.get(f)
        if group is None or id(group) in seen:
            continue
        seen.add(id(group))
        statements = [_statement(m, m in exact) for m in group.members]
        measure = statements[0] if len(statements) == 1 else "[" + ", ".join(statements) + "]"
        label = group.label.label or group.label.item or group.label.clause or f.printed
        out.append(f"  - id: {group.id}")
        out.append(f"    label: {_scalar(label)}")
        out.append(f"    measures: {{{group.label.measure}: {measure}}}")
    if extraction.scan.unread:
        out.append("# Seen, not read (numbers that look like figures; write them in by hand if they are):")
        out.extend(f"#   {u.text} @{u.line}:{u.column + 1}: {u.why}" for u in extraction.scan.unread)
    relations = []
    for proposal in extraction.proposals:
        entry = _relation(proposal, assigned)
        if entry is not None:
            relations.append((proposal, entry))
    if relations:
        out.append("relations:")
        for proposal, entry in relations:
            out.append(f"  # {proposal.because()}")
            kind = _KINDS.get(proposal.kind, proposal.kind)
            out.append(f"  - {kind}: {entry[kind]}")
            out.append(f"    of: [{', '.join(entry['of'])}]")
            for flag in ("partial", "change"):
                if entry.get(flag):
                    out.append(f"    {flag}: true")
            out.append("    proposed: true")
            out.append(f"    because: {_scalar(entry['because'])}")
    return "\n".join(out) + "\n"


def _scalar(text: str) -> str:
    return yaml.safe_dump(text, allow_unicode=True, width=1000).splitlines()[0] if text else '""'


def draft_case(extraction: Extraction, output: str | None = None) -> Case:
    """The draft as a :class:`~fiscalcheck.model.Case`, read back through the case loader."""
    path = output or os.path.join(os.getcwd(), "<draft>.yaml")
    return loads(draft_yaml(extraction, output), path)


def proposed_relations(case: Case) -> dict[object, object]:
    """The proposed relations of ``case`` by their place in the case file (a finding's ``origin``)."""
    return {r.origin: r for r in case.relations if r.proposed and r.origin is not None}
