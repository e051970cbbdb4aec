"""Rule packs (fiscalcheck.rules.packs, fiscalcheck.inputs.packs): shipped packs, the pack format, policy, and docs/rules.md run as written."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fiscalcheck import (BUILTIN_RULES, Case, CaseError, FigureError, Node, Policy, Source, Statement, dump, load,
                         load_pack, loads)
from fiscalcheck.cli import main
from fiscalcheck.inputs import loads_pack, shipped_packs

from conftest import REPORT

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "rules.md"
BLOCK = re.compile(r"(?:<!-- file: (?P<file>\S+) -->\n)?```(?P<lang>\w+)\n(?P<body>.*?)```", re.S)
SED = re.compile(r"s/([^/]*)/([^/]*)/g")


def doc_blocks():
    return [(m["lang"], m["file"], m["body"]) for m in BLOCK.finditer(DOC.read_text(encoding="utf-8"))]


def run_cli(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, out.getvalue() + err.getvalue()


def _report_beside(folder: Path) -> None:
    """The doc's case cites the real report "beside this file": put it there, as a reader would."""
    if not REPORT.exists():
        pytest.skip(f"the real report is not at {REPORT} (it lives in ../shared/reports/ beside the repository)")
    shutil.copy(REPORT, folder / REPORT.name)


@pytest.fixture(scope="module")
def walkthrough(tmp_path_factory):
    """docs/rules.md, followed as a new user would: write each file, run each command in order.

    Returns the files as the doc wrote them, and every command with its exit status and output.
    """
    folder = tmp_path_factory.mktemp("docs")
    _report_beside(folder)
    here = os.getcwd()
    os.chdir(folder)
    files: dict[str, str] = {}
    runs: list[dict] = []
    previous = None
    try:
        for lang, name, body in doc_blocks():
            if lang == "yaml":
                files[name] = body
                Path(name).write_text(body, encoding="utf-8")
            elif lang == "console":
                for line in body.splitlines():
                    command = line.removeprefix("$ ")
                    expected = re.search(r"# exit status (\d)", command)
                    words = shlex.split(command, comments=True)
                    if words[0] == "fiscalcheck":
                        status, output = run_cli(words[1:])
                        runs.append({"command": command, "status": status, "output": output,
                                     "expected_status": int(expected[1]) if expected else None, "shown": None})
                    elif words[:2] == ["sed", "-i"]:
                        for name in words[3:]:
                            path = Path(name)
                            text = path.read_text(encoding="utf-8")
                            for old, new in SED.findall(words[2]):
                                assert old in text, f"the doc's sed finds no {old!r} in {path}"
                                text = text.replace(old, new)
                            path.write_text(text, encoding="utf-8")
                    else:  # pragma: no cover - a doc command this runner cannot follow
                        pytest.fail(f"docs/rules.md runs a command the test cannot follow: {command}")
            elif lang == "text" and previous == "console":
                runs[-1]["shown"] = body
            previous = lang
    finally:
        os.chdir(here)
    return files, runs


def test_every_yaml_example_in_the_docs_is_a_file_the_walkthrough_writes():
    blocks = [(lang, name) for lang, name, _ in doc_blocks() if lang == "yaml"]
    assert blocks and all(name for _, name in blocks), "a YAML example without <!-- file: ... --> is untested"


def test_the_docs_commands_exit_as_the_docs_say(walkthrough):
    _, runs = walkthrough
    assert len(runs) >= 8
    for run in runs:
        expected = 0 if run["expected_status"] is None else run["expected_status"]  # unsaid: success
        assert run["status"] == expected, (run["command"], run["output"])


def test_the_docs_show_the_output_the_commands_print(walkthrough):
    """Each line the docs show is a line of the real output, in the same order."""
    _, runs = walkthrough
    for run in runs:
        if run["shown"] is None:
            continue
        actual = [line.rstrip() for line in run["output"].splitlines()]
        at = 0
        for line in filter(None, (l.rstrip() for l in run["shown"].splitlines())):
            assert line in actual[at:], f"{run['command']}: the docs show a line it does not print:\n{line}\n\n{run['output']}"
            at = actual.index(line, at) + 1


def test_the_docs_examples_give_the_verdicts_the_docs_state(walkthrough, tmp_path):
    files, _ = walkthrough
    for name in ("funds.yaml", "examples.yaml"):
        (tmp_path / name).write_text(files[name], encoding="utf-8")
    _report_beside(tmp_path)
    report = load(tmp_path / "funds.yaml").check(load_pack(tmp_path / "examples.yaml"))
    custom = [f for f in report.checks if f.rule in {i.id for i in load_pack(tmp_path / "examples.yaml").invariants}]
    assert {f.rule for f in custom} == {"fee-cap", "parts", "largest-item", "cap-in-yi", "next-budget",
                                        "near-budget", "items-under-parent"}
    assert not [f for f in custom if "cannot be evaluated" in f.message]
    assert {(f.rule, f.node) for f in custom if not f.holds} == {("fee-cap", "infoserv/infoserv-fees"),
                                                               ("largest-item", "hitech")}


def test_the_docs_table_of_shipped_packs_counts_their_rules():
    rows = re.findall(r"^\| `(\w+)` \| (\d+) \|", DOC.read_text(encoding="utf-8"), re.M)
    assert {name: int(count) for name, count in rows} == {n: len(load_pack(n).rules) for n in shipped_packs()}


# -- shipped packs ----------------------------------------------------------------


def test_default_is_the_built_ins_at_their_default_severities():
    default = load_pack("default")
    assert [(r.id, r.severity) for r in default.rules] == [(r.id, r.severity) for r in BUILTIN_RULES]
    assert default.invariants == ()


def test_strict_runs_everything_at_error_plus_its_invariants():
    strict = load_pack("strict")
    assert {r.id for r in BUILTIN_RULES} < {r.id for r in strict.rules}
    assert {r.severity for r in strict.rules} == {"error"}
    assert len(strict.invariants) == 3


@pytest.mark.parametrize("name", ["default", "strict"])
def test_fiscalcheck_rules_lists_every_rule_with_its_severity(name, capsys):
    assert main(["rules", name]) == 0
    out = capsys.readouterr().out
    for rule in load_pack(name).rules:
        assert re.search(rf"^{re.escape(rule.id)}\s+{rule.severity}\s+(built-in|custom)\s+\S", out, re.M), rule.id


def test_an_unknown_pack_is_a_usage_error_with_a_suggestion(capsys):
    assert main(["rules", "strikt"]) == 2
    assert "unknown rule pack 'strikt' (did you mean 'strict'?)" in capsys.readouterr().err


@pytest.mark.needs_report
def test_the_real_cases_run_under_every_shipped_pack(capsys):
    for name in shipped_packs():
        for case in ("cases/2020.yaml", "cases/2021.yaml"):
            status = main(["run", "--rules", name, "--fail-on", "never", str(ROOT / case)])
            out = capsys.readouterr()
            assert status == 0, out.err
            assert "rule-error" not in out.out and "cannot be evaluated" not in out.out


def test_pyproject_installs_the_rules_folder_as_package_data():
    import tomllib

    setup = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "fiscalcheck.packs" in setup["packages"]
    assert setup["package-dir"]["fiscalcheck.packs"] == "rules"
    assert "*.yaml" in setup["package-data"]["fiscalcheck.packs"]
    assert sorted(p.name for p in (ROOT / "rules").glob("*.yaml")) == sorted(f"{n}.yaml" for n in shipped_packs())


# -- the pack format --------------------------------------------------------------

CASE = """\
case: packed
sources:
  r: {path: report.txt, text: none}
{extra}nodes:
  - id: fund
    kind: fund
    measures: {budget: 7.3亿元 @1, executed: 7.34亿元 @2, rate: 100.6% @3}
    children:
      - {id: a, measures: {budget: 5亿元 @4 exact}}
      - {id: b, measures: {budget: 2.3亿元 @5 exact}}
"""


def case_text(extra=""):
    return CASE.replace("{extra}", extra)


def test_a_case_names_its_pack_and_the_command_line_overrides_it(tmp_path, capsys):
    (tmp_path / "named.yaml").write_text(case_text("rules: strict\n"), encoding="utf-8")
    (tmp_path / "plain.yaml").write_text(case_text(), encoding="utf-8")
    named = load(tmp_path / "named.yaml").check()
    assert load(tmp_path / "named.yaml").rules.name == "strict"
    assert [(f.rule, f.severity) for f in named.checks] == [
        (f.rule, f.severity) for f in load(tmp_path / "plain.yaml").check("strict").checks]
    assert "budget-part-within-whole" in named.rules
    overridden = main(["run", "--rules", "default", "--format", "json", str(tmp_path / "named.yaml")])
    assert overridden in (0, 1) and '"budget-part-within-whole"' not in capsys.readouterr().out


def test_a_case_naming_an_unknown_pack_is_a_load_error(tmp_path):
    (tmp_path / "c.yaml").write_text(case_text("rules: strcit\n"), encoding="utf-8")
    with pytest.raises(CaseError) as caught:
        load(tmp_path / "c.yaml")
    assert str(caught.value.problems[0]).startswith(f"{tmp_path / 'c.yaml'}:4:8: unknown rule pack 'strcit' (did you mean 'strict'?)")


def test_severities_can_be_changed_and_rules_turned_off():
    pack = loads_pack("pack: p\nextends: default\nrules: {growth: info, share: off, rate: warning}\n", "p.yaml")
    severities = {r.id: r.severity for r in pack.rules}
    assert severities["growth"] == "info" and severities["rate"] == "warning" and "share" not in severities
    report = loads(case_text()).check(pack)
    assert {f.severity for f in report.findings if f.rule == "rate"} <= {"warning"}


def test_a_pack_can_list_rules_by_id_and_extend_another_pack_s_invariants(tmp_path):
    (tmp_path / "base.yaml").write_text(
        "pack: base\nrules: [parts-sum]\ninvariants:\n  - {id: cap, expr: 'executed <= 1亿元', severity: warning}\n",
        encoding="utf-8")
    (tmp_path / "top.yaml").write_text("pack: top\nextends: base.yaml\nrules: {cap: error}\n", encoding="utf-8")
    top = load_pack(tmp_path / "top.yaml")
    assert [(r.id, r.severity) for r in top.rules] == [("parts-sum", "error"), ("cap", "error")]
    (finding,) = [f for f in loads(case_text()).check(top).findings if f.rule == "cap"]
    assert finding.severity == "error" and "should be at most" in finding.message


def test_packs_that_extend_each_other_in_a_cycle_are_refused(tmp_path):
    (tmp_path / "a.yaml").write_text("pack: a\nextends: b.yaml\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("pack: b\nextends: a.yaml\n", encoding="utf-8")
    with pytest.raises(CaseError, match="cycle"):
        load_pack(tmp_path / "a.yaml")


@pytest.mark.parametrize("text, words", [
    ("pack: p\nrules: {parts-summ: error}\n", "p.yaml:2:9: unknown rule 'parts-summ' (did you mean 'parts-sum'?)"),
    ("pack: p\nrulez: []\n", "p.yaml:2:1: unknown key 'rulez' in a rule pack (did you mean 'rules'?)"),
    ("pack: p\npolicy: {floor: '-1'}\n", "p.yaml:2:17: policy 'floor' is a tolerance in 元"),
    ("pack: p\ninvariants:\n  - {id: rate, expr: 'rate <= 100%'}\n", "p.yaml:3:10: invariant id 'rate' is already the id of a built-in rule"),
    ("pack: p\ninvariants:\n  - {id: x}\n", "p.yaml:3:5: an invariant needs 'expr'"),
    ("pack: p\ninvariants:\n  - {id: x, expr: '$a.b <= 1元', where: {kind: fund}}\n", "p.yaml:3:33: invariant 'x' names only $node measures"),
    ("pack: p\ninvariants:\n  - {id: x, expr: 'a <= 1元', where: {has: [children.]}}\n", "p.yaml:3:43: expected measures in 'has'"),
])
def test_pack_mistakes_are_reported_at_their_place(text, words):
    with pytest.raises(CaseError) as caught:
        loads_pack(text, "p.yaml")
    assert any(str(p).startswith(words) for p in caught.value.problems), caught.value.problems


# -- policy -------------------------------------------------------------------------


def test_a_float_floor_is_refused_at_the_api_boundary():
    with pytest.raises(FigureError, match="float"):
        Policy(floor=0.5)
    with pytest.raises(ValueError, match="0 or more"):
        Policy(floor="-1")


def test_a_case_names_a_pack_by_a_path_relative_to_itself(tmp_path):
    (tmp_path / "office").mkdir()
    (tmp_path / "cases").mkdir()
    (tmp_path / "office" / "audit.yaml").write_text(
        "pack: audit\nextends: strict\nrules: {budget-part-within-whole: warning}\n", encoding="utf-8")
    (tmp_path / "cases" / "c.yaml").write_text(case_text("rules: ../office/audit.yaml\n"), encoding="utf-8")
    case = load(tmp_path / "cases" / "c.yaml", allow=[tmp_path / "office"])  # outside the case's tree: allowed
    assert case.rules.name == "audit"
    assert {r.id: r.severity for r in case.rules.rules}["budget-part-within-whole"] == "warning"


def test_a_pack_policy_fills_only_what_the_case_leaves_open():
    truncating = loads_pack("pack: t\nextends: default\npolicy: {rounding: truncate, about: '1'}\n", "t.yaml")
    undeclared = loads(case_text())
    declared = loads(case_text("policy: {rounding: nearest}\n"))
    assert truncating.apply_policy(undeclared).policy.rounding == "truncate"
    assert truncating.apply_policy(declared).policy.rounding == "nearest"
    assert truncating.apply_policy(declared).policy.about == Decimal("1")


def yuan(text, line=1, **kw):
    return Statement.of(text, line=line, **kw)


@st.composite
def cent_cases(draw, exact=False):
    """Totals printed to the fen over parts printed to the yuan, a few 元 apart at most."""
    parts = draw(st.lists(st.integers(0, 10**7), min_size=1, max_size=4))
    slip = draw(st.decimals(min_value=-5, max_value=5, places=2, allow_nan=False, allow_infinity=False))
    total = sum(parts) + slip
    nodes = {f"p{i}": Node(f"p{i}", measures={"amount": (yuan(f"{p}元", exact=exact or draw(st.booleans()) or None),)})
             for i, p in enumerate(parts)}
    nodes["total"] = Node("total", children=tuple(nodes), measures={"amount": (yuan(f"{abs(total):f}元", exact=True),)})
    return Case("cents", {"r": Source("r", "r.txt")}, nodes)


@given(cent_cases(), st.sampled_from(["0", "0.01", "0.5", "1", "3"]), st.sampled_from(["0.01", "1", "2", "10"]))
def test_a_larger_floor_never_adds_a_finding(case, smaller, extra):
    """A floor only widens figures: what holds under one floor holds under every larger one."""
    larger = str(Decimal(smaller) + Decimal(extra))

    def holds(floor):
        return [f.holds for f in Case(case.id, case.sources, case.nodes, policy=Policy(floor=floor)).check().checks]

    assert all(big or not small for small, big in zip(holds(smaller), holds(larger)))


@given(cent_cases(exact=True))
def test_a_floor_accepts_exactly_the_differences_it_covers(case):
    """With exact figures, a total n parts miss by d元 holds exactly when (n + 1) × floor >= d."""
    plain = case.check().checks[0]
    n = len(case.nodes["total"].children)
    # the difference from the case's own printed figures, not from the finding under test
    printed = {node_id: node.measures["amount"][0].figure.value for node_id, node in case.nodes.items()}
    difference = abs(printed["total"] - sum(v for k, v in printed.items() if k != "total"))
    share = difference / (n + 1)
    covering = share.quantize(Decimal("0.0001"), rounding="ROUND_CEILING")
    short = share.quantize(Decimal("0.0001"), rounding="ROUND_FLOOR") - Decimal("0.0001")

    def holds(floor):
        return Case(case.id, case.sources, case.nodes, policy=Policy(floor=floor)).check().checks[0].holds

    assert holds(covering)
    assert plain.holds == (difference == 0)
    if short >= 0:
        assert not holds(short)


# -- a case keeps its pack, invariants and waivers through dump and load ----------


def test_dump_and_load_keep_rules_invariants_waivers_and_floor(tmp_path):
    text = case_text("rules: strict\npolicy: {floor: '2'}\n") + (
        "invariants:\n  - {id: cap, expr: 'executed <= 1亿元', severity: warning, where: {kind: fund, has: [budget]}}\n"
        "waivers:\n  - {rule: cap, node: fund, reason: known}\n")
    case = loads(text, str(tmp_path / "c.yaml"))
    again = loads(dump(case, tmp_path / "d.yaml"), str(tmp_path / "d.yaml"))
    assert again == case
    assert again.rules.name == "strict" and again.policy.floor == Decimal(2)
    assert again.invariants[0].where.kinds == ("fund",) and again.waivers[0].reason == "known"
