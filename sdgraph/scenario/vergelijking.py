"""Compare scenarios: what a council weighs, as reproducible numbers named for what they
measure, each with its formula (the numbers filled in), and a ranking.

Every criterion is computed from a scenario's :class:`~.figures.Impact` on the situation
*after* the scenario, beside its value *before* where that means something
(docs/scenarios.md has the table):

- ``eigen-uitvoering``: the share of the filled cells (taak x deelgebied) the gemeente
  executes itself, in % (higher is better);
- ``zeggenschap``: the gemeente's formal say over who executes its cells: per cell its
  share of the votes in the uitvoerder (itself 100%, a GR or regio with a board it is a
  member of its votes or verdeelsleutel or one vote per member, anyone else 0), the mean
  over the cells, in % (higher);
- ``klantreis``: over the klantreizen (one per soort hulpvraag), the organisations a client
  meets plus the hand-overs between them (lower);
- ``arrangementen``: the arrangements (via GR, contract, mandaat or centrumgemeente) plus
  the partner organisations (lower);
- ``exitkosten``: the contractual exit cost of the contracts to terminate or renegotiate:
  the exitkosten when known, else the jaarwaarde x the gemeente's share x opzegtermijn / 12;
  contracts that end by themselves cost nothing; unknown ones count 0 and are named (lower);
- ``transitie``: the size of the transition: cells that end, change or start, plus 2 x the
  new gaps, plus contracts to terminate or renegotiate, plus memberships that end or start
  (lower);
- ``geld`` (shown, not scored): the money that moves per year: contributions to GRs that
  stop or start with a membership, and the BW/MO budget of a doordecentralisatie.

Scores (0-10, :func:`scores`): the best value of the compared scenarios gets 10, another
loses points in proportion to its distance from the best *as a share of the size of the
quantity* (percentages: of 100; counts and amounts: of the largest value among the
scenarios and the situation before), so 12 against 13 arrangements is 10 against 9.2,
not 10 against 0 as a min-max scale made it. The total is the weighted mean of the scores;
a scenario that changes nothing for its gemeente gets no score and no rank.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import UserError
from ..i18n import N_, format_currency, format_number, gettext
from .figures import Impact, Item

#: One criterion: what it is called (says what it measures), its unit, its direction
#: (1: higher is better, -1: lower is better, 0: shown but not scored), the size of its
#: scale when fixed (percentages), whether a "before" value exists, and its formula in words.


@dataclass(frozen=True)
class Definitie:
    key: str
    naam: str
    eenheid: str  # "%", "EUR", ""
    richting: int
    schaal: float | None
    heeft_voor: bool
    formule: str


DEFINITIES: tuple[Definitie, ...] = (
    Definitie("eigen-uitvoering", N_("Eigen uitvoering (% cellen)"), "%", 1, 100.0, True,
              N_("cellen (taak x deelgebied) die de gemeente zelf uitvoert / gevulde cellen "
                 "x 100")),
    Definitie("zeggenschap", N_("Zeggenschap over de uitvoering (% stemmen)"), "%", 1, 100.0,
              True,
              N_("gemiddelde over de gevulde cellen van het aandeel van de gemeente in de stem "
                 "van de uitvoerder: zelf 100%; een GR of regio met bestuur waarvan zij lid is: "
                 "haar stemmen (of zetels) in het bestuur, anders haar verdeelsleutel, anders "
                 "één stem per deelnemer; een contract, centrumgemeente of regio zonder bestuur "
                 "0%")),
    Definitie("klantreis", N_("Klantreis: organisaties + overdrachten"), "", -1, None, True,
              N_("over de klantreizen (per soort hulpvraag): de organisaties die een cliënt "
                 "tegenkomt + de overdrachten tussen hen")),
    Definitie("arrangementen", N_("Arrangementen + partnerorganisaties"), "", -1, None, True,
              N_("samenwerkingsvormen (via een GR, contract, mandaat of centrumgemeente) + "
                 "organisaties die taken voor de gemeente uitvoeren")),
    Definitie("exitkosten", N_("Contractuele exitkosten (EUR)"), "EUR", -1, None, False,
              N_("per contract dat wordt opgezegd of heronderhandeld: de exitkosten als die "
                 "bekend zijn, anders jaarwaarde x aandeel van de gemeente x opzegtermijn / 12; "
                 "een contract dat vanzelf afloopt 0; onbekend telt als 0 en wordt genoemd")),
    Definitie("transitie", N_("Omvang van de overgang (stappen)"), "", -1, None, False,
              N_("cellen die eindigen, wijzigen of starten + 2 x nieuwe gaten + contracten om "
                 "op te zeggen of te heronderhandelen + lidmaatschappen die eindigen of "
                 "starten")),
    Definitie("geld", N_("Geld dat verschuift (EUR per jaar)"), "EUR", 0, None, False,
              N_("bijdragen aan GR's die stoppen of beginnen met een lidmaatschap (waar "
                 "bekend) + het budget beschermd wonen en maatschappelijke opvang (Iv3 6.81) "
                 "dat bij een doordecentralisatie naar de gemeente gaat; telt niet mee in het "
                 "totaal")),
)
DEFINITIE = {d.key: d for d in DEFINITIES}
#: The criteria that are scored and weighed, in order.
CRITERIA = tuple(d.key for d in DEFINITIES if d.richting)
#: Shown beside the criteria, not scored.
INDICATOREN = tuple(d.key for d in DEFINITIES if not d.richting)
ALLE = CRITERIA + INDICATOREN
HIGHER_IS_BETTER = {d.key: d.richting > 0 for d in DEFINITIES if d.richting}
#: Other names accepted for a weight (earlier names and English words).
ALIASES = {
    "eigen": "eigen-uitvoering", "eigen_uitvoering": "eigen-uitvoering",
    "in-house": "eigen-uitvoering", "own": "eigen-uitvoering",
    "say": "zeggenschap", "governance": "zeggenschap", "stemmen": "zeggenschap",
    "integraal": "klantreis", "integration": "klantreis", "integral": "klantreis",
    "client-journey": "klantreis",
    "complexiteit": "arrangementen", "complexity": "arrangementen",
    "kosten": "exitkosten", "cost": "exitkosten", "costs": "exitkosten",
    "exit-costs": "exitkosten",
    "risico": "transitie", "transitierisico": "transitie", "risk": "transitie",
    "transition": "transitie",
}


@dataclass
class Deel:
    """One part of a criterion's value: a klantreis, a contract, a kind of cell."""

    label: str
    voor: float | None
    na: float


@dataclass
class Criterium:
    key: str
    waarde: float
    voor: float | None  # None: no "before" (a quantity of the change itself)
    formule: str  # the formula with the numbers filled in, in the report's language
    items: list[Item] = field(default_factory=list)
    delen: list[Deel] = field(default_factory=list)

    @property
    def verschil(self) -> float | None:
        return None if self.voor is None else round(self.waarde - self.voor, 2)

    @property
    def definitie(self) -> Definitie:
        return DEFINITIE[self.key]


def naam(key: str, lang: str = "nl") -> str:
    """The name of a criterion in ``lang``."""
    return gettext(DEFINITIE[key].naam, lang)


def waarde_tekst(key: str, value: float | None, lang: str = "nl", signed: bool = False) -> str:
    """A criterion's value in the language's format: "51,9%", "€ 32.500", "14"."""
    if value is None:
        return "–"
    unit = DEFINITIE[key].eenheid
    sign = "+" if signed and value > 0 else ""
    if unit == "EUR":
        return sign + format_currency(value, lang, decimals=0)
    if unit == "%":
        return sign + format_number(value, lang, 1) + "%"
    return sign + format_number(value, lang, 0 if value == int(value) else 1)


def score_tekst(value: float | None, lang: str = "nl") -> str:
    return "–" if value is None else format_number(value, lang, 1)


def _n(value: float, lang: str) -> str:
    return format_number(value, lang, 0 if value == int(value) else 1)


def _eur(value: float, lang: str) -> str:
    return format_currency(value, lang, decimals=0)


def criteria(impact: Impact, lang: str = "nl") -> dict[str, Criterium]:
    """The criteria of one scenario, with formulas in ``lang`` and the items behind them."""
    out: dict[str, Criterium] = {}
    eigen, gevuld = len(impact.eigen_na), impact.gevuld_na
    voor = 100 * len(impact.eigen_voor) / impact.gevuld_voor if impact.gevuld_voor else 0.0
    out["eigen-uitvoering"] = Criterium(
        "eigen-uitvoering", round(100 * eigen / gevuld, 1) if gevuld else 0.0, round(voor, 1),
        gettext("{eigen} eigen / {gevuld} gevulde cellen x 100", lang, eigen=eigen,
                gevuld=gevuld), list(impact.eigen_na))
    out["zeggenschap"] = _zeggenschap(impact, lang)
    parts, total, total_voor, items, delen = [], 0, 0, [], []
    for r in impact.reizen:
        orgs, hand = len(r.na.organisaties), len(r.na.overdrachten)
        before = len(r.voor.organisaties) + len(r.voor.overdrachten)
        total += orgs + hand
        total_voor += before
        parts.append(f"{r.naam} {orgs}+{hand}")
        delen.append(Deel(r.naam, before, orgs + hand))
        items += [Item(iri, label, "", False, r.naam) for iri, label in r.na.organisaties.items()]
    out["klantreis"] = Criterium(
        "klantreis", float(total), float(total_voor),
        (" + ".join(parts) + " " + gettext("(organisaties+overdrachten)", lang)) if parts
        else gettext("geen klantreizen", lang), items, delen)
    arr, ptn = len(impact.arrangementen_na), len(impact.partners_na)
    out["arrangementen"] = Criterium(
        "arrangementen", float(arr + ptn),
        float(len(impact.arrangementen_voor) + len(impact.partners_voor)),
        gettext("{arrangementen} arrangementen + {partners} partnerorganisaties", lang,
                arrangementen=arr, partners=ptn),
        list(impact.arrangementen_na) + list(impact.partners_na),
        [Deel(gettext("arrangementen", lang), len(impact.arrangementen_voor), arr),
         Deel(gettext("partnerorganisaties", lang), len(impact.partners_voor), ptn)])
    out["exitkosten"] = _exitkosten(impact, lang)
    cells = sum(len(d.eindigt) + len(d.wijzigt) + len(d.start) for d in impact.deelgebieden)
    gaps = sum(len(d.eindigt) for d in impact.deelgebieden)
    contracts = sum(1 for c in impact.contracten if c.actie != "loopt-af")
    members = len(impact.lidmaatschappen_eind) + len(impact.lidmaatschappen_start)
    out["transitie"] = Criterium(
        "transitie", float(cells + 2 * gaps + contracts + members), None,
        gettext("{cellen} cellen + 2 x {gaten} nieuwe gaten + {contracten} contracten + "
                "{leden} lidmaatschappen", lang, cellen=cells, gaten=gaps, contracten=contracts,
                leden=members),
        [Item(c.taak, f"{c.taakNaam} ({d.naam.lower()})", "", False, d.naam)
         for d in impact.deelgebieden for c in (*d.eindigt, *d.wijzigt, *d.start)]
        + [c.item() for c in impact.contracten if c.actie != "loopt-af"]
        + impact.lidmaatschappen_eind + impact.lidmaatschappen_start,
        [Deel(gettext("cellen", lang), None, cells),
         Deel(gettext("nieuwe gaten (x 2)", lang), None, 2 * gaps),
         Deel(gettext("contracten", lang), None, contracts),
         Deel(gettext("lidmaatschappen", lang), None, members)])
    out["geld"] = _geld(impact, lang)
    return out


def _zeggenschap(impact: Impact, lang: str) -> Criterium:
    z = impact.zeggenschap_na
    parts, items, delen = [], [], []
    voor_groepen = {label: n for label, _, n, _ in impact.zeggenschap_voor.groepen()}
    for label, share, n, stemmen in z.groepen():
        how = "; ".join(dict.fromkeys(s.uitleg for s in stemmen))
        parts.append(gettext("{n} x {procent} {wie}", lang, n=n,
                             procent=format_number(100 * share, lang, 0) + "%", wie=label))
        delen.append(Deel(f"{label} ({format_number(100 * share, lang, 0)}%: {how})",
                          voor_groepen.get(label), n))
        for s in stemmen:
            items.append(Item(s.organisatie, s.naam, "", s.aangenomen, s.uitleg))
    seen: dict[str, Item] = {}
    for i in items:
        seen.setdefault(i.iri, i)
    formule = (gettext("({delen}) / {cellen} cellen", lang, delen=" + ".join(parts),
                       cellen=len(z.cellen)) if z.cellen
               else gettext("geen gevulde cellen", lang))
    return Criterium("zeggenschap", round(z.waarde, 1), round(impact.zeggenschap_voor.waarde, 1),
                     formule, list(seen.values()), delen)


def _exitkosten(impact: Impact, lang: str) -> Criterium:
    terms, cost, items, delen = [], 0.0, [], []
    for c in impact.contracten:
        value = c.frictiekosten or 0.0
        cost += value
        if c.actie == "loopt-af":
            how = gettext("loopt vanzelf af: 0", lang)
        elif c.exitkosten is not None:
            how = gettext("exitkosten {bedrag}", lang, bedrag=_eur(c.exitkosten, lang))
        elif c.frictiekosten is not None:
            how = gettext("{jaarwaarde} x {aandeel} x {maanden}/12", lang,
                          jaarwaarde=_eur(c.jaarwaarde or 0, lang), aandeel=c.aandeel_uitleg,
                          maanden=c.opzegtermijn)
        else:
            how = gettext("onbekend: 0", lang)
        terms.append(f"{c.naam}: {how}" if len(impact.contracten) == 1
                     else f"{c.naam}: {how} ({_eur(value, lang)})")
        items.append(c.item())
        delen.append(Deel(c.naam, None, value))
    return Criterium("exitkosten", round(cost, 2), None,
                     "; ".join(terms) if terms else gettext("geen contracten geraakt", lang),
                     items, delen)


def _geld(impact: Impact, lang: str) -> Criterium:
    terms, total, items, delen = [], 0.0, [], []
    for b in impact.bijdragen:
        total += b.bedrag
        terms.append(gettext("{naam}: {uitleg} {bedrag}", lang, naam=b.ontvangerNaam,
                             uitleg=b.toelichting, bedrag=_eur(b.bedrag, lang)))
        items += b.bronnen
        delen.append(Deel(f"{b.ontvangerNaam} ({b.toelichting})", None, b.bedrag))
    for m in impact.geld:
        if m.gemeente_bedrag is None:
            continue
        total += m.gemeente_bedrag
        terms.append(gettext("budget {taakveld} van {van} naar {naar}: {bedrag}", lang,
                             taakveld=m.taakveld, van=m.centrumNaam, naar=impact.gemeenteNaam,
                             bedrag=_eur(m.gemeente_bedrag, lang)))
        items += m.voor[0].bronnen if m.voor else []
        delen.append(Deel(gettext("budget {taakveld} ({jaar})", lang, taakveld=m.taakveld,
                                  jaar=m.jaar), None, m.gemeente_bedrag))
    for name in impact.bijdragen_onbekend:
        terms.append(gettext("bijdrage aan {naam} onbekend", lang, naam=name))
    return Criterium("geld", round(total, 2), None,
                     "; ".join(terms) if terms else gettext("geen geldstromen geraakt", lang),
                     items, delen)


def parse_weights(values: list[str] | tuple[str, ...] | dict[str, str | float]) -> dict[str, float]:
    """``["zeggenschap=2", "exitkosten=0.5"]`` (or a mapping) -> weights of all criteria."""
    weights = dict.fromkeys(CRITERIA, 1.0)
    pairs = values.items() if isinstance(values, dict) else (
        v.split("=", 1) if "=" in v else (v, "") for v in values)
    for key, raw in pairs:
        name = str(key).strip().lower()
        name = ALIASES.get(name, name)
        if name not in weights:
            raise UserError(N_("Onbekend criterium {naam} (gebruik {namen})."),
                            naam=repr(str(key)), namen=", ".join(CRITERIA))
        try:
            weight = float(str(raw).replace(",", "."))
        except ValueError:
            raise UserError(N_("Het gewicht van {naam} moet een getal zijn, niet {waarde}."),
                            naam=name, waarde=repr(raw)) from None
        if weight < 0 or weight != weight or weight == float("inf"):
            raise UserError(N_("Het gewicht van {naam} is 0 of meer, niet {waarde}."),
                            naam=name, waarde=repr(raw))
        weights[name] = weight
    return weights


@dataclass
class Vergelijking:
    impacts: list[Impact]
    criteria: list[dict[str, Criterium]]
    gewichten: dict[str, float]
    scores: list[dict[str, float | None]]
    totaal: list[float | None]

    @property
    def ranking(self) -> list[int]:
        """Indices of the impacts that change something, best total first (ties: in name
        order); a scenario that changes nothing for the gemeente is not ranked."""
        return sorted((i for i in range(len(self.impacts))
                       if not self.impacts[i].verandert_niets),
                      key=lambda i: (-(self.totaal[i] or 0), self.impacts[i].scenario.naam()))

    @property
    def niet_gerangschikt(self) -> list[int]:
        """Indices of the impacts that change nothing for the gemeente."""
        return [i for i, imp in enumerate(self.impacts) if imp.verandert_niets]

    def rang(self, index: int) -> int | None:
        ranking = self.ranking
        return ranking.index(index) + 1 if index in ranking else None


def scores(values: list[float], higher_is_better: bool, schaal: float | None = None,
           voor: list[float] | None = None) -> list[float]:
    """0-10 per value: 10 for the best, minus 10 x (distance from the best / size), where the
    size is ``schaal`` when fixed (100 for percentages), else the largest absolute value
    among ``values`` and the values ``voor`` (before the scenarios). All equal: all 10."""
    if not values:
        return []
    best = max(values) if higher_is_better else min(values)
    size = schaal or max(abs(v) for v in [*values, *(voor or [])])
    if not size or all(v == best for v in values):
        return [10.0 for _ in values]
    return [round(max(0.0, 10 * (1 - abs(v - best) / size)), 1) for v in values]


def vergelijk(impacts: list[Impact], gewichten: dict[str, float] | None = None,
              lang: str = "nl") -> Vergelijking:
    """Criteria, scores, weighted totals and ranking of ``impacts``; a scenario that changes
    nothing for its gemeente is left out of the scores (it gets none) and the ranking."""
    if not impacts:
        raise UserError(N_("Geen scenario's om te vergelijken."))
    weights = gewichten or dict.fromkeys(CRITERIA, 1.0)
    crit = [criteria(i, lang) for i in impacts]
    ranked = [i for i, imp in enumerate(impacts) if not imp.verandert_niets]
    rows: list[dict[str, float | None]] = [dict.fromkeys(CRITERIA) for _ in impacts]
    for c in CRITERIA:
        d = DEFINITIE[c]
        found = scores([crit[i][c].waarde for i in ranked], d.richting > 0, d.schaal,
                       [crit[i][c].voor for i in ranked if crit[i][c].voor is not None])
        for i, score in zip(ranked, found, strict=True):
            rows[i][c] = score
    total_weight = sum(weights[c] for c in CRITERIA)
    totals: list[float | None] = [None] * len(impacts)
    for i in ranked:
        totals[i] = (round(sum(weights[c] * (rows[i][c] or 0) for c in CRITERIA) / total_weight,
                           2) if total_weight else 0.0)
    return Vergelijking(impacts, crit, weights, rows, totals)
