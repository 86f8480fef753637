"""The one Store interface; backends implement a few primitives.

Loading is the same for every backend: parse everything first (a syntax
error names file, line and column, and nothing is written), then replace
all target graphs and their provenance records in one SPARQL Update, which
the store applies as one transaction: a load that fails or is killed
leaves the store as it was.
"""

from __future__ import annotations

import hashlib
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD
from rdflib.term import Identifier

from ..cache import VersionedCache
from ..errors import DataError, UserError
from ..namespaces import GRAPH, META_GRAPH, SD
from ..nesting import json_depth_check, xml_depth_check
from ..sparql import Binding, bind, query_form, term_text
from ..xmlguard import check_xml
from .sandbox import QueryLimits, QueryTimeout, ResultTooLarge, ServerBusy

_ADMISSION_LOCK = threading.Lock()

_EXTENSIONS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".n3": ox.RdfFormat.N3,
}


@dataclass
class Table:
    """Result of a SELECT query: column names and rows of rdflib terms (None = unbound)."""

    columns: list[str]
    rows: list[tuple[Identifier | None, ...]]
    #: the row count of the whole result when ``rows`` holds its first rows only
    total: int | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def dicts(self) -> list[dict[str, Identifier | None]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset of one query, chosen from the store's own named graphs (nothing is
    fetched): its default graph is the merge of ``default_graphs`` (empty if none), its
    named graphs are ``named_graphs``. Without one a query sees the union of all graphs."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass
class Source:
    """One input to load: a file on disk or bytes (e.g. an upload) with a name."""

    name: str
    path: Path | None = None
    data: bytes | None = None
    format: ox.RdfFormat | None = None
    title: str | None = None
    publisher: str | None = None
    license: str | None = None
    issued: str | None = None  # date of the data itself (xsd:date), when known
    graph: str | None = None  # target named graph; default derived from the name
    max_triples: int | None = None  # refuse the source above this many triples (uploads)

    @classmethod
    def file(cls, path: str | Path, **meta: str | None) -> Source:
        path = Path(path)
        return cls(name=path.name, path=path, **meta)

    def rdf_format(self) -> ox.RdfFormat:
        if self.format is not None:
            return self.format
        suffix = Path(self.name).suffix.lower()
        if suffix not in _EXTENSIONS:
            known = ", ".join(sorted(_EXTENSIONS))
            raise UserError(f"{self.name}: unknown RDF file type {suffix!r} (known: {known})")
        return _EXTENSIONS[suffix]

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.path is not None
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            raise UserError(f"{self.path}: file not found") from None
        except OSError as exc:
            raise UserError(f"{self.path}: cannot read ({exc.strerror})") from None

    @property
    def base_iri(self) -> str:
        """The file's URI, or for bytes a URN with the name percent-encoded (an upload may
        be named 'inventaris 2024.ttl', or hold <>"{}|^ or NUL)."""
        if self.path:
            return self.path.resolve().as_uri()
        return f"urn:sdgraph:upload:{quote(self.name, safe='')}"


@dataclass
class LoadResult:
    graph: str
    triples: int
    sources: list[str] = field(default_factory=list)


@dataclass
class GraphInfo:
    graph: str
    triples: int
    title: str | None = None
    source: str | None = None
    loaded: str | None = None


@dataclass
class Parsed:
    source: Source
    triples: list[ox.Triple]
    checksum: str


#: Target graph -> the parsed sources that go into it.
Plan = dict[str, list[Parsed]]


def parse(source: Source) -> Parsed:
    """Parse one source into triples; syntax errors name the file, line and column."""
    data = source.read()
    checksum = "sha256:" + hashlib.sha256(data).hexdigest()
    where = source.name if source.path is None else str(source.path)
    if source.rdf_format() == ox.RdfFormat.RDF_XML:
        check_xml(data, where)
        xml_depth_check(data, where)
    elif source.rdf_format() == ox.RdfFormat.JSON_LD:
        json_depth_check(data, where)
    try:
        quads = ox.parse(
            data,
            source.rdf_format(),
            base_iri=source.base_iri,
            without_named_graphs=True,
            rename_blank_nodes=True,
        )
        if source.max_triples is None:
            return Parsed(source, [q.triple for q in quads], checksum)
        triples = []
        for q in quads:
            triples.append(q.triple)
            if len(triples) > source.max_triples:
                raise DataError(f"{where}: more than {source.max_triples:,} triples; this "
                                "server takes files of at most that size")
        return Parsed(source, triples, checksum)
    except SyntaxError as exc:
        where = source.path or source.name
        raise DataError(f"{where}: {exc.msg}") from None


def _file_names(sources: str) -> str:
    """The file names of a record's sources: a store loaded before records held names
    only may have paths on this machine, which are not shown."""
    return ", ".join(PurePosixPath(part).name or part for part in sources.split(", "))


def default_graph_name(source: Source) -> str:
    stem = Path(source.name).stem
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in stem)
    return str(GRAPH[f"file/{safe}"])


def _iri(value: str) -> str:
    """Validate an IRI used in a graph-management operation and return it in <...>."""
    try:
        return term_text(URIRef(value))
    except ValueError:
        raise UserError(f"not a valid graph IRI: {value!r}") from None


class Store(ABC):
    """A quad store answering SPARQL over the union of its named graphs."""

    backend: str = "?"

    # --- primitives the backends implement -------------------------------
    # ``dataset``: see :class:`Dataset`; None is the union of all graphs
    @abstractmethod
    def _select(self, text: str, dataset: Dataset | None = None) -> Table: ...

    @abstractmethod
    def _ask(self, text: str, dataset: Dataset | None = None) -> bool: ...

    @abstractmethod
    def _construct(self, text: str, dataset: Dataset | None = None) -> Graph: ...

    @abstractmethod
    def _update(self, text: str) -> None: ...

    @abstractmethod
    def named_graphs(self) -> list[str]: ...

    @abstractmethod
    def __len__(self) -> int: ...

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources."""

    def describe(self) -> str:
        return self.backend

    # --- queries ---------------------------------------------------------
    def query(
        self,
        text: str,
        bindings: Mapping[str, Binding] | None = None,
        dataset: Dataset | None = None,
    ) -> Table | bool | Graph:
        """Run a SPARQL query with parameters bound as typed RDF terms, over ``dataset``
        (default: the union of all graphs)."""
        form = query_form(text)
        if form == "UPDATE":
            raise UserError("this is a SPARQL Update, not a query")
        bound = self.bind(text, bindings)
        if form == "SELECT":
            return self._select(bound, dataset)
        if form == "ASK":
            return self._ask(bound, dataset)
        return self._construct(bound, dataset)

    def bind(self, text: str, bindings: Mapping[str, Binding] | None) -> str:
        """``text`` with ``bindings`` bound as typed RDF terms, in the form this store's
        server evaluates correctly (:func:`sdgraph.sparql.bind`)."""
        return bind(text, bindings)

    #: Limits on user-written queries; :func:`~sdgraph.store.open_store` sets them from
    #: the settings.
    query_limits: QueryLimits = QueryLimits()
    #: Compute the national aggregates into the store after every load
    #: (:mod:`sdgraph.materialise`); :func:`~sdgraph.store.open_store` sets it from the
    #: settings. What the last load computed is in ``materialised``.
    materialise: bool = False
    materialised: list = []

    def limited_query(
        self, text: str, timeout: float | None, dataset: Dataset | None = None
    ) -> Table | bool | Graph:
        """Run a user's own query (no parameters) over ``dataset`` (None: the union of all
        graphs): checked by the guard (read-only, no SERVICE or FROM in the text, nesting),
        stopped after ``timeout`` seconds (None or 0: no time limit), with at most
        ``query_limits.max_result_bytes`` of result.

        At most ``query_limits.workers`` such queries run at once per process; one
        more raises :class:`~sdgraph.store.sandbox.ServerBusy` at once. Raises
        :class:`~sdgraph.guard.QueryRefused`, :class:`~sdgraph.store.sandbox.QueryTimeout`,
        :class:`~sdgraph.store.sandbox.ResultTooLarge`.
        """
        from .. import guard

        guard.precheck(text, self.query_limits.max_query_chars, self.query_limits.max_nesting)
        admission = self._admission()
        if not admission.acquire(blocking=False):
            raise ServerBusy(self.query_limits.retry_after)
        try:
            return self._limited(text, timeout or None, dataset)
        finally:
            admission.release()

    def _admission(self) -> threading.BoundedSemaphore:
        with _ADMISSION_LOCK:
            sem = getattr(self, "_heavy", None)
            if sem is None:
                sem = self._heavy = threading.BoundedSemaphore(self.query_limits.workers)
            return sem

    def _limited(
        self, text: str, timeout: float | None, dataset: Dataset | None = None
    ) -> Table | bool | Graph:
        """Default (a store in this process's memory, used in tests): guard and query in
        a thread that is abandoned (not stopped) when the limit passes."""
        from .. import guard

        limits = self.query_limits
        box: dict[str, Any] = {}

        def work() -> None:
            try:
                guard.check(text, limits.max_query_chars, limits.max_nesting)
                try:
                    result = self.query(text, dataset=dataset)
                except UserError as exc:
                    raise syntax_refusal(text, exc) from None
                check_size(result, limits.max_result_bytes)
                box["result"] = result
            except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
                box["error"] = exc

        thread = threading.Thread(target=work, name="sdgraph-query", daemon=True)
        thread.start()
        thread.join(timeout)
        if thread.is_alive():
            raise QueryTimeout(timeout or 0)
        if "error" in box:
            raise box["error"]
        return box["result"]

    def select(self, text: str, bindings: Mapping[str, Identifier | None] | None = None) -> Table:
        result = self.query(text, bindings)
        if not isinstance(result, Table):
            raise UserError("expected a SELECT query")
        return result

    def select_values(self, text: str) -> list[tuple[str | None, ...]]:
        """A SELECT's rows as the lexical values of their terms (None when unbound), for
        the store's own bookkeeping that needs no RDF terms (the load records, read after
        every load): no conversion into rdflib terms."""
        return [tuple(None if t is None else str(t) for t in row)
                for row in self.select(text).rows]

    def update(self, text: str) -> None:
        self._update(text)

    # --- loading ---------------------------------------------------------
    def load(self, sources: Iterable[Source], graph: str | None = None) -> list[LoadResult]:
        """Load sources atomically, all into ``graph``, else each into its ``graph`` or a default.

        Every target graph is replaced as a whole, so loading the same file
        twice leaves the same triples.
        """
        sources = list(sources)
        if not sources:
            raise UserError("nothing to load")
        plan: Plan = {}
        for source in sources:  # parse all before writing anything
            target = graph or source.graph or default_graph_name(source)
            _iri(target)
            plan.setdefault(target, []).append(parse(source))
        self._write(plan)
        results = [
            LoadResult(target, self.graph_size(target), [p.source.name for p in parts])
            for target, parts in plan.items()
        ]
        self._materialise(list(plan))
        return results

    def load_files(self, paths: Iterable[str | Path], graph: str | None = None) -> list[LoadResult]:
        return self.load([Source.file(p) for p in paths], graph)

    def drop_graph(self, graph: str) -> None:
        """Remove a named graph and its provenance record."""
        g = _iri(graph)
        self._update(
            f"DROP SILENT GRAPH {g} ;\n"
            f"DELETE WHERE {{ GRAPH {_iri(str(META_GRAPH))} {{ {g} ?p ?o }} }}"
        )
        self._materialise([graph])

    def _materialise(self, graphs: list[str] | None = None) -> None:
        """After a load or drop of ``graphs``: the national aggregates and the
        per-gemeente indexes (wie-doet-wat, lidmaatschappen, overlap, the ``# index:
        gemeente`` queries) into the store (when asked)."""
        if self.materialise:
            from .. import gemeente_index, lidmaatschap_index, matrix_index, overlap_index
            from ..materialise import refresh

            self.materialised = refresh(self)
            matrix_index.refresh(self, graphs)
            lidmaatschap_index.refresh(self, graphs)
            overlap_index.refresh(self, graphs)
            gemeente_index.refresh(self, graphs)

    def graph_size(self, graph: str) -> int:
        table = self._select(self.bind(system_query("graph-size"), {"g": URIRef(graph)}))
        return int(table.rows[0][0]) if table.rows else 0

    def graphs(self, records: list[dict] | None = None) -> list[GraphInfo]:
        """Every named graph with its size and recorded provenance.

        Counting every graph reads the whole store (0.8 s at 1.5M quads), so the
        list is kept until :meth:`version` changes. ``records``: the rows of the
        ``system/graphs`` query when the caller has them (the Bronnen page reads them as
        the load stored them), else that query is run.
        """
        return list(GRAPHS.get(self, "graphs", lambda: self._graph_infos(records)))

    def _graph_infos(self, rows: list[dict] | None = None) -> list[GraphInfo]:
        """The load records give each loaded graph's size (what the load put into it; only
        loads and drops write those graphs); a graph without a record is counted. Counting
        every graph read the whole store: 1.0 s at 1.5M quads, cold."""
        if rows is None:
            rows = self._select(system_query("graphs")).dicts()
        records = {str(r["graph"]): r for r in rows}
        out = []
        for graph in self.named_graphs():
            r = records.get(graph)
            if r is None or r["triples"] is None:
                size = self.graph_size(graph)
                if size == 0:
                    continue
                out.append(GraphInfo(graph=graph, triples=size))
                continue
            out.append(GraphInfo(
                graph=graph,
                triples=int(r["triples"]),
                title=str(r["title"]) if r["title"] is not None else None,
                source=_file_names(str(r["source"])) if r["source"] is not None else None,
                loaded=str(r["loaded"]) if r["loaded"] is not None else None,
            ))
        return out

    def version(self) -> str:
        """A token that changes with every load or drop of a graph (for caches)."""
        table = self._select(system_query("version"))
        digest = hashlib.sha256()
        for row in table.rows:
            digest.update("|".join("" if t is None else str(t) for t in row).encode("utf-8"))
            digest.update(b"\n")
        return digest.hexdigest()[:16]

    def _write(self, plan: Plan) -> None:
        """Replace every planned graph and its provenance record in one SPARQL Update."""
        ops = self._clear_ops(plan)
        blocks = [self._provenance_block(plan)]
        for target, parts in plan.items():
            text = ntriples([t for p in parts for t in p.triples])
            if text:  # an empty GRAPH block inserts nothing (and Virtuoso refuses it)
                blocks.append(graph_block(target, text))
        ops.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
        self._update(" ;\n".join(ops))

    def _provenance_block(self, plan: Plan) -> str:
        """``GRAPH meta { ... }`` with the provenance records of ``plan``."""
        return graph_block(str(META_GRAPH), self._provenance(plan).serialize(format="nt"))

    @staticmethod
    def _clear_ops(plan: Plan, drop: bool = True) -> list[str]:
        """Updates removing each planned graph (unless ``drop`` is false) and its record."""
        meta = _iri(str(META_GRAPH))
        ops: list[str] = []
        for target in plan:
            g = _iri(target)
            if drop:
                ops.append(f"DROP SILENT GRAPH {g}")
            ops.append(f"DELETE WHERE {{ GRAPH {meta} {{ {g} ?p ?o }} }}")
        return ops

    @staticmethod
    def _provenance(plan: Plan) -> Graph:
        """The sd:Bron record of each planned graph (what, from where, when, how many)."""
        now = Literal(datetime.now(UTC).replace(microsecond=0).isoformat(), datatype=XSD.dateTime)
        records = Graph()
        for target, parts in plan.items():
            node = URIRef(target)
            # distinct: the size of the graph the load writes (Store.graphs reads it)
            count = len({t for p in parts for t in p.triples})
            records.add((node, RDF.type, SD.Bron))
            records.add((node, RDF.type, PROV.Entity))
            records.add((node, PROV.generatedAtTime, now))
            records.add((node, SD.aantalTriples, Literal(count, datatype=XSD.nonNegativeInteger)))
            # which predicates the graph holds: a load that adds none a materialised result
            # reads leaves that result valid (sdgraph.materialise)
            predicates = {t.predicate.value for p in parts for t in p.triples}
            records.add((node, SD.predikaten, Literal(" ".join(sorted(predicates)))))
            for p in parts:
                source = p.source
                # the file's name and checksum: never a path on this machine (it is served)
                records.add((node, DCTERMS.source, Literal(Path(source.name).name)))
                records.add((node, SD.checksum, Literal(p.checksum)))
                if source.title:
                    records.add((node, DCTERMS.title, Literal(source.title)))
                if source.publisher:
                    records.add((node, DCTERMS.publisher, Literal(source.publisher)))
                if source.license:
                    records.add((node, DCTERMS.license, URIRef(source.license)))
                if source.issued:
                    records.add((node, DCTERMS.issued, Literal(source.issued, datatype=XSD.date)))
            if not any(p.source.title for p in parts):
                names = ", ".join(p.source.name for p in parts)
                records.add((node, DCTERMS.title, Literal(names)))
        return records


def syntax_refusal(text: str, exc: UserError) -> UserError:
    """The engine's syntax error as a QueryRefused with its position; other errors as they
    are."""
    if not str(exc).startswith("SPARQL syntax error"):
        return exc
    from ..sparql import describe_syntax_error

    return describe_syntax_error(text, str(exc))


def check_size(result: Table | bool | Graph, max_bytes: int) -> None:
    """ResultTooLarge when ``result``'s terms hold more than ``max_bytes`` of text."""
    if isinstance(result, bool):
        return
    rows = result.rows if isinstance(result, Table) else result
    used = 0
    for row in rows:
        used += sum(len(t) + 8 for t in row if t is not None)
        if used > max_bytes:
            raise ResultTooLarge(max_bytes)


def ntriples(triples: list[ox.Triple]) -> str:
    return (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")


def graph_block(graph: str, ntriples: str) -> str:
    return f"GRAPH {_iri(graph)} {{\n{ntriples}}}"


def system_query(name: str) -> str:
    """A bundled ``queries/system/`` query (imported here: the query library uses the store)."""
    from ..queries import system_text

    return system_text(name)


#: The graph list of each store, until its version changes.
GRAPHS = VersionedCache(maxsize=1)
