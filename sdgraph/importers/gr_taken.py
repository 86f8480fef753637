"""Derived layer: which wetten and taken of the sociaal domein a GR version serves.

A transparent, rule-based classifier (rules v1). Every rule in :data:`RULES` is a
case-insensitive regular expression with a target: a taak (``data/vocab/taken.ttl``
slug) or, when the text only names the domain, the wet itself. Rules are applied to
three fields of each :class:`~sdgraph.importers.roo.GRVersion`:

* ``doel`` (bewijsveld ``"doel"``),
* each ``bevoegdheden`` entry (bewijsveld ``"bevoegdheid"``),
* each ``grondslagen`` entry (bewijsveld ``"wettelijkeGrondslag"``): here only the
  BWB identifiers in :data:`BWB_RULES` count (strong evidence; the jci reference
  names the law itself).

Output per (GR version, target) one node ``sdid:afleiding/<roo_id>/<slug>`` typed
``sd:AfgeleideTaak`` with ``sd:grVersie``, ``sd:taak`` (taak targets) and ``sd:wet``
(always), ``sd:bewijs`` (~120 characters around the first match), ``sd:bewijsveld``,
``sd:afgeleid true`` and ``prov:wasGeneratedBy sdid:afleiding/regels-v1``; plus a
direct ``sd:dientWet`` from the version to each wet it serves.

Any single match counts (no thresholds). Precision/recall against a hand-labelled
sample and the known false positives/negatives: ``docs/gr-classification.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import PROV, RDF, RDFS, XSD

from ..namespaces import GRAPH, SD, SDID
from ..store import Source
from .report import ImportReport, graph_source
from .roo import GRVersion, read_roo_yaml

RULESET = SDID["afleiding/regels-v1"]
TITLE = "Afgeleid: wetten en taken per GR (regels v1)"
PUBLISHER = "sdgraph (afgeleid uit ROO)"

#: wet slug -> (BWB id, Dutch label)
WETTEN: dict[str, tuple[str, str]] = {
    "jeugdwet": ("BWBR0034925", "Jeugdwet"),
    "wmo2015": ("BWBR0035362", "Wmo 2015"),
    "participatiewet": ("BWBR0015703", "Participatiewet"),
}

#: The rule table: (wet slug, taak slug or None for the wet itself, regex).
#: Written from domain knowledge before scoring (see docs/gr-classification.md).
RULES: list[tuple[str, str | None, str]] = [
    # ---- Jeugdwet
    ("jeugdwet", None, r"\bjeugdwet\b"),
    ("jeugdwet", None, r"\bjeugdhulp\w*|\bjeugdzorg\w*"),
    ("jeugdwet", "jeugdbescherming-jeugdreclassering", r"\bjeugdbescherming|\bjeugdreclassering"),
    ("jeugdwet", "veilig-thuis", r"\bveilig thuis\b|advies- en meldpunt huiselijk geweld|\bamhk\b"),
    (
        "jeugdwet",
        "inkoop-jeugdhulp",
        r"\b(?:inkoop|inkopen|contractering|verwerving)\s+(?:van\s+)?(?:de\s+)?"
        r"(?:regionale\s+|specialistische\s+)?jeugd\w*",
    ),
    # ---- Wmo 2015
    ("wmo2015", None, r"\bwmo\b|maatschappelijke ondersteuning"),
    ("wmo2015", "beschermd-wonen", r"\bbeschermd wonen\b"),
    (
        "wmo2015",
        "maatschappelijke-opvang",
        r"maatschappelijke opvang|vrouwenopvang|dak- en thuisloze",
    ),
    ("wmo2015", "huishoudelijke-hulp", r"huishoudelijke (?:hulp|ondersteuning|verzorging)"),
    ("wmo2015", "begeleiding-dagbesteding", r"\bdagbesteding\b"),
    ("wmo2015", "hulpmiddelen-woningaanpassingen", r"woningaanpassing\w*|\bwmo-?hulpmiddel\w*"),
    ("wmo2015", "clientondersteuning", r"\bcli[eë]ntondersteuning\b"),
    ("wmo2015", "mantelzorgondersteuning", r"\bmantelzorg\w*"),
    # ---- Participatiewet (incl. Wsw and schuldhulp, as in taken.ttl)
    ("participatiewet", None, r"\bparticipatiewet\b|wet werk en bijstand|\bwwb\b|werk en inkomen"),
    ("participatiewet", "bijstand", r"\bbijstand\b|bijstandsuitkering"),
    ("participatiewet", "re-integratie", r"\bre-?integratie|\breïntegratie|arbeidsinschakeling"),
    (
        "participatiewet",
        "sociale-werkvoorziening",
        r"sociale werkvoorziening|\bwsw\b|werkvoorzieningsc?hap",
    ),
    ("participatiewet", "beschut-werk", r"\bbeschut(?:te)? (?:werk|arbeid)"),
    ("participatiewet", "schuldhulpverlening", r"\bschuldhulp\w*|\bschuldsanering"),
    (
        "participatiewet",
        "minimabeleid-bijzondere-bijstand",
        r"\bminimabeleid|bijzondere bijstand|\bminimaregeling\w*|\barmoedebeleid",
    ),
]

#: BWB ids in a wettelijke grondslag: (wet slug, taak slug or None). Strong evidence.
BWB_RULES: dict[str, tuple[str, str | None]] = {
    "BWBR0034925": ("jeugdwet", None),  # Jeugdwet
    "BWBR0035362": ("wmo2015", None),  # Wmo 2015
    "BWBR0020031": ("wmo2015", None),  # Wmo (2007), predecessor
    "BWBR0015703": ("participatiewet", None),  # Participatiewet (formerly WWB)
    "BWBR0008903": ("participatiewet", "sociale-werkvoorziening"),  # Wsw
}

_COMPILED = [(wet, taak, re.compile(rx, re.I)) for wet, taak, rx in RULES]
_BWB = re.compile(r"BWBR\d{7}", re.I)
FIELDS = ("doel", "bevoegdheid", "wettelijkeGrondslag")
CONTEXT = 50  # characters each side of the match; snippets are ~120 characters


@dataclass(frozen=True)
class Match:
    """One derived (GR version, taak or wet) with its first piece of evidence."""

    roo_id: str
    wet: str  # wet slug (jeugdwet, wmo2015, participatiewet)
    taak: str | None  # taak slug, None when the rule targets the wet itself
    bewijsveld: str  # doel | bevoegdheid | wettelijkeGrondslag
    bewijs: str  # the matched text with some context
    regel: str  # the pattern (or BWB id) that matched

    @property
    def slug(self) -> str:
        return self.taak or self.wet


def snippet(text: str, start: int, end: int, context: int = CONTEXT) -> str:
    """The match with ``context`` characters either side, '…' where text was cut."""
    a, b = max(0, start - context), min(len(text), end + context)
    return ("…" if a > 0 else "") + text[a:b].strip() + ("…" if b < len(text) else "")


def _texts(version: GRVersion) -> Iterable[tuple[str, str]]:
    if version.doel:
        yield "doel", version.doel
    for b in version.bevoegdheden:
        yield "bevoegdheid", b
    for g in version.grondslagen:
        yield "wettelijkeGrondslag", g


def classify(version: GRVersion) -> list[Match]:
    """All (taak or wet) targets the rules find in one version; pure, deterministic.

    One :class:`Match` per target, with the first evidence in field order doel,
    bevoegdheden, wettelijke grondslagen. Versions without roo_id give nothing.
    """
    if not version.roo_id:
        return []
    found: dict[str, Match] = {}
    for veld, text in _texts(version):
        if veld == "wettelijkeGrondslag":
            for m in _BWB.finditer(text):
                bwb = m.group(0).upper()
                if bwb in BWB_RULES:
                    wet, taak = BWB_RULES[bwb]
                    key = taak or wet
                    if key not in found:
                        found[key] = Match(
                            version.roo_id, wet, taak, veld, snippet(text, *m.span()), bwb
                        )
            continue
        for wet, taak, rx in _COMPILED:
            key = taak or wet
            if key in found:
                continue
            m = rx.search(text)
            if m:
                found[key] = Match(
                    version.roo_id, wet, taak, veld, snippet(text, *m.span()), rx.pattern
                )
    return sorted(found.values(), key=lambda x: (x.wet, x.taak or ""))


def wetten_of(matches: Iterable[Match]) -> set[str]:
    """The wet slugs a list of matches implies."""
    return {m.wet for m in matches}


def gr_taken_graph(versions: Iterable[GRVersion], report: ImportReport) -> Graph:
    """The derived layer for ``versions`` as an rdflib graph (same input, same graph)."""
    g = Graph()
    g.add((RULESET, RDF.type, PROV.Activity))
    g.add((RULESET, RDFS.label, Literal("Regelgebaseerde afleiding wetten en taken v1", lang="nl")))
    g.add((RULESET, RDFS.label, Literal("Rule-based derivation of laws and tasks v1", lang="en")))
    for v in versions:
        if not v.roo_id:
            report.warn(v.file, v.position, "GR version without roo_id; not classified")
            continue
        matches = classify(v)
        if not matches:
            report.count("GR-versies zonder wet")
            continue
        report.count("GR-versies met wet")
        versie = SDID[f"grversie/{v.roo_id}"]
        naam = v.citeertitel or v.titel or v.roo_id
        for m in matches:
            node = SDID[f"afleiding/{v.roo_id}/{m.slug}"]
            wet = SDID[f"wet/{WETTEN[m.wet][0]}"]
            g.add((node, RDF.type, SD.AfgeleideTaak))
            g.add((node, SD.grVersie, versie))
            g.add((node, SD.wet, wet))
            if m.taak:
                g.add((node, SD.taak, SDID[f"taak/{m.taak}"]))
            g.add((node, SD.bewijs, Literal(m.bewijs)))
            g.add((node, SD.bewijsveld, Literal(m.bewijsveld)))
            g.add((node, SD.afgeleid, Literal(True, datatype=XSD.boolean)))
            g.add((node, PROV.wasGeneratedBy, RULESET))
            g.add((node, RDFS.label, Literal(f"{naam}: {m.taak or WETTEN[m.wet][1]}", lang="nl")))
            g.add((versie, SD.dientWet, wet))
            report.count("afgeleide taken")
    return g


def gr_taken_sources(roo_folder: Path, report: ImportReport | None = None) -> list[Source]:
    """The derived layer of the ROO YAML folder as one Source for the store."""
    report = report or ImportReport("gr-taken")
    g = gr_taken_graph(read_roo_yaml(Path(roo_folder), report), report)
    return [
        graph_source(
            g,
            "gr-taken",
            str(GRAPH["ref/gr-taken"]),
            title=TITLE,
            publisher=PUBLISHER,
        )
    ]
