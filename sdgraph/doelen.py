"""A gemeente's goals (sd:Doel) beside the measured values of their kerncijfer, and
whether each is on track.

A goal names a kerncijfer (``sd:indicator``), a target value and date, the day it was
set (``sd:geldigVanaf``) and its source document; it is entered through the inventory
(sheet "Doelen", or Turtle) and loaded with the gemeente's inventory. Its status
(docs/foto.md, "Doelen"):

* the starting point is the measured value of the period that holds the day the goal
  was set (else the last period before it; without that day, or without a period
  before it, the first period with a value); for an Iv3 kerncijfer only jaarrekeningen
  (actual figures) count as measurements;
* the latest measurement is the last period with a value after the starting point;
* *behaald*: the latest value has reached the target (in the direction from the start);
* *niet gehaald*: the target date has passed (on the peildatum) and it has not;
* *op koers*: it is at least as far as a straight line from the starting value (at the
  end of its period) to the target (on the target date) is at the end of the latest
  period; *achter op schema*: moving the right way, but less far; *verkeerde kant op*:
  further from the target than at the start;
* *geen meting*: no value at all, or none after the starting point.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from rdflib.term import Identifier

from .i18n import N_, gettext
from .kerncijfers import getal
from .output import text
from .tijdreeks import Punt, Reeks

Row = Mapping[str, Identifier | None]

STATUSSEN = {
    "behaald": N_("behaald"),
    "op-koers": N_("op koers"),
    "achter": N_("achter op schema"),
    "verkeerde-kant": N_("verkeerde kant op"),
    "niet-gehaald": N_("niet gehaald"),
    "geen-meting": N_("geen meting na de start"),
    "onbekend-kerncijfer": N_("onbekend kerncijfer"),
}


@dataclass
class Doel:
    iri: str
    naam: str
    indicator: str  # kerncijfer id
    streefwaarde: float | None
    streefdatum: str
    vastgesteld: str
    bron_document: str
    bron_url: str
    illustratief: bool
    graaf: str


@dataclass
class DoelStatus:
    doel: Doel
    reeks: Reeks | None
    start: Punt | None
    laatste: Punt | None
    verwacht: float | None  # on the straight line, at the end of the latest period
    status: str

    def fmt(self, value: float | None, lang: str = "nl") -> str:
        """A value in the kerncijfer's format."""
        return getal(value, self.reeks.definitie.decimalen if self.reeks else 1, lang)

    def status_tekst(self, lang: str = "nl") -> str:
        return gettext(STATUSSEN[self.status], lang)

    def to_dict(self) -> dict:
        def point(p: Punt | None) -> dict | None:
            return None if p is None else {"periode": p.periode.periode,
                                           "soort": p.periode.soort, "waarde": p.waarde}

        return {"doel": self.doel.iri, "naam": self.doel.naam, "indicator": self.doel.indicator,
                "streefwaarde": self.doel.streefwaarde, "streefdatum": self.doel.streefdatum,
                "vastgesteld": self.doel.vastgesteld or None,
                "brondocument": self.doel.bron_document, "bron_url": self.doel.bron_url or None,
                "illustratief": self.doel.illustratief, "graaf": self.doel.graaf,
                "start": point(self.start), "laatste": point(self.laatste),
                "verwacht": self.verwacht, "status": self.status}


def doelen(rows: list[Row]) -> list[Doel]:
    out = []
    for r in rows:
        try:
            target = float(text(r.get("streefwaarde"))) if r.get("streefwaarde") else None
        except ValueError:
            target = None
        out.append(Doel(
            iri=text(r["doel"]), naam=text(r.get("naam")) or text(r["doel"]),
            indicator=text(r.get("indicatorId")) or text(r.get("indicator")).rsplit("/", 1)[-1],
            streefwaarde=target, streefdatum=text(r.get("streefdatum")),
            vastgesteld=text(r.get("vastgesteld")), bron_document=text(r.get("bronDocument")),
            bron_url=text(r.get("bronDocumentUrl")),
            illustratief=text(r.get("illustratief")).lower() == "true", graaf=text(r.get("graaf"))))
    return out


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def status(doel: Doel, reeks: Reeks | None, peildatum: str) -> DoelStatus:
    """How ``doel`` stands on ``peildatum`` by the values of ``reeks`` (its kerncijfer)."""
    if reeks is None:
        return DoelStatus(doel, None, None, None, None, "onbekend-kerncijfer")
    points = [p for p in reeks.met_waarde
              if not reeks.definitie.iv3 or p.periode.soort == "jaarrekening"]
    set_on = _day(doel.vastgesteld)
    before = [p for p in points if set_on is not None and p.periode.begin <= set_on]
    start = before[-1] if before else (points[0] if points else None)
    later = [p for p in points if start is not None and p.periode > start.periode]
    latest = later[-1] if later else None
    target, due, today = doel.streefwaarde, _day(doel.streefdatum), _day(peildatum)
    if start is None or latest is None or target is None or due is None:
        return DoelStatus(doel, reeks, start, latest, None, "geen-meting")
    begin_value, value = start.waarde or 0.0, latest.waarde or 0.0
    direction = (target > begin_value) - (target < begin_value)
    span = (due - start.periode.eind).days
    fraction = 1.0 if span <= 0 else min(
        1.0, max(0.0, (latest.periode.eind - start.periode.eind).days / span))
    expected = begin_value + (target - begin_value) * fraction
    if direction == 0:
        state = "behaald" if abs(value - target) <= 0.02 * abs(target or 1) else (
            "niet-gehaald" if today and today > due else "achter")
    elif (value - target) * direction >= 0:
        state = "behaald"
    elif today is not None and today > due:
        state = "niet-gehaald"
    elif (value - begin_value) * direction < 0:
        state = "verkeerde-kant"
    elif (value - expected) * direction >= 0:
        state = "op-koers"
    else:
        state = "achter"
    return DoelStatus(doel, reeks, start, latest, expected, state)
