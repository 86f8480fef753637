"""Regio-indelingen in time: every regio source imported together, then dated.

The sources are tables of one year each: RegioAtlas 2016 (``regioatlas-2016/``),
CBS Gebieden in Nederland 2016 (codes, and the Wgr-samenwerkingsgebieden) and a
later year's veiligheidsregio's (``cbs-gebieden/``), and the gemeente -> regio
table of the newest CBS boundaries (``cbs-geo/``, 2025). A table says which regio
a gemeente was in that year, not since when. So each membership gets the days on
which its table is the one in force (docs/lidmaatschappen.md):

* per indeling and gemeente, the tables that list the gemeente, by year: a
  table holds from 1 January of its year up to 1 January of the next table's
  year (``sd:toetredingsdatum`` / ``sd:uittredingsdatum``); the first one also
  before its year and the last one after it (the nearest table is the best
  there is; ``sd:peiljaar`` says which year a page shows);
* within the gemeente's lifetime (TOOI): from the day it began, up to the day it
  was opgeheven, so no gemeente is a member of anything before or after it
  existed, and a gemeente that began after 2016 is in the 2025 table's regio
  from its first day.

Each date is explained in an ``rdfs:comment`` on the membership. The same regio
across years is one node (:class:`.cbs_geo.Regios`: by code, else by name).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from ..identity import GemeenteNamen, gemeente_code
from ..namespaces import GRAPH, ORG, SD
from ..store import Source
from .cbs_gebieden import CBS_DATASET_URL, import_cbs_gebieden
from .cbs_gebieden_csv import csv_file, csv_year, import_cbs_gebieden_csv, regios_by_code
from .cbs_geo import csv_file as geo_file
from .cbs_geo import import_cbs_geo
from .regioatlas import import_regioatlas
from .report import ImportReport, graph_source
from .tooi import gemeente_namen

FOLDERS = ("regioatlas-2016", "cbs-gebieden", "cbs-geo")


@dataclass
class _Table:
    """One source graph and how it is stored."""

    graph: Graph
    name: str
    title: str
    publisher: str
    license: str
    issued: str


def _report(reports: list[ImportReport] | None, name: str) -> ImportReport:
    report = ImportReport(name)
    if reports is not None:
        reports.append(report)
    return report


def regio_sources(sources_root: Path, reports: list[ImportReport] | None = None) -> list[Source]:
    """Every regio source under ``sources_root`` as Sources, dated (see module docstring).

    Missing folders are left out; the import reports are appended to ``reports``.
    The TOOI register (``tooi/``), when there, names centrumgemeenten and gives the
    gemeenten' lifetimes.
    """
    root = Path(sources_root)
    namen = gemeente_namen(root / "tooi") if (root / "tooi").is_dir() else None
    tables: list[_Table] = []
    ra = None
    if (root / "regioatlas-2016").is_dir():
        ra = import_regioatlas(root / "regioatlas-2016", _report(reports, "regioatlas-2016"),
                               namen=namen)
        tables.append(_Table(ra, "regioatlas-2016",
                             "RegioAtlas 2016: regio-indelingen van gemeenten",
                             "Ministerie van BZK (regioatlas.nl); export Open State Foundation",
                             "https://spdx.org/licenses/ODC-PDDL-1.0", "2016-01-01"))
    cbs_folder = root / "cbs-gebieden"
    if cbs_folder.is_dir():
        cbs = import_cbs_gebieden(cbs_folder, _report(reports, "cbs-gebieden-2016"), regioatlas=ra)
        tables.append(_Table(cbs, "cbs-gebieden-2016",
                             f"CBS Gebieden in Nederland 2016 ({CBS_DATASET_URL})",
                             "Centraal Bureau voor de Statistiek (CBS)",
                             "https://spdx.org/licenses/CC-BY-4.0", "2016-01-01"))
        path = csv_file(cbs_folder)
        year = csv_year(path) if path else None
        if path is not None:
            report = _report(reports, "cbs-gebieden (CSV)")
            graph = import_cbs_gebieden_csv(path, report,
                                            regios_by_code(*(t.graph for t in tables)))
            if year:
                tables.append(_Table(
                    graph, f"cbs-gebieden-{year}",
                    f"CBS Gebieden in Nederland {year}: veiligheidsregio en inwoners",
                    "Centraal Bureau voor de Statistiek (CBS)",
                    "https://creativecommons.org/publicdomain/zero/1.0/", f"{year}-01-01"))
    geo = geo_file(root / "cbs-geo") if (root / "cbs-geo").is_dir() else None
    if geo is not None:
        year = geo.stem.rsplit("-", 1)[-1]
        graph = import_cbs_geo(geo, _report(reports, f"cbs-geo-{year}"),
                               [t.graph for t in tables])
        tables.append(_Table(graph, f"cbs-geo-{year}",
                             f"CBS Gebiedsindelingen {year}: regio's van gemeenten "
                             "(uit de grenzen)",
                             "Centraal Bureau voor de Statistiek (CBS), Kadaster/PDOK",
                             "https://spdx.org/licenses/CC-BY-4.0", f"{year}-01-01"))
    dateer([t.graph for t in tables], namen, _report(reports, "regio-indelingen in de tijd"))
    return [graph_source(t.graph, t.name, str(GRAPH[f"ref/{t.name}"]), title=t.title,
                         publisher=t.publisher, license=t.license, issued=t.issued)
            for t in tables]


@dataclass(frozen=True)
class _Lid:
    graph: Graph
    lid: URIRef
    gm: str
    indeling: URIRef
    year: int


def _dlit(day: date) -> Literal:
    return Literal(day.isoformat(), datatype=XSD.date)


def dateer(graphs: list[Graph], namen: GemeenteNamen | None, report: ImportReport) -> None:
    """Give every regio membership of ``graphs`` (those with a ``sd:peiljaar``) the days
    its table holds, within the gemeente's lifetime (module docstring). Memberships
    that carry dates already are left as they are."""
    indeling_of = {r: i for g in graphs for r, i in g.subject_objects(SD.regioindeling)}
    leden: list[_Lid] = []
    for g in graphs:
        for lid in g.subjects(RDF.type, SD.Lidmaatschap):
            regio, member, jaar = (g.value(lid, ORG.organization), g.value(lid, ORG.member),
                                   g.value(lid, SD.peiljaar))
            gm = gemeente_code(str(member)) if member is not None else None
            indeling = indeling_of.get(regio)  # type: ignore[arg-type]
            if gm is None or indeling is None or jaar is None:
                continue
            if (lid, SD.toetredingsdatum, None) in g or (lid, SD.uittredingsdatum, None) in g:
                continue
            leden.append(_Lid(g, lid, gm, indeling, int(str(jaar)[:4])))  # type: ignore[arg-type]
    years: dict[tuple[URIRef, str], list[int]] = defaultdict(list)
    for x in leden:
        years[(x.indeling, x.gm)].append(x.year)
    for key in years:
        years[key] = sorted(set(years[key]))
    for x in leden:
        ys = years[(x.indeling, x.gm)]
        i = ys.index(x.year)
        start = date(x.year, 1, 1) if i > 0 else None
        end = date(ys[i + 1], 1, 1) if i + 1 < len(ys) else None
        notes = [f"geldigheid afgeleid: de indeling van {x.year}"
                 + (f" geldt tot de indeling van {ys[i + 1]}" if end else " is de nieuwste")
                 + (f"; vóór {x.year} de dichtstbijzijnde" if i == 0 else "")]
        leven = namen.leven(x.gm) if namen is not None else None
        if leven is not None and leven.begin is not None and (start is None or
                                                               start < leven.begin):
            start = leven.begin
            notes.append(f"de gemeente bestaat vanaf {leven.begin.isoformat()} (TOOI)")
        if leven is not None and leven.end is not None and (end is None or end > leven.end):
            end = leven.end
            notes.append(f"de gemeente is opgeheven per {leven.end.isoformat()} (TOOI)")
        if start is not None and end is not None and end <= start:
            report.warn(str(x.lid), None, f"{x.gm.upper()} did not exist while the indeling of "
                        f"{x.year} held; the membership holds on no day")
            report.count("lidmaatschappen op geen dag")
        if start is not None:
            x.graph.add((x.lid, SD.toetredingsdatum, _dlit(start)))
        if end is not None:
            x.graph.add((x.lid, SD.uittredingsdatum, _dlit(end)))
        x.graph.add((x.lid, RDFS.comment, Literal("; ".join(notes), lang="nl")))
        report.count("lidmaatschappen gedateerd")
