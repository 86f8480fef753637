"""The foto on the national reference graph built from the real sources (../shared): the
time series equal the CSV files, the comparison group is the documented one, a regio has
at least three other gemeenten, the centrumgemeente caveat, and the dossier of Oirschot,
Utrecht and Schiermonnikoog as PDF (A4, no cut-off column, every number with its source
and period) and Word.

Every expected figure is computed here from the CSV files with the csv module, not with
the importer: names are mapped to GM codes through 85383NED's Regiocode and the
gemeentenamen aliases, Iv3 amounts (EUR 1,000) summed per taakveld prefix and divided by
the Inwonertal column of the same file. Skipped without ../shared (fails in CI).
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import statistics
import subprocess
from pathlib import Path

import pytest
from conftest import SOURCES, missing

from sdgraph.build import init_store
from sdgraph.pages import foto as foto_page
from sdgraph.pages import gemeente as gemeente_page
from sdgraph.reference import build_reference
from sdgraph.runner import Runner
from sdgraph.store import EmbeddedStore

pytestmark = pytest.mark.shared

PEIL = "2025-06-01"
GEMEENTEN = {"GM0823": "Oirschot", "GM0344": "Utrecht", "GM0088": "Schiermonnikoog"}
AGGREGATE = re.compile(r"\((?:PV|JZ|LD|CR|COROP)\)$|inwoners|^Nederland$")


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    if SOURCES is None:
        missing("the national reference graph is built from ../shared/data/sources")
    store = EmbeddedStore(tmp_path_factory.mktemp("nationaal") / "store")
    init_store(store, None)
    build_reference(store, SOURCES)
    yield store
    store.close()


@pytest.fixture(scope="module")
def fotos(national):
    run = Runner(national)
    return {code: foto_page.page(run, gemeente_page.lookup(run, code), PEIL,
                                 bronnenmap=SOURCES)
            for code in GEMEENTEN}


# --------------------------------------------------------------------------- the CSV files


def _rows(path: Path, delimiter: str = ";") -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


@pytest.fixture(scope="module")
def codes() -> dict[str, str]:
    """Gemeente name (as the CSV files write it) -> GM code, from 85383NED and the aliases."""
    if SOURCES is None:
        missing("../shared/data/sources is absent")
    folder = SOURCES / "cbs-sociaal"
    out = {r["RegioS"].strip(): r["Regiocode_73"].strip().upper()
           for r in _rows(folder / "statline" / "85383NED.csv")
           if r["Regiocode_73"].strip().upper().startswith("GM")}
    for r in _rows(folder / "iv3" / "gemeentenamen.csv", "\t"):
        if r["Iv3naam"] in out:
            out.setdefault(r["GFnaam"], out[r["Iv3naam"]])
    return out


def _period(title: str) -> str | None:
    title = title.strip()
    if re.fullmatch(r"\d{4}", title):
        return title
    m = re.fullmatch(r"([12])e\s*half\s*jaar\s+(\d{4})", title)
    return f"{m.group(2)}H{m.group(1)}" if m else None


def statline(table: str, column: str, codes: dict[str, str], keep: dict[str, str] | None = None
             ) -> dict[str, dict[str, float]]:
    """GM code -> period -> value of ``column`` (empty cells left out)."""
    out: dict[str, dict[str, float]] = {}
    for r in _rows(SOURCES / "cbs-sociaal" / "statline" / f"{table}.csv"):
        if keep and any(r[k] != v for k, v in keep.items()):
            continue
        code = codes.get(r["RegioS"].strip())
        per = _period(r["Perioden"])
        if code and per and r[column].strip():
            out.setdefault(code, {})[per] = float(r[column])
    return out


def iv3(stem: str, prefixes: tuple[str, ...], codes: dict[str, str]) -> dict[str, float]:
    """GM code -> Iv3 lasten per inwoner of the taakvelden starting with ``prefixes``."""
    totals: dict[str, float] = {}
    inwoners: dict[str, float] = {}
    for r in _rows(SOURCES / "cbs-sociaal" / "iv3" / f"{stem}.csv"):
        code = codes.get(r["Gemeenten"].strip())
        if code is None:
            continue
        taakveld = r["Taakveld"].split(" ", 1)[0]
        if r["Inwonertal"].strip() and taakveld.startswith("6."):
            inwoners.setdefault(code, float(r["Inwonertal"]))
        if taakveld.startswith(prefixes) and r["Lasten"].strip():
            totals[code] = totals.get(code, 0.0) + float(r["Lasten"]) * 1000
    return {c: v / inwoners[c] for c, v in totals.items() if inwoners.get(c)}


IV3_FILES = {"2023_begroting": ("begroting", "2023"), "2023_jaarrekening": ("jaarrekening", "2023"),
             "2024_begroting": ("begroting", "2024"), "2025_begroting": ("begroting", "2025")}
#: kerncijfer -> the taakveld codes it adds up (old and 2025 sets), as prefixes
IV3_KERNCIJFERS = {
    "iv3-lasten-6.81": ("6.81",),
    "iv3-lasten-6.71": ("6.71", "6.791"),
    "iv3-lasten-jeugdhulp": ("6.72", "6.73", "6.74", "6.75", "6.76", "6.792"),
    "iv3-lasten-6.3": ("6.3",),
}


def _series(foto, kerncijfer: str) -> dict[tuple[str, str], float | None]:
    v = next(v for v in foto.vergelijkingen if v.maatstaf == kerncijfer)
    return {(p.periode.soort, p.periode.periode): p.waarde for p in v.reeks.punten}


# --------------------------------------------------------------------------- time series


def test_cbs_series_equal_the_statline_files(fotos, codes) -> None:
    wmo = statline("86050NED", "WmoClientenPer1000Inwoners_2", codes,
                   {"TypeMaatwerkvoorziening": "Totaal"})
    jeugd = statline("85098NED", "JongerenMetJeugdhulpInNatura_1", codes)
    for code, foto in fotos.items():
        series = _series(foto, "wmo-clienten-per-1000-inwoners")
        halves = {p: v for p, v in wmo[code].items() if "H" in p}
        # every half year 2017H1..2024H1 of the file, the same values, no other
        assert {p for (_, p), v in series.items() if v is not None} == set(halves), code
        assert len(halves) >= 14 or code == "GM0823", code  # Oirschot lacks 2018H2
        for p, v in halves.items():
            assert series[("halfjaar", p)] == pytest.approx(v), (code, p)
        series = _series(foto, "jongeren-met-jeugdhulp-pct")
        halves = {p: v for p, v in jeugd[code].items() if "H" in p}
        assert min(halves) == "2021H1" and max(halves) == "2024H1"
        for p, v in halves.items():
            assert series[("halfjaar", p)] == pytest.approx(v), (code, p)
    # the national median of the latest half year over every gemeente with a value
    latest = [v["2024H1"] for c, v in wmo.items() if "2024H1" in v]
    wmo_utrecht = next(v for v in fotos["GM0344"].vergelijkingen
                       if v.maatstaf == "wmo-clienten-per-1000-inwoners")
    assert (wmo_utrecht.periode, wmo_utrecht.aantal) == ("2024H1", len(latest))
    assert wmo_utrecht.mediaan == pytest.approx(statistics.median(latest))


def test_bijstand_per_1000_inwoners_equals_85383ned(fotos, codes) -> None:
    keep = {"StatusCijfer": "Definitief"}
    count = statline("85383NED", "TotaalBijstandsuitkeringen_22", codes, keep)
    people = statline("85383NED", "InwonersTotaal_1", codes, keep)
    for code, foto in fotos.items():
        series = _series(foto, "bijstandsuitkeringen-per-1000-inwoners")
        expected = count[code]["2024"] * 1000 / people[code]["2024"]
        assert series[("jaar", "2024")] == pytest.approx(expected), code


def test_iv3_series_equal_the_iv3_files(fotos, codes) -> None:
    for kerncijfer, prefixes in IV3_KERNCIJFERS.items():
        for stem, (soort, year) in IV3_FILES.items():
            expected = iv3(stem, prefixes, codes)
            for code, foto in fotos.items():
                got = _series(foto, kerncijfer).get((soort, year))
                assert got == pytest.approx(expected[code], rel=1e-9), (kerncijfer, stem, code)
    # the example: Utrecht 327,4 per inwoner on 6.81 in the jaarrekening 2023, the
    # national median 3,7
    jr = iv3("2023_jaarrekening", ("6.81",), codes)
    utrecht = next(v for v in fotos["GM0344"].vergelijkingen if v.maatstaf == "iv3-lasten-6.81")
    assert (utrecht.dataset, round(utrecht.waarde, 1)) == ("iv3-2023-jaarrekening", 327.4)
    assert utrecht.mediaan == pytest.approx(statistics.median(jr.values()))
    assert round(utrecht.mediaan, 1) == 3.7
    assert utrecht.aantal == len(jr) == 342


# --------------------------------------------------------------------------- comparisons


def _group_from_csv(code: str, codes: dict[str, str]) -> set[str]:
    """The documented rule, from 2025_begroting.csv: same Gemeentegrootte and Stedelijkheid,
    else (fewer than three others) the same Gemeentegrootte."""
    klassen = {}
    for r in _rows(SOURCES / "cbs-sociaal" / "iv3" / "2025_begroting.csv"):
        gm = codes.get(r["Gemeenten"].strip())
        if gm:
            klassen.setdefault(gm, (r["Gemeentegrootte"].lower(), r["Stedelijkheid"].lower()))
    own = klassen[code]
    both = {c for c, k in klassen.items() if k == own}
    if len(both) - 1 >= 3:
        return both
    return {c for c, k in klassen.items() if k[0] == own[0]}


def test_comparison_group_is_the_documented_one(fotos, codes, national) -> None:
    for code, foto in fotos.items():
        assert {foto.gemeente_code(g) for g in foto.groep.leden} == _group_from_csv(code, codes)
    assert fotos["GM0344"].groep_namen() == "'s-Gravenhage, Amsterdam, Rotterdam, Utrecht"
    assert fotos["GM0088"].groep_namen() == "Ameland, Schiermonnikoog, Terschelling, Vlieland"
    # a gemeente alone in its size-and-urbanisation class falls back to its size class
    klassen: dict[tuple[str, str], set[str]] = {}
    for r in _rows(SOURCES / "cbs-sociaal" / "iv3" / "2025_begroting.csv"):
        gm = codes.get(r["Gemeenten"].strip())
        if gm:
            klassen.setdefault((r["Gemeentegrootte"].lower(), r["Stedelijkheid"].lower()),
                               set()).add(gm)
    alone = sorted(c for members in klassen.values() if len(members) == 1 for c in members)[0]
    run = Runner(national)
    other = foto_page.page(run, gemeente_page.lookup(run, alone), PEIL)
    assert other.groep.terugval and other.groep.soort == "grootte"
    assert {other.gemeente_code(g) for g in other.groep.leden} == _group_from_csv(alone, codes)
    assert "maar 0 gemeenten" in other.groep_notitie


def test_regio_with_at_least_three_others_and_centrumgemeente_caveat(fotos) -> None:
    utrecht = fotos["GM0344"]
    # Utrecht's jeugdregio is Utrecht alone: another regio, and the page says why
    assert len([g for g in utrecht.regio_leden if g != utrecht.gemeente]) >= 3
    assert utrecht.regio_notitie.startswith("Utrecht (Jeugdregio's) heeft naast Utrecht 0 andere")
    for foto in fotos.values():
        assert foto.regio is None or len(set(foto.regio_leden) - {foto.gemeente}) >= 3
    bw = {code: next(v for v in f.vergelijkingen if v.maatstaf == "iv3-lasten-6.81")
          for code, f in fotos.items()}
    assert any("Utrecht is centrumgemeente voor beschermd wonen" in n
               for n in bw["GM0344"].notities)
    assert any("(voor Oirschot: Eindhoven)" in n for n in bw["GM0823"].notities)


# --------------------------------------------------------------------------- the dossier


def _boxes_outside(document) -> list[str]:
    """Boxes of a laid-out WeasyPrint document that reach past their page's right edge."""
    out = []
    for number, page in enumerate(document.pages, start=1):
        width = page.width
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            right = box.position_x + box.margin_width()
            if right > width + 0.5:
                out.append(f"page {number}: {type(box).__name__} to {right:.1f} of {width:.1f}")
            stack.extend(getattr(box, "children", []))
    return out


@pytest.mark.parametrize("code", list(GEMEENTEN))
def test_dossier_pdf_and_word(code, fotos, tmp_path) -> None:
    import weasyprint

    from sdgraph import dossier
    from sdgraph.dossier.inhoud import Figuur, Tabel

    foto = fotos[code]
    # every table with a number names its source and period: a column, its caption, or
    # the lines under its chart (the verantwoording's tables list the sources themselves)
    blocks = dossier.dossier(foto).blokken
    until = next(i for i, b in enumerate(blocks) if getattr(b, "tekst", "") == "Verantwoording")
    for block in blocks[:until]:
        table = block.tabel if isinstance(block, Figuur) else block
        if not isinstance(table, Tabel) or not any(re.search(r"\d", c) for r in table.rijen
                                                   for c in r[1:]):
            continue
        said = " ".join([table.bijschrift, *table.kolommen,
                         *(block.onderschrift if isinstance(block, Figuur) else [])])
        assert "Bron" in said or "bron" in said, table.kolommen
        assert "Periode" in table.kolommen or re.search(r"\d{4}-\d\d-\d\d|peildatum", said), \
            table.kolommen
    # laid out on A4, nothing reaches past the right edge of a page
    document = weasyprint.HTML(string=dossier.html(foto)).render()
    assert _boxes_outside(document) == []
    assert all(round(p.width) == 794 and round(p.height) == 1123 for p in document.pages)  # A4
    # the downloads (the CLI's --pdf and --docx write the same; tests/test_foto_dossier.py);
    # the PDF opens and reads back
    pdf, docx = tmp_path / f"{code}.pdf", tmp_path / f"{code}.docx"
    pdf.write_bytes(foto.export("pdf"))
    docx.write_bytes(foto.export("docx"))
    assert pdf.read_bytes().startswith(b"%PDF") and docx.stat().st_size > 10_000
    if shutil.which("pdftotext") is None:
        missing("pdftotext/pdftoppm (poppler-utils, scripts/system-deps.sh)")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = re.sub(r"[\s-]+", "", text)  # without line breaks and (hyphenation) hyphens
    # words wrapped (and hyphenated) at the end of a line read as one
    text = " ".join(re.sub(r"(?<=\w)-\n\s*", "", text).split())
    assert GEMEENTEN[code] in text and "Verantwoording" in text
    for source in ("CBS StatLine 86050NED", "CBS StatLine 85098NED", "CBS Iv3 2023 jaarrekening",
                   "CBS Iv3 2025 begroting", "Iv3 definitiebestand versie 2.1"):
        assert source in text, source
    # no inventory in this store: the foto is the baseline's derived picture and says so;
    # every derived partner names its rule in its cell and its evidence in the list under
    # the partner table (the PDF's narrow cells interleave on extraction, the list does
    # not); an unknown taak says unknown
    assert foto.afgeleid_beeld and "Geen inventaris: dit is het beeld" in text
    cellen = foto.wet_cellen()
    derived = {(p.naam, p.entry.regel_id) for c in cellen for p in c.rollen
               if p.staat == "afgeleid"}
    assert derived and all(p.entry.regel_id for c in cellen for p in c.rollen)
    [partners] = [b for b in blocks if isinstance(b, Tabel) and b.kolommen[0] == "Wet"]
    cells = " ".join(c for row in partners.rijen for c in row)
    for naam, rule in derived:
        assert f"{naam}: " in cells and f"afgeleid, regel {rule})" in cells, rule
        assert re.sub(r"[\s-]+", "", f"{naam}, {rule}:") in flat, (naam, rule)
    if any(c.onbekend for c in cellen):
        assert "onbekend: " in cells and "onbekend:" in flat
    staten = foto.staten()
    assert sum(staten.values()) == len(foto.matrix.rows) * len(foto.matrix.columns)
    # the gemeente's map with its regio's and GRs (the boundaries are in ../shared)
    [kaart] = foto.kaarten
    assert "Kaarten" in text and kaart.titel.split(" op ")[0] in text
    pages = subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "p")],
                           capture_output=True, check=True)
    assert pages.returncode == 0
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == len(document.pages) >= 8
    (tmp_path / "pages.json").write_text(json.dumps({code: len(pngs)}))
    print(f"{code}: {len(pngs)} PDF pages")


def test_gemeente_index_gives_the_live_rows_of_every_gemeente(national) -> None:
    """The load-time index of the ``# index: gemeente`` queries (sdgraph.gemeente_index)
    against the live queries, for every gemeente of the national graph on three peildata
    (second path: the query itself); the index graph is dropped again after."""
    from test_gemeente_index import same

    from sdgraph import gemeente_index

    gemeenten = sorted(r[0] for r in national.select(
        "PREFIX sd: <https://w3id.org/sdgraph/def#> "
        "SELECT DISTINCT ?g WHERE { ?g a sd:Gemeente }").rows)
    assert len(gemeenten) > 400  # every gemeente since 2016, existing or not
    try:
        done = {name: count for name, count, _ in gemeente_index.refresh(national)}
        assert done["kerncijfers"] >= 342 and done["opvolging"] > 20
        assert done["regio-indeling"] >= 342
        assert same(national, gemeenten, ("2016-01-01", "2022-03-30", PEIL)) >= 342 * 7
    finally:
        national.update(f"DROP SILENT GRAPH <{gemeente_index.INDEX_GRAPH}>")
