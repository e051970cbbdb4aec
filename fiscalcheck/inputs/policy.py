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
        raw = reader.text(fields["about"][1], "about")
        try:
            values["about"] = to_decimal(raw)
            if values["about"] < 0:
                del values["about"]
                reader.fail(fields["about"][1], f"policy 'about' is a share of the last digit: 0 or more, got {raw!r}")
        except FigureError as error:
            reader.fail(fields["about"][1], f"policy 'about': {error}")
    if "exact" in fields:
        values["exact"] = reader.texts(fields["exact"][1], "measure names")
    if "floor" in fields:
        raw = reader.text(fields["floor"][1], "floor")
        try:
            values["floor"] = to_decimal(raw)
            if values["floor"] < 0:
                del values["floor"]
                reader.fail(fields["floor"][1], f"policy 'floor' is a tolerance in 元: 0 or more, got {raw!r}")
        except FigureError as error:
            reader.fail(fields["floor"][1], f"policy 'floor' (元): {error}")
    try:
        policy = Policy(**values, declared=tuple(values))
    except ValueError as error:  # a value the policy refuses (a negative 'about')
        reader.fail(node, str(error))
        return None
    return policy
