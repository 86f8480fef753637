"""The values a reference column accepts: vocabulary terms and the store's organisations,
by label (the template's drop-down lists) and by other names (notation, altLabel)."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ..namespaces import ORG, SD
from ..queries import bundled_library
from ..store import Store
from .columns import Column, text_in

ORGANISATIONS = (SD.Gemeente, SD.GemeenschappelijkeRegeling, SD.Regio, SD.Aanbieder,
                 SD.Provincie, SD.Organisatie)


class Known:
    """Labels of the values a reference column accepts: vocabularies and organisations."""

    def __init__(self, base: Graph, store: Store | None = None) -> None:
        self.base = base
        self.by_class: dict[URIRef, list[tuple[str, URIRef]]] = {}
        self.types: dict[URIRef, set[URIRef]] = {}
        #: other names a value is known by (skos:notation, skos:altLabel), lower case
        self.aliases: dict[str, URIRef] = {}
        for node, cls in base.subject_objects(RDF.type):
            if isinstance(node, URIRef) and isinstance(cls, URIRef):
                label = (text_in(base, node, SKOS.prefLabel, "nl")
                         or text_in(base, node, RDFS.label, "nl"))
                if label and str(cls).startswith(str(SD)):
                    self.by_class.setdefault(cls, []).append((label, node))
                    self.types.setdefault(node, set()).add(cls)
                    for alias in (*base.objects(node, SKOS.notation),
                                  *base.objects(node, SKOS.altLabel)):
                        self.aliases.setdefault(str(alias).lower(), node)
        if store is not None:
            query = bundled_library().get("validatie/organisaties")
            seen: dict[str, int] = {}
            rows = sorted(query.run(store, {}).dicts(),
                          key=lambda r: (str(r["naam"]), str(r["org"])))
            labels = []
            for row in rows:
                label = str(row["naam"]) + (f" ({row['code']})" if row.get("code") else "")
                seen[label] = seen.get(label, 0) + 1
                labels.append((label, row))
            for label, row in labels:
                org = row["org"]
                if seen[label] > 1:  # the same name twice: add the IRI's last part
                    label = f"{label} [{str(org).rstrip('/').rsplit('/', 1)[-1]}]"
                self.by_class.setdefault(row["soort"], []).append((label, org))
                self.types.setdefault(org, set()).add(row["soort"])
        for values in self.by_class.values():
            values.sort()

    def choices(self, column: Column) -> list[tuple[str, URIRef]]:
        if column.choices:
            return [(text_in(self.base, c, SKOS.prefLabel, "nl") or str(c), c)
                    for c in column.choices]
        out: dict[URIRef, str] = {}
        for target in column.targets:
            for cls in self.subclasses(target):
                for label, iri in self.by_class.get(cls, []):
                    out.setdefault(iri, label)
        return sorted(((label, iri) for iri, label in out.items()), key=lambda li: li[0])

    def subclasses(self, target: URIRef) -> set[URIRef]:
        if target == ORG.Organization:
            return set(ORGANISATIONS)
        if target == SD.Arrangement:
            return {SD.GemeenschappelijkeRegeling}
        if target == SD.Samenwerkingsverband:
            return {SD.GemeenschappelijkeRegeling, SD.Samenwerkingsverband}
        return {target}
