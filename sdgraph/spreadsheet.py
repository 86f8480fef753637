"""Downloads people open directly: an XLSX workbook and a CSV that Dutch Excel opens.

Every page that has a CSV also has both (:meth:`sdgraph.pages.base.Page.sheets` gives
its tables). The tables carry the columns' titles, and next to every column of IRIs a
column with their names; a second sheet "Kolommen" says what each column means and
where the data come from (page or query, parameters, when it was made).

The plain ``.csv`` stays RFC 4180 (comma, UTF-8 without BOM, the variables' names as
header, no extra columns): it is what programs read. ``?dialect=excel-nl`` gives the
form Dutch Excel opens with a double click: ``;`` between fields (Excel in the Dutch
locale uses the comma as decimal separator), a UTF-8 byte order mark (without it Excel
reads UTF-8 as Windows-1252: "FryslÃ¢n"), CRLF line ends, decimal commas, titles and
label columns. openpyxl (already a dependency, for the inventory template) writes
the workbook.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .i18n import N_, gettext

#: The value of ``?dialect=`` for the CSV of Dutch Excel.
EXCEL_NL = "excel-nl"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")

WORDS = {"kolommen": N_("Kolommen"), "kolom": N_("Kolom"), "variabele": N_("Variabele"),
         "beschrijving": N_("Beschrijving"), "bron": N_("Bron"), "gemaakt": N_("Gemaakt op"),
         "gegevens": N_("Gegevens")}


@dataclass
class Sheet:
    """One table: headers as shown, rows of plain values (str, int, float, bool, date,
    None), and per column its variable name and description."""

    name: str
    headers: list[str]
    rows: list[list[Any]]
    variables: list[str] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)


def from_csv(name: str, text: str) -> Sheet:
    """A sheet from a page's plain CSV (header row = variable names)."""
    reader = list(csv.reader(io.StringIO(text)))
    if not reader:
        return Sheet(name, [], [])
    headers, rows = reader[0], reader[1:]
    return Sheet(name, list(headers), [[_number(v) for v in row] for row in rows],
                 list(headers), [""] * len(headers))


def _number(value: str) -> Any:
    """'12' -> 12, '0.75' -> 0.75, anything else unchanged (codes like '0823' stay text)."""
    if re.fullmatch(r"-?(0|[1-9]\d{0,14})", value):
        return int(value)
    if _DECIMAL.match(value):
        return float(value)
    return value


def _words(lang: str) -> dict[str, str]:
    return {key: gettext(text, lang) for key, text in WORDS.items()}


def _sheet_title(name: str, taken: set[str]) -> str:
    title = _BAD_SHEET_CHARS.sub("-", name).strip("'")[:31] or "Blad"
    base, n = title, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def to_xlsx(sheets: Sequence[Sheet], about: Iterable[tuple[str, str]], lang: str = "nl") -> bytes:
    """A workbook: one sheet per table (bold header, frozen, filter), then "Kolommen"
    with each column's title, variable and description, and the source."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    words = _words(lang)
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    for sheet in sheets:
        ws = book.create_sheet(_sheet_title(sheet.name or words["gegevens"], taken))
        ws.append([_cell(h) for h in sheet.headers])
        for cell in ws[1]:
            cell.font = bold
        for row in sheet.rows:
            ws.append([_cell(v) for v in row])
        ws.freeze_panes = "A2"
        if sheet.headers:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.headers))}{len(sheet.rows) + 1}"
        for i, header in enumerate(sheet.headers, start=1):
            longest = max([len(str(header))] + [len(str(r[i - 1])) for r in sheet.rows[:200]
                                                 if i - 1 < len(r) and r[i - 1] is not None])
            ws.column_dimensions[get_column_letter(i)].width = min(max(10, longest + 2), 60)
    info = book.create_sheet(_sheet_title(words["kolommen"], taken))
    info.append([words["kolom"], words["variabele"], words["beschrijving"]])
    for cell in info[1]:
        cell.font = bold
    for sheet in sheets:
        if len(sheets) > 1:
            info.append([_cell(sheet.name)])
            info.cell(info.max_row, 1).font = bold
        for header, variable, text in zip(sheet.headers, sheet.variables or sheet.headers,
                                          sheet.descriptions or [""] * len(sheet.headers),
                                          strict=False):
            info.append([_cell(header), _cell(variable), _cell(text)])
    info.append([])
    info.append([words["bron"]])
    info.cell(info.max_row, 1).font = bold
    for key, value in about:
        info.append([_cell(key), _cell(value)])
    info.append([words["gemaakt"], datetime.now().replace(microsecond=0).isoformat(sep=" ")])
    info.column_dimensions["A"].width = 28
    info.column_dimensions["B"].width = 28
    info.column_dimensions["C"].width = 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: Any) -> Any:
    """A value as a cell: text never a formula, control characters (which the XLSX format
    cannot hold, e.g. from a search typed with them) shown as U+FFFD."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, (int, float, bool, date)) or value is None:
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))
    return "'" + value if value.startswith("=") else value


def _number_text(value: str) -> bool:
    return bool(re.fullmatch(r"-?\d+(\.\d+)?", value))


def to_excel_csv(sheet: Sheet) -> str:
    """The sheet as CSV for Dutch Excel: BOM, ';', CRLF, decimal commas."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(sheet.headers)
    for row in sheet.rows:
        writer.writerow([_excel_text(v) for v in row])
    return out.getvalue()


def _excel_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "WAAR" if value else "ONWAAR"  # Dutch Excel's own words for true and false
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if _DECIMAL.match(text):
        return text.replace(".", ",")
    if text[:1] in ("=", "+", "-", "@") and not _number_text(text):
        return "'" + text  # Excel would read it as a formula
    return text
