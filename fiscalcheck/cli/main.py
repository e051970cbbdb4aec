"""The command line: ``fiscalcheck run CASE...``, ``rules [PACK]``, ``coverage CASE...``, ``extract REPORT``, ``audit REPORT``.

Exit status: 0 when nothing at or above ``--fail-on`` is found, 1 when something
is, 2 for bad input or usage, 3 when the checker itself failed (a rule crashed:
a ``rule-error`` finding). Bad input prints one line per problem,
``file:line:column: message``, on standard error, and never a traceback.

Each command is a module of this package with ``NAME``, ``HELP``, ``add_parser(commands)``
and ``run(args) -> int``, listed in :data:`COMMANDS` in the order ``--help`` shows them.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence

from . import audit, coverage, extract, rules, run

__all__ = ["main", "entry", "COMMANDS"]

#: The commands, each a module with ``NAME``, ``HELP``, ``add_parser(commands)`` and ``run(args) -> int``.
COMMANDS = (run, rules, coverage, extract, audit)


def parser(named: str | None = None) -> argparse.ArgumentParser:
    """The whole command line: one sub-parser per command module.

    With ``named`` (a command's name), only that command's options are built; the others are
    listed by name and help line, which is all that is read of them when one command runs.
    The other commands' options were 0.3 of the ~1 ms the parser takes to build (in process).
    """
    top = argparse.ArgumentParser(
        prog="fiscalcheck",
        description="Audit the arithmetic of a published budget report, from a case file.",
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        if named is None or command.NAME == named:
            command.add_parser(commands).set_defaults(handler=command.run)
        else:
            commands.add_parser(command.NAME, help=command.HELP)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; its exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    # the command is the first word when it is one (``fiscalcheck run ...``); else (``--help``, a
    # mistyped command) every command is built, so that usage and help are the whole command line's
    named = argv[0] if argv and argv[0] in {command.NAME for command in COMMANDS} else None
    args = parser(named).parse_args(argv)
    return args.handler(args)


def entry() -> None:
    """Console-script entry point.

    The cyclic garbage collector is switched off for the run: reading a case
    allocates thousands of small objects that reference counting frees, and the
    collector's passes over them found nothing but cost the run ~2 ms of its
    budget (bench/startup.py).

    The process ends when the run does: once its output is flushed, it exits
    without tearing the interpreter down. Freeing every module and object one by
    one took 50-70 ms here, longer than checking the report's whole case, and
    nothing is left to do then: every file the commands write is closed where it
    is written, DuckDB's connections where they are opened, and there is no
    ``atexit`` work. An error the run does not catch still ends it the usual way,
    with its traceback.
    """
    gc.disable()
    try:
        status = _status(main)
        sys.stdout.flush()
        sys.stderr.flush()
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)
    except BrokenPipeError:  # pragma: no cover - e.g. `fiscalcheck run ... | head`
        sys.exit(0)
    os._exit(status)


def _status(run) -> int:
    """``run()``'s exit status, ``sys.exit`` (argparse's usage errors, ``--help``) included."""
    try:
        return run()
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            return stop.code or 0
        print(stop.code, file=sys.stderr)
        return 1
