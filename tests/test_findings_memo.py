"""docs/findings-2020.md is written from the run: it must not drift from it.

Each section of the memo's "Findings" names the finding it explains
("Checked by: `rule` on `node` / `measure`.") and the report line of the
figure at stake. The test runs the case and demands one section per finding,
no more and no fewer.
"""

import re
from pathlib import Path

import pytest

import fiscalcheck

ROOT = Path(__file__).resolve().parent.parent
TAG = re.compile(r"Checked by: `([^`]+)` on `([^`]+)` / `([^`]+)`\.")


def memo_sections() -> dict[tuple[str, str, str], str]:
    text = (ROOT / "docs" / "findings-2020.md").read_text(encoding="utf-8")
    findings = text.split("## Findings", 1)[1].split("\n## ", 1)[0]
    sections = {}
    for section in re.split(r"\n### ", findings)[1:]:
        (tag,) = TAG.findall(section)
        sections[tag] = section
    return sections


@pytest.mark.needs_report
def test_the_memo_explains_exactly_the_findings_of_the_run():
    report = fiscalcheck.load(ROOT / "cases" / "2020.yaml").check()
    sections = memo_sections()
    found = {(f.rule, f.node.split("/")[-1], f.measure): f for f in report.findings}
    assert set(sections) == set(found)
    for key, finding in found.items():
        line = finding.statements[0].line  # the printed figure the finding is about
        assert re.search(rf"\b{line}\b", sections[key]), (key, line)


@pytest.mark.needs_report
def test_the_2021_case_has_no_findings():
    assert fiscalcheck.load(ROOT / "cases" / "2021.yaml").check().findings == ()
