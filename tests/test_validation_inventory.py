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
    assert workbook.gemeente == GM0823  # the only gemeente it names: whose inventory it is
    # every record's IRI has its gemeente: another gemeente's rows with the same ids differ
    tu = URIRef(ID + "taakuitvoering/gm0823/jeugdhulp-backoffice")
    assert (tu, RDF.type, SD.Taakuitvoering) in g
    assert (tu, SD.gemeente, GM0823) in g  # written as GM0823
    assert (tu, SD.uitvoerder, SO0665) in g  # written as its name
    assert (tu, SD.taak, URIRef(ID + "taak/jeugdhulp-ambulant")) in g
    assert (tu, SD.geldigVanaf, Literal("2019-07-01", datatype=XSD.date)) in g
    hh = URIRef(ID + "taakuitvoering/gm0823/huishoudelijke-hulp")
    ovk = URIRef(ID + "overeenkomst/gm0823/hh-2021")
    assert (hh, SD.via, ovk) in g  # an id of another sheet
    assert (ovk, SD.jaarwaardeEUR, Literal("420000.50", datatype=XSD.decimal)) in g
    assert (ovk, SD.opdrachtnemer, URIRef(ID + "aanbieder/gm0823/thuishulp-oirschot")) in g
    # text is never split at ';'
    assert (ovk, SD.verlenging, Literal("Tweemaal verlengbaar; telkens met één jaar.")) in g
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
    assert lines[0].startswith("taakuitvoeringen.csv, blad Taakuitvoeringen, rij 1, "
                               "kolom 'kleur': onbekende kolom 'kleur'")
    assert any("rij 2, kolom 'geldig vanaf': '1-13-2020' is geen datum. Schrijf een datum als "
               "JJJJ-MM-DD" in ln for ln in lines)
    assert any("rij 3, kolom 'gemeente': 'Nergenshuizen' is geen bekende waarde" in ln
               for ln in lines)
    # the same problems as a table (the web page), and in English
    issues = caught.value.issues
    assert [(i.sheet, i.row, i.column, i.value) for i in issues] == [
        ("Taakuitvoeringen", 1, "kleur", "kleur"),
        ("Taakuitvoeringen", 2, "geldig vanaf", "1-13-2020"),
        ("Taakuitvoeringen", 3, "gemeente", "Nergenshuizen")]
    assert issues[1].message("en") == "'1-13-2020' is not a date"


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


def _csv(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_references_resolve_to_the_right_kind_of_thing(tmp_path: Path, example_store):
    """A row id equal to a taak's name does not capture the taak column; an aanbieder added on
    the Aanbieders sheet is found by its name; text keeps its ';'; '14,5%' is 14.5."""
    files = [
        _csv(tmp_path, "taakuitvoeringen.csv",
             "id;gemeente;taak;deelgebied;uitvoerder;arrangementtype;via;geldig vanaf\n"
             "re-integratie;GM0823;Re-integratie;Inkoop;Werkbedrijf De Kempen;Contract;"
             "Contract re-integratie;2020-01-01\n"),
        _csv(tmp_path, "aanbieders.csv", "id;naam\nwdk;Werkbedrijf De Kempen\n"),
        _csv(tmp_path, "overeenkomsten.csv",
             "id;naam;opdrachtgever;opdrachtnemer;startdatum;opzegtermijn (maanden);"
             "jaarwaarde (EUR);verlenging\n"
             "ovk-1;Contract re-integratie;Oirschot;Werkbedrijf De Kempen;2020-01-01;6;"
             "€ 1.250.000,50;\"Opzegbaar per 1 januari; zes maanden opzegtermijn.\"\n"),
        _csv(tmp_path, "lidmaatschappen.csv",
             "id;lid;organisatie;toetredingsdatum;verdeelsleutel (%)\n"
             "kempen;GM0823;Samenwerking Kempengemeenten;2010-01-01;14,5%\n"),
    ]
    g = import_sources([Source.file(f) for f in files], example_store).graph
    tu = URIRef(ID + "taakuitvoering/gm0823/re-integratie")
    aanbieder = URIRef(ID + "aanbieder/gm0823/wdk")
    ovk = URIRef(ID + "overeenkomst/gm0823/ovk-1")
    assert g.value(tu, SD.taak) == URIRef(ID + "taak/re-integratie")
    assert g.value(tu, SD.uitvoerder) == aanbieder  # by the name on the Aanbieders sheet
    assert g.value(tu, SD.via) == ovk  # by the name of the overeenkomst
    assert g.value(ovk, SD.opdrachtnemer) == aanbieder
    assert list(g.objects(ovk, SD.verlenging)) == [
        Literal("Opzegbaar per 1 januari; zes maanden opzegtermijn.")]
    assert g.value(ovk, SD.jaarwaardeEUR) == Literal("1250000.50", datatype=XSD.decimal)
    lm = URIRef(ID + "lidmaatschap/gm0823/kempen")
    assert g.value(lm, SD.verdeelsleutel) == Literal("14.5", datatype=XSD.decimal)


def test_two_gemeenten_with_the_same_row_ids_get_different_iris(tmp_path: Path, example_store):
    header = "id;gemeente;taak;deelgebied;uitvoerder;arrangementtype;geldig vanaf\n"
    nodes = []
    for gm in ("GM0823", "GM0861"):
        folder = tmp_path / gm
        folder.mkdir()
        sheet = _csv(folder, "taakuitvoeringen.csv",
                     header + f"toegang;{gm};Toegang jeugdhulp;Toegang;{gm};"
                              "Eigen organisatie;2015-01-01\n")
        imported = import_sources([Source.file(sheet)], example_store)
        assert imported.gemeente == URIRef(f"https://identifier.overheid.nl/tooi/id/gemeente/"
                                           f"{gm.lower()}")
        nodes.append(set(imported.graph.subjects(RDF.type, SD.Taakuitvoering)))
    assert nodes[0] == {URIRef(ID + "taakuitvoering/gm0823/toegang")}
    assert nodes[1] == {URIRef(ID + "taakuitvoering/gm0861/toegang")}


def test_rows_without_an_id_get_a_stable_key(tmp_path: Path, example_store):
    sheet = _csv(tmp_path, "taakuitvoeringen.csv",
                 "gemeente;taak;deelgebied;uitvoerder;arrangementtype;geldig vanaf;geldig tot\n"
                 "GM0823;Toegang jeugdhulp;Toegang;GM0823;Eigen organisatie;2015-01-01;"
                 "2020-01-01\n"
                 "GM0823;Toegang jeugdhulp;Toegang;GM0823;Eigen organisatie;2020-01-01;\n")
    g = import_sources([Source.file(sheet)], example_store).graph
    assert set(g.subjects(RDF.type, SD.Taakuitvoering)) == {
        URIRef(ID + "taakuitvoering/gm0823/toegang-jeugdhulp/toegang"),
        URIRef(ID + "taakuitvoering/gm0823/toegang-jeugdhulp/toegang-2")}


def test_an_empty_template_is_an_empty_inventory_warning(template: Path, example_store):
    inventory = read([Source.file(template)], store=example_store)
    assert len(inventory.graph) == 0
    report = validate(inventory, peildatum=date(2024, 8, 1), store=example_store, reference=True)
    assert report.conforms and report.counts["Warning"] == 1
    assert report.summary("nl") == "Voldoet: geen fouten, wel waarschuwingen. 1 waarschuwing."
    (line,) = [ln for g in report.groups("nl") for ln in g.lines]
    assert line.message == "De inventaris is leeg: er is geen enkel gegeven gelezen."


def test_template_prefilled_with_the_store_reads_back_to_the_same_records(tmp_path: Path,
                                                                         example_store):
    """The hook for a pre-filled template: what the store says Oirschot does on a day, written
    so that the import gives back the same records (IRIs, taak, uitvoerder, via). Its derived
    baseline rows (docs/baseline.md) wait for an answer in 'bevestigd (ja/nee/anders)' and
    are not read back until they get ja or anders (test_baseline.py)."""
    from sdgraph.inventory.template import baseline_rows
    from sdgraph.queries import QueryLibrary

    day = date(2024, 8, 1)
    rows = baseline_rows(example_store, GM0823, day, shapes_graph(), base_graph())
    target = tmp_path / "ingevuld.xlsx"
    write_template(target, shapes_graph(), base_graph(), example_store, rows=rows)
    imported = import_sources([Source.file(target)], example_store)
    found = QueryLibrary().get("wie-doet-wat").run(
        example_store, {"gemeente": "GM0823", "peildatum": day.isoformat()}).dicts()
    expected = [r for r in found if str(r["status"]) == "bevestigd"]
    assert expected and len(rows["Taakuitvoeringen"]) == len({str(r["taakuitvoering"])
                                                               for r in found})
    assert {URIRef(str(r["taakuitvoering"])) for r in expected} == \
        set(imported.graph.subjects(RDF.type, SD.Taakuitvoering))
    for r in expected:
        node = URIRef(str(r["taakuitvoering"]))
        assert imported.graph.value(node, SD.uitvoerder) == r["uitvoerder"]
        assert imported.graph.value(node, SD.via) == r["via"]
