"""Reading rule packs: a shipped pack by name, or a pack file by path, with ``extends`` chains.

The pack itself (:class:`~fiscalcheck.rules.RulePack`) is rules data; this module
reads its YAML with the located reader, so every problem has its file, line and
column, and finds the packs shipped with fiscalcheck.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import attrs
import yaml

from ..errors import CaseError, Location, Problem, suggest
from ..findings import severity_problem
from ..figures import Policy
from ..rules import BUILTIN_RULES, Invariant, Rule, RulePack
from .invariants import read_invariant
from .files import MAX_DEPTH, MAX_SIZE, Access, chain_text, read_text
from .located import Reader, compose
from .policy import read_policy

__all__ = ["load_pack", "loads_pack", "shipped_packs", "shipped_folders", "read_case_rules", "PACK_KEYS"]

PACK_KEYS = ("pack", "description", "extends", "policy", "rules", "invariants")
OFF = "off"


def _pack_folders() -> list[Path]:
    package = Path(__file__).resolve().parent.parent
    return [package / "packs", package.parent / "rules"]  # installed package data; the source tree


def shipped_packs() -> dict[str, Path]:
    """The packs shipped with fiscalcheck, by name (``default``, ``strict``, …)."""
    for folder in _pack_folders():
        if folder.is_dir():
            found = {p.stem: p for p in sorted(folder.glob("*.yaml"))}
            if found:
                return found
    return {}


def _looks_like_path(spec: str) -> bool:
    return "/" in spec or os.sep in spec or spec.endswith((".yaml", ".yml"))


def _locate(spec: str, base: str | None, where: Location | None, problems: list[Problem]) -> Path | None:
    if _looks_like_path(spec):
        path = Path(spec) if os.path.isabs(spec) or base is None else Path(base) / spec
        if not path.is_file():
            problems.append(Problem(where, f"no rule pack file {str(path)!r}"))
            return None
        return path
    shipped = shipped_packs()
    if spec not in shipped:
        names = ", ".join(shipped) or "none found"
        problems.append(Problem(where, f"unknown rule pack {spec!r}{suggest(spec, shipped)}; shipped packs: "
                                       f"{names}; or give a path to a YAML file (./mine.yaml)"))
        return None
    return shipped[spec]


def shipped_folders() -> tuple[str, ...]:
    """The folders of the shipped packs: always readable, whatever a load's confinement."""
    return tuple(str(folder) for folder in _pack_folders() if folder.is_dir())


def load_pack(spec: str | os.PathLike[str] | RulePack, base: str | None = None, *,
              where: Location | None = None, allow: Iterable[str | os.PathLike[str]] = (),
              max_size: int | None = None) -> RulePack:
    """The pack named ``spec`` (a shipped name) or stored at ``spec`` (a path, relative to ``base``).

    Its ``extends`` chain may name shipped packs and files of the pack's own folder tree
    (and of ``allow``). Raises :class:`~fiscalcheck.errors.CaseError` listing every
    problem, each at its file, line and column.
    """
    if isinstance(spec, RulePack):
        return spec
    spec = os.fspath(spec)
    problems: list[Problem] = []
    if _looks_like_path(spec):
        start = spec if os.path.isabs(spec) or base is None else os.path.join(base, spec)
        access = Access.for_file(start, allow, max_size, shipped_folders())
    else:
        access = Access((), MAX_SIZE if max_size is None else max_size, shipped_folders())
    pack = _load(spec, base, where, problems, access)
    if problems or pack is None:
        raise CaseError(problems)
    return pack


def _load(spec: str, base: str | None, where: Location | None, problems: list[Problem],
          access: Access) -> RulePack | None:
    """The pack at ``spec`` and the chain it extends, walked in a loop (never by recursion)."""
    chain: list[tuple[Reader, dict, str, str, bool]] = []  # reader, fields, path, stored spec, base failed
    reals: list[str] = []
    while True:
        path = _locate(spec, base, where, problems)
        failed = path is None
        if path is not None:
            real = os.path.realpath(path)
            if real in reals:
                problems.append(Problem(where, f"rule packs extend each other in a cycle: {' -> '.join((*reals, real))}"))
                failed = True
            elif not access.permits(str(path)):
                problems.append(Problem(where, access.refusal(str(path), "rule pack")))
                failed = True
            elif len(chain) >= MAX_DEPTH:
                problems.append(Problem(where, f"rule packs extend each other too deep (more than {MAX_DEPTH} "
                                               f"files): {chain_text((*reals, real))}"))
                failed = True
        if failed:
            if chain:
                chain[-1] = (*chain[-1][:4], True)
            break
        text = read_text(str(path), where, "rule pack", access.max_size, problems)
        header = _header(text, str(path), problems) if text is not None else None
        if header is None:
            if chain:
                chain[-1] = (*chain[-1][:4], True)
            break
        reader, fields = header
        reals.append(real)
        chain.append((reader, fields, str(path), spec if not _looks_like_path(spec) else str(path.resolve()), False))
        if "extends" not in fields:
            break
        spec_node = fields["extends"][1]
        spec = reader.text(spec_node, "the pack it extends (a shipped name or a path)")
        if not spec:
            chain[-1] = (*chain[-1][:4], True)
            break
        base, where = os.path.dirname(str(path)), reader.at(spec_node)
    pack = None
    for reader, fields, path, stored, base_failed in reversed(chain):
        pack = _build(reader, fields, path, stored, problems, pack, base_failed or (pack is None and "extends" in fields))
    return pack if not problems else None


def loads_pack(text: str, path: str = "<pack>") -> RulePack:
    """A pack from YAML text; ``extends`` paths resolve against ``path``'s folder, confined to its tree."""
    problems: list[Problem] = []
    header = _header(text, path, problems)
    pack = None
    if header is not None:
        reader, fields = header
        base = None
        if "extends" in fields:
            spec = reader.text(fields["extends"][1], "the pack it extends (a shipped name or a path)")
            access = Access.for_file(path, (), None, shipped_folders())
            base = _load(spec, os.path.dirname(path), reader.at(fields["extends"][1]), problems, access) if spec else None
        pack = _build(reader, fields, path, path, problems, base, base is None and "extends" in fields)
    if problems or pack is None:
        raise CaseError(problems)
    return pack


def _header(text: str, path: str, problems: list[Problem]) -> tuple[Reader, dict] | None:
    """A pack file's reader and its top-level keys (``extends`` among them), or ``None``."""
    ok, root = compose(text, path, problems)
    if not ok:
        return None
    reader = Reader(path, problems)
    if root is None:
        problems.append(Problem(Location(path, 1, 1), "empty rule pack: expected a mapping with 'rules' or 'invariants'"))
        return None
    fields = reader.mapping(root, "a rule pack", PACK_KEYS)
    if fields is None:
        return None
    return reader, fields


def _build(reader: Reader, fields: dict, path: str, spec: str, problems: list[Problem],
           base: RulePack | None, base_failed: bool) -> RulePack | None:
    """The pack of one file, on top of the pack it extends (``base``)."""
    name = reader.ident(fields["pack"][1], "a pack name") if "pack" in fields else Path(path).stem
    description = (reader.text(fields["description"][1], "a description") or "") if "description" in fields else ""
    chosen: dict[str, Rule] = {}
    policy = Policy()
    if base is not None:
        chosen = {r.id: r for r in base.rules}
        policy = base.policy
    if "policy" in fields:
        own = read_policy(reader, fields["policy"][1])
        if own is not None:
            values = {k: getattr(own, k) for k in own.declared}
            policy = attrs.evolve(policy, **values, declared=tuple(dict.fromkeys((*policy.declared, *own.declared))))
    if "rules" in fields:
        chosen = _select(reader, fields["rules"][1], chosen, lenient=base_failed)
    if "invariants" in fields:
        for item in reader.sequence(fields["invariants"][1], "invariants"):
            taken = (*(r.id for r in BUILTIN_RULES), *chosen)
            invariant = read_invariant(reader, item, taken=taken)
            if invariant is not None:
                chosen[invariant.id] = invariant.rule
    if problems:
        return None
    builtin_order = [r.id for r in BUILTIN_RULES]
    ordered = sorted(chosen.values(), key=lambda r: builtin_order.index(r.id) if r.id in builtin_order else len(builtin_order))
    return RulePack(name or Path(path).stem, description.strip(), tuple(ordered), policy, spec, path)


def _select(reader, node, chosen: dict[str, Rule], lenient: bool = False) -> dict[str, Rule]:
    """``rules:``: a list of rule ids (at their default severity) or a mapping ``id: severity|off``.

    ``lenient``: the base pack could not be read, so an id it might define is not flagged.
    """
    chosen = dict(chosen)
    known = {r.id: r for r in BUILTIN_RULES} | chosen
    if isinstance(node, yaml.SequenceNode):
        entries = [(item, None) for item in reader.sequence(node, "rule ids")]
    elif isinstance(node, yaml.MappingNode) and reader.visit(node):
        entries = list(node.value)
    else:
        reader.fail(node, "expected 'rules:' as a list of rule ids or a mapping 'rule-id: severity' (or off)")
        return chosen
    for key, value in entries:
        rule_id = reader.text(key, "a rule id")
        if rule_id is None:
            continue
        if rule_id not in known:
            if lenient:
                continue
            reader.fail(key, f"unknown rule {rule_id!r}{suggest(rule_id, known)}; rules: {', '.join(known)}")
            continue
        severity = None if value is None else reader.text(value, "a severity or off")
        if value is not None and severity is None:
            continue
        if severity == OFF:
            chosen.pop(rule_id, None)
            continue
        problem = None if severity is None else severity_problem(severity, also=(OFF,), what=f" for rule {rule_id!r}")
        if problem:
            reader.fail(value, problem)
            continue
        rule = known[rule_id]
        if severity is not None:
            rule = attrs.evolve(rule, severity=severity)
            if isinstance(rule.check, Invariant):
                rule = attrs.evolve(rule, check=attrs.evolve(rule.check, severity=severity))
        chosen[rule_id] = rule
    return chosen


def read_case_rules(reader, node, base: str, access: Access) -> RulePack | None:
    """A case file's ``rules:`` key: the pack, loaded now so a bad name is a load error.

    The pack and what it extends are confined as the case's includes are (``access``).
    """
    spec = reader.text(node, "a rule pack: a shipped pack's name or a path to a YAML file")
    if spec is None:
        return None
    problems: list[Problem] = []
    pack = _load(spec, base, reader.at(node), problems, access)
    reader.problems.extend(problems)
    return None if problems else pack


