"""The home page for people (what sdgraph answers, search, national figures: coverage of
the inventories and the baseline, the ten most fragmented gemeenten) and the "Bronnen"
page with every graph's provenance (also ``sdgraph stats``)."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from ..derive.dekking import Dekking, dekking
from ..graphs import has_reference
from ..runner import Runner
from ..store import GraphInfo
from .base import Page
from .query import QueryResult

#: How many gemeenten the home page's fragmentation ranking shows.
TOP = 10


@dataclass
class HomePage(Page):
    """The store's contents and provenance (the Bronnen page, ``sdgraph stats``); the
    home page adds the national figures."""

    statistieken: QueryResult
    graphs: list[GraphInfo]
    backend: str
    store: str
    params: dict[str, str] = field(default_factory=dict)
    bronnen: QueryResult | None = None
    reference: bool = False
    dekking: Dekking | None = None  # cells per state over all gemeenten today
    fragmentatie: QueryResult | None = None

    view = "statistieken"
    template = "bronnen.html"
    formats = ("json", "csv", "txt")

    def graph_records(self) -> list[dict[str, Any]]:
        """The graphs with their file names only (no folders of this machine)."""
        return [{**asdict(g), "source": _file_names(g.source)} for g in self.graphs]

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs)

    def to_dict(self) -> dict[str, Any]:
        return {"triples": self.triples, "backend": self.backend,
                "soorten": self.statistieken.to_dict()["rows"],
                "grafen": self.graph_records()}

    def to_csv(self) -> str:
        out = io.StringIO()
        fields = list(GraphInfo.__dataclass_fields__)
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.graph_records())
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
        top = self.fragmentatie.rows[:TOP] if self.fragmentatie else []
        return dict(statistieken=self.statistieken, triples=self.triples, graphs=self.graphs,
                    backend=self.backend, bronnen=self.bronnen, reference=self.reference,
                    dekking=self.dekking, fragmentatie=self.fragmentatie, top=top,
                    counts={str(r["klasse"]).rsplit("#", 1)[-1]: int(r["aantal"])
                            for r in self.statistieken.rows})


def _file_names(source: str | None) -> str | None:
    """'/home/x/data/a.ttl, /home/x/b.ttl' -> 'a.ttl, b.ttl'."""
    if not source:
        return source
    return ", ".join(part.strip().replace("\\", "/").rsplit("/", 1)[-1]
                     for part in source.split(","))


class Home(HomePage):
    view = "start"
    template = "home.html"
    formats = ("json",)

    def to_dict(self) -> dict[str, Any]:
        return {"referentiegraaf": self.reference,
                "dekking": self.dekking.to_dict() if self.dekking else None,
                "fragmentatie": (self.fragmentatie.to_dict()["rows"][:TOP]
                                 if self.fragmentatie else []),
                "soorten": self.statistieken.to_dict()["rows"]}


def page(run: Runner) -> HomePage:
    """The Bronnen page: the store's graphs with their provenance and what they hold (and,
    for ``sdgraph stats``, how much of wie doet wat is known today)."""
    store = run.store
    # both read graph/meta, which every load changes; the load stores them
    # (``# cache: store-version``, sdgraph.materialise), so a visitor reads one text each
    graphs = store.graphs(run.query("system/graphs").run(store).dicts())
    return HomePage(run.result("statistieken", {}), graphs, store.backend,
                    store.describe(), bronnen=run.result("system/bronnen", {}),
                    reference=has_reference(store),
                    dekking=dekking(run, date.today().isoformat()))


def home(run: Runner) -> Home:
    """The home page: how much of wie doet wat is known today over all gemeenten (cells
    per state), the most fragmented gemeenten, the counts (all national queries, cached
    per store version)."""
    store = run.store
    return Home(run.result("statistieken", {}), [], store.backend, "",
                reference=has_reference(store), dekking=dekking(run, date.today().isoformat()),
                fragmentatie=run.result("fragmentatie", {}))
