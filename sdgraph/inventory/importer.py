"""Reading a filled-in inventory (a workbook, or one CSV file per sheet) back into RDF.

Each row becomes one record, ``sdid:<kind>/<gm-code>/<id>`` (:mod:`.naming`).
A reference cell accepts an IRI, a CURIE, a GM code (gemeenten), the id or the
name of a row on another sheet of a fitting kind (an overeenkomst for ``via``,
an aanbieder for ``uitvoerder``), a name from the drop-down list, or another
name of a listed value. Only reference columns hold several values, separated
by ``;``; text is kept whole. A sheet with the column ``bevestigd (ja/nee/anders)`` (a
template pre-filled with the baseline) is read only in the rows answered ja or anders.
Every problem is an :class:`Issue` naming file,
sheet, row, column and value, with what to write instead; nothing is returned
then.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD
from rdflib.term import Identifier

from ..identity import gemeente_iri
from ..namespaces import ORG, PREFIXES, SD
from ..store import Source, Store
from .columns import ANSWERS, BEVESTIGD, BEWIJS, ID, SHEETS, STATUS, Column, columns
from .known import Known
from .messages import Issue
from .naming import inventory_gemeente, is_gemeente, record_iri
from .sheets import ImportErrors, sheet_rows

_GM = re.compile(r"^(?:GM)?(\d{4})$", re.I)
_DATE_NL = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
_PROVISIONAL = "urn:sdgraph:rij:"
_LABELS = (RDFS.label, SKOS.prefLabel)


@dataclass
class Imported:
    """The records read: one graph, where each came from, and whose inventory it is."""

    graph: Graph = field(default_factory=Graph)
    origins: dict[Identifier, str] = field(default_factory=dict)
    errors: list[Issue] = field(default_factory=list)
    #: the gemeente whose inventory this is (None: not named and not one gemeente)
    gemeente: URIRef | None = None


@dataclass
class _Row:
    file: str
    sheet: str
    cls: URIRef
    prefix: str
    number: int
    cells: dict[int, tuple[str, object]]  # column index -> (text, raw value)
    key: str = ""
    names: list[str] = field(default_factory=list)
    node: URIRef = URIRef(_PROVISIONAL)


@dataclass
class _Sheet:
    file: str
    name: str
    cls: URIRef
    prefix: str
    mapping: dict[int, Column | None]  # column index -> column (None: the id)
    rows: list[_Row]


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def import_sources(sources: Iterable[Source], store: Store | None = None,
                   base: Graph | None = None, shapes: Graph | None = None,
                   lang: str = "nl", gemeente: URIRef | None = None) -> Imported:
    """Read workbooks and CSV files into one graph; raise :class:`ImportErrors` listing every
    problem. ``gemeente``: whose inventory it is (default: the only gemeente it names)."""
    from ..validation.engine import base_graph, shapes_graph

    base = base if base is not None else base_graph()
    shapes = shapes if shapes is not None else shapes_graph()
    known = Known(base, store)
    imported = Imported()
    sheets: list[_Sheet] = []
    sheet_names = ", ".join(s for s, _, _ in SHEETS)
    for source in sources:
        for name, rows in sheet_rows(source, lang).items():
            match = next(((s, c, p) for s, c, p in SHEETS if s.lower() == name.lower()), None)
            if match is None:
                imported.errors.append(Issue(source.name, "not_a_sheet", value=name,
                                             values={"sheets": sheet_names}))
                continue
            sheets.append(_read_sheet(imported, source.name, *match, rows, shapes))
    rows = [row for sheet in sheets for row in sheet.rows]
    for i, row in enumerate(rows):
        row.node = URIRef(f"{_PROVISIONAL}{i}")
    for sheet in sheets:
        for row in sheet.rows:
            _convert_row(imported, sheet, row, rows, known, base)
    if imported.errors:
        order = {name: i for i, name in enumerate(dict.fromkeys(i.file for i in imported.errors))}
        imported.errors.sort(key=lambda i: (order[i.file], i.sheet, i.row or 0))
        raise ImportErrors(imported.errors, lang)
    imported.gemeente = inventory_gemeente(imported.graph, gemeente)
    _name_records(imported, rows, lang)
    return imported


def _read_sheet(imported: Imported, file: str, sheet: str, cls: URIRef, prefix: str,
                rows: list[list[object]], shapes: Graph) -> _Sheet:
    cols = columns(shapes, cls)
    header = [cell_text(h) for h in (rows[0] if rows else [])]
    by_name = {c.name.lower(): c for c in cols} | {c.name_en.lower(): c for c in cols}
    mapping: dict[int, Column | None] = {}
    answer: int | None = None  # the column BEVESTIGD of a template pre-filled with a baseline
    for i, name in enumerate(header):
        if not name:
            continue
        if name.lower() == BEVESTIGD:
            answer = i
        elif name.lower() in (STATUS, BEWIJS):
            continue  # what the baseline said about the row: not read
        elif name.lower() == ID:
            mapping[i] = None
        elif name.lower() in by_name:
            mapping[i] = by_name[name.lower()]
        else:
            imported.errors.append(Issue(file, "unknown_column", sheet=sheet, row=1,
                                         column=name, value=name))
    out = _Sheet(file, sheet, cls, prefix, mapping, [])
    seen: set[str] = set()
    for number, values in enumerate(rows[1:], start=2):
        cells = {i: (cell_text(values[i]) if i < len(values) else "",
                     values[i] if i < len(values) else None) for i in mapping}
        if not any(text for text, _ in cells.values()):
            continue
        if answer is not None:  # only rows answered ja or anders become inventory
            said = cell_text(values[answer]).lower() if answer < len(values) else ""
            if said not in ANSWERS:
                imported.errors.append(Issue(file, "not_an_answer", sheet=sheet, row=number,
                                             column=BEVESTIGD, value=said))
                continue
            if not ANSWERS[said]:
                continue
        row = _Row(file, sheet, cls, prefix, number, cells)
        row.key = next((t for i, (t, _) in cells.items() if mapping[i] is None), "")
        if row.key and row.key.lower() in seen:
            imported.errors.append(Issue(file, "duplicate_id", sheet=sheet, row=number,
                                         column=ID, value=row.key))
        seen.add(row.key.lower())
        row.names = [cells[i][0] for i, c in mapping.items()
                     if c is not None and c.path in _LABELS and cells[i][0]]
        out.rows.append(row)
    return out


def _convert_row(imported: Imported, sheet: _Sheet, row: _Row, rows: list[_Row], known: Known,
                 base: Graph) -> None:
    imported.graph.add((row.node, RDF.type, row.cls))
    for i, column in sheet.mapping.items():
        text, raw = row.cells[i]
        if column is None or not text:
            continue
        parts = [p.strip() for p in text.split(";")] \
            if column.kind == "ref" and not column.single else [text]
        for part in (p for p in parts if p):
            value, issue, values = _convert(part, raw, column, known, rows, base)
            if issue:
                imported.errors.append(Issue(row.file, issue, sheet=row.sheet, row=row.number,
                                             column=column.name, value=part, values=values))
            elif value is not None:
                imported.graph.add((row.node, column.path, value))


def _name_records(imported: Imported, rows: list[_Row], lang: str) -> None:
    """Give every row its IRI (under its gemeente) and remember its sheet and row."""
    from ..validation.messages import word

    graph = imported.graph
    taken: set[URIRef] = set()
    final: dict[URIRef, URIRef] = {}
    for row in rows:
        gemeente = imported.gemeente
        if row.cls == SD.Taakuitvoering:
            own = next((g for g in graph.objects(row.node, SD.gemeente) if is_gemeente(g)), None)
            gemeente = own or gemeente
        key = row.key or _derived_key(row, graph)
        node = record_iri(row.prefix, key, gemeente)
        if not row.key:  # a key made from the row's values: make it unique
            n = 2
            while node in taken:
                node = record_iri(row.prefix, f"{key}-{n}", gemeente)
                n += 1
        taken.add(node)
        final[row.node] = node
    renamed = Graph()
    for s, p, o in graph:
        renamed.add((final.get(s, s), p, final.get(o, o) if isinstance(o, URIRef) else o))
    imported.graph = renamed
    for row in rows:
        imported.origins[final[row.node]] = word("sheet_row", lang, sheet=row.sheet,
                                                 row=row.number)


def _derived_key(row: _Row, graph: Graph) -> str:
    """A stable key for a row without an id: taak/deelgebied of a taakuitvoering, else its
    name, else its row number."""
    if row.cls == SD.Taakuitvoering:
        parts = [str(graph.value(row.node, p)).rstrip("/").rsplit("/", 1)[-1]
                 for p in (SD.taak, SD.deelgebied) if graph.value(row.node, p) is not None]
        if parts:
            return "/".join(parts)
    if row.names:
        return row.names[0]
    return f"rij-{row.number}"


def _convert(text: str, raw: object, column: Column, known: Known, rows: list[_Row],
             base: Graph) -> tuple[Identifier | None, str | None, dict]:
    """A cell's value as an RDF term, or the key of the problem (and its values)."""
    kind = column.kind
    if kind == "ref":
        return _reference(text, column, known, rows, base)
    if kind == "date":
        if isinstance(raw, datetime | date):
            return Literal(raw.strftime("%Y-%m-%d"), datatype=XSD.date), None, {}
        m = _DATE_NL.match(text)
        iso = f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}" if m else text
        try:
            return Literal(date.fromisoformat(iso).isoformat(), datatype=XSD.date), None, {}
        except ValueError:
            return None, "not_a_date", {}
    if kind in ("decimal", "integer", "year"):
        number = _number(text, raw)
        if number is None:
            return None, "not_a_number", {}
        if kind == "decimal":
            return Literal(str(number), datatype=XSD.decimal), None, {}
        if number != number.to_integral_value():
            return None, "not_a_year" if kind == "year" else "not_whole", {}
        if kind == "year":
            return Literal(f"{int(number):04d}", datatype=XSD.gYear), None, {}
        return Literal(str(int(number)), datatype=column.datatype or XSD.integer), None, {}
    if kind == "boolean":
        lowered = text.lower()
        if lowered in ("ja", "yes", "true", "waar", "1"):
            return Literal(True), None, {}
        if lowered in ("nee", "no", "false", "onwaar", "0"):
            return Literal(False), None, {}
        return None, "not_boolean", {}
    if kind == "text":
        return Literal(text), None, {}
    return Literal(text, lang="nl"), None, {}


def _number(text: str, raw: object) -> Decimal | None:
    """A number as written in a cell: '14,5', '14.5', '14,5%', '€ 420.000,50', 420000.5."""
    if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        return Decimal(str(raw))
    plain = text.replace("€", "").replace("%", "").replace(" ", "").replace("\u00a0", "")
    if "," in plain and "." in plain:  # Dutch thousands: 420.000,50
        plain = plain.replace(".", "").replace(",", ".")
    elif plain.count(",") == 1:
        plain = plain.replace(",", ".")
    try:
        number = Decimal(plain)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _fits(cls: URIRef, column: Column, known: Known, base: Graph) -> bool:
    """Whether a row of class ``cls`` may be the value of ``column``."""
    if not column.targets:
        return False
    supers = {cls, *base.transitive_objects(cls, RDFS.subClassOf)}
    return any(t in supers or cls in known.subclasses(t) for t in column.targets)


def _reference(text: str, column: Column, known: Known, rows: list[_Row],
               base: Graph) -> tuple[Identifier | None, str | None, dict]:
    if text.startswith(("http://", "https://")):
        return URIRef(text), None, {}
    prefix, sep, rest = text.partition(":")
    if sep and prefix in PREFIXES and rest and " " not in text:
        return URIRef(PREFIXES[prefix] + rest), None, {}
    m = _GM.match(text)
    if m and (SD.Gemeente in column.targets or ORG.Organization in column.targets):
        return gemeente_iri(m.group(1)), None, {}
    lowered = text.lower()
    fitting = [r for r in rows if _fits(r.cls, column, known, base)]
    by_id = [r for r in fitting if r.key and r.key.lower() == lowered]
    if by_id:
        return by_id[0].node, None, {}
    by_name = [r for r in fitting if any(n.lower() == lowered for n in r.names)]
    if len(by_name) > 1:
        ids = ", ".join(f"{r.sheet} {r.key or r.number}" for r in by_name)
        return None, "ambiguous_name", {"ids": ids}
    if by_name:
        return by_name[0].node, None, {}
    choices = known.choices(column)
    for label, iri in choices:
        if label.lower() == lowered or label.lower().split(" (")[0] == lowered:
            return iri, None, {}
    alias = known.aliases.get(lowered)
    if alias is not None and alias in {iri for _, iri in choices}:
        return alias, None, {}
    return None, "unknown_value", {}


__all__ = ["ImportErrors", "Imported", "cell_text", "import_sources"]
