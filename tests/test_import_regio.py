"""Tests for the regional-division importers (RegioAtlas 2016, CBS gebieden 2016).

Unit tests run on the tiny hand-written fixtures in tests/data/regio/ (same
layout and CSV format, BOM included, as the real sources). Integration tests
run on the real files in ../shared/data/sources and are skipped when that
folder is absent.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import FIXTURE_DATA, SHARED_SOURCES, missing
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from sdgraph.build import bundled_sources
from sdgraph.importers.cbs_gebieden import import_cbs_gebieden
from sdgraph.importers.cbs_gebieden_csv import import_cbs_gebieden_csv
from sdgraph.importers.regio import regio_sources
from sdgraph.importers.regioatlas import gemeente_code, import_regioatlas, slugify
from sdgraph.importers.report import ImportReport
from sdgraph.namespaces import GRAPH, ORG, SD, SDID, TOOI_GEMEENTE
from sdgraph.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = FIXTURE_DATA / "regio"
CBS_CSV = FIXTURES / "cbs-gebieden" / "gebieden-2021-gemeente-provincie-veiligheidsregio.csv"
REAL_SOURCES = SHARED_SOURCES
QUERY = (ROOT / "queries" / "regio-indeling.rq").read_text(encoding="utf-8")
ONTOLOGY = ROOT / "ontology" / "sdgraph.ttl"

GM0823 = TOOI_GEMEENTE["gm0823"]
JEUGD_ZOB = SDID["regio/jeugdregio/zuidoost-brabant"]
AM_ZOB = SDID["regio/arbeidsmarktregio/zuidoost-brabant"]
Y2016 = Literal("2016", datatype=XSD.gYear)


def regio_rows(store: EmbeddedStore, gemeente: URIRef, peildatum: str = "2016-06-01") -> list:
    table = store.select(
        QUERY,
        {
            "gemeente": gemeente,
            "peildatum": Literal(peildatum, datatype=XSD.date),
            "lang": Literal("nl"),
        },
    )
    return table.dicts()


def members_per_indeling(g: Graph) -> dict[str, Counter]:
    """indeling slug -> Counter of gm codes over the memberships of its regio's."""
    out: dict[str, Counter] = defaultdict(Counter)
    for lid in g.subjects(RDF.type, SD.Lidmaatschap):
        regio = g.value(lid, ORG.organization)
        indeling = str(g.value(regio, SD.regioindeling)).rsplit("/", 1)[-1]
        out[indeling][str(g.value(lid, ORG.member)).rsplit("/", 1)[-1]] += 1
    return out


# ---------------------------------------------------------------- unit: helpers


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("0823", "gm0823"),
        ("823", "gm0823"),
        ("GM0823", "gm0823"),
        ("gm823", "gm0823"),
        (" 0014 ", "gm0014"),
        ("08x3", None),
        ("12345", None),
        ("", None),
        ("PV30", None),
    ],
)
def test_gemeente_code_normalised(raw: str, expected: str | None) -> None:
    assert gemeente_code(raw) == expected


def test_slugify() -> None:
    assert slugify("Zuid-Oost Brabant") == "zuid-oost-brabant"
    assert slugify("Ergon / Atlant Groep") == "ergon-atlant-groep"
    assert slugify("Fryslân") == "fryslan"


# ---------------------------------------------------------------- unit: RegioAtlas fixtures


@pytest.fixture(scope="module")
def ra() -> tuple[Graph, ImportReport]:
    report = ImportReport("regioatlas-2016")
    return import_regioatlas(FIXTURES / "regioatlas-2016", report), report


def test_fixture_counts(ra: tuple[Graph, ImportReport]) -> None:
    g, report = ra
    assert report.imported["regioindelingen"] == 5
    # jeugd 2 + arbeidsmarkt 2 + centrumgemeente 2 + vpt 1 + corop 2
    assert report.imported["regio's"] == 9
    assert len(set(g.subjects(RDF.type, SD.Regio))) == 9
    # jeugd 4 + arbeidsmarkt 4 + centrumgemeente 4 + vpt 2 + corop 3
    assert report.imported["lidmaatschappen"] == 17


def test_regio_shape(ra: tuple[Graph, ImportReport]) -> None:
    g, _ = ra
    assert (JEUGD_ZOB, RDF.type, SD.Regio) in g
    assert g.value(JEUGD_ZOB, RDFS.label) == Literal("Zuidoost Brabant", lang="nl")
    assert g.value(JEUGD_ZOB, SD.regioindeling) == SDID["regioindeling/jeugdregio"]
    assert g.value(JEUGD_ZOB, SD.peiljaar) == Y2016
    # a made-up figure in the fixture
    assert g.value(JEUGD_ZOB, SD.inwonertal) == Literal(700001, datatype=XSD.integer)
    assert set(g.objects(JEUGD_ZOB, DCTERMS.source)) == {
        Literal("Sociaal/jeugdzorgregios1.csv"),
        URIRef("https://www.regioatlas.nl/"),
    }
    # the centrumgemeente of a centrumgemeente-regio is the member with the regio's name
    cg = SDID["regio/centrumgemeente-bw-mo/eindhoven"]
    assert g.value(cg, SD.centrumgemeente) == TOOI_GEMEENTE["gm0772"]


def test_membership_shape(ra: tuple[Graph, ImportReport]) -> None:
    g, _ = ra
    lid = SDID["lidmaatschap/gm0823/regio/jeugdregio/2016"]
    assert (lid, RDF.type, SD.Lidmaatschap) in g
    assert g.value(lid, ORG.member) == GM0823
    assert g.value(lid, ORG.organization) == JEUGD_ZOB
    assert g.value(lid, SD.peiljaar) == Y2016
    assert g.value(lid, SD.toetredingsdatum) is None  # not invented
    assert Literal("Sociaal/jeugdzorgregios1.csv") in set(g.objects(lid, DCTERMS.source))
    # codes without GM prefix / zero padding ("753", "GM0855") map to the same TOOI IRIs
    members = set(g.objects(None, ORG.member))
    assert {TOOI_GEMEENTE["gm0753"], TOOI_GEMEENTE["gm0855"]} <= members
    assert all(
        str(m).startswith(str(TOOI_GEMEENTE)) and len(str(m).rsplit("/", 1)[-1]) == 6
        for m in members
    )


def test_vocab_and_new_indelingen(ra: tuple[Graph, ImportReport]) -> None:
    g, _ = ra
    vocab = SDID["regioindeling/jeugdregio"]
    assert (vocab, RDF.type, SD.Regioindeling) in g
    assert g.value(vocab, RDFS.label) is None  # label comes from the vocabulary
    new = SDID["regioindeling/vptregios"]
    assert (new, RDF.type, SD.Regioindeling) in g
    assert g.value(new, RDFS.label) == Literal("VPT-regio's 2014", lang="nl")
    assert (SDID["regio/vptregios/brabant-zuidoost"], SD.regioindeling, new) in g


def test_malformed_and_unknown_rows_are_warned_and_skipped(ra: tuple[Graph, ImportReport]) -> None:
    g, report = ra
    where = {(w.file, w.row): w.message for w in report.warnings}
    assert "malformed" in where[("jeugdzorgregios1.csv", 6)]
    assert "unknown gemeentecode '9999'" in where[("jeugdzorgregios1.csv", 7)]
    assert "expected 4 columns" in where[("jeugdzorgregios1.csv", 8)]
    assert report.skipped == 3
    assert TOOI_GEMEENTE["gm9999"] not in set(g.objects(None, ORG.member))
    # the rest of the file imported
    assert (SDID["regio/jeugdregio/hart-van-brabant"], RDF.type, SD.Regio) in g


def test_gemeente_in_two_regios_of_one_indeling_is_kept_and_warned(
    ra: tuple[Graph, ImportReport],
) -> None:
    g, report = ra
    assert any(
        w.file == "coropregios.csv" and w.row == 3 and "more than one regio" in w.message
        for w in report.warnings
    )
    corop = members_per_indeling(g)["coropregios"]
    assert corop["gm0823"] == 2
    assert members_per_indeling(g)["jeugdregio"]["gm0823"] == 1


def test_sd_terms_used_are_declared_in_ontology(ra: tuple[Graph, ImportReport]) -> None:
    onto = Graph().parse(ONTOLOGY)
    g, _ = ra
    cbs = import_cbs_gebieden(FIXTURES / "cbs-gebieden", ImportReport("cbs"), regioatlas=g)
    used = {p for p in (g + cbs).predicates() if str(p).startswith(str(SD))}
    used |= {o for o in (g + cbs).objects(None, RDF.type) if str(o).startswith(str(SD))}
    declared = {s for s in onto.subjects(RDF.type, None) if str(s).startswith(str(SD))}
    assert used <= declared
    assert (SD.inwonertal, RDF.type, OWL.DatatypeProperty) in onto


# ---------------------------------------------------------------- unit: CBS fixtures


@pytest.fixture(scope="module")
def cbs(ra: tuple[Graph, ImportReport]) -> tuple[Graph, ImportReport]:
    report = ImportReport("cbs-gebieden-2016")
    return import_cbs_gebieden(FIXTURES / "cbs-gebieden", report, regioatlas=ra[0]), report


def test_cbs_codes_matched_by_membership_set(cbs: tuple[Graph, ImportReport]) -> None:
    g, report = cbs
    assert g.value(JEUGD_ZOB, SD.regiocode) == Literal("JZ39")
    assert g.value(SDID["regio/jeugdregio/hart-van-brabant"], SD.regiocode) == Literal("JZ17")
    assert g.value(AM_ZOB, SD.regiocode) == Literal("AM28")
    assert g.value(SDID["regio/arbeidsmarktregio/midden-brabant"], SD.regiocode) == Literal("AM27")
    assert report.imported["regiocodes matched"] == 4


def test_cbs_unmatched_codes_are_reported_not_guessed(cbs: tuple[Graph, ImportReport]) -> None:
    g, report = cbs
    # no veiligheidsregio's in the RegioAtlas fixtures: VR codes cannot be placed
    assert report.imported["regiocodes unmatched"] == 2
    msgs = [w.message for w in report.warnings if w.row == "Veiligheidsregio's"]
    assert any(m.startswith("VR21") for m in msgs) and any(m.startswith("VR22") for m in msgs)
    assert not any(str(s).startswith(str(SDID["regio/veiligheidsregio/"])) for s in g.subjects())


def test_cbs_creates_regios_without_regioatlas_counterpart(cbs: tuple[Graph, ImportReport]) -> None:
    g, _ = cbs
    wg = SDID["regio/wgr-samenwerkingsgebied/wg31"]
    assert (wg, RDF.type, SD.Regio) in g
    assert g.value(wg, RDFS.label) == Literal("WG31")
    assert g.value(wg, SD.regiocode) == Literal("WG31")
    assert g.value(wg, SD.regioindeling) == SDID["regioindeling/wgr-samenwerkingsgebied"]
    lid = SDID["lidmaatschap/gm0823/regio/wgr-samenwerkingsgebied/2016"]
    assert g.value(lid, ORG.organization) == wg
    assert g.value(lid, ORG.member) == GM0823
    assert g.value(lid, SD.peiljaar) == Y2016


def test_cbs_warnings(cbs: tuple[Graph, ImportReport]) -> None:
    _, report = cbs
    where = {(w.file, w.row): w.message for w in report.warnings}
    name = "83287NED-gebieden-2016-codes.json"
    assert "malformed gemeentecode 'XX12'" in where[(name, 5)]
    assert "unknown column" in where[(name, "Raadselgebieden")]
    assert "not a regioindeling" in where[(name, "Toeristengebieden")]
    assert report.imported["gemeenten"] == 4


def test_regio_sources_and_query_on_fixtures() -> None:
    reports: list[ImportReport] = []
    sources = regio_sources(FIXTURES, reports)
    assert [s.graph for s in sources] == [
        str(GRAPH["ref/regioatlas-2016"]),
        str(GRAPH["ref/cbs-gebieden-2016"]),
        str(GRAPH["ref/cbs-gebieden-2021"]),
        str(GRAPH["ref/cbs-geo-2025"]),
    ]
    assert [s.license for s in sources] == [
        "https://spdx.org/licenses/ODC-PDDL-1.0",
        "https://spdx.org/licenses/CC-BY-4.0",
        "https://creativecommons.org/publicdomain/zero/1.0/",
        "https://spdx.org/licenses/CC-BY-4.0",
    ]
    assert [s.issued for s in sources] == ["2016-01-01", "2016-01-01", "2021-01-01", "2025-01-01"]
    store = EmbeddedStore(None)
    store.load(bundled_sources(example=None) + sources)
    rows = regio_rows(store, GM0823)
    by_indeling = {str(r["indeling"]).rsplit("/", 1)[-1]: r for r in rows}
    assert by_indeling["jeugdregio"]["regio"] == JEUGD_ZOB
    assert str(by_indeling["jeugdregio"]["regiocode"]) == "JZ39"
    assert str(by_indeling["jeugdregio"]["indelingNaam"]) == "Jeugdregio's"
    assert str(by_indeling["arbeidsmarktregio"]["regiocode"]) == "AM28"
    assert str(by_indeling["wgr-samenwerkingsgebied"]["regiocode"]) == "WG31"
    # the 2016 table holds until the 2025 table, and before 2016 (the nearest there is)
    assert by_indeling["jeugdregio"]["toetredingsdatum"] is None
    assert str(by_indeling["jeugdregio"]["uittredingsdatum"]) == "2025-01-01"
    assert str(by_indeling["jeugdregio"]["peiljaar"]) == "2016"
    later = {str(r["indeling"]).rsplit("/", 1)[-1]: r
             for r in regio_rows(store, GM0823, "2025-01-01")}
    assert later["jeugdregio"]["regio"] == JEUGD_ZOB  # JZ39 in both years: one node
    assert str(later["jeugdregio"]["peiljaar"]) == "2025"
    assert str(later["jeugdregio"]["toetredingsdatum"]) == "2025-01-01"
    assert str(later["wgr-samenwerkingsgebied"]["peiljaar"]) == "2016"  # no later table


def test_cbs_geo_table_joins_the_regios_of_earlier_years() -> None:
    from sdgraph.importers.cbs_geo import import_cbs_geo

    ra = import_regioatlas(FIXTURES / "regioatlas-2016", ImportReport("ra"))
    cbs = import_cbs_gebieden(FIXTURES / "cbs-gebieden", ImportReport("cbs"), regioatlas=ra)
    path = FIXTURES / "cbs-geo" / "gemeente-regio-2025.csv"
    report = ImportReport("cbs-geo")
    g = import_cbs_geo(path, report, [ra, cbs])

    def regio(gm: str, slug: str) -> URIRef:
        return g.value(SDID[f"lidmaatschap/{gm}/regio/{slug}/2025"], ORG.organization)

    # JZ39 is the 2016 node (by code); its 2025 spelling becomes an altLabel
    assert regio("gm0823", "jeugdregio") == regio("gm0772", "jeugdregio") == JEUGD_ZOB
    assert g.value(JEUGD_ZOB, SKOS.altLabel) == Literal("Zuidoost-Brabant", lang="nl")
    assert (JEUGD_ZOB, SD.regiocode, None) not in g  # 2016 has the code already
    assert set(g.objects(JEUGD_ZOB, SD.peiljaar)) == {Literal("2025", datatype=XSD.gYear)}
    # "Hart van Brabant" is the 2016 node by name, and keeps its 2016 code (JZ17), warned
    hart = SDID["regio/jeugdregio/hart-van-brabant"]
    assert regio("gm0855", "jeugdregio") == hart
    assert any("JZ18" in w.message and "JZ17" in w.message for w in report.warnings)
    # a regio neither by code nor by name: a new node with the 2025 name and code
    nob = SDID["regio/jeugdregio/noordoost-brabant"]
    assert regio("gm1948", "jeugdregio") == nob
    assert (nob, RDF.type, SD.Regio) in g and g.value(nob, SD.regiocode) == Literal("JZ33")
    assert g.value(nob, SD.regioindeling) == SDID["regioindeling/jeugdregio"]
    assert regio("gm0823", "veilig-thuis-regio") == SDID["regio/veilig-thuis-regio/oost-brabant"]
    assert regio("gm0823", "arbeidsmarktregio") == SDID["regio/arbeidsmarktregio/zuidoost-brabant"]
    where = {w.row: w.message for w in report.warnings}
    assert "unknown indeling 'raadselregio'" in where[9]
    assert "malformed gemeentecode 'XX99'" in where[10]
    assert "has no regio in jeugdregio" in where[11]
    assert "listed twice" in where[12]
    assert report.imported["lidmaatschappen"] == 6
    assert report.imported["rijen provincie (niet ingelezen)"] == 1


def test_reload_is_idempotent_on_fixtures() -> None:
    g1 = import_regioatlas(FIXTURES / "regioatlas-2016", ImportReport("a"))
    g2 = import_regioatlas(FIXTURES / "regioatlas-2016", ImportReport("b"))
    assert set(g1) == set(g2)
    store = EmbeddedStore(None)
    store.load(regio_sources(FIXTURES))
    size = len(store)
    assert size > 0
    store.load(regio_sources(FIXTURES))
    assert len(store) == size


# ---------------------------------------------------------------- integration: real sources


@pytest.fixture(scope="module")
def real() -> dict:
    if not REAL_SOURCES.is_dir():
        missing(f"real source data not available: {REAL_SOURCES} is absent")
    reports: list[ImportReport] = []
    sources = regio_sources(REAL_SOURCES, reports)
    ra = Graph().parse(data=sources[0].data, format="nt")
    cbs = Graph().parse(data=sources[1].data, format="nt")
    return {
        "sources": sources,
        "ra": ra,
        "cbs": cbs,
        "ra_report": reports[0],
        "cbs_report": reports[1],
    }


#: Distinct regio names per indeling, counted in the 2016 CSV files.
EXPECTED_REGIOS = {
    "jeugdregio": 42,
    "arbeidsmarktregio": 35,
    "veiligheidsregio": 25,
    "ggd-regio": 25,
    "wmo-regio": 43,
    "centrumgemeente-bw-mo": 43,
    "zorgkantoorregio": 32,
    "rmc-regio": 39,
    "veilig-thuis-regio": 26,
    "intergemeentelijkesocialediensten": 29,
    "provincies": 12,
}

#: Gemeenten the RegioAtlas 2016 itself lists in more than one regio of an indeling.
KNOWN_DOUBLE = {
    ("coropplusregios", "gm1931"),
    ("coropregios", "gm0361"),
    ("coropregios", "gm1940"),
    ("coropregios", "gm1931"),
    ("coropsubregios", "gm0361"),
    ("coropsubregios", "gm1940"),
    ("coropsubregios", "gm1931"),
    ("nuts3regios", "gm0361"),
    ("nuts3regios", "gm1940"),
    ("nuts3regios", "gm1931"),
    ("passendonderwijsvoortgezetonderwijs", "gm1940"),
    ("socialewerkvoorziening", "gm1771"),
}


def test_real_34_indelingen(real: dict) -> None:
    ra = real["ra"]
    assert real["ra_report"].imported["regioindelingen"] == 34
    assert len(set(ra.subjects(RDF.type, SD.Regioindeling))) == 34
    assert real["ra_report"].skipped == 0


def test_real_regio_counts(real: dict) -> None:
    ra = real["ra"]
    counts = Counter(
        str(ra.value(r, SD.regioindeling)).rsplit("/", 1)[-1]
        for r in ra.subjects(RDF.type, SD.Regio)
    )
    for slug, n in EXPECTED_REGIOS.items():
        assert counts[slug] == n, slug


def test_real_every_gemeente_once_per_indeling(real: dict) -> None:
    per = members_per_indeling(real["ra"])
    doubles = {(ind, gm) for ind, c in per.items() for gm, n in c.items() if n > 1}
    assert doubles == KNOWN_DOUBLE
    # each of them is reported
    warned = {
        w.message.split()[0].lower()
        for w in real["ra_report"].warnings
        if "more than one regio" in w.message
    }
    assert {gm for _, gm in KNOWN_DOUBLE} <= warned
    # 390 gemeenten in 2016; intergemeentelijke sociale diensten cover only 107
    for ind, c in per.items():
        assert len(c) == (107 if ind == "intergemeentelijkesocialediensten" else 390), ind


def test_real_cbs_codes_for_sociaal_domein_indelingen(real: dict) -> None:
    ra, cbs = real["ra"], real["cbs"]
    for slug, prefix, n in [
        ("jeugdregio", "JZ", 42),
        ("arbeidsmarktregio", "AM", 35),
        ("ggd-regio", "GG", 25),
        ("veiligheidsregio", "VR", 25),
        ("zorgkantoorregio", "ZK", 32),
    ]:
        regios = [r for r in ra.subjects(SD.regioindeling, SDID[f"regioindeling/{slug}"])]
        codes = [cbs.value(r, SD.regiocode) for r in regios]
        assert all(c is not None and str(c).startswith(prefix) for c in codes), slug
        assert len(set(codes)) == n, slug
    wg = set(cbs.subjects(SD.regioindeling, SDID["regioindeling/wgr-samenwerkingsgebied"]))
    assert len(wg) > 0
    unmatched = [w for w in real["cbs_report"].warnings if "code not set" in w.message]
    # only COROP/NUTS3 codes of the three gemeenten RegioAtlas splits over regio's
    assert unmatched and all(str(w.row).startswith(("COROP", "NUTS3")) for w in unmatched)


@pytest.fixture(scope="module")
def real_store(real: dict) -> EmbeddedStore:
    store = EmbeddedStore(None)
    store.load(bundled_sources(example=None) + real["sources"])
    return store


def test_real_oirschot_via_query(real_store: EmbeddedStore) -> None:
    # 34 RegioAtlas indelingen + Wgr-samenwerkingsgebied, each once on a day: the
    # veiligheidsregio of 2016 until 2020, of CBS 2020 until 2025, of CBS 2025 after
    for day, vr_year in (("2014-06-01", "2016"), ("2019-07-02", "2016"), ("2021-03-01", "2020"),
                         ("2025-01-01", "2025"), ("2030-01-01", "2025")):
        rows = regio_rows(real_store, GM0823, day)
        by_indeling = {str(r["indeling"]).rsplit("/", 1)[-1]: r for r in rows}
        assert len(by_indeling) == len(rows) == 35, day
        assert str(by_indeling["veiligheidsregio"]["peiljaar"]) == vr_year, day
        assert by_indeling["veiligheidsregio"]["regio"] == SDID[
            "regio/veiligheidsregio/brabant-zuidoost"]
        # one node per regio across the years: JZ39 in 2016 and in 2025
        assert by_indeling["jeugdregio"]["regio"] == JEUGD_ZOB, day
        assert str(by_indeling["jeugdregio"]["regiocode"]) == "JZ39"
        assert str(by_indeling["jeugdregio"]["peiljaar"]) == ("2025" if day >= "2025" else "2016")
    assert str(by_indeling["jeugdregio"]["naam"]) == "Zuidoost Brabant"
    assert str(by_indeling["arbeidsmarktregio"]["regiocode"]) == "AM28"
    assert str(by_indeling["ggd-regio"]["regiocode"]) == "GG5608"
    assert str(by_indeling["zorgkantoorregio"]["regiocode"]) == "ZK30"
    assert str(by_indeling["wmo-regio"]["peiljaar"]) == "2016"  # the only table


def test_real_reload_is_idempotent(real: dict, real_store: EmbeddedStore) -> None:
    size = len(real_store)
    again = regio_sources(REAL_SOURCES)
    # the same triples on a second import (N-Triples lines, no blank nodes)
    for first, second in zip(real["sources"], again, strict=True):
        assert set(first.data.splitlines()) == set(second.data.splitlines())
    real_store.load(again)
    assert len(real_store) == size
    assert len(regio_rows(real_store, GM0823)) == 35


# --------------------------------------------------------------------------- CBS gebieden CSV


def test_cbs_csv_memberships_population_and_warnings() -> None:
    path = CBS_CSV
    report = ImportReport("cbs-gebieden (CSV)")
    known = {"VR22": URIRef("https://w3id.org/sdgraph/id/regio/veiligheidsregio/brabant-zuidoost")}
    g = import_cbs_gebieden_csv(path, report, known)
    lid = SDID["lidmaatschap/gm0823/regio/veiligheidsregio/2021"]
    assert g.value(lid, ORG.organization) == known["VR22"]  # the existing node, not a new one
    assert g.value(lid, SD.peiljaar) == Literal("2021", datatype=XSD.gYear)
    # VR21 is not known: a regio is minted from its name, with the code
    vr21 = SDID["regio/veiligheidsregio/midden-en-west-brabant"]
    assert g.value(vr21, SD.regiocode) == Literal("VR21")
    tilburg = SDID["lidmaatschap/gm0855/regio/veiligheidsregio/2021"]
    assert g.value(tilburg, ORG.organization) == vr21
    obs = SDID["observatie/cbs-gebieden-2021/gm0823/2021/inwonertal"]
    assert g.value(obs, SD.waarde) == Literal(Decimal("19000"), datatype=XSD.decimal)
    assert (SDID["observatie/cbs-gebieden-2021/gm0855/2021/inwonertal"], None, None) not in g
    assert [str(w) for w in report.warnings] == [
        f"{path.name}:5: malformed gemeentecode 'XX12'",
        f"{path.name}:6: 3 fields, expected 7",
        f"{path.name}:7: population 'veel' is not a number",
    ]
    assert report.imported["lidmaatschappen"] == 3 and report.skipped == 3


def test_real_cbs_csv_reuses_the_2016_veiligheidsregios(real: dict) -> None:
    by_name = {s.name: s for s in real["sources"]}
    g = Graph().parse(data=by_name["cbs-gebieden-2020.nt"].read(), format="nt")
    regios = set(g.objects(None, ORG.organization))
    assert len(regios) == 25  # the 25 veiligheidsregio's, all the nodes of 2016
    assert not set(g.subjects(RDF.type, SD.Regio))  # no new regio minted
    # "Oirschot";"GM0823";...;"VR22";"Brabant-Zuidoost"
    assert g.value(
        SDID["lidmaatschap/gm0823/regio/veiligheidsregio/2020"], ORG.organization
    ) == SDID["regio/veiligheidsregio/brabant-zuidoost"]
    assert len(set(g.subjects(RDF.type, SD.Lidmaatschap))) == 355


def test_dating_of_regio_memberships_within_a_gemeente_lifetime() -> None:
    """Each table holds from its year to the next table's year, the first one also before
    and the last one after, within the gemeente's lifetime (worked out by hand)."""
    from datetime import date

    from sdgraph.identity import GemeenteLeven, GemeenteNamen
    from sdgraph.importers.regio import dateer

    jeugd = SDID["regioindeling/jeugdregio"]
    g16, g25 = Graph(), Graph()
    for g, regio in ((g16, SDID["regio/jeugdregio/a"]), (g25, SDID["regio/jeugdregio/b"])):
        g.add((regio, SD.regioindeling, jeugd))
    rows = [(g16, "gm0844", 2016), (g25, "gm0844", 2025),   # Schijndel: until 2017
            (g16, "gm0823", 2016), (g25, "gm0823", 2025),   # Oirschot: always
            (g25, "gm1948", 2025)]                          # Meierijstad: from 2017
    for g, gm, year in rows:
        lid = SDID[f"lidmaatschap/{gm}/regio/jeugdregio/{year}"]
        g.add((lid, RDF.type, SD.Lidmaatschap))
        g.add((lid, ORG.member, TOOI_GEMEENTE[gm]))
        g.add((lid, ORG.organization, next(g.subjects(SD.regioindeling, jeugd))))
        g.add((lid, SD.peiljaar, Literal(str(year), datatype=XSD.gYear)))
    namen = GemeenteNamen([GemeenteLeven("gm0844", "Schijndel", None, date(2017, 1, 1)),
                           GemeenteLeven("gm0823", "Oirschot"),
                           GemeenteLeven("gm1948", "Meierijstad", date(2017, 1, 1), None)])
    report = ImportReport("tijd")
    dateer([g16, g25], namen, report)

    def span(gm: str, year: int) -> tuple[str | None, str | None]:
        g = g16 if year == 2016 else g25
        lid = SDID[f"lidmaatschap/{gm}/regio/jeugdregio/{year}"]
        t, u = g.value(lid, SD.toetredingsdatum), g.value(lid, SD.uittredingsdatum)
        return (str(t) if t else None, str(u) if u else None)

    assert span("gm0823", 2016) == (None, "2025-01-01")
    assert span("gm0823", 2025) == ("2025-01-01", None)
    assert span("gm0844", 2016) == (None, "2017-01-01")
    # listed in 2025 although it ended in 2017: a membership on no day, and a warning
    assert span("gm0844", 2025) == ("2025-01-01", "2017-01-01")
    assert report.imported["lidmaatschappen op geen dag"] == 1
    assert span("gm1948", 2025) == ("2017-01-01", None)  # the nearest table, from its first day
    comment = str(g25.value(SDID["lidmaatschap/gm1948/regio/jeugdregio/2025"], RDFS.comment))
    assert "de indeling van 2025 is de nieuwste" in comment
    assert "bestaat vanaf 2017-01-01" in comment


def test_real_centrumgemeente_by_everyday_name(real: dict) -> None:
    """RegioAtlas names two BW/MO regio's "Den Bosch" and "Den Haag" (13 rows of
    centrumgemeentemaatschappelijkeopvangbeschermdwonen.csv): their centrumgemeenten
    are 's-Hertogenbosch (GM0796) and 's-Gravenhage (GM0518); every BW/MO regio has one."""
    ra = real["ra"]
    bwmo = SDID["regioindeling/centrumgemeente-bw-mo"]
    regios = set(ra.subjects(SD.regioindeling, bwmo))
    assert ra.value(SDID["regio/centrumgemeente-bw-mo/den-bosch"], SD.centrumgemeente) == \
        TOOI_GEMEENTE.gm0796
    assert ra.value(SDID["regio/centrumgemeente-bw-mo/den-haag"], SD.centrumgemeente) == \
        TOOI_GEMEENTE.gm0518
    members = {ra.value(m, ORG.member) for m in ra.subjects(RDF.type, SD.Lidmaatschap)
               if ra.value(m, ORG.organization) in {SDID["regio/centrumgemeente-bw-mo/den-bosch"],
                                                     SDID["regio/centrumgemeente-bw-mo/den-haag"]}}
    assert len(members) == 13
    assert all(ra.value(r, SD.centrumgemeente) is not None for r in regios)
    assert not [w for w in real["ra_report"].warnings if "centrumgemeente" in w.message]
