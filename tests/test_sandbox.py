"""The confined query workers: a result larger than its byte limit and a query past its
memory limit end with a clear error, a full pool answers "busy" at once, the workers die
with the process that started them, and a graph whose bulk load was killed before its
provenance record is never seen by a reader."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sdgraph.build import init_store
from sdgraph.store import EmbeddedStore
from sdgraph.store.sandbox import (
    QueryLimits,
    QueryMemory,
    QueryTimeout,
    ResultTooLarge,
    ServerBusy,
)

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: a string that doubles 25 times: 14 * 2**25 characters = 470 MB
DOUBLING = "SELECT (STRLEN(?x25) AS ?n) WHERE { " + " ".join(
    ['BIND("abcdefghijklmn" AS ?x0)']
    + [f"BIND(CONCAT(?x{i},?x{i}) AS ?x{i + 1})" for i in range(25)]) + " }"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sandbox") / "store"
    writer = EmbeddedStore(path)
    init_store(writer, "oirschot")
    writer.close()
    return path


@pytest.fixture
def reader(store_path: Path) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(store_path, read_only=True)
    yield store
    store.close()


def test_result_bytes_are_bounded(reader: EmbeddedStore) -> None:
    reader.query_limits = QueryLimits(max_result_bytes=20_000)
    with pytest.raises(ResultTooLarge, match="larger than"):
        reader.limited_query("SELECT * WHERE { ?s ?p ?o }", 30)
    # one huge value counts as much as many small ones
    big = "SELECT ?x WHERE { " + " ".join(
        ['BIND("abcdefghijklmn" AS ?x0)'] + [f"BIND(CONCAT(?x{i},?x{i}) AS ?x{i + 1})"
                                              for i in range(12)]) + " BIND(?x12 AS ?x) }"
    with pytest.raises(ResultTooLarge):
        reader.limited_query(big, 30)
    assert reader.limited_query("ASK { ?s ?p ?o }", 30) is True  # the worker serves on


def test_memory_per_worker_is_bounded(reader: EmbeddedStore) -> None:
    reader.query_limits = QueryLimits(memory_mb=300)
    with pytest.raises(QueryMemory, match="300 MB"):
        reader.limited_query(DOUBLING, 120)
    assert reader.limited_query("ASK { ?s ?p ?o }", 60) is True  # a fresh worker took over


def test_a_full_pool_is_busy_at_once(reader: EmbeddedStore) -> None:
    reader.query_limits = QueryLimits(workers=1, retry_after=7)
    assert reader.limited_query("ASK { ?s ?p ?o }", 30) is True  # the one worker started
    box: dict = {}

    def runaway() -> None:
        try:
            reader.limited_query(RUNAWAY, 20)
        except QueryTimeout as exc:
            box["stopped"] = exc

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)
    try:
        with pytest.raises(ServerBusy) as busy:
            reader.limited_query("ASK { ?s ?p ?o }", 30)
        assert busy.value.retry_after == 7
        assert thread.is_alive(), "busy came only after the runaway query ended"
        # a nesting bomb is refused at once, without a worker
        from sdgraph.guard import QueryRefused

        with pytest.raises(QueryRefused):
            reader.limited_query("SELECT * WHERE " + "{" * 2500 + "}" * 2500, 30)
    finally:
        thread.join(60)
    assert isinstance(box.get("stopped"), QueryTimeout)


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except OSError:
                continue
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_workers_die_with_their_parent(store_path: Path) -> None:
    """A process that started query workers (a web worker) is killed with SIGKILL while a
    runaway query runs: its workers end too, none is left running under init."""
    script = textwrap.dedent(f"""
        import os, sys, threading, time
        from sdgraph.store import EmbeddedStore
        store = EmbeddedStore({str(store_path)!r}, read_only=True)
        # started from a short-lived thread, as a request thread of the dev server would
        t = threading.Thread(target=lambda: store.limited_query("ASK {{ ?s ?p ?o }}", 60))
        t.start(); t.join()
        threading.Thread(target=lambda: store.limited_query({RUNAWAY!r}, 600),
                         daemon=True).start()
        time.sleep(1)
        print("ready", flush=True)
        time.sleep(600)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert parent.stdout.readline().strip() == "ready"
        workers = _children(parent.pid)
        assert len(workers) >= 2, workers  # the resource tracker is not among them (spawn)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 15
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_alive(w) for w in workers), "a query worker outlived its parent"
    finally:
        if parent.poll() is None:
            parent.kill()


def kill_a_bulk_load(store: Path, data: Path, graph: str) -> None:
    """Load 60,000 triples into ``graph`` of ``store`` with the bulk loader in a child
    process that kills itself (SIGKILL) just before it writes the provenance record."""
    data.write_text("".join(f'<http://example.org/s{i}> <http://example.org/p> "{i}" .\n'
                            for i in range(60_000)), encoding="utf-8")
    script = textwrap.dedent(f"""
        import os, signal
        from sdgraph.store import EmbeddedStore
        store = EmbeddedStore({str(store)!r})
        original = store._update
        def update(text):
            if "INSERT DATA" in text:  # the provenance record: die before it is written
                os.kill(os.getpid(), signal.SIGKILL)
            original(text)
        store._update = update
        store.load_files([{str(data)!r}], graph={graph!r})
    """)
    killed = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stderr


def test_a_killed_bulk_load_is_hidden_from_readers(tmp_path: Path) -> None:
    """A bulk load killed (SIGKILL) after its data and before its provenance record: a
    reader that opens the store then, and one that was open before, do not see the graph,
    also not through a user's query in a worker; the next writer removes it."""
    path = tmp_path / "store"
    writer = EmbeddedStore(path)
    init_store(writer, None)
    writer.close()
    before = EmbeddedStore(path, read_only=True)
    graph = "http://example.org/groot"
    kill_a_bulk_load(path, tmp_path / "groot.nt", graph)
    marker = json.loads((path / "sdgraph-loading.json").read_text())
    assert marker["graphs"] == [graph]  # the state a killed bulk load leaves
    ask = f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    after = EmbeddedStore(path, read_only=True)
    try:
        raw = __import__("pyoxigraph").Store.read_only(str(path))
        assert len(raw) >= 60_000, "the data was not written: the test proves nothing"
        for reader in (before, after):
            assert reader.query(ask) is False
            assert graph not in reader.named_graphs()
            assert graph not in [g.graph for g in reader.graphs()]
            assert int(reader.select(count).rows[0][0]) == 0
            assert reader.limited_query(ask, 60) is False  # in a worker
    finally:
        before.close()
        after.close()
    cleaner = EmbeddedStore(path)  # the next writer cleans up
    assert graph not in cleaner.named_graphs()
    assert not (path / "sdgraph-loading.json").exists()
    cleaner.close()
