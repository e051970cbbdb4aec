"""Ranking the causes of every failing relation of a case, over all the relations at once.

Why over all at once: one wrong figure usually breaks several relations (a
child's executed amount enters its parent's sum, its own within-budget and its
rate), and an edit that makes *all* of them hold, while breaking none that
hold now, is far better evidence than one that mends a single relation. So
every proposed edit (:mod:`.edits`, :mod:`.items`) is judged against every
relation its figure enters (:func:`.equations.holds`), and the causes of each
finding are ranked by

1. how many failing relations the edit makes hold, less twice the holding
   relations it would break;
2. how sharp a coincidence its kind of mistake is (:attr:`.edits.Edit.prior`);
3. how close the corrected figure comes to the value the relation asks for.

Nothing here changes the case: an edit is judged through a
:class:`.equations.Reader` that reads one printing in place of another.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

import attrs

from ..figures import UNITS
from ..findings import Finding
from ..model import Case, Statement
from ..numbers import EXACT, Interval
from ..record import Record
from .cause import Cause
from .edits import NEAREST as _ROUND
from .edits import Edit, edits, replaced, shown
from .equations import Equation, Reader, Term, equation_of, expected, holds, needed
from .items import ItemEdit, item_edits, loose_item_edits
from .messages import cause_sentence

__all__ = ["diagnose", "diagnose_checks", "suspects", "LIMIT"]

#: Causes kept per finding, most likely first.
LIMIT = 5
_RATIO = UNITS["%"]


@attrs.frozen(repr=False, eq=False)
class _Judged(Record):
    """An edit with what it does to the relations its figure enters."""

    edit: Edit | ItemEdit
    term: Term | None
    fixes: frozenset[int]
    breaks: frozenset[int]
    distance: Decimal


def diagnose(finding: Finding, case: Case, others: Sequence[Finding] = ()) -> tuple[Cause, ...]:
    """The causes ``finding`` is consistent with, most likely first; ``others`` are the case's other
    judged relations (holding and failing), which decide whether a suspect figure is shared."""
    same = (finding.rule, finding.node, finding.measure, finding.relation)
    checks = [finding, *(f for f in others if (f.rule, f.node, f.measure, f.relation) != same)]
    return diagnose_checks(case, checks)[0].causes


def suspects(case: Case, failing: Iterable[Finding]) -> set[int]:
    """The ids of every printing a cause of the ``failing`` relations may change: their own
    statements, and every printing of each measure of each node their relations read.

    Not only a finding's statements: a rate that cannot be computed (0元 / 0元) rests on its own
    printing alone, yet its causes change the figures it divides; a rate's causes read the node's
    other base too. A relation that holds takes part in the ranking of the causes only if it rests
    on one of these printings, so a check that counts the relations that hold need keep only those.
    """
    found: set[int] = set()
    reader = Reader(case)
    nodes: set[str] = set()
    for finding in failing:
        found.update(id(s) for s in finding.statements)
        equation = equation_of(finding, case)
        if equation is None:
            continue
        for term in equation.all_terms:
            if term.transfer is not None:  # a transfer's amount: printed apart from any node
                found.update(id(s) for s in reader.statements(term))
            else:
                nodes.add(term.node)
    for node_id in nodes:
        node = case.nodes.get(node_id)
        if node is not None:
            found.update(id(s) for statements in node.measures.values() for s in statements)
    return found


def diagnose_checks(case: Case, checks: Sequence[Finding], limit: int | None = LIMIT) -> tuple[Finding, ...]:
    """``checks`` with :attr:`Finding.causes` filled in for each one that fails (at most ``limit`` each;
    ``None`` for every cause found)."""
    failing = [i for i, f in enumerate(checks) if not f.holds]
    if not failing:
        return tuple(checks)
    reader = Reader(case)
    equations = [equation_of(f, case) for f in checks]
    uses: dict[Term, list[int]] = {}
    for i, equation in enumerate(equations):
        if equation is not None:
            for term in set(equation.all_terms):
                uses.setdefault(term, []).append(i)
    failing_set = frozenset(failing)
    pool: dict[tuple, tuple[Edit, Term, Decimal]] = {}

    def offer(edit: Edit, term: Term, need: Interval) -> None:
        key = (id(edit.statement), edit.new.printed, edit.new.rounding, edit.kind)
        distance = _distance(edit.new, need)
        held = pool.get(key)
        if held is None or edit.prior > held[0].prior or (edit.prior == held[0].prior and distance < held[2]):
            pool[key] = (edit, term, distance)

    loose: dict[int, list[_Judged]] = {}
    for i in failing:
        equation = equations[i]
        if equation is None:
            loose[i] = _loose(checks[i], case, i)
            continue
        for term in dict.fromkeys(equation.all_terms):
            measure = "transfer" if term.transfer is not None else term.measure
            for statement in reader.statements(term):
                need = needed(equation, reader, term, statement)
                if need is None:
                    continue
                for edit in edits(statement, measure, case.policy, need):
                    offer(edit, term, need)
        for edit, term, need in _wrong_base(checks[i], equation, case, reader):
            offer(edit, term, need)
    judged: list[_Judged] = []
    for edit, term, distance in pool.values():
        trial = reader.replacing({id(edit.statement): edit.new})
        fixes, breaks = set(), set()
        for j in uses.get(term, ()):
            verdict = holds(equations[j], trial)
            if j in failing_set and verdict:
                fixes.add(j)
            elif j not in failing_set and verdict is False:
                breaks.add(j)
        if fixes:
            judged.append(_Judged(edit, term, frozenset(fixes), frozenset(breaks), distance))
    for item in item_edits(case, checks, equations, failing, reader):
        judged.append(_Judged(item, None, item.fixes, frozenset(), Decimal(0)))
    by_finding: dict[int, list[_Judged]] = {i: list(loose.get(i, ())) for i in failing}
    for entry in judged:
        for i in entry.fixes:
            by_finding[i].append(entry)
    out = list(checks)
    for i in failing:
        ranked = sorted(by_finding[i], key=_rank)
        causes: list[Cause] = []
        seen: set[tuple] = set()
        for entry in ranked:
            cause = _cause(entry, checks, uses, failing_set, case)
            key = (cause.kind, cause.node, cause.measure, cause.corrected,
                   None if cause.statement is None else cause.statement.line)
            if key in seen:
                continue
            if cause.kind == "wrong-figure" and any(
                    c.statement is cause.statement and c.corrected == cause.corrected for c in causes):
                continue  # the same correction, already explained by a sharper kind
            seen.add(key)
            causes.append(cause)
            if limit is not None and len(causes) == limit:
                break
        out[i] = attrs.evolve(checks[i], causes=tuple(causes))
    return tuple(out)


def _rank(entry: _Judged) -> tuple:
    return (-(len(entry.fixes) - 2 * len(entry.breaks)), -entry.edit.prior, entry.distance)


def _distance(statement: Statement, need: Interval) -> Decimal:
    """How far the corrected figure's printed value lies from the middle of what is needed (0 inside a point)."""
    value = statement.figure.base_value
    if need.lo is not None and need.hi is not None:
        middle = EXACT.divide(EXACT.add(need.lo, need.hi), Decimal(2))
        return EXACT.abs(EXACT.subtract(value, middle))
    bound = need.lo if need.lo is not None else need.hi
    return Decimal(0) if bound is None else EXACT.abs(EXACT.subtract(value, bound))


def _wrong_base(finding: Finding, equation: Equation, case: Case, reader: Reader):
    """A rate computed on the other base (budget for adjusted, or the reverse); growth on this year.

    A rate printed twice whose printings disagree fails only ``statements-agree``
    (the rate relation holds on the other printing): it is read as the node's
    built-in rate, executed / (adjusted or budget), all the same.
    """
    if equation.kind == "agree" and equation.target.measure == "rate":
        node = case.nodes.get(equation.target.node)
        base = next((m for m in ("adjusted", "budget") if node is not None and m in node.measures), None)
        if base is None or "executed" not in node.measures:
            return
        equation = Equation("ratio", equation.target, "=", ((1, Term(node.id, "executed")), (1, Term(node.id, base))),
                            rule="rate")
        finding = attrs.evolve(finding, rule="rate")
    if equation.kind != "ratio":
        return
    (_, a), (_, b) = equation.terms
    if finding.rule == "rate" and equation.offset == 0 and b.measure in ("budget", "adjusted"):
        other = Term(b.node, "adjusted" if b.measure == "budget" else "budget")
        right, wrong = reader.value(b), reader.value(other)
        top = reader.value(a)
        if right is None or wrong is None or top is None:
            return
        wrong_rate, right_rate = top[0].divide(wrong[0]), top[0].divide(right[0])
        names = (other.measure, b.measure)
    elif finding.rule == "growth" and equation.offset != 0:
        this, last = reader.value(a), reader.value(b)
        if this is None or last is None:
            return
        on_this = (this[0] - last[0]).quotient(this[0])
        wrong_rate, right_rate = on_this, expected(equation, reader)
        names = ("this-year", "last-year")
    else:
        return
    if wrong_rate is None or right_rate is None:
        return
    for statement in reader.statements(equation.target):
        own = reader.one(statement, equation.target.measure)
        if not own.intersects(wrong_rate):
            continue
        corrected = _rounded_like(statement, right_rate, case)
        if corrected is None:
            continue
        computation = f"{_percent(wrong_rate)} rounds to {statement.printed}"
        edit = Edit("wrong-base", statement, corrected, 9,
                    (("computation", computation), ("right", names[1]), ("wrong", names[0])))
        yield edit, equation.target, right_rate


def _percent(interval: Interval) -> str:
    """A computed ratio for a sentence: its middle in %, to 2 decimals (display only)."""
    if interval.lo is None or interval.hi is None:
        return str(interval)
    middle = EXACT.divide(EXACT.add(interval.lo, interval.hi), Decimal(2))
    return f"{_ROUND.quantize(EXACT.multiply(middle, Decimal(100)), Decimal('0.01')):f}%"


def _rounded_like(statement: Statement, value: Interval, case: Case) -> Statement | None:
    """The figure ``value`` (an interval, in base units) printed at ``statement``'s place, or None."""
    if value.lo is None or value.hi is None:
        return None
    figure = statement.figure
    middle = EXACT.divide(EXACT.add(value.lo, value.hi), Decimal(2))
    own = _ROUND.quantize(EXACT.divide(middle, figure.unit.scale), figure.place)
    return replaced(statement, own)


def _loose(finding: Finding, case: Case, index: int) -> list[_Judged]:
    """Causes of a relation whose equation is unknown (a custom invariant): from its figures alone."""
    out: list[_Judged] = []
    if not finding.statements or finding.expected_range is None or not finding.unit:
        return out
    unit = UNITS.get(finding.unit)
    if unit is None:
        return out
    need = finding.expected_range.scale(unit.scale)
    target = finding.statements[0]
    measure = _measure_of(case, target) or finding.measure
    for edit in edits(target, measure, case.policy, need):
        out.append(_Judged(edit, Term(finding.node.rsplit("/", 1)[-1], measure), frozenset({index}),
                           frozenset(), _distance(edit.new, need)))
    for item in loose_item_edits(finding, case, index):
        out.append(_Judged(item, None, item.fixes, frozenset(), Decimal(0)))
    return out


def _measure_of(case: Case, statement: Statement) -> str | None:
    for _, measure, s in case.statements():
        if s is statement:
            return measure
    return None


def _cause(entry: _Judged, checks: Sequence[Finding], uses: dict[Term, list[int]],
           failing: frozenset[int], case: Case) -> Cause:
    edit = entry.edit
    if isinstance(edit, ItemEdit):
        shared = max(len(edit.fixes), 1)
        params = dict(edit.params)
        cause = Cause(kind=edit.kind, node=edit.node, measure=edit.measure, evidence="",
                      statement=edit.item, corrected=None, value=edit.value, fixes=len(edit.fixes),
                      breaks=0, shared=shared, fixes_all=True, params=tuple(sorted(params.items())))
        return attrs.evolve(cause, evidence=cause_sentence(cause, "en"))
    statement = edit.statement
    term = entry.term
    shared = len([j for j in uses.get(term, ()) if j in failing]) if term is not None else 1
    shared = max(shared, len(entry.fixes))
    params = dict(edit.params)
    params.update(printed=statement.printed, line=str(statement.line), corrected=edit.new.printed)
    if edit.kind == "transposition":
        params["change"] = shown(EXACT.normalize(EXACT.abs(EXACT.subtract(edit.new.figure.value, statement.figure.value))))
    node = term.node if term is not None else ""
    measure = (term.measure if term.transfer is None else "transfer") if term is not None else ""
    cause = Cause(kind=edit.kind, node=node, measure=measure, evidence="", statement=statement,
                  corrected=edit.new.printed, value=edit.new.figure.value, fixes=len(entry.fixes),
                  breaks=len(entry.breaks), shared=shared, fixes_all=len(entry.fixes) >= shared,
                  params=tuple(sorted(params.items())))
    return attrs.evolve(cause, evidence=cause_sentence(cause, "en"))
