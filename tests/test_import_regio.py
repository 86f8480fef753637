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
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, XSD

from sdgraph.build import bundled_sources
from sdgraph.importers.cbs_gebieden import import_cbs_gebieden
from sdgraph.importers.cbs_gebieden_csv import import_cbs_gebieden_csv
from sdgraph.importers.regioatlas import (
    gemeente_code,
    import_regioatlas,
    regio_sources,
    slugify,
)
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
    ]
    assert [s.license for s in sources] == [
        "https://spdx.org/licenses/ODC-PDDL-1.0",
        "https://spdx.org/licenses/CC-BY-4.0",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ]
    assert [s.issued for s in sources] == ["2016-01-01", "2016-01-01", "2021-01-01"]
    store = EmbeddedStore(None)
    store.load(bundled_sources(example=None) + sources)
    rows = regio_rows(store, GM0823)
    by_indeling = {str(r["indeling"]).rsplit("/", 1)[-1]: r for r in rows}
    assert by_indeling["jeugdregio"]["regio"] == JEUGD_ZOB
    assert str(by_indeling["jeugdregio"]["regiocode"]) == "JZ39"
    assert str(by_indeling["jeugdregio"]["indelingNaam"]) == "Jeugdregio's"
    assert str(by_indeling["arbeidsmarktregio"]["regiocode"]) == "AM28"
    assert str(by_indeling["wgr-samenwerkingsgebied"]["regiocode"]) == "WG31"
    assert by_indeling["jeugdregio"]["toetredingsdatum"] is None


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
    rows = regio_rows(real_store, GM0823)
    by_indeling = {str(r["indeling"]).rsplit("/", 1)[-1]: r for r in rows}
    # 34 RegioAtlas + Wgr-samenwerkingsgebied; the veiligheidsregio twice (2016 and CBS 2020)
    assert len(by_indeling) == 35 and len(rows) == 36
    vr = [r for r in rows if str(r["indeling"]).endswith("/veiligheidsregio")]
    assert sorted(str(r["peiljaar"]) for r in vr) == ["2016", "2020"]
    assert len({r["regio"] for r in vr}) == 1
    assert str(by_indeling["jeugdregio"]["naam"]) == "Zuidoost Brabant"
    assert str(by_indeling["jeugdregio"]["regiocode"]) == "JZ39"
    assert str(by_indeling["arbeidsmarktregio"]["regiocode"]) == "AM28"
    assert str(by_indeling["veiligheidsregio"]["regiocode"]) == "VR22"
    assert str(by_indeling["ggd-regio"]["regiocode"]) == "GG5608"
    assert str(by_indeling["zorgkantoorregio"]["regiocode"]) == "ZK30"
    # memberships carry no toetredingsdatum, so any peildatum finds them
    assert len(regio_rows(real_store, GM0823, "2030-01-01")) == 36


def test_real_reload_is_idempotent(real: dict, real_store: EmbeddedStore) -> None:
    size = len(real_store)
    again = regio_sources(REAL_SOURCES)
    # the same triples on a second import (N-Triples lines, no blank nodes)
    for first, second in zip(real["sources"], again, strict=True):
        assert set(first.data.splitlines()) == set(second.data.splitlines())
    real_store.load(again)
    assert len(real_store) == size
    rows = regio_rows(real_store, GM0823)
    assert len(rows) == 36


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
