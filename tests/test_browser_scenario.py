"""The scenario builder in a real browser (Playwright + Debian chromium), as an adviser who
has never seen YAML: build Oirschot's scenario D with the forms, see its impact, compare it
with A-C, download the report, save the scenario as a file and open it again.

The numbers on the page and in the downloaded report must be those of the bundled YAML file
compared with A-C by the core. No console errors, no request to another host.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SOURCES, missing
from test_browser import Watcher, live_server, page  # noqa: F401

from sdgraph.scenario import compare, load
from sdgraph.scenario.vergelijking import CRITERIA, score_tekst, waarde_tekst

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
OIRSCHOT = ROOT / "data" / "examples" / "oirschot" / "scenarios"
NAMES = ["A. Integraal met subregio De Kempen",
         "B. Integraal met subregio Veldhoven, Best, Oirschot",
         "C. Wmo via de regio Zuidoost-Brabant"]
TITEL = "D. Eigen regie (in de browser)"


def test_build_scenario_d_compare_download_save_and_reopen(page, live_server, tmp_path,  # noqa: F811
                                                           example_store):
    watch = Watcher(page)
    expected = compare(example_store, [s for f in sorted(OIRSCHOT.glob("*.yaml"))
                                       for s in load(f)])
    d = expected.criteria[3]

    # the start: a gemeente by name, the dates, a title
    page.goto(live_server + "/scenario")
    page.get_by_role("link", name="Nieuw scenario bouwen").click()
    page.wait_for_url(re.compile(r"/scenario/bouwen$"))
    page.get_by_label("Gemeente", exact=True).fill("Oirschot")
    page.get_by_label("Peildatum", exact=True).fill("2024-07-01")
    page.get_by_label("Besluitdatum (optioneel)").fill("2024-10-01")
    page.get_by_label("Titel", exact=True).fill(TITEL)
    page.get_by_label("Uw naam (optioneel)").fill("Adviseur")
    page.get_by_role("button", name="Begin").click()
    page.wait_for_url(re.compile(r"/scenario/bouwen\?sc=1\."))
    assert page.get_by_test_id("bouwer-gemeente").inner_text() == "Oirschot (GM0823)"
    watch.check("builder start")

    # change 1: eigen regie of everything the Kempengemeenten do, with Best as partner
    form = page.locator("#wijziging-form")
    form.get_by_label("Eigen regie").check()
    assert form.locator("[data-veld=betreft]").is_hidden()  # only the fields it uses
    form.get_by_label("Van (wie voert de taken nu uit)").select_option(
        label="Samenwerking Kempengemeenten (GR)")
    form.get_by_text("Gemeenten om mee samen te werken").click()
    form.get_by_label("Best", exact=True).check()
    # the impact of the change being typed shows before it is added
    preview = page.locator("#impact-paneel [data-voorbeeld=true]")
    preview.wait_for()
    assert "taakuitvoeringen wijzigen van uitvoerder" in preview.inner_text()
    form.get_by_role("button", name="Wijziging toevoegen").click()
    page.wait_for_url(re.compile(r"/scenario/bouwen\?sc=1\..*#impact"))
    assert page.locator("#lijst-wijzigingen li").count() == 1

    # change 2: leave the GR; a mistake first (no GR chosen) is shown at its field
    form = page.locator("#wijziging-form")
    form.get_by_label("Uittreding").check()
    form.get_by_role("button", name="Wijziging toevoegen").click()
    error = page.locator("#fout-betreft")
    assert error.inner_text() == "Kies de GR of regio voor een uittreding."
    assert watch.errors == ["Failed to load resource: the server responded with a status of 400 "
                            "(BAD REQUEST)"]  # the form with the mistake comes back as a 400
    watch.errors.clear()
    form = page.locator("#wijziging-form")
    assert form.get_by_label("Uittreding").is_checked()  # what was chosen stays
    form.get_by_label("Welke GR of regio").select_option(label="Samenwerking Kempengemeenten (GR)")
    form.get_by_role("button", name="Wijziging toevoegen").click()
    page.wait_for_url(re.compile(r"#impact$"))
    assert page.locator("#lijst-wijzigingen li .wijziging-tekst").all_inner_texts() == [
        "Eigen regie: alle taken van Samenwerking Kempengemeenten naar Oirschot zelf, met "
        "partner Best", "Uittreding: geen lid meer van Samenwerking Kempengemeenten"]
    impact = page.locator("#tabel-impact-criteria")
    assert impact.locator("tr[data-criterium=eigen-uitvoering] td").nth(1).inner_text() == \
        waarde_tekst("eigen-uitvoering", d["eigen-uitvoering"].waarde)
    builder_url = page.url
    watch.check("builder with two changes")

    # compare with A-C: the same numbers as the bundled YAML file
    for name in NAMES:
        page.locator("#vergelijk-form").get_by_label(name, exact=True).check()
    page.locator("#vergelijk-form").get_by_role("button", name="Vergelijk").click()
    page.wait_for_url(re.compile(r"/scenario/vergelijk\?"))
    rows = page.locator("#tabel-criteria tbody tr")
    assert rows.count() == 4
    built = rows.nth(3)
    assert built.locator("th").inner_text() == TITEL
    for c in CRITERIA:
        cell = built.locator(f"[data-testid=crit-4-{c}] .waarde").inner_text()
        assert cell == waarde_tekst(c, d[c].waarde), c
        assert built.locator(f"[data-testid=crit-4-{c}] .score").inner_text() == \
            score_tekst(expected.scores[3][c]), c
    assert page.get_by_test_id("totaal-4").inner_text() == score_tekst(expected.totaal[3])
    assert page.get_by_test_id("rang-4").inner_text() == str(expected.rang(3))
    watch.check("comparison with the built scenario")

    # download the report: the same numbers, and nothing run together
    links = page.locator("ul.downloads a").all_inner_texts()
    assert links == ["Rapport (HTML, afdrukbaar)", "Rapport (Markdown)",
                     "Alle cijfers met hun items (CSV)", "Criteria en matrix (JSON)"]
    with page.expect_download() as info:
        page.get_by_role("link", name="Rapport (HTML, afdrukbaar)").click()
    report = tmp_path / "rapport.html"
    info.value.save_as(report)
    html = report.read_text(encoding="utf-8")
    assert "<script" not in html and TITEL in html
    for c in CRITERIA:
        assert waarde_tekst(c, d[c].waarde) in html, c
        assert d[c].formule in html.replace("&#39;", "'"), c
    watch.check("report download")

    # save as a file, and open it again in the builder
    page.goto(builder_url)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download als Turtle (met maker, datum en herkomst)").click()
    saved = tmp_path / "scenario.ttl"
    info.value.save_as(saved)
    turtle = saved.read_text(encoding="utf-8")
    assert "dct:creator \"Adviseur\"" in turtle and "sdgraph scenariobouwer" in turtle
    page.goto(live_server + "/scenario/bouwen")
    page.get_by_label("Scenariobestand (.ttl of .yaml)").set_input_files(str(saved))
    page.get_by_role("button", name="Openen").click()
    page.wait_for_url(re.compile(r"/scenario/bouwen\?sc=1\."))
    assert page.locator("#lijst-wijzigingen li .wijziging-tekst").all_inner_texts() == [
        "Eigen regie: alle taken van Samenwerking Kempengemeenten naar Oirschot zelf, met "
        "partner Best", "Uittreding: geen lid meer van Samenwerking Kempengemeenten"]
    assert page.locator("h1").inner_text() == f"Scenario bouwen: {TITEL}"
    watch.check("reopened from the file")


def test_network_before_and_after_share_one_layout(page, live_server):  # noqa: F811
    watch = Watcher(page)
    page.goto(live_server + "/scenario/netwerk?nr=1&s=oirschot/d-eigen-regie")
    page.wait_for_selector("#canvas-voor[data-ready=true]")
    page.wait_for_selector("#canvas-na[data-ready=true]")
    positions = page.evaluate("""() => ['canvas-voor', 'canvas-na'].map(id => {
        const d = JSON.parse(document.getElementById(id).getAttribute('data-netwerk'));
        return Object.fromEntries(d.nodes.map(n => [n.id, [n.x, n.y]])); })""")
    voor, na = positions
    shared = set(voor) & set(na)
    assert shared and all(voor[k] == na[k] for k in shared)
    watch.check("network before and after")


def test_scenario_map_draws_offline(page, live_server):  # noqa: F811
    """The partners map of each scenario on the compare page draws from this host alone,
    with its table beside it, and its SVG download is an image."""
    if SOURCES is None:
        missing("the maps read the CBS/PDOK boundaries from ../shared/data/sources/cbs-geo")
    watch = Watcher(page)
    query = "s=oirschot/b-subregio-veldhoven-best-oirschot&s=oirschot/d-eigen-regie"
    page.goto(f"{live_server}/scenario/vergelijk?{query}")
    for nr in (1, 2):
        kaart = page.locator(f"svg#kaart-scenario-{nr}")
        kaart.scroll_into_view_if_needed()
        assert kaart.is_visible()
    # scenario D: Best only after, the other Kempengemeenten only before
    d = page.locator("svg#kaart-scenario-2")
    assert d.locator("g[fill='#009E73'] > title").text_content() == "alleen na: Best"
    tables = page.get_by_test_id("kaart-tabel")
    assert tables.count() == 2 and tables.nth(1).locator("tbody tr").count() == 6
    svg = page.request.get(f"{live_server}/scenario/kaart.svg?{query}&nr=2")
    assert svg.ok and svg.headers["content-type"].startswith("image/svg+xml")
    watch.check("scenario map")
