"""The budget model: a case of nodes, each with measures printed as statements.

A *statement* is one printing of one figure, and knows where it was printed
(source and line, or a table cell) and where the case file wrote it down. A
*measure* of a node (its budget, its executed amount, its project count) is the
tuple of all its statements. Everything here is frozen: a check never changes a
figure of the report.
"""

from ..figures import ROUNDINGS, Policy
from .case import Case
from .lines import Lines
from .table import TABLE_FORMATS, Column, Level, Table, Totals
from .records import (
    COMPARISONS, ID_PATTERN, MEASURE_PATTERN, RELATION_KINDS, Cell, Node, Ref, Relation, Source, Statement, Transfer,
)

__all__ = [
    "Case", "Cell", "Lines", "Node", "Ref", "Relation", "Source", "Statement", "Transfer", "Policy",
    "COMPARISONS", "ID_PATTERN", "MEASURE_PATTERN", "RELATION_KINDS", "ROUNDINGS",
    "Table", "Column", "Level", "Totals", "TABLE_FORMATS",
]
