"""The foto printed from a real browser (Playwright, Debian chromium): in print media the
navigation, the forms and the download links are gone, no table reaches past the A4 text
width, and the printed PDF (page.pdf) holds the content and none of the chrome.

The app runs on 127.0.0.1 over the Oirschot example with the made-up key figures of
tests/data/foto/kerncijfers.ttl.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from conftest import SOURCES, missing, serving

from sdgraph.build import init_store
from sdgraph.store import EmbeddedStore

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
KEMPEN = "https://identifier.overheid.nl/tooi/id/so/so0665"
URL = f"/gemeente/GM0823/foto?peildatum=2020-07-02&regio={quote(KEMPEN, safe='')}"
#: A4 (210 mm) less the print margins of 12 mm on either side, in CSS pixels (96 per inch)
TEXT_WIDTH = round((210 - 24) / 25.4 * 96)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory) -> Iterator[str]:
    if SOURCES is None:
        missing("the Oirschot example's register facts are read from ../shared")
    from web import create_app

    store = EmbeddedStore(tmp_path_factory.mktemp("print") / "store")
    init_store(store, "oirschot", SOURCES)
    store.load_files([ROOT / "tests" / "data" / "foto" / "kerncijfers.ttl"])
    app = create_app(store=store)
    with serving(app) as url:
        yield url
    store.close()


HIDDEN = """() => [...document.querySelectorAll(
    'header.site, nav, form, input, select, button, footer.site, a.download')]
  .filter(e => getComputedStyle(e).display !== 'none' && e.offsetParent !== null)
  .map(e => e.outerHTML.slice(0, 80))"""

OVERFLOW = """(width) => [...document.querySelectorAll(
    'main table, main svg.grafiek, main .table-wrap')]
  .filter(e => e.getBoundingClientRect().right > width + 1)
  .map(e => (e.id || e.className.baseVal || e.className) + ' ' +
             Math.round(e.getBoundingClientRect().right))"""


def test_print_has_no_navigation_forms_or_cut_off_columns(browser, live_server, tmp_path):
    context = browser.new_context(viewport={"width": TEXT_WIDTH, "height": 1000},
                                  locale="nl-NL")
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(live_server + URL)
    # on screen: navigation, the form and the dossier downloads are there
    assert page.locator("nav.menu").is_visible()
    assert page.locator("form.filters").is_visible()
    assert page.locator("[data-testid=foto-downloads] a").count() == 6
    page.emulate_media(media="print")
    assert page.evaluate(HIDDEN) == []
    # the map's table prints whole (on screen it scrolls beside the map)
    if page.locator(".kaart-tabel").count():
        assert page.evaluate("""() => [...document.querySelectorAll('.kaart-tabel')]
            .every(e => e.scrollHeight <= e.clientHeight + 1)""")
    assert page.evaluate(OVERFLOW, TEXT_WIDTH) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= TEXT_WIDTH + 1
    # each chart keeps its title and description for screen readers
    assert page.locator("svg.grafiek[role=img] > title").count() == 2
    assert page.locator("svg.grafiek > desc").count() == 2
    pdf = tmp_path / "foto.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=False)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert not errors, errors
    assert all(urlsplit(u).hostname == "127.0.0.1" for u in requests
               if urlsplit(u).scheme not in ("data", "about")), requests
    if shutil.which("pdftotext") is None:
        missing("pdftotext (poppler-utils, scripts/system-deps.sh)")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    for content in ("Foto van het sociaal domein", "Partners per wet en deelgebied",
                    "Kerncijfers door de tijd", "Bron: CBS StatLine 86050NED", "Doelen"):
        assert content in text, content
    # none of the chrome: menu items, form labels, download links, the footer
    for chrome in ("Werkbank", "Valideren", "Scenario's", "Eigen vergelijkingsgroep",
                   "Start collegeperiode", "Markdown", "bekijk de lijst", "Naar de inhoud"):
        assert chrome not in text, chrome
    context.close()
