"""User-written queries in confined worker processes: time, memory and result limits.

pyoxigraph cannot cancel a running query, so a runaway query (a cartesian
product typed into the SPARQL endpoint) would hold a thread and a core until
it ends. Every user-written query (``/sparql``, the workbench) therefore runs in
one of a few worker processes per web process, each of which:

- runs the guard (:func:`sdgraph.guard.check`: nesting, SERVICE, FROM, updates)
  on the very text it then evaluates, so a slow parse is time-limited too;
- opens the embedded store read-only (no lock), or none at all where the store
  is a remote server and the worker only checks;
- cannot open a network connection, has a memory limit, runs at the lowest CPU
  priority and dies with its parent (:mod:`.confine`);
- sends back at most ``max_result_bytes`` of result.

When a query passes its time limit the worker is killed, a fresh one takes its
place, and the caller gets a :class:`QueryTimeout`. When every worker is busy
the caller gets :class:`ServerBusy` at once (admission control: a heavy request
never waits for a worker while holding a web thread, so light pages keep their
threads), which the web answers with 503 and ``Retry-After``.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..errors import StoreError, UserError

#: How long a new worker may take to open the store before it counts as failed.
START_TIMEOUT = 60.0


@dataclass(frozen=True)
class QueryLimits:
    """Limits on user-written queries (from :class:`~sdgraph.config.Settings`)."""

    workers: int = 2  # query workers (and so concurrent user queries) per web process
    memory_mb: int = 1024  # data limit of one worker process
    max_result_bytes: int = 32 * 1024 * 1024  # result sent back, about the text of its terms
    max_query_chars: int = 256 * 1024
    max_nesting: int = 64
    retry_after: int = 5  # seconds, told to a client that found every worker busy

    @classmethod
    def from_settings(cls, settings) -> QueryLimits:
        return cls(workers=settings.query_workers, memory_mb=settings.query_memory_mb,
                   max_result_bytes=settings.max_result_bytes,
                   max_query_chars=settings.max_query_chars,
                   max_nesting=settings.max_nesting, retry_after=settings.retry_after)


class QueryTimeout(UserError):
    """A query ran longer than the configured limit and was stopped."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"the query was stopped after {seconds:g} s (the time limit); "
            "make it more selective or add a LIMIT"
        )
        self.seconds = seconds


class ServerBusy(StoreError):
    """Every query worker is busy: try again after ``retry_after`` seconds (HTTP 503)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"the server is busy with other queries; try again in {retry_after} s")
        self.retry_after = retry_after


class ResultTooLarge(UserError):
    """A result larger than the limit (bytes of its terms' text)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the result is larger than {limit / 1024 / 1024:g} MB (the limit); "
                         "add a LIMIT or select fewer or shorter values")
        self.limit = limit


class QueryMemory(UserError):
    """A query needed more memory than a worker may use."""

    def __init__(self, memory_mb: int, what: str = "the query",
                 advice: str = "make it more selective or add a LIMIT") -> None:
        super().__init__(f"{what} needed more than {memory_mb} MB of memory (the limit) and "
                         f"was stopped; {advice}")
        self.memory_mb = memory_mb


# --------------------------------------------------------------------------- the worker


def _confine(parent: int, limits: dict[str, Any]) -> None:
    from . import confine

    os.putenv("RUST_BACKTRACE", "0")  # a failed allocation: one line in the log, not 60

    confine.die_with_parent(parent)
    if not confine.no_network():
        import logging

        logging.getLogger(__name__).warning("query worker: network confinement not available")
    confine.limit_memory(int(limits["memory_mb"]) * 1024 * 1024)
    confine.lower_priority()


def _convert(result, max_bytes: int):
    """A pyoxigraph result as picklable rdflib terms, at most ``max_bytes`` of term text."""
    import pyoxigraph as ox

    from .terms import from_ox

    used = 0

    def term(t):
        nonlocal used
        if t is None:
            return None
        used += len(t.value if not isinstance(t, ox.Triple) else str(t)) + 8
        if used > max_bytes:
            raise ResultTooLarge(max_bytes)
        return from_ox(t)

    if isinstance(result, ox.QueryBoolean):
        return ("bool", bool(result))
    if isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        rows = [tuple(term(s[i]) for i in range(len(columns))) for s in result]
        return ("table", columns, rows)
    return ("graph", [(term(t.subject), term(t.predicate), term(t.object)) for t in result])


def _worker(path: str | None, conn: Connection, parent: int, limits: dict[str, Any]) -> None:
    """The worker's loop (in the child process): guard, evaluate, convert, send."""
    _confine(parent, limits)
    from .. import guard

    store = None
    if path is not None:
        from .embedded import EmbeddedStore

        try:
            store = EmbeddedStore(path, read_only=True)
        except Exception as exc:  # noqa: BLE001 - reported to the parent
            conn.send(("error", type(exc).__name__, str(exc)))
            return
    conn.send(("ready",))
    while True:
        try:
            job, text, dataset = conn.recv()
        except EOFError:
            return
        try:
            form = guard.check(text, limits["max_query_chars"], limits["max_nesting"],
                               parse=job == "check")
            if job == "check" or store is None:
                conn.send(("ok", ("form", form)))
                continue
            try:
                result = _convert(store.native_query(text, dataset), limits["max_result_bytes"])
            except UserError as exc:  # Oxigraph's syntax error: where, as the workbench shows
                from .base import syntax_refusal

                raise syntax_refusal(text, exc) from None
            except OSError as exc:
                if exc.errno == 13 or "Permission denied" in str(exc):  # confine.no_network
                    raise guard.QueryRefused(guard.SERVICE_REFUSED, "service") from None
                raise
            conn.send(("ok", result))
        except guard.QueryRefused as exc:
            conn.send(("refused", exc))
        except MemoryError:
            conn.send(("error", "QueryMemory", ""))
        except Exception as exc:  # noqa: BLE001 - reported to the parent
            conn.send(("error", type(exc).__name__, str(exc)))


def _rss(pid: int) -> int:
    """Resident memory of process ``pid`` in bytes (0 when unknown)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class _Worker:
    def __init__(self, path: Path | None, limits: QueryLimits) -> None:
        ctx = mp.get_context("spawn")  # no fork: the parent may run threads (gunicorn gthread)
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_worker, args=(str(path) if path else None, child, os.getpid(), asdict(limits)),
            daemon=True)
        self.process.start()
        child.close()
        if not self.conn.poll(START_TIMEOUT):
            self.kill()
            raise StoreError(f"a query worker did not open {path} in {START_TIMEOUT:g} s")
        try:
            message = self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            raise StoreError(f"a query worker could not start (exit {self.process.exitcode})") \
                from None
        if message[0] != "ready":
            self.kill()
            raise StoreError(f"a query worker could not open {path}: {message[2]}")

    @property
    def pid(self) -> int:
        return self.process.pid or 0

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class Sandbox:
    """A pool of at most ``limits.workers`` confined worker processes for the store at
    ``path`` (None: workers that only check queries, for a remote store)."""

    def __init__(self, path: Path | None, limits: QueryLimits | None = None) -> None:
        self.path = path
        self.limits = limits or QueryLimits()
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._started = 0
        self._lock = threading.Lock()
        # Workers are started from one long-lived thread: the kernel's parent-death
        # signal follows the thread that started a process, not the process.
        self._spawner = ThreadPoolExecutor(1, thread_name_prefix="sdgraph-sandbox-spawn")

    @property
    def size(self) -> int:
        return self.limits.workers

    def _start(self) -> _Worker:
        return self._spawner.submit(_Worker, self.path, self.limits).result()

    def _take(self) -> _Worker:
        """An idle worker, a new one while fewer than ``size`` run, else ServerBusy."""
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if self._started >= self.size:
                raise ServerBusy(self.limits.retry_after)
            self._started += 1
        try:
            return self._start()
        except Exception:
            with self._lock:
                self._started -= 1
            raise

    def _discard(self, worker: _Worker, replace: bool = True) -> None:
        """Kill ``worker``; start another in its place, off the request's path."""
        worker.kill()

        def start() -> None:
            try:
                self._idle.put(_Worker(self.path, self.limits))
            except Exception:  # noqa: BLE001 - the next query starts one on demand
                with self._lock:
                    self._started -= 1

        if replace:
            self._spawner.submit(start)
        else:
            with self._lock:
                self._started -= 1

    def query(self, text: str, timeout: float | None, dataset=None):
        """Check and run ``text`` over ``dataset`` (a :class:`~.base.Dataset`, None for the
        union of all graphs) in a worker; QueryTimeout after ``timeout`` seconds (None: no
        limit)."""
        return self._job("query", text, timeout, dataset)

    def check(self, text: str, timeout: float | None) -> str:
        """Check ``text`` with the guard in a worker, parsed whatever it holds (nothing is
        evaluated): its query form. For a remote store, before the text goes to its server."""
        return self._job("check", text, timeout)

    def _job(self, job: str, text: str, timeout: float | None, dataset=None):
        worker = self._take()
        try:
            worker.conn.send((job, text, dataset))
            ready = worker.conn.poll(timeout)
        except (OSError, EOFError):
            ready = False
        if not ready:
            self._discard(worker)
            if timeout is not None and worker.process.is_alive() is False \
                    and worker.process.exitcode not in (None, -signal.SIGKILL):
                raise self._died(worker)
            raise QueryTimeout(timeout or 0)
        try:
            message = worker.conn.recv()
        except (OSError, EOFError):
            worker.process.join(1)
            self._discard(worker)
            raise self._died(worker) from None
        if _rss(worker.pid) > self.limits.memory_mb * 1024 * 1024 // 2:
            self._discard(worker)  # memory a large query left behind is given back
        else:
            self._idle.put(worker)
        return self._result(message)

    def _died(self, worker: _Worker) -> Exception:
        code = worker.process.exitcode
        if code == -signal.SIGABRT:  # Rust aborts when an allocation fails
            return QueryMemory(self.limits.memory_mb)
        return StoreError(f"a query worker stopped unexpectedly (exit {code}); the query may be "
                          "too complex")

    def _result(self, message: tuple):
        from ..guard import QueryRefused

        if message[0] == "refused":
            raise message[1]
        if message[0] == "error":
            _, kind, text_ = message
            if kind == "QueryMemory":
                raise QueryMemory(self.limits.memory_mb)
            if kind == "ResultTooLarge":
                raise ResultTooLarge(self.limits.max_result_bytes)
            if kind == "QueryRefused":
                raise QueryRefused(text_, "engine")
            raise (UserError if kind in ("UserError", "DataError") else StoreError)(text_)
        payload = message[1]
        if payload[0] == "form":
            return payload[1]
        if payload[0] == "bool":
            return payload[1]
        if payload[0] == "table":
            from .base import Table

            return Table(payload[1], payload[2])
        from rdflib import Graph

        graph = Graph()
        for triple in payload[1]:
            graph.add(triple)
        return graph

    def pids(self) -> list[int]:
        """Process ids of the idle workers (for tests and the load test)."""
        found = []
        while True:
            try:
                found.append(self._idle.get_nowait())
            except queue.Empty:
                break
        for w in found:
            self._idle.put(w)
        return [w.pid for w in found]

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                break
        self._spawner.shutdown(wait=False)

