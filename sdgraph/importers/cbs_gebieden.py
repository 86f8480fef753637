"""Importer for CBS "Gebieden in Nederland 2016" (table 83287NED): region codes.

Input: ``<folder>/83287NED-gebieden-2016-codes.json``, column-oriented: key
``reg`` holds the gemeente codes (``GM0823``), every other key an array of the
codes of one regional division in the same order (``JZ39``, ``AM28``, ...).

Output (one rdflib Graph):

* for a division with a RegioAtlas counterpart (:data:`COLUMNS`), the CBS code
  is set as ``sd:regiocode`` on the RegioAtlas regio with EXACTLY the same set
  of gemeenten; codes without such a regio are reported, not guessed;
* for a division without one (Wgr-samenwerkingsgebieden), one ``sd:Regio``
  ``sdid:regio/<indeling>/<code>`` per code (label = code) and one
  ``sd:Lidmaatschap`` per gemeente,
  ``sdid:lidmaatschap/<gm-code>/regio/<indeling>/2016``.

Columns that are not a regioindeling for sdgraph (landbouw-, toeristengebieden,
landsdelen) are skipped with a note in the report.
"""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from ..namespaces import ORG, SD, SDID, TOOI_GEMEENTE
from .iri import is_code
from .regioatlas import (
    gemeente_code,
    gemeente_iri,
    import_regioatlas,
    indeling_iri,
    lidmaatschap_iri,
    peiljaar,
    regio_iri,
)
from .report import ImportReport

FILE_NAME = "83287NED-gebieden-2016-codes.json"
CBS_DATASET_URL = URIRef("https://opendata.cbs.nl/statline/#/CBS/nl/dataset/83287NED")

#: CBS column -> (regioindeling slug, True if the regio's come from RegioAtlas).
COLUMNS: dict[str, tuple[str, bool]] = {
    "Arbeidsmarktregio's": ("arbeidsmarktregio", True),
    "GGD-regio's": ("ggd-regio", True),
    "Jeugdzorgregios": ("jeugdregio", True),
    "Veiligheidsregio's": ("veiligheidsregio", True),
    "Zorgkantoorregio's": ("zorgkantoorregio", True),
    "Politie Regionale eenheden": ("politieeenheden", True),
    "RPA-gebieden": ("regionaleplatformsarbeidsmarkt", True),
    "Kamer van Koophandel": ("kamervankoophandel", True),
    "COROP-gebieden": ("coropregios", True),
    "COROP-subgebieden": ("coropsubregios", True),
    "COROP-plusgebieden": ("coropplusregios", True),
    "Arrondissementen (rechtsgebieden)": ("arrondissementen", True),
    "Ressorten (rechtsgebieden)": ("ressorten", True),
    "Provincies": ("provincies", True),
    "NUTS1-gebieden": ("nuts1regioslandsdelen", True),
    "NUTS2-gebieden": ("nuts2regiosprovincies", True),
    "NUTS3-gebieden": ("nuts3regios", True),
    "Wgr-samenwerkingsgebieden": ("wgr-samenwerkingsgebied", False),
}

#: CBS columns deliberately not imported (no regioindeling of the sociaal domein).
IGNORED_COLUMNS = {
    "Landbouwgebieden",
    "Landbouwgebieden (groepen)",
    "Toeristengebieden",
    "Landsdelen",
}


def _memberships(ra: Graph) -> dict[str, dict[URIRef, frozenset[str]]]:
    """RegioAtlas graph -> indeling slug -> regio -> set of gm codes."""
    out: dict[str, dict[URIRef, set[str]]] = {}
    prefix_ind = str(SDID["regioindeling/"])
    for lid in ra.subjects(RDF.type, SD.Lidmaatschap):
        regio = ra.value(lid, ORG.organization)
        member = ra.value(lid, ORG.member)
        indeling = ra.value(regio, SD.regioindeling) if regio is not None else None
        if indeling is None or member is None or not str(indeling).startswith(prefix_ind):
            continue
        slug = str(indeling)[len(prefix_ind) :]
        gm = str(member)[len(str(TOOI_GEMEENTE)) :]
        out.setdefault(slug, {}).setdefault(regio, set()).add(gm)  # type: ignore[arg-type]
    return {s: {r: frozenset(m) for r, m in regs.items()} for s, regs in out.items()}


def import_cbs_gebieden(
    folder: Path, report: ImportReport, regioatlas: Graph | None = None
) -> Graph:
    """Import the 2016 CBS region codes from ``folder`` (see module docstring).

    ``regioatlas`` is the graph of :func:`import_regioatlas`; when not given,
    ``<folder>/../regioatlas-2016`` is imported (with a throw-away report) if
    it exists, else codes of divisions with a RegioAtlas counterpart are
    reported as unmatched.
    """
    folder = Path(folder)
    path = folder / FILE_NAME
    g = Graph()
    g.bind("sd", SD)
    g.bind("sdid", SDID)
    g.bind("org", ORG)
    g.bind("gm", TOOI_GEMEENTE)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        report.warn(path, None, f"cannot read file: {e}", skip=True)
        return g
    if not isinstance(data, dict) or not isinstance(data.get("reg"), list):
        report.warn(path, None, "no 'reg' column with gemeente codes; file skipped", skip=True)
        return g
    if regioatlas is None:
        ra_folder = folder.parent / "regioatlas-2016"
        if ra_folder.is_dir():
            regioatlas = import_regioatlas(ra_folder, ImportReport("regioatlas-2016"))
    ra_sets = _memberships(regioatlas) if regioatlas is not None else {}

    reg = data["reg"]
    # row numbers are 1-based positions in the 'reg' array
    gms: dict[int, str] = {}
    for i, raw in enumerate(reg, start=1):
        gm = gemeente_code(str(raw)) if isinstance(raw, str) else None
        if gm is None:
            report.warn(path, i, f"malformed gemeentecode {raw!r} in 'reg'; row skipped", skip=True)
            continue
        if gm in gms.values():
            report.warn(
                path, i, f"gemeentecode {raw!r} appears twice in 'reg'; row skipped", skip=True
            )
            continue
        gms[i] = gm
    all_ra_gms = {gm for regs in ra_sets.values() for s in regs.values() for gm in s}
    if all_ra_gms:
        for i, gm in gms.items():
            if gm not in all_ra_gms:
                report.warn(path, i, f"{gm.upper()} is in no RegioAtlas 2016 indeling")
    report.count("gemeenten", len(gms))

    for column, values in data.items():
        if column == "reg":
            continue
        if column in IGNORED_COLUMNS:
            report.warn(path, column, "not a regioindeling for sdgraph; column skipped")
            continue
        if column not in COLUMNS:
            report.warn(path, column, "unknown column; skipped", skip=True)
            continue
        if not isinstance(values, list) or len(values) != len(reg):
            report.warn(
                path, column, f"column length differs from 'reg' ({len(reg)}); skipped", skip=True
            )
            continue
        slug, from_regioatlas = COLUMNS[column]
        by_code: dict[str, set[str]] = {}
        for i, gm in gms.items():
            code = values[i - 1]
            if not isinstance(code, str) or not code.strip():
                report.warn(
                    path, i, f"{gm.upper()} has no code in column {column!r}; skipped", skip=True
                )
                continue
            if not is_code(code.strip()):
                report.warn(path, i, f"{gm.upper()} has code {code.strip()!r} in column "
                            f"{column!r}, not a code (letters, digits, _.-); skipped", skip=True)
                continue
            by_code.setdefault(code.strip(), set()).add(gm)
        if from_regioatlas:
            _match(g, path, column, slug, by_code, ra_sets.get(slug, {}), report)
        else:
            _create(g, slug, by_code, report)
    return g


def _match(
    g: Graph,
    path: Path,
    column: str,
    slug: str,
    by_code: dict[str, set[str]],
    regios: dict[URIRef, frozenset[str]],
    report: ImportReport,
) -> None:
    """Set sd:regiocode on the RegioAtlas regio with exactly the same gemeenten."""
    by_set = {members: regio for regio, members in regios.items()}
    used: dict[URIRef, str] = {}
    for code in sorted(by_code):
        members = frozenset(by_code[code])
        regio = by_set.get(members)
        if regio is None:
            best = max(regios.items(), key=lambda kv: len(kv[1] & members), default=None)
            hint = ""
            if best is not None and best[1] & members:
                hint = (
                    f"; closest RegioAtlas regio {best[0].rsplit('/', 1)[-1]!r} shares "
                    f"{len(best[1] & members)} of {len(members)} CBS / {len(best[1])} "
                    "RegioAtlas gemeenten"
                )
            report.warn(
                path,
                column,
                f"{code} ({len(members)} gemeenten): no RegioAtlas regio "
                f"of {slug} with the same gemeenten{hint}; code not set",
            )
            report.count("regiocodes unmatched")
            continue
        if regio in used:
            report.warn(
                path, column, f"{code} and {used[regio]} both match {regio}; {code} not set"
            )
            report.count("regiocodes unmatched")
            continue
        used[regio] = code
        g.add((regio, SD.regiocode, Literal(code)))
        g.add((regio, DCTERMS.source, CBS_DATASET_URL))
        report.count("regiocodes matched")


def _create(g: Graph, slug: str, by_code: dict[str, set[str]], report: ImportReport) -> None:
    """Regio's and memberships straight from the CBS codes (no RegioAtlas counterpart)."""
    indeling = indeling_iri(slug)
    g.add((indeling, RDF.type, SD.Regioindeling))
    for code in sorted(by_code):
        regio = regio_iri(slug, code.lower())
        g.add((regio, RDF.type, SD.Regio))
        g.add((regio, RDFS.label, Literal(code)))
        g.add((regio, SD.regioindeling, indeling))
        g.add((regio, SD.regiocode, Literal(code)))
        g.add((regio, SD.peiljaar, peiljaar()))
        g.add((regio, DCTERMS.source, CBS_DATASET_URL))
        report.count("regio's")
        for gm in sorted(by_code[code]):
            lid = lidmaatschap_iri(gm, slug)
            g.add((lid, RDF.type, SD.Lidmaatschap))
            g.add((lid, ORG.member, gemeente_iri(gm)))
            g.add((lid, ORG.organization, regio))
            g.add((lid, SD.peiljaar, peiljaar()))
            g.add((lid, DCTERMS.source, CBS_DATASET_URL))
            report.count("lidmaatschappen")
