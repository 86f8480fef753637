"""Validation of a whole graph: the national reference graph with every inventory.

Two parts, each on the engine that does it fastest, together the same results
as pySHACL with all shapes:

* the SHACL Core shapes (every shape without its ``sh:sparql`` constraints) by
  shacl-rust, which streams the N-Triples files itself (pyrudof can do the same,
  with the same results, at 16 times the CPU: docs/performance.md);
* every SHACL-SPARQL constraint as one SPARQL query over the whole graph in an
  in-memory Oxigraph store: the constraint's own ``SELECT``, with its shape's
  focus nodes (the targets) joined in as the first element of its ``WHERE``
  group, so ``$this`` is bound wherever the query uses it, as SHACL's
  pre-binding binds it for one focus node at a time. The results are written
  as pySHACL writes them (focus, value or else the focus, path, shape,
  constraint, severity, the messages with ``{?var}`` filled in).

Per-focus-node evaluation inside a SHACL engine made these constraints the cost
of a national run (docs/performance.md, "National validation").
"""

from __future__ import annotations

import io
import re
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Identifier

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
#: A constraint's form for every focus node at once, where its ``sh:select`` (written for
#: engines that bind one focus node at a time) would be slow over the whole graph.
WHOLE_GRAPH_SELECT = URIRef("https://w3id.org/sdgraph/shapes#selectHeleGraaf")
_WHERE = re.compile(r"\bWHERE\s*\{", re.I)


@dataclass(frozen=True)
class SparqlRule:
    """One SHACL-SPARQL constraint of one shape, as a whole-graph query."""

    shape: URIRef
    constraint: Identifier
    severity: URIRef
    messages: tuple[Literal, ...]
    query: str

    @property
    def name(self) -> str:
        return str(self.constraint).rsplit("#", 1)[-1]


def _prefixes(shapes: Graph, constraint: Identifier) -> str:
    """PREFIX lines of the constraint's ``sh:prefixes`` (and the ontologies they import)."""
    lines = {}
    todo = list(shapes.objects(constraint, SH.prefixes))
    seen = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for decl in shapes.objects(node, SH.declare):
            prefix = shapes.value(decl, SH.prefix)
            namespace = shapes.value(decl, SH.namespace)
            if prefix is not None and namespace is not None:
                lines[str(prefix)] = f"PREFIX {prefix}: <{namespace}>"
        todo.extend(shapes.objects(node, URIRef("http://www.w3.org/2002/07/owl#imports")))
    return "\n".join(lines[p] for p in sorted(lines))


def _term(node: Identifier) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise ValueError(f"a target that is a blank node cannot be named in a query: {node}")


def target_pattern(shapes: Graph, shape: URIRef) -> str:
    """A sub-select binding ``?this`` to every focus node of ``shape`` once, as SHACL targets
    them: ``sh:targetClass`` with its subclasses in the data graph, subjects or objects of a
    property, named nodes."""
    parts = []
    for cls in sorted(shapes.objects(shape, SH.targetClass)):
        parts.append(f"{{ ?this <{RDF.type}>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* "
                     f"{_term(cls)} }}")
    for prop in sorted(shapes.objects(shape, SH.targetSubjectsOf)):
        parts.append(f"{{ ?this {_term(prop)} ?sdgraph_target_o }}")
    for prop in sorted(shapes.objects(shape, SH.targetObjectsOf)):
        parts.append(f"{{ ?sdgraph_target_s {_term(prop)} ?this }}")
    nodes = sorted(shapes.objects(shape, SH.targetNode))
    if nodes:
        parts.append("{ VALUES ?this { " + " ".join(_term(n) for n in nodes) + " } }")
    if not parts:
        raise ValueError(f"{shape} has no target")
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"


def whole_graph_query(shapes: Graph, shape: URIRef, constraint: Identifier) -> str:
    """The constraint's SELECT with the shape's targets as the first element of its WHERE
    group: filters, OPTIONAL and EXISTS of that group then see ``$this`` bound, as with
    SHACL's pre-binding of one focus node. A constraint's ``sdsh:selectHeleGraaf`` is used
    instead of its ``sh:select`` when it has one."""
    select = str(shapes.value(constraint, WHOLE_GRAPH_SELECT)
                 or shapes.value(constraint, SH.select))
    found = _WHERE.search(select) or re.search(r"\{", select)
    if found is None:
        raise ValueError(f"{constraint}: no WHERE group in its sh:select")
    cut = found.end()
    body = select[:cut] + "\n    " + target_pattern(shapes, shape) + "\n" + select[cut:]
    return _prefixes(shapes, constraint) + "\n" + body


def sparql_rules(shapes: Graph) -> list[SparqlRule]:
    """Every active SHACL-SPARQL constraint of a shape with targets."""
    rules = []
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql)):
        if not any(shapes.value(shape, t) is not None for t in TARGETS):
            continue  # reached only through another shape: not supported here
        if _deactivated(shapes, shape) or _deactivated(shapes, constraint):
            continue
        rules.append(SparqlRule(
            shape=shape,
            constraint=constraint,
            severity=shapes.value(shape, SH.severity) or SH.Violation,
            messages=tuple(sorted((m for m in shapes.objects(constraint, SH.message)
                                   if isinstance(m, Literal)), key=str)),
            query=whole_graph_query(shapes, shape, constraint),
        ))
    return rules


def _deactivated(shapes: Graph, node: Identifier) -> bool:
    value = shapes.value(node, SH.deactivated)
    return isinstance(value, Literal) and value.toPython() is True


def core_shapes(shapes: Graph) -> Graph:
    """The shapes without their SHACL-SPARQL constraints (a shape left with no constraint
    reports nothing, as before)."""
    core = Graph()
    for triple in shapes:
        if triple[1] != SH.sparql:
            core.add(triple)
    return core


# --------------------------------------------------------------------------- terms


def to_rdflib(term) -> Identifier:
    """An Oxigraph term as the rdflib term a parser of the same N-Triples would make."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _message(template: Literal, bound: dict[str, Identifier]) -> Literal:
    """A ``sh:message`` with ``{?var}`` / ``{$var}`` filled in as pySHACL does (the term's
    text), keeping the template's language."""
    text = str(template)
    for var, value in bound.items():
        text = re.sub(r"\{[?$]" + re.escape(var) + r"\}", lambda _m, v=value: str(v), text)
    return Literal(text, lang=template.language) if template.language else Literal(text)


# --------------------------------------------------------------------------- running


@dataclass
class Timing:
    """Wall seconds per step and per SPARQL rule (for the bench's profile)."""

    steps: dict[str, float] = field(default_factory=dict)
    rules: dict[str, tuple[float, int]] = field(default_factory=dict)


def run_sparql_rules(store: ox.Store, shapes: Graph, report: Graph | None = None,
                     timing: Timing | None = None,
                     rules: Sequence[SparqlRule] | None = None) -> Graph:
    """Run every SHACL-SPARQL constraint over ``store`` (its default graph is the data
    graph); add one ``sh:ValidationResult`` per solution to ``report``."""
    report = Graph() if report is None else report
    seen: set[tuple] = set()
    for rule in sparql_rules(shapes) if rules is None else rules:
        started = time.perf_counter()
        found = 0
        solutions = store.query(rule.query)
        variables = [v.value for v in solutions.variables]
        for solution in solutions:
            bound = {}
            for var in ("this", "value", "path"):
                term = solution[var]
                if term is not None:
                    bound[var] = to_rdflib(term)
            this = bound.get("this")
            if this is None:
                continue
            value, path = bound.get("value", this), bound.get("path")
            others = {v: to_rdflib(solution[v]) for v in variables
                      if v not in ("this", "value", "path") and solution[v] is not None}
            key = (rule.constraint, this, path, value, tuple(sorted(others.items())))
            if key in seen:
                continue
            seen.add(key)
            found += 1
            node = BNode()
            report.add((node, RDF.type, SH.ValidationResult))
            report.add((node, SH.focusNode, this))
            report.add((node, SH.value, value))
            if path is not None:
                report.add((node, SH.resultPath, path))
            report.add((node, SH.sourceShape, rule.shape))
            report.add((node, SH.sourceConstraint, rule.constraint))
            report.add((node, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
            report.add((node, SH.resultSeverity, rule.severity))
            variables = {**others, **bound}
            for template in rule.messages:
                report.add((node, SH.resultMessage, _message(template, variables)))
        if timing is not None:
            timing.rules[rule.name] = (time.perf_counter() - started, found)
    return report


class _Chained(io.RawIOBase):
    """Several files read as one stream (N-Triples files concatenate to N-Triples)."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self._paths = list(paths)
        self._file = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while True:
            if self._file is None:
                if not self._paths:
                    return 0
                self._file = open(self._paths.pop(0), "rb")  # noqa: SIM115 (closed below)
            n = self._file.readinto(buffer)
            if n:
                return n
            self._file.close()
            self._file = None


def _core_shacl_rust(paths: Sequence[Path], shapes: Graph, folder: Path) -> Graph:
    """shacl-rust over N-Triples files with the Core shapes; its results as a report graph,
    each with the messages of its shape (as pySHACL: the engine's generic text only for a
    shape without ``sh:message``)."""
    import shacl_rust
    from rdflib.util import from_n3

    core = core_shapes(shapes)
    shapes_file = folder / "shapes.ttl"
    core.serialize(shapes_file, format="turtle", encoding="utf-8")
    with io.BufferedReader(_Chained(paths), buffer_size=1 << 20) as data:
        found = shacl_rust.validate_file(data, str(shapes_file), data_format="nt",
                                         experimental_index=True)
    report = Graph()
    for result in found["results"]:
        node = BNode()
        report.add((node, RDF.type, SH.ValidationResult))
        terms = {}
        for key, prop in (("focusNode", SH.focusNode), ("resultPath", SH.resultPath),
                          ("value", SH.value), ("sourceShape", SH.sourceShape),
                          ("severity", SH.resultSeverity),
                          ("sourceConstraintComponent", SH.sourceConstraintComponent)):
            if result.get(key) is not None:
                terms[prop] = from_n3(result[key])
                report.add((node, prop, terms[prop]))
        own = {str(m): m for m in core.objects(terms.get(SH.sourceShape), SH.message)}
        for text in result.get("messages", []):
            if text in own:
                report.add((node, SH.resultMessage, own[text]))
            elif not own:
                report.add((node, SH.resultMessage, Literal(text)))
    return report


def _core_rudof(paths: Sequence[Path], shapes: Graph) -> Graph:
    """pyrudof over N-Triples files with the Core shapes; the report graph."""
    import pyrudof

    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    for i, path in enumerate(paths):
        rudof.read_data(str(path), format=pyrudof.RDFFormat.NTriples, merge=i > 0)
    rudof.read_shacl(core_shapes(shapes).serialize(format="turtle"))
    rudof.validate_shacl()
    text = rudof.serialize_shacl_validation_results(
        format=pyrudof.ResultShaclValidationFormat.Turtle)
    return Graph().parse(data=text, format="turtle")


CORE_ENGINES = ("shacl-rust", "rudof")


def validate_files(paths: Sequence[Path | str], shapes: Graph, *, core: str = "shacl-rust",
                   timing: Timing | None = None,
                   progress: Callable[[str], None] | None = None) -> Graph:
    """Validate the union of N-Triples files with ``shapes``: the SHACL report graph.
    ``core``: the engine of the Core shapes (``CORE_ENGINES``)."""
    paths = [Path(p) for p in paths]
    timing = timing if timing is not None else Timing()
    started = time.perf_counter()
    if progress:
        progress("core")
    if core == "rudof":
        report = _core_rudof(paths, shapes)
    else:
        with tempfile.TemporaryDirectory(prefix="sdgraph-validate-") as tmp:
            report = _core_shacl_rust(paths, shapes, Path(tmp))
    timing.steps[f"core ({core})"] = time.perf_counter() - started
    started = time.perf_counter()
    if progress:
        progress("load")
    store = ox.Store()
    for path in paths:
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES,
                        to_graph=ox.DefaultGraph())
    timing.steps["load (Oxigraph)"] = time.perf_counter() - started
    started = time.perf_counter()
    if progress:
        progress("sparql")
    run_sparql_rules(store, shapes, report, timing)
    timing.steps["SPARQL rules (Oxigraph)"] = time.perf_counter() - started
    return report


def validate_graph(data: Graph, shapes: Graph) -> Graph:
    """The same for an rdflib graph (one inventory): written out as N-Triples first."""
    with tempfile.TemporaryDirectory(prefix="sdgraph-validate-") as tmp:
        path = Path(tmp) / "data.nt"
        data.serialize(path, format="nt", encoding="utf-8")
        return validate_files([path], shapes)
