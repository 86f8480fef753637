"""Whole-graph (national) validation: the Core shapes by shacl-rust and every SHACL-SPARQL
constraint as one query over an Oxigraph store (sdgraph/validation/whole.py) must give
exactly pySHACL's results: the same focus nodes, paths, values, shapes, constraints,
severities and messages.

The data are the seeded cases of tests/data/validation/gevallen/ (an inventory with 34
injected errors of every rule family, and its clean copy) with their register store, as
`sdgraph validate --reference` builds the data graph, given to both engines whole, as
N-Triples: nothing is left out of the comparison by the inventory's scope."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest
from pyshacl import validate as pyshacl_validate
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH
from test_validation_cases import CASES, SEVERITIES, _row, _store, _term

from sdgraph.store import Source
from sdgraph.validation import read, shapes_graph, validate, whole

SEEDED = ["vught-kapot", "vught-schoon"]


def _results(report: Graph) -> set[tuple]:
    """Every result as (focus, path, value, shape, constraint, severity, messages); the
    messages as text (pySHACL drops a SPARQL message's language)."""
    out = set()
    for node in report.subjects(RDF.type, SH.ValidationResult):
        out.add((*(report.value(node, p) for p in (
            SH.focusNode, SH.resultPath, SH.value, SH.sourceShape, SH.sourceConstraint,
            SH.resultSeverity)), frozenset(str(m) for m in report.objects(node,
                                                                          SH.resultMessage))))
    return out


def _case(name: str):
    case = CASES / name
    spec = tomllib.loads((case / "verwacht.toml").read_text(encoding="utf-8"))
    store = _store((case / spec["opslag"]).resolve())
    files = [Source.file(p) for p in sorted(case.iterdir()) if p.suffix == ".ttl"]
    return spec, store, read(files, store=store)


@pytest.mark.parametrize("name", SEEDED)
def test_whole_graph_gives_pyshacl_results(name: str, tmp_path: Path) -> None:
    spec, store, inventory = _case(name)
    day = date.fromisoformat(spec["peildatum"])
    report = validate(inventory, peildatum=day, store=store, reference=True, engine="split")
    data = tmp_path / "data.nt"
    report.data.serialize(data, format="nt", encoding="utf-8")
    found = _results(whole.validate_files([data], shapes_graph()))
    graph = Graph().parse(data, format="nt")
    _, reference, _ = pyshacl_validate(graph, shacl_graph=shapes_graph(), inference="none",
                                       allow_warnings=True, allow_infos=True)
    expected = _results(reference)
    assert found == expected, (f"only whole: {sorted(found - expected, key=str)}\n"
                               f"only pySHACL: {sorted(expected - found, key=str)}")
    # not vacuous: the seeded case has results of Core and of SHACL-SPARQL rules
    if name == "vught-kapot":
        rules = {str(constraint).rsplit("#", 1)[-1] for *_, constraint, _, _ in found
                 if constraint is not None}
        assert {"NaOpheffing", "DubbelWerk", "TaakZonderUitvoerder", "NietInRegister",
                "OntbreektInInventaris", "UitvoerderGeenLid",
                "OvereenkomstVerlopen"} <= rules


@pytest.mark.parametrize("name", SEEDED)
def test_split_engine_reports_exactly_the_seeds(name: str) -> None:
    """`sdgraph validate --engine split` reports each seed of the case once, nothing else."""
    spec, store, inventory = _case(name)
    report = validate(inventory, peildatum=date.fromisoformat(spec["peildatum"]), store=store,
                      reference=True, engine="split")
    actual = sorted(_row(r) for r in report.results)
    expected = sorted((_term(focus), rule, _term(value), SEVERITIES[severity])
                      for _, focus, rule, value, severity, *_ in spec.get("resultaten", []))
    assert actual == expected, report.text()
    assert report.conforms == spec["voldoet"]


def test_whole_graph_query_binds_the_targets_first() -> None:
    """Each SHACL-SPARQL rule becomes one query whose WHERE group starts with its shape's
    focus nodes, so $this is bound in every FILTER and EXISTS of the rule."""
    rules = {r.name: r for r in whole.sparql_rules(shapes_graph())}
    assert set(rules) == {
        "NaOpheffing", "VoorOntstaan", "OvereenkomstVerlopen", "TaakBijWet",
        "TaakZonderUitvoerder", "DubbelWerk", "NietInRegister", "OntbreektInInventaris",
        "UitvoerderGeenLid", "LegeInventaris", "Doel-volgorde"}
    query = rules["TaakZonderUitvoerder"].query
    where = query.index("WHERE {")
    assert query.index("SELECT DISTINCT ?this WHERE") > where
    assert "?sdgraph_target_s <https://w3id.org/sdgraph/def#gemeente> ?this" in query
    assert rules["DubbelWerk"].severity == SH.Warning
    assert Literal("lege inventaris", lang="nl") not in rules["LegeInventaris"].messages
