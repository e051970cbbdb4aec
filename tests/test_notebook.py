"""The worked notebook, docs/notebooks/audit-2020.ipynb, runs as written in a real Jupyter kernel.

It is committed without outputs (a diff of a notebook should be a diff of its code), and it
is executed here with the repository root as its working directory; any cell that raises
fails the test, and so does an `assert` in a cell (the notebook checks its own story).
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "docs" / "notebooks" / "audit-2020.ipynb"

nbformat = pytest.importorskip("nbformat", reason="the test extra installs nbformat")


def test_the_notebook_is_committed_without_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code
    for cell in code:
        assert cell.outputs == [], "strip the outputs before committing (Kernel > Restart & Clear Output)"
        assert cell.execution_count is None


@pytest.mark.needs_report
def test_the_notebook_runs_in_a_real_kernel():
    nbclient = pytest.importorskip("nbclient", reason="the test extra installs nbclient")
    pytest.importorskip("ipykernel", reason="the test extra installs ipykernel")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=180, kernel_name="python3",
                                     resources={"metadata": {"path": str(ROOT)}})
    client.execute()  # raises CellExecutionError, with the cell and its traceback, when a cell fails
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("fc-report" in h for h in html), "the report did not show itself as a table"
    assert any("fc-case" in h for h in html), "the case did not show itself as a tree"
