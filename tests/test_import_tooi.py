"""Tests for the TOOI importer (sdgraph/importers/tooi.py).

* unit tests on a tiny hand-written fixture in tests/data/tooi/ (made-up
  gemeenten gm9901-gm9903, one Samenvoeging, one record without a code);
* integration tests on the real TOOI registers in ../shared/data/sources/tooi,
  skipped when that folder is absent;
* loading the Source into an in-memory store twice gives the same graph.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from conftest import FIXTURE_DATA, SHARED_SOURCES, missing
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from sdgraph.errors import DataError
from sdgraph.importers.report import ImportReport
from sdgraph.importers.tooi import gemeente_namen, herindeling_iri, import_tooi, tooi_sources
from sdgraph.namespaces import GRAPH, SD, SDID, TOOI_GEMEENTE, TOOI_PROVINCIE
from sdgraph.store import EmbeddedStore

FIXTURE = FIXTURE_DATA / "tooi"
REAL = SHARED_SOURCES / "tooi"

GM = TOOI_GEMEENTE
PV30 = TOOI_PROVINCIE["pv30"]


def d(value: str) -> Literal:
    return Literal(value, datatype=XSD.date)


def valid_on(g: Graph, day: str) -> set[URIRef]:
    """Gemeenten valid on ``day`` by the half-open rule, via SPARQL."""
    q = """
        PREFIX sd: <https://w3id.org/sdgraph/def#>
        PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
        SELECT ?g WHERE {
            ?g a sd:Gemeente .
            OPTIONAL { ?g sd:geldigVanaf ?van }
            OPTIONAL { ?g sd:geldigTot ?tot }
            FILTER ((!BOUND(?van) || ?van <= ?d) && (!BOUND(?tot) || ?d < ?tot))
        }"""
    return {row[0] for row in g.query(q, initBindings={"d": d(day)})}


# --------------------------------------------------------------------------- fixture


@pytest.fixture(scope="module")
def small() -> tuple[Graph, ImportReport]:
    report = ImportReport("tooi")
    return import_tooi(FIXTURE, report), report


def test_fixture_gemeenten(small: tuple[Graph, ImportReport]) -> None:
    g, report = small
    assert set(g.subjects(RDF.type, SD.Gemeente)) == {GM.gm9901, GM.gm9902, GM.gm9903}
    assert g.value(GM.gm9901, RDFS.label) == Literal("Oudedorp", lang="nl")
    assert g.value(GM.gm9901, SD.gemeentecode) == Literal("GM9901")
    assert g.value(GM.gm9901, SD.provincie) == PV30
    assert g.value(GM.gm9901, DCTERMS.source) == URIRef(
        "https://identifier.overheid.nl/tooi/set/rwc_gemeenten_compleet/1"
    )
    # TOOI einddatum 2020-12-31 is the last day; sdgraph's geldigTot is exclusive.
    assert g.value(GM.gm9901, SD.geldigTot) == d("2021-01-01")
    assert g.value(GM.gm9901, SD.geldigVanaf) is None
    assert g.value(GM.gm9903, SD.geldigVanaf) == d("2021-01-01")
    assert g.value(GM.gm9903, SD.geldigTot) is None
    assert report.imported == {"gemeenten": 3, "herindelingen": 1, "provincies": 1}


def test_fixture_bad_record_is_reported_and_skipped(small: tuple[Graph, ImportReport]) -> None:
    g, report = small
    assert report.skipped == 1
    assert len(report.warnings) == 1
    warning = report.warnings[0]
    assert warning.file == "rwc_gemeenten_compleet_1.json"
    assert warning.row == "kapot_1"
    assert "gemeentecode" in warning.message
    assert "rwc_gemeenten_compleet_1.json:kapot_1" in str(warning)
    assert not list(g.subjects(RDFS.label, Literal("Zondercode", lang="nl")))


def test_fixture_provincie(small: tuple[Graph, ImportReport]) -> None:
    g, _ = small
    assert (PV30, RDF.type, SD.Provincie) in g
    assert g.value(PV30, RDFS.label) == Literal("Noord-Brabant", lang="nl")
    assert g.value(PV30, SD.provinciecode) == Literal("PV30")


def test_fixture_herindeling(small: tuple[Graph, ImportReport]) -> None:
    g, _ = small
    node = SDID["herindeling/2021-01-01-gm9901-gm9902-gm9903"]
    assert set(g.subjects(RDF.type, SD.Herindeling)) == {node}
    assert node == herindeling_iri(date(2021, 1, 1), ["gm9902", "gm9901"], ["gm9903"])
    assert g.value(node, SD.herindelingstype) == Literal("Samenvoeging")
    assert g.value(node, SD.datum) == d("2021-01-01")
    assert set(g.objects(node, SD.opgeheven)) == {GM.gm9901, GM.gm9902}
    assert set(g.objects(node, PROV.invalidated)) == {GM.gm9901, GM.gm9902}
    assert set(g.objects(node, SD.ontstaan)) == {GM.gm9903}
    assert set(g.objects(node, PROV.generated)) == {GM.gm9903}
    assert not list(g.objects(node, SD.betrokken))
    assert "Samenstede" in str(g.value(node, RDFS.label))
    for old in (GM.gm9901, GM.gm9902):
        assert set(g.objects(old, SD.opgevolgdDoor)) == {GM.gm9903}
    assert not list(g.objects(GM.gm9903, SD.opgevolgdDoor))


def test_fixture_valid_on(small: tuple[Graph, ImportReport]) -> None:
    g, _ = small
    assert valid_on(g, "2020-12-31") == {GM.gm9901, GM.gm9902}
    assert valid_on(g, "2021-01-01") == {GM.gm9903}


def test_missing_register_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no TOOI gemeenten register"):
        import_tooi(tmp_path, ImportReport("tooi"))


def test_missing_provincies_file_warns(tmp_path: Path) -> None:
    (tmp_path / "rwc_gemeenten_compleet_1.json").write_bytes(
        (FIXTURE / "rwc_gemeenten_compleet_1.json").read_bytes()
    )
    report = ImportReport("tooi")
    g = import_tooi(tmp_path, report)
    assert len(set(g.subjects(RDF.type, SD.Gemeente))) == 3
    assert any("provincies" in w.message for w in report.warnings)


def test_invalid_json_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "rwc_gemeenten_compleet_1.json").write_text("[{", encoding="utf-8")
    with pytest.raises(DataError, match=r"rwc_gemeenten_compleet_1\.json: invalid JSON"):
        import_tooi(tmp_path, ImportReport("tooi"))


def test_fixture_source_metadata() -> None:
    [source] = tooi_sources(FIXTURE)
    assert source.graph == str(GRAPH["ref/tooi"])
    assert source.name == "tooi.nt"
    assert source.issued == "2022-06-30"
    assert source.publisher == "KOOP / Ministerie van BZK"
    assert source.license


def test_load_is_idempotent() -> None:
    store = EmbeddedStore(None)
    try:
        store.load(tooi_sources(FIXTURE))
        first_graph, first_total = store.graph_size(str(GRAPH["ref/tooi"])), len(store)
        store.load(tooi_sources(FIXTURE))
        assert store.graph_size(str(GRAPH["ref/tooi"])) == first_graph > 0
        assert len(store) == first_total
    finally:
        store.close()


# --------------------------------------------------------------------------- real registers


@pytest.fixture(scope="module")
def real() -> tuple[Graph, ImportReport]:
    if not REAL.is_dir():
        missing(f"real TOOI registers not available: {REAL} is absent (../shared)")
    report = ImportReport("tooi")
    start = time.perf_counter()
    g = import_tooi(REAL, report)
    print(f"TOOI import: {len(g)} triples in {time.perf_counter() - start:.2f}s")
    return g, report


def test_real_counts(real: tuple[Graph, ImportReport]) -> None:
    g, report = real
    assert len(set(g.subjects(RDF.type, SD.Gemeente))) == 605
    assert len(set(g.subjects(RDF.type, SD.Provincie))) == 12
    assert len(set(g.subjects(RDF.type, SD.Herindeling))) == 128
    assert report.skipped == 0
    assert not report.warnings, [str(w) for w in report.warnings]


def test_real_valid_on_2023_01_01(real: tuple[Graph, ImportReport]) -> None:
    g, _ = real
    current = valid_on(g, "2023-01-01")
    assert len(current) == 342
    # Boundaries of the half-open rule: new on 2023-01-01 in, gone on 2023-01-01 out.
    assert GM.gm1992 in current  # Voorne aan Zee, begindatum 2023-01-01
    assert GM.gm0501 not in current  # Brielle, einddatum 2022-12-31
    assert GM.gm0501 in valid_on(g, "2022-12-31")


def test_real_oirschot(real: tuple[Graph, ImportReport]) -> None:
    g, _ = real
    oirschot = GM.gm0823
    assert (oirschot, RDF.type, SD.Gemeente) in g
    assert g.value(oirschot, RDFS.label) == Literal("Oirschot", lang="nl")
    assert g.value(oirschot, SD.gemeentecode) == Literal("GM0823")
    assert g.value(oirschot, SD.provincie) == PV30
    assert g.value(oirschot, SD.geldigTot) is None
    assert g.value(PV30, RDFS.label) == Literal("Noord-Brabant", lang="nl")
    assert g.value(PV30, SD.provinciecode) == Literal("PV30")


def test_real_haaren_split(real: tuple[Graph, ImportReport]) -> None:
    g, _ = real
    haaren = GM.gm0788
    assert g.value(haaren, SD.geldigTot) == d("2021-01-01")  # TOOI einddatum 2020-12-31
    successors = {GM.gm0757, GM.gm0824, GM.gm0855, GM.gm0865}  # Boxtel, Oisterwijk, Tilburg, Vught
    assert successors <= set(g.objects(haaren, SD.opgevolgdDoor))
    [event] = g.subjects(SD.opgeheven, haaren)
    assert g.value(event, SD.herindelingstype) == Literal("Uitbreiding")
    assert g.value(event, SD.datum) == d("2021-01-01")
    assert set(g.objects(event, SD.betrokken)) == successors


def test_real_meierijstad(real: tuple[Graph, ImportReport]) -> None:
    g, _ = real
    meierijstad = GM.gm1948
    assert g.value(meierijstad, SD.geldigVanaf) == d("2017-01-01")
    [event] = g.subjects(SD.ontstaan, meierijstad)
    assert g.value(event, SD.herindelingstype) == Literal("Samenvoeging")
    predecessors = set(g.objects(event, SD.opgeheven))
    assert predecessors == {GM.gm0844, GM.gm0846, GM.gm0860}
    names = {str(g.value(p, RDFS.label)) for p in predecessors}
    assert names == {"Schijndel", "Sint-Oedenrode", "Veghel"}
    for p in predecessors:
        assert g.value(p, SD.geldigTot) == d("2017-01-01")
        assert meierijstad in set(g.objects(p, SD.opgevolgdDoor))


def test_real_other_spot_checks(real: tuple[Graph, ImportReport]) -> None:
    g, _ = real
    # Maasdonk was split in two Uitbreidingen on 2015-01-01 (Oss, 's-Hertogenbosch).
    assert set(g.objects(GM.gm1671, SD.opgevolgdDoor)) == {GM.gm0828, GM.gm0796}
    assert len(set(g.subjects(SD.opgeheven, GM.gm1671))) == 2
    # Weesp joined Amsterdam on 2022-03-24: einddatum 2022-03-23 (last day).
    assert g.value(GM.gm0457, SD.geldigTot) == d("2022-03-24")
    assert set(g.objects(GM.gm0457, SD.opgevolgdDoor)) == {GM.gm0363}
    # Groesbeek became Berg en Dal (Herschikking) on 2016-01-01.
    assert set(g.objects(GM.gm0241, SD.opgevolgdDoor)) == {GM.gm1945}
    assert g.value(GM.gm1945, RDFS.label) == Literal("Berg en Dal", lang="nl")
    assert g.value(GM.gm1945, SD.provincie) == TOOI_PROVINCIE["pv25"]


def test_real_load_is_idempotent() -> None:
    if not REAL.is_dir():
        missing(f"real TOOI registers not available: {REAL} is absent (../shared)")
    [source] = tooi_sources(REAL)
    assert source.issued == "2022-12-22"
    store = EmbeddedStore(None)
    try:
        [first] = store.load([source])
        size = store.graph_size(str(GRAPH["ref/tooi"]))
        assert first.triples == size > 5000
        store.load(tooi_sources(REAL))
        assert store.graph_size(str(GRAPH["ref/tooi"])) == size
    finally:
        store.close()


def test_gemeente_namen_resolve_on_a_date() -> None:
    namen = gemeente_namen(FIXTURE)
    assert len(namen) == 3  # the record without a code is left out
    assert namen.resolve("Oudedorp", date(2020, 6, 1)) == "gm9901"
    assert namen.resolve("  gemeente OUDEDORP ", date(2020, 6, 1)) == "gm9901"
    assert namen.resolve("Oudedorp", date(2021, 1, 1)) is None  # merged into Samenstede
    assert namen.resolve("Samenstede", date(2021, 1, 1)) == "gm9903"
    assert namen.resolve("Samenstede", date(2020, 12, 31)) is None
    assert namen.resolve("Zondercode", date(2020, 1, 1)) is None


def test_real_haaren_successors(real: tuple[Graph, ImportReport]) -> None:
    """Haaren (GM0788) was split on 2021-01-01; its successors are one step away."""
    g, _ = real
    assert set(g.objects(TOOI_GEMEENTE.gm0788, SD.opgevolgdDoor)) == {
        TOOI_GEMEENTE.gm0757,  # Boxtel
        TOOI_GEMEENTE.gm0824,  # Oisterwijk
        TOOI_GEMEENTE.gm0855,  # Tilburg
        TOOI_GEMEENTE.gm0865,  # Vught
    }
    assert gemeente_namen(REAL).resolve("Haaren", date(2020, 7, 1)) == "gm0788"
