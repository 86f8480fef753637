"""Caches of named-query results that expire with the store's version.

Every load (or drop) of a graph changes :meth:`Store.version`, so cached
results never outlive the data they came from. :class:`VersionedCache` serves
the named queries whose header says ``# cache: store-version`` (national
aggregates, the foto's national figures, the overlap page's inputs; see
docs/queries.md), the store's list of graphs and the scenario impacts, in the
CLI, the web and the core alike: the one cache of results.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from .queries import QueryLibrary
    from .store import Store


def follows_version(store: Store) -> bool:
    """Whether ``store``'s version changes with every change of its data: not so for an
    in-memory embedded store, which is written directly (scenario overlays)."""
    from .store import EmbeddedStore

    return not (isinstance(store, EmbeddedStore) and store.path is None)


@dataclass
class _StoreEntries:
    version: str
    #: key -> (result, rows, how to compute it again, how to size it)
    results: OrderedDict[Hashable, tuple[Any, int, Callable[[], Any], Callable[[Any], int]]] = (
        field(default_factory=OrderedDict))
    rows: int = 0
    #: what was asked under the previous version, not yet computed again (see refresh)
    pending: list[tuple[Hashable, Callable[[], Any], Callable[[Any], int]]] = field(
        default_factory=list)

    def successor(self, version: str, keep: int) -> _StoreEntries:
        """Entries for ``version`` that remember what these held (most recent first, at
        most ``keep``)."""
        asked = [(key, run, size) for key, (_, _, run, size) in reversed(self.results.items())]
        seen = {key for key, _, _ in asked}
        pending = asked + [p for p in self.pending if p[0] not in seen]
        return _StoreEntries(version, pending=pending[:keep])


class VersionedCache:
    """Results per store and key, all dropped when the store's version changes.

    Thread-safe and bounded: per store at most ``maxsize`` results and
    ``max_rows`` rows in all (least recently used go first; a result larger
    than ``max_rows`` is not kept). Stores are held weakly. The version is
    read before the query runs, so a result is never served after a load
    that the reader could already see.

    :meth:`refresh` computes again, for a store's new version, what was asked
    under its previous one (a :class:`Refresher` thread calls it after a
    load, so the next visitor finds the national aggregates ready).
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
            entries = self._current(store, version)
            found = entries.results.get(key)
            if found is not None:
                entries.results.move_to_end(key)
                self.hits += 1
                return found[0]
        result = run()
        with self._lock:
            self.misses += 1
        self._keep(store, entries, key, result, run, size)
        return result

    def _keep(self, store: Store, entries: _StoreEntries, key: Hashable, result: Any,
              run: Callable[[], Any], size: Callable[[Any], int]) -> None:
        rows = size(result)
        with self._lock:
            if rows > self.max_rows or self._stores.get(store) is not entries:
                return  # too large, or the store changed meanwhile
            old = entries.results.pop(key, None)
            if old is not None:
                entries.rows -= old[1]
            entries.results[key] = (result, rows, run, size)
            entries.rows += rows
            while len(entries.results) > self.maxsize or entries.rows > self.max_rows:
                _, (_, dropped, _, _) = entries.results.popitem(last=False)
                entries.rows -= dropped

    def refresh(self, store: Store, limit: int | None = None) -> int:
        """After a load (a new version of ``store``): compute again what was asked under
        the previous version (most recently used first, at most ``limit``) and keep it.
        Returns how many results were computed; a key a request computed meanwhile is
        skipped."""
        version = store.version()
        with self._lock:
            if store not in self._stores:
                return 0
            entries = self._current(store, version)
            todo, entries.pending = entries.pending[:limit], []
        done = 0
        for i, (key, run, size) in enumerate(todo):
            with self._lock:
                newest = self._stores.get(store)
                if newest is not entries:  # another load: the next refresh does the rest
                    if newest is not None:
                        newest.pending.extend(todo[i:])
                    break
                if key in entries.results:
                    continue
            self._keep(store, entries, key, run(), run, size)
            done += 1
        return done

    def _current(self, store: Store, version: str) -> _StoreEntries:
        """The entries of ``store`` for ``version`` (new ones after a load). Under the lock."""
        entries = self._stores.get(store)
        if entries is None:
            entries = self._stores[store] = _StoreEntries(version)
        elif entries.version != version:
            entries = self._stores[store] = entries.successor(version, self.maxsize)
        return entries

    def clear(self) -> None:
        with self._lock:
            self._stores.clear()


def clear_all() -> None:
    """Empty every :class:`VersionedCache` of this process, as a load would: the next
    request of each kind is a cold one (``bench/`` measures cold beside warm)."""
    for cache in list(VersionedCache._instances):
        cache.clear()


class Periodic:
    """A daemon thread that calls :meth:`tick` every ``interval`` seconds until
    :meth:`stop`; what ``tick`` raises is logged, and the thread goes on."""

    #: the thread's name (in a stack dump or a log line)
    thread_name = "sdgraph-periodic"

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=self.thread_name, daemon=True)

    def start(self) -> Periodic:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def tick(self) -> None:
        raise NotImplementedError

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.tick()
            except Exception:  # noqa: BLE001 - a background thread must go on
                log.exception("%s failed", self.thread_name)


class Refresher(Periodic):
    """A daemon thread that, every ``interval`` seconds, lets every cache
    :meth:`~VersionedCache.refresh` what it held for ``store`` when the store's version
    has changed (a load): the web's national aggregates are recomputed in the background
    instead of by the first visitor after a load. On a new day it also computes the
    national aggregates whose default peildatum is today (:meth:`new_day`): the load
    stored them for the day it ran. A failing query is logged and skipped."""

    thread_name = "sdgraph-cache-refresh"

    def __init__(self, store: Store, interval: float, library: QueryLibrary | None = None,
                 today: Callable[[], date] = date.today) -> None:
        super().__init__(interval)
        self.store = store
        self.library = library
        self.today = today
        self._day = today()
        self.refreshed = 0

    def tick(self) -> None:
        for cache in list(VersionedCache._instances):
            try:
                self.refreshed += cache.refresh(self.store)
            except Exception:  # noqa: BLE001 - one cache failing does not stop the others
                log.exception("refreshing cached results after a load failed")
        try:
            self.refreshed += self.new_day()
        except Exception:  # noqa: BLE001 - a background thread must go on
            log.exception("computing the national aggregates of a new day failed")

    def new_day(self) -> int:
        """When the date has changed since the last call: run every national aggregate
        (:func:`sdgraph.materialise.national`) whose parameters default to today, so its
        result for the new day is in this process's cache before a visitor asks (the
        stored results of the last load are keyed on the day of that load; without this the
        first visitor of each day waited for them, ``wijzigingen`` 15-22 s at 1m). Returns
        how many were run."""
        day = self.today()
        if day == self._day or self.library is None:
            return 0
        self._day = day
        from .materialise import national

        done = 0
        for query in national(self.library):
            if any(p.default == "today" for p in query.params):
                query.run(self.store)
                done += 1
        return done
