"""The "wie doet wat" matrix (gemeente and regio), the klantreis, and IRIs as RDF
(/id/... and /resource with content negotiation).

Expected cells come from reading the example's Turtle with rdflib (an engine
independent of the store) and from counting by hand in
data/examples/oirschot/taakuitvoeringen.ttl.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from conftest import SOURCES, get_page, inventory_only_store, without_baseline
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from sdgraph.build import init_store
from sdgraph.cli import main
from sdgraph.klantreis import klantreis
from sdgraph.matrix import gemeente_matrix
from sdgraph.queries import QueryLibrary
from sdgraph.resources import example_dir
from sdgraph.store import Store

SD = Namespace("https://w3id.org/sdgraph/def#")
GM = "https://identifier.overheid.nl/tooi/id/gemeente/"
SO = "https://identifier.overheid.nl/tooi/id/so/"
TAAK = "https://w3id.org/sdgraph/id/taak/"
DG = "https://w3id.org/sdgraph/id/deelgebied/"
KLANTREIS = "https://w3id.org/sdgraph/id/klantreis/"
JEUGDWET = "https://w3id.org/sdgraph/id/wet/BWBR0034925"
PEIL = "2020-07-02"


def expected_cells(peildatum: date) -> dict[tuple[str, str], set[str]]:
    """(taak, deelgebied) -> uitvoerders valid on ``peildatum``, read with rdflib."""
    g = Graph().parse(example_dir("oirschot") / "taakuitvoeringen.ttl")
    cells: dict[tuple[str, str], set[str]] = {}
    for tu in g.subjects(RDF.type, SD.Taakuitvoering):
        start, end = g.value(tu, SD.geldigVanaf), g.value(tu, SD.geldigTot)
        if start is not None and start.toPython() > peildatum:
            continue
        if end is not None and peildatum >= end.toPython():
            continue
        key = (str(g.value(tu, SD.taak)), str(g.value(tu, SD.deelgebied)))
        cells.setdefault(key, set()).add(str(g.value(tu, SD.uitvoerder)))
    return cells


def run(store: Store, name: str, **values: str) -> list[dict]:
    return QueryLibrary().get(name).run(store, values).dicts()


# --- core, on both backends -------------------------------------------------------
# These tests count the example's own inventory by hand, so they run without the baseline
# derived from its register facts; the baseline over the example (every cell either
# inventory or derived, never both) is tested in test_baseline.py.


@pytest.fixture(scope="module")
def example_store():
    yield from inventory_only_store()


@pytest.fixture
def loaded(store: Store) -> Store:
    init_store(store, "oirschot", SOURCES)
    return without_baseline(store)


def test_gemeente_matrix_matches_the_example(loaded: Store) -> None:
    matrix = gemeente_matrix(
        run(loaded, "taken"),
        run(loaded, "deelgebieden"),
        run(loaded, "wie-doet-wat", gemeente="GM0823", peildatum=PEIL),
    )
    assert len(matrix.rows) == 21  # 6 Jeugdwet + 9 Wmo 2015 + 6 Participatiewet taken
    assert [c.label for c in matrix.columns] == [
        "Toegang", "Backoffice", "Visie en beleid", "Inkoop", "Governance"]
    assert [g for g, _ in matrix.groups()] == ["Jeugdwet", "Participatiewet", "Wmo 2015"]
    expected = expected_cells(date.fromisoformat(PEIL))
    found = {
        key: {e.uitvoerder for e in entries} for key, entries in matrix.cells.items() if entries
    }
    assert found == expected
    assert matrix.gaps == 21 * 5 - len(expected)
    # the example's deliberate double work: toegang Wmo by Oirschot and by the Kempen GR
    assert found[(TAAK + "toegang-wmo", DG + "toegang")] == {GM + "gm0823", SO + "so0665"}
    assert [(r.key, c.key) for r, c in matrix.double] == [(TAAK + "toegang-wmo", DG + "toegang")]


def test_gemeente_matrix_per_wet(loaded: Store) -> None:
    matrix = gemeente_matrix(
        run(loaded, "taken", wet=JEUGDWET),
        run(loaded, "deelgebieden"),
        run(loaded, "wie-doet-wat", gemeente="GM0823", peildatum=PEIL, wet=JEUGDWET),
    )
    assert {r.group for r in matrix.rows} == {"Jeugdwet"}
    assert len(matrix.rows) == 6
    assert matrix.cell(TAAK + "veilig-thuis", DG + "governance")[0].uitvoerderNaam == (
        "GGD Brabant-Zuidoost")


def test_regio_query_lists_the_members_uitvoeringen(loaded: Store) -> None:
    rows = run(loaded, "wie-doet-wat-regio", organisatie=SO + "so0665", peildatum=PEIL,
               deelgebied=DG + "backoffice")
    assert {str(r["gemeente"]) for r in rows} == {GM + "gm0823"}  # only Oirschot has an inventory
    assert {str(r["deelgebied"]) for r in rows} == {DG + "backoffice"}
    expected = {k for k in expected_cells(date.fromisoformat(PEIL)) if k[1] == DG + "backoffice"}
    assert {(str(r["taak"]), str(r["deelgebied"])) for r in rows} == expected


@pytest.mark.parametrize(
    ("soort", "summary", "gaps"),
    [
        # jeugd: toegang and indicatie {Oirschot, GGD} -> aanbieder (inkoop) {Eindhoven}
        #        (+Eindhoven) -> betaling (backoffice) {Kempen} (+Kempen); behind the scenes
        #        governance {GGD}, visie en beleid {Oirschot}: 4 organisations, 2 hand-overs
        ("jeugd",
         {"stappen": 6, "organisaties": 4, "overdrachten": 2, "gaten": 0, "dubbel": 0,
          "stappen bevestigd": 6, "stappen afgeleid": 0, "stappen aangenomen": 0,
          "stappen onbekend": 0}, []),
        # wmo: toegang and indicatie {Eindhoven, Oirschot, Kempen} -> inkoop {Kempen, Eindhoven}
        #      -> backoffice {Kempen}: nobody new, no hand-over; governance none (a gap),
        #      visie en beleid {Oirschot}; Toegang Wmo by two organisations counted once
        ("wmo", {"stappen": 6, "organisaties": 3, "overdrachten": 0, "gaten": 1, "dubbel": 1,
                 "stappen bevestigd": 5, "stappen afgeleid": 0, "stappen aangenomen": 0,
                 "stappen onbekend": 1}, [5]),
        # werk en inkomen: only toegang (also indicatie) and backoffice are in the example;
        #      the backoffice brings the 2 organisations that were not in the toegang
        ("werk-en-inkomen",
         {"stappen": 6, "organisaties": 3, "overdrachten": 2, "gaten": 3, "dubbel": 0,
          "stappen bevestigd": 3, "stappen afgeleid": 0, "stappen aangenomen": 0,
          "stappen onbekend": 3}, [3, 5, 6]),
    ],
)
def test_klantreis_counts(loaded: Store, soort: str, summary: dict, gaps: list[int]) -> None:
    reis = klantreis(run(loaded, "klantreis", gemeente="GM0823", klantreis=KLANTREIS + soort,
                         peildatum=PEIL))
    assert reis.summary() == summary
    assert [s.volgorde for s in reis.gaten] == gaps
    assert [s.deelgebied for s in reis.stappen] == [
        DG + d for d in ("toegang", "toegang", "inkoop", "backoffice", "governance",
                         "visie-en-beleid")]
    assert [s.achter_de_schermen for s in reis.stappen] == [False] * 4 + [True] * 2


def test_klantreis_double_work_names_the_taak(loaded: Store) -> None:
    reis = klantreis(run(loaded, "klantreis", gemeente="GM0823", klantreis=KLANTREIS + "wmo",
                         peildatum=PEIL))
    assert [(s.volgorde, taak) for s, taak in reis.dubbel] == [(1, "Toegang Wmo")]


def test_beschrijving_has_outgoing_and_incoming_links(loaded: Store) -> None:
    graph = QueryLibrary().get("beschrijving").run(loaded, {"uri": TAAK + "toegang-wmo"})
    taak = URIRef(TAAK + "toegang-wmo")
    assert (taak, SD.wet, URIRef("https://w3id.org/sdgraph/id/wet/BWBR0035362")) in graph
    incoming = set(graph.subjects(SD.taak, taak))
    assert len(incoming) == 2  # the two taakuitvoeringen of toegang Wmo (double work)
    assert all(graph.value(s, RDFS.label) is not None for s in incoming)


# --- web -----------------------------------------------------------------------------


def test_matrix_page(client) -> None:
    page = get_page(client, f"/gemeente/GM0823/matrix?peildatum={PEIL}")
    rows = page.rows("matrix-wie-doet-wat")
    by_taak = {r[0]["text"]: r for r in rows if len(r) == 6}
    assert len(by_taak) == 21
    toegang_wmo = by_taak["Toegang Wmo"]
    assert "Oirschot" in toegang_wmo[1]["text"]
    assert "Samenwerking Kempengemeenten" in toegang_wmo[1]["text"]
    assert "dubbel" in toegang_wmo[1]["class"]
    assert "empty" in by_taak["Mantelzorgondersteuning"][2]["class"]
    assert "/gemeente/GM0823" in by_taak["Bijstand (levensonderhoud)"][1]["links"]
    filled = len(expected_cells(date.fromisoformat(PEIL)))
    assert f"{filled} bevestigd (inventaris)" in page.text
    assert f"{105 - filled} onbekend (geen gegevens)" in page.text
    assert "onbekend" in by_taak["Mantelzorgondersteuning"][2]["text"]
    assert "afgeleid-beeld" not in page.html  # the example has an inventory: no banner


def test_matrix_page_per_wet_and_downloads(client) -> None:
    page = get_page(client, f"/gemeente/GM0823/matrix?peildatum={PEIL}&wet={JEUGDWET}")
    rows = [r for r in page.rows("matrix-wie-doet-wat") if len(r) == 6]
    assert len(rows) == 6
    response = client.get(f"/gemeente/GM0823/matrix.csv?peildatum={PEIL}&wet={JEUGDWET}")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    records = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(records) == 6
    veilig = next(r for r in records if r["rij"] == "Veilig Thuis (AMHK)")
    assert veilig["Governance"] == "GGD Brabant-Zuidoost"
    body = client.get(f"/gemeente/GM0823/matrix.json?peildatum={PEIL}").get_json()
    assert body["params"]["peildatum"] == PEIL
    assert body["double"] == [{"row": TAAK + "toegang-wmo", "column": DG + "toegang"}]


def test_regio_matrix_page(client) -> None:
    iri = SO + "so0665"
    page = get_page(client, f"/organisatie/matrix?iri={iri}&peildatum={PEIL}")
    rows = page.rows("matrix-regio")
    names = [r[0]["text"] for r in rows]
    assert names == ["Bergeijk", "Bladel", "Eersel", "Oirschot", "Reusel-De Mierden"]
    oirschot = rows[3]
    assert any("Samenwerking Kempengemeenten" in c["text"] for c in oirschot[1:])
    assert all("empty" in c["class"] for c in rows[0][1:])  # Bergeijk: no inventory
    organisatie = get_page(client, f"/organisatie?iri={iri}&peildatum={PEIL}")
    assert any(href.startswith("/organisatie/matrix?") for href, _ in organisatie.links)


def test_klantreis_page_and_json(client) -> None:
    url = f"/gemeente/GM0823/klantreis?klantreis={KLANTREIS}wmo&peildatum={PEIL}"
    page = get_page(client, url)
    assert 'data-testid="organisaties">3<' in page.html
    assert 'data-testid="overdrachten">0<' in page.html
    assert 'data-testid="gaten">1<' in page.html
    assert "Onbekend: de inventaris en de registers noemen geen uitvoerder" in page.text
    body = client.get(url.replace("/klantreis?", "/klantreis.json?")).get_json()
    assert body["samenvatting"]["dubbel"] == 1
    assert [s["volgorde"] for s in body["stappen"]] == [1, 2, 3, 4, 5, 6]
    rows = list(csv.DictReader(io.StringIO(
        client.get(url.replace("/klantreis?", "/klantreis.csv?")).get_data(as_text=True))))
    assert {r["volgorde"] for r in rows} == {"1", "2", "3", "4", "5", "6"}


def test_gemeente_page_links_to_the_views(client) -> None:
    page = get_page(client, f"/gemeente/GM0823?peildatum={PEIL}")
    hrefs = [href for href, _ in page.links]
    assert f"/gemeente/GM0823/matrix?peildatum={PEIL}" in hrefs
    assert f"/gemeente/GM0823/klantreis?peildatum={PEIL}" in hrefs


def test_english_matrix(client) -> None:
    page = get_page(client, f"/gemeente/GM0823/matrix?peildatum={PEIL}&lang=en")
    assert "Who does what" in page.text
    rows = page.rows("matrix-wie-doet-wat")
    access = next(r for r in rows if r[0]["text"] == "Access to youth care")
    assert access[1]["text"] == "Oirschot In-house illustrative"
    assert "Access" in page.html and "Back office" in page.html


# --- /id/ and /resource: content negotiation ----------------------------------------


@pytest.mark.parametrize(
    ("accept", "media", "rdflib_format"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
    ],
)
def test_id_dereferences_as_rdf(client, accept: str, media: str, rdflib_format: str) -> None:
    response = client.get("/id/taak/toegang-wmo", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == media
    assert "Accept" in response.headers["Vary"]
    graph = Graph().parse(data=response.get_data(as_text=True), format=rdflib_format)
    taak = URIRef(TAAK + "toegang-wmo")
    assert (taak, SD.wet, URIRef("https://w3id.org/sdgraph/id/wet/BWBR0035362")) in graph
    assert len(set(graph.subjects(SD.taak, taak))) == 2


def test_id_in_a_browser_is_the_resource_page(client) -> None:
    page = get_page(client, "/id/klantreis/wmo")
    assert "Wmo" in page.text
    assert ("/resource?uri=https://w3id.org/sdgraph/id/klantreis/wmo&format=ttl", "Turtle") in [
        (h.replace("%3A", ":").replace("%2F", "/"), t) for h, t in page.links]
    stappen = {h for h, _ in page.links if "klantreis/wmo/stap/" in h.replace("%2F", "/")}
    assert len(stappen) == 6


def test_resource_format_parameter_and_errors(client) -> None:
    response = client.get(f"/resource?uri={TAAK}toegang-wmo&format=jsonld")
    assert response.mimetype == "application/ld+json"
    assert json.loads(response.get_data(as_text=True))
    assert client.get("/id/taak/toegang-wmo", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/id/taak/bestaat-niet", headers={"Accept": "text/turtle"}).status_code == 404
    assert client.get("/id/taak/bestaat-niet").status_code == 404


# --- CLI -------------------------------------------------------------------------------


def test_cli_matrix_and_klantreis(runner, tmp_path) -> None:
    store = ["--store", str(tmp_path / "store")]
    assert runner.invoke(main, [*store, "init"]).exit_code == 0
    from sdgraph.store import EmbeddedStore

    without_baseline(EmbeddedStore(tmp_path / "store")).close()
    result = runner.invoke(main, [*store, "matrix", "GM0823", "--peildatum", PEIL, "-f", "csv"])
    assert result.exit_code == 0, result.output
    records = list(csv.DictReader(io.StringIO(result.output)))
    assert len(records) == 21
    assert next(r for r in records if r["rij"] == "Toegang Wmo")["Toegang"] == (
        "Oirschot; Samenwerking Kempengemeenten")
    result = runner.invoke(main, [*store, "matrix", "--organisatie", SO + "so0665",
                                  "--peildatum", PEIL])
    assert result.exit_code == 0, result.output
    assert "Reusel-De Mierden" in result.output
    assert runner.invoke(main, [*store, "matrix"]).exit_code == 2
    result = runner.invoke(main, [*store, "klantreis", "GM0823", "--soort", "wmo",
                                  "--peildatum", PEIL])
    assert result.exit_code == 0, result.output
    assert "stappen: 6, organisaties: 3, overdrachten: 0, gaten: 1, dubbel: 1" in result.output
    assert runner.invoke(main, [*store, "klantreis", "GM0823", "--soort", "zorg"]).exit_code == 2


def test_date_literals_in_example_are_typed() -> None:
    """The oracle above compares dates: the example's dates must be xsd:date."""
    g = Graph().parse(example_dir("oirschot") / "taakuitvoeringen.ttl")
    assert all(o.datatype == XSD.date for o in g.objects(None, SD.geldigVanaf))


def test_klantreizen_vocabulary_conforms_and_broken_step_is_caught() -> None:
    """shapes/vocabulaires.ttl: a klantreis has one wet and steps; a step one volgorde
    (>= 1) and one deelgebied."""
    from pyshacl import validate

    from sdgraph.resources import ontology_file, resource_dir, vocabulary_files

    shapes = Graph().parse(resource_dir("shapes") / "vocabulaires.ttl")
    data = Graph()
    for path in vocabulary_files():
        data.parse(path)
    conforms, _, text = validate(data, shacl_graph=shapes, ont_graph=Graph().parse(
        ontology_file()), inference="rdfs")
    assert conforms, text
    step = URIRef(KLANTREIS + "wmo/stap/2")
    data.remove((step, SD.stapDeelgebied, None))
    data.set((step, SD.volgorde, Literal(0)))
    conforms, report, _ = validate(data, shacl_graph=shapes, inference="rdfs")
    assert not conforms
    sh = Namespace("http://www.w3.org/ns/shacl#")
    found = {(report.value(r, sh.focusNode), report.value(r, sh.resultPath))
             for r in report.subjects(sh.focusNode, None)}
    assert found == {(step, SD.stapDeelgebied), (step, SD.volgorde)}
