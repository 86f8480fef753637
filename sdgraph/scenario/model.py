"""Scenarios as data: the ontology's sd:Scenario and sd:Wijziging, read from Turtle or YAML,
and written back to both.

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
form (docs/scenarios.md) is a mapping (a "doc") turned into that same graph by
:func:`from_doc`, so both behave the same; :func:`to_doc` is the way back, for the
builder, the shareable link (:mod:`.link`) and the downloads (:func:`to_yaml`,
:func:`to_turtle`, with author, date and provenance).

Messages are Dutch templates (``N_``) with their values, shown in the user's language.
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
from rdflib.namespace import DCTERMS, PROV, XSD
from rdflib.term import Node

from ..errors import UserError
from ..i18n import N_
from ..identity import gemeente_code, gemeente_iri
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

#: Which organisation fields each kind of change needs (the rest are optional).
NODIG: dict[str, tuple[str, ...]] = {
    "overdracht": ("van", "naar"),
    "eigen-regie": (),
    "toetreding": ("betreft",),
    "doordecentralisatie": ("van",),
    "uittreding": ("betreft",),
}

_SLUG = re.compile(r"^[a-z0-9][a-z0-9\-]*$")
_YAML_KEYS = {"id", "titel", "title", "titel_en", "title_en", "beschrijving", "beschrijving_en",
              "description", "gemeente", "peildatum", "besluitdatum", "illustratief", "bron",
              "auteur", "gemaakt", "wijzigingen", "feiten"}
_CHANGE_KEYS = {"soort", "label", "label_en", "betreft", "van", "naar", "partners", "partner",
                "taken", "deelgebieden", "toelichting", "budget"}
#: Text fields of a scenario are bounded (a title is not a book).
MAX_TEXT = 2_000
#: The source recorded for a scenario made in the builder.
BOUWER = "sdgraph scenariobouwer"


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
    label_en: str = ""
    toelichting: str = ""
    budget: float | None = None  # doordecentralisatie: the yearly budget the author states

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
    bron: str = ""  # the file (or link, or form) it was read from
    graph: Graph = field(default_factory=Graph, repr=False)  # scenario + change nodes
    feiten: Graph = field(default_factory=Graph, repr=False)  # facts of the after-situation
    auteur: str = ""  # dct:creator
    gemaakt: str = ""  # dct:created (ISO date)
    #: The gemeente the scenario was written for, when it is applied to another one (its
    #: own labels and description name the other's organisations and are not shown then).
    geschreven_voor: str | None = None

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

    @property
    def eigen_teksten(self) -> bool:
        """True when its own labels and description may be shown: it is applied to the
        gemeente it was written for."""
        return self.geschreven_voor is None or self.geschreven_voor == self.gemeente


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
            raise UserError(N_("{bestand}: bestand niet gevonden"), bestand=where) from None
        except OSError as exc:
            raise UserError(N_("{bestand}: kan niet lezen ({reden})"), bestand=where,
                            reden=exc.strerror) from None
    try:
        body = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(N_("{bestand}: geen tekst in UTF-8"), bestand=where) from None
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        graph = from_yaml(body, where)
    elif suffix == ".ttl":
        graph = Graph()
        base = f"urn:sdgraph:scenario:{quote(name)}" if name else path.resolve().as_uri()
        try:
            graph.parse(data=body, format="turtle", publicID=base)
        except Exception as exc:  # noqa: BLE001 - rdflib raises many kinds
            raise UserError(N_("{bestand}: geen geldige Turtle: {fout}"), bestand=where,
                            fout=str(exc)) from None
    else:
        raise UserError(N_("{bestand}: een scenario is een .ttl- of .yaml-bestand"),
                        bestand=where)
    return from_graph(graph, where)


def load_all(paths: list[str | Path]) -> list[Scenario]:
    scenarios = [s for p in paths for s in load(p)]
    seen: set[str] = set()
    for s in scenarios:
        if s.iri in seen:
            raise UserError(N_("Scenario {iri} is twee keer opgegeven."), iri=s.iri)
        seen.add(s.iri)
    return scenarios


def from_graph(graph: Graph, bron: str = "") -> list[Scenario]:
    """Every sd:Scenario in ``graph``; the other triples become each scenario's facts."""
    nodes = sorted(set(graph.subjects(RDF.type, SD.Scenario)), key=str)
    if not nodes:
        raise UserError(N_("{waar}: geen sd:Scenario gevonden"), waar=bron or "scenario")
    own: set[Node] = set(nodes)
    for node in nodes:
        own.update(graph.objects(node, SD.wijziging))
    facts = Graph()
    for prefix, ns in PREFIXES.items():
        facts.bind(prefix, ns)
    for triple in graph:
        if triple[0] not in own:
            facts.add(triple)
    for node in nodes:  # a stored scenario keeps its facts as Turtle text (sd:feiten)
        for value in graph.objects(node, SD.feiten):
            try:
                facts.parse(data=_turtle_prefixes() + str(value), format="turtle")
            except Exception as exc:  # noqa: BLE001 - rdflib raises many kinds
                raise UserError(N_("{waar}: sd:feiten is geen geldige Turtle: {fout}"),
                                waar=bron or str(node), fout=str(exc)) from None
    return [_scenario(graph, node, facts, bron) for node in nodes]


def _one(graph: Graph, node: Node, prop: URIRef, where: str, required: bool = False) -> Node | None:
    values = list(graph.objects(node, prop))
    if len(values) > 1:
        raise UserError(N_("{waar}: meer dan één {eigenschap}"), waar=where,
                        eigenschap=curie(prop))
    if not values:
        if required:
            raise UserError(N_("{waar}: {eigenschap} ontbreekt"), waar=where,
                            eigenschap=curie(prop))
        return None
    return values[0]


def curie(iri: str | URIRef) -> str:
    """An IRI as a CURIE of :data:`~sdgraph.namespaces.PREFIXES` where one fits."""
    for prefix, ns in PREFIXES.items():
        if str(iri).startswith(ns) and _SLUG_PATH.match(str(iri)[len(ns):]):
            return f"{prefix}:{str(iri)[len(ns):]}"
    return str(iri)


_SLUG_PATH = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-./]*$")


def _date(value: Node | None, where: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise UserError(N_("{waar}: geen datum (JJJJ-MM-DD): {waarde}"), waar=where,
                        waarde=str(value)) from None


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
            raise UserError(N_("{waar}: {eigenschap} moet een IRI zijn, niet {waarde}"),
                            waar=where, eigenschap=curie(prop), waarde=repr(str(v)))
    return [str(v) for v in values]


def _scenario(graph: Graph, node: Node, facts: Graph, bron: str) -> Scenario:
    where = f"{bron or 'scenario'}: {node}"
    if not isinstance(node, URIRef):
        raise UserError(N_("{waar}: een scenario heeft een IRI nodig (geen blanco knoop)"),
                        waar=where)
    gemeente = _one(graph, node, SD.gemeente, where, required=True)
    peildatum = _date(_one(graph, node, SD.peildatum, where, required=True), where)
    besluitdatum = _date(_one(graph, node, SD.besluitdatum, where), where)
    assert peildatum is not None
    if besluitdatum is not None and besluitdatum < peildatum:
        raise UserError(N_("{waar}: de besluitdatum {besluitdatum} ligt voor de peildatum"),
                        waar=where, besluitdatum=besluitdatum.isoformat())
    changes = []
    for w in sorted(graph.objects(node, SD.wijziging), key=str):
        changes.append(_wijziging(graph, w, f"{bron or 'scenario'}: {w}"))
    changes.sort(key=lambda c: list(SOORTEN).index(c.soort))
    own = Graph()
    for s in (node, *graph.objects(node, SD.wijziging)):
        for p, o in graph.predicate_objects(s):
            own.add((s, p, o))
    flag = _one(graph, node, SD.illustratief, where)
    created = _one(graph, node, DCTERMS.created, where)
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
        auteur=text(_one(graph, node, DCTERMS.creator, where)),
        gemaakt=text(created)[:10] if created is not None else "",
    )


def _wijziging(graph: Graph, node: Node, where: str) -> Wijziging:
    if not isinstance(node, URIRef):
        raise UserError(N_("{waar}: een wijziging heeft een IRI nodig (geen blanco knoop)"),
                        waar=where)
    kinds = [KLASSE_SOORT[t] for t in graph.objects(node, RDF.type) if t in KLASSE_SOORT]
    if len(kinds) != 1:
        raise UserError(N_("{waar}: een wijziging heeft precies één van de typen {typen}"),
                        waar=where, typen=", ".join(curie(c) for c in SOORTEN.values()))
    soort = kinds[0]
    ref = {p: _one(graph, node, p, where) for p in (SD.betreft, SD.van, SD.naar)}
    for p, v in ref.items():
        if v is not None and not isinstance(v, URIRef):
            raise UserError(N_("{waar}: {eigenschap} moet een IRI zijn, niet {waarde}"),
                            waar=where, eigenschap=curie(p), waarde=repr(str(v)))
    labels = _labels(graph, node, RDFS.label)
    budget = _one(graph, node, SD.budgetEUR, where)
    w = Wijziging(
        iri=str(node),
        soort=soort,
        label=labels.get("nl", ""),
        betreft=text(ref[SD.betreft]) or None,
        van=text(ref[SD.van]) or None,
        naar=text(ref[SD.naar]) or None,
        partners=_iris(graph, node, SD.partner, where),
        taken=_iris(graph, node, SD.taak, where),
        deelgebieden=_iris(graph, node, DCTERMS.subject, where),
        label_en=labels.get("en", ""),
        toelichting=_labels(graph, node, RDFS.comment).get("nl", ""),
        budget=_amount(budget, where),
    )
    if soort in ("uittreding", "toetreding") and not w.betreft:
        raise UserError(N_("{waar}: een {soort} heeft sd:betreft nodig (de GR of regio)"),
                        waar=where, soort=soort)
    if soort == "overdracht" and not (w.van and w.naar):
        raise UserError(N_("{waar}: een overdracht heeft sd:van en sd:naar nodig"), waar=where)
    if soort == "doordecentralisatie" and not w.van:
        raise UserError(N_("{waar}: een doordecentralisatie heeft sd:van nodig (de "
                           "centrumgemeente of regio)"), waar=where)
    if soort == "doordecentralisatie" and not w.taken:
        w.taken = list(BW_MO)
    if w.budget is not None and soort != "doordecentralisatie":
        raise UserError(N_("{waar}: alleen een doordecentralisatie heeft een budget"), waar=where)
    return w


def _amount(value: Node | Any, where: str) -> float | None:
    """A budget in euro (a number of 0 or more), or None."""
    if value is None or value == "":
        return None
    try:
        amount = float(str(value))
    except ValueError:
        amount = -1.0
    if not amount >= 0 or amount == float("inf"):
        raise UserError(N_("{waar}: het budget is een bedrag in euro (0 of meer), niet "
                           "{waarde}"), waar=where, waarde=repr(str(value)))
    return amount


# --------------------------------------------------------------------------- YAML, docs


def organisatie_iri(value: Any, where: str, kind: str = "") -> URIRef:
    """A value naming an IRI: full IRI, CURIE (so:so0665), GM code, or a slug of ``kind``
    (taken and deelgebieden: ``huishoudelijke-hulp``)."""
    if not isinstance(value, str) or not value.strip():
        raise UserError(N_("{waar}: verwacht een IRI, code of naam, niet {waarde}"),
                        waar=where, waarde=repr(value))
    value = value.strip()
    if re.match(r"^(?i:gm)?\d{3,4}$", value):
        return gemeente_iri(value)
    if ":" in value:
        prefix, _, rest = value.partition(":")
        if prefix in PREFIXES and not rest.startswith("//"):
            if any(c in rest for c in '<>"{}|^`\\ '):
                raise UserError(N_("{waar}: geen geldige IRI: {waarde}"), waar=where,
                                waarde=repr(value))
            return URIRef(PREFIXES[prefix] + rest)
        if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*://\S+$", value) or value.startswith("urn:"):
            if any(c in value for c in '<>"{}|^`\\ '):
                raise UserError(N_("{waar}: geen geldige IRI: {waarde}"), waar=where,
                                waarde=repr(value))
            return URIRef(value)
        raise UserError(N_("{waar}: onbekend voorvoegsel {voorvoegsel} in {waarde}"),
                        waar=where, voorvoegsel=repr(prefix), waarde=repr(value))
    if kind and _SLUG.match(value):
        return SDID[f"{kind}/{value}"]
    raise UserError(N_("{waar}: geen IRI, CURIE of GM-code: {waarde}"), waar=where,
                    waarde=repr(value))


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        return [value]
    raise UserError(N_("{waar}: verwacht een lijst"), waar=where)


def _text(value: Any, where: str) -> str:
    if isinstance(value, (dict, list)):
        raise UserError(N_("{waar}: verwacht tekst"), waar=where)
    out = str(value).strip()
    if len(out) > MAX_TEXT:
        raise UserError(N_("{waar}: langer dan {n} tekens"), waar=where, n=MAX_TEXT)
    return out


def _yaml_date(value: Any, where: str) -> Literal:
    text_ = value.isoformat() if isinstance(value, date) else str(value)
    try:
        return Literal(date.fromisoformat(text_).isoformat(), datatype=XSD.date)
    except ValueError:
        raise UserError(N_("{waar}: geen datum (JJJJ-MM-DD): {waarde}"), waar=where,
                        waarde=repr(value)) from None


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
        raise UserError(N_("{waar}: geen geldige YAML: {fout}"), waar=name,
                        fout=str(exc)) from None
    return from_doc(doc, name)


def from_doc(doc: Any, name: str = "scenario") -> Graph:
    """The graph of a scenario given as a mapping (YAML, a link, the builder)."""
    if not isinstance(doc, dict):
        raise UserError(N_("{waar}: een scenario is een mapping (id, titel, gemeente, ...)"),
                        waar=name)
    unknown = sorted(str(k) for k in set(doc) - _YAML_KEYS)
    if unknown:
        raise UserError(N_("{waar}: onbekende sleutel {sleutel} (bekend: {bekend})"), waar=name,
                        sleutel=repr(unknown[0]), bekend=", ".join(sorted(_YAML_KEYS)))
    ident = str(doc.get("id") or Path(name).stem)
    if not _SLUG.match(ident) or len(ident) > 100:
        raise UserError(N_("{waar}: id bestaat uit kleine letters, cijfers en '-': {id}"),
                        waar=name, id=repr(ident))
    if not doc.get("gemeente"):
        raise UserError(N_("{waar}: gemeente ontbreekt"), waar=name)
    try:
        gemeente = gemeente_iri(str(doc["gemeente"]))
    except ValueError:
        raise UserError(N_("{waar}: geen gemeente: {waarde}"), waar=name,
                        waarde=repr(doc["gemeente"])) from None
    if not doc.get("peildatum"):
        raise UserError(N_("{waar}: peildatum ontbreekt"), waar=name)
    code = str(gemeente).rsplit("/", 1)[-1]
    node = SDID[f"scenario/{code}/{ident}"]
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    g.add((node, RDF.type, SD.Scenario))
    titel = doc.get("titel") or doc.get("title") or ident
    g.add((node, RDFS.label, Literal(_text(titel, f"{name}: titel"), lang="nl")))
    if doc.get("titel_en") or doc.get("title_en"):
        title_en = _text(doc.get("titel_en") or doc.get("title_en"), f"{name}: titel_en")
        g.add((node, RDFS.label, Literal(title_en, lang="en")))
    for key, lang in (("beschrijving", "nl"), ("description", "nl"), ("beschrijving_en", "en")):
        if doc.get(key):
            g.add((node, RDFS.comment, Literal(_text(doc[key], f"{name}: {key}"), lang=lang)))
    g.add((node, SD.gemeente, gemeente))
    g.add((node, SD.peildatum, _yaml_date(doc["peildatum"], f"{name}: peildatum")))
    if doc.get("besluitdatum"):
        g.add((node, SD.besluitdatum, _yaml_date(doc["besluitdatum"], f"{name}: besluitdatum")))
    if doc.get("illustratief"):
        g.add((node, SD.illustratief, Literal(True)))
    if doc.get("bron"):
        g.add((node, DCTERMS.source, Literal(_text(doc["bron"], f"{name}: bron"))))
    if doc.get("auteur"):
        g.add((node, DCTERMS.creator, Literal(_text(doc["auteur"], f"{name}: auteur"))))
    if doc.get("gemaakt"):
        g.add((node, DCTERMS.created, _yaml_date(doc["gemaakt"], f"{name}: gemaakt")))
    for i, change in enumerate(_list(doc.get("wijzigingen"), f"{name}: wijzigingen"), start=1):
        _change(g, node, i, change, f"{name}: wijziging {i}")
    if doc.get("feiten"):
        try:
            g.parse(data=_turtle_prefixes() + _text_block(doc["feiten"], f"{name}: feiten"),
                    format="turtle")
        except UserError:
            raise
        except Exception as exc:  # noqa: BLE001 - rdflib raises many kinds
            raise UserError(N_("{waar}: feiten is geen geldige Turtle: {fout}"), waar=name,
                            fout=str(exc)) from None
    return g


#: Facts in Turtle may be longer than a title.
MAX_FEITEN = 20_000


def _text_block(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise UserError(N_("{waar}: verwacht tekst"), waar=where)
    if len(value) > MAX_FEITEN:
        raise UserError(N_("{waar}: langer dan {n} tekens"), waar=where, n=MAX_FEITEN)
    return value


def _change(g: Graph, node: URIRef, i: int, change: Any, where: str) -> None:
    if not isinstance(change, dict):
        raise UserError(N_("{waar}: verwacht een mapping (soort, betreft, taken, ...)"),
                        waar=where)
    unknown = sorted(str(k) for k in set(change) - _CHANGE_KEYS)
    if unknown:
        raise UserError(N_("{waar}: onbekende sleutel {sleutel} (bekend: {bekend})"),
                        waar=where, sleutel=repr(unknown[0]),
                        bekend=", ".join(sorted(_CHANGE_KEYS)))
    soort = str(change.get("soort", "")).strip().lower().replace(" ", "-").replace("_", "-")
    if soort not in SOORTEN:
        raise UserError(N_("{waar}: soort is een van {soorten}, niet {waarde}"), waar=where,
                        soorten=", ".join(SOORTEN), waarde=repr(change.get("soort")))
    w = URIRef(f"{node}/wijziging/{i}")
    g.add((node, SD.wijziging, w))
    g.add((w, RDF.type, SOORTEN[soort]))
    if change.get("label"):
        g.add((w, RDFS.label, Literal(_text(change["label"], f"{where}: label"), lang="nl")))
    if change.get("label_en"):
        g.add((w, RDFS.label, Literal(_text(change["label_en"], f"{where}: label_en"),
                                      lang="en")))
    if change.get("toelichting"):
        g.add((w, RDFS.comment, Literal(_text(change["toelichting"], f"{where}: toelichting"),
                                        lang="nl")))
    for key, prop in (("betreft", SD.betreft), ("van", SD.van), ("naar", SD.naar)):
        if change.get(key):
            g.add((w, prop, organisatie_iri(change[key], f"{where}: {key}")))
    partners = _list(change.get("partners"), where) + _list(change.get("partner"), where)
    for p in partners:
        g.add((w, SD.partner, organisatie_iri(p, f"{where}: partners")))
    for t in _list(change.get("taken"), f"{where}: taken"):
        g.add((w, SD.taak, organisatie_iri(t, f"{where}: taken", "taak")))
    for d in _list(change.get("deelgebieden"), f"{where}: deelgebieden"):
        g.add((w, DCTERMS.subject, organisatie_iri(d, f"{where}: deelgebieden", "deelgebied")))
    budget = _amount(change.get("budget"), f"{where}: budget")
    if budget is not None:
        g.add((w, SD.budgetEUR, Literal(f"{budget:.2f}", datatype=XSD.decimal)))


def _turtle_prefixes() -> str:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())


# --------------------------------------------------------------------------- writing


def kort(iri: str | None, kind: str = "") -> str:
    """An IRI as the YAML writes it: a GM code, a slug of ``kind``, a CURIE or the IRI."""
    if not iri:
        return ""
    code = gemeente_code(iri) if iri.startswith(PREFIXES["gm"]) else None
    if code:
        return code.upper()
    if kind and iri.startswith(str(SDID[f"{kind}/"])):
        tail = iri[len(str(SDID[f"{kind}/"])):]
        if _SLUG.match(tail):
            return tail
    return curie(iri)


def change_doc(w: Wijziging) -> dict[str, Any]:
    """One change in the YAML form."""
    out: dict[str, Any] = {"soort": w.soort}
    if w.label:
        out["label"] = w.label
    if w.label_en:
        out["label_en"] = w.label_en
    if w.toelichting:
        out["toelichting"] = w.toelichting
    for key in ("betreft", "van", "naar"):
        if getattr(w, key):
            out[key] = kort(getattr(w, key))
    taken = list(w.taken)
    if w.soort == "doordecentralisatie" and tuple(taken) == BW_MO:
        taken = []  # the default
    if taken:
        out["taken"] = [kort(t, "taak") for t in taken]
    if w.deelgebieden:
        out["deelgebieden"] = [kort(d, "deelgebied") for d in w.deelgebieden]
    if w.partners:
        out["partners"] = [kort(p) for p in w.partners]
    if w.budget is not None:
        out["budget"] = int(w.budget) if w.budget == int(w.budget) else w.budget
    return out


def to_doc(scenario: Scenario) -> dict[str, Any]:
    """The scenario in its YAML form (what :func:`from_doc` reads back to the same graph)."""
    code = scenario.gemeente.rsplit("/", 1)[-1]
    prefix = str(SDID[f"scenario/{code}/"])
    ident = scenario.iri[len(prefix):] if scenario.iri.startswith(prefix) else scenario.slug
    doc: dict[str, Any] = {"id": ident if _SLUG.match(ident) else scenario.slug,
                           "titel": scenario.label.get("nl") or scenario.naam()}
    if scenario.label.get("en"):
        doc["titel_en"] = scenario.label["en"]
    if scenario.beschrijving.get("nl"):
        doc["beschrijving"] = scenario.beschrijving["nl"]
    if scenario.beschrijving.get("en"):
        doc["beschrijving_en"] = scenario.beschrijving["en"]
    doc["gemeente"] = kort(scenario.gemeente)
    doc["peildatum"] = scenario.peildatum.isoformat()
    if scenario.besluitdatum:
        doc["besluitdatum"] = scenario.besluitdatum.isoformat()
    if scenario.illustratief:
        doc["illustratief"] = True
    source = next((str(o) for o in scenario.graph.objects(URIRef(scenario.iri),
                                                          DCTERMS.source)), "")
    if source:
        doc["bron"] = source
    if scenario.auteur:
        doc["auteur"] = scenario.auteur
    if scenario.gemaakt:
        doc["gemaakt"] = scenario.gemaakt
    doc["wijzigingen"] = [change_doc(w) for w in scenario.wijzigingen]
    if len(scenario.feiten):
        doc["feiten"] = scenario.feiten.serialize(format="turtle").strip() + "\n"
    return doc


def to_yaml(scenario: Scenario) -> str:
    """The scenario as a YAML file (docs/scenarios.md)."""
    return yaml.safe_dump(to_doc(scenario), allow_unicode=True, sort_keys=False, width=100)


def to_turtle(scenario: Scenario, feiten_als_tekst: bool = False) -> str:
    """The scenario as Turtle: its node and changes, its author, date and provenance
    (``dct:creator``, ``dct:created``, ``dct:source``, ``prov:wasGeneratedBy``), and its
    facts: as triples (a file), or as one Turtle text in ``sd:feiten`` (``feiten_als_tekst``:
    for the store, where facts of a situation that does not exist must not stand beside the
    real ones)."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    g += scenario.graph
    node = URIRef(scenario.iri)
    g.remove((node, SD.feiten, None))
    if len(scenario.feiten):
        if feiten_als_tekst:
            g.add((node, SD.feiten, Literal(scenario.feiten.serialize(format="turtle"))))
        else:
            g += scenario.feiten
    if not any(g.objects(node, PROV.wasGeneratedBy)):
        g.add((node, PROV.wasGeneratedBy, Literal(BOUWER)))
    return g.serialize(format="turtle")


def scenario_from_doc(doc: Any, name: str = "scenario") -> Scenario:
    """One scenario from its YAML form."""
    return from_graph(from_doc(doc, name), name)[0]


def with_overrides(scenario: Scenario, gemeente: str | None = None, peildatum: str | None = None,
                   besluitdatum: str | None = None) -> Scenario:
    """The scenario for another gemeente or dates (CLI options, the web form).

    For another gemeente, every change that names the original gemeente names the new one
    (a change "van GM0823" of Oirschot's scenario is "van de gemeente zelf"), and the
    scenario remembers whom it was written for (its own texts name that one's partners).
    """
    from dataclasses import replace

    changes: dict[str, Any] = {}
    g = Graph()
    node = URIRef(scenario.iri)
    new: URIRef | None = None
    if gemeente:
        try:
            new = gemeente_iri(gemeente)
        except ValueError:
            raise UserError(N_("Geen gemeente: {waarde}"), waarde=repr(gemeente)) from None
    old = URIRef(scenario.gemeente)
    for s, p, o in scenario.graph:
        if new is not None and o == old and p in (SD.van, SD.naar, SD.betreft, SD.partner):
            o = new
        g.add((s, p, o))
    if new is not None and new != old:
        changes["gemeente"] = str(new)
        changes["geschreven_voor"] = scenario.geschreven_voor or scenario.gemeente
        changes["wijzigingen"] = [replace(w, **{k: str(new) for k in ("van", "naar", "betreft")
                                               if getattr(w, k) == str(old)},
                                          partners=[str(new) if p == str(old) else p
                                                    for p in w.partners])
                                  for w in scenario.wijzigingen]
        g.set((node, SD.gemeente, new))
    for key, value in (("peildatum", peildatum), ("besluitdatum", besluitdatum)):
        if value:
            day = _date(Literal(value), f"--{key}")
            changes[key] = day
            g.set((node, SD[key], Literal(day.isoformat(), datatype=XSD.date)))
    result = replace(scenario, graph=g, **changes)
    if result.besluitdatum and result.besluitdatum < result.peildatum:
        raise UserError(N_("De besluitdatum {besluitdatum} ligt voor de peildatum."),
                        besluitdatum=result.besluitdatum.isoformat())
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
        raise UserError(N_("Geen meegeleverd scenario {id}."), id=repr(ident))
    return path
