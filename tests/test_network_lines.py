"""The ``netwerk`` rows from the wie-doet-wat index (sdgraph.network_lines) are the rows of
the live SPARQL query: the expectations are the query's own results on the same store (a
second path), for several peildata, both languages, a wet and a deelgebied filter, several
gemeenten at once (the regional network); never served from a stale index; and the
regional network's page is the same either way."""

from __future__ import annotations

import json

import pytest
from conftest import SOURCES, missing
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from sdgraph import matrix_index, network_lines
from sdgraph.build import init_store
from sdgraph.pages import netwerk as pages
from sdgraph.queries import bundled_library
from sdgraph.runner import Runner
from sdgraph.store import Source, Store

GM = "https://identifier.overheid.nl/tooi/id/gemeente/"
SO = "https://identifier.overheid.nl/tooi/id/so/"
JEUGDWET = URIRef("https://w3id.org/sdgraph/id/wet/BWBR0034925")
JEUGD = URIRef("https://w3id.org/sdgraph/id/deelgebied/jeugd")
DAYS = ("2014-06-01", "2020-07-02", "2022-06-01", "2026-12-04")
#: a contract Oirschot neither commissions nor runs a taak through, whose opdrachtgever is
#: another gemeente: it is in that gemeente's network only
EXTRA = """
@prefix sd: <https://w3id.org/sdgraph/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/sdgraph/id/overeenkomst/test/gm0772-extra>
    a sd:Overeenkomst ; rdfs:label "Extra contract"@nl ;
    sd:opdrachtgever <https://identifier.overheid.nl/tooi/id/gemeente/gm0772> ;
    sd:opdrachtnemer <https://w3id.org/sdgraph/id/aanbieder/test/extra> ;
    sd:startdatum "2020-01-01"^^xsd:date .
"""
EXTRA_GRAPH = "https://w3id.org/sdgraph/graph/test/extra-netwerk"


def _day(d: str) -> Literal:
    return Literal(d, datatype=XSD.date)


def _gemeenten(store: Store) -> list[URIRef]:
    found = sorted(r[0] for r in store.select(
        "PREFIX sd: <https://w3id.org/sdgraph/def#> SELECT DISTINCT ?g WHERE "
        "{ ?t a sd:Taakuitvoering ; sd:gemeente ?g }").rows)
    own = URIRef(GM + "gm0823")
    assert own in found
    return [own, *[g for g in found if g != own][:3]]


def _iris(table):
    """The live rows with ``wetIri`` an IRI: Virtuoso 7 returns the query's
    ``COALESCE(?versieWet, ?regioWet)`` as a string literal when the wet filter is bound
    (the rows from the index have the IRI, as Oxigraph's live rows)."""
    i = table.columns.index("wetIri")
    return type(table)(table.columns, [
        (*r[:i], URIRef(r[i]) if isinstance(r[i], Literal) else r[i], *r[i + 1:])
        for r in table.rows])


def _same(store: Store) -> int:
    """Compare index and live query on every case; the number of non-empty results."""
    query = bundled_library().get("netwerk")
    gemeenten = _gemeenten(store)
    filled = 0
    for day in DAYS:
        for lang in ("nl", "en"):
            for wet, deelgebied in ((None, None), (JEUGDWET, None), (None, JEUGD)):
                together = network_lines.lines(store, gemeenten, _day(day), lang, wet,
                                               deelgebied)
                assert together is not None
                for gm in gemeenten:
                    bindings = {"gemeente": gm, "peildatum": _day(day), "lang": Literal(lang),
                                "wet": wet, "deelgebied": deelgebied}
                    live = _iris(store.query(query.text, bindings))
                    indexed = network_lines.answer(store, query, bindings)
                    assert indexed is not None
                    assert indexed.columns == live.columns
                    # the same rows, each as often (ties in the ORDER BY may differ)
                    assert sorted(map(repr, indexed.rows)) == sorted(map(repr, live.rows)), (
                        gm, day, lang, wet, deelgebied,
                        [dict(zip(live.columns, r, strict=True))
                         for r in set(indexed.rows) ^ set(live.rows)][:4])
                    # one query for several gemeenten gives each its own rows
                    assert together[gm].rows == indexed.rows
                    filled += bool(live.rows)
    return filled


def test_lines_give_the_live_rows_and_follow_the_index(store: Store) -> None:
    if SOURCES is None:
        missing("the Oirschot example's register facts come from ../shared/data/sources")
    init_store(store, "oirschot", SOURCES)
    query = bundled_library().get("netwerk")
    values = {"gemeente": "GM0823", "peildatum": "2022-06-01"}
    # materialisation off (as in the tests): no index, the query runs live
    assert not matrix_index.current(store)
    assert network_lines.answer(store, query, query.terms(values)) is None
    live = query.run(store, values)
    assert len(live.rows) > 50

    matrix_index.refresh(store)
    assert matrix_index.current(store)
    served = query.run(store, values)  # from the index
    assert sorted(map(repr, served.rows)) == sorted(map(repr, live.rows))
    assert _same(store) > 20

    # a load makes the index stale: the query runs live again; after the refresh the
    # new contract is in its opdrachtgever's network and in no other
    store.load([Source(name="extra.ttl", data=EXTRA.encode())], graph=EXTRA_GRAPH)
    assert network_lines.answer(store, query, query.terms(values)) is None
    matrix_index.refresh(store, [EXTRA_GRAPH])
    assert matrix_index.current(store)
    _same(store)
    extra = "https://w3id.org/sdgraph/id/overeenkomst/test/gm0772-extra"
    lines = network_lines.lines(store, [URIRef(GM + "gm0772"), URIRef(GM + "gm0823")],
                                _day("2022-06-01"))
    assert lines is not None
    arrangement = lines[URIRef(GM + "gm0772")].columns.index("arrangement")
    assert any(str(r[arrangement]) == extra for r in lines[URIRef(GM + "gm0772")].rows)
    assert not any(str(r[arrangement]) == extra for r in lines[URIRef(GM + "gm0823")].rows)


@pytest.mark.parametrize("lang", ["fr"])
def test_other_languages_run_live(lang: str, tmp_path) -> None:
    from sdgraph.store import EmbeddedStore

    store = EmbeddedStore(tmp_path / "store")
    if SOURCES is None:
        missing("the Oirschot example's register facts come from ../shared/data/sources")
    init_store(store, "oirschot", SOURCES)
    matrix_index.refresh(store)
    query = bundled_library().get("netwerk")
    bindings = query.terms({"gemeente": "GM0823", "peildatum": "2022-06-01", "lang": lang})
    assert network_lines.answer(store, query, bindings) is None


def test_the_regional_network_is_the_same_either_way(tmp_path, monkeypatch) -> None:
    from sdgraph.store import EmbeddedStore

    if SOURCES is None:
        missing("the Oirschot example's register facts come from ../shared/data/sources")
    store = EmbeddedStore(tmp_path / "store")
    init_store(store, "oirschot", SOURCES)
    matrix_index.refresh(store)
    run = Runner(store, bundled_library(), "nl")
    outputs = []
    for lines in (network_lines.lines, lambda *a, **k: None):
        monkeypatch.setattr(network_lines, "lines", lines)
        page = pages.regio(run, SO + "so0665", "2022-06-01")
        outputs.append((page.to_dict(), page.to_csv(), page.regio))
    (new, new_csv, new_regio), (old, old_csv, old_regio) = outputs
    assert int(new_regio["leden"]) >= 2 and new["count"]["edges"] > 50
    assert json.dumps(new, sort_keys=True) == json.dumps(old, sort_keys=True)
    assert new_csv == old_csv and new_regio == old_regio


def test_lists_of_iris_are_bound_in_batches_with_the_same_rows(tmp_path, monkeypatch) -> None:
    """Contracts, names and fields of a region's network, asked for in batches of two
    IRIs, give the rows that one VALUES block gives (a block of 2,000 IRIs cost 23 s)."""
    from sdgraph.store import EmbeddedStore

    if SOURCES is None:
        missing("the Oirschot example's register facts come from ../shared/data/sources")
    store = EmbeddedStore(tmp_path / "store")
    init_store(store, "oirschot", SOURCES)
    matrix_index.refresh(store)
    gemeenten = _gemeenten(store)
    whole = network_lines.lines(store, gemeenten, _day("2022-06-01"))
    monkeypatch.setattr(network_lines, "EACH_BATCH", 2)
    batched = network_lines.lines(store, gemeenten, _day("2022-06-01"))
    assert whole is not None and batched is not None
    assert sum(len(t.rows) for t in whole.values()) > 50
    assert {gm: t.rows for gm, t in batched.items()} == {gm: t.rows for gm, t in whole.items()}
