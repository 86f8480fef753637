"""The texts of the spreadsheet import, in Dutch (other languages from the catalogue): each
problem says what is wrong with a cell and what to write instead (a table on the Valideren
page)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import N_, gettext

#: key -> (message, what to write instead), in Dutch; other languages come from the
#: catalogue (sdgraph/locale).
TEXTS: dict[str, tuple[str, str]] = {
    "not_a_sheet": (
        N_("blad '{value}' is geen blad van het sjabloon"),
        N_("Gebruik de bladen van het sjabloon: {sheets}."),
    ),
    "csv_name": (
        N_("de bestandsnaam noemt geen blad van het sjabloon"),
        N_("Noem het bestand naar het blad: {names}."),
    ),
    "unknown_column": (
        N_("onbekende kolom '{value}'"),
        N_("Gebruik de kolomnamen van het sjabloon (zie het blad Toelichting), of laat de kolom "
           "weg."),
    ),
    "duplicate_id": (
        N_("'{value}' komt twee keer voor"),
        N_("Geef elke rij een eigen id."),
    ),
    "not_a_date": (
        N_("'{value}' is geen datum"),
        N_("Schrijf een datum als JJJJ-MM-DD, bijv. 2024-01-01."),
    ),
    "not_a_number": (
        N_("'{value}' is geen getal"),
        N_("Schrijf een getal, bijv. 14,5 of 420000,50."),
    ),
    "not_whole": (
        N_("'{value}' is geen geheel getal"),
        N_("Schrijf een geheel getal, bijv. 6."),
    ),
    "not_a_year": (
        N_("'{value}' is geen jaartal"),
        N_("Schrijf een jaartal, bijv. 2024."),
    ),
    "not_boolean": (
        N_("'{value}' is geen ja of nee"),
        N_("Schrijf ja of nee."),
    ),
    "not_an_answer": (
        N_("'{value}' is geen ja, nee of anders"),
        N_("Schrijf ja (de rij klopt), anders (verbeterd in de andere kolommen) of nee (de rij "
           "klopt niet en wordt niet ingelezen)."),
    ),
    "unknown_value": (
        N_("'{value}' is geen bekende waarde"),
        N_("Kies uit de keuzelijst, of geef een code (GM0823), een IRI of het id of de naam van "
           "een rij op een ander blad."),
    ),
    "ambiguous_name": (
        N_("'{value}' is de naam van meer dan één rij ({ids})"),
        N_("Verwijs met het id van de rij."),
    ),
    "not_utf8": (
        N_("geen UTF-8-tekst (byte {at})"),
        N_("Sla het bestand op als CSV UTF-8."),
    ),
    "csv_error": (
        N_("geen leesbaar CSV-bestand ({detail})"),
        N_("Sla het bestand opnieuw op als CSV."),
    ),
    "not_a_zip": (
        N_("geen leesbare .xlsx-werkmap (geen zip-bestand)"),
        N_("Sla het bestand op als Excel-werkmap (.xlsx)."),
    ),
    "not_a_workbook": (
        N_("geen leesbare .xlsx-werkmap ({detail})"),
        N_("Sla het bestand opnieuw op als Excel-werkmap (.xlsx)."),
    ),
    "too_big": (
        N_("de werkmap pakt uit tot {mb} MB; hoogstens {max} MB wordt aangenomen"),
        N_("Verdeel de inventaris over meer bestanden."),
    ),
    "zip_bomb": (
        N_("onderdeel {part} is {ratio} keer samengeperst; meer dan {max} keer wordt geweigerd "
           "(een zip-bom?)"),
        N_("Sla de werkmap opnieuw op in Excel."),
    ),
    "too_many_rows": (
        N_("meer dan {max} rijen"),
        N_("Verdeel de inventaris over meer bestanden."),
    ),
}

WHERE = {"sheet": N_("blad {sheet}"), "row": N_("rij {row}"), "column": N_("kolom '{column}'")}


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
        message, hint = TEXTS[self.key]
        values = {"value": self.value, **self.values}
        return gettext(message, lang, **values), gettext(hint, lang, **values)

    def message(self, lang: str = "nl") -> str:
        return self._texts(lang)[0]

    def hint(self, lang: str = "nl") -> str:
        return self._texts(lang)[1]

    def where(self, lang: str = "nl") -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(gettext(WHERE["sheet"], lang, sheet=self.sheet))
        if self.row is not None:
            parts.append(gettext(WHERE["row"], lang, row=self.row))
        if self.column:
            parts.append(gettext(WHERE["column"], lang, column=self.column))
        return ", ".join(parts)

    def text(self, lang: str = "nl") -> str:
        return f"{self.where(lang)}: {self.message(lang)}. {self.hint(lang)}"

    def to_dict(self, lang: str = "nl") -> dict[str, object]:
        return {"file": self.file, "sheet": self.sheet, "row": self.row,
                "column": self.column, "value": self.value, "message": self.message(lang),
                "hint": self.hint(lang)}
