"""The "foto van het sociaal domein" of one gemeente: what a new college needs on one page.

It combines named queries (run through a ``Runner``, so the CLI and the web
compute the same foto):

- partners per wet and deelgebied (from ``wie-doet-wat``: the organisations
  other than the gemeente itself that execute a taak), each with its state
  (bevestigd, afgeleid with rule and evidence, aangenomen), and per wet and
  deelgebied the taken the gemeente does itself and those of which nothing is
  known (:class:`WetCel`), with the possible double work of the matrix; a foto
  of a gemeente without inventory is its derived picture (``afgeleid_beeld``);
- the contracts running on the peildatum (``contracten``) and their end dates;
- what changed since a chosen date (``wijzigingen``, default a year before);
- key figures (CBS/Iv3 via ``kerncijfers``) beside the national median and the
  gemeenten of a chosen regio (``kerncijfer-landelijk``, ``deelnemers``).

Key figures: Iv3 lasten per sociaal-domein taakveld (6.x, with its parts 6.xa,
6.xb, ... added up) per inwoner from the latest Iv3 jaarrekening of the
gemeente (else the latest begroting), using the inwonertal of the same
dataset; Wmo-cliënten per 1,000 inwoners and jongeren met jeugdhulp (%) in the latest full year; and
bijstandsuitkeringen per 1,000 inwoners (inwonertal of an Iv3 dataset of the
same year). The median is over every gemeente with a value.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from rdflib.term import Identifier

from ..kerncijfers import IV3_LASTEN, latest_iv3
from ..matrix import STATES, Entry, Matrix, gemeente_matrix, partner_matrix
from ..namespaces import SDID
from ..output import text
from .base import Page
from .gemeente import Gemeente

Row = Mapping[str, Identifier | None]
#: What the foto runs its queries with (a :class:`~sdgraph.runner.Runner` is one).
Runner = Callable[[str, Mapping[str, str | None]], list[Row]]

INWONERTAL = "inwonertal"
#: (maatstaf, dataset, scale per inwoners or None, label suffix)
CBS_FIGUREN = (
    ("wmo-clienten-per-1000-inwoners", "cbs-86050NED", None),
    ("jongeren-met-jeugdhulp-pct", "cbs-85098NED", None),
    ("bijstandsuitkeringen", "cbs-85383NED", 1000),
)
#: Which regio-indeling to compare with when none is chosen, in order of preference.
PREFERRED_INDELINGEN = ("jeugdregio", "arbeidsmarktregio", "wmo-regio", "centrumgemeente-bw-mo")


@dataclass
class Waarde:
    gemeente: str
    code: str
    naam: str
    waarde: float


@dataclass
class Vergelijking:
    """One key figure of the gemeente beside the national median and its regio."""

    maatstaf: str
    naam: str
    dataset: str
    periode: str
    per: int | None  # None: as published; 1: per inwoner; 1000: per 1,000 inwoners
    waarde: float | None
    mediaan: float | None
    aantal: int
    rang: int | None  # 1 = highest value nationally
    regio: list[Waarde] = field(default_factory=list)

    @property
    def regio_mediaan(self) -> float | None:
        values = [w.waarde for w in self.regio]
        return statistics.median(values) if values else None

    @property
    def maximum(self) -> float:
        values = [v for v in (self.waarde, self.mediaan, *(w.waarde for w in self.regio)) if v]
        return max(values, default=0.0) or 1.0


@dataclass
class WetCel:
    """One wet in one deelgebied: the partners, what the gemeente does itself (taken per
    state) and the taken without any uitvoerder (onbekend)."""

    wet: str
    deelgebied: str
    deelgebiedNaam: str
    partners: list[Entry]
    eigen: dict[str, list[str]]  # state -> taak labels the gemeente executes itself
    onbekend: list[str]  # taak labels without any uitvoerder

    def to_dict(self) -> dict:
        return {
            "wet": self.wet, "deelgebied": self.deelgebiedNaam,
            "organisaties": [e.uitvoerderNaam or e.uitvoerder for e in self.partners],
            "partners": [{"organisatie": e.uitvoerder, "naam": e.uitvoerderNaam,
                          "status": e.status, "regel": e.regel_id, "bewijs": e.bewijs}
                         for e in self.partners],
            "eigen_organisatie": {k: v for k, v in self.eigen.items() if v},
            "onbekend": self.onbekend,
        }


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
    wijzigingen: list[Row] = field(default_factory=list)  # since ``sinds`` up to peildatum
    info: Gemeente | None = None  # the gemeente's row, for the web page
    params: dict[str, str] = field(default_factory=dict)

    view = "foto"
    template = "foto.html"
    formats = ("json", "txt")

    @property
    def partner_organisaties(self) -> dict[str, str]:
        """Every organisation other than the gemeente that executes one of its taken."""
        return {e.uitvoerder: e.uitvoerderNaam for entries in self.partners.cells.values()
                for e in entries}

    @property
    def afgeleid_beeld(self) -> bool:
        """True when no cell rests on an inventory: the foto is the derived picture."""
        return not self.matrix.inventoried

    def staten(self) -> dict[str, int]:
        """Cells (taak x deelgebied) per state: bevestigd, afgeleid, aangenomen, onbekend."""
        return self.matrix.states()

    def wet_cellen(self) -> list[WetCel]:
        """Per wet (rows of the partners matrix, or of the taken) and deelgebied: partners,
        own execution per state and unknown taken."""
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
                out.append(WetCel(wet, col.key, col.label, self.partners.cell(wet, col.key),
                                  eigen, onbekend))
        return out

    @property
    def regio_naam(self) -> str:
        return next((n for iri, n, _ in self.regio_keuzes if iri == self.regio), self.regio or "")

    def to_dict(self) -> dict:
        return {
            "title": "Foto van het sociaal domein",
            "gemeente": self.gemeente,
            "peildatum": self.peildatum,
            "regio": self.regio,
            # cells per state; "onbekend" cells have no uitvoerder in the data, which is
            # not the same as a gap in the execution
            "staten": self.staten(),
            "afgeleid_beeld": self.afgeleid_beeld,
            "dubbel": [{"taak": r.label, "deelgebied": c.label} for r, c in self.matrix.double],
            "partners": [c.to_dict() for c in self.wet_cellen() if c.partners],
            "per_wet_en_deelgebied": [c.to_dict() for c in self.wet_cellen()],
            "contracten": [{k: text(v) for k, v in row.items() if v is not None}
                           for row in self.contracten],
            "sinds": self.sinds,
            "wijzigingen": [{k: text(v) for k, v in row.items() if v is not None}
                            for row in self.wijzigingen],
            "kerncijfers": [
                {**{k: v for k, v in vars(v).items() if k != "regio"},
                 "regio": [vars(w) for w in v.regio], "regio_mediaan": v.regio_mediaan}
                for v in self.vergelijkingen
            ],
        }

    def to_text(self) -> str:
        m = self.matrix
        staten = self.staten()
        lines = [f"Foto van het sociaal domein: {self.info.code if self.info else self.gemeente}"
                 f" on {self.peildatum}", ""]
        if self.afgeleid_beeld:
            lines += ["No inventory: this is the picture derived from the registers "
                      "(docs/baseline.md); confirm it with `sdgraph template --gemeente`.", ""]
        lines.append("Per wet and deelgebied: partners (state, rule), own organisation, unknown:")
        for cel in self.wet_cellen():
            parts = [f"{e.uitvoerderNaam or e.uitvoerder} ({e.status}"
                     + (f", {e.regel_id}" if e.regel_id else "") + ")" for e in cel.partners]
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
        lines += ["", f"Running contracts: {len(self.contracten)}"]
        lines += [f"  {row['naam']} (ends {row.get('einddatum') or '-'}, notice by "
                  f"{row.get('uitersteOpzegdatum') or '-'})" for row in self.contracten]
        if self.vergelijkingen:
            lines += ["", f"Key figures (national median; regio {self.regio_naam}):"]
            for v in self.vergelijkingen:
                per = " per inwoner" if v.per == 1 else f" per {v.per} inwoners" if v.per else ""
                value = "-" if v.waarde is None else f"{v.waarde:.1f}"
                median = "-" if v.mediaan is None else f"{v.mediaan:.1f}"
                lines.append(f"  {v.naam}{per} ({v.periode}): {value}; median {median}; "
                             f"rank {v.rang or '-'} of {v.aantal}")
        return "\n".join(lines)

    def filename(self, fmt: str) -> str:
        return f"foto-{self.info.code if self.info else 'gemeente'}.{fmt}"

    def context(self) -> dict:
        assert self.info is not None
        return dict(info=self.info.info, gemeente=self.info.row, code=self.info.code,
                    foto=self, peildatum=self.peildatum)


def _number(term: Identifier | None) -> float | None:
    try:
        return float(text(term))
    except ValueError:
        return None


def _latest_year(kerncijfers: list[Row], maatstaf: str, dataset: str) -> str | None:
    years = [text(r["periode"]) for r in kerncijfers
             if text(r["maatstaf"]) == maatstaf and text(r["dataset"]) == dataset
             and re.fullmatch(r"\d{4}", text(r["periode"]))]
    return max(years, default=None)


def _national(run: Runner, maatstaf: str, dataset: str, periode: str) -> dict[str, Waarde]:
    rows = run("kerncijfer-landelijk", {
        "maatstaf": str(SDID[f"maatstaf/{maatstaf}"]),
        "dataset": str(SDID[f"dataset/{dataset}"]),
        "periode": periode,
    })
    out = {}
    for r in rows:
        value = _number(r.get("waarde"))
        if value is not None:
            iri = text(r["gemeente"])
            out[iri] = Waarde(iri, text(r.get("code")), text(r.get("naam")), value)
    return out


def _compare(gemeente: str, maatstaf: str, naam: str, dataset: str, periode: str,
             values: dict[str, Waarde], per: int | None, peers: set[str]) -> Vergelijking:
    ranked = sorted(values.values(), key=lambda w: -w.waarde)
    own = values.get(gemeente)
    rang = next((i for i, w in enumerate(ranked, start=1) if w.gemeente == gemeente), None)
    return Vergelijking(
        maatstaf=maatstaf, naam=naam, dataset=dataset, periode=periode, per=per,
        waarde=own.waarde if own else None,
        mediaan=statistics.median([w.waarde for w in ranked]) if ranked else None,
        aantal=len(ranked), rang=rang,
        regio=sorted((w for w in values.values() if w.gemeente in peers), key=lambda w: w.naam),
    )


def _per_inwoners(values: dict[str, Waarde], inwoners: dict[str, Waarde],
                  per: int) -> dict[str, Waarde]:
    out = {}
    for iri, w in values.items():
        pop = inwoners.get(iri)
        if pop and pop.waarde > 0:
            out[iri] = Waarde(w.gemeente, w.code, w.naam, w.waarde * per / pop.waarde)
    return out


@dataclass
class Figuur:
    """One key figure for every gemeente: its values (gemeente IRI -> Waarde)."""

    maatstaf: str
    naam: str
    dataset: str
    periode: str
    per: int | None  # None: as published; 1: per inwoner; 1000: per 1,000 inwoners
    waarden: dict[str, Waarde]


def figuren(run: Runner, kerncijfers: list[Row]) -> Iterator[Figuur]:
    """The key figures the foto shows, nationally, as far as ``kerncijfers`` (one
    gemeente's rows of query kerncijfers) has them: its latest Iv3 lasten per taakveld per
    inwoner, then the CBS figures of :data:`CBS_FIGUREN` in their latest full year."""
    names = {text(r["maatstaf"]): text(r.get("maatstafNaam")) for r in kerncijfers}
    iv3 = latest_iv3(kerncijfers)
    if iv3:
        periode = iv3.split("-")[1]
        inwoners = _national(run, INWONERTAL, iv3, periode)
        groups: dict[str, list[str]] = {}
        for r in kerncijfers:
            match = IV3_LASTEN.match(text(r["maatstaf"]))
            if text(r["dataset"]) == iv3 and match:
                codes = groups.setdefault(f"iv3-lasten-{match.group(1)}", [])
                if text(r["maatstaf"]) not in codes:
                    codes.append(text(r["maatstaf"]))
        for main in sorted(groups, key=lambda c: [int(p) for p in c.rsplit("-", 1)[1].split(".")]):
            total: dict[str, Waarde] = {}
            for code in sorted(groups[main]):
                for iri, w in _national(run, code, iv3, periode).items():
                    known = total.get(iri)
                    total[iri] = Waarde(w.gemeente, w.code, w.naam,
                                        w.waarde + (known.waarde if known else 0.0))
            naam = names.get(main) or f"Iv3 lasten taakveld {main.rsplit('-', 1)[1]}"
            yield Figuur(main, naam, iv3, periode, 1, _per_inwoners(total, inwoners, 1))
    for code, dataset, per in CBS_FIGUREN:
        periode = _latest_year(kerncijfers, code, dataset)
        if periode is None:
            continue
        values = _national(run, code, dataset, periode)
        if per:
            candidates = (f"iv3-{periode}-jaarrekening", f"iv3-{periode}-begroting")
            population = next((d for d in candidates
                               if any(text(r["dataset"]) == d for r in kerncijfers)), None)
            if population is None:
                continue
            values = _per_inwoners(values, _national(run, INWONERTAL, population, periode), per)
        yield Figuur(code, names.get(code, code), dataset, periode, per, values)


def vergelijkingen(run: Runner, gemeente: str, kerncijfers: list[Row],
                   peers: set[str]) -> list[Vergelijking]:
    """The key figures of ``gemeente`` beside the national median and ``peers``."""
    return [_compare(gemeente, f.maatstaf, f.naam, f.dataset, f.periode, f.waarden, f.per, peers)
            for f in figuren(run, kerncijfers)]


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
    """The default start of "changes since": one year before the peildatum."""
    from datetime import date

    day = date.fromisoformat(peildatum)
    try:
        return day.replace(year=day.year - 1).isoformat()
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28).isoformat()


def page(run: Runner, gemeente: Gemeente, peildatum: str | None = None,
         regio: str | None = None, sinds: str | None = None) -> Foto:
    """The foto of ``gemeente`` on ``peildatum`` (default: its last day, else today)."""
    from datetime import date

    day = gemeente.peildatum(peildatum) or date.today().isoformat()
    result = foto(run, gemeente.iri, day, regio or None, sinds or None)
    result.info = gemeente
    result.params = {k: v for k, v in (("gemeente", gemeente.code), ("peildatum", day),
                                       ("regio", result.regio or ""), ("sinds", result.sinds))
                     if v}
    return result


def foto(run: Runner, gemeente: str, peildatum: str, regio: str | None = None,
         sinds: str | None = None) -> Foto:
    """Compute the foto of ``gemeente`` (its TOOI IRI) on ``peildatum``, with the changes
    since ``sinds`` (default: a year before)."""
    values = {"gemeente": gemeente, "peildatum": peildatum}
    uitvoeringen = run("wie-doet-wat", values)
    deelgebieden = run("deelgebieden", {})
    matrix = gemeente_matrix(run("taken", {}), deelgebieden, uitvoeringen)
    keuzes = regio_keuzes(run("regio-indeling", values))
    if regio is None and keuzes:
        regio = keuzes[0][0]
    peers = ({text(r["lid"]) for r in run("deelnemers", {"organisatie": regio,
                                                          "peildatum": peildatum})}
             if regio else set())
    kerncijfers = run("kerncijfers", {"gemeente": gemeente})
    sinds = sinds or year_before(peildatum)  # peildatum was checked by the first query
    return Foto(
        gemeente=gemeente,
        peildatum=peildatum,
        matrix=matrix,
        partners=partner_matrix(deelgebieden, uitvoeringen, gemeente),
        contracten=run("contracten", values),
        vergelijkingen=vergelijkingen(run, gemeente, kerncijfers, peers),
        regio=regio,
        regio_keuzes=keuzes,
        sinds=sinds,
        wijzigingen=run("wijzigingen", {"van": sinds, "tot": peildatum, "gemeente": gemeente}),
    )
