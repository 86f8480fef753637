"""Downloads people open directly: XLSX for every table (a sheet describing the columns
and the source) and CSV for Dutch Excel (?dialect=excel-nl); the '# column:' header of
named queries; column titles, labels and numbers on query pages."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import get_page
from openpyxl import load_workbook

from sdgraph.errors import UserError
from sdgraph.queries import QueryLibrary, parse_query

GM = "https://identifier.overheid.nl/tooi/id/gemeente/"
SO = "https://identifier.overheid.nl/tooi/id/so/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_column_header_is_parsed_and_checked() -> None:
    q = parse_query("# title: t\n# column: n | Aantal | Number | Hoeveel | How many\n"
                    "# column: x | Iets\nSELECT (1 AS ?n) ?x WHERE { }\n", "t")
    n = q.column("n")
    assert (n.label("nl"), n.label("en"), n.describe("nl"), n.describe("en")) == (
        "Aantal", "Number", "Hoeveel", "How many")
    assert (q.column("x").label("en"), q.column("x").describe("nl")) == ("Iets", "")
    assert q.column("y").label("nl") == "y"  # no header line: the variable's name
    with pytest.raises(UserError, match=r"q.rq line 2: column needs"):
        parse_query("# title: t\n# column: 1x | a\nSELECT * { }", "q", Path("q.rq"))


def test_public_queries_with_columns_name_only_their_variables() -> None:
    lib = QueryLibrary()
    described = [q for q in lib.all() if q.columns]
    assert len(described) >= 5
    for query in described:
        head = query.text.split("WHERE", 1)[0]
        for column in query.columns:
            assert f"?{column.name}" in head, (query.name, column.name)


def test_xlsx_of_a_query_has_titles_labels_and_a_column_sheet(client, example_store) -> None:
    r = client.get("/query/regelingen.xlsx?peildatum=2019-07-02")
    assert r.status_code == 200 and r.mimetype == XLSX
    assert r.headers["Content-Disposition"] == 'attachment; filename="regelingen.xlsx"'
    book = load_workbook(io.BytesIO(r.data))
    assert book.sheetnames == ["regelingen", "Kolommen"]
    data = book["regelingen"]
    header = [c.value for c in data[1]]
    assert header[:3] == ["Regeling", "Regeling (naam)", "Naam"]
    rows = [[c.value for c in row] for row in data.iter_rows(min_row=2)]
    expected = QueryLibrary().get("regelingen").run(
        example_store, {"peildatum": "2019-07-02", "lang": "nl"}).dicts()
    assert len(rows) == len(expected) > 0
    kempen = next(row for row in rows if row[0] == SO + "so0665")
    assert kempen[1] == kempen[2] == "Samenwerking Kempengemeenten"
    assert isinstance(kempen[header.index("Deelnemers")], int)  # a number, not text
    about = [[c.value for c in row] for row in book["Kolommen"].iter_rows()]
    assert about[0] == ["Kolom", "Variabele", "Beschrijving"]
    assert ["Deelnemers", "deelnemers",
            "Aantal deelnemende gemeenten op de peildatum"] in about
    assert ["Query", "regelingen"] in [row[:2] for row in about]
    # in English: the titles and the describing sheet
    english = load_workbook(io.BytesIO(client.get(
        "/query/regelingen.xlsx?peildatum=2019-07-02&lang=en").data))
    assert english.sheetnames == ["regelingen", "Columns"]
    assert [c.value for c in english["regelingen"][1]][:2] == ["Arrangement", "Arrangement (name)"]


def test_csv_for_dutch_excel(client) -> None:
    url = "/query/lidmaatschappen.csv?gemeente=GM0823&peildatum=2019-07-02"
    plain = client.get(url).get_data(as_text=True)
    assert plain.startswith("gr,naam,roo_id")  # programs keep the plain CSV
    r = client.get(url + "&dialect=excel-nl")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    body = r.data.decode("utf-8")
    assert body.startswith("\ufeff")  # the byte order mark Excel needs for UTF-8
    assert "\r\n" in body
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert rows[0][:2] == ["Regeling", "Regeling (naam)"]
    assert len(rows) == len(plain.strip().splitlines())
    # numbers with a decimal comma
    frag = client.get("/query/fragmentatie.csv?dialect=excel-nl").data.decode("utf-8")
    assert "0,2711" in frag and "0.2711" not in frag
    bad = client.get(url + "&dialect=excel-us")
    assert bad.status_code == 400 and "excel-nl" in bad.get_json()["error"]


@pytest.mark.parametrize("path", [
    "/gemeenten", "/gemeente/GM0823/lidmaatschappen", "/gemeente/GM0823/matrix",
    "/gemeente/GM0823/klantreis", "/gemeente/GM0823/netwerk", "/overlap", "/regelingen",
    "/regio-indelingen", f"/organisatie/deelnemers?iri={SO}so0665", "/bronnen",
    "/query/deelnemers",
])
def test_every_table_has_an_xlsx(client, path: str) -> None:
    base, _, query = path.partition("?")
    r = client.get(f"{base}.xlsx" + (f"?{query}" if query else ""))
    assert r.status_code == 200, (path, r.get_data(as_text=True)[:300])
    assert r.mimetype == XLSX
    book = load_workbook(io.BytesIO(r.data))
    first = book[book.sheetnames[0]]
    assert first.max_row >= 2 and first.max_column >= 2, path
    assert book.sheetnames[-1] == "Kolommen"


def test_xlsx_holds_what_the_format_cannot_as_a_visible_mark() -> None:
    """Control characters (typed into a search, found by the API fuzz test) cannot be
    stored in XLSX: they become U+FFFD; a text that starts with '=' stays that text (a
    string cell, never a formula)."""
    from sdgraph.spreadsheet import Sheet, to_xlsx

    sheet = Sheet("zoek", ["q\x1f", "waarde"], [["0\x1f0", "=1+1"]])
    book = load_workbook(io.BytesIO(to_xlsx([sheet], [("q", "0\x1f0")])))
    ws = book[book.sheetnames[0]]
    assert [c.value for c in ws[1]] == ["q\ufffd", "waarde"]
    assert [c.value for c in ws[2]] == ["0\ufffd0", "=1+1"]
    assert ws["B2"].data_type == "s"
    about = [[c.value for c in row] for row in book["Kolommen"].iter_rows()]
    assert ["q", "0\ufffd0"] in [r[:2] for r in about]


def test_query_page_titles_labels_numbers_and_hints(client) -> None:
    page = get_page(client, "/query/fragmentatie")
    header = page.html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert "Partners Jeugdwet" in header and "partnersJeugdwet" not in header
    assert "0,2711" in page.text and "0.2711" not in page.text  # the page's locale
    row = page.rows("tabel-resultaat")[0]
    assert row[0]["text"] == "Oirschot" and row[0]["links"] == ["/gemeente/GM0823"]  # a label
    english = get_page(client, "/query/fragmentatie?lang=en")
    assert "0.2711" in english.text
    lid = get_page(client, "/query/lidmaatschappen?lang=nl")
    assert "datum (JJJJ-MM-DD), standaard vandaag" in lid.text
    assert "date, standaard today" not in lid.text
    assert "date (YYYY-MM-DD), default today" in get_page(
        client, "/query/lidmaatschappen?lang=en").text
