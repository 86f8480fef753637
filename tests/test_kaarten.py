"""Maps (sdgraph/maps): TopoJSON decoding, borders, SVG and GeoJSON on a hand-made
topology whose expected output is worked out by hand, and the real CBS/PDOK files."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import SOURCES, missing

from sdgraph.maps.kaart import ATTRIBUTION, Kaart, Laag, Lijn, Vlak, klassen, kleuren
from sdgraph.maps.topo import decode, for_date, project

SVG = "{http://www.w3.org/2000/svg}"

#: Two unit squares side by side (A west, B east) sharing arc 0 (x=1, y 0..1), and a
#: third square C north of A sharing arc 1 (y=1, x 0..1). Quantized: scale 0.1 degree,
#: translate (4, 52); each arc a start point and deltas.
TOPO = {
    "type": "Topology",
    "transform": {"scale": [0.1, 0.1], "translate": [4.0, 52.0]},
    "arcs": [
        [[1, 0], [0, 1]],                   # 0: (1,0) -> (1,1), A | B
        [[1, 1], [-1, 0]],                  # 1: (1,1) -> (0,1), A | C
        [[1, 0], [1, 0], [0, 1], [-1, 0]],  # 2: B's own sides (1,0)->(2,0)->(2,1)->(1,1)
        [[0, 1], [0, 1], [1, 0], [0, -1]],  # 3: C's own sides (0,1)->(0,2)->(1,2)->(1,1)
        [[0, 1], [0, -1], [1, 0]],          # 4: A's own sides (0,1)->(0,0)->(1,0)
    ],
    "objects": {"gemeente_2099": {"type": "GeometryCollection", "geometries": [
        {"type": "Polygon", "arcs": [[0, 1, 4]], "properties": {"statcode": "GM0001",
                                                                  "statnaam": "A"}},
        {"type": "Polygon", "arcs": [[2, ~0]], "properties": {"statcode": "GM0002",
                                                                "statnaam": "B"}},
        {"type": "MultiPolygon", "arcs": [[[3, 1]]], "properties": {"statcode": "GM0003",
                                                                     "statnaam": "C"}},
    ]}},
}


@pytest.fixture
def topo():
    return decode(TOPO, Path("gemeente_2099.topojson"), 2099)


def test_decode_arcs_shapes_and_users(topo) -> None:
    # arc 0 runs from (4.1, 52.0) to (4.1, 52.1) in lon/lat
    assert topo.lonlat[0] == [pytest.approx((4.1, 52.0)), pytest.approx((4.1, 52.1))]
    assert set(topo.shapes) == {"GM0001", "GM0002", "GM0003"}
    assert topo.names["GM0002"] == "B"
    assert topo.users[0] == ["GM0001", "GM0002"]  # the shared borders
    assert topo.users[1] == ["GM0001", "GM0003"]
    assert topo.users[2] == ["GM0002"]
    # ~0 walks arc 0 backwards: every ring closes on itself
    for refs in ((0, 1, 4), (2, ~0), (3, 1)):
        ring = [p for ref in refs for p in topo.arc_points(ref)]
        assert ring[0] == ring[-1], refs


def test_projection_is_equirectangular_in_100_m_units() -> None:
    x0, y0 = project(4.0, 52.0)
    x1, y1 = project(4.1, 52.0)
    x2, y2 = project(4.0, 52.1)
    # 0.1 degree longitude at 52.2 N: 11.132 km * cos(52.2) = 11.132 * 0.61291 = 6.8229 km
    assert x1 - x0 == pytest.approx(68.23, abs=0.01) and y1 == y0
    # 0.1 degree latitude: 11.132 km = 111.32 units, north is up (smaller y)
    assert y0 - y2 == pytest.approx(111.32, abs=0.01) and x2 == x0


def test_borders_between_groups(topo) -> None:
    # A and B in different groups: A|B, A|C (C has no group), and their own sides
    assert topo.borders({"GM0001": "x", "GM0002": "y"}) == [0, 1, 2, 4]
    # in one group A|B is no border
    assert topo.borders({"GM0001": "x", "GM0002": "x"}) == [1, 2, 4]
    # A alone: all its arcs
    assert topo.borders({"GM0001": "x"}) == [0, 1, 4]


def test_svg_is_accessible_and_attributed(topo) -> None:
    kaart = Kaart("Twee regio's", "A en B apart; C zonder regio.", topo,
                  [Vlak(["GM0001"], "#E69F00", "Regio 1: A"),
                   Vlak(["GM0002"], "#56B4E9", "Regio 2: B")],
                  [Lijn(topo.borders({"GM0001": "1", "GM0002": "2"}), "#222222", 1)],
                  [Laag("Laag 0", [Vlak(["GM0003"], "#009E73", "C")], [], actief=True),
                   Laag("Laag 1", [Vlak(["GM0001"], "#009E73", "A")], [])])
    root = ET.fromstring(kaart.svg())
    assert root.get("role") == "img"
    ids = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == ids[0]
    assert root.find(f"{SVG}title").text == "Twee regio's"
    assert ATTRIBUTION in root.find(f"{SVG}desc").text
    titles = [g.find(f"{SVG}title").text for g in root.findall(f"{SVG}g")[:2]]
    assert titles == ["Regio 1: A", "Regio 2: B"]
    assert any(t.text == ATTRIBUTION for t in root.findall(f"{SVG}text"))
    # the active layer shows, the other waits for the page to switch it on
    assert root.find(f"{SVG}g[@data-laag='0']").get("display") is None
    assert root.find(f"{SVG}g[@data-laag='1']").get("display") == "none"
    assert root.find(f"{SVG}g[@data-laag='1']").get("class") == "laag laag-1"


def test_geojson_rings_in_lonlat(topo) -> None:
    kaart = Kaart("t", "d", topo, eigenschappen={"GM0001": {"regio": "1"}})
    body = json.loads(kaart.geojson())
    a = next(f for f in body["features"] if f["id"] == "GM0001")
    assert a["properties"] == {"statcode": "GM0001", "statnaam": "A", "regio": "1"}
    ring = a["geometry"]["coordinates"][0][0]
    assert ring[0] == ring[-1]
    assert sorted({tuple(p) for p in ring}) == [(4.0, 52.0), (4.0, 52.1), (4.1, 52.0),
                                                (4.1, 52.1)]
    assert "Kadaster/PDOK" in body["attribution"]


def test_neighbours_get_different_colours(topo) -> None:
    colours = kleuren({"1": {"GM0001"}, "2": {"GM0002"}, "3": {"GM0003"}}, topo)
    assert colours["1"] != colours["2"] and colours["1"] != colours["3"]


def test_quantile_classes() -> None:
    values = {str(i): float(i) for i in range(1, 11)}
    assert klassen(values) == [2.0, 4.0, 6.0, 8.0, 10.0]
    assert klassen({}) == []


def test_real_boundaries() -> None:
    if SOURCES is None:
        missing("the CBS/PDOK boundaries are read from ../shared/data/sources/cbs-geo")
    folder = SOURCES / "cbs-geo"
    b2025 = for_date(folder, 2025)
    assert b2025.year == 2025 and len(b2025.shapes) == 342
    assert b2025.names["GM0823"] == "Oirschot"
    # a peildatum in 2018 takes the latest boundaries up to it; before 2016 the earliest
    assert for_date(folder, 2018).year == 2016 and len(for_date(folder, 2018).shapes) == 390
    assert for_date(folder, 2010).year == 2016
    assert for_date(folder, 2021).year == 2020
    # every ring closes
    for code in b2025.shapes:
        for polygon in b2025.geojson_geometry(code)["coordinates"]:
            for ring in polygon:
                assert ring[0] == ring[-1], code


#: A GR with Oirschot and Bladel as members, loaded to change what Oirschot's map shows.
PROEF_GR = """@prefix sd: <https://w3id.org/sdgraph/def#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/sdgraph/id/test/kaartproef> a sd:GemeenschappelijkeRegeling ;
    rdfs:label "Kaartproef"@nl .
<https://w3id.org/sdgraph/id/test/kaartproef/oirschot> a org:Membership ;
    org:organization <https://w3id.org/sdgraph/id/test/kaartproef> ;
    org:member <https://identifier.overheid.nl/tooi/id/gemeente/gm0823> .
<https://w3id.org/sdgraph/id/test/kaartproef/bladel> a org:Membership ;
    org:organization <https://w3id.org/sdgraph/id/test/kaartproef> ;
    org:member <https://identifier.overheid.nl/tooi/id/gemeente/gm1728> .
"""

#: Writes the maps of Oirschot (gemeente, overlap) as a fresh process sees them.
FRESH = """import sys
from pathlib import Path
from sdgraph import maps
from sdgraph.runner import Runner
from sdgraph.store import EmbeddedStore
store = EmbeddedStore(Path(sys.argv[1]), read_only=True)
run, folder, day = Runner(store), Path(sys.argv[2]), sys.argv[3]
ri = maps.INDELING
print(maps.gemeente(run, folder, "GM0823", day).kaart.svg())
print(maps.overlap(run, folder, (ri + "jeugdregio", "A"), (ri + "wmo-regio", "B"),
                   day).kaart.svg())
"""


def test_kept_maps_equal_fresh_ones_across_a_load(tmp_path) -> None:
    """The maps kept per store version are the ones a fresh computation (caches emptied,
    or another process with another string hash seed) writes, before and after a load
    that changes what the gemeente map shows; the load is seen at once."""
    import os
    import subprocess
    import sys

    from sdgraph import cache, maps
    from sdgraph.build import init_store
    from sdgraph.runner import Runner
    from sdgraph.store import EmbeddedStore, Source

    if SOURCES is None:
        missing("the maps need the CBS/PDOK boundaries of ../shared/data/sources/cbs-geo")
    store = EmbeddedStore(tmp_path / "store")
    init_store(store, "oirschot", SOURCES)
    run, day = Runner(store), "2024-01-01"
    ab = (maps.INDELING + "jeugdregio", "A"), (maps.INDELING + "wmo-regio", "B")

    def fresh_here() -> tuple[str, str]:
        cache.clear_all()
        return (maps.gemeente(run, SOURCES, "GM0823", day).kaart.svg(),
                maps.overlap(run, SOURCES, *ab, day).kaart.svg())

    def fresh_elsewhere(seed: str) -> tuple[str, str]:
        out = subprocess.run([sys.executable, "-c", FRESH, str(tmp_path / "store"),
                              str(SOURCES), day], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        gemeente, overlap = out.splitlines()
        return gemeente, overlap

    try:
        before = maps.gemeente(run, SOURCES, "GM0823", day)
        assert maps.gemeente(run, SOURCES, "GM0823", day) is before  # kept
        kept_before = (before.kaart.svg(), maps.overlap(run, SOURCES, *ab, day).kaart.svg())
        assert "Kaartproef" not in kept_before[0]
        assert kept_before == fresh_here() == fresh_elsewhere("1") == fresh_elsewhere("2")

        store.load([Source(name="kaartproef.ttl", data=PROEF_GR.encode("utf-8"))])
        after = maps.gemeente(run, SOURCES, "GM0823", day)
        assert after is not before
        # the new GR is a layer of two gemeenten: Oirschot and Bladel
        assert "<title>Kaartproef (gemeenschappelijke regeling): 2 gemeenten</title>" in (
            after.kaart.svg())
        assert [r["gemeenten"] for r in after.rijen if r["organisatie"] == "Kaartproef"] == [
            "Bladel, Oirschot"]
        assert len(after.rijen) == len(before.rijen) + 1
        kept_after = (after.kaart.svg(), maps.overlap(run, SOURCES, *ab, day).kaart.svg())
        assert maps.gemeente(run, SOURCES, "GM0823", day) is after
        assert kept_after == fresh_here() == fresh_elsewhere("3")
        assert kept_after[1] == kept_before[1]  # the load changed no regio-indeling
    finally:
        store.close()


@pytest.mark.parametrize("url", ["/gemeente/GM0823/kaart.svg", "/gemeente/GM0823/kaart.json",
                                 "/overlap/kaart.geojson"])
def test_map_download_without_boundaries_is_a_clear_404(example_store, tmp_path, url) -> None:
    """A sources folder without cbs-geo: the map downloads say so (404, in the page's
    language, JSON where JSON was asked), not a server error; the pages leave the map out."""
    from sdgraph.config import Settings
    from web import create_app

    settings = Settings.from_env(sources=tmp_path, env={})
    client = create_app(settings=settings, store=example_store,
                        test_config={"TESTING": True}).test_client()
    response = client.get(url)
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "geen grenzen (cbs-geo) in de bronnenmap" in body
    if url.endswith(".json"):
        assert response.get_json()["status"] == 404
    english = client.get(url + "?lang=en").get_data(as_text=True)
    assert "no boundaries (cbs-geo) in the sources folder" in english
    page = client.get("/gemeente/GM0823")
    assert page.status_code == 200 and 'class="kaart"' not in page.get_data(as_text=True)


def test_gemeente_map_reads_the_stored_national_lists_with_the_same_result(
        materialising_example, monkeypatch: pytest.MonkeyPatch) -> None:
    """On the load's default peildatum the gemeente map takes each of its organisations
    from the national member lists the load stored; for every gemeente the same
    organisations, names and members as the two queries about that gemeente alone."""
    from datetime import date

    from sdgraph import maps
    from sdgraph.cache import clear_all
    from sdgraph.identity import gemeente_code
    from sdgraph.runner import Runner

    run = Runner(materialising_example)
    today = date.today().isoformat()
    kinds = [f"{maps.INDELING}{slug}" for slug in maps.HOOFDINDELINGEN] + [maps.GR]
    assert all(maps._leden_opgeslagen(run, iri, today) for iri in kinds)
    assert not maps._leden_opgeslagen(run, kinds[0], "2019-06-30")  # not stored: queries
    codes = sorted(gemeente_code(str(r["gemeente"])).upper()
                   for r in run("gemeenten", {"peildatum": today}))
    assert len(codes) >= 20  # the example: the gemeenten around Oirschot
    fast = {c: maps.organisaties(run, c, today) for c in codes}
    clear_all()
    monkeypatch.setattr(maps, "_leden_opgeslagen", lambda *a: False)
    slow = {c: maps.organisaties(run, c, today) for c in codes}
    assert fast == slow
    assert sum(len(o) for o in fast.values()) > len(codes)  # each in several
