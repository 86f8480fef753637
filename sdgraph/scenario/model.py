"""Scenarios as data: the ontology's sd:Scenario and sd:Wijziging, read from Turtle or YAML.

A scenario names a baseline gemeente, a peildatum (the situation it starts
from), optionally a besluitdatum (when the council would decide) and a list of
wijzigingen (changes). Each change is one of the five subclasses of
sd:Wijziging:

- ``uittreding``: leave the organisation in ``betreft`` (a GR or regio); with
  ``taken``/``deelgebieden`` only for those, else entirely (membership and seats end);
  with ``naar`` the taken go there, else they are left without uitvoerder;
- ``toetreding``: join ``betreft``; with taken the organisation (or ``naar``, or
  the regio's centrumgemeente) executes them from then on;
- ``eigen-regie``: the gemeente executes the taken itself, taking them from
  ``van`` (optional), optionally with ``partners``;
- ``overdracht``: the taken go from ``van`` to ``naar``;
- ``doordecentralisatie``: the taken (default beschermd wonen and
  maatschappelijke opvang) and their budget go from the centrumgemeente or regio
  in ``van`` to the gemeente itself, optionally with ``partners``.

The Turtle form uses the ontology's terms; a change's deelgebieden are stated
with ``dct:subject`` (the ontology's ``sd:deelgebied`` is for taakuitvoeringen
only). Any other triples in a scenario file are facts of the situation after the
change (for example a new sd:Vertegenwoordiging with seats and votes). The YAML
form (docs/scenarios.md) is turned into that same graph, so both behave the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD
from rdflib.term import Node

from ..errors import UserError
from ..identity import gemeente_iri
from ..namespaces import PREFIXES, SD, SDID
from ..output import text

#: Change kinds: YAML name -> ontology class; applied in this order (uittreding last,
#: so it ends only what the other changes left with the organisation).
SOORTEN: dict[str, URIRef] = {
    "overdracht": SD.Overdracht,
    "eigen-regie": SD.EigenRegie,
    "toetreding": SD.Toetreding,
    "doordecentralisatie": SD.Doordecentralisatie,
    "uittreding": SD.Uittreding,
}
KLASSE_SOORT = {v: k for k, v in SOORTEN.items()}
#: The taken of a doordecentralisatie that names none.
BW_MO = (str(SDID["taak/beschermd-wonen"]), str(SDID["taak/maatschappelijke-opvang"]))

_SLUG = re.compile(r"^[a-z0-9][a-z0-9\-]*$")
_YAML_KEYS = {"id", "titel", "title", "titel_en", "title_en", "beschrijving", "beschrijving_en",
              "description", "gemeente", "peildatum", "besluitdatum", "illustratief", "bron",
              "wijzigingen", "feiten"}
_CHANGE_KEYS = {"soort", "label", "label_en", "betreft", "van", "naar", "partners", "partner",
                "taken", "deelgebieden", "toelichting"}


@dataclass
class Wijziging:
    """One change of a scenario (IRIs as text)."""

    iri: str
    soort: str  # a key of SOORTEN
    label: str = ""
    betreft: str | None = None
    van: str | None = None
    naar: str | None = None
    partners: list[str] = field(default_factory=list)
    taken: list[str] = field(default_factory=list)
    deelgebieden: list[str] = field(default_factory=list)

    def organisaties(self) -> list[str]:
        """Every organisation the change refers to."""
        return [o for o in (self.betreft, self.van, self.naar, *self.partners) if o]


@dataclass
class Scenario:
    """A scenario for one gemeente, with its changes and the graph it came from."""

    iri: str
    label: dict[str, str]
    gemeente: str
    peildatum: date
    besluitdatum: date | None
    wijzigingen: list[Wijziging]
    beschrijving: dict[str, str] = field(default_factory=dict)
    illustratief: bool = False
    bron: str = ""  # the file it was read from
    graph: Graph = field(default_factory=Graph, repr=False)  # scenario + change nodes
    feiten: Graph = field(default_factory=Graph, repr=False)  # facts of the after-situation

    @property
    def slug(self) -> str:
        return self.iri.rstrip("/").rsplit("/", 1)[-1]

    def naam(self, lang: str = "nl") -> str:
        return self.label.get(lang) or self.label.get("nl") or self.slug

    def organisaties(self) -> list[str]:
        seen: dict[str, None] = {}
        for w in self.wijzigingen:
            for o in w.organisaties():
                seen.setdefault(o, None)
        return list(seen)


# --------------------------------------------------------------------------- reading


def load(path: str | Path, data: bytes | None = None, name: str | None = None
         ) -> list[Scenario]:
    """The scenarios in a Turtle (.ttl) or YAML (.yaml, .yml) file (or its ``data``).

    ``name`` is how messages name the file (default: its path); the web passes a
    bundled scenario's id, so no path on the server is shown.
    """
    path = Path(path)
    where = name or str(path)
    if data is None:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise UserError(f"{where}: file not found") from None
        except OSError as exc:
            raise UserError(f"{where}: cannot read ({exc.strerror})") from None
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        graph = from_yaml(data.decode("utf-8"), where)
    elif suffix == ".ttl":
        graph = Graph()
        base = f"urn:sdgraph:scenario:{quote(name)}" if name else path.resolve().as_uri()
        try:
            graph.parse(data=data.decode("utf-8"), format="turtle", publicID=base)
        except Exception as exc:  # noqa: BLE001 - rdflib raises many kinds
            raise UserError(f"{where}: not valid Turtle: {exc}") from None
    else:
        raise UserError(f"{where}: a scenario is a .ttl or .yaml file")
    return from_graph(graph, where)


def load_all(paths: list[str | Path]) -> list[Scenario]:
    scenarios = [s for p in paths for s in load(p)]
    seen: set[str] = set()
    for s in scenarios:
        if s.iri in seen:
            raise UserError(f"scenario {s.iri} is given twice")
        seen.add(s.iri)
    return scenarios


def from_graph(graph: Graph, bron: str = "") -> list[Scenario]:
    """Every sd:Scenario in ``graph``; the other triples become each scenario's facts."""
    nodes = sorted(set(graph.subjects(RDF.type, SD.Scenario)), key=str)
    if not nodes:
        raise UserError(f"{bron or 'scenario'}: no sd:Scenario found")
    own: set[Node] = set(nodes)
    for node in nodes:
        own.update(graph.objects(node, SD.wijziging))
    facts = Graph()
    for triple in graph:
        if triple[0] not in own:
            facts.add(triple)
    return [_scenario(graph, node, facts, bron) for node in nodes]


def _one(graph: Graph, node: Node, prop: URIRef, where: str, required: bool = False) -> Node | None:
    values = list(graph.objects(node, prop))
    if len(values) > 1:
        raise UserError(f"{where}: more than one {_curie(prop)}")
    if not values:
        if required:
            raise UserError(f"{where}: {_curie(prop)} is missing")
        return None
    return values[0]


def _curie(iri: URIRef) -> str:
    for prefix, ns in PREFIXES.items():
        if str(iri).startswith(ns):
            return f"{prefix}:{str(iri)[len(ns):]}"
    return str(iri)


def _date(value: Node | None, where: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise UserError(f"{where}: not a date (YYYY-MM-DD): {value}") from None


def _labels(graph: Graph, node: Node, prop: URIRef) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in graph.objects(node, prop):
        if isinstance(value, Literal):
            out.setdefault(value.language or "nl", str(value))
    return out


def _iris(graph: Graph, node: Node, prop: URIRef, where: str) -> list[str]:
    values = sorted(graph.objects(node, prop), key=str)
    for v in values:
        if not isinstance(v, URIRef):
            raise UserError(f"{where}: {_curie(prop)} must be an IRI, not {v!r}")
    return [str(v) for v in values]


def _scenario(graph: Graph, node: Node, facts: Graph, bron: str) -> Scenario:
    where = f"{bron or 'scenario'}: {node}"
    if not isinstance(node, URIRef):
        raise UserError(f"{where}: a scenario needs an IRI (not a blank node)")
    gemeente = _one(graph, node, SD.gemeente, where, required=True)
    peildatum = _date(_one(graph, node, SD.peildatum, where, required=True), where)
    besluitdatum = _date(_one(graph, node, SD.besluitdatum, where), where)
    assert peildatum is not None
    if besluitdatum is not None and besluitdatum < peildatum:
        raise UserError(f"{where}: the besluitdatum {besluitdatum} lies before the peildatum")
    changes = []
    for w in sorted(graph.objects(node, SD.wijziging), key=str):
        changes.append(_wijziging(graph, w, f"{bron or 'scenario'}: {w}"))
    changes.sort(key=lambda c: list(SOORTEN).index(c.soort))
    own = Graph()
    for s in (node, *graph.objects(node, SD.wijziging)):
        for p, o in graph.predicate_objects(s):
            own.add((s, p, o))
    flag = _one(graph, node, SD.illustratief, where)
    return Scenario(
        iri=str(node),
        label=_labels(graph, node, RDFS.label) or {"nl": str(node).rsplit("/", 1)[-1]},
        gemeente=str(gemeente),
        peildatum=peildatum,
        besluitdatum=besluitdatum,
        wijzigingen=changes,
        beschrijving=_labels(graph, node, RDFS.comment),
        illustratief=flag is not None and str(flag).lower() == "true",
        bron=bron,
        graph=own,
        feiten=facts,
    )


def _wijziging(graph: Graph, node: Node, where: str) -> Wijziging:
    if not isinstance(node, URIRef):
        raise UserError(f"{where}: a wijziging needs an IRI (not a blank node)")
    kinds = [KLASSE_SOORT[t] for t in graph.objects(node, RDF.type) if t in KLASSE_SOORT]
    if len(kinds) != 1:
        names = ", ".join(_curie(c) for c in SOORTEN.values())
        raise UserError(f"{where}: a wijziging has exactly one of the types {names}")
    soort = kinds[0]
    ref = {p: _one(graph, node, p, where) for p in (SD.betreft, SD.van, SD.naar)}
    for p, v in ref.items():
        if v is not None and not isinstance(v, URIRef):
            raise UserError(f"{where}: {_curie(p)} must be an IRI")
    w = Wijziging(
        iri=str(node),
        soort=soort,
        label=_labels(graph, node, RDFS.label).get("nl", ""),
        betreft=text(ref[SD.betreft]) or None,
        van=text(ref[SD.van]) or None,
        naar=text(ref[SD.naar]) or None,
        partners=_iris(graph, node, SD.partner, where),
        taken=_iris(graph, node, SD.taak, where),
        deelgebieden=_iris(graph, node, DCTERMS.subject, where),
    )
    if soort in ("uittreding", "toetreding") and not w.betreft:
        raise UserError(f"{where}: a {soort} needs sd:betreft (the GR or regio)")
    if soort == "overdracht" and not (w.van and w.naar):
        raise UserError(f"{where}: an overdracht needs sd:van and sd:naar")
    if soort == "doordecentralisatie" and not w.van:
        raise UserError(f"{where}: a doordecentralisatie needs sd:van "
                        "(the centrumgemeente or regio)")
    if soort == "doordecentralisatie" and not w.taken:
        w.taken = list(BW_MO)
    return w


# --------------------------------------------------------------------------- YAML


def _iri(value: Any, where: str, kind: str = "") -> URIRef:
    """A YAML value as an IRI: full IRI, CURIE (so:so0665), GM code, or a slug of ``kind``."""
    if not isinstance(value, str) or not value.strip():
        raise UserError(f"{where}: expected an IRI, code or name, got {value!r}")
    value = value.strip()
    if re.match(r"^(?i:gm)?\d{3,4}$", value):
        return gemeente_iri(value)
    if ":" in value:
        prefix, _, rest = value.partition(":")
        if prefix in PREFIXES and not rest.startswith("//"):
            return URIRef(PREFIXES[prefix] + rest)
        if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*://\S+$", value) or value.startswith("urn:"):
            if any(c in value for c in '<>"{}|^`\\ '):
                raise UserError(f"{where}: not a valid IRI: {value!r}")
            return URIRef(value)
        raise UserError(f"{where}: unknown prefix {prefix!r} in {value!r}")
    if kind and _SLUG.match(value):
        return SDID[f"{kind}/{value}"]
    raise UserError(f"{where}: not an IRI, CURIE or GM code: {value!r}")


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        return [value]
    raise UserError(f"{where}: expected a list")


def _yaml_date(value: Any, where: str) -> Literal:
    text_ = value.isoformat() if isinstance(value, date) else str(value)
    try:
        return Literal(date.fromisoformat(text_).isoformat(), datatype=XSD.date)
    except ValueError:
        raise UserError(f"{where}: not a date (YYYY-MM-DD): {value!r}") from None


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit dates: dates stay text and are checked here."""


_Loader.yaml_implicit_resolvers = {
    key: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


#: A scenario's YAML may nest this deep and expand (aliases written out) to this many nodes:
#: anchors and aliases stay usable, but 348 characters of nested aliases ("a billion
#: laughs") cannot grow into a page of 738 MB.
MAX_YAML_DEPTH = 32
MAX_YAML_NODES = 20_000


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """Nodes in ``node`` with every alias written out (aliases share nodes: memoised)."""
    known = memo.get(id(node))
    if known is not None:
        return known
    size = 1
    if isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(child, memo) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size += sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    memo[id(node)] = size
    return size


def _load_yaml(source: str, name: str) -> Any:
    """The YAML document in ``source``, refused when nested or expanding beyond the limits."""
    depth = 0
    for event in yaml.parse(source, Loader=_Loader):  # the parser does not recurse
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                line = event.start_mark.line + 1
                raise UserError(f"{name}, line {line}: nested more than {MAX_YAML_DEPTH} levels "
                                "deep")
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    loader = _Loader(source)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node, {}) > MAX_YAML_NODES:
            raise UserError(f"{name}: with its aliases (*) written out the scenario has more "
                            f"than {MAX_YAML_NODES:,} values; write it out without nested "
                            "aliases")
        return loader.construct_document(node)
    finally:
        loader.dispose()


def from_yaml(source: str, name: str = "scenario.yaml") -> Graph:
    """The Turtle-equivalent graph of a YAML scenario (docs/scenarios.md)."""
    try:
        doc = _load_yaml(source, name)  # a SafeLoader without implicit dates
    except yaml.YAMLError as exc:
        raise UserError(f"{name}: not valid YAML: {exc}") from None
    if not isinstance(doc, dict):
        raise UserError(f"{name}: a scenario is a mapping (id, titel, gemeente, ...)")
    unknown = sorted(set(doc) - _YAML_KEYS)
    if unknown:
        known = ", ".join(sorted(_YAML_KEYS))
        raise UserError(f"{name}: unknown key {unknown[0]!r} (known: {known})")
    ident = str(doc.get("id") or Path(name).stem)
    if not _SLUG.match(ident):
        raise UserError(f"{name}: id must be lower case letters, digits and '-': {ident!r}")
    if "gemeente" not in doc:
        raise UserError(f"{name}: gemeente is missing")
    try:
        gemeente = gemeente_iri(str(doc["gemeente"]))
    except ValueError:
        raise UserError(f"{name}: not a gemeente: {doc['gemeente']!r}") from None
    if "peildatum" not in doc:
        raise UserError(f"{name}: peildatum is missing")
    code = str(gemeente).rsplit("/", 1)[-1]
    node = SDID[f"scenario/{code}/{ident}"]
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    g.add((node, RDF.type, SD.Scenario))
    titel = doc.get("titel") or doc.get("title") or ident
    g.add((node, RDFS.label, Literal(str(titel), lang="nl")))
    if doc.get("titel_en") or doc.get("title_en"):
        title_en = str(doc.get("titel_en") or doc.get("title_en"))
        g.add((node, RDFS.label, Literal(title_en, lang="en")))
    for key, lang in (("beschrijving", "nl"), ("description", "nl"), ("beschrijving_en", "en")):
        if doc.get(key):
            g.add((node, RDFS.comment, Literal(str(doc[key]).strip(), lang=lang)))
    g.add((node, SD.gemeente, gemeente))
    g.add((node, SD.peildatum, _yaml_date(doc["peildatum"], f"{name}: peildatum")))
    if doc.get("besluitdatum"):
        g.add((node, SD.besluitdatum, _yaml_date(doc["besluitdatum"], f"{name}: besluitdatum")))
    if doc.get("illustratief"):
        g.add((node, SD.illustratief, Literal(True)))
    if doc.get("bron"):
        g.add((node, DCTERMS.source, Literal(str(doc["bron"]))))
    for i, change in enumerate(_list(doc.get("wijzigingen"), f"{name}: wijzigingen"), start=1):
        where = f"{name}: wijziging {i}"
        if not isinstance(change, dict):
            raise UserError(f"{where}: expected a mapping (soort, betreft, taken, ...)")
        unknown = sorted(set(change) - _CHANGE_KEYS)
        if unknown:
            raise UserError(f"{where}: unknown key {unknown[0]!r} "
                            f"(known: {', '.join(sorted(_CHANGE_KEYS))})")
        soort = str(change.get("soort", "")).strip().lower().replace(" ", "-").replace("_", "-")
        if soort not in SOORTEN:
            raise UserError(f"{where}: soort must be one of {', '.join(SOORTEN)}, "
                            f"got {change.get('soort')!r}")
        w = URIRef(f"{node}/wijziging/{i}")
        g.add((node, SD.wijziging, w))
        g.add((w, RDF.type, SOORTEN[soort]))
        if change.get("label"):
            g.add((w, RDFS.label, Literal(str(change["label"]), lang="nl")))
        if change.get("label_en"):
            g.add((w, RDFS.label, Literal(str(change["label_en"]), lang="en")))
        if change.get("toelichting"):
            g.add((w, RDFS.comment, Literal(str(change["toelichting"]).strip(), lang="nl")))
        for key, prop in (("betreft", SD.betreft), ("van", SD.van), ("naar", SD.naar)):
            if change.get(key):
                g.add((w, prop, _iri(change[key], f"{where}: {key}")))
        partners = _list(change.get("partners"), where) + _list(change.get("partner"), where)
        for p in partners:
            g.add((w, SD.partner, _iri(p, f"{where}: partners")))
        for t in _list(change.get("taken"), f"{where}: taken"):
            g.add((w, SD.taak, _iri(t, f"{where}: taken", "taak")))
        for d in _list(change.get("deelgebieden"), f"{where}: deelgebieden"):
            g.add((w, DCTERMS.subject, _iri(d, f"{where}: deelgebieden", "deelgebied")))
    if doc.get("feiten"):
        try:
            g.parse(data=_turtle_prefixes() + str(doc["feiten"]), format="turtle")
        except Exception as exc:  # noqa: BLE001 - rdflib raises many kinds
            raise UserError(f"{name}: feiten is not valid Turtle: {exc}") from None
    return g


def _turtle_prefixes() -> str:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())


def with_overrides(scenario: Scenario, gemeente: str | None = None, peildatum: str | None = None,
                   besluitdatum: str | None = None) -> Scenario:
    """The scenario for another gemeente or dates (CLI options); the graph follows."""
    from dataclasses import replace

    changes: dict[str, Any] = {}
    g = Graph()
    for triple in scenario.graph:
        g.add(triple)
    node = URIRef(scenario.iri)
    if gemeente:
        try:
            iri = gemeente_iri(gemeente)
        except ValueError:
            raise UserError(f"not a gemeente: {gemeente!r}") from None
        changes["gemeente"] = str(iri)
        g.set((node, SD.gemeente, iri))
    for key, value in (("peildatum", peildatum), ("besluitdatum", besluitdatum)):
        if value:
            day = _date(Literal(value), f"--{key}")
            changes[key] = day
            g.set((node, SD[key], Literal(day.isoformat(), datatype=XSD.date)))
    result = replace(scenario, graph=g, **changes)
    if result.besluitdatum and result.besluitdatum < result.peildatum:
        raise UserError(f"the besluitdatum {result.besluitdatum} lies before the peildatum")
    return result


# --------------------------------------------------------------------------- bundled scenarios

_BUNDLED = re.compile(r"^[a-z0-9][a-z0-9\-]*/[a-z0-9][a-z0-9\-]*$")
SUFFIXES = (".yaml", ".yml", ".ttl")


def bundled() -> dict[str, Path]:
    """The example scenarios: ``<example>/<file stem>`` -> file (data/examples/*/scenarios/)."""
    from ..resources import resource_dir

    root = resource_dir("data") / "examples"
    out: dict[str, Path] = {}
    for path in sorted(root.glob("*/scenarios/*")):
        if path.suffix.lower() in SUFFIXES:
            out[f"{path.parent.parent.name}/{path.stem}"] = path
    return out


def bundled_file(ident: str) -> Path:
    """The file of a bundled scenario id such as ``oirschot/d-eigen-regie``."""
    path = bundled().get(ident) if _BUNDLED.match(ident) else None
    if path is None:
        raise UserError(f"no bundled scenario {ident!r}")
    return path
