"""The overlap index (sdgraph.overlap_index) gives the rows of the live SPARQL query
``overlap-gemeente``: the expectation is the query's own result on a copy of the same
graphs in the embedded engine (a second path, and on the servers a second engine:
Virtuoso 7.2's own answer lost the toetredingsdata of Oirschot's GR memberships in a
full test session, docs/deploy.md), for every gemeente of the Oirschot example with
its register facts, on days across the history, for three reference indelingen and
both languages (and ``overlap``, every pair of those indelingen), after made-up data
that reaches the query's corners (a member that left, a date that cannot be compared,
a member that is no gemeente, two names, a seat in a board that is no regio or GR);
and it is never served stale."""

from __future__ import annotations

from conftest import index_serves_once_current
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from sdgraph import overlap_index
from sdgraph.matrix_index import _key
from sdgraph.namespaces import META_GRAPH
from sdgraph.queries import bundled_library
from sdgraph.store import EmbeddedStore, Source, Store

DAYS = ("1990-01-01", "2016-03-01", "2020-07-02", "2024-01-01", "2026-12-04")
INDELINGEN = ("https://w3id.org/sdgraph/id/regioindeling/jeugdregio",
              "https://w3id.org/sdgraph/id/regioindeling/arbeidsmarktregio",
              "https://w3id.org/sdgraph/def#GemeenschappelijkeRegeling")
OIRSCHOT = "https://identifier.overheid.nl/tooi/id/gemeente/gm0823"
BEST = "https://identifier.overheid.nl/tooi/id/gemeente/gm1724"
GR = "https://w3id.org/sdgraph/id/test/gr-overlap"
EXTRA = f"""
@prefix sd: <https://w3id.org/sdgraph/def#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{GR}> a sd:GemeenschappelijkeRegeling ; rdfs:label "Testregeling"@nl, "Andere naam" .
<{GR}/oirschot> a sd:Lidmaatschap ; org:member <{OIRSCHOT}> ; org:organization <{GR}> ;
    sd:toetredingsdatum "2015-01-01"^^xsd:date .
<{GR}/best> a sd:Lidmaatschap ; org:member <{BEST}> ; org:organization <{GR}> ;
    sd:toetredingsdatum "2015-01-01"^^xsd:date ; sd:uittredingsdatum "2021-01-01"^^xsd:date .
<{GR}/vreemd> a sd:Lidmaatschap ; org:member <{BEST}> ; org:organization <{GR}> ;
    sd:toetredingsdatum "2015" .
<{GR}/provincie> a sd:Lidmaatschap ; org:organization <{GR}> ;
    org:member <https://identifier.overheid.nl/tooi/id/provincie/pv30> .
<{GR}/ab> a sd:AlgemeenBestuur .
<{GR}/zetel> a sd:Vertegenwoordiging ; org:member <{OIRSCHOT}> ; org:organization <{GR}/ab> .
"""
EXTRA_GRAPH = "https://w3id.org/sdgraph/graph/test/extra-overlap"
ORDER = {"overlap-gemeente": ("jaccard", "soortNaam", "naam"),
         "overlap": ("jaccard", "gedeeld", "aNaam", "bNaam")}


def _cases(store: Store):
    query = bundled_library().get("overlap-gemeente")
    gemeenten = sorted(r[0] for r in store.select(
        "PREFIX sd: <https://w3id.org/sdgraph/def#> SELECT ?g WHERE { ?g a sd:Gemeente }").rows)
    assert URIRef(OIRSCHOT) in gemeenten
    for day in DAYS:
        for indeling in INDELINGEN:
            for lang in ("nl", "en") if day == DAYS[-1] else ("nl",):  # (names of soorten)
                for gm in gemeenten:
                    yield query, {"gemeente": gm, "peildatum": Literal(day, datatype=XSD.date),
                                  "indeling": URIRef(indeling), "lang": Literal(lang)}


def _pairs(store: Store):
    query = bundled_library().get("overlap")
    for day in DAYS:
        for first in INDELINGEN:
            for second in INDELINGEN:
                for lang in ("nl", "en") if day == DAYS[-1] else ("nl",):
                    yield query, {"indelingA": URIRef(first), "indelingB": URIRef(second),
                                  "peildatum": Literal(day, datatype=XSD.date),
                                  "lang": Literal(lang)}


def _copy(store: Store) -> EmbeddedStore:
    """Every named graph of ``store``, triple for triple, in an in-memory embedded store."""
    copy = EmbeddedStore(None)
    sources = []
    graphs = store.named_graphs()
    for graph in graphs:
        triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
                              {"g": URIRef(graph)})
        sources.append(Source(name="copy.nt", data=triples.serialize(format="nt").encode(),
                              graph=graph))
    copy.load(sources)
    # (the copy's load adds its own provenance records to the graph that keeps them)
    assert [copy.graph_size(g) for g in graphs if g != str(META_GRAPH)] == \
        [store.graph_size(g) for g in graphs if g != str(META_GRAPH)]
    return copy


def _same(store: Store) -> int:
    """Compare index and live query (on a copy, :func:`_copy`) on every case; the number
    of non-empty results."""
    filled = 0
    oracle = _copy(store)
    for query, bindings in [*_cases(store), *_pairs(store)]:
        live = oracle.query(query.text, bindings)
        indexed = overlap_index.answer(store, query, bindings)
        assert indexed is not None, bindings
        assert indexed.columns == live.columns
        # the same rows, each once, and ordered as the query's ORDER BY
        assert sorted(map(repr, indexed.rows)) == sorted(map(repr, live.rows)), bindings
        at = [live.columns.index(c) for c in ORDER[query.name]]
        assert [[_key(r[i]) for i in at] for r in indexed.rows] == \
            [[_key(r[i]) for i in at] for r in live.rows], bindings
        filled += bool(live.rows)
    return filled


def test_index_gives_the_live_rows_and_follows_loads(store: Store) -> None:
    values = {"gemeente": "GM0823", "peildatum": "2020-07-02"}
    query, count = index_serves_once_current(store, overlap_index, "overlap-gemeente", values)
    assert count >= 10 and _same(store) > 10

    # a load without materialisation makes the index stale: never served
    store.load([Source(name="extra.ttl", data=EXTRA.encode())], graph=EXTRA_GRAPH)
    assert not overlap_index.current(store)
    assert overlap_index.answer(store, query, query.terms(values)) is None
    overlap_index.refresh(store, [EXTRA_GRAPH])
    assert overlap_index.current(store)
    _same(store)
    # the made-up GR: Best counts while its membership holds (the one dated "2015" never
    # does), the provincie never; both names, each a row (a name without a language sorts
    # first on every engine: the order of a plain and a tagged literal is the engine's)
    rows = query.run(store, {"gemeente": "GM0823", "peildatum": "2020-07-02"}).dicts()
    mine = [r for r in rows if str(r["organisatie"]) == GR]
    assert sorted(str(r["naam"]) for r in mine) == ["Andere naam", "Testregeling"]
    assert {int(r["aantal"]) for r in mine} == {2}
    later = query.run(store, {"gemeente": "GM0823", "peildatum": "2022-07-02"}).dicts()
    assert {int(r["aantal"]) for r in later if str(r["organisatie"]) == GR} == {1}
    # the GR's pairs: it shares Oirschot with every GR of Oirschot, and Best until 2021
    pairs = bundled_library().get("overlap").run(store, {
        "indelingA": INDELINGEN[2], "indelingB": INDELINGEN[2], "peildatum": "2020-07-02"})
    assert any(GR in (str(r["a"]), str(r["b"])) for r in pairs.dicts())
    store.drop_graph(EXTRA_GRAPH)
    overlap_index.refresh(store, [EXTRA_GRAPH])
    _same(store)
    # a resource typed with a regio-indeling's IRI: `overlap` reads it, the index does not
    store.load([Source(name="odd.ttl", data=(
        f"<urn:x:odd> a <{INDELINGEN[0]}> .").encode())], graph=EXTRA_GRAPH)
    overlap_index.refresh(store, [EXTRA_GRAPH])
    query, bindings = next(_pairs(store))
    assert overlap_index.current(store)
    assert overlap_index.answer(store, query, bindings) is None
    store.drop_graph(EXTRA_GRAPH)


def test_a_materialising_store_keeps_the_index_current(materialising_example) -> None:
    store = materialising_example
    assert overlap_index.current(store)
    store.load([Source(name="extra.ttl", data=EXTRA.encode())], graph=EXTRA_GRAPH)
    assert overlap_index.current(store)
    _same(store)
