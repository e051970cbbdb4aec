"""The package's shape: imports point only down the data's path, and no modules import each other in a circle.

The layer contract itself is in pyproject.toml ([tool.importlinter]); `lint-imports` (import-linter)
judges it here and in .ci/run. The circle check covers what a layers contract cannot see: two modules
of one step importing each other.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

grimp = pytest.importorskip("grimp", reason="the layer checks need import-linter: pip install -e '.[test]'")


def test_the_layer_contract_holds():
    tool = shutil.which("lint-imports")
    if tool is None:  # pragma: no cover - the test extra installs it
        pytest.skip("lint-imports is not on PATH: pip install -e '.[test]'")
    result = subprocess.run([tool], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def _circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_circle_finder_finds_a_planted_circle():
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _circles({"a": {"b"}, "b": set()}) == []


def test_no_modules_import_each_other_in_a_circle():
    graph = grimp.build_graph("fiscalcheck")
    edges = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    assert _circles(edges) == []


def test_every_subpackage_is_installed():
    """pyproject.toml lists its packages by name: a new subpackage left out works in an editable
    install and breaks a plain `pip install .` (the README's first command)."""
    tomllib = pytest.importorskip("tomllib", reason="reading pyproject.toml needs Python 3.11 or later")

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "fiscalcheck").rglob("__init__.py")}
    assert found - listed == set()


_SQL = re.compile(r"\s*(SELECT|WITH|DESCRIBE|CREATE|INSERT|SET|DROP|COPY|PRAGMA|ATTACH)\s")


def _sql_written(source: str) -> list[int]:
    """The lines of ``source`` where a string, or a piece of an f-string, opens as a SQL statement."""
    return sorted({node.lineno for node in ast.walk(ast.parse(source))
                   if isinstance(node, ast.Constant) and isinstance(node.value, str) and _SQL.match(node.value)})


def test_the_sql_finder_finds_planted_statements():
    assert _sql_written('q = f"SELECT {a} FROM src"\ncon.execute("SET x = 1")\nhelp = "Select a table"\n') == [1, 2]


def test_every_sql_statement_is_written_in_the_sql_module():
    """Issue 11: the SQL lives in one module, generated from the relations (tables/sql.py); the
    engine asks it for each query, so what a table is checked with can be read in one place."""
    package = ROOT / "fiscalcheck"
    written = {str(path.relative_to(ROOT)): lines for path in sorted(package.rglob("*.py"))
               if path != package / "tables" / "sql.py" and (lines := _sql_written(path.read_text(encoding="utf-8")))}
    assert written == {}
