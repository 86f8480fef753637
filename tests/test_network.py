"""The "spaghetti" network of a gemeente: the netwerk query, sdgraph.network, the CLI
command and the web routes.

Expected values are counted by hand from data/examples/oirschot for the
peildatum 2022-06-01:

- lidmaatschappen (17 memberships, 18 lines): the 7 GRs of register/lidmaatschappen.ttl
  (each has a version valid that day in register/grs.ttl) and 10 regio's: the 9 of
  register/regios.ttl plus subregio De Kempen (subregios.ttl; the subregio
  Veldhoven, Best, Oirschot ended 2020-01-01). The example has no derived
  sd:dientWet, so the GR lines have no wet; a regio's line has the wet of its indeling
  (data/vocab/regioindelingen.ttl): jeugdregio Jeugdwet, Wmo-regio, centrumgemeente
  BW/MO and subregio De Kempen Wmo 2015, arbeidsmarktregio Participatiewet, and the
  Veilig Thuis-regio both Jeugdwet and Wmo 2015 (two lines); GGD-regio,
  veiligheidsregio, zorgkantoorregio and RMC-regio none.
- taakuitvoeringen (30) of taakuitvoeringen.ttl valid that day: Jeugdwet 9,
  Wmo 2015 13 (not begeleiding-dagbesteding/inkoop/gm0861, ended 2020), and
  Participatiewet 8 (not bijstand/backoffice, ended 2019-07-01, nor the
  bijzondere bijstand from 2024).
- overeenkomsten (5) of overeenkomsten.ttl: Oirschot -> Eindhoven (DVO inkoop
  jeugdhulp) and -> Welzijn Oirschot (Oirschot is opdrachtgever); Eindhoven ->
  the two jeugdhulp aanbieders (raamovereenkomst 2020-2023, which Oirschot's
  ambulante jeugdhulp runs through); Samenwerking Kempengemeenten -> Schuldhulp
  Brabant (schuldhulpverlening 2022-2025, via of Oirschot's schuldhulp toegang).
  Not the huishoudelijke hulp contract (neither opdrachtgever nor via).
- per wet: Jeugdwet 9 + 3 + 2 = 14, Wmo 2015 13 + 1 + 4 = 18, Participatiewet
  8 + 1 + 1 = 10, no wet 7 + 4 = 11; 53 lines in all, all of the sociaal domein.
- organisations (23): Oirschot, Eindhoven, the 7 GRs, the 10 regio's and the 4
  aanbieders (Jeugdhulp Zuidoost, Zorgaanbieder De Kempen, Schuldhulp Brabant,
  Welzijn Oirschot).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from conftest import SOURCES, get_page, inventory_only_store, without_baseline

from sdgraph import network
from sdgraph.build import init_store
from sdgraph.cli import main
from sdgraph.queries import QueryLibrary
from sdgraph.store import EmbeddedStore, Store

PEILDATUM = "2022-06-01"
GM = "https://identifier.overheid.nl/tooi/id/gemeente/"
SO = "https://identifier.overheid.nl/tooi/id/so/"
OIRSCHOT, EINDHOVEN, KEMPEN = GM + "gm0823", GM + "gm0772", SO + "so0665"
WET = "https://w3id.org/sdgraph/id/wet/"
JEUGDWET, WMO, PW = WET + "BWBR0034925", WET + "BWBR0035362", WET + "BWBR0015703"
DG = "https://w3id.org/sdgraph/id/deelgebied/"
LIB = QueryLibrary()


@pytest.fixture(scope="module")
def example_store():
    """These tests count the example's own lines by hand: the store without the baseline
    (whose lines are tested in test_baseline.py)."""
    yield from inventory_only_store()


def rows(store: Store, **values: str) -> list[dict]:
    return LIB.get("netwerk").run(store, {"gemeente": "GM0823", "peildatum": PEILDATUM,
                                          **values}).dicts()


def graph(store: Store, **values: str) -> nx.MultiDiGraph:
    return network.build(rows(store, **values), gemeente=OIRSCHOT)


# ------------------------------------------------------------------ the query


def test_netwerk_query_on_both_backends(store: Store) -> None:
    init_store(store, "oirschot", SOURCES)
    without_baseline(store)
    found = rows(store)
    assert Counter(str(r["soort"]) for r in found) == {
        "lidmaatschap": 18, "taakuitvoering": 30, "overeenkomst": 5}
    per_wet = Counter(str(r["wetNaam"]) if r["wetNaam"] else "" for r in found)
    assert per_wet == {"Jeugdwet": 14, "Wmo 2015": 18, "Participatiewet": 10, "": 11}
    assert {str(r["sociaal"]) for r in found} == {"true"}
    # the parameters filter: one wet, one deelgebied, both
    assert len(rows(store, wet=JEUGDWET)) == 14
    inkoop = rows(store, deelgebied=DG + "inkoop")
    assert len(inkoop) == 8  # 4 Jeugdwet + 4 Wmo taakuitvoeringen; no memberships or contracts
    assert {str(r["soort"]) for r in inkoop} == {"taakuitvoering"}
    assert len(rows(store, wet=WMO, deelgebied=DG + "toegang")) == 6
    # labels in the asked language
    english = rows(store, wet=PW, lang="en")
    assert "Labour market reintegration" in {str(r["taakNaam"]) for r in english}
    # (the arbeidsmarktregio's membership line has no arrangement type)
    assert {str(r["arrangementtypeNaam"]) for r in english} == {
        "Joint arrangement", "In-house", "Contract", "None"}


def test_netwerk_follows_the_peildatum(example_store: Store) -> None:
    earlier = rows(example_store, peildatum="2018-06-01")
    begeleiding = "https://w3id.org/sdgraph/id/overeenkomst/begeleiding-veldhoven-best-oirschot-2017"
    # a contract with three opdrachtgevers: a line from each to the aanbieder
    assert {str(r["bron"]) for r in earlier if str(r["arrangement"]) == begeleiding} == {
        GM + "gm0861", GM + "gm0753", OIRSCHOT}
    assert begeleiding not in {str(r["arrangement"]) for r in rows(example_store)}
    # the subregio Veldhoven, Best, Oirschot (2017-2020) only on the earlier date
    vbo = "https://w3id.org/sdgraph/id/regio/wmo-subregio/veldhoven-best-oirschot"
    assert vbo in {str(r["doel"]) for r in earlier}
    assert vbo not in {str(r["doel"]) for r in rows(example_store)}


# ------------------------------------------------------------------ the graph


def test_graph_of_oirschot(example_store: Store) -> None:
    g = graph(example_store)
    assert g.number_of_nodes() == 23
    assert g.number_of_edges() == 53
    assert g.nodes[OIRSCHOT]["centrum"] is True
    assert g.nodes[OIRSCHOT]["label"] == "Oirschot"
    kinds = Counter(d["soort"] for _, d in g.nodes(data=True))
    assert kinds == {"gemeente": 2, "gr": 7, "regio": 10, "aanbieder": 4}
    # regio's are named with their indeling (several are called "Zuidoost-Brabant")
    assert g.nodes["https://w3id.org/sdgraph/id/regio/jeugdregio/zuidoost-brabant"]["label"] == (
        "Zuidoost Brabant (Jeugdregio's)")
    # Oirschot -> Samenwerking Kempengemeenten: the membership and 9 taakuitvoeringen
    # (1 Jeugdwet, 6 Wmo 2015, 2 Participatiewet), each its own edge
    kempen = [d for d in g.get_edge_data(OIRSCHOT, KEMPEN).values()]
    assert len(kempen) == 10
    assert Counter(d["wetNaam"] for d in kempen) == {
        "": 1, "Jeugdwet": 1, "Wmo 2015": 6, "Participatiewet": 2}
    # eigen organisatie: 6 lines from Oirschot to itself
    assert g.number_of_edges(OIRSCHOT, OIRSCHOT) == 6
    # colours per wet, and the legend counts the lines
    assert {d["kleur"] for _, _, d in g.edges(data=True) if d["wet"] == JEUGDWET} == {
        network.WET_COLOURS[JEUGDWET]}
    assert [(i["wetNaam"], i["aantal"]) for i in network.legend(g)] == [
        ("Jeugdwet", 14), ("Participatiewet", 10), ("Wmo 2015", 18), ("Geen wet", 11)]
    assert network.legend(g)[-1]["kleur"] == network.GEEN_WET
    # an edge's tooltip is plain text naming both ends, the taak, wet and deelgebied
    tu = next(d for u, v, d in g.edges(data=True)
              if v == SO + "so0292" and d["taakNaam"] == "Re-integratie")
    assert tu["title"].splitlines()[:2] == ["Oirschot → WSD", "Taakuitvoering: Re-integratie"]
    assert "Wet: Participatiewet" in tu["title"] and "Deelgebied: Backoffice" in tu["title"]


def test_filters_per_wet_and_deelgebied(example_store: Store) -> None:
    g = graph(example_store)
    jeugd = network.select(g, wet=JEUGDWET)
    assert jeugd.number_of_edges() == 14
    # Oirschot, Eindhoven, GGD, Kempengemeenten and the two jeugdhulp aanbieders, and the
    # jeugdregio and Veilig Thuis-regio (regio's stay under the wet they serve)
    assert jeugd.number_of_nodes() == 8
    assert "https://w3id.org/sdgraph/id/regio/jeugdregio/zuidoost-brabant" in jeugd
    # the same edges as the query's own wet parameter
    assert set(jeugd.edges(keys=True)) == set(graph(example_store, wet=JEUGDWET).edges(keys=True))
    inkoop = network.select(g, deelgebied=DG + "inkoop")
    assert inkoop.number_of_edges() == 8
    assert set(inkoop.nodes) == {OIRSCHOT, EINDHOVEN, KEMPEN}
    assert network.select(g, wet=WMO, deelgebied=DG + "toegang").number_of_edges() == 6
    # a filter that matches nothing keeps the gemeente itself
    empty = network.select(g, wet=WET + "onbekend")
    assert list(empty.nodes) == [OIRSCHOT] and empty.number_of_edges() == 0
    assert [iri for iri, _ in network.options(g, "wet")] == [JEUGDWET, PW, WMO]
    assert len(network.options(g, "deelgebied")) == 5


def test_membership_of_a_gr_gets_the_wetten_its_valid_version_serves() -> None:
    s = EmbeddedStore(None)
    init_store(s, "oirschot", SOURCES)
    without_baseline(s)
    # the derived layer (gr-taken importer) says which wetten a GR version serves:
    # 27965412 is valid 2019-07-01 .. 2023-07-15, 26248133 ended 2019-07-01
    s.update(f"""PREFIX sd: <https://w3id.org/sdgraph/def#>
      INSERT DATA {{ GRAPH <urn:test:afgeleid> {{
        <https://w3id.org/sdgraph/id/grversie/27965412> sd:dientWet <{JEUGDWET}>, <{WMO}> .
        <https://w3id.org/sdgraph/id/grversie/26248133> sd:dientWet <{PW}> . }} }}""")
    g = graph(s)
    lid = [d for d in g.get_edge_data(OIRSCHOT, KEMPEN).values() if d["soort"] == "lidmaatschap"]
    assert sorted(d["wetNaam"] for d in lid) == ["Jeugdwet", "Wmo 2015"]
    assert {d["kleur"] for d in lid} == {network.WET_COLOURS[JEUGDWET], network.WET_COLOURS[WMO]}
    assert g.number_of_edges() == 54  # the one membership became two lines
    only_jeugd = graph(s, wet=JEUGDWET)
    assert "lidmaatschap" in {d["soort"] for _, _, d in only_jeugd.edges(data=True)}
    s.close()


# ------------------------------------------------------------------ exports


def test_graphml_parses_back_with_the_edges(example_store: Store) -> None:
    g = graph(example_store)
    back = nx.read_graphml(io.BytesIO(network.to_graphml(g).encode("utf-8")))
    assert isinstance(back, nx.MultiDiGraph)
    assert back.number_of_nodes() == 23 and back.number_of_edges() == 53
    assert back.nodes[OIRSCHOT]["label"] == "Oirschot"
    assert back.nodes[OIRSCHOT]["centrum"] is True
    wetten = Counter(d.get("wetNaam", "") for _, _, d in back.edges(data=True))
    assert wetten == {"Jeugdwet": 14, "Wmo 2015": 18, "Participatiewet": 10, "": 11}
    assert back.number_of_edges(OIRSCHOT, KEMPEN) == 10


def test_json_and_csv(example_store: Store) -> None:
    g = graph(example_store)
    doc = json.loads(network.to_json(g, query="netwerk"))
    assert doc["count"] == {"nodes": 23, "edges": 53}
    assert doc["gemeente"] == OIRSCHOT
    assert len({e["id"] for e in doc["edges"]}) == 53  # unique ids for vis-network
    table = list(csv.DictReader(io.StringIO(network.to_csv(g))))
    assert len(table) == 53
    assert list(table[0]) == list(network.EDGE_FIELDS)
    assert Counter(r["soort"] for r in table) == {
        "lidmaatschap": 18, "taakuitvoering": 30, "overeenkomst": 5}


def _hostile_store() -> EmbeddedStore:
    """A gemeente named <script>alert(1)</script> in a GR named <b>vet</b>."""
    s = EmbeddedStore(None)
    s.update("""PREFIX sd: <https://w3id.org/sdgraph/def#> PREFIX org: <http://www.w3.org/ns/org#>
      PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
      PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
      INSERT DATA { GRAPH <urn:test:hostile> {
        <https://identifier.overheid.nl/tooi/id/gemeente/gm9990> a sd:Gemeente ;
            rdfs:label "<script>alert(1)</script>"@nl ; sd:gemeentecode "GM9990" .
        <https://identifier.overheid.nl/tooi/id/so/so9990> a sd:GemeenschappelijkeRegeling ;
            rdfs:label "<b>vet</b> & \\"quotes\\" </script>"@nl .
        <urn:test:versie> sd:versieVan <https://identifier.overheid.nl/tooi/id/so/so9990> ;
            sd:geldigVanaf "2000-01-01"^^xsd:date .
        <urn:test:lid> a sd:Lidmaatschap ;
            org:member <https://identifier.overheid.nl/tooi/id/gemeente/gm9990> ;
            org:organization <https://identifier.overheid.nl/tooi/id/so/so9990> ;
            rdfs:label "<img src=x onerror=alert(2)>"@nl . } }""")
    return s


def test_offline_html_is_self_contained_and_escapes_labels() -> None:
    s = _hostile_store()
    found = LIB.get("netwerk").run(s, {"gemeente": "GM9990", "peildatum": PEILDATUM}).dicts()
    assert len(found) == 1
    g = network.build(found)
    html = network.to_html(g, subtitle="peildatum 2022-06-01")
    s.close()
    # no markup from the data
    for raw in ("<script>alert(1)</script>", "<b>vet</b>", "<img src=x"):
        assert raw not in html
    # the labels are there, as escaped JSON for vis-network (drawn on a canvas)
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in html
    assert "\\u003cb\\u003evet\\u003c/b\\u003e" in html
    # ... and as escaped text in the heading
    assert "<title>Netwerk van &lt;script&gt;alert(1)&lt;/script&gt;</title>" in html
    # the only script end tags are those of the page's own two script elements
    assert html.count("</script>") == 2
    # self-contained: no script or stylesheet is loaded from anywhere
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.I)
    assert not re.search(r"<link[^>]*\bhref\s*=", html, re.I)
    styles = " ".join(re.findall(r"<style>(.*?)</style>", html, re.S))
    assert "vis-tooltip" in styles  # vis-network's stylesheet is in-line
    assert not re.search(r"@import", styles, re.I)
    assert not re.search(r"url\(\s*(?!['\"]?data:)", styles, re.I)  # only data: URIs
    assert not re.search(r"(?:src|href)\s*=\s*['\"]?https?://", html, re.I)
    assert "vis.Network(" in html and "cdnjs" not in html and "jsdelivr" not in html


# ------------------------------------------------------------------ CLI


def test_cli_writes_html_graphml_and_filters(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(main, ["init"], catch_exceptions=False).exit_code == 0
    store = EmbeddedStore(os.environ["SDGRAPH_STORE"])
    without_baseline(store).close()
    html, graphml = tmp_path / "oirschot.html", tmp_path / "oirschot.graphml"
    for out in (html, graphml):
        result = runner.invoke(main, ["netwerk", "GM0823", "--peildatum", PEILDATUM, "-o",
                                      str(out)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert "23 organisations, 53 lines" in result.output
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "vis.Network(" in page
    assert not re.search(r"<script[^>]*\bsrc\s*=", page)
    back = nx.read_graphml(str(graphml))
    assert back.number_of_edges() == 53
    result = runner.invoke(main, ["netwerk", "gm0823", "--peildatum", PEILDATUM, "--wet", JEUGDWET,
                                  "-o", str(graphml)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert nx.read_graphml(str(graphml)).number_of_edges() == 14
    result = runner.invoke(main, ["netwerk", "GM0823", "-o", str(tmp_path / "x.png")])
    assert result.exit_code == 2 and "unknown format" in result.output
    result = runner.invoke(main, ["netwerk", "GM0823", "--wet", "geen iri", "-o", str(html)])
    assert result.exit_code == 2 and "Error:" in result.output


# ------------------------------------------------------------------ web


def test_network_page(client) -> None:
    page = get_page(client, f"/gemeente/GM0823/netwerk?peildatum={PEILDATUM}&lang=nl")
    table = page.rows("tabel-netwerk")
    assert len(table) == 53
    assert 'data-testid="edge-count">53<' in page.html
    assert 'data-testid="node-count">23<' in page.html
    # the canvas gets its data from the JSON route, and the vendored vis-network
    assert f'data-src="/gemeente/GM0823/netwerk.json?peildatum={PEILDATUM}' in page.html
    assert "/static/vendor/vis-network/vis-network.min.js" in page.html
    assert "/static/netwerk.js" in page.html
    # legend: a colour per wet
    for naam, kleur in (("Jeugdwet", "#d95f02"), ("Wmo 2015", "#1b9e77"),
                        ("Participatiewet", "#7570b3")):
        assert re.search(rf'fill="{kleur}"/></svg> {re.escape(naam)} \(', page.html)
    # filter per wet, server side (the no-JS fallback): other rows are hidden
    page = get_page(client, f"/gemeente/GM0823/netwerk?peildatum={PEILDATUM}&wet={JEUGDWET}")
    assert 'data-testid="edge-count">14<' in page.html
    assert page.html.count('data-wet="') == 53
    hidden = re.findall(r'<tr data-wet="[^"]*"[^>]* hidden', page.html)
    assert len(hidden) == 39
    assert f'<option value="{JEUGDWET}" selected>' in page.html
    # the gemeente page links here
    gemeente = get_page(client, f"/gemeente/GM0823?peildatum={PEILDATUM}")
    assert (f"/gemeente/GM0823/netwerk?peildatum={PEILDATUM}", "Netwerk") in gemeente.links


def test_a_long_table_shows_the_first_lines_the_server_chose(client, monkeypatch) -> None:
    """Past TABLE_ROWS lines the table holds the first of the lines the filters show (and
    says so), not every line with the others hidden; a filter is then the server's."""
    from sdgraph.pages import netwerk as pages

    url = f"/gemeente/GM0823/netwerk?peildatum={PEILDATUM}"
    hidden_row = re.compile(r'<tr data-wet="[^"]*"[^>]* hidden')
    whole = get_page(client, url).rows("tabel-netwerk")
    assert len(whole) == 53  # every line, no limit reached
    # without a limit the Jeugdwet filter keeps every row and hides 39 of them
    unlimited = get_page(client, url + f"&wet={JEUGDWET}")
    tags = re.findall(r'<tr data-wet="[^"]*"[^>]*>', unlimited.html)
    assert unlimited.rows("tabel-netwerk") == whole and len(tags) == 53
    jeugd = [row for row, tag in zip(whole, tags, strict=True) if " hidden" not in tag]
    assert len(jeugd) == 14
    monkeypatch.setattr(pages, "TABLE_ROWS", 20)
    page = get_page(client, url)
    assert page.rows("tabel-netwerk") == whole[:20]
    assert 'data-testid="edge-count">53<' in page.html  # the drawing keeps them all
    assert "de eerste 20 getoond; de downloads hebben alle rijen" in page.text
    assert "data-server-filter" in page.html and not hidden_row.search(page.html)
    # past the limit with the filter: the first Jeugdwet lines only, none hidden
    monkeypatch.setattr(pages, "TABLE_ROWS", 10)
    page = get_page(client, url + f"&wet={JEUGDWET}")
    assert page.rows("tabel-netwerk") == jeugd[:10] and not hidden_row.search(page.html)
    assert "de eerste 10 getoond; de downloads hebben alle rijen" in page.text
    monkeypatch.setattr(pages, "TABLE_ROWS", 20)
    # the 14 Jeugdwet lines fit: all of them, and no others hidden in the page
    page = get_page(client, url + f"&wet={JEUGDWET}")
    assert len(page.rows("tabel-netwerk")) == 14 and page.html.count('data-wet="') == 14
    assert "de eerste 20" not in page.text and "data-server-filter" in page.html
    csv_rows = list(csv.DictReader(io.StringIO(client.get(
        f"/gemeente/GM0823/netwerk.csv?peildatum={PEILDATUM}").get_data(as_text=True))))
    assert len(csv_rows) == 53  # the download is not limited


def test_network_downloads(client) -> None:
    base = f"/gemeente/GM0823/netwerk.{{}}?peildatum={PEILDATUM}"
    r = client.get(base.format("json") + f"&wet={PW}")
    assert r.status_code == 200 and r.mimetype == "application/json"
    doc = r.get_json()
    assert doc["count"]["edges"] == 10 and doc["params"]["wet"] == PW
    assert {e["color"] for e in doc["edges"]} == {network.WET_COLOURS[PW]}
    r = client.get(base.format("csv"))
    assert r.mimetype == "text/csv"
    assert len(list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))) == 53
    r = client.get(base.format("graphml") + f"&deelgebied={DG}inkoop")
    assert r.headers["Content-Disposition"].startswith("attachment;")
    assert nx.read_graphml(io.BytesIO(r.data)).number_of_edges() == 8
    r = client.get(base.format("html"))
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert r.headers["Content-Disposition"] == (
        f'attachment; filename="netwerk-GM0823-{PEILDATUM}.html"')
    assert "vis.Network(" in r.get_data(as_text=True)
    # a bad filter is the user's mistake; an unknown gemeente is not found
    assert client.get("/gemeente/GM0823/netwerk?wet=geen+iri").status_code == 400
    assert client.get("/gemeente/GM9999/netwerk.json").status_code == 404
    # a code written otherwise redirects to the canonical one
    r = client.get("/gemeente/gm0823/netwerk.csv")
    assert r.status_code == 301 and r.headers["Location"].startswith("/gemeente/GM0823/netwerk.csv")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_network_page_in_both_languages(client, lang: str) -> None:
    page = get_page(client, f"/gemeente/GM0823/netwerk?peildatum={PEILDATUM}&lang={lang}")
    assert page.lang == lang
    heading = {"nl": "Netwerk van de samenwerking", "en": "Network of cooperation"}[lang]
    assert f"<h1>{heading}</h1>" in page.html


# ------------------------------------------------------------------ sociaal domein, regio


def test_general_indelingen_are_behind_a_toggle() -> None:
    """A membership of a regio of an indeling outside the vocabulary and without a wet
    (a KvK-regio) is not of the sociaal domein: hidden by default, shown with ``alle``."""
    s = EmbeddedStore(None)
    init_store(s, "oirschot", SOURCES)
    s.update(f"""PREFIX sd: <https://w3id.org/sdgraph/def#>
      PREFIX org: <http://www.w3.org/ns/org#>
      INSERT DATA {{ GRAPH <urn:test:kvk> {{
        <urn:test:kvk> a sd:Regioindeling .
        <urn:test:kvk/zuid> a sd:Regio ; sd:regioindeling <urn:test:kvk> .
        <urn:test:lid> a sd:Lidmaatschap ; org:member <{OIRSCHOT}> ;
            org:organization <urn:test:kvk/zuid> . }} }}""")
    g = graph(s)
    # every line of the example (its regio's all serve a wet) plus the KvK-regio's one
    edges = g.number_of_edges()
    kvk = [d for _, v, d in g.edges(data=True) if v == "urn:test:kvk/zuid"]
    assert [d["sociaal"] for d in kvk] == [False]
    assert [d for _, _, d in g.edges(data=True) if not d["sociaal"]] == kvk
    assert network.select(g).number_of_edges() == edges - 1
    assert "urn:test:kvk/zuid" not in network.select(g)
    assert network.select(g, alle=True).number_of_edges() == edges
    s.close()


def test_regional_network(client) -> None:
    """The network of Samenwerking Kempengemeenten: its five members on the peildatum,
    each with all its lines (in the example only Oirschot has taakuitvoeringen)."""
    from sdgraph.pages import netwerk as pages
    from sdgraph.runner import Runner

    store = client.application.extensions["sdgraph.store"]
    page = pages.regio(Runner(store), KEMPEN, PEILDATUM)
    members = {n for n, d in page.graph.nodes(data=True) if d["soort"] == "lid"}
    assert len(members) == 5 and OIRSCHOT in members
    assert page.graph.nodes[KEMPEN]["centrum"] is True
    # Oirschot's 53 lines are all there, besides the other members' memberships
    mine = [e for e in page.graph.edges(keys=True) if e[2].startswith(OIRSCHOT + "|")]
    assert len(mine) == 53
    html = get_page(client, f"/organisatie/netwerk?iri={KEMPEN}&peildatum={PEILDATUM}")
    assert f'data-testid="edge-count">{page.shown.number_of_edges()}<' in html.html
    assert "Deelnemende gemeente" in html.text  # the legend of shapes


def test_a_regional_network_is_built_once_per_store_version(
        materialising_example: EmbeddedStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page, its drawing (a second request) and a change of filter read one regional
    network, built once; after a load the next request builds it again, with the new
    line, and without the cache the answers are the same."""
    from sdgraph.pages import netwerk as pages
    from sdgraph.store import Source
    from web import create_app

    built: list[str] = []
    combine = network.combine

    def counted(graphs, centre, *args):
        built.append(centre)
        return combine(graphs, centre, *args)

    monkeypatch.setattr(network, "combine", counted)
    pages.REGIONAAL.clear()
    client = create_app(store=materialising_example,
                        test_config={"TESTING": True}).test_client()
    url = f"/organisatie/netwerk{{}}?iri={KEMPEN}&peildatum={PEILDATUM}"
    rows = get_page(client, url.format("")).rows("tabel-netwerk")
    drawing = client.get(url.format(".json")).get_json()
    jeugd = client.get(url.format(".json") + f"&wet={JEUGDWET}").get_json()
    assert built == [KEMPEN]
    assert 0 < jeugd["count"]["edges"] < len(rows) == drawing["count"]["edges"]
    pages.REGIONAAL.clear()  # built anew: the same answers
    assert client.get(url.format(".json")).get_json() == drawing
    assert client.get(url.format(".json") + f"&wet={JEUGDWET}").get_json() == jeugd
    assert built == [KEMPEN, KEMPEN]
    # a load: Oirschot joins a (made-up) GR; the next request shows its membership
    materialising_example.load([Source(name="nieuwe-gr.ttl", data=f"""
        @prefix sd: <https://w3id.org/sdgraph/def#> . @prefix org: <http://www.w3.org/ns/org#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <urn:x-test:gr> a sd:GemeenschappelijkeRegeling ; rdfs:label "Test-GR"@nl .
        <urn:x-test:lid> a sd:Lidmaatschap ; org:member <{OIRSCHOT}> ;
            org:organization <urn:x-test:gr> ; sd:toetredingsdatum "2020-01-01"^^xsd:date ;
            sd:illustratief true .""".encode())])
    after = client.get(url.format(".json")).get_json()
    assert built == [KEMPEN, KEMPEN, KEMPEN]
    assert after["count"]["edges"] == drawing["count"]["edges"] + 1
    assert "urn:x-test:gr" in {n["id"] for n in after["nodes"]}
