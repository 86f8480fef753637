"""Comparable gemeenten (the vergelijkingsgroep of the foto), by size and urbanisation.

The rule (docs/foto.md, "Vergelijkbare gemeenten"):

1. The classes of a gemeente are its ``Gemeentegrootte`` and ``Stedelijkheid`` in the
   latest Iv3 file that has them (the importer keeps them per file as class observations;
   query ``foto/klassen``). Every gemeente is classed from that same file, so the group
   does not change from one period of a series to the next.
2. Its group is every gemeente with both the same size class and the same urbanisation
   class in that file, itself included.
3. When that group has fewer than :data:`MINIMUM` other gemeenten, the group is every
   gemeente of the same size class (any urbanisation), and the foto says so.
4. A user may name the group instead (a list of GM codes): then that list, with the
   gemeente itself added.

The rank of a gemeente in its group is its place among the group's values of a
kerncijfer in a period, 1 being the highest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from rdflib.term import Identifier

from .i18n import N_
from .kerncijfers import NAAR_INVOER
from .output import text

Row = Mapping[str, Identifier | None]
Runner = Callable[[str, Mapping[str, str | None]], list[Row]]

#: The fewest gemeenten besides the gemeente itself that make a comparison group (and a
#: comparison regio) worth a median.
MINIMUM = 3


@dataclass(frozen=True)
class Klasse:
    iri: str
    naam: str
    orde: int


@dataclass(frozen=True)
class Klassen:
    """A gemeente's size and urbanisation class, and the Iv3 file they come from."""

    grootte: Klasse | None
    stedelijkheid: Klasse | None
    dataset: str
    boekjaar: str


def alle_klassen(run: Runner) -> dict[str, Klassen]:
    """Every gemeente's classes from the latest Iv3 file that classes it (kept per
    language while the data ``foto/klassen`` reads is unchanged)."""
    lang = getattr(run, "lang", "nl")
    return NAAR_INVOER.get(run, ("foto/klassen",), ("klassen", lang),
                           lambda: _alle_klassen(run))


def _alle_klassen(run: Runner) -> dict[str, Klassen]:
    per: dict[str, dict[tuple[str, int, str], dict[str, Klasse]]] = {}
    for r in run("foto/klassen", {}):
        gemeente, dataset = text(r["gemeente"]), text(r["dataset"])
        boekjaar = text(r.get("boekjaar")) or dataset.split("-")[1]
        key = (boekjaar, 1 if text(r.get("soort")) == "jaarrekening" else 0, dataset)
        try:
            orde = int(text(r.get("orde")) or 0)
        except ValueError:
            orde = 0
        per.setdefault(gemeente, {}).setdefault(key, {})[text(r["maatstaf"])] = Klasse(
            text(r["klasse"]), text(r.get("naam")) or text(r["klasse"]).rsplit("/", 1)[-1],
            orde)
    out = {}
    for gemeente, files in per.items():
        (boekjaar, _, dataset), found = max(files.items(), key=lambda kv: kv[0])
        out[gemeente] = Klassen(found.get("gemeentegrootte"), found.get("stedelijkheid"),
                                dataset, boekjaar)
    return out


#: How a group was formed.
SOORTEN = {
    "klassen": N_("gemeenten met dezelfde gemeentegrootte ({grootte}) en stedelijkheid "
                  "({stedelijkheid}) in {bron}"),
    "grootte": N_("gemeenten met dezelfde gemeentegrootte ({grootte}) in {bron}, van elke "
                  "stedelijkheid"),
    "eigen": N_("een eigen keuze van gemeenten"),
    "geen": N_("geen vergelijkbare gemeenten bekend"),
}


@dataclass
class Groep:
    """The comparable gemeenten of one gemeente (itself included)."""

    gemeente: str
    soort: str  # klassen | grootte | eigen | geen
    leden: list[str] = field(default_factory=list)
    klassen: Klassen | None = None
    terugval: bool = False  # the size-and-urbanisation group was too small
    klein: int = 0  # how many others that group had, when it fell back
    onbekend: list[str] = field(default_factory=list)  # user's codes not found

    @property
    def anderen(self) -> list[str]:
        return [g for g in self.leden if g != self.gemeente]

    def omschrijving_waarden(self) -> dict[str, str]:
        k = self.klassen
        return {
            "grootte": k.grootte.naam if k and k.grootte else "",
            "stedelijkheid": k.stedelijkheid.naam if k and k.stedelijkheid else "",
            "bron": f"Iv3 {k.dataset.split('-', 2)[-1]} {k.boekjaar}" if k else "",
        }


def groep(klassen: Mapping[str, Klassen], gemeente: str,
          eigen: Iterable[str] | None = None, bekend: Iterable[str] = ()) -> Groep:
    """The comparison group of ``gemeente`` (IRI); ``eigen``: IRIs the user chose (those
    not in ``bekend``, the gemeenten the store knows, are reported in ``onbekend``)."""
    own = klassen.get(gemeente)
    chosen = list(dict.fromkeys(eigen or []))
    if chosen:
        known = set(bekend) | set(klassen)
        leden = [gemeente] + [g for g in chosen if g != gemeente and g in known]
        return Groep(gemeente, "eigen", leden, own,
                     onbekend=[g for g in chosen if g not in known])
    if own is None or own.grootte is None:
        return Groep(gemeente, "geen", [gemeente], own)
    same_size = sorted(g for g, k in klassen.items()
                       if k.dataset == own.dataset and k.grootte == own.grootte)
    if own.stedelijkheid is not None:
        both = [g for g in same_size if klassen[g].stedelijkheid == own.stedelijkheid]
        if len(both) - 1 >= MINIMUM:
            return Groep(gemeente, "klassen", both, own)
        return Groep(gemeente, "grootte", same_size, own, terugval=True, klein=len(both) - 1)
    return Groep(gemeente, "grootte", same_size, own)


def positie(waarden: Mapping[str, float], gemeente: str) -> tuple[int | None, int]:
    """(rank of ``gemeente`` among ``waarden``, 1 = highest; number with a value)."""
    ranked = sorted(waarden.items(), key=lambda kv: (-kv[1], kv[0]))
    rank = next((i for i, (g, _) in enumerate(ranked, start=1) if g == gemeente), None)
    return rank, len(ranked)
