"""The named graphs of a store: which graph holds what (docs/architecture.md).

``ontology``, ``vocab/<name>``, ``example/<name>`` (and ``example/<name>/register``,
the stand-in for the register facts the example needs), ``ref/<source>`` for the
national reference graph, ``afgeleid/basislijn`` for the baseline derived from the
register facts (:mod:`sdgraph.derive`), ``file/<name>`` for user files.
"""

from __future__ import annotations

from .namespaces import GRAPH
from .store import Store

REFERENCE_PREFIX = str(GRAPH["ref/"])
EXAMPLE_PREFIX = str(GRAPH["example/"])
STAND_IN_SUFFIX = "/register"


def has_reference(store: Store) -> bool:
    """True when the store holds a graph of the national reference build."""
    return any(g.startswith(REFERENCE_PREFIX) for g in store.named_graphs())


def drop_stand_ins(store: Store) -> list[str]:
    """Remove the examples' register stand-ins (the reference graph is there); return them."""
    dropped = [g for g in store.named_graphs()
               if g.startswith(EXAMPLE_PREFIX) and g.endswith(STAND_IN_SUFFIX)]
    for graph in dropped:
        store.drop_graph(graph)
    return dropped
