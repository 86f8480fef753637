"""How views reach the core: the store, the query library, a runner in the page's language,
and the preamble every page about one gemeente shares.

A view parses the request, calls a page of :mod:`sdgraph.pages` with
:func:`runner`, and answers with :func:`web.export.respond`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import wraps
from typing import Any

from flask import current_app, g, redirect, request, url_for
from rdflib import Graph

from sdgraph.config import Settings
from sdgraph.pages import gemeente as gemeente_pages
from sdgraph.pages.query import QueryResult
from sdgraph.queries import QueryLibrary
from sdgraph.runner import Runner
from sdgraph.store import EmbeddedStore, Store

STORE_KEY = "sdgraph.store"
QUERIES_KEY = "sdgraph.queries"
SETTINGS_KEY = "sdgraph.settings"


def store() -> Store:
    return current_app.extensions[STORE_KEY]


def library() -> QueryLibrary:
    return current_app.extensions[QUERIES_KEY]


def settings() -> Settings:
    return current_app.extensions[SETTINGS_KEY]


def lang() -> str:
    return g.get("lang", "nl")


def runner() -> Runner:
    """Named queries on the app's store, in the page's language."""
    return Runner(store(), library(), lang())


def run(name: str, values: Mapping[str, str | None] | None = None,
        rows: int | None = None) -> QueryResult:
    """Run the named query ``name`` with text ``values`` (None or '' = the default);
    ``rows``: a page shows only the first rows (:meth:`Runner.result`)."""
    return runner().result(name, values, rows=rows)


def graph(name: str, values: Mapping[str, str | None] | None = None) -> Graph:
    """Run the named CONSTRUCT/DESCRIBE query ``name`` and return its graph."""
    return runner().graph(name, values)


@contextmanager
def writer() -> Iterator[Store]:
    """A store to write to for the length of one admin action.

    The web app reads an embedded store read-only; a write opens it for writing
    just for the action (taking the lock: it waits ``Settings.lock_wait`` for a CLI
    load in progress, then fails with a StoreError) and closes it again, after which
    every reader sees the change on its next query. A remote store is written directly.
    """
    current = store()
    if isinstance(current, EmbeddedStore) and current.read_only:
        writable = EmbeddedStore(current.path, lock_wait=settings().lock_wait)
        try:
            yield writable
        finally:
            writable.close()
    else:
        yield current


def gemeente_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """The preamble of every page about one gemeente: look it up (404 when unknown),
    redirect a code written otherwise to the canonical one (``gm0823`` -> ``GM0823``),
    note whether it existed on the peildatum asked for (``g.bestaan``, shown by
    base.html), and pass the view the :class:`~sdgraph.pages.gemeente.Gemeente` and
    that peildatum (None: the page's default)."""

    @wraps(view)
    def wrapper(code: str, **kwargs: Any):
        found = gemeente_pages.lookup(runner(), code)
        if not found.canonical:
            args = request.args.to_dict(flat=False)
            view_args = {**(request.view_args or {}), "code": found.code}
            return redirect(url_for(request.endpoint, **view_args, **args), 301)
        peildatum = request.args.get("peildatum") or None
        # a notice on the page when the gemeente did not exist that day (base.html)
        g.bestaan = gemeente_pages.bestaan(runner(), found, peildatum)
        if g.bestaan is not None:
            g.bestaan_naam = found.naam
            g.bestaan_naar = [
                (url_for(request.endpoint, **{**(request.view_args or {}), "code": other},
                         peildatum=peildatum), naam or other)
                for other, naam, _ in g.bestaan.naar]
        return view(found, peildatum, **kwargs)

    return wrapper
