"""National aggregates computed at load time and kept in the store (graph ``afgeleid/resultaten``).

The named queries marked ``# cache: store-version`` read every record of the
country (``wijzigingen``, ``fragmentatie``, ``dekking``, ...): seconds of
work that no query shape makes fast. :func:`refresh`, called at the end of
every load of a store opened through :func:`~sdgraph.store.open_store`,
computes them with their default parameters and writes each result, with its
provenance, into the graph ``https://w3id.org/sdgraph/graph/afgeleid/resultaten``;
:func:`lookup` serves it to every process, worker and node on that store, so
neither the first visitor after a load nor the first after a restart waits.

A result is valid for its *input version*: the fingerprint of the load records
(graph, load time, checksum; the ``graph/meta`` records of :class:`Store`) of
the graphs that hold a predicate the query reads. Every load records the
predicates of each graph it writes (``sd:predikaten``), so a load that touches
none of a query's predicates (a user file with other properties) keeps its
result, and any other load makes it stale: a stale result is never served
(:func:`lookup` compares the input version first) and the load that made it
stale computes it again. A query with a variable predicate, a negated path or
a ``GRAPH`` clause, and a graph loaded before predicates were recorded, count
as reading everything.

Each result is one resource: ``sd:query`` (the query's name), ``sd:queryChecksum``
(SHA-256 of its text), ``sd:parameters`` (the bound values), ``sd:invoerversie``,
``prov:generatedAtTime``, ``sd:rijen`` and ``sd:resultaat`` (the table as JSON). A table
longer than :data:`PART_ROWS` keeps its first rows there and the rest in numbered parts
(``sd:deel``), so a page that shows the first rows reads only those (:func:`lookup`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import time
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier

from .namespaces import GRAPH, META_GRAPH, SDID
from .sparql import bind
from .store import Store, Table

if TYPE_CHECKING:
    from .queries import NamedQuery, QueryLibrary
    from .runner import Runner

log = logging.getLogger(__name__)
_T = TypeVar("_T")
_R = TypeVar("_R")

RESULTS_GRAPH = GRAPH["afgeleid/resultaten"]
_SD = "https://w3id.org/sdgraph/def#"
_PROV = "http://www.w3.org/ns/prov#"

#: The load records of every graph: load time, checksums, predicates held. Three plain
#: patterns joined in Python, read as plain values (Store.select_values): they are read
#: again after every load, and at 365 graphs one query with two OPTIONALs took 16 ms in
#: Oxigraph (5 ms the three) and as many again to become rdflib terms.
_RECORDS = tuple(f"""PREFIX sd: <{_SD}>
PREFIX prov: <{_PROV}>
SELECT ?graph {select} WHERE {{ GRAPH <{META_GRAPH}> {{ ?graph {pattern} }} }}"""
    for select, pattern in (("(STR(?t) AS ?loaded)", "prov:generatedAtTime ?t"),
                            ("?checksum", "sd:checksum ?checksum"),
                            ("?predikaten", "sd:predikaten ?predikaten")))

_STORED_VERSION = f"""PREFIX sd: <{_SD}>
SELECT ?invoerversie WHERE {{ GRAPH <{RESULTS_GRAPH}> {{ ?m sd:invoerversie ?invoerversie }} }}"""

_LOOKUP = f"""PREFIX sd: <{_SD}>
SELECT ?invoerversie ?resultaat WHERE {{
  GRAPH <{RESULTS_GRAPH}> {{ ?m sd:invoerversie ?invoerversie ; sd:resultaat ?resultaat }}
}}"""

#: A stored result's first part with its row count (:func:`lookup`).
_LOOKUP_FIRST = f"""PREFIX sd: <{_SD}>
SELECT ?invoerversie ?resultaat ?rijen WHERE {{
  GRAPH <{RESULTS_GRAPH}> {{ ?m sd:invoerversie ?invoerversie ; sd:resultaat ?resultaat ;
                             sd:rijen ?rijen }}
}}"""

#: The further parts of a stored result up to part ``?tot``, numbered from 1.
_PARTS = f"""PREFIX sd: <{_SD}>
SELECT ?n ?resultaat WHERE {{
  GRAPH <{RESULTS_GRAPH}> {{ ?m sd:deel ?d . ?d sd:volgnummer ?n ; sd:resultaat ?resultaat }}
  FILTER (?n <= ?tot)
}}"""

#: Rows per stored part of a result: a page that shows the first rows of a national
#: table (``wijzigingen``: 185k rows at 5m, 1.2 s to decode whole) decodes one part.
PART_ROWS = 1000


# --------------------------------------------------------------------------- what a query reads


_PREDICATES: dict[str, frozenset[str] | None] = {}


def predicates(text: str) -> frozenset[str] | None:
    """The IRIs of the predicates a query's patterns (and property paths) name; None when
    it may read any predicate or graph (a variable predicate, a negated path, ``GRAPH``,
    or text rdflib cannot parse)."""
    if text in _PREDICATES:
        return _PREDICATES[text]
    from rdflib.paths import NegatedPath, Path
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    found: set[str] = set()

    def path_iris(p: object) -> bool:
        if isinstance(p, URIRef):
            found.add(str(p))
            return True
        if isinstance(p, NegatedPath) or not isinstance(p, Path):
            return False
        parts = [getattr(p, a) for a in ("arg", "path") if hasattr(p, a)]
        parts += list(getattr(p, "args", []))
        return all(path_iris(x) for x in parts)

    def walk(node: object) -> bool:
        if isinstance(node, CompValue):
            # (CompValue.get answers the key itself when it is absent)
            if node.name in ("Graph", "ServiceGraphPattern") or dict.get(node, "datasetClause"):
                return False
            for key, value in dict.items(node):
                if key == "triples" and isinstance(value, list):
                    for triple in value:
                        p = triple[1]
                        if isinstance(p, Variable) or not path_iris(p):
                            return False
                elif not walk(value):
                    return False
            return True
        if isinstance(node, list | tuple):
            return all(walk(x) for x in node)
        return True

    try:
        query = prepareQuery(text)
        result = frozenset(found) if walk(query.algebra) else None
    except Exception:  # noqa: BLE001 - unparseable for rdflib: assume it reads everything
        result = None
    _PREDICATES[text] = result
    return result


_MEMO: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def load_records(store: Store) -> list[tuple[str, str, str, frozenset[str] | None]]:
    """The load records (graph, load time, checksums, predicates), read once per version
    of the store (a page looks up many results at once)."""
    version = store.version()
    memo = _MEMO.get(store)
    if memo is not None and memo[0] == version:
        return memo[1]
    records = _read_records(store)
    # the records, and the input versions computed from them (see input_version)
    _MEMO[store] = (version, records, {})
    return records


def _read_records(store: Store) -> list[tuple[str, str, str, frozenset[str] | None]]:
    loaded, checksums, held = (store.select_values(q) for q in _RECORDS)
    sums: dict[str | None, set[str | None]] = {}
    for graph, checksum in checksums:
        sums.setdefault(graph, set()).add(checksum)
    preds = {graph: _predicate_set(p or "") for graph, p in held}
    return sorted({(str(g), str(t), " ".join(sorted(map(str, sums.get(g, ())))), preds.get(g))
                   for g, t in loaded})


def workers() -> int:
    """Queries a load runs at once for its indexes: the cores this process may use, at
    most four."""
    return max(1, min(4, len(os.sched_getaffinity(0))))


def at_once(work: Callable[[_T], _R], items: Sequence[_T]) -> list[_R]:
    """``work(item)`` of every item, in their order, up to :func:`workers` at once in
    threads: the store's engine (pyoxigraph, or a server) answers a query without holding
    the GIL, so two cores answer two queries in about the time of one (docs/performance.md,
    eleventh round). What one raises is raised."""
    count = min(workers(), len(items))
    if count <= 1:
        return [work(item) for item in items]
    with ThreadPoolExecutor(count, thread_name_prefix="sdgraph-index") as pool:
        return list(pool.map(work, items))


def library_or_bundled(library: QueryLibrary | None) -> QueryLibrary:
    """``library``, or the bundled queries (imported here, late: the query library
    imports the indexes)."""
    from .queries import bundled_library

    return library or bundled_library()


def index_triples(store: Store, graph: URIRef,
                  subjects: list[URIRef]) -> dict[tuple[str, URIRef], Identifier]:
    """The statements of ``subjects`` in the index ``graph`` by subject and predicate, in
    one request: an index's marker and the entries a page reads (one plain pattern:
    Virtuoso 7 fails on an OPTIONAL of another resource in the same graph)."""
    text = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    return {(str(s), p): o for s, p, o in store.select(bind(text, {"s": subjects})).rows}


@functools.lru_cache(maxsize=4096)
def _predicate_set(text: str) -> frozenset[str]:
    """A record's ``sd:predikaten`` as a set (the same text after every load: kept)."""
    return frozenset(text.split())


def input_version(store: Store, reads: frozenset[str] | None,
                  records: list[tuple[str, str, str, frozenset[str] | None]] | None = None
                  ) -> str:
    """Fingerprint of the load records of the graphs holding a predicate in ``reads``
    (every graph when ``reads`` is None; a graph without recorded predicates always).
    Of the store's current records each is computed once (a page asks for dozens)."""
    kept: dict | None = None
    if records is None:
        records = load_records(store)
        memo = _MEMO.get(store)
        if memo is not None and memo[1] is records:
            kept = memo[2]
            if reads in kept:
                return kept[reads]
    digest = hashlib.sha256()
    for graph, loaded, checksums, preds in records:
        if reads is None or preds is None or preds & reads:
            digest.update(f"{graph} {loaded} {checksums}\n".encode())
    version = digest.hexdigest()[:32]
    if kept is not None:
        kept[reads] = version
    return version


# --------------------------------------------------------------------------- results


def result_key(query: NamedQuery, bindings: Mapping[str, object]) -> tuple:
    """The key of a query's result under these bindings (as :data:`queries.RESULTS`)."""
    return (query.name, query.text, tuple(sorted(
        (k, None if v is None else v.n3() if not isinstance(v, list)
         else tuple(t.n3() for t in v)) for k, v in bindings.items())))


def _subject(key: tuple) -> URIRef:
    return SDID["afgeleid/" + hashlib.sha256(repr(key).encode()).hexdigest()[:32]]


def _encode(term: Identifier | None) -> list | None:
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ["u", str(term)]
    if isinstance(term, BNode):
        return ["b", str(term)]
    assert isinstance(term, Literal)
    return ["l", str(term), str(term.datatype or ""), term.language or ""]


def _term(item: list) -> Identifier:
    """The term :func:`_encode` wrote. An IRI is made without rdflib's check of its
    characters (a third of decoding a table): it was a term of the store when written."""
    if item[0] == "u":
        return str.__new__(URIRef, item[1])
    if item[0] == "b":
        return BNode(item[1])
    return Literal(item[1], lang=item[3] or None,
                   datatype=URIRef(item[2]) if item[2] and not item[3] else None)


def _decoder():
    seen: dict[tuple, Identifier] = {}

    def decode(item: list | None) -> Identifier | None:
        if item is None:
            return None
        key = tuple(item)
        term = seen.get(key)
        if term is None:
            term = seen[key] = _term(item)
        return term

    return decode


def _to_json(table: Table) -> str:
    """The table as JSON: each distinct term once (``terms``), the cells row by row as
    numbers into it (``cells``; 0 for an unbound cell), so reading it builds each term
    once and the rows without a loop in Python (``wijzigingen``: 47k rows, 8 columns)."""
    numbers: dict[tuple, int] = {}
    terms: list[list] = []
    cells: list[int] = []
    for row in table.rows:
        for term in row:
            if term is None:
                cells.append(0)
                continue
            item = _encode(term)
            key = tuple(item)
            n = numbers.get(key)
            if n is None:
                terms.append(item)
                n = numbers[key] = len(terms)
            cells.append(n)
    return json.dumps({"columns": table.columns, "size": len(table.rows), "terms": terms,
                       "cells": cells}, ensure_ascii=False, separators=(",", ":"))


def _from_json(text: str) -> Table:
    """The table :func:`_to_json` wrote, as a new Table (its lists are the caller's).
    Decoding builds an rdflib term per distinct value (most of the cost: 10 ms for a
    gemeente's wie-doet-wat entry at 1m), so the decoded rows of recent texts are kept:
    a page reads the same entry for two peildata, and every worker reads it again after
    a load that left it unchanged. Texts are immutable keys; terms are immutable."""
    if len(text) > _DECODED_MAX_CHARS:
        return _decode(text)
    table = _decoded(text)
    return Table(list(table.columns), list(table.rows))


#: Texts longer than this are decoded every time: a national result, kept decoded by the
#: result caches. A per-gemeente entry is at most 57k characters at 1m, so the 128 kept
#: are tens of MB at most.
_DECODED_MAX_CHARS = 256_000


@functools.lru_cache(maxsize=128)
def _decoded(text: str) -> Table:
    return _decode(text)


def _decode(text: str, memo: dict[tuple, Identifier] | None = None) -> Table:
    """The table :func:`_to_json` wrote; ``memo`` keeps the terms made for the parts of
    one result (they share most names and values), so each is made once."""
    data = json.loads(text)
    columns = list(data["columns"])
    if "terms" not in data:  # written before the cells were numbers
        decode = _decoder()
        return Table(columns, [tuple(decode(t) for t in row) for row in data["rows"]])
    if memo is None:
        terms = [None, *map(_term, data["terms"])]
    else:
        terms = [None]
        for item in data["terms"]:
            key = tuple(item)
            term = memo.get(key)
            if term is None:
                term = memo[key] = _term(item)
            terms.append(term)
    values = list(map(terms.__getitem__, data["cells"]))
    width = len(columns)
    if not width:
        return Table(columns, [() for _ in range(data["size"])])
    return Table(columns, list(zip(*[iter(values)] * width, strict=True)))


def lookup(store: Store, query: NamedQuery, bindings: Mapping[str, object],
           rows: int | None = None) -> Table | None:
    """The materialised result of ``query`` under ``bindings``, when the store holds one
    computed from the data it holds now; else None. With ``rows``, at least its first
    ``rows`` rows (whole parts of :data:`PART_ROWS`), the Table's ``total`` the count of
    them all when it holds fewer."""
    reads = predicates(query.text)
    subject = _subject(result_key(query, bindings))
    found = store.select(bind(_LOOKUP_FIRST, {"m": subject})).rows
    if not found:
        return None
    version, text, total = found[0]
    if str(version) != input_version(store, reads):
        return None
    table = _from_json(str(text))
    total = int(total)
    if total <= len(table.rows):
        return table
    wanted = total if rows is None else min(rows, total)
    parts = -(-(wanted - len(table.rows)) // PART_ROWS)  # the rest, rounded up
    if parts > 0:
        found = store.select(bind(_PARTS, {"m": subject, "tot": Literal(parts)})).rows
        memo: dict[tuple, Identifier] = {}
        for _, part in sorted(found, key=lambda r: int(r[0])):
            table.rows.extend(_decode(str(part), memo).rows)
    if len(table.rows) < total:
        table.total = total
    return table


def _write(store: Store, query: NamedQuery, bindings: Mapping[str, object], table: Table,
           version: str) -> None:
    key = result_key(query, bindings)
    subject = _subject(key)
    s = subject.n3()
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    parameters = " ".join(f"{k}={v}" for k, v in key[2] if v is not None)
    sd = f"<{_SD}"
    first, rest = table.rows[:PART_ROWS], table.rows[PART_ROWS:]
    parts = []  # the further parts: their own resources, numbered, each a table of its own
    for n, start in enumerate(range(0, len(rest), PART_ROWS), start=1):
        part = URIRef(f"{subject}/deel/{n}").n3()
        text = _to_json(Table(table.columns, rest[start:start + PART_ROWS]))
        parts.append(f"{s} {sd}deel> {part} .\n"
                     f"{part} {sd}volgnummer> {n} ; {sd}resultaat> {Literal(text).n3()} .")
    body = "\n".join([
        f"{s} a <{_PROV}Entity> ;",
        f"  {sd}query> {Literal(query.name).n3()} ;",
        f"  {sd}queryChecksum> \"sha256:{hashlib.sha256(query.text.encode()).hexdigest()}\" ;",
        f"  {sd}parameters> {Literal(parameters).n3()} ;",
        f"  {sd}invoerversie> \"{version}\" ;",
        f"  <{_PROV}generatedAtTime> \"{now}\"^^<http://www.w3.org/2001/XMLSchema#dateTime> ;",
        f"  {sd}rijen> {len(table)} ;",
        f"  {sd}resultaat> {Literal(_to_json(Table(table.columns, first))).n3()} .",
        *parts,
    ])
    g = f"<{RESULTS_GRAPH}>"
    store.update(f"DELETE WHERE {{ GRAPH {g} {{ {s} {sd}deel> ?d . ?d ?p ?o }} }} ;\n"
                 f"DELETE WHERE {{ GRAPH {g} {{ {s} ?p ?o }} }} ;\n"
                 f"INSERT DATA {{ GRAPH {g} {{\n{body}\n}} }}")


# --------------------------------------------------------------------------- at load time


@dataclass
class Computed:
    name: str
    seconds: float
    rows: int
    kept: bool  # the stored result was still valid (nothing computed)


def national(library: QueryLibrary) -> list[NamedQuery]:
    """The queries materialised at load time: the ``# cache: store-version`` SELECT
    queries whose parameters all have defaults (national aggregates, the search names)."""
    return [q for q in library.all(None) if q.cached and q.form == "SELECT"
            and not any(p.required for p in q.params)]


@contextmanager
def deferred(store: Store) -> Iterator[None]:
    """The loads and drops inside compute the national aggregates once, at the end (not
    after each); nothing is computed when one of them fails."""
    asked = store.materialise
    store.materialise = False
    try:
        yield
    finally:
        store.materialise = asked
    if asked:
        store._materialise(None)  # what a load runs after it, for every graph


def refresh(store: Store, library: QueryLibrary | None = None) -> list[Computed]:
    """Compute the :func:`national` results (default parameters), the maps' member lists
    and the foto's national comparisons whose input changed since they were stored, and
    store them
    (each in one small transaction). A failing query is logged and skipped: the load
    itself has succeeded."""
    from .queries import bundled_library

    library = library or bundled_library()
    records = load_records(store)
    done = _many(store, [(query, {}) for query in national(library)]
                 + [(library.get(name), values) for name, values in _map_sets()], records)
    done += [_one_table(store, library, name, records) for name in _tables()]
    # the foto's comparisons: which ones depends on `kerncijfers`, their values on
    # `kerncijfer-landelijk`; a marker keeps the input version they were all stored for
    version = reads_version(store, library, ("kerncijfers", "kerncijfer-landelijk"), records)
    marker = SDID["afgeleid/foto-vergelijkingen"]
    found = store.select(bind(_STORED_VERSION, {"m": marker})).rows
    if found and str(found[0][0]) == version:
        return [c for c in done if c is not None]
    try:
        foto = _many(store, [(library.get(name), values)
                             for name, values in _foto_sets(store, library)], records)
        done += foto
        if all(c is not None for c in foto):
            m = marker.n3()
            g = f"<{RESULTS_GRAPH}>"
            store.update(f"DELETE WHERE {{ GRAPH {g} {{ {m} ?p ?o }} }} ;\n"
                         f"INSERT DATA {{ GRAPH {g} {{ {m} <{_SD}query> \"foto-vergelijkingen\" ;"
                         f" <{_SD}invoerversie> \"{version}\" }} }}")
    except Exception:  # noqa: BLE001 - the load succeeded; a visitor computes them live
        log.exception("materialising the foto's national comparisons failed")
    return [c for c in done if c is not None]


def _many(store: Store, items: list[tuple[NamedQuery, Mapping[str, str | None]]],
          records: list) -> list[Computed | None]:
    """Each query with its values whose stored result is not current for ``records``:
    run, up to one per core at once (:func:`at_once`), then stored one by one. None for
    one that failed (logged)."""

    def stale(item: tuple[NamedQuery, Mapping[str, str | None]]) -> str | None:
        """The input version to store the result for; None when the stored one is it."""
        query, values = item
        version = input_version(store, predicates(query.text), records)
        subject = _subject(result_key(query, query.terms(values)))
        found = store.select(bind(_STORED_VERSION, {"m": subject})).rows
        return None if found and str(found[0][0]) == version else version

    def run(item: tuple[NamedQuery, Mapping[str, str | None]]) -> tuple[object, float]:
        started = time.perf_counter()
        try:
            # through the process's cache: a result just computed for the foto's figures
            # (below) is not computed twice
            return item[0].run(store, item[1]), time.perf_counter() - started
        except Exception as exc:  # noqa: BLE001 - reported below, for its query
            return exc, time.perf_counter() - started

    started = time.perf_counter()
    versions = [stale(item) for item in items]
    checked = time.perf_counter() - started
    todo = [i for i, version in enumerate(versions) if version is not None]
    answers = dict(zip(todo, at_once(lambda i: run(items[i]), todo), strict=True))
    out: list[Computed | None] = []
    for i, ((query, values), version) in enumerate(zip(items, versions, strict=True)):
        if version is None:
            out.append(Computed(query.name, checked / len(items), -1, True))
            continue
        table, seconds = answers[i]
        try:
            if isinstance(table, Exception):
                raise table
            assert isinstance(table, Table)
            _write(store, query, query.terms(values), table, version)
        except Exception:  # noqa: BLE001 - the load succeeded; a visitor computes it live
            log.exception("materialising %s after a load failed", query.name)
            out.append(None)
            continue
        out.append(Computed(query.name, seconds, len(table), False))
    return out


# --------------------------------------------------------------------------- computed tables


@dataclass(frozen=True)
class StoredTable:
    """A national table computed in Python from named queries (not one query's rows),
    kept in the results graph as its own JSON text: ``compute(runner)`` makes the text,
    ``reads`` names the queries it reads (their predicates make its input version)."""

    name: str
    reads: tuple[str, ...]
    compute: Callable[[Runner], str]


def _tables() -> dict[str, StoredTable]:
    """The computed tables materialised at load time, by name."""
    from .kerncijfers import LANDELIJK
    from .search import STORED

    return {t.name: t for t in (LANDELIJK, *STORED.values())}


def reads_version(store: Store, library: QueryLibrary, names: tuple[str, ...],
                  records: list | None = None) -> str:
    """The input version of the named queries together (every graph when one of them may
    read any predicate)."""
    reads = [predicates(library.get(n).text) for n in names]
    return input_version(store, None if None in reads else frozenset().union(*reads), records)


def table_version(store: Store, library: QueryLibrary, table: StoredTable,
                  records: list | None = None) -> str:
    """The input version of ``table``: of the graphs holding a predicate its queries read."""
    return reads_version(store, library, table.reads, records)


def _table_subject(name: str) -> URIRef:
    return SDID["afgeleid/tabel/" + name]


def lookup_table(store: Store, library: QueryLibrary, table: StoredTable) -> str | None:
    """The stored text of ``table``, when it was computed from the data the store holds
    now; else None. One small query: the text is a single literal."""
    found = store.select(bind(_LOOKUP, {"m": _table_subject(table.name)})).rows
    if not found or str(found[0][0]) != table_version(store, library, table):
        return None
    return str(found[0][1])


def _one_table(store: Store, library: QueryLibrary, name: str, records: list
               ) -> Computed | None:
    from .runner import Runner as QueryRunner

    started = time.perf_counter()
    table = _tables()[name]
    version = table_version(store, library, table, records)
    s = _table_subject(name)
    found = store.select(bind(_STORED_VERSION, {"m": s})).rows
    if found and str(found[0][0]) == version:
        return Computed(name, time.perf_counter() - started, -1, True)
    try:
        body = table.compute(QueryRunner(store, library))
        now = datetime.now(UTC).replace(microsecond=0).isoformat()
        g, m = f"<{RESULTS_GRAPH}>", s.n3()
        store.update(
            f"DELETE WHERE {{ GRAPH {g} {{ {m} ?p ?o }} }} ;\n"
            f"INSERT DATA {{ GRAPH {g} {{ {m} a <{_PROV}Entity> ;"
            f" <{_SD}query> {Literal(name).n3()} ;"
            f" <{_SD}invoerversie> \"{version}\" ;"
            f" <{_PROV}generatedAtTime> \"{now}\"^^<http://www.w3.org/2001/XMLSchema#dateTime> ;"
            f" <{_SD}resultaat> {Literal(body).n3()} }} }}")
    except Exception:  # noqa: BLE001 - the load succeeded; a visitor computes it live
        log.exception("materialising %s after a load failed", name)
        return None
    return Computed(name, time.perf_counter() - started, 1, False)


def _map_sets() -> list[tuple[str, dict[str, str | None]]]:
    """The national member lists the maps draw (``/kaart`` per indeling):
    ``kaart-leden`` for each main regio-indeling and for the GRs."""
    from .maps import GR, HOOFDINDELINGEN, INDELING

    return [("kaart-leden", {"indeling": f"{INDELING}{slug}"}) for slug in HOOFDINDELINGEN] + [
        ("kaart-leden", {"indeling": GR})]


class _Recording:
    """A runner that notes which named queries (with which values) a page asks."""

    def __init__(self, runner) -> None:
        self.runner = runner
        self.asked: list[tuple[str, dict[str, str | None]]] = []

    def __call__(self, name: str, values: Mapping[str, str | None] | None = None):
        self.asked.append((name, dict(values or {})))
        return self.runner(name, values)


def _foto_sets(store: Store, library: QueryLibrary) -> list[tuple[str, dict]]:
    """The national comparisons the foto draws (``kerncijfer-landelijk`` per measure,
    dataset and year: the same for every gemeente with the same published figures), as
    the kerncijfers of the query's default gemeente name them."""
    from .pages.foto import figuren
    from .runner import Runner

    runner = Runner(store, library)
    recording = _Recording(runner)
    for _ in figuren(recording, runner("kerncijfers", {})):
        pass
    seen, out = set(), []
    for name, values in recording.asked:
        key = (name, tuple(sorted(values.items())))
        if key not in seen:
            seen.add(key)
            out.append((name, values))
    return out
