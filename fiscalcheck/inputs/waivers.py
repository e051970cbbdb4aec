"""Reading waivers: ``waivers:`` in a case file, and the baseline ``<case>.waivers.yaml`` beside it."""

from __future__ import annotations

import os

from ..errors import Location, Problem
from ..findings import STALE, Waiver
from .located import Reader, compose

__all__ = ["read_waiver", "read_baseline", "baseline_path", "WAIVER_KEYS"]

WAIVER_KEYS = ("rule", "node", "measure", "reason")
BASELINE_KEYS = ("waivers",)


def baseline_path(case_path: str) -> str:
    """Where a case file's waiver baseline sits: ``cases/2020.yaml`` → ``cases/2020.waivers.yaml``."""
    root, _ = os.path.splitext(case_path)
    return f"{root}.waivers.yaml"


def read_waiver(reader, item) -> Waiver | None:
    """A waiver from its YAML mapping (problems go to ``reader``, the case-file reader)."""
    fields = reader.mapping(item, "a waiver", WAIVER_KEYS)
    if fields is None:
        return None
    missing = [k for k in ("rule", "node", "reason") if k not in fields]
    if missing:
        reader.fail(item, f"a waiver needs {', '.join(missing)} (the reason is mandatory: "
                          f"why is this finding accepted?)")
        return None
    rule = reader.text(fields["rule"][1], "a rule id (a glob is allowed)")
    node = reader.text(fields["node"][1], "a node id or path (a glob is allowed)")
    reason = reader.text(fields["reason"][1], "the reason the finding is accepted")
    measure = reader.text(fields["measure"][1], "a measure name") if "measure" in fields else None
    if reason is not None and not reason.strip():
        reader.fail(fields["reason"][1], "a waiver's reason cannot be empty: say why the finding is accepted")
        return None
    if rule == STALE:
        reader.fail(fields["rule"][1], f"{STALE!r} cannot be waived: remove the stale waiver instead")
        return None
    if rule is None or node is None or reason is None or ("measure" in fields and measure is None):
        return None
    return Waiver(rule.strip(), node.strip(), reason.strip(), measure, reader.at(item))


def read_baseline(case_path: str, problems: list[Problem]) -> list[Waiver]:
    """The waivers of the baseline beside ``case_path``, if there is one; problems are collected."""
    path = baseline_path(case_path)
    if not os.path.isfile(path):
        return []
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(Location(path, 1, 1), f"cannot read the waiver baseline: {error}"))
        return []
    ok, root = compose(text, path, problems)
    if not ok:
        return []
    if root is None:
        return []
    reader = Reader(path, problems)
    fields = reader.mapping(root, "a waiver baseline", BASELINE_KEYS)
    if fields is None or "waivers" not in fields:
        if fields is not None:
            reader.fail(root, "a waiver baseline needs 'waivers:' (a list of waivers)")
        return []
    found = (read_waiver(reader, item) for item in reader.sequence(fields["waivers"][1], "waivers"))
    return [w for w in found if w is not None]
