"""Edits of one printed figure that an auditor's rules of thumb suspect, and that would fit.

Given one printing and the interval its measure would have to lie in for a
relation to hold (:func:`fiscalcheck.diagnosis.equations.needed`), each
generator proposes the figure the report may have meant, by one kind of
mistake: one digit wrong, two adjacent digits swapped, a unit or decimal slip
by a power of ten, a figure truncated instead of rounded (or the reverse), a
figure rounded twice, or — when none of these fits — the figure at its printed
precision that would. Each proposal is a new :class:`Statement` (the same place,
another text) with the fields its sentence needs; whether it really makes the
relations hold is judged afterwards, over every relation the figure enters.

All arithmetic is on Decimals with the figure's own exponent; the only rounding
is of a corrected figure to the place the report printed it at, by the case's
rounding mode, in a context of this module's own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal

import attrs

from ..figures import UNITS, Figure, FigureError, Policy, Unit, parse_figure
from ..figures.tolerance import interval as statement_interval
from ..figures.tolerance import is_exact, reach
from ..model import Statement
from ..numbers import EXACT, Interval
from ..record import Record

__all__ = ["Edit", "edits", "replaced", "shown"]

#: Rounding a corrected figure to its printed place, as reports round (half up) or cut.
NEAREST = Context(prec=120, rounding=ROUND_HALF_UP, traps=[], Emax=999999, Emin=-999999)
TRUNCATE = Context(prec=120, rounding=ROUND_FLOOR, traps=[], Emax=999999, Emin=-999999)
_NUMBER = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?")
_TWO = Decimal(2)


@attrs.frozen(repr=False, eq=False)
class Edit(Record):
    """A proposed correction of one printing: the kind of mistake, the new statement, its strength.

    ``prior`` orders kinds that fit equally well: a power-of-ten slip or a
    transposition that fits is a sharper coincidence than a one-digit typo,
    and "the figure would have to be X" is the weakest of all. Truncation and
    double rounding move a figure by one unit of its last place, which a typo
    in that digit does too: on one figure the two cannot be told apart, and
    the typo, far more common, ranks first (the rounding reading second).
    """

    kind: str
    statement: Statement
    new: Statement
    prior: int
    params: tuple[tuple[str, str], ...] = ()


def shown(value: Decimal) -> str:
    """Plain digits, never an exponent, keeping the printed exponent (8900, 7366.183, 0.50)."""
    return f"{value:f}"


def replaced(statement: Statement, value: Decimal, unit: Unit | None = None,
             rounding: str | None = None) -> Statement:
    """``statement`` printed as ``value`` (in ``unit``, or its own): the same place, another text."""
    figure = statement.figure
    unit = unit or figure.unit
    text = unicodedata.normalize("NFKC", statement.printed)
    digits = shown(EXACT.abs(value))
    found = _NUMBER.search(text)
    if found is None:
        printed = f"{digits}{unit.symbol}"
    else:
        printed = text[:found.start()] + digits + text[found.end():]
        if unit is not figure.unit:
            at = printed.find(figure.unit.symbol, found.start() + len(digits))
            if at >= 0:
                printed = printed[:at] + unit.symbol + printed[at + len(figure.unit.symbol):]
            else:
                printed = printed + unit.symbol
        if value < 0 <= figure.value:
            printed = printed[:found.start()] + "-" + printed[found.start():]
        elif figure.value < 0 <= value:
            printed = printed.replace("-", "", 1)
    try:  # the figure the corrected text prints, so a correction is judged at the precision it shows
        new_figure = parse_figure(printed, unit)
    except FigureError:
        new_figure = Figure(value, unit, figure.qualifier)
    return attrs.evolve(statement, printed=printed, figure=new_figure,
                        rounding=statement.rounding if rounding is None else rounding)


def _stem(symbol: str) -> str:
    """A unit without its power-of-ten prefix: 万元 → 元, 万个 → 个."""
    return symbol[1:] if len(symbol) > 1 and symbol[0] in "千万亿" else symbol


def _fits(statement: Statement, measure: str, policy: Policy, need: Interval) -> bool:
    return statement_interval(statement, measure, policy).intersects(need)


def _may_fit(value: Decimal, unit: Unit, qualifier: str | None, policy: Policy, need: Interval) -> bool:
    """Whether a printing of ``value`` in ``unit`` can meet ``need`` at all. Its interval lies within
    :func:`~fiscalcheck.figures.tolerance.reach` of its value, so a candidate farther than that from
    ``need`` cannot fit, and is passed over before its text is written and read (most are)."""
    candidate = Figure(value, unit, qualifier)
    base, far = candidate.base_value, reach(candidate, policy)
    return ((need.lo is None or EXACT.add(base, far) >= need.lo)
            and (need.hi is None or EXACT.subtract(base, far) <= need.hi))


def _digits(value: Decimal) -> tuple[str, int]:
    """The digits of ``|value|`` as printed, leading zeros of a fraction included, and its exponent:
    (``"7366183"``, −3) for 7366.183, (``"00010"``, −4) for 0.0010."""
    exponent = int(value.as_tuple().exponent)
    return shown(EXACT.abs(value)).replace(".", ""), min(exponent, 0)


def _from_digits(digits: str, exponent: int, negative: bool) -> Decimal:
    value = EXACT.scaleb(Decimal(digits), exponent)
    return EXACT.minus(value) if negative else value


def _leading_zero(digits: str, exponent: int) -> bool:
    """A digit string that a report would not print: a leading zero before the decimal point."""
    return len(digits) > 1 and digits[0] == "0" and len(digits) + exponent > 1


def edits(statement: Statement, measure: str, policy: Policy, need: Interval) -> Iterator[Edit]:
    """Every correction of ``statement`` by one known kind of mistake whose interval meets ``need``.

    ``need`` is in the base unit of the figure's dimension. One-sided figures
    (超过, 不超过) have no digit to get wrong in this sense and give nothing.
    """
    figure = statement.figure
    if figure.qualifier in ("over", "at-most"):
        return
    value = figure.value
    digits, exponent = _digits(value)
    negative = value < 0
    seen: set[str] = set()
    # a need bounded on one side only (spending at most its budget, or a part 超过…) is met by any
    # large enough change: a power-of-ten slip that meets it is then no coincidence at all
    one_sided = need.lo is None or need.hi is None
    slip = (2, 2) if one_sided else (9, 8)
    # a need that holds 0 (an item counted twice, whose figure would do as nothing) is met by any
    # slip that makes the figure negligible: no coincidence either
    negligible = need.lo is not None and need.lo <= 0 and (need.hi is None or need.hi >= 0)

    def propose(kind: str, new: Statement, prior: int, **params: str) -> Iterator[Edit]:
        key = f"{kind}|{new.printed}|{new.rounding}"
        if key in seen or new.printed == statement.printed and new.rounding == statement.rounding:
            return
        if _fits(new, measure, policy, need):
            seen.add(key)
            yield Edit(kind, statement, new, prior, tuple(sorted(params.items())))

    # a unit printed wrong (元 for 万元), or the decimal point moved: a power of ten
    for unit in UNITS.values():
        if unit.dimension != figure.unit.dimension or unit is figure.unit:
            continue
        if _stem(unit.symbol) != _stem(figure.unit.symbol):
            continue  # 个 → 万个 and 万元 → 亿元 are slips; 个 → 万家 is another word
        ratio = EXACT.divide(unit.scale, figure.unit.scale)
        if EXACT.normalize(ratio).as_tuple().digits != (1,):
            continue
        power = EXACT.normalize(ratio).as_tuple().exponent
        if not _may_fit(value, unit, figure.qualifier, policy, need):
            continue
        prior = 2 if negligible and power < 0 else slip[0]
        yield from propose("unit-slip", replaced(statement, value, unit), prior, power=str(power), unit=unit.symbol)
    for shift in (-8, -6, -4, -3, -2, -1, 1, 2, 3, 4, 6, 8):
        moved = EXACT.scaleb(value, shift)
        if moved.as_tuple().exponent > 0 or not _may_fit(moved, figure.unit, figure.qualifier, policy, need):
            continue
        prior = 2 if negligible and shift < 0 else slip[1]
        yield from propose("unit-slip", replaced(statement, moved), prior, power=str(shift), unit="")
    # two adjacent digits swapped
    for i in range(len(digits) - 1):
        if digits[i] == digits[i + 1]:
            continue
        swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:]
        if _leading_zero(swapped, exponent):
            continue
        candidate = _from_digits(swapped, exponent, negative)
        if _may_fit(candidate, figure.unit, figure.qualifier, policy, need):
            yield from propose("transposition", replaced(statement, candidate), 6 if one_sided else 8)
    # the rounding: truncated where the report rounds to nearest, or the reverse; rounded twice
    exact = is_exact(statement, measure, policy)
    mode = statement.rounding or policy.rounding
    if not exact and figure.qualifier in (None, "about"):
        other = "nearest" if mode == "truncate" else "truncate"
        flipped = attrs.evolve(statement, rounding=other)
        if _fits(flipped, measure, policy, need):
            step = figure.significant_place if figure.qualifier == "about" else figure.place
            for corrected in (EXACT.add(value, step), EXACT.subtract(value, step)):
                new = replaced(statement, EXACT.quantize(corrected, figure.place) if figure.qualifier is None else corrected)
                yield from propose("truncation", new, 5, mode=other, policy=mode)
        if figure.qualifier is None and mode == "nearest" and value > 0:
            place = figure.place
            half = EXACT.divide(place, _TWO)
            band = Interval(EXACT.subtract(value, EXACT.add(half, EXACT.divide(place, Decimal(20)))),
                            EXACT.subtract(value, half))
            if band.scale(figure.unit.scale).intersects(need) and EXACT.subtract(value, place) >= 0:
                intermediate = shown(EXACT.subtract(value, half))
                yield from propose("double-rounding", replaced(statement, EXACT.subtract(value, place)), 5,
                                   intermediate=intermediate)
    # one digit wrong. A changed digit keeps the printed place, so the candidate stands for an
    # interval as wide as the printing's own, moved by the change: a window one width wider on each
    # side holds it (whatever its sign, qualifier or floor). That window meets ``need`` exactly when
    # the move lies in [need.lo - span.hi - width, need.hi - span.lo + width], so a candidate whose
    # move does not is passed over before its text is written and read (most of the 9 per digit are).
    span = statement_interval(statement, measure, policy)
    width = EXACT.subtract(span.hi, span.lo)
    least = None if need.lo is None else EXACT.subtract(EXACT.subtract(need.lo, span.hi), width)
    most = None if need.hi is None else EXACT.add(EXACT.subtract(need.hi, span.lo), width)
    for i in range(len(digits)):
        step = EXACT.scaleb(figure.unit.scale, exponent + len(digits) - 1 - i)  # digit i's 1, in base units
        if negative:
            step = EXACT.minus(step)
        for digit in "0123456789":
            if digit == digits[i]:
                continue
            moved = EXACT.multiply(step, int(digit) - int(digits[i]))
            if least is not None and moved < least or most is not None and moved > most:
                continue
            changed = digits[:i] + digit + digits[i + 1:]
            if _leading_zero(changed, exponent):
                continue
            yield from propose("digit-typo", replaced(statement, _from_digits(changed, exponent, negative)), 6)
    # none of the above: the figure at its printed precision that would fit
    target = _point(need, statement)
    if target is None:
        return
    own = EXACT.divide(target, figure.unit.scale)
    step = figure.significant_place if figure.qualifier == "about" else figure.place
    context = TRUNCATE if mode == "truncate" and not exact else NEAREST
    base = context.quantize(own, step)
    for corrected in (base, EXACT.add(base, step), EXACT.subtract(base, step)):  # the nearest that fits, and only it
        if figure.qualifier is None:
            corrected = EXACT.quantize(corrected, figure.place)
        proposed = list(propose("wrong-figure", replaced(statement, corrected), 1))
        if proposed:
            yield from proposed
            return


def _point(need: Interval, statement: Statement) -> Decimal | None:
    """The value in ``need`` a corrected figure aims at: its middle, or its bound nearest the printing."""
    if need.lo is not None and need.hi is not None:
        return EXACT.divide(EXACT.add(need.lo, need.hi), _TWO)
    current = statement.figure.base_value
    if need.lo is not None:
        return max(need.lo, current)
    if need.hi is not None:
        return min(need.hi, current)
    return None
