"""A cache of named-query results that expires with the store's version.

Every load (or drop) of a graph changes :meth:`Store.version`, so cached
results never outlive the data they came from. Used for the national
comparison figures of the foto (one query per figure and year, the same for
every gemeente); see docs/performance.md.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping

from .store import Store

Runner = Callable[[str, Mapping[str, str | None]], list]


class ResultCache:
    """Rows of named queries keyed by (name, parameters), cleared when the store changes."""

    def __init__(self, store: Store, maxsize: int = 2048) -> None:
        self.store = store
        self.maxsize = maxsize
        self._version: str | None = None
        self._rows: OrderedDict[tuple, list] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def runner(self, run: Runner, names: Iterable[str]) -> Runner:
        """``run`` with the results of the queries ``names`` cached.

        The store's version is read once here: a runner serves one request or
        command, and sees the store as it was when the runner was made.
        """
        version = self.store.version()
        with self._lock:
            if version != self._version:
                self._rows.clear()
                self._version = version
        cached = set(names)

        def wrapped(name: str, values: Mapping[str, str | None]) -> list:
            if name not in cached:
                return run(name, values)
            key = (version, name, tuple(sorted((k, v) for k, v in values.items() if v)))
            with self._lock:
                if key in self._rows:
                    self._rows.move_to_end(key)
                    self.hits += 1
                    return self._rows[key]
            rows = run(name, values)
            with self._lock:
                self.misses += 1
                self._rows[key] = rows
                while len(self._rows) > self.maxsize:
                    self._rows.popitem(last=False)
            return rows

        return wrapped
