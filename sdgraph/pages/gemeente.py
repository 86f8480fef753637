"""One gemeente: who it is (:func:`lookup`, shared by every page about a gemeente) and
its page on a peildatum: memberships, regio's, wie doet wat, herindelingen, key figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from rdflib import Literal
from rdflib.term import Identifier

from ..errors import UserError
from ..i18n import N_
from ..output import text
from ..runner import Runner
from .base import Page
from .query import QueryResult, Tables, tables_dict


class UnknownGemeente(UserError):
    """The code, IRI or name names no gemeente in the graph (a web page answers 404);
    for a name, the message is the search's (with the closest names)."""

    def __init__(self, code: str, found: UserError | None = None) -> None:
        if found is not None:
            super().__init__(found.template, **found.params)
        else:
            super().__init__(N_("Geen gemeente met code {code} in de graaf."), code=code)


@dataclass
class Gemeente:
    """The ``gemeente`` query's row for one gemeente."""

    info: QueryResult
    asked: str  # the code as the user wrote it

    @property
    def row(self) -> dict[str, Identifier | None]:
        return self.info.first or {}

    @property
    def iri(self) -> str:
        return text(self.row.get("gemeente"))

    @property
    def code(self) -> str:
        """The canonical code (GM0823)."""
        return text(self.row.get("code")) or self.asked

    @property
    def naam(self) -> str:
        return text(self.row.get("naam")) or self.code

    @property
    def canonical(self) -> bool:
        """True when the user wrote the code as the graph does (else redirect to it)."""
        return self.code == self.asked

    @property
    def last_day(self) -> str | None:
        """For a gemeente that no longer exists, its last day (the default peildatum)."""
        end = self.row.get("geldigTot")
        value = end.toPython() if isinstance(end, Literal) else None
        return (value - timedelta(days=1)).isoformat() if isinstance(value, date) else None

    def peildatum(self, asked: str | None) -> str | None:
        """The peildatum a page shows: the one asked for, else the gemeente's last day
        (None: the query's default, today)."""
        return asked or self.last_day


@dataclass(frozen=True)
class Bestaan:
    """A gemeente that did not exist on the peildatum: since when or until when, and the
    gemeenten to go to instead (successors when it was opgeheven, predecessors when it
    did not exist yet), each as (code, name, date of the herindeling)."""

    peildatum: str
    soort: str  # "opgeheven" or "nog-niet"
    datum: str
    naar: tuple[tuple[str, str, str], ...]


def _day(term: Identifier | None) -> date | None:
    value = term.toPython() if isinstance(term, Literal) else None
    return value if isinstance(value, date) else None


def bestaan(run: Runner, gemeente: Gemeente, peildatum: str | None) -> Bestaan | None:
    """None when the gemeente existed on ``peildatum`` (or none was given), else what a page
    tells about it (from the gemeente's lifetime and query ``opvolging``)."""
    if not peildatum:
        return None
    try:
        day = date.fromisoformat(peildatum)
    except ValueError:
        return None  # the page's own query reports a bad date
    begin, end = _day(gemeente.row.get("geldigVanaf")), _day(gemeente.row.get("geldigTot"))
    if end is not None and day >= end:
        soort, datum, relatie = "opgeheven", end, "opvolger"
    elif begin is not None and day < begin:
        soort, datum, relatie = "nog-niet", begin, "voorganger"
    else:
        return None
    rows = run.rows("opvolging", {"gemeente": gemeente.code})
    naar = tuple(sorted({(text(r.get("code")), text(r.get("naam")), text(r.get("datum")))
                         for r in rows if text(r.get("relatie")) == relatie and r.get("code")}))
    return Bestaan(peildatum, soort, datum.isoformat(), naar)


def lookup(run: Runner, code: str) -> Gemeente:
    """The gemeente ``code`` (GM code, TOOI IRI, or a name such as "Den Bosch") names;
    :class:`UnknownGemeente` if none. A name is not canonical: the web redirects it to
    the code."""
    try:
        resolved = run.resolve("gemeente", code.strip())
    except UserError as exc:
        raise UnknownGemeente(code, exc) from None
    try:
        info = run.result("gemeente", {"gemeente": resolved})
    except UserError:
        info = None
    if info is None or info.first is None:
        raise UnknownGemeente(code)
    return Gemeente(info, code)


#: The tables of a gemeente page, each also downloadable on its own.
TABLES = Tables({name: "gemeente" for name in ("lidmaatschappen", "regio-indeling",
                                              "wie-doet-wat", "opvolging", "kerncijfers")},
                timeless=("opvolging", "kerncijfers"))


@dataclass
class GemeentePage(Page):
    gemeente: Gemeente
    peildatum: str
    tables: dict[str, QueryResult]
    params: dict[str, str] = field(default_factory=dict)

    view = "gemeente"
    template = "gemeente.html"
    formats = ("json",)

    def to_dict(self) -> dict[str, Any]:
        return tables_dict("gemeente", self.gemeente.info, self.tables)

    def filename(self, fmt: str) -> str:
        return f"gemeente-{self.gemeente.code}.{fmt}"

    def context(self) -> dict[str, Any]:
        return dict(info=self.gemeente.info, gemeente=self.gemeente.row, code=self.gemeente.code,
                    peildatum=self.peildatum, lidmaatschappen=self.tables["lidmaatschappen"],
                    regios=self.tables["regio-indeling"],
                    wie_doet_wat=self.tables["wie-doet-wat"],
                    opvolging=self.tables["opvolging"], kerncijfers=self.tables["kerncijfers"])


def table(run: Runner, gemeente: Gemeente, name: str, peildatum: str | None) -> QueryResult:
    """One table of the gemeente page (``name`` in :data:`TABLES`)."""
    return TABLES.run(run, name, gemeente.code, gemeente.peildatum(peildatum))


def page(run: Runner, gemeente: Gemeente, peildatum: str | None = None) -> GemeentePage:
    tables = TABLES.all(run, gemeente.code, gemeente.peildatum(peildatum))
    shown = tables["lidmaatschappen"].params["peildatum"]
    return GemeentePage(gemeente, shown, tables,
                        {"gemeente": gemeente.code, "peildatum": shown})


def lijst(run: Runner, zoek: str | None = None,
          peildatum: str | None = None) -> tuple[QueryResult, Gemeente | None]:
    """The gemeenten (existing on ``peildatum`` if given) whose name or code resembles
    ``zoek`` (the forgiving search: accents, case, typos, aliases), best first; and the
    gemeente the search names exactly, if exactly one (the web opens its page)."""
    from .. import search
    from ..store import Table

    result = run.result("gemeenten", {"peildatum": peildatum})
    if not zoek:
        return result, None
    index = search.index(run)
    hits = index.search(zoek, ("gemeente",), limit=50)
    rank = {h.entry.iri: i for i, h in enumerate(hits)}
    column = result.table.columns.index("gemeente")
    rows = sorted((r for r in result.table.rows if str(r[column]) in rank),
                  key=lambda r: rank[str(r[column])])
    found = QueryResult(result.query, Table(result.table.columns, rows),
                        {**result.params, "zoek": zoek}, result.seconds, result.lang,
                        result.labeler)
    single = index.single(zoek, ("gemeente",))
    exact = single is not None and any(h.exact and h.entry.iri == single.iri for h in hits)
    if exact and single.iri in {str(r[column]) for r in rows}:
        return found, lookup(run, single.gm_code)
    return found, None
