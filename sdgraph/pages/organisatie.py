"""An organisation's page: a GR, regio, gemeente, aanbieder ... with its versions, members
on a peildatum, membership history and (for a GR) its derived taken."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import UserError
from ..runner import Runner
from .base import Page
from .matrix import UnknownOrganisatie
from .query import QueryResult

#: The tables of the page, each also downloadable, with the name of their IRI parameter.
TABLES = {
    "deelnemers": "organisatie",
    "deelnemers-historie": "organisatie",
    "gr-versies": "gr",
    "gr-taken": "gr",
}
#: The tables that do not depend on the peildatum.
TIMELESS = ("gr-taken",)


@dataclass
class OrganisatiePage(Page):
    iri: str
    info: QueryResult
    tables: dict[str, QueryResult]
    params: dict[str, str] = field(default_factory=dict)

    view = "organisatie"
    template = "organisatie.html"
    formats = ("json",)

    def to_dict(self) -> dict[str, Any]:
        return {"organisatie": self.info.to_dict()["rows"][0],
                "tabellen": {name: result.to_dict() for name, result in self.tables.items()}}

    def context(self) -> dict[str, Any]:
        return dict(iri=self.iri, org=self.info.first, info=self.info,
                    peildatum=self.tables["deelnemers"].params["peildatum"],
                    versies=self.tables["gr-versies"], deelnemers=self.tables["deelnemers"],
                    historie=self.tables["deelnemers-historie"], taken=self.tables["gr-taken"])


def table(run: Runner, iri: str, name: str, peildatum: str | None) -> QueryResult:
    """One table of the page (``name`` in :data:`TABLES`)."""
    if name not in TABLES:
        raise UserError(f"no table {name!r} on an organisation page "
                        f"(known: {', '.join(TABLES)})")
    values = {TABLES[name]: iri}
    if name not in TIMELESS:
        values["peildatum"] = peildatum
    return run.result(name, values)


def page(run: Runner, iri: str, peildatum: str | None = None) -> OrganisatiePage:
    info = run.result("organisatie", {"organisatie": iri})
    if info.first is None:
        raise UnknownOrganisatie(iri)
    tables = {name: table(run, iri, name, peildatum) for name in TABLES}
    return OrganisatiePage(iri, info, tables,
                           {"organisatie": iri,
                            "peildatum": tables["deelnemers"].params["peildatum"]})
