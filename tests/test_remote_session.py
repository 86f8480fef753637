"""The remote store's HTTP session reads the environment once, when the store opens: a
proxy named in ``HTTP_PROXY`` carries its requests (unless ``NO_PROXY`` names the host),
and a variable changed afterwards does not change where an open store's requests go.
The proxy is a real forwarding proxy in a thread, in front of a real Oxigraph server."""

from __future__ import annotations

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
def _proxy() -> Iterator[tuple[str, list[str]]]:
    """A forwarding HTTP proxy on 127.0.0.1; yields its URL and the URLs it carried."""
    seen: list[str] = []
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 - the http.server name
            seen.append(self.path)  # a proxy gets the absolute URL
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() not in ("host", "proxy-connection", "connection",
                                            "content-length")}
            request = urllib.request.Request(self.path, data=body, headers=headers,
                                             method="POST")
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
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
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
    with _proxy() as (url, seen):
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
