"""Read an inventory: RDF files (Turtle, N-Triples, JSON-LD, RDF/XML) or a spreadsheet.

RDF is parsed with the store's own parser (errors name file, line and column);
a spreadsheet (.xlsx) or CSV file is converted by :mod:`sdgraph.inventory`,
which remembers the sheet and row of every record for the report.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Identifier

from ..errors import DataError, UserError
from ..i18n import N_
from ..store import Source
from ..store.base import parse

SPREADSHEETS = (".xlsx", ".csv")


class _IllTypedLiterals(logging.Filter):
    """rdflib logs a traceback for every literal whose text does not fit its datatype
    (``"2015-13-01"^^xsd:date``); the datatype rule of its field reports it to the user."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to convert Literal lexical form")


logging.getLogger("rdflib.term").addFilter(_IllTypedLiterals())
# the same for "abc"^^xsd:boolean, which rdflib reports as a Python warning
warnings.filterwarnings("ignore", message="Parsing weird boolean", category=UserWarning)


@dataclass
class Inventory:
    """The parsed inventory: one graph, the file names, where each record came from, and
    the gemeente whose inventory it is (None when it names none or several)."""

    graph: Graph = field(default_factory=Graph)
    files: list[str] = field(default_factory=list)
    origins: dict[Identifier, str] = field(default_factory=dict)
    gemeente: URIRef | None = None

    def turtle(self) -> bytes:
        return self.graph.serialize(format="turtle").encode("utf-8")

    def source(self, name: str, **meta: str | None) -> Source:
        """A store Source of the whole inventory as Turtle, named after ``name``."""
        return Source(name=name, data=self.turtle(), format=ox.RdfFormat.TURTLE, **meta)


#: How a file that is not readable RDF is reported, per language.
UNREADABLE = N_("{file}: geen leesbaar RDF-bestand: {detail}")
MISSING = N_("{file}: bestand niet gevonden")


def read(sources: Iterable[Source], lang: str = "nl", store=None,
         gemeente: URIRef | None = None) -> Inventory:
    """Parse every source into one inventory; a file that cannot be read raises DataError.

    ``gemeente``: whose inventory it is (default: the only gemeente it names)."""
    from ..inventory import import_sources, inventory_gemeente

    inventory = Inventory()
    sheets = []
    for source in sources:
        inventory.files.append(source.name)
        if source.path is not None and not source.path.is_file():
            raise DataError(MISSING, file=str(source.path))
        if Path(source.name).suffix.lower() in SPREADSHEETS:
            sheets.append(source)  # imported together: rows refer to rows of other sheets
            continue
        try:
            parsed = parse(source)
        except UserError as exc:
            detail = str(exc).split(": ", 1)[-1]
            raise DataError(UNREADABLE, file=source.name, detail=detail) from None
        text = (ox.serialize(parsed.triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode()
        inventory.graph.parse(data=text, format="nt")
    if sheets:
        imported = import_sources(sheets, store=store, lang=lang, gemeente=gemeente)
        inventory.graph += imported.graph
        inventory.origins.update(imported.origins)
    inventory.gemeente = inventory_gemeente(inventory.graph, gemeente)
    return inventory


def read_files(paths: Iterable[str | Path], lang: str = "nl", store=None,
               gemeente: URIRef | None = None) -> Inventory:
    return read([Source.file(p) for p in paths], lang=lang, store=store, gemeente=gemeente)
