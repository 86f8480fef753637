"""The rows of the ``netwerk`` query from the per-gemeente "wie doet wat" index.

``netwerk`` (queries/netwerk.rq) reads every taakuitvoering of a gemeente in every
period, so it grows with the history, and then looks up labels and kinds of every line's
organisations in one outer group (most of its time at 1m). When the wie-doet-wat index
(:mod:`sdgraph.matrix_index`) is current, its entry of the gemeente already holds every
taakuitvoering of all periods with the fields a network line shows (uitvoerder, wet, via,
validity, truth, rule, evidence, labels). This module builds the query's rows from it:

- taakuitvoeringen: the index entry, the peildatum and the precedence of an inventoried
  cell applied in Python (``matrix_index``'s own functions, so both answer alike);
- lidmaatschappen (``netwerk/lidmaatschappen``) and overeenkomsten (``netwerk/opdrachten``
  for the contracts the gemeente commissions with their dates, those valid on the
  peildatum and the ``via`` of its valid taakuitvoeringen from the index, then
  ``netwerk/overeenkomsten``): small queries over the members' IRIs;
- the outer group's fields (labels, codes, kind, regio-indeling, ``sociaal``):
  ``netwerk/knopen`` for the IRIs of all lines at once;

then DISTINCT and the query's ORDER BY in Python. :func:`lines` does this for several
gemeenten with one query of each kind (the regional network). Nothing is materialised
here: validity is the index's (its input version); when it is not current, or the
language is not indexed, :func:`answer` and :func:`lines` return None and the SPARQL
query runs live. tests/test_network_lines.py compares both paths.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import product
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from . import matrix_index
from .materialise import library_or_bundled
from .store import Store, Table

if TYPE_CHECKING:
    from .queries import NamedQuery, QueryLibrary

_SD = "https://w3id.org/sdgraph/def#"
_KINDS = ((URIRef(_SD + "Gemeente"), "gemeente"),
          (URIRef(_SD + "GemeenschappelijkeRegeling"), "gr"),
          (URIRef(_SD + "Regio"), "regio"), (URIRef(_SD + "Aanbieder"), "aanbieder"))
#: The columns of ``netwerk`` (its SELECT clause), and its ORDER BY.
COLUMNS = ("soort", "arrangement", "arrangementNaam", "bron", "bronNaam", "bronSoort",
           "bronCode", "doel", "doelNaam", "doelSoort", "doelCode", "doelGroep", "wetIri",
           "wetNaam", "deelgebiedIri", "deelgebiedNaam", "arrangementtype",
           "arrangementtypeNaam", "taak", "taakNaam", "via", "viaNaam", "geldigVanaf",
           "geldigTot", "illustratief", "sociaal", "status", "regel", "bewijs")
ORDER = ("soort", "wetNaam", "doelNaam", "taakNaam", "deelgebiedNaam", "bronNaam")

Line = dict[str, Identifier | None]
Fields = dict[str, dict[str, set[Identifier]]]
_LITERALS = {name: Literal(name) for name in (
    "gemeente", "gr", "regio", "aanbieder", "organisatie", "taakuitvoering",
    "lidmaatschap", "overeenkomst")}
_TRUE, _FALSE = Literal(True), Literal(False)


#: IRIs per VALUES block of a query run for a list of IRIs (``each``): on the 10M bench
#: store ``netwerk/overeenkomsten`` took 0.09 s for 500 arrangements, 0.19 s for 1,000,
#: 23.4 s for 2,000 and 46 s for 3,876 in one block (docs/performance.md).
EACH_BATCH = 500


def _each(query: NamedQuery, store: Store, values: Mapping[str, str], name: str,
          items: Sequence[str]) -> Table:
    """``query`` run for each of ``items`` bound to ``name``, in batches of EACH_BATCH;
    the rows of all batches (the queries given here project ``name``, so no row of one
    batch can be a row of another)."""
    tables = [query.run(store, values, each=(name, list(items[i:i + EACH_BATCH])))
              for i in range(0, len(items), EACH_BATCH)]
    if not tables:
        tables = [query.run(store, values, each=(name, []))]
    return Table(tables[0].columns, [row for t in tables for row in t.rows])


def _records(table: Table) -> list[Line]:
    return [dict(zip(table.columns, row, strict=True)) for row in table.rows]


def _taken(store: Store, gemeente: URIRef, lang: str, peildatum: Literal,
           wet: URIRef | None, deelgebied: URIRef | None) -> tuple[list[Line], set[URIRef]]:
    """The gemeente's taakuitvoering lines on the peildatum from the index, and the ``via``
    of all its valid taakuitvoeringen (those giving way to an inventoried cell included:
    the query's contracts follow them too)."""
    rows = matrix_index._rows(store, gemeente, lang, peildatum)
    vias = {r["via"] for r in rows if r["via"] is not None}
    out = []
    for r in matrix_index._on(rows):
        if (wet is not None and r["w"] != wet) or (deelgebied is not None
                                                  and r["deelgebied"] != deelgebied):
            continue
        out.append({
            "soort": _LITERALS["taakuitvoering"], "arrangement": r["taakuitvoering"],
            "bron": gemeente, "doel": r["uitvoerder"], "wetIri": r["w"],
            "wetNaam": r["wetNaam"], "deelgebiedIri": r["deelgebied"],
            "deelgebiedNaam": r["deelgebiedNaam"], "arrangementtype": r["at"],
            "arrangementtypeNaam": r["arrangementtype"], "taak": r["taak"],
            "taakNaam": r["taakNaam"], "via": r["via"], "viaNaam": r["viaNaam"],
            "geldigVanaf": r["geldigVanaf"], "geldigTot": r["geldigTot"],
            "illustratief": r["illustratief"], "status": r["status"], "regel": r["regel"],
            "bewijs": r["bewijs"]})
    return out, vias


def _fields(store: Store, library: QueryLibrary, organisations: Iterable[Identifier],
            arrangements: Iterable[Identifier]) -> tuple[Fields, Fields]:
    """Per IRI its values of the outer group's fields: of the organisations all
    (``netwerk/knopen``), of the arrangements their name (``netwerk/namen``)."""
    out: dict[str, dict[str, set[Identifier]]] = {}
    wanted = sorted({str(i) for i in organisations if isinstance(i, URIRef)})
    table = _each(library.get("netwerk/knopen"), store, {}, "iri", wanted)
    for iri, veld, waarde in table.rows:
        out.setdefault(str(iri), {}).setdefault(str(veld), set()).add(waarde)
    names: dict[str, dict[str, set[Identifier]]] = {}
    wanted = sorted({str(i) for i in arrangements if isinstance(i, URIRef)})
    for iri, waarde in _each(library.get("netwerk/namen"), store, {}, "iri", wanted).rows:
        names.setdefault(str(iri), {}).setdefault("naam", set()).add(waarde)
    return out, names


def _kind(fields: Mapping[str, set[Identifier]]) -> Literal:
    classes = fields.get("klasse", set())
    return _LITERALS[next((name for cls, name in _KINDS if cls in classes), "organisatie")]


def _lang(term: Identifier) -> str | None:
    """SPARQL's lang(): the language tag of a literal ('' without one), None for an IRI."""
    return (term.language or "") if isinstance(term, Literal) else None


def _values(fields: Mapping[str, set[Identifier]], name: str) -> list[Identifier | None]:
    return sorted(fields.get(name, ()), key=str) or [None]


def _complete(lines: list[Line], fields: Mapping[str, Mapping[str, set[Identifier]]],
              names: Mapping[str, Mapping[str, set[Identifier]]], lang: str) -> list[Line]:
    """The outer group of ``netwerk``: one row per combination of the lines' labels,
    codes and regio-indeling names, with the kinds and ``sociaal``."""
    none: dict[str, set[Identifier]] = {}
    out = []
    for line in lines:
        bron = fields.get(str(line["bron"]), none)
        doel = fields.get(str(line["doel"]), none)
        arr = names.get(str(line["arrangement"]), none)
        # COALESCE(?groepLang, ?groepNl) over every pair of the two
        labels = doel.get("groep", ())
        taal = sorted((g for g in labels if _lang(g) == lang), key=str) or [None]
        nl = sorted((g for g in labels if _lang(g) in ("nl", "")), key=str) or [None]
        groepen = list({t if t is not None else n for t, n in product(taal, nl)})
        algemeen = (str(line["soort"]) == "lidmaatschap" and bool(doel.get("indeling"))
                    and not doel.get("vocabulaire") and not doel.get("indelingWet"))
        base = {**line, "bronSoort": _kind(bron), "doelSoort": _kind(doel),
                "sociaal": _FALSE if algemeen else _TRUE}
        for bn, dn, bc, dc, dg, an in product(
                _values(bron, "naam"), _values(doel, "naam"), _values(bron, "code"),
                _values(doel, "code"), groepen, _values(arr, "naam")):
            out.append({**base, "bronNaam": bn, "doelNaam": dn, "bronCode": bc,
                        "doelCode": dc, "doelGroep": dg, "arrangementNaam": an})
    return out


def lines(store: Store, gemeenten: Sequence[URIRef], peildatum: Literal, lang: str = "nl",
          wet: URIRef | None = None, deelgebied: URIRef | None = None,
          library: QueryLibrary | None = None) -> dict[URIRef, Table] | None:
    """The ``netwerk`` rows of each of ``gemeenten`` on ``peildatum`` (a date literal), or
    None when the wie-doet-wat index is not current for this store or ``lang``."""
    if lang not in matrix_index.LANGS or not matrix_index.current(store, library):
        return None
    library = library_or_bundled(library)
    per: dict[URIRef, list[Line]] = {}
    vias: dict[URIRef, set[URIRef]] = {}
    for gm in gemeenten:
        per[gm], vias[gm] = _taken(store, gm, lang, peildatum, wet, deelgebied)
    codes = [str(gm) for gm in gemeenten]
    day = str(peildatum)
    if deelgebied is None:  # memberships and contracts have no deelgebied
        leden = library.get("netwerk/lidmaatschappen").run(
            store, {"peildatum": day, "lang": lang}, each=("gemeente", codes))
        for r in _records(leden):
            if (wet is not None and r["wetIri"] != wet) or not matrix_index._valid(r, peildatum):
                continue
            gm = r.pop("gemeente")
            per[gm].append({**r, "soort": _LITERALS["lidmaatschap"], "bron": gm})
        eigen = library.get("netwerk/opdrachten").run(store, {}, each=("gemeente", codes))
        candidates: dict[str, set[URIRef]] = {}
        for gm, arrangement, vanaf, tot in eigen.rows:
            # with a long history most contracts are of other periods: only the valid
            # ones are read in full (their rows are filtered again below, as the vias')
            if matrix_index._valid_span(vanaf, tot, peildatum):
                candidates.setdefault(str(arrangement), set()).add(gm)
        for gm, found in vias.items():
            for via in found:
                candidates.setdefault(str(via), set()).add(gm)
        contracts = _each(library.get("netwerk/overeenkomsten"), store, {"lang": lang},
                          "arrangement", sorted(candidates))
        for r in _records(contracts):
            if (wet is not None and r["wetIri"] != wet) or not matrix_index._valid(r, peildatum):
                continue
            for gm in candidates[str(r["arrangement"])]:
                per[gm].append({**r, "soort": _LITERALS["overeenkomst"]})
    everything = [line for rows in per.values() for line in rows]
    fields, names = _fields(store, library, {line[k] for line in everything
                                             for k in ("bron", "doel")},
                            {line["arrangement"] for line in everything})
    return {gm: matrix_index._table(list(COLUMNS), _complete(rows, fields, names, lang), ORDER)
            for gm, rows in per.items()}


#: The named queries answered from the wie-doet-wat index (NamedQuery.run).
SERVES = ("netwerk",)


def answer(store: Store, query: NamedQuery, bindings: Mapping[str, Any]) -> Table | None:
    """The result of ``netwerk`` for ``bindings`` (its typed terms) from the index, or None
    (then the query runs live)."""
    found = lines(store, [bindings["gemeente"]], bindings["peildatum"],
                  str(bindings.get("lang") or "nl"), bindings.get("wet"),
                  bindings.get("deelgebied"))
    return None if found is None else found[bindings["gemeente"]]
