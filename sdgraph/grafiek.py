"""Small line charts of a kerncijfer over time, drawn on the server as SVG.

One chart per :class:`~sdgraph.tijdreeks.Reeks`: the gemeente (solid line, dots), the
median of its comparison group (dashed) and the national median (dotted), per period
on an evenly spaced axis; an Iv3 series draws its begrotingen and its jaarrekeningen as
separate lines (squares for jaarrekeningen), since the two are not one series. The
value axis starts at zero, so a change looks as large as it is. Each chart has a
``<title>`` and a ``<desc>`` that say what it shows in words (read by screen readers);
the page puts the same numbers in a table beside it. The SVG needs no script, font or
file from elsewhere, so the web page, the PDF and the Word document use the same one.
"""

from __future__ import annotations

import math
from html import escape

from .i18n import format_number, gettext
from .tijdreeks import Punt, Reeks

WIDTH, HEIGHT = 360, 150
LEFT, RIGHT, TOP, BOTTOM = 46, 24, 10, 30
#: Lines: (attribute of Punt, CSS class, stroke, dash pattern, width)
LINES = (
    ("mediaan", "landelijk", "#6b6b6b", "2 3", 1.5),
    ("groep_mediaan", "groep", "#b35900", "6 3", 1.5),
    ("waarde", "gemeente", "#1f4e79", "", 2.2),
)


def _nice_step(top: float) -> float:
    """A round step that divides 0..top into about four parts."""
    if top <= 0:
        return 1.0
    raw = top / 4
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * power:
            return m * power
    return 10 * power


def svg(reeks: Reeks, ident: str, naam: str, lang: str = "nl",
        markering: int | None = None) -> str:
    """The chart of ``reeks`` for gemeente ``naam``; ``ident`` makes its element ids unique
    on a page; ``markering`` is the index of a point to mark (the start of the college
    period)."""
    points = reeks.punten
    d = reeks.definitie
    values = [getattr(p, attr) for p in points for attr, *_ in LINES
              if getattr(p, attr) is not None]
    title = f"{d.naam} ({d.eenheid(lang)})" if d.eenheid(lang) else d.naam
    desc = beschrijving(reeks, naam, lang)
    out = [f'<svg class="grafiek" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
           f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
           f'aria-labelledby="{ident}-t {ident}-d">',
           f'<title id="{ident}-t">{escape(title)}</title>',
           f'<desc id="{ident}-d">{escape(desc)}</desc>']
    if not points or not values:
        out.append(f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" '
                   f'font-size="11" fill="#444">{escape(gettext("geen cijfers", lang))}</text>')
        out.append("</svg>")
        return "".join(out)
    low = min(0.0, min(values))
    step = _nice_step(max(values) - low)
    top = math.ceil(max(values) / step) * step or step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w / 2 if len(points) == 1 else i * plot_w / (len(points) - 1))

    def y(v: float) -> float:
        return TOP + plot_h * (1 - (v - low) / (top - low))

    decimals = 0 if step >= 1 else 1
    tick = low
    while tick <= top + step / 1000:
        ty = y(tick)
        out.append(f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{WIDTH - RIGHT}" y2="{ty:.1f}" '
                   f'stroke="#dddddd" stroke-width="1"/>')
        out.append(f'<text x="{LEFT - 4}" y="{ty + 3.5:.1f}" text-anchor="end" font-size="9" '
                   f'fill="#333">{escape(format_number(tick, lang, decimals))}</text>')
        tick += step
    every = 1 if len(points) <= 8 else 2
    for i, p in enumerate(points):
        if i % every and i != len(points) - 1:
            continue
        out.append(f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 13}" text-anchor="middle" '
                   f'font-size="9" fill="#333">{escape(p.periode.kort())}</text>')
    if markering is not None and 0 <= markering < len(points):
        mx = x(markering)
        out.append(f'<line class="start" x1="{mx:.1f}" y1="{TOP}" x2="{mx:.1f}" '
                   f'y2="{HEIGHT - BOTTOM}" stroke="#7a7a7a" stroke-width="1" '
                   f'stroke-dasharray="1 2"/>')
        out.append(f'<text x="{mx + 2:.1f}" y="{TOP + 8}" font-size="8" fill="#555">'
                   f'{escape(gettext("start", lang))}</text>')
    kinds = list(dict.fromkeys(p.periode.soort for p in points))
    for attr, css, colour, dash, width in LINES:
        for kind in kinds:
            seq = [(i, getattr(p, attr)) for i, p in enumerate(points) if p.periode.soort == kind]
            segment: list[tuple[float, float]] = []
            segments = []
            for i, v in seq:
                if v is None:
                    if segment:
                        segments.append(segment)
                    segment = []
                else:
                    segment.append((x(i), y(v)))
            if segment:
                segments.append(segment)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            for seg in segments:
                if len(seg) > 1:
                    coords = " ".join(f"{a:.1f},{b:.1f}" for a, b in seg)
                    out.append(f'<polyline class="{css}" points="{coords}" fill="none" '
                               f'stroke="{colour}" stroke-width="{width}"{dash_attr}/>')
            if attr == "waarde":
                for i, v in seq:
                    if v is None:
                        continue
                    label = escape(f"{points[i].periode.label(lang)}: {d.getal(v, lang)}")
                    if kind == "jaarrekening":
                        out.append(f'<rect class="{css} punt" x="{x(i) - 3.5:.1f}" '
                                   f'y="{y(v) - 3.5:.1f}" width="7" height="7" '
                                   f'fill="{colour}"><title>{label}</title></rect>')
                    else:
                        out.append(f'<circle class="{css} punt" cx="{x(i):.1f}" '
                                   f'cy="{y(v):.1f}" r="2.8" fill="{colour}">'
                                   f'<title>{label}</title></circle>')
            elif len([v for _, v in seq if v is not None]) == 1:
                i, v = next((i, v) for i, v in seq if v is not None)
                out.append(f'<line class="{css}" x1="{x(i) - 6:.1f}" y1="{y(v):.1f}" '
                           f'x2="{x(i) + 6:.1f}" y2="{y(v):.1f}" stroke="{colour}" '
                           f'stroke-width="{width}"{dash_attr}/>')
    out.append("</svg>")
    return "".join(out)


def beschrijving(reeks: Reeks, naam: str, lang: str = "nl") -> str:
    """What the chart shows in one sentence (its ``<desc>``)."""
    with_value = reeks.met_waarde
    if not with_value:
        return gettext("Geen cijfers voor {naam} in de bronnen.", lang, naam=naam)
    first, last = with_value[0], with_value[-1]

    def num(v: float | None) -> str:
        return reeks.definitie.getal(v, lang)

    return gettext(
        "{naam}: {van} in {periode_van}, {tot} in {periode_tot}; landelijke mediaan {lvan} "
        "en {ltot}; mediaan vergelijkbare gemeenten {gvan} en {gtot}.", lang, naam=naam,
        van=num(first.waarde), tot=num(last.waarde), periode_van=first.periode.label(lang),
        periode_tot=last.periode.label(lang), lvan=num(first.mediaan), ltot=num(last.mediaan),
        gvan=num(first.groep_mediaan), gtot=num(last.groep_mediaan))


def legenda(lang: str = "nl") -> str:
    """The legend of every chart, once per page (SVG swatches and words)."""
    items = ((LINES[2], gettext("de gemeente", lang)),
             (LINES[1], gettext("mediaan vergelijkbare gemeenten", lang)),
             (LINES[0], gettext("landelijke mediaan", lang)))
    parts = []
    for (_, _css, colour, dash, width), label in items:
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<span class="legenda-item"><svg width="26" height="10" aria-hidden="true">'
                     f'<line x1="1" y1="5" x2="25" y2="5" stroke="{colour}" '
                     f'stroke-width="{width}"{dash_attr}/></svg> {escape(label)}</span>')
    parts.append('<span class="legenda-item"><svg width="10" height="10" aria-hidden="true">'
                 f'<rect x="1.5" y="1.5" width="7" height="7" fill="{LINES[2][2]}"/></svg> '
                 f'{escape(gettext("jaarrekening (Iv3)", lang))}</span>')
    return " ".join(parts)


def punt_index(reeks: Reeks, punt: Punt | None) -> int | None:
    return next((i for i, p in enumerate(reeks.punten) if p is punt), None)
