"""Reading the sheets of a filled-in inventory: a workbook (.xlsx) or one CSV file per sheet.

A workbook is a zip: it is refused before openpyxl opens it when it unpacks to
more than :data:`MAX_UNPACKED` bytes or a part is compressed more than
:data:`MAX_RATIO` times (a zip bomb). Every problem is an :class:`Issue` that
names the file (and sheet), in the user's language.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

from ..errors import DataError
from ..store import Source
from .columns import EXPLANATION, LISTS, MAX_ROWS, SHEETS
from .messages import Issue

#: Limits on what a workbook may expand to (a .xlsx is a zip: a small file can unpack to GBs).
MAX_UNPACKED = 50 * 1024 * 1024
MAX_RATIO = 200


class ImportErrors(DataError):
    """Every problem of a spreadsheet import, as text (one line each) and as issues."""

    def __init__(self, issues: list[Issue], lang: str = "nl") -> None:
        self.issues = issues
        self.lang = lang
        super().__init__("\n".join(issue.text(lang) for issue in issues))


def _check_zip(data: bytes, name: str, lang: str) -> None:
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile:
        raise ImportErrors([Issue(name, "not_a_zip")], lang) from None
    total = sum(m.file_size for m in members)
    if total > MAX_UNPACKED:
        raise ImportErrors([Issue(name, "too_big", values={
            "mb": total // 2**20, "max": MAX_UNPACKED // 2**20})], lang)
    for m in members:
        if m.compress_size and m.file_size / m.compress_size > MAX_RATIO:
            raise ImportErrors([Issue(name, "zip_bomb", values={
                "part": m.filename, "ratio": m.file_size // m.compress_size,
                "max": MAX_RATIO})], lang)


def _rows_limited(rows: Iterable, name: str, sheet: str, lang: str) -> list[list[object]]:
    out = []
    for row in rows:
        out.append(list(row))
        if len(out) > MAX_ROWS + 1:
            raise ImportErrors([Issue(name, "too_many_rows", sheet=sheet,
                                      values={"max": MAX_ROWS})], lang)
    return out


def sheet_rows(source: Source, lang: str = "nl") -> dict[str, list[list[object]]]:
    """Sheet name -> rows (row 1 the header) of a workbook or a CSV file."""
    data = source.read()
    if Path(source.name).suffix.lower() == ".csv":
        return _csv_rows(source.name, data, lang)
    from openpyxl import load_workbook

    _check_zip(data, source.name, lang)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ImportErrors([Issue(source.name, "not_a_workbook",
                                  values={"detail": exc})], lang) from None
    out = {}
    try:
        for sheet in book.worksheets:
            if sheet.title in (EXPLANATION, LISTS):
                continue
            out[sheet.title] = _rows_limited(sheet.iter_rows(values_only=True), source.name,
                                             sheet.title, lang)
    except ImportErrors:
        raise
    except Exception as exc:  # a damaged sheet inside a readable zip
        raise ImportErrors([Issue(source.name, "not_a_workbook",
                                  values={"detail": exc})], lang) from None
    return out


def _csv_rows(name: str, data: bytes, lang: str) -> dict[str, list[list[object]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportErrors([Issue(name, "not_utf8", values={"at": exc.start})], lang) from None
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text.strip() else ",",
                                      delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = _rows_limited(csv.reader(io.StringIO(text), dialect), name, "csv", lang)
    except csv.Error as exc:
        raise ImportErrors([Issue(name, "csv_error", values={"detail": exc})], lang) from None
    stem = Path(name).stem.lower()
    sheet = next((s for s, _, _ in SHEETS if s.lower() == stem or stem.endswith(s.lower())),
                 None)
    if sheet is None:
        names = ", ".join(s.lower() + ".csv" for s, _, _ in SHEETS)
        raise ImportErrors([Issue(name, "csv_name", values={"names": names})], lang)
    return {sheet: rows}
