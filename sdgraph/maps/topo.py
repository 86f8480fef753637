"""Boundaries: CBS/PDOK TopoJSON files (``cbs-geo/`` in the sources folder) decoded once.

A TopoJSON ``Topology`` stores each border once, as an arc of quantized deltas;
a polygon is a list of rings, a ring a list of arc indices (``~i`` = arc ``i``
reversed). :func:`load` decodes the arcs, projects them and keeps for each arc
the gemeenten whose rings use it, so a map can draw the border between two
groups of gemeenten (a regio's outline) as exactly the arcs whose two sides
differ. Files are read at run time from the sources folder and kept per path
and modification time; nothing is copied into the repository.

Projection: equirectangular around 52.2° N (x scaled by cos 52.2°), in units
of 100 m; over the Netherlands it differs from RD New by far less than the
simplification of these files (about 100 m), which is fine for overview maps.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

#: Files of gemeente boundaries: gemeente_<year>.topojson
GEMEENTE_FILE = re.compile(r"gemeente_(\d{4})\.topojson$")
KM_PER_DEGREE = 111.32
COS_LAT = math.cos(math.radians(52.2))
UNIT = 0.1  # km per SVG unit (100 m)
WEST, NORTH = 3.3, 53.6


def project(lon: float, lat: float) -> tuple[float, float]:
    """WGS84 lon/lat -> map units (x east, y south) from 3.3 E, 53.6 N."""
    return ((lon - WEST) * KM_PER_DEGREE * COS_LAT / UNIT,
            (NORTH - lat) * KM_PER_DEGREE / UNIT)


@dataclass
class Boundaries:
    """One decoded boundary file: arcs in lon/lat and in map units, shapes per code."""

    bestand: Path
    year: int
    lonlat: list[list[tuple[float, float]]]
    xy: list[list[tuple[int, int]]]
    shapes: dict[str, list[list[list[int]]]]  # code -> polygons -> rings -> arc refs
    names: dict[str, str]
    users: list[list[str]] = field(default_factory=list)  # arc -> codes using it
    #: what identifies this decoding in caches: the file and its modification time
    sleutel: tuple[str, int] = ("", 0)
    _paths: dict[str, str] = field(default_factory=dict)
    _boxes: dict[str, tuple[int, int, int, int] | None] = field(default_factory=dict)
    _all_box: tuple[int, int, int, int] | None = None
    _arc_ds: dict[int, str] = field(default_factory=dict)
    _arcs: dict[str, set[int]] = field(default_factory=dict)

    def arc_points(self, ref: int) -> list[tuple[int, int]]:
        pts = self.xy[ref if ref >= 0 else ~ref]
        return pts if ref >= 0 else pts[::-1]

    def path(self, code: str) -> str:
        """The SVG path data of one shape (cached): absolute move, relative lines."""
        found = self._paths.get(code)
        if found is None:
            parts = []
            for polygon in self.shapes.get(code, []):
                for ring in polygon:
                    pts: list[tuple[int, int]] = []
                    for ref in ring:
                        arc = self.arc_points(ref)
                        pts.extend(arc if not pts else arc[1:])
                    parts.append(_ring(pts))
            found = self._paths[code] = "".join(parts)
        return found

    def arc_path(self, refs: list[int]) -> str:
        """Path data of a set of arcs, each its own sub-path (a mesh of borders)."""
        return "".join(self.arc_d(ref) for ref in refs)

    def arc_d(self, ref: int) -> str:
        """The sub-path of one arc (cached): absolute move, relative lines; empty for an
        arc that does not move."""
        found = self._arc_ds.get(ref)
        if found is None:
            pts = self.arc_points(ref)
            x0, y0 = pts[0]
            steps = [f"{x - px} {y - py}" for (px, py), (x, y) in zip(pts, pts[1:], strict=False)
                     if (x, y) != (px, py)]
            found = self._arc_ds[ref] = f"M{x0} {y0}l" + " ".join(steps) if steps else ""
        return found

    def shape_bbox(self, code: str) -> tuple[int, int, int, int]:
        return self._shape_box(code) or (0, 0, 1, 1)

    def bbox(self, codes: list[str] | set[str] | None = None) -> tuple[int, int, int, int]:
        """(min x, min y, max x, max y) of ``codes`` (all when None), from the cached box
        of each shape."""
        if codes is None:
            if self._all_box is None:
                self._all_box = self._union(self.shapes)
            return self._all_box
        return self._union(codes)

    def _union(self, codes: Iterable[str]) -> tuple[int, int, int, int]:
        boxes = [self._shape_box(c) for c in codes]
        boxes = [b for b in boxes if b is not None]
        if not boxes:
            return (0, 0, 1, 1)
        return (min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes))

    def _shape_box(self, code: str) -> tuple[int, int, int, int] | None:
        """The box of one shape's points (cached), None when it has none."""
        if code not in self._boxes:
            pts = [p for r in self.arcs_of(code) for p in self.xy[r]]
            self._boxes[code] = (None if not pts else (
                min(p[0] for p in pts), min(p[1] for p in pts),
                max(p[0] for p in pts), max(p[1] for p in pts)))
        return self._boxes[code]

    def arcs_of(self, code: str) -> set[int]:
        found = self._arcs.get(code)
        if found is None:
            found = self._arcs[code] = {r if r >= 0 else ~r for polygon in self.shapes.get(code, [])
                                        for ring in polygon for r in ring}
        return found

    def borders(self, group: dict[str, str]) -> list[int]:
        """Arcs between shapes of different groups (``group``: code -> group key), and on
        the edge of a grouped shape (looked at: only the arcs of the grouped shapes)."""
        out = []
        for i in sorted({i for c in group for i in self.arcs_of(c)}):
            users = self.users[i]
            if len(users) == 1 or len({group.get(c) for c in users}) > 1:
                out.append(i)
        return out

    def geojson_geometry(self, code: str) -> dict:
        """The shape as a GeoJSON MultiPolygon (lon/lat, 5 decimals: about 1 m)."""
        polygons = []
        for polygon in self.shapes.get(code, []):
            rings = []
            for ring in polygon:
                pts: list[tuple[float, float]] = []
                for ref in ring:
                    arc = self.lonlat[ref if ref >= 0 else ~ref]
                    arc = arc if ref >= 0 else arc[::-1]
                    pts.extend(arc if not pts else arc[1:])
                rings.append([[round(x, 5), round(y, 5)] for x, y in pts])
            polygons.append(rings)
        return {"type": "MultiPolygon", "coordinates": polygons}


def _ring(pts: list[tuple[int, int]]) -> str:
    if not pts:
        return ""
    x0, y0 = pts[0]
    steps = [f"{x - px} {y - py}" for (px, py), (x, y) in zip(pts, pts[1:], strict=False)
             if (x, y) != (px, py)]
    return f"M{x0} {y0}l" + " ".join(steps) + "z"


def decode(data: dict, path: Path, year: int) -> Boundaries:
    """A parsed TopoJSON topology -> :class:`Boundaries` (see module docstring)."""
    scale, translate = data["transform"]["scale"], data["transform"]["translate"]
    lonlat: list[list[tuple[float, float]]] = []
    xy: list[list[tuple[int, int]]] = []
    for arc in data["arcs"]:
        x = y = 0
        ll, pts = [], []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            lon, lat = x * scale[0] + translate[0], y * scale[1] + translate[1]
            ll.append((lon, lat))
            px, py = project(lon, lat)
            pts.append((round(px), round(py)))
        lonlat.append(ll)
        xy.append(pts)
    shapes: dict[str, list[list[list[int]]]] = {}
    names: dict[str, str] = {}
    users: list[list[str]] = [[] for _ in data["arcs"]]
    for obj in data["objects"].values():
        for geometry in obj.get("geometries", []):
            props = geometry.get("properties") or {}
            code = str(props.get("statcode") or geometry.get("id") or "")
            if not code:
                continue
            if geometry["type"] == "Polygon":
                polygons = [geometry["arcs"]]
            elif geometry["type"] == "MultiPolygon":
                polygons = geometry["arcs"]
            else:
                continue
            shapes[code] = polygons
            names[code] = str(props.get("statnaam") or code)
            for polygon in polygons:
                for ring in polygon:
                    for ref in ring:
                        i = ref if ref >= 0 else ~ref
                        if code not in users[i]:
                            users[i].append(code)
    return Boundaries(path, year, lonlat, xy, shapes, names, users)


_CACHE: dict[tuple[str, int], Boundaries] = {}
_LOCK = threading.Lock()


def load(path: Path) -> Boundaries:
    """The boundaries of ``path``, decoded once per modification time."""
    key = (str(path), path.stat().st_mtime_ns)
    with _LOCK:
        found = _CACHE.get(key)
    if found is None:
        m = GEMEENTE_FILE.search(path.name) or re.search(r"_(\d{4})\.topojson$", path.name)
        year = int(m.group(1)) if m else 0
        found = decode(json.loads(path.read_text(encoding="utf-8")), path, year)
        found.sleutel = key
        with _LOCK:
            _CACHE[key] = found
    return found


def gemeente_years(folder: Path) -> dict[int, Path]:
    """year -> gemeente boundary file in ``folder`` (``cbs-geo/``)."""
    out = {}
    for p in sorted(Path(folder).glob("gemeente_*.topojson")):
        m = GEMEENTE_FILE.search(p.name)
        if m:
            out[int(m.group(1))] = p
    return out


def for_date(folder: Path, year: int) -> Boundaries | None:
    """The gemeente boundaries of the latest year up to ``year`` (else the earliest), or
    None when the folder has none."""
    years = gemeente_years(folder)
    if not years:
        return None
    chosen = max((y for y in years if y <= year), default=min(years))
    return load(years[chosen])
