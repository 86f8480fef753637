"""The remote store reads the environment once per host, when the store opens: a proxy
named in ``HTTP_PROXY`` carries its requests (unless ``NO_PROXY`` names the host), a
variable changed afterwards does not change where an open store's requests go, and a
``~/.netrc`` login goes to its own host only. The proxy is a real forwarding proxy in a
thread, in front of a real Oxigraph server."""

from __future__ import annotations

import base64
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sdgraph.store import RemoteStore

_PROXY_VARS = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
               "ALL_PROXY", "no_proxy", "NO_PROXY")
_LIGHT = "SELECT ?x WHERE { BIND (1 AS ?x) }"


@contextmanager
def _forwarder(target: str = "") -> Iterator[tuple[str, list[str], list[str | None]]]:
    """A forwarding HTTP server on 127.0.0.1: a proxy (it gets absolute URLs), or in front
    of ``target`` (a base URL). Yields its URL, the URLs it carried and the
    ``Authorization`` header of each request."""
    seen: list[str] = []
    logins: list[str | None] = []
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 - the http.server name
            seen.append(self.path)
            logins.append(self.headers.get("Authorization"))
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() not in ("host", "proxy-connection", "connection",
                                            "content-length")}
            url = self.path if self.path.startswith("http") else target + self.path
            request = urllib.request.Request(url, data=body, headers=headers, method="POST")
            with direct.open(request, timeout=30) as answer:
                data = answer.read()
                self.send_response(answer.status)
                for k, v in answer.headers.items():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen, logins
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for var in _PROXY_VARS:
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


def test_the_proxy_of_the_environment_is_read_when_the_store_opens(
        oxigraph_server, clean_env: pytest.MonkeyPatch) -> None:
    with _forwarder() as (url, seen, _):
        direct = RemoteStore(oxigraph_server.query_url)
        clean_env.setenv("http_proxy", url)  # set after the store opened: not read
        assert direct.select(_LIGHT).rows[0][0].toPython() == 1
        assert seen == []
        store = RemoteStore(oxigraph_server.query_url)  # opened with it: every request
        assert seen and all(u.startswith(oxigraph_server.url) for u in seen)
        carried = len(seen)
        clean_env.delenv("http_proxy")
        assert store.select(_LIGHT).rows[0][0].toPython() == 1
        assert len(seen) == carried + 1
        # NO_PROXY naming the host: direct
        clean_env.setenv("http_proxy", url)
        clean_env.setenv("no_proxy", "127.0.0.1")
        bypass = RemoteStore(oxigraph_server.query_url)
        bypass.select(_LIGHT)
        assert len(seen) == carried + 1
        for s in (direct, store, bypass):
            s.close()


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_a_netrc_login_goes_to_its_own_host_only(
        oxigraph_server, clean_env: pytest.MonkeyPatch, tmp_path) -> None:
    """Queries to 127.0.0.1, updates to localhost (both in front of one Oxigraph
    server): the login ~/.netrc has for 127.0.0.1 is sent with the queries only."""
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login lezer password geheim\n")
    clean_env.setenv("NETRC", str(netrc))
    graph = "urn:x-test:netrc"
    with _forwarder(oxigraph_server.url) as (queries, _, query_logins), \
            _forwarder(oxigraph_server.url) as (updates, _, update_logins):
        update_url = updates.replace("127.0.0.1", "localhost") + "/update"
        store = RemoteStore(queries + "/query", update_endpoint=update_url)
        store.update(f'INSERT DATA {{ GRAPH <{graph}> {{ <urn:x-test:a> <urn:x-test:b> "c" }} }}')
        assert store.select(f"SELECT ?s WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows
        assert query_logins and set(query_logins) == {_basic("lezer", "geheim")}
        assert update_logins == [None]
        # a login of its own for localhost: the updates send that one
        netrc.write_text("machine 127.0.0.1 login lezer password geheim\n"
                         "machine localhost login schrijver password anders\n")
        second = RemoteStore(queries + "/query", update_endpoint=update_url)
        second.update(f"DROP SILENT GRAPH <{graph}>")
        assert update_logins[-1] == _basic("schrijver", "anders")
        assert not store.select(f"SELECT ?s WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows
        for s in (store, second):
            s.close()
