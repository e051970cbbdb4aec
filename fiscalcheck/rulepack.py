"""Rule packs: which rules run, how severe each is, how tolerant figures are, and
an audit office's own invariants — written in YAML, shared as a file.

A pack is the hledger idea of named check sets (basic by default, ``--strict``
on demand) made a file an office can own::

    pack: chaoyang-audit
    extends: default              # start from another pack (shipped name or path)
    policy: {floor: "1"}          # rounding, about, exact, floor (元)
    rules: {share: error}         # rule id: severity, or off
    invariants:                   # custom invariants (docs/rules.md)
      - id: review-fee-cap
        where: {id: "*-fees"}
        expr: arranged <= 1% * parent.budget

Shipped packs live in the repository's top-level ``rules/`` folder, installed as
the ``fiscalcheck.packs`` package data; :func:`shipped_packs` finds them in
either place. A pack is chosen by ``fiscalcheck run --rules PACK``, by a case's
``rules:`` key, or by passing it to :meth:`Case.check`; with none, the built-in
rules run at their default severities (which is what ``default`` ships).

The pack's policy fills in only the keys a case file leaves open: the case
knows how its report prints, the pack what the office tolerates.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import attrs
import yaml

from .custom import Invariant, read_invariant
from .engine import BUILTIN_RULES, Rule
from .errors import CaseError, Location, Problem, suggest
from .findings import SEVERITIES
from .model import Case, Policy

__all__ = ["RulePack", "load_pack", "shipped_packs", "select", "describe", "PACK_KEYS"]

PACK_KEYS = ("pack", "description", "extends", "policy", "rules", "invariants")
OFF = "off"
_POLICY_FIELDS = ("rounding", "about", "exact", "floor")


@attrs.frozen
class RulePack:
    """A named, ordered set of rules (built-ins at chosen severities, then invariants) and a policy.

    ``policy.declared`` names the policy keys the pack sets; only those are applied.
    """

    name: str
    description: str = ""
    rules: tuple[Rule, ...] = ()
    policy: Policy = Policy()
    spec: str = attrs.field(default="", eq=False)
    path: str | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def invariants(self) -> tuple[Invariant, ...]:
        return tuple(r.check for r in self.rules if isinstance(r.check, Invariant))

    def apply_policy(self, case: Case) -> Case:
        """``case`` reading its figures with this pack's policy where the case declared none."""
        changes = {k: getattr(self.policy, k) for k in self.policy.declared if k not in case.policy.declared}
        if not changes:
            return case
        declared = tuple(dict.fromkeys((*case.policy.declared, *changes)))
        return attrs.evolve(case, policy=attrs.evolve(case.policy, **changes, declared=declared))


# -- finding packs --------------------------------------------------------------


def _pack_folders() -> list[Path]:
    here = Path(__file__).resolve().parent
    return [here / "packs", here.parent / "rules"]  # installed package data; the source tree


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


def load_pack(spec: str | os.PathLike[str] | RulePack, base: str | None = None, *,
              where: Location | None = None) -> RulePack:
    """The pack named ``spec`` (a shipped name) or stored at ``spec`` (a path, relative to ``base``).

    Raises :class:`~fiscalcheck.errors.CaseError` listing every problem, each at
    its file, line and column.
    """
    if isinstance(spec, RulePack):
        return spec
    problems: list[Problem] = []
    pack = _load(os.fspath(spec), base, where, problems, ())
    if problems or pack is None:
        raise CaseError(problems)
    return pack


def _load(spec: str, base: str | None, where: Location | None, problems: list[Problem],
          stack: tuple[str, ...]) -> RulePack | None:
    path = _locate(spec, base, where, problems)
    if path is None:
        return None
    real = os.path.realpath(path)
    if real in stack:
        problems.append(Problem(where, f"rule packs extend each other in a cycle: {' -> '.join((*stack, real))}"))
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(where, f"cannot read rule pack {str(path)!r}: {error}"))
        return None
    stored = spec if not _looks_like_path(spec) else str(path.resolve())
    return _read(text, str(path), stored, problems, (*stack, real))


def loads_pack(text: str, path: str = "<pack>") -> RulePack:
    """A pack from YAML text; ``extends`` paths resolve against ``path``'s folder."""
    problems: list[Problem] = []
    pack = _read(text, path, path, problems, ())
    if problems or pack is None:
        raise CaseError(problems)
    return pack


def _read(text: str, path: str, spec: str, problems: list[Problem], stack: tuple[str, ...]) -> RulePack | None:
    from .casefile import _Builder, _Reader, compose  # one YAML reader for cases and packs

    ok, root = compose(text, path, problems)
    if not ok:
        return None
    reader = _Reader(path, problems)
    if root is None:
        problems.append(Problem(Location(path, 1, 1), "empty rule pack: expected a mapping with 'rules' or 'invariants'"))
        return None
    fields = reader.mapping(root, "a rule pack", PACK_KEYS)
    if fields is None:
        return None
    folder = os.path.dirname(path)
    name = reader.ident(fields["pack"][1], "a pack name") if "pack" in fields else Path(path).stem
    description = (reader.text(fields["description"][1], "a description") or "") if "description" in fields else ""

    chosen: dict[str, Rule] = {}
    policy = Policy()
    base_failed = False
    if "extends" in fields:
        base_spec = reader.text(fields["extends"][1], "the pack it extends (a shipped name or a path)")
        base = _load(base_spec, folder, reader.at(fields["extends"][1]), problems, stack) if base_spec else None
        if base is None:
            base_failed = True  # read on: every problem of this file is worth reporting now
        else:
            chosen = {r.id: r for r in base.rules}
            policy = base.policy
    if "policy" in fields:
        builder = _Builder()
        builder.problems = problems
        builder.read_policy(reader, fields["policy"][1])
        if builder.policy is not None:
            own = builder.policy
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
        if severity is not None and severity not in SEVERITIES:
            reader.fail(value, f"expected {', '.join(SEVERITIES)} or {OFF} for rule {rule_id!r}, got {severity!r}"
                               f"{suggest(severity, (*SEVERITIES, OFF))}")
            continue
        rule = known[rule_id]
        if severity is not None:
            rule = attrs.evolve(rule, severity=severity)
            if isinstance(rule.check, Invariant):
                rule = attrs.evolve(rule, check=attrs.evolve(rule.check, severity=severity))
        chosen[rule_id] = rule
    return chosen


# -- using packs ----------------------------------------------------------------


def read_case_rules(reader, node, base: str) -> RulePack | None:
    """A case file's ``rules:`` key: the pack, loaded now so a bad name is a load error."""
    spec = reader.text(node, "a rule pack: a shipped pack's name or a path to a YAML file")
    if spec is None:
        return None
    problems: list[Problem] = []
    pack = _load(spec, base, reader.at(node), problems, ())
    reader.problems.extend(problems)
    return None if problems else pack


def select(case: Case, rules: object = None) -> tuple[Case, tuple[Rule, ...]]:
    """The case to check (with the pack's policy) and the rules to run on it.

    ``rules``: None for the case's own pack (or the built-ins), a :class:`RulePack`,
    a shipped pack's name or a path, or a tuple of rules (run as given, without
    the case's invariants). The case's invariants join any pack.
    """
    if rules is None:
        pack = case.rules
    elif isinstance(rules, RulePack):
        pack = rules
    elif isinstance(rules, (str, os.PathLike)):
        pack = load_pack(rules)
    else:
        return case, tuple(rules)
    chosen = BUILTIN_RULES if pack is None else pack.rules
    if pack is not None:
        case = pack.apply_policy(case)
    ids = {r.id for r in chosen}
    clashes = [inv for inv in case.invariants if inv.id in ids]
    if clashes:
        raise CaseError(Problem(inv.origin, f"invariant {inv.id!r} has the id of a rule of pack "
                                            f"{pack.name if pack else 'default'!r}: rename it") for inv in clashes)
    return case, (*chosen, *(inv.rule for inv in case.invariants))


def describe(pack: RulePack | None, extra: Iterable[Invariant] = ()) -> list[list[str]]:
    """Rows ``[rule, severity, kind, what it checks]`` for ``fiscalcheck rules``."""
    rules = BUILTIN_RULES if pack is None else pack.rules
    rows = []
    for rule in (*rules, *(i.rule for i in extra)):
        if isinstance(rule.check, Invariant):
            text = rule.check.expression.source
            where = _where_text(rule.check)
            what = "\n".join(t for t in (rule.check.description, f"{text}{where}") if t)
            rows.append([rule.id, rule.severity, "custom", what])
        else:
            rows.append([rule.id, rule.severity, "built-in", rule.description])
    return rows


def _where_text(invariant: Invariant) -> str:
    where = invariant.where
    if where is None:
        return ""
    parts = [f"{key}: {', '.join(map(str, values))}" for key, values in
             (("kind", where.kinds), ("tag", where.tags), ("id", where.ids), ("path", where.paths), ("has", where.has))
             if values]
    return f"  (where {'; '.join(parts)})"


def policy_text(pack: RulePack) -> str:
    """The policy keys a pack sets, ``rounding nearest, floor 1元``; ``""`` when it sets none."""
    shown = []
    for key in _POLICY_FIELDS:
        if key in pack.policy.declared:
            value = getattr(pack.policy, key)
            value = ", ".join(value) if isinstance(value, tuple) else str(value)
            shown.append(f"{key} {value}{'元' if key == 'floor' else ''}")
    return ", ".join(shown)


def render_rules(pack: RulePack) -> str:
    """``fiscalcheck rules``: the pack, its policy, and one row per rule."""
    from tabulate import tabulate

    where = f" ({pack.path})" if pack.path else ""
    lines = [f"pack {pack.name}{where}: {len(pack.rules)} rules"]
    if pack.description:
        lines.append(pack.description)
    policy = policy_text(pack)
    if policy:
        lines.append(f"policy: {policy}")
    table = tabulate(describe(pack), headers=("rule", "severity", "kind", "what it checks"),
                     tablefmt="simple", disable_numparse=True, maxcolwidths=[None, None, None, 72])
    return "\n".join(lines) + "\n\n" + table + "\n"
