"""An inventory as a spreadsheet: a template generated from the shapes, and its import.

``write_template`` (:mod:`.template`) makes a workbook with one sheet per kind
of record (the columns are the property shapes of its class, :mod:`.columns`),
drop-down lists for controlled values and known organisations
(:mod:`.known`), and a sheet explaining every column. ``import_sources``
(:mod:`.importer`) reads such a workbook, or one CSV file per sheet, back into
RDF; every error names sheet, row and column, and every record remembers its
sheet and row for the validation report.
"""

from .columns import (
    BEVESTIGD,
    BEWIJS,
    EXPLANATION,
    ID,
    LISTS,
    MAX_ROWS,
    SHEETS,
    STATUS,
    Column,
    columns,
)
from .importer import Imported, import_sources
from .known import ORGANISATIONS, Known
from .messages import Issue
from .naming import inventory_gemeente, inventory_graph, record_iri
from .sheets import MAX_RATIO, MAX_UNPACKED, ImportErrors
from .template import write_template

__all__ = [
    "BEVESTIGD",
    "BEWIJS",
    "EXPLANATION",
    "ID",
    "LISTS",
    "MAX_RATIO",
    "MAX_ROWS",
    "MAX_UNPACKED",
    "ORGANISATIONS",
    "SHEETS",
    "STATUS",
    "Column",
    "ImportErrors",
    "Imported",
    "Issue",
    "Known",
    "columns",
    "import_sources",
    "inventory_gemeente",
    "inventory_graph",
    "record_iri",
    "write_template",
]
