"""The "foto van het sociaal domein" of one gemeente: what a new college needs, as a page
and as a dossier (PDF, Word: :mod:`sdgraph.dossier`).

It combines named queries (run through a ``Runner``, so the CLI and the web compute the
same foto):

- partners per wet and deelgebied (``wie-doet-wat``: the organisations other than the
  gemeente itself that execute a taak), each with the taken it does there, the
  arrangement behind it and its state from the baseline (bevestigd by an inventory,
  afgeleid with rule and evidence, aangenomen; :func:`~sdgraph.matrix.partner_matrix`),
  and per wet and deelgebied the taken the gemeente does itself and those of which
  nothing is known (:class:`WetCel`), with the possible double work of the matrix; a
  foto of a gemeente without inventory is its derived picture (``afgeleid_beeld``);
- the contracts running on the peildatum (``contracten``), those ending in the coming
  months with their latest notice date (``aflopende-contracten``);
- what changed since the start of the college period (``sinds``, by default the day of
  the last gemeenteraadsverkiezingen on or before the peildatum): the events between the
  two days (``wijzigingen``) and the difference between the state on each, in words
  (:mod:`sdgraph.veranderingen`);
- the kerncijfers (:mod:`sdgraph.kerncijfers`) over every period in the sources, beside
  the national median, the comparable gemeenten (:mod:`sdgraph.vergelijkingsgroep`) and
  a regio of at least three other gemeenten, each value with its source and period, and
  the change since the start of the college period in words (:mod:`sdgraph.tijdreeks`);
- the gemeente's goals with their measured values and status (:mod:`sdgraph.doelen`);
- the gemeente's map with its regio's and GRs (:mod:`sdgraph.maps`) for the dossier,
  when the sources folder has the boundaries;
- the sources: every dataset and loaded graph behind the foto, with date and licence.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib.term import Identifier

from ..doelen import DoelStatus, doelen, status
from ..grafiek import legenda, punt_index, svg
from ..i18n import N_, gettext
from ..kerncijfers import (
    Bron,
    Definitie,
    Landelijk,
    bronnen,
    definities,
    getal,
    landelijk,
    taakvelden,
)
from ..matrix import STATES, Entry, Matrix, gemeente_matrix, partner_matrix
from ..output import text
from ..tijdreeks import NOTEN, Punt, Reeks, reeks
from ..veranderingen import Veranderingen, veranderingen
from ..vergelijkingsgroep import MINIMUM, SOORTEN, Groep, alle_klassen, groep
from .base import Page
from .gemeente import Gemeente

Row = Mapping[str, Identifier | None]
#: What the foto runs its queries with (a :class:`~sdgraph.runner.Runner` is one).
Runner = Callable[[str, Mapping[str, str | None]], list[Row]]

#: Which regio-indeling to compare with when none is chosen, in order of preference.
PREFERRED_INDELINGEN = ("jeugdregio", "arbeidsmarktregio", "wmo-regio", "centrumgemeente-bw-mo")
#: Days of the gemeenteraadsverkiezingen; a college period starts with one.
VERKIEZINGEN = ("2006-03-07", "2010-03-03", "2014-03-19", "2018-03-21", "2022-03-16",
                "2026-03-18")
#: Contracts ending within this many months of the peildatum are listed as ending.
MAANDEN = 24

#: The four states of the baseline (docs/baseline.md) in words, for the page's language.
STAAT_TEKST = {"bevestigd": N_("bevestigd"), "afgeleid": N_("afgeleid"),
               "aangenomen": N_("aangenomen"), "onbekend": N_("onbekend")}


@dataclass
class Waarde:
    gemeente: str
    code: str
    naam: str
    waarde: float


@dataclass
class Vergelijking:
    """One kerncijfer of the gemeente in its headline period, beside the national median,
    the comparable gemeenten and its regio, with its source and the whole series."""

    maatstaf: str  # the kerncijfer's id
    naam: str
    dataset: str
    periode: str
    per: int | None  # None: as published; 1: per inwoner; 1000: per 1,000 inwoners
    waarde: float | None
    mediaan: float | None
    aantal: int
    rang: int | None  # 1 = highest value nationally
    regio: list[Waarde] = field(default_factory=list)
    groep_mediaan: float | None = None
    groep_rang: int | None = None
    groep_aantal: int = 0
    bron: str = ""  # source and period in words
    periode_label: str = ""
    eenheid: str = ""
    decimalen: int | None = 1
    notities: list[str] = field(default_factory=list)  # caveats
    reeks: Reeks | None = None
    verandering: str | None = None  # since the start of the college period, in words
    noten: list[str] = field(default_factory=list)  # keys of tijdreeks.NOTEN for it
    bron_kort: str = ""  # the source in a few words (table, period; Iv3 taakveld codes)

    @property
    def regio_mediaan(self) -> float | None:
        values = [w.waarde for w in self.regio]
        return statistics.median(values) if values else None

    def fmt(self, value: float | None, lang: str = "nl") -> str:
        """A value of this kerncijfer for reading (its decimals, the language's format)."""
        return getal(value, self.decimalen, lang)

    def bronnen(self) -> list[Bron]:
        """The datasets of the series' periods, in order."""
        found: dict[str, Bron] = {}
        for p in self.reeks.punten if self.reeks else []:
            if p.bron is not None:
                found.setdefault(p.bron.dataset, p.bron)
        return list(found.values())

    def bronnen_tekst(self, lang: str = "nl") -> str:
        """The sources of the whole series and its periods in words."""
        sources = "; ".join(f"{b.tabel} ({b.titel})" for b in self.bronnen()) or gettext(
            "onbekend", lang)
        periods = ", ".join(p.periode.label(lang) for p in self.reeks.punten) if self.reeks \
            else ""
        return gettext("{bronnen}. Perioden: {perioden}.", lang, bronnen=sources,
                       perioden=periods)

    def to_dict(self) -> dict:
        return {
            "maatstaf": self.maatstaf, "naam": self.naam, "dataset": self.dataset,
            "periode": self.periode, "per": self.per, "eenheid": self.eenheid,
            "waarde": self.waarde, "mediaan": self.mediaan, "aantal": self.aantal,
            "rang": self.rang, "regio": [vars(w) for w in self.regio],
            "regio_mediaan": self.regio_mediaan, "groep_mediaan": self.groep_mediaan,
            "groep_rang": self.groep_rang, "groep_aantal": self.groep_aantal,
            "bron": self.bron, "notities": self.notities, "verandering": self.verandering,
            "verandering_noten": self.noten,
            "reeks": [_punt_dict(p) for p in self.reeks.punten] if self.reeks else [],
        }


def _punt_dict(p: Punt) -> dict:
    return {"periode": p.periode.periode, "soort": p.periode.soort,
            "dataset": p.periode.dataset, "waarde": p.waarde, "mediaan": p.mediaan,
            "aantal": p.aantal, "rang": p.rang, "groep_mediaan": p.groep_mediaan,
            "groep_rang": p.groep_rang, "groep_aantal": p.groep_aantal,
            "regio_mediaan": p.regio_mediaan,
            "bron": p.bron.tabel if p.bron else None, "taakvelden": list(p.codes)}


@dataclass
class PartnerRol:
    """What one organisation does for the gemeente in one wet and deelgebied: its entry of
    the partner matrix (state, rule and evidence, from the baseline) with the taken it does
    there and the arrangements behind them (a cell reads "GGD Brabant-Zuidoost: Veilig
    Thuis (GR)", never just the organisation)."""

    entry: Entry
    taken: list[str] = field(default_factory=list)
    arrangementen: list[str] = field(default_factory=list)
    via: list[str] = field(default_factory=list)
    illustratief: bool = False

    @property
    def uitvoerder(self) -> str:
        return self.entry.uitvoerder

    @property
    def naam(self) -> str:
        return self.entry.uitvoerderNaam

    @property
    def staat(self) -> str:
        """bevestigd, afgeleid or aangenomen (the strongest of its taakuitvoeringen)."""
        return self.entry.status

    def label(self) -> str:
        parts = [self.naam or self.uitvoerder]
        if self.taken:
            parts.append(f"— {', '.join(self.taken)}")
        if self.arrangementen:
            parts.append(f"({', '.join(self.arrangementen)})")
        rule = f", {self.entry.regel_id}" if self.entry.regel_id else ""
        parts.append(f"[{self.staat}{rule}]")
        return " ".join(parts)

    def to_dict(self) -> dict:
        e = self.entry
        return {"organisatie": e.uitvoerder, "naam": e.uitvoerderNaam, "taken": self.taken,
                "arrangementen": self.arrangementen, "via": self.via, "status": e.status,
                "regel": e.regel_id, "bewijs": e.bewijs, "taakuitvoering": e.taakuitvoering}


@dataclass
class WetCel:
    """One wet in one deelgebied: the partners (with their taken, arrangement and state),
    what the gemeente does itself (taken per state) and the taken without any uitvoerder
    (onbekend)."""

    wet: str
    deelgebied: str
    deelgebiedNaam: str
    rollen: list[PartnerRol]
    eigen: dict[str, list[str]]  # state -> taak labels the gemeente executes itself
    onbekend: list[str]  # taak labels without any uitvoerder

    @property
    def partners(self) -> list[Entry]:
        return [r.entry for r in self.rollen]

    def to_dict(self) -> dict:
        return {
            "wet": self.wet, "deelgebied": self.deelgebiedNaam,
            "organisaties": [r.naam or r.uitvoerder for r in self.rollen],
            "partners": [r.to_dict() for r in self.rollen],
            "eigen_organisatie": {k: v for k, v in self.eigen.items() if v},
            "onbekend": self.onbekend,
        }


@dataclass
class Kaart:
    """A map for the dossier: its SVG and the table beside it (from :mod:`sdgraph.maps`)."""

    titel: str
    svg: str
    kolommen: list[str]
    rijen: list[list[str]]
    bron: str = "Bron: CBS, Kadaster/PDOK"


@dataclass
class Foto(Page):
    gemeente: str
    peildatum: str
    matrix: Matrix
    partners: Matrix
    contracten: list[Row]
    vergelijkingen: list[Vergelijking]
    regio: str | None
    regio_keuzes: list[tuple[str, str, str]]  # (regio IRI, name, indeling name)
    sinds: str = ""
    #: the events since ``sinds`` up to the peildatum (query ``wijzigingen``, read when
    #: asked for: the dossier and the downloads list them, the page links to them)
    wijzigingen_van: Callable[[], list[Row]] | None = field(default=None, repr=False)
    info: Gemeente | None = None  # the gemeente's row, for the web page
    params: dict[str, str] = field(default_factory=dict)
    lang: str = "nl"
    uitvoeringen: list[Row] = field(default_factory=list)
    regio_leden: list[str] = field(default_factory=list)
    regio_notitie: str = ""
    groep: Groep | None = None
    groep_notitie: str = ""
    groep_omschrijving: str = ""
    namen: dict[str, tuple[str, str]] = field(default_factory=dict)  # gemeente -> (code, name)
    aflopend: list[Row] = field(default_factory=list)
    maanden: int = MAANDEN
    veranderingen: Veranderingen | None = None
    doelen: list[DoelStatus] = field(default_factory=list)
    bronnen: dict[str, Bron] = field(default_factory=dict)
    herkomst: list[Row] = field(default_factory=list)
    notities: list[str] = field(default_factory=list)  # page-wide caveats
    #: the maps for the dossier (:func:`kaarten`), drawn when asked for: the page draws its
    #: own map inline
    kaarten_van: Callable[[], list[Kaart]] | None = field(default=None, repr=False)

    view = "foto"
    template = "foto.html"
    formats = ("json", "txt", "csv", "pdf", "docx", "md")
    attachments = ("pdf", "docx", "md")

    _wijzigingen: list[Row] | None = field(default=None, repr=False)
    _kaarten: list[Kaart] | None = field(default=None, repr=False)

    @property
    def kaarten(self) -> list[Kaart]:
        """Maps for the dossier; none without boundaries in the sources folder."""
        if self._kaarten is None:
            self._kaarten = self.kaarten_van() if self.kaarten_van else []
        return self._kaarten

    @property
    def wijzigingen(self) -> list[Row]:
        if self._wijzigingen is None:
            self._wijzigingen = self.wijzigingen_van() if self.wijzigingen_van else []
        return self._wijzigingen

    # ------------------------------------------------------------------ partners

    @property
    def partner_organisaties(self) -> dict[str, str]:
        """Every organisation other than the gemeente that executes one of its taken."""
        return {e.uitvoerder: e.uitvoerderNaam for entries in self.partners.cells.values()
                for e in entries}

    def partner_rollen(self) -> dict[tuple[str, str], list[PartnerRol]]:
        """(wet, deelgebied IRI) -> each partner of the partner matrix there (its state,
        rule and evidence) with the taken it does and the arrangements behind them."""
        rows: dict[tuple[str, str, str], list[Row]] = {}
        for u in self.uitvoeringen:
            key = (text(u.get("wetNaam")), text(u["deelgebied"]), text(u["uitvoerder"]))
            rows.setdefault(key, []).append(u)
        out: dict[tuple[str, str], list[PartnerRol]] = {}
        for (wet, deelgebied), entries in self.partners.cells.items():
            rollen = []
            for e in entries:
                rol = PartnerRol(e)
                for u in rows.get((wet, deelgebied, e.uitvoerder), []):
                    for value, target in (
                            (text(u.get("taakNaam")) or text(u.get("taak")), rol.taken),
                            (text(u.get("arrangementtype")), rol.arrangementen),
                            (text(u.get("viaNaam")) if text(u.get("via")) != e.uitvoerder
                             else "", rol.via)):
                        if value and value not in target:
                            target.append(value)
                    rol.illustratief = (rol.illustratief
                                        or text(u.get("illustratief")).lower() == "true")
                rollen.append(rol)
            out[(wet, deelgebied)] = sorted(rollen, key=lambda r: r.naam or r.uitvoerder)
        return out

    @property
    def afgeleid_beeld(self) -> bool:
        """True when no cell rests on an inventory: the foto is the derived picture."""
        return not self.matrix.inventoried

    def staten(self) -> dict[str, int]:
        """Cells (taak x deelgebied) per state: bevestigd, afgeleid, aangenomen, onbekend."""
        return self.matrix.states()

    def wet_cellen(self) -> list[WetCel]:
        """Per wet (the groups of the matrix's taken) and deelgebied: the partners, own
        execution per state and the taken nothing is known of ("eigen organisatie" and
        "onbekend" are never one bucket)."""
        rollen = self.partner_rollen()
        wetten = list(dict.fromkeys(a.group for a in self.matrix.rows))
        out = []
        for wet in wetten:
            taken = [a for a in self.matrix.rows if a.group == wet]
            for col in self.matrix.columns:
                eigen: dict[str, list[str]] = {state: [] for state in STATES[:3]}
                onbekend = []
                for taak in taken:
                    entries = self.matrix.cell(taak.key, col.key)
                    if not entries:
                        onbekend.append(taak.label)
                    for e in entries:
                        if e.uitvoerder == self.gemeente and taak.label not in eigen[e.status]:
                            eigen[e.status].append(taak.label)
                out.append(WetCel(wet, col.key, col.label, rollen.get((wet, col.key), []),
                                  eigen, onbekend))
        return out

    def staat_tekst(self, staat: str) -> str:
        """A state (bevestigd, afgeleid, aangenomen, onbekend) in the page's language."""
        return gettext(STAAT_TEKST.get(staat, staat), self.lang)

    @property
    def regio_naam(self) -> str:
        return next((n for iri, n, _ in self.regio_keuzes if iri == self.regio), self.regio or "")

    @property
    def naam(self) -> str:
        return self.info.naam if self.info else self.namen.get(self.gemeente, ("", ""))[1]

    @property
    def code(self) -> str:
        return self.info.code if self.info else self.namen.get(self.gemeente, ("", ""))[0]

    def gemeente_naam(self, iri: str) -> str:
        return self.namen.get(iri, ("", ""))[1] or iri

    def groep_namen(self) -> str:
        """The names of the comparison group's gemeenten, alphabetically."""
        return ", ".join(sorted(self.gemeente_naam(g) for g in (self.groep.leden if self.groep
                                                                 else [])))

    def gemeente_code(self, iri: str) -> str:
        return self.namen.get(iri, ("", ""))[0]

    # ------------------------------------------------------------------ charts

    def grafiek(self, v: Vergelijking, index: int) -> str:
        """The SVG chart of a kerncijfer's series, with the start of the college period."""
        if v.reeks is None:
            return ""
        change = v.reeks.verandering(self.sinds) if self.sinds else None
        mark = punt_index(v.reeks, change.van) if change else None
        return svg(v.reeks, f"grafiek-{index}", self.naam or self.code, self.lang, mark)

    def legenda(self) -> str:
        return legenda(self.lang)

    def noten_gebruikt(self) -> list[str]:
        """The keys of the notes the changes in words use, in a fixed order."""
        used = {n for v in self.vergelijkingen for n in v.noten}
        return [k for k in NOTEN if k in used]

    def noot_nummer(self, key: str) -> int:
        return self.noten_gebruikt().index(key) + 1

    def noot_tekst(self, key: str) -> str:
        return gettext(NOTEN[key], self.lang)

    def noten_tekst(self, v: Vergelijking) -> list[str]:
        return [self.noot_tekst(k) for k in v.noten]

    def bronnen_gebruikt(self) -> list[Bron]:
        """The datasets behind the kerncijfers shown, in the order of the series."""
        used: dict[str, Bron] = {}
        for v in self.vergelijkingen:
            for p in v.reeks.punten if v.reeks else []:
                if p.bron is not None:
                    used.setdefault(p.bron.dataset, p.bron)
        return list(used.values())

    # ------------------------------------------------------------------ exports

    def to_dict(self) -> dict:
        cellen = self.wet_cellen()
        return {
            "title": "Foto van het sociaal domein",
            "gemeente": self.gemeente,
            "peildatum": self.peildatum,
            "regio": self.regio,
            "regio_leden": [self.gemeente_code(g) or g for g in self.regio_leden],
            "regio_notitie": self.regio_notitie or None,
            "vergelijkingsgroep": {
                "soort": self.groep.soort if self.groep else "geen",
                "omschrijving": self.groep_omschrijving,
                "leden": [self.gemeente_code(g) or g for g in self.groep.leden]
                if self.groep else [],
                "notitie": self.groep_notitie or None,
            },
            # cells per state; "onbekend" cells have no uitvoerder in the data, which is
            # not the same as a gap in the execution
            "staten": self.staten(),
            "afgeleid_beeld": self.afgeleid_beeld,
            "dubbel": [{"taak": r.label, "deelgebied": c.label} for r, c in self.matrix.double],
            "partners": [c.to_dict() for c in cellen if c.partners],
            "per_wet_en_deelgebied": [c.to_dict() for c in cellen],
            "contracten": [_plain(row) for row in self.contracten],
            "aflopende_contracten": {"maanden": self.maanden,
                                     "contracten": [_plain(r) for r in self.aflopend]},
            "sinds": self.sinds,
            "wijzigingen": [_plain(row) for row in self.wijzigingen],
            "veranderingen": self.veranderingen.to_dict() if self.veranderingen else None,
            "kerncijfers": [v.to_dict() for v in self.vergelijkingen],
            "doelen": [d.to_dict() for d in self.doelen],
            "notities": self.notities,
            "bronnen": [vars(b) | {"perioden": list(b.perioden)}
                        for b in self.bronnen_gebruikt()],
        }

    def to_csv(self) -> str:
        """Every kerncijfer in every period: one row per kerncijfer and period."""
        out = io.StringIO()
        fields = ["kerncijfer", "naam", "eenheid", "periode", "soort", "bron", "waarde",
                  "landelijke_mediaan", "aantal_gemeenten", "rang", "mediaan_vergelijkbaar",
                  "rang_vergelijkbaar", "aantal_vergelijkbaar", "mediaan_regio", "taakvelden"]
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for v in self.vergelijkingen:
            for p in v.reeks.punten if v.reeks else []:
                writer.writerow({
                    "kerncijfer": v.maatstaf, "naam": v.naam, "eenheid": v.eenheid,
                    "periode": p.periode.periode, "soort": p.periode.soort,
                    "bron": p.bron.tabel if p.bron else "", "waarde": p.waarde,
                    "landelijke_mediaan": p.mediaan, "aantal_gemeenten": p.aantal,
                    "rang": p.rang, "mediaan_vergelijkbaar": p.groep_mediaan,
                    "rang_vergelijkbaar": p.groep_rang, "aantal_vergelijkbaar": p.groep_aantal,
                    "mediaan_regio": p.regio_mediaan, "taakvelden": " ".join(p.codes)})
        return out.getvalue()

    def to_text(self) -> str:
        m = self.matrix
        staten = self.staten()
        lines = [f"Foto van het sociaal domein: {self.code or self.gemeente}"
                 f" on {self.peildatum}", ""]
        if self.afgeleid_beeld:
            lines += ["No inventory: this is the picture derived from the registers "
                      "(docs/baseline.md); confirm it with `sdgraph template --gemeente`.", ""]
        lines.append("Per wet and deelgebied: partners (taken, arrangement, state, rule), "
                     "own organisation, unknown:")
        for cel in self.wet_cellen():
            parts = [p.label() for p in cel.rollen]
            parts += [f"own organisation {state}: {len(taken)}"
                      for state, taken in cel.eigen.items() if taken]
            if cel.onbekend:
                parts.append(f"unknown: {', '.join(cel.onbekend)}")
            lines.append(f"  {cel.wet} / {cel.deelgebiedNaam}: {'; '.join(parts) or '-'}")
        lines += ["",
                  f"Cells (taak x deelgebied): {staten['bevestigd']} confirmed (inventory), "
                  f"{staten['afgeleid']} derived, {staten['aangenomen']} assumed own "
                  f"organisation, {staten['onbekend']} unknown (no uitvoerder in the data)."]
        lines += [f"Double work: {r.label}, {c.label}" for r, c in m.double]
        lines += ["", f"Changes since {self.sinds}: {len(self.wijzigingen)}"]
        lines += [f"  {row['datum']} {row['soort']}: "
                  f"{row.get('toelichting') or row.get('onderwerpNaam')}"
                  for row in self.wijzigingen]
        if self.veranderingen:
            lines += ["", self.veranderingen.samenvatting]
            lines += [f"  {z}" for z in self.veranderingen.zinnen]
        lines += ["", f"Running contracts: {len(self.contracten)}"]
        lines += [f"  {row['naam']} (ends {row.get('einddatum') or '-'}, notice by "
                  f"{row.get('uitersteOpzegdatum') or '-'})" for row in self.contracten]
        lines += ["", f"Contracts ending within {self.maanden} months: {len(self.aflopend)}"]
        lines += [f"  {row['naam']} (ends {row.get('einddatum')}, notice by "
                  f"{row.get('uitersteOpzegdatum') or '-'})" for row in self.aflopend]
        if self.vergelijkingen:
            lines += ["", f"Key figures (national median; comparable gemeenten: "
                          f"{self.groep_omschrijving}; regio {self.regio_naam}):"]
            lines += [f"  note: {n}" for n in self.notities]
            for v in self.vergelijkingen:
                unit = f" ({v.eenheid})" if v.eenheid else ""
                value = "-" if v.waarde is None else f"{v.waarde:.1f}"
                median = "-" if v.mediaan is None else f"{v.mediaan:.1f}"
                lines.append(f"  {v.naam}{unit} ({v.periode_label}): {value}; median {median}; "
                             f"rank {v.rang or '-'} of {v.aantal}; source: {v.bron}")
                if v.verandering:
                    lines.append(f"    {v.verandering}"
                                 + "".join(f" ({noot})" for noot in self.noten_tekst(v)))
                lines += [f"    note: {n}" for n in v.notities]
        if self.doelen:
            lines += ["", "Goals:"]
            for d in self.doelen:
                latest = d.laatste.waarde if d.laatste else None
                lines.append(f"  {d.doel.naam}: target {d.doel.streefwaarde} by "
                             f"{d.doel.streefdatum}; latest {latest}; {d.status} "
                             f"({d.doel.bron_document})")
        return "\n".join(lines)

    def render(self, fmt: str) -> str | bytes:
        from .. import dossier

        return {"pdf": dossier.pdf, "docx": dossier.docx, "md": dossier.markdown}[fmt](self)

    def filename(self, fmt: str) -> str:
        return f"foto-{self.code or 'gemeente'}-{self.peildatum}.{fmt}"

    def context(self) -> dict:
        assert self.info is not None
        return dict(info=self.info.info, gemeente=self.info.row, code=self.info.code,
                    foto=self, peildatum=self.peildatum)


def _plain(row: Row) -> dict[str, str]:
    return {k: text(v) for k, v in row.items() if v is not None}


# --------------------------------------------------------------------------- choices


def regio_keuzes(regios: Iterable[Row]) -> list[tuple[str, str, str]]:
    """The gemeente's regio's (IRI, name, indeling), the preferred indelingen first."""
    rows = [(text(r["regio"]), text(r.get("naam")), text(r.get("indelingNaam")),
             text(r.get("indeling"))) for r in regios]

    def rank(row: tuple[str, str, str, str]) -> tuple[int, str]:
        slug = row[3].rsplit("/", 1)[-1]
        order = PREFERRED_INDELINGEN.index(slug) if slug in PREFERRED_INDELINGEN else 99
        return (order, row[2])

    return [(iri, naam, indeling) for iri, naam, indeling, _ in sorted(rows, key=rank)]


def year_before(peildatum: str) -> str:
    """One year before the peildatum."""
    day = date.fromisoformat(peildatum)
    try:
        return day.replace(year=day.year - 1).isoformat()
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28).isoformat()


def collegestart(peildatum: str) -> str:
    """The start of the college period on ``peildatum``: the day of the last
    gemeenteraadsverkiezingen on or before it (else a year before the peildatum)."""
    return max((d for d in VERKIEZINGEN if d <= peildatum), default=year_before(peildatum))


REGIO_TE_KLEIN = N_("{regio} ({indeling}) heeft naast {gemeente} {n} andere gemeenten; een "
                    "mediaan vraagt er ten minste {minimum}. Vergeleken met {gekozen} "
                    "({gekozen_indeling}).")
GEEN_REGIO = N_("Geen regio van {gemeente} heeft ten minste {minimum} andere gemeenten: de "
                "kerncijfers worden niet met een regio vergeleken.")


def kies_regio(run: Runner, keuzes: list[tuple[str, str, str]], gemeente: str, naam: str,
               peildatum: str, gekozen: str | None,
               lang: str) -> tuple[str | None, list[str], str]:
    """The comparison regio: the chosen one (else the first preferred) when it has at
    least :data:`MINIMUM` other gemeenten on the peildatum, else the next that has (and a
    note that says so). Returns (regio, members, note)."""
    order = [k for k in keuzes if k[0] == gekozen] + [k for k in keuzes if k[0] != gekozen]
    if gekozen and not any(k[0] == gekozen for k in keuzes):
        labels = run("system/labels", {"iri": gekozen})
        order.insert(0, (gekozen, text(labels[0].get("label")) if labels else gekozen, ""))
    first = order[0] if order else None
    first_size = 0
    for iri, regionaam, indeling in order:
        members = [text(r["lid"]) for r in run("deelnemers", {"organisatie": iri,
                                                              "peildatum": peildatum})]
        others = len([m for m in members if m != gemeente])
        if (iri, regionaam, indeling) == first:
            first_size = others
        if others >= MINIMUM:
            note = "" if (iri, regionaam, indeling) == first else gettext(
                REGIO_TE_KLEIN, lang, regio=first[1], indeling=first[2], gemeente=naam,
                n=first_size, minimum=MINIMUM, gekozen=regionaam, gekozen_indeling=indeling)
            return iri, members, note
    if not order:
        return None, [], ""
    return None, [], gettext(GEEN_REGIO, lang, gemeente=naam, minimum=MINIMUM)


# --------------------------------------------------------------------------- key figures


CENTRUM = N_("{naam} is centrumgemeente voor beschermd wonen en maatschappelijke opvang "
             "({regio}): zij draagt deze lasten voor de hele regio. Vergelijk met andere "
             "centrumgemeenten, niet met de landelijke mediaan.")
NIET_CENTRUM = N_("Beschermd wonen en maatschappelijke opvang worden grotendeels door "
                  "centrumgemeenten voor hun regio betaald{centrum}; de lasten van andere "
                  "gemeenten zijn daarom laag en de landelijke mediaan zegt weinig.")


def bronvermelding(d: Definitie, p: Punt, namen: Mapping[str, Mapping[str, str]],
                   lang: str, kort: bool = False) -> str:
    """Source and period of one value in words: table id and title, or the Iv3 file with
    the taakvelden (full names from the official code list) and the code list itself;
    ``kort``: table and period, or the Iv3 file and its taakveld codes."""
    bron = p.bron
    period = p.periode.label(lang)
    if bron is None:
        return gettext("bron onbekend (dataset {dataset}), {periode}", lang,
                       dataset=p.periode.dataset, periode=period)
    if kort:
        if d.iv3:
            return gettext("{tabel}, taakvelden {codes}", lang, tabel=bron.tabel,
                           codes=", ".join(p.codes) or "–")
        return f"{bron.tabel}, {period}"
    if d.iv3:
        names = namen.get(bron.lijst, {})
        fields = ", ".join(f"{c} {names.get(c, '')}".strip() for c in p.codes)
        lijst = bron.lijst_titel or bron.lijst_bestand
        return gettext("{tabel} ({titel}); taakvelden {taakvelden}; namen volgens {lijst}; "
                       "inwonertal uit dezelfde levering", lang, tabel=bron.tabel,
                       titel=bron.titel, taakvelden=fields or "–",
                       lijst=lijst or gettext("geen codelijst", lang))
    text_ = gettext("{tabel} ({titel}), {periode}", lang, tabel=bron.tabel, titel=bron.titel,
                    periode=period)
    if d.per and d.noemer:
        text_ += gettext("; gedeeld door het aantal inwoners uit dezelfde tabel en periode",
                         lang)
    return text_


def vergelijkingen(run: Runner, gemeente: str, groep_leden: Iterable[str],
                   regio: Iterable[str], sinds: str, centrum: list[tuple[str, str]],
                   lang: str = "nl", national: Landelijk | None = None,
                   defs: list[Definitie] | None = None) -> list[Vergelijking]:
    """Every kerncijfer of ``gemeente``: its series, headline and caveats. ``centrum``:
    the (regio, centrumgemeente name) of its BW/MO regio's."""
    national = national or landelijk(run)
    defs = defs if defs is not None else definities(run)
    sources, names = bronnen(run), taakvelden(run)
    groep_leden, regio = list(groep_leden), list(regio)
    naam = national.naam(gemeente)
    out = []
    for d in defs:
        series = national.reeksen.get(d.id, [])
        if not series:
            continue
        r = reeks(d, series, gemeente, groep_leden, regio, sources)
        kop = r.kop()
        if kop is None:
            continue
        verdeling = next(v for v in series if v.periode == kop.periode)
        notes = []
        if d.centrumgemeente_kosten:
            own = [regionaam for regionaam, c in centrum if c == gemeente]
            if own:
                notes.append(gettext(CENTRUM, lang, naam=naam, regio=", ".join(own)))
            else:
                others = sorted({national.naam(c) for _, c in centrum if c})
                notes.append(gettext(NIET_CENTRUM, lang, centrum=gettext(
                    " (voor {naam}: {centrum})", lang, naam=naam, centrum=", ".join(others))
                    if others else ""))
        if d.toelichting and len({p.periode.jaar >= 2025 for p in r.met_waarde}) > 1:
            notes.append(d.toelichting)
        out.append(Vergelijking(
            maatstaf=d.id, naam=d.naam, dataset=kop.periode.dataset, periode=kop.periode.periode,
            per=d.per, waarde=kop.waarde, mediaan=kop.mediaan, aantal=kop.aantal, rang=kop.rang,
            regio=sorted((Waarde(g, national.code(g), national.naam(g), verdeling.waarden[g])
                          for g in regio if g in verdeling.waarden), key=lambda w: w.naam),
            groep_mediaan=kop.groep_mediaan, groep_rang=kop.groep_rang,
            groep_aantal=kop.groep_aantal, bron=bronvermelding(d, kop, names, lang),
            periode_label=kop.periode.label(lang), eenheid=d.eenheid(lang),
            decimalen=d.decimalen, notities=notes, reeks=r, verandering=r.zin(sinds, lang),
            noten=r.noten(sinds), bron_kort=bronvermelding(d, kop, {}, lang, kort=True)))
    return out


@dataclass
class Figuur:
    """One kerncijfer in its headline period for every gemeente (what a map colours)."""

    maatstaf: str
    naam: str
    dataset: str
    periode: str
    per: int | None  # None: as published; 1: per inwoner; 1000: per 1,000 inwoners
    waarden: dict[str, Waarde]


def figuren(run: Runner, kerncijfers: Iterable[Row] | None = None) -> Iterator[Figuur]:
    """Every kerncijfer nationally in its latest period (Iv3: the latest jaarrekening), from
    the national table; ``kerncijfers`` (a gemeente's rows of query ``kerncijfers``), when
    given, keeps those whose series that gemeente has a value in."""
    national = landelijk(run)
    has = None if kerncijfers is None else {text(r.get("dataset")) for r in kerncijfers}
    for d in definities(run):
        series = national.reeksen.get(d.id) or []
        if d.iv3 and any(v.periode.soort == "jaarrekening" for v in series):
            series = [v for v in series if v.periode.soort == "jaarrekening"]
        if not series or (has is not None and not has & {v.periode.dataset for v in series}):
            continue
        latest = series[-1]
        yield Figuur(d.id, d.naam, latest.periode.dataset, latest.periode.periode, d.per,
                     {g: Waarde(g, national.code(g), national.naam(g), v)
                      for g, v in latest.waarden.items()})


GROEP_TE_KLEIN = N_("Met dezelfde gemeentegrootte en stedelijkheid zijn er naast {gemeente} "
                    "maar {n} gemeenten (ten minste {minimum} nodig): vergeleken met alle "
                    "gemeenten van dezelfde gemeentegrootte.")
GROEP_ONBEKEND = N_("Niet gevonden en weggelaten uit de vergelijkingsgroep: {codes}.")


# --------------------------------------------------------------------------- maps


def kaarten(run: Runner, bronnenmap: Path | None, code: str, peildatum: str,
            lang: str = "nl") -> list[Kaart]:
    """The gemeente's map on ``peildatum`` (its regio's and GRs, the jeugdregio drawn; the
    table lists every one) with the table beside it, for the dossier; none without the
    CBS/PDOK boundaries in ``bronnenmap``."""
    from .. import maps

    try:
        found = maps.gemeente(run, bronnenmap, code, peildatum)
    except maps.GeenGrenzen:
        return []
    names = {"organisatie": N_("Organisatie"), "soort": N_("Soort"), "aantal": N_("Aantal"),
             "gemeenten": N_("Gemeenten")}
    return [Kaart(
        found.kaart.titel, found.kaart.svg(),
        [gettext(names.get(k, k), lang) for k in found.kolommen],
        [[str(row.get(k, "")) for k in found.kolommen] for row in found.rijen],
        " ".join([gettext("Bron: de lidmaatschappen van regio's en regelingen in de graaf op "
                          "{datum}; grenzen: CBS, Kadaster/PDOK.", lang, datum=peildatum),
                  *found.notities,
                  gettext("Op de kaart: de eerste regio van de tabel; de tabel noemt ze "
                          "allemaal.", lang)]))]


# --------------------------------------------------------------------------- the page


def page(run: Runner, gemeente: Gemeente, peildatum: str | None = None,
         regio: str | None = None, sinds: str | None = None,
         vergelijk: Iterable[str] | None = None, maanden: int | None = None,
         bronnenmap: Path | None = None) -> Foto:
    """The foto of ``gemeente`` on ``peildatum`` (default: its last day, else today);
    ``vergelijk``: GM codes of a comparison group of the user's choice; ``bronnenmap``: the
    sources folder, whose boundaries draw the dossier's map (:func:`kaarten`)."""
    day = gemeente.peildatum(peildatum) or date.today().isoformat()
    chosen = [c.strip() for c in (vergelijk or []) if c.strip()]
    result = foto(run, gemeente.iri, day, regio or None, sinds or None, chosen or None,
                  maanden or MAANDEN)
    result.info = gemeente
    result.kaarten_van = lambda: kaarten(run, bronnenmap, gemeente.code, day, result.lang)
    result.params = {k: v for k, v in (("gemeente", gemeente.code), ("peildatum", day),
                                       ("regio", result.regio or ""), ("sinds", result.sinds),
                                       ("vergelijk", ",".join(chosen)),
                                       ("maanden", str(maanden) if maanden else ""))
                     if v}
    return result


def foto(run: Runner, gemeente: str, peildatum: str, regio: str | None = None,
         sinds: str | None = None, vergelijk: list[str] | None = None,
         maanden: int = MAANDEN) -> Foto:
    """Compute the foto of ``gemeente`` (its TOOI IRI) on ``peildatum``, with what changed
    since ``sinds`` (default: the start of the college period)."""
    from ..identity import gemeente_iri

    lang = getattr(run, "lang", "nl")
    values = {"gemeente": gemeente, "peildatum": peildatum}
    uitvoeringen = run("wie-doet-wat", values)
    deelgebieden = run("deelgebieden", {})
    matrix = gemeente_matrix(run("taken", {}), deelgebieden, uitvoeringen)
    regio_rows = run("regio-indeling", values)
    keuzes = regio_keuzes(regio_rows)
    national = landelijk(run)
    naam = national.naam(gemeente)
    regio, leden, regio_note = kies_regio(run, keuzes, gemeente, naam, peildatum, regio, lang)
    if regio and not any(k[0] == regio for k in keuzes):  # a GR or regio of one's own choice
        labels = run("system/labels", {"iri": regio})
        keuzes.append((regio, text(labels[0].get("label")) if labels else regio, ""))
    sinds = sinds or collegestart(peildatum)  # peildatum was checked by the first query

    notes = []
    wanted = []
    for code in vergelijk or []:
        try:
            wanted.append(str(gemeente_iri(code)))
        except ValueError:
            wanted.append(code)
    klassen = alle_klassen(run)
    g = groep(klassen, gemeente, wanted, national.namen)
    omschrijving = gettext(SOORTEN[g.soort], lang, **g.omschrijving_waarden())
    groep_note = ""
    if g.terugval:
        groep_note = gettext(GROEP_TE_KLEIN, lang, gemeente=naam, n=g.klein, minimum=MINIMUM)
    if g.onbekend:
        groep_note = gettext(GROEP_ONBEKEND, lang, codes=", ".join(
            c.rsplit("/", 1)[-1].upper() for c in g.onbekend))

    centrum = [(text(r.get("naam")), text(r.get("centrumgemeente"))) for r in regio_rows
               if text(r.get("indeling")).rsplit("/", 1)[-1] == "centrumgemeente-bw-mo"]
    kerncijfers = vergelijkingen(run, gemeente, g.leden, leden, sinds, centrum, lang, national)

    contracten = run("contracten", values)
    before = {"gemeente": gemeente, "peildatum": sinds}
    changes = veranderingen(
        sinds, peildatum, gemeente, run("wie-doet-wat", before), uitvoeringen,
        run("lidmaatschappen", before), run("lidmaatschappen", values),
        run("contracten", before), contracten, lang)
    series = {v.maatstaf: v.reeks for v in kerncijfers}
    goals = [status(d, series.get(d.indicator), peildatum)
             for d in doelen(run("foto/doelen", {"gemeente": gemeente}))]
    return Foto(
        gemeente=gemeente,
        peildatum=peildatum,
        matrix=matrix,
        partners=partner_matrix(deelgebieden, uitvoeringen, gemeente),
        contracten=contracten,
        vergelijkingen=kerncijfers,
        regio=regio,
        regio_keuzes=keuzes,
        sinds=sinds,
        wijzigingen_van=lambda: run("wijzigingen", {"van": sinds, "tot": peildatum,
                                                     "gemeente": gemeente}),
        lang=lang,
        uitvoeringen=uitvoeringen,
        regio_leden=leden,
        regio_notitie=regio_note,
        groep=g,
        groep_notitie=groep_note,
        groep_omschrijving=omschrijving,
        namen=national.namen,
        aflopend=run("aflopende-contracten", {"gemeente": gemeente, "peildatum": peildatum,
                                               "maanden": str(maanden)}),
        maanden=maanden,
        veranderingen=changes,
        doelen=goals,
        bronnen=bronnen(run),
        herkomst=run("foto/herkomst", {}),
        notities=notes,
    )
