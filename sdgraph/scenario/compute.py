"""The impact of a scenario per deelgebied: before and after, with the items behind each figure.

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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, PROV
from rdflib.term import Identifier

from ..klantreis import Klantreis
from ..namespaces import SD
from ..output import text
from ..store import Store
from .applying import apply, organisaties
from .figures import (
    GOVERNANCE,
    Cel,
    ContractImpact,
    DeelgebiedImpact,
    Impact,
    Item,
    ReisImpact,
    add_months,
    as_date,
    as_number,
)
from .model import Scenario
from .money import doordecentralisatie_geld
from .overlay import Overlay
from .state import Toestand, toestand

Row = Mapping[str, Identifier | None]


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
    """One taakuitvoering; a derived or assumed one (docs/baseline.md) says so in its
    detail and has its rule and evidence as source, so every figure traces back to it."""
    iri = text(row.get("taakuitvoering"))
    naam = text(row.get("uitvoerderNaam")) or text(row.get("uitvoerder"))
    how = text(row.get("arrangementtype"))
    via = text(row.get("viaNaam")) if text(row.get("via")) != text(row.get("uitvoerder")) else ""
    label = f"{text(row.get('taakNaam'))}: {naam}" + (f" ({how})" if how else "") + (
        f" via {via}" if via else "")
    status = text(row.get("status"))
    if status in ("afgeleid", "aangenomen"):
        regel = text(row.get("regel")).rsplit("/", 1)[-1]
        return Item(iri, label, f"{status}, regel {regel}: {text(row.get('bewijs'))}", False,
                    status, text(row.get("uitvoerder")))
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
    zetels = sum(as_number(r.get("zetels")) or 0 for r in state.vertegenwoordiging)
    stemmen = sum(as_number(r.get("stemmen")) or 0 for r in state.vertegenwoordiging)
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
        start, einde = as_date(c.first("startdatum")), as_date(c.first("einddatum"))
        if (start and start > peildatum) or (einde and einde <= peildatum):
            continue  # not running on the peildatum
        termijn = as_number(c.first("opzegtermijnMaanden"))
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
        jaarwaarde = as_number(c.first("jaarwaardeEUR"))
        exitkosten = as_number(c.first("exitkostenEUR"))
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
               if (v := as_number(r.get("verdeelsleutel"))) is not None}
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
    geld = [m for m in (doordecentralisatie_geld(base, scenario, w, source)
                        for w in scenario.wijzigingen if w.soort == "doordecentralisatie")
            if m is not None]  # None: no money flow known for it
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
