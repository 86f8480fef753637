"""Money that moves in a scenario: the BW/MO budget of a doordecentralisatie (Iv3 6.81 of
the centrumgemeente, divided over the regio by inwoners), from the store or the example."""

from __future__ import annotations

from collections.abc import Mapping
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
    real = (_real_money(source, centrum, members, overlay.library)
            if source is not None and centrum else None)
    if w.budget is not None:  # the author's own figure comes first
        if real is not None:
            _, jaar, inwoners, items, _ = real
            items = items[-1:]  # the inwonertal only
        else:
            jaar = str(scenario.peildatum.year)
            inwoners, items = _inwoners(source or overlay, members, jaar, overlay.library)
        totaal, echt = w.budget, False
        uitleg = gettext("budget opgegeven in het scenario, verdeeld naar inwonertal", lang)
        items = [Item(w.iri, gettext("budget per jaar", lang), gettext("scenario", lang)),
                 *items]
    elif real is not None:
        totaal, jaar, inwoners, items, dataset = real
        echt = True
        uitleg = gettext("Iv3-lasten taakveld {taakveld} van {centrum} ({dataset}), verdeeld "
                         "naar inwonertal ({dataset})", lang, taakveld=TAAKVELD_BW_MO,
                         centrum=centrum_naam, dataset=dataset)
    else:
        flows = [r for r in overlay.scenario_rows("financiering")
                 if text(r.get("ontvanger")) == centrum
                 and text(r.get("taakveld")).startswith(TAAKVELD_BW_MO)]
        if not flows:
            return None
        jaar = max(text(r.get("jaar")) for r in flows)
        flows = [r for r in flows if text(r.get("jaar")) == jaar]
        totaal = sum(as_number(r.get("bedragEUR")) or 0 for r in flows)
        items = [Item(text(r["stroom"]), text(r.get("naam")), text(r.get("bron")),
                      text(r.get("illustratief")).lower() == "true") for r in flows]
        inwoners, pop_items = _inwoners(source or overlay, members, jaar, overlay.library)
        items += pop_items
        echt = False
        uitleg = gettext("geldstroom naar {centrum} op taakveld {taakveld} in {jaar} "
                         "(illustratief), verdeeld naar inwonertal", lang, centrum=centrum_naam,
                         taakveld=TAAKVELD_BW_MO, jaar=jaar)
    total_pop = sum(inwoners.get(m, 0) for m in members)
    voor = [Geldstroom("Rijk", centrum, centrum_naam, totaal, uitleg, items, not echt)]
    na = []
    for m, naam in sorted(members.items(), key=lambda kv: kv[1]):
        pop = inwoners.get(m)
        if pop is None or not total_pop:
            continue
        share = pop / total_pop
        na.append(Geldstroom("Rijk", m, naam, round(totaal * share, 2), gettext(
            "{inwoners} / {totaal} inwoners = {aandeel}", lang,
            inwoners=format_number(pop, lang, 0), totaal=format_number(total_pop, lang, 0),
            aandeel=format_percent(share, lang, 2)), [], not echt))
    own = next((s.bedrag for s in na if s.ontvanger == scenario.gemeente), None)
    return Geld(w.iri, TAAKVELD_BW_MO, jaar, totaal, centrum, centrum_naam, voor, na, echt,
                uitleg, own)


def _regios_van(overlay: Overlay, centrum: str) -> set[str]:
    return {text(r["regio"]) for r in overlay.scenario_rows("centrumregios",
                                                            {"centrumgemeente": centrum})}


def _real_money(source: Store, centrum: str, members: dict[str, str], library: QueryLibrary):
    prefix = f"iv3-lasten-{TAAKVELD_BW_MO}"
    rows = library.get("kerncijfers").run(source, {"gemeente": centrum, "prefix": prefix}).dicts()
    dataset = latest_iv3(rows)
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


def _inwoners(store: Store, members: dict[str, str], jaar: str,
              library: QueryLibrary) -> tuple[dict[str, float], list[Item]]:
    rows = library.get("kerncijfer-landelijk").run(store, {
        "maatstaf": str(SDID["maatstaf/inwonertal"]),
        "dataset": str(SDID[f"dataset/{VOORBEELD_INWONERS}"]), "periode": jaar}).dicts()
    values = {text(r["gemeente"]): float(text(r["waarde"])) for r in rows
              if text(r["gemeente"]) in members}
    items = [Item(str(SDID[f"dataset/{VOORBEELD_INWONERS}"]),
                  f"inwonertal {len(values)} gemeenten ({jaar})", "illustratief voorbeeld", True)]
    return values, items
