"""Loading a validated inventory as a new version of a gemeente's inventory, and its history.

A load replaces the graph of the gemeente's inventory (:mod:`.naming`) and,
in the same atomic store load, adds a version graph
``graph/historie/inventaris/<gm-code>/<bron>/v<n>`` holding one ``sd:Bron``
record: which inventory graph it is a version of (``prov:specializationOf``),
the version it replaces (``prov:wasRevisionOf``), when (``prov:generatedAtTime``),
by whom (``prov:wasAttributedTo``), from which files (``prov:wasDerivedFrom``:
file name and SHA-256, never a path), the peildatum it was validated on, and
its triples as N-Triples text (``sd:inhoud``). The text is one literal, so the
records of earlier versions never show up in queries over the store, while
``sdgraph history`` and the page Inventarissen can still list every version
and the differences between two.

Before writing, a load is refused when one of its records (taakuitvoering,
lidmaatschap, overeenkomst, mandaat, financieringsstroom) is described by
another inventory: one gemeente's records never merge with another's.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from ..errors import UserError
from ..i18n import N_, gettext
from ..namespaces import GRAPH, SD
from ..queries import NamedQuery, bundled_library
from ..store import LoadResult, Source, Store
from .naming import INVENTORY_GRAPHS, RECORD_CLASSES, code, graph_gemeente, inventory_graph

HISTORY_GRAPHS = str(GRAPH["historie/"])

#: Messages of a load (Dutch; other languages from the catalogue).
TEXTS: dict[str, str] = {
    "not_passed": N_("Niet geladen: de inventaris voldoet niet aan de validatie."),
    "no_gemeente": N_("Niet geladen: de inventaris noemt geen gemeente; geef aan van welke "
                      "gemeente hij is (--gemeente GM0823)."),
    "several_gemeenten": N_("Niet geladen: de inventaris noemt meer dan één gemeente "
                            "({names}); geef aan van welke gemeente hij is (--gemeente "
                            "GM0823)."),
    "other_gemeente": N_("Niet geladen: de graaf {graph} is van een andere gemeente dan "
                         "{gemeente}."),
    "collision": N_("Niet geladen: {n} gegeven(s) van deze inventaris staan al in een andere "
                    "inventaris ({examples}); verwijs ernaar zonder ze opnieuw te beschrijven, "
                    "of geef ze een eigen id."),
}


def text(key: str, lang: str, **values: object) -> str:
    return gettext(TEXTS[key], lang, **values)


@dataclass
class FileRef:
    """A file an inventory version was read from: its name and SHA-256, never its path."""

    name: str
    checksum: str

    @classmethod
    def of(cls, name: str, data: bytes) -> FileRef:
        return cls(name, "sha256:" + hashlib.sha256(data).hexdigest())


@dataclass
class Version:
    iri: URIRef
    graph: str  # the inventory graph this is a version of
    number: int
    loaded: str
    by: str = ""
    title: str = ""
    peildatum: str = ""
    triples: int = 0
    files: list[FileRef] = field(default_factory=list)
    previous: URIRef | None = None
    current: bool = False

    @property
    def gemeente(self) -> URIRef | None:
        return graph_gemeente(self.graph)

    @property
    def part(self) -> str:
        if self.graph.startswith(INVENTORY_GRAPHS):
            return self.graph[len(INVENTORY_GRAPHS):].split("/", 1)[-1]
        return self.graph

    def to_dict(self) -> dict[str, object]:
        return {"version": str(self.iri), "graph": self.graph, "number": self.number,
                "loaded": self.loaded, "by": self.by, "title": self.title,
                "peildatum": self.peildatum, "triples": self.triples,
                "files": [{"name": f.name, "checksum": f.checksum} for f in self.files],
                "current": self.current}


@dataclass
class Loaded:
    """What a load did: the graph it replaced and the version it added."""

    graph: str
    triples: int
    version: Version
    replaced: Version | None
    results: list[LoadResult]


def _query(name: str) -> NamedQuery:
    return bundled_library().get(f"inventaris/{name}")


def version_graph(target: str, number: int) -> str:
    """``graph/historie/inventaris/<gm>/<bron>/v<n>`` (other graphs: by their own name)."""
    if target.startswith(INVENTORY_GRAPHS):
        tail = target[len(str(GRAPH)):]
    else:
        tail = "graaf/" + hashlib.sha256(target.encode("utf-8")).hexdigest()[:16]
    return f"{HISTORY_GRAPHS}{tail}/v{number}"


def _number(iri: str) -> int:
    last = iri.split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return int(last[1:]) if last[:1] == "v" and last[1:].isdigit() else 0


def versions(store: Store, graph: str | None = None, gemeente: URIRef | None = None
             ) -> list[Version]:
    """Every recorded version (of one inventory graph, or of one gemeente's inventories),
    oldest first per graph; the newest of a graph that is still loaded is current."""
    records = _query("versies").run(store, {})
    found: list[Version] = []
    for node in set(records.subjects(PROV.specializationOf, None)):
        target = str(records.value(node, PROV.specializationOf))
        if graph is not None and target != graph:
            continue
        if gemeente is not None and graph_gemeente(target) != gemeente:
            continue
        files = [FileRef(str(records.value(f, DCTERMS.source) or ""),
                         str(records.value(f, SD.checksum) or ""))
                 for f in records.objects(node, PROV.wasDerivedFrom)]
        agent = records.value(node, PROV.wasAttributedTo)
        count = records.value(node, SD.aantalTriples)
        found.append(Version(
            iri=node, graph=target, number=_number(str(node)),
            loaded=str(records.value(node, PROV.generatedAtTime) or ""),
            by=str(records.value(agent, RDFS.label) or "") if agent is not None else "",
            title=str(records.value(node, DCTERMS.title) or ""),
            peildatum=str(records.value(node, SD.peildatum) or ""),
            triples=int(count) if count is not None else 0,
            files=sorted(files, key=lambda f: f.name),
            previous=records.value(node, PROV.wasRevisionOf),
        ))
    found.sort(key=lambda v: (v.graph, v.number))
    loaded = set(store.named_graphs())
    newest: dict[str, Version] = {}
    for version in found:
        newest[version.graph] = version
    for target, version in newest.items():
        version.current = target in loaded
    return found


def content(store: Store, version: Version | URIRef) -> Graph:
    """The triples of one version."""
    iri = version.iri if isinstance(version, Version) else version
    table = _query("inhoud").run(store, {"versie": str(iri)})
    graph = Graph()
    if table.rows and table.rows[0][0] is not None:
        graph.parse(data=str(table.rows[0][0]), format="nt")
    return graph


def _ntriples(graph: Graph) -> str:
    """The graph as sorted N-Triples lines written by Oxigraph (stable between versions)."""
    text = graph.serialize(format="nt")
    quads = ox.parse(text.encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    lines = (ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES) or b"")
    return "".join(sorted(set(lines.decode("utf-8").splitlines(keepends=True))))


def records_elsewhere(store: Store, inventory: Graph, target: str) -> dict[URIRef, str]:
    """The inventory's records that another inventory graph describes already."""
    mine = {s for cls in RECORD_CLASSES for s in inventory.subjects(RDF.type, cls)
            if isinstance(s, URIRef)}
    if not mine:
        return {}
    table = _query("gegevens").run(store, {})
    return {row["gegeven"]: str(row["graaf"]) for row in table.dicts()
            if row["gegeven"] in mine and str(row["graaf"]) != target}


def load_inventory(store: Store, inventory, report, files: list[FileRef], *,
                   gemeente: URIRef | None = None, part: str | None = None,
                   graph: str | None = None, by: str = "", strict: bool = False,
                   lang: str = "nl") -> Loaded:
    """Load a validated inventory as the next version of its gemeente's inventory.

    Refuses (UserError, nothing written) when the report does not pass, when it is not
    clear whose inventory it is, or when a record belongs to another inventory."""
    from ..validation.engine import scope

    if not report.passes(strict):
        raise UserError(text("not_passed", lang))
    gemeente = gemeente or inventory.gemeente
    if graph is None:
        if gemeente is None:
            from .naming import gemeente_candidates

            names = [code(g).upper() for g in gemeente_candidates(inventory.graph)]
            if names:
                raise UserError(text("several_gemeenten", lang, names=", ".join(names)))
            raise UserError(text("no_gemeente", lang))
        graph = inventory_graph(gemeente, part)
    elif graph_gemeente(graph) is not None and gemeente is not None \
            and graph_gemeente(graph) != gemeente:
        raise UserError(text("other_gemeente", lang, graph=graph, gemeente=code(gemeente).upper()))
    clashes = records_elsewhere(store, inventory.graph, graph)
    if clashes:
        examples = "; ".join(f"{r} in {g}" for r, g in sorted(clashes.items())[:3])
        raise UserError(text("collision", lang, n=len(clashes), examples=examples))
    history = versions(store, graph=graph)
    replaced = history[-1] if history and history[-1].current else None
    number = (history[-1].number if history else 0) + 1
    names = ", ".join(f.name for f in files) or "inventaris"
    who = gemeente or next(iter(scope(inventory.graph)), None)
    title = (f"Inventaris {code(who).upper() if who is not None else ''} versie {number}: "
             f"{names} (gevalideerd, peildatum {report.peildatum.isoformat()})")
    record = _version_record(graph, number, history[-1] if history else None, files, by,
                             title, report.peildatum.isoformat(), inventory.graph)
    sources = [
        Source(name=names, data=inventory.turtle(), format=ox.RdfFormat.TURTLE, graph=graph,
               title=title),
        Source(name=f"versie-{number}.nt", data=record.serialize(format="nt").encode("utf-8"),
               format=ox.RdfFormat.N_TRIPLES, graph=version_graph(graph, number),
               title=f"Versie {number} van {graph}"),
    ]
    results = store.load(sources)
    added = next(v for v in versions(store, graph=graph) if v.number == number)
    return Loaded(graph, results[0].triples, added, replaced, results)


def _version_record(graph: str, number: int, previous: Version | None, files: list[FileRef],
                    by: str, title: str, peildatum: str, inventory: Graph) -> Graph:
    record = Graph()
    node = URIRef(version_graph(graph, number) + "#versie")
    record.add((node, RDF.type, SD.Bron))
    record.add((node, RDF.type, PROV.Entity))
    record.add((node, PROV.specializationOf, URIRef(graph)))
    if previous is not None:
        record.add((node, PROV.wasRevisionOf, previous.iri))
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    record.add((node, PROV.generatedAtTime, Literal(now, datatype=XSD.dateTime)))
    record.add((node, DCTERMS.title, Literal(title)))
    record.add((node, SD.peildatum, Literal(peildatum, datatype=XSD.date)))
    record.add((node, SD.aantalTriples, Literal(len(inventory),
                                                datatype=XSD.nonNegativeInteger)))
    record.add((node, SD.inhoud, Literal(_ntriples(inventory))))
    if by:
        agent = BNode()
        record.add((node, PROV.wasAttributedTo, agent))
        record.add((agent, RDF.type, PROV.Agent))
        record.add((agent, RDFS.label, Literal(by)))
    for f in files:
        part = BNode()
        record.add((node, PROV.wasDerivedFrom, part))
        record.add((part, DCTERMS.source, Literal(f.name)))
        record.add((part, SD.checksum, Literal(f.checksum)))
    return record


# --------------------------------------------------------------------------- differences


@dataclass
class Change:
    """One record that differs between two versions."""

    record: URIRef
    label: str
    kind: str  # "added", "removed", "changed"
    added: list[tuple[str, str]] = field(default_factory=list)  # (property, value)
    removed: list[tuple[str, str]] = field(default_factory=list)


def differences(old: Graph, new: Graph, labels: Graph | None = None, lang: str = "nl"
                ) -> list[Change]:
    """Per record (subject), what was added, removed or changed from ``old`` to ``new``."""
    names = Graph()
    names += old
    names += new
    if labels is not None:
        names += labels

    def name(node) -> str:
        if isinstance(node, Literal):
            return str(node)
        for prop in (RDFS.label, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")):
            found = {(v.language or ""): str(v) for v in names.objects(node, prop)
                     if isinstance(v, Literal)}
            if found:
                return found.get(lang) or found.get("nl") or next(iter(found.values()))
        from ..validation.report import short

        return short(node) if isinstance(node, URIRef) else str(node)

    changes: list[Change] = []
    subjects = {s for s in set(old.subjects()) | set(new.subjects()) if isinstance(s, URIRef)}
    for subject in sorted(subjects):
        before = set(old.predicate_objects(subject))
        after = set(new.predicate_objects(subject))
        if before == after:
            continue
        kind = "added" if not before else "removed" if not after else "changed"
        changes.append(Change(
            record=subject, label=name(subject), kind=kind,
            added=sorted((name(p), name(o)) for p, o in after - before),
            removed=sorted((name(p), name(o)) for p, o in before - after),
        ))
    order = {"changed": 0, "added": 1, "removed": 2}
    return sorted(changes, key=lambda c: (order[c.kind], c.label))
