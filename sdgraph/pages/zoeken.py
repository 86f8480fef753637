"""Search results: everything whose name (or code) resembles what was typed, best first
(core: :mod:`sdgraph.search`); one hit is the page to open."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import search
from ..runner import Runner
from .base import Page

#: What the ``soort`` parameter may ask for: one kind, the organisations, or all.
SOORTEN: dict[str, tuple[str, ...]] = {
    **{kind: (kind,) for kind in search.KINDS},
    "alles": search.KINDS, "organisatie": search.ORGANISATIES,
}


@dataclass
class ZoekPage(Page):
    query: str
    soort: str
    hits: list[search.Hit]
    single: search.Entry | None
    link: Callable[[search.Entry], str] | None = None  # the web's URL of an entry
    kind_names: dict[str, str] = field(default_factory=dict)  # kinds in the page's language
    params: dict[str, str] = field(default_factory=dict)

    view = "zoeken"
    template = "zoeken.html"
    formats = ("json", "csv", "txt")

    @property
    def suggestion(self) -> bool:
        """True when nothing matched exactly (the hits are what may have been meant)."""
        return bool(self.hits) and not any(h.exact for h in self.hits)

    def _record(self, hit: search.Hit) -> dict[str, Any]:
        record = hit.to_dict()
        if self.link is not None:
            record["url"] = self.link(hit.entry)
        if hit.entry.kind in self.kind_names:
            record["soortNaam"] = self.kind_names[hit.entry.kind]
        return record

    def to_dict(self) -> dict[str, Any]:
        return {"hits": [self._record(h) for h in self.hits], "count": len(self.hits),
                "single": self.single.iri if self.single else None}

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["naam", "soort", "code", "context", "geldigTot", "iri", "score"])
        for h in self.hits:
            e = h.entry
            writer.writerow([e.label, e.kind, e.code, e.context, e.ended, e.iri,
                             f"{h.score:.1f}"])
        return out.getvalue()

    def to_text(self) -> str:
        lines = [f"{h.entry.label}  [{h.entry.kind}] {h.entry.gm_code or h.entry.code}  "
                 f"{h.entry.context}  {h.entry.iri}" for h in self.hits]
        return "\n".join(lines) or "(no hits)"

    def context(self) -> dict[str, Any]:
        return dict(zoek=self.query, soort=self.soort, hits=self.hits,
                    suggestion=self.suggestion, link=self.link)


def page(run: Runner, query: str, soort: str | None = None, limit: int = 25,
         link: Callable[[search.Entry], str] | None = None,
         kind_names: dict[str, str] | None = None) -> ZoekPage:
    """The hits for ``query`` among ``soort`` (a key of :data:`SOORTEN`, default all)."""
    soort = soort if soort in SOORTEN else "alles"
    kinds = SOORTEN[soort]
    query = (query or "").strip()
    index = search.index(run)
    hits = index.search(query, kinds, limit=limit) if query else []
    single = index.single(query, kinds) if query else None
    return ZoekPage(query, soort, hits, single, link, dict(kind_names or {}),
                    {"q": query, "soort": soort, "limit": str(limit)})
