"""Whose an inventory is, and the IRIs and named graph its records get.

One gemeente's inventory never shares a record or a graph with another's:

* a record read from a spreadsheet is ``sdid:<kind>/<gm-code>/<id>``: the
  ``id`` column (or, without one, the taak and deelgebied of a taakuitvoering
  or the name of a record) under the code of its gemeente: a taakuitvoering's
  own ``gemeente``, every other record the gemeente whose inventory it is;
* a load goes into ``graph/inventaris/<gm-code>/<bron>`` (``bron`` is
  ``inventaris`` unless the user names another part, e.g. ``jeugd``), so a
  reload of the same gemeente's inventory replaces exactly its previous
  version (kept as history, :mod:`.history`) and never another gemeente's.

The gemeente of an inventory is the one the user names, else the only
gemeente of its taakuitvoeringen (else of its lidmaatschappen, overeenkomsten
and mandaten); when they name several, the user has to say which.
"""

from __future__ import annotations

from collections import Counter

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from ..identity import gemeente_code, slugify
from ..namespaces import GRAPH, ORG, SD, SDID, TOOI_GEMEENTE

#: Named graphs of loaded inventories: graph/inventaris/<gm-code>/<bron>.
INVENTORY_GRAPHS = str(GRAPH["inventaris/"])
DEFAULT_PART = "inventaris"

#: Kinds of records that belong to one inventory: two inventories may refer to the same
#: one, but only one may describe it.
RECORD_CLASSES = (SD.Taakuitvoering, SD.Lidmaatschap, SD.Overeenkomst, SD.Mandaat,
                  SD.Financieringsstroom, SD.Doel)

#: Where the gemeente of a record is, when the record has no sd:gemeente of its own.
_GEMEENTE_OF = ((SD.Lidmaatschap, ORG.member), (SD.Overeenkomst, SD.opdrachtgever),
                (SD.Mandaat, SD.mandaatgever), (SD.Doel, SD.gemeente))


def is_gemeente(node: object) -> bool:
    return isinstance(node, URIRef) and gemeente_code(str(node)) is not None \
        and str(node).startswith(str(TOOI_GEMEENTE))


def gemeente_candidates(graph: Graph) -> list[URIRef]:
    """The gemeenten an inventory may be of, most named first: those its taakuitvoeringen
    are for; without taakuitvoeringen, the gemeenten among the members of its
    lidmaatschappen, the opdrachtgevers of its overeenkomsten, its mandaatgevers and the
    gemeenten of its doelen."""
    found: Counter[URIRef] = Counter()
    for record in graph.subjects(RDF.type, SD.Taakuitvoering):
        found.update(g for g in graph.objects(record, SD.gemeente) if is_gemeente(g))
    if not found:
        for cls, prop in _GEMEENTE_OF:
            for record in graph.subjects(RDF.type, cls):
                found.update(g for g in graph.objects(record, prop) if is_gemeente(g))
    return [g for g, _ in sorted(found.items(), key=lambda gn: (-gn[1], str(gn[0])))]


def inventory_gemeente(graph: Graph, explicit: URIRef | None = None) -> URIRef | None:
    """The gemeente whose inventory ``graph`` is: ``explicit``, else the only candidate;
    None when there is none or more than one."""
    if explicit is not None:
        return explicit
    candidates = gemeente_candidates(graph)
    return candidates[0] if len(candidates) == 1 else None


def code(gemeente: URIRef) -> str:
    """'gm0823' for the TOOI IRI of Oirschot."""
    found = gemeente_code(str(gemeente))
    if found is None:
        raise ValueError(f"not a gemeente: {gemeente}")
    return found


def record_iri(prefix: str, key: str, gemeente: URIRef | None) -> URIRef:
    """``sdid:<prefix>/<gm-code>/<key as slug>``; without a gemeente ``sdid:<prefix>/<key>``
    (only while validating an inventory whose gemeente is not known yet)."""
    if key.startswith(("http://", "https://")):
        return URIRef(key)
    path = "/".join(slugify(p) for p in key.split("/") if slugify(p)) or "rij"
    if gemeente is None:
        return SDID[f"{prefix}/{path}"]
    return SDID[f"{prefix}/{code(gemeente)}/{path}"]


def part_name(part: str | None) -> str:
    """A safe name for the part of a gemeente's inventory (default 'inventaris')."""
    return slugify(part or "") or DEFAULT_PART


def inventory_graph(gemeente: URIRef, part: str | None = None) -> str:
    """The named graph of a gemeente's inventory (or of one named part of it)."""
    return f"{INVENTORY_GRAPHS}{code(gemeente)}/{part_name(part)}"


def graph_gemeente(graph: str) -> URIRef | None:
    """The gemeente of an inventory graph name, else None."""
    if not graph.startswith(INVENTORY_GRAPHS):
        return None
    gm = graph[len(INVENTORY_GRAPHS):].split("/", 1)[0]
    return TOOI_GEMEENTE[gm] if gemeente_code(gm) == gm else None
