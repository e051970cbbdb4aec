"""Case files: YAML → model, with every problem located (fiscalcheck.inputs.casefile)."""

from decimal import Decimal

import time

import pytest

import fiscalcheck
from fiscalcheck import CaseError, loads

HEAD = "case: t\nsources:\n  r: {path: report.txt, text: none}\n"


def problems(text: str) -> list[str]:
    with pytest.raises(CaseError) as caught:
        loads(HEAD + text, "case.yaml")
    return [str(p) for p in caught.value.problems]


def test_numbers_are_read_from_their_text_never_through_float():
    case = loads(HEAD + "policy: {about: 0.5}\nnodes:\n  - id: a\n    measures: {amount: 7366.183万元 @218}\n", "c.yaml")
    statement = case.nodes["a"].measures["amount"][0]
    assert statement.figure.value == Decimal("7366.183")
    assert case.policy.about == Decimal("0.5")
    assert isinstance(case.policy.about, Decimal)


def test_long_and_short_statement_forms_are_equal():
    short = loads(HEAD + "nodes:\n  - id: a\n    measures: {amount: 96490 @932 unit=万元 exact}\n", "c.yaml")
    long = loads(HEAD + "nodes:\n  - id: a\n    measures:\n      amount: {printed: '96490', line: 932, unit: 万元, exact: true}\n", "c.yaml")
    assert short == long


@pytest.mark.parametrize(
    "text, expected",
    [
        ("nodes:\n  - id: a\n    labl: x\n", "case.yaml:6:5: unknown key 'labl' in a node (did you mean 'label'?)"),
        ("nodes:\n  - id: a\n    measures: {amount: 12.5万圆 @3}\n", "case.yaml:6:24: cannot read '12.5万圆': unknown unit"),
        ("nodes:\n  - id: a\n    measures: {amount: abc @3}\n", "case.yaml:6:24: expected a printed figure"),
        ("nodes:\n  - id: a\n  - id: a\n", "case.yaml:6:9: duplicate node id 'a': first defined at case.yaml:5:5"),
        ("nodes:\n  - id: a\n    children: [{ref: b}]\n", "case.yaml:5:5: node 'a' lists unknown child 'b'"),
        ("nodes:\n  - {id: a, children: [{ref: b}]}\n  - {id: b, children: [{ref: a}]}\n", "cycle of shared nodes: a -> b -> a"),
        ("nodes:\n  - id: a\n    measures: {amount: 1万元 @3}\nrelations:\n  - sum: a.amont\n    of: [a.amount]\n",
         "relation refers to a.amont, but node 'a' has no measure 'amont' (did you mean 'amount'?)"),
        ("nodes:\n  - id: a\n    measures: {amount: 1万元 @3 exactt}\n", "unknown flag 'exactt' in statement (did you mean 'exact'?)"),
        ("nodes:\n  - id: a\n    measures: {amount: 1万元 @x}\n", "expected a line number after '@'"),
        ("nodes:\n  - id: a\n    measures: {amount: [1万元 @3, 2个 @4]}\n", "printed in units of different kinds"),
        ("nodes:\n  - &x {id: a}\n  - *x\n", "YAML anchors and aliases are not allowed"),
        ("nodes:\n  - id: a\n    id: b\n", "duplicate key 'id' in a node"),
        ("nodes: [\n", "not valid YAML"),
        ("nodes:\n  - id: a b\n", "expected a node id"),
        ("nodes:\n  - id: a\n    measures: {amount: 1万元 @3 source=rr}\n", "unknown source 'rr' (did you mean 'r'?)"),
        ("transfers:\n  - {from: x, to: y, amount: 1万元 @3}\n", "transfer names unknown fund 'x'"),
    ],
)
def test_bad_input_names_the_place_and_what_was_expected(text, expected):
    found = problems(text)
    assert any(expected in p for p in found), found
    for p in found:  # every problem is one line that starts with its file
        assert "\n" not in p and p.startswith("case.yaml")


def test_every_problem_is_reported_not_only_the_first():
    found = problems("nodes:\n  - id: a\n    labl: x\n  - id: b\n    kindd: fund\n")
    assert len(found) == 2


def test_alias_bomb_is_refused_quickly():
    """30 levels of 9 aliases each (9^30 nodes if expanded) under a key the loader reads: refused, as aliases."""
    level = "&a0 [x, x, x, x, x, x, x, x, x]"
    for i in range(1, 30):
        level = f"&a{i} [{level}, {', '.join([f'*a{i - 1}'] * 8)}]"
    text = f"case: t\nsources: {{r: {{path: r.txt, text: none}}}}\nnodes: {level}\n"
    started = time.perf_counter()
    with pytest.raises(CaseError) as caught:
        loads(text, "bomb.yaml")
    assert time.perf_counter() - started < 2  # a generous bound: an expanded bomb would never finish
    assert any("aliases are not allowed" in str(p) for p in caught.value.problems), caught.value.problems


def test_include_merges_nodes_and_shares_ids(tmp_path):
    (tmp_path / "part.yaml").write_text(HEAD + "nodes:\n  - id: b\n    measures: {amount: 2万元 @2}\n", encoding="utf-8")
    (tmp_path / "top.yaml").write_text(
        HEAD + "include: [part.yaml]\nnodes:\n  - id: a\n    measures: {amount: 2万元 @1}\n    children: [{ref: b}]\n"
        "statements:\n  - {node: b, measure: amount, printed: 约2万元, line: 9}\n", encoding="utf-8")
    case = fiscalcheck.load(tmp_path / "top.yaml")
    assert set(case.nodes) == {"a", "b"}
    assert [s.line for s in case.nodes["b"].measures["amount"]] == [2, 9]
    assert case.check().ok()


def test_include_cycle_is_an_error(tmp_path):
    (tmp_path / "a.yaml").write_text(HEAD + "include: [b.yaml]\nnodes: []\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text(HEAD + "include: [a.yaml]\nnodes: []\n", encoding="utf-8")
    with pytest.raises(CaseError, match="include cycle"):
        fiscalcheck.load(tmp_path / "a.yaml")


def test_a_file_included_twice_is_read_once(tmp_path):
    (tmp_path / "leaf.yaml").write_text(HEAD + "nodes:\n  - {id: x, measures: {amount: 1万元 @1}}\n", encoding="utf-8")
    (tmp_path / "mid.yaml").write_text(HEAD + "include: [leaf.yaml]\nnodes: []\n", encoding="utf-8")
    (tmp_path / "top.yaml").write_text(HEAD + "include: [leaf.yaml, mid.yaml]\nnodes: []\n", encoding="utf-8")
    assert list(fiscalcheck.load(tmp_path / "top.yaml").nodes) == ["x"]


def test_dump_then_load_gives_an_equal_case(tmp_path):
    text = HEAD + (
        "policy: {rounding: truncate, about: '1', exact: [budget]}\n"
        "nodes:\n  - id: f\n    label: 基金\n    kind: fund\n    measures:\n"
        "      budget: 8500万元 @216 exact\n      amount: [7366.183万元 @218, 约7366万元 @3 nearest]\n"
        "    children:\n      - {id: g, measures: {amount: 7303.583万元 @246}}\n"
        "      - {id: h, measures: {amount: 62.6万元 @246}}\n      - {id: x, measures: {amount: 5万元 @3}, outside: true}\n"
        "relations:\n  - le: [f.amount, f.budget]\n  - sum: f.amount\n    of: [g.amount, h.amount]\n    note: 其中\n"
        "transfers:\n  - {from: g, to: h, amount: 1万元 @4}\n"
    )
    original = loads(text, str(tmp_path / "c.yaml"))
    written = fiscalcheck.dump(original, tmp_path / "out.yaml")
    again = fiscalcheck.load(tmp_path / "out.yaml")
    assert again == original
    assert "7366.183万元 @218" in written
