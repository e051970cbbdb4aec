"""A standalone HTML report: one self-contained file an auditor can open, send or archive.

Why one file with nothing outside it: the page goes by mail to a colleague or
into an audit archive, and must open the same in ten years on a machine with no
network. So the style is inline, the only script is a few inline lines (expand
and collapse all), the tree folds with ``<details>``, and no font, image or
script is fetched. The page is UTF-8 and says its language, so Chinese renders
as Chinese.

What it shows, in the order a reader asks: the summary; each finding with its
printed statements and — where the case's source text can be read — the quoted
source line with the figure marked; the likely causes
(:mod:`fiscalcheck.diagnosis`); and the case as a tree of nodes, every measure
with all its printings, budget against executed as a bar, nodes with findings
marked and the disputed figures highlighted. The notebook views
(:mod:`fiscalcheck.render.html`) use the same pieces.

Every text from a case goes through :func:`html.escape`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from html import escape

from ..diagnosis.messages import label
from ..numbers.contexts import NOMINAL

__all__ = ["render_page", "findings_html", "tree_html", "causes_html", "STYLE", "source_lines"]

STYLE = """<style>
.fc{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;
 color:#1d1d1f;max-width:72rem;margin:0 auto;padding:1rem;line-height:1.45}
.fc h1{font-size:1.4rem}.fc h2{font-size:1.15rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
.fc .summary{background:#f5f5f7;padding:.5rem .8rem;border-radius:6px}
.fc .finding{border-left:4px solid #b00020;padding:.3rem .8rem;margin:.8rem 0;background:#fff8f8}
.fc .finding.warning{border-color:#a15c00;background:#fffaf2}.fc .finding.info{border-color:#777;background:#fafafa}
.fc .sev{font-weight:bold;text-transform:uppercase;font-size:.8rem}.fc .error .sev{color:#b00020}
.fc .warning .sev{color:#a15c00}.fc .msg{margin:.3rem 0}
.fc .quote{font-size:.9rem;background:#fff;border:1px solid #eee;padding:.2rem .5rem;margin:.2rem 0}
.fc mark{background:#ffe08a;font-weight:bold}.fc .where{color:#666;font-size:.85rem}
.fc .causes li{margin:.15rem 0}.fc .num{font-family:ui-monospace,Menlo,Consolas,monospace;white-space:nowrap}
.fc details{margin-left:1.1rem}.fc details>summary{cursor:pointer;padding:.1rem 0}
.fc .flag{color:#b00020;font-weight:bold}.fc .disputed{background:#fde8e8;color:#b00020;font-weight:bold}
.fc .bar{display:inline-block;width:8rem;height:.6rem;background:#e6e6e6;border-radius:3px;vertical-align:middle;
 margin:0 .4rem;overflow:hidden}.fc .bar>span{display:block;height:100%;background:#3a7bd5}
.fc .bar.over>span{background:#b00020}.fc table.measures{border-collapse:collapse;margin:.2rem 0 .4rem 1.2rem}
.fc table.measures td{padding:1px 8px;vertical-align:top;font-size:.9rem}
.fc button{font:inherit;font-size:.85rem;margin-right:.4rem}
</style>"""

_SCRIPT = """<script>
function fcAll(open){document.querySelectorAll('details.node').forEach(function(d){d.open=open;});}
</script>"""

_EXCERPT = 70  # characters of a long source line shown on each side of the figure


def source_lines(case) -> dict[str, list[str] | None]:
    """Each source's text as lines, read once (``None`` when the file cannot be read)."""
    out: dict[str, list[str] | None] = {}
    for source_id, source in case.sources.items():
        try:
            with open(source.path, encoding="utf-8") as handle:
                out[source_id] = handle.read().splitlines()
        except (OSError, UnicodeDecodeError):
            out[source_id] = None
    return out


def _quote(statement, lines: dict[str, list[str] | None]) -> str:
    """The source line of ``statement`` with its figure marked, cut around it when long; '' when unreadable."""
    text = lines.get(statement.source)
    if not text or not 1 <= statement.line <= len(text):
        return ""
    line = text[statement.line - 1]
    printed = statement.printed
    at = line.find(printed)
    if at < 0:
        normal = unicodedata.normalize("NFKC", line)
        at = normal.find(unicodedata.normalize("NFKC", printed))
        if at >= 0 and len(normal) == len(line):
            printed = line[at:at + len(printed)]
    if at < 0:
        start, end, found = 0, min(len(line), 2 * _EXCERPT), ""
    else:
        start, end, found = max(0, at - _EXCERPT), min(len(line), at + len(printed) + _EXCERPT), printed
    before = line[start:at] if found else line[start:end]
    after = line[at + len(found):end] if found else ""
    lead = "…" if start > 0 else ""
    tail = "…" if end < len(line) else ""
    marked = f"<mark>{escape(found)}</mark>" if found else ""
    return f'<div class="quote">{lead}{escape(before)}{marked}{escape(after)}{tail}</div>'


def causes_html(finding, lang: str = "en") -> str:
    """The likely causes of a finding as an ordered list (most likely first)."""
    if finding.holds:
        return ""
    if not finding.causes:
        return f'<p class="causes-none"><b>{escape(label("causes", lang))}:</b> {escape(label("none", lang))}</p>'
    items = "".join(f"<li>{escape(c.sentence(lang))}</li>" for c in finding.causes)
    return f'<div class="causes"><b>{escape(label("causes", lang))}:</b><ol>{items}</ol></div>'


def _finding(finding, lines, lang: str, anchor: str) -> str:
    where = f" · {escape(str(finding.origin))}" if finding.origin is not None else ""
    statements = []
    for s in finding.statements:
        statements.append(f'<li><span class="num">{escape(s.printed)}</span> '
                          f'<span class="where">({escape(s.source)} line {s.line})</span>{_quote(s, lines)}</li>')
    return (f'<section class="finding {escape(finding.severity)}" id="{anchor}">'
            f'<span class="sev">{escape(finding.severity)}</span> <b>{escape(finding.rule)}</b> · '
            f'{escape(finding.node)} <span class="where">{escape(finding.label)}{where}</span>'
            f'<p class="msg">{escape(finding.message)}</p><ul class="statements">{"".join(statements)}</ul>'
            f"{causes_html(finding, lang)}</section>")


def findings_html(report, case=None, lang: str = "en", prefix: str = "f") -> str:
    """Every finding of ``report`` with its statements, quoted source lines (when ``case`` is given) and causes."""
    lines = source_lines(case) if case is not None else {}
    if not report.findings:
        return "<p>No findings.</p>"
    return "".join(_finding(f, lines, lang, f"{prefix}-{i}") for i, f in enumerate(report.findings))


def _ratio(part: Decimal, whole: Decimal) -> int | None:
    """``part / whole`` as a whole percentage for a bar's width (display only)."""
    if whole <= 0:
        return None
    return int(NOMINAL.to_integral_value(NOMINAL.multiply(NOMINAL.divide(part, whole), Decimal(100))))


def _bar(node) -> str:
    executed = node.measures.get("executed")
    base = node.measures.get("adjusted") or node.measures.get("budget")
    if not executed or not base:
        return ""
    pct = _ratio(executed[0].figure.base_value, base[0].figure.base_value)
    if pct is None:
        return ""
    over = " over" if pct > 100 else ""
    title = escape(f"{executed[0].printed} / {base[0].printed} ≈ {pct}%")
    return (f'<span class="bar{over}" title="{title}"><span style="width:{min(pct, 100)}%"></span></span>'
            f'<span class="num">{pct}%</span>')


def tree_html(case, report, lang: str = "en", buttons: bool = True) -> str:
    """The case as a collapsible tree: each node a ``<details>``, all its measures with every printing.

    Nodes with findings are marked ⚠ and open; the printings a finding rests on
    are highlighted; a node shared by two parents appears under each.
    """
    flagged: dict[str, list] = {}
    disputed: set[int] = set()
    for finding in report.findings:
        flagged.setdefault(finding.node.rsplit("/", 1)[-1], []).append(finding)
        disputed.update(id(s) for s in finding.statements)
    parents: dict[str, int] = {}
    for node in case.nodes.values():
        for child in node.children:
            parents[child] = parents.get(child, 0) + 1
    open_nodes = set()
    for node_id in flagged:  # open the path down to every flagged node
        seen = set()
        while node_id and node_id not in seen:
            seen.add(node_id)
            open_nodes.add(node_id)
            above = case.parents(node_id)
            node_id = above[0] if above else ""

    def visit(node_id: str, path: tuple[str, ...]) -> str:
        node = case.nodes.get(node_id)
        if node is None:
            return f"<div>{escape(node_id)} (unknown node)</div>"
        notes = flagged.get(node_id, [])
        marks = []
        if notes:
            title = escape("\n".join(f"{f.rule}: {f.message}" for f in notes))
            marks.append(f'<span class="flag" title="{title}">⚠ {len(notes)}</span>')
        if parents.get(node_id, 0) > 1:
            marks.append("<small>shared</small>")
        rows = []
        for measure, statements in node.measures.items():
            cells = " · ".join(
                f'<span class="num{" disputed" if id(s) in disputed else ""}">{escape(s.printed)}</span>'
                f' <small>@{s.line}</small>' for s in statements)
            rows.append(f"<tr><td>{escape(measure)}</td><td>{cells}</td></tr>")
        body = f'<table class="measures">{"".join(rows)}</table>' if rows else ""
        if node_id not in path:
            body += "".join(visit(c, (*path, node_id)) for c in node.children)
        else:
            marks.append("<small>cycle</small>")
        summary = (f"{escape(node.label or node.id)} <small>[{escape(node.id)}, {escape(node.kind)}]</small> "
                   f"{_bar(node)} {' '.join(marks)}")
        opened = " open" if node_id in open_nodes else ""
        return f'<details class="node" data-node="{escape(node_id)}"{opened}><summary>{summary}</summary>{body}</details>'

    roots = case.roots or tuple(case.nodes)[:1]
    controls = ('<p><button type="button" onclick="fcAll(true)">expand all</button>'
                '<button type="button" onclick="fcAll(false)">collapse all</button></p>') if buttons else ""
    return controls + "".join(visit(root, ()) for root in roots)


def _summary(report, lang: str) -> str:
    return f'<p class="summary">{escape(report.summary())}</p>'


def render_page(reports: Sequence, cases: Sequence = (), lang: str = "en") -> str:
    """The reports (with their cases, in the same order) as one standalone HTML document."""
    title = " · ".join(r.case for r in reports) or "fiscalcheck"
    html_lang = "zh-CN" if lang == "zh" else "en"
    parts = [f'<!DOCTYPE html>\n<html lang="{html_lang}"><head><meta charset="utf-8">'
             f'<meta name="viewport" content="width=device-width, initial-scale=1">'
             f"<title>fiscalcheck: {escape(title)}</title>{STYLE}</head><body><main class=\"fc\">"]
    by_id = {c.id: c for c in cases}
    for n, report in enumerate(reports):
        case = by_id.get(report.case)
        heading = escape(report.case + (f" — {case.title}" if case is not None and case.title else ""))
        parts.append(f"<h1>{heading}</h1>")
        parts.append(f"<h2>{escape(label('summary', lang))}</h2>{_summary(report, lang)}")
        parts.append(f"<h2>{escape(label('findings', lang))}</h2>{findings_html(report, case, lang, f'f{n}')}")
        if case is not None:
            parts.append(f"<h2>{escape(label('case', lang))}</h2>{tree_html(case, report, lang)}")
    parts.append(f"</main>{_SCRIPT}</body></html>\n")
    return "".join(parts)
