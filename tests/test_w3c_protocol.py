"""The W3C SPARQL 1.1 Protocol test cases (tests/data/w3c-protocol, unchanged from
w3c/rdf-tests) run against /sparql over real HTTP: the dev server (werkzeug, Flask)
on the embedded store and on each remote SPARQL server, and the production server
(``sdgraph serve --production``, gunicorn) on an embedded store.

A small manifest-driven runner: every ``mf:ProtocolTest`` is a list of HTTP requests
(method, path, headers, body in its character encoding) with the expected status class,
and for some the expected format (boolean, tabular, RDF) and boolean. The requests are
sent as the manifest writes them (``http.client``: no header added). Query tests must
pass as written. The endpoint is read-only, so an update test passes when every update
request is refused with a 4xx, the store is unchanged, and a query that checks the
update's effect answers (false).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import REMOTE_SERVERS, remote_store
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from sdgraph.store import EmbeddedStore, Store

HERE = Path(__file__).parent / "data" / "w3c-protocol"
MANIFEST = HERE / "manifest.ttl"
BIN = Path(sys.executable).parent

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")

RESULT_TYPES = {"application/sparql-results+xml", "application/sparql-results+json",
                "text/csv", "text/tab-separated-values"}
RDF_TYPES = {"application/rdf+xml": "xml", "text/turtle": "turtle",
             "application/n-triples": "nt", "text/plain": "nt"}


@dataclass
class Step:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[str]  # "2xx", "3xx", "4xx"
    boolean: bool | None
    fmt: str | None


@dataclass
class Case:
    name: str
    title: str
    steps: list[Step]
    graphs: dict[str, Path] = field(default_factory=dict)

    @property
    def update(self) -> bool:
        return "update" in self.name


def _cases() -> list[Case]:
    g = Graph().parse(MANIFEST, format="turtle")
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    cases = []
    for entry in Collection(g, g.value(manifest, MF.entries)):
        action = g.value(entry, MF.action)
        steps = []
        for req in Collection(g, g.value(action, HT.requests)):
            headers = {}
            if g.value(req, HT.headers) is not None:
                for h in Collection(g, g.value(req, HT.headers)):
                    headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
            body = None
            if (b := g.value(req, HT.body)) is not None:
                body = str(g.value(b, CNT.chars)).encode(
                    str(g.value(b, CNT.characterEncoding)).lower())
            resp = g.value(req, HT.resp)
            statuses = {str(s).rsplit("StatusCode", 1)[1].lower()
                        for s in g.objects(resp, MF.expectedStatus)}
            boolean = g.value(resp, MF.expectedBoolean)
            fmt = g.value(resp, MF.expectedFormat)
            steps.append(Step(str(g.value(req, HT.methodName)), str(g.value(req, HT.absolutePath)),
                              headers, body, statuses,
                              None if boolean is None else boolean.toPython(),
                              None if fmt is None else str(fmt)))
        graphs = {str(g.value(d, RDFS.label)): HERE / Path(str(g.value(d, UT.graph))).name
                  for d in g.objects(entry, UT.graphData)}
        cases.append(Case(str(entry).rsplit("#", 1)[1], str(g.value(entry, MF.name)), steps,
                          graphs))
    return cases


CASES = _cases()
GRAPHS = {label: path for case in CASES for label, path in case.graphs.items()}


def test_the_manifest_is_read_whole() -> None:
    """34 tests: 20 queries (or bad queries), 14 updates; every step has a status."""
    assert len(CASES) == 34
    assert sum(not c.update for c in CASES) == 20
    assert all(step.statuses for c in CASES for step in c.steps)
    assert set(GRAPHS) == {f"http://kasei.us/2009/09/sparql/data/data{i}.rdf" for i in (1, 2, 3)}


# --------------------------------------------------------------------------- servers


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _load(store: Store) -> None:
    for label, path in GRAPHS.items():
        store.load_files([path], graph=label)


@dataclass
class Endpoint:
    host: str
    port: int
    store: Store | None  # to check that nothing changed (None: read from a fresh opening)
    reopen: object = None

    def state(self) -> tuple[int, list[str]]:
        store = self.store or self.reopen()
        try:
            return len(store), store.named_graphs()
        finally:
            if self.store is None:
                store.close()


def _dev_server(store: Store) -> Iterator[Endpoint]:
    from werkzeug.serving import make_server

    from web import create_app

    app = create_app(store=store, test_config={"TESTING": True})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield Endpoint("127.0.0.1", httpd.server_port, store)
    httpd.shutdown()


@pytest.fixture(scope="module", params=["dev-embedded", *[f"dev-{s}" for s in REMOTE_SERVERS],
                                        "production"])
def endpoint(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[Endpoint]:
    kind = request.param
    if kind == "dev-embedded":
        store = EmbeddedStore(None)
        _load(store)
        yield from _dev_server(store)
        store.close()
    elif kind.startswith("dev-"):
        store = remote_store(request, kind[4:])
        _load(store)
        yield from _dev_server(store)
        store.close()
    else:
        folder = tmp_path_factory.mktemp("w3c-production") / "store"
        writer = EmbeddedStore(folder)
        _load(writer)
        writer.close()
        port = _free_port()
        env = {**os.environ, "SDGRAPH_STORE": str(folder)}
        env.pop("SDGRAPH_ENDPOINT", None)
        log_path = folder.parent / "gunicorn.log"  # a file: a pipe nobody reads fills up
        log = open(log_path, "wb")  # noqa: SIM115
        server = subprocess.Popen(
            [BIN / "sdgraph", "serve", "--production", "--port", str(port), "--workers", "2",
             "--threads", "2"],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/sparql", timeout=2).read()
                    break
                except OSError:
                    assert server.poll() is None, log_path.read_text(errors="replace")
                    assert time.monotonic() < deadline, "the production server did not start"
                    time.sleep(0.2)
            yield Endpoint("127.0.0.1", port, None,
                           lambda: EmbeddedStore(folder, read_only=True))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
            log.close()


# --------------------------------------------------------------------------- the runner


def send(endpoint: Endpoint, step: Step) -> tuple[int, str, bytes]:
    """One request, exactly as the manifest writes it (no header added but Host)."""
    path = step.path.replace("/sparql/", "/sparql", 1)
    conn = http.client.HTTPConnection(endpoint.host, endpoint.port, timeout=60)
    try:
        conn.putrequest(step.method, path, skip_accept_encoding=True)
        for name, value in step.headers.items():
            conn.putheader(name, value)
        if step.body is not None:
            conn.putheader("Content-Length", str(len(step.body)))
        conn.endheaders(step.body)
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        conn.close()


def boolean_of(media: str, body: bytes) -> bool:
    if media == "application/sparql-results+json":
        return json.loads(body)["boolean"]
    root = ET.fromstring(body)
    return root.find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"


def check(step: Step, status: int, media: str, body: bytes) -> None:
    assert f"{status // 100}xx" in step.statuses, (status, body[:300])
    if step.fmt == "boolean":
        assert media in ("application/sparql-results+json", "application/sparql-results+xml")
        answer = boolean_of(media, body)
        assert step.boolean is None or answer is step.boolean
    elif step.fmt == "tabular":
        assert media in RESULT_TYPES
    elif step.fmt == "RDF":
        assert media in RDF_TYPES
        Graph().parse(data=body, format=RDF_TYPES[media])


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_w3c_protocol(endpoint: Endpoint, case: Case) -> None:
    before = endpoint.state()
    for step in case.steps:
        status, content_type, body = send(endpoint, step)
        media = content_type.split(";")[0].strip()
        is_update = case.update and step.fmt is None
        if not is_update:
            if case.update:  # a query that checks the (refused) update's effect
                assert status == 200 and boolean_of(media, body) is False, (status, body)
            else:
                check(step, status, media, body)
        else:
            assert 400 <= status < 500, (case.title, status, body[:300])
    assert endpoint.state() == before  # nothing changed


def test_update_tests_are_refused_as_read_only(endpoint: Endpoint) -> None:
    """The update requests are refused for being updates, not by accident: the answer
    says the endpoint is read-only (or the request is malformed, for the bad_ ones)."""
    for case in CASES:
        if not case.update or case.name.startswith("bad_"):
            continue
        status, _, body = send(endpoint, case.steps[0])
        assert status == 400 and b"read-only" in body, (case.name, status, body)


def test_long_get_is_accepted(endpoint: Endpoint) -> None:
    """A query of 20 KB by GET (a URL of about 60 KB): SPARQLWrapper and rdflib send
    queries by GET; gunicorn refuses request lines over 4,094 bytes unless told."""
    query = "# " + "é" * 10_000 + "\nASK { GRAPH ?g { ?s ?p ?o } }"
    step = Step("GET", "/sparql?" + urllib.parse.urlencode({"query": query}),
                {"Accept": "application/sparql-results+json"}, None, {"2xx"}, True, "boolean")
    assert len(step.path) > 50_000
    status, content_type, body = send(endpoint, step)
    check(step, status, content_type.split(";")[0], body)


def test_clients_with_their_default_settings(endpoint: Endpoint) -> None:
    """SPARQLWrapper (GET, its default formats: XML results, RDF/XML graphs) with a query
    of 6 KB, and rdflib's SPARQLStore on a named graph (it sends default-graph-uri) and on
    the whole store: the answers are the loaded graphs, as N-Triples files say."""
    from rdflib import URIRef
    from rdflib.plugins.stores.sparqlstore import SPARQLStore
    from SPARQLWrapper import SPARQLWrapper

    url = f"http://{endpoint.host}:{endpoint.port}/sparql"
    files = {label: Graph().parse(path, format="nt") for label, path in GRAPHS.items()}
    client = SPARQLWrapper(url)  # GET, XML
    padding = "# " + "x" * 6000 + "\n"
    # the test's graphs (not the load records, nor a server's own graphs: Virtuoso's)
    own = "VALUES ?g { " + " ".join(f"<{label}>" for label in GRAPHS) + " }"
    client.setQuery(padding + "SELECT ?g (COUNT(*) AS ?n) "
                    f"WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {own} }} "
                    "GROUP BY ?g")
    doc = client.query().convert()  # a DOM of application/sparql-results+xml
    rows = {}
    for result in doc.getElementsByTagName("result"):
        cells = {b.getAttribute("name"): b.firstChild.firstChild.data
                 for b in result.getElementsByTagName("binding")}
        rows[cells["g"]] = int(cells["n"])
    assert rows == {label: len(g) for label, g in files.items()}
    client.setQuery(padding + f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {own} }}")
    union = Graph()
    for g in files.values():
        union += g
    assert set(client.query().convert()) == set(union)  # RDF/XML, parsed by SPARQLWrapper
    for label, g in files.items():
        named = Graph(store=SPARQLStore(url), identifier=URIRef(label))
        assert set(named.triples((None, None, None))) == set(g)
    everything = set(Graph(store=SPARQLStore(url)).triples((None, None, None)))
    assert set(union) <= everything  # and the load records
