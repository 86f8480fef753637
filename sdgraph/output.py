"""Render query results as a text table, CSV or JSON (shared by CLI and web)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from .store import Table

_NUMERIC = {
    XSD.integer,
    XSD.int,
    XSD.long,
    XSD.decimal,
    XSD.double,
    XSD.float,
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
}


def plain(term: Identifier | None) -> Any:
    """A JSON-friendly value: IRIs and strings as text, numbers as numbers, booleans."""
    if term is None:
        return None
    if isinstance(term, Literal):
        if term.datatype in _NUMERIC:
            value = term.toPython()
            if isinstance(value, Decimal):
                return int(value) if value == value.to_integral_value() else float(value)
            return value if isinstance(value, (int, float)) else str(term)
        if term.datatype == XSD.boolean:
            return term.toPython() if isinstance(term.toPython(), bool) else str(term)
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def text(term: Identifier | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


#: Characters written as \\u escapes in JSON: a downloaded file that is opened or pasted
#: into a web page then carries no markup (labels are data, and data can hold <script>).
_JSON_MARKUP = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def json_text(doc: Any, indent: int | None = 2) -> str:
    """``doc`` as JSON text (UTF-8 characters as they are) without markup characters:
    ``<``, ``>`` and ``&`` are written as ``\\u`` escapes, which any JSON reader reads
    back as the same text. They can only occur inside strings, so this is safe."""
    text = json.dumps(doc, ensure_ascii=False, indent=indent)
    return re.sub(r"[<>&]", lambda m: _JSON_MARKUP[m.group(0)], text)


def to_json(table: Table, meta: Mapping[str, Any] | None = None) -> str:
    doc: dict[str, Any] = dict(meta or {})
    doc["columns"] = table.columns
    doc["rows"] = [
        {c: plain(v) for c, v in zip(table.columns, row, strict=True)} for row in table.rows
    ]
    doc["count"] = len(table.rows)
    return json_text(doc)


def to_csv(table: Table) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([text(v) for v in row])
    return buf.getvalue()


def to_text(table: Table, max_width: int = 60) -> str:
    """A fixed-width table for the terminal; long cells are cut with '…'."""

    def cell(v: Identifier | None) -> str:
        s = text(v).replace("\n", " ")
        return s if len(s) <= max_width else s[: max_width - 1] + "…"

    cells = [[cell(v) for v in row] for row in table.rows]
    widths = [len(c) for c in table.columns]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    line = "  ".join(c.ljust(w) for c, w in zip(table.columns, widths, strict=True))
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    n = len(table.rows)
    footer = f"({n} {'rij' if n == 1 else 'rijen'})"
    return "\n".join([line.rstrip(), rule, *(b.rstrip() for b in body), footer])


def render(table: Table, fmt: str, meta: Mapping[str, Any] | None = None) -> str:
    if fmt == "json":
        return to_json(table, meta)
    if fmt == "csv":
        return to_csv(table)
    if fmt == "table":
        return to_text(table)
    raise ValueError(f"unknown format {fmt!r}")


__all__ = ["plain", "render", "text", "to_csv", "to_json", "to_text", "URIRef"]
