"""A map: filled groups of gemeenten, border lines and optional layers, written as SVG
(with title, description and a title per area for hover and screen readers) and as
GeoJSON; the same rows feed the table beside it. Colours are SVG presentation
attributes (no inline style, so the pages' Content Security Policy holds).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape
from typing import Any

from .topo import Boundaries

ATTRIBUTION = "Bron: CBS, Kadaster/PDOK"
#: Categorical colours (Okabe-Ito and Tableau, distinguishable for most colour vision).
CATEGORIEEN = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
               "#8CBF3F", "#B07AA1", "#9C755F")
#: Sequential classes (ColorBrewer YlGnBu, 5 classes), light = low.
KLASSEN = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
LEEG = "#e4e4e4"  # a gemeente without value or regio


@dataclass
class Vlak:
    """Gemeenten drawn with one fill and one title (a regio, a GR's members, a class)."""

    codes: list[str]
    fill: str
    title: str
    opacity: float = 1.0


@dataclass
class Lijn:
    refs: list[int]
    stroke: str
    width: float
    dash: str | None = None


@dataclass
class Laag:
    """A layer the page can switch on and off (CSS class ``laag-<n>``)."""

    naam: str
    vlakken: list[Vlak]
    lijnen: list[Lijn]
    actief: bool = False


@dataclass
class Kaart:
    titel: str
    beschrijving: str
    grenzen: Boundaries
    vlakken: list[Vlak] = field(default_factory=list)
    lijnen: list[Lijn] = field(default_factory=list)
    lagen: list[Laag] = field(default_factory=list)
    nadruk: list[str] = field(default_factory=list)  # shapes outlined on top
    legenda: list[tuple[str, str]] = field(default_factory=list)  # (fill, label)
    beeld: set[str] | None = None  # shapes that set the extent (None: all)
    eigenschappen: dict[str, dict[str, Any]] = field(default_factory=dict)  # code -> GeoJSON props
    ident: str = "kaart"
    _zicht: set[str] = field(default_factory=set)  # shapes in view while writing the SVG
    _geschreven: dict[int, str] = field(default_factory=dict)  # SVG per width, once written

    def viewbox(self) -> tuple[int, int, int, int]:
        x0, y0, x1, y1 = self.grenzen.bbox(self.beeld)
        pad = max(5, (x1 - x0) // 30)
        return x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad

    def svg(self, width: int | None = None) -> str:
        """The map as a standalone SVG document (also inline in a page); written once."""
        key = width or 0
        if key not in self._geschreven:
            self._geschreven[key] = self._svg(width)
        return self._geschreven[key]

    def _svg(self, width: int | None) -> str:
        g = self.grenzen
        vx, vy, vw, vh = self.viewbox()
        scale = vw / 600  # stroke widths in screen pixels at 600 px wide
        t, d = f"{self.ident}-titel", f"{self.ident}-beschrijving"
        out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{vx} {vy} {vw} {vh}" '
               f'role="img" aria-labelledby="{t} {d}" class="kaart" id="{self.ident}"'
               + (f' width="{width}"' if width else "") + ">",
               f'<title id="{t}">{escape(self.titel)}</title>',
               f'<desc id="{d}">{escape(self.beschrijving)} {ATTRIBUTION}; grenzen '
               f'{g.year}.</desc>']
        self._zicht = {c for c in g.shapes if _overlaps(g.shape_bbox(c), (vx, vy, vw, vh))}
        drawn = set()
        for v in self.vlakken:
            out.append(self._vlak(v))
            drawn.update(v.codes)
        rest = [c for c in g.shapes if c not in drawn and c in self._zicht]
        if rest:
            out.append(f'<g fill="{LEEG}">' + "".join(
                f'<path d="{g.path(c)}"><title>{escape(g.names.get(c, c))}</title></path>'
                for c in rest) + "</g>")
        inner = [i for i, users in enumerate(g.users)
                 if len(users) > 1 and users[0] in self._zicht]
        out.append(f'<path d="{g.arc_path(inner)}" fill="none" stroke="#ffffff" '
                   f'stroke-width="{0.6 * scale:.2f}" aria-hidden="true"/>')
        for n, laag in enumerate(self.lagen):
            # the first layer shows; a page switches the others on (static/kaart.css)
            verborgen = "" if laag.actief else ' display="none"'
            out.append(f'<g class="laag laag-{n}" data-laag="{n}"{verborgen}>'
                       f'<title>{escape(laag.naam)}</title>'
                       + "".join(self._vlak(v) for v in laag.vlakken)
                       + "".join(self._lijn(x, scale) for x in laag.lijnen) + "</g>")
        out += [self._lijn(x, scale) for x in self.lijnen]
        if self.nadruk:
            own = g.borders(dict.fromkeys(self.nadruk, "x"))
            out.append(f'<path d="{g.arc_path(own)}" fill="none" stroke="#000000" '
                       f'stroke-width="{2.2 * scale:.2f}" aria-hidden="true"/>')
        out.append(f'<text x="{vx + vw - 4 * scale:.0f}" y="{vy + vh - 4 * scale:.0f}" '
                   f'text-anchor="end" font-size="{9 * scale:.1f}" fill="#444444">'
                   f'{ATTRIBUTION}</text>')
        out.append("</svg>")
        return "".join(out)

    def _vlak(self, v: Vlak) -> str:
        g = self.grenzen
        paths = "".join(f'<path d="{g.path(c)}"/>' for c in v.codes
                        if c in g.shapes and c in self._zicht)
        opacity = f' fill-opacity="{v.opacity}"' if v.opacity < 1 else ""
        return f'<g fill="{v.fill}"{opacity}><title>{escape(v.title)}</title>{paths}</g>'

    def _lijn(self, x: Lijn, scale: float) -> str:
        dash = f' stroke-dasharray="{x.dash}"' if x.dash else ""
        return (f'<path d="{self.grenzen.arc_path(x.refs)}" fill="none" stroke="{x.stroke}" '
                f'stroke-width="{x.width * scale:.2f}"{dash} aria-hidden="true"/>')

    def geojson(self) -> str:
        """The gemeenten of the map as GeoJSON features with the map's properties."""
        g = self.grenzen
        codes = [c for c in g.shapes if self.beeld is None or c in self.beeld]
        features = [{"type": "Feature", "id": c,
                     "properties": {"statcode": c, "statnaam": g.names.get(c, c),
                                    **self.eigenschappen.get(c, {})},
                     "geometry": g.geojson_geometry(c)} for c in codes]
        body = {"type": "FeatureCollection", "name": self.titel,
                "attribution": f"{ATTRIBUTION}; vereenvoudigd door cartomap/nl",
                "grenzen": g.year, "features": features}
        return json.dumps(body, ensure_ascii=False)


def _overlaps(box: tuple[int, int, int, int], view: tuple[int, int, int, int]) -> bool:
    x0, y0, x1, y1 = box
    vx, vy, vw, vh = view
    return x0 <= vx + vw and x1 >= vx and y0 <= vy + vh and y1 >= vy


def kleuren(groepen: dict[str, set[str]], grenzen: Boundaries) -> dict[str, str]:
    """A colour per group such that neighbouring groups differ (greedy, most neighbours
    first); ``groepen``: group key -> shape codes."""
    of: dict[str, str] = {c: k for k, codes in groepen.items() for c in codes}
    buren: dict[str, set[str]] = {k: set() for k in groepen}
    for users in grenzen.users:
        keys = {of[c] for c in users if c in of}
        for k in keys:
            buren[k] |= keys - {k}
    out: dict[str, str] = {}
    for k in sorted(groepen, key=lambda k: (-len(buren[k]), k)):
        taken = {out[b] for b in buren[k] if b in out}
        out[k] = next((c for c in CATEGORIEEN if c not in taken), CATEGORIEEN[len(out) % 10])
    return out


def klassen(waarden: dict[str, float], n: int = 5) -> list[float]:
    """Upper bounds of ``n`` quantile classes of the values (the last is the maximum)."""
    values = sorted(waarden.values())
    if not values:
        return []
    return [values[min(len(values) - 1, (len(values) * (i + 1)) // n - 1)] for i in range(n)]
