"""The commands: ``fiscalcheck run``, ``rules``, ``coverage`` (see :mod:`fiscalcheck.cli.main`)."""

from .main import entry, main

__all__ = ["main", "entry"]
