"""The mapper: GR versions (:mod:`.model`) to RDF.

* GR: the TOOI so-IRI of the ``regionaal samenwerkingsorgaan``, typed
  ``sd:GemeenschappelijkeRegeling``, ``rdfs:label`` = orgaan name (@nl),
  ``sd:rooId`` = the orgaan's ROO id, ``sd:eersteVersie`` = its first version valid
  on some day (queries show it for a peildatum before the register's first record).
  Versions are grouped into one GR by the register's previous/next-version links
  (a chain); a chain takes the so-IRI of any of its versions. A chain without any
  so-IRI gets ``sdid:gr/<slug of the citeertitel of its first version>`` (with
  ``-<roo id>`` appended when two chains would share a slug) and a warning; its
  label is the newest version's title.
* version: ``sdid:grversie/<roo_id>`` typed ``sd:GRVersie`` with versieVan, rooId,
  citeertitel, rdfs:label (title @nl), samenwerkingsvorm, doel, bevoegdheid,
  wettelijkeGrondslag (the jci reference, else opschrift), geldigVanaf
  (datumInwerkingtreding), geldigTot (datumUitwerkingtreding, exclusive; equal to
  geldigVanaf for a version valid on no day), rdfs:seeAlso the ROO page,
  dct:source the register.
* deelnemers: one ``sd:Lidmaatschap`` per member and run of versions
  (:mod:`.lidmaatschappen`), IRI ``sdid:lidmaatschap/<member>/<gr>`` and, only
  when one member has more than one membership of the GR,
  ``.../<toetredingsdatum>``. Properties: org:member, org:organization,
  toetredingsdatum, uittredingsdatum, verdeelsleutel (xsd:decimal, "4,0" -> 4.0;
  non-numeric text -> warning, kept as rdfs:comment), rdfs:label "<member> in
  <GR>", sd:volgensVersie to every version listing it, dct:source, and an
  rdfs:comment for each derived date. Members of any kind (gemeente, provincie,
  waterschap, so, ministerie) keep their TOOI IRI. A deelnemer without one is
  placed by its ROO id in the gemeenten crosswalk, else by its name on the date
  it joined (or the version's first or last day) in the TOOI register; a
  deelnemer placed by neither is reported (file, record and deelnemer number; the
  build summary lists every one) and skipped.
* Bestuursorganen of a deelnemer (which of its organs takes part: college van
  B&W, gemeenteraad, burgemeester, ...) as ``sd:deelnemendBestuursorgaan`` on the
  Lidmaatschap, pointing to a ``skos:Concept``
  ``sdid:bestuursorgaansoort/<slug>`` (prefLabel from the register,
  ``skos:exactMatch`` the OWMS term where the register gives one).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from ...identity import GemeenteNamen, gemeente_code, slugify
from ...namespaces import ORG, SD, SDID, TOOI_GEMEENTE
from ..iri import iri_error, is_iri
from ..report import ImportReport
from .lidmaatschappen import Periode, Vermelding, Versie, periodes
from .model import Deelnemer, GRVersion

REGISTER = URIRef("https://organisaties.overheid.nl/")
TOOI_ID = "https://identifier.overheid.nl/tooi/id/"

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
            # valid on no day (the register has four: 29474046 SSC ONS, ...), never open-ended
            report.warn(
                v.file,
                where,
                f"datumUitwerkingtreding {end} <= datumInwerkingtreding {start}: "
                "valid on no day",
            )
            end = start
            report.count("GR-versies geldig op geen dag")
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

    ``crosswalk``: ROO id -> TOOI IRI for deelnemers without one; ``namen`` (from
    the TOOI register) places a deelnemer known only by name, such as a gemeente
    merged away ('Gemeente Binnenmaas'), and bounds each gemeente's memberships by
    its lifetime.
    """
    crosswalk = crosswalk or {}
    g = Graph()
    chains = _chains(_check(versions, report))

    # --- GR identity per chain
    gr_iris: list[URIRef] = []
    fallback: dict[int, str] = {}
    slugs: dict[str, int] = defaultdict(int)
    for i, chain in enumerate(chains):
        for c in chain:
            if c.v.so_tooi and (why := iri_error(c.v.so_tooi)) is not None:
                report.warn(c.v.file, c.v.position,
                            f"field regionaal_samenwerkingsorgaan.tooi {c.v.so_tooi!r} is not "
                            f"a valid IRI ({why}); left out")
                c.v.so_tooi = None
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

    used: set[URIRef] = set()
    for chain, gr in zip(chains, gr_iris, strict=True):
        _map_chain(g, chain, gr, report, crosswalk, namen, used)
    firsts: dict[URIRef, _Checked] = {}
    for chain, gr in zip(chains, gr_iris, strict=True):
        for c in chain:
            if c.end != c.start and (gr not in firsts or c.start < firsts[gr].start):
                firsts[gr] = c
    for gr, c in firsts.items():
        g.add((gr, SD.eersteVersie, SDID[f"grversie/{c.v.roo_id}"]))
    return g


def _by_name(d: Deelnemer, c: _Checked, namen: GemeenteNamen | None) -> str | None:
    """The TOOI IRI of the gemeente named ``d.naam`` on the date it joined, else on the
    version's first or last day (a gemeente merged away before the version began)."""
    if namen is None or not d.naam or not d.naam.casefold().startswith("gemeente "):
        return None
    try:
        joined = _date(d.toetredingsdatum)
    except ValueError:
        joined = None
    last = c.end - timedelta(days=1) if c.end and c.end > c.start else None
    for day in (joined, c.start, last):
        code = namen.resolve(d.naam, day) if day else None
        if code:
            return str(TOOI_GEMEENTE[code])
    return None


def _member(d: Deelnemer, c: _Checked, crosswalk: dict[str, str],
            namen: GemeenteNamen | None, report: ImportReport, row: str) -> str | None:
    """The deelnemer's IRI: its TOOI IRI, else by crosswalk (ROO id), else by name."""
    if d.tooi:
        why = iri_error(d.tooi)
        if why is None:
            return d.tooi
        report.warn(c.v.file, row, f"deelnemer {d.naam or d.roo_id!r}: field tooi {d.tooi!r} "
                    f"is not a valid IRI ({why}); placed by ROO id or name instead", always=True)
    if d.roo_id and d.roo_id in crosswalk:
        report.count("deelnemers via crosswalk")
        return crosswalk[d.roo_id]
    member = _by_name(d, c, namen)
    if member:
        report.count("deelnemers via TOOI-naam")
    return member


def _map_chain(
    g: Graph,
    chain: list[_Checked],
    gr: URIRef,
    report: ImportReport,
    crosswalk: dict[str, str],
    namen: GemeenteNamen | None,
    used: set[URIRef],
) -> None:
    g.add((gr, RDF.type, SD.GemeenschappelijkeRegeling))
    label = next((c.v.so_naam for c in reversed(chain) if c.v.so_naam), None)
    label = label or chain[-1].v.titel or chain[-1].v.citeertitel
    g.add((gr, RDFS.label, Literal(label, lang="nl")))
    for c in chain:
        if c.v.so_roo_id and c.v.so_tooi:
            g.add((gr, SD.rooId, Literal(c.v.so_roo_id)))
    report.count("gemeenschappelijke regelingen")

    listed: dict[str, list[Vermelding]] = defaultdict(list)
    for idx, c in enumerate(chain):
        _map_version(g, c, gr, report)
        for k, d in enumerate(c.v.deelnemers, start=1):
            row = f"{c.v.position}, deelnemer {k}"
            member = _member(d, c, crosswalk, namen, report, row)
            if not member or not member.startswith(TOOI_ID):
                what = "no TOOI IRI, not in the gemeenten crosswalk" + (
                    ", no gemeente of that name on the date it joined or of the version"
                    if (d.naam or "").casefold().startswith("gemeente ") else "")
                if member:
                    what = f"{member!r} is not a TOOI IRI"
                report.warn(c.v.file, row, f"deelnemer {d.naam or d.roo_id!r} "
                            f"(ROO id {d.roo_id or '-'}) not placed: {what}; deelnemer skipped",
                            always=True)
                report.count("deelnemers niet geplaatst")
                continue
            try:
                _date(d.toetredingsdatum)
                _date(d.uittredingsdatum)
            except ValueError as exc:
                report.warn(c.v.file, row,
                            f"deelnemer {d.naam!r}: invalid date ({exc}); deelnemer skipped",
                            always=True)
                report.count("deelnemers niet geplaatst")
                continue
            if any(x.index == idx for x in listed[member]):
                continue  # listed twice in one version: the first entry counts
            listed[member].append(Vermelding(idx, d, c.v.file, row))

    versions = [Versie(c.v.roo_id, c.start, c.end) for c in chain]  # type: ignore[arg-type]
    gr_code = _tooi_code(str(gr))
    gr_label = g.value(gr, RDFS.label)
    for member, listings in listed.items():
        code = _tooi_code(member)
        gm = gemeente_code(member)
        leven = namen.leven(gm) if namen is not None and gm else None
        naam = listings[-1].deelnemer.naam or code
        found = periodes(versions, listings, leven,
                         lambda f, r, msg: report.warn(f, r, msg), naam)
        for p in found:
            lm = SDID[f"lidmaatschap/{code}/{gr_code}"]
            if len(found) > 1 or lm in used:
                lm = SDID[f"lidmaatschap/{code}/{gr_code}/"
                          f"{p.start.isoformat() if p.start else 'onbekend'}"]
            used.add(lm)
            _map_membership(g, lm, member, gr, gr_label, code, p, chain, report)


def _map_membership(g: Graph, lm: URIRef, member: str, gr: URIRef, gr_label: object,
                    code: str, p: Periode, chain: list[_Checked],
                    report: ImportReport) -> None:
    d = p.newest
    g.add((lm, RDF.type, SD.Lidmaatschap))
    g.add((lm, ORG.member, URIRef(member)))
    g.add((lm, ORG.organization, gr))
    g.add((lm, RDFS.label, Literal(f"{_member_label(d.naam, code)} in {gr_label}", lang="nl")))
    g.add((lm, DCTERMS.source, REGISTER))
    if p.start:
        g.add((lm, SD.toetredingsdatum, _dlit(p.start)))
    if p.end:
        g.add((lm, SD.uittredingsdatum, _dlit(p.end)))
    for note in p.notes:
        g.add((lm, RDFS.comment, Literal(note, lang="nl")))
    organen = {o for x in p.listings for o in x.deelnemer.bestuursorganen}
    for naam, owms in sorted(organen, key=lambda o: (o[0], o[1] or "")):
        g.add((lm, SD.deelnemendBestuursorgaan, _bestuursorgaan(g, naam, owms)))
    for x in p.listings:
        g.add((lm, SD.volgensVersie, SDID[f"grversie/{chain[x.index].v.roo_id}"]))
    if d.verdeelsleutel:
        value = parse_verdeelsleutel(d.verdeelsleutel)
        if value is None:
            newest = max(p.listings, key=lambda x: x.index)
            report.warn(newest.file, newest.row, f"deelnemer {d.naam!r}: verdeelsleutel "
                        f"{d.verdeelsleutel!r} is not a number; kept as rdfs:comment")
            g.add((lm, RDFS.comment,
                   Literal(f"verdeelsleutel (ROO): {d.verdeelsleutel}", lang="nl")))
        else:
            g.add((lm, SD.verdeelsleutel, Literal(value, datatype=XSD.decimal)))
    report.count("lidmaatschappen")
    if p.restated:
        report.count("lidmaatschappen met verschillende toetredingsdata (één lidmaatschap)")
    if p.capped:
        report.count("lidmaatschappen begrensd door het bestaan van de gemeente")


def _bestuursorgaan(g: Graph, naam: str, owms: str | None) -> URIRef:
    """The concept for a kind of bestuursorgaan ('College van burgemeester en wethouders')."""
    concept = SDID[f"bestuursorgaansoort/{slugify(naam)}"]
    g.add((concept, RDF.type, SKOS.Concept))
    g.add((concept, SKOS.prefLabel, Literal(naam, lang="nl")))
    g.add((concept, SKOS.inScheme, SDID["bestuursorgaansoort"]))
    if owms and owms.startswith("http") and is_iri(owms):
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
