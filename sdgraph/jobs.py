"""One-off work in a confined child process: a time limit, a memory limit, no network.

Validating an uploaded inventory runs the SHACL engine in Python for as long as
the data asks (10,000 triples of one inventory took 50 s and 460 MB), so it
runs in a child process that is stopped at a time limit, with the same
confinement as the query workers (:mod:`sdgraph.store.confine`). The function
and its arguments and result must be picklable; the child is started with
``spawn`` (the web process runs threads).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from .errors import StoreError, UserError
from .store.sandbox import QueryMemory, ServerBusy

#: Concurrent jobs per process. One more waits up to JOB_WAIT seconds for a slot (an
#: upload from another browser takes a few seconds), then is told to come back
#: (ServerBusy); pages that start no job never wait for one.
MAX_JOBS = 1
JOB_WAIT = 30.0
_slots = threading.BoundedSemaphore(MAX_JOBS)


class JobTimeout(UserError):
    """The work took longer than its limit and was stopped."""

    def __init__(self, what: str, seconds: float) -> None:
        super().__init__(f"{what} took longer than {seconds:g} s (the limit) and was stopped; "
                         "try a smaller file")
        self.seconds = seconds


def _main(conn: Connection, parent: int, memory_mb: int, network: bool, func: Callable,
          args: tuple) -> None:
    from .store import confine

    os.putenv("RUST_BACKTRACE", "0")
    confine.die_with_parent(parent)
    if not network:
        confine.no_network()
    confine.limit_memory(memory_mb * 1024 * 1024)
    confine.lower_priority()
    try:
        conn.send(("ok", func(*args)))
    except MemoryError:
        conn.send(("memory", None))
    except UserError as exc:  # sent as its class and fields (its own __init__ may differ)
        conn.send(("user", (type(exc), str(exc), dict(vars(exc)))))
    except Exception as exc:  # noqa: BLE001 - reported to the parent
        conn.send(("error", f"{type(exc).__name__}: {exc}"))


def run_confined(func: Callable, args: tuple, *, what: str, timeout: float,
                 memory_mb: int, retry_after: int = 5, network: bool = False) -> Any:
    """``func(*args)`` in a confined child process; JobTimeout after ``timeout`` seconds,
    QueryMemory past ``memory_mb``, a UserError raised there as a UserError here.
    ``network``: the child may open connections (it reads a remote store)."""
    if not _slots.acquire(timeout=JOB_WAIT):
        raise ServerBusy(retry_after)
    try:
        ctx = mp.get_context("spawn")
        receive, send = ctx.Pipe(duplex=False)
        process = ctx.Process(target=_main, daemon=True,
                              args=(send, os.getpid(), memory_mb, network, func, args))
        process.start()
        send.close()
        try:
            if not receive.poll(timeout):
                raise JobTimeout(what, timeout)
            try:
                kind, value = receive.recv()
            except (EOFError, OSError):
                process.join(1)
                if process.exitcode == -signal.SIGABRT:
                    raise QueryMemory(memory_mb, what, "try a smaller file") from None
                raise StoreError(f"{what} stopped unexpectedly (exit {process.exitcode})") \
                    from None
        finally:
            process.kill()
            process.join(5)
            receive.close()
        if kind == "ok":
            return value
        if kind == "memory":
            raise QueryMemory(memory_mb, what, "try a smaller file")
        if kind == "user":
            cls, message, fields = value
            error = cls.__new__(cls)
            Exception.__init__(error, message)
            error.__dict__.update(fields)
            raise error
        raise StoreError(f"{what} failed: {value}")
    finally:
        _slots.release()
