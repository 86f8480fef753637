"""Tests of the Flask web shell (web/) against the bundled Oirschot example.

Expected values come from the example data (data/examples/oirschot) or are
computed from ``example_store`` with the same named queries, never from the
pages themselves.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import Page, get_page

from sdgraph.errors import StoreError
from sdgraph.namespaces import SD
from sdgraph.queries import QueryLibrary
from sdgraph.store import EmbeddedStore

ROOT = Path(__file__).resolve().parent.parent
SO = "https://identifier.overheid.nl/tooi/id/so/"

#: The seven GR versions valid for Oirschot on 2019-07-02 (ROO register; see grs.ttl).
ROO_2019 = {"25250109", "25143080", "24961951", "27965412", "26639015", "26122493", "24967301"}
#: ... and on 2024-08-01: the 2024 versions of GGD, MRE, Kempengemeenten and
#: VRBZO; ODZOB, WSD and the Kempen school board still have the same version.
ROO_2024 = {"29579787", "29544570", "24961951", "29436968", "30450913", "26122493", "24967301"}
KEMPEN_MEMBERS = {"Bergeijk", "Bladel", "Eersel", "Oirschot", "Reusel-De Mierden"}


# --------------------------------------------------------------------------- helpers


def organisation_links(page: Page) -> list[str]:
    return sorted({href for href, _ in page.links if href.startswith("/organisatie?")})


def statistieken(store) -> dict[str, int]:
    table = QueryLibrary().get("statistieken").run(store)
    return {str(r["klasse"]): int(r["aantal"]) for r in table.dicts()}


# --------------------------------------------------------------------------- home


def test_bronnen_shows_statistics_and_provenance(client, example_store):
    """The contents of the graph and every source with its provenance are on the Bronnen
    page (the home page speaks to people: national figures, no graph IRIs)."""
    expected = statistieken(example_store)
    html = client.get("/bronnen").get_data(as_text=True)
    page = Page(html)
    assert page.lang == "nl"
    rows = page.rows("tabel-statistieken")
    row = r'<tr data-klasse="([^"]+)"><td>[^<]*</td><td class="num" data-sort="(\d+)">'
    shown = dict(re.findall(row, html))
    assert {k: int(v) for k, v in shown.items()} == expected
    assert len(rows) == len(expected)
    assert expected[str(SD.Gemeente)] > 0
    # total triples (in the page's number format) and every loaded graph, no machine paths
    total = f"{len(example_store):,}".replace(",", ".")
    assert re.search(rf'data-testid="triples">{re.escape(total)}<', html)
    graphs = re.findall(r'<tr data-graaf="([^"]+)">', html)
    assert set(graphs) == {g.graph for g in example_store.graphs() if g.loaded}
    stand_in = next(g for g in example_store.graphs() if g.graph.endswith("oirschot/register"))
    cells = page.rows("tabel-grafen")[graphs.index(stand_in.graph)]
    assert cells[5]["text"] == f"{stand_in.triples:,}".replace(",", ".")
    assert cells[4]["text"] == stand_in.loaded[:10]
    assert "/work/" not in html and str(Path.home()) not in html


def test_home_speaks_to_people(client):
    page = get_page(client, "/")
    assert "triples" not in page.text
    assert "graph/" not in page.html  # no graph IRIs
    assert page.rows("tabel-fragmentatie")  # the most fragmented gemeenten
    # no reference graph in the example store: the home page says how to get it
    assert "sdgraph reference download" in page.text


def test_home_links_to_gemeenten_and_oirschot(client):
    page = get_page(client, "/")
    hrefs = {href for href, _ in page.links}
    assert "/gemeenten" in hrefs
    assert "/gemeente/GM0823" in hrefs
    assert "kennisgraaf" in page.text.lower()
    assert get_page(client, "/gemeente/GM0823").lang == "nl"


# --------------------------------------------------------------------------- gemeenten


def test_gemeenten_search_finds_oirschot_not_eindhoven(client):
    page = get_page(client, "/gemeenten?zoek=oir")
    names = page.column("tabel-gemeenten", 0)
    assert "Oirschot" in names
    assert "Eindhoven" not in names
    oirschot = next(r for r in page.rows("tabel-gemeenten") if r[0]["text"] == "Oirschot")
    assert oirschot[0]["links"] == ["/gemeente/GM0823"]
    assert oirschot[1]["text"] == "GM0823"
    assert 'value="oir"' in page.html  # the search term stays in the form


def test_gemeenten_list_without_search_has_all(client, example_store):
    page = get_page(client, "/gemeenten")
    expected = statistieken(example_store)[str(SD.Gemeente)]
    assert len(page.rows("tabel-gemeenten")) == expected
    assert f"{expected} rijen" in page.text
    assert "Eindhoven" in page.column("tabel-gemeenten", 0)


def test_gemeenten_search_without_hits(client):
    page = get_page(client, "/gemeenten?zoek=zzzz-geen-gemeente")
    assert "tabel-gemeenten" not in page.tables
    assert "Geen gemeenten gevonden." in page.text
    assert "0 rijen" in page.text


# --------------------------------------------------------------------------- gemeente page


def test_gemeente_2019_lists_the_seven_grs(client):
    page = get_page(client, "/gemeente/GM0823?peildatum=2019-07-02")
    assert "Oirschot" in page.text
    assert 'data-testid="peildatum">2019-07-02<' in page.html
    rows = page.rows("tabel-lidmaatschappen")
    roo_ids = [r[1]["text"] for r in rows]
    assert len(roo_ids) == 7
    assert set(roo_ids) == ROO_2019
    assert "7 rijen" in page.text
    kempen = next(r for r in rows if r[1]["text"] == "27965412")
    assert kempen[0]["text"] == "Samenwerking Kempengemeenten"
    assert kempen[0]["links"] == [f"/organisatie?iri={SO}so0665"]
    assert kempen[2]["text"] == "Gemeenschappelijke Regeling Samenwerking Kempengemeenten"
    assert kempen[3]["text"] == "Openbaar lichaam"
    assert kempen[4]["text"] == "2010-01-01"


def test_gemeente_2024_lists_the_2024_versions(client):
    page = get_page(client, "/gemeente/GM0823?peildatum=2024-08-01")
    roo_ids = {r[1]["text"] for r in page.rows("tabel-lidmaatschappen")}
    assert roo_ids == ROO_2024
    assert roo_ids != ROO_2019
    assert 'data-testid="peildatum">2024-08-01<' in page.html


def test_gemeente_default_peildatum_is_today(client):
    from datetime import date

    page = get_page(client, "/gemeente/GM0823")
    assert f'data-testid="peildatum">{date.today().isoformat()}<' in page.html
    assert f'value="{date.today().isoformat()}"' in page.html


def test_gemeente_regios_and_wie_doet_wat(client):
    page = get_page(client, "/gemeente/GM0823?peildatum=2019-07-02")
    regios = page.rows("tabel-regios")
    by_iri = {r[1]["links"][0].split("iri=")[1]: r for r in regios}
    jeugd = by_iri["https://w3id.org/sdgraph/id/regio/jeugdregio/zuidoost-brabant"]
    assert jeugd[1]["text"] == "Zuidoost Brabant"  # as RegioAtlas 2016 spells it
    assert jeugd[2]["text"] == "JZ39"
    centrum = by_iri["https://w3id.org/sdgraph/id/regio/centrumgemeente-bw-mo/eindhoven"]
    assert centrum[3]["text"] == "Eindhoven"
    wdw = page.rows("tabel-wie-doet-wat")
    assert wdw, "wie doet wat is empty"
    # every row of the Oirschot example is illustrative and carries the visible badge
    # the example's inventory (illustrative) and, with the register facts, the baseline:
    # derived and assumed rows say so and are not illustrative
    confirmed = [r for r in wdw if r[-1]["text"] == "bevestigd"]
    assert confirmed and all("illustratief" in r[1]["text"] for r in confirmed)
    assert page.badges.count("illustratief") == len(confirmed)
    assert {r[-1]["text"] for r in wdw} <= {"bevestigd", "afgeleid", "aangenomen"}
    assert 'class="illustratief"' in page.html


def test_gemeente_code_is_canonicalised(client):
    for written in ("gm0823", "823", "0823", "Gm0823"):
        response = client.get(f"/gemeente/{written}?peildatum=2019-07-02")
        assert response.status_code == 301, written
        location = urlsplit(response.headers["Location"])
        assert location.path == "/gemeente/GM0823"
        assert parse_qs(location.query) == {"peildatum": ["2019-07-02"]}
    response = client.get("/gemeente/gm0823/lidmaatschappen.json")
    assert response.status_code == 301
    assert urlsplit(response.headers["Location"]).path == "/gemeente/GM0823/lidmaatschappen.json"


def test_every_organisation_link_resolves(client):
    links: set[str] = set()
    for peildatum in ("2019-07-02", "2024-08-01"):
        page = get_page(client, f"/gemeente/GM0823?peildatum={peildatum}")
        links.update(organisation_links(page))
    # the 7 GRs, regio's, centrumgemeente, uitvoerders and arrangements
    assert len(links) > 7
    for url in sorted(links):
        org = get_page(client, url)
        assert org.text, url
        # links onwards (members, centrumgemeente) resolve as well
        onwards = organisation_links(org) + [h for h, _ in org.links if h.startswith("/gemeente/")]
        for href in onwards:
            assert client.get(href.split("#")[0]).status_code == 200, (url, href)


# --------------------------------------------------------------------------- organisation page


def test_organisation_so0665_lists_members_and_versions(client):
    page = get_page(client, f"/organisatie?iri={SO}so0665&peildatum=2019-07-02")
    assert "Samenwerking Kempengemeenten" in page.text
    assert "Gemeenschappelijke regeling" in page.text  # its type
    members = page.rows("tabel-deelnemers")
    assert {r[0]["text"] for r in members} == KEMPEN_MEMBERS
    oirschot = next(r for r in members if r[0]["text"] == "Oirschot")
    assert oirschot[0]["links"] == ["/gemeente/GM0823"]
    assert all(r[0]["links"][0].startswith("/gemeente/GM") for r in members)
    assert f"{len(KEMPEN_MEMBERS)} rijen" in page.text
    versions = page.rows("tabel-versies")
    assert [r[0]["links"] and r[0]["text"].split()[0] for r in versions] == [
        "26248133", "27965412", "29113988", "29436968"]
    current = [r for r in versions if "geldig op de peildatum" in r[0]["text"]]
    assert [r[0]["text"].split()[0] for r in current] == ["27965412"]
    assert 'data-testid="peildatum">2019-07-02<' in page.html


def test_organisation_members_are_linked_to_their_pages(client):
    page = get_page(client, f"/organisatie?iri={SO}so0790&peildatum=2019-07-02")
    # ODZOB: the provincie takes part too; it is not a gemeente so it links to the organisation page
    members = page.rows("tabel-deelnemers")
    provincie = [r for r in members if not r[1]["text"].startswith("GM")]
    for row in members:
        assert row[0]["links"], row
        if row[1]["text"].startswith("GM"):
            assert row[0]["links"][0] == f"/gemeente/{row[1]['text']}"
    for row in provincie:
        assert row[0]["links"][0].startswith("/organisatie?iri=")
        assert client.get(row[0]["links"][0]).status_code == 200


def test_organisation_regio_and_gemeente(client):
    regio = get_page(
        client, "/organisatie?iri=https://w3id.org/sdgraph/id/regio/centrumgemeente-bw-mo/eindhoven")
    assert "Centrumgemeente Eindhoven (BW/MO)" in regio.text
    assert "Centrumgemeenten beschermd wonen en maatschappelijke opvang" in regio.text
    eindhoven = "/organisatie?iri=https://identifier.overheid.nl/tooi/id/gemeente/gm0772"
    assert (eindhoven, "Eindhoven") in regio.links
    assert "tabel-versies" not in regio.tables
    gemeente = get_page(client, eindhoven)
    assert ("/gemeente/GM0772", "Naar de gemeentepagina") in gemeente.links
    assert "tabel-deelnemers" not in gemeente.tables


def test_organisation_aanbieder_is_marked_illustrative(client):
    page = get_page(
        client, "/organisatie?iri=https://w3id.org/sdgraph/id/aanbieder/jeugdhulp-zuidoost-fictief")
    assert "Jeugdhulp Zuidoost Brabant (fictief)" in page.text
    assert "illustratief" in page.badges
    assert "Aanbieder" in page.text


def test_organisation_errors(client):
    page = get_page(client, "/organisatie?iri=https://example.org/niets", status=404)
    assert page.messages == ["Over deze IRI is niets bekend: https://example.org/niets"]
    # text that is no IRI is a name: looked up, and when nothing bears it, said so
    page = get_page(client, "/organisatie?iri=geen%20iri", status=400)
    assert page.messages == ["Geen organisatie met de naam 'geen iri'."]
    # without ?iri= an index of organisations, not an error
    index = get_page(client, "/organisatie")
    assert ("/regelingen", "Alle gemeenschappelijke regelingen") in index.links


# --------------------------------------------------------------------------- language


def test_english_switch_changes_ui_text(client):
    dutch = get_page(client, "/gemeente/GM0823?peildatum=2019-07-02")
    assert dutch.lang == "nl"
    assert "Peildatum" in dutch.text
    assert "Lidmaatschappen van een gemeente" in dutch.text  # query title from the .rq header
    switch = {text: href for href, text in dutch.links if text in ("NL", "EN")}
    assert parse_qs(urlsplit(switch["EN"]).query) == {"peildatum": ["2019-07-02"], "lang": ["en"]}

    response = client.get(switch["EN"])
    english = Page(response.get_data(as_text=True))
    assert english.lang == "en"
    assert "Reference date" in english.text
    assert "Peildatum" not in english.text
    assert "Memberships of a gemeente" in english.text
    assert "Municipalities" in english.text
    assert "7 rows" in english.text
    assert "sdgraph_lang=en" in response.headers["Set-Cookie"]
    # the cookie keeps the choice on the next page
    assert get_page(client, "/").lang == "en"
    assert get_page(client, "/gemeenten?lang=nl").lang == "nl"
    assert get_page(client, "/").lang == "nl"


def test_english_labels_from_queries_with_a_lang_parameter(client):
    page = get_page(client, f"/organisatie?iri={SO}so0665&lang=en")
    assert "Joint arrangement" in page.text
    assert "Public body" in page.column("tabel-versies", 2)
    page = get_page(client, f"/organisatie?iri={SO}so0665&lang=nl")
    assert "Openbaar lichaam" in page.column("tabel-versies", 2)


def test_unknown_language_falls_back_to_dutch(client):
    page = get_page(client, "/?lang=fr")
    assert page.lang == "nl"


# --------------------------------------------------------------------------- errors


def test_unknown_gemeente_is_404(client):
    page = get_page(client, "/gemeente/GM9999", status=404)
    assert page.messages == ["Geen gemeente met code GM9999 in de graaf."]
    get_page(client, "/gemeente/geen-code", status=404)
    assert client.get("/gemeente/GM9999/lidmaatschappen.json").status_code == 404
    get_page(client, "/bestaat-niet", status=404)


@pytest.mark.parametrize("bad", ["2019-13-45", "morgen", "02-07-2019"])
def test_bad_peildatum_is_400_with_message(client, bad):
    for url in (f"/gemeente/GM0823?peildatum={bad}", f"/organisatie?iri={SO}so0665&peildatum={bad}",
                f"/gemeenten?peildatum={bad}"):
        page = get_page(client, url, status=400)
        assert page.messages, url
        assert "peildatum" in page.messages[0]
        assert bad in page.messages[0]
        assert "Traceback" not in page.html
    response = client.get(f"/gemeente/GM0823/lidmaatschappen.json?peildatum={bad}")
    assert response.status_code == 400


class DownStore(EmbeddedStore):
    """A store whose every query fails as an unreachable endpoint would."""

    def _select(self, text, dataset=None):
        raise StoreError("http://127.0.0.1:9/query: connection refused")

    def __len__(self):
        raise StoreError("http://127.0.0.1:9/query: connection refused")


def test_store_error_is_503():
    from web import create_app

    store = DownStore(None)
    app = create_app(store=store, test_config={"TESTING": True})
    client = app.test_client()
    for url in ("/", "/gemeenten", "/gemeente/GM0823", f"/organisatie?iri={SO}so0665"):
        page = get_page(client, url, status=503)
        assert "connection refused" in page.messages[0]
        assert "Traceback" not in page.html
    for url in ("/gemeenten.json", "/gemeenten.csv", "/api/query/gemeenten.json"):
        response = client.get(url)  # a download or the API answers its error as JSON
        assert response.status_code == 503 and response.mimetype == "application/json", url
        assert "connection refused" in response.get_json()["error"]
    store.close()


def test_app_opens_its_store_from_settings(tmp_path):
    from sdgraph.config import Settings
    from web import create_app

    settings = Settings(store_path=tmp_path / "store")
    with pytest.raises(StoreError, match="sdgraph init"):  # nothing to serve yet
        create_app(settings=settings, test_config={"TESTING": True})
    EmbeddedStore(tmp_path / "store").close()
    app = create_app(settings=settings, test_config={"TESTING": True})
    store = app.extensions["sdgraph.store"]
    assert isinstance(store, EmbeddedStore)
    assert store.read_only  # the web app never holds the write lock
    assert app.test_client().get("/").status_code == 200
    store.close()


# --------------------------------------------------------------------------- json / csv


def test_gemeenten_json_and_csv_match_html(client):
    html_rows = get_page(client, "/gemeenten?zoek=oir").rows("tabel-gemeenten")
    response = client.get("/gemeenten.json?zoek=oir")
    assert response.mimetype == "application/json"
    doc = json.loads(response.get_data(as_text=True))
    assert doc["query"] == "gemeenten"
    assert doc["params"] == {"zoek": "oir"}
    assert doc["count"] == len(doc["rows"]) == len(html_rows)
    assert [r["naam"] for r in doc["rows"]] == [r[0]["text"] for r in html_rows]
    response = client.get("/gemeenten.csv?zoek=oir")
    assert response.mimetype == "text/csv"
    records = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(records) == len(html_rows)
    assert "Oirschot" in {r["naam"] for r in records}
    assert "Eindhoven" not in {r["naam"] for r in records}


@pytest.mark.parametrize("peildatum,expected", [("2019-07-02", ROO_2019), ("2024-08-01", ROO_2024)])
def test_lidmaatschappen_json_and_csv_match_html(client, peildatum, expected):
    page = get_page(client, f"/gemeente/GM0823?peildatum={peildatum}")
    html_rows = page.rows("tabel-lidmaatschappen")
    hrefs = {h for h, _ in page.links}
    json_url = f"/gemeente/GM0823/lidmaatschappen.json?peildatum={peildatum}"
    csv_url = f"/gemeente/GM0823/lidmaatschappen.csv?peildatum={peildatum}"
    assert json_url in hrefs and csv_url in hrefs
    doc = json.loads(client.get(json_url).get_data(as_text=True))
    assert doc["params"]["peildatum"] == peildatum
    assert doc["count"] == len(html_rows) == len(expected)
    assert {r["roo_id"] for r in doc["rows"]} == expected
    records = list(csv.DictReader(io.StringIO(client.get(csv_url).get_data(as_text=True))))
    assert len(records) == len(html_rows)
    assert {r["roo_id"] for r in records} == expected


def test_other_gemeente_and_deelnemers_downloads_match_html(client):
    page = get_page(client, "/gemeente/GM0823?peildatum=2019-07-02")
    tables = {"regio-indeling": "tabel-regios", "wie-doet-wat": "tabel-wie-doet-wat"}
    for query, table in tables.items():
        doc = client.get(f"/gemeente/GM0823/{query}.json?peildatum=2019-07-02").get_json()
        assert doc["count"] == len(page.rows(table)), query
    org = get_page(client, f"/organisatie?iri={SO}so0665&peildatum=2019-07-02")
    doc = client.get(f"/organisatie/deelnemers.json?iri={SO}so0665&peildatum=2019-07-02").get_json()
    assert doc["count"] == len(org.rows("tabel-deelnemers"))
    assert {r["naam"] for r in doc["rows"]} == KEMPEN_MEMBERS
    for query, table in (("deelnemers-historie", "tabel-deelnemers-historie"),
                         ("gr-versies", "tabel-versies")):  # fmt: skip
        doc = client.get(f"/organisatie/{query}.json?iri={SO}so0665&peildatum=2019-07-02")
        assert doc.get_json()["count"] == len(org.rows(table)), query
    assert client.get(f"/organisatie/onbekend.json?iri={SO}so0665").status_code == 404


def test_organisation_history_and_derived_taken_sections(client, example_store):
    page = get_page(client, f"/organisatie?iri={SO}so0665&peildatum=2019-07-02")
    history = page.rows("tabel-deelnemers-historie")
    expected = QueryLibrary().get("deelnemers-historie").run(
        example_store, {"organisatie": f"{SO}so0665", "peildatum": "2019-07-02"})
    assert len(history) == len(expected) >= len(KEMPEN_MEMBERS)
    # the memberships running on the peildatum are exactly the current members
    current = {str(r["naam"]) for r in expected.dicts() if r["huidig"].toPython()}
    assert current == KEMPEN_MEMBERS
    # the example's stand-in holds the derived wetten and taken of the GR's versions
    # (register.txt, afleiding/...): one row each, as the gr-taken query gives them
    rows = page.rows("tabel-gr-taken")
    derived = QueryLibrary().get("gr-taken").run(example_store, {"gr": f"{SO}so0665"})
    assert len(rows) == len(derived) > 0
    assert "Participatiewet" in {r[2]["text"] for r in rows}


# --------------------------------------------------------------------------- assets


def test_pages_use_only_local_assets(client):
    for url in ("/", "/gemeenten", "/gemeente/GM0823", f"/organisatie?iri={SO}so0665"):
        response = client.get(url)
        html = response.get_data(as_text=True)
        for tag, attr in (("link", "href"), ("script", "src"), ("img", "src")):
            for value in re.findall(rf"<{tag}\b[^>]*\b{attr}=\"([^\"]+)\"", html):
                assert value.startswith("/static/"), (url, tag, value)
        assert "style=" not in html and "<style" not in html  # CSP: no inline styles
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    css = client.get("/static/sdgraph.css").get_data(as_text=True)
    assert "@import" not in css and "url(http" not in css
    assert client.get("/static/sdgraph.js").status_code == 200
    assert client.get("/static/favicon.svg").status_code == 200


def test_inputs_have_labels(client):
    for url in ("/", "/gemeenten", "/gemeente/GM0823", f"/organisatie?iri={SO}so0665"):
        html = client.get(url).get_data(as_text=True)
        ids = re.findall(r'<input\b(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', html)
        inputs = re.findall(r'<input\b(?![^>]*type="hidden")[^>]*>', html)
        assert len(ids) == len(inputs), url
        for input_id in ids:
            assert f'<label for="{input_id}">' in html, (url, input_id)
        assert '<th scope="col">' in html or url == "/"
