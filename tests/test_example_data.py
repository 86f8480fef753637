"""Checks on the controlled vocabularies, the Oirschot example data and the SHACL shapes.

The example data is validated together with the vocabularies; the ontology is mixed into
the data graph (pyshacl ``ont_graph``) because the ``sh:class`` constraints rely on its
``rdfs:subClassOf`` axioms (e.g. ``sd:Gemeente`` is an ``org:Organization``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import example_files
from pyshacl import validate
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH, XSD

ROOT = Path(__file__).parent.parent
VOCAB_DIR = ROOT / "data" / "vocab"
EXAMPLE_DIR = ROOT / "data" / "examples" / "oirschot"
SHAPES_DIR = ROOT / "shapes"
ONTOLOGY = ROOT / "ontology" / "sdgraph.ttl"

SD = Namespace("https://w3id.org/sdgraph/def#")
SDID = Namespace("https://w3id.org/sdgraph/id/")
GM = Namespace("https://identifier.overheid.nl/tooi/id/gemeente/")

ALL_TTL = sorted((ROOT / "data").rglob("*.ttl")) + sorted(SHAPES_DIR.rglob("*.ttl"))

# Oirschot's GR versions valid on 2019-07-02 according to the ROO register.
EXPECTED_ROO_IDS_2019_07_02 = {
    "25250109",  # GGD Brabant-Zuidoost
    "25143080",  # Metropoolregio Eindhoven
    "24961951",  # Omgevingsdienst Zuidoost-Brabant
    "27965412",  # Samenwerking Kempengemeenten (valid from 2019-07-01)
    "26639015",  # Veiligheidsregio Brabant-Zuidoost
    "26122493",  # WSD
    "24967301",  # Regionaal samenwerkingsverband openbaar basisonderwijs De Kempen
}

ILLUSTRATIVE_TYPES = [SD.Taakuitvoering, SD.Overeenkomst, SD.Aanbieder, SD.Financieringsstroom]


def _parse_all(paths: list[Path]) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def data_graph() -> Graph:
    paths = sorted(VOCAB_DIR.glob("*.ttl")) + example_files(EXAMPLE_DIR)
    assert paths, "no vocabulary or example files found"
    return _parse_all(paths)


@pytest.fixture(scope="module")
def shapes_graph() -> Graph:
    paths = sorted(SHAPES_DIR.glob("*.ttl"))
    assert paths, "no shapes found"
    return _parse_all(paths)


@pytest.fixture(scope="module")
def ont_graph() -> Graph:
    assert ONTOLOGY.exists(), f"{ONTOLOGY} is needed for the sh:class checks"
    return _parse_all([ONTOLOGY])


def _validate(data: Graph, shapes: Graph, ont: Graph) -> tuple[bool, Graph, str]:
    conforms, report_graph, report_text = validate(
        data,
        shacl_graph=shapes,
        ont_graph=ont,
        inference="none",
        abort_on_first=False,
        allow_warnings=False,
    )
    return conforms, report_graph, report_text


# (a) ------------------------------------------------------------------ parsing


@pytest.mark.parametrize("path", ALL_TTL, ids=lambda p: str(p.relative_to(ROOT)))
def test_turtle_parses(path: Path) -> None:
    graph = Graph()
    graph.parse(path, format="turtle")
    assert len(graph) > 0, f"{path} is empty"


def test_expected_files_exist() -> None:
    for name in [
        "wetten",
        "taken",
        "deelgebieden",
        "samenwerkingsvormen",
        "arrangementtypen",
        "regioindelingen",
    ]:
        assert (VOCAB_DIR / f"{name}.ttl").exists(), name
    for name in [
        "register-aanvullingen",
        "subregios",
        "taakuitvoeringen",
        "overeenkomsten",
    ]:
        assert (EXAMPLE_DIR / f"{name}.ttl").exists(), name
    assert (EXAMPLE_DIR / "register.txt").exists()
    for name in ["organisaties", "samenwerking", "taken", "contracten"]:
        assert (SHAPES_DIR / f"{name}.ttl").exists(), name


# (b) ------------------------------------------------------------------ conformance


def test_example_conforms(data_graph: Graph, shapes_graph: Graph, ont_graph: Graph) -> None:
    conforms, _, report_text = _validate(data_graph, shapes_graph, ont_graph)
    if not conforms:
        print(report_text)
    assert conforms, report_text


# (c) ------------------------------------------------------------------ broken copy

BROKEN_GEMEENTE = GM.gm1724  # Bergeijk loses its gemeentecode
BROKEN_GRVERSIE = SDID["grversie/26248133"]  # geldigTot moved before geldigVanaf
BROKEN_TAAKUITVOERING = SDID["taakuitvoering/gm0823/veilig-thuis/toegang"]  # loses sd:taak


def _broken_copy(data: Graph) -> Graph:
    broken = Graph()
    for triple in data:
        broken.add(triple)
    assert (BROKEN_GEMEENTE, SD.gemeentecode, None) in broken
    broken.remove((BROKEN_GEMEENTE, SD.gemeentecode, None))
    assert (BROKEN_GRVERSIE, SD.geldigTot, None) in broken
    broken.set((BROKEN_GRVERSIE, SD.geldigTot, Literal("2015-01-01", datatype=XSD.date)))
    assert (BROKEN_TAAKUITVOERING, SD.taak, None) in broken
    broken.remove((BROKEN_TAAKUITVOERING, SD.taak, None))
    return broken


def test_broken_copy_reports_exactly_the_broken_nodes(
    data_graph: Graph, shapes_graph: Graph, ont_graph: Graph
) -> None:
    broken = _broken_copy(data_graph)
    conforms, report_graph, report_text = _validate(broken, shapes_graph, ont_graph)
    assert not conforms
    results = list(report_graph.subjects(RDF.type, SH.ValidationResult))
    focus_nodes = {report_graph.value(result, SH.focusNode) for result in results}
    assert focus_nodes == {BROKEN_GEMEENTE, BROKEN_GRVERSIE, BROKEN_TAAKUITVOERING}, report_text
    paths = {
        (report_graph.value(r, SH.focusNode), report_graph.value(r, SH.resultPath)) for r in results
    }
    assert (BROKEN_GEMEENTE, SD.gemeentecode) in paths
    assert (BROKEN_GRVERSIE, SD.geldigVanaf) in paths
    assert (BROKEN_TAAKUITVOERING, SD.taak) in paths
    # Every result carries a Dutch and an English message.
    for result in results:
        langs = {m.language for m in report_graph.objects(result, SH.resultMessage)}
        assert {"nl", "en"} <= langs, report_text


# (d) ------------------------------------------------------------------ time query

GR_VERSIONS_ON_DATE = """
PREFIX sd:  <https://w3id.org/sdgraph/def#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT DISTINCT ?rooId WHERE {
  ?lm a sd:Lidmaatschap ;
      org:member ?gemeente ;
      org:organization ?gr .
  ?gr a sd:GemeenschappelijkeRegeling .
  OPTIONAL { ?lm sd:toetredingsdatum ?toe }
  OPTIONAL { ?lm sd:uittredingsdatum ?uit }
  FILTER (!BOUND(?toe) || ?toe <= ?d)
  FILTER (!BOUND(?uit) || ?d < ?uit)
  ?versie a sd:GRVersie ;
      sd:versieVan ?gr ;
      sd:rooId ?rooId ;
      sd:geldigVanaf ?vanaf .
  OPTIONAL { ?versie sd:geldigTot ?tot }
  FILTER (?vanaf <= ?d)
  FILTER (!BOUND(?tot) || ?d < ?tot)
}
"""


def _roo_ids_on(graph: Graph, day: str) -> set[str]:
    rows = graph.query(
        GR_VERSIONS_ON_DATE,
        initBindings={
            "gemeente": GM.gm0823,
            "d": Literal(day, datatype=XSD.date),
        },
    )
    return {str(row.rooId) for row in rows}


def test_oirschot_grs_on_2019_07_02(data_graph: Graph) -> None:
    assert _roo_ids_on(data_graph, "2019-07-02") == EXPECTED_ROO_IDS_2019_07_02


def test_half_open_intervals_at_version_boundary(data_graph: Graph) -> None:
    # On 2019-06-30 the previous Kempengemeenten version (26248133) is valid, on
    # 2019-07-01 (the exclusive end of that version) already the next one.
    before = _roo_ids_on(data_graph, "2019-06-30")
    assert "26248133" in before and "27965412" not in before
    on_boundary = _roo_ids_on(data_graph, "2019-07-01")
    assert "27965412" in on_boundary and "26248133" not in on_boundary
    assert len(on_boundary) == 7


# (e) ------------------------------------------------------------------ illustrative marking


@pytest.mark.parametrize("cls", ILLUSTRATIVE_TYPES, ids=lambda c: c.split("#")[-1])
def test_illustrative_nodes_are_marked(data_graph: Graph, cls: URIRef) -> None:
    nodes = set(data_graph.subjects(RDF.type, cls))
    assert nodes, f"no instances of {cls}"
    unmarked = sorted(
        str(n) for n in nodes if (n, SD.illustratief, Literal(True)) not in data_graph
    )
    assert not unmarked, f"not marked sd:illustratief true: {unmarked}"
