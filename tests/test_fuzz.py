"""Fuzzing the inputs (issue 9): the loader, the figure parser, the expression language, the CLI.

Every input gives a clean outcome (see tests/fuzzing.py): a result, or problems each on one
line ``file:line:column: message``; never another exception, never longer than a bound. The
number of examples is bounded here (the hypothesis profile); bench/fuzz.py runs 10^5 inputs.
Every crash found here becomes a reproducer in tests/test_hostile.py.
"""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fuzzing

SECONDS = 5  # the bound of the issue: no input may take longer (bench/fuzz.py counts them)
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def folder():
    with fuzzing.workspace() as name:
        yield name


def _timed(call, *args):
    start = time.perf_counter()
    outcome = call(*args)
    elapsed = time.perf_counter() - start
    assert elapsed < SECONDS, f"{elapsed:.1f} s for one input"
    return outcome


def test_the_seeds_load(folder):
    for seed in fuzzing.SEEDS:
        assert fuzzing.check_case_text(seed, folder) == "ok"


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_mutated_case_files_load_cleanly(folder, seed):
    _timed(fuzzing.check_case_text, fuzzing.random_case(random.Random(seed)), folder)


@SETTINGS
@given(text=st.text(max_size=400))
def test_arbitrary_text_loads_cleanly(folder, text):
    _timed(fuzzing.check_case_text, text, folder)


@SETTINGS
@given(text=st.text(alphabet=st.sampled_from("0123456789,.-−约近超过不余多以上左右亿万元%个家 "), max_size=30))
def test_figure_text_parses_cleanly_and_round_trips(text):
    _timed(fuzzing.check_figure_text, text)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_mutated_figures_parse_cleanly(seed):
    _timed(fuzzing.check_figure_text, fuzzing.random_figure(random.Random(seed)))


@SETTINGS
@given(tokens=st.lists(st.sampled_from(fuzzing._EXPRESSION_TOKENS), min_size=1, max_size=14))
def test_expressions_load_cleanly(folder, tokens):
    seed = fuzzing.SEEDS[1]
    text = seed.replace("arranged <= 2 * budget + 1% * 3亿元", " ".join(tokens).replace("'", "''").join("''"))
    _timed(fuzzing.check_case_text, text, folder)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), command=st.sampled_from(["run", "coverage"]))
def test_the_command_line_exits_cleanly(folder, seed, command):
    _timed(fuzzing.check_cli, fuzzing.random_case(random.Random(seed)), folder, command)
