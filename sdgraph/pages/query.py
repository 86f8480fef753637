"""One named query's result as a page: ``/query/<name>``, the API and ``sdgraph query``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rdflib.term import Identifier

from ..errors import UserError
from ..output import plain, to_csv, to_text
from ..queries import NamedQuery
from ..store import Table
from .base import Page

Row = Mapping[str, Identifier | None]


@dataclass
class QueryResult(Page):
    """A SELECT query's rows plus what a page shows about them (title, parameters)."""

    query: NamedQuery
    table: Table
    params: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    lang: str = "nl"

    view = "query"
    template = "query.html"
    formats = ("json", "csv", "txt")

    @property
    def name(self) -> str:
        return self.query.name

    @property
    def title(self) -> str:
        return self.query.label(self.lang)

    @property
    def description(self) -> str:
        return self.query.describe(self.lang)

    @property
    def rows(self) -> list[dict[str, Identifier | None]]:
        return self.table.dicts()

    @property
    def first(self) -> dict[str, Identifier | None] | None:
        rows = self.rows
        return rows[0] if rows else None

    def __len__(self) -> int:
        return len(self.table)

    def __bool__(self) -> bool:
        return True  # an empty result is still a result

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.name,
            "columns": self.table.columns,
            "rows": [{c: plain(v) for c, v in zip(self.table.columns, row, strict=True)}
                     for row in self.table.rows],
            "count": len(self.table.rows),
        }

    def to_csv(self) -> str:
        return to_csv(self.table)

    def to_text(self) -> str:
        return to_text(self.table)

    def filename(self, fmt: str) -> str:
        return f"{self.name.replace('/', '-')}.{fmt}"

    def context(self) -> dict[str, Any]:
        return {"query": self.query, "result": self}


@dataclass(frozen=True)
class Tables:
    """The named queries of a page made of several tables, each also a download of its own:
    table name -> the query parameter that takes the page's subject; ``timeless`` ones do
    not take the peildatum."""

    subject: dict[str, str]
    timeless: tuple[str, ...] = ()

    def run(self, run, name: str, subject: str, peildatum: str | None) -> QueryResult:
        if name not in self.subject:
            raise UserError("no table {name!r} here (known: {known})", name=name,
                            known=", ".join(self.subject))
        values = {self.subject[name]: subject}
        if name not in self.timeless:
            values["peildatum"] = peildatum
        return run.result(name, values)

    def all(self, run, subject: str, peildatum: str | None) -> dict[str, QueryResult]:
        return {name: self.run(run, name, subject, peildatum) for name in self.subject}


def tables_dict(head: str, first: QueryResult, tables: dict[str, QueryResult]) -> dict[str, Any]:
    """The JSON of a page of several tables: its subject's row and every table."""
    return {head: first.to_dict()["rows"][0],
            "tabellen": {name: result.to_dict() for name, result in tables.items()}}
