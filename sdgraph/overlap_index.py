"""Members of every regio and GR, materialised at load (graph ``afgeleid/overlap``).

``overlap-gemeente`` compares a gemeente's regios and GRs on the peildatum with its
regio in a reference indeling. In SPARQL it joins every membership of the gemeente
with every membership of each of its organisations, of *all* periods (RegioAtlas
keeps every year's table: the veiligheidsregio Brabant-Zuidoost has 189 memberships
of 21 gemeenten), and ``?g a sd:Gemeente`` and four date OPTIONALs on each pair: 107
ms at 1m, 339 ms at 5m, where the synthetic seats in the algemeen bestuur
(``sd:Vertegenwoordiging``, also ``org:member``/``org:organization``) are joined too.

This index is a sibling of :mod:`sdgraph.lidmaatschap_index` on the same primitives:
one entry per member (its links to regios and GRs, with dates: ``overlap/leden``) and
one per organisation (its gemeente members with dates, its soorten and names:
``overlap/leden``, ``overlap/organisaties``). A query reads the gemeente's entry and
those of its organisations and applies in Python what depends on the parameters,
exactly as the SPARQL query does: a link holds from toetreding up to uittreding (an
unbound date holds, a date that cannot be compared does not); |A| counts the
organisation's gemeenten on the day, |A∩R| those also in the gemeente's regio(s) of
the reference indeling, |R| (per reference regio and name) those of the regio; the
Jaccard index rounded to four decimals; DISTINCT and ORDER BY as the query.
``overlap`` (every pair of a regio or GR of indeling A and one of indeling B that
share gemeenten on the day, 81 ms live at 1m for a pair other than the stored
default) reads the entries of the organisations of both indelingen (``sd:soort``).
tests/test_overlap_index.py compares both paths.

Never stale: a marker keeps the input version (the predicates the two source queries
read) the index was made for; when the store's differs, :func:`answer` returns None
and the query runs live. A load that changes one of those predicates rebuilds it whole
(two queries for the country, grouped in Python).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from .lidmaatschap_index import _holds
from .materialise import _from_json, _to_json, library_or_bundled, reads_version
from .matrix_index import _key, _select, _table, insert, marked, rebuild
from .namespaces import GRAPH, SDID
from .sparql import bind
from .store import Store, Table

if TYPE_CHECKING:
    from .queries import NamedQuery, QueryLibrary


INDEX_GRAPH = GRAPH["afgeleid/overlap"]
#: The named queries answered from the index.
SERVES = ("overlap-gemeente", "overlap")
_SD = "https://w3id.org/sdgraph/def#"
_MARKER = SDID["afgeleid/overlap"]
_SOURCES = ("overlap/leden", "overlap/organisaties")
_GR = URIRef(_SD + "GemeenschappelijkeRegeling")

_LINKS = f"""PREFIX sd: <{_SD}>
SELECT ?links WHERE {{ GRAPH <{INDEX_GRAPH}> {{ ?e sd:lid ?lid ; sd:links ?links }} }}"""
_ORGANISATIONS = f"""PREFIX sd: <{_SD}>
SELECT ?organisatie ?leden ?soorten WHERE {{ GRAPH <{INDEX_GRAPH}> {{
  ?e sd:organisatie ?organisatie ; sd:leden ?leden ; sd:soorten ?soorten }} }}"""
#: The organisations of the indelingen ?soort (a regio-indeling, or the GR class).
_BY_SOORT = f"""PREFIX sd: <{_SD}>
SELECT ?soort ?organisatie ?leden ?soorten WHERE {{ GRAPH <{INDEX_GRAPH}> {{
  ?e sd:soort ?soort ; sd:organisatie ?organisatie ; sd:leden ?leden ; sd:soorten ?soorten }} }}"""
#: ``overlap`` takes ``?a sd:regioindeling|rdf:type ?indeling``: the index holds the
#: regios of a regio-indeling and the GRs, not resources typed with a regio-indeling's
#: IRI or giving the GR class as their regio-indeling; when there are any, it runs live.
_ODD = f"""PREFIX sd: <{_SD}>
ASK {{ {{ ?x a ?soort FILTER (?soort != sd:GemeenschappelijkeRegeling) }}
      UNION {{ ?x sd:regioindeling ?soort FILTER (?soort = sd:GemeenschappelijkeRegeling) }} }}"""


#: The form of the entries: a store whose index was written in another form (by another
#: version of sdgraph) has it rebuilt at its next load and runs the queries live until then.
FORMAT = 2


def _version(store: Store, library: QueryLibrary | None = None) -> str:
    """The input version the index must have been made for (of the predicates its
    source queries read), with its form."""
    return f"{reads_version(store, library_or_bundled(library), _SOURCES)}/{FORMAT}"


# --------------------------------------------------------------------------- at load time


def _entry(kind: str, iri: str) -> URIRef:
    digest = hashlib.sha256(f"{kind} {iri}".encode()).hexdigest()[:24]
    return SDID[f"afgeleid/overlap/{digest}"]


def refresh(store: Store, graphs: Iterable[str] | None = None,
            library: QueryLibrary | None = None) -> tuple[int, float]:
    """Make the index current (after a load of ``graphs``; any load that changed a
    predicate it reads rebuilds it whole). Returns the number of organisations written
    and the seconds it took. A failure is logged and leaves the marker stale (live
    queries)."""
    library = library_or_bundled(library)
    return rebuild(store, INDEX_GRAPH, _MARKER, "the overlap index",
                   lambda: _version(store, library), lambda: _compute(store, library))


def _compute(store: Store, library: QueryLibrary) -> int:
    """Replace the index graph by one entry per member and one per organisation."""
    leden = library.get("overlap/leden").run(store, {})
    soorten = library.get("overlap/organisaties").run(store, {})
    org, lid, t, u, gm = (leden.columns.index(c) for c in (
        "organisatie", "lid", "toetredingsdatum", "uittredingsdatum", "gemeente"))
    links: dict[str, set] = {}
    members: dict[str, set] = {}
    for row in leden.rows:
        links.setdefault(str(row[lid]), set()).add((row[org], row[t], row[u]))
        if row[gm] is not None and row[gm].toPython() is True:
            members.setdefault(str(row[org]), set()).add((row[lid], row[t], row[u]))
    kinds: dict[str, list] = {}
    s_org = soorten.columns.index("organisatie")
    for row in soorten.rows:
        kinds.setdefault(str(row[s_org]), []).append(row)
    columns = ["organisatie", "toetredingsdatum", "uittredingsdatum"]
    member_columns = ["lid", "toetredingsdatum", "uittredingsdatum"]
    body: list[str] = []
    for iri in sorted(links):
        rows = sorted(links[iri], key=lambda r: tuple(map(_key, r)))
        body.append(f"<{_entry('lid', iri)}> <{_SD}lid> <{iri}> ;"
                    f" <{_SD}links> {Literal(_to_json(Table(columns, rows))).n3()} .")
    s_soort = soorten.columns.index("soort")
    for iri in sorted(kinds):
        rows = sorted(members.get(iri, ()), key=lambda r: tuple(map(_key, r)))
        own = "".join(f" <{_SD}soort> {soort.n3()} ;"
                      for soort in sorted({r[s_soort] for r in kinds[iri]}))
        body.append(
            f"<{_entry('organisatie', iri)}> <{_SD}organisatie> <{iri}> ;{own}"
            f" <{_SD}leden> {Literal(_to_json(Table(member_columns, rows))).n3()} ;"
            f" <{_SD}soorten> {Literal(_to_json(Table(soorten.columns, kinds[iri]))).n3()} .")
    store.update(f"DROP SILENT GRAPH <{INDEX_GRAPH}>")
    insert(store, INDEX_GRAPH, body, 500)
    return len(kinds)


# --------------------------------------------------------------------------- answering


def current(store: Store, library: QueryLibrary | None = None) -> bool:
    """True when the index was made current for the data the store holds now."""
    return marked(store, INDEX_GRAPH, _MARKER) == _version(store, library)


def _jaccard(gedeeld: int, aantal: int, referentie: int) -> Literal:
    """``ROUND(10000 * ?gedeeld / (?aantal + ?aantalReferentie - ?gedeeld)) / 10000`` as
    xsd:decimal, written as Oxigraph writes it (``1``, ``0.619``)."""
    value = (Decimal(10000 * gedeeld) / Decimal(aantal + referentie - gedeeld)).quantize(
        Decimal(1), rounding=ROUND_HALF_UP) / Decimal(10000)
    return Literal(format(value.normalize(), "f"), datatype=XSD.decimal)


def _desc(term: Literal | None) -> tuple:
    """The key of ORDER BY DESC(?jaccard): unbound last (sorted with reverse=True)."""
    return (0,) if term is None else (1, Decimal(str(term)))


def answer(store: Store, query: NamedQuery, bindings: Mapping[str, object]) -> Table | None:
    """The result of ``overlap-gemeente`` or ``overlap`` from the index, or None when the
    index is not current or the bindings are not the plain ones it serves (then the query
    runs live)."""
    if query.name == "overlap":
        return _pairs(store, query, bindings)
    day, gemeente = bindings.get("peildatum"), bindings.get("gemeente")
    indeling, lang = bindings.get("indeling"), bindings.get("lang")
    if (query.name not in SERVES or not isinstance(day, Literal) or day.datatype != XSD.date
            or not isinstance(gemeente, URIRef) or not isinstance(indeling, URIRef)
            or not isinstance(lang, Literal) or not current(store)):
        return None
    columns = _select(query)
    found = store.select(bind(_LINKS, {"lid": gemeente})).rows
    own = _from_json(str(found[0][0])).rows if found else []
    # sub-select A's links of the gemeente on the day: organisation -> their dates
    valid: dict[URIRef, set] = {}
    for organisatie, t, u in own:
        if _holds(t, u, day):
            valid.setdefault(organisatie, set()).add((t, u))
    if not valid:
        return Table(list(columns), [])
    entries = store.select(bind(_ORGANISATIONS, {"organisatie": sorted(valid, key=str)})).rows
    members: dict[URIRef, set] = {}  # the gemeenten members of each one on the day
    kinds: dict[URIRef, list] = {}
    for organisatie, leden, soorten in entries:
        members[organisatie] = {g for g, t, u in _from_json(str(leden)).rows
                                if _holds(t, u, day)}
        kinds[organisatie] = _from_json(str(soorten)).dicts()

    def is_reference(organisatie: URIRef) -> bool:
        return any(k["soort"] == indeling and k["indeling"] is not None
                   and k["indeling"].toPython() is True for k in kinds.get(organisatie, ()))

    references = [o for o in valid if is_reference(o)]
    shared = set().union(*(members.get(o, set()) for o in references))
    # sub-select C: per reference regio (and name) its gemeenten; none: one unbound row
    per_reference = []
    for o in references:
        if members.get(o):
            names = {k["naam"] for k in kinds.get(o, ())} or {None}
            per_reference += [(o, naam, len(members[o])) for naam in names]
    per_reference = per_reference or [(None, None, None)]
    rows: list[dict] = []
    for organisatie, dates in valid.items():
        gemeenten = members.get(organisatie)
        if not gemeenten:
            continue
        aantal, gedeeld = len(gemeenten), len(gemeenten & shared)
        soorten: dict[URIRef, set] = {}
        names: set = set()
        for k in kinds.get(organisatie, ()):
            labels = soorten.setdefault(k["soort"], set())
            name = k["soortNaam"]
            if name is not None and (name.language or "") == str(lang):
                labels.add(name)
            names.add(k["naam"])
        for (t, u), (referentie, referentieNaam, n) in (
                (d, r) for d in dates for r in per_reference):
            jaccard = None if n is None else _jaccard(gedeeld, aantal, n)
            for soort, labels in soorten.items():
                for soortNaam in labels or {None}:
                    for naam in names or {None}:
                        rows.append({
                            "soort": soort, "soortNaam": soortNaam, "organisatie": organisatie,
                            "naam": naam, "toetredingsdatum": t, "uittredingsdatum": u,
                            "aantal": Literal(aantal), "gedeeld": Literal(gedeeld),
                            "aantalReferentie": None if n is None else Literal(n),
                            "jaccard": jaccard, "referentie": referentie,
                            "referentieNaam": referentieNaam})
    # ORDER BY DESC(?jaccard) ?soortNaam ?naam; ties broken by the other columns (one
    # order in every process), then DISTINCT
    rest = [c for c in columns if c not in ("jaccard", "soortNaam", "naam")]
    rows.sort(key=lambda r: tuple(_key(r[c]) for c in ("soortNaam", "naam", *rest)))
    rows.sort(key=lambda r: _desc(r["jaccard"]), reverse=True)
    return _table(list(columns), rows, ())  # DISTINCT, in this order


def _pairs(store: Store, query: NamedQuery, bindings: Mapping[str, object]) -> Table | None:
    """``overlap``: the pairs of an organisation of indeling A and one of indeling B that
    share gemeenten on the day, with |A|, |B|, |A∩B| and the Jaccard index."""
    day, lang = bindings.get("peildatum"), bindings.get("lang")
    first, second = bindings.get("indelingA"), bindings.get("indelingB")
    if (not isinstance(day, Literal) or day.datatype != XSD.date
            or not isinstance(first, URIRef) or not isinstance(second, URIRef)
            or not isinstance(lang, Literal) or not current(store)
            or store.query(bind(_ODD, {"soort": [first, second]})) is True):
        return None
    columns = _select(query)
    sides: dict[URIRef, dict[URIRef, set]] = {first: {}, second: {}}
    names: dict[URIRef, set] = {}
    labels: dict[URIRef, set] = {first: set(), second: set()}
    for soort, organisatie, leden, soorten in store.select(
            bind(_BY_SOORT, {"soort": [first, second]})).rows:
        gemeenten = {g for g, t, u in _from_json(str(leden)).rows if _holds(t, u, day)}
        if gemeenten:
            sides[soort][organisatie] = gemeenten
        kinds = _from_json(str(soorten)).dicts()
        names[organisatie] = {k["naam"] for k in kinds} or {None}
        for k in kinds:
            name = k["soortNaam"]
            if k["soort"] in labels and name is not None \
                    and (name.language or "") == str(lang):
                labels[k["soort"]].add(name)
    in_b: dict[URIRef, list[URIRef]] = {}  # gemeente -> the organisations of B it is in
    for b, gemeenten in sides[second].items():
        for g in gemeenten:
            in_b.setdefault(g, []).append(b)
    rows: list[dict] = []
    for a, gemeenten in sides[first].items():
        shared: dict[URIRef, int] = {}
        for g in gemeenten:
            for b in in_b.get(g, ()):
                shared[b] = shared.get(b, 0) + 1
        for b, gedeeld in shared.items():
            if a == b or (first == second and not str(a) < str(b)):
                continue
            aantal_a, aantal_b = len(gemeenten), len(sides[second][b])
            jaccard = _jaccard(gedeeld, aantal_a, aantal_b)
            for a_naam in names.get(a, {None}):
                for b_naam in names.get(b, {None}):
                    for a_label in labels[first] or {None}:
                        for b_label in labels[second] or {None}:
                            rows.append({
                                "a": a, "aNaam": a_naam, "b": b, "bNaam": b_naam,
                                "aantalA": Literal(aantal_a), "aantalB": Literal(aantal_b),
                                "gedeeld": Literal(gedeeld), "jaccard": jaccard,
                                "indelingANaam": a_label, "indelingBNaam": b_label})
    # ORDER BY DESC(?jaccard) DESC(?gedeeld) ?aNaam ?bNaam; ties by the other columns
    rest = [c for c in columns if c not in ("jaccard", "gedeeld", "aNaam", "bNaam")]
    rows.sort(key=lambda r: tuple(_key(r[c]) for c in ("aNaam", "bNaam", *rest)))
    rows.sort(key=lambda r: (_desc(r["jaccard"]), int(r["gedeeld"])), reverse=True)
    return _table(list(columns), rows, ())  # DISTINCT, in this order
