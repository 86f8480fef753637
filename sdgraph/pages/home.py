"""The home page for people (what sdgraph answers, search, national figures: coverage of
the inventories and the baseline, the ten most fragmented gemeenten) and the "Bronnen"
page with every graph's provenance (also ``sdgraph stats``)."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field
from typing import Any

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
    dekking: QueryResult | None = None
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
        return "\n".join(lines)

    def context(self) -> dict[str, Any]:
        dekking = self.dekking.first if self.dekking else None
        top = self.fragmentatie.rows[:TOP] if self.fragmentatie else []
        return dict(statistieken=self.statistieken, triples=self.triples, graphs=self.graphs,
                    backend=self.backend, bronnen=self.bronnen, reference=self.reference,
                    dekking=dekking, fragmentatie=self.fragmentatie, top=top,
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
                "dekking": self.dekking.to_dict()["rows"] if self.dekking else [],
                "fragmentatie": (self.fragmentatie.to_dict()["rows"][:TOP]
                                 if self.fragmentatie else []),
                "soorten": self.statistieken.to_dict()["rows"]}


def page(run: Runner) -> HomePage:
    """The Bronnen page: the store's graphs with their provenance and what they hold."""
    store = run.store
    return HomePage(run.result("statistieken", {}), store.graphs(), store.backend,
                    store.describe(), bronnen=run.result("system/bronnen", {}),
                    reference=has_reference(store))


def home(run: Runner) -> Home:
    """The home page: coverage of the inventories and baseline, the most fragmented
    gemeenten, the counts (all national queries, cached per store version)."""
    store = run.store
    return Home(run.result("statistieken", {}), [], store.backend, "",
                reference=has_reference(store), dekking=run.result("dekking", {}),
                fragmentatie=run.result("fragmentatie", {}))
