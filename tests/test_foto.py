"""The foto van het sociaal domein: partners, gaps, contracts and key figures beside the
national median and a regio, on both backends; the page, its JSON, the CLI; the
result cache expiring with the store's version.

Key figures come from tests/data/foto/kerncijfers.ttl (made-up numbers); the
expected medians and ranks below are computed by hand from that file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import SOURCES, get_page, without_baseline

from sdgraph.build import init_store
from sdgraph.cli import main
from sdgraph.pages.foto import foto
from sdgraph.queries import RESULTS, QueryLibrary
from sdgraph.store import EmbeddedStore, Store

ROOT = Path(__file__).resolve().parent.parent
KERNCIJFERS = ROOT / "tests" / "data" / "foto" / "kerncijfers.ttl"
GM0823 = "https://identifier.overheid.nl/tooi/id/gemeente/gm0823"
KEMPEN = "https://identifier.overheid.nl/tooi/id/so/so0665"
PEIL = "2020-07-02"


def runner(store: Store):
    library = QueryLibrary()
    return lambda name, values: library.get(name).run(store, dict(values)).dicts()


@pytest.fixture
def loaded(store: Store) -> Store:
    """The example with key figures, without the baseline: its partners are counted by hand
    (the foto over the baseline: test_baseline.py)."""
    init_store(store, "oirschot", SOURCES)
    store.load_files([KERNCIJFERS])
    return without_baseline(store)


def test_key_figures_beside_median_and_regio(loaded: Store) -> None:
    result = foto(runner(loaded), GM0823, PEIL, regio=KEMPEN)
    figures = {v.maatstaf: v for v in result.vergelijkingen}
    assert list(figures) == ["iv3-lasten-6.71", "wmo-clienten-per-1000-inwoners"]
    lasten = figures["iv3-lasten-6.71"]
    # (6.71 + 6.71a) / inwonertal: Oirschot (1,000,000 + 900,000) / 19,000 = 100
    assert lasten.waarde == pytest.approx(100.0)
    assert (lasten.per, lasten.dataset, lasten.periode) == (1, "iv3-2023-jaarrekening", "2023")
    # national: 150, 120, 110, 100, 80, 50 -> median 105, Oirschot 4th of 6
    assert lasten.mediaan == pytest.approx(105.0)
    assert (lasten.rang, lasten.aantal) == (4, 6)
    # Kempen (5 members, Eindhoven is not one): 100, 80, 120, 50, 150 -> median 100
    assert sorted(w.code for w in lasten.regio) == [
        "GM0770", "GM0823", "GM1667", "GM1724", "GM1728"]
    assert lasten.regio_mediaan == pytest.approx(100.0)
    wmo = figures["wmo-clienten-per-1000-inwoners"]
    # the latest full year (2023, not 2023H1), as published: 80, 70, 65, 60, 52, 40
    assert (wmo.periode, wmo.per, wmo.waarde) == ("2023", None, 52.0)
    assert wmo.mediaan == pytest.approx(62.5)
    assert (wmo.rang, wmo.aantal) == (5, 6)


def test_partners_gaps_and_contracts(loaded: Store) -> None:
    result = foto(runner(loaded), GM0823, PEIL)
    partners = {(r.label, c.label): {e.uitvoerderNaam for e in result.partners.cell(r.key, c.key)}
                for r in result.partners.rows for c in result.partners.columns}
    assert partners[("Wmo 2015", "Toegang")] == {"Eindhoven", "Samenwerking Kempengemeenten"}
    assert partners[("Jeugdwet", "Inkoop")] == {"Eindhoven"}
    assert "Oirschot" not in result.partner_organisaties.values()
    assert [(r.label, c.label) for r, c in result.matrix.double] == [("Toegang Wmo", "Toegang")]
    contracts = {str(r["naam"]): str(r["rol"]) for r in result.contracten}
    assert contracts == {
        "Dienstverleningsovereenkomst regionale inkoop jeugdhulp Zuidoost-Brabant (fictief)":
            "partij",
        "Raamovereenkomst specialistische jeugdhulp Zuidoost-Brabant 2020-2023 (fictief)":
            "via taakuitvoering",
    }
    # changes in the year before the peildatum (2019-07-02 .. 2020-07-02): on 2020-01-01 the
    # subregio Veldhoven-Best-Oirschot ends (its contract, Oirschot's membership and the
    # inkoop of begeleiding through it), and jeugdhulp inkoop moves to the 2020 contract
    assert result.sinds == "2019-07-02"
    kinds = sorted((str(r["datum"]), str(r["soort"])) for r in result.wijzigingen)
    assert kinds == [("2020-01-01", "contract-beeindigd"), ("2020-01-01", "lidmaatschap-beeindigd"),
                     ("2020-01-01", "taakuitvoering-beeindigd"),
                     ("2020-01-01", "taakuitvoering-begonnen"),
                     ("2020-01-01", "taakuitvoering-begonnen")]
    assert all("2019-07-02" < str(r["datum"]) <= PEIL for r in result.wijzigingen)
    # without a chosen regio the jeugdregio is the comparison
    assert result.regio == "https://w3id.org/sdgraph/id/regio/jeugdregio/zuidoost-brabant"


def test_cache_expires_with_every_load(tmp_path: Path) -> None:
    graph = "https://example.org/test/kerncijfers"
    store = EmbeddedStore(tmp_path / "store")
    init_store(store, "oirschot", SOURCES)
    store.load_files([KERNCIJFERS], graph=graph)
    assert QueryLibrary().get("kerncijfer-landelijk").cached  # '# cache: store-version'
    hits, misses = RESULTS.hits, RESULTS.misses
    first = foto(runner(store), GM0823, PEIL)
    misses = RESULTS.misses - misses
    assert misses > 0 and RESULTS.hits == hits
    again = foto(runner(store), GM0823, PEIL)
    assert RESULTS.hits - hits == misses  # the second foto's national figures: all cached
    assert again.vergelijkingen[0].mediaan == first.vergelijkingen[0].mediaan == 105.0
    changed = tmp_path / "changed.ttl"
    text = KERNCIJFERS.read_text(encoding="utf-8")
    old = "sd:maatstaf m:iv3-lasten-6.71 ; sd:waarde 26400000.0"
    assert old in text
    changed.write_text(text.replace(old, old.replace("26400000.0", "48000000.0")),
                       encoding="utf-8")
    store.load_files([changed], graph=graph)
    # Eindhoven now 200 per inwoner: 200, 150, 120, 100, 80, 50 -> median 110
    rerun = foto(runner(store), GM0823, PEIL)
    assert rerun.vergelijkingen[0].mediaan == pytest.approx(110.0)
    store.close()


def test_foto_page_and_json(client) -> None:
    page = get_page(client, f"/gemeente/GM0823/foto?peildatum={PEIL}")
    assert 'data-testid="dubbel">1<' in page.html
    assert 'data-testid="contracten">2<' in page.html
    assert "Toegang Wmo, Toegang: meer dan één uitvoerder" in page.text
    rows = {r[0]["text"]: r for r in page.rows("tabel-partners")}
    assert "Eindhoven" in rows["Jeugdwet"][4]["text"]  # inkoop
    downloads = [h for h, _ in page.links if h.startswith("/api/query/")]
    assert len(downloads) == 8  # contracten and wijzigingen: JSON, CSV, XLSX, CSV for Excel
    for href in downloads:
        assert client.get(href).status_code == 200, href
    contracts = client.get(next(h for h in downloads if "contracten.json" in h)).get_json()
    assert len(contracts["rows"]) == 2
    body = client.get(f"/gemeente/GM0823/foto.json?peildatum={PEIL}").get_json()
    assert body["dubbel"] == [{"taak": "Toegang Wmo", "deelgebied": "Toegang"}]
    assert body["kerncijfers"] == []  # the example has no CBS figures
    assert "/gemeente/GM0823/foto?peildatum=" in " ".join(
        h for h, _ in get_page(client, f"/gemeente/GM0823?peildatum={PEIL}").links)


def test_foto_page_draws_a_chart_per_figure(tmp_path: Path) -> None:
    from web import create_app

    store = EmbeddedStore(tmp_path / "store")
    init_store(store, "oirschot", SOURCES)
    store.load_files([KERNCIJFERS])
    client = create_app(store=store).test_client()
    url = f"/gemeente/GM0823/foto?peildatum={PEIL}&regio={KEMPEN}"
    page = get_page(client, url)
    figures = [r[0]["text"] for r in page.rows("tabel-kerncijfers")]
    assert len(figures) == 2
    assert page.rows("tabel-kerncijfers")[0][2]["text"] == "100,0"
    assert page.rows("tabel-kerncijfers")[0][3]["text"] == "105,0"
    charts = re.findall(r'<svg class="chart".*?</svg>', page.html, re.S)
    assert len(charts) == 2
    # the four other Kempen gemeenten as dots, the median as a line at 105/150 of 300 px
    assert charts[0].count('class="peer"') == 4
    assert re.search(r'class="mediaan" x1="210\.0"', charts[0])
    english = client.get(url + "&lang=en").get_data(as_text=True)
    assert "100.0" in english and "National median" in english
    store.close()


def test_cli_foto_json_and_text(runner, tmp_path: Path) -> None:
    store = ["--store", str(tmp_path / "store")]
    assert runner.invoke(main, [*store, "init"]).exit_code == 0
    assert runner.invoke(main, [*store, "load", str(KERNCIJFERS)]).exit_code == 0
    result = runner.invoke(main, [*store, "foto", "GM0823", "--peildatum", PEIL,
                                  "--regio", KEMPEN, "-f", "json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["kerncijfers"][0]["mediaan"] == pytest.approx(105.0)
    result = runner.invoke(main, [*store, "foto", "GM0823", "--peildatum", PEIL])
    assert result.exit_code == 0, result.output
    assert "Double work: Toegang Wmo, Toegang" in result.output
    assert "rank 4 of 6" in result.output
    # a name is looked up (punctuation aside: "Oirschot!" is Oirschot); a typo is an error
    assert runner.invoke(main, [*store, "foto", "Oirschotx"]).exit_code == 2
