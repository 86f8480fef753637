"""Importer for the RegioAtlas 2016 regional divisions (regioatlas.nl, BZK).

Input: a folder like ``regioatlas-2016/`` with sub-folders (``Bestuurlijk``,
``Fysiek``, ``Sociaal``, ``Veiligheid``) of ``;``-separated, UTF-8 (with BOM)
CSV files, one per regioindeling::

    "Gemeente";"CBS";"<indeling>";"Inwoneraantal van regio"
    "Oirschot";"0823";"Zuidoost Brabant";"<inwoners van de regio>"

Output (one rdflib Graph):

* one ``sd:Regioindeling`` per file: the existing vocabulary IRI where the
  file matches one (see :data:`VOCAB_SLUGS`), else ``sdid:regioindeling/<slug>``
  with the slug from the file name and ``rdfs:label`` from the column header;
* one ``sd:Regio`` per distinct region name, ``sdid:regio/<indeling>/<slug>``,
  with label, indeling, ``sd:peiljaar 2016`` and ``sd:inwonertal``;
* one ``sd:Lidmaatschap`` per gemeente per regio,
  ``sdid:lidmaatschap/<gm-code>/regio/<indeling>/2016``, with ``sd:peiljaar``
  (RegioAtlas only says the gemeente was a member in 2016; :mod:`.regio` gives
  it the days on which the 2016 table is the one in force);
* for the indelingen named after their centrumgemeente (BW/MO, vrouwenopvang),
  ``sd:centrumgemeente`` on each regio: the gemeente of that name in 2016 (TOOI
  names, "Den Haag" and "Den Bosch" included); a name that names no gemeente is
  a warning.

Rows with a malformed or unknown CBS code are skipped with a warning naming
file and row; a gemeente that appears in two regio's of one indeling is kept
(the source says so, e.g. a gemeente split over two COROP regio's) but warned
about.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Collection
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from ..identity import GemeenteNamen, gemeente_code, gemeente_iri, slugify
from ..namespaces import ORG, SD, SDID, TOOI_GEMEENTE
from .report import ImportReport

PEILJAAR = 2016
REGIOATLAS_URL = URIRef("https://www.regioatlas.nl/")
HEADER = ("Gemeente", "CBS")

#: RegioAtlas file stem -> slug of the existing regioindeling in data/vocab/regioindelingen.ttl.
VOCAB_SLUGS: dict[str, str] = {
    "jeugdzorgregios1": "jeugdregio",
    "wmoregios": "wmo-regio",
    "arbeidsmarktregios": "arbeidsmarktregio",
    "centrumgemeentemaatschappelijkeopvangbeschermdwonen": "centrumgemeente-bw-mo",
    "ggds": "ggd-regio",
    "veiligheidsregios": "veiligheidsregio",
    "zorgkantoorregios": "zorgkantoorregio",
    "rmcregiosregionaalmeldencoordinatiepunt": "rmc-regio",
    "veiligthuisregios": "veilig-thuis-regio",
}

#: Indelingen whose regio's are named after their centrumgemeente.
CENTRUMGEMEENTE_SLUGS = {
    "centrumgemeente-bw-mo",
    "centrumgemeentenvrouwenopvanggeweldinhuiselijkekring",
}


def _centrumgemeente(name: str, in_file: dict[str, str],
                     namen: GemeenteNamen | None) -> str | None:
    """The gemeente a regio is named after: by the TOOI register's names (and their
    everyday forms, "Den Bosch") in the peiljaar, else by the file's own gemeente names."""
    if namen is not None:
        code = namen.resolve(name, date(PEILJAAR, 7, 1))
        if code:
            return code
    return in_file.get(name.casefold())


def indeling_slug(path: Path) -> str:
    """The regioindeling slug of a RegioAtlas file: vocabulary slug or the file stem."""
    stem = path.stem
    return VOCAB_SLUGS.get(stem) or slugify(re.sub(r"\d+$", "", stem))


def indeling_iri(slug: str) -> URIRef:
    return SDID[f"regioindeling/{slug}"]


def regio_iri(indeling: str, regio_slug: str) -> URIRef:
    return SDID[f"regio/{indeling}/{regio_slug}"]


def lidmaatschap_iri(gm: str, indeling: str) -> URIRef:
    return SDID[f"lidmaatschap/{gm}/regio/{indeling}/{PEILJAAR}"]


def peiljaar() -> Literal:
    return Literal(str(PEILJAAR), datatype=XSD.gYear)


def known_gemeentecodes(cbs_json: Path) -> set[str] | None:
    """The normalised GM codes of the CBS 'Gebieden in Nederland' file, if present and readable."""
    if not cbs_json.is_file():
        return None
    try:
        reg = json.loads(cbs_json.read_text(encoding="utf-8"))["reg"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    codes = {gemeente_code(str(c)) for c in reg}
    codes.discard(None)
    return codes  # type: ignore[return-value]


def csv_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.csv") if p.is_file())


def import_regioatlas(
    folder: Path,
    report: ImportReport,
    gemeentecodes: Collection[str] | None = None,
    namen: GemeenteNamen | None = None,
) -> Graph:
    """Import every RegioAtlas CSV under ``folder`` into one graph.

    ``gemeentecodes`` (normalised, e.g. ``gm0823``) are the known gemeenten; a
    row with another code is skipped. When not given, the codes of
    ``<folder>/../cbs-gebieden/83287NED-gebieden-2016-codes.json`` are used if
    that file exists; otherwise only the form of the code is checked. ``namen`` (the
    TOOI register's) finds the centrumgemeente a regio is named after; a name that
    names no gemeente is a warning.
    """
    folder = Path(folder)
    if gemeentecodes is None:
        gemeentecodes = known_gemeentecodes(
            folder.parent / "cbs-gebieden" / "83287NED-gebieden-2016-codes.json"
        )
    g = Graph()
    g.bind("sd", SD)
    g.bind("sdid", SDID)
    g.bind("org", ORG)
    g.bind("gm", TOOI_GEMEENTE)
    files = csv_files(folder)
    if not files:
        report.warn(folder, None, "no RegioAtlas CSV files found")
    seen_slugs: dict[str, Path] = {}
    for path in files:
        slug = indeling_slug(path)
        if slug in seen_slugs:
            report.warn(path, None, f"indeling {slug!r} also in {seen_slugs[slug].name}; skipped")
            continue
        seen_slugs[slug] = path
        _import_file(g, folder, path, slug, report, gemeentecodes, namen)
    return g


def _import_file(
    g: Graph,
    folder: Path,
    path: Path,
    slug: str,
    report: ImportReport,
    gemeentecodes: Collection[str] | None,
    namen: GemeenteNamen | None = None,
) -> None:
    rel = path.relative_to(folder).as_posix()
    file_source = Literal(rel)
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f, delimiter=";"))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        report.warn(path, None, f"cannot read file: {e}", skip=True)
        return
    if not rows or len(rows[0]) < 3 or tuple(c.strip() for c in rows[0][:2]) != HEADER:
        report.warn(
            path, 1, 'header is not "Gemeente";"CBS";"<indeling>";...; file skipped', skip=True
        )
        return
    header = rows[0][2].strip()
    indeling = indeling_iri(slug)
    g.add((indeling, RDF.type, SD.Regioindeling))
    if slug not in VOCAB_SLUGS.values():
        g.add((indeling, RDFS.label, Literal(header, lang="nl")))
        g.add((indeling, DCTERMS.source, file_source))
        g.add((indeling, DCTERMS.source, REGIOATLAS_URL))
    report.count("regioindelingen")

    regio_names: dict[str, str] = {}  # regio slug -> name
    inwoners: dict[str, set[int]] = {}
    members: dict[str, dict[str, tuple[str, int]]] = {}  # gm -> regio slug -> (name, row)
    gemeente_names: dict[str, str] = {}  # gemeente name -> gm code
    for rownum, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) < 3:
            report.warn(path, rownum, f"expected 4 columns, got {len(row)}; row skipped", skip=True)
            continue
        name, raw_code, regio_name = row[0].strip(), row[1].strip(), row[2].strip()
        gm = gemeente_code(raw_code)
        if gm is None:
            report.warn(
                path, rownum, f"malformed CBS gemeentecode {raw_code!r}; row skipped", skip=True
            )
            continue
        if gemeentecodes is not None and gm not in gemeentecodes:
            report.warn(
                path, rownum, f"unknown gemeentecode {raw_code!r} ({name}); row skipped", skip=True
            )
            continue
        if not regio_name:
            report.warn(path, rownum, f"no regio for {gm.upper()} ({name}); row skipped", skip=True)
            continue
        rslug = slugify(regio_name)
        if not rslug:
            report.warn(
                path, rownum, f"regio name {regio_name!r} gives no slug; row skipped", skip=True
            )
            continue
        if regio_names.setdefault(rslug, regio_name) != regio_name:
            report.warn(
                path,
                rownum,
                f"regio {regio_name!r} has the same slug as "
                f"{regio_names[rslug]!r}; treated as the same regio",
            )
        at = members.setdefault(gm, {})
        if rslug in at:
            report.warn(
                path,
                rownum,
                f"{gm.upper()} ({name}) listed twice in regio {regio_name!r}; duplicate skipped",
                skip=True,
            )
            continue
        if at:
            others = ", ".join(repr(n) for n, _ in at.values())
            report.warn(
                path,
                rownum,
                f"{gm.upper()} ({name}) is in more than one regio of "
                f"{slug}: {regio_name!r} and {others}; both kept",
            )
        at[rslug] = (regio_name, rownum)
        gemeente_names.setdefault(name.casefold(), gm)
        if len(row) > 3 and row[3].strip():
            raw = row[3].strip().replace(".", "")
            if raw.isdigit():
                inwoners.setdefault(rslug, set()).add(int(raw))
            else:
                report.warn(path, rownum, f"inwoneraantal {row[3]!r} is not a whole number")

    for rslug, regio_name in regio_names.items():
        regio = regio_iri(slug, rslug)
        g.add((regio, RDF.type, SD.Regio))
        g.add((regio, RDFS.label, Literal(regio_name, lang="nl")))
        g.add((regio, SD.regioindeling, indeling))
        g.add((regio, SD.peiljaar, peiljaar()))
        g.add((regio, DCTERMS.source, file_source))
        g.add((regio, DCTERMS.source, REGIOATLAS_URL))
        values = inwoners.get(rslug, set())
        if len(values) == 1:
            g.add((regio, SD.inwonertal, Literal(next(iter(values)), datatype=XSD.integer)))
        elif len(values) > 1:
            report.warn(
                path,
                None,
                f"regio {regio_name!r} has different inwoneraantallen {sorted(values)}; none set",
            )
        if slug in CENTRUMGEMEENTE_SLUGS:
            centrum = _centrumgemeente(regio_name, gemeente_names, namen)
            if centrum is None:
                report.warn(path, None, f"regio {regio_name!r}: no gemeente of that name "
                            f"(centrumgemeente) in {PEILJAAR}; not set")
            else:
                if rslug not in members.get(centrum, {}):
                    report.warn(path, None, f"centrumgemeente {centrum.upper()} of regio "
                                f"{regio_name!r} is not one of its members; set all the same")
                g.add((regio, SD.centrumgemeente, gemeente_iri(centrum)))
                report.count("centrumgemeenten")
        report.count("regio's")

    for gm, at in members.items():
        for rslug in at:
            lid = (
                lidmaatschap_iri(gm, slug)
                if len(at) == 1
                else SDID[f"lidmaatschap/{gm}/regio/{slug}/{rslug}/{PEILJAAR}"]
            )
            g.add((lid, RDF.type, SD.Lidmaatschap))
            g.add((lid, ORG.member, gemeente_iri(gm)))
            g.add((lid, ORG.organization, regio_iri(slug, rslug)))
            g.add((lid, SD.peiljaar, peiljaar()))
            g.add((lid, DCTERMS.source, file_source))
            g.add((lid, DCTERMS.source, REGIOATLAS_URL))
            report.count("lidmaatschappen")
