"""The history of loaded inventories as a page: which inventories, their versions, and the
differences between two versions. One result for the CLI (text, JSON) and the web page."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.namespace import RDFS

from ..errors import UserError
from ..i18n import N_, gettext
from ..store import Store
from .history import Change, Version, content, differences, versions
from .naming import code, part_name

WORDS: dict[str, str] = {
    "title": N_("Inventarissen"),
    "none": N_("Er is nog geen inventaris geladen."),
    "of": N_("Inventaris van {gemeente}"),
    "version": N_("versie"),
    "versions": N_("versies"),
    "current": N_("huidig"),
    "by": N_("door"),
    "peildatum": N_("peildatum"),
    "diff": N_("Verschillen van versie {a} naar versie {b}"),
    "same": N_("geen verschillen"),
    "added": N_("toegevoegd"),
    "removed": N_("verwijderd"),
    "changed": N_("gewijzigd"),
    "no_version": N_("versie {n} bestaat niet (er zijn versies {known})"),
}


def word(key: str, lang: str, **values: object) -> str:
    return gettext(WORDS[key], lang, **values)


@dataclass
class Inventory:
    """One loaded inventory (a gemeente's, or a named part of it) and its versions."""

    graph: str
    gemeente: URIRef | None
    gemeente_label: str
    part: str
    versions: list[Version]

    @property
    def current(self) -> Version | None:
        return next((v for v in reversed(self.versions) if v.current), None)


@dataclass
class Diff:
    inventory: Inventory
    a: int
    b: int
    changes: list[Change] = field(default_factory=list)


@dataclass
class HistoryPage:
    lang: str
    inventories: list[Inventory]
    gemeente: URIRef | None = None
    diffs: list[Diff] = field(default_factory=list)
    template: str = "inventarissen.html"

    def to_dict(self) -> dict[str, object]:
        return {
            "gemeente": str(self.gemeente) if self.gemeente else None,
            "inventories": [{
                "graph": inv.graph, "gemeente": str(inv.gemeente) if inv.gemeente else None,
                "gemeenteLabel": inv.gemeente_label, "part": inv.part,
                "versions": [v.to_dict() for v in inv.versions]} for inv in self.inventories],
            "differences": [{
                "graph": d.inventory.graph, "from": d.a, "to": d.b,
                "changes": [{"record": str(c.record), "label": c.label, "kind": c.kind,
                             "added": [list(x) for x in c.added],
                             "removed": [list(x) for x in c.removed]} for c in d.changes],
            } for d in self.diffs],
        }

    def json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def text(self) -> str:
        lang = self.lang
        out = [word("title", lang)]
        if not self.inventories:
            return "\n".join([*out, "", word("none", lang)]) + "\n"
        for inv in self.inventories:
            count = len(inv.versions)
            out += ["", f"{word('of', lang, gemeente=inv.gemeente_label)}: {inv.part} "
                        f"({count} {word('version' if count == 1 else 'versions', lang)})  "
                        f"<{inv.graph}>"]
            for v in inv.versions:
                files = ", ".join(f"{f.name} ({f.checksum[:19]}…)" for f in v.files)
                flag = f"  [{word('current', lang)}]" if v.current else ""
                who = f"  {word('by', lang)} {v.by}" if v.by else ""
                out.append(f"  {word('version', lang)} {v.number}  {v.loaded}{who}  {files}  "
                           f"{v.triples} triples  {word('peildatum', lang)} {v.peildatum}{flag}")
        for d in self.diffs:
            out += ["", f"{word('diff', lang, a=d.a, b=d.b)} ({d.inventory.part}, "
                        f"{d.inventory.gemeente_label}):"]
            if not d.changes:
                out.append(f"  {word('same', lang)}")
            for c in d.changes:
                out.append(f"  {word(c.kind, lang)}: {c.label}  <{c.record}>")
                out += [f"      + {p}: {v}" for p, v in c.added]
                out += [f"      - {p}: {v}" for p, v in c.removed]
        return "\n".join(out) + "\n"


def _gemeente_label(store: Store, gemeente: URIRef | None) -> str:
    if gemeente is None:
        return ""
    from ..validation.engine import _query

    found = _query("beschrijving").run(store, {"iri": str(gemeente)})
    labels = [str(v) for v in found.objects(gemeente, RDFS.label)]
    name = sorted(labels)[0] if labels else ""
    return f"{name} ({code(gemeente).upper()})" if name else code(gemeente).upper()


def history_page(store: Store, gemeente: URIRef | None = None, part: str | None = None,
                 diff: tuple[int, int] | None = None, lang: str = "nl") -> HistoryPage:
    """The inventories (of ``gemeente``), their versions, and with a gemeente the differences
    between two versions of each of its inventories (``diff``; default the last two)."""
    by_graph: dict[str, list[Version]] = {}
    for version in versions(store, gemeente=gemeente):
        by_graph.setdefault(version.graph, []).append(version)
    labels: dict[URIRef | None, str] = {}
    inventories = []
    for graph, found in sorted(by_graph.items()):
        owner = found[0].gemeente
        if owner not in labels:
            labels[owner] = _gemeente_label(store, owner)
        inv = Inventory(graph, owner, labels[owner], found[0].part, found)
        if part is None or inv.part == part_name(part):
            inventories.append(inv)
    page = HistoryPage(lang, inventories, gemeente)
    if gemeente is None:
        return page
    for inv in inventories:
        numbers = [v.number for v in inv.versions]
        if diff is None and len(numbers) < 2:
            continue
        a, b = diff if diff is not None else (numbers[-2], numbers[-1])
        for n in (a, b):
            if n not in numbers:
                raise UserError(word("no_version", lang, n=n,
                                     known=", ".join(map(str, numbers))))
        old, new = (next(v for v in inv.versions if v.number == n) for n in (a, b))
        from ..validation.engine import base_graph

        page.diffs.append(Diff(inv, a, b, differences(content(store, old), content(store, new),
                                                      base_graph(), lang)))
    return page
