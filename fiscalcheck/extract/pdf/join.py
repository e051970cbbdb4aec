"""Tables continued on the next page, joined into one.

A department report prints a long table over two or three pages, and only its
first part carries the title, the "单位：" line and the header. Read page by
page, the continuation is a headless table whose rows would be summed apart
from their class: every classification-code sum the peer tool finds failing on
its sample is such a row. A table is joined to the one before it when it has no
title and no unit line of its own, starts on the next page, and has the same
number of columns. Each row keeps the page, table and row it was printed at.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from .pages import Table

__all__ = ["join_tables", "continues"]


def continues(previous: Table, table: Table) -> bool:
    """Whether ``table`` is the next page's part of ``previous``."""
    last_page = (previous.pages or (previous.page,))[-1]
    return (
        table.title is None
        and table.unit is None
        and table.page == last_page + 1
        and table.index == 1
        and table.width == previous.width
    )


def join_tables(tables: Iterable[Table]) -> tuple[Table, ...]:
    """Every table, with each continuation appended to the table it continues."""
    out: list[Table] = []
    for table in tables:
        if out and continues(out[-1], table):
            head = out[-1]
            out[-1] = attrs.evolve(head, rows=head.rows + table.rows,
                                   pages=(head.pages or (head.page,)) + (table.page,))
        else:
            out.append(table)
    return tuple(out)
