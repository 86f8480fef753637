"""`sdgraph reference build`: all importers, one atomic load, idempotent."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURE_DATA, SHARED_SOURCES, SOURCES, missing

from sdgraph.build import init_store
from sdgraph.cli import main
from sdgraph.errors import DataError, UserError
from sdgraph.namespaces import GRAPH
from sdgraph.queries import QueryLibrary
from sdgraph.reference import build_reference
from sdgraph.store import EmbeddedStore

DATA = FIXTURE_DATA


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A sources folder in the shared layout, built from the hand-written fixtures."""
    root = tmp_path / "sources"
    shutil.copytree(DATA / "tooi", root / "tooi")
    shutil.copytree(DATA / "regio" / "regioatlas-2016", root / "regioatlas-2016")
    shutil.copytree(DATA / "regio" / "cbs-gebieden", root / "cbs-gebieden")
    return root


def test_build_is_idempotent_and_reports(sources: Path, tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    first = build_reference(store, sources)
    size = len(store)
    assert {r.graph.rsplit("/", 1)[-1] for r in first.loaded} == {
        "tooi",
        "regioatlas-2016",
        "cbs-gebieden-2016",
        "cbs-gebieden-2021",
        "basislijn",  # the baseline derived from them (docs/baseline.md)
    }
    assert first.baseline is not None and first.baseline.records
    assert any(r.warnings for r in first.reports)  # the fixtures hold bad rows on purpose
    build_reference(store, sources)
    assert len(store) == size


def test_failed_build_leaves_previous_graph(sources: Path, tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    build_reference(store, sources)
    before = (len(store), store.named_graphs())
    for f in (sources / "tooi").glob("rwc_gemeenten*.json"):
        f.write_text("{ not json")
    with pytest.raises((UserError, DataError)):
        build_reference(store, sources)
    assert (len(store), store.named_graphs()) == before


def test_missing_folder_is_a_user_error(tmp_path: Path) -> None:
    store = EmbeddedStore(None)
    with pytest.raises(UserError, match="no such folder"):
        build_reference(store, tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match="none of the source folders"):
        build_reference(store, tmp_path / "empty")


def test_cli_reference_build(sources: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["reference", "build", "--sources", str(sources)])
    assert result.exit_code == 0, result.output
    assert "graph/ref/tooi" in result.output
    assert "warning" in result.output


def test_real_sources_build(tmp_path: Path) -> None:
    """Build twice from the real registers; cbs-sociaal (822k triples, its own
    idempotency test) is left out to keep the suite fast."""
    if not SHARED_SOURCES.is_dir():
        missing(f"{SHARED_SOURCES} not present (real public data lives in ../shared)")
    root = tmp_path / "sources"
    root.mkdir()
    for folder in SHARED_SOURCES.iterdir():
        if folder.name != "cbs-sociaal":
            (root / folder.name).symlink_to(folder)
    store = EmbeddedStore(tmp_path / "store")
    build_reference(store, root)
    size = len(store)
    rows = QueryLibrary().get("gemeenten").run(store).rows
    assert len(rows) == 605  # every gemeente ever, as TOOI lists them
    assert len(QueryLibrary().get("gemeenten").run(store, {"peildatum": "2023-01-01"})) == 342
    build_reference(store, root)
    assert len(store) == size


def test_cli_reference_build_shows_progress(sources: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["reference", "build", "--sources", str(sources)])
    assert result.exit_code == 0, result.output
    steps = [line for line in result.stderr.splitlines() if line.startswith("[")]
    # tooi, regio (RegioAtlas + CBS), baseline, load: started and finished lines, bar filling
    assert steps[0].startswith("[------------------------] 1/4 TOOI")
    assert any(line.startswith("[##################------] 3/4 Afgeleid: basislijn")
               and "records" in line for line in steps)
    assert steps[-1].startswith("[########################] 4/4 load 5 graphs: ")
    assert any("skip  ROO" in line for line in result.stderr.splitlines())


def test_reference_replaces_the_example_register_stand_in(sources: Path, tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    init_store(store, "oirschot", SOURCES)
    example, stand_in = str(GRAPH["example/oirschot"]), str(GRAPH["example/oirschot/register"])
    assert {example, stand_in} <= set(store.named_graphs())
    lines: list[str] = []
    build_reference(store, sources, progress=lines.append)
    graphs = set(store.named_graphs())
    assert example in graphs and stand_in not in graphs  # the illustrative part stays
    assert any("stand-in" in line and stand_in in line for line in lines)
    # a later init does not bring the stand-in back
    init_store(store, "oirschot", SOURCES)
    assert stand_in not in store.named_graphs() and example in store.named_graphs()


def test_failed_build_keeps_the_stand_in(sources: Path, tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    init_store(store, "oirschot", SOURCES)
    for f in (sources / "tooi").glob("rwc_gemeenten*.json"):
        f.write_text("{ not json")
    with pytest.raises((UserError, DataError)):
        build_reference(store, sources)
    assert str(GRAPH["example/oirschot/register"]) in store.named_graphs()


def test_cli_if_missing_skips_a_built_store(sources: Path, runner: CliRunner) -> None:
    first = runner.invoke(main, ["reference", "build", "--sources", str(sources), "--if-missing"])
    assert first.exit_code == 0 and "graph/ref/tooi" in first.output
    again = runner.invoke(main, ["reference", "build", "--sources", str(sources), "--if-missing"])
    assert again.exit_code == 0
    assert "already" in again.stderr and "graph/ref/tooi" not in again.output
