"""The query library as pages and API (/queries, /query/NAME, /api/query/NAME.json|csv),
the resource page, and the drop-in promise: a new .rq file is a CLI command, a
page and an API without code changes. Expected rows come from the core library.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import get_page

from sdgraph.cli import main
from sdgraph.config import Settings
from sdgraph.queries import QueryLibrary

NEW_QUERY = """# title: Gemeenten in een provincie
# title@en: Municipalities in a province
# description: Testvraag die pas tijdens de test verschijnt.
# description@en: A test question that appears only during the test.
# param: provincie | iri | https://identifier.overheid.nl/tooi/id/provincie/pv30 | Provincie | Prov.
PREFIX sd: <https://w3id.org/sdgraph/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?gemeente ?naam WHERE {
  ?gemeente a sd:Gemeente ; sd:provincie ?provincie ; rdfs:label ?naam .
} ORDER BY ?naam
"""


def test_index_lists_every_named_query(client) -> None:
    page = get_page(client, "/queries")
    names = [r[0]["text"] for r in page.rows("tabel-queries")]
    assert names == QueryLibrary().names()
    assert ("/query/lidmaatschappen", "lidmaatschappen") in page.links


def test_query_page_runs_with_typed_parameters(client, example_store) -> None:
    url = "/query/lidmaatschappen?gemeente=GM0823&peildatum=2019-07-02"
    page = get_page(client, url)
    expected = (
        QueryLibrary()
        .get("lidmaatschappen")
        .run(example_store, {"gemeente": "GM0823", "peildatum": "2019-07-02"})
    )
    rows = page.rows("tabel-resultaat")
    assert len(rows) == len(expected) == 7
    columns = expected.columns
    roo = columns.index("roo_id")
    assert sorted(r[roo]["text"] for r in rows) == sorted(
        str(r["roo_id"]) for r in expected.dicts()
    )
    # IRIs are links: GRs to their resource page, gemeenten to the gemeente page
    gr = columns.index("gr")
    assert all(r[gr]["links"][0].startswith("/resource?uri=") for r in rows)
    assert 'type="date"' in page.html and 'value="2019-07-02"' in page.html
    status = page.html.split('data-testid="query-status">')[1].split("</p>")[0]
    assert "7 rijen" in status and " ms" in status
    assert "/api/query/lidmaatschappen.csv?" in page.html


def test_a_long_result_shows_its_first_rows_with_their_names(client, example_store,
                                                            monkeypatch) -> None:
    """A page shows the first PAGE_ROWS rows of a long result and the count of them all;
    names are looked up for the rows it shows, not for every row (at 5m the national
    `wijzigingen` has 185k rows: looking up every name took 12 s)."""
    from sdgraph import workbench
    from web.views import queries

    monkeypatch.setattr(queries, "PAGE_ROWS", 3)
    asked: list[set[str]] = []
    real = workbench.labels

    def recording(store, iris, lang="nl", library=None):
        iris = {str(i) for i in iris}
        asked.append(iris)
        return real(store, iris, lang, library)

    monkeypatch.setattr(workbench, "labels", recording)
    expected = QueryLibrary().get("wijzigingen").run(example_store, {})
    assert len(expected) > 3
    page = get_page(client, "/query/wijzigingen")
    status = page.html.split('data-testid="query-status">')[1].split("</p>")[0]
    assert f"{len(expected)} rijen" in status and "de eerste 3 getoond" in status
    rows = page.rows("tabel-resultaat")
    datum = expected.columns.index("datum")
    assert [r[datum]["text"] for r in rows] == [str(r[datum]) for r in expected.rows[:3]]
    shown = {str(v) for row in expected.rows[:3] for v in row
             if v is not None and v.__class__.__name__ == "URIRef"}
    assert asked == [shown]  # one lookup, for the three rows shown
    names = real(example_store, shown)
    onderwerp = expected.columns.index("onderwerp")
    assert [r[onderwerp]["text"] for r in rows] == [
        names[str(r[onderwerp])] for r in expected.rows[:3]]


def test_query_page_errors_and_required_parameters(client) -> None:
    page = get_page(client, "/query/lidmaatschappen?gemeente=xyz")
    assert page.messages and "gemeente" in page.messages[0]
    assert "tabel-resultaat" not in page.tables
    # 'organisatie' has a default, so it runs; an unknown query is a 404
    get_page(client, "/query/niet-bestaand", status=404)


def test_api_json_and_csv(client, example_store) -> None:
    expected = (
        QueryLibrary()
        .get("deelnemers")
        .run(
            example_store,
            {
                "organisatie": "https://identifier.overheid.nl/tooi/id/so/so0665",
                "peildatum": "2019-07-02",
            },
        )
    )
    args = "organisatie=https://identifier.overheid.nl/tooi/id/so/so0665&peildatum=2019-07-02"
    doc = client.get(f"/api/query/deelnemers.json?{args}").get_json()
    assert doc["query"] == "deelnemers" and doc["count"] == len(expected) == 5
    assert doc["params"]["peildatum"] == "2019-07-02"
    body = client.get(f"/api/query/deelnemers.csv?{args}").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == expected.columns and len(rows) == 6
    bad = client.get("/api/query/deelnemers.json?peildatum=gisteren")
    assert bad.status_code == 400 and "peildatum" in bad.get_json()["error"]


def test_resource_page(client) -> None:
    page = get_page(client, "/resource?uri=https://identifier.overheid.nl/tooi/id/so/so0665")
    assert "<h1>Samenwerking Kempengemeenten</h1>" in page.html
    directions = {r[0]["text"] for r in page.rows("tabel-resource")}
    assert directions == {"uit", "in"}  # its own facts and the memberships pointing at it
    get_page(client, "/resource?uri=https://example.org/nothing", status=404)
    get_page(client, "/resource", status=400)


def test_a_dropped_query_file_is_command_page_and_api(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example_store, runner
) -> None:
    folder = tmp_path / "mijn-queries"
    folder.mkdir()
    monkeypatch.setenv("SDGRAPH_QUERIES", str(folder))
    from web import create_app

    client = create_app(store=example_store, test_config={"TESTING": True}).test_client()
    assert client.get("/query/provincie-gemeenten").status_code == 404
    (folder / "provincie-gemeenten.rq").write_text(NEW_QUERY, encoding="utf-8")  # no restart
    expected = QueryLibrary.from_settings(Settings.from_env()).get(
        "provincie-gemeenten").run(example_store)
    assert len(expected) > 5
    page = get_page(client, "/query/provincie-gemeenten")
    assert "Gemeenten in een provincie" in page.text
    assert len(page.rows("tabel-resultaat")) == len(expected)
    assert ("/query/provincie-gemeenten", "provincie-gemeenten") in get_page(
        client, "/queries"
    ).links
    doc = client.get("/api/query/provincie-gemeenten.json").get_json()
    assert doc["count"] == len(expected)
    # and the command line (its own store, initialised with the example)
    assert runner.invoke(main, ["init"]).exit_code == 0
    result = runner.invoke(main, ["query", "provincie-gemeenten", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert len(result.output.strip().splitlines()) == len(expected) + 1
