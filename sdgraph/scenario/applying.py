"""Apply a scenario to a copy of an overlay with the SPARQL Updates of ``queries/scenario/``:
who executes which taak after each wijziging (the store itself is never written)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rdflib.term import Identifier

from ..errors import UserError
from ..i18n import N_
from ..output import text
from .figures import AT
from .model import Scenario, Wijziging
from .overlay import Overlay

Row = Mapping[str, Identifier | None]


@dataclass
class Org:
    iri: str
    naam: str
    soort: str  # gemeente | gr | regio | aanbieder | organisatie
    centrumgemeente: str | None = None
    beschreven: bool = True


def organisaties(overlay: Overlay, iris: Iterable[str]) -> dict[str, Org]:
    rows = overlay.scenario_rows("soorten", {}, ("organisatie", sorted(set(iris))))
    return {text(r["organisatie"]): Org(text(r["organisatie"]), text(r.get("naam")),
                                         text(r.get("soort")) or "organisatie",
                                         text(r.get("centrumgemeente")) or None,
                                         text(r.get("beschreven")).lower() in ("true", "1"))
            for r in rows}


def _known(overlay: Overlay, scenario: Scenario) -> dict[str, Org]:
    """The kinds of the organisations the scenario names; unknown ones are an error."""
    orgs = organisaties(overlay, [scenario.gemeente, *scenario.organisaties()])
    taken = {text(r["taak"]) for r in overlay.rows("taken", {})}
    delen = {text(r["deelgebied"]) for r in overlay.rows("deelgebieden", {})}
    described = {iri for iri, o in orgs.items() if o.beschreven}
    where = scenario.bron or scenario.iri
    for w in scenario.wijzigingen:
        for o in w.organisaties():
            if o not in described:
                raise UserError(N_("{waar}: {wijziging} noemt {organisatie}, die de graaf niet "
                                   "kent"), waar=where, wijziging=w.iri, organisatie=o)
        for t in w.taken:
            if t not in taken:
                raise UserError(N_("{waar}: {wijziging}: {taak} is geen taak"), waar=where,
                                wijziging=w.iri, taak=t)
        for d in w.deelgebieden:
            if d not in delen:
                raise UserError(N_("{waar}: {wijziging}: {deelgebied} is geen deelgebied"),
                                waar=where, wijziging=w.iri, deelgebied=d)
    if scenario.gemeente not in described:
        raise UserError(N_("{waar}: de graaf kent de gemeente {gemeente} niet"), waar=where,
                        gemeente=scenario.gemeente)
    return orgs


def _uitvoerder(org: Org, orgs: dict[str, Org]) -> Org:
    """Who executes for a regio: its centrumgemeente when it has one."""
    if org.soort == "regio" and org.centrumgemeente:
        return orgs.get(org.centrumgemeente) or Org(org.centrumgemeente, "", "gemeente")
    return org


def _arrangement(naar: Org, gemeente: str) -> tuple[str | None, str | None]:
    """(arrangementtype, via) of a new uitvoering by ``naar``."""
    if naar.iri == gemeente:
        return AT + "eigen-organisatie", None
    if naar.soort == "gr":
        return AT + "gemeenschappelijke-regeling", naar.iri
    if naar.soort == "gemeente":
        return AT + "centrumgemeente", None
    if naar.soort == "aanbieder":
        return AT + "contract", None
    return None, None


def apply(before: Overlay, scenario: Scenario) -> Overlay:
    """A copy of ``before`` with the scenario's changes applied (SPARQL Update on the copy)."""
    orgs = _known(before, scenario)
    after = before.copy()
    after.add(scenario.graph)  # the updates read a change's taken and deelgebieden from it
    g, p = scenario.gemeente, scenario.peildatum.isoformat()

    def org(iri: str) -> Org:
        return orgs.get(iri) or Org(iri, "", "organisatie")

    for w in scenario.wijzigingen:
        bron = f"scenario {scenario.naam()}: {w.label or w.soort}"
        base = {"wijziging": w.iri, "gemeente": g, "peildatum": p}

        def move(van: str | None, naar: Org, w: Wijziging = w, base: dict = base,
                 bron: str = bron) -> None:
            at, via = _arrangement(naar, g)
            after.run_update("uitvoering-nieuw", {**base, "van": van, "naar": naar.iri, "via": via,
                                                  "arrangementtype": at, "bron": bron})
            after.run_update("uitvoering-einde", {**base, "van": van, "naar": naar.iri})

        def join(organisatie: str, base: dict = base, bron: str = bron) -> None:
            after.run_update("lidmaatschap-start", {**base, "organisatie": organisatie,
                                                    "bron": bron})

        partial = bool(w.taken or w.deelgebieden)
        if w.soort == "overdracht":
            naar = _uitvoerder(org(w.naar or ""), orgs)
            move(w.van, naar)
            if org(w.naar or "").soort in ("gr", "regio"):
                join(w.naar or "")
        elif w.soort == "eigen-regie":
            move(w.van, org(g))
        elif w.soort == "toetreding":
            betreft = org(w.betreft or "")
            join(betreft.iri)
            if partial or w.van or w.naar:
                move(w.van, _uitvoerder(org(w.naar) if w.naar else betreft, orgs))
        elif w.soort == "doordecentralisatie":
            centrum = _uitvoerder(org(w.van or ""), orgs)
            move(centrum.iri, org(g))
        elif w.soort == "uittreding":
            betreft = w.betreft or ""
            if w.naar:
                move(betreft, _uitvoerder(org(w.naar), orgs))
            after.run_update("uitvoering-einde", {**base, "van": betreft})
            if not partial:
                after.run_update("lidmaatschap-einde", {"gemeente": g, "organisatie": betreft,
                                                        "peildatum": p})
    after.remove(scenario.graph)
    after.add(scenario.feiten)
    return after
