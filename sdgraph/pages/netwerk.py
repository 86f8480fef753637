"""The "spaghetti" network of a gemeente on a peildatum: its lines of cooperation, drawn
per wet, filtered on a wet and/or deelgebied (the sociaal domein by default, all lines on
request); JSON, CSV, GraphML and an offline HTML file. :func:`regio` is the regional
network: the lines of every member gemeente of a regio or GR."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from .. import network, network_lines
from ..cache import VersionedCache, follows_version
from ..identity import slugify
from ..runner import Runner
from .base import Page
from .gemeente import Gemeente
from .query import QueryResult

#: Lines the page's table shows at most. A regional network has thousands (43 gemeenten:
#: 6,245 lines at 1m, a 5.9 MB page); past this the table holds the lines the server's
#: filter chose, the first TABLE_ROWS of them, and the downloads all.
TABLE_ROWS = 500

#: Regional networks built lately (all lines, before the filters), per regio or GR,
#: peildatum, language and members: the page, its drawing (a second request), its
#: downloads and every change of filter (past TABLE_ROWS lines a new request) read one
#: network instead of building it each time. Sized in lines (the largest GR at 1m has
#: 6,245; 3,191 lines hold 8.2 MiB); dropped at every load, as every VersionedCache.
REGIONAAL = VersionedCache(maxsize=16, max_rows=10_000)


@dataclass
class NetwerkPage(Page):
    gemeente: Gemeente | None  # None for a regional network
    result: QueryResult
    graph: nx.MultiDiGraph  # every line of the gemeente
    shown: nx.MultiDiGraph  # the lines of the chosen wet and deelgebied
    wet: str
    deelgebied: str
    lang: str
    params: dict[str, str] = field(default_factory=dict)
    alle: bool = False
    regio: dict[str, str] | None = None  # the regio or GR of a regional network

    view = "netwerk"
    template = "netwerk.html"
    formats = ("json", "csv", "graphml", "html")
    attachments = ("graphml", "html")

    @property
    def peildatum(self) -> str:
        return self.params.get("peildatum") or self.result.params["peildatum"]

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
        subject = self.regio["slug"] if self.regio else self.gemeente.code
        return f"netwerk-{subject}-{self.peildatum}.{fmt}"

    def policy(self, html: str) -> str:
        """Its in-line scripts (vis-network and the drawing) may run, allowed one by one by
        their hashes; nothing else, and nothing from elsewhere."""
        return network.html_csp(html)

    def table(self) -> tuple[list[dict[str, Any]], set[str], int | None]:
        """The table's lines, the ids of those the filters show, and how many lines the
        filters show when the server chose the table's lines (else None). Up to TABLE_ROWS
        lines in all, the table has every line and the page's script hides and shows rows
        as the filters change; past it, the table has the first TABLE_ROWS lines the
        filters show, and a change of filter asks the server again."""
        if self.graph.number_of_edges() <= TABLE_ROWS:
            shown = {f"{u}|{v}|{k}" for u, v, k in self.shown.edges(keys=True)}
            return network.edges(self.graph), shown, None
        rows = network.edges(self.shown)
        return rows[:TABLE_ROWS], {e["id"] for e in rows[:TABLE_ROWS]}, len(rows)

    def context(self) -> dict[str, Any]:
        edges, shown_ids, total = self.table()
        return dict(
            info=self.gemeente.info if self.gemeente else None,
            gemeente=self.gemeente.row if self.gemeente else {},
            code=self.gemeente.code if self.gemeente else "",
            result=self.result, graph=self.graph, shown=self.shown,
            edges=edges, shown_ids=shown_ids, total=total, table_rows=TABLE_ROWS,
            legend=network.legend(self.graph, self.lang),
            node_legend=network.node_legend(self.graph, self.lang),
            wetten=network.options(self.graph, "wet"),
            deelgebieden=network.options(self.graph, "deelgebied"),
            algemeen=sum(1 for _, _, d in self.graph.edges(data=True) if not d["sociaal"]),
            wet=self.wet, deelgebied=self.deelgebied, peildatum=self.peildatum,
            params=self.params, alle=self.alle, regio=self.regio,
            organisaties=sorted(((n, d["label"]) for n, d in self.graph.nodes(data=True)),
                                key=lambda nd: nd[1].casefold()))


def page(run: Runner, gemeente: Gemeente, peildatum: str | None = None, wet: str | None = None,
         deelgebied: str | None = None, alle: bool = False) -> NetwerkPage:
    """The network of ``gemeente``; ``wet`` and ``deelgebied`` (IRIs) choose the lines shown,
    ``alle`` adds the regio's of general indelingen (KvK, ressorten, NUTS ...)."""
    values = {"gemeente": gemeente.code, "peildatum": gemeente.peildatum(peildatum)}
    # the filters are IRIs: the query's typed parameters check them (a UserError)
    run.query("netwerk").bindings({**values, "wet": wet, "deelgebied": deelgebied})
    result = run.result("netwerk", values)
    graph = network.build(result.rows, gemeente=gemeente.iri, lang=run.lang)
    params = dict(result.params)
    params.update({k: v for k, v in (("wet", wet), ("deelgebied", deelgebied)) if v})
    if alle:
        params["alle"] = "1"
    return NetwerkPage(gemeente, result, graph, network.select(graph, wet, deelgebied, alle),
                       wet or "", deelgebied or "", run.lang, params, alle)


def regio(run: Runner, iri: str, peildatum: str | None = None, wet: str | None = None,
          deelgebied: str | None = None, alle: bool = False) -> NetwerkPage:
    """The regional network of the regio or GR ``iri`` (or its name): every member gemeente
    on the peildatum with all its lines, in one drawing."""
    from .matrix import organisatie

    iri = run.resolve("organisatie", iri)
    org = organisatie(run, iri)
    leden = run.result("deelnemers", {"organisatie": iri, "peildatum": peildatum})
    shown_day = leden.params["peildatum"]
    members = tuple((str(row["lid"]), str(row["code"])) for row in leden.rows
                    if row.get("code") is not None)
    naam = str(org.get("naam") or iri)
    soort = "gr" if str(org.get("isGemeenschappelijkeRegeling")) == "true" else "regio"

    def combined() -> tuple[QueryResult, nx.MultiDiGraph, int]:
        """The last member's ``netwerk`` result (the page's query and parameters), the
        regional network and the number of members in it."""
        graphs = {}
        last = leden
        for (lid, _), result in zip(members, _netwerken(run, [c for _, c in members],
                                                        shown_day), strict=True):
            last = result
            graphs[lid] = network.build(result.rows, gemeente=lid, lang=run.lang)
        return last, network.combine(graphs, iri, naam, soort, run.lang), len(graphs)

    if follows_version(run.store):
        # everything combined() reads from outside is in the key: a recomputation after
        # a load (cache.Refresher) stays the answer to it
        key = (iri, shown_day, run.lang, run.query("netwerk").text, members, naam, soort)
        last, graph, count = REGIONAAL.get(run.store, key, combined,
                                           size=lambda found: found[1].number_of_edges())
    else:  # an in-memory store's version does not follow its changes
        last, graph, count = combined()
    params = {"organisatie": iri, "peildatum": shown_day}
    params.update({k: v for k, v in (("wet", wet), ("deelgebied", deelgebied)) if v})
    if alle:
        params["alle"] = "1"
    return NetwerkPage(None, last, graph, network.select(graph, wet, deelgebied, alle),
                       wet or "", deelgebied or "", run.lang, params, alle,
                       {"iri": iri, "naam": naam, "slug": slugify(naam)[:40] or "regio",
                        "leden": str(count)})


def _netwerken(run: Runner, codes: list[str], peildatum: str) -> list[QueryResult]:
    """The ``netwerk`` result of each gemeente of ``codes`` on ``peildatum``: from the
    wie-doet-wat index with one query of each kind for all of them
    (:func:`sdgraph.network_lines.lines`), else one live query per gemeente."""
    query = run.query("netwerk")
    given = [{"gemeente": code, "peildatum": peildatum, "lang": run.lang} for code in codes]
    terms = [query.terms(values) for values in given]
    started = time.perf_counter()
    tables = network_lines.lines(run.store, [t["gemeente"] for t in terms],
                                 terms[0]["peildatum"], run.lang,
                                 library=run.library) if terms else None
    if tables is None:
        return [run.result("netwerk", values) for values in given]
    seconds = (time.perf_counter() - started) / len(terms)
    return [QueryResult(query, tables[t["gemeente"]],
                        {k: str(v) for k, v in t.items() if v is not None},
                        seconds, run.lang, run.labels) for t in terms]
