"""``--allow-path DIR`` and ``--max-size SIZE``: what a command may read of the files a case names.

A case file may come from an untrusted pull request: its includes and ``rules:``
are read only from its own folder's tree and the shipped packs, unless the user
allows more (:mod:`fiscalcheck.inputs.files`). Shared by every command that loads cases.
"""

from __future__ import annotations

import argparse

from ..inputs.files import MAX_SIZE, parse_size

__all__ = ["add_options", "options"]


def _size(text: str) -> int:
    try:
        return parse_size(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--allow-path", action="append", default=[], metavar="DIR",
                        help="also read includes and rule packs from DIR's tree (repeatable); by default a case "
                             "reads only files of its own folder's tree and the shipped packs")
    parser.add_argument("--max-size", type=_size, default=MAX_SIZE, metavar="SIZE",
                        help="the largest file read, in bytes or with K, M, G (default: 64M)")


def options(args: argparse.Namespace) -> dict:
    """The keyword arguments of :func:`fiscalcheck.load` the options ask for."""
    return {"allow": tuple(args.allow_path), "max_size": args.max_size}
