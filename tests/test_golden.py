"""Golden files: the exact wording of every kind of load error and of finding sentence.

One input per kind under tests/golden/errors/ (a bad case file: the lines ``fiscalcheck run``
prints on standard error) and tests/golden/findings/ (a case: every finding's sentence in
English and in Chinese), each beside the output it must give, as hledger's test/errors/ does.
A change of wording is then a reviewed diff of these files: regenerate them with
``FISCALCHECK_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and read the diff before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import fiscalcheck
from fiscalcheck import CaseError

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("FISCALCHECK_UPDATE_GOLDEN") == "1"
ERRORS = sorted((GOLDEN / "errors").glob("*.yaml"))
FINDINGS = sorted((GOLDEN / "findings").glob("*.yaml"))


def _compare(path: Path, actual: str) -> None:
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with FISCALCHECK_UPDATE_GOLDEN=1 and review it"
    assert actual == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("case_file", ERRORS, ids=[p.stem for p in ERRORS])
def test_each_kind_of_bad_input_is_worded_as_its_golden_file(case_file, monkeypatch):
    monkeypatch.chdir(case_file.parent)  # so the messages name the file as a user would type it
    with pytest.raises(CaseError) as caught:
        fiscalcheck.load(case_file.name)
    lines = [str(problem) for problem in caught.value.problems]
    assert all("\n" not in line and line.startswith(f"{case_file.name}:") for line in lines), lines
    _compare(case_file.with_suffix(".out"), "\n".join(lines) + "\n")


@pytest.mark.parametrize("case_file", FINDINGS, ids=[p.stem for p in FINDINGS])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_kind_of_finding_is_worded_as_its_golden_file(case_file, lang, monkeypatch):
    monkeypatch.chdir(case_file.parent)
    report = fiscalcheck.load(case_file.name).check()
    lines = [f"{f.rule} [{'holds' if f.holds else f.severity}]: {f.text(lang)}" for f in report.checks]
    lines.append(report.summary(lang))
    _compare(case_file.with_suffix(f".{lang}.txt"), "\n".join(lines) + "\n")
