"""``sdgraph scenario run`` and ``sdgraph scenario compare`` on the bundled Oirschot example.

The CLI prints and writes the numbers of the core (sdgraph.scenario), computed here on the
same store; a few are checked by hand against the example data.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import pytest
from conftest import inventory_only_store, without_baseline

from sdgraph.cli import main
from sdgraph.scenario import compare, load
from sdgraph.store import EmbeddedStore

ROOT = Path(__file__).resolve().parent.parent
OIRSCHOT = ROOT / "data" / "examples" / "oirschot" / "scenarios"
FILES = [str(p) for p in sorted(OIRSCHOT.glob("*.yaml"))]
NAMES = ["A. Integraal met subregio De Kempen",
         "B. Integraal met subregio Veldhoven, Best, Oirschot",
         "C. Wmo via de regio Zuidoost-Brabant", "D. Eigen regie"]


@pytest.fixture(scope="module")
def example_store():
    """The Oirschot example without the baseline: its scenario figures are counted by hand
    from the inventory (scenarios over the baseline: test_baseline*.py)."""
    yield from inventory_only_store()


@pytest.fixture
def initialised(runner):
    result = runner.invoke(main, ["init"])
    assert result.exit_code == 0, result.output
    without_baseline(EmbeddedStore(os.environ["SDGRAPH_STORE"])).close()
    return runner


def test_compare_prints_the_matrix_criteria_and_ranking_and_writes_the_reports(
        initialised, tmp_path, example_store):
    out = {ext: tmp_path / f"vergelijking.{ext}" for ext in ("html", "md", "csv", "json")}
    result = initialised.invoke(main, [
        "scenario", "compare", *FILES, "--weight", "zeggenschap=2", "-w", "kosten=0",
        "--html", str(out["html"]), "--md", str(out["md"]), "--csv", str(out["csv"]),
        "--json", str(out["json"])])
    assert result.exit_code == 0, result.output
    text = result.stdout
    header = next(line for line in text.splitlines() if line.startswith("Scenario "))
    assert re.split(r"\s{2,}", header) == ["Scenario", "Toegang", "Backoffice", "Visie en beleid",
                                           "Inkoop", "Governance"]
    # scenario D: 14 own cells of 27 filled (see tests/test_scenario.py)
    assert "D. Eigen regie: 14 eigen / 27 gevulde cellen x 100 = 51.9" in text
    assert "Gewichten: zeggenschap=2, integraal=1, complexiteit=1, kosten=0, risico=1" in text
    # cost in Dutch number format: 650.000 x 1/5 (members) x 3/12 (notice) = 32.500
    assert re.search(r"^D\. Eigen regie .* 32\.500 \[", text, re.M)
    expected = compare(example_store, [s for f in FILES for s in load(f)],
                       {"zeggenschap": 2, "integraal": 1, "complexiteit": 1, "kosten": 0,
                        "risico": 1})
    ranking = text.split("Rangorde:")[1].strip().splitlines()
    assert [line.split(". ", 1)[1].rsplit(" (", 1)[0] for line in ranking] == [
        expected.impacts[i].scenario.naam() for i in expected.ranking]
    # the JSON has the same totals as the core
    doc = json.loads(out["json"].read_text(encoding="utf-8"))
    assert [s["naam"] for s in doc["scenarios"]] == NAMES
    assert [s["totaal"] for s in doc["scenarios"]] == expected.totaal
    assert doc["gewichten"]["kosten"] == 0
    # the HTML report is self-contained: no scripts, no style sheets or images from elsewhere
    html = out["html"].read_text(encoding="utf-8")
    assert "<script" not in html and "<link" not in html and "src=" not in html
    assert all(name in html for name in ("Zeggenschap (%)", "Transitierisico", *NAMES))
    assert "items (na)" in html and "built-in method" not in html  # w["items"], not dict.items
    md = out["md"].read_text(encoding="utf-8")
    assert "| Scenario | Toegang | Backoffice | Visie en beleid | Inkoop | Governance |" in md
    rows = list(csv.DictReader(io.StringIO(out["csv"].read_text(encoding="utf-8"))))
    d_crit = {r["figuur"]: r for r in rows if r["scenario"] == "D. Eigen regie"}
    assert d_crit["criterium zeggenschap"]["waarde"] == "51.9"
    # every CSV figure names the IRIs behind it
    wijzigt = next(r for r in rows if r["scenario"] == "D. Eigen regie"
                   and r["deelgebied"] == "Backoffice" and r["figuur"] == "wijzigt")
    assert wijzigt["waarde"] == "4"
    assert "https://w3id.org/sdgraph/id/taakuitvoering/gm0823/huishoudelijke-hulp/backoffice" \
        in wijzigt["items"].split(" | ")


def test_run_prints_the_items_behind_the_figures(initialised):
    result = initialised.invoke(main, ["scenario", "run", str(OIRSCHOT / "d-eigen-regie.yaml")])
    assert result.exit_code == 0, result.output
    assert "== D. Eigen regie <https://w3id.org/sdgraph/id/scenario/gm0823/d-eigen-regie>" \
        in result.stdout
    assert "zetels 2 -> 0, stemmen 20 -> 0" in result.stdout
    assert "<https://w3id.org/sdgraph/id/vertegenwoordiging/gm0823/so0665/ab>" in result.stdout


def test_run_from_options_without_a_file(initialised):
    result = initialised.invoke(main, [
        "scenario", "run", "--gemeente", "GM0823", "--peildatum", "2024-07-01",
        "--wijziging", "uittreding betreft=so:so0665", "--lang", "en", "--kort"])
    assert result.exit_code == 0, result.output
    assert "Scenario comparison: Oirschot" in result.stdout
    matrix, criteria = [x for x in result.stdout.splitlines()
                        if x.startswith("Scenario (opdrachtregel)")][:2]
    assert "z-2 st-20" in matrix  # 2 seats and 20 votes in the Kempen board go
    # cost in English number format: 650,000 x 1/5 (members) x 3/12 (notice) = 32,500
    assert "32,500 [10]" in criteria


@pytest.mark.parametrize(("args", "message"), [
    (["scenario", "compare", "bestaat-niet.yaml"], "file not found"),
    (["scenario", "compare", FILES[0], "-w", "snelheid=1"], "unknown criterion"),
    (["scenario", "compare", FILES[0], FILES[0]], "is given twice"),
    (["scenario", "run"], "give --gemeente, --peildatum and --wijziging"),
    (["scenario", "run", FILES[0], "--peildatum", "2024-99-01"], "not a date"),
])
def test_errors_are_one_line_and_exit_2(initialised, args, message):
    result = initialised.invoke(main, args)
    assert result.exit_code == 2  # could not run
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_the_stored_graph_is_not_changed_by_the_cli(initialised, tmp_path, monkeypatch):
    import os

    store_dir = Path(os.environ["SDGRAPH_STORE"])
    s = EmbeddedStore(store_dir, read_only=True)
    version = s.version()
    s.close()
    assert initialised.invoke(main, ["scenario", "compare", *FILES]).exit_code == 0
    s = EmbeddedStore(store_dir, read_only=True)
    assert s.version() == version
    s.close()
