"""Web pages over reference data: herindelingen, kerncijfers, derived taken, and
every imported gemeente, GR and regio has a page.

* a small store from the hand-written fixtures (tests/data/tooi, tests/data/roo,
  tests/data/cbs-sociaal, tests/data/gr_taken), always run;
* the real registers in ../shared/data/sources (without cbs-sociaal, which has
  its own tests), skipped with a reason when absent: every gemeente, GR and
  regio the build imported is requested and must answer 200 with its name.
"""

from __future__ import annotations

import json
import time

import pytest
from conftest import FIXTURE_DATA, get_page, missing
from conftest import SHARED_SOURCES as SHARED
from markupsafe import escape

from sdgraph.build import init_store
from sdgraph.importers.cbs_sociaal import cbs_sociaal_sources
from sdgraph.importers.tooi import tooi_sources
from sdgraph.queries import QueryLibrary
from sdgraph.reference import build_reference
from sdgraph.store import EmbeddedStore

DATA = FIXTURE_DATA


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def fixture_client():
    from web import create_app

    store = EmbeddedStore(None)
    init_store(store, example=None)
    store.load(tooi_sources(DATA / "tooi") + cbs_sociaal_sources(DATA / "cbs-sociaal"))
    yield create_app(store=store, test_config={"TESTING": True}).test_client()
    store.close()


def test_abolished_gemeente_page(fixture_client) -> None:
    # tests/data/tooi: Oudedorp (GM9901) ended 2020-12-31, merged into Samenstede (GM9903)
    page = get_page(fixture_client, "/gemeente/GM9901")
    assert 'data-testid="peildatum">2020-12-31<' in page.html  # its last day, not today
    assert ("/gemeente/GM9903", "Samenstede") in page.links
    assert "Opgeheven; opgegaan in" in page.text
    [row] = page.rows("tabel-opvolging")
    assert [c["text"] for c in row] == ["opvolger", "Samenstede", "GM9903", "2021-01-01"]
    # an explicit peildatum wins
    later = get_page(fixture_client, "/gemeente/GM9901?peildatum=2019-01-01")
    assert 'data-testid="peildatum">2019-01-01<' in later.html


def test_predecessors_on_the_new_gemeente(fixture_client) -> None:
    page = get_page(fixture_client, "/gemeente/GM9903?lang=en")
    rows = page.rows("tabel-opvolging")
    assert sorted((r[0]["text"], r[2]["text"]) for r in rows) == [
        ("predecessor", "GM9901"),
        ("predecessor", "GM9902"),
    ]
    assert "Abolished; merged into" not in page.text


def test_kerncijfers_on_the_gemeente_page(fixture_client) -> None:
    page = get_page(fixture_client, "/gemeente/GM9901")
    rows = page.rows("tabel-kerncijfers")
    expected = QueryLibrary().get("kerncijfers").run(
        fixture_client.application.extensions["sdgraph.store"], {"gemeente": "GM9901"}
    )
    assert len(rows) == len(expected) > 0
    # tests/data/cbs-sociaal/statline/86050NED.csv: "Oudedorp;2023;1005.0;52.0"
    assert ["cbs-86050NED", "2023", "Wmo-cliënten", "1005", "aantal"] in [
        [c["text"] for c in r] for r in rows
    ]
    body = fixture_client.get("/gemeente/GM9901/kerncijfers.json").get_json()
    assert body["query"] == "kerncijfers" and len(body["rows"]) == len(expected)


def test_opvolging_download_ignores_peildatum(fixture_client) -> None:
    response = fixture_client.get("/gemeente/GM9901/opvolging.csv?peildatum=1990-01-01")
    assert response.status_code == 200
    lines = response.get_data(as_text=True).strip().splitlines()
    assert lines[0].startswith("relatie,ander,naam,code,datum")
    assert len(lines) == 2 and "GM9903" in lines[1]


# --------------------------------------------------------------------------- real registers


@pytest.fixture(scope="module")
def real_app(tmp_path_factory):
    if not SHARED.is_dir():
        missing(f"{SHARED} not present (real public data lives in ../shared)")
    from web import create_app

    root = tmp_path_factory.mktemp("sources")
    for folder in SHARED.iterdir():
        if folder.is_dir() and folder.name != "cbs-sociaal":
            (root / folder.name).symlink_to(folder)
    store = EmbeddedStore(tmp_path_factory.mktemp("store"))
    init_store(store, example=None)
    build_reference(store, root)
    yield create_app(store=store, test_config={"TESTING": True})
    store.close()


def _iris(store, query: str) -> list[tuple[str, str]]:
    rows = store.select(query).dicts()
    return sorted({(str(r["x"]), str(r["naam"])) for r in rows})


def test_every_gemeente_has_a_page(real_app) -> None:
    store = real_app.extensions["sdgraph.store"]
    rows = QueryLibrary().get("gemeenten").run(store).dicts()
    assert len(rows) == 605
    client = real_app.test_client()
    started = time.perf_counter()
    for row in rows:
        response = client.get(f"/gemeente/{row['code']}")
        assert response.status_code == 200, row["code"]
        heading = f"<h1>{escape(str(row['naam']))}</h1>"
        assert heading in response.get_data(as_text=True), row["code"]
    print(f"605 gemeente pages in {time.perf_counter() - started:.1f} s")


@pytest.mark.parametrize(
    "kind, expected",
    # 1,047 regio's from RegioAtlas 2016 plus 42 that only CBS 2016 has (Wgr-gebieden, ...)
    # plus 12 of cbs-geo 2025 that match no earlier regio by code or name
    [("GemeenschappelijkeRegeling", 549), ("Regio", 1101)],
)
def test_every_gr_and_regio_has_a_page(real_app, kind: str, expected: int) -> None:
    store = real_app.extensions["sdgraph.store"]
    orgs = _iris(
        store,
        "PREFIX sd: <https://w3id.org/sdgraph/def#> "
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        f"SELECT ?x (SAMPLE(?l) AS ?naam) WHERE {{ ?x a sd:{kind} ; rdfs:label ?l }} GROUP BY ?x",
    )
    assert len(orgs) == expected
    client = real_app.test_client()
    started = time.perf_counter()
    for iri, _ in orgs:
        response = client.get("/organisatie", query_string={"iri": iri})
        assert response.status_code == 200, iri
        body = response.get_data(as_text=True)
        assert "<h1>" in body and iri in body, iri
    print(f"{len(orgs)} {kind} pages in {time.perf_counter() - started:.1f} s")


def test_haaren_page_with_successors_and_members_by_name(real_app) -> None:
    client = real_app.test_client()
    page = get_page(client, "/gemeente/GM0788")
    # Haaren was split on 2021-01-01 (TOOI); its page defaults to its last day
    assert 'data-testid="peildatum">2020-12-31<' in page.html
    successors = {r[2]["text"] for r in page.rows("tabel-opvolging")}
    assert successors == {"GM0757", "GM0824", "GM0855", "GM0865"}
    # ROO lists Haaren by name only in some regelingen; TOOI names place it there
    assert page.rows("tabel-lidmaatschappen"), "Haaren had GR memberships on 2020-12-31"


def test_gr_page_shows_derived_taken_and_history(real_app) -> None:
    client = real_app.test_client()
    # so0665: Samenwerking Kempengemeenten (ROO); its doel names Wmo, Jeugdwet, Participatiewet
    page = get_page(client, "/organisatie?iri=https://identifier.overheid.nl/tooi/id/so/so0665")
    wetten = {r[2]["text"] for r in page.rows("tabel-gr-taken")}
    assert {"Jeugdwet", "Participatiewet", "Wet maatschappelijke ondersteuning 2015"} <= wetten
    assert all(r[5]["text"] for r in page.rows("tabel-gr-taken")), "every row shows evidence"
    history = page.rows("tabel-deelnemers-historie")
    assert {r[0]["text"] for r in history} >= {"Bergeijk", "Bladel", "Eersel", "Oirschot"}
    body = json.loads(
        client.get(
            "/organisatie/gr-taken.json?iri=https://identifier.overheid.nl/tooi/id/so/so0665"
        ).get_data(as_text=True)
    )
    assert body["query"] == "gr-taken" and len(body["rows"]) == len(page.rows("tabel-gr-taken"))


#: The analyst views per gemeente; each must answer 200 on the national graph.
GEMEENTE_VIEWS = ("matrix", "klantreis", "foto", "netwerk")


def test_analyst_views_on_the_national_graph(real_app) -> None:
    """Every 20th gemeente (31 of 605, current and abolished), a sample of GRs and regio's,
    and every named query's API with its defaults: no error on the real registers."""
    store = real_app.extensions["sdgraph.store"]
    client = real_app.test_client()
    rows = QueryLibrary().get("gemeenten").run(store).dicts()[::20]
    started = time.perf_counter()
    for row in rows:
        for view in GEMEENTE_VIEWS:
            page = get_page(client, f"/gemeente/{row['code']}/{view}")
            assert escape(str(row["naam"])) in page.html, (row["code"], view)
    print(f"{len(rows) * len(GEMEENTE_VIEWS)} view pages in {time.perf_counter() - started:.1f} s")
    # GR and regio matrices: the Kempen GR and the jeugdregio Zuidoost-Brabant
    for iri in ("https://identifier.overheid.nl/tooi/id/so/so0665",
                "https://w3id.org/sdgraph/id/regio/jeugdregio/zuidoost-brabant"):
        page = get_page(client, f"/organisatie/matrix?iri={iri}")
        assert len(page.rows("matrix-regio")) >= 5, iri
    # Oirschot's network on the registers alone: its GR memberships as lines
    network = client.get("/gemeente/GM0823/netwerk.json?peildatum=2024-01-01").get_json()
    assert len(network["edges"]) >= 5
    # every named query through the API, with its defaults
    library = QueryLibrary()
    for query in library.all():
        if query.form != "SELECT" or any(p.required for p in query.params):
            continue
        response = client.get(f"/api/query/{query.name}.json")
        assert response.status_code == 200, (query.name, response.get_data(as_text=True)[:300])
    # the workbench and dereferencing work over the registers too
    get_page(client, "/workbench?voorbeeld=lidmaatschappen")
    assert client.get("/id/regio/jeugdregio/zuidoost-brabant",
                      headers={"Accept": "text/turtle"}).status_code == 200
