"""The validation gate: load an inventory only when its validation passed.

Loading reuses :meth:`sdgraph.store.Store.load` (parse first, one atomic
update, provenance in graph/meta); nothing else writes. RDF files are loaded
as they are (their own checksum in the provenance); a spreadsheet is loaded as
the Turtle it was converted to, under the spreadsheet's name.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import UserError
from ..store import LoadResult, Source, Store
from .inputs import SPREADSHEETS, Inventory
from .report import Report


def load_validated(
    store: Store,
    sources: list[Source],
    inventory: Inventory,
    report: Report,
    *,
    strict: bool = False,
    graph: str | None = None,
) -> list[LoadResult]:
    """Load ``sources`` when ``report`` passes; refuse (UserError) and write nothing otherwise."""
    if not report.passes(strict):
        raise UserError("the inventory did not pass validation; nothing was loaded")
    title = f"Inventaris {', '.join(s.name for s in sources)} (gevalideerd, peildatum " \
            f"{report.peildatum.isoformat()})"
    if any(Path(s.name).suffix.lower() in SPREADSHEETS for s in sources):
        name = sources[0].name if len(sources) == 1 else "inventaris.ttl"
        return store.load([inventory.source(name, title=title)], graph)
    for source in sources:
        source.title = source.title or title
    return store.load(sources, graph)
