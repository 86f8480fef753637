"""Results computed in Python from named queries, kept while the data they read is unchanged.

:class:`~sdgraph.cache.VersionedCache` drops everything at every load. What a page
computes from national queries (which shape stands for which gemeente on a day, a
regio-indeling's member lists, the national table of kerncijfers, the size classes of
every gemeente) stays valid after a load that writes none of the predicates those
queries read (one gemeente's inventory, a user's file). :class:`InputCache` keys such a
result on the *input version* of its queries, the fingerprint the results materialised
at load time carry (:func:`sdgraph.materialise.input_version`: the load records of the
graphs holding a predicate the queries read), so it survives unrelated loads and is
computed again after any load that may change it.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from .cache import VersionedCache, follows_version

if TYPE_CHECKING:
    from .store import Store


class InputCache:
    """Results per store, key and input version of the queries they read (least recently
    used go first beyond ``maxsize`` per store). Thread-safe; stores are held weakly."""

    def __init__(self, maxsize: int = 128) -> None:
        self.maxsize = maxsize
        self._stores: weakref.WeakKeyDictionary[Store, OrderedDict[Hashable, Any]] = (
            weakref.WeakKeyDictionary())
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        # emptied with the result caches (sdgraph.cache.clear_all: the bench's cold runs)
        VersionedCache._instances.add(self)  # type: ignore[arg-type]

    def get(self, run: Any, reads: tuple[str, ...], key: Hashable,
            compute: Callable[[], Any]) -> Any:
        """The result for ``key`` computed from queries ``reads`` of ``run``'s store and
        library, while their input is unchanged; else ``compute()`` (then kept). Computed
        each time for a runner without a store, or an in-memory store (written directly,
        so its load records say nothing)."""
        store = getattr(run, "store", None)
        library = getattr(run, "library", None)
        if store is None or library is None or not follows_version(store):
            return compute()
        from .materialise import reads_version

        full = (key, reads_version(store, library, reads))
        with self._lock:
            entries = self._stores.setdefault(store, OrderedDict())
            if full in entries:
                entries.move_to_end(full)
                self.hits += 1
                return entries[full]
        result = compute()
        with self._lock:
            self.misses += 1
            entries = self._stores.setdefault(store, OrderedDict())
            entries[full] = result
            while len(entries) > self.maxsize:
                entries.popitem(last=False)
        return result

    def clear(self) -> None:
        with self._lock:
            self._stores.clear()

    def refresh(self, store: Store, limit: int | None = None) -> int:
        """Nothing to compute again after a load (:class:`~sdgraph.cache.Refresher`): an
        entry whose input changed is never served, one whose input did not stays."""
        return 0
