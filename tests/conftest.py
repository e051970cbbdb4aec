"""Shared fixtures: the real report, when it is present beside the repository."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT.parent / "shared" / "reports" / "chaoyang-2020-budget-report.txt"

settings.register_profile("ci", max_examples=60, deadline=None)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


ABSENT = f"the real report is not at {REPORT} (it lives in ../shared/reports/ beside the repository)"


def pytest_configure(config):
    config.addinivalue_line("markers", "needs_report: the test loads cases/2020.yaml or 2021.yaml, whose "
                                       "sources are the real report: it skips, saying so, when the report is absent")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """The real cases cite the real report, and loading a case reads every report it cites (provenance)."""
    if item.get_closest_marker("needs_report") and not REPORT.exists():
        pytest.skip(ABSENT)


@pytest.fixture(scope="session")
def report_lines() -> list[str]:
    """The real Chaoyang report, one paragraph a line (index 0 is line 1)."""
    if not REPORT.exists():
        pytest.skip(ABSENT)
    return REPORT.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="session")
def report_path() -> Path:
    if not REPORT.exists():
        pytest.skip(ABSENT)
    return REPORT
