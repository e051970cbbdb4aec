"""``fiscalcheck rules [PACK]``: list a rule pack's rules — id, severity, what each checks."""

from __future__ import annotations

import argparse
import sys

from ..errors import CaseError
from ..inputs import load_pack
from ..render.rules import render_rules
from .problems import report_problems

__all__ = ["add_parser", "run"]


#: The command's name, and its line in ``fiscalcheck --help``.
NAME, HELP = "rules", "list the rules of a rule pack: id, severity, description"


def add_parser(commands) -> argparse.ArgumentParser:
    parser = commands.add_parser(NAME, help=HELP)
    parser.add_argument("pack", nargs="?", default="default", metavar="PACK",
                        help="a shipped pack's name or a path to a YAML file (default: default)")
    return parser


def run(args: argparse.Namespace) -> int:
    try:
        pack = load_pack(args.pack, ".")
    except CaseError as error:
        return report_problems(error.problems)
    sys.stdout.write(render_rules(pack))
    return 0
