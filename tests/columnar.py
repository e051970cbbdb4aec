"""The engines a test of tables runs on: the tree engine always, DuckDB's columnar one when the
``tables`` extra is installed (otherwise its tests skip, saying how to get it)."""

import pytest

from fiscalcheck.tables import run

#: Marks a test that needs the columnar engine.
COLUMNAR = pytest.mark.skipif(not run.columnar_available(), reason='the columnar engine needs pip install ".[tables]"')
#: Both engines, for ``pytest.mark.parametrize("engine", ENGINES)``.
ENGINES = ["tree", pytest.param("duckdb", marks=COLUMNAR)]
