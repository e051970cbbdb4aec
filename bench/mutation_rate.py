"""Mutation detection rate: inject one known mistake into each of N generated cases and count
how many the built-in rules find.

Why: "no false alarms" is proved by the property tests; how many real mistakes a
published report's own figures *can* reveal is a number worth knowing, and why
the rest cannot be revealed is worth saying. Each mutation is classified by the
strategy's oracle (fiscalcheck.strategies): *beyond tolerance* (some relation
the figure enters can no longer hold: the engine must find it) or not, and then
why not — the figure enters no relation at all, it still stands for the true
value, or it moved by less than the printed precision of its relations allows.

    python bench/mutation_rate.py [--cases 1000] [--seed 0]

Prints one row per mutation kind and a total; exits 1 if the engine missed a
mutation the oracle calls detectable or flagged one it calls undetectable.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

from fiscalcheck.strategies import MUTATION_KINDS, mutations  # noqa: E402


def measure(total: int, first_seed: int) -> tuple[dict[str, Counter], int]:
    stats: dict[str, Counter] = defaultdict(Counter)
    seen = 0
    run = first_seed
    while seen < total:
        @seed(run)
        @settings(max_examples=total - seen, phases=[Phase.generate], database=None, deadline=None,
                  suppress_health_check=list(HealthCheck))
        @given(mutations())
        def one(mutated):
            nonlocal seen
            if seen >= total:
                return
            seen += 1
            m = mutated.mutation
            detected = bool(mutated.case.check().findings)
            row = stats[m.kind]
            row["cases"] += 1
            row["detected"] += detected
            row["beyond"] += m.beyond_tolerance
            row["missed"] += m.beyond_tolerance and not detected
            row["false alarm"] += detected and not m.beyond_tolerance
            if not m.beyond_tolerance:
                if m.relations == 0:
                    row["in no relation"] += 1
                elif not m.moved:
                    row["still true"] += 1
                else:
                    row["within precision"] += 1

        one()
        run += 1
    return stats, seen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000, help="mutated cases to check (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="first hypothesis seed (default 0)")
    args = parser.parse_args()
    start = time.perf_counter()
    stats, seen = measure(args.cases, args.seed)
    elapsed = time.perf_counter() - start
    columns = ("cases", "detected", "beyond", "missed", "false alarm",
               "in no relation", "still true", "within precision")
    print(f"{'kind':<16}" + "".join(f"{c:>17}" for c in columns) + f"{'rate':>8}")
    total: Counter = Counter()
    for kind in MUTATION_KINDS:
        row = stats.get(kind, Counter())
        total.update(row)
        rate = f"{100 * row['detected'] / row['cases']:.1f}%" if row["cases"] else "-"
        print(f"{kind:<16}" + "".join(f"{row[c]:>17}" for c in columns) + f"{rate:>8}")
    rate = 100 * total["detected"] / max(total["cases"], 1)
    print(f"{'all':<16}" + "".join(f"{total[c]:>17}" for c in columns) + f"{rate:>7.1f}%")
    print(f"\n{seen} mutated cases in {elapsed:.1f}s; detected {total['detected']} ({rate:.1f}%); "
          f"of the {total['beyond']} beyond tolerance, {total['beyond'] - total['missed']} detected; "
          f"{total['false alarm']} false alarms")
    return 1 if total["missed"] or total["false alarm"] else 0


if __name__ == "__main__":
    sys.exit(main())
