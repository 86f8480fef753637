"""An inventory as a spreadsheet: a template generated from the shapes, and its import.

``write_template`` makes a workbook with one sheet per kind of record (the
columns are the property shapes of its class, in ``sh:order``, headed by their
``sh:name``), drop-down lists for controlled values and known organisations,
and a sheet explaining every column. ``import_sources`` reads such a workbook,
or one CSV file per sheet, back into RDF; every error names sheet, row and
column, and every record remembers its sheet and row for the validation
report.
"""

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
from rdflib.namespace import RDF, RDFS, SH, SKOS, XSD
from rdflib.term import Identifier

from ..errors import DataError
from ..identity import gemeente_iri, slugify
from ..namespaces import ORG, PREFIXES, SD, SDID
from ..queries import bundled_library
from ..store import Source, Store

#: The sheets of an inventory: (sheet name, class, IRI path under sdid:).
SHEETS: list[tuple[str, URIRef, str]] = [
    ("Taakuitvoeringen", SD.Taakuitvoering, "taakuitvoering"),
    ("Lidmaatschappen", SD.Lidmaatschap, "lidmaatschap"),
    ("Overeenkomsten", SD.Overeenkomst, "overeenkomst"),
    ("Mandaten", SD.Mandaat, "mandaat"),
    ("Aanbieders", SD.Aanbieder, "aanbieder"),
]
EXPLANATION = "Toelichting"
LISTS = "Lijsten"
ID = "id"
MAX_ROWS = 1000
_GM = re.compile(r"^(?:GM)?(\d{4})$", re.I)
_DATE_NL = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
ORGANISATIONS = (SD.Gemeente, SD.GemeenschappelijkeRegeling, SD.Regio, SD.Aanbieder,
                 SD.Provincie, SD.Organisatie)


@dataclass
class Column:
    """One column of a sheet: a property shape."""

    name: str
    name_en: str
    path: URIRef
    kind: str  # date, year, decimal, integer, boolean, text, langtext, ref
    datatype: URIRef | None
    required: bool
    single: bool
    description: str
    description_en: str
    targets: list[URIRef] = field(default_factory=list)  # classes a reference may point to
    choices: list[URIRef] = field(default_factory=list)  # sh:in

    @property
    def list_name(self) -> str | None:
        if self.kind == "boolean":
            return None
        if self.choices:
            return self.name
        if self.targets:
            return "/".join(str(t).rsplit("#", 1)[-1] for t in self.targets)
        return None


def _text(graph: Graph, node, prop, lang: str) -> str:
    values = {(v.language or ""): str(v) for v in graph.objects(node, prop)
              if isinstance(v, Literal)}
    return values.get(lang) or values.get("nl") or values.get("") or ""


def columns(shapes: Graph, cls: URIRef) -> list[Column]:
    """The columns of the sheet for ``cls``: its property shapes with an ``sh:order``."""
    found: dict[URIRef, tuple[float, Column]] = {}
    for node_shape in shapes.subjects(SH.targetClass, cls):
        for prop in shapes.objects(node_shape, SH.property):
            order = shapes.value(prop, SH.order)
            path = shapes.value(prop, SH.path)
            if order is None or not isinstance(path, URIRef) or path in found:
                continue
            datatype = shapes.value(prop, SH.datatype)
            targets = list(shapes.objects(prop, SH["class"]))
            or_list = shapes.value(prop, SH["or"])
            if or_list is not None:
                for member in shapes.items(or_list):
                    targets += list(shapes.objects(member, SH["class"]))
            choices = list(shapes.items(shapes.value(prop, SH["in"]))) \
                if shapes.value(prop, SH["in"]) is not None else []
            local = str(datatype).rsplit("#", 1)[-1] if datatype else ""
            if targets or choices or shapes.value(prop, SH.nodeKind) == SH.IRI:
                kind = "ref"
            elif local == "date":
                kind = "date"
            elif local == "gYear":
                kind = "year"
            elif local == "decimal":
                kind = "decimal"
            elif local in ("integer", "nonNegativeInteger"):
                kind = "integer"
            elif local == "boolean":
                kind = "boolean"
            elif local == "string":
                kind = "text"
            else:
                kind = "langtext"
            min_count = shapes.value(prop, SH.minCount)
            max_count = shapes.value(prop, SH.maxCount)
            found[path] = (float(order), Column(
                name=_text(shapes, prop, SH.name, "nl"),
                name_en=_text(shapes, prop, SH.name, "en"),
                path=path,
                kind=kind,
                datatype=datatype,
                required=bool(min_count and int(min_count) > 0),
                single=bool(max_count is not None and int(max_count) == 1),
                description=_text(shapes, prop, SH.description, "nl"),
                description_en=_text(shapes, prop, SH.description, "en"),
                targets=targets,
                choices=[c for c in choices if isinstance(c, URIRef)],
            ))
    return [c for _, c in sorted(found.values(), key=lambda oc: (oc[0], oc[1].name))]


# --------------------------------------------------------------------------- known values


class Known:
    """Labels of the values a reference column accepts: vocabularies and organisations."""

    def __init__(self, base: Graph, store: Store | None = None) -> None:
        self.base = base
        self.by_class: dict[URIRef, list[tuple[str, URIRef]]] = {}
        self.types: dict[URIRef, set[URIRef]] = {}
        #: other names a value is known by (skos:notation, skos:altLabel), lower case
        self.aliases: dict[str, URIRef] = {}
        for node, cls in base.subject_objects(RDF.type):
            if isinstance(node, URIRef) and isinstance(cls, URIRef):
                label = (_text(base, node, SKOS.prefLabel, "nl")
                         or _text(base, node, RDFS.label, "nl"))
                if label and str(cls).startswith(str(SD)):
                    self.by_class.setdefault(cls, []).append((label, node))
                    self.types.setdefault(node, set()).add(cls)
                    for alias in (*base.objects(node, SKOS.notation),
                                  *base.objects(node, SKOS.altLabel)):
                        self.aliases.setdefault(str(alias).lower(), node)
        if store is not None:
            query = bundled_library().get("validatie/organisaties")
            seen: dict[str, int] = {}
            rows = sorted(query.run(store, {}).dicts(),
                          key=lambda r: (str(r["naam"]), str(r["org"])))
            labels = []
            for row in rows:
                label = str(row["naam"]) + (f" ({row['code']})" if row.get("code") else "")
                seen[label] = seen.get(label, 0) + 1
                labels.append((label, row))
            for label, row in labels:
                org = row["org"]
                if seen[label] > 1:  # the same name twice: add the IRI's last part
                    label = f"{label} [{str(org).rstrip('/').rsplit('/', 1)[-1]}]"
                self.by_class.setdefault(row["soort"], []).append((label, org))
                self.types.setdefault(org, set()).add(row["soort"])
        for values in self.by_class.values():
            values.sort()

    def choices(self, column: Column) -> list[tuple[str, URIRef]]:
        if column.choices:
            return [(_text(self.base, c, SKOS.prefLabel, "nl") or str(c), c)
                    for c in column.choices]
        out: dict[URIRef, str] = {}
        for target in column.targets:
            for cls in self._subclasses(target):
                for label, iri in self.by_class.get(cls, []):
                    out.setdefault(iri, label)
        return sorted(((label, iri) for iri, label in out.items()), key=lambda li: li[0])

    def _subclasses(self, target: URIRef) -> set[URIRef]:
        if target == ORG.Organization:
            return set(ORGANISATIONS)
        if target == SD.Arrangement:
            return {SD.GemeenschappelijkeRegeling}
        if target == SD.Samenwerkingsverband:
            return {SD.GemeenschappelijkeRegeling, SD.Samenwerkingsverband}
        return {target}


# --------------------------------------------------------------------------- template


def write_template(target, shapes: Graph, base: Graph, store: Store | None = None,
                   lang: str = "nl") -> None:
    """Write the inventory workbook to ``target`` (a path or a binary stream)."""
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
        "bladen verwijzen ernaar, bijv. 'via' naar een overeenkomst.",
        "Verwijs naar organisaties met hun naam uit de keuzelijst, een GM-code (GM0823) of een "
        "IRI; meerdere waarden in één cel scheid je met ';'. Datums: JJJJ-MM-DD.",
        "Controleer het ingevulde bestand met: sdgraph validate inventaris.xlsx",
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
        headers = [ID] + [c.name for c in cols]
        for j, text in enumerate(headers, start=1):
            cell = sheet.cell(row=1, column=j, value=text)
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True)
            sheet.column_dimensions[get_column_letter(j)].width = 24
        sheet.freeze_panes = "B2"
        explain_rows = [(ID, "ja", "nee", "tekst", "",
                         "Korte unieke naam van de rij; wordt deel van de IRI.", "id",
                         "Short unique name of the row; becomes part of the IRI.")]
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
        for values in explain_rows:
            explain.cell(row=row_no, column=1, value=sheet_name)
            for j, value in enumerate(values, start=2):
                explain.cell(row=row_no, column=j, value=value)
            row_no += 1
    for letter, width in zip("ABCDEFGHI", (18, 24, 10, 10, 14, 24, 70, 24, 70), strict=True):
        explain.column_dimensions[letter].width = width
    book.move_sheet(LISTS, offset=len(book.sheetnames))
    book.save(target)


# --------------------------------------------------------------------------- import


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


def _cell_text(value: object) -> str:
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
        header = [_cell_text(h).lower() for h in (rows[0] if rows else [])]
        if ID not in header:
            continue
        at = header.index(ID)
        for values in rows[1:]:
            key = _cell_text(values[at]) if at < len(values) else ""
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
    header = [_cell_text(h) for h in rows[0]]
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
        cells = {i: _cell_text(values[i]) if i < len(values) else "" for i in mapping}
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
