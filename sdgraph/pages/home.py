"""The home page and ``sdgraph stats``: what the store holds, graph by graph, with provenance."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from ..derive.dekking import Dekking, dekking
from ..runner import Runner
from ..store import GraphInfo
from .base import Page
from .query import QueryResult


@dataclass
class HomePage(Page):
    statistieken: QueryResult
    graphs: list[GraphInfo]
    backend: str
    store: str
    dekking: Dekking | None = None  # cells per state over all gemeenten today
    params: dict[str, str] = field(default_factory=dict)

    view = "statistieken"
    template = "home.html"
    formats = ("json", "csv", "txt")

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs)

    def to_dict(self) -> dict[str, Any]:
        return {"triples": self.triples, "backend": self.backend,
                "soorten": self.statistieken.to_dict()["rows"],
                "grafen": [asdict(g) for g in self.graphs],
                "dekking": self.dekking.to_dict() if self.dekking else None}

    def to_csv(self) -> str:
        out = io.StringIO()
        fields = list(GraphInfo.__dataclass_fields__)
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(asdict(g) for g in self.graphs)
        return out.getvalue()

    def to_text(self) -> str:
        lines = [self.store, f"{self.triples} triples in total", ""]
        for g in self.graphs:
            loaded = f"  loaded {g.loaded}" if g.loaded else ""
            lines.append(f"{g.triples:>8}  {g.graph}{loaded}")
        lines.append("")
        lines += [f"{int(row['aantal']):>8}  {row['label']}" for row in self.statistieken.rows]
        if self.dekking and self.dekking.gemeenten:
            d = self.dekking
            lines += ["", f"Wie doet wat on {d.peildatum}: {d.gemeenten} gemeenten x "
                      f"{d.vakken_per_gemeente} cells (taak x deelgebied)"]
            lines += [f"{s.vakken:>8}  {s.naam} (in {s.gemeenten} gemeenten; per gemeente "
                      f"min {s.minimum}, median {s.mediaan:g}, max {s.maximum})"
                      for s in d.staten]
        return "\n".join(lines)

    def context(self) -> dict[str, Any]:
        return dict(statistieken=self.statistieken, triples=self.triples, graphs=self.graphs,
                    backend=self.backend, dekking=self.dekking)


def page(run: Runner) -> HomePage:
    """What the store holds, and how much of wie doet wat is known today over all
    gemeenten (a national query, cached per store version)."""
    store = run.store
    return HomePage(run.result("statistieken", {}), store.graphs(), store.backend,
                    store.describe(), dekking(run, date.today().isoformat()))
