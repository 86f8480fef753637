"""Importer for the TOOI registers of gemeenten and provincies (KOOP, JSON-LD).

Input: a folder with ``rwc_gemeenten_compleet_<n>.json`` and
``rwc_provincies_compleet_<n>.json`` (the highest version ``<n>`` is used), as
published at https://identifier.overheid.nl/tooi/set/rwc_gemeenten_compleet/4.
Both are expanded JSON-LD: a list of node objects. They are read with
:mod:`json` (about 20x faster than rdflib's JSON-LD parser on these files, and
it lets every problem be reported per record).

Output (one rdflib Graph):

* every gemeente ever, as its TOOI IRI, typed ``sd:Gemeente`` with
  ``rdfs:label`` (official name without "gemeente", @nl), ``sd:gemeentecode``
  ("GM0823"), ``sd:provincie``, ``sd:geldigVanaf`` (TOOI ``begindatum``) and
  ``sd:geldigTot``, ``dct:source`` (the TOOI set IRI);
* every provincie, typed ``sd:Provincie`` with label and ``sd:provinciecode``
  ("PV30");
* every herindeling (TOOI ``Samenvoeging``, ``Uitbreiding``,
  ``Herschikking``) as ``sdid:herindeling/<date>-<codes>``, typed
  ``sd:Herindeling`` with ``sd:datum``, ``sd:herindelingstype``,
  ``sd:opgeheven``/``sd:ontstaan``/``sd:betrokken`` (and the PROV properties
  TOOI uses: ``prov:invalidated``/``prov:generated``/``prov:used``); and
  ``sd:opgevolgdDoor`` from each gemeente that was opgeheven to every gemeente
  that was ontstaan or betrokken in that herindeling.

End dates: TOOI's ``einddatum`` is the LAST day a gemeente existed (Haaren:
einddatum 2020-12-31, ``prov:invalidatedAtTime`` 2021-01-01T00:00). sdgraph end
dates are exclusive, so ``sd:geldigTot`` = einddatum + 1 day (2021-01-01).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from ..errors import DataError
from ..identity import GemeenteLeven, GemeenteNamen
from ..namespaces import GRAPH, SD, SDID, TOOI_GEMEENTE, TOOI_ONT, TOOI_PROVINCIE
from ..store import Source
from .report import ImportReport, graph_source

GEMEENTEN_GLOB = "rwc_gemeenten_compleet_*.json"
PROVINCIES_GLOB = "rwc_provincies_compleet_*.json"
#: Used as dct:source when a file has no owl:Ontology record naming its set.
DEFAULT_GEMEENTEN_SET = "https://identifier.overheid.nl/tooi/set/rwc_gemeenten_compleet/4"
DEFAULT_PROVINCIES_SET = "https://identifier.overheid.nl/tooi/set/rwc_provincies_compleet/1"
# KOOP publishes the TOOI waardelijsten as open data; CC0 is assumed here.
LICENSE = "https://creativecommons.org/publicdomain/zero/1.0/"

HERINDELING_TYPES = ("Samenvoeging", "Uitbreiding", "Herschikking")

_OWL_ONTOLOGY = "http://www.w3.org/2002/07/owl#Ontology"
_GM_CODE = re.compile(r"^(?:gm)?(\d{4})$", re.IGNORECASE)
_PV_CODE = re.compile(r"^(?:pv)?(\d{2})$", re.IGNORECASE)
_TOOI_GM = re.compile(r"/gemeente/(gm\d{4})$")


# --------------------------------------------------------------------------- JSON-LD helpers


def _values(record: dict[str, Any], key: str) -> list[str]:
    """The @value strings of an expanded JSON-LD property (plain strings too)."""
    out = []
    for item in record.get(key) or []:
        if isinstance(item, dict) and "@value" in item:
            out.append(str(item["@value"]).strip())
        elif isinstance(item, str | int):
            out.append(str(item).strip())
    return [v for v in out if v]


def _first(record: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        values = _values(record, key)
        if values:
            return values[0]
    return None


def _ids(record: dict[str, Any], key: str) -> list[str]:
    return [
        item["@id"]
        for item in record.get(key) or []
        if isinstance(item, dict) and isinstance(item.get("@id"), str)
    ]


def _types(record: dict[str, Any]) -> list[str]:
    types = record.get("@type") or []
    return [types] if isinstance(types, str) else [t for t in types if isinstance(t, str)]


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _date(value: str | None) -> date | None:
    """An xsd:date or xsd:dateTime lexical value as a date (None if unreadable)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _load_records(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    if isinstance(data, dict):
        data = data.get("@graph", [data])
    if not isinstance(data, list):
        raise DataError(f"{path}: expected a JSON-LD list of records")
    return [r for r in data if isinstance(r, dict)]


def _newest(folder: Path, pattern: str) -> Path | None:
    def version(p: Path) -> int:
        m = re.search(r"_(\d+)\.json$", p.name)
        return int(m.group(1)) if m else -1

    files = sorted(folder.glob(pattern), key=version)
    return files[-1] if files else None


def _record_id(record: dict[str, Any], index: int) -> str:
    rid = record.get("@id")
    return _local(rid) if isinstance(rid, str) else f"record {index + 1}"


def _set_info(records: Iterable[dict[str, Any]]) -> tuple[str | None, str | None, str | None]:
    """(set IRI, title, date of the data) from the file's owl:Ontology record."""
    for record in records:
        if _OWL_ONTOLOGY in _types(record) and isinstance(record.get("@id"), str):
            issued = _first(record, str(TOOI_ONT.publicatiedatum), str(TOOI_ONT.zichtdatum))
            title = _first(record, str(TOOI_ONT.titel))
            return record["@id"], title, issued
    return None, None, None


def herindeling_iri(day: date, opgeheven: Iterable[str], overige: Iterable[str]) -> URIRef:
    """``sdid:herindeling/<date>-<opgeheven codes>-<ontstaan/betrokken codes>``."""
    codes = sorted(set(opgeheven)) + sorted(set(overige) - set(opgeheven))
    return SDID[f"herindeling/{day.isoformat()}-{'-'.join(codes)}"]


# --------------------------------------------------------------------------- importer


def import_tooi(folder: Path, report: ImportReport) -> Graph:
    """Import the TOOI gemeenten and provincies registers from ``folder``."""
    folder = Path(folder)
    g = Graph()
    g.bind("sd", SD)
    g.bind("sdid", SDID)
    g.bind("prov", PROV)
    g.bind("dct", DCTERMS)

    gm_file = _newest(folder, GEMEENTEN_GLOB)
    if gm_file is None:
        raise DataError(f"{folder}: no TOOI gemeenten register ({GEMEENTEN_GLOB}) found")
    records = _load_records(gm_file)
    set_iri, title, issued = _set_info(records)
    gm_set = URIRef(set_iri or DEFAULT_GEMEENTEN_SET)
    _describe_set(g, gm_set, title, issued)

    pv_file = _newest(folder, PROVINCIES_GLOB)
    if pv_file is None:
        report.warn(folder / PROVINCIES_GLOB, None, "no TOOI provincies register; skipped")
    else:
        _import_provincies(g, pv_file, report)

    names: dict[str, str] = {}
    events = []
    for index, record in enumerate(records):
        types = {_local(t) for t in _types(record)}
        if "Gemeente" in types:
            _import_gemeente(g, gm_file, index, record, gm_set, names, report)
        elif types & set(HERINDELING_TYPES):
            events.append((index, record))
    for index, record in events:
        _import_herindeling(g, gm_file, index, record, gm_set, names, report)
    return g


def _describe_set(g: Graph, set_iri: URIRef, title: str | None, issued: str | None) -> None:
    if title:
        g.add((set_iri, DCTERMS.title, Literal(title, lang="nl")))
    if _date(issued):
        g.add((set_iri, DCTERMS.issued, Literal(_date(issued), datatype=XSD.date)))


def _import_provincies(g: Graph, path: Path, report: ImportReport) -> None:
    records = _load_records(path)
    set_iri, title, issued = _set_info(records)
    pv_set = URIRef(set_iri or DEFAULT_PROVINCIES_SET)
    _describe_set(g, pv_set, title, issued)
    for index, record in enumerate(records):
        if "Provincie" not in {_local(t) for t in _types(record)}:
            continue
        rid = _record_id(record, index)
        code = _first(record, str(TOOI_ONT.provinciecode), str(TOOI_ONT.organisatiecode))
        m = _PV_CODE.match(code or "")
        if not m:
            report.warn(path, rid, f"provincie without a valid provinciecode ({code!r})", skip=True)
            continue
        label = _first(
            record, str(TOOI_ONT.officieleNaamExclSoort), str(TOOI_ONT.voorkeursnaamExclSoort)
        )
        if not label:
            report.warn(path, rid, "provincie without a name", skip=True)
            continue
        pv = TOOI_PROVINCIE[f"pv{m.group(1)}"]
        g.add((pv, RDF.type, SD.Provincie))
        g.add((pv, RDFS.label, Literal(label, lang="nl")))
        g.add((pv, SD.provinciecode, Literal(f"PV{m.group(1)}")))
        g.add((pv, DCTERMS.source, pv_set))
        report.count("provincies")


def _import_gemeente(
    g: Graph,
    path: Path,
    index: int,
    record: dict[str, Any],
    source: URIRef,
    names: dict[str, str],
    report: ImportReport,
) -> None:
    rid = _record_id(record, index)
    code, gm_code = _gemeentecode(record)
    if gm_code is None:
        report.warn(path, rid, f"gemeente without a valid gemeentecode ({code!r})", skip=True)
        return
    m_id = _TOOI_GM.search(record.get("@id") or "")
    if m_id and m_id.group(1) != gm_code:
        report.warn(path, rid, f"gemeentecode {code} differs from the IRI; the code is used")
    label = _first(
        record, str(TOOI_ONT.officieleNaamExclSoort), str(TOOI_ONT.voorkeursnaamExclSoort)
    )
    if not label:
        report.warn(path, rid, "gemeente without a name (officieleNaamExclSoort)", skip=True)
        return

    gm = TOOI_GEMEENTE[gm_code]
    g.add((gm, RDF.type, SD.Gemeente))
    g.add((gm, RDFS.label, Literal(label, lang="nl")))
    g.add((gm, SD.gemeentecode, Literal(gm_code.upper())))
    g.add((gm, DCTERMS.source, source))
    names[gm_code] = label

    begin = _begin_date(record)
    if begin:
        g.add((gm, SD.geldigVanaf, Literal(begin, datatype=XSD.date)))
    end = _end_date(path, rid, record, report)
    if end:
        g.add((gm, SD.geldigTot, Literal(end, datatype=XSD.date)))
    if begin and end and end <= begin:
        report.warn(path, rid, f"geldigTot {end} is not after geldigVanaf {begin}")
    for pv in _ids(record, str(TOOI_ONT.ligtInProvincie)):
        g.add((gm, SD.provincie, URIRef(pv)))
    report.count("gemeenten")


def _gemeentecode(record: dict[str, Any]) -> tuple[str | None, str | None]:
    """(the code as the record states it, 'gm0823' or None if that is not a valid code)."""
    code = _first(record, str(TOOI_ONT.gemeentecode), str(TOOI_ONT.organisatiecode))
    m_id = _TOOI_GM.search(record.get("@id") or "")
    if code is None and m_id:
        code = m_id.group(1)
    m = _GM_CODE.match(code or "")
    return code, (f"gm{m.group(1)}" if m else None)


def _begin_date(record: dict[str, Any]) -> date | None:
    return _date(_first(record, str(TOOI_ONT.begindatum), str(PROV.generatedAtTime)))


def _end_date(path: Path, rid: str, record: dict[str, Any], report: ImportReport) -> date | None:
    """Exclusive end: TOOI einddatum (last day) + 1, checked against invalidatedAtTime."""
    last_day = _date(_first(record, str(TOOI_ONT.einddatum)))
    invalidated = _date(_first(record, str(PROV.invalidatedAtTime)))
    end = last_day + timedelta(days=1) if last_day else None
    if end and invalidated and end != invalidated:
        report.warn(
            path,
            rid,
            f"einddatum {last_day} + 1 day != invalidatedAtTime {invalidated}; einddatum is used",
        )
    return end or invalidated


def _import_herindeling(
    g: Graph,
    path: Path,
    index: int,
    record: dict[str, Any],
    source: URIRef,
    names: dict[str, str],
    report: ImportReport,
) -> None:
    rid = _record_id(record, index)
    kind = next(_local(t) for t in _types(record) if _local(t) in HERINDELING_TYPES)
    day = _date(_first(record, str(TOOI_ONT.tijdstipWijziging)))
    if day is None:
        report.warn(path, rid, f"{kind} without a valid tijdstipWijziging", skip=True)
        return

    def codes(prop: URIRef) -> list[str]:
        out = []
        for iri in _ids(record, str(prop)):
            m = _TOOI_GM.search(iri)
            if not m:
                report.warn(path, rid, f"{kind}: {iri} is not a TOOI gemeente; ignored")
            elif m.group(1) not in names:
                report.warn(path, rid, f"{kind}: {m.group(1)} is not in the register")
                out.append(m.group(1))
            else:
                out.append(m.group(1))
        return out

    opgeheven = codes(PROV.invalidated)
    ontstaan = codes(PROV.generated)
    betrokken = codes(PROV.used)
    if not opgeheven and not ontstaan:
        report.warn(path, rid, f"{kind} without opgeheven or ontstaan gemeenten", skip=True)
        return

    node = herindeling_iri(day, opgeheven, ontstaan + betrokken)
    if (node, RDF.type, SD.Herindeling) in g:
        node = URIRef(f"{node}-{rid}")
        report.warn(path, rid, f"herindeling IRI already used; made unique as {node}")
    g.add((node, RDF.type, SD.Herindeling))
    g.add((node, SD.herindelingstype, Literal(kind)))
    g.add((node, SD.datum, Literal(day, datatype=XSD.date)))
    g.add((node, DCTERMS.identifier, Literal(record.get("@id") or rid)))
    g.add((node, DCTERMS.source, source))
    for url in _values(record, str(TOOI_ONT.heeftGrondslag)):
        g.add((node, RDFS.seeAlso, URIRef(url)))

    def name_list(cs: list[str]) -> str:
        return ", ".join(names.get(c, c.upper()) for c in cs)

    naar = [c for c in ontstaan + betrokken if c not in opgeheven]
    label = f"{kind} {day.isoformat()}: {name_list(opgeheven)} → {name_list(naar)}"
    g.add((node, RDFS.label, Literal(label, lang="nl")))

    for sd_prop, prov_prop, cs in (
        (SD.opgeheven, PROV.invalidated, opgeheven),
        (SD.ontstaan, PROV.generated, ontstaan),
        (SD.betrokken, PROV.used, betrokken),
    ):
        for c in cs:
            g.add((node, sd_prop, TOOI_GEMEENTE[c]))
            g.add((node, prov_prop, TOOI_GEMEENTE[c]))
    for old in opgeheven:
        for new in naar:
            g.add((TOOI_GEMEENTE[old], SD.opgevolgdDoor, TOOI_GEMEENTE[new]))
    report.count("herindelingen")


def tooi_sources(folder: Path, report: ImportReport | None = None) -> list[Source]:
    """The TOOI import as one Source for ``Store.load`` (graph ``ref/tooi``)."""
    report = report if report is not None else ImportReport("tooi")
    graph = import_tooi(folder, report)
    # The date of the data: the gemeenten register's publicatiedatum (else the newest).
    dates = {str(s): str(o) for s, o in graph.subject_objects(DCTERMS.issued)}
    gemeenten = [d for s, d in dates.items() if "rwc_gemeenten" in s]
    issued = max(gemeenten or dates.values(), default=None)
    return [
        graph_source(
            graph,
            "tooi",
            str(GRAPH["ref/tooi"]),
            title="TOOI register gemeenten en provincies",
            publisher="KOOP / Ministerie van BZK",
            license=LICENSE,
            issued=issued,
        )
    ]


def gemeente_namen(folder: Path) -> GemeenteNamen:
    """Every gemeente ever in the TOOI register of ``folder`` with its name and lifetime.

    Used by importers of sources that name gemeenten rather than code them
    (see :class:`sdgraph.identity.GemeenteNamen`). Records the importer would
    skip (no code or name) are left out here too.
    """
    folder = Path(folder)
    path = _newest(folder, GEMEENTEN_GLOB)
    if path is None:
        raise DataError(f"{folder}: no TOOI gemeenten register ({GEMEENTEN_GLOB}) found")
    quiet = ImportReport("tooi (namen)")
    levens = []
    for index, record in enumerate(_load_records(path)):
        if "Gemeente" not in {_local(t) for t in _types(record)}:
            continue
        _code, gm_code = _gemeentecode(record)
        names = {
            _first(record, str(TOOI_ONT.officieleNaamExclSoort)),
            _first(record, str(TOOI_ONT.voorkeursnaamExclSoort)),
        } - {None}
        if gm_code is None or not names:
            continue
        end = _end_date(path, _record_id(record, index), record, quiet)
        levens += [GemeenteLeven(gm_code, n, _begin_date(record), end) for n in names]
    return GemeenteNamen(levens)
