"""One named query's result as a page: ``/query/<name>``, the API and ``sdgraph query``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from ..errors import UserError
from ..i18n import N_, gettext
from ..output import plain, text, to_csv, to_text
from ..queries import Column, NamedQuery
from ..spreadsheet import Sheet
from ..store import Table
from .base import Page

Labeler = Callable[[Iterable[URIRef]], dict[str, str]]

Row = Mapping[str, Identifier | None]


@dataclass
class QueryResult(Page):
    """A SELECT query's rows plus what a page shows about them (title, parameters)."""

    query: NamedQuery
    table: Table
    params: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    lang: str = "nl"
    labeler: Labeler | None = field(default=None, repr=False, compare=False)
    _labels: dict[str, str] = field(default_factory=dict, init=False, repr=False,
                                    compare=False)
    #: the IRIs whose names were looked up (with or without one)
    _named: set[URIRef] = field(default_factory=set, init=False, repr=False, compare=False)
    _all_named: bool = field(default=False, init=False, repr=False, compare=False)

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

    def head(self, n: int) -> list[dict[str, Identifier | None]]:
        """The first ``n`` rows, with the names of their IRIs looked up: what a page shows
        of a long result (the downloads have every row and name)."""
        rows = self.table.rows[:n]
        self._name(rows)
        return Table(self.table.columns, rows).dicts()

    @property
    def first(self) -> dict[str, Identifier | None] | None:
        rows = self.rows
        return rows[0] if rows else None

    def __len__(self) -> int:
        return len(self.table)

    @property
    def total(self) -> int:
        """The row count of the whole result (the table may hold its first rows only)."""
        return len(self.table) if self.table.total is None else self.table.total

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

    def column(self, name: str) -> Column:
        return self.query.column(name)

    def columns(self) -> list[Column]:
        return [self.column(c) for c in self.table.columns]

    def _name(self, rows: Iterable[tuple]) -> None:
        """Look up the names of the IRIs in ``rows`` not looked up yet."""
        iris = {v for row in rows for v in row if isinstance(v, URIRef)} - self._named
        if iris and self.labeler:
            self._labels.update(self.labeler(iris))
        self._named |= iris

    @property
    def labels(self) -> dict[str, str]:
        """IRI -> name, for every IRI in the rows (each looked up once; the rows are
        read for it once)."""
        if not self._all_named:
            self._name(self.table.rows)
            self._all_named = True
        return self._labels

    def label(self, term: Identifier | None) -> str:
        """The name of an IRI ('' when it has none); other terms as text. An IRI not
        looked up yet (not in :meth:`head`'s rows) has the names of every row looked up."""
        if isinstance(term, URIRef):
            return (self._labels if term in self._named else self.labels).get(str(term), "")
        return text(term)

    def sheets(self, lang: str | None = None) -> list[Sheet]:
        """The rows with the columns' titles; after a column of IRIs, their names."""
        lang = lang or self.lang
        iri_columns = {i for i, _ in enumerate(self.table.columns)
                       if any(isinstance(row[i], URIRef) for row in self.table.rows)}
        naam = gettext(N_("naam"), lang)
        headers, variables, descriptions = [], [], []
        for i, column in enumerate(self.columns()):
            headers.append(column.label(lang))
            variables.append(column.name)
            descriptions.append(column.describe(lang))
            if i in iri_columns:
                headers.append(f"{column.label(lang)} ({naam})")
                variables.append(f"{column.name}_label")
                descriptions.append("")
        rows = []
        for row in self.table.rows:
            out: list[Any] = []
            for i, value in enumerate(row):
                out.append(_cell(value))
                if i in iri_columns:
                    out.append(self.label(value) or None)
            rows.append(out)
        return [Sheet(self.name.replace("/", "-"), headers, rows, variables, descriptions)]

    def about(self, lang: str = "nl") -> list[tuple[str, str]]:
        words = [gettext(w, lang) for w in (N_("Titel"), N_("Query"), N_("Beschrijving"),
                                            N_("Parameters"))]
        params = ", ".join(f"{k}={v}" for k, v in self.params.items() if v)
        return [(words[0], self.query.label(lang)), (words[1], self.name),
                (words[2], self.query.describe(lang)), (words[3], params)]

    def to_text(self) -> str:
        return to_text(self.table)

    def filename(self, fmt: str) -> str:
        return f"{self.name.replace('/', '-')}.{fmt}"

    def context(self) -> dict[str, Any]:
        return {"query": self.query, "result": self}


def _cell(value: Identifier | None) -> Any:
    """A value for a spreadsheet cell: numbers and booleans as such, dates as dates."""
    if isinstance(value, Literal) and value.datatype == XSD.date:
        parsed = value.toPython()
        return parsed if isinstance(parsed, date) else str(value)
    return plain(value)


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
