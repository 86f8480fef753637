"""Maps, drawn on the server as SVG from the CBS/PDOK boundaries (docs/maps.md).

:mod:`.topo` decodes the TopoJSON boundary files of the sources folder, :mod:`.kaart`
writes a map as SVG and GeoJSON; this module combines named queries into maps:

* :func:`indeling` - a regio-indeling on a peildatum, each regio coloured (neighbours
  differ), or one gemeenschappelijke regeling's member area (:func:`regeling`);
* :func:`gemeente` - a gemeente with the areas of its regio's and GRs, one layer each;
* :func:`overlap` - two regio-indelingen over each other: per gemeente how far its
  regio in A and its regio in B hold the same gemeenten, with both sets of borders;
* :func:`waarden` - a choropleth of any figure per gemeente (key figures, the
  fragmentation ranking).

The boundaries are those of the latest year up to the peildatum; a shape of a
gemeente that no longer existed that day is drawn as its successor (Schijndel's
shape as Meierijstad), one that did not exist yet as unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rdflib.term import Identifier

from ..cache import follows_version
from ..identity import gemeente_code
from ..inputcache import InputCache
from ..output import text
from .kaart import CATEGORIEEN, KLASSEN, LEEG, Kaart, Laag, Lijn, Vlak, klassen, kleuren
from .topo import Boundaries, for_date

Row = Mapping[str, Identifier | None]
#: ``run(name, values[, each])`` -> rows (sdgraph.runner.Runner)
Runner = Callable[..., list[Row]]
GR = "https://w3id.org/sdgraph/def#GemeenschappelijkeRegeling"
INDELING = "https://w3id.org/sdgraph/id/regioindeling/"
#: The regio-indelingen a gemeente map shows first (in this order), then the GRs.
HOOFDINDELINGEN = ("jeugdregio", "wmo-regio", "arbeidsmarktregio", "centrumgemeente-bw-mo",
                   "ggd-regio", "veiligheidsregio", "zorgkantoorregio", "veilig-thuis-regio",
                   "rmc-regio", "wgr-samenwerkingsgebied")


#: Short names of the kinds of organisation on a gemeente map.
SOORTEN = {"jeugdregio": "jeugdregio", "wmo-regio": "Wmo-regio",
           "arbeidsmarktregio": "arbeidsmarktregio", "centrumgemeente-bw-mo":
           "centrumgemeente BW/MO", "ggd-regio": "GGD-regio", "veiligheidsregio":
           "veiligheidsregio", "zorgkantoorregio": "zorgkantoorregio",
           "veilig-thuis-regio": "Veilig Thuis-regio", "rmc-regio": "RMC-regio",
           "wgr-samenwerkingsgebied": "Wgr-samenwerkingsgebied",
           "gr": "gemeenschappelijke regeling"}


class GeenGrenzen(Exception):
    """No boundary files in the sources folder (``cbs-geo/gemeente_<year>.topojson``)."""


def grenzen(folder: Path | None, peildatum: str) -> Boundaries:
    """The gemeente boundaries for ``peildatum`` from ``<sources>/cbs-geo``."""
    found = for_date(folder / "cbs-geo", int(peildatum[:4])) if folder is not None else None
    if found is None:
        raise GeenGrenzen(f"geen grenzen (cbs-geo/gemeente_<jaar>.topojson) in {folder}")
    return found


@dataclass
class Gebied:
    """The gemeenten on the peildatum and the boundary shapes that stand for them."""

    grenzen: Boundaries
    shapes: dict[str, list[str]]  # gemeente code (GM0823) -> shape codes
    namen: dict[str, str]
    onbekend: list[str] = field(default_factory=list)  # shapes of no gemeente that day

    def van(self, gemeenten: Iterable[str]) -> list[str]:
        """The shapes of these gemeenten (IRIs or codes)."""
        out = []
        for g in gemeenten:
            code = gemeente_code(g)
            out += self.shapes.get(code.upper(), []) if code else []
        return out


def gebied(run: Runner, grenzen: Boundaries, peildatum: str) -> Gebied:
    """Which gemeente each shape of ``grenzen`` is on ``peildatum`` (query kaart-gemeenten):
    itself when it existed, else its one successor that existed then."""
    return _memo(run, ("gebied", grenzen.sleutel, peildatum),
                 lambda: _gebied(run, grenzen, peildatum), ("kaart-gemeenten",))


def _gebied(run: Runner, grenzen: Boundaries, peildatum: str) -> Gebied:
    day = date.fromisoformat(peildatum)
    leven: dict[str, tuple[str | None, str | None]] = {}
    opvolgers: dict[str, set[str]] = {}
    namen: dict[str, str] = {}
    for r in run("kaart-gemeenten", {}):
        code = text(r.get("code")).upper()
        leven[code] = (text(r.get("geldigVanaf")) or None, text(r.get("geldigTot")) or None)
        namen[code] = text(r.get("naam")) or code
        if r.get("opvolger"):
            opvolgers.setdefault(code, set()).add(text(r.get("opvolger")).upper())

    def bestaat(code: str) -> bool:
        begin, end = leven.get(code, (None, None))
        return (begin is None or begin <= peildatum) and (end is None or peildatum < end)

    def op_dag(code: str, seen: frozenset[str] = frozenset()) -> str | None:
        if code not in leven or code in seen:
            return None
        if bestaat(code):
            return code
        end = leven[code][1]
        if end is None or end > day.isoformat():
            return None  # not yet begun
        found = {op_dag(o, seen | {code}) for o in opvolgers.get(code, ())} - {None}
        return found.pop() if len(found) == 1 else None

    shapes: dict[str, list[str]] = {}
    onbekend = []
    for shape in grenzen.shapes:
        g = op_dag(shape.upper())
        if g is None:
            onbekend.append(shape)
        else:
            shapes.setdefault(g, []).append(shape)
    return Gebied(grenzen, shapes, namen, onbekend)


@dataclass
class Regio:
    iri: str
    naam: str
    code: str
    peiljaar: str
    leden: list[str]  # gemeente codes


#: Maps and what they are made of (the shapes of each gemeente on a day, member lists),
#: per store and key, kept while the data of the named queries they read is unchanged: a
#: load of other data (an inventory) leaves them valid (sdgraph.inputcache).
NAAR_INVOER = InputCache(maxsize=512)


def _memo(run: Runner, key: tuple[Any, ...], compute: Callable[[], Any],
          reads: tuple[str, ...]) -> Any:
    """``compute()`` (which reads the named queries ``reads`` alone) kept in
    :data:`NAAR_INVOER` while their input is unchanged; computed each time for an
    in-memory store (a scenario overlay), whose load records do not follow its writes."""
    return NAAR_INVOER.get(run, reads, key, compute)


def _leden(run: Runner, indeling: str, peildatum: str) -> list[Regio]:
    return _memo(run, ("leden", indeling, peildatum),
                 lambda: _read_leden(run, indeling, peildatum), ("kaart-leden",))


def _read_leden(run: Runner, indeling: str, peildatum: str) -> list[Regio]:
    out = []
    for r in run("kaart-leden", {"indeling": indeling, "peildatum": peildatum}):
        leden = sorted({(gemeente_code(x) or "").upper() for x in text(r.get("leden")).split()}
                       - {""})
        out.append(Regio(text(r["organisatie"]), text(r.get("naam")) or text(r["organisatie"]),
                         text(r.get("regiocode")), text(r.get("peiljaar")), leden))
    return out


@dataclass
class KaartMetTabel:
    """A map and the table beside it (one row per area or gemeente)."""

    kaart: Kaart
    kolommen: list[str]
    rijen: list[dict[str, Any]]
    peildatum: str
    notities: list[str] = field(default_factory=list)


def _titel(r: Regio, namen: Mapping[str, str]) -> str:
    leden = ", ".join(namen.get(c, c) for c in r.leden)
    code = f" ({r.code})" if r.code else ""
    return f"{r.naam}{code}: {len(r.leden)} gemeenten: {leden}"


def indeling(run: Runner, folder: Path | None, indeling_iri: str, naam: str,
             peildatum: str) -> KaartMetTabel:
    """A regio-indeling on ``peildatum``: each regio coloured, neighbours apart."""
    grens = grenzen(folder, peildatum)
    geb = gebied(run, grens, peildatum)
    regios = _leden(run, indeling_iri, peildatum)
    groepen = {r.iri: set(geb.van(r.leden)) for r in regios}
    kleur = kleuren(groepen, grens)
    kaart = Kaart(f"{naam} op {peildatum}",
                  f"Kaart van de {len(regios)} regio's van {naam} op {peildatum}; elke regio "
                  "een kleur, aangrenzende regio's verschillend. De tabel naast de kaart noemt "
                  "per regio de gemeenten.", grens, ident="kaart-indeling")
    of: dict[str, str] = {}
    for r in regios:
        kaart.vlakken.append(Vlak(sorted(groepen[r.iri]), kleur[r.iri], _titel(r, geb.namen)))
        for s in groepen[r.iri]:
            of[s] = r.iri
            kaart.eigenschappen[s] = {"regio": r.naam, "regiocode": r.code,
                                      "peiljaar": r.peiljaar}
    kaart.lijnen.append(Lijn(grens.borders(of), "#222222", 1.2))
    rijen = [{"regio": r.naam, "regiocode": r.code, "peiljaar": r.peiljaar,
              "aantal": len(r.leden), "kleur": kleur[r.iri], "iri": r.iri,
              "gemeenten": ", ".join(geb.namen.get(c, c) for c in r.leden)} for r in regios]
    jaren = sorted({r.peiljaar for r in regios if r.peiljaar})
    notities = [f"Indeling van {', '.join(jaren)}; grenzen van {grens.year}."] if jaren else []
    return KaartMetTabel(kaart, ["regio", "regiocode", "peiljaar", "aantal", "gemeenten"],
                         rijen, peildatum, notities)


def regeling(run: Runner, folder: Path | None, gr: str, naam: str,
             peildatum: str) -> KaartMetTabel:
    """The member area of one GR (or any organisation) on ``peildatum``."""
    grens = grenzen(folder, peildatum)
    geb = gebied(run, grens, peildatum)
    leden = [r for r in run("deelnemers", {"organisatie": gr, "peildatum": peildatum})
             if gemeente_code(text(r.get("lid")))]
    codes = sorted({gemeente_code(text(r["lid"])).upper() for r in leden})  # type: ignore[union-attr]
    shapes = geb.van(codes)
    kaart = Kaart(f"{naam}: deelnemende gemeenten op {peildatum}",
                  f"Het gebied van {naam} op {peildatum}: {len(codes)} deelnemende gemeenten.",
                  grens, ident="kaart-regeling")
    kaart.vlakken.append(Vlak(shapes, CATEGORIE, f"{naam}: {len(codes)} gemeenten: "
                              + ", ".join(geb.namen.get(c, c) for c in codes)))
    kaart.lijnen.append(Lijn(grens.borders(dict.fromkeys(shapes, "lid")), "#222222", 1.4))
    for s in shapes:
        kaart.eigenschappen[s] = {"lid": True}
    rijen = [{"gemeente": geb.namen.get(c, c), "code": c,
              "toetredingsdatum": text(r.get("toetredingsdatum")),
              "uittredingsdatum": text(r.get("uittredingsdatum"))}
             for c, r in sorted(((gemeente_code(text(r["lid"])).upper(), r)  # type: ignore[union-attr]
                                 for r in leden), key=lambda x: geb.namen.get(x[0], x[0]))]
    return KaartMetTabel(kaart, ["gemeente", "code", "toetredingsdatum", "uittredingsdatum"],
                         rijen, peildatum, [f"Grenzen van {grens.year}."])


CATEGORIE = "#0072B2"


def gemeente(run: Runner, folder: Path | None, code: str, peildatum: str) -> KaartMetTabel:
    """The gemeente with the area of each regio and GR it is a member of on ``peildatum``:
    one layer each, the jeugdregio shown first (:func:`organisaties`). Kept with its SVG
    written while the data its queries read is unchanged."""
    grens = grenzen(folder, peildatum)
    return _memo(run, ("gemeente", grens.sleutel, code.upper(), peildatum),
                 lambda: _geschreven(_gemeente(run, grens, code, peildatum)),
                 ("kaart-gemeenten", "kaart-gemeente", "kaart-organisatie-leden"))


def _geschreven(result: KaartMetTabel) -> KaartMetTabel:
    """``result`` with its SVG written (once, before it is kept and shared)."""
    result.kaart.svg()
    return result


def organisaties(run: Runner, code: str, peildatum: str) -> dict[str, dict[str, Any]]:
    """The regio's (of :data:`HOOFDINDELINGEN`) and GRs that gemeente ``code`` is a member
    of on ``peildatum``: IRI -> naam, soort, slug, leden (sorted codes), in the order of
    :data:`HOOFDINDELINGEN` then the GRs, each by name; an organisation of several kinds
    takes the last (queries kaart-gemeente and kaart-organisatie-leden: the gemeente's
    own organisations and their members, as kaart-leden lists them)."""
    soorten = [(f"{INDELING}{slug}", slug) for slug in HOOFDINDELINGEN] + [(GR, "gr")]
    if all(_leden_opgeslagen(run, iri, peildatum) for iri, _ in soorten):
        # the national member lists the load stored: no query about this gemeente
        per = {iri: _leden(run, iri, peildatum) for iri, _ in soorten}
    else:
        per = _eigen(run, code, peildatum, dict(soorten))
    orgs: dict[str, dict[str, Any]] = {}
    for iri, slug in soorten:
        for r in sorted((r for r in per.get(iri, []) if code in r.leden),
                        key=lambda r: (r.naam, r.iri)):
            # leden sorted: the SVG lists the shapes in the same order in every process
            orgs[r.iri] = {"naam": r.naam, "soort": SOORTEN.get(slug, slug), "slug": slug,
                           "leden": r.leden}
    return orgs


def _eigen(run: Runner, code: str, peildatum: str, kinds: Mapping[str, str]
           ) -> dict[str, list[Regio]]:
    """Per indeling (or GR) in ``kinds`` the organisations gemeente ``code`` is a member of
    on ``peildatum`` with their members, from two queries about this gemeente alone."""
    eigen = [r for r in run("kaart-gemeente", {"gemeente": code, "peildatum": peildatum})
             if text(r["indeling"]) in kinds]
    leden = {text(r["organisatie"]): sorted({(gemeente_code(x) or "").upper()
                                             for x in text(r.get("leden")).split()} - {""})
             for r in run("kaart-organisatie-leden", {"peildatum": peildatum},
                          each=("organisatie", sorted({text(r["organisatie"]) for r in eigen})))}
    per: dict[str, list[Regio]] = {}
    for r in eigen:
        iri = text(r["organisatie"])
        per.setdefault(text(r["indeling"]), []).append(
            Regio(iri, text(r.get("naam")) or iri, "", "", leden.get(iri, [])))
    return per


def _leden_opgeslagen(run: Runner, indeling: str, peildatum: str) -> bool:
    """Whether the load stored the national member lists of ``indeling`` on ``peildatum``
    (its default peildatum, :func:`sdgraph.materialise.refresh`), so reading them costs no
    query over the country. Kept like the lists themselves."""

    def stored() -> bool:
        from ..materialise import lookup

        store = getattr(run, "store", None)
        if store is None or not follows_version(store):  # a scenario overlay: written directly
            return False
        query = run.query("kaart-leden")
        values = {"indeling": indeling, "peildatum": peildatum}
        return lookup(store, query, query.bindings(values)) is not None

    return _memo(run, ("leden-opgeslagen", indeling, peildatum), stored, ("kaart-leden",))


def _gemeente(run: Runner, grens: Boundaries, code: str, peildatum: str) -> KaartMetTabel:
    geb = gebied(run, grens, peildatum)
    code = code.upper()
    eigen = geb.van([code])
    orgs = organisaties(run, code, peildatum)

    def orde(item: tuple[str, dict[str, Any]]) -> tuple[int, str, str]:
        slug = item[1]["slug"]
        rank = HOOFDINDELINGEN.index(slug) if slug in HOOFDINDELINGEN else len(HOOFDINDELINGEN)
        return (rank, item[1]["soort"], item[1]["naam"])

    ordered = sorted(orgs.items(), key=orde)
    kaart = Kaart(f"{geb.namen.get(code, code)} en haar regio's en regelingen op {peildatum}",
                  f"{geb.namen.get(code, code)} (zwart omlijnd) met het gebied van elk van haar "
                  f"{len(ordered)} regio's en gemeenschappelijke regelingen; kies in de tabel "
                  "welke de kaart toont.", grens, ident="kaart-gemeente")
    beeld = set(eigen)
    rijen = []
    for n, (iri, o) in enumerate(ordered):
        shapes = geb.van(o["leden"])
        beeld |= set(shapes)
        kleur = CATEGORIEEN[n % len(CATEGORIEEN)]
        kaart.lagen.append(Laag(o["naam"], [Vlak(shapes, kleur, f"{o['naam']} ({o['soort']}): "
                                                 f"{len(o['leden'])} gemeenten", 0.45)],
                                [Lijn(grens.borders(dict.fromkeys(shapes, "x")), kleur, 1.6)],
                                actief=(n == 0)))
        rijen.append({"laag": n, "organisatie": o["naam"], "soort": o["soort"], "iri": iri,
                      "aantal": len(o["leden"]),
                      "gemeenten": ", ".join(sorted(geb.namen.get(c, c) for c in o["leden"]))})
    kaart.nadruk = eigen
    kaart.beeld = beeld or None
    for s in eigen:
        kaart.eigenschappen[s] = {"gemeente": True}
    return KaartMetTabel(kaart, ["organisatie", "soort", "aantal", "gemeenten"], rijen,
                         peildatum, [f"Grenzen van {grens.year}."])


def overlap(run: Runner, folder: Path | None, a: tuple[str, str], b: tuple[str, str],
            peildatum: str) -> KaartMetTabel:
    """Indelingen ``a`` and ``b`` ((IRI, name)) over each other on ``peildatum``: per
    gemeente the Jaccard index of its regio in A and its regio in B (1: the same
    gemeenten; light: they disagree), A's borders solid and B's dashed."""
    grens = grenzen(folder, peildatum)
    return _memo(run, ("overlap", grens.sleutel, a, b, peildatum),
                 lambda: _geschreven(_overlap(run, grens, a, b, peildatum)),
                 ("kaart-gemeenten", "kaart-leden"))


def _overlap(run: Runner, grens: Boundaries, a: tuple[str, str], b: tuple[str, str],
             peildatum: str) -> KaartMetTabel:
    geb = gebied(run, grens, peildatum)
    ra, rb = _leden(run, a[0], peildatum), _leden(run, b[0], peildatum)
    in_a = {c: r for r in ra for c in r.leden}
    in_b = {c: r for r in rb for c in r.leden}
    waarden: dict[str, float] = {}
    titels: dict[str, str] = {}
    for c in sorted(set(in_a) & set(in_b)):
        sa, sb = set(in_a[c].leden), set(in_b[c].leden)
        j = len(sa & sb) / len(sa | sb)
        waarden[c] = j
        titels[c] = (f"{geb.namen.get(c, c)}: {a[1]} {in_a[c].naam}, {b[1]} {in_b[c].naam}; "
                     f"{len(sa & sb)} van {len(sa | sb)} gemeenten gedeeld (Jaccard {j:.2f})")
    grenzen_a = {s: r.iri for r in ra for s in geb.van(r.leden)}
    grenzen_b = {s: r.iri for r in rb for s in geb.van(r.leden)}
    bounds = [1 / 5, 2 / 5, 3 / 5, 4 / 5, 1.0]
    kaart = _choropleth(geb, waarden, titels, bounds, f"{a[1]} en {b[1]} op {peildatum}",
                        f"Waar {a[1]} en {b[1]} het oneens zijn: per gemeente het deel van de "
                        f"gemeenten van haar regio in beide dat in beide samen zit (Jaccard; "
                        f"donker: dezelfde groep, licht: verschillend). Doorgetrokken lijnen: "
                        f"grenzen van {a[1]}; gestippeld: van {b[1]}.", "kaart-overlap",
                        "jaccard")
    kaart.lijnen.append(Lijn(grens.borders(grenzen_a), "#222222", 1.6))
    kaart.lijnen.append(Lijn(grens.borders(grenzen_b), "#D55E00", 1.6, "4 3"))
    oneens = sorted((c for c in waarden if waarden[c] < 1), key=lambda c: waarden[c])
    rijen = [{"gemeente": geb.namen.get(c, c), "code": c, "regioA": in_a[c].naam,
              "regioB": in_b[c].naam, "jaccard": round(waarden[c], 4)} for c in oneens]
    notities = [f"{len(waarden) - len(oneens)} van {len(waarden)} gemeenten zitten in A en B "
                f"met precies dezelfde gemeenten; de tabel noemt de {len(oneens)} andere. "
                f"Grenzen van {grens.year}."]
    return KaartMetTabel(kaart, ["gemeente", "code", "regioA", "regioB", "jaccard"], rijen,
                         peildatum, notities)


def _choropleth(geb: Gebied, waarden: dict[str, float], titels: dict[str, str],
                bounds: list[float], titel: str, beschrijving: str, ident: str,
                eigenschap: str) -> Kaart:
    kaart = Kaart(titel, beschrijving, geb.grenzen, ident=ident)
    per: list[list[str]] = [[] for _ in bounds]
    for c, v in waarden.items():
        k = next((i for i, b in enumerate(bounds) if v <= b), len(bounds) - 1)
        for s in geb.van([c]):
            per[k].append(s)
            kaart.eigenschappen[s] = {eigenschap: v, "klasse": k + 1}
    gemeente_van = {s: g for g, ss in geb.shapes.items() for s in ss}
    for k, shapes in enumerate(per):
        for s in shapes:
            c = gemeente_van.get(s, s)
            kaart.vlakken.append(Vlak([s], KLASSEN[k], titels.get(c, geb.namen.get(c, c))))
    lower = None
    for k, b in enumerate(bounds):
        kaart.legenda.append((KLASSEN[k], f"{'' if lower is None else f'> {lower:.4g} '}"
                                          f"t/m {b:.4g}"))
        lower = b
    kaart.legenda.append((LEEG, "geen waarde"))
    return kaart


def waarden(run: Runner, folder: Path | None, peildatum: str, values: Mapping[str, float],
            titel: str, beschrijving: str, eenheid: str = "") -> KaartMetTabel:
    """A choropleth of ``values`` (gemeente IRI or code -> number) in five quantile classes."""
    grens = grenzen(folder, peildatum)
    geb = gebied(run, grens, peildatum)
    by_code = {(gemeente_code(k) or "").upper(): v for k, v in values.items()
               if gemeente_code(k)}
    bounds = klassen(by_code)
    titels = {c: f"{geb.namen.get(c, c)}: {v:,.2f}{(' ' + eenheid) if eenheid else ''}"
              for c, v in by_code.items()}
    kaart = _choropleth(geb, by_code, titels, bounds or [0.0], titel, beschrijving,
                        "kaart-waarden", "waarde")
    ranked = sorted(by_code.items(), key=lambda kv: -kv[1])
    rijen = [{"rang": i, "gemeente": geb.namen.get(c, c), "code": c, "waarde": v}
             for i, (c, v) in enumerate(ranked, start=1)]
    return KaartMetTabel(kaart, ["rang", "gemeente", "code", "waarde"], rijen, peildatum,
                         [f"Vijf klassen van gelijk aantal gemeenten; grenzen van {grens.year}."])


#: Fills of the partners map of a scenario: in the area before and after, only before,
#: only after (Okabe-Ito: blue, orange, bluish green).
VOOR_EN_NA, ALLEEN_VOOR, ALLEEN_NA = "#56B4E9", "#E69F00", "#009E73"


def samenwerking(run: Runner, folder: Path | None, code: str, peildatum: str, titel: str,
                 voor: Mapping[str, list[str]], na: Mapping[str, list[str]],
                 ident: str = "kaart-scenario") -> KaartMetTabel:
    """The area a gemeente works in before and after a scenario: ``voor`` and ``na`` map
    each gemeente of the area (code or IRI) to the organisations it is there through. The
    shapes of each area are merged (its outline drawn: before solid, after dashed); each
    gemeente is filled by where it is (before and after, only before, only after); the
    gemeente itself is outlined black."""
    grens = grenzen(folder, peildatum)
    geb = gebied(run, grens, peildatum)
    code = code.upper()

    def codes(area: Mapping[str, list[str]]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for g, via in area.items():
            c = (gemeente_code(g) or "").upper()
            if c:
                known = out.setdefault(c, [])
                known += [o for o in dict.fromkeys(via) if o not in known]
        return out

    v, n = codes(voor), codes(na)
    v.setdefault(code, [])
    n.setdefault(code, [])
    naam = geb.namen.get(code, code)
    kaart = Kaart(titel, f"Met wie {naam} samenwerkt voor en na het scenario, op {peildatum}: "
                  f"{len(v)} gemeenten voor, {len(n)} na. Doorgetrokken lijn: het gebied "
                  "voor; gestippeld: na. De tabel naast de kaart noemt per gemeente waarlangs.",
                  grens, ident=ident)
    groepen = ((sorted(set(v) & set(n)), VOOR_EN_NA, "voor en na"),
               (sorted(set(v) - set(n)), ALLEEN_VOOR, "alleen voor"),
               (sorted(set(n) - set(v)), ALLEEN_NA, "alleen na"))
    for cs, fill, label in groepen:
        if cs:
            kaart.vlakken.append(Vlak(geb.van(cs), fill, f"{label}: " + ", ".join(
                sorted(geb.namen.get(c, c) for c in cs))))
        kaart.legenda.append((fill, label))
    shapes_voor, shapes_na = geb.van(v), geb.van(n)
    kaart.lijnen.append(Lijn(grens.borders(dict.fromkeys(shapes_voor, "voor")), "#222222", 1.6))
    kaart.lijnen.append(Lijn(grens.borders(dict.fromkeys(shapes_na, "na")), "#D55E00", 1.6,
                             "4 3"))
    eigen = geb.van([code])
    kaart.nadruk = eigen
    kaart.beeld = set(shapes_voor) | set(shapes_na) | set(eigen) or None
    for c in set(v) | set(n):
        for s in geb.van([c]):
            kaart.eigenschappen[s] = {"voor": c in v, "na": c in n,
                                      "via_voor": "; ".join(v.get(c, [])),
                                      "via_na": "; ".join(n.get(c, []))}
    rijen = [{"gemeente": geb.namen.get(c, c), "code": c, "voor": "ja" if c in v else "nee",
              "na": "ja" if c in n else "nee", "via_voor": "; ".join(v.get(c, [])),
              "via_na": "; ".join(n.get(c, []))}
             for c in sorted(set(v) | set(n), key=lambda c: (c != code, geb.namen.get(c, c)))]
    return KaartMetTabel(kaart, ["gemeente", "code", "voor", "na", "via_voor", "via_na"], rijen,
                         peildatum, [f"Grenzen van {grens.year}."])
