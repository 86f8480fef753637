"""The baseline on the real sources (../shared/data/sources): national figures and spot
checks whose expectations are read from the raw files (the RegioAtlas CSVs, the ROO
YAML), not from the importers' output. Skipped without ../shared (failed in CI).
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import SHARED_SOURCES, missing

from sdgraph.derive import register_sources_store
from sdgraph.derive.baseline import GRAPH_IRI, Basislijn, derive
from sdgraph.derive.gr_taken import classify
from sdgraph.importers import IMPORTERS
from sdgraph.importers.report import ImportReport
from sdgraph.importers.roo import read_roo_yaml

GM = "https://identifier.overheid.nl/tooi/id/gemeente/"
AT = "https://w3id.org/sdgraph/id/arrangementtype/"
PEIL = date(2024, 7, 1)
WETTEN = {"BWBR0034925": "Jeugdwet", "BWBR0035362": "Wmo 2015", "BWBR0015703": "Participatiewet"}
SOCIAAL = SHARED_SOURCES / "regioatlas-2016" / "Sociaal"
TAKEN_TTL = Path(__file__).resolve().parent.parent / "data" / "vocab" / "taken.ttl"


@pytest.fixture(scope="module")
def register_sources() -> list:
    if not (SHARED_SOURCES / "roo-polder").is_dir():
        missing(f"real sources not present at {SHARED_SOURCES}")
    sources = []
    for importer in IMPORTERS.values():
        if importer.register:
            sources += importer.run(SHARED_SOURCES, [])
    return sources


@pytest.fixture(scope="module")
def national(register_sources: list) -> Basislijn:
    return derive(register_sources_store(register_sources))


@pytest.fixture(scope="module")
def national_store(register_sources: list, national: Basislijn):
    """The register graphs, the baseline, the ontology, vocabularies and the Oirschot
    example, in memory."""
    from sdgraph.build import init_store
    from sdgraph.derive.baseline import baseline_source
    from sdgraph.store import EmbeddedStore

    store = EmbeddedStore(None)
    store.load([*register_sources, baseline_source(national)])
    # the Oirschot example's inventory beside the reference graph, as `sdgraph init` and a
    # reference build leave it (no register stand-in, no new derivation)
    init_store(store, "oirschot", SHARED_SOURCES)
    yield store
    store.close()


def _csv(name: str) -> list[dict[str, str]]:
    with open(SOCIAAL / name, encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def _wet_per_taak() -> dict[str, str]:
    """Taak IRI -> wet name, from the vocabulary file (the taken collections per wet)."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import SKOS

    graph = Graph().parse(TAKEN_TTL)
    wet = URIRef("https://w3id.org/sdgraph/def#wet")
    out = {}
    for collection, law in graph.subject_objects(wet):
        if (collection, None, None) in graph and any(graph.objects(collection, SKOS.member)):
            for taak in graph.objects(collection, SKOS.member):
                out[str(taak)] = WETTEN[str(law).rsplit("/", 1)[-1]]
    return out


def _gemeenten_2024() -> set[str]:
    """The GM codes of the CBS boundaries of 2024 (cbs-geo), lower case as in TOOI IRIs."""
    with open(SHARED_SOURCES / "cbs-geo" / "gemeente_2024.topojson", encoding="utf-8") as fh:
        topo = json.load(fh)
    [layer] = topo["objects"].values()
    return {g["properties"]["statcode"].lower() for g in layer["geometries"]}


def test_every_gemeente_has_a_derived_cell_per_wet(national: Basislijn) -> None:
    """Acceptance: every gemeente existing on 2024-07-01 (the 342 of the CBS boundaries of
    2024) has at least one derived cell, not an assumption, in each of the three wetten."""
    expected = _gemeenten_2024()
    assert len(expected) == 342
    assert {r.gemeente.rsplit("/", 1)[-1] for r in national.op(PEIL)} == expected
    wet = _wet_per_taak()
    assert Counter(wet.values()) == {"Jeugdwet": 6, "Wmo 2015": 9, "Participatiewet": 6}
    per: dict[str, set[str]] = defaultdict(set)
    for r in national.op(PEIL):
        if not r.aangenomen:
            per[r.gemeente.rsplit("/", 1)[-1]].add(wet[r.taak])
    empty = sorted((g, w) for g in expected for w in WETTEN.values() if w not in per[g])
    assert empty == []


def test_every_derived_record_names_its_rule_and_evidence(national: Basislijn) -> None:
    rules = {r.id for r in national.regels.regels}
    for r in national.records:
        assert r.regel in rules
        if not r.aangenomen:
            assert r.bewijs and r.bewijsrecords, r


def test_every_evidence_record_is_a_register_record(national_store) -> None:
    """Each sd:bewijsRecord of a derived record on PEIL names a node a register graph
    describes (a membership, GR version, derived GR taak or gemeente), not a dangling IRI."""
    query = f"""
    PREFIX sd: <https://w3id.org/sdgraph/def#>
    SELECT (COUNT(DISTINCT ?bewijs) AS ?n) (COUNT(DISTINCT ?los) AS ?dangling) WHERE {{
      GRAPH <{GRAPH_IRI}> {{ ?t sd:bewijsRecord ?bewijs }}
      OPTIONAL {{ FILTER NOT EXISTS {{ GRAPH ?g {{ ?bewijs ?p ?o }} FILTER (?g != <{GRAPH_IRI}>) }}
                 BIND (?bewijs AS ?los) }}
    }}"""
    [row] = national_store.query(query).dicts()
    assert int(row["n"]) > 1000 and int(row["dangling"]) == 0


def test_vijfheerenlanden_per_wet_from_the_raw_sources(national: Basislijn) -> None:
    """Vijfheerenlanden (GM1961, 2019: Leerdam GM0545, Zederik GM0707 and Vianen GM0620,
    by hand from TOOI) is in no RegioAtlas 2016 table and in no GR naming a Wmo taak; its
    derived cells per wet, read from the raw files:
    Jeugdwet: jeugdregio of the cbs-geo 2025 table; Wmo 2015: the BW/MO centrumgemeente and
    Wmo-regio of the predecessor(s) whose 2016 jeugdregio is that 2025 jeugdregio;
    Participatiewet: the ROO regeling valid on PEIL listing GM1961 whose text names
    uitkeringsverstrekking."""
    with open(SHARED_SOURCES / "cbs-geo" / "gemeente-regio-2025.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    [jeugd] = [r["regionaam"] for r in rows
               if r["gemeentecode"] == "GM1961" and r["indeling"] == "jeugdregio"]
    voorgangers = {"0545", "0707", "0620"}
    jeugd_2016 = {r["CBS"]: r["Jeugdzorgregio's"] for r in _csv("jeugdzorgregios1.csv")}
    mee = {c for c in voorgangers if jeugd_2016[c] == jeugd}
    assert mee and mee != voorgangers  # the predecessors' jeugdregio's tell them apart
    bwmo = _csv("centrumgemeentemaatschappelijkeopvangbeschermdwonen.csv")
    col = "Centrumgemeente maatschappelijke opvang & beschermd wonen"
    assert len({r[col] for r in bwmo if r["CBS"] in voorgangers}) > 1
    [centrum] = {r[col] for r in bwmo if r["CBS"] in mee}
    [centrum_code] = [r["CBS"] for r in bwmo if r["Gemeente"] == centrum]
    [wmo] = {r["WMO-regio's"] for r in _csv("wmoregios.csv") if r["CBS"] in mee}
    assert not any(r["CBS"] == "1961" for r in bwmo)

    mine = [r for r in national.op(PEIL, GM + "gm1961") if not r.aangenomen]
    by_rule = defaultdict(set)
    for r in mine:
        by_rule[r.regel].add((r.taak.rsplit("/", 1)[-1], r.deelgebied.rsplit("/", 1)[-1],
                              r.uitvoerder))
    assert by_rule["regio-jeugdregio"] == {
        (t, "inkoop", f"https://w3id.org/sdgraph/id/regio/jeugdregio/{jeugd.lower()}")
        for t in ("inkoop-jeugdhulp", "jeugdhulp-verblijf", "jeugdbescherming-jeugdreclassering")}
    assert by_rule["regio-centrumgemeente-bw-mo"] == {
        (t, d, GM + f"gm{centrum_code}")
        for t in ("beschermd-wonen", "maatschappelijke-opvang")
        for d in ("toegang", "backoffice", "visie-en-beleid", "inkoop", "governance")}
    assert by_rule["regio-wmo"] == {
        ("inkoop-wmo", "inkoop", f"https://w3id.org/sdgraph/id/regio/wmo-regio/{wmo.lower()}")}
    bw = next(r for r in mine if r.regel == "regio-centrumgemeente-bw-mo")
    assert bw.vanaf == date(2019, 1, 1) and bw.tot is None  # from the merger (TOOI)
    assert f"Jeugdregio's: {jeugd} (peiljaar 2025)" in bw.bewijs

    folder = SHARED_SOURCES / "roo-polder" / "gemeenschappelijke-regelingen"
    gr = set()
    for path in folder.glob("*.yaml"):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        start, end = raw.get("valid_from"), raw.get("valid_until")
        if not (start and start <= PEIL.isoformat() and (not end or PEIL.isoformat() < end)):
            continue
        meta = raw.get("gr_meta") or {}
        members = [d.get("tooi", "") for d in meta.get("deelnemende_organisaties") or []]
        if GM + "gm1961" in members and "uitkeringsverstrekking" in (meta.get("doel") or ""):
            gr.add(meta["regionaal_samenwerkingsorgaan"]["tooi"])
    assert len(gr) == 1
    bijstand = {r.deelgebied.rsplit("/", 1)[-1] for r in mine
                if r.taak.endswith("/bijstand") and r.uitvoerder in gr}
    assert bijstand == {"toegang", "backoffice", "governance"}


def test_oirschot_beschermd_wonen_through_its_centrumgemeente(national: Basislijn) -> None:
    row = next(r for r in _csv("centrumgemeentemaatschappelijkeopvangbeschermdwonen.csv")
               if r["CBS"] == "0823")
    centrum = row["Centrumgemeente maatschappelijke opvang & beschermd wonen"]
    assert centrum == "Eindhoven"  # GM0772 in TOOI
    found = [r for r in national.op(PEIL, GM + "gm0823")
             if r.taak.endswith("/beschermd-wonen")]
    assert {r.deelgebied.rsplit("/", 1)[-1] for r in found} == {
        "toegang", "backoffice", "visie-en-beleid", "inkoop", "governance"}
    assert {(r.uitvoerder, r.arrangementtype, r.regel) for r in found} == {
        (GM + "gm0772", AT + "centrumgemeente", "regio-centrumgemeente-bw-mo")}


def test_utrecht_is_a_jeugdregio_of_its_own(national: Basislijn) -> None:
    rows = _csv("jeugdzorgregios1.csv")
    regio = next(r["Jeugdzorgregio's"] for r in rows if r["CBS"] == "0344")
    assert [r["CBS"] for r in rows if r["Jeugdzorgregio's"] == regio] == ["0344"]
    found = [r for r in national.op(PEIL, GM + "gm0344") if r.regel == "regio-jeugdregio"]
    assert {(r.taak.rsplit("/", 1)[-1], r.uitvoerder, r.arrangementtype) for r in found} == {
        (t, GM + "gm0344", AT + "eigen-organisatie")
        for t in ("inkoop-jeugdhulp", "jeugdhulp-verblijf", "jeugdbescherming-jeugdreclassering")}


def test_schiermonnikoog_veilig_thuis_regio(national: Basislijn) -> None:
    rows = _csv("veiligthuisregios.csv")
    regio = next(r["Veilig Thuis regio's"] for r in rows if r["CBS"] == "0088")
    members = sum(1 for r in rows if r["Veilig Thuis regio's"] == regio)
    [toegang] = [r for r in national.op(PEIL, GM + "gm0088")
                 if r.taak.endswith("/veilig-thuis") and r.deelgebied.endswith("/toegang")]
    assert toegang.uitvoerder.endswith(f"/veilig-thuis-regio/{regio.lower()}")
    assert toegang.arrangementtype == AT + "regionale-samenwerking"
    assert f"{members} gemeenten" in toegang.bewijs


def test_best_sociale_werkvoorziening_through_wsd(national: Basislijn) -> None:
    """From the raw ROO YAML: the WSD version valid on PEIL lists Best as deelnemer and
    its text names the Wsw; so Best's SW backoffice is WSD's (rule gr-werkbedrijf)."""
    folder = SHARED_SOURCES / "roo-polder" / "gemeenschappelijke-regelingen"
    versions = {v.roo_id: v for v in read_roo_yaml(folder.parent, ImportReport("t"))}
    wsd = [v for v in versions.values() if v.so_tooi and v.so_tooi.endswith("/so0292")
           and v.valid_from and v.valid_from <= PEIL.isoformat()
           and (not v.valid_until or PEIL.isoformat() < v.valid_until)]
    assert len(wsd) == 1
    raw = yaml.safe_load(open(folder / wsd[0].file, encoding="utf-8"))
    deelnemers = [d.get("tooi", "")
                  for d in raw["gr_meta"]["deelnemende_organisaties"]]
    assert GM + "gm0753" in deelnemers
    assert "sociale-werkvoorziening" in {m.taak for m in classify(wsd[0])}
    [sw] = [r for r in national.op(PEIL, GM + "gm0753")
            if r.taak.endswith("/sociale-werkvoorziening") and r.deelgebied.endswith("/backoffice")]
    assert (sw.uitvoerder, sw.regel) == (
        "https://identifier.overheid.nl/tooi/id/so/so0292", "gr-werkbedrijf")
    assert f"ROO-versie {wsd[0].roo_id}" in sw.bewijs


def test_national_cells_per_state(national: Basislijn) -> None:
    """The figure of docs/baseline.md: per gemeente existing on PEIL, cells per state."""
    states: dict[str, dict[tuple[str, str], str]] = defaultdict(dict)
    for r in national.op(PEIL):
        states[r.gemeente][(r.taak, r.deelgebied)] = "aangenomen" if r.aangenomen else "afgeleid"
    totals = Counter()
    for cells in states.values():
        c = Counter(cells.values())
        totals.update(c)
        totals["onbekend"] += 105 - len(cells)
        assert c["afgeleid"] >= 1
    assert sum(totals.values()) == 342 * 105
    assert totals["afgeleid"] > 342 * 10  # on average more than ten derived cells


def test_best_leaving_wsd_ends_its_derived_cells(national_store, national: Basislijn) -> None:
    """A scenario for a gemeente without inventory: Best leaves WSD (so0292). Every
    derived WSD record of Best valid on PEIL ends, per deelgebied, each item traceable to
    its record, rule and evidence."""
    from sdgraph.scenario import compare, from_graph, from_yaml

    wsd = "https://identifier.overheid.nl/tooi/id/so/so0292"
    expected: dict[str, set[str]] = defaultdict(set)
    for r in national.op(PEIL, GM + "gm0753"):
        if r.uitvoerder == wsd:
            expected[r.deelgebied.rsplit("/", 1)[-1]].add(r.taak)
    assert expected  # WSD's text names the Wsw, beschut werk, re-integratie, dagbesteding
    text = f"""
id: best-uit-wsd
titel: Best verlaat WSD
gemeente: GM0753
peildatum: {PEIL.isoformat()}
wijzigingen:
  - soort: uittreding
    betreft: so:so0292
"""
    [scenario] = from_graph(from_yaml(text, "best.yaml"), "best.yaml")
    [imp] = compare(national_store, [scenario]).impacts
    found = {d.deelgebied.rsplit("/", 1)[-1]: {c.taak for c in d.eindigt}
             for d in imp.deelgebieden if d.eindigt}
    assert found == dict(expected)
    items = [i for d in imp.deelgebieden for c in d.eindigt for i in c.voor]
    assert items and all(i.iri.startswith("https://w3id.org/sdgraph/id/taakuitvoering/afgeleid/"
                                          "gm0753/") and "regel gr-" in i.bron for i in items)
    assert [i.iri for i in imp.lidmaatschappen_eind] and not imp.verandert_niets


def _eigen_regie_wmo(code: str):
    """A scenario: the gemeente takes every Wmo 2015 taak in-house on PEIL."""
    from sdgraph.scenario import from_graph, from_yaml

    text = f"""
id: eigen-regie-wmo
titel: {code} eigen regie Wmo
gemeente: {code}
peildatum: {PEIL.isoformat()}
wijzigingen:
  - soort: eigen-regie
    taken: [toegang-wmo, huishoudelijke-hulp, begeleiding-dagbesteding,
            hulpmiddelen-woningaanpassingen, beschermd-wonen, maatschappelijke-opvang,
            clientondersteuning, mantelzorgondersteuning, inkoop-wmo]
"""
    [scenario] = from_graph(from_yaml(text, f"{code}.yaml"), f"{code}.yaml")
    return scenario


def test_utrecht_taking_its_wmo_in_house_changes_nothing(national_store) -> None:
    """Utrecht does its Wmo itself by every register (centrumgemeente BW/MO, its own
    Wmo-regio; no GR names a Wmo taak): the scenario says so instead of ranking it."""
    from sdgraph.scenario import compare

    result = compare(national_store, [_eigen_regie_wmo("GM0344")])
    assert result.impacts[0].verandert_niets and result.ranking == []


def test_vijfheerenlanden_taking_its_wmo_in_house(national_store, national: Basislijn) -> None:
    """Eigen regie of the Wmo for a gemeente without inventory whose derived Wmo cells are
    done by others (centrumgemeente and Wmo-regio, test above): per deelgebied exactly those
    cells change to the gemeente, each item one of its derived records with rule and
    evidence."""
    from sdgraph.scenario import compare

    expected: dict[str, set[str]] = defaultdict(set)
    for r in national.op(PEIL, GM + "gm1961"):
        if not r.aangenomen and r.uitvoerder != GM + "gm1961" and r.taak.rsplit("/", 1)[-1] in (
                "beschermd-wonen", "maatschappelijke-opvang", "inkoop-wmo"):
            expected[r.deelgebied.rsplit("/", 1)[-1]].add(r.taak)
    assert sum(len(t) for t in expected.values()) == 11  # BW 5 + MO 5 + inkoop Wmo 1
    [imp] = compare(national_store, [_eigen_regie_wmo("GM1961")]).impacts
    found = {d.deelgebied.rsplit("/", 1)[-1]: {c.taak for c in d.wijzigt}
             for d in imp.deelgebieden if d.wijzigt}
    assert found == dict(expected)
    assert not any(d.eindigt or d.start for d in imp.deelgebieden)
    items = [i for d in imp.deelgebieden for c in d.wijzigt for i in c.voor]
    assert items and all(
        i.iri.startswith("https://w3id.org/sdgraph/id/taakuitvoering/afgeleid/gm1961/")
        and "regel regio-" in i.bron for i in items)
    assert not imp.verandert_niets


def _inventory_cells(day: date) -> dict[tuple[str, str], set[str]]:
    """(taak, deelgebied) -> uitvoerders of the Oirschot example's taakuitvoeringen valid on
    ``day``, read from its Turtle file with rdflib."""
    from rdflib import Graph, Namespace
    from rdflib.namespace import RDF

    sd = Namespace("https://w3id.org/sdgraph/def#")
    path = Path(__file__).resolve().parent.parent / "data" / "examples" / "oirschot"
    graph = Graph().parse(path / "taakuitvoeringen.ttl")
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    for tu in graph.subjects(RDF.type, sd.Taakuitvoering):
        start, end = graph.value(tu, sd.geldigVanaf), graph.value(tu, sd.geldigTot)
        if (start is None or start.toPython() <= day) and (end is None or day < end.toPython()):
            out[(str(graph.value(tu, sd.taak)), str(graph.value(tu, sd.deelgebied)))].add(
                str(graph.value(tu, sd.uitvoerder)))
    return out


def test_oirschot_inventory_replaces_the_derived_cells(national_store, national: Basislijn) -> None:
    """Acceptance: on the national graph, the Oirschot example's inventoried cells replace
    the derived ones (no double count). Expected: per cell, the example file's uitvoerders
    where it has any, else the baseline's records; the states add up to 105."""
    from sdgraph.queries import bundled_library

    inventory = _inventory_cells(PEIL)
    derived: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for r in national.op(PEIL, GM + "gm0823"):
        derived[(r.taak, r.deelgebied)].add(
            (r.uitvoerder, "aangenomen" if r.aangenomen else "afgeleid"))
    replaced = set(inventory) & set(derived)
    assert len(inventory) == 27 and replaced  # the example overlaps the baseline
    rows = bundled_library().get("wie-doet-wat").run(
        national_store, {"gemeente": "GM0823", "peildatum": PEIL.isoformat()}).dicts()
    found: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for row in rows:
        if row.get("taak") is not None and row.get("uitvoerder") is not None:
            found[(str(row["taak"]), str(row["deelgebied"]))].add(
                (str(row["uitvoerder"]), str(row["status"])))
    expected = {cell: {(u, "bevestigd") for u in us} for cell, us in inventory.items()}
    expected.update({cell: recs for cell, recs in derived.items() if cell not in inventory})
    assert dict(found) == expected
    # the coverage counts (home page, docs/baseline.md) count each cell once
    states = Counter(next(iter({s for _, s in v})) for v in expected.values())
    [row] = [r for r in bundled_library().get("dekking").run(
        national_store, {"peildatum": PEIL.isoformat()}).dicts()
        if str(r["gemeente"]) == GM + "gm0823"]
    assert {k: int(row[k]) for k in ("bevestigd", "afgeleid", "aangenomen", "onbekend")} == {
        "bevestigd": 27, "afgeleid": states["afgeleid"], "aangenomen": states["aangenomen"],
        "onbekend": 105 - len(expected)}
