"""Waivers: accepting a known finding, with a reason, without losing sight of it.

An auditor who has looked into a finding and accepts it (the office was told; the
figure is a known misprint) writes a waiver: which rule, which node (an id or a
path, globs allowed), optionally which measure, and — always — why. A waiver
lives in the case file (``waivers:``) or in a baseline beside it,
``<case>.waivers.yaml``, so a shared case can stay clean of one office's choices.

Waiving moves a finding out of :attr:`Report.findings` (and so out of the exit
status) into :attr:`Report.waived`, where it is still listed with its reason.
A waiver that matches no finding any more is itself a ``stale-waiver`` warning:
acceptance never outlives the fact it accepted.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable

import attrs

from ..errors import Location
from ..record import Record
from .finding import Finding
from .messages import Message

__all__ = ["Waiver", "Waived", "apply_waivers", "STALE", "RULE_ERROR", "UNWAIVABLE"]
#: The rule id of the finding a stale waiver gives; it cannot itself be waived.
STALE = "stale-waiver"
#: The rule id of the finding a crashing rule gives: the checker failed, and no waiver hides that.
RULE_ERROR = "rule-error"
#: Findings no waiver can accept.
UNWAIVABLE = (STALE, RULE_ERROR)


@attrs.frozen(repr=False, eq=False)
class Waiver(Record):
    """Accepts the failing findings of ``rule`` at ``node`` (and ``measure``, when given).

    ``rule``, ``node`` and ``measure`` are globs (``*``, ``?``, ``[...]``); ``node``
    matches a finding's path (``industry/hitech/hitech-fees``) or its last part,
    the node id (``hitech-fees``).
    """

    rule: str
    node: str
    reason: str
    measure: str | None = None
    origin: Location | None = attrs.field(default=None, eq=False, repr=False)

    def matches(self, finding: Finding) -> bool:
        if finding.holds or finding.rule in UNWAIVABLE:
            return False
        if not fnmatch.fnmatchcase(finding.rule, self.rule):
            return False
        node_id = finding.node_id or finding.node.rsplit("/", 1)[-1]
        if not (fnmatch.fnmatchcase(finding.node, self.node) or fnmatch.fnmatchcase(node_id, self.node)):
            return False
        return self.measure is None or fnmatch.fnmatchcase(finding.measure, self.measure)

    def __str__(self) -> str:
        measure = f" {self.measure}" if self.measure else ""
        return f"{self.rule} at {self.node}{measure}"

    def to_yaml(self) -> dict[str, str]:
        data = {"rule": self.rule, "node": self.node}
        if self.measure is not None:
            data["measure"] = self.measure
        data["reason"] = self.reason
        return data


@attrs.frozen(repr=False, eq=False)
class Waived(Record):
    """A finding accepted by a waiver: still a finding, listed apart with its reason."""

    finding: Finding
    waiver: Waiver

    @property
    def reason(self) -> str:
        return self.waiver.reason

    def to_record(self, lang: str = "en") -> dict[str, object]:
        return {**self.finding.to_record(lang), "reason": self.reason,
                "waiver": None if self.waiver.origin is None else str(self.waiver.origin)}


_GLOB = re.compile(r"[*?\[]")


def apply_waivers(report, waivers: Iterable[Waiver]):
    """``report`` with the findings ``waivers`` accept moved to ``waived``, plus one
    ``stale-waiver`` warning per waiver that accepted nothing."""
    waivers = tuple(waivers)
    if not waivers:
        return report
    kept: list[Finding] = []
    waived: list[Waived] = []
    used: set[int] = set()
    # Waivers naming a rule and a node literally are looked up by (rule, node); only those with a
    # glob pattern are tried on every finding: checks x waivers was the cost of a large baseline.
    literal: dict[tuple[str, str], list[int]] = {}
    patterned: list[int] = []
    for index, waiver in enumerate(waivers):
        if _GLOB.search(waiver.rule) or _GLOB.search(waiver.node):
            patterned.append(index)
        else:
            literal.setdefault((waiver.rule, waiver.node), []).append(index)
    for finding in report.checks:
        if finding.holds or finding.rule in UNWAIVABLE:
            kept.append(finding)
            continue
        node_id = finding.node.rsplit("/", 1)[-1]
        candidates = {*literal.get((finding.rule, finding.node), ()), *literal.get((finding.rule, node_id), ()), *patterned}
        matching = sorted(i for i in candidates if waivers[i].matches(finding))
        used.update(matching)  # a second waiver of the same finding is redundant, not stale
        if matching:
            waived.append(Waived(finding, waivers[matching[0]]))
        else:
            kept.append(finding)
    for index, waiver in enumerate(waivers):
        if index not in used:
            kept.append(_stale(waiver, report))
    return attrs.evolve(report, checks=tuple(kept), waived=(*report.waived, *waived))


def _stale(waiver: Waiver, report) -> Finding:
    ran = any(fnmatch.fnmatchcase(rule, waiver.rule) for rule in report.rules)
    where = f" ({waiver.origin})" if waiver.origin else ""
    why = Message("stale-unmatched") if ran else Message.of("stale-not-run", rule=repr(waiver.rule))
    return Finding(
        rule=STALE, severity="warning", node=waiver.node, label="", measure=waiver.measure or "",
        relation=f"waiver: {waiver}", holds=False, exact=False, case=report.case, origin=waiver.origin,
        message=Message.of("stale-waiver", waiver=str(waiver), where=where, why=why, reason=waiver.reason),
    )
