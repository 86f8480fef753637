"""Compare scenarios: the criteria a council weighs, as reproducible numbers, and a ranking.

Each criterion is computed from a scenario's :class:`~.impact.Impact` with the
formula shown beside it (the numbers filled in), on the situation *after* the
scenario (the value before is shown for reference):

- ``zeggenschap`` (own control, higher is better): the share of the filled cells
  (taak x deelgebied) that the gemeente executes itself, in %;
- ``integraal`` (integral working, lower is better): over the klantreizen, the
  organisations a client meets plus the hand-overs between them;
- ``complexiteit`` (complexity, lower is better): the arrangements (via GR,
  contract, mandaat or centrumgemeente) plus the partner organisations;
- ``kosten`` (cost, lower is better): the frictiekosten of the contracts to
  terminate or renegotiate: the exitkosten when known, else the jaarwaarde x the
  gemeente's share x opzegtermijn / 12 (paying on during the notice period);
  contracts that end by themselves before then cost nothing; unknown ones count 0
  and are named;
- ``risico`` (transition risk, lower is better): cells that end, change or start,
  plus 2 x the new gaps, plus the contracts to terminate or renegotiate, plus the
  memberships that end or start.

Scores: per criterion the scenarios are scaled from 0 (worst of those compared)
to 10 (best); when all are equal each gets 10. The total is the weighted mean
of the scores (weights default 1); the ranking is by total, highest first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import UserError
from .figures import Impact, Item

CRITERIA = ("zeggenschap", "integraal", "complexiteit", "kosten", "risico")
HIGHER_IS_BETTER = {"zeggenschap": True, "integraal": False, "complexiteit": False,
                    "kosten": False, "risico": False}
ALIASES = {"control": "zeggenschap", "eigen-regie": "zeggenschap", "zelfstandigheid": "zeggenschap",
           "integration": "integraal", "integral": "integraal", "complexity": "complexiteit",
           "cost": "kosten", "costs": "kosten", "risk": "risico", "transitierisico": "risico"}


@dataclass
class Criterium:
    key: str
    waarde: float
    voor: float
    formule: str
    items: list[Item] = field(default_factory=list)


def _fmt(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".") if abs(value) >= 1000 else f"{value:g}"


def criteria(impact: Impact) -> dict[str, Criterium]:
    """The five criteria of one scenario, with formula and items."""
    out: dict[str, Criterium] = {}
    eigen, gevuld = len(impact.eigen_na), impact.gevuld_na
    voor = 100 * len(impact.eigen_voor) / impact.gevuld_voor if impact.gevuld_voor else 0.0
    out["zeggenschap"] = Criterium(
        "zeggenschap", round(100 * eigen / gevuld, 1) if gevuld else 0.0, round(voor, 1),
        f"{eigen} eigen / {gevuld} gevulde cellen x 100", list(impact.eigen_na))
    parts, total, total_voor, items = [], 0, 0, []
    for r in impact.reizen:
        orgs, hand = len(r.na.organisaties), len(r.na.overdrachten)
        total += orgs + hand
        total_voor += len(r.voor.organisaties) + len(r.voor.overdrachten)
        parts.append(f"{r.naam} {orgs}+{hand}")
        items += [Item(iri, naam, "", False, r.naam) for iri, naam in r.na.organisaties.items()]
    out["integraal"] = Criterium("integraal", float(total), float(total_voor),
                                 " + ".join(parts) + " (organisaties+overdrachten)", items)
    arr, ptn = len(impact.arrangementen_na), len(impact.partners_na)
    out["complexiteit"] = Criterium(
        "complexiteit", float(arr + ptn),
        float(len(impact.arrangementen_voor) + len(impact.partners_voor)),
        f"{arr} arrangementen + {ptn} partnerorganisaties",
        list(impact.arrangementen_na) + list(impact.partners_na))
    terms, cost, items = [], 0.0, []
    for c in impact.contracten:
        value = c.frictiekosten or 0.0
        cost += value
        if c.actie == "loopt-af":
            how = "loopt vanzelf af: 0"
        elif c.exitkosten is not None:
            how = f"exitkosten {_fmt(c.exitkosten)}"
        elif c.frictiekosten is not None:
            how = f"{_fmt(c.jaarwaarde or 0)} x {c.aandeel_uitleg} x {c.opzegtermijn}/12"
        else:
            how = "onbekend: 0"
        terms.append(f"{c.naam}: {how}" if len(impact.contracten) == 1
                     else f"{c.naam}: {how} ({_fmt(value)})")
        items.append(c.item())
    out["kosten"] = Criterium("kosten", round(cost, 2), 0.0,
                              "; ".join(terms) if terms else "geen contracten geraakt", items)
    cells = sum(len(d.eindigt) + len(d.wijzigt) + len(d.start) for d in impact.deelgebieden)
    gaps = sum(len(d.eindigt) for d in impact.deelgebieden)
    contracts = sum(1 for c in impact.contracten if c.actie != "loopt-af")
    members = len(impact.lidmaatschappen_eind) + len(impact.lidmaatschappen_start)
    out["risico"] = Criterium(
        "risico", float(cells + 2 * gaps + contracts + members), 0.0,
        f"{cells} cellen + 2 x {gaps} nieuwe gaten + {contracts} contracten + "
        f"{members} lidmaatschappen",
        [Item(c.taak, f"{c.taakNaam} ({d.naam.lower()})", "", False, d.naam)
         for d in impact.deelgebieden for c in (*d.eindigt, *d.wijzigt, *d.start)]
        + [c.item() for c in impact.contracten if c.actie != "loopt-af"]
        + impact.lidmaatschappen_eind + impact.lidmaatschappen_start)
    return out


def parse_weights(values: list[str] | tuple[str, ...] | dict[str, str | float]) -> dict[str, float]:
    """``["zeggenschap=2", "kosten=0.5"]`` (or a mapping) -> weights of all five criteria."""
    weights = dict.fromkeys(CRITERIA, 1.0)
    pairs = values.items() if isinstance(values, dict) else (
        v.split("=", 1) if "=" in v else (v, "") for v in values)
    for key, raw in pairs:
        name = ALIASES.get(str(key).strip().lower(), str(key).strip().lower())
        if name not in weights:
            raise UserError(f"unknown criterion {key!r} (use {', '.join(CRITERIA)})")
        try:
            weight = float(str(raw).replace(",", "."))
        except ValueError:
            raise UserError(f"weight of {name} must be a number, got {raw!r}") from None
        if weight < 0 or weight != weight or weight == float("inf"):
            raise UserError(f"weight of {name} must be 0 or more, got {raw!r}")
        weights[name] = weight
    return weights


@dataclass
class Vergelijking:
    impacts: list[Impact]
    criteria: list[dict[str, Criterium]]
    gewichten: dict[str, float]
    scores: list[dict[str, float]]
    totaal: list[float]

    @property
    def ranking(self) -> list[int]:
        """Indices of the impacts that change something, best total first (ties: in name
        order); a scenario that changes nothing for the gemeente is not ranked."""
        return sorted((i for i in range(len(self.impacts))
                       if not self.impacts[i].verandert_niets),
                      key=lambda i: (-self.totaal[i], self.impacts[i].scenario.naam()))

    @property
    def niet_gerangschikt(self) -> list[int]:
        """Indices of the impacts that change nothing for the gemeente."""
        return [i for i, imp in enumerate(self.impacts) if imp.verandert_niets]

    def rang(self, index: int) -> int | None:
        ranking = self.ranking
        return ranking.index(index) + 1 if index in ranking else None


def scores(values: list[float], higher_is_better: bool) -> list[float]:
    lo, hi = min(values), max(values)
    if hi == lo:
        return [10.0 for _ in values]
    if higher_is_better:
        return [round(10 * (v - lo) / (hi - lo), 2) for v in values]
    return [round(10 * (hi - v) / (hi - lo), 2) for v in values]


def vergelijk(impacts: list[Impact], gewichten: dict[str, float] | None = None) -> Vergelijking:
    """Criteria, scores, weighted totals and ranking of ``impacts``."""
    if not impacts:
        raise UserError("no scenarios to compare")
    weights = gewichten or dict.fromkeys(CRITERIA, 1.0)
    crit = [criteria(i) for i in impacts]
    per = {c: scores([k[c].waarde for k in crit], HIGHER_IS_BETTER[c]) for c in CRITERIA}
    rows = [{c: per[c][i] for c in CRITERIA} for i in range(len(impacts))]
    total_weight = sum(weights.values())
    totals = [round(sum(weights[c] * r[c] for c in CRITERIA) / total_weight, 2)
              if total_weight else 0.0 for r in rows]
    return Vergelijking(impacts, crit, weights, rows, totals)
