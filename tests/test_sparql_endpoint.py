"""The SPARQL 1.1 Protocol endpoint /sparql, over a real HTTP server on 127.0.0.1.

Clients: plain HTTP (urllib), SPARQLWrapper and rdflib's SPARQLStore. Expected
results are computed with the same store through the core library, never
taken from the endpoint itself.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from conftest import REMOTE_SERVERS, SOURCES, remote_store, wipe
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    N3,
    POST,
    RDF,
    RDFXML,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)
from werkzeug.serving import make_server

from sdgraph.build import init_store
from sdgraph.store import Store

QUERY = """PREFIX sd: <https://w3id.org/sdgraph/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?gemeente ?code ?naam WHERE {
  ?gemeente a sd:Gemeente ; sd:gemeentecode ?code .
  OPTIONAL { ?gemeente rdfs:label ?naam FILTER (lang(?naam) = "nl") }
} ORDER BY ?code"""
CONSTRUCT = """PREFIX sd: <https://w3id.org/sdgraph/def#>
CONSTRUCT { ?g sd:gemeentecode ?code } WHERE { ?g a sd:Gemeente ; sd:gemeentecode ?code }"""
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"
#: endpoint URL -> the store behind it
SERVED: dict[str, Store] = {}


@pytest.fixture(scope="module", params=["embedded", *REMOTE_SERVERS])
def server(request: pytest.FixtureRequest, example_store: Store) -> Iterator[str]:
    """The web app on a real HTTP server, over the example on each backend."""
    from web import create_app

    store: Store = example_store
    if request.param != "embedded":
        store = remote_store(request, request.param)
        init_store(store, "oirschot", SOURCES)
        assert len(store) == len(example_store)
    app = create_app(store=store, test_config={"TESTING": True})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_port}/sparql"
    SERVED[url] = store
    yield url
    httpd.shutdown()
    if store is not example_store:
        wipe(store)


@pytest.fixture(scope="module")
def expected(example_store: Store) -> list[tuple[str, str, str]]:
    rows = example_store.select(QUERY).rows
    assert len(rows) > 10
    return [(str(g), str(c), str(n) if n is not None else "") for g, c, n in rows]


def http(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None, method=None
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def json_rows(body: bytes) -> list[tuple[str, str, str]]:
    doc = json.loads(body)
    assert doc["head"]["vars"] == ["gemeente", "code", "naam"]
    return [
        (b["gemeente"]["value"], b["code"]["value"], b.get("naam", {}).get("value", ""))
        for b in doc["results"]["bindings"]
    ]


# --------------------------------------------------------------------------- plain HTTP


def test_get_post_form_and_post_body_agree(server, expected) -> None:
    accept = {"Accept": "application/sparql-results+json"}
    q = urllib.parse.urlencode({"query": QUERY})
    status, headers, body = http(f"{server}?{q}", headers=accept)
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    assert json_rows(body) == expected
    status, _, body = http(
        server,
        data=q.encode(),
        headers={**accept, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 200 and json_rows(body) == expected
    status, _, body = http(
        server,
        data=QUERY.encode(),
        headers={**accept, "Content-Type": "application/sparql-query"},
    )
    assert status == 200 and json_rows(body) == expected


@pytest.mark.parametrize(
    "accept, media",
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_result_formats_by_accept(server, expected, accept, media) -> None:
    q = urllib.parse.urlencode({"query": QUERY})
    status, headers, body = http(f"{server}?{q}", headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(media)
    text = body.decode("utf-8")
    if media.endswith("xml"):
        root = ET.fromstring(body)
        rows = []
        for result in root.iter(f"{RESULTS_NS}result"):
            cells = {b.get("name"): "".join(b.itertext()).strip() for b in result}
            rows.append((cells["gemeente"], cells["code"], cells.get("naam", "")))
        assert rows == expected
    elif media == "text/csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["gemeente", "code", "naam"]
        assert [tuple(r) for r in rows[1:]] == expected
    else:
        lines = text.rstrip("\n").split("\n")
        assert lines[0] == "?gemeente\t?code\t?naam"
        first = lines[1].split("\t")
        assert first[0] == f"<{expected[0][0]}>" and first[1] == f'"{expected[0][1]}"'
        assert len(lines) == len(expected) + 1


@pytest.mark.parametrize(
    "accept, rdflib_format",
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
    ],
)
def test_construct_formats(server, example_store, accept, rdflib_format) -> None:
    q = urllib.parse.urlencode({"query": CONSTRUCT})
    status, headers, body = http(f"{server}?{q}", headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(accept)
    got = Graph().parse(data=body, format=rdflib_format)
    want = example_store.query(CONSTRUCT)
    assert set(got) == set(want) and len(got) > 10


def test_format_parameter_overrides_accept(server) -> None:
    q = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }", "format": "xml"})
    status, headers, body = http(f"{server}?{q}", headers={"Accept": "application/json"})
    assert status == 200 and "sparql-results+xml" in headers["Content-Type"]
    assert ET.fromstring(body).find(f"{RESULTS_NS}boolean").text == "true"


def test_unknown_format_parameter_never_beats_a_valid_accept(server) -> None:
    """SPARQLWrapper sends format=, output= and results= with its own names; one this
    endpoint does not know is ignored, and Accept decides."""
    for fmt in ("bogus", "turtle"):  # turtle: not a format of SELECT results
        q = urllib.parse.urlencode({"query": QUERY, "format": fmt})
        status, headers, body = http(f"{server}?{q}", headers={"Accept": "text/csv"})
        assert status == 200 and headers["Content-Type"].startswith("text/csv"), fmt
    q = urllib.parse.urlencode({"query": QUERY, "format": "bogus"})
    status, _, body = http(f"{server}?{q}", headers={"Accept": "image/png"})
    assert status == 406 and b"bogus" in body


@pytest.mark.parametrize("accept, media", [
    ("application/sparql-results+json; charset=utf-8", "application/sparql-results+json"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("application/sparql-results+json;q=0, */*;q=0.1", "application/sparql-results+xml"),
    ("text/*", "text/csv"),
    ("*/*", "application/sparql-results+json"),
])
def test_accept_q_values_and_parameters(server, accept, media) -> None:
    q = urllib.parse.urlencode({"query": QUERY})
    status, headers, _ = http(f"{server}?{q}", headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].split(";")[0] == media, accept


@pytest.mark.parametrize("accept, rdflib_format", [
    ("application/rdf+xml", "xml"), ("text/n3", "n3"), ("text/plain", "nt"),
])
def test_construct_in_rdfxml_n3_and_plain_ntriples(server, example_store, accept,
                                                    rdflib_format) -> None:
    q = urllib.parse.urlencode({"query": CONSTRUCT})
    status, headers, body = http(f"{server}?{q}", headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(accept)
    assert set(Graph().parse(data=body, format=rdflib_format)) == set(
        example_store.query(CONSTRUCT))


def test_protocol_dataset_is_the_stores_own_graphs(server) -> None:
    """default-graph-uri / named-graph-uri choose from the store's named graphs: a graph
    that is not in the store is empty (never fetched), and the query's FROM gives way."""
    meta = "https://w3id.org/sdgraph/graph/meta"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    size = len(SERVED[server].select(
        f"SELECT * WHERE {{ GRAPH <{meta}> {{ ?s ?p ?o }} }}"))
    assert size > 10

    def n(query: str, **params: str | list[str]) -> int:
        q = urllib.parse.urlencode({"query": query, **params}, doseq=True)
        status, _, body = http(f"{server}?{q}", headers={"Accept": "application/json"})
        assert status == 200, body
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])

    assert n(count, **{"default-graph-uri": meta}) == size
    assert n(count, **{"default-graph-uri": "http://example.org/not-in-the-store"}) == 0
    assert n(f"SELECT (COUNT(*) AS ?n) FROM <{meta}> WHERE {{ ?s ?p ?o }}") == size
    assert n(f"SELECT (COUNT(*) AS ?n) FROM <{meta}> WHERE {{ ?s ?p ?o }}",
             **{"default-graph-uri": "http://example.org/not-in-the-store"}) == 0
    graphs = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert n(graphs, **{"named-graph-uri": [meta, "http://example.org/not-in-the-store"]}) == 1
    assert n(graphs, **{"default-graph-uri": meta}) == 0  # no named graphs given


def test_relative_iris_resolve_against_the_endpoint(server) -> None:
    q = urllib.parse.urlencode({"query": "SELECT ?x WHERE { BIND (<relative> AS ?x) }"})
    status, _, body = http(f"{server}?{q}", headers={"Accept": "application/json"})
    assert status == 200, body
    value = json.loads(body)["results"]["bindings"][0]["x"]["value"]
    assert value == server.rsplit("/", 1)[0] + "/relative"


def test_request_charset_head_duplicates_and_empty_query(server) -> None:
    ask = urllib.parse.urlencode({"query": "ASK {}"})
    status, headers, body = http(f"{server}?{ask}", method="HEAD")
    assert status == 200 and body == b""
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    status, _, body = http(f"{server}?query=ASK%20%7B%FF%7D")  # not UTF-8
    assert status == 400 and b"UTF-8" in body
    status, _, _ = http(server, data="ASK {}".encode("utf-16"),
                        headers={"Content-Type": "application/sparql-query; charset=UTF-16"})
    assert status == 415
    status, _, body = http(server, data="ASK { \u00e9 }".encode("latin-1"),
                           headers={"Content-Type": "application/sparql-query"})
    assert status == 400 and b"UTF-8" in body
    status, _, body = http(f"{server}?{ask}&{ask}")
    assert status == 400 and b"2 'query' parameters" in body
    status, _, body = http(f"{server}?{ask}", data=ask.encode(),
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400 and b"2 'query' parameters" in body
    for empty in ("", "%20%0A"):
        status, _, body = http(f"{server}?query={empty}")
        assert status == 400 and b"empty" in body


def test_a_browser_gets_a_page(server, expected) -> None:
    q = urllib.parse.urlencode({"query": QUERY})
    status, headers, body = http(f"{server}?{q}", headers={
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    page = body.decode("utf-8")
    assert "<table" in page and page.count("<tr>") == len(expected) + 1
    assert "GM0823" in page and "format=csv" in page
    status, headers, body = http(server, headers={"Accept": "text/html"})
    assert status == 200 and b"Service" in body  # the service description, readable


def test_service_description(server) -> None:
    status, headers, body = http(server, headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    g = Graph().parse(data=body, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    [service] = g.subjects(URIRef(sd + "endpoint"), URIRef(server))
    assert (service, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in g
    formats = set(g.objects(service, URIRef(sd + "resultFormat")))
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats


def test_cors(server) -> None:
    status, headers, _ = http(server, method="OPTIONS", headers={"Origin": "https://x.example"})
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    q = urllib.parse.urlencode({"query": "ASK {}"})
    _, headers, _ = http(f"{server}?{q}", headers={"Origin": "https://x.example"})
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_read_only_and_errors(server) -> None:
    size = len(SERVED[server])
    for data, ctype in [
        (b"DROP ALL", "application/sparql-update"),
        (
            urllib.parse.urlencode({"update": "DROP ALL"}).encode(),
            "application/x-www-form-urlencoded",
        ),
        (b"DROP ALL", "application/sparql-query"),
    ]:
        status, _, body = http(server, data=data, headers={"Content-Type": ctype})
        assert status == 400 and b"read-only" in body, (ctype, body)
    assert len(SERVED[server]) == size > 1000
    q = urllib.parse.urlencode({"query": "SELECT ?x WHERE { ?x ?y }"})
    status, headers, body = http(f"{server}?{q}")
    assert status == 400 and headers["Content-Type"].startswith("text/plain")
    assert b"syntax" in body.lower()
    q = urllib.parse.urlencode({"query": QUERY})
    status, _, body = http(f"{server}?{q}", headers={"Accept": "image/png"})
    assert status == 406 and b"application/sparql-results+json" in body
    status, _, _ = http(server, data=b"x", headers={"Content-Type": "image/png"})
    assert status == 415


# --------------------------------------------------------------------------- client libraries


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV, TURTLE, N3, JSONLD, RDFXML, RDF])
def test_sparqlwrapper_select_every_format(server, expected, method, fmt) -> None:
    """Every return format SPARQLWrapper has, GET and POST; the RDF ones are no formats of
    SELECT results, so Accept decides (SPARQLWrapper then sends */*: JSON)."""
    client = SPARQLWrapper(server)
    client.setQuery(QUERY)
    client.setMethod(method)
    client.setReturnFormat(fmt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # "Sending Accept header '*/*'"
        converted = client.query().convert()
    if fmt in (JSON, TURTLE, N3, JSONLD, RDFXML, RDF):
        assert json_rows(json.dumps(converted).encode()) == expected
    elif fmt == XML:  # a DOM document
        results = converted.getElementsByTagName("result")
        assert len(results) == len(expected)
    else:
        text = converted.decode("utf-8")
        sep = "," if fmt == CSV else "\t"
        assert len(text.strip().splitlines()) == len(expected) + 1
        assert sep in text.splitlines()[0]


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("fmt", [XML, TURTLE, N3, JSONLD, RDFXML, RDF, JSON])
@pytest.mark.parametrize("form", ["CONSTRUCT", "DESCRIBE"])
def test_sparqlwrapper_graphs_every_format(server, example_store, method, fmt, form) -> None:
    """CONSTRUCT and DESCRIBE in every RDF format SPARQLWrapper asks for (XML is RDF/XML,
    its default; N3 sends format=n3; JSON becomes JSON-LD), GET and POST."""
    query = CONSTRUCT if form == "CONSTRUCT" else (
        "DESCRIBE <https://identifier.overheid.nl/tooi/id/gemeente/gm0823>")
    client = SPARQLWrapper(server)
    client.setQuery(query)
    client.setMethod(method)
    client.setReturnFormat(fmt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        converted = client.query().convert()
    if isinstance(converted, Graph):
        got = converted
    elif isinstance(converted, bytes | str):
        got = Graph().parse(data=converted, format="json-ld" if fmt == JSON else "turtle")
    else:  # JSON-LD as parsed JSON
        got = Graph().parse(data=json.dumps(converted), format="json-ld")
    want = example_store.query(query)
    assert len(want) > 5
    plain = lambda g: {t for t in g if not any(isinstance(x, BNode) for x in t)}  # noqa: E731
    if form == "CONSTRUCT":
        assert len(got) == len(want) and plain(got) == plain(want)
    else:  # what DESCRIBE adds is the server's choice (Virtuoso: incoming triples too)
        assert plain(want) <= plain(got)


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_ask_and_long_queries(server, method) -> None:
    client = SPARQLWrapper(server)
    client.setMethod(method)
    client.setQuery("ASK { ?s a <https://w3id.org/sdgraph/def#Gemeente> }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True
    client.setReturnFormat(XML)
    assert "true" in client.query().convert().toxml()
    long = "# " + "x" * 6000 + "\nASK { ?s a <https://w3id.org/sdgraph/def#Gemeente> }"
    client.setQuery(long)
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True


def test_rdflib_sparqlstore(server, expected) -> None:
    remote = SPARQLStore(server, returnFormat="json")
    rows = [(str(g), str(c), str(n) if n is not None else "") for g, c, n in remote.query(QUERY)]
    assert rows == expected
    graph = Graph(store=SPARQLStore(server))  # default settings: XML results, GET
    assert graph.query("ASK { ?s ?p ?o }").askAnswer is True
    oirschot = URIRef("https://identifier.overheid.nl/tooi/id/gemeente/gm0823")
    codes = list(graph.objects(oirschot, URIRef("https://w3id.org/sdgraph/def#gemeentecode")))
    assert codes == [Literal("GM0823")]
    rows = [(str(g), str(c), str(n) if n is not None else "") for g, c, n in graph.query(QUERY)]
    assert rows == expected
    described = graph.query(f"CONSTRUCT {{ <{oirschot}> ?p ?o }} WHERE {{ <{oirschot}> ?p ?o }}")
    assert (oirschot, URIRef("https://w3id.org/sdgraph/def#gemeentecode"),
            Literal("GM0823")) in set(described)


def test_rdflib_sparqlstore_with_a_named_graph(server) -> None:
    """Graph(SPARQLStore(url), identifier=g) sends default-graph-uri=g: the graph's own
    triples, not the union."""
    meta = URIRef("https://w3id.org/sdgraph/graph/meta")
    store = SERVED[server]
    want = {(str(s), str(p), str(o)) for s, p, o in store.select(
        f"SELECT ?s ?p ?o WHERE {{ GRAPH <{meta}> {{ ?s ?p ?o }} }}").rows}
    graph = Graph(store=SPARQLStore(server), identifier=meta)
    got = {(str(s), str(p), str(o)) for s, p, o in graph.triples((None, None, None))}
    assert got == want and len(got) > 10
    rows = graph.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert [int(r[0]) for r in rows] == [len(want)]
    gemeente = URIRef("https://w3id.org/sdgraph/def#Gemeente")
    assert graph.query(f"ASK {{ ?x a <{gemeente}> }}").askAnswer is False  # not in meta
    assert Graph(store=SPARQLStore(server)).query(
        f"ASK {{ ?x a <{gemeente}> }}").askAnswer is True


def test_from_and_load_make_no_connection(server) -> None:
    """FROM / FROM NAMED name graphs of the store (an IRI elsewhere is an empty graph,
    never fetched) and LOAD (an update) is refused; the listener on 127.0.0.1 gets
    nothing."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(1.0)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/data.ttl"
    try:
        for query in (f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
                      f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"):
            q = urllib.parse.urlencode({"query": query})
            status, _, body = http(f"{server}?{q}", headers={"Accept": "text/csv"})
            assert status == 200 and body.strip().count(b"\n") == 0, body  # header only
        status, _, body = http(server, data=urllib.parse.urlencode(
            {"query": f"LOAD <{url}>"}).encode())
        assert status == 400
        status, _, body = http(server, data=urllib.parse.urlencode(
            {"update": f"LOAD <{url}>"}).encode())
        assert status == 400
        with pytest.raises(TimeoutError):
            listener.accept()
    finally:
        listener.close()


def test_service_is_refused_and_no_connection_is_made(server) -> None:
    """A SERVICE clause pointing at a listener on 127.0.0.1: 400, and nothing arrives."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(1.0)
    port = listener.getsockname()[1]
    try:
        for query in (
            f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
            f"select * {{ service silent <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
        ):
            q = urllib.parse.urlencode({"query": query})
            status, _, body = http(f"{server}?{q}")
            assert status == 400 and b"SERVICE is not allowed" in body
        with pytest.raises(TimeoutError):
            listener.accept()
    finally:
        listener.close()
    # a prefixed name that happens to be called 'service' is not a SERVICE clause
    q = urllib.parse.urlencode(
        {"query": "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:service ?o }"}
    )
    assert http(f"{server}?{q}")[0] == 200
