"""SPARQL 1.1 Protocol, the part a read-only query service needs.

Runs a query on a :class:`~sdgraph.store.Store` and serialises the result in
the format the client asked for (``format`` parameter, else the ``Accept``
header), per the SPARQL 1.1 Query Results JSON, XML, CSV and TSV formats, and
Turtle, N-Triples or JSON-LD for CONSTRUCT and DESCRIBE. Updates are refused:
the service is read-only. The web layer (``web/views/sparql.py``) only moves
HTTP in and out of :func:`answer`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rdflib import BNode, Graph, Namespace, URIRef, Variable
from rdflib.namespace import RDF
from rdflib.query import Result

from .errors import UserError
from .sparql import query_form
from .store import Store, Table

SD_SERVICE = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
#: the W3C format IRIs of what this endpoint writes (for the service description)
FORMAT_IRIS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
)

#: short name -> media type, for SELECT and ASK results
RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
#: short name -> (media type, rdflib format), for graphs
GRAPH_TYPES = {
    "turtle": ("text/turtle", "turtle"),
    "ntriples": ("application/n-triples", "nt"),
    "jsonld": ("application/ld+json", "json-ld"),
}
#: other media types clients send for the same formats
ALIASES = {
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/plain": "ntriples",
    "application/x-turtle": "turtle",
}


@dataclass
class Answer:
    body: bytes
    media_type: str


class NotAcceptable(UserError):
    """The client asked only for formats this kind of result has none of (HTTP 406)."""


def choose_format(
    kind: str, fmt: str | None, best_match: Callable[[list[str]], str | None]
) -> str:
    """The short format name for a result of ``kind`` ('results' or 'graph')."""
    names = RESULT_TYPES if kind == "results" else GRAPH_TYPES
    if fmt:
        fmt = fmt.lower()
        fmt = {"ttl": "turtle", "nt": "ntriples", "json-ld": "jsonld"}.get(fmt, fmt)
        if fmt not in names:
            raise NotAcceptable(
                f"format {fmt!r} is not available for this query; use one of {', '.join(names)}"
            )
        return fmt
    media = {
        (RESULT_TYPES[n] if kind == "results" else GRAPH_TYPES[n][0]): n for n in names
    }
    media.update({m: n for m, n in ALIASES.items() if n in names})
    chosen = best_match(list(media))
    if chosen is None:
        raise NotAcceptable(
            "none of the accepted media types is available; this query gives "
            + ", ".join(sorted({m for m, n in media.items() if m not in ALIASES}))
        )
    return media[chosen]


def _tsv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return term.n3()


def _tsv(columns: list[str], rows: Iterable[tuple]) -> bytes:
    lines = ["\t".join(f"?{c}" for c in columns)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _select_result(table: Table) -> Result:
    result = Result("SELECT")
    result.vars = [Variable(c) for c in table.columns]
    result.bindings = [
        {Variable(c): v for c, v in zip(table.columns, row, strict=True) if v is not None}
        for row in table.rows
    ]
    return result


def serialize(result: Table | bool | Graph, fmt: str) -> Answer:
    """Serialise a query result in the short format ``fmt`` (see the tables above)."""
    if isinstance(result, Graph):
        media, rdflib_format = GRAPH_TYPES[fmt]
        data = result.serialize(format=rdflib_format, encoding="utf-8")
        return Answer(data, media)
    if isinstance(result, bool):
        ask = Result("ASK")
        ask.askAnswer = result
        if fmt in ("csv", "tsv"):  # no standard form: the boolean on a line, as Jena does
            return Answer(f"{'true' if result else 'false'}\n".encode(), RESULT_TYPES[fmt])
        return Answer(ask.serialize(format=fmt, encoding="utf-8"), RESULT_TYPES[fmt])
    if fmt == "tsv":
        return Answer(_tsv(result.columns, result.rows), RESULT_TYPES["tsv"])
    data = _select_result(result).serialize(format=fmt, encoding="utf-8")
    return Answer(data or b"", RESULT_TYPES[fmt])


def answer(
    store: Store,
    query: str,
    fmt: str | None = None,
    best_match: Callable[[list[str]], str | None] = lambda offered: offered[0],
    timeout: float | None = None,
) -> Answer:
    """Run ``query`` read-only on ``store`` (stopped after ``timeout`` s) and serialise the
    result as negotiated. The store's guard refuses SERVICE, FROM and updates
    (:meth:`~sdgraph.store.Store.limited_query`)."""
    try:
        form = query_form(query)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if form == "UPDATE":
        raise UserError("this endpoint is read-only: SPARQL Update is not accepted")
    kind = "graph" if form in ("CONSTRUCT", "DESCRIBE") else "results"
    chosen = choose_format(kind, fmt, best_match)  # before running: a 406 costs nothing
    return serialize(store.limited_query(query, timeout), chosen)


def service_description(endpoint: str, fmt: str = "turtle") -> Answer:
    """The SPARQL 1.1 Service Description of the endpoint at ``endpoint``."""
    g = Graph()
    g.bind("sd", SD_SERVICE)
    service = BNode()
    g.add((service, RDF.type, SD_SERVICE.Service))
    g.add((service, SD_SERVICE.endpoint, URIRef(endpoint)))
    g.add((service, SD_SERVICE.supportedLanguage, SD_SERVICE.SPARQL11Query))
    g.add((service, SD_SERVICE.feature, SD_SERVICE.UnionDefaultGraph))
    for name in FORMAT_IRIS:
        g.add((service, SD_SERVICE.resultFormat, FORMATS[name]))
    return serialize(g, fmt)
