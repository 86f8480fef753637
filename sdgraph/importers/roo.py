"""Importer for the gemeenschappelijke regelingen (GR) of the Register van
Overheidsorganisaties (ROO, organisaties.overheid.nl, CC0).

Two input formats, one record model, one mapper, so both give identical RDF:

* :func:`read_roo_yaml`: a folder of YAML files, one per GR version (the
  "roo-polder" mirror, schema ``organisatie.schema.json``). Files without a
  ``gr_meta`` block are records of the samenwerkingsorganisatie itself, not of
  a regeling, and are passed over (counted, no warning).
* :func:`read_roo_xml`: the official ``exportOO.xml`` (``overheidsorganisaties/
  gemeenschappelijkeRegelingen/regeling``), streamed with ``iterparse``.
  Elements and attributes are matched by local name, so the export's
  namespace prefixes do not matter.

Both produce :class:`GRVersion` records; :func:`roo_graph` maps them.

Mapping (see data/examples/oirschot/register/grs.ttl and lidmaatschappen.ttl):

* GR: the TOOI so-IRI of the ``regionaal samenwerkingsorgaan``, typed
  ``sd:GemeenschappelijkeRegeling``, ``rdfs:label`` = orgaan name (@nl),
  ``sd:rooId`` = the orgaan's ROO id. Versions are grouped into one GR by the
  register's previous/next-version links (a chain); a chain takes the so-IRI
  of any of its versions. A chain without any so-IRI gets
  ``sdid:gr/<slug of the citeertitel of its first version>`` (with
  ``-<roo id>`` appended when two chains would share a slug) and a warning;
  its label is the newest version's title.
* version: ``sdid:grversie/<roo_id>`` typed ``sd:GRVersie`` with
  versieVan, rooId, citeertitel, rdfs:label (title @nl), samenwerkingsvorm,
  doel, bevoegdheid, wettelijkeGrondslag (the jci reference, else opschrift),
  geldigVanaf (datumInwerkingtreding), geldigTot (datumUitwerkingtreding,
  exclusive), rdfs:seeAlso the ROO page, dct:source the register.
* deelnemers: one ``sd:Lidmaatschap`` per (member TOOI IRI, GR,
  toetredingsdatum), IRI ``sdid:lidmaatschap/<member>/<gr>`` and, only when
  the same member has more than one toetredingsdatum in one GR,
  ``.../<toetredingsdatum>``. Properties: org:member, org:organization,
  toetredingsdatum, uittredingsdatum, verdeelsleutel (xsd:decimal, "4,0" ->
  4.0; non-numeric text -> warning, kept as rdfs:comment), rdfs:label
  "<member> in <GR>", sd:volgensVersie to every version listing it,
  dct:source. Members of any kind (gemeente, provincie, waterschap, so,
  ministerie) keep their TOOI IRI. A deelnemer without TOOI IRI is looked up
  by its ROO id in the gemeente crosswalk (when given); else it is skipped
  with a warning (these are mostly gemeenten that no longer exist).
* Bestuursorganen of a deelnemer (which of its organs takes part: college van
  B&W, gemeenteraad, burgemeester, ...) as ``sd:deelnemendBestuursorgaan`` on
  the Lidmaatschap, pointing to a ``skos:Concept``
  ``sdid:bestuursorgaansoort/<slug>`` (prefLabel from the register,
  ``skos:exactMatch`` the OWMS term where the register gives one).

Rule for memberships that disappear (no uittredingsdatum in the register):

* If a membership is listed in some version of a GR but in none of the later
  versions (ordered by geldigVanaf), its ``sd:uittredingsdatum`` is the
  geldigVanaf of the first later version that lacks it.
* If it is listed in the last version of the GR and that version has a
  geldigTot (the regeling ended), its uittredingsdatum is that geldigTot.
* Both are marked with an rdfs:comment "uittredingsdatum afgeleid: ...".
  A membership that is absent from a version but listed again later keeps no
  derived end (a warning names it), so it is never cut off too early.

With these rules ``queries/lidmaatschappen.rq`` and ``queries/deelnemers.rq``
give the members the register lists on any date.

:func:`read_gemeente_crosswalk` reads the roo-polder ``gemeenten`` folder and
:func:`crosswalk_graph` adds ``sd:rooId``, ``sd:oin``, ``sd:kvkNummer`` and
the Wikidata IRI (``rdfs:seeAlso`` and ``sd:wikidata``) on each gemeente's
TOOI IRI.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from ..errors import DataError
from ..identity import GemeenteNamen, slugify
from ..namespaces import GRAPH, ORG, SD, SDID, TOOI_GEMEENTE
from ..store import Source
from .report import ImportReport, graph_source
from .tooi import gemeente_namen

REGISTER = URIRef("https://organisaties.overheid.nl/")
LICENSE = "https://creativecommons.org/publicdomain/zero/1.0/"
TITLE = "Register van Overheidsorganisaties: gemeenschappelijke regelingen"
PUBLISHER = "Ministerie van BZK (ROO)"
GR_FOLDER = "gemeenschappelijke-regelingen"
GEMEENTEN_FOLDER = "gemeenten"
TOOI_ID = "https://identifier.overheid.nl/tooi/id/"
WIKIDATA = "http://www.wikidata.org/entity/"

VORMEN = {
    "OL": "openbaar-lichaam",
    "BVO": "bedrijfsvoeringsorganisatie",
    "GO": "gemeenschappelijk-orgaan",
    "RZM": "regeling-zonder-meer",
    "CG": "centrumgemeenteconstructie",
    "openbaar lichaam": "openbaar-lichaam",
    "bedrijfsvoeringsorganisatie": "bedrijfsvoeringsorganisatie",
    "gemeenschappelijk orgaan": "gemeenschappelijk-orgaan",
    "regeling zonder meer": "regeling-zonder-meer",
    "centrumgemeente": "centrumgemeenteconstructie",
    "centrumgemeenteconstructie": "centrumgemeenteconstructie",
}

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_WS = re.compile(r"\s+")


# --------------------------------------------------------------------------- record model


@dataclass
class Deelnemer:
    naam: str | None
    tooi: str | None
    roo_id: str | None = None
    toetredingsdatum: str | None = None
    uittredingsdatum: str | None = None
    verdeelsleutel: str | None = None
    #: (name, OWMS IRI or None) of each organ of the deelnemer taking part
    bestuursorganen: list[tuple[str, str | None]] = field(default_factory=list)


@dataclass
class GRVersion:
    file: str
    position: str  # where in the file (record id, or "regeling <n>")
    roo_id: str | None
    titel: str | None
    citeertitel: str | None
    valid_from: str | None
    valid_until: str | None = None
    vorm_afkorting: str | None = None
    vorm_naam: str | None = None
    doel: str | None = None
    bevoegdheden: list[str] = field(default_factory=list)
    grondslagen: list[str] = field(default_factory=list)
    so_tooi: str | None = None
    so_roo_id: str | None = None
    so_naam: str | None = None
    previous_roo_id: str | None = None
    next_roo_id: str | None = None
    deelnemers: list[Deelnemer] = field(default_factory=list)


def _text(value: Any) -> str | None:
    """Clean text: no zero-width characters, single spaces, None when empty."""
    if value is None:
        return None
    text = _WS.sub(" ", str(value).translate(_INVISIBLE)).strip()
    return text or None


def _join_bevoegdheid(kop: Any, inhoud: Any) -> str | None:
    kop, inhoud = _text(kop), _text(inhoud)
    if kop and inhoud:
        return f"{kop}: {inhoud}"
    return kop or inhoud


# --------------------------------------------------------------------------- YAML reader


class _StringLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """Safe loader that keeps numbers and dates as strings (OIN, KvK: leading zeros)."""


_StringLoader.yaml_implicit_resolvers = {
    first: [
        (tag, rx)
        for tag, rx in resolvers
        if tag.rsplit(":", 1)[-1] not in ("int", "float", "timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_StringLoader)  # noqa: S506 - a safe loader


def _gr_folder(folder: Path) -> Path:
    """Accept the roo-polder folder or its gemeenschappelijke-regelingen folder."""
    return folder / GR_FOLDER if (folder / GR_FOLDER).is_dir() else folder


def read_roo_yaml(folder: Path, report: ImportReport) -> list[GRVersion]:
    """Read every ``*.yaml`` GR-version file of ``folder`` (sorted by name)."""
    folder = _gr_folder(Path(folder))
    if not folder.is_dir():
        raise DataError(f"{folder}: no such folder")
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise DataError(f"{folder}: no *.yaml files")
    versions = []
    for path in files:
        try:
            record = _load_yaml(path)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            report.warn(
                path, None, f"not readable YAML ({str(exc).splitlines()[0]}); skipped", True
            )
            continue
        if not isinstance(record, dict):
            report.warn(path, None, "not a YAML mapping; skipped", skip=True)
            continue
        meta = record.get("gr_meta")
        if not meta:
            report.count("organisatierecords (geen regeling)")
            continue
        try:
            versions.append(_yaml_version(path, record, meta))
        except (AttributeError, TypeError) as exc:
            report.warn(path, record.get("id"), f"unexpected structure ({exc}); skipped", True)
    return versions


def _yaml_version(path: Path, record: dict[str, Any], meta: dict[str, Any]) -> GRVersion:
    names = record.get("names") or []
    vorm = meta.get("samenwerkingsvorm") or {}
    rso = meta.get("regionaal_samenwerkingsorgaan") or {}
    v = GRVersion(
        file=path.name,
        position=str(record.get("id") or ""),
        roo_id=_text((record.get("identifiers") or {}).get("roo_id")),
        titel=_text(names[0].get("value")) if names else None,
        citeertitel=_text(meta.get("citeertitel")),
        valid_from=_text(meta.get("datum_inwerkingtreding") or record.get("valid_from")),
        valid_until=_text(meta.get("datum_uitwerkingtreding") or record.get("valid_until")),
        vorm_afkorting=_text(vorm.get("afkorting")),
        vorm_naam=_text(vorm.get("value")),
        doel=_text(meta.get("doel")),
        bevoegdheden=[
            b
            for item in meta.get("bevoegdheden") or []
            if (b := _join_bevoegdheid(item.get("kop_artikel"), item.get("inhoud_artikel")))
        ],
        grondslagen=[
            g
            for item in meta.get("wettelijke_grondslagen") or []
            if (g := _text(item.get("referentie")) or _text(item.get("opschrift")))
        ],
        so_tooi=_text(rso.get("tooi")),
        so_roo_id=_text(rso.get("roo_id")),
        so_naam=_text(rso.get("naam")),
        previous_roo_id=_text((meta.get("previous_version") or {}).get("roo_id")),
        next_roo_id=_text((meta.get("next_version") or {}).get("roo_id")),
    )
    for d in meta.get("deelnemende_organisaties") or []:
        v.deelnemers.append(
            Deelnemer(
                naam=_text(d.get("naam")),
                tooi=_text(d.get("tooi")),
                roo_id=_text(d.get("roo_id")),
                toetredingsdatum=_text(d.get("toetredings_datum")),
                uittredingsdatum=_text(d.get("uittredings_datum")),
                verdeelsleutel=_text(d.get("verdeelsleutel")),
                bestuursorganen=[
                    (naam, _text(b.get("owms")))
                    for b in (d.get("bestuursorganen") or [])
                    if isinstance(b, dict) and (naam := _text(b.get("naam")))
                ],
            )
        )
    return v


# --------------------------------------------------------------------------- XML reader


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _attr(elem: ET.Element | None, name: str) -> str | None:
    if elem is None:
        return None
    for key, value in elem.attrib.items():
        if _local(key) == name:
            return _text(value)
    return None


def _child(elem: ET.Element | None, name: str) -> ET.Element | None:
    if elem is None:
        return None
    for c in elem:
        if _local(c.tag) == name:
            return c
    return None


def _children(elem: ET.Element | None, name: str) -> list[ET.Element]:
    return [] if elem is None else [c for c in elem if _local(c.tag) == name]


def _ctext(elem: ET.Element | None, name: str) -> str | None:
    c = _child(elem, name)
    return None if c is None else _text("".join(c.itertext()))


def _ref_name(elem: ET.Element | None) -> str | None:
    """An org reference: ``<naam>`` child, else the element's own text."""
    if elem is None:
        return None
    return _ctext(elem, "naam") or _text(elem.text)


def read_roo_xml(path: Path, report: ImportReport) -> list[GRVersion]:
    """Stream the ``regeling`` elements of an ROO ``exportOO.xml``."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    versions = []
    n = 0
    try:
        for _event, elem in ET.iterparse(path, events=("end",)):
            if _local(elem.tag) != "regeling":
                continue
            n += 1
            versions.append(_xml_version(path, n, elem))
            elem.clear()
    except ET.ParseError as exc:
        report.warn(
            path, f"line {exc.position[0]}", f"XML not well-formed ({exc}); rest skipped", skip=True
        )
    return versions


def _xml_version(path: Path, n: int, el: ET.Element) -> GRVersion:
    vorm = _child(el, "samenwerkingsvorm")
    rso = _child(el, "regionaalSamenwerkingsorgaan")
    v = GRVersion(
        file=path.name,
        position=f"regeling {n}",
        roo_id=_attr(el, "systeemId") or _ctext(el, "systeemId") or _ctext(el, "id"),
        titel=_ctext(el, "titel"),
        citeertitel=_ctext(el, "citeertitel"),
        valid_from=_ctext(el, "datumInwerkingtreding"),
        valid_until=_ctext(el, "datumUitwerkingtreding"),
        vorm_afkorting=_attr(vorm, "afkorting"),
        vorm_naam=None if vorm is None else _text(vorm.text),
        doel=_ctext(el, "doel"),
        bevoegdheden=[
            b
            for item in _children(_child(el, "bevoegdheden"), "bevoegdheid")
            if (b := _join_bevoegdheid(_ctext(item, "kopArtikel"), _ctext(item, "inhoudArtikel")))
        ],
        grondslagen=[
            g
            for item in _children(_child(el, "wettelijkeGrondslagen"), "wettelijkeGrondslag")
            if (g := _ctext(item, "referentie") or _ctext(item, "opschrift"))
        ],
        so_tooi=_attr(rso, "resourceIdentifierTOOI"),
        so_roo_id=_attr(rso, "systeemId"),
        so_naam=_ref_name(rso),
        previous_roo_id=_attr(_child(el, "previousVersion"), "systeemId"),
        next_roo_id=_attr(_child(el, "nextVersion"), "systeemId"),
    )
    v.position = f"regeling {n}" + (f" (systeemId {v.roo_id})" if v.roo_id else "")
    for d in _children(_child(el, "deelnemendeOrganisaties"), "deelnemendeOrganisatie"):
        v.deelnemers.append(
            Deelnemer(
                naam=_ref_name(d),
                tooi=_attr(d, "resourceIdentifierTOOI"),
                roo_id=_attr(d, "systeemId"),
                toetredingsdatum=_ctext(d, "toetredingsDatum"),
                uittredingsdatum=_ctext(d, "uittredingsDatum"),
                verdeelsleutel=_ctext(d, "verdeelsleutel"),
                bestuursorganen=[
                    (naam, None)
                    for b in _children(_child(d, "bestuursorganen"), "bestuursorgaan")
                    if (naam := (b.text or "").strip())
                ],
            )
        )
    return v


# --------------------------------------------------------------------------- mapper


def _date(value: str | None) -> date | None:
    if not value:
        return None
    return date.fromisoformat(value[:10])


def _dlit(d: date) -> Literal:
    return Literal(d.isoformat(), datatype=XSD.date)


def _tooi_code(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].lower()


def _member_label(naam: str | None, code: str) -> str:
    if not naam:
        return code
    return naam[len("Gemeente ") :] if naam.startswith("Gemeente ") else naam


def parse_verdeelsleutel(text: str) -> Decimal | None:
    """ROO writes "4,0" (decimal comma, percentage); None when not a number."""
    cleaned = text.replace("%", "").replace(" ", "").replace(",", ".")
    if not re.fullmatch(r"[+-]?\d+(\.\d+)?", cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


@dataclass
class _Checked:
    v: GRVersion
    start: date
    end: date | None


def _check(versions: Iterable[GRVersion], report: ImportReport) -> list[_Checked]:
    """Keep versions with their required fields; warn (and skip) the others."""
    out: list[_Checked] = []
    seen: set[str] = set()
    for v in versions:
        where = v.position or v.roo_id
        if not v.roo_id or not v.roo_id.isdigit():
            report.warn(v.file, where, "regeling without a numeric ROO id; skipped", skip=True)
            continue
        if v.roo_id in seen:
            report.warn(v.file, where, f"ROO id {v.roo_id} seen before; skipped", skip=True)
            continue
        if not v.valid_from:
            report.warn(v.file, where, "regeling without datumInwerkingtreding; skipped", True)
            continue
        if not (v.citeertitel or v.titel):
            report.warn(v.file, where, "regeling without titel and citeertitel; skipped", True)
            continue
        try:
            start, end = _date(v.valid_from), _date(v.valid_until)
        except ValueError as exc:
            report.warn(v.file, where, f"invalid date ({exc}); skipped", skip=True)
            continue
        assert start is not None
        if end is not None and end <= start:
            report.warn(
                v.file,
                where,
                f"datumUitwerkingtreding {end} <= datumInwerkingtreding {start}; end date ignored",
            )
            end = None
        seen.add(v.roo_id)
        out.append(_Checked(v, start, end))
    return out


def _chains(checked: list[_Checked]) -> list[list[_Checked]]:
    """Group versions of one regeling by the previous/next-version links."""
    by_id = {c.v.roo_id: c for c in checked}
    parent = {k: k for k in by_id}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for c in checked:
        for other in (c.v.previous_roo_id, c.v.next_roo_id):
            if other and other in by_id:
                a, b = find(c.v.roo_id), find(other)  # type: ignore[arg-type]
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[str, list[_Checked]] = defaultdict(list)
    for c in checked:
        groups[find(c.v.roo_id)].append(c)  # type: ignore[arg-type]
    chains = [sorted(g, key=lambda c: (c.start, int(c.v.roo_id))) for g in groups.values()]  # type: ignore[arg-type]
    return sorted(chains, key=lambda g: int(g[0].v.roo_id))  # type: ignore[arg-type]


def roo_graph(
    versions: Iterable[GRVersion],
    report: ImportReport,
    crosswalk: dict[str, str] | None = None,
    namen: GemeenteNamen | None = None,
) -> Graph:
    """Map GR versions to RDF.

    ``crosswalk``: ROO id -> TOOI IRI for deelnemers without one; ``namen``
    (from the TOOI register) places a deelnemer known only by name, such as a
    gemeente merged away ('Gemeente Binnenmaas'), on the version's start date.
    """
    crosswalk = crosswalk or {}
    g = Graph()
    chains = _chains(_check(versions, report))

    # --- GR identity per chain
    gr_iris: list[URIRef] = []
    fallback: dict[int, str] = {}
    slugs: dict[str, int] = defaultdict(int)
    for i, chain in enumerate(chains):
        so = next((c.v.so_tooi for c in reversed(chain) if c.v.so_tooi), None)
        if so:
            gr_iris.append(URIRef(so))
        else:
            first = chain[0].v
            slug = slugify(first.citeertitel or first.titel or first.roo_id or "gr") or "x"
            fallback[i] = slug
            slugs[slug] += 1
            gr_iris.append(URIRef(""))
    for i, slug in fallback.items():
        if slugs[slug] > 1:
            slug = f"{slug}-{chains[i][0].v.roo_id}"
        gr_iris[i] = SDID[f"gr/{slug}"]
        first = chains[i][0].v
        report.warn(
            first.file,
            first.position,
            f"no TOOI so-IRI for the samenwerkingsorgaan "
            f"of this regeling ({len(chains[i])} versions); using {gr_iris[i]}",
        )

    for chain, gr in zip(chains, gr_iris, strict=True):
        _map_chain(g, chain, gr, report, crosswalk, namen)
    return g


def _by_name(d: Deelnemer, v: GRVersion, namen: GemeenteNamen | None) -> str | None:
    """The TOOI IRI of the gemeente named ``d.naam`` on the version's start (or joining) date."""
    if namen is None or not d.naam or not d.naam.casefold().startswith("gemeente "):
        return None
    try:
        day = _date(v.valid_from) or _date(d.toetredingsdatum)
    except ValueError:
        return None
    code = namen.resolve(d.naam, day) if day else None
    return str(TOOI_GEMEENTE[code]) if code else None


def _map_chain(
    g: Graph,
    chain: list[_Checked],
    gr: URIRef,
    report: ImportReport,
    crosswalk: dict[str, str],
    namen: GemeenteNamen | None = None,
) -> None:
    g.add((gr, RDF.type, SD.GemeenschappelijkeRegeling))
    label = next((c.v.so_naam for c in reversed(chain) if c.v.so_naam), None)
    label = label or chain[-1].v.titel or chain[-1].v.citeertitel
    g.add((gr, RDFS.label, Literal(label, lang="nl")))
    for c in chain:
        if c.v.so_roo_id and c.v.so_tooi:
            g.add((gr, SD.rooId, Literal(c.v.so_roo_id)))
    report.count("gemeenschappelijke regelingen")
    gr_code = _tooi_code(str(gr))

    # memberships: key (member IRI, toetredingsdatum) -> index of versions listing it
    listed: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    info: dict[tuple[str, str | None], Deelnemer] = {}
    organen: dict[tuple[str, str | None], set[tuple[str, str | None]]] = defaultdict(set)
    for idx, c in enumerate(chain):
        _map_version(g, c, gr, report)
        for d in c.v.deelnemers:
            member = d.tooi or (crosswalk.get(d.roo_id) if d.roo_id else None)
            if not member:
                member = _by_name(d, c.v, namen)
                if member:
                    report.count("deelnemers via TOOI-naam")
            if not member:
                report.warn(
                    c.v.file,
                    c.v.position,
                    f"deelnemer {d.naam or d.roo_id!r} has no "
                    "TOOI IRI (not in the crosswalk, no gemeente of that name on that date); "
                    "deelnemer skipped",
                )
                continue
            if not member.startswith(TOOI_ID):
                report.warn(
                    c.v.file,
                    c.v.position,
                    f"deelnemer {d.naam!r}: {member!r} is not a TOOI IRI; deelnemer skipped",
                )
                continue
            try:
                _date(d.toetredingsdatum)
                _date(d.uittredingsdatum)
            except ValueError as exc:
                report.warn(
                    c.v.file,
                    c.v.position,
                    f"deelnemer {d.naam!r}: invalid date ({exc}); deelnemer skipped",
                )
                continue
            key = (member, d.toetredingsdatum)
            if not listed[key] or listed[key][-1] != idx:
                listed[key].append(idx)
            info[key] = d  # the newest version's facts win
            organen[key].update(d.bestuursorganen)  # ... except organs: any version's

    dates_per_member: dict[str, set[str | None]] = defaultdict(set)
    for member, start in listed:
        dates_per_member[member].add(start)

    for (member, start), idxs in listed.items():
        d = info[(member, start)]
        code = _tooi_code(member)
        path = f"lidmaatschap/{code}/{gr_code}"
        if len(dates_per_member[member]) > 1:
            path += f"/{start or 'onbekend'}"
        lm = SDID[path]
        g.add((lm, RDF.type, SD.Lidmaatschap))
        g.add((lm, ORG.member, URIRef(member)))
        g.add((lm, ORG.organization, gr))
        gr_label = g.value(gr, RDFS.label)
        g.add((lm, RDFS.label, Literal(f"{_member_label(d.naam, code)} in {gr_label}", lang="nl")))
        g.add((lm, DCTERMS.source, REGISTER))
        if start:
            g.add((lm, SD.toetredingsdatum, _dlit(_date(start))))  # type: ignore[arg-type]
        for naam, owms in sorted(organen[(member, start)], key=lambda o: (o[0], o[1] or "")):
            g.add((lm, SD.deelnemendBestuursorgaan, _bestuursorgaan(g, naam, owms)))
        for idx in idxs:
            g.add((lm, SD.volgensVersie, SDID[f"grversie/{chain[idx].v.roo_id}"]))
        last = chain[idxs[-1]]
        if d.uittredingsdatum:
            g.add((lm, SD.uittredingsdatum, _dlit(_date(d.uittredingsdatum))))  # type: ignore[arg-type]
        elif idxs[-1] - idxs[0] + 1 != len(idxs):
            report.warn(
                last.v.file,
                last.v.position,
                f"deelnemer {d.naam!r} is missing from "
                "some versions between others that list it; no uittredingsdatum derived",
            )
        elif idxs[-1] < len(chain) - 1:
            nxt = chain[idxs[-1] + 1]
            g.add((lm, SD.uittredingsdatum, _dlit(nxt.start)))
            g.add(
                (
                    lm,
                    RDFS.comment,
                    Literal(
                        f"uittredingsdatum afgeleid: niet meer als deelnemer vermeld in versie "
                        f"{nxt.v.roo_id} (geldig vanaf {nxt.start.isoformat()})",
                        lang="nl",
                    ),
                )
            )
        elif last.end is not None:
            g.add((lm, SD.uittredingsdatum, _dlit(last.end)))
            g.add(
                (
                    lm,
                    RDFS.comment,
                    Literal(
                        f"uittredingsdatum afgeleid: de laatste versie ({last.v.roo_id}) "
                        f"van de regeling geldt tot {last.end.isoformat()}",
                        lang="nl",
                    ),
                )
            )
        if d.verdeelsleutel:
            value = parse_verdeelsleutel(d.verdeelsleutel)
            if value is None:
                report.warn(
                    last.v.file,
                    last.v.position,
                    f"deelnemer {d.naam!r}: verdeelsleutel "
                    f"{d.verdeelsleutel!r} is not a number; kept as rdfs:comment",
                )
                g.add(
                    (
                        lm,
                        RDFS.comment,
                        Literal(f"verdeelsleutel (ROO): {d.verdeelsleutel}", lang="nl"),
                    )
                )
            else:
                g.add((lm, SD.verdeelsleutel, Literal(value, datatype=XSD.decimal)))
        report.count("lidmaatschappen")


def _bestuursorgaan(g: Graph, naam: str, owms: str | None) -> URIRef:
    """The concept for a kind of bestuursorgaan ('College van burgemeester en wethouders')."""
    concept = SDID[f"bestuursorgaansoort/{slugify(naam)}"]
    g.add((concept, RDF.type, SKOS.Concept))
    g.add((concept, SKOS.prefLabel, Literal(naam, lang="nl")))
    g.add((concept, SKOS.inScheme, SDID["bestuursorgaansoort"]))
    if owms and owms.startswith("http"):
        g.add((concept, SKOS.exactMatch, URIRef(owms)))
    return concept


def _map_version(g: Graph, c: _Checked, gr: URIRef, report: ImportReport) -> URIRef:
    v = c.v
    vi = SDID[f"grversie/{v.roo_id}"]
    g.add((vi, RDF.type, SD.GRVersie))
    g.add((vi, SD.versieVan, gr))
    g.add((vi, SD.rooId, Literal(v.roo_id)))
    citeertitel = v.citeertitel or v.titel
    g.add((vi, SD.citeertitel, Literal(citeertitel)))
    g.add((vi, RDFS.label, Literal(v.titel or citeertitel, lang="nl")))
    vorm = None
    for key in (v.vorm_afkorting, v.vorm_naam):
        if key and vorm is None:
            vorm = VORMEN.get(key) or VORMEN.get(key.strip("'\" ").lower())
    if vorm:
        g.add((vi, SD.samenwerkingsvorm, SDID[f"samenwerkingsvorm/{vorm}"]))
    elif v.vorm_afkorting or v.vorm_naam:
        report.warn(
            v.file,
            v.position,
            f"unknown samenwerkingsvorm {v.vorm_afkorting or ''} {v.vorm_naam or ''}".rstrip()
            + "; not stated",
        )
    else:
        report.warn(v.file, v.position, "no samenwerkingsvorm")
    if v.doel:
        g.add((vi, SD.doel, Literal(v.doel)))
    for b in v.bevoegdheden:
        g.add((vi, SD.bevoegdheid, Literal(b)))
    for ref in v.grondslagen:
        g.add((vi, SD.wettelijkeGrondslag, Literal(ref)))
    g.add((vi, SD.geldigVanaf, _dlit(c.start)))
    if c.end:
        g.add((vi, SD.geldigTot, _dlit(c.end)))
    page = f"https://organisaties.overheid.nl/{v.roo_id}/{slugify(citeertitel) or 'x'}"
    g.add((vi, RDFS.seeAlso, URIRef(page)))
    g.add((vi, DCTERMS.source, REGISTER))
    report.count("GR-versies")
    if v.deelnemers:
        report.count("GR-versies met deelnemers")
    return vi


# --------------------------------------------------------------------------- gemeente crosswalk


@dataclass
class GemeenteIds:
    tooi: str
    roo_id: str | None = None
    oin: str | None = None
    kvk: str | None = None
    wikidata: str | None = None


def read_gemeente_crosswalk(folder: Path, report: ImportReport) -> list[GemeenteIds]:
    """The identifier crosswalk of the roo-polder ``gemeenten`` folder (by TOOI IRI)."""
    folder = Path(folder)
    if (folder / GEMEENTEN_FOLDER).is_dir():
        folder = folder / GEMEENTEN_FOLDER
    out: dict[str, GemeenteIds] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            record = _load_yaml(path)
            ids = record.get("identifiers") or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError, AttributeError) as exc:
            report.warn(path, None, f"not a readable gemeente record ({exc}); skipped", True)
            continue
        tooi = _text(ids.get("tooi"))
        if not tooi or "/gemeente/" not in tooi:
            report.warn(path, record.get("id"), "no gemeente TOOI IRI; skipped", skip=True)
            continue
        wd = _text(ids.get("wikidata"))
        if wd and not re.fullmatch(r"Q\d+", wd):
            report.warn(path, record.get("id"), f"wikidata {wd!r} is not a Q-id; left out")
            wd = None
        out[tooi] = GemeenteIds(
            tooi, _text(ids.get("roo_id")), _text(ids.get("oin")), _text(ids.get("kvk")), wd
        )
    return [out[k] for k in sorted(out)]


def crosswalk_graph(rows: Iterable[GemeenteIds], report: ImportReport) -> Graph:
    g = Graph()
    for r in rows:
        s = URIRef(r.tooi)
        if r.roo_id:
            g.add((s, SD.rooId, Literal(r.roo_id)))
        if r.oin:
            g.add((s, SD.oin, Literal(r.oin)))
        if r.kvk:
            g.add((s, SD.kvkNummer, Literal(r.kvk)))
        if r.wikidata:
            wd = URIRef(WIKIDATA + r.wikidata)
            g.add((s, RDFS.seeAlso, wd))
            g.add((s, SD.wikidata, wd))
        report.count("gemeenten (crosswalk)")
    return g


def _roo_to_tooi(rows: Iterable[GemeenteIds]) -> dict[str, str]:
    return {r.roo_id: r.tooi for r in rows if r.roo_id}


# --------------------------------------------------------------------------- entry points


def import_roo_yaml(
    folder: Path, report: ImportReport, namen: GemeenteNamen | None = None
) -> Graph:
    """GRs from the roo-polder folder (or its gemeenschappelijke-regelingen folder).

    When the folder has a ``gemeenten`` sibling/child, its crosswalk is added
    and used to resolve deelnemers without TOOI IRI.
    """
    folder = Path(folder)
    versions = read_roo_yaml(folder, report)
    root = folder if (folder / GR_FOLDER).is_dir() else folder.parent
    rows = []
    if (root / GEMEENTEN_FOLDER).is_dir():
        rows = read_gemeente_crosswalk(root / GEMEENTEN_FOLDER, report)
    g = roo_graph(versions, report, _roo_to_tooi(rows), namen)
    g += crosswalk_graph(rows, report)
    return g


def import_roo_xml(
    path: Path, report: ImportReport, namen: GemeenteNamen | None = None
) -> Graph:
    """GRs from an ROO ``exportOO.xml``."""
    return roo_graph(read_roo_xml(Path(path), report), report, namen=namen)


def roo_sources(
    folder: Path, report: ImportReport | None = None, tooi: Path | None = None
) -> list[Source]:
    """The ROO graph as one Source for the store (``folder``: YAML folder or an XML file).

    ``tooi``: a TOOI register folder, used to place deelnemers known only by name.
    """
    report = report or ImportReport("roo")
    folder = Path(folder)
    namen = gemeente_namen(tooi) if tooi is not None else None
    if folder.is_file():
        g = import_roo_xml(folder, report, namen)
    else:
        g = import_roo_yaml(folder, report, namen)
    return [
        graph_source(
            g,
            "roo",
            str(GRAPH["ref/roo"]),
            title=TITLE,
            publisher=PUBLISHER,
            license=LICENSE,
        )
    ]
