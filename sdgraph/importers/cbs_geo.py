"""Importer for the gemeente -> regio table of CBS Gebiedsindelingen (``cbs-geo/``).

Input: ``<folder>/gemeente-regio-<year>.csv`` (the newest year when there are
several), ``;``-separated, header ``gemeentecode;gemeentenaam;indeling;regiocode;
regionaam``, one row per gemeente per indeling (derived from the CBS/PDOK
boundaries of that year; see the folder's README)::

    GM0823;Oirschot;jeugdregio;JZ39;Zuidoost-Brabant

Output (one rdflib Graph, dated to the year of the file):

* per gemeente and indeling a ``sd:Lidmaatschap``
  ``sdid:lidmaatschap/<gm-code>/regio/<indeling>/<year>`` with ``sd:peiljaar``
  (:mod:`.regio_tijd` gives it the days on which the table holds);
* the regio is the node the earlier years already have for it, the same regio
  across years being one node: first by CBS code (``sd:regiocode`` within the
  indeling: JZ39 is JZ39), else by name (the slug of the name within the
  indeling: "Zuidoost-Brabant" is "Zuidoost Brabant"); only a regio matching
  neither gets a new node ``sdid:regio/<indeling>/<slug of its name>``. A matched
  regio gets the year as another ``sd:peiljaar``, a differently written name as
  ``skos:altLabel`` and its code when it had none.

Indelingen (:data:`INDELINGEN`): jeugdregio, arbeidsmarktregio, GGD-regio,
veiligheidsregio, zorgkantoorregio, Veilig Thuis-regio and RMC-regio; the
provincie column is left to the TOOI register (reported, not imported). A row
with a bad gemeentecode, an unknown indeling or no regio is reported with file
and line and skipped.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from ..identity import gemeente_code, gemeente_iri, slugify
from ..namespaces import ORG, SD, SDID
from .iri import is_code
from .regioatlas import indeling_iri, regio_iri
from .report import ImportReport

GLOB = "gemeente-regio-*.csv"
COLUMNS = ("gemeentecode", "gemeentenaam", "indeling", "regiocode", "regionaam")
#: cbs-geo indeling -> sdgraph regioindeling slug (data/vocab/regioindelingen.ttl)
INDELINGEN = {
    "jeugdregio": "jeugdregio",
    "arbeidsmarktregio": "arbeidsmarktregio",
    "ggdregio": "ggd-regio",
    "veiligheidsregio": "veiligheidsregio",
    "zorgkantoorregio": "zorgkantoorregio",
    "veiligthuisregio": "veilig-thuis-regio",
    "regionaalmeld_coordinatiepunt": "rmc-regio",
}
#: Columns that are no regio-indeling for sdgraph (TOOI gives the provincie).
IGNORED = {"provincie"}
PDOK = URIRef("https://api.pdok.nl/cbs/gebiedsindelingen/ogc/v1")
_YEAR = re.compile(r"gemeente-regio-(\d{4})\.csv$")


def csv_file(folder: Path) -> Path | None:
    """The newest gemeente-regio table in ``folder``, if any."""
    files = sorted(p for p in Path(folder).glob(GLOB) if _YEAR.search(p.name))
    return files[-1] if files else None


class Regios:
    """The regio's earlier years already have, to keep one node per regio across years."""

    def __init__(self, graphs: Iterable[Graph]) -> None:
        self.by_code: dict[tuple[str, str], URIRef] = {}
        self.by_slug: dict[tuple[str, str], URIRef] = {}
        self.codes: dict[URIRef, str] = {}
        self.labels: dict[URIRef, set[str]] = {}
        prefix = str(SDID["regioindeling/"])
        graphs = list(graphs)
        indeling: dict[URIRef, str] = {
            regio: str(i)[len(prefix):]  # type: ignore[misc]
            for g in graphs for regio, i in g.subject_objects(SD.regioindeling)
            if str(i).startswith(prefix)
        }
        for g in graphs:
            for regio, label in g.subject_objects(RDFS.label):
                if regio in indeling:
                    self.by_slug.setdefault((indeling[regio], slugify(str(label))), regio)  # type: ignore[index]
                    self.labels.setdefault(regio, set()).add(str(label))  # type: ignore[arg-type]
            for regio, code in g.subject_objects(SD.regiocode):
                if regio in indeling:
                    self.codes[regio] = str(code)  # type: ignore[index]
                    self.by_code.setdefault((indeling[regio], str(code)), regio)  # type: ignore[index]

    def find(self, slug: str, code: str, naam: str) -> tuple[URIRef | None, str]:
        """The existing node of this regio and how it was found ('code', 'naam' or '')."""
        if (slug, code) in self.by_code:
            return self.by_code[(slug, code)], "code"
        if (slug, slugify(naam)) in self.by_slug:
            return self.by_slug[(slug, slugify(naam))], "naam"
        return None, ""


def import_cbs_geo(path: Path, report: ImportReport, earlier: Iterable[Graph] = ()) -> Graph:
    """Import one gemeente-regio table (see module docstring); ``earlier``: graphs of
    earlier years whose regio's this table's regio's join."""
    path = Path(path)
    m = _YEAR.search(path.name)
    g = Graph()
    if not m:
        report.warn(path, None, "no year in the file name (gemeente-regio-<year>.csv); skipped",
                    skip=True)
        return g
    year = m.group(1)
    peiljaar = Literal(year, datatype=XSD.gYear)
    source = Literal(f"cbs-geo/{path.name}")
    known = Regios(earlier)
    made: dict[tuple[str, str], URIRef] = {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f, delimiter=";"))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        report.warn(path, None, f"cannot read file: {exc}", skip=True)
        return g
    if not rows or tuple(c.strip() for c in rows[0]) != COLUMNS:
        report.warn(path, 1, f"header is not {';'.join(COLUMNS)}; file skipped", skip=True)
        return g
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(COLUMNS):
            report.warn(path, line, f"{len(row)} fields, expected {len(COLUMNS)}; skipped",
                        skip=True)
            continue
        gm_raw, naam, indeling, code, regio_naam = (c.strip() for c in row)
        gm = gemeente_code(gm_raw)
        if gm is None or not gm_raw.upper().startswith("GM"):
            report.warn(path, line, f"malformed gemeentecode {gm_raw!r}; skipped", skip=True)
            continue
        if indeling in IGNORED:
            report.count(f"rijen {indeling} (niet ingelezen)")
            continue
        slug = INDELINGEN.get(indeling)
        if slug is None:
            report.warn(path, line, f"unknown indeling {indeling!r}; skipped", skip=True)
            continue
        if not code or not regio_naam:
            report.warn(path, line, f"{gm.upper()} ({naam}) has no regio in {indeling}; skipped",
                        skip=True)
            continue
        if not is_code(code):
            report.warn(path, line, f"field regiocode {code!r} of {gm.upper()} ({naam}) is not "
                        "a code (letters, digits, _.-); skipped", skip=True)
            continue
        regio = made.get((slug, code))
        if regio is None:
            regio = _regio(g, known, slug, code, regio_naam, peiljaar, source, report, path)
            made[(slug, code)] = regio
        lid = SDID[f"lidmaatschap/{gm}/regio/{slug}/{year}"]
        if (lid, RDF.type, SD.Lidmaatschap) in g:
            report.warn(path, line, f"{gm.upper()} ({naam}) listed twice in {indeling}; "
                        "the first kept", skip=True)
            continue
        g.add((lid, RDF.type, SD.Lidmaatschap))
        g.add((lid, ORG.member, gemeente_iri(gm)))
        g.add((lid, ORG.organization, regio))
        g.add((lid, SD.peiljaar, peiljaar))
        g.add((lid, DCTERMS.source, source))
        g.add((lid, DCTERMS.source, PDOK))
        report.count("lidmaatschappen")
    return g


def _regio(g: Graph, known: Regios, slug: str, code: str, naam: str, peiljaar: Literal,
           source: Literal, report: ImportReport, path: Path) -> URIRef:
    """The node of regio ``code`` of indeling ``slug``: an earlier year's, else a new one."""
    regio, how = known.find(slug, code, naam)
    if regio is not None:
        report.count(f"regio's als eerder (op {how})")
        if naam not in known.labels.get(regio, set()):
            g.add((regio, SKOS.altLabel, Literal(naam, lang="nl")))
        if regio not in known.codes:
            g.add((regio, SD.regiocode, Literal(code)))
        elif known.codes[regio] != code:
            report.warn(path, slug, f"regio {naam!r} ({code}) is the earlier "
                        f"{known.codes[regio]} by name; it keeps that code")
    else:
        regio = regio_iri(slug, slugify(naam) or code.lower())
        g.add((regio, RDF.type, SD.Regio))
        g.add((regio, RDFS.label, Literal(naam, lang="nl")))
        g.add((regio, SD.regioindeling, indeling_iri(slug)))
        g.add((regio, SD.regiocode, Literal(code)))
        report.count("regio's nieuw")
    g.add((regio, SD.peiljaar, peiljaar))
    g.add((regio, DCTERMS.source, source))
    return regio
