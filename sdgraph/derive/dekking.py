"""How much of "wie doet wat" is known, nationally: per gemeente the cells per state.

:func:`dekking` runs the named query ``dekking`` (cached per store version) and sums
it up: for each state (bevestigd, afgeleid, aangenomen, onbekend) the number of cells in
all, the number of gemeenten with at least one such cell, and the minimum, median and
maximum per gemeente. The home page and docs/baseline.md show it.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from rdflib.term import Identifier

from ..matrix import STATES
from ..output import text

Row = Mapping[str, Identifier | None]
Runner = Callable[[str, Mapping[str, str | None]], list[Row]]


@dataclass
class Staat:
    """One state over all gemeenten."""

    naam: str
    vakken: int  # cells in all
    gemeenten: int  # gemeenten with at least one such cell
    minimum: int
    mediaan: float
    maximum: int


@dataclass
class Dekking:
    peildatum: str
    gemeenten: int
    vakken_per_gemeente: int
    staten: list[Staat]
    rijen: list[dict[str, str | int]] = field(default_factory=list)

    @property
    def totaal(self) -> int:
        return self.gemeenten * self.vakken_per_gemeente

    @property
    def met_inventaris(self) -> int:
        """Gemeenten with at least one confirmed (inventoried) cell."""
        return sum(1 for r in self.rijen if r["bevestigd"])

    @property
    def alleen_afgeleid(self) -> int:
        """Gemeenten whose known cells all come from the baseline (no inventory)."""
        return sum(1 for r in self.rijen
                   if not r["bevestigd"] and (r["afgeleid"] or r["aangenomen"]))

    def to_dict(self) -> dict:
        return {"peildatum": self.peildatum, "gemeenten": self.gemeenten,
                "vakken_per_gemeente": self.vakken_per_gemeente,
                "staten": [vars(s) for s in self.staten], "per_gemeente": self.rijen}


def dekking(run: Runner, peildatum: str) -> Dekking:
    rows = run("dekking", {"peildatum": peildatum})
    rijen = [{"gemeente": text(r["gemeente"]), "code": text(r.get("code")),
              "naam": text(r.get("naam")),
              **{s: int(text(r.get(s)) or 0) for s in STATES}} for r in rows]
    vakken = int(text(rows[0].get("vakken")) or 0) if rows else 0
    staten = []
    for s in STATES:
        values = [int(r[s]) for r in rijen]
        staten.append(Staat(
            naam=s, vakken=sum(values), gemeenten=sum(1 for v in values if v),
            minimum=min(values, default=0), mediaan=statistics.median(values) if values else 0,
            maximum=max(values, default=0)))
    return Dekking(peildatum, len(rijen), vakken, staten, rijen)
