"""Scenario comparison and the network before and after one scenario, as pages.

:func:`select` turns a choice of scenarios into scenarios: bundled ones (``oirschot/...``),
stored ones (``opgeslagen/gm0823/...``), own ones as links (``sc``, :mod:`sdgraph.scenario.link`:
from the builder, a YAML text or an uploaded file, see :func:`eigen_links`), for a gemeente
and peildatum when given. A mistake names the field it is in (:class:`FieldError`).
:func:`impacts` computes their impact once per store version, scenario content and language
(the one :class:`~sdgraph.cache.VersionedCache`), and the pages render them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

from .. import maps, network
from ..cache import VersionedCache
from ..errors import FieldError, UserError
from ..i18n import N_, gettext
from ..identity import gemeente_code
from ..queries import QueryLibrary
from ..runner import Runner
from ..scenario import Impact, Scenario, Vergelijking, opslag, report, vergelijk
from ..scenario import impacts as compute_impacts
from ..scenario import link as links
from ..scenario.model import (
    bundled,
    bundled_file,
    from_graph,
    from_yaml,
    load,
    to_doc,
    with_overrides,
)
from ..store import Store
from .base import Page
from .kaart import GemeenteKaart

#: At most this many scenarios in one comparison, and this many characters of own YAML or
#: bytes of an uploaded scenario file.
MAX_SCENARIOS = 8
MAX_YAML = 20_000
MAX_BESTAND = 100_000

#: Impacts per store (until its version changes), scenario contents and language.
IMPACTS = VersionedCache(maxsize=16)


def choices(lang: str = "nl", store: Store | None = None,
            library: QueryLibrary | None = None) -> list[dict[str, str]]:
    """The scenarios a user can pick: the bundled ones and those stored in ``store``
    (id, name, gemeente, peildatum, where it comes from)."""
    out = []
    for ident, path in bundled().items():
        for s in load(path, name=f"{ident}{path.suffix}"):  # no server path in messages
            out.append({"id": ident, "naam": s.naam(lang),
                        "gemeente": s.gemeente.rsplit("/", 1)[-1].upper(),
                        "peildatum": s.peildatum.isoformat(),
                        "voorbeeld": ident.split("/", 1)[0], "illustratief": s.illustratief,
                        "auteur": ""})
    if store is not None:
        for o in opslag.lijst(store, library):
            out.append({"id": o.id, "naam": o.naam,
                        "gemeente": o.gemeente.rsplit("/", 1)[-1].upper(),
                        "peildatum": o.peildatum, "voorbeeld": "", "illustratief": False,
                        "auteur": o.auteur, "gemaakt": o.gemaakt})
    return out


def _scenario_file(name: str, data: bytes) -> list[Scenario]:
    if len(data) > MAX_BESTAND:
        raise UserError(N_("Het bestand is te groot (meer dan {n} bytes)."), n=MAX_BESTAND)
    lower = name.lower()
    suffix = ".ttl" if lower.endswith(".ttl") else ".yaml" if lower.endswith(
        (".yaml", ".yml")) else ""
    if not suffix:
        raise UserError(N_("Een scenariobestand is een .ttl- of .yaml-bestand."))
    return load(f"scenario{suffix}", data, name=f"scenario{suffix}")  # no server path


def eigen_links(yaml_text: str = "", upload: tuple[str, bytes] | None = None) -> list[str]:
    """Link values of an own YAML scenario and of the scenarios in an uploaded file (each
    checked as a file is); a mistake names its field (``yaml``, ``bestand``)."""
    out = []
    if yaml_text:
        if len(yaml_text) > MAX_YAML:
            raise FieldError("yaml", N_("Het eigen scenario is te lang (meer dan {n} tekens)."),
                             n=MAX_YAML)
        try:
            out += [links.encode(s) for s in from_graph(from_yaml(yaml_text, "YAML"), "YAML")]
        except FieldError:
            raise
        except UserError as exc:
            raise FieldError.at("yaml", exc) from None
    if upload is not None:
        try:
            out += [links.encode(s) for s in _scenario_file(*upload)]
        except UserError as exc:
            raise FieldError.at("bestand", exc) from None
    return out


def select(ids: list[str], yaml_text: str = "", gemeente: str | None = None,
           peildatum: str | None = None, own_name: str = "eigen scenario",
           sc: list[str] | None = None, store: Store | None = None,
           library: QueryLibrary | None = None) -> list[Scenario]:
    """The scenarios ``ids`` (bundled, or stored in ``store``), those of the links ``sc``
    and an own YAML scenario, for ``gemeente`` and ``peildatum`` when given."""
    scenarios: list[Scenario] = []
    for ident in dict.fromkeys(ids):
        try:
            if ident.startswith("opgeslagen/") and store is not None:
                scenarios += opslag.laden(store, ident, library)
            else:
                path = bundled_file(ident)
                scenarios += load(path, name=f"{ident}{path.suffix}")  # no server path
        except UserError as exc:
            raise FieldError.at("s", exc) from None
    for value in dict.fromkeys(sc or []):
        try:
            scenarios.append(links.decode(value, own_name))
        except UserError as exc:
            raise FieldError.at("sc", exc) from None
    if yaml_text:
        eigen_links(yaml_text)  # checks and names the field
        scenarios += from_graph(from_yaml(yaml_text, "YAML"), own_name)
    if not scenarios:
        raise FieldError("s", N_("Kies ten minste één scenario."))
    if len(scenarios) > MAX_SCENARIOS:
        raise FieldError("s", N_("Vergelijk hoogstens {n} scenario's tegelijk."),
                         n=MAX_SCENARIOS)
    seen: set[str] = set()
    for s in scenarios:
        if s.iri in seen:
            raise FieldError("s", N_("Een scenario is twee keer gekozen: {naam} ({iri})."),
                             naam=s.naam(), iri=s.iri)
        seen.add(s.iri)
    out = []
    for s in scenarios:
        try:
            out.append(with_overrides(s, gemeente or None, None))
        except UserError as exc:
            raise FieldError.at("gemeente", exc) from None
        try:
            out[-1] = with_overrides(out[-1], None, peildatum or None)
        except UserError as exc:
            raise FieldError.at("peildatum", exc) from None
    return out


def check_peildatum(peildatum: str) -> None:
    """A peildatum asked on the form must be a date (empty: each scenario's own)."""
    if peildatum:
        try:
            date.fromisoformat(peildatum)
        except ValueError:
            raise FieldError("peildatum", N_("'{value}' is geen datum"),
                             value=peildatum) from None


def impacts(store: Store, scenarios: list[Scenario], lang: str = "nl",
            library: QueryLibrary | None = None) -> list[Impact]:
    """The impact of each scenario, kept until the store changes."""
    key = (lang, tuple((s.iri, s.gemeente, s.peildatum, s.besluitdatum, s.geschreven_voor,
                        s.graph.serialize(format="nt"), s.feiten.serialize(format="nt"))
                       for s in scenarios))
    return IMPACTS.get(store, key, lambda: compute_impacts(store, scenarios, lang, library))


def kaart(run: Runner, folder: Path | None, imp: Impact, nr: int = 1
          ) -> maps.KaartMetTabel | None:
    """The map of the gemeente's partners before and after the scenario: the merged areas
    of the organisations the scenario names (docs/maps.md); None without boundaries."""
    voor: dict[str, list[str]] = {}
    na: dict[str, list[str]] = {}
    for w in imp.samenwerking:
        for area, gemeenten in ((voor, w.voor), (na, w.na)):
            for g in gemeenten:
                area.setdefault(g, []).append(w.naam)
    code = (gemeente_code(imp.gemeente) or imp.gemeente).upper()
    titel = gettext("{gemeente} en haar partners voor en na: {scenario}", run.lang,
                    gemeente=imp.gemeenteNaam, scenario=imp.scenario.naam(run.lang))
    try:
        return maps.samenwerking(run, folder, code, imp.peildatum, titel, voor, na,
                                 f"kaart-scenario-{nr}")
    except maps.GeenGrenzen:
        return None


@dataclass
class VergelijkingPage(Page):
    """Scenarios compared: the matrix, the criteria with formulas, the ranking, and per
    scenario the map of its partners before and after (when there are boundaries)."""

    v: Vergelijking
    lang: str
    params: dict[str, str] = field(default_factory=dict)
    kaarten: list[maps.KaartMetTabel | None] = field(default_factory=list)

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
        return report.to_html(self.v, self.lang, self.kaarten) if fmt == "html" else \
            report.to_markdown(self.v, self.lang)

    def context(self) -> dict[str, Any]:
        return dict(v=self.v, links={i.scenario.iri: links.encode_doc(to_doc(i.scenario))
                                     for i in self.v.impacts},
                    kaarten=self.kaarten or [None] * len(self.v.impacts))


def compare(store: Store, scenarios: list[Scenario], weights: dict[str, float] | None = None,
            lang: str = "nl", library: QueryLibrary | None = None,
            folder: Path | None = None) -> VergelijkingPage:
    """The comparison page; with the sources ``folder`` each scenario also gets its map."""
    v = vergelijk(impacts(store, scenarios, lang, library), weights, lang)
    run = Runner(store, library, lang)
    kaarten = ([kaart(run, folder, imp, nr) for nr, imp in enumerate(v.impacts, start=1)]
               if folder is not None else [])
    return VergelijkingPage(v, lang, kaarten=kaarten)


def kaart_page(store: Store, scenarios: list[Scenario], nr: int, lang: str = "nl",
               library: QueryLibrary | None = None, folder: Path | None = None
               ) -> GemeenteKaart:
    """The partners map of scenario number ``nr`` (1-based) as a download page."""
    found = impacts(store, scenarios, lang, library)
    if not 1 <= nr <= len(found):
        raise UserError(N_("Geen scenario nummer {n} in deze keuze."), n=nr)
    result = kaart(Runner(store, library, lang), folder, found[nr - 1], nr)
    if result is None:
        raise UserError(N_("Geen kaart: geen grenzen (cbs-geo) in de bronnenmap."))
    return GemeenteKaart(f"scenario-{nr}", result, {"nr": str(nr)})


#: The rings of the drawing: kinds of organisation on each, inside out.
RINGEN = (("gr", "regio"), ("gemeente",), ("aanbieder", "organisatie"))


def layout(*graphs: nx.MultiDiGraph, straal: float = 220.0) -> dict[str, tuple[float, float]]:
    """One position per organisation of all ``graphs`` together, so a network before and
    after a change is drawn with every organisation in the same place: the gemeente at the
    centre, GRs and regio's on the first ring, gemeenten on the second, aanbieders and the
    rest on the third, each ring in name order (a ring of many is split over two radii so
    labels do not collide). Deterministic: the same graphs give the same drawing."""
    nodes: dict[str, dict[str, Any]] = {}
    centre = ""
    for g in graphs:
        centre = centre or g.graph.get("gemeente", "")
        for n, d in g.nodes(data=True):
            nodes.setdefault(n, d)
    out: dict[str, tuple[float, float]] = {}
    if centre in nodes:
        out[centre] = (0.0, 0.0)
    ring = 0
    for kinds in RINGEN:
        members = sorted((n for n, d in nodes.items() if n != centre
                          and d.get("soort", "organisatie") in kinds),
                         key=lambda n: (nodes[n].get("soort", ""),
                                        str(nodes[n].get("label", n)).casefold(), n))
        if not members:
            continue
        ring += 1
        for i, n in enumerate(members):
            angle = 2 * math.pi * i / len(members) - math.pi / 2
            r = straal * ring + (straal * 0.35 if len(members) > 24 and i % 2 else 0.0)
            out[n] = (round(r * math.cos(angle), 1), round(r * math.sin(angle), 1))
    return out


@dataclass
class NetwerkVoorNa(Page):
    """One scenario's network before and after, in one layout: the lines that go, come and
    stay."""

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

    def data(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The two networks as drawing data, every node with the same x and y in both, every
        line marked ``veranderd`` when it goes (before) or comes (after)."""
        positions = layout(self.voor, self.na)
        before_ids = {e["id"] for e in network.edges(self.voor)}
        after_ids = {e["id"] for e in network.edges(self.na)}
        out = []
        for graph, other in ((self.voor, after_ids), (self.na, before_ids)):
            d = network.to_data(graph)
            for node in d["nodes"]:
                node["x"], node["y"] = positions.get(node["id"], (0.0, 0.0))
            for edge in d["edges"]:
                edge["veranderd"] = edge["id"] not in other
            out.append(d)
        return out[0], out[1]

    def to_dict(self) -> dict[str, Any]:
        voor, na = self.data()
        return {"scenario": self.imp.scenario.iri, "peildatum": self.imp.peildatum,
                "voor": voor, "na": na}

    def envelope(self) -> dict[str, Any]:
        return self.to_dict()

    def context(self) -> dict[str, Any]:
        weg, nieuw, gebleven = self.diff()
        voor, na = self.data()
        return dict(imp=self.imp, weg=weg, nieuw=nieuw, gebleven=gebleven,
                    voor_data=voor, na_data=na,
                    voor_telling=(self.voor.number_of_nodes(), self.voor.number_of_edges()),
                    na_telling=(self.na.number_of_nodes(), self.na.number_of_edges()))


def netwerk(store: Store, scenarios: list[Scenario], nr: int, lang: str = "nl",
            library: QueryLibrary | None = None) -> NetwerkVoorNa:
    """The network page of scenario number ``nr`` (1-based) of ``scenarios``."""
    found = impacts(store, scenarios, lang, library)
    if not 1 <= nr <= len(found):
        raise UserError(N_("Geen scenario nummer {n} in deze keuze."), n=nr)
    return NetwerkVoorNa(found[nr - 1])
