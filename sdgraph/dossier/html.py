"""The dossier as one self-contained HTML document for print (A4), which WeasyPrint turns
into the PDF: inline CSS, the charts as inline SVG, no script, font or file from
elsewhere. Tables have a fixed layout over the full text width and wrap long words, so
no column is ever cut off at the page edge; a running header and page numbers are CSS
page margin boxes.
"""

from __future__ import annotations

from html import escape

from .inhoud import Alinea, Blok, Dossier, Figuur, Kop, Lijst, Pagina, Tabel, Titelpagina

CSS = """
@page { size: A4; margin: 18mm 15mm 18mm 15mm;
  @top-left { content: "%KOP%"; font-size: 7.5pt; color: #555; }
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 7.5pt; color: #555; }
}
@page :first { @top-left { content: none; } @bottom-right { content: none; } }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 9pt;
  color: #1a1a1a; line-height: 1.35; }
body { margin: 0; }
h1 { font-size: 16pt; margin: 0 0 4mm; color: #1f4e79; break-after: avoid; }
h2 { font-size: 12pt; margin: 6mm 0 2mm; color: #1f4e79; break-after: avoid; }
h3 { font-size: 10pt; margin: 4mm 0 1.5mm; break-after: avoid; }
p { margin: 0 0 2mm; }
p.hint, p.bron, .bijschrift { color: #444; font-size: 8pt; }
p.notitie { border-left: 2pt solid #b35900; padding-left: 2mm; font-size: 8.5pt; }
ul { margin: 0 0 2mm 4mm; padding-left: 3mm; }
li { margin-bottom: 1mm; }
table { width: 100%; table-layout: fixed; border-collapse: collapse; margin: 0 0 2mm;
  font-size: 7.8pt; }
th, td { border: 0.5pt solid #bbb; padding: 1mm 1.2mm; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; hyphens: auto; }
th { background: #eef2f7; font-weight: bold; }
td.num { text-align: right; white-space: nowrap; overflow-wrap: normal; }
th.num { text-align: right; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
caption { caption-side: bottom; text-align: left; font-size: 7.5pt; color: #444;
  padding-top: 1mm; }
.pagina { break-after: page; }
.titel { height: 250mm; display: flex; flex-direction: column; }
.titel h1 { font-size: 26pt; margin-top: 40mm; }
.titel .gemeente { font-size: 18pt; margin: 0 0 10mm; }
.titel dl { display: grid; grid-template-columns: 45mm auto; gap: 2mm 4mm; font-size: 10pt; }
.titel dt { font-weight: bold; }
.titel dd { margin: 0; }
.titel .bronnen { margin-top: 12mm; font-size: 8.5pt; color: #333; }
.figuur { break-inside: avoid; margin: 0 0 4mm; }
.figuur .rij { display: flex; gap: 3mm; align-items: flex-start; }
.figuur .grafiek { flex: 0 0 95mm; }
.figuur .grafiek svg { width: 95mm; height: auto; }
.figuur .tabel { flex: 1 1 auto; }
.figuur table { font-size: 7pt; }
.kaart svg { width: 100%; height: auto; max-height: 150mm; }
"""


def _table(t: Tabel) -> str:
    widths = t.breedtes or [1] * len(t.kolommen)
    total = sum(widths) or 1
    cols = "".join(f'<col style="width:{100 * w / total:.2f}%">' for w in widths)
    num = ' class="num"'
    head = "".join(f'<th scope="col"{num if i in t.getallen else ""}>{escape(c)}</th>'
                   for i, c in enumerate(t.kolommen))
    body = "".join(
        "<tr>" + "".join(f'<td{num if i in t.getallen else ""}>{escape(c)}</td>'
                         for i, c in enumerate(row)) + "</tr>" for row in t.rijen)
    caption = f"<caption>{escape(t.bijschrift)}</caption>" if t.bijschrift else ""
    return (f"<table>{caption}<colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>")


def _block(b: Blok) -> str:
    if isinstance(b, Titelpagina):
        rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in b.regels)
        sources = "".join(f"<li>{escape(s)}</li>" for s in b.bronnen)
        return (f'<section class="titel pagina"><h1>{escape(b.titel)}</h1>'
                f'<p class="gemeente">{escape(b.gemeente)}</p><dl>{rows}</dl>'
                f'<div class="bronnen"><ul>{sources}</ul></div></section>')
    if isinstance(b, Pagina):
        return '<div class="pagina"></div>'
    if isinstance(b, Kop):
        level = min(b.niveau + 1, 4)
        return f"<h{level}>{escape(b.tekst)}</h{level}>"
    if isinstance(b, Alinea):
        css = f' class="{b.soort}"' if b.soort else ""
        return f"<p{css}>{escape(b.tekst)}</p>"
    if isinstance(b, Lijst):
        return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in b.items) + "</ul>"
    if isinstance(b, Tabel):
        return _table(b)
    if isinstance(b, Figuur):
        notes = "".join(f'<p class="bron">{escape(n)}</p>' for n in b.onderschrift)
        css = "figuur kaart" if "kaart" in b.svg[:200] else "figuur"
        return (f'<div class="{css}"><h3>{escape(b.titel)}</h3><div class="rij">'
                f'<div class="grafiek">{b.svg}</div><div class="tabel">{_table(b.tabel)}</div>'
                f"</div>{notes}</div>")
    raise TypeError(f"unknown block {b!r}")


def html(d: Dossier) -> str:
    """The whole dossier as one HTML document."""
    body = "\n".join(_block(b) for b in d.blokken)
    header = "".join(c if c.isalnum() or c in " .,·-()/:" else f"\\{ord(c):x} " for c in d.kop)
    css = CSS.replace("%KOP%", header)
    return (f'<!doctype html><html lang="{d.lang}"><head><meta charset="utf-8">'
            f"<title>{escape(d.titel)}</title><style>{css}</style></head><body>"
            f"{body}</body></html>")
