"""Run named queries for a page: the only way views reach the store.

A view names a query and passes the user's text values; the query's typed
parameters convert them (a bad value is a :class:`~sdgraph.errors.UserError`).
When a query declares a ``lang`` parameter it gets the page's language.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import Response, current_app, g
from rdflib import Graph
from rdflib.term import Identifier

from sdgraph.namespaces import PREFIXES
from sdgraph.output import render
from sdgraph.queries import NamedQuery, QueryLibrary
from sdgraph.store import EmbeddedStore, Store, Table

FORMATS = {
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}


def store() -> Store:
    return current_app.extensions["sdgraph.store"]


@contextmanager
def writer() -> Iterator[Store]:
    """A store to write to for the length of one admin action.

    The web app reads an embedded store read-only; a write opens it for writing
    just for the action (taking the lock, so it waits for no one: a CLI load in
    progress makes this a StoreError) and closes it again, after which every
    reader sees the change on its next query. A remote store is written directly.
    """
    current = store()
    if isinstance(current, EmbeddedStore) and current.read_only:
        writable = EmbeddedStore(current.path)
        try:
            yield writable
        finally:
            writable.close()
    else:
        yield current


def library() -> QueryLibrary:
    return current_app.extensions["sdgraph.queries"]


@dataclass
class Result:
    """A query's rows plus what a page shows about it (title, parameters)."""

    query: NamedQuery
    table: Table
    params: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def name(self) -> str:
        return self.query.name

    @property
    def title(self) -> str:
        return self.query.label(g.get("lang", "nl"))

    @property
    def description(self) -> str:
        return self.query.describe(g.get("lang", "nl"))

    @property
    def rows(self) -> list[dict[str, Identifier | None]]:
        return self.table.dicts()

    @property
    def first(self) -> dict[str, Identifier | None] | None:
        rows = self.rows
        return rows[0] if rows else None

    def __len__(self) -> int:
        return len(self.table)

    def __bool__(self) -> bool:
        return True  # an empty result is still a result


def run(name: str, values: Mapping[str, str | None] | None = None) -> Result:
    """Run the named query ``name`` with text ``values`` (None or '' = the default)."""
    query = library().get(name)
    given = {k: v for k, v in (values or {}).items()}
    if any(p.name == "lang" for p in query.params):
        given.setdefault("lang", g.get("lang", "nl"))
    bindings = query.bindings(given)
    started = time.perf_counter()
    table = query.run(store(), given)  # national aggregates come from the query cache
    seconds = time.perf_counter() - started
    if not isinstance(table, Table):
        raise TypeError(f"query {name!r} is not a SELECT query")
    params = {k: str(v) for k, v in bindings.items() if v is not None}
    return Result(query, table, params, seconds)


def graph(name: str, values: Mapping[str, str | None] | None = None) -> Graph:
    """Run the named CONSTRUCT/DESCRIBE query ``name`` and return its graph."""
    query = library().get(name)
    result = store().query(query.text, query.bindings(dict(values or {})))
    if not isinstance(result, Graph):
        raise TypeError(f"query {name!r} is not a CONSTRUCT or DESCRIBE query")
    for prefix, namespace in PREFIXES.items():
        result.bind(prefix, namespace, override=True)
    return result


def download(result: Result, fmt: str) -> Response:
    """The result as JSON or CSV via :func:`sdgraph.output.render`."""
    body = render(result.table, fmt, {"query": result.name, "params": result.params})
    response = Response(body, mimetype=FORMATS[fmt].split(";")[0])
    response.headers["Content-Type"] = FORMATS[fmt]
    if fmt == "csv":
        response.headers["Content-Disposition"] = f'inline; filename="{result.name}.csv"'
    return response
