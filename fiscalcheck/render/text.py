"""Reports for people: tables grouped by severity (plain text or markdown), and JSON for machines.

JSON carries every figure as a string exactly as stored (``"7366.183"``), never
a JSON number: a consumer that parses numbers as binary floats would lose the
digits the whole tool exists to keep.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from tabulate import tabulate

from ..findings import SEVERITIES, Finding

__all__ = ["table", "markdown", "json_text"]

_COLUMNS = ("rule", "node", "measure", "printed statements", "message")


def _printing(s) -> str:
    """``7366.183万元 @218``, or a table cell's ``2,961.68 @p13 t1 r19 收入/决算数`` (a blank cell shown so)."""
    if s.cell is None:
        return f"{s.printed} @{s.line}"
    page = f"p{s.cell.page} " if s.cell.page is not None else ""
    table = f"t{s.cell.table} " if s.cell.table is not None else ""
    return f"{s.printed or '(blank)'} @{page}{table}r{s.cell.row} {s.cell.column}"


def _rows(findings: Sequence[Finding], multi: bool, lang: str) -> list[list[str]]:
    rows = []
    for f in findings:
        node = f"{f.case}:{f.node}" if multi else f.node
        printed = "\n".join(_printing(s) for s in f.statements)
        message = f.text(lang)
        if f.causes:  # the most likely cause; JSON and the other formats carry them all
            message += f"\n{'likely' if lang == 'en' else '可能原因'}: {f.causes[0].sentence(lang)}"
        rows.append([f.rule, node, f.measure, printed, message])
    return rows


def table(reports: Sequence, include_passed: bool = False, lang: str = "en") -> str:
    """The findings of each severity as a grid table, the waived ones apart, then each report's summary."""
    return _table(reports, "grid", lang)


def markdown(reports: Sequence, include_passed: bool = False, lang: str = "en") -> str:
    """The same as :func:`table`, as GitHub markdown."""
    return _table(reports, "github", lang)


def _table(reports: Sequence, tablefmt: str, lang: str) -> str:
    multi = len(reports) > 1
    findings = [f for r in reports for f in r.findings]
    parts = []
    for severity in SEVERITIES:
        chosen = [f for f in findings if f.severity == severity]
        if not chosen:
            continue
        heading = f"{severity.upper()} ({len(chosen)})"
        parts.append(f"## {heading}" if tablefmt == "github" else heading)
        parts.append(tabulate(_rows(chosen, multi, lang), headers=_COLUMNS, tablefmt=tablefmt,
                              maxcolwidths=[None, 28, None, 24, 60] if tablefmt != "github" else None,
                              disable_numparse=True))
    if not findings:
        parts.append("No findings.")
    waived = [w for r in reports for w in r.waived]
    if waived:  # accepted findings stay in sight, apart, each with its reason
        heading = f"WAIVED ({len(waived)})"
        parts.append(f"## {heading}" if tablefmt == "github" else heading)
        rows = [row[:3] + [w.finding.text(lang), w.reason]  # the sentence alone: an accepted finding needs no cause
                for row, w in zip(_rows([w.finding for w in waived], multi, lang), waived)]
        parts.append(tabulate(rows, headers=("rule", "node", "measure", "message", "reason (waiver)"),
                              tablefmt=tablefmt, disable_numparse=True,
                              maxcolwidths=[None, 28, None, 48, 40] if tablefmt != "github" else None))
    parts.extend(r.summary(lang) for r in reports)
    return "\n\n".join(parts) + "\n"


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def json_text(reports: Sequence, include_passed: bool = False, lang: str = "en") -> str:
    """``{"findings": [...], "waived": [...], "cases": [...]}``, every figure a string."""
    findings = [_plain(record) for r in reports for record in r.to_records(include_passed, lang)]
    document = {
        "findings": findings,
        "waived": [_plain(w.to_record(lang)) for r in reports for w in r.waived],
        "cases": [{"case": r.case, "rules": list(r.rules), **r.counts(), "within_precision": r.within_precision} for r in reports],
    }
    import json  # imported here: a run that prints a table never pays for it (bench/startup.py)

    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
