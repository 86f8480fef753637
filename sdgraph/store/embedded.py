"""Embedded backend: pyoxigraph (RocksDB) on disk, zero set-up."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..errors import StoreError, UserError
from .base import Store, Table
from .terms import from_ox


class EmbeddedStore(Store):
    """A pyoxigraph store in a folder; ``path=None`` keeps it in memory."""

    backend = "embedded"

    def __init__(self, path: str | Path | None = None, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreError(
                    f"store {self.path} is in use by another process "
                    "(is 'sdgraph serve' running?); stop it or use --endpoint"
                ) from None
            raise StoreError(f"cannot open store {self.path}: {exc}") from None

    def describe(self) -> str:
        return f"embedded store {self.path or '(in memory)'}"

    def _run(self, text: str):
        try:
            return self._store.query(text, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise UserError(f"SPARQL syntax error: {exc.msg}") from None

    def _select(self, text: str) -> Table:
        solutions = self._run(text)
        columns = [v.value for v in solutions.variables]
        rows = [tuple(from_ox(s[i]) for i in range(len(columns))) for s in solutions]
        return Table(columns, rows)

    def _ask(self, text: str) -> bool:
        return bool(self._run(text))

    def _construct(self, text: str) -> Graph:
        g = Graph()
        for t in self._run(text):
            g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        return g

    def _update(self, text: str) -> None:
        try:
            self._store.update(text)
        except SyntaxError as exc:
            raise UserError(f"SPARQL Update syntax error: {exc.msg}") from None

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def __len__(self) -> int:
        return len(self._store)

    def close(self) -> None:
        if hasattr(self, "_store"):
            try:
                self._store.flush()
            except OSError:
                pass
            del self._store
