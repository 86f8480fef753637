"""The benchmark harness (bench/): the synthetic inventory generator, and the code path of
``make bench-quick`` at a toy scale. Speed is measured there, never asserted here.

The generator's context is the bundled Oirschot example: its register stand-in has 27
gemeenten that exist on the peildatum, the vocabularies 21 taken and 5 deelgebieden, and
Oirschot (GM0823) is a member of 7 GRs, among them Samenwerking Kempengemeenten (so0665).
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest

from sdgraph.queries import QueryLibrary

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402

DAY = date(2026, 6, 1)
SD = "https://w3id.org/sdgraph/def#"
OIRSCHOT = "https://identifier.overheid.nl/tooi/id/gemeente/gm0823"
KEMPEN = "https://identifier.overheid.nl/tooi/id/so/so0665"


@pytest.fixture(scope="module")
def context(example_store):
    return generate.context_from_store(example_store, DAY)


def _store(inventory: generate.Inventory) -> ox.Store:
    store = ox.Store()
    for path in [*inventory.shared, *inventory.files]:
        store.load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    return store


def _count(store: ox.Store, where: str) -> int:
    rows = store.query(f"PREFIX sd: <{SD}> SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    return int(next(iter(rows))["n"].value)


def test_context_comes_from_the_store(context):
    assert len(context.gemeenten) == 27
    assert len(context.taken) == 21
    assert len(context.deelgebieden) == 5
    oirschot = next(g for g in context.gemeenten if g.code == "GM0823")
    assert oirschot.naam == "Oirschot"
    grs = [gr.iri for gr in context.memberships[OIRSCHOT]]
    assert len(grs) == 7 and KEMPEN in grs


def test_generator_is_deterministic_by_seed(context, tmp_path):
    a = generate.generate(context, tmp_path / "a", 2, providers=50, seed=3)
    b = generate.generate(context, tmp_path / "b", 2, providers=50, seed=3)
    generate.generate(context, tmp_path / "c", 2, providers=50, seed=4)
    names = [p.name for p in [*a.shared, *a.files]]
    assert names == [p.name for p in [*b.shared, *b.files]]
    assert len(names) == 27 + 2
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert any((tmp_path / "a" / n).read_bytes() != (tmp_path / "c" / n).read_bytes()
               for n in names)
    lines = sum(len((tmp_path / "a" / n).read_text().splitlines()) for n in names)
    assert a.triples == lines


def test_inventory_covers_every_taak_and_deelgebied(context, tmp_path):
    inv = generate.generate(context, tmp_path, 2, providers=50)
    assert [(str(a), str(b) if b else None) for a, b in inv.periods] == [
        ("2025-01-01", "2026-01-01"), ("2026-01-01", None)]
    store = _store(inv)  # parses: valid N-Triples
    # 27 gemeenten x 21 taken x 5 deelgebieden x 2 periods, plus the double work
    regular = ("?t a sd:Taakuitvoering FILTER (!STRENDS(STR(?t), '/dubbel'))")
    assert _count(store, regular) == 27 * 21 * 5 * 2
    assert _count(store, "?t a sd:Taakuitvoering FILTER STRENDS(STR(?t), '/dubbel')") \
        == inv.counts["Taakuitvoering"] - 27 * 21 * 5 * 2
    # every cell once per gemeente and period
    assert _count(store, """
        SELECT ?g ?taak ?dg ?van WHERE {
          ?t a sd:Taakuitvoering ; sd:gemeente ?g ; sd:taak ?taak ; sd:deelgebied ?dg ;
             sd:geldigVanaf ?van FILTER (!STRENDS(STR(?t), '/dubbel')) }
        GROUP BY ?g ?taak ?dg ?van HAVING (COUNT(*) > 1)""") == 0
    # work under a contract is done by one of its opdrachtnemers, from the pool of 50
    assert _count(store, "?a a sd:Aanbieder") == 50
    assert _count(store, """
        ?t sd:arrangementtype <https://w3id.org/sdgraph/id/arrangementtype/contract> ;
           sd:uitvoerder ?u ; sd:via ?c .
        FILTER NOT EXISTS { ?c a sd:Overeenkomst ; sd:opdrachtnemer ?u . ?u a sd:Aanbieder }
        """) == 0
    # a governance seat per membership and period
    seats = sum(len(grs) for grs in context.memberships.values()) * 2
    assert _count(store, "?v a sd:Vertegenwoordiging") == seats == inv.counts[
        "Vertegenwoordiging"]


def test_gemeente_inventory_passes_the_shapes(context, example_store, tmp_path):
    validation = pytest.importorskip("sdgraph.validation")
    inv = generate.generate(context, tmp_path, 2, providers=50)
    files = [inv.gemeente_file("GM0823"), *inv.shared]
    report = validation.validate(validation.read_files(files), peildatum=DAY,
                                 store=example_store, reference=True)
    violations = [r for r in report.results if r.severity == "Violation"]
    assert violations == []


def test_quick_code_path_at_toy_scale(tmp_path):
    out = tmp_path / "bench.json"
    names = set(QueryLibrary().names())
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_store.py"), "--scale", "toy",
         "--backends", "embedded", "--workers", "1", "--threads", "2",
         "--peildatum", DAY.isoformat(), "--json", str(out)],
        capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "#### Targets" in done.stdout
    assert "every named query cold p50 <= 50 ms" in done.stdout
    assert "| query | embedded cold p50 | p95 | warm p50 |" in done.stdout
    r = json.loads(out.read_text())["results"][0]
    assert r["store"]["gemeenten"] == 3
    assert r["store"]["counts"]["Taakuitvoering"] >= 3 * 21 * 5
    assert r["store"]["total_quads"] > r["store"]["base_quads"] + r["store"]["inventory_triples"]
    # every named query of this checkout was run (found at run time) ...
    measured = r["queries"]["embedded"]
    assert set(measured) >= names
    # ... with real parameters: one gemeente, one row
    assert measured["gemeente"]["rows"] == 1
    # a cold and a warm figure for every query and view that ran within its time limit
    assert all("p50" in v and "warm_p50" in v for v in measured.values()
               if "skipped" not in v and not v["timeout"])
    # every listed view was requested; none that answered gave an error status
    views = r["views"]["embedded"]
    assert "/gemeente/GM…/matrix" in views and "/sparql?query=…" in views
    assert [label for label, v in views.items() if v.get("status")] == []
    assert all("p50" in v and "warm_p50" in v for v in views.values()
               if "skipped" not in v and not v["timeout"])
    assert r["validation"] and r["scenario"]
    # the load's own time and what it runs after writing (aggregates and indexes) apart
    load = r["load"]["embedded"]
    assert 0 < load["materialise_s"] < load["seconds"]
