"""The query library: headers, typed parameters, binding, and the bundled queries."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.sparql import prepareQuery

from sdgraph.cache import VersionedCache
from sdgraph.config import Settings
from sdgraph.errors import UserError
from sdgraph.queries import PARAM_TYPES, RESULTS, QueryLibrary, parse_query
from sdgraph.sparql import bind, query_form
from sdgraph.store import EmbeddedStore, Source, Store

GM0823 = URIRef("https://identifier.overheid.nl/tooi/id/gemeente/gm0823")
ROO_2019 = {"25250109", "25143080", "24961951", "27965412", "26639015", "26122493", "24967301"}


@pytest.mark.parametrize("name", QueryLibrary().names())
def test_bundled_query_has_a_complete_header_and_parses(name: str) -> None:
    q = QueryLibrary().get(name)
    assert q.title.get("nl") and q.title.get("en"), f"{name}: title nl and en"
    assert q.description.get("nl") and q.description.get("en"), f"{name}: description nl and en"
    for p in q.params:
        assert p.type in PARAM_TYPES
        assert p.label["nl"] and p.label["en"]
    bound = bind(q.text, q.bindings({}))  # defaults must be valid terms
    prepareQuery(bound)  # an independent SPARQL parser accepts the bound text


@pytest.mark.parametrize("value", ["GM0823", "gm0823", "0823", "823", str(GM0823), " GM0823 "])
def test_gemeente_parameter_accepts_code_or_tooi_iri(value: str) -> None:
    q = QueryLibrary().get("lidmaatschappen")
    assert q.bindings({"gemeente": value})["gemeente"] == GM0823


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"gemeente": "Oirschot!"}, "not a gemeente"),
        ({"peildatum": "2019-13-01"}, "not a date"),
        ({"peildatum": "2-7-2019"}, "not a date"),
        ({"onbekend": "x"}, "has no parameter 'onbekend'"),
    ],
)
def test_bad_parameters_are_clear_user_errors(params: dict[str, str], message: str) -> None:
    with pytest.raises(UserError, match=message):
        QueryLibrary().get("lidmaatschappen").bindings(params)


def test_required_and_optional_parameters(tmp_path: Path) -> None:
    text = (
        "# title: t\n# param: x | integer | | X\n# param: y | string | - | Y\n"
        "SELECT ?x ?y WHERE { }\n"
    )
    q = parse_query(text, "t")
    with pytest.raises(UserError, match="'x' is required"):
        q.bindings({})
    b = q.bindings({"x": "5"})
    assert b == {"x": Literal(5, datatype=XSD.integer), "y": None}


def test_header_errors_name_file_and_line() -> None:
    with pytest.raises(UserError, match=r"q\.rq line 2: unknown parameter type 'datum'"):
        parse_query("# title: t\n# param: d | datum | today\nSELECT * {}", "q", Path("q.rq"))
    with pytest.raises(UserError, match="must be SELECT"):
        parse_query("# title: t\nDELETE WHERE { ?s ?p ?o }", "q")


def test_bind_places_values_in_the_where_group() -> None:
    text = 'PREFIX x: <http://x/#a> # {\nSELECT ?a ("{" AS ?b) WHERE { ?a ?p ?o } LIMIT 1'
    out = bind(text, {"o": Literal("2019-07-02", datatype=XSD.date)})
    assert 'WHERE { VALUES (?o) { ("2019-07-02"^^<http://www.w3.org/2001/XMLSchema#date>) }' in out
    prepareQuery(out)
    construct = bind("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"s": URIRef("http://a")})
    assert construct.startswith("CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s)")
    sub = bind("SELECT * WHERE { SELECT ?s WHERE { ?s ?p ?o } }", {"s": URIRef("http://a")})
    prepareQuery(sub)


def test_bind_reaches_sub_selects(store) -> None:
    """A sub-select is evaluated on its own; the parameters must be bound inside it too,
    and a filter on a parameter after a sub-select must still see the outer binding."""
    store.update(
        "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:p> 1, 2, 3 . <urn:b> <urn:p> 1 . } }"
    )
    text = """SELECT ?s ?n WHERE {
      { SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s <urn:p> ?o FILTER (?o <= ?max) } GROUP BY ?s }
      FILTER (?n >= ?min)
    } ORDER BY ?s"""
    rows = store.select(text, {"max": Literal(2), "min": Literal(2)}).rows
    assert rows == [(URIRef("urn:a"), Literal(2))]
    rows = store.select(text, {"max": Literal(3), "min": Literal(1)}).rows
    assert rows == [(URIRef("urn:a"), Literal(3)), (URIRef("urn:b"), Literal(1))]


def test_bind_reaches_the_first_sub_select_of_construct_and_ask(store) -> None:
    """In CONSTRUCT and ASK the first SELECT is a sub-select, not the query itself."""
    store.update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:p> 1 . <urn:b> <urn:p> 2 . } }")
    construct = """CONSTRUCT { ?s <urn:q> ?o } WHERE {
      { SELECT ?s ?o WHERE { ?s <urn:p> ?o FILTER (?o = ?wanted) } } }"""
    graph = store.query(construct, {"wanted": Literal(2)})
    assert set(graph) == {(URIRef("urn:b"), URIRef("urn:q"), Literal(2))}
    ask = "ASK { { SELECT ?s WHERE { ?s <urn:p> ?o FILTER (?o = ?wanted) } } }"
    assert store.query(ask, {"wanted": Literal(2)}) is True
    assert store.query(ask, {"wanted": Literal(3)}) is False


def test_bind_rejects_bad_iris_and_names() -> None:
    with pytest.raises(ValueError, match="not a valid IRI"):
        bind("SELECT * { }", {"x": URIRef("http://a> } DROP ALL {<b")})
    with pytest.raises(ValueError, match="invalid parameter name"):
        bind("SELECT * { }", {"x y": Literal("1")})


def test_query_form() -> None:
    assert query_form("# SELECT in a comment\nASK { }") == "ASK"
    assert query_form("PREFIX a: <http://x/SELECT> DESCRIBE <http://x>") == "DESCRIBE"
    assert query_form("INSERT DATA { <a:b> <a:c> <a:d> }") == "UPDATE"


def test_new_query_file_is_picked_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "mijn-vraag.rq").write_text(
        "# title: Mijn vraag\n# title@en: My question\nSELECT (1 AS ?een) WHERE { }\n"
    )
    monkeypatch.setenv("SDGRAPH_QUERIES", str(tmp_path))
    lib = QueryLibrary.from_settings(Settings.from_env())
    assert "mijn-vraag" in lib.names()
    assert lib.get("mijn-vraag").label("en") == "My question"


def test_lidmaatschappen_on_both_backends(store: Store) -> None:
    from conftest import SOURCES

    from sdgraph.build import init_store

    init_store(store, "oirschot", SOURCES)
    q = QueryLibrary().get("lidmaatschappen")
    for gemeente in ("GM0823", str(GM0823)):
        table = q.run(store, {"gemeente": gemeente, "peildatum": "2019-07-02"})
        rows = table.dicts()
        assert {str(r["roo_id"]) for r in rows} == ROO_2019
        assert all(
            r["citeertitel"] and r["samenwerkingsvorm"] and r["toetredingsdatum"] for r in rows
        )
    later = {
        str(r["roo_id"])
        for r in q.run(store, {"gemeente": "GM0823", "peildatum": "2025-06-01"}).dicts()
    }
    assert later and later != ROO_2019
    assert "27965412" not in later  # Kempengemeenten version of 2019 ended 2023-07-15


CACHED = {"aflopende-contracten", "fragmentatie", "gr-per-samenwerkingsvorm", "statistieken",
          "wijzigingen",
          # the same for every gemeente or visitor: the foto's national figures, the overlap page
          "kerncijfer-landelijk", "indelingen", "indeling-leden", "overlap",
          # the index of GRs and the home page's coverage of the inventories
          "regelingen", "dekking",
          # the national member lists and gemeenten the maps draw
          "kaart-leden", "kaart-gemeenten"}


def test_cache_header_is_validated_and_marks_the_national_queries() -> None:
    q = parse_query("# title: t\n# cache: store-version\nSELECT (1 AS ?x) WHERE { }\n", "t")
    assert q.cached
    with pytest.raises(UserError, match=r"q\.rq line 2: unknown cache policy 'forever'"):
        parse_query("# title: t\n# cache: forever\nSELECT * { }", "q", Path("q.rq"))
    lib = QueryLibrary()
    assert {n for n in lib.names() if lib.get(n).cached} == CACHED


def _turtle(name: str, text: str) -> Source:
    return Source(name=name, data=text.encode("utf-8"))


def test_cached_query_is_served_until_the_store_version_changes(store: Store) -> None:
    """Equal bindings are served from the cache (a copy), other bindings run; a load
    changes the store's version and so empties the cache."""
    q = parse_query(
        "# title: t\n# cache: store-version\n# param: o | integer | 1\n"
        "SELECT ?s WHERE { ?s <urn:p> ?o } ORDER BY ?s\n", "t")
    store.load([_turtle("a.ttl", "<urn:a> <urn:p> 1 . <urn:c> <urn:p> 2 .")])
    hits = RESULTS.hits
    first = q.run(store, {})
    assert first.rows == [(URIRef("urn:a"),)]
    first.rows.append((URIRef("urn:junk"),))  # the caller's list, not the cached one
    assert q.run(store, {"o": "1"}).rows == [(URIRef("urn:a"),)]
    assert RESULTS.hits == hits + 1
    assert q.run(store, {"o": "2"}).rows == [(URIRef("urn:c"),)]  # other bindings: a run
    assert RESULTS.hits == hits + 1
    store.load([_turtle("b.ttl", "<urn:b> <urn:p> 1 .")])
    assert q.run(store, {}).rows == [(URIRef("urn:a"),), (URIRef("urn:b"),)]


def test_refresh_recomputes_after_a_load_what_was_asked_before(store: Store) -> None:
    """After a load, refresh() computes again, on the new data, what the cache held under
    the previous version (the web's Refresher thread calls it), so the next request is a
    hit with the new answer; before any load there is nothing to do."""
    q = parse_query(
        "# title: t\n# cache: store-version\n# param: o | integer | 1\n"
        "SELECT ?s WHERE { ?s <urn:p> ?o } ORDER BY ?s\n", "t")
    store.load([_turtle("a.ttl", "<urn:a> <urn:p> 1 . <urn:c> <urn:p> 2 .")])
    assert q.run(store, {}).rows == [(URIRef("urn:a"),)]
    assert q.run(store, {"o": "2"}).rows == [(URIRef("urn:c"),)]
    assert RESULTS.refresh(store) == 0  # same version: nothing to recompute
    store.load([_turtle("b.ttl", "<urn:b> <urn:p> 1 . <urn:d> <urn:p> 2 .")])
    store.__dict__.pop("_version_memo", None)  # a remote version read is reused for 2 s
    assert RESULTS.refresh(store) == 2  # both parameter sets
    hits, misses = RESULTS.hits, RESULTS.misses
    assert q.run(store, {}).rows == [(URIRef("urn:a"),), (URIRef("urn:b"),)]
    assert q.run(store, {"o": "2"}).rows == [(URIRef("urn:c"),), (URIRef("urn:d"),)]
    assert (RESULTS.hits, RESULTS.misses) == (hits + 2, misses)


def test_refresher_thread_refreshes_in_the_background(tmp_path: Path) -> None:
    """The web's Refresher notices a load by another writer and recomputes on its own."""
    from sdgraph.cache import Refresher

    def load(source) -> None:  # as `sdgraph load`: a writer opened and closed again
        writer = EmbeddedStore(tmp_path / "s")
        writer.load([source])
        writer.close()

    load(_turtle("a.ttl", "<urn:a> <urn:p> 1 ."))
    reader = EmbeddedStore(tmp_path / "s", read_only=True)
    q = parse_query("# title: t\n# cache: store-version\nSELECT ?s WHERE { ?s <urn:p> 1 }\n",
                    "t")
    assert len(q.run(reader)) == 1
    refresher = Refresher(reader, interval=0.05).start()
    try:
        load(_turtle("b.ttl", "<urn:b> <urn:p> 1 ."))
        for _ in range(200):  # up to 10 s on a busy machine; no timing is asserted
            if refresher.refreshed:
                break
            threading.Event().wait(0.05)
        assert refresher.refreshed == 1
        misses = RESULTS.misses
        assert len(q.run(reader)) == 2
        assert RESULTS.misses == misses
    finally:
        refresher.stop()
        reader.close()


def test_refresher_computes_the_aggregates_of_today_on_a_new_day(tmp_path: Path) -> None:
    """The results a load stores are keyed on that day's date (a peildatum defaulting to
    today). On the next day the Refresher runs the national queries whose parameters
    default to today, so the first visitor of the day finds them computed; queries
    without such a default, and a day that did not change, are left alone."""
    from datetime import date

    from sdgraph.cache import Refresher

    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "op-dag.rq").write_text(
        "# title: op dag\n# cache: store-version\n# param: peildatum | date | today\n"
        "SELECT ?s WHERE { ?s <urn:van> ?d FILTER (?d <= ?peildatum) } ORDER BY ?s\n")
    (folder / "vast.rq").write_text(
        "# title: vast\n# cache: store-version\nSELECT ?s WHERE { ?s <urn:van> ?d }\n")
    (folder / "per-gemeente.rq").write_text(
        "# title: per gemeente\n# cache: store-version\n# param: g | iri\n"
        "# param: peildatum | date | today\nSELECT ?s WHERE { ?s <urn:van> ?g }\n")
    library = QueryLibrary([folder])
    store = EmbeddedStore(tmp_path / "s")
    store.load([_turtle("a.ttl", f'<urn:a> <urn:van> "2000-01-01"^^<{XSD.date}> .')])
    days = iter([date(2026, 1, 1), date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 2)])
    refresher = Refresher(store, interval=60, library=library, today=lambda: next(days))
    assert refresher.new_day() == 0  # the same day
    assert refresher.new_day() == 1  # the next day: only "op dag" (no required parameter)
    assert refresher.new_day() == 0  # once per day
    misses = RESULTS.misses
    assert library.get("op-dag").run(store).rows == [(URIRef("urn:a"),)]
    assert RESULTS.misses == misses  # computed before the visitor came
    store.close()


def test_cache_is_bounded_and_skips_in_memory_stores() -> None:
    cache = VersionedCache(maxsize=2, max_rows=10)
    mem = EmbeddedStore(None)
    runs: list[int] = []

    def run(n: int):
        runs.append(n)
        return list(range(n))

    for n in (1, 2, 3, 1):  # 1 is dropped when 3 comes in (least recently used)
        cache.get(mem, n, lambda n=n: run(n), size=len)
    assert runs == [1, 2, 3, 1]
    cache.get(mem, 11, lambda: run(11), size=len)  # larger than max_rows: not kept
    cache.get(mem, 11, lambda: run(11), size=len)
    assert runs[-2:] == [11, 11]
    # NamedQuery.run does not cache an in-memory store: it is written directly
    q = parse_query("# title: t\n# cache: store-version\nSELECT ?s WHERE { ?s <urn:p> 1 }\n", "t")
    assert len(q.run(mem)) == 0
    mem.update("INSERT DATA { <urn:a> <urn:p> 1 }")
    assert len(q.run(mem)) == 1


def test_web_app_refreshes_unless_turned_off(tmp_path: Path) -> None:
    """The web app (not under test config) runs one Refresher on its store; the setting
    SDGRAPH_CACHE_REFRESH=0 turns it off."""
    from web import REFRESHER_KEY, create_app

    EmbeddedStore(tmp_path / "s").close()
    settings = Settings.from_env(store_path=tmp_path / "s", env={})
    assert settings.cache_refresh == 5.0
    app = create_app(settings=settings.with_(instance_path=tmp_path / "i"))
    refresher = app.extensions[REFRESHER_KEY]
    try:
        assert refresher.store is app.extensions["sdgraph.store"]
        assert refresher.interval == 5.0 and refresher._thread.is_alive()
    finally:
        refresher.stop()
    off = Settings.from_env(store_path=tmp_path / "s", env={"SDGRAPH_CACHE_REFRESH": "0"})
    assert off.cache_refresh == 0
    assert REFRESHER_KEY not in create_app(
        settings=off.with_(instance_path=tmp_path / "i")).extensions


def _order_keys(table, columns: tuple[str, ...]) -> list[tuple[str, ...]]:
    index = [table.columns.index(c) for c in columns]
    return [tuple("" if r[i] is None else r[i].n3() for i in index) for r in table.rows]


def test_order_header_gives_the_order_of_sparql_order_by(example_store: Store) -> None:
    """``# order:`` sorts the decoded rows in Python; the expectation is Oxigraph's own
    ORDER BY over the same query, on every IRI of the example that has over 5 rows."""
    query = QueryLibrary().get("resource")
    assert query.meta["order"] == "richting desc, eigenschap, waarde"
    assert "\nORDER BY" not in query.text
    subjects = [str(s) for (s,) in example_store.select(
        "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER isIRI(?s) } ORDER BY ?s LIMIT 400").rows]
    compared = 0
    for iri in subjects:
        ours = query.run(example_store, {"uri": iri})
        if len(ours) <= 5:
            continue
        theirs = example_store.query(
            query.text + "ORDER BY DESC(?richting) ?eigenschap ?waarde\n",
            query.bindings({"uri": iri}))
        columns = ("richting", "eigenschap", "waarde")
        assert _order_keys(ours, columns) == _order_keys(theirs, columns), iri
        assert sorted(map(repr, ours.rows)) == sorted(map(repr, theirs.rows))
        compared += 1
    assert compared >= 20


def test_order_header_orders_numbers_by_value_and_kinds_as_sparql(tmp_path: Path) -> None:
    store = EmbeddedStore(None)
    store.update('PREFIX ex: <urn:ex:> INSERT DATA { ex:a ex:v 10, 9, 2.5, "b", "10", '
                 '"a"@nl, ex:z, ex:b, _:x, "2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date> }')
    text = "SELECT ?o WHERE { <urn:ex:a> <urn:ex:v> ?o }\n"
    ours = parse_query("# title: t\n# order: o desc\n" + text, "t").run(store)
    theirs = store.query(text + "ORDER BY DESC(?o)\n", {})
    # numbers by value (10 after 9), and blank nodes < IRIs < literals, reversed
    numbers = [str(r[0]) for r in ours.rows if str(r[0]) in ("10", "9", "2.5")
               and r[0].datatype is not None]
    assert numbers == ["10", "9", "2.5"]
    kinds = [type(r[0]).__name__ for r in ours.rows]
    assert kinds == [type(r[0]).__name__ for r in theirs.rows]
    # within one kind of literal the same order as Oxigraph's (across datatypes SPARQL
    # leaves it to the engine, and Oxigraph's differs: ours is documented)
    for values in ('10, 9, 2.5, 100, -1', '"b", "a", "B", "ab", ""',
                   '"2024-01-01"^^xsd:date, "2023-12-31"^^xsd:date'):
        store.update("DELETE WHERE { <urn:ex:a> <urn:ex:v> ?o }")
        store.update("PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
                     f"INSERT DATA {{ <urn:ex:a> <urn:ex:v> {values} }}")
        ours = parse_query("# title: t\n# order: o\n" + text, "t").run(store)
        theirs = store.query(text + "ORDER BY ?o\n", {})
        assert _order_keys(ours, ("o",)) == _order_keys(theirs, ("o",)), values


def test_order_header_is_checked_when_read() -> None:
    with pytest.raises(UserError, match="t line 2: order needs"):
        parse_query("# title: t\n# order: a desc desc\nSELECT ?a WHERE { ?a ?b ?c }\n", "t")
