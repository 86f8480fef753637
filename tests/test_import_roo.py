"""Tests for the ROO importer (sdgraph/importers/roo.py).

* unit tests on hand-written, made-up fixtures: tests/data/roo/roo-export-sample.xml
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
XML = DATA / "roo-export-sample.xml"
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
    assert (wx.file, wx.row) == ("roo-export-sample.xml", "regeling 4 (systeemId 99000004)")
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
    # one membership per member and GR: nobody in the register left a GR and joined it again
    pairs = {(g.value(m, ORG.member), g.value(m, ORG.organization))
             for m in g.subjects(RDF.type, SD.Lidmaatschap)}
    assert len(pairs) == report.imported["lidmaatschappen"] == 4102
    # four versions valid on no day (geldigVanaf = geldigTot in the files), none open-ended
    assert report.imported["GR-versies geldig op geen dag"] == 4
    for roo_id in ("29474046", "30470905", "29695522", "29530041"):
        v = SDID[f"grversie/{roo_id}"]
        assert g.value(v, SD.geldigTot) == g.value(v, SD.geldigVanaf) is not None


def _raw_pairs(folder: Path) -> set[tuple[str, str]]:
    """(member, GR) pairs read straight from the YAML files: the member's TOOI IRI, else
    the crosswalk's (TOOI IRI or organisatiecode of a gemeente record with that ROO id);
    only regelingen whose samenwerkingsorgaan has a TOOI IRI."""
    import yaml

    crosswalk = {}
    for path in (folder / "gemeenten").glob("*.yaml"):
        ids = yaml.safe_load(path.read_text(encoding="utf-8")).get("identifiers") or {}
        tooi = ids.get("tooi") or (
            f"{TOOI_GEMEENTE}{ids['organisatiecode']}" if ids.get("organisatiecode") else None)
        if ids.get("roo_id") and tooi:
            crosswalk[str(ids["roo_id"])] = tooi
    pairs = set()
    for path in (folder / "gemeenschappelijke-regelingen").glob("*.yaml"):
        meta = yaml.safe_load(path.read_text(encoding="utf-8")).get("gr_meta") or {}
        so = (meta.get("regionaal_samenwerkingsorgaan") or {}).get("tooi")
        for d in meta.get("deelnemende_organisaties") or [] if so else []:
            member = d.get("tooi") or crosswalk.get(str(d.get("roo_id")))
            if member and member.startswith("https://identifier.overheid.nl/tooi/id/"):
                pairs.add((member, so))
    return pairs


def test_real_memberships_are_the_register_pairs(real) -> None:
    """Every member a regeling lists (by TOOI IRI or crosswalk) is a member, once."""
    g, _ = real
    graph_pairs = {(str(g.value(m, ORG.member)), str(g.value(m, ORG.organization)))
                   for m in g.subjects(RDF.type, SD.Lidmaatschap)}
    so = str(TOOI_SO)
    assert {p for p in graph_pairs if p[1].startswith(so)} == _raw_pairs(REAL)


def test_real_restated_join_date_is_one_membership(real) -> None:
    """Haarlemmermeer in Recreatieschap Spaarnwoude: version 23807626 states toetredingsdatum
    2006-01-01, versions 28103214 and 29560335 state 1979-12-01 (checked in the files). It
    was a member twice on 2011-12-07; now one membership from the earliest date."""
    g, _ = real
    m = lm("gm0394/so0449")
    assert g.value(m, SD.toetredingsdatum) == d("1979-12-01")
    assert g.value(m, SD.uittredingsdatum) is None
    assert set(g.objects(m, SD.volgensVersie)) == {
        SDID["grversie/23807626"], SDID["grversie/28103214"], SDID["grversie/29560335"]}
    assert "2006-01-01" in " ".join(str(c) for c in g.objects(m, RDFS.comment))
    assert len(set(g.subjects(ORG.member, TOOI_GEMEENTE.gm0394))
               & set(g.subjects(ORG.organization, TOOI_SO.so0449))) == 1
    # Noordwijk in ISD Bollenstreek (so0461): 2002-06-01 in 24963694, 2008-01-01 after it
    n = lm("gm0575/so0461")
    assert g.value(n, SD.toetredingsdatum) == d("2002-06-01")
    assert len(set(g.objects(n, SD.volgensVersie))) == 5


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


def test_real_deelnemers_of_gemeenten_that_no_longer_exist() -> None:
    """Deelnemers the register gives without TOOI IRI are placed by the crosswalk first.

    roo-polder/gemeenten has Kollumerland c.a. (gemeente-kollumerland-ca.yaml: roo_id 34288,
    organisatiecode gm0079; a second record holds only its TOOI IRI) and Molenwaard
    (molenwaard.yaml: roo_id 27268, organisatiecode gm1927), both merged away on 2019-01-01
    (TOOI). 'Gemeente Binnenmaas' (gemeenschappelijke-regeling-wihw.yaml, toetredings_datum
    2001-04-13) is GM0585, merged into Hoeksche Waard on 2019-01-01.
    """
    if not REAL.is_dir():
        missing(f"real ROO data not available: {REAL} is absent (../shared)")
    report = ImportReport("roo")
    g = import_roo_yaml(REAL, report, gemeente_namen(REAL.parent / "tooi"))

    def grs(member: URIRef) -> dict[str, tuple[str, str]]:
        return {str(g.value(m, ORG.organization)).rsplit("/", 1)[-1]:
                (str(g.value(m, SD.toetredingsdatum)), str(g.value(m, SD.uittredingsdatum)))
                for m in g.subjects(ORG.member, member)}

    # Veiligheidsregio Fryslân, FUMO (2014 and 2016 versions), DDFK-gemeenten
    assert grs(TOOI_GEMEENTE.gm0079) == {
        "so0460": ("2007-01-01", "2019-01-01"),  # ends when Kollumerland c.a. ends
        "so0794": ("2012-12-25", "2017-09-01"),  # no longer listed from 28832994
        "gemeenschappelijke-regeling-ddfk-gemeenten": ("2015-01-01", "2019-01-01"),
    }
    molenwaard = grs(TOOI_GEMEENTE.gm1927)
    assert len(molenwaard) == 5
    # ROO states toetredingsdatum 2002-01-01 in AVRES: Molenwaard began on 2013-01-01
    assert molenwaard["so0857"] == ("2013-01-01", "2019-01-01")
    assert all(end <= "2019-01-01" for _, end in molenwaard.values())
    joined = {str(g.value(m, SD.toetredingsdatum)) for m in g.subjects(ORG.member,
                                                                       TOOI_GEMEENTE.gm0585)}
    assert "2001-04-13" in joined
    assert report.imported["lidmaatschappen"] == 4103  # one more than without TOOI names
    # every deelnemer left out is in the summary with file and row: none is a Dutch gemeente
    lines = report.lines(0)
    left = [w for w in report.warnings if "not placed" in w.message]
    assert len(left) == report.imported["deelnemers niet geplaatst"] == 185
    assert all(f"{w.file}:{w.row}" in "\n".join(lines) for w in left)
    assert not any("Kollumerland" in w.message or "Molenwaard" in w.message for w in left)
    assert all(", deelnemer " in str(w.row) for w in left)


def test_deelnemer_by_name_on_the_right_date() -> None:
    """A deelnemer without TOOI IRI or crosswalk entry is placed by name on the date it
    joined, else on the version's first or last day; a gemeente merged away before the
    version began is found on its joining date, and is a member only while it existed."""
    from sdgraph.identity import GemeenteLeven, GemeenteNamen

    namen = GemeenteNamen(
        [GemeenteLeven("gm9901", "Oudedorp", None, date(2021, 1, 1)),
         GemeenteLeven("gm9903", "Oudedorp", date(2021, 1, 1), None),  # a later namesake
         GemeenteLeven("gm9904", "Weggedorp", None, date(2017, 1, 1))]
    )  # fmt: skip
    version = GRVersion(
        file="x.yaml", position="regeling 1", roo_id="1", titel="GR Test",
        citeertitel="GR Test", valid_from="2018-03-01", so_tooi=str(TOOI_SO.so9999),
        deelnemers=[Deelnemer(naam="Gemeente Oudedorp", tooi=None, toetredingsdatum="2018-03-01"),
                    Deelnemer(naam="Gemeente Nergens", tooi=None),
                    Deelnemer(naam="Gemeente Weggedorp", tooi=None, toetredingsdatum="2010-01-01")],
    )  # fmt: skip
    report = ImportReport("roo")
    g = roo_graph([version], report, namen=namen)
    assert set(g.objects(None, ORG.member)) == {TOOI_GEMEENTE.gm9901, TOOI_GEMEENTE.gm9904}
    assert report.imported["deelnemers via TOOI-naam"] == 2
    [warning] = [w for w in report.warnings if "Nergens" in w.message]
    assert "no gemeente of that name on the date it joined or of the version" in warning.message
    assert (warning.file, warning.row, warning.always) == ("x.yaml", "regeling 1, deelnemer 2",
                                                           True)
    weg = lm("gm9904/so9999")
    assert (g.value(weg, SD.toetredingsdatum), g.value(weg, SD.uittredingsdatum)) == (
        d("2010-01-01"), d("2017-01-01"))
    assert "opgeheven per 2017-01-01" in str(g.value(weg, RDFS.comment))


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
