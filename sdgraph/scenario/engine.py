"""Apply a scenario to an overlay and compute its impact per deelgebied.

The "before" and "after" of a scenario are the same computations on two copies
of the overlay: the named queries ``wie-doet-wat`` (the matrix of
:mod:`sdgraph.matrix`), ``klantreis`` (:mod:`sdgraph.klantreis`), ``partners``
and ``netwerk`` (:mod:`sdgraph.network`), and the queries of
``queries/scenario/`` (memberships, seats and votes, contracts, money). Every
figure keeps the items behind it (IRI, label, source).

Definitions (per deelgebied, over the taken of the vocabulary):

- a *cell* is one taak in one deelgebied; its uitvoerders are the organisations
  of the taakuitvoeringen valid on the peildatum;
- a cell *ends* when it had uitvoerders and has none after (a new gap), *starts*
  when it had none and has some after, and *changes* when its set of uitvoerders
  differs; *double work* is a cell with two or more uitvoerders;
- a contract hangs on a taakuitvoering when the uitvoering runs via it, or when it
  is the uitvoerder's (or arrangement's) own procurement for the same taak; it
  must be *terminated* when every uitvoering of the gemeente it hangs on ends,
  and *renegotiated* when only some do. Notice is given on the besluitdatum (else
  the peildatum): the earliest end is that date plus the opzegtermijn, unless the
  contract ends earlier by itself.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import networkx as nx
import pyoxigraph as ox
from rdflib.namespace import DCTERMS, PROV
from rdflib.term import Identifier

from .. import network
from ..errors import UserError
from ..foto import IV3_LASTEN, _latest_iv3
from ..klantreis import Klantreis, klantreis
from ..matrix import Matrix, gemeente_matrix
from ..namespaces import SD, SDID
from ..output import text
from ..queries import QueryLibrary
from ..store import Store
from .model import Scenario, Wijziging
from .overlay import Overlay

Row = Mapping[str, Identifier | None]

AT = "https://w3id.org/sdgraph/id/arrangementtype/"
GOVERNANCE = str(SDID["deelgebied/governance"])
INKOOP = str(SDID["deelgebied/inkoop"])
TAAKVELD_BW_MO = "6.81"


# --------------------------------------------------------------------------- items and figures


@dataclass(frozen=True)
class Item:
    """One thing behind a figure: what (IRI), its label, where it comes from."""

    iri: str
    label: str
    bron: str = ""
    illustratief: bool = False
    detail: str = ""
    groep: str = ""  # for grouping only (e.g. the uitvoerder of a taakuitvoering)

    def to_dict(self) -> dict[str, object]:
        return {k: v for k, v in vars(self).items() if v not in ("", False)}


@dataclass
class Cel:
    """One taak in one deelgebied, before and after."""

    taak: str
    taakNaam: str
    voor: list[Item]
    na: list[Item]

    @property
    def uitvoerders_voor(self) -> set[str]:
        return {i.groep for i in self.voor}

    @property
    def uitvoerders_na(self) -> set[str]:
        return {i.groep for i in self.na}


@dataclass
class ContractImpact:
    """A contract that hangs on taakuitvoeringen the scenario ends."""

    iri: str
    naam: str
    actie: str  # "opzeggen" | "heronderhandelen" | "loopt-af"
    deelgebieden: list[str]
    uitvoeringen: list[str]  # the ended taakuitvoeringen it hangs on
    koppeling: str  # "via" | "inkoop"
    opzegtermijn: int | None
    einddatum: date | None
    vroegste_einde: date | None
    jaarwaarde: float | None
    exitkosten: float | None
    exitclausule: str
    aandeel: float | None
    aandeel_uitleg: str
    frictiekosten: float | None
    opdrachtgevers: list[Item]
    aanbieders: list[Item]
    bron: str = ""
    illustratief: bool = False

    def item(self) -> Item:
        end = self.vroegste_einde.isoformat() if self.vroegste_einde else "?"
        return Item(self.iri, self.naam, self.bron, self.illustratief, f"{self.actie}, {end}")


@dataclass
class DeelgebiedImpact:
    deelgebied: str
    naam: str
    cellen: list[Cel]
    gaten_voor: int
    gaten_na: int
    dubbel_voor: list[Item]
    dubbel_na: list[Item]
    partners_voor: list[Item]
    partners_na: list[Item]
    contracten: list[ContractImpact] = field(default_factory=list)
    zetels: tuple[float, float] | None = None  # governance only: (before, after)
    stemmen: tuple[float, float] | None = None
    vertegenwoordiging: list[Item] = field(default_factory=list)  # ended/started seats

    def _cells(self, kind: str) -> list[Cel]:
        out = []
        for c in self.cellen:
            before, after = c.uitvoerders_voor, c.uitvoerders_na
            if kind == "eindigt" and before and not after:
                out.append(c)
            elif kind == "start" and after and not before:
                out.append(c)
            elif kind == "wijzigt" and before and after and before != after:
                out.append(c)
        return out

    @property
    def eindigt(self) -> list[Cel]:
        return self._cells("eindigt")

    @property
    def start(self) -> list[Cel]:
        return self._cells("start")

    @property
    def wijzigt(self) -> list[Cel]:
        return self._cells("wijzigt")

    @property
    def actief(self) -> list[ContractImpact]:
        """The contracts to terminate or renegotiate (not those that end by themselves)."""
        return [c for c in self.contracten if c.actie != "loopt-af"]

    @property
    def aanbieders(self) -> list[Item]:
        """Providers of the contracts to terminate or renegotiate."""
        seen: dict[str, Item] = {}
        for c in self.actief:
            for a in c.aanbieders:
                seen.setdefault(a.iri, a)
        return list(seen.values())

    def figures(self) -> dict[str, int | float]:
        out: dict[str, int | float] = {
            "eindigt": len(self.eindigt), "wijzigt": len(self.wijzigt), "start": len(self.start),
            "gaten": self.gaten_na - self.gaten_voor, "dubbel": len(self.dubbel_na) - len(
                self.dubbel_voor),
            "contracten": len(self.actief), "aanbieders": len(self.aanbieders),
            "partners": len(self.partners_na) - len(self.partners_voor),
        }
        if self.zetels is not None:
            out["zetels"] = self.zetels[1] - self.zetels[0]
        if self.stemmen is not None:
            out["stemmen"] = self.stemmen[1] - self.stemmen[0]
        return out


@dataclass
class ReisImpact:
    klantreis: str
    naam: str
    voor: Klantreis
    na: Klantreis


@dataclass
class Geldstroom:
    """One money flow before or after (real Iv3 or the example's illustrative figures)."""

    betaler: str
    ontvanger: str
    ontvangerNaam: str
    bedrag: float
    toelichting: str
    bronnen: list[Item] = field(default_factory=list)
    illustratief: bool = False


@dataclass
class Geld:
    """The money flows a doordecentralisatie changes."""

    wijziging: str
    taakveld: str
    jaar: str
    totaal: float
    centrumgemeente: str
    centrumNaam: str
    voor: list[Geldstroom]
    na: list[Geldstroom]
    echt: bool  # True: Iv3 lasten from the reference graph; False: illustrative figures
    uitleg: str
    gemeente_bedrag: float | None = None


@dataclass
class Impact:
    scenario: Scenario
    gemeente: str
    gemeenteNaam: str
    peildatum: str
    opzegdatum: date
    deelgebieden: list[DeelgebiedImpact]
    lidmaatschappen_eind: list[Item]
    lidmaatschappen_start: list[Item]
    partners_voor: list[Item]
    partners_na: list[Item]
    arrangementen_voor: list[Item]
    arrangementen_na: list[Item]
    partnergemeenten_voor: list[Item]
    partnergemeenten_na: list[Item]
    eigen_voor: list[Item]
    eigen_na: list[Item]
    gevuld_voor: int
    gevuld_na: int
    reizen: list[ReisImpact]
    contracten: list[ContractImpact]
    geld: list[Geld]
    netwerk_voor: nx.MultiDiGraph = field(repr=False)
    netwerk_na: nx.MultiDiGraph = field(repr=False)
    matrix_voor: Matrix = field(repr=False)
    matrix_na: Matrix = field(repr=False)
    opmerkingen: list[str] = field(default_factory=list)

    def deelgebied(self, iri: str) -> DeelgebiedImpact:
        return next(d for d in self.deelgebieden if d.deelgebied == iri)

    @property
    def klaar(self) -> date | None:
        """When the last contract to terminate can end at the earliest."""
        ends = [c.vroegste_einde for c in self.contracten
                if c.actie != "loopt-af" and c.vroegste_einde]
        return max(ends, default=None)


# --------------------------------------------------------------------------- applying


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
    for w in scenario.wijzigingen:
        for o in w.organisaties():
            if o not in described:
                raise UserError(f"{scenario.bron or scenario.iri}: {w.iri} names {o}, "
                                "which the graph does not know")
        for t in w.taken:
            if t not in taken:
                raise UserError(f"{scenario.bron or scenario.iri}: {w.iri}: {t} is not a taak")
        for d in w.deelgebieden:
            if d not in delen:
                raise UserError(f"{scenario.bron or scenario.iri}: {w.iri}: {d} is not a "
                                "deelgebied")
    if scenario.gemeente not in described:
        raise UserError(f"{scenario.bron or scenario.iri}: the graph does not know the gemeente "
                        f"{scenario.gemeente}")
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


# --------------------------------------------------------------------------- state of an overlay


@dataclass
class Toestand:
    uitvoeringen: list[Row]
    matrix: Matrix
    reizen: dict[str, tuple[str, Klantreis]]
    lidmaatschappen: list[Row]
    vertegenwoordiging: list[Row]
    partners: list[Row]
    netwerk: nx.MultiDiGraph


def toestand(overlay: Overlay, gemeente: str, peildatum: str, lang: str) -> Toestand:
    values = {"gemeente": gemeente, "peildatum": peildatum}
    uitvoeringen = overlay.rows("wie-doet-wat", {**values, "lang": lang})
    matrix = gemeente_matrix(overlay.rows("taken", {"lang": lang}),
                             overlay.rows("deelgebieden", {"lang": lang}), uitvoeringen)
    reizen = {}
    for r in overlay.rows("klantreizen", {"lang": lang}):
        iri = text(r["klantreis"])
        reizen[iri] = (text(r.get("naam")) or iri, klantreis(overlay.rows(
            "klantreis", {**values, "klantreis": iri, "lang": lang})))
    return Toestand(
        uitvoeringen=uitvoeringen,
        matrix=matrix,
        reizen=reizen,
        lidmaatschappen=overlay.scenario_rows("lidmaatschappen", values),
        vertegenwoordiging=overlay.scenario_rows("vertegenwoordiging", values),
        partners=overlay.rows("partners", values),
        netwerk=network.build(overlay.rows("netwerk", {**values, "lang": lang}),
                              gemeente=gemeente, lang=lang),
    )


# --------------------------------------------------------------------------- impact


def _number(term: Identifier | None) -> float | None:
    try:
        return float(text(term)) if term is not None else None
    except ValueError:
        return None


def _date(term: Identifier | None) -> date | None:
    try:
        return date.fromisoformat(text(term)) if term is not None else None
    except ValueError:
        return None


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


#: The properties ``queries/scenario/bronnen.rq`` reads the provenance of a node from.
HERKOMST = tuple(ox.NamedNode(str(p)) for p in (DCTERMS.source, SD.illustratief,
                                                PROV.wasGeneratedBy))

_Herkomst = tuple[dict[str, list[str]], dict[str, bool]]


def _herkomst_quads(overlay: Overlay) -> set[ox.Quad]:
    return {q for p in HERKOMST for q in overlay.quads(None, p, None)}


def _read_herkomst(rows: Iterable[Row]) -> _Herkomst:
    """Per node its sources and creating changes (in row order, once each) and its flag."""
    bronnen: dict[str, list[str]] = {}
    vlag: dict[str, bool] = {}
    for r in rows:
        iri = text(r["knoop"])
        sources = bronnen.setdefault(iri, [])
        for value in (text(r.get("bron")), text(r.get("wijziging"))):
            if value and value not in sources:
                sources.append(value)
        flag = text(r.get("illustratief")).lower() in ("true", "1")
        vlag[iri] = vlag.get(iri, False) or flag
    return bronnen, vlag


class Bronnen:
    """The sources, illustrative flag and creating change of every node of the overlays."""

    def __init__(self, after: Overlay, base: Overlay) -> None:
        """Those of ``after`` first, then those of ``base`` it lacks. ``after`` is a copy of
        ``base`` with a scenario applied: only the nodes whose provenance triples differ are
        read from it, the others read the same on both."""
        voor = base.cached("bronnen", lambda: _read_herkomst(base.scenario_rows("bronnen")))
        quads = base.cached("herkomst", lambda: _herkomst_quads(base))
        changed = {q.subject for q in quads ^ _herkomst_quads(after)}
        if all(isinstance(n, ox.NamedNode) for n in changed):
            na = _read_herkomst(after.scenario_rows(
                "bronnen-knopen", {}, ("knoop", sorted(n.value for n in changed))))
            na_bronnen = {**voor[0], **na[0]}
            na_vlag = {**voor[1], **na[1]}
            for n in changed:  # nodes without provenance in ``after`` any more
                if n.value not in na[0]:
                    na_bronnen.pop(n.value, None)
                    na_vlag.pop(n.value, None)
        else:  # a blank node cannot be bound: read all of ``after``
            na_bronnen, na_vlag = _read_herkomst(after.scenario_rows("bronnen"))
        self.bronnen: dict[str, list[str]] = {}
        self.vlag: dict[str, bool] = {}
        for bronnen, vlag in ((na_bronnen, na_vlag), voor):
            for iri, sources in bronnen.items():
                mine = self.bronnen.setdefault(iri, [])
                mine += [value for value in sources if value not in mine]
            for iri, flag in vlag.items():
                self.vlag[iri] = self.vlag.get(iri, False) or flag

    def bron(self, iri: str) -> str:
        return " | ".join(self.bronnen.get(iri, []))

    def illustratief(self, iri: str) -> bool:
        return self.vlag.get(iri, False)

    def item(self, iri: str, label: str, detail: str = "") -> Item:
        return Item(iri, label or iri, self.bron(iri), self.illustratief(iri), detail)


def _uitvoering_item(row: Row, bronnen: Bronnen) -> Item:
    iri = text(row.get("taakuitvoering"))
    naam = text(row.get("uitvoerderNaam")) or text(row.get("uitvoerder"))
    how = text(row.get("arrangementtype"))
    via = text(row.get("viaNaam")) if text(row.get("via")) != text(row.get("uitvoerder")) else ""
    label = f"{text(row.get('taakNaam'))}: {naam}" + (f" ({how})" if how else "") + (
        f" via {via}" if via else "")
    return Item(iri, label, bronnen.bron(iri), bronnen.illustratief(iri), "",
                text(row.get("uitvoerder")))


def _cells(state: Toestand, deelgebied: str, bronnen: Bronnen) -> dict[str, list[Item]]:
    out: dict[str, list[Item]] = {}
    for r in state.uitvoeringen:
        if text(r.get("deelgebied")) == deelgebied:
            item = _uitvoering_item(r, bronnen)
            cell = out.setdefault(text(r["taak"]), [])
            if item not in cell:
                cell.append(item)
    return out


def _dubbel(cells: dict[str, list[Item]], names: dict[str, str]) -> list[Item]:
    out = []
    for taak, items in cells.items():
        if len({i.groep for i in items}) > 1:
            detail = "; ".join(i.label.split(": ", 1)[-1] for i in items)
            out.append(Item(taak, names.get(taak, taak), "", any(i.illustratief for i in items),
                            detail))
    return out


def _partners(state: Toestand, gemeente: str, deelgebied: str | None,
              bronnen: Bronnen) -> list[Item]:
    seen: dict[str, Item] = {}
    for r in state.uitvoeringen:
        if deelgebied and text(r.get("deelgebied")) != deelgebied:
            continue
        org = text(r.get("uitvoerder"))
        if org and org != gemeente:
            seen.setdefault(org, bronnen.item(org, text(r.get("uitvoerderNaam"))))
    return sorted(seen.values(), key=lambda i: i.label)


def _arrangementen(state: Toestand, gemeente: str, bronnen: Bronnen) -> list[Item]:
    """One per via (GR, contract, mandaat) and per other uitvoerder without a via."""
    seen: dict[str, Item] = {}
    for r in state.uitvoeringen:
        via, org = text(r.get("via")), text(r.get("uitvoerder"))
        if via:
            seen.setdefault(via, bronnen.item(via, text(r.get("viaNaam"))))
        elif org and org != gemeente:
            seen.setdefault(org, bronnen.item(org, text(r.get("uitvoerderNaam")),
                                              text(r.get("arrangementtype"))))
    return sorted(seen.values(), key=lambda i: i.label)


def _eigen(state: Toestand, gemeente: str, bronnen: Bronnen) -> list[Item]:
    seen: dict[tuple[str, str], Item] = {}
    for r in state.uitvoeringen:
        if text(r.get("uitvoerder")) == gemeente:
            key = (text(r["taak"]), text(r["deelgebied"]))
            seen.setdefault(key, bronnen.item(
                text(r.get("taakuitvoering")),
                f"{text(r.get('taakNaam'))} ({text(r.get('deelgebiedNaam')).lower()})"))
    return list(seen.values())


def _gevuld(state: Toestand) -> int:
    return len({(text(r["taak"]), text(r["deelgebied"])) for r in state.uitvoeringen})


def _seats(state: Toestand) -> tuple[float, float]:
    zetels = sum(_number(r.get("zetels")) or 0 for r in state.vertegenwoordiging)
    stemmen = sum(_number(r.get("stemmen")) or 0 for r in state.vertegenwoordiging)
    return zetels, stemmen


def _lid_items(rows: list[Row], bronnen: Bronnen) -> dict[str, Item]:
    return {text(r["lidmaatschap"]): bronnen.item(
        text(r["lidmaatschap"]), text(r.get("naam")) or text(r.get("organisatie")),
        text(r.get("organisatie"))) for r in rows}


def _partnergemeenten(rows: list[Row], bronnen: Bronnen) -> list[Item]:
    seen: dict[str, Item] = {}
    for r in rows:
        iri = text(r.get("partner"))
        if iri:
            seen.setdefault(iri, bronnen.item(iri, text(r.get("partnerNaam")),
                                              text(r.get("via_organisaties"))))
    return sorted(seen.values(), key=lambda i: i.label)


@dataclass
class _Contract:
    rows: list[Row]

    def first(self, key: str) -> Identifier | None:
        return next((r.get(key) for r in self.rows if r.get(key) is not None), None)

    def parties(self, rol: str) -> list[Row]:
        return [r for r in self.rows if text(r.get("rol")) == rol]


def _contracten(before: Toestand, after: Toestand, overlay_after: Overlay, scenario: Scenario,
                bronnen: Bronnen, leden: dict[str, int], verdeel: dict[str, float],
                verlaten: set[str]) -> list[ContractImpact]:
    """The contracts hanging on uitvoeringen that end, or commissioned by an organisation
    the gemeente leaves (``verlaten``)."""
    gemeente = scenario.gemeente
    opzeg = scenario.besluitdatum or scenario.peildatum
    voor = {text(r["taakuitvoering"]): r for r in before.uitvoeringen}
    na = {text(r["taakuitvoering"]) for r in after.uitvoeringen}
    ended = {iri for iri in voor if iri not in na}
    links: dict[str, list[tuple[str, str]]] = {}
    for r in overlay_after.scenario_rows("koppelingen", {"gemeente": gemeente}):
        tu = text(r["taakuitvoering"])
        if tu in voor:
            links.setdefault(text(r["overeenkomst"]), []).append((tu, text(r["koppeling"])))
    details: dict[str, _Contract] = {}
    for r in overlay_after.scenario_rows("contracten"):
        details.setdefault(text(r["overeenkomst"]), _Contract([])).rows.append(r)
    peildatum = scenario.peildatum
    out = []
    for iri, tus in sorted(links.items()):
        c = details.get(iri, _Contract([]))
        hit = sorted({tu for tu, _ in tus if tu in ended})
        opdrachtgevers = [bronnen.item(text(p["partij"]), text(p.get("partijNaam")))
                          for p in c.parties("opdrachtgever")]
        left = [o for o in opdrachtgevers if o.iri in verlaten]
        if not hit and not left:
            continue
        start, einde = _date(c.first("startdatum")), _date(c.first("einddatum"))
        if (start and start > peildatum) or (einde and einde <= peildatum):
            continue  # not running on the peildatum
        termijn = _number(c.first("opzegtermijnMaanden"))
        months = int(termijn) if termijn is not None else None
        earliest = add_months(opzeg, months) if months is not None else None
        all_tus = {tu for tu, _ in tus}
        if einde and (earliest is None or einde <= earliest):
            actie, earliest = "loopt-af", einde
        elif len(hit) == len(all_tus):
            actie = "opzeggen"
        else:
            actie = "heronderhandelen"
        aanbieders = [bronnen.item(text(p["partij"]), text(p.get("partijNaam")))
                      for p in c.parties("opdrachtnemer")
                      if text(p.get("partijSoort")) == "aanbieder"]
        aandeel, uitleg = _aandeel(gemeente, [o.iri for o in opdrachtgevers], leden, verdeel)
        jaarwaarde = _number(c.first("jaarwaardeEUR"))
        exitkosten = _number(c.first("exitkostenEUR"))
        if actie == "loopt-af":
            kosten: float | None = 0.0
        elif exitkosten is not None:
            kosten = exitkosten
        elif jaarwaarde is not None and months is not None and aandeel is not None:
            kosten = round(jaarwaarde * aandeel * months / 12, 2)
        else:
            kosten = None
        shown = hit or sorted(all_tus)
        out.append(ContractImpact(
            iri=iri, naam=text(c.first("naam")) or iri, actie=actie,
            deelgebieden=sorted({text(voor[tu].get("deelgebied")) for tu in shown}),
            uitvoeringen=shown, koppeling=tus[0][1], opzegtermijn=months,
            einddatum=einde, vroegste_einde=earliest, jaarwaarde=jaarwaarde,
            exitkosten=exitkosten, exitclausule=text(c.first("exitclausule")),
            aandeel=aandeel, aandeel_uitleg=uitleg, frictiekosten=kosten,
            opdrachtgevers=opdrachtgevers, aanbieders=aanbieders,
            bron=text(c.first("bron")), illustratief=bronnen.illustratief(iri)))
    return out


def _aandeel(gemeente: str, opdrachtgevers: list[str], leden: dict[str, int],
             verdeel: dict[str, float]) -> tuple[float | None, str]:
    """The gemeente's share of a contract, and how it was found."""
    if gemeente in opdrachtgevers:
        n = len(opdrachtgevers)
        return 1 / n, f"1/{n} (opdrachtgevers)"
    for o in opdrachtgevers:
        if o in verdeel:
            return verdeel[o] / 100, f"verdeelsleutel {verdeel[o]:g}%"
    for o in opdrachtgevers:
        if leden.get(o):
            return 1 / leden[o], f"1/{leden[o]} (leden van de opdrachtgever)"
    return None, "onbekend"


def _leden(overlay: Overlay, organisaties: Iterable[str], peildatum: str) -> dict[str, int]:
    out = {}
    for o in organisaties:
        rows = overlay.rows("deelnemers", {"organisatie": o, "peildatum": peildatum})
        members = {text(r["lid"]) for r in rows}
        if members:
            out[o] = len(members)
    return out


def impact(base: Overlay, scenario: Scenario, source: Store | None = None,
           lang: str = "nl", after: Overlay | None = None) -> Impact:
    """The impact of ``scenario`` on the overlay ``base`` (which stays as it is).

    ``source`` is the store the overlay came from: the doordecentralisatie reads
    real Iv3 lasten and inwoners from it when it has them.
    """
    after = after if after is not None else apply(base, scenario)
    gemeente, peildatum = scenario.gemeente, scenario.peildatum.isoformat()
    voor = base.cached(("toestand", gemeente, peildatum, lang),
                       lambda: toestand(base, gemeente, peildatum, lang))
    na = toestand(after, gemeente, peildatum, lang)
    bronnen = Bronnen(after, base)
    names = {r.key: r.label for r in voor.matrix.rows}
    lid_voor = _lid_items(voor.lidmaatschappen, bronnen)
    lid_na = _lid_items(na.lidmaatschappen, bronnen)
    verdeel = {text(r["organisatie"]): v for r in voor.lidmaatschappen
               if (v := _number(r.get("verdeelsleutel"))) is not None}
    opdrachtgevers = {text(r["partij"]) for r in after.scenario_rows("contracten")
                      if text(r.get("rol")) == "opdrachtgever" and r.get("partij") is not None}
    verlaten = {text(r["organisatie"]) for r in voor.lidmaatschappen
                if text(r["lidmaatschap"]) not in lid_na}
    contracten = _contracten(voor, na, after, scenario, bronnen,
                             _leden(base, opdrachtgevers - {gemeente}, peildatum), verdeel,
                             verlaten)
    deelgebieden = []
    for col in voor.matrix.columns:
        before_cells, after_cells = _cells(voor, col.key, bronnen), _cells(na, col.key, bronnen)
        taken = [r.key for r in voor.matrix.rows]
        cellen = [Cel(t, names.get(t, t), before_cells.get(t, []), after_cells.get(t, []))
                  for t in taken if t in before_cells or t in after_cells]
        d = DeelgebiedImpact(
            deelgebied=col.key, naam=col.label, cellen=cellen,
            gaten_voor=len(taken) - len(before_cells), gaten_na=len(taken) - len(after_cells),
            dubbel_voor=_dubbel(before_cells, names), dubbel_na=_dubbel(after_cells, names),
            partners_voor=_partners(voor, gemeente, col.key, bronnen),
            partners_na=_partners(na, gemeente, col.key, bronnen),
            contracten=[c for c in contracten if col.key in c.deelgebieden],
        )
        if col.key == GOVERNANCE:
            zv, sv = _seats(voor)
            zn, sn = _seats(na)
            d.zetels, d.stemmen = (zv, zn), (sv, sn)
            rows_voor = {text(r["vertegenwoordiging"]): r for r in voor.vertegenwoordiging}
            rows_na = {text(r["vertegenwoordiging"]): r for r in na.vertegenwoordiging}
            for iri in sorted(set(rows_voor) ^ set(rows_na)):
                r = rows_voor.get(iri) or rows_na[iri]
                sign = "-" if iri in rows_voor else "+"
                d.vertegenwoordiging.append(bronnen.item(
                    iri, text(r.get("label")) or text(r.get("orgaanNaam")),
                    f"{sign}{text(r.get('zetels')) or 0} zetels, "
                    f"{sign}{text(r.get('stemmen')) or 0} stemmen"))
        deelgebieden.append(d)
    partner_extra = [bronnen.item(p, "") for w in scenario.wijzigingen for p in w.partners]
    partners_na = _partners(na, gemeente, None, bronnen)
    known = {i.iri for i in partners_na}
    labels = {o.iri: o.naam for o in organisaties(after, [i.iri for i in partner_extra]).values()}
    for item in partner_extra:
        if item.iri not in known:
            known.add(item.iri)
            partners_na.append(Item(item.iri, labels.get(item.iri) or item.iri, item.bron,
                                    item.illustratief, "partner in het scenario"))
    reizen = [ReisImpact(iri, naam, r, na.reizen[iri][1] if iri in na.reizen else Klantreis([]))
              for iri, (naam, r) in voor.reizen.items()]
    gemeente_naam = next((o.naam for o in organisaties(base, [gemeente]).values()), gemeente)
    geld = [_geld(base, scenario, w, source) for w in scenario.wijzigingen
            if w.soort == "doordecentralisatie"]
    notes = []
    for c in contracten:
        if c.frictiekosten is None:
            notes.append(f"{c.naam}: frictiekosten onbekend (geen exitkosten, jaarwaarde, "
                         "opzegtermijn of aandeel)")
    for m in geld:
        if not m.echt:
            notes.append(f"Geldstromen {m.taakveld}: illustratieve cijfers (geen Iv3-lasten in de "
                         "graaf)")
    return Impact(
        scenario=scenario, gemeente=gemeente, gemeenteNaam=gemeente_naam, peildatum=peildatum,
        opzegdatum=scenario.besluitdatum or scenario.peildatum, deelgebieden=deelgebieden,
        lidmaatschappen_eind=[lid_voor[i] for i in lid_voor if i not in lid_na],
        lidmaatschappen_start=[lid_na[i] for i in lid_na if i not in lid_voor],
        partners_voor=_partners(voor, gemeente, None, bronnen),
        partners_na=sorted(partners_na, key=lambda i: i.label),
        arrangementen_voor=_arrangementen(voor, gemeente, bronnen),
        arrangementen_na=_arrangementen(na, gemeente, bronnen),
        partnergemeenten_voor=_partnergemeenten(voor.partners, bronnen),
        partnergemeenten_na=_partnergemeenten(na.partners, bronnen),
        eigen_voor=_eigen(voor, gemeente, bronnen), eigen_na=_eigen(na, gemeente, bronnen),
        gevuld_voor=_gevuld(voor), gevuld_na=_gevuld(na),
        reizen=reizen, contracten=contracten, geld=[m for m in geld if m is not None],
        netwerk_voor=voor.netwerk, netwerk_na=na.netwerk,
        matrix_voor=voor.matrix, matrix_na=na.matrix, opmerkingen=notes,
    )


# --------------------------------------------------------------------------- money


def _geld(overlay: Overlay, scenario: Scenario, w: Wijziging, source: Store | None) -> Geld | None:
    """The BW/MO money (Iv3 taakveld 6.81) of the centrumgemeente, shared out by inwoners."""
    orgs = organisaties(overlay, [w.van or ""])
    van = orgs.get(w.van or "") or Org(w.van or "", "", "organisatie")
    peildatum = scenario.peildatum.isoformat()
    if van.soort == "regio":
        regio, centrum = van.iri, van.centrumgemeente or ""
    else:
        centrum = van.iri
        regio = next((text(r["organisatie"]) for r in overlay.scenario_rows(
            "lidmaatschappen", {"gemeente": scenario.gemeente, "peildatum": peildatum})
            if text(r.get("soort")) == "regio"
            and text(r["organisatie"]) in _regios_van(overlay, centrum)), "")
    leden = (overlay.rows("deelnemers", {"organisatie": regio, "peildatum": peildatum})
             if regio else [])
    members = {text(r["lid"]): text(r.get("naam")) or text(r["lid"]) for r in leden}
    centrum_naam = organisaties(overlay, [centrum]).get(centrum, Org(centrum, centrum, "")).naam
    real = _real_money(source, centrum, members) if source is not None and centrum else None
    if real is not None:
        totaal, jaar, inwoners, items, dataset = real
        echt = True
        uitleg = (f"Iv3-lasten taakveld {TAAKVELD_BW_MO} van {centrum_naam} ({dataset}), "
                  f"verdeeld naar inwonertal ({dataset})")
    else:
        flows = [r for r in overlay.scenario_rows("financiering")
                 if text(r.get("ontvanger")) == centrum
                 and text(r.get("taakveld")).startswith(TAAKVELD_BW_MO)]
        if not flows:
            return None
        jaar = max(text(r.get("jaar")) for r in flows)
        flows = [r for r in flows if text(r.get("jaar")) == jaar]
        totaal = sum(_number(r.get("bedragEUR")) or 0 for r in flows)
        items = [Item(text(r["stroom"]), text(r.get("naam")), text(r.get("bron")),
                      text(r.get("illustratief")).lower() == "true") for r in flows]
        inwoners, pop_items = _inwoners(source or overlay, members, jaar)
        items += pop_items
        echt = False
        uitleg = (f"geldstroom naar {centrum_naam} op taakveld {TAAKVELD_BW_MO} in {jaar} "
                  "(illustratief), verdeeld naar inwonertal")
    total_pop = sum(inwoners.get(m, 0) for m in members)
    voor = [Geldstroom("Rijk", centrum, centrum_naam, totaal, uitleg, items, not echt)]
    na = []
    for m, naam in sorted(members.items(), key=lambda kv: kv[1]):
        pop = inwoners.get(m)
        if pop is None or not total_pop:
            continue
        share = pop / total_pop
        na.append(Geldstroom("Rijk", m, naam, round(totaal * share, 2),
                             f"{pop:.0f} / {total_pop:.0f} inwoners = {share:.2%}", [],
                             not echt))
    own = next((s.bedrag for s in na if s.ontvanger == scenario.gemeente), None)
    return Geld(w.iri, TAAKVELD_BW_MO, jaar, totaal, centrum, centrum_naam, voor, na, echt,
                uitleg, own)


def _regios_van(overlay: Overlay, centrum: str) -> set[str]:
    return {text(r["regio"]) for r in overlay.scenario_rows("centrumregios",
                                                            {"centrumgemeente": centrum})}


def _real_money(source: Store, centrum: str, members: dict[str, str]):
    library = QueryLibrary()
    prefix = f"iv3-lasten-{TAAKVELD_BW_MO}"
    rows = library.get("kerncijfers").run(source, {"gemeente": centrum, "prefix": prefix}).dicts()
    dataset = _latest_iv3(rows)
    if dataset is None:
        return None
    jaar = dataset.split("-")[1]
    parts = {}
    for r in rows:
        m = IV3_LASTEN.match(text(r["maatstaf"]))
        if text(r["dataset"]) == dataset and m and m.group(1) == TAAKVELD_BW_MO:
            parts[text(r["maatstaf"])] = Decimal(text(r["waarde"]))
    totaal = float(sum(parts.values()))
    if not totaal:
        return None
    pop_rows = library.get("kerncijfer-landelijk").run(source, {
        "maatstaf": str(SDID["maatstaf/inwonertal"]),
        "dataset": str(SDID[f"dataset/{dataset}"]), "periode": jaar}).dicts()
    inwoners = {text(r["gemeente"]): float(text(r["waarde"])) for r in pop_rows
                if text(r["gemeente"]) in members}
    items = [Item(str(SDID[f"maatstaf/{code}"]), f"{code}: {value:.0f} EUR", f"CBS Iv3 {dataset}")
             for code, value in sorted(parts.items())]
    items.append(Item(str(SDID[f"dataset/{dataset}"]), f"inwonertal {len(inwoners)} gemeenten",
                      f"CBS Iv3 {dataset}"))
    return totaal, jaar, inwoners, items, dataset


#: The dataset of the examples' illustrative inwoners (used only without Iv3 figures).
VOORBEELD_INWONERS = "voorbeeld-inwoners"


def _inwoners(store: Store, members: dict[str, str], jaar: str) -> tuple[dict[str, float],
                                                                         list[Item]]:
    rows = QueryLibrary().get("kerncijfer-landelijk").run(store, {
        "maatstaf": str(SDID["maatstaf/inwonertal"]),
        "dataset": str(SDID[f"dataset/{VOORBEELD_INWONERS}"]), "periode": jaar}).dicts()
    values = {text(r["gemeente"]): float(text(r["waarde"])) for r in rows
              if text(r["gemeente"]) in members}
    items = [Item(str(SDID[f"dataset/{VOORBEELD_INWONERS}"]),
                  f"inwonertal {len(values)} gemeenten ({jaar})", "illustratief voorbeeld", True)]
    return values, items
