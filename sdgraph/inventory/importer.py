"""Reading a filled-in inventory (a workbook, or one CSV file per sheet) back into RDF."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Identifier

from ..errors import DataError
from ..identity import gemeente_iri, slugify
from ..namespaces import ORG, PREFIXES, SD, SDID
from ..store import Source, Store
from .columns import EXPLANATION, ID, LISTS, MAX_ROWS, SHEETS, Column, columns
from .known import Known

_GM = re.compile(r"^(?:GM)?(\d{4})$", re.I)
_DATE_NL = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")


@dataclass
class Imported:
    graph: Graph = field(default_factory=Graph)
    origins: dict[Identifier, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


#: Limits on what a workbook may expand to (a .xlsx is a zip: a small file can unpack to GBs).
MAX_UNPACKED = 50 * 1024 * 1024
MAX_RATIO = 200


def _check_zip(data: bytes, name: str) -> None:
    """Refuse a workbook whose contents unpack to more than MAX_UNPACKED bytes or with a
    member compressed more than MAX_RATIO times (a zip bomb), before openpyxl opens it."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile:
        raise DataError(f"{name}: not a readable .xlsx workbook (not a zip file)") from None
    total = sum(m.file_size for m in members)
    if total > MAX_UNPACKED:
        raise DataError(f"{name}: the workbook unpacks to {total // 2**20} MB; at most "
                        f"{MAX_UNPACKED // 2**20} MB is accepted")
    for m in members:
        if m.compress_size and m.file_size / m.compress_size > MAX_RATIO:
            ratio = m.file_size // m.compress_size
            raise DataError(f"{name}: part {m.filename} is compressed {ratio} times; more than "
                            f"{MAX_RATIO} times is refused (a zip bomb?)")


def _rows_limited(rows: Iterable, name: str, sheet: str) -> list[list[object]]:
    out = []
    for row in rows:
        out.append(list(row))
        if len(out) > MAX_ROWS + 1:
            raise DataError(f"{name}, sheet {sheet}: more than {MAX_ROWS} rows; split the "
                            "inventory over several files")
    return out


def _sheet_rows(source: Source) -> dict[str, list[list[object]]]:
    """Sheet name -> rows (row 1 the header) of a workbook or a CSV file."""
    data = source.read()
    suffix = Path(source.name).suffix.lower()
    if suffix == ".csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DataError(f"{source.name}: not UTF-8 text (byte {exc.start})") from None
        try:
            dialect = csv.Sniffer().sniff(text.splitlines()[0] if text.strip() else ",",
                                          delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        try:
            rows = _rows_limited(csv.reader(io.StringIO(text), dialect), source.name, "csv")
        except csv.Error as exc:
            raise DataError(f"{source.name}: {exc}") from None
        stem = Path(source.name).stem.lower()
        name = next((s for s, _, _ in SHEETS if s.lower() == stem or stem.endswith(s.lower())),
                    None)
        if name is None:
            known = ", ".join(s.lower() + ".csv" for s, _, _ in SHEETS)
            raise DataError(f"{source.name}: the file name does not name a sheet (use {known})")
        return {name: rows}
    from openpyxl import load_workbook

    _check_zip(data, source.name)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise DataError(f"{source.name}: not a readable .xlsx workbook ({exc})") from None
    out = {}
    for sheet in book.worksheets:
        if sheet.title in (EXPLANATION, LISTS):
            continue
        out[sheet.title] = _rows_limited(sheet.iter_rows(values_only=True), source.name,
                                         sheet.title)
    return out


def _celltext_in(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def import_sources(sources: Iterable[Source], store: Store | None = None,
                   base: Graph | None = None, shapes: Graph | None = None,
                   lang: str = "nl") -> Imported:
    """Read workbooks and CSV files into one graph; raise DataError listing every error."""
    from ..validation.engine import base_graph, shapes_graph
    from ..validation.messages import word

    base = base if base is not None else base_graph()
    shapes = shapes if shapes is not None else shapes_graph()
    known = Known(base, store)
    imported = Imported()
    sheets: list[tuple[str, str, URIRef, str, list[list[object]]]] = []
    for source in sources:
        for sheet_name, rows in _sheet_rows(source).items():
            match = next(((s, c, p) for s, c, p in SHEETS if s.lower() == sheet_name.lower()),
                         None)
            if match is None:
                imported.errors.append(f"{source.name}: blad '{sheet_name}' is geen blad van het "
                                       f"sjabloon ({', '.join(s for s, _, _ in SHEETS)})")
                continue
            sheets.append((source.name, *match, rows))
    # first pass: every row's id and IRI, so rows can refer to rows of other sheets
    ids: dict[str, URIRef] = {}
    for _, _sheet, _cls, prefix, rows in sheets:
        header = [_celltext_in(h).lower() for h in (rows[0] if rows else [])]
        if ID not in header:
            continue
        at = header.index(ID)
        for values in rows[1:]:
            key = _celltext_in(values[at]) if at < len(values) else ""
            if key:
                ids.setdefault(key.lower(), _row_iri(key, prefix))
    for file_name, sheet, cls, prefix, rows in sheets:
        _import_sheet(imported, known, ids, columns(shapes, cls), file_name, sheet, cls, prefix,
                      rows, lambda r, s=sheet: word("sheet_row", lang, sheet=s, row=r))
    if imported.errors:
        raise DataError("\n".join(imported.errors))
    return imported


def _row_iri(key: str, prefix: str) -> URIRef:
    if key.startswith(("http://", "https://")):
        return URIRef(key)
    return SDID[f"{prefix}/{'/'.join(slugify(p) for p in key.split('/') if p)}"]


def _import_sheet(imported: Imported, known: Known, ids: dict[str, URIRef], cols: list[Column],
                  file_name: str, sheet: str, cls: URIRef, prefix: str,
                  rows: list[list[object]], origin) -> None:
    if not rows:
        return
    header = [_celltext_in(h) for h in rows[0]]
    by_name = {c.name.lower(): c for c in cols} | {c.name_en.lower(): c for c in cols}
    mapping: dict[int, Column | None] = {}
    for i, name in enumerate(header):
        if not name:
            continue
        if name.lower() == ID:
            mapping[i] = None
        elif name.lower() in by_name:
            mapping[i] = by_name[name.lower()]
        else:
            imported.errors.append(f"{file_name}, blad {sheet}, kolom '{name}': onbekende kolom "
                                   f"(zie het blad {EXPLANATION} van het sjabloon)")
    seen: set[str] = set()
    for number, values in enumerate(rows[1:], start=2):
        cells = {i: _celltext_in(values[i]) if i < len(values) else "" for i in mapping}
        if not any(cells.values()):
            continue
        where = f"{file_name}, blad {sheet}, rij {number}"
        key = next((v for i, v in cells.items() if mapping[i] is None), "") or f"rij-{number}"
        if key.lower() in seen:
            imported.errors.append(f"{where}, kolom 'id': '{key}' komt twee keer voor")
        seen.add(key.lower())
        node = ids.get(key.lower()) or _row_iri(key, prefix)
        imported.graph.add((node, RDF.type, cls))
        imported.origins[node] = origin(number)
        for i, column in mapping.items():
            text = cells[i]
            if column is None or not text:
                continue
            parts = [p.strip() for p in text.split(";")] if not column.single else [text]
            for part in (p for p in parts if p):
                value, error = _convert(part, values[i], column, known, ids)
                if error:
                    imported.errors.append(f"{where}, kolom '{column.name}': {error}")
                elif value is not None:
                    imported.graph.add((node, column.path, value))


def _convert(text: str, raw: object, column: Column, known: Known,
             ids: dict[str, URIRef]) -> tuple[Identifier | None, str | None]:
    kind = column.kind
    if kind == "ref":
        return _reference(text, column, known, ids)
    if kind == "date":
        if isinstance(raw, datetime | date):
            return Literal(raw.strftime("%Y-%m-%d"), datatype=XSD.date), None
        m = _DATE_NL.match(text)
        iso = f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}" if m else text
        try:
            return Literal(date.fromisoformat(iso).isoformat(), datatype=XSD.date), None
        except ValueError:
            return None, f"'{text}' is geen datum (schrijf JJJJ-MM-DD)"
    if kind in ("decimal", "integer", "year"):
        try:
            number = Decimal(text.replace(",", ".")) if isinstance(raw, str) else Decimal(str(raw))
        except InvalidOperation:
            return None, f"'{text}' is geen getal"
        if kind == "decimal":
            return Literal(str(number), datatype=XSD.decimal), None
        if number != number.to_integral_value():
            return None, f"'{text}' is geen geheel getal"
        if kind == "year":
            return Literal(f"{int(number):04d}", datatype=XSD.gYear), None
        return Literal(str(int(number)), datatype=column.datatype or XSD.integer), None
    if kind == "boolean":
        lowered = text.lower()
        if lowered in ("ja", "yes", "true", "waar", "1"):
            return Literal(True), None
        if lowered in ("nee", "no", "false", "onwaar", "0"):
            return Literal(False), None
        return None, f"'{text}' is geen ja of nee"
    if kind == "text":
        return Literal(text), None
    return Literal(text, lang="nl"), None


def _reference(text: str, column: Column, known: Known,
               ids: dict[str, URIRef]) -> tuple[Identifier | None, str | None]:
    if text.startswith(("http://", "https://")):
        return URIRef(text), None
    prefix, sep, rest = text.partition(":")
    if sep and prefix in PREFIXES and rest and " " not in text:
        return URIRef(PREFIXES[prefix] + rest), None
    m = _GM.match(text)
    if m and (SD.Gemeente in column.targets or ORG.Organization in column.targets):
        return gemeente_iri(m.group(1)), None
    if text.lower() in ids:
        return ids[text.lower()], None
    lowered = text.lower()
    choices = known.choices(column)
    for label, iri in choices:
        if label.lower() == lowered or label.lower().split(" (")[0] == lowered:
            return iri, None
    alias = known.aliases.get(lowered)
    if alias is not None and alias in {iri for _, iri in choices}:
        return alias, None
    return None, (f"'{text}' is geen bekende waarde (kies uit de keuzelijst, of geef een code, "
                  "IRI of id)")
