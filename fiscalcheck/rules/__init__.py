"""Rules: pure functions from a case to findings, the registry of them, and rule packs.

``context`` turns measures into quantities, ``judge`` decides one relation over
intervals, ``builtin`` holds the built-in invariants, ``expression`` and
``invariants`` an auditor's own invariants (parsed, never ``eval``'d), ``packs``
the named rule sets.
"""

from .context import Context, Quantity
from .expression import ExpressionError, parse
from .invariants import Invariant, Selector
from .judge import judge
from .packs import RulePack, select
from .registry import BUILTIN_IDS, BUILTIN_RULES, Rule, rule_by_id

__all__ = [
    "Context", "Quantity", "judge", "Rule", "BUILTIN_RULES", "BUILTIN_IDS", "rule_by_id",
    "ExpressionError", "parse", "Invariant", "Selector", "RulePack", "select",
]
