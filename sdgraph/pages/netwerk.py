"""The "spaghetti" network of a gemeente on a peildatum: its lines of cooperation, drawn
per wet, filtered on a wet and/or deelgebied; JSON, CSV, GraphML and an offline HTML file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from .. import network
from ..runner import Runner
from .base import Page
from .gemeente import Gemeente
from .query import QueryResult


@dataclass
class NetwerkPage(Page):
    gemeente: Gemeente
    result: QueryResult
    graph: nx.MultiDiGraph  # every line of the gemeente
    shown: nx.MultiDiGraph  # the lines of the chosen wet and deelgebied
    wet: str
    deelgebied: str
    lang: str
    params: dict[str, str] = field(default_factory=dict)

    view = "netwerk"
    template = "netwerk.html"
    formats = ("json", "csv", "graphml", "html")
    attachments = ("graphml", "html")
    html_policy = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
                   "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")

    @property
    def peildatum(self) -> str:
        return self.result.params["peildatum"]

    def to_dict(self) -> dict[str, Any]:
        return {"query": "netwerk", **network.to_data(self.shown)}

    def to_csv(self) -> str:
        return network.to_csv(self.shown)

    def to_text(self) -> str:
        return (f"{self.shown.number_of_nodes()} organisations, "
                f"{self.shown.number_of_edges()} lines")

    def render(self, fmt: str) -> str:
        if fmt == "graphml":
            return network.to_graphml(self.shown)
        words = network.export_words(self.lang)
        return network.to_html(self.shown, subtitle=words["peildatum"].format(
            datum=self.peildatum))

    def filename(self, fmt: str) -> str:
        return f"netwerk-{self.gemeente.code}-{self.peildatum}.{fmt}"

    def context(self) -> dict[str, Any]:
        shown_ids = {e["id"] for e in network.edges(self.shown)}
        return dict(
            info=self.gemeente.info, gemeente=self.gemeente.row, code=self.gemeente.code,
            result=self.result, graph=self.graph, shown=self.shown,
            edges=network.edges(self.graph), shown_ids=shown_ids,
            legend=network.legend(self.graph, self.lang),
            wetten=network.options(self.graph, "wet"),
            deelgebieden=network.options(self.graph, "deelgebied"),
            wet=self.wet, deelgebied=self.deelgebied, peildatum=self.peildatum,
            params=self.params)


def page(run: Runner, gemeente: Gemeente, peildatum: str | None = None, wet: str | None = None,
         deelgebied: str | None = None) -> NetwerkPage:
    """The network of ``gemeente``; ``wet`` and ``deelgebied`` (IRIs) choose the lines shown."""
    values = {"gemeente": gemeente.code, "peildatum": gemeente.peildatum(peildatum)}
    # the filters are IRIs: the query's typed parameters check them (a UserError)
    run.query("netwerk").bindings({**values, "wet": wet, "deelgebied": deelgebied})
    result = run.result("netwerk", values)
    graph = network.build(result.rows, gemeente=gemeente.iri, lang=run.lang)
    params = dict(result.params)
    params.update({k: v for k, v in (("wet", wet), ("deelgebied", deelgebied)) if v})
    return NetwerkPage(gemeente, result, graph, network.select(graph, wet, deelgebied),
                       wet or "", deelgebied or "", run.lang, params)
