"""The /scenario pages against the bundled Oirschot example: the same numbers as the core."""

from __future__ import annotations

import csv
import html as html_lib
import io
import json
import re
from pathlib import Path

import pytest
from conftest import get_page, inventory_only_store

from sdgraph.i18n import format_number
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


def field_errors(html: str) -> dict[str, str]:
    """The messages shown at form fields: field name -> text."""
    return {m.group(1): " ".join(html_lib.unescape(m.group(2)).split())
            for m in re.finditer(r'<p class="veldfout" id="fout-([\w-]+)"[^>]*>(.*?)</p>', html,
                                 re.S)}


def test_compare_page_shows_the_matrix_and_criteria_of_the_core(client, example_store):
    page = get_page(client, f"/scenario/vergelijk?{QUERY}")
    v = expected(example_store)
    matrix = page.rows("tabel-matrix")
    assert [r[0]["text"].replace(" illustratief", "") for r in matrix] == [
        i.scenario.naam() for i in v.impacts]
    assert len(matrix) == 4 and all(len(r) == 6 for r in matrix)  # 4 x 5 plus the name
    # D, backoffice: 4 cells change (see tests/test_scenario.py), said in words
    assert "4 taakuitvoeringen wijzigen van uitvoerder" in matrix[3][2]["text"]
    assert "w4" not in page.text  # no codes
    assert any(href == "#s4-d2" for href in matrix[3][2]["links"])
    totals = [r[7]["text"] for r in page.rows("tabel-criteria")]
    assert totals == [format_number(t, "nl", 1) for t in v.totaal]
    ranks = [r[8]["text"] for r in page.rows("tabel-criteria")]
    assert ranks == [str(v.rang(i)) for i in range(4)]
    # every criterion cell: the value, before, the difference and the score
    d = page.rows("tabel-criteria")[3]
    assert d[1]["text"] == "51,9% voor 25,9%, verschil +26,0% score 10,0"
    assert "14 eigen / 27 gevulde cellen x 100" in page.text
    # the money that moves, shown but not scored: Oirschot's contribution to the GR it leaves
    assert [r[1]["text"] for r in page.rows("tabel-geld")] == [
        "€ 0", "€ 2.950.000", "€ 0", "€ 2.950.000"]  # (the parser makes no-break spaces plain)
    # the klantreis per soort hulpvraag (organisations + hand-overs), before -> after
    wmo = next(r for r in v.impacts[3].reizen if r.naam == "Wmo")
    before = len(wmo.voor.organisaties) + len(wmo.voor.overdrachten)
    after = len(wmo.na.organisaties) + len(wmo.na.overdrachten)
    assert after < before  # D takes the Wmo back in house
    assert page.rows("tabel-klantreizen")[3][3]["text"] == f"{before} → {after} ({after - before})"
    # drill down: the items behind the cell, with IRIs and sources
    assert "https://w3id.org/sdgraph/id/taakuitvoering/gm0823/huishoudelijke-hulp/backoffice" \
        in page.html
    assert 'id="s4-d2"' in page.html
    assert ("Huishoudelijke hulp: Samenwerking Kempengemeenten (Gemeenschappelijke regeling) → "
            "Oirschot (Eigen organisatie)") in page.text


def test_weights_in_the_query_change_the_ranking(client, example_store):
    v = expected(example_store, {"eigen-uitvoering": 0, "zeggenschap": 0, "klantreis": 0,
                                 "arrangementen": 0, "exitkosten": 1, "transitie": 0})
    page = get_page(client, f"/scenario/vergelijk?{QUERY}&w_eigen-uitvoering=0"
                            "&w_zeggenschap=0&w_klantreis=0&w_arrangementen=0&w_transitie=0")
    # exit costs only: C (0 EUR) is best
    assert [r[8]["text"] for r in page.rows("tabel-criteria")] == [
        str(v.rang(i)) for i in range(4)]
    assert v.impacts[v.ranking[0]].scenario.slug == "c-regio-zuidoost-brabant"
    assert page.rows("tabel-criteria")[2][8]["text"] == "1"


def test_downloads_are_links_with_the_same_numbers(client, example_store):
    v = expected(example_store)
    page = get_page(client, f"/scenario/vergelijk?{QUERY}")
    links = [(h, t) for h, t in page.links if "/scenario/vergelijk." in h]
    assert [t for _, t in links] == ["Rapport (HTML, afdrukbaar)", "Rapport (Markdown)",
                                     "Alle cijfers met hun items (CSV)",
                                     "Criteria en matrix (JSON)"]
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


def test_own_yaml_scenario_is_compared_with_the_ticked_ones(client):
    yaml = (OIRSCHOT / "d-eigen-regie.yaml").read_text(encoding="utf-8").replace(
        "id: d-eigen-regie", "id: mijn-eigen-regie").replace("D. Eigen regie", "Mijn scenario")
    response = client.post("/scenario/vergelijk", data={"yaml": yaml, "s": IDS[:3]})
    # the YAML becomes a link: the comparison is a URL, its downloads are links
    assert response.status_code == 303
    target = response.headers["Location"]
    assert target.count("s=oirschot") == 3 and "sc=1." in target
    page = get_page(client, target)
    assert [r[0]["text"].replace(" illustratief", "") for r in page.rows("tabel-criteria")] == [
        "A. Integraal met subregio De Kempen",
        "B. Integraal met subregio Veldhoven, Best, Oirschot",
        "C. Wmo via de regio Zuidoost-Brabant", "Mijn scenario"]
    # compared with the others: not 10 on every criterion
    scores = [r[1]["text"] for r in page.rows("tabel-criteria")]
    assert len(set(scores)) > 1
    csv_link = next(h for h, _ in page.links if h.startswith("/scenario/vergelijk.csv"))
    assert "Mijn scenario" in client.get(csv_link).get_data(as_text=True)
    # an API client may still post YAML to a download
    response = client.post("/scenario/vergelijk.csv", data={"yaml": yaml})
    assert "Mijn scenario" in response.get_data(as_text=True)


def test_network_before_and_after_in_one_layout(client):
    page = get_page(client, f"/scenario/netwerk?nr=4&{QUERY}")
    assert "Netwerk voor en na: D. Eigen regie" in page.text
    gone = page.rows("tabel-weg")
    # the membership of Samenwerking Kempengemeenten is one of the lines that go
    assert any(r[0]["text"] == "Lidmaatschap" and r[2]["text"] == "Samenwerking Kempengemeenten"
               for r in gone)
    data = json.loads(client.get(f"/scenario/netwerk.json?nr=4&{QUERY}").get_data(as_text=True))
    assert data["voor"]["count"]["edges"] - data["na"]["count"]["edges"] == len(gone) - len(
        page.rows("tabel-nieuw") if "tabel-nieuw" in page.tables else [])
    # every organisation in both drawings is in the same place; the gemeente at the centre
    voor = {n["id"]: (n["x"], n["y"]) for n in data["voor"]["nodes"]}
    na = {n["id"]: (n["x"], n["y"]) for n in data["na"]["nodes"]}
    assert set(voor) & set(na) and all(voor[k] == na[k] for k in set(voor) & set(na))
    assert voor["https://identifier.overheid.nl/tooi/id/gemeente/gm0823"] == (0.0, 0.0)
    assert len(set(voor.values())) == len(voor)  # no two on one spot
    # the lines that go are marked before, those that come after
    assert sum(e["veranderd"] for e in data["voor"]["edges"]) == len(gone)
    assert sum(e["veranderd"] for e in data["na"]["edges"]) == len(
        page.rows("tabel-nieuw") if "tabel-nieuw" in page.tables else [])


def test_english_page(client):
    page = get_page(client, f"/scenario/vergelijk?s={IDS[3]}&lang=en")
    assert page.lang == "en"
    assert "In-house execution (% cells)" in page.text and "Ranking" in page.text
    assert "Contractual exit costs (EUR)" in page.text
    assert "€32,500" in page.text and "51.9%" in page.text
    assert "4 task executions change executor" in page.text


def test_mistakes_are_shown_at_their_field_in_the_pages_language(client):
    for url, field in (("/scenario/vergelijk", "s"),
                       ("/scenario/vergelijk?s=../../etc/passwd", "s"),
                       ("/scenario/vergelijk?s=oirschot/bestaat-niet", "s"),
                       (f"/scenario/vergelijk?s={IDS[0]}&w_exitkosten=-1", "gewichten"),
                       (f"/scenario/vergelijk?s={IDS[0]}&peildatum=morgen", "peildatum"),
                       (f"/scenario/vergelijk?s={IDS[0]}&sc=kapot", "sc")):
        page = get_page(client, url, status=400)
        assert field in field_errors(page.html), (url, field_errors(page.html))
        assert page.rows("tabel-scenarios")  # the form to put it right
    page = get_page(client, "/scenario/vergelijk?lang=en", status=400)
    assert field_errors(page.html) == {"s": "Choose at least one scenario."}
    get_page(client, f"/scenario/netwerk?nr=9&s={IDS[0]}", status=400)
    response = client.post("/scenario/vergelijk?lang=nl", data={"yaml": "id: [niet", "s": IDS[0]})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert field_errors(html)["yaml"].startswith("YAML: geen geldige YAML")
    assert "id: [niet" in html  # what was typed stays
    assert re.search(f'value="{IDS[0]}" id="keuze-\\d+" checked', html)  # and what was ticked
    response = client.post("/scenario/vergelijk?lang=en",
                           data={"yaml": "id: x\ngemeente: GM0823\n"})
    assert field_errors(response.get_data(as_text=True)) == {
        "yaml": "YAML: peildatum is missing"}
