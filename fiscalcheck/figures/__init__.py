"""Printed figures: units, the one figure grammar, and the interval a printing stands for."""

from ..numbers import FigureError, to_decimal
from .grammar import PREFIX_PATTERN, PREFIXES, SUFFIX_PATTERN, SUFFIXES, Figure, parse_figure
from .tolerance import ROUNDINGS, Policy
from .units import UNIT_PATTERN, UNITS, Unit, unit_named

__all__ = [
    "Figure", "FigureError", "parse_figure", "to_decimal", "Unit", "UNITS", "UNIT_PATTERN", "unit_named",
    "PREFIXES", "SUFFIXES", "PREFIX_PATTERN", "SUFFIX_PATTERN", "Policy", "ROUNDINGS",
]
