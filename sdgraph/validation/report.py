"""A validation report a person can read: grouped by record, with names instead of IRIs.

Every result says what is wrong (the rule's message), where (the record,
its field and, for a spreadsheet, the sheet and row) and how to fix it. The
same report renders as text, JSON, HTML and Turtle (a SHACL validation report
with labels and hints added), in Dutch or English.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS, XSD
from rdflib.term import Identifier

from ..i18n import gettext
from ..namespaces import PREFIXES, SD, SDID, TOOI_GEMEENTE
from .messages import CLASSES, DATATYPE_MESSAGE, DATATYPES, HINTS, NEUTER, word

SDSH = Namespace("https://w3id.org/sdgraph/shapes#")
SEVERITIES = ("Violation", "Warning", "Info")
_IRI_IN_TEXT = re.compile(r"https?://[^\s<>\"'{}]+[^\s<>\"'{}.,;:)]")


@dataclass
class Result:
    """One finding: a rule (shape) that a record (focus node) does not meet."""

    focus: Identifier
    path: URIRef | None
    value: Identifier | None
    shape: Identifier | None
    constraint: URIRef | None
    component: URIRef | None
    severity: str
    messages: dict[str, str] = field(default_factory=dict)

    @property
    def component_name(self) -> str:
        return str(self.component).rsplit("#", 1)[-1] if self.component else ""


@dataclass
class Line:
    """A result as shown: every part already a readable string."""

    severity: str
    severity_label: str
    rule: str
    field: str
    value: str
    message: str
    hint: str
    result: Result


@dataclass
class Group:
    focus: Identifier
    label: str
    kind: str
    where: str
    lines: list[Line]


@dataclass
class Report:
    results: list[Result]
    data: Graph
    shapes: Graph
    peildatum: date
    reference: bool = False
    files: list[str] = field(default_factory=list)
    triples: int = 0
    engine: str = ""
    seconds: float = 0.0
    origins: dict[Identifier, str] = field(default_factory=dict)
    #: the inventory as read (the record values shown beside the findings)
    inventory: Graph | None = None

    # ------------------------------------------------------------------ verdict
    @property
    def counts(self) -> dict[str, int]:
        found = Counter(r.severity for r in self.results)
        return {s: found.get(s, 0) for s in SEVERITIES}

    @property
    def conforms(self) -> bool:
        """No violations (warnings and notes do not count)."""
        return self.counts["Violation"] == 0

    def passes(self, strict: bool = False) -> bool:
        """Conforms; with ``strict`` there are no warnings or notes either."""
        return not self.results if strict else self.conforms

    def verdict(self, lang: str = "nl") -> str:
        if not self.conforms:
            return word("fails", lang)
        return word("conforms_warnings" if self.results else "conforms", lang)

    def summary(self, lang: str = "nl") -> str:
        counts = self.counts
        parts = [f"{counts[s]} {word(s if counts[s] == 1 else s + '+', lang)}"
                 for s in SEVERITIES if counts[s]]
        return self.verdict(lang) + (" " + ", ".join(parts) + "." if parts else "")

    # ------------------------------------------------------------------ labels
    def label(self, node: Identifier | None, lang: str = "nl") -> str:
        """A readable name: a label in ``lang`` (else Dutch, else any), else a short form."""
        if node is None:
            return ""
        if isinstance(node, Literal):
            return str(node)
        for graph in (self.data, self.shapes):
            for prop in (RDFS.label, SKOS.prefLabel, SH.name):
                found = _in_lang(graph.objects(node, prop), lang)
                if found:
                    code = self.data.value(node, SD.gemeentecode)
                    return f"{found} ({code})" if code else found
        if isinstance(node, BNode):
            return self.origins.get(node, "(" + word("record", lang) + ")")
        return short(node)

    def value_label(self, node: Identifier | None, lang: str = "nl") -> str:
        """As :meth:`label`; an IRI that nothing describes is marked unknown."""
        text = self.label(node, lang)
        if isinstance(node, URIRef) and (node, RDF.type, None) not in self.data:
            return f"{text} ({word('unknown', lang)})"
        return text

    def kind(self, node: Identifier, lang: str = "nl") -> str:
        types = sorted(t for t in self.data.objects(node, RDF.type) if str(t).startswith(str(SD)))
        return ", ".join(self.label(t, lang) for t in types)

    def where(self, node: Identifier, lang: str = "nl") -> str:
        origin = self.origins.get(node)
        if origin:
            return origin
        if isinstance(node, URIRef) and not str(node).startswith(str(SDSH)):
            return str(node)
        return ""

    def _name(self, node: Identifier | None, lang: str) -> str:
        if node is None:
            return ""
        return _in_lang(self.shapes.objects(node, SH.name), lang) or ""

    def line(self, result: Result, lang: str = "nl") -> Line:
        field_name = self._name(result.shape, lang) or (
            self.label(result.path, lang) if result.path else ""
        )
        rule = self._name(result.constraint, lang) or self._name(result.shape, lang)
        if result.constraint is not None:  # a SHACL-SPARQL rule names itself
            field_name = rule
        message = result.messages.get(lang) or result.messages.get("nl") or ""
        message = _IRI_IN_TEXT.sub(lambda m: self.value_label(URIRef(m.group(0)), lang), message)
        value = self.value_label(result.value, lang) if result.value is not None else ""
        if result.component_name == "DatatypeConstraintComponent" and result.shape is not None:
            message = gettext(DATATYPE_MESSAGE, lang, value=value,
                              datatype=self._datatype_name(result.shape, lang))
        return Line(
            severity=result.severity,
            severity_label=word(result.severity, lang),
            rule=rule,
            field=field_name,
            value=value,
            message=message,
            hint=self.hint(result, field_name, lang),
            result=result,
        )

    def hint(self, result: Result, field_name: str, lang: str = "nl") -> str:
        for node in (result.constraint, result.shape):
            if node is not None:
                own = _in_lang(self.shapes.objects(node, SDSH.oplossing), lang)
                if own:
                    return own
        template = HINTS.get(result.component_name)
        if not template or result.shape is None:
            return ""
        cls = self.shapes.value(result.shape, SH["class"])
        cls_dutch = (CLASSES[str(cls)] if str(cls) in CLASSES
                     else _lower(self.label(cls, "nl"))) if cls else ""
        cls_name = (gettext(CLASSES[str(cls)], lang) if str(cls) in CLASSES
                    else _lower(self.label(cls, lang))) if cls else ""
        if cls_dutch in NEUTER:
            template = HINTS.get(result.component_name + "/het", template)
        hint = gettext(template, lang, field=field_name,
                       datatype=self._datatype_name(result.shape, lang), cls=cls_name)
        if (not self.reference and result.component_name == "ClassConstraintComponent"
                and isinstance(result.value, URIRef)
                and (result.value, RDF.type, None) not in self.data):
            hint += " " + word("no_reference", lang)
        return hint

    def _datatype_name(self, shape: Identifier, lang: str) -> str:
        datatype = self.shapes.value(shape, SH.datatype)
        local = str(datatype).rsplit("#", 1)[-1] if datatype else ""
        return gettext(DATATYPES[local], lang) if local in DATATYPES else local

    def groups(self, lang: str = "nl") -> list[Group]:
        """Results grouped by record; records with errors first, then by kind and name."""
        by_focus: dict[Identifier, list[Result]] = {}
        for result in self.results:
            by_focus.setdefault(result.focus, []).append(result)
        groups = []
        for focus, results in by_focus.items():
            lines = sorted((self.line(r, lang) for r in results),
                           key=lambda ln: (SEVERITIES.index(ln.severity), ln.field, ln.rule,
                                           ln.value))
            groups.append(Group(focus, self.label(focus, lang), self.kind(focus, lang),
                                self.where(focus, lang), lines))
        return sorted(groups, key=lambda g: (min(SEVERITIES.index(ln.severity) for ln in g.lines),
                                             g.kind, g.label, str(g.focus)))

    # ------------------------------------------------------------------ renderers
    def to_dict(self, lang: str = "nl") -> dict[str, Any]:
        return {
            "conforms": self.conforms,
            "summary": self.summary(lang),
            "counts": self.counts,
            "peildatum": self.peildatum.isoformat(),
            "reference": self.reference,
            "files": self.files,
            "triples": self.triples,
            "engine": self.engine,
            "seconds": round(self.seconds, 3),
            "groups": [
                {
                    "focus": str(g.focus),
                    "label": g.label,
                    "kind": g.kind,
                    "where": g.where,
                    "results": [
                        {
                            "severity": ln.severity,
                            "severityLabel": ln.severity_label,
                            "rule": ln.rule,
                            "shape": str(ln.result.shape) if ln.result.shape else None,
                            "field": ln.field,
                            "path": str(ln.result.path) if ln.result.path else None,
                            "value": ln.value,
                            "valueTerm": str(ln.result.value) if ln.result.value is not None
                            else None,
                            "message": ln.message,
                            "hint": ln.hint,
                        }
                        for ln in g.lines
                    ],
                }
                for g in self.groups(lang)
            ],
        }

    def json(self, lang: str = "nl") -> str:
        return json.dumps(self.to_dict(lang), ensure_ascii=False, indent=2) + "\n"

    def _header(self, lang: str) -> list[tuple[str, str]]:
        rows = [
            (word("files", lang),
             ", ".join(self.files) + f" ({self.triples} {word('triples', lang)})"),
            (word("peildatum", lang), self.peildatum.isoformat()),
            (word("reference", lang), word("yes" if self.reference else "no", lang)),
            (word("engine", lang), f"{self.engine}, {self.seconds:.2f} s"),
        ]
        return rows

    def text(self, lang: str = "nl") -> str:
        out = [word("title", lang)]
        out += [f"{k}: {v}" for k, v in self._header(lang)]
        out += ["", self.summary(lang)]
        for g in self.groups(lang):
            head = f"{g.kind}: {g.label}" if g.kind else g.label
            out += ["", head + (f"  [{g.where}]" if g.where and g.where != g.label else "")]
            for ln in g.lines:
                what = " · ".join(x for x in (ln.field, ln.value) if x)
                out.append(f"  {ln.severity_label.upper()}  {what}")
                out.append(f"      {ln.message}")
                if ln.hint:
                    out.append(f"      {word('fix', lang)}: {ln.hint}")
        return "\n".join(out) + "\n"

    def record_values(self, node: Identifier, lang: str = "nl") -> list[tuple[str, str]]:
        """What the inventory says about a record (field, value), as it was read."""
        if self.inventory is None:
            return []
        rows = {(self.label(p, lang), self.value_label(o, lang) if isinstance(o, URIRef)
                 else self.label(o, lang))
                for p, o in self.inventory.predicate_objects(node) if p != RDF.type}
        return sorted(rows)

    def html(self, lang: str = "nl", standalone: bool = True,
             record_link: Callable[[Identifier], str | None] | None = None) -> str:
        """The report as HTML: a whole page, or (``standalone=False``) a section to embed.

        An overview lists every finding with a link to its record; each record shows
        its findings and what the inventory says about it (the row as read).
        ``record_link`` gives a page for a record the store knows (the web's)."""
        e = html.escape
        parts = [f'<section class="validation-report" lang="{e(lang)}">',
                 '<dl class="facts">']
        parts += [f"<div><dt>{e(k)}</dt><dd>{e(v)}</dd></div>" for k, v in self._header(lang)]
        parts.append("</dl>")
        state = "ok" if self.conforms else "fails"
        parts.append(f'<p class="verdict verdict-{state}" role="status" data-testid="verdict">'
                     f"{e(self.summary(lang))}</p>")
        groups = self.groups(lang)
        if not self.results:
            parts.append(f'<p class="empty">{e(word("none", lang))}</p>')
        else:
            parts.append(f'<h2>{e(word("overview", lang))}</h2>')
            parts.append('<table class="findings overview"><thead><tr>'
                         f'<th scope="col">{e(word("severity", lang))}</th>'
                         f'<th scope="col">{e(word("record", lang))}</th>'
                         f'<th scope="col">{e(word("where", lang))}</th>'
                         f'<th scope="col">{e(word("field", lang))}</th>'
                         f'<th scope="col">{e(word("message", lang))}</th></tr></thead><tbody>')
            for number, g in enumerate(groups, start=1):
                for ln in g.lines:
                    where = g.where if g.where and g.where != str(g.focus) else ""
                    parts.append(
                        f'<tr class="severity-{e(ln.severity.lower())}">'
                        f"<td>{_badge(ln)}</td>"
                        f'<td><a href="#g-{number}">{e(g.label)}</a></td>'
                        f"<td>{e(where)}</td><td>{e(ln.field)}</td><td>{e(ln.message)}</td></tr>")
            parts.append("</tbody></table>")
        for number, g in enumerate(groups, start=1):
            title = f"{g.kind}: {g.label}" if g.kind else g.label
            parts.append(f'<article class="finding-group" id="g-{number}" '
                         f'data-focus="{e(str(g.focus))}">')
            parts.append(f"<h3>{e(title)}</h3>")
            link = record_link(g.focus) if record_link is not None else None
            if g.where and g.where != g.label:
                where = f'<span class="iri">{e(g.where)}</span>'
                if link:
                    where = f'<a href="{e(link)}">{where}</a>'
                parts.append(f'<p class="where">{e(word("where", lang))}: {where}</p>')
            parts.append('<table class="findings"><thead><tr>'
                         f'<th scope="col">{e(word("severity", lang))}</th>'
                         f'<th scope="col">{e(word("field", lang))}</th>'
                         f'<th scope="col">{e(word("value", lang))}</th>'
                         f'<th scope="col">{e(word("message", lang))}</th>'
                         f'<th scope="col">{e(word("fix", lang))}</th></tr></thead><tbody>')
            for ln in g.lines:
                parts.append(
                    f'<tr class="severity-{e(ln.severity.lower())}">'
                    f"<td>{_badge(ln)}</td>"
                    f"<td>{e(ln.field)}</td><td>{e(ln.value)}</td>"
                    f"<td>{e(ln.message)}</td><td>{e(ln.hint)}</td></tr>"
                )
            parts.append("</tbody></table>")
            values = self.record_values(g.focus, lang)
            if values:
                parts.append(f'<details class="record"><summary>{e(word("as_read", lang))}'
                             '</summary><table class="record-values"><tbody>')
                parts += [f'<tr><th scope="row">{e(k)}</th><td>{e(v)}</td></tr>'
                          for k, v in values]
                parts.append("</tbody></table></details>")
            parts.append("</article>")
        parts.append("</section>")
        body = "\n".join(parts)
        return document(body, lang) if standalone else body

    def graph(self) -> Graph:
        """The report as a SHACL validation report graph, with labels and hints in nl and en."""
        g = Graph()
        g.bind("sh", SH)
        g.bind("sdsh", SDSH)
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        report = BNode()
        g.add((report, RDF.type, SH.ValidationReport))
        g.add((report, SH.conforms, Literal(self.conforms)))
        g.add((report, SDSH.peildatum, Literal(self.peildatum.isoformat(), datatype=XSD.date)))
        labelled: set[Identifier] = set()
        for result in self.results:
            node = BNode()
            g.add((report, SH.result, node))
            g.add((node, RDF.type, SH.ValidationResult))
            g.add((node, SH.focusNode, result.focus))
            g.add((node, SH.resultSeverity, SH[result.severity]))
            for prop, value in ((SH.resultPath, result.path), (SH.value, result.value),
                                (SH.sourceShape, result.shape),
                                (SH.sourceConstraint, result.constraint),
                                (SH.sourceConstraintComponent, result.component)):
                if value is not None and not (prop == SH.sourceShape and isinstance(value, BNode)):
                    g.add((node, prop, value))
            for lang in ("nl", "en"):
                line = self.line(result, lang)
                g.add((node, SH.resultMessage, Literal(line.message, lang=lang)))
                if line.hint:
                    g.add((node, SDSH.oplossing, Literal(line.hint, lang=lang)))
            for term in (result.focus, result.value):
                if isinstance(term, URIRef) and term not in labelled:
                    labelled.add(term)
                    for lang in ("nl", "en"):
                        g.add((term, RDFS.label, Literal(self.label(term, lang), lang=lang)))
        return g

    def turtle(self) -> str:
        return self.graph().serialize(format="turtle")

    def render(self, fmt: str, lang: str = "nl") -> str:
        if fmt == "json":
            return self.json(lang)
        if fmt == "html":
            return self.html(lang)
        if fmt == "ttl":
            return self.turtle()
        return self.text(lang)


def _in_lang(literals, lang: str) -> str | None:
    """The literal in ``lang``, else Dutch, else without language, else any."""
    by_lang: dict[str, str] = {}
    for lit in literals:
        if isinstance(lit, Literal):
            by_lang.setdefault(lit.language or "", str(lit))
    for key in (lang, "nl", ""):
        if key in by_lang:
            return by_lang[key]
    return next(iter(by_lang.values()), None)


def _lower(name: str) -> str:
    """A class name inside a sentence: 'Deelgebied' -> 'deelgebied', 'GR-versie' stays."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def short(iri: URIRef) -> str:
    """A short form of an IRI without a label: GM0823 for a TOOI gemeente, the path under
    sdid: (taak/toegang-jeugdhulp), else the local name of a known namespace (so0665)."""
    text = str(iri)
    if text.startswith(str(TOOI_GEMEENTE)):
        return text[len(str(TOOI_GEMEENTE)):].upper()
    if text.startswith(str(SDID)):
        return text[len(str(SDID)):]
    for ns in PREFIXES.values():
        if text.startswith(ns) and len(text) > len(ns):
            return text[len(ns):]
    return text


#: Each severity has its own colour and its own sign, so they differ without colour too.
SIGNS = {"Violation": "✖", "Warning": "⚠", "Info": "ℹ"}


def _badge(line: Line) -> str:
    sign = SIGNS.get(line.severity, "")
    return (f'<span class="badge severity-badge badge-{html.escape(line.severity.lower())}">'
            f'<span aria-hidden="true">{sign}</span> {html.escape(line.severity_label)}</span>')


def document(section: str, lang: str) -> str:
    """A report section as a standalone HTML document (its own small stylesheet)."""
    e = html.escape
    return (
        f'<!doctype html>\n<html lang="{e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(word('title', lang))}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{e(word('title', lang))}</h1>\n{section}\n</body>\n</html>\n"
    )


_CSS = (
    "body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}"
    "table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}"
    "th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}"
    ".badge{display:inline-block;padding:.05rem .45rem;border-radius:999px;font-weight:600;"
    "white-space:nowrap;border:1px solid}"
    ".badge-violation{background:#fde8e8;color:#8a1010;border-color:#d46a6a}"
    ".badge-warning{background:#fff3d6;color:#6b4700;border-color:#d9a640}"
    ".badge-info{background:#e6f0fb;color:#17457a;border-color:#7ea6d6}"
    ".verdict-fails{color:#a00;font-weight:bold}.verdict-ok{color:#060;font-weight:bold}"
    "dl.facts div{display:flex;gap:.5rem}dt{font-weight:bold}dd{margin:0}"
)
