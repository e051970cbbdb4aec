"""The decimal contexts of fiscalcheck: the only ones its arithmetic uses.

Every decimal operation in the library names one of these, never the caller's
ambient context: a notebook that sets its ambient precision to 6 or traps
``Inexact`` must not change a single verdict or digit (tests/test_contexts.py
runs the real cases under random caller contexts and compares the output byte
for byte). Operators on Decimals (``a + b``, ``-a``, ``a / b``) read the ambient
context, so library code calls the context's methods instead (``EXACT.add(a, b)``).

The digit budget is :data:`MAX_DIGITS`: a printed figure has at most that many
significant digits (the loader refuses longer ones), so sums and differences of
figures are exact in :data:`EXACT` and products of two figures exact in
:data:`PRODUCT_DOWN`/:data:`PRODUCT_UP`.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Inexact

__all__ = [
    "MAX_DIGITS", "EXACT", "DOWN", "UP", "PRODUCT_DOWN", "PRODUCT_UP", "NOMINAL", "SHOWN", "SPREADSHEET",
]

#: The most significant digits a figure may have (a longer one is a load error).
MAX_DIGITS = 80
_WIDE = 4 * MAX_DIGITS  # room for sums and differences of figures of very different magnitudes

#: Sums, differences, negation and exact scaling: any rounding is an error, never a quiet one.
#: ``Emax``/``Emin`` are wide so that a figure's exponent never meets a limit of the caller's.
EXACT = Context(prec=_WIDE, rounding=ROUND_HALF_EVEN, traps=[Inexact], Emax=999999, Emin=-999999)
#: Quotient bounds, rounded outward: a computed interval always contains the true quotient.
DOWN = Context(prec=40, rounding=ROUND_FLOOR, traps=[], Emax=999999, Emin=-999999)
UP = Context(prec=40, rounding=ROUND_CEILING, traps=[], Emax=999999, Emin=-999999)
#: Products: exact whenever two figures of MAX_DIGITS digits meet, rounded outward beyond.
PRODUCT_DOWN = Context(prec=2 * _WIDE, rounding=ROUND_FLOOR, traps=[], Emax=999999, Emin=-999999)
PRODUCT_UP = Context(prec=2 * _WIDE, rounding=ROUND_CEILING, traps=[], Emax=999999, Emin=-999999)
#: Nominal quotients (a rate computed from printed values, for messages): 40 digits, to nearest.
NOMINAL = Context(prec=40, rounding=ROUND_HALF_EVEN, traps=[], Emax=999999, Emin=-999999)
#: Showing a computed quotient in a message: 12 significant digits say enough.
SHOWN = Context(prec=12, rounding=ROUND_HALF_EVEN, traps=[], Emax=999999, Emin=-999999)
#: A spreadsheet's stored number rounded to the places its number format prints, as Excel
#: rounds for display: half away from zero (the stored binary value is exact in this context).
SPREADSHEET = Context(prec=_WIDE, rounding=ROUND_HALF_UP, traps=[], Emax=999999, Emin=-999999)
