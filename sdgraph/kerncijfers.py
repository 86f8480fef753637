"""Key figures (kerncijfers) of the foto: what they are, every value in every period for
every gemeente, and where each comes from.

* :func:`definities`: the kerncijfers of ``data/vocab/kerncijfers.ttl`` (query
  ``foto/kerncijfer-definities``): a CBS measure of one table, or the Iv3 lasten of a set
  of taakvelden added up, per 1 or 1,000 inwoners, with the kind of period of its series.
* :func:`landelijk`: the national table, one :class:`Verdeling` per kerncijfer and
  period (every gemeente's value, the median, the ranks), computed from one query of all
  observations (``foto/waarnemingen``) at load time (:data:`LANDELIJK`, stored by
  :mod:`sdgraph.materialise`) and kept while the data it reads is unchanged.
* :func:`bronnen` and :func:`taakvelden`: the dataset behind each period (CBS table id and
  title, Iv3 begroting or jaarrekening, licence, load date) and the official names of the
  Iv3 taakvelden from the code lists the importer read.

Periods: ``halfjaar`` series take the half years of the table (2017H1, 2017H2, ...),
``jaar`` series its years; ``iv3`` series one period per Iv3 file (begroting 2023,
jaarrekening 2023, begroting 2024, ...), each Iv3 kerncijfer adding the codes the file
has (the 2025 file has the new taakvelden). A value per inwoners divides by the
population of the same dataset and period. The median is over every gemeente with a
value in that period (also gemeenten merged away since, for the earlier periods).
"""

from __future__ import annotations

import json
import os
import re
import statistics
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib.term import Identifier

from .cache import VersionedCache
from .i18n import N_, format_number, gettext
from .inputcache import InputCache
from .materialise import StoredTable
from .output import text

Row = Mapping[str, Identifier | None]
Runner = Callable[[str, Mapping[str, str | None]], list[Row]]

#: An Iv3 lasten code: main taakveld (6.71) and an optional letter of its parts (6.71a).
IV3_LASTEN = re.compile(r"iv3-lasten-(6\.\d+)([a-z]?)$")
_HALFJAAR = re.compile(r"^(\d{4})H([12])$")
_JAAR = re.compile(r"^(\d{4})$")
_IV3 = re.compile(r"^iv3-(\d{4})-(begroting|jaarrekening)$")

#: National tables kept per store version (every load changes it).
COMPUTED = VersionedCache(maxsize=8)
#: The national tables computed from named queries alone, kept while the data those read
#: is unchanged (a load of other data, such as an inventory, leaves them valid).
NAAR_INVOER = InputCache(maxsize=8)


def latest_iv3(kerncijfers: list[Row]) -> str | None:
    """The gemeente's latest Iv3 jaarrekening (actual figures), else its latest begroting."""
    datasets = {text(r["dataset"]) for r in kerncijfers if text(r["dataset"]).startswith("iv3-")}

    def key(name: str) -> tuple[int, str]:
        return (1 if name.endswith("jaarrekening") else 0, name.split("-")[1])

    return max(datasets, key=key, default=None)


def cached(run: Runner, key: tuple, compute: Callable[[], object]) -> object:
    """``compute()`` kept per store version when the runner names its store (a
    :class:`~sdgraph.runner.Runner` does); computed each time otherwise."""
    store = getattr(run, "store", None)
    if store is None:
        return compute()
    return COMPUTED.get(store, key, compute)


def _number(term: Identifier | None) -> float | None:
    try:
        return float(text(term))
    except ValueError:
        return None


# --------------------------------------------------------------------------- definitions


@dataclass(frozen=True)
class Definitie:
    """One kerncijfer and how it is computed."""

    iri: str
    id: str
    naam: str
    definitie: str = ""
    toelichting: str = ""
    volgorde: int = 99
    maatstaf: str | None = None  # CBS: the measure (slug)
    dataset: str | None = None  # CBS: the table (dataset slug)
    noemer: str | None = None  # the population measure divided by, when ``per``
    per: int | None = None  # 1: per inwoner, 1000: per 1,000 inwoners; None: as published
    periodesoort: str = "jaar"  # halfjaar | jaar | iv3
    centrumgemeente_kosten: bool = False
    codes: tuple[str, ...] = ()  # Iv3 taakvelden added up

    @property
    def iv3(self) -> bool:
        return self.periodesoort == "iv3"

    def eenheid(self, lang: str = "nl") -> str:
        """The unit beside a value, where the name does not say it (it says "per inwoner",
        "per 1.000 inwoners")."""
        return gettext("euro", lang) if self.iv3 else ""

    @property
    def decimalen(self) -> int | None:
        """Iv3 amounts per inwoner in whole euros; percentages and computed rates with one
        decimal; figures published as whole numbers as they are (None: a median of them
        shows its half, 62,5)."""
        if self.iv3:
            return 0
        return 1 if self.id.endswith("-pct") or self.per else None

    def getal(self, value: float | None, lang: str = "nl") -> str:
        """A value of this kerncijfer for reading, in the language's format."""
        return getal(value, self.decimalen, lang)


def definities(run: Runner) -> list[Definitie]:
    """The kerncijfers in their order (query ``foto/kerncijfer-definities``)."""
    out = []
    for r in run("foto/kerncijfer-definities", {}):
        per = _number(r.get("per"))
        out.append(Definitie(
            iri=text(r["kerncijfer"]), id=text(r["id"]),
            naam=text(r.get("naam")) or text(r["id"]),
            definitie=text(r.get("definitie")), toelichting=text(r.get("toelichting")),
            volgorde=int(_number(r.get("volgorde")) or 99),
            maatstaf=text(r.get("maatstaf")) or None, dataset=text(r.get("dataset")) or None,
            noemer=text(r.get("noemer")) or None, per=int(per) if per else None,
            periodesoort=text(r.get("periodesoort")) or "jaar",
            centrumgemeente_kosten=text(r.get("centrumgemeenteKosten")).lower() == "true",
            codes=tuple(sorted(text(r.get("codes")).split(), key=code_order)),
        ))
    return out


def code_order(code: str) -> tuple:
    """Iv3 codes in their natural order: 6.2 < 6.21 < 6.3 < 6.71 < 6.71a < 6.711."""
    main, _, rest = code.partition(".")
    digits = "".join(c for c in rest if c.isdigit())
    return (int(main) if main.isdigit() else 0, digits, rest)


def getal(value: float | None, decimals: int | None, lang: str = "nl") -> str:
    """``value`` with ``decimals`` decimals, or with None at most one, only when needed
    (52, 62,5); – for no value."""
    if value is None:
        return "–"
    if decimals is None:
        rounded = round(value, 1)
        return format_number(rounded, lang, 0 if rounded == int(rounded) else 1)
    return format_number(value, lang, decimals)


# --------------------------------------------------------------------------- periods


SOORTEN = {
    "halfjaar": N_("{jaar}, {n}e halfjaar"),
    "jaar": N_("{jaar}"),
    "begroting": N_("begroting {jaar}"),
    "jaarrekening": N_("jaarrekening {jaar}"),
}


@dataclass(frozen=True, order=True)
class Periode:
    """A period of a series: a half year, a year, or an Iv3 file (begroting or jaarrekening
    of a year; the begroting of a year before its jaarrekening)."""

    begin: date
    volgorde: int
    dataset: str
    periode: str  # as in the source: "2023", "2023H1"
    soort: str  # halfjaar | jaar | begroting | jaarrekening

    @property
    def sleutel(self) -> str:
        return f"{self.dataset}/{self.periode}"

    @property
    def eind(self) -> date:
        """The last day of the period."""
        if self.soort == "halfjaar" and self.periode.endswith("H1"):
            return date(self.begin.year, 6, 30)
        return date(self.begin.year, 12, 31)

    @property
    def jaar(self) -> int:
        return self.begin.year

    def label(self, lang: str = "nl") -> str:
        n = self.periode[-1] if self.soort == "halfjaar" else ""
        return gettext(SOORTEN[self.soort], lang, jaar=self.begin.year, n=n)

    def kort(self) -> str:
        """A short label for a chart axis: 2023-1, 2023, B2023, R2023."""
        if self.soort == "halfjaar":
            return f"{self.begin.year}-{self.periode[-1]}"
        if self.soort == "begroting":
            return f"B{self.begin.year}"
        if self.soort == "jaarrekening":
            return f"R{self.begin.year}"
        return str(self.begin.year)


def periode(definitie: Definitie, dataset: str, per: str) -> Periode | None:
    """The period of an observation in the series of ``definitie``, or None when the
    observation is not part of it (a year in a half-year series, another table)."""
    if definitie.iv3:
        m = _IV3.match(dataset)
        if not m or per != m.group(1):
            return None
        return Periode(date(int(per), 1, 1), 1 if m.group(2) == "jaarrekening" else 0,
                       dataset, per, m.group(2))
    if dataset != definitie.dataset:
        return None
    if definitie.periodesoort == "halfjaar":
        m = _HALFJAAR.match(per)
        if not m:
            return None
        return Periode(date(int(m.group(1)), 1 if m.group(2) == "1" else 7, 1), 0, dataset, per,
                       "halfjaar")
    if _JAAR.match(per):
        return Periode(date(int(per), 1, 1), 0, dataset, per, "jaar")
    return None


# --------------------------------------------------------------------------- the national table


@dataclass
class Verdeling:
    """One kerncijfer in one period for every gemeente: values, median, ranks."""

    periode: Periode
    waarden: dict[str, float]  # gemeente IRI -> value
    codes: tuple[str, ...] = ()  # the Iv3 taakvelden this file has of the kerncijfer
    mediaan: float | None = None
    rangen: dict[str, int] = field(default_factory=dict)  # 1 = highest value

    @property
    def aantal(self) -> int:
        return len(self.waarden)

    @classmethod
    def van(cls, periode: Periode, waarden: dict[str, float],
            codes: tuple[str, ...] = ()) -> Verdeling:
        ranked = sorted(waarden.items(), key=lambda kv: (-kv[1], kv[0]))
        return cls(periode, waarden, codes,
                   statistics.median(waarden.values()) if waarden else None,
                   {g: i for i, (g, _) in enumerate(ranked, start=1)})


@dataclass
class Landelijk:
    """Every kerncijfer's national series, and the gemeenten's codes and names."""

    reeksen: dict[str, list[Verdeling]]  # kerncijfer id -> periods in order
    namen: dict[str, tuple[str, str]]  # gemeente IRI -> (GM code, name)

    def naam(self, gemeente: str) -> str:
        return self.namen.get(gemeente, ("", gemeente))[1] or gemeente

    def code(self, gemeente: str) -> str:
        return self.namen.get(gemeente, ("", ""))[0]

    def to_json(self) -> str:
        return json.dumps({
            "reeksen": {k: [{"periode": [v.periode.begin.isoformat(), v.periode.volgorde,
                                         v.periode.dataset, v.periode.periode, v.periode.soort],
                             "codes": list(v.codes), "waarden": v.waarden} for v in series]
                        for k, series in self.reeksen.items()},
            "namen": self.namen})

    @classmethod
    def from_json(cls, data: str) -> Landelijk:
        raw = json.loads(data)
        reeksen = {}
        for k, series in raw["reeksen"].items():
            out = []
            for v in series:
                begin, volgorde, dataset, per, soort = v["periode"]
                out.append(Verdeling.van(
                    Periode(date.fromisoformat(begin), volgorde, dataset, per, soort),
                    {g: float(x) for g, x in v["waarden"].items()}, tuple(v["codes"])))
            reeksen[k] = out
        return cls(reeksen, {g: (c, n) for g, (c, n) in raw["namen"].items()})


#: Bumped whenever the national table is computed differently (its files are then new).
FORMAT = 1


def landelijk(run: Runner) -> Landelijk:
    """The national table, kept in this process while the data its queries read is
    unchanged; read from the store, where the load computed it (:data:`LANDELIJK`), else
    from a file per store version in the temporary folder, else computed (querying every
    observation: seconds at national scale)."""
    return NAAR_INVOER.get(run, LANDELIJK.reads, ("landelijk",), lambda: _bewaard(run))


def _bewaard(run: Runner) -> Landelijk:
    store = getattr(run, "store", None)
    if store is None or getattr(store, "path", "") is None:  # in memory: written directly
        return _landelijk(run)
    library = getattr(run, "library", None)
    if library is not None:  # computed at load time (sdgraph.materialise), if still valid
        from . import materialise

        stored = materialise.lookup_table(store, library, LANDELIJK)
        if stored is not None:
            try:
                return Landelijk.from_json(stored)
            except (ValueError, KeyError, TypeError):
                pass
    path = Path(tempfile.gettempdir()) / f"sdgraph-kerncijfers-{FORMAT}-{store.version()}.json"
    try:
        return Landelijk.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    table = _landelijk(run)
    partial = path.with_suffix(f".{os.getpid()}.part")
    try:
        partial.write_text(table.to_json(), encoding="utf-8")
        partial.replace(path)  # atomic: a concurrent reader never sees half a file
    except OSError:
        partial.unlink(missing_ok=True)
    return table


def _landelijk(run: Runner) -> Landelijk:
    defs = definities(run)
    # (maatstaf, dataset, periode) -> gemeente -> value
    obs: dict[tuple[str, str, str], dict[str, float]] = {}
    for r in run("foto/waarnemingen", {}):
        value = _number(r.get("waarde"))
        if value is None:
            continue
        key = (text(r["maatstaf"]), text(r["dataset"]), text(r["periode"]))
        obs.setdefault(key, {})[text(r["gemeente"])] = value
    per_key: dict[tuple[str, str], list[tuple[str, dict[str, float]]]] = {}
    for (maatstaf, dataset, per), values in obs.items():
        per_key.setdefault((dataset, per), []).append((maatstaf, values))
    reeksen: dict[str, list[Verdeling]] = {}
    for d in defs:
        series = []
        for (dataset, per), measures in per_key.items():
            p = periode(d, dataset, per)
            if p is None:
                continue
            found = dict(measures)
            if d.iv3:
                codes = tuple(c for c in d.codes if f"iv3-lasten-{c}" in found)
                totals: dict[str, float] = {}
                for c in codes:
                    for g, v in found[f"iv3-lasten-{c}"].items():
                        totals[g] = totals.get(g, 0.0) + v
            else:
                codes = ()
                totals = dict(found.get(d.maatstaf or "", {}))
            if d.per and d.noemer:
                population = found.get(d.noemer, {})
                totals = {g: v * d.per / population[g] for g, v in totals.items()
                          if population.get(g, 0) > 0}
            if totals:
                series.append(Verdeling.van(p, totals, codes))
        reeksen[d.id] = sorted(series, key=lambda v: v.periode)
    namen = {text(r["gemeente"]): (text(r.get("code")), text(r.get("naam")))
             for r in run("foto/gemeenten", {})}
    return Landelijk(reeksen, namen)


#: The national table as the load computes it into the store (``sdgraph.materialise``):
#: its text is :meth:`Landelijk.to_json`, valid while the data its queries read is.
LANDELIJK = StoredTable("kerncijfers/landelijk",
                        ("foto/kerncijfer-definities", "foto/waarnemingen", "foto/gemeenten"),
                        lambda run: _landelijk(run).to_json())


# --------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class Bron:
    """A dataset of observations: what a period of a kerncijfer comes from."""

    dataset: str
    titel: str
    tabel: str  # "CBS StatLine 86050NED", "CBS Iv3 2023 jaarrekening"
    uitgever: str = ""
    licentie: str = ""
    soort: str = ""  # Iv3: begroting | jaarrekening
    boekjaar: str = ""
    lijst: str = ""  # Iv3: boekjaar of the code list the taakveld names come from
    lijst_titel: str = ""
    lijst_bestand: str = ""
    perioden: tuple[str, ...] = ()
    graaf: str = ""
    geladen: str = ""

    @property
    def tabel_id(self) -> str:
        """The CBS table id (86050NED), or the Iv3 file's name."""
        return self.tabel.rsplit(" ", 1)[-1] if "StatLine" in self.tabel else self.tabel

    def periode_bereik(self) -> str:
        """'2017H1–2024H1' (first to last period it holds)."""
        if not self.perioden:
            return ""
        ordered = sorted(self.perioden)
        return ordered[0] if len(ordered) == 1 else f"{ordered[0]}–{ordered[-1]}"


def bronnen(run: Runner) -> dict[str, Bron]:
    """Every dataset of observations by slug (query ``foto/bronnen``)."""
    out = {}
    for r in run("foto/bronnen", {}):
        slug = text(r["dataset"])
        if slug in out:
            continue
        out[slug] = Bron(
            dataset=slug, titel=text(r.get("titel")) or slug, tabel=text(r.get("tabel")),
            uitgever=text(r.get("uitgever")), licentie=text(r.get("licentie")),
            soort=text(r.get("soort")), boekjaar=text(r.get("boekjaar")),
            lijst=text(r.get("lijst")), lijst_titel=text(r.get("lijstTitel")),
            lijst_bestand=text(r.get("lijstBestand")),
            perioden=tuple(sorted(text(r.get("perioden")).split())),
            graaf=text(r.get("graaf")), geladen=text(r.get("geladen"))[:10])
    return out


def taakvelden(run: Runner) -> dict[str, dict[str, str]]:
    """Iv3 taakveld names: code list boekjaar -> code -> full name."""
    out: dict[str, dict[str, str]] = {}
    for r in run("foto/taakvelden", {}):
        out.setdefault(text(r["lijst"]), {})[text(r["code"])] = text(r["naam"])
    return out
