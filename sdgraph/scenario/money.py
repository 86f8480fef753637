"""Money that moves in a scenario: the BW/MO budget of a doordecentralisatie (Iv3 6.81 of
the centrumgemeente, divided over the regio by inwoners), from the store or the example.

:func:`budget` finds the budget and the inwonertallen, :func:`verdeling` shares it out;
both serve the engine (:func:`doordecentralisatie_geld`) and the doordecentralisatie
template page (:mod:`sdgraph.pages.doordecentralisatie`), which also shows each member's own
6.81 lasten (:func:`eigen_lasten`).

The budget, in order of precedence: the amount the scenario states (``sd:budgetEUR``), the
centrumgemeente's Iv3 lasten on 6.81 (the parts 6.81a and 6.81b added up) in its latest
jaarrekening, else begroting, from the national reference graph; else the latest
``sd:Financieringsstroom`` to the centrumgemeente on 6.81 (the examples' illustrative
figures). Inwonertallen come from the same Iv3 dataset, else the examples' data set
``sdid:dataset/voorbeeld-inwoners``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from rdflib.term import Identifier

from ..i18n import format_number, format_percent, gettext
from ..kerncijfers import IV3_LASTEN, latest_iv3
from ..namespaces import SDID
from ..output import text
from ..queries import QueryLibrary
from ..store import Store
from .applying import Org, organisaties
from .figures import TAAKVELD_BW_MO, Geld, Geldstroom, Item, as_number
from .model import Scenario, Wijziging
from .overlay import Overlay

Row = Mapping[str, Identifier | None]

#: The dataset of the examples' illustrative inwoners (used only without Iv3 figures).
VOORBEELD_INWONERS = "voorbeeld-inwoners"


@dataclass
class Budget:
    """The BW/MO budget of a centrumgemeente and the inwonertallen to share it by."""

    totaal: float
    jaar: str
    inwoners: dict[str, float]
    items: list[Item]
    echt: bool  # Iv3 lasten from the reference graph
    uitleg: str
    dataset: str | None = None  # the Iv3 dataset, when real
    delen: dict[str, float] = field(default_factory=dict)  # Iv3 code -> amount


def budget(source: Store | None, flows: Store, library: QueryLibrary, centrum: str,
           centrum_naam: str, members: Mapping[str, str], peildatum: date,
           opgegeven: float | None = None, wijziging: str = "",
           lang: str = "nl") -> Budget | None:
    """The budget of ``centrum`` for its ``members`` (None: none known). ``flows`` is where
    the money flows are read (an overlay, or the store)."""
    real = _real_money(source, centrum, members, library) if source is not None else None
    if opgegeven is not None:  # the author's own figure comes first
        if real is not None:
            jaar, inwoners, items = real.jaar, real.inwoners, real.items[-1:]
        else:
            jaar = str(peildatum.year)
            inwoners, items = _inwoners(source or flows, members, jaar, library)
        return Budget(opgegeven, jaar, inwoners,
                      [Item(wijziging or centrum, gettext("budget per jaar", lang),
                            gettext("scenario", lang)), *items], False,
                      gettext("budget opgegeven in het scenario, verdeeld naar inwonertal",
                              lang))
    if real is not None:
        real.uitleg = gettext("Iv3-lasten taakveld {taakveld} van {centrum} ({dataset}), "
                              "verdeeld naar inwonertal ({dataset})", lang,
                              taakveld=TAAKVELD_BW_MO, centrum=centrum_naam,
                              dataset=real.dataset)
        return real
    rows = [r for r in library.get("scenario/financiering").run(flows, {}).dicts()
            if text(r.get("ontvanger")) == centrum
            and text(r.get("taakveld")).startswith(TAAKVELD_BW_MO)]
    if not rows:
        return None
    jaar = max(text(r.get("jaar")) for r in rows)
    rows = [r for r in rows if text(r.get("jaar")) == jaar]
    totaal = sum(as_number(r.get("bedragEUR")) or 0 for r in rows)
    items = [Item(text(r["stroom"]), text(r.get("naam")), text(r.get("bron")),
                  text(r.get("illustratief")).lower() == "true") for r in rows]
    inwoners, pop_items = _inwoners(source or flows, members, jaar, library)
    return Budget(totaal, jaar, inwoners, items + pop_items, False, gettext(
        "geldstroom naar {centrum} op taakveld {taakveld} in {jaar} (illustratief), verdeeld "
        "naar inwonertal", lang, centrum=centrum_naam, taakveld=TAAKVELD_BW_MO, jaar=jaar))


def verdeling(b: Budget, members: Mapping[str, str], lang: str = "nl") -> list[Geldstroom]:
    """Each member's share of the budget by inwonertal (members without one are left out)."""
    total_pop = sum(b.inwoners.get(m, 0) for m in members)
    out = []
    for m, naam in sorted(members.items(), key=lambda kv: kv[1]):
        pop = b.inwoners.get(m)
        if pop is None or not total_pop:
            continue
        share = pop / total_pop
        out.append(Geldstroom("Rijk", m, naam, round(b.totaal * share, 2), gettext(
            "{inwoners} / {totaal} inwoners = {aandeel}", lang,
            inwoners=format_number(pop, lang, 0), totaal=format_number(total_pop, lang, 0),
            aandeel=format_percent(share, lang, 2)), [], not b.echt))
    return out


def doordecentralisatie_geld(overlay: Overlay, scenario: Scenario, w: Wijziging,
                             source: Store | None, lang: str = "nl") -> Geld | None:
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
    if not centrum:
        return None
    b = budget(source, overlay, overlay.library, centrum, centrum_naam, members,
               scenario.peildatum, w.budget, w.iri, lang)
    if b is None:
        return None
    voor = [Geldstroom("Rijk", centrum, centrum_naam, b.totaal, b.uitleg, b.items, not b.echt)]
    na = verdeling(b, members, lang)
    own = next((s.bedrag for s in na if s.ontvanger == scenario.gemeente), None)
    return Geld(w.iri, TAAKVELD_BW_MO, b.jaar, b.totaal, centrum, centrum_naam, voor, na, b.echt,
                b.uitleg, own)


def _regios_van(overlay: Overlay, centrum: str) -> set[str]:
    return {text(r["regio"]) for r in overlay.scenario_rows("centrumregios",
                                                            {"centrumgemeente": centrum})}


def _real_money(source: Store, centrum: str, members: Mapping[str, str],
                library: QueryLibrary) -> Budget | None:
    prefix = f"iv3-lasten-{TAAKVELD_BW_MO}"
    rows = library.get("kerncijfers").run(source, {"gemeente": centrum, "prefix": prefix}).dicts()
    dataset = latest_iv3(rows)
    if dataset is None:
        return None
    jaar = dataset.split("-")[1]
    parts: dict[str, Decimal] = {}
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
    return Budget(totaal, jaar, inwoners, items, True, "", dataset,
                  {code: float(v) for code, v in parts.items()})


def eigen_lasten(source: Store, library: QueryLibrary, b: Budget,
                 members: Mapping[str, str]) -> dict[str, float]:
    """Each member's own Iv3 lasten on 6.81 in the budget's dataset (real budgets only)."""
    if not b.echt or not b.dataset:
        return {}
    out: dict[str, float] = {}
    for code in b.delen:
        rows = library.get("kerncijfer-landelijk").run(source, {
            "maatstaf": str(SDID[f"maatstaf/{code}"]),
            "dataset": str(SDID[f"dataset/{b.dataset}"]), "periode": b.jaar}).dicts()
        for r in rows:
            m = text(r["gemeente"])
            if m in members:
                out[m] = out.get(m, 0.0) + float(text(r["waarde"]))
    return out


def _inwoners(store: Store, members: Mapping[str, str], jaar: str,
              library: QueryLibrary) -> tuple[dict[str, float], list[Item]]:
    rows = library.get("kerncijfer-landelijk").run(store, {
        "maatstaf": str(SDID["maatstaf/inwonertal"]),
        "dataset": str(SDID[f"dataset/{VOORBEELD_INWONERS}"]), "periode": jaar}).dicts()
    values = {text(r["gemeente"]): float(text(r["waarde"])) for r in rows
              if text(r["gemeente"]) in members}
    items = [Item(str(SDID[f"dataset/{VOORBEELD_INWONERS}"]),
                  f"inwonertal {len(values)} gemeenten ({jaar})", "illustratief voorbeeld", True)]
    return values, items


__all__ = ["Budget", "budget", "doordecentralisatie_geld", "eigen_lasten",
           "verdeling"]
