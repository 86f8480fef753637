"""The national aggregates computed at load time into graph afgeleid/resultaten.

The oracle is the live query on the same store: every materialised result must
equal it row for row, a load that changes a query's input must never leave a
stale result served, and a load of unrelated triples keeps them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SOURCES, missing

from sdgraph import cache, materialise
from sdgraph.build import init_store
from sdgraph.queries import bundled_library
from sdgraph.store import EmbeddedStore, Source, Store

SD = "https://w3id.org/sdgraph/def#"
OTHER = b"<urn:x:a> <urn:x:p> \"1\" .\n"

#: One more taakuitvoering for gemeente Oirschot: it changes `dekking` and `statistieken`.
EXTRA = f"""@prefix sd: <{SD}> .
<https://w3id.org/sdgraph/id/test/extra-tu> a sd:Taakuitvoering ;
  sd:gemeente <https://identifier.overheid.nl/tooi/id/gemeente/gm0823> ;
  sd:taak <https://w3id.org/sdgraph/id/taak/test-taak> ;
  sd:deelgebied <https://w3id.org/sdgraph/id/deelgebied/test-deelgebied> .
<https://w3id.org/sdgraph/id/taak/test-taak> a sd:Taak .
<https://w3id.org/sdgraph/id/deelgebied/test-deelgebied> a sd:Deelgebied .
""".encode()


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Oirschot example on disk, with its aggregates materialised."""
    if SOURCES is None:
        missing("the Oirschot example's register facts need ../shared/data/sources")
    folder = tmp_path_factory.mktemp("materialise") / "store"
    store = EmbeddedStore(folder)
    store.materialise = True
    init_store(store, "oirschot", SOURCES)
    store.close()
    return folder


def _live(store: Store, query, bindings):
    return store.select(query.text, bindings)


def _assert_all_equal_live(store: Store) -> None:
    queries = materialise.national(bundled_library())
    assert {"wijzigingen", "fragmentatie", "dekking", "regelingen",
            "aflopende-contracten", "gr-per-samenwerkingsvorm"} <= {q.name for q in queries}
    for query in queries:
        bindings = query.terms({})
        stored = materialise.lookup(store, query, bindings)
        assert stored is not None, query.name
        live = _live(store, query, bindings)
        assert stored.columns == live.columns, query.name
        assert stored.rows == live.rows, query.name
    # the maps' member lists, per regio-indeling and for the GRs
    lib = bundled_library()
    for name, values in materialise._map_sets():
        query = lib.get(name)
        bindings = query.terms(values)
        stored = materialise.lookup(store, query, bindings)
        assert stored is not None, values
        assert stored.rows == _live(store, query, bindings).rows, values


def test_every_national_aggregate_equals_the_live_query(example: Path, tmp_path: Path) -> None:
    import shutil

    shutil.copytree(example, tmp_path / "s")
    store = EmbeddedStore(tmp_path / "s")
    _assert_all_equal_live(store)
    # the example has rows in the heavy ones (not only empty tables compared)
    lib = bundled_library()
    for name in ("dekking", "wijzigingen", "regelingen", "statistieken"):
        q = lib.get(name)
        assert len(materialise.lookup(store, q, q.terms({}))) > 0, name
    store.close()


def test_a_load_invalidates_and_recomputes(example: Path, tmp_path: Path) -> None:
    import shutil

    shutil.copytree(example, tmp_path / "s")
    store = EmbeddedStore(tmp_path / "s")
    lib = bundled_library()
    dekking = lib.get("dekking")
    bindings = dekking.terms({})
    before = materialise.lookup(store, dekking, bindings)
    assert before is not None

    # a load that is not followed by the computation: the stored result is stale, never served
    store.load([Source(name="extra.ttl", data=EXTRA, graph="https://w3id.org/sdgraph/graph/test/extra")])
    assert materialise.lookup(store, dekking, bindings) is None
    cache.clear_all()
    live = _live(store, dekking, bindings)
    assert live.rows != before.rows  # the extra cell changed Oirschot's counts
    served = dekking.run(store, {})
    assert served.rows == live.rows

    # the next load (of anything) computes it again, from the data as it is now
    store.materialise = True
    store.load([Source(name="other.nt", data=OTHER, graph="https://w3id.org/sdgraph/graph/test/other")])
    computed = {c.name for c in store.materialised if not c.kept}
    assert {"dekking", "statistieken"} <= computed
    _assert_all_equal_live(store)
    store.close()


def test_a_load_of_other_predicates_keeps_the_results(example: Path, tmp_path: Path) -> None:
    import shutil

    shutil.copytree(example, tmp_path / "s")
    store = EmbeddedStore(tmp_path / "s")
    store.materialise = True
    version = store.version()
    store.load([Source(name="other.nt", data=OTHER, graph="https://w3id.org/sdgraph/graph/test/other")])
    assert store.version() != version  # a real load
    # computed again: only the results of queries that may read any graph (GRAPH ?g, e.g.
    # the load records in graph/meta, which gain one per load)
    meta = {q.name for q in materialise.national(bundled_library())
            if materialise.predicates(q.text) is None}
    assert meta < {q.name for q in materialise.national(bundled_library())}
    assert store.materialised and {c.name for c in store.materialised if not c.kept} <= meta
    _assert_all_equal_live(store)
    # dropping it again changes nothing the other queries read either
    store.drop_graph("https://w3id.org/sdgraph/graph/test/other")
    assert {c.name for c in store.materialised if not c.kept} <= meta
    # a drop of a graph the queries read makes them stale, and computes them again
    store.drop_graph("https://w3id.org/sdgraph/graph/example/oirschot")
    assert any(not c.kept for c in store.materialised)
    _assert_all_equal_live(store)
    store.close()


def test_the_provenance_of_a_result(example: Path) -> None:
    store = EmbeddedStore(example, read_only=True)
    rows = store.select(f"""PREFIX sd: <{SD}>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?q ?sum ?par ?when ?rijen WHERE {{ GRAPH <{materialise.RESULTS_GRAPH}> {{
          ?m a prov:Entity ; sd:query ?q ; sd:queryChecksum ?sum ; sd:parameters ?par ;
             prov:generatedAtTime ?when ; sd:rijen ?rijen ; sd:invoerversie ?v ; sd:resultaat ?r
        }} }}""").dicts()
    by_name = {str(r["q"]): r for r in rows}
    dekking = by_name["dekking"]
    assert str(dekking["sum"]).startswith("sha256:")
    assert str(dekking["par"]).startswith("peildatum=")
    lib = bundled_library()
    q = lib.get("dekking")
    assert int(dekking["rijen"]) == len(_live(store, q, q.terms({})))
    store.close()


def test_predicates_a_query_reads() -> None:
    reads = materialise.predicates(
        "PREFIX sd: <https://w3id.org/sdgraph/def#> SELECT * WHERE { ?a sd:taak/sd:naam ?n "
        "FILTER EXISTS { ?a ^sd:lid ?b } }")
    assert reads == {SD + "taak", SD + "naam", SD + "lid"}
    assert materialise.predicates("SELECT * WHERE { ?s ?p ?o }") is None
    assert materialise.predicates("SELECT * WHERE { GRAPH ?g { ?s <urn:p> ?o } }") is None
    assert materialise.predicates("SELECT * WHERE { ?s !<urn:p> ?o }") is None


def test_both_backends_store_and_serve_the_same(store: Store) -> None:
    """On the remote store too: a small made-up graph, `statistieken` (counts per class)."""
    data = f"""@prefix sd: <{SD}> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    <urn:x:g1> a sd:Gemeente ; rdfs:label "Een"@nl . <urn:x:g2> a sd:Gemeente .
    <urn:x:gr> a sd:GemeenschappelijkeRegeling .""".encode()
    store.materialise = True
    store.load([Source(name="made-up.ttl", data=data, graph="https://w3id.org/sdgraph/graph/test/x")])
    q = bundled_library().get("statistieken")
    stored = materialise.lookup(store, q, q.terms({}))
    assert stored is not None and stored.rows == _live(store, q, q.terms({})).rows
    counts = {str(r[0]): r for r in stored.rows}
    assert len(stored) > 0 and counts  # the class counts of the made-up graph
    cache.clear_all()
    assert q.run(store, {}).rows == stored.rows


def test_a_long_result_is_stored_in_parts_and_read_as_far_as_asked(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page shows the first rows of a long national table: a stored result is kept in
    parts of PART_ROWS rows and read only as far as asked (with the count of them all);
    read whole it is row for row what was stored, and storing it again leaves nothing of
    the parts before. On every backend."""
    from rdflib import Literal, URIRef

    from sdgraph.store import Table

    monkeypatch.setattr(materialise, "PART_ROWS", 2)
    store.load([Source(name="made-up.nt", data=OTHER,
                       graph="https://w3id.org/sdgraph/graph/test/other")])
    q = bundled_library().get("wijzigingen")  # (no `# order:`: rows stay as stored)
    assert not q.meta.get("order")
    bindings = q.terms({})
    version = materialise.input_version(store, materialise.predicates(q.text))
    rows = [(URIRef(f"urn:x:r{i}"), Literal(i), None if i % 3 else Literal("n", lang="nl"))
            for i in range(7)]
    materialise._write(store, q, bindings, Table(["a", "b", "c"], rows), version)

    whole = materialise.lookup(store, q, bindings)
    assert whole.rows == rows and whole.total is None
    first = materialise.lookup(store, q, bindings, rows=3)  # two parts of two rows
    assert first.rows == rows[:4] and first.total == 7
    assert materialise.lookup(store, q, bindings, rows=1).rows == rows[:2]
    assert materialise.lookup(store, q, bindings, rows=70).rows == rows
    # through the query: the page's rows and the count, then the download's whole table
    cache.clear_all()
    page = q.run(store, {}, rows=3)
    assert page.rows == rows[:4] and page.total == 7
    assert q.run(store, {}).rows == rows

    def parts() -> int:
        return len(store.select(f"""SELECT ?d ?p WHERE {{ GRAPH <{materialise.RESULTS_GRAPH}> {{
            ?m <{SD}deel> ?d . ?d ?p ?o }} }}""").rows)

    assert parts() == 3 * 2  # three further parts, each a number and a table
    materialise._write(store, q, bindings, Table(["a", "b", "c"], rows[:3]), version)
    assert parts() == 1 * 2
    assert materialise.lookup(store, q, bindings).rows == rows[:3]
    materialise._write(store, q, bindings, Table(["a", "b", "c"], []), version)
    assert parts() == 0 and materialise.lookup(store, q, bindings).rows == []


def test_cli_load_materialises(runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sdgraph.cli import main

    monkeypatch.setenv("SDGRAPH_MATERIALISE", "1")
    assert runner.invoke(main, ["init", "--example", "none"]).exit_code == 0
    nt = tmp_path / "made-up.ttl"
    nt.write_text(f"<urn:x:g1> a <{SD}Gemeente> .\n")
    assert runner.invoke(main, ["load", str(nt)]).exit_code == 0
    store = EmbeddedStore(tmp_path / "cli-store", read_only=True)
    q = bundled_library().get("statistieken")
    stored = materialise.lookup(store, q, q.terms({}))
    assert stored is not None and stored.rows == _live(store, q, q.terms({})).rows
    store.close()


def test_the_national_table_of_kerncijfers_is_stored_and_read_back(example: Path,
                                                                   tmp_path: Path) -> None:
    """A computed table (the foto's national table of kerncijfers) is stored by the load
    that changes its input, equals the table computed from the live queries, survives a
    load of other predicates and is stale after a load of changed figures."""
    import shutil

    from sdgraph.kerncijfers import LANDELIJK, Landelijk, _landelijk
    from sdgraph.runner import Runner

    figures = Path(__file__).parent / "data" / "foto" / "kerncijfers.ttl"
    shutil.copytree(example, tmp_path / "s")
    store = EmbeddedStore(tmp_path / "s")
    store.materialise = True
    lib = bundled_library()
    graph = "https://example.org/test/kerncijfers"
    store.load_files([figures], graph=graph)
    assert "kerncijfers/landelijk" in {c.name for c in store.materialised if not c.kept}
    stored = materialise.lookup_table(store, lib, LANDELIJK)
    assert stored is not None
    live = _landelijk(Runner(store, lib))
    assert sum(len(v) for v in live.reeksen.values()) > 0  # not only an empty table compared
    assert Landelijk.from_json(stored).to_json() == live.to_json()

    store.load([Source(name="other.nt", data=OTHER, graph="https://w3id.org/sdgraph/graph/test/other")])
    assert "kerncijfers/landelijk" in {c.name for c in store.materialised if c.kept}
    assert materialise.lookup_table(store, lib, LANDELIJK) == stored

    store.materialise = False  # a load not followed by the computation: stale, never served
    changed = tmp_path / "changed.ttl"
    old = "sd:maatstaf m:iv3-lasten-6.71 ; sd:waarde 26400000.0"
    text = figures.read_text(encoding="utf-8")
    assert old in text
    changed.write_text(text.replace(old, old.replace("26400000.0", "48000000.0")),
                       encoding="utf-8")
    store.load_files([changed], graph=graph)
    assert materialise.lookup_table(store, lib, LANDELIJK) is None
    store.close()


def test_the_load_stores_the_search_index(example: Path) -> None:
    """The load stores the Dutch search index (StoredTable zoeken/index/nl); reading it
    gives the index built from the two queries, entry for entry and name for name."""
    from sdgraph import search
    from sdgraph.runner import Runner

    store = EmbeddedStore(example, read_only=True)
    run = Runner(store)
    stored = search._stored(run)
    assert stored is not None
    built = search._built(run)
    assert len(stored) > 50  # the example: 86 entries
    assert stored.entries == built.entries
    assert stored._by_name == built._by_name
    assert search._stored(Runner(store, lang="en")) is None  # English: built when asked
    store.close()


def test_a_stored_table_reads_back_term_for_term() -> None:
    """Stored results keep every term (IRI, blank node, typed and language literal, unbound)
    and the row count of a table without columns; the older row-per-row JSON still reads."""
    import json

    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import XSD

    from sdgraph.store import Table

    rows = [(URIRef("urn:a"), Literal("1", datatype=XSD.integer), None),
            (BNode("b1"), Literal("naam", lang="nl"), Literal("tekst")),
            (URIRef("urn:a"), Literal("2024-01-01", datatype=XSD.date), URIRef("urn:a"))]
    table = Table(["x", "y", "z"], rows)
    back = materialise._from_json(materialise._to_json(table))
    assert back.columns == ["x", "y", "z"]
    assert back.rows == rows
    assert [[type(t) for t in r] for r in back.rows] == [[type(t) for t in r] for r in rows]
    assert back.rows[1][1].language == "nl" and back.rows[2][1].datatype == XSD.date
    assert len(materialise._from_json(materialise._to_json(Table([], [(), ()])))) == 2
    old = json.dumps({"columns": ["x", "y"], "rows": [[["u", "urn:a"], None],
                                                      [["l", "1", str(XSD.integer), ""],
                                                       ["l", "n", "", "nl"]]]})
    assert materialise._from_json(old).rows == [(URIRef("urn:a"), None),
                                                (Literal("1", datatype=XSD.integer),
                                                 Literal("n", lang="nl"))]
    # a text read again is decoded once, and each reader gets lists of its own
    text = materialise._to_json(table)
    first = materialise._from_json(text)
    first.rows.append(("changed",))
    first.columns.append("w")
    again = materialise._from_json(text)
    assert again.rows == rows and again.columns == ["x", "y", "z"]
    assert again.rows[0][0] is first.rows[0][0]  # the same terms, not decoded again
