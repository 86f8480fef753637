"""The overlay: an in-memory copy of the part of the store a scenario touches.

:func:`build` copies, with the CONSTRUCT queries in ``queries/scenario/``, the
gemeente, all its taakuitvoeringen and mandaten, the organisations around it
(uitvoerders, arrangementen, GRs and regio's it is a member of, contract
parties, and every organisation a scenario names) with their memberships and
members, valid GR version, bestuursorganen, vertegenwoordigingen and
geldstromen, and the contracts it can touch, into a pyoxigraph store in memory.
The bundled vocabularies (taken, deelgebieden, klantreizen, ...) are added from
their files. From an embedded store the triples go over as pyoxigraph terms,
without a round trip through rdflib.

Scenarios are applied to a copy of the overlay with the SPARQL Updates in
``queries/scenario/*.ru``; the store the overlay came from is only read, never
written. The same named queries then run on the overlay before and after.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Identifier

from ..errors import UserError
from ..queries import NamedQuery, Param, QueryLibrary, _parse_param, load_query_file
from ..resources import resource_dir, vocabulary_files
from ..sparql import _tokens, bind, bind_each
from ..store import EmbeddedStore, Store
from ..store.base import Table
from ..store.terms import from_ox, to_ox

Row = dict[str, Identifier | None]

#: CONSTRUCT queries anchored on the gemeente (its parameters: gemeente, peildatum).
GEMEENTE_QUERIES = ("overlay-gemeente", "overlay-uitvoeringen")
#: CONSTRUCT queries run for the list of organisations (?organisatie).
ORGANISATIE_QUERIES = ("overlay-organisaties", "overlay-lidmaatschappen", "overlay-versies",
                       "overlay-bestuursorganen", "overlay-vertegenwoordigingen",
                       "overlay-financiering")
#: The CONSTRUCT query run for the members (?lid) of the memberships overlay-lidmaatschappen
#: copied.
LEDEN_QUERY = "overlay-leden"

_MEMBER = ox.NamedNode("http://www.w3.org/ns/org#member")


def scenario_folder() -> Path:
    return resource_dir("queries") / "scenario"


@cache
def _query(name: str, mtime: float) -> NamedQuery:  # mtime: reread when the file changes
    return load_query_file(scenario_folder() / f"{name}.rq")


def query(name: str) -> NamedQuery:
    """A query of ``queries/scenario/`` (SELECT or CONSTRUCT, with a header)."""
    path = scenario_folder() / f"{name}.rq"
    if not path.exists():
        raise UserError(f"no scenario query named {name!r}")
    return _query(name, path.stat().st_mtime)


class Update:
    """A SPARQL Update file of ``queries/scenario/`` with the same header as a query."""

    def __init__(self, name: str) -> None:
        path = scenario_folder() / f"{name}.ru"
        self.name = name
        self.text = path.read_text(encoding="utf-8")
        params: list[Param] = []
        for lineno, line in enumerate(self.text.splitlines(), start=1):
            stripped = line.strip()
            if stripped and not stripped.startswith("#"):
                break
            m = re.match(r"#\s*param\s*:\s*(.*)$", stripped)
            if m:
                params.append(_parse_param(m.group(1), str(path), lineno))
        self.params = tuple(params)

    def bound(self, values: Mapping[str, str | None]) -> str:
        """The update with a VALUES block of typed terms at the start of every WHERE group."""
        known = {p.name for p in self.params}
        unknown = sorted(set(values) - known)
        if unknown:
            raise UserError(f"update {self.name!r} has no parameter {unknown[0]!r}")
        terms = [(p.name, p.to_term(values.get(p.name))) for p in self.params]
        items = [(k, v) for k, v in terms if v is not None]
        if not items:
            return self.text
        block = (f" VALUES ({' '.join('?' + k for k, _ in items)}) "
                 f"{{ ({' '.join(v.n3() for _, v in items)}) }} ")
        positions, depth, after_where = [], 0, False
        for kind, start, end in _tokens(self.text):
            if kind == "{":
                if depth == 0 and after_where:
                    positions.append(start + 1)
                after_where = False
                depth += 1
            elif kind == "}":
                depth -= 1
            elif depth == 0:
                after_where = self.text[start:end].upper() == "WHERE"
        text = self.text
        for pos in reversed(positions):
            text = text[:pos] + block + text[pos:]
        return text


@cache
def _update(name: str, mtime: float) -> Update:
    return Update(name)


def update(name: str) -> Update:
    path = scenario_folder() / f"{name}.ru"
    return _update(name, path.stat().st_mtime)


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


#: pyoxigraph term -> rdflib term, shared by all overlays: the rows of the queries on the
#: overlays repeat the same few thousand terms, and converting each is most of their cost.
_TERMS: dict[object, Identifier] = {}
_TERMS_MAX = 200_000


def _term(term: object) -> Identifier | None:
    if term is None:
        return None
    found = _TERMS.get(term)
    if found is None:
        if len(_TERMS) >= _TERMS_MAX:
            _TERMS.clear()
        found = _TERMS[term] = from_ox(term)
    return found


#: (query text, parameters) -> the text with the parameters bound: every overlay runs the
#: same few queries with the same parameters, and binding tokenises the whole text.
_BOUND: dict[tuple[str, frozenset], str] = {}
_BOUND_MAX = 2_000


class Overlay(EmbeddedStore):
    """An embedded store in memory, everything in its default graph (so updates see it)."""

    def __init__(self) -> None:
        super().__init__(None)
        self.library = QueryLibrary()
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

    def query(self, text: str, bindings: Mapping[str, Identifier | None] | None = None
              ) -> Table | bool | Graph:
        """As :meth:`Store.query`; the bound text is kept for the next overlay."""
        key = (text, frozenset((bindings or {}).items()))
        bound = _BOUND.get(key)
        if bound is None:
            if len(_BOUND) >= _BOUND_MAX:
                _BOUND.clear()
            bound = _BOUND[key] = bind(text, bindings)
        return super().query(bound)

    def _select(self, text: str) -> Table:
        """As :meth:`EmbeddedStore._select`, converting each distinct term once."""
        solutions = self._run(text)
        columns = [v.value for v in solutions.variables]
        return Table(columns, [tuple(_term(t) for t in s) for s in solutions])

    def quads(self, subject: ox.NamedNode | ox.BlankNode | None, predicate: ox.NamedNode | None,
              obj: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Iterable[ox.Quad]:
        """The quads that match a pattern (None: any)."""
        return self._store.quads_for_pattern(subject, predicate, obj)

    def copy(self) -> Overlay:
        other = Overlay()
        other._store.extend(self._store)
        return other

    def rows(self, name: str, values: Mapping[str, str | None] | None = None) -> list[Row]:
        """Rows of a named query (``queries/``) run on the overlay."""
        return self.library.get(name).run(self, dict(values or {})).dicts()

    def scenario_rows(self, name: str, values: Mapping[str, str | None] | None = None,
                      each: tuple[str, list[str]] | None = None) -> list[Row]:
        """Rows of a query of ``queries/scenario/`` on the overlay; ``each`` binds a list."""
        q = query(name)
        text = bind(q.text, q.bindings(dict(values or {})))
        if each is not None:
            if not each[1]:
                return []
            text = bind_each(text, each[0], [URIRef(i) for i in each[1]])
        return self.select(text).dicts()

    def run_update(self, name: str, values: Mapping[str, str | None]) -> None:
        self.update(update(name).bound(values))

    def nquads(self) -> str:
        """The overlay as sorted N-Quads (for tests and debugging)."""
        return "".join(sorted(
            (ox.serialize([q], format=ox.RdfFormat.N_QUADS) or b"").decode("utf-8")
            for q in self._store
        ))


def _construct(source: Store, name: str, values: Mapping[str, str | None],
               each: tuple[str, list[str]] | None = None) -> Iterable[ox.Triple]:
    """The triples of a CONSTRUCT query of ``queries/scenario/`` on ``source``."""
    q = query(name)
    if q.form != "CONSTRUCT":
        raise TypeError(f"scenario query {name!r} is not a CONSTRUCT query")
    text = bind(q.text, q.bindings(dict(values)))
    if each is not None:
        text = bind_each(text, each[0], [URIRef(i) for i in each[1]])
    if isinstance(source, EmbeddedStore):
        # pyoxigraph's triples as they are: no round trip through rdflib terms
        return source.native_query(text)
    result = source.query(text)
    if not isinstance(result, Graph):
        raise TypeError(f"scenario query {name!r} is not a CONSTRUCT query")
    return (ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in result)


def build(source: Store, gemeente: str, peildatum: str,
          organisaties: Iterable[str] = ()) -> Overlay:
    """Copy what a scenario of ``gemeente`` on ``peildatum`` needs from ``source``.

    ``organisaties`` are extra organisations (those the scenarios name) copied
    like the ones around the gemeente. ``source`` is only read.
    """
    values = {"gemeente": gemeente, "peildatum": peildatum}
    found = [str(r["organisatie"]) for r in query("organisaties").run(source, values).dicts()
             if r.get("organisatie") is not None]
    orgs = list(dict.fromkeys([*found, *organisaties]))
    contracts = [str(r["overeenkomst"])
                 for r in query("overeenkomsten").run(source, values).dicts()
                 if r.get("overeenkomst") is not None]
    overlay = Overlay()
    overlay.add_ox(vocabulary())
    for name in GEMEENTE_QUERIES:
        overlay.add_ox(_construct(source, name, {"gemeente": gemeente}))
    members: set[str] = set()
    for name in ORGANISATIE_QUERIES:
        q = query(name)
        params = {p.name: values[p.name] for p in q.params if p.name in values}
        for chunk in _chunks(orgs, 200):
            triples = list(_construct(source, name, params, ("organisatie", chunk)))
            if name == "overlay-lidmaatschappen":  # members must be IRIs (shapes)
                members.update(t.object.value for t in triples
                               if t.predicate == _MEMBER and isinstance(t.object, ox.NamedNode))
            overlay.add_ox(triples)
    for chunk in _chunks(sorted(members), 200):
        overlay.add_ox(_construct(source, LEDEN_QUERY, {}, ("lid", chunk)))
    for chunk in _chunks(contracts, 200):
        overlay.add_ox(_construct(source, "overlay-overeenkomsten", {},
                                  ("overeenkomst", chunk)))
    return overlay


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i:i + size] for i in range(0, len(items), size)]
