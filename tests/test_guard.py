"""The guard for user-written SPARQL: no spelling of SERVICE, FROM or an update gets
through, and no request reaches another host (a listener on 127.0.0.1 that must receive
nothing) on /sparql GET and POST, the workbench, and named queries, on a store whose
queries run in the confined workers. Where the guard could be bypassed, the worker
itself cannot connect."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import serving

from sdgraph import guard
from sdgraph.build import init_store
from sdgraph.guard import QueryRefused
from sdgraph.store import EmbeddedStore


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


def spellings(port: int) -> dict[str, str]:
    """Every way found to write a federated or dataset clause, pointing at ``port``."""
    url = f"http://127.0.0.1:{port}/x"
    return {
        "plain": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?x ?p ?o }} }}",
        "silent, lower case": f"select * {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        "mixed case": f"SELECT * WHERE {{ sErViCe <{url}> {{ ?x ?p ?o }} }}",
        # the reported bypass: '\#' in a prefixed name is not a comment
        "escaped # in a name": "PREFIX ex: <http://e/> SELECT * WHERE { BIND(ex:a\\# AS ?q) "
                               f"SERVICE <{url}> {{ ?x ?p ?o }} }}",
        "escaped # then newline": "PREFIX ex: <http://e/>\nSELECT * WHERE { ?s ?p ex:a\\# . "
                                  f"SERVICE <{url}> {{ ?x ?y ?z }}\n}}",
        "after a comment": f"SELECT * WHERE {{ # a comment }}\n SERVICE <{url}> {{ ?x ?p ?o }} }}",
        "in a comment-looking string": f'SELECT * WHERE {{ BIND("#" AS ?c) SERVICE <{url}> '
                                       "{ ?x ?p ?o } }",
        "\\u escape": f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?x ?p ?o }} }}",
        "\\U escape": f"SELECT * WHERE {{ \\U00000053ERVICE <{url}> {{ ?x ?p ?o }} }}",
        "long s": f"SELECT * WHERE {{ \u017fERVICE <{url}> {{ ?x ?p ?o }} }}",
        "in EXISTS": f"ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?x ?p ?o }} }} }}",
        "in a sub-select": f"SELECT * {{ {{ SELECT * {{ SERVICE <{url}> {{ ?x ?p ?o }} }} }} }}",
        "variable endpoint": f"SELECT * {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?x ?p ?o }} }}",
        "FROM": f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
        "FROM NAMED": f"select * from named <{url}> {{ graph ?g {{ ?s ?p ?o }} }}",
        "FROM as \\u": f"SELECT * \\u0046ROM <{url}> WHERE {{ ?s ?p ?o }}",
        "LOAD": f"LOAD <{url}>",
        "LOAD in a form": f"LOAD <{url}> INTO GRAPH <http://e/g>",
    }


@pytest.mark.parametrize("name", list(spellings(9)))
def test_guard_refuses_every_spelling(name: str) -> None:
    with pytest.raises(QueryRefused) as refused:
        guard.check(spellings(9)[name])
    assert refused.value.reason in ("service", "from", "update", "syntax")


@pytest.mark.parametrize("query", [
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:service ?o }",
    "SELECT ?service WHERE { ?service ?p 'service' }",
    "PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:x ?o }",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:from ?o }",
    'SELECT * WHERE { ?s ?p "from" } # FROM in a comment',
    "PREFIX ex: <http://e/> SELECT * WHERE { BIND(ex:a\\# AS ?q) }",
    "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
])
def test_guard_lets_harmless_queries_through(query: str) -> None:
    assert guard.check(query) == "SELECT"


def test_a_service_word_rdflib_took_for_a_comment_is_refused() -> None:
    # rdflib sees no SERVICE pattern here; the word still occurs outside every term
    with pytest.raises(QueryRefused) as refused:
        guard.check("SELECT * WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1:9/>")
    assert refused.value.reason == "service"


@pytest.mark.parametrize("opener", ["{", "(", "["])
def test_nesting_is_refused_before_any_parser(opener: str) -> None:
    deep = {"{": "SELECT * WHERE " + "{" * 2500 + "}" * 2500,
            "(": "SELECT * WHERE { FILTER(" + "(" * 2500 + "1" + ")" * 2500 + ") }",
            "[": "SELECT * WHERE { ?s ?p " + "[ <http://p> " * 2500 + "1" + " ]" * 2500 + " }"}
    with pytest.raises(QueryRefused) as refused:
        guard.precheck(deep[opener])
    assert refused.value.reason == "depth" and "64 levels" in str(refused.value)


def test_nesting_hidden_in_strings_iris_or_comments_still_counts() -> None:
    from sdgraph.nesting import TooDeep, sparql_depth_check

    # closing brackets inside strings, IRIs, comments or after '\' close nothing
    for trick in ('"}" ', "<a)> ", "# }\n", "ex:a\\) "):
        text = "SELECT * WHERE " + ("{ " + trick) * 100 + "}" * 100
        with pytest.raises(TooDeep):
            sparql_depth_check(text, 64)
    sparql_depth_check("SELECT * WHERE { " + '"((((((((" ' * 200 + "}", 64)  # not nested


# --------------------------------------------------------------------------- over HTTP


@pytest.fixture(scope="module")
def disk_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The web app over an on-disk store (user queries in the confined workers), served on
    127.0.0.1, with a library query that takes two strings."""
    from web import create_app

    folder = tmp_path_factory.mktemp("guard")
    writer = EmbeddedStore(folder / "store")
    init_store(writer, "oirschot")
    writer.close()
    queries = folder / "queries"
    queries.mkdir()
    (queries / "twee-teksten.rq").write_text(textwrap.dedent("""\
        # title: Twee teksten
        # param: a | string | x | A | A
        # param: b | string | y | B | B
        SELECT ?a ?b WHERE { }
        """), encoding="utf-8")
    store = EmbeddedStore(folder / "store", read_only=True)
    app = create_app(store=store, test_config={"TESTING": True, "QUERY_TIMEOUT": 20})
    from sdgraph.queries import QueryLibrary
    from sdgraph.resources import resource_dir

    app.extensions["sdgraph.queries"] = QueryLibrary([resource_dir("queries"), queries])
    with serving(app) as url:
        yield url
    store.close()


def _call(url: str, data: bytes | None = None, ctype: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=data,
                                     headers={"Content-Type": ctype} if ctype else {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.mark.parametrize("route", ["sparql GET", "sparql POST form", "sparql POST body",
                                   "workbench"])
def test_no_spelling_reaches_the_listener(disk_app: str, route: str) -> None:
    listener = Listener()
    try:
        for name, query in spellings(listener.port).items():
            if route == "sparql GET":
                status, body = _call(f"{disk_app}/sparql?" + urllib.parse.urlencode(
                    {"query": query}))
            elif route == "sparql POST form":
                status, body = _call(f"{disk_app}/sparql", urllib.parse.urlencode(
                    {"query": query}).encode(), "application/x-www-form-urlencoded")
            elif route == "sparql POST body":
                status, body = _call(f"{disk_app}/sparql", query.encode(),
                                     "application/sparql-query")
            else:
                status, body = _call(f"{disk_app}/workbench?" + urllib.parse.urlencode(
                    {"query": query}))
            if name in ("FROM", "FROM NAMED") and route != "workbench":
                # /sparql takes the dataset from the store's own graphs: the listener's
                # IRI names no graph of the store, so an empty graph, never fetched
                assert status == 200, (name, status, body[:300])
                assert '"bindings":[]' in body.replace(" ", ""), (name, body[:300])
            else:
                assert status == 400, (name, status, body[:300])
        assert listener.connections == 0
    finally:
        listener.close()


def test_named_query_parameters_reach_no_listener(disk_app: str) -> None:
    """Two string parameters whose values try to end the literal early and add a SERVICE
    call: the values come back as they were sent, and nothing is contacted."""
    listener = Listener()
    url = f"http://127.0.0.1:{listener.port}/x"
    # rdflib's n3() writes a as a long string that ends early; b then becomes SPARQL
    hostile = {"a": 'x\n\\"', "b": f" ) }} SERVICE <{url}> {{ ?s ?p ?o }} }} #"}
    from rdflib import Literal

    old = ("SELECT ?a ?b WHERE { VALUES (?a ?b) { ("
           + " ".join(Literal(v).n3() for v in hostile.values()) + ") } }")
    with pytest.raises(QueryRefused) as control:  # the control: that binding was exploitable
        guard.check(old)
    assert control.value.reason == "service"
    try:
        status, body = _call(f"{disk_app}/api/query/twee-teksten.json?"
                             + urllib.parse.urlencode(hostile))
        assert status == 200, body
        import json

        rows = json.loads(body)["rows"]
        assert rows == [hostile]
        assert listener.connections == 0
    finally:
        listener.close()


def test_a_confined_worker_cannot_connect_even_without_the_guard(tmp_path: Path) -> None:
    """Defence in depth: Oxigraph evaluating a SERVICE clause in a confined process (the
    guard skipped) gets 'permission denied' and the listener nothing."""
    listener = Listener()
    script = textwrap.dedent(f"""
        import pyoxigraph as ox
        from sdgraph.store.confine import no_network
        assert no_network()
        try:
            list(ox.Store().query("SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/x> "
                                  "{{ ?s ?p ?o }} }}"))
            print("answered")
        except OSError as exc:
            print("refused", exc)
        # without the confinement the same call connects (the control)
    """)
    try:
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                             timeout=60)
        assert out.stdout.startswith("refused") and "denied" in out.stdout, out
        assert listener.connections == 0
        control = subprocess.run(
            [sys.executable, "-c", script.replace("assert no_network()", "pass")],
            capture_output=True, text=True, timeout=60)
        assert control.returncode == 0, control.stderr
        assert listener.connections >= 1, "the control did not connect: the test proves nothing"
    finally:
        listener.close()
