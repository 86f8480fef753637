"""Validate an inventory against the bundled SHACL shapes.

The data graph is the inventory plus the bundled ontology (``sh:class`` needs
its ``rdfs:subClassOf`` axioms) and vocabularies (taken, wetten, deelgebieden,
...), plus a small validation context: the peildatum, and with ``reference``
the descriptions of the organisations the inventory refers to and the ROO
register memberships of its gemeenten, fetched from the store with the named
queries in ``queries/validatie/``. Only results about the inventory's own
records (and the gemeenten it covers) are reported, so reference facts are
never blamed on the user.

Engines run the same shapes: pyshacl-turbo (the default, fast), pyrudof,
``split`` (the Core shapes by shacl-rust, the SHACL-SPARQL constraints as
whole-graph queries on Oxigraph: ``whole.py``, the national path) and pySHACL
(the reference implementation). ``docs/validation.md`` records how
they compare; a test checks both report exactly the expected results on the
fixtures.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Identifier

from ..errors import StoreError, UserError
from ..namespaces import ORG, SD
from ..queries import NamedQuery, bundled_library
from ..resources import ontology_file, resource_dir, vocabulary_files
from .inputs import Inventory
from .report import Report, Result

SDSH = "https://w3id.org/sdgraph/shapes#"
CONTEXT = URIRef(SDSH + "validatie")
PEILDATUM = URIRef(SDSH + "peildatum")
REGISTER_CHECKED = URIRef(SDSH + "registerGecontroleerd")
AANTAL = URIRef(SDSH + "aantalTriples")

ENGINES = ("turbo", "rudof", "pyshacl", "split")
DEFAULT_ENGINE = "turbo"


def shape_paths() -> list[Path]:
    """Every shapes file: the per-record shapes and the inventory rules (shapes/inventaris/)."""
    root = resource_dir("shapes")
    return sorted(root.glob("*.ttl")) + sorted((root / "inventaris").glob("*.ttl"))


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    graph = Graph()
    for path in shape_paths():
        graph.parse(path, format="turtle")
    return graph


@lru_cache(maxsize=1)
def base_graph() -> Graph:
    """The bundled ontology and vocabularies (read once per process)."""
    graph = Graph()
    for path in [ontology_file(), *vocabulary_files()]:
        graph.parse(path, format="turtle")
    return graph


def engine_version(engine: str) -> str:
    if engine == "turbo":
        import pyshacl_turbo

        return f"pyshacl-turbo {pyshacl_turbo.__version__}"
    if engine in ("rudof", "split"):
        from importlib.metadata import version

        if engine == "split":
            return (f"shacl-rust {version('shacl-rust')} + pyoxigraph {version('pyoxigraph')} "
                    "(SHACL-SPARQL)")
        return f"pyrudof {version('pyrudof')}"
    import pyshacl

    return f"pySHACL {pyshacl.__version__}"


def _template(message: str) -> re.Pattern:
    """A regex matching ``message`` with its {?var} / {$this} placeholders filled in."""
    parts = re.split(r"\{[?$]\w+\}", message)
    return re.compile(".*".join(re.escape(p) for p in parts), re.S)


def _rudof(data: Graph, shapes: Graph) -> Graph:
    """pyrudof (Rust): data and shapes as N-Triples text, the report read back as Turtle."""
    import pyrudof

    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_data(data.serialize(format="nt"), format=pyrudof.RDFFormat.NTriples)
    rudof.read_shacl(shapes.serialize(format="turtle"))
    rudof.validate_shacl()
    text = rudof.serialize_shacl_validation_results(
        format=pyrudof.ResultShaclValidationFormat.Turtle)
    report = Graph().parse(data=text, format="turtle")
    # pyrudof names the shape of a SPARQL rule's result but not the rule (sh:sourceConstraint,
    # which the scope and the report's rule names need): the shape's one sh:sparql, or of
    # several the one whose message the result carries
    for node in list(report.subjects(SH.sourceConstraintComponent,
                                     SH.SPARQLConstraintComponent)):
        if report.value(node, SH.sourceConstraint) is not None:
            continue
        rules = list(shapes.objects(report.value(node, SH.sourceShape), SH.sparql))
        said = [str(m) for m in report.objects(node, SH.resultMessage)]
        if len(rules) > 1:
            rules = [r for r in rules if any(_template(str(t)).fullmatch(m) for m in said
                                             for t in shapes.objects(r, SH.message))]
        if len(rules) == 1:
            report.add((node, SH.sourceConstraint, rules[0]))
    return report


def run_engine(engine: str, data: Graph, shapes: Graph) -> Graph:
    """Run one SHACL engine; returns the SHACL validation report graph."""
    if engine == "turbo":
        from pyshacl_turbo import validate as turbo_validate

        _, report, _ = turbo_validate(data, shacl_graph=shapes, inference="none",
                                      allow_warnings=True, allow_infos=True)
    elif engine == "rudof":
        report = _rudof(data, shapes)
    elif engine == "split":  # Core by shacl-rust, SHACL-SPARQL on Oxigraph (the national path)
        from .whole import validate_graph

        report = validate_graph(data, shapes)
    elif engine == "pyshacl":
        from pyshacl import validate as pyshacl_validate

        _, report, _ = pyshacl_validate(data, shacl_graph=shapes, inference="none",
                                        allow_warnings=True, allow_infos=True)
    else:
        raise UserError(f"unknown validation engine {engine!r} (known: {', '.join(ENGINES)})")
    if not isinstance(report, Graph):
        raise UserError(f"the validator could not run: {report}")
    return report


# --------------------------------------------------------------------------- reference context


@dataclass
class Reference:
    """What the store adds to the data graph: descriptions and register memberships."""

    graph: Graph = field(default_factory=Graph)
    described: int = 0
    gemeenten: list[URIRef] = field(default_factory=list)


def _query(name: str) -> NamedQuery:
    return bundled_library().get(f"validatie/{name}")


#: Kinds of things an inventory refers to whose description always comes from the store,
#: even when the inventory says something about them (a short name, a type).
RESOLVED = frozenset({SD.Gemeente, SD.GemeenschappelijkeRegeling, SD.Regio, SD.Provincie,
                      SD.Organisatie, SD.Samenwerkingsverband, ORG.Organization, SD.Taak,
                      SD.Wet})


def own_records(inventory: Graph) -> set[Identifier]:
    """The records an inventory describes itself: the subjects it gives a type other than
    an organisation, taak or wet (a taakuitvoering, an overeenkomst, its own aanbieder...),
    and its blank nodes."""
    types: dict[Identifier, set] = {}
    for s, t in inventory.subject_objects(RDF.type):
        types.setdefault(s, set()).add(t)
    own = {s for s, ts in types.items() if not ts <= RESOLVED}
    own |= {s for s in inventory.subjects() if isinstance(s, BNode)}
    return own


def referenced_iris(inventory: Graph, known: Graph) -> list[URIRef]:
    """IRIs whose description the store adds: every IRI the inventory refers to or says
    something about, except its own records and what the bundled files describe (give a
    type; a bundled file that only adds a name, such as the search names of
    data/vocab/zoeknamen.ttl, does not describe a gemeente)."""
    mentioned = {s for s in inventory.subjects() if isinstance(s, URIRef)}
    mentioned |= {o for p, o in inventory.predicate_objects()
                  if isinstance(o, URIRef) and p != RDF.type}
    own = own_records(inventory)
    return sorted(i for i in mentioned - own if (i, RDF.type, None) not in known)


def inventory_gemeenten(data: Graph, inventory: Graph) -> list[URIRef]:
    """The gemeenten an inventory is about: those of its taakuitvoeringen, else the members
    of its lidmaatschappen (the scope of the register check)."""
    found = {g for g in inventory.objects(None, SD.gemeente) if isinstance(g, URIRef)}
    if not found:
        for lidmaatschap in inventory.subjects(RDF.type, SD.Lidmaatschap):
            found.update(m for m in inventory.objects(lidmaatschap, ORG.member)
                         if isinstance(m, URIRef))
    return sorted(g for g in found if (g, RDF.type, SD.Gemeente) in data)


#: Referenced IRIs described per query (``fetch_reference``).
DESCRIBE_CHUNK = 200


def fetch_reference(store, inventory: Graph, data: Graph) -> Reference:
    """Descriptions of referenced IRIs and the register memberships, from ``store``."""
    ref = Reference()
    describe, register = _query("beschrijving"), _query("register")
    iris = [str(i) for i in referenced_iris(inventory, base_graph())]
    # the IRIs bound as a list, a few hundred per query (one query per IRI cost 4 ms each:
    # 166 queries for one gemeente's seven periods); the description has no blank nodes,
    # so the union of the lists' results is that of one query per IRI
    for start in range(0, len(iris), DESCRIBE_CHUNK):
        found = describe.run(store, {}, ("iri", iris[start:start + DESCRIBE_CHUNK]))
        ref.described += len({s for s in found.subjects(RDF.type, None)})
        ref.graph += found
    data += ref.graph
    for gemeente in inventory_gemeenten(data, inventory):
        ref.graph += register.run(store, {"gemeente": str(gemeente)})
        ref.gemeenten.append(gemeente)
    return ref


def exists_on(data: Graph, gemeente: URIRef, day: date) -> bool:
    """Whether ``gemeente`` exists on ``day`` by its stated lifetime (unknown: it does)."""
    for start in data.objects(gemeente, SD.geldigVanaf):
        if well_typed(start, XSD.date) and start.toPython() > day:
            return False
    for end in data.objects(gemeente, SD.geldigTot):
        if well_typed(end, XSD.date) and end.toPython() <= day:
            return False
    return True


# --------------------------------------------------------------------------- validation


@lru_cache(maxsize=1)
def inventory_rules() -> frozenset[Identifier]:
    """The shapes and constraints about an inventory as a whole (shapes/inventaris/)."""
    graph = Graph()
    for path in sorted((resource_dir("shapes") / "inventaris").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return frozenset(s for s in graph.subjects() if isinstance(s, URIRef))


def in_scope(result: Result, inventory: Graph, own: set[Identifier],
             gemeenten: set[Identifier]) -> bool:
    """Whether a result is the user's: about one of the inventory's own records; an
    inventory rule about a gemeente it covers (or about the inventory itself); or about
    a value the inventory states for something it does not describe itself (a short
    name added to a register organisation). Facts from the store are never blamed on
    the user."""
    if result.focus in own:
        return True
    if result.focus == CONTEXT:
        return True
    rule = result.constraint or result.shape
    if result.focus in gemeenten and rule in inventory_rules():
        return True
    if result.path is None or isinstance(result.focus, Literal):
        return False
    if isinstance(result.value, URIRef):
        return (result.focus, result.path, result.value) in inventory
    return (result.focus, result.path, None) in inventory


def scope(inventory: Graph) -> set[Identifier]:
    """The gemeenten an inventory's taakuitvoeringen are for (inventory rules report there)."""
    return {o for o in inventory.objects(None, SD.gemeente) if isinstance(o, URIRef)}


def validate(
    inventory: Graph | Inventory,
    *,
    peildatum: date | None = None,
    store=None,
    reference: bool = False,
    engine: str = DEFAULT_ENGINE,
    files: Iterable[str] = (),
    origins: dict[Identifier, str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Validate ``inventory``; with ``reference`` compare it with the store's reference graph."""
    started = time.perf_counter()
    if isinstance(inventory, Inventory):
        files = files or inventory.files
        origins = origins or inventory.origins
        inventory = inventory.graph
    peildatum = peildatum or date.today()
    data = Graph()
    data += base_graph()
    for s, p, o in inventory:
        # a literal whose text does not fit its datatype ("2015-13-01"^^xsd:date) is text to
        # every rule: its datatype rule reports it once, and no engine compares it as a date
        data.add((s, p, Literal(str(o)) if isinstance(o, Literal) and o.ill_typed else o))
    data.add((CONTEXT, PEILDATUM, Literal(peildatum.isoformat(), datatype=XSD.date)))
    data.add((CONTEXT, AANTAL, Literal(len(inventory), datatype=XSD.integer)))
    data.add((CONTEXT, RDFS.label, Literal("de inventaris", lang="nl")))
    data.add((CONTEXT, RDFS.label, Literal("the inventory", lang="en")))
    ref = None
    if reference:
        if store is None:
            raise StoreError("the register check needs a store with the reference graph")
        if progress:
            progress("reference")
        ref = fetch_reference(store, inventory, data)
        data += ref.graph
        # the register check covers the gemeenten that exist on the peildatum (a record of
        # an abolished gemeente running on is reported once, by NaOpheffing)
        ref.gemeenten = [g for g in ref.gemeenten if exists_on(data, g, peildatum)]
        for gemeente in ref.gemeenten:
            data.add((CONTEXT, REGISTER_CHECKED, gemeente))
    if progress:
        progress("validate")
    report_graph = run_engine(engine, data, shapes_graph())
    own = own_records(inventory)
    gemeenten = scope(inventory) | set(ref.gemeenten if ref else [])
    results = [r for r in read_results(report_graph, shapes_graph(), data)
               if in_scope(r, inventory, own, gemeenten)]
    return Report(
        results=results,
        data=data,
        shapes=shapes_graph(),
        peildatum=peildatum,
        reference=reference,
        files=list(files),
        triples=len(inventory),
        engine=engine_version(engine),
        seconds=time.perf_counter() - started,
        origins=origins or {},
        inventory=inventory,
    )


def _language(message: str, templates: list) -> str:
    """The language of a message whose engine dropped the tag: that of the matching template."""
    for template in templates:
        pattern = re.sub(r"\\\{\\[?$]\w+\\\}", ".*", re.escape(str(template)))
        if getattr(template, "language", None) and re.fullmatch(pattern, message, re.S):
            return template.language
    return "nl"


#: Constraint components that compare values; a value of the wrong datatype is reported
#: by the datatype rule of its field, not again as too small, too large or out of order.
COMPARISONS = frozenset({SH.MinInclusiveConstraintComponent, SH.MaxInclusiveConstraintComponent,
                         SH.MinExclusiveConstraintComponent, SH.MaxExclusiveConstraintComponent})
ORDERINGS = {SH.LessThanOrEqualsConstraintComponent: SH.lessThanOrEquals,
             SH.LessThanConstraintComponent: SH["lessThan"]}


def well_typed(value: Identifier, datatype: Identifier | None) -> bool:
    """A literal of ``datatype`` (any, when None) whose text is valid for it."""
    if not isinstance(value, Literal) or value.ill_typed:
        return False
    return datatype is None or value.datatype == datatype


def _compared_elsewhere(component, shape, focus, path, value, shapes: Graph,
                        data: Graph | None) -> bool:
    """True when a comparison failed only because a value is not of its field's datatype."""
    if component in COMPARISONS:
        return value is not None and not well_typed(value, shapes.value(shape, SH.datatype))
    if component in ORDERINGS and data is not None and isinstance(path, URIRef):
        other = shapes.value(shape, ORDERINGS[component])
        values = list(data.objects(focus, path))
        if isinstance(other, URIRef):
            values += list(data.objects(focus, other))
        return any(not well_typed(v, v.datatype if isinstance(v, Literal) else None)
                   or (isinstance(v, Literal) and v.datatype not in (XSD.date, XSD.dateTime))
                   for v in values)
    return False


def read_results(report: Graph, shapes: Graph, data: Graph | None = None) -> list[Result]:
    """The results of a SHACL report graph, one per distinct (focus, shape, path, value, kind);
    comparisons failed by a value of the wrong datatype are left to the datatype rule."""
    seen: set[tuple] = set()
    results: list[Result] = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(node, SH.focusNode)
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        shape = report.value(node, SH.sourceShape)
        constraint = report.value(node, SH.sourceConstraint)
        component = report.value(node, SH.sourceConstraintComponent)
        severity = report.value(node, SH.resultSeverity)
        key = (focus, shape, constraint, path, value, component)
        if key in seen or focus is None:
            continue
        if _compared_elsewhere(component, shape, focus, path, value, shapes, data):
            continue
        seen.add(key)
        templates = [m for n in (constraint, shape) if n is not None
                     for m in shapes.objects(n, SH.message)]
        messages = {}
        for message in report.objects(node, SH.resultMessage):
            lang = message.language if isinstance(message, Literal) else None
            messages.setdefault(lang or _language(str(message), templates), str(message))
        if value == focus and constraint is not None:
            value = None  # a SPARQL rule about its focus as a whole names no value
        results.append(
            Result(
                focus=focus,
                path=path if isinstance(path, URIRef) else None,
                value=value,
                shape=shape,
                constraint=constraint if isinstance(constraint, URIRef) else None,
                component=component,
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                messages=messages,
            )
        )
    return results
