"""Exact decimals at the API boundary, and the one way a decimal is shown in a message.

:func:`to_decimal` is where a value enters fiscalcheck: a float is refused
outright, because ``Decimal(0.1)`` is already wrong in its 18th digit and a
budget audit must never start from a wrong digit; the empty string is refused
too, rather than read as 0 (beancount's ``D()`` slipped on both).

:func:`show` is where a decimal leaves for a sentence: every message, table cell
and HTML view writes a recomputed value with it, to the last digit the
computation gives (604.1237, never 604.12), in plain digits without an exponent.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from .contexts import EXACT, MAX_DIGITS, NOMINAL, SHOWN

__all__ = ["FigureError", "to_decimal", "show", "negate", "check_digits"]

_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]{1,6})?")


class FigureError(ValueError):
    """A printed figure, or a value handed to the API, that cannot be read exactly."""


def check_digits(number: Decimal, shown: object) -> Decimal:
    """``number``, or :class:`FigureError` when it has more than :data:`MAX_DIGITS` significant digits."""
    digits = len(number.as_tuple().digits)
    if digits > MAX_DIGITS:
        raise FigureError(f"a figure of {digits} significant digits ({str(shown)[:12]}…): "
                          f"more than the {MAX_DIGITS} any printed figure has")
    return number


def to_decimal(value: object) -> Decimal:
    """``value`` as an exact Decimal: from a Decimal, an int, or the text of a number.

    A float is refused: it has already lost the printed digits (``0.1`` is
    0.1000000000000000055511151231257827...). The empty string is refused too,
    rather than read as 0, and so are NaN, infinities and numbers of more than
    :data:`~fiscalcheck.numbers.contexts.MAX_DIGITS` significant digits.
    """
    if isinstance(value, bool):
        raise FigureError(f"expected a number, got the boolean {value!r}")
    if isinstance(value, float):
        raise FigureError(
            f"refusing the float {value!r}: binary floats cannot hold printed decimals exactly; "
            f"pass the text '{value!r}' or a decimal.Decimal instead"
        )
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        if value.bit_length() > 4 * MAX_DIGITS:  # before str(): Python refuses huge int-to-text conversions
            raise FigureError(f"an integer of more than {MAX_DIGITS} digits: no printed figure is that precise")
        number = Decimal(value)
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().replace(",", "")
        if len(text) > 4 * MAX_DIGITS or not _NUMBER.fullmatch(text):
            raise FigureError(f"expected a number, got {value[:40]!r}")
        try:
            number = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the regex admits only valid text
            raise FigureError(f"expected a number, got {value!r}") from None
    else:
        raise FigureError(f"expected a number as text, int or Decimal, got {type(value).__name__}")
    if not number.is_finite():
        raise FigureError(f"expected a finite number, got {value!r}")
    return check_digits(number, value)


def negate(value: Decimal) -> Decimal:
    """``-value`` with every digit kept (the ``-`` operator rounds to the caller's precision)."""
    return EXACT.minus(value)


def show(value: Decimal | None, symbol: str = "", place: Decimal | None = None) -> str:
    """A decimal for a sentence: plain digits, no exponent, ``symbol`` after it.

    An exact value (a figure, a sum or difference of figures) is shown with every
    digit it has (``604.1237``, never ``604.12``). ``place`` is for a computed
    quotient only: it is rounded to that place (two digits finer than the
    printing it is compared with); a quotient shown without one keeps 12
    significant digits. ``None`` (an unbounded side) is ``∞``.
    """
    if value is None:
        return "∞"
    if place is not None and value.as_tuple().exponent < place.as_tuple().exponent:
        value = NOMINAL.quantize(value, place)
    elif -value.as_tuple().exponent > 12:  # a quotient: no sum of printed figures has 13 decimals
        value = SHOWN.plus(value)
    if value == 0:
        return f"0{symbol}"
    if value.as_tuple().exponent < 0:
        value = EXACT.normalize(value)
    return f"{value:f}{symbol}"
