"""One Store interface, two backends: embedded (pyoxigraph) and remote (SPARQL 1.1)."""

from ..config import Settings
from .base import Dataset, GraphInfo, LoadResult, Source, Store, Table
from .embedded import EmbeddedStore
from .remote import RemoteStore

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
    if settings.endpoint:
        return RemoteStore(
            settings.endpoint,
            settings.update_endpoint,
            settings.gsp_endpoint,
            timeout=settings.timeout,
            update_timeout=settings.update_timeout,
            profile=settings.endpoint_profile,
            user=settings.endpoint_user,
            password=settings.endpoint_password,
        )
    return EmbeddedStore(settings.store_path, read_only=read_only, lock_wait=settings.lock_wait)
