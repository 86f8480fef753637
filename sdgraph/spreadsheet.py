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
label columns. XlsxWriter writes the workbook: it streams rows into the file's XML
without a cell object per value, half the time of openpyxl for the same sheets (4,150
cells: 32.4 against 57.4 ms, docs/performance.md); openpyxl stays for what must also be
read (the inventory template and its import).
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
    with each column's title, variable and description, and the source. Text is written
    as text (never a formula, a number or a link), dates as dates."""
    import xlsxwriter

    words = _words(lang)
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False,
                                     "strings_to_numbers": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    taken: set[str] = set()

    def write(ws, row: int, values: Sequence[Any], style=None) -> None:
        for column, value in enumerate(values):
            if isinstance(value, str):  # most cells: no other test
                ws.write_string(row, column, _cell(value), style)
            elif value is None:
                if style is not None:
                    ws.write_blank(row, column, None, style)
            elif isinstance(value, bool):
                ws.write_boolean(row, column, value, style)
            elif isinstance(value, (int, float)):
                ws.write_number(row, column, value, style)
            elif isinstance(value, datetime):
                ws.write_datetime(row, column, value, moment)
            elif isinstance(value, date):
                ws.write_datetime(row, column, value, day)
            else:
                ws.write_string(row, column, _cell(value), style)

    for sheet in sheets:
        ws = book.add_worksheet(_sheet_title(sheet.name or words["gegevens"], taken))
        write(ws, 0, sheet.headers, bold)
        for i, row in enumerate(sheet.rows, start=1):
            write(ws, i, row)
        ws.freeze_panes(1, 0)
        if sheet.headers:
            ws.autofilter(0, 0, len(sheet.rows), len(sheet.headers) - 1)
        for i, header in enumerate(sheet.headers):
            longest = max([len(str(header))] + [len(str(r[i])) for r in sheet.rows[:200]
                                                 if i < len(r) and r[i] is not None])
            ws.set_column(i, i, min(max(10, longest + 2), 60))
    info = book.add_worksheet(_sheet_title(words["kolommen"], taken))
    write(info, 0, [words["kolom"], words["variabele"], words["beschrijving"]], bold)
    line = 1
    for sheet in sheets:
        if len(sheets) > 1:
            write(info, line, [sheet.name], bold)
            line += 1
        for header, variable, text in zip(sheet.headers, sheet.variables or sheet.headers,
                                          sheet.descriptions or [""] * len(sheet.headers),
                                          strict=False):
            write(info, line, [header, variable, text])
            line += 1
    line += 1  # an empty row before the source
    write(info, line, [words["bron"]], bold)
    for key, value in about:
        line += 1
        write(info, line, [key, value])
    write(info, line + 1, [words["gemaakt"],
                           datetime.now().replace(microsecond=0).isoformat(sep=" ")])
    info.set_column(0, 1, 28)
    info.set_column(2, 2, 90)
    book.close()
    return out.getvalue()


#: What the XLSX format cannot hold (XML 1.0 forbids these control characters).
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")


def _cell(value: Any) -> Any:
    """A value as a cell: control characters (which the XLSX format cannot hold, e.g.
    from a search typed with them) shown as U+FFFD."""
    if isinstance(value, (int, float, bool, date)) or value is None:
        return value
    value = str(value)
    return value if value.isprintable() else _ILLEGAL.sub("\ufffd", value)


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
