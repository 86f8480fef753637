"""The validation gate: load an inventory only when its validation passed.

The load itself is :func:`sdgraph.inventory.history.load_inventory`: the
inventory replaces its gemeente's inventory graph as a new version (kept as
history, with the files' names and checksums), in one atomic store load;
nothing else writes.
"""

from __future__ import annotations

from rdflib import URIRef

from ..inventory.history import FileRef, Loaded, load_inventory
from ..store import Source, Store
from .inputs import Inventory
from .report import Report


def load_validated(
    store: Store,
    sources: list[Source],
    inventory: Inventory,
    report: Report,
    *,
    strict: bool = False,
    graph: str | None = None,
    gemeente: URIRef | None = None,
    part: str | None = None,
    by: str = "",
    lang: str = "nl",
) -> Loaded:
    """Load the inventory read from ``sources`` when ``report`` passes; refuse (UserError)
    and write nothing otherwise."""
    files = [FileRef.of(s.name, s.read()) for s in sources]
    return load_inventory(store, inventory, report, files, gemeente=gemeente, part=part,
                          graph=graph, by=by, strict=strict, lang=lang)
