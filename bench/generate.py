"""Synthetic national inventory on top of a store's real gemeenten, GRs and vocabularies.

For every gemeente that exists on the peildatum (named query ``gemeenten``)
and every period (yearly, the last one open-ended), one ``sd:Taakuitvoering``
per taak x deelgebied (named queries ``taken``, ``deelgebieden``), shaped as
``data/examples/oirschot/taakuitvoeringen.ttl``: executed by the gemeente
itself, by one of its GRs (named query ``lidmaatschappen``), by a
centrumgemeente, or by an aanbieder under a contract (``sd:Overeenkomst`` as in
``overeenkomsten.ttl``, one per gemeente, taak and period, with 1-3
opdrachtnemers from a pool of aanbieders); about 2% of the cells get a second
uitvoerder (double work). Every membership gets a governance seat per period
(``sd:Vertegenwoordiging`` in the GR's algemeen bestuur). Every node is marked
``sd:illustratief true`` and ``dct:source "synthetisch (bench)"``.

Deterministic: the same context, periods, pool size and seed give the same
bytes. Files are N-Triples, one per gemeente (``inventaris-gm0823.nt``) plus
``aanbieders.nt`` and ``bestuursorganen.nt``, written to a folder the caller
chooses (a temporary one; never the repository).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

SD = "https://w3id.org/sdgraph/def#"
SDID = "https://w3id.org/sdgraph/id/"
ORG = "http://www.w3.org/ns/org#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DCT_SOURCE = "http://purl.org/dc/terms/source"
XSD = "http://www.w3.org/2001/XMLSchema#"
AT = SDID + "arrangementtype/"
SOURCE = "synthetisch (bench)"

#: Share of taak x deelgebied cells per arrangement when a cell is (re)drawn.
ARRANGEMENTS = (("eigen-organisatie", 0.45), ("gemeenschappelijke-regeling", 0.20),
                ("centrumgemeente", 0.10), ("contract", 0.25))
REDRAW = 0.2  # chance a cell changes arrangement from one period to the next
DOUBLE_WORK = 0.02


@dataclass(frozen=True)
class Gemeente:
    code: str  # GM0823
    iri: str
    naam: str
    geldig_vanaf: date | None = None


@dataclass(frozen=True)
class GR:
    iri: str
    naam: str


@dataclass
class Context:
    """What the generator takes from the store (or a test): the real entities to refer to."""

    peildatum: date
    gemeenten: list[Gemeente]
    taken: list[tuple[str, str]]  # (taak IRI, wet IRI)
    deelgebieden: list[str]
    memberships: dict[str, list[GR]] = field(default_factory=dict)  # gemeente IRI -> GRs


@dataclass
class Inventory:
    """The generated files and what they contain."""

    folder: Path
    files: list[Path]
    shared: list[Path]
    triples: int
    counts: Counter
    periods: list[tuple[date, date | None]]
    samples: dict[str, list[str]]  # a few IRIs per kind, for realistic parameters

    def gemeente_file(self, code: str) -> Path:
        return self.folder / f"inventaris-{code.lower()}.nt"


def context_from_store(store, peildatum: date) -> Context:
    """Gemeenten on ``peildatum``, taken, deelgebieden and current GR memberships."""
    from sdgraph.queries import QueryLibrary

    lib = QueryLibrary()
    day = peildatum.isoformat()

    def run(name: str, **values: str):
        return lib.get(name).run(store, values).dicts()

    gemeenten = []
    for r in run("gemeenten", peildatum=day):
        if r["code"] is None:
            continue
        start = date.fromisoformat(str(r["geldigVanaf"])) if r["geldigVanaf"] else None
        gemeenten.append(Gemeente(str(r["code"]), str(r["gemeente"]),
                                  str(r["naam"] or r["code"]), start))
    gemeenten = sorted({g.code: g for g in gemeenten}.values(), key=lambda g: g.code)
    taken = sorted({(str(r["taak"]), str(r["wet"])) for r in run("taken")})
    deelgebieden = sorted({str(r["deelgebied"]) for r in run("deelgebieden")})
    memberships = {}
    for g in gemeenten:
        grs = {str(r["gr"]): GR(str(r["gr"]), str(r["naam"] or r["gr"]))
               for r in run("lidmaatschappen", gemeente=g.iri, peildatum=day)}
        memberships[g.iri] = [grs[k] for k in sorted(grs)]
    return Context(peildatum, gemeenten, taken, deelgebieden, memberships)


def periods(peildatum: date, n: int) -> list[tuple[date, date | None]]:
    """``n`` yearly periods ending with an open one that contains ``peildatum``."""
    first = peildatum.year - n + 1
    out: list[tuple[date, date | None]] = []
    for i in range(n):
        start = date(first + i, 1, 1)
        out.append((start, None if i == n - 1 else date(first + i + 1, 1, 1)))
    return out


def _lit(text: str, lang: str | None = "nl") -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def _date(day: date) -> str:
    return f'"{day.isoformat()}"^^<{XSD}date>'


def _typed(value: object, kind: str) -> str:
    return f'"{value}"^^<{XSD}{kind}>'


def _slug(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


class _Writer:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines: list[str] = []
        self.counts: Counter = Counter()

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"<{s}> <{p}> {o} .\n")

    def node(self, s: str, cls: str, label: str) -> None:
        self.add(s, RDF_TYPE, f"<{SD}{cls}>")
        self.add(s, RDFS_LABEL, _lit(label))
        self.add(s, SD + "illustratief", _typed("true", "boolean"))
        self.add(s, DCT_SOURCE, _lit(SOURCE, None))
        self.counts[cls] += 1

    def close(self) -> int:
        self.path.write_text("".join(self.lines), encoding="utf-8")
        return len(self.lines)


def generate(context: Context, folder: Path, n_periods: int = 1, providers: int = 3000,
             seed: int = 7) -> Inventory:
    """Write the inventory of every gemeente in ``context`` to ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    spans = periods(context.peildatum, n_periods)
    labels = {t: _slug(t).replace("-", " ") for t, _ in context.taken}
    wetten = dict(context.taken)
    counts: Counter = Counter()
    samples: dict[str, list[str]] = {"taakuitvoering": [], "overeenkomst": [], "aanbieder": [],
                                     "vertegenwoordiging": []}
    triples = 0

    pool = [f"{SDID}aanbieder/bench-{i:04d}" for i in range(1, providers + 1)]
    w = _Writer(folder / "aanbieders.nt")
    for i, a in enumerate(pool, start=1):
        w.node(a, "Aanbieder", f"Aanbieder {i:04d} (synthetisch)")
    samples["aanbieder"] = pool[:: max(1, len(pool) // 20)]
    triples += w.close()
    counts.update(w.counts)

    w = _Writer(folder / "bestuursorganen.nt")
    grs = {gr.iri: gr for members in context.memberships.values() for gr in members}
    for iri in sorted(grs):
        ab = f"{SDID}bestuursorgaan/{_slug(iri)}/ab"
        w.add(ab, RDF_TYPE, f"<{SD}AlgemeenBestuur>")
        w.add(ab, RDFS_LABEL, _lit(f"Algemeen bestuur {grs[iri].naam}"))
        w.add(ab, ORG + "unitOf", f"<{iri}>")
        w.add(iri, ORG + "hasUnit", f"<{ab}>")
        w.counts["AlgemeenBestuur"] += 1
    triples += w.close()
    counts.update(w.counts)
    shared = [folder / "aanbieders.nt", folder / "bestuursorganen.nt"]

    files = []
    codes = [g.iri for g in context.gemeenten]
    window = max(1, min(len(pool), 200))
    for index, gm in enumerate(context.gemeenten):
        rng = random.Random(f"{seed}:{gm.code}")
        local = gm.iri.rsplit("/", 1)[-1]
        w = _Writer(folder / f"inventaris-{gm.code.lower()}.nt")
        members = context.memberships.get(gm.iri, [])
        centrum = rng.choice([c for c in codes if c != gm.iri] or [gm.iri])
        offset = (index * len(pool)) // max(1, len(context.gemeenten))
        regional = [pool[(offset + k) % len(pool)] for k in range(window)]
        state: dict[tuple[str, str], str] = {}
        for start, end in spans:
            if gm.geldig_vanaf and end and end <= gm.geldig_vanaf:
                continue  # the gemeente did not exist yet
            begin = max(start, gm.geldig_vanaf) if gm.geldig_vanaf else start
            last = spans[-1][0] == start
            contracts: dict[str, tuple[list[str], date | None]] = {}  # taak -> nemers, end
            for taak, _wet in context.taken:
                for dg in context.deelgebieden:
                    key = (taak, dg)
                    if key not in state or rng.random() < REDRAW:
                        state[key] = _draw(rng)
                    kind = state[key]
                    if kind == "gemeenschappelijke-regeling" and not members:
                        kind = "eigen-organisatie"
                    if kind == "contract" and taak not in contracts:
                        contracts[taak] = _contract_parties(rng, regional, pool, begin, end, last)
                    uitvoerder, via = _executor(rng, kind, gm, begin, centrum, members,
                                                contracts.get(taak), taak)
                    node = f"{SDID}taakuitvoering/{local}/{_slug(taak)}/{_slug(dg)}/{start}"
                    # a taakuitvoering under a contract ends when the contract does
                    until = contracts[taak][1] if via else end
                    _taakuitvoering(w, node, gm, taak, dg, uitvoerder, kind, via, begin, until,
                                    labels)
                    if len(samples["taakuitvoering"]) < 50 and rng.random() < 0.05:
                        samples["taakuitvoering"].append(node)
                    if rng.random() < DOUBLE_WORK:
                        other = members[0].iri if members else centrum
                        extra = "gemeenschappelijke-regeling" if members else "centrumgemeente"
                        _taakuitvoering(w, node + "/dubbel", gm, taak, dg, other, extra, None,
                                        begin, end, labels)
            for taak, (nemers, einde) in sorted(contracts.items()):
                contract = _contract(w, rng, gm, taak, wetten[taak], nemers, begin, einde,
                                     labels)
                if len(samples["overeenkomst"]) < 20 and rng.random() < 0.1:
                    samples["overeenkomst"].append(contract)
            for gr in members:
                seat = f"{SDID}vertegenwoordiging/{local}/{_slug(gr.iri)}/ab/{start}"
                w.node(seat, "Vertegenwoordiging",
                       f"{gm.naam} in het algemeen bestuur van {gr.naam} (synthetisch)")
                w.add(seat, ORG + "member", f"<{gm.iri}>")
                w.add(seat, ORG + "organization", f"<{SDID}bestuursorgaan/{_slug(gr.iri)}/ab>")
                w.add(seat, SD + "aantalZetels", _typed(rng.randint(1, 3), "nonNegativeInteger"))
                w.add(seat, SD + "aantalStemmen", _typed(f"{rng.randint(1, 40)}.0", "decimal"))
                w.add(seat, SD + "geldigVanaf", _date(begin))
                if end:
                    w.add(seat, SD + "geldigTot", _date(end))
                if len(samples["vertegenwoordiging"]) < 20 and rng.random() < 0.05:
                    samples["vertegenwoordiging"].append(seat)
        triples += w.close()
        counts.update(w.counts)
        files.append(w.path)
    return Inventory(folder, files, shared, triples, counts, spans, samples)


def _draw(rng: random.Random) -> str:
    r = rng.random()
    for kind, share in ARRANGEMENTS:
        if r < share:
            return kind
        r -= share
    return ARRANGEMENTS[-1][0]


def _contract_parties(rng, regional, pool, begin, end, last) -> tuple[list[str], date | None]:
    """1-3 opdrachtnemers (mostly regional) and the end date of a new contract."""
    k = rng.choice((1, 1, 2, 3))
    nemers = sorted({rng.choice(regional) if rng.random() < 0.8 else rng.choice(pool)
                     for _ in range(k)})
    if last:  # running contracts end 1 to 4 years after they start
        return nemers, date(begin.year + rng.randint(1, 4), 1, 1)
    return nemers, end


def _executor(rng, kind, gm, begin, centrum, members, contract, taak):
    """The uitvoerder of one cell, and the contract it works under (or None)."""
    if kind == "eigen-organisatie":
        return gm.iri, None
    if kind == "gemeenschappelijke-regeling":
        return rng.choice(members).iri, None
    if kind == "centrumgemeente":
        return centrum, None
    return rng.choice(contract[0]), _contract_iri(gm, taak, begin)


def _taakuitvoering(w, node, gm, taak, dg, uitvoerder, kind, via, begin, end, labels) -> None:
    w.node(node, "Taakuitvoering", f"{gm.naam}: {labels[taak]}, {_slug(dg).replace('-', ' ')}")
    w.add(node, SD + "gemeente", f"<{gm.iri}>")
    w.add(node, SD + "taak", f"<{taak}>")
    w.add(node, SD + "deelgebied", f"<{dg}>")
    w.add(node, SD + "uitvoerder", f"<{uitvoerder}>")
    w.add(node, SD + "arrangementtype", f"<{AT}{kind}>")
    if via is not None:
        w.add(node, SD + "via", f"<{via}>")
    w.add(node, SD + "geldigVanaf", _date(begin))
    if end:
        w.add(node, SD + "geldigTot", _date(end))


def _contract_iri(gm: Gemeente, taak: str, begin: date) -> str:
    return f"{SDID}overeenkomst/bench/{gm.code.lower()}/{_slug(taak)}/{begin}"


def _contract(w, rng, gm, taak, wet, nemers, begin, end, labels) -> str:
    node = _contract_iri(gm, taak, begin)
    w.node(node, "Overeenkomst", f"Overeenkomst {labels[taak]} {gm.naam} {begin.year} "
                                 "(synthetisch)")
    w.add(node, SD + "opdrachtgever", f"<{gm.iri}>")
    for nemer in nemers:
        w.add(node, SD + "opdrachtnemer", f"<{nemer}>")
    w.add(node, SD + "taak", f"<{taak}>")
    w.add(node, SD + "wet", f"<{wet}>")
    w.add(node, SD + "startdatum", _date(begin))
    if end:
        w.add(node, SD + "einddatum", _date(end))
    w.add(node, SD + "opzegtermijnMaanden", _typed(rng.choice((3, 6, 12)), "nonNegativeInteger"))
    w.add(node, SD + "jaarwaardeEUR", _typed(f"{rng.randint(20, 5000) * 1000}.00", "decimal"))
    return node
