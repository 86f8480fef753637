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
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from conftest import SOURCES
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper
from werkzeug.serving import make_server

from sdgraph.build import init_store
from sdgraph.store import RemoteStore, Store

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


@pytest.fixture(scope="module", params=["embedded", "remote"])
def server(request: pytest.FixtureRequest, example_store: Store) -> Iterator[str]:
    """The web app on a real HTTP server, over the example on each backend."""
    from web import create_app

    store: Store = example_store
    if request.param == "remote":
        store = RemoteStore(request.getfixturevalue("oxigraph_server").query_url)
        store.update("DROP ALL")
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
        store.update("DROP ALL")


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


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_every_format(server, expected, fmt) -> None:
    client = SPARQLWrapper(server)
    client.setQuery(QUERY)
    client.setReturnFormat(fmt)
    result = client.query()
    converted = result.convert()
    if fmt == JSON:
        assert json_rows(json.dumps(converted).encode()) == expected
    elif fmt == XML:  # a DOM document
        results = converted.getElementsByTagName("result")
        assert len(results) == len(expected)
    else:
        text = converted.decode("utf-8")
        sep = "," if fmt == CSV else "\t"
        assert len(text.strip().splitlines()) == len(expected) + 1
        assert sep in text.splitlines()[0]


def test_sparqlwrapper_ask_and_construct(server, example_store) -> None:
    client = SPARQLWrapper(server)
    client.setQuery("ASK { ?s a <https://w3id.org/sdgraph/def#Gemeente> }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True
    client.setQuery(CONSTRUCT)
    client.setReturnFormat("turtle")
    body = client.query().convert()
    got = Graph().parse(data=body, format="turtle")
    assert set(got) == set(example_store.query(CONSTRUCT))


def test_rdflib_sparqlstore(server, expected) -> None:
    remote = SPARQLStore(server, returnFormat="json")
    rows = [(str(g), str(c), str(n) if n is not None else "") for g, c, n in remote.query(QUERY)]
    assert rows == expected
    graph = Graph(store=SPARQLStore(server))
    assert graph.query("ASK { ?s ?p ?o }").askAnswer is True
    oirschot = URIRef("https://identifier.overheid.nl/tooi/id/gemeente/gm0823")
    codes = list(graph.objects(oirschot, URIRef("https://w3id.org/sdgraph/def#gemeentecode")))
    assert codes == [Literal("GM0823")]


def test_from_and_load_make_no_connection(server) -> None:
    """FROM / FROM NAMED (the default graph is the union of all graphs) and LOAD (an update)
    are refused with a reason; the listener on 127.0.0.1 gets nothing."""
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
            assert status == 400 and b"FROM and FROM NAMED are not supported" in body
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
