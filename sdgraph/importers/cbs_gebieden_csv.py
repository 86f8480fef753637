"""Importer for CBS "Gebieden in Nederland" CSV exports: gemeente, provincie,
veiligheidsregio and population of one year.

Input: ``<folder>/gebieden-<year>-gemeente-provincie-veiligheidsregio.csv``,
``;``-separated, quoted, header ``municipalityName;municipalityCode;
provinceCode;provinceName;securityRegionCode;securityRegionName;population``;
the last line is a source note, not a row.

Output (one rdflib Graph, dated to the year in the file name):

* each gemeente's veiligheidsregio membership in that year,
  ``sdid:lidmaatschap/<gm-code>/regio/veiligheidsregio/<year>`` with
  ``sd:peiljaar`` (:mod:`.regio` gives it the days on which the table holds);
  the regio is the one that already carries the same CBS code (``VR22``) in the
  2016 graphs, so the same region stays one node, else a new
  ``sdid:regio/veiligheidsregio/<slug of the name>``;
* the population as a W3C Data Cube observation in dataset
  ``sdid:dataset/cbs-gebieden-<year>`` (maatstaf ``inwonertal``, eenheid
  ``aantal``), like the other CBS key figures;
* the provincie is not restated (TOOI gives it); a provincie code that
  differs from TOOI's is not checked here.

Malformed rows (wrong number of fields, bad gemeente code, bad population) are
reported with file and line and skipped; the rest imports.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from ..identity import gemeente_code, gemeente_iri, slugify
from ..namespaces import ORG, SD, SDID
from .cbs_sociaal import QB, dataset_iri, maatstaf_iri, observatie_iri
from .regioatlas import indeling_iri, regio_iri
from .report import ImportReport

GLOB = "gebieden-*-gemeente-provincie-veiligheidsregio.csv"
COLUMNS = (
    "municipalityName",
    "municipalityCode",
    "provinceCode",
    "provinceName",
    "securityRegionCode",
    "securityRegionName",
    "population",
)
INDELING = "veiligheidsregio"
_YEAR = re.compile(r"gebieden-(\d{4})-")
_VR = re.compile(r"^VR\d{2}$")


def csv_file(folder: Path) -> Path | None:
    """The newest such CSV in ``folder``, if any."""
    files = sorted(Path(folder).glob(GLOB))
    return files[-1] if files else None


def csv_year(path: Path) -> str | None:
    """The year in the file name (``gebieden-2020-...``), if any."""
    m = _YEAR.search(Path(path).name)
    return m.group(1) if m else None


def regios_by_code(*graphs: Graph) -> dict[str, URIRef]:
    """CBS code -> regio IRI for the veiligheidsregio's of ``graphs``."""
    indeling = indeling_iri(INDELING)
    regios = {r for g in graphs for r in g.subjects(SD.regioindeling, indeling)}
    return {
        str(code): regio  # type: ignore[misc]
        for g in graphs
        for regio, code in g.subject_objects(SD.regiocode)
        if regio in regios
    }


def import_cbs_gebieden_csv(
    path: Path, report: ImportReport, known: dict[str, URIRef] | None = None
) -> Graph:
    """Import one CSV (see module docstring); ``known`` maps VR codes to existing regio's."""
    path = Path(path)
    m = _YEAR.search(path.name)
    if not m:
        report.warn(
            path, None, "no year in the file name (gebieden-<year>-...); skipped", skip=True
        )
        return Graph()
    year = m.group(1)
    known = dict(known or {})
    g = Graph()
    dataset = f"cbs-gebieden-{year}"
    ds = dataset_iri(dataset)
    g.add((ds, RDF.type, QB.DataSet))
    g.add((ds, RDFS.label, Literal(f"CBS Gebieden in Nederland {year}", lang="nl")))
    g.add((ds, DCTERMS.source, Literal(path.name)))
    g.add((maatstaf_iri("inwonertal"), RDF.type, SD.Maatstaf))
    g.add((maatstaf_iri("inwonertal"), RDFS.label, Literal("Inwonertal", lang="nl")))
    peiljaar = Literal(year, datatype=XSD.gYear)
    indeling = indeling_iri(INDELING)
    g.add((indeling, RDF.type, SD.Regioindeling))

    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f, delimiter=";")
        header = [h.strip() for h in next(reader, [])]
        if tuple(header) != COLUMNS:
            report.warn(path, 1, f"unexpected header {header}; file skipped", skip=True)
            return g
        for row in reader:
            line = reader.line_num
            if not any(c.strip() for c in row):
                continue
            if len(row) == 1:
                report.count("bronregels (geen gemeente)")
                continue  # the trailing source note
            if len(row) != len(COLUMNS):
                report.warn(path, line, f"{len(row)} fields, expected {len(COLUMNS)}", skip=True)
                continue
            rec = dict(zip(COLUMNS, (c.strip() for c in row), strict=True))
            gm = gemeente_code(rec["municipalityCode"])
            if gm is None or not rec["municipalityCode"].upper().startswith("GM"):
                report.warn(
                    path, line, f"malformed gemeentecode {rec['municipalityCode']!r}", skip=True
                )
                continue
            try:
                population = Decimal(rec["population"]) if rec["population"] else None
            except InvalidOperation:
                report.warn(
                    path, line, f"population {rec['population']!r} is not a number", skip=True
                )
                continue
            vr, vr_name = rec["securityRegionCode"], rec["securityRegionName"]
            if not _VR.match(vr):
                report.warn(path, line, f"malformed veiligheidsregio code {vr!r}", skip=True)
                continue
            regio = known.get(vr)
            if regio is None:
                regio = regio_iri(INDELING, slugify(vr_name) or vr.lower())
                known[vr] = regio
                g.add((regio, RDF.type, SD.Regio))
                g.add((regio, RDFS.label, Literal(vr_name, lang="nl")))
                g.add((regio, SD.regioindeling, indeling))
                g.add((regio, SD.regiocode, Literal(vr)))
                g.add((regio, SD.peiljaar, peiljaar))
                report.count("nieuwe regio's")
            lid = SDID[f"lidmaatschap/{gm}/regio/{INDELING}/{year}"]
            g.add((lid, RDF.type, SD.Lidmaatschap))
            g.add((lid, ORG.member, gemeente_iri(gm)))
            g.add((lid, ORG.organization, regio))
            g.add((lid, SD.peiljaar, peiljaar))
            g.add((lid, DCTERMS.source, Literal(path.name)))
            report.count("lidmaatschappen")
            if population is not None:
                obs = observatie_iri(dataset, gm, year, "inwonertal")
                g.add((obs, RDF.type, QB.Observation))
                g.add((obs, QB.dataSet, ds))
                g.add((obs, SD.gemeente, gemeente_iri(gm)))
                g.add((obs, SD.periode, Literal(year)))
                g.add((obs, SD.maatstaf, maatstaf_iri("inwonertal")))
                g.add((obs, SD.waarde, Literal(population, datatype=XSD.decimal)))
                g.add((obs, SD.eenheid, Literal("aantal")))
                g.add((obs, DCTERMS.source, Literal(f"CBS Gebieden in Nederland {year}")))
                report.count("observaties")
    return g
