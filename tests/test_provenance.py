"""Provenance: every statement of every case file is printed, verbatim, on the line it cites.

A statement's ``printed`` text is the figure as the report prints it, with its qualifier and
unit (``约7.3亿元``, ``超过66.6%``, a bare table cell ``96490``). This test reads each cited line
of each report present on disk and checks that the text occurs on it exactly as written: no
normalisation (full-width and half-width digits differ, and so do ``约`` and ``约为``), so a
figure cannot be silently retyped, moved to another line, or rounded in the case file. An
occurrence inside a longer number does not count (``5亿元`` is not printed in ``2.5亿元``).

The top case files (``cases/*.yaml``) are the parameters; each brings in the files it includes,
and a failure names the case file, node, measure and line of every statement out of place.
Statements citing a report that is not on disk are skipped (the shared reports live beside the
repository, in ``../shared/reports/``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import fiscalcheck
from fiscalcheck import CaseError
from fiscalcheck.figures.intext import occurrences

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted((ROOT / "cases").glob("*.yaml"))


def _lines(path: str, cache: dict[str, list[str] | None]) -> list[str] | None:
    if path not in cache:
        try:
            cache[path] = Path(path).read_text(encoding="utf-8").splitlines()
        except OSError:
            cache[path] = None
    return cache[path]


def test_there_are_case_files():
    assert CASES, f"no case files in {ROOT / 'cases'}"


@pytest.mark.needs_report
@pytest.mark.parametrize("case_file", CASES, ids=[p.name for p in CASES])
def test_every_statement_is_printed_verbatim_on_its_line(case_file: Path):
    try:
        case = fiscalcheck.load(case_file)
    except CaseError as error:
        pytest.fail(f"{case_file.name} does not load:\n{error}")
    reports: dict[str, list[str] | None] = {}
    checked = 0
    failures = []
    for node, measure, statement in case.statements():
        source = case.sources[statement.source]
        lines = _lines(source.path, reports)
        if lines is None:
            continue
        checked += 1
        where = statement.origin.file if statement.origin else case_file.name
        where = os.path.relpath(where, ROOT) if os.path.isabs(where) else where
        if statement.origin:
            where = f"{where}:{statement.origin.line}"
        if not 1 <= statement.line <= len(lines):
            failures.append(f"{where}: {node.id}.{measure} {statement.printed!r} cites line {statement.line}, "
                            f"but {Path(source.path).name} has {len(lines)} lines")
        elif statement.printed not in lines[statement.line - 1]:
            failures.append(f"{where}: {node.id}.{measure} {statement.printed!r} is not printed on line "
                            f"{statement.line}: {lines[statement.line - 1][:120]!r}")
        elif not occurrences(lines[statement.line - 1], statement.printed):
            failures.append(f"{where}: {node.id}.{measure} {statement.printed!r} occurs on line {statement.line} "
                            f"only inside a longer number")
    if not checked:
        missing = sorted({case.sources[s.source].path for _, _, s in case.statements()})
        pytest.skip(f"no report cited by {case_file.name} is on disk ({', '.join(missing) or 'no statements'})")
    if failures:
        pytest.fail(f"{len(failures)} of {checked} statements of {case_file.name} are not on their line:\n"
                    + "\n".join(failures), pytrace=False)
