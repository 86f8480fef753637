"""Tests for the derived "which wetten and taken does a GR serve" layer
(sdgraph/derive/gr_taken.py).

* unit tests of :func:`classify` on hand-written, made-up GRVersion objects;
* graph and Source tests on made-up YAML fixtures (tests/data/gr_taken/roo), also
  running queries/gr-per-wet.rq on them;
* an integration test that scores the classifier against hand labels
  (tests/data/gr_taken/labels.yaml) on the real ROO data; skipped when the shared
  data is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import SHARED_SOURCES, missing
from rdflib import Literal
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF, XSD

from sdgraph.derive.gr_taken import (
    RULESET,
    WETTEN,
    classify,
    gr_taken_graph,
    gr_taken_sources,
    wetten_of,
)
from sdgraph.importers.report import ImportReport
from sdgraph.importers.roo import GRVersion, read_roo_yaml, roo_sources
from sdgraph.namespaces import GRAPH, SD, SDID
from sdgraph.queries import load_query_file
from sdgraph.store import EmbeddedStore

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "data" / "gr_taken"
SHARED = SHARED_SOURCES
ROO_REAL = SHARED / "roo-polder"
QUERY = HERE.parent / "queries" / "gr-per-wet.rq"

# Measured with rules v2 on the two hand-labelled samples (docs/gr-classification.md),
# rounded down. labels.yaml was the development sample; labels-v2.yaml was labelled and
# committed before the classifier ran on it (no Jeugdwet positives there: recall 1.0 by
# definition, precision from its 117 negatives).
EXPECTED = {  # file: {wet: (precision >=, recall >=)}
    "labels.yaml": {"jeugdwet": (1.00, 1.00), "wmo2015": (0.87, 1.00),
                    "participatiewet": (1.00, 1.00)},
    "labels-v2.yaml": {"jeugdwet": (1.00, 1.00), "wmo2015": (0.80, 0.80),
                       "participatiewet": (0.96, 0.89)},
}


def version(
    doel: str | None = None,
    bevoegdheden: list[str] | None = None,
    grondslagen: list[str] | None = None,
    roo_id: str | None = "1",
) -> GRVersion:
    return GRVersion(
        file="made-up.yaml",
        position="x",
        roo_id=roo_id,
        titel="Made-up regeling",
        citeertitel="Made-up regeling",
        valid_from="2020-01-01",
        doel=doel,
        bevoegdheden=bevoegdheden or [],
        grondslagen=grondslagen or [],
    )


# --------------------------------------------------------------------------- classify()


@pytest.mark.parametrize(
    ("text", "wet", "slug", "term"),
    [
        ("uitvoering van taken in het kader van de Jeugdwet", "jeugdwet", "jeugdwet", "Jeugdwet"),
        (
            "regionale inkoop van specialistische jeugdhulp",
            "jeugdwet",
            "inkoop-jeugdhulp",
            "inkoop",
        ),
        (
            "de jeugdbescherming en jeugdreclassering",
            "jeugdwet",
            "jeugdbescherming-jeugdreclassering",
            "jeugdbescherming",
        ),
        ("het in stand houden van Veilig Thuis", "jeugdwet", "veilig-thuis", "Veilig Thuis"),
        ("taken op grond van de Wmo 2015", "wmo2015", "wmo2015", "Wmo"),
        (
            "de centrumgemeente voor beschermd wonen",
            "wmo2015",
            "beschermd-wonen",
            "beschermd wonen",
        ),
        (
            "maatschappelijke opvang voor dak- en thuislozen",
            "wmo2015",
            "maatschappelijke-opvang",
            "maatschappelijke opvang",
        ),
        ("inkoop van huishoudelijke hulp", "wmo2015", "huishoudelijke-hulp", "huishoudelijke hulp"),
        (
            "uitvoering van de Participatiewet",
            "participatiewet",
            "participatiewet",
            "Participatiewet",
        ),
        ("de uitvoering van de Wsw", "participatiewet", "sociale-werkvoorziening", "Wsw"),
        (
            "trajecten voor reintegratie van werkzoekenden",
            "participatiewet",
            "re-integratie",
            "reintegratie",
        ),
        (
            "schuldhulpverlening en minimabeleid",
            "participatiewet",
            "schuldhulpverlening",
            "schuldhulpverlening",
        ),
        (
            "schuldhulpverlening en minimabeleid",
            "participatiewet",
            "minimabeleid-bijzondere-bijstand",
            "minimabeleid",
        ),
        ("plaatsen op een beschut werk plek", "participatiewet", "beschut-werk", "beschut werk"),
    ],
)
def test_positive_rules_give_match_with_evidence(text: str, wet: str, slug: str, term: str) -> None:
    matches = {m.slug: m for m in classify(version(doel="De regeling regelt " + text + "."))}
    assert slug in matches, matches
    m = matches[slug]
    assert m.wet == wet
    assert m.bewijsveld == "doel"
    assert term.lower() in m.bewijs.lower()


@pytest.mark.parametrize(
    "text",
    [
        "het inzamelen van huishoudelijk afval en het reinigen van de openbare ruimte",
        "de jeugdgezondheidszorg op grond van de Wet publieke gezondheid",
        "brandweerzorg, rampenbestrijding en crisisbeheersing",
        "heffing en invordering van gemeentelijke belastingen en de Wet WOZ",
        "vergunningverlening, toezicht en handhaving in het omgevingsrecht",
        # "bijstandsverzoeken" is not the word bijstand
        "het verlenen van bijstandsverzoeken tussen regio's is geregeld in artikel 51",
        "arbeidsparticipatie van statushouders via inburgering",
    ],
)
def test_negative_texts_give_nothing(text: str) -> None:
    assert classify(version(doel=text, bevoegdheden=[text])) == []


def test_bwb_grondslag_is_strong_evidence_per_wet() -> None:
    v = version(
        grondslagen=[
            "http://wetten.overheid.nl/jci1.3:c:BWBR0034925",
            "http://wetten.overheid.nl/jci1.3:c:BWBR0035362",
            "http://wetten.overheid.nl/jci1.3:c:BWBR0015703&z=2013-07-01",
            "http://wetten.overheid.nl/jci1.3:c:BWBR0003740",  # Wgr: not a sociaal-domein wet
        ]
    )
    matches = classify(v)
    assert wetten_of(matches) == set(WETTEN)
    assert all(m.bewijsveld == "wettelijkeGrondslag" for m in matches)
    assert {m.regel for m in matches} == {"BWBR0034925", "BWBR0035362", "BWBR0015703"}
    assert all(m.regel in m.bewijs for m in matches)


def test_wsw_bwb_id_gives_taak() -> None:
    [m] = classify(version(grondslagen=["http://wetten.overheid.nl/jci1.3:c:BWBR0008903"]))
    assert (m.wet, m.taak) == ("participatiewet", "sociale-werkvoorziening")


def _slugs(**fields) -> set[str]:
    return {m.slug for m in classify(version(**fields))}


def test_bijzondere_bijstand_is_not_bijstand_levensonderhoud() -> None:
    assert _slugs(doel="minimaregelingen en bijzondere bijstand") == {
        "minimabeleid-bijzondere-bijstand"}
    both = _slugs(doel="de bijstand en de bijzondere bijstand")
    assert {"bijstand", "minimabeleid-bijzondere-bijstand"} <= both
    assert "bijstand" in _slugs(doel="het Besluit bijstandverlening zelfstandigen (Bbz)")


def test_bijstand_between_safety_regions_is_not_the_participatiewet() -> None:
    assert _slugs(doel="het verlenen van bijstand aan de brandweer van andere regio's") == set()


def test_a_negated_match_does_not_count() -> None:
    slugs = _slugs(doel="de Participatiewet, met uitzondering van de bijzondere bijstand")
    assert slugs == {"participatiewet"}
    assert _slugs(doel="toegang Wmo, uitgezonderd maatschappelijke opvang") >= {"toegang-wmo"}
    assert "maatschappelijke-opvang" not in _slugs(
        doel="toegang Wmo, uitgezonderd maatschappelijke opvang")


def test_sentence_conditions() -> None:
    # "opvang" alone is maatschappelijke opvang only beside beschermd wonen
    assert "maatschappelijke-opvang" in _slugs(doel="beschermd wonen en opvang")
    assert "maatschappelijke-opvang" not in _slugs(doel="de opvang van asielzoekers")
    # "participatie" alone only beside the other decentralisaties, werk or inkomen
    assert "participatiewet" in _slugs(
        doel="jeugdhulp, maatschappelijke ondersteuning en participatie")
    assert _slugs(doel="participatie van inwoners bij ruimtelijke plannen") == set()


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("de inkoop van diensten in het kader van de Jeugdwet", "inkoop-jeugdhulp"),
        ("gemeentelijke contractering in het kader van de Jeugdwet", "inkoop-jeugdhulp"),
        ("inkoop van maatwerkvoorzieningen Wmo", "inkoop-wmo"),
        ("indicatiestelling voor maatwerkvoorzieningen Wmo", "toegang-wmo"),
        ("het Wmo-loket van de gemeente", "toegang-wmo"),
        ("toeleiding naar jeugdhulp", "toegang-jeugdhulp"),
        ("taken op het gebied van maatschappelijke zorg", "wmo2015"),
        ("de openbare geestelijke gezondheidszorg (OGGZ)", "wmo2015"),
        ("een intergemeentelijke sociale dienst", "participatiewet"),
    ],
)
def test_v2_rules(text: str, slug: str) -> None:
    assert slug in _slugs(doel=text)


def test_title_is_the_last_and_weakest_field() -> None:
    v = version()
    v.citeertitel = "Regionale Samenwerking Decentralisaties in Sociaal Domein"
    matches = classify(v)
    assert wetten_of(matches) == set(WETTEN)
    assert {m.bewijsveld for m in matches} == {"titel"}
    v.doel = "Uitvoering van de Jeugdwet."
    assert {m.slug: m.bewijsveld for m in classify(v)}["jeugdwet"] == "doel"


def test_evidence_from_bevoegdheid_and_one_match_per_target() -> None:
    v = version(
        doel="Gezamenlijke inkoop.",
        bevoegdheden=[
            "Artikel 5: taken op grond van de Jeugdwet",
            "Artikel 6: de Jeugdwet opnieuw",
        ],
    )
    [m] = classify(v)
    assert (m.slug, m.bewijsveld) == ("jeugdwet", "bevoegdheid")
    assert m.bewijs.startswith("Artikel 5")


def test_evidence_is_a_short_snippet_around_the_match() -> None:
    long = "x " * 200 + "uitvoering van de Participatiewet" + " y" * 200
    [m] = classify(version(doel=long))
    assert "Participatiewet" in m.bewijs
    assert m.bewijs.startswith("…") and m.bewijs.endswith("…")
    assert 100 <= len(m.bewijs) <= 140


def test_classify_is_pure_and_needs_roo_id() -> None:
    v = version(doel="Participatiewet en Jeugdwet")
    assert classify(v) == classify(v)
    assert classify(version(doel="Participatiewet", roo_id=None)) == []


# --------------------------------------------------------------------------- graph


def test_graph_shape() -> None:
    v = version(
        doel="De uitvoering van de Participatiewet, in het bijzonder de bijstand.", roo_id="77"
    )
    g = gr_taken_graph([v, version(doel="afval", roo_id="78")], ImportReport("t"))
    node = SDID["afleiding/77/bijstand"]
    assert (node, RDF.type, SD.AfgeleideTaak) in g
    assert (node, SD.grVersie, SDID["grversie/77"]) in g
    assert (node, SD.taak, SDID["taak/bijstand"]) in g
    assert (node, SD.wet, SDID["wet/BWBR0015703"]) in g
    assert (node, SD.bewijsveld, Literal("doel")) in g
    assert (node, SD.afgeleid, Literal(True, datatype=XSD.boolean)) in g
    assert (node, PROV.wasGeneratedBy, RULESET) in g
    assert "bijstand" in str(g.value(node, SD.bewijs))
    wetnode = SDID["afleiding/77/participatiewet"]
    assert (wetnode, SD.wet, SDID["wet/BWBR0015703"]) in g
    assert g.value(wetnode, SD.taak) is None
    assert set(g.objects(SDID["grversie/77"], SD.dientWet)) == {SDID["wet/BWBR0015703"]}
    assert not list(g.triples((SDID["grversie/78"], None, None)))


def test_graph_generation_is_idempotent() -> None:
    report = ImportReport("t")
    versions = read_roo_yaml(FIXTURES / "roo", report)
    g1 = gr_taken_graph(versions, ImportReport("a"))
    g2 = gr_taken_graph(read_roo_yaml(FIXTURES / "roo", report), ImportReport("b"))
    assert isomorphic(g1, g2)
    s1, s2 = gr_taken_sources(FIXTURES / "roo"), gr_taken_sources(FIXTURES / "roo")
    assert sorted(s1[0].data.splitlines()) == sorted(s2[0].data.splitlines())


def test_sources_and_query_on_fixtures() -> None:
    report = ImportReport("gr-taken")
    [src] = gr_taken_sources(FIXTURES / "roo", report)
    assert src.graph == str(GRAPH["ref/gr-taken"])
    assert src.title == "Afgeleid: wetten en taken per GR (regels v2)"
    assert src.publisher == "sdgraph (afgeleid uit ROO)"
    assert report.imported["GR-versies met wet"] == 1
    assert report.imported["GR-versies zonder wet"] == 1
    store = EmbeddedStore(None)
    store.load(roo_sources(FIXTURES / "roo") + [src])
    q = load_query_file(QUERY)
    rows = q.run(store, {"peildatum": "2021-06-01"}).dicts()  # default wet: Participatiewet
    assert {str(r["roo_id"]) for r in rows} == {"90000001"}
    assert {str(r["citeertitel"]) for r in rows} == {"Regeling Sociale Dienst Voorbeeldstreek"}
    taken = {str(r["taak"]).rsplit("/", 1)[-1] for r in rows if r.get("taak")}
    assert {"bijstand", "schuldhulpverlening", "re-integratie"} <= taken
    assert all(r["bewijs"] and r["bewijsveld"] for r in rows)
    assert q.run(store, {"peildatum": "2019-06-01"}).dicts() == []  # before it started
    jeugd = {"wet": str(SDID["wet/BWBR0034925"]), "peildatum": "2021-06-01"}
    assert q.run(store, jeugd).dicts() == []


# --------------------------------------------------------------------------- integration


def _scores(labels: dict, versions: dict[str, GRVersion]) -> dict[str, tuple[float, float]]:
    out = {}
    for wet in WETTEN:
        tp = fp = fn = 0
        for roo_id, label in labels.items():
            if label.get("exclude"):
                continue
            predicted = wet in wetten_of(classify(versions[roo_id]))
            gold = wet in label["wetten"]
            tp += predicted and gold
            fp += predicted and not gold
            fn += gold and not predicted
        out[wet] = (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)
    return out


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_precision_recall_against_hand_labels(name: str) -> None:
    if not (ROO_REAL / "gemeenschappelijke-regelingen").is_dir():
        missing(f"real ROO data not present at {ROO_REAL} (shared data sources absent)")
    labels = yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8"))["labels"]
    scored = [k for k, v in labels.items() if not v.get("exclude")]
    assert len(scored) >= 40
    versions = {v.roo_id: v for v in read_roo_yaml(ROO_REAL, ImportReport("roo"))}
    assert set(labels) <= set(versions)
    scores = _scores(labels, versions)
    for wet, (precision, recall) in scores.items():
        min_p, min_r = EXPECTED[name][wet]
        assert precision >= min_p, (wet, scores)
        assert recall >= min_r, (wet, scores)


def test_labelled_taken_of_the_second_sample() -> None:
    """Taken a reader named with certainty (35 of 37 found), and the one the text ruled
    out (bijzondere bijstand in 29619579) is not derived."""
    if not (ROO_REAL / "gemeenschappelijke-regelingen").is_dir():
        missing(f"real ROO data not present at {ROO_REAL} (shared data sources absent)")
    labels = yaml.safe_load((FIXTURES / "labels-v2.yaml").read_text(encoding="utf-8"))["labels"]
    versions = {v.roo_id: v for v in read_roo_yaml(ROO_REAL, ImportReport("roo"))}
    found = missed = wrong = 0
    for roo_id, label in labels.items():
        got = {m.taak for m in classify(versions[roo_id]) if m.taak}
        found += len(set(label.get("taken", [])) & got)
        missed += len(set(label.get("taken", [])) - got)
        wrong += len(set(label.get("niet", [])) & got)
    assert (found, missed, wrong) == (35, 2, 0)
