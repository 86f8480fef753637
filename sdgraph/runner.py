"""The query runner a page gets: named queries of one library, on one store, in one language.

The CLI and the web build one per command or request (the web in the page's
language) and hand it to a page function in :mod:`sdgraph.pages`; the page never
sees where the store is or which folders the queries come from.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from rdflib import Graph

from .identity import gemeente_code
from .namespaces import PREFIXES
from .pages.query import QueryResult, Row
from .queries import NamedQuery, QueryLibrary, bundled_library, is_iri
from .store import Store, Table

Values = Mapping[str, str | None]


class Runner:
    """Runs named queries; a query that declares a ``lang`` parameter gets the runner's."""

    def __init__(self, store: Store, library: QueryLibrary | None = None,
                 lang: str = "nl") -> None:
        self.store = store
        self.library = library or bundled_library()
        self.lang = lang

    def query(self, name: str) -> NamedQuery:
        return self.library.get(name)

    def _values(self, query: NamedQuery, values: Values | None) -> dict[str, str | None]:
        given = dict(values or {})
        if any(p.name == "lang" for p in query.params):
            given.setdefault("lang", self.lang)
        for param in query.params:
            value = (given.get(param.name) or "").strip()
            if value and param.type in ("gemeente", "organisatie"):
                # a name typed into a form may carry spaces; other values pass as sent
                given[param.name] = self.resolve(param.type, value)
        return given

    def resolve(self, kind: str, value: str) -> str:
        """A name given for a ``gemeente`` (-> its code) or an ``organisatie`` (-> its IRI)
        through the search index; codes, IRIs and other types pass unchanged."""
        from . import search

        if kind == "gemeente" and gemeente_code(value) is None and not is_iri(value):
            return search.index(self).resolve(value, ("gemeente",), "gemeente").gm_code
        if kind == "organisatie" and not is_iri(value):
            return search.index(self).resolve(value, search.ORGANISATIES, "organisatie").iri
        return value

    def result(self, name: str, values: Values | None = None,
               each: tuple[str, list[str]] | None = None,
               rows: int | None = None) -> QueryResult:
        """A SELECT query's rows with what a page shows about them (title, parameters);
        ``each`` binds one parameter to a list of values, ``rows`` asks for the first
        rows only (see :meth:`NamedQuery.run`)."""
        query = self.query(name)
        given = self._values(query, values)
        bindings = query.bindings(given)
        started = time.perf_counter()
        # national aggregates come from the query cache
        table = query.run(self.store, given, each, rows)
        seconds = time.perf_counter() - started
        if not isinstance(table, Table):
            raise TypeError(f"query {name!r} is not a SELECT query")
        params = {k: str(v) for k, v in bindings.items() if v is not None}
        return QueryResult(query, table, params, seconds, self.lang, self.labels)

    def labels(self, iris) -> dict[str, str]:
        """IRI -> name (rdfs:label or skos:prefLabel, in the runner's language first)."""
        from .workbench import labels

        return labels(self.store, iris, self.lang, self.library)

    def rows(self, name: str, values: Values | None = None,
             each: tuple[str, list[str]] | None = None) -> list[Row]:
        return self.result(name, values, each).rows

    __call__ = rows

    def graph(self, name: str, values: Values | None = None) -> Graph:
        """A CONSTRUCT or DESCRIBE query's graph, with the project's prefixes bound."""
        query = self.query(name)
        result = query.run(self.store, self._values(query, values))
        if not isinstance(result, Graph):
            raise TypeError(f"query {name!r} is not a CONSTRUCT or DESCRIBE query")
        for prefix, namespace in PREFIXES.items():
            result.bind(prefix, namespace, override=True)
        return result

    def with_lang(self, lang: str) -> Runner:
        return Runner(self.store, self.library, lang)
