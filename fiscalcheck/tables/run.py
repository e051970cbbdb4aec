"""Which engine checks a case's tables: the one small decision, made before the rules run.

A table up to :data:`THRESHOLD` rows becomes nodes and statements and runs on
the tree engine, like any report (nothing to install). A larger one, or any
table under ``--engine duckdb``, runs on the columnar engine
(:mod:`fiscalcheck.tables.engine`), which needs the optional extra; without it,
a clear message names it. ``--engine tree`` forces the tree engine at any size.
"""

from __future__ import annotations

import attrs

from ..errors import CaseError, Location, Problem
from ..model import Case
from ..model.table import Table
from .read import excel_error, missing_extra
from .tree import expand

__all__ = ["THRESHOLD", "ENGINES", "plan", "rows_estimate", "columnar_available"]

#: Rows above which a table runs on the columnar engine (the tree engine takes about
#: 80 µs and 7 kB per printed cell: 20 000 rows of 12 cells is ~20 s and ~1.5 GB).
THRESHOLD = 20_000
ENGINES = ("auto", "tree", "duckdb")


def columnar_available() -> bool:
    try:
        import duckdb  # noqa: F401
    except ImportError:
        return False
    return True


def rows_estimate(table: Table) -> int:
    """Rows of a table file, cheaply: a Parquet file's metadata, a text file's line breaks."""
    if table.format == "parquet":
        if not columnar_available():
            return THRESHOLD + 1  # a Parquet table without the extra cannot be read by either engine
        import duckdb

        from .sql import parquet_rows_sql  # the SQL module, only when a Parquet table is read

        return duckdb.connect().execute(parquet_rows_sql(table.file)).fetchone()[0] or 0
    if table.format == "xlsx":
        from .excel import sheet_size

        try:
            return max(sheet_size(table.file, table.sheet) - table.header, 0)
        except (ImportError, LookupError, ValueError) as error:
            raise excel_error(table, error) from None
    lines = 0
    with open(table.file, "rb") as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
    return max(lines - 1, 0)


def plan(case: Case, engine: str = "auto") -> tuple[Case, Case | None]:
    """``(tree, columnar)``: the case the tree engine checks, with the small tables as nodes
    (and without the large ones), and the case whose ``tables`` the columnar engine checks
    (``None`` when there are none). A node a large table sums into (``under``) is checked
    against the table by the columnar engine, so the tree engine does not sum it.
    """
    if engine not in ENGINES:
        raise ValueError(f"expected an engine ({', '.join(ENGINES)}), got {engine!r}")
    if engine == "duckdb":
        large = list(case.tables)
    elif engine == "tree":
        large = []
    else:
        large = [t for t in case.tables if rows_estimate(t) > THRESHOLD]
    small = [t for t in case.tables if t not in large]
    expanded = expand(case, small)  # the tables left in it are the large ones
    if not large:
        return expanded, None
    if not columnar_available():
        where = large[0]
        why = (f"table {where.id!r} has more than {THRESHOLD} rows: it" if engine == "auto" else "--engine duckdb")
        raise CaseError([Problem(where.origin or Location(where.file, 0, 0), missing_extra(why))])
    nodes = dict(expanded.nodes)
    for table in large:
        if table.under is not None:
            nodes[table.under] = attrs.evolve(nodes[table.under], sums=())
    return attrs.evolve(expanded, nodes=nodes, tables=()), expanded
