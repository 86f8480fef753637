"""Per-gemeente "wie doet wat" index, materialised at load (graph ``afgeleid/wie-doet-wat``).

``wie-doet-wat``, ``wie-doet-wat-regio`` and ``klantreis`` read every
taakuitvoering of a gemeente in every period to find the ones valid on a
peildatum, so they grow with the history. This index keeps, per gemeente and
label language, the gemeente's taakuitvoeringen of *all* periods with every
field those queries show (labels, arrangement, via, validity, truth, rule and
evidence: the query ``matrix/historie``, one run for both languages), as JSON in
one resource. A query then reads one literal and applies, in Python, what depends
on its parameters: the peildatum (valid from/to), the precedence of an inventoried
cell over derived and assumed records (docs/baseline.md), the wet and
deelgebied filters and the order of the query. The results are the rows of
the SPARQL queries (tests/test_matrix_index.py compares both paths).

Kept current: a load or drop (``Store.materialise`` on) recomputes the entries
of the gemeenten with taakuitvoeringen in the graphs it wrote, before or after
(each entry names its source graphs); a graph without taakuitvoeringen that
holds a predicate the index reads (labels) recomputes all, and a reference
build all. Inventory IRIs carry their gemeente, so a label in one gemeente's
inventory names only that gemeente's records.

Never stale: a marker keeps the input version (the load records of the graphs
holding a predicate the index reads, as :mod:`sdgraph.materialise`) the index
was last made current for. When the store's version differs (a load with
materialisation off, as in the tests), :func:`answer` returns None and the
query runs live in SPARQL.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef

from . import materialise
from .materialise import (
    _from_json,
    _to_json,
    input_version,
    library_or_bundled,
    load_records,
    predicates,
)
from .namespaces import GRAPH, SDID
from .sparql import bind
from .store import Store, Table

if TYPE_CHECKING:
    from .queries import NamedQuery, QueryLibrary

log = logging.getLogger(__name__)

INDEX_GRAPH = GRAPH["afgeleid/wie-doet-wat"]
LANGS = ("nl", "en")
#: The named queries answered from the index.
SERVES = ("wie-doet-wat", "wie-doet-wat-regio", "klantreis")
_SD = "https://w3id.org/sdgraph/def#"
_MARKER = SDID["afgeleid/wie-doet-wat"]

_ENTRY = f"""PREFIX sd: <{_SD}>
SELECT ?resultaat WHERE {{ GRAPH <{INDEX_GRAPH}> {{
  ?e sd:gemeente ?gemeente ; sd:taal ?lang ; sd:resultaat ?resultaat }} }}"""
_MARKED = f"""PREFIX sd: <{_SD}>
SELECT ?v ?invoer WHERE {{ GRAPH <{INDEX_GRAPH}> {{ <{_MARKER}> sd:invoerversie ?v
  OPTIONAL {{ <{_MARKER}> sd:invoer ?invoer }} }} }}"""
_SOURCES = f"""PREFIX sd: <{_SD}>
SELECT DISTINCT ?gemeente WHERE {{ GRAPH <{INDEX_GRAPH}> {{
  ?e sd:gemeente ?gemeente ; sd:bron ?graph }} }}"""


def _reads(library: QueryLibrary) -> frozenset[str] | None:
    """The predicates the entries are computed from: ``matrix/historie``'s.
    ``matrix/graphs`` only says which graph holds which gemeente's records (its
    ``GRAPH ?graph`` reads ``rdf:type`` and ``sd:gemeente``, both in that set); counting
    it as "reads every predicate" made every load, even of unrelated data, rebuild the
    whole index."""
    return predicates(library.get("matrix/historie").text)


# --------------------------------------------------------------------------- at load time


def _entry(gemeente: str, lang: str) -> URIRef:
    digest = hashlib.sha256(gemeente.encode()).hexdigest()[:24]
    return SDID[f"afgeleid/wie-doet-wat/{digest}/{lang}"]


def refresh(store: Store, graphs: Iterable[str] | None = None,
            library: QueryLibrary | None = None) -> tuple[int, float]:
    """Make the index current after a load of ``graphs`` (None: all of it). Returns the
    number of gemeenten recomputed and the seconds it took. A failure is logged (the
    load itself succeeded) and leaves the marker stale, so queries run live."""
    started = time.perf_counter()
    library = library_or_bundled(library)
    reads = _reads(library)
    try:
        version = input_version(store, reads)
        found = store.select(_MARKED).rows
        if found and str(found[0][0]) == version:
            return 0, time.perf_counter() - started
        inputs = _inputs(store, reads)
        # the graphs whose records differ from those the index was last made current for:
        # not only this load's (a load with materialisation off may have come before it)
        before = None if not found or found[0][1] is None else set(str(found[0][1]).split("\n"))
        gemeenten = None if graphs is None or before is None else _affected(
            store, sorted({line.split(" ", 1)[0] for line in before ^ inputs}), library, reads)
        count = _compute(store, library, gemeenten)
        mark_current(store, INDEX_GRAPH, _MARKER, version, "\n".join(sorted(inputs)))
    except Exception:  # noqa: BLE001 - the load succeeded; the queries run live
        log.exception("materialising the wie-doet-wat index failed")
        return 0, time.perf_counter() - started
    return count, time.perf_counter() - started


def rebuild(store: Store, graph: URIRef, marker: URIRef, what: str,
            version: Callable[[], str], compute: Callable[[], int]) -> tuple[int, float]:
    """Make an index that is rebuilt whole current: nothing when its marker in ``graph``
    holds the input ``version()``, else ``compute()`` (the entries written) and the
    marker. Returns the entries written and the seconds it took. A failure is logged
    and leaves the marker stale (the queries run live)."""
    started = time.perf_counter()
    try:
        wanted = version()
        if marked(store, graph, marker) == wanted:
            return 0, time.perf_counter() - started
        count = compute()
        mark_current(store, graph, marker, wanted)
    except Exception:  # noqa: BLE001 - the load succeeded; the queries run live
        log.exception("materialising %s failed", what)
        return 0, time.perf_counter() - started
    return count, time.perf_counter() - started


def marked(store: Store, graph: URIRef, marker: URIRef) -> str | None:
    """The input version an index's marker in ``graph`` records (None: none)."""
    found = store.select(f"SELECT ?v WHERE {{ GRAPH <{graph}> {{ <{marker}> "
                         f"<{_SD}invoerversie> ?v }} }}").rows
    return str(found[0][0]) if found else None


def insert(store: Store, graph: URIRef, statements: list[str], per: int = 200) -> None:
    """Write Turtle ``statements`` into ``graph``, ``per`` statements per update."""
    for start in range(0, len(statements), per):
        store.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n"
                     + "\n".join(statements[start:start + per]) + "\n} }")


def mark_current(store: Store, graph: URIRef, marker: URIRef, version: str,
                 inputs: str | None = None) -> None:
    """Record in ``graph`` that an index was made current for input ``version`` (and, for
    an index refreshed per gemeente, the load records it was made from: ``inputs``)."""
    extra = f" ; <{_SD}invoer> {Literal(inputs).n3()}" if inputs is not None else ""
    store.update(f"DELETE WHERE {{ GRAPH <{graph}> {{ <{marker}> ?p ?o }} }} ;\n"
                 f"INSERT DATA {{ GRAPH <{graph}> {{ <{marker}> "
                 f"<{_SD}invoerversie> \"{version}\"{extra} }} }}")


def _inputs(store: Store, reads: frozenset[str] | None) -> set[str]:
    """The load records the input version is made of, one line each (graph first)."""
    return {f"{graph} {loaded} {checksums}"
            for graph, loaded, checksums, preds in load_records(store)
            if reads is None or preds is None or preds & reads}


def _affected(store: Store, graphs: list[str], library: QueryLibrary,
              reads: frozenset[str] | None) -> set[str] | None:
    """The gemeenten whose entries a load of ``graphs`` changes (None: all)."""
    preds = {g: p for g, _, _, p in load_records(store)}
    out: set[str] = set()
    for graph in graphs:
        before = {str(r[0]) for r in store.select(bind(_SOURCES, {"graph": URIRef(graph)})).rows}
        now = {str(r[1]) for r in library.get("matrix/graphs").run(
            store, {"graph": graph}).rows}
        if before or now:
            out |= before | now
        elif graph in preds and (reads is None or preds[graph] is None
                                 or preds[graph] & reads):
            return None  # labels or registers every entry may read
    return out


#: Gemeenten below which ``matrix/historie`` runs in one query, not in parallel parts.
PARALLEL_FROM = 40


def _historie(store: Store, historie: NamedQuery, gemeenten: list[str]) -> Table:
    """``matrix/historie``'s rows for ``gemeenten``: with many, in one part per core run
    at once (:func:`sdgraph.materialise.at_once`; the whole index at 1m: 25.6 s in one
    query, 12.1 s in two parts on two cores); each part's rows are its own gemeenten's,
    so the parts together are the whole answer."""
    count = materialise.workers() if len(gemeenten) >= PARALLEL_FROM else 1
    tables = materialise.at_once(
        lambda part: historie.run(store, {}, each=("gemeente", part)),
        [gemeenten[i::count] for i in range(count)])
    return Table(tables[0].columns, [row for t in tables for row in t.rows])


def _languages(columns: list[str]) -> tuple[list[str], dict[str, list[int]]]:
    """The columns of an entry (``matrix/historie``'s without a language suffix), and per
    language of LANGS the positions of its columns in ``columns``: ``taakNaam_en`` is
    ``taakNaam`` in the English entry."""
    names: list[str] = []
    for c in columns:
        stem, _, suffix = c.rpartition("_")
        name = stem if stem and suffix in LANGS else c
        if name not in names:
            names.append(name)
    picks = {lang: [columns.index(f"{n}_{lang}") if f"{n}_{lang}" in columns
                    else columns.index(n) for n in names] for lang in LANGS}
    return names, picks


def _compute(store: Store, library: QueryLibrary, gemeenten: set[str] | None) -> int:
    """Recompute the entries of ``gemeenten`` (None: every gemeente, the graph replaced)."""
    historie = library.get("matrix/historie")
    sources: dict[str, set[str]] = {}
    if gemeenten is None:
        for graph, gm in library.get("matrix/graphs").run(store, {}).rows:
            sources.setdefault(str(gm), set()).add(str(graph))
        store.update(f"DROP SILENT GRAPH <{INDEX_GRAPH}>")
        targets = None
    else:
        targets = sorted(gemeenten)
        for gm in targets:
            rows = store.select(bind(
                f"PREFIX sd: <{_SD}> SELECT DISTINCT ?graph WHERE {{ GRAPH ?graph {{ "
                f"?tu a sd:Taakuitvoering ; sd:gemeente ?gemeente }} }}",
                {"gemeente": URIRef(gm)})).rows
            sources[gm] = {str(r[0]) for r in rows}
    per: dict[tuple[str, str], list] = {}
    columns: list[str] = []
    wanted = sorted(sources) if targets is None else targets
    if wanted:  # none: no gemeente has (or had) an entry to change
        # one run for both languages (the labels of each in its own columns)
        table = _historie(store, historie, wanted)
        columns, picks = _languages(table.columns)
        i = columns.index("gemeente")
        for lang, positions in picks.items():
            seen: set[tuple] = set()  # DISTINCT over this language's columns
            for row in table.rows:
                mine = tuple(row[j] for j in positions)
                if mine not in seen:
                    seen.add(mine)
                    per.setdefault((str(mine[i]), lang), []).append(mine)
    done = set(sources) if targets is None else set(targets)
    g = f"<{INDEX_GRAPH}>"
    for gm in sorted(done):
        parts = []
        if targets is not None:
            parts.append(f"DELETE WHERE {{ GRAPH {g} {{ <{_entry(gm, 'nl')}> ?p ?o }} }}")
            parts.append(f"DELETE WHERE {{ GRAPH {g} {{ <{_entry(gm, 'en')}> ?p ?o }} }}")
        body = []
        for lang in LANGS:
            rows = per.get((gm, lang), [])
            bron = " ".join(f"<{s}>" for s in sorted(sources.get(gm, ())))
            body.append(
                f"<{_entry(gm, lang)}> <{_SD}gemeente> <{gm}> ; <{_SD}taal> \"{lang}\" ;"
                + (f" <{_SD}bron> {bron.replace(' ', ', ')} ;" if bron else "")
                + f" <{_SD}rijen> {len(rows)} ;"
                f" <{_SD}resultaat> {Literal(_to_json(Table(columns, rows))).n3()} .")
        parts.append(f"INSERT DATA {{ GRAPH {g} {{\n" + "\n".join(body) + "\n} }")
        store.update(" ;\n".join(parts))
    return len(done)


# --------------------------------------------------------------------------- answering


def current(store: Store, library: QueryLibrary | None = None) -> bool:
    """True when the index was made current for the data the store holds now."""
    version = input_version(store, _reads(library_or_bundled(library)))
    return marked(store, INDEX_GRAPH, _MARKER) == version


def _rows(store: Store, gemeente: URIRef, lang: str, peildatum: Literal) -> list[dict]:
    """A gemeente's entry: its rows valid on the peildatum (the entry holds every
    period). Validity is decided once per distinct (geldigVanaf, geldigTot) pair, and
    only valid rows become dicts: with a long history most rows are other periods."""
    found = store.select(bind(_ENTRY, {"gemeente": gemeente, "lang": Literal(lang)})).rows
    if not found:
        return []
    table = _from_json(str(found[0][0]))
    columns = table.columns
    vanaf, tot = columns.index("geldigVanaf"), columns.index("geldigTot")
    valid: dict[tuple, bool] = {}
    out = []
    for row in table.rows:
        span = (row[vanaf], row[tot])
        ok = valid.get(span)
        if ok is None:
            ok = valid[span] = _valid_span(*span, peildatum)
        if ok:
            out.append(dict(zip(columns, row, strict=True)))
    return out


def _value(term):
    value = term.toPython() if isinstance(term, Literal) else term
    return value


def _valid(row: dict, peildatum: Literal) -> bool:
    """True when a row's ``geldigVanaf``/``geldigTot`` hold the peildatum."""
    return _valid_span(row["geldigVanaf"], row["geldigTot"], peildatum)


def _valid_span(vanaf, tot, peildatum: Literal) -> bool:
    day = _value(peildatum)
    try:
        return ((vanaf is None or _value(vanaf) <= day) and (tot is None or day < _value(tot)))
    except TypeError:  # not both dates: compare as SPARQL would the lexical forms
        return ((vanaf is None or str(vanaf) <= str(peildatum))
                and (tot is None or str(peildatum) < str(tot)))


def _on(valid: list[dict]) -> list[dict]:
    """Of the rows valid on a peildatum: derived and assumed ones giving way to an
    inventoried one of the same cell, each with its ``status``."""
    inventoried = {(r["taak"], r["deelgebied"]) for r in valid if r["afgeleid"] is None}
    out = []
    for r in valid:
        if r["afgeleid"] is not None and (r["taak"], r["deelgebied"]) in inventoried:
            continue
        status = (_AANGENOMEN if r["aangenomen"] is not None
                  else _AFGELEID if r["afgeleid"] is not None else _BEVESTIGD)
        out.append({**r, "status": status})
    return out


_AANGENOMEN, _AFGELEID, _BEVESTIGD = map(Literal, ("aangenomen", "afgeleid", "bevestigd"))


def _key(term) -> tuple:
    """SPARQL's ORDER BY: unbound, then IRIs, then literals (numbers and dates by value)."""
    if term is None:
        return (0,)
    if isinstance(term, URIRef):
        return (1, str(term))
    value = term.toPython() if isinstance(term, Literal) else term
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (2, 0, value, "")
    return (2, 1, 0, str(term))


def _table(columns: list[str], rows: list[dict], order: tuple[str, ...]) -> Table:
    """The rows as a table of ``columns``, sorted by ``order`` (ORDER BY) and DISTINCT."""
    # an entry's terms are shared by its rows (each distinct term decoded once), so each
    # term's sort key is computed once; the term is kept beside it, so its id stays its own
    keys: dict[int, tuple] = {}

    def sort_key(row: dict) -> tuple:
        out = []
        for column in order:
            term = row.get(column)
            found = keys.get(id(term))
            if found is None:
                found = keys[id(term)] = (_key(term), term)
            out.append(found[0])
        return tuple(out)

    rows = sorted(rows, key=sort_key)
    seen, out = set(), []
    for r in rows:
        row = tuple(r.get(c) for c in columns)
        if row not in seen:
            seen.add(row)
            out.append(row)
    return Table(list(columns), out)


def answer(store: Store, query: NamedQuery, bindings: Mapping[str, object]) -> Table | None:
    """The result of ``query`` (one of :data:`SERVES`) from the index, or None when the
    index is not current (then the query runs live)."""
    lang = str(bindings.get("lang") or "nl")
    if lang not in LANGS or not current(store):
        return None
    peildatum = bindings["peildatum"]
    columns = _select(query)
    if query.name == "wie-doet-wat":
        wet = bindings.get("wet")
        rows = [r for r in _on(_rows(store, bindings["gemeente"], lang, peildatum))
                if wet is None or r["w"] == wet]
        return _table(columns, rows,
                      ("wetNaam", "taakNaam", "deelgebiedNaam", "uitvoerderNaam", "uitvoerder",
                       "arrangementtype", "taakuitvoering"))
    if query.name == "wie-doet-wat-regio":
        wet, deelgebied = bindings.get("wet"), bindings.get("deelgebied")
        leden = library_or_bundled(None).get("matrix/leden").run(
            store, {"organisatie": str(bindings["organisatie"]), "peildatum": str(peildatum),
                    "lang": lang})
        rows = []
        own: dict[str, list[dict]] = {}
        for gemeente, naam, code, geen in leden.rows:
            if str(gemeente) not in own:
                own[str(gemeente)] = _on(_rows(store, gemeente, lang, peildatum))
            for r in own[str(gemeente)]:
                if (wet is None or r["w"] == wet) and (deelgebied is None
                                                       or r["deelgebied"] == deelgebied):
                    rows.append({**r, "gemeenteNaam": naam, "code": code,
                                 "arrangementtype": r["arrangementtype"] if r["at"] is not None
                                 else geen})
        return _table(columns, rows,
                      ("gemeenteNaam", "wetNaam", "taakNaam", "deelgebiedNaam", "uitvoerderNaam"))
    if query.name == "klantreis":
        stappen = library_or_bundled(None).get("matrix/stappen").run(
            store, {"klantreis": str(bindings["klantreis"]), "lang": lang})
        own = _on(_rows(store, bindings["gemeente"], lang, peildatum))
        rows = []
        for volgorde, stap, stapNaam, deelgebied, deelgebiedNaam, wet in stappen.rows:
            step = {"volgorde": volgorde, "stap": stap, "stapNaam": stapNaam,
                    "deelgebied": deelgebied, "deelgebiedNaam": deelgebiedNaam}
            matched = [r for r in own if r["w"] == wet and r["deelgebied"] == deelgebied]
            rows += [{**r, **step} for r in matched] or [step]
        return _table(columns, rows, ("volgorde", "taakNaam", "uitvoerderNaam"))
    return None


def _select(query: NamedQuery) -> list[str]:
    """The projected variables of a query, in order (from its SELECT clause)."""
    import re

    head = query.text.split("WHERE", 1)[0]
    head = head[head.index("SELECT"):]
    return re.findall(r"\?(\w+)", head)
