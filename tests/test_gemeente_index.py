"""The per-gemeente index of the ``# index: gemeente`` queries (sdgraph.gemeente_index)
gives the live query's rows: the expectation is the query itself, run on the same store
(a second path), for every gemeente; on hand-written data with the edge cases (two
labels of one maatstaf, a value without unit, a gemeente without rows, a prefix) and,
in tests/test_foto_nationaal.py, on the national reference graph. It is never served
stale, and a load that does not touch what a query reads keeps its entries."""

from __future__ import annotations

import itertools

import pytest
from rdflib import Literal, URIRef

from sdgraph import gemeente_index
from sdgraph.matrix_index import _key
from sdgraph.queries import QueryLibrary, bundled_library, parse_query
from sdgraph.store import EmbeddedStore, Source, Store

GM = "https://identifier.overheid.nl/tooi/id/gemeente/"
DATA = f"""
@prefix sd: <https://w3id.org/sdgraph/def#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ds: <https://w3id.org/sdgraph/id/dataset/> .
@prefix m: <https://w3id.org/sdgraph/id/maatstaf/> .
@prefix o: <https://w3id.org/sdgraph/id/test/obs/> .
m:wmo-clienten rdfs:label "Wmo-cliënten"@nl, "Wmo-cliënten" , "Wmo clients"@en .
m:iv3-lasten-6.1 rdfs:label "Lasten 6.1"@nl .
o:1 a qb:Observation ; sd:gemeente <{GM}gm0823> ; qb:dataSet ds:test-a ; sd:periode "2023" ;
    sd:maatstaf m:wmo-clienten ; sd:waarde 410 ; sd:eenheid "aantal" .
o:2 a qb:Observation ; sd:gemeente <{GM}gm0823> ; qb:dataSet ds:test-a ; sd:periode "2022" ;
    sd:maatstaf m:iv3-lasten-6.1 ; sd:waarde 1200.5 .
o:3 a qb:Observation ; sd:gemeente <{GM}gm0823> ; qb:dataSet ds:test-b ; sd:periode "2022" ;
    sd:maatstaf m:iv3-lasten-6.1 ; sd:waarde 1200.5 .
o:4 a qb:Observation ; sd:gemeente <{GM}gm0344> ; qb:dataSet ds:test-a ; sd:periode "2023" ;
    sd:maatstaf m:onbenoemd ; sd:waarde 7 .
<{GM}gm0788> sd:opgevolgdDoor <{GM}gm0823> , <{GM}gm1948> ; rdfs:label "Haaren"@nl .
<{GM}gm0823> rdfs:label "Oirschot"@nl ; sd:gemeentecode "GM0823" .
<https://w3id.org/sdgraph/id/test/herindeling> sd:opgeheven <{GM}gm0788> ;
    sd:ontstaan <{GM}gm0823> ; sd:datum "2021-01-01"^^xsd:date .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix t: <https://w3id.org/sdgraph/id/test/> .
t:indeling rdfs:label "Testindeling"@nl , "Test division"@en .
t:regio a sd:Regio ; sd:regioindeling t:indeling ; rdfs:label "Testregio"@nl ;
    sd:regiocode "TR01" ; sd:peiljaar 2020 ; sd:centrumgemeente <{GM}gm0344> .
<{GM}gm0344> rdfs:label "Utrecht"@nl .
t:lid-1 a sd:Lidmaatschap ; org:member <{GM}gm0823> ; org:organization t:regio ;
    sd:toetredingsdatum "2020-01-01"^^xsd:date ; sd:uittredingsdatum "2023-01-01"^^xsd:date .
t:lid-2 a sd:Lidmaatschap ; org:member <{GM}gm0344> ; org:organization t:regio .
t:contract a sd:Overeenkomst ; rdfs:label "Inkoop jeugdhulp"@nl ;
    sd:opdrachtgever <{GM}gm0823> ; sd:opdrachtnemer t:aanbieder-a , t:aanbieder-b ;
    sd:startdatum "2020-01-01"^^xsd:date ; sd:einddatum "2023-01-01"^^xsd:date ;
    sd:opzegtermijnMaanden 6 ; sd:jaarwaardeEUR 125000 .
t:aanbieder-a rdfs:label "Aanbieder A"@nl .
t:aanbieder-b rdfs:label "Aanbieder B"@nl .
t:contract-open a sd:Overeenkomst ; sd:opdrachtgever <{GM}gm0344> .
t:tu a sd:Taakuitvoering ; sd:gemeente <{GM}gm0344> ; sd:via t:contract .
"""
GRAPH = "https://w3id.org/sdgraph/graph/test/gemeente-index"
OTHER = "https://w3id.org/sdgraph/graph/test/other"
# before, on and after the validity bounds of the data below
DAYS = ("2015-06-01", "2020-01-01", "2022-12-31", "2023-01-01", "2026-12-04")
GEMEENTEN = [URIRef(GM + c) for c in ("gm0823", "gm0344", "gm0788", "gm1948", "gm0014")]


def same(store: Store, gemeenten: list[URIRef], days: tuple[str, ...] = DAYS,
         library: QueryLibrary | None = None) -> int:
    """Assert index and live query agree for every indexed query, gemeente and (for a
    query with them) peildatum and language; returns the number of non-empty results."""
    filled = 0
    for query in gemeente_index.indexed(library or bundled_library()):
        at = gemeente_index.order(query)
        dated = gemeente_index.valid(query) is not None
        langs = ("nl", "en") if any(p.name == "lang" for p in query.params) else (None,)
        for gm, day, lang in itertools.product(gemeenten, days if dated else (None,), langs):
            values = {"gemeente": str(gm), "peildatum": day, "lang": lang}
            bindings = query.terms({k: v for k, v in values.items() if v is not None})
            live = store.query(query.text, bindings)
            indexed = gemeente_index.answer(store, query, bindings)
            assert indexed is not None, (query.name, values)
            assert indexed.columns == live.columns
            assert sorted(map(repr, indexed.rows)) == sorted(map(repr, live.rows)), \
                (query.name, values)
            if at:  # ordered as the query's ORDER BY (ties may differ)
                cols = [live.columns.index(c.strip()) for c in at.split(",")]
                assert [[_key(r[i]) for i in cols] for r in indexed.rows] == \
                    [[_key(r[i]) for i in cols] for r in live.rows], (query.name, values)
            filled += bool(live.rows)
    return filled


@pytest.fixture
def data_store(tmp_path) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path / "store")
    store.load([Source(name="index.ttl", data=DATA.encode())], graph=GRAPH)
    yield store
    store.close()


def test_the_indexed_queries_are_the_gemeente_page_ones() -> None:
    assert {q.name for q in gemeente_index.indexed(bundled_library())} == {
        "kerncijfers", "opvolging", "regio-indeling", "contracten"}
    text = gemeente_index.national_text(bundled_library().get("kerncijfers"))
    assert "SELECT DISTINCT ?gemeente ?dataset" in text and "ORDER BY" not in text


def test_index_gives_the_live_rows_and_is_never_stale(data_store: EmbeddedStore) -> None:
    store = data_store
    kerncijfers = bundled_library().get("kerncijfers")
    bindings = kerncijfers.terms({"gemeente": "GM0823"})
    assert gemeente_index.answer(store, kerncijfers, bindings) is None  # not built yet
    done = {name: count for name, count, _ in gemeente_index.refresh(store)}
    # kerncijfers: gm0823 and gm0344; opvolging: gm0788 (successors), gm0823 and gm1948
    # contracten: gm0823, gm0344 and (the query's ?gemeente is any party) both aanbieders
    assert done == {"kerncijfers": 2, "opvolging": 3, "regio-indeling": 2, "contracten": 4}
    assert gemeente_index.refresh(store) == []  # current: nothing recomputed
    # non-empty results, by hand: kerncijfers 2 gemeenten, opvolging 3; regio-indeling
    # gm0823 on 2 of the days (from 2020-01-01 to 2023-01-01) and gm0344 on all 5, in
    # 2 languages: 14; contracten gm0823 on 2 days, gm0344 (a contract without dates) on 5
    assert same(store, GEMEENTEN) == 2 + 3 + 14 + 7
    contracten = bundled_library().get("contracten")
    rows = contracten.run(store, {"gemeente": "GM0344", "peildatum": "2022-12-31"}).dicts()
    assert sorted((str(r["rol"]), str(r["aantalOpdrachtnemers"]), str(r["uitersteOpzegdatum"]))
                  for r in rows) == [("partij", "0", "None"),
                                     ("via taakuitvoering", "2", "2022-07-01")]
    regio = bundled_library().get("regio-indeling")
    [row] = regio.run(store, {"gemeente": "GM0823", "peildatum": "2022-12-31",
                              "lang": "en"}).dicts()
    assert (str(row["indelingNaam"]), str(row["naam"]), str(row["peiljaar"])) == (
        "Test division", "Testregio", "2020")
    assert not regio.run(store, {"gemeente": "GM0823", "peildatum": "2023-01-01"}).rows
    rows = gemeente_index.answer(store, kerncijfers, bindings)
    # by hand: o:1 twice (its label in Dutch and without language), o:2 and o:3 (one row
    # each: another dataset), sorted by dataset, periode, maatstaf
    assert [(str(r[0]), str(r[1]), str(r[2]), str(r[3] or "")) for r in rows.rows] == [
        ("test-a", "2022", "iv3-lasten-6.1", "Lasten 6.1"),
        ("test-a", "2023", "wmo-clienten", "Wmo-cliënten"),
        ("test-a", "2023", "wmo-clienten", "Wmo-cliënten"),
        ("test-b", "2022", "iv3-lasten-6.1", "Lasten 6.1")]
    # a prefix is not indexed: the query runs live, and filters
    assert gemeente_index.answer(store, kerncijfers, kerncijfers.terms(
        {"gemeente": "GM0823", "prefix": "iv3"})) is None
    assert len(kerncijfers.run(store, {"gemeente": "GM0823", "prefix": "iv3"}).rows) == 2

    # a load of a predicate kerncijfers reads makes its entries stale (never served) ...
    extra = (f"<https://w3id.org/sdgraph/id/test/obs/5> <https://w3id.org/sdgraph/def#waarde> 3 ;"
             f" <https://w3id.org/sdgraph/def#gemeente> <{GM}gm0344> .\n").encode()
    store.load([Source(name="extra.ttl", data=extra)], graph=OTHER)
    assert gemeente_index.answer(store, kerncijfers, bindings) is None
    # ... while opvolging, which reads none of those predicates, stays served
    opvolging = bundled_library().get("opvolging")
    assert gemeente_index.answer(store, opvolging, opvolging.terms({"gemeente": "GM0788"}))
    # (contracten reads sd:gemeente too)
    assert [n for n, _, _ in gemeente_index.refresh(store, [OTHER])] == ["contracten",
                                                                          "kerncijfers"]
    assert same(store, GEMEENTEN) == 26
    store.drop_graph(GRAPH)
    gemeente_index.refresh(store, [GRAPH])
    assert same(store, GEMEENTEN) == 0


def test_a_materialising_store_keeps_the_index_current(tmp_path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    store.materialise = True
    try:
        store.load([Source(name="index.ttl", data=DATA.encode())], graph=GRAPH)
        opvolging = bundled_library().get("opvolging")
        assert gemeente_index.answer(store, opvolging, opvolging.terms({"gemeente": "GM0823"}))
        assert same(store, GEMEENTEN) == 26
    finally:
        store.close()


def test_a_changed_query_text_is_not_served_from_the_old_entries(data_store) -> None:
    gemeente_index.refresh(data_store)
    query = bundled_library().get("opvolging")
    changed = parse_query(query.text.replace("SELECT DISTINCT", "SELECT DISTINCT ", 1), "opvolging")
    assert gemeente_index.answer(data_store, changed, changed.terms({"gemeente": "GM0788"})) is None


def test_an_unknown_index_is_a_clear_error() -> None:
    from sdgraph.errors import UserError

    with pytest.raises(UserError, match="line 1: unknown index 'regio'"):
        parse_query("# index: regio\nSELECT ?gemeente WHERE { ?gemeente ?p ?o }", "x")


def test_same_rows_for_literals_of_every_kind(data_store) -> None:
    gemeente_index.refresh(data_store)
    rows = gemeente_index.answer(data_store, bundled_library().get("kerncijfers"),
                                 {"gemeente": URIRef(GM + "gm0344"), "prefix": None})
    assert [r[4] for r in rows.rows] == [Literal(7)]
