"""The per-gemeente wie-doet-wat index (sdgraph.matrix_index) gives the rows of the
live SPARQL queries: the expectations are the queries' own results on the same store
(a second path), for several peildata, languages, laws, regio's and klantreizen; and
it is never served stale."""

from __future__ import annotations

import pytest
from conftest import index_serves_once_current
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from sdgraph import materialise, matrix_index
from sdgraph.queries import bundled_library
from sdgraph.store import Source, Store

GM = "https://identifier.overheid.nl/tooi/id/gemeente/"
SO = "https://identifier.overheid.nl/tooi/id/so/"
JEUGDWET = URIRef("https://w3id.org/sdgraph/id/wet/BWBR0034925")
DAYS = ("2014-06-01", "2020-07-02", "2024-01-01", "2026-12-04")
EXTRA = """
@prefix sd: <https://w3id.org/sdgraph/def#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/sdgraph/id/taakuitvoering/gm0823/test/toegang-wmo>
    a sd:Taakuitvoering ;
    sd:gemeente <https://identifier.overheid.nl/tooi/id/gemeente/gm0823> ;
    sd:taak <https://w3id.org/sdgraph/id/taak/toegang-wmo> ;
    sd:deelgebied <https://w3id.org/sdgraph/id/deelgebied/toegang> ;
    sd:uitvoerder <https://identifier.overheid.nl/tooi/id/gemeente/gm0772> ;
    sd:geldigVanaf "2026-01-01"^^xsd:date ; sd:illustratief true .
"""
EXTRA_GRAPH = "https://w3id.org/sdgraph/graph/test/extra-gm0823"


def _day(d: str) -> Literal:
    return Literal(d, datatype=XSD.date)


def _cases(store: Store):
    lib = bundled_library()
    gemeenten = [r[0] for r in store.select(
        "PREFIX sd: <https://w3id.org/sdgraph/def#> SELECT DISTINCT ?g WHERE "
        "{ ?t a sd:Taakuitvoering ; sd:gemeente ?g }").rows]
    orgs = [r[0] for r in store.select(
        "PREFIX sd: <https://w3id.org/sdgraph/def#> PREFIX org: <http://www.w3.org/ns/org#> "
        "SELECT DISTINCT ?o WHERE { ?l a sd:Lidmaatschap ; org:organization ?o ; "
        "org:member ?g . ?t sd:gemeente ?g }").rows]
    reizen = [r[0] for r in store.select(
        "PREFIX sd: <https://w3id.org/sdgraph/def#> SELECT ?k WHERE { ?k a sd:Klantreis }").rows]
    assert URIRef(GM + "gm0823") in gemeenten and URIRef(SO + "so0665") in orgs and reizen
    # the example's gemeente (inventory and baseline), three with the baseline only, the
    # example's GR and one other organisation with such members
    own = URIRef(GM + "gm0823")
    gemeenten = [own, *sorted(g for g in gemeenten if g != own)[:3]]
    orgs = [URIRef(SO + "so0665"), *sorted(o for o in orgs if o != URIRef(SO + "so0665"))[:1]]
    for day in DAYS:
        for lang in ("nl", "en"):
            for gm in gemeenten:
                for wet in (None, JEUGDWET):
                    yield lib.get("wie-doet-wat"), {"gemeente": gm, "peildatum": _day(day),
                                                    "lang": Literal(lang), "wet": wet}
                for reis in reizen:
                    yield lib.get("klantreis"), {"gemeente": gm, "klantreis": reis,
                                                 "peildatum": _day(day), "lang": Literal(lang)}
            for org in orgs:
                yield lib.get("wie-doet-wat-regio"), {
                    "organisatie": org, "peildatum": _day(day), "lang": Literal(lang),
                    "wet": None, "deelgebied": None}


def _same(store: Store) -> int:
    """Compare index and live query on every case; the number of non-empty results."""
    filled = 0
    for query, bindings in _cases(store):
        live = store.query(query.text, bindings)
        indexed = matrix_index.answer(store, query, bindings)
        assert indexed is not None, (query.name, bindings)
        assert indexed.columns == live.columns
        # the same rows, each as often, in an order the query's ORDER BY allows
        assert sorted(map(repr, indexed.rows)) == sorted(map(repr, live.rows)), (
            query.name, bindings)
        filled += bool(live.rows)
    return filled


def test_index_gives_the_live_rows_and_follows_loads(store: Store) -> None:
    values = {"gemeente": "GM0823", "peildatum": "2020-07-02"}
    query, _ = index_serves_once_current(store, matrix_index, "wie-doet-wat", values)
    assert _same(store) > 10

    # a load without materialisation makes the index stale: never served
    store.load([Source(name="extra.ttl", data=EXTRA.encode())], graph=EXTRA_GRAPH)
    assert not matrix_index.current(store)
    assert matrix_index.answer(store, query, query.terms(values)) is None
    # the load's refresh recomputes only the gemeente whose records the graph holds
    count, _ = matrix_index.refresh(store, [EXTRA_GRAPH])
    assert count == 1 and matrix_index.current(store)
    _same(store)
    new = query.run(store, {"gemeente": "GM0823", "peildatum": "2026-06-01"})
    assert any(str(r[new.columns.index("taakuitvoering")]).endswith("test/toegang-wmo")
               for r in new.rows)
    # dropping it: the same gemeente again, and its row is gone
    store.drop_graph(EXTRA_GRAPH)
    count, _ = matrix_index.refresh(store, [EXTRA_GRAPH])
    assert count == 1
    _same(store)


def _tick(store: Store) -> str:
    """Load a one-triple graph whose predicate the index does not read; its IRI."""
    tick = "https://w3id.org/sdgraph/graph/test/tick"
    store.load([Source(name="tick.nt", graph=tick, data=(
        f"<{tick}> <https://w3id.org/sdgraph/def#benchTick> \"1\" .\n").encode())])
    return tick


def test_a_materialising_store_keeps_the_index_current(materialising_example) -> None:
    store = materialising_example
    assert matrix_index.current(store)
    store.load([Source(name="extra.ttl", data=EXTRA.encode())], graph=EXTRA_GRAPH)
    assert matrix_index.current(store)
    _same(store)
    # a load of data the index does not read (none of its predicates) leaves it current,
    # even without the load's refresh, and its refresh recomputes nothing
    store.materialise = False
    tick = _tick(store)
    assert matrix_index.current(store)
    assert matrix_index.refresh(store, [tick])[0] == 0


@pytest.mark.parametrize("lang", ["fr"])
def test_other_languages_run_live(lang: str, tmp_path) -> None:
    from sdgraph.store.embedded import EmbeddedStore

    store = EmbeddedStore(tmp_path / "s")
    query = bundled_library().get("wie-doet-wat")
    bindings = query.terms({"gemeente": "GM0823", "peildatum": "2020-07-02", "lang": lang})
    assert matrix_index.answer(store, query, bindings) is None
    store.close()


def test_a_refresh_catches_up_with_a_load_that_did_not_refresh(materialising_example) -> None:
    """A load without the refresh (gemeente GM0823's records change), then a materialising
    load of data the index does not read: the refresh recomputes what changed since the
    index was last current (from the load records it keeps), not only what the last load
    wrote, so the index is current and gives the live rows, the new record among them."""
    store = materialising_example
    assert matrix_index.current(store)
    store.materialise = False
    store.load([Source(name="extra.ttl", data=EXTRA.encode())], graph=EXTRA_GRAPH)
    assert not matrix_index.current(store)
    store.materialise = True
    _tick(store)
    assert matrix_index.current(store)
    query = bundled_library().get("wie-doet-wat")
    bindings = query.terms({"gemeente": "GM0823", "peildatum": "2026-06-01"})
    indexed = matrix_index.answer(store, query, bindings)
    assert indexed is not None and any(
        str(r[indexed.columns.index("taakuitvoering")]).endswith("test/toegang-wmo")
        for r in indexed.rows)
    _same(store)


def _entries(store: Store) -> dict[tuple[str, str], tuple[list[str], list[str]]]:
    """Every entry of the index: its columns and its rows (sorted), per gemeente and taal."""
    from sdgraph.materialise import _from_json

    found = store.select(
        "PREFIX sd: <https://w3id.org/sdgraph/def#> SELECT ?g ?l ?r WHERE { GRAPH "
        f"<{matrix_index.INDEX_GRAPH}> {{ ?e sd:gemeente ?g ; sd:taal ?l ; sd:resultaat ?r }} }}"
    ).rows
    out = {}
    for gm, lang, result in found:
        table = _from_json(str(result))
        out[(str(gm), str(lang))] = (table.columns, sorted(map(repr, table.rows)))
    return out


def test_the_whole_index_in_parts_run_at_once_is_the_same(
        materialising_example, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole index made in three parts run at once (as with many gemeenten on several
    cores) has the entries of one query, and gives the live rows."""
    store = materialising_example
    drop = f"DROP SILENT GRAPH <{matrix_index.INDEX_GRAPH}>"  # entries and marker
    monkeypatch.setattr(matrix_index, "PARALLEL_FROM", 10**6)  # one query
    store.update(drop)
    assert matrix_index.refresh(store)[0] > 0 and matrix_index.current(store)
    one = _entries(store)
    assert len({gm for gm, _ in one}) >= 3 and {lang for _, lang in one} == {"nl", "en"}
    monkeypatch.setattr(matrix_index, "PARALLEL_FROM", 1)
    monkeypatch.setattr(materialise, "workers", lambda: 3)
    store.update(drop)
    assert matrix_index.refresh(store)[0] > 0 and matrix_index.current(store)
    assert _entries(store) == one
    assert _same(store) > 10
