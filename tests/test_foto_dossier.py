"""The foto as a dossier (sdgraph.dossier): the title page, the sections, the verantwoording,
as self-contained HTML, PDF (WeasyPrint), Word (python-docx) and Markdown, through the core,
the CLI (--pdf, --docx, --md) and the web's downloads.

The store is the Oirschot example with the made-up key figures of
tests/data/foto/kerncijfers.ttl; the national dossiers on the real sources are in
tests/test_foto_nationaal.py.
"""

from __future__ import annotations

import io
import re
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from conftest import SOURCES, get_page, missing

from sdgraph import dossier
from sdgraph.build import init_store
from sdgraph.cli import main
from sdgraph.pages.foto import foto
from sdgraph.runner import Runner
from sdgraph.store import EmbeddedStore

ROOT = Path(__file__).resolve().parent.parent
KERNCIJFERS = ROOT / "tests" / "data" / "foto" / "kerncijfers.ttl"
GM0823 = "https://identifier.overheid.nl/tooi/id/gemeente/gm0823"
KEMPEN = "https://identifier.overheid.nl/tooi/id/so/so0665"
PEIL = "2020-07-02"
MADE = date(2026, 1, 15)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    if SOURCES is None:
        missing("the Oirschot example's register facts are read from ../shared")
    s = EmbeddedStore(tmp_path_factory.mktemp("dossier") / "store")
    init_store(s, "oirschot", SOURCES)
    s.load_files([KERNCIJFERS])
    yield s
    s.close()


@pytest.fixture(scope="module")
def result(store):
    from sdgraph.pages.gemeente import lookup

    run = Runner(store)
    out = foto(run, GM0823, PEIL, regio=KEMPEN)
    out.info = lookup(run, "GM0823")
    return out


def test_html_has_title_page_sections_and_verantwoording(result) -> None:
    html = dossier.html(result, MADE)
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    # title page: gemeente, peildatum, the day it was made, the sources
    assert "Oirschot (GM0823)" in text and "2 juli 2020" in text and "15 januari 2026" in text
    assert "CBS StatLine 86050NED — Wmo-cliënten per gemeente (test) (2022H1–2023H2)" in text
    for section in ("Samenvatting", "Partners per wet en deelgebied",
                    "Wat veranderde sinds de start van de collegeperiode", "Contracten",
                    "Contracten die binnen 24 maanden aflopen",
                    "Kerncijfers door de tijd, naast het land en vergelijkbare gemeenten",
                    "Doelen", "Verantwoording", "Bronnen van de kerncijfers", "Geladen gegevens",
                    "Werkwijze"):
        assert f">{section}<" in html, section
    # the partner cell says what GGD Brabant-Zuidoost does, how, and that an inventory says
    # so; per cell what the gemeente does itself (and in which state) and which taken are
    # unknown, never one bucket
    assert ("GGD Brabant-Zuidoost: Veilig Thuis (AMHK) (Gemeenschappelijke regeling, "
            "bevestigd)") in text
    assert "eigen organisatie (bevestigd): Toegang jeugdhulp" in text
    assert "eigen organisatie of onbekend" not in text
    # the baseline (derived from the registers of ../shared) fills cells the inventory
    # leaves open: a derived partner says so with its rule, and its evidence is listed;
    # an assumed own organisation and an unknown taak say so too
    [derived] = [(p, cel) for cel in result.wet_cellen() for p in cel.rollen
                 if (cel.wet, cel.deelgebiedNaam) == ("Jeugdwet", "Backoffice")
                 and p.staat == "afgeleid"]
    rol, cel = derived
    assert rol.entry.regel_id == "regio-veilig-thuis" and rol.entry.bewijs
    assert (f"{rol.naam}: Veilig Thuis (AMHK) (Regionale samenwerking, afgeleid, regel "
            "regio-veilig-thuis)") in text
    assert f"{rol.naam}, regio-veilig-thuis: {rol.entry.bewijs}" in text
    assert "eigen organisatie (aangenomen): " in text
    assert "onbekend: " + ", ".join(cel.onbekend) in text
    # the events since the start of the college period are in the dossier
    assert "taakuitvoering-begonnen" in text
    # self-contained: inline style and SVG, nothing to fetch
    assert "<svg" in html and not re.search(r"<link|<script|src=|url\(", html)
    # A4 with the running header
    assert "size: A4" in html
    assert 'content: "Foto van het sociaal domein · Oirschot · peildatum 2020-07-02"' in html


def test_dossier_has_the_gemeente_map(store) -> None:
    """With the CBS/PDOK boundaries in the sources folder the dossier draws the gemeente's
    map with its regio's and GRs, the table beside it naming each (from sdgraph.maps)."""
    from sdgraph import maps
    from sdgraph.pages.foto import page
    from sdgraph.pages.gemeente import lookup

    run = Runner(store)
    gemeente = lookup(run, "GM0823")
    result = page(run, gemeente, PEIL, KEMPEN, bronnenmap=SOURCES)
    expected = maps.gemeente(run, SOURCES, "GM0823", PEIL)
    [kaart] = result.kaarten
    assert kaart.titel == expected.kaart.titel == (
        "Oirschot en haar regio's en regelingen op 2020-07-02")
    assert [r[0] for r in kaart.rijen] == [r["organisatie"] for r in expected.rijen]
    html = dossier.html(result, MADE)
    assert ">Kaarten<" in html and 'id="kaart-gemeente"' in html
    assert ("Bron: de lidmaatschappen van regio's en regelingen in de graaf op 2020-07-02; "
            "grenzen: CBS, Kadaster/PDOK.") in unescape(re.sub(r"<[^>]+>", " ", html))
    # without the sources folder there is no map and no section for it
    assert page(run, gemeente, PEIL, KEMPEN).kaarten == []


def test_pdf_is_a4_without_a_box_past_the_page_edge(result) -> None:
    import weasyprint

    document = weasyprint.HTML(string=dossier.html(result, MADE)).render()
    assert all(round(p.width) == 794 and round(p.height) == 1123 for p in document.pages)
    outside = []
    for number, page in enumerate(document.pages, start=1):
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            if box.position_x + box.margin_width() > page.width + 0.5:
                outside.append((number, type(box).__name__))
            stack.extend(getattr(box, "children", []))
    assert outside == []
    pdf = dossier.pdf(result, MADE)
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000


def test_word_document_has_headings_tables_and_charts(result) -> None:
    from docx import Document

    doc = Document(io.BytesIO(dossier.docx(result, MADE)))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Partners per wet en deelgebied" in headings and "Verantwoording" in headings
    assert round(doc.sections[0].page_width.mm) == 210  # A4, not Letter
    # the kerncijfers table: a row per kerncijfer with its source; one chart per kerncijfer
    kerncijfers = next(t for t in doc.tables if t.rows[0].cells[0].text == "Kerncijfer")
    assert [r.cells[0].text for r in kerncijfers.rows[1:]] == [
        "Lasten maatwerkdienstverlening 18+ (Wmo) per inwoner (euro)",
        "Wmo-cliënten per 1.000 inwoners"]
    assert kerncijfers.rows[2].cells[-1].text.startswith("CBS StatLine 86050NED")
    assert len(doc.inline_shapes) == 2


def test_markdown_converts_cleanly(result) -> None:
    md = dossier.markdown(result, MADE)
    assert md.startswith("# Foto van het sociaal domein\n")
    assert "\n## Verantwoording\n" in md
    # pipe tables with a separator line, numbers aligned right
    assert ("| Periode | Oirschot | Vergelijkbaar | Land | Rang |\n"
            "| --- | ---: | ---: | ---: | ---: |") in md
    assert "| 2023, 2e halfjaar | 52 | 56 | 62,5 | 5/6 |" in md


def test_cli_writes_the_dossier(runner, tmp_path: Path) -> None:
    store = ["--store", str(tmp_path / "store")]
    assert runner.invoke(main, [*store, "init"]).exit_code == 0
    assert runner.invoke(main, [*store, "load", str(KERNCIJFERS)]).exit_code == 0
    pdf, docx, md = tmp_path / "o.pdf", tmp_path / "o.docx", tmp_path / "o.md"
    result = runner.invoke(main, [*store, "foto", "GM0823", "--peildatum", PEIL, "--regio",
                                  KEMPEN, "--pdf", str(pdf), "--docx", str(docx), "--md", str(md)])
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF")
    assert docx.read_bytes().startswith(b"PK")  # a zip: Office Open XML
    assert md.read_text(encoding="utf-8").startswith("# Foto van het sociaal domein")
    assert f"Wrote {pdf}" in result.output
    english = tmp_path / "en.md"
    result = runner.invoke(main, [*store, "foto", "GM0823", "--peildatum", PEIL, "--lang", "en",
                                  "--md", str(english)])
    assert result.exit_code == 0, result.output
    assert english.read_text(encoding="utf-8").startswith(
        "# Snapshot of the social domain")


def test_web_downloads_of_the_dossier(store) -> None:
    from web import create_app

    client = create_app(store=store, test_config={"TESTING": True}).test_client()
    url = f"/gemeente/GM0823/foto?peildatum={PEIL}&regio={KEMPEN}"
    page = get_page(client, url)
    links = dict((text, href) for href, text in page.links)
    assert {"PDF", "Word", "Markdown", "JSON"} <= set(links)
    for label, media in (("PDF", "application/pdf"), ("Word", "application/vnd.openxmlformats"
                                                            "-officedocument.wordprocessingml"
                                                            ".document"),
                         ("Markdown", "text/markdown")):
        response = client.get(links[label])
        assert response.status_code == 200, label
        assert response.mimetype == media
        assert response.headers["Content-Disposition"].startswith(
            'attachment; filename="foto-GM0823-2020-07-02.')
    assert client.get(links["PDF"]).data.startswith(b"%PDF")
    csv = client.get(url.replace("/foto?", "/foto.csv?")).get_data(as_text=True)
    assert csv.splitlines()[0].startswith("kerncijfer,naam,eenheid,periode,soort,bron,waarde")
    assert "wmo-clienten-per-1000-inwoners,Wmo-cliënten per 1.000 inwoners,,2023H2,halfjaar," \
           "CBS StatLine 86050NED,52.0,62.5,6,5,56.0,3,4," in csv
