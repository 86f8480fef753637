"""Scenarios kept in the store: each in its own named graph ``graph/scenario/<gm-code>/<id>``
with a provenance record like every load (who made it, when, from which tool).

A stored scenario is its Turtle (:func:`~.model.to_turtle`) with its facts as text
(``sd:feiten``): facts of a situation that does not exist must never stand beside the real
ones in the store's union graph. Saving replaces the graph of the same id; the web saves only
for a user with the administrator token. Stored scenarios are chosen by the id
``opgeslagen/<gm-code>/<id>`` beside the bundled ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Graph

from ..errors import UserError
from ..i18n import N_
from ..namespaces import GRAPH
from ..output import text
from ..queries import QueryLibrary, bundled_library
from ..store import Store
from ..store.base import LoadResult, Source
from .model import BOUWER, Scenario, from_graph, to_turtle

PREFIX = str(GRAPH["scenario/"])
#: The id of a stored scenario: ``opgeslagen/<gm-code>/<id>``.
IDENT = re.compile(r"^opgeslagen/(gm\d{4})/([a-z0-9][a-z0-9\-]*)$")


@dataclass(frozen=True)
class Opgeslagen:
    """One stored scenario as the list shows it."""

    id: str
    graaf: str
    iri: str
    naam: str
    gemeente: str
    gemeenteNaam: str
    peildatum: str
    auteur: str
    gemaakt: str


def graaf(scenario: Scenario) -> str:
    """The named graph a scenario is stored in."""
    code = scenario.gemeente.rsplit("/", 1)[-1].lower()
    return f"{PREFIX}{code}/{scenario.slug}"


def ident(graph: str) -> str | None:
    """The id (``opgeslagen/gm0823/mijn-scenario``) of a stored scenario's graph."""
    if not graph.startswith(PREFIX):
        return None
    found = "opgeslagen/" + graph[len(PREFIX):]
    return found if IDENT.match(found) else None


def opslaan(store: Store, scenario: Scenario) -> LoadResult:
    """Store ``scenario`` in its own graph (replacing an earlier one of the same id), with
    a provenance record naming its author and the builder."""
    body = to_turtle(scenario, feiten_als_tekst=True).encode("utf-8")
    source = Source(name=f"{scenario.slug}.ttl", data=body, title=scenario.naam(),
                    publisher=scenario.auteur or None, issued=scenario.gemaakt or None,
                    graph=graaf(scenario))
    [result] = store.load([source])
    return result


def lijst(store: Store, library: QueryLibrary | None = None) -> list[Opgeslagen]:
    """The stored scenarios, by gemeente and name."""
    rows = (library or bundled_library()).get("scenario/opgeslagen").run(store, {}).dicts()
    out = []
    for r in rows:
        found = ident(text(r["graaf"]))
        if found is None:
            continue
        out.append(Opgeslagen(found, text(r["graaf"]), text(r["scenario"]),
                              text(r.get("naam")) or found, text(r["gemeente"]),
                              text(r.get("gemeenteNaam")), text(r["peildatum"])[:10],
                              text(r.get("auteur")), text(r.get("gemaakt"))[:10]))
    return out


def laden(store: Store, ident_: str, library: QueryLibrary | None = None) -> list[Scenario]:
    """The scenario stored under ``ident_`` (``opgeslagen/gm0823/mijn-scenario``)."""
    match = IDENT.match(ident_)
    if match is None:
        raise UserError(N_("Geen opgeslagen scenario {id}."), id=repr(ident_))
    graph = f"{PREFIX}{match.group(1)}/{match.group(2)}"
    result = (library or bundled_library()).get("scenario/opgeslagen-graaf").run(
        store, {"graaf": graph})
    if not isinstance(result, Graph) or not len(result):
        raise UserError(N_("Geen opgeslagen scenario {id}."), id=repr(ident_))
    return from_graph(result, ident_)


__all__ = ["BOUWER", "Opgeslagen", "graaf", "ident", "laden", "lijst", "opslaan"]
