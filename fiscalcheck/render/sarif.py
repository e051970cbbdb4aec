"""SARIF 2.1.0: findings as code-scanning results at the case file's lines.

Why SARIF: CI systems (GitHub code scanning, GitLab, Azure DevOps) show SARIF
results as annotations on the files they point at. A finding points at the case
file's line and column where the relation was written (its ``origin``); each
printing it rests on is a related location in the report text. Rules carry the
pack's metadata (id, description, default level); every figure is a string,
exactly as stored. The fingerprint hashes what the relation *is* (case, rule,
node, measure, relation and the printings, sorted), never where the case file
happens to put it or the order findings come in, so a result keeps its identity
across runs (docs/outputs.md shows the upload step).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from decimal import Decimal
from urllib.parse import quote

from ..rules import BUILTIN_RULES

__all__ = ["render_sarif", "fingerprint", "SCHEMA_URI"]

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("fiscalcheck")
    except PackageNotFoundError:  # a source tree that is not installed
        return "0"


def _uri(path: str) -> str:
    """A path as a SARIF artifact URI: relative to the working directory when it lies under it."""
    absolute = os.path.abspath(path)
    here = os.getcwd()
    if absolute.startswith(here + os.sep):
        return quote(os.path.relpath(absolute, here).replace(os.sep, "/"))
    return "file://" + quote(absolute.replace(os.sep, "/"))


def fingerprint(finding) -> str:
    """What a relation is, hashed: the same for the same relation in any order, in any run."""
    printings = sorted(f"{s.source}:{s.line}:{s.printed}" for s in finding.statements)
    key = "\n".join([finding.case, finding.rule, finding.node, finding.measure, finding.relation, *printings])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _rules(report, case) -> list[dict]:
    known = {rule.id: rule for rule in BUILTIN_RULES}
    if case is not None:
        known.update({inv.id: inv.rule for inv in case.invariants})
    out = []
    ids = list(report.rules) + sorted({f.rule for f in report.findings} - set(report.rules))
    for rule_id in ids:
        rule = known.get(rule_id)
        entry = {"id": rule_id, "name": rule_id}
        if rule is not None:
            entry["shortDescription"] = {"text": rule.description or rule_id}
            entry["defaultConfiguration"] = {"level": _LEVELS.get(rule.severity, "warning")}
        else:
            entry["shortDescription"] = {"text": rule_id}
        out.append(entry)
    return out


def _result(finding, index: dict[str, int], case, lang: str) -> dict:
    sources = case.sources if case is not None else {}
    result: dict = {
        "ruleId": finding.rule,
        "level": _LEVELS.get(finding.severity, "warning"),
        "message": {"text": finding.message + "".join(
            f"\n{'likely' if lang == 'en' else '可能原因'}: {c.sentence(lang)}" for c in finding.causes[:3])},
        "partialFingerprints": {"fiscalcheck/relation/v1": fingerprint(finding)},
        "properties": {
            "node": finding.node, "measure": finding.measure, "relation": finding.relation, "unit": finding.unit,
            "printed": _text(finding.printed), "expected": _text(finding.expected),
            "expectedRange": None if finding.expected_range is None else str(finding.expected_range),
            "difference": _text(finding.difference), "tolerance": _text(finding.tolerance),
            "causes": [{**{k: (str(v) if isinstance(v, Decimal) else v) for k, v in c.to_record().items()},
                        "sentence": c.sentence(lang)} for c in finding.causes],
        },
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    if finding.origin is not None:
        region = {"startLine": max(finding.origin.line, 1), "startColumn": max(finding.origin.column, 1)}
        result["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": _uri(finding.origin.file)},
                                                     "region": region}}]
    related = []
    for n, s in enumerate(finding.statements):
        source = sources.get(s.source)
        if source is None or s.line < 1:
            continue
        related.append({"id": n, "message": {"text": s.printed},
                        "physicalLocation": {"artifactLocation": {"uri": _uri(source.path)},
                                             "region": {"startLine": s.line}}})
    if related:
        result["relatedLocations"] = related
    return result


def render_sarif(reports: Sequence, cases: Sequence = (), lang: str = "en") -> str:
    """One SARIF run per case, one result per failing relation."""
    by_id = {c.id: c for c in cases}
    runs = []
    for report in reports:
        case = by_id.get(report.case)
        rules = _rules(report, case)
        index = {rule["id"]: i for i, rule in enumerate(rules)}
        runs.append({
            "tool": {"driver": {"name": "fiscalcheck", "version": _version(), "rules": rules}},
            "automationDetails": {"id": f"fiscalcheck/{report.case}/"},
            "results": [_result(f, index, case, lang) for f in report.findings],
        })
    document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": runs}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
