"""Dutch and English texts of the spreadsheet import: each problem says what is wrong
with a cell and what to write instead (shown as a table on the Valideren page)."""

from __future__ import annotations

from dataclasses import dataclass, field

#: key -> language -> (message, what to write instead)
TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "not_a_sheet": {
        "nl": ("blad '{value}' is geen blad van het sjabloon",
               "Gebruik de bladen van het sjabloon: {sheets}."),
        "en": ("sheet '{value}' is not a sheet of the template",
               "Use the sheets of the template: {sheets}."),
    },
    "csv_name": {
        "nl": ("de bestandsnaam noemt geen blad van het sjabloon",
               "Noem het bestand naar het blad: {names}."),
        "en": ("the file name does not name a sheet of the template",
               "Name the file after its sheet: {names}."),
    },
    "unknown_column": {
        "nl": ("onbekende kolom '{value}'",
               "Gebruik de kolomnamen van het sjabloon (zie het blad Toelichting), of laat de "
               "kolom weg."),
        "en": ("unknown column '{value}'",
               "Use the column names of the template (see the sheet Toelichting), or remove the "
               "column."),
    },
    "duplicate_id": {
        "nl": ("'{value}' komt twee keer voor", "Geef elke rij een eigen id."),
        "en": ("'{value}' occurs twice", "Give every row an id of its own."),
    },
    "not_a_date": {
        "nl": ("'{value}' is geen datum", "Schrijf een datum als JJJJ-MM-DD, bijv. 2024-01-01."),
        "en": ("'{value}' is not a date", "Write a date as YYYY-MM-DD, e.g. 2024-01-01."),
    },
    "not_a_number": {
        "nl": ("'{value}' is geen getal", "Schrijf een getal, bijv. 14,5 of 420000,50."),
        "en": ("'{value}' is not a number", "Write a number, e.g. 14.5 or 420000.50."),
    },
    "not_whole": {
        "nl": ("'{value}' is geen geheel getal", "Schrijf een geheel getal, bijv. 6."),
        "en": ("'{value}' is not a whole number", "Write a whole number, e.g. 6."),
    },
    "not_a_year": {
        "nl": ("'{value}' is geen jaartal", "Schrijf een jaartal, bijv. 2024."),
        "en": ("'{value}' is not a year", "Write a year, e.g. 2024."),
    },
    "not_boolean": {
        "nl": ("'{value}' is geen ja of nee", "Schrijf ja of nee."),
        "en": ("'{value}' is not yes or no", "Write ja (yes) or nee (no)."),
    },
    "unknown_value": {
        "nl": ("'{value}' is geen bekende waarde",
               "Kies uit de keuzelijst, of geef een code (GM0823), een IRI of het id of de naam "
               "van een rij op een ander blad."),
        "en": ("'{value}' is not a known value",
               "Choose from the drop-down list, or give a code (GM0823), an IRI, or the id or "
               "name of a row on another sheet."),
    },
    "ambiguous_name": {
        "nl": ("'{value}' is de naam van meer dan één rij ({ids})",
               "Verwijs met het id van de rij."),
        "en": ("'{value}' is the name of more than one row ({ids})",
               "Refer to the row by its id."),
    },
    "not_utf8": {
        "nl": ("geen UTF-8-tekst (byte {at})", "Sla het bestand op als CSV UTF-8."),
        "en": ("not UTF-8 text (byte {at})", "Save the file as CSV UTF-8."),
    },
    "csv_error": {
        "nl": ("geen leesbaar CSV-bestand ({detail})", "Sla het bestand opnieuw op als CSV."),
        "en": ("not a readable CSV file ({detail})", "Save the file as CSV again."),
    },
    "not_a_zip": {
        "nl": ("geen leesbare .xlsx-werkmap (geen zip-bestand)",
               "Sla het bestand op als Excel-werkmap (.xlsx)."),
        "en": ("not a readable .xlsx workbook (not a zip file)",
               "Save the file as an Excel workbook (.xlsx)."),
    },
    "not_a_workbook": {
        "nl": ("geen leesbare .xlsx-werkmap ({detail})",
               "Sla het bestand opnieuw op als Excel-werkmap (.xlsx)."),
        "en": ("not a readable .xlsx workbook ({detail})",
               "Save the file as an Excel workbook (.xlsx) again."),
    },
    "too_big": {
        "nl": ("de werkmap pakt uit tot {mb} MB; hoogstens {max} MB wordt aangenomen",
               "Verdeel de inventaris over meer bestanden."),
        "en": ("the workbook unpacks to {mb} MB; at most {max} MB is accepted",
               "Split the inventory over several files."),
    },
    "zip_bomb": {
        "nl": ("onderdeel {part} is {ratio} keer samengeperst; meer dan {max} keer wordt "
               "geweigerd (een zip-bom?)", "Sla de werkmap opnieuw op in Excel."),
        "en": ("part {part} is compressed {ratio} times; more than {max} times is refused "
               "(a zip bomb?)", "Save the workbook again in Excel."),
    },
    "too_many_rows": {
        "nl": ("meer dan {max} rijen", "Verdeel de inventaris over meer bestanden."),
        "en": ("more than {max} rows", "Split the inventory over several files."),
    },
}

WHERE = {
    "nl": {"sheet": "blad {sheet}", "row": "rij {row}", "column": "kolom '{column}'"},
    "en": {"sheet": "sheet {sheet}", "row": "row {row}", "column": "column '{column}'"},
}


@dataclass
class Issue:
    """One problem found while reading a spreadsheet: where, what and how to fix it."""

    file: str
    key: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""
    values: dict[str, object] = field(default_factory=dict)

    def _texts(self, lang: str) -> tuple[str, str]:
        by_lang = TEXTS[self.key]
        message, hint = by_lang.get(lang) or by_lang["nl"]
        values = {"value": self.value, **self.values}
        return message.format(**values), hint.format(**values)

    def message(self, lang: str = "nl") -> str:
        return self._texts(lang)[0]

    def hint(self, lang: str = "nl") -> str:
        return self._texts(lang)[1]

    def where(self, lang: str = "nl") -> str:
        words = WHERE.get(lang) or WHERE["nl"]
        parts = [self.file]
        if self.sheet:
            parts.append(words["sheet"].format(sheet=self.sheet))
        if self.row is not None:
            parts.append(words["row"].format(row=self.row))
        if self.column:
            parts.append(words["column"].format(column=self.column))
        return ", ".join(parts)

    def text(self, lang: str = "nl") -> str:
        return f"{self.where(lang)}: {self.message(lang)}. {self.hint(lang)}"

    def to_dict(self, lang: str = "nl") -> dict[str, object]:
        return {"file": self.file, "sheet": self.sheet, "row": self.row,
                "column": self.column, "value": self.value, "message": self.message(lang),
                "hint": self.hint(lang)}
