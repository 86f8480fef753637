"""The spreadsheet inventory: template from the shapes, import, round trip.

The filled example is tests/data/validation/inventaris/*.csv (one file per
sheet). The round trip writes the generated template, fills its sheets with
those rows, imports the workbook and validates it; the workbook and the CSV
files give the same graph.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD

from sdgraph.errors import DataError
from sdgraph.inventory import EXPLANATION, LISTS, SHEETS, columns, import_sources, write_template
from sdgraph.namespaces import SD
from sdgraph.store import Source
from sdgraph.validation import read, shapes_graph, validate
from sdgraph.validation.engine import base_graph

ROOT = Path(__file__).resolve().parent.parent
FILLED = ROOT / "tests" / "data" / "validation" / "inventaris"
ID = "https://w3id.org/sdgraph/id/"
GM0823 = URIRef("https://identifier.overheid.nl/tooi/id/gemeente/gm0823")
SO0665 = URIRef("https://identifier.overheid.nl/tooi/id/so/so0665")


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.reader(f, delimiter=";"))


@pytest.fixture
def template(tmp_path: Path, example_store) -> Path:
    target = tmp_path / "inventaris.xlsx"
    write_template(target, shapes_graph(), base_graph(), example_store)
    return target


def test_template_has_a_sheet_per_class_lists_and_an_explanation(template: Path):
    book = load_workbook(template)
    assert book.sheetnames == [EXPLANATION] + [s for s, _, _ in SHEETS] + [LISTS]
    sheet = book["Taakuitvoeringen"]
    header = [c.value for c in sheet[1]]
    expected = ["id"] + [c.name for c in columns(shapes_graph(), SD.Taakuitvoering)]
    assert header == expected
    assert header[:8] == ["id", "omschrijving", "gemeente", "taak", "deelgebied", "uitvoerder",
                          "arrangementtype", "via"]
    # drop-downs: taak from the vocabulary, gemeente from the store's organisations
    lists = book[LISTS]
    named = {lists.cell(row=1, column=c).value: [lists.cell(row=r, column=c).value
                                                 for r in range(2, lists.max_row + 1)
                                                 if lists.cell(row=r, column=c).value]
             for c in range(1, lists.max_column + 1)}
    assert "Toegang jeugdhulp" in named["Taak"]
    assert "Oirschot (GM0823)" in named["Gemeente"]
    assert named["arrangementtype"] == ["Eigen organisatie", "Gemeenschappelijke regeling",
                                        "Centrumgemeente", "Mandaat", "Contract"]
    formulas = [dv.formula1 for dv in sheet.data_validations.dataValidation]
    assert any(f.startswith(f"={LISTS}!") for f in formulas)
    # every column of every sheet is explained
    explained = {(r[0].value, r[1].value) for r in book[EXPLANATION].iter_rows(min_row=6)}
    for name, cls, _ in SHEETS:
        for column in columns(shapes_graph(), cls):
            assert (name, column.name) in explained


def test_round_trip_template_filled_import_validate(template: Path, tmp_path: Path,
                                                    example_store):
    book = load_workbook(template)
    for path in sorted(FILLED.glob("*.csv")):
        sheet = book[path.stem.capitalize()]
        rows = _csv_rows(path)
        header = [c.value for c in sheet[1]]
        for number, row in enumerate(rows[1:], start=2):
            for name, value in zip(rows[0], row, strict=True):
                if value:
                    sheet.cell(row=number, column=header.index(name) + 1, value=value)
    filled = tmp_path / "ingevuld.xlsx"
    book.save(filled)

    workbook = import_sources([Source.file(filled)], example_store)
    from_csv = import_sources([Source.file(p) for p in sorted(FILLED.glob("*.csv"))],
                              example_store)
    assert isomorphic(workbook.graph, from_csv.graph)

    g = workbook.graph
    tu = URIRef(ID + "taakuitvoering/jeugdhulp-backoffice")
    assert (tu, RDF.type, SD.Taakuitvoering) in g
    assert (tu, SD.gemeente, GM0823) in g  # written as GM0823
    assert (tu, SD.uitvoerder, SO0665) in g  # written as its name
    assert (tu, SD.taak, URIRef(ID + "taak/jeugdhulp-ambulant")) in g
    assert (tu, SD.geldigVanaf, Literal("2019-07-01", datatype=XSD.date)) in g
    hh = URIRef(ID + "taakuitvoering/huishoudelijke-hulp")
    assert (hh, SD.via, URIRef(ID + "overeenkomst/hh-2021")) in g  # an id of another sheet
    ovk = URIRef(ID + "overeenkomst/hh-2021")
    assert (ovk, SD.jaarwaardeEUR, Literal("420000.50", datatype=XSD.decimal)) in g
    assert (ovk, SD.opdrachtnemer, URIRef(ID + "aanbieder/thuishulp-oirschot")) in g
    assert workbook.origins[hh] == "blad Taakuitvoeringen, rij 4"

    inventory = read([Source.file(filled)], store=example_store)
    report = validate(inventory, peildatum=date(2024, 8, 1), store=example_store, reference=True)
    assert report.conforms, report.text()


def test_import_errors_name_sheet_row_and_column(tmp_path: Path, example_store):
    bad = tmp_path / "taakuitvoeringen.csv"
    bad.write_text(
        "id;gemeente;taak;geldig vanaf;kleur\n"
        "a;Oirschot;Toegang jeugdhulp;1-13-2020;rood\n"
        "b;Nergenshuizen;Toegang jeugdhulp;2020-01-01;\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        import_sources([Source.file(bad)], example_store)
    lines = str(caught.value).splitlines()
    assert "taakuitvoeringen.csv, blad Taakuitvoeringen, kolom 'kleur': onbekende kolom" \
        in lines[0]
    assert any("rij 2, kolom 'geldig vanaf': '1-13-2020' is geen datum" in ln for ln in lines)
    assert any("rij 3, kolom 'gemeente': 'Nergenshuizen' is geen bekende waarde" in ln
               for ln in lines)


def test_validation_report_names_sheet_and_row(tmp_path: Path, example_store):
    sheet = tmp_path / "taakuitvoeringen.csv"
    sheet.write_text("id;gemeente;deelgebied;uitvoerder;arrangementtype;geldig vanaf\n"
                     "zonder-taak;GM0823;Toegang;GM0823;Eigen organisatie;2020-01-01\n",
                     encoding="utf-8")
    report = validate(read([Source.file(sheet)], store=example_store),
                      peildatum=date(2024, 8, 1), store=example_store, reference=True)
    assert not report.conforms
    group = next(g for g in report.groups("nl") if str(g.focus).endswith("zonder-taak"))
    assert group.where == "blad Taakuitvoeringen, rij 2"
    assert [ln.field for ln in group.lines if ln.severity == "Violation"] == ["taak"]
    assert "Vul 'taak' in." in [ln.hint for ln in group.lines]


def test_cli_template_and_import(runner, tmp_path: Path):
    from sdgraph.cli import main

    assert runner.invoke(main, ["init"]).exit_code == 0
    target = tmp_path / "t.xlsx"
    out = runner.invoke(main, ["template", str(target)])
    assert out.exit_code == 0, out.output
    assert load_workbook(target).sheetnames[0] == EXPLANATION
    ttl = tmp_path / "inventaris.ttl"
    out = runner.invoke(main, ["import", *map(str, sorted(FILLED.glob("*.csv"))), "-o", str(ttl)])
    assert out.exit_code == 0, out.output
    assert "6 records" in out.output
    out = runner.invoke(main, ["validate", str(ttl), "--peildatum", "2024-08-01", "--reference"])
    assert out.exit_code == 0, out.output
