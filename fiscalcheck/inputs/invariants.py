"""Reading an invariant (``invariants:`` of a case file or a pack) from its located YAML."""

from __future__ import annotations

from collections.abc import Iterable

from ..findings import severity_problem
from ..rules import BUILTIN_IDS
from ..rules.expression import Children, ExpressionError, Measure, parse
from ..rules.invariants import INVARIANT_KEYS, RESERVED_IDS, WHERE_KEYS, Invariant, Selector, parse_reference

__all__ = ["read_invariant", "read_selector"]


def read_selector(reader, node) -> Selector | None:
    fields = reader.mapping(node, "a selector 'where:'", WHERE_KEYS)
    if fields is None:
        return None
    values = {key: reader.texts(fields[key][1], f"{key} values") for key in fields}
    has: list[Measure | Children] = []
    for text in values.get("has", ()):
        ref = parse_reference(text)
        if ref is None:
            reader.fail(fields["has"][1], f"expected measures in 'has' as name, parent.name or children.name, got {text!r}")
            return None
        has.append(ref)
    if not fields:
        reader.fail(node, f"empty 'where:' selects every node; give one of {', '.join(WHERE_KEYS)} or leave 'where' out")
        return None
    return Selector(kinds=values.get("kind", ()), tags=values.get("tag", ()), ids=values.get("id", ()),
                    paths=values.get("path", ()), has=tuple(has))


def read_invariant(reader, item, *, taken: Iterable[str] = (), in_case: bool = False) -> Invariant | None:
    """An invariant from its YAML mapping, or None after adding problems to ``reader``.

    ``taken`` are ids already in use (the built-ins, earlier invariants). ``reader``
    is the case-file reader (:class:`fiscalcheck.inputs.located.Reader`): every problem
    gets its file, line and column, and an expression problem its column within
    the expression too.
    """
    fields = reader.mapping(item, "an invariant", INVARIANT_KEYS)
    if fields is None:
        return None
    missing = [k for k in ("id", "expr") if k not in fields]
    if missing:
        reader.fail(item, f"an invariant needs {' and '.join(repr(m) for m in missing)}")
        return None
    invariant_id = reader.ident(fields["id"][1], "an invariant id")
    if invariant_id is None:
        return None
    taken = tuple(taken)
    if invariant_id in taken or invariant_id in RESERVED_IDS:
        whose = ("fiscalcheck's own findings" if invariant_id in RESERVED_IDS
                 else "a built-in rule" if invariant_id in BUILTIN_IDS
                 else "another rule of this pack or case")
        reader.fail(fields["id"][1], f"invariant id {invariant_id!r} is already the id of {whose}: choose another")
        return None
    expr_node = fields["expr"][1]
    text = reader.text(expr_node, "an expression such as 'executed <= budget'")
    if text is None:
        return None
    where_at = reader.at(expr_node)
    try:
        expression = parse(text)
    except ExpressionError as error:
        reader.fail(expr_node, f"invariant {invariant_id!r}: at column {error.column} of the expression: {error.message}")
        return None
    severity = "error"
    if "severity" in fields:
        severity = reader.text(fields["severity"][1], "a severity")
        problem = severity_problem(severity)
        if problem:
            reader.fail(fields["severity"][1], problem)
            return None
    description = (reader.text(fields["description"][1], "a description") or "") if "description" in fields else ""
    where = None
    if "where" in fields:
        where = read_selector(reader, fields["where"][1])
        if where is None:
            return None
        if expression.is_global:
            reader.fail(fields["where"][0], f"invariant {invariant_id!r} names only $node measures, so it is "
                                            f"checked once; 'where' would select nothing")
            return None
    return Invariant(invariant_id, expression, description.strip(), severity, where, where_at, in_case)


