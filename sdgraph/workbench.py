"""The SPARQL workbench: run any read-only query with a row limit, and label its IRIs.

The same read-only rules as the SPARQL endpoint (:mod:`sdgraph.protocol`) apply:
updates, SERVICE and FROM are refused (:mod:`sdgraph.guard`), and the query is
checked and run only in a time-limited query worker. A query without a LIMIT of its own asks for one
row more than the limit, so the page can say there are more. Labels for the IRIs
in a result, and the terms the editor completes, come from the system queries
``queries/system/labels.rq`` and ``terms.rq``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.term import Identifier

from . import guard
from .guard import QueryRefused
from .namespaces import PREFIXES
from .queries import NamedQuery, QueryLibrary
from .sparql import ParseError, bind, query_form, syntax_error, with_limit
from .store import Store, Table

#: Row limits a user can choose; the default is the first.
LIMITS = (1000, 100, 10000)
DEFAULT_LIMIT = LIMITS[0]

#: Labels are looked up in batches of this many IRIs (one query each).
LABEL_BATCH = 2000

#: A local name that can be written after a prefix without escapes (PN_LOCAL, ASCII part).
_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")


@dataclass
class Outcome:
    """What a workbench query gave: rows, a yes/no, or triples; and how long it took."""

    form: str
    limit: int
    seconds: float
    table: Table | None = None
    answer: bool | None = None
    triples: list[tuple[Identifier, Identifier, Identifier]] = field(default_factory=list)
    truncated: bool = False
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def count(self) -> int:
        """Rows (or triples) shown: at most the limit."""
        if self.table is not None:
            return len(self.table)
        return len(self.triples)

    @property
    def rows(self) -> list[dict[str, Identifier | None]]:
        return self.table.dicts() if self.table is not None else []


def check(text: str) -> str:
    """The query form of ``text`` if the workbench may run it, else :class:`QueryRefused`.

    Parses only, nothing is evaluated: the guard (:func:`sdgraph.guard.check`) and
    a syntax check by rdflib's parser. :func:`run` does the same in a query worker.
    """
    form = guard.check(text)
    problem = syntax_error(text)
    if problem is not None:
        raise QueryRefused(problem.message, "syntax", problem)
    return form


def run(store: Store, text: str, limit: int = DEFAULT_LIMIT, lang: str = "nl",
        timeout: float | None = None) -> Outcome:
    """Run ``text`` read-only with at most ``limit`` rows shown, with labels in ``lang``,
    stopped after ``timeout`` seconds.

    The query is checked and evaluated only in a time-limited query worker
    (:meth:`Store.limited_query`); a syntax error comes back with its position.
    """
    if not text.strip():
        raise QueryRefused("empty query", "empty")
    try:
        form = query_form(text)
    except ValueError:
        form = None
    if form == "UPDATE":
        raise QueryRefused(guard.UPDATE_REFUSED, "update")
    limited = text if form in ("ASK", None) else with_limit(text, limit + 1)
    started = time.perf_counter()
    try:
        result = store.limited_query(limited, timeout)
    except QueryRefused as exc:
        if exc.position is not None and limited != text:
            raise QueryRefused(str(exc), exc.reason, _within(text, exc.position)) from None
        raise
    except RuntimeError as exc:  # parsed, but the engine cannot evaluate it
        raise QueryRefused(str(exc), "engine") from None
    seconds = time.perf_counter() - started
    form = "ASK" if isinstance(result, bool) else "SELECT" if isinstance(result, Table) \
        else (form if form in ("CONSTRUCT", "DESCRIBE") else "CONSTRUCT")
    outcome = Outcome(form, limit, seconds)
    if isinstance(result, bool):
        outcome.answer = result
        return outcome
    if isinstance(result, Graph):
        triples = sorted(result, key=lambda t: tuple(x.n3() for x in t))
        outcome.truncated = len(triples) > limit
        outcome.triples = triples[:limit]
        iris = {x for t in outcome.triples for x in t}
    else:
        outcome.truncated = len(result) > limit
        outcome.table = Table(result.columns, result.rows[:limit])
        iris = {x for row in outcome.table.rows for x in row}
    outcome.labels = labels(store, (x for x in iris if isinstance(x, URIRef)), lang)
    return outcome


def _within(text: str, position: ParseError) -> ParseError:
    """A position in the text with the added LIMIT, clamped to the user's own text."""
    lines = text.split("\n")
    if position.line <= len(lines):
        return position
    return ParseError(len(lines), len(lines[-1]) + 1, position.message)


def labels(store: Store, iris: Iterable[URIRef], lang: str = "nl",
           library: QueryLibrary | None = None) -> dict[str, str]:
    """IRI -> label (rdfs:label or skos:prefLabel), preferring ``lang``, then Dutch, then none."""
    query = (library or QueryLibrary()).get("system/labels")
    todo = sorted({URIRef(str(i)) for i in iris}, key=str)
    rank = {None: 2, "nl": 1, lang: 0}
    best: dict[str, tuple[int, str]] = {}
    for start in range(0, len(todo), LABEL_BATCH):
        batch = todo[start : start + LABEL_BATCH]
        table = query.run(store, {"lang": lang}, each=("iri", [str(i) for i in batch]))
        for iri, label in table.rows:
            if not isinstance(label, Literal):
                continue
            key = (rank.get(label.language, 3), str(label))
            if str(iri) not in best or key < best[str(iri)]:
                best[str(iri)] = key
    return {iri: label for iri, (_, label) in best.items()}


def prefixed_name(iri: str) -> str | None:
    """``sd:Gemeente`` for an IRI in a project namespace, when SPARQL can write it so."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            return f"{prefix}:{local}" if _LOCAL.match(local) else None
    return None


def terms(store: Store, lang: str = "nl",
          library: QueryLibrary | None = None) -> list[dict[str, str | None]]:
    """The ontology's classes and properties and the vocabularies' concepts, with labels."""
    table = (library or QueryLibrary()).get("system/terms").run(store, {"lang": lang})
    return [
        {
            "iri": str(row["term"]),
            "name": prefixed_name(str(row["term"])),
            "kind": str(row["soort"]),
            "label": str(row["label"]) if row["label"] is not None else None,
        }
        for row in table.dicts()
    ]


@dataclass
class Example:
    """A library query as runnable text: defaults bound in VALUES blocks."""

    name: str
    text: str
    bound: list[str]
    unbound: list[str]


def example(query: NamedQuery, lang: str = "nl") -> Example:
    """``query``'s text with every parameter that has a default bound to it.

    Required parameters (no default) and optional ones (``-``) stay variables.
    """
    given = {"lang": lang} if any(p.name == "lang" for p in query.params) else {}
    bindings: dict[str, Identifier | None] = {}
    for p in query.params:
        if p.required or p.optional:
            continue
        bindings[p.name] = p.to_term(given.get(p.name))
    unbound = [p.name for p in query.params if p.name not in bindings]
    return Example(query.name, bind(query.text, bindings), list(bindings), unbound)

