"""What a scenario changes, as figures with the items behind them: per deelgebied, per
klantreis, in contracts and in money (the result of :func:`sdgraph.scenario.compute.impact`)."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import networkx as nx
from rdflib.term import Identifier

from ..klantreis import Klantreis
from ..matrix import Matrix
from ..namespaces import SDID
from ..output import text
from .model import Scenario

Row = Mapping[str, Identifier | None]

AT = "https://w3id.org/sdgraph/id/arrangementtype/"
GOVERNANCE = str(SDID["deelgebied/governance"])
INKOOP = str(SDID["deelgebied/inkoop"])
TAAKVELD_BW_MO = "6.81"


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
    def verandert_niets(self) -> bool:
        """True when the scenario changes nothing for the gemeente: no cell ends, changes
        or starts, no membership, seat, contract or money flow changes. Such a scenario is
        reported as such, not ranked."""
        return (not any(d.eindigt or d.wijzigt or d.start or d.actief or d.vertegenwoordiging
                        for d in self.deelgebieden)
                and not self.lidmaatschappen_eind and not self.lidmaatschappen_start
                and not self.contracten and not self.geld)

    @property
    def klaar(self) -> date | None:
        """When the last contract to terminate can end at the earliest."""
        ends = [c.vroegste_einde for c in self.contracten
                if c.actie != "loopt-af" and c.vroegste_einde]
        return max(ends, default=None)


def as_number(term: Identifier | None) -> float | None:
    try:
        return float(text(term)) if term is not None else None
    except ValueError:
        return None


def as_date(term: Identifier | None) -> date | None:
    try:
        return date.fromisoformat(text(term)) if term is not None else None
    except ValueError:
        return None


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
