"""The page of one IRI (``/resource``, ``/id/...``): its triples in both directions, the
first :data:`PAGE_ROWS` of them with the names of their property and value.

The page reads the triples without names (``system/triples``), in the order of the named
query ``resource``, and names only the rows it shows, in one lookup (``system/labels``).
The named query ``resource`` is the page's download: every row, each with its names.
Naming every row in the query cost most of the page: 63 of 82 ms for a gemeente's 1,943
rows at 5M triples, of which the page shows 250.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Identifier

from ..output import plain
from ..runner import Runner
from .base import Page

#: Rows the page shows (its downloads have all): a gemeente's IRI has 700-2,000 (every
#: taakuitvoering names it), and each row is two links (about 0.1 ms apiece).
PAGE_ROWS = 250
#: The properties whose values name the IRI itself (the page's title).
LABELS = {str(RDFS.label), str(SKOS.prefLabel)}


@dataclass
class ResourcePage(Page):
    """One IRI's triples: how many there are, and the first ones with names. Its downloads
    are the named query ``resource`` (every row) and the IRI's RDF (``beschrijving``)."""

    uri: str
    #: The IRI's own name (in the page's language, else Dutch, else without language,
    #: else any), None when it has none.
    label: Literal | None
    count: int
    #: The rows shown: richting ("uit"/"in"), eigenschap, waarde, graaf, and the names
    #: eigenschapNaam and waardeNaam (None when the IRI has none, or the value is no IRI).
    rows: list[dict[str, Identifier | str | None]]
    params: dict[str, str] = field(default_factory=dict)

    view = "resource"
    template = "resource.html"
    formats = ()

    @property
    def truncated(self) -> bool:
        return self.count > len(self.rows)

    def to_dict(self) -> dict[str, Any]:
        return {"uri": self.uri, "label": plain(self.label), "count": self.count,
                "rows": [{k: plain(v) for k, v in row.items()} for row in self.rows]}

    def context(self) -> dict[str, Any]:
        return {"page": self}


def best_label(labels: list[Literal], lang: str) -> Literal | None:
    """The label in ``lang``, else Dutch, else one without language, else any."""
    for wanted in (lang, "nl", None):
        for label in labels:
            if getattr(label, "language", None) == wanted:
                return label
    return labels[0] if labels else None


def resource(runner: Runner, uri: str, shown: int = PAGE_ROWS) -> ResourcePage | None:
    """The page of ``uri``; None when the store says nothing about it."""
    table = runner.query("system/triples").run(runner.store, {"uri": uri})
    if not len(table):
        return None
    every = table.dicts()
    label = best_label([r["waarde"] for r in every if str(r["richting"]) == "uit"
                        and str(r["eigenschap"]) in LABELS], runner.lang)
    rows = every[:shown]
    names = runner.labels({r["eigenschap"] for r in rows}
                          | {r["waarde"] for r in rows if isinstance(r["waarde"], URIRef)})
    for row in rows:
        row["eigenschapNaam"] = names.get(str(row["eigenschap"]))
        row["waardeNaam"] = (names.get(str(row["waarde"]))
                             if isinstance(row["waarde"], URIRef) else None)
    return ResourcePage(uri, label, len(table), rows, {"uri": uri})
