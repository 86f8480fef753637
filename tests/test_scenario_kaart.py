"""The map in scenario reports: the gemeente's partners before and after a scenario, the
merged areas of the organisations the scenario names, drawn on the server from the CBS/PDOK
boundaries (docs/maps.md), downloadable (SVG, GeoJSON, CSV) and with a table beside it, in
the web report and in the exported report.

Expectations by hand, from the scenario files and the register: Samenwerking
Kempengemeenten (ROO so0665) has five members, Bergeijk (GM1724), Bladel (GM1728), Eersel
(GM0770), Oirschot (GM0823) and Reusel-De Mierden (GM1667). Scenario B makes Oirschot leave
it and join the subregio Veldhoven, Best, Oirschot with Veldhoven (GM0861) executing its Wmo
taken; the example records no other member of that subregio on the peildatum. Scenario D
makes Oirschot leave it and do the work itself with Best (GM0753) as partner.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import SOURCES, get_page, missing

from sdgraph.pages import scenario as pages
from sdgraph.scenario import load

ROOT = Path(__file__).resolve().parent.parent
OIRSCHOT = ROOT / "data" / "examples" / "oirschot" / "scenarios"
QUERY = "s=oirschot/b-subregio-veldhoven-best-oirschot&s=oirschot/d-eigen-regie"
KEMPEN = {"GM0823", "GM1724", "GM1728", "GM0770", "GM1667"}
PEIL = "2024-07-01"


def roo_deelnemers(so: str, day: str) -> set[str]:
    """The gemeenten (codes) that are deelnemer of GR ``so`` in a version valid on ``day``,
    as the raw ROO files say."""
    out = set()
    for path in (SOURCES / "roo-polder" / "gemeenschappelijke-regelingen").glob("*.yaml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        meta = doc.get("gr_meta") or {}
        start, end = str(doc.get("valid_from") or ""), str(doc.get("valid_until") or "")
        tooi = (meta.get("regionaal_samenwerkingsorgaan") or {}).get("tooi") or ""
        if tooi.endswith(f"/{so}") and start <= day and (not end or day < end):
            out |= {d["tooi"].rsplit("/", 1)[-1].upper()
                    for d in meta.get("deelnemende_organisaties") or []
                    if "/gemeente/" in (d.get("tooi") or "")}
    return out


def test_the_hand_count_of_the_kempengemeenten_is_the_registers():
    assert roo_deelnemers("so0665", PEIL) == KEMPEN


@pytest.fixture(autouse=True)
def _boundaries():
    if SOURCES is None or not (SOURCES / "cbs-geo").is_dir():
        missing("the maps read the CBS/PDOK boundaries from ../shared/data/sources/cbs-geo")


@pytest.fixture(scope="module")
def vergelijking(example_store):
    scenarios = [s for name in ("b-subregio-veldhoven-best-oirschot", "d-eigen-regie")
                 for s in load(OIRSCHOT / f"{name}.yaml")]
    return pages.compare(example_store, scenarios, folder=SOURCES)


def _rows(k) -> dict[str, tuple[str, str]]:
    return {r["code"]: (r["voor"], r["na"]) for r in k.rijen}


def test_the_areas_before_and_after_are_those_counted_by_hand(vergelijking):
    b, d = vergelijking.kaarten
    ja = {c: ("ja", "ja") for c in {"GM0823"}}
    assert _rows(b) == {**{c: ("ja", "nee") for c in KEMPEN - {"GM0823"}}, **ja,
                        "GM0861": ("nee", "ja")}
    assert _rows(d) == {**{c: ("ja", "nee") for c in KEMPEN - {"GM0823"}}, **ja,
                        "GM0753": ("nee", "ja")}
    # the table says through which organisation, the gemeente first
    first = b.rijen[0]
    assert first["gemeente"] == "Oirschot"
    assert "Samenwerking Kempengemeenten" in first["via_voor"]
    veldhoven = next(r for r in b.rijen if r["code"] == "GM0861")
    assert veldhoven["via_na"] == "Veldhoven" and veldhoven["via_voor"] == ""


def test_the_svg_fills_each_gemeente_by_where_it_is_and_outlines_both_areas(vergelijking):
    svg = vergelijking.kaarten[1].kaart.svg()
    assert svg.startswith("<svg") and 'id="kaart-scenario-2"' in svg
    titles = re.findall(r"<g fill=\"(#[0-9A-Fa-f]{6})\"><title>([^<]*)</title>", svg)
    assert ("#56B4E9", "voor en na: Oirschot") in titles
    assert ("#E69F00", "alleen voor: Bergeijk, Bladel, Eersel, Reusel-De Mierden") in titles
    assert ("#009E73", "alleen na: Best") in titles
    # the outline of the area before (solid) and after (dashed)
    assert 'stroke="#222222"' in svg and 'stroke-dasharray="4 3"' in svg
    geo = json.loads(vergelijking.kaarten[1].kaart.geojson())
    props = {f["id"]: f["properties"] for f in geo["features"]}
    assert props["GM0753"]["na"] is True and props["GM0753"]["voor"] is False
    assert props["GM1724"]["voor"] is True and props["GM1724"]["na"] is False


def test_the_web_report_shows_the_map_with_its_table_and_downloads(client):
    page = get_page(client, f"/scenario/vergelijk?{QUERY}")
    assert 'id="kaart-scenario-1"' in page.html and 'id="kaart-scenario-2"' in page.html
    assert "Partners voor en na" in page.html
    svg = client.get(f"/scenario/kaart.svg?{QUERY}&nr=1")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert "alleen na: Veldhoven" in svg.get_data(as_text=True)
    geo = client.get(f"/scenario/kaart.geojson?{QUERY}&nr=2")
    assert geo.status_code == 200
    assert {f["id"] for f in geo.get_json()["features"]
            if f["properties"].get("na")} == {"GM0823", "GM0753"}
    table = client.get(f"/scenario/kaart.csv?{QUERY}&nr=2").get_data(as_text=True)
    assert {r["code"] for r in csv.DictReader(io.StringIO(table))} == KEMPEN | {"GM0753"}
    assert client.get(f"/scenario/kaart.svg?{QUERY}&nr=3").status_code == 400


def test_the_exported_report_draws_the_map_inline(client):
    report = client.get(f"/scenario/vergelijk.html?{QUERY}").get_data(as_text=True)
    assert report.count("<svg xmlns") == 2 and 'id="kaart-scenario-2"' in report
    assert "alleen voor: Bergeijk, Bladel, Eersel, Reusel-De Mierden" in report
    assert "<script" not in report and "http://127.0.0.1" not in report
