"""Loading inventories: one gemeente's load never replaces or merges with another's, a reload
replaces exactly its previous version and keeps it as history (sdgraph history), and the
bundled example validates through the CLI as docs/validation.md documents."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import SOURCES, missing
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from sdgraph.build import init_store
from sdgraph.errors import UserError
from sdgraph.inventory.history import content, versions
from sdgraph.inventory.historypage import history_page
from sdgraph.namespaces import SD
from sdgraph.queries import QueryLibrary
from sdgraph.store import Source
from sdgraph.validation import read, validate
from sdgraph.validation.gate import load_validated

ROOT = Path(__file__).resolve().parent.parent
ORGS = ROOT / "tests" / "data" / "validation" / "organisaties.ttl"
GM = "https://identifier.overheid.nl/tooi/id/gemeente/"
ID = "https://w3id.org/sdgraph/id/"
GRAPHS = "https://w3id.org/sdgraph/graph/inventaris/"
PEILDATUM = date(2024, 8, 1)
HEADER = "id;gemeente;taak;deelgebied;uitvoerder;arrangementtype;geldig vanaf\n"


def _sheet(folder: Path, gemeente: str, start: str = "2015-01-01") -> Path:
    """Taakuitvoeringen of one gemeente, always with row id 'toegang' and the same file name."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "taakuitvoeringen.csv"
    path.write_text(HEADER + f"toegang;{gemeente};Toegang jeugdhulp;Toegang;{gemeente};"
                             f"Eigen organisatie;{start}\n", encoding="utf-8")
    return path


def _load(store, path: Path, by: str = "test", **options):
    sources = [Source.file(path)]
    inventory = read(sources, store=store)
    report = validate(inventory, peildatum=PEILDATUM, store=store, reference=True)
    assert report.conforms, report.text()
    return load_validated(store, sources, inventory, report, by=by, **options)


@pytest.fixture
def org_store(store):
    """A store of either backend with ontology, vocabularies and the test organisations
    (Oirschot GM0823, Meierijstad GM1948, ...)."""
    init_store(store, None)
    store.load([Source.file(ORGS, graph="urn:test:organisaties")])
    return store


def _wie_doet_wat(store, gemeente: str) -> set[tuple[str, str]]:
    rows = QueryLibrary().get("wie-doet-wat").run(
        store, {"gemeente": gemeente, "peildatum": "2024-08-01"}).dicts()
    return {(str(r["taakuitvoering"]), str(r["uitvoerder"])) for r in rows}


def test_two_gemeenten_with_the_same_ids_and_file_name_stay_apart(org_store, tmp_path: Path):
    store = org_store
    first = _load(store, _sheet(tmp_path / "oirschot", "GM0823"))
    second = _load(store, _sheet(tmp_path / "meierijstad", "GM1948", "2017-01-01"))
    assert first.graph == GRAPHS + "gm0823/inventaris"
    assert second.graph == GRAPHS + "gm1948/inventaris"
    assert first.replaced is None and second.replaced is None
    graphs = set(store.named_graphs())
    assert {first.graph, second.graph} <= graphs
    # each gemeente's "wie doet wat" lists only its own record, carried out by itself
    assert _wie_doet_wat(store, "GM0823") == {(ID + "taakuitvoering/gm0823/toegang", GM + "gm0823")}
    assert _wie_doet_wat(store, "GM1948") == {(ID + "taakuitvoering/gm1948/toegang", GM + "gm1948")}
    assert store.graph_size(first.graph) == store.graph_size(second.graph) == 7


def test_a_reload_replaces_exactly_its_previous_version_and_keeps_it(org_store, tmp_path: Path):
    store = org_store
    first = _load(store, _sheet(tmp_path / "v1", "GM0823"), by="Anna")
    other = _load(store, _sheet(tmp_path / "meierijstad", "GM1948", "2017-01-01"))
    before_other = store.graph_size(other.graph)
    second = _load(store, _sheet(tmp_path / "v2", "GM0823", start="2016-01-01"), by="Bram")
    assert second.graph == first.graph
    assert second.version.number == 2 and second.replaced is not None
    assert second.replaced.number == 1 and second.replaced.by == "Anna"
    record = URIRef(ID + "taakuitvoering/gm0823/toegang")
    rows = store.select(f"SELECT ?d WHERE {{ GRAPH <{first.graph}> {{ <{record}> "
                        f"<{SD.geldigVanaf}> ?d }} }}").rows
    assert [str(r[0]) for r in rows] == ["2016-01-01"]  # the old date is gone from the graph
    assert store.graph_size(other.graph) == before_other  # another gemeente's is untouched
    # the first version is kept, with who, when and which file (name and checksum, no path)
    found = versions(store, graph=first.graph)
    assert [(v.number, v.by, v.current) for v in found] == [(1, "Anna", False), (2, "Bram", True)]
    assert [f.name for f in found[0].files] == ["taakuitvoeringen.csv"]
    assert found[0].files[0].checksum.startswith("sha256:") and "/" not in found[0].files[0].name
    assert found[0].files[0].checksum != found[1].files[0].checksum
    old = content(store, found[0])
    assert (record, SD.geldigVanaf, Literal("2015-01-01", datatype=XSD.date)) in old
    # the old version's records are not in the store's data: only its text is
    assert _wie_doet_wat(store, "GM0823") == {(str(record), GM + "gm0823")}
    page = history_page(store, URIRef(GM + "gm0823"))
    (diff,) = page.diffs
    assert (diff.a, diff.b) == (1, 2)
    (change,) = diff.changes
    assert change.kind == "changed" and change.record == record
    assert change.added == [("geldig vanaf", "2016-01-01")]
    assert change.removed == [("geldig vanaf", "2015-01-01")]


def test_a_record_of_another_inventory_is_refused(org_store, tmp_path: Path):
    store = org_store
    mine = _load(store, _sheet(tmp_path / "oirschot", "GM0823"))
    before = {g: store.graph_size(g) for g in store.named_graphs()}
    # Meierijstad's inventory describing Oirschot's record (same IRI) would merge with it
    theirs = tmp_path / "theirs.ttl"
    theirs.write_text(f"""
        @prefix sd: <https://w3id.org/sdgraph/def#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <{ID}taakuitvoering/gm0823/toegang> a sd:Taakuitvoering ;
            sd:gemeente <{GM}gm1948> ; sd:taak <{ID}taak/toegang-jeugdhulp> ;
            sd:deelgebied <{ID}deelgebied/toegang> ; sd:uitvoerder <{GM}gm1948> ;
            sd:arrangementtype <{ID}arrangementtype/eigen-organisatie> ;
            sd:geldigVanaf "2017-01-01"^^xsd:date .
        """, encoding="utf-8")
    with pytest.raises(UserError, match=r"staan al in een andere inventaris .*" + mine.graph):
        _load(store, theirs)
    assert {g: store.graph_size(g) for g in store.named_graphs()} == before


def test_an_inventory_of_several_gemeenten_needs_to_say_whose(org_store, tmp_path: Path):
    store = org_store
    path = tmp_path / "taakuitvoeringen.csv"
    path.write_text(HEADER + "a;GM0823;Toegang jeugdhulp;Toegang;GM0823;Eigen organisatie;"
                             "2015-01-01\n"
                             "b;GM1948;Toegang jeugdhulp;Toegang;GM1948;Eigen organisatie;"
                             "2017-01-01\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"meer dan één gemeente \(GM0823, GM1948\)"):
        _load(store, path)
    loaded = _load(store, path, gemeente=URIRef(GM + "gm0823"))
    assert loaded.graph == GRAPHS + "gm0823/inventaris"
    # each taakuitvoering keeps its own gemeente in its IRI
    subjects = set(store.select(f"SELECT ?s WHERE {{ GRAPH <{loaded.graph}> {{ ?s a "
                                f"<{SD.Taakuitvoering}> }} }}").rows)
    assert {str(s[0]) for s in subjects} == {ID + "taakuitvoering/gm0823/a",
                                             ID + "taakuitvoering/gm1948/b"}


def test_cli_history_lists_versions_and_differences(runner, tmp_path: Path):
    from sdgraph.cli import main

    assert runner.invoke(main, ["init", "--example", "none"]).exit_code == 0
    assert runner.invoke(main, ["load", str(ORGS)]).exit_code == 0
    empty = runner.invoke(main, ["history"])
    assert empty.exit_code == 0 and "Er is nog geen inventaris geladen." in empty.output
    for folder, start, who in (("v1", "2015-01-01", "Anna"), ("v2", "2016-01-01", "Bram")):
        out = runner.invoke(main, ["validate", str(_sheet(tmp_path / folder, "GM0823", start)),
                                   "--reference", "--peildatum", "2024-08-01", "--load",
                                   "--door", who])
        assert out.exit_code == 0, out.output
    assert "Vervangt versie 1" in out.output and "bewaard in de historie" in out.output
    text = runner.invoke(main, ["history", "GM0823"]).output
    assert "Inventaris van Oirschot (GM0823): inventaris (2 versies)" in text
    assert "door Anna" in text and "door Bram" in text and "[huidig]" in text
    assert "Verschillen van versie 1 naar versie 2" in text
    assert "+ geldig vanaf: 2016-01-01" in text and "- geldig vanaf: 2015-01-01" in text
    data = json.loads(runner.invoke(main, ["history", "GM0823", "--format", "json"]).output)
    (inventory,) = data["inventories"]
    assert [v["number"] for v in inventory["versions"]] == [1, 2]
    bad = runner.invoke(main, ["history", "GM0823", "--diff", "1", "7"])
    assert bad.exit_code == 2 and "versie 7 bestaat niet" in bad.output


def test_bundled_example_validates_through_the_cli_as_documented(tmp_path: Path):
    """docs/validation.md: `sdgraph init`, then `sdgraph validate --reference` of the four
    Oirschot files: exit 0 (warnings allowed), run as a user runs it."""
    if SOURCES is None:
        missing("sdgraph init reads the example's register facts from ../shared/data/sources")
    sdgraph = Path(sys.executable).parent / "sdgraph"
    env = {**os.environ, "SDGRAPH_STORE": str(tmp_path / "store"),
           "SDGRAPH_SOURCES": str(SOURCES)}
    init = subprocess.run([sdgraph, "init"], env=env, capture_output=True, text=True)
    assert init.returncode == 0, init.stderr
    assert "example/oirschot/register" in init.stdout  # the register facts were read
    files = sorted(str(p) for p in (ROOT / "data" / "examples" / "oirschot").glob("*.ttl"))
    assert len(files) == 4
    run = subprocess.run([sdgraph, "validate", *files, "--reference", "--peildatum",
                          "2024-08-01"], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Voldoet: geen fouten" in run.stdout and "FOUT" not in run.stdout
    assert run.stderr == ""
    # each file on its own resolves what it refers to in the store too
    for path in files:
        alone = subprocess.run([sdgraph, "validate", path, "--reference", "--peildatum",
                                "2024-08-01"], env=env, capture_output=True, text=True)
        assert alone.returncode == 0, alone.stdout
