"""Read an inventory: RDF files (Turtle, N-Triples, JSON-LD, RDF/XML) or a spreadsheet.

RDF is parsed with the store's own parser (errors name file, line and column);
a spreadsheet (.xlsx) or CSV file is converted by :mod:`sdgraph.inventory`,
which remembers the sheet and row of every record for the report.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Identifier

from ..store import Source
from ..store.base import parse

SPREADSHEETS = (".xlsx", ".csv")


class _IllTypedLiterals(logging.Filter):
    """rdflib logs a traceback for every literal whose text does not fit its datatype
    (``"2015-13-01"^^xsd:date``); the datatype rule of its field reports it to the user."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to convert Literal lexical form")


logging.getLogger("rdflib.term").addFilter(_IllTypedLiterals())


@dataclass
class Inventory:
    """The parsed inventory: one graph, the file names, and where each record came from."""

    graph: Graph = field(default_factory=Graph)
    files: list[str] = field(default_factory=list)
    origins: dict[Identifier, str] = field(default_factory=dict)

    def turtle(self) -> bytes:
        return self.graph.serialize(format="turtle").encode("utf-8")

    def source(self, name: str, **meta: str | None) -> Source:
        """A store Source of the whole inventory as Turtle, named after ``name``."""
        return Source(name=name, data=self.turtle(), format=ox.RdfFormat.TURTLE, **meta)


def read(sources: Iterable[Source], lang: str = "nl", store=None) -> Inventory:
    """Parse every source into one inventory; a file that cannot be read raises DataError."""
    inventory = Inventory()
    sheets = []
    for source in sources:
        inventory.files.append(source.name)
        if Path(source.name).suffix.lower() in SPREADSHEETS:
            sheets.append(source)  # imported together: rows refer to rows of other sheets
            continue
        parsed = parse(source)
        text = (ox.serialize(parsed.triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode()
        inventory.graph.parse(data=text, format="nt")
    if sheets:
        from ..inventory import import_sources

        imported = import_sources(sheets, store=store, lang=lang)
        inventory.graph += imported.graph
        inventory.origins.update(imported.origins)
    return inventory


def read_files(paths: Iterable[str | Path], lang: str = "nl", store=None) -> Inventory:
    return read([Source.file(p) for p in paths], lang=lang, store=store)
