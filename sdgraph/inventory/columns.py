"""The columns of the inventory template: one sheet per kind of record, one column per
property shape (in ``sh:order``, headed by its ``sh:name``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from ..namespaces import SD

#: The sheets of an inventory: (sheet name, class, IRI path under sdid:).
SHEETS: list[tuple[str, URIRef, str]] = [
    ("Taakuitvoeringen", SD.Taakuitvoering, "taakuitvoering"),
    ("Lidmaatschappen", SD.Lidmaatschap, "lidmaatschap"),
    ("Overeenkomsten", SD.Overeenkomst, "overeenkomst"),
    ("Mandaten", SD.Mandaat, "mandaat"),
    ("Aanbieders", SD.Aanbieder, "aanbieder"),
]
EXPLANATION = "Toelichting"
LISTS = "Lijsten"
ID = "id"
MAX_ROWS = 1000
#: Columns of a template pre-filled with the baseline (docs/baseline.md): a row is read
#: only when BEVESTIGD says ja (right as it is) or anders (corrected in its other columns);
#: STATUS (bevestigd, afgeleid, aangenomen) and BEWIJS (rule and evidence) are not read.
BEVESTIGD = "bevestigd (ja/nee/anders)"
STATUS = "status"
BEWIJS = "bewijs"
ANSWERS = {"ja": True, "anders": True, "nee": False, "": False}


@dataclass
class Column:
    """One column of a sheet: a property shape."""

    name: str
    name_en: str
    path: URIRef
    kind: str  # date, year, decimal, integer, boolean, text, langtext, ref
    datatype: URIRef | None
    required: bool
    single: bool
    description: str
    description_en: str
    targets: list[URIRef] = field(default_factory=list)  # classes a reference may point to
    choices: list[URIRef] = field(default_factory=list)  # sh:in

    @property
    def list_name(self) -> str | None:
        if self.kind == "boolean":
            return None
        if self.choices:
            return self.name
        if self.targets:
            return "/".join(str(t).rsplit("#", 1)[-1] for t in self.targets)
        return None


def text_in(graph: Graph, node, prop, lang: str) -> str:
    values = {(v.language or ""): str(v) for v in graph.objects(node, prop)
              if isinstance(v, Literal)}
    return values.get(lang) or values.get("nl") or values.get("") or ""


def columns(shapes: Graph, cls: URIRef) -> list[Column]:
    """The columns of the sheet for ``cls``: its property shapes with an ``sh:order``."""
    found: dict[URIRef, tuple[float, Column]] = {}
    for node_shape in shapes.subjects(SH.targetClass, cls):
        for prop in shapes.objects(node_shape, SH.property):
            order = shapes.value(prop, SH.order)
            path = shapes.value(prop, SH.path)
            if order is None or not isinstance(path, URIRef) or path in found:
                continue
            datatype = shapes.value(prop, SH.datatype)
            targets = list(shapes.objects(prop, SH["class"]))
            or_list = shapes.value(prop, SH["or"])
            if or_list is not None:
                for member in shapes.items(or_list):
                    targets += list(shapes.objects(member, SH["class"]))
            choices = list(shapes.items(shapes.value(prop, SH["in"]))) \
                if shapes.value(prop, SH["in"]) is not None else []
            local = str(datatype).rsplit("#", 1)[-1] if datatype else ""
            if targets or choices or shapes.value(prop, SH.nodeKind) == SH.IRI:
                kind = "ref"
            elif local == "date":
                kind = "date"
            elif local == "gYear":
                kind = "year"
            elif local == "decimal":
                kind = "decimal"
            elif local in ("integer", "nonNegativeInteger"):
                kind = "integer"
            elif local == "boolean":
                kind = "boolean"
            elif local == "string":
                kind = "text"
            else:
                kind = "langtext"
            min_count = shapes.value(prop, SH.minCount)
            max_count = shapes.value(prop, SH.maxCount)
            found[path] = (float(order), Column(
                name=text_in(shapes, prop, SH.name, "nl"),
                name_en=text_in(shapes, prop, SH.name, "en"),
                path=path,
                kind=kind,
                datatype=datatype,
                required=bool(min_count and int(min_count) > 0),
                single=bool(max_count is not None and int(max_count) == 1),
                description=text_in(shapes, prop, SH.description, "nl"),
                description_en=text_in(shapes, prop, SH.description, "en"),
                targets=targets,
                choices=[c for c in choices if isinstance(c, URIRef)],
            ))
    return [c for _, c in sorted(found.values(), key=lambda oc: (oc[0], oc[1].name))]

