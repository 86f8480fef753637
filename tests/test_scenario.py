"""The scenario engine (sdgraph.scenario): model, overlay, impact per change type, comparison.

Every expected figure is computed by hand from tests/data/scenario/inventaris.ttl (the
made-up gemeente Testdorp, GM9901) or from the Oirschot example; the computation is
written out in the comments. The fixture store holds the ontology, the vocabularies and
the fixture; the engine must leave every store it reads byte for byte the same.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import SOURCES, example_files, inventory_only_store, without_baseline
from pyshacl import validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS

from sdgraph.build import init_store
from sdgraph.errors import UserError
from sdgraph.namespaces import SDID
from sdgraph.output import text as plain
from sdgraph.resources import resource_dir, vocabulary_files
from sdgraph.scenario import (
    CRITERIA,
    apply,
    build,
    compare,
    from_graph,
    from_yaml,
    impact,
    impacts,
    load,
    parse_weights,
    vergelijk,
)
from sdgraph.scenario.compute import Bronnen
from sdgraph.scenario.figures import add_months
from sdgraph.scenario.model import bundled
from sdgraph.scenario.overlay import query
from sdgraph.store import EmbeddedStore, Store

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "scenario"
OIRSCHOT = ROOT / "data" / "examples" / "oirschot" / "scenarios"
BW_MO = ROOT / "data" / "examples" / "bw-mo-eindhoven"

T = "https://w3id.org/sdgraph/id/test/"
GM = "https://identifier.overheid.nl/tooi/id/gemeente/"
TESTDORP = GM + "gm9901"
TOEGANG, BACKOFFICE, VISIE, INKOOP, GOVERNANCE = (
    str(SDID[f"deelgebied/{d}"]) for d in
    ("toegang", "backoffice", "visie-en-beleid", "inkoop", "governance"))
DEELGEBIEDEN = [TOEGANG, BACKOFFICE, VISIE, INKOOP, GOVERNANCE]


def taak(slug: str) -> str:
    return str(SDID[f"taak/{slug}"])


def fixture_store(store: Store, iv3: bool = False) -> Store:
    init_store(store, None)  # ontology and vocabularies
    files = [DATA / "inventaris.ttl"] + ([DATA / "iv3.ttl"] if iv3 else [])
    store.load_files(files)
    return store


@pytest.fixture(scope="module")
def testdorp() -> Store:
    s = EmbeddedStore(None)
    fixture_store(s)
    yield s
    s.close()


def run(store: Store, name: str):
    scenario = load(DATA / f"{name}.yaml")[0]
    return impact(build(store, scenario.gemeente, scenario.peildatum.isoformat(),
                        scenario.organisaties()), scenario, store)


def dump(store: Store) -> str:
    """Every quad of the store as sorted N-Quads (the 'byte for byte' comparison)."""
    table = store.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return "".join(sorted(" ".join(t.n3() for t in row) + " .\n" for row in table.rows))


def figures(result) -> dict[str, dict[str, float]]:
    return {d.deelgebied: d.figures() for d in result.deelgebieden}


def taken_of(cells) -> list[str]:
    return sorted(c.taak for c in cells)


# --------------------------------------------------------------------------- model


def test_yaml_and_turtle_give_the_same_graph():
    from_ttl = load(DATA / "eigen-regie.ttl")[0]
    from_yml = load(DATA / "eigen-regie.yaml")[0]
    assert from_ttl.iri == from_yml.iri == "https://w3id.org/sdgraph/id/scenario/gm9901/eigen-regie"
    assert isomorphic(from_ttl.graph, from_yml.graph)
    w = from_yml.wijzigingen[0]
    assert (w.soort, w.van, w.taken, w.deelgebieden, w.partners) == (
        "eigen-regie", T + "gr", [taak("huishoudelijke-hulp")], [BACKOFFICE], [GM + "gm9902"])
    assert from_yml.peildatum == date(2025, 1, 1) and from_yml.besluitdatum == date(2025, 2, 15)
    assert from_yml.naam("en") == "Back office of household help in-house"


def test_changes_are_applied_with_uittreding_last():
    graph = from_yaml("""
id: volgorde
gemeente: GM9901
peildatum: 2025-01-01
wijzigingen:
  - {soort: uittreding, betreft: sdid:test/gr}
  - {soort: eigen-regie, van: sdid:test/gr}
  - {soort: doordecentralisatie, van: sdid:test/noord}
""")
    scenario = from_graph(graph)[0]
    assert [w.soort for w in scenario.wijzigingen] == ["eigen-regie", "doordecentralisatie",
                                                       "uittreding"]
    # a doordecentralisatie without taken concerns beschermd wonen and maatschappelijke opvang
    assert scenario.wijzigingen[1].taken == [taak("beschermd-wonen"),
                                             taak("maatschappelijke-opvang")]


@pytest.mark.parametrize(("text", "message"), [
    ("id: x\ngemeente: GM9901\n", "peildatum is missing"),
    ("id: x\ngemeente: Testdorp\npeildatum: 2025-01-01\n", "not a gemeente"),
    ("id: x\ngemeente: GM9901\npeildatum: 2025-13-01\n", "not a date"),
    ("id: x\ngemeente: GM9901\npeildatum: 2025-01-01\nonbekend: 1\n", "unknown key 'onbekend'"),
    ("id: X Y\ngemeente: GM9901\npeildatum: 2025-01-01\n", "id must be"),
    ("id: x\ngemeente: GM9901\npeildatum: 2025-01-01\nwijzigingen:\n  - soort: fusie\n",
     "soort must be one of"),
    ("id: x\ngemeente: GM9901\npeildatum: 2025-01-01\nwijzigingen:\n  - soort: uittreding\n",
     "needs sd:betreft"),
    ("id: x\ngemeente: GM9901\npeildatum: 2025-01-01\nwijzigingen:\n"
     "  - {soort: overdracht, van: GM9901}\n", "needs sd:van and sd:naar"),
    ("id: x\ngemeente: GM9901\npeildatum: 2025-01-01\nwijzigingen:\n"
     "  - {soort: uittreding, betreft: 'ex:gr'}\n", "unknown prefix 'ex'"),
    ("id: x\ngemeente: GM9901\npeildatum: 2025-01-01\nbesluitdatum: 2024-01-01\n",
     "lies before the peildatum"),
    ("- een lijst", "is a mapping"),
])
def test_bad_scenarios_are_clear_user_errors(text, message):
    with pytest.raises(UserError, match=message):
        from_graph(from_yaml(text, "test.yaml"), "test.yaml")


def test_scenario_naming_an_unknown_organisation_or_taak_is_refused(testdorp):
    for change, message in (("{soort: uittreding, betreft: sdid:test/bestaat-niet}",
                             "which the graph does not know"),
                            ("{soort: eigen-regie, taken: [bestaat-niet]}", "is not a taak")):
        scenario = from_graph(from_yaml(
            f"id: x\ngemeente: GM9901\npeildatum: 2025-01-01\nwijzigingen:\n  - {change}\n"))[0]
        with pytest.raises(UserError, match=message):
            impact(build(testdorp, scenario.gemeente, "2025-01-01", scenario.organisaties()),
                   scenario, testdorp)


def test_every_bundled_scenario_conforms_to_the_shapes():
    """YAML and Turtle scenarios of both examples, as graphs, against shapes/scenario.ttl."""
    scenarios = bundled()
    assert {"oirschot/a-subregio-de-kempen", "oirschot/b-subregio-veldhoven-best-oirschot",
            "oirschot/c-regio-zuidoost-brabant", "oirschot/d-eigen-regie",
            "bw-mo-eindhoven/a-doordecentralisatie",
            "bw-mo-eindhoven/b-doordecentralisatie-regionale-inkoop"} <= set(scenarios)
    shapes = Graph().parse(ROOT / "shapes" / "scenario.ttl")
    ontology = Graph().parse(ROOT / "ontology" / "sdgraph.ttl")
    for ident, path in scenarios.items():
        example = path.parent.parent
        data = Graph()
        for f in [*vocabulary_files(), *example_files(example)]:
            if f.parent.name != "scenarios":
                data.parse(f)
        for s in load(path):
            data += s.graph
            assert s.illustratief, f"{ident} must be marked illustratief"
        conforms, _, text = validate(data, shacl_graph=shapes, ont_graph=ontology,
                                     inference="none", allow_warnings=False)
        assert conforms, f"{ident}: {text}"


def test_bw_mo_example_data_conforms_to_all_shapes():
    """The second example (without its scenarios) with the vocabularies, like the Oirschot
    example in test_example_data.py; its made-up nodes are marked illustratief."""
    data = Graph()
    for f in [*vocabulary_files(), *example_files(BW_MO)]:
        if f.parent.name != "scenarios":
            data.parse(f)
    shapes = Graph()
    for f in sorted((ROOT / "shapes").glob("*.ttl")):
        shapes.parse(f)
    conforms, _, text = validate(data, shacl_graph=shapes,
                                 ont_graph=Graph().parse(ROOT / "ontology" / "sdgraph.ttl"),
                                 inference="none", allow_warnings=False)
    assert conforms, text
    query = """PREFIX sd: <https://w3id.org/sdgraph/def#>
        SELECT ?s WHERE { ?s a ?c . VALUES ?c { sd:Taakuitvoering sd:Overeenkomst sd:Aanbieder
        sd:Financieringsstroom } FILTER NOT EXISTS { ?s sd:illustratief true } }"""
    assert not list(data.query(query))


def test_add_months_keeps_the_day_or_the_last_of_the_month():
    assert add_months(date(2025, 2, 15), 6) == date(2025, 8, 15)
    assert add_months(date(2024, 10, 1), 12) == date(2025, 10, 1)
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)


def test_updates_bind_their_parameters_in_every_where_group():
    u = query("uitvoering-nieuw")
    text = u.bound({"wijziging": T + "w", "gemeente": "GM9901", "peildatum": "2025-01-01",
                    "naar": T + "gr", "bron": 'a "quoted" text'})
    assert text.count("VALUES (?wijziging ?gemeente ?peildatum ?naar ?bron)") == 2
    assert '"a \\"quoted\\" text"' in text
    with pytest.raises(UserError, match="has no parameter 'x'"):
        u.bound({"x": "1"})
    with pytest.raises(UserError, match="not an IRI"):
        u.bound({"wijziging": "geen iri", "gemeente": "GM9901", "peildatum": "2025-01-01",
                 "naar": T + "gr", "bron": "b"})


@pytest.mark.parametrize("path", sorted((resource_dir("queries") / "scenario").glob("*.r[qu]")),
                         ids=lambda p: p.name)
def test_scenario_queries_have_a_bilingual_header(path: Path):
    header = [line for line in path.read_text(encoding="utf-8").splitlines()
              if line.startswith("#")]
    keys = {line.split(":", 1)[0] for line in header}
    assert {"# title", "# title@en", "# description", "# description@en"} <= keys, path.name


# --------------------------------------------------------------------------- one change type each


def test_uittreding_ends_membership_seats_uitvoeringen_and_the_contract(testdorp):
    result = run(testdorp, "uittreding")
    f = figures(result)
    # The GR executes huishoudelijke hulp in backoffice and inkoop: both cells end (new gaps).
    assert taken_of(result.deelgebied(BACKOFFICE).eindigt) == [taak("huishoudelijke-hulp")]
    assert taken_of(result.deelgebied(INKOOP).eindigt) == [taak("huishoudelijke-hulp")]
    assert f[BACKOFFICE] == {"eindigt": 1, "wijzigt": 0, "start": 0, "gaten": 1, "dubbel": 0,
                             "contracten": 0, "aanbieders": 0, "partners": -1}
    # inkoop: the GR's own contract for huishoudelijke hulp hangs on the ended uitvoering;
    # notice on the besluitdatum 2025-02-15 + 6 months = 2025-08-15 (< einddatum 2030-01-01):
    # terminate. Testdorp's share is its verdeelsleutel 40%: 1,000,000 x 0.4 x 6/12 = 200,000.
    assert f[INKOOP] == {"eindigt": 1, "wijzigt": 0, "start": 0, "gaten": 1, "dubbel": 0,
                         "contracten": 1, "aanbieders": 1, "partners": -1}
    [contract] = result.contracten
    assert contract.iri == T + "contract-hh"
    assert contract.actie == "opzeggen"
    assert contract.vroegste_einde == date(2025, 8, 15)
    assert contract.aandeel == pytest.approx(0.4)
    assert contract.aandeel_uitleg == "verdeelsleutel 40%"
    assert contract.frictiekosten == pytest.approx(200_000)
    assert contract.exitclausule == "Opzegging met zes maanden."
    assert [a.iri for a in contract.aanbieders] == [T + "testzorg"]
    assert contract.bron == "testfixture" and contract.illustratief
    # governance: Testdorp's 1 seat and 10 votes in the GR's algemeen bestuur go
    assert f[GOVERNANCE]["zetels"] == -1 and f[GOVERNANCE]["stemmen"] == -10
    assert [i.iri for i in result.deelgebied(GOVERNANCE).vertegenwoordiging] == [
        T + "zetel-testdorp"]
    assert [i.iri for i in result.lidmaatschappen_eind] == [T + "lid-testdorp-gr"]
    assert result.lidmaatschappen_start == []
    # toegang and visie en beleid do not change
    assert not any(f[TOEGANG].values()) and not any(f[VISIE].values())


def test_uittreding_criteria_with_their_formulas(testdorp):
    [crit] = vergelijk([run(testdorp, "uittreding")]).criteria
    # own cells (toegang-wmo/toegang, bijstand/backoffice) 2 of the 4 filled after: 50%;
    # before 2 of 6: 33.3%
    assert (crit["zeggenschap"].waarde, crit["zeggenschap"].voor) == (50.0, 33.3)
    assert crit["zeggenschap"].formule == "2 eigen / 4 gevulde cellen x 100"
    # klantreizen after: Wmo meets Testdorp, Testzorg, Centrumstad (toegang only): 3+0;
    # werk en inkomen Testdorp: 1+0; jeugd nothing: total 4. Before: Wmo 4 organisations
    # and 1 hand-over (toegang -> the GR in backoffice), werk en inkomen 1+0: total 6.
    assert (crit["integraal"].waarde, crit["integraal"].voor) == (4.0, 6.0)
    # arrangements after: contract welzijn and Centrumstad (2); partners Testzorg and
    # Centrumstad (2): 4. Before also the GR in both: 3 + 3 = 6.
    assert (crit["complexiteit"].waarde, crit["complexiteit"].voor) == (4.0, 6.0)
    assert crit["kosten"].waarde == pytest.approx(200_000)
    # 2 cells end + 2 x 2 new gaps + 1 contract + 1 membership = 8
    assert crit["risico"].waarde == 8.0
    assert crit["risico"].formule == (
        "2 cellen + 2 x 2 nieuwe gaten + 1 contracten + 1 lidmaatschappen")


def test_toetreding_moves_taken_starts_membership_and_adds_the_scenarios_seat(testdorp):
    result = run(testdorp, "toetreding")
    f = figures(result)
    # huishoudelijke hulp goes from the GR to Verweg in backoffice and inkoop
    for d in (BACKOFFICE, INKOOP):
        [cel] = result.deelgebied(d).wijzigt
        assert cel.uitvoerders_voor == {T + "gr"} and cel.uitvoerders_na == {GM + "gm9904"}
        assert "Verweg" in cel.na[0].label and "Centrumgemeente" in cel.na[0].label
        assert cel.na[0].illustratief
        assert f[d]["partners"] == 0  # one partner replaced by another
    assert f[INKOOP]["contracten"] == 1
    assert result.contracten[0].actie == "opzeggen"
    # the fact of the scenario: 1 seat and 1 vote in Regio Zuid's bestuurscommissie
    assert result.deelgebied(GOVERNANCE).zetels == (1, 2)
    assert result.deelgebied(GOVERNANCE).stemmen == (10, 11)
    [lid] = result.lidmaatschappen_start
    assert lid.groep == "" and lid.detail == T + "zuid"
    assert lid.iri == "https://w3id.org/sdgraph/id/scenario/gm9901/toetreding/wijziging/1/lidmaatschap"
    assert result.lidmaatschappen_eind == []
    # 2 cells change + 0 gaps + 1 contract + 1 membership = 4
    assert vergelijk([result]).criteria[0]["risico"].waarde == 4.0


def test_toetreding_with_taken_and_deelgebieden_fills_a_gap(testdorp):
    result = run(testdorp, "toetreding-gat")
    toegang = result.deelgebied(TOEGANG)
    # mantelzorgondersteuning had no uitvoerder in toegang; the GR starts it
    assert taken_of(toegang.start) == [taak("mantelzorgondersteuning")]
    assert toegang.gaten_na == toegang.gaten_voor - 1
    assert toegang.figures()["partners"] == 1  # the GR joins Testzorg and Centrumstad
    assert result.lidmaatschappen_start == []  # already a member of the GR


def test_eigen_regie_takes_back_one_cell_and_counts_the_partner(testdorp):
    result = run(testdorp, "eigen-regie")
    f = figures(result)
    [cel] = result.deelgebied(BACKOFFICE).wijzigt
    assert cel.taak == taak("huishoudelijke-hulp")
    assert cel.uitvoerders_voor == {T + "gr"} and cel.uitvoerders_na == {TESTDORP}
    assert f[BACKOFFICE]["partners"] == -1
    assert not any(f[INKOOP].values())  # inkoop stays with the GR
    assert result.contracten == []  # the contract hangs on the inkoop cell only
    # partners: Testzorg, Centrumstad and the GR (inkoop) stay, Buurstad is the new partner
    assert [i.label for i in result.partners_voor] == [
        "Centrumstad", "Samenwerking Test", "Testzorg"]
    assert sorted(i.label for i in result.partners_na) == [
        "Buurstad", "Centrumstad", "Samenwerking Test", "Testzorg"]
    [crit] = vergelijk([result]).criteria
    assert crit["zeggenschap"].waarde == 50.0  # 3 own of 6
    assert crit["kosten"].waarde == 0.0
    assert crit["risico"].waarde == 1.0


def test_overdracht_hands_the_toegang_to_the_gr(testdorp):
    result = run(testdorp, "overdracht")
    [cel] = result.deelgebied(TOEGANG).wijzigt
    assert cel.taak == taak("toegang-wmo")
    assert cel.uitvoerders_voor == {TESTDORP} and cel.uitvoerders_na == {T + "gr"}
    assert result.deelgebied(TOEGANG).figures()["partners"] == 1
    assert vergelijk([result]).criteria[0]["zeggenschap"].waarde == 16.7  # 1 own of 6


def test_doordecentralisatie_moves_bw_and_shares_the_illustrative_money(testdorp):
    result = run(testdorp, "doordecentralisatie")
    [cel] = result.deelgebied(TOEGANG).wijzigt
    assert cel.taak == taak("beschermd-wonen")
    assert cel.uitvoerders_voor == {GM + "gm9903"} and cel.uitvoerders_na == {TESTDORP}
    # No Iv3 figures: the flow to Centrumstad on 6.81 in 2024 (9,000,000, illustrative),
    # shared by the illustrative inwonertal of Regio Noord's members:
    # Testdorp 20,000 / 150,000 x 9,000,000 = 1,200,000; Buurstad 30,000 -> 1,800,000;
    # Centrumstad 100,000 -> 6,000,000.
    [geld] = result.geld
    assert not geld.echt and geld.jaar == "2024" and geld.totaal == 9_000_000
    assert {s.ontvangerNaam: s.bedrag for s in geld.na} == {
        "Buurstad": 1_800_000, "Centrumstad": 6_000_000, "Testdorp": 1_200_000}
    assert geld.gemeente_bedrag == 1_200_000
    assert [i.iri for i in geld.voor[0].bronnen][0] == T + "bw-mo-2024"
    assert any("illustratieve cijfers" in n for n in result.opmerkingen)


def test_doordecentralisatie_uses_real_iv3_figures_when_present():
    store = fixture_store(EmbeddedStore(None), iv3=True)
    result = run(store, "doordecentralisatie")
    # Iv3 2023 jaarrekening of Centrumstad: 6.81a 5,000,000 + 6.81b 1,000,000 = 6,000,000;
    # inwonertal 25,000 / 25,000 / 100,000: Testdorp and Buurstad 1/6 each -> 1,000,000,
    # Centrumstad 4/6 -> 4,000,000.
    [geld] = result.geld
    assert geld.echt and geld.jaar == "2023" and geld.totaal == 6_000_000
    assert {s.ontvangerNaam: s.bedrag for s in geld.na} == {
        "Buurstad": 1_000_000, "Centrumstad": 4_000_000, "Testdorp": 1_000_000}
    assert "iv3-2023-jaarrekening" in geld.uitleg
    store.close()


def test_every_figure_keeps_its_items_with_their_sources(testdorp):
    result = run(testdorp, "uittreding")
    [cel] = result.deelgebied(INKOOP).eindigt
    [item] = cel.voor
    assert item.iri == T + "tu-hh-inkoop" and item.bron == "testfixture" and item.illustratief
    toegang = run(testdorp, "overdracht").deelgebied(TOEGANG).wijzigt[0]
    new = toegang.na[0]
    assert new.iri.startswith("https://w3id.org/sdgraph/id/scenario/gm9901/overdracht/wijziging/1/")
    assert "https://w3id.org/sdgraph/id/scenario/gm9901/overdracht/wijziging/1" in new.bron


def _read_whole(*overlays) -> tuple[dict[str, list[str]], dict[str, bool]]:
    """Sources and flags from the whole provenance of each overlay in turn (the reference)."""
    bronnen: dict[str, list[str]] = {}
    vlag: dict[str, bool] = {}
    for o in overlays:
        for r in o.scenario_rows("bronnen"):
            iri = plain(r["knoop"])
            sources = bronnen.setdefault(iri, [])
            for value in (plain(r.get("bron")), plain(r.get("wijziging"))):
                if value and value not in sources:
                    sources.append(value)
            flag = plain(r.get("illustratief")).lower() in ("true", "1")
            vlag[iri] = vlag.get(iri, False) or flag
    return bronnen, vlag


def test_provenance_after_a_scenario_reads_only_what_changed_and_equals_a_whole_read(testdorp):
    scenario = load(DATA / "toetreding.yaml")[0]
    base = build(testdorp, scenario.gemeente, scenario.peildatum.isoformat(),
                 scenario.organisaties())
    after = apply(base, scenario)
    # a node that loses its only source, one that gets a second one, a new node
    edited = after.copy()
    edited.remove([(URIRef(T + "tu-hh-inkoop"), DCTERMS.source, Literal("testfixture"))])
    edited.add([(URIRef(T + "tu-bijstand"), DCTERMS.source, Literal("a"))])
    edited.add([(URIRef(T + "nieuw"), DCTERMS.source, Literal("b"))])
    # a blank node cannot be bound in a query: the whole overlay is read
    blank = after.copy()
    blank.add([(BNode(), DCTERMS.source, Literal("c"))])
    for overlay in (after, edited, blank, base.copy()):
        found = Bronnen(overlay, base)
        assert (found.bronnen, found.vlag) == _read_whole(overlay, base)
    assert Bronnen(edited, base).bron(T + "tu-bijstand") == "a | testfixture"
    assert Bronnen(edited, base).bron(T + "tu-hh-inkoop") == "testfixture"  # from before


# --------------------------------------------------------------------------- comparison


def test_weights_change_the_ranking(testdorp):
    names = ["uittreding", "eigen-regie", "overdracht"]
    found = [run(testdorp, n) for n in names]
    # raw values (uittreding / eigen regie / overdracht), see the tests above:
    #   zeggenschap 50 / 50 / 16.7 -> scores 10 / 10 / 0
    #   integraal 4 / 6 / 4 (eigen regie: Wmo 4 organisations + 1 hand-over to the GR's
    #     inkoop, werk en inkomen 1; overdracht: Wmo 3+0, werk en inkomen 1) -> 10 / 0 / 10
    #   complexiteit 4 / 7 / 6 (eigen regie: 3 arrangements + 4 partners with Buurstad;
    #     overdracht: 3 + 3) -> 10 / 0 / 3.33
    #   kosten 200,000 / 0 / 0 -> 0 / 10 / 10;  risico 8 / 1 / 1 -> 0 / 10 / 10
    # totals (equal weights): 30/5 = 6, 30/5 = 6, 33.33/5 = 6.67: overdracht first, then
    # the tie in name order ("Backoffice ..." before "Uit ...").
    plain = vergelijk(found)
    assert plain.scores[0]["kosten"] == 0 and plain.scores[1]["kosten"] == 10
    assert plain.scores[2]["complexiteit"] == 3.33
    assert plain.totaal == [6.0, 6.0, 6.67]
    assert [plain.impacts[i].scenario.slug for i in plain.ranking] == [
        "overdracht", "eigen-regie", "uittreding"]
    # weigh only zeggenschap: uittreding and eigen regie tie at 10, name order decides
    only = vergelijk(found, parse_weights(["zeggenschap=1", "integraal=0", "complexiteit=0",
                                           "kosten=0", "risico=0"]))
    assert [only.totaal[i] for i in only.ranking] == [10, 10, 0]
    assert [only.impacts[i].scenario.slug for i in only.ranking] == [
        "eigen-regie", "uittreding", "overdracht"]
    assert parse_weights({"control": "2"})["zeggenschap"] == 2
    with pytest.raises(UserError, match="unknown criterion"):
        parse_weights(["snelheid=1"])
    with pytest.raises(UserError, match="0 or more"):
        parse_weights(["kosten=-1"])


@pytest.fixture(scope="module")
def inventory_store():
    """The Oirschot example without the baseline: the expectations below are counted by
    hand from its inventory (scenarios over the baseline: test_baseline*.py)."""
    yield from inventory_only_store()


def test_oirschot_compare_gives_the_four_by_five_matrix(inventory_store):
    scenarios = [s for p in sorted(OIRSCHOT.glob("*.yaml")) for s in load(p)]
    result = compare(inventory_store, scenarios)
    assert [i.scenario.slug for i in result.impacts] == [
        "a-subregio-de-kempen", "b-subregio-veldhoven-best-oirschot",
        "c-regio-zuidoost-brabant", "d-eigen-regie"]
    for imp in result.impacts:
        assert [d.deelgebied for d in imp.deelgebieden] == DEELGEBIEDEN
        assert imp.peildatum == "2024-07-01" and imp.opzegdatum == date(2024, 10, 1)
    a, b, c, d = (figures(i) for i in result.impacts)
    # A: toegang Wmo, toegang jeugdhulp and bijstand (toegang) and bijstand and bijzondere
    # bijstand (backoffice) go from Oirschot to the Kempengemeenten; the double toegang Wmo
    # goes; inkoop jeugdhulp and jeugdbescherming go from Eindhoven to the Kempengemeenten,
    # which ends the DVO with Eindhoven (12 months from 2024-10-01: 2025-10-01; Oirschot is
    # its only opdrachtgever: 48,500 x 1 x 12/12 = 48,500).
    assert (a[TOEGANG]["wijzigt"], a[TOEGANG]["dubbel"], a[BACKOFFICE]["wijzigt"]) == (3, -1, 2)
    assert (a[INKOOP]["wijzigt"], a[INKOOP]["contracten"]) == (2, 1)
    [dvo] = [x for x in result.impacts[0].contracten if x.actie == "opzeggen"]
    assert dvo.iri.endswith("/dvo-inkoop-jeugdhulp-zuidoost-brabant")
    assert (dvo.vroegste_einde, dvo.frictiekosten) == (date(2025, 10, 1), 48_500)
    # B: the Kempen uitvoeringen of five taken go to Veldhoven; schuldhulpverlening
    # (backoffice) is left without uitvoerder; 2 seats and 20 votes in the Kempen board go.
    assert (b[BACKOFFICE]["eindigt"], b[BACKOFFICE]["wijzigt"], b[BACKOFFICE]["gaten"]) == (1, 3, 1)
    assert (b[GOVERNANCE]["zetels"], b[GOVERNANCE]["stemmen"]) == (-2, -20)
    assert [x.label for x in result.impacts[1].lidmaatschappen_eind] == [
        "Samenwerking Kempengemeenten"]
    # C: Wmo backoffice (huishoudelijke hulp, hulpmiddelen, ambulante jeugdhulp) and inkoop
    # (begeleiding, huishoudelijke hulp, inkoop Wmo) to Eindhoven; no membership changes
    assert (c[BACKOFFICE]["wijzigt"], c[INKOOP]["wijzigt"], c[TOEGANG]["wijzigt"]) == (3, 3, 0)
    assert result.impacts[2].lidmaatschappen_eind == result.impacts[2].lidmaatschappen_start == []
    # D: everything the Kempengemeenten do comes back: toegang Wmo (double work goes),
    # 4 backoffice and 3 inkoop cells; 14 own cells of 27 filled: 51.9%
    assert (d[TOEGANG]["wijzigt"], d[BACKOFFICE]["wijzigt"], d[INKOOP]["wijzigt"]) == (1, 4, 3)
    assert result.criteria[3]["zeggenschap"].waarde == 51.9
    assert result.criteria[3]["zeggenschap"].formule == "14 eigen / 27 gevulde cellen x 100"
    assert len(result.ranking) == 4 and sorted(result.ranking) == [0, 1, 2, 3]


def test_bw_mo_example_shares_the_illustrative_budget_over_fifteen_gemeenten():
    store = EmbeddedStore(None)
    init_store(store, "bw-mo-eindhoven", SOURCES)
    without_baseline(store)
    scenarios = [s for p in sorted((BW_MO / "scenarios").glob("*.*"))
                 if p.suffix in (".ttl", ".yaml") for s in load(p)]
    result = compare(store, scenarios)
    a, b = result.impacts
    # 60,000,000 over 574,500 illustrative inwoners: Veldhoven 46,000 -> 4,804,177.55
    [geld] = a.geld
    assert not geld.echt and geld.totaal == 60_000_000 and len(geld.na) == 15
    assert geld.gemeente_bedrag == pytest.approx(60_000_000 * 46_000 / 574_500, abs=0.01)
    assert sum(s.bedrag for s in geld.na) == pytest.approx(60_000_000, abs=0.1)
    # A: toegang BW and MO and inkoop BW to Veldhoven; the raamovereenkomst is terminated
    # (12 months from 2025-03-01) with its exitkosten 150,000
    assert figures(a)[TOEGANG]["wijzigt"] == 2 and figures(a)[INKOOP]["wijzigt"] == 1
    [ovk] = a.contracten
    assert (ovk.actie, ovk.vroegste_einde, ovk.frictiekosten) == (
        "opzeggen", date(2026, 3, 1), 150_000)
    # B: only the toegang moves; the inkoop stays with Eindhoven (partner)
    assert figures(b)[INKOOP]["wijzigt"] == 0 and b.contracten == []
    assert result.criteria[0]["zeggenschap"].waarde == 100.0
    assert result.criteria[1]["zeggenschap"].waarde == 66.7
    store.close()


# --------------------------------------------------------------------------- the store is unchanged


def test_applying_and_comparing_leaves_the_store_byte_for_byte_the_same(store):
    fixture_store(store)
    init_store(store, "oirschot", SOURCES)
    before, version = dump(store), store.version()
    scenarios = [load(p)[0] for p in sorted(DATA.glob("*.yaml"))]
    scenarios += [s for p in sorted(OIRSCHOT.glob("*.yaml")) for s in load(p)]
    result = compare(store, scenarios)
    assert len(result.impacts) == len(scenarios)
    # the same figures on both backends
    assert figures(result.impacts[-1])[BACKOFFICE]["wijzigt"] == 4
    assert dump(store) == before
    assert store.version() == version


def test_impacts_share_one_overlay_per_gemeente_and_peildatum(testdorp):
    scenarios = [load(DATA / f"{n}.yaml")[0] for n in ("overdracht", "eigen-regie")]
    found = impacts(testdorp, scenarios)
    assert [i.scenario.slug for i in found] == ["overdracht", "eigen-regie"]
    assert set(CRITERIA) == set(vergelijk(found).criteria[0])


@pytest.mark.parametrize(("change", "missing"), [
    ("a sd:Overdracht ; sd:van gm:gm0823", "sd:naar"),
    ("a sd:Overdracht ; sd:naar gm:gm0823", "sd:van"),
    ("a sd:Uittreding", "sd:betreft"),
    ("a sd:Doordecentralisatie", "sd:van"),
    ("a sd:EigenRegie ; dct:subject gm:gm0823", "dct:subject"),
])
def test_shapes_catch_an_incomplete_change(change: str, missing: str):
    """Per kind of change what it cannot do without (shapes/scenario.ttl)."""
    ttl = f"""@prefix sd: <https://w3id.org/sdgraph/def#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix gm: <https://identifier.overheid.nl/tooi/id/gemeente/> .
gm:gm0823 a sd:Gemeente .
<urn:w> {change} ."""
    shapes = Graph().parse(ROOT / "shapes" / "scenario.ttl")
    ontology = Graph().parse(ROOT / "ontology" / "sdgraph.ttl")
    conforms, report, _ = validate(Graph().parse(data=ttl, format="turtle"), shacl_graph=shapes,
                                   ont_graph=ontology, inference="rdfs")
    assert not conforms
    SH = "http://www.w3.org/ns/shacl#"
    paths = {str(o) for o in report.objects(None, URIRef(SH + "resultPath"))}
    expanded = missing.replace("sd:", "https://w3id.org/sdgraph/def#").replace(
        "dct:", "http://purl.org/dc/terms/")
    assert paths == {expanded}, paths
