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
from collections.abc import Iterable

import attrs

from .errors import Location, Problem
from .findings import Finding

__all__ = ["Waiver", "Waived", "apply_waivers", "read_waiver", "read_baseline", "STALE"]

WAIVER_KEYS = ("rule", "node", "measure", "reason")
BASELINE_KEYS = ("waivers",)
#: The rule id of the finding a stale waiver gives; it cannot itself be waived.
STALE = "stale-waiver"


@attrs.frozen
class Waiver:
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
        if finding.holds or finding.rule == STALE:
            return False
        if not fnmatch.fnmatchcase(finding.rule, self.rule):
            return False
        node_id = finding.node.rsplit("/", 1)[-1]
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


@attrs.frozen
class Waived:
    """A finding accepted by a waiver: still a finding, listed apart with its reason."""

    finding: Finding
    waiver: Waiver

    @property
    def reason(self) -> str:
        return self.waiver.reason

    def to_record(self) -> dict[str, object]:
        return {**self.finding.to_record(), "reason": self.reason,
                "waiver": None if self.waiver.origin is None else str(self.waiver.origin)}


def apply_waivers(report, waivers: Iterable[Waiver]):
    """``report`` with the findings ``waivers`` accept moved to ``waived``, plus one
    ``stale-waiver`` warning per waiver that accepted nothing."""
    waivers = tuple(waivers)
    if not waivers:
        return report
    kept: list[Finding] = []
    waived: list[Waived] = []
    used: set[int] = set()
    for finding in report.checks:
        matching = [i for i, w in enumerate(waivers) if w.matches(finding)]
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
    why = ("matches no finding any more: remove it (or correct it if the finding moved)" if ran
           else f"names rule {waiver.rule!r}, which did not run in this check")
    return Finding(
        rule=STALE, severity="warning", node=waiver.node, label="", measure=waiver.measure or "",
        relation=f"waiver: {waiver}", holds=False, exact=False, case=report.case, origin=waiver.origin,
        message=f"waiver for {waiver}{where} {why}; its reason was: {waiver.reason}",
    )


# -- reading --------------------------------------------------------------------


def read_waiver(reader, item) -> Waiver | None:
    """A waiver from its YAML mapping (problems go to ``reader``, the case-file reader)."""
    fields = reader.mapping(item, "a waiver", WAIVER_KEYS)
    if fields is None:
        return None
    missing = [k for k in ("rule", "node", "reason") if k not in fields]
    if missing:
        reader.fail(item, f"a waiver needs {', '.join(missing)} (the reason is mandatory: "
                          f"why is this finding accepted?)")
        return None
    rule = reader.text(fields["rule"][1], "a rule id (a glob is allowed)")
    node = reader.text(fields["node"][1], "a node id or path (a glob is allowed)")
    reason = reader.text(fields["reason"][1], "the reason the finding is accepted")
    measure = reader.text(fields["measure"][1], "a measure name") if "measure" in fields else None
    if reason is not None and not reason.strip():
        reader.fail(fields["reason"][1], "a waiver's reason cannot be empty: say why the finding is accepted")
        return None
    if rule == STALE:
        reader.fail(fields["rule"][1], f"{STALE!r} cannot be waived: remove the stale waiver instead")
        return None
    if rule is None or node is None or reason is None or ("measure" in fields and measure is None):
        return None
    return Waiver(rule.strip(), node.strip(), reason.strip(), measure, reader.at(item))


def read_baseline(case_path: str, problems: list[Problem]) -> list[Waiver]:
    """The waivers of the baseline beside ``case_path``, if there is one; problems are collected."""
    from .casefile import _Reader, baseline_path, compose  # the one YAML reader, with its locations and refusals

    path = baseline_path(case_path)
    if not os.path.isfile(path):
        return []
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(Location(path, 1, 1), f"cannot read the waiver baseline: {error}"))
        return []
    ok, root = compose(text, path, problems)
    if not ok:
        return []
    if root is None:
        return []
    reader = _Reader(path, problems)
    fields = reader.mapping(root, "a waiver baseline", BASELINE_KEYS)
    if fields is None or "waivers" not in fields:
        if fields is not None:
            reader.fail(root, "a waiver baseline needs 'waivers:' (a list of waivers)")
        return []
    found = (read_waiver(reader, item) for item in reader.sequence(fields["waivers"][1], "waivers"))
    return [w for w in found if w is not None]
