"""Importer for CBS key figures of the sociaal domein per gemeente (W3C Data Cube).

Input: a folder laid out like ``shared/data/sources/cbs-sociaal``:

* ``iv3/{2023_jaarrekening,2023_begroting,2024_begroting,2025_begroting}.csv``:
  Iv3 lasten and baten per gemeente per taakveld, ``;``-separated, in EUR 1,000,
  gemeenten by name (no code); ``iv3/gemeentenamen.csv`` (tab-separated,
  ``Iv3naam<TAB>GFnaam``) lists spelling variants;
* ``statline/85383NED.csv`` (maatstaven gemeentefonds): its ``RegioS`` title and
  ``Regiocode_73`` (``GM0823``) map every gemeente name to its code; its
  ``Definitief`` rows give the bijstand counts;
* ``statline/86050NED.csv``: Wmo-cliënten (only the ``Totaal`` block);
* ``statline/85098NED.csv``: % of young people with jeugdhulp, jeugdbescherming,
  jeugdreclassering.

Output (one rdflib Graph): one ``qb:DataSet`` per source table
(``sdid:dataset/iv3-2023-jaarrekening``, ``sdid:dataset/cbs-86050NED``, ...) and
one ``qb:Observation`` per figure, IRI
``sdid:observatie/<dataset>/<gmcode>/<periode>/<maatstaf>``, with ``qb:dataSet``,
``sd:gemeente`` (TOOI IRI), ``sd:periode`` ("2023", "2023H1"), ``sd:maatstaf``
(``sdid:maatstaf/<slug>``, a labelled ``sd:Maatstaf``), ``sd:waarde``
(xsd:decimal), ``sd:eenheid`` ("EUR", "aantal", "per 1000 inwoners", "%") and
``dct:source`` (the table id). Iv3 amounts are converted from EUR 1,000 to EUR.

Besides the figures: the official names of the 6.x taakvelden from the Iv3 code lists
in ``iv3-definities/`` (SKOS concepts per boekjaar; each Iv3 dataset has
``sd:taakveldenlijst``, its own boekjaar's list or the nearest one), the boekjaar
(``sd:boekjaar``) and kind (``sd:iv3Soort``: begroting or jaarrekening) of each Iv3
dataset, the periods each dataset holds (``sd:bevatPeriode``), and per gemeente and Iv3
dataset its ``Gemeentegrootte`` and ``Stedelijkheid`` as observations of the maatstaven
``gemeentegrootte`` and ``stedelijkheid`` whose ``sd:klasse`` is a concept
(:mod:`.iv3_definities`), so comparable gemeenten can be found with their source.

Only the 6.x (sociaal domein) taakvelden are imported; the taakveld's own code
is kept as is (6.71 and its parts 6.71a-d are separate figures: 6.71 is what is
not booked on a part). Empty cells (unknown or secret) give no observation.
Names missing from 85383NED (gemeenten merged away: Haaren, Beemster, ...) are
looked up in the TOOI register and linked to the gemeente that bore the name on
the first day of the figure's period (see :class:`sdgraph.identity.GemeenteNamen`).
Names that map to no gemeente are reported once per file with the first row
(line number, header = line 1); aggregates (Nederland, provincies, regio's,
size classes) are skipped silently. Malformed rows are reported and skipped.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from ..errors import DataError
from ..identity import GemeenteNamen, gemeente_iri
from ..namespaces import GRAPH, SD, SDID
from ..store import Source
from .iv3_definities import (
    Codelijst,
    Klasse,
    grootteklasse,
    lijst_iri,
    nearest_list,
    read_lists,
    stedelijkheidsklasse,
    taakveld_iri,
)
from .report import ImportReport
from .tooi import gemeente_namen

QB = Namespace("http://purl.org/linked-data/cube#")

LICENSE = "https://creativecommons.org/licenses/by/4.0/"
PUBLISHER = "Centraal Bureau voor de Statistiek (CBS)"

#: Iv3 files: file stem -> (dataset slug, period, label)
IV3_FILES = {
    "2023_jaarrekening": ("iv3-2023-jaarrekening", "2023", "Iv3 jaarrekening 2023"),
    "2023_begroting": ("iv3-2023-begroting", "2023", "Iv3 begroting 2023"),
    "2024_begroting": ("iv3-2024-begroting", "2024", "Iv3 begroting 2024"),
    "2025_begroting": ("iv3-2025-begroting", "2025", "Iv3 begroting 2025"),
}
NAMES_FILE = "statline/85383NED.csv"

#: StatLine tables: measure column -> (maatstaf slug, label, eenheid)
WMO_MEASURES = {
    "WmoClienten_1": ("wmo-clienten", "Wmo-cliënten", "aantal"),
    "WmoClientenPer1000Inwoners_2": (
        "wmo-clienten-per-1000-inwoners",
        "Wmo-cliënten per 1000 inwoners",
        "per 1000 inwoners",
    ),
}
BIJSTAND_MEASURES = {
    "InwonersTotaal_1": ("inwoners", "Inwoners (maatstaven gemeentefonds)", "aantal"),
    "TotaalBijstandsuitkeringen_22": ("bijstandsuitkeringen", "Bijstandsuitkeringen", "aantal"),
    "AlgemeneBijstand_23": ("algemene-bijstand", "Algemene bijstand (uitkeringen)", "aantal"),
}
JEUGD_MEASURES = {
    "JongerenMetJeugdhulpInNatura_1": (
        "jongeren-met-jeugdhulp-pct",
        "Jongeren met jeugdhulp in natura (%)",
        "%",
    ),
    "JongerenMetJeugdhMetVerblInNat_2": (
        "jongeren-met-jeugdhulp-met-verblijf-pct",
        "Jongeren met jeugdhulp met verblijf in natura (% van jongeren met jeugdhulp)",
        "%",
    ),
    "JongerenMetJeugdbescherming_3": (
        "jongeren-met-jeugdbescherming-pct",
        "Jongeren met jeugdbescherming (%)",
        "%",
    ),
    "JongerenMetJeugdreclassering_5": (
        "jongeren-met-jeugdreclassering-pct",
        "Jongeren met jeugdreclassering (%)",
        "%",
    ),
}

_TAAKVELD = re.compile(r"^(6\.\d+[a-z]?)\s+(.*?)\s*(?:\.\.)?\s*$")
_HALFJAAR = re.compile(r"^([12])e\s*half\s*jaar\s+(\d{4})$", re.I)
_YEAR = re.compile(r"^\d{4}$")
#: StatLine region titles that are not gemeenten: (PV), (JZ), (LD), (CR), size classes.
_AGGREGATE = re.compile(r"\((?:PV|JZ|LD|CR|COROP)\)$|inwoners|^Nederland$")


def dataset_iri(slug: str) -> URIRef:
    return SDID[f"dataset/{slug}"]


def maatstaf_iri(slug: str) -> URIRef:
    return SDID[f"maatstaf/{slug}"]


def observatie_iri(dataset: str, gmcode: str, periode: str, maatstaf: str) -> URIRef:
    return SDID[f"observatie/{dataset}/{gmcode}/{periode}/{maatstaf}"]


def periode(title: str) -> str | None:
    """StatLine period title -> '2023' or '2023H1' ('1e half jaar 2024' too); else None."""
    title = title.strip()
    if _YEAR.match(title):
        return title
    m = _HALFJAAR.match(title)
    return f"{m.group(2)}H{m.group(1)}" if m else None


def period_start(per: str) -> date:
    """'2019' -> 2019-01-01, '2019H2' -> 2019-07-01."""
    return date(int(per[:4]), 7 if per.endswith("H2") else 1, 1)


def _decimal(value: str) -> Decimal:
    try:
        d = Decimal(value.strip())
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    if not d.is_finite():
        raise ValueError(f"not a number: {value!r}")
    return d


def _read_rows(path: Path, delimiter: str = ";") -> Iterator[tuple[int, dict[str, str], int]]:
    """(line number, row, number of fields) for each data row; header is line 1."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f, delimiter=delimiter)
        try:
            header = next(reader, None)
            if header is None:
                return
            header = [h.strip() for h in header]
            for row in reader:
                if not any(c.strip() for c in row):
                    continue
                yield reader.line_num, dict(zip(header, row, strict=False)), len(row) - len(header)
        except UnicodeDecodeError:
            raise DataError(f"{path}: not UTF-8 text after line {reader.line_num}") from None
        except csv.Error as exc:
            raise DataError(f"{path}, line {reader.line_num}: {exc}") from None


class _Names:
    """Gemeente name (StatLine title or gemeentefonds spelling) -> gm code.

    First the names of the 85383NED table (current gemeenten, with their
    codes); then, for names it lacks, the TOOI register: the gemeente that bore
    the name on the first day of the figure's period (Haaren in 2019 is GM0788).
    """

    def __init__(
        self, folder: Path, report: ImportReport, historic: GemeenteNamen | None = None
    ) -> None:
        self.historic = historic
        path = folder / NAMES_FILE
        if not path.is_file():
            raise DataError(f"{path}: missing; it is needed to map gemeente names to GM codes")
        self.codes: dict[str, str] = {}
        for line, row, extra in _read_rows(path):
            code = (row.get("Regiocode_73") or "").strip()
            name = (row.get("RegioS") or "").strip()
            if extra or not name:
                report.warn(path, line, "malformed row (wrong number of fields or no RegioS)")
                continue
            if code.upper().startswith("GM"):
                self.codes[name] = code.lower()
        aliases = folder / "iv3" / "gemeentenamen.csv"
        if aliases.is_file():
            for line, row, _extra in _read_rows(aliases, delimiter="\t"):
                iv3, gf = (row.get("Iv3naam") or "").strip(), (row.get("GFnaam") or "").strip()
                if iv3 in self.codes and gf and gf not in self.codes:
                    self.codes[gf] = self.codes[iv3]
                elif iv3 not in self.codes:
                    report.warn(aliases, line, f"{iv3!r} is not a gemeente in {NAMES_FILE}")
        self._warned: set[tuple[str, str]] = set()
        self._historic: set[tuple[str, str]] = set()

    def code(
        self, name: str, path: Path, line: int, report: ImportReport, per: str | None = None
    ) -> str | None:
        """The code of ``name`` for figures of period ``per``; None (and a warning) if none."""
        name = name.strip()
        code = self.codes.get(name)
        if code is None and self.historic is not None and per is not None:
            code = self.historic.resolve(name, period_start(per))
            if code is not None and (path.name, name) not in self._historic:
                self._historic.add((path.name, name))
                report.count("historische gemeentenamen")
        if code is None and not _AGGREGATE.search(name):
            report.skipped += 1
            if (path.name, name) not in self._warned:
                self._warned.add((path.name, name))
                report.warn(
                    path, line, f"gemeente name {name!r} maps to no GM code; its rows are skipped"
                )
        return code


class _Cube:
    """The Data Cube triples, kept as Oxigraph terms (rdflib's graph took 40 s for 0.9M)."""

    def __init__(self, report: ImportReport) -> None:
        self.triples: set[ox.Triple] = set()
        self.report = report
        self._maatstaven: set[str] = set()
        self._datasets: set[str] = set()
        self._iris: dict[str, ox.NamedNode] = {}
        self._literals: dict[str, ox.Literal] = {}
        self._periods: dict[str, set[str]] = {}
        self._klassen: set[str] = set()

    def _iri(self, iri: str) -> ox.NamedNode:
        node = self._iris.get(iri)
        if node is None:
            node = self._iris[iri] = ox.NamedNode(iri)
        return node

    def _text(self, value: str) -> ox.Literal:
        node = self._literals.get(value)
        if node is None:
            node = self._literals[value] = ox.Literal(value)
        return node

    def _add(self, s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        self.triples.add(ox.Triple(s, self._iri(p), o))

    def dataset(self, slug: str, label: str, table: str) -> None:
        iri = self._iri(str(dataset_iri(slug)))
        self._add(iri, str(RDF.type), self._iri(str(QB.DataSet)))
        self._add(iri, str(RDFS.label), ox.Literal(label, language="nl"))
        self._add(iri, str(DCTERMS.source), self._text(table))
        self._add(iri, str(DCTERMS.publisher), self._text(PUBLISHER))
        self._add(iri, str(DCTERMS.license), self._iri(LICENSE))
        self._datasets.add(slug)
        self.report.count("datasets")

    def iv3_dataset(self, slug: str, boekjaar: str, soort: str,
                    lijst: Codelijst | None) -> None:
        """Boekjaar, kind and code list of an Iv3 dataset."""
        iri = self._iri(str(dataset_iri(slug)))
        self._add(iri, str(SD.boekjaar), self._text(boekjaar))
        self._add(iri, str(SD.iv3Soort), self._text(soort))
        if lijst is not None:
            self._add(iri, str(SD.taakveldenlijst), self._iri(lijst_iri(lijst.boekjaar)))

    def codelijst(self, lijst: Codelijst) -> None:
        """An Iv3 code list: a concept scheme with a concept per 6.x taakveld."""
        scheme = self._iri(lijst_iri(lijst.boekjaar))
        self._add(scheme, _RDF_TYPE, self._iri(str(SKOS.ConceptScheme)))
        self._add(scheme, str(RDFS.label), ox.Literal(
            f"Iv3-taakvelden {lijst.boekjaar} (gemeenten)", language="nl"))
        self._add(scheme, str(DCTERMS.title), self._text(
            f"{lijst.titel}, Gemeente, boekjaar {lijst.boekjaar}"))
        self._add(scheme, str(DCTERMS.source), self._text(lijst.bestand))
        self._add(scheme, str(DCTERMS.publisher), self._text(PUBLISHER))
        self._add(scheme, str(SD.boekjaar), self._text(lijst.boekjaar))
        for tv in lijst.taakvelden:
            node = self._iri(taakveld_iri(lijst.boekjaar, tv.code))
            self._add(node, _RDF_TYPE, self._iri(str(SKOS.Concept)))
            self._add(node, str(SKOS.inScheme), scheme)
            self._add(node, str(SKOS.notation), self._text(tv.code))
            self._add(node, str(SKOS.prefLabel), ox.Literal(tv.naam, language="nl"))
        self.report.count("taakvelden (Iv3-codelijst)", len(lijst.taakvelden))

    def klasse(self, klasse: Klasse) -> ox.NamedNode:
        """The concept of a size or urbanisation class (written once)."""
        node = self._iri(klasse.iri)
        if klasse.iri not in self._klassen:
            self._klassen.add(klasse.iri)
            scheme = self._iri(klasse.schema)
            self._add(node, _RDF_TYPE, self._iri(str(SKOS.Concept)))
            self._add(node, str(SKOS.inScheme), scheme)
            self._add(node, str(SKOS.notation), self._text(str(klasse.orde)))
            self._add(node, str(SKOS.prefLabel), ox.Literal(klasse.nl, language="nl"))
            self._add(node, str(SKOS.prefLabel), ox.Literal(klasse.en, language="en"))
            self._add(scheme, _RDF_TYPE, self._iri(str(SKOS.ConceptScheme)))
        return node

    def classify(self, dataset: str, table: str, gmcode: str, per: str, maatstaf: str,
                 klasse: Klasse) -> None:
        """An observation whose value is a class (``sd:klasse``) instead of a number."""
        obs = ox.NamedNode(str(observatie_iri(dataset, gmcode, per, maatstaf)))
        add, iri = self._add, self._iri
        add(obs, _RDF_TYPE, iri(_QB_OBSERVATION))
        add(obs, _QB_DATASET, iri(str(dataset_iri(dataset))))
        add(obs, _SD_GEMEENTE, iri(str(gemeente_iri(gmcode))))
        add(obs, _SD_PERIODE, self._text(per))
        add(obs, _SD_MAATSTAF, iri(str(maatstaf_iri(maatstaf))))
        add(obs, str(SD.klasse), self.klasse(klasse))
        add(obs, _DCT_SOURCE, self._text(table))
        self.report.count("klassen")

    def periods(self) -> None:
        """The periods each dataset holds (``sd:bevatPeriode``), after all observations."""
        for slug, periods in self._periods.items():
            iri = self._iri(str(dataset_iri(slug)))
            for per in periods:
                self._add(iri, str(SD.bevatPeriode), self._text(per))

    def maatstaf(self, slug: str, label: str) -> URIRef:
        iri = maatstaf_iri(slug)
        node = self._iri(str(iri))
        if slug not in self._maatstaven:
            self._maatstaven.add(slug)
            self._add(node, _RDF_TYPE, self._iri(str(SD.Maatstaf)))
            self.report.count("maatstaven")
        self._add(node, str(RDFS.label), ox.Literal(label, language="nl"))
        return iri

    def observe(
        self,
        dataset: str,
        table: str,
        gmcode: str,
        per: str,
        maatstaf: str,
        waarde: Decimal,
        eenheid: str,
    ) -> None:
        obs = ox.NamedNode(str(observatie_iri(dataset, gmcode, per, maatstaf)))
        add, iri, text = self._add, self._iri, self._text
        add(obs, _RDF_TYPE, iri(_QB_OBSERVATION))
        add(obs, _QB_DATASET, iri(str(dataset_iri(dataset))))
        add(obs, _SD_GEMEENTE, iri(str(gemeente_iri(gmcode))))
        add(obs, _SD_PERIODE, text(per))
        add(obs, _SD_MAATSTAF, iri(str(maatstaf_iri(maatstaf))))
        add(obs, _SD_WAARDE, ox.Literal(f"{waarde:f}", datatype=_XSD_DECIMAL))
        add(obs, _SD_EENHEID, text(eenheid))
        add(obs, _DCT_SOURCE, text(table))
        self._periods.setdefault(dataset, set()).add(per)
        self.report.count("observaties")

    def ntriples(self) -> bytes:
        return ox.serialize(self.triples, format=ox.RdfFormat.N_TRIPLES) or b""

    def graph(self) -> Graph:
        g = Graph()
        g.bind("qb", QB)
        g.bind("sd", SD)
        g.bind("sdid", SDID)
        return g.parse(data=self.ntriples(), format="nt")


_RDF_TYPE = str(RDF.type)
_QB_OBSERVATION = str(QB.Observation)
_QB_DATASET = str(QB.dataSet)
_SD_GEMEENTE = str(SD.gemeente)
_SD_PERIODE = str(SD.periode)
_SD_MAATSTAF = str(SD.maatstaf)
_SD_WAARDE = str(SD.waarde)
_SD_EENHEID = str(SD.eenheid)
_DCT_SOURCE = str(DCTERMS.source)
_XSD_DECIMAL = ox.NamedNode(str(XSD.decimal))


# --------------------------------------------------------------------------- Iv3


def _import_iv3(folder: Path, names: _Names, cube: _Cube, report: ImportReport) -> None:
    lists = read_lists(folder / "iv3-definities", report.warn)
    for lijst in lists:
        cube.codelijst(lijst)
    for stem, (dataset, per, label) in IV3_FILES.items():
        path = folder / "iv3" / f"{stem}.csv"
        if not path.is_file():
            report.warn(path, None, "file missing; not imported")
            continue
        table = f"CBS Iv3 {stem.replace('_', ' ')}"
        cube.dataset(dataset, label, table)
        cube.iv3_dataset(dataset, per, stem.split("_", 1)[1], nearest_list(lists, per))
        inwoners: dict[str, tuple[int, str]] = {}
        klassen: dict[str, tuple[int, str, str]] = {}
        for line, row, extra in _read_rows(path):
            name, taakveld = (row.get("Gemeenten") or "").strip(), (row.get("Taakveld") or "")
            if extra or not name or "Lasten" not in row or "Baten" not in row:
                report.warn(path, line, "malformed row (wrong number of fields)", skip=True)
                continue
            m = _TAAKVELD.match(taakveld.strip())
            if not m:
                continue  # not a sociaal-domein taakveld
            gm = names.code(name, path, line, report, per)
            if gm is None:
                continue
            klassen.setdefault(gm, (line, row.get("Gemeentegrootte") or "",
                                    row.get("Stedelijkheid") or ""))
            code, tv_label = m.groups()
            try:
                values = {
                    kind: _decimal(row[col]) * 1000
                    for kind, col in (("lasten", "Lasten"), ("baten", "Baten"))
                    if row[col].strip()
                }
                inw = (row.get("Inwonertal") or "").strip()
                if inw:
                    inwoners.setdefault(gm, (line, inw))
                    _decimal(inw)
            except ValueError as exc:
                report.warn(path, line, f"malformed row: {exc}", skip=True)
                continue
            for kind, waarde in values.items():
                slug = f"iv3-{kind}-{code}"
                cube.maatstaf(slug, f"Iv3 {kind} taakveld {code} {tv_label}".strip())
                cube.observe(dataset, table, gm, per, slug, waarde, "EUR")
        if inwoners:
            cube.maatstaf("inwonertal", "Inwonertal")
        for gm, (_line, inw) in inwoners.items():
            cube.observe(dataset, table, gm, per, "inwonertal", _decimal(inw), "aantal")
        _import_klassen(path, dataset, table, per, klassen, cube, report)


def _import_klassen(path: Path, dataset: str, table: str, per: str,
                    klassen: dict[str, tuple[int, str, str]], cube: _Cube,
                    report: ImportReport) -> None:
    """Gemeentegrootte and Stedelijkheid of each gemeente (its first sociaal-domein row)."""
    if klassen:
        cube.maatstaf("gemeentegrootte", "Gemeentegrootte (klasse)")
        cube.maatstaf("stedelijkheid", "Stedelijkheid (klasse)")
    for gm, (line, grootte, stedelijkheid) in sorted(klassen.items()):
        for slug, value, read in (("gemeentegrootte", grootte, grootteklasse),
                                  ("stedelijkheid", stedelijkheid, stedelijkheidsklasse)):
            if not value.strip():
                continue  # unknown: no observation
            klasse = read(value)
            if klasse is None:
                report.warn(path, line, f"unknown {slug} class {value!r}; not imported")
                continue
            cube.classify(dataset, table, gm, per, slug, klasse)


# --------------------------------------------------------------------------- StatLine


def _import_statline(
    folder: Path,
    names: _Names,
    cube: _Cube,
    report: ImportReport,
    table: str,
    label: str,
    measures: dict[str, tuple[str, str, str]],
    keep: dict[str, str] | None = None,
) -> None:
    path = folder / "statline" / f"{table}.csv"
    if not path.is_file():
        report.warn(path, None, "file missing; not imported")
        return
    dataset = f"cbs-{table}"
    source = f"CBS StatLine {table}"
    cube.dataset(dataset, label, source)
    for slug, mlabel, _eenheid in measures.values():
        cube.maatstaf(slug, mlabel)
    for line, row, extra in _read_rows(path):
        if extra:
            report.warn(path, line, "malformed row (wrong number of fields)", skip=True)
            continue
        if keep and any((row.get(k) or "").strip() != v for k, v in keep.items()):
            continue
        per = periode(row.get("Perioden") or "")
        if per is None:
            report.warn(path, line, f"unreadable period {row.get('Perioden')!r}", skip=True)
            continue
        try:
            values = {col: _decimal(row[col]) for col in measures if (row.get(col) or "").strip()}
        except (ValueError, KeyError) as exc:
            report.warn(path, line, f"malformed row: {exc}", skip=True)
            continue
        if not values:
            continue  # no figures (e.g. a gemeente's periods after it merged away)
        gm = names.code(row.get("RegioS") or "", path, line, report, per)
        if gm is None:
            continue
        for col, waarde in values.items():
            slug, _mlabel, eenheid = measures[col]
            cube.observe(dataset, source, gm, per, slug, waarde, eenheid)


# --------------------------------------------------------------------------- entry points


def import_cbs_sociaal(
    folder: Path, report: ImportReport, tooi: Path | None = None
) -> Graph:
    """As :func:`cube_cbs_sociaal`, as an rdflib graph."""
    return cube_cbs_sociaal(folder, report, tooi).graph()


def cube_cbs_sociaal(
    folder: Path, report: ImportReport, tooi: Path | None = None
) -> _Cube:
    """All CBS sociaal-domein key figures under ``folder`` as one Data Cube graph.

    ``tooi`` is a TOOI register folder (default: ``tooi/`` beside ``folder``
    when it exists) used to link names of gemeenten merged away to the
    historic gemeente; without it such rows are reported and skipped.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(f"{folder}: not a folder")
    if tooi is None and (folder.parent / "tooi").is_dir():
        tooi = folder.parent / "tooi"
    names = _Names(folder, report, gemeente_namen(tooi) if tooi is not None else None)
    cube = _Cube(report)
    _import_iv3(folder, names, cube, report)
    _import_statline(
        folder, names, cube, report, "86050NED", "Wmo-cliënten per gemeente (CBS 86050NED)",
        WMO_MEASURES, keep={"TypeMaatwerkvoorziening": "Totaal"},
    )  # fmt: skip
    _import_statline(
        folder, names, cube, report, "85383NED", "Maatstaven gemeentefonds (CBS 85383NED)",
        BIJSTAND_MEASURES, keep={"StatusCijfer": "Definitief"},
    )  # fmt: skip
    _import_statline(
        folder, names, cube, report, "85098NED", "Jeugdzorg per gemeente (CBS 85098NED)",
        JEUGD_MEASURES,
    )  # fmt: skip
    cube.periods()
    return cube


def cbs_sociaal_sources(folder: Path, report: ImportReport | None = None) -> list[Source]:
    """The CBS sociaal-domein import as one Source (graph ``ref/cbs-sociaal``)."""
    report = report if report is not None else ImportReport("cbs-sociaal")
    cube = cube_cbs_sociaal(folder, report)
    return [
        Source(
            name="cbs-sociaal.nt",
            data=cube.ntriples(),
            graph=str(GRAPH["ref/cbs-sociaal"]),
            title="CBS kerncijfers sociaal domein per gemeente (Iv3, Wmo, bijstand, jeugdzorg)",
            publisher=PUBLISHER,
            license=LICENSE,
        )
    ]
