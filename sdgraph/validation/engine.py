"""Validate an inventory against the bundled SHACL shapes.

The data graph is the inventory plus the bundled ontology (``sh:class`` needs
its ``rdfs:subClassOf`` axioms) and vocabularies (taken, wetten, deelgebieden,
...), plus a small validation context: the peildatum, and with ``reference``
the descriptions of the organisations the inventory refers to and the ROO
register memberships of its gemeenten, fetched from the store with the named
queries in ``queries/validatie/``. Only results about the inventory's own
records (and the gemeenten it covers) are reported, so reference facts are
never blamed on the user.

Two engines run the same shapes: pyshacl-turbo (the default, fast) and
pySHACL (the reference implementation). ``docs/validation.md`` records how
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

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
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

ENGINES = ("turbo", "pyshacl")
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
    import pyshacl

    return f"pySHACL {pyshacl.__version__}"


def run_engine(engine: str, data: Graph, shapes: Graph) -> Graph:
    """Run one SHACL engine; returns the SHACL validation report graph."""
    if engine == "turbo":
        from pyshacl_turbo import validate as turbo_validate

        _, report, _ = turbo_validate(data, shacl_graph=shapes, inference="none",
                                      allow_warnings=True, allow_infos=True)
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


def referenced_iris(inventory: Graph, known: Graph) -> list[URIRef]:
    """IRIs the inventory refers to but does not describe, and the bundled files do not know."""
    subjects = set(inventory.subjects())
    objects = {o for o in inventory.objects() if isinstance(o, URIRef)}
    return sorted(o for o in objects - subjects if (o, None, None) not in known)


def inventory_gemeenten(data: Graph, inventory: Graph) -> list[URIRef]:
    """The gemeenten an inventory is about: those of its taakuitvoeringen, else the members
    of its lidmaatschappen (the scope of the register check)."""
    found = {g for g in inventory.objects(None, SD.gemeente) if isinstance(g, URIRef)}
    if not found:
        for lidmaatschap in inventory.subjects(RDF.type, SD.Lidmaatschap):
            found.update(m for m in inventory.objects(lidmaatschap, ORG.member)
                         if isinstance(m, URIRef))
    return sorted(g for g in found if (g, RDF.type, SD.Gemeente) in data)


def fetch_reference(store, inventory: Graph, data: Graph) -> Reference:
    """Descriptions of referenced IRIs and the register memberships, from ``store``."""
    ref = Reference()
    describe, register = _query("beschrijving"), _query("register")
    for iri in referenced_iris(inventory, base_graph()):
        found = describe.run(store, {"iri": str(iri)})
        if len(found):
            ref.described += 1
            ref.graph += found
    data += ref.graph
    for gemeente in inventory_gemeenten(data, inventory):
        ref.graph += register.run(store, {"gemeente": str(gemeente)})
        ref.gemeenten.append(gemeente)
    return ref


# --------------------------------------------------------------------------- validation


def scope(inventory: Graph) -> set[Identifier]:
    """Focus nodes reported: the inventory's records and the gemeenten they are for."""
    nodes: set[Identifier] = set(inventory.subjects())
    nodes |= {o for o in inventory.objects(None, SD.gemeente) if isinstance(o, URIRef)}
    return nodes


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
    data += inventory
    data.add((CONTEXT, PEILDATUM, Literal(peildatum.isoformat(), datatype=XSD.date)))
    ref = None
    if reference:
        if store is None:
            raise StoreError("the register check needs a store with the reference graph")
        if progress:
            progress("reference")
        ref = fetch_reference(store, inventory, data)
        data += ref.graph
        for gemeente in ref.gemeenten:
            data.add((CONTEXT, REGISTER_CHECKED, gemeente))
    if progress:
        progress("validate")
    report_graph = run_engine(engine, data, shapes_graph())
    allowed = scope(inventory) | set(ref.gemeenten if ref else [])
    results = [r for r in read_results(report_graph, shapes_graph()) if r.focus in allowed]
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
    )


def _language(message: str, templates: list) -> str:
    """The language of a message whose engine dropped the tag: that of the matching template."""
    for template in templates:
        pattern = re.sub(r"\\\{\\[?$]\w+\\\}", ".*", re.escape(str(template)))
        if getattr(template, "language", None) and re.fullmatch(pattern, message, re.S):
            return template.language
    return "nl"


def read_results(report: Graph, shapes: Graph) -> list[Result]:
    """The results of a SHACL report graph, one per distinct (focus, shape, path, value, kind)."""
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
        seen.add(key)
        templates = [m for n in (constraint, shape) if n is not None
                     for m in shapes.objects(n, SH.message)]
        messages = {}
        for message in report.objects(node, SH.resultMessage):
            lang = message.language if isinstance(message, Literal) else None
            messages.setdefault(lang or _language(str(message), templates), str(message))
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
