"""Scenarios for any gemeente on the national reference graph (the real registers in
../shared/data/sources; skipped with the reason when they are absent, outside CI).

Expectations are read from the raw source files (RegioAtlas CSV, ROO YAML, CBS Iv3 CSV),
not from the graph: Oirschot's scenarios applied to other gemeenten speak of those
gemeenten and are flagged when they change nothing; the builder's choices are the
gemeente's own GRs; the doordecentralisatie template shares Eindhoven's real Iv3 lasten.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml
from conftest import SHARED_SOURCES, missing

from sdgraph.build import init_store
from sdgraph.pages import doordecentralisatie as bwmo
from sdgraph.pages import scenario_bouwen as bouw
from sdgraph.reference import build_reference
from sdgraph.scenario import compare, load
from sdgraph.scenario.model import with_overrides
from sdgraph.scenario.report import to_text
from sdgraph.store import EmbeddedStore

pytestmark = pytest.mark.shared

ROOT = Path(__file__).resolve().parent.parent
OIRSCHOT = ROOT / "data" / "examples" / "oirschot" / "scenarios"
GM = "https://identifier.overheid.nl/tooi/id/gemeente/"
PEIL = "2024-07-01"


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    if not SHARED_SOURCES.is_dir():
        missing(f"{SHARED_SOURCES} not present (real public data lives in ../shared)")
    store = EmbeddedStore(tmp_path_factory.mktemp("national"))
    init_store(store, example=None)
    build_reference(store, SHARED_SOURCES)
    yield store
    store.close()


def scenarios_for(code: str):
    """Oirschot's scenarios A, C and D for another gemeente (B names the example's
    illustrative subregio, which the registers do not have)."""
    return [with_overrides(s, code) for f in sorted(OIRSCHOT.glob("[acd]-*.yaml"))
            for s in load(f)]


def roo_members(gemeente: str, day: str) -> set[str]:
    """GRs (TOOI so IRIs) with ``gemeente`` as deelnemer in a version valid on ``day``, as the
    raw ROO files say."""
    out = set()
    for path in (SHARED_SOURCES / "roo-polder" / "gemeenschappelijke-regelingen").glob("*.yaml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        meta = doc.get("gr_meta") or {}
        start, end = str(doc.get("valid_from") or ""), str(doc.get("valid_until") or "")
        if not (start <= day and (not end or day < end)):
            continue
        so = ((meta.get("regionaal_samenwerkingsorgaan") or {}).get("tooi") or "")
        for d in meta.get("deelnemende_organisaties") or []:
            if d.get("tooi") == gemeente and so:
                out.add(so)
    return out


def test_oirschots_scenarios_for_utrecht_speak_of_utrecht_and_flag_what_changes_nothing(
        national):
    kempen = "https://identifier.overheid.nl/tooi/id/so/so0665"
    # the ROO files: Utrecht is no deelnemer of the Kempengemeenten, Oirschot is
    assert kempen not in roo_members(GM + "gm0344", PEIL)
    assert kempen in roo_members(GM + "gm0823", PEIL)
    v = compare(national, scenarios_for("GM0344"))
    a, c, d = v.impacts
    # D (leave the Kempengemeenten, do it all yourself) has nothing to act on for Utrecht:
    # flagged, not ranked, no total score
    assert d.verandert_niets and not d.lidmaatschappen_eind
    assert v.niet_gerangschikt == [2] and v.totaal[2] is None
    # A and C hand over Utrecht's own tasks or join a regio: they do change something
    assert not a.verandert_niets and not c.verandert_niets
    assert sorted(v.ranking) == [0, 1]
    text = to_text(v, details=True)
    assert "verandert niets voor Utrecht op 2024-07-01" in text
    # each change is described with the organisations the graph names, not the file's labels
    assert "Oirschot haalt alles" not in text
    assert not any("Oirschot" in t for i in v.impacts for t in i.wijzigingen_tekst)
    assert a.wijzigingen_tekst[0].startswith("Overdracht: ")
    assert " van Utrecht naar Samenwerking Kempengemeenten" in a.wijzigingen_tekst[0]
    assert d.wijzigingen_tekst[1] == (
        "Uittreding: geen lid meer van Samenwerking Kempengemeenten")


def test_a_scenario_for_a_member_runs_on_the_registers(national):
    """Oirschot's scenario D (leave the Kempengemeenten) for Bergeijk, a member too."""
    assert "https://identifier.overheid.nl/tooi/id/so/so0665" in roo_members(GM + "gm1724",
                                                                             PEIL)
    [imp] = compare(national, scenarios_for("GM1724")[2:]).impacts
    assert not imp.verandert_niets
    assert [i.detail for i in imp.lidmaatschappen_eind] == [
        "https://identifier.overheid.nl/tooi/id/so/so0665"]
    # no contribution to the GR is in the registers: it is named as unknown
    assert imp.bijdragen_onbekend == ["Samenwerking Kempengemeenten"]
    assert imp.gemeenteNaam == "Bergeijk"


def test_the_builders_choices_are_the_gemeentes_own_grs(national):
    k = bouw.keuzes(national, None, GM + "gm0344", PEIL)
    lid = {o.iri for o in k.opties if o.groep == "lid" and o.soort == "gr"}
    raw = roo_members(GM + "gm0344", PEIL)
    assert len(lid) >= 5
    assert lid <= raw  # every GR it is offered as a member of, ROO says it is one
    assert k.naam == "Utrecht" and k.code == "GM0344"
    assert any(o.soort == "gemeente" for o in k.opties if o.iri != GM + "gm0344")


def test_the_doordecentralisatie_template_shares_eindhovens_real_iv3_lasten(national):
    page = bwmo.page(national, None, "nl", "sdid:regio/centrumgemeente-bw-mo/eindhoven", PEIL)
    sources = SHARED_SOURCES
    with (sources / "regioatlas-2016" / "Sociaal" /
          "centrumgemeentemaatschappelijkeopvangbeschermdwonen.csv").open(
            encoding="utf-8-sig") as fh:
        members = {r["CBS"] for r in csv.DictReader(fh, delimiter=";")
                   if r["Centrumgemeente maatschappelijke opvang & beschermd wonen"] == "Eindhoven"}
    assert {m.code.upper() for m in page.leden} == {f"GM{c}" for c in members}
    # Eindhoven's latest jaarrekening (2023): 6.81a 33,342 + 6.81b 21,184 (EUR 1,000)
    lasten, inwoners = {}, {}
    with (sources / "cbs-sociaal" / "iv3" / "2023_jaarrekening.csv").open(
            encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter=";"):
            if r["Taakveld"].startswith(("6.81a", "6.81b")):
                lasten[r["Gemeenten"]] = lasten.get(r["Gemeenten"], 0) + float(r["Lasten"] or 0)
            inwoners[r["Gemeenten"]] = float(r["Inwonertal"] or 0)
    assert page.b is not None and page.b.echt and page.b.jaar == "2023"
    assert page.b.totaal == pytest.approx(lasten["Eindhoven"] * 1000) == 54_526_000
    eindhoven = next(m for m in page.leden if m.centrum)
    assert eindhoven.inwoners == inwoners["Eindhoven"]
    # shares by inwonertal add up to the whole budget
    assert sum(m.aandeel for m in page.leden) == pytest.approx(page.b.totaal, abs=1)
    for m in page.leden:
        if m.naam in inwoners:
            assert m.inwoners == inwoners[m.naam], m.naam
            assert m.eigen == pytest.approx(lasten.get(m.naam, 0) * 1000), m.naam
