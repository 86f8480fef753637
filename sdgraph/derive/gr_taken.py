"""Derived layer: which wetten and taken of the sociaal domein a GR version serves.

A transparent, rule-based classifier (rules v2). Every rule in :data:`RULES` is a
case-insensitive regular expression with a target: a taak (``data/vocab/taken.ttl``
slug) or, when the text only names the domain, the wet itself. A rule may require a
second pattern in the same sentence (``met``) or be void when the sentence has another
(``zonder``); a match right after a negation ("met uitzondering van", "behalve",
"niet") does not count. Rules are applied to four fields of each
:class:`~sdgraph.importers.roo.GRVersion`, in this order:

* ``doel`` (bewijsveld ``"doel"``),
* each ``bevoegdheden`` entry (bewijsveld ``"bevoegdheid"``),
* each ``grondslagen`` entry (bewijsveld ``"wettelijkeGrondslag"``): here only the
  BWB identifiers in :data:`BWB_RULES` count (strong evidence; the jci reference
  names the law itself),
* the citeertitel or titel (bewijsveld ``"titel"``; weakest, it fills in for versions
  whose register text is empty).

Output per (GR version, target) one node ``sdid:afleiding/<roo_id>/<slug>`` typed
``sd:AfgeleideTaak`` with ``sd:grVersie``, ``sd:taak`` (taak targets) and ``sd:wet``
(always), ``sd:bewijs`` (~120 characters around the first match), ``sd:bewijsveld``,
``sd:afgeleid true`` and ``prov:wasGeneratedBy sdid:afleiding/regels-v2``; plus a
direct ``sd:dientWet`` from the version to each wet it serves.

Any single match counts (no thresholds). Precision/recall against two hand-labelled
samples and the known false positives/negatives: ``docs/gr-classification.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import PROV, RDF, RDFS, XSD

from ..importers.report import ImportReport, graph_source
from ..importers.roo import GRVersion, read_roo_yaml
from ..namespaces import GRAPH, SD, SDID
from ..store import Source

RULESET = SDID["afleiding/regels-v2"]
TITLE = "Afgeleid: wetten en taken per GR (regels v2)"
PUBLISHER = "sdgraph (afgeleid uit ROO)"

#: wet slug -> (BWB id, Dutch label)
WETTEN: dict[str, tuple[str, str]] = {
    "jeugdwet": ("BWBR0034925", "Jeugdwet"),
    "wmo2015": ("BWBR0035362", "Wmo 2015"),
    "participatiewet": ("BWBR0015703", "Participatiewet"),
}


@dataclass(frozen=True)
class Rule:
    """One pattern with its target; ``met``/``zonder`` test the sentence of the match."""

    wet: str
    taak: str | None
    pattern: str
    met: str | None = None  # the sentence must also match this
    zonder: str | None = None  # the match is void when the sentence matches this


_INKOOP = r"\b(?:inkoop|inkopen|contractering|contracteren|verwerving|verwerven|aanbested\w*)\b"
_TOEGANG = r"\b(?:toegang|toeleiding|vraagverheldering|indicatiestelling|loket)\b"

#: The rule table. v1 was written from domain knowledge before scoring; v2 adds what the
#: v1 evaluation asked for (docs/gr-classification.md): inkoop and toegang per wet,
#: OGGZ/maatschappelijke zorg, "participatie" beside the other decentralisaties, opvang
#: beside beschermd wonen, sociale dienst/zaken, and "bijzondere bijstand" is not bijstand.
RULES: list[Rule] = [
    # ---- Jeugdwet
    Rule("jeugdwet", None, r"\bjeugdwet\b"),
    Rule("jeugdwet", None, r"\bjeugdhulp\w*|\bjeugdzorg\w*"),
    Rule("jeugdwet", "jeugdbescherming-jeugdreclassering",
         r"\bjeugdbescherming|\bjeugdreclassering"),
    Rule("jeugdwet", "veilig-thuis",
         r"\bveilig thuis\b|advies- en meldpunt huiselijk geweld|\bamhk\b"),
    Rule("jeugdwet", "inkoop-jeugdhulp", _INKOOP + r"[^.;]{0,80}?\bjeugd\w*"),
    Rule("jeugdwet", "toegang-jeugdhulp", _TOEGANG + r"[^.;]{0,60}?\bjeugd\w*"),
    # ---- Wmo 2015
    Rule("wmo2015", None, r"\bwmo\b|maatschappelijke ondersteuning"),
    Rule("wmo2015", None, r"maatschappelijke zorg|\boggz\b|openbare geestelijke gezondheidszorg"
                          r"|\bbemoeizorg"),
    Rule("wmo2015", "beschermd-wonen", r"\bbeschermd wonen\b"),
    Rule("wmo2015", "maatschappelijke-opvang",
         r"maatschappelijke opvang|vrouwenopvang|dak- en thuisloze|\bdakloze\w*|\bnachtopvang"),
    Rule("wmo2015", "maatschappelijke-opvang", r"\bopvang\b", met=r"beschermd wonen"),
    Rule("wmo2015", "huishoudelijke-hulp", r"huishoudelijke (?:hulp|ondersteuning|verzorging)"),
    Rule("wmo2015", "begeleiding-dagbesteding", r"\bdagbesteding\b"),
    Rule("wmo2015", "hulpmiddelen-woningaanpassingen",
         r"woningaanpassing\w*|\bwmo-?hulpmiddel\w*"),
    Rule("wmo2015", "clientondersteuning", r"\bcli[eë]ntondersteuning\b"),
    Rule("wmo2015", "mantelzorgondersteuning", r"\bmantelzorg\w*"),
    Rule("wmo2015", "inkoop-wmo",
         _INKOOP + r"[^.;]{0,80}?(?:\bwmo\b|maatschappelijke ondersteuning|maatwerkvoorziening)"),
    Rule("wmo2015", "toegang-wmo",
         _TOEGANG + r"[^.;]{0,60}?(?:\bwmo\b|maatschappelijke ondersteuning)|\bwmo-?loket"),
    # ---- Participatiewet (incl. Wsw and schuldhulp, as in taken.ttl)
    Rule("participatiewet", None,
         r"\bparticipatiewet\b|wet werk en bijstand|\bwwb\b|werk en inkomen"),
    Rule("participatiewet", None, r"\bsociale (?:dienst|zaken)\b"),
    Rule("participatiewet", None, r"\bparticipatie\b",
         met=r"\bjeugd\w*|maatschappelijke ondersteuning|\bwmo\b|\bwerk\b|\binkomen\b"),
    Rule("participatiewet", "bijstand",
         r"(?<!bijzondere )\bbijstand\b|bijstandsuitkering|bijstands?verlening|\bbbz\b",
         zonder=r"brandweer|rampen|politie|veiligheidsregio|\bghor\b"),
    # the Participatiewet's own definition of bijstand: means for the costs of living
    Rule("participatiewet", "bijstand", r"\blevensonderhoud\b",
         met=r"\buitkering\w*|\bbijstand|\binkomen"),
    Rule("participatiewet", "re-integratie",
         r"\bre-?integratie|\breïntegratie|arbeidsinschakeling"),
    Rule("participatiewet", "sociale-werkvoorziening",
         r"sociale werkvoorziening|\bwsw\b|werkvoorzieningsc?hap"),
    Rule("participatiewet", "beschut-werk", r"\bbeschut(?:te)? (?:werk|arbeid)"),
    Rule("participatiewet", "schuldhulpverlening", r"\bschuldhulp\w*|\bschuldsanering"),
    Rule("participatiewet", "minimabeleid-bijzondere-bijstand",
         r"\bminimabeleid|bijzondere bijstand|\bminimaregeling\w*|\barmoedebeleid"),
    # ---- all three: the decentralisaties of 2015 named as such
    *(Rule(wet, None, r"drie decentralisaties|\b3d\b|decentralisaties (?:in|binnen) (?:het )?"
                      r"sociaal domein") for wet in ("jeugdwet", "wmo2015", "participatiewet")),
]

#: BWB ids in a wettelijke grondslag: (wet slug, taak slug or None). Strong evidence.
BWB_RULES: dict[str, tuple[str, str | None]] = {
    "BWBR0034925": ("jeugdwet", None),  # Jeugdwet
    "BWBR0035362": ("wmo2015", None),  # Wmo 2015
    "BWBR0020031": ("wmo2015", None),  # Wmo (2007), predecessor
    "BWBR0015703": ("participatiewet", None),  # Participatiewet (formerly WWB)
    "BWBR0008903": ("participatiewet", "sociale-werkvoorziening"),  # Wsw
}

#: A match right after one of these (in the same clause) does not count.
NEGATION = re.compile(r"(?:met uitzondering van|\bm\.u\.v\.|uitgezonderd|behalve|\bniet\b)"
                      r"[^.;:,]{0,30}$", re.I)
_COMPILED = [(r, re.compile(r.pattern, re.I), re.compile(r.met, re.I) if r.met else None,
              re.compile(r.zonder, re.I) if r.zonder else None) for r in RULES]
_BWB = re.compile(r"BWBR\d{7}", re.I)
FIELDS = ("doel", "bevoegdheid", "wettelijkeGrondslag", "titel")
CONTEXT = 50  # characters each side of the match; snippets are ~120 characters
_SENTENCE_END = re.compile(r"[.;]\s|\n")


@dataclass(frozen=True)
class Match:
    """One derived (GR version, taak or wet) with its first piece of evidence."""

    roo_id: str
    wet: str  # wet slug (jeugdwet, wmo2015, participatiewet)
    taak: str | None  # taak slug, None when the rule targets the wet itself
    bewijsveld: str  # doel | bevoegdheid | wettelijkeGrondslag | titel
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
    title = version.citeertitel or version.titel
    if title:
        yield "titel", title


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence (or clause ended by ';') around ``text[start:end]``."""
    before = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    after = _SENTENCE_END.search(text, end)
    return text[before[-1] if before else 0: after.start() if after else len(text)]


def _first(text: str, rx: re.Pattern[str], met: re.Pattern[str] | None,
           zonder: re.Pattern[str] | None) -> re.Match[str] | None:
    """The first match of ``rx`` in ``text`` that counts (sentence tests, no negation)."""
    for m in rx.finditer(text):
        sentence = _sentence(text, *m.span())
        if met is not None and not met.search(sentence):
            continue
        if zonder is not None and zonder.search(sentence):
            continue
        clause_start = max(0, m.start() - 80)
        if NEGATION.search(text[clause_start:m.start()]):
            continue
        return m
    return None


def classify(version: GRVersion) -> list[Match]:
    """All (taak or wet) targets the rules find in one version; pure, deterministic.

    One :class:`Match` per target, with the first evidence in field order doel,
    bevoegdheden, wettelijke grondslagen, titel. Versions without roo_id give nothing.
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
        for rule, rx, met, zonder in _COMPILED:
            key = rule.taak or rule.wet
            if key in found:
                continue
            m = _first(text, rx, met, zonder)
            if m:
                found[key] = Match(version.roo_id, rule.wet, rule.taak, veld,
                                   snippet(text, *m.span()), rule.pattern)
    return sorted(found.values(), key=lambda x: (x.wet, x.taak or ""))


def wetten_of(matches: Iterable[Match]) -> set[str]:
    """The wet slugs a list of matches implies."""
    return {m.wet for m in matches}


def gr_taken_graph(versions: Iterable[GRVersion], report: ImportReport) -> Graph:
    """The derived layer for ``versions`` as an rdflib graph (same input, same graph)."""
    g = Graph()
    g.add((RULESET, RDF.type, PROV.Activity))
    g.add((RULESET, RDFS.label, Literal("Regelgebaseerde afleiding wetten en taken v2", lang="nl")))
    g.add((RULESET, RDFS.label, Literal("Rule-based derivation of laws and tasks v2", lang="en")))
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
