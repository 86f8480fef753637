"""The per-gemeente lidmaatschappen index (sdgraph.lidmaatschap_index) gives the rows of
the live SPARQL query: the expectation is the query's own result on the same store (a
second path), for every gemeente with memberships, several peildata (before the first
ROO registration, the start of a college period, today) and both languages; and it is
never served stale."""

from __future__ import annotations

from conftest import index_serves_once_current
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from sdgraph import lidmaatschap_index
from sdgraph.matrix_index import _key
from sdgraph.queries import bundled_library
from sdgraph.store import Source, Store

# 1990: before the first registration in ROO of every regeling; 2022-03-30: the start of
# the college period after the 2022 elections (the foto's second date)
DAYS = ("1990-01-01", "2014-06-01", "2020-07-02", "2022-03-30", "2024-01-01", "2026-12-04")
GR = "https://w3id.org/sdgraph/id/test/gr-extra"
EXTRA = f"""
@prefix sd: <https://w3id.org/sdgraph/def#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{GR}> a sd:GemeenschappelijkeRegeling ; rdfs:label "Testregeling"@nl .
<{GR}/v1> sd:versieVan <{GR}> ; sd:geldigVanaf "2020-01-01"^^xsd:date ;
    sd:geldigTot "2023-01-01"^^xsd:date ; sd:citeertitel "Eerste" .
<{GR}/v2> sd:versieVan <{GR}> ; sd:geldigVanaf "2022-01-01"^^xsd:date ; sd:citeertitel "Tweede" .
<{GR}/lid> a sd:Lidmaatschap ; org:member <https://identifier.overheid.nl/tooi/id/gemeente/gm0823> ;
    org:organization <{GR}> ; sd:toetredingsdatum "2019-01-01"^^xsd:date .
"""
EXTRA_GRAPH = "https://w3id.org/sdgraph/graph/test/extra-lidmaatschap"
ORDER = ("naam", "citeertitel", "roo_id")


def _cases(store: Store):
    query = bundled_library().get("lidmaatschappen")
    gemeenten = sorted(r[0] for r in store.select(
        "PREFIX sd: <https://w3id.org/sdgraph/def#> PREFIX org: <http://www.w3.org/ns/org#> "
        "SELECT DISTINCT ?g WHERE { ?l a sd:Lidmaatschap ; org:member ?g }").rows)
    assert URIRef("https://identifier.overheid.nl/tooi/id/gemeente/gm0823") in gemeenten
    for day in DAYS:
        for lang in ("nl", "en"):
            for gm in gemeenten:
                yield query, {"gemeente": gm, "peildatum": Literal(day, datatype=XSD.date),
                              "lang": Literal(lang)}


def _same(store: Store) -> tuple[int, set[str]]:
    """Compare index and live query on every case: the number of non-empty results and
    the registratie texts seen."""
    filled, registraties = 0, set()
    for query, bindings in _cases(store):
        live = store.query(query.text, bindings)
        indexed = lidmaatschap_index.answer(store, query, bindings)
        assert indexed is not None, bindings
        assert indexed.columns == live.columns
        # the same rows, each once, and ordered as the query's ORDER BY
        assert sorted(map(repr, indexed.rows)) == sorted(map(repr, live.rows)), bindings
        at = [live.columns.index(c) for c in ORDER]
        assert [[_key(r[i]) for i in at] for r in indexed.rows] == \
            [[_key(r[i]) for i in at] for r in live.rows], bindings
        filled += bool(live.rows)
        i = live.columns.index("registratie")
        registraties |= {str(r[i]) for r in live.rows if r[i] is not None}
    return filled, registraties


def test_index_gives_the_live_rows_and_follows_loads(store: Store) -> None:
    values = {"gemeente": "GM0823", "peildatum": "2020-07-02"}
    query, _ = index_serves_once_current(store, lidmaatschap_index, "lidmaatschappen", values)
    filled, registraties = _same(store)
    assert filled > 10
    # the cases include memberships before the first registration in ROO
    assert "vóór de eerste registratie in ROO" in registraties
    assert "before the first record in ROO" in registraties

    # a load without materialisation makes the index stale: never served
    store.load([Source(name="extra.ttl", data=EXTRA.encode())], graph=EXTRA_GRAPH)
    assert not lidmaatschap_index.current(store)
    assert lidmaatschap_index.answer(store, query, query.terms(values)) is None
    lidmaatschap_index.refresh(store, [EXTRA_GRAPH])
    assert lidmaatschap_index.current(store)
    _same(store)
    # overlapping versions: the one that began last; before it began, the first
    i = query.run(store, values).columns.index("citeertitel")
    for day, titel in (("2021-06-01", "Eerste"), ("2022-06-01", "Tweede")):
        rows = query.run(store, {"gemeente": "GM0823", "peildatum": day}).rows
        assert [str(r[i]) for r in rows if str(r[0]) == GR] == [titel]
    store.drop_graph(EXTRA_GRAPH)
    lidmaatschap_index.refresh(store, [EXTRA_GRAPH])
    _same(store)


def test_a_materialising_store_keeps_the_index_current(materialising_example) -> None:
    store = materialising_example
    assert lidmaatschap_index.current(store)
    store.load([Source(name="extra.ttl", data=EXTRA.encode())], graph=EXTRA_GRAPH)
    assert lidmaatschap_index.current(store)
    _same(store)
