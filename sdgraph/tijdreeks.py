"""One gemeente's key figures over time, beside the national median and its comparison
group, and the change since a chosen date (the start of the college period) in words.

A :class:`Reeks` has one :class:`Punt` per period of the national series
(:func:`sdgraph.kerncijfers.landelijk`): the gemeente's value (or None), the national
median, the median of the comparison group and of the comparison regio (each over the
members with a value, the gemeente included), and the ranks.
:func:`verandering` compares two points of the series: the period that holds the start
date (else the last before it, else the first, which it then says) and the latest
period with a value; Iv3 series compare begrotingen with begrotingen and jaarrekeningen
with jaarrekeningen (the kind with the most periods).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from .i18n import N_, format_percent, gettext
from .kerncijfers import Bron, Definitie, Periode, Verdeling
from .vergelijkingsgroep import positie


@dataclass
class Punt:
    periode: Periode
    waarde: float | None
    mediaan: float | None  # national
    aantal: int  # gemeenten with a value nationally
    rang: int | None  # nationally, 1 = highest
    groep_mediaan: float | None = None
    groep_rang: int | None = None
    groep_aantal: int = 0
    regio_mediaan: float | None = None
    codes: tuple[str, ...] = ()
    bron: Bron | None = None


def _median(values: Iterable[float]) -> float | None:
    values = list(values)
    return statistics.median(values) if values else None


def punt(verdeling: Verdeling, gemeente: str, groep: Iterable[str], regio: Iterable[str],
         bron: Bron | None = None) -> Punt:
    waarden = verdeling.waarden
    in_groep = {g: waarden[g] for g in groep if g in waarden}
    rank, count = positie(in_groep, gemeente) if gemeente in in_groep else (None, len(in_groep))
    return Punt(verdeling.periode, waarden.get(gemeente), verdeling.mediaan, verdeling.aantal,
                verdeling.rangen.get(gemeente), _median(in_groep.values()), rank, count,
                _median(waarden[g] for g in regio if g in waarden), verdeling.codes, bron)


@dataclass
class Verandering:
    """The change of a kerncijfer between two periods, for the gemeente, the country and
    the comparison group."""

    van: Punt
    tot: Punt
    eerste_beschikbaar: bool  # no period at or before the start date: the first one

    @staticmethod
    def _pct(a: float | None, b: float | None) -> float | None:
        if a is None or b is None or a == 0:
            return None
        return (b - a) / abs(a)

    @property
    def procent(self) -> float | None:
        return self._pct(self.van.waarde, self.tot.waarde)

    @property
    def landelijk(self) -> float | None:
        return self._pct(self.van.mediaan, self.tot.mediaan)

    @property
    def groep(self) -> float | None:
        return self._pct(self.van.groep_mediaan, self.tot.groep_mediaan)


def _signed(value: float | None, lang: str) -> str:
    """+11%, −4%, ±0% (rounded to whole percents); – when there is no change to compute."""
    if value is None:
        return "–"
    if round(value * 100) == 0:
        return "±" + format_percent(0, lang, 0)
    return ("+" if value > 0 else "−") + format_percent(abs(value), lang, 0)


ZIN = N_("{naam}: {van} → {tot} ({verschil}; landelijk {landelijk}, vergelijkbare gemeenten "
         "{groep}), {periode_van} → {periode_tot}")
#: The notes of a change in words, by key (:meth:`Reeks.noten`).
NOTEN = {
    "eerste": N_("geen cijfer van vóór de start: vanaf de eerste periode in de bronnen"),
    "taakvelden": N_("vanaf 2025 een nieuwe indeling in taakvelden; zie de toelichting bij het "
                     "kerncijfer"),
}


@dataclass
class Reeks:
    """One kerncijfer of one gemeente over every period in the sources."""

    definitie: Definitie
    punten: list[Punt] = field(default_factory=list)

    @property
    def met_waarde(self) -> list[Punt]:
        return [p for p in self.punten if p.waarde is not None]

    def soort_punten(self) -> list[Punt]:
        """The points of the kind with the most values (Iv3: begroting or jaarrekening)."""
        kinds: dict[str, list[Punt]] = {}
        for p in self.met_waarde:
            kinds.setdefault(p.periode.soort, []).append(p)
        if not kinds:
            return []
        return max(kinds.values(), key=lambda ps: (len(ps), ps[-1].periode))

    def kop(self) -> Punt | None:
        """The point the headline shows: for Iv3 the latest jaarrekening (actual figures)
        with a value, else the latest point with a value (else the latest point)."""
        with_value = self.met_waarde
        if self.definitie.iv3:
            actual = [p for p in with_value if p.periode.soort == "jaarrekening"]
            if actual:
                return actual[-1]
        if with_value:
            return with_value[-1]
        return self.punten[-1] if self.punten else None

    def verandering(self, sinds: str | date) -> Verandering | None:
        """The change from the period that holds ``sinds`` to the latest with a value."""
        start = date.fromisoformat(sinds) if isinstance(sinds, str) else sinds
        points = self.soort_punten()
        if len(points) < 2:
            return None
        before = [p for p in points if p.periode.begin <= start]
        first = before[-1] if before else points[0]
        last = points[-1]
        if last is first:
            return None
        return Verandering(first, last, not before)

    def zin(self, sinds: str | date, lang: str = "nl") -> str | None:
        """The change in words: "Wmo-cliënten per 1.000 inwoners: 64 → 71 (+11%; landelijk
        +6%, vergelijkbare gemeenten +4%), 2022, 1e halfjaar → 2024, 1e halfjaar"."""
        v = self.verandering(sinds)
        if v is None:
            return None
        d = self.definitie
        zin = gettext(
            ZIN, lang, naam=d.naam, van=d.getal(v.van.waarde, lang),
            tot=d.getal(v.tot.waarde, lang),
            verschil=_signed(v.procent, lang), landelijk=_signed(v.landelijk, lang),
            groep=_signed(v.groep, lang), periode_van=v.van.periode.label(lang),
            periode_tot=v.tot.periode.label(lang))
        return zin

    def noten(self, sinds: str | date) -> list[str]:
        """What the reader of :meth:`zin` must know: ``eerste`` (no period before the start,
        the change runs from the first), ``taakvelden`` (an Iv3 change across the new
        taakvelden of 2025)."""
        v = self.verandering(sinds)
        if v is None:
            return []
        out = ["eerste"] if v.eerste_beschikbaar else []
        if self.definitie.iv3 and v.van.periode.jaar < 2025 <= v.tot.periode.jaar:
            out.append("taakvelden")
        return out


def reeks(definitie: Definitie, verdelingen: list[Verdeling], gemeente: str,
          groep: Iterable[str], regio: Iterable[str],
          bronnen: dict[str, Bron] | None = None) -> Reeks:
    groep, regio = list(groep), list(regio)
    bronnen = bronnen or {}
    return Reeks(definitie, [punt(v, gemeente, groep, regio, bronnen.get(v.periode.dataset))
                             for v in verdelingen])
