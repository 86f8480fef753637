"""Rules that derive facts from register facts, each fact with rule, evidence and provenance.

* :mod:`.gr_taken`: which wetten and taken a GR version serves, from its register text
  (graph ``ref/gr-taken``; docs/gr-classification.md);
* :mod:`.rules` and :mod:`.baseline`: the baseline, who executes which taak in which
  deelgebied for every gemeente, from GR memberships, regio-indelingen and the law
  (graph ``afgeleid/basislijn``; docs/baseline.md).

The baseline is derived from the register facts only (the reference graphs, or an
example's register stand-in), never from inventories or examples, on an in-memory copy;
:func:`register_sources_store` and :func:`register_copy` make that copy,
:func:`derive_and_load` runs it on a store and replaces the baseline graph.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import pyoxigraph as ox

from ..graphs import EXAMPLE_PREFIX, REFERENCE_PREFIX, STAND_IN_SUFFIX
from ..namespaces import GRAPH
from ..resources import vocabulary_files
from ..store import EmbeddedStore, LoadResult, Source, Store
from .baseline import GRAPH_IRI, Basislijn, baseline_source, derive

#: Reference graphs that hold no register facts the rules read (key figures).
NOT_REGISTER = (str(GRAPH["ref/cbs-sociaal"]),)


def is_register_graph(graph: str) -> bool:
    """A graph of register facts: a reference graph (not the key figures) or an example's
    register stand-in."""
    if graph.startswith(REFERENCE_PREFIX):
        return graph not in NOT_REGISTER
    return graph.startswith(EXAMPLE_PREFIX) and graph.endswith(STAND_IN_SUFFIX)


class Werkgeheugen(EmbeddedStore):
    """An embedded store in memory with everything in its default graph."""

    def __init__(self) -> None:
        super().__init__(None)
        with_vocab = []
        for path in vocabulary_files():
            with open(path, "rb") as fh:
                with_vocab += [q.triple for q in ox.parse(fh, ox.RdfFormat.TURTLE,
                                                          base_iri=path.as_uri())]
        self.add(with_vocab)

    def add(self, triples: Iterable[ox.Triple]) -> None:
        self._store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)


def register_sources_store(sources: Iterable[Source]) -> Werkgeheugen:
    """The register facts among ``sources`` (by target graph) and the vocabularies."""
    memory = Werkgeheugen()
    for source in sources:
        if source.graph and is_register_graph(source.graph):
            memory.add(q.triple for q in ox.parse(source.read(), source.rdf_format(),
                                                  without_named_graphs=True))
    return memory


def register_copy(store: Store) -> Werkgeheugen:
    """A copy of the register graphs of ``store`` and the vocabularies."""
    memory = Werkgeheugen()
    for graph in store.named_graphs():
        if not is_register_graph(graph):
            continue
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        if isinstance(store, EmbeddedStore):
            memory.add(store.native_query(query))
        else:
            from ..store.terms import to_ox

            memory.add(ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in store.query(query))
    return memory


def has_register_facts(store: Store) -> bool:
    return any(is_register_graph(g) for g in store.named_graphs())


def derive_and_load(store: Store) -> tuple[Basislijn, list[LoadResult]]:
    """Derive the baseline from the register graphs of ``store`` and replace its graph."""
    started = time.perf_counter()
    memory = register_copy(store)
    copied = time.perf_counter() - started
    basislijn = derive(memory)
    basislijn.seconds["kopie"] = copied
    started = time.perf_counter()
    loaded = store.load([baseline_source(basislijn)])
    basislijn.seconds["laden"] = time.perf_counter() - started
    return basislijn, loaded


__all__ = ["GRAPH_IRI", "Basislijn", "Werkgeheugen", "baseline_source", "derive",
           "derive_and_load", "has_register_facts", "is_register_graph", "register_copy",
           "register_sources_store"]
