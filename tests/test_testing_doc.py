"""docs/testing.md's example runs as written: a user's property tests of a custom rule."""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

DOC = Path(__file__).resolve().parent.parent / "docs" / "testing.md"
MARKER = "<!-- test: this block runs as written in tests/test_testing_doc.py -->"


def example() -> str:
    text = DOC.read_text(encoding="utf-8")
    after = text[text.index(MARKER) + len(MARKER):]
    block = re.match(r"\s*```python\n(.*?)```", after, re.S)
    assert block, "the marker must stand right before a ```python block"
    return block.group(1)


def test_the_example_is_about_a_dozen_lines():
    lines = [line for line in example().splitlines() if line.strip()]
    assert 10 <= len(lines) <= 16


def test_the_example_runs_as_written(pytester: pytest.Pytester):
    pytester.makepyfile(test_office_rule=example())
    installed = any(e.value == "fiscalcheck.testing.pytest_plugin"
                    for e in importlib.metadata.entry_points(group="pytest11"))
    plugin = () if installed else ("-p", "fiscalcheck.testing.pytest_plugin")
    result = pytester.runpytest(*plugin, "-p", "no:cacheprovider", "--hypothesis-seed=0")
    result.assert_outcomes(passed=2)
