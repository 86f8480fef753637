"""The dossier as an editable Word document (.docx) with python-docx: A4, a title page,
headings the reader can restructure, real tables (not pictures of tables) and the charts
as PNG pictures (drawn from the same SVG by CairoSVG) with their table beside them."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Mm, Pt, RGBColor

from .inhoud import Alinea, Blok, Dossier, Figuur, Kop, Lijst, Pagina, Tabel, Titelpagina

BLUE = RGBColor(0x1F, 0x4E, 0x79)
GREY = RGBColor(0x44, 0x44, 0x44)


def _png(svg: str, width_px: int = 720) -> bytes | None:
    """The chart as PNG, or None when CairoSVG (and its cairo library) is not available."""
    try:
        import cairosvg
    except (ImportError, OSError):
        return None
    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=width_px)


def _table(doc, t: Tabel, width_mm: float = 180.0) -> None:
    table = doc.add_table(rows=1, cols=len(t.kolommen))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    widths = t.breedtes or [1] * len(t.kolommen)
    total = sum(widths) or 1
    for i, name in enumerate(t.kolommen):
        cell = table.rows[0].cells[i]
        cell.text = ""
        run = cell.paragraphs[0].add_run(name)
        run.bold = True
        run.font.size = Pt(7.5)
    for row in t.rijen:
        cells = table.add_row().cells
        for i, value in enumerate(row):
            paragraph = cells[i].paragraphs[0]
            run = paragraph.add_run(value)
            run.font.size = Pt(7.5)
            if i in t.getallen:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for i, w in enumerate(widths):
        for row in table.rows:
            row.cells[i].width = Mm(width_mm * w / total)
    if t.bijschrift:
        _small(doc, t.bijschrift)


def _small(doc, text: str) -> None:
    run = doc.add_paragraph().add_run(text)
    run.font.size = Pt(7.5)
    run.font.color.rgb = GREY


def _block(doc, b: Blok) -> None:
    if isinstance(b, Titelpagina):
        for _ in range(6):
            doc.add_paragraph()
        title = doc.add_paragraph().add_run(b.titel)
        title.bold, title.font.size, title.font.color.rgb = True, Pt(26), BLUE
        doc.add_paragraph().add_run(b.gemeente).font.size = Pt(18)
        for key, value in b.regels:
            p = doc.add_paragraph()
            p.add_run(f"{key}: ").bold = True
            p.add_run(value)
        doc.add_paragraph()
        for source in b.bronnen:
            doc.add_paragraph(source, style="List Bullet").runs[0].font.size = Pt(8.5)
    elif isinstance(b, Pagina):
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    elif isinstance(b, Kop):
        doc.add_heading(b.tekst, level=b.niveau)
    elif isinstance(b, Alinea):
        if b.soort in ("hint", "bron"):
            _small(doc, b.tekst)
        else:
            run = doc.add_paragraph().add_run(b.tekst)
            run.italic = b.soort == "notitie"
    elif isinstance(b, Lijst):
        for item in b.items:
            doc.add_paragraph(item, style="List Bullet")
    elif isinstance(b, Tabel):
        _table(doc, b)
    elif isinstance(b, Figuur):
        doc.add_heading(b.titel, level=3)
        png = _png(b.svg)
        if png is not None:
            doc.add_picture(io.BytesIO(png), width=Mm(110))
        _table(doc, b.tabel, 130.0)
        for note in b.onderschrift:
            _small(doc, note)
    else:
        raise TypeError(f"unknown block {b!r}")


def docx(d: Dossier) -> bytes:
    """The dossier as .docx bytes."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(15)
    section.top_margin = section.bottom_margin = Mm(18)
    section.header.paragraphs[0].text = d.kop
    section.header.paragraphs[0].runs[0].font.size = Pt(7.5)
    style = doc.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(9)
    doc.core_properties.title = d.kop
    doc.core_properties.author = "sdgraph"
    doc.core_properties.language = d.lang
    for block in d.blokken:
        _block(doc, block)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
