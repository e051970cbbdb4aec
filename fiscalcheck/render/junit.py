"""JUnit XML: one test case per relation, so a CI system counts and lists them like tests.

Why: every CI system reads JUnit XML; a relation that holds is a passing test,
one that fails is a failing test whose message is the finding's sentence (and
whose text adds its printings and likely causes), and a waived finding is a
skipped test with the waiver's reason. Built with :mod:`xml.etree.ElementTree`,
which escapes every text from the case.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

__all__ = ["render_junit"]


def _case(finding, suite: ET.Element, lang: str) -> ET.Element:
    name = f"{finding.node or finding.relation} · {finding.relation}" if finding.node else finding.relation
    attributes = {"classname": f"{finding.case}.{finding.rule}", "name": name}
    if finding.origin is not None:
        attributes.update(file=finding.origin.file, line=str(max(finding.origin.line, 1)))
    return ET.SubElement(suite, "testcase", attributes)


def _details(finding, lang: str) -> str:
    lines = [finding.message, ""]
    lines += [f"  {s.printed} ({s.source}:{s.line})" for s in finding.statements]
    if finding.causes:
        lines += ["", "likely causes:" if lang == "en" else "可能原因："]
        lines += [f"  {n}. {c.sentence(lang)}" for n, c in enumerate(finding.causes, 1)]
    return "\n".join(lines)


def render_junit(reports: Sequence, lang: str = "en") -> str:
    """Every judged relation of every report as a JUnit test case (waived ones skipped)."""
    root = ET.Element("testsuites", name="fiscalcheck")
    total = failed = skipped = 0
    for report in reports:
        checks = list(report.checks)
        failing = [f for f in checks if not f.holds]
        suite = ET.SubElement(root, "testsuite", name=report.case, tests=str(len(checks) + len(report.waived)),
                              failures=str(len(failing)), errors="0", skipped=str(len(report.waived)))
        for finding in checks:
            element = _case(finding, suite, lang)
            if not finding.holds:
                failure = ET.SubElement(element, "failure", message=finding.message, type=finding.severity)
                failure.text = _details(finding, lang)
        for waived in report.waived:
            element = _case(waived.finding, suite, lang)
            ET.SubElement(element, "skipped", message=f"waived: {waived.reason}")
        total += len(checks) + len(report.waived)
        failed += len(failing)
        skipped += len(report.waived)
    root.set("tests", str(total))
    root.set("failures", str(failed))
    root.set("errors", "0")
    root.set("skipped", str(skipped))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
