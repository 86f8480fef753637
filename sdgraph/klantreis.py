"""A client journey ("klantreis") from the rows of the query ``klantreis``.

A klantreis starts at an entry point (:class:`Ingang`: zelf, wijkteam, huisarts,
gecertificeerde instelling, school; query ``klantreis-ingangen``) and follows its steps:
toegang, indicatie, the help by a contracted aanbieder (inkoop), beschikking and
betaling (backoffice); sturing (governance) and beleid (visie en beleid) happen behind
the scenes (:data:`ACHTER_DE_SCHERMEN`). Each step is a deelgebied; whoever executes
that deelgebied of the wet's taken for the gemeente on the peildatum carries out the
step. From the steps:

- ``organisaties``: the distinct organisations over all steps;
- ``overdrachten`` (hand-overs): for each pair of consecutive steps of the journey
  itself (not those behind the scenes) that both have an uitvoerder, the
  organisations of the later step that were not in the earlier one; the client is
  handed over to each of them;
- ``gaten``: steps without any uitvoerder: their state is *onbekend* (no data);
- ``dubbel``: steps where one taak is executed by two or more organisations.

Every uitvoering has its state (bevestigd, afgeleid, aangenomen; :mod:`sdgraph.matrix`),
with the rule and evidence of a derived one; a step has the strongest state of its
uitvoeringen, or *onbekend*.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rdflib.term import Identifier

from .matrix import STATES, strongest
from .output import text

Row = Mapping[str, Identifier | None]

#: Deelgebieden whose steps happen behind the scenes: no hand-over of the client.
ACHTER_DE_SCHERMEN = frozenset({"https://w3id.org/sdgraph/id/deelgebied/governance",
                                "https://w3id.org/sdgraph/id/deelgebied/visie-en-beleid"})


@dataclass(frozen=True)
class Ingang:
    """Where the client comes in, and at which step (its ``volgorde``)."""

    iri: str
    naam: str
    toelichting: str
    stap: int


@dataclass(frozen=True)
class Uitvoering:
    taak: str
    taakNaam: str
    uitvoerder: str
    uitvoerderNaam: str
    arrangementtype: str = ""
    via: str = ""
    viaNaam: str = ""
    illustratief: bool = False
    status: str = "bevestigd"
    regel: str = ""
    bewijs: str = ""
    taakuitvoering: str = ""

    @property
    def regel_id(self) -> str:
        return self.regel.rsplit("/", 1)[-1] if self.regel else ""


@dataclass
class Stap:
    volgorde: int
    iri: str
    naam: str
    deelgebied: str
    deelgebiedNaam: str
    uitvoeringen: list[Uitvoering] = field(default_factory=list)

    @property
    def achter_de_schermen(self) -> bool:
        """True for sturing and beleid: the client does not pass through them."""
        return self.deelgebied in ACHTER_DE_SCHERMEN

    @property
    def status(self) -> str:
        """bevestigd, afgeleid, aangenomen (the strongest of its uitvoeringen) or onbekend."""
        return strongest(u.status for u in self.uitvoeringen)

    @property
    def uitvoerders(self) -> dict[str, str]:
        """The organisations of this step, IRI -> name, in first-seen order."""
        return {u.uitvoerder: u.uitvoerderNaam or u.uitvoerder for u in self.uitvoeringen}

    @property
    def dubbel(self) -> list[str]:
        """Taken of this step that two or more organisations execute."""
        seen: dict[str, set[str]] = {}
        for u in self.uitvoeringen:
            seen.setdefault(u.taakNaam or u.taak, set()).add(u.uitvoerder)
        return sorted(t for t, orgs in seen.items() if len(orgs) > 1)


@dataclass
class Overdracht:
    """The client handed over after step ``van_stap`` to ``naar`` for step ``naar_stap``
    (``van``: the organisations of the earlier step)."""

    van_stap: int
    naar_stap: int
    naar: str
    naarNaam: str
    van: dict[str, str] = field(default_factory=dict)


@dataclass
class Klantreis:
    stappen: list[Stap]
    ingangen: list[Ingang] = field(default_factory=list)

    @property
    def reis(self) -> list[Stap]:
        """The steps the client passes through (not those behind the scenes)."""
        return [s for s in self.stappen if not s.achter_de_schermen]

    @property
    def achter(self) -> list[Stap]:
        return [s for s in self.stappen if s.achter_de_schermen]

    def stap(self, volgorde: int) -> Stap | None:
        return next((s for s in self.stappen if s.volgorde == volgorde), None)

    @property
    def organisaties(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for stap in self.stappen:
            out.update(stap.uitvoerders)
        return out

    @property
    def overdrachten(self) -> list[Overdracht]:
        result = []
        previous: Stap | None = None
        for stap in self.reis:
            if not stap.uitvoeringen:
                continue
            if previous is not None:
                before = previous.uitvoerders
                result += [
                    Overdracht(previous.volgorde, stap.volgorde, iri, naam, before)
                    for iri, naam in stap.uitvoerders.items()
                    if iri not in before
                ]
            previous = stap
        return result

    @property
    def gaten(self) -> list[Stap]:
        return [s for s in self.stappen if not s.uitvoeringen]

    @property
    def dubbel(self) -> list[tuple[Stap, str]]:
        """(step, taak) executed by two or more organisations, once per deelgebied (toegang
        and indicatie share one)."""
        seen: set[tuple[str, str]] = set()
        out = []
        for s in self.stappen:
            for taak in s.dubbel:
                if (s.deelgebied, taak) not in seen:
                    seen.add((s.deelgebied, taak))
                    out.append((s, taak))
        return out

    def summary(self) -> dict[str, int]:
        """Counts of the klantreis; ``gaten`` are the steps whose state is onbekend."""
        return {
            "stappen": len(self.stappen),
            "organisaties": len(self.organisaties),
            "overdrachten": len(self.overdrachten),
            "gaten": len(self.gaten),
            "dubbel": len(self.dubbel),
            **{f"stappen {state}": sum(1 for s in self.stappen if s.status == state)
               for state in STATES},
        }


def ingangen(rows: Iterable[Row]) -> list[Ingang]:
    """The entry points from the rows of the query ``klantreis-ingangen``."""
    return [Ingang(text(r["ingang"]), text(r.get("naam")), text(r.get("toelichting")),
                   int(text(r["stapVolgorde"]))) for r in rows]


def klantreis(rows: Iterable[Row], entries: Iterable[Ingang] = ()) -> Klantreis:
    """Group the query's rows (one per step x uitvoering; a gap has no uitvoerder) into steps."""
    stappen: dict[str, Stap] = {}
    for row in rows:
        iri = text(row["stap"])
        stap = stappen.get(iri)
        if stap is None:
            stap = stappen[iri] = Stap(
                volgorde=int(text(row["volgorde"])),
                iri=iri,
                naam=text(row.get("stapNaam")),
                deelgebied=text(row.get("deelgebied")),
                deelgebiedNaam=text(row.get("deelgebiedNaam")),
            )
        if row.get("uitvoerder") is not None:
            uitvoering = Uitvoering(
                taak=text(row.get("taak")),
                taakNaam=text(row.get("taakNaam")),
                uitvoerder=text(row["uitvoerder"]),
                uitvoerderNaam=text(row.get("uitvoerderNaam")),
                arrangementtype=text(row.get("arrangementtype")),
                via=text(row.get("via")),
                viaNaam=text(row.get("viaNaam")),
                illustratief=text(row.get("illustratief")).lower() == "true",
                status=text(row.get("status")) or "bevestigd",
                regel=text(row.get("regel")),
                bewijs=text(row.get("bewijs")),
                taakuitvoering=text(row.get("taakuitvoering")),
            )
            if uitvoering not in stap.uitvoeringen:
                stap.uitvoeringen.append(uitvoering)
    return Klantreis(sorted(stappen.values(), key=lambda s: s.volgorde), list(entries))
