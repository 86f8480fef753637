"""The scenario builder: a scenario made with forms instead of YAML, for any gemeente.

The scenario being built is its YAML form (a "doc", :func:`~sdgraph.scenario.model.to_doc`)
carried in the URL as one compact link value (:mod:`sdgraph.scenario.link`), so the page works
as plain form posts, every state is a link that can be shared, and nothing is kept on the
server. Each step checks what was typed and says what is wrong at the field, in the page's
language:

- :func:`begin`: gemeente (code or name), peildatum, besluitdatum, title, author;
- :func:`voeg_toe`: one change: its kind, the organisations chosen from the gemeente's own
  GRs, regio's, uitvoerders, contract parties and partner gemeenten (:func:`keuzes`, from
  named queries; another one by code or IRI), taken and deelgebieden as checkboxes, partners,
  and for a doordecentralisatie the budget;
- :func:`pagina`: the page with the scenario so far and its impact (the same engine and
  criteria as a comparison), or just the impact (the fragment a script shows while typing).

Saving is :mod:`sdgraph.scenario.opslag` (store, administrator only), the link, or a file
(:func:`~sdgraph.scenario.model.to_turtle`, :func:`~sdgraph.scenario.model.to_yaml`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from babel.numbers import NumberFormatError, parse_decimal

from ..cache import VersionedCache
from ..errors import UserError
from ..i18n import N_, gettext
from ..identity import gemeente_code, slugify
from ..output import text
from ..queries import QueryLibrary, bundled_library
from ..runner import Runner
from ..scenario import link as links
from ..scenario.model import (
    NODIG,
    SOORTEN,
    Scenario,
    change_doc,
    kort,
    organisatie_iri,
    scenario_from_doc,
)
from ..scenario.tekst import SOORT_NAMEN
from ..scenario.vergelijking import Vergelijking, vergelijk
from ..store import Store
from .base import Page

#: The form fields of one change.
VELDEN = ("soort", "van", "naar", "betreft", "van_anders", "naar_anders", "betreft_anders",
          "taken", "deelgebieden", "partners", "label", "budget")
#: Which organisation fields a kind of change uses (the others are hidden by the script and
#: ignored here).
GEBRUIKT = {
    "overdracht": ("van", "naar"),
    "eigen-regie": ("van",),
    "toetreding": ("betreft", "van", "naar"),
    "doordecentralisatie": ("van",),
    "uittreding": ("betreft", "naar"),
}
#: At most this many changes in one scenario made here.
MAX_WIJZIGINGEN = 20
#: The closest partner gemeenten offered (by the number of GRs and regio's in common).
MAX_PARTNERS = 60
#: The GRs and the regio's near the gemeente offered (those with the most of its partners).
MAX_BUREN = 40
#: The groups of organisations in the choice lists, in order.
GROEPEN = (
    ("lid", N_("Lid van (GR's en regio's op de peildatum)")),
    ("rond", N_("Voeren taken uit of zijn partij in een overeenkomst")),
    ("gemeente", N_("Gemeenten in dezelfde GR's en regio's")),
    ("andere", N_("Andere GR's en regio's in de buurt, of eerder lid")),
)
SOORT_LABELS = {"gemeente": N_("gemeente"), "gr": N_("GR"), "regio": N_("regio"),
                "aanbieder": N_("aanbieder"), "organisatie": N_("organisatie")}
#: What a field asks for, in its error messages.
WAT = {"van": N_("van wie de taken komen"), "naar": N_("naar wie de taken gaan"),
       "betreft": N_("de GR of regio")}

KEUZES = VersionedCache(maxsize=32)


@dataclass(frozen=True)
class Optie:
    """One organisation a change can name."""

    waarde: str  # what the form sends: a GM code, a CURIE or an IRI
    iri: str
    naam: str
    soort: str  # gemeente | gr | regio | aanbieder | organisatie
    groep: str  # a key of GROEPEN
    centrumgemeente: str = ""


@dataclass
class Keuzes:
    """What a change of a scenario for ``gemeente`` on ``peildatum`` can name."""

    gemeente: str
    naam: str
    code: str
    peildatum: str
    opties: list[Optie]
    taken: list[tuple[str, list[tuple[str, str]]]]  # (wet, [(slug, name)])
    deelgebieden: list[tuple[str, str]]  # (slug, name)

    def vind(self, iri: str) -> Optie | None:
        return next((o for o in self.opties if o.iri == iri), None)

    def groepen(self, lang: str = "nl") -> list[tuple[str, list[Optie]]]:
        """The options of the choice lists, per group (label in ``lang``)."""
        return [(gettext(label, lang), [o for o in self.opties if o.groep == key])
                for key, label in GROEPEN if any(o.groep == key for o in self.opties)]

    @property
    def partners(self) -> list[Optie]:
        """Gemeenten that can be partners after a change."""
        return [o for o in self.opties if o.soort == "gemeente" and o.iri != self.gemeente]

    @property
    def centrumregios(self) -> list[Optie]:
        """The gemeente's regio's with a centrumgemeente (the van of a doordecentralisatie)."""
        return [o for o in self.opties if o.groep == "lid" and o.centrumgemeente]

    def label(self, o: Optie, lang: str = "nl") -> str:
        return f"{o.naam} ({gettext(SOORT_LABELS.get(o.soort, o.soort), lang)})"


def keuzes(store: Store, library: QueryLibrary | None, gemeente: str, peildatum: str,
           lang: str = "nl") -> Keuzes:
    """The organisations, taken and deelgebieden a scenario of ``gemeente`` can name: the
    gemeente itself, its GRs and regio's, who executes its taken or is party to its
    contracts, its partner gemeenten and the GRs and regio's near it (named queries
    ``scenario/organisaties``, ``scenario/keuzes``, ``scenario/soorten``, ``taken``,
    ``deelgebieden``); kept per store version."""
    library = library or bundled_library()
    key = ("keuzes", gemeente, peildatum, lang, id(library))
    return KEUZES.get(store, key, lambda: _keuzes(store, library, gemeente, peildatum, lang))


def _buren(store: Store, library: QueryLibrary, gemeente: str, partners: list[str],
           peildatum: str) -> dict[str, str]:
    """GRs with two or more of the closest ``partners`` as members, and regio's of the
    indelingen the gemeente is in that hold a partner (the neighbouring regio's)."""
    rows = library.get("scenario/keuzes-buren").run(
        store, {"peildatum": peildatum}, ("lid", [gemeente, *partners])).dicts()
    eigen = {text(r["organisatie"]) for r in rows if text(r["lid"]) == gemeente}
    indelingen = {text(r.get("indeling")) for r in rows
                  if text(r["lid"]) == gemeente and r.get("indeling") is not None}
    leden: dict[str, set[str]] = {}
    soort: dict[str, tuple[str, str]] = {}
    for r in rows:
        org = text(r["organisatie"])
        if text(r["lid"]) != gemeente and org not in eigen:
            leden.setdefault(org, set()).add(text(r["lid"]))
            soort[org] = (text(r.get("soort")), text(r.get("indeling")))
    out: dict[str, str] = {}
    for kind, reden in (("gr", "partner-gr"), ("regio", "buurregio")):
        found = sorted(((len(members), org) for org, members in leden.items()
                        if soort[org][0] == kind and len(members) >= 2
                        and (kind == "gr" or soort[org][1] in indelingen)),
                       key=lambda x: (-x[0], x[1]))
        out.update({org: reden for _, org in found[:MAX_BUREN]})
    return out


def _keuzes(store: Store, library: QueryLibrary, gemeente: str, peildatum: str,
            lang: str) -> Keuzes:
    values = {"gemeente": gemeente, "peildatum": peildatum}
    rond = [text(r["organisatie"]) for r in
            library.get("scenario/organisaties").run(store, values).dicts()]
    leden = {text(r["organisatie"]) for r in
             library.get("scenario/lidmaatschappen").run(store, values).dicts()}
    verder: dict[str, str] = {}
    partners: list[tuple[int, str]] = []
    for r in library.get("scenario/keuzes").run(store, values).dicts():
        iri, reden = text(r["organisatie"]), text(r.get("reden"))
        if reden == "partner":
            partners.append((int(float(text(r.get("aantal")) or 1)), iri))
        verder.setdefault(iri, reden)
    # the closest partners (most GRs and regio's in common) stand for "around the gemeente"
    partners.sort(key=lambda p: (-p[0], p[1]))
    naast = [iri for n, iri in partners[:MAX_PARTNERS] if n >= 2 or len(partners) <= 12]
    for iri in list(verder):
        if verder[iri] == "partner" and iri not in naast:
            del verder[iri]
    verder.update({iri: reden for iri, reden in _buren(store, library, gemeente, naast,
                                                        peildatum).items()
                   if iri not in verder})
    iris = list(dict.fromkeys([gemeente, *rond, *verder]))
    soorten = {text(r["organisatie"]): r for r in library.get("scenario/soorten").run(
        store, {}, ("organisatie", iris)).dicts()}
    opties = []
    for iri in iris:
        r = soorten.get(iri)
        if r is None or text(r.get("beschreven")).lower() not in ("true", "1"):
            continue
        soort = text(r.get("soort")) or "organisatie"
        if iri == gemeente:
            groep = "gemeente"
        elif iri in leden:
            groep = "lid"
        elif soort == "gemeente":
            groep = "gemeente"
        elif iri in verder and iri not in rond:
            groep = "andere"
        else:
            groep = "rond"
        opties.append(Optie(kort(iri), iri, text(r.get("naam")) or iri.rsplit("/", 1)[-1],
                            soort, groep, text(r.get("centrumgemeente"))))
    order = {key: i for i, (key, _) in enumerate(GROEPEN)}
    opties.sort(key=lambda o: (order[o.groep], o.iri != gemeente, o.naam.casefold()))
    naam = next((o.naam for o in opties if o.iri == gemeente), gemeente)
    taken: dict[str, list[tuple[str, str]]] = {}
    for r in library.get("taken").run(store, {"lang": lang}).dicts():
        taken.setdefault(text(r.get("wetNaam")), []).append(
            (kort(text(r["taak"]), "taak"), text(r.get("taakNaam")) or text(r["taak"])))
    delen = [(kort(text(r["deelgebied"]), "deelgebied"),
              text(r.get("deelgebiedNaam")) or text(r["deelgebied"]))
             for r in library.get("deelgebieden").run(store, {"lang": lang}).dicts()]
    code = (gemeente_code(gemeente) or "").upper()
    return Keuzes(gemeente, naam, code, peildatum, opties, list(taken.items()), delen)


# --------------------------------------------------------------------------- steps


def _one(values: Mapping[str, Any], key: str) -> str:
    value = values.get(key)
    if isinstance(value, (list, tuple)):
        value = value[0] if value else ""
    return str(value or "").strip()


def _many(values: Mapping[str, Any], key: str) -> list[str]:
    value = values.get(key)
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else [value]
    return [str(v).strip() for v in items if str(v).strip()]


def _datum(value: str, veld: str, fouten: dict[str, str], lang: str,
           verplicht: bool = False) -> str:
    if not value:
        if verplicht:
            fouten[veld] = gettext("Vul een datum in (JJJJ-MM-DD).", lang)
        return ""
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        fouten[veld] = gettext("Geen datum: {waarde}. Schrijf JJJJ-MM-DD, bijvoorbeeld "
                               "2024-07-01.", lang, waarde=value)
        return ""


def zoek_gemeente(run: Runner, value: str, peildatum: str | None = None) -> tuple[str, str]:
    """(TOOI IRI, name) of the gemeente a code or name stands for; a UserError says why not
    (none, or several that match)."""
    value = value.strip()
    if not value:
        raise UserError(N_("Vul een gemeente in (naam of GM-code)."))
    if gemeente_code(value):
        rows = run.rows("gemeente", {"gemeente": value})
        if rows:
            return text(rows[0].get("gemeente")) or value, text(rows[0].get("naam")) or value
        raise UserError(N_("Geen gemeente met code {code} in de graaf."), code=value.upper())
    rows = [r for r in run.rows("gemeenten", {"zoek": value, "peildatum": peildatum or None})]
    exact = [r for r in rows if text(r.get("naam")).casefold() == value.casefold()]
    found = exact or rows
    if len(found) == 1:
        return text(found[0]["gemeente"]), text(found[0].get("naam"))
    if not found:
        raise UserError(N_("Geen gemeente gevonden voor {waarde}."), waarde=repr(value))
    names = ", ".join(f"{text(r.get('naam'))} ({text(r.get('code'))})" for r in found[:8])
    raise UserError(N_("Meer gemeenten passen bij {waarde}: {namen}. Kies er één."),
                    waarde=repr(value), namen=names)


def begin(run: Runner, values: Mapping[str, Any], lang: str,
          doc: dict[str, Any] | None = None) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """The scenario's heading from the start form (or a change of it, keeping ``doc``'s
    changes): gemeente, peildatum, besluitdatum, title, author. Returns (doc, errors)."""
    fouten: dict[str, str] = {}
    peildatum = _datum(_one(values, "peildatum"), "peildatum", fouten, lang, verplicht=True)
    besluitdatum = _datum(_one(values, "besluitdatum"), "besluitdatum", fouten, lang)
    if peildatum and besluitdatum and besluitdatum < peildatum:
        fouten["besluitdatum"] = gettext("De besluitdatum ligt voor de peildatum.", lang)
    gemeente = ""
    if doc is not None and not _one(values, "gemeente"):
        gemeente = str(doc["gemeente"])
    else:
        try:
            iri, _ = zoek_gemeente(run, _one(values, "gemeente"), peildatum or None)
            gemeente = (gemeente_code(iri) or iri).upper()
        except UserError as exc:
            fouten["gemeente"] = exc.in_language(lang)
    titel = _one(values, "titel") or gettext("Mijn scenario", lang)
    if len(titel) > 200:
        fouten["titel"] = gettext("Een titel heeft hoogstens {n} tekens.", lang, n=200)
    auteur = _one(values, "auteur")
    if len(auteur) > 200:
        fouten["auteur"] = gettext("Een naam heeft hoogstens {n} tekens.", lang, n=200)
    if fouten:
        return None, fouten
    new: dict[str, Any] = {"id": slugify(titel)[:80].strip("-") or "scenario", "titel": titel,
                           "gemeente": gemeente, "peildatum": peildatum}
    if besluitdatum:
        new["besluitdatum"] = besluitdatum
    if auteur:
        new["auteur"] = auteur
    new["gemaakt"] = (doc or {}).get("gemaakt") or date.today().isoformat()
    new["wijzigingen"] = list((doc or {}).get("wijzigingen") or [])
    for key in ("beschrijving", "illustratief", "bron", "feiten", "titel_en"):
        if doc and doc.get(key):
            new[key] = doc[key]
    new.setdefault("bron", gettext("gemaakt in de scenariobouwer van sdgraph", lang))
    return new, {}


def _organisatie(values: Mapping[str, Any], veld: str, k: Keuzes, store: Store,
                 library: QueryLibrary, fouten: dict[str, str], lang: str) -> str:
    """The organisation chosen in ``veld`` (or typed in ``veld_anders``), as the doc writes
    it; '' when none."""
    typed = _one(values, f"{veld}_anders")
    chosen = typed or _one(values, veld)
    if not chosen:
        return ""
    try:
        iri = str(organisatie_iri(chosen, veld))
    except UserError:
        fouten[veld] = gettext("Geen organisatie die de graaf kent: {waarde} (kies uit de lijst, "
                               "of geef een GM-code, CURIE zoals so:so0665 of IRI).", lang,
                               waarde=chosen)
        return ""
    if k.vind(iri) is None:
        rows = library.get("scenario/soorten").run(store, {}, ("organisatie", [iri])).dicts()
        if not rows or text(rows[0].get("beschreven")).lower() not in ("true", "1"):
            fouten[veld] = gettext("De graaf kent {waarde} niet.", lang, waarde=chosen)
            return ""
    return kort(iri)


def wijziging(values: Mapping[str, Any], k: Keuzes, store: Store, library: QueryLibrary,
              lang: str) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """One change from the form, as the doc writes it; or the errors per field."""
    fouten: dict[str, str] = {}
    soort = _one(values, "soort")
    if soort not in SOORTEN:
        fouten["soort"] = gettext("Kies wat er verandert.", lang)
        return None, fouten
    change: dict[str, Any] = {"soort": soort}
    used = GEBRUIKT[soort]
    for veld in ("betreft", "van", "naar"):
        if veld not in used:
            continue
        value = _organisatie(values, veld, k, store, library, fouten, lang)
        if value:
            change[veld] = value
        elif veld in NODIG[soort] and veld not in fouten:
            fouten[veld] = gettext("Kies {wat} voor een {soort}.", lang,
                                   wat=gettext(WAT[veld], lang),
                                   soort=gettext(SOORT_NAMEN[soort], lang).lower())
    iri = {veld: str(organisatie_iri(change[veld], veld)) for veld in ("betreft", "van", "naar")
           if veld in change}
    if "van" in iri and iri.get("van") == iri.get("naar"):
        fouten["naar"] = gettext("Van en naar zijn dezelfde organisatie.", lang)
    if soort in ("toetreding", "uittreding") and "betreft" in iri:
        optie = k.vind(iri["betreft"])
        if soort == "uittreding" and (optie is None or optie.groep != "lid"):
            fouten["betreft"] = gettext("{gemeente} is op {peildatum} geen lid van {naam}.",
                                        lang, gemeente=k.naam, peildatum=k.peildatum,
                                        naam=optie.naam if optie else change["betreft"])
        elif soort == "toetreding" and optie is not None and optie.soort not in ("gr", "regio"):
            fouten["betreft"] = gettext("Toetreden kan tot een GR of regio, niet tot {naam}.",
                                        lang, naam=optie.naam)
    if soort == "doordecentralisatie" and "van" in iri:
        optie = k.vind(iri["van"])
        if optie is not None and not (optie.centrumgemeente or optie.soort == "gemeente"):
            fouten["van"] = gettext("Kies een regio met een centrumgemeente of een "
                                    "centrumgemeente.", lang)
    taken = {slug for _, items in k.taken for slug, _ in items}
    delen = {slug for slug, _ in k.deelgebieden}
    chosen_taken = _many(values, "taken")
    chosen_delen = _many(values, "deelgebieden")
    if any(t not in taken for t in chosen_taken):
        fouten["taken"] = gettext("Kies taken uit de lijst.", lang)
    if any(d not in delen for d in chosen_delen):
        fouten["deelgebieden"] = gettext("Kies deelgebieden uit de lijst.", lang)
    if chosen_taken:
        change["taken"] = chosen_taken
    if chosen_delen:
        change["deelgebieden"] = chosen_delen
    partners = []
    for p in _many(values, "partners"):
        try:
            partners.append(kort(str(organisatie_iri(p, "partners"))))
        except UserError:
            fouten["partners"] = gettext("Geen organisatie die de graaf kent: {waarde} (kies uit "
                                         "de lijst, of geef een GM-code, CURIE zoals so:so0665 "
                                         "of IRI).", lang, waarde=p)
    if partners:
        change["partners"] = partners
    label = _one(values, "label")
    if len(label) > 300:
        fouten["label"] = gettext("Een omschrijving heeft hoogstens {n} tekens.", lang, n=300)
    elif label:
        change["label"] = label
    budget = _one(values, "budget")
    if budget and soort == "doordecentralisatie":
        try:
            amount = float(parse_decimal(budget.replace("€", "").replace(" ", ""),
                                         locale=lang))
            if amount < 0:
                raise NumberFormatError("negative")
            change["budget"] = int(amount) if amount == int(amount) else amount
        except (NumberFormatError, ValueError):
            fouten["budget"] = gettext("Geen bedrag: {waarde}. Schrijf een bedrag in euro per "
                                       "jaar, bijvoorbeeld {voorbeeld}.", lang, waarde=budget,
                                       voorbeeld="4.800.000" if lang == "nl" else "4,800,000")
    return (None, fouten) if fouten else (change, {})


def voeg_toe(doc: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with one change more."""
    if len(doc.get("wijzigingen") or []) >= MAX_WIJZIGINGEN:
        raise UserError(N_("Een scenario heeft hier hoogstens {n} wijzigingen."),
                        n=MAX_WIJZIGINGEN)
    return {**doc, "wijzigingen": [*(doc.get("wijzigingen") or []), change]}


def verwijder(doc: dict[str, Any], nr: int) -> dict[str, Any]:
    """``doc`` without change number ``nr`` (1-based)."""
    changes = list(doc.get("wijzigingen") or [])
    if not 1 <= nr <= len(changes):
        raise UserError(N_("Geen wijziging nummer {n} in dit scenario."), n=nr)
    del changes[nr - 1]
    return {**doc, "wijzigingen": changes}


def invoer(change: Mapping[str, Any]) -> dict[str, list[str]]:
    """A change of the doc as form values (to edit it again)."""
    out: dict[str, list[str]] = {"soort": [str(change.get("soort", ""))]}
    for key in ("van", "naar", "betreft", "label"):
        if change.get(key):
            out[key] = [str(change[key])]
    for key in ("taken", "deelgebieden", "partners"):
        out[key] = [str(v) for v in change.get(key) or []]
    if change.get("budget") is not None:
        out["budget"] = [str(change["budget"])]
    return out


# --------------------------------------------------------------------------- the page


@dataclass
class BouwPagina(Page):
    """The builder: the start form, or a scenario with its changes, the form for one more,
    and its impact."""

    lang: str
    doc: dict[str, Any] | None = None
    keuzes: Keuzes | None = None
    fouten: dict[str, str] = field(default_factory=dict)
    invoer: dict[str, list[str]] = field(default_factory=dict)
    v: Vergelijking | None = None
    scenario: Scenario | None = None
    params: dict[str, str] = field(default_factory=dict)

    view = "scenario-bouwen"
    template = "scenario_bouwen.html"
    formats = ("json",)

    @property
    def link(self) -> str:
        return links.encode_doc(self.doc) if self.doc else ""

    @property
    def wijzigingen(self) -> list[tuple[dict[str, Any], str]]:
        """The changes with their text from the data (or their kind when not computed)."""
        changes = list((self.doc or {}).get("wijzigingen") or [])
        texts = self.v.impacts[0].wijzigingen_tekst if self.v else []
        out = []
        for i, c in enumerate(changes):
            described = texts[i] if i < len(texts) and len(texts) == len(changes) else ""
            out.append((c, described or gettext(SOORT_NAMEN.get(c.get("soort"), "?"),
                                                self.lang)))
        return out

    def to_dict(self) -> dict[str, Any]:
        from ..scenario import report

        return {"scenario": self.doc, "link": self.link, "fouten": self.fouten,
                "vergelijking": report.to_dict(self.v, self.lang) if self.v else None}

    def context(self) -> dict[str, Any]:
        return dict(doc=self.doc, keuzes=self.keuzes, fouten=self.fouten, invoer=self.invoer,
                    v=self.v, scenario=self.scenario, link=self.link,
                    wijzigingen=self.wijzigingen, soorten=list(SOORTEN),
                    soort_namen=SOORT_NAMEN, gebruikt=GEBRUIKT, nodig=NODIG)


def pagina(store: Store, library: QueryLibrary | None, lang: str,
           doc: dict[str, Any] | None = None, fouten: dict[str, str] | None = None,
           invoer_: dict[str, list[str]] | None = None,
           extra: dict[str, Any] | None = None) -> BouwPagina:
    """The builder for ``doc`` (None: the start form) with the errors of the last step and
    what was typed; with the impact of the scenario (and of ``extra``, a change not yet
    added, when given: the preview)."""
    page = BouwPagina(lang, doc, fouten=dict(fouten or {}), invoer=dict(invoer_ or {}))
    if doc is None:
        return page
    library = library or bundled_library()
    scenario = scenario_from_doc(doc, "bouwer")
    page.scenario = scenario
    page.keuzes = keuzes(store, library, scenario.gemeente, scenario.peildatum.isoformat(),
                         lang)
    shown = voeg_toe(doc, extra) if extra else doc
    if shown.get("wijzigingen"):
        from .scenario import impacts

        try:
            target = scenario_from_doc(shown, "bouwer") if extra else scenario
            page.v = vergelijk(impacts(store, [target], lang, library), None, lang)
        except UserError as exc:
            page.fouten.setdefault("scenario", exc.in_language(lang))
    return page


def van_link(value: str) -> dict[str, Any]:
    """The doc of a builder link, checked as a scenario."""
    doc = links.decode_doc(value)
    scenario_from_doc(doc, "link")  # every field checked, as a file's
    return doc


def doc_van(scenario: Scenario) -> dict[str, Any]:
    """A scenario (a file, a stored or bundled one) as the builder's doc."""
    from ..scenario.model import to_doc

    return to_doc(scenario)


__all__ = ["BouwPagina", "Keuzes", "Optie", "begin", "change_doc", "doc_van", "invoer",
           "keuzes", "pagina", "van_link", "verwijder", "voeg_toe", "wijziging",
           "zoek_gemeente"]
