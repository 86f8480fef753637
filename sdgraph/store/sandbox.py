"""Time-limited queries on the embedded store: worker processes that can be stopped.

pyoxigraph cannot cancel a running query, so a runaway query (a cartesian
product typed into the SPARQL endpoint) would hold a thread and a core until
it ends. Ad-hoc queries therefore run in a small pool of worker processes that
each open the store read-only (no lock). When a query passes its time limit the
worker is killed, a fresh one takes its place, and the caller gets a
:class:`QueryTimeout`; other requests keep being served meanwhile.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import threading
from multiprocessing.connection import Connection
from pathlib import Path

from ..errors import StoreError, UserError

#: How long a new worker may take to open the store before it counts as failed.
START_TIMEOUT = 60.0


class QueryTimeout(UserError):
    """A query ran longer than the configured limit and was stopped."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"the query was stopped after {seconds:g} s (the time limit); "
            "make it more selective or add a LIMIT"
        )
        self.seconds = seconds


def _worker(path: str, conn: Connection) -> None:  # runs in the child process
    import os

    from .embedded import EmbeddedStore

    os.nice(10)  # user queries yield the CPU to the web workers' own (light) requests
    try:
        store = EmbeddedStore(path, read_only=True)
    except Exception as exc:  # noqa: BLE001 - reported to the parent
        conn.send(("error", type(exc).__name__, str(exc)))
        return
    conn.send(("ready",))
    while True:
        try:
            text, dataset = conn.recv()
        except EOFError:
            return
        try:
            result = store.query(text, dataset=dataset)
            if hasattr(result, "triples"):  # an rdflib Graph: send its triples
                result = ("graph", list(result))
            conn.send(("ok", result))
        except Exception as exc:  # noqa: BLE001 - reported to the parent
            conn.send(("error", type(exc).__name__, str(exc)))


class _Worker:
    def __init__(self, path: Path) -> None:
        ctx = mp.get_context("spawn")  # no fork: the parent may run threads (gunicorn gthread)
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(str(path), child), daemon=True)
        self.process.start()
        child.close()
        if not self.conn.poll(START_TIMEOUT):
            self.kill()
            raise StoreError(f"a query worker did not open {path} in {START_TIMEOUT:g} s")
        message = self.conn.recv()
        if message[0] != "ready":
            self.kill()
            raise StoreError(f"a query worker could not open {path}: {message[2]}")

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class Sandbox:
    """A pool of ``size`` worker processes running queries on the store at ``path``."""

    def __init__(self, path: Path, size: int = 3) -> None:
        self.path = path
        self.size = size
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._started = 0
        self._lock = threading.Lock()

    def _take(self, timeout: float) -> _Worker:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if self._started < self.size:
                self._started += 1
                try:
                    return _Worker(self.path)
                except Exception:
                    self._started -= 1
                    raise
        try:
            return self._idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryTimeout(timeout) from None

    def _replace(self) -> None:
        """Start a worker in place of a killed one, off the request's path."""

        def start() -> None:
            try:
                self._idle.put(_Worker(self.path))
            except Exception:  # noqa: BLE001 - the next query starts one on demand
                with self._lock:
                    self._started -= 1

        threading.Thread(target=start, name="sdgraph-sandbox-start", daemon=True).start()

    def query(self, text: str, timeout: float, dataset=None):
        """Run ``text`` (already bound) over ``dataset`` (a :class:`~.base.Dataset`, None for
        the union of all graphs) in a worker; QueryTimeout after ``timeout`` seconds."""
        worker = self._take(timeout)
        try:
            worker.conn.send((text, dataset))
            ready = worker.conn.poll(timeout)
        except (OSError, EOFError):
            ready = False
        if not ready:
            worker.kill()
            self._replace()
            raise QueryTimeout(timeout)
        try:
            message = worker.conn.recv()
        except (OSError, EOFError):
            worker.kill()
            self._replace()
            raise StoreError("a query worker stopped unexpectedly") from None
        self._idle.put(worker)
        if message[0] == "error":
            _, kind, text_ = message
            raise (UserError if kind in ("UserError", "DataError") else StoreError)(text_)
        result = message[1]
        if isinstance(result, tuple) and result and result[0] == "graph":
            from rdflib import Graph

            graph = Graph()
            for triple in result[1]:
                graph.add(triple)
            return graph
        return result

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                return
