"""One Store interface, two backends: embedded (pyoxigraph) and remote (SPARQL 1.1)."""

from ..config import Settings
from .base import Dataset, GraphInfo, LoadResult, Source, Store, Table
from .embedded import EmbeddedStore
from .remote import RemoteStore
from .sandbox import QueryLimits

__all__ = [
    "Dataset",
    "EmbeddedStore",
    "GraphInfo",
    "LoadResult",
    "RemoteStore",
    "Source",
    "Store",
    "Table",
    "open_store",
]


def open_store(settings: Settings, read_only: bool = False) -> Store:
    """Open the store the settings name: remote when an endpoint is set, else embedded."""
    store: Store
    if settings.endpoint:
        store = RemoteStore(
            settings.endpoint,
            settings.update_endpoint,
            settings.gsp_endpoint,
            timeout=settings.timeout,
            update_timeout=settings.update_timeout,
            profile=settings.endpoint_profile,
            user=settings.endpoint_user,
            password=settings.endpoint_password,
        )
    else:
        store = EmbeddedStore(settings.store_path, read_only=read_only,
                              lock_wait=settings.lock_wait)
    store.query_limits = QueryLimits.from_settings(settings)
    store.materialise = settings.materialise and not read_only
    return store
