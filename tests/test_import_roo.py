"""Tests for the ROO importer (sdgraph/importers/roo.py).

* unit tests on hand-written, made-up fixtures: tests/data/roo/exportOO-sample.xml
  (exportOO structure) and tests/data/roo/yaml/ (roo-polder YAML), which state
  the same facts; both must give isomorphic graphs;
* integration tests on ../shared/data/sources/roo-polder, skipped when absent.
"""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SHARED_SOURCES, missing
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from sdgraph.build import bundled_sources
from sdgraph.importers.report import ImportReport
from sdgraph.importers.roo import (
    Deelnemer,
    GRVersion,
    import_roo_xml,
    import_roo_yaml,
    parse_verdeelsleutel,
    read_gemeente_crosswalk,
    roo_graph,
    roo_sources,
)
from sdgraph.importers.tooi import gemeente_namen
from sdgraph.namespaces import GRAPH, ORG, SD, SDID, TOOI_GEMEENTE, TOOI_SO
from sdgraph.queries import load_query_file
from sdgraph.store import EmbeddedStore

DATA = Path(__file__).parent / "data" / "roo"
XML = DATA / "exportOO-sample.xml"
YAML = DATA / "yaml"
QUERIES = Path(__file__).parent.parent / "queries"
REAL = SHARED_SOURCES / "roo-polder"

LM = SDID["lidmaatschap/"]


def d(value: str) -> Literal:
    return Literal(value, datatype=XSD.date)


def lm(path: str) -> URIRef:
    return URIRef(f"{LM}{path}")


@pytest.fixture(scope="module")
def xml() -> tuple[Graph, ImportReport]:
    report = ImportReport("roo")
    return import_roo_xml(XML, report), report


@pytest.fixture(scope="module")
def yml() -> tuple[Graph, ImportReport]:
    report = ImportReport("roo")
    return import_roo_yaml(YAML, report), report


# --------------------------------------------------------------------------- fixtures


def test_xml_and_yaml_give_isomorphic_graphs(xml, yml) -> None:
    assert len(xml[0]) == len(yml[0]) > 50
    assert isomorphic(xml[0], yml[0])
    assert xml[1].imported["GR-versies"] == yml[1].imported["GR-versies"] == 3
    assert yml[1].imported["organisatierecords (geen regeling)"] == 1


def test_broken_record_warns_with_file_and_position(xml, yml) -> None:
    [wx] = [w for w in xml[1].warnings if "datumInwerkingtreding" in w.message]
    assert (wx.file, wx.row) == ("exportOO-sample.xml", "regeling 4 (systeemId 99000004)")
    [wy] = [w for w in yml[1].warnings if "datumInwerkingtreding" in w.message]
    assert (wy.file, wy.row) == ("kapot.yaml", "org:gr-regeling-kapot")
    assert xml[1].skipped == yml[1].skipped == 1
    g = xml[0]
    assert (SDID["grversie/99000004"], None, None) not in g


def test_versions(xml) -> None:
    g, _ = xml
    v1, v2 = SDID["grversie/99000001"], SDID["grversie/99000002"]
    so = TOOI_SO["so9901"]
    assert (so, RDF.type, SD.GemeenschappelijkeRegeling) in g
    assert g.value(so, RDFS.label) == Literal("Testregio Zorg", lang="nl")
    assert g.value(v1, SD.versieVan) == g.value(v2, SD.versieVan) == so
    assert g.value(v1, SD.rooId) == Literal("99000001")
    assert g.value(v1, SD.geldigVanaf) == d("2015-01-01")
    assert g.value(v1, SD.geldigTot) == d("2020-01-01")
    assert g.value(v2, SD.geldigTot) is None
    assert g.value(v1, SD.samenwerkingsvorm) == SDID["samenwerkingsvorm/openbaar-lichaam"]
    assert g.value(v1, SD.doel) == Literal("Samen zorg regelen voor de deelnemers.")
    assert set(g.objects(v2, SD.wettelijkeGrondslag)) == {
        Literal("http://wetten.overheid.nl/jci1.3:c:BWBR0003740"),
        Literal("http://wetten.overheid.nl/jci1.3:c:BWBR0034925"),
    }
    assert g.value(v1, SD.bevoegdheid) == Literal("Artikel 5: Het bestuur is bevoegd tot inkoop.")
    assert g.value(v2, RDFS.label) == Literal(
        "Gemeenschappelijke regeling Testregio Zorg 2020", lang="nl"
    )


def test_fallback_gr_iri_warns(xml) -> None:
    g, report = xml
    gr = SDID["gr/regeling-testbedrijfsvoering"]
    assert g.value(SDID["grversie/99000003"], SD.versieVan) == gr
    assert (gr, RDF.type, SD.GemeenschappelijkeRegeling) in g
    assert any("no TOOI so-IRI" in w.message for w in report.warnings)
    v3 = SDID["grversie/99000003"]
    assert (
        g.value(v3, SD.samenwerkingsvorm) == SDID["samenwerkingsvorm/bedrijfsvoeringsorganisatie"]
    )


def test_lidmaatschappen(xml) -> None:
    g, report = xml
    assert report.imported["lidmaatschappen"] == 5
    testdorp = lm("gm9901/so9901")
    assert g.value(testdorp, ORG.member) == TOOI_GEMEENTE["gm9901"]
    assert g.value(testdorp, ORG.organization) == TOOI_SO["so9901"]
    assert g.value(testdorp, SD.toetredingsdatum) == d("2015-01-01")
    assert g.value(testdorp, SD.verdeelsleutel) == Literal(Decimal("4.0"), datatype=XSD.decimal)
    assert g.value(testdorp, SD.uittredingsdatum) is None
    assert g.value(testdorp, RDFS.label) == Literal("Testdorp in Testregio Zorg", lang="nl")
    assert set(g.objects(testdorp, SD.volgensVersie)) == {
        SDID["grversie/99000001"],
        SDID["grversie/99000002"],
    }
    # stated uittredingsdatum
    assert g.value(lm("gm9903/so9901"), SD.uittredingsdatum) == d("2023-01-01")
    # non-gemeente member keeps its TOOI IRI
    pv99 = URIRef("https://identifier.overheid.nl/tooi/id/provincie/pv99")
    assert g.value(lm("pv99/so9901"), ORG.member) == pv99


def test_derived_uittredingsdatum(xml) -> None:
    g, _ = xml
    proefstad = lm("gm9902/so9901")
    assert g.value(proefstad, SD.uittredingsdatum) == d("2020-01-01")
    assert "afgeleid" in str(g.value(proefstad, RDFS.comment))
    assert set(g.objects(proefstad, SD.volgensVersie)) == {SDID["grversie/99000001"]}


def test_non_numeric_verdeelsleutel_is_a_comment(xml) -> None:
    g, report = xml
    m = lm("gm9901/regeling-testbedrijfsvoering")
    assert g.value(m, SD.verdeelsleutel) is None
    assert g.value(m, RDFS.comment) == Literal("verdeelsleutel (ROO): naar rato", lang="nl")
    assert any("naar rato" in w.message for w in report.warnings)


def test_parse_verdeelsleutel() -> None:
    assert parse_verdeelsleutel("4,0") == Decimal("4.0")
    assert parse_verdeelsleutel("16,33") == Decimal("16.33")
    assert parse_verdeelsleutel("naar rato") is None


def test_malformed_yaml_is_skipped_and_rest_imports(tmp_path: Path) -> None:
    for f in YAML.glob("*.yaml"):
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "stuk.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    report = ImportReport("roo")
    g = import_roo_yaml(tmp_path, report)
    assert any(w.file == "stuk.yaml" for w in report.warnings)
    assert report.skipped == 2
    assert isomorphic(g, import_roo_xml(XML, ImportReport("roo")))


def test_malformed_xml_keeps_earlier_records(tmp_path: Path) -> None:
    text = XML.read_text(encoding="utf-8")
    cut = text.index('<p:regeling p:systeemId="99000003">')
    (tmp_path / "x.xml").write_text(
        text[:cut] + "<p:regeling><oops></p:regeling>", encoding="utf-8"
    )
    report = ImportReport("roo")
    g = import_roo_xml(tmp_path / "x.xml", report)
    assert (SDID["grversie/99000002"], RDF.type, SD.GRVersie) in g
    assert any(str(w.row).startswith("line ") for w in report.warnings)


def test_crosswalk(tmp_path: Path) -> None:
    (tmp_path / "testdorp.yaml").write_text(
        "id: org:gemeente-testdorp\nidentifiers:\n  oin: 00000001806300966000\n"
        "  kvk: 01234567\n  tooi: https://identifier.overheid.nl/tooi/id/gemeente/gm9901\n"
        "  roo_id: '99200001'\n  wikidata: Q1\n",
        encoding="utf-8",
    )
    [row] = read_gemeente_crosswalk(tmp_path, ImportReport("roo"))
    assert (row.oin, row.kvk, row.roo_id, row.wikidata) == (
        "00000001806300966000",
        "01234567",  # not read as an octal number
        "99200001",
        "Q1",
    )


def test_sources_and_idempotent_load() -> None:
    [source] = roo_sources(YAML)
    assert source.graph == str(GRAPH["ref/roo"])
    assert source.license == "https://creativecommons.org/publicdomain/zero/1.0/"
    store = EmbeddedStore(None)
    try:
        store.load(roo_sources(YAML))
        size, total = store.graph_size(str(GRAPH["ref/roo"])), len(store)
        store.load(roo_sources(XML))
        assert store.graph_size(str(GRAPH["ref/roo"])) == size > 0
        assert len(store) == total
    finally:
        store.close()


# --------------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def real() -> tuple[Graph, ImportReport]:
    if not REAL.is_dir():
        missing(f"real ROO data not available: {REAL} is absent (../shared)")
    report = ImportReport("roo")
    start = time.perf_counter()
    g = import_roo_yaml(REAL, report)
    print(f"ROO import: {len(g)} triples in {time.perf_counter() - start:.2f}s")
    return g, report


@pytest.fixture(scope="module")
def real_store(real):
    store = EmbeddedStore(None)
    store.load(bundled_sources(example=None) + roo_sources(REAL))
    yield store
    store.close()


def _roo_ids(store, gemeente: str, peildatum: str) -> set[str]:
    q = load_query_file(QUERIES / "lidmaatschappen.rq")
    rows = q.run(store, {"gemeente": gemeente, "peildatum": peildatum}).dicts()
    return {str(r["roo_id"]) for r in rows}


def test_real_counts(real) -> None:
    g, report = real
    assert report.imported["GR-versies"] == 1186  # of 1,639 files; 453 are organisatierecords
    assert report.imported["organisatierecords (geen regeling)"] == 453
    assert report.imported["GR-versies met deelnemers"] == 1185
    assert report.imported["gemeenschappelijke regelingen"] == 549
    assert len(set(g.subjects(RDF.type, SD.Lidmaatschap))) == report.imported["lidmaatschappen"]
    assert report.imported["lidmaatschappen"] == 3997


def test_real_oirschot_2019_07_02(real_store) -> None:
    assert _roo_ids(real_store, "GM0823", "2019-07-02") == {
        "25250109",
        "25143080",
        "24961951",
        "27965412",
        "26639015",
        "26122493",
        "24967301",
    }


def test_real_oirschot_later(real_store) -> None:
    # Checked by hand in the files: on 2025-05-01 the newest versions hold.
    assert _roo_ids(real_store, "GM0823", "2025-05-01") == {
        "29579787",
        "29544570",
        "29957254",
        "29436968",
        "30450913",
        "30158285",
        "24967301",
    }


def test_real_derived_uittreding(real) -> None:
    g, _ = real
    # Hellevoetsluis (gm0530) is listed in versions 24203389 and 28981506 of the
    # GR Veiligheidsregio Rotterdam-Rijnmond (so0617), not in 29892834 (from 2024-12-31).
    m = lm("gm0530/so0617")
    assert g.value(m, SD.uittredingsdatum) == d("2024-12-31")
    assert set(g.objects(m, SD.volgensVersie)) == {
        SDID["grversie/24203389"],
        SDID["grversie/28981506"],
    }


def test_real_verdeelsleutel(real) -> None:
    g, _ = real
    # Rijswijk (gm0603) in Omgevingsdienst Haaglanden (so0700): verdeelsleutel "4,0".
    m = lm("gm0603/so0700")
    assert g.value(m, SD.verdeelsleutel) == Literal(Decimal("4.0"), datatype=XSD.decimal)
    assert g.value(m, SD.toetredingsdatum) == d("2012-07-01")


def test_real_crosswalk_oirschot(real) -> None:
    g, _ = real
    assert g.value(TOOI_GEMEENTE["gm0823"], SD.rooId) is not None
    assert (TOOI_GEMEENTE["gm0823"], RDFS.seeAlso, None) in g


def test_real_load_is_idempotent(real_store) -> None:
    size = real_store.graph_size(str(GRAPH["ref/roo"]))
    real_store.load(roo_sources(REAL))
    assert real_store.graph_size(str(GRAPH["ref/roo"])) == size


def test_real_deelnemers_merged_away_placed_by_name() -> None:
    """'Gemeente Binnenmaas' has no TOOI IRI in the register; TOOI names place it.

    gemeenschappelijke-regeling-wihw.yaml lists "naam: Gemeente Binnenmaas,
    roo_id: '30982', toetredings_datum: '2001-04-13'"; Binnenmaas (GM0585)
    existed until 2019-01-01, when it merged into Hoeksche Waard.
    """
    if not REAL.is_dir():
        missing(f"real ROO data not available: {REAL} is absent (../shared)")
    report = ImportReport("roo")
    g = import_roo_yaml(REAL, report, gemeente_namen(REAL.parent / "tooi"))
    binnenmaas = TOOI_GEMEENTE.gm0585
    joined = {str(g.value(m, SD.toetredingsdatum)) for m in g.subjects(ORG.member, binnenmaas)}
    assert "2001-04-13" in joined
    assert report.imported["deelnemers via TOOI-naam"] == 148
    assert report.imported["lidmaatschappen"] == 4136  # 3,997 without the names
    left = [w.message for w in report.warnings if "no gemeente of that name" in w.message]
    assert all("Gemeente Binnenmaas" not in m for m in left)


def test_deelnemer_by_name_on_the_version_date() -> None:
    """A deelnemer without TOOI IRI or crosswalk entry is placed by name on the version's date."""
    from sdgraph.identity import GemeenteLeven, GemeenteNamen

    namen = GemeenteNamen(
        [GemeenteLeven("gm9901", "Oudedorp", None, date(2021, 1, 1)),
         GemeenteLeven("gm9903", "Oudedorp", date(2021, 1, 1), None)]  # a later namesake
    )  # fmt: skip
    version = GRVersion(
        file="x.yaml", position="regeling 1", roo_id="1", titel="GR Test",
        citeertitel="GR Test", valid_from="2018-03-01", so_tooi=str(TOOI_SO.so9999),
        deelnemers=[Deelnemer(naam="Gemeente Oudedorp", tooi=None, toetredingsdatum="2018-03-01"),
                    Deelnemer(naam="Gemeente Nergens", tooi=None)],
    )  # fmt: skip
    report = ImportReport("roo")
    g = roo_graph([version], report, namen=namen)
    assert set(g.objects(None, ORG.member)) == {TOOI_GEMEENTE.gm9901}
    assert report.imported["deelnemers via TOOI-naam"] == 1
    [warning] = [w for w in report.warnings if "Nergens" in w.message]
    assert "no gemeente of that name on that date" in warning.message


def test_bestuursorganen_of_deelnemers(xml, yml) -> None:
    """'<p:bestuursorgaan>College van burgemeester en wethouders' (XML) and the
    YAML 'bestuursorganen: - naam: ...' give the same concept on the membership."""
    concept = SDID["bestuursorgaansoort/college-van-burgemeester-en-wethouders"]
    for g, _ in (xml, yml):
        members = set(g.subjects(SD.deelnemendBestuursorgaan, concept))
        assert {g.value(m, ORG.member) for m in members} == {TOOI_GEMEENTE.gm9901}
        assert g.value(concept, SKOS.prefLabel) == Literal(
            "College van burgemeester en wethouders", lang="nl"
        )


def test_real_bestuursorganen(real) -> None:
    g, _ = real
    # gemeenschappelijke-regeling-wihw.yaml: Cromstrijen takes part with its college,
    # "owms: http://standaarden.overheid.nl/owms/terms/college_van_burgemeester_en_wethouders"
    college = SDID["bestuursorgaansoort/college-van-burgemeester-en-wethouders"]
    assert (college, SKOS.exactMatch, URIRef(
        "http://standaarden.overheid.nl/owms/terms/college_van_burgemeester_en_wethouders"
    )) in g  # fmt: skip
    kinds = {
        str(g.value(c, SKOS.prefLabel)) for c in set(g.objects(None, SD.deelnemendBestuursorgaan))
    }
    assert {"College van burgemeester en wethouders", "Gemeenteraad"} <= kinds, kinds
    assert len(set(g.subjects(SD.deelnemendBestuursorgaan, college))) > 1000
