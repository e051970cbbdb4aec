"""The machine outputs and the standalone page (fiscalcheck.render.sarif, .junit, .page).

SARIF is validated against the SARIF 2.1.0 JSON schema shipped in tests/data (the OASIS
sarif-spec repository's Schemata/sarif-schema-2.1.0.json, errata01, as published), JUnit parsed
with xml.etree; both are read back and held to the report they came from.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import attrs
import pytest

from fiscalcheck import load
from fiscalcheck.cli.main import main
from fiscalcheck.render import FORMATS, render
from fiscalcheck.render.sarif import fingerprint

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"
CASE = ROOT / "cases" / "2020.yaml"


@pytest.fixture(scope="module")
def checked():
    case = load(CASE)
    return case, case.check()


def test_the_formats_are_registered():
    assert {"html", "sarif", "junit"} <= set(FORMATS)


@pytest.mark.needs_report
def test_sarif_validates_against_the_2_1_0_schema(checked):
    jsonschema = pytest.importorskip("jsonschema", reason='SARIF validation needs jsonschema: pip install ".[test]"')
    case, report = checked
    document = json.loads(render([report], "sarif", cases=[case]))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)  # the schema says draft-04
    validator.check_schema(schema)
    validator(schema, format_checker=validator.FORMAT_CHECKER).validate(document)


@pytest.mark.needs_report
def test_sarif_has_one_result_per_failing_relation_at_the_case_file_line(checked):
    case, report = checked
    (run,) = json.loads(render([report], "sarif", cases=[case]))["runs"]
    results = run["results"]
    assert len(results) == len(report.findings)
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for result, finding in zip(results, report.findings):
        assert rules[result["ruleIndex"]] == result["ruleId"] == finding.rule
        (location,) = result["locations"]
        region = location["physicalLocation"]["region"]
        assert location["physicalLocation"]["artifactLocation"]["uri"].endswith(Path(finding.origin.file).name)
        assert (region["startLine"], region["startColumn"]) == (finding.origin.line, finding.origin.column)
        related = result["relatedLocations"]
        assert [(r["message"]["text"], r["physicalLocation"]["region"]["startLine"]) for r in related] == [
            (s.printed, s.line) for s in finding.statements]
        assert all(r["physicalLocation"]["artifactLocation"]["uri"].endswith("chaoyang-2020-budget-report.txt")
                   for r in related)
        properties = result["properties"]
        assert properties["printed"] == str(finding.printed) and isinstance(properties["difference"], str)
        assert result["message"]["text"].startswith(finding.message)
    culture = next(r for r in results if "9970万元" in r["message"]["text"])
    assert culture["level"] == "error" and "8889万元 would make it hold" in culture["message"]["text"]
    growth = run["tool"]["driver"]["rules"][rules.index("growth")]
    assert growth["defaultConfiguration"]["level"] == "warning" and growth["shortDescription"]["text"]


@pytest.mark.needs_report
def test_the_fingerprint_ignores_order(checked):
    _, report = checked
    finding = report.findings[0]
    shuffled = attrs.evolve(finding, statements=tuple(reversed(finding.statements)))
    assert fingerprint(shuffled) == fingerprint(finding)
    assert len({fingerprint(f) for f in report.findings}) == len(report.findings)
    reordered = attrs.evolve(report, checks=tuple(reversed(report.checks)))
    first = {r["partialFingerprints"]["fiscalcheck/relation/v1"]
             for r in json.loads(render([report], "sarif"))["runs"][0]["results"]}
    again = {r["partialFingerprints"]["fiscalcheck/relation/v1"]
             for r in json.loads(render([reordered], "sarif"))["runs"][0]["results"]}
    assert first == again


@pytest.mark.needs_report
def test_junit_has_one_test_case_per_relation_and_fails_the_findings(checked):
    case, report = checked
    root = ET.fromstring(render([report], "junit"))
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == len(report.checks) == int(suite.get("tests"))
    failures = [c.find("failure") for c in cases if c.find("failure") is not None]
    assert len(failures) == len(report.findings) == int(suite.get("failures")) == int(root.get("failures"))
    assert {f.get("message") for f in failures} == {f.message for f in report.findings}
    culture = next(f for f in failures if "9970万元" in f.get("message"))
    assert "8889万元" in culture.text and "likely causes" in culture.text


@pytest.mark.needs_report
def test_the_page_is_self_contained_utf8_and_quotes_the_source(checked, tmp_path):
    case, report = checked
    page = render([report], "html", cases=[case], lang="zh")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page and '<meta charset="utf-8">' in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)  # nothing fetched from anywhere
    assert "<link" not in page and "@import" not in page and "url(" not in page
    if case.sources["r2020"].path and Path(case.sources["r2020"].path).exists():
        assert "<mark>9970万元</mark>" in page and "<mark>8889万元</mark>" in page  # both printings, quoted
    assert "可能原因" in page and "改为8889万元则成立" in page  # the causes, in Chinese
    assert page.count('<details class="node"') == sum(1 for _ in _tree_nodes(case))
    assert '<span class="num disputed">9970万元</span>' in page


def _tree_nodes(case):
    seen = []

    def visit(node_id, path):
        seen.append(node_id)
        if node_id in path or node_id not in case.nodes:
            return
        for child in case.nodes[node_id].children:
            visit(child, (*path, node_id))

    for root in case.roots:
        visit(root, ())
    return seen


@pytest.mark.needs_report
def test_run_writes_each_format_to_a_file(tmp_path, capsys):
    for fmt in ("html", "sarif", "junit"):
        out = tmp_path / f"report.{fmt}"
        assert main(["run", str(CASE), "--format", fmt, "-o", str(out)]) == 1  # it has findings
        assert out.stat().st_size > 1000
    assert capsys.readouterr().out == ""
