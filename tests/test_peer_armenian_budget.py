"""The peer comparison: fiscalcheck against gituzh/armenian-budget-tools' own validation reports.

For each case under cases/peers/armenian-budget/ this test holds, as data, every
finding fiscalcheck makes (a finding that appears or disappears fails it) and
what the peer's ``*_validation.json`` says of the same place, for the three
checks compared: hierarchical totals, execution over 100% and rate consistency.
Every peer message of those checks must be listed, mapped to the finding of ours
that reports the same discrepancy, or to the documented reason it is not one
(docs/peers/armenian-budget.md explains each class of difference).

Peer rows are pandas indexes (0 = the first data row); ours count as a
spreadsheet does (the header is row 1), so the peer's row N is our row N + 2,
and a node's id ends with the row that first prints it.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import attrs
import pytest

from fiscalcheck import load

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "cases" / "peers" / "armenian-budget"


def _peers() -> Path | None:
    for folder in (ROOT, *ROOT.parents):
        candidate = folder / "shared" / "peers" / "armenian-budget"
        if candidate.is_dir():
            return candidate
    return None


PEERS = _peers()
pytestmark = pytest.mark.skipif(PEERS is None or not (ROOT.parent / "shared").exists(),
                                reason="the shared peer data (../shared/peers/armenian-budget) is absent")

FILES = {
    "2019-execution": "2019_SPENDING_Q1234",
    "2020-execution": "2020_SPENDING_Q1234",
    "2021-execution": "2021_SPENDING_Q1234",
    "2021-budget-law": "2021_BUDGET_LAW",
}
COMPARED = ("hierarchical_totals", "execution_exceeds_100", "percentage_calculation")

ZERO_BASE = "rate over a zero base: it cannot be checked (the peer skips zero denominators)"
NEGATIVE = "rate over a negative base: executed is within it, the rate cannot be checked"

# -- what the peer reports, mapped to our finding (rule, node, measure) or to why there is none --------------

PEER = {
    "2019-execution": [
        ("Row 111: Execution > 100% for 'subprogram_actual_vs_rev_annual_plan'", ("within-budget", "spending-L3-113", "executed")),
        ("Row 172: Execution > 100% for 'subprogram_actual_vs_rev_annual_plan'", ("rate", "spending-L3-174", "rate")),
        ("Overall overall_actual:", ("parts-sum", "state-budget", "executed")),
        ("Overall overall_annual_plan:", ("parts-sum", "state-budget", "budget")),
        ("Overall overall_rev_annual_plan:", ("parts-sum", "state-budget", "adjusted")),
        ("expected 147446773.0, got 139336023.3", ("parts-sum", "spending-L1-104", "executed")),
        ("expected 12490498.500000002, got 4356519.0", ("parts-sum", "spending-L1-345", "executed")),
        ("expected 156223148.0, got 134875641.9", ("parts-sum", "spending-L1-527", "executed")),
        ("expected 165677421.79999995, got 147577637.6", ("parts-sum", "spending-L1-104", "budget")),
        ("expected 25407550.799999997, got 9322213.5", ("parts-sum", "spending-L1-345", "budget")),
        ("expected 161013824.60000002, got 141696953.9", ("parts-sum", "spending-L1-527", "budget")),
        ("expected 192199759.4, got 175528847.3", ("parts-sum", "spending-L1-104", "adjusted")),
        ("expected 21747570.399999995, got 8969716.5", ("parts-sum", "spending-L1-345", "adjusted")),
        ("expected 167352112.20000002, got 144261843.8", ("parts-sum", "spending-L1-527", "adjusted")),
        # programs: the peer reads each program's total from its first row; where the repeated
        # totals disagree, the sum matches another printing and the finding is statements-agree
        ("expected 1139006.1, got 54509.4", ("parts-sum", "spending-L2-555", "executed")),
        ("expected 349826.30000000005, got 26100.9", ("parts-sum", "spending-L2-115", "executed")),
        ("expected 21884551.1, got 0.0", ("statements-agree", "spending-L2-109", "executed")),
        ("expected 5580977.100000001, got 3591908.0", ("parts-sum", "spending-L2-157", "executed")),
        ("expected 978187.4, got 0.0", ("statements-agree", "spending-L2-555", "budget")),
        ("expected 336497.3, got 0.0", ("statements-agree", "spending-L2-115", "budget")),
        ("expected 16901296.9, got 0.0", ("statements-agree", "spending-L2-109", "budget")),
        ("expected 12610054.8, got 0.0", ("statements-agree", "spending-L2-157", "budget")),
        ("expected 1297884.1, got 54509.4", ("parts-sum", "spending-L2-555", "adjusted")),
        ("expected 402105.0, got 65607.7", ("parts-sum", "spending-L2-115", "adjusted")),
        ("expected 26106190.599999998, got 85680.0", ("parts-sum", "spending-L2-109", "adjusted")),
        ("expected 11908875.1, got 3591908.0", ("parts-sum", "spending-L2-157", "adjusted")),
        ("Row 871: Mismatch for 'subprogram_actual_vs_rev_annual_plan'",
         "holds within the printed precision: 1.7 / 1.7, each printed to 0.1, allows 0.943 to 1.061"),
    ],
    "2020-execution": [
        ("Row 213: Execution > 100% for 'subprogram_actual_vs_rev_annual_plan'", ("rate", "spending-L3-215", "rate")),
    ],
    "2021-execution": [
        *((f"Row {row}: Execution > 100% for 'program_actual_vs_rev_annual_plan'",
           ("within-budget", "spending-L2-135", "executed")) for row in (133, 134, 135, 136, 137)),
        ("Row 136: Execution > 100% for 'subprogram_actual_vs_rev_annual_plan'", ("within-budget", "spending-L3-138", "executed")),
        ("Row 202: Execution > 100% for 'subprogram_actual_vs_rev_annual_plan'", ("rate", "spending-L3-204", "rate")),
        ("Row 263: Execution > 100% for 'subprogram_actual_vs_rev_annual_plan'", ("within-budget", "spending-L3-265", "executed")),
        ("Row 264: Execution > 100% for 'subprogram_actual_vs_rev_annual_plan'", ("within-budget", "spending-L3-266", "executed")),
        ("Row 267: Execution > 100% for 'subprogram_actual_vs_rev_annual_plan'", ("within-budget", "spending-L3-269", "executed")),
        ("Row 906: Execution > 100% for 'subprogram_actual_vs_rev_annual_plan'", ("within-budget", "spending-L3-908", "executed")),
    ],
    "2021-budget-law": [],
}

# -- every finding of ours that no peer message of the compared checks names, and why ----------------------

ZERO_BASE_RATES = {
    "2019-execution": "L2-720 L2-974 L3-1031 L3-1116 L3-118 L3-119 L3-143 L3-144 L3-280 L3-344 L3-416 L3-423 "
                      "L3-465 L3-488 L3-695 L3-720 L3-775 L3-777 L3-843 L3-974",
    "2020-execution": "L2-22 L2-72 L3-1036 L3-1041 L3-119 L3-125 L3-130 L3-132 L3-151 L3-173 L3-178 L3-192 L3-216 "
                      "L3-22 L3-239 L3-250 L3-297 L3-331 L3-333 L3-334 L3-363 L3-375 L3-387 L3-390 L3-391 L3-408 "
                      "L3-414 L3-416 L3-419 L3-420 L3-48 L3-49 L3-504 L3-505 L3-533 L3-567 L3-611 L3-618 L3-620 "
                      "L3-622 L3-624 L3-625 L3-627 L3-628 L3-629 L3-647 L3-648 L3-649 L3-650 L3-651 L3-652 L3-653 "
                      "L3-654 L3-655 L3-656 L3-657 L3-658 L3-660 L3-71 L3-72 L3-73 L3-74 L3-781 L3-8 L3-845 L3-886 "
                      "L3-910 L3-954 L3-955 L3-957 L3-958 L3-997",
    "2021-execution": "L2-104 L2-70 L3-104 L3-11 L3-117 L3-120 L3-123 L3-127 L3-129 L3-131 L3-145 L3-146 L3-154 "
                      "L3-164 L3-166 L3-171 L3-177 L3-184 L3-228 L3-230 L3-235 L3-279 L3-307 L3-370 L3-372 L3-378 "
                      "L3-380 L3-381 L3-386 L3-395 L3-448 L3-46 L3-461 L3-485 L3-514 L3-541 L3-548 L3-554 L3-596 "
                      "L3-600 L3-603 L3-606 L3-607 L3-627 L3-628 L3-629 L3-630 L3-631 L3-632 L3-634 L3-635 L3-636 "
                      "L3-638 L3-685 L3-686 L3-694 L3-7 L3-70 L3-701 L3-71 L3-743 L3-756 L3-758 L3-769 L3-812 "
                      "L3-880 L3-903 L3-930 L3-947 L3-948 L3-990",
    "2021-budget-law": "",
}
DISAGREEING = "a total repeated on each row is printed differently on different rows (the peer reads the first row only)"
OURS_ONLY = {
    "2019-execution": {
        **{("rate", "spending-L3-219", "rate"): NEGATIVE},
        **{key: DISAGREEING for key in (
            ("statements-agree", f"spending-{node}", measure)
            for node in ("L1-104", "L1-345", "L1-527", "L2-109", "L2-115", "L2-157", "L2-555")
            for measure in ("budget", "adjusted", "executed", "rate"))
           if key not in {target for _, target in PEER["2019-execution"]}},
    },
    "2020-execution": {},
    "2021-execution": {
        ("within-budget", "spending-L3-189", "executed"):
            "executed 2907472.8 exceeds the adjusted 2907217.8 by 255.0; the rate prints as 1.0, "
            "and the peer tests the printed rate against 1.0",
    },
    "2021-budget-law": {},
}


def _peer_messages(name: str) -> list[str]:
    data = json.loads((PEERS / f"{FILES[name]}_validation.json").read_text(encoding="utf-8"))
    return [message for group in ("warning_checks", "error_checks") for check in data.get(group, [])
            if check["check_id"] in COMPARED for message in check["messages"]]


@functools.cache
def _report(name: str, engine: str = "tree"):
    return load(CASES / f"{name}.yaml").check(engine=engine)


def _ours(name: str, engine: str = "tree") -> set[tuple[str, str, str]]:
    return {(f.rule, f.node.rsplit("/", 1)[-1], f.measure) for f in _report(name, engine).findings}


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_peer_message_is_mapped(name):
    """Each message of the peer's compared checks is listed here, once, and nothing listed is gone."""
    messages = _peer_messages(name)
    listed = [pattern for pattern, _ in PEER[name]]
    for message in messages:
        matching = [p for p in listed if p in message]
        assert len(matching) == 1, f"peer message not mapped exactly once: {message[:160]}"
    for pattern in listed:
        assert any(pattern in m for m in messages), f"listed but not in the peer's report: {pattern}"


@pytest.mark.parametrize("name", sorted(FILES))
def test_findings_match_the_peer_but_for_the_documented_differences(name):
    ours = _ours(name)
    named = {target for _, target in PEER[name] if isinstance(target, tuple)}
    zero = {("rate", f"spending-{node}", "rate") for node in ZERO_BASE_RATES[name].split()}
    expected = named | zero | set(OURS_ONLY[name])
    assert not named & set(OURS_ONLY[name])
    assert sorted(ours - expected) == [], "findings that appeared"
    assert sorted(expected - ours) == [], "findings that disappeared"


@pytest.mark.parametrize("name", ["2019-execution", "2021-execution"])
def test_the_columnar_engine_finds_the_same(name):
    pytest.importorskip("duckdb", reason='the columnar engine needs pip install ".[tables]"')
    tree, columnar = _report(name, "tree"), _report(name, "duckdb")
    # their likely causes too, read in each failing relation's neighbourhood; but for the case node a
    # table sums into (``under``), whose causes the columnar engine reads in the case's tree alone
    under = {table.under for table in load(CASES / f"{name}.yaml").tables}

    def records(report):
        return [attrs.evolve(f, causes=()).to_record() if f.node_id in under else f.to_record()
                for f in report.findings]

    assert records(columnar) == records(tree)
    assert columnar.counts() == {**tree.counts()}
    assert columnar.summary() == tree.summary()  # the relations that hold only within precision too


def test_exact_where_the_peer_has_float_artefacts():
    """The peer's 1566562784.7000003 is our 1566562784.7: sums of printed decimals stay decimal."""
    report = _report("2019-execution", "tree")  # the key the other tests use: computed once
    total = next(f for f in report.findings if f.rule == "parts-sum" and f.node == "state-budget"
                 and f.measure == "executed")
    assert str(total.expected) == "1566562784.7"
    assert str(total.difference) == "62874077.7"
