"""The SPARQL workbench: /workbench page, its core (sdgraph.workbench) and parse errors.

Expected values come from the bundled Oirschot example (data/examples/oirschot),
the ontology and vocabularies, or from the named queries run directly on the
store, never from the page itself.
"""

from __future__ import annotations

import csv
import html
import io
import re
import socket
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import SOURCES, get_page
from rdflib import URIRef

from sdgraph import workbench
from sdgraph.build import init_store
from sdgraph.namespaces import PREFIXES
from sdgraph.queries import QueryLibrary
from sdgraph.sparql import ParseError, syntax_error, with_limit
from sdgraph.store import Store

ROOT = Path(__file__).resolve().parent.parent
GM = "https://identifier.overheid.nl/tooi/id/gemeente/"
SO = "https://identifier.overheid.nl/tooi/id/so/"
#: The members of Samenwerking Kempengemeenten (so0665) in data/examples/oirschot/register.
KEMPEN = {"gm0770": "Eersel", "gm0823": "Oirschot", "gm1667": "Reusel-De Mierden",
          "gm1724": "Bergeijk", "gm1728": "Bladel"}
KEMPEN_QUERY = """PREFIX org: <http://www.w3.org/ns/org#>
PREFIX so: <https://identifier.overheid.nl/tooi/id/so/>
SELECT DISTINCT ?lid WHERE { ?m org:member ?lid ; org:organization so:so0665 }
ORDER BY ?lid
"""
#: A mistake on line 3: 'FILTR' (column 20) where a triple pattern or FILTER should be.
BROKEN = """PREFIX sd: <https://w3id.org/sdgraph/def#>
SELECT ?g WHERE {
  ?g a sd:Gemeente FILTR (?g)
}
"""


def textarea(body: str) -> str:
    """The query text in the page's textarea (as the browser would read it)."""
    match = re.search(r'<textarea id="query"[^>]*>(.*?)</textarea>', body, re.S)
    assert match, "no query textarea"
    return html.unescape(match.group(1))


# --------------------------------------------------------------------------- the page


def test_page_without_query_is_a_plain_form_with_a_starter_example(client):
    page = get_page(client, "/workbench")
    body = page.html
    assert '<form class="wb-form" method="get" action="/workbench"' in body
    assert '<button type="submit">Uitvoeren</button>' in body  # works without JavaScript
    assert "<select id=\"voorbeeld\" name=\"voorbeeld\">" in body
    for name in QueryLibrary().names():  # the whole library as examples
        assert f'<option value="{name}"' in body
    text = textarea(body)
    assert text.startswith("# Voorbeeld uit de querybibliotheek: statistieken.")
    assert "tabel-werkbank" not in page.tables  # shown, not run
    assert ("/workbench", "Werkbank") in page.links  # in the main menu


def test_query_runs_and_iris_get_labels(client):
    page = get_page(client, "/workbench?" + _qs(query=KEMPEN_QUERY))
    rows = page.rows("tabel-werkbank")
    assert len(rows) == len(KEMPEN)
    for (code, naam), row in zip(sorted(KEMPEN.items()), rows, strict=True):
        cell = row[0]
        assert cell["text"] == f"{naam} gm:{code}"  # label, then the IRI in prefix form
        assert cell["links"] == [f"/gemeente/{code.upper()}"]
    assert "5 rijen" in page.text and "rijlimiet 1000" in page.text
    assert re.search(r"\d+ ms", page.text)


def test_example_from_the_library_runs_like_the_query_itself(client, example_store):
    """?voorbeeld=NAME loads the library query with its defaults bound and runs it."""
    response = client.get("/workbench?voorbeeld=deelnemers")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    text = textarea(body)
    assert "VALUES (?organisatie ?peildatum" in text
    assert "# Parameters met hun standaardwaarde in VALUES-blokken" in text
    expected = QueryLibrary().get("deelnemers").run(example_store).dicts()  # same defaults
    page = get_page(client, "/workbench?voorbeeld=deelnemers")
    rows = page.rows("tabel-werkbank")
    assert expected and len(rows) == len(expected)
    assert {row[1]["text"] for row in rows} == {str(r["naam"]) for r in expected}  # ?naam


@pytest.mark.parametrize("name", QueryLibrary().names())
def test_every_library_example_runs(client, name):
    response = client.get(f"/workbench?voorbeeld={name}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200, (name, body[body.find('role="alert"'):][:300])
    assert 'data-testid="werkbank-status"' in body


def test_unknown_example_is_404(client):
    assert client.get("/workbench?voorbeeld=bestaat-niet").status_code == 404


def test_parse_error_names_line_and_column(client):
    response = client.get("/workbench?" + _qs(query=BROKEN))
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'data-line="3" data-column="20"' in body
    assert "Syntaxfout op regel 3, kolom 20" in body
    assert "unexpected &#39;FILTR&#39;" in body
    assert textarea(body) == BROKEN  # the text stays in the editor to be fixed
    # the excerpt shows line 3 with a caret under column 20
    excerpt = html.unescape(re.search(r'<pre class="wb-excerpt">(.*?)</pre>', body, re.S)[1])
    excerpt = re.sub(r"<[^>]+>", "", excerpt)
    line, caret = excerpt.split("\n")
    assert line == "3   ?g a sd:Gemeente FILTR (?g)"
    assert caret.index("^") == line.index("FILTR")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (BROKEN, ParseError(3, 20, "unexpected 'FILTR'")),
        ("SELECT ?a WHERE {\n  ?a ?b ?c .. }", ParseError(2, 13, "unexpected '.'")),
        # a tab counts as one column
        ("SELECT ?a WHERE {\n\t?a ?b ?c .\n\tBIND (1 AS ?x) xyz\n}",
         ParseError(3, 17, "unexpected 'xyz'")),
        ("SELECT ?a WHERE {\n  ?a ?b ?c\n}\nLIMT 10", ParseError(4, 1, "unexpected 'LIMT'")),
        ("SELECT ?a WHERE {\n  ?a ?b ?c\n", ParseError(3, 1, "unexpected end of text")),
        # an undeclared prefix points at its first use
        ("PREFIX sd: <https://w3id.org/sdgraph/def#>\nSELECT ?a WHERE {\n  ?a a sdx:Gemeente }",
         ParseError(3, 8, "prefix sdx: is not declared (add PREFIX sdx: <...>)")),
    ],
)
def test_syntax_error_positions(text, expected):
    assert syntax_error(text) == expected


def test_valid_queries_have_no_syntax_error():
    assert syntax_error(KEMPEN_QUERY) is None
    assert syntax_error("ASK {}") is None
    assert syntax_error("PREFIX ex: <http://example.org/>\nDESCRIBE ex:a") is None
    for name in QueryLibrary().names():
        assert syntax_error(QueryLibrary().get(name).text) is None, name


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }",
        "PREFIX sd: <https://w3id.org/sdgraph/def#>\nDELETE WHERE { ?s a sd:Gemeente }",
        "DROP ALL",
    ],
)
def test_update_is_refused_and_changes_nothing(client, example_store, update):
    before = len(example_store)
    response = client.get("/workbench?" + _qs(query=update))
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "De werkbank leest alleen: SPARQL Update" in body
    assert len(example_store) == before


def test_service_is_refused_and_no_connection_is_made(client):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(1.0)
    port = listener.getsockname()[1]
    try:
        for query in (f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
                      f"ASK {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"):
            response = client.get("/workbench?" + _qs(query=query))
            assert response.status_code == 400
            assert "SERVICE is niet toegestaan" in response.get_data(as_text=True)
        with pytest.raises(TimeoutError):
            listener.accept()
    finally:
        listener.close()


def test_shareable_url_round_trip(client):
    first = get_page(client, "/workbench?" + _qs(query=KEMPEN_QUERY, limit="100"))
    permalink = dict((text, href) for href, text in first.links)["Link naar deze query"]
    args = parse_qs(urlsplit(permalink).query)
    assert args == {"query": [KEMPEN_QUERY], "limit": ["100"]}
    response = client.get(permalink)
    assert response.status_code == 200
    again = get_page(client, permalink)
    assert again.rows("tabel-werkbank") == first.rows("tabel-werkbank")
    assert textarea(again.html) == KEMPEN_QUERY
    assert '<option value="100" selected>' in again.html
    assert 'class="button secondary wb-copy"' in again.html  # the copy button (shown by JS)


def test_row_limit_is_applied_and_shown(client, example_store):
    total = len(example_store)  # the example has far more triples than 100
    assert total > 100
    page = get_page(client, "/workbench?" + _qs(query="SELECT * WHERE { ?s ?p ?o }", limit="100"))
    assert len(page.rows("tabel-werkbank")) == 100
    assert "meer dan 100 rijen; de eerste 100 getoond (rijlimiet)" in page.text
    # a query's own LIMIT is kept
    page = get_page(client, "/workbench?" + _qs(query="SELECT * WHERE { ?s ?p ?o } LIMIT 7"))
    assert len(page.rows("tabel-werkbank")) == 7 and "7 rijen" in page.text
    # an unknown limit falls back to the default
    page = get_page(client, "/workbench?" + _qs(query=KEMPEN_QUERY, limit="5"))
    assert "rijlimiet 1000" in page.text


def test_csv_and_json_downloads_have_all_rows(client):
    page = get_page(client, "/workbench?" + _qs(query=KEMPEN_QUERY))
    links = dict((text, href) for href, text in page.links)
    assert urlsplit(links["CSV"]).path == "/sparql"
    assert parse_qs(urlsplit(links["CSV"]).query) == {"query": [KEMPEN_QUERY], "format": ["csv"]}
    rows = list(csv.reader(io.StringIO(client.get(links["CSV"]).get_data(as_text=True))))
    assert rows == [["lid"]] + [[GM + code] for code in sorted(KEMPEN)]
    doc = client.get(links["JSON"]).get_json(force=True)
    assert [b["lid"]["value"] for b in doc["results"]["bindings"]] == [
        GM + code for code in sorted(KEMPEN)
    ]
    # all rows, not only those under the row limit
    page = get_page(client, "/workbench?" + _qs(query="SELECT * WHERE { ?s ?p ?o }", limit="100"))
    links = dict((text, href) for href, text in page.links)
    assert len(client.get(links["CSV"]).get_data(as_text=True).strip().splitlines()) > 101


def test_ask_shows_yes_or_no(client):
    ask = "PREFIX sd: <https://w3id.org/sdgraph/def#>\nASK {{ <{}> a sd:Gemeente }}"
    page = get_page(client, "/workbench?" + _qs(query=ask.format(GM + "gm0823")))
    assert "Antwoord: ja" in page.text
    page = get_page(client, "/workbench?" + _qs(query=ask.format(SO + "so0665")))
    assert "Antwoord: nee" in page.text


def test_construct_shows_triples_with_labels(client):
    query = ("PREFIX gm: <https://identifier.overheid.nl/tooi/id/gemeente/>\n"
             "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
             "CONSTRUCT { gm:gm0823 rdfs:label ?naam } WHERE { gm:gm0823 rdfs:label ?naam }")
    page = get_page(client, "/workbench?" + _qs(query=query))
    rows = page.rows("tabel-werkbank")
    assert [[c["text"] for c in row] for row in rows] == [
        ["Oirschot gm:gm0823", "rdfs:label", "Oirschot"]
    ]
    assert "1 triples" in page.text
    links = [text for _, text in page.links]
    assert "Turtle" in links and "JSON-LD" in links


def test_english_page(client):
    page = get_page(client, "/workbench?lang=en&" + _qs(query=BROKEN), status=400)
    assert "SPARQL workbench" in page.text
    assert "Syntax error on line 3, column 20" in page.text


def test_workbench_strings_are_in_the_english_catalogue():
    from babel.messages.extract import extract_from_file
    from test_i18n import catalogue

    from sdgraph import i18n

    found = {msg for method, path in (("jinja2", "web/templates/workbench.html"),
                                      ("python", "web/views/workbench.py"))
             for _, msg, _, _ in extract_from_file(method, str(ROOT / path))}
    english = {msg: i18n.gettext(msg, "en") for msg in found}
    assert len(found) > 25
    # translated (a few, such as "SPARQL", are the same in English)
    assert sum(english[msg] != msg for msg in found) > 25
    assert sorted(found - {m.id for m in catalogue()}) == []


def test_only_local_assets_and_no_inline_script_or_style(client):
    body = client.get("/workbench?" + _qs(query=KEMPEN_QUERY)).get_data(as_text=True)
    sources = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', body)
    assert sources and all(s.startswith("/static/") for s in sources)
    for src in sources:
        assert client.get(src).status_code == 200, src
    assert "/static/vendor/codemirror/codemirror.js" in sources
    assert "style=" not in body and "<style" not in body
    assert re.search(r"<script(?![^>]*\bsrc=)", body) is None  # no inline script
    assert re.search(r"\son[a-z]+=", body) is None  # no inline event handlers
    assert (ROOT / "web/static/vendor/codemirror/LICENSE").read_text().startswith("MIT License")


# --------------------------------------------------------------------------- terms


def test_terms_json_has_classes_properties_and_concepts_with_labels(client):
    doc = client.get("/workbench/termen.json").get_json()
    assert doc["prefixes"] == PREFIXES
    by_iri = {t["iri"]: t for t in doc["terms"]}
    sd = PREFIXES["sd"]
    assert by_iri[sd + "Gemeente"] == {"iri": sd + "Gemeente", "name": "sd:Gemeente",
                                       "kind": "klasse", "label": "Gemeente"}
    assert by_iri[sd + "GemeenschappelijkeRegeling"]["label"] == "Gemeenschappelijke regeling"
    assert by_iri[sd + "Lidmaatschap"]["kind"] == "klasse"
    assert by_iri[sd + "gemeentecode"] == {"iri": sd + "gemeentecode", "name": "sd:gemeentecode",
                                           "kind": "eigenschap", "label": "gemeentecode"}
    jeugdwet = by_iri["https://w3id.org/sdgraph/id/wet/BWBR0034925"]
    # a concept whose IRI has a '/' after the prefix is completed as a full IRI
    assert jeugdwet == {"iri": jeugdwet["iri"], "name": None, "kind": "begrip",
                        "label": "Jeugdwet"}
    english = client.get("/workbench/termen.json?lang=en").get_json()["terms"]
    english = {t["iri"]: t for t in english}
    assert english[sd + "Gemeente"]["label"] == "Municipality"


# --------------------------------------------------------------------------- core, both backends


def test_core_on_both_backends(store: Store):
    init_store(store, "oirschot", SOURCES)
    outcome = workbench.run(store, KEMPEN_QUERY, limit=3)
    assert outcome.form == "SELECT" and outcome.truncated and outcome.count == 3
    outcome = workbench.run(store, KEMPEN_QUERY)
    assert [str(r["lid"]) for r in outcome.rows] == [GM + c for c in sorted(KEMPEN)]
    assert outcome.labels == {GM + c: naam for c, naam in KEMPEN.items()}
    labels = workbench.labels(store, [URIRef(PREFIXES["sd"] + "Gemeente")], "en")
    assert labels == {PREFIXES["sd"] + "Gemeente": "Municipality"}
    names = {t["name"] for t in workbench.terms(store)}
    assert {"sd:Gemeente", "sd:GemeenschappelijkeRegeling", "sd:Taakuitvoering"} <= names
    with pytest.raises(workbench.QueryRefused) as refused:
        workbench.run(store, "CLEAR ALL")
    assert refused.value.reason == "update"


def test_with_limit():
    plain = "SELECT * WHERE { ?s ?p ?o }"
    assert with_limit(plain, 10) == plain + "\nLIMIT 10\n"
    assert with_limit("SELECT * WHERE { ?s ?p ?o } LIMIT 5", 10).endswith("LIMIT 5")
    # a LIMIT in a sub-select is not the query's
    nested = "SELECT * WHERE { { SELECT * WHERE { ?s ?p ?o } LIMIT 3 } }"
    assert with_limit(nested, 10).endswith("\nLIMIT 10\n")
    # before a trailing VALUES clause; after a final comment
    trailing = "SELECT ?s WHERE { ?s ?p ?o } VALUES ?s { <urn:x:a> }"
    assert with_limit(trailing, 10) == (
        "SELECT ?s WHERE { ?s ?p ?o } LIMIT 10\nVALUES ?s { <urn:x:a> }"
    )
    assert with_limit("SELECT * WHERE { ?s ?p ?o } # end", 10).endswith("# end\nLIMIT 10\n")
    # a prefixed name called limit is not the keyword; ASK has no rows to limit
    named = "PREFIX ex: <urn:x:> SELECT * WHERE { ?s ex:limit ?o }"
    assert with_limit(named, 10).endswith("LIMIT 10\n")
    assert with_limit("ASK {}", 10) == "ASK {}"
    for text in (nested, trailing, named, "DESCRIBE <urn:x:a>"):
        assert syntax_error(with_limit(text, 10)) is None


def _qs(**values: str) -> str:
    from urllib.parse import urlencode

    return urlencode(values)
