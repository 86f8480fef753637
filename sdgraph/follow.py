"""Keep a read-only embedded store current in the background.

A web process opens the store read-only and sees the data as it was when it
opened it; after a load (``sdgraph load``, another process) it reopens the store
before its next query, and reads the load records again (the validity of every
stored result and index, :mod:`sdgraph.materialise`). Without a follower the
first visitor after a load waits for both: 50-70 ms for the reopen and 20-25 ms
for the records on the 1m bench store (docs/performance.md). The
:class:`Follower` does both in its own thread shortly after the load ends.

It computes no results: what the first visitor asks after a load is still
computed for that visitor (or recomputed by the :class:`~sdgraph.cache.Refresher`
when it had been asked before the load).
"""

from __future__ import annotations

from .cache import Periodic
from .store import EmbeddedStore, Store


def follows(store: Store) -> bool:
    """Whether a follower has work on ``store``: a read-only store in a folder (a remote
    store's version is a query to its server, reused for ``version_ttl`` seconds)."""
    return isinstance(store, EmbeddedStore) and store.read_only


class Follower(Periodic):
    """A daemon thread that every ``interval`` seconds reopens ``store`` when a writer
    has changed its files and reads the load records of its new version."""

    thread_name = "sdgraph-store-follow"

    def __init__(self, store: Store, interval: float) -> None:
        super().__init__(interval)
        self.store = store
        self.version: str | None = None

    def step(self) -> bool:
        """Catch up with the store once; whether its version had changed."""
        from .materialise import load_records

        version = self.store.version()  # reopens the store when its files changed
        if version == self.version:
            return False
        load_records(self.store)
        self.version = version
        return True

    def tick(self) -> None:
        self.step()
