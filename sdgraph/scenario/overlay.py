"""The overlay: an in-memory copy of the part of the store a scenario touches.

:func:`build` copies, with the CONSTRUCT queries in ``queries/scenario/``, the
gemeente, its taakuitvoeringen valid on the peildatum and their mandaten (every
computation on the overlay reads only those; the earlier and later ones of a long
history are left out), the organisations around it
(uitvoerders, arrangementen, GRs and regio's it is a member of, contract
parties, and every organisation a scenario names) with their memberships and
members, valid GR version, bestuursorganen, vertegenwoordigingen and
geldstromen, and the contracts it can touch, into a pyoxigraph store in memory.
The bundled vocabularies (taken, deelgebieden, klantreizen, ...) are added from
their files. From an embedded store the triples go over as pyoxigraph terms,
without a round trip through rdflib.

Scenarios are applied to a copy of the overlay with the SPARQL Updates in
``queries/scenario/*.ru`` (named updates of the one query library); the store the
overlay came from is only read, never written. The same named queries then run on
the overlay before and after.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Identifier

from ..queries import NamedQuery, QueryLibrary, bundled_library
from ..resources import vocabulary_files
from ..store import EmbeddedStore, Store
from ..store.terms import to_ox

Row = dict[str, Identifier | None]

#: CONSTRUCT queries anchored on the gemeente (their parameters: gemeente, peildatum).
GEMEENTE_QUERIES = ("overlay-gemeente", "overlay-uitvoeringen")
#: CONSTRUCT queries run for the list of organisations (?organisatie).
ORGANISATIE_QUERIES = ("overlay-organisaties", "overlay-lidmaatschappen", "overlay-versies",
                       "overlay-bestuursorganen", "overlay-vertegenwoordigingen",
                       "overlay-financiering")
#: The CONSTRUCT query run for the members (?lid) of the memberships overlay-lidmaatschappen
#: copied.
LEDEN_QUERY = "overlay-leden"

_MEMBER = ox.NamedNode("http://www.w3.org/ns/org#member")


#: The namespace of the scenario queries and updates in the query library.
NAMESPACE = "scenario"


def query(name: str, library: QueryLibrary | None = None) -> NamedQuery:
    """A query or update of ``queries/scenario/`` (with a header, like every named query)."""
    return (library or bundled_library()).get(f"{NAMESPACE}/{name}")


@cache
def _vocabulary(files: tuple[tuple[str, float], ...]) -> tuple[ox.Triple, ...]:
    triples: list[ox.Triple] = []
    for path, _ in files:
        with open(path, "rb") as fh:
            triples += [q.triple for q in ox.parse(fh, ox.RdfFormat.TURTLE,
                                                   base_iri=Path(path).as_uri())]
    return tuple(triples)


def vocabulary() -> tuple[ox.Triple, ...]:
    """The bundled vocabularies (read once per change of the files)."""
    return _vocabulary(tuple((str(p), p.stat().st_mtime) for p in vocabulary_files()))


class Overlay(EmbeddedStore):
    """An embedded store in memory, everything in its default graph (so updates see it)."""

    def __init__(self, library: QueryLibrary | None = None) -> None:
        super().__init__(None)
        self.library = library or bundled_library()
        self._memo: dict[object, object] = {}

    def cached(self, key: object, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per ``key`` (for results on a base overlay, which no update
        changes: scenarios are applied to copies)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def add(self, triples: Iterable[tuple[Identifier, Identifier, Identifier]]) -> None:
        self._store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples)

    def add_ox(self, triples: Iterable[ox.Triple]) -> None:
        self._store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)

    def remove(self, triples: Iterable[tuple[Identifier, Identifier, Identifier]]) -> None:
        for s, p, o in triples:
            self._store.remove(ox.Quad(to_ox(s), to_ox(p), to_ox(o)))

    def quads(self, subject: ox.NamedNode | ox.BlankNode | None, predicate: ox.NamedNode | None,
              obj: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Iterable[ox.Quad]:
        """The quads that match a pattern (None: any)."""
        return self._store.quads_for_pattern(subject, predicate, obj)

    def copy(self) -> Overlay:
        other = Overlay(self.library)
        other._store.extend(self._store)
        return other

    def rows(self, name: str, values: Mapping[str, str | None] | None = None) -> list[Row]:
        """Rows of a named query (``queries/``) run on the overlay."""
        return self.library.get(name).run(self, dict(values or {})).dicts()

    def scenario_rows(self, name: str, values: Mapping[str, str | None] | None = None,
                      each: tuple[str, list[str]] | None = None) -> list[Row]:
        """Rows of a query of ``queries/scenario/`` on the overlay; ``each`` binds a list."""
        return query(name, self.library).run(self, dict(values or {}), each).dicts()

    def run_update(self, name: str, values: Mapping[str, str | None]) -> None:
        """Apply an update of ``queries/scenario/`` to the overlay."""
        query(name, self.library).run(self, values)

    def nquads(self) -> str:
        """The overlay as sorted N-Quads (for tests and debugging)."""
        return "".join(sorted(
            (ox.serialize([q], format=ox.RdfFormat.N_QUADS) or b"").decode("utf-8")
            for q in self._store
        ))


def _construct(source: Store, q: NamedQuery, values: Mapping[str, str | None],
               each: tuple[str, list[str]] | None = None) -> Iterable[ox.Triple]:
    """The triples of a CONSTRUCT query of ``queries/scenario/`` on ``source``."""
    if q.form != "CONSTRUCT":
        raise TypeError(f"scenario query {q.name!r} is not a CONSTRUCT query")
    if isinstance(source, EmbeddedStore):
        # pyoxigraph's triples as they are: no round trip through rdflib terms
        return source.native_query(q.bound(values, each))
    result = source.query(q.text, q.terms(values, each))  # bound as the server needs
    if not isinstance(result, Graph):
        raise TypeError(f"scenario query {q.name!r} is not a CONSTRUCT query")
    return (ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in result)


def build(source: Store, gemeente: str, peildatum: str,
          organisaties: Iterable[str] = (), library: QueryLibrary | None = None) -> Overlay:
    """Copy what a scenario of ``gemeente`` on ``peildatum`` needs from ``source``.

    ``organisaties`` are extra organisations (those the scenarios name) copied
    like the ones around the gemeente. ``source`` is only read.
    """
    library = library or bundled_library()
    values = {"gemeente": gemeente, "peildatum": peildatum}
    found = [str(r["organisatie"])
             for r in query("organisaties", library).run(source, values).dicts()
             if r.get("organisatie") is not None]
    orgs = list(dict.fromkeys([*found, *organisaties]))
    contracts = [str(r["overeenkomst"])
                 for r in query("overeenkomsten", library).run(source, values).dicts()
                 if r.get("overeenkomst") is not None]
    overlay = Overlay(library)
    overlay.add_ox(vocabulary())
    for name in GEMEENTE_QUERIES:
        q = query(name, library)
        params = {p.name: values[p.name] for p in q.params if p.name in values}
        overlay.add_ox(_construct(source, q, params))
    # derived records an inventoried one replaces on the peildatum never enter a scenario
    overlay.run_update("basislijn-voorrang", {"peildatum": peildatum})
    members: set[str] = set()
    for name in ORGANISATIE_QUERIES:
        q = query(name, library)
        params = {p.name: values[p.name] for p in q.params if p.name in values}
        for chunk in _chunks(orgs, 200):
            triples = list(_construct(source, q, params, ("organisatie", chunk)))
            if name == "overlay-lidmaatschappen":  # members must be IRIs (shapes)
                members.update(t.object.value for t in triples
                               if t.predicate == _MEMBER and isinstance(t.object, ox.NamedNode))
            overlay.add_ox(triples)
    for chunk in _chunks(sorted(members), 200):
        overlay.add_ox(_construct(source, query(LEDEN_QUERY, library), {}, ("lid", chunk)))
    for chunk in _chunks(contracts, 200):
        overlay.add_ox(_construct(source, query("overlay-overeenkomsten", library), {},
                                  ("overeenkomst", chunk)))
    return overlay


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i:i + size] for i in range(0, len(items), size)]
