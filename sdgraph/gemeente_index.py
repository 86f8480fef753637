"""Per-gemeente results of the ``# index: gemeente`` queries, materialised at load
(graph ``afgeleid/gemeente-index``).

Some queries of the gemeente page and the foto read many records per request:
``kerncijfers`` every CBS observation of the gemeente (321 at 1m, about 30 ms in
Oxigraph, one lookup per property of each), ``contracten`` every taakuitvoering of
the gemeente to find the contracts it runs through, ``regio-indeling`` and
``opvolging`` fewer, on both pages. Their rows for one gemeente are the rows of the
same query run once for the whole country with ``?gemeente`` unbound and projected,
so the load runs that national query and keeps, per gemeente, its rows as JSON (the
encoding of :mod:`sdgraph.materialise`); a request reads one entry instead of the
records.

The header ``# index: gemeente`` declares that contract for a query: ``?gemeente``
is in scope in its outer group and in the GROUP BY of an aggregate, and its other
parameters are optional (the index serves a run where they are unbound; any other
run goes to SPARQL), except two the index applies itself:

- ``# valid: van tot`` (two projected columns): with ``?peildatum``
  unbound the query gives the rows of every period, and on a peildatum those where
  ``van`` is unbound or at most the peildatum and ``tot`` unbound or after it (the
  query's own FILTER, applied in Python to ``xsd:date`` values; a row with another
  kind of value makes the request run live);
- ``lang``: entries are kept per language of :data:`LANGS`.

The national text is the query's own with ``?gemeente`` added to the projection and
without ORDER BY; a request's rows are in the order of the query's ORDER BY (plain
variables), ties in the national order. tests/test_gemeente_index.py compares both
paths for every gemeente, on hand-written data and on the national graph.

Never stale: per query, a marker keeps the input version it was made for
(:func:`sdgraph.materialise.input_version` of the predicates the query reads, and
the checksum of its text); when the store's differs, :func:`answer` returns None
and the query runs live. A load that changes none of those predicates (a user file
with other properties, the bench's tick) keeps the entries; one that does (an
inventory: labels, ``sd:gemeente``) recomputes them whole (docs/performance.md).
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from .materialise import (
    _from_json,
    _to_json,
    at_once,
    index_triples,
    input_version,
    library_or_bundled,
    predicates,
)
from .namespaces import GRAPH, SDID
from .sparql import bind
from .store import Store, Table

if TYPE_CHECKING:
    from .queries import NamedQuery, QueryLibrary

log = logging.getLogger(__name__)

INDEX_GRAPH = GRAPH["afgeleid/gemeente-index"]
#: The languages entries are kept in, for a query with a ``lang`` parameter.
LANGS = ("nl", "en")
_SD = "https://w3id.org/sdgraph/def#"
_P_VERSION, _P_COLUMNS, _P_RESULT = (URIRef(_SD + p) for p in ("invoerversie", "kolommen",
                                                                  "resultaat"))
_SELECT = re.compile(r"^(\s*SELECT\s+(?:DISTINCT\s+|REDUCED\s+)?)", re.IGNORECASE | re.MULTILINE)
_ORDER = re.compile(r"\n\s*ORDER\s+BY((?:\s+\?\w+)+)\s*$", re.IGNORECASE)


def indexed(library: QueryLibrary) -> list[NamedQuery]:
    """The queries whose header says ``# index: gemeente``."""
    return [q for q in library.all(None) if q.meta.get("index") == "gemeente"]


def national_text(query: NamedQuery) -> str:
    """The query for every gemeente: ``?gemeente`` first in the projection, no ORDER BY."""
    text = _ORDER.sub("\n", query.text.rstrip())
    found = list(_SELECT.finditer(text))
    if not found:
        raise ValueError(f"{query.name}: no SELECT to add ?gemeente to")
    first = found[0]
    return text[:first.end()] + "?gemeente " + text[first.end():]


def order(query: NamedQuery) -> str | None:
    """The query's ORDER BY as an ``# order:`` spec (None: it has none, or not of plain
    variables: the national order is kept)."""
    found = _ORDER.search(query.text.rstrip())
    return None if found is None else ", ".join(re.findall(r"\?(\w+)", found.group(1)))


def valid(query: NamedQuery) -> tuple[str, str] | None:
    """The columns of a row's validity (``# valid: van tot``), if the query has them."""
    spec = query.meta.get("valid", "").split()
    return (spec[0], spec[1]) if len(spec) == 2 else None


def _langs(query: NamedQuery) -> tuple[str, ...]:
    return LANGS if any(p.name == "lang" for p in query.params) else ("",)


def _version(store: Store, query: NamedQuery) -> str:
    text = hashlib.sha256(query.text.encode()).hexdigest()[:12]
    return f"{input_version(store, predicates(query.text))}-{text}"


def _marker(name: str) -> URIRef:
    return SDID[f"afgeleid/gemeente-index/{name}"]


def _entry(name: str, gemeente: str, lang: str) -> URIRef:
    digest = hashlib.sha256(f"{gemeente} {lang}".encode()).hexdigest()[:24]
    return SDID[f"afgeleid/gemeente-index/{name}/{digest}"]


# --------------------------------------------------------------------------- at load time


def refresh(store: Store, graphs: Iterable[str] | None = None,
            library: QueryLibrary | None = None) -> list[tuple[str, int, float]]:
    """Make every indexed query's entries current (after a load of ``graphs``). Returns,
    per query recomputed, its name, the number of gemeenten written and the seconds it
    took (its national runs went at once with the others': their time together). A
    failure is logged and leaves that query's marker stale (it runs live)."""
    library = library_or_bundled(library)
    started = time.perf_counter()
    stale = []
    for query in indexed(library):
        try:
            version = _version(store, query)
            found = store.select(bind(
                f"PREFIX sd: <{_SD}> SELECT ?v WHERE {{ GRAPH <{INDEX_GRAPH}> "
                f"{{ ?marker sd:invoerversie ?v }} }}", {"marker": _marker(query.name)})).rows
        except Exception:  # noqa: BLE001 - the load succeeded; the query runs live
            log.exception("materialising the gemeente index of %s failed", query.name)
            continue
        if not (found and str(found[0][0]) == version):
            stale.append((query, version))
    # the national runs of every stale query and language at once, then the writes
    runs = [(query, lang) for query, _ in stale for lang in _langs(query)]
    answers = at_once(lambda run: _national(store, *run), runs)
    tables = {(q.name, lang): t for (q, lang), t in zip(runs, answers, strict=True)}
    done = []
    for query, version in stale:
        try:
            found = {lang: tables[(query.name, lang)] for lang in _langs(query)}
            failed = next((t for t in found.values() if isinstance(t, Exception)), None)
            if failed is not None:
                raise failed
            count = _write(store, query, version, found)
        except Exception:  # noqa: BLE001 - the load succeeded; the query runs live
            log.exception("materialising the gemeente index of %s failed", query.name)
            continue
        done.append((query.name, count, time.perf_counter() - started))
    return done


def _national(store: Store, query: NamedQuery, lang: str) -> Table | Exception:
    """``query`` for every gemeente in ``lang`` ('' : a query without labels), or what
    it raised (reported with its query)."""
    try:
        table = store.query(national_text(query), {"lang": Literal(lang)} if lang else {})
        assert isinstance(table, Table) and table.columns[0] == "gemeente"
        return table
    except Exception as exc:  # noqa: BLE001 - raised again by refresh, for its query
        return exc


def _write(store: Store, query: NamedQuery, version: str, tables: Mapping[str, Table]) -> int:
    """Replace ``query``'s entries and marker by those of its national ``tables`` (one
    per language); each entry's rows are sorted as the query's ORDER BY."""
    from .queries import _ordered

    per: dict[tuple[str, str], list[tuple]] = {}
    columns: list[str] = []
    for lang, table in tables.items():
        columns = table.columns[1:]
        for row in table.rows:
            if isinstance(row[0], URIRef):
                per.setdefault((str(row[0]), lang), []).append(row[1:])
    spec = order(query)
    g, marker, sd = f"<{INDEX_GRAPH}>", _marker(query.name), f"<{_SD}"
    store.update(f"DELETE {{ GRAPH {g} {{ ?e ?p ?o }} }} WHERE {{ GRAPH {g} {{ "
                 f"?e {sd}indexVan> <{marker}> ; ?p ?o }} }} ;\n"
                 f"DELETE WHERE {{ GRAPH {g} {{ <{marker}> ?p ?o }} }}")
    body = []
    for (gm, lang), rows in sorted(per.items()):
        table = Table(columns, rows)
        if spec:
            table = _ordered(table, spec)
        body.append(f"<{_entry(query.name, gm, lang)}> {sd}indexVan> <{marker}> ;"
                    f" {sd}gemeente> <{gm}> ; {sd}rijen> {len(rows)} ;"
                    f" {sd}resultaat> {Literal(_to_json(table)).n3()} .")
    for start in range(0, len(body), 200):
        store.update(f"INSERT DATA {{ GRAPH {g} {{\n" + "\n".join(body[start:start + 200])
                     + "\n} }")
    # the marker last: until it is written, requests run the query live
    store.update(f"INSERT DATA {{ GRAPH {g} {{ <{marker}> {sd}query> {Literal(query.name).n3()} ;"
                 f" {sd}invoerversie> \"{version}\" ;"
                 f" {sd}kolommen> {Literal(' '.join(columns)).n3()} }} }}")
    return len({gm for gm, _ in per})


# --------------------------------------------------------------------------- answering


def answer(store: Store, query: NamedQuery, bindings: Mapping[str, object]) -> Table | None:
    """The rows of ``query`` for the bound gemeente (on the bound peildatum, in the bound
    language) from the index, or None when the query is not indexed, another parameter is
    bound, or the index is not current for the data the store holds now (then the query
    runs live)."""
    gemeente = bindings.get("gemeente")
    if query.meta.get("index") != "gemeente" or not isinstance(gemeente, URIRef):
        return None
    columns_valid = valid(query)
    day = bindings.get("peildatum") if columns_valid else None
    if columns_valid and not (isinstance(day, Literal) and day.datatype == XSD.date):
        return None
    langs = _langs(query)
    lang = "" if langs == ("",) else str(bindings.get("lang") or "nl")
    own = {"gemeente", "peildatum" if columns_valid else "", "lang" if lang else ""}
    if lang not in langs or any(v is not None for k, v in bindings.items() if k not in own):
        return None
    marker, entry = _marker(query.name), _entry(query.name, str(gemeente), lang)
    found = index_triples(store, INDEX_GRAPH, [marker, entry])
    version = found.get((str(marker), _P_VERSION))
    if version is None or str(version) != _version(store, query):
        return None
    result = found.get((str(entry), _P_RESULT))
    if result is None:  # no rows for this gemeente
        return Table(str(found.get((str(marker), _P_COLUMNS), "")).split(), [])
    table = _from_json(str(result))
    if columns_valid is None:
        return table
    return _on(table, columns_valid, day.toPython())


def _on(table: Table, columns: tuple[str, str], day) -> Table | None:
    """The rows valid on ``day``: ``van`` unbound or at most it, ``tot`` unbound or after
    it (None when a value is not an ``xsd:date``: SPARQL compares other kinds its own way)."""
    i, j = (table.columns.index(c) for c in columns)
    rows = []
    for row in table.rows:
        van, tot = row[i], row[j]
        for term in (van, tot):
            if term is not None and not (isinstance(term, Literal) and term.datatype == XSD.date):
                return None
        if (van is None or van.toPython() <= day) and (tot is None or day < tot.toPython()):
            rows.append(row)
    return Table(table.columns, rows)
