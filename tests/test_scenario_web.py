"""The /scenario pages against the bundled Oirschot example: the same numbers as the core."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import get_page, inventory_only_store

from sdgraph.scenario import compare, load

ROOT = Path(__file__).resolve().parent.parent
OIRSCHOT = ROOT / "data" / "examples" / "oirschot" / "scenarios"
IDS = ["oirschot/a-subregio-de-kempen", "oirschot/b-subregio-veldhoven-best-oirschot",
       "oirschot/c-regio-zuidoost-brabant", "oirschot/d-eigen-regie"]
QUERY = "&".join(f"s={i}" for i in IDS)


@pytest.fixture(scope="module")
def example_store():
    """The Oirschot example without the baseline: its scenario figures are counted by hand
    from the inventory (scenarios over the baseline: test_baseline*.py)."""
    yield from inventory_only_store()


def expected(store, weights=None):
    return compare(store, [s for p in sorted(OIRSCHOT.glob("*.yaml")) for s in load(p)], weights)


def test_index_lists_the_bundled_scenarios_with_a_form(client):
    page = get_page(client, "/scenario")
    names = page.column("tabel-scenarios", 1)
    assert any(n.startswith("A. Integraal met subregio De Kempen") for n in names)
    assert any(n.startswith("A. Doordecentralisatie") for n in names)
    assert "Scenario's vergelijken" in page.text
    assert ('/scenario', "Scenario's") in [(h, t) for h, t in page.links if h == "/scenario"]


def test_compare_page_shows_the_matrix_and_criteria_of_the_core(client, example_store):
    page = get_page(client, f"/scenario/vergelijk?{QUERY}")
    v = expected(example_store)
    matrix = page.rows("tabel-matrix")
    assert [r[0]["text"].replace(" illustratief", "") for r in matrix] == [
        i.scenario.naam() for i in v.impacts]
    assert len(matrix) == 4 and all(len(r) == 6 for r in matrix)  # 4 x 5 plus the name
    # D, backoffice: 4 cells change (see tests/test_scenario.py)
    assert "wijzigt: 4" in matrix[3][2]["text"]
    assert any(href == "#s4-d2" for href in matrix[3][2]["links"])
    totals = [r[6]["text"] for r in page.rows("tabel-criteria")]
    assert totals == [f"{t:g}" for t in v.totaal]
    ranks = [r[7]["text"] for r in page.rows("tabel-criteria")]
    assert ranks == [str(v.rang(i)) for i in range(4)]
    assert "14 eigen / 27 gevulde cellen x 100" in page.text
    # drill down: the items behind the cell, with IRIs and sources
    assert "https://w3id.org/sdgraph/id/taakuitvoering/gm0823/huishoudelijke-hulp/backoffice" \
        in page.html
    assert 'id="s4-d2"' in page.html


def test_weights_in_the_query_change_the_ranking(client, example_store):
    v = expected(example_store, {"zeggenschap": 0, "integraal": 0, "complexiteit": 0,
                                 "kosten": 1, "risico": 0})
    page = get_page(client, f"/scenario/vergelijk?{QUERY}&w_zeggenschap=0&w_integraal=0"
                            "&w_complexiteit=0&w_risico=0")
    # kosten only: C (0 EUR) is best
    assert [r[7]["text"] for r in page.rows("tabel-criteria")] == [
        str(v.rang(i)) for i in range(4)]
    assert v.impacts[v.ranking[0]].scenario.slug == "c-regio-zuidoost-brabant"
    assert page.rows("tabel-criteria")[2][7]["text"] == "1"


def test_downloads_have_the_same_numbers(client, example_store):
    v = expected(example_store)
    doc = json.loads(client.get(f"/scenario/vergelijk.json?{QUERY}").get_data(as_text=True))
    assert [s["totaal"] for s in doc["scenarios"]] == v.totaal
    response = client.get(f"/scenario/vergelijk.html?{QUERY}")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "attachment" in response.headers["Content-Disposition"]
    html = response.get_data(as_text=True)
    assert "<script" not in html and "src=" not in html
    rows = list(csv.DictReader(io.StringIO(client.get(f"/scenario/vergelijk.csv?{QUERY}")
                                           .get_data(as_text=True))))
    assert {r["scenario"] for r in rows} == {i.scenario.naam() for i in v.impacts}
    md = client.get(f"/scenario/vergelijk.md?{QUERY}").get_data(as_text=True)
    assert md.startswith("# Scenariovergelijking: Oirschot")


def test_own_yaml_scenario_by_post(client):
    yaml = (OIRSCHOT / "d-eigen-regie.yaml").read_text(encoding="utf-8").replace(
        "id: d-eigen-regie", "id: mijn-eigen-regie").replace("D. Eigen regie", "Mijn scenario")
    response = client.post("/scenario/vergelijk", data={"yaml": yaml, "s": IDS[0]})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Mijn scenario" in html and "A. Integraal met subregio De Kempen" in html
    response = client.post("/scenario/vergelijk.csv", data={"yaml": yaml})
    assert "Mijn scenario" in response.get_data(as_text=True)


def test_network_before_and_after(client):
    page = get_page(client, f"/scenario/netwerk?nr=4&{QUERY}")
    assert "Netwerk voor en na: D. Eigen regie" in page.text
    gone = page.rows("tabel-weg")
    # the membership of Samenwerking Kempengemeenten is one of the lines that go
    assert any(r[0]["text"] == "Lidmaatschap" and r[2]["text"] == "Samenwerking Kempengemeenten"
               for r in gone)
    data = json.loads(client.get(f"/scenario/netwerk.json?nr=4&{QUERY}").get_data(as_text=True))
    assert data["voor"]["count"]["edges"] - data["na"]["count"]["edges"] == len(gone) - len(
        page.rows("tabel-nieuw") if "tabel-nieuw" in page.tables else [])


def test_english_page(client):
    page = get_page(client, f"/scenario/vergelijk?s={IDS[3]}&lang=en")
    assert page.lang == "en"
    assert "Own control (%)" in page.text and "Ranking" in page.text


def test_bad_requests_are_400_with_a_message(client):
    for url in ("/scenario/vergelijk", "/scenario/vergelijk?s=../../etc/passwd",
                "/scenario/vergelijk?s=oirschot/bestaat-niet",
                f"/scenario/vergelijk?s={IDS[0]}&w_kosten=-1",
                f"/scenario/vergelijk?s={IDS[0]}&peildatum=morgen",
                f"/scenario/netwerk?nr=9&s={IDS[0]}"):
        page = get_page(client, url, status=400)
        assert page.messages, url
    response = client.post("/scenario/vergelijk", data={"yaml": "id: [niet"})
    assert response.status_code == 400
