"""Reading a ``policy:`` (how printed figures are read), for case files and packs alike."""

from __future__ import annotations

from typing import Any

import yaml

from ..figures import FigureError, Policy, to_decimal
from ..figures.tolerance import rounding_problem
from .located import Reader

__all__ = ["read_policy", "POLICY_KEYS"]

POLICY_KEYS = ("rounding", "about", "exact", "floor")


def read_policy(reader: Reader, node: yaml.Node) -> Policy | None:
    """A ``policy:`` mapping (case file or pack): the Policy, or None after adding its problems."""
    fields = reader.mapping(node, "a policy", POLICY_KEYS)
    if fields is None:
        return None
    values: dict[str, Any] = {}
    if "rounding" in fields:
        rounding = reader.text(fields["rounding"][1], "rounding")
        problem = rounding_problem(rounding)
        if problem:
            reader.fail(fields["rounding"][1], problem)
        else:
            values["rounding"] = rounding
    if "about" in fields:
        _non_negative(reader, fields["about"][1], values, "about", "a share of the last digit")
    if "exact" in fields:
        values["exact"] = reader.texts(fields["exact"][1], "measure names")
    if "floor" in fields:
        _non_negative(reader, fields["floor"][1], values, "floor", "a tolerance in 元")
    try:
        policy = Policy(**values, declared=tuple(values))
    except ValueError as error:  # a value the policy refuses (a negative 'about')
        reader.fail(node, str(error))
        return None
    return policy


def _non_negative(reader: Reader, node: yaml.Node, values: dict[str, Any], key: str, what: str) -> None:
    """``values[key]``: the decimal at ``node``, 0 or more; otherwise a problem at its place."""
    raw = reader.text(node, key)
    try:
        value = to_decimal(raw)
    except FigureError as error:
        reader.fail(node, f"policy {key!r} ({what}): {error}")
        return
    if value < 0:
        reader.fail(node, f"policy {key!r} is {what}: 0 or more, got {raw!r}")
        return
    values[key] = value
