"""Map pages: a national map of a regio-indeling, of one GR's member area, of a key
figure or of the fragmentation ranking, each with a table beside it and downloadable
as SVG, GeoJSON, CSV and JSON (the maps themselves: :mod:`sdgraph.maps`)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from .. import maps
from ..errors import UserError
from ..output import text
from ..runner import Runner
from .base import Page
from .foto import figuren

SOORTEN = ("indeling", "regeling", "kerncijfer", "fragmentatie")
#: Fragmentation figures a map can show (column of query fragmentatie -> label).
FRAGMENTATIE = {"partnersets": "Aantal partnersets", "arrangementen": "Aantal arrangementen",
                "congruentie": "Congruentie van de partners per wet"}


@dataclass
class KaartPage(Page):
    soort: str
    resultaat: maps.KaartMetTabel | None
    keuzes: dict[str, list[tuple[str, str]]]  # form choices: name -> (value, label)
    params: dict[str, str] = field(default_factory=dict)
    melding: str = ""

    view = "kaart"
    template = "kaart.html"
    formats: ClassVar[tuple[str, ...]] = ("json", "csv", "svg", "geojson")

    def to_dict(self) -> dict[str, Any]:
        r = self.resultaat
        if r is None:
            return {"melding": self.melding}
        return {"titel": r.kaart.titel, "notities": r.notities, "kolommen": r.kolommen,
                "rijen": r.rijen, "bron": maps.kaart.ATTRIBUTION}

    def to_csv(self) -> str:
        out = io.StringIO()
        if self.resultaat is not None:
            writer = csv.DictWriter(out, fieldnames=self.resultaat.kolommen,
                                    extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
            writer.writerows(self.resultaat.rijen)
        return out.getvalue()

    def render(self, fmt: str) -> str:
        if self.resultaat is None:
            raise UserError(self.melding or "geen kaart")
        return self.resultaat.kaart.svg() if fmt == "svg" else self.resultaat.kaart.geojson()

    def filename(self, fmt: str) -> str:
        return f"kaart-{self.soort}.{fmt}"

    def context(self) -> dict[str, Any]:
        return {"page": self, "resultaat": self.resultaat, "soort": self.soort,
                "keuzes": self.keuzes, "values": self.params, "melding": self.melding}


def _indelingen(run: Runner) -> list[tuple[str, str]]:
    return [(text(r["indeling"]), text(r["naam"])) for r in run("indelingen", {})
            if text(r.get("vocabulaire")) in ("true", "1")]


def page(run: Runner, folder: Path | None, soort: str | None, values: dict[str, str | None],
         lang: str = "nl") -> KaartPage:
    """The map ``soort`` with ``values`` (peildatum, indeling, gr, gemeente, maatstaf, maat)."""
    soort = soort or "indeling"
    if soort not in SOORTEN:
        raise UserError(f"geen kaart van soort {soort!r} (bekend: {', '.join(SOORTEN)})")
    peildatum = _dag(values.get("peildatum"))
    indelingen = _indelingen(run)
    keuzes: dict[str, list[tuple[str, str]]] = {"indeling": indelingen,
                                                "maat": list(FRAGMENTATIE.items())}
    params = {"soort": soort, "peildatum": peildatum}
    try:
        if soort == "indeling":
            iri = values.get("indeling") or (indelingen[0][0] if indelingen else "")
            naam = dict(indelingen).get(iri, iri)
            params["indeling"] = iri
            result = maps.indeling(run, folder, iri, naam, peildatum)
        elif soort == "regeling":
            iri = values.get("gr") or ""
            if not iri:
                raise UserError("kies een gemeenschappelijke regeling (?gr=IRI)")
            info = run("organisatie", {"organisatie": iri})
            naam = text(info[0].get("naam")) if info else iri
            params["gr"] = iri
            result = maps.regeling(run, folder, iri, naam or iri, peildatum)
        elif soort == "kerncijfer":
            gemeente = values.get("gemeente") or "GM0823"
            kerncijfers = run("kerncijfers", {"gemeente": gemeente})
            figs = list(figuren(run, kerncijfers))
            keuzes["maatstaf"] = [(f.maatstaf, f"{f.naam} ({f.periode})") for f in figs]
            chosen = next((f for f in figs if f.maatstaf == values.get("maatstaf")),
                          figs[0] if figs else None)
            if chosen is None:
                raise UserError("geen kerncijfers in de graaf (bouw de referentiegraaf met de "
                                "CBS-bronnen)")
            params.update(gemeente=gemeente, maatstaf=chosen.maatstaf)
            eenheid = {1: "per inwoner", 1000: "per 1.000 inwoners"}.get(chosen.per or 0, "")
            hoe = eenheid or "zoals gepubliceerd"
            result = maps.waarden(run, folder, peildatum,
                                  {k: w.waarde for k, w in chosen.waarden.items()},
                                  f"{chosen.naam} ({chosen.periode})",
                                  f"{chosen.naam}, {chosen.periode}, {hoe}, per gemeente "
                                  f"(CBS, dataset {chosen.dataset}).", eenheid)
        else:
            maat = values.get("maat") or "partnersets"
            if maat not in FRAGMENTATIE:
                raise UserError(f"geen maat {maat!r} (bekend: {', '.join(FRAGMENTATIE)})")
            params["maat"] = maat
            rows = run("fragmentatie", {"peildatum": peildatum})
            vals = {text(r["gemeente"]): float(text(r[maat])) for r in rows
                    if r.get(maat) is not None}
            result = maps.waarden(run, folder, peildatum, vals,
                                  f"Fragmentatie: {FRAGMENTATIE[maat].lower()} op {peildatum}",
                                  f"{FRAGMENTATIE[maat]} per gemeente op {peildatum} (query "
                                  "fragmentatie: arrangementen in het sociaal domein).")
    except maps.GeenGrenzen as exc:
        return KaartPage(soort, None, keuzes, params, f"Geen kaart: {exc}.")
    return KaartPage(soort, result, keuzes, params)


@dataclass
class GemeenteKaart(Page):
    """The map of one gemeente with its regio's and GRs (gemeente page, foto)."""

    code: str
    resultaat: maps.KaartMetTabel
    params: dict[str, str] = field(default_factory=dict)

    view = "gemeente-kaart"
    formats: ClassVar[tuple[str, ...]] = ("json", "csv", "svg", "geojson")
    to_dict = KaartPage.to_dict
    to_csv = KaartPage.to_csv
    render = KaartPage.render

    @property
    def melding(self) -> str:
        return ""

    def filename(self, fmt: str) -> str:
        return f"kaart-{self.code}.{fmt}"


def _dag(peildatum: str | None) -> str:
    """The peildatum asked (today when empty); anything but a date is a UserError."""
    peildatum = peildatum or date.today().isoformat()
    try:
        date.fromisoformat(peildatum)
    except ValueError:
        raise UserError(f"peildatum {peildatum!r} is geen datum (JJJJ-MM-DD)") from None
    return peildatum


def gemeente(run: Runner, folder: Path | None, code: str, peildatum: str) -> GemeenteKaart:
    peildatum = _dag(peildatum)
    return GemeenteKaart(code, maps.gemeente(run, folder, code, peildatum),
                         {"gemeente": code, "peildatum": peildatum})


def overlap(run: Runner, folder: Path | None, a: tuple[str, str], b: tuple[str, str],
            peildatum: str) -> GemeenteKaart:
    peildatum = _dag(peildatum)
    return GemeenteKaart("overlap", maps.overlap(run, folder, a, b, peildatum),
                         {"indelingA": a[0], "indelingB": b[0], "peildatum": peildatum})
