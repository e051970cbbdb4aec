"""The command line: output formats and exit statuses (fiscalcheck.cli)."""

import json
from decimal import Decimal

import pytest

from fiscalcheck.cli import main

CASE = """\
case: cli
sources:
  r: {path: report.txt, text: none}
nodes:
  - id: fund
    label: 文创实验区引导资金
    measures:
      budget: 1亿元 @371 exact
      arranged: [9970万元 @371, 8889万元 @375]
    children:
      - {id: a, measures: {arranged: 650万元 @376}}
      - {id: b, measures: {arranged: 8239万元 @377}}
"""


@pytest.fixture
def case_file(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text(CASE, encoding="utf-8")
    return path


def test_findings_exit_1_and_show_both_printings(case_file, capsys):
    assert main(["run", str(case_file)]) == 1
    out = capsys.readouterr().out
    assert "ERROR (1)" in out
    assert "9970万元 @371" in out and "8889万元 @375" in out
    assert out.rstrip().splitlines()[-1].startswith("cli: ")


def test_fail_on_never_exits_0(case_file, capsys):
    assert main(["run", "--fail-on", "never", str(case_file)]) == 0


def test_json_keeps_every_figure_as_a_string(case_file, capsys):
    main(["run", "--format", "json", str(case_file)])
    document = json.loads(capsys.readouterr().out)
    (finding,) = document["findings"]
    assert finding["rule"] == "statements-agree"
    assert [s["line"] for s in finding["statements"]] == [371, 375]
    for key in ("printed", "expected", "difference", "tolerance"):
        assert isinstance(finding[key], str)
        Decimal(finding[key])  # parses exactly
    assert Decimal(finding["difference"]) == Decimal("1081")


def test_json_all_lists_relations_that_hold(case_file, capsys):
    main(["run", "--format", "json", "--all", str(case_file)])
    document = json.loads(capsys.readouterr().out)
    assert any(f["holds"] and f["rule"] == "parts-sum" for f in document["findings"])


def test_markdown(case_file, capsys):
    main(["run", "--format", "markdown", str(case_file)])
    out = capsys.readouterr().out
    assert "## ERROR (1)" in out and "| statements-agree" in out


def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("case: x\nsources: {r: {path: r.txt, text: none}}\nnodes:\n  - id: a\n    measures: {amount: 7.3亿圆 @1}\n", encoding="utf-8")
    assert main(["run", str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{bad}:5:24: ")
    assert "Traceback" not in captured.err


def test_missing_file_exit_2(tmp_path, capsys):
    assert main(["run", str(tmp_path / "nope.yaml")]) == 2
    assert "cannot read case file" in capsys.readouterr().err


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["run"])
    assert exit_.value.code == 2
    with pytest.raises(SystemExit) as exit_:
        main(["run", "--format", "xml", "x.yaml"])
    assert exit_.value.code == 2


def test_coverage_counts_the_figures_a_case_cites(tmp_path, capsys):
    (tmp_path / "report.txt").write_text("共安排资金7366.183万元，支持项目121个，2020年4月。\n", encoding="utf-8")
    case = tmp_path / "case.yaml"
    case.write_text("case: c\nsources: {r: {path: report.txt}}\nnodes:\n  - {id: a, measures: {amount: 7366.183万元 @1}}\n",
                    encoding="utf-8")
    assert main(["coverage", str(case), "--missing"]) == 0
    out = capsys.readouterr().out
    total = [line for line in out.splitlines() if line.startswith("total")][0].split()
    assert total[1:3] == ["1", "2"]  # 2 figures on the line (2020年 is a date), 1 cited
    assert "121个" in out.split("figures not referenced")[1]
    assert main(["coverage", str(case), "--fail-under", "60"]) == 1


def test_the_console_command_flushes_its_output_and_exits_with_the_run_s_status(case_file, tmp_path):
    """``python -m fiscalcheck`` (the console script's ``entry``) ends the process without
    tearing the interpreter down: what it printed and wrote must all be there, with the status."""
    import os
    import subprocess
    import sys

    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as a user's shell has it

    def command(*args):
        return subprocess.run([sys.executable, "-m", "fiscalcheck", *args], capture_output=True, text=True,
                              encoding="utf-8", cwd=tmp_path, env=buffered)

    done = command("run", "--format", "json", str(case_file))
    assert done.returncode == 1  # the two printings of the fund's arranged total disagree
    document = json.loads(done.stdout)  # the whole document: it parses
    assert [f["rule"] for f in document["findings"]] == ["statements-agree"] * len(document["findings"])
    assert command("run", "--output", "out.md", "--format", "markdown", str(case_file)).returncode == 1
    # by hand: 9970万元 against 8889万元 fails; 650万元 + 8239万元 = 8889万元, one of the fund's printings, holds
    summary = "cli: 2 relations checked, 1 hold (0 only within printed precision); 1 error, 0 warnings, 0 infos"
    assert (tmp_path / "out.md").read_text(encoding="utf-8").rstrip().endswith(summary)
    assert command("--help").returncode == 0
    usage = command("bogus")
    assert usage.returncode == 2 and "invalid choice: 'bogus'" in usage.stderr


_EXAMPLES = {"run": ["run", "a.yaml", "--format", "json"], "rules": ["rules", "strict"],
             "coverage": ["coverage", "a.yaml", "--missing"], "extract": ["extract", "r.txt", "-o", "d.yaml"],
             "audit": ["audit", "r.txt"]}


def _command_help(top, name: str) -> str:
    (choices,) = [action.choices for action in top._actions if getattr(action, "choices", None) and name in action.choices]
    return choices[name].format_help()


@pytest.mark.parametrize("name", sorted(_EXAMPLES))
def test_a_command_parses_alike_with_only_its_options_built(name):
    """main() builds the options of the command it runs only: the arguments it reads, its own
    --help and the command line's --help must be those of the whole parser."""
    from fiscalcheck.cli.main import COMMANDS, parser

    assert sorted(command.NAME for command in COMMANDS) == sorted(_EXAMPLES)
    whole, only = parser(), parser(name)
    assert vars(only.parse_args(_EXAMPLES[name])) == vars(whole.parse_args(_EXAMPLES[name]))
    assert _command_help(only, name) == _command_help(whole, name)
    assert only.format_help() == whole.format_help()
