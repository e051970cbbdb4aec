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
the ``fiscalcheck.packs`` package data; reading a pack file (and finding the
shipped ones) is :mod:`fiscalcheck.inputs.packs`, listing one is
:mod:`fiscalcheck.render.rules`. A pack is chosen by ``fiscalcheck run --rules PACK``, by a case's
``rules:`` key, or by passing it to :meth:`Case.check`; with none, the built-in
rules run at their default severities (which is what ``default`` ships).

The pack's policy fills in only the keys a case file leaves open: the case
knows how its report prints, the pack what the office tolerates.
"""

from __future__ import annotations

import attrs

from ..errors import CaseError, Problem
from ..model import Case, Policy
from ..record import Record
from .invariants import Invariant
from .registry import BUILTIN_RULES, Rule

__all__ = ["RulePack", "select", "POLICY_FIELDS"]

#: The policy keys a pack may set.
POLICY_FIELDS = ("rounding", "about", "exact", "floor")


@attrs.frozen(repr=False, eq=False)
class RulePack(Record):
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


def select(case: Case, rules: object = None) -> tuple[Case, tuple[Rule, ...]]:
    """The case to check (with the pack's policy) and the rules to run on it.

    ``rules``: None for the case's own pack (or the built-ins), a :class:`RulePack`,
    or a tuple of rules (run as given, without the case's invariants). The
    case's invariants join any pack. (A pack's name or path is read into a
    :class:`RulePack` by :func:`fiscalcheck.inputs.load_pack` first.)
    """
    if rules is None:
        pack = case.rules
    elif isinstance(rules, RulePack):
        pack = rules
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
