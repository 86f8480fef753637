"""End-to-end test of the web shell in a real browser (Playwright + Debian chromium).

The real app runs on 127.0.0.1 (werkzeug, in a thread) over a store built
from the bundled Oirschot example (without the baseline: the counts are those of its
inventory, as in the other tests that count it by hand). Every page must load without console
errors and without a single request to another host.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import SOURCES, inventory_only_store, missing, serving

pytestmark = pytest.mark.browser

ROO_2019 = {"25250109", "25143080", "24961951", "27965412", "26639015", "26122493", "24967301"}
KEMPEN_MEMBERS = ["Bergeijk", "Bladel", "Eersel", "Oirschot", "Reusel-De Mierden"]


@pytest.fixture(scope="module")
def example_store() -> Iterator:
    yield from inventory_only_store()


@pytest.fixture(scope="module")
def live_server(example_store) -> Iterator[str]:
    from web import create_app

    app = create_app(store=example_store)
    with serving(app) as url:
        yield url


class Watcher:
    """Records console errors, page errors and every request a page makes."""

    def __init__(self, page) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("request", lambda request: self.requests.append(request.url))

    def check(self, where: str) -> None:
        assert not self.errors, f"console errors on {where}: {self.errors}"
        foreign = [u for u in self.requests
                   if urlsplit(u).scheme not in ("data", "about")
                   and urlsplit(u).hostname != "127.0.0.1"]
        assert not foreign, f"requests to other hosts on {where}: {foreign}"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_home_search_gemeente_organisation(page, live_server, tmp_path):
    watch = Watcher(page)

    # home
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("h1").inner_text() == "Over sdgraph"
    assert page.locator("#tabel-fragmentatie tbody tr").count() > 0
    watch.check("home")

    # search Oirschot: the one hit opens its page
    page.get_by_label("Zoek een gemeente").fill("Oirschot")
    page.get_by_label("Zoek een gemeente").press("Enter")
    page.wait_for_url(re.compile(r"/gemeente/GM0823$"))
    assert page.locator("h1").inner_text() == "Oirschot"
    assert page.locator("#tabel-lidmaatschappen tbody tr").count() > 0
    page.get_by_label("Peildatum").fill("2019-07-02")
    page.get_by_role("button", name="Toon").click()
    page.wait_for_url(re.compile(r"/gemeente/GM0823\?peildatum=2019-07-02$"))
    assert page.get_by_test_id("peildatum").inner_text() == "2019-07-02"
    roo_ids = page.locator("#tabel-lidmaatschappen tbody td.roo-id").all_inner_texts()
    assert set(roo_ids) == ROO_2019
    assert page.locator("#tabel-wie-doet-wat .badge").first.inner_text() == "illustratief"
    shot = tmp_path / "gemeente.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    if os.environ.get("SDGRAPH_SCREENSHOTS"):
        out = Path(os.environ["SDGRAPH_SCREENSHOTS"])
        out.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out / "gemeente.png"), full_page=True)
    watch.check("gemeente")

    # click an organisation: its members are listed
    lidmaatschappen = page.locator("#tabel-lidmaatschappen")
    lidmaatschappen.get_by_role("link", name="Samenwerking Kempengemeenten").click()
    page.wait_for_url(re.compile(r"/organisatie\?iri=.*so0665"))
    assert page.locator("h1").inner_text().startswith("Samenwerking Kempengemeenten")
    members = page.locator("#tabel-deelnemers tbody tr td:first-child")
    assert sorted(members.all_inner_texts()) == KEMPEN_MEMBERS
    watch.check("organisatie")

    # sortable columns (own JS): the name column sorts both ways
    header = page.locator("#tabel-deelnemers thead th").first
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert members.all_inner_texts() == KEMPEN_MEMBERS
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert members.all_inner_texts() == KEMPEN_MEMBERS[::-1]

    # and back to a member's gemeente page
    page.locator("#tabel-deelnemers").get_by_role("link", name="Bladel").click()
    page.wait_for_url(re.compile(r"/gemeente/GM1728"))
    assert page.locator("h1").inner_text() == "Bladel"
    watch.check("gemeente Bladel")
    assert any(u.startswith(live_server + "/static/sdgraph.js") for u in watch.requests)


def test_language_switch_in_browser(page, live_server):
    watch = Watcher(page)
    page.goto(live_server + "/gemeente/GM0823?peildatum=2019-07-02")
    page.get_by_role("link", name="EN", exact=True).click()
    page.wait_for_url(re.compile(r"[?&]lang=en"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_test_id("peildatum").inner_text() == "2019-07-02"
    assert page.get_by_role("heading", name="Memberships of a gemeente").count() == 1
    # the choice is remembered on the next page
    page.get_by_role("link", name="Municipalities").click()
    assert page.locator("html").get_attribute("lang") == "en"
    watch.check("English pages")


def test_error_pages_in_browser(page, live_server):
    watch = Watcher(page)
    response = page.goto(live_server + "/gemeente/GM0823?peildatum=2019-13-45")
    assert response.status == 400
    assert "2019-13-45" in page.get_by_role("alert").inner_text()
    # the error status itself is logged by chromium; nothing else may be
    watch.errors = [e for e in watch.errors if "status of 400" not in e]
    watch.check("bad peildatum")


def test_query_page_form_filter_and_download(page, live_server, tmp_path):
    watch = Watcher(page)
    page.goto(live_server + "/queries")
    page.get_by_role("link", name="lidmaatschappen", exact=True).click()
    page.get_by_label("Gemeente (GM-code of TOOI-IRI)").fill("GM0823")
    page.get_by_label("Peildatum").fill("2019-07-02")
    page.get_by_role("button", name="Uitvoeren").click()
    page.wait_for_url(re.compile(r"/query/lidmaatschappen\?.*peildatum=2019-07-02"))
    rows = page.locator("#tabel-resultaat tbody tr")
    assert rows.count() == 7
    # the filter hides rows that do not contain the text
    page.get_by_label("Filter").fill("Kempengemeenten")
    visible = page.locator("#tabel-resultaat tbody tr:not([hidden])")
    assert 1 <= visible.count() < 7
    assert all("Kempengemeenten" in t for t in visible.all_inner_texts())
    # CSV download has all rows
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV", exact=True).click()
    path = tmp_path / "rows.csv"
    info.value.save_as(path)
    lines = path.read_text(encoding="utf-8").strip().splitlines()
    assert len(lines) == 8 and lines[0].startswith("gr,naam,roo_id")
    watch.check("query page")


def test_profile_foto_matrix_klantreis_in_browser(page, live_server):
    """Gemeente -> foto -> wie doet wat (matrix) -> klantreis -> regio matrix, on 2020-07-02
    (counts as in tests/test_wiedoetwat_klantreis.py and tests/test_foto.py)."""
    watch = Watcher(page)
    page.goto(live_server + "/gemeente/GM0823?peildatum=2020-07-02")
    views = page.get_by_test_id("overzichten")
    views.get_by_role("link", name="Foto van het sociaal domein").click()
    page.wait_for_url(re.compile(r"/gemeente/GM0823/foto\?peildatum=2020-07-02$"))
    assert page.get_by_test_id("dubbel").inner_text() == "1"
    assert page.get_by_test_id("contracten").inner_text() == "2"
    assert "Toegang Wmo, Toegang" in page.locator("#dubbel-werk").inner_text()
    # amounts shown in the page's format (1.234) sort by their value: 48,500 before 38,500,000
    contracts = page.locator("#tabel-contracten")
    contracts.get_by_role("button", name="Jaarwaarde (EUR)").click()
    assert contracts.locator("tbody td:nth-child(7)").all_inner_texts() == ["48.500", "38.500.000"]
    contracts.get_by_role("button", name="Jaarwaarde (EUR)").click()
    assert contracts.locator("tbody td:nth-child(7)").all_inner_texts() == ["38.500.000", "48.500"]
    watch.check("foto")

    page.get_by_role("link", name="Bekijk de matrix").click()
    page.wait_for_url(re.compile(r"/gemeente/GM0823/matrix\?peildatum=2020-07-02$"))
    double = page.locator("#matrix-wie-doet-wat td.dubbel")
    assert double.count() == 1
    assert "Samenwerking Kempengemeenten" in double.inner_text()
    # filter per wet: only the six Jeugdwet taken remain
    page.get_by_label("Wet", exact=True).select_option(label="Jeugdwet")
    page.get_by_role("button", name="Toon").click()
    page.wait_for_url(re.compile(r"wet="))
    assert page.locator("#matrix-wie-doet-wat tbody tr:not(.group)").count() == 6
    watch.check("matrix")

    page.goto(live_server + "/gemeente/GM0823?peildatum=2020-07-02")
    page.get_by_test_id("overzichten").get_by_role("link", name="Klantreis").click()
    page.get_by_label("Soort hulpvraag").select_option(label="Wmo (Wmo 2015)")
    page.get_by_role("button", name="Toon").click()
    page.wait_for_url(re.compile(r"klantreis=.*wmo"))
    assert page.get_by_test_id("organisaties").inner_text() == "3"
    assert page.get_by_test_id("overdrachten").inner_text() == "0"
    assert page.locator("ol.klantreis li.stap.gat").count() == 1  # sturing, behind the scenes
    watch.check("klantreis")

    page.goto(live_server + "/organisatie?iri=https://identifier.overheid.nl/tooi/id/so/so0665"
              "&peildatum=2020-07-02")
    page.get_by_role("link", name="Wie doet wat in de regio (matrix)").click()
    page.wait_for_url(re.compile(r"/organisatie/matrix\?"))
    rows = page.locator("#matrix-regio tbody tr th")
    assert rows.all_inner_texts() == KEMPEN_MEMBERS
    watch.check("regio matrix")

    # an sdgraph IRI dereferenced in the browser is its resource page
    page.goto(live_server + "/id/klantreis/wmo")
    assert page.locator("h1").inner_text() == "Wmo"
    watch.check("/id/")


def test_network_page_draws_and_filters(page, live_server, tmp_path):
    """The network of Oirschot on 2022-06-01: 53 lines, 14 of them Jeugdwet (see
    tests/test_network.py for the count by hand)."""
    watch = Watcher(page)
    page.goto(live_server + "/gemeente/GM0823?peildatum=2022-06-01")
    page.get_by_test_id("overzichten").get_by_role("link", name="Netwerk").click()
    page.wait_for_url(re.compile(r"/gemeente/GM0823/netwerk\?peildatum=2022-06-01$"))
    canvas = page.locator("#netwerk-canvas canvas")
    canvas.wait_for()
    box = canvas.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 200
    assert page.locator("#netwerk-canvas").get_attribute("data-ready") == "true"
    edges, nodes = page.get_by_test_id("edge-count"), page.get_by_test_id("node-count")
    assert (edges.inner_text(), nodes.inner_text()) == ("53", "23")
    # filter per wet: the drawing, the counts, the table and the links follow
    page.get_by_label("Wet", exact=True).select_option(label="Jeugdwet")
    assert (edges.inner_text(), nodes.inner_text()) == ("14", "8")
    assert page.locator("#tabel-netwerk tbody tr:not([hidden])").count() == 14
    assert "wet=" in page.url
    assert "wet=" in page.get_by_role("link", name="GraphML").get_attribute("href")
    page.get_by_label("Deelgebied", exact=True).select_option(label="Inkoop")
    assert edges.inner_text() == "4"
    page.get_by_label("Wet", exact=True).select_option(value="")
    assert edges.inner_text() == "8"
    page.get_by_label("Deelgebied", exact=True).select_option(value="")
    assert edges.inner_text() == "53"
    # one organisation's lines stand out, in the table too
    page.get_by_label("Markeer de lijnen van").select_option(label="Samenwerking Kempengemeenten")
    # Oirschot -> Kempengemeenten (10) and its contract with Schuldhulp Brabant
    assert page.locator("#tabel-netwerk tbody tr.markeer").count() == 11
    watch.check("netwerk")
    # the self-contained HTML download draws the same network from a file, offline
    with page.expect_download() as info:
        page.get_by_role("link", name="HTML (offline)").click()
    path = tmp_path / "netwerk.html"
    info.value.save_as(path)
    offline = page.context.new_page()
    seen: list[str] = []
    problems: list[str] = []
    offline.on("request", lambda request: seen.append(request.url))
    offline.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    offline.on("pageerror", lambda exc: problems.append(str(exc)))
    offline.goto(path.as_uri())
    offline.locator("#netwerk canvas").wait_for()
    assert not problems, problems
    assert all(urlsplit(u).scheme in ("file", "data") for u in seen), seen
    offline.close()


def test_a_long_network_table_filters_on_the_server(page, live_server, monkeypatch):
    """Past TABLE_ROWS lines the table holds the first lines the server chose: a change
    of wet asks for the page again, and the table then holds that wet's lines."""
    from sdgraph.pages import netwerk as pages

    monkeypatch.setattr(pages, "TABLE_ROWS", 20)
    watch = Watcher(page)
    page.goto(live_server + "/gemeente/GM0823/netwerk?peildatum=2022-06-01")
    page.locator("#netwerk-canvas[data-ready]").wait_for()
    assert page.locator("#tabel-netwerk tbody tr").count() == 20
    assert page.get_by_test_id("edge-count").inner_text() == "53"
    with page.expect_navigation():
        page.get_by_label("Wet", exact=True).select_option(label="Jeugdwet")
    assert "wet=" in page.url
    page.locator("#netwerk-canvas[data-ready]").wait_for()
    assert page.locator("#tabel-netwerk tbody tr").count() == 14
    assert page.locator("#tabel-netwerk tbody tr[hidden]").count() == 0
    assert page.get_by_test_id("edge-count").inner_text() == "14"
    watch.check("netwerk (long table)")


def test_workbench_example_completion_run_and_csv(page, live_server, example_store, tmp_path):
    from playwright.sync_api import expect

    from sdgraph.queries import QueryLibrary

    watch = Watcher(page)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(live_server + "/workbench")
    assert page.locator("h1").inner_text() == "SPARQL-werkbank"
    page.wait_for_selector("#werkbank[data-terms-loaded]")
    assert int(page.locator("#werkbank").get_attribute("data-terms-loaded")) > 100
    assert page.locator(".CodeMirror").count() == 1  # the editor replaced the textarea
    watch.check("workbench")

    # pick an example: it loads with its defaults bound and runs
    expected = QueryLibrary().get("deelnemers").run(example_store).dicts()
    page.get_by_label("Voorbeeld uit de querybibliotheek").select_option("deelnemers")
    page.wait_for_url(re.compile(r"/workbench\?voorbeeld=deelnemers$"))
    assert page.locator("#tabel-werkbank tbody tr").count() == len(expected) > 0
    watch.check("workbench example")

    # type a query: completion offers sd: terms and declares the prefix when one is picked
    editor = page.locator(".CodeMirror")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type("SELECT DISTINCT ?g WHERE { ?g a sd:Gem")
    hints = page.locator("ul.CodeMirror-hints li")
    hints.first.wait_for()
    offered = page.locator("ul.CodeMirror-hints li .wb-hint-name").all_inner_texts()
    assert "sd:Gemeente" in offered and "sd:GemeenschappelijkeRegeling" in offered
    assert all(name.lower().startswith("sd:gem") for name in offered)  # sd:gemeentecode too
    # the classes whose case matches what was typed come first
    assert offered.index("sd:Gemeente") < offered.index("sd:gemeentecode")
    page.locator("ul.CodeMirror-hints li", has_text="sd:Gemeente ").first.click()
    page.locator("ul.CodeMirror-hints").wait_for(state="detached")
    expect(page.locator(".CodeMirror textarea")).to_be_focused()  # the keys go to the editor
    page.keyboard.type(" } ORDER BY ?g")
    text = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert text == ("PREFIX sd: <https://w3id.org/sdgraph/def#>\n"
                    "SELECT DISTINCT ?g WHERE { ?g a sd:Gemeente } ORDER BY ?g")

    # run with Ctrl+Enter: results with labels, and a shareable URL
    gemeenten = example_store.select(text)
    page.keyboard.press("Control+Enter")
    page.wait_for_url(re.compile(r"/workbench\?query=PREFIX"))
    rows = page.locator("#tabel-werkbank tbody tr")
    assert rows.count() == len(gemeenten) > 5
    assert rows.filter(has_text="Oirschot gm:gm0823").count() == 1
    assert page.get_by_test_id("permalink").get_attribute("href").startswith("/workbench?query=")
    page.get_by_role("button", name="Kopieer link").click()
    page.get_by_text("Link gekopieerd").wait_for()
    permalink = page.get_by_test_id("permalink").evaluate("a => a.href")
    assert page.evaluate("navigator.clipboard.readText()") == permalink
    assert parse_qs(urlsplit(permalink).query) == {"query": [text]}  # newlines as typed
    watch.check("workbench result")

    # the CSV download has every row
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").click()
    path = tmp_path / "werkbank.csv"
    info.value.save_as(path)
    lines = path.read_text(encoding="utf-8").strip().splitlines()
    assert lines[0] == "g" and len(lines) == len(gemeenten) + 1
    assert "https://identifier.overheid.nl/tooi/id/gemeente/gm0823" in lines
    watch.check("workbench download")


def test_workbench_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        watch = Watcher(page)
        page.goto(live_server + "/workbench")
        assert page.locator(".CodeMirror").count() == 0
        page.get_by_label("Query (SPARQL)").fill(
            "PREFIX so: <https://identifier.overheid.nl/tooi/id/so/>\n"
            "PREFIX org: <http://www.w3.org/ns/org#>\n"
            "SELECT DISTINCT ?lid WHERE { ?m org:member ?lid ; org:organization so:so0665 }")
        page.get_by_role("button", name="Uitvoeren", exact=True).click()
        page.wait_for_url(re.compile(r"/workbench\?query="))
        cells = page.locator("#tabel-werkbank tbody td .wb-label").all_inner_texts()
        assert sorted(cells) == KEMPEN_MEMBERS
        watch.check("workbench without JavaScript")
    finally:
        context.close()


# --------------------------------------------------------------------------- overlap (analytics)

OVERLAP_FIXTURE = Path(__file__).resolve().parent / "data" / "analytics" / "overlap.ttl"
REGIOINDELING = "https://w3id.org/sdgraph/id/regioindeling/"


@pytest.fixture(scope="module")
def overlap_server() -> Iterator[str]:
    """The app over the Oirschot example plus the six fictional gemeenten of
    tests/data/analytics/overlap.ttl (regio's that overlap, see tests/test_analytics.py)."""
    from sdgraph.build import init_store
    from sdgraph.store import EmbeddedStore
    from web import create_app

    store = EmbeddedStore(None)
    init_store(store, "oirschot", SOURCES)
    store.load_files([OVERLAP_FIXTURE])
    with serving(create_app(store=store), "sdgraph-overlap") as url:
        yield url
    store.close()


def test_overlap_heatmap_and_form(page, overlap_server):
    watch = Watcher(page)
    page.goto(overlap_server + "/overlap?peildatum=2024-01-01")
    assert page.locator("h1").inner_text() == "Overlap"
    # nine vocabulary indelingen have members in the example: a 9 x 9 heatmap
    assert page.locator("#heatmap tbody tr").count() == 9
    assert page.locator("#heatmap tbody td").count() == 81
    cell = page.locator(f'#heatmap td[data-a="{REGIOINDELING}jeugdregio"]'
                        f'[data-b="{REGIOINDELING}arbeidsmarktregio"]')
    assert cell.inner_text() == "0,44"  # 4 of 9 pairs of gemeenten together in both
    # coloured by overlap.css (class heat-2, #a6c8e2), not by an inline style
    assert cell.get_attribute("style") is None
    assert cell.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(166, 200, 226)"
    same = page.locator(f'#heatmap td[data-a="{REGIOINDELING}arbeidsmarktregio"]'
                        f'[data-b="{REGIOINDELING}wmo-regio"]')
    assert same.inner_text() == "1,00"
    assert page.locator("#heatmap td.heat-na").count() > 0
    watch.check("overlap")

    page.select_option("#indelingB", value="https://w3id.org/sdgraph/def#GemeenschappelijkeRegeling")
    page.get_by_label("Gemeente (GM-code)").fill("GM9903")
    page.get_by_role("button", name="Toon").click()
    page.wait_for_url(re.compile(r"/overlap\?.*gemeente=GM9903"))
    assert page.locator("#tabel-gemeente tbody tr").count() == 5
    assert page.locator("#tabel-paren tbody tr").count() == 4 + 7
    watch.check("overlap with a gemeente")


def test_scenario_compare_flow(page, live_server, tmp_path):
    """Pick the four Oirschot scenarios, compare, re-weigh (ranking changes without a
    reload), drill down, download the report and see the network before and after."""
    watch = Watcher(page)
    page.goto(live_server + "/scenario")
    for name in ("A. Integraal met subregio De Kempen",
                 "B. Integraal met subregio Veldhoven, Best, Oirschot",
                 "C. Wmo via de regio Zuidoost-Brabant", "D. Eigen regie"):
        page.get_by_label(name, exact=True).check()
    page.locator("#scenario-keuze").get_by_role("button", name="Vergelijk").click()
    page.wait_for_url(re.compile(r"/scenario/vergelijk\?s=oirschot"))
    assert page.locator("#tabel-matrix tbody tr").count() == 4
    assert page.locator("#tabel-matrix tbody tr").first.locator("td").count() == 5
    watch.check("scenario compare")

    # equal weights: C (the Wmo through the regio) ranks first (see tests/test_scenario.py)
    ranking = page.locator("#lijst-rangorde li")
    assert ranking.first.inner_text().startswith("C. Wmo via de regio Zuidoost-Brabant")
    # only in-house execution counts: D (eigen regie) is first, without a reload
    url = page.url
    for criterion in ("zeggenschap", "klantreis", "arrangementen", "exitkosten", "transitie"):
        page.fill(f"#w_{criterion}", "0")
    assert ranking.first.inner_text().startswith("D. Eigen regie")
    assert page.get_by_test_id("rang-4").inner_text() == "1"
    assert page.get_by_test_id("totaal-4").inner_text() == "10,0"
    assert page.url == url
    download = page.locator("a[data-scenario-download][type='text/csv']")
    assert "w_zeggenschap=0" in download.get_attribute("href")

    # drill down from the matrix cell of D, backoffice
    page.locator("#tabel-matrix a[href='#s4-d2']").click()
    assert page.locator("details#s4-d2").evaluate("d => d.open") is True
    assert page.locator("details#s4-d2").get_by_text("Huishoudelijke hulp").first.is_visible()

    # the printable report, with the weights chosen on the page
    with page.expect_download() as info:
        page.locator("a[data-scenario-download][type='text/html']").click()
    report = tmp_path / "rapport.html"
    info.value.save_as(report)
    html = report.read_text(encoding="utf-8")
    assert "Scenariovergelijking: Oirschot" in html and "<script" not in html
    watch.check("scenario drill-down and download")

    # the network before and after of D
    page.locator("#s4").get_by_role("link", name="Netwerk voor en na").click()
    page.wait_for_url(re.compile(r"/scenario/netwerk\?nr=4"))
    page.wait_for_selector("#canvas-voor[data-ready=true]")
    page.wait_for_selector("#canvas-na[data-ready=true]")
    assert int(page.get_by_test_id("voor-lijnen").inner_text()) > int(
        page.get_by_test_id("na-lijnen").inner_text())
    watch.check("scenario network")


def test_valideren_several_files_report_links_and_conversion_table(page, live_server,
                                                                   tmp_path):
    """The adviser's path: several files at once, the report with an overview whose links
    lead to each record, the badges of fout and waarschuwing, then a spreadsheet with cells
    that cannot be read: a table, and the form to try again; the template downloads."""
    rules = Path(__file__).parent / "data" / "validation" / "regels"
    orgs = Path(__file__).parent / "data" / "validation" / "organisaties.ttl"
    watch = Watcher(page)
    page.goto(live_server + "/valideren")
    page.set_input_files("#bestand", [str(orgs), str(rules / "onbekende-taak.ongeldig.ttl")])
    page.fill("#peildatum", "2024-08-01")
    page.get_by_role("button", name="Valideren").click()
    page.wait_for_selector('[data-testid="verdict"]')
    assert "Voldoet niet." in page.get_by_test_id("verdict").inner_text()
    assert "organisaties.ttl, onbekende-taak.ongeldig.ttl" in page.content()
    fout = page.locator(".badge-violation").first
    waarschuwing = page.locator(".badge-warning").first
    colours = [b.evaluate("e => getComputedStyle(e).backgroundColor") for b in (fout, waarschuwing)]
    assert colours[0] != colours[1]
    link = page.locator("table.overview a").first
    target = link.get_attribute("href")
    link.click()
    assert page.url.endswith(target)
    assert page.locator(f"article{target}").is_visible()
    watch.check("/valideren (report)")

    sheet = tmp_path / "taakuitvoeringen.csv"
    sheet.write_text("id;gemeente;taak;geldig vanaf\na;Oirschot;Toegang jeugdhulp;1-13-2020\n",
                     encoding="utf-8")
    page.goto(live_server + "/valideren")
    page.set_input_files("#bestand", str(sheet))
    page.get_by_role("button", name="Valideren").click()
    page.wait_for_selector('[data-testid="conversion-errors"]')
    cells = page.locator("table.conversion tbody tr").first.locator("td").all_inner_texts()
    assert cells[:5] == ["taakuitvoeringen.csv", "Taakuitvoeringen", "2", "geldig vanaf",
                         "1-13-2020"]
    assert page.locator("#bestand").is_visible()  # the form is there to try again
    with page.expect_download() as download:
        page.get_by_test_id("sjabloon").click()
    assert download.value.suggested_filename == "inventaris-sjabloon.xlsx"
    # the upload that could not be read is answered with status 400, which the browser logs
    watch.errors = [e for e in watch.errors if "status of 400" not in e]
    watch.check("/valideren (conversion errors)")


def test_offline_network_file_runs_under_its_own_csp(browser, live_server):
    """The HTML download, shown by a browser with the Content-Security-Policy it is served
    with, draws its network (its in-line scripts run); under the app's own policy it did
    not (the control)."""
    import urllib.request

    from web import CSP

    with urllib.request.urlopen(
            f"{live_server}/gemeente/GM0823/netwerk.html?peildatum=2022-06-01") as response:
        body = response.read()
        own = response.headers["Content-Security-Policy"]
    assert own != CSP

    def show(policy: str) -> tuple[bool, list[str]]:
        context = browser.new_context()
        page = context.new_page()
        problems: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
        page.route("http://127.0.0.1:9/netwerk.html", lambda route: route.fulfill(
            status=200, body=body, headers={"Content-Type": "text/html; charset=utf-8",
                                            "Content-Security-Policy": policy}))
        page.goto("http://127.0.0.1:9/netwerk.html")
        try:
            page.locator("#netwerk canvas").wait_for(timeout=5_000)
            drawn = True
        except Exception:  # noqa: BLE001 - playwright's timeout: nothing was drawn
            drawn = False
        context.close()
        return drawn, problems

    drawn, problems = show(own)
    assert drawn and not problems, problems
    drawn, problems = show(CSP)
    assert not drawn and any("Content Security Policy" in p for p in problems), problems


def test_maps_offline(page, live_server):
    """The maps of the gemeente page, the foto, the overlap page and /kaart draw in the
    browser from this host alone; a layer of the gemeente map switches on from its table."""
    if SOURCES is None:
        missing("the maps read the CBS/PDOK boundaries from ../shared/data/sources/cbs-geo")
    watch = Watcher(page)
    page.goto(live_server + "/gemeente/GM0823?peildatum=2024-01-01")
    kaart = page.locator("svg#kaart-gemeente")
    assert kaart.is_visible()
    assert kaart.locator("title").first.text_content().startswith("Oirschot")
    assert page.locator("svg#kaart-gemeente .laag-0").is_visible()
    second = page.locator("svg#kaart-gemeente .laag-1")
    assert not second.is_visible()
    page.locator('label[for="kaart-laag-1"]').click()
    assert second.is_visible()
    rows = page.get_by_test_id("kaart-tabel").locator("tbody tr")
    assert rows.count() == page.locator("svg#kaart-gemeente g.laag").count() > 1
    svg = page.request.get(live_server + "/gemeente/GM0823/kaart.svg?peildatum=2024-01-01")
    assert svg.ok and svg.headers["content-type"].startswith("image/svg+xml")
    watch.check("gemeente map")

    page.goto(live_server + "/gemeente/GM0823/foto?peildatum=2024-01-01")
    assert page.locator("svg#kaart-gemeente").is_visible()
    watch.check("foto map")

    page.goto(live_server + "/overlap?peildatum=2024-01-01")
    assert page.locator("svg#kaart-overlap").is_visible()
    watch.check("overlap map")

    page.goto(live_server + "/kaart?soort=indeling&peildatum=2024-01-01")
    assert page.locator("svg#kaart-indeling").is_visible()
    assert page.get_by_test_id("kaart-tabel").locator("tbody tr").count() > 0
    page.goto(live_server + "/kaart?soort=fragmentatie&peildatum=2024-01-01")
    assert page.locator("svg#kaart-waarden").is_visible()
    geo = page.request.get(live_server + "/kaart.geojson?soort=fragmentatie&peildatum=2024-01-01")
    assert geo.ok and geo.json()["type"] == "FeatureCollection"
    watch.check("kaart")
