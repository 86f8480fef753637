"""Caches of named-query results that expire with the store's version.

Every load (or drop) of a graph changes :meth:`Store.version`, so cached
results never outlive the data they came from. :class:`VersionedCache` serves
the named queries whose header says ``# cache: store-version`` (national
aggregates, the foto's national figures, the overlap page's inputs; see
docs/queries.md), the store's list of graphs and the scenario impacts, in the
CLI, the web and the core alike: the one cache of results.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .store import Store


@dataclass
class _StoreEntries:
    version: str
    results: OrderedDict[Hashable, tuple[Any, int]] = field(default_factory=OrderedDict)
    rows: int = 0


class VersionedCache:
    """Results per store and key, all dropped when the store's version changes.

    Thread-safe and bounded: per store at most ``maxsize`` results and
    ``max_rows`` rows in all (least recently used go first; a result larger
    than ``max_rows`` is not kept). Stores are held weakly. The version is
    read before the query runs, so a result is never served after a load
    that the reader could already see.
    """

    #: Every cache made, so :func:`clear_all` can empty them (the bench's cold runs).
    _instances: weakref.WeakSet[VersionedCache] = weakref.WeakSet()

    def __init__(self, maxsize: int = 256, max_rows: int = 500_000) -> None:
        VersionedCache._instances.add(self)
        self.maxsize = maxsize
        self.max_rows = max_rows
        self._stores: weakref.WeakKeyDictionary[Store, _StoreEntries] = (
            weakref.WeakKeyDictionary())
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, store: Store, key: Hashable, run: Callable[[], Any],
            size: Callable[[Any], int] = lambda result: 1) -> Any:
        """The cached result for ``key`` on ``store``, else ``run()`` (then kept)."""
        version = store.version()
        with self._lock:
            entries = self._stores.get(store)
            if entries is None or entries.version != version:
                entries = self._stores[store] = _StoreEntries(version)
            found = entries.results.get(key)
            if found is not None:
                entries.results.move_to_end(key)
                self.hits += 1
                return found[0]
        result = run()
        rows = size(result)
        with self._lock:
            self.misses += 1
            if rows > self.max_rows or self._stores.get(store) is not entries:
                return result  # too large, or the store changed meanwhile
            old = entries.results.pop(key, None)
            if old is not None:
                entries.rows -= old[1]
            entries.results[key] = (result, rows)
            entries.rows += rows
            while len(entries.results) > self.maxsize or entries.rows > self.max_rows:
                _, (_, dropped) = entries.results.popitem(last=False)
                entries.rows -= dropped
        return result

    def clear(self) -> None:
        with self._lock:
            self._stores.clear()


def clear_all() -> None:
    """Empty every :class:`VersionedCache` of this process, as a load would: the next
    request of each kind is a cold one (``bench/`` measures cold beside warm)."""
    for cache in list(VersionedCache._instances):
        cache.clear()
