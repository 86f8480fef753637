"""The analyst's web in a real browser (Playwright + Debian chromium), over the Oirschot
example plus the real registers (TOOI, ROO, the derived GR taken, RegioAtlas/CBS regio's;
the CBS key figures are left out for speed): forgiving search, the GR index, an XLSX that
opens, every page type clean for axe-core (WCAG 2.1 A and AA) and without sideways scroll
at 390 px wide, the menu whole.

axe-core is vendored in tests/vendor/axe-core (npm package, MPL-2.0) and injected into
each page; the context bypasses the page's Content Security Policy only for that script.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import SOURCES, missing, serving
from test_browser import Watcher

pytestmark = pytest.mark.browser


AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SO = "https://identifier.overheid.nl/tooi/id/so/"
JEUGDREGIO = "https://w3id.org/sdgraph/id/regio/jeugdregio/zuidoost-brabant"
INDELING = "https://w3id.org/sdgraph/id/regioindeling/jeugdregio"
PEIL = "2022-06-01"

#: One URL per page type (the figures behind them are tested elsewhere).
PAGES = {
    "start": "/",
    "bronnen": "/bronnen",
    "zoeken": "/zoek?q=Oirschott",
    "gemeenten": "/gemeenten?zoek=oir",
    "gemeente": f"/gemeente/GM0823?peildatum={PEIL}",
    "foto": f"/gemeente/GM0823/foto?peildatum={PEIL}",
    "matrix": f"/gemeente/GM0823/matrix?peildatum={PEIL}",
    "klantreis": f"/gemeente/GM0823/klantreis?peildatum={PEIL}",
    "netwerk": f"/gemeente/GM0823/netwerk?peildatum={PEIL}",
    "netwerk-regio": f"/organisatie/netwerk?iri={quote(SO)}so0665&peildatum={PEIL}",
    "organisaties": "/organisatie",
    "organisatie": f"/organisatie?iri={quote(SO)}so0665&peildatum={PEIL}",
    "matrix-regio": f"/organisatie/matrix?iri={quote(SO)}so0665&peildatum={PEIL}",
    "regelingen": "/regelingen?wet=https%3A%2F%2Fw3id.org%2Fsdgraph%2Fid%2Fwet%2FBWBR0034925",
    "regio-indelingen": "/regio-indelingen",
    "regio-indeling": f"/regio-indeling?iri={quote(INDELING)}",
    "overlap": "/overlap?gemeente=GM0823",
    "kaart": f"/kaart?peildatum={PEIL}",
    "queries": "/queries",
    "query": "/query/fragmentatie",
    "werkbank": "/workbench",
    "valideren": "/valideren",
    "scenario": "/scenario",
    "scenario-vergelijk": "/scenario/vergelijk?s=oirschot-a&s=oirschot-d",
    "scenario-bouwen": "/scenario/bouwen?s=oirschot-d",
    "scenario-doordecentralisatie": "/scenario/doordecentralisatie",
    "resource": "/resource?uri=https%3A%2F%2Fw3id.org%2Fsdgraph%2Fid%2Ftaak%2Ftoegang-wmo",
    "fout": "/gemeente/GM9999",
}


@pytest.fixture(scope="module")
def national_server() -> Iterator[str]:
    from sdgraph.build import init_store
    from sdgraph.graphs import drop_stand_ins
    from sdgraph.importers import IMPORTERS
    from sdgraph.store import EmbeddedStore
    from web import create_app

    if SOURCES is None:
        missing("the registers are read from ../shared/data/sources, which is absent")
    store = EmbeddedStore(None)
    init_store(store, "oirschot", SOURCES)
    reports: list = []
    sources = []
    for name in ("tooi", "roo", "gr-taken", "regio"):
        sources += IMPORTERS[name].run(SOURCES, reports)
    store.load(sources)
    drop_stand_ins(store)
    with serving(create_app(store=store), "sdgraph-analyst") as url:
        yield url
    store.close()


def _page(browser, width: int = 1280, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="nl-NL",
                                  bypass_csp=True, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    return context, page


def _wait(page) -> None:
    page.wait_for_load_state("networkidle")
    if page.locator("#netwerk-canvas").count():
        page.wait_for_selector("#netwerk-canvas[data-ready=true]")


def test_search_den_bosch_opens_s_hertogenbosch(browser, national_server) -> None:
    context, page = _page(browser)
    watch = Watcher(page)
    page.goto(national_server + "/")
    box = page.get_by_label("Zoek in sdgraph")
    box.fill("Den Bosch")
    box.press("Enter")  # no suggestion chosen: the form is sent
    page.wait_for_url(re.compile(r"/gemeente/GM0796$"))
    assert page.locator("h1").inner_text() == "'s-Hertogenbosch"
    watch.check("Den Bosch")
    context.close()


def test_typo_oirschott_suggests_oirschot(browser, national_server) -> None:
    context, page = _page(browser)
    watch = Watcher(page)
    page.goto(national_server + "/")
    box = page.locator("#zoek")
    box.type("Oirschott", delay=20)
    options = page.get_by_role("listbox").first.get_by_role("option")
    options.first.wait_for()
    assert options.first.locator(".zoek-naam").inner_text() == "Oirschot"
    assert box.get_attribute("aria-expanded") == "true"
    # keyboard: arrow down and Enter take the suggestion to its page
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/gemeente/GM0823$"))
    watch.check("Oirschott")
    # a parameter that takes a gemeente gets the same suggestions, and takes the code
    page.goto(national_server + "/query/lidmaatschappen")
    field = page.get_by_label("Gemeente (GM-code of TOOI-IRI)")
    field.type("Den Bos", delay=20)
    page.get_by_role("option", name=re.compile("'s-Hertogenbosch")).first.click()
    assert field.input_value() == "GM0796"
    context.close()


def test_gr_index_filtered_on_jeugdwet(browser, national_server) -> None:
    context, page = _page(browser)
    watch = Watcher(page)
    page.goto(national_server + "/regelingen")
    total = page.locator("#tabel-regelingen tbody tr").count()
    page.get_by_label("Wet", exact=True).select_option(label="Jeugdwet")
    page.get_by_role("button", name="Toon").click()
    page.wait_for_url(re.compile(r"wet=.*BWBR0034925"))
    rows = page.locator("#tabel-regelingen tbody tr")
    assert 0 < rows.count() < total
    wetten = page.locator("#tabel-regelingen tbody tr td:nth-child(4)").all_inner_texts()
    assert all("Jeugdwet" in w for w in wetten)
    watch.check("regelingen")
    context.close()


def test_xlsx_download_opens_with_labelled_columns(browser, national_server, tmp_path) -> None:
    from openpyxl import load_workbook

    context, page = _page(browser)
    page.goto(national_server + "/query/lidmaatschappen?gemeente=Oirschot&peildatum=2019-07-02")
    with page.expect_download() as info:
        page.get_by_role("link", name="Excel (XLSX)").click()
    path = tmp_path / "lidmaatschappen.xlsx"
    info.value.save_as(path)
    book = load_workbook(io.BytesIO(path.read_bytes()))
    sheet = book[book.sheetnames[0]]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Regeling", "Regeling (naam)", "Naam", "ROO-id"]
    names = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert "Samenwerking Kempengemeenten" in names and len(names) == 7
    assert "Kolommen" in book.sheetnames
    context.close()


def test_every_page_type_is_axe_clean(browser, national_server) -> None:
    context, page = _page(browser)
    found: dict[str, list[str]] = {}
    for name, url in PAGES.items():
        page.goto(national_server + url)
        _wait(page)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
        violations = [f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. "
                      f"{v['nodes'][0]['target']})" for v in result["violations"]]
        if violations:
            found[name] = violations
    assert not found, found
    context.close()


def test_no_sideways_scroll_at_390_px_and_the_whole_menu(browser, national_server) -> None:
    context, page = _page(browser, 390, 844)
    wide: dict[str, int] = {}
    for name, url in PAGES.items():
        page.goto(national_server + url)
        _wait(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[name] = width
        items = page.locator("nav.menu li a")
        assert items.count() == 12, name
        for i in range(items.count()):
            box = items.nth(i).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, (name, i, box)
    assert not wide, wide
    context.close()
