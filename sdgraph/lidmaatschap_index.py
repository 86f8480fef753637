"""Per-gemeente lidmaatschappen index, materialised at load (graph ``afgeleid/lidmaatschappen``).

``lidmaatschappen`` finds, per membership valid on the peildatum, the version of
the regeling valid that day among all its versions, so it grows with the history
(on Oxigraph the ``BIND (IRI(...) AS ?versie)`` joins with every
``sd:geldigVanaf`` of the graph). This index is a sibling of
:mod:`sdgraph.matrix_index` on the same primitives: per gemeente, one resource
holds as JSON its memberships of *all* periods (``lidmaatschap/leden``) and every
version of those regelingen with validity, ROO id, citeertitel and the labels of
the samenwerkingsvorm in every language (``lidmaatschap/versies``). A query reads
that entry and applies in Python what depends on its parameters, exactly as the
SPARQL query does (docs/lidmaatschappen.md): the membership holds from
toetreding up to uittreding; the version is looked up beside it (valid on the
day; of overlapping ones the greatest ``STR(geldigVanaf) + " " + STR(versie)``,
the query's ``MAX``) and never filters it out; ``registratie`` says why there is
no version; DISTINCT and ORDER BY as the query. tests/test_lidmaatschap_index.py
compares both paths.

Building it is two queries for all gemeenten, grouped in Python (about 4 s CPU at
1M quads, 457 gemeenten), so a load that changes a predicate it reads rebuilds it all.
Never stale: as :mod:`sdgraph.matrix_index`, a marker keeps the input version
(:func:`sdgraph.materialise.input_version` of the predicates read) the index was
made for; when the store's differs, :func:`answer` returns None and the query
runs live in SPARQL.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from .materialise import _from_json, _to_json, index_triples, library_or_bundled, reads_version
from .matrix_index import _key, _select, _table, insert, marked, rebuild
from .namespaces import GRAPH, SDID
from .store import Store, Table

if TYPE_CHECKING:
    from .queries import NamedQuery, QueryLibrary


INDEX_GRAPH = GRAPH["afgeleid/lidmaatschappen"]
#: The named queries answered from the index.
SERVES = ("lidmaatschappen",)
_SD = "https://w3id.org/sdgraph/def#"
_MARKER = SDID["afgeleid/lidmaatschappen"]
_SOURCES = ("lidmaatschap/leden", "lidmaatschap/versies")

_P_VERSION, _P_LEDEN, _P_VERSIES = (URIRef(_SD + p) for p in ("invoerversie", "leden",
                                                                 "versies"))

_BEFORE = {"en": "before the first record in ROO", "nl": "vóór de eerste registratie in ROO"}
_NONE = {"en": "no version valid in ROO on this date",
         "nl": "geen geldige versie in ROO op deze datum"}


# --------------------------------------------------------------------------- at load time


def _entry(gemeente: str) -> URIRef:
    digest = hashlib.sha256(gemeente.encode()).hexdigest()[:24]
    return SDID[f"afgeleid/lidmaatschappen/{digest}"]


def refresh(store: Store, graphs: Iterable[str] | None = None,
            library: QueryLibrary | None = None) -> tuple[int, float]:
    """Make the index current (after a load of ``graphs``; any load that changed a
    predicate it reads rebuilds it whole). Returns the number of gemeenten written and
    the seconds it took. A failure is logged and leaves the marker stale (live queries)."""
    library = library_or_bundled(library)
    return rebuild(store, INDEX_GRAPH, _MARKER, "the lidmaatschappen index",
                   lambda: reads_version(store, library, _SOURCES),
                   lambda: _compute(store, library))


def _compute(store: Store, library: QueryLibrary) -> int:
    """Replace the index graph by one entry per gemeente with memberships."""
    leden = library.get("lidmaatschap/leden").run(store, {})
    versies = library.get("lidmaatschap/versies").run(store, {})
    i_gm, i_gr = leden.columns.index("gemeente"), leden.columns.index("gr")
    per: dict[str, list] = {}
    for row in leden.rows:
        per.setdefault(str(row[i_gm]), []).append(row)
    j_gr = versies.columns.index("gr")
    by_gr: dict[str, list] = {}
    for row in versies.rows:
        by_gr.setdefault(str(row[j_gr]), []).append(row)
    store.update(f"DROP SILENT GRAPH <{INDEX_GRAPH}>")
    body: list[str] = []
    for gm in sorted(per):
        rows = per[gm]
        grs = sorted({str(r[i_gr]) for r in rows})
        own = [v for gr in grs for v in by_gr.get(gr, [])]
        body.append(
            f"<{_entry(gm)}> <{_SD}gemeente> <{gm}> ; <{_SD}rijen> {len(rows)} ;"
            f" <{_SD}leden> {Literal(_to_json(Table(leden.columns, rows))).n3()} ;"
            f" <{_SD}versies> {Literal(_to_json(Table(versies.columns, own))).n3()} .")
    insert(store, INDEX_GRAPH, body, 200)
    return len(per)


# --------------------------------------------------------------------------- answering


def current(store: Store, library: QueryLibrary | None = None) -> bool:
    """True when the index was made current for the data the store holds now."""
    version = reads_version(store, library_or_bundled(library), _SOURCES)
    return marked(store, INDEX_GRAPH, _MARKER) == version


_ORDERED = (XSD.date, XSD.dateTime)


def _less(a, b, equal: bool = False) -> bool | None:
    """SPARQL's ``a < b`` (``<=`` when ``equal``) on dates; None when it is an error
    (terms of other or different types, as Oxigraph: the FILTER fails)."""
    if not (isinstance(a, Literal) and isinstance(b, Literal)) or a.datatype != b.datatype \
            or a.datatype not in _ORDERED:
        return None
    x, y = a.toPython(), b.toPython()
    if isinstance(x, Literal) or isinstance(y, Literal):  # not a valid date
        return None
    try:
        return x <= y if equal else x < y
    except TypeError:  # dateTimes with and without a time zone
        return None


def _holds(vanaf, tot, day: Literal) -> bool:
    """``(!BOUND(vanaf) || vanaf <= day) && (!BOUND(tot) || day < tot)`` (an error: false)."""
    return ((vanaf is None or bool(_less(vanaf, day, equal=True)))
            and (tot is None or bool(_less(day, tot))))


def _entry_tables(store: Store, gemeente: URIRef) -> tuple[bool, tuple[Table, Table] | None]:
    """Whether the index is current, and the gemeente's two tables (None: no entry, the
    gemeente has no memberships)."""
    entry = _entry(str(gemeente))
    # marker and entry in one request: over HTTP a round trip less
    found = index_triples(store, INDEX_GRAPH, [_MARKER, entry])
    version = found.get((str(_MARKER), _P_VERSION))
    if version is None or str(version) != reads_version(store, library_or_bundled(None), _SOURCES):
        return False, None
    if (str(entry), _P_LEDEN) not in found:
        return True, None
    return True, (_from_json(str(found[(str(entry), _P_LEDEN)])),
                  _from_json(str(found[(str(entry), _P_VERSIES)])))


def answer(store: Store, query: NamedQuery, bindings: Mapping[str, object]) -> Table | None:
    """The result of ``lidmaatschappen`` from the index, or None when the index is not
    current or the bindings are not the plain ones it serves (then the query runs live)."""
    lang_term = bindings.get("lang")
    lang = "nl" if lang_term is None else str(lang_term)
    day = bindings.get("peildatum")
    gemeente = bindings.get("gemeente")
    if (query.name not in SERVES or lang not in ("nl", "en") or not isinstance(day, Literal)
            or day.datatype != XSD.date or not isinstance(gemeente, URIRef)):
        return None
    is_current, tables = _entry_tables(store, gemeente)
    if not is_current:
        return None
    columns = _select(query)
    if tables is None:
        return Table(list(columns), [])
    leden, versies = tables
    lid = [dict(zip(leden.columns, r, strict=True)) for r in leden.rows]
    ver = [dict(zip(versies.columns, r, strict=True)) for r in versies.rows]
    # the version valid on the day per regeling: MAX(CONCAT(STR(?vanaf), " ", STR(?v)))
    keuze: dict[str, str] = {}
    for v in ver:
        if _less(v["geldigVanaf"], day, equal=True) and (
                v["geldigTot"] is None or _less(day, v["geldigTot"])):
            k = f"{v['geldigVanaf']} {v['versie']}"
            gr = str(v["gr"])
            if gr not in keuze or k > keuze[gr]:
                keuze[gr] = k
    details: dict[str, dict[str, set]] = {}
    for v in ver:
        d = details.setdefault(str(v["versie"]), {
            "geldigVanaf": set(), "geldigTot": set(), "roo_id": set(), "citeertitel": set(),
            "samenwerkingsvorm": set()})
        for name in ("geldigVanaf", "geldigTot", "roo_id", "citeertitel"):
            d[name].add(v[name])
        vorm = v["samenwerkingsvorm"]
        if vorm is not None and vorm.language == lang:
            d["samenwerkingsvorm"].add(vorm)

    def found(gr: str) -> list[dict]:
        """The rows of the OPTIONAL sub-select for ``gr`` (one all-unbound: none)."""
        if gr not in keuze:
            return [{}]
        versie = URIRef(keuze[gr].split(" ", 1)[1])
        d = details.get(str(versie))
        if d is None:
            return [{}]

        def opt(values: set) -> list:  # an OPTIONAL: its values, or unbound
            values = {x for x in values if x is not None}
            return sorted(values, key=_key) or [None]
        out = []
        for gv, gt, roo, cit, vorm in itertools.product(
                sorted(d["geldigVanaf"] - {None}, key=_key), opt(d["geldigTot"]),
                opt(d["roo_id"]), opt(d["citeertitel"]), opt(d["samenwerkingsvorm"])):
            out.append({"versie": versie, "geldigVanaf": gv, "geldigTot": gt, "roo_id": roo,
                        "citeertitel": cit, "samenwerkingsvorm": vorm})
        return out

    rows: list[dict] = []
    for r in lid:
        if not _holds(r["toetredingsdatum"], r["uittredingsdatum"], day):
            continue
        for v in found(str(r["gr"])):
            if v:
                registratie = None
            elif r["eerste"] is None:
                registratie = Literal(_NONE[lang])
            else:
                before = _less(day, r["eerste"])
                registratie = (None if before is None
                               else Literal(_BEFORE[lang] if before else _NONE[lang]))
            rows.append({**r, **v, "registratie": registratie})
    order = ("naam", "citeertitel", "roo_id")
    rest = tuple(c for c in columns if c not in order)
    # ties of the query's ORDER BY broken by the other columns: one order in every process
    return _table(list(columns), rows, (*order, *rest))
