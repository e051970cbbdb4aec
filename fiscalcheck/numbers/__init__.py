"""Exact numbers: the library's own decimal contexts, exact conversion, intervals.

The lowest step of the data's path: nothing here knows of units, reports or cases.
"""

from .contexts import EXACT, MAX_DIGITS
from .exact import FigureError, check_digits, negate, show, to_decimal
from .interval import Interval

__all__ = ["EXACT", "MAX_DIGITS", "FigureError", "Interval", "check_digits", "negate", "show", "to_decimal"]
