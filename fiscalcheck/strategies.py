"""Hypothesis strategies for fiscalcheck cases: the public name of :mod:`fiscalcheck.testing.strategies`.

``from fiscalcheck.strategies import cases, mutations`` (docs/testing.md). Importing
this module imports hypothesis.
"""

from .testing.strategies import *  # noqa: F401,F403 - this module is that one's public name
from .testing.strategies import __all__, _hypothesis_setup_hook  # noqa: F401 - the entry point's target
