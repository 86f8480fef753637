"""Query time limits: a runaway query typed into /sparql or the workbench is
stopped after the limit, on both backends, and does not hold up other requests."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SOURCES, OxigraphServer
from werkzeug.serving import make_server

from sdgraph.build import init_store
from sdgraph.store import EmbeddedStore, RemoteStore, Store, Table
from sdgraph.store.sandbox import QueryTimeout

#: A cartesian product of the example's ~3,000 triples with itself three times:
#: 2.7e10 solutions, hours of work for any engine.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LIGHT = "SELECT ?naam WHERE { <https://identifier.overheid.nl/tooi/id/gemeente/gm0823> " \
        "<http://www.w3.org/2000/01/rdf-schema#label> ?naam }"


def _in_thread(func, *args) -> dict:
    """Run ``func`` in a thread; the dict gets 'result' or 'error' and 'ended' (monotonic)."""
    box: dict = {}

    def work() -> None:
        try:
            box["result"] = func(*args)
        except BaseException as exc:  # noqa: BLE001 - inspected by the test
            box["error"] = exc
        box["ended"] = time.monotonic()

    box["thread"] = threading.Thread(target=work, daemon=True)
    box["thread"].start()
    return box


@pytest.fixture
def disk_store(tmp_path: Path) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(tmp_path / "store")
    init_store(store, "oirschot", SOURCES)
    yield store
    store.close()


@pytest.fixture
def limited_server(tmp_path: Path) -> Iterator[OxigraphServer]:
    """An Oxigraph server that itself stops queries after 3 s, as docs/deploy.md advises."""
    server = OxigraphServer(tmp_path, "--timeout-s", "3")
    store = RemoteStore(server.query_url)
    init_store(store, "oirschot", SOURCES)
    yield server
    server.stop()


def _check_stopped_and_not_blocking(store: Store, limit: float) -> None:
    runaway = _in_thread(store.limited_query, RUNAWAY, limit)
    time.sleep(0.3)
    light = _in_thread(store.limited_query, LIGHT, 30)
    light["thread"].join(30)
    runaway["thread"].join(60)
    assert not runaway["thread"].is_alive(), "the runaway query was not stopped"
    assert isinstance(runaway.get("error"), QueryTimeout), runaway
    assert isinstance(light.get("result"), Table), light
    assert [str(r["naam"]) for r in light["result"].dicts()] == ["Oirschot"]
    assert light["ended"] < runaway["ended"], "the light query waited for the runaway one"
    # the store answers normally afterwards
    assert store.limited_query(LIGHT, limit).dicts()[0]["naam"].value == "Oirschot"


def test_embedded_runaway_query_is_stopped(disk_store: EmbeddedStore) -> None:
    _check_stopped_and_not_blocking(disk_store, 2)


def test_remote_runaway_query_is_stopped(limited_server: OxigraphServer) -> None:
    _check_stopped_and_not_blocking(RemoteStore(limited_server.query_url), 2)


def test_no_limit_and_updates(disk_store: EmbeddedStore) -> None:
    assert disk_store.limited_query(LIGHT, None).dicts()[0]["naam"].value == "Oirschot"
    with pytest.raises(Exception, match="Update"):
        disk_store.limited_query("CLEAR ALL", 5)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_endpoint_and_workbench_stop_runaway_queries(disk_store: EmbeddedStore) -> None:
    from web import create_app

    app = create_app(store=disk_store, test_config={"QUERY_TIMEOUT": 2})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        query = urllib.parse.urlencode({"query": RUNAWAY})
        runaway = _in_thread(_get, f"{base}/sparql?{query}")
        time.sleep(0.3)
        page = _in_thread(_get, f"{base}/gemeente/GM0823?peildatum=2019-07-02")
        page["thread"].join(30)
        runaway["thread"].join(60)
        status, body = runaway["result"]
        assert status == 503 and "time limit" in body
        assert page["result"][0] == 200
        assert page["ended"] < runaway["ended"]
        status, body = _get(f"{base}/workbench?{query}")
        assert status == 503
        assert "tijdslimiet" in body
        status, body = _get(f"{base}/workbench")
        assert 'data-testid="tijdslimiet">tijdslimiet 2 s<' in body
    finally:
        server.shutdown()
