"""An organisation's page: a GR, regio, gemeente, aanbieder ... with its versions, members
on a peildatum, membership history and (for a GR) its derived taken."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..runner import Runner
from .base import Page
from .matrix import UnknownOrganisatie
from .query import QueryResult, Tables, tables_dict

#: The tables of the page, each also downloadable, with the name of their IRI parameter.
TABLES = Tables({"deelnemers": "organisatie", "deelnemers-historie": "organisatie",
                 "gr-versies": "gr", "gr-taken": "gr"}, timeless=("gr-taken",))


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
        return tables_dict("organisatie", self.info, self.tables)

    def context(self) -> dict[str, Any]:
        return dict(iri=self.iri, org=self.info.first, info=self.info,
                    peildatum=self.tables["deelnemers"].params["peildatum"],
                    versies=self.tables["gr-versies"], deelnemers=self.tables["deelnemers"],
                    historie=self.tables["deelnemers-historie"], taken=self.tables["gr-taken"])


def table(run: Runner, iri: str, name: str, peildatum: str | None) -> QueryResult:
    """One table of the page (``name`` in :data:`TABLES`)."""
    return TABLES.run(run, name, iri, peildatum)


def page(run: Runner, iri: str, peildatum: str | None = None) -> OrganisatiePage:
    """The page of the organisation ``iri`` (or named so: "Kempengemeenten")."""
    iri = run.resolve("organisatie", iri)
    info = run.result("organisatie", {"organisatie": iri})
    if info.first is None:
        raise UnknownOrganisatie(iri)
    tables = TABLES.all(run, iri, peildatum)
    return OrganisatiePage(iri, info, tables,
                           {"organisatie": iri,
                            "peildatum": tables["deelnemers"].params["peildatum"]})
