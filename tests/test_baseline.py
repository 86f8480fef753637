"""The baseline (sdgraph/derive/baseline.py, data/rules/basislijn.yaml, docs/baseline.md).

* per rule, on the hand-written fixture tests/data/baseline/register.ttl: the records
  the rule makes, their days, uitvoerder, arrangementtype and evidence, computed by hand
  in the comments below from the fixture's facts and the rule table;
* the cells per state of whole gemeenten on chosen days (counted by hand);
* the rule table's checks, the RDF of a record and its named graph;
* precedence in the queries: an inventoried taakuitvoering replaces the derived ones of
  its cell in wie-doet-wat, klantreis, netwerk and wie-doet-wat-regio (both backends).

The national figures and spot checks on the real sources are in test_baseline_real.py.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from conftest import SOURCES, get_page, missing
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from sdgraph.build import init_store
from sdgraph.derive import derive_and_load, register_sources_store
from sdgraph.derive.baseline import GRAPH_IRI, Basislijn, Record, derive
from sdgraph.derive.rules import load_rules
from sdgraph.errors import DataError
from sdgraph.namespaces import GRAPH, SD, SDID
from sdgraph.queries import QueryLibrary
from sdgraph.store import Source, Store

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "data" / "baseline" / "register.ttl"
GM = "https://identifier.overheid.nl/tooi/id/gemeente/"
AT = "https://w3id.org/sdgraph/id/arrangementtype/"
GR = "https://w3id.org/sdgraph/id/gr/"
REGIO = "https://w3id.org/sdgraph/id/regio/"
LID = "https://w3id.org/sdgraph/id/lidmaatschap/"
D = date.fromisoformat
ALL_DG = ("toegang", "backoffice", "visie-en-beleid", "inkoop", "governance")


@pytest.fixture(scope="module")
def basislijn() -> Basislijn:
    source = Source.file(FIXTURE, graph=str(GRAPH["ref/test-basislijn"]))
    return derive(register_sources_store([source]))


def records(b: Basislijn, gemeente: str, taak: str | None = None, deelgebied: str | None = None,
            regel: str | None = None) -> list[Record]:
    return [r for r in b.records if r.gemeente == GM + gemeente
            and (taak is None or r.taak.endswith(f"/taak/{taak}"))
            and (deelgebied is None or r.deelgebied.endswith(f"/deelgebied/{deelgebied}"))
            and (regel is None or r.regel == regel)]


def one(b: Basislijn, *args: str | None, **kw: str) -> Record:
    found = records(b, *args, **kw)
    assert len(found) == 1, found
    return found[0]


def cells(b: Basislijn, gemeente: str, day: date) -> Counter[str]:
    """Cells per state of a gemeente on a day; onbekend = 105 minus the others."""
    states: dict[tuple[str, str], str] = {}
    for r in b.op(day, GM + gemeente):
        key = (r.taak, r.deelgebied)
        assert key not in states or states[key] == ("aangenomen" if r.aangenomen else "afgeleid")
        states[key] = "aangenomen" if r.aangenomen else "afgeleid"
    counts = Counter(states.values())
    counts["onbekend"] = 105 - len(states)
    return counts


# --------------------------------------------------------------------------- GR rules


def test_gr_uitvoering_merges_versions_from_the_day_of_joining(basislijn: Basislijn) -> None:
    # gm9001 joined GR A on 2018-01-01; versions a1 (2012-2021) and a2 (2021-) both name
    # bijstand: one record per deelgebied of gr-uitvoering, 2018-01-01 open-ended
    found = records(basislijn, "gm9001", "bijstand", regel="gr-uitvoering")
    assert sorted(r.deelgebied.rsplit("/", 1)[-1] for r in found) == [
        "backoffice", "governance", "toegang"]
    for r in found:
        assert (r.vanaf, r.tot) == (D("2018-01-01"), None)
        assert (r.uitvoerder, r.via, r.arrangementtype) == (
            GR + "a", GR + "a", AT + "gemeenschappelijke-regeling")
        assert set(r.bewijsrecords) == {
            LID + "9001-a", str(SDID["grversie/a1"]), str(SDID["grversie/a2"]),
            str(SDID["afleiding/a1-bijstand"]), str(SDID["afleiding/a2-bijstand"])}
        assert "ROO-versie 900002" in r.bewijs and "ROO-versie 900001" in r.bewijs
        assert "«de bijstand, nu ook»" in r.bewijs
        assert not r.aangenomen
        assert r.iri.startswith(str(SDID["taakuitvoering/afgeleid/gm9001/bijstand/"]))


def test_gr_record_starts_with_the_wetten_and_ends_with_the_membership(
        basislijn: Basislijn) -> None:
    # gm9002: member 2010-2022, version a1 from 2012: the record starts when the three
    # wetten entered into force (2015-01-01, the table's vanaf) and ends on leaving
    r = one(basislijn, "gm9002", "bijstand", "toegang", regel="gr-uitvoering")
    assert (r.vanaf, r.tot) == (D("2015-01-01"), D("2022-01-01"))


def test_a_bedrijfsvoeringsorganisatie_does_the_backoffice_only(basislijn: Basislijn) -> None:
    found = records(basislijn, "gm9001", "schuldhulpverlening", regel="gr-uitvoering")
    assert [(r.deelgebied.rsplit("/", 1)[-1], r.vanaf, r.uitvoerder) for r in found] == [
        ("backoffice", D("2016-06-01"), GR + "b")]


def test_a_centrumgemeenteconstructie_is_arrangementtype_centrumgemeente(
        basislijn: Basislijn) -> None:
    found = records(basislijn, "gm9001", "beschermd-wonen", regel="gr-beschermd-wonen-opvang")
    assert sorted(r.deelgebied.rsplit("/", 1)[-1] for r in found) == [
        "backoffice", "governance", "inkoop", "toegang"]
    assert {(r.arrangementtype, r.uitvoerder, r.vanaf) for r in found} == {
        (AT + "centrumgemeente", GR + "c", D("2017-01-01"))}


# --------------------------------------------------------------------------- regio rules


def test_centrumgemeente_bw_mo_and_precedence_of_the_gr(basislijn: Basislijn) -> None:
    # gm9001 is in the BW/MO regio of centrumgemeente gm9003 (RegioAtlas, undated): the regio
    # rule (priority 2) fills beschermd wonen only before GR C (priority 1) starts in
    # 2017, except visie en beleid, which GR C does not cover
    bw = records(basislijn, "gm9001", "beschermd-wonen", regel="regio-centrumgemeente-bw-mo")
    periods = {r.deelgebied.rsplit("/", 1)[-1]: (r.vanaf, r.tot) for r in bw}
    assert periods == {
        "toegang": (D("2015-01-01"), D("2017-01-01")),
        "backoffice": (D("2015-01-01"), D("2017-01-01")),
        "inkoop": (D("2015-01-01"), D("2017-01-01")),
        "governance": (D("2015-01-01"), D("2017-01-01")),
        "visie-en-beleid": (D("2015-01-01"), None),
    }
    assert {(r.uitvoerder, r.arrangementtype) for r in bw} == {
        (GM + "gm9003", AT + "centrumgemeente")}
    mo = records(basislijn, "gm9001", "maatschappelijke-opvang")
    assert len(mo) == 5 and {r.regel for r in mo} == {"regio-centrumgemeente-bw-mo"}
    # for the centrumgemeente itself it is its own organisation
    own = records(basislijn, "gm9003", "beschermd-wonen")
    assert len(own) == 5
    assert {(r.uitvoerder, r.arrangementtype) for r in own} == {
        (GM + "gm9003", AT + "eigen-organisatie")}


def test_veilig_thuis_regio_and_the_latest_peiljaar(basislijn: Basislijn) -> None:
    r = one(basislijn, "gm9001", "veilig-thuis", "toegang")
    assert (r.uitvoerder, r.arrangementtype, r.via) == (
        REGIO + "vt-noord", AT + "regionale-samenwerking", None)
    assert "4 gemeenten" in r.bewijs and "peiljaar 2016" in r.bewijs
    # gm9002 moved: the 2016 regio holds until the 2020 one
    moved = records(basislijn, "gm9002", "veilig-thuis", "backoffice")
    assert [(r.uitvoerder, r.vanaf, r.tot) for r in sorted(moved, key=lambda r: r.vanaf)] == [
        (REGIO + "vt-noord", D("2015-01-01"), D("2020-01-01")),
        (REGIO + "vt-zuid", D("2020-01-01"), None)]
    # no record for the cells the rule leaves out
    assert records(basislijn, "gm9001", "veilig-thuis", "governance") == []


def test_a_regio_of_one_member_is_the_gemeente_itself(basislijn: Basislijn) -> None:
    found = records(basislijn, "gm9003", regel="regio-jeugdregio")
    assert sorted(r.taak.rsplit("/", 1)[-1] for r in found) == [
        "inkoop-jeugdhulp", "jeugdbescherming-jeugdreclassering", "jeugdhulp-verblijf"]
    assert {(r.deelgebied.rsplit("/", 1)[-1], r.uitvoerder, r.arrangementtype) for r in found} == {
        ("inkoop", GM + "gm9003", AT + "eigen-organisatie")}


def test_one_member_without_the_gemeente_s_name_stays_the_regio(basislijn: Basislijn) -> None:
    r = one(basislijn, "gm9002", "inkoop-wmo", "inkoop")
    assert (r.regel, r.uitvoerder, r.arrangementtype) == (
        "regio-wmo", REGIO + "wmo-west", AT + "regionale-samenwerking")
    assert "1 gemeenten" in r.bewijs


def test_a_new_gemeente_takes_the_regio_of_its_predecessors(basislijn: Basislijn) -> None:
    # gm9005 (from 2019) succeeds gm9004 and gm9006, both in Veilig Thuis-regio Noord
    r = one(basislijn, "gm9005", "veilig-thuis", "toegang")
    assert (r.uitvoerder, r.vanaf, r.tot) == (REGIO + "vt-noord", D("2019-01-01"), None)
    assert {LID + "9004-vt", LID + "9006-vt", GM + "gm9004", GM + "gm9006"} <= set(
        r.bewijsrecords)
    assert "voorgangers" in r.bewijs
    # ... but not when they were in different regio's (sociale werkvoorziening), which is
    # reported
    assert records(basislijn, "gm9005", regel="regio-sociale-werkvoorziening") == []
    assert basislijn.meldingen[
        "regio-sociale-werkvoorziening: voorgangers in meer dan één regio"] == 1
    # the predecessors' own records end with them
    old = one(basislijn, "gm9004", "veilig-thuis", "toegang")
    assert (old.vanaf, old.tot) == (D("2015-01-01"), D("2019-01-01"))


def test_predecessors_in_different_regio_s_are_told_apart_by_the_jeugdregio(
        basislijn: Basislijn) -> None:
    # gm9009 (from 2020) succeeds gm9007 (BW/MO regio of centrumgemeente gm9003, jeugdregio
    # Oost) and gm9008 (BW/MO regio of gm9002, jeugdregio West); gm9009 is in jeugdregio
    # Oost from 2021-01-01: from that day it is in gm9003's BW/MO regio, beschermd wonen
    # and opvang x all five deelgebieden; in 2020 the cells stay unknown
    found = records(basislijn, "gm9009", regel="regio-centrumgemeente-bw-mo")
    assert sorted((r.taak.rsplit("/", 1)[-1], r.deelgebied.rsplit("/", 1)[-1]) for r in found) == [
        (t, d) for t in ("beschermd-wonen", "maatschappelijke-opvang") for d in sorted(ALL_DG)]
    assert {(r.uitvoerder, r.arrangementtype, r.vanaf, r.tot) for r in found} == {
        (GM + "gm9003", AT + "centrumgemeente", D("2021-01-01"), None)}
    r = found[0]
    assert set(r.bewijsrecords) == {
        LID + "9007-bwmo", LID + "9008-bwmo", LID + "9009-jz", LID + "9007-jz",
        GM + "gm9007", GM + "gm9008"}
    assert ("via de voorganger Geedorp van Ieestad: in dezelfde regio als Ieestad in "
            "Jeugdregio's: Oost (peiljaar 2025), Haastad niet") in r.bewijs
    assert basislijn.op(D("2020-06-01"), GM + "gm9009") and not [
        r for r in basislijn.op(D("2020-06-01"), GM + "gm9009") if not r.aangenomen]
    # resolved, so not reported as predecessors in more than one regio
    assert "regio-centrumgemeente-bw-mo: voorgangers in meer dan één regio" not in (
        basislijn.meldingen)


# --------------------------------------------------------------------------- assumption


def test_assumption_is_void_where_a_gr_names_the_wet_without_the_taak(
        basislijn: Basislijn) -> None:
    # gm9002: GR A's version a2 (2021-) names the Wmo without a taak while gm9002 is a
    # member (until 2022): toegang Wmo is assumed before and after, unknown in 2021
    found = sorted(records(basislijn, "gm9002", "toegang-wmo", "toegang"), key=lambda r: r.vanaf)
    assert [(r.vanaf, r.tot, r.aangenomen, r.regel) for r in found] == [
        (D("2015-01-01"), D("2021-01-01"), True, "eigen-organisatie-aangenomen"),
        (D("2022-01-01"), None, True, "eigen-organisatie-aangenomen")]
    # visie en beleid is not in tenzij_gr_wet: assumed throughout
    r = one(basislijn, "gm9002", "toegang-wmo", "visie-en-beleid")
    assert (r.vanaf, r.tot, r.uitvoerder, r.arrangementtype) == (
        D("2015-01-01"), None, GM + "gm9002", AT + "eigen-organisatie")


def test_assumption_leaves_the_regional_cells_and_yields_to_every_rule(
        basislijn: Basislijn) -> None:
    assert records(basislijn, "gm9005", "beschermd-wonen", "toegang") == []  # uitgezonderd
    assert records(basislijn, "gm9005", "jeugdhulp-verblijf", "inkoop") == []
    r = one(basislijn, "gm9005", "jeugdhulp-verblijf", "toegang")
    assert r.aangenomen and r.vanaf == D("2019-01-01")
    # bijstand toegang of gm9002: assumed only after leaving GR A
    found = records(basislijn, "gm9002", "bijstand", "toegang")
    assert sorted((r.regel, r.vanaf, r.tot) for r in found) == [
        ("eigen-organisatie-aangenomen", D("2022-01-01"), None),
        ("gr-uitvoering", D("2015-01-01"), D("2022-01-01"))]


@pytest.mark.parametrize(
    ("gemeente", "day", "afgeleid", "aangenomen", "onbekend"),
    [
        # 18 derived: bijstand 3 (GR A), schuldhulpverlening 1 (GR B), beschermd wonen 5
        # (GR C 4 + regio visie), opvang 5, Veilig Thuis 2, SW and beschut werk 2; of the 85
        # assumable cells 7 are derived and 21 (7 Wmo taken x toegang, backoffice, inkoop)
        # void by GR A's Wmo without taak: 57 assumed; 105 - 18 - 57 = 30 unknown
        ("gm9001", "2024-07-01", 18, 57, 30),
        # 2016: none of the GRs yet: BW 5, MO 5, VT 2, SW 2 derived; 85 - 3 assumed
        ("gm9001", "2016-01-01", 14, 82, 9),
        # gm9002 in 2021: bijstand 3 (GR A), BW 5 and MO 5 (centrumgemeente gm9003), VT 2,
        # SW 2, inkoop Wmo 1 (its Wmo-regio West); 85 - 6 assumable derived - 21 void = 58
        ("gm9002", "2021-06-01", 18, 58, 29),
        # 2022, after leaving GR A: bijstand assumed again, inkoop Wmo still the Wmo-regio
        ("gm9002", "2022-06-01", 15, 81, 9),
        # the centrumgemeente: BW 5 + MO 5 own, VT 2, jeugdregio of one 3; 85 - 2 assumed
        ("gm9003", "2024-07-01", 15, 83, 7),
        ("gm9005", "2024-07-01", 2, 85, 18),
        ("gm9004", "2018-06-01", 4, 84, 17),
        # a merger in 2020 whose predecessors were in different BW/MO regio's: nothing
        # derived in 2020; from 2021 jeugdregio Oost (3 inkoop cells) and through it the
        # BW/MO regio of its predecessor gm9007 (BW 5, MO 5): 13 derived, of which the two
        # visie-en-beleid cells are assumable (85 - 2 = 83 assumed), 105 - 13 - 83 = 9
        ("gm9009", "2020-06-01", 0, 85, 20),
        ("gm9009", "2024-07-01", 13, 83, 9),
    ],
)
def test_cells_per_state(basislijn: Basislijn, gemeente: str, day: str, afgeleid: int,
                         aangenomen: int, onbekend: int) -> None:
    counts = cells(basislijn, gemeente, D(day))
    assert (counts["afgeleid"], counts["aangenomen"], counts["onbekend"]) == (
        afgeleid, aangenomen, onbekend)


def test_no_records_outside_a_gemeente_s_existence(basislijn: Basislijn) -> None:
    assert basislijn.op(D("2018-06-01"), GM + "gm9005") == []
    assert basislijn.op(D("2019-06-01"), GM + "gm9004") == []
    assert basislijn.op(D("2014-12-31")) == []


def test_derivation_is_deterministic() -> None:
    source = Source.file(FIXTURE, graph=str(GRAPH["ref/test-basislijn"]))
    a = derive(register_sources_store([source])).records
    b = derive(register_sources_store([source])).records
    assert a == b


# --------------------------------------------------------------------------- rule table


def test_the_bundled_rule_table_is_valid_and_complete() -> None:
    taken = {p.rsplit("/", 1)[-1] for p in Graph().parse(
        HERE.parent / "data" / "vocab" / "taken.ttl").subjects(RDF.type, SD.Taak)}
    table = load_rules(taken=taken, deelgebieden=set(ALL_DG))
    assert len({r.id for r in table.regels}) == len(table.regels)
    assert all(r.bron and r.toelichting and r.toelichting_en for r in table.regels)
    assert table.vanaf == D("2015-01-01")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ("  - id: x\n    soort: gr\n    kleur: rood\n", "rule x: unknown key 'kleur'"),
        ("  - id: x\n    soort: wolk\n", "rule x: soort must be one of"),
        ("  - id: x\n    soort: gr\n    taken: [vliegen]\n    bron: b\n    toelichting: t\n",
         "rule x: 'vliegen' is not a taak"),
        ("  - id: x\n    soort: regio\n    bron: b\n    toelichting: t\n",
         "rule x: a regio rule needs a regioindeling"),
        ("  - id: x\n    soort: gr\n    bron: b\n    toelichting: t\n"
         "  - id: x\n    soort: gr\n    bron: b\n    toelichting: t\n",
         "rule x: the id is used twice"),
        ("  - id: x\n    soort: gr\n", "rule x: every rule needs a bron and a toelichting"),
        ("  - id: x\n    soort: regio\n    regioindeling: wmo-regio\n"
         "    voorgangers_volgens: jeugdregio\n", "rule x: 'voorgangers_volgens' is the slug"),
    ],
)
def test_rule_table_errors_name_file_and_rule(tmp_path: Path, edit: str, message: str) -> None:
    path = tmp_path / "regels.yaml"
    path.write_text("versie: t\nvanaf: 2015-01-01\nregels:\n" + edit, encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_rules(path, taken={"bijstand"}, deelgebieden=set(ALL_DG))
    assert str(path) in str(err.value) and message in str(err.value)


# --------------------------------------------------------------------------- RDF and queries


INVENTARIS = """
@prefix sd: <https://w3id.org/sdgraph/def#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.org/inv/bijstand-toegang> a sd:Taakuitvoering ;
    sd:gemeente <https://identifier.overheid.nl/tooi/id/gemeente/gm9001> ;
    sd:taak <https://w3id.org/sdgraph/id/taak/bijstand> ;
    sd:deelgebied <https://w3id.org/sdgraph/id/deelgebied/toegang> ;
    sd:uitvoerder <https://identifier.overheid.nl/tooi/id/gemeente/gm9001> ;
    sd:arrangementtype <https://w3id.org/sdgraph/id/arrangementtype/eigen-organisatie> ;
    sd:geldigVanaf "2023-01-01"^^xsd:date .
"""


@pytest.fixture
def derived_store(store: Store) -> Store:
    init_store(store, None)
    store.load([Source.file(FIXTURE, graph=str(GRAPH["ref/test-basislijn"]))])
    derive_and_load(store)
    store.load([Source(name="inventaris.ttl", data=INVENTARIS.encode(),
                       graph=str(GRAPH["file/inventaris"]))])
    return store


def test_records_are_in_their_graph_with_rule_evidence_and_provenance(
        derived_store: Store) -> None:
    assert GRAPH_IRI in derived_store.named_graphs()
    g = derived_store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{GRAPH_IRI}> "
                            "{ ?s ?p ?o } }")
    assert isinstance(g, Graph)
    tus = set(g.subjects(RDF.type, SD.Taakuitvoering))
    assert len(tus) == len(derive(register_sources_store(
        [Source.file(FIXTURE, graph=str(GRAPH["ref/test-basislijn"]))])).records)
    true = Literal(True, datatype=XSD.boolean)
    for tu in tus:
        assert (tu, SD.afgeleid, true) in g
        assert (tu, PROV.wasGeneratedBy, URIRef(str(SDID["afleiding/basislijn-v1"]))) in g
        regel = g.value(tu, SD.afleidingsregel)
        assert regel is not None and (regel, RDF.type, SD.Afleidingsregel) in g
        if (tu, SD.aangenomen, true) not in g:
            assert g.value(tu, SD.bewijs) and list(g.objects(tu, SD.bewijsRecord))


def run(store: Store, name: str, **values: str) -> list[dict]:
    return QueryLibrary().get(name).run(store, values).dicts()


def test_inventory_replaces_the_derived_records_of_its_cell(derived_store: Store) -> None:
    rows = run(derived_store, "wie-doet-wat", gemeente="GM9001", peildatum="2024-07-01")
    cell = [r for r in rows if str(r["taak"]).endswith("/bijstand")
            and str(r["deelgebied"]).endswith("/toegang")]
    assert [(str(r["uitvoerder"]), str(r["status"])) for r in cell] == [
        (GM + "gm9001", "bevestigd")]
    others = [r for r in rows if str(r["taak"]).endswith("/bijstand")
              and str(r["deelgebied"]).endswith("/backoffice")]
    assert [(str(r["uitvoerder"]), str(r["status"]), str(r["regel"]).rsplit("/", 1)[-1])
            for r in others] == [(GR + "a", "afgeleid", "gr-uitvoering")]
    assert "ROO-versie 900002" in str(others[0]["bewijs"])
    states = Counter(str(r["status"]) for r in rows)
    assert states == {"afgeleid": 17, "aangenomen": 57, "bevestigd": 1}
    # before the inventoried record started, the derived one shows
    before = run(derived_store, "wie-doet-wat", gemeente="GM9001", peildatum="2022-07-01")
    assert [str(r["status"]) for r in before if str(r["taak"]).endswith("/bijstand")
            and str(r["deelgebied"]).endswith("/toegang")] == ["afgeleid"]


def test_precedence_in_klantreis_netwerk_and_regio_matrix(derived_store: Store) -> None:
    reis = run(derived_store, "klantreis", gemeente="GM9001", peildatum="2024-07-01",
               klantreis=str(SDID["klantreis/werk-en-inkomen"]))
    toegang = [r for r in reis if r.get("taak") is not None
               and str(r["taak"]).endswith("/bijstand") and str(r["deelgebied"]).endswith(
                   "/toegang")]
    # toegang and indicatie are two steps of the journey, both of deelgebied toegang
    assert sorted((int(r["volgorde"]), str(r["status"])) for r in toegang) == [
        (1, "bevestigd"), (2, "bevestigd")]
    lines = run(derived_store, "netwerk", gemeente="GM9001", peildatum="2024-07-01")
    tu = [r for r in lines if str(r["soort"]) == "taakuitvoering"
          and str(r.get("taak", "")).endswith("/bijstand")]
    assert sorted((str(r["deelgebiedIri"]).rsplit("/", 1)[-1], str(r["status"])) for r in tu) == [
        ("backoffice", "afgeleid"), ("governance", "afgeleid"), ("inkoop", "aangenomen"),
        ("toegang", "bevestigd"), ("visie-en-beleid", "aangenomen")]
    regio = run(derived_store, "wie-doet-wat-regio", organisatie=GR + "a",
                peildatum="2021-06-01")
    gm9001 = [r for r in regio if str(r["gemeente"]) == GM + "gm9001"
              and str(r["taak"]).endswith("/bijstand")]
    assert sorted((str(r["deelgebied"]).rsplit("/", 1)[-1], str(r["status"])) for r in gm9001) == [
        ("backoffice", "afgeleid"), ("governance", "afgeleid"), ("inkoop", "aangenomen"),
        ("toegang", "afgeleid"), ("visie-en-beleid", "aangenomen")]
    later = run(derived_store, "wie-doet-wat-regio", organisatie=GR + "a", peildatum="2024-07-01")
    assert [str(r["status"]) for r in later if str(r["gemeente"]) == GM + "gm9001"
            and str(r["taak"]).endswith("/bijstand")
            and str(r["deelgebied"]).endswith("/toegang")] == ["bevestigd"]
    assert {str(r["gemeente"]) for r in regio} == {GM + "gm9001", GM + "gm9002"}


# --------------------------------------------------------------------------- scenarios


SCENARIO = """
id: uit-a
titel: Aastad verlaat Regeling A
gemeente: GM9001
peildatum: 2024-07-01
wijzigingen:
  - soort: uittreding
    betreft: https://w3id.org/sdgraph/id/gr/a
"""


def test_a_scenario_on_a_gemeente_without_inventory(derived_store: Store) -> None:
    """gm9001 leaves GR A: its three derived bijstand cells (toegang, backoffice,
    governance; toegang is inventoried from 2023, so on 2024-07-01 only backoffice and
    governance are derived) end; each item names its rule and evidence."""
    from sdgraph.scenario import compare, from_graph, from_yaml

    [scenario] = from_graph(from_yaml(SCENARIO, "uit-a.yaml"), "uit-a.yaml")
    result = compare(derived_store, [scenario])
    [imp] = result.impacts
    ended = {d.deelgebied.rsplit("/", 1)[-1]: [c.taak.rsplit("/", 1)[-1] for c in d.eindigt]
             for d in imp.deelgebieden}
    assert ended == {"toegang": [], "backoffice": ["bijstand"], "visie-en-beleid": [],
                     "inkoop": [], "governance": ["bijstand"]}
    backoffice = imp.deelgebied(str(SDID["deelgebied/backoffice"]))
    [item] = backoffice.eindigt[0].voor
    assert item.detail == "afgeleid" and item.bron.startswith("afgeleid, regel gr-uitvoering: ")
    assert "ROO-versie 900002" in item.bron
    assert not imp.verandert_niets and result.ranking == [0]


def test_a_scenario_that_changes_nothing_says_so(derived_store: Store) -> None:
    """gm9003 takes Wmo inkoop back in house: it does it itself already (assumed), so
    nothing changes; the scenario is not ranked and the report says so."""
    from sdgraph.scenario import compare, from_graph, from_yaml, report

    text = SCENARIO.replace("GM9001", "GM9003").replace("uit-a", "eigen").replace(
        """  - soort: uittreding
    betreft: https://w3id.org/sdgraph/id/gr/a""", """  - soort: eigen-regie
    taken: [inkoop-wmo]""")
    [scenario] = from_graph(from_yaml(text, "eigen.yaml"), "eigen.yaml")
    result = compare(derived_store, [scenario])
    assert result.impacts[0].verandert_niets
    assert result.ranking == [] and result.rang(0) is None
    out = report.to_text(result)
    assert "verandert niets voor Ceestad op 2024-07-01" in out and "niet gerangschikt" in out


# --------------------------------------------------------------------------- the example on the web


def _example_baseline(example_store: Store):
    from sdgraph.derive import has_register_facts, register_copy

    if not has_register_facts(example_store):
        missing("the example's register facts come from ../shared/data/sources, which is absent")
    return derive(register_copy(example_store))


def _states(b: Basislijn, gemeente: str, day: str) -> dict[str, int]:
    counts = cells(b, gemeente, D(day))
    return {"bevestigd": 0, "afgeleid": counts["afgeleid"], "aangenomen": counts["aangenomen"],
            "onbekend": counts["onbekend"]}


def test_matrix_page_of_a_gemeente_without_inventory(client, example_store: Store) -> None:
    """Best (GM0753) has no inventory in the example: its matrix is the derived picture,
    with a banner, and its counts per state equal those of the Python derivation."""
    expected = _states(_example_baseline(example_store), "gm0753", "2024-07-01")
    assert expected["afgeleid"] > 0
    page = get_page(client, "/gemeente/GM0753/matrix?peildatum=2024-07-01")
    assert 'data-testid="afgeleid-beeld"' in page.html
    for state, label in (("afgeleid", "afgeleid uit de registers"),
                         ("aangenomen", "eigen organisatie (aangenomen)"),
                         ("onbekend", "onbekend (geen gegevens)")):
        assert f"{expected[state]} {label}" in page.text
    assert "0 bevestigd (inventaris)" in page.text
    evidence = [h for h, t in page.links if t == "afgeleid"]
    assert len(evidence) >= expected["afgeleid"]
    assert all("taakuitvoering%2Fafgeleid%2Fgm0753" in h or "taakuitvoering/afgeleid/gm0753" in h
               for h in evidence)
    body = client.get("/gemeente/GM0753/matrix.json?peildatum=2024-07-01").get_json()
    assert body["staten"] == {"bevestigd": 0, **{k: v for k, v in expected.items()
                                                 if k != "bevestigd"}}
    derived = [e for c in body["cells"] for e in c["entries"] if e["status"] == "afgeleid"]
    assert derived and all(e["regel"] and e["bewijs"] for e in derived)
    records = list(csv.DictReader(io.StringIO(client.get(
        "/gemeente/GM0753/matrix.csv?peildatum=2024-07-01").get_data(as_text=True))))
    sw = next(r for r in records if r["rij"] == "Sociale werkvoorziening")
    assert sw["Backoffice status"] == "afgeleid" and sw["Backoffice bewijs"].startswith(
        "gr-werkbedrijf: WSD")


def test_foto_of_a_gemeente_without_inventory(client, example_store: Store) -> None:
    expected = _states(_example_baseline(example_store), "gm0753", "2024-07-01")
    body = client.get("/gemeente/GM0753/foto.json?peildatum=2024-07-01").get_json()
    assert body["afgeleid_beeld"] is True
    assert body["staten"] == expected and "gaten" not in body
    partners = [p for c in body["per_wet_en_deelgebied"] for p in c["partners"]]
    assert partners and {p["status"] for p in partners} == {"afgeleid"}
    assert all(p["regel"] and p["bewijs"] for p in partners)
    assert sum(len(c["onbekend"]) for c in body["per_wet_en_deelgebied"]) == expected["onbekend"]
    page = get_page(client, "/gemeente/GM0753/foto?peildatum=2024-07-01")
    assert 'data-testid="afgeleid-beeld"' in page.html
    assert f'data-testid="onbekend">{expected["onbekend"]}<' in page.html
    assert "eigen organisatie of onbekend" not in page.text
    assert "Dat is een gat in de gegevens, niet per se in de uitvoering." in page.text


def test_cli_foto_of_a_gemeente_without_inventory(runner) -> None:
    from sdgraph.cli import main

    assert runner.invoke(main, ["init"]).exit_code == 0
    result = runner.invoke(main, ["foto", "GM0753", "--peildatum", "2024-07-01", "-f", "json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    if not body["staten"]["afgeleid"]:
        missing("the example's register facts come from ../shared/data/sources")
    assert body["afgeleid_beeld"] and "gaten" not in body
    text = runner.invoke(main, ["foto", "GM0753", "--peildatum", "2024-07-01"]).output
    assert "No inventory: this is the picture derived from the registers" in text
    assert "unknown (no uitvoerder in the data)" in text


def test_home_page_shows_the_coverage(client, example_store: Store) -> None:
    from sdgraph.derive.dekking import dekking

    lib = QueryLibrary()
    today = date.today().isoformat()
    d = dekking(lambda n, v: lib.get(n).run(example_store, dict(v)).dicts(), today)
    page = get_page(client, "/")
    rows = page.rows("tabel-dekking")
    assert [r[0]["text"] for r in rows] == ["bevestigd", "afgeleid", "aangenomen", "onbekend"]
    assert [int(r[1]["text"]) for r in rows] == [s.vakken for s in d.staten]
    assert sum(s.vakken for s in d.staten) == d.gemeenten * 105


def test_prefilled_template_round_trip(client, example_store: Store, tmp_path: Path) -> None:
    """Download Best's baseline as a workbook (the gemeente page links to it), answer
    ja / nee / anders on three rows, import it: two rows become inventory under Best's code,
    and they replace the derived records of their cells; any other answer is an error at
    its row."""
    from openpyxl import load_workbook

    from sdgraph.inventory import BEVESTIGD, import_sources

    _example_baseline(example_store)
    url = "/valideren/sjabloon.xlsx?gemeente=GM0753&peildatum=2024-07-01"
    assert url.replace("&", "&amp;") in client.get(
        "/gemeente/GM0753?peildatum=2024-07-01").get_data(as_text=True)
    response = client.get(url)
    assert response.status_code == 200
    path = tmp_path / "best.xlsx"
    path.write_bytes(response.get_data())
    book = load_workbook(path)
    sheet = book["Taakuitvoeringen"]
    header = [c.value for c in sheet[1]]
    rows = [r for r in sheet.iter_rows(min_row=2) if r[0].value]
    derived = [r for r in run(example_store, "wie-doet-wat", gemeente="GM0753",
                              peildatum="2024-07-01") if str(r["status"]) != "bevestigd"]
    assert len(rows) == len(derived)
    col = {name: header.index(name) for name in header}
    sw = next(r for r in rows if r[0].value == "sociale-werkvoorziening/backoffice")
    assert sw[col["uitvoerder"]].value.startswith("WSD")
    assert sw[col["status"]].value == "afgeleid" and "gr-werkbedrijf" in sw[col["bewijs"]].value
    beschut = next(r for r in rows if r[0].value == "beschut-werk/backoffice")
    visie = next(r for r in rows if r[0].value == "bijstand/visie-en-beleid")
    sw[col[BEVESTIGD]].value = "ja"
    beschut[col[BEVESTIGD]].value = "nee"
    visie[col[BEVESTIGD]].value = "anders"
    visie[col["uitvoerder"]].value = "WSD"
    book.save(path)
    imported = import_sources([Source.file(path)], example_store)
    tus = set(imported.graph.subjects(RDF.type, SD.Taakuitvoering))
    assert {str(t) for t in tus} == {
        "https://w3id.org/sdgraph/id/taakuitvoering/gm0753/sociale-werkvoorziening/backoffice",
        "https://w3id.org/sdgraph/id/taakuitvoering/gm0753/bijstand/visie-en-beleid"}
    assert {str(imported.graph.value(t, SD.uitvoerder)) for t in tus} == {
        "https://identifier.overheid.nl/tooi/id/so/so0292"}
    # loaded beside the example, they are the inventory of their cells
    from sdgraph.build import init_store
    from sdgraph.store import EmbeddedStore

    s = EmbeddedStore(None)
    init_store(s, "oirschot", SOURCES)
    s.load([Source(name="best.ttl", data=imported.graph.serialize(format="turtle").encode(),
                   graph=str(GRAPH["file/best"]))])
    after = run(s, "wie-doet-wat", gemeente="GM0753", peildatum="2024-07-01")
    status = {(str(r["taak"]).rsplit("/", 1)[-1], str(r["deelgebied"]).rsplit("/", 1)[-1]):
              str(r["status"]) for r in after}
    assert status[("sociale-werkvoorziening", "backoffice")] == "bevestigd"
    assert status[("bijstand", "visie-en-beleid")] == "bevestigd"
    assert status[("beschut-werk", "backoffice")] == "afgeleid"
    s.close()
    # an answer other than ja, nee or anders is an error naming its row
    from sdgraph.inventory import ImportErrors

    beschut[col[BEVESTIGD]].value = "misschien"
    book.save(path)
    with pytest.raises(ImportErrors) as err:
        import_sources([Source.file(path)], example_store)
    [issue] = err.value.issues
    assert (issue.key, issue.row, issue.value) == ("not_an_answer", beschut[0].row, "misschien")
