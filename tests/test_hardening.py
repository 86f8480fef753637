"""Hostile input files: XML entity expansion is refused before any parser runs,
with the file and line named, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdgraph.cli import main
from sdgraph.errors import DataError
from sdgraph.xmlguard import check_xml

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/x"><ex:p>&h;</ex:p></rdf:Description>
</rdf:RDF>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/x"><ex:p>&secret;</ex:p></rdf:Description>
</rdf:RDF>
"""
PLAIN = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/x"><ex:p>gewoon</ex:p></rdf:Description>
</rdf:RDF>
"""


@pytest.mark.parametrize(("text", "line"), [(LAUGHS, 3), (EXTERNAL, 2)])
def test_entity_declarations_are_refused_with_the_line(text: str, line: int) -> None:
    with pytest.raises(DataError, match=rf"bom\.rdf, line {line}: XML entity declarations"):
        check_xml(text.encode(), "bom.rdf")


def test_load_refuses_billion_laughs_and_writes_nothing(runner, tmp_path: Path) -> None:
    store = ["--store", str(tmp_path / "store")]
    assert runner.invoke(main, [*store, "init", "--example", "none"]).exit_code == 0
    before = runner.invoke(main, [*store, "stats"]).output
    bomb = tmp_path / "bom.rdf"
    bomb.write_text(LAUGHS, encoding="utf-8")
    result = runner.invoke(main, [*store, "load", str(bomb)])
    assert result.exit_code == 2  # could not run
    assert f"{bomb}, line 3: XML entity declarations" in result.output
    assert runner.invoke(main, [*store, "stats"]).output == before


def test_rdf_xml_without_entities_still_loads(runner, tmp_path: Path) -> None:
    store = ["--store", str(tmp_path / "store")]
    plain = tmp_path / "gewoon.rdf"
    plain.write_text(PLAIN, encoding="utf-8")
    result = runner.invoke(main, [*store, "load", str(plain), "--graph", "http://example.org/g"])
    assert result.exit_code == 0, result.output
    assert "1 triples" in result.output


@pytest.mark.parametrize(
    ("query", "refused"),
    [
        ("SELECT * FROM <http://127.0.0.1:9/x> WHERE { ?s ?p ?o }", True),
        ("select * from named <http://127.0.0.1:9/x> { graph ?g { ?s ?p ?o } }", True),
        ("PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:from ?o }", False),
        ('SELECT * WHERE { ?s ?p "from" } # FROM in a comment', False),
    ],
)
def test_workbench_refuses_dataset_clauses(client, query: str, refused: bool) -> None:
    from sdgraph import workbench

    if refused:
        with pytest.raises(workbench.QueryRefused) as info:
            workbench.check(query)
        assert info.value.reason == "from"
        page = client.get("/workbench", query_string={"query": query})
        assert page.status_code == 400
        assert "FROM en FROM NAMED worden niet ondersteund" in page.get_data(as_text=True)
    else:
        assert workbench.check(query) == "SELECT"


def test_request_bodies_over_the_limit_get_413(client) -> None:
    big = b"query=" + b"x" * (9 * 1024 * 1024)
    response = client.post("/sparql", data=big,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    direct = client.post("/sparql", data=b"#" * (9 * 1024 * 1024),
                         content_type="application/sparql-query")
    assert direct.status_code == 413
    ok = client.post("/sparql", data=b"ASK { ?s ?p ?o }", content_type="application/sparql-query",
                     headers={"Accept": "application/sparql-results+json"})
    assert ok.status_code == 200 and ok.get_json()["boolean"] is True
