"""SPARQL 1.1 Protocol (query operation) over a :class:`~sdgraph.store.Store`, read-only.

:func:`parse_request` reads one HTTP request as the protocol defines it (GET, POST
as a form or with the query as the body; the request's charset is checked,
duplicate or empty ``query`` parameters and every update are refused), and
:func:`answer` runs the query and serialises the result as negotiated:

- the RDF dataset: ``default-graph-uri`` / ``named-graph-uri``, else the query's
  own FROM / FROM NAMED, chosen from the store's named graphs (nothing is ever
  fetched); without either, the default graph is the union of all graphs;
- relative IRIs resolve against the endpoint's own URL (its base IRI);
- the format: a known ``format`` (or ``output``) parameter, else the ``Accept``
  header (q-values and media-type parameters as RFC 9110 says; a ``format``
  this endpoint does not know never beats a valid Accept): SPARQL Results
  JSON, XML, CSV, TSV for SELECT and ASK; Turtle, N-Triples, N3, RDF/XML,
  JSON-LD for CONSTRUCT and DESCRIBE; ``text/html`` (a browser) gets a page.

The web layer (``web/views/sparql.py``) only moves HTTP in and out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Namespace, URIRef, Variable
from rdflib.namespace import RDF
from rdflib.query import Result

from .errors import UserError
from .sparql import dataset_clauses, has_relative_iri, query_form, term_text
from .store import Dataset, Store, Table

SD_SERVICE = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

#: kind of result -> short format name -> (media type, rdflib serializer or None)
TYPES: dict[str, dict[str, tuple[str, str | None]]] = {
    "results": {
        "json": ("application/sparql-results+json", "json"),
        "xml": ("application/sparql-results+xml", "xml"),
        "csv": ("text/csv", "csv"),
        "tsv": ("text/tab-separated-values", None),
        "html": ("text/html", None),
    },
    "graph": {
        "turtle": ("text/turtle", "turtle"),
        "ntriples": ("application/n-triples", "nt"),
        "rdfxml": ("application/rdf+xml", "xml"),
        "jsonld": ("application/ld+json", "json-ld"),
        "n3": ("text/n3", "n3"),
        "html": ("text/html", None),
    },
}
#: other media types clients send for the same formats, per kind (offered after the
#: canonical ones, so a wildcard gets the canonical type)
MEDIA_ALIASES: dict[str, dict[str, str]] = {
    "results": {
        "application/json": "json",
        "application/xml": "xml",
        "text/xml": "xml",
        "application/javascript": "json",
        "text/javascript": "json",
    },
    "graph": {
        "application/x-turtle": "turtle",
        "application/turtle": "turtle",
        "text/plain": "ntriples",
        "application/xml": "rdfxml",
        "text/xml": "rdfxml",
        "application/x-json+ld": "jsonld",
        "text/rdf+n3": "n3",
        "application/n3": "n3",
    },
}
#: names a ``format`` / ``output`` parameter may use, per kind (media types too)
FORMAT_NAMES: dict[str, dict[str, str]] = {
    "results": {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "html": "html"},
    "graph": {
        "turtle": "turtle", "ttl": "turtle", "nt": "ntriples", "ntriples": "ntriples",
        "n-triples": "ntriples", "rdf": "rdfxml", "rdfxml": "rdfxml", "rdf+xml": "rdfxml",
        "xml": "rdfxml", "json-ld": "jsonld", "jsonld": "jsonld", "json": "jsonld",
        "n3": "n3", "html": "html",
    },
}
#: the W3C format IRIs of what this endpoint writes (for the service description)
FORMAT_IRIS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
               "SPARQL_Results_TSV", "Turtle", "N-Triples", "RDF_XML", "JSON-LD", "N3")
#: media types whose body is text (the response says charset=utf-8)
_TEXT = re.compile(r"^(text/|application/(sparql-results\+json|json|ld\+json|javascript))")


class ProtocolError(UserError):
    """A request the protocol refuses, with its HTTP status (400, 406 or 415)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class NotAcceptable(ProtocolError):
    """The client asked only for formats this kind of result has none of (HTTP 406)."""

    def __init__(self, message: str) -> None:
        super().__init__(406, message)


READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted"


@dataclass
class Request:
    """One protocol request: the query (None when none was given) and its parameters."""

    query: str | None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)

    @property
    def dataset(self) -> Dataset | None:
        if not self.default_graphs and not self.named_graphs:
            return None
        return Dataset(tuple(self.default_graphs), tuple(self.named_graphs))


@dataclass
class Answer:
    """A serialised result; for ``text/html`` the result itself (``body`` is empty) for
    the web layer to render."""

    body: bytes
    media_type: str
    result: Table | bool | Graph | None = None
    query: str = ""

    @property
    def content_type(self) -> str:
        text = _TEXT.match(self.media_type)
        return f"{self.media_type}; charset=utf-8" if text else self.media_type


# --------------------------------------------------------------------------- the request


def _form(data: bytes, where: str) -> list[tuple[str, str]]:
    """``a=1&b=2`` (application/x-www-form-urlencoded) as pairs; percent-escapes must
    decode as UTF-8 (the protocol's encoding), else a 400."""
    pairs: list[tuple[str, str]] = []
    for part in data.split(b"&"):
        if not part:
            continue
        key, _, value = part.partition(b"=")
        try:
            pairs.append(tuple(  # type: ignore[arg-type]
                _unquote(x).decode("utf-8", errors="strict") for x in (key, value)))
        except UnicodeDecodeError:
            raise ProtocolError(400, f"the {where} is not valid UTF-8 "
                                     "(percent-encode the query as UTF-8)") from None
    return pairs


def _unquote(data: bytes) -> bytes:
    from urllib.parse import unquote_to_bytes

    return unquote_to_bytes(data.replace(b"+", b" "))


def _values(pairs: Iterable[tuple[str, str]], name: str) -> list[str]:
    return [v for k, v in pairs if k == name]


def _media(content_type: str | None) -> tuple[str, dict[str, str]]:
    """A Content-Type header as (media type, parameters), lower-cased."""
    if not content_type:
        return "", {}
    head, *params = content_type.split(";")
    parsed = {}
    for p in params:
        key, _, value = p.partition("=")
        parsed[key.strip().lower()] = value.strip().strip('"').lower()
    return head.strip().lower(), parsed


def _absolute_iri(value: str, name: str) -> str:
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$", value):
        raise ProtocolError(400, f"{name} must be an absolute IRI, got {value!r}")
    return value


def parse_request(method: str, query_string: bytes, content_type: str | None,
                  body: bytes) -> Request:
    """Read a protocol request; :class:`ProtocolError` when the protocol refuses it."""
    url = _form(query_string, "URL")
    if method in ("GET", "HEAD"):
        params = url
        if _values(params, "update"):
            raise ProtocolError(400, READ_ONLY)
        queries = _values(params, "query")
    elif method == "POST":
        media, options = _media(content_type)
        charset = options.get("charset", "utf-8")
        if charset not in ("utf-8", "utf8"):
            raise ProtocolError(415, f"the request's charset is {charset}; send UTF-8")
        if media == "application/x-www-form-urlencoded":
            params = url + _form(body, "form body")
            if _values(params, "update"):
                raise ProtocolError(400, READ_ONLY)
            queries = _values(params, "query")
            if not queries:
                raise ProtocolError(400, "no query given: send the form field 'query'")
        elif media == "application/sparql-query":
            params = url
            if _values(params, "query"):
                raise ProtocolError(400, "the query is the body: no 'query' parameter too")
            try:
                queries = [body.decode("utf-8", errors="strict")]
            except UnicodeDecodeError:
                raise ProtocolError(400, "the query is not valid UTF-8") from None
        elif media == "application/sparql-update" or _values(url, "update"):
            raise ProtocolError(400, READ_ONLY)
        else:
            raise ProtocolError(
                415, "send the query as ?query=..., as a form field 'query' "
                     "(application/x-www-form-urlencoded) or as the body "
                     "(application/sparql-query)")
    else:
        raise ProtocolError(405, f"{method} is not a SPARQL Protocol request")
    if len(queries) > 1:
        raise ProtocolError(400, f"{len(queries)} 'query' parameters: send one query")
    query = queries[0] if queries else None
    if query is not None and not query.strip():
        raise ProtocolError(400, "the query is empty")
    return Request(
        query=query,
        default_graphs=[_absolute_iri(v, "default-graph-uri")
                        for v in _values(params, "default-graph-uri")],
        named_graphs=[_absolute_iri(v, "named-graph-uri")
                      for v in _values(params, "named-graph-uri")],
        formats=_values(params, "format") + _values(params, "output"),
    )


# --------------------------------------------------------------------------- negotiation


def _accept(header: str) -> list[tuple[str, str, float]]:
    """An Accept header as (type, subtype, q) per media range; parameters other than q
    (``charset=utf-8``) do not narrow the range (every answer is UTF-8)."""
    ranges = []
    for item in header.split(","):
        media, options = _media(item)
        if "/" not in media:
            continue
        main, _, sub = media.partition("/")
        try:
            q = float(options.get("q", "1"))
        except ValueError:
            q = 0.0
        ranges.append((main.strip(), sub.strip(), max(0.0, min(q, 1.0))))
    return ranges


def negotiate(accept: str | None, offered: list[str]) -> str | None:
    """The offered media type the client prefers: the highest q of the most specific
    matching range; ties go to the earlier offered type. None if none is acceptable.
    No (or no valid) Accept header accepts anything."""
    ranges = _accept(accept or "")
    if not ranges:
        return offered[0] if offered else None
    best: tuple[float, str] | None = None
    for media in offered:
        main, _, sub = media.partition("/")
        matches = [(2 if (t, s) == (main, sub) else 1 if (t == main and s == "*")
                    else 0 if (t, s) == ("*", "*") else -1, q) for t, s, q in ranges]
        matches = [m for m in matches if m[0] >= 0]
        if not matches:
            continue
        specific = max(m[0] for m in matches)
        q = max(q for s, q in matches if s == specific)
        if q > 0 and (best is None or q > best[0]):
            best = (q, media)
    return best[1] if best else None


def choose_format(kind: str, formats: list[str], accept: str | None) -> tuple[str, str]:
    """(short name, media type) for a result of ``kind`` ('results' or 'graph'): the first
    ``format`` value known for this kind, else the Accept header's choice."""
    types = TYPES[kind]
    by_media = {m: n for n, (m, _) in types.items()} | MEDIA_ALIASES[kind]
    for value in formats:
        value = value.strip().lower()
        name = FORMAT_NAMES[kind].get(value) or by_media.get(value)
        if name:
            return name, types[name][0]
    chosen = negotiate(accept, list(by_media))
    if chosen is None:
        given = f"format={formats[0]!r} is not known for this query and " if formats else ""
        raise NotAcceptable(
            f"{given}none of the accepted media types is available; this query gives "
            + ", ".join(m for m, _ in types.values())
        )
    return by_media[chosen], chosen


# --------------------------------------------------------------------------- serialising


def _tsv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    try:
        return term_text(term)  # escapes line breaks and tabs, which would split a row
    except ValueError:
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


def serialize(result: Table | bool | Graph, fmt: str, media: str | None = None) -> Answer:
    """Serialise a query result in the short format ``fmt`` (see :data:`TYPES`), labelled
    ``media`` (default: the format's own media type)."""
    kind = "graph" if isinstance(result, Graph) else "results"
    own, serializer = TYPES[kind][fmt]
    media = media or own
    if fmt == "html":
        return Answer(b"", media, result)
    if isinstance(result, Graph):
        return Answer(result.serialize(format=serializer, encoding="utf-8"), media)
    if isinstance(result, bool):
        if fmt in ("csv", "tsv"):  # no standard form: the boolean on a line, as Jena does
            return Answer(f"{'true' if result else 'false'}\n".encode(), media)
        ask = Result("ASK")
        ask.askAnswer = result
        return Answer(ask.serialize(format=serializer, encoding="utf-8"), media)
    if fmt == "tsv":
        return Answer(_tsv(result.columns, result.rows), media)
    data = _select_result(result).serialize(format=serializer, encoding="utf-8")
    return Answer(data or b"", media)


# --------------------------------------------------------------------------- running


def answer(
    store: Store,
    request: Request,
    accept: str | None = None,
    base_iri: str | None = None,
    timeout: float | None = None,
) -> Answer:
    """Run the request's query read-only on ``store`` (stopped after ``timeout`` s) and
    serialise the result as negotiated. Its FROM / FROM NAMED clauses become the dataset
    (taken out of the text); the store's guard refuses SERVICE and updates
    (:meth:`~sdgraph.store.Store.limited_query`)."""
    query = request.query or ""
    try:
        form = query_form(query)
    except ValueError as exc:
        raise ProtocolError(400, str(exc)) from None
    if form == "UPDATE":
        raise ProtocolError(400, READ_ONLY)
    kind = "graph" if form in ("CONSTRUCT", "DESCRIBE") else "results"
    fmt, media = choose_format(kind, request.formats, accept)  # a 406 costs nothing
    if base_iri and not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*", base_iri):
        base_iri = None  # a strange Host header: no base rather than a broken query
    if base_iri and has_relative_iri(query):
        query = f"BASE <{base_iri}> {query}"  # on line 1: later lines keep their numbers
    try:
        clauses = dataset_clauses(query, base_iri)
    except ValueError as exc:
        raise ProtocolError(400, str(exc)) from None
    dataset = request.dataset
    if clauses is not None:  # the protocol's dataset wins over the query's (the spec)
        query = clauses.text
        dataset = dataset or Dataset(clauses.default_graphs, clauses.named_graphs)
    result = store.limited_query(query, timeout, dataset)
    out = serialize(result, fmt, media)
    out.query = request.query or ""
    return out


def service_description(endpoint: str, fmt: str = "turtle", media: str | None = None
                        ) -> Answer:
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
    return serialize(g, fmt, media)
