"""Scenario comparison and the network before and after one scenario, as pages.

:func:`select` turns a choice of bundled scenarios and an own YAML scenario into
scenarios (the web's form; the CLI reads files), :func:`impacts` computes their
impact once per store version, scenario content and language (the one
:class:`~sdgraph.cache.VersionedCache`), and the pages render them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from .. import network
from ..cache import VersionedCache
from ..errors import UserError
from ..i18n import N_
from ..queries import QueryLibrary
from ..scenario import Impact, Scenario, Vergelijking, report, vergelijk
from ..scenario import impacts as compute_impacts
from ..scenario.model import bundled, bundled_file, from_graph, from_yaml, load, with_overrides
from ..store import Store
from .base import Page

#: At most this many scenarios in one comparison, and this many characters of own YAML.
MAX_SCENARIOS = 8
MAX_YAML = 20_000

#: Impacts per store (until its version changes), scenario contents and language.
IMPACTS = VersionedCache(maxsize=16)


def choices(lang: str = "nl") -> list[dict[str, str]]:
    """The bundled scenarios a user can pick: id, name, gemeente, peildatum, example."""
    out = []
    for ident, path in bundled().items():
        for s in load(path, name=f"{ident}{path.suffix}"):  # no server path in messages
            out.append({"id": ident, "naam": s.naam(lang),
                        "gemeente": s.gemeente.rsplit("/", 1)[-1].upper(),
                        "peildatum": s.peildatum.isoformat(),
                        "voorbeeld": ident.split("/", 1)[0]})
    return out


def select(ids: list[str], yaml_text: str = "", gemeente: str | None = None,
           peildatum: str | None = None, own_name: str = "eigen scenario") -> list[Scenario]:
    """The bundled scenarios ``ids`` and an own YAML scenario, for ``gemeente`` and
    ``peildatum`` when given."""
    if len(yaml_text) > MAX_YAML:
        raise UserError(N_("Het eigen scenario is te lang (meer dan {n} tekens)."), n=MAX_YAML)
    scenarios: list[Scenario] = []
    for ident in dict.fromkeys(ids):
        path = bundled_file(ident)
        scenarios += load(path, name=f"{ident}{path.suffix}")  # no server path in messages
    if yaml_text:
        scenarios += from_graph(from_yaml(yaml_text, "eigen-scenario.yaml"), own_name)
    if not scenarios:
        raise UserError(N_("Kies ten minste één scenario."))
    if len(scenarios) > MAX_SCENARIOS:
        raise UserError(N_("Vergelijk hoogstens {n} scenario's tegelijk."), n=MAX_SCENARIOS)
    if len({s.iri for s in scenarios}) < len(scenarios):
        raise UserError(N_("Een scenario is twee keer gekozen."))
    return [with_overrides(s, gemeente or None, peildatum or None) for s in scenarios]


def impacts(store: Store, scenarios: list[Scenario], lang: str = "nl",
            library: QueryLibrary | None = None) -> list[Impact]:
    """The impact of each scenario, kept until the store changes."""
    key = (lang, tuple((s.iri, s.gemeente, s.peildatum, s.besluitdatum,
                        s.graph.serialize(format="nt"), s.feiten.serialize(format="nt"))
                       for s in scenarios))
    return IMPACTS.get(store, key, lambda: compute_impacts(store, scenarios, lang, library))


@dataclass
class VergelijkingPage(Page):
    """Scenarios compared: the matrix, the criteria with formulas, the ranking."""

    v: Vergelijking
    lang: str
    params: dict[str, str] = field(default_factory=dict)

    view = "scenariovergelijking"
    template = "scenario_vergelijk.html"
    formats = ("json", "csv", "txt", "html", "md")
    attachments = ("html", "md")

    def to_dict(self) -> dict[str, Any]:
        return report.to_dict(self.v, self.lang)

    def envelope(self) -> dict[str, Any]:
        return self.to_dict()  # the report's own JSON, as the CLI writes it

    def to_csv(self) -> str:
        return report.to_csv(self.v, self.lang)

    def to_text(self) -> str:
        return report.to_text(self.v, self.lang, details=True)

    def render(self, fmt: str) -> str:
        return report.to_html(self.v, self.lang) if fmt == "html" else \
            report.to_markdown(self.v, self.lang)

    def context(self) -> dict[str, Any]:
        return dict(v=self.v)


def compare(store: Store, scenarios: list[Scenario], weights: dict[str, float] | None = None,
            lang: str = "nl", library: QueryLibrary | None = None) -> VergelijkingPage:
    return VergelijkingPage(vergelijk(impacts(store, scenarios, lang, library), weights), lang)


@dataclass
class NetwerkVoorNa(Page):
    """One scenario's network before and after: the lines that go, come and stay."""

    imp: Impact
    params: dict[str, str] = field(default_factory=dict)

    view = "scenario-netwerk"
    template = "scenario_netwerk.html"
    formats = ("json",)

    @property
    def voor(self) -> nx.MultiDiGraph:
        return self.imp.netwerk_voor

    @property
    def na(self) -> nx.MultiDiGraph:
        return self.imp.netwerk_na

    def diff(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
        """(lines that end, lines that start, number of lines that stay)."""
        before = {e["id"]: e for e in network.edges(self.voor)}
        after = {e["id"]: e for e in network.edges(self.na)}
        return ([before[k] for k in before if k not in after],
                [after[k] for k in after if k not in before],
                len([k for k in before if k in after]))

    def to_dict(self) -> dict[str, Any]:
        return {"scenario": self.imp.scenario.iri, "peildatum": self.imp.peildatum,
                "voor": network.to_data(self.voor), "na": network.to_data(self.na)}

    def envelope(self) -> dict[str, Any]:
        return self.to_dict()

    def context(self) -> dict[str, Any]:
        weg, nieuw, gebleven = self.diff()
        return dict(imp=self.imp, weg=weg, nieuw=nieuw, gebleven=gebleven,
                    voor_data=network.to_data(self.voor), na_data=network.to_data(self.na),
                    voor_telling=(self.voor.number_of_nodes(), self.voor.number_of_edges()),
                    na_telling=(self.na.number_of_nodes(), self.na.number_of_edges()))


def netwerk(store: Store, scenarios: list[Scenario], nr: int, lang: str = "nl",
            library: QueryLibrary | None = None) -> NetwerkVoorNa:
    """The network page of scenario number ``nr`` (1-based) of ``scenarios``."""
    found = impacts(store, scenarios, lang, library)
    if not 1 <= nr <= len(found):
        raise UserError(N_("Geen scenario nummer {n} in deze keuze."), n=nr)
    return NetwerkVoorNa(found[nr - 1])
