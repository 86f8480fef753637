"""The page of one IRI (sdgraph.pages.resource): the first rows of the named query
``resource``, in its order, named by a separate lookup; checked against the named query
itself (which names every row inside the query) on every IRI of the example with rows."""

from __future__ import annotations

import pytest
from rdflib import Literal

from sdgraph.pages.resource import best_label, resource
from sdgraph.queries import QueryLibrary
from sdgraph.runner import Runner
from sdgraph.store import Store

KEY = ("richting", "eigenschap", "waarde", "graaf")


def _reference(store: Store, iri: str) -> tuple[list[tuple], dict[tuple, dict[str, set]]]:
    """The named query's rows without the names (in its order, once each: a value with two
    names is two rows there) and, per row, the names it gave."""
    table = QueryLibrary().get("resource").run(store, {"uri": iri})
    order: list[tuple] = []
    names: dict[tuple, dict[str, set]] = {}
    for row in table.dicts():
        key = tuple(row[c] for c in KEY)
        if key not in names:
            order.append(key)
            names[key] = {"eigenschapNaam": set(), "waardeNaam": set()}
        for column in names[key]:
            if row[column] is not None:
                names[key][column].add(str(row[column]))
    return order, names


def test_the_page_is_the_named_query_first_rows_with_their_names(example_store: Store) -> None:
    subjects = [str(s) for (s,) in example_store.select(
        "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER isIRI(?s) } ORDER BY ?s LIMIT 150").rows]
    runner = Runner(example_store, lang="nl")
    named = compared = 0
    for iri in subjects:
        order, names = _reference(example_store, iri)
        page = resource(runner, iri, shown=6)
        assert page is not None and page.count == len(order), iri
        assert [tuple(r[c] for c in KEY) for r in page.rows] == order[:6], iri
        assert page.truncated == (len(order) > 6)
        for row in page.rows:
            given = names[tuple(row[c] for c in KEY)]
            for column in ("eigenschapNaam", "waardeNaam"):
                # the query names with rdfs:label in Dutch or without language; the page
                # prefers the same and adds skos:prefLabel, so a name the query has, it has
                if given[column]:
                    named += 1
                    assert row[column] in given[column], (iri, row, given)
        compared += 1
    assert compared == len(subjects) > 100 and named > 200


def test_nothing_known_is_none_and_a_gemeente_counts_all_its_triples(
        example_store: Store) -> None:
    """(The language order of the title: the best_label cases below.)"""
    assert resource(Runner(example_store), "https://example.org/nothing") is None
    gemeente = "https://identifier.overheid.nl/tooi/id/gemeente/gm0823"
    page = resource(Runner(example_store, lang="nl"), gemeente)
    assert str(page.label) == "Oirschot"
    (waarde,) = example_store.select(
        "SELECT (COUNT(*) AS ?n) WHERE { { GRAPH ?g { ?s ?p ?o } FILTER (?s = ?u) } UNION "
        "{ GRAPH ?g { ?s ?p ?o } FILTER (?o = ?u) } }".replace("?u", f"<{gemeente}>")).rows[0]
    assert page.count == int(waarde) and len(page.rows) == min(page.count, 250)


@pytest.mark.parametrize(("lang", "labels", "expected"), [
    ("en", ["zonder", "Engels@en", "Nederlands@nl"], "Engels"),
    ("de", ["zonder", "Engels@en", "Nederlands@nl"], "Nederlands"),
    ("de", ["Engels@en", "zonder"], "zonder"),
    ("nl", ["Engels@en"], "Engels"),
    ("nl", [], None),
])
def test_best_label_prefers_the_language_then_dutch_then_none_then_any(
        lang: str, labels: list[str], expected: str | None) -> None:
    terms = [Literal(t.split("@")[0], lang=t.split("@")[1] if "@" in t else None) for t in labels]
    found = best_label(terms, lang)
    assert (str(found) if found is not None else None) == expected
