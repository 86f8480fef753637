"""The query runner a page gets: named queries of one library, on one store, in one language.

The CLI and the web build one per command or request (the web in the page's
language) and hand it to a page function in :mod:`sdgraph.pages`; the page never
sees where the store is or which folders the queries come from.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from rdflib import Graph

from .namespaces import PREFIXES
from .pages.query import QueryResult, Row
from .queries import NamedQuery, QueryLibrary, bundled_library
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
        return given

    def result(self, name: str, values: Values | None = None) -> QueryResult:
        """A SELECT query's rows with what a page shows about them (title, parameters)."""
        query = self.query(name)
        given = self._values(query, values)
        bindings = query.bindings(given)
        started = time.perf_counter()
        table = query.run(self.store, given)  # national aggregates come from the query cache
        seconds = time.perf_counter() - started
        if not isinstance(table, Table):
            raise TypeError(f"query {name!r} is not a SELECT query")
        params = {k: str(v) for k, v in bindings.items() if v is not None}
        return QueryResult(query, table, params, seconds, self.lang)

    def rows(self, name: str, values: Values | None = None) -> list[Row]:
        return self.result(name, values).rows

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
