"""Production form: gunicorn workers over an embedded store opened read-only, so the CLI
can load while the site runs, and every worker sees the load on its next request."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from sdgraph.build import init_store
from sdgraph.errors import StoreError
from sdgraph.store import EmbeddedStore

BIN = Path(sys.executable).parent
ASK = "ASK { GRAPH <http://example.org/nieuw> { ?s ?p ?o } }"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ask(base: str) -> bool:
    url = f"{base}/sparql?{urllib.parse.urlencode({'query': ASK})}"
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["boolean"]


def test_read_only_store_sees_writes_and_refuses_to_write(tmp_path: Path) -> None:
    writer = EmbeddedStore(tmp_path / "store")
    init_store(writer, None)
    reader = EmbeddedStore(tmp_path / "store", read_only=True)
    before = len(reader)
    old = reader.version()
    writer.update('INSERT DATA { GRAPH <http://example.org/g> { <http://a> <http://p> "x" } }')
    written = writer.version()
    # the reader keeps what it opened while the writer has the store open, and sees
    # the write once the writer has closed it (as a load's process ends)
    assert len(reader) == before and reader.version() == old
    writer.close()
    assert len(reader) == before + 1
    assert reader.version() == written
    with pytest.raises(StoreError, match="read-only"):
        reader.update("CLEAR ALL")
    reader.close()


def test_read_only_open_of_a_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="sdgraph init"):
        EmbeddedStore(tmp_path / "nothing", read_only=True)


def test_cli_loads_while_production_server_runs(tmp_path: Path) -> None:
    store = tmp_path / "store"
    env = {**os.environ, "SDGRAPH_STORE": str(store)}
    subprocess.run([BIN / "sdgraph", "init"], env=env, check=True, capture_output=True)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [BIN / "sdgraph", "serve", "--production", "--port", str(port), "--workers", "2",
         "--threads", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/", timeout=2).read()
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        page = urllib.request.urlopen(f"{base}/gemeente/GM0823?peildatum=2019-07-02").read()
        assert b"Samenwerking Kempengemeenten" in page
        assert not _ask(base)
        extra = tmp_path / "nieuw.ttl"
        extra.write_text("<http://example.org/x> <http://example.org/p> 1 .\n", encoding="utf-8")
        load = subprocess.run(
            [BIN / "sdgraph", "load", str(extra), "--graph", "http://example.org/nieuw"],
            env=env, capture_output=True, text=True)
        assert load.returncode == 0, load.stderr  # the web workers hold no lock
        # both workers (and every thread) see the load on their next request
        assert all(_ask(base) for _ in range(12))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(20)


def test_concurrent_loads_are_serialised(tmp_path: Path) -> None:
    """Two `sdgraph load` processes on one embedded store: the second waits for the first's
    lock instead of failing, and both graphs end up complete."""
    store = tmp_path / "store"
    env = {**os.environ, "SDGRAPH_STORE": str(store), "SDGRAPH_LOCK_WAIT": "120"}
    subprocess.run([BIN / "sdgraph", "init", "--example", "none"], env=env, check=True,
                   capture_output=True)
    files = []
    for name, n in (("groot", 60_000), ("klein", 10)):
        path = tmp_path / f"{name}.nt"
        path.write_text("".join(f'<http://example.org/{name}/{i}> <http://example.org/p> "{i}" .\n'
                                for i in range(n)), encoding="utf-8")
        files.append((name, n, path))
    procs = [subprocess.Popen([BIN / "sdgraph", "load", str(path), "--graph",
                               f"http://example.org/{name}"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for name, _, path in files]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    reader = EmbeddedStore(store, read_only=True)
    for name, n, _ in files:
        assert reader.graph_size(f"http://example.org/{name}") == n
    reader.close()
