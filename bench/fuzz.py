"""A long fuzzing run of the loader, the figure parser, the expressions and the CLI (issue 9).

    python bench/fuzz.py [--count 100000] [--seed 0] [--workers 1] [--cli-every 20]

Each input is judged as tests/test_fuzz.py judges it (tests/fuzzing.py): a result, or a clean
error whose every problem is one line ``file:line:column: message``; anything else is a crash.
Inputs run in worker processes with an address-space limit of 1 GiB and a 5 s alarm each, so a
hang or a memory blow-up is counted (and the worker replaced), not suffered.

Prints: inputs tried, results, clean errors, crashes (each kind once, with its input saved to
``$TMPDIR/fiscalcheck-fuzz-crashes/``), the slowest input and its time, and the inputs over 5 s or 1 GiB.
Goal (issue 9): 10^5 inputs, 0 crashes, 0 over 5 s or 1 GiB. Exits 0 (a benchmark, not a test).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import re
import tempfile
import resource
import signal
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

SECONDS = 5
MEMORY = 1 << 30
BATCH = 500


class _Timeout(BaseException):
    pass


def _alarm(signum, frame):
    raise _Timeout()


def _one(kind: str, seed: int, folder: str) -> tuple[str, str, float, str]:
    import fuzzing

    rng = random.Random(seed)
    text = fuzzing.random_figure(rng) if kind == "figure" else fuzzing.random_case(rng)
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(SECONDS)
    start = time.perf_counter()
    try:
        if kind == "figure":
            outcome = fuzzing.check_figure_text(text)
        elif kind == "cli":
            outcome = fuzzing.check_cli(text, folder)
        else:
            outcome = fuzzing.check_case_text(text, folder)
        detail = ""
    except _Timeout:
        outcome, detail = "slow", f"over {SECONDS} s"
    except MemoryError:
        outcome, detail = "memory", "over 1 GiB"
    except BaseException as error:  # noqa: BLE001 - every other exception is the crash we count
        outcome = "crash"
        frames = traceback.extract_tb(error.__traceback__)
        place = next((f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames) if "fiscalcheck" in f.filename), "?")
        message = str(error).splitlines()[0][:160] if str(error) else ""
        kind_of = re.sub(r"'.*?'|[0-9]+", "…", message)[:50] if isinstance(error, AssertionError) else ""
        detail = f"{type(error).__name__} at {place} {kind_of}|{message}"
    finally:
        signal.alarm(0)
    return outcome, detail, time.perf_counter() - start, text


def _batch(job: tuple[int, int, int]) -> list[tuple[str, str, str, float, str]]:
    first, count, cli_every = job
    import fuzzing

    folder = fuzzing.workspace()
    out = []
    for seed in range(first, first + count):
        kind = "cli" if cli_every and seed % cli_every == 0 else ("figure" if seed % 3 == 0 else "case")
        outcome, detail, seconds, text = _one(kind, seed, folder.name)
        out.append((kind, outcome, detail, seconds, text if outcome in ("crash", "slow", "memory") else ""))
        if outcome == "ok" or outcome == "error":
            out[-1] = (kind, outcome, "", seconds, text if seconds > 0.5 else "")
    folder.cleanup()
    return out


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--cli-every", type=int, default=20, help="every Nth input goes through the CLI")
    args = parser.parse_args()
    jobs = [(args.seed + i, min(BATCH, args.count - i), args.cli_every) for i in range(0, args.count, BATCH)]
    counts: dict[str, int] = {}
    crashes: dict[str, tuple[int, str]] = {}
    slowest = (0.0, "", "")
    over = 0
    start = time.perf_counter()
    crash_dir = Path(tempfile.gettempdir()) / "fiscalcheck-fuzz-crashes"
    with multiprocessing.get_context("fork").Pool(args.workers, initializer=_limit_memory, maxtasksperchild=4) as pool:
        for results in pool.imap_unordered(_batch, jobs):
            for kind, outcome, detail, seconds, text in results:
                counts[outcome] = counts.get(outcome, 0) + 1
                if seconds > slowest[0]:
                    slowest = (seconds, kind, text)
                if outcome in ("slow", "memory"):
                    over += 1
                if outcome in ("crash", "slow", "memory"):
                    key, _, message = detail.partition("|")
                    seen = crashes.setdefault(key, (0, text, message))
                    crashes[key] = (seen[0] + 1, seen[1], seen[2])
    elapsed = time.perf_counter() - start
    tried = sum(counts.values())
    print(f"inputs tried: {tried} in {elapsed:.0f} s ({args.workers} worker(s), seeds {args.seed}..{args.seed + args.count - 1})")
    print(f"results: {counts.get('ok', 0)}   clean errors: {counts.get('error', 0)}   "
          f"crashes: {counts.get('crash', 0)}   over {SECONDS} s or 1 GiB: {over}")
    print(f"slowest input: {slowest[0]:.3f} s ({slowest[1]}){': ' + repr(slowest[2][:120]) if slowest[2] else ''}")
    if crashes:
        crash_dir.mkdir(exist_ok=True)
        print("distinct crashes:")
        for n, (key, (times, text, message)) in enumerate(sorted(crashes.items(), key=lambda kv: -kv[1][0])):
            saved = crash_dir / f"crash-{n}.yaml"
            saved.write_text(text, encoding="utf-8", errors="surrogatepass")
            print(f"  {times:6d}x  {key.strip()}: {message[:140]}  (input: {saved})")
    print(f"goal: 0 crashes, 0 over {SECONDS} s or 1 GiB, in 10^5 inputs")


if __name__ == "__main__":
    main()
