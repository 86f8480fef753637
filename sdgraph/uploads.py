"""Limits for uploaded inventories: size in triples, and validation in a confined process.

An upload is parsed with a bound on its triples (``Source.max_triples``), and
read and validated in a child process with a time and memory limit
(:func:`sdgraph.jobs.run_confined`): a 3 MB Turtle file of 1M triples took 55 s
and 3.2 GB in the web process before these limits. The child opens the store
itself, read-only (an embedded store on disk, or the same SPARQL endpoint); a
store that lives only in this process's memory (tests) is used in-process.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .store import EmbeddedStore, RemoteStore, Source, Store


@dataclass(frozen=True)
class UploadLimits:
    max_triples: int = 100_000
    timeout: float = 60.0  # seconds to read and validate one upload
    memory_mb: int = 1024
    retry_after: int = 5

    @classmethod
    def from_settings(cls, settings) -> UploadLimits:
        return cls(settings.upload_max_triples, settings.validation_timeout,
                   settings.query_memory_mb, settings.retry_after)


def upload_source(name: str, data: bytes, limits: UploadLimits) -> Source:
    """A Source for uploaded bytes, refused when it holds more than the triple limit."""
    return Source(name=name, data=data, max_triples=limits.max_triples)


def _open(kind: str, where: str) -> Store:
    if kind == "embedded":
        return EmbeddedStore(Path(where), read_only=True)
    return RemoteStore(where)


def _read_and_validate(store: Store | tuple[str, str], sources: list[Source], peildatum: date,
                       lang: str, gemeente=None):
    from .validation import read, validate

    if isinstance(store, tuple):
        store = _open(*store)
    inventory = read(sources, lang=lang, store=store, gemeente=gemeente)
    report = validate(inventory, peildatum=peildatum, store=store, reference=True)
    return inventory, report


def read_and_validate(store: Store, sources: list[Source], peildatum: date, lang: str,
                      limits: UploadLimits, gemeente=None):
    """(inventory, report) of uploaded ``sources`` (for ``gemeente`` when given), read and
    validated within ``limits``; errors of the reading (DataError, ImportErrors) as raised
    there."""
    from .jobs import run_confined

    if isinstance(store, EmbeddedStore) and store.path is not None:
        where: tuple[str, str] | None = ("embedded", str(store.path))
    elif isinstance(store, RemoteStore):
        where = ("remote", store.endpoint)
    else:
        where = None
    if where is None:  # in this process's memory only: no child can open it
        return _read_and_validate(store, sources, peildatum, lang, gemeente)
    return run_confined(_read_and_validate, (where, sources, peildatum, lang, gemeente),
                        what="reading and validating the file", timeout=limits.timeout,
                        memory_mb=limits.memory_mb, retry_after=limits.retry_after,
                        network=where[0] == "remote")  # it reads the remote store
