"""How well `fiscalcheck extract` reads the shared report, against the hand-typed cases.

    python bench/extract_seed.py [REPORT] [--list]

The hand cases (cases/2020.yaml, cases/2021.yaml) are read with fiscalcheck.load, only to
measure: nothing of them reaches the extractor. Printed:

* figure recall: the printed figures the cases cite (a statement: line, value, unit) that the
  extractor finds on that line (goal 100%);
* phantoms: figures the extractor finds that neither a case cites nor the coverage count
  (fiscalcheck.coverage, which finds money, counts, ratios and physical quantities) knows,
  listed for a reader to judge (goal 0 that are not figures);
* relation precision: proposed relations that are true, i.e. hold when the draft is run or
  are declared by a hand case (goal >= 95%); recall: hand relations (roll-ups of children,
  table totals, declared sum/diff/growth/rate) that some proposal recovers, figure for figure
  (goal >= 70%), same-line and cross-line apart;
* which discrepancies of docs/findings-2020.md `fiscalcheck audit` finds, and its false alarms;
* the extraction time of the whole report: the median of a few runs, and its ratio to the
  coverage count's finder over the same text (the anchor, measured in the same run), and the
  ratio of the time over the text doubled to the time over it once (linear: about 2).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import fiscalcheck  # noqa: E402
from fiscalcheck.figures.intext import DIMENSIONS, PHYSICAL, report_figures  # noqa: E402
from fiscalcheck.api import Case
from fiscalcheck.extract import extract  # noqa: E402
from fiscalcheck.extract.draft import draft_case, proposed_relations, written  # noqa: E402

REPORT = ROOT.parent / "shared" / "reports" / "chaoyang-2020-budget-report.txt"
if not REPORT.exists():
    REPORT = Path("/work/shared/reports/chaoyang-2020-budget-report.txt")

#: docs/findings-2020.md: each discrepancy by the report lines its finding must name.
MEMO = {
    "1 culture-zone 9970 vs 8889万元": {371, 375},
    "2 SME 约7885万元 vs its parts": {76, 474},  # the summary (76) and annex 7: not the 590 finding of 80 + 474
    "3 SME other charges 约590 vs 604.1237万元": {80, 474},
    "4 listing refund 36628.24元": {519},
    "5 758 projects vs 763": {62},
    "6 culture-zone growth 30.9% vs 38.4%": {374},
}


def key(line: int, figure: fiscalcheck.Figure) -> tuple:
    """A printed figure by its line and value (the qualifier is how a case chose to read it:
    the cases write the cap 不超过50万元 as an exact 50万元)."""
    return (line, figure.unit.dimension, figure.base_value)


def found_keys(found) -> set[tuple]:
    keys = {key(f.line, f.figure) for f in found}
    keys |= {(f.line, f.unit.dimension, f.low * f.unit.scale) for f in found if f.low is not None}
    return keys


def hand_statements(cases, report_path: Path) -> set[tuple]:
    wanted = report_path.resolve()
    out = set()
    for case in cases:
        for _, _, statement in case.statements():
            source = case.sources.get(statement.source)
            if source is not None and Path(source.path).resolve() == wanted:
                out.add(key(statement.line, statement.figure))
    return out


def hand_relations(cases, report_path: Path) -> list[tuple[str, set, list[set]]]:
    """(kind, target statement keys, [operand statement keys]) of every hand relation of the report."""
    wanted = report_path.resolve()
    found = []
    seen = set()

    def keys(case, node, measure):
        out = set()
        for s in node.measures.get(measure, ()):
            source = case.sources.get(s.source)
            if source is not None and Path(source.path).resolve() == wanted:
                out.add(key(s.line, s.figure))
        return out

    for case in cases:
        for node in case.nodes.values():
            children = [case.nodes[c] for c in node.counted_children]
            if not children:
                continue
            measures = node.sums if node.sums is not None else tuple(
                m for m, st in node.measures.items()
                if st[0].figure.unit.additive and all(m in c.measures for c in children))
            for m in measures:
                if m not in node.measures or not all(m in c.measures for c in children):
                    continue
                entry = ("sum", frozenset(keys(case, node, m)), tuple(frozenset(keys(case, c, m)) for c in children))
                if entry[1] and all(entry[2]) and entry not in seen:
                    seen.add(entry)
                    found.append(entry)
        for relation in case.relations:
            kind = relation.kind
            if kind not in ("sum", "diff", "growth", "rate", "share"):
                continue
            target = keys(case, case.nodes[relation.target.node], relation.target.measure)
            operands = tuple(frozenset(keys(case, case.nodes[o.node], o.measure)) for o in relation.operands)
            entry = ("rate" if kind == "share" else kind, frozenset(target), operands)
            if target and all(operands) and entry not in seen:
                seen.add(entry)
                found.append(entry)
    return found


def same_line(relation) -> bool:
    _, target, operands = relation
    lines = {k[0] for k in target}
    for operand in operands:
        lines &= {k[0] for k in operand}
    return bool(lines)


def matches(proposal, relation) -> bool:
    """Whether ``proposal`` states the hand relation, figure for figure. A remainder R = A − B and
    a sum A = B + R are the same relation of the same three figures, whichever way a case wrote it."""
    kind, target, operands = relation
    if proposal.kind == "diff" and kind == "sum" and len(proposal.parts) == 2 and len(operands) == 2:
        a, b = proposal.parts
        if key(a.line, a.figure) in target:
            r = proposal.total
            keys = [key(b.line, b.figure), key(r.line, r.figure)]
            return (keys[0] in operands[0] and keys[1] in operands[1]) or (keys[0] in operands[1] and keys[1] in operands[0])
    pkind = "sum" if proposal.kind == "partial" else proposal.kind
    if pkind != kind or len(proposal.parts) != len(operands):
        return False
    if key(proposal.total.line, signed(proposal.total)) not in target:
        return False
    parts = [key(p.line, signed(p)) for p in proposal.parts]
    if kind != "sum":
        return all(p in o for p, o in zip(parts, operands))
    free = list(operands)
    for part in parts:
        for index, operand in enumerate(free):
            if part in operand:
                del free[index]
                break
        else:
            return False
    return True


def signed(found) -> fiscalcheck.Figure:
    return found.figure


def timed(function, *args, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", nargs="?", default=str(REPORT))
    parser.add_argument("--list", action="store_true", help="list the misses, phantoms and unmatched relations")
    parser.add_argument("--missed", action="store_true",
                        help="list each hand relation no proposal recovers, figure for figure, with the proposals "
                             "that share its total")
    args = parser.parse_args()
    report_path = Path(args.report)
    lines = report_path.read_text(encoding="utf-8").splitlines()
    cases = [fiscalcheck.load(ROOT / "cases" / name) for name in ("2020.yaml", "2021.yaml")]

    extraction = extract(lines, str(report_path))
    found = extraction.found
    cited = hand_statements(cases, report_path)
    missed = sorted(cited - found_keys(found))
    print(f"report: {report_path} ({len(lines)} lines)")
    print(f"figures found: {len(found)}; not figures: {len(extraction.scan.not_figures)}; "
          f"seen, not read: {len(extraction.scan.unread)}")
    print(f"figure recall: {len(cited) - len(missed)}/{len(cited)} printed figures the cases cite "
          f"({100 * (len(cited) - len(missed)) / max(len(cited), 1):.1f}%)")
    known = {(f.line, f.anchors[-1]) for f in report_figures(lines, (*DIMENSIONS, *PHYSICAL))}

    def anchor(f):
        digits = [i for i, c in enumerate(f.printed) if c.isdigit() or "０" <= c <= "９"]
        return (f.line, f.column + digits[0]) if digits else None

    def coverage_knows(f):
        digits = [i for i, c in enumerate(f.printed) if c.isdigit() or "０" <= c <= "９"]
        return any((f.line, f.column + i) in known for i in digits)

    mine = {(f.line, f.column + i) for f in found for i, c in enumerate(f.printed) if c.isdigit() or "０" <= c <= "９"}
    unseen = [f for f in report_figures(lines, (*DIMENSIONS, *PHYSICAL)) if not set((f.line, a) for a in f.anchors) & mine]
    print(f"figures of the coverage count (fiscalcheck.figures.intext) the extractor misses: {len(unseen)}")
    phantoms = [f for f in found if key(f.line, f.figure) not in cited and not coverage_knows(f)]
    numerals = [f for f in phantoms if f.numeral]
    print(f"phantom candidates: {len(phantoms)} (found, cited by no case and not in the coverage count): "
          f"{len(numerals)} counts in Chinese numerals (not counted by coverage), {len(phantoms) - len(numerals)} other")
    if args.list:
        for line, dimension, value in missed:
            print(f"  missed {line}: {value} {dimension}  | {lines[line - 1][:60]}")
        for f in phantoms:
            text = lines[f.line - 1]
            print(f"  phantom? {f.line}:{f.column + 1} {f.printed}  | {text[max(0, f.column - 12):f.end + 6]}")

    # relations
    case = Case.of(draft_case(extraction, str(report_path.parent / "<bench draft>.yaml")))
    report = case.check()
    proposed = proposed_relations(case)
    verdict = {f.origin: f.holds for f in report.checks if f.origin in proposed}
    in_draft = written(extraction)
    # the run's verdict on each written proposal (the draft writes them in order, one relation each)
    run_holds = {id(p): verdict.get(r.origin, p.holds) for p, r in zip(in_draft, case.relations)}
    hand = hand_relations(cases, report_path)
    true = 0
    unsure = []
    for proposal in extraction.proposals:
        declared = any(matches(proposal, h) for h in hand)
        holds = run_holds.get(id(proposal), proposal.holds)
        if declared or holds:
            true += 1
        else:
            unsure.append(proposal)
    recovered = [h for h in hand if any(matches(p, h) for p in extraction.proposals)]
    same = [h for h in hand if same_line(h)]
    cross = [h for h in hand if not same_line(h)]
    same_hit = [h for h in recovered if same_line(h)]
    cross_hit = [h for h in recovered if not same_line(h)]
    print(f"relations proposed: {len(extraction.proposals)} ({len(in_draft)} written to the draft; "
          f"the run checks {len(verdict)}: {sum(verdict.values())} hold)")
    print(f"relation precision: {true}/{len(extraction.proposals)} hold or are declared by hand "
          f"({100 * true / max(len(extraction.proposals), 1):.1f}%)")
    print(f"relation recall: {len(recovered)}/{len(hand)} hand relations recovered "
          f"({100 * len(recovered) / max(len(hand), 1):.1f}%): same-line {len(same_hit)}/{len(same)}, "
          f"cross-line {len(cross_hit)}/{len(cross)}")
    by_kind: dict[str, list[int]] = {}
    for h in hand:
        by_kind.setdefault(h[0], [0, 0])[1] += 1
    for h in recovered:
        by_kind[h[0]][0] += 1
    print("  by kind: " + ", ".join(f"{k} {a}/{b}" for k, (a, b) in sorted(by_kind.items())))
    if args.list:
        for p in unsure:
            print(f"  not true? {p.kind} {p.total.line}:{p.total.printed} = {[x.printed for x in p.parts]} {p.because()}")
        for h in hand:
            if h not in recovered:
                lines_of = sorted({k[0] for k in h[1]} | {k[0] for o in h[2] for k in o})
                print(f"  not recovered: {h[0]} {'same-line' if same_line(h) else 'cross-line'} lines {lines_of[:8]}"
                      f" total {sorted(str(k[2]) for k in h[1])[:2]}")

    if args.missed:
        def show_keys(keys):
            return ", ".join(f"{k[0]}:{k[2]}" for k in sorted(keys, key=str))
        for h in hand:
            if h in recovered:
                continue
            print(f"  missed {h[0]} ({'same-line' if same_line(h) else 'cross-line'}): [{show_keys(h[1])}] <- "
                  + " + ".join(f"[{show_keys(o)}]" for o in h[2]))
            for p in extraction.proposals:
                if key(p.total.line, p.total.figure) in h[1]:
                    print(f"      proposed {p.kind} {p.total.line}:{p.total.printed} = "
                          f"{[f'{x.line}:{x.printed}' for x in p.parts]} ({p.method})")

    # discrepancies
    found_memo = []
    false_alarms = []
    for finding in report.findings:
        finding_lines = {s.line for s in finding.statements}
        hits = [name for name, wanted in MEMO.items() if wanted <= finding_lines]
        if hits:
            found_memo.extend(hits)
        else:
            false_alarms.append(finding)
    print(f"discrepancies of docs/findings-2020.md found by audit: {len(set(found_memo))}/{len(MEMO)}")
    for name in MEMO:
        print(f"  {'found ' if name in found_memo else 'missed'} {name}")
    print(f"false alarms: {len(false_alarms)}")
    for finding in false_alarms:
        print(f"  {finding.rule} {finding.label}: {finding.message[:120]}")

    # time
    text_once = list(lines)
    text_twice = list(lines) * 2
    extract_time = timed(extract, text_once)
    anchor_time = timed(report_figures, text_once)
    twice_time = timed(extract, text_twice, repeat=3)
    print(f"extraction time: {extract_time * 1000:.0f} ms for the whole report (goal <= 500 ms); "
          f"{extract_time / anchor_time:.1f}x the coverage finder ({anchor_time * 1000:.0f} ms) on the same text; "
          f"text doubled: {twice_time / extract_time:.2f}x (linear: 2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
