"""A gemeente's goals (sd:Doel): the Doelen sheet of the inventory template, Turtle, the
validation rules, loading per gemeente, and their status on the foto.

Measured values come from tests/data/foto/kerncijfers.ttl (made-up): Oirschot's
Wmo-cliënten per 1,000 inwoners are 48, 49, 51, 52 in 2022H1..2023H2; its Iv3 lasten
6.71 per inwoner 100 in the jaarrekening 2023 (and 60 in the begroting 2025). The
statuses below are computed by hand from those numbers.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import SOURCES, get_page
from openpyxl import load_workbook
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from sdgraph.build import init_store
from sdgraph.cli import main
from sdgraph.doelen import Doel, status
from sdgraph.inventory import LISTS, columns, import_sources, write_template
from sdgraph.kerncijfers import Definitie, Periode
from sdgraph.namespaces import SD
from sdgraph.store import EmbeddedStore, Source
from sdgraph.tijdreeks import Punt, Reeks
from sdgraph.validation import read, shapes_graph, validate
from sdgraph.validation.engine import base_graph

ROOT = Path(__file__).resolve().parent.parent
KERNCIJFERS = ROOT / "tests" / "data" / "foto" / "kerncijfers.ttl"
ID = "https://w3id.org/sdgraph/id/"
GM0823 = URIRef("https://identifier.overheid.nl/tooi/id/gemeente/gm0823")
WMO = URIRef(ID + "kerncijfer/wmo-clienten-per-1000-inwoners")
PEIL = "2024-06-01"

#: Doelen rows: id, omschrijving, gemeente, kerncijfer (by name, by notation), streefwaarde,
#: streefdatum, vastgesteld op, brondocument, illustratief
ROWS = [
    ["wmo-stabiel", "Wmo-gebruik groeit hoogstens tot 54 per 1.000 inwoners", "GM0823",
     "Wmo-cliënten per 1.000 inwoners", "54", "2024-12-31", "2022-01-15",
     "Coalitieakkoord Oirschot 2022-2026 (fictief)", "ja"],
    ["wmo-omlaag", "Minder Wmo-cliënten", "GM0823", "wmo-clienten-per-1000-inwoners", "45",
     "2026-01-01", "2022-09-01", "Beleidsplan sociaal domein 2022 (fictief)", "ja"],
    ["lasten-omhoog", "Meer maatwerk 18+", "GM0823", "iv3-lasten-6.71", "120", "2027-12-31", "",
     "Programmabegroting 2024 (fictief)", "ja"],
]


def _filled(template: Path, target: Path) -> Path:
    book = load_workbook(template)
    sheet = book["Doelen"]
    header = [c.value for c in sheet[1]]
    names = ["id", "omschrijving", "gemeente", "kerncijfer", "streefwaarde", "streefdatum",
             "vastgesteld op", "brondocument", "illustratief"]
    for number, row in enumerate(ROWS, start=2):
        for name, value in zip(names, row, strict=True):
            if value:
                sheet.cell(row=number, column=header.index(name) + 1, value=value)
    book.save(target)
    return target


def test_template_has_a_doelen_sheet_with_the_kerncijfers_as_choices(tmp_path, example_store):
    target = tmp_path / "inventaris.xlsx"
    write_template(target, shapes_graph(), base_graph(), example_store)
    book = load_workbook(target)
    header = [c.value for c in book["Doelen"][1]]
    assert header == ["id", "omschrijving", "gemeente", "kerncijfer", "streefwaarde",
                      "streefdatum", "vastgesteld op", "brondocument",
                      "adres van het brondocument", "illustratief"]
    assert header[1:] == [c.name for c in columns(shapes_graph(), SD.Doel)]
    lists = book[LISTS]
    named = {lists.cell(row=1, column=c).value: [lists.cell(row=r, column=c).value
                                                 for r in range(2, lists.max_row + 1)
                                                 if lists.cell(row=r, column=c).value]
             for c in range(1, lists.max_column + 1)}
    assert "Wmo-cliënten per 1.000 inwoners" in named["Kerncijfer"]
    assert len(named["Kerncijfer"]) == 15  # data/vocab/kerncijfers.ttl


def test_goals_from_the_sheet_are_records_of_the_gemeente(tmp_path, example_store):
    target = tmp_path / "inventaris.xlsx"
    write_template(target, shapes_graph(), base_graph(), example_store)
    filled = _filled(target, tmp_path / "doelen.xlsx")
    imported = import_sources([Source.file(filled)], example_store)
    g = imported.graph
    assert imported.gemeente == GM0823  # a goal's gemeente says whose inventory it is
    doel = URIRef(ID + "doel/gm0823/wmo-stabiel")
    assert (doel, RDF.type, SD.Doel) in g
    assert (doel, SD.indicator, WMO) in g  # written as its name
    assert (URIRef(ID + "doel/gm0823/wmo-omlaag"), SD.indicator, WMO) in g  # as its notation
    assert (doel, SD.streefwaarde, Literal("54", datatype=XSD.decimal)) in g
    assert (doel, SD.streefdatum, Literal("2024-12-31", datatype=XSD.date)) in g
    assert (doel, SD.geldigVanaf, Literal("2022-01-15", datatype=XSD.date)) in g
    assert str(g.value(doel, RDFS.label)) == "Wmo-gebruik groeit hoogstens tot 54 per 1.000 " \
                                             "inwoners"
    inventory = read([Source.file(filled)], store=example_store)
    report = validate(inventory, peildatum=date(2024, 6, 1), store=example_store,
                      reference=True)
    assert report.conforms, report.text()


BAD = """@prefix sd: <https://w3id.org/sdgraph/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/sdgraph/id/doel/gm0823/fout> a sd:Doel ;
    rdfs:label "Te laat" ;
    sd:gemeente <https://identifier.overheid.nl/tooi/id/gemeente/gm0823> ;
    sd:indicator <https://w3id.org/sdgraph/id/kerncijfer/bestaat-niet> ;
    sd:streefwaarde 10.0 ; sd:streefdatum "2020-01-01"^^xsd:date ;
    sd:geldigVanaf "2022-01-01"^^xsd:date .
"""


def test_a_goal_without_a_known_kerncijfer_or_source_or_in_the_past_is_an_error(
        tmp_path, example_store):
    path = tmp_path / "fout.ttl"
    path.write_text(BAD, encoding="utf-8")
    report = validate(read([Source.file(path)], store=example_store),
                      peildatum=date(2024, 6, 1), store=example_store, reference=True)
    assert not report.conforms
    text = report.text()
    assert "precies één kerncijfer uit de lijst" in text
    assert "Een doel noemt het document waarin het staat." in text
    assert "De streefdatum 2020-01-01 ligt vóór de dag waarop het doel is vastgesteld." in text


def _reeks(values: list[tuple[str, float]], iv3: bool = False) -> Reeks:
    d = Definitie("k", "k", "k", periodesoort="iv3" if iv3 else "halfjaar")
    points = []
    for per, v in values:
        year, half = int(per[:4]), per[-1]
        p = Periode(date(year, 1 if half == "1" else 7, 1), 0, "ds", per, "halfjaar")
        points.append(Punt(p, v, None, 0, None))
    return Reeks(d, points)


@pytest.mark.parametrize(("target", "due", "set_on", "peildatum", "expected"), [
    # start 2022H1 (48, ends 2022-06-30); latest 2023H2 (52, ends 2023-12-31): 549 of 915
    # days to 2024-12-31 is 0.6 of the way; on the line 48 + 0.6 * (target - 48)
    (54, "2024-12-31", "2022-01-15", PEIL, "op-koers"),  # 51.6 <= 52
    (56, "2024-12-31", "2022-01-15", PEIL, "achter"),  # 52.8 > 52
    (50, "2024-12-31", "2022-01-15", PEIL, "behaald"),  # 52 >= 50
    (56, "2023-12-31", "2022-01-15", PEIL, "niet-gehaald"),  # due before the peildatum
    (45, "2026-01-01", "2022-09-01", PEIL, "verkeerde-kant"),  # from 49 (2022H2) up to 52
    (60, "2026-01-01", "2024-01-01", PEIL, "geen-meting"),  # no half year after 2023H2
])
def test_status_by_hand(target, due, set_on, peildatum, expected) -> None:
    reeks = _reeks([("2022H1", 48), ("2022H2", 49), ("2023H1", 51), ("2023H2", 52)])
    doel = Doel("d", "d", "k", target, due, set_on, "bron", "", False, "")
    result = status(doel, reeks, peildatum)
    assert result.status == expected
    if expected in ("op-koers", "achter"):
        assert result.verwacht == pytest.approx(48 + 549 / 915 * (target - 48))


def test_goals_loaded_per_gemeente_show_on_the_foto_with_their_status(tmp_path, runner):
    if SOURCES is None:
        pytest.skip("the Oirschot example's register facts come from ../shared")
    from web import create_app

    store_dir = tmp_path / "store"
    store = EmbeddedStore(store_dir)
    init_store(store, "oirschot", SOURCES)
    store.load_files([KERNCIJFERS])
    template = tmp_path / "inventaris.xlsx"
    write_template(template, shapes_graph(), base_graph(), store)
    store.close()
    filled = _filled(template, tmp_path / "doelen.xlsx")
    # the sheet through the inventory route: validated, loaded as a version of Oirschot's
    # inventory (graph inventaris/gm0823/doelen)
    result = runner.invoke(main, ["--store", str(store_dir), "validate", str(filled),
                                  "--peildatum", PEIL, "--reference", "--load", "--bron", "doelen"])
    assert result.exit_code == 0, result.output
    # and one goal in Turtle, as a second part of the same gemeente's inventory
    ttl = tmp_path / "doel.ttl"
    ttl.write_text(BAD.replace("kerncijfer/bestaat-niet", "kerncijfer/wmo-clienten-per-1000-"
                               "inwoners").replace('"2020-01-01"', '"2025-06-30"')
                   .replace("doel/gm0823/fout", "doel/gm0823/turtle")
                   .replace("sd:streefwaarde 10.0 ;", 'sd:streefwaarde 10.0 ; sd:bronDocument '
                            '"Notitie (fictief)" ; sd:illustratief true ;'), encoding="utf-8")
    result = runner.invoke(main, ["--store", str(store_dir), "validate", str(ttl), "--peildatum",
                                  PEIL, "--reference", "--load", "--bron", "turtle",
                                  "--gemeente", "GM0823"])
    assert result.exit_code == 0, result.output
    store = EmbeddedStore(store_dir)
    client = create_app(store=store, test_config={"TESTING": True}).test_client()
    page = get_page(client, f"/gemeente/GM0823/foto?peildatum={PEIL}")
    rows = {r[0]["text"].replace(" illustratief", ""): r for r in page.rows("tabel-doelen")}
    assert set(rows) == {"Wmo-gebruik groeit hoogstens tot 54 per 1.000 inwoners",
                         "Minder Wmo-cliënten", "Meer maatwerk 18+", "Te laat"}
    stabiel = rows["Wmo-gebruik groeit hoogstens tot 54 per 1.000 inwoners"]
    assert stabiel[2]["text"] == "48 (2022, 1e halfjaar)"  # start: the half year of 2022-01-15
    assert stabiel[3]["text"] == "52 (2023, 2e halfjaar)"
    assert stabiel[5]["text"].startswith("op koers")
    assert rows["Minder Wmo-cliënten"][5]["text"] == "verkeerde kant op"  # 49 -> 52, aim 45
    # an Iv3 goal counts jaarrekeningen only: one (2023), nothing after it
    assert rows["Meer maatwerk 18+"][5]["text"] == "geen meting na de start"
    assert rows["Te laat"][5]["text"] == "verkeerde kant op"  # 48 -> 52, aim 10 by 2025-06-30
    body = client.get(f"/gemeente/GM0823/foto.json?peildatum={PEIL}").get_json()
    graphs = {d["naam"]: d["graaf"] for d in body["doelen"]}
    assert graphs["Te laat"].endswith("/graph/inventaris/gm0823/turtle")
    assert graphs["Minder Wmo-cliënten"].endswith("/graph/inventaris/gm0823/doelen")
    # another gemeente's foto shows none of them
    other = client.get(f"/gemeente/GM0772/foto.json?peildatum={PEIL}").get_json()
    assert other["doelen"] == []
    store.close()
