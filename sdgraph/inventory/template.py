"""The inventory workbook: one sheet per kind of record, drop-down lists, an explanation."""

from __future__ import annotations

from datetime import date

from rdflib import Graph, URIRef

from ..namespaces import SD, SDID
from ..queries import QueryLibrary, bundled_library
from ..store import Store
from .columns import (
    BEVESTIGD,
    BEWIJS,
    EXPLANATION,
    ID,
    LISTS,
    MAX_ROWS,
    SHEETS,
    STATUS,
    Column,
    columns,
)
from .known import Known

#: Rows to pre-fill: sheet name -> rows, each column name -> the text of its cell.
Rows = dict[str, list[dict[str, str]]]

#: The explanation of the columns of a template pre-filled with the baseline.
CONFIRM_EXPLANATION = [
    (BEVESTIGD, "nee", "nee", "ja/nee/anders", "",
     "Klopt deze rij? ja: zoals ze is; anders: verbeterd in de andere kolommen; nee: klopt "
     "niet. Alleen rijen met ja of anders worden ingelezen, als inventaris die de afgeleide "
     "uitvoering van hun vak vervangt.", "confirmed (yes/no/other)",
     "Is this row right? ja: as it is; anders: corrected in the other columns; nee: wrong. "
     "Only rows answered ja or anders are read, as inventory replacing the derived record "
     "of their cell."),
    (STATUS, "nee", "nee", "tekst", "",
     "bevestigd (uit een inventaris), afgeleid (uit de registers) of aangenomen (eigen "
     "organisatie, want de wet legt de taak bij het college); wordt niet ingelezen.",
     "status", "confirmed (from an inventory), derived (from the registers) or assumed "
     "(own organisation, as the law places the task with the college); not read."),
    (BEWIJS, "nee", "nee", "tekst", "",
     "De regel en de registergegevens waaruit de rij is afgeleid (docs/baseline.md); wordt "
     "niet ingelezen.", "evidence",
     "The rule and the register facts the row is derived from; not read."),
]


def baseline_rows(store: Store, gemeente: URIRef, peildatum: date, shapes: Graph,
                  base: Graph, library: QueryLibrary | None = None) -> Rows:
    """What the store says ``gemeente`` does on ``peildatum``, as rows of the Taakuitvoeringen
    sheet (the named query ``wie-doet-wat``: its loaded inventory, the example's records and
    the derived baseline), written the way the import reads them back: names come from the
    drop-down lists; an inventoried record keeps its IRI through its id.

    Every row also has the columns :data:`BEVESTIGD`, :data:`STATUS` and :data:`BEWIJS`
    (docs/baseline.md): an inventoried row is answered ``ja`` already; a derived or assumed
    one (one per record of the baseline, its id the taak and deelgebied, its rule and
    evidence in ``bewijs``) waits for ``ja``, ``anders`` or ``nee``, and only rows answered
    ``ja`` or ``anders`` are read back as inventory."""
    from .naming import code

    query = (library or bundled_library()).get("wie-doet-wat")
    found = query.run(store, {"gemeente": str(gemeente), "peildatum": peildatum.isoformat(),
                              "lang": "nl"}).dicts()
    known = Known(base, store)
    by_column = {c.name: c for c in columns(shapes, SD.Taakuitvoering)}
    uitvoerders = {iri: label for label, iri in known.choices(by_column["uitvoerder"])}
    prefix = str(SDID[f"taakuitvoering/{code(gemeente)}/"])
    rows: dict[str, dict[str, str]] = {}
    keys: set[str] = set()
    for r in found:
        record = str(r["taakuitvoering"])
        if record in rows:
            continue
        status = str(r.get("status") or "bevestigd")
        if status == "bevestigd":
            key = record[len(prefix):] if record.startswith(prefix) else record
            regel = ""
        else:  # a record of the baseline: a new id under the gemeente, as the import makes
            key = "/".join(str(r[p]).rstrip("/").rsplit("/", 1)[-1] for p in ("taak",
                                                                              "deelgebied"))
            n, base_key = 2, key
            while key in keys:
                key, n = f"{base_key}-{n}", n + 1
            regel = str(r.get("regel") or "").rsplit("/", 1)[-1]
        keys.add(key)
        rows[record] = {
            ID: key,
            BEVESTIGD: "ja" if status == "bevestigd" else "",
            STATUS: status,
            BEWIJS: f"{regel}: {r.get('bewijs') or ''}" if regel else "",
            "gemeente": code(gemeente).upper(),
            "taak": str(r["taakNaam"] or r["taak"]),
            "deelgebied": str(r["deelgebiedNaam"] or r["deelgebied"]),
            "uitvoerder": uitvoerders.get(r["uitvoerder"], str(r["uitvoerder"])),
            "arrangementtype": str(r["arrangementtype"] or ""),
            "via": str(r["via"] or ""),
            "geldig vanaf": str(r["geldigVanaf"] or ""),
            "geldig tot": str(r["geldigTot"] or ""),
            "illustratief": "ja" if r["illustratief"] is not None
            and str(r["illustratief"]) == "true" else "",
        }
    return {"Taakuitvoeringen": [rows[k] for k in sorted(rows)]}


def write_template(target, shapes: Graph, base: Graph, store: Store | None = None,
                   lang: str = "nl", rows: Rows | None = None) -> None:
    """Write the inventory workbook to ``target`` (a path or a binary stream); ``rows``
    pre-fill sheets (e.g. :func:`baseline_rows`)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    known = Known(base, store)
    book = Workbook()
    explain = book.active
    explain.title = EXPLANATION
    lists = book.create_sheet(LISTS)
    list_ranges: dict[str, str] = {}
    bold = Font(bold=True)

    def list_range(column: Column) -> str | None:
        key = column.list_name
        if key is None:
            return None
        if key not in list_ranges:
            values = known.choices(column)
            if not values:
                return None
            col = get_column_letter(len(list_ranges) + 1)
            lists[f"{col}1"] = key
            lists[f"{col}1"].font = bold
            for i, (label, _) in enumerate(values, start=2):
                lists[f"{col}{i}"] = label
            lists.column_dimensions[col].width = 40
            list_ranges[key] = f"{LISTS}!${col}$2:${col}${len(values) + 1}"
        return list_ranges[key]

    intro = [
        "Inventaris voor sdgraph: vul per blad één rij per gegeven in.",
        "De kolom 'id' is een korte, unieke naam van de rij (bijv. toegang-jeugdhulp); andere "
        "bladen verwijzen ernaar (of naar de naam van de rij), bijv. 'via' naar een "
        "overeenkomst. De id wordt, onder de code van de gemeente, deel van de IRI.",
        "Verwijs naar organisaties met hun naam uit de keuzelijst, een GM-code (GM0823) of een "
        "IRI; meerdere verwijzingen in één cel scheid je met ';' (tekst blijft heel). "
        "Datums: JJJJ-MM-DD.",
        "Controleer het ingevulde bestand met: sdgraph validate inventaris.xlsx --reference "
        "(of op de pagina Valideren)",
    ]
    for i, line in enumerate(intro, start=1):
        explain.cell(row=i, column=1, value=line)
    head = ["blad", "kolom", "verplicht", "meerdere waarden", "soort waarde", "keuzelijst",
            "uitleg", "column (en)", "explanation (en)"]
    start = len(intro) + 2
    for j, text in enumerate(head, start=1):
        explain.cell(row=start, column=j, value=text).font = bold
    row_no = start + 1
    kinds = {"date": "datum", "year": "jaartal", "decimal": "getal", "integer": "geheel getal",
             "boolean": "ja/nee", "text": "tekst", "langtext": "tekst", "ref": "verwijzing"}
    for sheet_name, cls, _ in SHEETS:
        sheet = book.create_sheet(sheet_name, index=len(book.sheetnames) - 1)
        cols = columns(shapes, cls)
        sheet_rows = (rows or {}).get(sheet_name, [])
        # a template pre-filled with a baseline: three columns to confirm each row
        confirm = [c for c in (BEVESTIGD, STATUS, BEWIJS) if any(c in r for r in sheet_rows)]
        headers = [ID] + [c.name for c in cols] + confirm
        for j, text in enumerate(headers, start=1):
            cell = sheet.cell(row=1, column=j, value=text)
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True)
            sheet.column_dimensions[get_column_letter(j)].width = 24
        sheet.freeze_panes = "B2"
        for r, values in enumerate(sheet_rows, start=2):
            for j, name in enumerate(headers, start=1):
                if values.get(name):
                    sheet.cell(row=r, column=j, value=values[name])
        if BEVESTIGD in confirm:
            letter = get_column_letter(headers.index(BEVESTIGD) + 1)
            check = DataValidation(type="list", formula1='"ja,nee,anders"', allow_blank=True)
            check.error = "Kies ja, nee of anders."
            sheet.add_data_validation(check)
            check.add(f"{letter}2:{letter}{MAX_ROWS}")
        if BEWIJS in confirm:
            sheet.column_dimensions[get_column_letter(headers.index(BEWIJS) + 1)].width = 60
        explain_rows = [(ID, "ja", "nee", "tekst", "",
                         "Korte unieke naam van de rij; wordt, onder de code van de gemeente, "
                         "deel van de IRI.", "id",
                         "Short unique name of the row; becomes part of the IRI, under the "
                         "code of the gemeente.")]
        for j, col in enumerate(cols, start=2):
            letter = get_column_letter(j)
            rng = f"{letter}2:{letter}{MAX_ROWS}"
            ref = list_range(col) if col.kind == "ref" else None
            if ref:
                check = DataValidation(type="list", formula1=f"={ref}", allow_blank=True)
                check.errorStyle = "warning"  # a code, IRI or id is fine too
                check.error = "Kies uit de lijst, of geef een code, IRI of id."
                sheet.add_data_validation(check)
                check.add(rng)
            elif col.kind == "boolean":
                check = DataValidation(type="list", formula1='"ja,nee"', allow_blank=True)
                sheet.add_data_validation(check)
                check.add(rng)
            if col.kind == "date":
                for r in range(2, 201):
                    sheet.cell(row=r, column=j).number_format = "yyyy-mm-dd"
            explain_rows.append((col.name, "ja" if col.required else "nee",
                                 "nee" if col.single else "ja", kinds[col.kind],
                                 col.list_name or "", col.description, col.name_en,
                                 col.description_en))
        explain_rows += [row for row in CONFIRM_EXPLANATION if row[0] in confirm]
        for values in explain_rows:
            explain.cell(row=row_no, column=1, value=sheet_name)
            for j, value in enumerate(values, start=2):
                explain.cell(row=row_no, column=j, value=value)
            row_no += 1
    for letter, width in zip("ABCDEFGHI", (18, 24, 10, 10, 14, 24, 70, 24, 70), strict=True):
        explain.column_dimensions[letter].width = width
    book.move_sheet(LISTS, offset=len(book.sheetnames))
    book.save(target)
