"""OWL reasoning with HermiT (owlready2, Java): is the ontology, with an extension or data,
consistent, and are all its classes satisfiable? (``sdgraph ontology check``)

owlready2 and a Java runtime are optional (``pip install 'sdgraph[reasoner]'``): a domain
expert who extends the ontology needs them, a user of the graph does not.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from .errors import UserError
from .resources import ontology_file


@dataclass
class Check:
    """The outcome: consistent or not, and the classes that can have no members."""

    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    triples: int = 0

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable


def _owlready():
    try:
        import owlready2
    except ImportError:
        raise UserError("the reasoner needs owlready2: pip install 'sdgraph[reasoner]'") from None
    if shutil.which("java") is None:
        raise UserError("the reasoner (HermiT) needs a Java runtime; `java` is not on PATH")
    return owlready2


def reason(graph: Graph):
    """Run HermiT on ``graph`` in a fresh owlready2 World and return that World.

    owlready2 cannot read Turtle, so the graph is written as N-Triples first.
    Raises owlready2.OwlReadyInconsistentOntologyError if the graph is inconsistent.
    """
    owlready2 = _owlready()
    with tempfile.TemporaryDirectory(prefix="sdgraph-reasoner-") as tmp:
        nt = Path(tmp) / "input.nt"
        graph.serialize(nt, format="nt", encoding="utf-8")
        world = owlready2.World()
        world.get_ontology(nt.as_uri()).load()
        owlready2.sync_reasoner(
            world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
        )  # xsd:date, xsd:gYear
    return world


def check(extra: list[Path] | None = None, with_ontology: bool = True) -> Check:
    """Check the bundled ontology (unless ``with_ontology`` is False) plus ``extra`` files."""
    owlready2 = _owlready()
    graph = Graph()
    for path in ([ontology_file()] if with_ontology else []) + list(extra or []):
        try:
            graph.parse(path)
        except FileNotFoundError:
            raise UserError(f"{path}: file not found") from None
        except Exception as exc:  # noqa: BLE001 - rdflib raises many kinds
            raise UserError(f"{path}: cannot read it as RDF: {exc}") from None
    try:
        world = reason(graph)
    except owlready2.OwlReadyInconsistentOntologyError:
        return Check(False, triples=len(graph))
    return Check(True, sorted(c.iri for c in world.inconsistent_classes()), len(graph))
