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
