"""Tests for the CBS sociaal-domein importer (sdgraph/importers/cbs_sociaal.py).

* unit tests on tiny hand-written fixtures in tests/data/cbs-sociaal/ (made-up
  gemeenten Oudedorp GM9901 and Nieuwstad GM9902, an unmapped name, malformed
  rows, aggregates that must be skipped silently);
* integration tests on the real files in ../shared/data/sources/cbs-sociaal,
  skipped when that folder is absent; spot checks verified by hand in the CSVs;
* loading the Source into an in-memory store twice gives the same graph.
"""

from __future__ import annotations

import json
import re
import time
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import FIXTURE_DATA, SHARED_SOURCES, missing
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from sdgraph.errors import DataError
from sdgraph.importers.cbs_sociaal import (
    QB,
    cbs_sociaal_sources,
    dataset_iri,
    import_cbs_sociaal,
    maatstaf_iri,
    observatie_iri,
    periode,
)
from sdgraph.importers.report import ImportReport, graph_source
from sdgraph.namespaces import GRAPH, SD, SDID, TOOI_GEMEENTE
from sdgraph.queries import QueryLibrary
from sdgraph.store import EmbeddedStore

FIXTURE = FIXTURE_DATA / "cbs-sociaal"
REAL = SHARED_SOURCES / "cbs-sociaal"

GM = TOOI_GEMEENTE


def waarde(g: Graph, dataset: str, gm: str, per: str, maatstaf: str) -> Decimal | None:
    v = g.value(observatie_iri(dataset, gm, per, maatstaf), SD.waarde)
    return None if v is None else v.toPython()


def unmapped(report: ImportReport, file: str) -> set[str]:
    names = set()
    for w in report.warnings:
        m = re.match(r"gemeente name '(.*)' maps to no GM code", w.message)
        if w.file == file and m:
            names.add(m.group(1))
    return names


# --------------------------------------------------------------------------- fixture


@pytest.fixture(scope="module")
def small() -> tuple[Graph, ImportReport]:
    report = ImportReport("cbs-sociaal")
    return import_cbs_sociaal(FIXTURE, report), report


def test_periode() -> None:
    assert periode("2023") == "2023"
    assert periode("1e halfjaar 2023") == "2023H1"
    assert periode("2e halfjaar 2017") == "2017H2"
    assert periode("1e half jaar 2024") == "2024H1"
    assert periode("3e kwartaal 2024") is None


def test_fixture_iv3_in_eur(small: tuple[Graph, ImportReport]) -> None:
    g, _ = small
    ds = "iv3-2023-jaarrekening"
    # 1234.5 (EUR 1,000) in the CSV -> 1,234,500 EUR
    obs = observatie_iri(ds, "gm9901", "2023", "iv3-lasten-6.81")
    assert obs == URIRef(
        "https://w3id.org/sdgraph/id/observatie/iv3-2023-jaarrekening/gm9901/2023/iv3-lasten-6.81"
    )
    assert (obs, RDF.type, QB.Observation) in g
    assert g.value(obs, QB.dataSet) == dataset_iri(ds)
    assert g.value(obs, SD.gemeente) == GM.gm9901
    assert g.value(obs, SD.periode) == Literal("2023")
    assert g.value(obs, SD.maatstaf) == maatstaf_iri("iv3-lasten-6.81")
    assert g.value(obs, SD.waarde).datatype == XSD.decimal
    assert g.value(obs, SD.waarde).toPython() == Decimal("1234500")
    assert g.value(obs, SD.eenheid) == Literal("EUR")
    assert g.value(obs, DCTERMS.source) == Literal("CBS Iv3 2023 jaarrekening")
    assert waarde(g, ds, "gm9901", "2023", "iv3-baten-6.81") == 0
    assert waarde(g, ds, "gm9901", "2023", "iv3-lasten-6.71a") == 250000
    assert waarde(g, ds, "gm9901", "2023", "iv3-baten-6.71a") is None  # empty cell
    assert waarde(g, ds, "gm9901", "2023", "inwonertal") == 15000
    assert g.value(observatie_iri(ds, "gm9901", "2023", "inwonertal"), SD.eenheid) == Literal(
        "aantal"
    )
    # Only 6.x taakvelden: 0.1 Bestuur is not imported.
    assert waarde(g, ds, "gm9901", "2023", "iv3-lasten-0.1") is None
    assert (dataset_iri(ds), RDF.type, QB.DataSet) in g


def test_fixture_maatstaf_labels(small: tuple[Graph, ImportReport]) -> None:
    g, _ = small
    m = maatstaf_iri("iv3-lasten-6.81")
    assert str(m) == "https://w3id.org/sdgraph/id/maatstaf/iv3-lasten-6.81"
    assert (m, RDF.type, SD.Maatstaf) in g
    assert g.value(m, RDFS.label) == Literal(
        "Iv3 lasten taakveld 6.81 Geëscaleerde zorg 18+", lang="nl"
    )
    # the ".." of a cut label is dropped
    assert g.value(maatstaf_iri("iv3-lasten-6.74a"), RDFS.label) == Literal(
        "Iv3 lasten taakveld 6.74a Jeugd behandeling GGZ zonder", lang="nl"
    )
    for s in g.subjects(RDF.type, SD.Maatstaf):
        assert g.value(s, RDFS.label) is not None


def test_fixture_name_alias(small: tuple[Graph, ImportReport]) -> None:
    g, _ = small
    # "Nieuwstad" (gemeentefonds spelling) -> "Nieuwstad (gemeente)" -> GM9902
    assert waarde(g, "iv3-2023-jaarrekening", "gm9902", "2023", "iv3-lasten-6.72") == 400000
    assert waarde(g, "iv3-2023-jaarrekening", "gm9902", "2023", "iv3-baten-6.72") == 3000


def test_fixture_warnings(small: tuple[Graph, ImportReport]) -> None:
    g, report = small
    warnings = [str(w) for w in report.warnings]
    assert warnings == [
        "iv3_definities_Gemeente_2025.json: not an Iv3 code list (TypeError: list indices "
        "must be integers or slices, not str); not imported",
        "2023_jaarrekening.csv:7: gemeente name 'Verdwenen' maps to no GM code; "
        "its rows are skipped",
        "2023_jaarrekening.csv:8: malformed row: not a number: 'abc'",
        "2023_jaarrekening.csv:9: malformed row (wrong number of fields)",
        "2023_begroting.csv: file missing; not imported",
        "2024_begroting.csv: file missing; not imported",
        "2025_begroting.csv: file missing; not imported",
        "86050NED.csv:6: gemeente name 'Oudgemeente' maps to no GM code; its rows are skipped",
        "85098NED.csv:3: unreadable period '3e kwartaal 2024'",
    ]
    # Verdwenen 1 row, 2 malformed rows, Oudgemeente 2 rows, 1 bad period
    assert report.skipped == 6
    # the rest of the file still imports: the row after the malformed ones
    assert waarde(g, "iv3-2023-jaarrekening", "gm9901", "2023", "iv3-lasten-6.74a") == 7000
    assert waarde(g, "iv3-2023-jaarrekening", "gm9901", "2023", "iv3-lasten-6.3") is None


def test_fixture_aggregates_are_not_gemeenten(small: tuple[Graph, ImportReport]) -> None:
    g, _ = small
    gemeenten = set(g.objects(None, SD.gemeente))
    assert gemeenten == {GM.gm9901, GM.gm9902}


def test_fixture_wmo_only_totaal(small: tuple[Graph, ImportReport]) -> None:
    g, _ = small
    ds = "cbs-86050NED"
    assert waarde(g, ds, "gm9901", "2023", "wmo-clienten") == 1005  # not 900 (excl. verblijf)
    assert waarde(g, ds, "gm9901", "2023H1", "wmo-clienten") == 950
    assert waarde(g, ds, "gm9901", "2023", "wmo-clienten-per-1000-inwoners") == 52
    obs = observatie_iri(ds, "gm9901", "2023", "wmo-clienten-per-1000-inwoners")
    assert g.value(obs, SD.eenheid) == Literal("per 1000 inwoners")
    assert g.value(obs, DCTERMS.source) == Literal("CBS StatLine 86050NED")
    assert waarde(g, ds, "gm9902", "2023", "wmo-clienten") is None  # empty: unknown


def test_fixture_bijstand_definitief_only(small: tuple[Graph, ImportReport]) -> None:
    g, _ = small
    assert waarde(g, "cbs-85383NED", "gm9901", "2024", "bijstandsuitkeringen") == 120
    assert waarde(g, "cbs-85383NED", "gm9902", "2024", "algemene-bijstand") == 40


def test_fixture_jeugd(small: tuple[Graph, ImportReport]) -> None:
    g, _ = small
    ds = "cbs-85098NED"
    assert waarde(g, ds, "gm9901", "2024H1", "jongeren-met-jeugdhulp-pct") == Decimal("10.9")
    obs = observatie_iri(ds, "gm9901", "2024H1", "jongeren-met-jeugdhulp-pct")
    assert g.value(obs, SD.eenheid) == Literal("%")
    assert waarde(g, ds, "gm9901", "2024H1", "jongeren-met-jeugdhulp-met-verblijf-pct") is None


def test_fixture_counts(small: tuple[Graph, ImportReport]) -> None:
    g, report = small
    # 21 figures and, for the two gemeenten of the Iv3 file, gemeentegrootte and stedelijkheid
    assert report.imported["observaties"] == 21
    assert report.imported["klassen"] == 4
    assert len(set(g.subjects(RDF.type, QB.Observation))) == 25
    assert report.imported["datasets"] == 4


def test_fixture_iv3_code_list(small: tuple[Graph, ImportReport]) -> None:
    """The 6.x taakvelden of the (made-up) 2024 code list, the nearest one to 2023; the
    broken 2025 file is reported and skipped."""
    g, report = small
    scheme = SDID["iv3-taakvelden/2024"]
    assert (scheme, RDF.type, SKOS.ConceptScheme) in g
    assert g.value(scheme, DCTERMS.title) == Literal(
        "Iv3 definitiebestand (testversie), Gemeente, boekjaar 2024")
    assert g.value(scheme, DCTERMS.source) == Literal(
        "iv3-definities/iv3_definities_Gemeente_2024.json")
    names = {str(g.value(c, SKOS.notation)): str(g.value(c, SKOS.prefLabel))
             for c in g.subjects(SKOS.inScheme, scheme)}
    # 0.1 is not sociaal domein, 6.72 has no name; spaces in a name are normalised
    assert names == {"6.71": "Maatwerkdienstverlening 18+", "6.71a": "Huishoudelijke hulp (WMO)",
                     "6.74a": "Jeugd behandeling GGZ zonder verblijf",
                     "6.81": "Geëscaleerde zorg 18+"}
    assert report.imported["taakvelden (Iv3-codelijst)"] == 4
    ds = dataset_iri("iv3-2023-jaarrekening")
    assert g.value(ds, SD.taakveldenlijst) == scheme
    assert g.value(ds, SD.boekjaar) == Literal("2023")
    assert g.value(ds, SD.iv3Soort) == Literal("jaarrekening")
    assert set(g.objects(ds, SD.bevatPeriode)) == {Literal("2023")}
    assert set(g.objects(dataset_iri("cbs-86050NED"), SD.bevatPeriode)) >= {
        Literal("2023"), Literal("2023H1")}


def test_fixture_size_and_urbanisation_classes(small: tuple[Graph, ImportReport]) -> None:
    """Gemeentegrootte and Stedelijkheid of the Iv3 file as class observations."""
    g, _ = small
    obs = observatie_iri("iv3-2023-jaarrekening", "gm9901", "2023", "gemeentegrootte")
    assert g.value(obs, SD.maatstaf) == maatstaf_iri("gemeentegrootte")
    assert g.value(obs, SD.waarde) is None
    klasse = g.value(obs, SD.klasse)
    assert klasse == SDID["gemeentegrootte/10000-20000"]
    assert g.value(klasse, SKOS.prefLabel) is not None
    assert {str(v) for v in g.objects(klasse, SKOS.prefLabel)} == {
        "10.000 tot 20.000 inwoners", "10,000 to 20,000 inhabitants"}
    sted = observatie_iri("iv3-2023-jaarrekening", "gm9901", "2023", "stedelijkheid")
    assert g.value(sted, SD.klasse) == SDID["stedelijkheid/weinig-stedelijk"]
    assert g.value(sted, DCTERMS.source) == Literal("CBS Iv3 2023 jaarrekening")


def test_class_names() -> None:
    from sdgraph.importers.iv3_definities import grootteklasse, stedelijkheidsklasse

    assert grootteklasse("Minderdan5000inwoners").nl == "minder dan 5.000 inwoners"
    assert grootteklasse("250000inwonersofmeer").iri.endswith("/gemeentegrootte/250000-of-meer")
    assert grootteklasse("100000tot150000inwoners").nl == "100.000 tot 150.000 inwoners"
    assert grootteklasse("groot") is None
    assert stedelijkheidsklasse("Zeersterkstedelijk").nl == "zeer sterk stedelijk"
    assert stedelijkheidsklasse("Zeersterkstedelijk").orde == 5
    assert stedelijkheidsklasse("stad") is None


def test_historic_name_linked_to_the_gemeente_of_the_period(tmp_path: Path) -> None:
    """A name 85383NED lacks is looked up in TOOI on the first day of each row's period."""
    record = {
        "@id": "https://identifier.overheid.nl/tooi/id/gemeente/gm9904",
        "@type": ["https://identifier.overheid.nl/tooi/def/ont/Gemeente"],
        "https://identifier.overheid.nl/tooi/def/ont/gemeentecode": [{"@value": "9904"}],
        "https://identifier.overheid.nl/tooi/def/ont/officieleNaamExclSoort": [
            {"@value": "Oudgemeente"}
        ],
        "https://identifier.overheid.nl/tooi/def/ont/einddatum": [
            {"@type": "http://www.w3.org/2001/XMLSchema#date", "@value": "2017-12-31"}
        ],
    }
    tooi = tmp_path / "tooi"
    tooi.mkdir()
    (tooi / "rwc_gemeenten_compleet_1.json").write_text(json.dumps([record]))
    report = ImportReport("cbs-sociaal")
    g = import_cbs_sociaal(FIXTURE, report, tooi=tooi)
    # 86050NED.csv line 6: "Oudgemeente;2017;100.0" -> GM9904, which existed in 2017
    assert waarde(g, "cbs-86050NED", "gm9904", "2017", "wmo-clienten") == 100
    # line 7: "Oudgemeente;2018;110.0": GM9904 ended on 2018-01-01, so no gemeente
    assert waarde(g, "cbs-86050NED", "gm9904", "2018", "wmo-clienten") is None
    warning = "86050NED.csv:7: gemeente name 'Oudgemeente' maps to no GM code; its rows are skipped"
    assert warning in [str(w) for w in report.warnings]
    assert report.imported["historische gemeentenamen"] == 1


def test_missing_names_table_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "iv3").mkdir()
    with pytest.raises(DataError, match="85383NED.csv"):
        import_cbs_sociaal(tmp_path, ImportReport("cbs-sociaal"))


def test_fixture_source_metadata() -> None:
    [source] = cbs_sociaal_sources(FIXTURE)
    assert source.graph == str(GRAPH["ref/cbs-sociaal"])
    assert source.name == "cbs-sociaal.nt"
    assert source.publisher == "Centraal Bureau voor de Statistiek (CBS)"
    assert source.license == "https://creativecommons.org/licenses/by/4.0/"


def test_load_is_idempotent_and_query_works() -> None:
    store = EmbeddedStore(None)
    try:
        store.load(cbs_sociaal_sources(FIXTURE))
        first_graph, first_total = store.graph_size(str(GRAPH["ref/cbs-sociaal"])), len(store)
        store.load(cbs_sociaal_sources(FIXTURE))
        assert store.graph_size(str(GRAPH["ref/cbs-sociaal"])) == first_graph > 0
        assert len(store) == first_total
        q = QueryLibrary().get("kerncijfers")
        rows = q.run(store, {"gemeente": "GM9901"}).dicts()
        # 14 figures and the inwoners of 85383NED (class observations have no sd:waarde)
        assert len(rows) == 15
        assert set(rows[0]) == {
            "dataset",
            "periode",
            "maatstaf",
            "maatstafNaam",
            "waarde",
            "eenheid",
        }
        rows = q.run(store, {"gemeente": "GM9901", "prefix": "iv3-lasten-6.8"}).dicts()
        assert [(str(r["maatstaf"]), r["waarde"].toPython(), str(r["eenheid"])) for r in rows] == [
            ("iv3-lasten-6.81", Decimal("1234500"), "EUR")
        ]
    finally:
        store.close()


# --------------------------------------------------------------------------- real files

#: Gemeenten of 2017-2022 that no longer exist (herindelingen up to 2023), so are not
#: in 85383NED (indeling 2023-2025); checked by hand against the file. Their names
#: are placed through the TOOI register on the date of each row's period.
HISTORIC_86050 = set(
    """Aalburg|Appingedam|Bedum|Beemster|Bellingwedde|Binnenmaas|Boxmeer|Brielle|Cromstrijen|
Cuijk|De Marne|Delfzijl|Dongeradeel|Eemsmond|Ferwerderadiel|Franekeradeel|Geldermalsen|
Giessenlanden|Grave|Grootegast|Haaren|Haarlemmerliede en Spaarnwoude|Haren|Heerhugowaard|
Hellevoetsluis|Hoogezand-Sappemeer|Kollumerland en Nieuwkruisland|Korendijk|Landerd|Langedijk|
Leek|Leerdam|Leeuwarderadeel|Lingewaal|Littenseradiel|Loppersum|Marum|Menameradiel|Menterwolde|
Mill en Sint Hubert|Molenwaard|Neerijnen|Noordwijkerhout|Nuth|Onderbanken|Oud-Beijerland|
Rijnwaarden|Schinnen|Sint Anthonis|Slochteren|Strijen|Ten Boer|Uden|Vianen|Vlagtwedde|Weesp|
Werkendam|Westvoorne|Winsum|Woudrichem|Zederik|Zuidhorn|het Bildt""".replace("\n", "").split("|")
)
HISTORIC_85098 = {
    "Beemster", "Boxmeer", "Brielle", "Cuijk", "Grave", "Heerhugowaard", "Hellevoetsluis",
    "Landerd", "Langedijk", "Mill en Sint Hubert", "Sint Anthonis", "Uden", "Weesp", "Westvoorne",
}  # fmt: skip
#: Names TOOI cannot place on the figure's date either: Weesp merged into Amsterdam
#: on 2022-03-24, yet 85098NED gives it figures for the second half of 2022 (line 3396).
UNMAPPED_86050: set[str] = set()
UNMAPPED_85098 = {"Weesp"}


@pytest.fixture(scope="module")
def real() -> tuple[Graph, ImportReport]:
    if not REAL.is_dir():
        missing(f"real CBS sociaal-domein files not available: {REAL} is absent (../shared)")
    report = ImportReport("cbs-sociaal")
    start = time.perf_counter()
    g = import_cbs_sociaal(REAL, report, tooi=REAL.parent / "tooi")
    print(f"CBS sociaal import: {len(g)} triples in {time.perf_counter() - start:.2f}s")
    print(report.summary())
    return g, report


def test_real_all_342_gemeenten_mapped_for_iv3(real: tuple[Graph, ImportReport]) -> None:
    g, report = real
    for stem in ("2023_jaarrekening", "2023_begroting", "2024_begroting", "2025_begroting"):
        assert unmapped(report, f"{stem}.csv") == set(), stem
        ds = "iv3-" + stem.replace("_", "-")
        gemeenten = {
            gm
            for obs in g.subjects(QB.dataSet, dataset_iri(ds))
            for gm in g.objects(obs, SD.gemeente)
        }
        assert len(gemeenten) == 342, stem


def test_real_unmapped_names_are_old_gemeenten(real: tuple[Graph, ImportReport]) -> None:
    _, report = real
    assert unmapped(report, "86050NED.csv") == UNMAPPED_86050
    assert unmapped(report, "85098NED.csv") == UNMAPPED_85098
    assert unmapped(report, "85383NED.csv") == set()
    # nothing else went wrong
    assert len(report.warnings) == len(UNMAPPED_86050) + len(UNMAPPED_85098)
    # every old name with figures was placed through TOOI; these ten have only
    # empty cells in 86050NED (checked by hand), so give no observation at all
    empty = {"Bedum", "Boxmeer", "De Marne", "Eemsmond", "Haarlemmerliede en Spaarnwoude",
             "Lingewaal", "Nuth", "Onderbanken", "Sint Anthonis", "Winsum"}  # fmt: skip
    assert empty <= HISTORIC_86050
    placed = len(HISTORIC_86050 - empty) + len(HISTORIC_85098)
    assert report.imported["historische gemeentenamen"] == placed == 67


def test_real_historic_gemeente_linked_by_period(real: tuple[Graph, ImportReport]) -> None:
    g, _ = real
    # statline/86050NED.csv: "2846;Totaal;Haaren;2019;760.0;54.0" and "...;Haaren;2020;950.0;66.0"
    # Haaren (GM0788) existed until 2021-01-01 (TOOI); it has no code in 85383NED.
    assert waarde(g, "cbs-86050NED", "gm0788", "2019", "wmo-clienten") == 760
    assert waarde(g, "cbs-86050NED", "gm0788", "2020", "wmo-clienten") == 950
    # 85098NED: "3392;Weesp;2021;9.0;7.4;0.8;65.6;": Weesp (GM0457) until 2022-03-24
    assert waarde(g, "cbs-85098NED", "gm0457", "2021", "jongeren-met-jeugdhulp-pct") == Decimal(
        "9.0"
    )
    assert waarde(g, "cbs-85098NED", "gm0457", "2022H2", "jongeren-met-jeugdhulp-pct") is None


def test_real_oirschot_iv3_2023(real: tuple[Graph, ImportReport]) -> None:
    g, _ = real
    ds = "iv3-2023-jaarrekening"
    # iv3/2023_jaarrekening.csv: "Oirschot;6.71 Maatwerkdienstverlening 18+;;0.0;194.0;..."
    assert waarde(g, ds, "gm0823", "2023", "iv3-lasten-6.71") == 194000
    # "Oirschot;6.81a Beschermd wonen (WMO);;0.0;166.0;..."
    assert waarde(g, ds, "gm0823", "2023", "iv3-lasten-6.81a") == 166000
    assert waarde(g, ds, "gm0823", "2023", "iv3-lasten-6.81") == 0
    assert waarde(g, ds, "gm0823", "2023", "inwonertal") == 19217


def test_real_oirschot_wmo_bijstand_jeugd(real: tuple[Graph, ImportReport]) -> None:
    g, _ = real
    # statline/86050NED.csv: "5542;Totaal;Oirschot;2023;1005.0;52.0"
    assert waarde(g, "cbs-86050NED", "gm0823", "2023", "wmo-clienten") == 1005
    assert waarde(g, "cbs-86050NED", "gm0823", "2023H1", "wmo-clienten") == 950
    assert waarde(g, "cbs-86050NED", "gm0823", "2023", "wmo-clienten-per-1000-inwoners") == 52
    # statline/85383NED.csv, Definitief, Oirschot 2024: TotaalBijstandsuitkeringen_22 = 130
    assert waarde(g, "cbs-85383NED", "gm0823", "2024", "bijstandsuitkeringen") == 130
    # statline/85098NED.csv: "2319;Oirschot;1e half jaar 2024;10.9;;0.4;;"
    assert waarde(g, "cbs-85098NED", "gm0823", "2024H1", "jongeren-met-jeugdhulp-pct") == Decimal(
        "10.9"
    )


def test_real_2025_new_taakvelden(real: tuple[Graph, ImportReport]) -> None:
    g, _ = real
    m = maatstaf_iri("iv3-lasten-6.811")
    assert g.value(m, RDFS.label) == Literal(
        "Iv3 lasten taakveld 6.811 Beschermd wonen (WMO)", lang="nl"
    )
    assert any(g.subjects(SD.maatstaf, m))


def test_real_load_is_idempotent(real: tuple[Graph, ImportReport]) -> None:
    g, _ = real
    source = graph_source(g, "cbs-sociaal", str(GRAPH["ref/cbs-sociaal"]), title="CBS sociaal")
    store = EmbeddedStore(None)
    try:
        store.load([source])
        size = store.graph_size(str(GRAPH["ref/cbs-sociaal"]))
        assert size == len(g)
        store.load([source])
        assert store.graph_size(str(GRAPH["ref/cbs-sociaal"])) == size
    finally:
        store.close()
