"""The case: sources, the node tree, relations, transfers and the policy, as one frozen value.

The case is data. Checking it (:func:`fiscalcheck.api.check`, or
``fiscalcheck.Case.check``) and showing it (:mod:`fiscalcheck.render`) live in
later steps of the path; here are only the figures and the index of parents
and paths every rule reads, built once because the case never changes.

The case's rule pack, invariants and waivers are held as given (objects of
:mod:`fiscalcheck.rules` and :mod:`fiscalcheck.findings`, steps above this one):
the model stores them, it never calls them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from ..figures import Policy
from ..record import Record
from .records import Node, Relation, Source, Statement, Transfer

__all__ = ["Case"]


#: How many ids a node's path names in full (a deeper one is ``root/…/`` and the last ones).
PATH_DEPTH = 8


@attrs.frozen(repr=False, eq=False)
class Case(Record):
    """A whole case: sources, the node tree, relations, transfers and the policy.

    ``nodes`` is ordered as the case file wrote them.
    """

    id: str
    sources: Mapping[str, Source]
    nodes: Mapping[str, Node]
    relations: tuple[Relation, ...] = ()
    transfers: tuple[Transfer, ...] = ()
    policy: Policy = Policy()
    title: str = ""
    files: tuple[str, ...] = attrs.field(default=(), eq=False, repr=False)
    #: The rule pack the case names (``rules: strict``), its own invariants, and the
    #: findings it accepts: see docs/rules.md, :mod:`fiscalcheck.rules.packs`, :mod:`fiscalcheck.findings.waivers`.
    rules: object = None  # a fiscalcheck.rules.RulePack
    invariants: tuple = ()  # of fiscalcheck.rules.Invariant
    waivers: tuple = ()  # of fiscalcheck.findings.Waiver
    #: Tables the case reads line items from (``tables:``): :mod:`fiscalcheck.model.table`.
    tables: tuple = ()  # of fiscalcheck.model.table.Table
    _parents: dict[str, tuple[str, ...]] = attrs.field(init=False, factory=dict, eq=False, repr=False)
    #: node id -> (its root, its depth, the parent its path goes through): the paths' working state
    _places: dict[str, tuple[str, int, str | None]] = attrs.field(init=False, factory=dict, eq=False, repr=False)

    def parents(self, node_id: str) -> tuple[str, ...]:
        """Every node that lists ``node_id`` among its children."""
        if not self._parents and self.nodes:  # an index, built once: the case never changes
            index: dict[str, list[str]] = {}
            for node in self.nodes.values():
                for child in node.children:
                    index.setdefault(child, []).append(node.id)
            self._parents.update({child: tuple(ids) for child, ids in index.items()})
            self._parents.setdefault("", ())  # marks the index as built
        return self._parents.get(node_id, ())

    @property
    def roots(self) -> tuple[str, ...]:
        children = {c for n in self.nodes.values() for c in n.children}
        return tuple(i for i in self.nodes if i not in children)

    def path(self, node_id: str) -> str:
        """``parent/child`` path of a node, through its first parent.

        Every finding names its node's path. Each node's place (its root, its depth, the parent
        its path goes through) is worked out once (the case never changes), from its parent's,
        so a chain of N shared nodes costs N steps, not N²/2; a path is then written from at most
        :data:`PATH_DEPTH` of them. A path deeper than that names its root, ``…`` and its last
        :data:`PATH_DEPTH` ids, so no message grows with the depth of the tree.
        """
        places = self._places
        if node_id not in places:
            self._place(node_id)
        root, depth, _ = places[node_id]
        ids = []
        current: str | None = node_id
        for _ in range(min(depth, PATH_DEPTH)):
            ids.append(current)
            current = places[current][2]
        ids.reverse()
        return "/".join(ids) if depth <= PATH_DEPTH else f"{root}/…/{'/'.join(ids)}"

    def _place(self, node_id: str) -> None:
        """The places of ``node_id`` and of the ancestors not placed yet (a cycle ends where it closes)."""
        places = self._places
        climb = [node_id]
        seen = {node_id}
        while climb[-1] not in places:
            parents = self.parents(climb[-1])
            if not parents or parents[0] in seen:
                places[climb[-1]] = (climb[-1], 1, None)
                break
            climb.append(parents[0])
            seen.add(parents[0])
        above = climb.pop()
        for current in reversed(climb):
            root, depth, _ = places[above]
            places[current] = (root, depth + 1, above)
            above = current

    def statements(self) -> Iterable[tuple[Node, str, Statement]]:
        """Every statement of the case, with its node and measure name."""
        for node in self.nodes.values():
            for measure, statements in node.measures.items():
                for statement in statements:
                    yield node, measure, statement
        for transfer in self.transfers:
            for statement in transfer.amount:
                yield self.nodes[transfer.source_fund], "transfer", statement
